"""The workforce figures every paper states: the six gender pay gap measures with the four quarters
of pay, and how staff compare with the community they serve (what was compared, what could not be).

Worked from the result alone (its facts), so ``efl report RESULT.json`` states the same figures as
``efl assess``. Each figure is written as the facts hold it, to one decimal place, so a councillor
reading the paper and an officer reading the JSON see the same number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import efl
from efl import and_list, characteristic_label, long_date, percent

PAY_GAP = "workforce.pay_gap."
# The gender pay gap measures in the order the regulations list them, with their names in words.
GAPS = [("mean_hourly_pct", "Mean gender pay gap in hourly pay"),
        ("median_hourly_pct", "Median gender pay gap in hourly pay"),
        ("mean_bonus_pct", "Mean gender pay gap in bonus pay"),
        ("median_bonus_pct", "Median gender pay gap in bonus pay")]


def _facts(result) -> dict[str, Any]:  # noqa: ANN001
    return {f.name: f for f in result.facts}


def _area(result, prefix: str) -> str | None:  # noqa: ANN001
    """The framework area whose criteria use facts starting with ``prefix`` (None: the whole council)."""
    for area in result.areas:
        if any(f.startswith(prefix) for c in area.criteria for f in c.facts):
            return area.id
    return None


def _sources(result, fact) -> str:  # noqa: ANN001
    """"The figures come from the workforce profile dated 31 March 2025.": the evidence behind a fact."""
    named = []
    for item in result.evidence:
        if item.id in fact.evidence:
            what = (getattr(item, "title", "") or "").strip() or f"the {item.type.replace('-', ' ')}"
            named.append(f"{what} dated {long_date(item.date)}")
    return f"The figures come from {and_list(named)}." if named else ""


def pay_gap_section(result, facts: dict[str, Any]) -> efl.ReportSection | None:  # noqa: ANN001
    present = [name for name, _ in GAPS if PAY_GAP + name in facts]
    quarters = facts.get(PAY_GAP + "quartiles")
    # Figures the workforce file cannot give are said so, with the fix, never left out in silence.
    missing = facts.get(PAY_GAP + "not_worked_out")
    missing_words = [missing.statement] if missing is not None and missing.statement else []
    if not present and quarters is None:
        left = facts.get(PAY_GAP + "left_out")
        if left is None or not left.statement:
            return None
        return efl.ReportSection("gender-pay-gap", "Gender pay gap", [
            "The gender pay gap could not be worked out from the workforce file.", left.statement, *missing_words],
            area=_area(result, PAY_GAP))
    sentences = []
    headline = facts.get(PAY_GAP + "median_hourly_pct") or facts.get(PAY_GAP + "mean_hourly_pct")
    if headline is not None and headline.statement:
        sentences.append(headline.statement)
    rows = [[words, percent(facts[PAY_GAP + name].value)] for name, words in GAPS if PAY_GAP + name in facts]
    for name, _ in GAPS:
        fact = facts.get(PAY_GAP + name)
        if fact is not None and fact.statement and fact is not headline:
            sentences.append(fact.statement)
    women, men = facts.get(PAY_GAP + "bonus_women_pct"), facts.get(PAY_GAP + "bonus_men_pct")
    if women is not None and men is not None:
        rows.append(["Women and men paid a bonus", f"women {percent(women.value)}; men {percent(men.value)}"])
        sentences.append(f"{percent(women.value)} of women and {percent(men.value)} of men were paid a bonus.")
    else:  # a workforce of one sex: that sex's proportion stands on its own (SI 2017/353 Sch. 1 para 12)
        for sex, fact in (("Women", women), ("Men", men)):
            if fact is not None:
                rows.append([f"{sex} paid a bonus", percent(fact.value)])
                sentences.append(f"{percent(fact.value)} of {sex.lower()} were paid a bonus.")
    tables = [efl.ReportTable("Gender pay gap measures", ["Measure", "Figure"], rows)] if rows else []
    if quarters is not None and isinstance(quarters.value, list):
        bands = [[f"{str(q.get('band', '')).capitalize()} quarter", percent(q.get("women_pct")),
                  percent(q.get("men_pct"))] for q in quarters.value if isinstance(q, dict)]
        if bands:
            tables.append(efl.ReportTable("Women and men in each quarter of hourly pay, lowest paid first",
                                          ["Quarter of pay", "Women", "Men"], bands))
        if quarters.statement:
            sentences.append(quarters.statement)
    source = _sources(result, next((facts[PAY_GAP + n] for n, _ in GAPS if PAY_GAP + n in facts), quarters))
    if source:
        sentences.append(source)
    left = facts.get(PAY_GAP + "left_out")
    if left is not None and left.statement:
        sentences.append(left.statement)
    sentences += missing_words
    return efl.ReportSection("gender-pay-gap", "Gender pay gap", sentences, tables, area=_area(result, PAY_GAP))


def _ratio(value: float) -> str:
    """To two decimal places, halves up (as the rule reasons and a spreadsheet show it)."""
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _share(value: Any) -> str:
    """A share for the table; a result made before shares were recorded says so rather than guess."""
    return percent(value) if isinstance(value, (int, float)) else "not recorded"


def _group(name: str) -> str:
    return name[:1].upper() + name[1:]


def representation_section(result, facts: dict[str, Any]) -> efl.ReportSection | None:  # noqa: ANN001
    ratios = facts.get("workforce.representation")
    missing = facts.get("workforce.representation_not_compared")
    if ratios is None and missing is None and "workforce.representation_too_few" not in facts:
        return None
    sentences = []
    low = facts.get("workforce.lowest_representation_ratio")
    if low is not None and low.statement:
        sentences.append(low.statement)
    senior = facts.get("workforce.senior_lowest_representation_ratio")
    if senior is not None and senior.statement:
        sentences.append(senior.statement)
    rows = []
    shares_fact = facts.get("workforce.representation_shares")
    shares = shares_fact.value if shares_fact is not None and isinstance(shares_fact.value, dict) else {}
    if ratios is not None and isinstance(ratios.value, dict):
        for characteristic, groups in ratios.value.items():
            if not isinstance(groups, dict):
                continue
            for group, ratio in groups.items():
                if isinstance(ratio, (int, float)):
                    share = (shares.get(characteristic) or {}).get(group) or {}
                    rows.append([characteristic_label(characteristic).capitalize(), _group(group),
                                 _share(share.get("staff_pct")), _share(share.get("residents_pct")), _ratio(ratio)])
        compared = sorted({characteristic_label(c) for c in ratios.value})
        if compared:
            sentences.append(f"Staff were compared with residents by {and_list(compared, semicolons=True)}. "
                             "Each share is among the staff, or the residents, the comparison counts. "
                             "The ratio is the share of staff divided by the share of residents: 1.00 means "
                             "the same share, and below 1.00 means fewer staff than residents.")
    # What each comparison rests on (a table, with the reasons in words), and the groups too small to
    # compare, named with their counts.
    basis = facts.get("workforce.representation_basis")
    basis_rows = []
    if basis is not None and isinstance(basis.value, dict):
        for characteristic, how in basis.value.items():
            if isinstance(how, dict):
                basis_rows.append([characteristic_label(characteristic).capitalize(), _group(str(how.get("level", ""))),
                                   _group(str(how.get("residents", ""))), _group(str(how.get("staff", ""))),
                                   str(how.get("note") or "-")])
                if how.get("caution") and str(how["caution"]) not in sentences:
                    sentences.append(str(how["caution"]))
    few_rows = []
    threshold = None
    for name, who in (("workforce.representation_too_few", "All staff"),
                      ("workforce.senior_representation_too_few", "Senior staff")):
        fact = facts.get(name)
        value = fact.value if fact is not None and isinstance(fact.value, dict) else {}
        threshold = threshold or value.get("min_group")
        for characteristic, groups in (value.get("groups") or {}).items():
            for group, counts in groups.items():
                few_rows.append([who, characteristic_label(characteristic).capitalize(), _group(group),
                                 f"{counts.get('staff', 0):,}",
                                 f"{counts['residents']:,}" if "residents" in counts else "not counted"])
    if few_rows and threshold:
        sentences.append(f"A group with fewer than {threshold} staff or residents is too small to compare: no ratio "
                         "is given for it, and the last table lists each such group with its counts.")
    if missing is not None:
        if missing.statement:
            sentences.append(missing.statement)
        elif isinstance(missing.value, dict) and missing.value:
            sentences.append("Not compared with the community: "
                             + and_list([characteristic_label(c) for c in missing.value], semicolons=True) + ".")
    tables = []
    if rows:
        tables.append(efl.ReportTable("Share of staff compared with share of residents, by group",
                                      ["Characteristic", "Group", "Share of staff", "Share of residents",
                                       "Ratio of staff to residents"], rows))
    if basis_rows:
        tables.append(efl.ReportTable("What each comparison rests on",
                                      ["Characteristic", "Groups compared", "Residents", "Staff", "Note"], basis_rows))
    if few_rows:
        tables.append(efl.ReportTable("Groups too small to compare",
                                      ["Who", "Characteristic", "Group", "Staff", "Residents"], few_rows))
    if not sentences and not tables:
        return None
    source = _sources(result, ratios or missing or facts.get("workforce.representation_too_few"))
    if source:
        sentences.append(source)
    return efl.ReportSection("workforce-representation", "How staff compare with the community", sentences,
                             tables, area=_area(result, "workforce.representation")
                             or _area(result, "workforce.lowest_representation"))


@efl.hookimpl
def efl_report_sections(result):  # noqa: ANN001, ANN201
    facts = _facts(result)
    found = [pay_gap_section(result, facts), representation_section(result, facts)]
    return [s for s in found if s is not None] or None
