"""Judging the statutory duties on a day: whom they bind, what counts as publication, what is due.

The dates, thresholds and citations are data (:mod:`efl.law.calendar`); this module reads them the
way the regulations do:

* **Only a publication counts.** An evidence item counts towards a duty when it is of one of the
  duty's evidence types, was published (its type declares itself a publication, or the item has
  ``published:``), covers the part the duty asks for (``about:``) and is not personal data. A payroll
  extract is never a publication, whatever it is called.
* **One period rule** (:mod:`efl.law.dates`): "at intervals of not greater than one year beginning
  with the date of last publication" ends on the day before the anniversary.
* **The law of the day.** A duty is judged under the regime in force on the assessment date: after
  SI 2017/353 revoked the 2011 Regulations (31 March 2017) the first date is 30 March 2018 again,
  except where a transitional rule keeps an earlier publication's cycle (reg 9(2)).
* **Headcount on the snapshot date.** The gender pay gap duty binds a body with 250 or more
  employees *on the snapshot date*: a workforce profile dated that day, a headcount declared for
  it, or (for the snapshot being judged only) the headcount ``assessment.yaml`` declares. Without
  one the outcome is insufficient evidence, never a breach. Every snapshot since the first is owed
  ("for 2017 and each subsequent year"): one in scope with no report stays owed.

A deadline passes at the end of its day. Before a duty's first due date it does not apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from efl.law.calendar import (Calendar, CalendarError, Duty, LoadedCalendar, Regime, day_month,  # noqa: F401
                              find_calendar, load_calendar_file, month_day, span)
from efl.law.dates import period_end
from efl.reports.report_text import long_date

if TYPE_CHECKING:
    from efl.core.rules import RuleContext
    from efl.files.evidence import EvidenceRecord
    from efl.files.yamlio import YamlDocument

@dataclass
class DutyStatus:
    """Where a council stands on one duty on the assessment date."""

    outcome: str
    reason: str
    due: dt.date | None = None
    overdue: bool = False
    evidence: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    problem: str | None = None
    # False when no law imposed the duty on the day (before it existed, or only proposed in a bill):
    # then nothing may call it a legal duty.
    law: bool = True


def published_on(record: EvidenceRecord) -> dt.date:
    """When an item was published: its ``published`` date if given, else its ``date``."""
    return record.item.published or record.item.date


# --- what counts as a publication ------------------------------------------------------------------

def is_personal(record: EvidenceRecord, types: dict[str, Any]) -> bool:
    kind = types.get(record.item.type)
    return bool(record.item.personal or getattr(kind, "personal", False))


def is_publication(record: EvidenceRecord, types: dict[str, Any]) -> bool:
    """Published, and not personal: its type is a publication, or the item says when it was published."""
    if is_personal(record, types):
        return False
    kind = types.get(record.item.type)
    return bool(getattr(kind, "publication", False)) or record.item.published is not None


def covers_part(record: EvidenceRecord, duty: Duty) -> bool:
    """Whether an item holds the part of the information the duty asks for (``about:``; all if empty)."""
    about = getattr(record.item, "about", None) or []
    if duty.covers is not None and duty.covers not in record.item.covers:
        return False
    return duty.part is None or not about or duty.part in about


def publications(duty: Duty, ctx: RuleContext, on: dt.date) -> list[EvidenceRecord]:
    """The items that count towards ``duty``, published by ``on``, oldest first."""
    types = ctx.evidence_types or {}
    found = [r for kind in duty.evidence for r in ctx.evidence.items_of(kind)
             if is_publication(r, types) and covers_part(r, duty) and published_on(r) <= on]
    return sorted(found, key=lambda r: (published_on(r), r.item.id))


def _named(record: EvidenceRecord) -> str:
    """A publication as people know it: its title, else the kind of item it is."""
    return f" in \"{record.item.title}\"" if record.item.title else ""


# --- headcount -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Headcount:
    """How many people the council employed on a day, why that count, and the facts and evidence it came from."""

    count: int
    basis: str  # why this count is the one for that day, in words
    facts: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


def _headcount_facts(ctx: RuleContext) -> list[tuple[str, Any]]:
    """The facts that declare themselves the headcount (``FactSpec.headcount``), with a number, by name."""
    names = _headcount_names(ctx.fact_specs)
    return [(name, ctx.facts[name]) for name in names if name in ctx.facts
            and isinstance(ctx.facts[name].value, (int, float)) and not isinstance(ctx.facts[name].value, bool)]


# The fact specs last asked about and the names of their headcount facts, sorted: a council's duty
# rules ask about 40 times, always of the one dict of specs (declarations, never changed once made).
_LAST_SPECS: list[Any] = [None, -1, ()]


def _headcount_names(specs: dict[str, Any]) -> tuple[str, ...]:
    if _LAST_SPECS[0] is not specs or _LAST_SPECS[1] != len(specs):
        names = tuple(sorted(name for name, spec in specs.items() if getattr(spec, "headcount", False)))
        _LAST_SPECS[:] = [specs, len(specs), names]
    return _LAST_SPECS[2]


def dated_headcount(ctx: RuleContext, day: dt.date) -> Headcount | None:
    """The headcount evidence gives for ``day``: a headcount fact computed from an item dated that day,
    an item dated that day whose type can count its people (``EvidenceType.headcount``), else a
    headcount assessment.yaml declares for that date (``council.headcounts``).

    A council's duty rules ask about 40 times, of a dozen days (every snapshot since the duty began,
    every day an item is dated), always of the same evidence and facts: each day's answer is kept on
    the context (a Headcount is frozen), for as long as it holds the same evidence, facts and declared
    headcounts. tests/test_dated_headcount_kept.py compares kept answers with fresh ones.
    """
    kept = ctx.__dict__.get("_dated_headcounts")
    holds = (ctx.evidence, ctx.facts, ctx.fact_specs, ctx.evidence_types, ctx.headcounts)
    if kept is None or kept[1] != len(ctx.facts) or any(a is not b for a, b in zip(kept[0], holds)):
        kept = ctx.__dict__["_dated_headcounts"] = (holds, len(ctx.facts), {})
    answers = kept[2]
    if day not in answers:
        answers[day] = _dated_headcount(ctx, day)
    return answers[day]


def _dated_headcount(ctx: RuleContext, day: dt.date) -> Headcount | None:
    """:func:`dated_headcount`, worked out."""
    dated = [r for r in ctx.evidence if r.item.date == day]
    for name, fact in _headcount_facts(ctx):
        used = [r for r in dated if r.item.id in fact.evidence]
        if used:
            return Headcount(int(fact.value), _basis(used[0], day), (name,), (used[0].item.id,))
    types = ctx.evidence_types or {}
    for record in sorted(dated, key=lambda r: r.item.id):
        count_of = getattr(types.get(record.item.type), "headcount", None)
        count = count_of(record.parsed) if count_of is not None and record.parsed is not None else None
        if isinstance(count, int) and not isinstance(count, bool):
            return Headcount(count, _basis(record, day), (), (record.item.id,))
    declared = (ctx.headcounts or {}).get(day)
    if declared is not None:
        return Headcount(declared, f"as assessment.yaml declares for {long_date(day)}")
    return None


def _basis(record: EvidenceRecord, day: dt.date) -> str:
    kind = record.item.type.replace("-", " ")
    return f"the {kind} dated {long_date(day)}"


def other_headcount_dates(ctx: RuleContext, day: dt.date) -> list[dt.date]:
    """The other days evidence counts the council's people on (a workforce profile of a later snapshot)."""
    days = {r.item.date for r in ctx.evidence if r.item.date != day}
    return sorted(d for d in days if (found := dated_headcount(ctx, d)) is not None and found.evidence)


def snapshot_headcount(ctx: RuleContext, day: dt.date, judged: bool) -> Headcount | None:
    """The headcount on a snapshot date. For the snapshot being judged, a declared headcount stands in
    when no evidence is dated that day: the one assessment.yaml gives under ``council:``, else a
    headcount fact computed from no evidence item (a plugin's own declaration). A count from an item
    dated another day never does, and where evidence counts the people on other days only (a profile
    of the next snapshot), the undated figure does not either: it is the count of those days, not of
    this one, so the headcount that day is unknown."""
    found = dated_headcount(ctx, day)
    if found is not None or not judged:
        return found
    if other_headcount_dates(ctx, day):
        return None
    if ctx.declared_employees is not None:
        return Headcount(ctx.declared_employees, "as assessment.yaml declares")
    undated = [(name, fact) for name, fact in _headcount_facts(ctx) if not fact.evidence]
    if undated:
        name, fact = undated[0]
        return Headcount(int(fact.value), "as declared", (name,))
    return None


def current_headcount(ctx: RuleContext) -> Headcount | None:
    """The number of people the council employs: the first headcount fact by name."""
    known = _headcount_facts(ctx)
    if not known:
        return None
    name, fact = known[0]
    return Headcount(int(fact.value), "", (name,))


def declared_headcounts(body) -> tuple[dict[dt.date, int], int | None]:  # noqa: ANN001
    """What assessment.yaml declares about the body's headcount: by date (``headcounts:``), and its
    undated figure (``employees:``), as a RuleContext takes them."""
    return {h.date: h.employees for h in body.headcounts}, body.employees


def _headcount_sources(ctx: RuleContext) -> str:
    """Where a headcount comes from, in words, for a message saying none is known."""
    needs = sorted({t for spec in ctx.fact_specs.values() if getattr(spec, "headcount", False) for t in spec.needs})
    kinds = " or ".join(f"a {t.replace('-', ' ')}" for t in needs)
    return "give the number of employees under 'council:' in assessment.yaml" + (f" or list {kinds}" if kinds else "")


# --- judging ---------------------------------------------------------------------------------------

def _named_duty(ctx: RuleContext, duty_id: str) -> Duty:
    if ctx.calendar is None:
        raise ValueError(f"no statutory calendar is loaded, so duty '{duty_id}' cannot be judged "
                         "(expected the framework to name one with 'calendar:')")
    return ctx.calendar.duty(duty_id)


def judge_duty(ctx: RuleContext, duty_id: str) -> DutyStatus:
    """Where the council stands on a duty of the framework's calendar on the assessment date."""
    return judge(_named_duty(ctx, duty_id), ctx)


def duty_in_force(ctx: RuleContext, duty_id: str) -> DutyStatus:
    """Whether a duty of the framework's calendar binds the council on the assessment date."""
    return in_force(_named_duty(ctx, duty_id), ctx)


def _regime(duty: Duty, ctx: RuleContext) -> tuple[Regime | None, str]:
    """The regime in force on the assessment date, or None with the reason the duty does not bind."""
    on, calendar = ctx.date, ctx.calendar
    regime = calendar.regime_on(duty, on) if calendar is not None else duty.regimes[-1]
    if calendar is not None and calendar.is_draft(duty):
        law = calendar.law_named(duty.regimes[-1].law)
        name = law.title if law else "a bill"
        return None, (f"the duty to {duty.title} is proposed in the draft {name}, which is not law on "
                      f"{long_date(on)}; it is not a legal duty yet ({duty.short_cite})")
    if regime is None or regime.first_due is None:
        # Later law is not cited: a paper of that day knows only the law then in force.
        return None, f"no law required the council to {duty.title} on {long_date(on)}"

    return regime, ""


def in_force(duty: Duty, ctx: RuleContext) -> DutyStatus:
    """Whether a duty binds the council on the assessment date: met, not_met (with why) or insufficient."""
    on = ctx.date
    regime, why = _regime(duty, ctx)
    if regime is None:
        return DutyStatus("not_met", why, law=False)
    first = duty.earliest
    if on < first.first_due:
        if duty.snapshot is not None and first.first_snapshot and on < first.first_snapshot:
            why = (f"the duty to {duty.title} began with the snapshot date {long_date(first.first_snapshot)}, "
                   f"with the first figures due by {long_date(first.first_due)} ({first.cite}); "
                   f"the assessment is dated {long_date(on)}")
        else:
            why = (f"the duty to {duty.title} first required publication by {long_date(first.first_due)} "
                   f"({first.cite}); the assessment is dated {long_date(on)}, before that")
        return DutyStatus("not_met", why)
    if duty.threshold is None:
        return DutyStatus("met", f"the duty to {duty.title} has applied since {long_date(first.first_due)}")
    need = duty.threshold.employees
    if duty.threshold.on == "snapshot":
        snapshot = judged_snapshot(duty, regime, on)
        count = snapshot_headcount(ctx, snapshot, judged=True)
        if count is None:
            return DutyStatus("insufficient_evidence", _no_headcount(duty, snapshot, ctx), problem="no_figure")
        when = f" on the snapshot date {long_date(snapshot)} ({count.basis})"
    else:
        count = current_headcount(ctx)
        if count is None:
            names = tuple(sorted(n for n, spec in ctx.fact_specs.items() if getattr(spec, "headcount", False)))
            return DutyStatus("insufficient_evidence", f"no headcount is known, so it cannot be told whether the "
                              f"duty to {duty.title} applies ({need:,} or more employees); {_headcount_sources(ctx)}",
                              facts=names, problem="no_figure")
        when = ""
    if count.count < need:
        return DutyStatus("not_met", f"the council employed {count.count:,} people{when}; the duty to {duty.title} "
                          f"applies from {need:,} employees ({duty.threshold.cite or duty.short_cite})",
                          evidence=count.evidence, facts=count.facts)
    return DutyStatus("met", f"the council employed {count.count:,} people{when}, {need:,} or more, so the duty to "
                      f"{duty.title} applies", evidence=count.evidence, facts=count.facts)


def _no_headcount(duty: Duty, snapshot: dt.date, ctx: RuleContext) -> str:
    kinds = sorted({t for spec in ctx.fact_specs.values() if getattr(spec, "headcount", False) for t in spec.needs}
                   | {name for name, kind in (ctx.evidence_types or {}).items() if getattr(kind, "headcount", None)})
    listed = " or ".join(f"a {t.replace('-', ' ')}" for t in kinds)
    others = other_headcount_dates(ctx, snapshot)
    counted = (f" (the evidence counts the council's people on {' and '.join(long_date(d) for d in others)} "
               "only, which says nothing of that day)" if others else "")
    return (f"no evidence says how many people the council employed on the snapshot date {long_date(snapshot)}{counted}, "
            f"so it cannot be told whether the duty to {duty.title} applied to it ({duty.threshold.employees:,} or "
            f"more employees on that date); list {listed + ' ' if listed else 'evidence '}dated "
            f"{snapshot.isoformat()}, or declare the headcount for that date under council.headcounts in "
            "assessment.yaml")


def judge(duty: Duty, ctx: RuleContext) -> DutyStatus:
    """Met, not met (with the due date, overdue or not), not applicable or insufficient evidence."""
    if duty.snapshot is not None:
        return _judge_snapshot(duty, ctx)
    applies = in_force(duty, ctx)
    if applies.outcome != "met":
        return _not_applicable(applies)
    regime, _ = _regime(duty, ctx)
    status = _judge_interval(duty, regime, ctx)
    status.facts = applies.facts + status.facts
    return status


def _not_applicable(applies: DutyStatus) -> DutyStatus:
    outcome = "not_applicable" if applies.outcome == "not_met" else applies.outcome
    prefix = "does not apply: " if outcome == "not_applicable" else ""
    return DutyStatus(outcome, prefix + applies.reason, facts=applies.facts, evidence=applies.evidence,
                      problem=applies.problem, law=applies.law)


def _due_words(due: dt.date, on: dt.date) -> str:
    if due < on:
        return f"was due by {long_date(due)} and is overdue"
    return "is due today" if due == on else f"is due by {long_date(due)}"


def counted_since(regime: Regime, calendar: Calendar | None, duty: Duty) -> dt.date | None:
    """The first day a publication counts under ``regime``: when it began, or for the first regime,
    when its law came into force."""
    if regime.from_ is not None:
        return regime.from_
    law = calendar.law_named(regime.law) if calendar is not None else None
    return law.in_force if law is not None else None


def duty_began(duty: Duty, calendar: Calendar | None) -> dt.date | None:
    """The first day the duty existed (publications before it never count)."""
    return counted_since(duty.earliest, calendar, duty)


def _kept(duty: Duty, regime: Regime, records: list[EvidenceRecord], calendar: Calendar | None) -> EvidenceRecord | None:
    """A publication under an earlier regime that a transitional rule keeps on its cycle (reg 9(2))."""
    keeps = regime.keeps
    if keeps is None:
        return None
    earlier = next((r for r in duty.regimes if r.law == keeps.law), None)
    start, end = keeps.window
    began = counted_since(earlier, calendar, duty) if earlier is not None else None
    law_end = regime.from_
    kept = [r for r in records if start <= published_on(r) <= end and (began is None or published_on(r) >= began)
            and (law_end is None or published_on(r) < law_end)]
    return kept[-1] if kept else None


def _judge_interval(duty: Duty, regime: Regime, ctx: RuleContext) -> DutyStatus:
    on, calendar = ctx.date, ctx.calendar
    records = [r for r in publications(duty, ctx, on)
               if (began := duty_began(duty, calendar)) is None or published_on(r) >= began]
    since = counted_since(regime, calendar, duty)
    current = [r for r in records if since is None or published_on(r) >= since]
    kept = None if current else _kept(duty, regime, records, calendar)
    law = calendar.law_named(regime.law) if calendar is not None else None
    if current or kept:
        latest = (current or [kept])[-1]
        when = published_on(latest)
        # A publication before the regime's first date still starts the interval; none pushes it back.
        due = max(period_end(when, duty.interval), regime.first_due)
        ids = (latest.item.id,)
        last = f"{duty.noun} last published on {long_date(when)}{_named(latest)}"
        if kept is not None:
            last += (f", under the earlier regulations, which {regime.keeps.cite} keeps on its cycle of "
                     f"{span(duty.interval)}")
        if due >= on:
            return DutyStatus("met", f"{last}, within {span(duty.interval)}; the next publication "
                              f"{_due_words(due, on)} ({regime.cite})", due, False, ids)
        return DutyStatus("not_met", f"{last}, more than {span(duty.interval)} ago; the next publication "
                          f"{_due_words(due, on)} ({regime.cite})", due, True, ids, problem="stale_evidence")
    due = regime.first_due
    older = records[-1] if records else None
    if older is not None:
        # Published under regulations since revoked: the new regime's own first date applies.
        when = published_on(older)
        revoked = f"; {law.short} set a new first date" if law is not None else ""
        last = (f"{duty.noun} last published on {long_date(when)}{_named(older)}, under regulations since "
                f"revoked{revoked}")
        if due >= on:
            return DutyStatus("met", f"{last}: the next publication {_due_words(due, on)} ({regime.cite})",
                              due, False, (older.item.id,))
        return DutyStatus("not_met", f"{last}: the next publication {_due_words(due, on)} ({regime.cite})",
                          due, True, (older.item.id,), problem="stale_evidence")
    first = "the first publication" if regime is duty.earliest else f"the first publication under {law.short if law else 'the current regulations'}"
    return DutyStatus("not_met", f"{duty.noun}: none is listed as published; {first} {_due_words(due, on)} "
                      f"({regime.cite})", due, due < on, problem="missing_evidence")


def judged_snapshot(duty: Duty, regime: Regime, on: dt.date) -> dt.date:
    """The snapshot whose figures must be out by ``on``: the latest whose deadline has passed, or the first.

    It depends on the calendar's duty and regime and the day only, and is asked three times a council
    (each a walk of every snapshot since the duty began, with its deadline): kept per duty, regime
    (the calendar's own objects, read once and never changed) and day.
    tests/test_dated_headcount_kept.py compares kept answers with fresh ones.
    """
    kept = _JUDGED.get((id(duty), id(regime), on))
    if kept is not None and kept[0] is duty and kept[1] is regime and kept[2] == regime.first_snapshot:
        return kept[3]
    answer = _judged_snapshot(duty, regime, on)
    if len(_JUDGED) >= 1024:
        _JUDGED.clear()
    _JUDGED[(id(duty), id(regime), on)] = (duty, regime, regime.first_snapshot, answer)
    return answer


# judged_snapshot's answers, with the duty and regime they are for (held, so their ids stay theirs).
_JUDGED: dict[tuple[int, int, dt.date], tuple] = {}


def _judged_snapshot(duty: Duty, regime: Regime, on: dt.date) -> dt.date:
    passed = [s for s in duty.snapshots(regime.first_snapshot, on) if duty.deadline(s) < on]
    return passed[-1] if passed else regime.first_snapshot


@dataclass(frozen=True)
class Owed:
    """A snapshot in scope whose figures are not listed as published."""

    snapshot: dt.date
    deadline: dt.date
    headcount: Headcount


def snapshot_reports(duty: Duty, ctx: RuleContext, on: dt.date) -> tuple[dict[dt.date, EvidenceRecord], list]:
    """Reports by the snapshot they describe (the first published for each), and those naming none."""
    first = duty.earliest.first_snapshot
    by_snapshot: dict[dt.date, EvidenceRecord] = {}
    undated = []
    for record in publications(duty, ctx, on):
        if record.item.snapshot is None:
            undated.append(record)
        elif first is None or record.item.snapshot >= first:
            by_snapshot.setdefault(record.item.snapshot, record)
    return by_snapshot, undated


def owed_snapshots(duty: Duty, regime: Regime, ctx: RuleContext, upto: dt.date,
                   reports: dict[dt.date, EvidenceRecord]) -> list[Owed]:
    """Snapshots before ``upto`` with evidence of 250 or more employees that day and no report listed."""
    out = []
    for snapshot in duty.snapshots(regime.first_snapshot, upto):
        if snapshot >= upto or snapshot in reports:
            continue
        count = dated_headcount(ctx, snapshot)
        if count is not None and count.count >= duty.threshold.employees:
            out.append(Owed(snapshot, duty.deadline(snapshot), count))
    return out


def _owed_words(owed: list[Owed]) -> str:
    listed = "; ".join(f"{long_date(o.snapshot)} ({o.headcount.count:,} employees, due by {long_date(o.deadline)})"
                       for o in owed)
    return f"no report is listed for the earlier snapshot date{'s' if len(owed) > 1 else ''} {listed}"


def _judge_snapshot(duty: Duty, ctx: RuleContext) -> DutyStatus:
    on = ctx.date
    applies = in_force(duty, ctx)
    regime, _ = _regime(duty, ctx)
    if regime is None or on < duty.earliest.first_due:
        return _not_applicable(applies)
    snapshot = judged_snapshot(duty, regime, on)
    deadline = duty.deadline(snapshot)
    reports, undated = snapshot_reports(duty, ctx, on)
    owed = owed_snapshots(duty, regime, ctx, snapshot, reports) if duty.threshold is not None else []
    facts = applies.facts + tuple(f for o in owed for f in o.headcount.facts)
    earlier = ""
    if owed:
        earlier = f"; {_owed_words(owed)}, so {'they stay' if len(owed) > 1 else 'it stays'} owed ({regime.cite})"
    report = reports.get(snapshot)
    if report is not None:
        when = published_on(report)
        late = (when - deadline).days
        timing = ("on time" if when <= deadline
                  else f"late: it was due by {long_date(deadline)}, {late} day{'s' if late != 1 else ''} earlier")
        said = f"{duty.noun} for the snapshot date {long_date(snapshot)}{_named(report)} was published on {long_date(when)}, {timing}"
        if owed:
            first = owed[0]
            return DutyStatus("not_met", said + earlier, first.deadline, True, (report.item.id,), facts,
                              problem="missing_evidence")
        due, tail = _next_due(duty, regime, ctx, snapshot, deadline)
        return DutyStatus("met", said + tail, due, False, (report.item.id,), applies.facts)
    if owed and applies.outcome != "met":
        # The snapshot judged is out of scope or its headcount unknown; the earlier ones are still owed.
        first = owed[0]
        return DutyStatus("not_met", applies.reason[0].upper() + applies.reason[1:] + earlier, first.deadline, True,
                          tuple(o.headcount.evidence[0] for o in owed if o.headcount.evidence), facts,
                          problem="missing_evidence")
    if applies.outcome != "met":
        return _not_applicable(applies)
    if undated:
        return DutyStatus("insufficient_evidence", f"{duty.noun} listed does not say which snapshot date it covers"
                          f"{_named(undated[0])}, so it cannot be told whether the figures for {long_date(snapshot)} "
                          f"are published (expected 'snapshot: {snapshot.isoformat()}' or another "
                          f"{day_month(snapshot)} on the evidence item)", deadline, deadline < on,
                          tuple(r.item.id for r in undated), facts, problem="missing_evidence")
    older = sorted(reports.values(), key=lambda r: r.item.snapshot)
    latest = f"; the latest listed is for {long_date(older[-1].item.snapshot)}" if older else ""
    due = owed[0].deadline if owed else deadline
    return DutyStatus("not_met", f"{duty.noun} for the snapshot date {long_date(snapshot)} is not listed: it "
                      f"{_due_words(deadline, on)} ({regime.cite}){latest}{earlier}", due, due < on,
                      tuple(r.item.id for r in older[-1:]), facts,
                      problem="missing_evidence" if not older else "stale_evidence")


def _next_due(duty: Duty, regime: Regime, ctx: RuleContext, snapshot: dt.date,
              deadline: dt.date) -> tuple[dt.date | None, str]:
    """After a report for the snapshot judged: the next figures due, unless that snapshot is out of scope."""
    on = ctx.date
    upcoming = [s for s in duty.snapshots(regime.first_snapshot, on) if duty.deadline(s) >= on and s != snapshot]
    if not upcoming:
        return deadline, ""
    nxt = upcoming[0]
    count = dated_headcount(ctx, nxt)
    if duty.threshold is not None and count is not None and count.count < duty.threshold.employees:
        return None, (f"; figures for {long_date(nxt)} are not required: the council employed {count.count:,} "
                      f"people that day ({count.basis})")
    return duty.deadline(nxt), f"; figures for {long_date(nxt)} are due by {long_date(duty.deadline(nxt))}"


# --- checking evidence items against the calendar --------------------------------------------------

def check_snapshots(items, doc: YamlDocument, calendar: Calendar | None, sink) -> None:  # noqa: ANN001
    """``snapshot:`` on an evidence item: only on a snapshot duty's type, on its day, not after publication."""
    by_type = {kind: d for d in (calendar.duties if calendar else []) if d.snapshot is not None for kind in d.evidence}
    for i, item in items:
        if item.snapshot is None:
            continue
        line, col = doc.locate(("evidence", i, "snapshot"))
        duty = by_type.get(item.type)
        if duty is None:
            kinds = ", ".join(sorted(by_type)) or "none in this framework's calendar"
            sink.add(doc.path, line, col, f"'snapshot' is only for evidence reporting figures on a snapshot date "
                     f"(expected it on: {kinds})")
            continue
        if (item.snapshot.month, item.snapshot.day) != month_day(duty.snapshot):
            sink.add(doc.path, line, col, f"snapshot {item.snapshot} is not a snapshot date: for a public body it is "
                     f"{day_month(dt.date(2001, *month_day(duty.snapshot)))} each year (expected e.g. "
                     f"{item.snapshot.year}-{duty.snapshot})")
        elif item.snapshot > (item.published or item.date):
            sink.add(doc.path, line, col, f"snapshot {item.snapshot} is after the report's publication date "
                     f"{item.published or item.date} (expected the snapshot the published figures describe)")
