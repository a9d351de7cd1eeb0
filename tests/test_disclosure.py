"""--across summaries: no count can be worked out exactly, whatever the attacker holds.

The attack, as a data intruder would make it. The attacker knows everything efl prints: each row's
number of councils (exact), every shown count, and the method with its parameters (read here from
the JSON's ``disclosure`` block, not from efl's code: the probability below is written from the
printed words, "a two-sided geometric distribution with ratio 1/5", truncated to the row). It has
efl itself, earlier tables, and some councils' own published results. For every cell it lists every
true count consistent with all of that (counts from 0 to the row's total, the row adding up, every
shown count possible under the printed distribution from its true count); a cell is recovered when
only one value fits. Three attacks:

1. one table on its own;
2. two tables one council apart, that council's own result published (the differencing attack that
   broke small-cell suppression: the cell the council joined is one more in one table);
3. one council's result and efl: recompute the noise by running efl on what the attacker has.

A table the old suppression rule printed is attacked first, to show the attacker finds real leaks.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import random
from fractions import Fraction

import pytest

from efl.peer import disclosure
from efl.testing import run_efl

from conftest import EXAMPLES

LEVELS = [None, "developing", "achieving", "excellent"]


# --- the attacker -----------------------------------------------------------------------------------


def printed_probability(method: dict):  # noqa: ANN201
    """The probability of showing ``s`` for a true ``v`` in a row of ``n``, from the printed method only."""
    assert method["method"] == "cell-key perturbation"
    assert method["distribution"] == "truncated two-sided geometric"
    r = Fraction(method["ratio"])

    @functools.lru_cache(maxsize=None)
    def p(s: int, v: int, n: int) -> Fraction:
        if not (0 <= s <= n and 0 <= v <= n):
            return Fraction(0)
        if n == 0:
            return Fraction(1)
        mass = {k: r ** abs(k - v) for k in range(-60 - n, 2 * n + 60)}  # a wide window of the untruncated
        total = sum(mass.values())
        if s == 0:
            return sum(m for k, m in mass.items() if k <= 0) / total
        if s == n:
            return sum(m for k, m in mass.items() if k >= n) / total
        return mass[s] / total

    return p


def possible(cell: dict, v: int, n: int, p, band: int) -> bool:  # noqa: ANN001
    """Could a cell whose true count is ``v`` have been printed as ``cell``?"""
    if cell["count"] is None:  # "fewer than band": any perturbed value from 1 to band - 1
        return any(p(s, v, n) > 0 for s in range(1, band))
    return p(cell["count"], v, n) > 0


def consistent_values(n: int, cells: list[dict], p, band: int, known: list[int] | None = None) -> list[set[int]]:  # noqa: ANN001
    """Per cell, every true count consistent with the row: its total, its printed cells and what is known
    (``known``: a lower bound per cell, the councils the attacker knows to be in it)."""
    known = known or [0] * len(cells)
    values: list[set[int]] = [set() for _ in cells]
    for vector in itertools.product(range(n + 1), repeat=len(cells)):
        if sum(vector) != n or any(v < k for v, k in zip(vector, known)):
            continue
        if all(possible(c, v, n, p, band) for c, v in zip(cells, vector)):
            for i, v in enumerate(vector):
                values[i].add(v)
    return values


def recovered(values: list[set[int]]) -> list[int]:
    return [i for i, v in enumerate(values) if len(v) == 1]


def rows_of(table: dict) -> list[tuple[str, int, list[dict]]]:
    rows = [(a["id"], a["councils"], a["summary"]) for a in table["areas"]]
    return rows + [("overall", table["overall_councils"], table["overall"])]


# --- the data ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")
        return run_efl("assess", EXAMPLES / "bexley", "--format", "json").assert_success().json


def council_results(base: dict, count: int, seed: int) -> list[dict]:
    """``count`` councils with random levels (each its own evidence fingerprints, as real results have)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        r = copy.deepcopy(base)
        r["assessment"]["council"] = f"Council {i:02d}"
        for area in r["areas"]:
            area["level"] = rng.choice(LEVELS)
        ranks = [LEVELS.index(a["level"]) for a in r["areas"]]
        r["overall_level"] = LEVELS[min(ranks)]
        for e in r["evidence"]:
            if e["sha256"]:
                e["sha256"] = f"{rng.getrandbits(256):064x}"
        out.append(r)
    return out


def table_of(tmp_path, results: list[dict], *extra: str) -> dict:
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    paths = []
    for r in results:
        paths.append(folder / f"{r['assessment']['council'].replace(' ', '-')}.json")
        paths[-1].write_text(json.dumps(r))
    return run_efl("compare", "--across", *paths, "--format", "json", *extra).assert_success().json


def true_counts(results: list[dict], row: str) -> list[int]:
    if row == "overall":
        levels = [r["overall_level"] for r in results]
    else:
        levels = [next(a["level"] for a in r["areas"] if a["id"] == row) for r in results]
    return [levels.count(level) for level in LEVELS]


# --- the attacks ------------------------------------------------------------------------------------


def test_the_attacker_finds_the_leaks_of_the_old_suppression_rule():
    # Twelve councils, three counts hidden as "1 to 4" and summing to 12 - 0 = 12: each must be 4.
    # The old rule printed exactly this; the attacker, told "hidden counts are 1 to 4", recovers all.
    cells = [{"count": 0}, {"count": None}, {"count": None}, {"count": None}]

    def suppression(s: int, v: int, n: int) -> Fraction:
        return Fraction(int(s == v))

    def old_possible(cell: dict, v: int, n: int, p, band: int) -> bool:  # noqa: ANN001
        return 1 <= v <= 4 if cell["count"] is None else v == cell["count"]

    values: list[set[int]] = [set() for _ in cells]
    for vector in itertools.product(range(13), repeat=4):
        if sum(vector) == 12 and all(old_possible(c, v, 12, suppression, 5) for c, v in zip(cells, vector)):
            for i, v in enumerate(vector):
                values[i].add(v)
    assert recovered(values) == [0, 1, 2, 3] and values[1] == {4}


def test_one_table_reveals_no_count(tmp_path, base):
    results = council_results(base, 12, seed=1)
    table = table_of(tmp_path, results)
    p = printed_probability(table["disclosure"])
    band = table["disclosure"]["band_below"]
    assert table["publishable"] and table["councils"] == [] and "Council 0" not in json.dumps(table)
    perturbed = 0
    for row, n, cells in rows_of(table):
        assert n == 12
        values = consistent_values(n, cells, p, band)
        assert recovered(values) == [], (row, cells)
        assert all(true in vals for true, vals in zip(true_counts(results, row), values))  # the truth fits
        perturbed += sum(1 for c, t in zip(cells, true_counts(results, row)) if c["count"] is not None and c["count"] != t)
    assert perturbed > 0  # the noise is really there, so the check means something


def test_the_publishable_json_never_says_why_a_cell_shows_what_it_shows(tmp_path, base):
    table = table_of(tmp_path, council_results(base, 9, seed=2))
    text = json.dumps(table)
    assert '"reason"' not in text and "complementary" not in text and "small" not in text
    for _, _, cells in rows_of(table):
        for cell in cells:
            assert set(cell) == {"level", "title", "count", "shown", "hidden"}
    # The method and its parameters are stated, in words, in every format.
    for fmt in ("table", "markdown", "json"):
        out = run_efl("compare", "--across", *sorted(tmp_path.glob("run-0/*.json")), "--format", fmt).output
        assert "cell-key method" in out and "ratio 1/5" in out and "Census 2021" in out


def test_two_tables_one_council_apart_reveal_no_count(tmp_path, base):
    results = council_results(base, 11, seed=3)
    before = table_of(tmp_path, results[:-1])
    after = table_of(tmp_path, results)
    joined = results[-1]  # its own result is published: the attacker knows its level in every area
    p = printed_probability(after["disclosure"])
    band = after["disclosure"]["band_below"]
    other_cells_moved = 0
    for (row, n1, cells1), (_, n2, cells2) in zip(rows_of(before), rows_of(after)):
        assert n2 == n1 + 1
        level = joined["overall_level"] if row == "overall" else next(
            a["level"] for a in joined["areas"] if a["id"] == row)
        where = LEVELS.index(level)
        # Every true row of the smaller table, and the larger one is the same plus the council that joined.
        candidates: list[set[int]] = [set() for _ in LEVELS]
        for vector in itertools.product(range(n1 + 1), repeat=len(LEVELS)):
            if sum(vector) != n1:
                continue
            bigger = list(vector)
            bigger[where] += 1
            if all(possible(c, v, n1, p, band) for c, v in zip(cells1, vector)) and \
                    all(possible(c, v, n2, p, band) for c, v in zip(cells2, bigger)):
                for i, v in enumerate(vector):
                    candidates[i].add(v)
        assert recovered(candidates) == [], (row, cells1, cells2)
        other_cells_moved += sum(1 for i, (a, b) in enumerate(zip(cells1, cells2)) if i != where and a != b)
    # The cell the council joined is not the only one that moves, so the difference does not name its level.
    assert other_cells_moved > 0


def test_a_chain_of_tables_one_council_at_a_time_reveals_no_count(tmp_path, base):
    results = council_results(base, 8, seed=4)
    tables = [table_of(tmp_path, results[:k]) for k in (6, 7, 8)]
    p = printed_probability(tables[0]["disclosure"])
    band = tables[0]["disclosure"]["band_below"]
    for index in range(len(rows_of(tables[0]))):
        candidates: list[set[int]] = [set() for _ in LEVELS]
        for vector in itertools.product(range(7), repeat=len(LEVELS)):
            if sum(vector) != 6:
                continue
            rows, current = [], list(vector)
            for k, table in zip((6, 7, 8), tables):
                if k > 6:  # the attacker knows the level of each council that joined
                    r = results[k - 1]
                    row = rows_of(table)[index][0]
                    level = r["overall_level"] if row == "overall" else next(a["level"] for a in r["areas"]
                                                                           if a["id"] == row)
                    current = list(current)
                    current[LEVELS.index(level)] += 1
                rows.append((rows_of(table)[index][2], list(current), k))
            if all(possible(c, v, k, p, band) for cells, vec, k in rows for c, v in zip(cells, vec)):
                for i, v in enumerate(vector):
                    candidates[i].add(v)
        assert recovered(candidates) == []


def test_a_councils_own_result_and_efl_do_not_give_the_noise(tmp_path, base):
    # The attacker holds one council's real result and efl, and (the worst case) even knows every
    # other council's levels; it rebuilds the inputs from the same template, runs efl, and compares.
    results = council_results(base, 10, seed=5)
    published = table_of(tmp_path, results)
    guessed = copy.deepcopy(results)
    for r in guessed[1:]:  # all but the one it holds: levels right, the rest of each file guessed
        for e, mine in zip(r["evidence"], base["evidence"]):
            e["sha256"] = mine["sha256"]
    rebuilt = table_of(tmp_path, guessed)
    moved = sum(1 for (_, _, a), (_, _, b) in zip(rows_of(published), rows_of(rebuilt))
                for x, y in zip(a, b) if x["shown"] != y["shown"])
    assert moved > 0  # its "noise" is not the published noise, so subtracting it recovers nothing
    # With the publisher's key file the noise rests on the key alone, and the key is not published.
    key = tmp_path / "noise.key"
    key.write_text("0123456789abcdef0123456789abcdef\n")
    keyed = table_of(tmp_path, results, "--noise-key", key)
    other = tmp_path / "other.key"
    other.write_text("fedcba9876543210fedcba9876543210\n")
    guess = table_of(tmp_path, results, "--noise-key", other)
    assert keyed["disclosure"]["secret"] == "key file"
    assert any(x["shown"] != y["shown"] for (_, _, a), (_, _, b) in zip(rows_of(keyed), rows_of(guess))
               for x, y in zip(a, b))
    # The same councils, levels and key always give the same table: asking again reveals nothing.
    assert table_of(tmp_path, results, "--noise-key", key) == keyed
    assert table_of(tmp_path, results) == published


def test_the_ptable_is_the_printed_distribution():
    # Exact: each row of the ptable adds up to 1, and every shown value is possible from every true value.
    for n in range(0, 9):
        for v in range(n + 1):
            total = sum(disclosure.probability(s, v, n) for s in range(n + 1))
            assert total == 1
            assert all(disclosure.probability(s, v, n) > 0 for s in range(n + 1))
    # Worked by hand for ratio 1/5: inside the row, p(v) = (4/5)/(6/5) = 2/3 and p(v ± 1) = 2/15.
    assert disclosure.probability(5, 5, 12) == Fraction(2, 3)
    assert disclosure.probability(4, 5, 12) == Fraction(2, 15)
    assert disclosure.probability(0, 2, 12) == Fraction(1, 25) / Fraction(6, 5)
    # The shown values follow it: over many cells about two in three are unchanged.
    rng = random.Random(9)
    same, trials = 0, 3000
    for i in range(trials):
        secret = rng.getrandbits(128).to_bytes(16, "big")
        members = [f"c{j}" for j in range(5)]
        row = members + [f"d{j}" for j in range(7)]
        same += disclosure.perturb(secret, "kyc", "developing", members, row) == 5
    assert abs(same / trials - 2 / 3) < 0.04


def test_a_short_or_missing_noise_key_is_refused(tmp_path, base):
    results = council_results(base, 3, seed=6)
    paths = []
    for r in results:
        paths.append(tmp_path / f"{r['assessment']['council']}.json")
        paths[-1].write_text(json.dumps(r))
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    out = run_efl("compare", "--across", *paths, "--noise-key", short).assert_exit(2)
    assert f"{short}: holds 3 bytes (expected a secret of at least 16 bytes" in out.stderr
    out = run_efl("compare", "--across", *paths, "--noise-key", tmp_path / "none.key").assert_exit(2)
    assert "none.key" in out.stderr and "Traceback" not in out.stderr


def test_show_councils_is_exact_and_not_for_publication(tmp_path, base):
    results = council_results(base, 6, seed=7)
    table = table_of(tmp_path, results, "--show-councils")
    assert not table["publishable"] and table["disclosure"]["method"] == "none"
    for row, n, cells in rows_of(table):
        assert [c["count"] for c in cells] == true_counts(results, row)


def test_across_reads_linked_editions_through_the_crosswalk(tmp_path):
    old, new = tmp_path / "bexley-2014.json", tmp_path / "london-2021.json"
    run_efl("assess", EXAMPLES / "bexley", "-o", old).assert_success()
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eflg-2021", "-o", new).assert_success()
    out = run_efl("compare", "--across", old, new, "--format", "json").assert_success().json
    assert out["framework"] == "eflg-2021 2021.1" and out["mapped"] == ["London Borough of Bexley"]
    assert [a["id"] for a in out["areas"]] == ["uwc", "lpoc", "rscc", "dew"]
    assert all(a["councils"] == 2 for a in out["areas"])
    # Levels of other scales are refused with a message, not a traceback.
    eslg = tmp_path / "eslg.json"
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eslg", "-o", eslg).assert_success()
    refused = run_efl("compare", "--across", old, eslg).assert_exit(2)
    assert "uses other levels than" in refused.stderr or "no installed crosswalk" in refused.stderr
