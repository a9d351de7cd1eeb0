"""Columns parsed straight into codes read exactly as the Python reader reads them.

The Arrow reader (efl.files.columnar) parses a column of few distinct cells into codes, piece by piece
of the file, each piece against its own dictionary, and unifies the dictionaries when the column is first
read; a column that looks like ids is parsed as text and encoded afterwards. Either way a column's
distinct cells must come out in the order they first appear in the file, each row's code pointing at its
own cell, and the id check must say what a plain Python set says. Both parses are forced here (every
column coded, every column text) with pieces small enough that a file spans many of them, and checked
against the rows of the Python reader, on awkward files.
"""

from __future__ import annotations

import random

import pytest

pytest.importorskip("pyarrow")

from efl.files import columnar  # noqa: E402
from efl.files.evidence import load_csv  # noqa: E402

# Rows are about 30 bytes: a piece of 256 bytes holds a few of them, so a file of hundreds of rows is
# parsed in dozens of pieces, and a cell first seen in a late piece gets a code only when unified.
SMALL_PIECE = 256


def _files() -> dict[str, bytes]:
    rng = random.Random(29)
    files = {}
    # Values that first appear far into the file, blanks, spaces around cells, one value only.
    rows = ["id,sex,pay,team,one"]
    for i in range(400):
        late = f"late{i // 100}" if i > 150 else rng.choice(["a", "b", ""])
        rows.append(f"E{i:04d},{rng.choice(['F', 'M', '', ' F', 'F '])},{rng.choice(['9.50', '10.00', '', '0'])},"
                    f"{late},same")
    files["late values"] = ("\n".join(rows) + "\n").encode()
    # A byte-order mark and CRLF line ends, no line end after the last row.
    files["bom crlf"] = ("\ufeff" + "\r\n".join(rows)).encode()
    # Quoted cells with commas and line breaks, and text beyond ASCII.
    quoted = ["id,note,place"]
    for i in range(300):
        note = rng.choice(['"a, b"', '"two\nlines"', "plain", '""', '"Zoë"', "Zoë", '"say ""hi"""'])
        quoted.append(f"{i},{note},{rng.choice(['Bexley', 'Brent', 'Bromley'])}")
    files["quoted"] = ("\n".join(quoted) + "\n").encode()
    # Ids repeated far apart, a blank id, an id only different in its spaces.
    ids = ["id,sex"] + [f"P{i},F" for i in range(300)]
    ids[250] = "P7,M"
    files["repeated id"] = ("\n".join(ids) + "\n").encode()
    ids = ["id,sex"] + [f"P{i},F" for i in range(300)]
    ids[260] = " P3 ,M"
    files["spaced id"] = ("\n".join(ids) + "\n").encode()
    ids = ["id,sex"] + [f"P{i},F" for i in range(300)]
    ids[270] = "  ,M"
    files["blank id"] = ("\n".join(ids) + "\n").encode()
    files["shuffled ids"] = ("\n".join(["id,sex"] + [f"{i},F" for i in rng.sample(range(1000), 300)]) + "\n").encode()
    files["one row"] = b"id,sex\nE1,F\n"
    files["header only"] = b"id,sex\n"
    return files


FILES = _files()


def _read(data: bytes, monkeypatch, text: bool, piece: int):  # noqa: ANN001, ANN202
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "_BLOCK", piece)
    monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
    table = columnar.load_table(data, "w.csv")
    assert isinstance(table, columnar.ArrowTable)
    return table


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("piece", [SMALL_PIECE, 1 << 20])
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_a_column_reads_as_the_python_reader_reads_it(monkeypatch, name, piece, text):
    data = FILES[name]
    exact = load_csv(data, "w.csv")
    table = _read(data, monkeypatch, text, piece)
    if piece == SMALL_PIECE and len(data) > 4 * piece:
        assert all(cells.num_chunks > 4 for cells in table._cells)  # many pieces, each with its own dictionary
    assert len(table) == len(exact.rows)
    assert table.columns == exact.columns
    for i in range(len(table.columns)):
        cells = [row[i] for row in exact.rows]
        trimmed = [c.strip() for c in cells]
        by_hand = all(trimmed) and len(set(trimmed)) == len(trimmed)
        assert table.unique_and_filled(i) == by_hand, (name, i)  # asked before the column is encoded
        column = table.encode_column(i)
        first_seen = list(dict.fromkeys(cells))
        assert column.distinct == first_seen, (name, i)
        assert column.codes.to_pylist() == [first_seen.index(c) for c in cells], (name, i)
        assert table.unique_and_filled(i) == by_hand, (name, i)  # and after
        assert table._column_cells(i).to_pylist() == cells


@pytest.mark.parametrize("piece", [SMALL_PIECE, 1 << 20])
def test_coded_and_text_parses_give_the_same_codes(monkeypatch, piece):
    for name, data in FILES.items():
        coded, text = _read(data, monkeypatch, False, piece), _read(data, monkeypatch, True, piece)
        for i in range(len(coded.columns)):
            a, b = coded.encode_column(i), text.encode_column(i)
            assert a.distinct == b.distinct and a.codes.equals(b.codes), (name, i)


def test_the_guess_takes_the_ids_as_text_and_the_rest_as_codes(monkeypatch):
    rows = ["id,sex,pay"] + [f"E{i:05d},{'FM'[i % 2]},{9 + i % 7}.50" for i in range(5000)]
    data = ("\n".join(rows) + "\n").encode()
    assert columnar._distinct_looking(data, data.find(b"\n"), ["c0", "c1", "c2"]) == {"c0"}
    # Too few rows to tell, and a sample that does not parse: nothing taken as text.
    assert columnar._distinct_looking(b"id\n1\n2\n", 2, ["c0"]) == set()
    assert columnar._distinct_looking(b'id\n"' + b"1\n" * 40000, 2, ["c0"]) == set()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    import pyarrow as pa

    table = columnar.load_table(data, "w.csv")
    assert [pa.types.is_dictionary(c.type) for c in table._cells] == [False, True, True]


@pytest.mark.parametrize("row,arrow", [(" , ,\t", False), (",,", False), ("\u00a0,,", False), (" ,x,", True),
                                       ("a,,", True), (",, y", True)])
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_a_blank_row_is_found_in_coded_columns_too(monkeypatch, row, arrow, text):
    data = ("id,b,c\n" + "".join(f"E{i % 3},{i % 2},z\n" for i in range(50)) + row + "\nE99,1,z\n").encode()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "_BLOCK", 64)
    monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
    assert isinstance(columnar.load_table(data, "w.csv"), columnar.ArrowTable) == arrow


# --- a large file: looked at and compressed on a second thread while it is parsed ---------------------

ODD = ["\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\ufeff", "\r"]


def _outcome(read, data: bytes):  # noqa: ANN001, ANN202
    """What reading ``data`` gives: the error, or which reader's rows and positions."""
    from efl.errors import InputError

    try:
        table = read(data, "w.csv")
    except InputError as exc:
        return [str(d) for d in exc.diagnostics]
    return type(table).__name__, table.rows, table.lines, table.raw_lines


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
def test_a_file_with_an_odd_character_late_goes_to_the_python_reader(monkeypatch, odd, large):
    import threading

    rows = ["id,sex,note"] + [f"E{i:04d},F,plain" for i in range(300)]
    rows[280] = f"E0279,M,odd{odd}here"
    data = ("\n".join(rows) + "\n").encode()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "COMPACT_BYTES", 0 if large else 10**12)
    before = threading.active_count()
    for odd_file in (data, data.replace(b"E0279", b"E0280")):
        assert _outcome(columnar.load_table, odd_file) == _outcome(load_csv, odd_file)  # the Python reader's
    plain = data.replace(odd.encode(), b"")
    table = columnar.load_table(plain, "w.csv")
    assert isinstance(table, columnar.ArrowTable)
    assert isinstance(table._data, tuple) == large  # compressed beside the parse, and put back exactly
    assert table._bytes() == plain
    assert threading.active_count() == before  # the second thread is finished when the reader returns


# --- where a column's name is, found without reading the file again -------------------------------

# (A header with a line break in a name, or a blank name, goes to the Python reader: not here.)
HEADERS = ['id,sex,Job Title,notes', '\ufeffid,sex,extra', ' id , sex ,"Job, Title",x', 'id,"quoted ""name""",Zoë,ünï',
           'id;sex,b', 'id,sex,  Spaced  ,\tTab']


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_header_cells_position_is_the_python_readers(monkeypatch, header, ending):
    from efl.files.evidence import header_column

    width = len(next(__import__("csv").reader([header.lstrip("\ufeff")])))
    rows = [header] + [",".join([f"E{i}"] + ["v"] * (width - 1)) for i in range(60)]
    data = ending.join(rows).encode() + ending.encode()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    table = columnar.load_table(data, "w.csv")
    assert isinstance(table, columnar.ArrowTable)
    exact = load_csv(data, "w.csv")
    for k in range(width + 1):
        assert header_column(table, k) == header_column(exact, k), k
    assert table._exact is None  # found from the first line kept at the parse, not by reading the file again
