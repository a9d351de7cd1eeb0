"""Census 2021 tables as ONS lays out its downloads, read into a community profile's rows.

Two layouts are read besides efl's own (``characteristic, group, count`` or ``percent``, with an
optional ``age`` column):

* **a custom dataset or a table downloaded from ons.gov.uk** ("long"): one row per area and category,
  each variable a pair of columns (``Ethnic group (20 categories) Code``, ``Ethnic group (20
  categories)``), the count in ``Observation``. A table that crosses a characteristic with age
  (``Age (6 categories)`` and ``Disability (3 categories)``) keeps the age of each count, so the
  residents can be cut to the working ages staff are compared within;
* **a nomis bulk download** ("wide"): one row per area, one column per category
  (``Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi; measures: Value``), and the
  table's total (``Ethnic group: Total: All usual residents``), which says whom it counts.

A file with figures for several areas is read for the council's area (its name in the file's area
column, e.g. ``Testshire`` for "Testshire County Council"); otherwise the file is refused with the areas
it has. Which characteristic a column is comes from the Census classifications' variable names
(``efl.classifications_for``) or the characteristic's own name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from efl import CHARACTERISTICS, CommunityRow, Diagnostic, EvidenceError, warning
from efl.provisional import encoded_column, normalise_characteristic, parse_decimal, row_count, word_key

GEOGRAPHY_WORDS = ("local_authorit", "lower_tier", "upper_tier", "output_area", "lsoa", "msoa", "ward", "region",
                   "country", "geography", "ltla", "utla", "la_name", "area", "district", "county")
META = {"date", "geography", "geography_code", "geography_type", "rural_urban", "mnemonic"}
# Suppressed or missing cells in ONS and nomis downloads.
NO_FIGURE = {"", "x", "..", ".", "-", "c", "z", "*", ":"}
_MEASURES = re.compile(r";\s*measures\s*:\s*(\w+)\s*$", re.IGNORECASE)


def _loose(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", str(text).lower()).split())


class Variables:
    """Which characteristic (or age) a variable name is: ``Ethnic group (20 categories)`` is race."""

    def __init__(self, library: Any, allowed: tuple[str, ...]):
        self.library = library
        self.names = _variable_names(library)
        self.allowed = allowed

    def characteristic(self, name: str) -> str | None:
        k = _loose(name)
        if k in self.names:
            return self.names[k]
        bare = _loose(re.sub(r"\(.*?\)", " ", name))
        if bare in self.names:
            return self.names[bare]
        c = normalise_characteristic(bare)
        return c if c in self.allowed else None


# The variable names of the classifications last asked about: every council of a batch reads its
# community profile with the engine's one set of classifications, and the names (sixty spellings
# loosened by a pattern each) depend only on those classifications, which are never changed once read.
_LAST_NAMES: list[Any] = [(), {}]


def _variable_names(library: Any) -> dict[str, str]:
    """Each classification's variable names (loosened) and id, to the characteristic it is."""
    classifications = tuple(library)
    kept, names = _LAST_NAMES
    if len(kept) == len(classifications) and kept and all(a is b for a, b in zip(kept, classifications)):
        return names
    names = {}
    for classification in classifications:
        for name in (*classification.spec.variables, classification.characteristic):
            names[_loose(name)] = classification.characteristic
    _LAST_NAMES[:] = [classifications, names]
    return names


def _is_geography(name: str) -> bool:
    key = word_key(name)
    return any(w in key for w in GEOGRAPHY_WORDS)


def _area_matches(area: str, council: str) -> bool:
    """Whether an area's name in a download is the council's ("Testshire" and "Testshire County Council")."""
    drop = {"council", "county", "borough", "district", "city", "of", "the", "metropolitan", "royal", "london", "and"}
    a = [w for w in _loose(area).split() if w not in drop]
    c = [w for w in _loose(council).split() if w not in drop]
    return bool(a) and (a == c or " ".join(a) in " ".join(c) or " ".join(c) in " ".join(a))


def read_census_table(table: Any, library: Any, allowed: tuple[str, ...], council: str
                      ) -> tuple[list[CommunityRow], dict[str, str], list[Diagnostic]] | None:
    """The rows of an ONS download, the label of each characteristic's total (whom it counts), and
    warnings; None if the table is not laid out as ONS lays out its downloads."""
    headers = list(getattr(table, "header", None) or table.columns)
    variables = Variables(library, allowed)
    if "observation" in table.columns:
        return _long(table, headers, variables, council)
    if any(":" in h and variables.characteristic(h.split(":", 1)[0]) for h in headers):
        return _wide(table, headers, variables, council)
    return None


def _count(text: str) -> float | None:
    t = text.strip()
    if t.lower() in NO_FIGURE:
        return None
    return parse_decimal(t)


def _pick_area(table: Any, areas: list[str], council: str, column_name: str) -> str | None:
    """The one area the file is read for; an error naming the areas if it cannot be told."""
    distinct = sorted(set(a.strip() for a in areas if a.strip()))
    if len(distinct) <= 1:
        return distinct[0] if distinct else None
    matching = [a for a in distinct if _area_matches(a, council)]
    if len(matching) == 1:
        return matching[0]
    shown = ", ".join(distinct[:6]) + (f" and {len(distinct) - 6} more" if len(distinct) > 6 else "")
    raise EvidenceError([Diagnostic(table.path, 1, 1, f"{column_name}: the file has figures for {len(distinct)} areas "
                                    f"({shown}) and none is plainly the council's (expected only the council's own "
                                    "area, or an area named as the council is in assessment.yaml)")])


def _long(table: Any, headers: list[str], variables: Variables, council: str):  # noqa: ANN202
    cols = table.columns
    observation = cols.index("observation")
    dims = [i for i, c in enumerate(cols) if i != observation and not c.endswith("_code")]
    geography = [i for i in dims if _is_geography(headers[i]) and variables.characteristic(headers[i]) is None]
    ages = [i for i in dims if i not in geography and variables.characteristic(headers[i]) == "age"]
    chars = [i for i in dims if i not in geography and i not in ages and variables.characteristic(headers[i])]
    if not chars and ages:
        chars, ages = ages, []
    if not chars:
        return None
    n = row_count(table)
    values = encoded_column(table, observation)
    counts_by_code = {}
    bad = []
    for code, cell in enumerate(values.distinct):
        try:
            counts_by_code[code] = _count(cell)
        except ValueError:
            bad.append(code)
    if bad:
        rows = values.rows_with(set(bad))
        raise EvidenceError([Diagnostic(table.path, *table.position(r, observation),
                                        f"Observation: '{values.distinct[values.code_at(r)].strip()}' is not a count "
                                        "(expected a whole number such as 1234)") for r in rows[:20]])
    count = values.map([counts_by_code[c] for c in range(len(values.distinct))])
    used = {observation, *geography[:1], *ages, *chars}
    column = {i: encoded_column(table, i).map(encoded_column(table, i).distinct) for i in [*geography, *ages, *chars]}
    keep = [True] * n
    if geography:
        g = geography[0]
        area = _pick_area(table, column[g], council, headers[g])
        keep = [c.strip() == area for c in column[g]] if area is not None else keep
    out: list[CommunityRow] = []
    totals: dict[tuple, float] = defaultdict(float)
    lines: dict[tuple, int] = {}
    suppressed = 0
    for c in chars:
        char = variables.characteristic(headers[c])
        for r in range(n):
            if not keep[r]:
                continue
            if count[r] is None:
                suppressed += 1
                continue
            age = column[ages[0]][r].strip() if ages else None
            key = (char, column[c][r].strip(), age)
            totals[key] += count[r]
            lines.setdefault(key, r)
    labels: list[tuple[str, str, tuple[int, int]]] = []
    for (char, group, age), value in totals.items():
        # ONS publishes whole counts (rounded or perturbed for disclosure control): read as counts.
        out.append(CommunityRow(char, group, int(round(value)), None, table.lines[lines[(char, group, age)]], age))
    for c in chars:
        char = variables.characteristic(headers[c])
        for (ch, group, _), r in lines.items():
            if ch == char:
                labels.append((char, group, table.position(r, c)))
    warnings = label_warnings(table.path, variables.library, labels)
    others = {i: "its categories are added together, as it is not a characteristic efl compares"
              for i in dims if i not in used and i not in geography and "observation" not in cols[i]
              and any(cell.strip() for cell in encoded_column(table, i).distinct)}
    seen = _with_codes(cols, used | set(geography)) | (_with_codes(cols, set(others)) - set(others))
    warnings += unread_columns(table, headers, seen, others)
    if suppressed:
        warnings.append(warning(table.path, 0, 0, f"Observation: {suppressed:,} cells have no figure (suppressed or "
                                "missing), so those groups count as 0 residents (expected a count in every cell)"))
    return out, {}, warnings


def _wide(table: Any, headers: list[str], variables: Variables, council: str):  # noqa: ANN202
    cols = table.columns
    geography = next((i for i, c in enumerate(cols) if c == "geography"), None)
    row = 0
    if row_count(table) > 1:
        if geography is None:
            raise EvidenceError([Diagnostic(table.path, 1, 1, f"the file has {row_count(table)} rows of figures and no "
                                            "geography column to tell the council's (expected one row, for the council's "
                                            "area)")])
        names = encoded_column(table, geography)
        cells = names.map(names.distinct)
        area = _pick_area(table, cells, council, headers[geography])
        row = next(r for r, a in enumerate(cells) if a.strip() == area)
    out: list[CommunityRow] = []
    populations: dict[str, str] = {}
    chosen: dict[tuple, tuple[str, int]] = {}
    used = {i for i, c in enumerate(cols) if c in META}
    crossed: set[int] = set()
    for i, header in enumerate(headers):
        if cols[i] in META or ":" not in header:
            continue
        m = _MEASURES.search(header)
        measure = m.group(1).lower() if m else "value"
        body = _MEASURES.sub("", header)
        parts = [p.strip() for p in body.split(";")]
        main = parts[0]
        name, _, label = main.partition(":")
        char = variables.characteristic(name)
        if char is None:
            continue
        age = None
        skip = False
        for extra in parts[1:]:
            ename, _, elabel = extra.partition(":")
            if variables.characteristic(ename) == "age" and char != "age":
                age = elabel.strip()
            elif not _loose(elabel).startswith(("total", "all")):
                skip = True  # a cross with another variable: only its total is read
        if skip:
            crossed.add(i)
            continue
        used.add(i)
        key = (char, label.strip(), age)
        # A count ("Value") is read in preference to a percentage of the same group.
        if key in chosen and chosen[key][0] == "value":
            continue
        chosen[key] = (measure, i)
    for (char, label, age), (measure, i) in chosen.items():
        column = encoded_column(table, i)
        cell = column.distinct[column.code_at(row)]
        try:
            value = _count(cell)
        except ValueError:
            raise EvidenceError([Diagnostic(table.path, *table.position(row, i), f"{headers[i]}: '{cell.strip()}' is "
                                            "not a number (expected a count such as 1234)")]) from None
        if value is None:
            continue
        if _loose(label).startswith("total"):
            populations.setdefault(char, label.split(":", 1)[-1].strip() if ":" in label else label)
            continue
        is_count = measure != "percent"
        out.append(CommunityRow(char, label, int(value) if is_count and float(value).is_integer() else None,
                                None if is_count else value, table.lines[row], age))
    from efl.provisional import header_column

    labels = [(char, label, (1, header_column(table, i))) for (char, label, _), (_, i) in chosen.items()
              if not _loose(label).startswith("total")]
    warnings = label_warnings(table.path, variables.library, labels)
    others = {i: "it crosses the characteristic with a variable efl does not compare, and only its totals are read"
              for i in crossed}
    warnings += unread_columns(table, headers, used, others)
    return out, populations, warnings


def _with_codes(cols: list[str], used: set[int]) -> set[int]:
    """The columns read, with the code column ONS writes beside each (``Ethnic group (20 categories) Code``)."""
    out = set(used)
    for i in used:
        code = f"{cols[i]}_code"
        if code in cols:
            out.add(cols.index(code))
    return out


def unread_columns(table: Any, headers: list[str], used: set[int], why: dict[int, str] | None = None,
                   names: tuple[str, ...] = ()) -> list[Diagnostic]:
    """Every column of a community file that is not read, named in one warning with its position (and
    "did you mean" where the header is a slip of one of ``names``, the columns the layout reads); a
    column with a reason of its own (``why``) has a warning of its own."""
    import difflib

    from efl.provisional import header_column
    out: list[Diagnostic] = []
    why = why or {}
    listed = []
    for i, header in enumerate(headers):
        if i in used or not str(header).strip():
            continue
        at = header_column(table, i)
        if i in why:
            out.append(warning(table.path, 1, at, f"column '{header}' is not used: {why[i]}"))
            continue
        guess = difflib.get_close_matches(_loose(header), list(names), n=1, cutoff=0.75)
        if guess:
            out.append(warning(table.path, 1, at, f"column '{header}' is not one efl reads (did you mean "
                               f"'{guess[0]}'?): if it is, map it on the evidence item in assessment.yaml with "
                               f"columns: {{{guess[0]}: \"{header}\"}}"))
            continue
        listed.append((header, at))
    if listed:
        one = len(listed) == 1
        shown = ", ".join(f"'{h}' (line 1, column {at})" for h, at in listed)
        out.append(warning(table.path, 1, listed[0][1], f"efl does not read {'this column' if one else 'these columns'}"
                           f", so {'it is' if one else 'they are'} kept but not used: {shown} (expected nothing to "
                           "do, unless one holds figures efl should read)"))
    return out


def label_warnings(path: Any, library: Any, labels: list[tuple[str, str, tuple[int, int]]]) -> list[Diagnostic]:
    """One warning per characteristic for the group labels its Census classification cannot place, at
    the first, with "did you mean" for a label a letter or two from one of ONS's."""
    import difflib

    from efl import characteristic_label
    from efl.provisional import and_list
    by_char: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for char, label, at in labels:
        by_char.setdefault(char, []).append((label, at))
    out = []
    for char, items in by_char.items():
        classification = library.get(char)
        if classification is None or not classification.categories:
            continue
        matches = classification.read_all(label for label, _ in items)
        # A group of one of the classification's groupings ("not married") is known, though it is not
        # compared group by group (the comparison says so).
        grouped = {_loose(text) for g in getattr(classification, "groupings", {}).values()
                   for gid, name, _ in g.groups for text in (gid, name)}
        unknown: dict[str, tuple[int, int]] = {}
        for label, at in sorted(items, key=lambda x: x[1]):
            if matches[label].kind == "unknown" and label.strip() and _loose(label) not in grouped:
                unknown.setdefault(label.strip(), at)
        if not unknown:
            continue
        known = {_loose(c.label): c.label for c in classification.categories.values()}
        parts = []
        for label in list(unknown)[:6]:
            guess = difflib.get_close_matches(_loose(label), list(known), n=1, cutoff=0.8)
            parts.append(f"'{label}'" + (f" (did you mean '{known[guess[0]]}'?)" if guess else ""))
        more = f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""
        one = len(unknown) == 1
        first = min(unknown.values())
        out.append(warning(path, *first, f"{characteristic_label(char).capitalize()}: {and_list(parts)}{more} "
                           f"{'is not a group' if one else 'are not groups'} of the Census 2021 classification, so "
                           f"{'its' if one else 'their'} residents are not compared with staff (expected ONS's "
                           f"labels; if the file names a Census group its own way, name it under values: groups: "
                           f"{char}: in assessment.yaml)"))
    return out
