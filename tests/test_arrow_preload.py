"""Arrow's libraries loaded on a second thread while efl starts (efl.files.arrow_preload): only when the
folder holds a CSV file large enough for Arrow's reader, only as the efl command, and the module pyarrow
then imports is the one loaded (not a second copy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from efl.files import arrow_preload
from efl.files.columnar import MIN_BYTES

ROOT = Path(__file__).resolve().parent.parent


def _csv(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"id,sex\n" + b"1,F\n" * (size // 4))
    return path


def test_a_large_csv_in_the_folder_or_below_it_is_found(tmp_path: Path) -> None:
    _csv(tmp_path / "evidence" / "small.csv", 1000)
    assert not arrow_preload._has_large_csv(tmp_path, MIN_BYTES)
    _csv(tmp_path / "evidence" / "hr" / "Workforce.CSV", MIN_BYTES + 8)
    assert arrow_preload._has_large_csv(tmp_path, MIN_BYTES)


def test_what_is_not_found(tmp_path: Path) -> None:
    # Too deep, not a CSV, or reached through a link (the hint follows none).
    _csv(tmp_path / "a" / "b" / "c" / "d" / "deep.csv", MIN_BYTES * 2)
    _csv(tmp_path / "big.txt", MIN_BYTES * 2)
    outside = _csv(tmp_path.parent / f"{tmp_path.name}-outside" / "big.csv", MIN_BYTES * 2)
    (tmp_path / "linked.csv").symlink_to(outside)
    (tmp_path / "linked-folder").symlink_to(outside.parent, target_is_directory=True)
    assert not arrow_preload._has_large_csv(tmp_path, MIN_BYTES)
    assert arrow_preload._has_large_csv(tmp_path / "a" / "b" / "c", MIN_BYTES)
    assert not arrow_preload._has_large_csv(tmp_path / "no-such-folder", MIN_BYTES)


def test_as_a_library_nothing_is_started(tmp_path: Path) -> None:
    _csv(tmp_path / "big.csv", MIN_BYTES * 2)
    arrow_preload.start_for(tmp_path, MIN_BYTES)
    assert arrow_preload._started == []


def test_the_module_found_is_the_one_python_imports() -> None:
    import pyarrow.lib

    assert arrow_preload._arrow_module() == pyarrow.lib.__file__


PROBE = """
import sys
folder, sys.argv = sys.argv[1], ["efl"]
import efl  # as the command
from pathlib import Path
from efl.files import arrow_preload

def mapped():
    with open("/proc/self/maps") as maps:
        return {line.split()[-1] for line in maps if line.rstrip().endswith(".so") or ".so." in line}

name = arrow_preload._arrow_module()
before = name in mapped()
arrow_preload.start_for(Path(folder), 100)
started = [t.name for t in arrow_preload._started]
arrow_preload.wait()
after_wait = name in mapped()
import pyarrow.lib
import pyarrow.csv
copies = sorted(p for p in mapped() if "/pyarrow/lib." in p)
print(before, started, after_wait, copies == [name], pyarrow.lib.__file__ == name)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start is for Linux only")
def test_as_the_command_the_libraries_are_loaded_before_pyarrow_is_imported(tmp_path: Path) -> None:
    _csv(tmp_path / "evidence" / "workforce.csv", 1000)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "['efl-arrow-preload']", "True", "True", "True"]
    # Without a large enough CSV file, nothing is started and nothing is loaded.
    (tmp_path / "evidence" / "workforce.csv").unlink()
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=False)
    assert done.stdout.split()[:3] == ["False", "[]", "False"], done.stderr
