"""Who does what: the council's posts, the bodies that receive equality reports, and their calendar.

``assessment.yaml`` may name the council's posts (``roles:``), the boards and committees that receive
reports and how often (``bodies:``), and which post leads the actions a framework gives to a
generic owner such as "council" or "managers" (``owners:``). This module resolves an action's
owner to a named lead, checks those sections against each other, tells whether reports reached
each body on schedule (from committee papers listed as evidence), and lays out the governance
calendar: reports due to each body, the yearly review of targets and the four-yearly review of
equality objectives.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from efl.law.dates import add_months

if TYPE_CHECKING:
    from efl.errors import DiagnosticSink
    from efl.files.evidence import EvidenceSet
    from efl.core.framework import LoadedFramework
    from efl.core.models import Assessment, Role

# How many months apart reports to a body are due, by its reporting frequency.
FREQUENCY_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "six-monthly": 6, "annual": 12}
FREQUENCY_WORDS = {"monthly": "every month", "bimonthly": "every two months", "quarterly": "every quarter",
                   "six-monthly": "every six months", "annual": "every year"}


def role_label(role: Role) -> str:
    """``Policy Officer for Equalities (Mohammed Ilyas)``: the post, and who holds it if named."""
    return f"{role.title} ({role.person})" if role.person else role.title


def find_role(assessment: Assessment, name: str) -> Role | None:
    """The role a plan or framework means by ``name``: a role id, or a role's title (any case)."""
    from efl.core.vocabulary import name_key

    if name in assessment.roles:
        return assessment.roles[name]
    # One Unicode form, any case: a lead typed on a Mac (NFD) or in capitals is still the role.
    wanted = name_key(name)
    by_id = next((r for rid, r in assessment.roles.items() if name_key(rid) == wanted), None)
    return by_id or next((r for r in assessment.roles.values() if name_key(r.title) == wanted), None)


def lead_role(assessment: Assessment, owner: str) -> Role | None:
    """The role that leads actions a framework gives to ``owner`` (see :func:`resolve_lead`)."""
    from efl.core.vocabulary import name_key

    mapped = assessment.owners.get(owner)
    if mapped is None:
        folded = name_key(owner)
        mapped = next((v for k, v in assessment.owners.items() if name_key(k) == folded), None)
    return find_role(assessment, mapped) if mapped is not None else find_role(assessment, owner)


def resolve_lead(assessment: Assessment, owner: str) -> str | None:
    """The named lead for a framework's generic ``owner``, or None when assessment.yaml names none.

    ``owners:`` is read first (``council: equalities-officer``), then a role whose id or title is
    the owner itself (a framework owner "Head of HR" meets the council's role titled "Head of HR").
    """
    role = lead_role(assessment, owner)
    return role_label(role) if role is not None else None


def contact_line(assessment: Assessment) -> str | None:
    """Who a report's readers should contact: ``contact:``, else the lead for "council" actions."""
    role = assessment.roles.get(assessment.contact or "") if assessment.contact else None
    if role is None:
        mapped = assessment.owners.get("council")
        role = find_role(assessment, mapped) if mapped else None
    if role is None:
        return None
    parts = [role.person, role.title, role.contact]
    return ", ".join(p for p in parts if p)


def check_governance(loaded, framework: LoadedFramework | None, sink: DiagnosticSink) -> None:  # noqa: ANN001
    """Check that ``owners``, ``contact``, body chairs and committee papers name known roles and bodies."""
    a, doc = loaded.assessment, loaded.doc
    if a is None:
        return
    roles = set(a.roles)
    for key, role_id in a.owners.items():
        if find_role(a, role_id) is None:
            line, col = doc.locate(("owners", key))
            sink.add(doc.path, line, col, f"owners: '{role_id}' is not one of the roles{_hint(role_id, roles)}")
    if a.contact is not None and a.contact not in roles:
        line, col = doc.locate(("contact",))
        sink.add(doc.path, line, col, f"contact: '{a.contact}' is not one of the roles{_hint(a.contact, roles)}")
    for body_id, body in a.bodies.items():
        if body.chair is not None and find_role(a, body.chair) is None:
            line, col = doc.locate(("bodies", body_id, "chair"))
            sink.add(doc.path, line, col, f"chair: '{body.chair}' is not one of the roles{_hint(body.chair, roles)}")
    if a.roles and framework is not None and framework.framework.id == a.framework:
        # Every action should have a named lead: say which of the framework's owners maps to no post.
        owners = sorted({c.owner for area in framework.framework.areas for c in area.criteria})
        unmapped = [o for o in owners if lead_role(a, o) is None]
        if unmapped:
            line, col = doc.locate_key(("owners",)) if "owners" in doc.data else doc.locate_key(("roles",))
            sink.warn(doc.path, line, col, f"no role leads the actions the framework gives to "
                      f"{', '.join(repr(o) for o in unmapped)} (expected an entry for each under 'owners:', "
                      "naming one of the roles)")
    edoc = loaded.evidence_doc
    for i, item in loaded.items:
        if item.body is not None and item.body not in a.bodies:
            line, col = edoc.locate(("evidence", i, "body"))
            sink.add(edoc.path, line, col, f"body: '{item.body}' is not one of the bodies{_hint(item.body, set(a.bodies))}")


def _hint(word: str, choices: set[str]) -> str:
    if not choices:
        return " (expected a role or body declared in assessment.yaml; none is)"
    guess = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{guess[0]}'?)" if guess else f" (expected one of: {', '.join(sorted(choices))})"


# --- reports reaching each body on schedule ---------------------------------------------------------

@dataclass(frozen=True)
class BodySchedule:
    """Whether one body received its reports in the year to a date."""

    body: str
    title: str
    frequency: str
    expected: int
    received: int
    papers: tuple[str, ...]
    latest: dt.date | None

    @property
    def on_schedule(self) -> bool:
        return self.received >= self.expected

    def sentence(self) -> str:
        when = f", the latest on {self.latest.day} {self.latest:%B %Y}" if self.latest else ""
        return (f"{self.title} received {self.received} of the {self.expected} equality reports due "
                f"{FREQUENCY_WORDS[self.frequency]} in the year{when}.")


def schedules(assessment: Assessment, evidence: EvidenceSet, today: dt.date) -> list[BodySchedule]:
    """For each body: the papers it received in the twelve months up to ``today`` (the evidence items
    that name it with ``body:``)."""
    start = add_months(today, -12)
    out = []
    for body_id, body in assessment.bodies.items():
        if body.frequency is None:
            continue
        months = FREQUENCY_MONTHS[body.frequency]
        papers = sorted((r.item for r in evidence if r.item.body == body_id and start < r.item.date <= today),
                        key=lambda i: i.date)
        out.append(BodySchedule(body_id, body.title, body.frequency, 12 // months, len(papers),
                                tuple(p.id for p in papers), papers[-1].date if papers else None))
    return out


# --- the governance calendar ----------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    what: str
    who: str = ""


def calendar(assessment: Assessment, evidence: EvidenceSet, start: dt.date, months: int = 12,
             objectives_date: dt.date | None = None, targets_date: dt.date | None = None) -> list[CalendarEntry]:
    """The governance year from ``start``: reports due to each body, the yearly review of targets and
    the four-yearly review of objectives (the specific duties: objectives at least every four years).

    Reports fall due one interval after the body's latest paper (or after ``start`` when it has
    none), then every interval after that.
    """
    end = add_months(start, months)
    entries: list[CalendarEntry] = []
    for body_id, body in assessment.bodies.items():
        if body.frequency is None:
            continue
        step = FREQUENCY_MONTHS[body.frequency]
        papers = [r.item.date for r in evidence if r.item.body == body_id and r.item.date <= start]
        last = max(papers) if papers else start
        chair = assessment.roles.get(body.chair or "")
        k = 1
        while (due := add_months(last, step * k)) <= end:
            if due > start:
                entries.append(CalendarEntry(due, f"Equality progress report to {body.title} "
                                             f"({FREQUENCY_WORDS[body.frequency]})",
                                             role_label(chair) if chair else ""))
            k += 1
    lead = resolve_lead(assessment, "council") or ""
    if targets_date is not None:
        due = targets_date
        while due <= start:
            due = add_months(due, 12)
        if due <= end:
            entries.append(CalendarEntry(due, "Yearly review of the targets and performance measures", lead))
    if objectives_date is not None:
        due = add_months(objectives_date, 48)
        late = " (overdue: the objectives are more than four years old)" if due < start else ""
        entries.append(CalendarEntry(due, f"Review of the equality objectives (at least every four years){late}", lead))
    return sorted(entries, key=lambda e: (e.date, e.what))
