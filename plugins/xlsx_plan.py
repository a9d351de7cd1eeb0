"""The ``xlsx`` report format: the action plan as a workbook a lead officer can edit, print and give back.

The first sheet is an Excel Table (so screen readers announce each cell's column heading) holding
the plan: the council's own columns first, then the columns people fill in (objective, the area by
its full name, lead, action, output, due date, outcome, measure, baseline, target, status, progress
notes), then the key columns efl reads the plan back by (id, criterion, area key), at the end.
The sheet is protected without a password: the columns people edit are unlocked, the headings and
key columns are locked, so a key cannot be deleted by mistake. It prints on A4 landscape, one page
wide, with the heading row repeated on every page and a footer naming the council, the date and the
page. Dates are real dates, status is a drop-down, and every text cell is stored as text: a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is never written as a formula
(and is marked with Excel's "quote prefix", so it stays text when someone edits it).

``efl assess DIR --plan FILE.xlsx`` writes the merged plan through this format, and ``efl progress``
reads the workbook back (a hidden sheet names the council's own columns, since they no longer sit
before ``Id``). openpyxl is imported only when this format is used (``pip install 'efl[office]'``).
A council that wants its own layout can switch this plugin off (``-p no:xlsx``) and register an
``xlsx`` format of its own, keeping the column headings so the plan still reads back.
"""

from __future__ import annotations

import datetime as dt
import io

import efl
import efl.provisional as provisional  # each name loads its module on first use (start-up)

# Columns for people, in the order they read them; then the keys (locked, at the end).
PEOPLE = ["objective", "area_name", "lead", "action", "output", "due", "outcome", "measure", "baseline", "target",
          "status", "notes", "priority", "why"]
KEYS = ["id", "criterion", "area", "objective_id", "proposed"]
HEADINGS = {"area_name": "Performance area", "area": "Area key"}  # others: efl's usual headings
EDITABLE = {"objective", "lead", "action", "output", "due", "outcome", "measure", "baseline", "target", "status",
            "notes"}
HIDDEN = {"objective_id", "proposed"}  # bookkeeping a reader does not need to see; still read back
# Widths in characters, chosen so the people columns fit A4 landscape one page wide at a readable size.
WIDTHS = {"objective": 22, "area_name": 18, "lead": 18, "action": 34, "output": 18, "due": 17, "outcome": 20,
          "measure": 22, "baseline": 14, "target": 12, "status": 11, "notes": 30, "priority": 8, "why": 26,
          "id": 14, "criterion": 14, "area": 8, "objective_id": 10, "proposed": 12}
LAYOUT_SHEET = "Plan layout"  # hidden; the plan reader finds the council's own columns on it
LINE_HEIGHT = 15  # points per line of text at the default font size
ROWS_FOR_NEW_LINES = 200  # rows below the plan the status drop-down covers, for lines the council adds


def _help() -> list[tuple[str, str]]:
    """The "How to update" sheet (made when a plan is written: the statuses come from the plan module,
    which other commands need not import)."""
    return [("How to update this plan", ""),
            ("Status", "One of: " + ", ".join(provisional.PLAN_STATUSES)
             + ". Leave it empty if there is no status yet."),
            *HELP]


HELP = [  # after the status line
    ("Progress notes", "One note per line, each starting with its date, for example '2026-01-15: Survey sent "
                       "out'. Keep the earlier notes."),
    ("Dates", "Type a date (31/03/2026 is read day first)."),
    ("New lines", "Add a row below the plan and leave the Id empty: it is given one when the plan is read back."),
    ("Columns", "Keep the column headings and the key columns at the end (Id, Criterion, Area key): the plan "
                "is read back by them. The sheet is protected without a password so they are not deleted by "
                "mistake; the columns you fill in are unlocked."),
]


def _layout(plan: provisional.ActionPlan) -> list[tuple[str, list[str]]]:
    """The columns to write: the council's own, then the people columns, then the key columns."""
    own = [(c.heading, list(c.fields)) for c in plan.columns]
    used = {f for c in plan.columns for f in c.fields}
    headings = _usual_headings()
    people = [(HEADINGS.get(f, headings.get(f, f)), [f]) for f in PEOPLE if f not in used]
    keys = [(HEADINGS.get(f, headings.get(f, f)), [f]) for f in KEYS if f not in used]
    return own + people + keys


def _usual_headings() -> dict[str, str]:
    headers, fields, _ = provisional.plan_table(provisional.ActionPlan())
    return {names[0]: heading for heading, names in zip(headers, fields) if len(names) == 1}


def _rows(plan: provisional.ActionPlan, columns: list[tuple[str, list[str]]], area_names: dict[str, str]) -> list[list]:
    """The plan's rows in ``columns`` (from efl's own table, so every field is written as it reads back)."""
    headers, fields, rows = provisional.plan_table(plan)
    position = {tuple(names): j for j, names in enumerate(fields)}
    area_at = position.get(("area",))
    out = []
    for row in rows:
        cells = []
        for _, names in columns:
            if names == ["area_name"]:
                key = row[area_at] if area_at is not None else None
                cells.append(area_names.get(key, key) if key else None)
            else:
                cells.append(row[position[tuple(names)]] if tuple(names) in position else None)
        out.append(cells)
    return out


def plan_workbook(plan: provisional.ActionPlan, title: str = "Action plan", area_names: dict[str, str] | None = None,
                  council: str = "", day: dt.date | None = None, cautions: tuple[str, list[str]] | None = None) -> bytes:
    """The plan as a workbook. ``cautions`` is a heading and the sentences a lead officer must read
    before trusting the plan (an incomplete result, warnings about the evidence): they get a sheet of
    their own, "Read first", next to the plan, and the plan's footer points to it."""
    openpyxl = provisional.optional_import("openpyxl", "xlsx")
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    area_names = area_names or {}
    columns = _layout(plan)
    headers = [h for h, _ in columns]
    rows = _rows(plan, columns, area_names)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, heading in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=j)
        _text_cell(cell, heading)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    editable = [bool(set(names) & EDITABLE) for _, names in columns]
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            cell = sheet.cell(row=i, column=j)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "d mmmm yyyy"
            elif isinstance(value, int):
                cell.value = value
            elif value is not None:
                _text_cell(cell, str(value))
            cell.alignment = wrap
            if editable[j - 1]:
                cell.protection = Protection(locked=False)
    last_row = max(len(rows) + 1, 2)
    widths = []
    for j, (heading, names) in enumerate(columns, start=1):
        width = max(max(WIDTHS.get(n, 16) for n in names), min(len(heading) + 2, 26))
        widths.append(width)
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = width
        if editable[j - 1]:
            # The column's own style: the empty cells below the plan stay editable too, so a lead
            # officer can add lines in the protected sheet.
            sheet.column_dimensions[letter].protection = Protection(locked=False)
        if set(names) <= HIDDEN:
            sheet.column_dimensions[letter].hidden = True
    # Neither openpyxl nor every spreadsheet sizes wrapped rows on opening, so set each row's height.
    for i, row in enumerate([headers, *rows], start=1):
        lines = max((_lines(v, w) for v, w in zip(row, widths)), default=1)
        sheet.row_dimensions[i].height = LINE_HEIGHT * max(lines, 1)
    end = get_column_letter(len(headers))
    plan_table = Table(displayName="ActionPlan", ref=f"A1:{end}{last_row}")
    plan_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(plan_table)
    sheet.freeze_panes = "A2"
    # Printing: the people columns (the keys at the end are for reading the plan back), A4 landscape,
    # one page wide, the heading row on every page, and a footer saying whose plan, when, which page.
    people_end = get_column_letter(sum(1 for _, names in columns if not set(names) & set(KEYS)))
    sheet.print_area = f"A1:{people_end}{last_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.left.text = (council or title) + (" (see the Read first sheet)" if cautions else "")
    sheet.oddFooter.center.text = f"Action plan, {provisional.long_date(day)}" if day else "Action plan"
    sheet.oddFooter.right.text = "Page &P of &N"
    # Protected structure: locked headings and keys, unlocked editing columns; no password, so a
    # council that wants to change the layout can lift it (Review > Unprotect Sheet).
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.insertRows = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    if ["status"] in [names for _, names in columns]:
        column = get_column_letter([names for _, names in columns].index(["status"]) + 1)
        check = DataValidation(type="list", formula1='"' + ",".join(provisional.PLAN_STATUSES) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="Status",
                               error="Choose one of: " + ", ".join(provisional.PLAN_STATUSES))
        check.add(f"{column}2:{column}{last_row + ROWS_FOR_NEW_LINES}")
        sheet.add_data_validation(check)
    if cautions:
        heading, sentences = cautions
        first = book.create_sheet("Read first")
        _text_cell(first.cell(row=1, column=1), heading)
        first.cell(row=1, column=1).font = Font(bold=True, size=14)
        for i, text in enumerate(sentences, start=2):
            _text_cell(first.cell(row=i, column=1), text)
            first.cell(row=i, column=1).alignment = wrap
            first.row_dimensions[i].height = LINE_HEIGHT * _lines(text, 110)
        first.column_dimensions["A"].width = 110
        first.page_setup.orientation = "landscape"
        first.page_setup.paperSize = first.PAPERSIZE_A4
        first.protection.sheet = True  # read, not edited: it is said again at the next assessment
    about = book.create_sheet("How to update")
    for i, (name, text) in enumerate(_help(), start=1):
        _text_cell(about.cell(row=i, column=1), name)
        _text_cell(about.cell(row=i, column=2), text)
        about.cell(row=i, column=1).font = bold
        about.cell(row=i, column=2).alignment = wrap
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    about.page_setup.orientation = "landscape"
    about.page_setup.paperSize = about.PAPERSIZE_A4
    about.page_setup.fitToWidth = 1
    about.page_setup.fitToHeight = 0
    about.sheet_properties.pageSetUpPr.fitToPage = True
    layout = book.create_sheet(LAYOUT_SHEET)
    _text_cell(layout.cell(row=1, column=1), "The council's own columns")
    for i, column in enumerate(plan.columns, start=2):
        _text_cell(layout.cell(row=i, column=1), column.heading)
    layout.sheet_state = "veryHidden"
    book.properties.title = title
    book.properties.creator = council or "efl"
    book.properties.language = "en-GB"
    if day is not None:
        book.properties.created = book.properties.modified = dt.datetime.combine(day, dt.time())
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lines(value, width: float) -> int:  # noqa: ANN001
    """Roughly how many lines ``value`` takes in a wrapped cell ``width`` characters wide."""
    if value is None or isinstance(value, (int, dt.date)):
        return 1
    per_line = max(int(width * 1.1) - 1, 1)
    return sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))


def _text_cell(cell, text: str) -> None:  # noqa: ANN001
    """Store ``text`` as text, whatever it starts with: openpyxl would otherwise write '=...' as a formula."""
    # Never an IllegalCharacterError for text pasted from elsewhere; "_x000D_" typed as text stays text.
    cell.value = provisional.xml_safe(text, spreadsheet=True)
    cell.data_type = "s"
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        cell.quotePrefix = True


def render_xlsx(result, options) -> bytes:  # noqa: ANN001
    if result.hypothetical:  # a workbook to edit and give back would pass a what-if off as the council's plan
        raise efl.EvidenceError("the xlsx action plan is the council's own, to edit and give back, so it is not "
                                "written for a what-if (expected --format html, docx, markdown or csv, which say "
                                "what-if at the top, or no --assume)")
    plan = options.plan if options.plan is not None else \
        provisional.ActionPlan(lines=provisional.propose_plan_lines(result, provisional.ActionPlan()))
    names = {a.id: a.title for a in result.areas}
    return plan_workbook(plan, f"{result.assessment.council}: equality action plan", names,
                         result.assessment.council, result.assessment.date, cautions(result))


def cautions(result) -> tuple[str, list[str]] | None:  # noqa: ANN001
    """What the papers say before the plan can be trusted: an incomplete result, and each warning about
    the evidence, in the words every other format uses."""
    incomplete = provisional.incomplete_sentence(result)
    sentences = ([f"Incomplete result. {incomplete}"] if incomplete else []) + provisional.warning_sentences(result)
    if not sentences:
        return None
    heading = provisional.warning_heading(result) if result.warnings else "Incomplete result"
    return heading, sentences


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("xlsx", "the action plan as a spreadsheet to edit, print and give back (needs "
                              "efl[office])", render_xlsx, ".xlsx"))
