"""Sections of figures that plugins give every report (the ``efl_report_sections`` hook).

The core knows no plugin's facts, so it cannot say what a pay gap or a representation table is.
A plugin that works figures out turns them into typed sections here: a heading, sentences a
councillor can read, and tables with captions, headers and rows. Every report format renders
them the same generic way (HTML sections, Word numbered paragraphs and tables, Markdown tables),
so a figure reads the same in each paper and a third-party plugin's figures appear beside the
built-in ones. Collecting every plugin's sections for a report is
:func:`efl.reports.report_formats.collect_sections` (this module is plain data, below the plugin host).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _texts(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{what} must be a list of text (got {type(value).__name__})")
    bad = [type(v).__name__ for v in value if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{what} must hold only text (got {bad[0]})")
    return tuple(value)


@dataclass(frozen=True)
class ReportTable:
    """A table of figures: the first cell of each row names the row (it is read as the row's header).

    :param caption: what the table shows, in words ("Women and men in each quarter of pay").
    :param headers: the column headings.
    :param rows: the rows, each a list of text as long as ``headers`` (figures already in words:
        "12.0%", "14 November 2025").
    """

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if not isinstance(self.caption, str) or not self.caption.strip():
            raise TypeError("a ReportTable needs a caption (text saying what it shows)")
        headers = _texts(self.headers, "a ReportTable's headers")
        if not headers:
            raise TypeError("a ReportTable needs at least one column heading")
        if isinstance(self.rows, str) or not isinstance(self.rows, (list, tuple)):
            raise TypeError("a ReportTable's rows must be a list of rows")
        rows = tuple(_texts(row, "each ReportTable row") for row in self.rows)
        for i, row in enumerate(rows, 1):
            if len(row) != len(headers):
                raise TypeError(f"row {i} of the table '{self.caption}' has {len(row)} cells for "
                                f"{len(headers)} column headings (expected one cell per heading)")
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class ReportSection:
    """A section of figures for every report format.

    :param key: a short stable name (``gender-pay-gap``): it orders nothing and is never shown, but a
        council's own template can pick sections by it; two plugins giving the same key is an error.
    :param heading: the section's heading, in plain English ("Gender pay gap").
    :param sentences: what the figures say, one sentence each, figures included. The first is the
        headline: short formats (the Word report's summary) may show only it.
    :param tables: the figures behind the sentences.
    :param area: the framework area the figures belong to (its id), or ``None`` for the whole council.
    """

    key: str
    heading: str
    sentences: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    area: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.strip():
            raise TypeError("a ReportSection needs a key (a short stable name such as 'gender-pay-gap')")
        if not isinstance(self.heading, str) or not self.heading.strip():
            raise TypeError(f"the section '{self.key}' needs a heading")
        object.__setattr__(self, "sentences", _texts(self.sentences, f"the sentences of section '{self.key}'"))
        if isinstance(self.tables, (str, ReportTable)) or not isinstance(self.tables, (list, tuple)):
            raise TypeError(f"the tables of section '{self.key}' must be a list of ReportTable")
        if not all(isinstance(t, ReportTable) for t in self.tables):
            raise TypeError(f"the tables of section '{self.key}' must each be an efl.ReportTable")
        object.__setattr__(self, "tables", tuple(self.tables))
        if self.area is not None and not isinstance(self.area, str):
            raise TypeError(f"the area of section '{self.key}' must be an area id (text) or None")
        if not self.sentences and not self.tables:
            raise TypeError(f"the section '{self.key}' is empty (expected sentences or tables)")


def sections_for(sections: tuple[ReportSection, ...], area: str | None) -> list[ReportSection]:
    """The sections of one area (``area`` its id), or of the whole council (``None``)."""
    return [s for s in sections if s.area == area]
