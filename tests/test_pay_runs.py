"""A counted pay group's sorted rates are held as runs (efl.workforce.measures.Runs): a plain sorted
list to whoever reads it, its length, positions and exact mean and median answered from the runs.
Checked here against the plain list laid out value by value, on many random counts, for every way a
list is read, and the exact mean and median against Fraction arithmetic done by hand."""

from __future__ import annotations

import copy
import json
import pickle
import random
from decimal import Decimal
from fractions import Fraction
from statistics import median

import pytest

from efl.workforce.measures import PayGroup, Runs, _exact_mean, _exact_median, _exact_total


def _counts(seed: int) -> dict:
    rng = random.Random(seed)
    kind = seed % 3
    distinct = rng.choice([0, 1, 2, 5, 40])
    values = {round(rng.uniform(8, 60), 2) if kind == 0 else rng.randint(-3, 900) if kind == 1
              else Fraction(rng.randint(1, 5000), rng.choice([1, 4, 100])) for _ in range(distinct)}
    return {v: rng.choice([1, 1, 2, 7, 300]) for v in values}


def _plain(counts: dict) -> list:
    return [v for v in sorted(counts) for _ in range(counts[v])]


SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_runs_read_as_the_laid_out_list(seed):
    counts = _counts(seed)
    plain = _plain(counts)
    runs = Runs(counts)
    assert len(runs) == len(plain) and bool(runs) == bool(plain)
    for i in [*range(-len(plain), len(plain))]:
        assert runs[i] == plain[i] and type(runs[i]) is type(plain[i])
    for i in (len(plain), len(plain) + 3, -len(plain) - 1):
        with pytest.raises(IndexError):
            runs[i]
    assert not runs._filled  # all of that from the runs
    assert runs.runs() == [(v, counts[v]) for v in sorted(counts)]
    assert _exact_total(runs) == sum((Fraction(Decimal(repr(v))) if isinstance(v, float) else Fraction(v)) * n
                                     for v, n in counts.items())
    assert _exact_total(runs) == _exact_total(plain)
    assert _exact_mean(runs) == _exact_mean(plain) and _exact_median(runs) == _exact_median(plain)
    if plain and all(isinstance(v, (int, Fraction)) for v in plain):
        assert _exact_median(runs) == Fraction(median(plain))  # exact numbers: the library's median is exact
    assert not runs._filled


OPERATIONS = [
    list, tuple, sorted, reversed, repr, str, set, copy.copy, copy.deepcopy, lambda x: x[1:4], lambda x: x[::-1],
    lambda x: 11 in x, lambda x: x.count(x[0] if x else 0), lambda x: x.index(x[-1]) if x else None,
    lambda x: x == sorted(x), lambda x: [0] + x, lambda x: x + [0], lambda x: x * 2, lambda x: 2 * x, lambda x: x.copy(),
    lambda x: list(zip(x, x)), lambda x: x < [99], lambda x: pickle.loads(pickle.dumps(x)),
    lambda x: json.dumps([float(v) for v in x]), lambda x: (x.append(5), x)[1], lambda x: (x.sort(reverse=True), x)[1],
    lambda x: (x.pop(), x)[1] if x else None, lambda x: (x.extend([1]), x)[1], lambda x: x + Runs({3: 2, 1: 1}),
    lambda x: Runs({3: 2, 1: 1}) + x, lambda x: x == Runs({3: 2}), lambda x: sorted(x + Runs({3: 2})),
]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("operation", OPERATIONS)
def test_runs_behave_as_the_list_for_every_reading(operation, seed):
    counts = _counts(seed)
    got, want = operation(Runs(counts)), operation(_plain(counts))
    if hasattr(want, "__next__"):
        got, want = list(got), list(want)
    assert got == want
    assert type(got) is type(want) or isinstance(got, Runs)


@pytest.mark.parametrize("seed", SEEDS)
def test_counted_groups_added_give_the_sorted_groups_figures(seed):
    """Groups taken together (the ethnic groups of a comparison): the same figures as sorting every row."""
    a, b = _counts(seed), _counts(seed + 1000)
    bonus_a, bonus_b = {5: 2, 100: 1}, {5: 1, 7: 3}
    counted = PayGroup(10, 9, Runs(a), Runs(bonus_a), a) + PayGroup(8, 7, Runs(b), Runs(bonus_b), b)
    rows = PayGroup(10, 9, _plain(a), _plain(bonus_a)) + PayGroup(8, 7, _plain(b), _plain(bonus_b))
    assert counted.hourly == rows.hourly and counted.bonuses == rows.bonuses
    assert len(counted.bonuses) == 7
    assert (counted.mean_hourly, counted.median_hourly, counted.mean_bonus, counted.median_bonus) == \
        (rows.mean_hourly, rows.median_hourly, rows.mean_bonus, rows.median_bonus)


def test_a_value_counted_no_times_is_no_run():
    runs = Runs({4: 0, 1: 2, 3: 0, 2: 1})
    assert runs.runs() == [(1, 2), (2, 1)]
    assert len(runs) == 3 and [runs[0], runs[1], runs[2], runs[-1]] == [1, 1, 2, 2]
    assert runs == [1, 1, 2]


@pytest.mark.parametrize("index", [3, 4, -4, -10])
def test_a_position_past_either_end_is_refused_as_a_list_refuses_it(index):
    runs, plain = Runs({1: 2, 2: 1}), [1, 1, 2]
    with pytest.raises(IndexError) as of_list:
        plain[index]
    with pytest.raises(IndexError) as of_runs:
        runs[index]
    assert str(of_runs.value) == str(of_list.value) == "list index out of range"
    assert not runs._filled  # answered from the runs
