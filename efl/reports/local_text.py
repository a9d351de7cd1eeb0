"""Words every report uses for what is not the edition's own judgement of the evidence: a what-if's
assumptions, the council's waivers, and its local tailoring of the framework.

Each is said at the top of every format (a hypothetical result) or beside the criterion it touches
(a waiver, a local criterion or threshold), in the same sentences whatever the markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from efl.reports.report_text import and_list, count, long_date, outcome_label

if TYPE_CHECKING:
    from efl.core.models import Assumption, CriterionResult, Result

PERCENT = " (%)"


def figure(value: Any, percent: bool = False) -> str:
    """A figure for people: yes or no, a whole number as is, others to one decimal place (with % for a
    percentage); lists and mappings as their parts."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "no figure"
    if isinstance(value, (int, float)):
        from efl.workforce.measures import one_decimal

        if isinstance(value, int) or float(value).is_integer():
            shown = f"{int(value):,}"
        else:
            shown = f"{one_decimal(value) + 0.0:.1f}"
        return shown + ("%" if percent else "")
    if isinstance(value, list):
        return and_list([figure(v) for v in value]) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {figure(v, percent)}" for k, v in value.items()) or "none"
    return str(value)


def assumption_statement(record: Assumption) -> str:
    """The sentence an assumed figure carries in place of the evidence's (shown beside actions it drives)."""
    percent = record.unit == "%"
    was = (f"the evidence gives {figure(record.evidence_value, percent)}" if record.from_evidence
           else "the evidence gives no figure")
    return f"Assumed for this what-if: {record.description} is {figure(record.value, percent)} ({was})."


def assumption_sentences(result: Result) -> list[str]:
    """One line per assumed figure: what it is, the value assumed, what the evidence gives, and where it was set."""
    out = []
    for a in result.assumptions:
        percent = a.unit == "%"
        was = (f"the evidence gives {figure(a.evidence_value, percent)}" if a.from_evidence
               else "the evidence gives no figure")
        note = f" {a.note.rstrip('.')}." if a.note else ""
        out.append(f"{_capital(a.description)}: {figure(a.value, percent)} assumed ({was}).{note}")
    return out


def hypothetical_sentence(result: Result) -> str | None:
    """For a what-if result: that it is not the council's assessment, and what it assumes."""
    if not result.hypothetical:
        return None
    what = and_list([f"{a.description} is {figure(a.value, a.unit == '%')}" for a in result.assumptions]) \
        if result.assumptions else "figures that differ from the evidence"
    return (f"This is a what-if: it assumes {what}. The levels and actions below rest on these assumptions, "
            "not on the evidence alone.")


def hypothetical_label() -> str:
    """The words that head a what-if in every format."""
    return "What-if, not the council's assessment."


@dataclass(frozen=True)
class WaiverRow:
    """One waiver in the words every format uses."""

    area: str
    criterion: str
    status: str          # "applies until 31 March 2026", "expired on ...", ...
    applied: bool
    reason: str
    approver: str
    approved_on: str
    without: str         # what the evidence says without the waiver


def waiver_status(w) -> str:  # noqa: ANN001
    if w.status == "expired":
        return f"expired on {long_date(w.expires)}: no longer applies"
    if w.status == "not_yet_approved":
        return f"approved on {long_date(w.approved_on)}, after the assessment date: does not apply"
    if not w.applied:
        return f"in force until {long_date(w.expires)}, but not needed: the test is {outcome_label(w.outcome)}"
    return f"applies until {long_date(w.expires)}"


def waiver_rows(result: Result) -> list[WaiverRow]:
    titles = {a.id: a.title for a in result.areas}
    rows = []
    for w in result.waivers:
        reasons = "; ".join(w.reasons)
        without = f"{outcome_label(w.outcome)}" + (f": {reasons}" if reasons and w.outcome != "met" else "")
        rows.append(WaiverRow(area=titles.get(w.area, w.area), criterion=w.title, status=waiver_status(w),
                              applied=w.applied, reason=w.reason, approver=w.approver,
                              approved_on=long_date(w.approved_on), without=without))
    return rows


def waiver_heading(result: Result) -> str:
    return f"Waivers ({len(result.waivers)})"


def waiver_intro() -> str:
    return ("A waiver is an exception the council has approved: while it applies, the test counts as not "
            "applicable. A legal duty cannot be waived.")


def tailoring_sentence(result: Result) -> str | None:
    """What local tailoring did to the framework, in one sentence (None when there is none)."""
    t = result.framework.tailoring
    if t is None:
        return None
    parts = []
    if t.added:
        parts.append(f"{count(len(t.added), 'local test')} added")
    if t.rules:
        parts.append(f"{count(len(t.rules), 'test')} changed locally")
    if t.not_used:
        parts.append(f"{count(len(t.not_used), 'test')} not used locally")
    if t.actions:
        parts.append(f"{count(len(t.actions), 'action')} reworded")
    if t.characteristics:
        from efl.core.models import characteristic_label

        names = and_list([characteristic_label(c) for c in t.characteristics])
        parts.append(f"{names} as {'a local characteristic' if len(t.characteristics) == 1 else 'local characteristics'}")
    name = t.title or "the council's tailoring"
    what = and_list(parts) if parts else "no changes"
    return (f"This assessment uses local tailoring of the {result.framework.title} ({name}): {what}. Everything "
            "local is marked as such.")


def tailoring_source(result: Result) -> str | None:
    """Where the tailoring comes from, for a report's provenance (its sha256 is shown beside it)."""
    t = result.framework.tailoring
    if t is None:
        return None
    where = f"the file {t.file} in the assessment folder" if t.file else f"the plugin {t.plugin}"
    version = f", version {t.version}" if t.version else ""
    return f"Local tailoring{': ' + t.title if t.title else ''} ({where}{version}), based on {t.base}"


def local_words(c: CriterionResult) -> str:
    """How local tailoring changed a criterion, or "" for the edition's own."""
    return "; ".join(change.note for change in c.local)


def criterion_marks(c: CriterionResult) -> list[str]:
    """The marks a criterion carries in every format: legal duty, local, waived."""
    marks = []
    if c.statutory:
        marks.append("legal duty")
    if c.local:
        marks.append("local")
    if c.waived:
        marks.append("waived")
    return marks


def marked_title(c: CriterionResult) -> str:
    """The criterion's title with its marks: "Carers have a staff network (local)"."""
    marks = criterion_marks(c)
    return c.title + (f" ({', '.join(marks)})" if marks else "")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
