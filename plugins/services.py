"""Responsive services and customer care: equality impact assessment coverage, complaints and
satisfaction monitored by characteristic, and the largest satisfaction gap between groups."""

from __future__ import annotations

import efl
from efl import characteristic_label, CHARACTERISTICS, Column, Diagnostic, EvidenceError, read_records
from efl.provisional import and_list, group_words

# A satisfaction rate on fewer respondents than this is too unreliable to compare (and may identify
# people); a council can set its own threshold with ``values: {min_respondents: N}``.
MIN_RESPONDENTS = 10


def parse_eqia(table, item, assessment):  # noqa: ANN001, ANN201
    return read_records(table, [Column("decision", required=True, aliases=("policy",)), Column("service"),
                                Column("decision_date", "date", required=True),
                                Column("eqia_done", "bool", required=True), Column("eqia_date", "date"),
                                Column("characteristics"), Column("key_decision", "bool", default=False)])[0]


def _by_group(columns, part: str, whole: str):  # noqa: ANN001, ANN202
    """A parser for a table by characteristic and group, where ``part`` may not exceed ``whole``."""
    def parse(table, item, assessment):  # noqa: ANN001, ANN202
        allowed = tuple(CHARACTERISTICS) + tuple(assessment.local_characteristics)
        records, lines = read_records(table, [Column("characteristic", "characteristic", required=True),
                                              Column("group", required=True), *columns], allowed)
        col = table.index(part)
        problems = [Diagnostic(table.path, *(table.position(r, col) if col is not None else (line, 1)),
                               f"{part}: {rec[part]:,} is more than the {rec[whole]:,} {whole} on the same row "
                               f"(expected at most {rec[whole]:,})")
                    for r, (rec, line) in enumerate(zip(records, lines))
                    if rec.get(part) is not None and rec.get(whole) is not None and rec[part] > rec[whole]]
        if problems:
            raise EvidenceError(problems)
        return records
    return parse


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("eqia-register", "Register of equality impact assessments", ("csv",), parse_eqia))
    register(efl.EvidenceType("complaints-monitoring", "Complaints monitored by characteristic", ("csv",),
                              _by_group([Column("complaints", "count", required=True),
                                         Column("upheld", "count", default=0)], "upheld", "complaints")))
    register(efl.EvidenceType("satisfaction-survey", "Satisfaction survey results by group", ("csv",),
                              _by_group([Column("respondents", "count", required=True),
                                         Column("satisfied", "count", required=True)], "satisfied", "respondents")))
    # Documents the 2021 edition's commissioning and integration criteria look for (kept, not read).
    register(efl.EvidenceType("procurement-policy", "Commissioning and procurement policy with equality requirements"))
    register(efl.EvidenceType("service-plan", "Service plan naming the equality objectives it works towards"))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    register(efl.FactSpec("services.eqia_coverage_pct",
                          "the share of policies and decisions with an equality impact assessment (%)", ("eqia-register",), kind="number"))
    register(efl.FactSpec("services.complaints_characteristics_monitored",
                          "protected characteristics complaints are monitored by", ("complaints-monitoring",), kind="whole number"))
    register(efl.FactSpec("services.satisfaction_characteristics_monitored",
                          "protected characteristics satisfaction is monitored by", ("satisfaction-survey",), kind="whole number"))
    register(efl.FactSpec("services.satisfaction_gap_pct",
                          "the largest gap in satisfaction between two groups of one characteristic (points)",
                          ("satisfaction-survey",), kind="number"))


def comparable_rates(rows, min_respondents: int = MIN_RESPONDENTS) -> dict[str, list[tuple[float, str]]]:  # noqa: ANN001
    """Satisfaction rates per characteristic over groups with enough respondents, keeping only
    characteristics with at least two such groups: one group left has nothing to be compared with."""
    rates: dict[str, list[tuple[float, str]]] = {}
    for row in rows:
        if row["respondents"] >= min_respondents:
            rates.setdefault(row["characteristic"], []).append((row["satisfied"] / row["respondents"] * 100, row["group"]))
    return {char: groups for char, groups in rates.items() if len(groups) >= 2}


def largest_gap(rows, min_respondents: int = MIN_RESPONDENTS):  # noqa: ANN001, ANN201
    """(gap in points, characteristic, highest group, its rate, lowest group, its rate) or None."""
    best = None
    for char, groups in sorted(comparable_rates(rows, min_respondents).items()):
        high, low = max(groups), min(groups)
        gap = high[0] - low[0]
        if best is None or gap > best[0]:
            best = (gap, char, high[1], high[0], low[1], low[0])
    return best


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    facts = []
    register = context.evidence.latest("eqia-register")
    if register is not None and register.parsed:
        rows = register.parsed
        done = sum(1 for r in rows if r["eqia_done"])
        pct = done / len(rows) * 100
        facts.append(efl.Fact("services.eqia_coverage_pct", pct, [register.item.id],
                              f"{pct:.1f}% of {len(rows)} policies and decisions had an equality impact assessment.",
                              shares=[efl.Share(part=done, whole=len(rows),
                                                counted="policies and decisions with an equality impact assessment",
                                                one="policy or decision with an equality impact assessment",
                                                basis=f"out of the same {len(rows)}")]))
    least = getattr(getattr(context.assessment, "values", None), "min_respondents", None) or MIN_RESPONDENTS
    complaints = context.evidence.latest("complaints-monitoring")
    if complaints is not None and complaints.parsed is not None:
        chars = sorted({r["characteristic"] for r in complaints.parsed if r["characteristic"] in CHARACTERISTICS})
        facts.append(efl.Fact("services.complaints_characteristics_monitored", len(chars), [complaints.item.id],
                              f"Complaints are monitored by {len(chars)} of the 9 protected characteristics."))
    survey = context.evidence.latest("satisfaction-survey")
    if survey is not None and survey.parsed is not None:
        asked = sorted({r["characteristic"] for r in survey.parsed if r["characteristic"] in CHARACTERISTICS})
        chars = sorted(c for c in comparable_rates(survey.parsed, least) if c in CHARACTERISTICS)
        too_few = [characteristic_label(c) for c in asked if c not in chars]
        statement = f"Satisfaction is monitored by {len(chars)} of the 9 protected characteristics."
        if too_few:
            statement += (f" Not enough responses to compare for {and_list(too_few)} (fewer than two groups with "
                          f"{least} or more respondents).")
        facts.append(efl.Fact("services.satisfaction_characteristics_monitored", len(chars), [survey.item.id],
                              statement))
        gap = largest_gap(survey.parsed, least)
        if gap:
            points, char, high, high_rate, low, low_rate = gap
            facts.append(efl.Fact("services.satisfaction_gap_pct", points, [survey.item.id],
                                  f"By {characteristic_label(char)}, satisfaction is {high_rate:.1f}% among "
                                  f"{group_words(char, high)} but {low_rate:.1f}% among "
                                  f"{group_words(char, low)}, a gap of {points:.1f} points."))
    return facts

