"""The progress report says how the council's plan stands against the actions the assessment proposed:
a plan of 6 of the council's own lines beside an assessment that proposed 5 actions is explained, in every
format, with the proposals not yet in the plan listed (issue 25: "Harrow's assessment has 5 actions and
its progress report 6 lines")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from efl.testing import run_efl

from conftest import EXAMPLES

HARROW = EXAMPLES / "harrow"


def efl_cli(*args) -> subprocess.CompletedProcess:
    """The installed ``efl``, as a council officer runs it."""
    exe = Path(sys.executable).with_name("efl")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, check=False)


def plan_lines(folder: Path) -> list[dict]:
    return YAML(typ="safe").load((folder / "action-plan.yaml").read_text(encoding="utf-8"))["lines"]


def proposed(folder: Path) -> list[dict]:
    return run_efl("assess", folder, "--format", "json").assert_exit(0).json["actions"]


def test_harrow_progress_explains_five_proposals_beside_six_lines_of_its_own():
    actions, lines = proposed(HARROW), plan_lines(HARROW)
    # Worked from the files: no line names a proposal's criterion or repeats its action in its area.
    keys = {a["criterion"] for a in actions}
    assert not any(line.get("criterion") in keys for line in lines)
    assert (len(actions), len(lines)) == (5, 6)

    done = efl_cli("progress", HARROW, "--format", "json")
    assert done.returncode == 0, done.stderr
    p = json.loads(done.stdout)["proposals"]
    assert (p["proposed"], p["in_plan"], p["own_lines"], p["earlier_lines"]) == (5, 0, 6, 0)
    assert [m["action"] for m in p["not_in_plan"]] == [a["what"] for a in actions]
    assert p["assessed"] == "2016-03-17"

    text = efl_cli("progress", HARROW).stdout
    flat = " ".join(text.split())
    assert "The assessment of 17 March 2016 proposed 5 actions." in flat
    assert "The plan does not yet have a line for any of them." in flat
    assert "All 6 lines of the plan are the council's own." in flat
    assert "Actions the assessment proposed that are not in the plan" in text


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_explanation_and_the_list_are_in_the_papers_to_publish(fmt):
    out = run_efl("progress", HARROW, "--format", fmt).assert_exit(0).output
    assert "proposed 5 actions" in out and "the council's own" in out.replace("&#x27;", "'")
    first = proposed(HARROW)[0]["what"]
    assert first.replace("'", "&#x27;") in out or first.replace("'", "\\'") in out or first in out


def test_the_word_progress_report_says_it_too(tmp_path):
    out = tmp_path / "progress.docx"
    run_efl("progress", HARROW, "-o", out).assert_success()
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "The assessment of 17 March 2016 proposed 5 actions." in text
    assert "Actions the assessment proposed that are not in the plan" in text
    assert proposed(HARROW)[-1]["what"] in cells


def test_a_plan_with_the_proposals_merged_in_has_a_line_for_each(tmp_path):
    folder = tmp_path / "harrow"
    shutil.copytree(HARROW, folder)
    merged = tmp_path / "merged.yaml"
    run_efl("assess", folder, "--plan", merged).assert_exit(0)
    shutil.copy(merged, folder / "action-plan.yaml")
    p = run_efl("progress", folder, "--format", "json").assert_exit(0).json["proposals"]
    assert (p["proposed"], p["in_plan"], p["not_in_plan"], p["own_lines"]) == (5, 5, [], 6)
    text = " ".join(run_efl("progress", folder).assert_exit(0).output.split())
    assert "The plan has a line for each of them." in text
    assert "6 lines of the plan are the council's own." in text
    assert "not in the plan" not in text


def test_a_partly_merged_plan_counts_what_is_in_and_lists_what_is_not(tmp_path):
    folder = tmp_path / "harrow"
    shutil.copytree(HARROW, folder)
    merged = tmp_path / "merged.yaml"
    run_efl("assess", folder, "--plan", merged).assert_exit(0)
    yaml = YAML()
    yaml.representer.ignore_aliases = lambda *args: True  # a council's file writes every value out
    data = yaml.load(merged.read_text(encoding="utf-8"))
    added = [line for line in data["lines"] if line.get("criterion")]
    dropped = added[1:]  # keep one of efl's lines, as a council that took one proposal would
    data["lines"] = [line for line in data["lines"] if line not in dropped]
    # A line an earlier assessment proposed, for a test this one did not propose again.
    data["lines"].append({**dict(added[0]), "id": "old", "criterion": "scw.not-a-current-test",
                          "action": "An action from last year"})
    with (folder / "action-plan.yaml").open("w", encoding="utf-8") as f:
        yaml.dump(data, f)
    p = run_efl("progress", folder, "--format", "json").assert_exit(0).json["proposals"]
    assert (p["proposed"], p["in_plan"], p["own_lines"], p["earlier_lines"]) == (5, 1, 6, 1)
    assert len(p["not_in_plan"]) == 4 and added[0]["action"] not in [m["action"] for m in p["not_in_plan"]]
    text = " ".join(run_efl("progress", folder).assert_exit(0).output.split())
    assert "The plan has a line for 1 of them. 4 are not in the plan yet, listed below." in text
    assert "1 line was proposed by an earlier assessment, and this one did not propose it again." in text


class Broken:
    """A fact plugin that fails: the assessment cannot be trusted, so the comparison is not made up."""

    import efl as _efl

    @_efl.hookimpl
    def efl_compute_facts(self, context):  # noqa: ANN001, ANN201
        raise RuntimeError("boom")


def test_when_the_assessment_cannot_run_the_report_says_so_and_still_reports_progress():
    out = run_efl("progress", HARROW, plugins=[("broken-facts", Broken())])
    assert out.exit_code == 0, out.stderr
    flat = " ".join(out.output.split())
    assert "The plan has 6 lines" in flat
    assert ("The assessment could not be run (the broken-facts plugin failed), so this report cannot say which "
            "of its actions are in the plan.") in flat
    assert "proposed 5 actions" not in flat
