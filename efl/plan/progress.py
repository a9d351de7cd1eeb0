"""Progress through the year: the quarterly report on the council's action plan, and the annual one.

The report date (``--as-of``) is "today": a line is overdue when its output was due before it and
the line is neither done nor dropped. No clock is read, so the same plan and date give the same
report. What changed since the last quarter comes from the previous plan file when one is given,
otherwise from the dates of the progress notes (notes dated in the three months to the report
date). The annual report adds the level per area and the change since last year's result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from efl.plan.action_plan import Plan, PlanLine, collector_paused
from efl.law.dates import add_months
from efl.plan.governance import CalendarEntry, find_role, role_label
from efl.reports.report_text import count, long_date, markdown_escape, markdown_table

if TYPE_CHECKING:
    from efl.core.models import Assessment, Result

STATES = ("done", "on track", "at risk", "overdue", "not started", "no status given", "dropped")
NO_STATUS = "no status given"  # the council left the status empty: efl never makes one up


@dataclass
class LineProgress:
    id: str
    objective: str
    area: str
    action: str
    lead: str
    due: dt.date | None
    status: str  # as the council gave it, or "no status given"
    state: str  # the status, or "overdue" when the due date has passed and it is not done or dropped
    latest_note: str


@dataclass
class AreaLevel:
    area: str
    level: str
    last_year: str | None
    change: str


@dataclass
class Proposal:
    """An action the assessment proposed that the plan has no line for yet."""

    action: str
    area: str
    due: dt.date | None


@dataclass
class Proposals:
    """How the plan stands against the actions the assessment proposed: a plan line answers a proposal
    when it names the proposal's criterion (or repeats its action in the same area), as when
    ``efl assess --plan`` merges them; the council's own lines answer none."""

    assessed: dt.date
    proposed: int  # actions the assessment proposed
    in_plan: int  # of them, how many the plan has a line for
    not_in_plan: list[Proposal]
    own_lines: int  # plan lines that answer no proposal and were not proposed by an earlier assessment
    earlier_lines: int  # lines an earlier assessment proposed whose test is no longer open
    error: str = ""  # set when the assessment could not be run, so none of the above is known


@dataclass
class ProgressReport:
    council: str
    as_of: dt.date
    since: dt.date
    compared_with: str  # what "changed since last quarter" is measured against
    counts: dict[str, int]
    by_objective: list[tuple[str, list[LineProgress]]]
    by_area: list[tuple[str, dict[str, int]]]
    changes: list[str]
    levels: list[AreaLevel] | None = None
    overall: str | None = None
    calendar: list[CalendarEntry] = field(default_factory=list)
    has_plan: bool = True  # False: only the calendar was asked for, and the folder names no plan
    proposals: Proposals | None = None  # the plan against the assessment's own proposals


class _DatesInWords(dict):
    """:func:`long_date` of each date, written once (``dates[day]``)."""

    def __missing__(self, day: dt.date) -> str:
        words = self[day] = long_date(day)
        return words


def state_of(line: PlanLine, as_of: dt.date) -> str:
    if line.status in ("done", "dropped"):
        return line.status
    if line.due is not None and line.due < as_of:
        return "overdue"
    return line.status or NO_STATUS


def lead_of(line: PlanLine, assessment: Assessment) -> str:
    role = find_role(assessment, line.lead) if line.lead else None
    return role_label(role) if role else line.lead


def report_date(plan: Plan, assessed: dt.date) -> dt.date:
    """The default report date: the latest progress note, when it is after the assessment (the plan
    has been worked on since), else the assessment date. A report dated at the assessment would
    leave out every later note while its lines run on into the year."""
    notes = [n.date for line in plan.lines for n in line.notes]
    latest = max(notes, default=None)
    return latest if latest is not None and latest > assessed else assessed


def build(plan: Plan, assessment: Assessment, as_of: dt.date, area_titles: dict[str, str],
          previous: Plan | None = None, previous_name: str = "") -> ProgressReport:
    since = add_months(as_of, -3)
    objectives = {o.id: (f"{o.id}. {o.title}" if o.id.isdigit() else o.title) for o in plan.objectives}
    rows = []
    # A plan of thousands of lines names a handful of leads, and repeats its dates: each lead is
    # looked up among the roles once, each date written in words once.
    leads: dict[str, str] = {}
    dates = _DatesInWords()
    for line in plan.lines:
        latest = None  # the latest note by the report date (the first of those of that date, as max gives it)
        for note in line.notes:
            if note.date <= as_of and (latest is None or note.date > latest.date):
                latest = note
        lead = leads.get(line.lead)
        if lead is None:
            lead = leads[line.lead] = lead_of(line, assessment)
        status = line.status
        rows.append(LineProgress(
            line.id, objectives.get(line.objective or "", "Not tied to an objective"),
            area_titles.get(line.area or "", line.area or "No area given"), line.action, lead, line.due,
            status or NO_STATUS,
            # (state_of, in line)
            status if status in ("done", "dropped") else "overdue" if line.due is not None and line.due < as_of
            else status or NO_STATUS,
            f"{dates[latest.date]}: {latest.text}" if latest else ""))
    counts = dict.fromkeys(STATES, 0)
    by_objective: dict[str, list[LineProgress]] = {}
    by_area: dict[str, dict[str, int]] = {}
    for r in rows:
        if r.state in counts:  # (always, for a validated plan: counted as the states are)
            counts[r.state] += 1
        group = by_objective.get(r.objective)
        if group is None:
            group = by_objective[r.objective] = []
        group.append(r)
        area = by_area.get(r.area)
        if area is None:
            area = by_area[r.area] = dict.fromkeys(STATES, 0)
        area[r.state] += 1
    if previous is not None:
        changes = changes_between(previous, plan, as_of)
        compared = "the plan as it stood last quarter"
    else:
        changes = changes_from_notes(plan, since, as_of)
        compared = f"progress notes dated from {long_date(since + dt.timedelta(days=1))} to {long_date(as_of)}"
    return ProgressReport(assessment.council.name, as_of, since, compared, counts, list(by_objective.items()),
                          list(by_area.items()), changes)


def proposals_against(plan: Plan, result: Result, area_titles: dict[str, str]) -> Proposals:
    """The plan against the assessment's proposals, matched as ``efl assess --plan`` matches them."""
    from efl.plan.action_plan import propose

    missing = propose(result, plan)
    criteria = {a.criterion for a in result.actions if a.criterion}
    texts = {(a.area, a.what.strip()) for a in result.actions}
    answering = [line for line in plan.lines
                 if (line.criterion and line.criterion in criteria) or (line.area, line.action.strip()) in texts]
    others = [line for line in plan.lines if line not in answering]
    return Proposals(
        assessed=result.assessment.date, proposed=len(result.actions), in_plan=len(result.actions) - len(missing),
        not_in_plan=[Proposal(line.action, area_titles.get(line.area or "", line.area or "No area given"), line.due)
                     for line in missing],
        own_lines=sum(line.proposed is None for line in others),
        earlier_lines=sum(line.proposed is not None for line in others))


def proposals_sentences(report: ProgressReport) -> list[str]:
    """Why the plan's lines and the assessment's actions need not be the same number, in words."""
    p = report.proposals
    if p is None:
        return []
    if p.error:
        return [f"The assessment could not be run ({p.error}), so this report cannot say which of its actions "
                "are in the plan."]
    total = sum(report.counts.values())
    out = [f"The assessment of {long_date(p.assessed)} proposed {count(p.proposed, 'action')}."]
    if p.proposed:
        if p.in_plan == p.proposed:
            out.append("The plan has a line for each of them." if p.proposed > 1 else "The plan has a line for it.")
        elif p.in_plan:
            out.append(f"The plan has a line for {p.in_plan} of them. {len(p.not_in_plan)} "
                       f"{'is' if len(p.not_in_plan) == 1 else 'are'} not in the plan yet, listed below.")
        else:
            out.append(f"The plan does not yet have a line for {'it' if p.proposed == 1 else 'any of them'}. "
                       f"{'It is' if p.proposed == 1 else 'They are'} listed below.")
    if p.own_lines:
        if p.own_lines == total:
            out.append(f"All {total} lines of the plan are the council's own." if total > 1
                       else "The plan's one line is the council's own.")
        else:
            out.append(f"{count(p.own_lines, 'line')} of the plan {'is' if p.own_lines == 1 else 'are'} the "
                       "council's own.")
    if p.earlier_lines:
        out.append(f"{count(p.earlier_lines, 'line')} {'was' if p.earlier_lines == 1 else 'were'} proposed by an "
                   "earlier assessment, and this one did not propose "
                   f"{'it' if p.earlier_lines == 1 else 'them'} again.")
    return out


def changes_between(old: Plan, new: Plan, as_of: dt.date) -> list[str]:
    """What differs line by line: added, removed, status, due date, lead and new notes."""
    before = {line.id: line for line in old.lines}
    out = []
    for line in new.lines:
        was = before.pop(line.id, None)
        name = f"'{_short(line.action)}'"
        if was is None:
            out.append(f"New line {name} (status: {line.status or NO_STATUS}).")
            continue
        if was.status != line.status:
            out.append(f"{name}: status changed from {was.status or NO_STATUS} to {line.status or NO_STATUS}.")
        if was.due != line.due:
            out.append(f"{name}: due date changed from {long_date(was.due)} to {long_date(line.due)}.")
        if was.lead != line.lead:
            out.append(f"{name}: lead changed from {was.lead or 'nobody'} to {line.lead or 'nobody'}.")
        known = {(n.date, n.text) for n in was.notes}
        for note in line.notes:
            if (note.date, note.text) not in known:
                out.append(f"{name}: new note of {long_date(note.date)}: {note.text}")
    for line in before.values():
        out.append(f"'{_short(line.action)}' is no longer in the plan.")
    return out


def changes_from_notes(plan: Plan, since: dt.date, as_of: dt.date) -> list[str]:
    out = []
    dates = _DatesInWords()
    for line in plan.lines:
        for note in line.notes:
            if since < note.date <= as_of:
                out.append(f"'{_short(line.action)}' ({line.status or NO_STATUS}), {dates[note.date]}: {note.text}")
        if line.proposed is not None and since < line.proposed <= as_of:
            out.append(f"'{_short(line.action)}' was added to the plan on {long_date(line.proposed)}.")
    return out


def _short(text: str) -> str:
    """An action's name in a sentence: whole (never cut mid-word), on one line."""
    return " ".join(text.split())


def add_levels(report: ProgressReport, result: Result, last_year: Result | None) -> None:
    """The annual report: the level per area now, and the change since last year's result."""
    before = {a.id: a for a in last_year.areas} if last_year is not None else {}
    levels = []
    for area in result.areas:
        now = result.level_title(area.level)
        old = before.get(area.id)
        if last_year is None:
            levels.append(AreaLevel(area.title, now, None, "no result from last year to compare with"))
            continue
        if old is None:
            levels.append(AreaLevel(area.title, now, None, "not assessed last year"))
            continue
        a, b = result.framework.level_rank(area.level), last_year.framework.level_rank(old.level)
        change = "no change" if a == b else (f"up {a - b} level{'s' if a - b > 1 else ''}" if a > b
                                             else f"down {b - a} level{'s' if b - a > 1 else ''}")
        levels.append(AreaLevel(area.title, now, last_year.level_title(old.level), change))
    report.levels = levels
    report.overall = result.level_title(result.overall_level)


# --- rendering --------------------------------------------------------------------------------------

def title(report: ProgressReport) -> str:
    if not report.has_plan:
        return f"{report.council}: governance calendar from {long_date(report.as_of)}"
    kind = "annual progress report" if report.levels is not None else "quarterly progress report"
    return f"{report.council}: equality action plan, {kind} to {long_date(report.as_of)}"


def summary(report: ProgressReport) -> str:
    total = sum(report.counts.values())
    parts = [f"{report.counts[s]} {s}" for s in STATES if report.counts[s]]
    return f"The plan has {total} line{'s' if total != 1 else ''}: " + (", ".join(parts) or "none") + "."


MISSING_HEADING = "Actions the assessment proposed that are not in the plan"
MISSING_HEADERS = ["Action", "Area", "Due"]


def _missing_rows(report: ProgressReport) -> list[list[str]]:
    p = report.proposals
    if p is None:
        return []
    return [[m.action, m.area, long_date(m.due) if m.due else "-"] for m in p.not_in_plan]


def _missing_text(rows: list[list[str]]) -> str:
    """The proposals with no line, as a terminal table: tabulate's bytes, without importing tabulate
    for a few rows when text_table can draw them (it hands anything unusual to tabulate itself)."""
    from efl.reports.text_table import simple_table

    return simple_table(rows, MISSING_HEADERS, [60, 40, 18])


def render_text(report: ProgressReport) -> str:
    # tabulate's "simple" tables, drawn without re-wrapping thousands of rows through it (text_table).
    from efl.reports.text_table import simple_table, table_lines

    if not report.has_plan:
        return "\n".join([title(report), "", _calendar_text(report)]) + "\n"
    out = [title(report), "", " ".join([summary(report), *proposals_sentences(report)]), ""]
    missing = _missing_rows(report)
    if missing:
        out += [MISSING_HEADING, "", _missing_text(missing), ""]
    if report.levels is not None:
        out += [f"Level per area (overall: {report.overall})", ""]
        out.append(simple_table([[lv.area, lv.level, lv.last_year or "-", lv.change] for lv in report.levels],
                                ["Area", "Level now", "Last year", "Change"], [40, 20, 20, 30]))
        out.append("")
    out += ["By area", ""]
    out.append(simple_table([[area, *counts.values()] for area, counts in report.by_area],
                            ["Area", *[s.capitalize() for s in STATES]], [40] + [None] * len(STATES)))
    dates = _DatesInWords()
    for objective, rows in report.by_objective:
        out += ["", f"Objective: {objective}", ""]
        # (Its lines, joined once with the rest: a plan's tables are megabytes.)
        out += table_lines([[r.action, r.lead, dates[r.due] if r.due else "-", r.state, r.latest_note or "-"]
                            for r in rows], ["Action", "Lead", "Due", "Progress", "Latest note"],
                           [44, 22, 18, 12, 40])
    out += ["", f"What changed since the last quarter (from {report.compared_with})", ""]
    out += [f"- {c}" for c in report.changes] or ["- Nothing changed."]
    if report.calendar:
        out += ["", "Governance calendar", "", _calendar_text(report)]
    return "\n".join(out) + "\n"


def _calendar_text(report: ProgressReport) -> str:
    from efl.reports.text_table import simple_table

    if not report.calendar:
        return "Nothing is due: assessment.yaml names no bodies and lists no equality objectives."
    return simple_table([[long_date(e.date), e.what, e.who or "-"] for e in report.calendar],
                        ["Date", "What", "Who"], [18, 60, 36])


def render_markdown(report: ProgressReport) -> str:
    e = markdown_escape
    if not report.has_plan:
        rows = [[long_date(x.date), e(x.what), e(x.who or "-")] for x in report.calendar]
        return "\n".join([f"# {e(title(report), True)}", "", *markdown_table(["Date", "What", "Who"], rows)]) + "\n"
    out = [f"# {e(title(report), True)}", "", e(" ".join([summary(report), *proposals_sentences(report)]), True), ""]
    missing = _missing_rows(report)
    if missing:
        out += [f"## {MISSING_HEADING}", ""]
        out += markdown_table(MISSING_HEADERS, [[e(c) for c in row] for row in missing])
        out.append("")
    if report.levels is not None:
        out += [f"## Level per area (overall: {e(report.overall)})", ""]
        out += markdown_table(["Area", "Level now", "Last year", "Change"],
                              [[e(lv.area), e(lv.level), e(lv.last_year or "-"), e(lv.change)] for lv in report.levels])
        out.append("")
    out += ["## By area", ""]
    out += markdown_table(["Area", *[s.capitalize() for s in STATES]],
                          [[e(area), *map(str, counts.values())] for area, counts in report.by_area])
    out += ["", "## By objective"]
    dates = _DatesInWords()
    for objective, rows in report.by_objective:
        out += ["", f"### {e(objective, True)}", ""]
        out += markdown_table(["Action", "Lead", "Due", "Progress", "Latest note"],
                              [[e(r.action), e(r.lead), dates[r.due] if r.due else "-", e(r.state),
                                e(r.latest_note or "-")] for r in rows])
    out += ["", "## What changed since the last quarter", "", f"Compared with {e(report.compared_with)}.", ""]
    out += [f"- {e(c)}" for c in report.changes] or ["- Nothing changed."]
    if report.calendar:
        out += ["", "## Governance calendar", ""]
        out += markdown_table(["Date", "What", "Who"],
                              [[long_date(x.date), e(x.what), e(x.who or "-")] for x in report.calendar])
    return "\n".join(out) + "\n"


def render_json(report: ProgressReport) -> str:
    # asdict() on everything but the lines, which are many: each line's fields (all text, a date or
    # None) are copied straight, in field order, as asdict copies them.
    lines, report.by_objective = report.by_objective, []
    try:
        data = asdict(report)
    finally:
        report.by_objective = lines
    data["by_objective"] = [{"objective": o, "lines": [dict(r.__dict__) for r in rows]} for o, rows in lines]
    data["by_area"] = [{"area": a, "counts": c} for a, c in data["by_area"]]
    # json.dumps(data, indent=2, ensure_ascii=False, default=...), the same bytes, quicker.
    from efl.reports.json_text import pretty_json

    return pretty_json(data, default=lambda d: d.isoformat(), ensure_ascii=False) + "\n"


RENDERERS = {"table": render_text, "markdown": render_markdown, "json": render_json}


def render_style(report: ProgressReport, style: str) -> str:
    """The progress report in efl's own ``table``, ``markdown`` or ``json`` style (for a format's
    ``progress`` renderer to start from)."""
    with collector_paused():  # (thousands of rows drawn: see collector_paused)
        return RENDERERS[style](report)


def _objectives_date(prepared) -> dt.date | None:  # noqa: ANN001
    """When the equality objectives were last published: the newest item of the evidence type the
    statutory calendar's four-yearly duty names (objectives at intervals of no more than four years,
    SI 2017/353 reg 5), so the evidence type's name stays the calendar's and its plugin's."""
    loaded = prepared.framework.calendar
    duty = next((d for d in loaded.calendar.duties if d.every == "P4Y"), None) if loaded is not None else None
    found = [r for kind in (duty.evidence if duty is not None else []) for r in prepared.evidence.items_of(kind)]
    return max((r.item.published or r.item.date for r in found), default=None)


def check_options(annual: bool, last_year) -> None:  # noqa: ANN001
    """Refuse ``efl progress`` options that do not go together (a usage error, before anything is read)."""
    if last_year is not None and not annual:
        from efl.errors import UsageError

        raise UsageError("--last-year goes with --annual (expected both, or neither)")


def for_folder(folder, host, as_of: dt.date | None = None, previous=None, annual: bool = False,  # noqa: ANN001
               last_year=None, with_calendar: bool = False) -> ProgressReport:  # noqa: ANN001
    """Everything ``efl progress`` does short of printing: read the folder and its plan, build the report."""
    check_options(annual, last_year)
    with collector_paused():  # a plan of thousands of lines read and reported on: see collector_paused
        return _for_folder(folder, host, as_of, previous, annual, last_year, with_calendar)


def _for_folder(folder, host, as_of: dt.date | None, previous, annual: bool,  # noqa: ANN001
                last_year, with_calendar: bool) -> ProgressReport:  # noqa: ANN001
    from pathlib import Path

    from efl.plan.action_plan import current_plan, read_plan
    from efl.core.engine import assess_prepared, prepare
    from efl.errors import Diagnostic, InputError
    from efl.plan.governance import calendar
    from efl.core.results import read_result

    from efl.files.yamlio import YAML_YEARS

    if as_of is not None and not YAML_YEARS[0] <= as_of.year <= YAML_YEARS[1]:
        # A quarter back and a year on from the report date must still be dates.
        from efl.errors import UsageError

        raise UsageError(f"--as-of {as_of.isoformat()} is not a plausible report date (expected a year from "
                         f"{YAML_YEARS[0]} to {YAML_YEARS[1]}, as for every date efl reads)")
    prepared = prepare(Path(folder), host)
    assessment = prepared.loaded.assessment
    plan, _ = current_plan(prepared.loaded)
    if plan is None and not with_calendar:
        line, col = prepared.loaded.doc.locate(())
        raise InputError(Diagnostic(prepared.loaded.doc.path, line or 1, col or 1, "no action plan is named "
                                    "(expected 'plan: FILE' in assessment.yaml, e.g. 'plan: action-plan.xlsx'; "
                                    "'efl assess DIR --plan FILE' writes one)"))
    has_plan = plan is not None
    plan = plan or Plan()
    day = as_of or report_date(plan, assessment.date)
    titles = {a.id: a.title for a in prepared.framework.framework.areas}
    old = read_plan(Path(previous)) if previous is not None else None
    report = build(plan, assessment, day, titles, old, str(previous) if previous is not None else "")
    report.has_plan = has_plan
    if has_plan or annual:
        run = assess_prepared(prepared, host)
        if annual and run.failures:
            raise run.failures[0]
        if has_plan:
            report.proposals = (proposals_against(plan, run.result, titles) if not run.failures else
                                Proposals(assessment.date, 0, 0, [], 0, 0, error=_failure_words(run.failures)))
        if annual:
            add_levels(report, run.result, read_result(Path(last_year)) if last_year is not None else None)
    if with_calendar:
        when = _objectives_date(prepared)
        report.calendar = calendar(assessment, prepared.evidence, day, 12, when, when)
    return report


def _failure_words(failures: list) -> str:
    """A failed plugin, named for a person (its own message is for the plugin's author)."""
    names = sorted({getattr(f, "plugin", "") or "a plugin" for f in failures})
    return f"the {names[0]} plugin failed" if len(names) == 1 and names[0] != "a plugin" else "a plugin failed"


def progress_parts(report: ProgressReport) -> list:
    """The progress report as paper parts (heading, paragraphs, tables), for the HTML and Word formats
    and a council's own template: the same words the table and Markdown styles print."""
    from efl.reports.paper import Part
    from efl.reports.sections import ReportTable

    if not report.has_plan:
        return [Part("calendar", "Governance calendar", (), tables=_calendar_tables(report))]
    against = " ".join(proposals_sentences(report))
    parts = [Part("summary", "Summary", (summary(report), against) if against else (summary(report),))]
    missing = _missing_rows(report)
    if missing:
        parts.append(Part("not-in-plan", MISSING_HEADING, (), tables=(ReportTable(
            "Proposed actions with no line in the plan", MISSING_HEADERS, missing),)))
    if report.levels is not None:
        parts.append(Part("levels", f"Level per area (overall: {report.overall})", (), tables=(ReportTable(
            "Level per area", ["Area", "Level now", "Last year", "Change"],
            [[lv.area, lv.level, lv.last_year or "-", lv.change] for lv in report.levels]),)))
    parts.append(Part("areas", "By area", (), tables=(ReportTable(
        "Progress by area", ["Area", *[s.capitalize() for s in STATES]],
        [[area, *map(str, counts.values())] for area, counts in report.by_area]),)))
    dates = _DatesInWords()
    objectives = tuple(Part(f"objective-{i}", objective, (), tables=(ReportTable(
        f"Actions for: {objective}", ["Action", "Lead", "Due", "Progress", "Latest note"],
        [[r.action, r.lead or "-", dates[r.due] if r.due else "-", r.state, r.latest_note or "none yet"]
         for r in rows]),)) for i, (objective, rows) in enumerate(report.by_objective, 1))
    parts.append(Part("objectives", "By objective", (), parts=objectives))
    parts.append(Part("changes", "What changed since the last quarter",
                      (f"Compared with {report.compared_with}.", *(report.changes or ["Nothing changed."]))))
    if report.calendar:
        parts.append(Part("calendar", "Governance calendar", (), tables=_calendar_tables(report)))
    return parts


def _calendar_tables(report: ProgressReport) -> tuple:
    from efl.reports.sections import ReportTable

    if not report.calendar:
        return ()
    return (ReportTable("Governance calendar", ["Date", "What", "Who"],
                        [[long_date(e.date), e.what, e.who or "-"] for e in report.calendar]),)
