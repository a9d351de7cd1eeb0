"""load_csv's line numbers (issue 29): the quote-free path counts records, the other asks csv.

Both are compared with a reference that asks ``csv.reader.line_num`` after every record, on many
generated files: blank lines, rows of the wrong width, every kind of line break (``\\n``, ``\\r\\n``,
``\\r``) and characters that other line splitters break at (form feed, U+2028), with and without
quoted cells (a quoted cell may hold a line break, so there a record can span lines).
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from efl.errors import InputError
from efl.files.evidence import load_csv

BREAKS = ["\n", "\r\n", "\r"]
PLAIN = ["a", "b", "12.5", " ", "", "x y", "\x0c", "\u2028", "\t", "é", "-", "1,2"]  # "1,2" is two cells


def reference(text: str) -> tuple[list[list[str]], list[int], list[int]]:
    """(rows kept, the line each starts on, lines of rows of the wrong width), from csv's own line_num."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    rows, lines, wrong = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                wrong.append(start)
            else:
                rows.append(row)
                lines.append(start)
        start = reader.line_num + 1
    return rows, lines, wrong


def _cell(rng: random.Random, quotes: bool) -> str:
    if quotes and rng.random() < 0.3:
        inner = rng.choice(["a", 'say ""hi""', "two\nlines", "x\r\ny", "c,d", ""])
        return f'"{inner}"'
    return rng.choice(PLAIN)


def generated(seed: int, quotes: bool) -> str:
    rng = random.Random(seed)
    width = rng.randint(1, 4)
    lines = [",".join(f"col{i}" for i in range(width))]
    for _ in range(rng.randint(0, 25)):
        roll = rng.random()
        if roll < 0.15:
            lines.append("")  # a blank line
        else:
            cells = width if roll < 0.8 else rng.choice([1, width + 1, width + 2])
            lines.append(",".join(_cell(rng, quotes) for _ in range(cells)))
    text = ""
    for line in lines:
        text += line + rng.choice(BREAKS)
    return text if rng.random() < 0.7 else text.rstrip("\r\n")  # with or without a last line break


def _outcome(text: str) -> tuple[list[list[str]], list[int], list[int]]:
    table = load_csv(text.encode("utf-8"), "t.csv")
    return table.rows, table.lines, [p.line for p in table.problems]


@pytest.mark.parametrize("quotes", [False, True])
def test_lines_are_what_csv_counts(quotes):
    checked = with_quotes = 0
    for seed in range(400):
        text = generated(seed, quotes)
        with_quotes += '"' in text
        try:
            got = _outcome(text)
        except InputError:
            continue  # e.g. a header that is all blank: refused the same way on both paths
        assert got == reference(text), (seed, text)
        checked += 1
    assert checked > 300
    assert with_quotes > 200 if quotes else with_quotes == 0  # each path is the one tested


@pytest.mark.parametrize("text, lines, wrong", [
    ("a,b\n1,2\n\n3,4\n", [2, 4], []),
    ("a,b\r\n1,2\r\n5\r\n3,4", [2, 4], [3]),
    ("a,b\r1,2\r\r3,4\r", [2, 4], []),
    ("a,b\n1,\x0c\n3,4\u20285\n", [2, 3], []),  # a form feed and U+2028 do not end a line
    ("a,b\n1,\"x\ny\"\n3,4\n", [2, 4], []),   # the quoted cell's line break: the next record is on line 4
])
def test_hand_worked_lines(text, lines, wrong):
    _, got_lines, got_wrong = _outcome(text)
    assert (got_lines, got_wrong) == (lines, wrong)
