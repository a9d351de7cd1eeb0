"""What law and sources were in force on a day: the one place papers ask before they cite anything.

A paper cites only the law in force on its assessment date, and only the duties its framework
checks (a 2003 Equality Standard paper cites neither the Equality Act 2010 nor any duty; a 2016 paper
cites neither SI 2017/353 nor the 2021 Census). The answer comes from the statutory calendar's data
(:mod:`efl.law.calendar`): ``law:`` with the day each instrument came into force and was revoked,
``sources:`` with the day each was published, and each duty's regimes.

    on = law_on(calendar, result.assessment.date, result.framework.calendar.duties)
    on.general_duty        # the general duty, if in force that day
    on.duties              # the duties checked that bound the council that day, each with its citation
    on.law, on.sources     # every instrument in force, every source published by then
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from efl.law.calendar import Calendar, Duty, GeneralDuty, Law, Regime, Source


@dataclass(frozen=True)
class DutyOnDate:
    """A duty as it stood on a day: the regime in force and how to cite it."""

    duty: Duty
    regime: Regime
    law: Law | None

    @property
    def cite(self) -> str:
        return self.regime.cite

    @property
    def due_words(self) -> str:
        """How often it recurs, in words ("at least once a year")."""
        return self.duty.cycle_words()


@dataclass(frozen=True)
class LawOnDate:
    on: dt.date
    law: tuple[Law, ...] = ()
    sources: tuple[Source, ...] = ()
    general_duty: GeneralDuty | None = None
    duties: tuple[DutyOnDate, ...] = ()
    # The duties asked about that were not law that day (before their law, or only in a bill).
    not_law: tuple[Duty, ...] = ()

    def latest(self, kind: str = "census") -> Source | None:
        """The most recent source of a kind published by then (the latest Census)."""
        found = [s for s in self.sources if s.kind == kind]
        return found[-1] if found else None

    @property
    def checks_duties(self) -> bool:
        return bool(self.duties)


def law_on(calendar: Calendar | None, on: dt.date, duty_ids: list[str] | tuple[str, ...] | None = None) -> LawOnDate:
    """The law, sources and duties in force on ``on``; ``duty_ids`` limits the duties to those a
    framework checks (None: every duty in the calendar). With no calendar, nothing is known to be law."""
    if calendar is None:
        return LawOnDate(on)
    wanted = [d for d in calendar.duties if duty_ids is None or d.id in duty_ids]
    duties, not_law = [], []
    for duty in wanted:
        regime = calendar.regime_on(duty, on)
        if regime is None or regime.first_due is None or calendar.is_draft(duty):
            not_law.append(duty)
            continue
        duties.append(DutyOnDate(duty, regime, calendar.law_named(regime.law)))
    general = calendar.general_duty
    if general is not None:
        law = calendar.law_named(general.law)
        if (law is not None and not law.in_force_on(on)) or general.in_force > on:
            general = None
    return LawOnDate(on, tuple(calendar.in_force(on)), tuple(calendar.sources_on(on)), general,
                     tuple(duties), tuple(not_law))
