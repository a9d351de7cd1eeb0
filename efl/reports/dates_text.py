"""Dates in words, as every paper writes them: ``14 November 2025``.

A leaf module (it imports nothing of efl's), so that the shared words of every format
(:mod:`efl.reports.report_text`) and the people-facing wording layer (:mod:`efl.reports.wording`)
can both write dates without importing each other.
"""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date | None) -> str:
    """``14 November 2025``: unambiguous for a reader and for a screen reader (no 14/11/25)."""
    return f"{day.day} {day:%B %Y}" if day else "no date"
