"""What if: ``--assume FACT=VALUE`` and ``--assume-file``; hypothetical results are marked everywhere."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from conftest import EXAMPLES, write_files
from efl.testing import run_efl

LEICS = EXAMPLES / "leicestershire"
WHAT_IF = LEICS / "what-if.yaml"


def criterion(result: dict, ident: str) -> dict:
    return next(c for a in result["areas"] for c in a["criteria"] if c["id"] == ident)


@pytest.fixture(scope="module")
def what_if():
    return run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--format", "json").assert_exit(0).json


def test_assumed_figures_change_the_outcome_and_are_listed(what_if):
    real = run_efl("assess", LEICS, "--format", "json").assert_exit(0).json
    assert real["hypothetical"] is False and real["assumptions"] == []
    assert what_if["hypothetical"] is True
    facts = {a["fact"]: a for a in what_if["assumptions"]}
    assert set(facts) == {"workforce.lowest_declaration_rate_pct", "workforce.training_completion_pct"}
    declared = facts["workforce.lowest_declaration_rate_pct"]
    assert declared["value"] == 86 and declared["from_evidence"] is True and declared["unit"] == "%"
    real_fact = next(f for f in real["facts"] if f["name"] == "workforce.lowest_declaration_rate_pct")
    assert declared["evidence_value"] == real_fact["value"]
    assert declared["source"].startswith("what-if.yaml, line ") and declared["note"].startswith('The "Count me in"')
    assumed = next(f for f in what_if["facts"] if f["name"] == "workforce.lowest_declaration_rate_pct")
    assert assumed["assumed"] is True and assumed["evidence"] == [] and assumed["value"] == 86
    for ident in ("scw.declaration", "scw.training"):
        assert criterion(real, ident)["outcome"] == "not_met" and criterion(what_if, ident)["outcome"] == "met"
    assert next(a for a in what_if["areas"] if a["id"] == "scw")["level"] == "achieving"


def test_a_command_line_assumption_counts_like_one_in_a_file():
    out = run_efl("assess", LEICS, "--assume", "involvement.feedback_published_pct=80%", "--format", "json")
    result = out.assert_exit(0).json
    [a] = result["assumptions"]
    assert a["value"] == 80 and a["source"] == "the command line"
    assert criterion(result, "iyc.feedback")["outcome"] == "met"


def test_an_assumption_about_a_figure_the_evidence_does_not_give(tmp_path):
    result = run_efl("assess", LEICS, "--assume", "services.complaints_characteristics_monitored=6",
                     "--format", "json").assert_exit(0).json
    [a] = result["assumptions"]
    assert a["from_evidence"] is False and a["evidence_value"] is None
    # with the figure assumed the criterion is met, so its waiver is recorded but changes nothing
    c = criterion(result, "rscc.complaints")
    assert c["outcome"] == "met" and c["waived"] is False
    assert result["waivers"][0]["outcome"] == "met" and result["waivers"][0]["applied"] is False


@pytest.mark.parametrize("args, message", [
    (["--assume", "workforce.lowest_declaraton_rate_pct=90"], "did you mean 'workforce.lowest_declaration_rate_pct'?"),
    (["--assume", "workforce.training_completion_pct=lots"], "'lots' is not a number (expected a percentage such as 85)"),
    (["--assume", "council.lead_member_named=perhaps"], "'perhaps' is not yes or no"),
    (["--assume", "workforce.training_completion_pct"], "is not FACT=VALUE"),
    (["--assume", "workforce.training_completion_pct=90", "--assume", "workforce.training_completion_pct=95"],
     "is assumed twice"),
    (["--assume-file", "nowhere.yaml"], "no such file"),
])
def test_assumption_mistakes_are_clear(args, message):
    out = run_efl("assess", LEICS, *args)
    assert out.exit_code == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_a_bad_what_if_file_is_reported_at_its_lines(tmp_path):
    bad = write_files(tmp_path, {"w.yaml": "assume:\n  workforce.training_completion_pct: 95\n"
                                           "  workforce.traning_completion_pct: 96\n"
                                           "  council.lead_member_named: maybe\n"})
    out = run_efl("assess", LEICS, "--assume-file", bad / "w.yaml")
    assert out.exit_code == 2
    assert "w.yaml:3:3: no plugin provides the fact 'workforce.traning_completion_pct'" in out.stderr
    assert "w.yaml:4:3: council.lead_member_named: 'maybe' is not yes or no" in out.stderr
    out = run_efl("assess", LEICS, "--assume-file", write_files(tmp_path, {"x.yaml": "asume: {}\n"}) / "x.yaml")
    assert out.exit_code == 2 and "unknown key 'asume' (did you mean 'assume'?)" in out.stderr


@pytest.mark.parametrize("fmt, first", [
    ("table", "WHAT-IF. What-if, not the council's assessment."),
    ("markdown", "# What-if: Leicestershire County Council"),
])
def test_text_formats_say_what_if_first(fmt, first):
    out = run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--format", fmt).assert_exit(0).output
    assert out.startswith(first)
    assert "86% assumed (the evidence gives 60.8%)" in " ".join(out.split())


def test_html_says_what_if_in_its_title_and_before_the_summary():
    out = run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--format", "html").assert_exit(0).output
    assert "<title>What-if: Leicestershire County Council" in out and "<h1>What-if: Leicestershire" in out
    main = out.split('<main id="main">', 1)[1]
    assert main.lstrip().startswith('<section class="what-if" role="note" aria-labelledby="part-what-if">'
                                    '<h2 id="part-what-if">What-if, not the council')


def test_csv_marks_every_row():
    out = run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--format", "csv").assert_exit(0).output
    import csv

    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][-1] == "What-if" and len(rows) > 1
    assert all(row[-1].startswith("This is a what-if: it assumes") for row in rows[1:])


def test_the_real_result_is_not_marked():
    for fmt in ("table", "markdown", "html", "csv"):
        out = run_efl("assess", LEICS, "--format", fmt).assert_exit(0).output
        assert "What-if" not in out and "WHAT-IF" not in out


def test_compare_sets_a_what_if_beside_the_real_result_and_says_which_is_which(tmp_path, what_if):
    saved = tmp_path / "what-if.json"
    saved.write_text(json.dumps(what_if), encoding="utf-8")
    out = run_efl("compare", LEICS, saved, "--format", "json").assert_exit(0)
    assert f"{saved}: warning: this is a what-if result, not the council's own assessment" in out.stderr
    c = out.json
    sides = {c["a"]["source"]: c["a"], c["b"]["source"]: c["b"]}
    assert sides[str(saved)]["hypothetical"] is True and sides[str(LEICS)]["hypothetical"] is False
    row = next(x for x in c["criteria"] if x["a"] and x["a"]["id"] == "scw.training")
    assert row["disagreement"] == "assumed"
    text = run_efl("compare", LEICS, saved).assert_exit(0).output
    assert "is a what-if, not the council's own assessment" in " ".join(text.split())
    html = run_efl("compare", LEICS, saved, "--format", "html").assert_exit(0).output
    assert "is a what-if, not the council&#x27;s own assessment" in html
    report = run_efl("report", saved)
    assert report.exit_code == 0 and "this is a what-if result" in report.stderr


def test_across_refuses_a_what_if(tmp_path, what_if):
    saved = tmp_path / "what-if.json"
    saved.write_text(json.dumps(what_if), encoding="utf-8")
    out = run_efl("compare", "--across", saved, EXAMPLES / "bexley")
    assert out.exit_code == 2 and "is a what-if result" in out.stderr


def test_a_plan_cannot_be_written_from_a_what_if(tmp_path):
    out = run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--plan", tmp_path / "plan.yaml")
    assert out.exit_code == 2 and "cannot be used with --assume" in out.stderr
    assert not (tmp_path / "plan.yaml").exists()


def test_a_pack_whose_result_is_a_what_if_is_not_the_councils_own(tmp_path, what_if):
    pack = tmp_path / "pack.zip"
    run_efl("pack", LEICS, "-o", pack).assert_exit(0)
    # A pack holds the council's own result; one edited into a what-if is caught by verify.
    doctored = tmp_path / "doctored.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(doctored, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "result.json":
                data = json.dumps({**json.loads(data), "hypothetical": True}).encode()
            out.writestr(info, data)
    verdict = run_efl("verify", doctored)
    assert verdict.exit_code == 4 and "is a what-if result, not the council's own assessment" in verdict.stderr


def test_the_pack_of_the_example_reproduces_with_its_tailoring_and_waivers(tmp_path):
    pack = tmp_path / "pack.zip"
    run_efl("pack", LEICS, "-o", pack).assert_exit(0)
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        result = json.loads(archive.read("result.json"))
    assert "assessment/tailoring.yaml" in names and result["framework"]["tailoring"]["file"] == "tailoring.yaml"
    assert result["hypothetical"] is False and len(result["waivers"]) == 2
    assert run_efl("verify", pack).exit_code == 0


def test_the_word_report_says_what_if_first_and_marks_what_is_local(tmp_path):
    import docx

    path = tmp_path / "what-if.docx"
    run_efl("assess", LEICS, "--assume-file", WHAT_IF, "--target", "achieving", "-o", path).assert_exit(0)
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].startswith("What-if: Leicestershire County Council")
    assert document.core_properties.title.startswith("What-if: ")
    assert paragraphs[1].startswith("What-if, not the council's assessment. This is a what-if: it assumes")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("Most staff have recorded their protected characteristics (local)") for c in cells)
    assert any("local threshold: at least 85 here, 80 in the edition" in c for c in cells)
    assert "What it would take to reach Achieving" in paragraphs and any(c == "Waivers (2)" for c in paragraphs)
    real = tmp_path / "real.docx"
    run_efl("assess", LEICS, "-o", real).assert_exit(0)
    assert not any("What-if" in p.text for p in docx.Document(str(real)).paragraphs)


def test_the_xlsx_plan_is_not_written_for_a_what_if(tmp_path):
    out = run_efl("assess", LEICS, "--assume-file", WHAT_IF, "-o", tmp_path / "plan.xlsx")
    assert out.exit_code == 2 and "not written for a what-if" in out.stderr
    assert not (tmp_path / "plan.xlsx").exists()
