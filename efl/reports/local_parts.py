"""The committee paper's parts for what is not the edition's own judgement of the evidence: a
what-if's assumptions (first, before anything else), the council's local tailoring, what it would take
to reach a target level, and the waivers. Every format that lays out the paper shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from efl.reports.local_text import (assumption_sentences, hypothetical_label, hypothetical_sentence,
                                    tailoring_sentence, waiver_heading, waiver_intro, waiver_rows)
from efl.reports.paper_parts import Part
from efl.reports.sections import ReportTable
from efl.reports.target_text import lapse_sentences, target_heading, target_rows, target_sentences

if TYPE_CHECKING:
    from efl.core.models import Result


def what_if_part(result: Result) -> Part | None:
    """The banner a what-if carries at the top (key ``what-if``), or None for the council's own result."""
    sentence = hypothetical_sentence(result)
    if sentence is None:
        return None
    return Part("what-if", hypothetical_label().rstrip("."), (sentence, *assumption_sentences(result)))


def what_if_recommendations(result: Result) -> list[str] | None:
    """A what-if is for discussion, never for decision: nothing in it is put to members to agree."""
    if not result.hypothetical:
        return None
    return ["Note that this report is a what-if: its levels and actions rest on assumed figures, not on the "
            "evidence alone, so none of them is put to members for agreement.",
            "Ask for the council's own assessment before agreeing levels or an action plan."]


def tailoring_part(result: Result) -> list[Part]:
    """What the council's local tailoring changes (key ``tailoring``), with each change in a table."""
    sentence = tailoring_sentence(result)
    if sentence is None:
        return []
    titles = {a.id: a.title for a in result.areas}
    rows = [[c.title, titles.get(a.id, a.id), "; ".join(x.note for x in c.local)]
            for a in result.areas for c in a.criteria if c.local]
    return [Part("tailoring", "Local tailoring", (sentence,),
                 tables=(ReportTable("Local criteria and changes", ["Test", "Area", "What is local"], rows),))]


def target_part(result: Result) -> list[Part]:
    """What it would take to reach the target level (key ``target``): one sub-part per area below it."""
    if result.target is None:
        return []
    rows = target_rows(result)
    goal = result.level_title(result.target.level)
    areas = []
    for i, area in enumerate(dict.fromkeys(r.area for r in rows), 1):
        table = ReportTable(f"Tests to meet in {area}", ["Test", "Now", "Needed", "What it would take",
                                                         "Action, lead and due date"],
                            [[r.criterion, r.now, r.needed, r.what,
                              f"{r.action} Lead: {r.lead}. Due: {r.due}" + (" (overdue)" if r.overdue else "") + "."]
                             for r in rows if r.area == area])
        # Named apart from the area's own part of the findings, so each section has a name of its own.
        areas.append(Part(f"target-{i}", f"{area}: to reach {goal}", tables=(table,)))
    lapses = lapse_sentences(result)
    if lapses:
        areas.append(Part("target-lapses", "Waivers that lapse", tuple(lapses)))
    return [Part("target", target_heading(result), tuple(target_sentences(result)), parts=tuple(areas))]


def waivers_part(result: Result) -> list[Part]:
    """The council's waivers (key ``waivers``): live, expired or not yet approved, each with its reason."""
    if not result.waivers:
        return []
    rows = [[w.criterion, w.area, w.status, w.reason, f"{w.approver}, {w.approved_on}", w.without]
            for w in waiver_rows(result)]
    return [Part("waivers", waiver_heading(result), (waiver_intro(),),
                 tables=(ReportTable("Waivers", ["Test", "Area", "Waiver", "Reason", "Approved by", "Without it"],
                                     rows),))]
