"""The statutory calendar as data: the law in force over time, and each duty's dates and citations.

A calendar file (``kind: calendar`` in ``frameworks/calendars/``, named by a framework's
``calendar:`` key) holds

* ``periods``: the one rule for periods of time, beside the regulations' own words (efl implements
  it once, in :mod:`efl.law.dates`; a calendar that states another rule is refused);
* ``law``: each Act, set of regulations or bill, with the day it came into force and the day it was
  revoked (a bill not yet law has no date), so that papers cite only the law in force on a day;
* ``sources``: sources the frameworks' text draws on (the Census), with the day each was published;
* ``duties``: each specific duty, with one or more ``regimes``: the instrument that imposed it, from
  which day, its first due date, its citation and words, and any transitional rule (SI 2017/353
  reg 9(2) keeps equality objectives published under the 2011 Regulations on their cycle).

Two kinds of cycle cover the English duties: ``every: P1Y`` / ``every: P4Y`` (publish by the first
due date, then within that interval of the last publication) and ``snapshot: "03-31"`` with
``publish_within: P1Y`` (figures for each year's snapshot date, published within the period
beginning with it: the gender pay gap).
"""

# Annotations are evaluated as written (no "from __future__ import annotations"): pydantic would
# otherwise compile each model field's annotation from a string when the classes are made (start-up).

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator,
                      model_validator)

from efl.errors import Diagnostic, InputError, UsageError
from efl.files.yamlio import YamlDocument, pydantic_diagnostics, read_text
from efl.law.dates import Duration, anniversary, parse_duration, period_end

ID = r"^[a-z0-9][a-z0-9._-]*$"
# The one anniversary rule efl implements (efl.law.dates.anniversary): 29 February's anniversary in a
# common year is 1 March. A calendar states it; one stating another day is refused, not misread.
LEAP_DAY_ANNIVERSARY = "03-01"


def month_day(text: str) -> tuple[int, int]:
    month, day = (int(x) for x in str(text).split("-"))
    dt.date(2001, month, day)  # a real day of a common year, or ValueError
    return month, day


def day_month(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


class _Strict(BaseModel):
    # Built on first use (Calendar with every model inside it), not each at import (start-up).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class Wording(_Strict):
    text: str = Field(min_length=1, description="The regulation's words.")
    cite: str = Field(min_length=1, description="Where they are, e.g. SI 2017/353 reg 4(2)(b).")


class Periods(_Strict):
    """How the calendar reads "a period beginning with a day" (one rule for every duty)."""

    rule: str = Field(min_length=1, description="The rule in words.")
    leap_day_anniversary: str = Field(LEAP_DAY_ANNIVERSARY, description="The anniversary of 29 February in a "
                                      "common year, MM-DD.")
    words: list[Wording] = Field(default=[], description="The regulations' words the rule reads.")

    @field_validator("leap_day_anniversary")
    @classmethod
    def _one_rule(cls, value: str) -> str:
        if value != LEAP_DAY_ANNIVERSARY:
            raise ValueError(f"efl reads the anniversary of 29 February in a common year as 1 March; a calendar "
                             f"cannot change that (expected '{LEAP_DAY_ANNIVERSARY}')")
        return value


class Law(_Strict):
    """An Act, a set of regulations or a bill: what it is called and when it was law."""

    id: str = Field(pattern=ID)
    title: str = Field(min_length=1, description="Its full title.")
    short: str = Field(min_length=1, description="How sentences cite it, e.g. SI 2017/353.")
    kind: Literal["act", "regulations", "bill"] = "regulations"
    in_force: dt.date | None = Field(default=None, description="When it came into force; empty for a bill "
                                     "that is not yet law.")
    revoked: dt.date | None = Field(default=None, description="The first day it no longer applied.")
    revoked_by: str = ""
    status: Literal["in force", "draft"] = "in force"
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _dated(self) -> "Law":
        if self.status == "in force" and self.in_force is None:
            raise ValueError(f"law '{self.id}' is in force but has no 'in_force' date (expected the day it came "
                             "into force, or status: draft)")
        if self.status == "draft" and self.in_force is not None:
            raise ValueError(f"law '{self.id}' is a draft but has an 'in_force' date (expected status: in force)")
        if self.revoked is not None and self.in_force is not None and self.revoked <= self.in_force:
            raise ValueError(f"law '{self.id}' is revoked on {self.revoked}, before it came into force on "
                             f"{self.in_force} (expected a later day)")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return (self.status == "in force" and self.in_force is not None and self.in_force <= day
                and (self.revoked is None or day < self.revoked))


class Source(_Strict):
    """A source the frameworks' words draw on (the Census), with the day it was published."""

    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    published: dt.date
    kind: str = "census"
    source: str = ""


class GeneralDuty(_Strict):
    title: str
    in_force: dt.date
    citation: str
    law: str | None = None


class Keeps(_Strict):
    """A transitional rule: publications under an earlier regime, made within a period ending with a
    day, keep their cycle under the new one (SI 2017/353 reg 9(2))."""

    law: str = Field(pattern=ID, description="The law whose publications keep their cycle.")
    period: str = Field(description="How long the window is, e.g. P4Y.")
    ending_with: dt.date = Field(description="The window's last day.")
    cite: str = Field(min_length=1)
    words: str = ""

    @field_validator("period")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the period of ``period`` ending with ``ending_with``."""
        length = parse_duration(self.period)
        start = anniversary(self.ending_with + dt.timedelta(days=1), -length.total_months) - dt.timedelta(days=length.days)
        return start, self.ending_with


class Regime(_Strict):
    """One instrument's version of a duty: from which day, when first due, how it is cited."""

    law: str | None = Field(default=None, pattern=ID, description="The law (an id under 'law:') that imposes it.")
    from_: dt.date | None = Field(default=None, alias="from", description="The day it began to apply "
                                  "(empty: before any evidence, or not yet law).")
    first_due: dt.date | None = Field(default=None, description="When the first publication under it was due.")
    first_snapshot: dt.date | None = Field(default=None, description="A snapshot duty's first snapshot date.")
    cite: str = Field(min_length=1, description="The regulation and paragraph, e.g. SI 2017/353 reg 4(2).")
    words: str = Field(default="", description="The regulation's words for the dates.")
    keeps: Keeps | None = None


class Threshold(_Strict):
    employees: int = Field(ge=1)
    on: Literal["snapshot", "assessment"] = "assessment"
    cite: str = ""


class Duty(_Strict):
    id: str = Field(pattern=ID)
    title: str
    # What is published, as it reads mid-sentence: "equality information", "the gender pay gap report".
    noun: str = Field(min_length=1)
    # The evidence types a publication towards it may have (only published items count).
    evidence: list[Annotated[str, StringConstraints(pattern=ID)]] = Field(min_length=1)
    every: str | None = None
    snapshot: str | None = None
    publish_within: str | None = None
    threshold: Threshold | None = None
    # The part of the equality information the duty asks for (an item's ``about:`` must hold it).
    part: Literal["employees", "people-affected"] | None = None
    # A characteristic an item must cover to count (a pay gaps report by ethnic group: race).
    covers: str | None = None
    citation: str = Field(min_length=1)
    # A short form for sentences with a plain name ("SI 2017/353 reg 4 (equality information)").
    cite: str = ""
    note: str = ""
    regimes: list[Regime] = []
    # The simple form, one regime: first_due (and first_snapshot) at the duty's own level.
    first_due: dt.date | None = None
    first_snapshot: dt.date | None = None

    @field_validator("evidence", mode="before")
    @classmethod
    def _one_or_more(cls, value):  # noqa: ANN001, ANN206
        return [value] if isinstance(value, str) else value

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
                month_day(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a day of the year (expected MM-DD in quotes, e.g. '03-31')") from None
        return value

    @model_validator(mode="after")
    def _one_cycle(self) -> "Duty":
        if (self.every is None) == (self.snapshot is None):
            raise ValueError("a duty has one cycle: 'every: P1Y' (an interval) or 'snapshot: MM-DD' with "
                             "'first_snapshot' and 'publish_within' (expected exactly one of every, snapshot)")
        # A duty validated once has its simple form's dates as its one regime: validating it again (a
        # Duty handed to a Calendar, a copy) is not "both forms".
        derived = (len(self.regimes) == 1 and self.regimes[0].law is None and self.regimes[0].from_ is None
                   and self.regimes[0].first_due == self.first_due
                   and self.regimes[0].first_snapshot == self.first_snapshot)
        if self.regimes and not derived and (self.first_due is not None or self.first_snapshot is not None):
            raise ValueError("give the dates in 'regimes', or first_due at the duty's level, not both "
                             "(expected one form)")
        if not self.regimes:
            if self.first_due is None:
                raise ValueError("a duty needs 'first_due' (or 'regimes' with their dates) (expected the date "
                                 "the first publication was due)")
            self.regimes = [Regime(first_due=self.first_due, first_snapshot=self.first_snapshot,
                                   cite=self.cite or self.citation)]
        for regime in self.regimes:
            self._check_regime(regime)
        starts = [r.from_ for r in self.regimes if r.from_ is not None]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("regimes are listed in the order they began, each from a later day (expected "
                             "'from' dates in increasing order)")
        if self.threshold is not None and self.threshold.on == "snapshot" and self.snapshot is None:
            raise ValueError("threshold.on: snapshot needs a snapshot duty (expected on: assessment)")
        return self

    def _check_regime(self, regime: Regime) -> None:
        if self.snapshot is not None:
            if self.publish_within is None:
                raise ValueError("a snapshot duty needs 'publish_within' (expected e.g. publish_within: P1Y)")
            if regime.first_due is None and regime.first_snapshot is None:
                return  # not yet law: no dates
            if regime.first_snapshot is None:
                raise ValueError("a snapshot duty needs 'first_snapshot' (expected e.g. first_snapshot: 2017-03-31)")
            if (regime.first_snapshot.month, regime.first_snapshot.day) != month_day(self.snapshot):
                raise ValueError(f"first_snapshot {regime.first_snapshot} is not on the snapshot day {self.snapshot} "
                                 "(expected the first snapshot date itself)")
            if regime.first_due is not None and self.deadline(regime.first_snapshot) != regime.first_due:
                raise ValueError(f"first_due {regime.first_due} does not follow from the first snapshot: figures for "
                                 f"{regime.first_snapshot} are due by {self.deadline(regime.first_snapshot)} "
                                 "(expected the two to agree)")
        elif regime.first_snapshot is not None or self.publish_within is not None:
            raise ValueError("first_snapshot and publish_within belong to a snapshot duty (expected 'snapshot: MM-DD' too)")

    @property
    def short_cite(self) -> str:
        return self.cite or self.citation

    @property
    def interval(self) -> Duration:
        return parse_duration(self.every or self.publish_within or "P1Y")

    @property
    def earliest(self) -> Regime:
        return self.regimes[0]

    def deadline(self, snapshot: dt.date) -> dt.date:
        """Figures "within the period of 12 months beginning with the snapshot date" are due by its last day."""
        return period_end(snapshot, parse_duration(self.publish_within or "P1Y"))

    def snapshots(self, first: dt.date, upto: dt.date) -> list[dt.date]:
        """Every snapshot date from ``first`` up to and including ``upto``."""
        month, day = month_day(self.snapshot or "")
        out, year = [], first.year
        while (candidate := dt.date(year, month, day)) <= upto:
            out.append(candidate)
            year += 1
        return out

    def cycle_words(self) -> str:
        if self.snapshot is not None:
            first = self.earliest.first_snapshot
            day = day_month(first) if first else "31 March"
            return (f"figures for each {day} snapshot, published within {span(self.interval)} beginning with it")
        return "at least once a year" if self.every == "P1Y" else f"at least every {span(self.interval)}"


def span(duration: Duration) -> str:
    """``a year``, ``four years``: how long an interval is, in words."""
    if duration.years and not (duration.months or duration.days):
        words = {1: "a year", 2: "two years", 3: "three years", 4: "four years", 5: "five years"}
        return words.get(duration.years, duration.words())
    if duration.months == 12 and not (duration.years or duration.days):
        return "12 months"
    return duration.words()


class Calendar(_Strict):
    kind: Literal["calendar"]
    id: str = Field(pattern=ID)
    version: str
    title: str
    source: str = ""
    periods: Periods | None = None
    law: list[Law] = []
    sources: list[Source] = []
    general_duty: GeneralDuty | None = None
    duties: list[Duty] = Field(min_length=1)

    def duty(self, duty_id: str) -> Duty:
        for duty in self.duties:
            if duty.id == duty_id:
                return duty
        raise KeyError(duty_id)

    def law_named(self, law_id: str | None) -> Law | None:
        return next((law for law in self.law if law.id == law_id), None) if law_id else None

    def regime_on(self, duty: Duty, day: dt.date) -> Regime | None:
        """The regime of ``duty`` in force on ``day``: the latest begun by then whose law is in force."""
        current = None
        for regime in duty.regimes:
            law = self.law_named(regime.law)
            if law is not None and not law.in_force_on(day):
                continue
            if regime.from_ is None or regime.from_ <= day:
                current = regime
        return current

    def is_draft(self, duty: Duty) -> bool:
        """Whether no regime of the duty is law yet (a bill's duty, dated and cited as a draft)."""
        return all(r.first_due is None and (self.law_named(r.law) is None or self.law_named(r.law).status == "draft")
                   for r in duty.regimes)

    def in_force(self, day: dt.date) -> list[Law]:
        """The law in force on ``day``, oldest first."""
        return [law for law in self.law if law.in_force_on(day)]

    def sources_on(self, day: dt.date) -> list[Source]:
        """The sources published by ``day``, oldest first."""
        return sorted((s for s in self.sources if s.published <= day), key=lambda s: s.published)


@dataclass
class LoadedCalendar:
    """A statutory calendar file, checked, with the hash of its text and where it is."""

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
    from efl.files.quick_yaml import with_positions_on_demand

    text = read_text(path, shown) if text is None else text
    # Positions are needed only for a message; a good file is checked without them.
    return with_positions_on_demand(text, shown, lambda doc: _checked(path, text, doc, evidence_types))


def _checked(path: Path, text: str, doc: YamlDocument, evidence_types: set[str] | None) -> LoadedCalendar:
    from efl.files.evidence import sha256_of

    data = doc.data if isinstance(doc.data, dict) else {}
    raw = data.get("duties")
    raw = [d for d in raw if isinstance(d, dict)] if isinstance(raw, list) else []
    laws = {str(x.get("id")): x for x in data.get("law") or [] if isinstance(x, dict)}
    errors = _check(raw, laws, doc, evidence_types)
    try:
        calendar = Calendar.model_validate(doc.data)
    except ValidationError as exc:
        errors = pydantic_diagnostics(exc, doc, Calendar) + errors
        calendar = None
    if errors:
        raise CalendarError(errors, {str(d.get("id")) for d in raw})
    return LoadedCalendar(calendar, sha256_of(text.encode("utf-8")), path)


def _check(duties: list[dict], laws: dict[str, dict], doc: YamlDocument,
           evidence_types: set[str] | None) -> list[Diagnostic]:
    """What the schema cannot see: ids used twice, laws not declared, evidence types no plugin registers."""
    errors, seen = [], set()
    for i, duty in enumerate(duties):
        if duty.get("id") in seen:
            errors.append(Diagnostic(doc.path, *doc.locate(("duties", i, "id")),
                                     f"duty id '{duty.get('id')}' is used twice (expected unique ids)"))
        seen.add(duty.get("id"))
        regimes = duty.get("regimes") if isinstance(duty.get("regimes"), list) else []
        draft = False
        for j, regime in enumerate(regimes):
            if not isinstance(regime, dict):
                continue
            for key, loc in (("law", ("duties", i, "regimes", j, "law")),):
                name = regime.get(key)
                if name is not None and str(name) not in laws:
                    known = ", ".join(sorted(laws)) or "none is declared under 'law:'"
                    errors.append(Diagnostic(doc.path, *doc.locate(loc), f"no law '{name}' in this calendar "
                                             f"(expected one of: {known})"))
                elif name is not None and laws[str(name)].get("status") == "draft":
                    draft = True
        # A draft duty's evidence type may come with the plugin that arrives with the law.
        kinds = duty.get("evidence")
        kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
        if evidence_types is not None and not draft:
            for k, kind in enumerate(kinds):
                if isinstance(kind, str) and kind not in evidence_types:
                    loc = ("duties", i, "evidence") if isinstance(duty.get("evidence"), str) else ("duties", i, "evidence", k)
                    errors.append(Diagnostic(doc.path, *doc.locate(loc),
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
