"""The plan follows the statutory cycle (issue 22 item 7): a duty that recurs gets a new plan line for
its next deadline, whatever last cycle's line says, and the council's words on the old line stay.

Dates worked by hand from the period rule ("at intervals of not greater than one year beginning with
the date of last publication" ends on the day before the anniversary, SI 2017/353 reg 4(2)(b)):
information published 30 January 2025 is due again by 29 January 2026; published 20 January 2026,
by 19 January 2027. Objectives published 1 September 2022 are due again by 31 August 2026 (reg 5).
"""

from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml import YAML

from efl.testing import make_folder, run_efl

INFO = "lpoc.information-published"
OBJECTIVES = "lpoc.objectives-published"

LAST_YEAR = """\
# Newtown's equality action plan: kept by the policy officer.
lines:
  - id: lpoc.information-published
    criterion: lpoc.information-published
    area: lpoc
    lead: Policy Officer for Equalities
    action: Publish the yearly equality information on the council website  # our words
    output: Equality information report, agreed by Cabinet
    due: 2025-01-29
    status: done
    notes:
      - {date: 2025-01-30, text: Published after Cabinet on 28 January.}
"""


def folder(tmp_path, date: str, evidence: list[dict], plan: str | None = LAST_YEAR, name: str = "council"):
    assessment = {"framework": "eflg-2014", "council": {"name": "Newtown District Council", "employees": 400},
                  "date": date, "evidence": evidence}
    files = {"evidence/info.md": "# Equality information\n",
             "evidence/objectives.yaml": {"objectives": [{"id": "1", "title": "Close the satisfaction gap",
                                                          "measure": "residents survey by disability"}]}}
    if plan is not None:
        assessment["plan"] = "plan.yaml"
        files["plan.yaml"] = plan
    files["assessment.yaml"] = assessment
    return make_folder(tmp_path / name, files)


def info(date: str) -> dict:
    return {"id": f"info-{date}", "type": "published-information", "title": "Equality information",
            "file": "evidence/info.md", "date": date}


def objectives(date: str) -> dict:
    return {"id": f"objectives-{date}", "type": "equality-objectives", "file": "evidence/objectives.yaml", "date": date}


def merged(tmp_path, where) -> list[dict]:
    out = tmp_path / f"{where.name}-merged.yaml"
    run_efl("assess", where, "--plan", out).assert_success()
    text = out.read_text(encoding="utf-8")
    return text, YAML(typ="safe").load(text)["lines"]


def lines_for(lines: list[dict], criterion: str) -> list[dict]:
    return [x for x in lines if x.get("criterion") == criterion]


def test_an_overdue_duty_gets_a_new_line_beside_last_years_done_one(tmp_path):
    where = folder(tmp_path, "2026-02-14", [info("2025-01-30")])
    text, lines = merged(tmp_path, where)
    old, new = lines_for(lines, INFO)
    # Last year's line is exactly as the council wrote it, comments included.
    assert text.startswith(LAST_YEAR.split("lines:")[0]) and "# our words" in text
    assert (old["status"], old["due"], old["notes"][0]["text"]) == ("done", dt.date(2025, 1, 29),
                                                                    "Published after Cabinet on 28 January.")
    assert (new["id"], new["due"], new["status"], new["priority"]) == (f"{INFO}-2026", dt.date(2026, 1, 29),
                                                                       "not started", 1)
    # Run again on the merged plan: that cycle is answered now, nothing more is added.
    again = make_folder(tmp_path / "again", {})
    for path in where.rglob("*"):
        if path.is_file():
            target = again / path.relative_to(where)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (again / "plan.yaml").write_text(text, encoding="utf-8")
    _, lines_again = merged(tmp_path, again)
    assert len(lines_for(lines_again, INFO)) == 2


def test_a_met_duty_due_again_within_the_year_gets_the_next_line_in_the_councils_words(tmp_path):
    where = folder(tmp_path, "2026-11-14", [info("2026-01-20")])
    _, lines = merged(tmp_path, where)
    old, new = lines_for(lines, INFO)
    assert old["status"] == "done"
    assert (new["id"], new["due"], new["status"]) == (f"{INFO}-2027", dt.date(2027, 1, 19), "not started")
    assert new["action"] == "Publish the yearly equality information on the council website"
    assert new["lead"] == "Policy Officer for Equalities"
    assert "19 January 2027" in new["why"]


def test_a_line_the_council_moved_a_few_weeks_still_answers_its_cycle(tmp_path):
    # Due 29 January 2026 by law; the council planned 15 January 2026 and is on track.
    plan = LAST_YEAR.replace("due: 2025-01-29", "due: 2026-01-15").replace("status: done", "status: on track")
    where = folder(tmp_path, "2026-02-14", [info("2025-01-30")], plan=plan)
    _, lines = merged(tmp_path, where)
    assert [x["id"] for x in lines_for(lines, INFO)] == [INFO]


@pytest.mark.parametrize("date, added", [
    ("2025-08-31", False),   # objectives of 1 Sep 2022 due by 31 Aug 2026: more than a year away (to 30 Aug 2026)
    ("2025-09-01", True),    # the year beginning 1 Sep 2025 ends 31 Aug 2026: the deadline falls in it
    ("2026-09-01", True),    # overdue since 1 September 2026: a line for the missed deadline
])
def test_a_four_yearly_duty_is_raised_once_its_deadline_falls_within_the_coming_year(tmp_path, date, added):
    plan = ("lines:\n  - {id: objectives-2022, criterion: lpoc.objectives-published, area: lpoc, "
            "action: Agree new objectives, due: 2022-09-30, status: done}\n")
    where = folder(tmp_path, date, [objectives("2022-09-01"), info(date)], plan=plan, name=f"c{date}")
    _, lines = merged(tmp_path, where)
    got = lines_for(lines, OBJECTIVES)
    assert len(got) == (2 if added else 1)
    if added:
        assert (got[1]["id"], got[1]["due"]) == (f"{OBJECTIVES}-2026", dt.date(2026, 8, 31))


def test_a_met_duty_the_plan_never_followed_gets_no_line(tmp_path):
    where = folder(tmp_path, "2026-11-14", [info("2026-01-20")], plan="lines: []\n")
    _, lines = merged(tmp_path, where)
    assert lines_for(lines, INFO) == []
