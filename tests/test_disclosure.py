"""--across summaries: no hidden count can be recovered from the printed figures by arithmetic.

The attacker here knows what the page prints: each row's number of councils and its shown counts.
For every hidden cell it works out every value consistent with those figures (whole numbers from 0
to the row's total, the row adding up); a cell is recovered when only one value fits. Written apart
from efl's suppression, and run on random tables and on the printed Markdown of the CLI.
"""

from __future__ import annotations

import copy
import itertools
import json
import random

import pytest

from efl.peer.compare_many import suppress
from efl.testing import run_efl

from conftest import EXAMPLES


def recoverable(total: int, cells: list[int | None]) -> list[int]:
    """Indexes of hidden cells (None) whose value the row's total and shown cells fix uniquely."""
    hidden = [i for i, c in enumerate(cells) if c is None]
    rest = total - sum(c for c in cells if c is not None)
    possible: dict[int, set[int]] = {i: set() for i in hidden}
    for values in itertools.product(range(rest + 1), repeat=len(hidden)):
        if sum(values) == rest:
            for i, v in zip(hidden, values):
                possible[i].add(v)
    return [i for i in hidden if len(possible[i]) == 1]


def test_the_attacker_finds_the_naive_table_leaks():
    # Without complementary suppression, one small count beside exact zeros is total minus the rest.
    naive = [None if 0 < n < 5 else n for n in [0, 2, 7, 9]]
    assert recoverable(18, naive) == [1]


@pytest.mark.parametrize("min_group", [2, 3, 5, 10])
def test_random_rows_leak_nothing(min_group):
    rng = random.Random(min_group)
    for _ in range(400):
        counts = [rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15]) for _ in range(4)]
        marks = suppress(counts, min_group)
        printed = [None if m else n for n, m in zip(counts, marks)]
        assert all(n >= min_group or n == 0 or m for n, m in zip(counts, marks))  # every small count hidden
        assert recoverable(sum(counts), printed) == [], (counts, printed)


def markdown_rows(text: str) -> list[tuple[str, int, list[int | None]]]:
    """(area, councils, cells) for each row of the summary table in the printed Markdown."""
    lines = text.split("## How many councils are at each level", 1)[1].splitlines()
    table = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    out = []
    for line in table:
        cells = [c.strip() for c in line.strip("|").split("|")]
        out.append((cells[0], int(cells[1]), [None if c == "hidden" else int(c) for c in cells[2:]]))
    return out


def test_the_printed_summary_of_twelve_councils_leaks_nothing(tmp_path):
    base = run_efl("assess", EXAMPLES / "bexley", "--format", "json").assert_success().json
    rng = random.Random(7)
    levels = [None, "developing", "achieving", "excellent"]
    paths = []
    for i in range(12):
        r = copy.deepcopy(base)
        r["assessment"]["council"] = f"Council {i:02d}"
        for area in r["areas"]:
            area["level"] = rng.choice(levels[:2] if area["id"] == "lpoc" else levels)
        r["overall_level"] = None if any(a["level"] is None for a in r["areas"]) else "developing"
        paths.append(tmp_path / f"c{i}.json")
        paths[-1].write_text(json.dumps(r))
    md = run_efl("compare", "--across", *paths, "--format", "markdown").assert_success().output
    rows = markdown_rows(md)
    assert len(rows) == 6 and all(total == 12 for _, total, _ in rows)
    assert any(None in cells for _, _, cells in rows)  # something was hidden, so the check means something
    for area, total, cells in rows:
        assert recoverable(total, cells) == [], (area, cells)
    assert "Council 0" not in md and "a second count is hidden" in md


def test_across_reads_linked_editions_through_the_crosswalk(tmp_path):
    old, new = tmp_path / "bexley-2014.json", tmp_path / "london-2021.json"
    run_efl("assess", EXAMPLES / "bexley", "-o", old).assert_success()
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eflg-2021", "-o", new).assert_success()
    out = run_efl("compare", "--across", old, new, "--min-group", "2", "--format", "json").assert_success().json
    assert out["framework"] == "eflg-2021 2021.1" and out["mapped"] == ["London Borough of Bexley"]
    assert [a["id"] for a in out["areas"]] == ["uwc", "lpoc", "rscc", "dew"]
    assert all(a["councils"] == 2 for a in out["areas"])
    # Levels of other scales are refused with a message, not a traceback.
    eslg = tmp_path / "eslg.json"
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eslg", "-o", eslg).assert_success()
    refused = run_efl("compare", "--across", old, eslg).assert_exit(2)
    assert "uses other levels than" in refused.stderr or "no installed crosswalk" in refused.stderr
