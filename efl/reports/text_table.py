"""Plain-text tables for the terminal, as tabulate's ``simple`` style draws them, without its cost.

``efl progress`` on a plan of 5,000 lines draws a table row per line with long text wrapped in its
column. tabulate does that correctly but slowly (its text wrapper measures every word through a
regular expression and ``wcwidth``: over a second for such a plan, most of the command's time).
:func:`simple_table` gives the same bytes as ``tabulate(rows, headers, tablefmt="simple",
maxcolwidths=widths)`` for the tables efl prints, by doing only what those tables need:

* text is wrapped as tabulate wraps it (Python's ``textwrap`` rules: words split after hyphens,
  a word longer than the column broken at the column's width), with a regular-expression fast path
  for the common case of words separated by single spaces;
* columns of whole numbers (counts) are right-aligned, everything else left-aligned.

Anything outside that common ground is handed to tabulate itself, table by table, so the output
never differs from it: a cell that tabulate would read as a number or a truth value (``12``,
``1,000``, ``nan``, ``True``), a character whose width on a terminal is not one column (Chinese,
combining accents, emoji, control characters, tabs, and spaces other than the ordinary one), or a
value that is not text or a whole number. ``tests/test_text_table.py`` checks this against
tabulate on many generated tables.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from itertools import accumulate, chain, zip_longest
from typing import Any, Sequence

_SPLIT = textwrap.TextWrapper.wordsep_re  # how textwrap (and so tabulate) cuts text into words
_PADDING = 2  # tabulate's MIN_PADDING: a column is at least its heading and two spaces wide

# Characters one terminal column wide, printable and not white space (so ``str.strip`` and
# ``str.splitlines`` leave them alone): the ASCII printables, Latin-1 (without its no-break space
# and soft hyphen), the Latin Extended, Greek and Cyrillic letters, and the general punctuation a
# council's text holds (dashes, curly quotes, bullets, ellipsis, the pound and euro signs).
# The test checks every one of them against wcwidth, which is what tabulate measures with.
_ONE_WIDE = re.compile(
    "^[\n\x20-\x7e\u00a1-\u00ac\u00ae-\u02af\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1"
    "\u03a3-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f\u2190-\u21ff]*$")
# The ASCII characters _ONE_WIDE takes (the printables and the line break), as bytes.
_ONE_WIDE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"


def _one_wide(text: str) -> bool:
    """Whether every character of ``text`` is one :data:`_ONE_WIDE` takes. A column of a plan's notes
    is a megabyte of text, and the pattern looks up each character in its ranges; here only what is
    left once the ASCII it takes is out of the UTF-8 bytes is looked at (a character beyond ASCII is
    bytes of 0x80 and above, so what is left is still UTF-8: those characters, in order)."""
    try:
        rest = text.encode("utf-8").translate(None, _ONE_WIDE_ASCII)
    except UnicodeEncodeError:  # a lone surrogate: the pattern refuses it
        return _ONE_WIDE.match(text) is not None
    return not rest or _ONE_WIDE.match(rest.decode("utf-8")) is not None


_NUMBER_STARTS = frozenset("+-.0123456789\n")  # how a number starts (and a lone line break, for the pattern)
_TYPED_WORDS = frozenset(("true", "false", "inf", "infinity", "nan"))  # float("NaN") is a number too
_THOUSANDS = re.compile(r"^(([+-]?[0-9]{1,3})(?:,([0-9]{3}))*)?(?(1)\.[0-9]*|\.[0-9]+)?$")  # tabulate's


def _looks_typed(text: str) -> bool:
    """tabulate would read this text as a number or a truth value (and format or align it as one)."""
    if text in ("True", "False"):
        return True
    try:
        float(text)
        return True
    except ValueError:
        return _THOUSANDS.match(text) is not None and text != ""


def _plain_chunks(line: str) -> list[str]:
    """textwrap's chunks of a line of one-column text with no white space but spaces: the words and
    the runs of spaces between them, a word cut where textwrap cuts it (after a hyphen between
    letters). The same as splitting the line with textwrap's pattern, which is slow on long lines:
    without an em dash ("--") its cuts are exactly the hyphens :data:`_WORD_CUT` finds, and a cut is
    never next to a space."""
    if "--" in line:
        return [c for c in _SPLIT.split(line) if c]
    cuts = [m.end() for m in _WORD_CUT.finditer(line)] if "-" in line else []
    if not cuts:
        return [c for c in _SPACES.split(line) if c]
    chunks: list[str] = []
    start = 0
    for end in cuts + [len(line)]:
        chunks += [c for c in _SPACES.split(line[start:end]) if c]
        start = end
    return chunks


_SPACES = re.compile(r"( +)")


def _fill_chunks(chunks: list[str], width: int) -> list[str]:
    """The greedy fill of chunks none longer than ``width`` (so no word breaks): each line takes the
    most chunks that fit, found by bisection on their running lengths rather than chunk by chunk."""
    ends = list(accumulate(map(len, chunks), initial=0))
    lines: list[str] = []
    i, n = 0, len(chunks)
    while i < n:
        if lines and chunks[i][0] == " ":
            i += 1
            if i == n:
                break
        j = bisect_right(ends, ends[i] + width, i) - 1
        last = j - 1 if chunks[j - 1][0] == " " else j
        if last > i:
            lines.append("".join(chunks[i:last]))
        i = j
    return lines


def _chunks_wrap(line: str, width: int, chunks: list[str] | None = None) -> list[str]:
    """textwrap's greedy fill of one line, as tabulate's wrapper does it (its long-word rule included)."""
    if chunks is None:
        chunks = [c for c in _SPLIT.split(line) if c]
    lines: list[str] = []
    i, n = 0, len(chunks)
    while i < n:
        if lines and chunks[i].strip() == "":
            i += 1  # a line after the first never starts with white space
            if i == n:
                break
        start, cur_len = i, 0
        while i < n and cur_len + len(chunks[i]) <= width:
            cur_len += len(chunks[i])
            i += 1
        cur = chunks[start:i]
        if i < n and len(chunks[i]) > width:
            space_left = width - cur_len
            if space_left > 0:  # tabulate breaks a long word at the width, ignoring its hyphens
                cur.append(chunks[i][:space_left])
                chunks[i] = chunks[i][space_left:]
            elif not cur:
                cur.append(chunks[i])
                i += 1
        if cur and cur[-1].strip() == "":
            del cur[-1]
        if cur:
            lines.append("".join(cur))
    return lines


# Where textwrap would cut inside a word: after a hyphen between letters ("co-|production"), or at
# an em dash written "--". A line with neither is words and spaces only.
_WORD_CUT = re.compile(r"--|-(?:(?<=[^\d\W]{2}-)|(?<=[^\d\W]-[^\d\W]-))(?=[^\d\W]-?[^\d\W])")


_FILLS: dict[int, re.Pattern] = {}  # the fill pattern for each column width


# Where a line of the fill may end: before a space or at the end of the text, or just after a hyphen
# where textwrap cuts a word (as _WORD_CUT finds it, seen from the place after the hyphen).
_FILL_END = r"(?:(?= |$)|(?<=-)(?:(?<=[^\d\W]{2}-)|(?<=[^\d\W]-[^\d\W]-))(?=[^\d\W]-?[^\d\W]))"
_GAPS = frozenset(("", " "))  # what lies between two lines of the fill: nothing (a cut) or the space dropped


def _fill(line: str, width: int) -> list[str] | None:
    """textwrap's greedy fill of a line of words and single spaces (no space at either end, no em
    dash), or None when a word is too long for the column. textwrap's chunks are then the words, cut
    after the hyphens _WORD_CUT finds (see _plain_chunks), and its fill makes each line the longest
    run that fits and ends where a line may end (_FILL_END). One regular expression finds every line;
    it is right when what lies between the lines it finds is a dropped space or nothing (no word was
    too long for the column, to be broken inside, and none was skipped)."""
    fill = _FILLS.get(width)
    if fill is None:
        fill = _FILLS[width] = re.compile(r"([^ ][^\n]{0,%d}%s)" % (width - 1, _FILL_END))
    parts = fill.split(line)
    return parts[1::2] if _GAPS.issuperset(parts[0::2]) else None


def _single_spaced(line: str) -> bool:
    """Words and single spaces, no space at either end and no em dash written "--": what _fill takes."""
    return "  " not in line and line[0] != " " and line[-1] != " " and "--" not in line


def _wrap_line(line: str, width: int, fills: dict | None = None) -> list[str]:
    if len(line) <= width:
        return [line.rstrip(" ")]
    if _single_spaced(line):
        lines = _fill(line, width)
        if lines is not None:
            return lines
    chunks = _plain_chunks(line)
    if max(map(len, chunks)) <= width:
        return _fill_chunks(chunks, width)
    return _chunks_wrap(line, width, chunks)


def wrap_cell(text: str, width: int | None, fills: dict | None = None) -> str:
    """A cell's text wrapped to ``width`` columns as tabulate wraps it (``None``: not wrapped); only
    for text :func:`simple_table` accepts (one-column characters, not read as a number)."""
    if width is None:
        return text
    fills = {} if fills is None else fills
    if "\n" not in text:
        return "\n".join(_wrap_line(text, width, fills)) if text.strip() else ""
    return "\n".join("\n".join(_wrap_line(line, width, fills)) for line in text.split("\n") if line.strip())


def _plain(columns: list[tuple[Any, ...]], headers: Sequence[str]) -> list[bool] | None:
    """Per column, whether it holds whole numbers (else text); None when the table is not plain
    (see the module's docstring) and tabulate must draw it."""
    numeric = []
    for column in columns:
        kinds = set(map(type, column))
        if kinds == {int}:  # whole numbers, none below zero (a count)
            if min(column) < 0:
                return None
            numeric.append(True)
            continue
        if kinds != {str}:
            return None  # numbers and text in one column, or something else (None, a float, a date)
        numeric.append(False)
        # One match over a column's text rather than one per cell: the pattern takes a run of
        # accepted characters, so the cells joined match exactly when each cell does.
        if not _one_wide("".join(column)):
            return None
        # Only a cell with no space inside it, or with white space around it, can read as a number
        # or a truth value (a number has no space inside it). Each text once (leads, dates and
        # states repeat down a column).
        for cell in dict.fromkeys(column):
            if " " in cell and not cell[0].isspace() and not cell[-1].isspace():
                continue
            stripped = cell.strip()
            if stripped and " " not in stripped and (
                    stripped[0] in _NUMBER_STARTS or not stripped[0].isascii()
                    or len(stripped) <= 8 and stripped.lower() in _TYPED_WORDS) and \
                    _looks_typed(stripped) or cell != stripped and _looks_typed(cell):
                return None  # (tabulate's pattern for "1,000" also takes a lone line break)
    for h in headers:
        if type(h) is not str or not _ONE_WIDE.match(h) or "\n" in h:
            return None
    return numeric


def simple_table(rows: Sequence[Sequence[Any]], headers: Sequence[str], maxcolwidths: Sequence[int | None]) -> str:
    """``tabulate(rows, headers=headers, tablefmt="simple", maxcolwidths=maxcolwidths)``, the same bytes."""
    return "\n".join(table_lines(rows, headers, maxcolwidths))


def table_lines(rows: Sequence[Sequence[Any]], headers: Sequence[str], maxcolwidths: Sequence[int | None]) -> list[str]:
    """:func:`simple_table`'s text as pieces to join with line breaks (its lines, or the whole table as
    one piece when tabulate draws it): for a report that joins many tables into one text, which then
    copies each table's megabytes once, not twice."""
    size = len(headers)
    if not rows or any(len(row) != size for row in rows):
        return [_tabulate(rows, headers, maxcolwidths)]
    columns = list(zip(*rows))
    numeric = _plain(columns, headers)
    if numeric is None:
        return [_tabulate(rows, headers, maxcolwidths)]
    widths = list(maxcolwidths) + [None] * (size - len(maxcolwidths))
    fills: dict[tuple[int, bool], re.Pattern] = {}
    multiline = False  # tabulate's layout for cells of several lines (before they are stripped)
    drawn = []  # per column, each cell's lines as drawn
    for column, width, number in zip(columns, widths, numeric):
        if number:
            drawn.append([[str(cell)] for cell in column])
            continue
        done: dict[str, list[str]] = {}  # each text wrapped once (leads, dates and states repeat)
        lines = []
        for cell in column:
            got = done.get(cell)
            if got is None:
                if width is not None and len(cell) <= width and "\n" not in cell:
                    wrapped = cell.strip()  # (what wrapping one short line and stripping it gives)
                elif width is not None and "\n" not in cell and _single_spaced(cell) and \
                        (got := _fill(cell, width)) is not None:
                    # A long line of words (most of a plan's actions and notes): its lines are
                    # already what wrapping, stripping and splitting the cell would give (none has
                    # a space at either end), and there are at least two of them.
                    multiline = True
                    done[cell] = got
                    lines.append(got)
                    continue
                else:
                    wrapped = wrap_cell(cell, width, fills)
                    multiline = multiline or "\n" in wrapped
                    wrapped = wrapped.strip()
                    if "\n" not in wrapped and wrapped != cell.strip() and _looks_typed(wrapped):
                        return [_tabulate(rows, headers, maxcolwidths)]  # wrapping made it look like a number
                got = done[cell] = wrapped.split("\n") if wrapped else []
            lines.append(got)
        drawn.append(lines)
    return _draw(drawn, headers, numeric, multiline)


def _tabulate(rows: Sequence[Sequence[Any]], headers: Sequence[str], maxcolwidths: Sequence[int | None]) -> str:
    from tabulate import tabulate

    try:
        return tabulate([list(r) for r in rows], headers=list(headers), tablefmt="simple",
                        maxcolwidths=list(maxcolwidths))
    except ValueError:
        # tabulate 0.10 fails to wrap a cell such as "1,000" (it reads it as a number it cannot
        # convert); wrap the text here and let tabulate lay it out.
        widths = list(maxcolwidths) + [None] * (len(headers) - len(maxcolwidths))
        wrapped = [[_wrap_any(c, w) if isinstance(c, str) else c for c, w in zip(r, widths)] for r in rows]
        return tabulate(wrapped, headers=list(headers), tablefmt="simple", disable_numparse=True)


def _wrap_any(text: str, width: int | None) -> str:
    if width is None:
        return text
    return "\n".join("\n".join(_chunks_wrap(line, width)) for line in text.splitlines() if line.strip())


def _draw(drawn: list[list[list[str]]], headers: Sequence[str], numeric: list[bool], multiline: bool) -> list[str]:
    """The table's lines from each column's cells, each cell as its lines (none for an empty cell)."""
    widths = [max(len(h) + _PADDING, max(map(len, chain.from_iterable(column)), default=0))
              for h, column in zip(headers, drawn)]
    pads = [str.rjust if n else str.ljust for n in numeric]
    out = ["  ".join(pad(h, w) for h, w, pad in zip(headers, widths, pads)).rstrip(),
           "  ".join("-" * w for w in widths).rstrip()]
    # One format for a whole line of the table (each cell padded to its column, left or right, and
    # two spaces between), applied once per line rather than padding and joining cell by cell
    # ("%-9s" pads text on the right as str.ljust does, "%9s" on the left as str.rjust).
    line = "  ".join(("%%%ds" if n else "%%-%ds") % w for n, w in zip(numeric, widths))
    rows = zip(*drawn)
    if not multiline:
        # One line a row. (tabulate's multi-line layout, used once any cell has a line break, drops
        # a row whose cells are all empty; this one keeps it, as an empty line.)
        out += [(line % tuple([lines[0] if lines else "" for lines in row])).rstrip() for row in rows]
        return out
    for row in rows:
        out += [(line % cells).rstrip() for cells in zip_longest(*row, fillvalue="")]
    return out
