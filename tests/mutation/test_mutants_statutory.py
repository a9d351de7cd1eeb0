"""The statutory duties judged on a day (efl.law.statutory), called directly on small hand-made inputs.

Written to kill the mutants mutation testing found alive (tests/mutation/README.md): publication on
the deadline counted late, "due today" worded as overdue, the first due date not holding back a
publication made before the duty existed, the headcount threshold's edge. The law behind every date:

* equality information (SI 2011/2260 reg 2): first by 31 January 2012, then at intervals of no more
  than a year; equality objectives (reg 3): first by 6 April 2012, then at least every four years;
* gender pay gap (SI 2017/353 reg 2, Sch. 1): 250 or more employees on the snapshot date, 31 March;
  published within 12 months *beginning with* it, so by 30 March the next year (first: 30 March 2018).

A deadline passes at the end of its day. Every date and sentence below is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from efl.errors import DiagnosticSink, InputError, UsageError
from efl.law import statutory as s
from efl.law.dates import parse_duration
from efl.law.calendar import span
from efl.law.statutory import Calendar, Duty, DutyStatus

D = dt.date

INFO = dict(id="information", title="publish equality information", noun="equality information",
            evidence="published-information", first_due="2012-01-31", every="P1Y",
            citation="The Equality Act 2010 (Specific Duties) Regulations 2011, reg 2", cite="SI 2011/2260 reg 2")
OBJECTIVES = dict(id="objectives", title="prepare and publish equality objectives", noun="equality objectives",
                  evidence="equality-objectives", first_due="2012-04-06", every="P4Y",
                  citation="SI 2011/2260 reg 3")
GPG = dict(id="gender-pay-gap", title="publish gender pay gap information", noun="the gender pay gap report",
           evidence="gender-pay-gap-report", first_due="2018-03-30", snapshot="03-31", first_snapshot="2017-03-31",
           publish_within="P1Y", threshold={"employees": 250, "on": "snapshot"}, citation="SI 2017/353 reg 2",
           cite="reg 2")


def duty(base: dict, **changes) -> Duty:
    return Duty.model_validate({**base, **changes})


class Evidence(list):
    def items_of(self, kind: str):
        return [r for r in self if r.item.type == kind]


def record(kind: str, ident: str, date: str, published: str | None = None, snapshot: str | None = None,
           title: str = "") -> SimpleNamespace:
    item = SimpleNamespace(id=ident, type=kind, title=title, date=D.fromisoformat(date),
                           published=D.fromisoformat(published) if published else None,
                           snapshot=D.fromisoformat(snapshot) if snapshot else None,
                           personal=False, about=[], covers=[])
    return SimpleNamespace(item=item)


# The duties' evidence types are publications (only a publication counts towards a duty to publish).
PUBLICATIONS = {kind: SimpleNamespace(publication=True, personal=False, headcount=None)
                for kind in ("published-information", "equality-objectives", "gender-pay-gap-report")}


def context(on: str, *records, facts: dict | None = None, specs: dict | None = None, calendar=None):
    # What a RuleContext holds for a duty (issue 22: evidence types, headcounts declared by date and undated).
    return SimpleNamespace(date=D.fromisoformat(on), evidence=Evidence(records), facts=facts or {},
                           fact_specs=specs or {}, calendar=calendar, evidence_types=PUBLICATIONS, headcounts={},
                           declared_employees=None, window_end=D.fromisoformat(on))


def headcount_spec(needs=("staff-list",)):
    return SimpleNamespace(headcount=True, needs=needs)


def fact(value, *evidence):
    return SimpleNamespace(value=value, evidence=list(evidence))


# --- small pieces ------------------------------------------------------------------------------------

def test_day_month_and_month_day():
    assert s.day_month(D(2024, 3, 5)) == "5 March"
    assert s.day_month(D(2024, 12, 31)) == "31 December"
    assert s.month_day("03-31") == (3, 31)
    assert s.month_day("12-01") == (12, 1)
    for bad in ("02-29", "13-01", "04-31", "0331"):
        with pytest.raises(ValueError):
            s.month_day(bad)


@pytest.mark.parametrize("text, words", [
    ("P1Y", "a year"), ("P2Y", "two years"), ("P3Y", "three years"), ("P4Y", "four years"), ("P5Y", "five years"),
    ("P6Y", "6 years"), ("P1Y6M", "1 year and 6 months"), ("P18M", "18 months"), ("P1Y1D", "1 year and 1 day"),
    ("P30D", "30 days"),
])
def test_span(text, words):
    assert span(parse_duration(text)) == words


@pytest.mark.parametrize("due, on, words", [
    (D(2025, 3, 30), D(2025, 3, 31), "was due by 30 March 2025 and is overdue"),
    (D(2025, 3, 30), D(2025, 3, 30), "is due today"),
    (D(2025, 3, 30), D(2025, 3, 29), "is due by 30 March 2025"),
])
def test_due_words(due, on, words):
    assert s._due_words(due, on) == words


def test_cycle_words():
    assert duty(INFO).cycle_words() == "at least once a year"
    assert duty(OBJECTIVES).cycle_words() == "at least every four years"
    assert duty(INFO, every="P6M").cycle_words() == "at least every 6 months"
    assert duty(INFO, every="P2Y").cycle_words() == "at least every two years"
    assert duty(GPG).cycle_words() == "figures for each 31 March snapshot, published within a year beginning with it"


def test_interval_deadline_and_snapshots():
    assert duty(INFO).interval == parse_duration("P1Y")
    assert duty(OBJECTIVES).interval.years == 4
    assert duty(GPG).interval == parse_duration("P1Y")
    gpg = duty(GPG)
    assert gpg.deadline(D(2017, 3, 31)) == D(2018, 3, 30)
    assert gpg.deadline(D(2024, 3, 31)) == D(2025, 3, 30)
    assert gpg.deadline(D(2023, 3, 31)) == D(2024, 3, 30)
    # Six months beginning with 31 March: no 31 September, so the anniversary is 1 October and the
    # period ends on 30 September (the period rule of efl/law/dates.py).
    six = duty(GPG, publish_within="P6M", first_due="2017-09-30")
    assert six.deadline(D(2017, 3, 31)) == D(2017, 9, 30)
    first = D(2017, 3, 31)
    assert gpg.snapshots(first, D(2019, 3, 31)) == [D(2017, 3, 31), D(2018, 3, 31), D(2019, 3, 31)]
    assert gpg.snapshots(first, D(2019, 3, 30)) == [D(2017, 3, 31), D(2018, 3, 31)]
    assert gpg.snapshots(first, D(2017, 3, 31)) == [D(2017, 3, 31)]
    assert gpg.snapshots(first, D(2017, 3, 30)) == []
    assert duty(INFO, cite="").short_cite == INFO["citation"]
    assert duty(INFO).short_cite == "SI 2011/2260 reg 2"


@pytest.mark.parametrize("on, snapshot", [
    ("2017-01-01", "2017-03-31"), ("2018-03-30", "2017-03-31"), ("2018-03-31", "2017-03-31"),
    ("2019-03-30", "2017-03-31"), ("2019-03-31", "2018-03-31"), ("2025-03-30", "2023-03-31"),
    ("2025-03-31", "2024-03-31"), ("2025-12-31", "2024-03-31"),
])
def test_required_snapshot_is_the_latest_whose_deadline_has_passed(on, snapshot):
    assert s.judged_snapshot(duty(GPG), duty(GPG).earliest, D.fromisoformat(on)) == D.fromisoformat(snapshot)


# --- validating a duty -------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"every": "P"}, "'P' is not a duration"),
    ({"every": "yearly"}, "'yearly' is not a duration"),
    ({"every": None}, "a duty has one cycle: 'every: P1Y' (an interval) or 'snapshot: MM-DD'"),
    ({"snapshot": "03-31"}, "a duty has one cycle"),
    ({"publish_within": "P1Y"}, "first_snapshot and publish_within belong to a snapshot duty"),
    ({"first_snapshot": "2017-03-31"}, "first_snapshot and publish_within belong to a snapshot duty"),
    ({"threshold": {"employees": 150, "on": "snapshot"}}, "threshold.on: snapshot needs a snapshot duty"),
    ({"threshold": {"employees": 0}}, "greater than or equal to 1"),
    ({"noun": ""}, "at least 1 character"),
    ({"citation": ""}, "at least 1 character"),
    ({"id": "Information"}, "should match pattern"),
    ({"evidence": "-x"}, "should match pattern"),
    ({"colour": "red"}, "Extra inputs are not permitted"),
])
def test_an_interval_duty_that_is_wrong(changes, message):
    with pytest.raises(ValidationError) as caught:
        duty(INFO, **changes)
    assert message in str(caught.value)


@pytest.mark.parametrize("changes, message", [
    ({"snapshot": "02-30"}, "'02-30' is not a day of the year (expected MM-DD in quotes, e.g. '03-31')"),
    ({"snapshot": "31-03"}, "'31-03' is not a day of the year"),
    ({"first_snapshot": None}, "a snapshot duty needs 'first_snapshot' (expected e.g. first_snapshot: 2017-03-31)"),
    ({"publish_within": None}, "a snapshot duty needs 'publish_within' (expected e.g. publish_within: P1Y)"),
    ({"publish_within": "P1X"}, "'P1X' is not a duration"),
    ({"first_snapshot": "2017-04-01"}, "first_snapshot 2017-04-01 is not on the snapshot day 03-31 "
                                       "(expected the first snapshot date itself)"),
    ({"first_snapshot": "2017-03-30"}, "is not on the snapshot day"),
    ({"first_due": "2018-03-31"}, "first_due 2018-03-31 does not follow from the first snapshot: figures for "
                                  "2017-03-31 are due by 2018-03-30 (expected the two to agree)"),
    ({"first_due": "2018-03-29"}, "first_due 2018-03-29 does not follow from the first snapshot"),
    ({"every": "P1Y"}, "a duty has one cycle"),
])
def test_a_snapshot_duty_that_is_wrong(changes, message):
    with pytest.raises(ValidationError) as caught:
        duty(GPG, **changes)
    assert message in str(caught.value)


def test_duties_that_are_right():
    assert duty(GPG).threshold.employees == 250
    assert duty(GPG, threshold={"employees": 250, "on": "assessment"}).threshold.on == "assessment"
    assert duty(INFO, threshold={"employees": 150}).threshold.on == "assessment"
    assert duty(GPG, threshold=None).threshold is None
    assert duty(GPG, snapshot="04-05", first_snapshot="2017-04-05", first_due="2018-04-04").first_due == D(2018, 4, 4)


def test_a_calendar_finds_its_duties():
    calendar = Calendar(kind="calendar", id="england", version="1", title="England", duties=[duty(INFO), duty(GPG)])
    assert calendar.duty("gender-pay-gap").noun == "the gender pay gap report"
    assert calendar.duty("information").noun == "equality information"
    with pytest.raises(KeyError):
        calendar.duty("objectives")
    with pytest.raises(ValidationError):
        Calendar(kind="calendar", id="england", version="1", title="England", duties=[])


# --- calendar files ----------------------------------------------------------------------------------

CALENDAR_FILE = textwrap.dedent("""\
    kind: calendar
    id: test-calendar
    version: "1"
    title: Test calendar
    duties:
      - id: information
        title: publish equality information
        noun: equality information
        evidence: published-information
        first_due: 2012-01-31
        every: P1Y
        citation: SI 2011/2260 reg 2
      - id: information
        title: publish it again
        noun: equality information
        evidence: staff-list
        first_due: 2012-01-31
        every: P1Y
        citation: SI 2011/2260 reg 2
    """)


def test_a_calendar_file_with_every_mistake_at_once(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_FILE, encoding="utf-8")
    with pytest.raises(s.CalendarError) as caught:
        s.load_calendar_file(path, "calendar.yaml", {"published-information"})
    shown = [str(d) for d in caught.value.diagnostics]
    assert shown == ["calendar.yaml:13:9: duty id 'information' is used twice (expected unique ids)",
                     "calendar.yaml:16:15: unknown evidence type 'staff-list' (expected one a loaded plugin "
                     "registers; see 'efl plugins')"]
    assert caught.value.duty_ids == {"information"}
    assert isinstance(caught.value, InputError)


def test_a_calendar_file_that_is_right(tmp_path):
    path = tmp_path / "calendar.yaml"
    text = CALENDAR_FILE.replace("  - id: information\n    title: publish it again", "  - id: again\n    title: publish it again")
    path.write_text(text, encoding="utf-8")
    loaded = s.load_calendar_file(path, "calendar.yaml", {"published-information", "staff-list"})
    assert [d.id for d in loaded.calendar.duties] == ["information", "again"]
    assert loaded.path == path
    assert len(loaded.sha256) == 64
    # Without a list of evidence types nothing is checked against one.
    assert s.load_calendar_file(path, "calendar.yaml", None).calendar.id == "test-calendar"
    # The text, when the caller has read it, is used as it is.
    assert s.load_calendar_file(tmp_path / "absent.yaml", "x.yaml", None, text).calendar.id == "test-calendar"


def test_a_calendar_file_the_schema_refuses(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_FILE.replace("every: P1Y\n    citation: SI 2011/2260 reg 2\n  - id: information",
                                          "every: yearly\n    citation: SI 2011/2260 reg 2\n  - id: information"),
                    encoding="utf-8")
    with pytest.raises(s.CalendarError) as caught:
        s.load_calendar_file(path, "calendar.yaml", {"published-information", "staff-list"})
    messages = [d.message for d in caught.value.diagnostics]
    assert any("'yearly' is not a duration" in m for m in messages)
    assert any("used twice" in m for m in messages)


def test_find_calendar(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_FILE.replace("  - id: information\n    title: publish it again", "  - id: again\n    title: publish it again"),
                    encoding="utf-8")
    entry = SimpleNamespace(path=path)
    found = s.find_calendar({"test-calendar": entry}, "test-calendar", {"published-information", "staff-list"})
    assert found.calendar.title == "Test calendar"
    with pytest.raises(UsageError) as caught:
        s.find_calendar({"a": entry, "b": entry}, "c", set())
    assert str(caught.value) == "no statutory calendar called 'c' (expected one of: a, b)"
    with pytest.raises(UsageError) as none:
        s.find_calendar({}, "c", set())
    assert str(none.value) == "no statutory calendar called 'c' (expected one of: none installed)"


# --- whether a duty binds the council ----------------------------------------------------------------

def test_published_on():
    assert s.published_on(record("x", "a", "2024-01-02", published="2024-02-03")) == D(2024, 2, 3)
    assert s.published_on(record("x", "a", "2024-01-02")) == D(2024, 1, 2)


def test_before_the_first_due_date_a_duty_does_not_apply():
    before_snapshot = s.judge(duty(GPG), context("2017-01-01"))
    assert before_snapshot.outcome == "not_applicable"
    assert before_snapshot.reason == (
        "does not apply: the duty to publish gender pay gap information began with the snapshot date 31 March 2017, "
        "with the first figures due by 30 March 2018 (reg 2); the assessment is dated 1 January 2017")
    after_snapshot = s.in_force(duty(GPG), context("2017-03-31"))
    assert after_snapshot.outcome == "not_met"
    assert after_snapshot.reason == (
        "the duty to publish gender pay gap information first required publication by 30 March 2018 (reg 2); "
        "the assessment is dated 31 March 2017, before that")
    info = s.judge(duty(INFO), context("2012-01-30"))
    assert (info.outcome, info.due, info.overdue) == ("not_applicable", None, False)
    assert info.reason == ("does not apply: the duty to publish equality information first required publication "
                           "by 31 January 2012 (SI 2011/2260 reg 2); the assessment is dated 30 January 2012, "
                           "before that")


def test_from_the_first_due_date_a_duty_applies():
    status = s.in_force(duty(INFO), context("2012-01-31"))
    assert (status.outcome, status.reason) == ("met", "the duty to publish equality information has applied since "
                                                      "31 January 2012")


def staff(count, on="2024-03-31", name="staff.count"):
    return dict(facts={name: fact(count, "staff-2024")}, specs={name: headcount_spec()},
                records=[record("staff-list", "staff-2024", on)])


@pytest.mark.parametrize("count, outcome, reason", [
    (249, "not_met", "the council employed 249 people on the snapshot date 31 March 2024 (the staff list dated "
                     "31 March 2024); the duty to publish gender pay gap information applies from 250 employees "
                     "(reg 2)"),
    (250, "met", "the council employed 250 people on the snapshot date 31 March 2024 (the staff list dated "
                 "31 March 2024), 250 or more, so the duty to publish gender pay gap information applies"),
    (1234, "met", "the council employed 1,234 people on the snapshot date 31 March 2024 (the staff list dated "
                  "31 March 2024), 250 or more, so the duty to publish gender pay gap information applies"),
])
def test_the_headcount_on_the_snapshot_date_decides(count, outcome, reason):
    given = staff(count)
    status = s.in_force(duty(GPG), context("2025-04-01", *given["records"], facts=given["facts"],
                                           specs=given["specs"]))
    assert (status.outcome, status.reason, status.facts) == (outcome, reason, ("staff.count",))


def test_a_headcount_not_dated_on_the_snapshot_is_not_the_snapshots():
    # Issue 22 item 2 (Schedule 1 para 1: 250 or more employees *on the snapshot date*): a count dated
    # 30 June 2024 says nothing of 31 March 2024, so whether the duty applied is unknown, never assumed.
    given = staff(300, on="2024-06-30")
    status = s.in_force(duty(GPG), context("2025-04-01", *given["records"], facts=given["facts"],
                                           specs=given["specs"]))
    assert (status.outcome, status.problem) == ("insufficient_evidence", "no_figure")
    assert status.reason.startswith("no evidence says how many people the council employed on the snapshot date "
                                    "31 March 2024 (the evidence counts the council's people on 30 June 2024 only")


def test_a_headcount_on_the_assessment_date():
    given = staff(2000)
    gpg = duty(GPG, threshold={"employees": 250, "on": "assessment"})
    status = s.in_force(gpg, context("2025-04-01", *given["records"], facts=given["facts"], specs=given["specs"]))
    assert status.reason == ("the council employed 2,000 people, 250 or more, so the duty to publish gender pay "
                             "gap information applies")


def test_no_headcount_is_insufficient_evidence():
    status = s.in_force(duty(GPG), context("2025-04-01", specs={"staff.count": headcount_spec(("staff-list",
                                                                                             "payroll-export"))}))
    assert status.outcome == "insufficient_evidence"
    assert status.problem == "no_figure"
    assert status.reason == ("no evidence says how many people the council employed on the snapshot date 31 March "
                             "2024, so it cannot be told whether the duty to publish gender pay gap information "
                             "applied to it (250 or more employees on that date); list a payroll export or a staff "
                             "list dated 2024-03-31, or declare the headcount for that date under council.headcounts "
                             "in assessment.yaml")
    bare = s.in_force(duty(GPG), context("2025-04-01"))
    assert bare.reason.endswith("list evidence dated 2024-03-31, or declare the headcount for that date under "
                                "council.headcounts in assessment.yaml")
    assert bare.facts == ()
    judged = s.judge(duty(GPG), context("2025-04-01"))
    assert (judged.outcome, judged.problem) == ("insufficient_evidence", "no_figure")
    assert not judged.reason.startswith("does not apply")


def test_headcount_picks_the_fact_that_declares_itself_the_headcount():
    specs = {"b.count": headcount_spec(), "a.count": headcount_spec(),
             "other": SimpleNamespace(headcount=False, needs=())}
    facts = {"a.count": fact(120, "old"), "b.count": fact(400, "snap"), "other": fact(9999, "snap")}
    records = [record("staff-list", "old", "2023-01-01"), record("staff-list", "snap", "2024-03-31")]
    ctx = context("2025-04-01", *records, facts=facts, specs=specs)
    on_day = s.dated_headcount(ctx, D(2024, 3, 31))
    assert (on_day.count, on_day.facts, on_day.basis) == (400, ("b.count",), "the staff list dated 31 March 2024")
    assert (s.current_headcount(ctx).count, s.current_headcount(ctx).facts) == (120, ("a.count",))
    # A day no evidence is dated: no headcount (never another day's).
    assert s.dated_headcount(ctx, D(2022, 3, 31)) is None
    # A value that is not a number (or is a yes/no) is no headcount.
    odd = {"a.count": fact(True, "snap"), "b.count": fact("400", "snap")}
    assert s.current_headcount(context("2025-04-01", *records, facts=odd, specs=specs)) is None
    whole = s.dated_headcount(context("2025-04-01", *records, facts={"a.count": fact(250.0, "snap")}, specs=specs),
                              D(2024, 3, 31))
    assert (whole.count, whole.facts) == (250, ("a.count",))


def test_a_duty_named_without_a_calendar():
    with pytest.raises(ValueError) as caught:
        s.judge_duty(context("2025-01-01"), "information")
    assert str(caught.value) == ("no statutory calendar is loaded, so duty 'information' cannot be judged "
                                 "(expected the framework to name one with 'calendar:')")
    calendar = Calendar(kind="calendar", id="c", version="1", title="C", duties=[duty(INFO)])
    ctx = context("2025-01-01", calendar=calendar)
    assert s.duty_in_force(ctx, "information").outcome == "met"
    assert s.judge_duty(ctx, "information").problem == "missing_evidence"


# --- interval duties ---------------------------------------------------------------------------------

def info(ident, date, published=None, title=""):
    return record("published-information", ident, date, published, title=title)


def test_nothing_published_is_overdue_since_the_first_due_date():
    status = s.judge(duty(INFO), context("2025-06-30"))
    assert status == DutyStatus("not_met", "equality information: none is listed as published; the first "
                                "publication was due by 31 January 2012 and is overdue (SI 2011/2260 reg 2)",
                                D(2012, 1, 31), True, (), (), "missing_evidence")


def test_nothing_published_on_the_first_due_date_is_due_today():
    status = s.judge(duty(INFO), context("2012-01-31"))
    assert (status.outcome, status.due, status.overdue) == ("not_met", D(2012, 1, 31), False)
    assert status.reason == ("equality information: none is listed as published; the first publication is due "
                             "today (SI 2011/2260 reg 2)")


def test_the_last_day_of_the_year_is_in_time_and_due_today():
    # "At intervals of not greater than one year beginning with the date of last publication": the year
    # beginning with 30 June 2024 includes that day and ends on 29 June 2025 (issue 22 item 3).
    status = s.judge(duty(INFO), context("2025-06-29", info("i-2024", "2024-06-30", title="Equality report 2024")))
    assert status == DutyStatus("met", "equality information last published on 30 June 2024 in \"Equality report "
                                "2024\", within a year; the next publication is due today (SI 2011/2260 reg 2)",
                                D(2025, 6, 29), False, ("i-2024",))


def test_a_year_to_the_day_is_overdue():
    status = s.judge(duty(INFO), context("2025-06-30", info("i-2024", "2024-06-30")))
    assert status == DutyStatus("not_met", "equality information last published on 30 June 2024, more than a year "
                                "ago; the next publication was due by 29 June 2025 and is overdue (SI 2011/2260 "
                                "reg 2)", D(2025, 6, 29), True, ("i-2024",), (), "stale_evidence")


def test_the_latest_publication_counts_and_its_published_date_wins():
    records = [info("i-2023", "2023-05-01"), info("i-2024", "2024-01-01", published="2024-09-15"),
               info("i-2022", "2022-12-01")]
    status = s.judge(duty(INFO), context("2025-01-10", *records))
    assert (status.outcome, status.due, status.evidence) == ("met", D(2025, 9, 14), ("i-2024",))
    assert status.reason == ("equality information last published on 15 September 2024, within a year; the next "
                             "publication is due by 14 September 2025 (SI 2011/2260 reg 2)")


def test_a_publication_after_the_assessment_date_does_not_count():
    status = s.judge(duty(INFO), context("2025-01-10", info("i-2023", "2023-05-01"), info("i-2025", "2025-01-11")))
    assert (status.outcome, status.evidence, status.due) == ("not_met", ("i-2023",), D(2024, 4, 30))
    on_the_day = s.judge(duty(INFO), context("2025-01-11", info("i-2025", "2025-01-11")))
    assert (on_the_day.outcome, on_the_day.evidence) == ("met", ("i-2025",))


def test_a_publication_before_the_duty_does_not_push_the_first_deadline_back():
    status = s.judge(duty(INFO), context("2012-01-31", info("i-2010", "2010-06-01")))
    assert (status.outcome, status.due, status.overdue) == ("met", D(2012, 1, 31), False)
    late = s.judge(duty(INFO), context("2012-02-01", info("i-2010", "2010-06-01")))
    assert (late.outcome, late.due, late.overdue) == ("not_met", D(2012, 1, 31), True)


@pytest.mark.parametrize("on, outcome, overdue", [("2025-04-05", "met", False), ("2025-04-06", "not_met", True)])
def test_objectives_every_four_years(on, outcome, overdue):
    # Four years beginning with 6 April 2021 end on 5 April 2025.
    objectives = record("equality-objectives", "obj-2021", "2021-04-06")
    status = s.judge(duty(OBJECTIVES), context(on, objectives))
    assert (status.outcome, status.due, status.overdue) == (outcome, D(2025, 4, 5), overdue)
    assert ("within four years" if outcome == "met" else "more than four years ago") in status.reason
    assert status.reason.endswith("is due today (SI 2011/2260 reg 3)" if outcome == "met" else
                                  "was due by 5 April 2025 and is overdue (SI 2011/2260 reg 3)")


# --- snapshot duties ---------------------------------------------------------------------------------

def report(ident, published, snapshot=None, title=""):
    return record("gender-pay-gap-report", ident, published, snapshot=snapshot, title=title)


def big(on, *records, snapshot="2024-03-31"):
    # 600 staff counted on the snapshot judged (the headcount that decides is the one on that day).
    given = staff(600, on=snapshot)
    return context(on, *given["records"], *records, facts=given["facts"], specs=given["specs"])


def test_published_on_the_deadline_is_on_time():
    status = s.judge(duty(GPG), big("2025-03-31", report("gpg-2024", "2025-03-30", "2024-03-31", "GPG 2024")))
    assert status.outcome == "met"
    assert status.reason == ("the gender pay gap report for the snapshot date 31 March 2024 in \"GPG 2024\" was "
                             "published on 30 March 2025, on time; figures for 31 March 2025 are due by 30 March 2026")
    assert (status.due, status.overdue, status.evidence) == (D(2026, 3, 30), False, ("gpg-2024",))
    assert status.facts == ("staff.count",)


def test_published_a_day_after_the_deadline_is_late_but_published():
    status = s.judge(duty(GPG), big("2025-04-10", report("gpg-2024", "2025-03-31", "2024-03-31")))
    assert status.outcome == "met"
    assert status.reason == ("the gender pay gap report for the snapshot date 31 March 2024 was published on "
                             "31 March 2025, late: it was due by 30 March 2025, 1 day earlier; figures for "
                             "31 March 2025 are due by 30 March 2026")
    later = s.judge(duty(GPG), big("2025-04-10", report("gpg-2024", "2025-04-02", "2024-03-31")))
    assert "late: it was due by 30 March 2025, 3 days earlier" in later.reason


def test_the_first_of_two_reports_for_a_snapshot_counts():
    records = [report("gpg-b", "2025-02-01", "2024-03-31"), report("gpg-a", "2025-01-15", "2024-03-31")]
    status = s.judge(duty(GPG), big("2025-04-10", *records))
    assert status.evidence == ("gpg-a",)
    assert "published on 15 January 2025, on time" in status.reason


def test_the_next_figures_are_named_unless_they_are_the_ones_reported():
    # Assessed on 30 March 2025, the figures required are 2023's; 2024's are due that very day.
    status = s.judge(duty(GPG), big("2025-03-30", report("gpg-2023", "2024-03-01", "2023-03-31")))
    assert status.reason == ("the gender pay gap report for the snapshot date 31 March 2023 was published on "
                             "1 March 2024, on time; figures for 31 March 2024 are due by 30 March 2025")
    assert status.due == D(2025, 3, 30)
    first = s.judge(duty(GPG), big("2018-03-30", report("gpg-2017", "2018-03-01", "2017-03-31")))
    assert first.reason == ("the gender pay gap report for the snapshot date 31 March 2017 was published on "
                            "1 March 2018, on time")
    assert (first.due, first.overdue) == (D(2018, 3, 30), False)


def test_nothing_listed_for_the_first_snapshot_is_due_today_on_its_deadline():
    status = s.judge(duty(GPG), big("2018-03-30", snapshot="2017-03-31"))
    assert status == DutyStatus("not_met", "the gender pay gap report for the snapshot date 31 March 2017 is not "
                                "listed: it is due today (reg 2)", D(2018, 3, 30), False, (), ("staff.count",),
                                "missing_evidence")


def test_nothing_listed_after_the_deadline_is_overdue():
    status = s.judge(duty(GPG), big("2025-04-01"))
    assert status == DutyStatus("not_met", "the gender pay gap report for the snapshot date 31 March 2024 is not "
                                "listed: it was due by 30 March 2025 and is overdue (reg 2)", D(2025, 3, 30), True,
                                (), ("staff.count",), "missing_evidence")


def test_only_older_reports_listed_is_stale():
    records = [report("gpg-2022", "2023-03-01", "2022-03-31"), report("gpg-2023", "2024-03-01", "2023-03-31")]
    status = s.judge(duty(GPG), big("2025-04-01", *records))
    assert status.outcome == "not_met"
    assert status.reason == ("the gender pay gap report for the snapshot date 31 March 2024 is not listed: it was "
                             "due by 30 March 2025 and is overdue (reg 2); the latest listed is for 31 March 2023")
    assert (status.evidence, status.problem, status.overdue) == (("gpg-2023",), "stale_evidence", True)


def test_a_report_that_does_not_say_its_snapshot():
    status = s.judge(duty(GPG), big("2025-04-01", report("gpg-x", "2025-03-01", title="Pay gap")))
    assert status == DutyStatus(
        "insufficient_evidence", "the gender pay gap report listed does not say which snapshot date it covers in "
        "\"Pay gap\", so it cannot be told whether the figures for 31 March 2024 are published (expected "
        "'snapshot: 2024-03-31' or another 31 March on the evidence item)", D(2025, 3, 30), True, ("gpg-x",),
        ("staff.count",), "missing_evidence")
    due_today = s.judge(duty(GPG), big("2018-03-30", report("gpg-x", "2018-03-01"), snapshot="2017-03-31"))
    assert (due_today.due, due_today.overdue) == (D(2018, 3, 30), False)


def test_a_report_published_after_the_assessment_date_does_not_count():
    status = s.judge(duty(GPG), big("2025-04-01", report("gpg-2024", "2025-04-02", "2024-03-31")))
    assert (status.outcome, status.problem) == ("not_met", "missing_evidence")


def test_a_small_council_is_not_bound():
    given = staff(100)
    status = s.judge(duty(GPG), context("2025-04-01", *given["records"], facts=given["facts"], specs=given["specs"]))
    assert status.outcome == "not_applicable"
    assert status.reason.startswith("does not apply: the council employed 100 people on the snapshot date "
                                    "31 March 2024")
    assert status.facts == ("staff.count",)


# --- snapshot dates on evidence items -----------------------------------------------------------------

def item(kind, snapshot, date="2025-03-01", published=None):
    return SimpleNamespace(type=kind, snapshot=D.fromisoformat(snapshot) if snapshot else None,
                           date=D.fromisoformat(date), published=D.fromisoformat(published) if published else None)


def test_check_snapshots():
    calendar = Calendar(kind="calendar", id="c", version="1", title="C", duties=[duty(INFO), duty(GPG)])
    doc = SimpleNamespace(path="assessment.yaml", locate=lambda loc: (loc[1] + 10, 5))
    items = [(0, item("gender-pay-gap-report", "2024-03-31")),
             (1, item("published-information", "2024-03-31")),
             (2, item("gender-pay-gap-report", "2024-04-05")),
             (3, item("gender-pay-gap-report", "2025-03-31", date="2025-03-01")),
             (4, item("gender-pay-gap-report", "2025-03-31", date="2025-03-01", published="2025-04-01")),
             (5, item("gender-pay-gap-report", None)),
             (6, item("gender-pay-gap-report", "2025-03-31", date="2025-03-31"))]
    sink = DiagnosticSink()
    s.check_snapshots(items, doc, calendar, sink)
    assert [str(d) for d in sink.items] == [
        "assessment.yaml:11:5: 'snapshot' is only for evidence reporting figures on a snapshot date "
        "(expected it on: gender-pay-gap-report)",
        "assessment.yaml:12:5: snapshot 2024-04-05 is not a snapshot date: for a public body it is 31 March each "
        "year (expected e.g. 2024-03-31)",
        "assessment.yaml:13:5: snapshot 2025-03-31 is after the report's publication date 2025-03-01 (expected "
        "the snapshot the published figures describe)",
    ]
    none = DiagnosticSink()
    s.check_snapshots([(0, item("gender-pay-gap-report", "2024-03-31"))], doc, None, none)
    assert [d.message for d in none.items] == ["'snapshot' is only for evidence reporting figures on a snapshot "
                                               "date (expected it on: none in this framework's calendar)"]


def test_only_facts_that_declare_the_headcount_say_where_one_comes_from():
    specs = {"staff.count": headcount_spec(("staff-list",)), "pay.rows": SimpleNamespace(needs=("payroll-export",)),
             "other": SimpleNamespace(headcount=False, needs=("survey",))}
    assert s._headcount_sources(context("2025-04-01", specs=specs)) == (
        "give the number of employees under 'council:' in assessment.yaml or list a staff list")
    assert s.current_headcount(context("2025-04-01", specs=specs)) is None


def test_a_report_published_on_the_assessment_date_counts():
    status = s.judge(duty(GPG), big("2025-04-01", report("gpg-2024", "2025-04-01", "2024-03-31")))
    assert (status.outcome, status.evidence) == ("met", ("gpg-2024",))
    assert "published on 1 April 2025, late: it was due by 30 March 2025, 2 days earlier" in status.reason


def test_find_calendar_checks_the_evidence_types_and_uses_text_already_read(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_FILE, encoding="utf-8")
    with pytest.raises(s.CalendarError) as caught:
        s.find_calendar({"test-calendar": SimpleNamespace(path=path)}, "test-calendar", {"published-information"})
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{path}:13:9: duty id 'information' is used twice (expected unique ids)",
        f"{path}:16:15: unknown evidence type 'staff-list' (expected one a loaded plugin registers; see 'efl plugins')"]
    good = CALENDAR_FILE.replace("  - id: information\n    title: publish it again", "  - id: again\n    title: publish it again")
    entry = SimpleNamespace(path=tmp_path / "not-read.yaml", text=good)
    assert s.find_calendar({"c": entry}, "c", {"published-information", "staff-list"}).calendar.id == "test-calendar"
