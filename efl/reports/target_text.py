"""Words every report uses for a target (``efl assess --target LEVEL``): which areas hold the overall
level back, and per criterion the figure now, the figure needed, what it would take, the action, its
lead and its due date; then which waivers lapse, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from efl.reports.report_text import and_list, count, long_date, outcome_label
from efl.reports.wording import NO_DATE, OWNER_WORDS

if TYPE_CHECKING:
    from efl.core.models import Need, Result, TargetCriterion, WaiverLapse


def target_heading(result: Result) -> str:
    t = result.target
    where = ""
    if t.area is not None:
        where = f" in {next((a.title for a in result.areas if a.id == t.area), t.area)}"
    return f"What it would take to reach {result.level_title(t.level)}{where}"


def target_sentences(result: Result) -> list[str]:
    """The target's opening: where the council is, which areas hold it back, what must change."""
    t = result.target
    goal = result.level_title(t.level)
    now = result.level_title(t.overall)
    titles = {a.id: a.title for a in result.areas}
    out = []
    if t.area is None:
        if t.reached:
            out.append(f"The evidence already supports {goal} or above overall: every area is at {goal} or above.")
        else:
            back = [titles[i] for i in t.held_back_by]
            verb = "holds" if len(back) == 1 else "hold"
            where = (f"The evidence supports {now} overall." if t.overall is not None else
                     f"The evidence does not yet support {result.framework.levels[0].title} overall.")
            out.append(f"{where} To reach {goal} overall, "
                       f"{count(len(back), 'area')} must reach it: {and_list(back)}; "
                       f"{'it' if len(back) == 1 else 'they'} {verb} the overall level back.")
            lowest = [titles[i] for i in t.lowest]
            if lowest and len(lowest) < len(back):
                out.append(f"{and_list(lowest)} {'is' if len(lowest) == 1 else 'are'} at {now}, the lowest level, "
                           "and so set the overall level today.")
    for area in t.areas:
        if area.reached:
            out.append(f"{area.title} is already at {result.level_title(area.level)}.")
        else:
            n = len(area.criteria)
            at = (f"is at {result.level_title(area.level)}" if area.level is not None
                  else f"is not yet at {result.framework.levels[0].title}")
            out.append(f"{area.title} {at}: {count(n, 'test')} to meet to reach {goal}.")
    criteria = [c for a in t.areas for c in a.criteria]
    if criteria and len(t.areas) > 1:
        duties = sum(1 for c in criteria if c.statutory)
        legal = ""
        if duties and len(criteria) == 1:
            legal = ", and it is a legal duty"
        elif duties:
            legal = f", {duties} of them legal {'duty' if duties == 1 else 'duties'}"
        out.append(f"In all, {count(len(criteria), 'test')} must be met{legal}.")
    if result.hypothetical:
        out.append("This target is worked out from the assumed figures of this what-if, not from the evidence alone.")
    return out


def need_sentences(needs: list[Need]) -> list[str]:
    return [n.sentence for n in needs]


@dataclass(frozen=True)
class TargetRow:
    """One criterion to meet on the way to the target, in the words every format uses."""

    area: str
    criterion_id: str
    criterion: str         # its title, with "(legal duty)" or "(local)" where they apply
    level: str
    outcome: str
    now: str               # the figure now ("61.8%"), "-" when the rule has no figure
    needed: str            # the figure needed ("at least 80%")
    what: str              # what it would take, in full sentences
    action: str
    lead: str
    due: str               # "14 November 2026", or "not set"
    due_iso: str
    overdue: bool
    statutory: bool
    local: str             # how local tailoring changed it, "" for the edition's own


def _figure_parts(needs: list[Need]) -> tuple[str, str]:
    leaves = [n for n in needs if n.kind in ("figure", "no_figure", "evidence")]
    now = "; ".join(n.now or "no figure" for n in leaves) if leaves else "-"
    needed = "; ".join(n.needed for n in leaves if n.needed) if leaves else "-"
    if any(n.kind == "choice" for n in needs):
        needed = (needed + "; " if leaves else "") + "one of several ways"
    return now or "-", needed or "-"


def target_row(result: Result, c: TargetCriterion) -> TargetRow:
    titles = {a.id: a.title for a in result.areas}
    marks = [m for m, on in (("legal duty", c.statutory), ("local", bool(c.local))) if on]
    now, needed = _figure_parts(c.needs)
    return TargetRow(area=titles.get(c.area, c.area), criterion_id=c.id,
                     criterion=c.title + (f" ({', '.join(marks)})" if marks else ""),
                     level=result.level_title(c.level), outcome=outcome_label(c.outcome), now=now, needed=needed,
                     what=" ".join(need_sentences(c.needs)), action=c.action or "no action proposed",
                     lead=c.lead or OWNER_WORDS.get(c.owner or "", c.owner or "not named"),
                     due=long_date(c.due) if c.due else NO_DATE,
                     due_iso=c.due.isoformat() if c.due else "", overdue=c.overdue, statutory=c.statutory,
                     local="; ".join(x.note for x in c.local))


def target_rows(result: Result) -> list[TargetRow]:
    """Every criterion to meet, area by area in the framework's order, lower levels first."""
    if result.target is None:
        return []
    rank = result.framework.level_rank
    rows = []
    for area in result.target.areas:
        for c in sorted(area.criteria, key=lambda x: (rank(x.level), not x.statutory)):
            rows.append(target_row(result, c))
    return rows


def lapse_sentence(result: Result, lapse: WaiverLapse) -> str:
    """When a waiver ends and what the criterion then needs."""
    then = {"not_met": "the evidence shows it as not met",
            "insufficient_evidence": "there is not yet the evidence to judge it"}.get(
        lapse.outcome, f"the evidence already shows it as {outcome_label(lapse.outcome)}, so nothing changes")
    needs = " " + " ".join(need_sentences(lapse.needs)) if lapse.needs else ""
    return (f"The waiver for '{lapse.title}' ends on {long_date(lapse.expires)}: from {long_date(lapse.counts_from)} "
            f"it counts again, and {then}.{needs}")


def lapse_sentences(result: Result) -> list[str]:
    if result.target is None:
        return []
    return [lapse_sentence(result, lapse) for lapse in result.target.lapses]

