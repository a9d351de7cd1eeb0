"""A sheet read in one pass over its XML text (efl.files.sheet_quick) gives exactly the cells that
reading it element by element gives: the same objects (text, numbers, dates, empty cells of each
type), at the same places, with the same merged ranges; and a sheet it does not take is read element
by element, so every value and every message stays what it was.

The reference is the element-by-element reader itself, run with the quick reading switched off, on
plan workbooks efl writes, workbooks openpyxl writes its own way (shared strings, dates, formulas,
merged cells) and sheets whose XML has been edited into every shape the quick reading refuses."""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import zipfile
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

import efl.files.sheet_quick as sheet_quick  # noqa: E402
from efl.errors import InputError  # noqa: E402
from efl.files.workbooks import read_workbook_sheet  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import plan_gen  # noqa: E402


def _cell(cell) -> tuple:  # noqa: ANN001
    """What the sheet's readers see of a cell: its value, its kind (text or not), whether it is a
    formula, and for a value its type, style and place (an empty cell is the same whatever its class)."""
    if cell.value is None and cell.data_type != "f":
        return ("empty",)
    return (type(cell).__name__ == "_TextCell", cell.value, type(cell.value).__name__, cell.data_type,
            getattr(cell, "_style_id", None), getattr(cell, "row", None), getattr(cell, "column", None),
            cell.number_format if isinstance(cell.value, (int, float)) else None)


def _read(data: bytes):  # noqa: ANN202
    """Every sheet's cells (as objects' contents), merged ranges and the chosen sheet's rows; or the error."""
    try:
        sheet = read_workbook_sheet(data, "plan.xlsx", lambda cells: "Id" in cells, "an 'Id' column", 50 << 20)
    except InputError as error:
        return ("error", [str(d) for d in error.diagnostics])
    except Exception as error:  # noqa: BLE001 - the same exception either way (a style the workbook lacks)
        return ("raised", type(error).__name__, str(error))
    others = {title: ({k: _cell(c) for k, c in s.cells.items()}, [r.coord for r in s.ranges], s.max_row, s.max_col)
              for title, s in sheet.others.items()}
    return ("sheet", sheet.name, sheet.rows, [str(d) for d in sheet.problems], others)


def _both(monkeypatch, data: bytes):  # noqa: ANN001, ANN202
    taken = []
    real = sheet_quick.quick_cells

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        got = real(*args, **kwargs)
        taken.append(got is not None)
        return got

    with monkeypatch.context() as m:
        m.setattr(sheet_quick, "quick_cells", spy)
        quick = _read(data)
    with monkeypatch.context() as m:
        m.setattr(sheet_quick, "quick_cells", lambda *a, **k: None)
        slow = _read(data)
    assert quick == slow
    return quick, taken


def _plan_workbook(lines: int, seed: int) -> bytes:
    from efl_plugins.xlsx_plan import plan_workbook

    return plan_workbook(plan_gen.make_plan(lines, seed), council="London Borough of Harrow")


@pytest.mark.parametrize("lines, seed", [(1, 1), (9, 2), (80, 3), (300, 29)])
def test_plan_workbooks_efl_writes_are_read_quickly_and_the_same(monkeypatch, lines, seed) -> None:  # noqa: ANN001
    got, taken = _both(monkeypatch, _plan_workbook(lines, seed))
    assert got[0] == "sheet" and taken and all(taken)  # every sheet read the quick way


def _openpyxl_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(["Objective", "Id", "Action", "Output due", "Baseline", "Status", "Progress notes"])
    sheet.append(["1. Fair", "a", "Review & <check> \"it\"", dt.datetime(2026, 3, 31), 0.64, "On track", "x"])
    sheet.append([None, "b", " spaced ", dt.date(2026, 6, 30), 1200, "at risk", "2026-01-15: a\n2026-02-01: b"])
    sheet.append(["2. Work", "c", "=A2&\"!\"", None, 1.5e-7, True, "Ünïcödé ’q’ \t tab"])
    sheet.append([])
    sheet.append(["2. Work", "d", "Pay", "31/03/2027", -5, None, "😀 beyond the BMP"])
    sheet["D7"] = dt.datetime(2026, 1, 2, 13, 30)
    sheet.cell(row=3, column=5).number_format = "0.00%"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("F6:G6")
    layout = book.create_sheet("Plan layout")
    layout.append(["Heading"])
    layout.append(["Objective"])
    layout.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl's own way: shared strings, dates as numbers with date styles, a formula
    return buffer.getvalue()


def test_workbooks_openpyxl_writes_its_way_read_the_same(monkeypatch) -> None:  # noqa: ANN001
    got, taken = _both(monkeypatch, _openpyxl_workbook())
    assert got[0] == "sheet" and any(taken)


def _edited(data: bytes, edit, member: str = "xl/worksheets/sheet1.xml") -> bytes:  # noqa: ANN001
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, edit(body) if info.filename == member else body)
    return out.getvalue()


def _first(old: bytes, new: bytes):  # noqa: ANN202
    return lambda xml: xml.replace(old, new, 1)


EDITS = {
    # shapes the quick reading takes
    "a shared string": _first(b't="inlineStr"><is><t>Id</t></is>', b't="s"><v>0</v>'),
    "references": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>&amp;&lt;&#65;&#x42;"
                                       b"&quot;&apos;&gt;&#10;</t>"),
    "space kept": _first(b"<t>Id</t>", b'<t>Id</t></is></c><c r="T1" t="inlineStr"><is><t xml:space="preserve"> a </t>'),
    "an empty text element": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t/>"),
    "a cell with no type": _first(b'<c r="A1"', b'<c r="U1"><v>7</v></c><c r="V1"/><c r="A1"'),
    "a number as text type": _first(b'<c r="A1"', b'<c r="U1" t="inlineStr"><v>7</v></c><c r="A1"'),
    "an empty row": _first(b"<row r=\"1\"", b"<row r=\"9000\" ht=\"15\"/><row r=\"1\""),
    "a date typed as text cell": _first(b'<c r="A1"', b'<c r="U1" s="5" t="n"><v>45000.5</v></c><c r="A1"'),
    "a merged range": lambda xml: xml.replace(b"</sheetData>", b"</sheetData><mergeCells count=\"1\"><mergeCell "
                                              b"ref=\"A2:A4\"/></mergeCells>", 1) if b"<mergeCells" not in xml else xml,
    "an XML declaration": lambda xml: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml,
    # shapes it refuses, and broken XML (the same message either way)
    "a comment in the rows": _first(b"<row r=\"2\"", b"<!-- x --><row r=\"2\""),
    "space between cells": _first(b"</c><c r=\"B1\"", b"</c> <c r=\"B1\""),
    "a carriage return": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>a\r\nb</t>"),
    "a bad character reference": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>&#1;</t>"),
    "an unknown entity": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>&nbsp;</t>"),
    "a control character": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>\x01</t>"),
    "a CDATA end": _first(b"<t>Id</t>", b"<t>Id</t></is></c><c r=\"T1\" t=\"inlineStr\"><is><t>a]]>b</t>"),
    "an attribute twice": _first(b"<row r=\"2\"", b"<row r=\"2\" ht=\"1\" ht=\"2\""),
    "a namespace on a row": _first(b"<row r=\"2\"", b"<row r=\"2\" xmlns=\"urn:other\""),
    "a row with no number": _first(b"<row r=\"2\"", b"<row"),
    "a cell with no place": _first(b'<c r="A2"', b"<c"),
    "a formula": _first(b'<c r="A1"', b'<c r="U1"><f>1+1</f><v>2</v></c><c r="A1"'),
    "a truth value": _first(b'<c r="A1"', b'<c r="U1" t="b"><v>1</v></c><c r="A1"'),
    "rich text": _first(b"<is><t>Id</t></is>", b"<is><r><t>I</t></r><r><t>d</t></r></is>"),
    "a number that is not one": _first(b'<c r="A1"', b'<c r="U1"><v>1e</v></c><c r="A1"'),
    "a shared string out of range": _first(b'<c r="A1"', b'<c r="U1" t="s"><v>99999</v></c><c r="A1"'),
    "a column past the last": _first(b'<c r="A1"', b'<c r="ZZZ1" t="inlineStr"><is><t>x</t></is></c><c r="A1"'),
    "a row outside the rows": lambda xml: xml.replace(b"</sheetData>", b"</sheetData><extLst><row r=\"7\"><c r=\"A7\" "
                                                      b"t=\"inlineStr\"><is><t>x</t></is></c></row></extLst>", 1),
    "two row lists": lambda xml: xml.replace(b"</sheetData>", b"</sheetData><sheetData/>", 1),
    "another encoding": lambda xml: b'<?xml version="1.0" encoding="ISO-8859-1"?>' + xml,
    "a byte-order mark": lambda xml: b"\xef\xbb\xbf" + xml,
    "a tag left open": _first(b"</row>", b""),
    "an unclosed text": _first(b"</t>", b""),
    "other rows' namespace": lambda xml: xml.replace(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                                                     b'spreadsheetml/2006/main"', b'<worksheet xmlns="urn:x"', 1),
}


TAKEN = ("a shared string", "references", "space kept", "an empty text element", "a cell with no type",
         "a number as text type", "an empty row", "a date typed as text cell", "a merged range", "an XML declaration")


@pytest.mark.parametrize("name", sorted(EDITS))
def test_edited_sheets_read_the_same_or_are_read_element_by_element(monkeypatch, name: str) -> None:  # noqa: ANN001
    plan = _plan_workbook(12, 5)
    for data in (plan, _openpyxl_workbook()):  # (openpyxl's own has a formula: read element by element)
        got, taken = _both(monkeypatch, _edited(data, EDITS[name]))
        if name in TAKEN and data is plan and got[0] == "sheet":
            assert taken[0], name  # the edited sheet itself was read the quick way


def test_the_quick_reading_refuses_what_it_does_not_take() -> None:
    # Guard that the refusals above are refusals of the quick reading (not only equal outcomes).
    for name in ("a comment in the rows", "a carriage return", "a bad character reference", "an attribute twice",
                 "a namespace on a row", "a formula", "a row outside the rows", "another encoding"):
        data = _edited(_plan_workbook(3, 1), EDITS[name])
        xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert _quick_of(xml, data) is None, name
    data = _plan_workbook(3, 1)
    assert _quick_of(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"), data) is not None


def _quick_of(xml: bytes, data: bytes):  # noqa: ANN202
    from openpyxl.cell.read_only import ReadOnlyCell

    from efl.files import workbooks

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheet = book.worksheets[0]
    parser = workbooks._sheet_parser()(io.BytesIO(xml), sheet._shared_strings, data_only=False,  # noqa: SLF001
                                       epoch=book.epoch, date_formats=book._date_formats,  # noqa: SLF001
                                       timedelta_formats=book._timedelta_formats)  # noqa: SLF001
    parser.sheet = sheet
    return sheet_quick.quick_cells(xml, parser, sheet, parser.take, workbooks._TextCell, ReadOnlyCell,
                                    workbooks._EMPTY)


@pytest.mark.parametrize("seed", range(25))
def test_random_cells_read_the_same(monkeypatch, seed: int) -> None:  # noqa: ANN001
    # Cells of every shape in a random order and mixture, spliced into a plan sheet's first row.
    rng = random.Random(seed)
    shapes = [b'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>', b'<c r="{c}1" s="4" t="inlineStr"></c>',
              b'<c r="{c}1" s="3" t="n"></c>', b'<c r="{c}1" s="5" t="n"><v>{n}</v></c>', b'<c r="{c}1"><v>{n}</v></c>',
              b'<c r="{c}1" s="4"/>', b'<c r="{c}1" t="s"><v>0</v></c>', b'<c r="{c}1" t="inlineStr"><is><t/></is></c>']
    texts = [b"plain", b"a &amp; b", b"&#233;t&#233;", b"  ", b"", b"x\ny", b"&lt;t&gt;", b"\xe2\x80\x99"]
    numbers = [b"0", b"42643", b"-1.5", b"1E3", b"2.5e-3", b"+7", b"45000.25"]
    cells = b"".join(rng.choice(shapes).replace(b"{c}", col.encode()).replace(b"{t}", rng.choice(texts))
                     .replace(b"{n}", rng.choice(numbers)) for col in ("T", "U", "V", "W", "X", "Y", "Z", "AA"))
    data = _edited(_plan_workbook(4, seed), lambda xml: xml.replace(b"</row>", cells + b"</row>", 1))
    _both(monkeypatch, data)
