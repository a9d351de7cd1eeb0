"""The ``markdown`` report format: the committee paper in Markdown, in the same parts and words as the
HTML and Word reports (summary, recommendations, reasons, options, findings, action plan,
implications, timetable, background papers, contact). The technical record (files, fingerprints,
plugins) is in the JSON result and the HTML report's appendix, not here.

Everything from the assessment is escaped: characters that Markdown or HTML would act on are shown
as themselves, and line breaks inside a table cell become spaces so a cell cannot break the table.
"""

from __future__ import annotations

import efl
import efl.provisional as provisional  # each name loads its module on first use (start-up)
from efl.provisional import markdown_escape as escape


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
        out += provisional.markdown_table([escape(h) for h in t.headers],
                                          [[escape(c) for c in row] for row in t.rows]) + [""]
    for child in part.parts:
        _part(child, min(depth + 1, 4), out)


def render_markdown(result, options) -> str:  # noqa: ANN001
    paper = provisional.committee_paper(result, options)
    out = [f"# {escape(paper.title, starts_line=True)}", ""]
    what_if = paper.part("what-if")
    if what_if is not None:  # first: nobody should take a what-if for the council's own result
        first, *rest = what_if.paragraphs
        out += [f"> **{escape(what_if.heading)}.** {escape(first)}", ">"] + [f"> - {escape(r)}" for r in rest] + [""]
    warning = provisional.incomplete_sentence(result)
    if warning:
        out += [f"**Incomplete result.** {escape(warning)}", ""]
    out += [f"- {escape(label)}: {escape(value)}" for label, value in paper.front_sheet]
    for part in paper.parts:
        if part.key != "what-if":
            _part(part, 2, out)
    if options.explain:
        criteria = provisional.criteria_by_id(result)
        out += ["", "## How each test was decided (technical)", ""]
        out += provisional.markdown_table(["Id", "Test", "Outcome", "Reasons"], [
            [escape(c.id), escape(provisional.marked_title(c)), escape(provisional.outcome_label(c.outcome)),
             escape("; ".join(c.reasons))]
            for c in criteria.values()])
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("markdown", "a committee paper in Markdown: summary, levels, action plan",
                              render_markdown, ".md",
                              compare=lambda comparison, options: provisional.comparison_text(comparison, "markdown"),
                              progress=lambda report, options: provisional.progress_text(report, "markdown")))
