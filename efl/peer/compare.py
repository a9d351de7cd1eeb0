"""Comparing two results: a self-assessment against a peer judgement (or any two results of a council).

Everything here works on saved ``Result`` objects, so a comparison never re-runs a plugin and can
be repeated years later. Three views of each area are kept apart: what each side claimed, what the
evidence supports (the engine's verdict), and, after a peer challenge, what was agreed.

Symmetric by construction: the comparison is always worked out with the two results in one
canonical order (see :func:`_canonical_first`) and, when they were given the other way round, the
finished comparison has its sides swapped (:func:`swap`). Nothing in the model says "A" or "B" in
a sentence; every field that belongs to one side starts with ``a_`` or ``b_`` (or is ``side``), so
swapping is renaming. ``efl compare A B`` and ``efl compare B A`` therefore give the same pairs,
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
from efl.core.models import (AgreedAction, Assumption, Challenge, CriterionResult, EvidenceRequest, Level, Result, SignOff,
                             TailoringRef, Trace, WaiverRecord)

COMPARISON_SCHEMA = "2.0"  # 2.0: symmetric sides, crosswalk groups, agreement only over what both judged

Disagreement = Literal["seen_on_visit", "waived", "local_criterion", "assumed", "different_dates",
                       "changed_criterion", "different_settings", "stale_evidence", "missing_evidence",
                       "different_evidence", "different_reading", "one_edition_only", "no_criterion_differs"]
DISAGREEMENT_LABELS = {
    "seen_on_visit": "evidence seen during the visit",
    # A council's own choices, not a disagreement about the edition: a waiver it approved, a criterion
    # or threshold of its local tailoring, a figure a what-if assumed.
    "waived": "waived on one side",
    "local_criterion": "a local criterion or threshold",
    "assumed": "a what-if's assumed figure",
    "different_dates": "different assessment dates",
    "changed_criterion": "the criterion changed between editions",
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
# Fewer items than this and kappa says little: the report says so beside the figure.
FEW_ITEMS = 10


class Side(BaseModel):
    """Which result is which: shown as "A" and "B" in tables."""

    label: str
    source: str
    council: str
    role: str
    date: str
    assessor: str
    framework: str
    framework_title: str
    evidence_from: str | None = None
    # A what-if result is never the council's own: it is named as such wherever it is shown.
    hypothetical: bool = False
    assumptions: list[Assumption] = []
    tailoring: TailoringRef | None = None


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


class CriterionComparison(BaseModel):
    relation: Literal["same", "changed", "only_a", "only_b"]
    a_id: str | None
    b_id: str | None
    a_title: str | None = None
    b_title: str | None = None
    a_area: str | None = None
    b_area: str | None = None
    a_level: str | None = None
    b_level: str | None = None
    a_outcome: str | None = None
    b_outcome: str | None = None
    a_claim: str | None = None
    b_claim: str | None = None
    a_note: str = ""
    b_note: str = ""
    a_seen_on_visit: list[str] = []
    b_seen_on_visit: list[str] = []
    a_agreed: AgreedView | None = None
    b_agreed: AgreedView | None = None
    a_evidence: list[EvidenceUse] = []
    b_evidence: list[EvidenceUse] = []
    disagreement: Disagreement | None = None
    side: Literal["a", "b"] | None = None  # whose claim or evidence the difference rests on
    explanation: str = ""
    note: str = ""  # the crosswalk's note on the pairing
    a_local: str = ""    # how that side's local tailoring changed the criterion ("" for the edition's own)
    b_local: str = ""
    a_waived: bool = False
    b_waived: bool = False
    a_added: bool = False  # that side's local tailoring added this criterion
    b_added: bool = False

    @property
    def local_only(self) -> bool:
        """A criterion only one side has because its tailoring added it (not a gap in the edition)."""
        return (self.relation == "only_a" and self.a_added) or (self.relation == "only_b" and self.b_added)

    @property
    def comparable(self) -> bool:
        return self.relation in ("same", "changed")


class AreaComparison(BaseModel):
    """One pairing of areas (one area with itself within an edition)."""

    relation: Literal["same", "changed", "only_a", "only_b"]
    group: int | None  # index into Comparison.groups; None when not comparable
    a_id: str | None
    b_id: str | None
    a_title: str | None = None
    b_title: str | None = None
    a_claimed: str | None = None
    b_claimed: str | None = None
    a_evidence: str | None = None
    b_evidence: str | None = None
    a_note: str = ""
    b_note: str = ""
    a_seen_on_visit: list[str] = []
    b_seen_on_visit: list[str] = []
    a_agreed: AgreedView | None = None
    b_agreed: AgreedView | None = None
    same_claim: bool | None = None      # None unless both sides claimed a level
    same_evidence: bool | None = None   # the evidence's verdicts at the two dates
    disagreement: list[Disagreement] = []
    note: str = ""


class GroupComparison(BaseModel):
    """What agreement counts once: one area, or the areas one edition merged into one."""

    a_areas: list[str]
    b_areas: list[str]
    a_claimed: str | None   # the lowest claim; None unless every area of this side was claimed
    b_claimed: str | None
    a_evidence: str | None  # the lowest level the evidence supports
    b_evidence: str | None
    a_judged: bool
    b_judged: bool


class Agreement(BaseModel):
    """How often two views put a group at the same level, and Cohen's kappa (linear weights)."""

    between: AgreementKind
    items: int
    same: int
    rate_pct: float | None
    kappa: float | None
    note: str = ""


class Counts(BaseModel):
    area_pairs: int
    groups: int
    a_only_areas: int
    b_only_areas: int
    criteria_compared: int
    criteria_same_outcome: int
    a_only_criteria: int
    b_only_criteria: int
    local_criteria: int = 0  # criteria only one side has because its local tailoring added them


class LevelMatchView(BaseModel):
    level: str | None
    confidence: str
    source: str


class Comparison(BaseModel):
    schema_version: str = COMPARISON_SCHEMA
    a: Side
    b: Side
    a_levels: list[Level]
    b_levels: list[Level]
    crosswalk: str | None = None
    different_councils: bool = False
    levels_comparable: bool = True
    a_overall: str | None = None
    b_overall: str | None = None
    a_overall_maps_to: list[LevelMatchView] = []  # through the crosswalk's level mapping
    b_overall_maps_to: list[LevelMatchView] = []
    areas: list[AreaComparison]
    groups: list[GroupComparison]
    criteria: list[CriterionComparison]
    agreement: list[Agreement]
    counts: Counts
    a_record: PeerRecord | None = None
    b_record: PeerRecord | None = None
    a_waivers: list[WaiverRecord] = []
    b_waivers: list[WaiverRecord] = []


# --- helpers ---------------------------------------------------------------------------------------


def side_of(result: Result, label: str, source: str) -> Side:
    a = result.assessment
    return Side(label=label, source=source, council=a.council, role=a.assessor.role, date=a.date.isoformat(),
                assessor=a.assessor.name or a.assessor.organisation, framework=framework_key(result),
                framework_title=result.framework.title, evidence_from=a.evidence_from,
                hypothetical=result.hypothetical, assumptions=result.assumptions,
                tailoring=result.framework.tailoring)


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
    """Why two sides judge a criterion differently, in the order a peer team would look.

    Depends only on the two sides' values, never on which is first, so swapping them swaps ``side``.
    """
    a_j = a_claim.outcome if a_claim and a_claim.outcome else ca.outcome
    b_j = b_claim.outcome if b_claim and b_claim.outcome else cb.outcome
    if a_j == b_j and ca.outcome == cb.outcome:
        return None, None, ""
    if a_j != b_j:
        # A claim that overrides the evidence on the strength of what the team saw on the visit.
        for side, claim, verdict in (("a", a_claim, ca.outcome), ("b", b_claim, cb.outcome)):
            if claim and claim.outcome and claim.outcome != verdict and claim.seen_on_visit:
                return "seen_on_visit", side, ("rests on evidence seen during the visit that is not in the "
                                               "folder: " + "; ".join(claim.seen_on_visit))
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
                f"the same files, judged on {max(a_date, b_date)} instead of {min(a_date, b_date)}: a time "
                "window moved" + (f" ({reasons})" if reasons else ""))
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
        assumed = {x.fact for x in result.assumptions} & set(c.facts)
        if assumed:
            return "assumed", side, f"rests on a figure that side's what-if assumed ({', '.join(sorted(assumed))})"
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
    if not (a.challenges or a.evidence_requests or a.agreed_actions or a.sign_off):
        return None
    return PeerRecord(challenges=a.challenges, evidence_requests=a.evidence_requests,
                      agreed_actions=a.agreed_actions, sign_off=a.sign_off)


# --- symmetry --------------------------------------------------------------------------------------

_SWAP_VALUES = {"side": {"a": "b", "b": "a"}, "relation": {"only_a": "only_b", "only_b": "only_a"},
                "between": {"a_evidence": "b_evidence", "b_evidence": "a_evidence"},
                "label": {"A": "B", "B": "A"}}


def _swap_data(value, key: str | None = None):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("a", "b"):
                nk = "b" if k == "a" else "a"
            elif k.startswith(("a_", "b_")):
                nk = ("b_" if k.startswith("a_") else "a_") + k[2:]
            else:
                nk = k
            out[nk] = _swap_data(v, k)
        return out
    if isinstance(value, list):
        return [_swap_data(v, key) for v in value]
    return _SWAP_VALUES.get(key or "", {}).get(value, value) if isinstance(value, str) else value


def swap(c: Comparison) -> Comparison:
    """The same comparison with A and B exchanged."""
    data = _swap_data(c.model_dump(mode="json"))
    data["agreement"].sort(key=lambda g: AGREEMENT_ORDER.index(g["between"]))
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


def _compare(a: Result, b: Result, a_source: str, b_source: str, walk) -> Comparison:  # noqa: ANN001, C901
    from efl.core.crosswalk import Pair

    a_areas = {x.id: x for x in a.areas}
    b_areas = {x.id: x for x in b.areas}
    a_crit = {c.id: (area.id, c) for area in a.areas for c in area.criteria}
    b_crit = {c.id: (area.id, c) for area in b.areas for c in area.criteria}
    if walk is not None:
        area_pairs, criterion_pairs = walk.area_pairs, list(walk.criterion_pairs)
        # A crosswalk pairs the editions' own criteria; the sides' local ones are listed as local.
        criterion_pairs += [Pair(cid, None, "same") for cid, (_, c) in a_crit.items() if _added(c)]
        criterion_pairs += [Pair(None, cid, "same") for cid, (_, c) in b_crit.items() if _added(c)]
    else:
        area_pairs = [Pair(x.id, x.id, "same") for x in a.areas]
        # Within one edition a criterion only one side has is a local one (its tailoring added it).
        criterion_pairs = [Pair(cid, cid, "same") for cid in a_crit] + \
            [Pair(None, cid, "same") for cid in b_crit if cid not in a_crit]

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
        ea, eb = a_crit.get(p.a) if p.a else None, b_crit.get(p.b) if p.b else None
        if ea is None and eb is None:
            continue
        row = CriterionComparison(relation=p.relation if ea and eb else ("only_a" if ea else "only_b"),
                                  a_id=p.a if ea else None, b_id=p.b if eb else None, note=p.note)
        for side, entry, result in (("a", ea, a), ("b", eb, b)):
            if entry is None:
                continue
            area_id, c = entry
            claim = result.assessment.claims.get(c.id)
            setattr(row, f"{side}_title", c.title)
            setattr(row, f"{side}_area", area_id)
            setattr(row, f"{side}_level", c.level)
            setattr(row, f"{side}_outcome", c.outcome)
            setattr(row, f"{side}_claim", claim.outcome if claim else None)
            setattr(row, f"{side}_note", claim.note if claim else "")
            setattr(row, f"{side}_seen_on_visit", list(claim.seen_on_visit) if claim else [])
            setattr(row, f"{side}_agreed", _agreed(result, c.id, area=False))
            setattr(row, f"{side}_evidence", _evidence(result, c))
            setattr(row, f"{side}_local", "; ".join(x.note for x in c.local))
            setattr(row, f"{side}_waived", c.waived)
            setattr(row, f"{side}_added", _added(c))
        if ea and eb:
            row.disagreement, row.side, row.explanation = local_difference(ea[1], eb[1], a, b) or classify(
                ea[1], eb[1], a.assessment.claims.get(ea[1].id), b.assessment.claims.get(eb[1].id),
                row.a_evidence, row.b_evidence, a_date, b_date, row.relation)
        criteria.append(row)

    areas: list[AreaComparison] = []
    for p in area_pairs:
        xa, xb = a_areas.get(p.a) if p.a else None, b_areas.get(p.b) if p.b else None
        if xa is None and xb is None:
            continue
        both = xa is not None and xb is not None
        row = AreaComparison(relation=p.relation if both else ("only_a" if xa else "only_b"),
                             group=renumber[group_of[("a", p.a)]] if both else None,
                             a_id=p.a if xa else None, b_id=p.b if xb else None, note=p.note)
        for side, x, result in (("a", xa, a), ("b", xb, b)):
            if x is None:
                continue
            claim = result.assessment.claims.get(x.id)
            setattr(row, f"{side}_title", x.title)
            setattr(row, f"{side}_claimed", x.claimed_level)
            setattr(row, f"{side}_evidence", x.level)
            setattr(row, f"{side}_note", claim.note if claim else "")
            setattr(row, f"{side}_seen_on_visit", list(claim.seen_on_visit) if claim else [])
            setattr(row, f"{side}_agreed", _agreed(result, x.id, area=True))
        if both:
            row.same_evidence = xa.level == xb.level
            if xa.claimed_level is not None and xb.claimed_level is not None:
                row.same_claim = xa.claimed_level == xb.claimed_level
            kinds = {c.disagreement for c in criteria if c.disagreement and (c.a_area == p.a or c.b_area == p.b)}
            if row.same_claim is False and (row.a_seen_on_visit or row.b_seen_on_visit):
                kinds.add("seen_on_visit")
            # A criterion only one edition has, and not met there, can alone explain a lower level;
            # one a side's local tailoring added is the council's own, not the edition's.
            for cc in criteria:
                for side, ident in (("a", p.a), ("b", p.b)):
                    if cc.relation == f"only_{side}" and getattr(cc, f"{side}_area") == ident \
                            and getattr(cc, f"{side}_outcome") not in ("met", "not_applicable"):
                        kinds.add("local_criterion" if cc.local_only else "one_edition_only")
            if (row.same_claim is False or row.same_evidence is False) and not kinds:
                kinds.add("no_criterion_differs")
            row.disagreement = sorted(kinds, key=list(DISAGREEMENT_LABELS).index)
        areas.append(row)

    levels_comparable = [lv.id for lv in a.framework.levels] == [lv.id for lv in b.framework.levels]
    group_rows = [_group(groups[i][0], groups[i][1], a_areas, b_areas, a, b) for i in kept]
    agreement = _agreements(group_rows, a, levels_comparable)

    def maps(r: Result, w) -> list[LevelMatchView]:  # noqa: ANN001
        if w is None or levels_comparable:
            return []
        return [LevelMatchView(level=m.level, confidence=m.confidence, source=m.source)
                for m in w.levels_for(r.overall_level)]

    compared = [c for c in criteria if c.comparable]
    counts = Counts(area_pairs=sum(1 for x in areas if x.group is not None), groups=len(group_rows),
                    a_only_areas=sum(1 for x in areas if x.relation == "only_a"),
                    b_only_areas=sum(1 for x in areas if x.relation == "only_b"),
                    criteria_compared=len(compared),
                    criteria_same_outcome=sum(1 for c in compared if c.a_outcome == c.b_outcome),
                    a_only_criteria=sum(1 for c in criteria if c.relation == "only_a" and not c.local_only),
                    b_only_criteria=sum(1 for c in criteria if c.relation == "only_b" and not c.local_only),
                    local_criteria=sum(1 for c in criteria if c.local_only))
    return Comparison(
        a=side_of(a, "A", a_source), b=side_of(b, "B", b_source), a_levels=a.framework.levels,
        b_levels=b.framework.levels, crosswalk=walk.id if walk else None,
        different_councils=not same_name(a.assessment.council, b.assessment.council), levels_comparable=levels_comparable,
        a_overall=a.overall_level, b_overall=b.overall_level, a_overall_maps_to=maps(a, walk),
        b_overall_maps_to=maps(b, walk.reversed() if walk else None), areas=areas, groups=group_rows,
        criteria=criteria, agreement=agreement, counts=counts, a_record=_record(a), b_record=_record(b),
        a_waivers=a.waivers, b_waivers=b.waivers)


def _group(a_ids: list[str], b_ids: list[str], a_areas: dict, b_areas: dict, a: Result, b: Result) -> GroupComparison:
    def lowest(result: Result, levels: list[str | None]) -> str | None:
        return result.framework.level_at(min(result.framework.level_rank(lv) for lv in levels))

    a_claims = [a_areas[i].claimed_level for i in a_ids]
    b_claims = [b_areas[i].claimed_level for i in b_ids]
    a_judged, b_judged = all(x is not None for x in a_claims), all(x is not None for x in b_claims)
    return GroupComparison(a_areas=a_ids, b_areas=b_ids, a_claimed=lowest(a, a_claims) if a_judged else None,
                           b_claimed=lowest(b, b_claims) if b_judged else None,
                           a_evidence=lowest(a, [a_areas[i].level for i in a_ids]),
                           b_evidence=lowest(b, [b_areas[i].level for i in b_ids]),
                           a_judged=a_judged, b_judged=b_judged)


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
        "a_b": [(g.a_claimed, g.b_claimed) for g in groups if g.a_judged and g.b_judged],
        "a_evidence": [(g.a_claimed, g.a_evidence) for g in groups if g.a_judged],
        "b_evidence": [(g.b_claimed, g.b_evidence) for g in groups if g.b_judged],
        "evidence": [(g.a_evidence, g.b_evidence) for g in groups],
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

