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
from efl.provisional import (agreed_levels, count, level_rank, long_date, optional_import as need, plan_rows,
                             role_words, statutory_actions, summary_sentences)

LANGUAGE = "en-GB"


def render_docx(result, options) -> bytes:  # noqa: ANN001
    docx = need("docx", "docx")
    document = docx.Document()
    _set_language(document)
    _a4(document)
    a = result.assessment
    props = document.core_properties
    props.title = f"{a.council}: equality {role_words(result)}"
    props.language = LANGUAGE
    props.author = a.assessor.organisation or a.council
    props.created = props.modified = dt.datetime.combine(a.date, dt.time())
    props.last_modified_by = "efl"
    props.revision = 1

    document.add_heading(f"{a.council}: equality {role_words(result)}, {long_date(a.date)}", level=1)
    _table(document, ["Item", "Detail"], [
        ["Subject", f"Equality {role_words(result)} against the {result.framework.title}"],
        ["Date of the assessment", long_date(a.date)],
        ["Level the evidence supports overall", result.level_title(result.overall_level)],
        ["Actions proposed", str(len(result.actions))],
        ["Contact officer", a.contact or "Not named in the assessment"],
    ], [6, 11])

    document.add_heading("Section 1: summary and recommendations", level=2)
    for sentence in summary_sentences(result):
        document.add_paragraph(sentence)
    document.add_heading("Recommendations", level=3)
    document.add_paragraph("Members are asked to:")
    for text in (f"note the level the evidence supports in each area, and overall "
                 f"({result.level_title(result.overall_level)});",
                 f"agree the action plan of {count(len(result.actions), 'action')} and the officers who lead them;",
                 "ask for quarterly progress reports on the action plan, and an annual report."):
        document.add_paragraph(text, style="List Bullet")

    document.add_heading("Section 2: report", level=2)
    document.add_heading("Level per area", level=3)
    headers = ["Area", "Level the evidence supports", "Chart", f"Level the {role_words(result)} claims", "Actions"]
    top = len(result.framework.levels)
    rows = [[area.title, result.level_title(area.level),
             Bar(level_rank(result, area.level), top, f"{area.title}: {result.level_title(area.level)}, "
                 f"level {level_rank(result, area.level)} of {top}"),
             result.level_title(area.claimed_level) if area.claimed_level else "Not claimed", str(len(area.actions))]
            for area in result.areas]
    widths = [5, 3.2, 3.2, 3.3, 2.3]
    agreed = agreed_levels(result)
    if agreed:
        headers.insert(4, "Level agreed")
        widths = [4, 2.8, 3, 2.8, 2.6, 1.8]
        for row, level in zip(rows, agreed):
            row.insert(4, level)
    _table(document, headers, rows, widths)
    document.add_heading("Why each area is at its level", level=3)
    for area in result.areas:
        document.add_paragraph(f"{area.title}: {area.summary or result.level_title(area.level)}")
    for section in options.sections:
        document.add_heading(section.heading, level=3)
        for sentence in section.sentences:
            document.add_paragraph(sentence)
        for t in section.tables:
            document.add_paragraph(t.caption)
            _table(document, list(t.headers), [list(row) for row in t.rows])
    document.add_heading("The action plan", level=3)
    plan = plan_rows(result)
    if plan:
        document.add_paragraph("Most urgent first. Priority 1 is a legal duty not yet met.")
        _table(document, ["Priority", "Area", "Action", "Lead", "Due"],
               [[str(r.priority), r.area, r.action + (f" Figure: {r.figure}" if r.figure else ""), r.owner,
                 _due(r.due) + (" (overdue)" if r.overdue else "")] for r in plan], [2.1, 3.3, 5.5, 3.2, 2.9])
    else:
        document.add_paragraph("There are no actions: every area is at the highest level.")

    statutory = statutory_actions(result)
    document.add_heading("Legal implications", level=3)
    document.add_paragraph(
        "The Public Sector Equality Duty (Equality Act 2010, section 149) requires the council to have due "
        "regard to the need to eliminate discrimination, advance equality of opportunity and foster good "
        "relations. The specific duties require it to publish equality information at least every year and "
        "equality objectives at least every four years.")
    document.add_paragraph(
        f"{count(len(statutory), 'action')} in the plan {'is' if len(statutory) == 1 else 'are'} about a legal "
        "duty that the evidence does not show as met." if statutory else
        "The evidence shows every legal duty the framework checks as met.")
    document.add_heading("Financial implications", level=3)
    document.add_paragraph("This assessment does not cost the actions. Each lead officer should say whether "
                           "their actions can be met from existing budgets before the plan is agreed.")
    document.add_heading("Risk management implications", level=3)
    overdue = [r for r in plan if r.overdue]
    document.add_paragraph(
        (f"{count(len(overdue), 'action')} {'is' if len(overdue) == 1 else 'are'} already overdue. " if overdue else "")
        + ("Legal duties not met are a risk of challenge and of harm to residents and staff."
           if statutory else "No legal duty is shown as unmet."))
    document.add_heading("Equalities implications and the Public Sector Equality Duty", level=3)
    document.add_paragraph("The action plan is how the council shows due regard to the three aims of the duty "
                           "and meets its equality objectives; it affects people of every protected characteristic.")

    document.add_heading("Section 3: contact details and background papers", level=2)
    document.add_paragraph(f"Contact: {a.contact or 'not named in the assessment'}.")
    document.add_heading("Background papers", level=3)
    if result.evidence:
        _table(document, ["Evidence", "Kind", "Dated", "File"],
               [[e.id, e.type.replace("-", " "), long_date(e.date), (e.file or "No file")
                 + (" (illustrative)" if e.illustrative else "")] for e in result.evidence], [5, 3.5, 3.5, 5])
    else:
        document.add_paragraph("No evidence is listed.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _a4(document) -> None:  # noqa: ANN001
    """English councils print on A4 with 2 cm margins (python-docx's template is US Letter), mostly
    in a plain sans-serif font."""
    from docx.shared import Cm, Pt

    normal = document.styles["Normal"].font
    normal.name, normal.size = "Arial", Pt(11)

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


class Bar:
    """A cell that shows a level as a bar, beside the level in words (the bar never carries the meaning
    alone) and with the level as its alternative text."""

    def __init__(self, rank: int, top: int, text: str):
        self.rank, self.top, self.text = rank, top, text


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


def _due(text: str) -> str:
    return long_date(dt.date.fromisoformat(text)) if text else "No date"


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


def _table(document, headers: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:  # noqa: ANN001
    """A table whose first row is marked as a header row (read out as headers, repeated on each page).

    :param widths: column widths in centimetres (the text width of an A4 page is 17 cm).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

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
                    shape.set("descr", value.text)
                    shape.set("name", "Level chart")
    if widths:
        # LibreOffice reads the grid (w:gridCol), Word the cells: set both.
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("docx", "a committee report in Word, in the usual council shape (needs efl[office])",
                              render_docx, ".docx"))
