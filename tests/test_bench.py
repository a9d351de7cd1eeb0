"""The benchmark harness runs and its floors read what they claim to read (no timings asserted here)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import floor  # noqa: E402
import gen  # noqa: E402


def test_smoke_run_prints_every_target(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--data", str(tmp_path)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # One row per line of issue 29's table (tiny sizes in smoke mode), with the machine and the load.
    for row in ("300 employees, whole process", "start-up (imports, plugins, framework)", "300 employees, in-process",
                "1,000 employees, whole process", "2,000 employees, whole process", "2 councils x 100, --jobs 2",
                "3 small councils (20 staff), --jobs 1", "Cold start: efl assess assessments/bexley"):
        assert row in out
    assert "load average at the start" in out and "bytes/employee" in out
    assert "<= 1.5x" in out and "<= 120 ms" in out and "<= 1 s, <= 350 MB" in out and "<= 5 s, <= 1,200 MB" in out
    assert "efl / floor" in out and "KB/employee" in out and "through a folder of 2 linked council folders" in out
    assert "! exit" not in out, out  # efl assessed every generated council without an error


def test_generated_data_is_seeded_and_realistic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    gen.write_workforce(a, 2000, seed=5)
    gen.write_workforce(b, 2000, seed=5)
    assert a.read_bytes() == b.read_bytes()
    rows = list(csv.DictReader(a.open(encoding="utf-8")))
    assert len(rows) == 2000
    sexes = {r["sex"] for r in rows}
    assert "" in sexes and "Not known" in sexes and len(sexes - {"", "Not known"}) == 4  # two codings of two
    assert sum(r["full_pay"] == "false" for r in rows) > 0 and sum(r["bonus_pay"] != "0" for r in rows) > 0
    pays = [r["hourly_pay"] for r in rows]
    assert len(set(pays)) < len(pays) / 10  # many people share a rate


def test_floor_iterates_every_cell_and_follows_links(tmp_path: Path) -> None:
    council = tmp_path / "real" / "c1"
    (council / "evidence").mkdir(parents=True)
    (council / "assessment.yaml").write_text("a: 1\n")
    (council / "evidence" / "t.csv").write_bytes('\ufeffx,y\n1,\n"2,5",3\n'.encode())
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "c1").symlink_to(council, target_is_directory=True)
    # Cells by hand: x, y, 1, (empty), "2,5", 3 -> five filled cells.
    assert floor.read_folder(tmp_path / "real") == (2, 5)
    assert floor.read_folder(linked) == (2, 5)
