"""The Arrow reader's shortcuts against the slow ways they replace, on awkward files.

* The text is checked for bad UTF-8 once parsed (a coded column by its distinct cells only), not by the
  parser cell by cell: a file with a bad byte anywhere must still go to the Python reader, which says
  where it is, exactly as when the parser checked.
"""

from __future__ import annotations

import random

import pytest

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


def _load(data: bytes, monkeypatch, split: bool, text: bool):  # noqa: ANN001, ANN202
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "_BLOCK", 512)  # many pieces, each coded against its own dictionary
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0 if split else 10**12)
    monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
    return columnar.load_table(data, "w.csv")


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
