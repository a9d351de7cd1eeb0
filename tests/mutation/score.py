"""Print the mutation score of the last ``mutmut run``: killed, survived and untested mutants per module.

Run from the repository's root after ``mutmut run``; reads mutmut's own records in ``mutants/``.
A timeout counts as killed (the mutant made the tests hang, so they noticed it); a mutant no test
calls counts against the score, as a survivor does.

    python tests/mutation/score.py            # the table
    python tests/mutation/score.py --survivors  # and the name of every survivor
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255}  # failed, pytest's internal error, or timed out
SURVIVED = {0}
NO_TESTS = {5, 33}


def kind(exit_code: int | None) -> str:
    if exit_code is None:
        return "not checked"
    if exit_code in KILLED:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NO_TESTS:
        return "no tests"
    return "other"


def main(argv: list[str]) -> int:
    root = Path("mutants")
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print("no mutmut results here (expected a mutants/ folder: run 'mutmut run' first)", file=sys.stderr)
        return 2
    total: Counter[str] = Counter()
    survivors = []
    print("| module | mutants | killed | survived | no tests | not checked | killed % |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter(kind(code) for code in codes.values())
        total += counts
        survivors += sorted(name for name, code in codes.items() if kind(code) in ("survived", "no tests"))
        module = meta.relative_to(root).as_posix().removesuffix(".meta")
        print(f"| {module} | {len(codes)} | {counts['killed']} | {counts['survived']} | {counts['no tests']} "
              f"| {counts['not checked']} | {_pct(counts['killed'], len(codes) - counts['not checked'])} |")
    n = sum(total.values())
    print(f"| all | {n} | {total['killed']} | {total['survived']} | {total['no tests']} | {total['not checked']} "
          f"| {_pct(total['killed'], n - total['not checked'])} |")
    if "--survivors" in argv:
        print()
        print("\n".join(survivors))
    return 0


def _pct(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}" if whole else "-"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
