"""Plain-English pieces every report shares: dates, the summary, and the rows of the action plan.

Report formats differ in markup, not in what they say, so a councillor reading the HTML report and
an officer reading the CSV action plan see the same sentences and the same figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from efl.core.levels import is_lowest
from efl.core.models import OUTCOME_LABELS
from efl.reports.dates_text import long_date  # noqa: F401 - one of the words every format shares

if TYPE_CHECKING:
    from efl.core.models import Action, AreaResult, CriterionResult, Result


def percent(value: float | None) -> str:
    """A share or a gap as people read it: one decimal place, halves rounded up as a spreadsheet
    does (``12.0%``, ``-5.0%``; never ``-0.0%``), or "not known" when there is no figure."""
    if value is None:
        return "not known"
    from efl.workforce.measures import one_decimal

    shown = one_decimal(value)
    return f"{0.0 if shown == 0 else shown:.1f}%"


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


def role_words(result: Result) -> str:
    return "peer review" if result.assessment.assessor.role == "peer" else "self-assessment"


def title_line(result: Result) -> str:
    a = result.assessment
    return f"{a.council}: equality {role_words(result)}, {long_date(a.date)}"


def count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def criteria_by_id(result: Result) -> dict[str, CriterionResult]:
    return {c.id: c for area in result.areas for c in area.criteria}


def area_titles(result: Result) -> dict[str, str]:
    return {a.id: a.title for a in result.areas}


def summary_sentences(result: Result) -> list[str]:
    """The report's opening: what the evidence supports, where the gaps are, what to do first."""
    areas = result.areas
    lowest = result.level_title(result.overall_level)
    out = []
    agreed, was_agreed = agreed_overall(result)
    if was_agreed:
        out.append(f"Agreed after the peer challenge: {result.level_title(agreed)} overall, the lowest level "
                   "agreed for any area.")
    # In words only when the overall level is the lowest area's (a plugin's own rule may decide otherwise).
    by_lowest = is_lowest(result.framework, result.overall_level, [a.level for a in areas])
    if result.overall_level is None and by_lowest:
        out.append(f"The evidence does not yet support the first level ({result.framework.levels[0].title}) "
                   f"in every area, so the overall level is {lowest}.")
    elif len(areas) > 1 and by_lowest:
        out.append(f"The evidence supports {lowest} overall: the lowest level reached by any of the "
                   f"{count(len(areas), 'area')}.")
    else:  # one area, or a plugin's own rule for the overall level
        out.append(f"The evidence supports {lowest} overall." if result.overall_level is not None else
                   f"The overall level is {lowest}.")
    for level in [None, *(lv.id for lv in result.framework.levels)]:
        names = [a.title for a in areas if a.level == level]
        if names:
            verb = "is" if len(names) == 1 else "are"
            out.append(f"{and_list(names)} {verb} at {result.level_title(level)}.")
    over = [a for a in areas if a.claimed_level and level_rank(result, a.claimed_level) > level_rank(result, a.level)]
    if over:
        out.append(f"The {role_words(result)} claims a higher level than the evidence supports in "
                   f"{count(len(over), 'area')}: {and_list([a.title for a in over])}.")
    statutory = statutory_actions(result)
    overdue = [x for x in result.actions if x.overdue]
    if result.actions:
        parts = [f"The action plan has {count(len(result.actions), 'action')}"]
        if statutory:
            parts.append(f"{len(statutory)} of them about legal duties")
        sentence = ", ".join(parts)
        if overdue:
            sentence += f"; {len(overdue)} {'is' if len(overdue) == 1 else 'are'} already overdue"
        out.append(sentence + ".")
    else:
        out.append(no_actions_sentence(result))
    return out


def no_actions_sentence(result: Result) -> str:
    """Why the action plan is empty: nothing to do, or no plugin that proposes actions was on."""
    if not result.action_plan:
        return ("No action plan was produced, because no plugin that proposes actions was switched on "
                "(the built-in 'actions' plugin is off).")
    return "There are no actions: every area is at the highest level."


def incomplete_sentence(result: Result) -> str | None:
    """For a result worked out despite a plugin failure: which plugins failed, and what that means."""
    if not result.incomplete:
        return None
    failed = "; ".join(f"plugin '{f.plugin}' failed in {f.hook} ({f.message})" for f in result.failures)
    return (f"This result is incomplete: {failed or 'a plugin failed'}. Facts that plugin works out are "
            "missing, so some levels may be lower than the evidence supports.")


def warning_heading(result: Result) -> str:
    return f"Warnings about the evidence ({len(result.warnings)})"


def warning_sentences(result: Result) -> list[str]:
    """Each warning as a line a reader can act on: which paper (its title, else the file's name, never
    a folder path), where in it, and what is suspicious. The hint at the end of a diagnostic ("(expected
    ...)") tells the officer how to fix the file; the terminal gives it, a paper leaves it out."""
    from pathlib import PurePosixPath

    titles = {e.file: e.title for e in result.evidence if e.title}
    out = []
    for w in result.warnings:
        name = titles.get(w.file) or PurePosixPath(w.file.replace("\\", "/")).name or w.file
        where = f"{name}, line {w.line}" if w.line else name
        out.append(f"{where}: {people_message(w.message)}")
    return out


def people_message(message: str) -> str:
    """A diagnostic's words for a paper: without the closing fix-it hint, and without the tool's name."""
    from efl.reports.wording import plain_words

    text = message.strip()
    cut = text.rfind(" (expected ")
    if cut > 0 and text.endswith(")") and text[cut:].count("(") == text[cut:].count(")"):
        text = text[:cut]
    # A command named in quotes ("the example rows 'efl init' wrote") is said as what it is.
    text = re.sub(r"'efl init'", "the starter template", text)
    text = re.sub(r"'efl ([a-z-]+)[^']*'", r"the \1 command", text)
    text = re.sub(r"\befl does not\b", "the assessment does not", text)
    text = re.sub(r"\befl\b", "the assessment", text)
    text = plain_words(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def statutory_actions(result: Result) -> list[Action]:
    criteria = criteria_by_id(result)
    return [x for x in result.actions if x.criterion in criteria and criteria[x.criterion].statutory]


def level_rank(result: Result, level: str | None) -> int:
    """0 for "not yet at the first level", 1 for the first level, and so on."""
    return result.framework.level_rank(level)


def and_list(names: list[str], semicolons: bool = False) -> str:
    """Names in words: "a", "a and b", "a, b and c". With ``semicolons``, a list where a name has its
    own "and" (marriage and civil partnership) reads "a; b; and c", so it stays unambiguous."""
    if len(names) == 1:
        return names[0]
    if semicolons and any(" and " in name for name in names):
        return "; ".join(names[:-1]) + "; and " + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class PlanRow:
    """One row of the action plan, in the words every format uses."""

    priority: int
    area: str
    criterion_id: str
    criterion: str
    action: str
    why: str
    owner: str
    due: str
    overdue: bool
    statutory: bool
    figure: str
    due_words: str = ""  # the due date as people read it, "14 May 2026" (``due`` is YYYY-MM-DD)


def plan_rows(result: Result) -> list[PlanRow]:
    criteria = criteria_by_id(result)
    titles = area_titles(result)
    rows = []
    for x in result.actions:
        c = criteria.get(x.criterion or "")
        rows.append(PlanRow(
            priority=x.priority, area=titles.get(x.area, x.area), criterion_id=x.criterion or "",
            criterion=c.title if c else "", action=x.what, why=x.why, owner=x.lead or x.owner,
            due=x.due.isoformat() if x.due else "", overdue=x.overdue, statutory=bool(c and c.statutory),
            figure=x.figure or "", due_words=long_date(x.due) if x.due else ""))
    return rows


def agreed_levels(result: Result) -> list[str] | None:
    """Per area, the level agreed after a peer challenge (with "-" where none), or None if none was."""
    if not any(a.agreed_reason for a in result.areas):
        return None
    return [result.level_title(a.agreed_level) if a.agreed_reason else "-" for a in result.areas]


def agreed_overall(result: Result) -> tuple[str | None, bool]:
    """The overall level to headline: the lowest agreed level when a peer challenge agreed any
    (areas without one count at the evidence's level), else the evidence's overall level."""
    if not any(a.agreed_reason for a in result.areas):
        return result.overall_level, False
    used = [a.agreed_level if a.agreed_reason else a.level for a in result.areas]
    return result.framework.lowest(used), True


@dataclass(frozen=True)
class ClaimRow:
    """One claim, note or agreed outcome of a peer folder, in words every format uses."""

    about: str
    claimed: str
    note: str
    agreed: str
    reason: str


def claim_rows(result: Result) -> list[ClaimRow]:
    """A peer folder's claims with their notes (area and criterion level) and what was agreed."""
    a = result.assessment
    agreed = a.agreed
    rows: list[ClaimRow] = []
    if a.assessor.role != "peer" and not agreed and not any(x.agreed_reason for x in result.areas):
        return rows  # a self-assessment's claims are in the levels table already
    for area in result.areas:
        claim = a.claims.get(area.id)
        reason = agreed[area.id].reason if area.id in agreed else (area.agreed_reason or "")
        level = agreed[area.id].level if area.id in agreed else area.agreed_level
        if claim or reason:
            rows.append(ClaimRow(area.title, result.level_title(claim.level) if claim and claim.level else "-",
                                 _claim_note(claim), result.level_title(level) if reason else "-", reason or "-"))
        for c in area.criteria:
            claim, deal = a.claims.get(c.id), agreed.get(c.id)
            if claim or deal:
                rows.append(ClaimRow(f"{area.title}: {c.title}",
                                     outcome_label(claim.outcome) if claim and claim.outcome else "-",
                                     _claim_note(claim), outcome_label(deal.outcome) if deal and deal.outcome else "-",
                                     deal.reason if deal else "-"))
    return rows


def _claim_note(claim) -> str:  # noqa: ANN001
    if claim is None:
        return "-"
    seen = f" Seen on the visit: {'; '.join(claim.seen_on_visit)}." if claim.seen_on_visit else ""
    return (claim.note + seen).strip() or "-"


def area_sentence(result: Result, area: AreaResult) -> str:
    claimed = ""
    if area.claimed_level:
        claimed = f" The {role_words(result)} claims {result.level_title(area.claimed_level)}."
    return f"Level the evidence supports: {result.level_title(area.level)}.{claimed}"


# Marks that act anywhere in a line; those that act only at its start are handled in markdown_escape().
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(#|[-+=])")
# "1. " or "1) " would start a numbered list; the mark after the digits is escaped ("6.4%" is left alone).
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


_BREAK = re.compile(r"[\r\n]\s*")


def _join_lines(value: str) -> str:
    """Line breaks (with the blanks around them) become one space.

    Linear on purpose: the obvious ``\\s*[\\r\\n]+\\s*`` backtracks over every run of blanks that has no
    line break after it, so a name with 200,000 spaces took minutes.
    """
    parts = _BREAK.split(value)
    return " ".join(part.rstrip() if i < len(parts) - 1 else part for i, part in enumerate(parts))


def markdown_escape(text: object, starts_line: bool = False) -> str:
    """Show ``text`` literally in Markdown: HTML characters as entities, Markdown marks backslashed.

    :param starts_line: the text begins a line, where ``#``, ``-`` or ``1.`` would start a heading or list.
    """
    value = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in value or "\r" in value:
        value = _join_lines(value)
    value = _SPECIAL.sub(r"\\\1", value)
    if not starts_line:
        return value
    return _NUMBERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", value))


def markdown_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; cells must already be escaped."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


_STYLE = """
:root {{ color-scheme: light; }}
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 1.1875rem; line-height: 1.5; color: #0b0c0c;
       background: #ffffff; margin: 0; }}
.skip {{ position: absolute; left: -9999px; }}
.skip:focus {{ position: static; display: inline-block; padding: 0.5rem; }}
header, main, footer {{ max-width: {width}rem; margin: 0 auto; padding: 0 1rem; }}
header {{ border-bottom: 4px solid #1d4f91; padding-bottom: 0.5rem; }}
h1 {{ font-size: 2rem; margin: 1rem 0 0.25rem; line-height: 1.25; }}
h2 {{ font-size: 1.5rem; margin-top: 2rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }}
h3 {{ font-size: 1.25rem; }}
h4 {{ font-size: 1.1rem; }}
a {{ color: #1d4f91; text-decoration: underline; }}
/* GOV.UK's focus style: yellow behind, a thick black line below (over 3:1 against white and the yellow). */
a:focus, [tabindex]:focus, summary:focus {{ outline: 3px solid #0b0c0c; outline-offset: 0; background: #ffdd00;
       color: #0b0c0c; box-shadow: 0 4px #0b0c0c; text-decoration: none; }}
.table-wrap {{ overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
caption {{ text-align: left; font-weight: bold; padding: 0.25rem 0; }}
th, td {{ border: 1px solid #b1b4b6; padding: 0.4rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f2f1; }}
.muted {{ color: #505a5f; }}
code {{ font-family: "Courier New", monospace; overflow-wrap: anywhere; }}
footer {{ border-top: 1px solid #b1b4b6; margin-top: 2rem; padding-bottom: 2rem; }}
@media (max-width: 40rem) {{ body {{ font-size: 1rem; }} h1 {{ font-size: 1.5rem; }} }}
"""


def report_style(width_rem: int) -> str:
    """The stylesheet every HTML page efl writes starts from (GOV.UK-like type and colours, visible
    focus, tables with borders), its text column ``width_rem`` wide; a page adds its own rules."""
    return _STYLE.format(width=width_rem)
