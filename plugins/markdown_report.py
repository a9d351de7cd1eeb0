"""The ``markdown`` report format: a committee paper (summary, areas and levels, action plan).

Everything from the assessment is escaped: characters that Markdown or HTML would act on are shown
as themselves, and line breaks inside a table cell become spaces so a cell cannot break the table.
"""

from __future__ import annotations

import efl
from efl.provisional import (agreed_levels, area_sentence, claim_rows, comparison_text, count,
                             incomplete_sentence, long_date, markdown_escape as escape,
                             markdown_table as _table, no_actions_sentence, outcome_label, plan_rows,
                             role_words, summary_sentences, title_line, warning_heading, warning_sentences)


def render_markdown(result, options) -> str:  # noqa: ANN001
    a = result.assessment
    fw = result.framework
    out = [f"# {escape(title_line(result))}", ""]
    out.append(f"Framework: {escape(fw.title)} ({escape(fw.id)}, version {escape(fw.version)}). "
               f"Assessed by: {escape(a.assessor.name or a.assessor.organisation or 'not recorded')} "
               f"({role_words(result)}).")
    warning = incomplete_sentence(result)
    if warning:
        out += ["", f"**Incomplete result.** {escape(warning)}"]
    out += ["", "## Summary", ""]
    first, *rest = summary_sentences(result)
    out += [escape(first, starts_line=True), ""] + [f"- {escape(s)}" for s in rest]
    out += ["", "## Levels by area", ""]
    rows = []
    for area in result.areas:
        claimed = escape(result.level_title(area.claimed_level)) if area.claimed_level else "not stated"
        rows.append([escape(area.title), escape(result.level_title(area.level)), claimed,
                     str(len(area.actions)), escape(area.summary)])
    headers = ["Area", "Level the evidence supports", "Level claimed", "Actions", "Why"]
    agreed = agreed_levels(result)
    if agreed:
        headers.insert(3, "Level agreed")
        for row, level in zip(rows, agreed):
            row.insert(3, escape(level))
    out += _table(headers, rows)
    claims = claim_rows(result)
    if claims:
        out += ["", "## Claims, notes and what was agreed", ""]
        out += _table(["Area or criterion", "Claimed", "Note", "Agreed", "Reason agreed"],
                      [[escape(r.about), escape(r.claimed), escape(r.note), escape(r.agreed), escape(r.reason)]
                       for r in claims])
    titles = {area.id: area.title for area in result.areas}
    for section in options.sections:
        where = f"{titles[section.area]}: " if section.area in titles else ""
        out += ["", f"## {escape(where + section.heading)}", ""]
        out += [escape(sentence, starts_line=True) + "\n" for sentence in section.sentences]
        for t in section.tables:
            out += [f"Table: {escape(t.caption)}", ""]
            out += _table([escape(h) for h in t.headers], [[escape(c) for c in row] for row in t.rows]) + [""]
    out += ["", "## Action plan", ""]
    plan = plan_rows(result)
    if plan:
        out += _table(["Priority", "Area", "Action", "Owner", "Due", "Figure"], [
            [str(r.priority), escape(r.area),
             escape(r.action) + (" (legal duty)" if r.statutory else ""), escape(r.owner),
             escape(r.due_words or "not set") + (" (overdue)" if r.overdue else ""), escape(r.figure or "-")]
            for r in plan])
    else:
        out.append(escape(no_actions_sentence(result)))
    if options.explain:
        for area in result.areas:
            out += ["", f"## {escape(area.title)}", "", escape(area_sentence(result, area)), ""]
            out += _table(["Criterion", "Level", "Outcome", "Reasons"], [
                [escape(f"{c.id} {c.title}"), escape(result.level_title(c.level)),
                 escape(outcome_label(c.outcome)), escape("; ".join(c.reasons))] for c in area.criteria])
    if result.warnings:
        out += ["", f"## {escape(warning_heading(result))}", ""] + [f"- {escape(line)}" for line in warning_sentences(result)]
    out += ["", "## Where this comes from", ""]
    calendar = f"Statutory calendar {escape(fw.calendar.id)} sha256 {fw.calendar.sha256}. " if fw.calendar else ""
    out.append(f"Framework file sha256 {fw.sha256}. {calendar}{count(len(result.evidence), 'evidence item')}; "
               f"{count(len(result.plugins), 'plugin')}; efl {escape(result.efl_version)}. "
               f"Dated {escape(long_date(a.date))}.")
    return "\n".join(out) + "\n"


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("markdown", "a committee paper in Markdown: summary, levels, action plan",
                              render_markdown, ".md",
                              compare=lambda comparison, options: comparison_text(comparison, "markdown")))
