"""Pay groups counted per hourly rate (efl.workforce.measures): the quartiles and groups taken together.

A column read by Arrow gives each pay group ``hourly_counts`` (how many people are on each distinct
rate), and the quartiles are then worked per rate (``_bands_counted``) rather than by ranking everyone.
These tests, in the mutation selection (tests/mutation/README.md), pin that path to a case worked by
hand and to the row-by-row path (``_bands``, itself tested on figures worked by hand) on many payrolls
with ties across the quarter lines, and check how two groups are added together.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from efl.workforce import measures as m
from efl.workforce.measures import Band, PayGroup


def counted(rates: list[int], employees: int | None = None) -> PayGroup:
    """A pay group as the Arrow path makes it: the sorted rates and how many are on each."""
    n = len(rates) if employees is None else employees
    return PayGroup(n, len(rates), sorted(rates), [], dict(Counter(rates)))


def plain(rates: list[int]) -> PayGroup:
    return PayGroup(len(rates), len(rates), sorted(rates), [])


def test_quartiles_per_rate_worked_by_hand():
    # Women on 10, 10, 20; men on 10, 30, 30, 40. Seven ranked: quarters of 2, 2, 2 and 1. The three on 10
    # straddle the first line (2 places below it, 1 above): the two women share 2 x 2/3 = 1.33 and
    # 2 x 1/3 = 0.67, rounded down 1 and 0, the one left over to the larger remainder: 1 and 1.
    assert m.quarter_sizes(7) == [2, 2, 2, 1]
    gap = m.pay_gap(counted([10, 10, 20]), counted([10, 30, 30, 40]))
    assert gap.quartiles == [Band(2, 1, 1), Band(2, 0, 2), Band(2, 2, 0), Band(1, 1, 0)]
    assert gap.quartiles == m._bands([10, 10, 20], [10, 30, 30, 40])


@pytest.mark.parametrize("seed", range(60))
def test_quartiles_per_rate_equal_the_row_path(seed):
    rng = random.Random(seed)
    spine = sorted(rng.sample(range(900, 3000), rng.randint(1, 6)))  # a few rates: many ties on the lines
    group = [rng.choice(spine) for _ in range(rng.randint(0, 25))]
    reference = [rng.choice(spine) for _ in range(rng.randint(0, 25))]
    got = m.pay_gap(counted(group), counted(reference)).quartiles
    assert got == m._bands(sorted(group), sorted(reference))
    if group or reference:
        assert sum(b.size for b in got) == len(group) + len(reference)
        assert sum(b.group for b in got) == len(group)


def test_quartiles_per_rate_ignore_rates_nobody_is_on_and_need_both_sides_counted():
    group = PayGroup(2, 2, [10, 20], [], {10: 1, 20: 1, 15: 0})
    reference = PayGroup(2, 2, [5, 30], [], {5: 1, 30: 1, 25: 0})
    assert m.pay_gap(group, reference).quartiles == m._bands([10, 20], [5, 30])
    assert m.pay_gap(PayGroup(0, 0, [], [], {}), PayGroup(0, 0, [], [], {7: 0})).quartiles is None
    # One side counted, the other not: the row path, with the same bands.
    assert m.pay_gap(counted([10, 20]), plain([5, 30])).quartiles == m._bands([10, 20], [5, 30])


def test_counted_groups_added_together():
    a, b = counted([10, 20, 20], employees=4), counted([5, 20, 30])
    both = a + b
    assert both.hourly_counts == {10: 1, 20: 3, 5: 1, 30: 1}
    assert both.hourly == [5, 10, 20, 20, 20, 30]
    assert (both.employees, both.full_pay) == (7, 6)
    assert a.hourly_counts == {10: 1, 20: 2} and b.hourly_counts == {5: 1, 20: 1, 30: 1}  # neither changed
    assert both.hourly == (plain([10, 20, 20]) + plain([5, 20, 30])).hourly


@pytest.mark.parametrize("first,second", [(True, False), (False, True), (False, False)])
def test_groups_added_together_when_one_is_not_counted(first, second):
    a = counted([10, 20]) if first else plain([10, 20])
    b = counted([5, 20]) if second else plain([5, 20])
    both = a + b
    assert both.hourly_counts is None
    assert both.hourly == [5, 10, 20, 20]
