"""Every rule type, applies_when, the cumulative scorer and framework checks."""

from __future__ import annotations

import pytest

from efl.core.engine import assess
from efl.errors import InputError
from efl.core.framework import load_framework

from conftest import assessment_yaml, write_files

POLICY = """\
- id: pol-{n}
  type: policy
  file: evidence/p{n}.md
  date: {date}
  covers: [{covers}]
"""


def policies(*items) -> tuple[str, dict[str, str]]:
    evidence, files = "", {}
    for n, (date, covers) in enumerate(items):
        evidence += POLICY.format(n=n, date=date, covers=covers)
        files[f"evidence/p{n}.md"] = f"# Policy {n}\n"
    return evidence, files


def criterion(cid: str, level: str, rule: str, applies: str = "") -> str:
    text = f"- id: {cid}\n  title: {cid}\n  level: {level}\n  action: Do {cid}.\n  source: test\n  rule:\n"
    text += "".join(f"    {line}\n" for line in rule.strip().splitlines())
    if applies:
        text += "  applies_when:\n" + "".join(f"    {line}\n" for line in applies.strip().splitlines())
    return text


def run(tmp_path, with_framework, criteria: str, evidence_items=(), date="2025-06-30", employees=500):
    host, _ = with_framework(criteria)
    evidence, files = policies(*evidence_items)
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml(evidence, date, employees=employees),
                                          **files})
    return assess(folder, host).result


def outcomes(result) -> dict[str, str]:
    return {c.id: c.outcome for c in result.areas[0].criteria}


def test_evidence_rule_max_age_min_count_and_covers(tmp_path, with_framework):
    criteria = (criterion("fresh", "developing", "evidence: policy\nmax_age: P1Y")
                + criterion("stale", "developing", "evidence: policy\nmax_age: P3M")
                + criterion("two", "developing", "evidence: policy\nmin_count: 2")
                + criterion("three", "developing", "evidence: policy\nmin_count: 3")
                + criterion("covers", "developing", "evidence: policy\ncovers: [age, race]")
                + criterion("covers-all", "developing", "evidence: policy\ncovers: all")
                + criterion("missing", "developing", "evidence: published-information"))
    result = run(tmp_path, with_framework, criteria, [("2024-12-31", "age"), ("2025-01-31", "race")])
    got = outcomes(result)
    assert got == {"fresh": "met", "stale": "not_met", "two": "met", "three": "not_met", "covers": "met",
                   "covers-all": "not_met", "missing": "not_met"}
    by_id = {c.id: c for c in result.areas[0].criteria}
    # 2025-06-30 minus 3 months is 2025-03-30; the newest item (31 January) is older than that.
    assert by_id["stale"].trace.problem == "stale_evidence"
    # The reason names the date in words; the item's id is kept beside it, for --explain and JSON.
    assert "dated 31 January 2025" in by_id["stale"].reasons[0] and "pol-1" not in by_id["stale"].reasons[0]
    assert by_id["stale"].evidence == ["pol-1"]
    assert by_id["missing"].trace.problem == "missing_evidence"
    assert by_id["fresh"].evidence == ["pol-1", "pol-0"]


def test_max_age_is_the_year_beginning_with_the_items_date(tmp_path, with_framework):
    # Assessed 30 June 2025: a year beginning with 1 July 2024 ends that day; one beginning with
    # 30 June 2024 ended the day before (the one period rule, efl/law/dates.py).
    criteria = criterion("edge", "developing", "evidence: policy\nmax_age: P1Y")
    assert outcomes(run(tmp_path, with_framework, criteria, [("2024-07-01", "age")]))["edge"] == "met"
    criteria = criterion("edge", "developing", "evidence: policy\nmax_age: P1Y")
    assert outcomes(run(tmp_path / "b", with_framework, criteria, [("2024-06-30", "age")]))["edge"] == "not_met"


@pytest.mark.parametrize("op, threshold, expected", [
    ("at_least", 500, "met"), ("at_least", 501, "not_met"), ("at_most", 500, "met"), ("at_most", 499, "not_met"),
    ("above", 499, "met"), ("above", 500, "not_met"), ("below", 501, "met"), ("below", 500, "not_met"),
    ("equals", 500, "met"), ("equals", 5, "not_met"), ("not_equals", 5, "met"), ("one_of", "[1, 500]", "met"),
    ("one_of", "[1, 2]", "not_met"),
])
def test_fact_operators(tmp_path, with_framework, op, threshold, expected):
    criteria = criterion("c", "developing", f"fact: council.employees\n{op}: {threshold}")
    assert outcomes(run(tmp_path, with_framework, criteria))["c"] == expected


def test_missing_fact_is_insufficient_evidence(tmp_path, with_framework):
    criteria = criterion("gap", "developing", "fact: workforce.pay_gap.median_hourly_pct\nbelow: 5")
    result = run(tmp_path, with_framework, criteria)
    crit = result.areas[0].criteria[0]
    assert crit.outcome == "insufficient_evidence"
    assert crit.reasons[0].endswith("it is worked out from the workforce profile")
    assert result.areas[0].level is None


def test_all_any_not_combinations(tmp_path, with_framework):
    yes = "- fact: council.employees\n  at_least: 1"
    no = "- fact: council.employees\n  at_least: 100000"
    unknown = "- fact: workforce.employees\n  at_least: 1"
    def block(kind, *parts):
        return f"{kind}:\n" + "\n".join("  " + line for p in parts for line in p.splitlines())
    criteria = (criterion("all-yes", "developing", block("all", yes, yes))
                + criterion("all-no", "developing", block("all", yes, no, unknown))
                + criterion("all-unknown", "developing", block("all", yes, unknown))
                + criterion("any-yes", "developing", block("any", no, unknown, yes))
                + criterion("any-unknown", "developing", block("any", no, unknown))
                + criterion("any-no", "developing", block("any", no, no))
                + criterion("not-no", "developing", "not:\n  fact: council.employees\n  at_least: 100000")
                + criterion("not-unknown", "developing", "not:\n  fact: workforce.employees\n  at_least: 1"))
    assert outcomes(run(tmp_path, with_framework, criteria)) == {
        "all-yes": "met", "all-no": "not_met", "all-unknown": "insufficient_evidence", "any-yes": "met",
        "any-unknown": "insufficient_evidence", "any-no": "not_met", "not-no": "met",
        "not-unknown": "insufficient_evidence"}


def test_applies_when(tmp_path, with_framework):
    rule = "evidence: workforce-profile"
    criteria = (criterion("big", "developing", rule, "fact: council.employees\nat_least: 150")
                + criterion("unknown", "developing", rule, "fact: workforce.employees\nat_least: 150"))
    small = run(tmp_path, with_framework, criteria, employees=120)
    assert outcomes(small) == {"big": "not_applicable", "unknown": "insufficient_evidence"}
    assert small.areas[0].criteria[0].reasons[0].startswith("does not apply: ")
    large = run(tmp_path / "b", with_framework, criteria, employees=150)
    assert outcomes(large)["big"] == "not_met"


def test_cumulative_scoring(tmp_path, with_framework):
    ok = "fact: council.employees\nat_least: 1"
    bad = "fact: council.employees\nat_least: 100000"
    na = ("evidence: workforce-profile", "fact: council.employees\nat_least: 100000")
    # Developing met, one Achieving not applicable and one met, Excellent not met -> Achieving.
    criteria = (criterion("d1", "developing", ok) + criterion("a1", "achieving", na[0], na[1])
                + criterion("a2", "achieving", ok) + criterion("e1", "excellent", bad))
    result = run(tmp_path, with_framework, criteria)
    area = result.areas[0]
    assert (area.level, area.next_level, result.overall_level) == ("achieving", "excellent", "achieving")
    assert [a.criterion for a in area.actions] == ["e1"]
    assert area.actions[0].priority == 3
    # A met Excellent criterion does not lift an area whose Developing criterion fails.
    criteria = criterion("d1", "developing", bad) + criterion("e1", "excellent", ok)
    area = run(tmp_path / "b", with_framework, criteria).areas[0]
    assert (area.level, area.next_level) == (None, "developing")
    assert [a.criterion for a in area.actions] == ["d1"]


def test_statutory_gap_gets_an_action_at_any_level(tmp_path, with_framework):
    criteria = (criterion("d1", "developing", "fact: council.employees\nat_least: 100000")
                + criterion("e1", "excellent", "evidence: published-information")
                .replace("  level: excellent\n", "  level: excellent\n  statutory: true\n  due:\n    next: '03-30'\n"))
    area = run(tmp_path, with_framework, criteria).areas[0]
    actions = {a.criterion: a for a in area.actions}
    assert set(actions) == {"d1", "e1"}
    assert actions["e1"].priority == 1 and str(actions["e1"].due) == "2026-03-30"
    assert str(actions["d1"].due) == "2026-06-30"  # default: a year after the assessment date


def framework_errors(with_framework, criteria: str) -> list[str]:
    host, _ = with_framework(criteria)
    with pytest.raises(InputError) as info:
        load_framework(host, "test-fw")
    return [str(d) for d in info.value.diagnostics]


def test_framework_errors_point_at_lines_before_evidence_is_read(with_framework):
    criteria = (criterion("a", "developing", "evidance: policy")
                + criterion("b", "developping", "fact: council.employes\nat_least: 1")
                + criterion("a", "developing", "evidence: no-such-type")
                + criterion("d", "developing", "fact: council.employees\nat_least: 1\nbelow: 3"))
    errors = [e.split("test-fw.yaml:", 1)[1] for e in framework_errors(with_framework, criteria)]
    # Lines of the generated file: criteria start on line 15, seven or eight lines each.
    assert errors == [
        "21:11: no known rule type among the keys 'evidance' (did you mean 'evidence'?)",
        "24:16: criterion 'b' is at unknown level 'developping' (did you mean 'developing'?)",
        "28:17: areas[0].criteria[1].rule.fact: no plugin provides the fact 'council.employes' "
        "(did you mean 'council.employees'?)",
        "30:13: id 'a' is used twice (expected unique ids for levels, areas, expectations and criteria)",
        errors[4],
        "43:11: areas[0].criteria[3].rule: a fact rule takes one comparison, found at_least, below "
        "(expected one; combine several with 'all')",
    ]
    assert errors[4].startswith("36:21: areas[0].criteria[2].rule.evidence: unknown evidence type 'no-such-type'")
