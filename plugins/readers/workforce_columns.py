"""How HR and payroll exports name the workforce file's columns, and what efl says about the rest.

Every column of a workforce file is accounted for: it is **read** (its header is efl's name or one of
the names below), **mapped** by the council (``columns:`` on the evidence item in ``assessment.yaml``),
or **named in a warning**: a column that looks like one efl needs gets the ``columns:`` line that would
map it, and the others are listed as not used. Headers are compared without case, spacing,
punctuation and unit marks (``Hourly Rate (£)`` is ``hourly rate``). A header that only looks like
one efl reads (``Bonus Paid (12m to snapshot)``, ``Basic Hourly Rate``) is never read on a guess: the
figure that needs it is "not worked out", with the fix.

The names come from the exports HR and payroll systems write for gender pay gap and equality
monitoring returns (employee number, legal sex, ordinary hourly pay, bonus pay in the relevant
period, full-pay relevant employee, grade and senior leadership flags, ethnic origin codes...);
README.md lists them. They are efl's encoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# efl's column -> the other headers it is read from (compared as header_key writes them).
HEADERS: dict[str, tuple[str, ...]] = {
    "employee_id": ("employee id", "employee number", "employee no", "employee num", "employee ref",
                    "employee reference", "emp no", "emp number", "emp ref", "emp id", "ee no", "ee number",
                    "staff id", "staff number", "staff no", "payroll number", "payroll no", "payroll id",
                    "pay number", "pay no", "person id", "person number", "person ref", "assignment number",
                    "assignment no", "employee code", "id", "ref", "reference", "record id", "anonymised id",
                    "anonymous id", "unique id"),
    "sex": ("gender", "legal sex", "sex at birth", "sex code", "gender code", "sex legal", "biological sex",
            "sex registered at birth"),
    "hourly_pay": ("hourly rate", "ordinary hourly pay", "ordinary hourly rate", "hourly pay rate", "hourly pay gbp",
                   "pay per hour", "rate per hour", "hourly rate of pay", "ordinary pay hourly rate",
                   "ordinary pay per hour", "gpg hourly rate", "hourly rate gpg", "hourly pay gpg", "hourly ordinary pay",
                   "hourly rate ordinary pay"),
    "full_pay": ("full pay relevant", "full pay relevant employee", "full pay relevant employees", "on full pay",
                 "fpre", "full pay employee", "full pay relevant flag", "relevant full pay employee"),
    "reduced_pay": ("reduced pay", "on reduced pay", "reduced pay flag", "reduced pay leave", "reduced pay due to leave",
                    "reduced pay relevant period", "not on full pay", "not full pay", "on reduced or nil pay",
                    "reduced or nil pay", "reduced pay indicator"),
    "bonus_pay": ("bonus", "bonus paid", "bonus amount", "bonus pay amount", "total bonus", "bonus total",
                  "bonus pay relevant period", "bonus pay in relevant period", "bonus in relevant period",
                  "bonus paid in relevant period", "bonus pay 12 months", "bonus paid 12 months",
                  "bonus 12 months", "bonus pay in the 12 months", "relevant bonus pay"),
    "grade": ("pay grade", "grade band", "pay band", "grade code", "salary grade", "band", "pay scale",
              "grade name", "job grade", "salary band"),
    "senior": ("senior grade", "senior manager", "senior leadership team", "senior leadership", "slt",
               "senior management team", "smt", "senior management", "senior staff", "senior post",
               "senior grades", "chief officer", "in senior grades", "senior leader", "slt member", "member of slt",
               "smt member", "senior leadership team member", "senior management team member", "senior flag",
               "senior manager flag", "senior grade flag"),
    "age": ("age band", "age group", "age range", "age at snapshot", "age at snapshot date", "age years",
            "age in years", "current age", "age bracket"),
    "date_of_birth": ("dob", "birth date", "birthdate", "date of birth", "d o b"),
    "disability": ("disabled", "disability status", "disability declared", "disability flag", "has disability",
                   "disability indicator", "disabled person", "consider yourself disabled", "disability code"),
    "race": ("ethnicity", "ethnic group", "ethnic origin", "ethnicity group", "ethnic origin code", "ethnicity code",
             "ethnic code", "ethnic background", "ethnic category", "ethnicity description", "ethnic origin description"),
    "religion_or_belief": ("religion", "religion belief", "religion and belief", "faith", "religion or belief code",
                           "religion code", "faith or belief", "belief"),
    "sexual_orientation": ("sexuality", "sexual orientation code", "orientation"),
    "marriage_civil_partnership": ("marital status", "marriage", "marriage and civil partnership", "marital status code",
                                   "civil status", "marital civil partnership status", "legal partnership status"),
    "pregnancy_maternity": ("pregnancy and maternity", "maternity", "on maternity leave", "pregnant",
                            "pregnancy maternity status", "maternity leave"),
    "gender_reassignment": ("trans status", "gender identity same as at birth", "gender identity",
                            "gender identity same as sex registered at birth", "trans", "transgender",
                            "is your gender identity the same as sex registered at birth",
                            "is your gender identity the same as the sex you were registered at birth",
                            "is your gender identity the same as the sex you were assigned at birth",
                            "is the gender you identify with the same as your sex registered at birth",
                            "gender identity same as sex assigned at birth", "gender identity same as birth",
                            "gender reassignment status", "trans history", "do you consider yourself trans",
                            "do you identify as trans"),
}

# What each column holds, for messages that suggest a mapping.
WHAT = {
    "employee_id": "each employee's anonymised id",
    "sex": "each employee's sex",
    "hourly_pay": "ordinary pay per hour in the pay period that includes the snapshot date",
    "full_pay": "whether the employee was on full pay (false for reduced pay through leave)",
    "reduced_pay": "whether the employee was on reduced or nil pay through leave in the pay period (yes or no)",
    "bonus_pay": "the bonus paid in the 12 months ending on the snapshot date",
    "grade": "the employee's grade",
    "senior": "whether the employee is in the senior grades (yes or no)",
    "age": "the employee's age or age band",
    "date_of_birth": "the employee's date of birth",
}

# Words that make a header look like a column efl reads (for suggestions only: never read on them).
# Compiled when a file first has a column efl does not read (:func:`_looks_like`), not while efl
# starts: these 17 were a fifth of the regular expressions every start-up compiled.
_LOOKS_LIKE_WORDS: tuple[tuple[str, str], ...] = (
    ("bonus_pay", r"\bbonus"),
    ("hourly_pay", r"\bhourly\b|\bper hour\b|\bhour rate\b|\bhrly\b|\brate\b.*\bhour|\bbasic rate\b|\bordinary pay\b"),
    ("full_pay", r"\bfull pay\b|\brelevant employee\b|\bfpre\b"),
    ("reduced_pay", r"\breduced\b|\bhalf pay\b|\bnil pay\b|\bno pay\b|\bunpaid leave\b"),
    ("senior", r"\bsenior\b|\bslt\b|\bsmt\b|\bleadership\b|\bchief officer\b|\bmanagement team\b"),
    ("employee_id", r"\b(emp|employee|staff|payroll|person|assignment)\b.*\b(no|num|number|id|ref|code)\b"),
    ("sex", r"\bsex\b|^gender\b(?!.*identity)"),
    ("grade", r"\bgrade\b|\bband\b|\bscale\b|\bspinal\b"),
    ("age", r"\bage\b"),
    ("date_of_birth", r"\bbirth\b|\bdob\b"),
    ("race", r"\bethnic"),
    ("disability", r"\bdisab"),
    ("religion_or_belief", r"\brelig|\bfaith\b|\bbelief\b"),
    ("sexual_orientation", r"\bsexual|\borientation\b"),
    ("marriage_civil_partnership", r"\bmarit|\bmarriage\b|\bcivil partner"),
    ("pregnancy_maternity", r"\bmaternity\b|\bpregnan"),
    ("gender_reassignment", r"\btrans\b|\btransgender\b|gender identity|\breassignment\b"),
)


@lru_cache(maxsize=1)
def _looks_like() -> list[tuple[str, re.Pattern]]:
    """The words above, compiled (once)."""
    return [(c, re.compile(p)) for c, p in _LOOKS_LIKE_WORDS]


_UNITS = re.compile(r"\((?:£|gbp|%|y\s*/\s*n|yes\s*/\s*no|true\s*/\s*false|per hour|£\s*/\s*h(?:ou)?r|hrs?|ph)\)",
                    re.IGNORECASE)


@lru_cache(maxsize=4096)  # the same few dozen headers in every council of a national run
def header_key(header: str) -> str:
    """How headers are compared: ``Hourly Rate (£)``, ``hourly_rate`` and ``HOURLY-RATE`` are one name."""
    text = _UNITS.sub(" ", str(header).replace("\ufeff", "")).replace("£", " ").lower()
    text = re.sub(r"\b(y\s*/\s*n|yes\s*/\s*no)\b", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.replace("&", " and ")).split())


@dataclass
class ColumnPlan:
    """Where each column efl reads is in one file, and what to say about the others.

    ``where``: efl's column -> position; ``how``: efl's column -> the header as written and whether the
    council mapped it; ``unread``: positions of columns efl does not read; ``looks_like``: for an unread
    column, the columns it looks like.
    """

    where: dict[str, int] = field(default_factory=dict)
    how: dict[str, tuple[str, bool]] = field(default_factory=dict)
    unread: list[int] = field(default_factory=list)
    looks_like: dict[int, list[str]] = field(default_factory=dict)
    clashes: dict[str, list[int]] = field(default_factory=dict)  # column -> other headers that are also its names


@lru_cache(maxsize=512)
def _names_of(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """A column's name and its other names as header keys, in order (the same for every council: kept,
    keyed by the names themselves, so a changed HEADERS entry is a new key)."""
    return (header_key(name), *(header_key(a) for a in aliases))


def plan_columns(headers: list[str], wanted: list[str], mapped: dict[str, str]) -> ColumnPlan:
    """Find each wanted column among the headers (as written): the council's mapping first, then efl's
    name, then the names above; a header is read as one column at most."""
    keys = [header_key(h) for h in headers]
    plan = ColumnPlan()
    taken: set[int] = set()
    for name, header in mapped.items():
        k = header_key(header)
        if k in keys:
            i = keys.index(k)
            plan.where[name] = i
            plan.how[name] = (headers[i], True)
            taken.add(i)
    for name in wanted:
        if name in plan.where:
            continue
        names = _names_of(name, tuple(HEADERS.get(name, ())))
        found = [i for i in range(len(keys)) if keys[i] in names and i not in taken]
        if not found:
            continue
        found.sort(key=lambda i: names.index(keys[i]))
        plan.where[name] = found[0]
        plan.how[name] = (headers[found[0]], False)
        taken.add(found[0])
        if len(found) > 1:
            plan.clashes[name] = found[1:]
            taken.update(found[1:])
    for i, k in enumerate(keys):
        if i in taken or not k:
            continue
        plan.unread.append(i)
        like = [c for c, pattern in _looks_like() if c in wanted and pattern.search(k)]
        if like:
            plan.looks_like[i] = like
    return plan


def mapping_line(column: str, header: str) -> str:
    """The ``columns:`` line that maps a header, as the council would write it in assessment.yaml."""
    return f"columns: {{{column}: \"{header}\"}}"
