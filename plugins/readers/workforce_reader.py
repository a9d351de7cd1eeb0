"""Reading a ``workforce-profile``: one anonymised row per employee on the snapshot date, as HR and
payroll systems export it.

The file is read column by column (:func:`efl.read_columns`): a council of tens of thousands of staff
is a few hundred distinct pay rates and a handful of codes, each read once. Every column is read,
mapped by the council or named in a warning (:mod:`efl_plugins.readers.workforce_columns`); a figure whose
column is missing is recorded in ``missing`` with the reason and the fix, and the figures say "not
worked out", never 0. Every person is accounted for: a row that cannot enter a figure is counted in
the figure's "left out" note, and a value efl does not recognise is a warning with its position.
People's answers are read through the Census 2021 classifications (``efl.classifications_for``), so
``WBRI`` and ``White - British`` are one group; ages may be bands, single years or dates of birth
(turned into ages on the snapshot date).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from efl import (characteristic_label, CHARACTERISTICS, Column, Diagnostic, DiagnosticSink, EvidenceError,
                 warning)
from efl.provisional import (age_band, classifications_for, DECLINED, encoded_column, GROUP, header_column,
                             NOT_RECORDED, OTHER_ANSWER, parse_decimal, read_columns, row_count,
                             unique_and_filled, UNRECOGNISED, vocabulary_for)

from efl_plugins.readers.workforce_columns import HEADERS, WHAT, header_key, mapping_line, plan_columns

PERSONAL = [c for c in CHARACTERISTICS if c != "sex"]
ID_COLUMN = Column("employee_id", required=True)
WORKFORCE_COLUMNS = [
    Column("hourly_pay", "decimal"),
    Column("full_pay", "bool", default=True),
    Column("reduced_pay", "bool", default=False),
    Column("bonus_pay", "decimal", default=0.0),
    Column("senior", "bool", default=False),
]
DATE_OF_BIRTH = Column("date_of_birth", "date")
# Read as people's answers through the vocabulary (efl.workforce.groups), not as typed cells.
PEOPLE_COLUMNS = [Column("sex", required=True), *[Column(c) for c in PERSONAL]]
WANTED = ["employee_id", "hourly_pay", "full_pay", "reduced_pay", "bonus_pay", "grade", "senior", "date_of_birth", "sex", *PERSONAL]
# Columns whose absence leaves a figure not worked out, and what the figure is.
MEASURES = {"hourly_pay": "the gender pay gap in hourly pay and the pay quarters",
            "bonus_pay": "the bonus figures (the bonus gaps and the proportions of men and women paid a bonus)",
            "senior": "the comparison of senior staff with the community"}
# An ordinary hourly rate above this is surely annual or monthly pay typed in the wrong column (a
# council chief executive's salary is under £150 an hour); it is a warning, not an error.
HOURLY_PAY_CEILING = 250.0
# Past this many rows, further warnings of one kind are counted, not listed.
MAX_ROW_WARNINGS = 20
# The employee ids of the example rows 'efl init' writes (efl/scaffold.py).
TEMPLATE_IDS = ("EXAMPLE-1", "EXAMPLE-2")
# A declared headcount this far from the workforce file's row count is worth a warning.
HEADCOUNT_TOLERANCE = 0.05
# Cells read as yes or no (a yes/no column where amounts are expected is a flag, not the amounts).
YES_NO_WORDS = {"true", "false", "yes", "no", "y", "n"}
# Answers to "what is your gender?" found in a gender identity column: they do not say whether the
# identity is the same as the sex registered at birth (the Census question for gender reassignment).
GENDER_WORDS = {"man", "woman", "male", "female", "men", "women", "m", "f", "boy", "girl"}


@dataclass
class WorkforceProfile:
    """One row per employee on the snapshot date, as the figures need it.

    :ivar employees: how many rows (people) the file lists.
    :ivar sex: per person, ``"female"``, ``"male"`` or None (left out of the pay gap: ``answers["sex"]``
        counts why).
    :ivar hourly_pay: per person, ordinary hourly pay, or None where the cell is empty.
    :ivar full_pay, bonus_pay: per person, with the documented defaults (true, 0) where a cell is empty.
    :ivar groups: per characteristic column present (sex included), how many people are in each group.
    :ivar senior_groups: the same for people in senior grades (empty without a ``senior`` column).
    :ivar answers: per characteristic column present, how many people gave each kind of answer
        (a group, not recorded, declined; for sex also another answer or not recognised).
    :ivar readings: per characteristic column present (sex aside), each person's answer as the
        vocabulary reads it (a ``Reading``: kind, group, classified), in row order, for figures by
        group such as the ethnicity and disability pay gaps.
    :ivar ages: per person, the ages their age cell covers (first, last; last None for "and over"),
        from a band, a single year or a date of birth on the snapshot date; None if not known. Empty
        without an age or date of birth column.
    :ivar senior: per person, whether in the senior grades (all false without a ``senior`` column).
    :ivar columns: efl's names of the columns the file has.
    :ivar headers: efl's column name -> the header it was read from, as written, and whether the
        council mapped it (``columns:``).
    :ivar missing: efl's column name -> why a figure that needs it is not worked out, with the fix.
    :ivar warnings: suspicious but usable values, with positions.
    """

    employees: int
    sex: list[str | None]
    hourly_pay: list[float | None]
    full_pay: list[bool]
    bonus_pay: list[float]
    groups: dict[str, Counter]
    senior_groups: dict[str, Counter]
    answers: dict[str, Counter]
    columns: set[str]
    warnings: list[Diagnostic] = field(default_factory=list)
    readings: dict[str, list[Any]] = field(default_factory=dict)
    ages: list[tuple[int, int | None] | None] = field(default_factory=list)
    senior: list[bool] = field(default_factory=list)
    headers: dict[str, tuple[str, bool]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    snapshot: dt.date | None = None

    def rows_of(self, name: str) -> Any:
        """Field ``name`` as it was read: a column read by Arrow keeps its codes
        (``efl.files.columnar.Coded``) and makes its list of rows only if a row is read; the figures
        over whole columns use this rather than the field itself, which is always a complete list."""
        return self.__dict__[name] if name in ROW_FIELDS else getattr(self, name)


class _Rows:
    """A field of :class:`WorkforceProfile` with one value per row (or a dict of such): kept as it was
    read (from a large file, a column of codes whose list is made only when a row is read), and read
    as a complete list. Figures over whole columns take the kept form (:meth:`WorkforceProfile.rows_of`)
    and count codes instead of walking rows."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, profile: Any, owner: Any = None) -> Any:
        if profile is None:
            return self
        value = profile.__dict__[self.name]
        for column in value.values() if isinstance(value, dict) else (value,):
            getattr(column, "filled", lambda: None)()
        return value

    def __set__(self, profile: Any, value: Any) -> None:
        profile.__dict__[self.name] = value


ROW_FIELDS = ("sex", "hourly_pay", "full_pay", "bonus_pay", "readings", "ages", "senior")
for _field in ROW_FIELDS:
    setattr(WorkforceProfile, _field, _Rows(_field))


def parse_workforce(table, item, assessment) -> WorkforceProfile:  # noqa: ANN001
    sink = DiagnosticSink()
    warnings: list[Diagnostic] = []
    headers = list(getattr(table, "header", None) or table.columns)
    mapped = dict(getattr(item, "columns", None) or {})
    plan = plan_columns(headers, WANTED, {k.strip().lower(): v for k, v in mapped.items()})
    flags = _yes_no_amounts(table, plan, warnings)
    missing = _missing_measures(table, plan, headers, flags)
    # The table reads the columns where the plan found them (the council's names first).
    table.column_map = {name: headers[i] for name, i in plan.where.items()}
    if "employee_id" not in plan.where:
        sink.add(table.path, 1, 1, _missing_required("employee_id", plan, headers))
    if "sex" not in plan.where:
        sink.add(table.path, 1, 1, _missing_required("sex", plan, headers))
    typed = read_columns(table, WORKFORCE_COLUMNS + ([DATE_OF_BIRTH] if "date_of_birth" in plan.where else []),
                         sink=sink)
    _check_unique_ids(table, plan.where.get("employee_id"), sink)
    if sink:
        raise EvidenceError(sink.items)
    warnings += typed.warnings
    full_pay = _full_pay(table, typed, plan, warnings)
    vocabulary = vocabulary_for(assessment)
    library = classifications_for(assessment)
    n = row_count(table)
    snapshot = getattr(item, "date", None)
    groups: dict[str, Counter] = {}
    senior_groups: dict[str, Counter] = {}
    answers: dict[str, Counter] = {}
    readings_by_column: dict[str, list[Any]] = {}
    sex: list[str | None] = [None] * n
    senior = typed.values["senior"] if "senior" in typed.present else None
    ages: list[tuple[int, int | None] | None] = []
    for spec in PEOPLE_COLUMNS:
        if spec.name not in plan.where:
            continue
        i = plan.where[spec.name]
        column = encoded_column(table, i)
        # The senior staff's tally first: a column read by Arrow counts both at once (ArrowColumn.tally).
        senior_tally = column.tally(senior) if senior is not None else None
        tally = column.tally()
        classification = library.get(spec.name)
        yes_no = classification.yes_no(headers[i]) if classification is not None else None
        readings = [vocabulary.read(spec.name, cell, yes_no) for cell in column.distinct]
        kinds: Counter = Counter()
        for code, count in tally.items():
            kinds[readings[code].kind] += count
        answers[spec.name] = kinds
        if spec.name != "sex":  # sex is read into ``sex`` below
            readings_by_column[spec.name] = column.map(readings)
        if spec.name == "sex":
            sex = column.map([r.group if r.kind == GROUP else None for r in readings])
            warnings += _sex_warnings(table, i, column, tally, readings)
        elif spec.name == "age":
            bounds = [_age_bounds(cell) for cell in column.distinct]
            ages = column.map(bounds)
            warnings += _age_warnings(table, i, column, tally, readings, bounds)
        elif classification is not None and classification.categories:
            warnings += _unplaced_warnings(table, i, column, tally, readings, classification, headers[i], yes_no)
        groups[spec.name] = _group_counts(tally, readings)
        if senior is not None:
            senior_groups[spec.name] = _group_counts(senior_tally, readings)
    if "date_of_birth" in typed.present and snapshot is not None:
        born = typed.values["date_of_birth"]
        from_birth = [_age_on(day, snapshot) if day is not None else None for day in born]
        warnings += _birth_warnings(table, plan.where["date_of_birth"], from_birth)
        from_birth = [a if a is None or 0 <= a < 120 else None for a in from_birth]
        if not ages:
            ages = [(a, a) if a is not None else None for a in from_birth]
        else:  # an age column and a date of birth: the age column's cell wins where it has one
            ages = [a if a is not None else ((b, b) if b is not None else None) for a, b in zip(ages, from_birth)]
        if "age" not in groups:
            groups["age"] = Counter(str(a) for a in from_birth if a is not None)
            answers["age"] = Counter({GROUP: sum(1 for a in from_birth if a is not None),
                                      NOT_RECORDED: sum(1 for a in from_birth if a is None)})
            if senior is not None:
                senior_groups["age"] = Counter(str(a) for a, s in zip(from_birth, senior) if a is not None and s)
    warnings += _pay_warnings(table, typed, plan.where)
    warnings += _column_warnings(table, plan, headers, missing, mapped)
    if n and n <= len(TEMPLATE_IDS) and _template_rows(table, plan.where.get("employee_id")):
        warnings.append(warning(table.path, 0, 0, "this file still holds the example rows 'efl init' wrote "
                                f"({', '.join(TEMPLATE_IDS)}), so the headcount and every workforce figure come from "
                                "them (expected one row per employee: replace the examples with your own data)"))
    declared = getattr(getattr(assessment, "council", None), "employees", None)
    if isinstance(declared, int) and declared and abs(declared - n) > max(5, declared * HEADCOUNT_TOLERANCE):
        warnings.append(warning(table.path, 0, 0, f"this file lists {n:,} employees but assessment.yaml says the "
                                f"council employs {declared:,}; efl uses the file's {n:,} (expected the two to agree "
                                f"within {HEADCOUNT_TOLERANCE:.0%}: is the file complete, or is the figure out of date?)"))
    present = set(plan.where) - set(flags)
    return WorkforceProfile(n, sex, typed.values["hourly_pay"], full_pay, typed.values["bonus_pay"],
                            groups, senior_groups, answers, present, warnings, readings_by_column, ages,
                            senior if senior is not None else [False] * n,
                            {k: v for k, v in plan.how.items() if k not in flags}, missing, snapshot)


# --- columns ---------------------------------------------------------------------------------------

def _full_pay(table, typed, plan, warnings: list[Diagnostic]) -> list[bool]:  # noqa: ANN001
    """Who is on full pay: the full_pay column, else the opposite of a reduced_pay column (HR systems
    flag the few on reduced or nil pay through leave), else everyone (the documented default)."""
    if "reduced_pay" not in typed.present:
        return typed.values["full_pay"]
    if "full_pay" in typed.present:
        warnings.append(warning(table.path, 1, header_column(table, plan.where["reduced_pay"]),
                                f"the file has both '{plan.how['full_pay'][0]}' and '{plan.how['reduced_pay'][0]}'; "
                                f"efl reads who is on full pay from '{plan.how['full_pay'][0]}' (expected one of "
                                "them: if the other is the right one, map it with columns:)"))
        return typed.values["full_pay"]
    reduced = typed.values["reduced_pay"]
    remap = getattr(reduced, "remap", None)  # a column read by Arrow: each distinct value looked at once
    return remap(operator.not_) if remap is not None else [not r for r in reduced]


def _yes_no_amounts(table, plan, warnings: list[Diagnostic]) -> set[str]:  # noqa: ANN001
    """Amount columns found by name that hold only yes or no (a "bonus paid?" flag): not read as amounts."""
    flags = set()
    for name in ("hourly_pay", "bonus_pay"):
        i = plan.where.get(name)
        if i is None or plan.how[name][1]:
            continue  # a column the council mapped is read as it asks; bad cells are errors there
        cells = {c.strip().lower() for c in encoded_column(table, i).distinct} - {""}
        if cells and cells <= YES_NO_WORDS:
            flags.add(name)
            del plan.where[name]
            plan.unread.append(i)
            plan.looks_like[i] = [name]
            warnings.append(warning(table.path, 1, header_column(table, i),
                                    f"column '{plan.how[name][0]}' holds yes or no, not amounts, so it is not read as "
                                    f"{name} (expected {WHAT[name]}, in pounds)"))
    return flags


def _is_slip(header: str, name: str) -> bool:
    """Whether a header is a typing slip of a name: a letter or two out, doubled, missing or swapped."""
    import difflib

    a, b = header_key(header), header_key(name)
    if not a or not b:
        return False
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.85:
        return True
    allowed = 1 if max(len(a), len(b)) <= 8 else 2
    return abs(len(a) - len(b)) <= allowed and _edits(a, b) <= allowed


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, change, swap two neighbours) that turn a into b."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        now = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            now[j] = min(row[j] + 1, now[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                now[j] = min(now[j], before[j - 2] + 1)
        before, row = row, now
    return row[-1]


def _near_misses(name: str, plan, headers: list[str]) -> list[str]:  # noqa: ANN001
    """Unread headers that look like efl's column ``name``: by their words, or as a typing slip of it."""
    names = [n for n in (name, *HEADERS.get(name, ()))]
    return [headers[i] for i in plan.unread if name in plan.looks_like.get(i, ())
            or any(_is_slip(headers[i], n) for n in names)]


def _guess(name: str, like: list[str]) -> str:
    """" (did you mean 'bonus_pay'?)" after the look-alike headers of efl's column ``name``."""
    return f" (did you mean {'' if len(like) == 1 else 'one of them for '}'{name}'?)"


def _describe(name: str) -> str:
    """efl's column with what it holds, for a "did you mean": ``'race' (ethnic group)``."""
    words = {"race": "ethnic group"}.get(name) or (characteristic_label(name) if name in CHARACTERISTICS
                                                   else WHAT.get(name, ""))
    return f"'{name}'" + (f" ({words})" if words and words != name.replace("_", " ") else "")


def _missing_measures(table, plan, headers: list[str], flags: set[str]) -> dict[str, str]:  # noqa: ANN001
    """For each figure whose column is missing: why it is not worked out, and how to fix that."""
    out = {}
    for name in MEASURES:
        if name in plan.where:
            continue
        like = _near_misses(name, plan, headers)
        word = {"hourly_pay": "hourly pay", "bonus_pay": "bonus", "senior": "senior grades"}[name]
        text = f"no {word} column was found in the workforce file"
        if name in flags:
            text = f"the workforce file's {word} column holds yes or no, not amounts"
        if like:
            names = " and ".join(f"'{h}'" for h in like)
            which = "it" if len(like) == 1 else "the one that holds " + WHAT[name]
            text += (f"; the file has {names}{_guess(name, like)}: if {'that' if len(like) == 1 else 'one of them'} "
                     f"holds {WHAT[name]}, map {which} on the evidence item in assessment.yaml with "
                     f"{mapping_line(name, like[0])}")
            if name == "hourly_pay":
                text += (" (ordinary pay counts allowances and shift premium pay as well as basic pay; a basic "
                         "rate alone understates it)")
        else:
            text += f"; add a column {name} with {WHAT[name]}"
            if name == "bonus_pay":
                text += " (0 for an employee paid no bonus; a file of 0s gives 0% for both sexes)"
            elif name == "senior":
                text += ", or map the column that marks them with columns: {senior: \"...\"}"
        out[name] = text
    return out


def _missing_required(name: str, plan, headers: list[str]) -> str:  # noqa: ANN001
    like = _near_misses(name, plan, headers)
    hint = (f"; the file has '{like[0]}'{_guess(name, like[:1])}: if it holds {WHAT[name]}, map it on the evidence "
            f"item in assessment.yaml with {mapping_line(name, like[0])}") if like else ""
    return f"column '{name}' is missing (expected it in the header row{hint})"


PAY_FLAGS = ("full_pay", "reduced_pay")


def _column_warnings(table, plan, headers: list[str], missing: dict[str, str], mapped) -> list[Diagnostic]:  # noqa: ANN001
    """Every column efl does not read is named, at its position: as a possible column efl needs (with
    "did you mean" and the mapping that would read it), as a second name for one it reads, or as not
    used."""
    out: list[Diagnostic] = []
    known = {header_key(alias): name for name, aliases in HEADERS.items() for alias in (name, *aliases)}
    unused: list[int] = []
    told: set[str] = set()
    full_pay_read = any(c in plan.where for c in PAY_FLAGS)
    for i in plan.unread:
        header = headers[i]
        at = (table.path, 1, header_column(table, i))
        like = list(plan.looks_like.get(i, ()))
        if full_pay_read:
            like = [c for c in like if c not in PAY_FLAGS] or [c for c in like if c in plan.where]
        missing_like = [c for c in like if c not in plan.where]
        if not missing_like:
            missing_like = [c for c in missing if header in _near_misses(c, plan, headers)]
        if missing_like:
            name = missing_like[0]
            if name in missing and name not in told:
                told.add(name)
                out.append(warning(*at, f"{missing[name]}: until then {MEASURES[name]} "
                                   f"{'is' if name == 'senior' else 'are'} not worked out"))
            elif name not in missing:
                until = ("; until then every employee is counted as on full pay, and the hourly pay figures rest "
                         "on that" if name in PAY_FLAGS and not full_pay_read else "")
                out.append(warning(*at, f"column '{header}' is not one efl reads (did you mean {_describe(name)}?): "
                                   f"if it is, map it on the evidence item in assessment.yaml with "
                                   f"{mapping_line(name, header)}{until}"))
            continue
        if like:
            name = like[0]
            used = plan.how[name][0]
            out.append(warning(*at, f"column '{header}' looks like {name} too, which efl reads from '{used}'; if "
                               f"'{header}' is the right one, map it with {mapping_line(name, header)}"))
            continue
        guess = [k for k in known if known[k] not in plan.where and _is_slip(header, k)]
        if guess:
            name = known[guess[0]]
            alias = "" if guess[0] == header_key(name) else f"'{guess[0]}', read as "
            out.append(warning(*at, f"column '{header}' is not one efl reads (did you mean {alias}{_describe(name)}?): "
                               f"if it is, map it on the evidence item in assessment.yaml with "
                               f"{mapping_line(name, header)}"))
            continue
        unused.append(i)
    for name, others in plan.clashes.items():
        first = plan.how[name][0]
        for i in others:
            out.append(warning(table.path, 1, header_column(table, i),
                               f"columns '{first}' and '{headers[i]}' both name {name}; efl reads '{first}' (if "
                               f"'{headers[i]}' is the one, map it with {mapping_line(name, headers[i])})"))
    for name, text in missing.items():
        if name not in told:
            # No look-alike column: said once, without a position in the file.
            out.append(warning(table.path, 0, 0, f"{text}: until then {MEASURES[name]} "
                               f"{'is' if name == 'senior' else 'are'} not worked out"))
    if unused:
        # One warning for them all (a paper lists every warning), each column with its position.
        listed = ", ".join(f"'{headers[i]}' (line 1, column {header_column(table, i)})" for i in unused)
        one = len(unused) == 1
        out.append(warning(table.path, 1, header_column(table, unused[0]),
                           f"efl does not read {'this column' if one else 'these columns'}, so "
                           f"{'it is' if one else 'they are'} kept but not used: {listed} (expected nothing to do, "
                           "unless one holds something efl reads: README.md lists the column names it knows, and "
                           "columns: on the evidence item maps others)"))
    return out


# --- people's answers ------------------------------------------------------------------------------

def _group_counts(tally: Counter, readings) -> Counter:  # noqa: ANN001
    """People per group (several spellings of one group add up), leaving out those with no answer."""
    counts: Counter = Counter()
    for code, count in tally.items():
        if readings[code].kind == GROUP:
            counts[readings[code].group] += count
    return counts


def _first_row(column, codes: set[int]) -> int:  # noqa: ANN001
    return column.rows_with(codes)[0]


def _unplaced_warnings(table, i: int, column, tally: Counter, readings, classification, header: str,  # noqa: ANN001
                       yes_no) -> list[Diagnostic]:  # noqa: ANN001
    """One warning per column for the answers the Census classification does not know, at the first."""
    codes = {code for code, r in enumerate(readings) if r.kind == GROUP and r.classified is False}
    if not codes:
        return []
    char = classification.characteristic
    values = sorted({column.distinct[c].strip() for c in codes})
    rows = sum(tally[c] for c in codes)
    bare = [v for v in values if v.lower() in YES_NO_WORDS]
    label = characteristic_label(char)
    if bare and yes_no is None and classification.asks_yes_no:
        text = (f"{header}: the column holds {' and '.join(repr(v) for v in bare)}, but its name does not say what a "
                "yes means (the same as sex registered at birth, or trans), so those answers are not compared with "
                "the Census (expected a name such as 'Gender identity same as at birth' or 'Trans status', or the "
                f"answers named under values: groups: {char}: in assessment.yaml)")
    elif char == "gender_reassignment" and any(v.lower() in GENDER_WORDS for v in values):
        said = [v for v in values if v.lower() in GENDER_WORDS]
        text = (f"{header}: {rows:,} {'row says' if rows == 1 else 'rows say'} "
                f"{', '.join(repr(v) for v in values[:8])}; {' and '.join(repr(v) for v in said[:4])} "
                f"{'says' if len(said) == 1 else 'say'} a gender, not whether it is the same as the sex registered "
                "at birth, so those answers are kept but not compared with the Census for "
                "gender reassignment (expected answers to 'Is your gender identity the same as the sex you were "
                "registered at birth?', or a trans status column)")
    else:
        shown = ", ".join(f"'{v}'" for v in values[:8]) + (f" and {len(values) - 8} more" if len(values) > 8 else "")
        text = (f"{header}: {rows:,} {'row says' if rows == 1 else 'rows say'} {shown}, which "
                f"{'is not one of' if len(values) == 1 else 'are not among'} the Census 2021 groups for {label}; "
                f"{'it is' if len(values) == 1 else 'they are'} kept, but not compared with the Census (expected "
                "ONS's labels or an HR form of them; if your system writes a Census group its own way, name it "
                f"under values: groups: {char}: in assessment.yaml, e.g. {{\"{classification.name(classification.leaves()[0])}\": "
                f"[\"{values[0]}\"]}} if that is what it means)")
    return [warning(table.path, *table.position(_first_row(column, codes), i), text)]


def _sex_warnings(table, i: int, column, tally: Counter, readings) -> list[Diagnostic]:  # noqa: ANN001
    """One warning per distinct value that cannot be placed, at its first row, with how many rows have it."""
    out = []
    for code, reading in enumerate(readings):
        if reading.kind not in (OTHER_ANSWER, UNRECOGNISED):
            continue
        cell = column.distinct[code]
        r = _first_row(column, {code})
        rows = tally[code]
        many = f"{rows} rows say" if rows > 1 else "1 row says"
        if reading.kind == OTHER_ANSWER:
            what = (f"sex: {many} '{cell.strip()}', which records a gender identity or another answer, not "
                    "biological sex; those employees are left out of the pay gap figures (expected female or "
                    "male: the updated guidance asks for everyone's biological sex, so complete these records)")
        else:
            what = (f"sex: {many} '{cell.strip()}', which efl does not recognise; those employees are left out of "
                    "the pay gap figures (expected female or male, e.g. F, M, Woman, Man, or a not-recorded "
                    "value such as Not known; a council's own codes can be added under values: in "
                    "assessment.yaml)")
        out.append(warning(table.path, *table.position(r, i), what))
    return out


# --- ages ------------------------------------------------------------------------------------------

def _age_bounds(cell: str) -> tuple[int, int | None] | None:
    """The ages one age cell covers: a band (``25-34``, ``Aged 65 years and over``) or a single year."""
    text = cell.strip()
    if not text:
        return None
    band = age_band(text)
    if band is not None and 0 <= band[0] < 120:
        return band
    return None


def _age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a birthday on ``day`` counts)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_warnings(table, i: int, column, tally: Counter, readings, bounds) -> list[Diagnostic]:  # noqa: ANN001
    codes = {code for code, (r, b) in enumerate(zip(readings, bounds)) if r.kind == GROUP and b is None}
    if not codes:
        return []
    values = sorted({column.distinct[c].strip() for c in codes})
    shown = ", ".join(f"'{v}'" for v in values[:5])
    return [warning(table.path, *table.position(_first_row(column, codes), i),
                    f"age: {shown} {'is not an age or age band' if len(values) == 1 else 'are not ages or age bands'}, "
                    "so those employees are not compared with the community by age (expected an age such as 37, "
                    "a band such as 25-34 or 65+, or a date_of_birth column)")]


def _birth_warnings(table, i: int, ages: list[int | None]) -> list[Diagnostic]:  # noqa: ANN001
    odd = [r for r, a in enumerate(ages) if a is not None and not 14 <= a < 100]
    out = []
    for r in odd[:MAX_ROW_WARNINGS]:
        a = ages[r]
        out.append(warning(table.path, *table.position(r, i),
                           f"date_of_birth: an age of {a} on the snapshot date is not plausible for an employee "
                           "(expected a date of birth giving an age from 14 to 99; is the year right?)"))
    return out


# --- checks ----------------------------------------------------------------------------------------

def _check_unique_ids(table, i: int | None, sink: DiagnosticSink) -> None:  # noqa: ANN001
    """Every employee id filled in and unique (checked on the distinct values; rows walked only if not)."""
    if i is None or unique_and_filled(table, i):
        return
    column = encoded_column(table, i)
    stripped = [cell.strip() for cell in column.distinct]
    seen: dict[str, int] = {}
    for r, key in enumerate(column.map(stripped)):
        if not key:
            sink.add(table.path, *table.position(r, i),
                     f"employee_id: the cell is empty (expected {ID_COLUMN.expected()})")
        elif key in seen:
            sink.add(table.path, *table.position(r, i),
                     f"employee_id: '{key}' also appears on line {seen[key]} (expected unique ids)")
        elif key:
            seen[key] = table.lines[r]


def _pay_warnings(table, typed, where: dict[str, int]) -> list[Diagnostic]:  # noqa: ANN001
    """Plausibility of pay: hourly pay of 0 or above the ceiling, a bonus with no hourly pay.

    Judged on each distinct value once; only the rows holding an implausible one are looked up.
    """
    out: list[Diagnostic] = []
    if "hourly_pay" not in typed.present:
        return out
    i = where["hourly_pay"]
    hourly = encoded_column(table, i)
    pay = [_number(cell) for cell in hourly.distinct]
    odd = {code for code, value in enumerate(pay) if value is not None and (value == 0 or value > HOURLY_PAY_CEILING)}
    rows = hourly.rows_with(odd) if odd else []
    for r in rows[:MAX_ROW_WARNINGS]:
        value = pay[hourly.code_at(r)]
        if value == 0:
            text = ("hourly_pay: 0 is not a plausible hourly rate (expected the ordinary pay per hour; leave the "
                    "cell empty if it is not known)")
        else:
            text = (f"hourly_pay: £{value:,.2f} an hour is above £{HOURLY_PAY_CEILING:,.0f}, more than any council "
                    "pays (expected pay per hour: is this annual or monthly pay?)")
        out.append(warning(table.path, *table.position(r, i), text))
    if len(rows) > MAX_ROW_WARNINGS:
        out.append(warning(table.path, 0, 0, f"hourly_pay: {len(rows) - MAX_ROW_WARNINGS:,} more rows with an "
                           "implausible hourly rate (expected pay per hour)"))
    if "bonus_pay" in typed.present:
        j = where["bonus_pay"]
        bonus = encoded_column(table, j)
        paid = {code for code, cell in enumerate(bonus.distinct) if _number(cell)}
        unpaid = {code for code, value in enumerate(pay) if not value}
        rows = bonus.rows_with(paid, hourly, unpaid) if paid and unpaid else []
        for r in rows[:MAX_ROW_WARNINGS]:
            out.append(warning(table.path, *table.position(r, j),
                               "bonus_pay: a bonus is recorded for someone with no hourly pay (expected hourly pay too)"))
        if len(rows) > MAX_ROW_WARNINGS:
            out.append(warning(table.path, 0, 0, f"bonus_pay: {len(rows) - MAX_ROW_WARNINGS:,} more rows with a bonus "
                               "but no hourly pay (expected hourly pay too)"))
    return out


def _template_rows(table, i: int | None) -> bool:  # noqa: ANN001
    return i is not None and any(cell.strip() in TEMPLATE_IDS for cell in encoded_column(table, i).distinct)


def _number(cell: str) -> float | None:
    try:
        return parse_decimal(cell) if cell.strip() else None
    except ValueError:
        return None
