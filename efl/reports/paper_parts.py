"""The shape of the committee paper: :class:`Part` (a heading, paragraphs, a numbered list, tables
and sub-parts) and :class:`Paper` (the parts in reading order).

Its own small module so that every module that makes parts (:mod:`efl.reports.paper` for the
edition's judgement, :mod:`efl.reports.local_parts` for what-ifs, tailoring, targets and waivers)
can use the shape without importing another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from efl.reports.sections import ReportTable


@dataclass(frozen=True)
class Part:
    """One part of the paper: a heading, paragraphs, a numbered list, tables and sub-parts.

    :param key: a stable name a template can pick the part by (``summary``, ``legal``...); never shown.
    """

    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    numbered: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    parts: tuple[Part, ...] = ()


@dataclass
class Paper:
    """The whole paper: title, front sheet and parts in reading order (technical record kept apart)."""

    title: str
    subject: str
    front_sheet: list[tuple[str, str]]
    parts: list[Part]
    technical: list[Part] = field(default_factory=list)

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)
