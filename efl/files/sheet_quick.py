"""A workbook sheet's cells read straight from its XML text, for sheets written the plain way.

:func:`efl.files.workbooks.read_workbook_sheet` reads a sheet through Python's XML parser, an
element per cell and its children, then looks at each cell in Python: for a plan of 5,000 lines
(95,000 cells, 9 MB of XML) that was most of ``efl progress``. Most sheets (every one efl writes,
through openpyxl) are a run of ``<row r="..">`` elements holding cells of a handful of shapes:

    <c r="D2" s="3" t="inlineStr"><is><t>text</t></is></c>      text
    <c r="F2" s="5" t="n"><v>42643</v></c>                       a number (or a date, by its style)
    <c r="B2" s="4" t="inlineStr"></c>, <c r="C2" s="4"/>        nothing
    <c r="E2" s="1" t="s"><v>12</v></c>                          a shared string

Here one regular expression reads the sheet's ``<sheetData>`` as that run, and the cells are made
as the element-by-element reader makes them (the same objects, keyed the same way; a cell of any
other shape, such as a date, is handed to that reader's own code as an element). The sheet is read
this way only when the whole of ``<sheetData>`` is such a run, with nothing left between the
matches, its text holds only characters XML allows, references among XML's five names and
numbered characters, no carriage return and no ``]]>``, and the rest of the sheet (parsed as XML,
with the rows taken out) has its rows nowhere else; anything else returns None, and the sheet is
read element by element, which says what is wrong with it exactly as before.
``tests/test_sheet_quick.py`` compares the two on generated and awkward sheets.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from openpyxl.xml.constants import SHEET_MAIN_NS

_MAIN = "{%s}" % SHEET_MAIN_NS
_TEXT = r"[^<]*"  # (its references are checked apart: see _unescaped)
_ROW = re.compile(r'<row r="([1-9][0-9]{0,6})"((?: [A-Za-z]+="[^"<&]*")*)(/?)>')
# One cell: its column letters and row, style, type, then its inline text, or its value, or nothing.
_CELL = re.compile(r'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="(inlineStr|n|s)")?'
                   r'(?:/>|></c>|><is><t(?: xml:space="preserve")?>(' + _TEXT + r')</t></is></c>'
                   r'|><is><t(?: xml:space="preserve")?/></is></c>|><v>([-+.0-9eE]{1,40})</v></c>)')
_ROW_END = "</row>"
# Characters XML 1.0 does not allow (as text or as a numbered reference), and a carriage return
# (which the XML parser turns into a line feed).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_REF = re.compile(r"&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);")
# The characters XML allows that an ASCII text may hold (the rest of ASCII is control characters).
_ASCII_XML = b"\t\n" + bytes(range(0x20, 0x7F))
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ATTR_NAME = re.compile(r' ([A-Za-z]+)=')


class _NotPlain(Exception):
    """Something the quick reading does not take: the sheet is read element by element."""


def _character(match: re.Match) -> str:
    ref = match.group(1)
    if ref[0] != "#":
        return _NAMED[ref]
    code = int(ref[2:], 16) if ref[1] == "x" else int(ref[1:])
    if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF):
        raise _NotPlain  # the XML parser refuses it
    return chr(code)


def _unescaped(text: str) -> str:
    """Text with its references read, when every ``&`` starts one XML knows; else _NotPlain."""
    out, found = _REF.subn(_character, text)
    if found != text.count("&"):
        raise _NotPlain  # an entity XML does not define, or a bare "&": the XML parser refuses it
    return out


def _all_xml(body: str) -> bool:
    """No character XML refuses in ``body``, and no carriage return (ASCII, the usual case, by one
    C pass over its bytes)."""
    if body.isascii():
        return not body.encode("ascii").translate(None, _ASCII_XML)
    return _NOT_XML.search(body) is None


def quick_cells(xml: bytes, parser: Any, sheet: Any, take: Callable[[Any, dict], None], text_cell: type,
                plain_cell: type, empty: Any) -> tuple[dict, list[str]] | None:
    """The sheet's cells by (row, column) and its merged ranges, as the element-by-element reader
    gives them, or None (see the module's docstring).

    :param parser: that reader (its shared strings, date styles and ``parse_cell``).
    :param take: its handling of one cell element, for the cells of other shapes.
    :param text_cell: the class it makes for a cell of text; ``plain_cell`` (openpyxl's
        ``ReadOnlyCell``) for numbers.
    :param empty: what a cell with nothing in it is read as (the reader makes a ``ReadOnlyCell``
        with no value, and the sheet's readers see the two alike: no value, no formula).
    """
    try:
        return _quick_cells(xml, parser, sheet, take, text_cell, plain_cell, empty)
    except Exception:  # noqa: BLE001 - whatever it is, the element-by-element reader says it properly
        return None


def _quick_cells(xml: bytes, parser: Any, sheet: Any, take: Callable[[Any, dict], None], text_cell: type,
                 plain_cell: type, empty: Any) -> tuple[dict, list[str]] | None:
    from xml.etree.ElementTree import Element, SubElement, fromstring

    if xml.startswith(b"<?xml"):
        declaration = xml[:xml.index(b"?>")]
        if b"encoding" in declaration and not re.search(rb"""encoding=["'](?i:utf-8)["']""", declaration):
            return None
    elif not xml.startswith(b"<"):
        return None  # a byte-order mark, space, another encoding
    text = xml.decode("utf-8")
    start, end = text.find("<sheetData>"), text.find("</sheetData>")
    if start < 0 or end < start or text.count("<sheetData") != 1 or "<sheetData" in text[end:]:
        return None
    body = text[start + len("<sheetData>"):end]
    if "]]>" in body or not _all_xml(body):
        return None
    # The rest of the sheet, parsed as XML (it must be well-formed, its root the sheet's, with no
    # rows outside sheetData: the element reader reads a row wherever it is).
    rest = fromstring(text[:start] + "<sheetData/>" + text[end + len("</sheetData>"):])
    if rest.tag != _MAIN + "worksheet" or rest.find(_MAIN + "sheetData") is None or \
            next(rest.iter(_MAIN + "row"), None) is not None:
        return None
    merged_tags = list(rest.iter(_MAIN + "mergeCells"))
    cells: dict[tuple[int, int], Any] = {}
    columns: dict[str, int] = {}
    date_styles = parser.date_formats
    shared = parser.shared_strings
    row_match, cell_match = _ROW.match, _CELL.match
    pos, size = 0, len(body)
    while pos < size:
        row = row_match(body, pos)
        if row is None:
            return None
        attributes = row.group(2)
        if attributes:
            names = _ATTR_NAME.findall(attributes)
            if "r" in names or "xmlns" in names or len(set(names)) != len(names):
                return None  # an attribute given twice (refused by the XML parser), a namespace of its own
        pos = row.end()
        if row.group(3):
            continue  # <row .../>: no cells
        while True:
            cell = cell_match(body, pos)
            if cell is None:
                break
            pos = cell.end()
            letters, digits, style, kind, inline, value = cell.groups()
            column = columns.get(letters)
            if column is None:
                from openpyxl.utils import column_index_from_string

                column = columns[letters] = column_index_from_string(letters)
            place = (int(digits), column)
            style_id = int(style) if style else 0
            if inline is not None and kind == "inlineStr":
                cells[place] = text_cell(_unescaped(inline) if "&" in inline else inline)
            elif value is None and inline is None and kind != "s" and cell.group(0).find("<is>") < 0:
                cells[place] = empty  # nothing in it (a third of a plan's cells)
            elif value is not None and kind != "inlineStr" and kind != "s" and style_id not in date_styles:
                cells[place] = plain_cell(sheet, place[0], column, _cast_number(value), "n", style_id)
            elif value is not None and kind == "s":
                got = shared[int(value)]
                cells[place] = text_cell(got) if type(got) is str else \
                    plain_cell(sheet, place[0], column, got, "s", style_id)
            else:
                # Any other shape (a date, an empty text element): the element reader's own handling.
                attrib = {"r": letters + digits}
                if style is not None:
                    attrib["s"] = style
                if kind is not None:
                    attrib["t"] = kind
                element = Element(_MAIN + "c", attrib)
                if value is not None:
                    SubElement(element, _MAIN + "v").text = value
                elif inline is not None or "<is>" in cell.group(0):
                    t = SubElement(SubElement(element, _MAIN + "is"), _MAIN + "t")
                    t.text = (_unescaped(inline) if "&" in inline else inline) if inline else None
                take(element, cells)
        if not body.startswith(_ROW_END, pos):
            return None
        pos += len(_ROW_END)
    merged: list[str] = []
    if merged_tags:
        from openpyxl.worksheet.merge import MergeCells

        found = MergeCells.from_tree(merged_tags[-1])
        merged = [m.ref for m in found.mergeCell] if found else []
    return cells, merged


def _cast_number(value: str) -> int | float:
    # openpyxl's own (_reader._cast_number): a float when written with a point or an exponent.
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)
