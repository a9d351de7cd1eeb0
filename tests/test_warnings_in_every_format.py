"""A warning about the evidence reaches every paper and plan, in the same words (issue 25: "Leicester's
evidence warning missing from Word, CSV and Excel"): HTML, Markdown, Word, the CSV plan (a column on
every row, so no row is read without it) and the Excel plan (a "Read first" sheet beside the plan).
The words are for people: the paper's title, not a folder path; no tool name; no fix-it hint."""

from __future__ import annotations

import csv
import io
import shutil

import docx
import openpyxl
import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

# What the warning must say, worked from the file we edit below: row 5 of the HR export gives sex as 'Q'.
SAYS = "line 5: sex: 1 row says 'Q'"
TITLE = "Workforce snapshot at 31 March 2025 (anonymised)"  # the evidence's title in Bexley's assessment.yaml


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("w") / "bexley"
    shutil.copytree(EXAMPLES / "bexley", folder)
    path = folder / "evidence" / "workforce-profile.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[4].split(",")
    assert cells[1] in ("F", "M")
    lines[4] = ",".join([cells[0], "Q", *cells[2:]])
    path.write_text("".join(lines), encoding="utf-8")
    done = run_efl("assess", folder, "--format", "json").assert_exit(0)
    assert "warning: sex: 1 row says 'Q'" in done.stderr  # the terminal gives the officer the full diagnostic
    assert "(expected" in done.stderr
    assert len(done.json["warnings"]) == 1
    return folder


def _people(text: str) -> None:
    """The warning's own line (the HTML's technical appendix lists files by path, as it should)."""
    said = [line for line in text.splitlines() if SAYS in line]
    assert said and all(TITLE + ", " + SAYS in line for line in said)
    for line in said:
        assert "evidence/" not in line and "efl does not" not in line and "(expected" not in line
        assert "which the assessment does not recognise" in line


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_web_and_markdown_papers_give_the_warning_in_words_for_people(warned, fmt):
    out = run_efl("assess", warned, "--format", fmt).assert_exit(0).output.replace("&#x27;", "'")
    out = out.replace("<", "\n<")  # one element to a line, so the warning's paragraph stands alone
    assert "Warnings about the evidence (1)" in out
    _people(out)


def test_the_word_paper_gives_it(warned, tmp_path):
    out = tmp_path / "paper.docx"
    run_efl("assess", warned, "-o", out).assert_exit(0)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Warnings about the evidence (1)" in text
    _people(text)


def test_every_row_of_the_csv_plan_carries_it(warned):
    out = run_efl("assess", warned, "--format", "csv").assert_exit(0).output
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows and all(TITLE + ", " + SAYS in r["Warnings about the evidence (1)"] for r in rows)
    _people(rows[0]["Warnings about the evidence (1)"])


def test_the_excel_plan_has_a_read_first_sheet_and_still_reads_back(warned, tmp_path):
    out = tmp_path / "plan.xlsx"
    run_efl("assess", warned, "-o", out).assert_exit(0)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Action plan", "Read first"]
    first = book["Read first"]
    assert first["A1"].value == "Warnings about the evidence (1)"
    _people(first["A2"].value)
    assert "Read first" in book["Action plan"].oddFooter.left.text
    # The plan reads back as a plan (the warnings sheet is not taken for it).
    folder = tmp_path / "again"
    shutil.copytree(warned, folder)
    shutil.copy(out, folder / "action-plan.xlsx")
    yaml_path = folder / "assessment.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("plan: action-plan.yaml", "plan: action-plan.xlsx") if "plan:" in text
                         else text + "plan: action-plan.xlsx\n", encoding="utf-8")
    progress = run_efl("progress", folder, "--format", "json").assert_exit(0).json
    assert sum(progress["counts"].values()) == len(list(book["Action plan"].iter_rows(min_row=2))) > 0


def test_a_folder_without_warnings_gets_neither_the_column_nor_the_sheet(tmp_path):
    out = run_efl("assess", EXAMPLES / "bexley", "--format", "csv").assert_exit(0).output
    assert "Warnings about the evidence" not in out.splitlines()[0]
    plan = tmp_path / "plan.xlsx"
    run_efl("assess", EXAMPLES / "bexley", "-o", plan).assert_exit(0)
    assert "Read first" not in openpyxl.load_workbook(plan).sheetnames
