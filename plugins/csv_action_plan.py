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
import efl.provisional as provisional  # each name loads its module on first use (start-up)

HEADERS = ["Priority", "Area", "Criterion id", "Criterion", "Action", "Why", "Lead", "Due",
           "Overdue", "Legal duty", "Figure"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a cell inert in spreadsheets (OWASP: prefix with ' when it starts a formula)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def render_csv(result, options) -> str:  # noqa: ANN001
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    # An incomplete result (or a what-if) gets one more column, on every row, so no row can be read without it.
    warning = provisional.incomplete_sentence(result)
    what_if = provisional.hypothetical_sentence(result)
    # Warnings about the evidence go with every row too, one to a line of the cell, as the papers list them.
    cautions = "\n".join(provisional.warning_sentences(result))
    criteria = provisional.criteria_by_id(result)
    local = result.framework.tailoring is not None
    target = {r.criterion_id: r for r in provisional.target_rows(result)}
    goal = result.level_title(result.target.level) if result.target else ""
    extra = ((["Local"] if local else []) + ([f"Needed for {goal}", "Now", "Needed", "What it would take"]
                                              if result.target else [])
             + ([provisional.warning_heading(result)] if cautions else [])
             + (["Incomplete result"] if warning else []) + (["What-if"] if what_if else []))
    writer.writerow(HEADERS + extra)

    def more(criterion_id: str) -> list[str]:
        out = [provisional.local_words(criteria[criterion_id]) if criterion_id in criteria else ""] if local else []
        if result.target:
            r = target.get(criterion_id)
            out += ["yes", r.now, r.needed, r.what] if r else ["no", "", "", ""]
        return out + ([cautions] if cautions else []) + ([warning] if warning else []) + ([what_if] if what_if else [])

    planned = set()
    for row in provisional.plan_rows(result):
        planned.add(row.criterion_id)
        cells = [str(row.priority), row.area, row.criterion_id, row.criterion, row.action,
                 provisional.plain_reason(row.why), row.owner, row.due_words, "yes" if row.overdue else "no",
                 "yes" if row.statutory else "no", row.figure]
        writer.writerow([neutralise(cell) for cell in cells + more(row.criterion_id)])
    # The rest of the way to the target: criteria beyond the area's next level, with their own actions.
    for r in target.values():
        if r.criterion_id in planned:
            continue
        cells = ["", r.area, r.criterion_id, r.criterion, r.action, r.what, r.lead, r.due,
                 "yes" if r.overdue else "no", "yes" if r.statutory else "no", ""]
        writer.writerow([neutralise(cell) for cell in cells + more(r.criterion_id)])
    # A live waiver is something to revisit by its expiry date, so it has a row of its own.
    for w, record in zip(provisional.waiver_rows(result), result.waivers):
        if not record.applied:
            continue
        cells = ["", w.area, record.criterion, w.criterion, f"Waived: {w.reason}",
                 f"Without the waiver: {w.without}", f"{w.approver} (approved {w.approved_on})",
                 provisional.long_date(record.expires), "no", "no", ""]
        writer.writerow([neutralise(cell) for cell in cells + more(record.criterion)])
    # The byte-order mark makes Excel read the file as UTF-8 (names with accents survive).
    return "\ufeff" + buffer.getvalue()


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("csv", "the action plan as CSV, one row per action, safe for spreadsheets",
                              render_csv, ".csv"))
