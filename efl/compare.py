"""Comparing results: self against peer, year on year, and council against council.

Everything here works on saved ``Result`` objects, so a comparison never re-runs a plugin and can
be repeated years later. Three views of each area are kept apart: what each side claimed, what the
evidence supports (the engine's verdict), and, after a peer challenge, the level agreed.

Results are only compared when they use the same framework edition and version; across editions
a crosswalk says which criteria correspond (see ``efl/crosswalk.py``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from .errors import Diagnostic, InputError
from .measures import weighted_kappa
from .models import CriterionResult, Level, Result, Trace

COMPARISON_SCHEMA = "1.0"

Disagreement = Literal["missing_evidence", "stale_evidence", "different_reading", "different_evidence"]
DISAGREEMENT_LABELS = {
    "missing_evidence": "missing evidence",
    "stale_evidence": "stale evidence",
    "different_reading": "different reading of the same evidence",
    "different_evidence": "different evidence",
}


class Side(BaseModel):
    """Which result is which: shown as "A" and "B" in tables."""

    label: str
    source: str
    council: str
    role: str
    date: str
    assessor: str
    evidence_from: str | None = None


class EvidenceUse(BaseModel):
    id: str
    file: str | None
    sha256: str | None


class CriterionComparison(BaseModel):
    id: str
    title: str
    level: str
    a_outcome: str | None
    b_outcome: str | None
    a_claim: str | None = None
    b_claim: str | None = None
    a_note: str = ""
    b_note: str = ""
    a_evidence: list[EvidenceUse] = []
    b_evidence: list[EvidenceUse] = []
    disagreement: Disagreement | None = None
    explanation: str = ""
    comparable: bool = True


class AreaComparison(BaseModel):
    id: str
    title: str
    a_claimed: str | None
    a_evidence: str | None
    b_claimed: str | None
    b_evidence: str | None
    a_judgement: str | None
    b_judgement: str | None
    agreed: str | None = None
    agreed_reason: str | None = None
    agree: bool
    disagreement: list[Disagreement] = []
    criteria: list[CriterionComparison] = []
    comparable: bool = True


class Agreement(BaseModel):
    """How often two views put an area at the same level, and Cohen's kappa (linear weights)."""

    between: str
    areas: int
    same: int
    rate_pct: float | None
    kappa: float | None


class Comparison(BaseModel):
    schema_version: str = COMPARISON_SCHEMA
    framework: str
    a_framework: str
    b_framework: str
    levels: list[Level]
    a: Side
    b: Side
    areas: list[AreaComparison]
    agreement: list[Agreement]
    crosswalk: str | None = None
    not_comparable: list[str] = []
    level_mapping: str | None = None


# --- helpers ---------------------------------------------------------------------------------------


def side_of(result: Result, label: str, source: str) -> Side:
    a = result.assessment
    return Side(label=label, source=source, council=a.council, role=a.assessor.role, date=a.date.isoformat(),
                assessor=a.assessor.name or a.assessor.organisation, evidence_from=a.evidence_from)


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


def _evidence(result: Result, criterion: CriterionResult) -> list[EvidenceUse]:
    refs = {e.id: e for e in result.evidence}
    ids = sorted(set(criterion.evidence) | {e for f in result.facts if f.name in criterion.facts for e in f.evidence})
    return [EvidenceUse(id=i, file=refs[i].file if i in refs else None, sha256=refs[i].sha256 if i in refs else None)
            for i in ids]


def classify(a: CriterionResult | None, b: CriterionResult | None, a_judged: str | None, b_judged: str | None,
             a_used: list[EvidenceUse], b_used: list[EvidenceUse]) -> tuple[Disagreement | None, str]:
    """Why two sides judge a criterion differently, in the order a peer team would look."""
    if a is None or b is None or a_judged == b_judged:
        return None, ""
    if a.outcome != b.outcome:
        failing, side = (a, "A") if a.outcome != "met" else (b, "B")
        kinds = problems(failing.trace)
        if "stale_evidence" in kinds:
            return "stale_evidence", f"{side}'s evidence is out of date: {'; '.join(failing.reasons)}"
        if kinds & {"missing_evidence", "no_figure"}:
            return "missing_evidence", f"{side} lacks evidence the other has: {'; '.join(failing.reasons)}"
        same = {(e.id, e.sha256) for e in a_used} == {(e.id, e.sha256) for e in b_used}
        if not same:
            return "different_evidence", "the two sides relied on different evidence files"
    return "different_reading", "the same evidence, judged differently"


def _judgement(claim: str | None, evidence: str | None) -> str | None:
    return claim if claim is not None else evidence


# --- self / peer / evidence ------------------------------------------------------------------------


def compare_pair(a: Result, b: Result, a_source: str, b_source: str, crosswalk=None) -> Comparison:  # noqa: ANN001
    """Compare two results of the same council (usually a self-assessment and a peer judgement).

    With a ``crosswalk`` (for results from two editions) areas and criteria are paired through it
    and what it marks as not comparable is shown as such; without one the frameworks must match.
    """
    if crosswalk is None:
        require_same_framework([(a_source, a), (b_source, b)])
    levels = b.framework.levels
    rank = b.framework.level_rank
    b_areas = {area.id: area for area in b.areas}
    b_criteria = {c.id: c for area in b.areas for c in area.criteria}
    pairs_self_peer, pairs_a_ev, pairs_b_ev = [], [], []
    areas: list[AreaComparison] = []
    not_comparable: list[str] = []
    for area in a.areas:
        b_area_id = crosswalk.area(area.id) if crosswalk else area.id
        other = b_areas.get(b_area_id) if b_area_id else None
        if other is None:
            not_comparable.append(f"area {area.id} ({area.title}): no counterpart in {b.framework.id}")
            continue
        a_j = _judgement(area.claimed_level, area.level)
        b_j = _judgement(other.claimed_level, other.level)
        criteria = []
        for c in area.criteria:
            b_id = crosswalk.criterion(c.id) if crosswalk else c.id
            oc = b_criteria.get(b_id) if b_id else None
            if crosswalk and oc is None:
                note = crosswalk.note(c.id)
                criteria.append(CriterionComparison(id=c.id, title=c.title, level=c.level, a_outcome=c.outcome,
                                                    b_outcome=None, comparable=False,
                                                    explanation=note or f"no counterpart in {b.framework.id}"))
                not_comparable.append(f"criterion {c.id}: {note or 'no counterpart'}")
                continue
            a_claim = a.assessment.claims.get(c.id)
            b_claim = b.assessment.claims.get(oc.id) if oc else None
            a_used, b_used = _evidence(a, c), (_evidence(b, oc) if oc else [])
            a_cj = a_claim.outcome if a_claim and a_claim.outcome else c.outcome
            b_cj = (b_claim.outcome if b_claim and b_claim.outcome else oc.outcome) if oc else None
            kind, why = classify(c, oc, a_cj, b_cj, a_used, b_used)
            criteria.append(CriterionComparison(
                id=c.id if not oc or oc.id == c.id else f"{c.id} → {oc.id}", title=c.title, level=c.level,
                a_outcome=c.outcome, b_outcome=oc.outcome if oc else None,
                a_claim=a_claim.outcome if a_claim else None, b_claim=b_claim.outcome if b_claim else None,
                a_note=a_claim.note if a_claim else "", b_note=b_claim.note if b_claim else "",
                a_evidence=a_used, b_evidence=b_used, disagreement=kind, explanation=why))
        kinds = sorted({c.disagreement for c in criteria if c.disagreement})
        if a_j != b_j and not kinds:
            kinds = ["different_reading"]
        agreed = other.agreed_level if other.agreed_reason else area.agreed_level
        reason = other.agreed_reason or area.agreed_reason
        areas.append(AreaComparison(
            id=area.id if area.id == other.id else f"{area.id} → {other.id}", title=area.title,
            a_claimed=area.claimed_level, a_evidence=area.level, b_claimed=other.claimed_level,
            b_evidence=other.level, a_judgement=a_j, b_judgement=b_j, agreed=agreed, agreed_reason=reason,
            agree=a_j == b_j, disagreement=kinds, criteria=criteria))
        pairs_self_peer.append((rank(a_j), rank(b_j)))
        pairs_a_ev.append((rank(a_j), rank(area.level)))
        pairs_b_ev.append((rank(b_j), rank(other.level)))
    k = len(levels) + 1  # "not yet at the first level" is a category too
    a_name, b_name = _role_name(a, "A"), _role_name(b, "B")
    agreement = [_agreement(f"{a_name} and {b_name}", pairs_self_peer, k),
                 _agreement(f"{a_name} and the evidence", pairs_a_ev, k),
                 _agreement(f"{b_name} and the evidence", pairs_b_ev, k)]
    return Comparison(framework=framework_key(b), a_framework=framework_key(a), b_framework=framework_key(b),
                      levels=levels, a=side_of(a, "A", a_source), b=side_of(b, "B", b_source), areas=areas,
                      agreement=agreement, crosswalk=crosswalk.id if crosswalk else None,
                      not_comparable=not_comparable,
                      level_mapping=crosswalk.level_sentence(a.overall_level, f"A's overall level, "
                                                             f"{a.level_title(a.overall_level)},")
                      if crosswalk else None)


def _role_name(result: Result, label: str) -> str:
    role = "peer" if result.assessment.assessor.role == "peer" else "self"
    return f"{label} ({role}, {result.assessment.date.isoformat()})"


def _agreement(between: str, pairs: list[tuple[int, int]], k: int) -> Agreement:
    same = sum(1 for x, y in pairs if x == y)
    kappa = weighted_kappa(pairs, k)
    return Agreement(between=between, areas=len(pairs), same=same,
                     rate_pct=round(same / len(pairs) * 100, 1) if pairs else None,
                     kappa=round(kappa, 4) if kappa is not None else None)
