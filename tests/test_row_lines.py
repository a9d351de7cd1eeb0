"""Positions in a file read by Arrow, found without the Python reader when every row is one line
(efl.files.columnar.RowLines): every row's line and every cell's column must be what the Python reader
(load_csv) says, on many generated files (byte-order mark, CRLF, text beyond ASCII, no line end at the
end, compressed in pieces so that lines run across pieces); and a file where rows are not one line each
(a quote, an empty line) must be left to the Python reader, giving its positions too."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("pyarrow")

from efl.files import columnar  # noqa: E402
from efl.files.evidence import load_csv  # noqa: E402

CELLS = ["F", "M", "", " F", "Zoë", "£12.50", "n/a", "31250", "a b", "日本", "x" * 30, "9.50", "-5", " "]


def _file(seed: int) -> bytes:
    rng = random.Random(seed)
    width = rng.randint(2, 6)
    end = "\r\n" if seed % 3 == 0 else "\n"
    header = ",".join(["id", *[f"col {k}" for k in range(1, width)]])
    rows = [",".join([f"E{i:05d}", *[rng.choice(CELLS) for _ in range(1, width)]]) for i in range(rng.randint(1, 300))]
    text = end.join([header, *rows]) + (end if seed % 4 else "")
    return (("\ufeff" if seed % 5 == 0 else "") + text).encode("utf-8")


def _arrow(data: bytes, monkeypatch, piece: int | None):  # noqa: ANN001, ANN202
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    table = columnar.load_table(data, "w.csv")
    assert isinstance(table, columnar.ArrowTable)
    if piece is not None:
        monkeypatch.setattr(columnar, "_PIECE", piece)
        table.compact()
        assert isinstance(table._data, tuple) and len(table._data) == -(-len(data) // piece)
    return table


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("piece", [None, 37, 1000], ids=["bytes", "pieces-37", "pieces-1000"])
def test_every_position_is_the_python_readers(monkeypatch, seed, piece):
    data = _file(seed)
    exact = load_csv(data, "w.csv")
    table = _arrow(data, monkeypatch, piece)
    assert table._row_lines() is not None  # one line per row: placed without the Python reader
    assert table.lines == exact.lines
    assert table.lines is table.lines  # made once (callers index it row by row)
    for r in range(len(exact.rows)):
        for c in range(len(exact.columns) + 1):  # and one past the last cell
            assert table.position(r, c) == exact.position(r, c), (r, c)
            assert table.col_of(r, c) == exact.col_of(r, c)
            assert table.cell_position(exact.lines[r], c) == exact.cell_position(exact.lines[r], c)
    assert table._exact is None  # the file was never read again


@pytest.mark.parametrize("change", [
    lambda rows: rows.insert(5, ""),  # an empty line: skipped by both readers, but counted
    lambda rows: rows.insert(9, "\r"),  # an empty CRLF line (in a CRLF file)
    lambda rows: rows.__setitem__(7, 'E99999,"quoted, cell",x'),
    lambda rows: rows.__setitem__(7, 'E99999,"two\nlines",x'),
    lambda rows: rows.append(""),  # an empty line at the end
], ids=["empty line", "empty crlf line", "quote", "quoted line break", "empty last line"])
@pytest.mark.parametrize("piece", [None, 23])
def test_rows_not_one_line_each_are_placed_by_the_python_reader(monkeypatch, change, piece):
    rows = ["id,sex,pay"] + [f"E{i:05d},{'FM'[i % 2]},{9 + i % 7}.50" for i in range(40)]
    change(rows)
    crlf = any(r == "\r" for r in rows)
    data = (("\r\n" if crlf else "\n").join(r.rstrip("\r") if crlf else r for r in rows) + "\n").encode()
    exact = load_csv(data, "w.csv")
    table = _arrow(data, monkeypatch, piece)
    assert table._row_lines() is None
    assert table.lines == exact.lines
    for r in range(len(exact.rows)):
        for c in range(4):
            assert table.position(r, c) == exact.position(r, c), (r, c)


def test_a_bad_cell_is_placed_where_it_is_written(monkeypatch):
    """Worked by hand: the line after the header, the column where the cell starts (characters, not bytes).
    (tests/test_big_columns.py compares the two readers' messages for whole assessments too.)"""
    rows = ["employee_id,sex,hourly_pay"] + [f"E{i:05d},{'FM'[i % 2]},{9 + i % 7}.50" for i in range(3000)]
    rows[1234] = "E01233,F,£12.x"
    rows[2500] = "E02499,Zoë,n/a"
    rows[2600] = "E02599,日本,n/a"
    data = ("\n".join(rows) + "\n").encode()
    exact = load_csv(data, "w.csv")
    table = _arrow(data, monkeypatch, None)
    for r in (1233, 2499, 2599):
        assert table.position(r, 2) == exact.position(r, 2) == (r + 2, rows[r + 1].index(rows[r + 1].split(",")[2]) + 1)
