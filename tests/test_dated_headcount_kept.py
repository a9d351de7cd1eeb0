"""dated_headcount keeps each day's answer on the rule context; kept answers are the answers worked
out afresh (_dated_headcount, the function as it always was), and a context whose evidence or facts
change gets fresh ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from efl.core.batch import BatchOptions, make_engine
from efl.core.engine import RuleContext, compute_facts
from efl.core.plugin_api import AssessmentContext
from efl.law.statutory import _dated_headcount, dated_headcount

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "assessments" / name for name in ("bexley", "harrow", "leicester", "leicestershire")] + [
    ROOT / "bench" / "data" / "golden" / name / "council" for name in ("odd-dates-of-birth", "odd-one-sex")]


def _context(engine, folder: Path) -> RuleContext:  # noqa: ANN001
    prepared = engine.prepare(folder)
    a = prepared.loaded.assessment
    context = AssessmentContext(a, prepared.framework.framework, prepared.evidence, prepared.loaded.evidence_folder)
    facts, _ = compute_facts(engine.host, context)
    return RuleContext(a.date, prepared.evidence, facts, engine.host.facts().items, (), None,
                       prepared.framework.calendar.calendar if prepared.framework.calendar else None,
                       engine.host.evidence_types().items, {h.date: h.employees for h in a.council.headcounts},
                       a.council.employees)


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f.exists()], ids=lambda f: f.parent.name + "/" + f.name)
def test_kept_answers_are_fresh_answers(folder: Path) -> None:
    engine = make_engine(BatchOptions())
    ctx = _context(engine, folder)
    days = sorted({r.item.date for r in ctx.evidence} | {dt.date(y, 3, 31) for y in range(2017, 2027)}
                  | set(ctx.headcounts))
    for _ in range(2):  # the second time round, every answer is a kept one
        for day in days:
            assert dated_headcount(ctx, day) == _dated_headcount(ctx, day), day


def test_changed_facts_or_declared_headcounts_give_fresh_answers() -> None:
    engine = make_engine(BatchOptions())
    ctx = _context(engine, ROOT / "assessments" / "bexley")
    dated = [r.item.date for r in ctx.evidence if dated_headcount(ctx, r.item.date) is not None]
    assert dated
    day = dated[0]
    before = dated_headcount(ctx, day)
    ctx.facts = {}  # no headcount fact now: the answer follows
    assert dated_headcount(ctx, day) == _dated_headcount(ctx, day)
    odd = dt.date(2011, 3, 31)
    assert dated_headcount(ctx, odd) is None
    ctx.headcounts = {odd: 321}  # a new dict of declared headcounts
    assert dated_headcount(ctx, odd).count == 321
    ctx.headcounts[dt.date(2012, 3, 31)] = 7  # (changed in place: the same dict, so the day asked first)
    assert dated_headcount(ctx, dt.date(2012, 3, 31)).count == 7
    assert before is not None


def test_judged_snapshots_kept_are_fresh() -> None:
    from efl.law.statutory import _judged_snapshot, judged_snapshot

    engine = make_engine(BatchOptions())
    prepared = engine.prepare(ROOT / "assessments" / "bexley")
    calendar = prepared.framework.calendar.calendar
    duties = [d for d in calendar.duties if d.snapshot is not None]
    assert duties
    days = [dt.date(2017, 1, 1) + dt.timedelta(days=37 * k) for k in range(120)]
    for _ in range(2):
        for duty in duties:
            for regime in duty.regimes:
                if regime.first_snapshot is None:
                    continue
                for day in days:
                    assert judged_snapshot(duty, regime, day) == _judged_snapshot(duty, regime, day)
