"""Comparing two results: a self-assessment against a peer judgement (or any two results of a council).

Everything here works on saved ``Result`` objects, so a comparison never re-runs a plugin and can
be repeated years later. Three views of each area are kept apart: what each side claimed, what the
evidence supports (the engine's verdict), and, after a peer challenge, what was agreed.

Symmetric by construction: the comparison is always worked out with the two results in one
canonical order (see :func:`_canonical_first`) and, when they were given the other way round, the
finished comparison has its sides swapped (:func:`swap`). Every row holds its two sides as one structure (``row.a``
and ``row.b``, the same model each), so swapping is exchanging them. ``efl compare A B`` and ``efl compare B A`` therefore give the same pairs,
figures and classifications, sides swapped.

Across editions a crosswalk pairs areas and criteria. Each pairing is one row; areas that one
edition merged (or split) form one *group*, compared once at the lower of its levels, so nothing
is counted twice. Criteria with no counterpart are listed as not comparable and counted.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel

from efl.core.vocabulary import same_name
from efl.errors import Diagnostic, InputError, UsageError
from efl.workforce.measures import weighted_kappa
from efl.core.models import (NOT_YET, AgreedAction, Assumption, Challenge, CriterionResult, EvidenceRequest, Feedback,
                             Level, LevelOrder, Result, SignOff, TailoringRef, Trace, WaiverRecord)

COMPARISON_SCHEMA = "3.0"  # 3.0: each row's two sides as one structure (row.a, row.b); reasons by what made them

Disagreement = Literal["seen_on_visit", "claim_above_evidence", "claim_below_evidence", "waived", "local_criterion",
                       "assumed", "different_dates",
                       "changed_criterion", "different_settings", "stale_evidence", "missing_evidence",
                       "different_evidence", "different_reading", "one_edition_only", "no_criterion_differs"]
DISAGREEMENT_LABELS = {
    "seen_on_visit": "evidence seen on the visit",
    "claim_above_evidence": "claim above the evidence",
    "claim_below_evidence": "claim below the evidence",
    # A council's own choices, not a disagreement about the edition: a waiver it approved, a criterion
    # or threshold of its local tailoring, a figure a what-if assumed.
    "waived": "waived on one side",
    "local_criterion": "a local criterion or threshold",
    "assumed": "a what-if's assumed figure",
    "different_dates": "time window (a later date changed a criterion's outcome)",
    "changed_criterion": "edition (the criterion changed between editions)",
    "different_settings": "different assessment settings",
    "stale_evidence": "stale evidence",
    "missing_evidence": "missing evidence",
    "different_evidence": "different evidence",
    "different_reading": "different reading of the same evidence",
    "one_edition_only": "criteria only in one edition",
    "no_criterion_differs": "no criterion differs",
}
AgreementKind = Literal["a_b", "a_evidence", "b_evidence", "evidence"]
AGREEMENT_ORDER = ("a_b", "a_evidence", "b_evidence", "evidence")
SIDES = ("a", "b")
# Fewer items than this and kappa says little: the report says so beside the figure.
FEW_ITEMS = 10


class EvidenceUse(BaseModel):
    id: str
    file: str | None
    sha256: str | None


class AgreedView(BaseModel):
    """What was agreed after a challenge: a level (area) or an outcome (criterion), and why."""

    value: str | None
    reason: str


class PeerRecord(BaseModel):
    """The record of a challenge kept with one side's result."""

    challenges: list[Challenge] = []
    evidence_requests: list[EvidenceRequest] = []
    agreed_actions: list[AgreedAction] = []
    sign_off: SignOff | None = None
    feedback: Feedback | None = None


class LevelMatchView(BaseModel):
    level: str | None
    confidence: str
    source: str


class Side(BaseModel, LevelOrder):
    """One side of the comparison: whose judgement, when, against what, and its overall level."""

    label: str            # "A" or "B": the order given on the command line
    source: str
    council: str
    role: str
    date: str
    assessor: str
    framework: str
    framework_title: str
    evidence_from: str | None = None
    levels: list[Level] = []
    overall: str | None = None
    overall_maps_to: list[LevelMatchView] = []  # through the crosswalk's level mapping
    record: PeerRecord | None = None
    # A what-if result is never the council's own: it is named as such wherever it is shown.
    hypothetical: bool = False
    assumptions: list[Assumption] = []
    tailoring: TailoringRef | None = None
    waivers: list[WaiverRecord] = []  # the waivers this side's council approved

    @property
    def name(self) -> str:
        """How people call this side: the council for a self-assessment, the team for a peer judgement."""
        if self.role == "peer":
            return self.assessor or "the peer team"
        return self.council


class CriterionSide(BaseModel):
    """One side's view of a criterion: the evidence's outcome, any claim, and what was agreed."""

    id: str
    title: str
    area: str
    level: str
    outcome: str
    claim: str | None = None
    note: str = ""
    seen_on_visit: list[str] = []
    agreed: AgreedView | None = None
    evidence: list[EvidenceUse] = []
    local: str = ""       # how this side's local tailoring changed the criterion ("" for the edition's own)
    waived: bool = False  # this side's council waived it
    added: bool = False   # this side's local tailoring added it

    @property
    def judged(self) -> str:
        return self.claim or self.outcome


class CriterionComparison(BaseModel):
    relation: Literal["same", "changed", "only_a", "only_b"]
    a: CriterionSide | None = None
    b: CriterionSide | None = None
    disagreement: Disagreement | None = None
    side: Literal["a", "b"] | None = None  # whose claim or evidence the difference rests on
    explanation: str = ""
    note: str = ""  # the crosswalk's note on the pairing

    @property
    def comparable(self) -> bool:
        return self.relation in ("same", "changed")

    @property
    def local_only(self) -> bool:
        """A criterion only one side has because its tailoring added it (not a gap in the edition)."""
        return (self.relation == "only_a" and self.a.added) or (self.relation == "only_b" and self.b.added)

    @property
    def either(self) -> CriterionSide:
        return self.a or self.b  # type: ignore[return-value]


class AreaSide(BaseModel):
    """One side's view of an area: its claim (if any), the evidence's level, notes, what was agreed."""

    id: str
    title: str
    claimed: str | None = None   # the level claimed; None with ``judged`` is "not yet the first level"
    judged: bool = False         # a level was claimed
    evidence: str | None = None  # the level the evidence supports
    note: str = ""
    seen_on_visit: list[str] = []
    agreed: AgreedView | None = None


class AreaComparison(BaseModel):
    """One pairing of areas (one area with itself within an edition)."""

    relation: Literal["same", "changed", "only_a", "only_b"]
    group: int | None  # index into Comparison.groups; None when not comparable
    a: AreaSide | None = None
    b: AreaSide | None = None
    same_claim: bool | None = None      # None unless both sides claimed a level
    same_evidence: bool | None = None   # the evidence's verdicts at the two dates
    disagreement: list[Disagreement] = []
    # The criteria (by side and id) whose difference moves the levels apart: what the reasons rest on.
    because_of: list[str] = []
    note: str = ""

    @property
    def either(self) -> AreaSide:
        return self.a or self.b  # type: ignore[return-value]


class GroupSide(BaseModel):
    areas: list[str]
    claimed: str | None   # the lowest claim; None unless every area of this side was claimed (or not yet)
    evidence: str | None  # the lowest level the evidence supports
    judged: bool


class GroupComparison(BaseModel):
    """What agreement counts once: one area, or the areas one edition merged into one."""

    a: GroupSide
    b: GroupSide


class Agreement(BaseModel):
    """How often two views put a group at the same level, and Cohen's kappa (linear weights)."""

    between: AgreementKind
    items: int
    same: int
    rate_pct: float | None
    kappa: float | None
    note: str = ""


class OnlyCounts(BaseModel):
    areas: int = 0
    criteria: int = 0


class OnlyPair(BaseModel):
    a: OnlyCounts
    b: OnlyCounts


class Counts(BaseModel):
    area_pairs: int
    groups: int
    criteria_compared: int
    criteria_same: int            # the same judgement (claim, or else the evidence) and the same evidence
    criteria_same_outcome: int    # the evidence alone gives the same outcome
    criteria_claims_differ: int   # judged differently where a side claims an outcome (not the evidence alone)
    only: OnlyPair                # what one edition has and the other lacks (not the sides' local criteria)
    local_criteria: int = 0       # criteria only one side has because its local tailoring added them


class Comparison(BaseModel):
    schema_version: str = COMPARISON_SCHEMA
    a: Side
    b: Side
    crosswalk: str | None = None
    different_councils: bool = False
    levels_comparable: bool = True
    areas: list[AreaComparison]
    groups: list[GroupComparison]
    criteria: list[CriterionComparison]
    agreement: list[Agreement]
    counts: Counts


# --- helpers ---------------------------------------------------------------------------------------


def side_of(result: Result, label: str, source: str) -> Side:
    a = result.assessment
    return Side(label=label, source=source, council=a.council, role=a.assessor.role, date=a.date.isoformat(),
                assessor=a.assessor.name or a.assessor.organisation, framework=framework_key(result),
                framework_title=result.framework.title, evidence_from=a.evidence_from,
                levels=result.framework.levels, overall=result.overall_level, record=_record(result),
                hypothetical=result.hypothetical, assumptions=result.assumptions,
                tailoring=result.framework.tailoring, waivers=result.waivers)


def framework_key(result: Result) -> str:
    return f"{result.framework.id} {result.framework.version}"


def require_same_framework(results: list[tuple[str, Result]]) -> None:
    """Refuse to mix editions or versions: the same criterion id may not mean the same thing."""
    keys = {framework_key(r) for _, r in results}
    if len(keys) > 1:
        found = "; ".join(f"{src}: {framework_key(r)}" for src, r in results)
        raise InputError([Diagnostic(src, message=f"assessed against {framework_key(r)}, but the results compared "
                                     "use different frameworks or versions (expected one framework and version, "
                                     f"or editions a crosswalk links; found {found})") for src, r in results])


def problems(trace: Trace) -> set[str]:
    """The kinds of problem behind a failing trace (missing, stale, no figure, below standard)."""
    found = set()
    if trace.outcome in ("not_met", "insufficient_evidence") and trace.problem:
        found.add(trace.problem)
    for child in trace.children:
        found |= problems(child)
    return found


def _walk(trace: Trace):  # noqa: ANN202
    yield trace
    for child in trace.children:
        yield from _walk(child)


def _evidence(result: Result, criterion: CriterionResult) -> list[EvidenceUse]:
    """Every evidence item the criterion's whole trace touched, directly or through a fact."""
    refs = {e.id: e for e in result.evidence}
    traces = [criterion.trace] + ([criterion.applies] if criterion.applies else [])
    ids = {e for t in traces for node in _walk(t) for e in node.evidence}
    names = {f for t in traces for node in _walk(t) for f in node.facts} | set(criterion.facts)
    ids |= set(criterion.evidence) | {e for f in result.facts if f.name in names for e in f.evidence}
    return [EvidenceUse(id=i, file=refs[i].file if i in refs else None, sha256=refs[i].sha256 if i in refs else None)
            for i in sorted(ids)]


# Which outcome "fails" when two differ: the lower one here (met and not applicable both pass).
_PASS_ORDER = {"met": 2, "not_applicable": 2, "insufficient_evidence": 1, "not_met": 0}


def classify(ca: CriterionResult, cb: CriterionResult, a_claim, b_claim, a_used: list[EvidenceUse],  # noqa: ANN001
             b_used: list[EvidenceUse], a_date: str, b_date: str, relation: str
             ) -> tuple[Disagreement | None, Literal["a", "b"] | None, str]:
    """What made two sides judge a criterion differently, in the order a peer team would look.

    A side's judgement is its claim, else the evidence's outcome. When the judgements differ because a
    claim departs from that side's own evidence, the claim is the reason (resting on what was seen on
    the visit, or above or below the evidence); when the evidence itself gives different outcomes,
    what differs between the two sides' evidence is (a time window, the edition, the settings, the
    files). Depends only on the two sides' values, never on which is first, so swapping them swaps
    ``side``.
    """
    a_j = a_claim.outcome if a_claim and a_claim.outcome else ca.outcome
    b_j = b_claim.outcome if b_claim and b_claim.outcome else cb.outcome
    if a_j == b_j and ca.outcome == cb.outcome:
        return None, None, ""
    if a_j != b_j:
        for side, claim, verdict in (("a", a_claim, ca.outcome), ("b", b_claim, cb.outcome)):
            if claim and claim.outcome and claim.outcome != verdict and claim.seen_on_visit:
                return "seen_on_visit", side, "; ".join(claim.seen_on_visit)  # the label says the rest
        departing = [(s, claim, verdict) for s, claim, verdict in (("a", a_claim, ca.outcome), ("b", b_claim, cb.outcome))
                     if claim and claim.outcome and claim.outcome != verdict]
        if ca.outcome == cb.outcome and len(departing) == 1:
            side, claim, verdict = departing[0]
            higher = _PASS_ORDER[claim.outcome] > _PASS_ORDER[verdict]
            words = OUTCOME_WORDS.get(claim.outcome, claim.outcome), OUTCOME_WORDS.get(verdict, verdict)
            return ("claim_above_evidence" if higher else "claim_below_evidence"), side, (
                f"claims {words[0]} where its own evidence gives {words[1]}")
    if ca.outcome != cb.outcome:
        same_files = {(e.id, e.sha256) for e in a_used} == {(e.id, e.sha256) for e in b_used}
        rank_a, rank_b = _PASS_ORDER[ca.outcome], _PASS_ORDER[cb.outcome]
        failing_side = None if rank_a == rank_b else ("a" if rank_a < rank_b else "b")
        failing = {"a": ca, "b": cb}.get(failing_side or "")
        reasons = "; ".join(failing.reasons) if failing else ""
        if same_files and relation == "changed" and a_date == b_date:
            return "changed_criterion", failing_side, ("the same files meet one edition's wording of the "
                                                       "criterion and not the other's")
        if same_files and a_date != b_date:
            later = "a" if a_date > b_date else "b"
            return "different_dates", failing_side or later, (
                f"the same files, judged on {_long(max(a_date, b_date))} rather than {_long(min(a_date, b_date))}"
                + (f": {reasons}" if reasons else ""))
        if same_files:
            return "different_settings", failing_side, ("the same files, but the assessments differ in their "
                                                        "period, council size or local characteristics")
        kinds = problems(failing.trace) if failing else set()
        if "stale_evidence" in kinds:
            return "stale_evidence", failing_side, f"evidence out of date: {reasons}"
        if kinds & {"missing_evidence", "no_figure"}:
            return "missing_evidence", failing_side, f"lacks evidence the other side has: {reasons}"
        return "different_evidence", failing_side, "the two sides relied on different evidence files"
    overriding = [s for s, claim, verdict in (("a", a_claim, ca.outcome), ("b", b_claim, cb.outcome))
                  if claim and claim.outcome and claim.outcome != verdict]
    return "different_reading", overriding[0] if len(overriding) == 1 else None, \
        "the same evidence, judged differently"


def _long(iso: str) -> str:
    import datetime as dt

    from efl.reports.report_text import long_date

    return long_date(dt.date.fromisoformat(iso))


OUTCOME_WORDS = {"met": "met", "not_met": "not met", "not_applicable": "not applicable",
                 "insufficient_evidence": "insufficient evidence"}


def _added(c: CriterionResult) -> bool:
    return any(x.kind == "added" for x in c.local)


def local_difference(ca: CriterionResult, cb: CriterionResult, a: Result, b: Result
                     ) -> tuple[Disagreement, Literal["a", "b"], str] | None:
    """A difference that rests on one side's own choices rather than on the evidence: a waiver it approved,
    a threshold its local tailoring changed, or a figure a what-if assumed. None when there is none."""
    if ca.outcome == cb.outcome:
        return None
    if ca.waived != cb.waived:
        side = "a" if ca.waived else "b"
        return "waived", side, "that side's waiver makes the criterion not applicable"
    for side, c, other in (("a", ca, cb), ("b", cb, ca)):
        if c.local and [x.note for x in c.local] != [x.note for x in other.local]:
            return "local_criterion", side, "; ".join(x.note for x in c.local)
    for side, c, result in (("a", ca, a), ("b", cb, b)):
        assumed = sorted(x.description or x.fact for x in result.assumptions if x.fact in c.facts)
        if assumed:
            return "assumed", side, f"rests on a figure that side's what-if assumed ({'; '.join(assumed)})"
    return None


def _agreed(result: Result, key: str, area: bool) -> AgreedView | None:
    entry = result.assessment.agreed.get(key)
    if entry is not None:
        return AgreedView(value=entry.level if area else entry.outcome, reason=entry.reason)
    if area:  # results saved before schema 1.2 kept agreed levels only on the area
        found = next((x for x in result.areas if x.id == key and x.agreed_reason), None)
        if found:
            return AgreedView(value=found.agreed_level, reason=found.agreed_reason)
    return None


def _record(result: Result) -> PeerRecord | None:
    a = result.assessment
    if not (a.challenges or a.evidence_requests or a.agreed_actions or a.sign_off or a.feedback):
        return None
    return PeerRecord(challenges=a.challenges, evidence_requests=a.evidence_requests,
                      agreed_actions=a.agreed_actions, sign_off=a.sign_off, feedback=a.feedback)


# --- symmetry --------------------------------------------------------------------------------------

_SWAP_VALUES = {"side": {"a": "b", "b": "a"}, "relation": {"only_a": "only_b", "only_b": "only_a"},
                "between": {"a_evidence": "b_evidence", "b_evidence": "a_evidence"},
                "label": {"A": "B", "B": "A"}}


def _swap_data(value, key: str | None = None):  # noqa: ANN001, ANN202
    """Exchange the sides: every ``a`` and ``b`` key, and the few values that name a side."""
    if isinstance(value, dict):
        return {({"a": "b", "b": "a"}.get(k, k)): _swap_data(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap_data(v, key) for v in value]
    if key == "because_of" and isinstance(value, str) and value[:2] in ("a:", "b:"):
        return {"a:": "b:", "b:": "a:"}[value[:2]] + value[2:]
    return _SWAP_VALUES.get(key or "", {}).get(value, value) if isinstance(value, str) else value


def swap(c: Comparison) -> Comparison:
    """The same comparison with A and B exchanged."""
    data = _swap_data(c.model_dump(mode="json"))
    data["agreement"].sort(key=lambda g: AGREEMENT_ORDER.index(g["between"]))
    for area in data["areas"]:
        area["because_of"].sort()
    return Comparison.model_validate(data)


def _canonical_first(a: Result, a_source: str, b: Result, b_source: str) -> bool:
    """True when ``a`` comes first in the canonical order: any fixed order of the pair will do."""

    def key(r: Result, source: str) -> tuple:
        return (r.framework.id, r.framework.version, r.assessment.date.isoformat(), r.assessment.assessor.role,
                r.assessment.council, source)

    if key(a, a_source) != key(b, b_source):
        return key(a, a_source) < key(b, b_source)
    # Only two different results from the same source and date get this far: their content decides.
    return hashlib.sha256(a.model_dump_json().encode()).digest() <= hashlib.sha256(b.model_dump_json().encode()).digest()


# --- self / peer / evidence ------------------------------------------------------------------------


def compare_pair(a: Result, b: Result, a_source: str, b_source: str, crosswalk=None,  # noqa: ANN001
                 different_councils: bool = False) -> Comparison:
    """Compare two results (usually a self-assessment and a peer judgement of one council).

    With a ``crosswalk`` read from A's edition to B's, areas and criteria are paired through it;
    without one the frameworks must match. Two councils are compared only when asked for.
    """
    if crosswalk is None:
        require_same_framework([(a_source, a), (b_source, b)])
    if not same_name(a.assessment.council, b.assessment.council) and not different_councils:
        raise UsageError(f"A is {a.assessment.council} and B is {b.assessment.council}: two different councils "
                         "(expected two results of one council, or --different-councils to compare them anyway)")
    if _canonical_first(a, a_source, b, b_source):
        return _compare(a, b, a_source, b_source, crosswalk)
    return swap(_compare(b, a, b_source, a_source, crosswalk.reversed() if crosswalk else None))


def _criterion_side(result: Result, area_id: str, c: CriterionResult) -> CriterionSide:
    claim = result.assessment.claims.get(c.id)
    return CriterionSide(id=c.id, title=c.title, area=area_id, level=c.level, outcome=c.outcome,
                         claim=claim.outcome if claim else None, note=claim.note if claim else "",
                         seen_on_visit=list(claim.seen_on_visit) if claim else [],
                         agreed=_agreed(result, c.id, area=False), evidence=_evidence(result, c),
                         local="; ".join(x.note for x in c.local), waived=c.waived, added=_added(c))


def _area_side(result: Result, x) -> AreaSide:  # noqa: ANN001
    claim = result.assessment.claims.get(x.id)
    claimed = x.claimed_level
    return AreaSide(id=x.id, title=x.title, claimed=None if claimed == NOT_YET else claimed,
                    judged=claimed is not None, evidence=x.level, note=claim.note if claim else "",
                    seen_on_visit=list(claim.seen_on_visit) if claim else [], agreed=_agreed(result, x.id, area=True))


def _compare(a: Result, b: Result, a_source: str, b_source: str, walk) -> Comparison:  # noqa: ANN001, C901
    from efl.core.crosswalk import Pair

    results = {"a": a, "b": b}
    area_of = {s: {x.id: x for x in r.areas} for s, r in results.items()}
    crit_of = {s: {c.id: (area.id, c) for area in r.areas for c in area.criteria} for s, r in results.items()}
    if walk is not None:
        area_pairs, criterion_pairs = walk.area_pairs, list(walk.criterion_pairs)
        # A crosswalk pairs the editions' own criteria; the sides' local ones are listed as local.
        criterion_pairs += [Pair(cid, None, "same") for cid, (_, c) in crit_of["a"].items() if _added(c)]
        criterion_pairs += [Pair(None, cid, "same") for cid, (_, c) in crit_of["b"].items() if _added(c)]
    else:
        area_pairs = [Pair(x.id, x.id, "same") for x in a.areas]
        # Within one edition a criterion only one side has is a local one (its tailoring added it).
        criterion_pairs = [Pair(cid, cid, "same") for cid in crit_of["a"]] + \
            [Pair(None, cid, "same") for cid in crit_of["b"] if cid not in crit_of["a"]]

    # Groups: areas linked through pairings, so a merged module is one item however it is read.
    group_of: dict[tuple[str, str], int] = {}
    groups: list[tuple[list[str], list[str]]] = []
    for p in area_pairs:
        if p.a is None or p.b is None:
            continue
        ga, gb = group_of.get(("a", p.a)), group_of.get(("b", p.b))
        if ga is None and gb is None:
            groups.append(([], []))
            index = len(groups) - 1
        elif ga is not None and gb is not None and ga != gb:
            index = min(ga, gb)  # join two groups (a many-to-many crosswalk)
            other = max(ga, gb)
            groups[index][0].extend(groups[other][0])
            groups[index][1].extend(groups[other][1])
            groups[other] = ([], [])
            for k, v in list(group_of.items()):
                if v == other:
                    group_of[k] = index
        else:
            index = ga if ga is not None else gb
        for side, ident in (("a", p.a), ("b", p.b)):
            if (side, ident) not in group_of:
                group_of[(side, ident)] = index
                groups[index][0 if side == "a" else 1].append(ident)
    kept = [i for i, g in enumerate(groups) if g[0]]
    renumber = {old: new for new, old in enumerate(kept)}

    a_date, b_date = a.assessment.date.isoformat(), b.assessment.date.isoformat()
    criteria: list[CriterionComparison] = []
    for p in criterion_pairs:
        found = {s: crit_of[s].get(ident) if ident else None for s, ident in (("a", p.a), ("b", p.b))}
        if found["a"] is None and found["b"] is None:
            continue
        both = found["a"] is not None and found["b"] is not None
        row = CriterionComparison(relation=p.relation if both else ("only_a" if found["a"] else "only_b"),
                                  note=p.note, **{s: _criterion_side(results[s], *found[s]) for s in SIDES
                                                  if found[s] is not None})
        if both:
            ca, cb = found["a"][1], found["b"][1]
            row.disagreement, row.side, row.explanation = local_difference(ca, cb, a, b) or classify(
                ca, cb, a.assessment.claims.get(ca.id), b.assessment.claims.get(cb.id),
                row.a.evidence, row.b.evidence, a_date, b_date, row.relation)
        criteria.append(row)

    areas: list[AreaComparison] = []
    for p in area_pairs:
        found = {s: area_of[s].get(ident) if ident else None for s, ident in (("a", p.a), ("b", p.b))}
        if found["a"] is None and found["b"] is None:
            continue
        both = found["a"] is not None and found["b"] is not None
        row = AreaComparison(relation=p.relation if both else ("only_a" if found["a"] else "only_b"),
                             group=renumber[group_of[("a", p.a)]] if both else None, note=p.note,
                             **{s: _area_side(results[s], found[s]) for s in SIDES if found[s] is not None})
        if both:
            _area_reasons(row, criteria, results)
        areas.append(row)

    levels_comparable = [lv.id for lv in a.framework.levels] == [lv.id for lv in b.framework.levels]
    group_rows = [_group(groups[i][0], groups[i][1], area_of, results) for i in kept]
    agreement = _agreements(group_rows, a, levels_comparable)

    def maps(r: Result, w) -> list[LevelMatchView]:  # noqa: ANN001
        if w is None or levels_comparable:
            return []
        return [LevelMatchView(level=m.level, confidence=m.confidence, source=m.source)
                for m in w.levels_for(r.overall_level)]

    compared = [c for c in criteria if c.comparable]
    only = OnlyPair(**{s: OnlyCounts(areas=sum(1 for x in areas if x.relation == f"only_{s}"),
                                     criteria=sum(1 for c in criteria if c.relation == f"only_{s}" and not c.local_only))
                       for s in SIDES})
    counts = Counts(area_pairs=sum(1 for x in areas if x.group is not None), groups=len(group_rows),
                    criteria_compared=len(compared),
                    criteria_same=sum(1 for c in compared if c.a.judged == c.b.judged and c.a.outcome == c.b.outcome),
                    criteria_same_outcome=sum(1 for c in compared if c.a.outcome == c.b.outcome),
                    criteria_claims_differ=sum(1 for c in compared if c.a.judged != c.b.judged
                                               and (c.a.claim or c.b.claim)),
                    only=only, local_criteria=sum(1 for c in criteria if c.local_only))
    side_a, side_b = side_of(a, "A", a_source), side_of(b, "B", b_source)
    side_a.overall_maps_to = maps(a, walk)
    side_b.overall_maps_to = maps(b, walk.reversed() if walk else None)
    return Comparison(a=side_a, b=side_b, crosswalk=walk.id if walk else None,
                      different_councils=not same_name(a.assessment.council, b.assessment.council),
                      levels_comparable=levels_comparable, areas=areas, groups=group_rows, criteria=criteria,
                      agreement=agreement, counts=counts)


def _area_reasons(row: AreaComparison, criteria: list[CriterionComparison], results: dict[str, Result]) -> None:
    """Why an area's levels differ, from what actually moves them apart.

    The claims differ: a side that claims above (or below) its own evidence is a reason by itself.
    The evidence's levels differ: only the criteria that pass on the higher side and fail on the lower
    one, at the levels between the two, move it; their reasons are the area's. A criterion that
    differs at a level neither side reaches changes nothing and is not a reason.
    """
    xa, xb = row.a, row.b
    row.same_evidence = xa.evidence == xb.evidence
    if xa.judged and xb.judged:
        row.same_claim = xa.claimed == xb.claimed
    kinds: set[str] = set()
    because: list[str] = []
    mine = [c for c in criteria if c.comparable and (c.a.area == xa.id or c.b.area == xb.id)]
    if row.same_claim is False:
        for s, x in (("a", xa), ("b", xb)):
            rank = results[s].framework.level_rank
            if rank(x.claimed) != rank(x.evidence):
                seen = [c for c in mine if getattr(c, s).claim and c.disagreement == "seen_on_visit" and c.side == s]
                if seen:
                    kinds.add("seen_on_visit")
                    because += [f"{s}:{getattr(c, s).id}" for c in seen]
                else:
                    kinds.add("claim_above_evidence" if rank(x.claimed) > rank(x.evidence) else "claim_below_evidence")
    if row.same_evidence is False:
        rank_a = results["a"].framework.level_rank(xa.evidence)
        rank_b = results["b"].framework.level_rank(xb.evidence)
        low, high = ("a", "b") if rank_a < rank_b else ("b", "a")
        low_rank, high_rank = min(rank_a, rank_b), max(rank_a, rank_b)
        for c in mine:
            lo, hi = getattr(c, low), getattr(c, high)
            level_rank = results[low].framework.level_rank(lo.level)
            if low_rank < level_rank <= high_rank and _PASS_ORDER[lo.outcome] < 2 <= _PASS_ORDER[hi.outcome]:
                if c.disagreement:
                    kinds.add(c.disagreement)
                because.append(f"{low}:{lo.id}")
        # A criterion only the lower side has, and not met there, can alone explain its lower level;
        # one its local tailoring added is the council's own, not the edition's.
        for c in criteria:
            lone = getattr(c, low)
            if c.relation == f"only_{low}" and lone.area == (xa.id if low == "a" else xb.id) \
                    and lone.outcome not in ("met", "not_applicable"):
                kinds.add("local_criterion" if c.local_only else "one_edition_only")
    if (row.same_claim is False or row.same_evidence is False) and not kinds:
        kinds.add("no_criterion_differs")
    row.disagreement = sorted(kinds, key=list(DISAGREEMENT_LABELS).index)
    row.because_of = sorted(set(because))


def _group(a_ids: list[str], b_ids: list[str], area_of: dict, results: dict[str, Result]) -> GroupComparison:
    def side(s: str, ids: list[str]) -> GroupSide:
        result, areas = results[s], area_of[s]
        rank = result.framework.level_rank
        judged = all(areas[i].claimed_level is not None for i in ids)
        claims = [None if areas[i].claimed_level == NOT_YET else areas[i].claimed_level for i in ids]
        return GroupSide(areas=ids, claimed=result.framework.lowest(claims) if judged else None,
                         evidence=result.framework.lowest(areas[i].level for i in ids), judged=judged)

    return GroupComparison(a=side("a", a_ids), b=side("b", b_ids))


def _agreements(groups: list[GroupComparison], a: Result, levels_comparable: bool) -> list[Agreement]:
    """Agreement and kappa only over what both views judged: an unclaimed area is no agreement."""
    levels = a.framework.levels
    rank = a.framework.level_rank
    k = len(levels) + 1  # "not yet at the first level" is a category too
    if not levels_comparable:
        return [Agreement(between=kind, items=0, same=0, rate_pct=None, kappa=None,
                          note="the two editions use different levels, so levels are not compared one to one")
                for kind in AGREEMENT_ORDER]
    views = {
        "a_b": [(g.a.claimed, g.b.claimed) for g in groups if g.a.judged and g.b.judged],
        "a_evidence": [(g.a.claimed, g.a.evidence) for g in groups if g.a.judged],
        "b_evidence": [(g.b.claimed, g.b.evidence) for g in groups if g.b.judged],
        "evidence": [(g.a.evidence, g.b.evidence) for g in groups],
    }
    out = []
    for kind in AGREEMENT_ORDER:
        pairs = [(rank(x), rank(y)) for x, y in views[kind]]
        same = sum(1 for x, y in pairs if x == y)
        kappa = weighted_kappa(pairs, k)
        n = len(pairs)
        note = ""
        if n == 0:
            note = "nothing to compare: no area was judged by both"
        elif n < FEW_ITEMS:
            note = f"kappa on {n} area{'s' if n != 1 else ''} is a rough guide only"
        out.append(Agreement(between=kind, items=n, same=same, rate_pct=round(same / n * 100, 1) if n else None,
                             kappa=round(kappa, 4) + 0.0 if kappa is not None else None, note=note))
    return out

