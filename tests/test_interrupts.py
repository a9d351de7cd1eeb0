"""Ctrl-C: wherever it lands, efl exits 130 and leaves no partial output file."""

from __future__ import annotations

import signal
import subprocess
import sys

import efl.core.engine
import efl.files.output
from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_interrupt_during_the_assessment(tmp_path, monkeypatch):
    monkeypatch.setattr(efl.core.engine, "compute_facts", interrupt)
    out = run_efl("assess", BEXLEY, "-o", tmp_path / "report.html")
    assert out.exit_code == 130 and "interrupted" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_interrupt_while_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(efl.files.output.os, "fsync", interrupt)
    out = run_efl("assess", BEXLEY, "-o", tmp_path / "plan.csv")
    assert out.exit_code == 130
    assert list(tmp_path.iterdir()) == []  # the temporary file is removed too


def test_interrupt_during_a_many_folder_run(tmp_path, monkeypatch):
    monkeypatch.setattr(efl.core.engine, "compute_facts", interrupt)
    out = run_efl("assess", EXAMPLES, "--jobs", "1", "--output-dir", tmp_path / "reports")
    assert out.exit_code == 130
    assert list((tmp_path / "reports").iterdir()) == []


SLOW_RUN = """
import sys, time
import efl.cli, efl.core.engine

def slow_facts(*args, **kwargs):
    print("assessing", file=sys.stderr, flush=True)
    time.sleep(60)

efl.core.engine.compute_facts = slow_facts
sys.argv = ["efl", "assess", sys.argv[1], "-o", sys.argv[2]]
efl.cli.main()
"""


def test_real_sigint_exits_130(tmp_path):
    """A real SIGINT to a real process, sent once it is in the middle of assessing."""
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(BEXLEY), str(tmp_path / "out.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr.readline().strip() == "assessing"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
