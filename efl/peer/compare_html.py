"""The peer feedback report: ``efl compare A B --format html``.

One self-contained page that carries a peer team from the evidence to its feedback (eflg-facts §6:
an agreed view per area, good practice, what to consider, recommendations): per area both
claims with their notes, what the evidence supports on each date, the level agreed and why, the
criteria judged differently, the questions put to the council and their outcome, the evidence
asked for, and the actions agreed, then the sign-off.

Accessible as the assess report is (WCAG 2.2 AA): ``lang``, landmarks, a skip link, one h1 and a
heading outline, tables with captions and header cells with ``scope``, and every status written
in words, so no meaning rests on colour. No script, font or network request; everything from the
folders is escaped.
"""

from __future__ import annotations

from html import escape

from efl.peer.compare import DISAGREEMENT_LABELS, AreaComparison, Comparison, CriterionComparison, PeerRecord
from efl.peer.compare_report import (_titles, agreement_rows, area_name, counts_sentence, criterion_name,
                             level_mapping_sentences, outcome_text, pair_title, side_notes, waiver_table_rows,
                             why_words)
from efl.core.models import OUTCOME_LABELS
from efl.reports.report_text import report_style

STYLE = report_style(64)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A table with a caption, column headers and each row's first cell as its header (cells escaped)."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{c}</td>" for c in row[1:]) + "</tr>"
                   for row in rows)
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _about(record_side: str, row: AreaComparison, criteria: list[CriterionComparison]) -> set[str]:
    """The ids a record entry may name to be about this area row: the area and its criteria."""
    area = getattr(row, f"{record_side}_id")
    ids = {area} if area else set()
    ids |= {getattr(c, f"{record_side}_id") for c in criteria if getattr(c, f"{record_side}_area") == area}
    return {i for i in ids if i}


def _area_section(c: Comparison, row: AreaComparison, index: int) -> str:
    a_titles, b_titles = _titles(c.a_levels), _titles(c.b_levels)
    name = area_name(c, row)
    out = [f'<section aria-labelledby="area-{index}"><h2 id="area-{index}">{_e(name)}</h2>']
    claims = []
    for side, titles in (("a", a_titles), ("b", b_titles)):
        label = getattr(c, side).label
        claimed = getattr(row, f"{side}_claimed")
        note = getattr(row, f"{side}_note")
        seen = getattr(row, f"{side}_seen_on_visit")
        claims.append([_e(f"{label} ({getattr(c, side).role}, {getattr(c, side).date})"),
                       _e(titles[claimed]) if claimed else "no level claimed",
                       _e(note or "-") + (_e(f" Seen on the visit: {'; '.join(seen)}.") if seen else ""),
                       _e(titles[getattr(row, f"{side}_evidence")])])
    out.append(_table(f"Claims and the evidence: {name}", ["Side", "Level claimed", "Their reasons",
                                                           "Level the evidence supports on that date"], claims))
    agreed = [v for v in (row.a_agreed, row.b_agreed) if v is not None]
    if agreed:
        for view in agreed:
            out.append(f"<p><strong>Agreed after the challenge: {_e(b_titles.get(view.value, view.value))}.</strong> "
                       f"{_e(view.reason)}</p>")
    else:
        out.append("<p>No level has been agreed for this area yet.</p>")
    if row.disagreement:
        out.append("<p>Why the levels differ: " + _e(", ".join(DISAGREEMENT_LABELS[k] for k in row.disagreement))
                   + ".</p>")
    criteria = [x for x in c.criteria if x.comparable and (x.a_area == row.a_id or x.b_area == row.b_id)]
    differing = [x for x in criteria if x.disagreement or x.a_note or x.b_note or x.a_agreed or x.b_agreed]
    if differing:
        rows = []
        for x in differing:
            agreed_x = [v for v in (x.a_agreed, x.b_agreed) if v is not None]
            rows.append([_e(criterion_name(x)), _e(outcome_text(x.a_outcome, x.a_claim)), _e(outcome_text(x.b_outcome, x.b_claim)),
                         _e(why_words(c, x.disagreement, x.side, x.explanation) if x.disagreement else "same outcome"),
                         _e(" ".join(f"{lab}: {n}" for lab, n in (("A", x.a_note), ("B", x.b_note)) if n) or "-"),
                         _e("; ".join(f"{OUTCOME_LABELS.get(v.value, v.value)}: {v.reason}" for v in agreed_x) or "-")])
        out.append(_table(f"Criteria judged differently or with notes: {name}",
                          ["Criterion", "A", "B", "Why they differ", "Notes", "Agreed"], rows))
    for side in ("a", "b"):
        record: PeerRecord | None = getattr(c, f"{side}_record")
        if record is None:
            continue
        ids = _about(side, row, criteria)
        titles = {getattr(x, f"{side}_id"): getattr(x, f"{side}_title") for x in criteria}
        titles[getattr(row, f"{side}_id")] = getattr(row, f"{side}_title")
        questions = [q for q in record.challenges if q.about in ids]
        if questions:
            out.append(_table(f"Questions put to the council: {name}", ["Question", "About", "Response", "Status"],
                              [[_e(q.question), _e(titles.get(q.about, q.about)), _e(q.response or "no response yet"),
                                _e(q.status.replace("_", " "))] for q in questions]))
        requests = [r for r in record.evidence_requests if r.about in ids]
        if requests:
            out.append(_table(f"Evidence asked for: {name}", ["Evidence", "About", "Asked for", "Received"],
                              [[_e(r.what), _e(titles.get(r.about, r.about)), _e(r.requested.isoformat()),
                                _e(r.received.isoformat() if r.received else "not yet")
                                + (_e(f" ({r.note})") if r.note else "")] for r in requests]))
        actions = [x for x in record.agreed_actions if x.about in ids]
        if actions:
            out.append(_table(f"Actions agreed: {name}", ["Action", "About", "Owner", "Due"],
                              [[_e(x.what), _e(titles.get(x.about, x.about)), _e(x.owner), _e(x.due.isoformat())]
                               for x in actions]))
    out.append("</section>")
    return "".join(out)


def _sign_off(c: Comparison) -> str:
    out = ['<section aria-labelledby="sign-off"><h2 id="sign-off">Sign-off</h2>']
    records = [(getattr(c, s).label, getattr(c, f"{s}_record")) for s in ("a", "b")]
    signed = [(label, r.sign_off) for label, r in records if r is not None and r.sign_off is not None]
    if not signed:
        out.append("<p>This record has not been signed off by the lead peer or the council.</p>")
    for label, sign in signed:
        rows = []
        for who, sig in (("Lead peer", sign.lead_peer), ("For the council", sign.council)):
            rows.append([_e(who), _e(sig.name) if sig else "not signed",
                         _e(sig.role or "-") if sig else "-", _e(sig.date.isoformat()) if sig else "-"])
        out.append(_table(f"Sign-off of the record kept with {label}", ["Who", "Name", "Role", "Date"], rows))
    out.append("</section>")
    return "".join(out)


def render_pair_html(c: Comparison) -> str:
    title = pair_title(c)
    rows = [x for x in c.areas if x.group is not None]
    a_titles, b_titles = _titles(c.a_levels), _titles(c.b_levels)
    summary = ['<section aria-labelledby="summary"><h2 id="summary">Summary</h2>']
    sides = "".join(f"<li>{_e(s.label)}: {_e(s.council)}, {_e(s.role)} assessment dated {_e(s.date)} by "
                    f"{_e(s.assessor or 'not recorded')}, against {_e(s.framework_title)}"
                    + (f"; evidence read from {_e(s.evidence_from)}" if s.evidence_from else "") + ".</li>"
                    for s in (c.a, c.b))
    summary.append(f"<ul>{sides}</ul>")
    for sentence in [*side_notes(c.a), *side_notes(c.b)]:
        summary.append(f'<p role="note"><strong>{_e(sentence)}</strong></p>')
    for sentence in [counts_sentence(c), *level_mapping_sentences(c)]:
        summary.append(f"<p>{_e(sentence)}</p>")
    if rows:
        summary.append(_table("Levels by area", ["Area", "A claims", "Evidence (A)", "B claims", "Evidence (B)",
                                                 "Agreed", "Why the levels differ"],
                              [[_e(area_name(c, x)), _e(a_titles[x.a_claimed]) if x.a_claimed else "-",
                                _e(a_titles[x.a_evidence]), _e(b_titles[x.b_claimed]) if x.b_claimed else "-",
                                _e(b_titles[x.b_evidence]),
                                _e(" / ".join(b_titles.get(v.value, v.value) for v in (x.a_agreed, x.b_agreed) if v))
                                or "-", _e(", ".join(DISAGREEMENT_LABELS[k] for k in x.disagreement) or "-")]
                               for x in rows]))
    summary.append(_table("How often the views agree", ["Between", "Areas", "Same level", "Agreement",
                                                        "Weighted kappa", "Note"],
                          [[_e(cell) for cell in r] for r in agreement_rows(c)]))
    summary.append("<p>Only areas both views judged count: an area a side did not claim is left out. Kappa is "
                   "Cohen's kappa with linear weights: 1 is full agreement, 0 is what chance alone would give.</p>")
    summary.append("</section>")
    sections = ["".join(summary)] + [_area_section(c, x, i) for i, x in enumerate(rows, 1)]
    waivers = waiver_table_rows(c)
    local = [x for x in c.criteria if x.local_only]
    if waivers or local:
        extra = ['<section aria-labelledby="local"><h2 id="local">Waivers and local criteria</h2>']
        if waivers:
            extra.append(_table("Waivers", ["Criterion", "Side", "Waiver", "Reason", "Approved by"],
                                [[_e(cell) for cell in row] for row in waivers]))
        if local:
            extra.append("<p>These criteria are the council's own, added by its local tailoring: they are not a "
                         "difference from the edition.</p>")
            extra.append(_table("Local criteria", ["Criterion", "Side", "Outcome", "Local"],
                                [[_e(criterion_name(x)), "A" if x.relation == "only_a" else "B",
                                  _e(OUTCOME_LABELS.get(x.a_outcome or x.b_outcome, "-")), _e(x.a_local or x.b_local)]
                                 for x in local]))
        extra.append("</section>")
        sections.append("".join(extra))
    lone = [x for x in c.areas if x.group is None]
    lone_criteria = [x for x in c.criteria if not x.comparable and not x.local_only]
    if lone or lone_criteria:
        items = [f"<li>{_e(x.a_title or x.b_title)}: only in {'A' if x.relation == 'only_a' else 'B'}'s edition</li>"
                 for x in lone]
        items += [f"<li>{_e(criterion_name(x))}: only in {'A' if x.relation == 'only_a' else 'B'}'s edition</li>"
                  for x in lone_criteria]
        sections.append('<section aria-labelledby="not-comparable"><h2 id="not-comparable">Not comparable</h2>'
                        f"<ul>{''.join(items)}</ul></section>")
    sections.append(_sign_off(c))
    nav = ('<nav aria-label="Contents"><ul><li><a href="#summary">Summary</a></li>'
           + "".join(f'<li><a href="#area-{i}">{_e(area_name(c, x))}</a></li>' for i, x in enumerate(rows, 1))
           + ('<li><a href="#local">Waivers and local criteria</a></li>' if waivers or local else "")
           + ('<li><a href="#not-comparable">Not comparable</a></li>' if lone or lone_criteria else "")
           + '<li><a href="#sign-off">Sign-off</a></li></ul></nav>')
    return ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to the report</a>\n'
            f"<header><h1>{_e(title)}</h1><p>Peer feedback: both sides' claims and reasons, what the evidence "
            "supports, what was agreed and what happens next.</p>" + nav + "</header>\n"
            f'<main id="main">\n{"".join(sections)}\n</main>\n'
            "<footer><p>Made with efl. The levels the evidence supports are worked out from the files; claims, "
            "notes and agreements are the people's own words.</p></footer>\n</body>\n</html>\n")
