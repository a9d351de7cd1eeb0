"""efl's benchmarks in one command: every row of issue 29's table beside its floor, side by side.

    python bench/run.py            # full: the table, and every size from 1k to 5M employees (~30 min)
    python bench/run.py --quick    # only the table's rows (3 rounds)
    python bench/run.py --smoke    # tiny data, one round: checks the harness runs (the test suite uses it)
    python bench/run.py --profile  # where the time goes at 50,000 employees (cProfile, in-process)

The rows: 50,000 employees as a whole process against importing efl's five libraries and reading
the files with ``csv.reader``; start-up (bench/startup.py: imports, plugins, framework); 50,000
in-process against a pyarrow parse; 1M and 5M employees (time, peak memory, bytes per employee, and
how the time grows from 1M to 5M); 320 councils of 5,000 with ``--jobs 2`` and 2,000 small councils
with ``--jobs 1`` against reading the same files; and ``efl progress`` and ``efl pack`` from
``bench/plans_packs.py``. The header gives the machine, the date, the commit and the load average
at the start and the end (the machine is shared: read the ratios, not the seconds).

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
# The goals of issue 29, one per row of its table.
GOALS = {"whole": 1.5, "startup_s": 0.120, "inprocess_pyarrow": 2.5, "big_s": 1.0, "big_mb": 350.0,
         "huge_s": 5.0, "huge_mb": 1200.0, "national": 1.5, "small": 2.0}
# The rows --only can pick, in the order of the table.
ROWS = ("whole", "startup", "inprocess", "big", "huge", "national", "small", "plans")
HUGE_ENV = {"EFL_MAX_FILE_MB": "2000"}  # a 5,000,000-row file is about 400 MB, over efl's default limit


# --- measuring -------------------------------------------------------------------------------------

def run_process(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One fresh process, started by ``peak.py``: wall seconds, peak resident MB of its largest process, exit code."""
    done = subprocess.run([sys.executable, str(HERE / "peak.py"), *command], cwd=cwd, capture_output=True, text=True,
                          check=True, env={**os.environ, **env} if env else None)
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
    """``efl assess FOLDER --format json`` in a fresh process against the floor process, per size.

    The floor imports efl's five libraries and reads every file of the folder (``floor.py --imports``).
    """
    efl = efl_command()
    out = []
    for n in sizes:
        folder = gen.council(data, n)
        env = HUGE_ENV if n > 1_000_000 else None
        variants = {"floor": lambda f=folder: run_process([sys.executable, str(HERE / "floor.py"), str(f), "--imports"]),
                    "efl": lambda f=folder, e=env: run_process([*efl, "assess", str(f), "--format", "json"], env=e)}
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


def small_batch(data: Path, councils: int, employees: int, rounds: int) -> dict:
    """Many small councils with one job against the floor reading them in one process: the per-council fixed cost."""
    everything = gen.national(data, councils, employees)
    efl = efl_command()
    variants = {"floor, 1 process": lambda: run_process([sys.executable, str(HERE / "floor.py"), str(everything)]),
                "efl --jobs 1": lambda: run_process([*efl, "assess", str(everything), "--summary", "json",
                                                     "--jobs", "1"])}
    runs = interleave(variants, rounds, seed=councils + 1, warm=("floor, 1 process",))
    out = {"councils": councils, "employees": employees, "variants": {k: summary(v) for k, v in runs.items()},
           "ratio": ratio(runs["efl --jobs 1"], runs["floor, 1 process"])}
    v = out["variants"]
    print(f"  {councils} small councils: efl --jobs 1 {tspan(v['efl --jobs 1']['seconds'])}, floor "
          f"{tspan(v['floor, 1 process']['seconds'])}{failed(v['efl --jobs 1'])}", flush=True)
    return out


def startup(rounds: int) -> dict:
    """What ``efl assess`` does before it reads a folder (bench/startup.py), against the import floor."""
    variants = {"efl start-up": lambda: run_process([sys.executable, str(HERE / "startup.py")]),
                "import floor": lambda: run_process([sys.executable, "-c", IMPORT_FLOOR])}
    runs = interleave(variants, rounds, seed=3, warm=tuple(variants))
    out = {k: summary(v) for k, v in runs.items()}
    out["ratio"] = ratio(runs["efl start-up"], runs["import floor"])
    print(f"  start-up: {tspan(out['efl start-up']['seconds'])}, imports {tspan(out['import floor']['seconds'])}",
          flush=True)
    return out


def plans_and_packs(data: Path, rounds: int, smoke: bool) -> list[dict] | str:
    """perf2's rows (``bench/plans_packs.py``: efl progress and efl pack), or why there are none.

    Each row is a dict: name, median, min, max (seconds), floor_median, ratio, goal, note, met.
    """
    try:
        import plans_packs
    except ImportError as exc:
        return f"plans and packs: not measured ({exc})"
    return plans_packs.rows(data=data, rounds=rounds, seed=29, smoke=smoke)


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


def as_installed_runs() -> None:
    """Every efl measured from here runs as an installed efl does after its first run: with the schemas and
    code it keeps beside its byte code (efl.core.model_cache, efl.core.generated_code). efl keeps none when
    Python is told not to write byte code, and this session's environment may say so
    (``PYTHONDONTWRITEBYTECODE``): left set, every run would build every model afresh, as no council's
    installed efl does. So it is unset for the processes started from here, and efl is run once on the
    worked example (table and JSON) to keep them, uncounted."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    for extra in ([], ["--format", "json"]):
        subprocess.run([*efl_command(), "assess", "assessments/bexley", *extra], cwd=ROOT, capture_output=True,
                       check=False)


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
            "cpu": cpu, "memory": mem, "python": platform.python_version(), "commit": commit or "?",
            "load": load_average()}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: how busy the (shared) machine was."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def verdict(value: float, goal: float) -> str:
    return "yes" if value <= goal else f"no ({value / goal:.1f}x over)"


def _at(rows: list[dict], n: int) -> dict | None:
    return next((r for r in rows if r["employees"] == n), None)


def targets_table(results: dict) -> str:
    """One row per line of issue 29's table: efl, its floor, the ratio, the goal and whether it is met."""
    rows = []
    sizes = results["sizes"]
    whole = _at(results.get("process", []), sizes["whole"])
    up = results.get("startup")
    if whole:
        r = whole["efl/floor"]
        rows.append([f"{whole['employees']:,} employees, whole process", tspan(whole["efl"]["seconds"]),
                     f"{tspan(whole['floor']['seconds'])} imports + csv.reader", xspan(r), f"<= {GOALS['whole']:g}x",
                     verdict(r["median"], GOALS["whole"]) if not whole["efl"]["exit"] else "failed"])
    if up:
        secs = up["efl start-up"]["seconds"]["median"]
        rows.append(["start-up (imports, plugins, framework)", tspan(up["efl start-up"]["seconds"]),
                     f"{tspan(up['import floor']['seconds'])} imports", xspan(up["ratio"]),
                     f"<= {GOALS['startup_s'] * 1000:.0f} ms", verdict(secs, GOALS["startup_s"])])
    inproc = _at(results.get("inprocess", []), sizes["whole"])
    if inproc and "efl/pyarrow" in inproc:
        r = inproc["efl/pyarrow"]
        rows.append([f"{inproc['employees']:,} employees, in-process", tspan(inproc["efl"]["seconds"]),
                     f"{tspan(inproc['pyarrow floor']['seconds'])} pyarrow parse", xspan(r),
                     f"<= {GOALS['inprocess_pyarrow']:g}x",
                     verdict(r["median"], GOALS["inprocess_pyarrow"]) if not inproc["efl"]["exit"] else "failed"])
    for key, label_s, label_mb in (("big", "big_s", "big_mb"), ("huge", "huge_s", "huge_mb")):
        row = _at(results.get("process", []), sizes[key])
        if not row:
            continue
        secs, mb = row["efl"]["seconds"]["median"], row["efl"]["peak_mb"]["median"]
        ok = secs <= GOALS[label_s] and mb <= GOALS[label_mb]
        per = mb * 1024 * 1024 / row["employees"]
        note = f"peak {mbspan(row['efl']['peak_mb'])} ({per:,.0f} bytes/employee)"
        if key == "huge":
            big = _at(results.get("process", []), sizes["big"])
            if big:
                grow = secs / big["efl"]["seconds"]["median"]
                note += f"; {grow:.1f}x the time of {big['employees']:,} for {row['employees'] / big['employees']:.0f}x the staff"
        rows.append([f"{row['employees']:,} employees, whole process", tspan(row["efl"]["seconds"]), note,
                     xspan(row["efl/floor"]), f"<= {GOALS[label_s]:g} s, <= {GOALS[label_mb]:,.0f} MB",
                     ("yes" if ok else f"no ({secs / GOALS[label_s]:.1f}x time, {mb / GOALS[label_mb]:.1f}x memory)")
                     if not row["efl"]["exit"] else "failed"])
    nat = results.get("national")
    if nat:
        v = nat["variants"]
        r = nat["ratios"]["efl --jobs 2 / floor, 1 process"]
        rows.append([f"{nat['councils']} councils x {nat['employees']:,}, --jobs 2", tspan(v["efl --jobs 2"]["seconds"]),
                     f"{tspan(v['floor, 1 process']['seconds'])} reading the files", xspan(r),
                     f"<= {GOALS['national']:g}x",
                     verdict(r["median"], GOALS["national"]) if not v["efl --jobs 2"]["exit"] else "failed"])
    small = results.get("small")
    if small:
        v = small["variants"]
        per = v["efl --jobs 1"]["seconds"]["median"] / small["councils"] * 1000
        per_floor = v["floor, 1 process"]["seconds"]["median"] / small["councils"] * 1000
        rows.append([f"{small['councils']:,} small councils ({small['employees']} staff), --jobs 1",
                     f"{tspan(v['efl --jobs 1']['seconds'])} ({per:.1f} ms each)",
                     f"{tspan(v['floor, 1 process']['seconds'])} ({per_floor:.1f} ms each)", xspan(small["ratio"]),
                     f"<= {GOALS['small']:g}x",
                     verdict(small["ratio"]["median"], GOALS["small"]) if not v["efl --jobs 1"]["exit"] else "failed"])
    pp = results.get("plans_packs")
    if isinstance(pp, list):
        for row in pp:
            span = {"median": row["median"], "min": row["min"], "max": row["max"]}
            ratio_text = f"{row['ratio']:.2f}x" if row.get("ratio") is not None else ""
            floor_text = t(row["floor_median"]) if row.get("floor_median") is not None else ""
            rows.append([row["name"], tspan(span), f"{floor_text} {row.get('note') or ''}".strip(), ratio_text,
                         row.get("goal") or "", row.get("met") or ""])
    text = table(["measurement", "efl", "floor", "efl / floor", "goal", "met"], rows)
    if isinstance(pp, str):
        text += "\n" + pp
    return text


def report(results: dict) -> str:
    m = results["machine"]
    parts = [f"efl benchmarks ({results['mode']}), {m['date']}; {m['cores']} cores, {m['cpu']}, {m['memory']}; "
             f"Python {m['python']}; commit {m['commit']}",
             f"load average at the start {m['load']}, at the end {results.get('load_at_end', '?')}",
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
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=None,
                        help=f"measure only these rows, comma-separated: {','.join(ROWS)} (a held-out re-run of a few)")
    args = parser.parse_args()
    if args.only and not args.only <= set(ROWS):
        parser.error(f"--only: unknown row {', '.join(sorted(args.only - set(ROWS)))} (expected some of {', '.join(ROWS)})")
    wanted = args.only or set(ROWS)
    os.chdir(ROOT)
    if args.profile:
        profile(args.data, args.employees)
        return
    if args.smoke:
        global WARM_UP
        WARM_UP = False
        mode_name, rounds = "smoke", args.rounds or 1
        sizes = {"whole": 300, "big": 1000, "huge": 2000, "inprocess": [300], "process": [300, 1000, 2000]}
        nat, small, linked, cold_rounds = (2, 100), (3, 20), 2, rounds
    else:
        rounds = args.rounds or (3 if args.quick else 5)
        cold_rounds = max(15, rounds)
        nat, small = (320, 5000), (2000, 100)
        if args.quick:
            mode_name = "quick"
            sizes = {"whole": 50_000, "big": 1_000_000, "huge": 5_000_000, "inprocess": [50_000],
                     "process": [50_000, 1_000_000, 5_000_000]}
            linked = None
        else:
            mode_name = "full"
            every = [1000, 10_000, 50_000, 100_000, 1_000_000]
            sizes = {"whole": 50_000, "big": 1_000_000, "huge": 5_000_000, "inprocess": every,
                     "process": [*every, 5_000_000]}
            linked = 80
        compile_sources()
        as_installed_runs()
    results: dict[str, Any] = {"mode": mode_name, "rounds": rounds, "machine": machine(), "sizes": sizes}
    if args.only:  # a few rows only: the process sizes those rows need, nothing else
        sizes["inprocess"] = [sizes["whole"]] if "inprocess" in wanted else []
        sizes["process"] = [sizes[key] for key in ("whole", "big", "huge") if key in wanted]
    print(f"generating data in {args.data} (once; seeded)...", flush=True)
    for n in sorted(set(sizes["inprocess"]) | set(sizes["process"])):
        gen.council(args.data, n)
    if "national" in wanted:
        gen.national(args.data, *nat)
    if "small" in wanted:
        gen.national(args.data, *small)
    print("measuring...", flush=True)
    if "startup" in wanted:
        results["startup"] = startup(cold_rounds)
        results["cold"] = cold_start(cold_rounds)
    host = efl_host()
    results["inprocess"] = inprocess_sizes(args.data, sizes["inprocess"], rounds, host)
    results["process"] = process_sizes(args.data, sizes["process"], rounds)
    if "national" in wanted:
        results["national"] = national(args.data, *nat, rounds, linked)
    if "small" in wanted:
        results["small"] = small_batch(args.data, *small, rounds)
    if "plans" in wanted:
        results["plans_packs"] = plans_and_packs(args.data, rounds, args.smoke)
    results["load_at_end"] = load_average()
    text = report(results)
    print("\n" + text, end="")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
