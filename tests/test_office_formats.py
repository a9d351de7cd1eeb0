"""The committee report (.docx) and the action plan (.xlsx): the figures of the JSON result, and a
structural accessibility check of the Word file. The test marked ``office`` opens both in
LibreOffice (headless), converts them to PDF and reads the text back."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from efl.cli import cli
from efl.reports.report_text import long_date

from conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def result_and_files(tmp_path: Path, example: str) -> tuple[dict, Path, Path]:
    folder = EXAMPLES / example
    result = run("assess", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    for fmt in ("docx", "xlsx"):
        out = run("assess", folder, "--format", fmt, "-o", tmp_path / f"{example}.{fmt}")
        assert out.exit_code == 0, out.output
    return json.loads(result.stdout), tmp_path / f"{example}.docx", tmp_path / f"{example}.xlsx"


DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"


def accessibility_problems(path: Path) -> list[str]:
    """What a screen reader user would trip over, checked in the file's structure."""
    document = docx.Document(str(path))
    problems = []
    last = 0
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name == "Title" or name.startswith("Heading"):
            level = 1 if name == "Title" else int(name.split()[-1])
            if not paragraph.text.strip():
                problems.append(f"empty heading ({name})")
            if level > last + 1:
                problems.append(f"heading level {level} after level {last}: '{paragraph.text}'")
            last = level
        elif paragraph.runs and all(r.bold for r in paragraph.runs) and len(paragraph.text) < 60:
            problems.append(f"bold text used as a heading: '{paragraph.text}'")
    if last == 0:
        problems.append("no headings")
    for i, table in enumerate(document.tables):
        tr_pr = table.rows[0]._tr.trPr
        mark = tr_pr.find(qn("w:tblHeader")) if tr_pr is not None else None
        if mark is None or mark.get(qn("w:val"), "true") not in ("true", "1", "on"):
            problems.append(f"table {i + 1} has no header row marked (w:tblHeader)")
    langs = document.styles.element.findall(f".//{W}docDefaults//{W}lang")
    if not langs or not langs[0].get(qn("w:val")):
        problems.append("no document language (w:lang in the style defaults)")
    for shape in document.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        decorative = any(e.get("val") in ("1", "true") for e in shape.iter(DECORATIVE))
        if not decorative and not (shape.get("descr") or "").strip():
            problems.append(f"image '{shape.get('name')}' has no alternative text (descr) and is not marked decorative")
    return problems


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(hex_colour: str, background: str = "FFFFFF") -> float:
    """WCAG 2 contrast ratio, worked here from the definition."""
    a, b = sorted((_luminance(hex_colour), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


CABINET_SECTIONS = ["Summary", "Recommendations", "Reasons for the recommendations", "Alternative options considered",
                    "Background", "What the evidence shows", "The action plan", "Consultation",
                    "Financial implications", "Legal implications", "Risk management implications",
                    "Equality implications", "Timetable", "Contact officer", "Background papers"]
FRONT_SHEET = ["Meeting", "Date of meeting", "Subject", "Decision-maker", "Report of", "Portfolio", "Key decision",
               "Wards affected", "Public or exempt", "Contact officer"]


def structure_problems(path: Path) -> list[str]:
    """The cabinet report's shape: front sheet, every section in order, numbered paragraphs, page
    numbers in the footer, 12 pt body text and headings at 4.5:1 or better against white."""
    document = docx.Document(str(path))
    problems = []
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    found = [h for h in CABINET_SECTIONS if h in headings]
    if found != CABINET_SECTIONS:
        problems.append(f"sections missing: {[h for h in CABINET_SECTIONS if h not in headings]}")
    order = [headings.index(h) for h in found]
    if order != sorted(order[:13]) + order[13:] or order[:13] != sorted(order[:13]):
        problems.append(f"sections out of order: {found}")
    front = dict((row.cells[0].text, row.cells[1].text) for row in document.tables[0].rows) if document.tables else {}
    missing = [k for k in FRONT_SHEET if not front.get(k)]
    if missing:
        problems.append(f"front sheet lacks {missing}")
    body = [p for p in document.paragraphs if p.style.name == "Normal" and p.text.strip()]
    numbered = [p for p in body if re.match(r"^\d+\.\d+\t", p.text) or re.match(r"^\(\d+\)\t", p.text)]
    if len(numbered) < len(body) * 0.95:
        problems.append(f"only {len(numbered)} of {len(body)} paragraphs are numbered")
    numbers = [tuple(map(int, re.match(r"^(\d+)\.(\d+)", p.text).groups())) for p in numbered if p.text[0].isdigit()]
    if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
        problems.append("paragraph numbers are not in order")
    footers = " ".join(etree_text(s.footer._element) for s in document.sections)
    if "PAGE" not in footers:
        problems.append("no page number field in the footer")
    size = document.styles["Normal"].font.size
    if size is None or size.pt < 12:
        problems.append(f"body text is {size.pt if size else '?'} pt (expected 12 pt)")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        colour = document.styles[name].font.color
        rgb = str(colour.rgb) if colour is not None and colour.rgb is not None else "000000"
        if contrast(rgb) < 4.5:
            problems.append(f"{name} colour #{rgb} is {contrast(rgb):.1f}:1 against white (expected 4.5:1)")
    return problems


def etree_text(element) -> str:  # noqa: ANN001
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


def test_the_contrast_check_matches_known_ratios():
    assert round(contrast("4F81BD"), 1) == 4.0  # Word's old Heading 2 blue: too pale
    assert round(contrast("000000"), 0) == 21
    assert round(contrast("767676"), 2) == 4.54


@pytest.mark.parametrize("example", ["bexley", "harrow", "leicester", "london-councils"])
def test_docx_is_a_cabinet_report_with_the_figures_of_the_result(tmp_path, example):
    data, docx_path, _ = result_and_files(tmp_path, example)
    assert accessibility_problems(docx_path) == []
    assert structure_problems(docx_path) == []
    document = docx.Document(str(docx_path))
    assert document.core_properties.language == "en-GB"
    assert document.paragraphs[0].text.endswith(long_date(dt.date.fromisoformat(data["assessment"]["date"])))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    titles = {lv["id"]: lv["title"] for lv in data["framework"]["levels"]}
    first = data["framework"]["levels"][0]["title"]

    def level(level_id):
        return titles[level_id] if level_id else f"Not yet {first}"

    levels = next(t for t in tables if t[0][0] == "Area")
    assert [row[:2] for row in levels[1:]] == [[a["title"], level(a["level"])] for a in data["areas"]]
    assert [row[-1] for row in levels[1:]] == [str(len(a["actions"])) for a in data["areas"]]
    # The bars beside the levels are decorative: the words in the cell beside them say the same.
    shapes = list(document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert len(shapes) == len(data["areas"])
    assert all(any(e.get("val") == "1" for e in s.iter(DECORATIVE)) for s in shapes)
    front = dict(row for row in tables[0][1:])
    if data["assessment"]["contact"]:
        assert front["Contact officer"] == data["assessment"]["contact"]
    if data["actions"]:
        plan = next(t for t in tables if t[0] == ["Action", "Priority", "Area", "Lead", "Due", "Figure now"])
        assert len(plan) - 1 == len(data["actions"])
        areas = {a["id"]: a["title"] for a in data["areas"]}
        for row, action in zip(plan[1:], data["actions"]):
            assert row[1] == str(action["priority"]) and row[2] == areas[action["area"]]
            assert row[0].startswith(action["what"])
            due = long_date(dt.date.fromisoformat(action["due"]))
            assert row[4] == due + (" (overdue)" if action["overdue"] else "")
    papers = next(t for t in tables if t[0] == ["Paper", "Dated", "Where to see it"])
    listed = [e for e in data["evidence"] if not e["personal"]]
    assert len(papers) - 1 == len(listed)
    text = " ".join(p.text for p in document.paragraphs) + " ".join(c for t in tables for r in t for c in r)
    for e in data["evidence"]:
        if re.search(r"[-\d.]", e["id"]):  # an id that is not also a plain word ("vision")
            assert e["id"] not in text
        assert (e["file"] or "//") not in text and (e["sha256"] or "//") not in text


def test_the_structure_check_finds_what_it_looks_for(tmp_path):
    document = docx.Document()
    document.add_heading("Summary", level=2)
    document.add_paragraph("An unnumbered paragraph.")
    document.styles["Heading 2"].font.color.rgb = docx.shared.RGBColor.from_string("4F81BD")
    document.save(tmp_path / "bad.docx")
    problems = structure_problems(tmp_path / "bad.docx")
    assert any(p.startswith("sections missing") for p in problems)
    assert "only 0 of 1 paragraphs are numbered" in problems
    assert "no page number field in the footer" in problems
    assert "Heading 2 colour #4F81BD is 4.0:1 against white (expected 4.5:1)" in problems
    assert any(p.startswith("body text is") for p in problems)


def test_the_accessibility_check_finds_what_it_looks_for(tmp_path):
    """The check itself, on a document built to fail each part of it."""
    from efl_plugins.docx_report import _bar_png

    (tmp_path / "bar.png").write_bytes(_bar_png(1, 3))
    document = docx.Document()
    for lang in document.styles.element.findall(f".//{W}docDefaults//{W}lang"):
        lang.getparent().remove(lang)  # python-docx's template sets one; this document must lack it
    document.add_heading("Top", level=1)
    document.add_heading("Too deep", level=3)
    document.add_heading("", level=2)
    document.add_table(rows=2, cols=2)
    document.add_paragraph().add_run().add_picture(str(tmp_path / "bar.png"))
    paragraph = document.add_paragraph()
    paragraph.add_run("Looks like a heading").bold = True
    document.save(tmp_path / "bad.docx")
    problems = accessibility_problems(tmp_path / "bad.docx")
    assert "heading level 3 after level 1: 'Too deep'" in problems
    assert "empty heading (Heading 2)" in problems
    assert "table 1 has no header row marked (w:tblHeader)" in problems
    assert "no document language (w:lang in the style defaults)" in problems
    assert "bold text used as a heading: 'Looks like a heading'" in problems
    assert any(p.startswith("image '") and p.endswith("is not marked decorative") for p in problems)


def test_the_technical_annex_holds_what_the_report_leaves_out(tmp_path):
    out = run("assess", EXAMPLES / "bexley", "-o", tmp_path / "bexley.annex.docx")
    assert out.exit_code == 0, out.output
    document = docx.Document(str(tmp_path / "bexley.annex.docx"))
    text = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    data = json.loads(run("assess", EXAMPLES / "bexley", "--format", "json").stdout)
    for e in data["evidence"]:
        assert e["id"] in text and (e["sha256"] or "-") in text
    assert "lpoc.objectives-targets" in text


def test_xlsx_holds_the_actions_of_the_result_with_real_dates(tmp_path):
    data, _, xlsx_path = result_and_files(tmp_path, "bexley")
    sheet = openpyxl.load_workbook(xlsx_path).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [r["Criterion"] for r in rows] == [x["criterion"] for x in data["actions"]]
    owners = {"council": "Equality lead (post not yet named)", "managers": "All service managers"}
    areas = {a["id"]: a["title"] for a in data["areas"]}
    criteria = {c["id"]: c for a in data["areas"] for c in a["criteria"]}
    for row, action in zip(rows, data["actions"]):
        assert row["Priority"] == action["priority"]
        assert row["Output due"] == dt.datetime.fromisoformat(action["due"])  # a date cell, not text
        assert row["Action"] == action["what"] and row["Lead"] == (action["lead"] or owners.get(action["owner"], action["owner"]))
        assert row["Performance measure"] == (action["figure"] or None)
        assert row["Status"] == "not started"
        assert row["Performance area"] == areas[action["area"]] and row["Area key"] == action["area"]
        # Baseline and target from the figure the criterion was judged on: "87.5% (14 November 2025)".
        found = re.search(r": ([\d.]+%|\d+(?:\.\d+)? points|[\d.]+) \((.+) needed\)$", criteria[action["criterion"]]["reasons"][0])
        if found:
            assert row["Baseline"] == f"{found[1]} (14 November 2025)" and row["Target"] == found[2]
    assert sum(1 for r in rows if r["Baseline"]) >= 5
    assert sheet.freeze_panes == "A2"
    # An Excel Table over the whole plan, headings and all, so screen readers announce each column.
    (name, ref), = sheet.tables.items()
    assert ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
    # Protected structure: headings and key columns locked, the columns people fill in unlocked.
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["A1"].protection.locked
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(header, 1)}
    assert not sheet[f"{col['Status']}2"].protection.locked and sheet[f"{col['Id']}2"].protection.locked
    assert not sheet.column_dimensions[col["Progress notes"]].protection.locked  # new rows too
    assert header.index("Id") > header.index("Why it was proposed")  # keys at the end
    # A4 landscape, one page wide, headings on every page, a footer with council, date and page.
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" or sheet.print_title_rows == "1:1"
    footer = sheet.oddFooter
    assert footer.left.text == "London Borough of Bexley" and "14 November 2025" in footer.center.text
    assert footer.right.text == "Page &P of &N"


def test_binary_formats_need_an_output_file():
    result = run("assess", EXAMPLES / "bexley", "--format", "docx")
    assert result.exit_code == 2
    assert "this format writes a file, not text for the terminal (expected -o FILE)" in result.output


# --- LibreOffice -------------------------------------------------------------------------------------

def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is needed for the office tests (apt-get install libreoffice-writer-nogui)"
    return found


@pytest.mark.office
def test_libreoffice_opens_both_files_and_the_pdfs_hold_the_figures(tmp_path):
    data, docx_path, _ = result_and_files(tmp_path, "harrow")
    plan = run("assess", EXAMPLES / "harrow", "-o", tmp_path / "r.txt", "--format", "table",
               "--plan", tmp_path / "harrow-plan.xlsx")
    assert plan.exit_code == 0, plan.output
    progress = run("progress", EXAMPLES / "harrow", "-o", tmp_path / "harrow-progress.docx")
    assert progress.exit_code == 0, progress.output
    profile = tmp_path / "lo-profile"
    done = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path / "pdf"), str(docx_path), str(tmp_path / "harrow-plan.xlsx"),
                           str(tmp_path / "harrow-progress.docx")],
                          capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    texts = {}
    pictures = Path(__file__).parent / "browser" / "screenshots"
    pictures.mkdir(exist_ok=True)
    for name in ("harrow", "harrow-plan", "harrow-progress"):
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.is_file(), done.stdout + done.stderr
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0
        texts[name] = " ".join(out.stdout.split())
        # Each paper's first page as a picture, to look at (beside the browser screenshots).
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(pictures / f"office-{name}")], check=True, timeout=60)
        assert (pictures / f"office-{name}.png").stat().st_size > 5_000
    report = texts["harrow"]
    assert "London Borough of Harrow: equality self- assessment, 17 March 2016" in report  # hyphen at the line end
    assert "Section 1: Summary and recommendations" in report and "Legal implications" in report
    assert f"agree an action plan of {len(data['actions'])} actions" in report
    assert "Page 1 of " in report  # the footer's fields, worked out by LibreOffice
    assert "Mohammed Ilyas, Policy Officer for Equalities and Diversity, Ext. 2322" in report
    for area in data["areas"]:
        assert area["title"] in report
    sheet = texts["harrow-plan"]
    assert "Objective" in sheet and "Lead" in sheet and "Status" in sheet
    assert "Positive action programme" in sheet and "Head of HR" in sheet
    assert "31 December 2016" in sheet  # a date cell, shown as a date
    assert "Page 1 of" in sheet and "London Borough of Harrow" in sheet  # the printed footer
    assert "quarterly progress report" in texts["harrow-progress"] and "no status given" not in texts["harrow-progress"]
    # Word tables size their columns to their text: no word is broken across lines in print (a column
    # of one fixed width made "Leadershi-p" and "Overdu-e"). Read in reading order, each word is whole.
    flowing = [w.strip(",.") for w in subprocess.run(["pdftotext", str(tmp_path / "pdf" / "harrow-progress.pdf"), "-"],
                                                    capture_output=True, text=True, timeout=60).stdout.split()]
    words = {w.strip(",") for a in data["areas"] for w in a["title"].split()} | {"Done", "Overdue", "Dropped"}
    broken = [f"{a} {b}" for a, b in zip(flowing, flowing[1:]) if a + b in words and a and b]
    assert broken == [], f"words broken across lines in the progress report: {broken}"
