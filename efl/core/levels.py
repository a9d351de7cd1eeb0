"""The one level policy: which outcomes count towards a level, the level an area reaches, and how
several levels make one (the council's overall level, a group of merged areas, the agreed levels).

Scoring (the built-in scorer), the engine's overall level, reports, ``efl compare`` (trend and
across) and ``--target`` all decide levels here and nowhere else, so a change to the rule is one
change. The overall level of an assessment is pluggable: the engine asks ``efl_overall_level``
(first result wins), and the built-in answer, asked last, is :func:`lowest` of the areas' levels.

Levels are compared by rank (:class:`efl.core.models.LevelOrder`): 0 is "not yet at the first
level" (``None``), 1 the first level, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

# Levels, orders and criterion results are efl.core.models' types, which call this module: named here
# without importing them (the import graph has no cycles, type-only imports included).
CriterionResult = Level = LevelOrder = Any

# The outcomes that let an area reach the level of a criterion: met, or does not apply to this council.
# Not met and insufficient evidence both hold the area below it.
PASSING = ("met", "not_applicable")


def passes(outcome: str) -> bool:
    """Whether a criterion with this outcome counts towards its level."""
    return outcome in PASSING


@dataclass(frozen=True)
class Reached:
    """The level an area's criteria reach under the cumulative rule (:func:`reached`).

    :ivar level: the highest level reached (``None``: not yet the first).
    :ivar short_of: the first level not reached (``None`` when every level is).
    :ivar blocking: that level's criteria that do not pass, in framework order.
    """

    level: str | None
    short_of: Level | None = None
    blocking: list[CriterionResult] = field(default_factory=list)


def reached(levels: Iterable[Level], criteria: Iterable[CriterionResult]) -> Reached:
    """The cumulative rule: an area reaches the highest level all of whose criteria, and all
    criteria of the levels below, are met or do not apply."""
    criteria = list(criteria)
    level_id = None
    for level in levels:
        blocking = [c for c in criteria if c.level == level.id and not passes(c.outcome)]
        if blocking:
            return Reached(level_id, level, blocking)
        level_id = level.id
    return Reached(level_id)


def lowest(order: LevelOrder, levels: Iterable[str | None]) -> str | None:
    """The lowest of several levels (``None``, "not yet", is lowest of all; no levels gives ``None``).

    Areas that one edition keeps apart and another merges take the lowest of their levels.
    """
    ranks = [order.level_rank(level) for level in levels]
    return order.level_at(min(ranks)) if ranks else None


def default_overall(order: LevelOrder, levels: Iterable[str | None]) -> str | None:
    """The council's overall level by default: the lowest level any area reaches."""
    return lowest(order, levels)


def is_lowest(order: LevelOrder, overall: str | None, levels: Iterable[str | None]) -> bool:
    """Whether an overall level is the lowest of the areas' (what reports may then say in words)."""
    return order.level_rank(overall) == order.level_rank(lowest(order, levels))


def held_back_by(order: LevelOrder, levels: dict[str, str | None], target: str,
                 overall: Callable[[dict[str, str | None]], str | None] | None = None) -> list[str]:
    """The areas (ids, lowest first) that must reach a target level for the overall level to reach it.

    :param levels: each area's level, by area id.
    :param overall: the overall rule in force, from areas' levels (default :func:`default_overall`).
        Under the default rule every area below the target holds the overall level back; under a
        plugin's rule (say, most areas) fewer may: an area is named when raising all the others below
        the target, but not it, still leaves the overall level short.
    """
    overall = overall or (lambda by_area: default_overall(order, by_area.values()))
    rank = order.level_rank(target)
    below = sorted((order.level_rank(level), i, area) for i, (area, level) in enumerate(levels.items())
                   if order.level_rank(level) < rank)
    names = [area for _, _, area in below]
    if order.level_rank(overall(levels)) >= rank:
        return []  # the overall level is there already
    if not names or order.level_rank(overall({**levels, **dict.fromkeys(names, target)})) < rank:
        return names  # raising them all is not enough (or nothing is below): every one of them counts
    needed = [area for area in names
              if order.level_rank(overall({**levels, **{a: target for a in names if a != area}})) < rank]
    return needed or names  # no one area is needed: any of them would do
