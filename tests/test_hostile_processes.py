"""Real processes and real signals: supervised batch workers, and Ctrl-C from efl's first line.

Every test here runs the ``efl`` command as a separate process (``python -m efl``) and sends it, or
its workers, real signals, as the out-of-memory killer, a systemd time-out and a person at a
terminal do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for worker processes")


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """Twelve councils: enough that four workers are busy when the signal comes."""
    base = tmp_path_factory.mktemp("region")
    for i in range(12):
        shutil.copytree(EXAMPLES / ("bexley" if i % 2 else "london-councils"), base / f"council-{i:02d}")
    return base


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def running(pid: int) -> bool:
    """Alive and not a zombie (a dead child nobody has reaped yet still answers kill(pid, 0))."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def start_batch(region: Path, out: Path, *extra: str) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen([sys.executable, "-m", "efl", "assess", str(region), "--jobs", "4", "--output-dir",
                             str(out), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    workers = children(proc.pid)
    assert len(workers) == 4, "the batch did not start four workers"
    return proc, workers


def finish(proc: subprocess.Popen, workers: list[int], out: Path) -> tuple[str, str, float]:
    started = time.monotonic()
    stdout, stderr = proc.communicate(timeout=60)
    took = time.monotonic() - started
    deadline = time.monotonic() + 5
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if running(w)] == [], "worker processes were left running"
    if out.exists():
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert "Traceback" not in stderr
    return stdout, stderr, took


def test_a_worker_killed_by_the_oom_killer_is_named_and_the_rest_are_assessed(region, tmp_path):
    out = tmp_path / "reports"
    proc, workers = start_batch(region, out)
    victim = workers[1]
    os.kill(victim, signal.SIGKILL)
    stdout, stderr, _ = finish(proc, workers, out)
    assert proc.returncode == 2, stderr
    assert "the worker process assessing this folder" in stderr and "was killed by SIGKILL before it finished" in stderr
    assert "1 of 12 folders had problems." in stderr
    assert len(list(out.glob("*.json"))) == 11
    failed = [line for line in stderr.splitlines() if "killed by SIGKILL" in line]
    assert len(failed) == 1 and failed[0].startswith(str(region / "council-"))


@pytest.mark.parametrize("how, code", [("term-parent", 143), ("int-parent", 130), ("int-group", 130),
                                       ("hup-parent", 129)])
def test_a_signal_stops_the_whole_batch_within_seconds(region, tmp_path, how, code):
    out = tmp_path / "reports"
    proc, workers = start_batch(region, out)
    if how == "int-group":
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C at the terminal reaches every process of the group
    else:
        os.kill(proc.pid, {"term-parent": signal.SIGTERM, "int-parent": signal.SIGINT,
                           "hup-parent": signal.SIGHUP}[how])
    _, stderr, took = finish(proc, workers, out)
    assert proc.returncode == code, stderr
    assert took < 10
    assert stderr.strip().splitlines()[-1] == "efl: interrupted; no output file was left half-written"
    assert len(list(out.glob("*.json"))) < 12


def test_workers_do_not_outlive_a_parent_killed_outright(region, tmp_path):
    out = tmp_path / "reports"
    proc, workers = start_batch(region, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if running(w)] == []


def test_a_worker_killed_while_writing_leaves_no_temporary_file(region, tmp_path):
    """The supervisor removes what a worker killed by SIGKILL could not (its write's temporary file)."""
    out = tmp_path / "reports"
    code = f"""
import os, signal, sys
import efl.files.output as output
real = output._write_all
def write_then_die(fd, data):
    real(fd, data[:10])
    if ".council-03.json." in os.readlink(f"/proc/self/fd/{{fd}}"):
        os.kill(os.getpid(), signal.SIGKILL)  # half-written: only the supervisor can clean up now
    real(fd, data[10:])
output._write_all = write_then_die
sys.argv = ["efl", "assess", {str(region)!r}, "--jobs", "3", "--output-dir", {str(out)!r}]
from efl.cli import main
main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "council-03" in done.stderr and "killed by SIGKILL" in done.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert not (out / "council-03.json").exists() and len(list(out.glob("*.json"))) == 11


# --- Ctrl-C from efl's first line ------------------------------------------------------------------------

INJECT = """
import os, signal, sys
sys.argv = ["efl", *sys.argv[2:]]
target = int(os.environ["EFL_TEST_CALL"])
calls = 0
def tracer(frame, event, arg):
    global calls
    # Count from the moment efl's guard is in place (the first statement of efl/__init__.py).
    if event == "call" and getattr(sys.excepthook, "__module__", "") == "efl.startup":
        calls += 1
        if calls == target:
            sys.setprofile(None)
            signal.raise_signal(getattr(signal, os.environ.get("EFL_TEST_SIGNAL", "SIGINT")))
sys.setprofile(tracer)
try:
    import efl.cli
    efl.cli.main()
finally:
    sys.setprofile(None)
"""


@pytest.mark.parametrize("call", [1, 50, 300, 1_000, 3_000, 8_000, 20_000, 60_000, 150_000])
def test_sigterm_at_any_point_is_one_line_and_143_or_the_default_end(tmp_path, call):
    """Before a command's handling is in place SIGTERM ends efl as it ends any program (nothing is
    open for writing yet); from then on it is one line and exit code 143, never a traceback."""
    env = {**os.environ, "EFL_TEST_CALL": str(call), "EFL_TEST_SIGNAL": "SIGTERM"}
    done = subprocess.run([sys.executable, "-c", INJECT, "-", "validate", str(EXAMPLES / "bexley")],
                          capture_output=True, text=True, timeout=120, env=env)
    if done.returncode == 0:
        pytest.skip(f"the run finished before call {call}")
    assert (done.returncode, done.stderr) == (-signal.SIGTERM, "") or \
        (done.returncode, done.stderr.strip()) == (143, "efl: interrupted; no output file was left half-written"), \
        done.stderr


@pytest.mark.parametrize("call", [1, 50, 300, 1_000, 3_000, 8_000, 20_000, 60_000, 150_000])
def test_ctrl_c_at_any_point_of_the_start_is_one_line_and_exit_130(tmp_path, call):
    """SIGINT delivered at the Nth Python call once efl's first statement has run: during the imports,
    plugin loading, reading the folder. (Python's own start-up, before that, is out of efl's reach.)"""
    env = {**os.environ, "EFL_TEST_CALL": str(call)}
    done = subprocess.run([sys.executable, "-c", INJECT, "-", "validate", str(EXAMPLES / "bexley")],
                          capture_output=True, text=True, timeout=120, env=env)
    if done.returncode == 0:
        pytest.skip(f"the run finished before call {call}")
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "efl: interrupted; no output file was left half-written"


def test_a_real_ctrl_c_soon_after_start_never_prints_a_traceback_from_efl():
    """Real signals at real moments of a real start: whatever efl was doing, one line and 130. An
    interrupt that lands in Python's own start-up (its traceback has no frame in efl's files) is
    Python's, and is not counted here."""
    import efl

    package = os.path.dirname(efl.__file__) + os.sep
    ours = 0
    for i in range(24):
        proc = subprocess.Popen([sys.executable, "-m", "efl", "validate", str(EXAMPLES / "bexley")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.02 + 0.015 * i)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        if "Traceback" in err:
            assert not [line for line in err.splitlines() if f'File "{package}' in line], err
            continue
        if proc.returncode in (0, -signal.SIGINT):
            continue  # it had finished, or Python had not yet set up its handler
        ours += 1
        assert proc.returncode == 130 and err.strip() == "efl: interrupted; no output file was left half-written", err
    assert ours


@pytest.mark.parametrize("files", [12, 20])
def test_too_few_file_descriptors_for_four_workers_is_a_note_not_a_traceback(region, tmp_path, files):
    """A tight ``ulimit -n``: efl starts the workers it can (or none, and assesses in its own process)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "efl", "assess", str(region), "--jobs", "4", "--output-dir", str(out)],
                          capture_output=True, text=True, timeout=180, preexec_fn=limit)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 0:
        assert len(list(out.glob("*.json"))) == 12
    else:
        assert "too many open files" in done.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
