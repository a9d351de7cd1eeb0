"""Does the workforce reflect the community? Comparing like with like.

A community profile (e.g. the Census) and a workforce file rarely describe people the same way: the
Census counts children and bands ages 0-15, 16-24, ...; HR bands ages 16-24, 25-34, ...; one says
"Black, Black British" and the other "black or black british"; both have rows for people who did not
answer. A ratio is only true if both sides count the same groups, so:

* rows that record no answer ("not answered", "prefer not to say" ...) are left out on both sides;
* only groups both files define are compared, and each side's shares are taken over those groups;
* ages are compared within the range the council declares (working age, 16 to 64, by default), in
  the finest bands both files can be added up to; bands outside it (children) are left out;
* a characteristic with fewer than two groups in common cannot be compared, and is reported as such,
  never as a share of 0.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from efl.errors import Diagnostic
from efl.workforce.groups import DEFAULT_VOCABULARY, GROUP, Vocabulary, merge_age_bands, parse_age_range, vocabulary_for
from efl.core.models import characteristic_label
from efl.reports.report_text import and_list

DEFAULT_AGES = "16-64"


@dataclass(frozen=True)
class CommunityRow:
    characteristic: str
    group: str
    count: int | None
    percent: float | None
    line: int = 0


@dataclass
class CommunityProfile:
    """Who lives in the area: one row per characteristic and group, with a count or a percentage.

    Published by the ``communities`` plugin's evidence type for the community profile and read by any
    plugin that compares with the community.
    """

    rows: list[CommunityRow]
    warnings: list[Diagnostic] = field(default_factory=list)

    def characteristics(self) -> dict[str, set[str]]:
        """Each characteristic's groups as written (lower case), answered or not."""
        groups: dict[str, set[str]] = {}
        for row in self.rows:
            groups.setdefault(row.characteristic, set()).add(row.group.strip().lower())
        return groups

    def weights(self, characteristic: str, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> dict[str, float]:
        """Each answered group's count or percentage, keyed as the vocabulary reads the group name."""
        out: dict[str, float] = {}
        for row in self.rows:
            if row.characteristic != characteristic:
                continue
            reading = vocabulary.read(characteristic, row.group)
            if reading.kind != GROUP or not reading.group:
                continue
            value = row.count if row.count is not None else row.percent
            out[reading.group] = out.get(reading.group, 0.0) + float(value or 0)
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
class CommunityComparison:
    """Ratios per characteristic and group, the shares behind them, and what could not be compared."""

    ratios: dict[str, dict[str, float]] = field(default_factory=dict)
    shares: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # (staff %, community %)
    not_compared: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # a group's name for sentences

    def named_ratios(self) -> dict[str, dict[str, float]]:
        """The ratios keyed by each group's name as people read it (``White British``), for the result."""
        return {char: {self.names.get(char, {}).get(g, g): r for g, r in groups.items()}
                for char, groups in self.ratios.items()}

    def lowest(self, min_community_pct: float) -> Lowest | None:
        best = None
        for char in sorted(self.ratios):
            for group in sorted(self.ratios[char]):
                staff, community = self.shares[char][group]
                ratio = self.ratios[char][group]
                if community >= min_community_pct and (best is None or ratio < best.ratio):
                    best = Lowest(ratio, char, group, staff, community, self.names.get(char, {}).get(group, group))
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


def community_age_range(assessment) -> tuple[int, int | None]:  # noqa: ANN001
    values = getattr(assessment, "values", None)
    return parse_age_range(getattr(values, "compare_ages", None) or DEFAULT_AGES)


def _range_words(ages: tuple[int, int | None]) -> str:
    first, last = ages
    return f"{first} and over" if last is None else f"{first} to {last}"


def compare_with_community(staff: dict[str, Counter], community: CommunityProfile,
                           ages: tuple[int, int | None] = (16, 64), assessment=None,  # noqa: ANN001
                           defined: dict[str, set[str]] | None = None) -> CommunityComparison:
    """Compare staff groups (per characteristic, how many people are in each group) with the community.

    ``defined`` gives the groups the workforce file uses, when ``staff`` is only part of it (e.g.
    senior grades): a group the file uses but this part has nobody in is a true 0, not a group the
    two files fail to share.
    """
    vocabulary = vocabulary_for(assessment) if assessment is not None else DEFAULT_VOCABULARY
    result = CommunityComparison()
    for char in sorted(set(community.characteristics()) - set(staff)):
        result.not_compared[char] = "the workforce file has no column for it"
    for char in sorted(set(staff) & set(community.characteristics())):
        staff_counts = Counter(staff[char])
        for group in (defined or {}).get(char, ()):
            staff_counts.setdefault(group, 0)
        weights = community.weights(char, vocabulary)
        if not staff_counts or not weights:
            result.not_compared[char] = ("no answered groups in the workforce file" if not staff_counts
                                         else "no answered groups in the community profile")
            continue
        note = ""
        if char == "age":
            merged = merge_age_bands(weights, staff_counts, *ages)
            if merged is None:
                result.not_compared[char] = ("the age groups are not written as age bands such as 16-24 or "
                                             "65 and over, so they cannot be lined up")
                continue
            weights = {name: sum(weights[x] for x in labels) for name, labels in merged.left.items()}
            staff_counts = Counter({name: sum(staff_counts[x] for x in labels)
                                    for name, labels in merged.right.items()})
            note = f" from {_range_words(ages)}"
        shared = sorted(g for g in staff_counts.keys() & weights.keys() if weights[g] > 0)
        if len(shared) < 2:
            only = ("the two files share only one group" if shared else "the two files share no group")
            result.not_compared[char] = (f"{only}{note}" if char != "age" else
                                         f"the staff and community age bands line up in fewer than two bands"
                                         f"{note}")
            continue
        staff_total = sum(staff_counts[g] for g in shared)
        if not staff_total:
            result.not_compared[char] = "nobody in these grades recorded it"
            continue
        community_total = sum(weights[g] for g in shared)
        classification = vocabulary.library().get(char)
        for g in shared:
            if classification is not None:
                result.names.setdefault(char, {})[g] = classification.name(g)
            staff_pct = staff_counts[g] / staff_total * 100
            community_pct = weights[g] / community_total * 100
            result.ratios.setdefault(char, {})[g] = staff_pct / community_pct
            result.shares.setdefault(char, {})[g] = (staff_pct, community_pct)
        unshared = sorted((staff_counts.keys() | weights.keys()) - set(shared))
        if unshared and char != "age":
            result.not_compared[char] = (f"only the groups both files share are compared; not compared: "
                                         f"{', '.join(unshared)}")
    return result

