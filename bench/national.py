"""Benchmark: every council in England in one command, beside the floor of just parsing the files.

Run from the repository root (efl installed):  python bench/national.py [--councils 320] [--employees 5000]

It generates (seeded, once, into bench/data/national/) one assessment folder per council, each a copy
of the Bexley example with its own council name and a generated workforce of ``--employees`` rows,
plus one council of 50,000 employees. Then it reports, side by side in one run:

* ``efl assess`` over the whole folder of folders with one and with two worker processes: wall time
  and the peak memory of the largest process;
* the floor: reading and parsing the same files in one process with the fastest parsers available
  (ruamel's C YAML loader for YAML, ``csv.reader`` for CSV), nothing checked or computed;
* peak memory for a quarter, half and all of the councils, which should not grow with their number;
* ``efl --help`` cold start beside ``pytest --version``.

Each command runs in a fresh process (``bench/peak.py``), so memory and import costs are real.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "national"
EXAMPLE = ROOT / "assessments" / "bexley"
sys.path.insert(0, str(ROOT / "assessments"))


def generate(councils: int, employees: int, big: int) -> Path:
    """Write the folders once; a marker file records the sizes so a change regenerates them."""
    marker = DATA / "sizes.json"
    sizes = {"councils": councils, "employees": employees, "big": big}
    if marker.is_file() and json.loads(marker.read_text()) == sizes:
        return DATA
    from make_illustrative_data import workforce

    shutil.rmtree(DATA, ignore_errors=True)
    template = (EXAMPLE / "assessment.yaml").read_text()
    for i in range(councils + 1):
        name = f"council-{i:03d}"
        folder = DATA / "all" / name
        shutil.copytree(EXAMPLE / "evidence", folder / "evidence")
        (folder / "assessment.yaml").write_text(
            template.replace("name: London Borough of Bexley", f"name: Synthetic Council {i:03d}"))
        workforce(folder / "evidence" / "workforce-profile.csv", big if i == 0 else employees, seed=1000 + i)
    marker.write_text(json.dumps(sizes))
    return DATA


def subset(count: int) -> Path:
    """A folder of links to the first ``count`` councils (the 50,000 one included)."""
    folder = DATA / f"first-{count}"
    if not folder.is_dir():
        folder.mkdir()
        for path in sorted((DATA / "all").iterdir())[:count]:
            (folder / path.name).symlink_to(path)
    return folder


def measure(*command: str, rounds: int = 1) -> dict:
    """Wall time (median of rounds) and peak RSS of the largest process, each run in a fresh process."""
    runs = []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "peak.py"), *command],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs),
            "exit": runs[-1]["exit"]}


def efl_command() -> str:
    return str(Path(sys.executable).parent / "efl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=320)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--big", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the cold-start timings")
    args = parser.parse_args()
    generate(args.councils, args.employees, args.big)
    everything = DATA / "all"
    n = args.councils + 1
    size_mb = sum(p.stat().st_size for p in everything.rglob("*") if p.is_file()) / 1e6
    print(f"{n} councils ({args.councils} x {args.employees:,} employees + 1 x {args.big:,}), {size_mb:,.0f} MB")

    efl = efl_command()
    floor = measure(sys.executable, str(ROOT / "bench" / "floor.py"), str(everything))
    one = measure(efl, "assess", str(everything), "--summary", "json", "--jobs", "1")
    two = measure(efl, "assess", str(everything), "--summary", "json", "--jobs", "2")
    rows = [("floor: C YAML loader + csv.reader, 1 process", floor),
            ("efl assess, --jobs 1", one), ("efl assess, --jobs 2", two)]
    print(f"\n{'variant':48} {'seconds':>8} {'peak MB':>8} {'x floor':>8} {'exit':>5}")
    for label, m in rows:
        print(f"{label:48} {m['seconds']:8.1f} {m['peak_mb']:8.0f} {m['seconds'] / floor['seconds']:8.1f} {m['exit']:5d}")

    print(f"\n{'councils':>8} {'seconds':>8} {'peak MB':>8}   (efl assess --jobs 2; memory should stay flat)")
    for count in sorted({max(2, n // 4), max(2, n // 2), n}):
        m = measure(efl, "assess", str(subset(count) if count < n else everything), "--summary", "json",
                    "--jobs", "2")
        print(f"{count:8d} {m['seconds']:8.1f} {m['peak_mb']:8.0f}")

    pytest = str(Path(sys.executable).parent / "pytest")
    help_ = measure(efl, "--help", rounds=args.rounds)
    pyt = measure(pytest, "--version", rounds=args.rounds)
    print(f"\ncold start: efl --help {help_['seconds'] * 1000:.0f} ms, pytest --version {pyt['seconds'] * 1000:.0f} ms "
          f"(ratio {help_['seconds'] / pyt['seconds']:.2f})")


if __name__ == "__main__":
    main()
