"""The small-file CSV reader's shortcuts give what the plain ways give.

normalise_column keeps each name it has worked out (a national batch meets the same headers for
every council): every answer must be the plain function's, first time and kept; and load_csv scans
the header's cell positions only when a column appears twice, with the same message and position.
"""

from __future__ import annotations

import pytest

from efl.files import evidence
from efl.files.evidence import _normalise_column, load_csv, normalise_column

NAMES = ["Hourly Pay", "hourly-pay", "HOURLY_PAY", " hourly pay ", "\ufeffEmployee ID", "Bonus Paid (12m to snapshot)",
         "a__b--c  d", "", "_", "Sex", "sex", "Ethnic group", "ÉTHNICITÉ", "date of birth", "x\ty"]


def test_kept_names_are_the_plain_functions() -> None:
    evidence._normalised_names.clear()
    for _ in range(2):
        for name in NAMES:
            assert normalise_column(name) == _normalise_column(name), name
    assert normalise_column("Hourly Pay") == "hourly_pay"  # worked by hand
    assert normalise_column(" Bonus Paid (12m to snapshot) ") == "bonus_paid_(12m_to_snapshot)"


def test_the_kept_names_stay_few(monkeypatch) -> None:
    evidence._normalised_names.clear()
    for i in range(9000):
        normalise_column(f"column {i}")
    assert len(evidence._normalised_names) <= 8192
    assert normalise_column("column 8999") == "column_8999"


def test_not_text_is_refused_as_before() -> None:
    with pytest.raises(AttributeError):
        normalise_column(None)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        normalise_column(["a"])  # type: ignore[arg-type]


@pytest.mark.parametrize("text, where", [
    ("id,name,Name,x\n1,a,b,c\n", (1, 9)),
    ('"id","a b",A-B\n1,2,3\n', (1, 12)),
    ('id,"two\nlines",two lines\n1,2,3\n', (2, 8)),
])
def test_a_column_twice_is_named_where_it_is(text: str, where: tuple[int, int]) -> None:
    table = load_csv(text.encode(), "f.csv")
    assert [(d.line, d.col) for d in table.problems] == [where]
    assert "appears twice (expected each column once)" in table.problems[0].message


def test_distinct_columns_have_no_problem() -> None:
    assert load_csv(b"id,name\n1,a\n", "f.csv").problems == []


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb", "a\r\n\rb\n\nc", "\n\n", "x\u2028y\nz",
                                  "a\x0cb\nc", "\r", "a\n\r\n"])
def test_physical_lines_are_the_patterns(text: str) -> None:
    from efl.files.evidence import _LINES, physical_lines

    assert physical_lines(text) == _LINES.split(text)


@pytest.mark.parametrize("row", [[], [""], [" "], ["", " \t"], ["", "x"], ["\u00a0"], ["\u2003", ""], ["a", "b"],
                                 ["\n"], ["", "", "0"]])
def test_a_row_is_blank_as_before(row: list[str]) -> None:
    assert bool("".join(row).strip()) == bool(row and any(cell.strip() for cell in row))


CELLS = ["14.25", "£1,234.50", "1,23", "-3", "0", "007", "1e3", "12%", "101", "yes", "No", "maybe", "2025-10-14",
         "14/10/2025", "10/14/2025", "31/02/2025", "Ethnic group", "Gender identity", "sex", "Martian", "  7 ", "2.0",
         "abc", "1,234,567", "99.5"]


def kinds():  # noqa: ANN201
    from efl.files.evidence import Column

    return [Column("pay", "decimal"), Column("n", "count"), Column("share", "percent"), Column("ok", "bool"),
            Column("when", "date"), Column("what", "characteristic"), Column("pay", "decimal", minimum=None),
            Column("n", "count", required=True)]


def test_kept_cell_answers_are_check_cells() -> None:
    # Tables read one after another with different date orders and characteristics: each answer kept
    # must be what _check_cell gives for that column, order and set of characteristics.
    from efl.core.models import CHARACTERISTICS
    from efl.files.cell_dates import DateOrder
    from efl.files.evidence import _CHECKED, _check_cell, read_columns

    _CHECKED.clear()
    text = "\n".join(["v"] + [f'"{c}"' for c in CELLS]) + "\n"
    for _ in range(2):  # the second round from what was kept
        for order in (DateOrder(True), DateOrder(False)):
            for allowed in (CHARACTERISTICS, CHARACTERISTICS[:3]):
                for spec in kinds():
                    column = type(spec)("v", spec.kind, spec.required, spec.default, spec.aliases, spec.minimum)
                    expected = [_check_cell(column, c.strip(), set(allowed), allowed, order) for c in CELLS]
                    from efl.files import evidence

                    monkey = evidence._date_order
                    evidence._date_order = lambda table, positions, warnings, order=order: order
                    try:
                        from efl.errors import EvidenceError

                        try:
                            got = read_columns(load_csv(text.encode(), "f.csv"), [column], allowed).values["v"]
                        except EvidenceError as error:
                            got = error
                    finally:
                        evidence._date_order = monkey
                    good = [e[0] for e in expected if not isinstance(e, str)]
                    bad = [e for e in expected if isinstance(e, str)]
                    if isinstance(got, Exception):
                        assert [d.message for d in got.diagnostics] == bad, (spec, order, allowed)
                    else:
                        assert not bad and got == good, (spec, order, allowed)
    assert _CHECKED


def test_a_table_read_twice_gives_the_same_values_and_errors() -> None:
    from efl.errors import EvidenceError
    from efl.files.evidence import _CHECKED, read_columns

    _CHECKED.clear()
    text = 'pay,n,ok,when\n14.25,3,yes,14/10/2025\nabc,-1,maybe,31/02/2025\n"£1,234.50",7,No,2025-10-14\n'
    outcomes = []
    for _ in range(2):
        table = load_csv(text.encode(), "f.csv")
        with pytest.raises(EvidenceError) as raised:
            read_columns(table, kinds()[:2] + [kinds()[3], kinds()[4]])
        outcomes.append([str(d) for d in raised.value.diagnostics])
    assert outcomes[0] == outcomes[1] and len(outcomes[0]) == 4, outcomes[0]
    assert outcomes[0][0] == "f.csv:3:1: pay: 'abc' is not a number (expected a number such as 14.25)"
    good = 'pay,n\n14.25,3\n"1,234.50",7\n'
    values = [read_columns(load_csv(good.encode(), "g.csv"), kinds()[:2]).values for _ in range(2)]
    assert values[0] == values[1] == {"pay": [14.25, 1234.5], "n": [3, 7]}


def test_an_unhashable_spec_is_read_without_keeping() -> None:
    from efl.files.evidence import Column, _checked_cells, read_columns

    spec = Column("n", "count", default=[])
    assert _checked_cells(spec, (), None) is None
    assert read_columns(load_csv(b"n,m\n3,x\n,y\n", "f.csv"), [spec]).values == {"n": [3, []]}
