"""Two results of a council compared as a web page, when neither is a peer team's judgement.

Two self-assessments (last year's and this year's, or a what-if beside the council's own result) are
not a peer challenge, so they get no feedback report: no team, no agreed level, no recommendations.
This page says what each result is, their overall levels, each area's levels and why they differ,
the criteria judged differently, the council's waivers and local criteria, and (in an annex) how
often the two agree. The sides are named by what tells them apart (the what-if, the date), never
"A" and "B"; accessible in the same way as the feedback report (it shares its page and tables).
"""

from __future__ import annotations

from efl.peer.compare import SIDES, Comparison
from efl.peer.compare_html import WHY_WORDS, _capital, _date, _e, _list, _outcome, _table, local_section, page
from efl.peer.compare_report import (_titles, agreement_rows, area_name, claim_text, counts_sentence, criterion_name,
                                     level_mapping_sentences, pair_title, side_notes, side_word)
from efl.reports.report_text import long_date


def _who(c: Comparison, key: str) -> str:
    """A side in a sentence: "the what-if of 31 March 2020", "the self-assessment of 14 November 2025"."""
    side = getattr(c, key)
    what = "what-if" if side.hypothetical else f"{side.role}-assessment" if side.role == "self" else "judgement"
    return f"the {what} of {long_date(_date(side.date))}"


def render_comparison_html(c: Comparison) -> str:
    words = {k: side_word(c, k) for k in SIDES}
    titles = {k: _titles(getattr(c, k).levels) for k in SIDES}
    rows = [x for x in c.areas if x.group is not None]
    title = pair_title(c)
    intro = "".join(
        f"<p>{_e(_capital(_who(c, k)))} ({_e(words[k])}): {_e(s.council)}, by {_e(s.assessor or 'someone not recorded')}, "
        f"against {_e(s.framework_title)}.</p>" for k, s in ((k, getattr(c, k)) for k in SIDES))

    summary = ['<section aria-labelledby="summary"><h2 id="summary">Summary</h2>']
    notes = [side_notes(c, k, f"The result marked {words[k]}") for k in SIDES]
    tailoring = [n for n in notes[0] if "local tailoring" in n]
    if tailoring and [n.replace(words["a"], "") for n in tailoring] == \
            [n.replace(words["b"], "") for n in notes[1] if "local tailoring" in n]:
        # The same tailoring on both sides is said once.
        notes = [[n for n in notes[0] if n not in tailoring], [n for n in notes[1] if "local tailoring" not in n],
                 [tailoring[0].replace(f"The result marked {words['a']} uses", "Both results use")
                  .replace("its local", "their local")]]
    for sentence in (n for group in notes for n in group):
        summary.append(f'<p role="note"><strong>{_e(sentence)}</strong></p>')
    a_level, b_level = (titles[k][getattr(c, k).overall] for k in SIDES)
    summary.append(f"<p>{_e(_capital(_who(c, 'a')))} is at {_e(a_level)} overall, and {_e(_who(c, 'b'))} at "
                   f"{_e(b_level)}.</p>")
    for sentence in [counts_sentence(c), *level_mapping_sentences(c)]:
        summary.append(f"<p>{_e(sentence)}</p>")
    if rows:
        summary.append(_table("Levels by area", [
            "Area", f"{words['a']}: claimed", f"{words['a']}: the evidence supports", f"{words['b']}: claimed",
            f"{words['b']}: the evidence supports", "Why they differ"],
            [[area_name(c, x), claim_text(titles["a"], x.a), titles["a"][x.a.evidence], claim_text(titles["b"], x.b),
              titles["b"][x.b.evidence], "; ".join(WHY_WORDS[k] for k in x.disagreement) or "-"] for x in rows]))
    summary.append("</section>")
    sections = ["".join(summary)]

    differing = [x for x in c.criteria if x.comparable and x.disagreement]
    out = ['<section aria-labelledby="criteria"><h2 id="criteria">Criteria judged differently</h2>']
    if differing:
        out.append(_table("Criteria judged differently", ["Criterion", words["a"], words["b"], "Why"],
                          [[criterion_name(x), _outcome(x.a), _outcome(x.b),
                            _capital(WHY_WORDS[x.disagreement]) + (f": {x.explanation}" if x.explanation else "")]
                           for x in differing]))
    else:
        out.append("<p>None: both reach the same outcome on every criterion compared.</p>")
    out.append("</section>")
    sections.append("".join(out))
    local = local_section(c)
    if local:
        sections.append(local)
    lone = [f"{area_name(c, x)}: only in {getattr(c, x.relation[-1]).framework_title}" for x in c.areas
            if x.group is None]
    lone += [f"{criterion_name(x)}: only in {getattr(c, x.relation[-1]).framework_title}" for x in c.criteria
             if not x.comparable and not x.local_only]
    if lone:
        sections.append('<section aria-labelledby="not-comparable"><h2 id="not-comparable">Not comparable</h2>'
                        + _list(lone) + "</section>")
    sections.append('<section aria-labelledby="annex"><h2 id="annex">Annex: how often the two agree</h2>'
                    + _table("How often the views put an area at the same level",
                             ["Between", "Areas", "Same level", "Agreement", "Weighted kappa", "Note"],
                             agreement_rows(c))
                    + "<p>Only areas both views judged count. Weighted kappa (Cohen's kappa with linear weights over "
                    "the ordered levels) is 1 when the views always agree and 0 when they agree no more than chance "
                    "would; on a handful of areas it is a rough guide.</p></section>")
    nav = ('<nav aria-label="Contents"><ul><li><a href="#summary">Summary</a></li>'
           '<li><a href="#criteria">Criteria judged differently</a></li>'
           + ('<li><a href="#local">Waivers and local criteria</a></li>' if local else "")
           + ('<li><a href="#not-comparable">Not comparable</a></li>' if lone else "")
           + '<li><a href="#annex">Annex: how often the two agree</a></li></ul></nav>')
    return page(title, intro + nav, sections, "claims and notes are the people's own words.")
