"""Large CSV files read column by column with pyarrow.

A council's workforce file runs to tens of thousands of rows (a million in the national benchmark).
Python's csv module builds a string object per cell and keeps every row; pyarrow reads the file in C
into one array per column, and dictionary-encodes each column so efl checks every *distinct* value
once. The result is the same :class:`efl.files.evidence.Table` interface the pure-Python reader gives, so
evidence types need not know which reader ran.

The fast reader only takes files it reads exactly as the Python reader would. A file with anything
unusual (a bad byte, a ragged row, a blank row, a repeated column, control characters) goes to the
Python reader, whose messages carry line and column. Positions are never computed here: the first
time something asks for one (a bad cell, a warning), the file is read again by the Python reader,
which numbers every line; its rows are the same rows in the same order.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from efl.errors import Diagnostic
from efl.files.evidence import EncodedColumn, Table, load_csv, normalise_column

# Below this size (about 1,200 employees) the Python reader is as fast, and pyarrow's import (about 25 ms)
# is not paid: measured at 1,000 and 5,000 rows (bench/README.md).
MIN_BYTES = 100_000
# Bytes after which the two readers could disagree on rows or lines: NUL, form feed, the ASCII
# separators, NEL, U+2028/U+2029 and a byte-order mark past the start. Lone carriage returns too.
_ODD_BYTES = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
# Multi-byte ones, looked for only when their lead byte occurs (most files are plain ASCII).
_ODD_SEQUENCES = {b"\xc2": (b"\xc2\x85",), b"\xe2": (b"\xe2\x80\xa8", b"\xe2\x80\xa9"), b"\xef": (b"\xef\xbb\xbf",)}


def _is_plain(data: bytes, start: int) -> bool:
    """No byte from ``start`` on that could make the two readers disagree.

    A one-byte search is memchr in C (gigabytes a second); longer ones are slower, so they wait
    until their lead byte has been seen.
    """
    if any(data.find(odd, start) != -1 for odd in _ODD_BYTES):
        return False
    for lead, sequences in _ODD_SEQUENCES.items():
        if data.find(lead, start) != -1 and any(data.find(seq, start) != -1 for seq in sequences):
            return False
    return data.find(b"\r") == -1 or data.count(b"\r") == data.count(b"\r\n")


class ArrowColumn(EncodedColumn):
    """An encoded column whose codes stay in an Arrow array: mapping and counting run in C."""

    def map(self, meanings: list[Any]) -> list[Any]:
        if len(meanings) <= 256:
            # Few distinct values (pay rates, codes): map in Python so every row shares the same
            # value objects (codes under 257 are Python's cached small ints: no objects are made).
            return list(map(meanings.__getitem__, self.codes.to_pylist()))
        import pyarrow as pa

        try:
            lookup = pa.array(meanings)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds of value: map in Python
            return list(map(meanings.__getitem__, self.codes.to_pylist()))
        return lookup.take(self.codes).to_pylist()

    def tally(self, where: list[bool] | None = None) -> Counter:
        import pyarrow as pa
        import pyarrow.compute as pc

        codes = self.codes if where is None else self.codes.filter(pa.array(where, pa.bool_()))
        counts = pc.value_counts(codes)
        return Counter(dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist())))

    def _mask(self, codes: set[int]) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.is_in(self.codes, value_set=pa.array(sorted(codes), self.codes.type))

    def rows_with(self, codes: set[int], other: EncodedColumn | None = None, other_codes: set[int] = frozenset()
                  ) -> list[int]:
        import pyarrow.compute as pc

        mask = self._mask(codes)
        if other is not None:
            mask = pc.and_(mask, other._mask(other_codes))
        return pc.indices_nonzero(mask).to_pylist()

    def code_at(self, row: int) -> int:
        return self.codes[row].as_py()


class ArrowTable:
    """A CSV file held by pyarrow; behaves as a :class:`Table` (rows and positions read lazily)."""

    def __init__(self, data: bytes, shown: str, arrow_table: Any, columns: list[str], header: list[str] | None = None):
        self._data = data
        self.path = shown
        self.columns = columns
        self.header = header if header is not None else list(columns)
        self.column_map: dict[str, str] = {}
        self.wanted: set[str] = set()
        self._arrow = arrow_table
        self._rows = arrow_table.num_rows
        self._exact: Table | None = None
        self._encoded: dict[int, EncodedColumn] = {}
        self.problems: list[Diagnostic] = []

    def __len__(self) -> int:
        return self._rows

    def index(self, name: str) -> int | None:
        try:
            return self.columns.index(name)
        except ValueError:
            return None

    def encode_column(self, i: int) -> EncodedColumn:
        if i not in self._encoded:
            column = self._arrow.column(i).combine_chunks().dictionary_encode()
            self._encoded[i] = ArrowColumn(column.dictionary.to_pylist(), column.indices)
        return self._encoded[i]

    def unique_and_filled(self, i: int) -> bool:
        """Whether column ``i`` has a distinct, non-blank value on every row (checked in C)."""
        import pyarrow.compute as pc

        column = pc.utf8_trim_whitespace(self._arrow.column(i))
        return (pc.count_distinct(column).as_py() == self._arrow.num_rows
                and not pc.any(pc.equal(column, "")).as_py())

    def release(self) -> None:
        """Let go of the columns once the file is parsed; positions can still be worked out."""
        self._arrow = None
        self._encoded.clear()

    def exact(self) -> Table:
        """The same file read by the Python reader, for line and column numbers."""
        if self._exact is None:
            self._exact = load_csv(self._data, self.path)
        return self._exact

    @property
    def rows(self) -> list[list[str]]:
        return self.exact().rows

    @property
    def lines(self) -> list[int]:
        return self.exact().lines

    @property
    def raw_lines(self) -> list[str]:
        return self.exact().raw_lines

    def col_of(self, row: int, column: int) -> int:
        return self.exact().col_of(row, column)

    def cell_position(self, line: int, column: int) -> tuple[int, int]:
        return self.exact().cell_position(line, column)

    def position(self, row: int, column: int) -> tuple[int, int]:
        return self.exact().position(row, column)


def load_table(data: bytes, shown: str) -> Table | ArrowTable:
    """Read CSV bytes: with pyarrow when the file is large and plain, else with the Python reader."""
    if len(data) >= MIN_BYTES:
        table = _read_with_arrow(data, shown)
        if table is not None:
            return table
    return load_csv(data, shown)


def _read_with_arrow(data: bytes, shown: str) -> ArrowTable | None:
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not _is_plain(data, start):
        return None
    end = data.find(b"\n")
    first_line = data[start:end if end != -1 else len(data)].rstrip(b"\r")
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        header = next(iter(__import__("csv").reader([first_line.decode("utf-8")])), [])
    except (ImportError, UnicodeDecodeError):
        return None
    columns = [normalise_column(c) for c in header]
    if not header or len(set(columns)) != len(columns) or not all(c.strip() for c in header):
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        arrow_table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    if arrow_table.num_rows and _has_blank_row(arrow_table):
        return None
    return ArrowTable(data, shown, arrow_table, columns, [c.strip().lstrip("\ufeff") for c in header])


def _has_blank_row(arrow_table: Any) -> bool:
    """Whether some row is blank in every cell (the Python reader skips such rows).

    Only rows blank in the first column can be blank rows, and there are usually none, so the
    other columns are looked at only for those.
    """
    import pyarrow.compute as pc

    blank = pc.equal(pc.utf8_trim_whitespace(arrow_table.column(0)), "")
    if not pc.any(blank).as_py():
        return False
    candidates = arrow_table.filter(blank)
    for i in range(1, arrow_table.num_columns):
        # Column i of the rows still in the running (the table shrinks as columns rule rows out).
        blank_here = pc.equal(pc.utf8_trim_whitespace(candidates.column(i)), "")
        if not pc.any(blank_here).as_py():
            return False
        candidates = candidates.filter(blank_here)
    return candidates.num_rows > 0
