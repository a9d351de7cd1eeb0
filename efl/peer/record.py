"""The record of a peer challenge applied to a peer folder's own action plan.

After a challenge the team and the council agree outcomes and actions. The peer folder's plan must
say what they agreed, not what the evidence alone would propose: an action for a criterion the two
sides agreed is met (or not applicable) is gone; an agreed action takes its owner, its date and its
words from the record (the engine's reason stays as the why); an agreed action the engine did not
propose is added. So ``efl assess PEER-FOLDER --plan`` and every report list the agreed plan.
"""

from __future__ import annotations

from efl.core.models import Action, Assessment

AGREED_BY = "peer challenge"
_PASSING = ("met", "not_applicable")


def apply_agreed(assessment: Assessment, area_id: str, criterion_ids: set[str], actions: list[Action]) -> list[Action]:
    """The area's actions as the challenge agreed them (unchanged when nothing was agreed)."""
    if not (assessment.agreed or assessment.agreed_actions):
        return actions
    kept = [a for a in actions
            if not (a.criterion and a.criterion in assessment.agreed
                    and assessment.agreed[a.criterion].outcome in _PASSING)]
    for agreed in assessment.agreed_actions:
        if agreed.about != area_id and agreed.about not in criterion_ids:
            continue
        criterion = agreed.about if agreed.about in criterion_ids else None
        update = {"what": agreed.what, "owner": agreed.owner, "lead": None, "due": agreed.due,
                  "overdue": agreed.due < assessment.date, "proposed_by": AGREED_BY}
        index = next((i for i, a in enumerate(kept) if criterion and a.criterion == criterion), None)
        if index is not None:
            kept[index] = kept[index].model_copy(update=update)
        else:
            priority = min((a.priority for a in kept), default=2)
            kept.append(Action(area=area_id, criterion=criterion, why="Agreed at the peer challenge.",
                               priority=priority, **update))
    return kept
