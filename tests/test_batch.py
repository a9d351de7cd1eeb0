"""efl assess over many folders: summary, reports per council, a bad folder reported, --jobs."""

from __future__ import annotations

import json
import shutil

from efl.testing import run_efl

from conftest import EXAMPLES


def test_folder_of_folders_summary_and_reports(tmp_path):
    out = run_efl("assess", EXAMPLES, "--summary", "json", "--output-dir", tmp_path / "reports").assert_success()
    summaries = out.json
    # Every worked example, in name order (more are added as the project grows).
    examples = sorted(p.parent.name for p in EXAMPLES.glob("*/assessment.yaml"))
    assert {"bexley", "bexley-peer", "london-councils"} <= set(examples)
    assert [s["folder"] for s in summaries] == [str(EXAMPLES / n) for n in examples]
    one = run_efl("assess", EXAMPLES / "london-councils", "--format", "json").json
    lc = summaries[examples.index("london-councils")]
    assert lc["council"] == "London Councils" and lc["overall"] == one["overall_level"]
    assert lc["actions"] == len(one["actions"]) and lc["levels"]["lpoc"] == "Achieving"
    assert json.loads((tmp_path / "reports" / "london-councils.json").read_text()) == one
    table = run_efl("assess", EXAMPLES / "bexley", EXAMPLES / "london-councils").assert_success().output
    assert "3 folders" not in table and "2 folders: 2 at Developing." in table


def test_two_jobs_give_the_same_summary_as_one():
    one = run_efl("assess", EXAMPLES, "--summary", "json", "--jobs", "1").assert_success().json
    two = run_efl("assess", EXAMPLES, "--summary", "json", "--jobs", "2").assert_success().json
    assert one == two


def test_a_bad_folder_is_reported_and_the_others_still_assessed(tmp_path):
    for name in ("good", "bad"):
        shutil.copytree(EXAMPLES / "london-councils", tmp_path / name)
    (tmp_path / "bad" / "assessment.yaml").write_text("council: {name: X}\ndate: nope\n")
    out = run_efl("assess", tmp_path, "--summary", "json", "--jobs", "1")
    assert out.exit_code == 2
    good, bad = sorted(out.json, key=lambda s: s["folder"], reverse=True)
    assert good["council"] == "London Councils" and good["exit_code"] == 0
    assert bad["exit_code"] == 2 and bad["errors"]
    assert f"{tmp_path / 'bad' / 'assessment.yaml'}:2:7:" in out.stderr
    assert "1 of 2 folders had problems." in out.stderr


def test_many_folder_usage_errors(tmp_path):
    out = run_efl("assess", EXAMPLES, "-o", tmp_path / "x.json").assert_exit(2)
    assert "use --output-dir" in out.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run_efl("assess", empty, EXAMPLES / "bexley").assert_exit(2)
    assert f"{empty}: no assessment.yaml here or in its sub-folders" in out.stderr
