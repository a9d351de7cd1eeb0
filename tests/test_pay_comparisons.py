"""Which ethnic groups a pay gap report shows (efl.workforce.pay_comparisons), on the Census 2021
classification: by hand, and for random workforces the rules that no group under the minimum is shown
and that no such group can be worked out by subtracting one shown figure from another."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efl.workforce.classification import built_in
from efl.workforce.pay_comparisons import plan_comparisons

ETHNIC = built_in().get("race")
DISABILITY = built_in().get("disability")
# A council's staff by the category each recorded (White alone cannot be placed against White British).
COUNTS = {"white-british": 300, "indian": 40, "pakistani": 15, "bangladeshi": 3, "african": 25, "caribbean": 12,
          "white-irish": 8, "white-other": 30, "white-and-asian": 3, "white": 5, "arab": 11}


def plan(counts=COUNTS, **options):
    options.setdefault("everyone_else", "All ethnic minority groups")
    return plan_comparisons(ETHNIC, counts, "white-british", **options)


def shown(p):
    return [(g.name, g.employees) for g in p.shown]


def test_finest_groups_by_hand():
    # Asian 58: Indian 40 and Pakistani 15 shown, Bangladeshi 3 too few. Showing Asian as well would let
    # its 3 Bangladeshi employees be worked out (Asian minus Indian minus Pakistani), so Asian is not shown.
    # Black 37 = Black African 25 + Black Caribbean 12: shown, nothing hidden inside it.
    # White other than British 38: Other White 30 shown, White Irish 8 too few; the group itself would
    # leave 8 to subtract, so it is not shown. Mixed 3 and Arab 11 (Other ethnic group 11: the same people).
    # Ethnic minority employees 147 (White 5 cannot be placed); hidden by no shown group: 3 + 8 + 3 = 14.
    p = plan()
    assert shown(p) == [("All ethnic minority groups", 147), ("Indian", 40), ("Pakistani", 15),
                        ("Black, Black British, Black Welsh, Caribbean or African", 37), ("Black African", 25),
                        ("Black Caribbean", 12), ("Other White", 30), ("Arab", 11)]
    assert p.reference_employees == 300 and p.unplaced == {"white": 5}
    why = {n.name: n.why for n in p.not_shown}
    assert why["Bangladeshi"] == ("fewer than 10 employees, so not shown on its own: combined with the others in "
                                  "All ethnic minority groups")
    assert why["Asian, Asian British or Asian Welsh"].startswith("not shown on its own, so that the figures for a "
                                                                 "group of fewer than 10 employees cannot be worked out")
    # Gypsy or Irish Traveller, Roma or Other White holds only the 30 Other White: shown by the finer name.
    assert set(why) == {"Asian, Asian British or Asian Welsh", "Bangladeshi", "White groups other than White British",
                        "White Irish", "Mixed or Multiple ethnic groups"}
    # Other ethnic group is Arab alone: shown once, by its finer name.
    assert "Other ethnic group" not in why and "Other ethnic group" not in dict(shown(p))


def test_five_groups():
    # Mixed (3) is too few; with Asian, Black and White other than British shown, showing Other ethnic
    # group (11) too would leave the 3 Mixed employees to be worked out from the total, so it is not shown.
    p = plan(detail="high-level")
    assert shown(p) == [("All ethnic minority groups", 147), ("Asian, Asian British or Asian Welsh", 58),
                        ("Black, Black British, Black Welsh, Caribbean or African", 37),
                        ("White groups other than White British", 38)]
    assert [n.name for n in p.not_shown] == ["Mixed or Multiple ethnic groups", "Other ethnic group"]
    assert p.not_shown[1].why.startswith("not shown on its own, so that")


def test_together_only():
    p = plan(detail="together")
    assert shown(p) == [("All ethnic minority groups", 147)] and p.not_shown == []


def test_withhold_shows_only_the_finest_groups():
    p = plan(small_groups="withhold")
    assert shown(p) == [("All ethnic minority groups", 147), ("Indian", 40), ("Pakistani", 15), ("Black African", 25),
                        ("Black Caribbean", 12), ("Other White", 30), ("Arab", 11)]
    assert {n.name for n in p.not_shown} == {"Bangladeshi", "White Irish", "White and Asian"}
    assert all(n.why.endswith("counted only in the figures for All ethnic minority groups") for n in p.not_shown)


def test_a_remainder_too_small_to_show_withdraws_the_smallest_group():
    # Everyone outside White British: Indian 40 and 4 Chinese. Showing Indian would leave 4 Chinese to be
    # worked out from the figure for all ethnic minority employees, so Indian is not shown on its own.
    p = plan({"white-british": 50, "indian": 40, "chinese": 4})
    assert shown(p) == [("All ethnic minority groups", 44)]
    assert [(n.name, n.why.split(",")[0]) for n in p.not_shown] == [
        ("Asian, Asian British or Asian Welsh", "not shown on its own"), ("Chinese", "fewer than 10 employees"),
        ("Indian", "not shown on its own")]


def test_too_few_in_the_reference_or_outside_it_shows_nothing():
    p = plan({"white-british": 9, "indian": 40})
    assert p.shown == [] and "fewer than 10 employees are in White British" in p.why_none
    p = plan({"white-british": 90, "indian": 4, "arab": 5})
    assert p.shown == [] and "All ethnic minority groups" in p.why_none


def test_minimum_is_a_setting():
    p = plan(minimum=3)
    assert ("Bangladeshi", 3) in shown(p) and ("White and Asian", 3) in shown(p)


def test_unknown_reference_or_level():
    with pytest.raises(ValueError):
        plan(detail="twelve-groups")
    with pytest.raises(ValueError):
        plan_comparisons(ETHNIC, COUNTS, "martian")


def test_disability_together():
    p = plan_comparisons(DISABILITY, {"not-disabled": 200, "disabled": 20, "limited-a-lot": 5},
                         "not-disabled", 10, "together", everyone_else="Disabled employees")
    assert shown(p) == [("Disabled employees", 25)]


# --- the rules, for random workforces ---------------------------------------------------------------

LEAVES = ETHNIC.leaves()
RECORDED = LEAVES + ["asian", "black", "mixed", "other", "white"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(RECORDED), st.integers(0, 45), max_size=14),
       st.sampled_from(["finest", "high-level", "eight-groups", "together"]),
       st.sampled_from(["combine", "withhold"]), st.integers(1, 12))
def test_no_small_group_can_be_shown_or_worked_out(counts, detail, small, minimum):
    counts = {c: n for c, n in counts.items() if n}
    p = plan(counts, detail=detail, small_groups=small, minimum=minimum)
    outside = sum(n for c, n in counts.items() if not ETHNIC.contains("white-british", c)
                  and not ETHNIC.contains(c, "white-british"))
    if p.why_none:
        assert p.shown == [] and (p.reference_employees < minimum or outside < minimum)
        return
    assert p.shown[0].id == "all" and p.shown[0].employees == outside

    def size(categories) -> int:
        return sum(counts.get(c, 0) for c in categories)

    for g in p.shown:
        assert g.employees == size(g.categories) >= minimum
        assert not any(ETHNIC.contains("white-british", c) or ETHNIC.contains(c, "white-british") for c in g.categories)
    # Every group inside another shown group leaves, when taken away, none or at least the minimum;
    # so does taking away all the shown groups inside it.
    for a in p.shown:
        inside = [b for b in p.shown if b is not a and b.categories < a.categories]
        for b in inside:
            rest = size(a.categories - b.categories)
            assert rest == 0 or rest >= minimum, (a.name, b.name)
        covered = set().union(*(b.categories for b in inside)) if inside else set()
        rest = size(a.categories - covered)
        assert rest == 0 or rest >= minimum, a.name
    # No group finer than the level asked for.
    if detail == "together":
        assert len(p.shown) == 1
    elif detail != "finest":
        for g in p.shown[1:]:
            cid = g.id.split("-without-")[0]
            assert any(detail in ETHNIC.category(a).levels or
                       any(lv in ETHNIC.category(a).levels for lv in _coarser(detail)) for a in ETHNIC.ancestors(cid))
    # Every group with people is shown or said not to be, once.
    names = [n.name for n in p.not_shown]
    assert len(names) == len(set(names))
    assert not set(names) & {g.name for g in p.shown}


def _coarser(level: str) -> list[str]:
    ids = [lv for lv, _ in ETHNIC.levels]
    return ids[:ids.index(level) + 1]
