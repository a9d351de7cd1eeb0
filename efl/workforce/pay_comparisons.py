"""Which groups a pay gap report by ethnic group (or disability) can show, and why the others are not.

The government's ethnicity pay reporting guidance (Department for Business and Trade, 2023) compares
each ethnic group with one reference group (White British), and all ethnic minority employees
together with it, at the finest classification the data and the group sizes allow: a group too
small to show on its own is combined into the broader group it belongs to (Bangladeshi into Asian,
Asian, Asian British or Asian Welsh), or withheld, and is never shown alone. The Equality (Race and
Disability) Bill consultation (2025) proposes at least 10 employees in every group compared.

A group's size is not the only risk: a figure for a group can be worked out by subtracting the
figures of the groups shown inside it (Asian minus Indian is everyone else who is Asian). So the
groups shown here also pass a second test, that the people in a shown group but in none of the
shown groups within it are none, or at least the minimum. Where a group would fail it, it is not
shown on its own (its people stay in the broader groups' figures) and the reason says so.

This module plans; it does no arithmetic on pay (:mod:`efl.workforce.measures` does). It works on a
Census 2021 classification (:mod:`efl.workforce.classification`): a tree of categories with levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

ROOT = "all"
# How small groups are treated: combined into the broader group they belong to (shown at the finest
# level the sizes allow), or withheld (only the finest groups that are large enough are shown).
COMBINE = "combine"
WITHHOLD = "withhold"
FINEST = "finest"
TOGETHER = "together"  # only the reference against everyone else, taken together


@dataclass
class PlanGroup:
    """A group the report may show: a category, a category without the reference group inside it
    (White groups other than White British), or everyone outside the reference group (``ROOT``).

    :ivar categories: the recorded categories whose people are in the group (a category recorded at
        a coarse level, "Asian" with no more detail, is one of them).
    """

    id: str
    name: str
    categories: set[str]
    employees: int = 0
    children: list[PlanGroup] = field(default_factory=list)
    own: int = 0            # people recorded at this group's own level, in none of its children
    shown: bool = False
    atom: int = 0           # people in it but in none of the shown groups within it
    withdrawn: bool = False  # large enough, but not shown so that a smaller group cannot be worked out


@dataclass(frozen=True)
class NotShown:
    """A group that is not shown on its own, and why, in words for people."""

    id: str
    name: str
    why: str
    counted_in: str | None  # the shown group whose figures include its people (None: no figure does)


@dataclass
class ComparisonPlan:
    """The groups to compare with the reference group, in the classification's order (everyone outside
    the reference first), the groups not shown and why, and the people who cannot be placed."""

    reference: str
    reference_name: str
    reference_employees: int
    minimum: int
    shown: list[PlanGroup]
    not_shown: list[NotShown]
    unplaced: dict[str, int]  # recorded category -> people: a category that holds the reference group
    outside_employees: int = 0  # everyone outside the reference group who can be placed
    why_none: str | None = None


def _people(n: int) -> str:
    return f"{n:,} {'employee' if n == 1 else 'employees'}"


def plan_comparisons(classification: Any, counts: Mapping[str, int], reference: str, minimum: int = 10,
                     detail: str = FINEST, small_groups: str = COMBINE, everyone_else: str = "All other groups",
                     ) -> ComparisonPlan:
    """Plan the comparisons of a characteristic's groups with ``reference``.

    :param classification: a :class:`efl.workforce.classification.Classification`.
    :param counts: employees per recorded category id (only answers the classification knows).
    :param reference: the category everyone is compared with (``white-british``; ``not-disabled``).
    :param minimum: the fewest employees a group may have to be shown.
    :param detail: ``finest``; a level id of the classification (``high-level``): no group finer than
        it is shown; or ``together``: only everyone outside the reference, taken together.
    :param small_groups: ``combine`` (a small group is counted in the broader group it belongs to,
        which is shown if it is large enough) or ``withhold`` (only the finest groups are candidates).
    :param everyone_else: the name of everyone outside the reference group ("All ethnic minority groups").
    """
    cats = classification.categories
    if reference not in cats:
        raise ValueError(f"'{reference}' is not a group of {getattr(classification, 'title', 'the classification')}")
    in_reference = sum(n for c, n in counts.items() if classification.contains(reference, c))
    unplaced = {c: n for c, n in counts.items() if n and c != reference and classification.contains(c, reference)}
    level_ids = [lv for lv, _ in classification.levels]
    if detail not in (FINEST, TOGETHER) and detail not in level_ids:
        raise ValueError(f"'{detail}' is not a level of {classification.title}")

    def stops(cid: str) -> bool:  # no finer group is shown below this one
        return detail == TOGETHER or (detail != FINEST and detail in cats[cid].levels)

    def build(cid: str) -> PlanGroup | None:
        if cid == reference:
            return None
        holds_reference = classification.contains(cid, reference)
        if holds_reference:
            node = PlanGroup(f"{cid}-without-{reference}", f"{cats[cid].name} groups other than "
                             f"{cats[reference].name}", set())
        else:
            node = PlanGroup(cid, cats[cid].name, {cid}, own=counts.get(cid, 0))
        for child in cats[cid].children:
            sub = build(child)
            if sub is not None:
                node.children.append(sub)
                node.categories |= sub.categories
        node.employees = node.own + sum(c.employees for c in node.children)
        node.children = [c for c in node.children if c.employees]
        if stops(cid):  # finer groups are not shown: their people are this group's own
            node.own, node.children = node.employees, []
        return node

    root = PlanGroup(ROOT, everyone_else, set())
    for top in classification.roots:
        sub = build(top)
        if sub is not None and sub.employees:
            root.children.append(sub)
            root.categories |= sub.categories
    root.employees = sum(c.employees for c in root.children)
    if detail == TOGETHER:
        root.children = []
    elif small_groups == WITHHOLD:
        root.children = _finest(root)
    plan = ComparisonPlan(reference, cats[reference].name, in_reference, minimum, [], [], unplaced, root.employees)
    if in_reference < minimum or root.employees < minimum:
        small = [(cats[reference].name, in_reference), (everyone_else, root.employees)]
        names = [name for name, n in small if n < minimum]
        plan.why_none = (f"fewer than {minimum} employees are in {' and in '.join(names)}, so no comparison "
                         "can be shown without the risk of identifying people")
        return plan
    _choose(root, minimum)
    root.shown = True
    _fix_root(root, minimum)
    plan.shown = [g for g in _walk(root) if g.shown]
    plan.not_shown = _not_shown(root, minimum, small_groups)
    return plan


def _finest(root: PlanGroup) -> list[PlanGroup]:
    """The groups people are recorded in, each as a group of its own (for ``withhold``)."""
    out = []

    def visit(node: PlanGroup) -> None:
        if node.own and node is not root:
            if node.children:  # people recorded only at this group's level, beside its finer groups
                out.append(PlanGroup(f"{node.id}-only", f"{node.name} (no more detail recorded)", {node.id},
                                     node.own, own=node.own))
            else:
                out.append(PlanGroup(node.id, node.name, set(node.categories), node.own, own=node.own))
        for child in node.children:
            visit(child)

    visit(root)
    return out


def _choose(node: PlanGroup, minimum: int) -> int:
    """Decide, bottom-up, which groups inside ``node`` are shown; return the people in ``node`` in no
    shown group below it. A child is shown when it has at least ``minimum`` employees and the people
    in it but in no group shown within it are none or at least ``minimum``; a child made up wholly of
    one shown group is not shown again (the finer group stands for it)."""
    left = node.own
    for child in node.children:
        child_left = _choose(child, minimum)
        duplicate = child_left == 0 and len(_maximal(child)) == 1
        if child.employees >= minimum and (child_left == 0 or child_left >= minimum) and not duplicate:
            child.shown = True
        else:
            left += child_left
            child.withdrawn = child.employees >= minimum and not duplicate
    node.atom = left
    return left


def _maximal(node: PlanGroup) -> list[PlanGroup]:
    """The shown groups inside ``node`` with no shown group between them and it."""
    out = []
    for child in node.children:
        out += [child] if child.shown else _maximal(child)
    return out


def _fix_root(root: PlanGroup, minimum: int) -> None:
    """Everyone outside the reference is always shown, so the people in no other shown group must be
    none or at least ``minimum``; while they are not, the outermost shown group with the fewest such
    people of its own stops being shown on its own (its people join the rest)."""
    while 0 < root.atom < minimum:
        candidates = _maximal(root)
        if not candidates:
            break
        with_people = [g for g in candidates if g.atom] or candidates
        order = {id(g): i for i, g in enumerate(_walk(root))}
        victim = min(with_people, key=lambda g: (g.atom, -order[id(g)]))
        victim.shown, victim.withdrawn = False, True
        root.atom += victim.atom


def _walk(node: PlanGroup) -> list[PlanGroup]:
    out = [node]
    for child in node.children:
        out += _walk(child)
    return out


def _not_shown(root: PlanGroup, minimum: int, small_groups: str) -> list[NotShown]:
    """Each group with people that is not shown, once (a too-small group's own parts are not listed
    again), with why and which shown group's figures include its people."""
    out: list[NotShown] = []

    def visit(node: PlanGroup, shown_above: PlanGroup) -> None:
        for child in node.children:
            holder = child if child.shown else shown_above
            if not child.shown:
                counted = shown_above.name
                if child.employees < minimum:
                    where = ("counted only in the figures for " + counted) if small_groups == WITHHOLD \
                        else ("combined with the others in " + counted)
                    out.append(NotShown(child.id, child.name, f"fewer than {minimum} employees, so not shown on its "
                                        f"own: {where}", counted))
                    continue  # its parts are smaller still
                if child.withdrawn:
                    out.append(NotShown(child.id, child.name, "not shown on its own, so that the figures for a group "
                                        f"of fewer than {minimum} employees cannot be worked out by subtracting one "
                                        f"shown figure from another: counted in {counted}", counted))
            visit(child, holder)

    visit(root, root)
    return out
