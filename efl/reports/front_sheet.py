"""The committee report's front sheet: the meeting that takes it, with bodies and posts in words.

Worked out once, when the result is made, so ``efl report RESULT.json`` prints the same front sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from efl.core.models import MeetingRef

if TYPE_CHECKING:
    from efl.core.models import Assessment


def _body(assessment: Assessment, name: str | None) -> str | None:
    if not name:
        return None
    body = assessment.bodies.get(name)
    return body.title if body is not None else name


def _post(assessment: Assessment, name: str | None) -> str | None:
    from efl.plan.governance import find_role, role_label

    if not name:
        return None
    role = find_role(assessment, name)
    return role_label(role) if role is not None else name


def meeting_ref(assessment: Assessment) -> MeetingRef | None:
    """``meeting:`` in words, or None when assessment.yaml has none (the report then says "to be confirmed")."""
    m = assessment.meeting
    if m is None:
        return None
    body = _body(assessment, m.body)
    return MeetingRef(body=body, date=m.date, decision_maker=m.decision_maker or body,
                      report_of=_post(assessment, m.report_of), portfolio=m.portfolio or assessment.council.lead_member,
                      key_decision=m.key_decision, wards=m.wards, exempt=m.exempt)
