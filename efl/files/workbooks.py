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
    others: dict[str, Any] = field(default_factory=dict)  # every sheet of the workbook, parsed, by title


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
            # Read-only: the workbook's parts, but no sheet until it is read below, once, as a stream
            # (the cells kept as openpyxl parses them, without building an editable sheet).
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheets = [_parse_sheet(sheet) for sheet in book.worksheets]
            finally:
                book.close()
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips over, the file is what is wrong
        raise InputError(Diagnostic(shown, message=f"not a readable .xlsx workbook ({type(exc).__name__}: "
                                    f"{_short(exc)}; expected a file saved by Excel, LibreOffice or efl)")) from None
    candidates = [(sheet, sheet.sheet_state == "visible") for sheet in sheets if is_header(sheet.first_row())]
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
    out = _rows(visible[0], shown)
    out.others = {sheet.title: sheet for sheet in sheets}
    return out


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + "..." if len(text) > 200 else text or "no detail"


class _Empty:
    """A cell with nothing in it (not in the file, or covered by a merged range): as openpyxl's."""

    __slots__ = ()
    value = None
    data_type = "n"
    number_format = "General"


_EMPTY = _Empty()


class _TextCell:
    """A cell of plain text (no formula): all that reading it needs, lighter than openpyxl's
    ReadOnlyCell (a plan of thousands of lines has a hundred thousand such cells)."""

    __slots__ = ("value",)
    data_type = "s"
    number_format = "General"

    def __init__(self, value: str):
        self.value = value


class _ParsedSheet:
    """One sheet's cells as openpyxl's sheet parser gives them, and its merged ranges.

    Laid out as openpyxl's editable sheet lays them out (what efl read before it read workbooks as
    a stream): rows from 1 to the last row with a cell, columns from 1 to the last column with one,
    a merged range's cells counted in, and every cell of a range but its first emptied.
    """

    def __init__(self, sheet, cells: dict[tuple[int, int], Any], merged: list[str]):  # noqa: ANN001
        from openpyxl.worksheet.cell_range import CellRange

        self.title = sheet.title
        self.sheet_state = sheet.sheet_state
        self.ranges = [CellRange(ref) for ref in merged]
        self.cells = cells
        for r in self.ranges:
            cells.setdefault((r.min_row, r.min_col), _EMPTY)
            for row in range(r.min_row, r.max_row + 1):
                for col in range(r.min_col, r.max_col + 1):
                    if (row, col) != (r.min_row, r.min_col):
                        cells[(row, col)] = _EMPTY
        self.max_row = max((k[0] for k in cells), default=0)
        self.max_col = max((k[1] for k in cells), default=0)

    def first_row(self) -> list[Any]:
        if not self.cells:
            return []
        return [self.cells.get((1, c), _EMPTY).value for c in range(1, self.max_col + 1)]


def _parse_sheet(sheet) -> _ParsedSheet:  # noqa: ANN001
    """Every cell of a read-only sheet (openpyxl's parser, with a quicker path for plain inline
    text, the way efl writes text), and the sheet's merged ranges (read at the end of the sheet)."""
    from openpyxl.cell.read_only import ReadOnlyCell

    from efl.files.sheet_quick import quick_cells

    book = sheet.parent
    cells: dict[tuple[int, int], Any] = {}
    with sheet._get_source() as source:  # noqa: SLF001 - as openpyxl's own read-only rows are read
        xml = source.read()
    parser = _sheet_parser()(io.BytesIO(xml), sheet._shared_strings, data_only=False, epoch=book.epoch,  # noqa: SLF001
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)  # noqa: SLF001
    parser.sheet = sheet
    # A sheet written the plain way (every sheet efl writes) in one pass over its text; any other
    # element by element (the same cells either way: efl.files.sheet_quick).
    quick = quick_cells(xml, parser, sheet, parser.take, _TextCell, ReadOnlyCell, _EMPTY)
    if quick is not None:
        cells, merged = quick
        return _ParsedSheet(sheet, cells, merged)
    parser.read_cells(sheet, cells)
    merged = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return _ParsedSheet(sheet, cells, merged)


_PARSER = None


def _sheet_parser():  # noqa: ANN202
    global _PARSER
    if _PARSER is None:
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.utils import coordinate_to_tuple
        from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser, _cast_number
        from openpyxl.xml.constants import SHEET_MAIN_NS

        inline, text, value_tag = f"{{{SHEET_MAIN_NS}}}is", f"{{{SHEET_MAIN_NS}}}t", VALUE_TAG
        space = "{http://www.w3.org/XML/1998/namespace}space"
        places: dict[str, tuple[int, int]] = {}

        def _place(coordinate: str) -> tuple[int, int]:
            # (row, column) of "C12", as openpyxl's coordinate_to_tuple gives it, the column remembered.
            # (The letters are what is left of the text without its last digits: anything odd, such as
            # no digits, digits before the letters or letters never seen, goes to openpyxl.)
            letters = coordinate.rstrip("0123456789")
            digits = coordinate[len(letters):]
            column = places.get(letters)
            if column is None or not digits:
                row, column = coordinate_to_tuple(coordinate)
                places[letters] = column
                return row, column
            return int(digits), column

        class Parser(WorkSheetParser):
            def read_cells(self, sheet, cells: dict) -> None:  # noqa: ANN001
                """Every cell of the sheet into ``cells`` by (row, column), and its merged ranges. Only
                what efl reads of a sheet: its rows (numbered as openpyxl's parse_row numbers them) and
                its merged ranges. Parsed with Python's own (C) XML parser: every XML part of the
                workbook has been checked first, through defusedxml, for a document type declaration
                (efl.files.archives), and XML without one declares no entity and fetches nothing."""
                from xml.etree.ElementTree import iterparse

                from openpyxl.worksheet._reader import MERGE_TAG, ROW_TAG
                from openpyxl.worksheet.merge import MergeCells

                self.sheet = sheet
                quick = self.quick_cell
                for _, element in iterparse(self.source):
                    if element.tag == ROW_TAG:
                        number = element.get("r")
                        if number is not None:
                            try:
                                self.row_counter = int(number)
                            except ValueError:
                                val = float(number)
                                if not val.is_integer():
                                    raise ValueError(f"{number} is not a valid row number") from None
                                self.row_counter = int(val)
                        else:
                            self.row_counter += 1
                        self.col_counter = 0
                        for child in element:
                            if not quick(child, cells):
                                self.parsed(child, cells)
                        element.clear()
                    elif element.tag == MERGE_TAG:
                        self.merged_cells = MergeCells.from_tree(element)
                        element.clear()

            def parsed(self, element, cells: dict) -> None:  # noqa: ANN001
                cell = self.parse_cell(element)  # openpyxl's own
                value, kind, key = cell["value"], cell["data_type"], (cell["row"], cell["column"])
                cells[key] = _TextCell(value) if kind == "s" and type(value) is str else \
                    ReadOnlyCell(self.sheet, key[0], key[1], value, kind, cell["style_id"])

            def take(self, element, cells: dict) -> None:  # noqa: ANN001
                """One cell element into ``cells``, as read_cells takes each (quick_cell, else parse_cell)."""
                if not self.quick_cell(element, cells):
                    self.parsed(element, cells)

            def quick_cell(self, element, cells: dict) -> bool:  # noqa: ANN001
                # The common cells (plain inline text, as efl and many tools write it; a shared
                # string; a number not formatted as a date) read here, as openpyxl reads them, without
                # its rich-text objects; anything else (formulas, dates, truth values, errors, rich
                # text) is left to openpyxl itself (False).
                kind = element.get("t", "n")
                coordinate = element.get("r")
                if kind not in ("inlineStr", "s", "n") or not coordinate or element.find(FORMULA_TAG) is not None:
                    return False
                style_id = element.get("s", 0)
                if style_id:
                    style_id = int(style_id)
                if kind == "inlineStr":
                    child = element.find(inline)
                    if child is None or len(child) != 1:
                        return False
                    part = child[0]
                    if part.tag != text or part.attrib and part.attrib.keys() - {space}:
                        return False
                    value = part.text or ""
                else:
                    value = element.findtext(value_tag, None) or None
                    if value is not None:
                        if kind == "s":
                            value = self.shared_strings[int(value)]
                        elif style_id in self.date_formats:
                            return False
                        else:
                            value = _cast_number(value)
                place = _place(coordinate)
                self.col_counter = place[1]
                if kind != "n" and type(value) is str:
                    cells[place] = _TextCell(value)
                else:
                    cells[place] = ReadOnlyCell(self.sheet, place[0], place[1], value,
                                                kind if kind != "inlineStr" else "s", style_id)
                return True

        _PARSER = Parser
    return _PARSER


def _rows(sheet: _ParsedSheet, shown: str) -> Sheet:
    fill: dict[tuple[int, int], Any] = {}
    for merged in sheet.ranges:
        top = sheet.cells[(merged.min_row, merged.min_col)]
        for row in range(merged.min_row + 1, merged.max_row + 1):
            fill[(row, merged.min_col)] = top
    out = Sheet(sheet.title, [])
    cells = sheet.cells
    text_of = _cell_text()
    for number in range(1, sheet.max_row + 1):
        values = []
        for column in range(1, sheet.max_col + 1):
            source = (fill.get((number, column)) if fill else None) or cells.get((number, column), _EMPTY)
            if type(source) is _TextCell:
                values.append(text_of(source.value))  # (shown_value of text)
            elif source is _EMPTY:
                values.append(None)  # (shown_value of nothing)
            elif source.data_type == "f":
                # A formula is never run or trusted: the table holds values a person typed.
                coordinate = f"{_letter(column)}{number}"
                out.problems.append(Diagnostic(shown, number, column, f"cell {coordinate} holds a formula "
                                               "(expected a value; type the text or date itself)"))
                values.append(None)
            else:
                values.append(shown_value(source))
        out.rows.append((number, values))
    return out


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def shown_value(cell) -> Any:  # noqa: ANN001
    """A cell's value as the spreadsheet shows it: text, a date, or a number formatted by its format."""
    value = cell.value
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()  # a date typed in a cell: a day, shown as one
    if isinstance(value, str):
        return _cell_text()(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return format_number(value, cell.number_format or "General")


def _cell_text():  # noqa: ANN202
    from efl.files.xml_text import spreadsheet_cell_text

    return spreadsheet_cell_text


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
