"""Waivers in assessment.yaml: a justified exception with an approver and an expiry date."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import EXAMPLES, write_files
from efl.testing import run_efl

LEICS = EXAMPLES / "leicestershire"


def folder(tmp_path, waivers, date="2025-11-14", roles=None):  # noqa: ANN001
    """Bexley's evidence in place, with waivers (a copy of its assessment.yaml pointing at its files)."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((EXAMPLES / "bexley" / "assessment.yaml").read_text(encoding="utf-8"))
    data["date"] = date
    data["waivers"] = waivers
    if roles:
        data["roles"] = roles
    target = tmp_path / "bexley"
    import shutil

    shutil.copytree(EXAMPLES / "bexley" / "evidence", target / "evidence")
    write_files(target, {"assessment.yaml": data})
    return target


def criterion(result: dict, ident: str) -> dict:
    return next(c for a in result["areas"] for c in a["criteria"] if c["id"] == ident)


LIVE = {"criterion": "scw.declaration", "reason": "The HR system is being replaced this year.",
        "approved_by": "head-of-hr", "approved_on": "2025-06-01", "expires": "2026-03-31"}


def test_a_live_waiver_makes_the_criterion_not_applicable_with_its_reason_and_approver(tmp_path):
    f = folder(tmp_path, [LIVE], roles={"head-of-hr": {"title": "Head of HR", "person": "Sam Patel"}})
    result = run_efl("assess", f, "--format", "json").assert_exit(0).json
    c = criterion(result, "scw.declaration")
    assert c["outcome"] == "not_applicable" and c["waived"] is True
    assert c["reasons"] == ["waived until 31 March 2026: The HR system is being replaced this year. (approved by "
                            "Head of HR (Sam Patel) on 1 June 2025)"]
    # the trace keeps the evidence's own judgement under the waiver
    assert c["trace"]["rule"] == "waiver" and c["trace"]["children"][0]["outcome"] == "not_met"
    [w] = result["waivers"]
    assert (w["status"], w["applied"], w["outcome"], w["approver"]) == ("live", True, "not_met", "Head of HR (Sam Patel)")
    # without the gap the workforce reaches Achieving, and the plan has no action for it
    assert next(a for a in result["areas"] if a["id"] == "scw")["level"] == "achieving"
    assert not any(x["criterion"] == "scw.declaration" for x in result["actions"])


@pytest.mark.parametrize("expires, status", [("2025-11-14", "live"), ("2025-11-13", "expired")])
def test_a_waiver_applies_through_its_expiry_day_and_not_after(tmp_path, expires, status):
    f = folder(tmp_path, [{**LIVE, "expires": expires}])
    out = run_efl("assess", f, "--format", "json").assert_exit(0)
    [w] = out.json["waivers"]
    assert w["status"] == status
    assert criterion(out.json, "scw.declaration")["outcome"] == ("not_applicable" if status == "live" else "not_met")
    if status == "expired":
        assert "warning: the waiver for 'Most staff have recorded their protected characteristics' expired on " \
               "13 November 2025" in out.stderr
        assert "assessment.yaml:" in out.stderr and any("expired" in x["message"] for x in out.json["warnings"])


def test_a_waiver_approved_after_the_assessment_date_does_not_apply(tmp_path):
    f = folder(tmp_path, [{**LIVE, "approved_on": "2025-12-01"}])
    out = run_efl("assess", f, "--format", "json").assert_exit(0)
    assert out.json["waivers"][0]["status"] == "not_yet_approved"
    assert criterion(out.json, "scw.declaration")["outcome"] == "not_met"
    assert "after the assessment date" in out.stderr


def test_a_waiver_on_a_met_criterion_changes_nothing(tmp_path):
    f = folder(tmp_path, [{**LIVE, "criterion": "scw.training"}])
    result = run_efl("assess", f, "--format", "json").assert_exit(0).json
    assert criterion(result, "scw.training")["outcome"] == "met"
    assert result["waivers"][0]["applied"] is False


def line_of(path, text: str) -> int:  # noqa: ANN001
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_legal_duty_cannot_be_waived_and_the_error_is_at_its_line(tmp_path):
    f = folder(tmp_path, [LIVE, {**LIVE, "criterion": "lpoc.information-published"}])
    out = run_efl("assess", f)
    assert out.exit_code == 2 and "Traceback" not in out.stderr
    line = line_of(f / "assessment.yaml", "criterion: lpoc.information-published")
    assert f"assessment.yaml:{line}:" in out.stderr
    assert "is a legal duty, and a legal duty cannot be waived" in out.stderr


@pytest.mark.parametrize("change, message", [
    ({"criterion": "scw.declaraton"}, "no criterion 'scw.declaraton' in eflg-2014 (did you mean 'scw.declaration'?)"),
    ({"expires": "2025-01-01"}, "before it was approved"),
    ({"reason": ""}, "reason"),
    ({"approved_on": "someday"}, "approved_on"),
])
def test_waiver_mistakes_are_errors_at_their_lines(tmp_path, change, message):
    out = run_efl("assess", folder(tmp_path, [{**LIVE, **change}]))
    assert out.exit_code == 2 and message in out.stderr and "assessment.yaml:" in out.stderr


def test_a_criterion_waived_twice_is_an_error(tmp_path):
    out = run_efl("assess", folder(tmp_path, [LIVE, LIVE]))
    assert out.exit_code == 2 and "is waived twice" in out.stderr


@pytest.mark.parametrize("fmt, expected", [
    ("table", "Waivers (2)"), ("markdown", "## Waivers (2)"), ("html", '<h2 id="part-waivers">Waivers (2)</h2>'),
    ("csv", '"Waived: The complaints system is being replaced'),
])
def test_every_format_shows_the_waivers(fmt, expected):
    out = run_efl("assess", LEICS, "--format", fmt).assert_exit(0).output
    assert expected in out
    if fmt != "csv":
        flat = " ".join(out.split())
        assert "applies until 30 September 2020" in flat and "expired on 31 December 2019" in flat
        assert "Corporate Management Team" in flat and "Policy Manager" in flat


def test_the_explain_trace_shows_the_waiver():
    out = " ".join(run_efl("assess", LEICS, "--explain").assert_exit(0).output.split())
    assert "rscc.complaints Complaints are monitored by protected characteristic (Achieving, waived)" in out
    assert "not applicable: waived until 30 September 2020" in out


def test_peer_compare_lists_the_waivers_and_calls_a_waived_difference_a_waiver(tmp_path):
    f = folder(tmp_path, [LIVE])
    for fmt, heading in (("table", "Waivers"), ("markdown", "## Waivers"), ("html", "Waivers and local criteria")):
        out = run_efl("compare", EXAMPLES / "bexley", f, "--format", fmt).assert_exit(0).output
        assert heading in out
        assert fmt == "table" or "The HR system is being replaced this year." in out
    data = run_efl("compare", EXAMPLES / "bexley", f, "--format", "json").assert_exit(0).json
    row = next(c for c in data["criteria"] if c["a"] and c["a"]["id"] == "scw.declaration")
    assert row["disagreement"] == "waived"
    assert len(data["a"]["waivers"]) + len(data["b"]["waivers"]) == 1


def test_the_worked_example_dates_are_consistent():
    # the live waiver outlasts the assessment date and the expired one ended before it
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((LEICS / "assessment.yaml").read_text(encoding="utf-8"))
    live, expired = data["waivers"]
    assert live["expires"] >= data["date"] > expired["expires"]
    assert isinstance(data["date"], dt.date)
