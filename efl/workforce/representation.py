"""Does the workforce reflect the community? Comparing like with like.

A community profile (e.g. the Census) and a workforce file rarely describe people the same way: the
Census writes "White: English, Welsh, Scottish, Northern Irish or British" and HR "White - British";
the Census counts children and people over 64, HR counts staff; both have rows for people who did not
answer. A ratio is only true if both sides count the same groups of the same people, so:

* groups are read through the Census 2021 classifications (:mod:`efl.workforce.classification`) and
  compared at the finest level both files share (the 19 detailed ethnic groups where both have them,
  the 5 high-level groups where one side records only those), and the comparison says at which level;
* rows that record no answer ("not answered", "prefer not to say" ...) and totals are left out on both
  sides, and so are subtotals a table lists beside their parts;
* residents are cut to the working ages staff are compared within (``values: compare_ages``, 16 to 64
  by default) where the table gives them by age, and staff to the same ages where the workforce file
  has ages; where the table cannot be cut (ethnic group of all usual residents, children included),
  the comparison says whom it compared;
* a group with fewer than ``values: min_group`` (10) staff, or residents where the table counts
  them, is "too few to compare", named with its count, never a ratio of 0; a group the community has
  no residents in is not compared at all;
* a characteristic with fewer than two groups in common cannot be compared, and is reported as such.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from efl.core.models import characteristic_label
from efl.errors import Diagnostic
from efl.reports.report_text import and_list
from efl.workforce.groups import (DEFAULT_VOCABULARY, GROUP, Vocabulary, _band_bounds, age_band, merge_age_bands,
                                  parse_age_range, vocabulary_for)

DEFAULT_AGES = "16-64"
DEFAULT_MIN_GROUP = 10


@dataclass(frozen=True)
class CommunityRow:
    """One figure of a community profile: a characteristic's group, with a count or a percentage.

    ``age`` is the age band the figure is for, in a table that crosses the characteristic with age
    (ONS's "Disability by age"); None for a figure of every age the table covers.
    """

    characteristic: str
    group: str
    count: int | None
    percent: float | None = None
    line: int = 0
    age: str | None = None


@dataclass
class CommunityProfile:
    """Who lives in the area: one row per characteristic and group, with a count or a percentage.

    Published by the ``communities`` plugin's evidence type for the community profile, and by any
    evidence type that stands in for it (``EvidenceType.provides``); read by any plugin that compares
    with the community. ``populations`` names, per characteristic, whom the table's
    total counts as the table says it (``All usual residents aged 16 years and over``).
    """

    rows: list[CommunityRow]
    warnings: list[Diagnostic] = field(default_factory=list)
    populations: dict[str, str] = field(default_factory=dict)
    # Per characteristic, the evidence item its rows come from (set by combine()).
    sources: dict[str, str] = field(default_factory=dict)

    def characteristics(self) -> dict[str, set[str]]:
        """Each characteristic's groups as written (lower case), answered or not."""
        groups: dict[str, set[str]] = {}
        for row in self.rows:
            groups.setdefault(row.characteristic, set()).add(row.group.strip().lower())
        return groups

    def weights(self, characteristic: str, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> dict[str, float]:
        """Each answered group's count or percentage over every age the table covers, keyed as the
        vocabulary reads the group name (a Census category id where there is one); subtotals a table
        lists beside their parts are left out, so nobody is counted twice."""
        table = _read_rows(self.rows, characteristic, vocabulary)
        return {g: sum(v for _, v in by_age) for g, by_age in table.items()}

    @classmethod
    def combine(cls, records: Iterable[Any]) -> tuple[CommunityProfile | None, list[str]]:
        """One profile from several evidence records holding profiles (newest first, as
        ``EvidenceSet.items_of`` gives them): each characteristic from the newest that has it, as a
        council lists one Census table per item. Returns the profile and the ids of the items used."""
        rows: list[CommunityRow] = []
        populations: dict[str, str] = {}
        sources: dict[str, str] = {}
        used: list[str] = []
        for record in records:
            profile = getattr(record, "parsed", None)
            if not isinstance(profile, CommunityProfile):
                continue
            new = {r.characteristic for r in profile.rows} - set(sources)
            if not new:
                continue
            used.append(record.item.id)
            for c in new:
                sources[c] = record.item.id
                if c in profile.populations:
                    populations[c] = profile.populations[c]
            rows += [r for r in profile.rows if r.characteristic in new]
        if not used:
            return None, []
        return cls(rows, [], populations, sources), used


def _read_rows(rows: list[CommunityRow], characteristic: str, vocabulary: Vocabulary
               ) -> dict[str, list[tuple[str | None, float]]]:
    """A characteristic's figures by group (category id, or the name as written) and age band."""
    library = vocabulary.library()
    classification = library.get(characteristic) if characteristic != "age" else None
    mine = [r for r in rows if r.characteristic == characteristic]
    readings: dict[str, Any] = {}
    if classification is not None and classification.categories:
        matches = classification.read_all(r.group for r in mine)
        for text, match in matches.items():
            readings[text] = (match.category if match.kind == GROUP else None, match.kind)
    out: dict[str, list[tuple[str | None, float]]] = {}
    for row in mine:
        if row.group in readings:
            group, kind = readings[row.group]
            if group is None:
                if kind != "unknown":
                    continue  # not answered, does not apply, a total
                group = "?" + row.group.strip()  # a label the classification does not know: kept, named
        else:
            reading = vocabulary.read(characteristic, row.group)
            if reading.kind != GROUP or not reading.group:
                continue
            group = reading.group
        value = row.count if row.count is not None else row.percent
        out.setdefault(group, []).append((row.age, float(value or 0)))
    if classification is not None and classification.categories:
        kept, dropped = classification.without_subtotals(g for g in out if g in classification.categories)
        for g in dropped:
            out.pop(g, None)
    return out


@dataclass(frozen=True)
class Lowest:
    ratio: float
    characteristic: str
    group: str
    staff_pct: float
    community_pct: float
    name: str = ""

    def sentence(self, where: str) -> str:
        return (f"Among the groups both files share, people in the group '{self.name or self.group}' "
                f"({characteristic_label(self.characteristic)}) are {self.community_pct:.1f}% of residents but "
                f"{self.staff_pct:.1f}% of {where} (ratio {self.ratio:.2f}).")


@dataclass
class Basis:
    """What one characteristic's comparison rests on: the level, which residents and staff, and why
    (``note``), with any caution about the figures themselves."""

    level: str
    residents: str
    staff: str
    note: str = ""
    caution: str = ""

    def sentence(self, characteristic: str) -> str:
        words = (f"{characteristic_label(characteristic).capitalize()} was compared in {self.level}, for "
                 f"{self.residents} and {self.staff}.")
        return " ".join(w for w in (words, self.note, self.caution) if w)


@dataclass
class CommunityComparison:
    """Ratios per characteristic and group, the shares behind them, and what could not be compared.

    ``too_few`` holds the groups with fewer staff (or residents) than the threshold, with their
    counts; ``basis`` what each characteristic was compared on; ``names`` each group's name.
    """

    ratios: dict[str, dict[str, float]] = field(default_factory=dict)
    shares: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # (staff %, community %)
    not_compared: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # a group's name for sentences
    too_few: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    basis: dict[str, Basis] = field(default_factory=dict)
    min_group: int = DEFAULT_MIN_GROUP

    def name(self, characteristic: str, group: str) -> str:
        return self.names.get(characteristic, {}).get(group, group)

    def named_ratios(self) -> dict[str, dict[str, float]]:
        """The ratios keyed by each group's name as people read it (``White British``), for the result."""
        return {char: {self.name(char, g): r for g, r in groups.items()} for char, groups in self.ratios.items()}

    def named_shares(self) -> dict[str, dict[str, dict[str, float]]]:
        """The shares behind each ratio, by group name: the group's share of staff and of residents (%),
        each among those of the characteristic compared (so a paper can state both, not the ratio alone)."""
        return {char: {self.name(char, g): {"staff_pct": staff, "residents_pct": community}
                       for g, (staff, community) in groups.items()} for char, groups in self.shares.items()}

    def named_too_few(self) -> dict[str, Any]:
        """The groups too few to compare, by name, with their counts and the threshold used."""
        return {"min_group": self.min_group,
                "groups": {char: {self.name(char, g): counts for g, counts in groups.items()}
                           for char, groups in sorted(self.too_few.items())}}

    def lowest(self, min_community_pct: float) -> Lowest | None:
        best = None
        for char in sorted(self.ratios):
            for group in sorted(self.ratios[char]):
                staff, community = self.shares[char][group]
                ratio = self.ratios[char][group]
                if community >= min_community_pct and (best is None or ratio < best.ratio):
                    best = Lowest(ratio, char, group, staff, community, self.name(char, group))
        return best

    def not_compared_sentence(self) -> str:
        """One clause per reason, naming the characteristics it applies to."""
        by_reason: dict[str, list[str]] = {}
        for char, why in sorted(self.not_compared.items()):
            by_reason.setdefault(why, []).append(characteristic_label(char))
        parts = []
        for why, names in by_reason.items():
            them = "them" if len(names) > 1 else "it"
            parts.append(f"{and_list(names, semicolons=True)} ({why.replace(' for it', ' for ' + them)})")
        return "Not compared with the community: " + "; ".join(parts) + "."

    def too_few_sentence(self, where: str = "staff") -> str:
        """The groups too few to compare, each named with its count."""
        parts = []
        for char, groups in sorted(self.too_few.items()):
            named = [f"{self.name(char, g)} ({_counted(c, where)})" for g, c in groups.items()]
            parts.append(f"{characteristic_label(char)}: {and_list(named)}")
        return (f"Some groups are too small to compare (fewer than {self.min_group} {where} or residents), so no ratio "
                f"is given for them. {'; '.join(parts)[:1].upper()}{'; '.join(parts)[1:]}.")

    def basis_sentence(self) -> str:
        return " ".join(self.basis[c].sentence(c) for c in sorted(self.basis))


def _counted(counts: dict[str, int], where: str) -> str:
    staff = counts.get("staff", 0)
    words = f"{staff:,} {where}" if where != "staff" else f"{staff:,} staff"
    if "residents" in counts:
        words += f", {counts['residents']:,} residents"
    return words


# Answers a classification cannot place may belong to any group: past a fifth of the answers (and
# the minimum group size), the shares of the groups it can place are not true, so none is given.
MAX_UNPLACED_SHARE = 0.2


def _mostly_unplaced(unknown: dict[str, float], placed: dict[str, float], min_group: int, where: str,
                     whose: str = "") -> str:
    """Why a characteristic is not compared when too many answers are not Census groups ("" if it is)."""
    lost = sum(unknown.values())
    total = lost + sum(placed.values())
    if not lost or lost < min_group or lost <= MAX_UNPLACED_SHARE * total:
        return ""
    top = sorted(unknown, key=lambda g: (-unknown[g], g))
    shown = and_list([f"'{g}' for {unknown[g]:,.0f} {where}" for g in top[:4]]) + (
        f" and {len(top) - 4} more" if len(top) > 4 else "")
    who = f"{whose} answers" if whose else f"the {where}'s answers"
    return (f"{lost / total:.0%} of {who} are not Census 2021 groups: {shown}; each may belong to any group, so "
            "no group's share would be true")


# The bands of ONS's "Age (6 categories)", which single years are banded to.
ONS_AGE_BANDS = ("0-15", "16-24", "25-34", "35-49", "50-64", "65+")


def _mostly_single_years(bands: Iterable[str]) -> bool:
    widths = [b - a for a, b in (_band_bounds(name) for name in bands)]
    return bool(widths) and sum(1 for w in widths if w == 0) * 2 > len(widths)


def community_age_range(assessment) -> tuple[int, int | None]:  # noqa: ANN001
    values = getattr(assessment, "values", None)
    return parse_age_range(getattr(values, "compare_ages", None) or DEFAULT_AGES)


def min_group_for(assessment) -> int:  # noqa: ANN001
    values = getattr(assessment, "values", None)
    return getattr(values, "min_group", None) or DEFAULT_MIN_GROUP


def _range_words(ages: tuple[int, int | None]) -> str:
    """``aged 16 to 64``, ``aged 16 and over``, ``of all ages``."""
    first, last = ages
    if first == 0 and last is None:
        return "of all ages"
    return f"aged {_ages_words(ages)}"


def _ages_words(ages: tuple[int, int | None]) -> str:
    """``16 to 64``, ``16 and over``."""
    first, last = ages
    return f"{first} and over" if last is None else f"{first} to {last}"


def _population_ages(label: str) -> tuple[int, int | None] | None:
    """Whom a table's total counts, from its words: "All usual residents aged 16 years and over"."""
    import re

    text = label.lower()
    m = re.search(r"aged (\d+)(?: years)? and over", text)
    if m:
        return int(m[1]), None
    m = re.search(r"aged (\d+) to (\d+)", text)
    if m:
        return int(m[1]), int(m[2])
    if "all usual residents" in text or "all persons" in text or "all people" in text:
        return 0, None
    return None


StaffByAge = Callable[[str, int, "int | None"], "Counter | None"]


def compare_with_community(staff: dict[str, Counter], community: CommunityProfile,
                           ages: tuple[int, int | None] = (16, 64), assessment=None,  # noqa: ANN001
                           defined: dict[str, set[str]] | None = None, *,
                           staff_by_age: StaffByAge | None = None, min_group: int | None = None,
                           where: str = "staff", shared: dict | None = None) -> CommunityComparison:
    """Compare staff groups (per characteristic, how many people are in each group) with the community.

    :param ages: the working ages to compare within (residents are cut to them where the table gives
        them by age; age itself is compared within them).
    :param defined: the groups the workforce file uses, when ``staff`` is only part of it (senior
        grades): a group nobody in this part is in is then a true 0.
    :param staff_by_age: ``staff_by_age(characteristic, first, last)`` gives the staff groups among
        staff of those ages (None if the file has no ages): used where the residents are cut by age.
    :param min_group: a group with fewer staff (or counted residents) than this is too few to compare.
    :param where: who the staff are, in words ("staff", "senior staff").
    :param shared: a dict the caller passes to several comparisons with one community profile (all
        staff, then senior staff): the community's side of each characteristic (its figures read,
        which residents, their weights) is the same for both, so it is worked out once and kept
        there (see :class:`_CommunitySide`). Leave it out for a comparison on its own.
    """
    side = _CommunitySide.kept(shared, community, assessment, ages)
    vocabulary = side.vocabulary
    library = vocabulary.library()
    result = CommunityComparison(min_group=min_group or (min_group_for(assessment) if assessment is not None
                                                 else DEFAULT_MIN_GROUP))
    in_profile = side.in_profile()
    for char in sorted(in_profile - set(staff)):
        result.not_compared[char] = "the workforce file has no column for it"
    for char in sorted(set(staff) & in_profile):
        if char == "age":
            _compare_ages(result, staff[char], community, ages, vocabulary, defined, where, side)
            continue
        classification = library.get(char)
        classification = classification if classification is not None and classification.categories else None
        table, (residents, note, cut), weights, counted = side.of(char, classification)
        staff_counts = None
        staff_words = f"all {where}"
        if cut is not None and staff_by_age is not None:
            staff_counts = staff_by_age(char, *cut)
            if staff_counts is not None:
                staff_words = f"{where} {_range_words(cut)}"
        if staff_counts is None:
            staff_counts = Counter(staff[char])
            if cut is not None:
                note = " ".join(w for w in (note, f"The workforce file has no ages, so all {where} are counted.") if w)
        recorded = set((defined or {}).get(char, ())) | {g for g, n in staff_counts.items() if n}
        _compare_groups(result, char, Counter(staff_counts), recorded, dict(weights), classification, where,
                        (residents, staff_words, note), counted=counted)
    return result


class _CommunitySide:
    """What a comparison reads of the community profile alone, per characteristic, worked out when
    first asked: the same for every comparison with that profile, vocabulary and working ages.

    Kept in the ``shared`` dict a caller hands to :func:`compare_with_community`, for as long as the
    profile, its rows and populations and the assessment are the same objects (and the rows as many)
    and the ages the same; anything else starts afresh. The assessment's vocabulary
    (:func:`~efl.workforce.groups.vocabulary_for`, built anew on every call) is built once with it.
    What it hands out is copied by the caller where the comparison could change it.
    tests/test_community_side_shared.py compares shared comparisons with comparisons made on their own.
    """

    def __init__(self, community: CommunityProfile, assessment, ages: tuple[int, int | None]):  # noqa: ANN001
        self.community, self.ages = community, ages
        self.vocabulary = vocabulary_for(assessment) if assessment is not None else DEFAULT_VOCABULARY
        self.holds = (community, community.rows, community.populations, assessment)
        self.rows = len(community.rows)
        self._in_profile: set[str] | None = None
        self._of: dict[str, tuple] = {}
        self._tables: dict[str, dict] = {}

    @classmethod
    def kept(cls, shared: dict | None, community: CommunityProfile, assessment,  # noqa: ANN001
             ages: tuple[int, int | None]) -> _CommunitySide:
        side = shared.get("community") if shared is not None else None
        if (side is None or side.ages != ages or side.rows != len(community.rows)
                or any(a is not b for a, b in zip(side.holds, (community, community.rows, community.populations,
                                                               assessment)))):
            side = cls(community, assessment, ages)
            if shared is not None:
                shared["community"] = side
        return side

    def in_profile(self) -> set[str]:
        if self._in_profile is None:
            self._in_profile = set(self.community.characteristics())  # it walks every row of the profile
        return set(self._in_profile)

    def table(self, char: str) -> dict[str, list[tuple[str | None, float]]]:
        """The characteristic's figures by group and age (:func:`_read_rows`); never changed by a comparison."""
        if char not in self._tables:
            self._tables[char] = _read_rows(self.community.rows, char, self.vocabulary)
        return self._tables[char]

    def of(self, char: str, classification) -> tuple:  # noqa: ANN001
        """The figures, (residents, note, cut) from :func:`_residents`, the weights within the cut, and
        whether the profile counts people, for a characteristic other than age."""
        if char not in self._of:
            table = self.table(char)
            whom = _residents(table, self.community.populations.get(char), classification, self.ages)
            self._of[char] = (table, whom, _weights(table, whom[2]), _counts_people(self.community, char))
        return self._of[char]


def _counts_people(community: CommunityProfile, char: str) -> bool:
    return any(r.count is not None for r in community.rows if r.characteristic == char)


def _weights(table: dict[str, list[tuple[str | None, float]]], cut: tuple[int, int | None] | None
             ) -> dict[str, float]:
    """Each group's residents: within the ages cut to, from a table by age (its age subtotals left
    out), else every figure the table gives."""
    bands = {a: age_band(a) for by_age in table.values() for a, _ in by_age if a is not None}
    bands = {a: (b[0], b[1] if b[1] is not None else 999) for a, b in bands.items() if b is not None}
    if not bands:
        return {g: sum(v for _, v in by_age) for g, by_age in table.items()}
    subtotal = {a for a, (lo, hi) in bands.items()
                if _tiled_by(lo, hi, [b for c, b in bands.items() if c != a and lo <= b[0] and b[1] <= hi])}
    top = (cut[1] if cut[1] is not None else 999) if cut else 999
    first = cut[0] if cut else 0
    return {g: sum(v for a, v in by_age if a in bands and a not in subtotal
                   and first <= bands[a][0] and bands[a][1] <= top) for g, by_age in table.items()}


def _tiled_by(lo: int, hi: int, parts: list[tuple[int, int]]) -> bool:
    at = lo
    for a, b in sorted(parts):
        if a != at:
            return False
        at = b + 1
    return len(parts) > 1 and at == hi + 1


def _residents(table: dict[str, list[tuple[str | None, float]]], population: str | None, classification,  # noqa: ANN001
               ages: tuple[int, int | None]) -> tuple[str, str, tuple[int, int | None] | None]:
    """Which residents a characteristic is compared with, why (a sentence, or ""), and the ages they
    are cut to (None: not cut)."""
    bands = sorted({age_band(a) for by_age in table.values() for a, _ in by_age if a is not None and age_band(a)},
                   key=lambda b: (b[0], b[1] if b[1] is not None else 999))
    label = characteristic_label(classification.characteristic) if classification is not None else "it"
    if bands:
        cut = _cut(bands, ages)
        if cut is not None:
            note = "" if cut == ages else (f"The profile's age bands allow no nearer cut to the working ages "
                                          f"({_ages_words(ages)}).")
            return f"residents {_range_words(cut)}", note, cut
    whole = _population_ages(population) if population else None
    if whole is None and classification is not None:
        whole = classification.ages
    whole = whole or (0, None)
    if whole == (0, None):
        return ("residents of all ages", f"The profile does not give {label} by age, so children and people over "
                f"{ages[1] or 64} are counted too.", None)
    if whole[1] is None:
        return (f"residents {_range_words(whole)}", f"The Census counted {label} for people {_range_words(whole)}, "
                f"and the profile does not give it by age, so people over {ages[1] or 64} are counted too.", None)
    return f"residents {_range_words(whole)}", "", None


def _cut(bands: list[tuple[int, int | None]], ages: tuple[int, int | None]) -> tuple[int, int | None] | None:
    """The ages a table by age can be cut to that hold the working ages with the fewest others: from
    the start of the band holding the first working age to the end of the band holding the last."""
    first, last = ages
    starts = [lo for lo, _ in bands if lo <= first]
    if not starts:
        return None
    start = max(starts)
    if last is None:
        return start, None
    ends = [hi for _, hi in bands if hi is not None and hi >= last]
    if ends:
        return start, min(ends)
    return (start, None) if any(hi is None for _, hi in bands) else None


def _compare_groups(result: CommunityComparison, char: str, staff_counts: Counter, recorded: set[str],
                    weights: dict[str, float], classification, where: str, whom: tuple[str, str, str],  # noqa: ANN001
                    counted: bool) -> None:
    """Ratios for one characteristic's groups at the finest level both sides share.

    ``recorded`` are the groups the workforce file records people in (the whole file's, when
    ``staff_counts`` is part of it): they set the level, so senior staff are compared at the same level.
    """
    unknown_staff = {g: n for g, n in staff_counts.items() if classification is not None and g not in
                     classification.categories and n}
    unknown_table = [g[1:] for g in weights if g.startswith("?")]
    if classification is not None:
        cut = classification.common_cut([g for g in weights if g in classification.categories],
                                        [g for g in recorded if g in classification.categories])
        groups = cut.groups
        staff_at = _added_up(classification, groups, staff_counts)
        table_at = _added_up(classification, groups, weights)
        level = _level_words(classification, cut)
        for g in groups:
            result.names.setdefault(char, {})[g] = classification.name(g)
    else:
        # Groups named in words of their own: only those both files name are compared.
        groups = sorted(g for g in recorded if g in weights)
        staff_at = {g: staff_counts.get(g, 0) for g in groups}
        table_at = {g: weights[g] for g in groups}
        level = "the groups both files name"
        unknown_staff = {g: n for g, n in staff_counts.items() if g not in weights and n}
        unknown_table = sorted(g for g in weights if g not in recorded)
    compared = [g for g in groups if table_at[g] > 0]
    notes = []
    if unknown_staff:
        notes.append(and_list([f"'{g}' ({unknown_staff[g]:,} {where})" for g in sorted(unknown_staff)])
                     + (" left out, not a group the Census counts" if classification is not None else
                        " left out, not a group the community profile names"))
    if unknown_table:
        notes.append("the community profile's " + and_list([f"'{g}'" for g in sorted(unknown_table)])
                     + (" left out, not a Census group efl can place" if classification is not None else
                        " left out, not a group the workforce file names"))
    doubt = _mostly_unplaced(unknown_staff, staff_at, result.min_group, where) if classification is not None else ""
    doubt = doubt or (_mostly_unplaced({g[1:]: v for g, v in weights.items() if g.startswith("?")}, table_at,
                                       result.min_group if counted else 0, "residents", "the community profile's")
                      if classification is not None else "")
    if doubt:
        result.not_compared[char] = doubt
        return
    empty = [g for g in groups if table_at[g] <= 0 and staff_at[g] > 0]
    if empty:
        notes.append(and_list([result.name(char, g) for g in empty]) + " left out, as the community profile has no "
                     "residents in " + ("it" if len(empty) == 1 else "them"))
    if len(compared) < 2:
        only = "the two files share only one group" if compared else "the two files share no group"
        result.not_compared[char] = only + (f" ({'; '.join(notes)})" if notes else "")
        return
    staff_total = sum(staff_at[g] for g in compared)
    if not staff_total:
        result.not_compared[char] = f"nobody among the {where} recorded it"
        return
    _ratios(result, char, compared, staff_at, table_at, counted)
    residents, staff_words, note = whom
    result.basis[char] = Basis(level, residents, staff_words, note,
                               getattr(classification, "caution", "") if classification is not None else "")
    if notes:
        result.not_compared[char] = "; ".join(notes)


def _added_up(classification, groups: list[str], figures: dict[str, float]) -> dict[str, float]:  # noqa: ANN001
    """Each group's figures added up: every figure of the group or one of its parts, in the order of
    ``figures``, by ``sum`` (so floats add up exactly as a sum over the figures inside each group).

    Each figure goes to the compared groups among its own ancestors (a handful), rather than each
    group looking through every figure. tests/test_representation_added_up.py compares it with that.
    """
    wanted = set(groups)
    inside: dict[str, list[float]] = {g: [] for g in wanted}
    for category, value in figures.items():
        if category in classification.categories:
            for above in classification.ancestors(category):
                if above in wanted:
                    inside[above].append(value)
    return {g: sum(inside[g]) for g in groups}


def _ratios(result: CommunityComparison, char: str, compared: list[str], staff_at: dict[str, float],
            table_at: dict[str, float], counted: bool) -> None:
    """Each compared group's share of staff over its share of residents; a group of fewer than the
    threshold is too few (named with its counts), though it still counts in both totals."""
    staff_total = sum(staff_at[g] for g in compared)
    table_total = sum(table_at[g] for g in compared)
    for g in compared:
        if staff_at[g] < result.min_group or (counted and table_at[g] < result.min_group):
            counts = {"staff": int(staff_at[g])}
            if counted:
                counts["residents"] = int(table_at[g])
            result.too_few.setdefault(char, {})[g] = counts
            continue
        staff_pct = staff_at[g] / staff_total * 100
        community_pct = table_at[g] / table_total * 100
        result.ratios.setdefault(char, {})[g] = staff_pct / community_pct
        result.shares.setdefault(char, {})[g] = (staff_pct, community_pct)


def _level_words(classification, cut) -> str:  # noqa: ANN001
    """At which level a characteristic was compared, in words."""
    finest = classification.levels[-1][0] if classification.levels else None
    if cut.level is not None:
        words = classification.level_title(cut.level)
        return words if cut.level == finest else f"{words}, the finest level both files share"
    if cut.rolled_up:
        kept = and_list([classification.name(g) for g in cut.rolled_up])
        return f"the finest groups both files share, with {kept} kept whole"
    return "the finest groups both files share"


def _compare_ages(result: CommunityComparison, staff_counts: Counter, community: CommunityProfile,
                  ages: tuple[int, int | None], vocabulary: Vocabulary, defined, where: str,  # noqa: ANN001
                  side: _CommunitySide | None = None) -> None:
    char = "age"
    table = side.table(char) if side is not None else _read_rows(community.rows, char, vocabulary)
    weights = {g: sum(v for _, v in by_age) for g, by_age in table.items()}
    staff_counts = Counter(staff_counts)
    for group in (defined or {}).get(char, ()):
        staff_counts.setdefault(group, 0)
    merged = merge_age_bands(weights, [g for g in staff_counts], *ages)
    banded = merged is not None and _mostly_single_years(merged.left)
    if banded:
        # Single years on both sides (ONS's 101 ages, HR's ages or dates of birth) would compare a
        # handful of people per year: band them to ONS's own age bands instead.
        merged = merge_age_bands(weights, [*staff_counts, *ONS_AGE_BANDS], *ages)
    if merged is None:
        result.not_compared[char] = ("the age groups are not written as age bands such as 16-24 or "
                                     "65 and over, so they cannot be lined up")
        return
    table_at = {name: sum(weights[x] for x in labels) for name, labels in merged.left.items()}
    staff_at = {name: sum(staff_counts[x] for x in labels) for name, labels in merged.right.items()}
    compared = [g for g in sorted(table_at, key=lambda n: int(n.rstrip("+").split("-")[0])) if table_at[g] > 0]
    note = f" from {_ages_words(ages)}" if ages != (0, None) else ""
    if len(compared) < 2:
        result.not_compared[char] = f"the staff and community age bands line up in fewer than two bands{note}"
        return
    staff_total = sum(staff_at.get(g, 0) for g in compared)
    if not staff_total:
        result.not_compared[char] = f"nobody among the {where} recorded it"
        return
    for g in compared:
        result.names.setdefault(char, {})[g] = g
    _ratios(result, char, compared, {g: staff_at.get(g, 0) for g in compared}, table_at,
            _counts_people(community, char))
    lows = [_band_bounds(g) for g in compared]
    span = (min(lo for lo, _ in lows), max(hi for _, hi in lows))
    span = (span[0], None if span[1] >= 998 else span[1])
    note = "" if span == ages else (f"Bands that cross {ages[0]} or {ages[1] or 'the top'} are left out, as they "
                                    "cannot be split.")
    level = (f"ONS's age bands {and_list(compared)} (both files give single years of age)" if banded
             else f"the bands {and_list(compared)}, the finest both files share")
    result.basis[char] = Basis(level,
                               f"residents {_range_words(span)}", f"{where} {_range_words(span)}", note)
