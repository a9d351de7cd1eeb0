"""Report formats: content, escaping of hostile input, CSV injection, atomic writes, and re-rendering
a saved result."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
from html.parser import HTMLParser

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"
FORMATS = ["table", "json", "markdown", "html", "csv"]
HOSTILE = "<script>alert('x')</script> & =HYPERLINK(\"http://evil\") | *bold*"


@pytest.fixture
def hostile(tmp_path):
    """A copy of Bexley whose council name, lead member and an action owner are hostile text."""
    folder = tmp_path / "hostile"
    shutil.copytree(BEXLEY, folder)
    text = (folder / "assessment.yaml").read_text()
    text = text.replace("name: London Borough of Bexley", f"name: '{HOSTILE.replace(chr(39), chr(39) * 2)}'")
    (folder / "assessment.yaml").write_text(text)
    return folder


class Collect(HTMLParser):
    """Every element and every run of text in an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def parse_html(page: str) -> Collect:
    parser = Collect()
    parser.feed(page)
    return parser


def test_html_escapes_evidence_text(hostile):
    page = run_efl("assess", hostile, "--format", "html").assert_success().output
    parsed = parse_html(page)
    assert "script" not in parsed.tags  # no script element at all, from us or from the council name
    assert HOSTILE in "".join(parsed.text)  # the name is shown, as text
    assert "&lt;script&gt;" in page


def test_html_is_self_contained_and_structured():
    page = run_efl("assess", BEXLEY, "--format", "html").assert_success().output
    parsed = parse_html(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not fetch anything"
    assert {"header", "nav", "main", "footer", "svg", "table", "caption"} <= set(parsed.tags)
    # The chart has a text alternative naming every area's level.
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', page).group(1)
    assert "Knowing your communities: Excellent." in desc
    assert "Leadership, partnership and organisational commitment: Developing." in desc
    # Headings go summary, areas, action plan, provenance, in that order.
    headings = re.findall(r"<h2 id=\"([^\"]+)\">", page)
    assert headings == ["part-summary", "part-recommendations", "part-reasons", "part-alternatives",
                        "part-background", "part-findings", "part-plan", "part-consultation", "part-financial",
                        "part-legal", "part-risk", "part-equality", "part-timetable", "part-papers", "part-contact",
                        "provenance"]
    areas = re.findall(r"<h3 id=\"([^\"]+)\">", page)
    assert [a for a in areas if a.startswith("part-area-")] == [f"part-area-{a}" for a in ("kyc", "lpoc", "iyc",
                                                                                       "rscc", "scw")]
    for sha in re.findall(r'"sha256": "([0-9a-f]{64})"', run_efl("assess", BEXLEY, "--format", "json").output):
        assert sha in page


def test_markdown_escapes_and_keeps_the_table_whole(hostile):
    text = run_efl("assess", hostile, "--format", "markdown").assert_success().output
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert r"\| \*bold\*" in text
    table = [line for line in text.splitlines() if line.startswith("| Knowing")]
    assert len(table) == 1 and table[0].count(" | ") == 3  # four cells, no stray pipes


def test_markdown_committee_paper_sections():
    text = run_efl("assess", BEXLEY, "--format", "markdown").assert_success().output
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Summary", "## Recommendations", "## Reasons for the recommendations", "## Alternative options considered",
        "## Background", "## What the evidence shows", "## The action plan", "## Consultation",
        "## Financial implications", "## Legal implications", "## Risk management implications",
        "## Equality implications", "## Timetable", "## Background papers", "## Contact officer"]
    assert "#### Gender pay gap" in text and "#### How staff compare with the community" in text
    assert ("| Give each equality objective's measures a baseline figure and a target, so progress can be reported. "
            "| 2 | Leadership, partnership and organisational commitment |" in text)


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _words(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def test_csv_action_plan_rows():
    # The peer's date (20 March 2026) is past the yearly equality information's due date: a legal duty.
    peer = EXAMPLES / "bexley-peer"
    json_result = run_efl("assess", peer, "--format", "json").json
    rows = csv_rows(run_efl("assess", peer, "--format", "csv").assert_success().output)
    header, body = rows[0], rows[1:]
    assert header[:8] == ["Priority", "Area", "Criterion id", "Criterion", "Action", "Why", "Lead", "Due"]
    assert len(body) == len(json_result["actions"])
    first = dict(zip(header, body[0]))
    action = json_result["actions"][0]
    # Due dates in words, as every report writes them (the JSON keeps YYYY-MM-DD).
    assert first["Criterion id"] == action["criterion"] and first["Due"] == _words(action["due"])
    assert first["Legal duty"] == "yes" and first["Figure"] == (action["figure"] or "")
    assert (first["Criterion id"], first["Due"], first["Overdue"]) == (
        "lpoc.information-published", "30 January 2026", "yes")


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-3.2% gap", "'-3.2% gap"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "'\tTAB"), ("\rCR", "'\rCR"), ("Head of HR", "Head of HR"), ("a=b", "a=b"),
])
def test_csv_cells_that_start_a_formula_are_neutralised(cell, expected):
    from efl_plugins.csv_action_plan import neutralise

    assert neutralise(cell) == expected


def test_csv_injection_from_framework_and_evidence_text(tmp_path):
    from conftest import FrameworkFile, assessment_yaml, framework_yaml

    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml("""\
        - id: c1
          title: '-1 policy'
          level: developing
          rule: {evidence: policy}
          action: '=HYPERLINK("http://evil","click")'
          owner: '@Head of HR'
          source: test
        """))
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "assessment.yaml").write_text(assessment_yaml())
    out = run_efl("assess", folder, "--format", "csv", plugins=[("fw", FrameworkFile(fw))]).assert_success()
    header, row = csv_rows(out.output)
    cells = dict(zip(header, row))
    assert cells["Action"] == "\'=HYPERLINK(\"http://evil\",\"click\")"
    assert cells["Lead"] == "'@Head of HR" and cells["Criterion"] == "'-1 policy"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert out.output.count('"') % 2 == 0 and '\n"1","The area"' in out.output  # every cell quoted


def test_report_rerenders_a_saved_result_identically(tmp_path):
    saved = tmp_path / "bexley.json"
    run_efl("assess", BEXLEY, "-o", saved).assert_success()  # format chosen from the file ending
    assert saved.read_text() == run_efl("assess", BEXLEY, "--format", "json").output
    for fmt in FORMATS:
        direct = run_efl("assess", BEXLEY, "--format", fmt).assert_success().output
        again = run_efl("report", saved, "--format", fmt).assert_success().output
        assert again == direct, fmt


def test_report_refuses_bad_result_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "1.0",\n "areas": [}\n')
    out = run_efl("report", broken).assert_exit(2)
    assert f"{broken}:2:12: not valid JSON" in out.stderr
    wrong = tmp_path / "wrong.json"
    data = run_efl("assess", BEXLEY, "--format", "json").json
    data["areas"][0]["level"] = 7
    import json

    wrong.write_text(json.dumps(data, indent=2))
    out = run_efl("report", wrong).assert_exit(2)
    assert re.search(rf"{re.escape(str(wrong))}:\d+:\d+: areas\[0\]\.level", out.stderr)
    newer = tmp_path / "newer.json"
    newer.write_text('{"schema_version": "2.0"}')
    assert "result format 2.0 is not one this efl reads" in run_efl("report", newer).assert_exit(2).stderr
    assert "no such file" in run_efl("report", tmp_path / "none.json").assert_exit(2).stderr


def test_output_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("my notes")
    out = run_efl("assess", BEXLEY, "-o", target).assert_exit(2)
    assert "the file already exists" in out.stderr and target.read_text() == "my notes"
    run_efl("assess", BEXLEY, "-o", target, "--force").assert_success()
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.csv"

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    out = run_efl("assess", BEXLEY, "-o", target)
    assert out.exit_code == 130 and "interrupted" in out.stderr
    assert list(tmp_path.iterdir()) == []  # neither the report nor its temporary file


def test_interrupted_overwrite_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("last year's report")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt))
    assert run_efl("assess", BEXLEY, "-o", target, "--force").exit_code == 130
    assert target.read_text() == "last year's report" and len(list(tmp_path.iterdir())) == 1


def test_format_from_output_ending_and_ambiguity(tmp_path):
    run_efl("assess", BEXLEY, "-o", tmp_path / "plan.csv").assert_success()
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").startswith("\ufeff\"Priority\"")
    run_efl("assess", BEXLEY, "-o", tmp_path / "paper.md").assert_success()
    assert (tmp_path / "paper.md").read_text().startswith("# London Borough of Bexley")


def test_peer_reports_keep_the_agreed_level_beside_claim_and_evidence():
    peer = EXAMPLES / "bexley-peer"
    for fmt in ("table", "markdown", "html"):
        out = run_efl("assess", peer, "--format", fmt).assert_success().output
        assert "Level agreed" in out, fmt
    md = run_efl("assess", peer, "--format", "markdown").output
    assert "| Leadership, partnership and organisational commitment | Not yet Developing | Developing | Developing |" in md
    assert "Level agreed" not in run_efl("assess", BEXLEY, "--format", "markdown").output
