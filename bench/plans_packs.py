"""Benchmark rows for plans and packs: ``efl progress`` on a 5,000-line plan and ``efl pack`` at 1M rows.

``bench/run.py`` prints these rows in its table (``rows(rounds=..., seed=..., smoke=...)``); run alone:

    python bench/plans_packs.py             # 5 interleaved rounds
    python bench/plans_packs.py --smoke     # tiny data, one round: checks the rows can be made

Each row is a fresh process per run (``bench/peak.py``: wall seconds and peak memory), the median of
interleaved rounds (each round runs every variant once, in a shuffled seeded order) against a floor
measured in the same rounds:

* ``efl progress`` on a plan of 5,000 lines (``plan_gen``: long texts, notes, odd spellings) kept as
  CSV, YAML and XLSX, against a process that imports what efl imports for it (pydantic, ruamel.yaml,
  click, pluggy) and reads the plan file with the plainest reader of its format (``csv.reader``;
  ruamel's safe C loader; openpyxl's read-only mode, every cell's value). Goals are seconds.
* ``efl pack --include-personal`` of a council of 1,000,000 employees, against zip-and-hash: a
  process that reads every file of the folder, hashes it (sha256) and writes a zip (deflate at
  zlib's default level, what ``zip -r`` does). The goal is a ratio.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402
import plan_gen  # noqa: E402

DATA = HERE / "data"
PLAN_LINES, PACK_EMPLOYEES = 5000, 1_000_000
GOALS = {"csv": 0.3, "yaml": 0.3, "xlsx": 1.5, "pack": 1.5}  # seconds for progress; a ratio for pack
ENV = {"EFL_MAX_FILE_MB": "1000", "EFL_DISABLE_PLUGIN_AUTOLOAD": "1"}  # 1M employees are ~80 MB

FLOOR_PLAN = {
    "csv": "import csv, pydantic, ruamel.yaml, click, pluggy; "
           "sum(len(r) for r in csv.reader(open({path!r}, encoding='utf-8-sig', newline='')))",
    "yaml": "import pydantic, click, pluggy; from ruamel.yaml import YAML; "
            "YAML(typ='safe').load(open({path!r}, encoding='utf-8').read())",
    "xlsx": "import pydantic, ruamel.yaml, click, pluggy, openpyxl; "
            "b = openpyxl.load_workbook({path!r}, read_only=True); "
            "sum(1 for ws in b.worksheets for r in ws.iter_rows(values_only=True) for v in r)",
}
FLOOR_PACK = """
import hashlib, os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                data = fh.read()
            hashlib.sha256(data).hexdigest()
            z.writestr(os.path.relpath(p, root), data)
"""


def _process(command: list[str]) -> Callable[[], dict]:
    env = {**os.environ, **ENV}

    def run() -> dict:
        done = subprocess.run([sys.executable, str(HERE / "peak.py"), *command], cwd=ROOT, capture_output=True,
                              text=True, check=True, env=env)
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


def _row(name: str, runs: list[dict], floor: list[dict], goal: str, met: bool, note: str) -> dict[str, Any]:
    seconds = [r["seconds"] for r in runs]
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(runs, floor) if b["seconds"] > 0]
    failed = [r for r in runs + floor if r["exit"]]
    return {"name": name, "median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "floor_median": statistics.median(r["seconds"] for r in floor),
            "ratio": statistics.median(ratios) if ratios else None, "unit": "s", "goal": goal,
            "peak_mb": statistics.median(r["peak_mb"] for r in runs),
            "met": ("failed: " + " ".join(failed[0]["stderr"])[:120]) if failed else ("yes" if met else "no"),
            "note": note}


def rows(rounds: int = 5, seed: int = 29, smoke: bool = False, data: Path = DATA) -> list[dict]:
    """The rows: efl progress (CSV, YAML, XLSX) and efl pack, each with its floor (see the docstring)."""
    lines, employees = (60, 2_000) if smoke else (PLAN_LINES, PACK_EMPLOYEES)
    rounds = 1 if smoke else rounds
    efl = [sys.executable, "-m", "efl"]
    out = []
    variants: dict[str, Callable[[], dict]] = {}
    for fmt in ("csv", "yaml", "xlsx"):
        folder = plan_gen.plan_folder(data, lines, fmt, seed)
        plan = folder / f"action-plan.{fmt}"
        variants[f"progress {fmt}"] = _process([*efl, "progress", str(folder)])
        variants[f"floor {fmt}"] = _process([sys.executable, "-c", FLOOR_PLAN[fmt].format(path=str(plan))])
    council = gen.council(data, employees)
    target = data / "plans-packs.zip"
    variants["pack"] = _process([*efl, "pack", str(council), "-o", str(target), "--include-personal", "--force"])
    variants["floor pack"] = _process([sys.executable, "-c", FLOOR_PACK, str(council), str(data / "floor.zip")])
    from run import interleave  # bench/run.py's: every variant once a round, in a shuffled seeded order

    runs = interleave(variants, rounds, seed, warm=() if smoke else tuple(variants))
    for fmt in ("csv", "yaml", "xlsx"):
        r = runs[f"progress {fmt}"]
        median = statistics.median(x["seconds"] for x in r)
        out.append(_row(f"efl progress, {lines:,}-line plan, {fmt.upper()}", r, runs[f"floor {fmt}"],
                        f"<= {GOALS[fmt]:g} s", median <= GOALS[fmt],
                        f"(imports + {'csv.reader' if fmt == 'csv' else 'safe C load' if fmt == 'yaml' else 'read-only cells'})"))
    pack = _row(f"efl pack --include-personal, {employees:,} rows", runs["pack"], runs["floor pack"],
                f"<= {GOALS['pack']:g}x", False, "(read, sha256, zip at level 6)")
    pack["met"] = pack["met"] if pack["met"].startswith("failed") else \
        ("yes" if pack["ratio"] is not None and pack["ratio"] <= GOALS["pack"] else "no")
    out.append(pack)
    for name in ("plans-packs.zip", "floor.zip"):
        (data / name).unlink(missing_ok=True)
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    for row in rows(args.rounds, 29, args.smoke, args.data):
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        print(f"{row['name']}: {row['median']:.3f} s [{row['min']:.3f}-{row['max']:.3f}], {row['peak_mb']:.0f} MB; "
              f"floor {row['floor_median']:.3f} s {row['note']}; {ratio}; goal {row['goal']}: {row['met']}")


if __name__ == "__main__":
    main()
