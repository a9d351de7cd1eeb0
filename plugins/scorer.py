"""The default area scorer: cumulative levels.

An area reaches the highest level all of whose criteria, and all criteria of the levels below, are
met or not applicable. It is ``trylast`` so that any other scorer a plugin provides wins.
"""

from __future__ import annotations

import efl
from efl.provisional import OUTCOME_LABELS

PASSING = ("met", "not_applicable")


@efl.hookimpl(trylast=True)
def efl_score_area(area, criteria, framework):  # noqa: ANN001, ANN201
    reached = None
    for level in framework.levels:
        blocking = [c for c in criteria if c.level == level.id and c.outcome not in PASSING]
        if blocking:
            first = blocking[0]
            why = f"'{first.title}' ({OUTCOME_LABELS[first.outcome]})"
            summary = (f"Not yet at {level.title}: 1 test for it is not met, {why}." if len(blocking) == 1 else
                       f"Not yet at {level.title}: {len(blocking)} tests for it are not met, including {why}.")
            return efl.AreaScore(reached, summary)
        reached = level.id
    return efl.AreaScore(reached, f"Every test up to {framework.levels[-1].title} is met or does not apply.")
