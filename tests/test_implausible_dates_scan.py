"""The quick scan for implausible dates (has_implausible_date) says yes exactly when the full walk
(implausible_dates, which builds each value's position) finds one, on many nested documents."""

from __future__ import annotations

import datetime as dt
import random

from efl.core.assessment import PLAUSIBLE_DATES, has_implausible_date, implausible_dates
from efl.files.yamlio import parse_yaml

DATES = [PLAUSIBLE_DATES[0], PLAUSIBLE_DATES[1], PLAUSIBLE_DATES[0] - dt.timedelta(days=1),
         PLAUSIBLE_DATES[1] + dt.timedelta(days=1), dt.date(2025, 1, 20), dt.date(1, 1, 1), dt.date(9999, 12, 31)]
# (No datetimes: the model's dates are dates, and a datetime beside a date cannot be compared by either.)
LEAVES = DATES + ["2025-01-20", "0025-01-01", 2025, 0, None, True, 1.5, (dt.date(1, 1, 1),), {dt.date(1, 1, 1)}]


def nested(rng: random.Random, depth: int = 0):  # noqa: ANN201
    roll = rng.random()
    if depth < 4 and roll < 0.3:
        return {f"k{i}": nested(rng, depth + 1) for i in range(rng.randint(0, 4))}
    if depth < 4 and roll < 0.5:
        return [nested(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.choice(LEAVES)


def test_the_scan_agrees_with_the_full_walk() -> None:
    rng = random.Random(29)
    doc = parse_yaml("a: 1\n", "assessment.yaml")  # positions are only asked for when a date is found
    found = 0
    for _ in range(3000):
        data = nested(rng)
        full = implausible_dates(data, doc)
        assert has_implausible_date(data) == bool(full), data
        found += bool(full)
    assert 300 < found < 2700  # both answers were seen many times


def test_dates_on_the_bounds_are_plausible_and_one_day_out_is_not() -> None:
    assert not has_implausible_date({"a": [PLAUSIBLE_DATES[0], {"b": PLAUSIBLE_DATES[1]}]})
    assert has_implausible_date({"a": [{"b": PLAUSIBLE_DATES[1] + dt.timedelta(days=1)}]})
    assert has_implausible_date([[[PLAUSIBLE_DATES[0] - dt.timedelta(days=1)]]])
    assert not has_implausible_date(("not a list", dt.date(1, 1, 1)))  # tuples are not walked, as before
