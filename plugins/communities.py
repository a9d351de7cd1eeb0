"""Knowing your communities: which characteristics the community profile covers, how it is broken
down, how old it is and whether it is published, from ``community-profile`` evidence.

A community profile is efl's own table (``characteristic``, ``group``, ``count`` or ``percent``, and
an optional ``age`` for a table by age) or a Census 2021 table as ONS's downloads lay it out
(:mod:`efl_plugins.readers.census_tables`). A council can list one file per Census table: the facts use every
community profile listed, each characteristic from the newest file that has it, and so does any
evidence type a plugin registers to stand in for this one (``provides=("community-profile",)``).
"""

from __future__ import annotations

import efl
from efl import (characteristic_label, CHARACTERISTICS, Column, CommunityProfile, CommunityRow, Diagnostic,
                 EvidenceError, warning)
from efl.provisional import classifications_for, normalise_characteristic, read_columns

from efl_plugins.readers.census_tables import label_warnings, read_census_table, unread_columns

OWN_COLUMNS = ("characteristic", "group", "count", "percent", "age")


# Percentages of one characteristic are rounded in the source; a total this far over 100 is a mistake.
PERCENT_TOTAL_TOLERANCE = 2.0


def parse_community(table, item, assessment) -> CommunityProfile:  # noqa: ANN001
    allowed = tuple(CHARACTERISTICS) + tuple(assessment.local_characteristics)
    council = getattr(getattr(assessment, "council", None), "name", "") or ""
    census = read_census_table(table, classifications_for(assessment), allowed, council)
    if census is not None:
        rows, populations, warnings = census
        profile = CommunityProfile(rows, warnings, populations)
        return _checked(profile, table, item)
    read = read_columns(table, [Column("characteristic", "characteristic", required=True),
                                Column("group", required=True), Column("count", "count"),
                                Column("percent", "percent"), Column("age")], allowed)
    headers = list(getattr(table, "header", None) or table.columns)
    used = _positions(table, headers, read.present)
    if "count" not in read.present and "percent" not in read.present:
        slips = [d.message for d in unread_columns(table, headers, used, names=("count", "percent"))
                 if "did you mean" in d.message]
        hint = f"; {slips[0]}" if slips else ""
        raise EvidenceError([Diagnostic(table.path, 1, 1, "neither a 'count' nor a 'percent' column "
                                        f"(expected one of them in the header row{hint})")])
    v = read.values
    rows = [CommunityRow(c, g, n, p, line, a or None) for c, g, n, p, line, a in
            zip(v["characteristic"], v["group"], v["count"], v["percent"], read.lines, v["age"])]
    # A table's total ("Total: All usual residents aged 16 years and over") says whom it counts; it is
    # no group, and neither are the subtotals it lists beside their parts (they would count twice).
    library = classifications_for(assessment)
    populations: dict[str, str] = {}
    subtotal_rows: set[tuple[str, str]] = set()
    kept: list[CommunityRow] = []
    for char in dict.fromkeys(r.characteristic for r in rows):
        mine = [r for r in rows if r.characteristic == char]
        totals, subtotals = _totals(mine, library.get(char))
        for r in mine:
            if r.group in totals:
                populations.setdefault(char, r.group.split(":", 1)[-1].strip())
            else:
                kept.append(r)
        subtotal_rows |= {(char, g) for g in subtotals}
    rows = kept
    problems = [Diagnostic(table.path, row.line, 1, "the row has neither a count nor a percent (expected one of them)")
                for row in rows if row.count is None and row.percent is None]
    warnings = []
    by_char: dict[str, list[CommunityRow]] = {}
    for row in rows:
        by_char.setdefault(row.characteristic, []).append(row)
    percent_at = table.index("percent") if "percent" in read.present else None

    def where(row: CommunityRow) -> tuple[int, int]:
        # The percent cell of the characteristic's first row (its line too, past any quoted line break).
        return table.cell_position(row.line, percent_at) if percent_at is not None else (row.line, 1)

    for char, group_rows in by_char.items():
        first = group_rows[0]
        if any(r.age for r in group_rows):
            continue  # a table by age: its percentages are of each age band, not of the whole
        group_rows = [r for r in group_rows if (char, r.group) not in subtotal_rows]
        if any(r.count is not None for r in group_rows) and any(r.count is None and r.percent is not None
                                                                  for r in group_rows):
            problems.append(Diagnostic(table.path, first.line, 1, f"{characteristic_label(char)} mixes counts and "
                                       "percentages (expected one or the other for all its groups)"))
            continue
        if all(r.count is None for r in group_rows):
            total = sum(r.percent or 0 for r in group_rows)
            if total > 100 + PERCENT_TOTAL_TOLERANCE:
                problems.append(Diagnostic(table.path, *where(first),
                                           f"percent: the {characteristic_label(char)} groups add up to {total:.1f}% "
                                           "(expected at most 100%, allowing for rounding)"))
            elif total < 100 - PERCENT_TOTAL_TOLERANCE * 5:
                warnings.append(warning(table.path, *where(first),
                                        f"percent: the {characteristic_label(char)} groups add up to only {total:.1f}% "
                                        "(expected about 100%; groups not listed cannot be compared)"))
    if problems:
        raise EvidenceError(problems)
    warnings += label_warnings(table.path, library, label_cells(table, library, rows, used.get("group"),
                                                             subtotal_rows))
    warnings += unread_columns(table, headers, set(used.values()), names=OWN_COLUMNS)
    return _checked(CommunityProfile(rows, warnings, populations), table, item)


def label_cells(table, library, rows: list[CommunityRow], group_at: int | None,  # noqa: ANN001
                subtotal_rows: set[tuple[str, str]]) -> list[tuple[str, str, tuple[int, int]]]:
    """The rows label_warnings may warn about, each with where its group cell starts.

    label_warnings warns only about labels its classification reads as unknown, and whether a label
    is unknown does not depend on the other labels; so only those rows are handed over, and only
    their cells are located (locating a cell scans its record, which for every row of every council
    cost more than the rest of the check). tests/test_community_label_cells.py compares the warnings
    with those for every row.
    """
    out = []
    for r in rows:
        if (r.characteristic, r.group) in subtotal_rows:
            continue
        classification = library.get(r.characteristic)
        if classification is None or not classification.categories or classification.read(r.group).kind != "unknown":
            continue
        at = table.cell_position(r.line, group_at) if group_at is not None else (r.line, 1)
        out.append((r.characteristic, r.group, at))
    return out


def _positions(table, headers: list[str], present) -> dict[str, int]:  # noqa: ANN001
    """Where each column read from efl's own layout is (the council's columns: names first)."""
    mapped = {k.strip().lower(): v for k, v in (getattr(table, "column_map", None) or {}).items()}
    out = {}
    for name in present:
        if name in mapped and mapped[name] in headers:
            out[name] = headers.index(mapped[name])
        elif table.index(name) is not None:
            out[name] = table.index(name)
    return out


def _totals(rows: list[CommunityRow], classification) -> tuple[set[str], set[str]]:  # noqa: ANN001
    """The labels of a characteristic's rows that are its table's totals, and those that are subtotals
    of other rows it lists (both as written)."""
    if classification is None or not classification.categories:
        return {r.group for r in rows if r.group.strip().lower().startswith(("total", "all usual residents"))}, set()
    matches = classification.read_all(r.group for r in rows)
    totals = {label for label, m in matches.items() if m.kind == "total"}
    by_category: dict[str, set[str]] = {}
    for label, m in matches.items():
        if m.category:
            by_category.setdefault(m.category, set()).add(label)
    _, dropped = classification.without_subtotals(by_category)
    return totals, {label for c in dropped for label in by_category[c]}


def _checked(profile: CommunityProfile, table, item) -> CommunityProfile:  # noqa: ANN001
    """A profile with a warning if assessment.yaml says it covers characteristics it has no rows for."""
    if not profile.rows:
        raise EvidenceError([Diagnostic(table.path, 1, 1, "the file has no figures for any characteristic (expected "
                                        "rows of characteristic, group and count, or a Census table as ONS lays "
                                        "out its downloads)")])
    have = {r.characteristic for r in profile.rows}
    listed = {normalise_characteristic(c) for c in getattr(item, "covers", None) or ()}
    missing = sorted(listed - have)
    if missing:
        names = ", ".join(characteristic_label(c) for c in missing)
        profile.warnings.append(warning(table.path, 0, 0, f"assessment.yaml says this file covers {names}, but it has "
                                        f"no rows for {'it' if len(missing) == 1 else 'them'} (expected rows for every "
                                        "characteristic in covers:, or a shorter covers: list)"))
    return profile


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("community-profile", "Community profile (who lives in the area, e.g. the Census)",
                              ("csv",), parse_community, shape=CommunityProfile))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    needs = ("community-profile",)
    register(efl.FactSpec("communities.characteristics_covered",
                          "how many of the nine protected characteristics the community profile covers", needs, kind="whole number"))
    register(efl.FactSpec("communities.characteristics_missing",
                          "protected characteristics the community profile does not cover", needs, kind="list"))
    register(efl.FactSpec("communities.local_characteristics_covered",
                          "how many locally adopted characteristics the community profile covers", needs, kind="whole number"))
    register(efl.FactSpec("communities.broken_down", "whether every covered characteristic is broken into "
                          "at least two groups", needs, kind="yes or no"))
    register(efl.FactSpec("communities.profile_age_years", "the age of the community profile in years", needs, kind="number"))
    register(efl.FactSpec("communities.profile_published", "whether the community profile is published", needs, kind="yes or no"))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    records = context.evidence.items_of("community-profile")
    profile, ids = CommunityProfile.combine(records)
    if profile is None:
        return []
    record = next(r for r in records if r.item.id == ids[0])  # the newest profile: its date and publication
    groups = profile.characteristics()
    covered = [c for c in CHARACTERISTICS if c in groups]
    missing = [c for c in CHARACTERISTICS if c not in groups]
    local = [c for c in context.assessment.local_characteristics if c in groups]
    age = (context.date - record.item.date).days / 365.25
    published = record.item.published is not None and record.item.published <= context.date
    statement = (f"The community profile covers {len(covered)} of the 9 protected characteristics"
                 + (f"; missing: {', '.join(characteristic_label(m) for m in missing)}." if missing else "."))
    return [
        efl.Fact("communities.characteristics_covered", len(covered), ids, statement),
        efl.Fact("communities.characteristics_missing", missing, ids, statement),
        efl.Fact("communities.local_characteristics_covered", len(local), ids),
        efl.Fact("communities.broken_down", all(len(g) >= 2 for g in groups.values()), ids),
        efl.Fact("communities.profile_age_years", age, ids,
                 f"The community profile is dated {record.item.date}, {age:.1f} years before the assessment."),
        efl.Fact("communities.profile_published", published, ids,
                 "The community profile is published." if published else "The community profile is not published."),
    ]
