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
from typing import Any, Callable

from efl.core.lazy_list import LazyList
from efl.errors import Diagnostic
from efl.files.evidence import EncodedColumn, Table, _record_cells, both_cores_busy, load_csv, normalise_column

# Below this size (about 1,200 employees) the Python reader is as fast, and pyarrow's import (about 25 ms)
# is not paid: measured at 1,000 and 5,000 rows (bench/README.md).
MIN_BYTES = 100_000
# From this size (about 200,000 employees) the look for lone carriage returns through the whole file runs on
# a second thread beside the parse (_Beside).
BESIDE_BYTES = 16 * 1024 * 1024
# From this size (beyond the default limit on a file's size, so only where EFL_MAX_FILE_MB allows it) the
# file's bytes, kept only to work out a position if a warning or error needs one, are kept compressed
# once it is parsed (LZ4: 80 MB become about 18 MB, in about 0.1 s of processor time; put back in a tenth
# of that if a position is asked for), by the second thread too. Not below: the peak memory comes during
# the parse, while the bytes are whole anyway, so at a million employees (80 MB) compressing them took
# only 6 MB off the peak (259 MB, not 265), for 0.1 s of a core the parse's two halves could use.
COMPACT_BYTES = 256 * 1024 * 1024
# How much of the file Arrow parses at a time (its default). Each piece's coded columns have their own
# dictionary, unified when the column is first read (ArrowTable._coded_cells); tests make it small.
_BLOCK = 1 << 20
# From this size (about 25,000 employees) a file with no quote is parsed in two halves at once (_parse_rows):
# on two cores the parse, about half of a large file's time, then takes a little more than half as long.
SPLIT_BYTES = 2 * 1024 * 1024
# The pieces the bytes are compressed in (see ArrowTable.compact).
_PIECE = 8 * 1024 * 1024
# From this many rows the codes are kept in the narrowest integer type and Arrow's freed memory is given
# back after each column: below it the memory is small and the extra calls cost more than they save.
LARGE_ROWS = 200_000
# Bytes after which the two readers could disagree on rows or lines: NUL, form feed, the ASCII
# separators, NEL, U+2028/U+2029 and a byte-order mark past the start. Lone carriage returns too.
_ODD_BYTES = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
# Multi-byte ones, looked for only when their lead byte occurs (most files are plain ASCII). Both are looked
# for in the parsed cells (_plain_cells), lone carriage returns through the file (_line_ends_plain).
_ODD_SEQUENCES = {b"\xc2": (b"\xc2\x85",), b"\xe2": (b"\xe2\x80\xa8", b"\xe2\x80\xa9"), b"\xef": (b"\xef\xbb\xbf",)}


def _no_odd_bytes(data: bytes, ascii: bool = False) -> bool:
    """No byte in ``data`` that could make the two readers disagree (but carriage returns: :func:`_line_ends_plain`).

    A one-byte search is memchr in C (gigabytes a second); longer ones are slower, so they wait
    until their lead byte has been seen, and are not made at all in text known to be ``ascii``.
    """
    if any(data.find(odd) != -1 for odd in _ODD_BYTES):
        return False
    return ascii or not any(data.find(lead) != -1 and any(data.find(seq) != -1 for seq in sequences)
                            for lead, sequences in _ODD_SEQUENCES.items())


def _line_ends_plain(data: bytes) -> bool:
    """No carriage return in ``data`` but before a line feed (Arrow takes a lone one as a line end)."""
    return data.find(b"\r") == -1 or data.count(b"\r") == data.count(b"\r\n")


def _plain_cells(arrow_table: Any) -> set[int] | None:
    """Every cell valid UTF-8, as the Python reader (which decodes the whole file) needs, and no odd byte
    (:func:`_no_odd_bytes`) in any: looked for in a coded column's distinct cells, a text column's cells.
    None if not; else the text columns (by position) with no white space in any cell, noted on the way
    (:func:`_without_white_space`, which the id check and the look for blank rows then need not make).

    Every byte of a file Arrow parsed is in a cell but the commas, quotes and line ends between them: ASCII,
    none of them odd, and no ASCII byte is part of a longer UTF-8 character. So the cells say what looking
    through the whole file says (tests/test_columnar_fast_paths.py), from their bytes in Arrow's buffers: at a
    million rows about a tenth of the file (the ids), not 80 MB; the codes are the parser's own, so none
    points outside the distinct cells. Only cells beyond ASCII need Arrow's check of UTF-8.
    """
    import pyarrow as pa

    spaceless = set()
    for i, column in enumerate(arrow_table.columns):
        coded = pa.types.is_dictionary(column.type)
        without_space = not coded
        for chunk in column.chunks:
            cells = chunk.dictionary if coded else chunk
            data = cells.buffers()[2]
            if data is None:
                continue
            data = data.to_pybytes()
            ascii = data.isascii()
            if not _no_odd_bytes(data, ascii):
                return None
            if not ascii:
                without_space = False
                try:
                    cells.validate(full=True)
                except pa.ArrowInvalid:
                    return None
            elif without_space:
                # (ASCII's other white space characters are odd bytes, just found not to be there)
                without_space = not any(data.find(space) != -1 for space in (b" ", b"\t", b"\n", b"\r", b"\x1f"))
        if without_space:
            spaceless.add(i)
    return spaceless


def _kernel(name: str, *args: Any, options: Any = None) -> Any:
    """Arrow's compute function ``name``, called directly.

    ``pyarrow.compute`` (and every Array method that goes through it: ``filter``, ``take``,
    ``dictionary_encode``) builds a Python wrapper with a docstring for each of Arrow's hundreds of
    functions when it is first imported, which costs more than reading a 50,000-row file. The
    functions themselves live in ``pyarrow._compute``; calling them by name skips the wrappers.
    """
    from pyarrow._compute import call_function

    return call_function(name, list(args), options)


def _blank(column: Any) -> Any:
    """Per row, whether the cell is empty once spaces are trimmed: empty, or only white space.

    Asked as two yes/no questions rather than by trimming every cell, which would copy the column
    (the ids: 65 MB at five million rows, at the moment memory is fullest, just after the parse).
    Arrow's white space is the same set for both (tests/test_big_columns.py checks every character).
    """
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray) and pa.types.is_dictionary(column.type):
        # chunk by chunk: each is coded against its own dictionary (text is judged in one call per kernel)
        return pa.chunked_array([_blank(chunk) for chunk in column.chunks], pa.bool_())
    if pa.types.is_dictionary(column.type):  # each distinct cell judged once, then looked up per row
        return _kernel("take", _blank(column.dictionary), column.indices)
    # (each answer one bit a row: a count of bytes per row would be 20 MB at five million rows, just then)
    return _kernel("or", _kernel("equal", column, pa.scalar("")), _kernel("utf8_is_space", column))


# Python's white space (str.strip) in ASCII, which is Arrow's too (tests/test_big_columns.py checks every
# character); the rest of it is beyond ASCII.
_ASCII_WHITE_SPACE = (b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def _without_white_space(cells: Any) -> bool:
    """Whether no cell of an Arrow column of text holds white space anywhere (so trimming it changes nothing):
    its bytes, piece by piece, all ASCII and none of them white space (memchr; 3 ms for a million ids)."""
    import pyarrow as pa

    for chunk in cells.chunks if isinstance(cells, pa.ChunkedArray) else (cells,):
        data = chunk.buffers()[2]
        if data is None:
            continue
        data = data.to_pybytes()
        if not data.isascii() or any(data.find(space) != -1 for space in _ASCII_WHITE_SPACE):
            return False
    return True


def _any(mask: Any) -> bool:
    return bool(_kernel("any", mask).as_py())


def _ascending(column: Any) -> bool:
    """Whether every value is greater than the one before it (so no two are the same), in one linear pass.

    HR systems export staff in id order, so this is the usual case, and it avoids the hash table of
    every distinct id that counting distinct values builds (which grows slower than linearly, as it
    outgrows the processor's caches: 0.3 s at a million ids, 2.7 s at five million). Ids in number
    order but of different widths ("E9", "E10") are not in text order, so whole numbers are compared
    as numbers too: different numbers are different ids ("7" and "07" are one number, so such a column
    is not taken as ascending and is counted instead). Anything else is counted.
    """
    import pyarrow as pa
    from pyarrow._compute import CastOptions

    if len(column) < 2:
        return True
    if _all(_kernel("greater", column.slice(1), column.slice(0, len(column) - 1))):
        return True
    try:
        numbers = _kernel("cast", column, options=CastOptions(pa.int64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return _all(_kernel("greater", numbers.slice(1), numbers.slice(0, len(numbers) - 1)))


def _all(mask: Any) -> bool:
    return bool(_kernel("all", mask).as_py())


class Coded(LazyList):
    """A column's value on every row (a plain list to whoever reads it) that also keeps how it was made:
    the Arrow column of codes and the value of each distinct cell (``meanings``).

    Figures over a whole column (the pay gap groups, tallies) can then be worked from how many rows
    hold each combination of codes, counted in C, instead of walking a million Python objects; see
    :meth:`ArrowColumn.count_together` and ``efl.workforce.measures.pay_groups``. The codes are in
    the order their cells first appear, as Arrow's dictionary encoding numbers them.

    The list of rows is made only when something reads a row (iterates, indexes, compares, copies):
    at a million rows each list is 8 MB and about 60 ms, and the figures worked from counts need
    none. Every list method fills it first. C code that reads a list's storage directly without its
    methods (``json``'s encoder, ``str.join``) would see it empty before that, so a ``Coded`` given to
    code outside efl is filled first (:meth:`filled`; ``WorkforceProfile`` does so for its fields).
    """

    __slots__ = ("column", "meanings")

    def __init__(self, column: ArrowColumn, meanings: list[Any]):
        super().__init__()
        self.column = column
        self.meanings = meanings

    def _fill(self) -> None:
        list.extend(self, self.column.values_of(self.meanings))

    def _unfilled_length(self) -> int:
        return len(self.column)

    def remap(self, meaning: Any) -> Coded:
        """The column with ``meaning(value)`` on every row, worked out once per distinct value."""
        return self.column.map([meaning(m) for m in self.meanings])


def _give_back() -> None:
    """Return the memory Arrow has freed to the system now, not at its allocator's leisure: the next
    column's work then reuses it rather than growing the process (about 20 MB of peak at 1M rows)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _narrow(codes: Any, distinct: int) -> Any:
    """Codes in the narrowest integer type that holds them: a million codes of a column of a few
    hundred distinct cells take 2 MB as 16-bit integers instead of 4 MB (1 MB as 8-bit)."""
    import pyarrow as pa
    from pyarrow._compute import CastOptions

    for width, limit in ((pa.int8(), 2 ** 7), (pa.int16(), 2 ** 15)):
        if distinct <= limit:
            # (unchecked: every code is below ``distinct``, so none overflows, and the check costs more than the cast)
            return _kernel("cast", codes, options=CastOptions.unsafe(width))
    return codes


class ArrowColumn(EncodedColumn):
    """An encoded column whose codes stay in an Arrow array: mapping and counting run in C.

    ``dictionary`` is the distinct cells as an Arrow array (None if not known), from which the
    column's cells can be put back (``take``) once the parsed cells are let go.
    """

    def __init__(self, distinct: list[str], codes: Any, dictionary: Any = None):
        super().__init__(distinct, codes)
        self.dictionary = dictionary
        self._tally: dict[int, int] | None = None
        # Which rows hold one of some codes, by the codes: the senior column's mask is asked once per
        # characteristic (its senior staff's groups), about 13 ms at a million rows each time.
        self._masks: dict[frozenset[int], Any] = {}

    def map(self, meanings: list[Any]) -> Coded:
        return Coded(self, meanings)

    def values_of(self, meanings: list[Any]) -> list[Any]:
        """Each row's meaning, as a list (what :class:`Coded` holds once a row is read)."""
        if len(meanings) <= 256:
            # Few distinct values (pay rates, codes): map in Python so every row shares the same
            # value objects (codes under 257 are Python's cached small ints: no objects are made).
            return list(map(meanings.__getitem__, self.codes.to_pylist()))
        import pyarrow as pa

        try:
            lookup = pa.array(meanings)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds of value: map in Python
            return list(map(meanings.__getitem__, self.codes.to_pylist()))
        return _kernel("take", lookup, self.codes).to_pylist()

    def count_together(self, *others: ArrowColumn) -> dict[tuple[int, ...], int] | None:
        """How many rows hold each combination of this column's code and the others' (same table), in C.

        The codes are combined into one number per row (mixed radix) and counted with Arrow's
        ``value_counts``; None if the combinations could not be numbered in 63 bits.
        """
        import pyarrow as pa
        from pyarrow._compute import CastOptions

        columns = [self, *others]
        if any(not isinstance(c, ArrowColumn) or len(c) != len(self) for c in columns):
            return None
        sizes = [max(len(c.distinct), 1) for c in columns]
        product = 1
        for size in sizes:
            product *= size
        if product >= 2 ** 62:
            return None
        # The narrowest integers that hold every combination's number (no step can overflow: each partial
        # number is below the product of the sizes so far): a payroll's few thousand combinations fit in
        # 16 bits, a quarter of the memory traffic of 64 (about 3 ms a count at a million rows).
        # 8 bits where they do (a column's codes against a yes/no column's): Arrow counts 8-bit numbers
        # by direct lookup, 16-bit and wider through a hash table (about 4 ms against 11 ms at a million rows).
        width = (pa.int8() if product < 2 ** 7 else pa.int16() if product < 2 ** 15
                 else pa.int32() if product < 2 ** 31 else pa.int64())
        wide = CastOptions(width)
        key = _kernel("cast", self.codes, options=wide)
        for column, size in zip(others, sizes[1:]):
            key = _kernel("add", _kernel("multiply", key, pa.scalar(size, width)),
                          _kernel("cast", column.codes, options=wide))
        counts = _kernel("value_counts", key)
        # Each combination's number taken apart again into its codes, a column at a time in C (a payroll
        # has thousands of combinations: a Python loop over them cost as much as the counting).
        number = counts.field("values")
        parts = []
        for size in reversed(sizes[1:]):
            radix = pa.scalar(size, width)
            rest = _kernel("divide", number, radix)
            parts.append(_kernel("subtract", number, _kernel("multiply", rest, radix)).to_pylist())
            number = rest
        parts.append(number.to_pylist())
        return dict(zip(zip(*reversed(parts)), counts.field("counts").to_pylist()))

    def tally(self, where: list[bool] | None = None) -> Counter:
        import pyarrow as pa

        if where is None:
            # Asked of a column several times (its kinds of answer, its groups, its pay gaps): counted once.
            if self._tally is None:
                counts = _kernel("value_counts", self.codes)
                self._tally = dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()))
            return Counter(self._tally)
        elif (isinstance(where, Coded) and isinstance(where.column, ArrowColumn) and len(where.column) == len(self)
              and all(m is None or isinstance(m, bool) for m in where.meanings)):
            # A yes/no column of the same table (senior staff): the rows counted by their pair of codes, in
            # one count in C (no list made, no rows picked out), which also gives the tally of all rows,
            # kept for when it is asked: the two, counted apart, took twice as long.
            together = self.count_together(where.column)
            if together is not None:
                yes = {c for c, m in enumerate(where.meanings) if m}
                everyone: Counter = Counter()
                picked: Counter = Counter()
                for (code, other), count in together.items():
                    everyone[code] += count
                    if other in yes:
                        picked[code] += count
                if self._tally is None:
                    self._tally = dict(everyone)
                return picked
            codes = _kernel("filter", self.codes, where.column._mask({c for c, m in enumerate(where.meanings) if m}))
        else:
            codes = _kernel("filter", self.codes, pa.array(list(where), pa.bool_()))
        counts = _kernel("value_counts", codes)
        return Counter(dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist())))

    def _mask(self, codes: set[int]) -> Any:
        import pyarrow as pa
        from pyarrow._compute import SetLookupOptions

        key = frozenset(codes)
        if key not in self._masks:
            self._masks[key] = _kernel("is_in", self.codes,
                                       options=SetLookupOptions(pa.array(sorted(codes), self.codes.type)))
        return self._masks[key]

    def rows_with(self, codes: set[int], other: EncodedColumn | None = None, other_codes: set[int] = frozenset()
                  ) -> list[int]:
        mask = self._mask(codes)
        if other is not None:
            mask = _kernel("and", mask, other._mask(other_codes))
        return _kernel("indices_nonzero", mask).to_pylist()

    def code_at(self, row: int) -> int:
        return self.codes[row].as_py()


class ArrowTable:
    """A CSV file held by pyarrow; behaves as a :class:`Table` (rows and positions read lazily)."""

    def __init__(self, data: bytes, shown: str, arrow_table: Any, columns: list[str], header: list[str] | None = None,
                 header_line: str | None = None, spaceless: set[int] | None = None):
        self._data = data
        self.path = shown
        self.columns = columns
        self.header = header if header is not None else list(columns)
        # The file's first line as the Python reader numbers it (``exact().raw_lines[0]``), so the position of
        # a column's name is found without reading a large file a second time (evidence.header_column).
        self.header_line = header_line
        # The text columns known to have no white space in any cell (:func:`_plain_cells`).
        self._spaceless = spaceless or set()
        self.column_map: dict[str, str] = {}
        self.wanted: set[str] = set()
        # One Arrow column of cells per file column, each let go once it is encoded (its codes hold
        # it: about 100 MB at a million rows that would otherwise stay until the file is parsed).
        self._cells: list[Any] = list(arrow_table.columns)
        self._rows = arrow_table.num_rows
        self._exact: Table | None = None
        self._lines: RowLines | bool | None = None  # (False: the rows are not one line each)
        self._line_numbers: list[int] | None = None
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
            coded = self._coded_cells(i)
            column = coded if coded is not None else _kernel("dictionary_encode", self._column_cells(i))
            codes = column.indices
            if self._rows >= LARGE_ROWS:  # (below, the memory saved is not worth the calls)
                codes = _narrow(codes, len(column.dictionary))
            self._encoded[i] = ArrowColumn(column.dictionary.to_pylist(), codes, column.dictionary)
            self._cells[i] = None  # the codes and the distinct cells say it all (see _column_cells)
            if self._rows >= LARGE_ROWS:
                _give_back()
        return self._encoded[i]

    def _coded_cells(self, i: int) -> Any:
        """Column ``i`` as one Arrow dictionary array if it was parsed as one (else None).

        Each piece the parser read was coded against its own dictionary; putting the pieces together
        unifies them, numbering every distinct cell in the order it first appears in the file: the
        numbering ``dictionary_encode`` gives the whole column (tests/test_coded_parse.py checks it), so
        the codes, and every figure worked from them, are the same whichever way the column was parsed.
        """
        import pyarrow as pa

        cells = self._cells[i]
        if cells is None or not pa.types.is_dictionary(cells.type):
            return None
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
            self._cells[i] = cells  # (put together once, whichever asks first)
        return cells

    def _column_cells(self, i: int) -> Any:
        """Column ``i``'s cells as one Arrow array of text: as parsed, or put back from its codes."""
        cells = self._cells[i]
        if cells is None:
            if i not in self._encoded:
                raise ValueError(f"column {i} of {self.path} was let go (the table was released)")
            encoded = self._encoded[i]
            return _kernel("take", encoded.dictionary, encoded.codes)
        coded = self._coded_cells(i)
        if coded is not None:
            return _kernel("take", coded.dictionary, coded.indices)
        return cells.combine_chunks()

    def unique_and_filled(self, i: int) -> bool:
        """Whether column ``i`` has a distinct, non-blank value on every row (checked in C)."""
        import pyarrow as pa

        coded = self._encoded[i] if i in self._encoded else self._coded_cells(i)
        if coded is not None:
            # Already codes: the cells are all different exactly when there are as many distinct cells as
            # rows, and the distinct cells, trimmed, then stand for the rows (each on one row, in row order).
            if len(coded.dictionary) != self._rows:
                return False
            cells = coded.dictionary
        else:
            # Text as parsed, piece by piece: the kernels take the pieces as they are, so the column is
            # not first copied into one array (9 MB at a million ids, 45 MB at five million).
            cells = self._cells[i] if self._cells[i] is not None else self._column_cells(i)
        if i in self._spaceless or _without_white_space(cells):
            # Trimming would change no cell (the usual ids): the cells are compared as they are, and a blank
            # one is an empty one; trimming a million ids makes a copy of them, in about 10 ms.
            if _any(_kernel("equal", cells, pa.scalar(""))):
                return False
            column = cells
        else:
            column = _kernel("utf8_trim_whitespace", cells)
            if _any(_kernel("equal", column, pa.scalar(""))):
                return False
        return _ascending(column) or _kernel("count_distinct", column).as_py() == self._rows

    def release(self) -> None:
        """Let go of the columns once the file is parsed; positions can still be worked out."""
        self._cells = [None] * len(self._cells)
        self._encoded.clear()

    def compact(self) -> None:
        """Keep the file's bytes compressed: they are read again only if a position is asked for.

        Compressed a piece at a time: one call for the whole file sets aside a buffer as large as the
        file for its output (about 50 MB more at the peak at a million rows)."""
        packed = _packed(self._data) if isinstance(self._data, bytes) else None
        if packed is not None:
            self._data = packed

    def _bytes(self) -> bytes:
        if isinstance(self._data, tuple):
            import pyarrow as pa

            return b"".join(pa.decompress(packed, decompressed_size=size, codec="lz4", asbytes=True)
                            for packed, size in self._data)
        return self._data

    def exact(self) -> Table:
        """The same file read by the Python reader, for line and column numbers."""
        if self._exact is None:
            self._exact = load_csv(self._bytes(), self.path)
        return self._exact

    def _row_lines(self) -> RowLines | None:
        """Where rows and cells are, without the Python reader, if every row is one line (else None)."""
        if self._lines is None:
            self._lines = RowLines.of(self._data, self._rows) or False
        return self._lines or None

    @property
    def rows(self) -> list[list[str]]:
        return self.exact().rows

    @property
    def lines(self) -> list[int]:
        if self._exact is None and self._row_lines() is not None:
            if self._line_numbers is None:  # (made once: callers index it row by row)
                self._line_numbers = list(range(2, self._rows + 2))
            return self._line_numbers
        return self.exact().lines

    @property
    def raw_lines(self) -> list[str]:
        return self.exact().raw_lines

    def col_of(self, row: int, column: int) -> int:
        return self.position(row, column)[1]

    def cell_position(self, line: int, column: int) -> tuple[int, int]:
        found = self._row_lines() if self._exact is None else None
        if found is not None and 2 <= line < self._rows + 2:
            return found.cell_position(line, column)
        return self.exact().cell_position(line, column)

    def position(self, row: int, column: int) -> tuple[int, int]:
        found = self._row_lines() if self._exact is None else None
        if found is not None and 0 <= row < self._rows:
            return found.cell_position(row + 2, column)
        return self.exact().position(row, column)


class RowLines:
    """Positions in a file read by Arrow whose every row is one line: row ``r`` is then on line ``r + 2``, and
    a cell's column is found on that line alone, so a warning or a bad cell in a million-row file is placed
    without reading the whole file again through the Python reader (seconds, and gigabytes at five million).

    That holds when the file has no quote (no cell can run over a line end) and no empty line (the Python
    reader skips it, as Arrow does, but counts it); the file is already plain (no lone carriage returns,
    no other line ends: :func:`_line_ends_plain`, :func:`_plain_cells`), and a row blank in every cell or
    with the wrong number of cells sent it to the Python reader. Otherwise :meth:`of` says None and the
    Python reader numbers the lines. The bytes stay as they are kept (compressed for a large file: each line
    is read from its piece).
    """

    def __init__(self, data: bytes | tuple, ends: Any):
        self._data = data
        self._ends = ends  # the offset of every "\n" in the file, in order
        self._piece: tuple[int, bytes] | None = None  # the last piece put back (a compressed file)

    @classmethod
    def of(cls, data: bytes | tuple, rows: int) -> RowLines | None:
        import pyarrow as pa

        # A compressed file is put back a piece at a time (never the whole file at once).
        pieces = (data,) if isinstance(data, bytes) else (
            pa.decompress(packed, decompressed_size=size, codec="lz4", asbytes=True) for packed, size in data)
        ends, offset, before = [], 0, b""
        for piece in pieces:
            joined = before + piece[:2]  # an empty line across two pieces
            if b'"' in piece or b"\n\n" in piece or b"\n\r\n" in piece or b"\n\n" in joined or b"\n\r\n" in joined:
                return None
            codes = pa.Array.from_buffers(pa.uint8(), len(piece), [None, pa.py_buffer(piece)])
            found = _kernel("indices_nonzero", _kernel("equal", codes, pa.scalar(10, pa.uint8())))
            ends.append(_kernel("add", found, pa.scalar(offset, pa.uint64())))
            offset += len(piece)
            before = piece[-2:]
        ends = pa.chunked_array(ends, pa.uint64()).combine_chunks()
        # The header and every row end with a line end, but the last row may not.
        if len(ends) not in (rows, rows + 1) or (data[:1] if isinstance(data, bytes) else b"") == b"\n":
            return None
        return cls(data, ends)

    def _bytes_between(self, start: int, end: int) -> bytes:
        if isinstance(self._data, bytes):
            return self._data[start:end]
        import pyarrow as pa

        out, at = [], 0
        for index, (packed, size) in enumerate(self._data):
            if at < end and start < at + size:
                if self._piece is None or self._piece[0] != index:
                    self._piece = (index, pa.decompress(packed, decompressed_size=size, codec="lz4", asbytes=True))
                out.append(self._piece[1][max(start - at, 0):min(end - at, size)])
            at += size
        return b"".join(out)

    def line_text(self, line: int) -> str:
        """Line ``line`` (2 or more: a row's) as text, without its line end."""
        start = self._ends[line - 2].as_py() + 1
        end = self._ends[line - 1].as_py() if line - 1 < len(self._ends) else self._size()
        text = self._bytes_between(start, end).decode("utf-8")
        return text[:-1] if text.endswith("\r") else text

    def _size(self) -> int:
        return len(self._data) if isinstance(self._data, bytes) else sum(size for _, size in self._data)

    def cell_position(self, line: int, column: int) -> tuple[int, int]:
        if column == 0:
            return line, 1
        cells = _record_cells([self.line_text(line)], 1)
        return (line, cells[column][1]) if column < len(cells) else (line, 1)


def load_table(data: bytes, shown: str) -> Table | ArrowTable:
    """Read CSV bytes: with pyarrow when the file is large and plain, else with the Python reader."""
    if len(data) >= MIN_BYTES:
        table = _read_with_arrow(data, shown)
        if table is not None:
            return table
    return load_csv(data, shown)


def _packed(data: bytes) -> tuple[tuple[bytes, int], ...] | None:
    """The bytes compressed (LZ4) a piece at a time, each with its size; None without LZ4.

    A piece at a time: one call for the whole file sets aside a buffer as large as the file for its
    output (about 50 MB more at the peak at a million rows)."""
    import pyarrow as pa

    if not pa.Codec.is_available("lz4"):
        return None
    view = memoryview(data)
    return tuple((pa.compress(view[i:i + _PIECE], codec="lz4", asbytes=True), min(_PIECE, len(view) - i))
                 for i in range(0, len(view), _PIECE))


class _Beside:
    """What a large file needs besides its parse, worked out on a second thread while Arrow parses it
    (which lets go of the interpreter): whether its line ends are plain (:func:`_line_ends_plain`, memchr
    over the whole file) and, from COMPACT_BYTES, its bytes compressed for :meth:`ArrowTable.compact`. On
    two cores this takes them off the time; on a busy machine it costs what doing them in turn would."""

    def __init__(self, data: bytes):
        import threading

        self._data = data
        self._plain: bool | None = None
        self._packed: tuple | None = None
        self._thread: Any = None
        self._go = threading.Event()

    def start(self) -> None:
        """Start the thread, which then waits for :meth:`go`."""
        import threading

        self._thread = threading.Thread(target=self._work, name="efl-csv-beside", daemon=True)
        self._thread.start()

    def go(self) -> None:
        """Set to work, as the last thread of the parse starts: ``bytes.find`` holds the interpreter while it
        scans (7 ms at a million rows, 35 at five million), so a search begun sooner keeps the parse's
        threads from starting (they need the interpreter to start) until it ends."""
        self._go.set()

    def _work(self) -> None:
        self._go.wait()
        self._plain = _line_ends_plain(self._data)
        if self._plain and len(self._data) >= COMPACT_BYTES:
            self._packed = _packed(self._data)

    def result(self) -> tuple[bool, tuple | None]:
        """Whether the file's line ends are plain, and its bytes compressed (None if not done); always called,
        so the thread is finished when the reader returns. Not started (the parse gave up first): not known."""
        if self._thread is None:
            return False, None
        self._go.set()  # (if the parse gave up before it started)
        self._thread.join()
        plain = self._plain if self._plain is not None else _line_ends_plain(self._data)  # (thread failed)
        self._data = None
        return plain, self._packed


def _read_with_arrow(data: bytes, shown: str) -> ArrowTable | None:
    from efl.files.arrow_preload import wait

    wait()  # Arrow's libraries, if the command began loading them while it started
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if len(data) < min(BESIDE_BYTES, COMPACT_BYTES):
        return _parse_with_arrow(data, shown, start) if _line_ends_plain(data) else None
    # A large file is parsed while a second thread looks for lone carriage returns (and compresses a very large
    # one); a file with one is then left to the Python reader whatever the parse gave (as if not parsed).
    beside = _Beside(data)
    try:
        table = _parse_with_arrow(data, shown, start, beside)
    finally:
        plain, packed = beside.result()
    if table is None or not plain:
        return None
    if packed is not None:
        table._data = packed
    return table


def _parse_with_arrow(data: bytes, shown: str, start: int, beside: _Beside | None = None) -> ArrowTable | None:
    """The file parsed by Arrow into an :class:`ArrowTable`, or None if it cannot be read exactly as the
    Python reader would (a header it would read otherwise, a row blank in every cell, bad UTF-8, an odd byte).
    ``beside`` is started as the parse starts."""
    end = data.find(b"\n")
    first_line = data[start:end if end != -1 else len(data)].rstrip(b"\r")
    try:
        import pyarrow as pa
        import pyarrow.csv  # noqa: F401 - here, so that a pyarrow without its CSV reader means the Python reader

        header_text = first_line.decode("utf-8")
        header = next(iter(__import__("csv").reader([header_text])), [])
    except (ImportError, UnicodeDecodeError):
        return None
    columns = [normalise_column(c) for c in header]
    if not header or len(set(columns)) != len(columns) or not all(c.strip() for c in header):
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        distinct_each_row = _distinct_looking(data, end, names)
        # (before the second thread starts: its searches and this one would each wait for the other)
        cut = _halfway(data, end)
        if beside is not None:
            beside.start()
        arrow_table = _parse_rows(data, names, distinct_each_row, cut, beside.go if beside is not None else None)
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    spaceless = _plain_cells(arrow_table) if _no_odd_bytes(first_line) else None
    if spaceless is None:
        return None
    if arrow_table.num_rows and _has_blank_row(arrow_table, 0 in spaceless):
        return None
    if arrow_table.num_rows >= LARGE_ROWS:
        _give_back()  # the parse's working buffers
    return ArrowTable(data, shown, arrow_table, columns, [c.strip().lstrip("\ufeff") for c in header], header_text,
                      spaceless)


def _parse_csv(data: Any, names: list[str], text: set[str], skip_rows: int) -> Any:
    """Arrow's parse of ``data`` (a buffer) into the table of cells (see :func:`_convert_options`)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return pcsv.read_csv(
        pa.BufferReader(data),  # (not a Python file: Arrow then reads it without taking the interpreter)
        # One thread: Arrow's threaded parse takes about 40% more processor time in all and 20-40 MB
        # more memory at a million rows (each thread's freed buffers stay with it), for a parse a
        # little sooner on an idle machine; a large file is parsed in two halves instead (_parse_rows).
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=skip_rows, use_threads=False, block_size=_BLOCK),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=_convert_options(names, text))


def _halfway(data: bytes, header_end: int) -> int | None:
    """Where a large file can be cut in two for its halves to be parsed apart: just after the first line end
    from the middle on. None if the file is small, or has a quote (a quoted cell may hold a line end, and
    only a parse from the start knows whether a line end is inside one), or has nothing after the middle."""
    if len(data) < SPLIT_BYTES or header_end == -1 or data.find(b'"') != -1:
        return None
    cut = data.find(b"\n", max(len(data) // 2, header_end + 1))
    if cut == -1 or cut + 1 == len(data):
        return None
    return cut + 1


def _parse_rows(data: bytes, names: list[str], text: set[str], cut: int | None,
                started: Callable[[], None] | None = None) -> Any:
    """The file's rows parsed by Arrow: a large one (cut where :func:`_halfway` says) in two halves at once, the
    second on a second thread (Arrow's parse lets go of the interpreter), the pieces then put one after the other.
    ``started`` is called just before this thread's parse starts.

    The table is the one a parse of the whole file gives: the same rows in the same order, each
    piece's coded columns numbered in order of first appearance as the parser's own pieces are
    (tests/test_coded_parse.py). Should either half fail (a ragged row, a half Arrow reads differently),
    the whole file is parsed again in one go, so what the file comes to is what that parse says."""
    import contextlib
    import threading

    import pyarrow as pa

    whole = pa.py_buffer(data)
    started = started or (lambda: None)
    if cut is None:
        started()
        return _parse_csv(whole, names, text, 1)
    second: list[Any] = []

    def parse_second() -> None:
        try:
            second.append(_parse_csv(whole.slice(cut), names, text, 0))
        except Exception:  # noqa: BLE001 - the whole file is parsed again, and says what is wrong
            return

    worker = threading.Thread(target=parse_second, name="efl-csv-half", daemon=True)
    # The file's hash waits meanwhile (evidence.both_cores_busy), but only where the table keeps the bytes
    # whole anyway: from COMPACT_BYTES they are let go once parsed and hashed (400 MB at five million rows).
    with both_cores_busy if len(data) < COMPACT_BYTES else contextlib.nullcontext():
        worker.start()
        started()
        try:
            first = _parse_csv(whole.slice(0, cut), names, text, 1)
        except Exception:  # noqa: BLE001 - as above
            first = None
        finally:
            worker.join()
    if first is None or not second or first.schema != second[0].schema:
        return _parse_csv(whole, names, text, 1)
    return pa.concat_tables([first, second[0]])


def _convert_options(names: list[str], text: set[str]) -> Any:
    """Every cell read as text, exactly as written (no nulls, no numbers): the columns in ``text`` as text,
    the others as codes into a dictionary of their distinct cells. The text is not checked for bad UTF-8
    here, cell by cell, but once parsed (:func:`_plain_cells`), where a coded column has only its distinct
    cells to check.

    A column of a few hundred distinct cells (pay rates, codes, yes/no) is parsed straight into codes: the
    parser then never builds the column of text (about 9 MB a column at a million rows, 110 MB in all) only
    for it to be encoded again, which took longer than the parse. A column with a different cell on every
    row (the ids) is kept as text: coding it would build a hash table of every cell, which grows slower
    than linearly with the file, for nothing.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    coded = pa.dictionary(pa.int32(), pa.string())
    return pcsv.ConvertOptions(column_types={n: pa.string() if n in text else coded for n in names},
                               strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=False)


# How much of the file's start is looked at to tell a column of ids from one of codes (about 800 rows).
_SAMPLE_BYTES = 64 * 1024
# Fewer rows than this in the sample say nothing about which column is which: all are coded.
_SAMPLE_ROWS = 50


def _distinct_looking(data: bytes, header_end: int, names: list[str]) -> set[str]:
    """The columns whose cells are all different over the file's first rows (the ids), to be parsed as text.

    Only a guess about speed: a column parsed as text is encoded later with the same numbering, so
    the figures are the same whatever it says. A sample that does not read as rows of every column says
    nothing. Read by Python's csv module: for some 800 rows quicker than Arrow's parse and count of
    distinct cells per column (about 1 ms against 6, on the way to the parse, which waits for it)."""
    import csv

    if header_end == -1:
        return set()
    stop = data.rfind(b"\n", header_end + 1, header_end + 1 + _SAMPLE_BYTES)
    if stop == -1:
        return set()
    try:
        rows = [row for row in csv.reader(io.StringIO(data[header_end + 1:stop + 1].decode("utf-8"), newline=""))
                if row]
    except (UnicodeDecodeError, csv.Error):
        return set()
    if len(rows) < _SAMPLE_ROWS or any(len(row) != len(names) for row in rows):
        return set()
    return {name for name, cells in zip(names, zip(*rows)) if len(set(cells)) == len(rows)}


def _has_blank_row(arrow_table: Any, spaceless_first: bool = False) -> bool:
    """Whether some row is blank in every cell (the Python reader skips such rows).

    Only rows blank in the first column can be blank rows, and there are usually none, so the
    other columns are looked at only for those. ``spaceless_first``: the first column is text with no
    white space in any cell (:func:`_plain_cells`), so a blank cell there is an empty one.
    """
    import pyarrow as pa

    first = arrow_table.column(0)
    blank = _kernel("equal", first, pa.scalar("")) if spaceless_first else _blank(first)
    if not _any(blank):
        return False
    candidates = _kernel("filter", arrow_table, blank)
    for i in range(1, arrow_table.num_columns):
        # Column i of the rows still in the running (the table shrinks as columns rule rows out).
        blank_here = _blank(candidates.column(i))
        if not _any(blank_here):
            return False
        candidates = _kernel("filter", candidates, blank_here)
    return candidates.num_rows > 0
