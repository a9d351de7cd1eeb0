"""Dates as councils write them in spreadsheets: ``2025-10-14``, ``14/10/2025``, ``14 Oct 2025``.

A date with slashes (or dots or hyphens) and numbers only is read day first, as UK spreadsheets write
it. Whether ``03/04/2025`` is 3 April or 4 March is settled by the other dates of the file: one
``14/10/2025`` shows the day comes first; one ``10/14/2025`` shows the month does. When nothing
settles it, efl reads day first and says so in a warning, once per file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([A-Za-z]{3,9})\.?[\s\-/,]+(\d{4})$")
MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for m in names}
EXPECTED = "a date such as 2025-10-14, 14/10/2025 or 14 October 2025"


@dataclass(frozen=True)
class DateOrder:
    """How a file's numeric dates are read: ``day_first``, and whether nothing settled it (``ambiguous``)."""

    day_first: bool = True
    ambiguous: bool = False
    example: str = ""  # an ambiguous date, for the warning


def numeric_parts(text: str) -> tuple[int, int, int] | None:
    """The three numbers of ``14/10/2025`` (first, second, year), or None if it is not written so."""
    m = _NUMERIC.match(text.strip())
    if not m:
        return None
    return int(m[1]), int(m[3]), int(m[4])


def settle_order(cells: Iterable[str]) -> DateOrder:
    """Day first or month first, from every numeric date of a file (see the module docstring); the
    example is the first ambiguous date in the order given."""
    day_first_ok = month_first_ok = True
    example = ""
    for cell in cells:
        parts = numeric_parts(cell)
        if parts is None:
            continue
        first, second, _ = parts
        if first > 12:
            month_first_ok = False
        if second > 12:
            day_first_ok = False
        if first <= 12 and second <= 12 and first != second and not example:
            example = cell.strip()
    if day_first_ok and month_first_ok:
        return DateOrder(True, bool(example), example)
    if month_first_ok and not day_first_ok:
        return DateOrder(False)
    return DateOrder(True)  # day first settled (or the file mixes both: the month-first cells are errors)


def read_date(text: str, order: DateOrder = DateOrder()) -> dt.date:
    """One date cell; ValueError with what to write instead if it is not a date."""
    t = text.strip()
    m = _ISO.match(t)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]))
    parts = numeric_parts(t)
    if parts is not None:
        first, second, year = parts
        if year < 100:
            raise ValueError(f"a date with the year in full, such as {first:02d}/{second:02d}/20{year:02d}")
        day, month = (first, second) if order.day_first else (second, first)
        return _day(year, month, day)
    m = _WORDS.match(t)
    if m and m[2].lower() in MONTHS:
        return _day(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    raise ValueError(EXPECTED)


def _day(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"a month from 1 to 12 ({EXPECTED})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"a day that {dt.date(year, month, 1):%B %Y} has") from None


def ambiguity_warning(order: DateOrder, what: str) -> str | None:
    """The warning for a file whose dates could be read either way (None if they could not)."""
    if not order.ambiguous:
        return None
    first, second, year = numeric_parts(order.example) or (1, 2, 2000)
    as_read = dt.date(year, second, first)
    return (f"{what}: dates such as {order.example} could be day first or month first, and no date in the file "
            f"settles it; efl read them day first ({as_read.day} {as_read:%B %Y}), as UK spreadsheets write them "
            "(expected dates written as YYYY-MM-DD, or at least one date with a day above 12, to be sure)")
