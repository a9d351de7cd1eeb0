"""The ``html`` report format: one self-contained, accessible page for a committee or a website.

Aimed at WCAG 2.2 AA, as UK public sector websites must be: landmarks and a heading outline, a skip
link, tables with captions and header cells, a chart drawn as inline SVG with a text alternative
(and the same figures in a table), levels written as words so no meaning rests on colour, colours
with at least 4.5:1 contrast, visible focus, and no script, web font or network request.
Every value from the assessment is escaped.
"""

from __future__ import annotations

import textwrap
from html import escape

import efl
from efl.provisional import (agreed_levels, area_sentence, claim_rows, comparison_text, count,
                             incomplete_sentence, level_rank, long_date, no_actions_sentence, outcome_label,
                             plan_rows, report_style, role_words, summary_sentences, title_line,
                             warning_heading, warning_sentences)

STYLE = report_style(60) + """
.level { font-weight: bold; }
.incomplete { border-left: 5px solid #d4351c; padding: 0.5rem 1rem; }
.chart { max-width: 100%; height: auto; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A table with a caption, column headers and the first cell of each row as its header.

    ``rows`` are already-escaped HTML fragments.
    """
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [f"<td>{cell}</td>" for cell in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def chart(result) -> str:  # noqa: ANN001
    """A horizontal bar per area; bar length and the written level carry the meaning, not colour."""
    levels = ["Not yet " + result.framework.levels[0].title] + [lv.title for lv in result.framework.levels]
    label_w, step, bar_h, gap, top, line_h = 330, 120, 28, 14, 40, 17
    width = label_w + step * (len(levels) - 1) + 140
    # Long area titles wrap onto more lines (a row grows to fit them); they are never cut short.
    labels = [textwrap.wrap(area.title, 40) or [""] for area in result.areas]
    rows_h = [max(bar_h, len(lines) * line_h + 6) for lines in labels]
    height = top + sum(h + gap for h in rows_h) + 10
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">Level the evidence supports, by area</title>',
             '<desc id="chart-desc">' + _e(" ".join(
                 f"{a.title}: {result.level_title(a.level)}." for a in result.areas)) + "</desc>"]
    for i, name in enumerate(levels):
        x = label_w + step * i
        parts.append(f'<line x1="{x}" y1="{top - 8}" x2="{x}" y2="{height - 6}" stroke="#6f777b" '
                     f'stroke-dasharray="4 3" aria-hidden="true"/>')
        parts.append(f'<text x="{x}" y="{top - 14}" font-size="13" text-anchor="middle" fill="#0b0c0c" '
                     f'aria-hidden="true">{_e(name)}</text>')
    y = top
    for area, lines, row_h in zip(result.areas, labels, rows_h):
        rank = level_rank(result, area.level)
        middle = y + row_h / 2
        first = middle - (len(lines) - 1) * line_h / 2 + 5
        spans = "".join(f'<tspan x="{label_w - 10}" y="{first + k * line_h:g}">{_e(line)}</tspan>'
                        for k, line in enumerate(lines))
        parts.append(f'<text font-size="14" text-anchor="end" fill="#0b0c0c" aria-hidden="true">{spans}</text>')
        bar = step * rank
        bar_y = middle - bar_h / 2
        if bar:
            parts.append(f'<rect x="{label_w}" y="{bar_y:g}" width="{bar}" height="{bar_h}" fill="#1d4f91" '
                         f'aria-hidden="true"/>')
        parts.append(f'<text x="{label_w + bar + 8}" y="{middle + 5:g}" font-size="14" font-weight="bold" '
                     f'fill="#0b0c0c" aria-hidden="true">{_e(result.level_title(area.level))}</text>')
        y += row_h + gap
    parts.append("</svg>")
    return "".join(parts)


def _figures(sections, level: int = 3) -> str:
    """Plugins' sections of figures: heading, sentences and tables, all escaped."""
    out = []
    for s in sections:
        out.append(f"<h{level}>{_e(s.heading)}</h{level}>")
        out += [f"<p>{_e(sentence)}</p>" for sentence in s.sentences]
        out += [_table(_e(t.caption), [_e(h) for h in t.headers], [[_e(c) for c in row] for row in t.rows])
                for t in s.tables]
    return "".join(out)


def _area_section(result, area, index: int, sections=()) -> str:  # noqa: ANN001
    out = [f'<section aria-labelledby="area-{index}"><h2 id="area-{index}">{_e(area.title)}</h2>',
           f'<p class="level">{_e(area_sentence(result, area))}</p>']
    if area.summary:
        out.append(f"<p>{_e(area.summary)}</p>")
    out.append(_figures([s for s in sections if s.area == area.id]))
    rows = []
    for c in area.criteria:
        reasons = "<br>".join(_e(r) for r in c.reasons) or "-"
        duty = " (legal duty)" if c.statutory else ""
        rows.append([f"{_e(c.title)}{duty}",
                     _e(result.level_title(c.level)), _e(outcome_label(c.outcome)), reasons])
    out.append(_table(f"Criteria for {_e(area.title)}", ["Criterion", "Level", "Outcome", "Reasons"], rows))
    if area.actions:
        out.append(f"<h3>Actions for {_e(area.title)}</h3><ul>")
        for x in area.actions:
            due = f", due {_e(long_date(x.due))}" if x.due else ""
            overdue = " (overdue)" if x.overdue else ""
            out.append(f"<li>{_e(x.what)} <span class=\"muted\">Owner: {_e(x.lead or x.owner)}{due}{overdue}.</span></li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def render_html(result, options) -> str:  # noqa: ANN001
    a = result.assessment
    fw = result.framework
    title = title_line(result)
    sections = []
    warning = incomplete_sentence(result)
    if warning:
        sections.append(f'<p class="incomplete" role="note"><strong>Incomplete result.</strong> {_e(warning)}</p>')
    sections.append('<section aria-labelledby="summary"><h2 id="summary">Summary</h2>')
    first, *rest = summary_sentences(result)
    sections.append(f"<p>{_e(first)}</p><ul>" + "".join(f"<li>{_e(s)}</li>" for s in rest) + "</ul>")
    sections.append(chart(result))
    rows = [[_e(area.title), _e(result.level_title(area.level)),
             _e(result.level_title(area.claimed_level)) if area.claimed_level else "not stated",
             str(len(area.actions))] for area in result.areas]
    headers = ["Area", "Level the evidence supports", "Level claimed", "Actions"]
    agreed = agreed_levels(result)
    if agreed:
        headers.insert(3, "Level agreed")
        for row, level in zip(rows, agreed):
            row.insert(3, _e(level))
    sections.append(_table("Levels by area", headers, rows))
    claims = claim_rows(result)
    if claims:  # the reasons each side gave, and what the peer challenge agreed
        sections.append(_table("Claims, notes and what was agreed", ["Area or criterion", "Claimed", "Note",
                                                                     "Agreed", "Reason agreed"],
                               [[_e(r.about), _e(r.claimed), _e(r.note), _e(r.agreed), _e(r.reason)] for r in claims]))
    sections.append("</section>")
    council_wide = [s for s in options.sections if s.area is None]
    if council_wide:
        sections.append('<section aria-labelledby="figures"><h2 id="figures">Figures for the whole council</h2>'
                        + _figures(council_wide) + "</section>")
    for i, area in enumerate(result.areas, 1):
        sections.append(_area_section(result, area, i, options.sections))
    plan = plan_rows(result)
    sections.append('<section aria-labelledby="plan"><h2 id="plan">Action plan</h2>')
    if plan:
        sections.append(f"<p>{count(len(plan), 'action')}, most urgent first (priority 1 is the most urgent).</p>")
        sections.append(_table("Action plan", ["Action", "Priority", "Area", "Owner", "Due", "Figure"], [
            [_e(r.action) + (" (legal duty)" if r.statutory else ""), str(r.priority), _e(r.area), _e(r.owner),
             (_e(r.due_words) if r.due else "not set") + (" (overdue)" if r.overdue else ""), _e(r.figure or "-")]
            for r in plan]))
    else:
        sections.append(f"<p>{_e(no_actions_sentence(result))}</p>")
    sections.append("</section>")

    if result.warnings:
        sections.append('<section aria-labelledby="warnings"><h2 id="warnings">' + _e(warning_heading(result))
                        + "</h2><p>These values are suspicious but were used; check them at the place named.</p><ul>"
                        + "".join(f"<li>{_e(line)}</li>" for line in warning_sentences(result)) + "</ul></section>")
    evidence_rows = [[_e(e.id), _e(e.type), _e(e.file or "-"), _e(long_date(e.date)),
                      f"<code>{_e(e.sha256 or '-')}</code>" + (" (illustrative)" if e.illustrative else "")]
                     for e in result.evidence]
    plugin_rows = [[_e(p.name), _e(p.distribution), _e(p.version)] for p in result.plugins]
    provenance = (
        '<section aria-labelledby="provenance"><h2 id="provenance">Where this comes from</h2>'
        f"<p>Framework: {_e(fw.title)} ({_e(fw.id)}, version {_e(fw.version)}), file sha256 "
        f"<code>{_e(fw.sha256)}</code>."
        + (f" Statutory dates from the calendar {_e(fw.calendar.id)} (version {_e(fw.calendar.version)}), file sha256 "
           f"<code>{_e(fw.calendar.sha256)}</code>." if fw.calendar else "")
        + f" Produced by efl {_e(result.efl_version)} "
        f"(result format {_e(result.schema_version)}). The same evidence, framework and plugins give the same result.</p>"
        + _table("Evidence files and their sha256 fingerprints", ["Id", "Type", "File", "Dated", "sha256"],
                 evidence_rows)
        + _table("Plugins that shaped this result", ["Plugin", "Distribution", "Version"], plugin_rows)
        + "</section>")
    sections.append(provenance)
    assessor = a.assessor.name or a.assessor.organisation or "not recorded"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f"<header><h1>{_e(a.council)}</h1>"
        f"<p>Equality {role_words(result)} against {_e(fw.title)}, dated {_e(long_date(a.date))}. "
        f"Assessed by {_e(assessor)}.</p>"
        '<nav aria-label="Contents"><ul><li><a href="#summary">Summary</a></li>'
        + "".join(f'<li><a href="#area-{i}">{_e(area.title)}</a></li>' for i, area in enumerate(result.areas, 1))
        + '<li><a href="#plan">Action plan</a></li><li><a href="#provenance">Where this comes from</a></li>'
        "</ul></nav></header>\n"
        f'<main id="main">\n{"".join(sections)}\n</main>\n'
        f"<footer><p>Made with efl {_e(result.efl_version)}, a rules engine for the Equality Framework for "
        "Local Government. The level shown is what the evidence supports; read the reasons with it.</p></footer>\n"
        "</body>\n</html>\n")


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("html", "one accessible, self-contained HTML page (no scripts, no network)",
                              render_html, ".html",
                              compare=lambda comparison, options: comparison_text(comparison, "html")))
