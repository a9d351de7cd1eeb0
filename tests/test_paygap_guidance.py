"""The gender pay gap figures against the gov.uk guidance "Gender pay gap reporting: make your
calculations" (SI 2017/353 Schedule 1): its worked examples built as payrolls, quarter sizes by hand,
tied rates on every dividing line, and an independent reference implementation compared on random
payrolls."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import groupby

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efl.workforce.measures import (
    Band,
    one_decimal,
    pay_gap_figures,
    pence_in_pound,
    quarter_sizes,
    quartile_bands,
    share_in_whole_people,
)


def women_pcts(bands):
    return [one_decimal(b.women_pct) for b in bands]


# --- Acme Ltd's quarters ---------------------------------------------------------------------------

def acme_payroll():
    """4,445 full-pay employees realising the guidance's Acme quarters.

    4,445 = 4 x 1,111 + 1, and the one left over goes to the lower quarter: 1,112 / 1,111 / 1,111 / 1,111.
    Women wanted per quarter: 925 (925/1112 = 83.18%), 1001 (90.10%), 813 (73.18%), 361 (32.49%).
    40 people share one rate across the lower / lower middle line: ranks 1,102 to 1,141 (0-based), so
    10 in the lower quarter and 30 in the lower middle. 36 are women and 4 men, so the fair share is
    10 x 36/40 = 9 women + 1 man below the line and 27 women + 3 men above it. Everyone else has a
    rate of their own, so the rest of each quarter is fixed by rank:
      lower: 1,102 singles = 916 women + 186 men  (916 + 9 = 925)
      lower middle: 1,081 singles = 974 women + 107 men  (974 + 27 = 1,001)
      upper middle: 1,111 singles = 813 women + 298 men; upper: 1,111 = 361 women + 750 men.
    Returns (hourly, sex) columns in a shuffled order.
    """
    rows = []
    pence = 1000

    def singles(women, men):
        nonlocal pence
        for sex in ["female"] * women + ["male"] * men:
            rows.append((pence / 100, sex))
            pence += 1

    singles(916, 186)
    tie_rate = pence / 100
    pence += 1
    rows += [(tie_rate, "female")] * 36 + [(tie_rate, "male")] * 4
    singles(974, 107)
    singles(813, 298)
    singles(361, 750)
    assert len(rows) == 4445
    random.Random(12).shuffle(rows)
    return [r[0] for r in rows], [r[1] for r in rows], tie_rate


def test_acme_quarters():
    hourly, sex, _ = acme_payroll()
    bands = pay_gap_figures(sex, hourly).quartiles
    assert [b.size for b in bands] == [1112, 1111, 1111, 1111]
    assert [b.women for b in bands] == [925, 1001, 813, 361]
    assert [b.men for b in bands] == [187, 110, 298, 750]
    assert women_pcts(bands) == [83.2, 90.1, 73.2, 32.5]
    assert [one_decimal(b.men_pct) for b in bands] == [16.8, 9.9, 26.8, 67.5]
    assert quartile_bands(hourly, [s == "female" for s in sex]) == bands


@pytest.mark.parametrize("first", ["female", "male"])
def test_acme_tie_group_is_shared_nine_and_one_then_twenty_seven_and_three(first):
    # Only the 40 tied people and the lower quarter's singles below them, written women first or men
    # first. Lower quarter: 1,102 singles + 10 from the tie = 1,112; the tie's 9 women + 1 man land there.
    hourly, sex, tie_rate = acme_payroll()
    tie = [(h, s) for h, s in zip(hourly, sex) if h == tie_rate]
    rest = [(h, s) for h, s in zip(hourly, sex) if h != tie_rate]
    tie.sort(key=lambda p: p[1] != first)
    rows = rest + tie
    bands = pay_gap_figures([s for _, s in rows], [h for h, _ in rows]).quartiles
    lower_singles_women, lower_middle_singles_women = 916, 974
    assert bands[0].women - lower_singles_women == 9 and bands[0].men - 186 == 1
    assert bands[1].women - lower_middle_singles_women == 27 and bands[1].men - 107 == 3
    assert share_in_whole_people(36, [10, 30]) == [9, 27]


# --- The guidance's other examples ----------------------------------------------------------------

def test_mean_and_median_hourly_gap_examples():
    # Men 14.38, 15.00, 16.76: mean 46.14 / 3 = 15.38, median 15.00.
    # Women 11.87, 14.00, 14.00: mean 39.87 / 3 = 13.29, median 14.00.
    # Mean gap (15.38 - 13.29) / 15.38 = 2.09 / 15.38 = 13.589% -> 13.6; median (15 - 14) / 15 = 6.667% -> 6.7.
    # A woman on reduced pay and a woman with no hourly rate are left out of both.
    sex = ["male", "female", "male", "female", "male", "female", "female", "female"]
    hourly = [14.38, 11.87, 15.00, 14.00, 16.76, 14.00, 1.00, None]
    full = [True, True, True, True, True, True, False, True]
    f = pay_gap_figures(sex, hourly, full)
    assert f.mean_hourly_pct == pytest.approx(2.09 / 15.38 * 100) and one_decimal(f.mean_hourly_pct) == 13.6
    assert f.median_hourly_pct == pytest.approx(100 / 15) and one_decimal(f.median_hourly_pct) == 6.7
    assert (f.hourly_men, f.hourly_women, f.full_pay_women, f.no_hourly_rate) == (3, 3, 4, 1)
    # 15.38 - 13.29 = 2.09 per pound of 15.38: women earn 86.4p -> 86p for every pound.
    assert pence_in_pound(f.mean_hourly_pct) == 86


def test_bonus_proportion_examples():
    # 200 men of whom 189 were paid a bonus (189 / 200 = 94.5%); 25 women of whom 16 were (16 / 25 = 64.0%).
    # Bonus proportions are over all relevant employees: ten of the men paid a bonus are on reduced pay
    # and still count; people whose sex is not recorded are in neither figure.
    sex = ["male"] * 200 + ["female"] * 25 + [None, "not known"]
    bonus = [500.0] * 189 + [0.0] * 11 + [400.0] * 16 + [0.0] * 9 + [900.0, 900.0]
    full = [i >= 10 for i in range(227)]
    hourly = [20.0] * 227
    f = pay_gap_figures(sex, hourly, full, bonus)
    assert one_decimal(f.bonus_men_pct) == 94.5 and f.bonus_men_pct == pytest.approx(94.5)
    assert one_decimal(f.bonus_women_pct) == 64.0 and f.bonus_women_pct == pytest.approx(64.0)
    assert (f.men, f.women, f.bonus_men, f.bonus_women, f.left_out) == (200, 25, 189, 16, 2)


def test_mean_and_median_bonus_gap_examples():
    # Men's bonuses 100, 300, 2,600: mean 1,000, median 300.
    # Women's bonuses 290, 290, 2,129: mean 2,709 / 3 = 903, median 290.
    # Mean gap (1000 - 903) / 1000 = 9.7%; median (300 - 290) / 300 = 3.33% -> 3.3.
    # The man on reduced pay still counts (bonus gaps are over everyone paid a bonus); zero bonuses do not.
    sex = ["male", "male", "male", "female", "female", "female", "male", "female"]
    bonus = [100.0, 300.0, 2600.0, 290.0, 290.0, 2129.0, 0.0, None]
    full = [False, True, True, True, True, True, True, True]
    f = pay_gap_figures(sex, [10.0] * 8, full, bonus)
    assert f.mean_bonus_pct == pytest.approx(9.7) and one_decimal(f.mean_bonus_pct) == 9.7
    assert f.median_bonus_pct == pytest.approx(10 / 3) and one_decimal(f.median_bonus_pct) == 3.3
    assert (f.bonus_men, f.bonus_women) == (3, 3)


def test_no_bonus_column_and_no_full_pay_column():
    # Most councils pay no bonuses: no gaps, 0% of each sex paid one; everyone counts as full pay.
    f = pay_gap_figures(["male", "female", "male", "female"], [12.0, 10.0, 12.0, 10.0])
    assert f.mean_bonus_pct is None and f.median_bonus_pct is None
    assert (f.bonus_men_pct, f.bonus_women_pct) == (0.0, 0.0)
    assert f.mean_hourly_pct == pytest.approx(2 / 12 * 100)
    assert [(b.women, b.men) for b in f.quartiles] == [(1, 0), (1, 0), (0, 1), (0, 1)]


def test_a_side_with_nobody_or_men_on_zero_gives_no_gap():
    # Two women and a person whose sex is not recorded: no gap, no men's bonus proportion, but the
    # women's proportion is defined on its own (Sch. 1 para 12: 0 of 2 women paid a bonus = 0%), and the
    # two women are divided into quarters "so far as possible": 1 / 0 / 1 / 0, all women.
    f = pay_gap_figures(["female", "female", None], [10.0, 11.0, 30.0])
    assert f.mean_hourly_pct is None and f.bonus_men_pct is None and f.bonus_women_pct == 0
    assert [(b.size, b.women, b.men) for b in f.quartiles] == [(1, 1, 0), (0, 0, 0), (1, 1, 0), (0, 0, 0)]
    assert [b.women_pct for b in f.quartiles] == [100, None, 100, None]
    assert f.left_out == 1
    assert pay_gap_figures(["male", "female"], [0.0, 5.0]).mean_hourly_pct is None


def test_a_single_sex_workforce_has_that_sexs_bonus_proportion():
    # Five men, two paid a bonus: 2/5 = 40% of men; no women, so no gap and no women's proportion.
    f = pay_gap_figures(["male"] * 5, [10.0, 11.0, 12.0, 13.0, 14.0], bonus=[0, 50.0, 0, 80.0, None])
    assert f.bonus_men_pct == 40 and f.bonus_women_pct is None
    assert f.mean_bonus_pct is None and f.mean_hourly_pct is None
    assert [(b.size, b.men, b.women) for b in f.quartiles] == [(2, 2, 0), (1, 1, 0), (1, 1, 0), (1, 1, 0)]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="hourly has 1 values but sex has 2"):
        pay_gap_figures(["male", "female"], [1.0])


# --- Quarter sizes ----------------------------------------------------------------------------------

# By hand: 8 = 2+2+2+2; 9 = 8 + one over -> lower; 10 = 8 + two over -> lower and upper middle;
# 11 = 8 + three over -> lower, lower middle and upper middle. Large: 1,000,000 divides; 1,000,001,
# 1,000,002 and 1,000,003 leave one, two and three over.
@pytest.mark.parametrize("n, sizes", [
    (8, [2, 2, 2, 2]), (9, [3, 2, 2, 2]), (10, [3, 2, 3, 2]), (11, [3, 3, 3, 2]),
    (4445, [1112, 1111, 1111, 1111]),
    (1_000_000, [250_000] * 4), (1_000_001, [250_001, 250_000, 250_000, 250_000]),
    (1_000_002, [250_001, 250_000, 250_001, 250_000]), (1_000_003, [250_001, 250_001, 250_001, 250_000]),
])
def test_quarter_sizes_by_hand(n, sizes):
    assert quarter_sizes(n) == sizes
    assert sum(sizes) == n


@pytest.mark.parametrize("n", [8, 9, 10, 11])
def test_bands_on_distinct_rates_take_the_quarter_sizes(n):
    # Women on the odd ranks: each band's women are the odd ranks inside it, counted here by hand from sizes.
    hourly = [10.0 + i for i in range(n)]
    women = [i % 2 == 1 for i in range(n)]
    bands = quartile_bands(hourly, women)
    starts = [0, *[sum(quarter_sizes(n)[:k]) for k in range(1, 4)], n]
    assert [b.size for b in bands] == quarter_sizes(n)
    assert [b.women for b in bands] == [sum(1 for i in range(starts[k], starts[k + 1]) if i % 2) for k in range(4)]


# Fewer than four people are divided "so far as possible" (Sch. 1) with the guidance's left-over rule:
# one over -> lower; two -> lower and upper middle; three -> lower, lower middle and upper middle.
@pytest.mark.parametrize("n, sizes", [(1, [1, 0, 0, 0]), (2, [1, 0, 1, 0]), (3, [1, 1, 1, 0])])
def test_fewer_than_four_people_fill_the_quarters_as_far_as_possible(n, sizes):
    assert quarter_sizes(n) == sizes
    hourly = [10.0 + i for i in range(n)]
    women = [i % 2 == 0 for i in range(n)]  # woman, man, woman: lowest paid first
    bands = quartile_bands(hourly, women)
    assert [b.size for b in bands] == sizes
    ranked = iter(women)
    assert [b.women for b in bands] == [sum(next(ranked) for _ in range(size)) for size in sizes]
    assert [b.women_pct is None for b in bands] == [size == 0 for size in sizes]
    assert quartile_bands([], []) is None


# --- Ties on every dividing line ------------------------------------------------------------------

# 12 people, quarters of 3, lines after ranks 3, 6 and 9 (0-based ranks 0-2 | 3-5 | 6-8 | 9-11).
#   rate 10: ranks 0-1, 2 women.
#   rate 20: ranks 2-4, 2 women + 1 man, across line 1: places 1 | 2. Ideal women 2/3 | 4/3: floors 0 | 1,
#            one woman left, remainders 2/3 > 1/3 -> lower: 1 woman | 1 woman + 1 man.
#   rate 30: ranks 5-7, 1 woman + 2 men, across line 2: places 1 | 2. Ideal 1/3 | 2/3: floors 0 | 0,
#            one left, 2/3 > 1/3 -> upper middle: 1 man | 1 woman + 1 man.
#   rate 40: ranks 8-11, 2 women + 2 men, across line 3: places 1 | 3. Ideal 1/2 | 3/2: floors 0 | 1,
#            one left, equal remainders 1/2 -> the lower quarter first (the fixed rule): 1 woman | 1 woman + 2 men.
# Bands (women, men): lower 2+1 = (3, 0); lower middle (1, 1) + (0, 1) = (1, 2);
# upper middle (1, 1) + (1, 0) = (2, 1); upper (1, 2).
TIES_EVERY_LINE = [(10.0, "f")] * 2 + [(20.0, "f")] * 2 + [(20.0, "m")] + [(30.0, "f")] + [(30.0, "m")] * 2 \
    + [(40.0, "f")] * 2 + [(40.0, "m")] * 2
TIES_EXPECTED = [(3, 0), (1, 2), (2, 1), (1, 2)]


@pytest.mark.parametrize("order", ["women first", "men first", "reversed", "shuffled"])
def test_ties_on_every_dividing_line(order):
    rows = list(TIES_EVERY_LINE)
    if order == "men first":
        rows.sort(key=lambda p: (p[0], p[1] == "f"))
    elif order == "reversed":
        rows.reverse()
    elif order == "shuffled":
        random.Random(3).shuffle(rows)
    bands = quartile_bands([h for h, _ in rows], [s == "f" for _, s in rows])
    assert [(b.women, b.men) for b in bands] == TIES_EXPECTED
    assert all(isinstance(x, int) for b in bands for x in (b.size, b.men, b.women))


def test_one_rate_across_all_four_quarters():
    # 9 people, quarters 3 / 2 / 2 / 2. A man on 5, then 7 people on 10 (3 women, 4 men), then a woman on 20.
    # The rate 10 holds ranks 1-7: places 2 | 2 | 2 | 1. Ideal women 6/7, 6/7, 6/7, 3/7: floors all 0,
    # three women to place, largest remainders 6/7 x 3 -> one woman in each of the first three places.
    # lower = man(5) + 1 woman + 1 man; lower middle 1 + 1; upper middle 1 + 1; upper = 1 man on 10 + woman(20).
    for first in (True, False):
        tie = [True] * 3 + [False] * 4 if first else [False] * 4 + [True] * 3
        hourly = [5.0] + [10.0] * 7 + [20.0]
        bands = quartile_bands(hourly, [False, *tie, True])
        assert [(b.women, b.men) for b in bands] == [(1, 2), (1, 1), (1, 1), (1, 1)]


def test_older_pair_form_gives_the_same_bands():
    pairs = [(h, "female" if s == "f" else "male") for h, s in TIES_EVERY_LINE]
    assert [(b.women, b.men) for b in quartile_bands(pairs)] == TIES_EXPECTED


# --- Rounding for people --------------------------------------------------------------------------

@pytest.mark.parametrize("x, want", [(0.05, 0.1), (2.25, 2.3), (0.15, 0.2), (13.55, 13.6), (13.549, 13.5),
                                     (-2.25, -2.3), (83.18, 83.2), (6.2499999999999991, 6.3), (0.0, 0.0)])
def test_one_decimal_rounds_halves_up(x, want):
    assert one_decimal(x) == want


def test_one_decimal_on_a_computed_gap_of_exactly_a_half():
    # Men 16, women 15: gap 1/16 = 6.25% exactly -> 6.3 (round() would give 6.2).
    f = pay_gap_figures(["male", "female"], [16.0, 15.0])
    assert f.mean_hourly_pct == 6.25 and one_decimal(f.mean_hourly_pct) == 6.3


@pytest.mark.parametrize("gap, pence", [(13.5, 87), (12.5, 88), (-3.5, 104), (0.0, 100), (13.59, 86), (13.44, 87)])
def test_pence_in_pound_rounds_half_up(gap, pence):
    # 13.5 -> 86.5p -> 87p; 12.5 -> 87.5p -> 88p; -3.5 -> 103.5p -> 104p. Worked from the gap as shown:
    # 13.59 is shown 13.6 -> 86.4p -> 86p; 13.44 is shown 13.4 -> 86.6p -> 87p.
    assert pence_in_pound(gap) == pence


# --- An independent reference implementation ------------------------------------------------------

def reference_quarters(people: list[tuple[Fraction, bool]]) -> list[tuple[int, int, int]] | None:
    """(size, men, women) per quarter, worked person by person with exact fractions.

    Every person gets a rank and a quarter label by the guidance's wording (fewer than four people fill
    the quarters "so far as possible" by the same left-over rule); then each rate's people are re-shared
    between the quarters their ranks fell in, each quarter getting its places x the rate's share of
    women, floors first and the rest by largest remainder (equal remainders: lower quarter).
    """
    n = len(people)
    if n == 0:
        return None
    size = [n // 4] * 4
    over = n % 4
    if over >= 1:
        size[0] += 1          # one left over: the lower quarter
    if over >= 2:
        size[2] += 1          # two: lower and upper middle
    if over == 3:
        size[1] += 1          # three: lower, lower middle and upper middle
    label = []
    for q in range(4):
        label += [q] * size[q]
    ranked = sorted(people, key=lambda p: p[0])
    women = [0] * 4
    rank = 0
    for _, group in groupby(ranked, key=lambda p: p[0]):
        group = list(group)
        places = {}
        for _ in group:
            places[label[rank]] = places.get(label[rank], 0) + 1
            rank += 1
        group_women = sum(1 for _, w in group if w)
        ideal = {q: Fraction(k * group_women, len(group)) for q, k in places.items()}
        got = {q: int(x) for q, x in ideal.items()}
        for q in sorted(ideal, key=lambda q: (-(ideal[q] - got[q]), q))[:group_women - sum(got.values())]:
            got[q] += 1
        for q, k in got.items():
            women[q] += k
    return [(size[q], size[q] - women[q], women[q]) for q in range(4)]


def reference_figures(rows):
    """Every figure, exactly, from (sex, hourly, full_pay, bonus) rows.

    Pay is taken as written: a string ("12.34") or a number, read with ``Fraction(str(x))`` so that 12.34
    is 1234/100 (the decimal in the payroll), never the binary float nearest to it. Medians hand-rolled.
    """
    def number(x):
        return None if x is None else Fraction(str(x))

    def mean(xs):
        return sum(xs, Fraction(0)) / len(xs) if xs else None

    def mid(xs):
        xs = sorted(xs)
        if not xs:
            return None
        half = len(xs) // 2
        return xs[half] if len(xs) % 2 == 1 else (xs[half - 1] + xs[half]) / 2

    def gap(m, w):
        return None if m is None or w is None or m == 0 else (m - w) / m * 100

    rows = [(sex, number(h), full, number(b)) for sex, h, full, b in rows]
    men = [r for r in rows if r[0] == "male"]
    women = [r for r in rows if r[0] == "female"]
    pay = {s: [r[1] for r in rows if r[0] == s and r[2] and r[1] is not None] for s in ("male", "female")}
    bonus = {s: [r[3] for r in rows if r[0] == s and r[3]] for s in ("male", "female")}
    quarters = reference_quarters([(r[1], r[0] == "female") for r in rows
                                   if r[0] in ("male", "female") and r[2] and r[1] is not None])
    return {
        "mean_hourly_pct": gap(mean(pay["male"]), mean(pay["female"])),
        "median_hourly_pct": gap(mid(pay["male"]), mid(pay["female"])),
        "mean_bonus_pct": gap(mean(bonus["male"]), mean(bonus["female"])),
        "median_bonus_pct": gap(mid(bonus["male"]), mid(bonus["female"])),
        "bonus_men_pct": Fraction(len(bonus["male"]) * 100, len(men)) if men else None,
        "bonus_women_pct": Fraction(len(bonus["female"]) * 100, len(women)) if women else None,
        "quartiles": quarters,
    }


def test_reference_agrees_with_the_hand_worked_cases():
    # The reference is itself checked against the hand-worked cases before it judges anything.
    assert [(w, m) for _, m, w in reference_quarters([(h, s == "f") for h, s in TIES_EVERY_LINE])] == TIES_EXPECTED
    hourly, sex, _ = acme_payroll()
    acme = reference_quarters([(h, s == "female") for h, s in zip(hourly, sex)])
    assert [w for _, _, w in acme] == [925, 1001, 813, 361]
    assert reference_quarters([(Fraction(1), True), (Fraction(2), False)]) == [(1, 0, 1), (0, 0, 0), (1, 1, 0),
                                                                                 (0, 0, 0)]
    # The guidance's mean hourly example: (15.38 - 13.29) / 15.38 exactly.
    rows = [("male", "14.38", True, None), ("male", "15.00", True, None), ("male", "16.76", True, None),
            ("female", "11.87", True, None), ("female", "14.00", True, None), ("female", "14.00", True, None)]
    assert reference_figures(rows)["mean_hourly_pct"] == Fraction(209, 1538) * 100


RATES = ["9.50", "10.00", "10.00", "10.25", "11.00", "12.50", "15.00", "20.00", "31.75"]  # many ties on the lines
pence = st.integers(500, 6000).map(lambda p: f"{p // 100}.{p % 100:02d}")
odd_decimals = st.integers(1, 10**7).map(lambda p: f"{p // 10**4}.{p % 10**4:04d}")  # 4 places: not in binary
row = st.tuples(
    st.sampled_from(["female", "male", "female", "male", None, "not known"]),
    st.one_of(st.sampled_from(RATES), st.none(), pence, odd_decimals),
    st.booleans(),
    st.one_of(st.sampled_from(["0", "0", "50", "120.5", "1000", None]), odd_decimals),
)
FIGURES = ("mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct", "bonus_men_pct",
           "bonus_women_pct")


def as_floats(rows):
    """The columns pay_gap_figures takes: the payroll's decimals read as floats, as the CSV reader does."""
    sex, hourly, full, bonus = ([r[i] for r in rows] for i in range(4))
    return sex, [None if h is None else float(h) for h in hourly], full, [None if b is None else float(b)
                                                                             for b in bonus]


@settings(max_examples=300, deadline=None)
@given(st.lists(row, max_size=90), st.randoms(use_true_random=False))
def test_matches_the_reference_exactly_on_random_payrolls(rows, rnd):
    sex, hourly, full, bonus = as_floats(rows)
    got = pay_gap_figures(sex, hourly, full, bonus)
    want = reference_figures(rows)
    for name in FIGURES:
        # Exactly equal fractions, so the stored float is the same correctly rounded number as the reference's.
        assert getattr(got, name) == want[name], name
        if want[name] is not None:
            assert float(getattr(got, name)) == float(want[name]), name
            assert one_decimal(getattr(got, name)) == float(
                (want[name] * 10 + (Fraction(1, 2) if want[name] >= 0 else -Fraction(1, 2))).__trunc__()) / 10
    if want["quartiles"] is None:
        assert got.quartiles is None
        return
    n = sum(1 for r in rows if r[0] in ("male", "female") and r[2] and r[1] is not None)
    assert [b.size for b in got.quartiles] == quarter_sizes(n)
    assert all(b.men + b.women == b.size and b.men >= 0 and b.women >= 0 for b in got.quartiles)
    assert [(b.size, b.men, b.women) for b in got.quartiles] == want["quartiles"]
    for band, (size, men, women) in zip(got.quartiles, want["quartiles"]):
        assert band.women_pct == (Fraction(women * 100, size) if size else None)
        assert band.men_pct == (Fraction(men * 100, size) if size else None)
    # The order of rows never changes the figures.
    order = list(range(len(rows)))
    rnd.shuffle(order)
    shuffled = pay_gap_figures(*([col[i] for i in order] for col in (sex, hourly, full, bonus)))
    assert shuffled.quartiles == got.quartiles
    assert shuffled.median_hourly_pct == got.median_hourly_pct and shuffled.mean_bonus_pct == got.mean_bonus_pct


def test_a_figure_just_below_a_half_is_rounded_from_its_exact_value():
    # Men 100.00 an hour, women 97.7500244: gap = 2.2499756 / 100 x 100 = 2.2499756%, which is 2.2 to one
    # decimal place; a figure kept to four places (2.2500) would be re-rounded to 2.3.
    f = pay_gap_figures(["male", "female"], [100.0, 97.7500244])
    assert f.mean_hourly_pct == Fraction("2.2499756")
    assert one_decimal(f.mean_hourly_pct) == 2.2 and round(float(f.mean_hourly_pct), 4) == 2.25
    # Exactly a half goes up, whatever the binary form: 0.15 is 0.2 (the float 0.15 is just below it).
    assert one_decimal(Fraction(15, 100)) == 0.2 and one_decimal(Fraction(-225, 100)) == -2.3


def test_band_is_whole_people():
    b = Band(3, 1, 2)
    assert (b.men_pct, b.women_pct) == (pytest.approx(100 / 3), pytest.approx(200 / 3))
