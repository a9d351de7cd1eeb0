"""efl's own plain-text tables (efl.reports.text_table) give tabulate's bytes, whatever the text.

tabulate is the independent reference: every table is drawn both ways and compared byte for byte,
for generated tables of the kinds efl prints (long text wrapped in columns, counts) and for text
that tabulate treats specially (numbers, truth values, wide and invisible characters, tabs,
hyphens, words longer than the column), where efl hands the table to tabulate.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st
from tabulate import tabulate

from efl.reports import text_table
from efl.reports.text_table import simple_table

WORDS = tuple(("the council will review equality impact assessments for every key decision co-production "
         "hate-crime well-being e-mail Māori café naïve £1,200 50% “quoted” it’s – — … • "
         "https://www.example.gov.uk/equality/objectives-2016-2020 Antidisestablishmentarianism a an I "
         "x-y-z --- -- - pre- -post 3-4 A-1 ab-cd-ef").split())


def reference(rows, headers, widths):  # noqa: ANN001, ANN201
    return tabulate([list(r) for r in rows], headers=list(headers), tablefmt="simple", maxcolwidths=list(widths))


def check(rows, headers, widths) -> None:  # noqa: ANN001
    try:
        expected = reference(rows, headers, widths)
    except ValueError:  # tabulate 0.10 cannot wrap "1,000" (or a lone line break); efl still draws the table
        drawn = simple_table(rows, headers, widths)
        assert drawn.startswith(headers[0]) and len(drawn.splitlines()) >= 2
        return
    assert simple_table(rows, headers, widths) == expected


def _text(rng: random.Random, extra: tuple[str, ...] = ()) -> str:
    words = [rng.choice(WORDS + extra) for _ in range(rng.randint(0, 40))]
    seps = [rng.choice((" ", " ", " ", " ", "  ", "\n")) for _ in words]
    text = "".join(w + s for w, s in zip(words, seps))
    return text if rng.random() < 0.8 else " " + text + rng.choice(("", " ", "  "))


def _table(rng: random.Random, extra: tuple[str, ...] = ()) -> tuple[list[list], list[str], list[int | None]]:
    headers = ["Action", "Lead", "Due", "Progress", "Latest note"][: rng.randint(1, 5)]
    widths = [rng.choice((None, 1, 2, 5, 12, 18, 22, 40, 44)) for _ in headers]
    rows = [[_text(rng, extra) if rng.random() < 0.9 else "" for _ in headers] for _ in range(rng.randint(1, 12))]
    return rows, headers, widths


@pytest.mark.parametrize("seed", range(120))
def test_text_tables_match_tabulate(seed: int) -> None:
    rng = random.Random(seed)
    rows, headers, widths = _table(rng)
    assert simple_table(rows, headers, widths) == reference(rows, headers, widths)


ODD = ("12", " 7 ", "1,000", "1e5", "nan", "inf", "-3", ".5", "True", "False", "中文字", "e\u0301", "\t", "a\tb",
       "\u00a0", "\u200b", "\x1b[31mred\x1b[0m", "\x01", "\r\n", "😀", "\u2028", "1_000", "٣", "0x10")


@pytest.mark.parametrize("seed", range(60))
def test_the_lines_of_a_table_are_tabulates_joined_or_not(seed: int) -> None:
    # table_lines: pieces that join into tabulate's table, whether this module draws it or tabulate does.
    from efl.reports.text_table import table_lines

    rng = random.Random(5000 + seed)
    rows, headers, widths = _table(rng, ODD if seed % 2 else ())
    lines = table_lines(rows, headers, widths)
    assert isinstance(lines, list) and all(isinstance(line, str) for line in lines)
    assert "\n".join(lines) == reference(rows, headers, widths)


@pytest.mark.parametrize("seed", range(80))
def test_tables_with_odd_text_match_tabulate(seed: int) -> None:
    rng = random.Random(1000 + seed)
    rows, headers, widths = _table(rng, ODD)
    for row in rows:  # now and then a cell that is nothing but an odd value
        if rng.random() < 0.3:
            row[rng.randrange(len(row))] = rng.choice(ODD)
    check(rows, headers, widths)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(list("ab -\n.1,é’ ")), max_size=30), min_size=3, max_size=3),
                min_size=1, max_size=6),
       st.lists(st.one_of(st.none(), st.integers(1, 12)), min_size=3, max_size=3))
def test_any_short_alphabet_text_matches_tabulate(rows: list[list[str]], widths: list[int | None]) -> None:
    check(rows, ["One", "Two", "Three"], widths)


def test_counts_are_right_aligned_as_tabulate_does() -> None:
    rows = [["A skilled and committed workforce, with a long name that wraps", 1, 0, 12],
            ["Leadership", 10, 200, 3]]
    headers = ["Area", "Done", "On track", "Overdue"]
    drawn = simple_table(rows, headers, [40, None, None, None])
    assert drawn == reference(rows, headers, [40, None, None, None])
    assert drawn.splitlines()[2].endswith("   1           0         12")


def test_empty_rows_and_cells_match_tabulate() -> None:
    for rows in ([["", ""]], [["", ""], ["a", "b"]], [["", ""], ["a\nb", ""]], [["x", 3]], [[" ", "  "]]):
        assert simple_table(rows, ["H1", "H2"], [10, None]) == reference(rows, ["H1", "H2"], [10, None])


def test_the_fast_path_is_taken_for_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tables efl prints, of ordinary words, never go through tabulate (that is the point of the module).
    monkeypatch.setattr(text_table, "_tabulate", lambda *a: pytest.fail("handed to tabulate"))
    rng = random.Random(5)
    rows = [[_text(rng), "Head of HR", "30 September 2016", "on track", _text(rng)] for _ in range(50)]
    simple_table(rows, ["Action", "Lead", "Due", "Progress", "Latest note"], [44, 22, 18, 12, 40])


def test_one_wide_characters_are_one_column_wide_for_tabulate() -> None:
    """Every character the fast path accepts is one column wide on a terminal (what tabulate
    measures, with wcwidth when it is installed, else len), printable and not white space; so
    widths, strip and line splitting agree with tabulate's."""
    accepted = [chr(c) for c in range(0x20, 0x2200) if text_table._ONE_WIDE.match(chr(c))]
    assert len(accepted) > 1000  # Latin, Greek, Cyrillic and punctuation, not only ASCII
    try:
        import wcwidth
    except ImportError:
        wcwidth = None
    for ch in accepted:
        assert unicodedata.east_asian_width(ch) in ("Na", "N", "A", "H"), hex(ord(ch))
        assert unicodedata.category(ch)[0] not in "MCZ" or ch == " ", (hex(ord(ch)), unicodedata.name(ch, "?"))
        assert ch.isprintable() and (ch == " " or not ch.isspace()) and len(ch.splitlines()) <= 1, hex(ord(ch))
        if wcwidth is not None:
            assert wcwidth.wcwidth(ch) == 1, (hex(ord(ch)), unicodedata.name(ch, "?"))
    assert not re.search("[\u0300-\u036f\u00a0\u00ad\u200b\u2028]", "".join(accepted))


@pytest.mark.parametrize("seed", range(150))
def test_single_spaced_text_with_hyphens_wraps_as_tabulate_does(seed: int) -> None:
    # The common case, filled a line at a time (one rfind per line, hyphen cuts by bisection, or one
    # regular expression when there is no hyphen): words and single spaces, many of them hyphenated,
    # a long word now and then, at every width; and text with "%" in it, drawn through a format.
    rng = random.Random(7000 + seed)
    words = WORDS + ("co-production", "ab-cd-ef", "x-y-z", "well-being", "e-mail", "3-4", "100%", "%s", "%d",
                     "a-b", "-x", "x-", "é-ü", "1-a", "a-1", "ab-1c", "a-b-c-d", "Māori-led", "x-’y", "_a-b_")
    def line() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
    widths = [rng.randint(3, 50), rng.randint(3, 50), None]
    rows = [[line(), line(), rng.randint(0, 500)] for _ in range(rng.randint(1, 15))]
    assert simple_table(rows, ["Action", "Note", "Count"], widths) == reference(rows, ["Action", "Note", "Count"],
                                                                                widths)


def test_wrapping_hyphenated_lines_takes_the_quick_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    # Guard that the quick fill is what the tests above exercise: a single-spaced line, hyphenated
    # or not, is filled by the one regular expression (the chunk-by-chunk paths are never reached)
    # and gives textwrap's lines; a word too long for the column is not, and still gives them.
    import textwrap

    def refused(*args):  # noqa: ANN002, ANN202
        raise AssertionError("the chunk-by-chunk path was taken")

    lines = ["the co-production of well-being plans with hate-crime panels and e-mail surveys of every ward",
             "a-b-c-d ab-cd-ef x-y-z Māori-led e-mail 3-4 A-1 well-being reviews " * 3,
             "plain words only, none of them hyphenated, in a long single-spaced line of text " * 2]
    with monkeypatch.context() as patched:
        patched.setattr(text_table, "_plain_chunks", refused)
        for line in lines:
            for width in (12, 20, 33):  # (every word fits in 12)
                assert text_table._wrap_line(line.strip(), width) == textwrap.wrap(line.strip(), width)
    for line in ("a " + "x" * 30, "co-" + "x" * 30 + " b", "ab-cd " + "y" * 21):
        assert text_table._wrap_line(line, 20) == textwrap.wrap(line, 20)


@pytest.mark.parametrize("seed", range(20))
def test_cells_repeated_down_a_column_are_drawn_as_tabulate_draws_them(seed: int) -> None:
    # Each text is wrapped once per column and its lines reused (a plan's leads, dates and states
    # repeat on thousands of lines): the same text beside different neighbours, in one column and
    # in two of different widths, a repeated cell the only one with a line break.
    rng = random.Random(9000 + seed)
    leads = ["Head of HR", "Chairs of the Directorate Equality Task Groups", "Ward councillors (all wards)", "",
             "Policy Officer for Equalities and Diversity", "co-production lead"]
    rows = [[_text(rng), rng.choice(leads), rng.choice(leads), rng.choice(("done", "no status given"))]
            for _ in range(rng.randint(1, 30))]
    widths = [rng.choice((12, 44)), rng.choice((10, 22)), rng.choice((None, 30)), 12]
    assert simple_table(rows, ["Action", "Lead", "Also", "Progress"], widths) == \
        reference(rows, ["Action", "Lead", "Also", "Progress"], widths)
    short = [["x", "a b c d e f"], ["y", "a b c d e f"], ["z", "a"]]
    assert simple_table(short, ["One", "Two"], [None, 5]) == reference(short, ["One", "Two"], [None, 5])


def test_the_quick_one_wide_check_is_the_pattern() -> None:
    # _one_wide looks at what is left of the UTF-8 bytes once the ASCII the pattern takes is out: the
    # same answer as the pattern over the whole text, for every character near the ranges and mixed
    # into ASCII text (before, after, repeated), and for a lone surrogate, which cannot be UTF-8.
    for code in list(range(0x0, 0x2300)) + [0x3000, 0x4E00, 0xFEFF, 0x1F600, 0xD800, 0xDFFF]:
        ch = chr(code)
        for text in (ch, f"the council{ch}", f"{ch}\nco-production {ch}{ch} café", f"Māori\n{ch}"):
            assert text_table._one_wide(text) == (text_table._ONE_WIDE.match(text) is not None), hex(code)
    assert text_table._one_wide("") and text_table._one_wide("plain\ntext") and not text_table._one_wide("a\tb")
