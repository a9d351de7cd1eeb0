"""efl's benchmarks in one command: every target beside its floor, side by side.

    python bench/run.py            # full: sizes 1k to 1M, the national run, cold start (~10-15 min)
    python bench/run.py --quick    # only the four targets (a)-(d)
    python bench/run.py --smoke    # tiny data, one round: checks the harness runs (the test suite uses it)
    python bench/run.py --profile  # where the time goes at 50,000 employees (cProfile, in-process)

Every figure is the median of ``--rounds`` (default 5) runs, with the minimum and maximum. Runs are
interleaved: each round runs every variant once, in a shuffled (seeded) order, so a slow spell of
this shared machine hits all of them alike; a ratio is the median of the per-round ratios.

* In-process figures time efl's own work on a council folder (``efl.core.engine.assess`` with a plugin
  host already built and the framework compiled, as a batch worker has) against the floors of
  ``bench/floor.py``: every file read, YAML through the C loader, each CSV iterated with
  ``csv.reader`` touching every cell, or read into columns with polars or pyarrow (if installed;
  ``pip install -e '.[bench]'``). The council folder is the Bexley example with a generated
  workforce file, so the community profile beside it is read and compared too (representation).
* Process figures run a fresh process per run (started by the small ``bench/peak.py``) and read its
  wall time and its peak resident memory from the operating system: ``ru_maxrss`` of
  ``resource.getrusage(RUSAGE_CHILDREN)``, the largest process of the command, workers included.
* Data is generated once, seeded, into ``bench/data/`` (not committed; ``bench/gen.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
import gen  # noqa: E402

IMPORT_FLOOR = "import pydantic, ruamel.yaml, click, pluggy, tabulate"
WARM_UP = True  # off for --smoke, which only checks that everything runs
TARGETS = {"a": 3.0, "b": 2.0, "c_seconds": 5.0, "c_mb": 600.0, "d": 1.5}


# --- measuring -------------------------------------------------------------------------------------

def run_process(command: list[str], cwd: Path = ROOT) -> dict[str, Any]:
    """One fresh process, started by ``peak.py``: wall seconds, peak resident MB of its largest process, exit code."""
    done = subprocess.run([sys.executable, str(HERE / "peak.py"), *command], cwd=cwd, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_inprocess(func: Callable[[], Any]) -> dict[str, Any]:
    gc.collect()
    start = time.perf_counter()
    try:
        func()
    except Exception as exc:  # noqa: BLE001 - reported in the table, not a crash of the benchmark
        return {"seconds": time.perf_counter() - start, "exit": 1, "stderr": [f"{type(exc).__name__}: {exc}"[:300]]}
    return {"seconds": time.perf_counter() - start, "exit": 0, "stderr": []}


def interleave(variants: dict[str, Callable[[], dict]], rounds: int, seed: int, warm: tuple[str, ...] = ()
               ) -> dict[str, list[dict]]:
    """Run every variant once per round, in a shuffled order; ``warm`` variants run once first, uncounted."""
    for name in warm if WARM_UP else ():
        variants[name]()
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(variants)
        rng.shuffle(order)
        for name in order:
            runs[name].append(variants[name]())
    return runs


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def summary(runs: list[dict]) -> dict[str, Any]:
    out = {"seconds": spread([r["seconds"] for r in runs]), "exit": max((r["exit"] for r in runs), key=abs),
           "stderr": next((r["stderr"] for r in runs if r["exit"]), [])}
    if "peak_mb" in runs[0]:
        out["peak_mb"] = spread([r["peak_mb"] for r in runs])
    return out


def ratio(a: list[dict], b: list[dict]) -> dict[str, float]:
    """Per-round ratios a/b (rounds are paired), as median, min and max."""
    return spread([x["seconds"] / y["seconds"] for x, y in zip(a, b)])


# --- formatting ------------------------------------------------------------------------------------

def t(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def tspan(s: dict) -> str:
    return f"{t(s['median'])} [{t(s['min'])}-{t(s['max'])}]"


def xspan(s: dict) -> str:
    return f"{s['median']:.2f}x [{s['min']:.2f}-{s['max']:.2f}]"


def mbspan(s: dict) -> str:
    return f"{s['median']:.0f} MB [{s['min']:.0f}-{s['max']:.0f}]"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def failed(s: dict) -> str:
    return f"  ! exit {s['exit']}: {' | '.join(s['stderr'])}" if s["exit"] else ""


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


# --- the variants ----------------------------------------------------------------------------------

def efl_command() -> list[str]:
    script = Path(sys.executable).parent / "efl"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "efl"]


def columnar_engines() -> list[str]:
    found = []
    for name in ("polars", "pyarrow"):
        try:
            __import__(name)
            found.append(name)
        except ImportError:
            pass
    return found


def efl_host():  # noqa: ANN201
    from efl.core.plugin_host import load_plugins

    return load_plugins()


def efl_assess_inprocess(folder: Path, host) -> Callable[[], Any]:  # noqa: ANN001
    from efl.core.engine import Engine

    engine = Engine(host)  # frameworks compiled once, as in a many-folder run

    def work() -> Any:
        run = engine.assess(folder)
        if run.failures:
            raise RuntimeError("; ".join(str(f) for f in run.failures))
        return run

    return work


def inprocess_sizes(data: Path, sizes: list[int], rounds: int, host) -> list[dict]:  # noqa: ANN001
    """efl's work on one council in this process against the floors, per workforce size."""
    engines = columnar_engines()
    out = []
    for n in sizes:
        folder = gen.council(data, n)
        variants = {"csv floor": lambda f=folder: run_inprocess(lambda: floor.read_folder(f)),
                    **{f"{e} floor": lambda f=folder, e=e: run_inprocess(lambda: floor.read_folder(f, e))
                       for e in engines},
                    "efl": lambda f=folder: run_inprocess(efl_assess_inprocess(f, host))}
        runs = interleave(variants, rounds, seed=n, warm=tuple(variants))
        row = {"employees": n, **{k: summary(v) for k, v in runs.items()},
               "efl/csv": ratio(runs["efl"], runs["csv floor"])}
        for e in engines:
            row[f"efl/{e}"] = ratio(runs["efl"], runs[f"{e} floor"])
        out.append(row)
        print(f"  in-process {size_label(n)}: efl {tspan(row['efl']['seconds'])}, csv floor "
              f"{tspan(row['csv floor']['seconds'])}, ratio {xspan(row['efl/csv'])}{failed(row['efl'])}", flush=True)
    return out


def process_sizes(data: Path, sizes: list[int], rounds: int) -> list[dict]:
    """``efl assess FOLDER --format json`` in a fresh process against the floor process, per size."""
    efl = efl_command()
    out = []
    for n in sizes:
        folder = gen.council(data, n)
        variants = {"floor": lambda f=folder: run_process([sys.executable, str(HERE / "floor.py"), str(f)]),
                    "efl": lambda f=folder: run_process([*efl, "assess", str(f), "--format", "json"])}
        runs = interleave(variants, rounds, seed=n, warm=("floor",))
        row = {"employees": n, "floor": summary(runs["floor"]), "efl": summary(runs["efl"]),
               "efl/floor": ratio(runs["efl"], runs["floor"])}
        out.append(row)
        print(f"  process {size_label(n)}: efl {tspan(row['efl']['seconds'])}, peak {mbspan(row['efl']['peak_mb'])}"
              f"{failed(row['efl'])}", flush=True)
    if out:
        base = out[0]
        for row in out:
            extra = row["employees"] - base["employees"]
            grown = row["efl"]["peak_mb"]["median"] - base["efl"]["peak_mb"]["median"]
            row["kb_per_employee"] = grown * 1024 / extra if extra else None
    return out


def national(data: Path, councils: int, employees: int, rounds: int, linked: int | None) -> dict:
    """All councils with one and two jobs against the floor in one and two processes."""
    everything = gen.national(data, councils, employees)
    efl = efl_command()
    fl = [sys.executable, str(HERE / "floor.py")]

    def variants_for(folder: Path, jobs: tuple[int, ...]) -> dict:
        v = {}
        for j in jobs:
            v[f"floor, {j} process{'es' if j > 1 else ''}"] = lambda j=j: run_process([*fl, str(folder), "--jobs", str(j)])
            v[f"efl --jobs {j}"] = lambda j=j: run_process([*efl, "assess", str(folder), "--summary", "json",
                                                            "--jobs", str(j)])
        return v

    runs = interleave(variants_for(everything, (1, 2)), rounds, seed=councils, warm=("floor, 1 process",))
    result = {"councils": councils, "employees": employees, "variants": {k: summary(v) for k, v in runs.items()},
              "ratios": {f"efl --jobs {j} / floor, 1 process": ratio(runs[f"efl --jobs {j}"], runs["floor, 1 process"])
                         for j in (1, 2)}}
    result["ratios"]["efl --jobs 2 / floor, 2 processes"] = ratio(runs["efl --jobs 2"], runs["floor, 2 processes"])
    if linked:
        folder = gen.linked(everything, linked)
        lruns = interleave(variants_for(folder, (2,)), rounds, seed=linked, warm=("floor, 2 processes",))
        result["linked"] = {"councils": linked, "variants": {k: summary(v) for k, v in lruns.items()},
                            "ratio": ratio(lruns["efl --jobs 2"], lruns["floor, 2 processes"])}
    v = result["variants"]
    print(f"  national: efl --jobs 2 {tspan(v['efl --jobs 2']['seconds'])}, floor "
          f"{tspan(v['floor, 1 process']['seconds'])}{failed(v['efl --jobs 2'])}", flush=True)
    return result


def cold_start(rounds: int) -> dict:
    efl = efl_command()
    variants = {"efl assess assessments/bexley": lambda: run_process([*efl, "assess", "assessments/bexley"]),
                "import floor": lambda: run_process([sys.executable, "-c", IMPORT_FLOOR])}
    runs = interleave(variants, rounds, seed=0, warm=tuple(variants))
    out = {k: summary(v) for k, v in runs.items()}
    out["ratio"] = ratio(runs["efl assess assessments/bexley"], runs["import floor"])
    return out


def compile_sources() -> None:
    """Write .pyc files for efl's packages, as an installed copy has (PYTHONDONTWRITEBYTECODE may be set)."""
    import compileall
    import importlib.util

    for name in ("efl", "efl_plugins", "efl_frameworks"):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                compileall.compile_dir(location, quiet=2)


# --- the report ------------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?") if Path("/proc/cpuinfo").exists() else "?"
    mem = "?"
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cores": str(os.cpu_count()),
            "cpu": cpu, "memory": mem, "python": platform.python_version(), "commit": commit or "?"}


def verdict(value: float, goal: float) -> str:
    return "yes" if value <= goal else f"no ({value / goal:.1f}x over)"


def targets_table(results: dict) -> str:
    rows = []
    a = next((r for r in results.get("inprocess", []) if r["employees"] == results["sizes"]["a"]), None)
    if a:
        rows.append([f"(a) {a['employees']:,} employees, in-process", tspan(a["efl"]["seconds"]),
                     f"{tspan(a['csv floor']['seconds'])} csv.reader", xspan(a["efl/csv"]), f"<= {TARGETS['a']:g}x",
                     verdict(a["efl/csv"]["median"], TARGETS["a"]) if not a["efl"]["exit"] else "failed"])
    nat = results.get("national")
    if nat:
        v = nat["variants"]
        r = nat["ratios"]["efl --jobs 2 / floor, 1 process"]
        rows.append([f"(b) {nat['councils']} councils x {nat['employees']:,}, --jobs 2", tspan(v["efl --jobs 2"]["seconds"]),
                     f"{tspan(v['floor, 1 process']['seconds'])} csv.reader", xspan(r), f"<= {TARGETS['b']:g}x",
                     verdict(r["median"], TARGETS["b"]) if not v["efl --jobs 2"]["exit"] else "failed"])
    big = next((r for r in results.get("process", []) if r["employees"] == results["sizes"]["c"]), None)
    if big:
        secs, mb = big["efl"]["seconds"]["median"], big["efl"]["peak_mb"]["max"]
        ok = secs < TARGETS["c_seconds"] and mb < TARGETS["c_mb"]
        rows.append([f"(c) {big['employees']:,} employees, efl assess", tspan(big["efl"]["seconds"]),
                     f"peak {mbspan(big['efl']['peak_mb'])}", "", f"< {TARGETS['c_seconds']:g} s, < {TARGETS['c_mb']:g} MB",
                     ("yes" if ok else f"no ({secs / TARGETS['c_seconds']:.1f}x time, {mb / TARGETS['c_mb']:.1f}x memory)")
                     if not big["efl"]["exit"] else "failed"])
    cold = results.get("cold")
    if cold:
        rows.append(["(d) efl assess assessments/bexley", tspan(cold["efl assess assessments/bexley"]["seconds"]),
                     f"{tspan(cold['import floor']['seconds'])} imports", xspan(cold["ratio"]),
                     f"<= {TARGETS['d']:g}x", verdict(cold["ratio"]["median"], TARGETS["d"])])
    return table(["target", "efl", "floor", "efl / floor", "goal", "met"], rows)


def report(results: dict) -> str:
    m = results["machine"]
    parts = [f"efl benchmarks ({results['mode']}), {m['date']}; {m['cores']} cores, {m['cpu']}, {m['memory']}; "
             f"Python {m['python']}; commit {m['commit']}",
             f"median [min-max] of {results['rounds']} interleaved runs each; ratio = median of per-round ratios",
             "", targets_table(results)]
    if results.get("inprocess"):
        engines = [k.removeprefix("efl/") for k in results["inprocess"][0] if k.startswith("efl/") and k != "efl/csv"]
        rows = []
        for r in results["inprocess"]:
            us = r["efl"]["seconds"]["median"] / r["employees"] * 1e6
            rows.append([f"{r['employees']:,}", tspan(r["csv floor"]["seconds"]),
                         *[tspan(r[f"{e} floor"]["seconds"]) for e in engines], tspan(r["efl"]["seconds"]),
                         xspan(r["efl/csv"]), *[xspan(r[f"efl/{e}"]) for e in engines], f"{us:.1f}"])
        parts += ["", "One council in-process (warm plugin host; every file of the folder read):",
                  table(["employees", "csv floor", *[f"{e} floor" for e in engines], "efl", "efl/csv",
                         *[f"efl/{e}" for e in engines], "efl us/employee"], rows)]
    if results.get("process"):
        rows = []
        for r in results["process"]:
            per = r.get("kb_per_employee")
            rows.append([f"{r['employees']:,}", tspan(r["floor"]["seconds"]), tspan(r["efl"]["seconds"]),
                         xspan(r["efl/floor"]), mbspan(r["floor"]["peak_mb"]), mbspan(r["efl"]["peak_mb"]),
                         f"{per:.2f}" if per is not None else "-",
                         f"{r['efl']['peak_mb']['median'] * 1024 / r['employees']:.2f}"])
        parts += ["", "One council, fresh process each run (efl assess FOLDER --format json; peak = ru_maxrss):",
                  table(["employees", "floor process", "efl process", "efl/floor", "floor peak", "efl peak",
                         "KB/employee (marginal)", "KB/employee (peak/n)"], rows)]
    nat = results.get("national")
    if nat:
        rows = [[k, tspan(v["seconds"]), mbspan(v["peak_mb"]), str(v["exit"])] for k, v in nat["variants"].items()]
        parts += ["", f"National: {nat['councils']} councils x {nat['employees']:,} employees, fresh process each run:",
                  table(["variant", "wall", "peak (largest process)", "exit"], rows)]
        parts += [f"  {k}: {xspan(v)}" for k, v in nat["ratios"].items()]
        if nat.get("linked"):
            lk = nat["linked"]
            parts += [f"  through a folder of {lk['councils']} linked council folders: " + ", ".join(
                f"{k} {tspan(v['seconds'])}" for k, v in lk["variants"].items()) + f"; ratio {xspan(lk['ratio'])}"]
    cold = results.get("cold")
    if cold:
        parts += ["", f"Cold start: efl assess assessments/bexley {tspan(cold['efl assess assessments/bexley']['seconds'])} "
                  f"(peak {mbspan(cold['efl assess assessments/bexley']['peak_mb'])}); python -c \"{IMPORT_FLOOR}\" "
                  f"{tspan(cold['import floor']['seconds'])}; ratio {xspan(cold['ratio'])}"]
    return "\n".join(parts) + "\n"


def profile(data: Path, employees: int) -> None:
    """cProfile of efl's in-process work on one council: the top functions by own and total time."""
    import cProfile
    import pstats

    folder = gen.council(data, employees)
    host = efl_host()
    work = efl_assess_inprocess(folder, host)
    work()  # warm: framework compiled, files in the page cache
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="only the four targets")
    mode.add_argument("--smoke", action="store_true", help="tiny data, one round: does it run?")
    mode.add_argument("--profile", action="store_true", help="cProfile of one council in-process")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved runs per figure (default 5)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where generated data goes")
    parser.add_argument("--employees", type=int, default=50_000, help="with --profile: the council's size")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.profile:
        profile(args.data, args.employees)
        return
    if args.smoke:
        global WARM_UP
        WARM_UP = False
        mode_name, rounds = "smoke", args.rounds or 1
        sizes = {"a": 300, "c": 300, "inprocess": [300], "process": [300]}
        nat, linked, cold_rounds = (2, 100), 2, rounds
    else:
        rounds = args.rounds or 5
        cold_rounds = max(15, rounds)
        nat = (320, 5000)
        if args.quick:
            mode_name = "quick"
            sizes = {"a": 50_000, "c": 1_000_000, "inprocess": [50_000], "process": [1000, 1_000_000]}
            linked = None
        else:
            mode_name = "full"
            every = [1000, 10_000, 50_000, 100_000, 1_000_000]
            sizes = {"a": 50_000, "c": 1_000_000, "inprocess": every, "process": every}
            linked = 80
        compile_sources()
    results: dict[str, Any] = {"mode": mode_name, "rounds": rounds, "machine": machine(), "sizes": sizes}
    print(f"generating data in {args.data} (once; seeded)...", flush=True)
    for n in sorted(set(sizes["inprocess"]) | set(sizes["process"])):
        gen.council(args.data, n)
    gen.national(args.data, *nat)
    print("measuring...", flush=True)
    results["cold"] = cold_start(cold_rounds)
    host = efl_host()
    results["inprocess"] = inprocess_sizes(args.data, sizes["inprocess"], rounds, host)
    results["process"] = process_sizes(args.data, sizes["process"], rounds)
    results["national"] = national(args.data, *nat, rounds, linked)
    text = report(results)
    print("\n" + text, end="")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
