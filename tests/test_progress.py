"""Progress through the year: quarterly and annual reports, the spreadsheet round trip, governance."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from efl.plan.action_plan import Plan, PlanLine, PlanNote, to_yaml
from efl.cli import cli

from conftest import EXAMPLES, assessment_yaml, write_files

HARROW = EXAMPLES / "harrow"


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def set_plan(folder: Path, name: str) -> None:
    path = folder / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("plan: action-plan.yaml", f"plan: {name}"), encoding="utf-8")


def test_a_plan_edited_as_a_spreadsheet_gives_a_progress_report_that_shows_the_edits(tmp_path):
    folder = tmp_path / "harrow"
    shutil.copytree(HARROW, folder)
    result = run("assess", folder, "--format", "json", "-o", tmp_path / "r.json", "--plan", folder / "plan.xlsx")
    assert result.exit_code == 0, result.output
    shutil.copy(folder / "plan.xlsx", tmp_path / "last-quarter.xlsx")

    # The lead officer's edits, made in the workbook as a person would.
    book = openpyxl.load_workbook(folder / "plan.xlsx")
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("Id", "Status", "Progress notes", "Output due", "Action")}
    assert sheet.column_dimensions["A"].width >= 10 and sheet.column_dimensions[
        openpyxl.utils.get_column_letter(col["Action"])].width == 34
    assert any(f"{openpyxl.utils.get_column_letter(col['Status'])}2" in str(v.sqref)
               for v in sheet.data_validations.dataValidation)
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["Id"]).value == "und-profile")
    due = sheet.cell(row, col["Output due"])
    assert due.is_date and due.value.date() == dt.date(2017, 1, 31)  # a real date, not text
    sheet.cell(row, col["Status"]).value = "Done"
    notes = sheet.cell(row, col["Progress notes"])
    notes.value = notes.value + "\n20/03/2017: Profile published on the website."
    sheet.cell(row, col["Output due"]).value = dt.datetime(2017, 2, 28)
    book.save(folder / "plan.xlsx")

    set_plan(folder, "plan.xlsx")
    result = run("progress", folder, "--as-of", "2017-03-31", "--previous", tmp_path / "last-quarter.xlsx",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    lines = {x["id"]: x for group in report["by_objective"] for x in group["lines"]}
    assert lines["und-profile"]["state"] == "done" and lines["und-profile"]["due"] == "2017-02-28"
    assert lines["und-profile"]["latest_note"] == "20 March 2017: Profile published on the website."
    changed = [c for c in report["changes"] if c.startswith("'Refresh the borough profile")]
    assert changed == [
        "'Refresh the borough profile with the 2015 mid-year estimates and publish it': status changed from on "
        "track to done.",
        "'Refresh the borough profile with the 2015 mid-year estimates and publish it': due date changed from "
        "31 January 2017 to 28 February 2017.",
        "'Refresh the borough profile with the 2015 mid-year estimates and publish it': new note of 20 March 2017: "
        "Profile published on the website.",
    ]
    # Nothing else changed: efl's own lines and Harrow's other lines are as they were.
    assert len(report["changes"]) == 3
    table = run("progress", folder, "--as-of", "2017-03-31", "--previous", tmp_path / "last-quarter.xlsx").stdout
    assert "status changed from on track to done" in table and "Profile published on the website." in table


def test_overdue_is_judged_on_the_report_date_not_the_clock(tmp_path):
    plan = Plan(lines=[
        PlanLine(id="a", action="Due at the end of January", due=dt.date(2026, 1, 31), status="on track"),
        PlanLine(id="b", action="Done late", due=dt.date(2025, 12, 31), status="done"),
        PlanLine(id="c", action="Dropped", due=dt.date(2025, 12, 31), status="dropped"),
        PlanLine(id="d", action="No date", status="at risk"),
        PlanLine(id="e", action="Not begun", due=dt.date(2025, 11, 30), status="not started"),
    ])
    folder = write_files(tmp_path / "c", {"assessment.yaml": assessment_yaml(framework="eflg-2014",
                                                                             date="2026-01-15",
                                                                             extra="plan: plan.yaml\n"),
                                          "plan.yaml": to_yaml(plan)})

    def states(*extra):
        result = run("progress", folder, "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return data["as_of"], {x["id"]: x["state"] for g in data["by_objective"] for x in g["lines"]}, data["counts"]

    as_of, by_id, counts = states()
    assert as_of == "2026-01-15"  # the assessment date by default
    assert by_id == {"a": "on track", "b": "done", "c": "dropped", "d": "at risk", "e": "overdue"}
    assert states("--as-of", "2026-01-31")[1]["a"] == "on track"  # due on the day is not yet overdue
    as_of, by_id, counts = states("--as-of", "2026-02-01")
    assert by_id["a"] == "overdue" and counts == {"done": 1, "on track": 0, "at risk": 1, "overdue": 2,
                                                  "not started": 0, "no status given": 0, "dropped": 1}


def test_a_status_the_council_left_empty_is_never_made_up_and_the_default_date_is_the_latest_note(tmp_path):
    plan = Plan(lines=[
        PlanLine(id="a", action="Survey residents about the library service", due=dt.date(2026, 6, 30),
                 notes=[PlanNote(date=dt.date(2026, 2, 10), text="Questions drafted.")]),
        PlanLine(id="b", action="Publish the equality information for the year", status="on track"),
    ])
    folder = write_files(tmp_path / "c", {"assessment.yaml": assessment_yaml(framework="eflg-2014",
                                                                             date="2026-01-15",
                                                                             extra="plan: plan.yaml\n"),
                                          "plan.yaml": to_yaml(plan)})
    data = json.loads(run("progress", folder, "--format", "json").stdout)
    # The report is dated by the newest progress note (after the assessment), so that note is shown.
    assert data["as_of"] == "2026-02-10"
    lines = {x["id"]: x for g in data["by_objective"] for x in g["lines"]}
    assert lines["a"]["status"] == "no status given" and lines["a"]["state"] == "no status given"
    assert lines["a"]["latest_note"] == "10 February 2026: Questions drafted."
    assert data["counts"]["no status given"] == 1 and data["counts"]["not started"] == 0
    text = run("progress", folder).stdout
    assert "Survey residents about the library service" in text and "no status given" in text


def test_without_a_previous_plan_changes_come_from_the_notes_of_the_last_three_months(tmp_path):
    plan = Plan(lines=[
        PlanLine(id="a", action="Survey", status="on track", notes=[
            PlanNote(date=dt.date(2025, 12, 31), text="Too old: the day the quarter starts"),
            PlanNote(date=dt.date(2026, 1, 1), text="Counted: first day of the quarter"),
            PlanNote(date=dt.date(2026, 3, 31), text="Counted: the report date"),
            PlanNote(date=dt.date(2026, 4, 1), text="After the report date: not shown")]),
        PlanLine(id="b", action="Added by efl", proposed=dt.date(2026, 2, 10))])
    folder = write_files(tmp_path / "c", {"assessment.yaml": assessment_yaml(framework="eflg-2014", date="2025-10-01",
                                                                             extra="plan: plan.yaml\n"),
                                          "plan.yaml": to_yaml(plan)})
    result = run("progress", folder, "--as-of", "2026-03-31", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["changes"] == ["'Survey' (on track), 1 January 2026: Counted: first day of the quarter",
                               "'Survey' (on track), 31 March 2026: Counted: the report date",
                               "'Added by efl' was added to the plan on 10 February 2026."]
    lines = {x["id"]: x for g in data["by_objective"] for x in g["lines"]}
    assert lines["a"]["latest_note"] == "31 March 2026: Counted: the report date"


def test_annual_report_adds_levels_and_the_change_since_last_year(tmp_path):
    now = json.loads(run("assess", HARROW, "--format", "json").stdout)
    # Harrow's illustrative evidence reaches no level in any area this year.
    assert [a["level"] for a in now["areas"]] == [None] * 5
    last = json.loads(json.dumps(now))
    last["areas"][0]["level"] = "achieving"   # two levels down since
    last["areas"][2]["level"] = "developing"  # one level down
    del last["areas"][4]                      # not assessed last year
    (tmp_path / "last.json").write_text(json.dumps(last), encoding="utf-8")
    out = run("progress", HARROW, "--annual", "--last-year", tmp_path / "last.json", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["overall"] == "Not yet Developing"
    assert [(lv["area"], lv["level"], lv["last_year"], lv["change"]) for lv in data["levels"]] == [
        ("Knowing your communities", "Not yet Developing", "Achieving", "down 2 levels"),
        ("Leadership, partnership and organisational commitment", "Not yet Developing", "Not yet Developing",
         "no change"),
        ("Involving your communities", "Not yet Developing", "Developing", "down 1 level"),
        ("Responsive services and customer care", "Not yet Developing", "Not yet Developing", "no change"),
        ("A skilled and committed workforce", "Not yet Developing", None, "not assessed last year"),
    ]
    text = run("progress", HARROW, "--annual", "--last-year", tmp_path / "last.json").stdout
    assert "annual progress report" in text and "Level per area (overall: Not yet Developing)" in text
    assert run("progress", HARROW, "--last-year", tmp_path / "last.json").exit_code == 2


def test_governance_calendar_worked_by_hand(tmp_path):
    extra = textwrap.dedent("""\
        roles:
          officer: {title: Equality Officer, person: Sam Lee}
        bodies:
          board: {title: Improvement Board, frequency: quarterly, chair: officer}
          cabinet: {title: Cabinet, frequency: annual}
          staff: {title: Staff group}
        owners: {council: officer, managers: officer, Head of HR: officer}
        """)
    evidence = """\
        - {id: board-may, type: committee-paper, body: board, date: 2025-05-15}
        - {id: objectives, type: equality-objectives, file: objectives.yaml, date: 2023-09-01}
        """
    folder = write_files(tmp_path / "c", {
        "assessment.yaml": assessment_yaml(evidence, framework="eflg-2014", date="2025-06-30", extra=extra),
        "objectives.yaml": "objectives:\n  - {id: one, title: One, measure: m, baseline: '1', target: '2'}\n"})
    result = run("progress", folder, "--calendar", "--format", "json")
    assert result.exit_code == 0, result.output
    calendar = [(e["date"], e["what"], e["who"]) for e in json.loads(result.stdout)["calendar"]]
    board = "Equality progress report to Improvement Board (every quarter)"
    assert calendar == [
        ("2025-08-15", board, "Equality Officer (Sam Lee)"),
        ("2025-09-01", "Yearly review of the targets and performance measures", "Equality Officer (Sam Lee)"),
        ("2025-11-15", board, "Equality Officer (Sam Lee)"),
        ("2026-02-15", board, "Equality Officer (Sam Lee)"),
        ("2026-05-15", board, "Equality Officer (Sam Lee)"),
        ("2026-06-30", "Equality progress report to Cabinet (every year)", ""),
        ("2027-09-01", "Review of the equality objectives (at least every four years)", "Equality Officer (Sam Lee)"),
    ]


def test_a_framework_criterion_can_check_reports_reached_each_body(tmp_path, with_framework):
    host, _ = with_framework("""\
        - id: reports
          title: Equality reports reach each body on schedule
          level: developing
          rule: {fact: governance.reports_on_schedule}
          action: Report to each body as often as its terms say.
          source: test
        """)
    extra = "bodies:\n  ceg: {title: Corporate Equalities Group, frequency: bimonthly}\n  cab: {title: Cabinet, frequency: annual}\n"
    papers = "".join(f"- {{id: ceg-{m}, type: committee-paper, body: ceg, date: 2025-{m:02d}-10}}\n"
                     for m in (1, 3, 5, 7, 9, 11))
    from efl.core.engine import assess

    def outcome(evidence: str) -> tuple[str, str]:
        folder = write_files(tmp_path / str(len(evidence)), {
            "assessment.yaml": assessment_yaml(evidence, date="2025-12-31", extra=extra)})
        result = assess(folder, host).result
        fact = next(f for f in result.facts if f.name == "governance.reports_on_schedule")
        return result.areas[0].criteria[0].outcome, fact.statement

    got, why = outcome(papers + "- {id: cab-1, type: committee-paper, body: cab, date: 2025-07-01}\n")
    assert got == "met" and why == "2 of 2 bodies received every equality report due in the year."
    # Drop one bimonthly paper: 5 of the 6 due in the twelve months.
    got, why = outcome(papers.replace("- {id: ceg-3, type: committee-paper, body: ceg, date: 2025-03-10}\n", "")
                       + "- {id: cab-1, type: committee-paper, body: cab, date: 2025-07-01}\n")
    assert got == "not_met"
    assert why == ("1 of 2 bodies received every equality report due in the year. Corporate Equalities Group "
                   "received 5 of the 6 equality reports due every two months in the year, the latest on "
                   "10 November 2025.")


def test_progress_without_a_plan_says_how_to_name_one(tmp_path):
    folder = write_files(tmp_path / "c", {"assessment.yaml": assessment_yaml(framework="eflg-2014")})
    result = run("progress", folder)
    assert result.exit_code == 2
    assert f"{folder / 'assessment.yaml'}:1:1: no action plan is named (expected 'plan: FILE'" in result.output
    (folder / "assessment.yaml").write_text(assessment_yaml(framework="eflg-2014", extra="plan: missing.csv\n"),
                                            encoding="utf-8")
    result = run("progress", folder)
    assert result.exit_code == 2
    assert f"{folder / 'assessment.yaml'}:6:7: plan: 'missing.csv' was not found" in result.output
    (folder / "assessment.yaml").write_text(assessment_yaml(framework="eflg-2014", extra="plan: ../outside.yaml\n"),
                                            encoding="utf-8")
    result = run("progress", folder)
    assert result.exit_code == 2 and "leads outside the assessment folder" in result.output


def test_calendar_alone_for_a_folder_without_a_plan():
    bexley = EXAMPLES / "bexley"  # objectives dated 1 September 2022, no plan, no bodies
    result = run("progress", bexley, "--calendar", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["has_plan"] is False
    assert [(e["date"], e["what"]) for e in data["calendar"]] == [
        ("2026-09-01", "Review of the equality objectives (at least every four years)"),
        ("2026-09-01", "Yearly review of the targets and performance measures")]
    later = json.loads(run("progress", bexley, "--calendar", "--as-of", "2027-01-01", "--format", "json").stdout)
    assert [(e["date"], e["what"]) for e in later["calendar"]] == [
        ("2026-09-01", "Review of the equality objectives (at least every four years) (overdue: the objectives "
                       "are more than four years old)"),
        ("2027-09-01", "Yearly review of the targets and performance measures")]
    text = run("progress", bexley, "--calendar").stdout
    assert text.startswith("London Borough of Bexley: governance calendar from 14 November 2025\n")
    assert "The plan has" not in text
