"""Reading a table from an .xlsx workbook as the person who edited it sees it.

A workbook that comes back from a lead officer has been through Excel or LibreOffice: a copy of
last quarter's sheet may sit hidden in front of the real one, cells are merged over several rows,
numbers carry a format (``0.00``, ``0%``) that decides what the cell shows, and any part of the
file may have been made by anyone. So:

* the archive is opened with limits and every XML part checked for declarations first
  (:mod:`efl.files.archives`), before openpyxl parses anything;
* the sheet read is the one *visible* sheet whose first row is the header the caller looks for;
  two such sheets are refused as ambiguous, and a hidden one is never read;
* a merged range gives its value to every row it covers, in its first column (what a reader sees
  beside each row); the other columns of a range merged across are left empty;
* a number in a text column is read as the cell shows it (``1.10``, ``64%``, ``£1,200``), not as
  the binary value behind it;
* a formula is never run or trusted: each is reported with its cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from efl.errors import Diagnostic, InputError


@dataclass
class Sheet:
    """The rows of the chosen sheet: (row number, values), the header first."""

    name: str
    rows: list[tuple[int, list[Any]]]
    problems: list[Diagnostic] = field(default_factory=list)


def read_workbook_sheet(data: bytes, shown: str, is_header: Callable[[list[Any]], bool], header_words: str,
                        limit: int) -> Sheet:
    """The visible sheet whose first row ``is_header`` accepts (see the module's docstring).

    :param header_words: what the header holds, for messages ("efl's plan columns, starting with 'Id'").
    :param limit: the most bytes the workbook may unpack to.
    """
    from efl.files.archives import ArchiveProblem, open_archive
    from efl.files.optional import need

    openpyxl = need("openpyxl", "xlsx")
    try:
        open_archive(data, limit, "workbook").check_xml()
    except ArchiveProblem as problem:
        if problem.message.startswith("not a readable"):
            problem.message = problem.message.replace("workbook", ".xlsx workbook", 1)
        raise InputError(Diagnostic(shown, message=problem.message)) from None
    try:
        with warnings.catch_warnings():
            # openpyxl's own warnings ("no default style", "a date outside the limits") name its source
            # files, not the council's; what matters about a cell is said with the cell's position.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips over, the file is what is wrong
        raise InputError(Diagnostic(shown, message=f"not a readable .xlsx workbook ({type(exc).__name__}: "
                                    f"{_short(exc)}; expected a file saved by Excel, LibreOffice or efl)")) from None
    candidates = [(sheet, sheet.sheet_state == "visible") for sheet in book.worksheets
                  if is_header(_first_row(sheet))]
    visible = [sheet for sheet, shown_ in candidates if shown_]
    if len(visible) > 1:
        names = " and ".join(f"'{s.title}'" for s in visible)
        raise InputError(Diagnostic(shown, message=f"the workbook has {len(visible)} visible sheets with "
                                    f"{header_words}: {names} (expected one; delete or hide the others, such as "
                                    "an old copy)"))
    if not visible:
        hidden = [sheet for sheet, _ in candidates]
        if hidden:
            raise InputError(Diagnostic(shown, message=f"the sheet with {header_words}, '{hidden[0].title}', is "
                                        "hidden (expected it visible: efl reads only what people can see; unhide "
                                        "it in the spreadsheet)"))
        raise InputError(Diagnostic(shown, 1, 1, f"no visible sheet starts with {header_words} (expected the "
                                    "header row efl writes, in the first row)"))
    return _rows(visible[0], shown)


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + "..." if len(text) > 200 else text or "no detail"


def _first_row(sheet) -> list[Any]:  # noqa: ANN001
    for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
        return list(row)
    return []


def _rows(sheet, shown: str) -> Sheet:  # noqa: ANN001
    fill: dict[tuple[int, int], Any] = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(row=merged.min_row, column=merged.min_col)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            fill[(row, merged.min_col)] = top
    out = Sheet(sheet.title, [])
    for row in sheet.iter_rows():
        if not row:
            continue
        values = []
        for cell in row:
            source = fill.get((cell.row, cell.column), cell)
            if source.data_type == "f":
                # A formula is never run or trusted: the table holds values a person typed.
                out.problems.append(Diagnostic(shown, cell.row, cell.column, f"cell {cell.coordinate} holds a formula "
                                               "(expected a value; type the text or date itself)"))
                values.append(None)
            else:
                values.append(shown_value(source))
        out.rows.append((row[0].row, values))
    return out


def shown_value(cell) -> Any:  # noqa: ANN001
    """A cell's value as the spreadsheet shows it: text, a date, or a number formatted by its format."""
    value = cell.value
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()  # a date typed in a cell: a day, shown as one
    if isinstance(value, str):
        from efl.files.xml_text import spreadsheet_cell_text

        return spreadsheet_cell_text(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return format_number(value, cell.number_format or "General")


_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[^;]')


def format_number(value: float | int, number_format: str) -> Any:
    """``value`` as a number format shows it, for the common formats (fixed decimals, thousands,
    percentages, a currency sign); the number itself for General and anything else."""
    section = number_format.split(";")[0]
    literal = "".join(m[1:-1] if m.startswith('"') else m[1:] if m.startswith("\\") else
                      _currency(m) if m.startswith("[") else m for m in _SECTION.findall(section))
    digits = re.search(r"[0#?][0#?,]*(?:\.([0#?]*))?", literal)
    if section.strip().lower() in ("general", "@", "") or digits is None or re.search(r"[dmyhsE]", literal, re.I):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value
    decimals = len(digits.group(1) or "")
    percent = "%" in literal
    shown = value * 100 if percent else value
    grouped = "," in digits.group(0).split(".")[0]
    body = f"{abs(shown):,.{decimals}f}" if grouped else f"{abs(shown):.{decimals}f}"
    sign = "-" if shown < 0 and float(body.replace(",", "")) != 0 else ""
    return literal[:digits.start()] + sign + body + literal[digits.end():]


def _currency(token: str) -> str:
    # [$£-809] is Excel's currency symbol with a locale; [Red] and [>100] are colours and conditions.
    match = re.match(r"\[\$([^-\]]*)", token)
    return match.group(1) if match else ""
