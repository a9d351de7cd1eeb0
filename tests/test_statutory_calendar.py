"""The statutory duties on their edge dates, under both the 2014 and the 2021 editions.

Every expected outcome and due date below was worked out by hand from the regulations, not from
efl's code:

* equality information (SI 2011/2260 reg 2; SI 2017/353 reg 4): first by 31 January 2012, then at
  intervals of no more than one year; information about employees only from 150 employees;
* equality objectives (SI 2011/2260 reg 3; SI 2017/353 reg 5): first by 6 April 2012, then at
  intervals of no more than four years; "specific and measurable", with no word about baselines;
* gender pay gap (SI 2017/353 reg 2 and Schedule 1): a body with 250 or more employees on the
  snapshot date, 31 March, publishes within 12 months beginning with that date, i.e. by 30 March
  the next year; the first snapshot was 31 March 2017, so the first deadline was 30 March 2018.

A deadline passes at the end of its day: assessed on the due date, nothing is overdue yet. A year
is a calendar year: a year from 29 February 2024 ends on 28 February 2025. Each folder is built
with efl.testing.make_folder and run through ``efl assess --format json``.
"""

from __future__ import annotations

import json

import pytest

from efl.testing import make_folder, run_efl

FRAMEWORKS = ("eflg-2014", "eflg-2021")
# The same statutory criteria under each edition's ids.
IDS = {
    "eflg-2014": {"information": "lpoc.information-published", "workforce": "scw.workforce-information",
                  "objectives": "lpoc.objectives-published", "measurable": "lpoc.objectives-measurable",
                  "targets": "lpoc.objectives-targets", "paygap": "scw.gender-pay-gap"},
    "eflg-2021": {"information": "lpoc.information-published", "workforce": "dew.data.1",
                  "objectives": "lpoc.objectives-published", "measurable": "lpoc.objectives-measurable",
                  "targets": "lpoc.priorities.2", "paygap": "dew.data.2"},
}

OBJECTIVES_WITH_MEASURES = {"objectives": [
    # Harrow (seed 003): three corporate objectives, progress measured against directorate
    # scorecards whose targets are set yearly; no baseline figure in the objectives themselves.
    {"id": "1", "title": "An inclusive workforce that feels valued, respected and reflects our community",
     "measure": "workforce profile by characteristic and staff survey results, from directorate scorecards"},
    {"id": "2", "title": "An improved understanding of our communities so services are fair and accessible",
     "measure": "equality impact assessments completed and service satisfaction by group"},
    {"id": "3", "title": "Promote and celebrate the diversity of the borough and foster community cohesion",
     "measure": "residents who agree people from different backgrounds get on well"},
]}


def info(date: str, **extra) -> dict:
    return {"id": f"info-{date}", "type": "published-information", "file": "evidence/info.md", "date": date, **extra}


def objectives(date: str) -> dict:
    return {"id": f"objectives-{date}", "type": "equality-objectives", "file": "evidence/objectives.yaml",
            "date": date}


def paygap(published: str, snapshot: str | None) -> dict:
    item = {"id": f"gpg-{published}", "type": "gender-pay-gap-report", "file": "evidence/gpg.md", "date": published}
    if snapshot is not None:
        item["snapshot"] = snapshot
    return item


def assess(tmp_path, framework: str, date: str, evidence: list[dict], employees: int | None = 400,
           objectives_file: dict | None = None, name: str = "council") -> dict:
    council = {"name": "Testshire Council"}
    if employees is not None:
        council["employees"] = employees
    folder = make_folder(tmp_path / f"{name}-{framework}", {
        "assessment.yaml": {"framework": framework, "council": council, "date": date, "evidence": evidence},
        "evidence/info.md": "# Equality information\n",
        "evidence/gpg.md": "# Gender pay gap report\n",
        "evidence/objectives.yaml": objectives_file or OBJECTIVES_WITH_MEASURES,
    })
    out = run_efl("assess", folder, "--format", "json").assert_success()
    return out.json


def criterion(result: dict, criterion_id: str) -> dict:
    return next(c for a in result["areas"] for c in a["criteria"] if c["id"] == criterion_id)


def action(result: dict, criterion_id: str) -> dict | None:
    return next((x for x in result["actions"] if x["criterion"] == criterion_id), None)


# (label, duty, assessment date, employees, evidence, outcome, due date, overdue)
CASES = [
    # --- equality information: first due 31 January 2012, then yearly ------------------------------
    ("information: assessed 1 Dec 2011, before the duty", "information", "2011-12-01", 400, [],
     "not_applicable", None, False),
    ("information: day before the first due date", "information", "2012-01-30", 400, [],
     "not_applicable", None, False),
    ("information: on the first due date, nothing published", "information", "2012-01-31", 400, [],
     "not_met", "2012-01-31", False),
    ("information: day after the first due date", "information", "2012-02-01", 400, [],
     "not_met", "2012-01-31", True),
    ("information: published early, before the first due date", "information", "2012-02-01", 400,
     [info("2012-01-10")], "met", "2013-01-10", False),
    ("information: published before the duty; due no earlier than 31 Jan 2012", "information", "2012-02-15",
     400, [info("2010-06-01")], "not_met", "2012-01-31", True),
    ("information: a day before the yearly deadline", "information", "2025-11-13", 400, [info("2024-11-14")],
     "met", "2025-11-14", False),
    ("information: on the yearly deadline", "information", "2025-11-14", 400, [info("2024-11-14")],
     "met", "2025-11-14", False),
    ("information: a day after the yearly deadline", "information", "2025-11-15", 400, [info("2024-11-14")],
     "not_met", "2025-11-14", True),
    ("information: from 29 Feb 2024 a year ends 28 Feb 2025", "information", "2025-02-28", 400,
     [info("2024-02-29")], "met", "2025-02-28", False),
    ("information: 29 Feb 2024, assessed 1 March 2025", "information", "2025-03-01", 400,
     [info("2024-02-29")], "not_met", "2025-02-28", True),
    ("information: 28 Feb 2023, assessed 29 Feb 2024 (a year and a day)", "information", "2024-02-29", 400,
     [info("2023-02-28")], "not_met", "2024-02-28", True),
    ("information: the publication date counts, not the date written", "information", "2025-11-14", 400,
     [info("2024-10-01", published="2024-12-01")], "met", "2025-12-01", False),
    # --- workforce information: yearly, from 150 employees -----------------------------------------
    ("workforce: 149 employees", "workforce", "2025-11-14", 149, [], "not_applicable", None, False),
    ("workforce: 150 employees, never published", "workforce", "2025-11-14", 150, [],
     "not_met", "2012-01-31", True),
    ("workforce: headcount unknown", "workforce", "2025-11-14", None, [], "insufficient_evidence", None, False),
    ("workforce: before its first due date", "workforce", "2011-12-01", 150, [], "not_applicable", None, False),
    # --- equality objectives: first due 6 April 2012, then four-yearly ------------------------------
    ("objectives: assessed 1 Dec 2011, before the duty", "objectives", "2011-12-01", 400, [],
     "not_applicable", None, False),
    ("objectives: day before the first due date", "objectives", "2012-04-05", 400, [],
     "not_applicable", None, False),
    ("objectives: on the first due date, none published", "objectives", "2012-04-06", 400, [],
     "not_met", "2012-04-06", False),
    ("objectives: day after the first due date", "objectives", "2012-04-07", 400, [],
     "not_met", "2012-04-06", True),
    ("objectives: a day before four years are up", "objectives", "2026-08-31", 400, [objectives("2022-09-01")],
     "met", "2026-09-01", False),
    ("objectives: on the four-year deadline", "objectives", "2026-09-01", 400, [objectives("2022-09-01")],
     "met", "2026-09-01", False),
    ("objectives: a day after the four-year deadline", "objectives", "2026-09-02", 400,
     [objectives("2022-09-01")], "not_met", "2026-09-01", True),
    ("objectives: 29 Feb 2020 plus four years is 29 Feb 2024", "objectives", "2024-02-29", 400,
     [objectives("2020-02-29")], "met", "2024-02-29", False),
    ("objectives: 29 Feb 2020, assessed 1 March 2024", "objectives", "2024-03-01", 400,
     [objectives("2020-02-29")], "not_met", "2024-02-29", True),
    # --- gender pay gap: snapshot 31 March, publish by 30 March the next year, 250+ -----------------
    ("pay gap: assessed in 2016, before the first snapshot", "paygap", "2016-06-01", 400, [],
     "not_applicable", None, False),
    ("pay gap: after the first snapshot, before its deadline", "paygap", "2017-11-01", 400, [],
     "not_applicable", None, False),
    ("pay gap: day before the first deadline", "paygap", "2018-03-29", 400, [], "not_applicable", None, False),
    ("pay gap: on the first deadline, no report", "paygap", "2018-03-30", 400, [], "not_met", "2018-03-30", False),
    ("pay gap: on the first deadline, 2017 report out", "paygap", "2018-03-30", 400,
     [paygap("2018-03-01", "2017-03-31")], "met", "2018-03-30", False),
    ("pay gap: day after the first deadline, no report", "paygap", "2018-03-31", 400, [],
     "not_met", "2018-03-30", True),
    ("pay gap: published early 15 Jun 2024, assessed 14 Nov 2025", "paygap", "2025-11-14", 400,
     [paygap("2024-06-15", "2024-03-31")], "met", "2026-03-30", False),
    ("pay gap: dated 27 Mar 2025, assessed 28 Mar 2026", "paygap", "2026-03-28", 400,
     [paygap("2025-03-27", "2024-03-31")], "met", "2026-03-30", False),
    ("pay gap: same report, assessed on 30 Mar 2026", "paygap", "2026-03-30", 400,
     [paygap("2025-03-27", "2024-03-31")], "met", "2026-03-30", False),
    ("pay gap: same report, assessed 31 Mar 2026: 2025 figures overdue", "paygap", "2026-03-31", 400,
     [paygap("2025-03-27", "2024-03-31")], "not_met", "2026-03-30", True),
    ("pay gap: assessed 31 Mar 2026 with no report at all", "paygap", "2026-03-31", 400, [],
     "not_met", "2026-03-30", True),
    ("pay gap: late report for the snapshot due is still a report", "paygap", "2025-11-14", 400,
     [paygap("2025-05-01", "2024-03-31")], "met", "2026-03-30", False),
    ("pay gap: a late report for an old snapshot does not count", "paygap", "2025-11-14", 400,
     [paygap("2025-05-01", "2023-03-31")], "not_met", "2025-03-30", True),
    ("pay gap: a report that names no snapshot", "paygap", "2025-11-14", 400, [paygap("2025-03-01", None)],
     "insufficient_evidence", "2025-03-30", True),
    ("pay gap: 29 Feb 2028, the 2026 figures are the ones due", "paygap", "2028-02-29", 400,
     [paygap("2027-03-30", "2026-03-31")], "met", "2028-03-30", False),
    ("pay gap: 249 employees", "paygap", "2025-11-14", 249, [], "not_applicable", None, False),
    ("pay gap: 250 employees", "paygap", "2025-11-14", 250, [], "not_met", "2025-03-30", True),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("label, duty, date, employees, evidence, outcome, due, overdue", CASES,
                         ids=[c[0] for c in CASES])
def test_edge_dates(tmp_path, framework, label, duty, date, employees, evidence, outcome, due, overdue):
    result = assess(tmp_path, framework, date, evidence, employees)
    got = criterion(result, IDS[framework][duty])
    assert got["statutory"] is True
    assert (got["outcome"], got["due"], got["overdue"]) == (outcome, due, overdue), got["reasons"]
    todo = action(result, IDS[framework][duty])
    if outcome in ("met", "not_applicable"):
        assert todo is None
    elif due is None:
        # Whether the duty applies is unknown (no headcount): still a priority, on the default interval.
        assert todo["priority"] == 1 and not todo["overdue"]
    else:
        # A statutory gap is always priority 1, due when the law says, overdue once that day has passed.
        assert (todo["priority"], todo["due"], todo["overdue"]) == (1, due, overdue)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_reasons_say_why(tmp_path, framework):
    ids = IDS[framework]
    early = assess(tmp_path, framework, "2011-12-01", [], name="early")
    for duty in ("information", "objectives", "measurable", "paygap"):
        assert criterion(early, ids[duty])["outcome"] == "not_applicable"
    reason = criterion(early, ids["information"])["reasons"][0]
    assert "31 January 2012" in reason and "1 December 2011" in reason
    assert "6 April 2012" in criterion(early, ids["objectives"])["reasons"][0]
    assert "31 March 2017" in criterion(early, ids["paygap"])["reasons"][0]

    overdue = assess(tmp_path, framework, "2026-03-31", [], name="overdue")
    reason = criterion(overdue, ids["paygap"])["reasons"][0]
    assert "31 March 2025" in reason and "30 March 2026" in reason and "overdue" in reason

    late = assess(tmp_path, framework, "2025-11-14", [paygap("2025-05-01", "2024-03-31")], name="late")
    reason = criterion(late, ids["paygap"])["reasons"][0]
    assert "late" in reason and "30 March 2025" in reason and "32 days" in reason  # 31 March to 1 May

    small = assess(tmp_path, framework, "2025-11-14", [], employees=249, name="small")
    reason = criterion(small, ids["paygap"])["reasons"][0]
    assert "249" in reason and "250" in reason


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_objectives_with_measures_but_no_baselines_meet_the_law(tmp_path, framework):
    ids = IDS[framework]
    result = assess(tmp_path, framework, "2017-03-01", [objectives("2016-03-23")])  # Harrow, 2016
    assert criterion(result, ids["objectives"])["outcome"] == "met"
    assert criterion(result, ids["measurable"])["outcome"] == "met"
    # Baselines and targets are good practice at Achieving, not the legal duty.
    targets = criterion(result, ids["targets"])
    assert (targets["outcome"], targets["statutory"], targets["level"]) == ("not_met", False, "achieving")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_leicestershire_eo1_to_eo8(tmp_path, framework):
    # Seed 002: eight objectives under three aims, each stated as a change the council will make.
    # The measures are ours (the slides give none); no baselines.
    titles = ["Maintain or improve gender, disability, sexual orientation, race and age targets by March 2020",
              "Provide fair pay and reward for Council employees",
              "Ensure appropriate equality and diversity training is completed by staff and members",
              "Clear and accountable leadership at all levels for its equalities responsibilities",
              "Ensure all members of staff feel equally valued and supported",
              "Understand the effect of our policies and practices on protected characteristic groups",
              "Provide information in the most appropriate and accessible way",
              "Empower communities across Leicestershire to be cohesive, tolerant and resilient"]
    file = {"objectives": [{"id": f"EO{i}", "title": t, "measure": "reported in the yearly equality report"}
                           for i, t in enumerate(titles, 1)]}
    result = assess(tmp_path, framework, "2018-06-01", [objectives("2016-05-17")], objectives_file=file)
    assert criterion(result, IDS[framework]["measurable"])["outcome"] == "met"
    # Without a measure an objective is not measurable, so the statutory criterion is not met.
    file["objectives"][7].pop("measure")
    result = assess(tmp_path, framework, "2018-06-01", [objectives("2016-05-17")], objectives_file=file,
                    name="eo8-vague")
    got = criterion(result, IDS[framework]["measurable"])
    assert got["outcome"] == "not_met" and got["statutory"] is True
    fact = next(f for f in result["facts"] if f["name"] == "leadership.objectives.measurable_count")
    assert fact["value"] == 7 and "Still to do: objective EO8" in fact["statement"]


def test_or_keeps_its_meaning(tmp_path):
    # Bexley (seed 001): "we will be successful if A, B or C". One measure with a baseline and a
    # target is enough when any one will do; with "all", every measure needs both.
    def file(success: str) -> dict:
        return {"objectives": [{"id": "B", "title": "Narrow the SEN attainment gap", "success": success,
                                "measures": [{"measure": "Attainment 8", "baseline": "37.5 vs 55.8 (2016)",
                                              "target": "closer"},
                                             {"measure": "Progress 8"}]}]}
    either = assess(tmp_path, "eflg-2014", "2018-06-01", [objectives("2017-01-01")], objectives_file=file("any"))
    both = assess(tmp_path, "eflg-2014", "2018-06-01", [objectives("2017-01-01")], objectives_file=file("all"),
                  name="all")
    assert criterion(either, "lpoc.objectives-targets")["outcome"] == "met"
    assert criterion(both, "lpoc.objectives-targets")["outcome"] == "not_met"
    assert criterion(both, "lpoc.objectives-measurable")["outcome"] == "met"


def test_bexley_example_keeps_or():
    from conftest import EXAMPLES
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((EXAMPLES / "bexley" / "evidence" / "equality-objectives.yaml").read_text())
    assert [o["success"] for o in data["objectives"]] == ["any", "any"]
    assert [len(o["measures"]) for o in data["objectives"]] == [3, 3]


def test_period_drives_the_window_and_the_json_says_so(tmp_path):
    # A policy dated 1 May 2024: within a year of a period ending 31 March 2025, not of 14 November 2025.
    policy = {"id": "policy", "type": "eqia-register", "file": "evidence/eqia.csv", "date": "2024-05-01"}
    eqia = "policy,service,decision_date,eqia_done\nBudget,Finance,2024-04-01,true\n"
    results = {}
    for name, period in (("with-period", {"start": "2024-04-01", "end": "2025-03-31"}), ("without", None)):
        data = {"framework": "eflg-2014", "council": {"name": "Testshire", "employees": 400},
                "date": "2025-11-14", "evidence": [policy]}
        if period:
            data["period"] = period
        folder = make_folder(tmp_path / name, {"assessment.yaml": data, "evidence/eqia.csv": eqia})
        results[name] = run_efl("assess", folder, "--format", "json").assert_success().json
    assert results["with-period"]["assessment"]["window"] == {
        "end": "2025-03-31", "basis": "period", "statutory_on": "2025-11-14"}
    assert results["without"]["assessment"]["window"] == {
        "end": "2025-11-14", "basis": "date", "statutory_on": "2025-11-14"}
    assert criterion(results["with-period"], "rscc.eqia-register")["outcome"] == "met"
    without = criterion(results["without"], "rscc.eqia-register")
    assert without["outcome"] == "not_met" and "1 May 2024" in without["reasons"][0]


def test_one_year_is_a_calendar_year_for_facts_and_rules_alike(tmp_path):
    # Published 29 February 2024 and assessed 28 February 2025: 365 days, and within the year.
    result = assess(tmp_path, "eflg-2014", "2025-02-28", [info("2024-02-29")])
    facts = {f["name"]: f["value"] for f in result["facts"]}
    assert facts["leadership.information.days_since_published"] == 365
    assert facts["leadership.information.within_year"] is True
    assert criterion(result, "lpoc.information-published")["outcome"] == "met"
    # Published 28 February 2023 and assessed 29 February 2024: 366 days, a year and a day.
    result = assess(tmp_path, "eflg-2014", "2024-02-29", [info("2023-02-28")], name="leap")
    facts = {f["name"]: f["value"] for f in result["facts"]}
    assert facts["leadership.information.within_year"] is False
    assert criterion(result, "lpoc.information-published")["outcome"] == "not_met"


def test_dates_within_by_hand():
    import datetime as dt

    from efl.law.dates import ONE_YEAR, parse_duration, within

    d = dt.date
    assert within(d(2024, 2, 29), ONE_YEAR, d(2025, 2, 28)) and not within(d(2024, 2, 29), ONE_YEAR, d(2025, 3, 1))
    assert not within(d(2023, 2, 28), ONE_YEAR, d(2024, 2, 29))
    assert within(d(2023, 3, 1), ONE_YEAR, d(2024, 3, 1)) and not within(d(2023, 3, 1), ONE_YEAR, d(2024, 3, 2))
    assert within(d(2020, 2, 29), parse_duration("P4Y"), d(2024, 2, 29))
    assert within(d(2025, 6, 1), ONE_YEAR, d(2025, 1, 1))  # a later date is never too old


@pytest.mark.parametrize("snapshot, type_, message", [
    ("2024-04-05", "gender-pay-gap-report", "is not a snapshot date"),
    ("2026-03-31", "gender-pay-gap-report", "is after the report's publication date"),
    ("2024-03-31", "published-information", "'snapshot' is only for evidence reporting figures"),
])
def test_snapshot_is_checked_with_its_position(tmp_path, snapshot, type_, message):
    item = {"id": "item", "type": type_, "file": "evidence/gpg.md", "date": "2025-03-01", "snapshot": snapshot}
    folder = make_folder(tmp_path / "f", {
        "assessment.yaml": {"framework": "eflg-2021", "council": {"name": "Testshire", "employees": 400},
                            "date": "2025-11-14", "evidence": [item]},
        "evidence/gpg.md": "# Report\n"})
    out = run_efl("validate", folder).assert_exit(2)
    # The evidence list starts on line 6; snapshot is the item's sixth key, its value at column 13.
    assert f"{folder / 'assessment.yaml'}:11:13: " in out.output + out.stderr
    assert message in out.output + out.stderr


def test_calendar_mistakes_are_reported_with_positions(tmp_path):
    import efl
    from conftest import FrameworkFile

    calendar = tmp_path / "cal.yaml"
    calendar.write_text(
        "kind: calendar\nid: bad-cal\nversion: '1'\ntitle: Bad\nduties:\n"
        "  - id: gpg\n    title: publish\n    noun: the report\n    evidence: gender-pay-gap-report\n"
        "    first_due: 2018-03-31\n    snapshot: '03-31'\n    first_snapshot: 2017-03-31\n"
        "    publish_within: P1Y\n    citation: SI 2017/353\n"
        "  - id: info\n    title: publish\n    noun: information\n    evidence: no-such-type\n"
        "    first_due: 2012-01-31\n    every: P1Y\n    citation: SI 2011/2260\n", encoding="utf-8")
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "id: cal-fw\nversion: '1'\ntitle: T\ncalendar: bad-cal\nlevels:\n  - {id: developing, title: Developing}\n"
        "areas:\n  - id: a\n    title: A\n    criteria:\n      - id: a.gpg\n        title: G\n"
        "        level: developing\n        statutory: true\n        rule: {duty: gpg}\n        action: Publish.\n"
        "        source: test\n", encoding="utf-8")

    class Calendar(FrameworkFile):
        @efl.hookimpl
        def efl_register_frameworks(self, register):
            register(efl.FrameworkSource(self.path))

    out = run_efl("show", "cal-fw", plugins=[("fw", FrameworkFile(framework)), ("cal", Calendar(calendar))])
    assert out.exit_code == 2, out.output + out.stderr
    text = out.output + out.stderr
    assert "cal.yaml:6:5: " in text and "does not follow from the first snapshot" in text
    assert "cal.yaml:18:15: unknown evidence type 'no-such-type'" in text
    # The rule names 'gpg', which the broken calendar does declare: no third, knock-on message.
    assert "2 errors found" in text


def test_duty_rule_names_a_calendar_duty(tmp_path):
    from conftest import FrameworkFile

    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "id: cal-fw\nversion: '1'\ntitle: T\ncalendar: psed-england\nlevels:\n  - {id: developing, title: D}\n"
        "areas:\n  - id: a\n    title: A\n    criteria:\n      - id: a.gpg\n        title: G\n"
        "        level: developing\n        rule: {duty: gender-pay-gaps}\n        action: Publish.\n"
        "        source: test\n", encoding="utf-8")
    out = run_efl("show", "cal-fw", plugins=[("fw", FrameworkFile(framework))])
    assert out.exit_code == 2
    assert "fw.yaml:14:22: " in out.output + out.stderr and "no duty 'gender-pay-gaps'" in out.output + out.stderr


def test_show_lists_the_duties_headings_and_local_tables():
    text = " ".join(run_efl("show", "eflg-2021").assert_success().output.split())
    assert "first due 31 January 2012" in text and "first due 6 April 2012" in text
    assert "first due 30 March 2018" in text and "250 employees on the snapshot date" in text
    uwc = run_efl("show", "eflg-2021", "uwc").assert_success().output
    assert "Fostering good community relations (no criteria, unconfirmed)" in uwc
    assert "Participation in public life (no criteria, unconfirmed)" in uwc
    assert "London Borough of Bexley's local table, not the framework's own text" in uwc
    scw = run_efl("show", "eflg-2014", "scw").assert_success().output
    assert "Source: SI 2017/353 reg 2 and Schedule 1" in scw
    assert "(the year of that refresh, given as 2014, is not confirmed)" in " ".join(
        run_efl("show", "eflg-2014").assert_success().output.split())


def test_results_name_the_calendar_they_used(tmp_path):
    result = assess(tmp_path, "eflg-2021", "2025-11-14", [])
    assert result["schema_version"] == "1.3"
    calendar = result["framework"]["calendar"]
    assert calendar["id"] == "psed-england" and len(calendar["sha256"]) == 64
    # Older results, without the new fields, still read back.
    from efl.core.models import Result

    old = dict(result)
    old["framework"] = {k: v for k, v in result["framework"].items() if k != "calendar"}
    old["assessment"] = {k: v for k, v in result["assessment"].items() if k != "window"}
    for area in old["areas"]:
        for c in area["criteria"]:
            c.pop("due"), c.pop("overdue")
    assert Result.model_validate(json.loads(json.dumps(old))).assessment.window is None
