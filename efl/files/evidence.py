"""Evidence files: finding them safely, hashing them, and reading CSV tables with positions.

Every file is resolved inside the assessment folder (links included): a path that leads outside it
is an error, never a read. Each file is hashed (sha256) for the result's provenance.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import stat
from collections import Counter
from itertools import compress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from efl.errors import Diagnostic, DiagnosticSink, EvidenceError, InputError
from efl.core.models import CHARACTERISTICS, EvidenceItem
from efl.files.yamlio import decode_text, text_position

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
_POSIX = os.sep == "/" and os.altsep is None
# A control character (below a space, or DEL) in a file name: one search, not a generator over its characters.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
# Physical lines as csv and editors count them (str.splitlines also splits on \f, \x1c-\x1e, \x85, U+2028).
_LINES = re.compile(r"\r\n|\r|\n")


def resolve_inside(folder: Path, relative: str, shown: str, root: Path | None = None) -> Path:
    """Resolve ``relative`` inside ``folder``; refuse absolute paths, ``..`` and links leading out.

    ``root`` is ``folder.resolve()`` when the caller has just worked it out (once for all the files
    of one assessment, never kept from one run to the next: a folder that became a link since must
    be seen as one). Either way the file itself is then read by descriptor (:mod:`efl.files.safe_files`),
    which is the check that holds; this one gives the clear message.
    """
    if not relative or relative.strip() != relative:
        raise InputError(Diagnostic(shown, message=f"'{relative}' is not a usable file name"))
    if _CONTROL.search(relative):
        from efl.files.terminal import visible

        raise InputError(Diagnostic(shown, message=f"'{visible(relative)}' contains a control character such as "
                                    "a NUL (\\0) or a line break (expected a plain file name)"))
    # A name of plain parts ("evidence/pay.csv": no empty part, no "." or "..") has those parts as
    # Path would find them (on POSIX, where "/" is the only separator): no Path is made for it here.
    parts = relative.split("/") if _POSIX else None
    plain = parts is not None and "" not in parts and "." not in parts and ".." not in parts
    candidate = None if plain else Path(relative)
    if (relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":")
            or (candidate is not None and candidate.is_absolute())):
        raise InputError(Diagnostic(shown, message=f"'{relative}' is an absolute path "
                                    "(expected a path inside the assessment folder)"))
    root = folder.resolve() if root is None else root
    target = _plainly_below(root, tuple(parts) if plain else candidate)
    if target is not None:
        return target
    candidate = candidate or Path(relative)
    try:
        target = (root / candidate).resolve()
    except (RuntimeError, OSError):  # a loop of links; the safe read names it
        return root / candidate
    if target != root and root not in target.parents:
        raise InputError(Diagnostic(shown, message=f"'{relative}' leads outside the assessment folder "
                                    "(expected a path inside it; links are followed)"))
    return target


def _plainly_below(root: Path, candidate: Path | tuple[str, ...]) -> Path | None:
    """``(root / candidate).resolve()`` when no part of ``candidate`` is ``..`` or a link and every
    part exists (the usual case), found with one ``lstat`` per part of ``candidate`` instead of one
    per part of the whole absolute path; ``None`` for anything else (``Path.resolve`` decides).

    ``root`` is already resolved, so a path built of existing parts that are not links resolves to
    itself: it is what ``resolve`` returns, and it is inside ``root``. ``candidate`` may be given as its
    parts already.
    """
    parts = candidate if isinstance(candidate, tuple) else candidate.parts
    if not parts or ".." in parts:
        return None
    path = str(root)
    for part in parts:
        path = f"{path}/{part}" if path != "/" else f"/{part}"
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return None
        except (OSError, ValueError):
            return None
    return Path(path)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# From this size a file's sha256 is worked out on a second thread while the file is read into its parsed form
# (hashlib lets go of the interpreter while it hashes): 80 MB take about 70 ms, which that work then hides.
HASH_BESIDE_BYTES = 16 * 1024 * 1024
# The hash is worked out a piece at a time, so that it can wait between pieces (see both_cores_busy).
_HASH_PIECE = 4 * 1024 * 1024


class _CoresBusy:
    """How many parses are under way on both cores (efl.files.columnar parses a large file in two halves at
    once); a hash beside them waits until there are none.

    On two cores the halves and the hash would share them, and the parse, which all else waits for, would
    end later by most of the hash's time (about 35 ms at a million rows); the hash is not wanted until the
    file is read into its parsed form, and is worked out meanwhile on the core that work leaves free.
    """

    def __init__(self) -> None:
        import threading

        self._count = 0
        self._changed = threading.Condition()

    def __enter__(self) -> None:
        with self._changed:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._count -= 1
            self._changed.notify_all()

    def wait(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._count == 0)


both_cores_busy = _CoresBusy()


def _sha256_in_pieces(data: bytes) -> str:
    """``sha256_of(data)``, each piece hashed only when no parse has both cores (:data:`both_cores_busy`)."""
    digest = hashlib.sha256()
    view = memoryview(data)
    for start in range(0, len(view), _HASH_PIECE):
        both_cores_busy.wait()
        digest.update(view[start:start + _HASH_PIECE])
    return digest.hexdigest()


def sha256_soon(data: bytes) -> Callable[[], str]:
    """``sha256_of(data)``, to be collected by calling what this returns; for a large file it is worked
    out beside whatever runs in between (always collect it: the thread is then finished)."""
    if len(data) < HASH_BESIDE_BYTES:
        digest = sha256_of(data)
        return lambda: digest
    import threading

    # The bytes are held in a list the thread empties once hashed: the caller may let go of them meanwhile
    # (at a million staff, 80 MB freed before the columns are worked on, not when the hash is collected).
    held, done = [data], []

    def work() -> None:
        done.append(_sha256_in_pieces(held[0]))
        held.clear()

    worker = threading.Thread(target=work, name="efl-sha256", daemon=True)
    worker.start()
    del data

    def collect() -> str:
        worker.join()
        return done[0] if done else sha256_of(held[0])  # (the thread failed, say for memory: hash here)

    return collect


# --- CSV tables ------------------------------------------------------------------------------------

@dataclass
class Table:
    """A CSV file: normalised column names, rows of text, and where each row and cell starts.

    Lines are counted as ``csv`` and editors count them: ended by ``\\n``, ``\\r\\n`` or ``\\r`` only
    (not by form feeds, U+2028 or the other characters ``str.splitlines`` also splits on), so every
    position matches the file. A record may run over several lines (a quoted cell with a line break);
    :meth:`position` gives the line and column where each of its cells starts.
    """

    path: str
    columns: list[str]
    rows: list[list[str]]
    lines: list[int]
    raw_lines: list[str] = field(repr=False, default_factory=list)
    # Rows that could not be read (wrong number of cells); reported beside the typed-cell errors.
    problems: list[Diagnostic] = field(default_factory=list)
    # The header cells as written (``Bonus Paid (12m to snapshot)``), for messages about columns.
    header: list[str] = field(default_factory=list)
    # The council's own names for columns (``columns:`` of the evidence item): efl's name -> header;
    # and the names the parser asked for (so a name in columns: that nothing reads can be reported).
    column_map: dict[str, str] = field(default_factory=dict)
    wanted: set[str] = field(default_factory=set)
    # Where each cell of the record starting on a line starts, worked out once per line when asked.
    _cells: dict[int, list[tuple[int, int]]] = field(repr=False, compare=False, default_factory=dict)

    def index(self, name: str) -> int | None:
        try:
            return self.columns.index(name)
        except ValueError:
            return None

    def position(self, row: int, column: int) -> tuple[int, int]:
        """1-based (line, column) where cell ``column`` of row ``row`` starts (on a later line if the
        record has a quoted line break before it)."""
        return self.cell_position(self.lines[row], column)

    def cell_position(self, line: int, column: int) -> tuple[int, int]:
        """1-based (line, column) of cell ``column`` of the record that starts on ``line``."""
        cells = self._cells.get(line)
        if cells is None:
            cells = self._cells[line] = _record_cells(self.raw_lines, line)
        return cells[column] if column < len(cells) else (line, 1)

    def col_of(self, row: int, column: int) -> int:
        """1-based character column where cell ``column`` of row ``row`` starts."""
        return self.position(row, column)[1]


def _record_cells(raw_lines: list[str], line: int) -> list[tuple[int, int]]:
    """(line, column) of each cell of the CSV record starting on ``line`` (1-based), as csv reads it."""
    return _scan_record(raw_lines, line)[0]


def _scan_record(raw_lines: list[str], line: int) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """The cells' positions of the record starting on ``line``, and where a quote that is never closed opens.

    A quote opens a quoted field only at the start of a field; elsewhere it is an ordinary character;
    inside a quoted field a doubled quote stands for one quote and a line break continues the record.
    """
    cells = [(line, 1)]
    opened: tuple[int, int] = (line, 1)
    quoted = False
    at_start = True
    index = line - 1
    while index < len(raw_lines):
        text = raw_lines[index]
        i = 0
        while i < len(text):
            ch = text[i]
            if quoted:
                if ch == '"':
                    if text[i + 1:i + 2] == '"':
                        i += 1  # an escaped quote inside the field
                    else:
                        quoted = False
            elif ch == '"' and at_start:
                quoted = True
                opened = (index + 1, i + 1)
            elif ch == ",":
                cells.append((index + 1, i + 2))
                at_start = True
                i += 1
                continue
            at_start = False
            i += 1
        if not quoted:
            break
        index += 1  # a line break inside quotes: the record goes on
    return cells, opened if quoted else None


def _field_column(line: str, index: int) -> int:
    """1-based character column where field ``index`` of one physical line starts (1 if not on it)."""
    offsets = _field_offsets(line)
    return offsets[index] + 1 if index < len(offsets) else 1


def _field_offsets(line: str) -> list[int]:
    """Start offset of each comma-separated field of one physical line, read as ``csv.reader`` does."""
    return [col - 1 for ln, col in _record_cells([line], 1) if ln == 1]


def physical_lines(text: str) -> list[str]:
    """``text`` split at ``\n``, ``\r\n`` and ``\r`` (as :data:`_LINES` splits it); without a ``\r``
    that is ``str.split("\n")``, several times quicker than the pattern."""
    return text.split("\n") if "\r" not in text else _LINES.split(text)


def normalise_column(name: str) -> str:
    """How column names are matched: ``Hourly Pay``, ``hourly-pay`` and ``HOURLY_PAY`` are one name."""
    try:
        return _normalised_names[name]
    except KeyError:
        pass
    except TypeError:  # not text: let the string methods below say so
        return _normalise_column(name)
    found = _normalise_column(name)
    if len(_normalised_names) >= 8192:  # the same few hundred names come back council after council
        _normalised_names.clear()
    _normalised_names[name] = found
    return found


_normalised_names: dict[str, str] = {}


def _normalise_column(name: str) -> str:
    return "_".join(re.split(r"[\s_\-]+", name.strip().lower().replace("\ufeff", ""))).strip("_")


def load_csv(data: bytes, shown: str) -> Table:
    """Read CSV bytes into a :class:`Table`.

    Rows with the wrong number of cells are left out and listed in ``Table.problems``, so that the
    rest of the file can still be checked and every problem reported in one run.
    """
    text = decode_text(data, shown)
    bom = text.find("\ufeff")
    if bom >= 0:
        line, col = text_position(text, bom)
        raise InputError(Diagnostic(shown, line, col, "a byte-order mark (U+FEFF) in the middle of the file: were "
                                    "two exports pasted together? (expected one header row at the top; "
                                    "remove the second header and the invisible mark before it)"))
    raw_lines = physical_lines(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    sink = DiagnosticSink()
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InputError(Diagnostic(shown, 1, 1, "the file has no header row (expected column names on line 1)"))
        columns = [normalise_column(c) for c in header]
        if len(set(columns)) != len(columns):
            header_cells = _record_cells(raw_lines, 1)  # once: a header of 60,000 names stays linear
            seen: dict[str, int] = {}
            for i, name in enumerate(columns):
                if name in seen:
                    line, col = header_cells[i] if i < len(header_cells) else (1, 1)
                    sink.add(shown, line, col, f"column '{name}' appears twice (expected each column once)")
                seen[name] = i
        rows: list[list[str]] = []
        lines: list[int] = []
        start = last = reader.line_num + 1
        # With no quote in the file no record runs over a line break, so each record is one physical
        # line and the next record starts on the next line (csv counts blank lines too): the same lines
        # as asking the reader for line_num after each row, without asking.
        one_line_each = '"' not in text
        width = len(columns)
        records = list(reader) if one_line_each else reader
        if one_line_each and all(map(width.__eq__, map(len, records))) and all(map(str.strip, map("".join, records))):
            # Every record one line, of the header's width, none blank (the usual file): all of them are
            # rows, on the lines that follow the header, as the loop below would find, checked in C.
            rows, lines = records, list(range(start, start + len(records)))
            last = start + len(records) - 1 if records else last
            records = ()
        for row in records:
            if "".join(row).strip():  # some cell is not blank (as any(cell.strip() ...), in C)
                if len(row) != width:
                    sink.add(shown, start, 1, f"row has {len(row)} cells (expected {width}, "
                             "one per column in the header)")
                else:
                    rows.append(row)
                    lines.append(start)
            last = start
            start = start + 1 if one_line_each else reader.line_num + 1
    except csv.Error as exc:
        raise InputError(Diagnostic(shown, reader.line_num, 1, f"CSV error: {exc} (expected well-formed CSV)")) from None
    # Without a quote in the file no cell is quoted, so none can be left open.
    unclosed = _scan_record(raw_lines, last)[1] if last <= len(raw_lines) and not one_line_each else None
    if unclosed:
        # csv takes the rest of the file into that one cell without a word; say where it opened.
        raise InputError(Diagnostic(shown, *unclosed, 'a quoted cell is never closed (expected a closing " '
                                    "before the end of the file)"))
    return Table(shown, columns, rows, lines, raw_lines, sink.items, [c.strip().lstrip("\ufeff") for c in header])


# --- typed columns ---------------------------------------------------------------------------------

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
DECLINED = "prefer not to say"
# Numbers as spreadsheets write them: an optional sign, digits with an optional decimal point. A
# comma is read only as a thousands separator in groups of three (1,234.50); anything else with a
# comma is most likely a decimal comma (21,40) and is refused rather than guessed.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# Above this a figure is surely a mistake (or an exponent like 1e308) and would overflow sums.
LARGEST_NUMBER = 1e12


class CellError(ValueError):
    """A cell that cannot be read, with what to write instead (replaces the column's usual hint)."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def parse_decimal(text: str, percent: bool = False) -> float:
    """A number as people write it in a spreadsheet: ``14.25``, ``£1,234.50``, and ``20.3%`` for a percentage."""
    word = text.strip().replace("\u00a3", "", 1).strip() if text.strip().startswith("\u00a3") else text.strip()
    if percent and word.endswith("%"):
        word = word[:-1].rstrip()
    if "," in word:
        if not _THOUSANDS.fullmatch(word):
            raise CellError(f"a number with a decimal point, such as {word.replace(',', '.', 1)} (a comma is "
                            "read only as a thousands separator, as in 1,234.50)")
        word = word.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(word):
        raise ValueError(word)
    value = float(word)
    if abs(value) >= LARGEST_NUMBER:
        raise CellError(f"a number below {LARGEST_NUMBER:,.0f}")
    return value


def parse_percent(text: str) -> float:
    return parse_decimal(text, percent=True)


def parse_count(text: str) -> int:
    value = parse_decimal(text)
    if value != int(value) or "." in text.strip().rstrip("0").rstrip("."):
        raise ValueError(text)
    return int(value)


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError


def parse_date(text: str) -> dt.date:
    """A date cell as spreadsheets write it (``2025-10-14``, ``14/10/2025`` day first, ``14 Oct 2025``)."""
    from efl.files.cell_dates import read_date

    return read_date(text)


@dataclass(frozen=True)
class Column:
    """One column of an evidence CSV: how to read a cell, and what to say when it is wrong.

    :param name: the column's name in the header (matched as :func:`normalise_column` says).
    :param kind: ``text``, ``decimal``, ``count``, ``bool``, ``date``, ``characteristic`` or ``percent``.
    :param required: the column must be in the header and no cell may be empty.
    :param default: the value of an empty cell (and of every cell when the column is absent).
    :param aliases: other names the column may have (``gender`` for ``sex``).
    :param minimum: the smallest number allowed (numbers only; None for no minimum).
    """

    name: str
    kind: str = "text"  # text | decimal | count | bool | date | characteristic | percent
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    minimum: float | None = 0

    def expected(self) -> str:
        return _KINDS[self.kind][1]

    def noun(self) -> str:
        return _KINDS[self.kind][0]


# Per column kind: what a bad cell "is not", and what was expected instead.
_KINDS = {
    "decimal": ("a number", "a number such as 14.25"),
    "percent": ("a number", "a percentage from 0 to 100"),
    "count": ("a whole number", "a whole number such as 12"),
    "bool": ("true or false", "true or false"),
    "date": ("a valid date", "a date such as 2025-10-14, 14/10/2025 or 14 October 2025"),
    "characteristic": ("a characteristic", "a protected characteristic id such as age or race"),
    "text": ("text", "text"),
}

_PARSERS: dict[str, Callable[[str], Any]] = {
    "text": str.strip,
    "decimal": parse_decimal,
    "percent": parse_percent,
    "count": parse_count,
    "bool": parse_bool,
    "date": parse_date,
}


@dataclass
class Columns:
    """A table read column by column: each column's typed values, one per row, in row order.

    ``present`` names the columns (by their :class:`Column` name) that were in the header; a column
    that was not has every value set to its default. ``lines`` gives each row's line in the file.
    """

    values: dict[str, list[Any]]
    present: set[str]
    lines: list[int]
    warnings: list[Diagnostic] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)


class Records(list):
    """The rows :func:`read_records` gives, with the warnings reading them raised (dates that could
    be read either way): an evidence type that returns them as its parsed form passes the warnings on."""

    def __init__(self, rows: list[dict[str, Any]], warnings: list[Diagnostic] | None = None):
        super().__init__(rows)
        self.warnings = list(warnings or [])


def find_columns(table: Table, columns: list[Column], sink: DiagnosticSink) -> dict[str, int]:
    """Where each wanted column is in the header; a missing required one is an error with a hint.

    The council's own names (``columns:`` of the evidence item, which efl puts on the table as
    ``column_map``) come first: ``columns: {bonus_pay: "Bonus Paid (12m to snapshot)"}``.
    """
    where: dict[str, int] = {}
    mapped = column_map_of(table)
    wanted = getattr(table, "wanted", None)
    if isinstance(wanted, set):
        wanted.update(spec.name for spec in columns)
    for spec in columns:
        if spec.name in mapped:
            i = table.index(normalise_column(mapped[spec.name]))
            if i is not None:
                where[spec.name] = i
                continue
        for name in (spec.name, *spec.aliases):
            i = table.index(normalise_column(name))
            if i is not None and i not in _mapped_positions(table, mapped):
                where[spec.name] = i
                break
        else:
            if spec.required:
                sink.add(table.path, 1, 1, f"column '{spec.name}' is missing (expected it in the header row"
                         f"{_column_hint(spec, table.columns)})")
    return where


def column_map_of(table: Any) -> dict[str, str]:
    """The council's own column names for this table (efl's name -> the header as written)."""
    return {normalise_column(k): v for k, v in (getattr(table, "column_map", None) or {}).items()}


def _mapped_positions(table: Any, mapped: dict[str, str]) -> set[int]:
    # A header the council mapped to one column is not also read as another by its alias.
    return {i for i in (table.index(normalise_column(h)) for h in mapped.values()) if i is not None}


def written_header(table: Any, i: int) -> str:
    """Header cell ``i`` as the file writes it (``Bonus Paid (12m to snapshot)``)."""
    header = getattr(table, "header", None) or []
    return header[i] if i < len(header) and header[i] else table.columns[i]


def _column_hint(spec: Column, header: list[str]) -> str:
    import difflib

    known = set(header)
    guess = difflib.get_close_matches(spec.name, [c for c in header if c], n=1, cutoff=0.7)
    if guess and guess[0] in known:
        return f"; did you mean '{guess[0]}'?"
    return ""


def read_columns(table: Table, columns: list[Column], characteristics: tuple[str, ...] = CHARACTERISTICS,
                 sink: DiagnosticSink | None = None) -> Columns:
    """Read and check the wanted columns of ``table``, a column at a time.

    Each column is checked by reading each *distinct* cell once (an HR export has a few hundred pay
    rates and a handful of codes among tens of thousands of rows), then mapping every row through
    that small table, which runs at C speed. Only a column with a bad value is walked row by row,
    to give each bad cell its line and column. Raises :class:`EvidenceError` with every bad cell
    (into ``sink`` instead, if one is given). Blank cells take the column default.
    """
    own_sink = sink is None
    sink = sink if sink is not None else DiagnosticSink()
    where = find_columns(table, columns, sink)
    if own_sink:
        sink.raise_if_any()
    characteristic_set = set(characteristics)
    values: dict[str, list[Any]] = {}
    warnings: list[Diagnostic] = []
    order = _date_order(table, [where[c.name] for c in columns if c.kind == "date" and c.name in where], warnings)
    for spec in columns:
        if spec.name not in where:
            values[spec.name] = [spec.default] * row_count(table)
            continue
        i = where[spec.name]
        column = encoded_column(table, i)
        meanings: list[Any] = []
        bad: dict[int, str] = {}  # code -> message
        memo = _checked_cells(spec, characteristics, order) if spec.kind != "text" else None
        for code, cell in enumerate(column.distinct):
            text = cell.strip()
            if not text:
                if spec.required:
                    bad[code] = f"{spec.name}: the cell is empty (expected {spec.expected()})"
                meanings.append(spec.default)
            elif spec.kind == "text":
                meanings.append(text)
            else:
                checked = memo.get(text) if memo is not None else None
                if checked is None:
                    checked = _check_cell(spec, text, characteristic_set, characteristics, order)
                    if memo is not None:
                        if len(memo) >= _CHECKED_PER_COLUMN:
                            memo.clear()
                        memo[text] = checked
                if isinstance(checked, str):
                    bad[code] = checked
                    meanings.append(None)
                else:
                    meanings.append(checked[0])
        if bad:
            for r in column.rows_with(set(bad)):
                sink.add(table.path, *table.position(r, i), bad[column.code_at(r)])
        values[spec.name] = column.map(meanings)
    if own_sink and sink:
        raise EvidenceError(sink.items)
    return Columns(values, set(where), _lines_if_known(table), warnings)


def _date_order(table: Any, positions: list[int], warnings: list[Diagnostic]) -> Any:
    """Day first or month first for every date column of the table, settled by all of them together."""
    from efl.files.cell_dates import DateOrder, ambiguity_warning, settle_order

    if not positions:
        return DateOrder()
    cells = [cell for i in positions for cell in encoded_column(table, i).distinct]
    order = settle_order(cells)
    if order.ambiguous:
        # The first row (in the file) holding an ambiguous date: the same warning on every run.
        from efl.files.cell_dates import settle_order as _settle

        firsts = []
        for i in positions:
            column = encoded_column(table, i)
            codes = {k for k, c in enumerate(column.distinct) if _settle([c]).ambiguous}
            if codes:
                firsts.append((column.rows_with(codes)[0], i))
        r, i = min(firsts)
        column = encoded_column(table, i)
        order = type(order)(order.day_first, True, column.distinct[column.code_at(r)].strip())
        warnings.append(Diagnostic(table.path, *table.position(r, i),
                                   ambiguity_warning(order, table.columns[i]), "warning"))
    elif not order.day_first:
        i = positions[0]
        warnings.append(Diagnostic(table.path, 1, header_column(table, i),
                                   f"{table.columns[i]}: the dates are written month first (a date such as 10/14/2025 "
                                   "has no 14th month), so efl read them that way (expected day first, as in "
                                   "14/10/2025, or YYYY-MM-DD)", "warning"))
    return order


def row_count(table: Any) -> int:
    """How many rows a table has (a column-wise table knows without building rows)."""
    if type(table) is Table:  # (a Table has no len: asking hasattr raises and catches an error each time)
        return len(table.rows)
    return len(table) if hasattr(table, "__len__") else len(table.rows)


def _lines_if_known(table: Any) -> list[int]:
    # A column-wise table numbers lines only when asked (it reads the file again to do so).
    return table.lines if isinstance(table, Table) else _LazyLines(table)


class _LazyLines:
    """Line numbers of a column-wise table, worked out on first use."""

    def __init__(self, table: Any):
        self._table = table

    def __getitem__(self, r):  # noqa: ANN001, ANN204
        return self._table.lines[r]

    def __len__(self) -> int:
        return row_count(self._table)

    def __iter__(self):  # noqa: ANN204
        return iter(self._table.lines)


class EncodedColumn:
    """A column as its distinct cells and, per row, which of them it holds (an index into ``distinct``).

    Checks read each distinct cell once and then map or count the codes, which is done in C: a
    list of codes here, an Arrow array in :class:`efl.files.columnar.ArrowColumn`.
    """

    def __init__(self, distinct: list[str], codes: list[int]):
        self.distinct = distinct
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def map(self, meanings: list[Any]) -> list[Any]:
        """Each row's meaning, given the meaning of each distinct cell."""
        return list(map(meanings.__getitem__, self.codes))

    def tally(self, where: list[bool] | None = None) -> Counter:
        """How many rows hold each distinct cell (by code), of all rows or of those ``where`` is true."""
        return Counter(self.codes if where is None else compress(self.codes, where))

    def rows_with(self, codes: set[int], other: EncodedColumn | None = None, other_codes: set[int] = frozenset()
                  ) -> list[int]:
        """The rows (0-based, in order) holding any of ``codes``, and, if ``other`` is given, any of
        ``other_codes`` in that column (a column of the same table)."""
        if other is None:
            return [r for r, code in enumerate(self.codes) if code in codes]
        return [r for r, (a, b) in enumerate(zip(self.codes, other.codes)) if a in codes and b in other_codes]

    def code_at(self, row: int) -> int:
        return self.codes[row]


def encoded_column(table: Any, i: int) -> EncodedColumn:
    """Column ``i`` of a table as distinct cells and codes: every check reads each distinct cell once."""
    if type(table) is not Table and hasattr(table, "encode_column"):  # (a Table has none: hasattr would raise)
        return table.encode_column(i)
    cache = table.__dict__.setdefault("_encoded", {})
    if i not in cache:
        cells = column_cells(table, i)
        distinct = list(set(cells))
        position = {cell: k for k, cell in enumerate(distinct)}
        cache[i] = EncodedColumn(distinct, list(map(position.__getitem__, cells)))
    return cache[i]


def header_column(table: Any, k: int) -> int:
    """1-based character column where header cell ``k`` starts (for a warning about a column name)."""
    line = getattr(table, "header_line", None)  # a column-wise table keeps its first line: no second read
    if line is None:
        exact = table.exact() if hasattr(table, "exact") else table
        line = exact.raw_lines[0] if exact.raw_lines else None
    return _field_column(line, k) if line is not None else 1


def unique_and_filled(table: Any, i: int) -> bool:
    """Whether column ``i`` has a distinct, non-blank value (spaces aside) on every row."""
    if hasattr(table, "unique_and_filled"):
        return table.unique_and_filled(i)
    stripped = [cell.strip() for cell in column_cells(table, i)]
    return "" not in stripped and len(set(stripped)) == len(stripped)


def column_cells(table: Table, i: int) -> tuple[str, ...]:
    """The raw cells of column ``i``, one per row; the table is turned into columns once, in C."""
    transposed = table.__dict__.get("_columns")
    if transposed is None:
        transposed = list(zip(*table.rows)) if table.rows else [() for _ in table.columns]
        table.__dict__["_columns"] = transposed
    return transposed[i] if i < len(transposed) else ()


# What each distinct cell of a column reads as, kept for the process: a national batch meets the same
# pay rates, counts, yes/no words and dates in every council's files. The answer depends only on the
# column's spec (by value: a plugin makes its Column list afresh on every call), the characteristics
# allowed and the date order, so those are the key; answers are values or messages, never changed.
# tests/test_csv_small_reader.py compares kept answers with _check_cell's.
_CHECKED: dict[tuple, dict[str, Any]] = {}
_CHECKED_COLUMNS = 512
_CHECKED_PER_COLUMN = 4096


def _checked_cells(spec: Column, characteristics: tuple[str, ...], order: Any) -> dict[str, Any] | None:
    """The kept answers for one column's cells, or None when its spec cannot be a key (unhashable)."""
    key = (spec, tuple(characteristics), order)
    try:
        memo = _CHECKED.get(key)
    except TypeError:
        return None
    if memo is None:
        if len(_CHECKED) >= _CHECKED_COLUMNS:
            _CHECKED.clear()
        memo = _CHECKED[key] = {}
    return memo


def _check_cell(spec: Column, text: str, characteristic_set: set[str], characteristics: tuple[str, ...],
                order: Any = None) -> tuple[Any] | str:
    """``(value,)`` for a good non-empty cell, or the message for a bad one."""
    if spec.kind == "date":
        from efl.files.cell_dates import DateOrder, read_date

        try:
            return (read_date(text, order or DateOrder()),)
        except ValueError as exc:
            return f"{spec.name}: '{text}' is not a valid date (expected {exc})"
    if spec.kind == "characteristic":
        value = normalise_characteristic(text)
        if value not in characteristic_set:
            return (f"{spec.name}: '{text}' is not a characteristic (expected one of: "
                    f"{', '.join(characteristics)})")
        return (value,)
    try:
        value = _PARSERS[spec.kind](text)
    except CellError as exc:
        return f"{spec.name}: '{text}' is not {spec.noun()} (expected {exc.expected})"
    except (ValueError, ArithmeticError):
        return f"{spec.name}: '{text}' is not {spec.noun()} (expected {spec.expected()})"
    if spec.minimum is not None and spec.kind in ("decimal", "count", "percent") and value < spec.minimum:
        return f"{spec.name}: {text} is below {spec.minimum:g} (expected {spec.expected()}, not negative)"
    if spec.kind == "percent" and value > 100:
        return f"{spec.name}: {text} is over 100 (expected {spec.expected()})"
    return (value,)


def read_records(table: Table, columns: list[Column], characteristics: tuple[str, ...] = CHARACTERISTICS
                 ) -> tuple[list[dict[str, Any]], list[int]]:
    """Read every row of ``table`` into a dict keyed by column name, checking each typed cell.

    Returns the records and their line numbers; raises :class:`EvidenceError` with every bad cell.
    Columns not asked for are ignored; blank cells take the column default, and so does every cell
    of an optional column the file does not have. Large tables read faster with :func:`read_columns`.
    """
    read = read_columns(table, columns, characteristics)
    # Every declared column is a key of every record: an optional column the file lacks gives its
    # default (None if it has none), so a parser never meets a missing key.
    names = [spec.name for spec in columns]
    records = [dict(zip(names, row)) for row in zip(*(read.values[n] for n in names))] if names else \
        [{} for _ in range(row_count(table))]
    return Records(records, read.warnings), table.lines


# The Census's and HR systems' names for what the protected characteristics are recorded as.
_CHARACTERISTIC_WORDS = {
    "ethnicity": "race", "ethnic_group": "race", "ethnic_origin": "race", "religion_belief": "religion_or_belief",
    "religion": "religion_or_belief", "religion_or_belief": "religion_or_belief", "religion_and_belief": "religion_or_belief",
    "gender": "sex", "marriage": "marriage_civil_partnership", "marriage_and_civil_partnership": "marriage_civil_partnership",
    "marital_status": "marriage_civil_partnership", "legal_partnership_status": "marriage_civil_partnership",
    "marital_and_civil_partnership_status": "marriage_civil_partnership", "civil_partnership": "marriage_civil_partnership",
    "pregnancy_and_maternity": "pregnancy_maternity", "pregnancy": "pregnancy_maternity", "maternity": "pregnancy_maternity",
    "gender_identity": "gender_reassignment", "trans_status": "gender_reassignment", "sexuality": "sexual_orientation",
    "disabled": "disability", "disability_status": "disability", "age_band": "age", "age_group": "age",
}


def normalise_characteristic(text: str) -> str:
    """A characteristic's id from the ways people name it (``Ethnic group`` is race, ``Gender identity``
    gender reassignment, ``Legal partnership status`` marriage and civil partnership).

    Kept per text, as :func:`normalise_column` is: the same few names come back in every council's
    files (two patterns each, about 25 a small council)."""
    if type(text) is str:
        found = _characteristic_names.get(text)
        if found is None:
            if len(_characteristic_names) >= 8192:
                _characteristic_names.clear()
            found = _characteristic_names[text] = _normalise_characteristic(text)
        return found
    return _normalise_characteristic(text)


_characteristic_names: dict[str, str] = {}


def _normalise_characteristic(text: str) -> str:
    # "Ethnic group (20 categories)", as ONS names its variables, is the ethnic group.
    bare = re.sub(r"\([^)]*\)", " ", text)
    word = "_".join(re.split(r"[\s_\-]+", bare.strip().lower())).strip("_")
    return _CHARACTERISTIC_WORDS.get(word, word)


def is_recorded(cell: Any) -> bool:
    """A person's characteristic cell counts as a group only if filled in and neither "not recorded"
    nor declined (see :mod:`efl.workforce.groups` for the words)."""
    from efl.workforce.groups import DEFAULT_VOCABULARY, GROUP

    return isinstance(cell, str) and DEFAULT_VOCABULARY.read("", cell).kind == GROUP and bool(cell.strip())


# --- the evidence of one assessment ----------------------------------------------------------------

@dataclass
class EvidenceRecord:
    """One evidence item with its file's hash, the read document and the type's parsed form."""

    item: EvidenceItem
    path: Path | None
    shown: str
    sha256: str | None
    document: Any = None
    parsed: Any = None
    withheld: bool = False  # a personal file left out of an evidence pack (see efl/peer/pack.py)
    # The other evidence types this item stands in for (its type's ``provides``): it is listed under them too.
    provides: tuple[str, ...] = ()


@dataclass
class EvidenceSet:
    """All evidence of an assessment, by id and by type (newest first within a type). An item whose type
    stands in for another (``EvidenceType.provides``) is listed under that type as well."""

    records: list[EvidenceRecord]

    def __post_init__(self) -> None:
        self._by_type: dict[str, list[EvidenceRecord]] = {}
        for record in self.records:
            for kind in dict.fromkeys((record.item.type, *record.provides)):
                self._by_type.setdefault(kind, []).append(record)
        for items in self._by_type.values():
            items.sort(key=lambda r: (r.item.date, r.item.id), reverse=True)

    def items_of(self, type_name: str) -> list[EvidenceRecord]:
        return list(self._by_type.get(type_name, []))

    def latest(self, type_name: str) -> EvidenceRecord | None:
        items = self._by_type.get(type_name)
        return items[0] if items else None

    def __iter__(self) -> Iterator[EvidenceRecord]:
        return iter(self.records)


def file_size_limit() -> int:
    """The largest evidence file read, in bytes (``EFL_MAX_FILE_MB`` changes it; a bad value is refused)."""
    from efl.files.safe_files import max_file_bytes

    return max_file_bytes(DEFAULT_MAX_FILE_BYTES)
