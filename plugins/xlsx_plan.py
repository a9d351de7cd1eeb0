"""The ``xlsx`` report format: the action plan as a workbook a lead officer can edit and give back.

The first sheet holds the plan in the council's own columns (then efl's, from ``Id``), with a
frozen header row, set column widths, wrapped text, dates stored as real dates and a drop-down
list for the status. Every text cell is stored as text: a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is never written as a formula (and is marked with Excel's
"quote prefix", so it stays text when someone edits it). ``efl assess DIR --plan FILE.xlsx`` writes
the merged plan through this format, and ``efl progress`` reads the workbook back.

openpyxl is imported only when this format is used (``pip install 'efl[office]'``). A council that
wants its own layout can switch this plugin off (``-p no:xlsx``) and register an ``xlsx`` format of
its own, keeping the column headings so the plan still reads back.
"""

from __future__ import annotations

import datetime as dt
import io

import efl
from efl.provisional import (ActionPlan as Plan, optional_import as need, PLAN_STATUSES as STATUSES,
                             plan_table as table, propose_plan_lines as propose, xml_safe)

WIDTHS = {"id": 14, "criterion": 14, "area": 8, "objective_id": 10, "objective": 34, "lead": 22, "action": 40,
          "output": 30, "due": 17, "outcome": 30, "measure": 30, "baseline": 12, "target": 12, "status": 12,
          "notes": 44, "why": 30, "proposed": 17, "priority": 9}
# Bookkeeping a reader does not need to see; hidden, still read back.
HIDDEN = ({"objective_id"}, {"proposed"})
LINE_HEIGHT = 15  # points per line of text at the default font size
HELP = [
    ("How to update this plan", ""),
    ("Status", "One of: " + ", ".join(STATUSES) + "."),
    ("Progress notes", "One note per line, each starting with its date, e.g. '2026-01-15: Survey sent out'. "
                       "Keep the earlier notes."),
    ("Dates", "Type a date (31/03/2026 is read day first)."),
    ("New lines", "Add a row with your own Id, or leave the Id empty and efl will give it one."),
    ("Columns", "Keep the column headings: efl reads the sheet back by them."),
]


def plan_workbook(plan: Plan, title: str = "Action plan") -> bytes:
    openpyxl = need("openpyxl", "xlsx")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    headers, fields, rows = table(plan)
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
    widths = []
    for j, names in enumerate(fields, start=1):
        width = max(max(WIDTHS.get(n, 16) for n in names), min(len(headers[j - 1]) + 2, 40))
        widths.append(width)
        sheet.column_dimensions[get_column_letter(j)].width = width
        if set(names) in HIDDEN:
            sheet.column_dimensions[get_column_letter(j)].hidden = True
    # Neither openpyxl nor every spreadsheet sizes wrapped rows on opening, so set each row's height.
    for i, row in enumerate([headers, *rows], start=1):
        lines = max((_lines(v, w) for v, w in zip(row, widths)), default=1)
        sheet.row_dimensions[i].height = LINE_HEIGHT * max(lines, 1)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if ["status"] in fields:
        column = get_column_letter(fields.index(["status"]) + 1)
        check = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="Status",
                               error="Choose one of: " + ", ".join(STATUSES))
        check.add(f"{column}2:{column}{max(len(rows) + 1, 2) + 200}")
        sheet.add_data_validation(check)
    about = book.create_sheet("How to update")
    for i, (name, text) in enumerate(HELP, start=1):
        _text_cell(about.cell(row=i, column=1), name)
        _text_cell(about.cell(row=i, column=2), text)
        about.cell(row=i, column=1).font = bold
        about.cell(row=i, column=2).alignment = wrap
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    about.page_setup.orientation = "landscape"
    about.page_setup.fitToWidth = 1
    about.page_setup.fitToHeight = 0
    about.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.title = title
    book.properties.creator = "efl"
    book.properties.language = "en-GB"
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
    cell.value = xml_safe(text)  # never an IllegalCharacterError for text pasted from elsewhere
    cell.data_type = "s"
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        cell.quotePrefix = True


def render_xlsx(result, options) -> bytes:  # noqa: ANN001
    plan = options.plan if options.plan is not None else Plan(lines=propose(result, Plan()))
    return plan_workbook(plan, f"{result.assessment.council}: equality action plan")


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("xlsx", "the action plan as a spreadsheet to edit and give back (needs efl[office])",
                              render_xlsx, ".xlsx"))
