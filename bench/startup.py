"""efl's start-up: what ``efl assess`` does before it reads a council's folder, and its import budget.

    python bench/startup.py            # do it once (bench/run.py times this in a fresh process)
    python bench/startup.py --budget   # where the start-up goes (python -X importtime) and the budget check

Start-up is the fixed cost every command pays however small the council: the Python interpreter,
importing efl's command line and what it needs, loading the plugins and compiling the framework.
The budget check is not a timed test (this machine is shared, so single timings are noise): it runs
``python -X importtime`` on ``efl assess assessments/bexley`` and fails if a module that the command
does not use is imported (office writers, signing, the peer pack, the full ``pyarrow.compute``
wrappers), and lists the modules that take the most time, so a new slow import is seen at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Only os, sys and pathlib here, which Python or efl imports anyway: what the timed run (no arguments)
# imports is then what ``efl assess`` imports. argparse, subprocess and re are for --budget.

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Never imported by ``efl assess FOLDER`` with the table report: each belongs to another command or format.
NOT_FOR_ASSESS = ["docx", "openpyxl", "cryptography", "efl.peer.signing", "efl.peer.compare",
                  "pyarrow.compute", "efl.plan.progress", "jsonschema",
                  # the action plan (a folder without one), the committee paper (Word, HTML, Markdown),
                  # crosswalks (comparisons across editions), what-if assumptions (--assume)
                  "efl.plan.action_plan", "efl.reports.paper", "efl.core.crosswalk", "efl.core.assumptions",
                  # tabulate (the table report draws its tables with efl.reports.text_table; importing
                  # tabulate reads its own package metadata), html (the HTML report's escaping), and
                  # importlib.readers (the frameworks plugin finds its folder without importlib.resources),
                  # json (the JSON report's, and an unpacked pack's record of withheld files), and
                  # importlib.metadata (efl.core.installed reads the entry points; pydantic is told "no plugins")
                  "tabulate", "html", "importlib.readers", "json", "importlib.metadata"]


def start() -> None:
    """Everything ``efl assess`` does before the folder: the imports, the plugins, the framework."""
    # As the efl command: efl/__init__.py knows it by this name, and then guards against interrupts
    # and holds the garbage collector while it starts (efl.startup), as it does for ``efl assess``.
    sys.argv[0] = "efl"
    import efl.cli  # noqa: F401 - the command's imports
    from efl.core.engine import Engine
    from efl.core.plugin_host import load_plugins

    engine = Engine(load_plugins())
    engine.frameworks.load("eflg-2014")


def importtime(argv: list[str]) -> list[tuple[str, int, int]]:
    """(module, own microseconds, cumulative microseconds) for every module the command imports."""
    import re
    import subprocess

    script = Path(sys.executable).parent / "efl"
    command = [str(script)] if script.is_file() else ["-m", "efl"]
    done = subprocess.run([sys.executable, "-X", "importtime", *command, *argv], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:
            rows.append((m[3], int(m[1]), int(m[2])))
    return rows


def budget() -> int:
    import compileall
    from collections import Counter

    for folder in ("efl", "plugins"):  # byte-compiled, as an installed copy is (else compiling is timed)
        compileall.compile_dir(str(ROOT / folder), quiet=2)
    rows = importtime(["assess", "assessments/bexley"])
    names = {name for name, _, _ in rows}
    wrong = [m for m in NOT_FOR_ASSESS if m in names]
    by_package = Counter()
    for name, own, _ in rows:
        by_package[name.split(".")[0]] += own
    total = sum(own for _, own, _ in rows)
    print(f"efl assess assessments/bexley imports {len(rows)} modules, {total / 1000:.0f} ms of import time "
          f"(one run; -X importtime slows imports down)")
    print("by top-level package (own time):")
    for name, own in by_package.most_common(15):
        print(f"  {own / 1000:7.1f} ms  {name}")
    print("efl modules, most own time first:")
    for name, own, cum in sorted((r for r in rows if r[0].split(".")[0] in ("efl", "efl_plugins")),
                                 key=lambda r: -r[1])[:15]:
        print(f"  {own / 1000:7.1f} ms  (with what it imports {cum / 1000:7.1f} ms)  {name}")
    if wrong:
        print(f"FAIL: imported though efl assess does not use them: {', '.join(wrong)}")
        return 1
    print(f"ok: none of {', '.join(NOT_FOR_ASSESS)} imported")
    return 0


def main() -> None:
    if len(sys.argv) == 1:  # the timed run
        os.chdir(ROOT)
        start()
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", action="store_true", help="where start-up goes, and the import budget check")
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.budget:
        sys.exit(budget())
    start()


if __name__ == "__main__":
    main()
