"""Writing in a hostile world: full disks, read-only file systems, races, links, signals, broken stdout.

The promise: a file efl writes is complete or absent (with --force: the complete old or new one), no
temporary file is ever left behind, nothing is written through a link, and every failure is a
message naming the file with exit code 2 (or 128 + the signal), never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import efl.core.batch
import efl.files.output
from efl.core.batch import MAX_JOBS, capped_jobs, report_stems
from efl.errors import UsageError
from efl.files.output import OutputError, write_atomic
from efl.scaffold import scaffold
from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"
LC = EXAMPLES / "london-councils"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def efl_process(*args, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "efl", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)


# --- permissions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "r.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "r.json").st_mode) == mode


def test_force_keeps_an_existing_files_mode(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    target.chmod(0o604)
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o604


def test_reports_from_a_real_run_are_readable_by_colleagues(tmp_path):
    done = efl_process("assess", BEXLEY, "-o", tmp_path / "r.html")
    assert done.returncode == 0, done.stderr
    mode = stat.S_IMODE((tmp_path / "r.html").stat().st_mode)
    assert mode & 0o044 == 0o044 or os.umask(os.umask(0)) & 0o044  # readable unless the umask says no


# --- links and what is already there ------------------------------------------------------------------------

def test_a_dangling_link_is_not_replaced_or_followed(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    for force in (False, True):
        with pytest.raises(OutputError) as caught:
            write_atomic(link, "x", force=force)
        assert "is a symbolic link" in str(caught.value)
    assert link.is_symlink() and not (tmp_path / "elsewhere.json").exists()
    assert leftovers(tmp_path) == []


def test_a_link_to_a_file_is_never_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "out.md").symlink_to(victim)
    out = run_efl("assess", BEXLEY, "-o", tmp_path / "out.md", "--force")
    assert out.exit_code == 2 and "is a symbolic link" in out.stderr
    assert victim.read_text() == "keep me" and (tmp_path / "out.md").is_symlink()


def test_a_link_put_in_place_just_before_the_rename_is_refused(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")
    real_fsync = os.fsync

    def fsync_then_swap(fd):
        real_fsync(fd)
        if not target.is_symlink():
            target.unlink()
            target.symlink_to(tmp_path / "victim")

    monkeypatch.setattr(efl.files.output.os, "fsync", fsync_then_swap)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, "new", force=True)
    assert "symbolic link" in str(caught.value)
    assert not (tmp_path / "victim").exists() and leftovers(tmp_path) == []


def test_a_file_made_by_another_run_after_the_check_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    real_fsync = os.fsync

    def fsync_then_other_run(fd):
        real_fsync(fd)
        if not target.exists():
            target.write_text("the other run's report")

    monkeypatch.setattr(efl.files.output.os, "fsync", fsync_then_other_run)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, "mine")
    assert "already exists (another run wrote it first" in str(caught.value)
    assert target.read_text() == "the other run's report" and leftovers(tmp_path) == []


def test_without_hard_links_the_name_is_still_created_exclusively(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(efl.files.output.os, "link", no_links)
    write_atomic(tmp_path / "a.txt", "first")
    assert (tmp_path / "a.txt").read_text() == "first"
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "a.txt", "second")
    assert (tmp_path / "a.txt").read_text() == "first" and leftovers(tmp_path) == []


def test_two_runs_writing_one_output_exactly_one_wins(tmp_path):
    """Real processes started together, many times: never two winners, never a mixed file."""
    for attempt in range(4):
        target = tmp_path / f"out{attempt}.json"
        procs = [subprocess.Popen([sys.executable, "-m", "efl", "assess", BEXLEY, "--format", "json", "-o",
                                   str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 2], results
        loser = next(err for code, err in results if code == 2)
        assert "already exists" in loser and "Traceback" not in loser
        json.loads(target.read_text())  # complete
    assert leftovers(tmp_path) == []


# --- disks that fail ------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 64 kB tmpfs (tests run as root); if mounting is not allowed, None (the ENOSPC tests then inject)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


FULL_DISK_RUN = """
import errno, os, sys
import efl.files.output
real_write = os.write
def full(fd, data):
    raise OSError(errno.ENOSPC, "No space left on device")
if sys.argv[1] == "inject":
    efl.files.output.os.write = full
sys.argv = ["efl", *sys.argv[2:]]
from efl.cli import main
main()
"""


def test_full_disk_is_a_clear_error_and_leaves_nothing(small_disk, tmp_path):
    if small_disk is not None:
        (small_disk / "filler").write_bytes(b"x" * 60_000)
        where, mode = small_disk, "real"
    else:
        where, mode = tmp_path, "inject"
    target = where / "report.html"
    done = subprocess.run([sys.executable, "-c", FULL_DISK_RUN, mode, "assess", BEXLEY, "-o", target],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"{target}: cannot write the file: the disk is full" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists() and leftovers(where) == []


def test_full_disk_with_force_keeps_the_old_file(small_disk, tmp_path):
    where = small_disk or tmp_path
    target = where / "report.md"
    target.write_text("the old report\n")
    if small_disk is not None:
        (small_disk / "filler").write_bytes(b"x" * 60_000)
    done = subprocess.run([sys.executable, "-c", FULL_DISK_RUN, "real" if small_disk else "inject", "assess", BEXLEY,
                           "-o", target, "--force"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "the disk is full" in done.stderr
    assert target.read_text() == "the old report\n" and leftovers(where) == []


def test_full_disk_in_output_dir_is_reported_per_council(small_disk, tmp_path):
    where = small_disk or tmp_path
    if small_disk is not None:
        (small_disk / "filler").write_bytes(b"x" * 60_000)
    done = subprocess.run([sys.executable, "-c", FULL_DISK_RUN, "real" if small_disk else "inject", "assess", BEXLEY,
                           LC, "--jobs", "1", "--format", "html", "--output-dir", where / "reports"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot write the file: the disk is full" in done.stderr
    assert leftovers(where) == []


def test_read_only_file_system(tmp_path):
    mount = tmp_path / "ro"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:  # no mounting here: inject what a read-only file system says
        code = ("import errno, os, sys\nreal = os.open\n"
                "def ro(path, flags, *a, **k):\n"
                "    if flags & (os.O_WRONLY | os.O_CREAT):\n"
                "        raise OSError(errno.EROFS, 'Read-only file system')\n"
                "    return real(path, flags, *a, **k)\n"
                "os.open = ro\nsys.argv = ['efl', *sys.argv[1:]]\nfrom efl.cli import main\nmain()\n")
        run = [sys.executable, "-c", code]
    else:
        run = [sys.executable, "-m", "efl"]
    try:
        out = subprocess.run([*run, "assess", BEXLEY, "-o", str(mount / "r.json")], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert f"{mount / 'r.json'}: cannot write the file: the file system is read-only" in out.stderr
        out = subprocess.run([*run, "assess", BEXLEY, LC, "--output-dir", str(mount / "reports")], capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 2 and "Traceback" not in out.stderr and "read-only" in out.stderr
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", "-l", str(mount)], check=False)


ERRORS = [errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EROFS, errno.EACCES]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(0, 300_000), fail_at=st.sampled_from(["write", "fsync", "open", "link", "replace", None]),
       after=st.integers(0, 5), code=st.sampled_from(ERRORS), force=st.booleans(), existed=st.booleans())
def test_any_write_failure_leaves_old_or_nothing(tmp_path_factory, monkeypatch, size, fail_at, after, code, force,
                                                 existed):
    folder = tmp_path_factory.mktemp("w")
    target = folder / "out.txt"
    if existed:
        target.write_text("OLD")
    text = "n" * size
    calls = {"n": 0}
    if fail_at is not None:
        real = getattr(os, fail_at)

        def failing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError(code, os.strerror(code))
            return real(*args, **kwargs)

        monkeypatch.setattr(efl.files.output.os, fail_at, failing)
    try:
        write_atomic(target, text, force=force)
    except OutputError as error:
        assert str(target) in str(error)
        assert target.read_text() == "OLD" if existed else not target.exists()
    else:
        assert target.read_text() == (text if force or not existed else "OLD")
        assert not (existed and not force), "an existing file was replaced without --force"
    finally:
        monkeypatch.undo()
    assert leftovers(folder) == []


# --- signals: real processes, signals at random points of a write ----------------------------------------------

SLOW_WRITE = """
import os, sys, time
import efl.files.output
real_write = os.write
def slow_write(fd, data):
    # Small pieces, slowly, so the signal lands in the middle of the write.
    n = real_write(fd, bytes(data[:512]))
    print("w", file=sys.stderr, flush=True)
    time.sleep(0.002)
    return n
efl.files.output.os.write = slow_write
sys.argv = ["efl", *sys.argv[1:]]
from efl.cli import main
main()
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_at_a_random_point_of_a_write_leaves_no_temp_file(tmp_path, signum):
    rng = random.Random(signum)
    for attempt in range(3):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        target = folder / "report.json"
        old = None
        if attempt == 2:
            old = '{"old": true}\n'
            target.write_text(old)
        args = ["assess", str(BEXLEY), "--format", "json", "--explain", "-o", str(target)]
        if old:
            args.append("--force")
        proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, *args], stderr=subprocess.PIPE, text=True)
        assert proc.stderr.readline().strip() == "w"  # the write has begun
        for _ in range(rng.randint(0, 40)):
            if not proc.stderr.readline():
                break
        proc.send_signal(signum)
        rest = proc.stderr.read()
        code = proc.wait(timeout=60)
        assert "Traceback" not in rest
        assert code in (0, 128 + signum), rest[-500:]
        assert leftovers(folder) == []
        if code == 0:
            json.loads(target.read_text())
        else:
            assert "interrupted" in rest
            assert target.read_text() == old if old else not target.exists()


def test_handlers_are_restored_after_a_write(tmp_path):
    before = {s: signal.getsignal(s) for s in efl.files.output.SIGNALS}
    write_atomic(tmp_path / "a", "x")
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "a", "x")
    assert {s: signal.getsignal(s) for s in efl.files.output.SIGNALS} == before


def test_an_ignored_signal_stays_ignored(tmp_path):
    old = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with efl.files.output.signals_raise():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, old)


def test_writing_from_a_thread_does_not_touch_signals(tmp_path):
    errors = []

    def work():
        try:
            write_atomic(tmp_path / "t.txt", "x")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert not errors and (tmp_path / "t.txt").read_text() == "x"


# --- standard output --------------------------------------------------------------------------------------------

def test_stdout_on_a_full_device_is_exit_2_without_traceback():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "efl", "assess", str(BEXLEY)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2
    assert "efl: cannot write to standard output: the disk is full" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.parametrize("command", [["assess", str(EXAMPLES), "--jobs", "1", "--summary", "json"],
                                     ["assess", str(BEXLEY), "--format", "json", "--explain"],
                                     ["plugins", "--json"]])
def test_a_closed_pipe_ends_efl_quietly(command):
    """As in ``efl assess ... | head -1``: the reader goes away after one line."""
    proc = subprocess.Popen([sys.executable, "-m", "efl", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            bufsize=0)
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err and "Broken pipe" not in err, err
    assert code in (0, -signal.SIGPIPE), (code, err)


# --- many folders -----------------------------------------------------------------------------------------------

def test_jobs_are_capped_by_folders_and_a_maximum():
    assert capped_jobs(200, 2) == 2
    assert capped_jobs(200, 1000) == MAX_JOBS
    assert capped_jobs(3, 10) == 3 and capped_jobs(1, 0) == 1


def test_jobs_200_for_two_folders_starts_two_workers(tmp_path, monkeypatch):
    import efl.core.workers

    seen = []
    real = efl.core.workers.run_supervised

    def recording(tasks, jobs, *args, **kwargs):
        seen.append(jobs)
        return real(tasks, jobs, *args, **kwargs)

    monkeypatch.setattr(efl.core.workers, "run_supervised", recording)
    out = run_efl("assess", BEXLEY, LC, "--jobs", "200")
    assert out.exit_code == 0, out.stderr
    assert seen == [2]


def test_folders_that_share_a_name_get_reports_that_do_not(tmp_path):
    for region in ("north", "south"):
        shutil.copytree(BEXLEY if region == "north" else LC, tmp_path / region / "bexley")
    shutil.copytree(BEXLEY, tmp_path / "east" / "Bexley")
    reports = tmp_path / "reports"
    out = run_efl("assess", tmp_path / "north" / "bexley", tmp_path / "south" / "bexley", tmp_path / "east" / "Bexley",
                  "--output-dir", reports, "--jobs", "1")
    assert out.exit_code == 0, out.stderr
    names = sorted(p.name for p in reports.iterdir())
    assert names == ["east-Bexley.json", "north-bexley.json", "south-bexley.json"]
    councils = {json.loads((reports / n).read_text())["assessment"]["council"] for n in names}
    assert len(councils) == 2  # north and east are Bexley, south holds London Councils: none overwritten
    assert ("efl: note: 3 folders are called 'bexley' or 'Bexley'; their reports are named north-bexley, "
            "south-bexley, east-Bexley so that none overwrites another") in out.stderr


def test_report_stems_are_unique_even_when_parents_match(tmp_path):
    folders = [tmp_path / "a" / "x" / "c", tmp_path / "b" / "x" / "c", tmp_path / "x" / "c"]
    stems, notes = report_stems(folders)
    assert len({s.casefold() for s in stems}) == 3 and stems[0] == "x-c" and stems[1] == "x-c-2"
    assert notes and "3 folders are called 'c'" in notes[0]


def test_output_dir_on_a_file_is_refused(tmp_path):
    (tmp_path / "reports").write_text("x")
    done = efl_process("assess", BEXLEY, LC, "--output-dir", tmp_path / "reports" / "sub")
    assert done.returncode == 2 and "is not a folder" in done.stderr and "Traceback" not in done.stderr


# --- efl init ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Bexley\nCouncil", "Bexley\x07", "Bexley\x1b[2J", "Bex\u2028ley", "  "])
def test_init_refuses_a_council_name_with_control_characters(tmp_path, name):
    out = run_efl("init", tmp_path / "new", "--council", name)
    assert out.exit_code == 2 and isinstance(out.exception, SystemExit)
    assert "efl: --council contains" in out.stderr or "efl: --council is empty" in out.stderr
    assert "(expected" in out.stderr and "\x07" not in out.stderr and "\x1b" not in out.stderr
    assert not (tmp_path / "new").exists()
    with pytest.raises(UsageError):
        scaffold(tmp_path / "new", name, "eflg-2014")


def test_init_with_a_bidi_override_in_the_name_writes_a_folder_that_validates(tmp_path):
    out = run_efl("init", tmp_path / "new", "--council", "Bex\u202eley")
    assert out.exit_code == 0, out.stderr
    done = efl_process("validate", tmp_path / "new")
    assert "\u202e" not in done.stdout + done.stderr


def test_init_writes_a_folder_that_validates_with_odd_but_printable_names(tmp_path):
    folder = tmp_path / "new # folder: x"
    out = run_efl("init", folder, "--council", 'Ynys Môn "Anglesey" \\ Council: #1')
    assert out.exit_code == 0, out.stderr
    from efl.core.assessment import read_assessment

    assert read_assessment(folder).assessment.council.name == 'Ynys Môn "Anglesey" \\ Council: #1'


def test_init_into_a_read_only_place_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    out = run_efl("init", tmp_path / "file" / "new")
    assert out.exit_code == 2 and isinstance(out.exception, SystemExit)
    assert "cannot create the folder" in out.stderr or "is not a folder" in out.stderr


def test_init_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        run_efl("init", tmp_path / "new").assert_success()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new" / "assessment.yaml").stat().st_mode) == 0o644


# --- saved results ------------------------------------------------------------------------------------------------

def test_a_result_over_20_mb_that_efl_wrote_reads_back(tmp_path):
    data = json.loads(run_efl("assess", BEXLEY, "--format", "json").assert_success().output)
    fact = data["facts"][0]
    data["facts"] = data["facts"] + [dict(fact, name=f"padding.{i}", value="x" * 1000) for i in range(22_000)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    assert big.stat().st_size > 21 * 1024 * 1024
    start = time.monotonic()
    out = run_efl("report", big, "--format", "json")
    assert out.exit_code == 0, out.stderr[-2000:]
    assert len(json.loads(out.output)["facts"]) == len(data["facts"])
    assert time.monotonic() - start < 120
