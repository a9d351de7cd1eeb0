"""Showing comparisons as terminal tables, Markdown or JSON.

Tables and Markdown are built from the same rows; Markdown cells are escaped because council names,
notes and reasons come from files people wrote.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from .compare import DISAGREEMENT_LABELS, Comparison
from .compare_many import Across, Trend
from .models import OUTCOME_LABELS
from .report_text import markdown_escape, markdown_table

FORMATS = ("table", "markdown", "json")


class Page:
    """Headings, sentences and tables, rendered either for a terminal or as Markdown."""

    def __init__(self, fmt: str):
        self.markdown = fmt == "markdown"
        self.lines: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        if self.markdown:
            self.lines += ["", "#" * level + " " + markdown_escape(text), ""]
        else:
            self.lines += ["", text, "-" * len(text) if level <= 2 else ""]

    def text(self, sentence: str) -> None:
        if self.markdown:  # a blank line after each, so sentences and list items stay apart
            self.lines += [sentence if sentence.startswith("- ") else markdown_escape(sentence, starts_line=True), ""]
        else:
            self.lines.append(sentence)

    def table(self, headers: list[str], rows: list[list[object]]) -> None:
        if self.markdown:
            self.lines += markdown_table(headers, [[markdown_escape(c) for c in row] for row in rows]) + [""]
        else:
            from tabulate import tabulate

            self.lines.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                                       maxcolwidths=[40] + [28] * (len(headers) - 1)))

    def render(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


def as_json(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _titles(levels) -> dict:  # noqa: ANN001
    return {None: f"Not yet {levels[0].title}", **{lv.id: lv.title for lv in levels}}


def _kappa(value: float | None) -> str:
    return "-" if value is None else f"{round(value, 2) + 0.0:.2f}"  # + 0.0: no "-0.00"


def render_pair(c: Comparison, fmt: str) -> str:
    if fmt == "json":
        return as_json(c)
    title = _titles(c.levels)
    page = Page(fmt)
    roles = f"{c.a.role} and {c.b.role} judgements" if c.a.role != c.b.role else f"two {c.a.role}-assessments"
    page.heading(f"{c.b.council}: {roles} compared", 1)
    for side in (c.a, c.b):
        via = f"; evidence from {side.evidence_from}" if side.evidence_from else ""
        page.text(f"{side.label}: {side.role} assessment dated {side.date} by {side.assessor or 'not recorded'} "
                  f"({side.source}{via}).")
    page.text(f"Framework: {c.framework}" + (f" (A: {c.a_framework}, through crosswalk {c.crosswalk})"
                                               if c.crosswalk else "") + ".")
    if c.level_mapping:
        page.text(c.level_mapping)
    page.heading("Areas")
    rows = []
    for area in c.areas:
        rows.append([area.title, title[area.a_claimed] if area.a_claimed else "-", title[area.a_evidence],
                     title[area.b_claimed] if area.b_claimed else "-", title[area.b_evidence],
                     title[area.agreed] if area.agreed_reason else "-",
                     "yes" if area.agree else "no",
                     ", ".join(DISAGREEMENT_LABELS[k] for k in area.disagreement) or "-"])
    page.table(["Area", "A claims", "Evidence (A)", "B claims", "Evidence (B)", "Agreed", "Same level?", "Where criteria differ, why"],
               rows)
    page.heading("Agreement")
    page.table(["Between", "Areas", "Same level", "Agreement", "Weighted kappa"],
               [[g.between, g.areas, g.same, "-" if g.rate_pct is None else f"{g.rate_pct:g}%", _kappa(g.kappa)]
                for g in c.agreement])
    page.text("Kappa is Cohen's kappa with linear weights over the ordered levels: 1 is full agreement, "
              "0 is what chance alone would give, and a one-level difference counts as partly agreeing.")
    differing = [(area, cc) for area in c.areas for cc in area.criteria if cc.disagreement or not cc.comparable]
    page.heading("Criteria judged differently")
    if not c.areas:
        page.text("No criteria could be compared: see 'Not comparable' below.")
    elif not differing:
        page.text("None: both sides reach the same outcome on every criterion.")
    else:
        page.table(["Criterion", "A", "B", "Why", "Evidence A relied on", "Evidence B relied on"], [
            [f"{cc.id} {cc.title}", _outcome(cc.a_outcome, cc.a_claim), _outcome(cc.b_outcome, cc.b_claim),
             (DISAGREEMENT_LABELS[cc.disagreement] + ": " if cc.disagreement else "not comparable: ")
             + cc.explanation, _used(cc.a_evidence), _used(cc.b_evidence)] for _, cc in differing])
    agreed = [a for a in c.areas if a.agreed_reason]
    if agreed:
        page.heading("Agreed after the peer challenge")
        page.table(["Area", "Agreed level", "Reason"], [[a.title, title[a.agreed], a.agreed_reason] for a in agreed])
    if c.not_comparable:
        page.heading("Not comparable")
        for item in c.not_comparable:
            page.text(f"- {markdown_escape(item) if page.markdown else item}")
    return page.render()


def _outcome(evidence: str | None, claim: str | None) -> str:
    shown = OUTCOME_LABELS.get(evidence, "-") if evidence else "-"
    if claim and claim != evidence:
        shown += f" (claims {OUTCOME_LABELS.get(claim, claim)})"
    return shown


def _used(uses) -> str:  # noqa: ANN001
    return ", ".join(f"{u.id} ({u.sha256[:8]})" if u.sha256 else u.id for u in uses) or "none"


def render_trend(t: Trend, fmt: str) -> str:
    if fmt == "json":
        return as_json(t)
    title = _titles(t.levels)
    page = Page(fmt)
    page.heading(f"{t.council}: levels over time", 1)
    page.text(f"{len(t.dates)} results, {t.dates[0]} to {t.dates[-1]}.")
    rows = [[area.title] + [title[lv] if present else "not comparable" for lv, present in zip(area.levels, area.present)]
            for area in t.areas]
    rows.append(["Overall"] + [title[lv] for lv in t.overall])
    page.table(["Area"] + [f"{d} ({fw})" for d, fw in zip(t.dates, t.frameworks)], rows)
    for step in t.steps:
        page.heading(f"From {step.before} to {step.after}")
        if step.changed:
            page.table(["Criterion", "Before", "After"], [[f"{ch.id} {ch.title}", OUTCOME_LABELS[ch.before],
                                                          OUTCOME_LABELS[ch.after]] for ch in step.changed])
        else:
            page.text("No criterion changed outcome.")
        if step.not_comparable:
            page.text(f"Not comparable, because one edition has no counterpart ({len(step.not_comparable)}): "
                      + ", ".join(ch.id for ch in step.not_comparable) + ".")
        page.text(f"Actions closed: {len(step.closed)}; still open: {len(step.still_open)}; new: {len(step.new)}.")
        for label, actions in (("Closed", step.closed), ("Still open", step.still_open)):
            for x in actions:
                page.text(f"- {label}: {markdown_escape(x.what) if page.markdown else x.what}")
    return page.render()


def render_across(a: Across, fmt: str) -> str:
    if fmt == "json":
        return as_json(a)
    title = _titles(a.levels)
    page = Page(fmt)
    page.heading(f"{a.count} councils compared", 1)
    page.text(f"Framework: {a.framework}. Counts below {a.min_group} are not shown ('fewer than {a.min_group}') "
              "so that no council can be picked out.")
    if a.names_shown:
        page.heading("Council by council")
        page.table(["Council"] + [area.title for area in a.areas],
                   [[name] + [title[area.levels[name]] for area in a.areas] for name in a.councils])
    page.heading("How many councils are at each level")
    columns = [c.title for c in a.overall]
    rows = [[area.title] + [_count(c, a.min_group) for c in area.summary] for area in a.areas]
    rows.append(["Overall"] + [_count(c, a.min_group) for c in a.overall])
    page.table(["Area"] + columns, rows)
    return page.render()


def _count(c, min_group: int) -> str:  # noqa: ANN001
    return f"fewer than {min_group}" if c.hidden else str(c.count)
