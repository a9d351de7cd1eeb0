"""The plan follows the statutory cycle: each time a periodic duty falls due again, it gets a line.

A duty to publish recurs (equality information yearly, objectives four-yearly, pay gap figures for
each snapshot). A line the council marked done last cycle is about last cycle's deadline; it must
not stop efl proposing the next one, and nothing the council wrote on it is touched. So:

* a plan line answers one **cycle** of a duty: the deadline nearest its own due date. It belongs to
  the cycle whose deadline is less than six months from its due date (every English cycle is a
  year or longer, so two deadlines are never both that close). A line with no due date answers the
  current cycle while it is still open (neither done nor dropped);
* a duty not met gets a new line for its deadline unless a line answers that cycle, whatever the
  status of last cycle's line (:func:`answers`);
* a duty met whose next deadline falls within the coming year (the year beginning with the
  assessment date) gets a line for that deadline once the plan has followed the duty before (it has a
  line for its criterion) and no line answers that deadline yet (:func:`next_cycles`). The new line
  keeps the council's own words for the duty from its latest line (action, lead, objective, outcome,
  measure); its status starts again at "not started".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from efl.law.dates import ONE_YEAR, Duration, period_end

if TYPE_CHECKING:
    from efl.core.models import CriterionResult, Result

# A line of the council's plan (efl.plan.action_plan.PlanLine): not imported, because that module calls
# this one (the import graph has no cycles, type-only imports included).
PlanLine = Any

# How far a line's due date may be from a deadline and still answer it: half the shortest cycle.
NEAREST = Duration(months=6, text="P6M")
CLOSED = ("done", "dropped")


def periodic(criterion: CriterionResult | None) -> bool:
    """Whether a criterion is a statutory duty that recurs: its result carries the deadline the law sets."""
    return criterion is not None and criterion.statutory and criterion.due is not None


def answers(line: PlanLine, criterion_id: str, deadline: dt.date) -> bool:
    """Whether a plan line answers the cycle of ``criterion_id`` whose deadline is ``deadline``."""
    if line.criterion != criterion_id:
        return False
    if line.due is None:
        return line.status not in CLOSED
    return NEAREST.before(deadline) < line.due < NEAREST.after(deadline)


@dataclass(frozen=True)
class NextCycle:
    """A met duty's next deadline, which the plan does not yet answer, and the line it last had."""

    area: str
    criterion: CriterionResult
    deadline: dt.date
    last: PlanLine


def next_cycles(result: Result, lines: list[PlanLine]) -> list[NextCycle]:
    """Met periodic duties whose next deadline falls within the year beginning with the assessment date,
    that the plan followed before and does not yet answer."""
    horizon = period_end(result.assessment.date, ONE_YEAR)
    out = []
    for area in result.areas:
        for criterion in area.criteria:
            if criterion.outcome != "met" or not periodic(criterion) or criterion.due > horizon:
                continue
            earlier = [line for line in lines if line.criterion == criterion.id]
            if not earlier or any(answers(line, criterion.id, criterion.due) for line in earlier):
                continue
            # The council's latest words for this duty: the line due last (a line with no date first).
            last = max(earlier, key=lambda line: (line.due is not None, line.due or dt.date.min))
            out.append(NextCycle(area.id, criterion, criterion.due, last))
    return out


def cycle_line_id(criterion_id: str, deadline: dt.date, ids: set[str]) -> str:
    """An id for a new cycle's line that says which cycle it is: ``lpoc.information-published-2027``."""
    base = f"{criterion_id}-{deadline.year}"
    line_id, n = base, 2
    while line_id in ids:
        line_id, n = f"{base}-{n}", n + 1
    return line_id
