"""The committee paper: what every people-facing report says, in order, as typed parts.

The HTML page, the Markdown paper and the Word cabinet report lay these parts out in their own
markup; a council's own template can take the same parts (``efl.provisional.committee_paper``) and lay them out
in its house style. The shape follows real council report templates: Maidstone Borough Council's
committee report (front sheet with final decision-maker, lead officer, classification and wards;
a one-paragraph executive summary; numbered recommendations; a timetable; numbered sections for
background, available options and reasons), Lambeth's single report template (portfolio, report
summary, recommendations, context, proposal and reasons, finance, legal, consultation, risk,
equalities, background papers) and Harrow's cabinet report on equality objectives (seed 003:
summary and recommendations, report with legal, financial, risk and equalities implications,
contact details and background papers).

Every sentence here is for people: names, never codes; dates in long form; percentages to one
decimal place; no ids, file paths, hashes or tool names (those go to the technical record).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from efl.reports.report_text import (agreed_levels, agreed_overall, and_list, count, criteria_by_id,
                                     level_rank, long_date, outcome_label, role_words, statutory_actions,
                                     title_line, warning_heading, warning_sentences)
from efl.reports.paper_parts import Paper, Part  # noqa: F401 - the paper's shape, in a leaf module
from efl.core.levels import is_lowest
from efl.reports.sections import ReportSection, ReportTable
from efl.reports.wording import NO_DATE, NOT_CLAIMED, lead_words, plain_reason, plain_words, priority_key

if TYPE_CHECKING:
    from efl.core.models import Result

# How far ahead the risk section looks for statutory deadlines.
RISK_HORIZON_DAYS = 183
TO_BE_CONFIRMED = "To be confirmed"


def _level(result: Result, level: str | None) -> str:
    return result.level_title(level)


def _year(result: Result) -> str:
    return str(result.assessment.date.year)


def subject(result: Result) -> str:
    """"Equality self-assessment 2025": what the paper is about, without the council."""
    return f"Equality {role_words(result)} {_year(result)}"


def overclaimed(result: Result) -> list:
    """Areas claimed above the level the paper asks members to agree (the agreed one after a peer challenge)."""
    return [a for a in result.areas if a.claimed_level and level_rank(result, a.claimed_level)
            > level_rank(result, a.agreed_level if a.agreed_reason else a.level)]


def contact(result: Result) -> str:
    """The contact officer: ``contact:`` in assessment.yaml, else whoever made the assessment."""
    a = result.assessment
    if a.contact:
        return a.contact
    who = ", ".join(p for p in (a.assessor.name, a.assessor.organisation) if p)
    return who or f"The equality lead, {a.council}"


# --- front sheet -----------------------------------------------------------------------------------

def front_sheet(result: Result) -> list[tuple[str, str]]:
    a = result.assessment
    m = a.meeting
    yes_no = {True: "Yes", False: "No", None: TO_BE_CONFIRMED}
    return [
        ("Meeting", (m.body if m and m.body else TO_BE_CONFIRMED)),
        ("Date of meeting", long_date(m.date) if m and m.date else TO_BE_CONFIRMED),
        ("Subject", f"{subject(result)}: {result.framework.title}"),
        ("Decision-maker", (m.decision_maker if m and m.decision_maker else TO_BE_CONFIRMED)),
        ("Report of", (m.report_of if m and m.report_of else contact(result))),
        ("Portfolio", (m.portfolio if m and m.portfolio else a.lead_member or TO_BE_CONFIRMED)),
        ("Key decision", yes_no[m.key_decision if m else None]),
        ("Wards affected", m.wards if m else "All wards"),
        ("Public or exempt", (f"Exempt: {m.exempt}" if m and m.exempt else "Public")),
        ("Contact officer", contact(result)),
        ("Date of the assessment", long_date(a.date)),
    ]


# --- summary, recommendations, reasons and options ---------------------------------------------------

def at_level(result: Result, level: str | None, would: bool = False) -> str:
    """"is at Developing", or "is not yet at Developing" below the first level ("would be" for a what-if):
    never "is at Not yet Developing"."""
    first = result.framework.levels[0].title
    if level_rank(result, level) == 0:
        return f"would not yet be at {first}" if would else f"is not yet at {first}"
    return f"would be at {_level(result, level)}" if would else f"is at {_level(result, level)}"


def _why_overall(result: Result, level: str | None) -> str:
    """Why the overall level is what it is: the lowest of the areas' levels (the engine's rule)."""
    first = result.framework.levels[0].title
    if level == result.overall_level and not is_lowest(result.framework, level, [a.level for a in result.areas]):
        # A plugin's own rule decided it (efl_overall_level): "the lowest of the areas' levels" would be untrue.
        return "The overall level follows from the levels the evidence supports in each area, by the council's own rule."
    if level_rank(result, level) == 0:
        short = [a for a in result.areas if level_rank(result, a.level) == 0]
        where = "any area" if len(short) == len(result.areas) else count(len(short), "area")
        return (f"The overall level is the lowest of the areas' levels, and the evidence does not yet support "
                f"{first} in {where}.")
    return (f"The overall level is the lowest of the areas' levels: the evidence supports at least "
            f"{_level(result, level)} in every area.")


def summary_paragraph(result: Result) -> str:
    """One paragraph that leads with what is asked and why."""
    agreed, was_agreed = agreed_overall(result)
    level = agreed if was_agreed else result.overall_level
    overall = _level(result, level)
    asked = (f"This report asks members to agree that the council {at_level(result, level)} overall. It also asks "
             f"them to agree an action plan of {count(len(result.actions), 'action')}.")
    if result.hypothetical:  # a what-if is for discussion: it says what would follow, and asks for nothing
        asked = (f"This what-if shows that, with the figures it assumes, the council {at_level(result, level, True)} "
                 f"overall against the {result.framework.title}, with an action plan of "
                 f"{count(len(result.actions), 'action')}.")
    why = _why_overall(result, level)
    if was_agreed:
        why = f"{overall} is the level agreed with the peer team after the peer challenge."
    over = overclaimed(result)
    if over:
        why += (f" The {role_words(result)} claimed more in {count(len(over), 'area')}, but the evidence does "
                "not yet show it.")
    legal = statutory_actions(result)
    if legal:
        why += (f" {count(len(legal), 'legal duty', 'legal duties')} {'is' if len(legal) == 1 else 'are'} not yet met. "
                f"The plan puts {'it' if len(legal) == 1 else 'them'} first.")
    return f"{asked} {why}"


def recommendations(result: Result) -> list[str]:
    agreed, was_agreed = agreed_overall(result)
    level = agreed if was_agreed else result.overall_level
    out = []
    over = overclaimed(result)
    basis = "agreed after the peer challenge" if was_agreed else "that the evidence supports"
    out.append(f"Agree the level for each area {basis}, shown in the table of levels. So the council "
               f"{at_level(result, level)} overall.")
    if over:
        out.append(f"Do not agree the higher level claimed for {and_list([a.title for a in over], semicolons=True)}.")
    if result.actions:
        out.append(f"Agree the action plan of {count(len(result.actions), 'action')}, with its leads and dates.")
    legal = statutory_actions(result)
    if legal:
        out.append(f"Note that {count(len(legal), 'legal duty', 'legal duties')} {'is' if len(legal) == 1 else 'are'}"
                   f" not yet met. Ask the leads to meet {'it' if len(legal) == 1 else 'them'} first.")
    out.append("Ask for a progress report on the plan every quarter, and a full report each year.")
    return out


def reasons(result: Result) -> list[str]:
    out = ["The framework sets out what a council does at each level. A level counts only when the evidence "
           "meets every test for it. It must also meet every test for the levels below."]
    over = overclaimed(result)
    if over:
        out.append(f"A higher level than the evidence shows would not stand up to a peer challenge. The evidence "
                   f"falls short in {count(len(over), 'area')}.")
    if result.actions:
        out.append("The action plan deals with each test not yet met, up to the next level. Legal duties come "
                   "first.")
    return out


def alternatives(result: Result) -> list[str]:
    out = []
    over = overclaimed(result)
    if over:
        out.append(f"Agree the levels the {role_words(result)} claims. This is not recommended. The evidence does "
                   f"not yet show them in {count(len(over), 'area')}.")
    out.append("Agree the levels but not the action plan. This is not recommended. The gaps would stay open.")
    out.append("Do nothing. This is not recommended. The law says the council must publish equality information "
               "each year, and new objectives at least every four years.")
    return out


# --- the findings ------------------------------------------------------------------------------------

def levels_table(result: Result) -> ReportTable:
    headers = ["Area", "Level the evidence supports", f"Level the {role_words(result)} claims", "Actions"]
    rows = [[a.title, _level(result, a.level), _level(result, a.claimed_level) if a.claimed_level else NOT_CLAIMED,
             str(len(a.actions))] for a in result.areas]
    agreed = agreed_levels(result)
    if agreed:
        headers.insert(3, "Level agreed")
        for row, level in zip(rows, agreed):
            row.insert(3, level if level != "-" else "not agreed separately")
    return ReportTable("Levels by area", headers, rows)


def claims_table(result: Result) -> ReportTable | None:
    """A peer folder's claims, the notes behind them and what the peer challenge agreed."""
    from efl.reports.report_text import claim_rows

    rows = [[r.about, r.claimed, r.note, r.agreed, r.reason] for r in claim_rows(result)]
    if not rows:
        return None
    return ReportTable("Claims, notes and what was agreed", ["Area or test", "Claimed", "Note", "Agreed",
                                                              "Reason agreed"], rows)


def criterion_reason(result: Result, criterion) -> str:  # noqa: ANN001
    statements = {f.name: f.statement for f in result.facts if f.statement}
    said = [statements[name] for name in criterion.facts if name in statements]
    # A figure's own sentence reads better than "the share ...: 87.5% (at least 90% needed)", but only
    # where the reasons are about figures: a duty's reason (dates, deadlines) is kept as it is.
    about_figures = all(r.endswith(" needed)") for r in criterion.reasons)
    if said and about_figures and criterion.outcome in ("met", "not_met"):
        return " ".join(dict.fromkeys(plain_words(s) for s in said))
    return " ".join(dict.fromkeys(plain_reason(r) for r in criterion.reasons)) or "No reason was recorded."


def area_part(result: Result, area, sections: tuple[ReportSection, ...]) -> Part:  # noqa: ANN001
    claimed = (f"The {role_words(result)} claims {_level(result, area.claimed_level)}." if area.claimed_level
               else f"The level is {NOT_CLAIMED}.")
    supports = (f"The evidence supports {_level(result, area.level)}." if level_rank(result, area.level) else
                f"The evidence does not yet support {result.framework.levels[0].title}.")
    paragraphs = [f"{supports} {claimed}"]
    if area.agreed_reason:
        paragraphs.append(f"Level agreed after the peer challenge: {_level(result, area.agreed_level)}. "
                          f"{plain_words(area.agreed_reason)}")
    if area.summary:
        paragraphs.append(plain_words(area.summary))
    from efl.reports.local_text import local_words, marked_title

    rows = []
    for c in area.criteria:
        local = local_words(c)  # the title says "local"; the reason says how
        rows.append([marked_title(c), _level(result, c.level), outcome_label(c.outcome),
                     criterion_reason(result, c) + (f" Local: {plain_words(local)}." if local else "")])
    tables = [ReportTable(f"Tests for {area.title}", ["Test", "Level", "Outcome", "Why"], rows)]
    figures = tuple(Part(s.key, s.heading, s.sentences, tables=s.tables) for s in sections if s.area == area.id)
    return Part(f"area-{area.id}", area.title, tuple(paragraphs), tables=tuple(tables), parts=figures)


def plan_part(result: Result) -> Part:
    if not result.actions:
        from efl.reports.report_text import no_actions_sentence

        return Part("plan", "The action plan", (no_actions_sentence(result),))
    titles = {a.id: a.title for a in result.areas}
    criteria = criteria_by_id(result)
    rows = []
    for x in result.actions:
        c = criteria.get(x.criterion or "")
        what = x.what + (" (legal duty)" if c is not None and c.statutory else "")
        due = (long_date(x.due) if x.due else NO_DATE) + (" (overdue)" if x.overdue else "")
        rows.append([what, str(x.priority), titles.get(x.area, x.area), lead_words(x), due,
                     plain_words(x.figure) if x.figure else "none"])
    paragraphs = (f"The plan has {count(len(result.actions), 'action')}, most urgent first.", *priority_key(result))
    return Part("plan", "The action plan", paragraphs,
                tables=(ReportTable("Action plan", ["Action", "Priority", "Area", "Lead", "Due", "Figure now"], rows),))


# --- implications -----------------------------------------------------------------------------------

def consultation(result: Result) -> list[str]:
    a = result.assessment
    who = a.assessor.name or a.assessor.organisation or "the council's equality lead"
    out = [f"This {role_words(result)} was made by {who}."]
    if a.assessor.role == "peer" or a.agreed:
        out.append("The peer team challenged the council's claims, and the levels agreed are shown beside the "
                   "evidence's own.")
    out.append("Each lead named in the plan should agree their actions and dates before the meeting.")
    return out


def financial(result: Result) -> list[str]:
    return ["This report does not cost the actions. Before the plan is agreed, each lead should say if their "
            "actions can be met from the budgets they have. They should tell the finance lead of any extra cost."]


def legal(result: Result, options: Any) -> list[str]:
    """The law in force on the assessment date, from the statutory calendar (efl.law.in_force): only
    the duties the framework checks, each cited as it stood that day; nothing later is cited."""
    from efl.law.in_force import law_on

    on = result.assessment.date
    calendar = getattr(options, "calendar", None)
    ref = result.framework.calendar
    # A result from before the calendar listed its duties checked: every duty of the calendar.
    checked = (ref.duties or None) if ref is not None else []
    law = law_on(calendar if ref is not None else None, on, checked)
    out = []
    if law.general_duty is not None:
        g = law.general_duty
        out.append(f"The public sector equality duty is in {g.citation}. It says the council must {g.title}.")
        out.append("The three aims are to end unlawful discrimination, to give everyone a fair chance, and to foster "
                   "good relations between groups.")
    for entry in law.duties:
        duty = entry.duty
        applies = (f" once it has {duty.threshold.employees:,} or more employees" if duty.threshold is not None
                   else "")
        out.append(f"The council must {duty.title}{applies}, {entry.due_words}. See {entry.cite}.")
    statutory = [c for a in result.areas for c in a.criteria if c.statutory]
    legal_gaps = statutory_actions(result)
    if legal_gaps:
        out.append(f"The evidence does not show {count(len(legal_gaps), 'legal duty', 'legal duties')} as met. "
                   f"The plan puts {'it' if len(legal_gaps) == 1 else 'them'} first.")
    elif statutory:
        out.append("The evidence shows every legal duty the framework checks as met.")
    elif ref is not None and law.not_law:
        # The framework checks duties, but none was law on the day (an assessment before 2011).
        out.append(f"No legal duty the framework checks was in force on {long_date(on)}, so this report makes no "
                   "finding on the council's legal duties.")
    else:
        out.append("The framework used checks no legal duty, so this report makes no finding on the council's "
                   "legal duties.")
    return out


def risk(result: Result) -> list[str]:
    """Risks from unmet legal duties and from statutory deadlines coming soon."""
    on = result.assessment.date
    out = []
    criteria = [c for a in result.areas for c in a.criteria if c.statutory]
    unmet = [c for c in criteria if c.outcome not in ("met", "not_applicable")]
    for c in unmet:
        when = f", overdue since {long_date(c.due)}" if c.overdue and c.due else (
            f", due by {long_date(c.due)}" if c.due else "")
        out.append(f"Not met: {c.title}{when}. The council could be taken to court. The people the duty protects "
                   "lose out.")
    coming = sorted((c for c in criteria if c.outcome == "met" and c.due and on <= c.due
                     and (c.due - on).days <= RISK_HORIZON_DAYS), key=lambda c: c.due)
    for c in coming:
        weeks = (c.due - on).days // 7
        out.append(f"Due soon: {c.title}, by {long_date(c.due)}. That is {count(weeks, 'week')} after the "
                   "assessment.")
    overdue = [x for x in result.actions if x.overdue]
    if overdue:
        out.append(f"{count(len(overdue), 'action')} {'is' if len(overdue) == 1 else 'are'} already overdue.")
    if not out:
        ref = result.framework.calendar
        out.append("No legal duty is unmet, and no statutory deadline falls in the next six months." if criteria
                   else f"No legal duty the framework checks was in force on {long_date(on)}, and no action is "
                   "overdue." if ref is not None and ref.duties
                   else "The framework used checks no legal duty, and no action is overdue.")
    return out


def equality(result: Result, options: Any = None) -> list[str]:
    from efl.law.in_force import law_on

    calendar = getattr(options, "calendar", None) if result.framework.calendar is not None else None
    if law_on(calendar, result.assessment.date).general_duty is None:
        # Before the public sector equality duty (5 April 2011), or a framework with no statutory calendar:
        # no sentence about that duty or its protected characteristics.
        return ["The action plan is how the council furthers equality in its services and as an employer. It "
                "affects people in every ward, and people of every group the framework covers.",
                "Each lead should think about the effect of their actions on equality as they plan them."]
    return ["The action plan is how the council shows it has thought about the three aims of the duty. It "
            "affects people in every ward, and people with every protected characteristic.",
            "Each lead should think about the effect of their actions on equality as they plan them."]


def timetable(result: Result, options: Any) -> ReportTable | None:
    """What happens next, by date: statutory deadlines and the actions' due dates."""
    on = result.assessment.date
    rows: list[tuple[dt.date, str, str]] = []
    m = result.assessment.meeting
    if m is not None and m.date is not None:
        rows.append((m.date, f"{m.body or 'The meeting'} considers this report", m.decision_maker or ""))
    for a in result.areas:
        for c in a.criteria:
            if c.statutory and c.due and c.due >= on:
                rows.append((c.due, f"Statutory deadline: {c.title}", "Legal duty"))
    for x in result.actions:
        if x.due and not x.overdue:
            rows.append((x.due, f"Action due: {x.what}", lead_words(x)))
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1]))
    return ReportTable("What happens next, by date", ["Date", "What happens", "Who"],
                       [[long_date(d), what, who or "-"] for d, what, who in rows])


def background_papers(result: Result) -> ReportTable | None:
    """The papers behind the report, by title and where to see them (personal data never listed)."""
    rows = []
    for e in result.evidence:
        if e.personal:
            continue
        title = e.title or e.type.replace("-", " ").capitalize()
        if e.url:
            where = e.url
        elif e.published:
            where = f"Published on {long_date(e.published)}; ask the contact officer for a copy"
        else:
            where = "Ask the contact officer for a copy"
        rows.append([plain_words(title) + (" (illustrative)" if e.illustrative else ""), long_date(e.date), where])
    if not rows:
        return None
    return ReportTable("The papers behind this report", ["Paper", "Dated", "Where to see it"], rows)


def background(result: Result) -> list[str]:
    fw = result.framework
    a = result.assessment
    out = [f"The {fw.title} helps councils see how well they meet the needs of all their residents and staff. "
           f"It has {count(len(fw.levels), 'level')}: {and_list([lv.title for lv in fw.levels])}."]
    for lv in fw.levels:
        if lv.summary:
            out.append(f"{lv.title}: {lv.summary}")
    period = (f" It looks back on the year from {long_date(a.period.start)} to {long_date(a.period.end)}."
              if a.period else "")
    out.append(f"This {role_words(result)} is dated {long_date(a.date)}.{period} It draws on "
               f"{count(len(result.evidence), 'paper')} listed at the end of this report.")
    return out


# --- the whole paper ---------------------------------------------------------------------------------

def committee_paper(result: Result, options: Any = None) -> Paper:
    """Every part of the committee paper, in reading order, from the result and the report options
    (``options.sections``: plugins' figures; ``options.calendar``: the statutory calendar)."""
    from efl.reports import local_parts

    sections = tuple(getattr(options, "sections", ()) or ())
    claims = claims_table(result)
    what_if = local_parts.what_if_part(result)  # first, before anything a reader could take for the council's own
    parts = ([what_if] if what_if else []) + [
             Part("summary", "Summary", (summary_paragraph(result),)),
             Part("recommendations", "Recommendations", ("Members are asked to:",),
                  numbered=tuple(local_parts.what_if_recommendations(result) or recommendations(result))),
             Part("reasons", "Reasons for the recommendations", tuple(reasons(result))),
             Part("alternatives", "Alternative options considered", tuple(alternatives(result))),
             Part("background", "Background", tuple(background(result)),
                  tables=(levels_table(result),) + ((claims,) if claims else ()))]
    parts += local_parts.tailoring_part(result)
    parts += local_parts.target_part(result)  # asked for with --target: before the area-by-area findings
    council_wide = tuple(Part(s.key, s.heading, s.sentences, tables=s.tables) for s in sections if s.area is None)
    parts.append(Part("findings", "What the evidence shows",
                      ("Each area's level, the tests behind it and the figures are set out below.",),
                      parts=council_wide + tuple(area_part(result, a, sections) for a in result.areas)))
    parts.append(plan_part(result))
    parts += local_parts.waivers_part(result)
    parts += [Part("consultation", "Consultation", tuple(consultation(result))),
              Part("financial", "Financial implications", tuple(financial(result))),
              Part("legal", "Legal implications", tuple(legal(result, options))),
              Part("risk", "Risk management implications", tuple(risk(result))),
              Part("equality", "Equality implications", tuple(equality(result, options)))]
    table = timetable(result, options)
    parts.append(Part("timetable", "Timetable", ("The dates below come from the statutory calendar and the action "
                                                 "plan.",) if table else ("No dates are set yet.",),
                      tables=(table,) if table else ()))
    if result.warnings:
        parts.append(Part("warnings", warning_heading(result),
                          ("These values look wrong but were used. Each one says where to check.",
                           *warning_sentences(result))))
    papers = background_papers(result)
    parts.append(Part("papers", "Background papers", ("Papers with personal data are not listed.",) if papers else
                      ("No papers are listed.",), tables=(papers,) if papers else ()))
    parts.append(Part("contact", "Contact officer", (contact(result),)))
    title = ("What-if: " if result.hypothetical else "") + title_line(result)
    return Paper(title, subject(result), front_sheet(result), parts, technical_record(result))


def technical_record(result: Result) -> list[Part]:
    """For the HTML appendix and the Word technical annex: framework, calendar, files, fingerprints, plugins."""
    fw = result.framework
    lines = [f"Framework: {fw.title} ({fw.id}, version {fw.version}), file sha256 {fw.sha256}."]
    if fw.calendar:
        lines.append(f"Statutory calendar: {fw.calendar.id}, version {fw.calendar.version}, file sha256 "
                     f"{fw.calendar.sha256}.")
    if fw.tailoring:
        from efl.reports.local_text import tailoring_source

        lines.append(f"{tailoring_source(result)}, file sha256 {fw.tailoring.sha256}.")
    if result.hypothetical:
        lines.append("A what-if: " + "; ".join(f"{a.fact} = {a.value} (set by {a.source})" for a in result.assumptions)
                     + ".")
    lines.append(f"Made by efl {result.efl_version} (result format {result.schema_version}). The same evidence, "
                 "framework and plugins give the same result.")
    evidence = ReportTable("Evidence files and their fingerprints", ["Id", "Type", "File", "Dated", "sha256"],
                           [[e.id, e.type, e.file or "-", long_date(e.date), (e.sha256 or "-")
                             + (" (illustrative)" if e.illustrative else "")] for e in result.evidence])
    plugins = ReportTable("Plugins that shaped this result", ["Plugin", "Distribution", "Version"],
                          [[p.name, p.distribution, p.version] for p in result.plugins])
    return [Part("technical", "Technical record", tuple(lines), tables=(evidence, plugins))]
