"""A cell of plain notes is read line by line at a glance (plan_model._note_data): the same notes as
the general reading (_note_lines), or the same error, whatever the cell holds.

The general reading is the reference: every cell is read both ways. Cells are made of lines of
every shape a council types (ISO and other dates, continuation lines, indents, spaces and tabs
around the text, carriage returns, empty lines, dates that are not dates, digits that are not ASCII).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

from efl.plan import plan_model
from efl.plan.plan_model import _note_data, _note_lines, parse_notes

LINES = ["2026-01-15: Survey sent out", "2026-02-01: Results in", "2026-01-15: Sent", "", " ", "  ", "\t",
         "2026-01-15:Sent", "2026-01-15 : Sent", "2026-01-15:  Sent", "2026-01-15: Sent ", "2026-01-15: Sent\r",
         "2026-01-15: \tSent", "2026-01-15: ", "2026-01-15:", "  2026-02-01 is the close", "and then more",
         "3 March 2026 - Done", "15/01/2026: Sent", "2026-13-40: Not a day", "1899-01-01: Too early",
         "٢٠٢٦-٠١-١٥: Arabic digits", " 2026-01-15: Indented", "2026-01-15: a", "2026-01-15: Māori café – ok",
         "2026-01-15 – Sent", "2026-01-15: x\x0by", "2026-1-15: Short month"]


def _read(read, text: str):  # noqa: ANN001, ANN202
    try:
        return read(text, {})
    except ValueError as exc:
        return ("error", str(exc))


def check(text: str) -> None:
    assert _read(_note_data, text) == _read(_note_lines, text), repr(text)


@pytest.mark.parametrize("seed", range(300))
def test_generated_cells_read_as_line_by_line(seed: int) -> None:
    rng = random.Random(seed)
    plain = [line for line in LINES if plan_model._NOTE_HEAD.match(line) and line[-1] not in " \t\r\n"]
    pool = LINES if seed % 3 else plain + ["", ""]  # a third: only plain lines and empty ones (the quick path)
    text = "\n".join(rng.choice(pool) for _ in range(rng.randint(1, 8)))
    if rng.random() < 0.3:
        text += rng.choice(("\n", "\n\n", "\r\n", " "))
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=20)), min_size=1, max_size=6))
def test_any_cell_reads_as_line_by_line(lines: list[str]) -> None:
    check("\n".join(lines))


def test_the_quick_path_reads_plain_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # Plain cells are read without the general reading (which would say the same), and the date
    # each text gives is read once for the whole plan (the shared ``dates``).
    calls = []
    original = plan_model._note_lines
    monkeypatch.setattr(plan_model, "_note_lines", lambda text, d: calls.append(text) or original(text, d))
    dates: dict = {}
    assert _note_data("2026-01-15: Sent\n\n2026-02-01: Results in\n", dates) == [
        {"date": plan_model.parse_date("2026-01-15"), "text": "Sent"},
        {"date": plan_model.parse_date("2026-02-01"), "text": "Results in"}]
    assert calls == [] and set(dates) == {"2026-01-15", "2026-02-01"}
    assert _note_data("2026-01-15: Sent\n  more", dates) == [
        {"date": plan_model.parse_date("2026-01-15"), "text": "Sent\nmore"}]
    assert calls == ["2026-01-15: Sent\n  more"]  # a continuation line: the general reading
    with pytest.raises(ValueError, match="2026-13-40"):
        _note_data("2026-01-15: Sent\n2026-13-40: No such day", {})
    assert [n.text for n in parse_notes("2026-01-15: a\n2026-01-16: b")] == ["a", "b"]
