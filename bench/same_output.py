"""Are ``efl progress`` and ``efl pack`` still saying the same bytes? Save once, compare after each change.

    python bench/same_output.py save DIR      # before a change: every output into DIR
    python bench/same_output.py check DIR     # after it: the same outputs again, compared byte for byte

The inputs are the worked examples with a plan (Harrow, Leicester) and generated plans (``plan_gen``)
of several sizes in YAML, CSV and XLSX, each in the ``table``, ``markdown`` and ``json`` styles, with
and without ``--annual``, ``--calendar``, ``--previous`` and ``--as-of``; and the manifest of
``efl pack`` (with the dates of the files, which depend on the clock, left as they are: the same
folder packed twice on one day gives the same manifest).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import plan_gen  # noqa: E402

EFL = [sys.executable, "-m", "efl"]


def cases(data: Path) -> list[tuple[str, list[str]]]:
    harrow = ROOT / "assessments" / "harrow"
    out = []
    for style in ("table", "markdown", "json"):
        out += [
            (f"harrow-{style}", ["progress", str(harrow), "--format", style]),
            (f"harrow-annual-cal-{style}", ["progress", str(harrow), "--annual", "--calendar", "--format", style]),
            (f"harrow-prev-{style}", ["progress", str(harrow), "--previous",
                                      str(harrow / "progress" / "action-plan-2016-12-31.yaml"), "--as-of",
                                      "2017-03-31", "--format", style]),
            (f"leicester-{style}", ["progress", str(ROOT / "assessments" / "leicester"), "--format", style]),
        ]
        for lines in (1, 40, 700):
            for fmt in ("yaml", "csv", "xlsx"):
                folder = plan_gen.plan_folder(data, lines, fmt)
                out.append((f"gen-{lines}-{fmt}-{style}", ["progress", str(folder), "--format", style,
                                                          "--as-of", "2017-01-15"]))
        out.append((f"gen-700-csv-calendar-{style}", ["progress", str(plan_gen.plan_folder(data, 700, "csv")),
                                                     "--calendar", "--format", style]))
    return out


def run(args: list[str]) -> bytes:
    done = subprocess.run(EFL + args, capture_output=True, cwd=ROOT)
    return b"exit %d\n" % done.returncode + done.stdout + b"\n--stderr--\n" + done.stderr


def pack_manifest(folder: Path, data: Path, personal: bool) -> bytes:
    target = data / "pack.zip"
    target.unlink(missing_ok=True)
    args = ["pack", str(folder), "-o", str(target)] + (["--include-personal"] if personal else [])
    done = subprocess.run(EFL + args, capture_output=True, cwd=ROOT)
    if done.returncode:
        return b"exit %d\n" % done.returncode + done.stderr
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        body = {n: hashlib.sha256(archive.read(n)).hexdigest() for n in names if n != "manifest.json"}
        return archive.read("manifest.json") + json.dumps(body, indent=1).encode()


def outputs(data: Path) -> dict[str, bytes]:
    got = {name: run(args) for name, args in cases(data)}
    for example in ("bexley", "harrow", "leicestershire", "bexley-peer"):
        for personal in (False, True):
            got[f"pack-{example}-{personal}"] = pack_manifest(ROOT / "assessments" / example, data, personal)
    return got


def main() -> int:
    mode, where = sys.argv[1], Path(sys.argv[2])
    where.mkdir(parents=True, exist_ok=True)
    got = outputs(where / "data")
    saved = where / "saved"
    if mode == "save":
        saved.mkdir(exist_ok=True)
        for name, data in got.items():
            (saved / name).write_bytes(data)
        print(f"saved {len(got)} outputs in {saved}")
        return 0
    bad = [name for name, data in got.items() if (saved / name).read_bytes() != data]
    for name in bad:
        (where / f"{name}.new").write_bytes(got[name])
    print(f"{len(got) - len(bad)} of {len(got)} outputs the same" + (f"; different: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
