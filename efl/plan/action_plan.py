"""The council's own action plan: read it, propose new lines from an assessment, merge, write it back.

A plan is a list of objectives and a list of lines. Each line says which objective it serves, who
leads it, the action, its output and when that is due, the outcome and the performance measure
(with baseline and target), its status and dated progress notes. Lines that efl proposes carry the
framework criterion they answer (their key when plans are merged); lines the council adds itself
have their own ids. The same plan can be kept as YAML, CSV or an XLSX workbook; every format holds
every word, so a plan can go out as a spreadsheet and come back without loss.

The council may name its own column headings and order (``columns:``), for example Leicester's
five columns Objective / Lead / Action / Output / Outcome & performance measure; efl's own
bookkeeping columns follow, starting with ``Id``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from efl.errors import Diagnostic, DiagnosticSink, InputError, UsageError
from efl.files.optional import OFFICE_EXTRA, need  # noqa: F401 - need is also public as optional_import
from efl.core.models import ID_PATTERN  # noqa: F401 - public here as it always was
# The plan's models and cell syntax live in plan_model (below this module); every name stays public here.
from efl.plan.plan_model import (  # noqa: F401
    _CELL_KINDS, _DMY, _ISO, _NOTE, ALIASES, DERIVED_HEADINGS, HEADINGS, NOTE_INDENT, NOTE_SPACE, STATUSES, Plan,
    PlanColumn, PlanLine, PlanNote, PlanObjective, Status, _date_from, _heading_key, _needs_positions, _note_data,
    _plausible, _PositionsWanted, _Strict, _text, _value, check_plan, format_notes, match_heading, normalise_status,
    objective_of, parse_date, parse_notes, plan_layout)

if TYPE_CHECKING:
    from efl.core.models import Result
    from efl.files.safe_files import Fingerprint

# --- reading ----------------------------------------------------------------------------------------

def read_plan(path: Path, shown: str | None = None, data: bytes | None = None) -> Plan:
    """Read a plan from YAML, CSV or XLSX (by the file's ending); every problem raised at once.

    ``data`` is the file's bytes when the caller has read them already (safely, inside a folder).
    """
    with collector_paused():
        return _read_plan(path, shown or str(path), data)


@contextmanager
def collector_paused():  # noqa: ANN201
    """The cyclic garbage collector off while a plan is read, back as it was after.

    Reading a plan of thousands of lines makes hundreds of thousands of containers (lines, notes,
    cells, a workbook's XML elements), none of them in a cycle; each full collection on the way
    walked every one made so far (a tenth of reading a 5,000-line workbook). Reference counting
    still frees everything as usual; only the cycle search waits until the plan is read. As the efl
    command, what exists then is set aside (efl.startup.set_aside_what_exists), or the first pass
    after would walk all of it once more.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            from efl.startup import set_aside_what_exists

            set_aside_what_exists()  # (as the efl command: see there)
            gc.enable()


def _read_plan(path: Path, shown: str, data: bytes | None) -> Plan:
    if data is None:
        from efl.files.safe_files import FileProblem, as_diagnostic, read_named_file

        try:
            data = read_named_file(path, plan_size_limit())
        except FileProblem as problem:
            if problem.kind == "missing":
                raise InputError(Diagnostic(shown, message="the action plan file was not found (expected a .yaml, "
                                            ".csv or .xlsx file)")) from None
            raise InputError(as_diagnostic(shown, problem)) from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(data, shown)
    if suffix == ".csv":
        from efl.files.yamlio import decode_text

        return read_csv_text(decode_text(data, shown), shown)
    if suffix == ".xlsx":
        return read_xlsx(data, shown)
    raise InputError(Diagnostic(shown, message=f"'{path.suffix}' is not a plan format (expected .yaml, .csv or .xlsx)"))


def _read_yaml(data: bytes, shown: str) -> Plan:
    from efl.files.yaml_fast import SLOW, load_data
    from efl.files.yamlio import decode_text, parse_yaml, pydantic_diagnostics

    text = decode_text(data, shown)
    quick = load_data(text)  # a plan of thousands of lines in one pass; positions only if something is wrong
    if isinstance(quick, dict) and quick is not SLOW:
        try:
            plan = Plan.model_validate(quick)
            if not check_plan(plan, _needs_positions):
                return plan
        except (ValidationError, _PositionsWanted):
            pass  # parse it in full below, which names each problem's line
    doc = parse_yaml(text, shown)
    if not isinstance(doc.data, dict):
        raise InputError(Diagnostic(shown, 1, 1, "the plan is not a mapping (expected 'objectives:' and 'lines:')"))
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, doc, Plan)) from None
    sections = {"line": "lines", "objective": "objectives", "column": "columns"}

    def where(kind: str, index: int, name: str, message: str) -> Diagnostic:
        line, col = doc.locate((sections[kind], index, name))
        return Diagnostic(shown, line, col, message)

    problems = check_plan(plan, where)
    if problems:
        raise InputError(problems)
    return plan


def plan_from_table(header: list[Any], rows: list[tuple[int, list[Any]]], shown: str,
                    col_offset: int = 1, own: list[str] | None = None, nfc_done: bool = False) -> Plan:
    """A plan from a table: ``rows`` are (line number, cells). Positions in errors are line:column.

    :param own: the council's own column headings, when the file says which they are (a workbook's
        layout sheet); otherwise they are the columns before ``Id``.
    :param nfc_done: the rows' text cells are in NFC already (the CSV reader does it as it reads).
    """
    sink = DiagnosticSink()
    # One Unicode form for every word, as YAML plans are read: a lead typed on a Mac is still the role.
    header = [unicodedata.normalize("NFC", str(h)).strip() if h is not None else "" for h in header]
    nfc = unicodedata.normalize
    if not nfc_done:
        rows = [(n, [(c if c.isascii() else nfc("NFC", c)) if isinstance(c, str) else c for c in cells])
                for n, cells in rows]  # (ASCII text is its own NFC form: most cells skip the call)
    from efl.plan.plan_columns import plan_from_rows

    plan = plan_from_rows(header, [cells for _, cells in rows], shown, col_offset, own)  # a plain table, quicker
    if plan is not None:
        return plan
    if "Id" not in header:
        sink.add(shown, 1, 1, "no 'Id' column (expected the columns efl writes, with 'Id' after the "
                 "council's own columns)")
        sink.raise_if_any()
    columns, layout = plan_layout(header, shown, col_offset, own, sink)
    unheaded = [j for j, heading in enumerate(header) if not heading]
    for number, cells in rows:
        # The columns with no heading: those whose heading is empty, and any past the last heading.
        for j in (unheaded + list(range(len(header), len(cells))) if len(cells) > len(header) else unheaded):
            cell = cells[j] if j < len(cells) else None
            if cell is not None and str(cell).strip():
                sink.add(shown, number, j + col_offset, f"'{_text(cell)[:40]}' is in a column with no heading "
                         "(expected a heading for every column that holds anything, or the cell cleared)")
                break
    sink.raise_if_any()
    objectives: dict[str, PlanObjective] = {}
    lines: list[PlanLine] = []
    line_rows: list[int] = []
    # When every column holds one field (efl's own columns do), a row's values are one dict made from
    # the cells' places; the general way below also splits a shared cell into its fields.
    spots = ([(j, fields[0]) for j, fields in enumerate(layout) if fields is not None]
             if all(fields is None or len(fields) == 1 for fields in layout) else None)
    dates: dict[str, dt.date] = {}
    for number, cells in rows:
        try:
            joined = "".join(cells)  # (all text, as in a CSV file: one test for the whole row)
            blank = not joined or joined.isspace()
        except TypeError:
            blank = all(c is None or str(c).strip() == "" for c in cells)
        if blank:
            continue
        values: dict[str, Any]
        positions: dict[str, int] = {}
        if spots is not None:
            size = len(cells)
            values = {name: cells[j] for j, name in spots if j < size}
        else:
            values = {}
            for j, fields in enumerate(layout):
                if fields is None or j >= len(cells):
                    continue
                cell = cells[j]
                parts: list[Any]
                if len(fields) > 1:
                    parts = (_text(cell)).split("\n", len(fields) - 1) if cell is not None else []
                else:
                    parts = [cell]
                for name, part in zip(fields, parts):
                    values[name] = part
                    positions[name] = j + col_offset
        problems: list[tuple[str, str]] = []
        line = _line_from_cells(values, objectives, number, problems, dates)
        if problems and spots is not None:
            positions = {name: j + col_offset for j, name in spots if name in values}
        for name, message in problems:
            sink.add(shown, number, positions.get(name, 1), message)
        if line is not None:
            lines.append(line)
            line_rows.append(number)
    sink.raise_if_any()
    plan = Plan(columns=columns, objectives=list(objectives.values()), lines=lines)

    def where(kind: str, index: int, name: str, message: str) -> Diagnostic:
        row = line_rows[index] if kind == "line" and index < len(line_rows) else 1
        return Diagnostic(shown, row, 1, message)

    problems = check_plan(plan, where)
    if problems:
        raise InputError(problems)
    return plan


def _line_from_cells(values: dict[str, Any], objectives: dict[str, PlanObjective], number: int,
                     problems: list[tuple[str, str]], dates: dict[str, dt.date] | None = None) -> PlanLine | None:
    """One table row as a plan line (or None for a row that only lists an objective, or a bad row,
    whose every problem goes to ``problems`` as (field, message)). ``dates``: the dates read so far."""
    dates = {} if dates is None else dates
    data: dict[str, Any] = {}
    kinds = _CELL_KINDS
    for name, value in values.items():
        kind = kinds.get(name)
        if kind is None:
            data[name] = value if type(value) is str else _text(value)
            continue
        if kind == "skip":
            continue
        text = value if type(value) is str else _text(value)
        try:
            if kind == "date":
                if text.strip():
                    data[name] = _date_from(value, dates)
            elif kind == "notes":
                data[name] = _note_data(text, dates)
            elif kind == "key" or kind == "status":
                if text.strip():
                    data[name] = text.strip() if kind == "key" else text
            else:
                data[name] = text.strip()
        except ValueError as exc:
            problems.append((name, f"{HEADINGS[name]}: {exc}"))
    objective_id = objective_of(values.get("objective_id"), values.get("objective"), objectives)
    if objective_id:
        data["objective"] = objective_id
    if not data.get("action", "").strip() and not data.get("id"):
        return None  # a row that only lists an objective with no lines yet
    if not data.get("id"):
        data["id"] = f"line-{number}"  # a row the council added without an id keeps its place as its id
    try:
        line = PlanLine.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else "id"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "literal_error":
                message = f"'{values.get(name)}' is not a status (expected one of: {', '.join(STATUSES)})"
            elif err["type"] == "missing" or (err["type"] == "string_too_short" and name == "action"):
                message = "the cell is empty (expected text)"
            elif err["type"] == "string_pattern_mismatch":
                message = f"'{values.get(name)}' is not an id (expected lower-case letters, digits, '.', '-' or '_')"
            elif err["type"].startswith("int"):
                message = f"'{values.get(name)}' is not a whole number (expected a number such as 2)"
            problems.append((name, f"{HEADINGS.get(name, name)}: {message}"))
        return None
    return None if problems else line


def read_csv_text(text: str, shown: str) -> Plan:
    from efl.plan.plan_columns import read_csv_columns

    plan = read_csv_columns(text, shown)  # a plain table, column by column (the same plan, quicker)
    if plan is not None:
        return plan
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    header: list[Any] | None = None
    start = 1
    nfc = unicodedata.normalize
    for cells in reader:
        if header is None:
            header = [_unprotect(c) for c in cells]
        else:
            # Each cell in one pass: the quote that protects a formula taken off (_unprotect), then
            # the text in NFC as plan_from_table would make it (ASCII is its own NFC form).
            rows.append((start, [c if c.isascii() and not c.startswith("'") else
                                 nfc("NFC", _unprotect(c)) for c in cells]))
        start = reader.line_num + 1
    if header is None:
        raise InputError(Diagnostic(shown, 1, 1, "the file is empty (expected a header row)"))
    return plan_from_table(header, rows, shown, nfc_done=True)


def read_xlsx(data: bytes, shown: str) -> Plan:
    """Read the plan from a workbook (as efl writes it, after a lead officer has edited it): the one
    visible sheet whose first row has efl's ``Id`` column, read as the spreadsheet shows it (see
    :mod:`efl.files.workbooks`)."""
    from efl.files.workbooks import read_workbook_sheet

    sheet = read_workbook_sheet(data, shown, _is_plan_header, "efl's plan columns (an 'Id' column)",
                                plan_size_limit())
    if sheet.problems:
        raise InputError(sheet.problems)
    header = list(sheet.rows[0][1]) if sheet.rows else []
    while header and header[-1] is None:
        header.pop()
    return plan_from_table(header, sheet.rows[1:], shown, own=_own_columns(sheet))


LAYOUT_SHEET = "Plan layout"  # hidden: the council's own column headings, one a row


def _own_columns(sheet) -> list[str] | None:  # noqa: ANN001
    """The council's own column headings from an efl workbook's hidden layout sheet (its key columns
    come last, so the columns before ``Id`` are not the council's); None for any other workbook.
    ``sheet`` is the plan sheet as :func:`read_workbook_sheet` read it, with the workbook's other sheets."""
    layout = sheet.others.get(LAYOUT_SHEET)
    if layout is None:
        return None
    values = [layout.cells.get((row, 1)) for row in range(2, layout.max_row + 1)]
    return [str(cell.value) for cell in values if cell is not None and cell.value]


PLAN_MAX_BYTES = 20 * 1024 * 1024


def plan_size_limit() -> int:
    """The largest plan file, and what a plan workbook may unpack to: 20 MB, as for YAML files (a
    plan of thousands of lines is a fraction of that), or ``EFL_MAX_FILE_MB``."""
    from efl.files.safe_files import max_file_bytes

    return max_file_bytes(PLAN_MAX_BYTES)


def _is_plan_header(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and c.strip() == "Id" for c in cells)


# --- writing ----------------------------------------------------------------------------------------

def layout(plan: Plan) -> list[tuple[str, list[str]]]:
    """The columns to write: the council's own, then efl's (starting with ``Id``) for every other field."""
    used = {f for c in plan.columns for f in c.fields}
    own = [(c.heading, list(c.fields)) for c in plan.columns]
    return own + [(HEADINGS[f], [f]) for f in HEADINGS if f not in used]


def table(plan: Plan) -> tuple[list[str], list[list[str]], list[list[Any]]]:
    """Headings, the fields in each column, and the rows (typed: text, dates, whole numbers or None).

    Objectives with no line get a row of their own, so a table holds the whole plan.
    """
    cols = layout(plan)
    rows = []
    for line in plan.lines:
        rows.append([_join([_value(plan, line, f) for f in fields]) for _, fields in cols])
    used = {line.objective for line in plan.lines}
    for objective in plan.objectives:
        if objective.id not in used:
            rows.append([_join([_value(plan, None, f, objective) if f.startswith("objective") else None
                                for f in fields]) for _, fields in cols])
    return [h for h, _ in cols], [fs for _, fs in cols], rows


def _join(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return "\n".join(_text(v) for v in values)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _protect(text: str) -> str:
    """OWASP: a cell that a spreadsheet would run as a formula gets a leading quote (and so does a
    cell that already starts with one, so reading back removes exactly one)."""
    return "'" + text if text.startswith(FORMULA_STARTS + ("'",)) else text


def _unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def to_csv(plan: Plan) -> str:
    headers, _, rows = table(plan)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_protect(h) for h in headers])
    for row in rows:
        writer.writerow([_protect(v.isoformat() if isinstance(v, dt.date) else _text(v)) for v in row])
    return "\ufeff" + buffer.getvalue()


def to_yaml(plan: Plan) -> str:
    from ruamel.yaml import YAML

    data = plan.model_dump(mode="python", exclude_defaults=True)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.sort_base_mapping_type_on_output = False
    # efl refuses YAML aliases when reading, so a date shared by many lines is written out each time.
    yaml.representer.ignore_aliases = lambda *args: True
    buffer = io.StringIO()
    buffer.write("# The action plan, kept by the council and merged by efl (see 'efl assess --plan').\n")
    yaml.dump(data, buffer)
    return buffer.getvalue()


# --- proposing and merging --------------------------------------------------------------------------

def propose(result: Result, plan: Plan, assessment=None) -> list[PlanLine]:  # noqa: ANN001
    """New lines for the result's actions whose criterion the plan does not yet have a line for.

    With the assessment, a line's lead is the post's title (the person who holds it is looked up
    in assessment.yaml when reports are made, so a change of post holder needs no plan edit).
    """
    from efl.plan.cycle import answers, cycle_line_id, next_cycles, periodic
    from efl.plan.governance import lead_role
    from efl.reports.wording import baseline_and_target, lead_words, plain_reason

    criteria = {c.id: c for area in result.areas for c in area.criteria}
    covered = {line.criterion for line in plan.lines if line.criterion}
    texts = {(line.area, line.action.strip()) for line in plan.lines}
    ids = {line.id for line in plan.lines}
    new = []
    for action in result.actions:
        criterion = criteria.get(action.criterion or "")
        # A recurring duty: last cycle's line (done or not) does not answer this cycle's deadline.
        cycle = periodic(criterion) and action.due == criterion.due
        if cycle:
            if any(answers(line, criterion.id, action.due) for line in [*plan.lines, *new]):
                continue
            fresh = action.criterion not in covered and criterion.id not in ids
            line_id = criterion.id if fresh else cycle_line_id(criterion.id, action.due, ids)
        elif action.criterion in covered or (action.area, action.what.strip()) in texts:
            continue
        else:
            base = action.criterion or f"{action.area}.area"
            line_id, n = base, 2
            while line_id in ids:
                line_id, n = f"{base}-{n}", n + 1
        ids.add(line_id)
        if action.criterion:
            covered.add(action.criterion)
        role = lead_role(assessment, action.owner) if assessment is not None else None
        baseline, target = baseline_and_target(criterion, result.assessment.date) if criterion else ("", "")
        new.append(PlanLine(
            id=line_id, criterion=action.criterion, area=action.area,
            lead=role.title if role else lead_words(action), status="not started",
            action=action.what, due=action.due, outcome=criterion.title if criterion else "",
            measure=action.figure or "", baseline=baseline, target=target,
            why=" ".join(plain_reason(r) for r in criterion.reasons) if criterion else action.why,
            proposed=result.assessment.date,
            priority=action.priority))
    for due in next_cycles(result, [*plan.lines, *new]):
        # Met for now, due again within the year: the council's own words for the duty, for the next deadline.
        last, line_id = due.last, cycle_line_id(due.criterion.id, due.deadline, ids)
        ids.add(line_id)
        new.append(PlanLine(
            id=line_id, criterion=due.criterion.id, area=due.area, objective=last.objective, lead=last.lead,
            status="not started", action=last.action, due=due.deadline, outcome=last.outcome or due.criterion.title,
            measure=last.measure, why=" ".join(plain_reason(r) for r in due.criterion.reasons),
            proposed=result.assessment.date, priority=1))
    return new


def merge(plan: Plan, result: Result, assessment=None) -> tuple[Plan, list[PlanLine]]:  # noqa: ANN001
    """The council's plan, untouched, with efl's proposed lines added at the end."""
    new = propose(result, plan, assessment)
    return plan.model_copy(update={"lines": [*plan.lines, *new]}), new


def merge_yaml_text(text: str, new: list[PlanLine]) -> str:
    """Add lines to a YAML plan keeping the council's comments and layout (ruamel's round trip)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096  # keep the council's lines as they are, unwrapped
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.representer.ignore_aliases = lambda *args: True
    data = yaml.load(text)
    if data.get("lines") is None:
        data["lines"] = []
    for line in new:
        data["lines"].append(line.model_dump(mode="python", exclude_defaults=True))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@dataclass
class PlanSource:
    """The council's plan as efl read it, once: the plan, its file, the bytes read and their fingerprint.

    Everything efl does with the plan in a run works from these bytes (the merge keeps the council's
    YAML as written from them), and replacing the file checks it still has this fingerprint.
    """

    plan: Plan
    path: Path
    shown: str
    data: bytes
    fingerprint: Fingerprint | None  # None when read only to be shown (efl progress, efl validate)


def read_current_plan(loaded, fingerprint: bool = True) -> PlanSource | None:  # noqa: ANN001
    """The plan that ``plan:`` in assessment.yaml names (a file inside the folder), if any, read once.

    ``fingerprint=False``: the plan is only read, never replaced, so its bytes are not hashed (a
    plan of 5,000 lines is megabytes: the sha256 alone cost more than a twentieth of ``efl progress``).
    """
    assessment = loaded.assessment
    if assessment is None or not assessment.plan:
        return None
    from efl.files.evidence import resolve_inside
    from efl.files.safe_files import FileProblem, SafeFolder

    line, col = loaded.doc.locate(("plan",))
    where = f"{loaded.doc.path}:{line}:{col}"
    path = resolve_inside(loaded.folder, assessment.plan, where)
    try:
        # Read inside the folder's descriptor: the check above gives the message, this read holds.
        with SafeFolder(loaded.folder) as opened:
            if fingerprint:
                data, found = opened.read_fingerprinted(assessment.plan, plan_size_limit())
            else:
                data, found = opened.read(assessment.plan, plan_size_limit()), None
    except FileProblem as problem:
        if problem.kind == "missing":
            raise InputError(Diagnostic(loaded.doc.path, line, col, f"plan: '{assessment.plan}' was not found "
                                        "(expected the action plan file, .yaml, .csv or .xlsx, inside the folder)"))
        raise InputError(Diagnostic(loaded.doc.path, line, col, f"plan: '{assessment.plan}' {problem.message}"))
    shown = str(loaded.folder / assessment.plan)
    return PlanSource(read_plan(path, shown, data), path, shown, data, found)


def current_plan(loaded) -> tuple[Plan | None, Path | None]:  # noqa: ANN001
    """The plan that ``plan:`` in assessment.yaml names, and its file (see :func:`read_current_plan`),
    read to be shown: it is not replaced, so it needs no fingerprint."""
    source = read_current_plan(loaded, fingerprint=False)
    return (source.plan, source.path) if source is not None else (None, None)


def render_plan(plan: Plan, path: Path, host, result=None, source_text: str | None = None,  # noqa: ANN001
                new: list[PlanLine] | None = None) -> str | bytes:
    """The plan in the format ``path``'s ending asks for. XLSX goes through the ``xlsx`` report
    format's plugin (the registry's, like every format), so a council that swaps in its own
    template gets it here too."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        if source_text is not None and new is not None:
            return merge_yaml_text(source_text, new)
        return to_yaml(plan)
    if suffix == ".csv":
        return to_csv(plan)
    if suffix == ".xlsx":
        from efl.core.plugin_api import ReportOptions
        from efl.reports.report_formats import render

        return render(host, result, "xlsx", ReportOptions(plan=plan))
    raise UsageError(f"'{path.suffix}' is not a plan format (expected --plan FILE ending .yaml, .csv or .xlsx)")


@dataclass
class MergedPlan:
    """The merged plan, rendered for its target, ready to write."""

    data: str | bytes
    added: int
    target: Path
    # The fingerprint of the council's plan when the target is that plan: replaced only if unchanged.
    unchanged: Fingerprint | None = None

    def write(self, force: bool) -> None:
        from efl.files.output import write_atomic

        write_atomic(self.target, self.data, force, unchanged=self.unchanged)


def merged_plan(folder: Path, host, result: Result, target: Path, force: bool, loaded=None) -> MergedPlan:  # noqa: ANN001
    """The plan named in assessment.yaml with efl's new lines, rendered for ``target``, and how many
    lines were added. Checked before anything is written: an existing ``target`` needs ``force``.

    ``loaded`` is the assessment.yaml the run read (read again only when it is not given): what is
    merged is what was read, once, by descriptor.
    """
    if target.exists() and not force:
        raise InputError(Diagnostic(str(target), message="the file already exists (expected a new file name, "
                                    "or --force to replace it)"))
    if target.suffix.lower() not in (".yaml", ".yml", ".csv", ".xlsx"):
        raise UsageError(f"--plan {target}: '{target.suffix}' is not a plan format (expected .yaml, .csv or .xlsx)")
    if loaded is None:
        from efl.core.assessment import read_assessment

        loaded = read_assessment(folder)
    source = read_current_plan(loaded)
    merged, new = merge(source.plan if source else Plan(), result, loaded.assessment)
    source_text = None
    if source is not None and source.path.suffix.lower() in (".yaml", ".yml"):
        from efl.files.yamlio import decode_text

        source_text = decode_text(source.data, source.shown)
    data = render_plan(merged, target, host, result, source_text, new)
    unchanged = source.fingerprint if source is not None and _same_file(target, source) else None
    return MergedPlan(data, len(new), target, unchanged)


def _same_file(target: Path, source: PlanSource) -> bool:
    """Whether writing ``target`` replaces the council's plan (the same file, or its place)."""
    import os

    try:
        if source.fingerprint.same_file(os.stat(target, follow_symlinks=False)):
            return True
    except OSError:
        pass
    return os.path.realpath(target) == os.path.realpath(source.path)
