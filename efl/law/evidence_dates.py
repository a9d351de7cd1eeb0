"""Warnings about evidence and the statutory calendar, with the place in assessment.yaml.

Two things are suspicious but usable, so they are warnings (``file:line:col: warning: ...``):

* evidence dated before the duty it would count towards existed (objectives of 2010, before the
  2011 Regulations; a pay gap report for a snapshot before 31 March 2017): it does not count;
* a pay gap snapshot on which the evidence shows 250 or more employees but for which no report is
  listed: "for 2017 and each subsequent year" (SI 2017/353 Schedule 1 para 2(1)) means it stays
  owed even when a later one is published. Each is named with its deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from efl.core.rules import RuleContext
from efl.law.statutory import (declared_headcounts, duty_began, judged_snapshot, owed_snapshots, published_on, snapshot_reports)
from efl.reports.report_text import long_date

if TYPE_CHECKING:
    from efl.core.assessment import LoadedAssessment
    from efl.errors import DiagnosticSink
    from efl.files.evidence import EvidenceSet
    from efl.law.calendar import Calendar, Duty


def _called(item) -> str:  # noqa: ANN001
    return f"'{item.title}'" if item.title else f"the {item.type.replace('-', ' ')} dated {long_date(item.date)}"


def calendar_warnings(loaded: LoadedAssessment, calendar: Calendar, evidence: EvidenceSet, types: dict,
                      sink: DiagnosticSink) -> None:
    a = loaded.assessment
    ctx = RuleContext(a.date, evidence, {}, {}, (), None, calendar, types, *declared_headcounts(a.council))
    pre_duty_warnings(loaded, calendar, sink)
    for duty in calendar.duties:
        _unpublished_snapshots(loaded, calendar, duty, ctx, sink)


def pre_duty_warnings(loaded: LoadedAssessment, calendar: Calendar, sink: DiagnosticSink) -> None:
    """Evidence items of a duty's types dated before the duty existed."""
    doc = loaded.evidence_doc
    for duty in calendar.duties:
        began = duty_began(duty, calendar)
        first_snapshot = duty.earliest.first_snapshot
        law = calendar.law_named(duty.earliest.law)
        imposed = f"{law.short}, in force from {long_date(law.in_force)}" if law and law.in_force else duty.earliest.cite
        for i, item in loaded.items:
            if item.type not in duty.evidence:
                continue
            if duty.snapshot is not None and first_snapshot and item.snapshot and item.snapshot < first_snapshot:
                line, col = doc.locate(("evidence", i, "snapshot"))
                sink.warn(doc.path, line, col, f"{_called(item)} reports figures for {long_date(item.snapshot)}, "
                          f"before the first snapshot date of the duty to {duty.title} ({long_date(first_snapshot)}, "
                          f"{duty.earliest.cite}), so it does not count towards it")
                continue
            when = item.published or item.date
            if began is not None and when < began:
                line, col = doc.locate(("evidence", i, "published" if item.published else "date"))
                sink.warn(doc.path, line, col, f"{_called(item)} was published on {long_date(when)}, before the "
                          f"duty to {duty.title} existed ({imposed}), so it does not count towards it")


def _unpublished_snapshots(loaded: LoadedAssessment, calendar: Calendar, duty: Duty, ctx: RuleContext,
                           sink: DiagnosticSink) -> None:
    if duty.snapshot is None or duty.threshold is None:
        return
    on = ctx.date
    regime = calendar.regime_on(duty, on)
    if regime is None or regime.first_due is None or on < duty.earliest.first_due:
        return
    judged = judged_snapshot(duty, regime, on)
    reports, _ = snapshot_reports(duty, ctx, on)
    index = {item.id: i for i, item in loaded.items}
    dates = {h.date: k for k, h in enumerate(loaded.assessment.council.headcounts)}
    for owed in owed_snapshots(duty, regime, ctx, judged + dt.timedelta(days=1), reports):
        ids = owed.headcount.evidence
        if ids and ids[0] in index:
            doc, loc = loaded.evidence_doc, ("evidence", index[ids[0]], "date")
        elif owed.snapshot in dates:
            doc, loc = loaded.doc, ("council", "headcounts", dates[owed.snapshot], "employees")
        else:
            doc, loc = loaded.doc, ("council",)
        line, col = doc.locate(loc)
        sink.warn(doc.path, line, col, f"no {duty.noun.removeprefix('the ')} is listed for the snapshot date "
                  f"{long_date(owed.snapshot)}, when the council employed {owed.headcount.count:,} people "
                  f"({owed.headcount.basis}): it was due by {long_date(owed.deadline)} ({regime.cite}) and stays "
                  "owed until it is published")
