"""Ethnicity and disability pay gaps: the gender pay gap's measures for each ethnic group against White
British employees, for all ethnic minority employees together, and for disabled against non-disabled
employees, from the ``workforce-profile`` evidence.

Worked as the government's guidance sets them: "Ethnicity pay reporting: guidance for employers"
(Department for Business and Trade, April 2023) mirrors the gender pay gap method (SI 2017/353
Schedule 1) for ethnic groups, with White British as the group each is compared with; the voluntary
disability reporting framework (2018) and the Equality (Race and Disability) Bill consultation (2025)
compare disabled with non-disabled employees, and propose at least 10 employees in every group
compared. None of this is a legal duty today. The measures themselves are the gender pay gap's, for
any two groups (:func:`efl.pay_gap`), worked out exactly; which groups can be shown is planned by
:func:`efl.plan_comparisons`. The choices the guidance leaves open are settings under ``pay_gaps:``
in ``assessment.yaml``, and every statement says which were used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import efl
# The gender pay gap's sentence for who is left out, shared with the built-in workforce plugin whose
# profile these figures are worked from.
from efl_plugins.workforce import kept_rows, left_out_sentence
from efl.provisional import (and_list, classifications_for, DECLINED, GROUP, NOT_RECORDED, one_decimal,
                             pay_gap, pay_groups, PayGroup, plan_comparisons)

BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")
GUIDANCE = ("the government's guidance \"Ethnicity pay reporting: guidance for employers\" (Department for "
            "Business and Trade, 2023)")
CONSULTATION = "the government's 2025 consultation on pay gap reporting for the Equality (Race and Disability) Bill"
# How the people of a group are named in a sentence, where "<name> employees" would not read well.
PEOPLE = {"asian": "Asian employees", "black": "Black employees",
          "mixed": "employees of mixed or multiple ethnic groups", "other": "employees of other ethnic groups",
          "other-mixed": "employees of other mixed or multiple ethnic groups",
          "any-other": "employees of any other ethnic group"}


@dataclass(frozen=True)
class Characteristic:
    """What differs between the ethnicity and the disability pay gap."""

    column: str             # the characteristic id (the workforce file's column)
    facts: str              # the facts' stem: workforce.ethnicity_pay_gap, ...
    disclosure: str         # the disclosure fact
    what: str               # "ethnic group", "disability": what people record
    title: str              # "Ethnicity pay gap"
    everyone_else: str      # the name of everyone outside the reference group
    everyone_else_people: str  # ... as people: "ethnic minority employees"
    source: str             # the guidance the comparison follows


ETHNICITY = Characteristic("race", "workforce.ethnicity_pay_gap", "workforce.ethnicity_disclosure_pct",
                           "ethnic group", "Ethnicity pay gap", "All ethnic minority groups",
                           "ethnic minority employees", GUIDANCE)
DISABILITY = Characteristic("disability", "workforce.disability_pay_gap", "workforce.disability_disclosure_pct",
                            "whether they are disabled", "Disability pay gap", "Disabled employees",
                            "disabled employees", CONSULTATION)
KINDS = (ETHNICITY, DISABILITY)


# --- settings --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Method:
    """The choices behind one characteristic's comparisons (``pay_gaps:`` in ``assessment.yaml``)."""

    reference: str       # category id
    minimum: int
    detail: str          # finest, a level id, or together
    small_groups: str    # combine or withhold


def method_for(kind: Characteristic, assessment: Any, classification: Any) -> Method:
    settings = getattr(assessment, "pay_gaps", None)
    minimum = getattr(settings, "minimum_group", 10) if settings is not None else 10
    small = getattr(settings, "small_groups", "combine") if settings is not None else "combine"
    if kind is DISABILITY:
        # Disabled against non-disabled employees, taken together, as the 2025 consultation proposes.
        return Method("not-disabled", minimum, "together", small)
    reference = getattr(settings, "ethnicity_reference", None) if settings is not None else None
    detail = getattr(settings, "ethnicity_groups", "finest") if settings is not None else "finest"
    ref = "white-british"
    if reference:
        match = classification.read(reference)
        if match.category:
            ref = match.category
    return Method(ref, minimum, detail, small)


def method_sentence(kind: Characteristic, method: Method, classification: Any) -> str:
    """The choices behind the figures, in short sentences a councillor reads."""
    reference = classification.name(method.reference)
    if kind is ETHNICITY:
        detail = {"finest": "Groups are as fine as the records and the group sizes allow.",
                  "together": "Only all ethnic minority employees together are compared."}.get(
            method.detail, f"Groups are shown at the level of {classification.level_title(method.detail)}.")
        how = (f"Each ethnic group is compared with {reference} employees, and so are all ethnic minority "
               f"employees together. {detail} This follows {GUIDANCE}.")
        small = ("It is counted in the broader group it belongs to." if method.small_groups == "combine"
                 else "It is counted only in the figure for all ethnic minority employees together.")
        small = f"A group of fewer than {method.minimum} employees is not shown on its own. {small}"
    else:
        how = f"Disabled employees are compared with employees who are not disabled. This follows {CONSULTATION}."
        small = f"No figure is shown if either group has fewer than {method.minimum} employees."
    return f"{how} {small} No law requires councils to publish these figures today."


# --- the figures -----------------------------------------------------------------------------------

def _pct(x: Fraction) -> str:
    return f"{one_decimal(x):.1f}%"


def _people_phrase(name: str, category: str | None = None) -> str:
    """How a group's people are named in a sentence: "Black African employees"."""
    if category in PEOPLE:
        return PEOPLE[category]
    lowered = name[:1].lower() + name[1:] if name.startswith(("All ", "Any ", "Disabled")) else name
    if lowered.startswith("all "):
        lowered = lowered[4:]
    if lowered.startswith("any other"):
        return f"employees of {lowered}"
    if lowered.endswith(" groups"):
        return f"employees in {lowered}"
    if lowered.endswith(" employees"):
        return lowered
    return f"{lowered} employees"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def gap_sentence(people: str, reference_people: str, word: str, what: str, gap: Fraction) -> str:
    """"Black African employees' median hourly pay is 8.2% lower than White British employees'."""
    possessive = f"{people}'" if people.endswith("s") else f"{people}'s"
    subject = (f"{_cap(possessive)} {word} {what}" if people.endswith("employees")
               else f"The {word} {what} of {people}")
    against = f"{reference_people}'" if subject.startswith(_cap(possessive)) else f"that of {reference_people}"
    if gap == 0:
        return f"{subject} is the same as {against}."
    direction = "lower" if gap > 0 else "higher"
    if one_decimal(gap) == 0:
        return f"{subject} is less than 0.05% {direction} than {against} (0.0% to one decimal place)."
    return f"{subject} is {_pct(abs(gap))} {direction} than {against}."


def _why_not(people: str, reference_people: str, figure: str, group: PayGroup, ref: PayGroup) -> str:
    """Why a figure of one comparison is not defined, in words."""
    if figure in ("mean_hourly_pct", "median_hourly_pct"):
        empty = [p for p, g in ((people, group), (reference_people, ref)) if not g.hourly]
        if empty:
            return f"none of the {' or '.join(empty)} on full pay has an hourly rate recorded"
        return f"the {figure.split('_')[0]} hourly pay of {reference_people} is £0"
    empty = [p for p, g in ((people, group), (reference_people, ref)) if not g.bonuses]
    return f"no {' or '.join(empty)} were paid a bonus"


def comparison(name: str, group_id: str, categories: list[str], reference: str, reference_id: str,
               group: PayGroup, ref: PayGroup, sentence_people: str, reference_people: str,
               no_bonus: str | None = None) -> dict[str, Any]:
    """One comparison as the fact holds it: every figure exact (stored as the nearest float).

    :param no_bonus: why there are no bonus figures (the file has no bonus column), if so: never a 0%.
    """
    gap = pay_gap(group, ref)
    out: dict[str, Any] = {
        "group": name, "group_id": group_id, "categories": categories,
        "reference": reference, "reference_id": reference_id, "reference_people": reference_people,
        "employees": group.employees, "reference_employees": ref.employees,
        "hourly_employees": len(group.hourly), "reference_hourly_employees": len(ref.hourly),
        "bonus_employees": len(group.bonuses), "reference_bonus_employees": len(ref.bonuses),
    }
    not_defined: dict[str, str] = {}
    for figure in ("mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct"):
        value = getattr(gap, figure)
        out[figure] = value
        if value is None:
            not_defined[figure] = _why_not(sentence_people, reference_people, figure, group, ref)
    out["bonus_group_pct"] = gap.bonus_group_pct
    out["bonus_reference_pct"] = gap.bonus_reference_pct
    if no_bonus:
        for figure in ("mean_bonus_pct", "median_bonus_pct", "bonus_group_pct", "bonus_reference_pct"):
            out[figure], not_defined[figure] = None, no_bonus
    bands = gap.quartiles
    if bands is None:
        out["quartiles"] = None
        not_defined["quartiles"] = (f"none of the {sentence_people} or {reference_people} on full pay has an "
                                    "hourly rate recorded")
    else:
        out["quartiles"] = [{"band": band, "size": b.size, "group": b.group, "reference": b.reference,
                             "group_pct": b.group_pct, "reference_pct": b.reference_pct}
                            for band, b in zip(BAND_NAMES, bands)]
        empty = [band for band, b in zip(BAND_NAMES, bands) if not b.size]
        if empty:
            ranked = sum(b.size for b in bands)
            not_defined["quartiles"] = (f"only {ranked} full-pay employees are ranked, so the {and_list(empty)} "
                                        f"{'quarter is' if len(empty) == 1 else 'quarters are'} empty")
    out["not_defined"] = not_defined
    median = gap.median_hourly_pct
    mean = gap.mean_hourly_pct
    if median is not None:
        out["sentence"] = gap_sentence(sentence_people, reference_people, "median", "hourly pay", median)
    elif mean is not None:
        out["sentence"] = gap_sentence(sentence_people, reference_people, "mean", "hourly pay", mean)
    else:
        out["sentence"] = (f"The hourly pay gap between {sentence_people} and {reference_people} cannot be worked "
                           f"out: {not_defined['median_hourly_pct']}.")
    return out


def _left_out(kinds: Counter, unplaced: dict[str, int], unknown: int, classification: Any, reference: str,
              placed: list[PayGroup], what: str) -> dict[str, dict[str, int]]:
    every: dict[str, int] = {}
    if kinds.get(NOT_RECORDED):
        every[f"{what} not recorded"] = kinds[NOT_RECORDED]
    if kinds.get(DECLINED):
        every["chose not to say"] = kinds[DECLINED]
    for category, n in unplaced.items():
        every[f"recorded only as {classification.name(category)}, which does not say whether "
              f"{classification.name(reference)}"] = n
    if unknown:
        every[f"{what} written in a way that matches no Census 2021 group"] = unknown
    everyone = sum(placed[1:], placed[0]) if placed else PayGroup()
    reduced = everyone.employees - everyone.full_pay
    hourly = {"not on full pay in the pay period": reduced, "no hourly pay recorded": everyone.no_hourly_rate}
    return {"all_figures": dict(sorted(every.items())),
            "hourly_figures": {reason: n for reason, n in sorted(hourly.items()) if n}}


def disclosure_sentence(kind: Characteristic, employees: int, kinds: Counter) -> str:
    recorded = kinds.get(GROUP, 0)
    declined, missing = kinds.get(DECLINED, 0), kinds.get(NOT_RECORDED, 0)
    words = "ethnic group" if kind is ETHNICITY else "whether they are disabled"
    recorded_words = "their " + words if kind is ETHNICITY else words
    if recorded == employees:
        return f"All {employees:,} employees have recorded {recorded_words}."
    text = (f"{recorded:,} of the {employees:,} employees ({_pct(Fraction(recorded * 100, employees))}) have "
            f"recorded {recorded_words}")
    others = []
    if declined:
        others.append(f"{declined:,} chose not to say")
    if missing:
        others.append(f"{missing:,} have nothing recorded")
    return text + (f"; {and_list(others)}." if others else ".")


def _label(reading: Any) -> str | None:
    """The group a person's answer places them in for the pay gaps, or None (not placed)."""
    return reading.group if reading.kind == GROUP and reading.classified else None


def _kinds(readings: Any) -> tuple[Counter, int]:
    """How many people gave each kind of answer (in the order the kinds first appear), and how many
    named a group the classification does not know."""
    column = getattr(readings, "column", None)
    if column is None or not hasattr(column, "count_together"):
        return (Counter(r.kind for r in readings),
                sum(1 for r in readings if r.kind == GROUP and not r.classified))
    # Codes number the distinct answers in the order they first appear, so kinds keep that order too.
    kinds: Counter = Counter()
    unknown = 0
    tally = column.tally()
    for code in sorted(tally):
        reading = readings.meanings[code]
        kinds[reading.kind] += tally[code]
        if reading.kind == GROUP and not reading.classified:
            unknown += tally[code]
    return kinds, unknown


def characteristic_facts(kind: Characteristic, profile: Any, context: Any, ids: list[str]) -> list[efl.Fact]:
    """Every fact of one characteristic's pay gaps (see the module docstring)."""
    employees = profile.employees
    readings = (kept_rows(profile, "readings") if hasattr(profile, "rows_of")
                else getattr(profile, "readings", {})).get(kind.column)
    if readings is None or not employees:
        return [efl.Fact(f"{kind.facts}_left_out", {"all_figures": {f"no {kind.column} column": employees},
                                                    "hourly_figures": {}}, ids,
                         f"The {kind.title.lower()} cannot be worked out: the workforce profile has no column "
                         f"recording {kind.what}.")]
    classification = classifications_for(context).get(kind.column)
    kinds, unknown = _kinds(readings)
    facts = [efl.Fact(kind.disclosure, Fraction(kinds.get(GROUP, 0) * 100, employees), ids,
                      disclosure_sentence(kind, employees, kinds))]
    if "hourly_pay" not in profile.columns:
        facts.append(efl.Fact(f"{kind.facts}_left_out", {"all_figures": {"no hourly_pay column": employees},
                                                         "hourly_figures": {}}, ids,
                              f"The {kind.title.lower()} cannot be worked out: the workforce profile has no hourly "
                              "pay column."))
        return facts
    if classification is None:
        return facts
    method = method_for(kind, context.assessment, classification)
    remap = getattr(readings, "remap", None)  # a column read by Arrow: each distinct answer looked at once
    labels = remap(_label) if remap is not None else [_label(r) for r in readings]
    groups = pay_groups(labels, *(kept_rows(profile, name) for name in ("hourly_pay", "full_pay", "bonus_pay")))
    counts = {c: g.employees for c, g in groups.items()}
    plan = plan_comparisons(classification, counts, method.reference, method.minimum, method.detail,
                            method.small_groups, kind.everyone_else)
    reference_name = plan.reference_name
    ref = _total([g for c, g in groups.items() if classification.contains(method.reference, c)])
    placed = [g for c, g in groups.items() if c not in plan.unplaced]
    left = _left_out(kinds, plan.unplaced, unknown, classification, method.reference, placed,
                     "ethnic group" if kind is ETHNICITY else "disability")
    facts.append(efl.Fact(f"{kind.facts}_left_out", left, ids, left_out_sentence(employees, left, kind.title.lower())))
    facts.append(efl.Fact(f"{kind.facts}_method", {"reference": reference_name, "reference_id": method.reference,
                                                   "minimum_group": method.minimum, "groups": method.detail,
                                                   "small_groups": method.small_groups},
                          ids, method_sentence(kind, method, classification)))
    reference_people = "non-disabled employees" if kind is DISABILITY else _people_phrase(reference_name,
                                                                                          method.reference)
    if plan.why_none:
        few = [people for people, n in ((reference_people, plan.reference_employees),
                                        (kind.everyone_else_people, plan.outside_employees)) if n < method.minimum]
        why = (f"there are fewer than {method.minimum} {f' and fewer than {method.minimum} '.join(few)}, so "
               "showing the figures could identify people")
        facts.append(efl.Fact(f"{kind.facts}_not_shown", [{"group": kind.everyone_else, "why": why}], ids,
                              f"No {kind.title.lower()} can be shown: {why}."))
        return facts
    order = {c: i for i, c in enumerate(classification.categories)}
    no_bonus = ("no bonus column was found in the workforce file"
                if "bonus_pay" in (getattr(profile, "missing", None) or {}) else None)
    value = []
    for shown in plan.shown:
        group = _total([groups[c] for c in shown.categories if c in groups])
        people = kind.everyone_else_people if shown.id == "all" else _people_phrase(shown.name, shown.id)
        value.append(comparison(shown.name, shown.id, sorted(shown.categories, key=order.get), reference_name,
                                method.reference, group, ref, people, reference_people, no_bonus))
    headline = value[0]["sentence"]
    disclosure = _pct(Fraction(kinds.get(GROUP, 0) * 100, employees))
    facts.append(efl.Fact(kind.facts, value, ids, f"{headline} Of all employees, {disclosure} have recorded "
                          f"{'their ethnic group' if kind is ETHNICITY else 'whether they are disabled'}."))
    if plan.not_shown:
        facts.append(efl.Fact(f"{kind.facts}_not_shown", [{"group": n.name, "group_id": n.id, "why": n.why,
                                                          "counted_in": n.counted_in} for n in plan.not_shown],
                              ids, not_shown_sentence(plan, method)))
    if kind is ETHNICITY:
        facts += quarter_facts(plan, method, classification, readings, profile, ids)
    return facts


NOT_PLACED = "not-placed"


def quarter_cells(plan: Any, reference: str, reference_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """The groups the pay quarters are shown for, each employee in exactly one: the reference group,
    and each shown group less the shown groups inside it ("Asian ... other than Indian"), so small
    groups are combined or withheld as in the comparisons (the plan keeps every such remainder at 0
    or at least the minimum). Returns category -> cell id, and cell id -> name (in the order shown)."""
    shown = list(plan.shown)
    cell_of = {c: min((g for g in shown if c in g.categories), key=lambda g: len(g.categories)).id
               for g0 in shown for c in g0.categories}
    names = {reference: reference_name}
    for group in shown:
        if group.id not in cell_of.values():
            continue
        inner = [g for g in shown if g.categories < group.categories
                 and not any(g.categories < h.categories < group.categories for h in shown)]
        if not inner:
            names[group.id] = group.name
        elif group.id == "all":
            names[group.id] = "Other ethnic minority groups"
        else:
            names[group.id] = f"{group.name} other than {and_list([g.name for g in inner])}"
    # A remainder ("... other than Indian") comes after the groups inside it.
    pos = {g.id: i for i, g in enumerate(shown)}
    last = {g.id: max(pos[h.id] for h in shown if h.categories <= g.categories) for g in shown}
    names = {reference: reference_name, **{c: names[c] for c in sorted(
        (c for c in names if c != reference), key=lambda c: (last[c], pos[c] != last[c]))}}
    names[NOT_PLACED] = "No ethnic group recorded or placed"
    return cell_of, names


def quarter_facts(plan: Any, method: Method, classification: Any, readings: list[Any], profile: Any,
                  ids: list[str]) -> list[efl.Fact]:
    """The share of each pay quarter in each ethnic group: every full-pay employee with an hourly rate
    ranked together, as the gender pay gap ranks them (guidance: "percentage of employees in each
    ethnic group in each pay quarter")."""
    cell_of, names = quarter_cells(plan, method.reference, plan.reference_name)

    def cell(reading: Any) -> str:
        category = reading.group if reading.kind == GROUP and reading.classified else None
        if category is None:
            return NOT_PLACED
        return method.reference if classification.contains(method.reference, category) else \
            cell_of.get(category, NOT_PLACED)

    # A column read by Arrow maps each distinct answer once (``remap``); a list is mapped person by person.
    remap = getattr(readings, "remap", None)
    labels = remap(cell) if remap is not None else [cell(r) for r in readings]
    groups = pay_groups(labels, kept_rows(profile, "hourly_pay"), kept_rows(profile, "full_pay"))
    order = [c for c in names if c in groups and groups[c].hourly]
    if not order:
        return []
    counted = {c: groups[c].hourly_counts for c in order}
    if all(v is not None for v in counted.values()):
        sizes, counts = quarters_counted(counted)  # a column read by Arrow: worked per rate, not per person
    else:
        sizes, counts = quarters({c: groups[c].hourly for c in order})
    ranked = sum(sizes)
    rows = [{"group": names[c], "group_id": None if c == NOT_PLACED else c, "employees": len(groups[c].hourly),
             "counts": counts[c], "pct": [Fraction(n * 100, size) if size else None for n, size in zip(counts[c], sizes)]}
            for c in order]
    value = {"ranked": ranked, "bands": [{"band": b, "size": n} for b, n in zip(BAND_NAMES, sizes)],
             "reference": plan.reference_name, "groups": rows}
    return [efl.Fact(QUARTERS_FACT, value, ids, quarters_sentence(value, method.reference))]


def quarters_sentence(value: dict[str, Any], reference: str) -> str:
    """Who is in the lowest and highest paid quarters, in two short sentences."""
    sizes = [b["size"] for b in value["bands"]]
    ref = next((g for g in value["groups"] if g["group_id"] == reference), None)
    minority = [g for g in value["groups"] if g["group_id"] not in (reference, None)]
    if not sizes[3] or ref is None:
        return (f"{value['ranked']:,} full-pay employees are ranked by hourly pay, too few to fill every "
                "pay quarter.")
    out = [f"All {value['ranked']:,} full-pay employees with an hourly rate are ranked by hourly pay, lowest first, "
           "and cut into four quarters."]
    for k, band in ((0, "lowest"), (3, "highest")):
        ethnic = sum(g["counts"][k] for g in minority)
        out.append(f"In the {band} paid quarter, {_pct(Fraction(ref['counts'][k] * 100, sizes[k]))} are "
                   f"{value['reference']} and {_pct(Fraction(ethnic * 100, sizes[k]))} are from ethnic minority groups.")
    return " ".join(out)


def _total(groups: list[PayGroup]) -> PayGroup:
    return sum(groups[1:], groups[0]) if groups else PayGroup()


def not_shown_sentence(plan: Any, method: Method) -> str:
    small = [n.name for n in plan.not_shown if n.why.startswith("fewer than")]
    other = [n.name for n in plan.not_shown if not n.why.startswith("fewer than")]
    parts = []
    if small:
        where = ("the broader groups' figures" if method.small_groups == "combine"
                 else "the figures for all ethnic minority employees together")
        parts.append(f"Not shown on their own because each has fewer than {plan.minimum} employees: "
                     f"{and_list(small, semicolons=True)}; their employees are counted in {where}.")
    if other:
        parts.append(f"Also not shown on their own, so that a smaller group's figures cannot be worked out by "
                     f"subtracting one figure from another: {and_list(other, semicolons=True)}.")
    return " ".join(parts)


# --- hooks -----------------------------------------------------------------------------------------

FACTS = {}
VALUE_KINDS = {}  # what kind of value each fact is (efl.FactSpec.kind)
for _kind in KINDS:
    _name = _kind.title.lower()
    FACTS.update({
        _kind.facts: f"the {_name}: each group compared with the reference group, every measure at full precision",
        _kind.disclosure: f"the share of employees who have recorded {_kind.what} (%)",
        f"{_kind.facts}_not_shown": f"the groups not shown on their own in the {_name}, and why",
        f"{_kind.facts}_left_out": f"how many employees the {_name} figures leave out, and why",
        f"{_kind.facts}_method": f"the reference group, minimum group size and grouping the {_name} uses",
    })
    VALUE_KINDS.update({_kind.facts: "list", _kind.disclosure: "number", f"{_kind.facts}_not_shown": "list",
                        f"{_kind.facts}_left_out": "mapping", f"{_kind.facts}_method": "mapping"})


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    for name, description in FACTS.items():
        register(efl.FactSpec(name, description, ("workforce-profile",), kind=VALUE_KINDS[name]))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    record = context.evidence.latest("workforce-profile")
    profile = record.parsed if record is not None else None
    # (Asked of the instance's own fields first: reading a field of rows would make its list.)
    if profile is None or not all(a in getattr(profile, "__dict__", ()) or hasattr(profile, a)
                                  for a in ("hourly_pay", "columns", "employees")):
        return None
    facts: list[efl.Fact] = []
    for kind in KINDS:
        facts += characteristic_facts(kind, profile, context, [record.item.id])
    return facts


# The pay quarters' fact joins the table of facts above (it is added here, apart from that table, which
# work on declaring each fact's kind of value is changing; its kind is set wherever kinds are declared).
QUARTERS_FACT = "workforce.ethnicity_pay_quarters"
FACTS[QUARTERS_FACT] = ("the share of each quarter of hourly pay in each ethnic group, every full-pay employee "
                        "ranked together (small groups combined or withheld as in the ethnicity pay gap)")
globals().get("VALUE_KINDS", {})[QUARTERS_FACT] = "mapping"


# --- pay quarters of many groups -------------------------------------------------------------------
#
# The four quarters of hourly pay for many groups at once: how many of each group are in each quarter.
#
# The gender pay gap ranks every full-pay relevant employee by hourly pay, lowest first, and cuts the
# ranking into four quarters of equal size, the people left over going to the lower quarters as the
# guidance fixes them (:func:`efl.band_bounds`). Where one hourly rate straddles a dividing line, the
# people on it are shared between the quarters it spans so that each quarter's share has the rate's own
# mix of people (SI 2017/353 Sch. 1). With two groups that is the gender pay gap's rule exactly; here it
# is the same rule for any number of groups (all ethnic groups ranked together, as the ethnicity pay
# reporting guidance's "percentage of employees in each ethnic group in each pay quarter" asks).
#
# Sharing a tie among many groups in whole people is a rounding of a table (groups by quarters) whose
# rows must add up to each group's people on the rate and whose columns to the places in each quarter:
# every cell is its exact share rounded down or up. Group by group, in the order given, the largest
# remainders are rounded up first (the lower quarter first on equal ones), as the gender pay gap's rule
# does for the women, the men taking the rest; where that leaves a later group short of a place, an
# exchange along a path of cells settles it. Worked in integers, so the same payroll
# always gives the same quarters whatever the order of its rows.


def share_tie(counts: list[int], places: list[int]) -> list[list[int]]:
    """Share a tie's people (``counts[g]`` of group g) among places of sizes ``places`` (the parts of
    the quarters the tie spans), each group in proportion to the places, in whole people.

    Rows add up to ``counts``, columns to ``places`` (which must have the same total), and every cell
    is ``counts[g] * places[j] / total`` rounded down or up.
    """
    total = sum(places)
    if sum(counts) != total:
        raise ValueError(f"{sum(counts)} people cannot fill {total} places")
    if not total:
        return [[0] * len(places) for _ in counts]
    cells = [[c * p // total for p in places] for c in counts]
    rest = [[c * p % total for p in places] for c in counts]
    row_need = [c - sum(row) for c, row in zip(counts, cells)]
    col_need = [p - sum(cells[g][j] for g in range(len(counts))) for j, p in enumerate(places)]
    raised = [[False] * len(places) for _ in counts]
    # Group by group in the order given, each its largest remainders first (lower quarter first on
    # equal ones): with two groups, the first has exactly the gender pay gap's share and the other the rest.
    order = sorted(((g, j) for g in range(len(counts)) for j in range(len(places)) if rest[g][j]),
                   key=lambda gj: (gj[0], -rest[gj[0]][gj[1]], gj[1]))
    for g, j in order:
        if row_need[g] and col_need[j]:
            cells[g][j] += 1
            raised[g][j] = True
            row_need[g] -= 1
            col_need[j] -= 1
    # Any row still short: move a rounding-up along a path row -> column -> row ... to a column still short.
    for g in range(len(counts)):
        while row_need[g]:
            path = _path(g, rest, raised, col_need)
            if path is None:  # cannot happen for a consistent table; a loud failure beats wrong quarters
                raise AssertionError("a tie could not be shared in whole people")
            for k, (row, col) in enumerate(path):
                step = 1 if k % 2 == 0 else -1
                cells[row][col] += step
                raised[row][col] = step == 1
            col_need[path[-1][1]] -= 1
            row_need[g] -= 1
    return cells


def _path(start: int, rest: list[list[int]], raised: list[list[bool]], col_need: list[int]
          ) -> list[tuple[int, int]] | None:
    """Cells to raise and lower in turn (raise first) from row ``start`` to a column still short."""
    seen_cols: set[int] = set()

    def visit(row: int) -> list[tuple[int, int]] | None:
        for col in range(len(col_need)):
            if col in seen_cols or not rest[row][col] or raised[row][col]:
                continue
            seen_cols.add(col)
            if col_need[col]:
                return [(row, col)]
            for other in range(len(rest)):
                if raised[other][col]:
                    tail = visit(other)
                    if tail is not None:
                        return [(row, col), (other, col), *tail]
        return None

    return visit(start)


def quarters(groups: dict[Any, list[Any]]) -> tuple[list[int], dict[Any, list[int]]]:
    """The four quarters of everyone in ``groups`` (each group's hourly pay, lowest first).

    Returns the size of each quarter (lower first) and, per group, how many of it are in each.
    Everybody is ranked together; fewer than four people fill the quarters "so far as possible".
    """
    from bisect import bisect_left, bisect_right
    from heapq import merge

    from efl.provisional import band_bounds

    keys = list(groups)
    ranked = list(merge(*(groups[k] for k in keys)))
    cuts = band_bounds(len(ranked))
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    before: dict[Any, list[int]] = {k: [0] * 5 for k in keys}  # per group, how many are among the first cuts[i] ranked
    ties: dict[Any, tuple[list[int], list[list[int]]]] = {}
    for i, cut in enumerate(cuts):
        if cut == 0:
            continue
        if cut >= len(ranked):
            for k in keys:
                before[k][i] = len(groups[k])
            continue
        rate = ranked[cut]
        first = bisect_left(ranked, rate)
        for k in keys:
            before[k][i] = bisect_left(groups[k], rate)
        if first == cut:
            continue  # nobody on this rate is below the line
        if rate not in ties:
            last = bisect_right(ranked, rate)
            edges = [first, *sorted({c for c in cuts if first < c < last}), last]
            counts = [bisect_right(groups[k], rate) - bisect_left(groups[k], rate) for k in keys]
            ties[rate] = (edges, share_tie(counts, [b - a for a, b in zip(edges, edges[1:])]))
        edges, shared = ties[rate]
        upto = edges.index(cut)
        for g, k in enumerate(keys):
            before[k][i] += sum(shared[g][:upto])
    return sizes, {k: [before[k][i + 1] - before[k][i] for i in range(4)] for k in keys}


def quarters_counted(groups: dict[Any, dict[Any, int]]) -> tuple[list[int], dict[Any, list[int]]]:
    """:func:`quarters` from how many of each group are on each hourly rate (``{rate: people}``), the
    same figures without ranking anyone one by one.

    A payroll has a few hundred distinct rates however many people it pays: the ranking is a run of
    equal rates per distinct rate, so where each dividing line falls, how many of each group are below
    it, and which tie straddles it are found from running totals per rate. Rates must be all ints or
    all floats (equal rates are then one key) and not NaN, as the counted pay groups ensure.
    """
    from bisect import bisect_left, bisect_right
    from itertools import accumulate

    from efl.provisional import band_bounds

    keys = list(groups)
    people: dict[Any, int] = {}  # everyone on each rate, all groups together
    for k in keys:
        for rate, n in groups[k].items():
            if n:
                people[rate] = people.get(rate, 0) + n
    rates = sorted(people)
    starts = list(accumulate((people[r] for r in rates), initial=0))  # ranked before each rate
    total = starts[-1]
    # Per group, its own distinct rates, lowest first, and how many of it are below each.
    own = {k: sorted(r for r, n in groups[k].items() if n) for k in keys}
    below = {k: list(accumulate((groups[k][r] for r in own[k]), initial=0)) for k in keys}
    cuts = band_bounds(total)
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    before: dict[Any, list[int]] = {k: [0] * 5 for k in keys}
    ties: dict[int, tuple[list[int], list[list[int]]]] = {}
    for i, cut in enumerate(cuts):
        if cut == 0:
            continue
        if cut >= total:
            for k in keys:
                before[k][i] = below[k][-1]
            continue
        j = bisect_right(starts, cut) - 1  # the rate the person ranked at ``cut`` is on
        rate, first = rates[j], starts[j]
        for k in keys:
            before[k][i] = below[k][bisect_left(own[k], rate)]
        if first == cut:
            continue  # nobody on this rate is below the line
        if j not in ties:
            last = starts[j + 1]
            edges = [first, *sorted({c for c in cuts if first < c < last}), last]
            ties[j] = (edges, share_tie([groups[k].get(rate, 0) for k in keys],
                                        [b - a for a, b in zip(edges, edges[1:])]))
        edges, shared = ties[j]
        upto = edges.index(cut)
        for g, k in enumerate(keys):
            before[k][i] += sum(shared[g][:upto])
    return sizes, {k: [before[k][i + 1] - before[k][i] for i in range(4)] for k in keys}
