"""A skilled and committed workforce: gender pay gap, representation, declaration rates, training
and managers' returns, from ``workforce-profile``, ``community-profile``, ``training-records`` and
``manager-returns`` evidence.

The workforce file is read column by column (:func:`efl.files.evidence.read_columns`): a council of tens
of thousands of staff is a few hundred distinct pay rates and a handful of codes, each read once.
Every person is accounted for: a row that cannot enter a figure is counted in the figure's
"left out" note with the reason, and a value efl does not recognise is a warning with its position.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import efl
from efl import (characteristic_label, CHARACTERISTICS, Column, Diagnostic, DiagnosticSink, EvidenceError,
                 read_records, warning)
from efl.provisional import (and_list, community_age_range, CommunityProfile, compare_with_community, DECLINED,
                             encoded_column, find_columns, GROUP, header_column, NOT_RECORDED, one_decimal,
                             OTHER_ANSWER, parse_decimal, pay_gap_figures, pence_in_pound, read_columns,
                             row_count, unique_and_filled, UNRECOGNISED, vocabulary_for)

PERSONAL = [c for c in CHARACTERISTICS if c != "sex"]
# Other names HR and payroll systems give these columns (matched after case, spaces, hyphens and
# underscores are ignored, so "Hourly Pay" is hourly_pay).
ALIASES = {
    "employee_id": ("employee_number", "employee_no", "staff_id", "staff_number", "payroll_number", "person_id",
                    "employee_ref", "id"),
    "sex": ("gender", "legal_sex", "sex_at_birth"),
    "hourly_pay": ("hourly_rate", "ordinary_hourly_pay", "hourly_pay_rate", "hourly_pay_gbp", "hourly_pay_£",
                   "pay_per_hour", "rate_per_hour"),
    "full_pay": ("full_pay_relevant", "full_pay_relevant_employee", "on_full_pay"),
    "bonus_pay": ("bonus", "bonus_paid", "bonus_amount"),
    "grade": ("pay_grade", "grade_band", "pay_band"),
    "senior": ("senior_grade", "senior_manager"),
    "age": ("age_band", "age_group", "age_range"),
    "disability": ("disabled", "disability_status"),
    "race": ("ethnicity", "ethnic_group", "ethnic_origin", "ethnicity_group"),
    "religion_or_belief": ("religion", "religion_belief", "religion_and_belief", "faith"),
    "sexual_orientation": ("sexuality",),
    "marriage_civil_partnership": ("marital_status", "marriage", "marriage_and_civil_partnership"),
    "pregnancy_maternity": ("pregnancy_and_maternity", "maternity"),
    "gender_reassignment": ("trans_status", "gender_identity_same_as_at_birth"),
}
ID_COLUMN = Column("employee_id", required=True, aliases=ALIASES["employee_id"])
WORKFORCE_COLUMNS = [
    Column("hourly_pay", "decimal", aliases=ALIASES["hourly_pay"]),
    Column("full_pay", "bool", default=True, aliases=ALIASES["full_pay"]),
    Column("bonus_pay", "decimal", default=0.0, aliases=ALIASES["bonus_pay"]),
    Column("senior", "bool", default=False, aliases=ALIASES["senior"]),
]
# Read as people's answers through the vocabulary (efl.workforce.groups), not as typed cells.
PEOPLE_COLUMNS = [Column("sex", required=True, aliases=ALIASES["sex"]),
                  *[Column(c, aliases=ALIASES.get(c, ())) for c in PERSONAL]]
# An ordinary hourly rate above this is surely annual or monthly pay typed in the wrong column (a
# council chief executive's salary is under £150 an hour); it is a warning, not an error.
HOURLY_PAY_CEILING = 250.0
# Past this many rows, further warnings of one kind are counted, not listed.
MAX_ROW_WARNINGS = 20
# The employee ids of the example rows 'efl init' writes (efl/scaffold.py).
TEMPLATE_IDS = ("EXAMPLE-1", "EXAMPLE-2")
# A declared headcount this far from the workforce file's row count is worth a warning.
HEADCOUNT_TOLERANCE = 0.05
# Why a row is left out of the pay gap figures, for the sex column's kinds of answer.
SEX_LEFT_OUT = {NOT_RECORDED: "sex not recorded", DECLINED: "sex declined",
                OTHER_ANSWER: "a gender identity or other answer recorded instead of sex",
                UNRECOGNISED: "sex not recognised"}
# The four quartile pay bands, lowest paid first.
BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")
# Groups smaller than this in the community are left out of the lowest-ratio figure: a ratio on a
# tiny base swings wildly and would single people out.
MIN_COMMUNITY_SHARE_PCT = 1.0


@dataclass
class WorkforceProfile:
    """One row per employee on the snapshot date, as the figures need it.

    :ivar employees: how many rows (people) the file lists.
    :ivar sex: per person, ``"female"``, ``"male"`` or None (left out of the pay gap: ``answers["sex"]``
        counts why).
    :ivar hourly_pay: per person, ordinary hourly pay, or None where the cell is empty.
    :ivar full_pay, bonus_pay: per person, with the documented defaults (true, 0) where absent.
    :ivar groups: per characteristic column present (sex included), how many people are in each group.
    :ivar senior_groups: the same for people in senior grades (empty without a ``senior`` column).
    :ivar answers: per characteristic column present, how many people gave each kind of answer
        (a group, not recorded, declined; for sex also another answer or not recognised).
    :ivar columns: names of the columns the file has.
    :ivar warnings: suspicious but usable values, with positions.
    :ivar readings: per characteristic column present (sex aside), each person's answer as the
        vocabulary reads it (a ``Reading``: kind, group, classified), for figures by group such as the
        ethnicity and disability pay gaps.
    """

    employees: int
    sex: list[str | None]
    hourly_pay: list[float | None]
    full_pay: list[bool]
    bonus_pay: list[float]
    groups: dict[str, Counter]
    senior_groups: dict[str, Counter]
    answers: dict[str, Counter]
    columns: set[str]
    warnings: list[Diagnostic] = field(default_factory=list)
    readings: dict[str, list] = field(default_factory=dict)


def parse_workforce(table, item, assessment) -> WorkforceProfile:  # noqa: ANN001
    sink = DiagnosticSink()
    typed = read_columns(table, WORKFORCE_COLUMNS, sink=sink)
    # Where every column is, found once (the typed columns are optional: nothing is reported twice).
    where = find_columns(table, [ID_COLUMN, *WORKFORCE_COLUMNS, *PEOPLE_COLUMNS], sink)
    _check_unique_ids(table, where.get("employee_id"), sink)
    if sink:
        raise EvidenceError(sink.items)
    vocabulary = vocabulary_for(assessment)
    n = row_count(table)
    warnings: list[Diagnostic] = []
    groups: dict[str, Counter] = {}
    senior_groups: dict[str, Counter] = {}
    answers: dict[str, Counter] = {}
    per_person: dict[str, list] = {}
    sex: list[str | None] = [None] * n
    senior = typed.values["senior"] if "senior" in typed.present else None
    for spec in PEOPLE_COLUMNS:
        if spec.name not in where:
            continue
        i = where[spec.name]
        column = encoded_column(table, i)
        tally = column.tally()
        readings = [vocabulary.read(spec.name, cell) for cell in column.distinct]
        kinds: Counter = Counter()
        for code, count in tally.items():
            kinds[readings[code].kind] += count
        answers[spec.name] = kinds
        if spec.name == "sex":
            sex = column.map([r.group if r.kind == GROUP else None for r in readings])
            warnings += _sex_warnings(table, i, column, tally, readings)
        else:
            per_person[spec.name] = column.map(readings)
        groups[spec.name] = _group_counts(tally, readings)
        if senior is not None:
            senior_groups[spec.name] = _group_counts(column.tally(senior), readings)
    warnings += _pay_warnings(table, typed, where)
    warnings += _unused_column_warnings(table)
    if n and n <= len(TEMPLATE_IDS) and _template_rows(table, where.get("employee_id")):
        warnings.append(warning(table.path, 0, 0, "this file still holds the example rows 'efl init' wrote "
                                f"({', '.join(TEMPLATE_IDS)}), so the headcount and every workforce figure come from "
                                "them (expected one row per employee: replace the examples with your own data)"))
    declared = getattr(getattr(assessment, "council", None), "employees", None)
    if isinstance(declared, int) and declared and abs(declared - n) > max(5, declared * HEADCOUNT_TOLERANCE):
        warnings.append(warning(table.path, 0, 0, f"this file lists {n:,} employees but assessment.yaml says the "
                                f"council employs {declared:,}; efl uses the file's {n:,} (expected the two to agree "
                                f"within {HEADCOUNT_TOLERANCE:.0%}: is the file complete, or is the figure out of date?)"))
    present = set(where)
    return WorkforceProfile(n, sex, typed.values["hourly_pay"], typed.values["full_pay"], typed.values["bonus_pay"],
                            groups, senior_groups, answers, present, warnings, per_person)


def _group_counts(tally: Counter, readings) -> Counter:  # noqa: ANN001
    """People per group (several spellings of one group add up), leaving out those with no answer."""
    counts: Counter = Counter()
    for code, count in tally.items():
        if readings[code].kind == GROUP:
            counts[readings[code].group] += count
    return counts


def _check_unique_ids(table, i: int | None, sink: DiagnosticSink) -> None:  # noqa: ANN001
    """Every employee id filled in and unique (checked on the distinct values; rows walked only if not)."""
    if i is None or unique_and_filled(table, i):
        return
    column = encoded_column(table, i)
    stripped = [cell.strip() for cell in column.distinct]
    seen: dict[str, int] = {}
    for r, key in enumerate(column.map(stripped)):
        if not key:
            sink.add(table.path, *table.position(r, i),
                     f"employee_id: the cell is empty (expected {ID_COLUMN.expected()})")
        elif key in seen:
            sink.add(table.path, *table.position(r, i),
                     f"employee_id: '{key}' also appears on line {seen[key]} (expected unique ids)")
        elif key:
            seen[key] = table.lines[r]


def _sex_warnings(table, i: int, column, tally: Counter, readings) -> list[Diagnostic]:  # noqa: ANN001
    """One warning per distinct value that cannot be placed, at its first row, with how many rows have it."""
    out = []
    for code, reading in enumerate(readings):
        if reading.kind not in (OTHER_ANSWER, UNRECOGNISED):
            continue
        cell = column.distinct[code]
        r = column.rows_with({code})[0]
        rows = tally[code]
        many = f"{rows} rows say" if rows > 1 else "1 row says"
        if reading.kind == OTHER_ANSWER:
            what = (f"sex: {many} '{cell.strip()}', which records a gender identity or another answer, not "
                    "biological sex; those employees are left out of the pay gap figures (expected female or "
                    "male: the updated guidance asks for everyone's biological sex, so complete these records)")
        else:
            what = (f"sex: {many} '{cell.strip()}', which efl does not recognise; those employees are left out of "
                    "the pay gap figures (expected female or male, e.g. F, M, Woman, Man, or a not-recorded "
                    "value such as Not known; a council's own codes can be added under values: in "
                    "assessment.yaml)")
        out.append(warning(table.path, *table.position(r, i), what))
    return out


def _pay_warnings(table, typed, where: dict[str, int]) -> list[Diagnostic]:  # noqa: ANN001
    """Plausibility of pay: hourly pay of 0 or above the ceiling, a bonus with no hourly pay.

    Judged on each distinct value once; only the rows holding an implausible one are looked up.
    """
    out: list[Diagnostic] = []
    if "hourly_pay" not in typed.present:
        return out
    i = where["hourly_pay"]
    hourly = encoded_column(table, i)
    pay = [_number(cell) for cell in hourly.distinct]
    odd = {code for code, value in enumerate(pay) if value is not None and (value == 0 or value > HOURLY_PAY_CEILING)}
    rows = hourly.rows_with(odd) if odd else []
    for r in rows[:MAX_ROW_WARNINGS]:
        value = pay[hourly.code_at(r)]
        if value == 0:
            text = ("hourly_pay: 0 is not a plausible hourly rate (expected the ordinary pay per hour; leave the "
                    "cell empty if it is not known)")
        else:
            text = (f"hourly_pay: £{value:,.2f} an hour is above £{HOURLY_PAY_CEILING:,.0f}, more than any council "
                    "pays (expected pay per hour: is this annual or monthly pay?)")
        out.append(warning(table.path, *table.position(r, i), text))
    if len(rows) > MAX_ROW_WARNINGS:
        out.append(warning(table.path, 0, 0, f"hourly_pay: {len(rows) - MAX_ROW_WARNINGS:,} more rows with an "
                           "implausible hourly rate (expected pay per hour)"))
    if "bonus_pay" in typed.present:
        j = where["bonus_pay"]
        bonus = encoded_column(table, j)
        paid = {code for code, cell in enumerate(bonus.distinct) if _number(cell)}
        unpaid = {code for code, value in enumerate(pay) if not value}
        rows = bonus.rows_with(paid, hourly, unpaid) if paid and unpaid else []
        for r in rows[:MAX_ROW_WARNINGS]:
            out.append(warning(table.path, *table.position(r, j),
                               "bonus_pay: a bonus is recorded for someone with no hourly pay (expected hourly pay too)"))
        if len(rows) > MAX_ROW_WARNINGS:
            out.append(warning(table.path, 0, 0, f"bonus_pay: {len(rows) - MAX_ROW_WARNINGS:,} more rows with a bonus "
                               "but no hourly pay (expected hourly pay too)"))
    return out


def _template_rows(table, i: int | None) -> bool:  # noqa: ANN001
    return i is not None and any(cell.strip() in TEMPLATE_IDS for cell in encoded_column(table, i).distinct)


def _unused_column_warnings(table) -> list[Diagnostic]:  # noqa: ANN001
    """A column efl does not read whose name is close to one it does is most likely a typing slip."""
    import difflib

    known = {name: spec for spec in (ID_COLUMN, *WORKFORCE_COLUMNS, *PEOPLE_COLUMNS)
             for name in (spec.name, *spec.aliases)}
    out = []
    for k, name in enumerate(table.columns):
        if not name or name in known:
            continue
        guess = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if guess:
            out.append(warning(table.path, 1, header_column(table, k),
                               f"column '{name}' is not one efl reads (did you mean '{known[guess[0]].name}'?)"))
    return out


def _number(cell: str) -> float | None:
    try:
        return parse_decimal(cell) if cell.strip() else None
    except ValueError:
        return None


def parse_training(table, item, assessment):  # noqa: ANN001, ANN201
    records, lines = read_records(table, [Column("staff_group", required=True),
                                          Column("headcount", "count", required=True),
                                          Column("completed", "count", required=True)])
    col = table.index("completed")  # present: read_records has checked the required columns
    problems = [Diagnostic(table.path, *table.position(r, col),
                           f"completed: {rec['completed']:,} is more than the headcount of {rec['headcount']:,} "
                           "(expected at most the headcount)")
                for r, (rec, line) in enumerate(zip(records, lines)) if rec["completed"] > rec["headcount"]]
    if problems:
        raise EvidenceError(problems)
    return records


def parse_returns(table, item, assessment):  # noqa: ANN001, ANN201
    records, lines = read_records(table, [Column("service", required=True), Column("expectation", required=True),
                                          Column("status", required=True), Column("note")])
    problems = []
    col = table.index("status")
    for r, record in enumerate(records):
        status = " ".join(record["status"].replace("_", " ").split()).lower()
        if status not in ("met", "partly", "not met"):
            problems.append(Diagnostic(table.path, *table.position(r, col),
                                       f"status: '{record['status']}' is not allowed (expected met, partly or not met)"))
        record["status"] = status
    if problems:
        raise EvidenceError(problems)
    return records


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    # One row per employee: personal data, left out of evidence packs whatever the item says.
    register(efl.EvidenceType("workforce-profile", "Workforce profile (one anonymised row per employee)",
                              ("csv",), parse_workforce, personal=True))
    register(efl.EvidenceType("training-records", "Equality training records", ("csv",), parse_training))
    register(efl.EvidenceType("manager-returns", "Managers' returns against the framework's expectations",
                              ("csv",), parse_returns))
    register(efl.EvidenceType("gender-pay-gap-report", "Published gender pay gap report"))
    register(efl.EvidenceType("pay-gaps-report", "Published pay gaps report by ethnic group or disability "
                              "(say which in covers:)"))
    register(efl.EvidenceType("staff-survey", "Staff survey with results by protected characteristic"))


FACTS = {
    "workforce.employees": "employees in the workforce profile",
    "workforce.pay_gap.mean_hourly_pct": "the mean gender pay gap in hourly pay (%)",
    "workforce.pay_gap.median_hourly_pct": "the median gender pay gap in hourly pay (%)",
    "workforce.pay_gap.mean_bonus_pct": "the mean gender bonus gap (%)",
    "workforce.pay_gap.median_bonus_pct": "the median gender bonus gap (%)",
    "workforce.pay_gap.bonus_men_pct": "the proportion of men paid a bonus (%)",
    "workforce.pay_gap.bonus_women_pct": "the proportion of women paid a bonus (%)",
    "workforce.pay_gap.quartiles": "men and women in each quartile pay band, lower to upper (%)",
    "workforce.pay_gap.upper_quartile_women_pct": "the share of women in the upper pay quartile (%)",
    "workforce.pay_gap.left_out": "how many employees each pay gap figure leaves out, and why",
    "workforce.declaration_rate_pct": "the share of staff who recorded each characteristic (%)",
    "workforce.lowest_declaration_rate_pct": "the lowest declaration rate across recorded characteristics (%)",
    "workforce.representation": "each group's share of staff divided by its share of the community",
    "workforce.representation_not_compared": "groups and characteristics that cannot be compared with the "
                                             "community, and why",
    "workforce.lowest_representation_ratio": "the lowest representation ratio of any group (1 mirrors the community)",
    "workforce.senior_lowest_representation_ratio": "the lowest representation ratio of any group in senior grades",
    "workforce.training_completion_pct": "the share of staff who completed equality training (%)",
    "workforce.manager_returns_coverage_pct": "the share of the framework's manager expectations reported as met (%)",
}
NEEDS = {
    "workforce.representation": ("workforce-profile", "community-profile"),
    "workforce.representation_not_compared": ("workforce-profile", "community-profile"),
    "workforce.lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.senior_lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.training_completion_pct": ("training-records",),
    "workforce.manager_returns_coverage_pct": ("manager-returns",),
}


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    for name, description in FACTS.items():
        register(efl.FactSpec(name, description, NEEDS.get(name, ("workforce-profile",)),
                              headcount=name == "workforce.employees"))


def _pct(x) -> str:  # noqa: ANN001
    """A percentage to one decimal place, rounded half up from the exact figure where there is one."""
    return f"{one_decimal(x):.1f}%"


def _people(n: int) -> str:
    return f"{n:,} {'employee' if n == 1 else 'employees'}"


def pay_gap_facts(profile: WorkforceProfile, ids: list[str]) -> list[efl.Fact]:
    """The six gender pay gap measures, and what each leaves out (see :func:`efl.pay_gap_figures`).

    Values are the exact figures (stored at full precision); sentences round them half up.
    """
    figures = pay_gap_figures(profile.sex, profile.hourly_pay, profile.full_pay, profile.bonus_pay)
    facts = []
    for word, name, gap in (("mean", "mean_hourly_pct", figures.mean_hourly_pct),
                            ("median", "median_hourly_pct", figures.median_hourly_pct)):
        if gap is not None:
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids, _gap_sentence(word, "hourly pay", gap,
                                                                                   pence_in_pound)))
    for word, name, gap in (("mean", "mean_bonus_pct", figures.mean_bonus_pct),
                            ("median", "median_bonus_pct", figures.median_bonus_pct)):
        if gap is not None:
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids, _gap_sentence(word, "bonus pay", gap)))
    # Each proportion is defined on its own (Sch. 1 para 12): a workforce of one sex still has its own.
    for sex, share in (("men", figures.bonus_men_pct), ("women", figures.bonus_women_pct)):
        if share is not None:
            facts.append(efl.Fact(f"workforce.pay_gap.bonus_{sex}_pct", share, ids,
                                  f"{_pct(share)} of {sex} were paid a bonus."))
    bands = figures.quartiles
    if bands:
        value = [{"band": label, "men_pct": b.men_pct, "women_pct": b.women_pct, "men": b.men, "women": b.women}
                 for label, b in zip(BAND_NAMES, bands)]
        facts.append(efl.Fact("workforce.pay_gap.quartiles", value, ids, _quarters_sentence(bands)))
        lower, upper = bands[0].women_pct, bands[3].women_pct
        if upper is not None:
            facts.append(efl.Fact("workforce.pay_gap.upper_quartile_women_pct", upper, ids,
                                  f"Women are {_pct(upper)} of the upper pay quarter and {_pct(lower)} of the lower."))
    left_out = left_out_counts(profile, figures)
    facts.append(efl.Fact("workforce.pay_gap.left_out", left_out, ids, left_out_sentence(profile.employees, left_out)))
    return facts


def _quarters_sentence(bands) -> str:  # noqa: ANN001
    """Women's share of the lower and upper quarters; with fewer than four people, which quarters are empty."""
    lower, upper = bands[0].women_pct, bands[3].women_pct
    if upper is None:
        ranked = sum(b.size for b in bands)
        empty = [name for name, b in zip(BAND_NAMES, bands) if not b.size]
        return (f"Only {ranked} full-pay {'employee is' if ranked == 1 else 'employees are'} ranked, so the pay "
                f"quarters are divided as far as possible and the {and_list(empty)} "
                f"{'quarter is' if len(empty) == 1 else 'quarters are'} empty; women are {_pct(lower)} of the "
                "lower quarter.")
    joiner = "but" if abs(lower - upper) >= 5 else "and"
    return f"Women are {_pct(lower)} of the lower pay quarter {joiner} {_pct(upper)} of the upper."


def _gap_sentence(word: str, what: str, gap, pence=None) -> str:  # noqa: ANN001
    """A gap in words: which sex is paid more, to one decimal place, never '-0.0%'.

    "The same" only when the two figures are equal; a gap that rounds to 0.0% says which way it goes.
    """
    if gap == 0:
        return f"There is no {word} gap in {what}: women's and men's {word} {what} are the same."
    favour = "men" if gap > 0 else "women"
    other = "women" if gap > 0 else "men"
    if one_decimal(gap) == 0:
        return (f"The {word} gap in {what} is less than 0.05%, so 0.0% to one decimal place: {other}'s {word} "
                f"{what} is slightly lower than {favour}'s.")
    if gap > 0:
        pence_words = f": women earn {pence(gap)}p for every £1 men earn" if pence else ""
        return f"The {word} gap in {what} is {_pct(gap)}{pence_words}."
    return f"The {word} gap in {what} is {_pct(-gap)} in women's favour: women's {word} {what} is higher than men's."


def left_out_counts(profile: WorkforceProfile, figures) -> dict[str, dict[str, int]]:  # noqa: ANN001
    """How many people each group of figures leaves out, by reason.

    ``all_figures``: rows whose sex cannot be used (every figure leaves them out);
    ``hourly_figures``: of the rest, those not on full pay or with no hourly pay (the hourly gaps and the
    quarters leave them out; the bonus figures include them).
    """
    kinds = profile.answers.get("sex", Counter({NOT_RECORDED: profile.employees}))
    every = {SEX_LEFT_OUT[k]: n for k, n in kinds.items() if k in SEX_LEFT_OUT and n}
    reduced = figures.men + figures.women - figures.full_pay_men - figures.full_pay_women
    hourly = {"not on full pay in the pay period": reduced, "no hourly pay recorded": figures.no_hourly_rate}
    return {"all_figures": dict(sorted(every.items())),
            "hourly_figures": {reason: n for reason, n in sorted(hourly.items()) if n}}


def left_out_sentence(employees: int, left_out: dict[str, dict[str, int]], what: str = "pay gap") -> str:
    """Who a set of pay gap figures leaves out, by reason ("12 of the 300 employees are left out of every
    pay gap figure: ..."); ``what`` names the figures (the ethnicity pay gap's use it too)."""
    every, hourly = left_out["all_figures"], left_out["hourly_figures"]
    parts = []
    for reasons, lead in ((every, None), (hourly, "further")):
        if not reasons:
            continue
        total = sum(reasons.values())
        joiner = "; " if any("," in reason for reason in reasons) else ", "
        listed = joiner.join(f"{reason} ({n:,})" for reason, n in reasons.items())
        who = f"A further {total:,}" if lead and every else f"{total:,} of the {employees:,} employees"
        where = (f"every {what} figure" if lead is None else "the hourly pay figures and the pay quarters")
        parts.append(f"{who} {'is' if total == 1 else 'are'} left out of {where}: {listed}.")
    return " ".join(parts) or f"All {employees:,} employees are included in the {what} figures."


def declaration_facts(profile: WorkforceProfile, ids: list[str]) -> list[efl.Fact]:
    """The share of staff who recorded each characteristic: not recorded and declined both count against it."""
    rates = {}
    for c in PERSONAL:
        if c in profile.answers and profile.employees:
            rates[c] = profile.answers[c].get(GROUP, 0) / profile.employees * 100
    if not rates:
        return []
    low = min(rates, key=lambda c: (rates[c], c))
    # What each rate counts, so a target can say how many more staff would need to record it.
    shares = [efl.Share(part=profile.answers[c].get(GROUP, 0), whole=profile.employees,
                        counted=f"staff recording their {characteristic_label(c)}", basis="at today's headcount")
              for c in rates]
    return [efl.Fact("workforce.declaration_rate_pct", rates, ids),
            efl.Fact("workforce.lowest_declaration_rate_pct", rates[low], ids,
                     f"Only {_pct(rates[low])} of staff recorded their {characteristic_label(low)}.", shares=shares)]


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    facts: list[efl.Fact] = []
    record = context.evidence.latest("workforce-profile")
    if record is not None and isinstance(record.parsed, WorkforceProfile):
        profile: WorkforceProfile = record.parsed
        ids = [record.item.id]
        facts.append(efl.Fact("workforce.employees", profile.employees, ids,
                              f"The workforce profile lists {_people(profile.employees)}."))
        if "hourly_pay" in profile.columns:
            facts += pay_gap_facts(profile, ids)
        else:
            facts.append(efl.Fact("workforce.pay_gap.left_out", {"all_figures": {"no hourly_pay column": profile.employees},
                                                                 "hourly_figures": {}}, ids,
                                  "The pay gap cannot be worked out: the workforce profile has no hourly_pay column."))
        facts += declaration_facts(profile, ids)
        community = context.evidence.latest("community-profile")
        if community is not None and isinstance(community.parsed, CommunityProfile):
            facts += representation_facts(profile, community.parsed, ids + [community.item.id], context.assessment)
    training = context.evidence.latest("training-records")
    if training is not None and training.parsed is not None:
        headcount = sum(r["headcount"] for r in training.parsed)
        if headcount:
            completed = sum(r["completed"] for r in training.parsed)
            done = completed / headcount * 100
            facts.append(efl.Fact("workforce.training_completion_pct", done, [training.item.id],
                                  f"{_pct(done)} of staff have completed equality training.",
                                  shares=[efl.Share(part=completed, whole=headcount,
                                                    counted="staff completing equality training",
                                                    basis="at today's headcount")]))
    returns = context.evidence.latest("manager-returns")
    if returns is not None and returns.parsed is not None:
        expected = [e.id for area in context.framework.areas for e in area.manager_expectations]
        if expected:
            status: dict[str, list[str]] = {}
            for row in returns.parsed:
                status.setdefault(row["expectation"].strip(), []).append(row["status"])
            met = [e for e in expected if status.get(e) and all(s == "met" for s in status[e])]
            coverage = len(met) / len(expected) * 100
            facts.append(efl.Fact("workforce.manager_returns_coverage_pct", coverage, [returns.item.id],
                                  f"Managers report {len(met)} of the {len(expected)} expectations as met "
                                  f"in every service ({_pct(coverage)}).",
                                  shares=[efl.Share(part=len(met), whole=len(expected),
                                                    counted="manager expectations met in every service",
                                                    one="manager expectation met in every service",
                                                    basis=f"out of the same {len(expected)}")]))
    return facts


def representation_facts(profile: WorkforceProfile, community: CommunityProfile, ids: list[str],
                         assessment) -> list[efl.Fact]:  # noqa: ANN001
    ages = community_age_range(assessment)
    whole = compare_with_community(profile.groups, community, ages, assessment)
    facts = []
    if whole.ratios:
        facts.append(efl.Fact("workforce.representation", whole.named_ratios(), ids))
    if whole.not_compared:
        facts.append(efl.Fact("workforce.representation_not_compared", whole.not_compared, ids,
                              whole.not_compared_sentence()))
    low = whole.lowest(MIN_COMMUNITY_SHARE_PCT)
    if low:
        facts.append(efl.Fact("workforce.lowest_representation_ratio", low.ratio, ids, low.sentence("staff")))
    if profile.senior_groups:
        defined = {c: set(counts) for c, counts in profile.groups.items()}
        senior = compare_with_community(profile.senior_groups, community, ages, assessment, defined)
        senior_low = senior.lowest(MIN_COMMUNITY_SHARE_PCT)
        if senior_low:
            facts.append(efl.Fact("workforce.senior_lowest_representation_ratio", senior_low.ratio, ids,
                                  senior_low.sentence("senior staff")))
    return facts
