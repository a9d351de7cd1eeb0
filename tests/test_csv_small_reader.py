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
