"""The group-generic pay gap maths (any group against any reference group), checked by hand and
against a plain re-computation: splitting rows into groups, exact sums and medians, combining groups,
rounding half up from exact values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efl.workforce.measures import PayGroup, exact, half_up, one_decimal, pay_gap, pay_groups, pence_in_pound


def test_exact_reads_the_decimal_that_was_written():
    assert exact(12.34) == Fraction(1234, 100) != Fraction(12.34)
    assert exact(0.1) + exact(0.2) == Fraction(3, 10)
    assert exact(7) == 7 and exact(Decimal("1.005")) == Fraction(1005, 1000) and exact(Fraction(1, 3)) == Fraction(1, 3)


def test_a_group_by_hand():
    # Rows: A on 10 (full pay, bonus 5), A on 20 (reduced pay, bonus 0), A with no rate (full pay),
    # B on 30 (full pay, no bonus column value), nobody on 99.
    labels = ["a", "a", "a", "b", None]
    groups = pay_groups(labels, [10.0, 20.0, None, 30.0, 99.0], [True, False, True, True, True],
                        [5.0, 0.0, None, None, 1.0])
    a, b = groups["a"], groups["b"]
    assert list(groups) == ["a", "b"]
    assert (a.employees, a.full_pay, a.hourly, a.bonuses, a.no_hourly_rate) == (3, 2, [10.0], [5.0], 1)
    assert (b.employees, b.full_pay, b.hourly, b.bonuses) == (1, 1, [30.0], [])
    gap = pay_gap(a, b)
    # (30 - 10) / 30 = 66.67% both ways; A's bonus share 1 of 3; B's 0 of 1; bonus gap undefined (B has none).
    assert gap.mean_hourly_pct == gap.median_hourly_pct == Fraction(200, 3)
    assert gap.bonus_group_pct == Fraction(100, 3) and gap.bonus_reference_pct == 0
    assert gap.mean_bonus_pct is None and gap.median_bonus_pct is None
    # Two ranked people: 1 / 0 / 1 / 0, A's 10 in the lower quarter, B's 30 in the upper middle.
    assert [(q.size, q.group, q.reference) for q in gap.quartiles] == [(1, 1, 0), (0, 0, 0), (1, 0, 1), (0, 0, 0)]
    assert [q.group_pct for q in gap.quartiles] == [100, None, 0, None]


def test_the_reference_figure_of_zero_or_an_empty_side_gives_no_gap():
    zero = PayGroup(1, 1, [0.0], [])
    some = PayGroup(1, 1, [5.0], [])
    assert pay_gap(some, zero).mean_hourly_pct is None
    assert pay_gap(some, PayGroup()).mean_hourly_pct is None and pay_gap(PayGroup(), some).mean_hourly_pct is None
    assert pay_gap(PayGroup(), some).bonus_group_pct is None and pay_gap(PayGroup(), PayGroup()).quartiles is None


def test_groups_taken_together():
    a = PayGroup(2, 2, [10.0, 30.0], [100.0])
    b = PayGroup(3, 1, [20.0], [50.0, 200.0])
    both = a + b
    assert (both.employees, both.full_pay, both.hourly, both.bonuses) == (5, 3, [10.0, 20.0, 30.0], [50.0, 100.0, 200.0])
    assert both.mean_hourly == 20 and both.median_bonus == 100 and both.mean_bonus == Fraction(350, 3)
    # Even counts: the median is the mean of the two middle values, exactly.
    assert PayGroup(4, 4, [10.0, 10.01, 10.02, 11.0], []).median_hourly == Fraction("10.015")


def test_sums_mix_floats_ints_decimals_and_fractions_exactly():
    group = PayGroup(4, 4, sorted([0.1, 0.2, 3, Decimal("0.05")]), [])
    assert group.mean_hourly == Fraction(335, 100) / 4
    assert PayGroup(2, 2, [Fraction(1, 3), 0.5], []).mean_hourly == Fraction(5, 12)


labels = st.sampled_from(["white british", "indian", "pakistani", "black african", "caribbean", "irish", None])
one_row = st.tuples(labels, st.one_of(st.none(), st.integers(900, 3000).map(lambda p: p / 100)), st.booleans(),
                    st.one_of(st.none(), st.sampled_from([0.0, 25.0, 99.5])))


@settings(max_examples=150, deadline=None)
@given(st.lists(one_row, max_size=60))
def test_one_pass_split_equals_one_mask_per_group(rows):
    # More than four groups take the one-pass loop; PayGroup.of takes one mask per group: both must agree.
    label, hourly, full, bonus = ([r[i] for r in rows] for i in range(4))
    groups = pay_groups(label, hourly, full, bonus)
    assert list(groups) == [x for x in dict.fromkeys(label) if x is not None]
    for name, group in groups.items():
        single = PayGroup.of([x == name for x in label], hourly, full, bonus)
        assert (group.employees, group.full_pay, group.hourly, group.bonuses) == \
               (single.employees, single.full_pay, single.hourly, single.bonuses)
        assert group.employees == label.count(name)


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="full_pay has 1 values but the group labels have 2"):
        pay_groups(["a", "b"], [1.0, 2.0], [True])


@pytest.mark.parametrize("x, places, want", [
    (Fraction(22499756, 10**7), 1, "2.2"), (Fraction(225, 100), 1, "2.3"), (Fraction(-225, 100), 1, "-2.3"),
    (Fraction(15, 100), 1, "0.2"), (Fraction(1, 3), 2, "0.33"), (Fraction(2, 3), 0, "1"), (Decimal("0.05"), 1, "0.1"),
    (Fraction(-4, 100), 1, "0.0"), (0, 1, "0.0"), (0.15, 1, "0.2"), (6.2499999999999991, 1, "6.3"),
])
def test_half_up(x, places, want):
    assert half_up(x, places) == Decimal(want) and str(abs(half_up(x, places))) == want.lstrip("-")
    assert one_decimal(Fraction(-4, 100)) == 0.0 and str(one_decimal(Fraction(-4, 100))) == "0.0"  # never -0.0


def test_pence_from_an_exact_gap():
    # 13.55% exactly is shown 13.6 -> 86.4p -> 86p; 13.549 is 13.5 -> 86.5p -> 87p.
    assert pence_in_pound(Fraction(1355, 100)) == 86 and pence_in_pound(Fraction(13549, 1000)) == 87
