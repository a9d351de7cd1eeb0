"""The progress report built quickly (efl.plan.progress.build: the latest note found in one pass,
each date written in words once, the groups counted in one pass) is the report the plain way gives:
the reference below is build as it was written before, line by line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from efl.core.models import Assessment
from efl.plan.action_plan import Plan, PlanLine, PlanNote
from efl.plan.progress import (NO_STATUS, STATES, LineProgress, build, changes_from_notes, lead_of, render_markdown,
                               render_text, state_of)
from efl.reports.dates_text import long_date

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import plan_gen  # noqa: E402


def reference_rows(plan: Plan, assessment, as_of: dt.date, area_titles: dict[str, str]):  # noqa: ANN001, ANN201
    objectives = {o.id: (f"{o.id}. {o.title}" if o.id.isdigit() else o.title) for o in plan.objectives}
    rows = []
    for line in plan.lines:
        notes = [n for n in line.notes if n.date <= as_of]
        latest = max(notes, key=lambda n: n.date) if notes else None
        rows.append(LineProgress(
            id=line.id, objective=objectives.get(line.objective or "", "Not tied to an objective"),
            area=area_titles.get(line.area or "", line.area or "No area given"), action=line.action,
            lead=lead_of(line, assessment), due=line.due, status=line.status or NO_STATUS,
            state=state_of(line, as_of),
            latest_note=f"{long_date(latest.date)}: {latest.text}" if latest else ""))
    counts = dict.fromkeys(STATES, 0)
    for r in rows:
        counts[r.state] += 1
    by_objective: dict = {}
    for r in rows:
        by_objective.setdefault(r.objective, []).append(r)
    by_area: dict = {}
    for r in rows:
        by_area.setdefault(r.area, dict.fromkeys(STATES, 0))[r.state] += 1
    return counts, list(by_objective.items()), list(by_area.items())


def _assessment() -> Assessment:
    from efl.core.assessment import read_assessment

    return read_assessment(Path(__file__).resolve().parent.parent / "assessments" / "harrow").assessment


@pytest.mark.parametrize("as_of", [dt.date(2016, 1, 1), dt.date(2016, 9, 30), dt.date(2017, 1, 15),
                                   dt.date(2019, 1, 1)])
def test_the_report_is_built_as_line_by_line(as_of):
    plan = plan_gen.make_plan(300, seed=11)
    assessment = _assessment()
    titles = {"lpoc": "Leadership", "scw": "A skilled workforce"}
    report = build(plan, assessment, as_of, titles)
    assert (report.counts, report.by_objective, report.by_area) == reference_rows(plan, assessment, as_of, titles)


def test_of_notes_of_the_same_latest_date_the_first_is_the_latest_and_later_ones_wait():
    day = dt.date(2026, 3, 1)
    notes = [PlanNote(date=dt.date(2026, 1, 1), text="early"), PlanNote(date=day, text="first of the day"),
             PlanNote(date=day, text="second of the day"), PlanNote(date=dt.date(2026, 5, 1), text="after")]
    plan = Plan(lines=[PlanLine(id="a", action="Act", notes=notes, status="on track", due=dt.date(2026, 1, 31)),
                       PlanLine(id="b", action="Act", notes=list(reversed(notes)), status="done")])
    report = build(plan, _assessment(), dt.date(2026, 3, 31), {})
    lines = report.by_objective[0][1]
    assert [r.latest_note for r in lines] == ["1 March 2026: first of the day", "1 March 2026: second of the day"]
    assert [r.state for r in lines] == ["overdue", "done"]
    assert report.by_objective == reference_rows(plan, _assessment(), dt.date(2026, 3, 31), {})[1]
    assert changes_from_notes(plan, dt.date(2025, 12, 31), dt.date(2026, 3, 31))[1] == \
        "'Act' (on track), 1 March 2026: first of the day"
    # The dates in the tables are the same words as before (each date written once).
    assert "31 January 2026" in render_text(report) and "31 January 2026" in render_markdown(report)
