"""One action per criterion: how the actions several plugins propose for an area become its plan.

Every plugin that implements ``efl_propose_actions`` is asked, in pluggy's order: third-party
plugins first (the most recently loaded first), the built-in proposer last (it is ``trylast``).
For a criterion, the first action proposed is kept and any later one for the same criterion is
left out, so a plugin that knows better than the built-in wording replaces it rather than adding a
second action for the same gap. Actions for no particular criterion (area-wide ones) are all kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from efl.core.models import Action


def one_per_criterion(proposals: Iterable[tuple[str, list[Action]]]) -> list[Action]:
    """Each plugin's actions, with ``proposed_by`` filled in, at most one per criterion (the first asked wins)."""
    taken: set[str] = set()
    kept = []
    for plugin, proposed in proposals:
        for action in proposed:
            if action.criterion:
                if action.criterion in taken:
                    continue
                taken.add(action.criterion)
            kept.append(action.model_copy(update={"proposed_by": action.proposed_by or plugin}))
    return kept
