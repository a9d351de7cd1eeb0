"""Pay groups worked from counts of codes (columns read by Arrow) give exactly what sorting every row gives.

The counted path is checked against the row-by-row path on the same values as plain lists, and both
against a direct computation written here (sort each group's rows), on generated columns with ties,
blanks, bonuses of 0, people not on full pay, many groups and few.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from efl.files import columnar  # noqa: E402
from efl.workforce import measures  # noqa: E402
from efl.workforce.measures import pay_gap_figures, pay_groups  # noqa: E402


def coded(cells: list[str], meaning) -> columnar.Coded:  # noqa: ANN001
    """A column as the Arrow reader gives it: its cells dictionary-encoded, each distinct cell read once."""
    table = columnar.ArrowTable(b"", "staff.csv", pa.table({"c0": pa.array(cells, pa.string())}), ["c0"])
    column = table.encode_column(0)
    return column.map([meaning(c) for c in column.distinct])


def by_hand(labels, hourly, full, bonus) -> dict:  # noqa: ANN001
    out: dict = {}
    for label, rate, f, b in zip(labels, hourly, full, bonus):
        if label is None:
            continue
        group = out.setdefault(label, [0, 0, [], []])
        group[0] += 1
        if f:
            group[1] += 1
            if rate is not None:
                group[2].append(rate)
        if b is not None and b > 0:
            group[3].append(b)
    return {k: (v[0], v[1], sorted(v[2]), sorted(v[3])) for k, v in out.items()}


def summary(groups: dict) -> dict:
    return {k: (g.employees, g.full_pay, g.hourly, g.bonuses) for k, g in groups.items()}


def _number(cell: str):  # noqa: ANN202
    return float(cell) if cell else None


def _flag(cell: str) -> bool:
    return cell != "false"


def _bonus(cell: str):  # noqa: ANN202
    return float(cell) if cell else 0  # blank bonus: 0 (an int), as the reader's default


def _columns(rng: random.Random, n: int, groups: int):  # noqa: ANN202
    names = ["", *[f"group {i}" for i in range(groups)]]
    label_cells = [rng.choice(names) for _ in range(n)]
    rates = ["", "9.50", "10.25", "11", "11.00", "12.34", "0"]
    hourly_cells = [rng.choice(rates) for _ in range(n)]
    full_cells = [rng.choice(["true", "true", "true", "false"]) for _ in range(n)]
    bonus_cells = [rng.choice(["", "", "0", "150", "150.00", "99.99"]) for _ in range(n)]
    return label_cells, hourly_cells, full_cells, bonus_cells


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 400), st.integers(1, 12), st.integers(0, 10**6), st.booleans(), st.booleans())
def test_counted_groups_are_the_sorted_groups(n, groups, seed, with_full, with_bonus):
    rng = random.Random(seed)
    label_cells, hourly_cells, full_cells, bonus_cells = _columns(rng, n, groups)
    labels = coded(label_cells, lambda c: c or None)
    hourly = coded(hourly_cells, _number)
    full = coded(full_cells, _flag) if with_full else None
    bonus = coded(bonus_cells, _bonus) if with_bonus else None
    assert isinstance(labels, columnar.Coded) and labels == [c or None for c in label_cells]
    counted = pay_groups(labels, hourly, full, bonus)
    distinct = [x for x in dict.fromkeys(labels) if x is not None]
    assert measures._pay_groups_from_codes(distinct, labels, hourly, full, bonus) is not None  # counted, in C
    rows = pay_groups(list(labels), list(hourly), list(full) if full is not None else None,
                      list(bonus) if bonus is not None else None)
    assert list(counted) == list(rows)  # groups in the order they first appear
    assert summary(counted) == summary(rows)
    want = by_hand(list(labels), list(hourly), list(full) if full is not None else [True] * n,
                   list(bonus) if bonus is not None else [None] * n)
    assert summary(counted) == want
    # The same kind of number as the rows hold, not only an equal one.
    for group in counted.values():
        assert all(type(v) is float for v in group.hourly + group.bonuses)
    # The counts per rate the pay quarters use are the laid-out rates counted; rows alone give none.
    from collections import Counter

    for label, group in counted.items():
        assert group.hourly_counts == Counter(want[label][2])
        assert rows[label].hourly_counts is None
    if len(counted) >= 2:
        a, b = list(counted.values())[:2]
        assert (a + b).hourly_counts == Counter(a.hourly + b.hourly)
        assert (a + b).hourly == sorted(a.hourly + b.hourly)
        # The quarters of two counted groups, worked per rate, are the quarters of the ranked rows.
        assert measures._bands_counted(a.hourly_counts, b.hourly_counts) == measures._bands(a.hourly, b.hourly)
        assert measures.pay_gap(a, b).quartiles == measures.pay_gap(rows[list(counted)[0]],
                                                                    rows[list(counted)[1]]).quartiles
        assert (a + rows[list(rows)[0]]).hourly_counts is None  # only when both sides were counted


def test_a_hand_worked_gap_from_counted_columns():
    # Women on 10, 10, 12; men on 12, 14, 16 (one man not on full pay: 20); one person with no sex.
    sex = coded(["F", "F", "F", "M", "M", "M", "M", ""], {"F": "female", "M": "male", "": None}.get)
    hourly = coded(["10.00", "10.00", "12.00", "12.00", "14.00", "16.00", "20.00", "30.00"], _number)
    full = coded(["true"] * 6 + ["false", "true"], _flag)
    bonus = coded(["", "100", "", "", "300", "", "", ""], _bonus)
    figures = pay_gap_figures(sex, hourly, full, bonus)
    # Mean: women 32/3, men 14; gap (14 - 32/3) / 14 = 23.8095...%. Median: women 10, men 14: 28.571...%.
    assert float(figures.mean_hourly_pct) == pytest.approx((14 - 32 / 3) / 14 * 100)
    assert float(figures.median_hourly_pct) == pytest.approx((14 - 10) / 14 * 100)
    # Bonus: one woman of three (100), one man of four (300): mean and median gap (300 - 100) / 300.
    assert float(figures.mean_bonus_pct) == pytest.approx(200 / 3)
    assert (figures.women, figures.men, figures.full_pay_men, figures.hourly_women) == (3, 4, 3, 3)
    plain = pay_gap_figures(list(sex), list(hourly), list(full), list(bonus))
    assert figures == plain


def test_mixed_kinds_of_number_take_the_row_by_row_path():
    labels = coded(["a", "a", "b"], lambda c: c)
    # An int and a float of the same value: counting would keep one kind for both, so it is not used.
    hourly = coded(["1", "1.0", "2"], lambda c: int(c) if c.isdigit() else float(c))
    assert measures._pay_groups_from_codes(["a", "b"], labels, hourly, None, None) is None
    groups = pay_groups(labels, hourly)
    assert [type(v) for v in groups["a"].hourly] == [int, float]


@pytest.mark.parametrize("seed", range(300))
def test_quarters_of_two_sides_from_counts_are_the_ranked_quarters(seed):
    from collections import Counter

    rng = random.Random(seed)
    menu = rng.choice([[10.0, 10.0, 12.0], [9.5, 10.0, 11.0, 12.5, 12.5, 14.0], [15.0], [7.0, 8.0, 9.0, 10.0]])
    women = sorted(rng.choice(menu) for _ in range(rng.choice([0, 1, 2, 3, rng.randint(0, 50)])))
    men = sorted(rng.choice(menu) for _ in range(rng.choice([0, 1, 2, 3, rng.randint(0, 50)])))
    assert measures._bands_counted(Counter(women), Counter(men)) == measures._bands(women, men)


def test_a_columns_tally_is_counted_once_and_not_shared():
    column = coded(["a", "b", "a", "c", "a"], lambda c: c).column
    first = column.tally()
    assert first == {0: 3, 1: 1, 2: 1} and list(first) == [0, 1, 2]  # codes in the order cells first appear
    first[0] = 99  # a caller's change does not reach the next caller
    assert column.tally() == {0: 3, 1: 1, 2: 1}
    assert column.tally([True, False, True, True, False]) == {0: 2, 2: 1}


@pytest.mark.parametrize("seed", range(40))
def test_codes_counted_together_are_the_rows_counted_in_python(seed):
    from collections import Counter

    rng = random.Random(seed)
    n = rng.choice([0, 1, 7, 300])
    widths = [rng.choice([1, 2, 3, 17, 300]) for _ in range(rng.randint(1, 4))]
    columns = [coded([str(rng.randrange(w)) for _ in range(n)], lambda c: c).column for w in widths]
    counted = columns[0].count_together(*columns[1:])
    rows = Counter(zip(*(c.codes.to_pylist() for c in columns)))
    assert counted == dict(rows)


@pytest.mark.parametrize("sizes", [(181, 181), (182, 181), (2, 16384), (2, 16383), (46341, 46340), (46341, 46341)])
def test_combinations_at_the_edge_of_each_integer_width_are_counted_exactly(sizes):
    # The combination numbers are worked in 16, 32 or 64 bits by how many there can be: these sizes put
    # the largest number just below or just past 2**15 and 2**31, and the rows hold the largest codes.
    from collections import Counter

    a_size, b_size = sizes
    a = [str(i) for i in range(a_size)] + ["0"] * (b_size - a_size if b_size > a_size else 0)
    b = [str(i % b_size) for i in range(len(a))]
    a += [str(a_size - 1), str(a_size - 1), "0"]
    b += [str(b_size - 1), str(b_size - 1), str(b_size - 1)]
    first, second = coded(a, lambda c: c).column, coded(b, lambda c: c).column
    assert (len(first.distinct), len(second.distinct)) == sizes
    counted = first.count_together(second)
    assert counted == dict(Counter(zip(first.codes.to_pylist(), second.codes.to_pylist())))
    assert counted[(a_size - 1, b_size - 1)] >= 2


def two_columns(first: list[str], second: list[str]) -> tuple[columnar.ArrowColumn, columnar.ArrowColumn]:
    """Two columns of one table, as the Arrow reader gives them."""
    table = columnar.ArrowTable(b"", "staff.csv", pa.table({"c0": pa.array(first, pa.string()),
                                                             "c1": pa.array(second, pa.string())}), ["c0", "c1"])
    return table.encode_column(0), table.encode_column(1)


@pytest.mark.parametrize("seed", range(40))
def test_a_tally_of_the_senior_rows_is_the_rows_counted_in_python(seed):
    """tally(where=a yes/no column of the same table), counted by pairs of codes, against a Counter over
    the rows, in value and in order (codes in the order they first appear among the rows picked); the
    tally of all rows it keeps on the way against a Counter too, and against an Arrow tally made afresh."""
    from collections import Counter

    rng = random.Random(seed)
    n = rng.choice([1, 2, 5, rng.randint(1, 400)])
    cells = [rng.choice("abcdefghij"[:rng.randint(1, 10)]) for _ in range(n)]
    flags = [rng.choice(["true", "false", "yes", "", "no"][:rng.randint(1, 5)]) for _ in range(n)]
    column, flag_column = two_columns(cells, flags)
    senior = flag_column.map([{"true": True, "yes": True, "false": False, "no": False}.get(c) for c in flag_column.distinct])
    picked = column.tally(senior)
    expected = Counter(code for code, s in zip(column.codes.to_pylist(), list(senior)) if s)
    assert picked == expected and list(picked) == list(expected)
    everyone = column.tally()
    assert everyone == Counter(column.codes.to_pylist()) and list(everyone) == list(Counter(column.codes.to_pylist()))
    assert two_columns(cells, flags)[0].tally() == everyone


@pytest.mark.parametrize("sizes", [(2, 2), (8, 15), (63, 2), (64, 2), (12, 11), (130, 3)])
def test_codes_counted_together_at_every_width(sizes):
    """The combined numbers are 8-bit below 128 combinations, 16-bit from there: the same counts either side."""
    from collections import Counter

    rng = random.Random(sum(sizes))
    first = [f"a{i}" for i in range(sizes[0])] + [f"a{rng.randrange(sizes[0])}" for _ in range(300)]
    second = [f"b{i % sizes[1]}" for i in range(sizes[0])] + [f"b{rng.randrange(sizes[1])}" for _ in range(300)]
    a, b = two_columns(first, second)
    assert (len(a.distinct), len(b.distinct)) == sizes
    together = a.count_together(b)
    assert together == Counter(zip(a.codes.to_pylist(), b.codes.to_pylist()))
