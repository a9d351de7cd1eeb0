"""Comparing more than two results: one council over the years (trend), several councils side by side.

The cross-council summary is published with disclosure control (cell-key perturbation, see
:mod:`efl.peer.disclosure`), so that no council's level and no count can be worked out from it.
"""

from __future__ import annotations

from pydantic import BaseModel

from efl.peer.compare import framework_key, require_same_framework
from efl.errors import Diagnostic, InputError
from efl.core.models import Level, Result
from efl.peer.trend_reasons import LevelChange, level_changes
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
    levels: list[LevelChange] = []  # the areas whose level moved at this step, and why
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
    from efl.core.vocabulary import name_key

    councils = {name_key(r.assessment.council) for _, r in results}
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
            low = r.framework.lowest(u[1] for u in used)
            levels.append(low)
            rank = r.framework.level_rank
            agreed.append(next((u[2] for u in used if rank(u[1]) == rank(low)), False))
            present.append(bool(matches))
            notes.append(_edition_note(walk, matches, area.id, r) if walk else "")
        areas.append(TrendArea(id=area.id, title=area.title, levels=levels, present=present, agreed=agreed,
                               edition_notes=notes))
    overall, overall_agreed, maps = [], [], []
    for (_, r), walk in zip(ordered, walks):
        used = [_used_level(r, x) for x in r.areas]
        overall.append(r.framework.lowest(u[0] for u in used) if any(u[1] for u in used) else r.overall_level)
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
                     levels=level_changes(a, b, walk, _used_level),
                     closed=closed, blocked=blocked, no_counterpart=gone,
                     still_open=[ref(later[k]) for k in earlier if k in later],
                     new=[ref(x) for k, x in later.items() if k not in earlier])


# --- across councils ------------------------------------------------------------------------------
#
# The summary is meant to be published: how many councils are at each level, per area and overall.
# Its disclosure control is cell-key perturbation (efl/peer/disclosure.py): every count is
# perturbed, consistently, with noise no table, difference of tables or council's own result can
# undo. With --show-councils the table names every council, so its counts are exact and the output
# says it is not for publication.


class LevelCount(BaseModel):
    level: str | None
    title: str
    count: int | None  # the published count (perturbed unless names are shown); None: shown as a band
    shown: str = ""    # what the table prints: the count, or "fewer than N"
    hidden: bool = False


class AcrossArea(BaseModel):
    id: str
    title: str
    levels: dict[str, str | None]  # council -> level (only with --show-councils)
    councils: int                  # the row's total: councils with a level for this area (exact)
    summary: list[LevelCount]


class Disclosure(BaseModel):
    """The disclosure control applied, as parameters (the same for every cell)."""

    method: str                 # "cell-key perturbation" or "none"
    distribution: str = ""
    ratio: str = ""
    band_below: int = 0         # perturbed counts from 1 to band_below - 1 are shown as "fewer than band_below"
    secret: str = ""            # "key file" or "derived from the results"


class Across(BaseModel):
    framework: str
    count: int
    councils: list[str]
    min_group: int
    names_shown: bool
    publishable: bool
    method: str
    disclosure: Disclosure
    levels: list[Level]
    areas: list[AcrossArea]
    overall: list[LevelCount]
    overall_councils: int = 0
    mapped: list[str] = []  # councils whose results were read through a crosswalk


def across(results: list[tuple[str, Result]], min_group: int = 3, show_names: bool = True,
           crosswalks=None, secret: bytes | None = None) -> Across:  # noqa: ANN001
    """Several councils side by side per area: a summary with disclosure control (see above).

    Results from other editions are read through a crosswalk into the edition of the most recent
    result (merged areas at the lower of their levels), when their levels are the same scale.
    ``secret`` is the publisher's noise key; without it one is worked out from the results.
    """
    from efl.peer import disclosure

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
                rows[area.id][name] = r.framework.lowest(x.level for x in matches)
        overall[name] = r.overall_level

    perturbed = not show_names
    keyed = secret is not None
    if perturbed and secret is None:
        secret = disclosure.derived_secret([r.model_dump_json().encode() for _, r in results])

    def counts(row: str, values: dict[str, str | None]) -> list[LevelCount]:
        out = []
        for level in order:
            members = [c for c, v in values.items() if v == level]
            n = disclosure.perturb(secret, row, level, members, list(values)) if perturbed else len(members)
            banded = perturbed and 0 < n < min_group
            out.append(LevelCount(level=level, title=target.level_title(level), count=None if banded else n,
                                  shown=f"fewer than {min_group}" if banded else str(n), hidden=banded))
        return out

    if perturbed:
        info = Disclosure(method="cell-key perturbation", distribution="truncated two-sided geometric",
                          ratio=str(disclosure.RATIO), band_below=min_group,
                          secret="key file" if keyed else "derived from the results")
        method = disclosure.method_words(min_group, keyed)
    else:
        info, method = Disclosure(method="none"), disclosure.exact_method_words()
    areas = [AcrossArea(id=area.id, title=area.title, levels=dict(sorted(rows[area.id].items())) if show_names else {},
                        councils=len(rows[area.id]), summary=counts(area.id, rows[area.id]))
             for area in target.areas]
    return Across(framework=framework_key(target), count=len(results), councils=sorted(seen) if show_names else [],
                  min_group=min_group, names_shown=show_names, publishable=not show_names, method=method,
                  disclosure=info, levels=levels, areas=areas, overall=counts("overall", overall),
                  overall_councils=len(overall), mapped=sorted(mapped))
