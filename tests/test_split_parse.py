"""A large file parsed in two halves at once reads exactly as when parsed in one go.

From SPLIT_BYTES the Arrow reader (efl.files.columnar._parse_rows) cuts a file with no quote at the
first line end from its middle on and parses the halves on two threads. The halves are forced here
(SPLIT_BYTES 0) on awkward files, in small pieces, and every column is compared with the one-go parse
and with the Python reader's rows; so are the way back to the one-go parse and the cases never cut.
"""

from __future__ import annotations

import random
import threading

import pytest

pytest.importorskip("pyarrow")

from efl.files import columnar  # noqa: E402
from efl.files.evidence import load_csv  # noqa: E402


def _files() -> dict[str, bytes]:
    rng = random.Random(2029)
    rows = ["id,sex,pay,team"]
    for i in range(500):
        # A team first seen only in the second half, blanks and spaces, repeated pay rates.
        team = f"late{i // 100}" if i > 300 else rng.choice(["a", "b", ""])
        rows.append(f"E{i:04d},{rng.choice(['F', 'M', '', ' F'])},{rng.choice(['9.50', '10.00', '0'])},{team}")
    files = {"lf": ("\n".join(rows) + "\n").encode()}
    files["bom crlf, no last line end"] = ("\ufeff" + "\r\n".join(rows)).encode()
    files["blank lines at the cut"] = ("\n".join(rows[:250]) + "\n\n\n" + "\n".join(rows[250:]) + "\n").encode()
    files["blank lines after the middle"] = ("\n".join(rows[:300]) + "\n" + "\n" * 20000).encode()
    files["beyond ascii"] = ("\n".join(rows[:200] + [f"Z{i},Zoë,1,ünï" for i in range(300)]) + "\n").encode()
    return files


FILES = _files()


def _table(data: bytes, monkeypatch, split: bool, text: bool):  # noqa: ANN001, ANN202
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "_BLOCK", 512)  # many pieces in each half, each coded on its own
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0 if split else 10**12)
    monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if text else set())
    return columnar.load_table(data, "w.csv")


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("text", [False, True], ids=["coded", "text"])
def test_the_halves_read_as_the_whole_file_does(monkeypatch, name, text):
    data = FILES[name]
    before = threading.active_count()
    halves, whole = _table(data, monkeypatch, True, text), _table(data, monkeypatch, False, text)
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0)
    assert columnar._halfway(data, data.find(b"\n")) is not None  # (cut: these are the halves' tables)
    assert threading.active_count() == before  # the second half's thread is finished when the reader returns
    exact = load_csv(data, "w.csv")
    assert isinstance(halves, columnar.ArrowTable) and len(halves) == len(whole) == len(exact.rows)
    for i in range(len(exact.columns)):
        cells = [row[i] for row in exact.rows]
        assert halves._column_cells(i).to_pylist() == cells, (name, i)
        assert halves.unique_and_filled(i) == whole.unique_and_filled(i), (name, i)
        a, b = halves.encode_column(i), whole.encode_column(i)
        assert a.distinct == b.distinct == list(dict.fromkeys(cells)), (name, i)  # numbered by first sight
        assert a.codes.equals(b.codes), (name, i)


def test_the_cut_is_just_after_a_line_end_from_the_middle_on(monkeypatch):
    data = FILES["lf"]
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0)
    cut = columnar._halfway(data, data.find(b"\n"))
    assert cut >= len(data) // 2 and data[cut - 1:cut] == b"\n" and b"\n" not in data[len(data) // 2:cut - 1]


@pytest.mark.parametrize("data", [b'id,note\n' + b'E1,"a, b"\n' * 100,  # a quote: a line end may be in a cell
                                  b"id,sex," + b"x" * 5000 + b"\nE1,F\n",  # no line end before the last
                                  b"id,sex" + b"x" * 5000],  # no line end at all
                         ids=["quote", "last line end", "no line end"])
def test_a_file_that_cannot_be_cut_safely_is_not(monkeypatch, data):
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0)
    assert columnar._halfway(data, data.find(b"\n")) is None


def test_a_last_row_with_no_line_end_is_in_the_second_half(monkeypatch):
    data = b"id,sex\n" + b"E1,F\n" * 100 + b"E2,M"
    monkeypatch.setattr(columnar, "SPLIT_BYTES", 0)
    assert data[columnar._halfway(data, data.find(b"\n")):].endswith(b"E1,F\nE2,M")
    table = _table(data, monkeypatch, True, False)
    assert table.encode_column(1).distinct == ["F", "M"] and len(table) == 101


def test_a_small_file_is_parsed_in_one_go():
    data = FILES["lf"]
    assert len(data) < columnar.SPLIT_BYTES and columnar._halfway(data, data.find(b"\n")) is None


def test_a_half_that_fails_means_the_whole_file_is_parsed_again(monkeypatch):
    data = FILES["lf"]
    real = columnar._parse_csv
    calls = []

    def failing_second_half(buffer, names, text, skip_rows):  # noqa: ANN001, ANN202
        calls.append(skip_rows)
        if skip_rows == 0:
            raise MemoryError("the second half could not be parsed")
        return real(buffer, names, text, skip_rows)

    monkeypatch.setattr(columnar, "_parse_csv", failing_second_half)
    table = _table(data, monkeypatch, True, False)
    assert sorted(calls) == [0, 1, 1]  # both halves, then the whole file
    exact = load_csv(data, "w.csv")
    assert [table._column_cells(i).to_pylist() for i in range(4)] == [[r[i] for r in exact.rows] for i in range(4)]


@pytest.mark.parametrize("where", ["first", "second"])
def test_a_ragged_row_in_either_half_goes_to_the_python_reader(monkeypatch, where):
    rows = FILES["lf"].decode().split("\n")
    rows[100 if where == "first" else 400] += ",extra"
    data = "\n".join(rows).encode()
    assert not isinstance(_table(data, monkeypatch, True, False), columnar.ArrowTable)
    assert not isinstance(_table(data, monkeypatch, False, False), columnar.ArrowTable)
