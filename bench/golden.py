"""Every output efl gives for a fixed set of inputs, saved once and compared after each change.

    python bench/golden.py save DIR      # run every case, keep its stdout, stderr, exit code and files in DIR
    python bench/golden.py check DIR     # run them again; print every difference; exit 1 if any
    python bench/golden.py check DIR --big   # also the 1,000,000-employee council (JSON only)
    python bench/golden.py save DIR --at main   # the outputs of another commit (run from a copy of it)

Speed work must not change a single byte of what efl says: the JSON (figures included) and every
other format. The cases are the worked examples in ``assessments/`` with every report format, the
plan, progress and pack commands, and generated councils (``bench/gen.py``) at several sizes and
with awkward inputs: BOM and CRLF, rows out of order, a duplicate id, dates of birth, HR-style
headers, blanks and bad cells, one sex only, a header with no rows; and a small batch.

Office files and packs are zip files whose member dates are not part of what efl says; they are
compared member by member (name and bytes), with the time an office file was written (its
``docProps/core.xml`` created and modified dates) left out. Run from the repository root with efl installed.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

DATA = HERE / "data" / "golden"
EXAMPLES = ["bexley", "bexley-peer", "harrow", "leicester", "leicestershire", "london-councils"]
TEXT_FORMATS = ["json", "table", "markdown", "html", "csv"]
FILE_FORMATS = ["docx", "xlsx"]


def efl() -> list[str]:
    script = Path(sys.executable).parent / "efl"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "efl"]


# --- awkward inputs ---------------------------------------------------------------------------------

def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]], *, bom: bool = False, crlf: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


def _variant(name: str, employees: int, seed: int, change) -> Path:  # noqa: ANN001
    """A generated council whose workforce file ``change(path)`` rewrites in place."""
    def build(target: Path) -> None:
        gen.write_council(target / "council", f"Odd Council {name}", employees, seed)
        change(target / "council" / "evidence" / "workforce-profile.csv")

    return gen.ensure(DATA / f"odd-{name}", build, employees=employees, seed=seed, variant=name,
                      golden=hashlib.sha256(Path(__file__).read_bytes()).hexdigest()) / "council"


def _bom_crlf(path: Path) -> None:
    _write(path, _rows(path), bom=True, crlf=True)


def _shuffled(path: Path) -> None:
    rows = _rows(path)
    body = rows[1:]
    random.Random(7).shuffle(body)
    _write(path, [rows[0], *body])


def _duplicate(path: Path) -> None:
    rows = _rows(path)
    rows[40][0] = rows[12][0]
    rows[90][0] = rows[12][0]
    rows[200][0] = rows[150][0]
    _write(path, rows)


def _dates_of_birth(path: Path) -> None:
    rows = _rows(path)
    age = rows[0].index("age")
    rows[0][age] = "Date of Birth"
    rng = random.Random(3)
    for row in rows[1:]:
        row[age] = "" if rng.random() < 0.02 else f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1955, 2004)}"
    _write(path, rows)


def _hr_headers(path: Path) -> None:
    rows = _rows(path)
    names = {"employee_id": "Employee Number", "sex": "Gender", "hourly_pay": "Hourly Rate", "ethnicity": "Ethnic Origin",
             "disability": "Disabled", "religion_or_belief": "Religion", "sexual_orientation": "Sexual Orientation",
             "age": "Age Band", "grade": "Grade", "full_pay": "Full Pay", "bonus_pay": "Bonus Pay", "senior": "Senior"}
    rows[0] = [names.get(h, h) for h in rows[0]]
    _write(path, rows)


def _bad_cells(path: Path) -> None:
    rows = _rows(path)
    pay, bonus, full = rows[0].index("hourly_pay"), rows[0].index("bonus_pay"), rows[0].index("full_pay")
    rng = random.Random(11)
    for i, row in enumerate(rows[1:], start=1):
        roll = rng.random()
        if roll < 0.02:
            row[pay] = ""
        elif roll < 0.025:
            row[pay] = f"£{row[pay]}"
        elif roll < 0.027:
            row[pay] = "n/a"
        elif roll < 0.029:
            row[pay] = "31250"
        elif roll < 0.031:
            row[bonus] = "-5"
        elif roll < 0.033:
            row[full] = "maybe"
        elif roll < 0.036:
            row[pay] = f" {row[pay]} "
    _write(path, rows)


def _one_sex(path: Path) -> None:
    rows = _rows(path)
    sex = rows[0].index("sex")
    _write(path, [rows[0], *[r for r in rows[1:] if r[sex] in ("F", "female", "Female", "Woman")]])


def _header_only(path: Path) -> None:
    _write(path, _rows(path)[:1])


def _census_codes(path: Path) -> None:
    rows = _rows(path)
    eth = rows[0].index("ethnicity")
    codes = {"white british": "WBRI", "white other": "WOTH", "asian or asian british": "AIND",
             "black or black british": "BAFR", "mixed": "MWBC", "other": "OOTH"}
    for row in rows[1:]:
        row[eth] = codes.get(row[eth], row[eth])
    _write(path, rows)


def _without_pay(path: Path) -> None:
    rows = _rows(path)
    drop = {rows[0].index("hourly_pay"), rows[0].index("bonus_pay")}
    _write(path, [[c for i, c in enumerate(r) if i not in drop] for r in rows])


ODD = {"bom-crlf": (5000, 21, _bom_crlf), "shuffled": (5000, 22, _shuffled), "duplicate-ids": (800, 23, _duplicate),
       "dates-of-birth": (3000, 24, _dates_of_birth), "hr-headers": (3000, 25, _hr_headers),
       "bad-cells": (4000, 26, _bad_cells), "one-sex": (2000, 27, _one_sex), "header-only": (10, 28, _header_only),
       "census-codes": (3000, 29, _census_codes), "without-pay": (2000, 30, _without_pay),
       "seed-coding-0": (1500, 40, lambda p: None), "seed-coding-2": (1500, 42, lambda p: None),
       "seed-coding-3": (1500, 43, lambda p: None)}


# --- the cases --------------------------------------------------------------------------------------

def cases(big: bool) -> list[tuple[str, list[str], str | None]]:
    """(name, arguments after ``efl``, a file the command writes or None)."""
    out: list[tuple[str, list[str], str | None]] = []
    for ex in EXAMPLES:
        folder = f"assessments/{ex}"
        for fmt in TEXT_FORMATS:
            out.append((f"{ex}.assess.{fmt}", ["assess", folder, "--format", fmt], None))
        out.append((f"{ex}.assess.explain.table", ["assess", folder, "--explain"], None))
        out.append((f"{ex}.assess.explain.json", ["assess", folder, "--explain", "--format", "json"], None))
        for fmt in FILE_FORMATS:
            out.append((f"{ex}.assess.{fmt}", ["assess", folder, "-o", f"{{out}}/report.{fmt}"], f"report.{fmt}"))
        out.append((f"{ex}.validate", ["validate", folder], None))
        out.append((f"{ex}.target", ["assess", folder, "--target", "next"], None))
        out.append((f"{ex}.target.json", ["assess", folder, "--target", "next", "--format", "json"], None))
        for fmt in ("yaml", "csv", "xlsx"):
            out.append((f"{ex}.plan.{fmt}", ["assess", folder, "--format", "json", "--plan", f"{{out}}/plan.{fmt}"],
                        f"plan.{fmt}"))
        out.append((f"{ex}.pack", ["pack", folder, "-o", "{out}/pack.zip"], "pack.zip"))
        out.append((f"{ex}.pack.personal", ["pack", folder, "--include-personal", "-o", "{out}/pack.zip"], "pack.zip"))
    for ex in ("harrow", "leicester"):
        folder = f"assessments/{ex}"
        for fmt in ("table", "markdown", "json", "html"):
            out.append((f"{ex}.progress.{fmt}", ["progress", folder, "--format", fmt], None))
        out.append((f"{ex}.progress.docx", ["progress", folder, "-o", "{out}/progress.docx"], "progress.docx"))
        out.append((f"{ex}.progress.annual", ["progress", folder, "--annual", "--calendar"], None))
        out.append((f"{ex}.progress.annual.json", ["progress", folder, "--annual", "--calendar", "--format", "json"],
                    None))
    out.append(("harrow.progress.previous", ["progress", "assessments/harrow", "--previous",
                                             "assessments/harrow/progress/action-plan-2016-12-31.yaml"], None))
    out.append(("leicestershire.what-if", ["assess", "assessments/leicestershire", "--format", "json",
                                           "--assume-file", "assessments/leicestershire/what-if.yaml"], None))
    out.append(("compare.peer", ["compare", "assessments/bexley", "assessments/bexley-peer"], None))
    out.append(("show", ["show", "eflg-2014"], None))
    out.append(("frameworks", ["frameworks"], None))
    rel = lambda p: str(p.relative_to(ROOT))  # noqa: E731
    for n in (300, 5000, 50_000):
        folder = rel(gen.council(DATA, n))
        for fmt in TEXT_FORMATS:
            out.append((f"gen-{n}.assess.{fmt}", ["assess", folder, "--format", fmt], None))
        out.append((f"gen-{n}.explain.json", ["assess", folder, "--explain", "--format", "json"], None))
        out.append((f"gen-{n}.pack.personal", ["pack", folder, "--include-personal", "-o", "{out}/pack.zip"],
                    "pack.zip"))
        out.append((f"gen-{n}.pack", ["pack", folder, "-o", "{out}/pack.zip"], "pack.zip"))
    for name, (n, seed, change) in ODD.items():
        folder = rel(_variant(name, n, seed, change))
        out.append((f"odd-{name}.json", ["assess", folder, "--explain", "--format", "json"], None))
        out.append((f"odd-{name}.table", ["assess", folder], None))
        out.append((f"odd-{name}.validate", ["validate", folder], None))
    batch = rel(gen.national(DATA, 6, 700))
    out.append(("batch.summary.json", ["assess", batch, "--summary", "json", "--jobs", "2"], None))
    out.append(("batch.summary.table", ["assess", batch, "--jobs", "1"], None))
    out.append(("batch.output-dir", ["assess", batch, "--summary", "json", "--jobs", "2", "--output-dir", "{out}/all"],
                "all"))
    if big:
        out.append(("gen-1000000.json", ["assess", rel(gen.council(DATA, 1_000_000)), "--format", "json"], None))
    return out


# When the file was written, which an office file records in its properties: not something efl says.
_WRITTEN_AT = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def _zip_listing(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        lines = []
        for info in archive.infolist():
            member = archive.read(info)
            if info.filename == "docProps/core.xml":
                member = _WRITTEN_AT.sub(rb"\1(when written)\2", member)
            lines.append(f"{info.filename} {hashlib.sha256(member).hexdigest()}\n")
        return "".join(lines)


def _capture(path: Path) -> dict[str, str]:
    """What a written file or folder holds, as text: zip files member by member."""
    found: dict[str, str] = {}
    paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.exists() else []
    for p in paths:
        key = str(p.relative_to(path.parent))
        data = p.read_bytes()
        found[key] = _zip_listing(data) if zipfile.is_zipfile(io.BytesIO(data)) else data.decode("utf-8", "replace")
    return found


def source_tree(rev: str, into: Path) -> str:
    """A copy of commit ``rev``'s efl laid out as installed (efl, efl_plugins, efl_frameworks), for PYTHONPATH.

    The editable install finds its packages after ``sys.path``, so a PYTHONPATH holding this copy wins
    and the same ``efl`` command runs the other commit's code on the same inputs.
    """
    tree = into / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    path = into / "path"
    path.mkdir()
    for package, folder in (("efl", "efl"), ("efl_plugins", "plugins"), ("efl_frameworks", "frameworks")):
        (path / package).symlink_to(tree / folder)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], capture_output=True, check=False)
    return str(path)


PYTHONPATH: str | None = None  # set by --at


def run_case(args: list[str], written: str | None) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as out:
        argv = [a.replace("{out}", out) for a in args]
        env = {**os.environ, "EFL_MAX_FILE_MB": "2000", "COLUMNS": "120"}
        if PYTHONPATH:
            env["PYTHONPATH"] = PYTHONPATH
        done = subprocess.run([*efl(), *argv], cwd=ROOT, capture_output=True, env=env, check=False)
        got = {"rc": str(done.returncode), "stdout": done.stdout.decode("utf-8", "replace").replace(out, "{out}"),
               "stderr": done.stderr.decode("utf-8", "replace").replace(out, "{out}")}
        if written:
            for key, text in _capture(Path(out) / written).items():
                got[f"file:{key}"] = text.replace(out, "{out}")
        return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--big", action="store_true", help="also the 1,000,000-employee council")
    parser.add_argument("-k", help="only cases whose name contains this")
    parser.add_argument("--at", metavar="REV", help="run the efl of this commit (a copy of it), not the working tree")
    args = parser.parse_args()
    os.chdir(ROOT)
    global PYTHONPATH
    if args.at:
        import atexit
        import shutil

        copy = Path(tempfile.mkdtemp(prefix="efl-golden-"))
        atexit.register(shutil.rmtree, copy, ignore_errors=True)  # the copy of that commit's efl goes too
        PYTHONPATH = source_tree(args.at, copy)
    chosen = [c for c in cases(args.big) if not args.k or args.k in c[0]]
    if args.action == "save":
        args.dir.mkdir(parents=True, exist_ok=True)
    bad = 0
    for name, argv, written in chosen:
        got = run_case(argv, written)
        target = args.dir / f"{name}.json"
        if args.action == "save":
            target.write_text(json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False))
            continue
        if not target.exists():
            print(f"NEW   {name} (not in {args.dir})")
            continue
        want = json.loads(target.read_text())
        if got == want:
            continue
        bad += 1
        print(f"DIFF  {name}: efl {' '.join(argv)}")
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                lines = difflib.unified_diff((want.get(key) or "").splitlines(), (got.get(key) or "").splitlines(),
                                             f"saved {key}", f"now {key}", n=1, lineterm="")
                print("\n".join(list(lines)[:30]))
    if args.action == "check":
        print(f"{len(chosen) - bad} of {len(chosen)} cases identical")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
