"""Reading a table plan (CSV, or a workbook's sheet) column by column, for plans of thousands of lines.

:func:`efl.plan.action_plan.plan_from_table` reads a row at a time: a dict of the row's cells, each
cell turned into its field by its kind, then a pydantic model built and validated for the line
(and one for each of its notes). For a plan of 5,000 lines that was most of what ``efl progress``
spent reading it. Here each column is turned into its field once, as a column (a status, a date or
a lead written the same way on many lines is read once), every check pydantic would make on a line
is made on the column (an id's pattern, a status, a whole number, an action that is not empty; the
dates and notes are read by the same functions as cell by cell), and each line and note is then
made straight from its values, as pydantic's own ``model_construct`` makes a model, without
validating again what has been checked.

Only the plain case is read here: every column holds one field and has a heading, every row has a
cell in every column, every line has an id, and nothing is wrong with any cell. For anything else
(a problem to report, a shared cell, a row with no id that is not an objective's own row, a heading
efl does not know) these functions return None and the caller reads the table cell by cell, which
says exactly what it always said. ``tests/test_plan_columns.py`` compares the two, line by line and
field by field (which fields were given included), on generated plans and awkward cells.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any, Sequence

from pydantic import ValidationError

from efl.core.identifiers import ID_PATTERN
from efl.errors import DiagnosticSink
from efl.plan.plan_model import (_CELL_KINDS, _NOTE_HEAD, NOTE_SPACE, STATUSES, Plan, PlanLine, PlanNote,
                                 PlanObjective, _date_from, _needs_positions, _note_data, _PositionsWanted, _text,
                                 check_plan, normalise_status, objective_of, plan_layout)

_ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))  # used with fullmatch, as pydantic's ^...$
_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")  # a whole number as pydantic reads it, written plainly
_LINE_FIELDS = tuple(PlanLine.model_fields)  # a line's values in the model's order, as validation gives them
_DEFAULTS = {name: field.default for name, field in PlanLine.model_fields.items()}
_set = object.__setattr__
_new = object.__new__


class _NotPlain(Exception):
    """A cell or row the column-wise reading does not take: the table is read cell by cell instead."""


def made(model: type, values: dict[str, Any], fields_set: set[str]) -> Any:
    """A model instance from values already checked, as pydantic's ``model_construct`` makes one (its
    four slots set; the model has no extra fields and no private attributes), without its per-field
    loop: ``values`` holds every field, in the model's order."""
    instance = object.__new__(model)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", fields_set)
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def quoted_columns(text: str) -> tuple[list[str], list[list[str]]] | None:
    """The header and the columns of the other rows, as ``csv.reader`` reads them from the text, of a
    table in which every cell is quoted, none holds a quote and every row has as many cells as the
    header, as efl writes its CSV; None for any other text (``csv.reader`` reads it). A plan of
    thousands of lines is megabytes: split where cells end, not read a character at a time.

    What lies between two cells of a row is then ``","`` and between two rows a quote, the line
    ending and a quote (no cell holds a quote, so neither can be inside one). The text is split once,
    where cells end: each row's last cell and the next row's first are then one piece, cut in two
    where the rows meet. (Splitting into rows first, then joining and splitting them again, made two
    more copies of the whole text, which for a plan of megabytes cost more in fresh memory than the
    splitting itself.) The pieces are where they must be when every row has as many cells as the
    header: each piece where two rows meet holds exactly one row break, and the text holds no other;
    and a text whose quotes are then exactly two for each cell holds no quote inside a cell: its
    cells are what csv.reader finds.
    """
    if not text.startswith('"') or len(text) < 2:
        return None
    if text.endswith('"\r\n'):
        ending = '"\r\n'
    elif text.endswith('"\n'):
        ending = '"\n'
    else:
        return None
    between_rows = ending + '"'
    header_end = text.find(between_rows)
    if header_end == -1:
        return None  # (one row: csv.reader reads it)
    width = text.count('","', 0, header_end) + 1
    rows = text.count(between_rows) + 1
    if width == 1:
        cells = text[1:-len(ending)].split(between_rows)
        if text.count('"') != 2 * len(cells) or max(map(len, cells)) > csv.field_size_limit():
            return None
        return cells[:1], [cells[1:]]
    quotes = text.count('"')
    if quotes > 2 * rows * width:
        return None  # a quote inside a cell (a cell's quote adds two), which csv.reader reads
    if quotes < 2 * rows * width:
        # Fewer than the rows counted need: a cell that starts or ends with a line end ("\n" alone)
        # holds what looks like a row break. Split into rows first, then.
        return _by_rows(text, ending)
    step = width - 1  # pieces from the start of one row's second cell to the next's
    pieces = text.split('","')
    meet = [piece.split(between_rows) for piece in pieces[step:rows * step:step]]
    if len(pieces) != rows * step + 1 or any(len(halves) != 2 for halves in meet) or \
            not pieces[0].startswith('"') or not pieces[-1].endswith(ending):
        # A row whose first cell is a comma: the quote that opens the row, the comma and the quote that
        # closes the cell read as the end of a cell. Split into rows first, then.
        return _by_rows(text, ending)
    if max(map(len, pieces)) > csv.field_size_limit():
        return None  # (csv.reader refuses a cell longer than that; a piece is at most two cells)
    header = [pieces[0][1:], *pieces[1:step], meet[0][0]]
    last = [halves[0] for halves in meet[1:]]
    last.append(pieces[-1][:-len(ending)])
    columns = [[halves[1] for halves in meet], *(pieces[step + j::step] for j in range(1, step)), last]
    return header, columns


def _by_rows(text: str, ending: str) -> tuple[list[str], list[list[str]]] | None:
    """:func:`quoted_columns` the slower way: the rows split apart first, then their cells."""
    rows = text[1:-len(ending)].split(ending + '"')
    width = rows[0].count('","') + 1
    if any(row.count('","') != width - 1 for row in rows) or max(map(len, rows)) > csv.field_size_limit():
        return None
    cells = '","'.join(rows).split('","')
    if text.count('"') != 2 * len(cells):
        return None
    return cells[:width], [cells[j::width] for j in range(width, 2 * width)]


def read_csv_columns(text: str, shown: str) -> Plan | None:
    """:func:`efl.plan.action_plan.read_csv_text`'s plan, read column by column; None: read it cell by cell."""
    quick = quoted_columns(text)
    if quick is not None:
        first, by_column = quick
        size = len(by_column[0])
    else:
        table = list(csv.reader(io.StringIO(text, newline="")))
        if len(table) < 2:
            return None
        first, body = table[0], table[1:]
        if {len(row) for row in body} != {len(first)}:
            return None
        by_column, size = zip(*body), len(body)
    # As read_csv_text and plan_from_table make the header: the formula quote off, NFC, stripped.
    header = [unicodedata.normalize("NFC", c[1:] if c.startswith("'") else c).strip() for c in first]
    columns = []
    for cells in by_column:
        # Each column tested whole, its cells joined by NUL: a cell starts with the quote that
        # protects a formula (taken off, as _unprotect does) only where a quote starts the column or
        # follows a NUL (a NUL inside a cell, which decoding refuses anyway, only means each cell is looked at).
        joined = "\x00".join(cells)
        if "\x00'" in joined or joined.startswith("'"):
            cells = tuple(c[1:] if c.startswith("'") else c for c in cells)
        if not joined.isascii():  # (ASCII text is its own NFC form)
            cells = tuple(c if c.isascii() else unicodedata.normalize("NFC", c) for c in cells)
        columns.append(cells)
    return plan_from_columns(header, columns, size, shown, texts=True)


def plan_from_rows(header: list[str], rows: Sequence[Sequence[Any]], shown: str, col_offset: int = 1,
                   own: list[str] | None = None) -> Plan | None:
    """:func:`efl.plan.action_plan.plan_from_table`'s plan from rows of cells (text in NFC already, the
    header too), read column by column; None: read it cell by cell."""
    if not rows or {len(row) for row in rows} != {len(header)}:
        return None
    return plan_from_columns(header, [list(cells) for cells in zip(*rows)], len(rows), shown, col_offset, own)


def plan_from_columns(header: list[str], columns: list[Sequence[Any]], size: int, shown: str, col_offset: int = 1,
                      own: list[str] | None = None, texts: bool = False) -> Plan | None:
    """The plan of a table given as its columns (``size`` rows each, text in NFC), or None when the
    table is not plain (see the module's docstring). ``texts``: every cell is text (a CSV file's)."""
    if "Id" not in header or not all(header):
        return None
    sink = DiagnosticSink()
    plan_columns, layout = plan_layout(header, shown, col_offset, own, sink)
    if sink.items or any(fields is not None and len(fields) != 1 for fields in layout):
        return None
    cells = {fields[0]: column for fields, column in zip(layout, columns) if fields is not None}
    try:
        return _plan(plan_columns, cells, size, texts)
    except (_NotPlain, ValueError, ValidationError, _PositionsWanted):
        return None


def _plan(plan_columns: list, cells: dict[str, Sequence[Any]], size: int, texts_only: bool) -> Plan:
    ids = [_text(c).strip() for c in cells["id"]]
    rows = range(size)
    kept = rows  # the rows that are lines
    if not all(ids):
        # A row with no id is an objective's own row (efl writes one for an objective with no line
        # yet): it names its objective, in its place, and makes no line. A row with no id but an
        # action (a line numbered by its row) or with nothing in it is read cell by cell.
        kept = [i for i in rows if ids[i]]
        actions = cells.get("action", [""] * size)
        for i in set(rows).difference(kept):
            if _text(actions[i]).strip() or not "".join(_text(column[i]) for column in cells.values()).strip():
                raise _NotPlain
    objectives: dict[str, PlanObjective] = {}
    objective_ids = _objectives(cells.get("objective_id"), cells.get("objective"), objectives, size)
    lines = set(kept) if kept is not rows else None
    dates: dict = {}
    values: dict[str, list[Any]] = {}
    given: dict[str, list[bool]] = {}  # per optional field, on which lines it was given
    for name, column in cells.items():
        kind = _CELL_KINDS.get(name)
        if kind == "skip":
            continue
        texts = column if texts_only or set(map(type, column)) == {str} else [_text(c) for c in column]
        if kind is None:  # plain text, the cell as it is
            values[name] = list(texts)
        elif kind == "id":
            values[name] = ids
        elif kind == "notes":
            values[name] = [_notes(t, dates) if t else [] for t in texts]
        elif kind == "date":
            given[name] = [bool(t.strip()) for t in texts]
            values[name] = [_date_from(c, dates) if g else None for c, g in zip(column, given[name])]
        else:
            stripped = [t.strip() for t in texts]
            given[name] = [bool(s) for s in stripped]
            if kind == "status":
                values[name] = _statuses(texts, given[name])
            elif name == "priority":
                values[name] = [_whole(s) if s else None for s in stripped]
            else:
                values[name] = [s or None for s in stripped]
    if lines is not None:  # keep the lines' rows only (the objectives' rows were read for their cells)
        values = {name: [v for i, v in enumerate(column) if i in lines] for name, column in values.items()}
        given = {name: [g for i, g in enumerate(column) if i in lines] for name, column in given.items()}
        objective_ids = [v for i, v in enumerate(objective_ids) if i in lines]
    count = len(values["id"])
    if "action" not in values or not all(values["action"]) or not all(map(_ID.fullmatch, values["id"])):
        raise _NotPlain  # pydantic's messages, cell by cell: an empty action, an id of the wrong form
    if any(objective_ids):
        given["objective"] = [bool(o) for o in objective_ids]
        values["objective"] = [o or None for o in objective_ids]
    always = frozenset(name for name in values if name not in given)
    if "notes" not in values:
        values["notes"] = [[] for _ in range(count)]  # the default, a list of its own for each line
    ordered = [values[name] if name in values else [_DEFAULTS[name]] * count for name in _LINE_FIELDS]
    optional = list(given)
    sets: dict[tuple[bool, ...], frozenset[str]] = {}
    made_lines = []
    new, names = object.__new__, _LINE_FIELDS
    for line, flags in zip(zip(*ordered), zip(*given.values()) if given else [()] * count):
        fields = sets.get(flags)
        if fields is None:
            fields = sets[flags] = always.union(name for name, g in zip(optional, flags) if g)
        instance = new(PlanLine)  # as made() makes it, in line: a plan has thousands of lines
        _set(instance, "__dict__", dict(zip(names, line)))
        _set(instance, "__pydantic_fields_set__", set(fields))
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        made_lines.append(instance)
    plan = Plan(columns=plan_columns, objectives=list(objectives.values()), lines=made_lines)
    check_plan(plan, _needs_positions)  # a problem to report: raises, and the table is read cell by cell
    return plan


def _objectives(ids: Sequence[Any] | None, titles: Sequence[Any] | None, objectives: dict[str, PlanObjective],
                size: int) -> list[str]:
    """Each row's objective id ("" for none), the objectives added to ``objectives`` in the order the
    rows first name them, as cell by cell (:func:`objective_of`, once for each pair of cells that
    names its id: a row that gives only a title is looked up among the objectives read so far)."""
    if ids is None and titles is None:
        return [""] * size
    seen: dict[tuple[Any, Any], str] = {}
    out = []
    for pair in zip(ids if ids is not None else [None] * size, titles if titles is not None else [None] * size):
        got = seen.get(pair)
        if got is None:
            got = objective_of(pair[0], pair[1], objectives)
            if _text(pair[0]).strip():
                seen[pair] = got
        out.append(got)
    return out


_NOTE_FIELDS = frozenset(("date", "text"))
_note_head = _NOTE_HEAD.match


def _notes(text: str, dates: dict) -> list[PlanNote]:
    """A cell's notes, read as cell by cell (every note has its date and text, the text trimmed, as
    PlanNote's own validator trims it), each made as :func:`made` makes it. The plain lines
    :func:`_note_data` reads quickly are read here the same way, straight into notes (a plan has
    thousands); any other cell is read by it."""
    out = []
    for raw in text.split("\n"):
        if _note_head(raw) and raw[-1] not in NOTE_SPACE:
            day = raw[:10]
            instance = _new(PlanNote)
            _set(instance, "__dict__", {"date": dates.get(day) or _date_from(day, dates), "text": raw[12:]})
            _set(instance, "__pydantic_fields_set__", set(_NOTE_FIELDS))
            _set(instance, "__pydantic_extra__", None)
            _set(instance, "__pydantic_private__", None)
            out.append(instance)
        elif raw:
            return [made(PlanNote, note, set(_NOTE_FIELDS)) for note in _note_data(text, dates)]
    return out


def _statuses(texts: Sequence[str], given: list[bool]) -> list[str | None]:
    """Each status as PlanLine's validator makes it (``On_Track`` is ``on track``), each spelling once."""
    seen: dict[str, str] = {}
    out: list[str | None] = []
    for text, g in zip(texts, given):
        if not g:
            out.append(None)
            continue
        status = seen.get(text)
        if status is None:
            status = normalise_status(text)
            if status not in STATUSES:
                raise _NotPlain  # not a status: said cell by cell, with the choices
            seen[text] = status
        out.append(status)
    return out


def _whole(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise _NotPlain  # signs, leading zeros, fractions, other digits: pydantic decides, cell by cell
    return int(text)
