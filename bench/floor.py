"""The floor: read and parse every file of one or more assessment folders, check and compute nothing.

    python bench/floor.py FOLDER [--jobs N] [--columnar polars|pyarrow] [--imports]

What any reader of these folders must at least do, with the fastest parsers available here:

* every file is read from disk (links to files and to folders are followed, as efl follows them);
* YAML through ruamel's C loader (``ruamel.yaml.clib``), the fastest safe YAML parser here;
* CSV streamed (UTF-8, BOM allowed) row by row through ``csv.reader``, touching every cell but
  keeping nothing (building a list of rows would cost more and flatter whatever is compared with
  it); with ``--columnar``, read into columns with polars or pyarrow instead;
* anything else (Markdown, PDF) read as bytes.

With ``--imports`` it first imports the five libraries efl is built on (pydantic, ruamel.yaml,
click, pluggy, tabulate): the floor of a whole ``efl assess`` process. With ``--jobs N`` the council folders directly inside FOLDER are shared among N processes, as
``efl assess FOLDER --jobs N`` shares them. It prints the number of files and CSV cells read.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

_yaml = None


def _yaml_loader():  # noqa: ANN202
    global _yaml
    if _yaml is None:
        from ruamel.yaml import YAML

        _yaml = YAML(typ="safe")  # uses the C parser when ruamel.yaml.clib is installed
    return _yaml


def files_of(folder: Path) -> list[Path]:
    """Every file under ``folder``, links followed, in a stable order."""
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        found += [Path(parent, n) for n in sorted(names) if not n.startswith(".")]
    return found


def csv_cells(path: Path) -> int:
    """Stream a CSV file through ``csv.reader`` row by row, touching every cell; return the count.

    Streaming (rather than decoding the whole file into one string first) is the cheaper way in both
    time and memory, so the floor is the lower of the two.
    """
    cells = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                if cell:
                    cells += 1
    return cells


def columnar_cells(path: Path, engine: str) -> int:
    """Read a CSV file into columns in-process (each engine's default type inference and threads)."""
    if engine == "polars":
        import polars

        frame = polars.read_csv(path, infer_schema_length=10_000)
        return frame.height * frame.width
    import pyarrow.csv

    table = pyarrow.csv.read_csv(path)
    return table.num_rows * table.num_columns


def read_file(path: Path, columnar: str | None = None) -> int:
    if path.suffix in (".yaml", ".yml"):
        _yaml_loader().load(path.read_bytes().decode("utf-8"))
        return 0
    if path.suffix == ".csv":
        return columnar_cells(path, columnar) if columnar else csv_cells(path)
    path.read_bytes()
    return 0


def read_folder(folder: Path, columnar: str | None = None) -> tuple[int, int]:
    """Files and CSV cells read under ``folder``."""
    files = files_of(folder)
    return len(files), sum(read_file(p, columnar) for p in files)


def _read_one(args: tuple[str, str | None]) -> tuple[int, int]:
    return read_folder(Path(args[0]), args[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--columnar", choices=["polars", "pyarrow"])
    parser.add_argument("--imports", action="store_true", help="import efl's five libraries first")
    args = parser.parse_args()
    if args.imports:
        import click, pluggy, pydantic, ruamel.yaml, tabulate  # noqa: E401, F401
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        councils = sorted(str(p) for p in args.folder.iterdir() if p.is_dir())
        with ProcessPoolExecutor(args.jobs) as pool:
            parts = list(pool.map(_read_one, [(c, args.columnar) for c in councils], chunksize=4))
        files, cells = sum(p[0] for p in parts), sum(p[1] for p in parts)
    else:
        files, cells = read_folder(args.folder, args.columnar)
    print(f"{files} files, {cells} CSV cells")
    sys.exit(0 if files else 1)


if __name__ == "__main__":
    main()
