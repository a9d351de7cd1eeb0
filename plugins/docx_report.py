"""The ``docx`` report format: the assessment as a Word committee report in the usual council shape.

Section 1 summary and recommendations; section 2 the report (levels per area, the action plan and
its leads) with the legal, financial, risk and equalities implications; section 3 contact details
and background papers. Built for people who use screen readers too: real heading styles in
order, table header rows marked as such (repeated on each page), and the document language set.

python-docx is imported only when this format is used (``pip install 'efl[office]'``). A council
with its own report template can switch this plugin off (``-p no:docx``) and register its own
``docx`` format.
"""

from __future__ import annotations

import datetime as dt
import io

import efl
import efl.provisional as provisional  # each name loads its module on first use (start-up)

LANGUAGE = "en-GB"


HEADING_COLOUR = "0B0C0C"  # near-black headings: 19:1 on white (Word's default blues are 4.0:1 to 6.6:1)
SECTIONS = [  # the cabinet report's three sections, and which parts of the paper go in each
    ("Summary and recommendations", ("summary", "recommendations")),
    ("Report", ("reasons", "alternatives", "background", "tailoring", "target", "findings", "plan", "waivers",
                "consultation", "financial", "legal", "risk", "equality", "timetable", "warnings")),
    ("Contact details and background papers", ("contact", "papers")),
]


class Numbers:
    """Numbered paragraphs: ``2.1``, ``2.2``... within each section, as council reports number them."""

    def __init__(self) -> None:
        self.section, self.n = 0, 0

    def next_section(self) -> int:
        self.section, self.n = self.section + 1, 0
        return self.section

    def next(self) -> str:
        self.n += 1
        return f"{self.section}.{self.n}"


def _numbered(document, numbers: Numbers, text: str) -> None:  # noqa: ANN001
    """A paragraph with its number in front, held by a hanging indent so the text lines up."""
    from docx.shared import Cm

    paragraph = document.add_paragraph(f"{numbers.next()}\t{text}")
    paragraph.paragraph_format.left_indent = Cm(1.25)
    paragraph.paragraph_format.first_line_indent = Cm(-1.25)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.25))


def _part(document, part, numbers: Numbers, level: int, result) -> None:  # noqa: ANN001
    document.add_heading(part.heading, level=min(level, 4)).paragraph_format.keep_with_next = True
    for paragraph in part.paragraphs:
        _numbered(document, numbers, paragraph)
    for i, item in enumerate(part.numbered, 1):
        paragraph = document.add_paragraph(f"({i})\t{item}")
        from docx.shared import Cm

        paragraph.paragraph_format.left_indent = Cm(2.25)
        paragraph.paragraph_format.first_line_indent = Cm(-1)
    if part.key == "background":
        _levels_chart(document, result)
    for t in part.tables:
        if part.key != "background" or t.caption != "Levels by area":
            _caption(document, t.caption)
            _table(document, list(t.headers), [list(row) for row in t.rows])
    for child in part.parts:
        _part(document, child, numbers, level + 1, result)


def _caption(document, text: str) -> None:  # noqa: ANN001
    # A caption stays on the page of its table (and a heading above it with it), never alone at a foot.
    document.add_paragraph(text, style="Caption").paragraph_format.keep_with_next = True


def _levels_chart(document, result) -> None:  # noqa: ANN001
    """The levels table, with a bar beside each level in words (the bar is decorative: the words say it)."""
    top = len(result.framework.levels)
    table = provisional.levels_table(result)
    headers = list(table.headers)
    headers.insert(2, "Chart")
    rows = []
    for area, row in zip(result.areas, table.rows):
        row = list(row)
        row.insert(2, Bar(provisional.level_rank(result, area.agreed_level if area.agreed_reason else area.level), top))
        rows.append(row)
    _caption(document, table.caption)
    _table(document, headers, rows)


def _new_document(title: str, footer: str, author: str, day: dt.date):  # noqa: ANN202
    """An A4 British-English document with efl's styles, its footer and properties dated ``day``
    (never the clock, so the same result gives the same file)."""
    docx = provisional.optional_import("docx", "docx")
    document = docx.Document()
    _set_language(document)
    _a4(document)
    _footer(document, footer)
    props = document.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = props.last_modified_by = author
    props.created = props.modified = dt.datetime.combine(day, dt.time())
    props.revision = 1
    return document


def _author(result) -> str:  # noqa: ANN001
    return result.assessment.assessor.organisation or result.assessment.council


def render_docx(result, options) -> bytes:  # noqa: ANN001
    paper = provisional.committee_paper(result, options)
    document = _new_document(paper.title, f"{result.assessment.council}: {paper.subject}", _author(result),
                             result.assessment.date)
    document.core_properties.subject = paper.subject

    document.add_heading(paper.title, level=1)
    what_if = paper.part("what-if")
    if what_if is not None:  # before the front sheet: nobody should take a what-if for the council's own result
        banner = document.add_paragraph()
        banner.add_run(what_if.heading + ". ").bold = True
        banner.add_run(" ".join(what_if.paragraphs))
    _caption(document, "Front sheet")
    _table(document, ["Item", "Detail"], [list(row) for row in paper.front_sheet], [6, 11])
    parts = {p.key: p for p in paper.parts}
    numbers = Numbers()
    for title, keys in SECTIONS:
        n = numbers.next_section()
        document.add_heading(f"Section {n}: {title}", level=2)
        for key in keys:
            if key in parts:
                _part(document, parts[key], numbers, 3, result)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_progress_docx(report, options) -> bytes:  # noqa: ANN001
    """``efl progress --format docx``: the progress report as a Word paper, in the report's styles."""
    title = provisional.progress_title(report)
    document = _new_document(title, f"{report.council}: progress on the equality action plan", report.council,
                             report.as_of)
    document.add_heading(title, level=1)
    numbers = Numbers()
    numbers.next_section()
    for part in provisional.progress_parts(report):
        _part(document, part, numbers, 2, None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_annex(result, options) -> bytes:  # noqa: ANN001
    """The technical annex: framework and calendar fingerprints, every evidence file with its id and
    sha256, the plugins and, criterion by criterion, how each was decided (ids and all)."""
    paper = provisional.committee_paper(result, options)
    document = _new_document(f"{paper.title}: technical annex", f"{result.assessment.council}: technical annex",
                             _author(result), result.assessment.date)
    document.add_heading(f"Technical annex: {paper.title}", level=1)
    for part in paper.technical:
        for paragraph in part.paragraphs:
            document.add_paragraph(paragraph)
        for t in part.tables:
            _caption(document, t.caption)
            _table(document, list(t.headers), [list(row) for row in t.rows])
    document.add_heading("How each test was decided", level=2)
    rows = [[c.id, c.title, c.outcome.replace("_", " "), "; ".join(c.reasons), c.source or "-"]
            for area in result.areas for c in area.criteria]
    _caption(document, "Tests, outcomes, reasons and sources")
    _table(document, ["Id", "Test", "Outcome", "Reasons", "Source"], rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _footer(document, label: str) -> None:  # noqa: ANN001
    """Every page's footer: what the paper is, and "Page N of M" (Word fields, so they stay right)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = ""
        run = paragraph.add_run(f"{label}. Page ")
        run.font.size = Pt(10)
        for i, field in enumerate(("PAGE", "NUMPAGES")):
            if i:
                paragraph.add_run(" of ").font.size = Pt(10)
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), f" {field} ")
            inner = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            inner.append(text)
            simple.append(inner)
            paragraph._p.append(simple)


def _a4(document) -> None:  # noqa: ANN001
    """English councils print on A4 with 2 cm margins (python-docx's template is US Letter), mostly
    in a plain sans-serif font."""
    from docx.shared import Cm, Pt

    from docx.shared import RGBColor

    normal = document.styles["Normal"].font
    normal.name, normal.size = "Arial", Pt(12)
    sizes = {"Title": 20, "Heading 1": 18, "Heading 2": 16, "Heading 3": 14, "Heading 4": 12, "Caption": 12}
    for name, size in sizes.items():
        font = document.styles[name].font
        font.name, font.size = "Arial", Pt(size)
        font.color.rgb = RGBColor.from_string(HEADING_COLOUR)
        font.italic = False
        if name == "Caption":
            font.bold = True

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


class Bar:
    """A cell that shows a level as a bar beside the level in words. The bar says nothing the words do
    not, so it is marked decorative (a screen reader skips it instead of reading the cell twice)."""

    def __init__(self, rank: int, top: int):
        self.rank, self.top = rank, top


def _bar_png(rank: int, top: int, width: int = 120, height: int = 16) -> bytes:
    """A small PNG (written by hand: no imaging library needed): ``rank`` of ``top`` filled in dark blue."""
    import struct
    import zlib

    filled = round(width * rank / top) if top else 0
    dark, light = b"\x1f\x4e\x79", b"\xd9\xd9\xd9"
    row = b"\x00" + dark * filled + light * (width - filled)
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


# Word's "Mark as decorative" (Office 2019 and later): an extension of the picture's properties.
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def _decorative(doc_pr) -> None:  # noqa: ANN001
    from lxml import etree

    doc_pr.set("name", "Level bar (decorative)")
    doc_pr.set("descr", "")
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    ext_lst = etree.SubElement(doc_pr, f"{{{a}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{a}}}ext", uri=DECORATIVE_URI)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}, val="1")


def _set_language(document) -> None:  # noqa: ANN001
    """Set the language on the document defaults (w:docDefaults) so every run is read as British English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


TEXT_WIDTH_CM = 17.0  # an A4 page less the margins
CHAR_CM = 0.23  # about the width of a letter of 10 pt Arial, bold headings included (measured in LibreOffice)
CELL_PAD_CM = 0.5  # the cell margins, both sides


def auto_widths(headers: list[str], rows: list[list], total: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths (cm) that fit the page: each column at least as wide as its longest word, so no
    word is broken across lines ("Leadershi-p"), and the space left shared by how much text each
    column holds on average (a column of long sentences gets more than one of dates)."""
    least, want = [], []
    for i, heading in enumerate(headers):
        cells = [row[i] for row in rows if i < len(row)]
        column = [heading, *(str(v) for v in cells if not isinstance(v, Bar))]
        words = [len(w) for text in column for w in text.split()] or [1]
        bar = any(isinstance(v, Bar) for v in cells)  # a level bar picture is 2.6 cm wide
        low = max(max(words) * CHAR_CM + CELL_PAD_CM, 3.0 if bar else 1.2)
        texts = column[1:] or column  # the cells say how much text a column holds; the heading if none
        typical = sum(len(text) for text in texts) / len(texts)
        least.append(low)
        want.append(max(low, min(typical, 150) * CHAR_CM + CELL_PAD_CM))
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    spare, extra = total - sum(least), [w - lo for w, lo in zip(want, least)]
    if sum(extra) <= 0:
        return [lo + spare / len(least) for lo in least]
    return [lo + spare * e / sum(extra) for lo, e in zip(least, extra)]


def _table(document, headers: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:  # noqa: ANN001
    """A table whose first row is marked as a header row (read out as headers, repeated on each page).

    :param widths: column widths in centimetres (the text width of an A4 page is 17 cm); by default
        worked out from the text (:func:`auto_widths`).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    widths = widths or auto_widths(headers, rows)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
    header = table.rows[0]
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(mark)
    for cell, text in zip(header.cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            run = cell.paragraphs[0].add_run("" if isinstance(value, Bar) else value)
            run.font.size = Pt(10)
            if isinstance(value, Bar):
                run.add_picture(io.BytesIO(_bar_png(value.rank, value.top)), width=Cm(2.6))
                for shape in run._r.iter(qn("wp:docPr")):
                    _decorative(shape)
    if widths:
        # LibreOffice reads the grid (w:gridCol), Word the cells: set both.
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("docx", "a cabinet report in Word, in the usual council shape (needs efl[office])",
                              render_docx, ".docx", progress=render_progress_docx))
    register(efl.ReportFormat("annex", "the Word report's technical annex: files, fingerprints, plugins, every "
                              "test's reasons (needs efl[office])", render_annex, ".annex.docx"))
