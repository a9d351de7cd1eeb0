"""Seeded action plans of any length, written the way councils keep them, for ``efl progress``.

Each folder is a copy of the Harrow worked example (its bodies, roles and committee papers) with a
generated plan of ``lines`` lines in place of its own, kept as YAML, CSV or an XLSX workbook (the
same plan in each, written by efl's own writers, so the three reports agree). The plan looks like a
real one rather than a clean fixture:

* a few dozen objectives, some numbered ("3"), most not; lines tied to none of them now and then;
* actions, outputs and notes from a word list, 3 to 60 words long, so most cells wrap in the table
  and some are a single long word (a URL) or hyphenated ("co-production");
* leads that name one of assessment.yaml's roles (``head-of-hr``), a role holder's title, free text,
  or nobody;
* statuses spelt as people spell them (``On track``, ``AT RISK``), one line in ten with none;
* due dates on both sides of the report date, one in twenty missing; zero to four dated notes;
* some accents and curly quotes (``Māori``, ``’``), a few cells with two lines.

The same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "harrow"

WORDS = ("the council will review equality impact assessments for every key decision and report progress to "
         "cabinet each quarter with staff networks community groups residents partners schools health "
         "services housing adult social care children's services libraries leisure transport planning "
         "procurement contracts suppliers workforce recruitment training apprenticeships mentoring senior "
         "posts pay gap ethnicity disability gender sexual orientation religion belief age carers veterans "
         "co-production hate-crime Māori café naïve résumé accessible easy-read British Sign Language "
         "translation interpreting consultation engagement survey data monitoring census profile ward "
         "borough-wide targeted outreach").split()
LONG_WORDS = ("https://www.harrow.gov.uk/council/equality-diversity-and-inclusion/equality-objectives-2016-2020",
              "Antidisestablishmentarianism-style-overlong-token", "EqualityImpactAssessmentProgramme2016")
LEADS = ("head-of-hr", "policy-officer", "corporate-director", "Head of HR", "Chairs of the Directorate Equality "
         "Task Groups", "Policy Officer for Equalities and Diversity", "Divisional Director, Strategic "
         "Commissioning", "", "Community Engagement Manager", "Ward councillors (all wards)")
STATUSES = ("done", "on track", "On track", "AT RISK", "at risk", "not started", "Not_Started", "dropped", None)
AREAS = ("lpoc", "scw", "rdes", None)


def _words(rng: random.Random, low: int, high: int) -> str:
    n = rng.randint(low, high)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.03:
        words.insert(rng.randrange(len(words) + 1), rng.choice(LONG_WORDS))
    text = " ".join(words)
    if rng.random() < 0.05:
        text = text.replace(" ", "’s ", 1)
    return text[:1].upper() + text[1:]


def make_plan(lines: int, seed: int = 29):  # noqa: ANN201 - a Plan; efl imported lazily
    from efl.plan.action_plan import Plan

    rng = random.Random(seed)
    objectives = [{"id": str(i) if i % 4 == 1 else f"obj-{i}", "title": _words(rng, 4, 14)}
                  for i in range(1, 31)]
    start = dt.date(2016, 4, 1)
    out = []
    for i in range(lines):
        notes = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
            notes.append({"date": start + dt.timedelta(days=rng.randrange(0, 500)), "text": _words(rng, 3, 40)})
        line = {
            "id": f"line-{i:05d}",
            "objective": rng.choice(objectives)["id"] if rng.random() < 0.95 else None,
            "area": rng.choice(AREAS),
            "lead": rng.choice(LEADS),
            "action": _words(rng, 3, 60) + ("\nSecond line of the action." if rng.random() < 0.01 else ""),
            "output": _words(rng, 2, 20),
            "due": start + dt.timedelta(days=rng.randrange(0, 700)) if rng.random() < 0.95 else None,
            "outcome": _words(rng, 2, 15),
            "status": rng.choice(STATUSES),
            "notes": notes,
        }
        out.append({k: v for k, v in line.items() if v is not None})
    return Plan.model_validate({"objectives": objectives, "lines": out})


def plan_folder(root: Path, lines: int, fmt: str, seed: int = 29) -> Path:
    """A copy of the Harrow example whose ``plan:`` is a generated plan of ``lines`` lines in ``fmt``
    (``yaml``, ``csv`` or ``xlsx``); made once per (lines, fmt, seed) under ``root``."""
    folder = root / f"plan-{lines}-{fmt}-{seed}"
    done = folder / ".made"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(EXAMPLE, folder)
    (folder / "action-plan.yaml").unlink()  # the example's own plan
    plan = make_plan(lines, seed)
    name = f"action-plan.{fmt}"
    if fmt == "yaml":
        from efl.plan.action_plan import to_yaml

        (folder / name).write_text(to_yaml(plan), encoding="utf-8")
    elif fmt == "csv":
        from efl.plan.action_plan import to_csv

        (folder / name).write_bytes(to_csv(plan).encode("utf-8"))
    elif fmt == "xlsx":
        from efl_plugins.xlsx_plan import plan_workbook

        (folder / name).write_bytes(plan_workbook(plan, council="London Borough of Harrow"))
    else:
        raise ValueError(fmt)
    if (folder / "progress").exists():
        shutil.rmtree(folder / "progress")
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text.replace("plan: action-plan.yaml", f"plan: {name}"), encoding="utf-8")
    done.write_text("")
    return folder


if __name__ == "__main__":
    import sys

    for fmt in ("yaml", "csv", "xlsx"):
        print(plan_folder(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5000, fmt))
