"""The action plan's data and the way its cells are written: the models (a plan, its lines, objectives,
notes and columns), the column headings, dates and progress notes in a cell, and the checks a
schema cannot make.

Lower than :mod:`efl.plan.action_plan` (which reads, proposes, merges and writes plans, and
re-exports every name here) so that the column-wise table reader, :mod:`efl.plan.plan_columns`,
can use them without an import cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from efl.core.identifiers import ID_PATTERN
from efl.errors import Diagnostic

if TYPE_CHECKING:
    from efl.errors import DiagnosticSink

Status = Literal["not started", "on track", "at risk", "done", "dropped"]
STATUSES: tuple[str, ...] = ("not started", "on track", "at risk", "done", "dropped")


def normalise_status(value: Any) -> Any:
    """``On_Track``, ``on-track`` and ``ON TRACK`` all mean ``on track``."""
    if isinstance(value, str):
        return " ".join(value.replace("_", " ").replace("-", " ").split()).lower()
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


# Space around a note is not part of it (a cell saved on Windows ends its lines with CR LF).
NOTE_SPACE = " \t\r\n"


class PlanNote(_Strict):
    date: dt.date
    text: str = Field(min_length=1)

    @field_validator("text", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        # Space around a note is not part of it, in YAML or in a spreadsheet cell alike.
        return value.strip(NOTE_SPACE) if isinstance(value, str) else value


class PlanObjective(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)


class PlanLine(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    criterion: str | None = None  # the framework criterion it answers: the key when plans merge
    area: str | None = None
    objective: str | None = None  # an id from the plan's objectives
    lead: str = ""
    action: str = Field(min_length=1)
    output: str = ""
    due: dt.date | None = None
    outcome: str = ""
    measure: str = ""
    baseline: str = ""
    target: str = ""
    status: Status | None = None  # None: the council has given no status yet
    notes: list[PlanNote] = []
    why: str = ""  # efl's reason for proposing it
    proposed: dt.date | None = None  # the assessment date when efl proposed it; empty for the council's own
    priority: int | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return normalise_status(value)


# Default column headings, in the default order. ``objective`` shows the objective's title;
# ``objective_id`` keeps its id so the plan reads back exactly.
HEADINGS = {
    "id": "Id", "criterion": "Criterion", "area": "Area", "objective_id": "Objective id",
    "objective": "Objective", "lead": "Lead", "action": "Action", "output": "Output", "due": "Output due",
    "outcome": "Outcome", "measure": "Performance measure", "baseline": "Baseline", "target": "Target",
    "status": "Status", "notes": "Progress notes", "why": "Why it was proposed",
    "proposed": "Proposed on", "priority": "Priority",
}
ALIASES = {
    "lead officer": "lead", "owner": "lead", "responsible officer": "lead", "due": "due", "deadline": "due",
    "by when": "due", "due date": "due", "measure": "measure", "performance indicator": "measure",
    "notes": "notes", "progress": "notes", "why": "why", "proposed": "proposed",
    # Earlier headings, and the workbook's key column for the area (its visible column shows the name).
    "why efl proposed it": "why", "proposed by efl on": "proposed", "area key": "area",
}
# Columns a workbook shows for people but that hold nothing of their own (the area's name): skipped on reading.
DERIVED_HEADINGS = {"performance area"}


class PlanColumn(_Strict):
    heading: str = Field(min_length=1)
    fields: list[str] = Field(min_length=1)

    @field_validator("fields")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in HEADINGS or name in ("id", "objective_id"):
                choices = ", ".join(f for f in HEADINGS if f not in ("id", "objective_id"))
                raise ValueError(f"'{name}' is not a plan field (expected one of: {choices})")
        return value


class Plan(_Strict):
    columns: list[PlanColumn] = []  # the council's own headings, in its order
    objectives: list[PlanObjective] = []
    lines: list[PlanLine] = []


def check_plan(plan: Plan, where) -> list[Diagnostic]:  # noqa: ANN001
    """Cross-checks a schema cannot make; ``where(kind, index, field)`` gives a Diagnostic's place."""
    out = []
    seen: set[str] = set()
    for i, line in enumerate(plan.lines):
        if line.id in seen:
            out.append(where("line", i, "id", f"line id '{line.id}' is used twice (expected unique ids)"))
        seen.add(line.id)
    objectives = {o.id for o in plan.objectives}
    seen_objectives: set[str] = set()
    for i, objective in enumerate(plan.objectives):
        if objective.id in seen_objectives:
            out.append(where("objective", i, "id", f"objective id '{objective.id}' is used twice (expected unique ids)"))
        seen_objectives.add(objective.id)
    for i, line in enumerate(plan.lines):
        if line.objective is not None and line.objective not in objectives:
            known = ", ".join(sorted(objectives)) or "none is listed"
            out.append(where("line", i, "objective", f"objective '{line.objective}' is not one of the plan's "
                             f"objectives (expected one of: {known})"))
    used: set[str] = set()
    for j, column in enumerate(plan.columns):
        for name in column.fields:
            if name in used:
                out.append(where("column", j, "fields", f"field '{name}' is in two columns (expected each once)"))
            used.add(name)
        for name in column.fields[:-1]:
            # A shared cell puts one field per line; only the last may run over several lines.
            for i, line in enumerate(plan.lines):
                if "\n" in _text(_value(plan, line, name)):
                    out.append(where("line", i, name, f"'{name}' runs over several lines but shares the column "
                                     f"'{column.heading}' with a later field (expected one line)"))
    return out


class _PositionsWanted(Exception):
    """A plan read quickly has a problem: read it again in full, for each problem's line."""


def _needs_positions(*_args: Any) -> Diagnostic:
    raise _PositionsWanted


def _heading_key(text: str) -> str:
    text = re.sub(r"\(.*?\)", " ", str(text))
    return " ".join(text.replace("_", " ").split()).casefold()


def match_heading(heading: str) -> list[str] | None:
    """The fields a column heading holds: a default heading, an alias, or several joined by '&'/'and'."""
    key = _heading_key(heading)
    by_heading = {_heading_key(h): f for f, h in HEADINGS.items()} | ALIASES
    if key in by_heading:
        return [by_heading[key]]
    parts = [p.strip() for p in re.split(r"\s*(?:&|\band\b|/)\s*", key) if p.strip()]
    if len(parts) > 1 and all(p in by_heading for p in parts):
        return [by_heading[p] for p in parts]
    return None


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# A note starts at the beginning of a line with its date and a separator: "2026-01-15: Survey sent out".
_NOTE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2} [A-Za-z]+ \d{4})[ \t]*[:\-–][ \t]*(.*)$",
                   re.DOTALL)
# efl indents a note's later lines by this much when one would otherwise read as a note of its own
# (it starts with a date) or would lose its own indent; reading takes exactly this much off again.
NOTE_INDENT = "  "


def parse_date(value: Any) -> dt.date:
    """A date cell: a real date, or text as 2026-03-31, 31/03/2026 (day first) or 31 March 2026.

    Years outside 1900-2199 are refused as typing slips, as in every YAML file (date arithmetic on
    them, a quarter or a year on, would overflow).
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _plausible(value, value.isoformat())
    text = str(value).strip()
    try:
        if _ISO.match(text):
            return _plausible(dt.date.fromisoformat(text), text)
        m = _DMY.match(text)
        if m:
            return _plausible(dt.date(int(m[3]), int(m[2]), int(m[1])), text)
        return _plausible(dt.datetime.strptime(text, "%d %B %Y").date(), text)
    except ValueError as exc:
        if "plausible" in str(exc):
            raise
    raise ValueError(f"'{text}' is not a date (expected a date such as 2026-03-31 or 31/03/2026)")


def _plausible(day: dt.date, written: str) -> dt.date:
    from efl.files.yamlio import YAML_YEARS

    if not YAML_YEARS[0] <= day.year <= YAML_YEARS[1]:
        raise ValueError(f"'{written}' is not a plausible date (expected a year from {YAML_YEARS[0]} to "
                         f"{YAML_YEARS[1]})")
    return day


def parse_notes(text: str) -> list[PlanNote]:
    """Notes in one cell, one per line, each starting with its date: ``2026-01-15: Survey sent out``.

    A line that does not start with a date, or is indented, continues the note above it (so a note
    of several lines is kept whole, even when a later line starts with a date). Only a line feed
    ends a line: a carriage return or vertical tab inside a note is part of its text (one at the end
    of a line, from a cell saved on Windows, stays before its line feed).
    """
    return [PlanNote(**note) for note in _note_data(text, {})]


def _note_data(text: str, dates: dict[str, dt.date]) -> list[dict[str, Any]]:
    """:func:`parse_notes` as data for PlanNote (``date``, ``text``), every one valid: a date, and
    text that is not empty and has no space around it. A plan's lines are validated with their notes
    in one call (a model built per note was a third of reading a plan of thousands of lines).
    ``dates``: the dates read so far, by their text (see :func:`_date_from`)."""
    out = []
    head, known = _NOTE_HEAD.match, dates.get
    for raw in text.split("\n"):
        # The way efl writes notes and most people type them: every line one note, an ISO date, ": "
        # and text with no space around it. Read the general way (_note_lines), each such line starts
        # a note and gives the same date and text; an empty line adds nothing to the note before it
        # (its text is stripped) and before any note is skipped. A plan has thousands of such cells,
        # and looking at a line's first characters, not all of them, is most of reading it.
        if head(raw) and raw[-1] not in NOTE_SPACE:
            day = raw[:10]
            out.append({"date": known(day) or _date_from(day, dates), "text": raw[12:]})
        elif raw:
            return _note_lines(text, dates)
    return out


# The start of a plain note (see _note_data): an ISO date in ASCII digits (``\d`` would take any
# digit), ": ", then the first character of its text, not space.
_NOTE_HEAD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}: [^ \t\r\n]")


def _note_lines(text: str, dates: dict[str, dt.date]) -> list[dict[str, Any]]:
    """:func:`_note_data` of any cell, line by line (a line that starts with no date continues its note)."""
    notes: list[tuple[dt.date, list[str]]] = []
    for raw in text.split("\n"):
        m = _NOTE.match(raw if notes else raw.lstrip())
        if m:
            notes.append((_date_from(m[1], dates), [m[2]]))
        elif notes:
            notes[-1][1].append(raw.removeprefix(NOTE_INDENT))
        elif raw.strip():
            raise ValueError(f"the note '{raw.strip()[:40]}' has no date (expected each note to start with "
                             "its date, e.g. '2026-01-15: Survey sent out')")
    out = []
    for day, parts in notes:
        body = "\n".join(parts).strip(NOTE_SPACE) if len(parts) > 1 else parts[0].strip(NOTE_SPACE)
        if body:
            out.append({"date": day, "text": body})
        else:
            raise ValueError(f"the note of {day.isoformat()} has no text (expected what happened after the date)")
    return out


def _date_from(value: Any, dates: dict[str, dt.date]) -> dt.date:
    """:func:`parse_date`, each text parsed once: a plan of thousands of lines repeats its dates.
    (parse_date of a text always gives the same date or the same error; errors are not kept.)"""
    if type(value) is not str:
        return parse_date(value)
    day = dates.get(value)
    if day is None:
        day = dates[value] = parse_date(value)
    return day


def format_notes(notes: list[PlanNote]) -> str:
    """Notes for one cell, as :func:`parse_notes` reads them back: every later line of a note that
    starts with a date or with the indent is indented, so it stays part of its note."""
    out = []
    for note in notes:
        first, *rest = note.text.split("\n")
        out.append(f"{note.date.isoformat()}: {first}")
        for line in rest:
            out.append(NOTE_INDENT + line if _NOTE.match(line) or line.startswith(NOTE_INDENT) else line)
    return "\n".join(out)


def plan_layout(header: list[str], shown: str, col_offset: int, own: list[str] | None,
                sink: DiagnosticSink) -> tuple[list[PlanColumn], list[list[str] | None]]:
    """The council's own columns, and the fields each column of the table holds (None: a column
    read for nothing); every problem with the headings goes to ``sink``. ``header`` has an ``Id``."""
    first = header.index("Id")
    columns: list[PlanColumn] = []
    layout: list[list[str] | None] = []
    held: dict[str, str] = {}  # field -> the heading of the column that holds it
    for j, heading in enumerate(header):
        if not heading or _heading_key(heading) in DERIVED_HEADINGS:
            layout.append(None)
            continue
        fields = {"Objective id": ["objective_id"]}.get(heading) or match_heading(heading)
        if fields is None:
            sink.add(shown, 1, j + col_offset, f"unknown column '{heading}' (expected one of: "
                     f"{', '.join(HEADINGS.values())}, or headings joined by '&')")
        else:
            for name in fields:
                if name in held:
                    # Two columns for one field: reading one would silently drop the other's words.
                    sink.add(shown, 1, j + col_offset, f"column '{heading}' appears twice (expected each column once)"
                             if held[name] == heading else f"column '{heading}' holds the "
                             f"{HEADINGS.get(name, name).lower()}, as column '{held[name]}' does (expected each "
                             "field in one column)")
                    break
                held.setdefault(name, heading)
            if (heading in own) if own is not None else j < first:
                columns.append(PlanColumn(heading=heading, fields=fields))
        layout.append(fields)
    return columns, layout


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# How a cell becomes a line's field: the keys of _line_from_cells' branches (plain text otherwise).
_CELL_KINDS = {"objective": "skip", "objective_id": "skip", "due": "date", "proposed": "date", "notes": "notes",
               "priority": "key", "criterion": "key", "area": "key", "status": "status", "id": "id"}


def objective_of(id_cell: Any, title_cell: Any, objectives: dict[str, PlanObjective]) -> str:
    """The id of the objective a row's cells name ("" for none), the objective added to
    ``objectives`` the first time it is named."""
    objective_id = _text(id_cell).strip()
    title = _text(title_cell)
    if not objective_id and title.strip():
        # A row whose objective cell is filled but whose id is not (an Objective merged over rows, or
        # typed by hand) belongs to the objective of that title, if the plan has one already.
        objective_id = next((o.id for o in objectives.values()
                             if title.strip() in (o.title.strip(), f"{o.id}. {o.title}".strip())), "")
    if objective_id or title.strip():
        if not objective_id:
            m = re.match(r"^(\d+)\.\s", title)
            objective_id = m[1] if m else re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "objective"
        prefix = f"{objective_id}. "
        title = title[len(prefix):] if title.startswith(prefix) else title
        if objective_id not in objectives:
            objectives[objective_id] = PlanObjective(id=objective_id, title=title)
    return objective_id


def _value(plan: Plan, line: PlanLine | None, name: str, objective: PlanObjective | None = None) -> Any:
    if name == "objective_id":
        return objective.id if objective else (line.objective if line else None)
    if name == "objective":
        obj = objective or next((o for o in plan.objectives if line and o.id == line.objective), None)
        if obj is None:
            return None
        return f"{obj.id}. {obj.title}" if obj.id.isdigit() else obj.title
    if line is None:
        return None
    value = getattr(line, name)
    if name == "notes":
        return format_notes(value)
    return value
