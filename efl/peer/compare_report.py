"""Showing comparisons as terminal tables, Markdown or JSON.

Tables and Markdown are built from the same rows; Markdown cells are escaped because council names,
notes and reasons come from files people wrote.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from efl.peer.compare import DISAGREEMENT_LABELS, SIDES, Comparison
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


def side_word(c: Comparison, key: str) -> str:
    """A side as a column heading: "Council" and "Peer team", or what tells two of a kind apart."""
    side, other = getattr(c, key), getattr(c, "b" if key == "a" else "a")
    if side.role != other.role:
        return "Council" if side.role == "self" else "Peer team"
    if side.hypothetical != other.hypothetical:
        return "What-if" if side.hypothetical else "Council's own"
    if side.council != other.council:
        return side.council
    if side.date != other.date:
        return f"{side.role.capitalize()} {side.date}"
    return f"{side.role.capitalize()} {side.label}"


def side_name(c: Comparison, key: str) -> str:
    """A side in a sentence: the council, or the peer team, by name, with its date."""
    side = getattr(c, key)
    who = f"{side.name} ({side.role} assessment{', what-if' if side.hypothetical else ''})" \
        if side.role == "self" else side.name
    return f"{who}, {side.date}"


def side_notes(c: Comparison, key: str, who: str | None = None) -> list[str]:
    """What makes a side more than its judgement of the evidence: a what-if, local tailoring.

    ``who`` names the side in the sentences (by default its label and column heading)."""
    from efl.reports.local_text import figure

    side = getattr(c, key)
    who = who or f"{side.label} ({side_word(c, key)})"
    out = []
    if side.hypothetical:
        assumed = "; ".join(f"{a.description} {figure(a.value, a.unit == '%')}" for a in side.assumptions)
        out.append(f"{who} is a what-if, not the council's own assessment: it assumes {assumed or 'figures'}.")
    if side.tailoring is not None:
        t = side.tailoring
        out.append(f"{who} uses local tailoring{' (' + t.title + ')' if t.title else ''}: its local "
                   "criteria and thresholds are the council's own, not the edition's, and are shown as local.")
    return out


WAIVER_HEADERS = ["Criterion", "Whose", "Waiver", "Reason", "Approved by"]


def waiver_table_rows(c: Comparison) -> list[list[str]]:
    """Every waiver on either side: the criterion, whose, whether it applies, why, who approved it."""
    from efl.reports.local_text import waiver_status

    return [[w.title, side_word(c, key), waiver_status(w), w.reason,
             f"{w.approver}, {w.approved_on.isoformat()}"] for key in SIDES for w in getattr(c, key).waivers]


def local_criteria(c: Comparison) -> list:
    """The criteria only one side has because its local tailoring added them."""
    return [x for x in c.criteria if x.local_only]


LOCAL_HEADERS = ["Criterion", "Whose", "Outcome", "Local"]


def local_rows(c: Comparison) -> list[list[str]]:
    return [[criterion_name(x), side_word(c, "a" if x.relation == "only_a" else "b"),
             OUTCOME_LABELS.get(x.either.outcome, "-"), x.either.local] for x in local_criteria(c)]


def between_words(c: Comparison, kind: str) -> str:
    a, b = side_name(c, "a"), side_name(c, "b")
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
    a_title, b_title = (area.a.title if area.a else None), (area.b.title if area.b else None)
    name = f"{a_title} → {b_title}" if a_title and b_title and a_title != b_title else (a_title or b_title or "-")
    if area.group is not None:
        g = c.groups[area.group]
        if len(g.a.areas) > 1:
            name += f" (one of {len(g.a.areas)} areas of {c.a.framework_title} merged in {c.b.framework_title})"
        elif len(g.b.areas) > 1:
            name += f" (one of {len(g.b.areas)} areas of {c.b.framework_title} merged in {c.a.framework_title})"
    return name


def criterion_name(cc) -> str:  # noqa: ANN001
    """A criterion's title (both editions' titles when they differ); no ids in sentences for people."""
    a_title, b_title = (cc.a.title if cc.a else None), (cc.b.title if cc.b else None)
    return f"{a_title} → {b_title}" if a_title and b_title and a_title != b_title else (a_title or b_title)


def why_words(c: Comparison, kind: str, side: str | None = None, explanation: str = "") -> str:
    label = DISAGREEMENT_LABELS[kind]
    who = f" ({side_word(c, side)})" if side else ""
    return f"{label}{who}" + (f": {explanation}" if explanation else "")


def level_mapping_sentences(c: Comparison) -> list[str]:
    out = []
    for key, other in (("a", c.b), ("b", c.a)):
        side = getattr(c, key)
        if c.levels_comparable or c.crosswalk is None:
            continue
        mine, theirs = _titles(side.levels), _titles(other.levels)
        name = side_name(c, key)
        if not side.overall_maps_to:
            out.append(f"The overall level of {name}, {mine[side.overall]}, has no counterpart in "
                       f"{other.framework_title}.")
            continue
        found = " or ".join(f"{theirs.get(m.level, m.level)} ({m.confidence}; {source_words(m.source) or 'no source'})"
                            for m in side.overall_maps_to)
        out.append(f"The overall level of {name}, {mine[side.overall]}, corresponds to {found} in "
                   f"{other.framework_title}.")
    return out


def counts_sentence(c: Comparison) -> str:
    n = c.counts
    if not n.area_pairs and not n.criteria_compared:
        text = (f"No area or criterion of {c.a.framework_title} is paired with one of {c.b.framework_title}"
                + (f" by the crosswalk {c.crosswalk}" if c.crosswalk else "")
                + ", so only the overall levels can be compared" + (", through the crosswalk's level mapping."
                                                                  if not c.levels_comparable else "."))
        return text
    differ = n.criteria_compared - n.criteria_same
    text = (f"Compared: {n.area_pairs} pair{'s' if n.area_pairs != 1 else ''} of areas"
            + (f" in {n.groups} group{'s' if n.groups != 1 else ''}" if n.groups != n.area_pairs else "")
            + f", and {n.criteria_compared} pairs of criteria: {n.criteria_same} judged the same way on both "
            f"sides, {differ} judged differently ({n.criteria_compared - n.criteria_same_outcome} where the "
            f"evidence gives another outcome, {n.criteria_claims_differ} where the claims differ).")
    if n.area_pairs != n.groups:
        text += " Areas one edition merged are one group, compared once at the lower of their levels."
    if any((n.only.a.areas, n.only.a.criteria, n.only.b.areas, n.only.b.criteria)):
        text += (f" Not comparable: {n.only.a.areas} areas and {n.only.a.criteria} criteria only in "
                 f"{c.a.framework_title}, {n.only.b.areas} areas and {n.only.b.criteria} criteria only in "
                 f"{c.b.framework_title}.")
    if n.local_criteria:
        text += (f" Local criteria ({n.local_criteria}), which one side's tailoring added, are listed apart: "
                 "they are the council's own, not a difference from the edition.")
    return text


def joint_agreed(a, b):  # noqa: ANN001, ANN201
    """The agreed record of a row: one side's, or both when (unusually) both folders hold one."""
    return [v for v in ((a.agreed if a else None), (b.agreed if b else None)) if v is not None]


def claim_text(titles: dict, side) -> str:  # noqa: ANN001
    return titles[side.claimed] if side is not None and side.judged else "-"


def render_pair(c: Comparison, fmt: str) -> str:
    """Two results compared, as ``table``, ``markdown`` or ``json`` (the HTML feedback report, built on
    this module's rows, is :func:`efl.peer.compare_html.render_pair_html`)."""
    if fmt == "json":
        return as_json(c)
    a_title, b_title = _titles(c.a.levels), _titles(c.b.levels)
    wa, wb = side_word(c, "a"), side_word(c, "b")
    page = Page(fmt)
    page.heading(pair_title(c), 1)
    for key in SIDES:
        side = getattr(c, key)
        via = f"; evidence from {side.evidence_from}" if side.evidence_from else ""
        page.text(f"{getattr(c, key).label} ({side_word(c, key)}): {side.council}, {side.role} assessment dated "
                  f"{side.date} by {side.assessor or 'not recorded'} ({side.source}{via}), against "
                  f"{side.framework_title}.")
        for sentence in side_notes(c, key):
            page.text(sentence)
    if c.crosswalk:
        page.text(f"The two editions are paired through the crosswalk {c.crosswalk}.")
    for sentence in level_mapping_sentences(c):
        page.text(sentence)
    page.text(counts_sentence(c))
    page.heading("Areas")
    rows = []
    for area in (x for x in c.areas if x.group is not None):
        agreed = joint_agreed(area.a, area.b)
        rows.append([area_name(c, area), claim_text(a_title, area.a), a_title[area.a.evidence],
                     claim_text(b_title, area.b), b_title[area.b.evidence],
                     " / ".join(b_title[v.value] for v in agreed) or "-",
                     {None: "not both claimed", True: "yes", False: "no"}[area.same_claim],
                     ", ".join(DISAGREEMENT_LABELS[k] for k in area.disagreement) or "-"])
    page.table(["Area", f"{wa} claims", f"Evidence ({wa})", f"{wb} claims", f"Evidence ({wb})", "Agreed",
                "Same claim?", "Where levels differ, why"], rows)
    reasons = [[area_name(c, x), x.a.note or "-", x.b.note or "-",
                " / ".join(v.reason for v in joint_agreed(x.a, x.b)) or "-"]
               for x in c.areas if x.group is not None and (x.a.note or x.b.note or x.a.agreed or x.b.agreed)]
    if reasons:
        page.heading("Reasons given")
        page.table(["Area", f"{wa}'s note", f"{wb}'s note", "Agreed, because"], reasons)
    page.heading("Agreement")
    page.table(["Between", "Areas", "Same level", "Agreement", "Weighted kappa", "Note"], agreement_rows(c))
    page.text("Only areas both views judged count: an area a side did not claim is left out, not counted as "
              "agreement. Kappa is Cohen's kappa with linear weights over the ordered levels: 1 is full "
              "agreement, 0 is what chance alone would give, and a one-level difference counts as partly agreeing.")
    differing = [cc for cc in c.criteria if cc.comparable and (cc.disagreement or cc.a.note or cc.b.note
                                                                or cc.a.agreed or cc.b.agreed)]
    page.heading("Criteria judged differently, or with notes")
    if not c.counts.criteria_compared:
        page.text("No criteria could be compared: see 'Not comparable' below.")
    elif not differing:
        page.text("None: both sides reach the same outcome on every criterion.")
    else:
        page.table(["Criterion", wa, wb, "Why", "Notes", f"Evidence {wa} relied on", f"Evidence {wb} relied on"], [
            [criterion_name(cc), outcome_text(cc.a.outcome, cc.a.claim), outcome_text(cc.b.outcome, cc.b.claim),
             why_words(c, cc.disagreement, cc.side, cc.explanation) if cc.disagreement else "same outcome",
             _notes(c, cc), _used(cc.a.evidence), _used(cc.b.evidence)] for cc in differing])
    agreed_rows = [[area_name(c, x), b_title[v.value], v.reason] for x in c.areas if x.group is not None
                   for v in joint_agreed(x.a, x.b)]
    agreed_rows += [[criterion_name(cc), OUTCOME_LABELS.get(v.value, str(v.value)), v.reason] for cc in c.criteria
                    for v in joint_agreed(cc.a, cc.b)]
    if agreed_rows:
        page.heading("Agreed after the peer challenge")
        page.table(["Area or criterion", "Agreed", "Reason"], agreed_rows)
    for key in SIDES:
        record = getattr(c, key).record
        if record is not None:
            _record_sections(page, c, key, record)
    waivers = waiver_table_rows(c)
    if waivers:
        page.heading("Waivers")
        page.table(WAIVER_HEADERS, waivers)
    if local_criteria(c):
        page.heading("Local criteria")
        page.table(LOCAL_HEADERS, local_rows(c))
    lone = [(area_name(c, x), x) for x in c.areas if x.group is None]
    lone += [(criterion_name(x), x) for x in c.criteria if not x.comparable and not x.local_only]
    if lone:
        page.heading("Not comparable")
        for name, x in lone:
            where = c.a.framework_title if x.relation == "only_a" else c.b.framework_title
            extra = f" ({x.note})" if x.note and not x.note.startswith("only in") else ""
            item = f"{name}: only in {where}{extra}"
            page.text(f"- {markdown_escape(item) if page.markdown else item}")
    return page.render()


def about_title(c: Comparison, side: str, ident: str) -> str:
    """The title of the area or criterion a record entry is about, on one side."""
    for x in [*c.areas, *c.criteria]:
        view = getattr(x, side)
        if view is not None and view.id == ident:
            return view.title
    return ident


def _record_sections(page: Page, c: Comparison, side_key: str, record) -> None:  # noqa: ANN001
    page.heading(f"The record of the challenge ({side_word(c, side_key)})")

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


def _notes(c: Comparison, cc) -> str:  # noqa: ANN001
    parts = [f"{side_word(c, k)}: {getattr(cc, k).note}" for k in SIDES if getattr(cc, k).note]
    parts += [f"{side_word(c, k)} saw on the visit: {'; '.join(getattr(cc, k).seen_on_visit)}" for k in SIDES
              if getattr(cc, k).seen_on_visit]
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
        if step.levels:
            before, after = t.dates.index(step.before), t.dates.index(step.after)
            page.text("Levels that moved, and why:")
            page.table(["Area", "Before", "After", "Why"],
                       [[x.title, titles[before][x.before], titles[after][x.after],
                         "; and ".join(r.text for r in x.reasons)] for x in step.levels])
        edition = [ch for ch in step.not_comparable if not ch.local]
        local = [ch for ch in step.not_comparable if ch.local]
        if edition:
            page.text(f"Not comparable, because one edition has no counterpart ({len(edition)}): "
                      + "; ".join(f"{ch.title} ({ch.edition_change})" for ch in edition) + ".")
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
