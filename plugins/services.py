"""Responsive services and customer care: equality impact assessment coverage, complaints and
satisfaction monitored by characteristic, and the largest satisfaction gap between groups."""

from __future__ import annotations

import efl
from efl import characteristic_label, CHARACTERISTICS, Column, read_records

# A satisfaction rate on fewer respondents than this is too unreliable to compare.
MIN_RESPONDENTS = 10


def parse_eqia(table, item, assessment):  # noqa: ANN001, ANN201
    return read_records(table, [Column("decision", required=True, aliases=("policy",)), Column("service"),
                                Column("decision_date", "date", required=True),
                                Column("eqia_done", "bool", required=True), Column("eqia_date", "date"),
                                Column("characteristics"), Column("key_decision", "bool", default=False)])[0]


def _by_group(columns):  # noqa: ANN001, ANN202
    def parse(table, item, assessment):  # noqa: ANN001, ANN202
        allowed = tuple(CHARACTERISTICS) + tuple(assessment.local_characteristics)
        return read_records(table, [Column("characteristic", "characteristic", required=True),
                                    Column("group", required=True), *columns], allowed)[0]
    return parse


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("eqia-register", "Register of equality impact assessments", ("csv",), parse_eqia))
    register(efl.EvidenceType("complaints-monitoring", "Complaints monitored by characteristic", ("csv",),
                              _by_group([Column("complaints", "count", required=True),
                                         Column("upheld", "count", default=0)])))
    register(efl.EvidenceType("satisfaction-survey", "Satisfaction survey results by group", ("csv",),
                              _by_group([Column("respondents", "count", required=True),
                                         Column("satisfied", "count", required=True)])))
    # Documents the 2021 edition's commissioning and integration criteria look for (kept, not read).
    register(efl.EvidenceType("procurement-policy", "Commissioning and procurement policy with equality requirements"))
    register(efl.EvidenceType("service-plan", "Service plan naming the equality objectives it works towards"))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    register(efl.FactSpec("services.eqia_coverage_pct",
                          "the share of policies and decisions with an equality impact assessment (%)", ("eqia-register",)))
    register(efl.FactSpec("services.complaints_characteristics_monitored",
                          "protected characteristics complaints are monitored by", ("complaints-monitoring",)))
    register(efl.FactSpec("services.satisfaction_characteristics_monitored",
                          "protected characteristics satisfaction is monitored by", ("satisfaction-survey",)))
    register(efl.FactSpec("services.satisfaction_gap_pct",
                          "the largest gap in satisfaction between two groups of one characteristic (points)",
                          ("satisfaction-survey",)))


def largest_gap(rows):  # noqa: ANN001, ANN201
    """(gap in points, characteristic, highest group, its rate, lowest group, its rate) or None."""
    rates: dict[str, list[tuple[float, str]]] = {}
    for row in rows:
        if row["respondents"] >= MIN_RESPONDENTS:
            rates.setdefault(row["characteristic"], []).append((row["satisfied"] / row["respondents"] * 100, row["group"]))
    best = None
    for char, groups in sorted(rates.items()):
        if len(groups) < 2:
            continue
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
        pct = sum(1 for r in rows if r["eqia_done"]) / len(rows) * 100
        facts.append(efl.Fact("services.eqia_coverage_pct", pct, [register.item.id],
                              f"{pct:.0f}% of {len(rows)} policies and decisions had an equality impact assessment."))
    for type_name, fact in (("complaints-monitoring", "services.complaints_characteristics_monitored"),
                            ("satisfaction-survey", "services.satisfaction_characteristics_monitored")):
        record = context.evidence.latest(type_name)
        if record is not None and record.parsed is not None:
            chars = sorted({r["characteristic"] for r in record.parsed if r["characteristic"] in CHARACTERISTICS})
            what = "Complaints" if type_name.startswith("complaints") else "Satisfaction"
            facts.append(efl.Fact(fact, len(chars), [record.item.id],
                                  f"{what} is monitored by {len(chars)} of the 9 protected characteristics."))
    survey = context.evidence.latest("satisfaction-survey")
    if survey is not None and survey.parsed is not None:
        gap = largest_gap(survey.parsed)
        if gap:
            points, char, high, high_rate, low, low_rate = gap
            facts.append(efl.Fact("services.satisfaction_gap_pct", points, [survey.item.id],
                                  f"By {characteristic_label(char)}, satisfaction is {high_rate:.0f}% in the group '{high}' "
                                  f"but {low_rate:.0f}% in the group '{low}', a gap of {points:.0f} points."))
    return facts
