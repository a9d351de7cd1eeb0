"""Showing comparisons as terminal tables, Markdown or JSON.

Tables and Markdown are built from the same rows; Markdown cells are escaped because council names,
notes and reasons come from files people wrote.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from efl.peer.compare import DISAGREEMENT_LABELS, Comparison
from efl.peer.compare_many import Across, Trend
from efl.core.models import OUTCOME_LABELS
from efl.reports.report_text import markdown_escape, markdown_table
from efl.reports.sources import source_words

FORMATS = ("table", "markdown", "json", "html")


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


def side_name(side) -> str:  # noqa: ANN001
    return f"{side.label} ({side.role}, {side.date}{', what-if' if side.hypothetical else ''})"


def side_notes(side) -> list[str]:  # noqa: ANN001
    """What makes a side more than the council's judgement of the evidence: a what-if, local tailoring."""
    from efl.reports.local_text import figure

    out = []
    if side.hypothetical:
        assumed = "; ".join(f"{a.description} {figure(a.value, a.unit == '%')}" for a in side.assumptions)
        out.append(f"{side.label} is a what-if, not the council's own assessment: it assumes {assumed or 'figures'}.")
    if side.tailoring is not None:
        t = side.tailoring
        out.append(f"{side.label} uses local tailoring{' (' + t.title + ')' if t.title else ''}: its local "
                   "criteria and thresholds are the council's own, not the edition's, and are shown as local.")
    return out


def waiver_table_rows(c: Comparison) -> list[list[str]]:
    """Every waiver on either side: whose, the criterion, whether it applies, why, who approved it."""
    from efl.reports.local_text import waiver_status

    rows = []
    for side, waivers in ((c.a, c.a_waivers), (c.b, c.b_waivers)):
        for w in waivers:
            rows.append([f"{w.criterion} {w.title}", side.label, waiver_status(w), w.reason,
                         f"{w.approver}, {w.approved_on.isoformat()}"])
    return rows


def between_words(c: Comparison, kind: str) -> str:
    a, b = side_name(c.a), side_name(c.b)
    return {"a_b": f"{a} and {b}", "a_evidence": f"{a} and the evidence on its date",
            "b_evidence": f"{b} and the evidence on its date",
            "evidence": f"the evidence on {c.a.date} and on {c.b.date}"}[kind]


def agreement_rows(c: Comparison) -> list[list[str]]:
    return [[between_words(c, g.between), str(g.items), str(g.same), "-" if g.rate_pct is None else f"{g.rate_pct:g}%",
             _kappa(g.kappa), g.note or "-"] for g in c.agreement]


def pair_title(c: Comparison) -> str:
    if c.different_councils:
        return f"{c.a.council} and {c.b.council} (two different councils): judgements compared"
    roles = f"{c.a.role} and {c.b.role} judgements" if c.a.role != c.b.role else f"two {c.a.role}-assessments"
    return f"{c.b.council}: {roles} compared"


def area_name(c: Comparison, area) -> str:  # noqa: ANN001
    """An area row's name: one title, or both editions' titles joined by an arrow."""
    if area.a_title and area.b_title and area.a_title != area.b_title:
        name = f"{area.a_title} → {area.b_title}"
    else:
        name = area.a_title or area.b_title or "-"
    if area.group is not None:
        g = c.groups[area.group]
        if len(g.a_areas) > 1:
            name += f" (one of {len(g.a_areas)} areas of A's edition merged in B's)"
        elif len(g.b_areas) > 1:
            name += f" (one of {len(g.b_areas)} areas of B's edition merged in A's)"
    return name


def criterion_name(cc) -> str:  # noqa: ANN001
    ids = cc.a_id if cc.a_id == cc.b_id or not cc.b_id else (cc.b_id if not cc.a_id else f"{cc.a_id} → {cc.b_id}")
    return f"{ids} {cc.a_title or cc.b_title}"


def why_words(c: Comparison, kind: str, side: str | None = None, explanation: str = "") -> str:
    label = DISAGREEMENT_LABELS[kind]
    who = f" ({getattr(c, side).label})" if side else ""
    return f"{label}{who}" + (f": {explanation}" if explanation else "")


def level_mapping_sentences(c: Comparison) -> list[str]:
    out = []
    for side, other, overall, levels, other_levels, matches in (
            (c.a, c.b, c.a_overall, c.a_levels, c.b_levels, c.a_overall_maps_to),
            (c.b, c.a, c.b_overall, c.b_levels, c.a_levels, c.b_overall_maps_to)):
        if c.levels_comparable or c.crosswalk is None:
            continue
        mine, theirs = _titles(levels), _titles(other_levels)
        if not matches:
            out.append(f"{side.label}'s overall level, {mine[overall]}, has no counterpart in {other.framework_title}.")
            continue
        found = " or ".join(f"{theirs.get(m.level, m.level)} ({m.confidence}; {source_words(m.source) or 'no source'})"
                            for m in matches)
        out.append(f"{side.label}'s overall level, {mine[overall]}, corresponds to {found} in {other.framework_title}.")
    return out


def counts_sentence(c: Comparison) -> str:
    n = c.counts
    text = (f"Compared: {n.area_pairs} pair{'s' if n.area_pairs != 1 else ''} of areas in {n.groups} "
            f"group{'s' if n.groups != 1 else ''}, and {n.criteria_compared} pairs of criteria "
            f"({n.criteria_same_outcome} with the same outcome).")
    if n.area_pairs != n.groups:
        text += " Areas one edition merged are one group, compared once at the lower of their levels."
    missing = n.a_only_areas + n.b_only_areas + n.a_only_criteria + n.b_only_criteria
    if missing:
        text += (f" Not comparable: {n.a_only_areas} areas and {n.a_only_criteria} criteria only in A, "
                 f"{n.b_only_areas} areas and {n.b_only_criteria} criteria only in B.")
    if n.local_criteria:
        text += (f" Local criteria ({n.local_criteria}), which one side's tailoring added, are listed apart: "
                 "they are the council's own, not a difference from the edition.")
    return text


def joint_agreed(a, b):  # noqa: ANN001, ANN201
    """The agreed record of a row: one side's, or both when (unusually) both folders hold one."""
    return [v for v in (a, b) if v is not None]


def render_pair(c: Comparison, fmt: str) -> str:
    if fmt == "json":
        return as_json(c)
    if fmt == "html":
        from efl.peer.compare_html import render_pair_html

        return render_pair_html(c)
    a_title, b_title = _titles(c.a_levels), _titles(c.b_levels)
    page = Page(fmt)
    page.heading(pair_title(c), 1)
    for side in (c.a, c.b):
        via = f"; evidence from {side.evidence_from}" if side.evidence_from else ""
        page.text(f"{side.label}: {side.council}, {side.role} assessment dated {side.date} by "
                  f"{side.assessor or 'not recorded'} ({side.source}{via}), against {side.framework_title}.")
        for sentence in side_notes(side):
            page.text(sentence)
    if c.crosswalk:
        page.text(f"The two editions are paired through the crosswalk {c.crosswalk}.")
    for sentence in level_mapping_sentences(c):
        page.text(sentence)
    page.text(counts_sentence(c))
    page.heading("Areas")
    rows = []
    for area in (x for x in c.areas if x.group is not None):
        agreed = joint_agreed(area.a_agreed, area.b_agreed)
        rows.append([area_name(c, area), a_title[area.a_claimed] if area.a_claimed else "-",
                     a_title[area.a_evidence], b_title[area.b_claimed] if area.b_claimed else "-",
                     b_title[area.b_evidence], " / ".join(b_title[v.value] for v in agreed) or "-",
                     {None: "not both claimed", True: "yes", False: "no"}[area.same_claim],
                     ", ".join(DISAGREEMENT_LABELS[k] for k in area.disagreement) or "-"])
    page.table(["Area", "A claims", "Evidence (A)", "B claims", "Evidence (B)", "Agreed", "Same claim?",
                "Where levels differ, why"], rows)
    reasons = [[area_name(c, x), x.a_note or "-", x.b_note or "-",
                " / ".join(v.reason for v in joint_agreed(x.a_agreed, x.b_agreed)) or "-"]
               for x in c.areas if x.group is not None and (x.a_note or x.b_note or x.a_agreed or x.b_agreed)]
    if reasons:
        page.heading("Reasons given")
        page.table(["Area", "A's note", "B's note", "Agreed, because"], reasons)
    page.heading("Agreement")
    page.table(["Between", "Areas", "Same level", "Agreement", "Weighted kappa", "Note"], agreement_rows(c))
    page.text("Only areas both views judged count: an area a side did not claim is left out, not counted as "
              "agreement. Kappa is Cohen's kappa with linear weights over the ordered levels: 1 is full "
              "agreement, 0 is what chance alone would give, and a one-level difference counts as partly agreeing.")
    differing = [cc for cc in c.criteria if cc.comparable and (cc.disagreement or cc.a_note or cc.b_note
                                                                or cc.a_agreed or cc.b_agreed)]
    page.heading("Criteria judged differently, or with notes")
    if not c.counts.criteria_compared:
        page.text("No criteria could be compared: see 'Not comparable' below.")
    elif not differing:
        page.text("None: both sides reach the same outcome on every criterion.")
    else:
        page.table(["Criterion", "A", "B", "Why", "Notes", "Evidence A relied on", "Evidence B relied on"], [
            [criterion_name(cc), outcome_text(cc.a_outcome, cc.a_claim), outcome_text(cc.b_outcome, cc.b_claim),
             why_words(c, cc.disagreement, cc.side, cc.explanation) if cc.disagreement else "same outcome",
             _notes(cc), _used(cc.a_evidence), _used(cc.b_evidence)] for cc in differing])
    agreed_rows = [[area_name(c, x), b_title[v.value], v.reason] for x in c.areas if x.group is not None
                   for v in joint_agreed(x.a_agreed, x.b_agreed)]
    agreed_rows += [[criterion_name(cc), OUTCOME_LABELS.get(v.value, str(v.value)), v.reason] for cc in c.criteria
                    for v in joint_agreed(cc.a_agreed, cc.b_agreed)]
    if agreed_rows:
        page.heading("Agreed after the peer challenge")
        page.table(["Area or criterion", "Agreed", "Reason"], agreed_rows)
    for side, record in (("a", c.a_record), ("b", c.b_record)):
        if record is not None:
            _record_sections(page, c, side, record)
    waivers = waiver_table_rows(c)
    if waivers:
        page.heading("Waivers")
        page.table(["Criterion", "Side", "Waiver", "Reason", "Approved by"], waivers)
    local = [x for x in c.criteria if x.local_only]
    if local:
        page.heading("Local criteria")
        page.table(["Criterion", "Side", "Outcome", "Local"],
                   [[criterion_name(x), "A" if x.relation == "only_a" else "B",
                     OUTCOME_LABELS.get(x.a_outcome or x.b_outcome, "-"), x.a_local or x.b_local] for x in local])
    lone = [(x.a_title or x.b_title, x) for x in c.areas if x.group is None]
    lone += [(criterion_name(x), x) for x in c.criteria if not x.comparable and not x.local_only]
    if lone:
        page.heading("Not comparable")
        for name, x in lone:
            where = "A" if x.relation == "only_a" else "B"
            extra = f" ({x.note})" if x.note and not x.note.startswith("only in") else ""
            item = f"{name}: only in {where}'s edition{extra}"
            page.text(f"- {markdown_escape(item) if page.markdown else item}")
    return page.render()


def about_title(c: Comparison, side: str, ident: str) -> str:
    """The title of the area or criterion a record entry is about, on one side."""
    for x in c.areas:
        if getattr(x, f"{side}_id") == ident:
            return getattr(x, f"{side}_title") or ident
    for x in c.criteria:
        if getattr(x, f"{side}_id") == ident:
            return getattr(x, f"{side}_title") or ident
    return ident


def _record_sections(page: Page, c: Comparison, side_key: str, record) -> None:  # noqa: ANN001
    side = getattr(c, side_key)
    page.heading(f"The record of the challenge ({side.label})")

    def about(ident: str) -> str:
        return about_title(c, side_key, ident)

    if record.challenges:
        page.table(["Question to the council", "About", "Response", "Status"],
                   [[q.question, about(q.about), q.response or "-", q.status.replace("_", " ")] for q in record.challenges])
    if record.evidence_requests:
        page.table(["Evidence requested", "About", "Requested", "Received"],
                   [[r.what, about(r.about), r.requested.isoformat(), r.received.isoformat() if r.received else "not yet"]
                    for r in record.evidence_requests])
    if record.agreed_actions:
        page.table(["Agreed action", "About", "Owner", "Due"],
                   [[x.what, about(x.about), x.owner, x.due.isoformat()] for x in record.agreed_actions])
    if record.sign_off:
        for who, sig in (("Lead peer", record.sign_off.lead_peer), ("For the council", record.sign_off.council)):
            if sig:
                page.text(f"Signed off. {who}: {sig.name}" + (f", {sig.role}" if sig.role else "")
                          + f", {sig.date.isoformat()}.")
            else:
                page.text(f"Not yet signed off by the {who.lower()}.")


def outcome_text(evidence: str | None, claim: str | None) -> str:
    shown = OUTCOME_LABELS.get(evidence, "-") if evidence else "-"
    if claim and claim != evidence:
        shown += f" (claims {OUTCOME_LABELS.get(claim, claim)})"
    return shown


def _used(uses) -> str:  # noqa: ANN001
    return ", ".join(f"{u.id} ({u.sha256[:8]})" if u.sha256 else u.id for u in uses) or "none"


def _notes(cc) -> str:  # noqa: ANN001
    parts = [f"{label}: {note}" for label, note in (("A", cc.a_note), ("B", cc.b_note)) if note]
    parts += [f"{label} saw on the visit: {'; '.join(seen)}" for label, seen in
              (("A", cc.a_seen_on_visit), ("B", cc.b_seen_on_visit)) if seen]
    return " ".join(parts) or "-"


def render_trend(t: Trend, fmt: str) -> str:
    if fmt == "json":
        return as_json(t)
    # Each result's levels are named in its own edition: an ESLG "Level 2" is never "Not yet Level 1".
    editions = t.editions or [t.levels] * len(t.dates)
    titles = [_titles(levels) for levels in editions]
    page = Page(fmt)
    page.heading(f"{t.council}: levels over time", 1)
    page.text(f"{len(t.dates)} results, {t.dates[0]} to {t.dates[-1]}. Where a peer challenge agreed a level, "
              "that level is shown, marked (agreed).")
    changes = [i for i in range(1, len(t.frameworks)) if t.frameworks[i].split()[0] != t.frameworks[i - 1].split()[0]]

    def cell(area, i: int) -> str:  # noqa: ANN001
        if not area.present[i]:
            return "no counterpart"
        text = titles[i][area.levels[i]] + (" (agreed)" if area.agreed and area.agreed[i] else "")
        note = area.edition_notes[i] if area.edition_notes else ""
        return text + (f"; edition change: {note}" if note else "")

    rows = [[area.title] + [cell(area, i) for i in range(len(t.dates))] for area in t.areas]
    overall = []
    for i, level in enumerate(t.overall):
        text = titles[i][level] + (" (agreed)" if t.overall_agreed and t.overall_agreed[i] else "")
        maps = t.overall_maps_to[i] if t.overall_maps_to else []
        if maps:
            latest = _titles(t.levels)
            text += " (corresponds to " + " or ".join(f"{latest.get(m.level, m.level)}, {m.confidence}"
                                                      for m in maps) + ")"
        overall.append(text)
    rows.append(["Overall"] + overall)
    what_if = t.hypothetical or [False] * len(t.dates)
    page.table(["Area"] + [f"{d} ({fw}{', new edition' if i in changes else ''}{', what-if' if what_if[i] else ''})"
                           for i, (d, fw) in enumerate(zip(t.dates, t.frameworks))], rows)
    if any(what_if):
        page.text("A column marked what-if is not the council's own result: it assumes figures the evidence does "
                  "not give.")
    for step in t.steps:
        page.heading(f"From {step.before} to {step.after}" + (" (the edition changed)" if step.edition_changed else ""))
        if step.changed:
            page.table(["Criterion", "Before", "After"] + (["Edition change"] if step.edition_changed else []),
                       [[f"{ch.id} {ch.title}", OUTCOME_LABELS[ch.before], OUTCOME_LABELS[ch.after]]
                        + ([ch.edition_change or "-"] if step.edition_changed else []) for ch in step.changed])
        else:
            page.text("No criterion changed outcome.")
        edition = [ch for ch in step.not_comparable if not ch.local]
        local = [ch for ch in step.not_comparable if ch.local]
        if edition:
            page.text(f"Not comparable, because one edition has no counterpart ({len(edition)}): "
                      + ", ".join(ch.id for ch in edition) + ".")
        if local:
            page.text(f"Local criteria, the council's own rather than the edition's ({len(local)}): "
                      + ", ".join(f"{ch.id} ({ch.edition_change})" for ch in local) + ".")
        page.text(f"Actions closed: {len(step.closed)}; still open: {len(step.still_open)}; "
                  f"new: {len(step.new)}; dropped from the plan but not done: {len(step.blocked)}; "
                  f"no counterpart in the new edition: {len(step.no_counterpart)}.")
        for label, actions in (("Closed", step.closed), ("Still open", step.still_open), ("New", step.new),
                               ("Not done, now behind a lower criterion that fails", step.blocked),
                               ("No counterpart in the new edition", step.no_counterpart)):
            for x in actions:
                page.text(f"- {label}: {markdown_escape(x.what) if page.markdown else x.what}")
    return page.render()


def render_across(a: Across, fmt: str) -> str:
    if fmt == "json":
        return as_json(a)
    title = _titles(a.levels)
    page = Page(fmt)
    if a.names_shown:
        page.heading(f"{a.count} councils compared (not for publication: names every council)", 1)
    else:
        page.heading(f"{a.count} councils compared", 1)
    page.text(f"Framework: {a.framework}." + (f" Read through a crosswalk from an earlier edition: "
                                              f"{len(a.mapped)} of the councils." if a.mapped else ""))
    if a.names_shown:
        page.text("This table names each council's levels. It is for the councils themselves, not for "
                  "publication; leave out --show-councils for a summary that can be published.")
        page.heading("Council by council")
        page.table(["Council"] + [area.title for area in a.areas],
                   [[name] + [title[area.levels[name]] if name in area.levels else "no counterpart"
                              for area in a.areas] for name in a.councils])
    page.heading("How many councils are at each level")
    page.text(a.method)
    columns = [c.title for c in a.overall]
    rows = [[area.title, str(area.councils)] + [_count(c) for c in area.summary] for area in a.areas]
    rows.append(["Overall", str(a.overall_councils)] + [_count(c) for c in a.overall])
    page.table(["Area", "Councils"] + columns, rows)
    return page.render()


def _count(c) -> str:  # noqa: ANN001
    return c.shown or str(c.count)
