"""``efl assess --target LEVEL``: what it would take, worked out from the rule trees.

The people figures are checked against counts made here from the evidence files themselves, and the
composition of ``all``, ``any`` and ``not`` against the truth tables of the rules.
"""

from __future__ import annotations

import csv
import math
from fractions import Fraction
from pathlib import Path

import pytest

import efl
from conftest import EXAMPLES, FrameworkFile, framework_yaml, write_files
from efl.core.models import FactValue, Share
from efl.core.target import negate, people_needed, people_words
from efl.testing import run_efl

LEICS = EXAMPLES / "leicestershire"


# --- the arithmetic ---------------------------------------------------------------------------------


def fact(value, *shares) -> FactValue:  # noqa: ANN001
    return FactValue(name="x.rate_pct", value=value,
                     shares=[Share(part=p, whole=w, counted=f"people {i}", basis="at today's headcount")
                             for i, (p, w) in enumerate(shares)])


@pytest.mark.parametrize("operator, threshold, part, whole, change", [
    ("at_least", 80, 247, 400, 73),     # 320 needed: 80% of 400 exactly
    ("above", 80, 247, 400, 74),        # more than 320, so 321
    ("at_least", 80, 247, 401, 74),     # 320.8 rounds up to 321 people
    ("at_least", 85, 760, 1250, 303),   # 1062.5 rounds up to 1063
    ("at_most", 10, 50, 400, -10),      # at most 40
    ("below", 10, 50, 400, -11),        # fewer than 40, so 39
    ("equals", 50, 150, 400, 50),       # exactly 200
])
def test_people_needed_are_worked_exactly(operator, threshold, part, whole, change):
    f = fact(part / whole * 100, (part, whole))
    [p] = people_needed(f, operator, threshold)
    # An independent check: the smallest (or largest) whole number of people that passes.
    passes = {"at_least": lambda n: Fraction(n * 100, whole) >= threshold,
              "above": lambda n: Fraction(n * 100, whole) > threshold,
              "at_most": lambda n: Fraction(n * 100, whole) <= threshold,
              "below": lambda n: Fraction(n * 100, whole) < threshold,
              "equals": lambda n: Fraction(n * 100, whole) == threshold}[operator]
    candidates = [n for n in range(whole + 1) if passes(n)]
    expected = min(candidates) if operator in ("at_least", "above", "equals") else max(candidates)
    assert p.needed == expected and p.change == change == expected - part
    assert p.words == f"{abs(change)} {'more' if change > 0 else 'fewer'} people 0"


def test_a_lowest_rate_needs_every_part_that_falls_short_raised_furthest_first():
    f = fact(61.75, (400, 400), (310, 400), (247, 400))   # 100%, 77.5%, 61.75%
    people = people_needed(f, "at_least", 80)
    assert [(p.counted, p.change) for p in people] == [("people 2", 73), ("people 1", 10)]
    assert people_words(people) == "73 more people 2 and 10 more people 1, at today's headcount"


def test_a_rate_that_is_neither_lowest_nor_highest_needs_only_the_cheapest_part():
    # The highest of two rates must reach 90%: raising either part is enough, so the nearer one is named.
    f = fact(80.0, (80, 100), (50, 100))
    assert [(p.counted, p.change) for p in people_needed(f, "at_least", 90)] == [("people 0", 10)]


def test_what_cannot_be_done_at_today_headcount_says_so():
    [p] = people_needed(fact(50.0, (50, 100)), "above", 100)
    assert not p.possible and "not possible" in p.words


def test_no_people_without_shares_or_with_a_non_numeric_threshold():
    assert people_needed(FactValue(name="x", value=61.8), "at_least", 80) == []
    assert people_needed(fact(50.0, (1, 2)), "equals", True) == []
    assert people_needed(fact(50.0, (1, 3)), "equals", 50) == []  # 1.5 people is not a count


def test_negation_turns_every_comparison_round():
    for a, b in (("at_least", "below"), ("above", "at_most"), ("equals", "not_equals"), ("one_of", "not_one_of")):
        assert negate(a) == b and negate(b) == a


# --- composition over a framework of our own --------------------------------------------------------


CRITERIA = """\
- id: area.rate
  title: A rate
  level: developing
  rule: {fact: council.employees, at_least: 500}
  action: Employ more people.
  owner: council
  source: test
- id: area.both
  title: Both
  level: achieving
  rule:
    all:
      - {fact: council.employees, at_least: 500}
      - {fact: council.lead_member_named}
  action: Do both.
  owner: council
  source: test
- id: area.either
  title: Either
  level: achieving
  rule:
    any:
      - {fact: council.employees, at_least: 500}
      - {evidence: policy}
  action: Do one.
  owner: council
  source: test
- id: area.not-both
  title: Not both
  level: achieving
  rule:
    not:
      all:
        - {fact: council.employees, at_most: 300}
        - {fact: council.employees, at_least: 100}
  action: Change one.
  owner: council
  source: test
- id: area.neither
  title: Neither
  level: achieving
  rule:
    not:
      any:
        - {fact: council.employees, at_most: 300}
        - {fact: council.employees, below: 250}
  action: Change both.
  owner: council
  source: test
- id: area.twice-not
  title: Twice not
  level: excellent
  rule: {not: {not: {fact: council.employees, above: 1000}}}
  action: Grow.
  owner: council
  source: test
"""


@pytest.fixture
def tiny(tmp_path):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml(CRITERIA))
    folder = write_files(tmp_path / "council", {"assessment.yaml": {
        "framework": "test-fw", "council": {"name": "Test Council", "employees": 200}, "date": "2025-06-30",
        "evidence": []}})
    return folder, [("fw", FrameworkFile(fw))]


def needs_of(result: dict) -> dict:
    return {c["id"]: c["needs"] for a in result["target"]["areas"] for c in a["criteria"]}


def test_all_any_and_not_compose_as_their_rules_do(tiny):
    folder, plugins = tiny
    out = run_efl("assess", folder, "--target", "excellent", "--format", "json", plugins=plugins).assert_exit(0).json
    needs = needs_of(out)
    # all: each failing condition (the lead member is not named), one need per failing condition
    assert [n["kind"] for n in needs["area.both"]] == ["figure", "figure"]
    assert needs["area.both"][0]["needed"] == "at least 500" and needs["area.both"][0]["now"] == "200"
    assert needs["area.both"][1]["needed"] == "yes"
    # any: one of them would do
    [either] = needs["area.either"]
    assert either["kind"] == "choice" and [o["kind"] for o in either["options"]] == ["figure", "evidence"]
    # not all: 200 is both at most 300 and at least 100, so one must stop holding: a choice of the two turned round
    [not_both] = needs["area.not-both"]
    assert not_both["kind"] == "choice"
    assert sorted(o["operator"] for o in not_both["options"]) == ["above", "below"]
    assert {o["needed"] for o in not_both["options"]} == {"above 300", "below 100"}
    # not any: 200 is at most 300 and below 250, so each must stop holding
    assert [(n["operator"], n["needed"]) for n in needs["area.neither"]] == [("above", "above 300"),
                                                                            ("at_least", "at least 250")]
    # two nots cancel
    assert [(n["operator"], n["threshold"]) for n in needs["area.twice-not"]] == [("above", 1000)]


def test_the_target_names_the_areas_holding_the_level_back_and_skips_those_above_it(tiny):
    folder, plugins = tiny
    t = run_efl("assess", folder, "--target", "developing", "--format", "json", plugins=plugins).json["target"]
    assert t["level"] == "developing" and not t["reached"] and t["held_back_by"] == ["area"]
    [area] = t["areas"]
    # Only criteria up to the target level are listed, not the Achieving and Excellent ones.
    assert [c["id"] for c in area["criteria"]] == ["area.rate"]
    [c] = area["criteria"]
    assert c["action"] == "Employ more people." and c["due"] == "2026-06-30"  # the default: a year


class RoutedRule:
    """A plugin's own rule type, with a what_it_takes route (and a second without one)."""

    @efl.hookimpl
    def efl_register_rule_types(self, register):
        from pydantic import BaseModel, ConfigDict

        class Options(BaseModel):
            model_config = ConfigDict(extra="forbid")
            quorum: int
            label: str | None = None

        class Plain(BaseModel):
            model_config = ConfigDict(extra="forbid")
            plain: bool
            label: str | None = None

        def evaluate(rule, ctx):
            return efl.Trace(rule="quorum", outcome="not_met", reason=f"3 of {rule.options.quorum} members present")

        def route(rule, trace, ctx):
            return [efl.Need(kind="figure", sentence=f"{rule.options.quorum - 3} more members needed.",
                             now="3", needed=f"at least {rule.options.quorum}")]

        register(efl.RuleType("quorum", Options, evaluate, what_it_takes=route))
        register(efl.RuleType("plain", Plain, lambda r, c: efl.Trace(rule="plain", outcome="not_met",
                                                                      reason="the plain check failed")))


def test_a_plugin_rule_says_what_it_would_take_through_its_route_and_one_without_gets_its_reason(tmp_path):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml("""\
        - {id: area.q, title: Quorum, level: developing, rule: {quorum: 5}, action: Recruit., source: test}
        - {id: area.p, title: Plain, level: developing, rule: {plain: true}, action: Fix., source: test}
        """))
    folder = write_files(tmp_path / "c", {"assessment.yaml": {"framework": "test-fw", "council": {"name": "C"},
                                                              "date": "2025-06-30"}})
    plugins = [("fw", FrameworkFile(fw)), ("quorum", RoutedRule())]
    needs = needs_of(run_efl("assess", folder, "--target", "developing", "--format", "json",
                             plugins=plugins).assert_exit(0).json)
    assert needs["area.q"][0]["sentence"] == "2 more members needed."
    assert needs["area.p"][0]["kind"] == "condition"
    assert needs["area.p"][0]["sentence"] == "The plain check failed (this must hold)."


class BrokenRoute(RoutedRule):
    @efl.hookimpl
    def efl_register_rule_types(self, register):
        from pydantic import BaseModel

        class Options(BaseModel):
            quorum: int

        register(efl.RuleType("quorum", Options, lambda r, c: efl.Trace(rule="q", outcome="not_met", reason="no"),
                              what_it_takes=lambda rule, trace, ctx: "not a list"))


def test_a_route_that_returns_the_wrong_thing_names_its_plugin(tmp_path):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml("- {id: area.q, title: Q, level: developing, rule: {quorum: 5}, action: A., source: t}\n"))
    folder = write_files(tmp_path / "c", {"assessment.yaml": {"framework": "test-fw", "council": {"name": "C"},
                                                              "date": "2025-06-30"}})
    out = run_efl("assess", folder, "--target", "developing", plugins=[("fw", FrameworkFile(fw)), ("broken", BrokenRoute())])
    assert out.exit_code == 3
    assert "'broken'" in out.stderr and "what_it_takes" in out.stderr and "expected a list of efl.Need" in out.stderr


# --- the worked example, end to end ----------------------------------------------------------------


def declared(column: str) -> tuple[int, int]:
    """Staff who recorded a characteristic, counted here from the CSV (blank and declined do not count)."""
    with (LEICS / "evidence" / "workforce-profile.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    recorded = [r for r in rows if r[column].strip() and r[column].strip().lower() != "prefer not to say"]
    return len(recorded), len(rows)


@pytest.fixture(scope="module")
def leics():
    return run_efl("assess", LEICS, "--target", "achieving", "--format", "json").assert_exit(0).json


def test_the_example_target_says_who_holds_the_level_back(leics):
    t = leics["target"]
    assert t["level"] == "achieving" and t["overall"] == "developing" and not t["reached"]
    assert t["held_back_by"] == ["kyc", "lpoc", "iyc", "scw"]  # rscc is at Achieving (with its waiver)
    criteria = {c["id"]: c for a in t["areas"] for c in a["criteria"]}
    assert sorted(criteria) == ["iyc.feedback", "kyc.coverage", "lpoc.objectives-targets", "scw.declaration",
                                "scw.training"]
    assert not any(c["level"] == "excellent" for c in criteria.values())


def test_the_declaration_figure_is_said_in_people_at_today_headcount(leics):
    c = next(c for a in leics["target"]["areas"] for c in a["criteria"] if c["id"] == "scw.declaration")
    [need] = c["needs"]
    assert need["needed"] == "at least 85%" and need["operator"] == "at_least" and need["threshold"] == 85
    people = {p["counted"]: p for p in need["people"]}
    part, whole = declared("sexual_orientation")
    assert need["now"] == f"{round(part / whole * 100, 1)}%"
    so = people["staff recording their sexual orientation"]
    assert (so["part"], so["whole"], so["needed"]) == (part, whole, math.ceil(whole * 85 / 100))
    assert so["change"] == math.ceil(whole * 85 / 100) - part
    # every characteristic below 85% is named, none above it
    for column in ("age", "disability", "race", "religion_or_belief", "sexual_orientation"):
        n, total = declared(column)
        named = f"staff recording their {column.replace('_', ' ')}" in people
        assert named == (n / total * 100 < 85), column
    assert f"{so['change']} more staff recording their sexual orientation" in need["sentence"]
    assert need["sentence"].endswith("at today's headcount.")
    # the local action wording, its lead and due date come with it
    assert c["action"].startswith('Run the "Count me in" campaign') and c["lead"] == "Head of HR"
    assert c["due"] == "2021-03-31" and c["local"][0]["kind"] == "rule"


def test_what_lapses_when(leics):
    [lapse] = leics["target"]["lapses"]
    assert lapse["criterion"] == "rscc.complaints" and lapse["expires"] == "2020-09-30"
    assert lapse["counts_from"] == "2020-10-01" and lapse["outcome"] == "insufficient_evidence"
    assert lapse["needs"][0]["kind"] == "no_figure"


def test_area_and_next_narrow_the_target(leics):
    one = run_efl("assess", LEICS, "--target", "Achieving", "--area", "A skilled and committed workforce",
                  "--format", "json").assert_exit(0).json["target"]
    assert one["area"] == "scw" and [a["id"] for a in one["areas"]] == ["scw"]
    assert one["held_back_by"] == leics["target"]["held_back_by"]  # the overall picture stays whole
    nxt = run_efl("assess", LEICS, "--target", "next", "--format", "json").assert_exit(0).json["target"]
    assert nxt["level"] == "achieving"


@pytest.mark.parametrize("args, message", [
    (["--target", "brilliant"], "--target 'brilliant' is not a level of eflg-2014"),
    (["--target", "acheiving"], "did you mean 'Achieving'?"),
    (["--target", "achieving", "--area", "workforce"], "did you mean 'scw'?"),
    (["--area", "scw"], "--area goes with --target"),
])
def test_target_mistakes_are_clear(args, message):
    out = run_efl("assess", LEICS, *args)
    assert out.exit_code == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_target_is_for_one_folder(tmp_path):
    out = run_efl("assess", LEICS, EXAMPLES / "bexley", "--target", "achieving")
    assert out.exit_code == 2 and "for one folder" in out.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv"])
def test_every_format_shows_the_target(fmt):
    out = " ".join(run_efl("assess", LEICS, "--target", "achieving", "--format", fmt).assert_exit(0).output.split())
    assert "What it would take to reach Achieving" in out or "Needed for Achieving" in out
    assert "303 more staff recording their sexual orientation" in out or fmt == "csv" and "more staff" in out
    if fmt != "csv":
        assert "ends on 30 September 2020" in out  # the waiver that lapses


def test_report_renders_a_saved_target_without_assessing_again(tmp_path, leics):
    saved = tmp_path / "result.json"
    import json

    saved.write_text(json.dumps(leics), encoding="utf-8")
    out = run_efl("report", saved, "--format", "markdown").assert_exit(0).output
    assert "## What it would take to reach Achieving" in out


def test_the_example_as_published_is_unchanged_by_asking_for_a_target():
    """A target adds its section; every level, criterion and action stays as it was."""
    plain = run_efl("assess", LEICS, "--format", "json").assert_exit(0).json
    target = run_efl("assess", LEICS, "--format", "json", "--target", "excellent").assert_exit(0).json
    assert plain["target"] is None and target["target"]["level"] == "excellent"
    target.pop("target"), plain.pop("target")
    assert plain == target


def test_paths_of_the_example_exist():
    assert (LEICS / "tailoring.yaml").is_file() and (LEICS / "what-if.yaml").is_file()
    assert Path(LEICS / "evidence" / "workforce-profile.csv").stat().st_size < 100_000  # read row by row


def test_a_target_already_reached_says_so():
    t = run_efl("assess", LEICS, "--target", "developing", "--format", "json").assert_exit(0).json["target"]
    assert t["reached"] and t["held_back_by"] == [] and all(a["reached"] and not a["criteria"] for a in t["areas"])
    text = " ".join(run_efl("assess", LEICS, "--target", "developing").assert_exit(0).output.split())
    assert "The evidence already supports Developing or above overall" in text


def test_a_legal_duty_on_the_way_says_what_the_law_needs(tmp_path):
    import shutil

    folder = tmp_path / "leics"
    shutil.copytree(LEICS, folder)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8").replace("    date: 2020-01-30\n",
                                                                           "    date: 2018-12-30\n")
    (folder / "assessment.yaml").write_text(text, encoding="utf-8")
    out = run_efl("assess", folder, "--target", "developing", "--format", "json").assert_exit(0).json
    t = out["target"]
    assert t["overall"] is None and t["held_back_by"] == ["lpoc"]
    [c] = [c for a in t["areas"] for c in a["criteria"]]
    assert c["id"] == "lpoc.information-published" and c["statutory"] and c["overdue"]
    assert c["needs"][0]["sentence"].endswith("Needed: the legal duty met.")
    words = " ".join(run_efl("assess", folder, "--target", "developing").output.split())
    assert "The evidence does not yet support Developing overall." in words
    assert "is not yet at Developing: 1 test to meet" in words and "and it is a legal duty." in words


def test_a_target_in_assessment_yaml_is_the_default_and_the_option_wins(tmp_path):
    import shutil

    folder = tmp_path / "leics"
    shutil.copytree(LEICS, folder)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text.replace("framework: eflg-2014\n", "framework: eflg-2014\ntarget: Achieving\n"),
                                            encoding="utf-8")
    assert run_efl("assess", folder, "--format", "json").assert_exit(0).json["target"]["level"] == "achieving"
    assert run_efl("assess", folder, "--format", "json", "--target", "excellent").json["target"]["level"] == "excellent"
    (folder / "assessment.yaml").write_text(text.replace("framework: eflg-2014\n", "framework: eflg-2014\ntarget: Acheiving\n"),
                                            encoding="utf-8")
    out = run_efl("assess", folder)
    assert out.exit_code == 2 and "assessment.yaml:16:9: target: 'Acheiving' is not a level" in out.stderr
    assert "did you mean 'Achieving'?" in out.stderr
