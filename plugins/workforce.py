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
from efl import (characteristic_label, CHARACTERISTICS, Column, CommunityProfile, Diagnostic, DiagnosticSink,
                 EvidenceError, read_records, warning)
from efl.provisional import (and_list, community_age_range, compare_with_community, DECLINED, encoded_column,
                             find_columns, GROUP, header_column, NOT_RECORDED, one_decimal, OTHER_ANSWER,
                             parse_decimal, pay_gap_figures, pence_in_pound, read_columns, row_count,
                             unique_and_filled, UNRECOGNISED, vocabulary_for)

# Reading the workforce file: efl_plugins.readers.workforce_reader (re-exported here for plugins and tests).
from efl_plugins.readers.workforce_reader import PERSONAL, WorkforceProfile, parse_workforce  # noqa: E402, F401
from efl_plugins.readers.manager_returns import check_expectations  # noqa: E402

# Why a row is left out of the pay gap figures, for the sex column's kinds of answer.
SEX_LEFT_OUT = {NOT_RECORDED: "sex not recorded", DECLINED: "sex declined",
                OTHER_ANSWER: "a gender identity or other answer recorded instead of sex",
                UNRECOGNISED: "sex not recognised"}
# The four quartile pay bands, lowest paid first.
BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")
# Groups smaller than this in the community are left out of the lowest-ratio figure: a ratio on a
# tiny base swings wildly and would single people out.
MIN_COMMUNITY_SHARE_PCT = 1.0




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
    returns, unknown = check_expectations(table, records, assessment)
    problems += unknown
    if problems:
        raise EvidenceError(sorted(problems, key=lambda d: (d.line, d.col)))
    return returns


def _headcount(parsed) -> int | None:  # noqa: ANN001
    """A profile lists everyone employed on its date: its rows are the headcount that day."""
    return getattr(parsed, "employees", None)


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    # One row per employee: personal data, left out of evidence packs whatever the item says.
    register(efl.EvidenceType("workforce-profile", "Workforce profile (one anonymised row per employee)",
                              ("csv",), parse_workforce, personal=True, headcount=_headcount))
    register(efl.EvidenceType("training-records", "Equality training records", ("csv",), parse_training))
    register(efl.EvidenceType("manager-returns", "Managers' returns against the framework's expectations",
                              ("csv",), parse_returns))
    register(efl.EvidenceType("gender-pay-gap-report", "Published gender pay gap report", publication=True))
    register(efl.EvidenceType("pay-gaps-report", "Published pay gaps report by ethnic group or disability "
                              "(say which in covers:)", publication=True))
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
    "workforce.pay_gap.not_worked_out": "the pay gap figures the workforce file cannot give, why, and how to fix it",
    "workforce.columns": "which column of the workforce file each figure was read from",
    "workforce.declaration_rate_pct": "the share of staff who recorded each characteristic (%)",
    "workforce.lowest_declaration_rate_pct": "the lowest declaration rate across recorded characteristics (%)",
    "workforce.representation": "each group's share of staff divided by its share of the community",
    "workforce.representation_shares": "each compared group's share of staff and of the community (%), behind "
                                       "its ratio",
    "workforce.representation_not_compared": "groups and characteristics that cannot be compared with the "
                                             "community, and why",
    "workforce.representation_basis": "for each characteristic compared with the community: at which level, and "
                                      "which residents and staff",
    "workforce.representation_too_few": "groups with too few staff or residents to compare, with their counts",
    "workforce.senior_representation_too_few": "groups with too few senior staff or residents to compare, with "
                                               "their counts",
    "workforce.lowest_representation_ratio": "the lowest representation ratio of any group (1 mirrors the community)",
    "workforce.senior_lowest_representation_ratio": "the lowest representation ratio of any group in senior grades",
    "workforce.training_completion_pct": "the share of staff who completed equality training (%)",
    "workforce.manager_returns_coverage_pct": "the share of the framework's manager expectations reported as met (%)",
}
# What kind of value each is (efl.FactSpec.kind; docs/facts.md lists them). A fact added to FACTS needs
# its kind here too: one left out declares none, which a test of docs/facts.md reports.
_NUMBERS = ("mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct", "bonus_men_pct",
            "bonus_women_pct", "upper_quartile_women_pct")
KINDS = {
    **{f"workforce.pay_gap.{name}": "number" for name in _NUMBERS},
    **dict.fromkeys(["workforce.lowest_declaration_rate_pct", "workforce.lowest_representation_ratio",
                     "workforce.senior_lowest_representation_ratio", "workforce.training_completion_pct",
                     "workforce.manager_returns_coverage_pct"], "number"),
    "workforce.representation_shares": "mapping",
    "workforce.employees": "whole number",
    "workforce.pay_gap.quartiles": "list",
    "workforce.pay_gap.left_out": "mapping",
    "workforce.pay_gap.not_worked_out": "mapping",
    "workforce.columns": "mapping",
    "workforce.declaration_rate_pct": "mapping",
    "workforce.representation": "mapping",
    "workforce.representation_not_compared": "mapping",
    "workforce.representation_basis": "mapping",
    "workforce.representation_too_few": "mapping",
    "workforce.senior_representation_too_few": "mapping",
}
NEEDS = {
    "workforce.representation": ("workforce-profile", "community-profile"),
    "workforce.representation_shares": ("workforce-profile", "community-profile"),
    "workforce.representation_not_compared": ("workforce-profile", "community-profile"),
    "workforce.representation_basis": ("workforce-profile", "community-profile"),
    "workforce.representation_too_few": ("workforce-profile", "community-profile"),
    "workforce.senior_representation_too_few": ("workforce-profile", "community-profile"),
    "workforce.lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.senior_lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.training_completion_pct": ("training-records",),
    "workforce.manager_returns_coverage_pct": ("manager-returns",),
}


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    for name, description in FACTS.items():
        register(efl.FactSpec(name, description, NEEDS.get(name, ("workforce-profile",)),
                              headcount=name == "workforce.employees", kind=KINDS.get(name, "")))


def _pct(x) -> str:  # noqa: ANN001
    """A percentage to one decimal place, rounded half up from the exact figure where there is one."""
    return f"{one_decimal(x):.1f}%"


def _people(n: int) -> str:
    return f"{n:,} {'employee' if n == 1 else 'employees'}"


def kept_rows(profile: Any, name: str) -> Any:
    """A field of rows of a workforce profile as it was read (``WorkforceProfile.rows_of``): a column read
    by Arrow keeps its codes, so figures over the whole column are worked from counts and no list of
    a million rows is made; a profile from another reader gives its field."""
    rows_of = getattr(profile, "rows_of", None)
    return rows_of(name) if rows_of is not None else getattr(profile, name)


def pay_gap_facts(profile: WorkforceProfile, ids: list[str]) -> list[efl.Fact]:
    """The six gender pay gap measures, and what each leaves out (see :func:`efl.pay_gap_figures`).

    Values are the exact figures (stored at full precision); sentences round them half up.
    """
    figures = pay_gap_figures(*(kept_rows(profile, name) for name in ("sex", "hourly_pay", "full_pay", "bonus_pay")))
    facts = []
    for word, name, gap in (("mean", "mean_hourly_pct", figures.mean_hourly_pct),
                            ("median", "median_hourly_pct", figures.median_hourly_pct)):
        if gap is not None:
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids, _gap_sentence(word, "hourly pay", gap,
                                                                                   pence_in_pound)))
    for word, name, gap in (("mean", "mean_bonus_pct", figures.mean_bonus_pct),
                            ("median", "median_bonus_pct", figures.median_bonus_pct)):
        if gap is not None and "bonus_pay" not in profile.missing:
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids, _gap_sentence(word, "bonus pay", gap)))
    # Each proportion is defined on its own (Sch. 1 para 12): a workforce of one sex still has its own.
    for sex, share in (("men", figures.bonus_men_pct), ("women", figures.bonus_women_pct)):
        if share is not None and "bonus_pay" not in profile.missing:
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


# The pay gap measures a missing column leaves not worked out, in words.
NOT_WORKED_OUT = {"hourly_pay": "The gender pay gap in hourly pay and the pay quarters are not worked out",
                  "bonus_pay": "The bonus figures (the mean and median bonus gaps and the proportions of men and women "
                               "paid a bonus) are not worked out"}


def not_worked_out_facts(profile: WorkforceProfile, ids: list[str]) -> list[efl.Fact]:
    """The figures a missing column leaves not worked out, with why and the fix (never a 0 in their
    place), and which header each figure was read from."""
    facts = []
    gaps = {name: text for name, text in profile.missing.items() if name in NOT_WORKED_OUT}
    if gaps:
        sentences = [f"{NOT_WORKED_OUT[name]}: {text}." for name, text in gaps.items()]
        facts.append(efl.Fact("workforce.pay_gap.not_worked_out",
                              {name.removesuffix("_pay"): text for name, text in gaps.items()}, ids,
                              " ".join(s[:1].upper() + s[1:] for s in sentences)))
    if profile.headers:
        # The id column is left out: it is no figure, and it belongs to the personal file alone.
        read = {name: header for name, (header, _) in sorted(profile.headers.items()) if name != "employee_id"}
        mapped = sorted(name for name, (_, by_council) in profile.headers.items() if by_council)
        words = "; ".join(f"{_column_words(name)} from '{header}'" for name, header in read.items())
        council = (f" ({and_list([_column_words(m) for m in mapped])} as mapped under columns: in assessment.yaml)"
                   if mapped else "")
        facts.append(efl.Fact("workforce.columns", read, ids, f"The workforce file was read as: {words}{council}."))
    return facts


def _column_words(name: str) -> str:
    """A workforce column in words: ``bonus pay``, ``ethnic group (race)``."""
    return {"employee_id": "employee id", "hourly_pay": "hourly pay", "bonus_pay": "bonus pay", "full_pay": "full pay",
            "reduced_pay": "reduced pay (read as not on full pay)",
            "date_of_birth": "date of birth", "senior": "senior grades", "race": "ethnic group"}.get(
        name, characteristic_label(name))


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
                                  "The pay gap cannot be worked out: the workforce profile has no hourly pay column."))
        facts += not_worked_out_facts(profile, ids)
        facts += declaration_facts(profile, ids)
        # Every community profile listed (one Census table per item, or a plugin's reader standing in
        # for the type): each characteristic from the newest that has it.
        community, used = CommunityProfile.combine(context.evidence.items_of("community-profile"))
        if community is not None:
            facts += representation_facts(profile, community, ids + used, context.assessment)
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
        # Returns that name none of this framework's expectations (another edition's) say nothing about it.
        if expected and any(row["expectation"] in expected for row in returns.parsed):
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
    shared: dict = {}  # the community's side, worked out once for both comparisons
    whole = compare_with_community(profile.groups, community, ages, assessment,
                                   staff_by_age=_staff_by_age(profile), shared=shared)
    facts = []
    if whole.ratios:
        facts.append(efl.Fact("workforce.representation", whole.named_ratios(), ids))
        facts.append(efl.Fact("workforce.representation_shares", whole.named_shares(), ids))
    if whole.basis:
        facts.append(efl.Fact("workforce.representation_basis",
                              {c: {"level": b.level, "residents": b.residents, "staff": b.staff, "note": b.note,
                                   "caution": b.caution} for c, b in sorted(whole.basis.items())},
                              ids, whole.basis_sentence()))
    if whole.too_few:
        facts.append(efl.Fact("workforce.representation_too_few", whole.named_too_few(), ids,
                              whole.too_few_sentence()))
    if whole.not_compared:
        facts.append(efl.Fact("workforce.representation_not_compared", whole.not_compared, ids,
                              whole.not_compared_sentence()))
    low = whole.lowest(MIN_COMMUNITY_SHARE_PCT)
    if low:
        facts.append(efl.Fact("workforce.lowest_representation_ratio", low.ratio, ids, low.sentence("staff")))
    if profile.senior_groups:
        defined = {c: set(counts) for c, counts in profile.groups.items()}
        senior = compare_with_community(profile.senior_groups, community, ages, assessment, defined,
                                        staff_by_age=_staff_by_age(profile, kept_rows(profile, "senior")),
                                        where="senior staff", shared=shared)
        senior_low = senior.lowest(MIN_COMMUNITY_SHARE_PCT)
        if senior_low:
            facts.append(efl.Fact("workforce.senior_lowest_representation_ratio", senior_low.ratio, ids,
                                  senior_low.sentence("senior staff")))
        if senior.too_few:
            facts.append(efl.Fact("workforce.senior_representation_too_few", senior.named_too_few(), ids,
                                  senior.too_few_sentence("senior staff")))
    return facts


def _staff_by_age(profile: WorkforceProfile, only: list[bool] | None = None):  # noqa: ANN202
    """``counts(characteristic, first, last)``: staff groups among staff of those ages (None without ages)."""
    if not kept_rows(profile, "ages"):  # (asked of the codes when the file was read by Arrow: no list made)
        return None

    def counts(char: str, first: int, last: int | None) -> Counter | None:
        readings = profile.readings.get(char)
        if readings is None:
            return None
        top = last if last is not None else 999
        out: Counter = Counter()
        for i, (reading, age) in enumerate(zip(readings, profile.ages)):
            if (only is not None and not only[i]) or reading.kind != GROUP or age is None:
                continue
            if first <= age[0] and (age[1] if age[1] is not None else 999) <= top:
                out[reading.group] += 1
        return out

    return counts
