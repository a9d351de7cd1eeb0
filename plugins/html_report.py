"""The ``html`` report format: one self-contained, accessible page for a committee or a website.

Aimed at WCAG 2.2 AA, as UK public sector websites must be: landmarks and a heading outline, a skip
link, tables with captions and header cells, a chart drawn as inline SVG with a text alternative
(and the same figures in a table), levels written as words so no meaning rests on colour, colours
with at least 4.5:1 contrast, visible focus, and no script, web font or network request.
Every value from the assessment is escaped.
"""

from __future__ import annotations

import textwrap

import efl
import efl.provisional as provisional  # each name loads its module on first use (start-up)
from efl.provisional import report_style

STYLE = report_style(60) + """
.level { font-weight: bold; }
.incomplete { border-left: 5px solid #d4351c; padding: 0.5rem 1rem; }
.chart { max-width: 100%; height: auto; }
.front dt { font-weight: bold; float: left; clear: left; width: 13rem; }
.front dd { margin: 0 0 0.25rem 14rem; }
.decision { border-left: 5px solid #1d4f91; padding: 0.25rem 1rem; background: #f3f2f1; }
.what-if { border: 4px solid #0b0c0c; background: #fff7bf; padding: 0 1rem; margin-top: 1rem; }
.what-if h2 { border-top: 0; margin-top: 0.5rem; }
/* At phone widths the chart's labels would be too small to read: the table beside it says the same. */
@media (max-width: 40rem) { .chart-box { display: none; } .front dt { float: none; width: auto; }
  .front dd { margin-left: 0; } }
"""


def _e(value: object) -> str:
    # Imported here, not at the top: every command loads this plugin, few write HTML (html.entities,
    # which html imports, is a 2,000-entry table: about 1 ms of every start-up).
    from html import escape

    return escape(str(value), quote=True)


class Tables:
    """Numbers each table so its scroll box can be named by the table's caption, and keeps every
    landmark's name unique on the page (axe's landmark-unique): a screen reader's list of regions
    cannot tell apart two regions of the same name, such as a part headed "Timetable" and its table."""

    def __init__(self) -> None:
        self.n = 0
        self.names: set[str] = {"contents"}  # the page's navigation landmark

    def landmark(self, name: str, fallbacks: list[str]) -> str | None:
        """Claim ``name`` for a landmark; if it is taken, return the first free fallback name to give
        as aria-label (None when ``name`` itself was free, so aria-labelledby stands)."""
        def key(text: str) -> str:  # names compare as a screen reader hears them
            return " ".join(text.split()).casefold()

        if key(name) not in self.names:
            self.names.add(key(name))
            return None
        numbered = (f"{name} ({n})" for n in range(2, 10_000))
        free = next(f for f in [*fallbacks, *numbered] if key(f) not in self.names)
        self.names.add(key(free))
        return free

    def table(self, caption: str, headers: list[str], rows: list[list[str]]) -> str:
        """A table in a focusable scroll box (narrow screens scroll the table, not the page), with a
        caption, column headers and the first cell of each row as its header. Cells are escaped HTML."""
        self.n += 1
        cid = f"table-{self.n}"
        head = "".join(f'<th scope="col">{h}</th>' for h in headers)
        body = []
        for row in rows:
            cells = [f'<th scope="row">{row[0]}</th>'] + [f"<td>{cell}</td>" for cell in row[1:]]
            body.append("<tr>" + "".join(cells) + "</tr>")
        own = self.landmark(caption, [f"Table: {caption}", f"Table {self.n}: {caption}"])
        name = f'aria-label="{own}"' if own else f'aria-labelledby="{cid}"'
        return (f'<div class="table-wrap" role="region" {name} tabindex="0">'
                f'<table><caption id="{cid}">{caption}</caption><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table></div>")

    def report_table(self, t) -> str:  # noqa: ANN001
        return self.table(_e(t.caption), [_e(h) for h in t.headers], [[_e(c) for c in row] for row in t.rows])


def shown_level(area) -> str | None:  # noqa: ANN001
    """The level a reader is told: the one agreed after a peer challenge, else the evidence's."""
    return area.agreed_level if area.agreed_reason else area.level


def chart(result) -> str:  # noqa: ANN001
    """A horizontal bar per area; bar length and the written level carry the meaning, not colour.

    After a peer challenge it shows the levels agreed, as the summary and the text do."""
    agreed = any(a.agreed_reason for a in result.areas)
    what = "Level agreed after the peer challenge" if agreed else "Level the evidence supports"
    levels = ["Not yet " + result.framework.levels[0].title] + [lv.title for lv in result.framework.levels]
    label_w, step, bar_h, gap, top, line_h = 330, 120, 28, 14, 48, 17
    width = label_w + step * (len(levels) - 1) + 150
    # Long area titles wrap onto more lines (a row grows to fit them); they are never cut short.
    labels = [textwrap.wrap(area.title, 40) or [""] for area in result.areas]
    rows_h = [max(bar_h, len(lines) * line_h + 6) for lines in labels]
    height = top + sum(h + gap for h in rows_h) + 10
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-title">{what}, by area</title>',
             '<desc id="chart-desc">' + _e(" ".join(
                 f"{a.title}: {result.level_title(shown_level(a))}." for a in result.areas)) + "</desc>"]
    for i, name in enumerate(levels):
        x = label_w + step * i
        parts.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{height - 6}" stroke="#6f777b" '
                     f'stroke-dasharray="4 3" aria-hidden="true"/>')
        # Level names sit above the gridlines, clear of them (anchored at the line, above its top).
        parts.append(f'<text x="{x}" y="{top - 16}" font-size="14" text-anchor="middle" fill="#0b0c0c" '
                     f'aria-hidden="true">{_e(name)}</text>')
    y = top
    for area, lines, row_h in zip(result.areas, labels, rows_h):
        rank = provisional.level_rank(result, shown_level(area))
        middle = y + row_h / 2
        first = middle - (len(lines) - 1) * line_h / 2 + 5
        spans = "".join(f'<tspan x="{label_w - 12}" y="{first + k * line_h:g}">{_e(line)}</tspan>'
                        for k, line in enumerate(lines))
        parts.append(f'<text font-size="14" text-anchor="end" fill="#0b0c0c" aria-hidden="true">{spans}</text>')
        bar = step * rank
        bar_y = middle - bar_h / 2
        if bar:
            parts.append(f'<rect x="{label_w}" y="{bar_y:g}" width="{bar}" height="{bar_h}" fill="#1d4f91" '
                         f'aria-hidden="true"/>')
        parts.append(f'<text x="{label_w + bar + 8}" y="{middle + 5:g}" font-size="14" font-weight="bold" '
                     f'fill="#0b0c0c" aria-hidden="true">{_e(result.level_title(shown_level(area)))}</text>')
        y += row_h + gap
    parts.append("</svg>")
    return '<div class="chart-box">' + "".join(parts) + "</div>"


def _part(part, depth: int, tables: Tables, extra: str = "") -> str:  # noqa: ANN001
    h = min(depth, 4)
    pid = f"part-{part.key}"
    # A what-if's banner stands out from the page, so nobody takes it for the council's own result.
    banner = ' class="what-if" role="note"' if part.key == "what-if" else ""
    own = tables.landmark(_e(part.heading), [])
    name = f'aria-label="{own}"' if own else f'aria-labelledby="{_e(pid)}"'
    out = [f'<section{banner} {name}><h{h} id="{_e(pid)}">{_e(part.heading)}</h{h}>']
    if part.key == "summary":
        out += [f'<p class="decision">{_e(p)}</p>' for p in part.paragraphs]
    else:
        out += [f"<p>{_e(p)}</p>" for p in part.paragraphs]
    if part.numbered:
        out.append("<ol>" + "".join(f"<li>{_e(item)}</li>" for item in part.numbered) + "</ol>")
    out.append(extra)
    out += [tables.report_table(t) for t in part.tables]
    out += [_part(child, depth + 1, tables) for child in part.parts]
    out.append("</section>")
    return "".join(out)


def _page(title: str, intro: str, contents: list[str], main: list[str], footer: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f"<header><h1>{_e(title)}</h1><p>{intro}</p>"
        '<nav aria-label="Contents"><ul>' + "".join(contents) + "</ul></nav></header>\n"
        f'<main id="main">\n{"".join(main)}\n</main>\n'
        f"<footer><p>{footer}</p></footer>\n</body>\n</html>\n")


def render_progress_html(report, options) -> str:  # noqa: ANN001
    """``efl progress --format html``: the quarterly or annual progress report as one accessible page."""
    tables = Tables()
    parts = provisional.progress_parts(report)
    main = [_part(part, 2, tables) for part in parts]
    contents = [f'<li><a href="#part-{_e(p.key)}">{_e(p.heading)}</a></li>' for p in parts]
    return _page(provisional.progress_title(report), f"{_e(report.council)}: progress on the equality action plan.",
                 contents, main, f"Reported to {_e(provisional.long_date(report.as_of))}.")


def render_html(result, options) -> str:  # noqa: ANN001
    paper = provisional.committee_paper(result, options)
    tables = Tables()
    main = []
    warning = provisional.incomplete_sentence(result)
    if warning:
        main.append(f'<p class="incomplete" role="note"><strong>Incomplete result.</strong> {_e(warning)}</p>')
    contents = []
    for part in paper.parts:
        extra = ""
        if part.key == "background":
            extra = chart(result)
        if part.key == "recommendations":
            extra = ('<h3 id="about">About this report</h3><dl class="front">'
                     + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in paper.front_sheet) + "</dl>")
        main.append(_part(part, 2, tables, extra))
        contents.append(f'<li><a href="#part-{_e(part.key)}">{_e(part.heading)}</a></li>')
    technical = paper.technical[0]
    own = tables.landmark("Appendix: technical record", [])
    name = f'aria-label="{own}"' if own else 'aria-labelledby="provenance"'
    main.append(f'<section {name}><h2 id="provenance">Appendix: technical record</h2>'
                "<details><summary>Show the files, fingerprints and plugins behind this report</summary>"
                + "".join(f"<p>{_e(p)}</p>" for p in technical.paragraphs)
                + "".join(tables.report_table(t) for t in technical.tables) + "</details></section>")
    contents.append('<li><a href="#provenance">Appendix: technical record</a></li>')
    meeting = result.assessment.meeting
    on = f", {_e(provisional.long_date(meeting.date))}" if meeting is not None and meeting.date else ""
    to = (f"Report to {_e(meeting.body)}" + on + ". "
          if meeting is not None and meeting.body else "")
    return _page(paper.title, f"{to}{_e(paper.subject)}.", contents, main,
                 f"Contact officer: {_e(dict(paper.front_sheet)['Contact officer'])}.")


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("html", "one accessible, self-contained HTML page (no scripts, no network)",
                              render_html, ".html",
                              compare=lambda comparison, options: provisional.comparison_text(comparison, "html"),
                              progress=render_progress_html))
