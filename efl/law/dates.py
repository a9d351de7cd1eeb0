"""ISO 8601 durations (``P3Y``, ``P6M``, ``P1Y6M``, ``P30D``) and calendar arithmetic on them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DURATION = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0
    text: str = ""

    def before(self, day: dt.date) -> dt.date:
        """The date this long before ``day`` (month ends are clamped: 31 May - P3M is 28/29 Feb)."""
        return add_months(day, -(self.years * 12 + self.months)) - dt.timedelta(days=self.days)

    def after(self, day: dt.date) -> dt.date:
        return add_months(day, self.years * 12 + self.months) + dt.timedelta(days=self.days)

    def words(self) -> str:
        parts = []
        for count, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")):
            if count:
                parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
        return " and ".join(parts) or "0 days"


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 date duration; raise ValueError in plain English if it is not one."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a duration (expected ISO 8601 such as P1Y, P6M, P4Y or P30D)")
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return Duration(years, months, weeks * 7 + days, text.strip())


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def next_anniversary(after: dt.date, month: int, day: int) -> dt.date:
    """The first ``month``/``day`` strictly after ``after`` (29 Feb falls back to 28 Feb)."""
    for year in (after.year, after.year + 1):
        last = calendar.monthrange(year, month)[1]
        candidate = dt.date(year, month, min(day, last))
        if candidate > after:
            return candidate
    raise AssertionError("unreachable")


ONE_YEAR = Duration(years=1, text="P1Y")


def within(earlier: dt.date, duration: Duration, on: dt.date) -> bool:
    """Whether ``on`` is no later than ``duration`` after ``earlier``: efl's one meaning of "within".

    Calendar arithmetic, not a count of days, so a year is a year across 29 February: from
    2024-02-29 one year runs to 2025-02-28, and from 2023-02-28 to 2024-02-28. Every rule
    (``max_age``), fact (``within_year``) and statutory interval uses this, so none can disagree.
    """
    return duration.after(earlier) >= on
