"""The CLI end to end through click's CliRunner, on the worked examples and on broken copies."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from click.testing import CliRunner

import efl
from efl.cli import cli

from conftest import EXAMPLES


def run(*args, obj=None):
    return CliRunner().invoke(cli, list(map(str, args)), obj=obj)


def levels(result: dict) -> dict[str, str | None]:
    return {a["id"]: a["level"] for a in result["areas"]}


def test_bexley_levels_actions_and_provenance():
    out = run("assess", EXAMPLES / "bexley", "--format", "json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    # Bexley's objectives are specific and measurable as the law asks, so every statutory duty is met
    # and leadership reaches Developing; objective A's missing baselines hold back Achieving.
    assert levels(result) == {"kyc": "excellent", "lpoc": "developing", "iyc": "developing", "rscc": "achieving",
                              "scw": "developing"}
    assert result["overall_level"] == "developing"
    assert result["schema_version"] == "1.3"
    assert result["assessment"]["window"] == {"end": "2025-03-31", "basis": "period", "statutory_on": "2025-11-14"}
    assert result["framework"]["id"] == "eflg-2014" and len(result["framework"]["sha256"]) == 64
    assert all(len(e["sha256"]) == 64 for e in result["evidence"] if e["file"])
    assert {p["name"] for p in result["plugins"]} >= {"rules", "workforce", "scorer"}
    assert all(p["version"] for p in result["plugins"])
    # Every area below Excellent has at least one action, with an owner and a due date.
    for area in result["areas"]:
        assert bool(area["actions"]) == (area["level"] != "excellent")
    first = result["actions"][0]
    assert (first["criterion"], first["priority"], first["due"]) == ("lpoc.objectives-targets", 2, "2026-11-14")
    assert "Still to do: objective A, 'Develop our community leadership role and build stronger communities'." in first["figure"]


def test_json_is_byte_identical_across_runs():
    first = run("assess", EXAMPLES / "bexley", "--format", "json").output
    second = run("assess", EXAMPLES / "bexley", "--format", "json").output
    assert first == second and first.endswith("}\n")


def test_london_councils_workforce_duty_not_applicable():
    result = json.loads(run("assess", EXAMPLES / "london-councils", "--format", "json").output)
    criteria = {c["id"]: c for a in result["areas"] for c in a["criteria"]}
    assert criteria["scw.workforce-information"]["outcome"] == "not_applicable"
    assert criteria["scw.gender-pay-gap"]["outcome"] == "not_applicable"
    assert levels(result) == {"kyc": "developing", "lpoc": "achieving", "iyc": "achieving", "rscc": "developing",
                              "scw": "achieving"}


def test_table_output_and_explain():
    out = run("assess", EXAMPLES / "bexley", "--explain")
    assert out.exit_code == 0
    assert "Overall level: Developing" in out.output
    assert "Knowing your communities" in out.output and "Action plan (6 actions" in out.output
    # --explain lists each fact with its value and the evidence file it came from.
    line = next(l for l in out.output.splitlines() if l.startswith("workforce.lowest_declaration_rate_pct"))
    # Worked from the file independently: the share of rows whose sexual orientation is filled in
    # and not "prefer not to say" (the lowest of the characteristics in the illustrative file).
    with (EXAMPLES / "bexley" / "evidence" / "workforce-profile.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    answered = sum(1 for r in rows if r["sexual_orientation"].strip() not in ("", "prefer not to say"))
    assert "evidence/workforce-profile.csv" in line and f"{answered / len(rows) * 100:g}" in line


def test_validate_reports_three_planted_mistakes(tmp_path):
    folder = tmp_path / "bexley"
    shutil.copytree(EXAMPLES / "bexley", folder)
    text = (folder / "assessment.yaml").read_text()
    text = text.replace("date: 2025-11-14", "date: 14/11/2025", 1)                   # a wrong type
    text = text.replace("  kind: London borough", "  kind: London borough\n  colour: blue")  # an unknown key
    text = text.replace("file: evidence/training-records.csv", "file: evidence/training.csv")  # a missing file
    (folder / "assessment.yaml").write_text(text)
    out = run("validate", folder)
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    shown = str(folder / "assessment.yaml")
    assert f"{shown}:14:3: council: unknown key 'colour'" in out.output
    assert f"{shown}:16:7: date: '14/11/2025' is not a valid date" in out.output
    assert f"{shown}:114:11: evidence file 'evidence/training.csv' was not found" in out.output
    assert "3 errors found." in out.output


def test_validate_ok():
    out = run("validate", EXAMPLES / "london-councils")
    assert out.exit_code == 0 and "OK (8 evidence items" in out.output


def test_fail_under():
    assert run("assess", EXAMPLES / "london-councils", "--fail-under", "developing").exit_code == 0
    out = run("assess", EXAMPLES / "london-councils", "--fail-under", "achieving")
    assert out.exit_code == 1 and "below Achieving" in out.output
    assert run("assess", EXAMPLES / "london-councils", "--fail-under", "superb").exit_code == 2


def test_unknown_framework_and_format_are_usage_errors():
    out = run("assess", EXAMPLES / "bexley", "--framework", "eflg-214")
    assert out.exit_code == 2 and "no framework called 'eflg-214' (did you mean 'eflg-2014'?)" in out.output
    out = run("assess", EXAMPLES / "bexley", "--format", "pdf")
    assert out.exit_code == 2 and "unknown format 'pdf'" in out.output


def test_init_then_validate_and_refuse_overwrite(tmp_path):
    folder = tmp_path / "new"
    out = run("init", folder, "--council", 'Borough "Q"')
    assert out.exit_code == 0, out.output
    assert (folder / "assessment.yaml").is_file()
    assert run("validate", folder).exit_code == 0
    before = (folder / "assessment.yaml").read_text()
    again = run("init", folder)
    assert again.exit_code == 2 and "already exists" in again.output
    assert (folder / "assessment.yaml").read_text() == before


def test_output_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "result.json"
    target.write_text("mine")
    out = run("assess", EXAMPLES / "london-councils", "--format", "json", "-o", target)
    assert out.exit_code == 2 and target.read_text() == "mine"
    assert run("assess", EXAMPLES / "london-councils", "--format", "json", "-o", target, "--force").exit_code == 0
    assert json.loads(target.read_text())["assessment"]["council"] == "London Councils"
    assert not list(tmp_path.glob(".*.tmp"))


def test_frameworks_show_and_plugins():
    assert "eflg-2014" in run("frameworks").output
    shown = run("show", "eflg-2014", "scw").output
    assert "What managers are expected to do" in shown and "scw.gender-pay-gap" in shown
    assert run("show", "eflg-2014", "nope").exit_code == 2
    listed = json.loads(run("plugins", "--json").output)
    names = {p["name"]: p for p in listed}
    assert names["workforce"]["builtin"] and names["workforce"]["status"] == "loaded"
    assert "efl_compute_facts" in names["workforce"]["hooks"]


def test_switching_plugins_off():
    out = run("-p", "no:workforce", "plugins", "--json")
    assert {p["name"]: p["status"] for p in json.loads(out.output)}["workforce"] == "disabled"
    # Without the workforce plugin, the framework's workforce facts are unknown: refused up front.
    out = run("-p", "no:workforce", "assess", EXAMPLES / "bexley")
    assert out.exit_code == 2 and "no plugin provides the fact 'workforce." in out.output
    out = run("-p", "no:rules", "plugins")
    assert out.exit_code == 2 and "'rules' is essential" in out.output
    out = run("-p", "no:workforks", "plugins")
    assert out.exit_code == 2 and "no plugin called 'workforks'" in out.output


class Broken:
    @efl.hookimpl
    def efl_register_facts(self, register):
        register(efl.FactSpec("broken.figure", "a figure that never comes"))

    @efl.hookimpl
    def efl_compute_facts(self, context):
        raise ZeroDivisionError("division by zero")


def test_plugin_failing_in_compute_facts_is_named_and_others_still_count():
    out = run("assess", EXAMPLES / "bexley", "--explain", obj=[("broken-plugin", Broken())])
    assert out.exit_code == 3
    assert "plugin 'broken-plugin' failed in efl_compute_facts: ZeroDivisionError: division by zero" in out.output
    assert "Traceback" not in out.output
    assert "communities.characteristics_covered" in out.output  # other plugins' facts are still listed


def test_misspelt_hook_is_refused():
    class Typo:
        @efl.hookimpl
        def efl_compute_fact(self, context):
            return []

    out = run("frameworks", obj=[("typo", Typo())])
    assert out.exit_code == 3 and "'efl_compute_fact' is not an efl hook" in out.output
    # 'efl plugins' lists every plugin and shows the problem instead of refusing.
    listed = run("plugins", obj=[("typo", Typo())])
    assert listed.exit_code == 0 and "'efl_compute_fact' is not an efl hook" in listed.output


@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"]])
def test_help(args):
    out = run(*args)
    assert out.exit_code == 0 and "Usage:" in out.output
