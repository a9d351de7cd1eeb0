"""The one level policy (efl.core.levels) and the efl_overall_level hook (issue 27)."""

from __future__ import annotations

import json

import pytest

import efl
from efl.core import levels
from efl.core.models import CriterionResult, Level, Trace
from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"
LEVELS = [Level(id="developing", title="Developing"), Level(id="achieving", title="Achieving"),
          Level(id="excellent", title="Excellent")]


class Order:
    """The smallest thing with ordered levels (what Framework, FrameworkRef and a comparison's Side are)."""

    def __init__(self):
        from efl.core.models import LevelOrder

        self.levels = LEVELS
        self.rank = LevelOrder.level_rank.__get__(self)
        self.level_ids = LevelOrder.level_ids.__get__(self)

    def level_rank(self, level):
        return self.rank(level)

    def level_at(self, rank):
        return self.levels[rank - 1].id if rank > 0 else None


def crit(cid: str, level: str, outcome: str) -> CriterionResult:
    return CriterionResult(id=cid, title=cid.upper(), level=level, outcome=outcome, reasons=["r"],
                           trace=Trace(rule="x", outcome=outcome, reason="r"))


# --- the cumulative rule for an area ----------------------------------------------------------------


@pytest.mark.parametrize("outcomes, level, short_of, blocking", [
    ({}, "excellent", None, []),                                              # nothing asked: every level
    ({"d1": "met", "a1": "met", "e1": "met"}, "excellent", None, []),
    ({"d1": "not_applicable", "a1": "met", "e1": "not_met"}, "achieving", "excellent", ["e1"]),
    ({"d1": "insufficient_evidence", "a1": "met"}, None, "developing", ["d1"]),  # a gap holds it below
    ({"d1": "met", "a1": "not_met", "e1": "met"}, "developing", "achieving", ["a1"]),  # not skipped over
    ({"d1": "met", "a1": "not_met", "a2": "insufficient_evidence"}, "developing", "achieving", ["a1", "a2"]),
])
def test_cumulative_rule(outcomes, level, short_of, blocking):
    by_level = {"d": "developing", "a": "achieving", "e": "excellent"}
    criteria = [crit(cid, by_level[cid[0]], outcome) for cid, outcome in outcomes.items()]
    got = levels.reached(LEVELS, criteria)
    assert got.level == level
    assert (got.short_of.id if got.short_of else None) == short_of
    assert [c.id for c in got.blocking] == blocking


@pytest.mark.parametrize("outcome, counts", [("met", True), ("not_applicable", True), ("not_met", False),
                                             ("insufficient_evidence", False)])
def test_which_outcomes_count_towards_a_level(outcome, counts):
    assert levels.passes(outcome) is counts


@pytest.mark.parametrize("given, expected", [
    (["excellent", "achieving", "developing"], "developing"),
    (["excellent", None, "achieving"], None),   # "not yet" is lowest of all
    (["achieving", "achieving"], "achieving"),
    ([], None),
    (["excellent", "no-such-level"], None),     # an unknown id ranks as "not yet", never above
])
def test_lowest(given, expected):
    assert levels.lowest(Order(), given) == expected
    assert levels.default_overall(Order(), given) == expected


def test_held_back_by_under_the_default_rule_is_every_area_below_lowest_first():
    by_area = {"kyc": "excellent", "lpoc": None, "iyc": "developing", "rscc": "achieving", "scw": "developing"}
    assert levels.held_back_by(Order(), by_area, "achieving") == ["lpoc", "iyc", "scw"]
    assert levels.held_back_by(Order(), by_area, "developing") == ["lpoc"]
    assert levels.held_back_by(Order(), {"a": "excellent"}, "achieving") == []


def test_held_back_by_follows_another_overall_rule():
    """Under "the level most areas reach" (3 of 5 here), only the areas it takes are named."""
    order = Order()

    def most(by_area):
        ranked = sorted((order.level_rank(v) for v in by_area.values()), reverse=True)
        return order.level_at(ranked[len(ranked) // 2])  # the middle one: at least 3 of 5 at or above

    by_area = {"a": "excellent", "b": "achieving", "c": "developing", "d": None, "e": "developing"}
    # Two more areas at achieving would do: either of c/e with d, or c and e; no one of them is needed on
    # its own, so all three are named (any would do) rather than none.
    assert levels.held_back_by(order, by_area, "achieving", most) == ["d", "c", "e"]
    by_area = {"a": "excellent", "b": "achieving", "c": "achieving", "d": None, "e": "developing"}
    assert most(by_area) == "achieving"
    assert levels.held_back_by(order, by_area, "excellent", most) == ["d", "e", "b", "c"]
    assert levels.held_back_by(order, by_area, "achieving", most) == []  # there already


def test_held_back_by_names_only_the_areas_a_rule_needs():
    """A council's rule that a pilot area ('x') does not count: raising it would not help, so it is not named."""
    order = Order()

    def without_pilot(by_area):
        return levels.lowest(order, [v for k, v in by_area.items() if k != "x"])

    by_area = {"x": None, "b": "developing", "c": "excellent"}
    assert levels.held_back_by(order, by_area, "achieving", without_pilot) == ["b"]
    assert levels.held_back_by(order, by_area, "achieving") == ["x", "b"]  # the default rule: both


# --- the overall level is pluggable ----------------------------------------------------------------


class Highest:
    """A council's own rule: the highest level any area reaches (not the EFLG's, but possible)."""

    @efl.hookimpl
    def efl_overall_level(self, framework, areas, context):
        return efl.OverallLevel(max((a.level for a in areas), key=framework.level_rank))


def test_a_plugin_decides_the_overall_level_and_reports_do_not_call_it_the_lowest():
    default = run_efl("assess", BEXLEY, "--format", "json").assert_exit(0).json
    assert default["overall_level"] == "developing"  # Bexley's areas reach excellent down to developing
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("highest", Highest())]).assert_exit(0)
    assert out.json["overall_level"] == "excellent"
    assert [a["level"] for a in out.json["areas"]] == [a["level"] for a in default["areas"]]
    text = run_efl("assess", BEXLEY, plugins=[("highest", Highest())]).assert_exit(0).output
    assert "Overall level: Excellent\n" in text and "lowest level reached" not in text
    paper = run_efl("assess", BEXLEY, "--format", "markdown", plugins=[("highest", Highest())]).output
    assert "the council is at Excellent overall" in paper
    assert "by the council's own rule" in paper and "the lowest of the areas' levels" not in paper
    plain = run_efl("assess", BEXLEY, "--format", "markdown").output
    assert "The overall level is the lowest of the areas' levels" in plain


def test_fail_under_uses_the_plugins_overall_level():
    run_efl("assess", BEXLEY, "--fail-under", "excellent").assert_exit(1)
    run_efl("assess", BEXLEY, "--fail-under", "excellent", plugins=[("highest", Highest())]).assert_exit(0)


def test_target_held_back_by_follows_the_plugins_rule():
    out = run_efl("assess", BEXLEY, "--target", "excellent", "--format", "json").assert_exit(0).json
    assert out["target"]["held_back_by"] == ["lpoc", "iyc", "scw", "rscc"]
    mine = run_efl("assess", BEXLEY, "--target", "excellent", "--format", "json",
                   plugins=[("highest", Highest())]).assert_exit(0).json
    assert mine["target"]["reached"] is True and mine["target"]["held_back_by"] == []


@pytest.mark.parametrize("answer, words", [
    (lambda: efl.OverallLevel("platinum"), "returned the level 'platinum' (expected one of the framework's level "
                                           "ids: developing, achieving, excellent, or None)"),
    (lambda: "excellent", "returned a str (expected OverallLevel | None)"),
])
def test_a_wrong_overall_level_is_the_plugins_failure(answer, words):
    class Wrong:
        @efl.hookimpl
        def efl_overall_level(self, framework, areas):
            return answer()

    out = run_efl("assess", BEXLEY, plugins=[("wrong", Wrong())]).assert_exit(3)
    assert f"plugin 'wrong' failed in efl_overall_level: {words}" in out.stderr


def test_a_plugin_may_leave_the_overall_level_to_the_next():
    class Passes:
        @efl.hookimpl
        def efl_overall_level(self, framework, areas):
            return None

    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("passes", Passes())]).assert_exit(0)
    assert out.json["overall_level"] == "developing"


def test_the_same_policy_in_compare_and_trend(tmp_path):
    """A trend's and a comparison's levels are the lowest of merged or agreed areas, from the one module."""
    result = run_efl("assess", BEXLEY, "--format", "json").assert_exit(0).json
    path = tmp_path / "bexley.json"
    path.write_text(json.dumps(result))
    trend = run_efl("compare", path, path, "--format", "json").assert_exit(0).json
    assert trend["a"]["overall"] == trend["b"]["overall"] == "developing"


def test_report_opening_sentences_under_another_rule():
    from efl.core.models import Result
    from efl.reports.report_text import summary_sentences

    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("highest", Highest())]).assert_exit(0)
    opening = summary_sentences(Result.model_validate(out.json))
    assert "The evidence supports Excellent overall." in opening
    default = run_efl("assess", BEXLEY, "--format", "json").assert_exit(0)
    assert ("The evidence supports Developing overall: the lowest level reached by any of the 5 areas."
            in summary_sentences(Result.model_validate(default.json)))
