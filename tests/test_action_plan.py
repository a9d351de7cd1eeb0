"""The council's action plan: named leads, reading and writing YAML/CSV/XLSX, merging efl's lines."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from efl.plan.action_plan import Plan, PlanLine, read_plan, to_csv, to_yaml
from efl.cli import cli
from efl.errors import InputError

from conftest import EXAMPLES, write_files

LEICESTER = EXAMPLES / "leicester"


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def copy_example(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    return target


# --- roles and named leads ---------------------------------------------------------------------------

ROLES = """\
roles:
  equalities-officer: {title: Policy Officer for Equalities, person: Mohammed Ilyas, contact: Ext. 2322}
  head-of-hr: {title: Head of HR, person: Pat Jones}
  service-heads: {title: Heads of Service}
bodies:
  ceg: {title: Corporate Equalities Group, frequency: bimonthly, chair: equalities-officer}
owners:
  council: equalities-officer
  managers: service-heads
"""


def bexley_with(tmp_path: Path, extra: str) -> Path:
    folder = copy_example(tmp_path, "bexley")
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text.replace("\nevidence:\n", "\n" + extra + "\nevidence:\n", 1),
                                            encoding="utf-8")
    return folder


def test_every_action_gets_a_named_lead_from_the_owners_mapping(tmp_path):
    import json

    folder = bexley_with(tmp_path, ROLES)
    result = run("assess", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # every owner is mapped: no warning
    data = json.loads(result.stdout)
    leads = {x["owner"]: x["lead"] for x in data["actions"]}
    # Bexley's framework uses the owners council, managers and "Head of HR": each maps to a post.
    assert leads["council"] == "Policy Officer for Equalities (Mohammed Ilyas)"
    assert leads["managers"] == "Heads of Service"
    assert all(x["lead"] for x in data["actions"])
    assert data["assessment"]["contact"] == "Mohammed Ilyas, Policy Officer for Equalities, Ext. 2322"
    table = run("assess", folder).output
    assert "Policy Officer for" in table and "Mohammed Ilyas" in table


def test_a_framework_owner_matches_a_role_title_without_a_mapping(tmp_path):
    import json

    folder = bexley_with(tmp_path, "roles:\n  hr: {title: head of hr, person: Pat Jones}\n")
    result = run("assess", folder, "--format", "json")
    data = json.loads(result.stdout)
    # Only "Head of HR" has a post; the framework's other owners are named in a warning.
    assert "warning: no role leads the actions the framework gives to 'council', 'managers'" in result.stderr
    hr = [x for x in data["actions"] if x["owner"] == "Head of HR"]
    assert hr and all(x["lead"] == "head of hr (Pat Jones)" for x in hr)
    assert all(x["lead"] is None for x in data["actions"] if x["owner"] != "Head of HR")


def test_unknown_roles_and_bodies_are_reported_with_their_place(tmp_path):
    folder = bexley_with(tmp_path, ROLES.replace("council: equalities-officer", "council: equalities-oficer")
                         .replace("chair: equalities-officer", "chair: nobody"))
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    text = text.replace("evidence:\n", "evidence:\n  - {id: ceg-paper, type: committee-paper, body: cge, "
                        "date: 2025-09-01}\n  - {id: no-body, type: committee-paper, date: 2025-09-01}\n", 1)
    (folder / "assessment.yaml").write_text(text, encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 2
    lines = text.splitlines()
    owner_line = next(i for i, t in enumerate(lines, 1) if "council: equalities-oficer" in t)
    chair_line = next(i for i, t in enumerate(lines, 1) if "chair: nobody" in t)
    paper_line = next(i for i, t in enumerate(lines, 1) if "body: cge" in t)
    out = result.output
    assert f"assessment.yaml:{owner_line}:12: owners: 'equalities-oficer' is not one of the roles " \
           "(did you mean 'equalities-officer'?)" in out
    assert f"assessment.yaml:{chair_line}:" in out and "chair: 'nobody' is not one of the roles" in out
    assert f"assessment.yaml:{paper_line}:" in out and "body: 'cge' is not one of the bodies (did you mean 'ceg'?)" in out
    assert "an item of type 'committee-paper' needs 'body:' (expected the body that received it" in out
    assert "warning: no role leads the actions the framework gives to 'council'" in out
    assert "4 errors and 1 warning found." in out


def test_a_bad_frequency_is_an_error_with_the_choices(tmp_path):
    folder = bexley_with(tmp_path, "bodies:\n  cabinet: {title: Cabinet, frequency: fortnightly}\n")
    result = run("validate", folder)
    assert result.exit_code == 2
    assert "bodies.cabinet.frequency: 'fortnightly' is not a frequency (expected one of: monthly, bimonthly, " \
        "quarterly, six-monthly, annual)" in result.output


@pytest.mark.parametrize("written, meant", [("Quarterly", "quarterly"), ("SIX MONTHLY", "six-monthly"),
                                            ("Six_Monthly", "six-monthly"), ("sixmonthly", "six-monthly"),
                                            ("Bi-Monthly", "bimonthly"), ("ANNUAL", "annual")])
def test_a_frequency_is_read_as_people_write_it(written, meant):
    from efl.core.models import Body

    assert Body(title="Cabinet", frequency=written).frequency == meant


def test_objective_dates_need_no_quotes(tmp_path):
    folder = copy_example(tmp_path, "bexley")
    path = folder / "evidence" / "equality-objectives.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("objectives:\n", "published: 2022-09-01\nobjectives:\n", 1)
    text = text.replace("    title:", "    due: 2026-03-31\n    title:", 1)
    path.write_text(text, encoding="utf-8")
    assert "due: 2026-03-31" in text
    result = run("validate", folder)
    assert result.exit_code == 0, result.output


# --- the plan file -----------------------------------------------------------------------------------

PLAN = """\
# Our plan. Every word here is the council's.
objectives:
  - {id: workforce, title: An inclusive workforce}
lines:
  - id: own-1
    objective: workforce
    lead: Head of HR
    action: Run listening sessions with disabled staff
    output: Report to the staff group
    due: 2026-03-31
    outcome: Disabled staff feel heard
    measure: Staff survey score
    baseline: 61
    target: 70
    status: On_Track
    notes:
      - {date: 2025-12-01, text: First two sessions held}
  - id: ours-for-reach
    criterion: iyc.reach
    lead: Engagement Manager
    action: Our own words for reaching more groups
    status: at-risk
"""


def test_statuses_read_in_any_case_with_spaces_underscores_or_hyphens(tmp_path):
    path = write_files(tmp_path, {"plan.yaml": PLAN}) / "plan.yaml"
    plan = read_plan(path)
    assert [line.status for line in plan.lines] == ["on track", "at risk"]
    assert plan.lines[0].due.isoformat() == "2026-03-31"
    assert plan.lines[0].baseline == "61" and plan.lines[0].target == "70"


def test_bad_plan_entries_are_all_reported_with_line_and_column(tmp_path):
    bad = PLAN.replace("status: On_Track", "status: finished").replace("due: 2026-03-31", "due: 2026-02-30") \
        .replace("objective: workforce", "objective: workfrce")
    path = write_files(tmp_path, {"plan.yaml": bad}) / "plan.yaml"
    with pytest.raises(InputError) as caught:
        read_plan(path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any(":10:10: " in m and "not a real date" in m for m in messages), messages
    bad = PLAN.replace("status: On_Track", "status: finished").replace("objective: workforce", "objective: workfrce")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert f"{path}:15:13: lines[0].status: 'finished' is not allowed" in messages[0]
    bad = PLAN.replace("objective: workforce", "objective: workfrce")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert str(caught.value) == (f"{path}:6:16: objective 'workfrce' is not one of the plan's objectives "
                                 "(expected one of: workforce)")


def test_leicester_plan_round_trips_through_xlsx_and_csv_without_loss(tmp_path):
    import openpyxl
    original = read_plan(LEICESTER / "action-plan.yaml")
    assert len(original.objectives) == 22 and len(original.lines) == 27
    headings = ["Objective", "Lead", "Action", "Output (Improvements by March 2005 or earlier)",
                "Outcome & Performance Measure"]
    assert [c.heading for c in original.columns] == headings
    # --format xlsx is efl's proposals alone, in efl's columns; --plan is the council's plan merged.
    result = run("assess", LEICESTER, "--format", "xlsx", "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    # People's columns first (the area by name); the key columns efl reads the plan back by at the end.
    assert header[:3] == ["Objective", "Performance area", "Lead"]
    assert header[-5:] == ["Id", "Criterion", "Area key", "Objective id", "Proposed on"]
    ids = header.index("Id")
    assert [r[ids].value for r in sheet.iter_rows(min_row=2)] == ["eslg.assessment", "eslg.consultation"]
    for target in ("plan.xlsx", "plan.csv", "plan.yaml"):
        path = tmp_path / f"merged-{target}"
        result = run("assess", LEICESTER, "--format", "json", "-o", tmp_path / f"{target}.json", "--plan", path)
        assert result.exit_code == 0, result.output
        back = read_plan(path)
        # The council's plan comes back whole and first; efl's two new lines follow.
        assert back.model_copy(update={"lines": back.lines[:27]}) == original, target
        assert [x.criterion for x in back.lines[27:]] == ["eslg.assessment", "eslg.consultation"]
    # Leicester's five columns, in the same shape: the first line reads as the seed prints it.
    book = openpyxl.load_workbook(tmp_path / "merged-plan.xlsx")
    assert [c.value for c in book.worksheets[0][1]][:6] == headings + ["Performance area"]
    first = [c.value for c in book.worksheets[0][2]][:5]
    assert first == ["1. Ensure equalities objectives are a key element of the council's Community Strategy",
                     "Chief Executive's Office",
                     "Develop systems for monitoring action against Community Plan objectives",
                     "Systems in place by March 2003 Equalities objectives inform Community Plan",
                     "Improved Social & Environmental well being for people of Leicester.\n"
                     "BVPI 1 – improving social environmental well being"]


def test_merging_keeps_every_word_and_comment_and_adds_lines_only_for_new_criteria(tmp_path):
    folder = bexley_with(tmp_path, "plan: plan.yaml\n")
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    result = run("assess", folder, "--format", "json", "-o", tmp_path / "r.json", "--plan", tmp_path / "next.yaml")
    assert result.exit_code == 0, result.output
    merged_text = (tmp_path / "next.yaml").read_text(encoding="utf-8")
    assert merged_text.startswith(PLAN)  # comments, order, spelling: all the council's, untouched
    merged = read_plan(tmp_path / "next.yaml")
    original = read_plan(folder / "plan.yaml")
    assert merged.lines[:2] == original.lines
    criteria = [x.criterion for x in merged.lines[2:]]
    assert "iyc.reach" not in criteria  # the council already has a line for it, in its own words
    import json

    actions = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["actions"]
    assert sorted(criteria) == sorted(x["criterion"] for x in actions if x["criterion"] != "iyc.reach")
    # Next year: the merged plan is the council's plan; nothing new is added twice.
    shutil.copy(tmp_path / "next.yaml", folder / "plan.yaml")
    before = (folder / "plan.yaml").read_bytes()
    result = run("assess", folder, "--format", "json", "-o", tmp_path / "r2.json", "--plan", folder / "plan.yaml",
                 "--force")
    assert result.exit_code == 0, result.output
    assert "0 new lines" in result.output
    assert (folder / "plan.yaml").read_bytes() == before


def test_plan_is_never_written_over_without_force(tmp_path):
    target = tmp_path / "plan.csv"
    target.write_text("keep me", encoding="utf-8")
    result = run("assess", LEICESTER, "--plan", target)
    assert result.exit_code == 2
    assert f"{target}: the file already exists (expected a new file name, or --force to replace it)" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    assert result.output.count("Overall level") == 0  # checked before the report is printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturn", "'quoted", "plain"]


def test_no_formula_injection_in_xlsx_or_csv_and_text_comes_back_exactly(tmp_path):
    import openpyxl
    from efl_plugins.xlsx_plan import plan_workbook

    plan = Plan(lines=[PlanLine(id=f"l{i}", action=text, lead=text, outcome="x", measure=text)
                       for i, text in enumerate(HOSTILE)])
    (tmp_path / "p.xlsx").write_bytes(plan_workbook(plan))
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    actions = [r[list(map(lambda c: c.value, book.worksheets[0][1])).index("Action")].value
               for r in book.worksheets[0].iter_rows(min_row=2)]
    assert actions == HOSTILE
    assert read_plan(tmp_path / "p.xlsx") == plan
    text = to_csv(plan)
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    import csv

    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert read_plan(tmp_path / "p.csv") == plan
    (tmp_path / "p.yaml").write_text(to_yaml(plan), encoding="utf-8")
    assert read_plan(tmp_path / "p.yaml") == plan


def test_a_formula_in_a_returned_workbook_is_refused_with_its_cell(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Id", "Action", "Status"])
    sheet.append(["a", "Do it", "done"])
    sheet["B3"] = "=1+1"
    sheet["A3"] = "b"
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(InputError) as caught:
        read_plan(tmp_path / "p.xlsx")
    assert str(caught.value) == (f"{tmp_path / 'p.xlsx'}:3:2: cell B3 holds a formula (expected a value; "
                                 "type the text or date itself)")


def test_bad_cells_in_a_csv_plan_are_reported_by_row_and_column(tmp_path):
    text = ('"Id","Action","Output due","Status","Progress notes"\r\n'
            '"a","Do it","31/02/2026","on track",""\r\n'
            '"b","Do that","2026-03-31","sort of","no date here"\r\n')
    path = write_files(tmp_path, {"p.csv": text}) / "p.csv"
    with pytest.raises(InputError) as caught:
        read_plan(path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert messages == [
        f"{path}:2:3: Output due: '31/02/2026' is not a date (expected a date such as 2026-03-31 or 31/03/2026)",
        f"{path}:3:4: Status: 'sort of' is not a status (expected one of: not started, on track, at risk, done, dropped)",
        f"{path}:3:5: Progress notes: the note 'no date here' has no date (expected each note to start with its "
        "date, e.g. '2026-01-15: Survey sent out')",
    ], messages


def test_office_formats_are_imported_only_when_asked_for(tmp_path):
    """The README's first command must work without the office extra: nothing imports docx or openpyxl."""
    code = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from efl.cli import cli
        result = CliRunner().invoke(cli, ["assess", {str(EXAMPLES / 'bexley')!r}])
        assert result.exit_code == 0, result.output
        assert "docx" not in sys.modules and "openpyxl" not in sys.modules, "imported too early"
        sys.modules["openpyxl"] = None  # as if the office extra were not installed
        result = CliRunner().invoke(cli, ["assess", {str(EXAMPLES / 'bexley')!r}, "--format", "xlsx",
                                          "-o", {str(tmp_path / 'p.xlsx')!r}])
        assert result.exit_code == 2, result.output
        print(result.output)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert ("the xlsx format needs the 'openpyxl' library, which is not installed "
            "(expected the office extra: pip install 'efl[office]')") in done.stdout
    assert not (tmp_path / "p.xlsx").exists()


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import zipfile

    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a/>" + " " * 3_000_000)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 100_000
    monkeypatch.setenv("EFL_MAX_FILE_MB", "1")
    with pytest.raises(InputError) as caught:
        read_plan(tmp_path / "bomb.xlsx")
    assert str(caught.value) == (f"{tmp_path / 'bomb.xlsx'}: the workbook unpacks to 3,000,004 bytes, over the "
                                 "limit of 1,048,576 (expected a smaller workbook, or set EFL_MAX_FILE_MB)")
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError) as caught:
        read_plan(tmp_path / "junk.xlsx")
    assert "not a readable .xlsx workbook" in str(caught.value)
