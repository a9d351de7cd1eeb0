"""Waivers: criteria a council has approved not meeting for now, each with a reason and an expiry date.

A live waiver makes its criterion count as not applicable, with the reason and the approver shown
in every report and in the trace; the evidence's own verdict is kept beside it. A waiver lapses at
the end of its ``expires`` day (as a deadline passes at the end of its day), and one that has
lapsed by the assessment date is a warning and no longer applies. A legal duty cannot be waived:
the law does not take exceptions from a council's own approvals.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import TYPE_CHECKING

from efl.core.models import CriterionResult, Trace, WaiverRecord
from efl.reports.report_text import long_date

if TYPE_CHECKING:
    from efl.core.assessment import LoadedAssessment
    from efl.core.framework import LoadedFramework
    from efl.core.models import Assessment, Waiver
    from efl.errors import DiagnosticSink

PASSING = ("met", "not_applicable")


def status_on(waiver: Waiver, date: dt.date) -> str:
    """``live``, ``expired`` (its last day is before ``date``) or ``not_yet_approved`` on ``date``."""
    if waiver.approved_on > date:
        return "not_yet_approved"
    if waiver.expires < date:
        return "expired"
    return "live"


def approver_words(assessment: Assessment, approved_by: str) -> str:
    """A role id from ``roles:`` as the post (and who holds it); anything else as written."""
    from efl.plan.governance import find_role, role_label

    role = find_role(assessment, approved_by)
    return role_label(role) if role is not None else approved_by


def check_waivers(loaded: LoadedAssessment, framework: LoadedFramework, sink: DiagnosticSink) -> None:
    """Each waiver names a criterion of the (tailored) framework that is not a legal duty, its dates make
    sense, and it is live on the assessment date (else a warning: it no longer applies)."""
    a, doc = loaded.assessment, loaded.doc
    if a is None or not a.waivers or framework.framework.id != a.framework:
        return
    criteria = {c.id: c for area in framework.framework.areas for c in area.criteria}
    not_used = framework.tailoring.not_used if framework.tailoring else {}
    seen: dict[str, int] = {}
    for i, waiver in enumerate(a.waivers):
        line, col = doc.locate(("waivers", i, "criterion"))
        criterion = criteria.get(waiver.criterion)
        if criterion is None:
            guess = difflib.get_close_matches(waiver.criterion, list(criteria), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "expected a criterion id; see 'efl show'"
            sink.add(doc.path, line, col, f"waivers: no criterion '{waiver.criterion}' in {a.framework} ({hint})")
            continue
        if criterion.statutory:
            sink.add(doc.path, line, col, f"waivers: '{waiver.criterion}' ({criterion.title}) is a legal duty, and a "
                     "legal duty cannot be waived (expected a criterion that is not statutory; meet the duty, "
                     "or record why it is late in the action plan)")
        if waiver.criterion in seen:
            sink.add(doc.path, line, col, f"waivers: '{waiver.criterion}' is waived twice (expected one waiver per "
                     f"criterion; the other is entry {seen[waiver.criterion] + 1})")
        seen.setdefault(waiver.criterion, i)
        if waiver.expires < waiver.approved_on:
            eline, ecol = doc.locate(("waivers", i, "expires"))
            sink.add(doc.path, eline, ecol, f"waivers: it expires on {long_date(waiver.expires)}, before it was "
                     f"approved on {long_date(waiver.approved_on)} (expected an expiry date on or after approval)")
            continue
        status = status_on(waiver, a.date)
        if status == "expired":
            eline, ecol = doc.locate(("waivers", i, "expires"))
            sink.warn(doc.path, eline, ecol, f"the waiver for '{criterion.title}' expired on "
                      f"{long_date(waiver.expires)}, before the assessment date, so it no longer applies and the "
                      "criterion is judged on the evidence (expected a renewed waiver, or the criterion met)")
        elif status == "not_yet_approved":
            aline, acol = doc.locate(("waivers", i, "approved_on"))
            sink.warn(doc.path, aline, acol, f"the waiver for '{criterion.title}' was approved on "
                      f"{long_date(waiver.approved_on)}, after the assessment date, so it does not apply to this "
                      "assessment (expected an approval on or before the assessment date)")
        if waiver.criterion in not_used:
            sink.warn(doc.path, line, col, f"the waiver for '{criterion.title}' is not needed: the local tailoring "
                      "does not use that criterion")


def apply_waivers(assessment: Assessment, area_id: str, criteria: list[CriterionResult]
                  ) -> tuple[list[CriterionResult], list[WaiverRecord]]:
    """The area's criteria with every live waiver applied, and the record of each waiver on them.

    A criterion the evidence already shows as met (or not applicable) keeps that outcome: the waiver
    is recorded but changes nothing.
    """
    by_criterion = {w.criterion: w for w in assessment.waivers}
    out, records = [], []
    for c in criteria:
        waiver = by_criterion.get(c.id)
        if waiver is None:
            out.append(c)
            continue
        status = status_on(waiver, assessment.date)
        applied = status == "live" and c.outcome not in PASSING
        record = WaiverRecord(criterion=c.id, area=area_id, title=c.title, reason=waiver.reason,
                              approved_by=waiver.approved_by,
                              approver=approver_words(assessment, waiver.approved_by),
                              approved_on=waiver.approved_on, expires=waiver.expires, status=status,
                              applied=applied, outcome=c.outcome, reasons=list(c.reasons), note=waiver.note)
        records.append(record)
        if applied:
            reason = waived_reason(record)
            trace = Trace(rule="waiver", outcome="not_applicable", reason=reason, children=[c.trace])
            c = c.model_copy(update={"outcome": "not_applicable", "reasons": [reason], "trace": trace,
                                     "waived": True, "due": None, "overdue": False})
        out.append(c)
    return out, records


def waived_reason(record: WaiverRecord) -> str:
    """The reason a waived criterion shows: why, who approved it, and until when."""
    return (f"waived until {long_date(record.expires)}: {record.reason} (approved by {record.approver} on "
            f"{long_date(record.approved_on)})")
