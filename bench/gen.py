"""Seeded, realistic benchmark data: council folders with a generated workforce file.

Each council folder is a copy of the Bexley worked example (assessment.yaml, its community profile
and the other evidence) with its own name and a generated ``workforce-profile.csv``, so an
assessment reads the workforce file *and* compares it with the community profile beside it.

The workforce looks like a real HR export rather than a clean fixture:

* sex coded the way the council's system codes it (``female``/``male``, ``F``/``M``,
  ``Female``/``Male`` or ``Woman``/``Man``, chosen per council), with 2% of rows in another coding
  (merged systems), 1% blank and 0.5% ``Not known``;
* ethnicity (in a column headed ``ethnicity``), religion, disability and sexual orientation using
  the community profile's group names, with blanks, "prefer not to say" and "Not known";
* age in bands (``16-24`` ... ``65+``);
* hourly pay on a grade spine with three increments, so many people share a rate (ties on the
  quartile dividing lines), women more often in lower grades;
* a bonus for about 5% of staff (from a few fixed amounts), reduced pay (``full_pay`` false) for 3%.

The same seed gives the same bytes. A marker file beside the data records what it was made from
(this file and the example folder, by hash), so changing either regenerates it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "bexley"

GRADES = [("SC4", 12.60), ("SC6", 14.10), ("SO1", 17.30), ("SO2", 19.10), ("PO1", 21.40), ("PO2", 23.20),
          ("PO3", 25.60), ("PO5", 29.90), ("PO7", 34.80), ("CO1", 48.50)]
SENIOR_FROM = 6  # PO3 and above
SEX_CODES = [("female", "male"), ("F", "M"), ("Female", "Male"), ("Woman", "Man")]
ETHNICITY = [("white british", 62), ("white other", 8), ("asian or asian british", 10),
             ("black or black british", 12), ("mixed", 4), ("other", 4)]
RELIGION = [("christian", 50), ("no religion", 34), ("muslim", 6), ("hindu", 4), ("sikh", 3), ("other", 3)]
AGE = [("16-24", 8), ("25-34", 22), ("35-44", 26), ("45-54", 25), ("55-64", 16), ("65+", 3)]
ORIENTATION = [("heterosexual", 90), ("gay or lesbian", 5), ("bisexual", 5)]
HEADER = ["employee_id", "sex", "hourly_pay", "full_pay", "bonus_pay", "grade", "senior", "age", "disability",
          "ethnicity", "religion_or_belief", "sexual_orientation"]


def _table(pairs: list[tuple[str, int]], size: int = 1000) -> list[str]:
    """A lookup list with each group repeated by its weight: one ``random()`` picks a group."""
    total = sum(w for _, w in pairs)
    out: list[str] = []
    for group, weight in pairs:
        out += [group] * round(weight * size / total)
    return out


def _declared(rng: random.Random, value: str, rate: float) -> str:
    """The value, or (for the rest) blank, "prefer not to say" or "Not known"."""
    roll = rng.random()
    if roll < rate:
        return value
    roll = (roll - rate) / (1 - rate)
    return "" if roll < 0.4 else "prefer not to say" if roll < 0.8 else "Not known"


def write_workforce(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    female, male = SEX_CODES[seed % len(SEX_CODES)]
    ethnicity, religion, age, orientation = _table(ETHNICITY), _table(RELIGION), _table(AGE), _table(ORIENTATION)
    top = len(GRADES) - 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(HEADER)
        for i in range(count):
            is_woman = rng.random() < 0.6
            roll = rng.random()
            if roll < 0.01:
                sex = ""
            elif roll < 0.015:
                sex = "Not known"
            elif roll < 0.035:
                other_f, other_m = SEX_CODES[(seed + 1) % len(SEX_CODES)]
                sex = other_f if is_woman else other_m
            else:
                sex = female if is_woman else male
            # Women are more often in the lower grades: the pattern the pay gap measures pick up.
            index = min(top, int(rng.triangular(0, top + 1, 2 if is_woman else 4)))
            grade, pay = GRADES[index]
            race = ethnicity[int(rng.random() * len(ethnicity))]
            if index >= SENIOR_FROM and race not in ("white british", "white other") and rng.random() < 0.5:
                race = "white british"
            bonus = (250, 500, 750)[int(rng.random() * 3)] if rng.random() < 0.05 else 0
            out.writerow([
                f"E{i + 1:07d}", sex, f"{pay + (0, 0.35, 0.70)[int(rng.random() * 3)]:.2f}",
                "false" if rng.random() < 0.03 else "true", f"{bonus:.2f}" if bonus else "0",
                grade, "true" if index >= SENIOR_FROM else "false", age[int(rng.random() * len(age))],
                _declared(rng, "yes" if rng.random() < 0.14 else "no", 0.86),
                _declared(rng, race, 0.93),
                _declared(rng, religion[int(rng.random() * len(religion))], 0.78),
                _declared(rng, orientation[int(rng.random() * len(orientation))], 0.62),
            ])


def _fingerprint() -> str:
    """What the data is made from: this generator and the example folder."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(EXAMPLE.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(EXAMPLE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_council(folder: Path, name: str, employees: int, seed: int) -> None:
    """One council folder: the example's files under a new name, with a generated workforce."""
    shutil.copytree(EXAMPLE, folder)
    yaml_path = folder / "assessment.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8")
                         .replace("name: London Borough of Bexley", f"name: {name}"), encoding="utf-8")
    write_workforce(folder / "evidence" / "workforce-profile.csv", employees, seed)


def ensure(target: Path, build, **params) -> Path:  # noqa: ANN001
    """Build ``target`` with ``build(target)`` unless a marker says it is already made from the same inputs."""
    marker = target / ".made-from.json"
    wanted = {"fingerprint": _fingerprint(), **params}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    build(target)
    marker.write_text(json.dumps(wanted))
    return target


def council(data: Path, employees: int) -> Path:
    """A council folder with ``employees`` staff; its seed makes its sex coding ``F``/``M``."""
    holder = ensure(data / f"council-{employees}", lambda d: write_council(
        d / "council", f"Synthetic Council of {employees:,}", employees, seed=employees + 1), employees=employees)
    return holder / "council"


def national(data: Path, councils: int, employees: int) -> Path:
    """``councils`` council folders of ``employees`` staff each, in one folder of folders."""
    def build(target: Path) -> None:
        for i in range(councils):
            write_council(target / "all" / f"council-{i:03d}", f"Synthetic Council {i:03d}", employees,
                          seed=1000 + i)

    holder = ensure(data / f"national-{councils}x{employees}", build, councils=councils, employees=employees)
    return holder / "all"


def linked(everything: Path, count: int) -> Path:
    """A folder of symbolic links to the first ``count`` councils: what a shared drive often holds."""
    folder = everything.parent / f"linked-{count}"
    if not folder.is_dir():
        folder.mkdir()
        for path in sorted(everything.iterdir())[:count]:
            (folder / path.name).symlink_to(path, target_is_directory=True)
    return folder
