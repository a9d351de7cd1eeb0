"""Every workforce sentence the Bexley example prints, checked against figures worked here from its
files by independent code (csv.DictReader, exact fractions, the reference implementation of the
guidance), so a committee paper built from the example says only what is true."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from efl.testing import run_efl
from test_paygap_guidance import reference_figures

BEXLEY = Path(__file__).resolve().parent.parent / "assessments" / "bexley"
NO_ANSWER = {"", "prefer not to say", "not known"}


def rows(name: str) -> list[dict[str, str]]:
    with (BEXLEY / "evidence" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def half_up(x, places: str = "0.1") -> Decimal:
    """An exact figure (a Fraction) or a float's decimal form, to ``places``, halves away from zero."""
    if isinstance(x, Fraction):
        unit = Fraction(Decimal(places))
        whole = int(abs(x) / unit + Fraction(1, 2))
        return (Decimal(whole) * Decimal(places)).copy_sign(Decimal(x.numerator)).quantize(Decimal(places))
    return Decimal(repr(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def statements() -> dict[str, str]:
    result = run_efl("assess", BEXLEY, "--format", "json").assert_success()
    return {f["name"]: f["statement"] for f in result.json["facts"] if f["statement"]}


@pytest.fixture(scope="module")
def staff() -> list[dict[str, str]]:
    return rows("workforce-profile.csv")


def test_headcount(statements, staff):
    assert statements["workforce.employees"] == f"The workforce profile lists {len(staff)} employees."
    assert statements["council.employees"] == f"The workforce profile lists {len(staff)} employees on 31 March 2025."


def test_pay_gap_sentences(statements, staff):
    sex = {"F": "female", "M": "male"}
    figures = reference_figures([(sex.get(r["sex"].strip()), r["hourly_pay"], r["full_pay"] == "true",
                                  r["bonus_pay"]) for r in staff])
    for word in ("mean", "median"):
        gap = figures[f"{word}_hourly_pct"]
        pence = int((Decimal(100) - half_up(gap)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert statements[f"workforce.pay_gap.{word}_hourly_pct"] == (
            f"The {word} gap in hourly pay is {half_up(gap)}%: women earn {pence}p for every £1 men earn.")
    assert statements["workforce.pay_gap.bonus_men_pct"] == f"{half_up(figures['bonus_men_pct'])}% of men were paid a bonus."
    assert statements["workforce.pay_gap.bonus_women_pct"] == (
        f"{half_up(figures['bonus_women_pct'])}% of women were paid a bonus.")
    lower, upper = figures["quartiles"][0], figures["quartiles"][3]
    lower_pct, upper_pct = half_up(Fraction(lower[2] * 100, lower[0])), half_up(Fraction(upper[2] * 100, upper[0]))
    assert statements["workforce.pay_gap.quartiles"] == (
        f"Women are {lower_pct}% of the lower pay quarter but {upper_pct}% of the upper.")
    mean_bonus = figures["mean_bonus_pct"]
    assert mean_bonus < 0 and statements["workforce.pay_gap.mean_bonus_pct"] == (
        f"The mean gap in bonus pay is {half_up(-mean_bonus)}% in women's favour: women's mean bonus pay is higher "
        "than men's.")


def test_left_out_sentence(statements, staff):
    unusable = [r for r in staff if r["sex"].strip() not in ("F", "M")]
    reduced = [r for r in staff if r["sex"].strip() in ("F", "M") and r["full_pay"] != "true"]
    assert statements["workforce.pay_gap.left_out"] == (
        f"{len(unusable)} of the {len(staff)} employees are left out of every pay gap figure: sex not recorded "
        f"({len(unusable)}). A further {len(reduced)} are left out of the hourly pay figures and the pay quarters: "
        f"not on full pay in the pay period ({len(reduced)}).")


def test_declaration_sentence(statements, staff):
    columns = ["age", "disability", "race", "religion_or_belief", "sexual_orientation"]
    rate = {c: sum(1 for r in staff if r[c].strip().lower() not in NO_ANSWER) / len(staff) * 100 for c in columns}
    low = min(columns, key=lambda c: (rate[c], c))
    assert statements["workforce.lowest_declaration_rate_pct"] == (
        f"Only {half_up(rate[low])}% of staff recorded their {low.replace('_', ' ')}.")


def test_representation_sentences_compare_only_shared_groups(statements, staff):
    community: dict[str, dict[str, float]] = {}
    for r in rows("community-profile.csv"):
        community.setdefault(r["characteristic"], {})[r["group"]] = float(r["percent"])
    # Ages 16 to 64 in the bands both files can be added up to (worked by hand from the two files:
    # staff 16-24, 25-34, 35-44, 45-54, 55-64; residents 16 to 24, 25 to 34, 35 to 49, 50 to 64).
    community["age"] = {"16-24": community["age"]["16 to 24"], "25-34": community["age"]["25 to 34"],
                        "35-64": community["age"]["35 to 49"] + community["age"]["50 to 64"]}
    merge = {"16-24": "16-24", "25-34": "25-34", "35-44": "35-64", "45-54": "35-64", "55-64": "35-64"}

    # How the Census 2021 classifications read the example's labels (by hand, from ONS's labels): the
    # group each label names, and its name in sentences.
    census = {"race": {"white british": "white-british", "white other": "white-other", "asian or asian british": "asian",
                       "black or black british": "black", "mixed": "mixed", "other": "other"},
              "religion_or_belief": {"christian": "christian", "no religion": "no-religion", "muslim": "muslim",
                                     "hindu": "hindu", "sikh": "sikh", "other": "other-religion"},
              "disability": {"yes": "disabled", "no": "not-disabled"},
              "sexual_orientation": {"heterosexual": "heterosexual", "gay or lesbian": "gay-or-lesbian",
                                     "bisexual": "bisexual"}}
    names = {"other-religion": "another religion", "white-other": "Other White", "white-british": "White British",
             "not-disabled": "Not disabled", "disabled": "Disabled", "no-religion": "no religion",
             "heterosexual": "straight or heterosexual", "gay-or-lesbian": "gay or lesbian", "bisexual": "bisexual"}
    for char, spelling in census.items():
        community[char] = {spelling[g]: v for g, v in community[char].items() if g in spelling}

    def answers(people, char):  # noqa: ANN001, ANN202
        if char == "age":
            return Counter(merge[r["age"]] for r in people if r["age"] in merge)
        if char in census:
            return Counter(census[char][r[char].strip().lower()] for r in people
                           if r[char].strip().lower() in census[char])
        if char == "sex":
            return Counter({"F": "female", "M": "male"}[r["sex"].strip()] for r in people if r["sex"].strip() in "FM"
                           and r["sex"].strip())
        return Counter(r[char].strip().lower() for r in people if r[char].strip().lower() not in NO_ANSWER)

    def lowest(people):  # noqa: ANN001, ANN202
        best = None
        for char, groups in sorted(community.items()):
            if char not in staff[0]:
                continue  # the workforce file has no column for it
            defined = set(answers(staff, char))  # groups the whole file uses: a subset's 0 is a true 0
            counts = answers(people, char)
            shared = [g for g in sorted(groups) if g in defined and groups[g] > 0]
            if len(shared) < 2:
                continue
            staff_total = sum(counts[g] for g in shared)
            community_total = sum(groups[g] for g in shared)
            for g in shared:
                staff_pct = counts[g] / staff_total * 100
                community_pct = groups[g] / community_total * 100
                ratio = staff_pct / community_pct
                # A group of fewer than 10 staff is too few to compare (it still counts in the totals).
                if counts[g] >= 10 and community_pct >= 1 and (best is None or ratio < best[0]):
                    best = (ratio, char, g, staff_pct, community_pct)
        return best

    for key, people, where in (("workforce.lowest_representation_ratio", staff, "staff"),
                               ("workforce.senior_lowest_representation_ratio",
                                [r for r in staff if r["senior"] == "true"], "senior staff")):
        ratio, char, group, staff_pct, community_pct = lowest(people)
        label = char.replace("_or_", " or ").replace("_", " ")
        assert statements[key] == (
            f"Among the groups both files share, people in the group '{names.get(group, group)}' ({label}) are "
            f"{community_pct:.1f}% of residents but {staff_pct:.1f}% of {where} (ratio {ratio:.2f}).")


def test_no_ratio_compares_a_group_one_file_lacks(staff):
    result = run_efl("assess", BEXLEY, "--format", "json").assert_success()
    facts = {f["name"]: f["value"] for f in result.json["facts"]}
    # The example's labels as the Census 2021 classifications read them (by hand).
    census = {"white british": "white-british", "white other": "white-other", "asian or asian british": "asian",
              "black or black british": "black", "mixed": "mixed", "other": "other", "christian": "christian",
              "no religion": "no-religion", "muslim": "muslim", "hindu": "hindu", "sikh": "sikh",
              "heterosexual": "heterosexual", "gay or lesbian": "gay-or-lesbian", "bisexual": "bisexual"}
    staff_groups = {c: {census.get(r[c].strip().lower()) for r in staff} for c in ("race", "sexual_orientation")}
    staff_groups["religion_or_belief"] = {"other-religion" if r["religion_or_belief"].strip().lower() == "other"
                                          else census.get(r["religion_or_belief"].strip().lower()) for r in staff}
    community = {(r["characteristic"], "other-religion" if (r["characteristic"], r["group"]) == ("religion_or_belief", "other")
                  else census.get(r["group"], r["group"])) for r in rows("community-profile.csv")}
    # The result names each group as the Census does (by hand, from the classification files' names).
    named = {"White British": "white-british", "Other White": "white-other", "Asian, Asian British or Asian Welsh": "asian",
             "Black, Black British, Black Welsh, Caribbean or African": "black", "Mixed or Multiple ethnic groups": "mixed",
             "Other ethnic group": "other", "Christian": "christian", "no religion": "no-religion", "Muslim": "muslim",
             "Hindu": "hindu", "Sikh": "sikh", "another religion": "other-religion",
             "straight or heterosexual": "heterosexual", "gay or lesbian": "gay-or-lesbian", "bisexual": "bisexual"}
    for char, groups in facts["workforce.representation"].items():
        for name in groups:
            if char in staff_groups:
                group = named[name]
                assert group in staff_groups[char] and (char, group) in community
    assert "not answered" not in facts["workforce.representation"]["sexual_orientation"]
    assert set(facts["workforce.representation"]["age"]) == {"16-24", "25-34", "35-64"}
    # Both files answer disability yes or no: read as the Census groups disabled and not disabled.
    assert set(facts["workforce.representation"]["disability"]) == {"Disabled", "Not disabled"}
