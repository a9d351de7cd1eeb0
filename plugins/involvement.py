"""Involving your communities: which characteristics consultations reached in the last year, and
whether feedback was published ("you said, we did"), from ``consultation-log`` evidence."""

from __future__ import annotations

import efl
from efl import characteristic_label, CHARACTERISTICS, Column, Diagnostic, EvidenceError, read_records
from efl.provisional import long_date, normalise_characteristic, ONE_YEAR, percent, within


def parse_consultations(table, item, assessment):  # noqa: ANN001, ANN201
    records, lines = read_records(table, [Column("title", required=True), Column("date", "date", required=True),
                                          Column("engaged", aliases=("characteristics", "groups")),
                                          Column("responses", "count", default=0),
                                          Column("feedback_published", "bool", default=False)])
    allowed = set(CHARACTERISTICS) | set(assessment.local_characteristics)
    col = table.index("engaged") if table.index("engaged") is not None else table.index("characteristics")
    problems = []
    for r, record in enumerate(records):
        names = [normalise_characteristic(x) for x in (record.get("engaged") or "").split(";") if x.strip()]
        unknown = [n for n in names if n not in allowed]
        if unknown:
            problems.append(Diagnostic(table.path, *(table.position(r, col) if col is not None else (lines[r], 1)),
                                       f"engaged: {', '.join(unknown)} not a characteristic (expected ids such as "
                                       "age; race; disability, separated by ';')"))
        record["engaged"] = names
    if problems:
        raise EvidenceError(problems)
    return records


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("consultation-log", "Log of consultations and engagement", ("csv",), parse_consultations))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    needs = ("consultation-log",)
    register(efl.FactSpec("involvement.consultations_last_year", "consultations held in the last year", needs, kind="whole number"))
    register(efl.FactSpec("involvement.characteristics_reached",
                          "protected characteristics whose communities consultations reached in the last year", needs, kind="whole number"))
    register(efl.FactSpec("involvement.characteristics_not_reached",
                          "protected characteristics no consultation reached in the last year", needs, kind="list"))
    register(efl.FactSpec("involvement.feedback_published_pct",
                          "the share of last year's consultations whose feedback was published (%)", needs, kind="number"))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    record = context.evidence.latest("consultation-log")
    if record is None or record.parsed is None:
        return []
    ids = [record.item.id]
    # The year the assessment looks back on: the twelve months to the period's end (dates.within).
    end = context.window_end
    recent = [r for r in record.parsed if r["date"] <= end and within(r["date"], ONE_YEAR, end)]
    reached = {c for r in recent for c in r["engaged"]}
    missing = [c for c in CHARACTERISTICS if c not in reached]
    count = sum(1 for c in CHARACTERISTICS if c in reached)
    statement = (f"Consultations in the year to {long_date(end)} reached {count} of the 9 protected characteristics"
                 + (f"; not reached: {', '.join(characteristic_label(m) for m in missing)}." if missing else "."))
    facts = [efl.Fact("involvement.consultations_last_year", len(recent), ids,
                      f"{len(recent)} consultations were held in the year to {long_date(end)}."),
             efl.Fact("involvement.characteristics_reached", count, ids, statement),
             efl.Fact("involvement.characteristics_not_reached", missing, ids, statement)]
    if recent:
        published = sum(1 for r in recent if r["feedback_published"])
        pct = published / len(recent) * 100
        facts.append(efl.Fact("involvement.feedback_published_pct", pct, ids,
                              f"Feedback was published for {percent(pct)} of last year's consultations.",
                              shares=[efl.Share(part=published, whole=len(recent),
                                                counted="consultations with feedback published",
                                                one="consultation with feedback published",
                                                basis=f"out of the same {len(recent)}")]))
    return facts
