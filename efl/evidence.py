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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import Diagnostic, DiagnosticSink, EvidenceError, InputError
from .models import CHARACTERISTICS, EvidenceItem
from .yamlio import decode_text, text_position

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
# Physical lines as csv and editors count them (str.splitlines also splits on \f, \x1c-\x1e, \x85, U+2028).
_LINES = re.compile(r"\r\n|\r|\n")


def resolve_inside(folder: Path, relative: str, shown: str) -> Path:
    """Resolve ``relative`` inside ``folder``; refuse absolute paths, ``..`` and links leading out."""
    if not relative or relative.strip() != relative:
        raise InputError(Diagnostic(shown, message=f"'{relative}' is not a usable file name"))
    if any(ord(ch) < 32 or ch == "\x7f" for ch in relative):
        from .terminal import visible

        raise InputError(Diagnostic(shown, message=f"'{visible(relative)}' contains a control character such as "
                                    "a NUL (\\0) or a line break (expected a plain file name)"))
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        raise InputError(Diagnostic(shown, message=f"'{relative}' is an absolute path "
                                    "(expected a path inside the assessment folder)"))
    root = folder.resolve()
    try:
        target = (root / candidate).resolve()
    except (RuntimeError, OSError):  # a loop of links; the safe read names it
        return root / candidate
    if target != root and root not in target.parents:
        raise InputError(Diagnostic(shown, message=f"'{relative}' leads outside the assessment folder "
                                    "(expected a path inside it; links are followed)"))
    return target


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def normalise_column(name: str) -> str:
    return name.strip().lower()


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
    raw_lines = _LINES.split(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    sink = DiagnosticSink()
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InputError(Diagnostic(shown, 1, 1, "the file has no header row (expected column names on line 1)"))
        columns = [normalise_column(c) for c in header]
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
        for row in reader:
            if row and any(cell.strip() for cell in row):
                if len(row) != len(columns):
                    sink.add(shown, start, 1, f"row has {len(row)} cells (expected {len(columns)}, "
                             "one per column in the header)")
                else:
                    rows.append(row)
                    lines.append(start)
            last = start
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(Diagnostic(shown, reader.line_num, 1, f"CSV error: {exc} (expected well-formed CSV)")) from None
    unclosed = _scan_record(raw_lines, last)[1] if last <= len(raw_lines) else None
    if unclosed:
        # csv takes the rest of the file into that one cell without a word; say where it opened.
        raise InputError(Diagnostic(shown, *unclosed, 'a quoted cell is never closed (expected a closing " '
                                    "before the end of the file)"))
    return Table(shown, columns, rows, lines, raw_lines, sink.items)


# --- typed columns ---------------------------------------------------------------------------------

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
DECLINED = "prefer not to say"


def parse_decimal(text: str) -> float:
    value = float(text.replace(",", "").lstrip("£"))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError
    return value


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


@dataclass(frozen=True)
class Column:
    """One column of an evidence CSV: how to read a cell, and what to say when it is wrong."""

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
    "date": ("a valid date", "a date written as YYYY-MM-DD"),
    "characteristic": ("a characteristic", "a protected characteristic id such as age or race"),
    "text": ("text", "text"),
}

_PARSERS: dict[str, Callable[[str], Any]] = {
    "text": str.strip,
    "decimal": parse_decimal,
    "percent": parse_decimal,
    "count": lambda s: int(s.strip()),
    "bool": parse_bool,
    "date": parse_date,
}


def read_records(table: Table, columns: list[Column], characteristics: tuple[str, ...] = CHARACTERISTICS
                 ) -> tuple[list[dict[str, Any]], list[int]]:
    """Read every row of ``table`` into a dict keyed by column name, checking each typed cell.

    Returns the records and their line numbers; raises :class:`EvidenceError` with every bad cell.
    Unknown columns are kept (as text) and otherwise ignored; blank cells take the column default.
    """
    sink = DiagnosticSink()
    where: dict[str, int] = {}
    for spec in columns:
        for name in (spec.name, *spec.aliases):
            i = table.index(name)
            if i is not None:
                where[spec.name] = i
                break
        else:
            if spec.required:
                sink.add(table.path, 1, 1, f"column '{spec.name}' is missing (expected it in the header row)")
    sink.raise_if_any()
    parsers = [(spec, where[spec.name], _PARSERS.get(spec.kind)) for spec in columns if spec.name in where]
    characteristic_set = set(characteristics)
    records: list[dict[str, Any]] = []
    for r, row in enumerate(table.rows):
        record: dict[str, Any] = {}
        for spec, i, parse in parsers:
            cell = row[i].strip()
            if not cell:
                if spec.required:
                    sink.add(table.path, *table.position(r, i),
                             f"{spec.name}: the cell is empty (expected {spec.expected()})")
                record[spec.name] = spec.default
                continue
            if spec.kind == "characteristic":
                value = normalise_characteristic(cell)
                if value not in characteristic_set:
                    sink.add(table.path, *table.position(r, i),
                             f"{spec.name}: '{cell}' is not a characteristic (expected one of: "
                             f"{', '.join(characteristics)})")
                record[spec.name] = value
                continue
            try:
                value = parse(cell)
            except (ValueError, ArithmeticError):
                sink.add(table.path, *table.position(r, i),
                         f"{spec.name}: '{cell}' is not {spec.noun()} (expected {spec.expected()})")
                continue
            if spec.minimum is not None and spec.kind in ("decimal", "count", "percent") and value < spec.minimum:
                sink.add(table.path, *table.position(r, i),
                         f"{spec.name}: {cell} is below {spec.minimum:g} (expected {spec.expected()}, not negative)")
            if spec.kind == "percent" and value > 100:
                sink.add(table.path, *table.position(r, i),
                         f"{spec.name}: {cell} is over 100 (expected {spec.expected()})")
            record[spec.name] = value
        records.append(record)
    if sink:
        raise EvidenceError(sink.items)
    return records, table.lines


def normalise_characteristic(text: str) -> str:
    word = text.strip().lower().replace(" ", "_").replace("-", "_")
    return {"ethnicity": "race", "religion_belief": "religion_or_belief", "religion": "religion_or_belief",
            "gender": "sex", "marriage": "marriage_civil_partnership",
            "pregnancy": "pregnancy_maternity"}.get(word, word)


def is_recorded(cell: Any) -> bool:
    """A person's characteristic cell counts as a group only if filled in and not declined."""
    return isinstance(cell, str) and bool(cell.strip()) and cell.strip().lower() != DECLINED


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


@dataclass
class EvidenceSet:
    """All evidence of an assessment, by id and by type (newest first within a type)."""

    records: list[EvidenceRecord]

    def __post_init__(self) -> None:
        self._by_type: dict[str, list[EvidenceRecord]] = {}
        for record in self.records:
            self._by_type.setdefault(record.item.type, []).append(record)
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
    from .safe_files import max_file_bytes

    return max_file_bytes(DEFAULT_MAX_FILE_BYTES)
