"""Workbooks are read as a stream (read-only), and read exactly as openpyxl's editable sheet shows them.

The reference is openpyxl itself: the workbook loaded whole (not read-only), its cells walked as
efl walked them before it read workbooks as a stream. Each workbook here has something a lead
officer's edits leave behind: merged cells down and across, a hidden old copy of the sheet, numbers
with formats, dates, a formula, rich text, shared and inline strings, a table starting in column B,
blank rows, and a layout sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pytest

openpyxl = pytest.importorskip("openpyxl")

from efl.files.workbooks import read_workbook_sheet, shown_value  # noqa: E402


def reference(data: bytes) -> tuple[str, list[tuple[int, list]], list[tuple[int, int]]]:
    """The first visible sheet with an 'Id' header, as openpyxl's editable sheet gives it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)

    def first_row(sheet):  # noqa: ANN001, ANN202
        for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
            return list(row)
        return []

    sheet = [s for s in book.worksheets if s.sheet_state == "visible" and "Id" in first_row(s)][0]
    fill = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(row=merged.min_row, column=merged.min_col)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            fill[(row, merged.min_col)] = top
    rows, formulas = [], []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            source = fill.get((cell.row, cell.column), cell)
            if source.data_type == "f":
                formulas.append((cell.row, cell.column))
                values.append(None)
            else:
                values.append(shown_value(source))
        rows.append((row[0].row, values))
    return sheet.title, rows, formulas


def streamed(data: bytes):  # noqa: ANN201
    sheet = read_workbook_sheet(data, "plan.xlsx", lambda cells: "Id" in cells, "an 'Id' column", 50 << 20)
    return sheet.name, sheet.rows, [(d.line, d.col) for d in sheet.problems]


def _save(book) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _workbook(start_col: int = 1, rich: bool = False) -> bytes:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()
    old = book.active
    old.title = "Old copy"
    old.append(["Id", "Action"])
    old.append(["x", "last quarter"])
    old.sheet_state = "hidden"
    sheet = book.create_sheet("Action plan")
    headers = ["Objective", "Id", "Action", "Output due", "Baseline", "Status", "Notes"]
    for j, h in enumerate(headers):
        sheet.cell(row=1, column=start_col + j, value=h)
    rows = [
        ["1. Fair services", "a", "Review impact assessments", dt.datetime(2026, 3, 31), 0.64, "On track", "x"],
        [None, "b", "Train staff", dt.date(2026, 6, 30), 1200, "at risk", "2026-01-15: started\n2026-02-01: more"],
        ["2. Workforce", "c", "=A2&\"!\"", None, 1.1, "done", ""],
        [None, None, None, None, None, None, None],
        ["2. Workforce", "d", "Pay gap report", "31/03/2027", -0.005, None, "Ünïcödé ’quoted’"],
    ]
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values):
            cell = sheet.cell(row=i, column=start_col + j, value=v)
            if j == 4 and isinstance(v, (int, float)):
                cell.number_format = ["0%", "#,##0", "0.00", "0.0%"][i % 4]
    sheet.merge_cells(start_row=2, start_column=start_col, end_row=3, end_column=start_col)  # objective down
    sheet.merge_cells(start_row=6, start_column=start_col + 5, end_row=6, end_column=start_col + 6)  # across
    if rich:
        sheet.cell(row=3, column=start_col + 2).value = CellRichText(["Train ", TextBlock(InlineFont(b=True), "all"),
                                                                      " staff"])
    layout = book.create_sheet("Plan layout")
    layout.append(["Heading"])
    layout.append(["Objective"])
    layout.sheet_state = "hidden"
    return _save(book)


@pytest.mark.parametrize("start_col", [1, 2])
@pytest.mark.parametrize("rich", [False, True])
def test_streamed_sheet_is_what_openpyxl_shows(start_col: int, rich: bool) -> None:
    data = _workbook(start_col, rich)
    assert streamed(data) == reference(data)


def test_the_plan_workbook_efl_writes_reads_back_the_same(tmp_path) -> None:  # noqa: ANN001
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import plan_gen

    from efl.plan.action_plan import read_plan

    folder = plan_gen.plan_folder(tmp_path, 60, "xlsx")
    data = (folder / "action-plan.xlsx").read_bytes()
    title, rows, formulas = reference(data)
    assert streamed(data) == (title, rows, formulas)
    read, made = read_plan(folder / "action-plan.xlsx"), plan_gen.make_plan(60)
    assert read.lines == made.lines  # every word of every line back (objectives in the table's order)
    assert sorted(read.objectives, key=lambda o: o.id) == sorted(made.objectives, key=lambda o: o.id)


def test_a_formula_is_named_with_its_cell() -> None:
    data = _workbook()
    _, _, problems = streamed(data)
    assert (4, 3) in problems  # C4 holds a formula; the merged objective above it does not


def test_cells_and_rows_without_their_place_are_read_where_openpyxl_puts_them():
    # ``r`` is optional in a sheet's XML (some tools leave it out): rows and cells are then counted,
    # and a cell with its place after ones without keeps counting from there. The quick reading of
    # inline text and the column letters it remembers must agree with openpyxl's own counting.
    import re
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    for row in (["Id", "Action", "Lead", "Status"], ["a", "First", "Head of HR", "done"],
                ["b", "Second", 12, "on track"], ["c", "Third", "x", "at risk"], ["d", "Fourth", "y", None]):
        sheet.append(row)
    data = _save(book)
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    xml = re.sub(r'<row r="3"', "<row", xml)  # a row counted from the one before
    xml = re.sub(r'(<c) r="B3"', r"\1", xml)  # cells counted along the row
    xml = re.sub(r'(<c) r="C4"', r"\1", xml)
    assert "<row>" in xml and xml.count("<c t=") == 2
    parts[name] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for part, body in parts.items():
            new.writestr(part, body)
    changed = out.getvalue()
    title, rows, _ = reference(changed)
    got = streamed(changed)
    assert got[0] == title and got[1] == rows
    assert [values for _, values in got[1]][2] == ["b", "Second", 12, "on track"]
