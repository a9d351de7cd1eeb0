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
from efl_plugins.workforce import left_out_sentence
from efl import (DECLINED, GROUP, NOT_RECORDED, PayGroup, and_list, classifications_for, one_decimal, pay_gap,
                 pay_groups, plan_comparisons)

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
    readings = getattr(profile, "readings", {}).get(kind.column)
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
    groups = pay_groups(labels, profile.hourly_pay, profile.full_pay, profile.bonus_pay)
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
    return facts


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
    if profile is None or not all(hasattr(profile, a) for a in ("hourly_pay", "columns", "employees")):
        return None
    facts: list[efl.Fact] = []
    for kind in KINDS:
        facts += characteristic_facts(kind, profile, context, [record.item.id])
    return facts
