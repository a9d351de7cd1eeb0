"""The ``markdown`` report format: the committee paper in Markdown, in the same parts and words as the
HTML and Word reports (summary, recommendations, reasons, options, findings, action plan,
implications, timetable, background papers, contact). The technical record (files, fingerprints,
plugins) is in the JSON result and the HTML report's appendix, not here.

Everything from the assessment is escaped: characters that Markdown or HTML would act on are shown
as themselves, and line breaks inside a table cell become spaces so a cell cannot break the table.
"""

from __future__ import annotations

import efl
from efl.provisional import (comparison_text, committee_paper, criteria_by_id, incomplete_sentence, markdown_escape as escape,
                             markdown_table as _table, outcome_label)


def _part(part, depth: int, out: list[str]) -> None:  # noqa: ANN001
    out += ["", f"{'#' * depth} {escape(part.heading)}", ""]
    for paragraph in part.paragraphs:
        out += [escape(paragraph, starts_line=True), ""]
    for n, item in enumerate(part.numbered, 1):
        out.append(f"{n}. {escape(item)}")
    if part.numbered:
        out.append("")
    for t in part.tables:
        out += [f"Table: {escape(t.caption)}", ""]
        out += _table([escape(h) for h in t.headers], [[escape(c) for c in row] for row in t.rows]) + [""]
    for child in part.parts:
        _part(child, min(depth + 1, 4), out)


def render_markdown(result, options) -> str:  # noqa: ANN001
    paper = committee_paper(result, options)
    out = [f"# {escape(paper.title, starts_line=True)}", ""]
    warning = incomplete_sentence(result)
    if warning:
        out += [f"**Incomplete result.** {escape(warning)}", ""]
    out += [f"- {escape(label)}: {escape(value)}" for label, value in paper.front_sheet]
    for part in paper.parts:
        _part(part, 2, out)
    if options.explain:
        criteria = criteria_by_id(result)
        out += ["", "## How each test was decided (technical)", ""]
        out += _table(["Id", "Test", "Outcome", "Reasons"], [
            [escape(c.id), escape(c.title), escape(outcome_label(c.outcome)), escape("; ".join(c.reasons))]
            for c in criteria.values()])
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("markdown", "a committee paper in Markdown: summary, levels, action plan",
                              render_markdown, ".md",
                              compare=lambda comparison, options: comparison_text(comparison, "markdown")))
