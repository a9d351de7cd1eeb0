"""``-o`` with an ending no loaded format writes is refused, never written as a plain-text table."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from efl.testing import run_efl


@pytest.mark.parametrize("name", ["report.pdf", "report.PDF", "plan.odt", "report.rtf", "report.doc"])
def test_an_ending_no_format_writes_is_refused_with_the_formats(tmp_path, name):
    target = tmp_path / name
    out = run_efl("assess", EXAMPLES / "london-councils", "-o", target).assert_exit(2)
    assert f"no loaded format writes '{target.suffix}' files (expected a file ending one of the formats " \
           "writes: " in out.stderr
    for listed in ("html (.html or .htm)", "json (.json)", "markdown (.md or .markdown)", "table (.txt)",
                   "csv (.csv)", "--format"):
        assert listed in out.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_htm_is_html_and_no_ending_is_the_table(tmp_path):
    run_efl("assess", EXAMPLES / "london-councils", "-o", tmp_path / "report.htm").assert_exit(0)
    assert (tmp_path / "report.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    run_efl("assess", EXAMPLES / "london-councils", "-o", tmp_path / "report").assert_exit(0)
    assert (tmp_path / "report").read_text(encoding="utf-8").startswith("London Councils")


def test_an_explicit_format_writes_whatever_the_ending(tmp_path):
    run_efl("assess", EXAMPLES / "london-councils", "--format", "json", "-o", tmp_path / "result.data").assert_exit(0)
    assert (tmp_path / "result.data").read_text(encoding="utf-8").startswith("{")


def test_report_refuses_the_same_endings(tmp_path):
    saved = tmp_path / "result.json"
    run_efl("assess", EXAMPLES / "london-councils", "-o", saved).assert_exit(0)
    out = run_efl("report", saved, "-o", tmp_path / "r.pdf").assert_exit(2)
    assert "no loaded format writes '.pdf' files" in out.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_compare_refuses_an_ending_it_does_not_write(tmp_path):
    out = run_efl("compare", EXAMPLES / "london-councils", EXAMPLES / "london-councils",
                  "-o", tmp_path / "c.pdf").assert_exit(2)
    # Comparison formats come from the same registry as reports (those with a compare renderer).
    assert "no loaded comparison format writes '.pdf' files (expected a file ending one of the comparison " \
        "formats writes: html (.html or .htm), json (.json), markdown (.md or .markdown), table (.txt)" in out.stderr
    assert not (tmp_path / "c.pdf").exists()
