"""The ``csv`` report format: the action plan, one row per action, safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by Excel
or LibreOffice as a formula; following the OWASP guidance on CSV injection each such cell is
prefixed with a single quote, and every cell is quoted. Text from evidence files (owners, figures,
criterion titles) reaches this file, so this matters.
"""

from __future__ import annotations

import csv
import io

import efl
from efl.provisional import incomplete_sentence, plan_rows

HEADERS = ["Priority", "Area", "Criterion id", "Criterion", "Action", "Why", "Owner", "Due",
           "Overdue", "Legal duty", "Figure"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a cell inert in spreadsheets (OWASP: prefix with ' when it starts a formula)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def render_csv(result, options) -> str:  # noqa: ANN001
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    # An incomplete result gets one more column, on every row, so no row can be read without it.
    warning = incomplete_sentence(result)
    writer.writerow(HEADERS + (["Incomplete result"] if warning else []))
    for row in plan_rows(result):
        cells = [str(row.priority), row.area, row.criterion_id, row.criterion, row.action, row.why, row.owner,
                 row.due_words, "yes" if row.overdue else "no", "yes" if row.statutory else "no", row.figure]
        writer.writerow([neutralise(cell) for cell in cells + ([warning] if warning else [])])
    # The byte-order mark makes Excel read the file as UTF-8 (names with accents survive).
    return "\ufeff" + buffer.getvalue()


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("csv", "the action plan as CSV, one row per action, safe for spreadsheets",
                              render_csv, ".csv"))
