"""The committee report (.docx) and the action plan (.xlsx): the figures of the JSON result, and a
structural accessibility check of the Word file. The test marked ``office`` opens both in
LibreOffice (headless), converts them to PDF and reads the text back."""

from __future__ import annotations

import datetime as dt
import json
import os
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
        if not (shape.get("descr") or "").strip():
            problems.append(f"image '{shape.get('name')}' has no alternative text (descr)")
    return problems


@pytest.mark.parametrize("example", ["bexley", "harrow", "leicester"])
def test_docx_is_a_council_committee_report_with_the_figures_of_the_result(tmp_path, example):
    data, docx_path, _ = result_and_files(tmp_path, example)
    assert accessibility_problems(docx_path) == []
    document = docx.Document(str(docx_path))
    assert document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    # The usual shape of a cabinet report.
    for expected in ("Section 1: summary and recommendations", "Recommendations", "Section 2: report",
                     "Legal implications", "Financial implications", "Risk management implications",
                     "Equalities implications and the Public Sector Equality Duty",
                     "Section 3: contact details and background papers"):
        assert expected in headings
    assert headings.index("Section 1: summary and recommendations") < headings.index("Section 2: report") < \
        headings.index("Legal implications") < headings.index("Section 3: contact details and background papers")
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    titles = {lv["id"]: lv["title"] for lv in data["framework"]["levels"]}
    first = data["framework"]["levels"][0]["title"]

    def level(level_id):
        return titles[level_id] if level_id else f"Not yet {first}"

    levels = next(t for t in tables if t[0][0] == "Area")
    assert [row[:2] for row in levels[1:]] == [[a["title"], level(a["level"])] for a in data["areas"]]
    assert [row[-1] for row in levels[1:]] == [str(len(a["actions"])) for a in data["areas"]]
    # The chart column: one bar per area, its alternative text the level in words.
    top = len(data["framework"]["levels"])
    ranks = {lv["id"]: i + 1 for i, lv in enumerate(data["framework"]["levels"])}
    shapes = list(document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert [s.get("descr") for s in shapes] == [
        f"{a['title']}: {level(a['level'])}, level {ranks.get(a['level'], 0)} of {top}" for a in data["areas"]]
    facts = dict(row for row in tables[0][1:])
    assert facts["Actions proposed"] == str(len(data["actions"]))
    assert facts["Level the evidence supports overall"] == level(data["overall_level"])
    if data["assessment"]["contact"]:
        assert facts["Contact officer"] == data["assessment"]["contact"]
    plan = next(t for t in tables if t[0] == ["Priority", "Area", "Action", "Lead", "Due"])
    assert len(plan) - 1 == len(data["actions"])
    areas = {a["id"]: a["title"] for a in data["areas"]}
    for row, action in zip(plan[1:], data["actions"]):
        assert row[0] == str(action["priority"]) and row[1] == areas[action["area"]]
        assert row[2].startswith(action["what"])
        if action["figure"]:
            assert action["figure"] in row[2]
        assert row[3] == (action["lead"] or action["owner"])
        due = long_date(dt.date.fromisoformat(action["due"]))
        assert row[4] == due + (" (overdue)" if action["overdue"] else "")
    papers = next(t for t in tables if t[0][0] == "Evidence")
    assert [r[0] for r in papers[1:]] == [e["id"] for e in data["evidence"]]


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
    assert any(p.startswith("image '") and p.endswith("' has no alternative text (descr)") for p in problems)


def test_xlsx_holds_the_actions_of_the_result_with_real_dates(tmp_path):
    data, _, xlsx_path = result_and_files(tmp_path, "bexley")
    sheet = openpyxl.load_workbook(xlsx_path).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [r["Criterion"] for r in rows] == [x["criterion"] for x in data["actions"]]
    for row, action in zip(rows, data["actions"]):
        assert row["Priority"] == action["priority"]
        assert row["Output due"] == dt.datetime.fromisoformat(action["due"])  # a date cell, not text
        assert row["Action"] == action["what"] and row["Lead"] == (action["lead"] or action["owner"])
        assert row["Performance measure"] == (action["figure"] or None)
        assert row["Status"] == "not started"
    assert sheet.freeze_panes == "A2"


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
    profile = tmp_path / "lo-profile"
    done = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path / "pdf"), str(docx_path), str(tmp_path / "harrow-plan.xlsx")],
                          capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    texts = {}
    for name in ("harrow", "harrow-plan"):
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.is_file(), done.stdout + done.stderr
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0
        texts[name] = " ".join(out.stdout.split())
    report = texts["harrow"]
    assert "London Borough of Harrow: equality self-assessment, 17 March 2016" in report
    assert "Section 1: summary and recommendations" in report and "Legal implications" in report
    assert f"Actions proposed {len(data['actions'])}" in report
    assert "Mohammed Ilyas, Policy Officer for Equalities and Diversity, Ext. 2322" in report
    for area in data["areas"]:
        assert area["title"] in report
    sheet = texts["harrow-plan"]
    assert "Objective" in sheet and "Lead" in sheet and "Status" in sheet
    assert "Positive action programme" in sheet and "Chairs of the Directorate" in sheet
    assert "31 December 2016" in sheet  # a date cell, shown as a date
