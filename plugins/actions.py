"""The default improvement actions: one per unmet criterion up to the area's next level.

Statutory duties that are not met get an action whatever the area's level, because the law does not
wait for maturity. Priority 1 is most urgent: statutory gaps, then gaps at lower levels first. The
figure behind an action is the plain-English statement of each fact its rule looked at.
"""

from __future__ import annotations

import datetime as dt

import efl
from efl import Action
from efl.provisional import next_anniversary, parse_duration, resolve_lead

DEFAULT_DUE = "P1Y"


def due_date(due, context, outcome=None) -> tuple[dt.date, bool]:  # noqa: ANN001
    """When an action is due, and whether it is already overdue on the assessment date.

    A statutory duty's own deadline (worked out from the framework's calendar when its rule was judged)
    comes first: the law, not a default interval, says when the action is due.
    """
    if outcome is not None and outcome.due is not None:
        return outcome.due, outcome.overdue
    today = context.date
    if due is None or isinstance(due, str):
        return parse_duration(due or DEFAULT_DUE).after(today), False
    if "next" in due:
        month, day = (int(x) for x in str(due["next"]).split("-"))
        return next_anniversary(today, month, day), False
    latest = context.evidence.latest(due["after_latest"])
    if latest is None:
        return today, True
    when = parse_duration(str(due["every"])).after(latest.item.date)
    return (when, False) if when > today else (today, True)


@efl.hookimpl(trylast=True)
def efl_propose_actions(area, result, context):  # noqa: ANN001, ANN201
    rank_of = context.framework.level_rank
    next_rank = rank_of(result.next_level) if result.next_level else len(context.framework.levels) + 1
    criteria = {c.id: c for c in area.criteria}
    actions = []
    for outcome in result.criteria:
        if outcome.outcome in ("met", "not_applicable"):
            continue
        rank = rank_of(outcome.level)
        if rank > next_rank and not outcome.statutory:
            continue
        criterion = criteria[outcome.id]
        due, overdue = due_date(criterion.due, context, outcome)
        statements = [context.facts[name].statement for name in outcome.facts
                      if name in context.facts and context.facts[name].statement]
        actions.append(Action(
            area=area.id, criterion=outcome.id, what=criterion.action.strip(), why="; ".join(outcome.reasons),
            owner=criterion.owner, priority=1 if outcome.statutory else rank, due=due, overdue=overdue,
            figure=" ".join(statements) or None, lead=resolve_lead(context.assessment, criterion.owner)))
    return actions
