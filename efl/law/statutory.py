"""The law's own calendar: when each statutory equality duty first fell due, how often it recurs, whom
it binds, and whether a council is up to date on a given day.

The dates are data (a ``kind: calendar`` file in ``frameworks/``, named by a framework's ``calendar:``
key), so no statutory date lives in a plugin. Two kinds of cycle cover the English duties:

* ``every: P1Y`` / ``every: P4Y``: publish by ``first_due``, then again within that interval of the
  last publication (equality information yearly, equality objectives four-yearly);
* ``snapshot: "03-31"`` with ``publish_within: P1Y``: figures for each year's snapshot date, published
  within 12 months beginning with it, i.e. by the day before its anniversary (the gender pay gap).

A duty is judged on the assessment date, because a deadline is missed on a calendar day whatever
period the assessment looks back on. Before a duty's first due date it does not apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from efl.law.dates import Duration, parse_duration, within
from efl.errors import Diagnostic, InputError, UsageError
from efl.reports.report_text import long_date
from efl.files.yamlio import YamlDocument, parse_yaml, pydantic_diagnostics, read_text

if TYPE_CHECKING:
    from efl.files.evidence import EvidenceRecord
    from efl.core.rules import RuleContext

ID = r"^[a-z0-9][a-z0-9._-]*$"


def day_month(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(x) for x in str(text).split("-"))
    dt.date(2001, month, day)  # a real day of a non-leap year, or ValueError
    return month, day


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    employees: int = Field(ge=1)
    on: Literal["snapshot", "assessment"] = "assessment"


class GeneralDuty(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    in_force: dt.date
    citation: str


class Duty(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID)
    title: str
    # What is published, as it reads mid-sentence: "equality information", "the gender pay gap report".
    noun: str = Field(min_length=1)
    evidence: str = Field(pattern=ID)
    first_due: dt.date
    every: str | None = None
    snapshot: str | None = None
    first_snapshot: dt.date | None = None
    publish_within: str | None = None
    threshold: Threshold | None = None
    citation: str = Field(min_length=1)
    # A short form for sentences ("SI 2011/2260 reg 2"); the full citation is for the framework's readers.
    cite: str = ""
    note: str = ""

    @property
    def short_cite(self) -> str:
        return self.cite or self.citation

    @field_validator("every", "publish_within")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("snapshot")
    @classmethod
    def _day(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                _month_day(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a day of the year (expected MM-DD in quotes, e.g. '03-31')") from None
        return value

    @model_validator(mode="after")
    def _one_cycle(self) -> Duty:
        if (self.every is None) == (self.snapshot is None):
            raise ValueError("a duty has one cycle: 'every: P1Y' (an interval) or 'snapshot: MM-DD' with "
                             "'first_snapshot' and 'publish_within' (expected exactly one of every, snapshot)")
        if self.snapshot is not None:
            if self.first_snapshot is None or self.publish_within is None:
                raise ValueError("a snapshot duty needs 'first_snapshot' and 'publish_within' "
                                 "(expected e.g. first_snapshot: 2017-03-31, publish_within: P1Y)")
            if (self.first_snapshot.month, self.first_snapshot.day) != _month_day(self.snapshot):
                raise ValueError(f"first_snapshot {self.first_snapshot} is not on the snapshot day {self.snapshot} "
                                 "(expected the first snapshot date itself)")
            if self.deadline(self.first_snapshot) != self.first_due:
                raise ValueError(f"first_due {self.first_due} does not follow from the first snapshot: figures for "
                                 f"{self.first_snapshot} are due by {self.deadline(self.first_snapshot)} "
                                 "(expected the two to agree)")
        elif self.first_snapshot is not None or self.publish_within is not None:
            raise ValueError("first_snapshot and publish_within belong to a snapshot duty (expected 'snapshot: MM-DD' too)")
        if self.threshold is not None and self.threshold.on == "snapshot" and self.snapshot is None:
            raise ValueError("threshold.on: snapshot needs a snapshot duty (expected on: assessment)")
        return self

    @property
    def interval(self) -> Duration:
        return parse_duration(self.every or self.publish_within or "P1Y")

    def deadline(self, snapshot: dt.date) -> dt.date:
        """Publication "within 12 months beginning with the snapshot date" ends the day before its anniversary."""
        return parse_duration(self.publish_within or "P1Y").after(snapshot) - dt.timedelta(days=1)

    def snapshots(self, upto: dt.date) -> list[dt.date]:
        """Every snapshot date from the first up to and including ``upto``."""
        month, day = _month_day(self.snapshot or "")
        out, year = [], self.first_snapshot.year
        while True:
            candidate = dt.date(year, month, day)
            if candidate > upto:
                return out
            out.append(candidate)
            year += 1

    def cycle_words(self) -> str:
        if self.snapshot is not None:
            return (f"figures for each {day_month(self.first_snapshot)} snapshot, published within "
                    f"{_span(self.interval)} beginning with it (by {day_month(self.first_due)})")
        return "at least once a year" if self.every == "P1Y" else f"at least every {_span(self.interval)}"


class Calendar(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["calendar"]
    id: str = Field(pattern=ID)
    version: str
    title: str
    source: str = ""
    general_duty: GeneralDuty | None = None
    duties: list[Duty] = Field(min_length=1)

    def duty(self, duty_id: str) -> Duty:
        for duty in self.duties:
            if duty.id == duty_id:
                return duty
        raise KeyError(duty_id)


@dataclass
class LoadedCalendar:
    calendar: Calendar
    sha256: str
    path: Path


class CalendarError(InputError):
    """A calendar with mistakes; ``duty_ids`` are the ids it declares, so rules naming them are not
    reported as well (one mistake, one message)."""

    def __init__(self, diagnostics: list[Diagnostic], duty_ids: set[str]):
        super().__init__(diagnostics)
        self.duty_ids = duty_ids


def load_calendar_file(path: Path, shown: str, evidence_types: set[str] | None = None,
                       text: str | None = None) -> LoadedCalendar:
    """Read and check a calendar file; raise CalendarError with every problem, each with file:line:col.

    ``text`` is the file's text when the caller (the framework index) has read it already.
    """
    from efl.files.evidence import sha256_of

    text = read_text(path, shown) if text is None else text
    doc = parse_yaml(text, shown)
    raw = doc.data.get("duties") if isinstance(doc.data, dict) else None
    raw = [d for d in raw if isinstance(d, dict)] if isinstance(raw, list) else []
    errors = _check(raw, doc, evidence_types)
    try:
        calendar = Calendar.model_validate(doc.data)
    except ValidationError as exc:
        errors = pydantic_diagnostics(exc, doc, Calendar) + errors
        calendar = None
    if errors:
        raise CalendarError(errors, {str(d.get("id")) for d in raw})
    return LoadedCalendar(calendar, sha256_of(text.encode("utf-8")), path)


def _check(duties: list[dict], doc: YamlDocument, evidence_types: set[str] | None) -> list[Diagnostic]:
    """What the schema cannot see: ids used twice, evidence types no plugin registers."""
    errors, seen = [], set()
    for i, duty in enumerate(duties):
        if duty.get("id") in seen:
            errors.append(Diagnostic(doc.path, *doc.locate(("duties", i, "id")),
                                     f"duty id '{duty.get('id')}' is used twice (expected unique ids)"))
        seen.add(duty.get("id"))
        kind = duty.get("evidence")
        if evidence_types is not None and isinstance(kind, str) and kind not in evidence_types:
            errors.append(Diagnostic(doc.path, *doc.locate(("duties", i, "evidence")),
                                     f"unknown evidence type '{kind}' (expected one a loaded plugin registers; "
                                     "see 'efl plugins')"))
    return errors


def find_calendar(calendars: dict, calendar_id: str, evidence_types: set[str]) -> LoadedCalendar:
    """The calendar a framework names, from the files plugins register (``kind: calendar``)."""
    entry = calendars.get(calendar_id)
    if entry is None:
        known = ", ".join(calendars) or "none installed"
        raise UsageError(f"no statutory calendar called '{calendar_id}' (expected one of: {known})")
    return load_calendar_file(entry.path, str(entry.path), evidence_types, getattr(entry, "text", None))


# --- judging a duty on a day -----------------------------------------------------------------------

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


def published_on(record: EvidenceRecord) -> dt.date:
    """When an item was published: its ``published`` date if given, else its ``date``."""
    return record.item.published or record.item.date


def headcount(ctx: RuleContext, on: dt.date | None) -> tuple[int | None, tuple[str, ...], str]:
    """The number of employees, from the facts that declare themselves the headcount (``FactSpec.headcount``).

    On a snapshot date, when one is asked for, the first such fact computed from evidence dated that
    day; otherwise the first by name.
    """
    names = sorted(name for name, spec in ctx.fact_specs.items() if getattr(spec, "headcount", False))
    known = [(name, ctx.facts[name]) for name in names
             if name in ctx.facts and isinstance(ctx.facts[name].value, (int, float))
             and not isinstance(ctx.facts[name].value, bool)]
    if on is not None:
        dated = {r.item.id for r in ctx.evidence if r.item.date == on}
        for name, fact in known:
            if dated & set(fact.evidence):
                return int(fact.value), (name,), f"on the snapshot date {long_date(on)}"
    if not known:
        return None, tuple(names), ""
    name, fact = known[0]
    return int(fact.value), (name,), "" if on is None else "(no count of employees is dated on the snapshot)"


def _headcount_sources(ctx: RuleContext) -> str:
    """Where a headcount comes from, in words, for a message saying none is known."""
    needs = sorted({t for spec in ctx.fact_specs.values() if getattr(spec, "headcount", False) for t in spec.needs})
    kinds = " or ".join(f"a {t.replace('-', ' ')}" for t in needs)
    return "give the number of employees under 'council:' in assessment.yaml" + (f" or list {kinds}" if kinds else "")


def in_force(duty: Duty, ctx: RuleContext) -> DutyStatus:
    """Whether a duty binds the council on the assessment date: met, not_met (with why) or insufficient."""
    on = ctx.date
    if on < duty.first_due:
        if duty.snapshot is not None and on < duty.first_snapshot:
            why = (f"the duty to {duty.title} began with the snapshot date {long_date(duty.first_snapshot)}, "
                   f"with the first figures due by {long_date(duty.first_due)} ({duty.short_cite}); "
                   f"the assessment is dated {long_date(on)}")
        else:
            why = (f"the duty to {duty.title} first required publication by {long_date(duty.first_due)} "
                   f"({duty.short_cite}); the assessment is dated {long_date(on)}, before that")
        return DutyStatus("not_met", why)
    if duty.threshold is None:
        return DutyStatus("met", f"the duty to {duty.title} has applied since {long_date(duty.first_due)}")
    snapshot = required_snapshot(duty, on) if duty.threshold.on == "snapshot" else None
    count, facts, when = headcount(ctx, snapshot)
    need = duty.threshold.employees
    if count is None:
        return DutyStatus("insufficient_evidence", f"no headcount is known, so it cannot be told whether the duty to "
                          f"{duty.title} applies ({need:,} or more employees); {_headcount_sources(ctx)}",
                          facts=facts, problem="no_figure")
    when = f" {when}" if when else ""
    if count < need:
        return DutyStatus("not_met", f"the council employed {count:,} people{when}; the duty to {duty.title} "
                          f"applies from {need:,} employees ({duty.short_cite})", facts=facts)
    return DutyStatus("met", f"the council employed {count:,} people{when}, {need:,} or more, so the duty to "
                      f"{duty.title} applies", facts=facts)


def required_snapshot(duty: Duty, on: dt.date) -> dt.date:
    """The snapshot whose figures must be out by ``on``: the latest whose deadline has passed, or the first."""
    passed = [s for s in duty.snapshots(on) if duty.deadline(s) < on]
    return passed[-1] if passed else duty.first_snapshot


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


def judge(duty: Duty, ctx: RuleContext) -> DutyStatus:
    """Met, not met (with the due date, overdue or not), not applicable or insufficient evidence."""
    applies = in_force(duty, ctx)
    if applies.outcome != "met":
        outcome = "not_applicable" if applies.outcome == "not_met" else applies.outcome
        prefix = "does not apply: " if outcome == "not_applicable" else ""
        return DutyStatus(outcome, prefix + applies.reason, facts=applies.facts, problem=applies.problem)
    status = _judge_snapshot(duty, ctx) if duty.snapshot is not None else _judge_interval(duty, ctx)
    status.facts = applies.facts + status.facts
    return status


def _span(duration: Duration) -> str:
    """``a year``, ``four years``: how long an interval is, in words."""
    if duration.years and not (duration.months or duration.days):
        words = {1: "a year", 2: "two years", 3: "three years", 4: "four years", 5: "five years"}
        return words.get(duration.years, duration.words())
    return duration.words()


def _named(record: EvidenceRecord) -> str:
    return f" in \"{record.item.title}\"" if record.item.title else ""


def _due_words(due: dt.date, on: dt.date) -> str:
    if due < on:
        return f"was due by {long_date(due)} and is overdue"
    return "is due today" if due == on else f"is due by {long_date(due)}"


def _judge_interval(duty: Duty, ctx: RuleContext) -> DutyStatus:
    on = ctx.date
    records = [r for r in ctx.evidence.items_of(duty.evidence) if published_on(r) <= on]
    if not records:
        due = duty.first_due
        return DutyStatus("not_met", f"{duty.noun}: none is listed as published; the first publication "
                          f"{_due_words(due, on)} ({duty.short_cite})", due, due < on, problem="missing_evidence")
    latest = max(records, key=published_on)
    when = published_on(latest)
    # A publication made before the duty existed does not push the first deadline back.
    due = max(duty.interval.after(when), duty.first_due)
    ids = (latest.item.id,)
    last = f"{duty.noun} last published on {long_date(when)}{_named(latest)}"
    if due >= on:
        return DutyStatus("met", f"{last}, within {_span(duty.interval)}; the next publication {_due_words(due, on)}",
                          due, False, ids)
    return DutyStatus("not_met", f"{last}, more than {_span(duty.interval)} ago; the next publication "
                      f"{_due_words(due, on)} ({duty.short_cite})", due, True, ids, problem="stale_evidence")


def _judge_snapshot(duty: Duty, ctx: RuleContext) -> DutyStatus:
    on = ctx.date
    snapshot = required_snapshot(duty, on)
    deadline = duty.deadline(snapshot)
    records = [r for r in ctx.evidence.items_of(duty.evidence) if published_on(r) <= on]
    matching = sorted((r for r in records if r.item.snapshot == snapshot), key=published_on)
    if matching:
        first = matching[0]
        when = published_on(first)
        timing = ("on time" if when <= deadline
                  else f"late: it was due by {long_date(deadline)}, {(when - deadline).days} days earlier")
        upcoming = [s for s in duty.snapshots(on + dt.timedelta(days=366)) if duty.deadline(s) >= on]
        nxt = upcoming[0] if upcoming else None
        tail = ""
        if nxt is not None and nxt != snapshot:
            tail = f"; figures for {long_date(nxt)} are due by {long_date(duty.deadline(nxt))}"
        return DutyStatus("met", f"{duty.noun} for the snapshot date {long_date(snapshot)}{_named(first)} was "
                          f"published on {long_date(when)}, {timing}{tail}",
                          duty.deadline(nxt) if nxt is not None and nxt != snapshot else deadline, False,
                          (first.item.id,))
    undated = [r for r in records if r.item.snapshot is None]
    if undated:
        return DutyStatus("insufficient_evidence", f"{duty.noun} listed does not say which snapshot date it covers"
                          f"{_named(undated[0])}, so it cannot be told whether the figures for {long_date(snapshot)} "
                          f"are published (expected 'snapshot: {snapshot.isoformat()}' or another 31 March on the "
                          "evidence item)", deadline, deadline < on, tuple(r.item.id for r in undated),
                          problem="missing_evidence")
    older = sorted((r for r in records if r.item.snapshot is not None), key=lambda r: r.item.snapshot)
    latest = f"; the latest listed is for {long_date(older[-1].item.snapshot)}" if older else ""
    return DutyStatus("not_met", f"{duty.noun} for the snapshot date {long_date(snapshot)} is not listed: it "
                      f"{_due_words(deadline, on)} ({duty.short_cite}){latest}", deadline, deadline < on,
                      tuple(r.item.id for r in older[-1:]), problem="missing_evidence" if not older else "stale_evidence")


# --- checking evidence items against the calendar --------------------------------------------------

def check_snapshots(items, doc: YamlDocument, calendar: Calendar | None, sink) -> None:  # noqa: ANN001
    """``snapshot:`` on an evidence item: only on a snapshot duty's type, on its day, not after publication."""
    by_type = {d.evidence: d for d in (calendar.duties if calendar else []) if d.snapshot is not None}
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
        if (item.snapshot.month, item.snapshot.day) != _month_day(duty.snapshot):
            sink.add(doc.path, line, col, f"snapshot {item.snapshot} is not a snapshot date: for a public body it is "
                     f"{day_month(duty.first_snapshot)} each year (expected e.g. "
                     f"{item.snapshot.year}-{duty.snapshot})")
        elif item.snapshot > (item.published or item.date):
            sink.add(doc.path, line, col, f"snapshot {item.snapshot} is after the report's publication date "
                     f"{item.published or item.date} (expected the snapshot the published figures describe)")
