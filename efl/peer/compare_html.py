"""The peer feedback report: ``efl compare COUNCIL PEER --format html``.

Shaped like the LGA's equality peer challenge reports (the written report after the on-site visit:
eflg-facts §6) and its corporate peer challenge reports: a plain summary that states the agreed
overall level and whether the team agrees with the council's self-assessment; the team and their
roles, the scope and who was met; per area the agreed level with its reasons, strengths and areas
for consideration; numbered recommendations; the agreed actions with owners and dates; next steps;
the sign-off; and the methods (agreement, kappa, the criteria judged differently) in an annex.
The council and the team are named, never "A" and "B"; no ids, file paths or hashes in sentences.

Accessible as the assess report is (WCAG 2.2 AA): ``lang``, landmarks, a skip link, one h1 and a
heading outline, tables with captions and header cells with ``scope``, every level in words, and
nothing wider than a phone's screen (long words wrap; no table needs sideways scrolling). No
script, font or network request; everything from the folders is escaped.
"""

from __future__ import annotations

from html import escape

from efl.core.models import OUTCOME_LABELS
from efl.peer.compare import SIDES, AreaComparison, Comparison, Side
from efl.peer.compare_report import (LOCAL_HEADERS, WAIVER_HEADERS, _kappa, _titles, counts_sentence,
                                     criterion_name, level_mapping_sentences, local_criteria, local_rows, side_notes,
                                     waiver_table_rows)
from efl.reports.report_text import and_list, long_date, report_style

# On a phone a table of four or six columns leaves each a few letters wide, so each row becomes a
# block: its first cell as a heading, then every other cell after its column's name. The column
# names are drawn from data-label with empty alternative text ("/ ''"), so a screen reader, which
# still has the table (the ARIA roles keep it when the display changes), hears each header once.
STYLE = report_style(60) + """
th, td { overflow-wrap: break-word; }
.lead { font-size: 1.2rem; }
.level { font-weight: bold; }
ol.recommendations li { margin-bottom: 0.5rem; }
@media (max-width: 40em) {
  h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; }
  table, caption, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  tbody tr { border-top: 1px solid #b1b4b6; padding: 0.5rem 0; }
  tbody tr:last-child { border-bottom: 1px solid #b1b4b6; }
  tbody th, tbody td { border: 0; padding: 0.1rem 0; background: none; }
  tbody td::before { content: attr(data-label) ": "; content: attr(data-label) ": " / ""; font-weight: bold; }
}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A table with a caption, column headers and each row's first cell as its header (cells escaped)."""
    head = "".join(f'<th scope="col" role="columnheader">{_e(h)}</th>' for h in headers)
    body = "".join('<tr role="row">' + f'<th scope="row" role="rowheader">{_e(row[0])}</th>'
                   + "".join(f'<td role="cell" data-label="{_e(h)}">{_e(c)}</td>' for h, c in zip(headers[1:], row[1:]))
                   + "</tr>" for row in rows)
    return (f'<table role="table"><caption>{_e(caption)}</caption><thead role="rowgroup"><tr role="row">{head}</tr>'
            f'</thead><tbody role="rowgroup">{body}</tbody></table>')


def _list(items: list[str], ordered: bool = False, cls: str = "") -> str:
    tag = "ol" if ordered else "ul"
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{_e(i)}</li>" for i in items) + f"</{tag}>"


class _Report:
    """Which side is the council's self-assessment and which the peer team's judgement."""

    def __init__(self, c: Comparison):
        self.c = c
        self.pk = "b" if c.b.role == "peer" or c.a.role != "peer" else "a"
        self.ck = "a" if self.pk == "b" else "b"
        self.peer: Side = getattr(c, self.pk)
        self.council: Side = getattr(c, self.ck)
        self.titles = _titles(self.peer.levels)
        self.council_titles = _titles(self.council.levels)
        self.record = self.peer.record or self.council.record
        self.feedback = self.record.feedback if self.record else None
        self.rows = [x for x in c.areas if x.group is not None]

    def view(self, row: AreaComparison, key: str):  # noqa: ANN201
        return getattr(row, self.pk if key == "peer" else self.ck)

    def agreed(self, row: AreaComparison):  # noqa: ANN201
        return self.view(row, "peer").agreed or self.view(row, "council").agreed

    def rank(self, level: str | None) -> int:
        return self.peer.level_rank(level)

    def lowest(self, levels: list[str | None]) -> str | None:
        return self.peer.lowest(levels)

    @property
    def team(self) -> str:
        members = self.feedback.team if self.feedback else []
        lead = next((m for m in members if "lead" in m.role.lower()), None)
        return f"a peer team led by {lead.name}" if lead else self.peer.name

    def visit_words(self) -> str:
        visit = self.feedback.visit if self.feedback else None
        if visit is None:
            return f"on {long_date(_date(self.peer.date))}"
        if visit.start == visit.end:
            return f"on {long_date(visit.start)}"
        return f"from {long_date(visit.start)} to {long_date(visit.end)}"


def _date(text: str):  # noqa: ANN202
    import datetime as dt

    return dt.date.fromisoformat(text)


def _summary(r: _Report) -> str:
    c, out = r.c, ['<section aria-labelledby="summary"><h2 id="summary">Summary</h2>']
    agreed = [r.agreed(x) for x in r.rows]
    council_views = [r.view(x, "council") for x in r.rows]
    if r.rows and all(agreed):
        overall = r.lowest([a.value for a in agreed])
        out.append(f'<p class="lead">The peer team and the council agreed that {_e(c.b.council)} is at '
                   f'<span class="level">{_e(r.titles[overall])}</span> overall: the lowest level agreed in any '
                   f"area.</p>")
    else:
        peer_views = [r.view(x, "peer") for x in r.rows]
        overall = r.lowest([v.claimed for v in peer_views]) if r.rows and all(v.judged for v in peer_views) else None
        out.append(f'<p class="lead">No overall level has been agreed yet. The peer team judged {_e(c.b.council)} '
                   f'to be at <span class="level">{_e(r.titles[overall])}</span> overall.</p>')
    if council_views and all(v.judged for v in council_views):
        claimed = r.lowest([v.claimed for v in council_views])
        lower = [x for x, a in zip(r.rows, agreed) if a and r.rank(a.value) < r.rank(r.view(x, "council").claimed)]
        higher = [x for x, a in zip(r.rows, agreed) if a and r.rank(a.value) > r.rank(r.view(x, "council").claimed)]
        if not lower and not higher and r.rank(claimed) == r.rank(overall):
            verdict = "The peer team agrees with the self-assessment in every area."
        else:
            parts = []
            if lower:
                parts.append(f"a lower level in {len(lower)} of {len(r.rows)} areas ("
                             + _names([r.view(x, "peer").title for x in lower]) + ")")
            if higher:
                parts.append(f"a higher level in {len(higher)} ("
                             + _names([r.view(x, "peer").title for x in higher]) + ")")
            verdict = ("The peer team does not agree with the self-assessment: it agreed " + " and ".join(parts) + "."
                       if parts else "The peer team agrees with the self-assessment's overall level.")
        out.append(f"<p>The council assessed itself as {_e(r.council_titles[claimed])} overall. {_e(verdict)}</p>")
    else:
        out.append("<p>The council did not claim a level in every area, so its overall self-assessment is not "
                   "known.</p>")
    evidence = r.lowest([r.view(x, "peer").evidence for x in r.rows]) if r.rows else None
    out.append(f"<p>On the last day of the challenge ({_e(long_date(_date(r.peer.date)))}) the council's evidence, "
               f"tested against the framework, supports {_e(r.titles[evidence])} overall; where the agreed level "
               "differs, each area says why.</p>")
    for key in SIDES:
        side = getattr(c, key)
        who = (f"The council's self-assessment of {long_date(_date(side.date))}" if side.role == "self"
               else f"The peer team's judgement of {long_date(_date(side.date))}")
        for sentence in side_notes(c, key, who):
            out.append(f'<p role="note"><strong>{_e(sentence)}</strong></p>')
    if r.feedback and r.feedback.summary:
        out.append(f"<p>{_e(r.feedback.summary)}</p>")
    recs = _recommendations(r)
    actions = r.record.agreed_actions if r.record else []
    out.append(f"<p>The team makes {len(recs)} recommendation{'s' if len(recs) != 1 else ''}, and the council and "
               f"the team agreed {len(actions)} action{'s' if len(actions) != 1 else ''} with owners and dates.</p>")
    out.append(_table("Levels by area", ["Area", "Council's self-assessment", "Agreed level",
                                         "What the evidence supports"],
                      [[r.view(x, "peer").title,
                        r.council_titles[r.view(x, "council").claimed] if r.view(x, "council").judged else "not claimed",
                        r.titles.get(r.agreed(x).value, r.agreed(x).value) if r.agreed(x) else "not agreed yet",
                        r.titles[r.view(x, "peer").evidence]] for x in r.rows]))
    out.append("</section>")
    return "".join(out)


def _names(names: list[str]) -> str:
    return and_list(names, semicolons=any("," in n for n in names))


def _team(r: _Report) -> str:
    out = ['<section aria-labelledby="team"><h2 id="team">The peer team and the challenge</h2>']
    fb = r.feedback
    if fb and fb.team:
        out.append(_table("The peer team", ["Name", "Role", "Organisation"],
                          [[m.name, m.role or "-", m.organisation or "-"] for m in fb.team]))
    else:
        out.append(f"<p>The peer team: {_e(r.team)}.</p>")
    out.append(f"<p>The team was on site {_e(r.visit_words())}. It read the council's self-assessment of "
               f"{_e(long_date(_date(r.council.date)))} and the evidence in its folder, against "
               f"{_e(r.peer.framework_title)}.</p>")
    if fb and fb.scope:
        out.append(f"<h3>Scope</h3><p>{_e(fb.scope)}</p>")
    if fb and fb.met:
        out.append("<h3>Who the team met</h3>" + _list(fb.met))
    out.append("</section>")
    return "".join(out)


def local_section(c: Comparison) -> str:
    """The council's own choices that change criteria: waivers it approved and its local criteria."""
    waivers, local = waiver_table_rows(c), local_criteria(c)
    if not waivers and not local:
        return ""
    out = ['<section aria-labelledby="local"><h2 id="local">Waivers and local criteria</h2>']
    if waivers:
        out.append("<p>A waiver the council approved makes a criterion not applicable while it lasts.</p>"
                   + _table("Waivers", WAIVER_HEADERS, waivers))
    if local:
        out.append("<p>These criteria are the council's own, added by its local tailoring: they are not a "
                   "difference from the edition.</p>" + _table("Local criteria", LOCAL_HEADERS, local_rows(c)))
    out.append("</section>")
    return "".join(out)


# Why two views of an area differ, in words a council's chief executive reads without a glossary.
WHY_WORDS = {
    "claim_above_evidence": "a claim above what that view's own evidence supports",
    "claim_below_evidence": "a claim below what that view's own evidence supports",
    "seen_on_visit": "a judgement that rests on evidence seen during the visit, which is not in the council's files",
    "waived": "a waiver the council approved",
    "local_criterion": "the council's own local tests or thresholds",
    "assumed": "a figure a what-if assumed",
    "different_dates": "the later date, which changed the test's outcome",
    "changed_criterion": "a test worded differently in the two editions of the framework",
    "different_settings": "assessments set up differently (their period, the council's size or local characteristics)",
    "stale_evidence": "evidence that was out of date on one date",
    "missing_evidence": "evidence one view had and the other did not",
    "different_evidence": "different evidence on each side",
    "different_reading": "the same evidence read differently",
    "one_edition_only": "tests that only one edition of the framework has",
    "no_criterion_differs": "no single test: the levels differ without any test's outcome differing",
}


def _why_differ(r: _Report, row: AreaComparison) -> list[str]:
    """Why the council's and the team's views of an area differ: each claim that departs from its own
    evidence, then each test whose difference moves the levels apart, with what made it differ."""
    if not row.disagreement:  # the views agree: a claim both made below the evidence is no difference
        return []
    out = []
    for key, who, verb, titles in ((r.ck, "The council", "claimed", r.council_titles),
                                   (r.pk, "The peer team", "judged", r.titles)):
        view, side = getattr(row, key), getattr(r.c, key)
        ranks = [lv.id for lv in side.levels]
        rank = lambda lv: ranks.index(lv) + 1 if lv in ranks else 0  # noqa: E731
        if view.judged and rank(view.claimed) != rank(view.evidence):
            out.append(f"{who} {verb} {titles[view.claimed]}, but the evidence on {long_date(_date(side.date))} "
                       f"supports {titles[view.evidence]}.")
    for ref in row.because_of:
        key, ident = ref.split(":", 1)
        cc = next((x for x in r.c.criteria if getattr(x, key) is not None and getattr(x, key).id == ident), None)
        if cc is not None and cc.disagreement:
            text = f"'{getattr(cc, key).title}' differs because of {WHY_WORDS[cc.disagreement]}"
            out.append(text + (f": {cc.explanation}." if cc.explanation else "."))
    # A reason no claim or named test accounts for (a test only one edition has, say) is said as it is.
    named = {"claim_above_evidence", "claim_below_evidence"} | {
        x.disagreement for x in r.c.criteria for ref in row.because_of
        if getattr(x, ref[0]) is not None and getattr(x, ref[0]).id == ref[2:]}
    out += [_capital(WHY_WORDS[k]) + "." for k in row.disagreement if k not in named]
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _agreement_rows(r: _Report) -> list[list[str]]:
    """The agreement table's rows, each view named as people call it, with its date in words."""
    c = r.c

    def view(key: str) -> str:
        return "The council's self-assessment" if key == r.ck else "The peer team's judgement"

    def on(key: str) -> str:
        return long_date(_date(getattr(c, key).date))

    between = {"a_b": f"{view(r.ck)} and the peer team's judgement",
               "a_evidence": f"{view('a')} and the evidence on {on('a')}",
               "b_evidence": f"{view('b')} and the evidence on {on('b')}",
               "evidence": f"The evidence on {on('a')} and on {on('b')}"}
    return [[between[g.between], str(g.items), str(g.same), "-" if g.rate_pct is None else f"{g.rate_pct:g}%",
             _kappa(g.kappa), g.note or "-"] for g in c.agreement]


def _strengths(r: _Report, row: AreaComparison) -> tuple[list[str], list[str], bool]:
    """The team's strengths and areas for consideration, or, where it wrote none, what the evidence shows."""
    fb = r.feedback
    findings = fb.areas.get(r.view(row, "peer").id) if fb else None
    if findings and (findings.strengths or findings.consider):
        return findings.strengths, findings.consider, True
    criteria = [x for x in r.c.criteria if x.comparable and getattr(x, r.pk).area == r.view(row, "peer").id]
    met = [getattr(x, r.pk).title for x in criteria if getattr(x, r.pk).judged in ("met", "not_applicable")]
    gaps = [getattr(x, r.pk).title for x in criteria if getattr(x, r.pk).judged not in ("met", "not_applicable")]
    return met[:5], gaps[:5], False


def _area(r: _Report, row: AreaComparison, index: int) -> str:
    peer, council = r.view(row, "peer"), r.view(row, "council")
    name = peer.title
    out = [f'<section aria-labelledby="area-{index}"><h2 id="area-{index}">{_e(name)}</h2>']
    agreed = r.agreed(row)
    claimed = r.council_titles[council.claimed] if council.judged else "no level"
    if agreed:
        out.append(f'<p>Agreed level: <span class="level">{_e(r.titles.get(agreed.value, agreed.value))}</span>. '
                   f"{_e(agreed.reason)}</p>")
    else:
        out.append("<p>No level has been agreed for this area yet.</p>")
    out.append(f"<p>The council claimed {_e(claimed)}; the peer team judged "
               f"{_e(r.titles[peer.claimed]) if peer.judged else 'no level'}; the evidence supports "
               f"{_e(r.titles[peer.evidence])} on the last day of the challenge.</p>")
    notes = [[who, view.note or "-"] for who, view in (("The council", council), ("The peer team", peer))
             if view.note or view.seen_on_visit]
    for item in notes:
        seen = (council if item[0] == "The council" else peer).seen_on_visit
        item[1] += (f" Seen on the visit: {'; '.join(seen)}." if seen else "")
    if notes:
        out.append(_table(f"Reasons each side gave: {name}", ["Who", "Their reasons"], notes))
    differ = _why_differ(r, row)
    if differ:
        out.append("<h3>Why the views differ</h3>" + _list(differ))
    strengths, consider, own = _strengths(r, row)
    source = "" if own else " (from the evidence: the team wrote none)"
    out.append(f"<h3>Strengths{_e(source)}</h3>" + (_list(strengths) if strengths else "<p>None recorded.</p>"))
    out.append(f"<h3>Areas for consideration{_e(source)}</h3>"
               + (_list(consider) if consider else "<p>None recorded.</p>"))
    if r.record:
        ids = {peer.id} | {getattr(x, r.pk).id for x in r.c.criteria if x.comparable and getattr(x, r.pk).area == peer.id}
        questions = [q for q in r.record.challenges if q.about in ids]
        if questions:
            out.append("<h3>Questions put to the council</h3>" + _table(
                f"Questions put to the council: {name}", ["Question", "The council's response", "Where it stands"],
                [[q.question, q.response or "no response yet", q.status.replace("_", " ")] for q in questions]))
        requests = [x for x in r.record.evidence_requests if x.about in ids]
        if requests:
            out.append("<h3>Evidence the team asked for</h3>" + _table(
                f"Evidence asked for: {name}", ["Evidence", "Asked for", "Received"],
                [[x.what, long_date(x.requested), long_date(x.received) if x.received else "not yet"] for x in requests]))
    out.append("</section>")
    return "".join(out)


def _recommendations(r: _Report) -> list[str]:
    if r.feedback and r.feedback.recommendations:
        return [x.text for x in r.feedback.recommendations]
    return [x.what for x in (r.record.agreed_actions if r.record else [])]


def _about(r: _Report, ident: str | None) -> str:
    if ident is None:
        return "the council as a whole"
    for x in [*r.c.areas, *r.c.criteria]:
        view = getattr(x, r.pk)
        if view is not None and view.id == ident:
            return view.title
    return ident


def _actions_and_next_steps(r: _Report) -> str:
    out = ['<section aria-labelledby="recommendations"><h2 id="recommendations">Recommendations</h2>']
    recs = _recommendations(r)
    if recs:
        out.append("<p>The peer team recommends that the council:</p>" + _list(recs, ordered=True, cls="recommendations"))
    else:
        out.append("<p>The peer team made no recommendations.</p>")
    out.append("</section>")
    actions = r.record.agreed_actions if r.record else []
    out.append('<section aria-labelledby="actions"><h2 id="actions">Agreed actions</h2>')
    if actions:
        out.append(_table("Actions the council and the peer team agreed", ["Action", "About", "Owner", "Due"],
                          [[x.what, _about(r, x.about), x.owner, long_date(x.due)] for x in actions]))
    else:
        out.append("<p>No actions have been agreed yet.</p>")
    out.append("</section>")
    steps = r.feedback.next_steps if r.feedback else ""
    out.append('<section aria-labelledby="next-steps"><h2 id="next-steps">Next steps</h2>'
               f"<p>{_e(steps or 'The council will consider this report and agree an action plan with the peer team.')}"
               "</p></section>")
    return "".join(out)


def _sign_off(r: _Report) -> str:
    out = ['<section aria-labelledby="sign-off"><h2 id="sign-off">Sign-off</h2>']
    sign = r.record.sign_off if r.record else None
    if sign is None:
        out.append("<p>This record has not been signed off by the lead peer or the council.</p>")
    else:
        rows = [[who, sig.name if sig else "not signed", (sig.role or "-") if sig else "-",
                 long_date(sig.date) if sig else "-"]
                for who, sig in (("Lead peer", sign.lead_peer), ("For the council", sign.council))]
        out.append(_table("Sign-off of this record", ["Who", "Name", "Role", "Date"], rows))
    out.append("</section>")
    return "".join(out)


def _annex(r: _Report) -> str:
    c = r.c
    out = ['<section aria-labelledby="annex"><h2 id="annex">Annex: how the judgements were compared</h2>',
           "<p>efl worked out, from the council's evidence files, which criteria of the framework are met, and so "
           "the level each area reaches; the council's claims, the team's judgement and what was agreed are the "
           "people's own. This annex compares them.</p>"]
    for sentence in [counts_sentence(c), *level_mapping_sentences(c)]:
        out.append(f"<p>{_e(sentence)}</p>")
    out.append(_table("How often the views put an area at the same level",
                      ["Between", "Areas", "Same level", "Agreement", "Weighted kappa", "Note"], _agreement_rows(r)))
    out.append("<p>Only areas both views judged count. Weighted kappa (Cohen's kappa with linear weights over the "
               "ordered levels) is 1 when the views always agree, 0 when they agree no more than chance would, and "
               "counts a one-level difference as partly agreeing; on a handful of areas it is a rough guide.</p>")
    differing = [x for x in c.criteria if x.comparable and x.disagreement]
    if differing:
        out.append("<h3>Criteria judged differently</h3>" + _table(
            "Criteria the council and the peer team judged differently",
            ["Criterion", "The council", "The peer team", "Why"],
            [[criterion_name(x), _outcome(getattr(x, r.ck)), _outcome(getattr(x, r.pk)),
              _capital(WHY_WORDS[x.disagreement]) + (f": {x.explanation}" if x.explanation else "")]
             for x in differing]))
    out.append("</section>")
    return "".join(out)


def _outcome(view) -> str:  # noqa: ANN001
    shown = OUTCOME_LABELS.get(view.outcome, view.outcome)
    if view.claim and view.claim != view.outcome:
        shown += f" (claims {OUTCOME_LABELS.get(view.claim, view.claim)})"
    return shown


def render_pair_html(c: Comparison) -> str:
    r = _Report(c)
    title = f"{c.b.council}: equality peer challenge feedback report"
    sections = [_summary(r), _team(r)] + [_area(r, x, i) for i, x in enumerate(r.rows, 1)]
    local = local_section(c)
    sections += [local, _actions_and_next_steps(r), _sign_off(r), _annex(r)]
    nav = ('<nav aria-label="Contents"><ul><li><a href="#summary">Summary</a></li>'
           '<li><a href="#team">The peer team and the challenge</a></li>'
           + "".join(f'<li><a href="#area-{i}">{_e(r.view(x, "peer").title)}</a></li>' for i, x in enumerate(r.rows, 1))
           + ('<li><a href="#local">Waivers and local criteria</a></li>' if local else "")
           + '<li><a href="#recommendations">Recommendations</a></li><li><a href="#actions">Agreed actions</a></li>'
           '<li><a href="#next-steps">Next steps</a></li><li><a href="#sign-off">Sign-off</a></li>'
           '<li><a href="#annex">Annex: how the judgements were compared</a></li></ul></nav>')
    intro = (f"<p>The equality peer challenge of {_e(c.b.council)} by {_e(r.team)}, {_e(r.visit_words())}, "
             f"against {_e(r.peer.framework_title)}.</p>")
    return page(title, intro + nav, sections, "claims, findings, recommendations and agreements are the people's own "
                "words.")


def page(title: str, header: str, sections: list[str], footer: str) -> str:
    """A whole page: head, skip link, header with the title, the sections, and the footer."""
    return ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to the report</a>\n'
            f"<header><h1>{_e(title)}</h1>{header}</header>\n"
            f'<main id="main">\n{"".join(sections)}\n</main>\n'
            "<footer><p>Made with efl. The levels the evidence supports are worked out from the council's files; "
            f"{footer}</p></footer>\n</body>\n</html>\n")
