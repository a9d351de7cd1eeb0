"""The efl command ends without Python's teardown (efl.cli._leave), and loses nothing by it.

What Python's exit would have done that matters outside the process must still happen: every exit
function runs (efl's kept caches, a plugin's own), everything printed reaches its file (a report of
megabytes through a pipe), the exit code is the command's, and a thread that is still working is
waited for, as Python waits for it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "bexley"


def _efl(code: str, *args: str) -> subprocess.CompletedProcess:
    # The efl command, with something set up before it starts (argv[0] "efl" makes it the command).
    script = f"import sys; sys.argv = ['efl', *sys.argv[1:]]\n{code}\nfrom efl.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "EFL_DISABLE_PLUGIN_AUTOLOAD": "1"})


def test_exit_functions_run_and_every_byte_printed_arrives() -> None:
    done = _efl("import atexit\natexit.register(lambda: print('exit function ran', file=sys.stderr))",
                "assess", str(EXAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("exit function ran")
    assert done.stdout.rstrip().endswith("}") and '"assessment"' in done.stdout
    again = subprocess.run([sys.executable, "-m", "efl", "assess", str(EXAMPLE), "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin",
                                                                          "EFL_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert again.stdout == done.stdout


def test_the_command_ends_without_pythons_teardown() -> None:
    # An object kept to the end says when Python's teardown frees it; the quick exit never frees it.
    # (Every command returns an ExitCode, an int subclass: the quick exit must take it.)
    keep = ("class Told:\n    def __del__(self):\n        sys.stderr.write('torn down\\n')\n"
            "sys.modules['efl_test_kept'] = Told()")
    for args in (("assess", str(EXAMPLE), "--format", "json"), ("assess", str(EXAMPLE)), ("--version",)):
        done = _efl(keep, *args)
        assert done.returncode == 0, done.stderr
        assert "torn down" not in done.stderr, args
    # The check itself can fail: as a library, Python's teardown runs and frees the object.
    script = f"import sys\n{keep}\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert "torn down" in done.stderr


def test_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    done = _efl("", "assess", str(tmp_path / "no-such-folder"))
    assert done.returncode == 2 and "not a folder" in done.stderr


def test_a_thread_still_working_is_waited_for(tmp_path: Path) -> None:
    mark = tmp_path / "written-by-the-thread"
    code = ("import threading, time\n"
            f"threading.Thread(target=lambda: (time.sleep(0.5), open({str(mark)!r}, 'w').write('done'))).start()")
    done = _efl(code, "assess", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert mark.read_text() == "done"


def test_called_as_a_library_the_exit_can_still_be_caught() -> None:
    # efl imported first (not as the command), main() called later: its SystemExit reaches the caller.
    script = ("import sys\nfrom efl.cli import main\nsys.argv = ['efl', 'assess', 'no-such-folder']\n"
              "try:\n    main()\nexcept SystemExit as end:\n    print('caught', end.code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "EFL_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert done.stdout.strip() == "caught 2", done.stderr
