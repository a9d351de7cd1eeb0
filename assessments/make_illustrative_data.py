"""Writes the illustrative workforce files of the worked examples (seeded, so re-running gives the same bytes).

The people in these files are invented. They exist to exercise efl's workforce measures on realistic
shapes of data and are labelled illustrative in each assessment.yaml. Run from the repository root:
``python assessments/make_illustrative_data.py``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

GRADES = [("SC4", 12.60), ("SC6", 14.10), ("SO1", 17.30), ("SO2", 19.10), ("PO1", 21.40), ("PO2", 23.20),
          ("PO3", 25.60), ("PO5", 29.90), ("PO7", 34.80), ("CO1", 48.50)]
RACE = [("white british", 62), ("white other", 8), ("asian or asian british", 10),
        ("black or black british", 12), ("mixed", 4), ("other", 4)]
RELIGION = [("christian", 50), ("no religion", 34), ("muslim", 6), ("hindu", 4), ("sikh", 3), ("other", 3)]
AGE = [("16-24", 8), ("25-34", 22), ("35-44", 26), ("45-54", 25), ("55-64", 16), ("65+", 3)]


def pick(rng: random.Random, table):  # noqa: ANN001, ANN201
    return rng.choices([g for g, _ in table], weights=[w for _, w in table])[0]


def maybe(rng: random.Random, value: str, declared: float) -> str:
    roll = rng.random()
    if roll < declared:
        return value
    return "prefer not to say" if roll < declared + (1 - declared) / 2 else ""


def workforce(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["employee_id", "sex", "hourly_pay", "full_pay", "bonus_pay", "grade", "senior", "age",
                      "disability", "race", "religion_or_belief", "sexual_orientation"])
        for i in range(count):
            sex = "female" if rng.random() < 0.6 else "male"
            # Written as HR systems export it: F and M, with the odd record left blank or 'Not known'.
            roll = rng.random()
            written = "" if roll < 0.01 else "Not known" if roll < 0.015 else sex[0].upper()
            # Women are more often in the lower grades: the pattern the pay gap measures pick up.
            top = len(GRADES) - 1
            index = min(top, int(rng.triangular(0, top + 1, 2 if sex == "female" else 4)))
            grade, pay = GRADES[index]
            race = pick(rng, RACE)
            if index >= 6 and race not in ("white british", "white other") and rng.random() < 0.5:
                race = "white british"
            out.writerow([
                f"E{i + 1:05d}", written, f"{pay + rng.choice((0, 0.35, 0.7)):.2f}",
                "false" if rng.random() < 0.03 else "true",
                f"{rng.choice((250, 500, 750)):.2f}" if rng.random() < 0.05 else "0",
                grade, "true" if index >= 6 else "false", pick(rng, AGE),
                maybe(rng, rng.choice(("yes", "no", "no", "no", "no", "no")), 0.86),
                maybe(rng, race, 0.93), maybe(rng, pick(rng, RELIGION), 0.78),
                maybe(rng, rng.choice(("heterosexual",) * 9 + ("gay or lesbian", "bisexual")), 0.62),
            ])


if __name__ == "__main__":
    workforce(Path("assessments/bexley/evidence/workforce-profile.csv"), 400, 2025)
    workforce(Path("assessments/leicestershire/evidence/workforce-profile.csv"), 1250, 2020)
