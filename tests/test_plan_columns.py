"""Reading a table plan column by column (efl.plan.plan_columns) gives exactly the plan that reading
it cell by cell gives: the same lines, objectives and columns, the same fields given on each line
(what the plan writes back), the same kinds of value; and a table it does not take (a problem to
report, an odd cell) is read cell by cell, so every message stays what it was.

The reference is the cell-by-cell reader itself, run with the column-wise one switched off."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import efl.plan.plan_columns as plan_columns
from efl.errors import InputError
from efl.plan.action_plan import PlanLine, PlanNote, plan_from_table, read_csv_text, to_csv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import plan_gen  # noqa: E402


def _cell_by_cell(monkeypatch, read, *args):
    with monkeypatch.context() as m:
        m.setattr(plan_columns, "read_csv_columns", lambda *a, **k: None)
        m.setattr(plan_columns, "plan_from_rows", lambda *a, **k: None)
        return _outcome(read, *args)


def _outcome(read, *args):
    """The plan as data (each line with the fields it was given), or the error as efl prints it."""
    try:
        plan = read(*args)
    except InputError as error:
        return ("error", [str(d) for d in error.diagnostics] if error.diagnostics else str(error))
    except Exception as error:  # noqa: BLE001 - the same exception either way, whatever it is
        return ("raised", type(error).__name__, str(error))
    return ("plan", plan.columns, plan.objectives,
            [(line, sorted(line.model_fields_set), [type(n) for n in line.notes],
              {k: type(v) for k, v in line.__dict__.items()}) for line in plan.lines])


def _same(monkeypatch, read, *args):
    quick = _outcome(read, *args)
    assert quick == _cell_by_cell(monkeypatch, read, *args)
    return quick


@pytest.mark.parametrize("lines, seed", [(1, 1), (7, 2), (60, 3), (400, 29)])
def test_a_generated_plan_is_read_column_by_column_and_is_the_same_plan(monkeypatch, lines, seed):
    text = to_csv(plan_gen.make_plan(lines, seed))[1:]  # (the BOM is taken off with the decoding)
    assert plan_columns.read_csv_columns(text, "plan.csv") is not None  # the quick way was taken
    got = _same(monkeypatch, read_csv_text, text, "plan.csv")
    assert got[0] == "plan" and len(got[3]) == lines
    # Lines made straight from their values behave as validated ones: equal, copied, dumped the same.
    quick = read_csv_text(text, "plan.csv")
    line = quick.lines[-1]
    assert PlanLine.model_validate(line.model_dump()) == line
    copied = line.model_copy(update={"lead": "Someone else"})
    assert copied.lead == "Someone else" and line.lead != "Someone else" and copied.id == line.id
    written = plan_gen.make_plan(lines, seed)
    assert quick.model_dump(exclude_defaults=True)["lines"] == written.model_dump(exclude_defaults=True)["lines"]


def test_each_line_has_its_own_notes_list_and_fields_set():
    text = '"Id","Action"\n"a","x"\n"b","y"\n'
    plan = plan_columns.read_csv_columns(text, "p.csv")
    a, b = plan.lines
    assert a.notes == [] and a.notes is not b.notes
    a.lead = "Head of HR"  # pydantic records an assignment in the line's own set only
    assert "lead" in a.model_fields_set and "lead" not in b.model_fields_set


HEADER = ["Id", "Objective id", "Objective", "Lead", "Action", "Output", "Output due", "Status",
          "Progress notes", "Priority", "Area", "Criterion", "Proposed on"]
# Awkward cells for each column: blanks, space, UK and long dates, impossible dates, statuses as
# people spell them, numbers as people write them, ids of the wrong form, notes of every shape,
# text typed on a Mac (NFD), a quote protecting a formula, line breaks (CR LF inside a cell too).
CELLS = {
    "Id": ["a1", "a2", " a3 ", "line.4_x", "", "Bad Id", "a1", "é"],
    "Objective id": ["1", "obj-2", "", " 1 ", "Bad Id"],
    "Objective": ["1. Know our communities", "A fair workforce", "", "  ", "Cafe\u0301s"],
    "Lead": ["head-of-hr", "Head of HR", "", "'=Lead", "Ma\u0304ori lead", "two\nlines"],
    "Action": ["Review", "", " ", "'+1", "co-production\r\nplan", "Caf\u00e9"],
    "Output": ["", "Report", "12"],
    "Output due": ["", "2026-03-31", "31/03/2026", "1 April 2026", "31/02/2026", "2300-01-01", " 2026-03-31 ",
                   "soon"],
    "Status": ["", "on track", "On_Track", "AT RISK", "done", "sideways", "  "],
    "Progress notes": ["", "2026-01-15: Sent", "2026-01-15: Sent\n  2026-02-01 is the close\n3 March 2026 - Done",
                       "no date", "2026-01-01:", "2026-01-01: a\r\n2026-01-02: b\r\n", "  \n2026-01-03: late"],
    "Priority": ["", "2", "0", "02", "+2", " 3 ", "2.0", "x", "\u0663"],
    "Area": ["", "lpoc", " scw "],
    "Criterion": ["", "lpoc.1"],
    "Proposed on": ["", "2026-01-01"],
}


def _csv(rows: list[list[str]], header: list[str] = HEADER, crlf: bool = False) -> str:
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"'

    end = "\r\n" if crlf else "\n"
    return end.join(",".join(cell(c) for c in row) for row in [header, *rows]) + end


def _plain_row(i: int) -> list[str]:
    return [f"l{i}", "1", "1. Know our communities", "Head of HR", f"Action {i}", "", "2026-03-31", "on track",
            "", "", "lpoc", "", ""]


def _random_table(seed: int, rate: float) -> str:
    rng = random.Random(seed)
    rows = []
    for i in range(rng.randint(1, 6)):
        row = _plain_row(i)
        for j, heading in enumerate(HEADER):
            if rng.random() < rate:
                row[j] = rng.choice(CELLS[heading])
        rows.append(row)
    return _csv(rows, crlf=seed % 2 == 0)


@pytest.mark.parametrize("rate", [0.08, 0.25])
@pytest.mark.parametrize("seed", range(60))
def test_random_tables_of_awkward_cells_read_as_cell_by_cell(monkeypatch, seed, rate):
    _same(monkeypatch, read_csv_text, _random_table(seed, rate), "plan.csv")


def test_most_random_tables_with_a_few_awkward_cells_are_read_column_by_column():
    # (So that the comparison above is of the two ways, not of the cell-by-cell way with itself.)
    taken = sum(plan_columns.read_csv_columns(_random_table(seed, 0.08), "p.csv") is not None for seed in range(60))
    assert taken >= 20


def test_cells_written_as_people_write_them_are_read_column_by_column(monkeypatch):
    # Valid cells in their odd spellings take the quick way too (and still read as cell by cell).
    odd = {"Id": " a3 ", "Status": "On_Track", "Output due": "31/03/2026", "Priority": " 3 ", "Area": " scw ",
           "Lead": "Ma\u0304ori lead", "Action": "'+1", "Objective id": " 1 ",
           "Progress notes": "2026-01-15: Sent\n  2026-02-01 is the close\n3 March 2026 - Done"}
    row = _plain_row(2)
    for heading, cell in odd.items():
        row[HEADER.index(heading)] = cell
    text = _csv([_plain_row(1), row, [*_plain_row(4)[:7], "AT RISK", *_plain_row(4)[8:]]])
    assert plan_columns.read_csv_columns(text, "plan.csv") is not None
    line = _same(monkeypatch, read_csv_text, text, "plan.csv")[3][1][0]
    assert (line.id, line.status, line.due, line.priority, line.area, line.lead, line.action) == \
        ("a3", "on track", dt.date(2026, 3, 31), 3, "scw", "M\u0101ori lead", "+1")


def test_a_plan_file_with_a_byte_order_mark_and_cr_lf_is_read_column_by_column(monkeypatch):
    from efl.plan.action_plan import read_plan

    data = ("\ufeff" + _csv([_plain_row(1), _plain_row(2)], crlf=True)).encode("utf-8")
    quick = _same(monkeypatch, read_plan, Path("plan.csv"), "plan.csv", data)
    assert quick[0] == "plan" and [line.id for line, *_ in quick[3]] == ["l1", "l2"]


@pytest.mark.parametrize("heading, cell", [(h, c) for h, cells in CELLS.items() for c in cells])
def test_each_awkward_cell_alone_reads_as_cell_by_cell(monkeypatch, heading, cell):
    rows = [_plain_row(1), _plain_row(2)]
    rows[1][HEADER.index(heading)] = cell
    _same(monkeypatch, read_csv_text, _csv(rows), "plan.csv")


@pytest.mark.parametrize("text", [
    '"Id","Action"\n',  # a header and no line
    '"Id","Action"\n"a","x"\n\n"b","y"\n',  # a blank line between lines
    '"Id","Action"\n"a","x"\n"",""\n',  # a row of empty cells
    '"Id","Action"\n"a","x"\n"b"\n',  # a row short of cells
    '"Id","Action"\n"a","x",""\n',  # a row with a cell past the header, empty
    '"Id","Action"\n"a","x","stray"\n',  # ... and not empty
    '"Id","","Action"\n"a","","x"\n',  # a column with no heading
    '"Id","Sideways","Action"\n"a","1","x"\n',  # a heading efl does not know
    '"Id","Action","Action"\n"a","x","y"\n',  # a column twice
    '"Id","Action"\n"a","x"\n"a","y"\n',  # an id twice
    '"Id","Objective id","Action"\n"a","9","x"\n',  # an objective id with no title: a new objective
    '"Id","Objective id","Objective","Action"\n"","1","1. First",""\n"a","1","1. First","x"\n',  # its own row
    '"Id","Objective id","Objective","Action"\n"a","","1. First","x"\n"b","","1. First","y"\n',  # title only
    '"Id","Objective id","Objective","Action"\n"a","1","1. First","x"\n"b","","First","y"\n',
    '"Id","Objective id","Objective","Action"\n"a","1","","x"\n',  # an objective with no title
    '"Id","Action"\n"","x"\n',  # a line with no id (it takes its row's number)
    '"Outcome & performance measure","Id","Action"\n"Fewer\nBy 2027","a","x"\n',  # a shared cell
    '"Lead","Action","Id","Objective id"\n"HR","x","a",""\n',  # the council's own columns first
    '"\'=Id","Action"\n"a","x"\n',  # a protected heading
    '"Id","Action","Performance area"\n"a","x","Knowing your communities"\n',  # a column read for nothing
    '"Id","Action"\n"a","line one\nline two"\n',  # a quoted line break
    '"Id","Action"\r\n"a","x"\r\n',  # CR LF
    '"Id","Action"\n"a","x"',  # no line break at the end
    'Id,Action\na,x\n',  # unquoted
    '"Id","Action"\n"\'a","x"\n',  # a protected id
])
def test_tables_the_column_wise_reader_may_refuse_read_as_cell_by_cell(monkeypatch, text):
    _same(monkeypatch, read_csv_text, text, "plan.csv")


def test_a_bad_plan_gets_every_message_in_its_place():
    text = _csv([_plain_row(1), [*_plain_row(2)[:6], "31/02/2026", "sideways", *_plain_row(2)[8:]]])
    with pytest.raises(InputError) as caught:
        read_csv_text(text, "plan.csv")
    assert [str(d) for d in caught.value.diagnostics] == [
        "plan.csv:3:7: Output due: '31/02/2026' is not a date (expected a date such as 2026-03-31 or 31/03/2026)",
        "plan.csv:3:8: Status: 'sideways' is not a status (expected one of: not started, on track, at risk, done, "
        "dropped)"]


WORKBOOK_CELLS = [None, "", "a", 3, 3.0, 2.5, True, dt.datetime(2026, 3, 31), dt.date(2026, 3, 31), "  "]


@pytest.mark.parametrize("seed", range(40))
def test_workbook_rows_of_any_kind_of_cell_read_as_cell_by_cell(monkeypatch, seed):
    # A workbook's cells can be numbers, dates, truth values or empty (None), in any column.
    rng = random.Random(seed)
    header = ["Id", "Objective id", "Objective", "Lead", "Action", "Output due", "Status", "Progress notes",
              "Priority"]
    rows = []
    for n in range(2, rng.randint(3, 7)):
        row = [f"l{n}", "1", "1. First", "Head of HR", f"Act {n}", dt.datetime(2026, 3, 31), "done",
               "2026-01-01: ok", 2]
        for j in range(len(row)):
            if rng.random() < 0.2:
                row[j] = rng.choice(WORKBOOK_CELLS)
        rows.append((n, row))
    _same(monkeypatch, plan_from_table, header, rows, "plan.xlsx")


def test_workbook_rows_that_are_plain_are_read_column_by_column():
    rows = [(2, ["a1", "Act", None, dt.datetime(2026, 3, 31), 3, "Ma\u0304ori"]),
            (3, ["a2", "Act", "Lead", None, None, None])]
    header = ["Id", "Action", "Lead", "Output due", "Priority", "Outcome"]
    assert plan_columns.plan_from_rows(header, [cells for _, cells in rows], "p.xlsx") is not None
    plan = plan_from_table(header, rows, "p.xlsx")
    assert plan.lines == [PlanLine(id="a1", action="Act", due=dt.date(2026, 3, 31), priority=3, lead="",
                                   outcome="Māori"),
                          PlanLine(id="a2", action="Act", lead="Lead", outcome="")]
    assert all(type(n) is PlanNote for line in plan.lines for n in line.notes)


@pytest.mark.parametrize("text", [
    "Id,Action\n'a1,x\n",  # a formula's quote starting a row, the cell not quoted
    "Id,Action\na1,'=x\n",  # after a comma
    "'Id,Action\na1,x\n",  # the file's first cell
    "Id,Action\r\na1,\"'+x\"\r\n",  # quoted, after a comma, CR LF lines
    "Id,Action\r\n\"'a1\",x\r\n",  # quoted, starting a row
    "Id,Action\ra1,'x\r",  # lines ended by lone carriage returns
    "Id,Action\na1,it's\n",  # a quote inside a cell: kept
])
def test_a_formula_quote_wherever_a_cell_starts_is_taken_off_as_cell_by_cell(monkeypatch, text):
    got = _same(monkeypatch, read_csv_text, text, "plan.csv")
    assert plan_columns.read_csv_columns(text, "plan.csv") is not None  # the quick way was taken
    assert got[0] == "plan"


def _csv_reference(text: str):  # noqa: ANN202
    import csv as csv_module
    import io as io_module

    table = list(csv_module.reader(io_module.StringIO(text, newline="")))
    return table[0], [list(column) for column in zip(*table[1:])]


_CELL_TEXT = st.text(alphabet='ab ,"\'\r\n\u2028é', max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_CELL_TEXT, min_size=1, max_size=4), min_size=1, max_size=6),
       st.sampled_from(["\r\n", "\n"]), st.sampled_from(["all", "minimal", "ragged", "unended"]))
def test_quoted_columns_are_what_csv_reader_reads(rows, ending: str, shape: str) -> None:  # noqa: ANN001
    # The split reading may decline any text, but what it gives must be csv.reader's, cell for cell.
    import csv as csv_module
    import io as io_module

    width = len(rows[0])
    if shape != "ragged":
        rows = [(row + [""] * width)[:width] for row in rows]
    buffer = io_module.StringIO()
    csv_module.writer(buffer, lineterminator=ending, quoting=csv_module.QUOTE_MINIMAL if shape == "minimal"
                      else csv_module.QUOTE_ALL).writerows([["Id", *["c"] * (width - 1)], *rows])
    text = buffer.getvalue()
    if shape == "unended":
        text = text[:-len(ending)]
    got = plan_columns.quoted_columns(text)
    if got is not None:
        assert (got[0], got[1]) == _csv_reference(text)
    elif shape == "all" and not any('"' in cell or cell[:1] in ("\n", "\r") or cell[-1:] in ("\n", "\r")
                                    for row in rows for cell in row):
        # (A cell that starts or ends with a line end puts what reads as a row break between its
        # quotes: only a reading character by character can tell, so csv.reader reads that table.)
        raise AssertionError("a table as efl writes it was not split")


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("table", [
    [[",", "c"], ["a", "b"]],  # the header's first cell a comma: its opening quote would end a cell
    [["Id", "c"], [",", "b"], [",", ","]],  # a row's first cell a comma, where two rows meet
    [["Id", "c", "d"], ["a", ",", ","], [",", "", ","]],
    [["Id"], [","], [""], ["a,b"]],  # one column
    [["Id", "c"], ["a\nb", "x\r\ny"], ["", ""]],  # line ends inside cells
])
def test_cells_that_look_like_the_places_between_cells(table, ending) -> None:  # noqa: ANN001
    import csv as csv_module
    import io as io_module

    buffer = io_module.StringIO()
    csv_module.writer(buffer, lineterminator=ending, quoting=csv_module.QUOTE_ALL).writerows(table)
    text = buffer.getvalue()
    got = plan_columns.quoted_columns(text)
    assert got is not None and (got[0], got[1]) == _csv_reference(text)
    assert got[0] == table[0] and got[1] == [list(column) for column in zip(*table[1:])]


def test_a_plan_as_efl_writes_it_is_split_not_parsed():
    text = to_csv(plan_gen.make_plan(60, 5))[1:]
    got = plan_columns.quoted_columns(text)
    assert got is not None and (got[0], got[1]) == _csv_reference(text)
    assert plan_columns.quoted_columns(text.replace("\r\n", "\n", 1)) is None  # line endings mixed: parsed
