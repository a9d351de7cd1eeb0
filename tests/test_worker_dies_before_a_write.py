"""A worker that dies between two tasks: the parent's next write to it must not end the batch.

efl sets SIGPIPE back to its default action (so that ``efl ... | head`` ends quietly), and a
worker's pipe is a socket: before the fix, the parent's write of the next task to a worker that had
just died killed the whole batch with SIGPIPE (exit -13, no message, no summary). Now the write
raises BrokenPipeError, the task is reported as any dead worker's task is, and a fresh worker takes
the rest. Each scenario runs in its own process, with SIGPIPE at its default as efl's command has it,
so that the old behaviour fails the test instead of killing pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks workers, reads /proc")

# Kill processes and wait until each is dead (a zombie: its end of the pipe is closed), so that the
# parent's next write to it is sure to find the pipe broken.
KILL_AND_WAIT = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path

    def gone(pid):
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except FileNotFoundError:
            return True

    def kill_and_wait(pids):
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not all(gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert all(gone(pid) for pid in pids)

    def children():
        me = os.getpid()
        return [int(p) for p in Path(f"/proc/{me}/task/{me}/children").read_text().split()]
""")


def run_script(body: str) -> subprocess.CompletedProcess:
    script = KILL_AND_WAIT + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_the_task_given_to_a_worker_that_just_died_is_reported_and_the_rest_are_done():
    done = run_script("""
        import json, signal
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # as efl's command sets it
        from efl.core.workers import run_supervised

        def work(task, started):
            started(f"task {task}")
            return os.getpid()

        answers = {}
        for index, answer in run_supervised(list(range(6)), 1, work, lambda died: [died.task, died.how]):
            answers[index] = answer
            if index == 0:  # the one worker has answered and waits for its next task: it dies now
                kill_and_wait([answer])
        print(json.dumps(answers))
    """)
    assert done.returncode == 0, (done.returncode, done.stderr)
    answers = {int(k): v for k, v in json.loads(done.stdout).items()}
    assert sorted(answers) == list(range(6))
    first = answers[0]
    # Task 1 was written to the dead worker: reported as its task, never started (no council named).
    assert answers[1] == [1, "was killed by SIGKILL"]
    rest = {answers[i] for i in range(2, 6)}
    assert len(rest) == 1 and isinstance(answers[2], int) and answers[2] != first  # a fresh worker did them


def test_a_batch_whose_workers_die_between_folders_reports_them_and_goes_on(tmp_path):
    import shutil

    region = tmp_path / "region"
    for i in range(6):
        shutil.copytree(EXAMPLES / ("bexley" if i % 2 else "london-councils"), region / f"council-{i:02d}")
    done = run_script(f"""
        import efl.core.workers as workers
        from efl.cli import main

        real = workers.run_supervised
        killed = []

        def killing_after_the_first_answer(*args, **kwargs):
            for item in real(*args, **kwargs):
                yield item  # the parent has its first answer and is about to write that worker's next task
                if not killed:
                    killed.extend(children())
                    kill_and_wait(killed)

        workers.run_supervised = killing_after_the_first_answer
        try:
            sys.argv = ["efl", "assess", {str(region)!r}, "--jobs", "2", "--summary", "json"]
            main()  # which sets SIGPIPE to its default action
        except SystemExit as end:
            print("exit", end.code, "killed", len(killed), file=sys.stderr)
            raise
    """)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "killed 2" in done.stderr
    summaries = json.loads(done.stdout)
    assert [s["folder"] for s in summaries] == [str(region / f"council-{i:02d}") for i in range(6)]
    failed = [s for s in summaries if s["errors"]]
    # Two workers died: the one that had just answered (its next folder was written to a dead pipe)
    # and the one still busy; each one's folder is reported, and fresh workers assess the rest.
    assert len(failed) == 2, summaries
    for s in failed:
        assert "was killed by SIGKILL before it finished" in s["errors"][0]
        assert s["overall"] is None
    assert all(s["overall"] is not None for s in summaries if not s["errors"])
