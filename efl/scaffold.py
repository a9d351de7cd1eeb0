"""``efl init``: a new assessment folder with a commented ``assessment.yaml`` and evidence templates.

What it is given is checked first (the framework must be installed, the council's name must be
printable text), and what it writes is checked against the schema before anything is written, so
``efl init`` followed by ``efl validate`` always passes. The YAML files start with a line that
points editors at the JSON Schemas written beside them, in ``schema/``.
"""

from __future__ import annotations

import datetime as dt
import shlex
import unicodedata
from pathlib import Path

from efl.errors import Diagnostic, InputError, UsageError

SCHEMA_FOLDER = "schema"

ASSESSMENT_TEMPLATE = """\
{modeline}# Self-assessment against the Equality Framework for Local Government.
# Fill this in, put your evidence files in evidence/, then run:  efl validate {folder}
# Dates are written YYYY-MM-DD. Lines starting with # are notes and are ignored.
# Editors such as VS Code (with a YAML extension) check this file as you type, using schema/.

framework: {framework}            # which framework edition: see 'efl frameworks'

council:
  name: {council}
  employees:                      # people employed on the snapshot date (31 March): decides whether the
                                  # workforce duties apply; efl counts them from a workforce profile if you add one
  lead_member: ""                 # the councillor who leads on equality, if there is one

date: {today}                  # the assessment date: legal deadlines are judged on this day

period:                           # the year the assessment looks back on: "in the last year" ends here
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
    covers: [age, sex]              # the characteristics the profile's rows cover ('all' for the nine)

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
EXAMPLE-1,female,15.20,true,0,SO1,false,25-34,no,White British
EXAMPLE-2,male,16.10,true,0,SO1,false,35-44,prefer not to say,Asian or Asian British
"""

OBJECTIVES_TEMPLATE = """\
{modeline}# Equality objectives: each should be specific and measurable (a measure, a baseline and a target).
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


def check_council(name: str) -> str:
    """The council's name, or a UsageError if it could not be written and read back as one line of text."""
    if not name.strip():
        raise UsageError("--council is empty (expected the council's name, e.g. 'London Borough of Bexley')")
    for char in name:
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in "\ufffe\uffff":
            what = "a line break" if char in "\r\n\u2028\u2029" else f"the control character U+{ord(char):04X}"
            raise UsageError(f"--council contains {what} (expected the name on one line, as printable text)")
    return name.strip()


def check_folder(folder: Path) -> None:
    if any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in str(folder)):
        raise UsageError("the folder name contains a line break or a control character "
                         "(expected a name of printable characters)")


def check_framework(framework_id: str, installed: list[str]) -> str:
    """The installed framework ``framework_id`` names (any case or spacing), or a UsageError listing them."""
    from efl.core.vocabulary import UnknownWord, one_of

    try:
        return one_of(framework_id, installed, "an installed framework")
    except UnknownWord as exc:
        raise UsageError(f"--framework {exc}; 'efl frameworks' describes them") from None


def next_steps(folder: Path) -> str:
    """What to do after ``efl init``, with the folder quoted for the shell."""
    return f"Next: fill in the files, then run: efl validate {shlex.quote(str(folder))}"


def scaffold(folder: Path, council: str, framework: str, today: dt.date | None = None,
             schemas: dict[str, str] | None = None) -> list[Path]:
    """Write the template files; refuse (exit code 2) if any of them exists already.

    :param schemas: JSON Schema texts by file name, written to ``schema/`` and named in the
        YAML files' first lines (``efl.schema.all_schemas``).
    """
    check_folder(folder)
    council = check_council(council)
    today = today or dt.date.today()
    start = dt.date(today.year - 1 if today.month < 4 else today.year, 4, 1)
    start = dt.date(start.year - 1, 4, 1)
    end = dt.date(start.year + 1, 3, 31)
    schemas = schemas or {}
    from efl.schema import ASSESSMENT, modeline

    def line(name: str, up: str = "") -> str:
        return modeline(f"{up}{SCHEMA_FOLDER}/{name}") if name in schemas else ""

    assessment_text = ASSESSMENT_TEMPLATE.format(
        modeline=line(ASSESSMENT), folder=shlex.quote(str(folder)), framework=framework,
        council=_yaml_text(council), today=today, start=start, end=end)
    _check_writes_valid(assessment_text, folder / "assessment.yaml")
    files = {
        folder / "assessment.yaml": assessment_text,
        folder / "evidence" / "community-profile.csv": COMMUNITY_TEMPLATE,
        folder / "evidence" / "workforce-profile.csv": WORKFORCE_TEMPLATE,
        folder / "evidence" / "equality-objectives.yaml": OBJECTIVES_TEMPLATE.format(
            modeline=line("equality-objectives.schema.json", "../")),
    }
    files |= {folder / SCHEMA_FOLDER / name: text for name, text in schemas.items()}
    existing = [Diagnostic(str(path), message="already exists (expected a new folder; nothing was written)")
                for path in files if path.exists()]
    if existing:
        raise InputError(existing)
    from efl.files.output import make_folder, write_atomic

    for path, text in files.items():
        make_folder(path.parent)
        write_atomic(path, text)
    return list(files)


def _check_writes_valid(text: str, path: Path) -> None:
    """Read the new assessment.yaml back as efl will: a template that does not validate is efl's bug."""
    from pydantic import ValidationError

    from efl.core.models import Assessment
    from efl.files.yamlio import parse_yaml

    try:
        Assessment.model_validate(parse_yaml(text, str(path)).data)
    except (InputError, ValidationError) as exc:
        raise RuntimeError(f"efl init would write an invalid {path}: {exc}") from exc


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
