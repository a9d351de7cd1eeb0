"""Comparing more than two results: one council over the years (trend), several councils side by side.

Small groups are protected in the cross-council summary: a count between 1 and ``min_group - 1``
is not shown, so that no council can be picked out from a summary meant to be anonymous.
"""

from __future__ import annotations

from pydantic import BaseModel

from efl.peer.compare import framework_key, require_same_framework
from efl.errors import Diagnostic, InputError
from efl.core.models import Level, Result
from efl.reports.report_text import level_rank


class CriterionChange(BaseModel):
    id: str
    title: str
    before: str | None
    after: str | None
    comparable: bool = True
    edition_change: str = ""  # how the crosswalk pairs it, when the edition changed at this step
    local: bool = False       # a criterion one result's local tailoring added, not the edition's


class ActionRef(BaseModel):
    area: str
    criterion: str | None
    what: str
    why: str = ""


class TrendStep(BaseModel):
    before: str
    after: str
    edition_changed: bool = False
    changed: list[CriterionChange]
    not_comparable: list[CriterionChange] = []
    closed: list[ActionRef]
    # Gone from the plan although the criterion is still not met: the area fell below its level,
    # and actions are proposed only up to the next level, so a lower criterion now comes first.
    blocked: list[ActionRef] = []
    # Gone because the later edition has no counterpart criterion.
    no_counterpart: list[ActionRef] = []
    still_open: list[ActionRef]
    new: list[ActionRef]


class TrendArea(BaseModel):
    id: str
    title: str
    levels: list[str | None]  # one per result, oldest first, in that result's edition; None: not yet at the first level
    present: list[bool]       # False where that result's edition has no counterpart area
    agreed: list[bool] = []   # True where the level is the one agreed after a peer challenge
    edition_notes: list[str] = []  # per result: how the crosswalk links this area, where the edition changed


class MappedLevel(BaseModel):
    level: str | None
    confidence: str
    source: str


class Trend(BaseModel):
    council: str
    dates: list[str]
    frameworks: list[str]
    sources: list[str]
    levels: list[Level]               # the latest result's levels
    editions: list[list[Level]] = []  # each result's own levels, oldest first
    overall: list[str | None]
    overall_agreed: list[bool] = []
    overall_maps_to: list[list[MappedLevel]] = []  # into the latest edition, where its levels differ
    areas: list[TrendArea]
    steps: list[TrendStep]
    hypothetical: list[bool] = []  # per result: a what-if, not the council's own result


def _used_level(result: Result, area) -> tuple[str | None, bool]:  # noqa: ANN001
    """The level a trend shows for an area: the one agreed after a challenge, else the evidence's."""
    agreed = result.assessment.agreed.get(area.id)
    if agreed is not None:
        return agreed.level, True
    if area.agreed_reason:
        return area.agreed_level, True
    return area.level, False


def trend(results: list[tuple[str, Result]], crosswalks=None) -> Trend:  # noqa: ANN001
    """The same council over time, oldest first; editions may differ where a crosswalk links them."""
    if len(results) < 2:
        raise InputError(Diagnostic(results[0][0] if results else "efl compare",
                                    message="a trend needs at least two results (expected two or more files)"))
    councils = {r.assessment.council for _, r in results}
    if len(councils) > 1:
        raise InputError([Diagnostic(src, message=f"is for {r.assessment.council} (expected one council in a trend; "
                                     "use --across to compare councils)") for src, r in results])
    ordered = sorted(results, key=lambda sr: (sr[1].assessment.date, sr[0]))
    latest = ordered[-1][1]
    if crosswalks is None:
        require_same_framework(ordered)
    for fid in {r.framework.id for _, r in ordered}:
        require_same_framework([(s, r) for s, r in ordered if r.framework.id == fid])  # one version per edition

    def to_latest(result: Result):  # noqa: ANN202
        if result.framework.id == latest.framework.id:
            return None
        return crosswalks.between(result.framework.id, latest.framework.id)

    walks = [to_latest(r) for _, r in ordered]
    latest_ids = [lv.id for lv in latest.framework.levels]
    areas = []
    for area in latest.areas:
        levels, present, agreed, notes = [], [], [], []
        for (_, r), walk in zip(ordered, walks):
            # Areas an older edition had apart and a newer one merged show the lower of their levels.
            matches = [x for x in r.areas if (area.id in walk.areas_for(x.id) if walk else x.id == area.id)]
            used = [(x, *_used_level(r, x)) for x in matches]
            lowest = min(used, key=lambda u: level_rank(r, u[1]), default=None)
            levels.append(lowest[1] if lowest else None)
            agreed.append(bool(lowest and lowest[2]))
            present.append(bool(matches))
            notes.append(_edition_note(walk, matches, area.id, r) if walk else "")
        areas.append(TrendArea(id=area.id, title=area.title, levels=levels, present=present, agreed=agreed,
                               edition_notes=notes))
    overall, overall_agreed, maps = [], [], []
    for (_, r), walk in zip(ordered, walks):
        used = [_used_level(r, x) for x in r.areas]
        low = min(used, key=lambda u: level_rank(r, u[0]))
        overall.append(low[0] if any(u[1] for u in used) else r.overall_level)
        overall_agreed.append(any(u[1] for u in used))
        same_scale = [lv.id for lv in r.framework.levels] == latest_ids
        maps.append([] if walk is None or same_scale else
                    [MappedLevel(level=m.level, confidence=m.confidence, source=m.source)
                     for m in walk.levels_for(overall[-1])])
    steps = [_step(ordered[i], ordered[i + 1], crosswalks) for i in range(len(ordered) - 1)]
    return Trend(council=latest.assessment.council, dates=[r.assessment.date.isoformat() for _, r in ordered],
                 frameworks=[framework_key(r) for _, r in ordered], sources=[s for s, _ in ordered],
                 levels=latest.framework.levels, editions=[r.framework.levels for _, r in ordered],
                 overall=overall, overall_agreed=overall_agreed, overall_maps_to=maps, areas=areas, steps=steps,
                 hypothetical=[r.hypothetical for _, r in ordered])


def _added(criterion) -> bool:  # noqa: ANN001
    return any(x.kind == "added" for x in criterion.local)


def _edition_note(walk, matches, target_id: str, result: Result) -> str:  # noqa: ANN001
    """How an area of the latest edition relates to this older result's areas, in words."""
    if not matches:
        return f"not in {result.framework.title}"
    pairs = [p for p in walk.area_pairs if p.b == target_id and p.a in {x.id for x in matches}]
    titles = " and ".join(x.title for x in matches)
    if len(matches) > 1:
        return f"merged from {titles}; the lower level is shown"
    if any(len(walk.areas_for(x.id)) > 1 for x in matches):
        return f"split from {titles}"
    if any(p.relation == "changed" for p in pairs):
        note = next((p.note for p in pairs if p.note), "")
        return f"was {titles}" + (f" ({note})" if note else "")
    return ""


def _step(before: tuple[str, Result], after: tuple[str, Result], crosswalks) -> TrendStep:  # noqa: ANN001
    (_, a), (_, b) = before, after
    walk = crosswalks.between(a.framework.id, b.framework.id) if a.framework.id != b.framework.id else None
    b_criteria = {c.id: c for area in b.areas for c in area.criteria}
    changed, not_comparable = [], []
    for area in a.areas:
        for c in area.criteria:
            target = walk.criterion(c.id) if walk else c.id
            other = b_criteria.get(target) if target else None
            if other is None:
                local = _added(c)
                not_comparable.append(CriterionChange(
                    id=c.id, title=c.title, before=c.outcome, after=None, comparable=False, local=local,
                    edition_change="a local criterion of the earlier result" if local else "only in the earlier edition"))
            elif other.outcome != c.outcome:
                label = c.id if other.id == c.id else f"{c.id} → {other.id}"
                relation = next((p.relation for p in walk.criterion_pairs if p.a == c.id), "") if walk else ""
                note = {"same": "same criterion in the new edition",
                        "changed": "changed in the new edition"}.get(relation, "")
                changed.append(CriterionChange(id=label, title=other.title, before=c.outcome, after=other.outcome,
                                               edition_change=note))

    if walk:
        reached = {walk.criterion(c.id) for area in a.areas for c in area.criteria}
    else:
        reached = {c.id for area in a.areas for c in area.criteria}
    # Criteria only the later result has: new in its edition, or its own local tailoring's.
    not_comparable += [CriterionChange(id=c.id, title=c.title, before=None, after=c.outcome, comparable=False,
                                       local=_added(c), edition_change="a local criterion of the later result"
                                       if _added(c) else "new in the later edition")
                       for area in b.areas for c in area.criteria if c.id not in reached and (walk or _added(c))]

    def key(action, mapped: bool) -> tuple:  # noqa: ANN001
        criterion = action.criterion
        if mapped and walk and criterion:
            criterion = walk.criterion(criterion)
            if criterion is None:
                return ("no counterpart", action.criterion)
        return (criterion, None) if criterion else (action.area, action.what)

    later = {key(x, False): x for x in b.actions}
    earlier = {key(x, True): x for x in a.actions}

    def ref(x) -> ActionRef:  # noqa: ANN001
        return ActionRef(area=x.area, criterion=x.criterion, what=x.what, why=x.why)

    closed, blocked, gone = [], [], []
    for k, x in earlier.items():
        if k in later:
            continue
        if k[0] == "no counterpart":
            gone.append(ref(x))
            continue
        target = b_criteria.get(k[0]) if x.criterion else None
        if target is not None and target.outcome not in ("met", "not_applicable"):
            blocked.append(ref(x))
        else:
            closed.append(ref(x))
    return TrendStep(before=a.assessment.date.isoformat(), after=b.assessment.date.isoformat(),
                     edition_changed=walk is not None, changed=changed, not_comparable=not_comparable,
                     closed=closed, blocked=blocked, no_counterpart=gone,
                     still_open=[ref(later[k]) for k in earlier if k in later],
                     new=[ref(x) for k, x in later.items() if k not in earlier])


# --- across councils ------------------------------------------------------------------------------
#
# Disclosure control that survives subtraction. The summary prints, per row (an area, or overall),
# how many councils are at each level, and the row's total (the number of councils) is known. So:
# 1. primary suppression: a count from 1 to min_group - 1 is hidden;
# 2. complementary suppression: a row with a hidden count gets a second hidden count (the smallest
#    shown one, zeros included), so the total minus the shown counts gives only the sum of two or
#    more hidden cells, never one of them;
# 3. no council's name or row in the publishable summary: the council-by-council table appears
#    only when asked for (--show-councils), and the output then says it is not for publication.
# Rows are independent: no column totals are printed, and the overall level is not a sum of areas.


class LevelCount(BaseModel):
    level: str | None
    title: str
    count: int | None  # None: hidden
    hidden: bool = False
    reason: str = ""   # "small" (fewer than min_group) or "complementary"


class AcrossArea(BaseModel):
    id: str
    title: str
    levels: dict[str, str | None]  # council -> level (only with --show-councils)
    councils: int                  # the row's total: councils with a level for this area
    summary: list[LevelCount]


class Across(BaseModel):
    framework: str
    count: int
    councils: list[str]
    min_group: int
    names_shown: bool
    publishable: bool
    method: str
    levels: list[Level]
    areas: list[AcrossArea]
    overall: list[LevelCount]
    overall_councils: int = 0
    mapped: list[str] = []  # councils whose results were read through a crosswalk


DISCLOSURE_METHOD = (
    "Counts from 1 to {k1} are hidden (shown as 'hidden'); wherever a row has a hidden count a second "
    "count is hidden too, so no hidden count can be worked out by subtracting the others from the row's "
    "total. Other counts, zeros included, are exact. No council is named.")


def suppress(counts: list[int], min_group: int) -> list[str | None]:
    """Which cells of one row to hide: None (shown), "small" or "complementary"."""
    marks: list[str | None] = ["small" if 0 < n < min_group else None for n in counts]
    if sum(1 for m in marks if m) == 1:
        # The smallest shown count (a zero if there is one) goes too; ties: the first.
        shown = [(n, i) for i, (n, m) in enumerate(zip(counts, marks)) if m is None]
        if shown:
            marks[min(shown)[1]] = "complementary"
    return marks


def across(results: list[tuple[str, Result]], min_group: int = 5, show_names: bool = True,
           crosswalks=None) -> Across:  # noqa: ANN001
    """Several councils side by side per area: a summary with disclosure control (see above).

    Results from other editions are read through a crosswalk into the edition of the most recent
    result (merged areas at the lower of their levels), when their levels are the same scale.
    """
    seen: dict[str, str] = {}
    for src, r in results:
        if r.hypothetical:  # a published summary counts councils' own results only
            raise InputError(Diagnostic(src, message="is a what-if result (it assumes figures the evidence does "
                                        "not give), not the council's own (expected results assessed without "
                                        "--assume)"))
        name = r.assessment.council
        if name in seen:
            raise InputError(Diagnostic(src, message=f"{name} is also in {seen[name]} (expected each council once; "
                                        "use --trend for one council over time)"))
        seen[name] = src
    target = max(results, key=lambda sr: (sr[1].assessment.date, sr[1].framework.id))[1]
    for fid in {r.framework.id for _, r in results}:
        require_same_framework([(s, r) for s, r in results if r.framework.id == fid])
    if crosswalks is None:
        require_same_framework(results)
    levels = target.framework.levels
    ids = [lv.id for lv in levels]
    order = [None, *ids]
    rows: dict[str, dict[str, str | None]] = {area.id: {} for area in target.areas}
    overall: dict[str, str | None] = {}
    mapped = []
    for src, r in results:
        name = r.assessment.council
        if r.framework.id == target.framework.id:
            for area in r.areas:
                rows[area.id][name] = area.level
            overall[name] = r.overall_level
            continue
        walk = crosswalks.between(r.framework.id, target.framework.id)
        if [lv.id for lv in r.framework.levels] != ids:
            raise InputError(Diagnostic(src, message=f"{r.framework.title} uses other levels than "
                                        f"{target.framework.title} (expected editions with the same levels, "
                                        "e.g. eflg-2014 and eflg-2021; compare this council with --trend)"))
        mapped.append(name)
        for area in target.areas:
            matches = [x for x in r.areas if area.id in walk.areas_for(x.id)]
            if matches:
                rows[area.id][name] = min((x.level for x in matches), key=lambda lv: level_rank(r, lv))
        overall[name] = r.overall_level

    def counts(values: list[str | None]) -> list[LevelCount]:
        numbers = [sum(1 for v in values if v == level) for level in order]
        marks = suppress(numbers, min_group)
        return [LevelCount(level=level, title=target.level_title(level), count=None if mark else n,
                           hidden=bool(mark), reason=mark or "")
                for level, n, mark in zip(order, numbers, marks)]

    areas = [AcrossArea(id=area.id, title=area.title, levels=dict(sorted(rows[area.id].items())) if show_names else {},
                        councils=len(rows[area.id]), summary=counts(list(rows[area.id].values())))
             for area in target.areas]
    return Across(framework=framework_key(target), count=len(results), councils=sorted(seen) if show_names else [],
                  min_group=min_group, names_shown=show_names, publishable=not show_names,
                  method=DISCLOSURE_METHOD.format(k1=min_group - 1), levels=levels, areas=areas,
                  overall=counts(list(overall.values())), overall_councils=len(overall), mapped=sorted(mapped))
