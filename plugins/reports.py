"""The built-in report formats: ``table`` for the terminal and ``json`` for machines and later comparison."""

from __future__ import annotations

import textwrap

import efl
import efl.provisional as provisional  # each name loads its module on first use (start-up)


def render_json(result, options) -> str:  # noqa: ANN001
    # json.dumps(..., indent=2, ensure_ascii=False), the same bytes, written quicker (json_text).
    return provisional.pretty_json(result.model_dump(mode="json"), ensure_ascii=False) + "\n"


def _date(day) -> str:  # noqa: ANN001
    return f"{day.day} {day:%B %Y}" if day else "-"


def render_table(result, options) -> str:  # noqa: ANN001
    # tabulate's "simple" tables, the same bytes, drawn by efl (tabulate itself only for a table
    # outside what simple_table draws): importing tabulate reads its package's metadata
    # (importlib.metadata.version) and imports html and email.parser, about 8 ms of every ``efl assess``.
    simple_table = provisional.simple_table

    out = []
    a = result.assessment
    role = "peer review" if a.assessor.role == "peer" else "self-assessment"
    what_if = provisional.hypothetical_sentence(result)
    if what_if:  # first, before anything a reader could take for the council's own result
        out.append(f"WHAT-IF. {provisional.hypothetical_label()} {what_if}")
        out += [f"  - {line}" for line in provisional.assumption_sentences(result)]
        out.append("")
    out.append(f"{a.council}: {result.framework.title} ({result.framework.id}), {role} dated {_date(a.date)}")
    agreed, was_agreed = provisional.agreed_overall(result)
    if was_agreed:
        out.append(f"Overall level agreed after the peer challenge: {result.level_title(agreed)} (the evidence "
                   f"alone supports {result.level_title(result.overall_level)})")
    elif result.framework.level_rank(result.overall_level) == \
            result.framework.level_rank(result.framework.lowest(a.level for a in result.areas)):
        out.append(f"Overall level: {result.level_title(result.overall_level)} (the lowest level reached by any area)")
    else:  # a plugin's own rule for the overall level decided it
        out.append(f"Overall level: {result.level_title(result.overall_level)}")
    warning = provisional.incomplete_sentence(result)
    if warning:
        out.append(f"INCOMPLETE: {warning}")
    local = provisional.tailoring_sentence(result)
    if local:
        out.append(f"LOCAL: {local}")
    out.append("")
    rows = []
    for area in result.areas:
        claimed = result.level_title(area.claimed_level) if area.claimed_level else "-"
        rows.append([area.title, result.level_title(area.level), claimed, len(area.actions), area.summary])
    headers = ["Area", "Level the evidence supports", "Level claimed", "Actions", "Why"]
    widths = [34, 14, 12, None, 48]
    agreed = provisional.agreed_levels(result)
    if agreed:
        headers.insert(3, "Level agreed")
        widths.insert(3, 12)
        for row, level in zip(rows, agreed):
            row.insert(3, level)
    out.append(simple_table(rows, headers, widths))
    if options.explain:
        out.append("")
        out.append("How each criterion was decided")
        for area in result.areas:
            out.append("")
            out.append(f"{area.title}: {result.level_title(area.level)}")
            for c in area.criteria:
                marks = "".join(f", {m}" for m in ("local" if c.local else "", "waived" if c.waived else "") if m)
                out.append(f"  [{provisional.OUTCOME_LABELS[c.outcome]}] {c.id} {c.title} "
                           f"({result.level_title(c.level)}{', statutory' if c.statutory else ''}{marks})")
                for change in c.local:
                    out.append(f"      local: {change.note}")
                _trace(c.trace, out, "      ")
        out.append("")
        out.append("Facts worked out from the evidence")
        files = {e.id: e.file or e.id for e in result.evidence}
        fact_rows = [[f.name, _value(f.value), ", ".join(files.get(e, e) for e in f.evidence) or "-", f.plugin]
                     for f in result.facts]
        out.append(simple_table(fact_rows, ["Fact", "Value", "From", "Plugin"], [44, 40, 40, None])
                   if fact_rows else "  (none)")
    out.append("")
    if result.actions:
        out.append(f"Action plan ({len(result.actions)} actions, most urgent first)")
        rows = []
        for x in result.actions:
            due = _date(x.due) + (" (overdue)" if x.overdue else "")
            what = x.what + (f" Figure: {x.figure}" if x.figure else "")
            rows.append([x.priority, _area_title(result, x.area), what, x.lead or x.owner, due])
        out.append(simple_table(rows, ["Priority", "Area", "Action", "Lead", "Due"], [None, 20, 60, 18, 16]))
    else:
        out.append(provisional.no_actions_sentence(result))
    if result.target is not None:
        out += ["", provisional.target_heading(result)]
        for line in provisional.target_sentences(result):
            out += _wrapped(line, "  ")
        area = None
        for r in provisional.target_rows(result):
            if r.area != area:
                area = r.area
                out += ["", f"  {area}"]
            out += _wrapped(f"- {r.criterion} ({r.level}, {r.outcome}): {r.what}", "    ", "      ")
            due = r.due + (" (overdue)" if r.overdue else "")
            out += _wrapped(f"Action: {r.action} Lead: {r.lead}. Due: {due}.", "      ")
        lapses = provisional.lapse_sentences(result)
        if lapses:
            out += ["", "  Waivers that lapse"] + [w for line in lapses for w in _wrapped(f"- {line}", "    ", "      ")]
    if result.waivers:
        out += ["", provisional.waiver_heading(result)]
        for w in provisional.waiver_rows(result):
            out += _wrapped(f"- {w.area}: {w.criterion}. Waiver {w.status}. Reason: {w.reason.rstrip('.')}. Approved "
                            f"by {w.approver} on {w.approved_on}. Without it: {w.without}.", "  ", "    ")
    if result.warnings:
        out += ["", provisional.warning_heading(result)] + [f"  - {line}"
                                                           for line in provisional.warning_sentences(result)]
    return "\n".join(out) + "\n"


def _wrapped(text: str, indent: str, then: str | None = None) -> list[str]:
    return textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=then or indent,
                         break_on_hyphens=False) or [indent]


def _area_title(result, area_id: str) -> str:  # noqa: ANN001
    return next((a.title for a in result.areas if a.id == area_id), area_id)


def _value(value) -> str:  # noqa: ANN001
    import json

    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text  # in full: the table wraps it, --explain never cuts a figure short


def _trace(trace, out: list[str], indent: str) -> None:  # noqa: ANN001
    out.append(f"{indent}- {provisional.OUTCOME_LABELS[trace.outcome]}: {trace.reason}")
    for child in trace.children:
        _trace(child, out, indent + "  ")


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("table", "plain text tables for the terminal", render_table, ".txt",
                              compare=lambda comparison, options: provisional.comparison_text(comparison, "table"),
                              progress=lambda report, options: provisional.progress_text(report, "table")))
    register(efl.ReportFormat("json", "the full result as JSON, for machines and 'efl compare'", render_json, ".json",
                              compare=lambda comparison, options: provisional.comparison_text(comparison, "json"),
                              progress=lambda report, options: provisional.progress_text(report, "json")))
