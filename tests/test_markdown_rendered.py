"""The Markdown paper as a reader sees it: rendered by a CommonMark renderer with GitHub's tables
(markdown-it-py, as a council's website or GitHub would render it), not read as source. Nothing of the
markup shows through (no stray pipes, backslashes, asterisks or hashes), every table renders as a
table with a header row, every "Table:" caption has its table, and headings never skip a level. The
browser check (tests/test_html_accessibility.py) also runs axe on these rendered pages and saves a
picture of each."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from efl.testing import run_efl

from conftest import EXAMPLES

FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))
STYLE = ("body{font-family:Arial,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5;"
         "color:#0b0c0c}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #505a5f;"
         "padding:.3rem .5rem;text-align:left;vertical-align:top}")


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def page(markdown: str, title: str) -> str:
    """The rendered paper on a plain page, as a website would show it (for the browser check)."""
    from html import escape

    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body><main>{rendered(markdown)}</main></body></html>\n")


class Reading(HTMLParser):
    """What a reader sees: the text outside tables, the tables (with whether they have a header row),
    and the heading levels in order."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[int] = []
        self.tables: list[bool] = []  # has a header row
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append(False)
        if tag == "th" and self.tables:
            self.tables[-1] = True
        if tag in ("td", "th"):
            self._in_cell = True

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):  # noqa: ANN001
        (self.cells if self._in_cell else self.text).append(data)


def reading(markdown: str) -> Reading:
    r = Reading()
    r.feed(rendered(markdown))
    return r


def test_the_check_sees_markup_that_shows_through():
    r = reading("# A\n\n### Skipped\n\nA stray \\\\ and | pipe and **bold* \n\nTable: Lost\n\nno table here\n")
    assert r.headings == [1, 3] and r.tables == []
    seen = " ".join(r.text)
    assert "\\" in seen and "|" in seen and "*" in seen


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_markdown_paper_renders_cleanly(folder):
    markdown = run_efl("assess", folder, "--format", "markdown").assert_exit(0).output
    r = reading(markdown)
    seen = " ".join(r.text)
    for mark in ("\\", "|", "**", "__", "<", ">"):
        assert mark not in seen, f"{folder.name}: {mark!r} shows through: ...{seen[max(seen.find(mark) - 60, 0):][:120]}"
    assert not re.search(r"(^|\s)#{1,6}\s", seen)
    for cell in r.cells:
        assert "\\" not in cell and "**" not in cell, cell
    captions = len(re.findall(r"^Table: ", markdown, re.MULTILINE))
    assert captions == len(r.tables) > 0 and all(r.tables)
    assert r.headings[0] == 1 and r.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(r.headings, r.headings[1:])), r.headings


def test_the_markdown_progress_report_renders_cleanly():
    markdown = run_efl("progress", EXAMPLES / "harrow", "--format", "markdown").assert_exit(0).output
    r = reading(markdown)
    seen = " ".join(r.text)
    assert "\\" not in seen and "|" not in seen and "**" not in seen
    assert len(r.tables) >= 3 and all(r.tables)
    assert all(b <= a + 1 for a, b in zip(r.headings, r.headings[1:])), r.headings
