"""Why an area's level moved between two results of one council (a step of ``efl compare --trend``).

A level is cumulative: an area reaches the highest level all of whose criteria, and all those of the
levels below, are met or not applicable. So a move has exact causes. When a level falls, the causes
are the criteria of the later result that fail at the first level it no longer reaches; when it
rises, the criteria of the earlier result that failed at the first level it did not reach. Each such
criterion is explained by how it relates to its counterpart: its outcome changed; it is new in the
later edition (or gone from it); it sits at another level, or in another area, of the other edition;
or a side's local tailoring added it. "No criterion changed outcome" at an edition change is then
never the end of the story.

A level agreed after a peer challenge, rather than the evidence's, is a cause by itself; and
editions with different levels are compared only through the crosswalk's level mapping, so no
criterion is blamed for a difference of scale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from efl.core.models import CriterionResult, Result

PASSING = ("met", "not_applicable")

Cause = Literal["agreed", "different_levels", "outcome_changed", "new_criterion", "gone_criterion",
                "moved_level", "moved_area", "local_criterion", "scoring"]


class CriterionCause(BaseModel):
    id: str
    title: str
    before: str | None = None   # outcome in the earlier result (None: no counterpart there)
    after: str | None = None    # outcome in the later result
    detail: str = ""            # the other level or area, in words


class LevelReason(BaseModel):
    cause: Cause
    criteria: list[CriterionCause] = []
    text: str = ""              # the reason in words, for people


class LevelChange(BaseModel):
    """One area whose level differs between two consecutive results, and why."""

    area: str
    title: str
    before: str | None
    after: str | None
    direction: Literal["up", "down", "unclear"]  # unclear: a level mapped to several, some above, some below
    reasons: list[LevelReason]


def _added(c: CriterionResult) -> bool:
    return any(x.kind == "added" for x in c.local)


def level_changes(a: Result, b: Result, walk, used_level) -> list[LevelChange]:  # noqa: ANN001, C901
    """Every area of ``b`` whose level differs from its counterpart's in ``a``, with the causes.

    ``walk`` is the crosswalk from a's edition to b's (None within one edition); ``used_level(result,
    area)`` is the level a trend shows and whether it was agreed after a challenge.
    """
    same_scale = [lv.id for lv in a.framework.levels] == [lv.id for lv in b.framework.levels]
    a_area_of = {c.id: x for x in a.areas for c in x.criteria}
    b_area_of = {c.id: x for x in b.areas for c in x.criteria}
    a_crit = {c.id: c for x in a.areas for c in x.criteria}
    b_crit = {c.id: c for x in b.areas for c in x.criteria}

    def to_b(cid: str) -> str | None:
        return walk.criterion(cid) if walk else (cid if cid in b_crit else None)

    def to_a(cid: str) -> str | None:
        if walk is None:
            return cid if cid in a_crit else None
        return next((p.a for p in walk.criterion_pairs if p.b == cid and p.a in a_crit), None)

    out = []
    for area in b.areas:
        matches = [x for x in a.areas if (area.id in walk.areas_for(x.id) if walk else x.id == area.id)]
        if not matches:
            continue
        used = [(x, *used_level(a, x)) for x in matches]
        low = min(used, key=lambda u: a.framework.level_rank(u[1]))
        before, before_agreed = low[1], low[2]
        after, after_agreed = used_level(b, area)
        if not same_scale:
            mapped = [b.framework.level_rank(m.level) for m in (walk.levels_for(before) if walk else [])]
            rank = b.framework.level_rank(after)
            if not mapped or mapped == [rank]:
                continue
            direction = "down" if all(m > rank for m in mapped) else "up" if all(m < rank for m in mapped) else "unclear"
            out.append(LevelChange(
                area=area.id, title=area.title, before=before, after=after, direction=direction, reasons=[LevelReason(
                    cause="different_levels", text=f"{a.framework.title} and {b.framework.title} use different "
                    "levels, so the two are compared only through the crosswalk's level mapping")]))
            continue
        rank_before, rank_after = a.framework.level_rank(before), b.framework.level_rank(after)
        if rank_before == rank_after:
            continue
        reasons: list[LevelReason] = []
        for agreed, result, when in ((before_agreed, a, "earlier"), (after_agreed, b, "later")):
            if agreed:
                reasons.append(LevelReason(cause="agreed", text=f"the {when} level, on "
                                           f"{result.assessment.date.isoformat()}, is the one agreed after the peer "
                                           "challenge, not the one the evidence alone supports"))
        ev_before = min((x.level for x in matches), key=a.framework.level_rank)
        ev_after = area.level
        r_before, r_after = a.framework.level_rank(ev_before), b.framework.level_rank(ev_after)
        if r_before != r_after:
            causes: dict[str, list[CriterionCause]] = {}
            if r_after < r_before:
                # The later result fails at the first level above its own: those criteria hold it down.
                level_id = b.framework.level_at(r_after + 1)
                for cb in (c for c in area.criteria if c.level == level_id and c.outcome not in PASSING):
                    ident = to_a(cb.id)
                    ca = a_crit.get(ident) if ident else None
                    kind, detail = _why_down(cb, ca, a, a_area_of, matches, r_before)
                    causes.setdefault(kind, []).append(CriterionCause(
                        id=cb.id, title=cb.title, before=ca.outcome if ca else None, after=cb.outcome, detail=detail))
            else:
                # The earlier result failed at the first level above its own: what became of those criteria.
                level_id = a.framework.level_at(r_before + 1)
                lowest = [x for x in matches if a.framework.level_rank(x.level) == r_before]
                for x in lowest:
                    for ca in (c for c in x.criteria if c.level == level_id and c.outcome not in PASSING):
                        ident = to_b(ca.id)
                        cb = b_crit.get(ident) if ident else None
                        kind, detail = _why_up(ca, cb, b, b_area_of, area, r_after)
                        causes.setdefault(kind, []).append(CriterionCause(
                            id=ca.id, title=ca.title, before=ca.outcome, after=cb.outcome if cb else None,
                            detail=detail))
            for kind in ("outcome_changed", "new_criterion", "gone_criterion", "local_criterion", "moved_level",
                         "moved_area"):
                if kind in causes:
                    reasons.append(LevelReason(cause=kind, criteria=causes[kind],
                                               text=_words(kind, causes[kind], a, b, r_after < r_before)))
            if not causes:
                reasons.append(LevelReason(cause="scoring", text="no criterion of the area explains the move, so "
                                           "it comes from how the area is scored (a plugin may score it)"))
        out.append(LevelChange(area=area.id, title=area.title, before=before, after=after,
                               direction="down" if rank_after < rank_before else "up", reasons=reasons))
    return out


def _why_down(cb: CriterionResult, ca: CriterionResult | None, a: Result, a_area_of: dict, matches: list,
              r_before: int) -> tuple[str, str]:
    if ca is None:
        return ("local_criterion" if _added(cb) else "new_criterion"), ""
    if ca.outcome in PASSING:
        return "outcome_changed", ""
    if a_area_of[ca.id] not in matches:
        return "moved_area", a_area_of[ca.id].title
    if a.framework.level_rank(ca.level) > r_before:
        return "moved_level", _level_title(a, ca.level)
    return "outcome_changed", ""  # the same failing outcome could not have let the earlier level stand


def _why_up(ca: CriterionResult, cb: CriterionResult | None, b: Result, b_area_of: dict, area, r_after: int  # noqa: ANN001
            ) -> tuple[str, str]:
    if cb is None:
        return ("local_criterion" if _added(ca) else "gone_criterion"), ""
    if cb.outcome in PASSING:
        return "outcome_changed", ""
    if b_area_of[cb.id].id != area.id:
        return "moved_area", b_area_of[cb.id].title
    if b.framework.level_rank(cb.level) > r_after:
        return "moved_level", _level_title(b, cb.level)
    return "outcome_changed", ""


def _level_title(result: Result, level: str) -> str:
    return next(lv.title for lv in result.framework.levels if lv.id == level)


def _words(kind: str, found: list[CriterionCause], a: Result, b: Result, down: bool) -> str:
    from efl.core.models import OUTCOME_LABELS

    def outcome(value: str | None) -> str:
        return OUTCOME_LABELS.get(value, value).lower() if value else "-"

    names = "; ".join(f"'{c.title}'" for c in found)
    if kind == "outcome_changed":
        return "; ".join(f"'{c.title}' was {outcome(c.before)} and is now {outcome(c.after)}" for c in found)
    if kind == "new_criterion":
        return f"new in {b.framework.title} and not yet met: {names}"
    if kind == "gone_criterion":
        return f"{b.framework.title} no longer has {names}, which the earlier result did not meet"
    if kind == "local_criterion":
        which = "later" if down else "earlier"
        return f"a local criterion of the {which} result, not the edition's, and not met: {names}"
    if kind == "moved_level":
        if down:
            return "; ".join(f"'{c.title}' is not met in either result, but {a.framework.title} put it at "
                             f"{c.detail}, so it did not hold this area back then" for c in found)
        return "; ".join(f"'{c.title}' is still not met, but {b.framework.title} puts it at {c.detail}, so it no "
                         "longer holds this area back at this level" for c in found)
    if down:
        return "; ".join(f"'{c.title}' is not met in either result, but {a.framework.title} had it in "
                         f"'{c.detail}', so it did not hold this area back then" for c in found)
    return "; ".join(f"'{c.title}' is still not met, but {b.framework.title} puts it in '{c.detail}', so it no "
                     "longer holds this area back" for c in found)
