"""The default area scorer and overall level: efl's one level policy (``efl.core.levels``) as hooks.

An area reaches the highest level all of whose criteria, and all criteria of the levels below, are
met or not applicable; the council's overall level is the lowest level any area reaches. Both are
``trylast`` so that any other scorer or overall rule a plugin provides wins.
"""

from __future__ import annotations

import efl
from efl.provisional import OUTCOME_LABELS


@efl.hookimpl(trylast=True)
def efl_score_area(area, criteria, framework):  # noqa: ANN001, ANN201
    reached = framework.reached(criteria)
    if reached.short_of is None:
        return efl.AreaScore(reached.level, f"Every test up to {framework.levels[-1].title} is met or does not apply.")
    blocking, level = reached.blocking, reached.short_of
    why = f"'{blocking[0].title}' ({OUTCOME_LABELS[blocking[0].outcome]})"
    summary = (f"Not yet at {level.title}: 1 test for it is not met, {why}." if len(blocking) == 1 else
               f"Not yet at {level.title}: {len(blocking)} tests for it are not met, including {why}.")
    return efl.AreaScore(reached.level, summary)


@efl.hookimpl(trylast=True)
def efl_overall_level(framework, areas):  # noqa: ANN001, ANN201
    return efl.OverallLevel(framework.lowest(area.level for area in areas))
