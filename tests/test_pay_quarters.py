"""The share of each pay quarter in each ethnic group: every full-pay employee ranked together.

The guidance's "percentage of employees in each ethnic group in each pay quarter": one ranking of
the whole workforce by hourly pay, cut by the gender pay gap's quarter sizes and left-over rule, tied
rates shared in whole people by the tie's own mix. Figures are checked against counts worked by hand,
against efl's two-group quartiles (the gender pay gap's own rule), and against properties an
independent reference states.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from efl import quartile_bands
from efl.testing import make_folder, run_efl
from efl_plugins.pay_gaps import quarters, share_tie


def sizes_by_hand(n: int) -> list[int]:
    """Four equal quarters; the one, two or three left over go to the lower; lower and upper middle;
    lower, lower middle and upper middle (as the guidance fixes them)."""
    q, r = divmod(n, 4)
    extra = {0: [0, 0, 0, 0], 1: [1, 0, 0, 0], 2: [1, 0, 1, 0], 3: [1, 1, 1, 0]}[r]
    return [q + e for e in extra]


@pytest.mark.parametrize("seed", range(200))
def test_a_tie_is_shared_in_whole_people_by_its_own_mix(seed):
    rng = random.Random(seed)
    counts = [rng.randint(0, 9) for _ in range(rng.randint(1, 7))]
    total = sum(counts)
    if not total:
        return
    cuts = sorted(rng.sample(range(1, total), min(rng.randint(0, 3), total - 1))) if total > 1 else []
    places = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    cells = share_tie(counts, places)
    assert [sum(row) for row in cells] == counts
    assert [sum(col) for col in zip(*cells)] == places
    for g, row in enumerate(cells):
        for j, n in enumerate(row):
            exact = Fraction(counts[g] * places[j], total)
            assert exact - 1 < n < exact + 1


@pytest.mark.parametrize("seed", range(150))
def test_two_groups_give_the_gender_pay_gaps_quarters(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    rates = [rng.choice([10, 10.5, 11, 12, 12, 12, 13.25, 15, 15, 20]) for _ in range(n)]  # many ties
    women = [rng.random() < 0.6 for _ in range(n)]
    sizes, counts = quarters({"women": sorted(r for r, w in zip(rates, women) if w),
                              "men": sorted(r for r, w in zip(rates, women) if not w)})
    bands = quartile_bands(rates, women)
    assert sizes == [b.size for b in bands] == sizes_by_hand(n)
    assert counts["women"] == [b.women for b in bands]
    assert counts["men"] == [b.men for b in bands]


@pytest.mark.parametrize("seed", range(150))
def test_many_groups_ranked_together(seed):
    rng = random.Random(seed)
    groups = {g: sorted(rng.choice([9, 10, 10, 11, 12.5, 12.5, 14, 18]) + rng.choice([0, 0, 0.01])
                        for _ in range(rng.randint(0, 15))) for g in "ABCDEF"}
    sizes, counts = quarters(groups)
    n = sum(len(v) for v in groups.values())
    assert sizes == sizes_by_hand(n)
    for g, pay in groups.items():
        assert sum(counts[g]) == len(pay)
    for k in range(4):
        assert sum(counts[g][k] for g in groups) == sizes[k]
    # Each quarter holds, of each group, its people on every rate the quarter holds, shared by the
    # rate's own mix: between the sums of those shares rounded down and rounded up.
    ranked = sorted(r for pay in groups.values() for r in pay)
    bounds = [sum(sizes[:k]) for k in range(5)]
    for k in range(4):
        in_k = ranked[bounds[k]:bounds[k + 1]]
        for g, pay in groups.items():
            exact = [Fraction(pay.count(r) * in_k.count(r), ranked.count(r)) for r in set(in_k)]
            low = sum(x.numerator // x.denominator for x in exact)
            high = sum(-(-x.numerator // x.denominator) for x in exact)
            assert low <= counts[g][k] <= high, (g, k)


HEADER = "Employee Number,Legal Sex,Hourly Rate (£),Ethnic Origin"
# 44 staff in rank order (lowest paid first), 11 to a quarter. Rates rise by 25p, except that the 10th
# to 13th share £12.25 across the line between the lower and lower middle quarters: two of them are
# White British and two Indian, so each quarter holds one of each.
ORDER = (["WBRI"] * 5 + ["AIND"] * 2 + [""] * 2 + ["WBRI", "AIND"]        # lower: 6 WB, 3 IN, 2 none
         + ["WBRI", "AIND"] + ["BAFR"] * 5 + ["WBRI"] * 4                 # lower middle: 5 WB, 1 IN, 5 BA
         + ["WBRI"] * 6 + ["AIND"] * 3 + ["BAFR"] * 2                     # upper middle: 6 WB, 3 IN, 2 BA
         + ["WBRI"] * 5 + ["AIND"] * 3 + ["BAFR"] * 3)                    # upper: 5 WB, 3 IN, 3 BA
TIE = {9, 10, 11, 12}


def payroll() -> str:
    rows = []
    for i, code in enumerate(ORDER):
        rate = 12.25 if i in TIE else 10 + i * 0.25
        # The tie's rows are written in an order that would put both White British in the lower
        # quarter if the file's order decided.
        rows.append((f"P{i:03d}", "F" if i % 3 else "M", f"{rate:.2f}", code))
    tie = [r for i, r in enumerate(rows) if i in TIE]
    tie.sort(key=lambda r: r[3] != "WBRI")
    rows = [r for i, r in enumerate(rows) if i not in TIE] + tie
    return HEADER + "\n" + "".join(",".join(r) + "\n" for r in rows)


def folder_for(tmp_path, text: str):  # noqa: ANN001, ANN201
    return make_folder(tmp_path / "council", {"assessment.yaml": {
        "framework": "eflg-2014", "council": {"name": "Testshire County Council"}, "date": "2025-11-14",
        "evidence": [{"id": "hr", "type": "workforce-profile", "file": "hr.csv", "date": "2025-03-31"}]},
        "hr.csv": text.encode()})


def test_the_share_of_each_quarter_in_each_ethnic_group_worked_by_hand(tmp_path):
    folder = folder_for(tmp_path, payroll())
    facts = {f["name"]: f for f in run_efl("assess", folder, "--format", "json").assert_success().json["facts"]}
    fact = facts["workforce.ethnicity_pay_quarters"]
    value = fact["value"]
    assert value["ranked"] == 44 and [b["size"] for b in value["bands"]] == [11, 11, 11, 11]
    rows = {g["group"]: g for g in value["groups"]}
    assert list(rows) == ["White British", "Indian", "Black African", "No ethnic group recorded or placed"]
    assert rows["White British"]["counts"] == [6, 5, 6, 5]
    assert rows["Indian"]["counts"] == [3, 1, 3, 3]
    assert rows["Black African"]["counts"] == [0, 5, 2, 3]
    assert rows["No ethnic group recorded or placed"]["counts"] == [2, 0, 0, 0]
    assert rows["White British"]["pct"] == pytest.approx([600 / 11, 500 / 11, 600 / 11, 500 / 11])
    assert rows["Black African"]["pct"][0] == 0.0
    assert fact["statement"] == (
        "All 44 full-pay employees with an hourly rate are ranked by hourly pay, lowest first, and cut into four "
        "quarters. In the lowest paid quarter, 54.5% are White British and 27.3% are from ethnic minority groups. "
        "In the highest paid quarter, 45.5% are White British and 54.5% are from ethnic minority groups.")
    paper = run_efl("assess", folder, "--format", "markdown").assert_success().output
    assert "Share of each quarter of hourly pay by ethnic group: all 44 full-pay employees ranked together" in paper
    assert "| Black African | 0.0% | 45.5% | 18.2% | 27.3% |" in paper
    assert "| Employees in the quarter | 11 | 11 | 11 | 11 |" in paper


@pytest.mark.parametrize("seed", range(12))
def test_small_groups_are_combined_or_withheld_as_in_the_pay_gaps(tmp_path, seed):
    rng = random.Random(seed)
    codes = ["WBRI"] * 30 + ["AIND", "APKN", "ABAN", "BAFR", "BCRB", "MWBC", "WIRI", "WOTH", "OARA", "", "REFU"] * 4
    rows = [(f"P{i}", rng.choice("FM"), f"{rng.choice([10, 11, 11, 12, 14, 16, 20]):.2f}",
             rng.choice(codes)) for i in range(rng.randint(60, 140))]
    text = HEADER + "\n" + "".join(",".join(r) + "\n" for r in rows)
    facts = {f["name"]: f for f in run_efl("assess", folder_for(tmp_path / str(seed), text), "--format",
                                           "json").assert_success().json["facts"]}
    gaps = facts.get("workforce.ethnicity_pay_gap")
    quarters_fact = facts.get("workforce.ethnicity_pay_quarters")
    if gaps is None:
        return
    value = quarters_fact["value"]
    sizes = [b["size"] for b in value["bands"]]
    assert sizes == sizes_by_hand(len(rows)) and value["ranked"] == len(rows)
    for k in range(4):
        assert sum(g["counts"][k] for g in value["groups"]) == sizes[k]
    for g in value["groups"]:
        if g["group_id"] not in ("white-british", None):
            assert g["employees"] >= 10, g  # no group of fewer than the minimum is shown
    shown = {c["group_id"] for c in gaps["value"]}
    assert {g["group_id"] for g in value["groups"]} - {"white-british", None} <= shown


# --- the quarters from counts per rate (columns read by Arrow) against the ranking person by person ---

def _awkward_groups(rng: random.Random) -> dict:
    """Groups of hourly pay with ties on the quarter lines, small and empty groups, one group only."""
    menu = rng.choice([[10, 10, 10, 12], [9, 10, 11, 12.5, 12.5, 14, 18], [15], [7, 8, 9, 10, 11, 12, 13, 14, 15],
                       [9.5, 9.5, 9.75, 30.0]])
    floats = rng.random() < 0.5
    kinds = rng.choice(["A", "AB", "ABC", "ABCDEFG"])
    groups = {}
    for g in kinds:
        size = rng.choice([0, 1, 2, 3, rng.randint(0, 40)])
        groups[g] = sorted(float(rng.choice(menu)) if floats else int(rng.choice(menu) * 4) for _ in range(size))
    return groups


@pytest.mark.parametrize("seed", range(400))
def test_quarters_from_counts_are_the_quarters_ranked_person_by_person(seed):
    from collections import Counter

    from efl_plugins.pay_gaps import quarters_counted

    rng = random.Random(seed)
    groups = _awkward_groups(rng)
    assert quarters_counted({k: dict(Counter(v)) for k, v in groups.items()}) == quarters(groups)


def test_quarters_from_counts_worked_by_hand():
    from efl_plugins.pay_gaps import quarters_counted

    # 9 people: quarters of 3, 2, 2, 2 (the one left over goes to the lower). £10 holds A, A, B, B, B:
    # 3 places in the lower quarter and 2 in the lower middle, shared 1.2 A + 1.8 B and 0.8 A + 1.2 B:
    # A takes its larger remainder first (the lower middle's 0.8), so 1 A + 2 B below, 1 A + 1 B above.
    sizes, counts = quarters_counted({"A": {10: 2, 20: 1}, "B": {10: 3, 15: 2, 30: 1}})
    assert sizes == [3, 2, 2, 2]
    assert counts == {"A": [1, 1, 0, 1], "B": [2, 1, 2, 1]}
    assert quarters({"A": [10, 10, 20], "B": [10, 10, 10, 15, 15, 30]}) == (sizes, counts)
