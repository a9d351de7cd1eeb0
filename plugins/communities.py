"""Knowing your communities: which characteristics the community profile covers, how it is broken
down, how old it is and whether it is published, from ``community-profile`` evidence."""

from __future__ import annotations

import efl
from efl import characteristic_label, CHARACTERISTICS, Column, Diagnostic, EvidenceError, read_records


def parse_community(table, item, assessment):  # noqa: ANN001, ANN201
    allowed = tuple(CHARACTERISTICS) + tuple(assessment.local_characteristics)
    records, lines = read_records(table, [Column("characteristic", "characteristic", required=True),
                                          Column("group", required=True), Column("count", "count"),
                                          Column("percent", "percent")], allowed)
    if table.index("count") is None and table.index("percent") is None:
        raise EvidenceError([Diagnostic(table.path, 1, 1, "neither a 'count' nor a 'percent' column "
                                        "(expected one of them in the header row)")])
    problems = [Diagnostic(table.path, line, 1, "the row has neither a count nor a percent (expected one of them)")
                for record, line in zip(records, lines) if record.get("count") is None and record.get("percent") is None]
    if problems:
        raise EvidenceError(problems)
    return records


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("community-profile", "Community profile (who lives in the area, e.g. the Census)",
                              ("csv",), parse_community))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    needs = ("community-profile",)
    register(efl.FactSpec("communities.characteristics_covered",
                          "how many of the nine protected characteristics the community profile covers", needs))
    register(efl.FactSpec("communities.characteristics_missing",
                          "protected characteristics the community profile does not cover", needs))
    register(efl.FactSpec("communities.local_characteristics_covered",
                          "how many locally adopted characteristics the community profile covers", needs))
    register(efl.FactSpec("communities.broken_down", "whether every covered characteristic is broken into "
                          "at least two groups", needs))
    register(efl.FactSpec("communities.profile_age_years", "the age of the community profile in years", needs))
    register(efl.FactSpec("communities.profile_published", "whether the community profile is published", needs))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    record = context.evidence.latest("community-profile")
    if record is None or record.parsed is None:
        return []
    ids = [record.item.id]
    groups: dict[str, set[str]] = {}
    for row in record.parsed:
        groups.setdefault(row["characteristic"], set()).add(row["group"].strip().lower())
    covered = [c for c in CHARACTERISTICS if c in groups]
    missing = [c for c in CHARACTERISTICS if c not in groups]
    local = [c for c in context.assessment.local_characteristics if c in groups]
    age = (context.date - record.item.date).days / 365.25
    published = record.item.published is not None and record.item.published <= context.date
    statement = (f"The community profile covers {len(covered)} of the 9 protected characteristics"
                 + (f"; missing: {', '.join(characteristic_label(m) for m in missing)}." if missing else "."))
    return [
        efl.Fact("communities.characteristics_covered", len(covered), ids, statement),
        efl.Fact("communities.characteristics_missing", missing, ids, statement),
        efl.Fact("communities.local_characteristics_covered", len(local), ids),
        efl.Fact("communities.broken_down", all(len(g) >= 2 for g in groups.values()), ids),
        efl.Fact("communities.profile_age_years", age, ids,
                 f"The community profile is dated {record.item.date}, {age:.1f} years before the assessment."),
        efl.Fact("communities.profile_published", published, ids,
                 "The community profile is published." if published else "The community profile is not published."),
    ]
