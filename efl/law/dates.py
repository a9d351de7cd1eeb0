"""ISO 8601 durations (``P3Y``, ``P6M``, ``P1Y6M``, ``P30D``) and efl's one rule for periods of time.

The regulations measure every period from a day it *begins with*: "at intervals of not greater than
one year beginning with the date of last publication" (SI 2011/2260 reg 2(2) and SI 2017/353
reg 4(2)(b)), "four years beginning with the date of last publication" (reg 3(2), reg 5(2)(b)),
"within the period of 12 months beginning with the snapshot date" (SI 2017/353 Schedule 1 para 2(2)).
A period beginning with a day includes that day, so:

* a period of N years (or months) beginning with day D ends on the day before D's Nth anniversary;
* D's anniversary is the same day of the month N years (months) on; where that month has no such
  day, it is the first day of the next month: the anniversary of 29 February in a common year is
  1 March, so a year beginning with 29 February 2024 ends on 28 February 2025;
* a period of N days beginning with D ends on the day N - 1 days after D.

"Within the last year" on a day E is the same period read backwards: an item dated D is within it
when E falls inside the year beginning with D. The statutory calendar states the rule beside the
regulations' words (``periods:`` in ``frameworks/calendars/psed-england.yaml``); every duty, rule
(``max_age``), fact and window in efl uses :func:`period_end` and :func:`within`, so none can disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DURATION = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def add_months(day: dt.date, months: int) -> dt.date:
    """The day ``months`` months from ``day``, clamped to the month's last day (31 May + 3 months is
    31 August; 31 May - 3 months is 28 or 29 February). For the law's periods use :func:`anniversary`."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def anniversary(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` months from ``day`` (negative: before it); where that
    month has no such day, the first day of the next month (29 February 2024 + 12 months is
    1 March 2025; 31 March + 6 months is 1 October)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, day.day)
    return dt.date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Duration:
    """An ISO 8601 duration as the law's periods are written (``P1Y``, ``P6M``, ``P4W``), and its text."""

    years: int = 0
    months: int = 0
    days: int = 0
    text: str = ""

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def after(self, day: dt.date) -> dt.date:
        """The day this long after ``day``: its anniversary (see :func:`anniversary`), plus the days."""
        return anniversary(day, self.total_months) + dt.timedelta(days=self.days)

    def before(self, day: dt.date) -> dt.date:
        """The day this long before ``day``: the anniversary counted backwards, less the days."""
        return anniversary(day, -self.total_months) - dt.timedelta(days=self.days)

    def period_end(self, start: dt.date) -> dt.date:
        """The last day of a period of this length beginning with ``start`` (see :func:`period_end`)."""
        return period_end(start, self)

    def words(self) -> str:
        parts = []
        for count, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")):
            if count:
                parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
        return " and ".join(parts) or "0 days"


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 date duration; raise ValueError in plain English if it is not one.

    The few durations a calendar and a framework write (P1Y, P3Y...) are asked for about 50 times a
    council, so each text's Duration (frozen: the same one can be handed out again) is kept.
    """
    if type(text) is str:
        known = _DURATIONS.get(text)
        if known is not None:
            return known
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a duration (expected ISO 8601 such as P1Y, P6M, P4Y or P30D)")
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    duration = Duration(years, months, weeks * 7 + days, text.strip())
    if type(text) is str and len(_DURATIONS) < 256:
        _DURATIONS[text] = duration
    return duration


_DURATIONS: dict[str, Duration] = {}


ONE_YEAR = Duration(years=1, text="P1Y")


def period_end(start: dt.date, duration: Duration) -> dt.date:
    """The last day of the period of ``duration`` beginning with ``start``: the day before the day
    that long after it (a year beginning with 30 January 2025 ends on 29 January 2026; four years
    beginning with 29 February 2020 end on 28 February 2024; 12 months beginning with 31 March
    end on 30 March)."""
    return duration.after(start) - dt.timedelta(days=1)


def within(earlier: dt.date, duration: Duration, on: dt.date) -> bool:
    """Whether ``on`` falls no later than the end of the period of ``duration`` beginning with
    ``earlier``: efl's one meaning of "within" (an item dated 14 November 2024 is within the last
    year on 13 November 2025, not on 14 November 2025). A later ``earlier`` is never too old."""
    return on <= period_end(earlier, duration)


def next_anniversary(after: dt.date, month: int, day: int) -> dt.date:
    """The first ``month``/``day`` strictly after ``after`` (29 February in a common year is 1 March)."""
    for year in (after.year, after.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day)
        else:
            candidate = dt.date(year, month, 1) + dt.timedelta(days=calendar.monthrange(year, month)[1])
        if candidate > after:
            return candidate
    raise AssertionError("unreachable")
