"""Comparing two results (efl.peer.compare) on small results built here, every figure worked by hand.

Written to kill the mutants mutation testing found alive (tests/mutation/README.md): the few-items
boundary of kappa, the agreement rate's rounding, how not applicable ranks against the other
outcomes, the later side when only a date differs, and each reason a criterion or an area can differ.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from efl.errors import InputError, UsageError
from efl.core.models import FrameworkRef, LocalChange, Result, Trace
from efl.peer import compare as c
from efl.peer.compare import EvidenceUse, GroupComparison, GroupSide

LEVELS = [{"id": "developing", "title": "Developing"}, {"id": "achieving", "title": "Achieving"},
          {"id": "excellent", "title": "Excellent"}]


def trace(outcome="met", problem=None, children=(), evidence=(), facts=()):
    return {"rule": "test", "outcome": outcome, "reason": "", "problem": problem, "children": list(children),
            "evidence": list(evidence), "facts": list(facts)}


def criterion(cid, level, outcome, reasons=(), problem=None, evidence=(), facts=(), local=(), waived=False):
    return {"id": cid, "title": f"Criterion {cid}", "level": level, "outcome": outcome, "reasons": list(reasons),
            "evidence": list(evidence), "facts": list(facts), "trace": trace(outcome, problem),
            "local": [{"kind": k, "note": n} for k, n in local], "waived": waived}


def area(aid, level, criteria, claimed=None):
    return {"id": aid, "title": f"Area {aid}", "level": level, "next_level": None, "claimed_level": claimed,
            "criteria": criteria}


def result(areas, council="Test Council", date="2025-06-30", role="self", name="", organisation="",
           claims=None, evidence=(), facts=(), framework="test-fw", version="1", levels=LEVELS, **extra) -> Result:
    return Result.model_validate({
        "schema_version": "1", "efl_version": "0", "overall_level": None, "actions": [], "plugins": [],
        "framework": {"id": framework, "version": version, "title": "Test framework", "sha256": "0",
                      "levels": levels},
        "assessment": {"council": council, "date": date, "assessor": {"role": role, "name": name,
                                                                      "organisation": organisation},
                       "claims": claims or {}},
        "areas": areas, "facts": list(facts),
        "evidence": [{"id": i, "type": "t", "file": f"evidence/{i}.md", "date": "2025-01-01", "sha256": sha}
                     for i, sha in evidence],
        **extra})


# --- small pieces ------------------------------------------------------------------------------------

def test_problems_are_those_of_failing_traces_anywhere_in_the_tree():
    tree = Trace.model_validate(trace("not_met", "stale_evidence", children=[
        trace("met", "missing_evidence"),
        trace("insufficient_evidence", "no_figure", children=[trace("not_met", "below_standard")]),
        trace("not_met")]))
    assert c.problems(tree) == {"stale_evidence", "no_figure", "below_standard"}
    assert c.problems(Trace.model_validate(trace("met", "stale_evidence"))) == set()
    assert c.problems(Trace.model_validate(trace("not_applicable", "stale_evidence"))) == set()


def test_the_pass_order():
    # Met and not applicable both pass; insufficient evidence is between them and not met.
    assert c._PASS_ORDER == {"met": 2, "not_applicable": 2, "insufficient_evidence": 1, "not_met": 0}
    assert c.FEW_ITEMS == 10
    assert c.OUTCOME_WORDS == {"met": "met", "not_met": "not met", "not_applicable": "not applicable",
                               "insufficient_evidence": "insufficient evidence"}


def crit(outcome, reasons=(), problem=None, **more):
    return SimpleNamespace(outcome=outcome, reasons=list(reasons), trace=Trace.model_validate(trace(outcome, problem)),
                           **more)


def claim(outcome, seen=()):
    return SimpleNamespace(outcome=outcome, seen_on_visit=list(seen))


SAME = [EvidenceUse(id="e1", file="evidence/e1.md", sha256="aaa")]
SAME_ELSEWHERE = [EvidenceUse(id="e1", file="elsewhere/e1.md", sha256="aaa")]
OTHER = [EvidenceUse(id="e1", file="evidence/e1.md", sha256="bbb")]


def classify(ca, cb, a_claim=None, b_claim=None, a_used=SAME, b_used=SAME, a_date="2025-06-30",
             b_date="2025-06-30", relation="same"):
    return c.classify(ca, cb, a_claim, b_claim, a_used, b_used, a_date, b_date, relation)


def test_the_same_judgement_is_no_difference():
    assert classify(crit("met"), crit("met")) == (None, None, "")
    assert classify(crit("not_met"), crit("not_met"), claim("not_met"), None) == (None, None, "")


@pytest.mark.parametrize("sides", ["a", "b"])
def test_a_claim_resting_on_what_was_seen_on_the_visit(sides):
    seen = claim("met", ["'You said, we did' pages", "a meeting with the forum"])
    a_claim, b_claim = (seen, None) if sides == "a" else (None, seen)
    kind, side, explanation = classify(crit("not_met"), crit("not_met"), a_claim, b_claim)
    assert (kind, side) == ("seen_on_visit", sides)
    assert explanation.endswith("'You said, we did' pages; a meeting with the forum")


def test_a_claim_that_agrees_with_its_own_evidence_is_not_seen_on_the_visit():
    # B claims what its own evidence gives: what B saw on the visit is not the reason A's claim differs.
    got = classify(crit("not_met"), crit("met"), claim("met"), claim("met", ["a web page"]), a_used=SAME, b_used=OTHER)
    assert got[0] != "seen_on_visit"


@pytest.mark.parametrize("claimed, verdict, kind, words", [
    ("met", "not_met", "claim_above_evidence", "claims met where its own evidence gives not met"),
    ("met", "insufficient_evidence", "claim_above_evidence", "claims met where its own evidence gives insufficient evidence"),
    ("insufficient_evidence", "not_met", "claim_above_evidence",
     "claims insufficient evidence where its own evidence gives not met"),
    ("not_met", "met", "claim_below_evidence", "claims not met where its own evidence gives met"),
    ("not_met", "insufficient_evidence", "claim_below_evidence",
     "claims not met where its own evidence gives insufficient evidence"),
    ("not_applicable", "not_met", "claim_above_evidence", "claims not applicable where its own evidence gives not met"),
    ("insufficient_evidence", "not_applicable", "claim_below_evidence",
     "claims insufficient evidence where its own evidence gives not applicable"),
])
@pytest.mark.parametrize("side", ["a", "b"])
def test_a_claim_above_or_below_its_own_evidence(claimed, verdict, kind, words, side):
    a_claim, b_claim = (claim(claimed), None) if side == "a" else (None, claim(claimed))
    assert classify(crit(verdict), crit(verdict), a_claim, b_claim) == (kind, side, words)


def test_both_sides_departing_from_the_same_evidence_is_a_different_reading():
    assert classify(crit("not_met"), crit("not_met"), claim("met"), claim("not_applicable")) == (
        "different_reading", None, "the same evidence, judged differently")


def test_the_same_files_under_two_wordings_of_a_criterion():
    got = classify(crit("met"), crit("not_met", ["too few"]), relation="changed")
    assert got == ("changed_criterion", "b", "the same files meet one edition's wording of the criterion and not "
                                             "the other's")
    assert classify(crit("not_met"), crit("met"), relation="changed")[1] == "a"


@pytest.mark.parametrize("a_date, b_date, ca, cb, side, reasons", [
    ("2025-11-14", "2026-03-20", "met", "not_met", "b", True),
    ("2026-03-20", "2025-11-14", "met", "not_met", "b", True),
    ("2026-03-20", "2025-11-14", "not_met", "met", "a", True),
    # Neither side fails (met and not applicable both pass): the later side is the one that changed.
    ("2026-03-20", "2025-11-14", "met", "not_applicable", "a", False),
    ("2025-11-14", "2026-03-20", "met", "not_applicable", "b", False),
])
def test_the_same_files_on_two_dates(a_date, b_date, ca, cb, side, reasons):
    why = ["out of date", "no plan"]
    kind, got_side, explanation = classify(crit(ca, why), crit(cb, why), a_date=a_date, b_date=b_date,
                                           relation="changed")
    assert (kind, got_side) == ("different_dates", side)
    assert explanation.startswith("the same files, judged on ")
    assert ("out of date; no plan" in explanation) is reasons


def test_the_same_files_on_the_same_date_differ_in_settings():
    got = classify(crit("insufficient_evidence"), crit("not_met"), a_used=SAME, b_used=SAME_ELSEWHERE)
    assert got == ("different_settings", "b", "the same files, but the assessments differ in their period, council "
                                              "size or local characteristics")
    assert classify(crit("met"), crit("not_applicable"))[:2] == ("different_settings", None)


@pytest.mark.parametrize("problem, kind, words", [
    ("stale_evidence", "stale_evidence", "evidence out of date: dated 2019; older than a year"),
    ("missing_evidence", "missing_evidence", "lacks evidence the other side has: dated 2019; older than a year"),
    ("no_figure", "missing_evidence", "lacks evidence the other side has: dated 2019; older than a year"),
    ("below_standard", "different_evidence", "the two sides relied on different evidence files"),
    (None, "different_evidence", "the two sides relied on different evidence files"),
])
@pytest.mark.parametrize("failing", ["a", "b"])
def test_different_files(problem, kind, words, failing):
    bad = crit("not_met", ["dated 2019", "older than a year"], problem)
    good = crit("met", ["all there"], "stale_evidence")
    ca, cb = (bad, good) if failing == "a" else (good, bad)
    assert classify(ca, cb, a_used=SAME, b_used=OTHER) == (kind, failing, words)


def test_different_files_where_neither_side_fails():
    assert classify(crit("met"), crit("not_applicable"), a_used=SAME, b_used=[]) == (
        "different_evidence", None, "the two sides relied on different evidence files")


def test_claims_that_agree_over_different_outcomes_are_the_evidences_difference():
    got = classify(crit("met"), crit("not_met", ["old"], "stale_evidence"), claim("met"), claim("met"), a_used=SAME,
                   b_used=OTHER)
    assert got == ("stale_evidence", "b", "evidence out of date: old")


# --- local differences --------------------------------------------------------------------------------

def local_crit(outcome, waived=False, local=(), facts=()):
    return SimpleNamespace(outcome=outcome, waived=waived, facts=list(facts),
                           local=[LocalChange(kind=k, note=n) for k, n in local])


NOBODY = SimpleNamespace(assumptions=[])


def test_local_differences():
    assert c.local_difference(local_crit("met", waived=True), local_crit("met"), NOBODY, NOBODY) is None
    assert c.local_difference(local_crit("not_applicable", waived=True), local_crit("not_met"), NOBODY, NOBODY) == (
        "waived", "a", "that side's waiver makes the criterion not applicable")
    assert c.local_difference(local_crit("not_met"), local_crit("not_applicable", waived=True), NOBODY, NOBODY) == (
        "waived", "b", "that side's waiver makes the criterion not applicable")
    tailored = local_crit("met", local=[("rule", "local threshold 50%"), ("action", "owner changed")])
    assert c.local_difference(tailored, local_crit("not_met"), NOBODY, NOBODY) == (
        "local_criterion", "a", "local threshold 50%; owner changed")
    assert c.local_difference(local_crit("not_met"), tailored, NOBODY, NOBODY) == (
        "local_criterion", "b", "local threshold 50%; owner changed")
    same_tailoring = local_crit("not_met", local=[("rule", "local threshold 50%"), ("action", "owner changed")])
    assert c.local_difference(tailored, same_tailoring, NOBODY, NOBODY) is None
    assumed = SimpleNamespace(assumptions=[SimpleNamespace(fact=f, description="") for f in ("z.rate", "a.count",
                                                                                          "unused")])
    what_if = local_crit("met", facts=["a.count", "z.rate", "other"])
    for got, side in ((c.local_difference(what_if, local_crit("not_met", facts=["a.count"]), assumed, NOBODY), "a"),
                      (c.local_difference(local_crit("not_met", facts=["a.count"]), what_if, NOBODY, assumed), "b")):
        assert got[:2] == ("assumed", side)
        assert got[2].startswith("rests on a figure that side's what-if assumed (a.count")
        assert "z.rate" in got[2] and "unused" not in got[2]
    assert c.local_difference(local_crit("met", facts=["x"]), local_crit("not_met"), assumed, NOBODY) is None


# --- agreement -----------------------------------------------------------------------------------------

def framework(levels=LEVELS):
    return SimpleNamespace(framework=FrameworkRef(id="f", version="1", title="F", sha256="0", levels=levels))


def group(a_claimed, a_judged, a_evidence, b_claimed, b_judged, b_evidence):
    return GroupComparison(a=GroupSide(areas=["x"], claimed=a_claimed, evidence=a_evidence, judged=a_judged),
                           b=GroupSide(areas=["x"], claimed=b_claimed, evidence=b_evidence, judged=b_judged))


def test_agreement_worked_by_hand():
    groups = [group("achieving", True, "achieving", "achieving", True, "developing"),
              group("excellent", True, "achieving", None, False, "achieving"),
              group(None, False, "developing", None, True, None)]
    got = {g.between: g for g in c._agreements(groups, framework(), True)}
    assert [g.between for g in c._agreements(groups, framework(), True)] == ["a_b", "a_evidence", "b_evidence",
                                                                              "evidence"]
    ab = got["a_b"]
    assert (ab.items, ab.same, ab.rate_pct, ab.kappa, ab.note) == (1, 1, 100.0, 1.0, "kappa on 1 area is a rough guide only")
    ae = got["a_evidence"]
    assert (ae.items, ae.same, ae.rate_pct, ae.kappa, ae.note) == (2, 1, 50.0, 0.0, "kappa on 2 areas is a rough guide only")
    # B's claims against its evidence: ranks (2, 1) and (0, 0) of 0..3: p_o 5/6, p_e 2/3, kappa 1/2.
    be = got["b_evidence"]
    assert (be.items, be.same, be.rate_pct, be.kappa) == (2, 1, 50.0, 0.5)
    # The evidence's levels: (2, 1), (2, 2), (1, 0): p_o 7/9, p_e 19/27, kappa 1/4; 1 of 3 the same.
    ev = got["evidence"]
    assert (ev.items, ev.same, ev.rate_pct, ev.kappa, ev.note) == (3, 1, 33.3, 0.25,
                                                                   "kappa on 3 areas is a rough guide only")


def test_agreement_rounds_the_rate_and_kappa():
    two_levels = LEVELS[:2]
    # Ranks (0, 0), (0, 1), (1, 1), (2, 1) on 0..2: p_o 3/4, p_e 5/8, kappa 1/3.
    groups = [group(None, False, None, None, False, None), group(None, False, None, None, False, "developing"),
              group(None, False, "developing", None, False, "developing"),
              group(None, False, "achieving", None, False, "developing")]
    ev = {g.between: g for g in c._agreements(groups, framework(two_levels), True)}["evidence"]
    assert (ev.items, ev.same, ev.rate_pct, ev.kappa) == (4, 2, 50.0, 0.3333)
    six = groups[:3] + [group(None, False, "achieving", None, False, "achieving")] * 2
    ev6 = {g.between: g for g in c._agreements(six, framework(two_levels), True)}["evidence"]
    assert (ev6.items, ev6.same, ev6.rate_pct) == (5, 4, 80.0)
    three = [group(None, False, "developing", None, False, "developing")] * 2 + \
        [group(None, False, "developing", None, False, "achieving")]
    ev3 = {g.between: g for g in c._agreements(three, framework(two_levels), True)}["evidence"]
    assert ev3.rate_pct == 66.7


@pytest.mark.parametrize("n, note", [(1, "kappa on 1 area is a rough guide only"),
                                     (9, "kappa on 9 areas is a rough guide only"), (10, ""), (11, "")])
def test_kappa_on_few_areas_is_flagged(n, note):
    groups = [group("achieving", True, "achieving", "achieving", True, "achieving")] * n
    for g in c._agreements(groups, framework(), True):
        assert (g.items, g.same, g.rate_pct, g.kappa, g.note) == (n, n, 100.0, 1.0, note)


def test_nothing_judged_by_both_is_nothing_to_compare():
    groups = [group(None, False, "achieving", None, False, "developing")]
    got = {g.between: g for g in c._agreements(groups, framework(), True)}
    for kind in ("a_b", "a_evidence", "b_evidence"):
        assert (got[kind].items, got[kind].same, got[kind].rate_pct, got[kind].kappa, got[kind].note) == (
            0, 0, None, None, "nothing to compare: no area was judged by both")
    assert (got["evidence"].items, got["evidence"].same, got["evidence"].rate_pct) == (1, 0, 0.0)


def test_levels_that_are_not_comparable_are_not_agreed_or_disagreed():
    got = c._agreements([group("achieving", True, "achieving", "achieving", True, "achieving")], framework(), False)
    assert [(g.between, g.items, g.same, g.rate_pct, g.kappa) for g in got] == [
        ("a_b", 0, 0, None, None), ("a_evidence", 0, 0, None, None), ("b_evidence", 0, 0, None, None),
        ("evidence", 0, 0, None, None)]
    assert {g.note for g in got} == {"the two editions use different levels, so levels are not compared one to one"}


# --- comparing two results -----------------------------------------------------------------------------

def self_result(**extra):
    return result([
        area("x", "achieving", [criterion("x.1", "developing", "met", evidence=["e1"]),
                                criterion("x.2", "achieving", "met", evidence=["e2"]),
                                criterion("x.3", "excellent", "not_met"),
                                criterion("x.4", "developing", "met")], claimed="achieving"),
        area("y", "developing", [criterion("y.1", "developing", "met"),
                                 criterion("y.2", "achieving", "not_met", ["no plan"], "missing_evidence")],
             claimed="achieving"),
    ], evidence=[("e1", "s1"), ("e2", "s2")], **extra)


def peer_result(**extra):
    return result([
        area("x", "developing", [criterion("x.1", "developing", "met", evidence=["e1"]),
                                 criterion("x.2", "achieving", "not_met", ["dated 2019"], "stale_evidence",
                                           evidence=["e2"]),
                                 criterion("x.3", "excellent", "not_met"),
                                 criterion("x.5", "achieving", "not_met", local=[("added", "a local criterion")])],
             claimed="developing"),
        area("y", "developing", [criterion("y.1", "developing", "met"),
                                 criterion("y.2", "achieving", "not_met", ["no plan"], "missing_evidence")],
             claimed="developing"),
    ], council="test  council", role="peer", name="", organisation="LGA peer team",
        evidence=[("e1", "s1"), ("e2", "s2-old")], **extra)


def test_a_self_assessment_against_a_peer_judgement():
    comparison = c.compare_pair(self_result(), peer_result(), "self.json", "peer.json")
    assert comparison.a.label == "A" and comparison.b.label == "B"
    assert (comparison.a.source, comparison.b.source) == ("self.json", "peer.json")
    assert (comparison.a.role, comparison.b.role) == ("self", "peer")
    assert comparison.a.name == "Test Council"
    assert comparison.b.name == "LGA peer team" and comparison.b.assessor == "LGA peer team"
    assert comparison.a.framework == "test-fw 1"
    assert comparison.different_councils is False and comparison.levels_comparable is True
    rows = {(r.a or r.b).id: r for r in comparison.criteria}
    # Worked out in the canonical order (the peer's result first: "peer" sorts before "self"), then swapped.
    assert [r.either.id for r in comparison.criteria] == ["x.1", "x.2", "x.3", "x.5", "y.1", "y.2", "x.4"]
    assert [r.relation for r in comparison.criteria] == ["same"] * 3 + ["only_b"] + ["same"] * 2 + ["only_a"]
    assert (rows["x.2"].disagreement, rows["x.2"].side, rows["x.2"].explanation) == (
        "stale_evidence", "b", "evidence out of date: dated 2019")
    assert all(rows[i].disagreement is None for i in ("x.1", "x.3", "y.1", "y.2"))
    assert rows["x.4"].comparable is False and rows["x.4"].local_only is False and rows["x.4"].b is None
    assert rows["x.5"].local_only is True and rows["x.5"].a is None and rows["x.5"].either.id == "x.5"
    assert [u.id for u in rows["x.2"].a.evidence] == ["e2"]
    assert (rows["x.2"].a.evidence[0].sha256, rows["x.2"].b.evidence[0].sha256) == ("s2", "s2-old")
    assert rows["x.2"].a.evidence[0].file == "evidence/e2.md"

    x, y = comparison.areas
    assert (x.relation, x.group, x.same_claim, x.same_evidence) == ("same", 0, False, False)
    assert x.disagreement == ["local_criterion", "stale_evidence"]
    assert x.because_of == ["b:x.2"]
    assert (y.group, y.same_claim, y.same_evidence) == (1, False, True)
    assert y.disagreement == ["claim_above_evidence"] and y.because_of == []
    assert x.either.id == "x"

    gx, gy = comparison.groups
    assert (gx.a.claimed, gx.a.evidence, gx.a.judged, gx.b.claimed, gx.b.evidence) == (
        "achieving", "achieving", True, "developing", "developing")
    assert (gy.a.claimed, gy.a.evidence, gy.b.claimed, gy.b.evidence) == ("achieving", "developing", "developing",
                                                                          "developing")

    counts = comparison.counts
    assert (counts.area_pairs, counts.groups, counts.criteria_compared, counts.criteria_same,
            counts.criteria_same_outcome, counts.local_criteria) == (2, 2, 5, 4, 4, 1)
    assert (counts.only.a.criteria, counts.only.b.criteria, counts.only.a.areas, counts.only.b.areas) == (1, 0, 0, 0)

    agreement = {g.between: g for g in comparison.agreement}
    assert (agreement["a_b"].items, agreement["a_b"].same, agreement["a_b"].rate_pct) == (2, 0, 0.0)
    assert (agreement["a_evidence"].same, agreement["b_evidence"].same, agreement["evidence"].same) == (1, 2, 1)
    assert agreement["b_evidence"].kappa == 1.0


def test_the_comparison_is_the_same_either_way_round():
    forward = c.compare_pair(self_result(), peer_result(), "self.json", "peer.json")
    backward = c.compare_pair(peer_result(), self_result(), "peer.json", "self.json")
    assert backward.a.source == "peer.json" and backward.a.label == "A"
    assert c.swap(forward).model_dump() == backward.model_dump()
    rows = {r.either.id: r for r in backward.criteria}
    assert (rows["x.2"].side, rows["x.4"].relation, rows["x.5"].relation) == ("a", "only_b", "only_a")
    assert backward.areas[0].because_of == ["a:x.2"]


def test_an_area_claim_resting_on_what_was_seen_on_the_visit():
    peer = peer_result(claims={"x.3": {"outcome": "met", "seen_on_visit": ["the 2025 plan on the wall"]}})
    peer.areas[0].claimed_level = "achieving"
    mine = self_result()
    mine.areas[0].claimed_level = "excellent"
    comparison = c.compare_pair(mine, peer, "self.json", "peer.json")
    rows = {r.either.id: r for r in comparison.criteria}
    assert (rows["x.3"].disagreement, rows["x.3"].side) == ("seen_on_visit", "b")
    assert rows["x.3"].b.claim == "met" and rows["x.3"].b.seen_on_visit == ["the 2025 plan on the wall"]
    assert (rows["x.2"].disagreement, rows["x.2"].side) == ("stale_evidence", "b")
    x = comparison.areas[0]
    # B claims Achieving on evidence for Developing because of what it saw; A claims Excellent on evidence
    # for Achieving; the evidence differs on x.2 and on B's local x.5.
    assert x.disagreement == ["seen_on_visit", "claim_above_evidence", "local_criterion", "stale_evidence"]
    assert x.because_of == ["b:x.2", "b:x.3"]
    assert comparison.counts.criteria_claims_differ >= 1


def test_a_claim_below_the_evidence():
    mine = self_result()
    mine.areas[0].claimed_level = "developing"
    same = c.compare_pair(mine, peer_result(), "s.json", "p.json").areas[0]
    # The two claims agree, so neither claim is a reason: only what moves the evidence apart is.
    assert same.same_claim is True and same.same_evidence is False
    assert same.disagreement == ["local_criterion", "stale_evidence"]
    peer = peer_result()
    peer.areas[0].claimed_level = "achieving"
    x = c.compare_pair(mine, peer, "s.json", "p.json").areas[0]
    assert x.same_claim is False
    assert x.disagreement == ["claim_above_evidence", "claim_below_evidence", "local_criterion", "stale_evidence"]


def test_two_councils_are_compared_only_when_asked():
    other = peer_result().model_copy(deep=True)
    other.assessment.council = "Another Council"
    with pytest.raises(UsageError) as caught:
        c.compare_pair(self_result(), other, "a.json", "b.json")
    assert str(caught.value) == ("A is Test Council and B is Another Council: two different councils (expected two "
                                 "results of one council, or --different-councils to compare them anyway)")
    comparison = c.compare_pair(self_result(), other, "a.json", "b.json", different_councils=True)
    assert comparison.different_councils is True


def test_two_frameworks_are_refused_without_a_crosswalk():
    with pytest.raises(InputError) as caught:
        c.compare_pair(self_result(), peer_result(version="2"), "a.json", "b.json")
    messages = [str(d) for d in caught.value.diagnostics]
    found = "found a.json: test-fw 1; b.json: test-fw 2"
    assert messages == [f"a.json: assessed against test-fw 1, but the results compared use different frameworks or "
                        f"versions (expected one framework and version, or editions a crosswalk links; {found})",
                        f"b.json: assessed against test-fw 2, but the results compared use different frameworks or "
                        f"versions (expected one framework and version, or editions a crosswalk links; {found})"]
    c.require_same_framework([("a.json", self_result()), ("b.json", peer_result())])


def test_the_canonical_order():
    early, late = self_result(date="2025-01-01"), self_result(date="2025-06-30")
    assert c._canonical_first(early, "x", late, "x") is True
    assert c._canonical_first(late, "x", early, "x") is False
    assert c._canonical_first(early, "b", early, "a") is False
    assert c._canonical_first(early, "a", early, "b") is True
    assert c._canonical_first(early, "a", early, "a") is True
    peer = self_result(role="peer", date="2025-01-01")
    assert c._canonical_first(peer, "z", early, "a") is True     # peer before self, whatever the source
    assert c._canonical_first(early, "a", peer, "z") is False
    other = self_result(date="2025-01-01", council="Another Council")
    assert c._canonical_first(other, "z", early, "a") is True     # then the council's name
    assert c._canonical_first(self_result(framework="a-fw", date="2030-01-01"), "z", early, "a") is True
    assert c._canonical_first(self_result(version="0", date="2030-01-01"), "z", early, "a") is True


def test_swapping_names_every_side():
    data = {"a": 1, "b": {"side": "a", "relation": "only_a", "between": "a_evidence", "label": "A", "other": "a"},
            "because_of": ["a:x.1", "b:y", "c:z"], "list": [{"side": "b"}, None, 3], "side": None,
            "relation": "same", "between": "a_b"}
    assert c._swap_data(data) == {
        "b": 1, "a": {"side": "b", "relation": "only_b", "between": "b_evidence", "label": "B", "other": "a"},
        "because_of": ["b:x.1", "a:y", "c:z"], "list": [{"side": "a"}, None, 3], "side": None, "relation": "same",
        "between": "a_b"}


def test_evidence_a_criterion_used_through_its_facts_and_trace():
    r = result([area("x", "achieving", [
        {**criterion("x.1", "developing", "met", evidence=["e1"], facts=["f.one"]),
         "trace": trace("met", children=[trace("met", evidence=["e3"], facts=["f.two"])])}])],
        evidence=[("e1", "s1"), ("e2", "s2"), ("e3", "s3"), ("e4", "s4")],
        facts=[{"name": "f.one", "value": 1, "evidence": ["e2"]}, {"name": "f.two", "value": 2, "evidence": ["e9"]},
               {"name": "f.other", "value": 3, "evidence": ["e4"]}])
    used = c._evidence(r, r.areas[0].criteria[0])
    assert [(u.id, u.file, u.sha256) for u in used] == [("e1", "evidence/e1.md", "s1"), ("e2", "evidence/e2.md", "s2"),
                                                        ("e3", "evidence/e3.md", "s3"), ("e9", None, None)]


def test_the_side_and_its_record():
    r = self_result()
    side = c.side_of(r, "A", "self.json")
    assert (side.label, side.source, side.council, side.role, side.date, side.framework, side.framework_title) == (
        "A", "self.json", "Test Council", "self", "2025-06-30", "test-fw 1", "Test framework")
    assert side.record is None and side.hypothetical is False
    assert [lv.id for lv in side.levels] == ["developing", "achieving", "excellent"]
    named = c.side_of(self_result(role="peer", name="Ms Peer", organisation="LGA"), "B", "p.json")
    assert named.assessor == "Ms Peer" and named.name == "Ms Peer"
    nameless = c.side_of(self_result(role="peer"), "B", "p.json")
    assert nameless.assessor == "" and nameless.name == "the peer team"
    assert c.framework_key(r) == "test-fw 1"


# --- across editions, through a crosswalk ----------------------------------------------------------------

class Walk:
    """A crosswalk as compare_pair uses one: its pairings, its level map, and itself read backwards."""

    def __init__(self, wid, area_pairs, criterion_pairs, level_map=None, back=None):
        self.id, self.area_pairs, self.criterion_pairs = wid, area_pairs, criterion_pairs
        self.level_map, self.back = level_map or {}, back

    def reversed(self):
        return self.back

    def levels_for(self, level):
        return self.level_map.get(level or "", [])


def walks(level_map=None, back_map=None):
    from efl.core.crosswalk import Pair

    flip = {"only_a": "only_b", "only_b": "only_a"}
    areas = [Pair("p", "r", "changed"), Pair("q", "s", "changed"), Pair("q", "r", "changed")]
    criteria = [Pair("p.1", "r.1", "same"), Pair("q.1", "s.1", "changed", "reworded"), Pair("p.2", None, "only_a"),
                Pair(None, "r.3", "only_b")]
    forward = Walk("a-to-b", areas, criteria, level_map)
    backward = Walk("a-to-b", [Pair(p.b, p.a, flip.get(p.relation, p.relation), p.note) for p in areas],
                    [Pair(p.b, p.a, flip.get(p.relation, p.relation), p.note) for p in criteria], back_map, forward)
    forward.back = backward
    return forward, backward


def edition_a(**extra):
    return result([
        area("p", "achieving", [criterion("p.1", "developing", "met"), criterion("p.2", "achieving", "not_met"),
                                criterion("p.9", "achieving", "not_met", local=[("added", "our own criterion")])],
             claimed="achieving"),
        area("q", "developing", [criterion("q.1", "developing", "met")], claimed="excellent"),
    ], framework="a-fw", **extra)


def edition_b(levels=LEVELS, **extra):
    low, high = levels[0]["id"], levels[1]["id"]
    return result([
        area("r", low, [criterion("r.1", low, "met"), criterion("r.3", high, "not_met")], claimed=low),
        area("s", high, [criterion("s.1", low, "met")], claimed=high),
    ], framework="b-fw", levels=levels, **extra)


def test_two_editions_through_a_crosswalk_that_merges_areas():
    forward, backward = walks()
    comparison = c.compare_pair(edition_a(), edition_b(), "a.json", "b.json", crosswalk=forward)
    assert comparison.crosswalk == "a-to-b" and comparison.levels_comparable is True
    # p-r, q-s and q-r link all four areas into one group, compared once.
    assert len(comparison.groups) == 1
    group = comparison.groups[0]
    assert (group.a.areas, group.b.areas) == (["p", "q"], ["r", "s"])
    assert (group.a.claimed, group.a.evidence, group.b.claimed, group.b.evidence) == (
        "achieving", "developing", "developing", "developing")
    assert [(x.a.id, x.b.id, x.group, x.relation) for x in comparison.areas] == [
        ("p", "r", 0, "changed"), ("q", "s", 0, "changed"), ("q", "r", 0, "changed")]
    assert [x.disagreement for x in comparison.areas] == [["one_edition_only"], ["claim_above_evidence"],
                                                         ["claim_above_evidence"]]
    assert [(r.either.id, r.relation, r.note) for r in comparison.criteria] == [
        ("p.1", "same", ""), ("q.1", "changed", "reworded"), ("p.2", "only_a", ""), ("r.3", "only_b", ""),
        ("p.9", "only_a", "")]
    assert [r.local_only for r in comparison.criteria] == [False, False, False, False, True]
    counts = comparison.counts
    assert (counts.area_pairs, counts.groups, counts.criteria_compared, counts.criteria_same,
            counts.criteria_same_outcome, counts.criteria_claims_differ, counts.local_criteria) == (3, 1, 2, 2, 2, 0, 1)
    assert (counts.only.a.criteria, counts.only.b.criteria, counts.only.a.areas, counts.only.b.areas) == (1, 1, 0, 0)
    agreement = {g.between: (g.items, g.same, g.rate_pct, g.kappa) for g in comparison.agreement}
    assert agreement == {"a_b": (1, 0, 0.0, 0.0), "a_evidence": (1, 0, 0.0, 0.0), "b_evidence": (1, 1, 100.0, 1.0),
                         "evidence": (1, 1, 100.0, 1.0)}
    assert comparison.a.overall_maps_to == [] and comparison.b.overall_maps_to == []
    # Given the other way round, with the crosswalk read backwards, it is the same comparison swapped.
    back = c.compare_pair(edition_b(), edition_a(), "b.json", "a.json", crosswalk=backward)
    assert back.model_dump() == c.swap(comparison).model_dump()


def test_two_editions_with_different_levels():
    from efl.core.crosswalk import LevelMatch

    levels = [{"id": "level-1", "title": "Level 1"}, {"id": "level-2", "title": "Level 2"}]
    forward, _ = walks({"achieving": [LevelMatch("level-2", "high", "guide p. 4")]},
                       {"level-1": [LevelMatch("developing", "low", "guide p. 5"),
                                    LevelMatch("achieving", "low", "guide p. 6")]})
    comparison = c.compare_pair(edition_a(overall_level="achieving"), edition_b(levels, overall_level="level-1"),
                                "a.json", "b.json", crosswalk=forward)
    assert comparison.levels_comparable is False
    assert [(m.level, m.confidence, m.source) for m in comparison.a.overall_maps_to] == [("level-2", "high", "guide p. 4")]
    assert [(m.level, m.confidence, m.source) for m in comparison.b.overall_maps_to] == [
        ("developing", "low", "guide p. 5"), ("achieving", "low", "guide p. 6")]
    assert [(g.items, g.rate_pct, g.kappa) for g in comparison.agreement] == [(0, None, None)] * 4
    assert comparison.a.overall == "achieving" and comparison.b.overall == "level-1"


# --- one side's views ----------------------------------------------------------------------------------

def test_what_was_agreed():
    r = result([{**area("x", "achieving", [criterion("x.1", "developing", "met")]), "agreed_level": "developing",
                 "agreed_reason": "older result"},
                area("y", "developing", [criterion("y.1", "developing", "met")])])
    from efl.core.models import Agreed

    r.assessment.agreed = {"y": Agreed(level="achieving", reason="seen on the visit"),
                           "y.1": Agreed(outcome="not met", reason="no plan")}
    assert c._agreed(r, "y", area=True) == c.AgreedView(value="achieving", reason="seen on the visit")
    assert c._agreed(r, "y.1", area=False) == c.AgreedView(value="not_met", reason="no plan")
    # A result saved before schema 1.2 kept an agreed level on the area only.
    assert c._agreed(r, "x", area=True) == c.AgreedView(value="developing", reason="older result")
    assert c._agreed(r, "x", area=False) is None
    assert c._agreed(r, "x.1", area=False) is None
    assert c._agreed(r, "z", area=True) is None


def test_the_record_of_a_challenge():
    from efl.core.models import AgreedAction, Challenge, EvidenceRequest, Feedback, SignOff

    assert c._record(self_result()) is None
    for field, value in (("challenges", [Challenge(id="c1", about="x", question="Why?")]),
                         ("evidence_requests", [EvidenceRequest(id="r1", about="x", what="the plan",
                                                                requested="2025-06-01")]),
                         ("agreed_actions", [AgreedAction(about="x", what="Publish", owner="Head of HR",
                                                          due="2025-12-31")]),
                         ("sign_off", SignOff()), ("feedback", Feedback())):
        r = self_result()
        setattr(r.assessment, field, value)
        record = c._record(r)
        assert record is not None and getattr(record, field) == value


def test_an_area_claimed_not_yet_at_the_first_level():
    r = result([area("x", "developing", [criterion("x.1", "developing", "met")], claimed="not_yet"),
                area("y", None, [criterion("y.1", "developing", "not_met")])])
    x, y = (c._area_side(r, a) for a in r.areas)
    assert (x.claimed, x.judged, x.evidence) == (None, True, "developing")
    assert (y.claimed, y.judged, y.evidence) == (None, False, None)
    both = c._group(["x", "y"], ["x", "y"], {"a": {a.id: a for a in r.areas}, "b": {a.id: a for a in r.areas}},
                    {"a": r, "b": r})
    assert (both.a.claimed, both.a.judged, both.a.evidence) == (None, False, None)
    one = c._group(["x"], ["x"], {"a": {a.id: a for a in r.areas}, "b": {a.id: a for a in r.areas}}, {"a": r, "b": r})
    assert (one.a.claimed, one.a.judged, one.a.evidence) == (None, True, "developing")


def test_a_criterions_side():
    r = result([area("x", "developing", [criterion("x.1", "developing", "not_met",
                                                   local=[("rule", "threshold 60%"), ("action", "owner changed")],
                                                   waived=True)])],
               claims={"x.1": {"outcome": "met", "note": "we think so", "seen_on_visit": ["a poster"]}})
    side = c._criterion_side(r, "x", r.areas[0].criteria[0])
    assert (side.id, side.area, side.level, side.outcome, side.claim, side.note, side.seen_on_visit) == (
        "x.1", "x", "developing", "not_met", "met", "we think so", ["a poster"])
    assert (side.local, side.waived, side.added, side.judged) == ("threshold 60%; owner changed", True, False, "met")
    plain = c._criterion_side(self_result(), "x", self_result().areas[0].criteria[0])
    assert (plain.claim, plain.note, plain.seen_on_visit, plain.judged, plain.local) == (None, "", [], "met", "")
    assert c._added(self_result().areas[0].criteria[0]) is False
    assert c._added(peer_result().areas[0].criteria[3]) is True


def test_area_reasons_through_a_crosswalk_worked_by_hand():
    from efl.core.crosswalk import Pair

    a = result([
        area("p", "achieving", [criterion("p.1", "achieving", "met"), criterion("p.2", "developing", "met"),
                                criterion("p.3", "achieving", "met")], claimed="achieving"),
        area("q", "achieving", [criterion("q.1", "achieving", "met")], claimed="achieving"),
        area("t", "developing", [criterion("t.9", "achieving", "not_met")], claimed="developing"),
        area("v", "developing", [criterion("v.7", "achieving", "not_applicable"),
                                 criterion("v.8", "achieving", "met")], claimed="developing"),
        area("z", "developing", [], claimed="developing"),
    ], framework="a-fw")
    b = result([
        area("r", "developing", [criterion("r.2", "developing", "not_met", problem="missing_evidence"),
                                 criterion("r.3", "achieving", "met"), criterion("r.9", "achieving", "not_met")],
             claimed="developing"),
        area("s", "developing", [criterion("s.1", "achieving", "not_met", problem="stale_evidence"),
                                 criterion("s.2", "achieving", "not_met", problem="missing_evidence")],
             claimed="developing"),
        area("u", "achieving", [], claimed="achieving"),
        area("w", "achieving", [], claimed="developing"),
        area("z2", "developing", []),
    ], framework="b-fw")
    walk = Walk("a-to-b", [Pair("p", "r", "changed"), Pair("q", "s", "changed"), Pair("t", "u", "same"),
                           Pair("v", "w", "same"), Pair("z", "z2", "same")],
                [Pair("p.1", "s.1", "changed"), Pair("q.1", "s.2", "same"), Pair("p.2", "r.2", "same"),
                 Pair("p.3", "r.3", "same"), Pair("t.9", None, "only_a"), Pair("v.7", None, "only_a"),
                 Pair("v.8", None, "only_a"), Pair(None, "r.9", "only_b")])
    comparison = c.compare_pair(a, b, "a.json", "b.json", crosswalk=walk)
    rows = {(x.a.id, x.b.id): x for x in comparison.areas}
    # p-r: s.1 (paired with p.1) fails on B at Achieving, between the two levels; B has r.9 only.
    assert (rows["p", "r"].disagreement, rows["p", "r"].because_of) == (["changed_criterion", "one_edition_only"],
                                                                        ["b:s.1"])
    # q-s: both criteria in B's s count, whichever of A's areas they pair with.
    assert (rows["q", "s"].disagreement, rows["q", "s"].because_of) == (["changed_criterion", "different_settings"],
                                                                        ["b:s.1", "b:s.2"])
    # t-u: A is lower, and A alone has t.9, not met.
    assert (rows["t", "u"].disagreement, rows["t", "u"].because_of) == (["one_edition_only"], [])
    # v-w: the same claim, different evidence, and A's own criteria there pass: nothing to point at.
    assert (rows["v", "w"].same_claim, rows["v", "w"].same_evidence, rows["v", "w"].disagreement) == (
        True, False, ["no_criterion_differs"])
    # z-z2: B did not claim a level, and the evidence agrees: no difference to explain.
    assert (rows["z", "z2"].same_claim, rows["z", "z2"].same_evidence, rows["z", "z2"].disagreement) == (
        None, True, [])
    agreement = {g.between: (g.items, g.same, g.rate_pct, g.kappa) for g in comparison.agreement}
    assert agreement["a_b"] == (4, 1, 25.0, -0.5)          # p_o 3/4, p_e 5/6
    assert agreement["evidence"] == (5, 1, 20.0, -0.6667)  # p_o 11/15, p_e 21/25: -2/3


def test_area_reasons_on_both_sides_seen_on_the_visit():
    mine = self_result(claims={"x.3": {"outcome": "met", "seen_on_visit": ["a poster"]}})
    mine.areas[0].claimed_level = "excellent"
    peer = peer_result(claims={"x.1": {"outcome": "not met", "seen_on_visit": ["an empty notice board"]}})
    peer.areas[0].claimed_level = "achieving"
    comparison = c.compare_pair(mine, peer, "self.json", "peer.json")
    rows = {r.either.id: r for r in comparison.criteria}
    assert (rows["x.3"].disagreement, rows["x.3"].side) == ("seen_on_visit", "a")
    assert (rows["x.1"].disagreement, rows["x.1"].side) == ("seen_on_visit", "b")
    x = comparison.areas[0]
    assert x.disagreement == ["seen_on_visit", "local_criterion", "stale_evidence"]
    assert x.because_of == ["a:x.3", "b:x.1", "b:x.2"]


def test_an_area_claim_above_the_evidence_with_a_criterion_claim_not_seen_on_the_visit():
    mine = self_result(claims={"y.2": {"outcome": "met"}})
    comparison = c.compare_pair(mine, peer_result(), "self.json", "peer.json")
    rows = {r.either.id: r for r in comparison.criteria}
    assert (rows["y.2"].disagreement, rows["y.2"].side) == ("claim_above_evidence", "a")
    assert comparison.areas[1].disagreement == ["claim_above_evidence"]
    assert comparison.areas[1].because_of == []


def test_evidence_used_to_decide_whether_a_criterion_applies():
    r = result([area("x", "achieving", [
        {**criterion("x.1", "developing", "met"), "applies": trace("met", evidence=["e5"])}])],
        evidence=[("e5", "s5")])
    assert [(u.id, u.sha256) for u in c._evidence(r, r.areas[0].criteria[0])] == [("e5", "s5")]


def test_an_areas_side_keeps_the_claims_note_what_was_seen_and_what_was_agreed():
    from efl.core.models import Agreed

    r = result([area("x", "achieving", [criterion("x.1", "developing", "met")], claimed="excellent")],
               claims={"x": {"level": "excellent", "note": "our own view", "seen_on_visit": ["the forum minutes"]}})
    r.assessment.agreed = {"x": Agreed(level="achieving", reason="agreed at the visit"),
                           "x.1": Agreed(outcome="met", reason="seen")}
    side = c._area_side(r, r.areas[0])
    assert (side.note, side.seen_on_visit, side.claimed, side.judged) == ("our own view", ["the forum minutes"],
                                                                          "excellent", True)
    assert side.agreed == c.AgreedView(value="achieving", reason="agreed at the visit")
    criterion_side = c._criterion_side(r, "x", r.areas[0].criteria[0])
    assert criterion_side.agreed == c.AgreedView(value="met", reason="seen")
    plain = c._area_side(self_result(), self_result().areas[0])
    assert (plain.note, plain.seen_on_visit, plain.agreed) == ("", [], None)


def test_a_side_carries_what_its_result_says():
    from efl.core.models import Challenge

    r = self_result(hypothetical=True, assumptions=[{"fact": "a.rate", "value": 50, "source": "--assume"}])
    r.assessment.evidence_from = "../bexley"
    r.assessment.challenges = [Challenge(id="c1", about="x", question="Why?")]
    side = c.side_of(r, "A", "a.json")
    assert side.evidence_from == "../bexley"
    assert side.record is not None and side.record.challenges[0].id == "c1"
    assert side.hypothetical is True and [x.fact for x in side.assumptions] == ["a.rate"]
    assert side.waivers == [] and side.tailoring is None
    assert side.overall is None


def test_areas_only_one_edition_has_and_an_area_paired_twice():
    from efl.core.crosswalk import Pair

    a = result([area("p", "developing", [criterion("p.1", "developing", "met")], claimed="developing"),
                area("m", "achieving", [criterion("m.1", "developing", "met")])], framework="a-fw")
    b = result([area("r", "developing", [criterion("r.1", "developing", "met")], claimed="developing"),
                area("s", "developing", [], claimed="developing"), area("n", "achieving", [])], framework="b-fw")
    walk = Walk("a-to-b", [Pair("p", "r", "same"), Pair("p", "s", "changed"), Pair("m", None, "only_a"),
                           Pair(None, "n", "only_b")], [Pair("p.1", "r.1", "same")])
    comparison = c.compare_pair(a, b, "a.json", "b.json", crosswalk=walk)
    assert [(x.relation, x.group, x.a.id if x.a else None, x.b.id if x.b else None) for x in comparison.areas] == [
        ("same", 0, "p", "r"), ("changed", 0, "p", "s"), ("only_a", None, "m", None), ("only_b", None, None, "n")]
    assert [(x.same_claim, x.same_evidence, x.disagreement) for x in comparison.areas[2:]] == [(None, None, [])] * 2
    assert len(comparison.groups) == 1
    assert (comparison.groups[0].a.areas, comparison.groups[0].b.areas) == (["p"], ["r", "s"])
    counts = comparison.counts
    assert (counts.area_pairs, counts.groups, counts.only.a.areas, counts.only.b.areas) == (2, 1, 1, 1)
    assert (counts.criteria_compared, counts.criteria_same, counts.only.a.criteria, counts.only.b.criteria) == (1, 1, 0, 0)
    assert [r.either.id for r in comparison.criteria] == ["p.1"]
