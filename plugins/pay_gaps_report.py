"""The ethnicity and disability pay gaps every paper states, beside the gender pay gap: each group's
figures against the reference group, the disclosure rate beside them, the groups not shown and why,
the choices made where the guidance leaves one, and who is left out.

Worked from the result alone (the facts of the ``pay-gaps`` plugin), so ``efl report RESULT.json``
states the same figures as ``efl assess``. Its name sorts after ``workforce-report``, so these
sections follow the gender pay gap's in every paper.
"""

from __future__ import annotations

from typing import Any

import efl
# Where the workforce figures sit, and the evidence sentence, as the gender pay gap's section words them.
from efl_plugins.workforce_report import _area as area_of
from efl_plugins.workforce_report import _sources as source_of
from efl.provisional import percent

KINDS = (("workforce.ethnicity_pay_gap", "workforce.ethnicity_disclosure_pct", "ethnicity-pay-gap",
          "Ethnicity pay gap", "their ethnic group"),
         ("workforce.disability_pay_gap", "workforce.disability_disclosure_pct", "disability-pay-gap",
          "Disability pay gap", "whether they are disabled"))
QUARTERS = ("Lower quarter", "Lower middle quarter", "Upper middle quarter", "Upper quarter")


def _area(result) -> str | None:  # noqa: ANN001
    """The framework area of the workforce figures: where the pay gap facts are used."""
    for prefix in ("workforce.ethnicity_pay_gap", "workforce.disability_pay_gap", "workforce.pay_gap", "workforce."):
        found = area_of(result, prefix)
        if found:
            return found
    return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(value: Any) -> str:
    return "not worked out" if value is None else percent(value)


def section(result, facts: dict[str, Any], stem: str, disclosure: str, key: str, heading: str,  # noqa: ANN001
            what: str) -> efl.ReportSection | None:
    comparisons = facts.get(stem)
    rate = facts.get(disclosure)
    left = facts.get(f"{stem}_left_out")
    if comparisons is None and rate is None and left is None:
        return None
    sentences: list[str] = []
    tables: list[efl.ReportTable] = []
    value = comparisons.value if comparisons is not None and isinstance(comparisons.value, list) else []
    not_shown = facts.get(f"{stem}_not_shown")
    if comparisons is not None and comparisons.statement:
        sentences.append(comparisons.statement)
    elif not_shown is not None and not_shown.statement:
        sentences.append(not_shown.statement)  # nothing can be shown: that is the headline
    elif rate is None and left is not None and left.statement:
        # No column to work from: say so, and stop.
        return efl.ReportSection(key, heading, [left.statement], area=_area(result))
    if rate is not None and rate.statement:
        sentences.append(rate.statement)
    sentences += [c["sentence"] for c in value[1:] if isinstance(c, dict) and c.get("sentence")]
    for fact in (not_shown, facts.get(f"{stem}_method")):
        if fact is not None and fact.statement and fact.statement not in sentences:
            sentences.append(fact.statement)
    if value:
        reference = str(value[0].get("reference_people") or f"{value[0].get('reference')} employees")
        shown_rate = f"; {percent(rate.value)} of employees have recorded {what}" if rate is not None else ""
        rows = [[str(c["group"]), f"{c['employees']:,}", _cell(c["mean_hourly_pct"]), _cell(c["median_hourly_pct"]),
                 _cell(c["mean_bonus_pct"]), _cell(c["median_bonus_pct"]), _cell(c["bonus_group_pct"]),
                 _cell(c["bonus_reference_pct"])] for c in value]
        tables.append(efl.ReportTable(
            f"{heading}s against {reference} (a positive gap means the group is paid less{shown_rate})",
            ["Group", "Employees", "Mean hourly gap", "Median hourly gap", "Mean bonus gap", "Median bonus gap",
             "Paid a bonus", f"{_cap(reference.removesuffix(' employees'))} paid a bonus"], rows))
        bands = [[str(c["group"]), *[_cell(q["group_pct"]) for q in c["quartiles"]]]
                 for c in value if isinstance(c.get("quartiles"), list)]
        if bands:
            tables.append(efl.ReportTable(
                f"Each group's share of each quarter of hourly pay, ranked together with {reference}, "
                "lowest paid first", ["Group", *QUARTERS], bands))
    quarters = facts.get("workforce.ethnicity_pay_quarters") if stem == "workforce.ethnicity_pay_gap" else None
    if quarters is not None and isinstance(quarters.value, dict) and quarters.value.get("groups"):
        if quarters.statement:
            sentences.append(quarters.statement)
        tables.append(quarter_table(quarters.value))
    source = source_of(result, comparisons or rate or left)
    if source:
        sentences.append(source)
    if left is not None and left.statement and (value or (isinstance(left.value, dict) and left.value.get("all_figures"))):
        sentences.append(left.statement)  # (with no figures shown, "all are included" would mislead)
    return efl.ReportSection(key, heading, sentences, tables, area=_area(result))


def quarter_table(value: dict[str, Any]) -> efl.ReportTable:
    """Each ethnic group's share of each quarter of hourly pay, all employees ranked together."""
    rows = [[str(g["group"]), *[_cell(p) for p in g["pct"]]] for g in value["groups"]]
    rows.append(["Employees in the quarter", *[f"{b['size']:,}" for b in value["bands"]]])
    return efl.ReportTable(f"Share of each quarter of hourly pay by ethnic group: all {value['ranked']:,} full-pay "
                           "employees ranked together, lowest paid first",
                           ["Ethnic group", *QUARTERS], rows)


@efl.hookimpl
def efl_report_sections(result):  # noqa: ANN001, ANN201
    facts = {f.name: f for f in result.facts}
    found = [section(result, facts, *kind) for kind in KINDS]
    return [s for s in found if s is not None] or None
