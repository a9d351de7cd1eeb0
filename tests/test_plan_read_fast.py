"""Reading a table plan quickly (one dict per row, dates read once, notes validated with their line)
gives the same plan and the same errors, in the same order and places, as reading it cell by cell."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from efl.errors import InputError
from efl.plan.action_plan import (Plan, PlanLine, PlanNote, parse_notes, plan_from_table, read_csv_text, read_xlsx,
                                  to_csv)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import plan_gen  # noqa: E402


def test_a_generated_plan_reads_back_whole_from_csv_and_xlsx():
    plan = plan_gen.make_plan(400, seed=7)
    assert sum(len(line.notes) for line in plan.lines) > 300
    back = read_csv_text(to_csv(plan)[1:], "plan.csv")
    assert back.lines == plan.lines and back.columns == plan.columns
    by_id = {o.id: o for o in plan.objectives}  # (a table lists the objectives in the order its rows name them)
    assert sorted(back.objectives, key=lambda o: o.id) == sorted(by_id.values(), key=lambda o: o.id)
    assert [line.model_fields_set for line in back.lines] == [line.model_fields_set for line in
                                                             read_csv_text(to_csv(back)[1:], "p.csv").lines]
    assert all(type(n) is PlanNote for line in back.lines for n in line.notes)
    from efl_plugins.xlsx_plan import plan_workbook

    assert read_xlsx(plan_workbook(plan, council="Harrow"), "plan.xlsx").lines == plan.lines


def test_one_date_text_on_many_lines_is_one_date_each_time_and_a_bad_one_is_refused_each_time():
    rows = [(n, [f"l{n}", "Act", "2026-03-31", "2026-03-31: Sent\n31/03/2026: Again"]) for n in range(2, 6)]
    plan = plan_from_table(["Id", "Action", "Output due", "Progress notes"], rows, "p.csv")
    assert [line.due for line in plan.lines] == [dt.date(2026, 3, 31)] * 4
    assert [[(n.date, n.text) for n in line.notes] for line in plan.lines] == \
        [[(dt.date(2026, 3, 31), "Sent"), (dt.date(2026, 3, 31), "Again")]] * 4
    bad = [(n, [f"l{n}", "Act", "31/02/2026"]) for n in (2, 3)]
    with pytest.raises(InputError) as caught:
        plan_from_table(["Id", "Action", "Output due"], bad, "p.csv")
    assert str(caught.value).count("'31/02/2026' is not a date") == 2
    assert "p.csv:2:3: Output due:" in str(caught.value) and "p.csv:3:3: Output due:" in str(caught.value)


def test_every_problem_of_every_row_in_order_and_in_its_cell():
    text = ('"Id","Action","Output due","Status","Progress notes","Priority"\n'
            '"a1","Act","2026-13-01","on track","",""\n'
            '"Bad Id","Act","","sideways","no date here","x"\n'
            '"a3","","","","2026-01-01:",""\n'
            '"a4","Fine","31/12/2026","DONE","2026-01-01: ok","2"\n')
    with pytest.raises(InputError) as caught:
        read_csv_text(text, "plan.csv")
    got = [str(d) for d in caught.value.diagnostics]
    assert got == [  # what efl said before the fast reading (main 45aeb90), in its order
        "plan.csv:2:3: Output due: '2026-13-01' is not a date (expected a date such as 2026-03-31 or 31/03/2026)",
        "plan.csv:3:1: Id: 'Bad Id' is not an id (expected lower-case letters, digits, '.', '-' or '_')",
        "plan.csv:3:4: Status: 'sideways' is not a status (expected one of: not started, on track, at risk, done, "
        "dropped)",
        "plan.csv:3:5: Progress notes: the note 'no date here' has no date (expected each note to start with its "
        "date, e.g. '2026-01-15: Survey sent out')",
        "plan.csv:3:6: Priority: 'x' is not a whole number (expected a number such as 2)",
        "plan.csv:4:2: Action: the cell is empty (expected text)",
        "plan.csv:4:5: Progress notes: the note of 2026-01-01 has no text (expected what happened after the date)",
    ]
    good = read_csv_text(text.split("\n", 1)[0] + "\n" + text.rsplit("\n", 2)[-2] + "\n", "plan.csv")
    assert good.lines == [PlanLine(id="a4", action="Fine", due=dt.date(2026, 12, 31), status="done", priority=2,
                                   notes=[PlanNote(date=dt.date(2026, 1, 1), text="ok")])]


@pytest.mark.parametrize("cells, blank", [
    (["", "", ""], True), ([" ", "\t", "\u2003"], True), (["\u00a0", "", "\r\n"], True),
    (["", "\u200b", ""], False), (["", "x", ""], False)])
def test_a_row_of_white_space_is_skipped_as_cell_by_cell(cells, blank):
    # The reference: a row is empty when every cell is (str.strip), as the reader always decided.
    assert blank == all(str(c).strip() == "" for c in cells)
    rows = [(2, ["a1", "Act", ""]), (3, cells)]
    try:
        plan = plan_from_table(["Id", "Action", "Lead"], rows, "p.csv")
    except InputError:
        assert not blank  # a row with something in it is read (here: no id of the right form)
        return
    assert len(plan.lines) == (1 if blank else 2)


def test_cells_that_are_not_text_take_the_general_way():
    # A workbook's cells can be numbers, dates or empty (None): the row test falls back cell by cell.
    rows = [(2, ["a1", "Act", None, dt.datetime(2026, 3, 31), 3]), (3, [None, None, None, None, None])]
    plan = plan_from_table(["Id", "Action", "Lead", "Output due", "Priority"], rows, "p.xlsx")
    assert plan.lines == [PlanLine(id="a1", action="Act", due=dt.date(2026, 3, 31), priority=3, lead="")]


def test_parse_notes_is_the_notes_a_line_gets():
    cell = "2026-01-15: Survey sent out\n  2026-02-01 is the closing date\n3 March 2026 - Results in"
    plan = read_csv_text(f'"Id","Action","Progress notes"\n"a","b","{cell}"\n', "p.csv")
    assert plan.lines[0].notes == parse_notes(cell) == [
        PlanNote(date=dt.date(2026, 1, 15), text="Survey sent out\n2026-02-01 is the closing date"),
        PlanNote(date=dt.date(2026, 3, 3), text="Results in")]
    assert isinstance(plan, Plan)


def test_csv_cells_lose_their_protecting_quote_and_are_nfc_in_one_pass():
    # A cell efl protected from formula use ("'=...") and text typed on a Mac (NFD): read as the
    # council wrote it, in the form YAML plans are read in, however the two combine.
    nfd = "Ma\u0304ori cafe\u0301"
    text = ('"Id","Action","Lead","Output"\n'
            f'"a1","\'=Review {nfd}","\'{nfd}","\'\'quoted"\n'
            f'"a2","{nfd}","plain","\'+1"\n')
    plan = read_csv_text(text, "plan.csv")
    assert [(x.action, x.lead, x.output) for x in plan.lines] == [
        ("=Review Māori café", "Māori café", "'quoted"), ("Māori café", "plain", "+1")]
