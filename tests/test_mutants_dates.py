"""ISO 8601 durations and calendar arithmetic (efl.law.dates), on values worked out with a calendar.

Written to kill the mutants mutation testing found alive (tests/mutation/README.md): a week counted
as one day, ``before()`` adding days, a bare ``P`` accepted, a month end not clamped. Every expected
date below was counted on a calendar by hand, not computed with efl's own functions.
"""

from __future__ import annotations

import datetime as dt

import pytest

from efl.law.dates import ONE_YEAR, Duration, add_months, next_anniversary, parse_duration, within

D = dt.date


@pytest.mark.parametrize("text, years, months, days", [
    ("P1Y", 1, 0, 0),
    ("P6M", 0, 6, 0),
    ("P30D", 0, 0, 30),
    ("P1Y6M", 1, 6, 0),
    ("P2W", 0, 0, 14),        # a week is seven days
    ("P1W3D", 0, 0, 10),
    ("P1Y2M3W4D", 1, 2, 25),
    ("P0D", 0, 0, 0),
    ("  P4Y  ", 4, 0, 0),     # surrounding spaces, as YAML may leave them
])
def test_parse_duration_reads_each_part(text, years, months, days):
    d = parse_duration(text)
    assert (d.years, d.months, d.days) == (years, months, days)
    assert d.text == text.strip()


@pytest.mark.parametrize("text", ["P", "", "1Y", "P1", "PY", "P1H", "PT1H", "P1D1Y", "p1y", "P-1Y", "P1.5Y",
                                  "xP1Y", "P1Yx", "P1Y P1Y"])
def test_parse_duration_refuses_what_is_not_a_date_duration(text):
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert message == f"{text!r} is not a duration (expected ISO 8601 such as P1Y, P6M, P4Y or P30D)"


@pytest.mark.parametrize("value", [None, 3, ["P1Y"]])
def test_parse_duration_refuses_what_is_not_text(value):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)


@pytest.mark.parametrize("text, day, before, after", [
    ("P1W", D(2025, 3, 10), D(2025, 3, 3), D(2025, 3, 17)),
    ("P30D", D(2025, 3, 10), D(2025, 2, 8), D(2025, 4, 9)),
    ("P3M", D(2025, 5, 31), D(2025, 2, 28), D(2025, 8, 31)),
    ("P3M", D(2024, 5, 31), D(2024, 2, 29), D(2024, 8, 31)),
    ("P1M", D(2025, 1, 31), D(2024, 12, 31), D(2025, 2, 28)),
    ("P1Y", D(2024, 2, 29), D(2023, 2, 28), D(2025, 2, 28)),
    ("P1Y6M", D(2025, 8, 15), D(2024, 2, 15), D(2027, 2, 15)),
    ("P2Y1M10D", D(2025, 1, 25), D(2022, 12, 15), D(2027, 3, 7)),
    ("P12M", D(2025, 12, 1), D(2024, 12, 1), D(2026, 12, 1)),
    ("P13M", D(2025, 12, 1), D(2024, 11, 1), D(2027, 1, 1)),
    ("P11M", D(2025, 1, 1), D(2024, 2, 1), D(2025, 12, 1)),
])
def test_before_and_after_move_by_the_calendar(text, day, before, after):
    d = parse_duration(text)
    assert d.before(day) == before
    assert d.after(day) == after


@pytest.mark.parametrize("day, months, expected", [
    (D(2025, 1, 15), 1, D(2025, 2, 15)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 3, 31), 1, D(2025, 4, 30)),
    (D(2025, 12, 31), 1, D(2026, 1, 31)),
    (D(2025, 11, 30), 2, D(2026, 1, 30)),
    (D(2025, 1, 10), -1, D(2024, 12, 10)),
    (D(2025, 3, 31), -1, D(2025, 2, 28)),
    (D(2025, 6, 30), -12, D(2024, 6, 30)),
    (D(2025, 6, 30), 0, D(2025, 6, 30)),
    (D(2025, 12, 1), 12, D(2026, 12, 1)),
    (D(2025, 7, 4), 48, D(2029, 7, 4)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("after, month, day, expected", [
    (D(2025, 1, 1), 3, 31, D(2025, 3, 31)),
    (D(2025, 3, 30), 3, 31, D(2025, 3, 31)),
    (D(2025, 3, 31), 3, 31, D(2026, 3, 31)),    # strictly after: the day itself is not its own next
    (D(2025, 4, 1), 3, 31, D(2026, 3, 31)),
    (D(2025, 12, 31), 1, 1, D(2026, 1, 1)),
    (D(2025, 1, 1), 2, 29, D(2025, 2, 28)),     # no 29 February in 2025
    (D(2024, 1, 1), 2, 29, D(2024, 2, 29)),
    (D(2024, 2, 29), 2, 29, D(2025, 2, 28)),
])
def test_next_anniversary(after, month, day, expected):
    assert next_anniversary(after, month, day) == expected


@pytest.mark.parametrize("duration, words", [
    ("P1Y", "1 year"), ("P2Y", "2 years"), ("P1M", "1 month"), ("P6M", "6 months"), ("P1D", "1 day"),
    ("P30D", "30 days"), ("P1Y6M", "1 year and 6 months"), ("P1Y1M1D", "1 year and 1 month and 1 day"),
    ("P2W", "14 days"), ("P0D", "0 days"),
])
def test_words(duration, words):
    assert parse_duration(duration).words() == words


def test_one_year():
    assert (ONE_YEAR.years, ONE_YEAR.months, ONE_YEAR.days, ONE_YEAR.text) == (1, 0, 0, "P1Y")
    assert ONE_YEAR == Duration(years=1, text="P1Y")
    assert Duration() == Duration(0, 0, 0, "")


@pytest.mark.parametrize("earlier, duration, on, expected", [
    (D(2024, 6, 30), "P1Y", D(2025, 6, 30), True),      # a year to the day is still within
    (D(2024, 6, 30), "P1Y", D(2025, 7, 1), False),
    (D(2024, 2, 29), "P1Y", D(2025, 2, 28), True),
    (D(2024, 2, 29), "P1Y", D(2025, 3, 1), False),
    (D(2023, 2, 28), "P1Y", D(2024, 2, 28), True),
    (D(2023, 2, 28), "P1Y", D(2024, 2, 29), False),
    (D(2025, 3, 1), "P1W", D(2025, 3, 8), True),
    (D(2025, 3, 1), "P1W", D(2025, 3, 9), False),
    (D(2025, 3, 1), "P30D", D(2025, 2, 1), True),       # before the start is within too
])
def test_within(earlier, duration, on, expected):
    assert within(earlier, parse_duration(duration), on) is expected
