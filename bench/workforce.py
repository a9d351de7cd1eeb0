"""Benchmark: the workforce plugin on a generated 50,000-employee file, beside the floor of merely
reading and parsing the same CSV with the standard library.

Run from the repository root:  python bench/workforce.py [--employees 50000] [--rounds 5]

Rounds are interleaved (each round runs every variant once) and the ratio is the median of the
per-round ratios, which is steadier than a ratio of medians on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "assessments"))


def generate(path: Path, count: int, seed: int = 7) -> None:
    from make_illustrative_data import workforce

    workforce(path, count, seed)


def floor(data: bytes) -> int:
    """Decode and split the CSV into rows: the least any reader must do."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return len(rows)


def efl_workforce(data: bytes, shown: str) -> int:
    """What efl does for this file: read it, check every cell, then compute the workforce facts."""
    from efl.evidence import load_csv
    from efl.models import Assessment
    from efl_plugins.workforce import declaration_facts, parse_workforce, pay_gap_facts

    table = load_csv(data, shown)
    profile = parse_workforce(table, None, Assessment.model_construct(local_characteristics=[]))
    facts = pay_gap_facts(profile.records, ["w"]) + declaration_facts(profile, ["w"])
    return len(facts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    path = ROOT / "bench" / "data" / f"workforce-{args.employees}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        generate(path, args.employees)
    data = path.read_bytes()
    variants = {"csv.reader floor": lambda: floor(data), "efl workforce plugin": lambda: efl_workforce(data, str(path))}
    times: dict[str, list[float]] = {k: [] for k in variants}
    rng = random.Random(1)
    for _ in range(args.rounds):
        order = list(variants)
        rng.shuffle(order)
        for name in order:
            gc.collect()
            start = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - start)
    ratios = [e / f for e, f in zip(times["efl workforce plugin"], times["csv.reader floor"])]
    print(f"{args.employees:,} employees, {len(data) / 1e6:.1f} MB, {args.rounds} interleaved rounds")
    print(f"{'variant':<24}{'median ms':>12}{'min ms':>10}")
    for name, values in times.items():
        print(f"{name:<24}{statistics.median(values) * 1000:>12.0f}{min(values) * 1000:>10.0f}")
    print(f"efl / floor (median of per-round ratios): {statistics.median(ratios):.1f}x")


if __name__ == "__main__":
    main()
