"""The Arrow reader's shortcuts against the slow ways they replace, on awkward files.

* The text is checked for bad UTF-8 once parsed (a coded column by its distinct cells only), not by the
  parser cell by cell: a file with a bad byte anywhere must still go to the Python reader, which says
  where it is, exactly as when the parser checked.
* Bytes the two readers could disagree on (NUL, form feed, the ASCII separators, NEL, U+2028/U+2029, a
  byte-order mark past the start) are looked for in the parsed cells (a coded column's distinct cells),
  not through the whole file: a file with one anywhere must still go to the Python reader.
* A large file's hash, worked out beside its reading, waits while a parse has both cores; it is the same hash.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

from efl.errors import InputError  # noqa: E402
from efl.files import columnar  # noqa: E402
from efl.files.evidence import load_csv  # noqa: E402

# Not UTF-8: a lone continuation byte, a lead byte with nothing after it, an overlong "/", a surrogate
# (U+D800), beyond U+10FFFF, a five-byte lead, bytes never used in UTF-8.
BAD_UTF8 = [b"\x80", b"\xc3", b"\xc3(", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80",
            b"\xfe", b"\xff", b"\xe2\x82"]


def _rows(rng: random.Random, n: int) -> list[str]:
    return [f"E{i:05d},{rng.choice(['F', 'M', '', ' F', 'Zoë'])},{rng.choice(['9.50', '10.00', '0'])},"
            f"{rng.choice(['a', 'b', 'ünï', ''])}" for i in range(n)]


def _load(data: bytes, monkeypatch, split: bool, text: bool, arrow_only: bool = False):  # noqa: ANN001, ANN202
    """The file read as a large one is (``arrow_only``: the Arrow reader's table, None if it says no)."""
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "_BLOCK", 512)  # many pieces, each coded against its own dictionary
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0 if split else 10**12)
    monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
    return columnar._read_with_arrow(data, "w.csv") if arrow_only else columnar.load_table(data, "w.csv")


def _message(load) -> str:  # noqa: ANN001
    with pytest.raises(InputError) as caught:
        load()
    return str(caught.value)


@pytest.mark.parametrize("bad", BAD_UTF8, ids=[b.hex() for b in BAD_UTF8])
@pytest.mark.parametrize("column", [0, 1, 3])
@pytest.mark.parametrize("where", [5, 299, 300, 599])  # early, either side of the cut, the last row
@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_a_bad_byte_anywhere_goes_to_the_python_reader(monkeypatch, bad, column, where, split, text):
    rows = [line.encode() for line in _rows(random.Random(where), 600)]
    cells = rows[where].split(b",")
    cells[column] = cells[column][:1] + bad + cells[column][1:]
    rows[where] = b",".join(cells)
    data = b"id,sex,pay,team\n" + b"\n".join(rows) + b"\n"
    slow = _message(lambda: load_csv(data, "w.csv"))
    assert _message(lambda: _load(data, monkeypatch, split, text)) == slow


@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_text_beyond_ascii_is_read_as_the_python_reader_reads_it(monkeypatch, split, text):
    rows = _rows(random.Random(3), 600) + ["E99999,\U0001F600,€1,\u00a0"]
    data = ("id,sex,pay,team\n" + "\n".join(rows) + "\n").encode()
    table = _load(data, monkeypatch, split, text)
    assert isinstance(table, columnar.ArrowTable)
    exact = load_csv(data, "w.csv")
    for i in range(4):
        assert table._column_cells(i).to_pylist() == [row[i] for row in exact.rows]


# --- odd bytes, looked for in the cells --------------------------------------------------------------

_ODD_BYTES = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
_ODD_SEQUENCES = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf")


def plain_by_hand(data: bytes) -> bool:
    """The whole file looked through (what the reader did before): no odd byte past a byte-order mark at the
    start, and no carriage return but before a line feed."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if any(odd in data[start:] for odd in _ODD_BYTES + _ODD_SEQUENCES):
        return False
    return data.count(b"\r") == data.count(b"\r\n")


def _read(data: bytes, *, checked: bool, split: bool, beside: bool):  # noqa: ANN202
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar, "_BLOCK", 64)
        patch.setattr(columnar, "SPLIT_BYTES", 0 if split else 10**12)
        patch.setattr(columnar, "BESIDE_BYTES", 0 if beside else 10**12)
        patch.setattr(columnar, "_SAMPLE_ROWS", 2)  # the guess of which columns are ids made on tiny files too
        if not checked:  # what Arrow makes of the file, with no look for odd bytes
            for name in ("_no_odd_bytes", "_line_ends_plain"):
                patch.setattr(columnar, name, lambda *args: True)
            patch.setattr(columnar, "_plain_cells", lambda *args: set())
        return columnar._read_with_arrow(data, "w.csv")


_PIECES = [b"a", b"b", b"7", b",", b",", b"\n", b"\n", b"\r\n", b"\r", b'"', b" ", b"\t", b"\xc3\xa9", b"\xc2\xa0",
           b"\xe2\x80\x99", b"\xef\xbc\x81", *_ODD_BYTES, *_ODD_SEQUENCES]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from([b"x,y\n", b"x\n", b"\xef\xbb\xbfx,y\n", b"x,\x0c\n", b"x,y\xc2\x85\n"]),
       st.lists(st.sampled_from(_PIECES), max_size=40), st.booleans(), st.booleans())
def test_odd_bytes_in_the_cells_are_odd_bytes_in_the_file(header, pieces, split, beside):
    data = header + b"".join(pieces)
    parsed = _read(data, checked=False, split=split, beside=beside)
    read = _read(data, checked=True, split=split, beside=beside)
    # Taken by Arrow exactly when Arrow can parse it and the whole file has nothing odd in it.
    assert (read is not None) == (parsed is not None and plain_by_hand(data))


@pytest.mark.parametrize("odd", _ODD_BYTES + _ODD_SEQUENCES, ids=[o.hex() for o in _ODD_BYTES + _ODD_SEQUENCES])
@pytest.mark.parametrize("column", [0, 1, 3])
@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_an_odd_byte_in_a_large_file_sends_it_to_the_python_reader(monkeypatch, odd, column, split, text):
    rows = [line.encode() for line in _rows(random.Random(1), 600)]
    cells = rows[450].split(b",")
    cells[column] += odd
    rows[450] = b",".join(cells)
    data = b"id,sex,pay,team\n" + b"\n".join(rows) + b"\n"
    monkeypatch.setattr(columnar, "BESIDE_BYTES", 0)
    assert _load(data, monkeypatch, split, text, arrow_only=True) is None
    rows[450] = b",".join(cells[:column] + [cells[column][:-len(odd)]] + cells[column + 1:])
    assert _load(b"id,sex,pay,team\n" + b"\n".join(rows) + b"\n", monkeypatch, split, text, arrow_only=True)


# --- a large file's hash waits while a parse has both cores -----------------------------------------

@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 1000])
def test_a_hash_that_waits_for_a_parse_is_the_files_sha256(monkeypatch, size):
    import hashlib
    import threading

    from efl.files import evidence

    monkeypatch.setattr(evidence, "HASH_BESIDE_BYTES", 0)
    monkeypatch.setattr(evidence, "_HASH_PIECE", 64)  # several pieces, the last one short
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    hashed = []
    with evidence.both_cores_busy:
        collect = evidence.sha256_soon(data)
        # While the parse runs, no piece is hashed (the thread waits before its first).
        finished = threading.Event()
        threading.Thread(target=lambda: (hashed.append(collect()), finished.set()), daemon=True).start()
        assert not finished.wait(0.2) or size == 0
    assert finished.wait(10)
    assert hashed == [hashlib.sha256(data).hexdigest()] == [collect()]


@pytest.mark.parametrize("compact_bytes, marked", [(None, [1, 1]), (0, [0, 0])])
def test_the_halves_of_a_large_file_are_parsed_with_both_cores_marked_busy(monkeypatch, compact_bytes, marked):
    # Both cores are marked busy while the halves are parsed (the hash waits), unless the file's
    # bytes are let go once parsed (COMPACT_BYTES at 0): then the hash does not wait for them.
    from efl.files import evidence

    busy = []
    real = columnar._parse_csv

    def parse(buffer, names, text, skip_rows):  # noqa: ANN001, ANN202
        busy.append(evidence.both_cores_busy._count)
        return real(buffer, names, text, skip_rows)

    monkeypatch.setattr(columnar, "_parse_csv", parse)
    if compact_bytes is not None:
        monkeypatch.setattr(columnar, "COMPACT_BYTES", compact_bytes)
    data = ("id,sex\n" + "".join(f"E{i},F\n" for i in range(500))).encode()
    assert _load(data, monkeypatch, split=True, text=False) is not None
    assert busy == marked and evidence.both_cores_busy._count == 0


# --- the id check without trimming, when no id holds white space ------------------------------------

def _ids_by_hand(values: list[str]) -> bool:
    trimmed = [v.strip() for v in values]
    return all(trimmed) and len(set(trimmed)) == len(trimmed)


_WHITE = [" ", "\t", "\x1f", "\x1c", "\x0b", "\u00a0", "\u3000", "\u2028", "\x85", "\u200b", "\ufeff"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["E1", "E2", "E10", "e1", "7", "07", "", "Zoë", "E 1", *_WHITE,
                                 *(f"{w}E1" for w in _WHITE), *(f"E2{w}" for w in _WHITE)]), max_size=10),
       st.booleans(), st.integers(1, 4), st.booleans())
def test_the_id_check_gives_what_trimming_every_id_gives(values, ordered, pieces, coded):
    import pyarrow as pa

    if ordered:  # the order HR systems export in
        values = sorted(values)
    # The column in pieces (as parsed), or coded against one dictionary (as when parsed into codes).
    size = max(1, -(-len(values) // pieces))
    column = pa.chunked_array([pa.array(values[k:k + size], pa.string()) for k in range(0, len(values), size)],
                              pa.string())
    table = columnar.ArrowTable(b"", "staff.csv", pa.table({"c0": column}), ["c0"])
    if coded:
        table._cells[0] = pa.chunked_array([column.combine_chunks().dictionary_encode()])
    assert table.unique_and_filled(0) == _ids_by_hand(values)


@pytest.mark.parametrize("cells,expected", [
    (["E1", "E2"], True), (["E1 ", "E2"], False), (["E1", "\u00a0E2"], False), (["E1", "E\u00e92"], False),
    (["E1", "E\t2"], False), (["", ""], True), ([], True),
])
def test_white_space_anywhere_in_the_ids_means_they_are_trimmed(cells, expected):
    import pyarrow as pa

    assert columnar._without_white_space(pa.array(cells, pa.string())) == expected
    assert columnar._without_white_space(pa.chunked_array([pa.array(["E0"]), pa.array(cells, pa.string())])) == expected


# --- blank cells judged over a column in pieces -------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\t", "\u00a0", "\u3000", "x", " x ", "\u200b", "E1"]), max_size=12),
       st.integers(1, 4), st.booleans())
def test_blank_cells_in_pieces_are_those_that_trim_to_nothing(cells, pieces, coded):
    import pyarrow as pa

    size = max(1, -(-len(cells) // pieces))
    chunks = [pa.array(cells[k:k + size], pa.string()) for k in range(0, len(cells), size)]
    if coded:  # each piece against its own dictionary, as parsed
        chunks = [chunk.dictionary_encode() for chunk in chunks]
    column = pa.chunked_array(chunks, pa.dictionary(pa.int32(), pa.string()) if coded else pa.string())
    assert columnar._blank(column).to_pylist() == [not c.strip() for c in cells]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["E1", "E2", "E3", " E1", "E2 ", "E\t4", "\u00a0E5", "", "  ", "Zoë", "E\x1f6"]),
                          st.sampled_from(["F", "M", "", " "])), min_size=1, max_size=12),
       st.booleans(), st.booleans())
def test_white_space_noted_while_looking_for_odd_bytes_is_what_looking_again_finds(rows, split, text):
    data = ("id,sex\n" + "".join(f"{a},{b}\n" for a, b in rows)).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar, "_BLOCK", 64)
        patch.setattr(columnar, "SPLIT_BYTES", 0 if split else 10**12)
        patch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
        table = columnar._read_with_arrow(data, "w.csv")
        exact = load_csv(data, "w.csv")
        if table is None:  # (a row blank in every cell: the Python reader's, both ways)
            assert len(exact.rows) < len(rows)
            return
        for i in range(2):
            cells = table._cells[i]
            if i in table._spaceless:
                assert columnar._without_white_space(cells)
            assert table.unique_and_filled(i) == _ids_by_hand([row[i] for row in exact.rows])
