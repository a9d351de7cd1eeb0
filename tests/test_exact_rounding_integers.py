"""half_up and _gap worked on whole numbers give exactly what the Fraction operations gave.

The references are the functions as they were written before (copied here): Fractions all the way.
Inputs: random exact values of every sign and size, exact halves (2.25, -0.15, 1/2), values a hair
either side of a half, ints, Decimals and Fractions, several numbers of places (negative too), and
gaps between payroll-like means and medians.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from efl.workforce.measures import _exact_total, _gap, half_up, one_decimal, pence_in_pound


def old_half_up(x, places: int = 1) -> Decimal:  # noqa: ANN001
    q = Fraction(x)
    scaled = abs(q) * 10 ** places
    whole = int(scaled + Fraction(1, 2))
    rounded = Decimal(whole).scaleb(-places)
    return -rounded if q < 0 else rounded


def old_gap(reference, group):  # noqa: ANN001, ANN201
    if reference is None or group is None or reference == 0:
        return None
    return (reference - group) / reference * 100


def _values(rng: random.Random) -> list:
    out = [0, 1, -1, Fraction(1, 2), Fraction(-1, 2), Fraction(9, 4), Fraction(-9, 4), Decimal("2.25"),
           Decimal("-0.15"), Decimal("0.05"), Decimal("-0.05"), Fraction(22499756, 10**7), Decimal("1e-30"),
           Fraction(10**40 + 1, 3), Fraction(-7, 3), True, 12345678901234567890]
    for _ in range(3000):
        d = rng.choice([1, 2, 3, 4, 7, 10, 100, 1000, rng.randint(1, 10**9)])
        n = rng.randint(-10**12, 10**12) if rng.random() < 0.5 else rng.randint(-2000, 2000)
        out.append(Fraction(n, d))
        half = Fraction(2 * rng.randint(-10**6, 10**6) + 1, 20)  # exactly a half at one place
        out += [half, half + Fraction(1, 10**15), half - Fraction(1, 10**15)]
        out.append(Decimal(rng.randint(-10**8, 10**8)).scaleb(-rng.randint(0, 6)))
    return out


@pytest.mark.parametrize("places", [0, 1, 2, 3, 9, -1, -2])
def test_half_up_is_the_fraction_rounding(places: int) -> None:
    rng = random.Random(places + 29)
    for x in _values(rng):
        got, want = half_up(x, places), old_half_up(x, places)
        assert got == want and str(got) == str(want), (x, places)


def test_one_decimal_and_pence_follow() -> None:
    rng = random.Random(7)
    for x in _values(rng)[:2000]:
        assert one_decimal(x) == float(old_half_up(x, 1)) + 0.0
        if abs(x) < 1000:
            assert pence_in_pound(x) == int(old_half_up(Decimal(100) - old_half_up(x, 1), 0))


def test_gap_is_the_three_operations() -> None:
    rng = random.Random(11)
    values = [v for v in _values(rng) if not isinstance(v, (Decimal, bool))]
    for _ in range(20000):
        a, b = rng.choice(values), rng.choice(values)
        got, want = _gap(a, b), old_gap(a, b)
        assert got == want and type(got) is type(want), (a, b)
    assert _gap(None, Fraction(1)) is None and _gap(Fraction(0), Fraction(3)) is None
    assert _gap(Fraction(1), None) is None
    # Payroll-like: means and medians of pence.
    for _ in range(2000):
        men = _exact_total(sorted(rng.randint(1000, 5000) / 100 for _ in range(rng.randint(1, 40))))
        women = Fraction(rng.randint(1000, 5000), 100)
        assert _gap(men, women) == old_gap(men, women)


def test_exact_total_with_and_without_other_exact_numbers() -> None:
    rng = random.Random(5)
    for _ in range(500):
        floats = [rng.randint(0, 10**6) / 100 for _ in range(rng.randint(0, 30))]
        exact = [Fraction(rng.randint(0, 10**6), rng.choice([1, 3, 7, 100])) for _ in range(rng.randint(0, 5))]
        values = sorted(floats + exact)
        want = sum((Fraction(str(v)) if isinstance(v, float) else Fraction(v) for v in values), Fraction(0))
        got = _exact_total(values)
        assert got == want and type(got) is Fraction


def old_exact(x):  # noqa: ANN001, ANN201
    if isinstance(x, float):
        return Fraction(Decimal(float.__repr__(x)))
    return Fraction(x)


def old_total(values):  # noqa: ANN001, ANN201
    return sum((old_exact(v) for v in values), Fraction(0))


def test_mean_and_median_are_the_fraction_operations() -> None:
    from efl.workforce.measures import _exact_mean, _exact_median

    rng = random.Random(3)
    assert _exact_mean([]) is None and _exact_median([]) is None
    for _ in range(3000):
        kind = rng.random()
        size = rng.randint(1, 12)
        if kind < 0.4:  # pay rates as a payroll holds them
            values = [rng.randint(0, 10**6) / 100 for _ in range(size)]
        elif kind < 0.6:  # floats that are no short decimal, and tiny and huge ones
            values = [rng.choice([rng.random() * 10**rng.randint(-12, 11), 1e-300, 0.1 + 0.2]) for _ in range(size)]
        elif kind < 0.8:
            values = [rng.randint(-50, 10**9) for _ in range(size)]
        else:
            values = [rng.choice([Fraction(rng.randint(0, 999), rng.randint(1, 99)),
                                  Decimal(rng.randint(0, 10**6)).scaleb(-2), rng.randint(0, 99) / 4])
                      for _ in range(size)]
        values.sort()
        mean, median = _exact_mean(values), _exact_median(values)
        assert mean == old_total(values) / len(values) and type(mean) is Fraction, values
        mid = len(values) // 2
        want = old_exact(values[mid]) if len(values) % 2 else (old_exact(values[mid - 1]) + old_exact(values[mid])) / 2
        assert median == want and type(median) is Fraction, values
