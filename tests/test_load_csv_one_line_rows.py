"""load_csv takes every record of a quote-free file at once when all are full and none is blank; its
rows, lines and problems are what reading record by record gives (the reference below: csv.reader,
the line each record starts on from reader.line_num, blank and short records as load_csv treats them).
Inputs: random small files with blank lines, whitespace-only rows, short and long rows, CRLF, lone CR,
a trailing newline or none, and files with quotes (the record-by-record way)."""

from __future__ import annotations

import csv
import io
import random

import pytest

from efl.errors import InputError
from efl.files.evidence import load_csv


def reference(text: str) -> tuple[list[list[str]], list[int], list[tuple[int, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    width = len(header)
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) != width:
                problems.append((start, f"row has {len(row)} cells"))
            else:
                rows.append(row)
                lines.append(start)
        start = reader.line_num + 1
    return rows, lines, problems


def _file(rng: random.Random) -> str:
    width = rng.randint(1, 4)
    lines = [",".join(f"col{i}" for i in range(width))]
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.1:
            lines.append("")
        elif kind < 0.15:
            lines.append(" " * rng.randint(1, 3) + "," * (width - 1))
        elif kind < 0.25:
            lines.append(",".join(str(rng.randint(0, 9)) for _ in range(rng.choice([max(1, width - 1), width + 1]))))
        elif kind < 0.3:
            lines.append(",".join(['"a,b"'] + ["x"] * (width - 1)))
        else:
            lines.append(",".join(rng.choice(["1", "a b", " ", "2.5", "é"]) for _ in range(width)))
    end = rng.choice(["\n", "\r\n", "\r"])
    return end.join(lines) + rng.choice(["", end])


def test_rows_and_lines_are_read_record_by_record() -> None:
    rng = random.Random(23)
    fast = 0
    for _ in range(3000):
        text = _file(rng)
        try:
            table = load_csv(text.encode(), "t.csv")
        except InputError:
            continue  # (a header only of blanks, say): refused either way, as before
        rows, lines, problems = reference(text)
        assert table.rows == rows and table.lines == lines, text
        assert [(d.line, d.message.split(" (")[0]) for d in table.problems] == problems, text
        fast += '"' not in text and not problems
    assert fast > 500  # the quick way was taken, often


@pytest.mark.parametrize("text", ["a,b\n", "a,b", "a,b\n1,2", "a,b\r\n1,2\r\n", "a\n1\n\n2\n", "a,b\n1,2\n ,\n3,4\n"])
def test_small_files(text: str) -> None:
    table = load_csv(text.encode(), "t.csv")
    rows, lines, problems = reference(text)
    assert (table.rows, table.lines, len(table.problems)) == (rows, lines, len(problems))
