"""A skilled and committed workforce: gender pay gap, representation, declaration rates, training
and managers' returns, from ``workforce-profile``, ``community-profile``, ``training-records`` and
``manager-returns`` evidence."""

from __future__ import annotations

from collections import Counter

from dataclasses import dataclass
from statistics import fmean, median
from typing import Any

import efl
from efl import (characteristic_label, CHARACTERISTICS, Column, Diagnostic, EvidenceError, gap_pct,
                 is_recorded, pence_in_pound, quartile_bands, read_records, representation_ratio)

PERSONAL = [c for c in CHARACTERISTICS if c != "sex"]
WORKFORCE_COLUMNS = [
    Column("employee_id", required=True),
    Column("sex", required=True),
    Column("hourly_pay", "decimal"),
    Column("full_pay", "bool", default=True),
    Column("bonus_pay", "decimal", default=0.0),
    Column("grade"),
    Column("senior", "bool", default=False),
    *[Column(c, aliases=("ethnicity",) if c == "race" else ()) for c in PERSONAL],
]
# Groups smaller than this in the community are left out of the lowest-ratio figure: a ratio on a
# tiny base swings wildly and would single people out.
MIN_COMMUNITY_SHARE_PCT = 1.0


@dataclass
class WorkforceProfile:
    records: list[dict[str, Any]]
    columns: set[str]


def parse_workforce(table, item, assessment) -> WorkforceProfile:  # noqa: ANN001
    problems = []
    id_col = table.index("employee_id")
    if id_col is not None:
        seen: dict[str, int] = {}
        for r, row in enumerate(table.rows):
            key = row[id_col].strip()
            if key in seen:
                problems.append(Diagnostic(table.path, table.lines[r], table.col_of(r, id_col),
                                           f"employee_id: '{key}' also appears on line {seen[key]} (expected unique ids)"))
            elif key:
                seen[key] = table.lines[r]
    try:
        records, _ = read_records(table, WORKFORCE_COLUMNS)
    except EvidenceError as exc:
        raise EvidenceError(exc.diagnostics + problems) from None
    if problems:
        raise EvidenceError(problems)
    for record in records:
        record["sex"] = record["sex"].lower()
    present = {spec.name for spec in WORKFORCE_COLUMNS
               if any(table.index(n) is not None for n in (spec.name, *spec.aliases))}
    return WorkforceProfile(records, present)


def parse_training(table, item, assessment):  # noqa: ANN001, ANN201
    return read_records(table, [Column("staff_group", required=True), Column("headcount", "count", required=True),
                                Column("completed", "count", required=True)])[0]


def parse_returns(table, item, assessment):  # noqa: ANN001, ANN201
    records, lines = read_records(table, [Column("service", required=True), Column("expectation", required=True),
                                          Column("status", required=True), Column("note")])
    problems = []
    col = table.index("status")
    for r, record in enumerate(records):
        status = record["status"].strip().lower()
        if status not in ("met", "partly", "not met"):
            problems.append(Diagnostic(table.path, lines[r], table.col_of(r, col),
                                       f"status: '{record['status']}' is not allowed (expected met, partly or not met)"))
        record["status"] = status
    if problems:
        raise EvidenceError(problems)
    return records


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("workforce-profile", "Workforce profile (one anonymised row per employee)",
                              ("csv",), parse_workforce))
    register(efl.EvidenceType("training-records", "Equality training records", ("csv",), parse_training))
    register(efl.EvidenceType("manager-returns", "Managers' returns against the framework's expectations",
                              ("csv",), parse_returns))
    register(efl.EvidenceType("gender-pay-gap-report", "Published gender pay gap report"))
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
    "workforce.declaration_rate_pct": "the share of staff who recorded each characteristic (%)",
    "workforce.lowest_declaration_rate_pct": "the lowest declaration rate across recorded characteristics (%)",
    "workforce.representation": "each group's share of staff divided by its share of the community",
    "workforce.lowest_representation_ratio": "the lowest representation ratio of any group (1 mirrors the community)",
    "workforce.senior_lowest_representation_ratio": "the lowest representation ratio of any group in senior grades",
    "workforce.training_completion_pct": "the share of staff who completed equality training (%)",
    "workforce.manager_returns_coverage_pct": "the share of the framework's manager expectations reported as met (%)",
}
NEEDS = {
    "workforce.representation": ("workforce-profile", "community-profile"),
    "workforce.lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.senior_lowest_representation_ratio": ("workforce-profile", "community-profile"),
    "workforce.training_completion_pct": ("training-records",),
    "workforce.manager_returns_coverage_pct": ("manager-returns",),
}


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    for name, description in FACTS.items():
        register(efl.FactSpec(name, description, NEEDS.get(name, ("workforce-profile",))))


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def pay_gap_facts(records: list[dict[str, Any]], ids: list[str]) -> list[efl.Fact]:
    """The six gender pay gap measures (full-pay employees for hourly pay; all employees for bonus)."""
    facts = []
    full = [r for r in records if r["full_pay"] and r["hourly_pay"] is not None and r["sex"] in ("male", "female")]
    men = [r["hourly_pay"] for r in full if r["sex"] == "male"]
    women = [r["hourly_pay"] for r in full if r["sex"] == "female"]
    for stat, word, name in ((fmean, "mean", "mean_hourly_pct"), (median, "median", "median_hourly_pct")):
        gap = gap_pct(men, women, stat)
        if gap is not None:
            pence = pence_in_pound(gap)
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids,
                                  f"The {word} hourly pay gap is {_pct(gap)}: women earn {pence}p for every £1 men earn."))
    everyone = [r for r in records if r["sex"] in ("male", "female")]
    bonus_men = [r["bonus_pay"] for r in everyone if r["sex"] == "male" and r["bonus_pay"]]
    bonus_women = [r["bonus_pay"] for r in everyone if r["sex"] == "female" and r["bonus_pay"]]
    for stat, word, name in ((fmean, "mean", "mean_bonus_pct"), (median, "median", "median_bonus_pct")):
        gap = gap_pct(bonus_men, bonus_women, stat)
        if gap is not None:
            facts.append(efl.Fact(f"workforce.pay_gap.{name}", gap, ids, f"The {word} bonus gap is {_pct(gap)}."))
    all_men = sum(1 for r in everyone if r["sex"] == "male")
    all_women = len(everyone) - all_men
    if all_men and all_women:
        m, w = len(bonus_men) / all_men * 100, len(bonus_women) / all_women * 100
        facts.append(efl.Fact("workforce.pay_gap.bonus_men_pct", m, ids, f"{_pct(m)} of men were paid a bonus."))
        facts.append(efl.Fact("workforce.pay_gap.bonus_women_pct", w, ids, f"{_pct(w)} of women were paid a bonus."))
    bands = quartile_bands((r["hourly_pay"], r["sex"]) for r in full)
    if bands:
        value = [{"band": label, "men_pct": b.men_pct, "women_pct": b.women_pct}
                 for label, b in zip(("lower", "lower middle", "upper middle", "upper"), bands)]
        lower, upper = bands[0].women_pct, bands[3].women_pct
        joiner = "but" if abs(lower - upper) >= 5 else "and"
        facts.append(efl.Fact("workforce.pay_gap.quartiles", value, ids,
                              f"Women are {lower:.0f}% of the lower pay quartile {joiner} {upper:.0f}% of the upper."))
        facts.append(efl.Fact("workforce.pay_gap.upper_quartile_women_pct", upper, ids,
                              f"Women are {upper:.0f}% of the upper pay quartile and {lower:.0f}% of the lower."))
    return facts


def declaration_facts(profile: WorkforceProfile, ids: list[str]) -> list[efl.Fact]:
    records = profile.records
    rates = {}
    for c in PERSONAL:
        if c in profile.columns and records:
            rates[c] = sum(recorded_counts(records, c).values()) / len(records) * 100
    if not rates:
        return []
    low = min(rates, key=lambda c: (rates[c], c))
    return [efl.Fact("workforce.declaration_rate_pct", rates, ids),
            efl.Fact("workforce.lowest_declaration_rate_pct", rates[low], ids,
                     f"Only {_pct(rates[low])} of staff recorded their {characteristic_label(low)}.")]


def recorded_counts(records: list[dict[str, Any]], field: str) -> Counter:
    """How many people are in each group of ``field``, leaving out blanks and "prefer not to say".

    Counting the raw cells first and cleaning only the few distinct values keeps this one pass
    over the records, which matters at tens of thousands of employees.
    """
    counts: Counter = Counter()
    for cell, n in Counter(r.get(field) for r in records).items():
        if is_recorded(cell):
            counts[cell.strip().lower()] += n
    return counts


def community_shares(community) -> dict[str, dict[str, float]]:  # noqa: ANN001
    """Each characteristic's groups as a share (%) of the community, from count or percent columns."""
    shares: dict[str, dict[str, float]] = {}
    by_char: dict[str, list[dict]] = {}
    for row in community:
        by_char.setdefault(row["characteristic"], []).append(row)
    for char, rows in by_char.items():
        if all(r.get("percent") is not None for r in rows):
            shares[char] = {r["group"].strip().lower(): r["percent"] for r in rows}
        else:
            total = sum(r.get("count") or 0 for r in rows)
            if total:
                shares[char] = {r["group"].strip().lower(): (r.get("count") or 0) / total * 100 for r in rows}
    return shares


def representation(records: list[dict[str, Any]], shares: dict[str, dict[str, float]]
                   ) -> tuple[dict[str, dict[str, float]], tuple[float, str, str, float, float] | None]:
    """Representation ratios per characteristic and group, and the lowest (ratio, char, group, staff%, community%)."""
    ratios: dict[str, dict[str, float]] = {}
    lowest = None
    for char, groups in shares.items():
        counts = recorded_counts(records, char)
        total = sum(counts.values())
        if not total:
            continue
        for group, community_pct in sorted(groups.items()):
            staff_pct = counts.get(group, 0) / total * 100
            ratio = representation_ratio(staff_pct, community_pct)
            if ratio is None:
                continue
            ratios.setdefault(char, {})[group] = ratio
            if community_pct >= MIN_COMMUNITY_SHARE_PCT and (lowest is None or ratio < lowest[0]):
                lowest = (ratio, char, group, staff_pct, community_pct)
    return ratios, lowest


def _ratio_statement(low, where: str) -> str:  # noqa: ANN001
    ratio, char, group, staff, community = low
    return (f"{group.capitalize()} people ({characteristic_label(char)}) are {community:.0f}% of residents "
            f"but {staff:.0f}% of {where} (ratio {ratio:.2f}).")


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    facts: list[efl.Fact] = []
    record = context.evidence.latest("workforce-profile")
    if record is not None and record.parsed is not None:
        profile: WorkforceProfile = record.parsed
        ids = [record.item.id]
        facts.append(efl.Fact("workforce.employees", len(profile.records), ids))
        facts += pay_gap_facts(profile.records, ids)
        facts += declaration_facts(profile, ids)
        community = context.evidence.latest("community-profile")
        if community is not None and community.parsed is not None:
            shares = community_shares(community.parsed)
            both = ids + [community.item.id]
            ratios, low = representation(profile.records, shares)
            if ratios:
                facts.append(efl.Fact("workforce.representation", ratios, both))
            if low:
                facts.append(efl.Fact("workforce.lowest_representation_ratio", low[0], both,
                                      _ratio_statement(low, "staff")))
            senior = [r for r in profile.records if r["senior"]]
            _, senior_low = representation(senior, shares)
            if senior_low:
                facts.append(efl.Fact("workforce.senior_lowest_representation_ratio", senior_low[0], both,
                                      _ratio_statement(senior_low, "senior staff")))
    training = context.evidence.latest("training-records")
    if training is not None and training.parsed is not None:
        headcount = sum(r["headcount"] for r in training.parsed)
        if headcount:
            done = sum(r["completed"] for r in training.parsed) / headcount * 100
            facts.append(efl.Fact("workforce.training_completion_pct", done, [training.item.id],
                                  f"{_pct(done)} of staff have completed equality training."))
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
                                  f"in every service ({_pct(coverage)})."))
    return facts
