"""``efl init``: a new assessment folder with a commented ``assessment.yaml`` and evidence templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import Diagnostic, InputError

ASSESSMENT_TEMPLATE = """\
# Self-assessment against the Equality Framework for Local Government.
# Fill this in, put your evidence files in evidence/, then run:  efl validate {folder}
# Dates are written YYYY-MM-DD. Lines starting with # are notes and are ignored.

framework: {framework}            # which framework edition: see 'efl frameworks'

council:
  name: {council}
  employees:                      # people employed on the snapshot date (31 March): decides whether the
                                  # workforce duties apply; efl counts them from a workforce profile if you add one
  lead_member: ""                 # the councillor who leads on equality, if there is one

date: {today}                  # the assessment date: evidence ages are measured from here

period:                           # the year the assessment looks back on
  start: {start}
  end: {end}

assessor:
  name: ""
  organisation: {council}
  role: self                      # self for the council's own assessment, peer for a peer team

# Characteristics the council has adopted locally, besides the nine protected ones (optional),
# for example carers or socio_economic_disadvantage.
local_characteristics: []

# One entry per piece of evidence. 'type' says what it is (see README.md for the types),
# 'file' is a path inside this folder, 'date' is when it was produced or published, and
# 'covers' lists the protected characteristics it covers, if any.
evidence:
  - id: community-profile
    type: community-profile
    file: evidence/community-profile.csv
    date: {today}
    covers: [age, disability, race, religion_or_belief, sex]

  - id: workforce-profile
    type: workforce-profile
    file: evidence/workforce-profile.csv
    date: {today}

  - id: equality-objectives
    type: equality-objectives
    file: evidence/equality-objectives.yaml
    date: {today}

# Your own view of the level each area reaches (optional), to compare with what the evidence supports.
claims: {{}}
"""

COMMUNITY_TEMPLATE = """\
characteristic,group,percent
age,under 16,20.0
age,16 to 64,63.0
age,65 and over,17.0
sex,female,51.5
sex,male,48.5
"""

WORKFORCE_TEMPLATE = """\
employee_id,sex,hourly_pay,full_pay,bonus_pay,grade,senior,age,disability,race
E0001,female,15.20,true,0,SO1,false,25-34,no,White British
E0002,male,16.10,true,0,SO1,false,35-44,prefer not to say,Asian or Asian British
"""

OBJECTIVES_TEMPLATE = """\
# Equality objectives: each should be specific and measurable (a measure, a baseline and a target).
title: Equality objectives
objectives:
  - id: EO1
    title: Close the gap in ...
    aim: advance equality of opportunity
    measure: ""
    baseline: ""
    target: ""
    owner: ""
"""


def scaffold(folder: Path, council: str, framework: str, today: dt.date | None = None) -> list[Path]:
    """Write the template files; refuse (exit code 2) if any of them exists already."""
    today = today or dt.date.today()
    start = dt.date(today.year - 1 if today.month < 4 else today.year, 4, 1)
    start = dt.date(start.year - 1, 4, 1)
    end = dt.date(start.year + 1, 3, 31)
    files = {
        folder / "assessment.yaml": ASSESSMENT_TEMPLATE.format(folder=folder, framework=framework,
                                                               council=_yaml_text(council), today=today,
                                                               start=start, end=end),
        folder / "evidence" / "community-profile.csv": COMMUNITY_TEMPLATE,
        folder / "evidence" / "workforce-profile.csv": WORKFORCE_TEMPLATE,
        folder / "evidence" / "equality-objectives.yaml": OBJECTIVES_TEMPLATE,
    }
    existing = [Diagnostic(str(path), message="already exists (expected a new folder; nothing was written)")
                for path in files if path.exists()]
    if existing:
        raise InputError(existing)
    from .output import write_atomic

    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    return list(files)


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
