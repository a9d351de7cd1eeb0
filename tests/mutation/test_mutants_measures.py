"""Pay gap measures, quartile bands, rounding and kappa (efl.workforce.measures) on figures worked by hand.

Written to kill the mutants mutation testing found alive (tests/mutation/README.md). Each expected
figure is worked out on paper from SI 2017/353 Schedule 1 and the gov.uk guidance ("make your
calculations"): a gap is (reference - group) / reference x 100; quartiles are four groups of ranked
people, the left-overs placed lower first, tied rates shared between the bands they span; figures
are stated to one decimal place, halves rounded up as a spreadsheet's ROUND does.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F
from statistics import fmean, median

import pytest

from efl.workforce import measures as m
from efl.workforce.measures import Band, PayGroup

T, N = True, False


# --- quick float gaps --------------------------------------------------------------------------------

def test_float_gaps():
    assert m.gap_pct([10, 20], [9, 9], fmean) == pytest.approx(40.0)       # (15 - 9) / 15
    assert m.mean_gap_pct([10, 20], [9, 9]) == pytest.approx(40.0)
    assert m.median_gap_pct([10, 20, 30], [15]) == pytest.approx(25.0)      # (20 - 15) / 20
    assert m.median_gap_pct([10], [12]) == pytest.approx(-20.0)
    assert m.gap_pct([], [1], median) is None
    assert m.gap_pct([1], [], median) is None
    assert m.gap_pct([0, 0], [1], fmean) is None


# --- exact arithmetic --------------------------------------------------------------------------------

@pytest.mark.parametrize("x, expected", [
    (12.34, F(1234, 100)), (0.1, F(1, 10)), (3, F(3)), (Decimal("2.5"), F(5, 2)), (F(1, 3), F(1, 3)),
    (1e-7, F(1, 10_000_000)), (-4.2, F(-42, 10)),
])
def test_exact(x, expected):
    assert m.exact(x) == expected


@pytest.mark.parametrize("values, total", [
    ([1.1, 1.1, 2.2], F(22, 5)), ([1, 1, 3], F(5)), ([Decimal("0.1")] * 3, F(3, 10)), ([F(1, 3)] * 3, F(1)),
    ([1, 1.5, F(7, 4)], F(17, 4)), ([], F(0)), ([0.1] * 10, F(1)), ([2.5], F(5, 2)),
])
def test_exact_total(values, total):
    assert m._exact_total(values) == total


def test_exact_mean_and_median():
    assert m._exact_mean([]) is None
    assert m._exact_mean([1.1, 2.2]) == F(33, 20)
    assert m._exact_mean([1, 2, 4]) == F(7, 3)
    assert m._exact_median([]) is None
    assert m._exact_median([5]) == 5
    assert m._exact_median([1, 2, 3]) == 2
    assert m._exact_median([1.1, 2.2]) == F(33, 20)
    assert m._exact_median([1, 2, 3, 4]) == F(5, 2)
    assert m._exact_median([1, 2, 10, 20, 30]) == 10
    assert m._exact_median([1, 2, 10, 20, 30, 40]) == 15


def test_gap_and_share():
    assert m._gap(F(20), F(15)) == 25
    assert m._gap(F(15), F(20)) == F(-100, 3)
    assert m._gap(None, F(1)) is None and m._gap(F(1), None) is None and m._gap(F(0), F(1)) is None
    assert m._share(1, 3) == F(100, 3)
    assert m._share(0, 5) == 0
    assert m._share(0, 0) is None


# --- rounding ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, places, expected", [
    (2.25, 1, "2.3"), (F(9, 4), 1, "2.3"), (F(22499756, 10_000_000), 1, "2.2"), (-2.25, 1, "-2.3"),
    (F(-9, 4), 1, "-2.3"), (0.15, 1, "0.2"), (6.2499999999999991, 1, "6.3"), (2.24, 1, "2.2"), (86.5, 0, "87"),
    (F(173, 2), 0, "87"), (Decimal("1.25"), 1, "1.3"), (3, 1, "3.0"), (F(1, 8), 2, "0.13"), (0.125, 2, "0.13"),
    (F(-1, 20), 1, "-0.1"), (F(1, 20), 1, "0.1"), (F(149, 1000), 1, "0.1"), (12.3456789, 3, "12.346"), (0, 1, "0.0"),
])
def test_half_up(x, places, expected):
    assert m.half_up(x, places) == Decimal(expected)
    assert str(m.half_up(x, places)) == expected


def test_half_up_defaults_to_one_place():
    assert str(m.half_up(F(9, 4))) == "2.3"
    assert str(m.half_up(2.25)) == "2.3"


@pytest.mark.parametrize("x, expected", [
    (None, None), (2.25, 2.3), (F(9, 4), 2.3), (F(22499756, 10_000_000), 2.2), (-2.25, -2.3), (12, 12.0), (0.05, 0.1),
])
def test_one_decimal(x, expected):
    assert m.one_decimal(x) == expected


@pytest.mark.parametrize("x", [-0.04, F(-1, 40), -0.0])
def test_one_decimal_never_gives_minus_zero(x):
    assert str(m.one_decimal(x)) == "0.0"


@pytest.mark.parametrize("gap, pence", [
    (13.5, 87), (F(2249, 100), 78), (-5.0, 105), (0, 100), (13.45, 87), (13.44, 87), (13.56, 86), (100, 0),
    (F(1, 3) * 100, 67),
])
def test_pence_in_pound(gap, pence):
    assert m.pence_in_pound(gap) == pence
    assert isinstance(m.pence_in_pound(gap), int)


# --- quartiles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, sizes", [
    (0, [0, 0, 0, 0]), (1, [1, 0, 0, 0]), (2, [1, 0, 1, 0]), (3, [1, 1, 1, 0]), (4, [1, 1, 1, 1]), (5, [2, 1, 1, 1]),
    (6, [2, 1, 2, 1]), (7, [2, 2, 2, 1]), (8, [2, 2, 2, 2]), (4445, [1112, 1111, 1111, 1111]),
    (4446, [1112, 1111, 1112, 1111]), (4447, [1112, 1112, 1112, 1111]),
])
def test_quarter_sizes(n, sizes):
    assert m.quarter_sizes(n) == sizes


def test_band_bounds():
    assert m.band_bounds(7) == [0, 2, 4, 6, 7]
    assert m.band_bounds(0) == [0, 0, 0, 0, 0]
    assert m.band_bounds(2) == [0, 1, 1, 2, 2]


@pytest.mark.parametrize("count, parts, shares", [
    (3, [1, 1, 1], [1, 1, 1]), (1, [1, 1], [1, 0]), (5, [2, 3], [2, 3]), (2, [1, 1, 1], [1, 1, 0]),
    (3, [2, 2], [2, 1]), (7, [3, 4, 5], [2, 2, 3]), (0, [2, 2], [0, 0]), (4, [4], [4]), (1, [1, 3], [0, 1]),
])
def test_share_in_whole_people(count, parts, shares):
    assert m.share_in_whole_people(count, parts) == shares


def test_band_shares():
    band = Band(4, 1, 3)
    assert (band.men, band.women) == (1, 3)
    assert (band.reference_pct, band.group_pct, band.men_pct, band.women_pct) == (25, 75, 25, 75)
    empty = Band(0, 0, 0)
    assert (empty.reference_pct, empty.group_pct, empty.men_pct, empty.women_pct) == (None, None, None, None)
    assert m.BAND_NAMES == ("lower", "lower middle", "upper middle", "upper")


def test_quartiles_one_person_a_band():
    assert m.quartile_bands([10, 20, 30, 40], [T, N, T, N]) == [Band(1, 0, 1), Band(1, 1, 0), Band(1, 0, 1),
                                                                 Band(1, 1, 0)]
    assert m.quartile_bands([40, 30, 20, 10], [N, T, N, T]) == [Band(1, 0, 1), Band(1, 1, 0), Band(1, 0, 1),
                                                                 Band(1, 1, 0)]


def test_quartiles_everyone_on_one_rate_share_it_fairly():
    assert m.quartile_bands([10] * 8, [T, N] * 4) == [Band(2, 1, 1)] * 4
    assert m.quartile_bands([10] * 4, [T, T, T, N]) == [Band(1, 0, 1), Band(1, 0, 1), Band(1, 0, 1), Band(1, 1, 0)]


def test_quartiles_a_tie_across_a_line():
    # Ranked 5 5 5 | 7 8 9 in bands of 2, 1, 2, 1: the three on 5 (two women, one man) fill band one and
    # band two; the women's share of them is two thirds, so band one (2 places) gets one woman and band
    # two (1 place) the other; 7 and 8 are men; 9 is a woman.
    hourly = [5, 5, 9, 5, 7, 8]
    women = [T, T, T, N, N, N]
    assert m.quartile_bands(hourly, women) == [Band(2, 1, 1), Band(1, 0, 1), Band(2, 2, 0), Band(1, 0, 1)]


def test_quartiles_with_fewer_than_four_people():
    assert m.quartile_bands([(10, "female"), (20, "male")]) == [Band(1, 0, 1), Band(0, 0, 0), Band(1, 1, 0),
                                                                 Band(0, 0, 0)]
    assert m.quartile_bands([12], [N]) == [Band(1, 1, 0), Band(0, 0, 0), Band(0, 0, 0), Band(0, 0, 0)]
    assert m.quartile_bands([12, 11, 13], [T, N, T]) == [Band(1, 1, 0), Band(1, 0, 1), Band(1, 0, 1), Band(0, 0, 0)]
    assert m.quartile_bands([], []) is None
    assert m.quartile_bands([]) is None


def test_quartiles_refuse_columns_of_different_lengths():
    with pytest.raises(ValueError) as caught:
        m.quartile_bands([10, 20], [T])
    assert str(caught.value) == "hourly has 2 values but women has 1"


# --- groups of people --------------------------------------------------------------------------------

def test_pay_group_of_rows():
    group = PayGroup.of([T, T, N, T], [10, None, 99, 12.5], [T, T, T, N], [0, 5, 100, None])
    assert (group.employees, group.full_pay, group.hourly, group.bonuses) == (3, 2, [10], [5])
    assert group.no_hourly_rate == 1
    everyone = PayGroup.of([T, T, N, T], [12.5, None, 99, 10])
    assert (everyone.employees, everyone.full_pay, everyone.hourly, everyone.bonuses) == (3, 3, [10, 12.5], [])
    assert everyone.mean_hourly == F(45, 4) and everyone.median_hourly == F(45, 4)
    assert everyone.mean_bonus is None and everyone.median_bonus is None


def test_pay_groups_added_together():
    total = PayGroup(3, 2, [10], [5]) + PayGroup(2, 2, [8, 11], [1])
    assert (total.employees, total.full_pay, total.hourly, total.bonuses) == (5, 4, [8, 10, 11], [1, 5])
    assert total.mean_hourly == F(29, 3) and total.median_hourly == 10
    assert total.mean_bonus == 3 and total.median_bonus == 3


ROWS = dict(labels=["a", "b", "a", None, "c", "d", "e", "a"], hourly=[10, 20, None, 50, 30, 40, 50, 14],
            full_pay=[T, T, T, T, N, T, T, T], bonus=[None, 0, 3, 9, None, 2.5, None, 1])
EXPECTED = {"a": (3, 3, [10, 14], [1, 3]), "b": (1, 1, [20], []), "c": (1, 0, [], []), "d": (1, 1, [40], [2.5]),
            "e": (1, 1, [50], [])}


def _as_tuples(groups):
    return {k: (g.employees, g.full_pay, g.hourly, g.bonuses) for k, g in groups.items()}


def test_pay_groups_of_many_groups():
    groups = m.pay_groups(**ROWS)
    assert list(groups) == ["a", "b", "c", "d", "e"]
    assert _as_tuples(groups) == EXPECTED


@pytest.mark.parametrize("drop", [["e"], ["d", "e"], ["c", "d", "e"], ["b", "c", "d", "e"]])
def test_pay_groups_of_a_few_groups(drop):
    labels = [None if x in drop else x for x in ROWS["labels"]]
    groups = m.pay_groups(labels, ROWS["hourly"], ROWS["full_pay"], ROWS["bonus"])
    assert _as_tuples(groups) == {k: v for k, v in EXPECTED.items() if k not in drop}


def test_pay_groups_without_full_pay_or_bonus_columns():
    many = m.pay_groups(ROWS["labels"], ROWS["hourly"])
    assert _as_tuples(many)["a"] == (3, 3, [10, 14], [])
    assert _as_tuples(many)["c"] == (1, 1, [30], [])
    few = m.pay_groups(["a", "b", "a"], [3, None, 1])
    assert _as_tuples(few) == {"a": (2, 2, [1, 3], []), "b": (1, 1, [], [])}


@pytest.mark.parametrize("column, message", [
    ("hourly", "hourly has 7 values but the group labels have 8"),
    ("full_pay", "full_pay has 7 values but the group labels have 8"),
    ("bonus", "bonus has 7 values but the group labels have 8"),
])
def test_pay_groups_refuse_columns_of_different_lengths(column, message):
    rows = {**ROWS, column: ROWS[column][:-1]}
    with pytest.raises(ValueError) as caught:
        m.pay_groups(**rows)
    assert str(caught.value) == message


def test_pay_gap_between_two_groups():
    women = PayGroup(4, 2, [9, 10], [100])
    men = PayGroup(2, 2, [10, 14], [100, 300])
    gap = m.pay_gap(women, men)
    assert gap.mean_hourly_pct == F(125, 6)      # (12 - 9.5) / 12
    assert gap.median_hourly_pct == F(125, 6)
    assert gap.mean_bonus_pct == 50              # (200 - 100) / 200
    assert gap.median_bonus_pct == 50
    assert gap.bonus_group_pct == 25             # 1 of 4
    assert gap.bonus_reference_pct == 100        # 2 of 2
    # 9 | 10 | 10 | 14: the woman and the man on 10 straddle the middle line; the woman goes lower.
    assert gap.quartiles == [Band(1, 0, 1), Band(1, 0, 1), Band(1, 1, 0), Band(1, 1, 0)]
    assert gap.group is women and gap.reference is men


def test_pay_gap_with_nobody_on_one_side():
    gap = m.pay_gap(PayGroup(), PayGroup(2, 2, [10, 14], [5]))
    assert (gap.mean_hourly_pct, gap.median_hourly_pct, gap.mean_bonus_pct, gap.median_bonus_pct) == (None,) * 4
    assert gap.bonus_group_pct is None and gap.bonus_reference_pct == 50
    assert gap.quartiles == [Band(1, 1, 0), Band(0, 0, 0), Band(1, 1, 0), Band(0, 0, 0)]
    assert m.pay_gap(PayGroup(), PayGroup()).quartiles is None


def test_pay_gap_figures_by_hand():
    figures = m.pay_gap_figures(
        sex=["female", "male", "F", None, "female", "male", "female", "male"],
        hourly=[9, 10, 50, 50, 10, 14, None, 99],
        full_pay=[T, T, T, T, T, T, T, N],
        bonus=[100, 100, None, None, None, 300, None, 50])
    assert figures.mean_hourly_pct == F(125, 6)
    assert figures.median_hourly_pct == F(125, 6)
    assert figures.mean_bonus_pct == F(100, 3)    # men (50 + 100 + 300) / 3 = 150, women 100
    assert figures.median_bonus_pct == 0          # both 100
    assert figures.bonus_men_pct == 100 and figures.bonus_women_pct == F(100, 3)
    assert figures.quartiles == [Band(1, 0, 1), Band(1, 0, 1), Band(1, 1, 0), Band(1, 1, 0)]
    assert (figures.rows, figures.men, figures.women, figures.left_out) == (8, 3, 3, 2)
    assert (figures.full_pay_men, figures.full_pay_women, figures.hourly_men, figures.hourly_women) == (2, 3, 2, 2)
    assert (figures.bonus_men, figures.bonus_women, figures.no_hourly_rate) == (3, 1, 1)


def test_pay_gap_figures_of_one_sex():
    figures = m.pay_gap_figures(["female", "female"], [10, 12], bonus=[5, None])
    assert figures.mean_hourly_pct is None and figures.median_bonus_pct is None
    assert figures.bonus_men_pct is None and figures.bonus_women_pct == 50
    assert (figures.men, figures.women, figures.full_pay_women, figures.hourly_women) == (0, 2, 2, 2)
    assert figures.quartiles == [Band(1, 0, 1), Band(0, 0, 0), Band(1, 0, 1), Band(0, 0, 0)]
    zero = m.pay_gap_figures(["male", "female"], [0, 10])
    assert zero.mean_hourly_pct is None and zero.median_hourly_pct is None


@pytest.mark.parametrize("column, message", [
    ("hourly", "hourly has 1 values but sex has 2"),
    ("full_pay", "full_pay has 1 values but sex has 2"),
    ("bonus", "bonus has 1 values but sex has 2"),
])
def test_pay_gap_figures_refuse_columns_of_different_lengths(column, message):
    columns = {"hourly": [10, 12], "full_pay": [T, T], "bonus": [1, 2], column: [1]}
    with pytest.raises(ValueError) as caught:
        m.pay_gap_figures(["female", "male"], **columns)
    assert str(caught.value) == message


# --- representation and agreement --------------------------------------------------------------------

def test_share_and_representation():
    assert m.share_pct(1, 4) == 25.0
    assert m.share_pct(1, 0) is None
    assert m.representation_ratio(10, 20) == 0.5
    assert m.representation_ratio(10, 0) is None
    assert m.representation_ratio(0, 5) == 0.0


@pytest.mark.parametrize("pairs, k, kappa", [
    ([(0, 0), (1, 1), (2, 2)], 3, 1.0),
    ([(1, 1), (1, 1)], 3, 1.0),                            # one category for both: chance is 1, agreement too
    ([(0, 2), (0, 2)], 3, 0.0),
    ([(0, 0), (0, 1), (1, 1), (2, 1)], 3, 1 / 3),          # p_o 3/4, p_e 10/16
    ([(0, 0), (1, 1), (0, 1), (1, 0)], 2, 0.0),
    ([(0, 0), (0, 0), (1, 1), (0, 1)], 2, 0.5),            # p_o 3/4, p_e 1/2
    ([(0, 1), (1, 0)], 2, -1.0),
    ([(0, 1), (1, 2), (2, 3), (3, 3)], 4, 0.4),            # p_o 3/4, p_e 7/12: (2/12) / (5/12)
])
def test_weighted_kappa(pairs, k, kappa):
    assert m.weighted_kappa(pairs, k) == pytest.approx(kappa)


def test_weighted_kappa_without_items_or_scale():
    assert m.weighted_kappa([], 3) is None
    assert m.weighted_kappa([(0, 0)], 1) is None


def test_exact_total_of_several_exact_values():
    assert m._exact_total([F(1, 3), F(1, 2)]) == F(5, 6)
    assert m._exact_total([F(1, 3), F(1, 3), F(1, 2), 2]) == F(19, 6)


def test_half_up_has_room_for_any_figure():
    # A float is first taken to nine decimal places: 1e20 has 21 digits before the point, more than
    # Python's default 28-digit context can hold with nine after it.
    assert str(m.half_up(1e20, 1)) == "100000000000000000000.0"
    assert m.one_decimal(1e20) == 1e20


def test_pay_gap_figures_of_men_only():
    figures = m.pay_gap_figures(["male", "male"], [10, 12], bonus=[None, 3])
    assert figures.mean_hourly_pct is None and figures.median_hourly_pct is None
    assert figures.bonus_women_pct is None and figures.bonus_men_pct == 50
    assert (figures.men, figures.women, figures.hourly_men, figures.hourly_women, figures.bonus_women) == (2, 0, 2, 0, 0)
    assert figures.quartiles == [Band(1, 1, 0), Band(0, 0, 0), Band(1, 1, 0), Band(0, 0, 0)]
