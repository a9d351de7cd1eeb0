"""Pay gap, quartile bands, declaration and representation, each checked against hand-worked figures."""

from __future__ import annotations

import pytest

from efl.core.engine import assess
from efl.errors import InputError
from efl.workforce.measures import band_bounds, mean_gap_pct, median_gap_pct, quartile_bands

from conftest import assessment_yaml, write_files


def test_mean_and_median_gap_by_hand():
    men = [10.0, 20.0, 30.0]       # mean 20, median 20
    women = [10.0, 12.0, 14.0, 20.0]  # mean 14, median 13
    assert mean_gap_pct(men, women) == pytest.approx((20 - 14) / 20 * 100)    # 30.0
    assert median_gap_pct(men, women) == pytest.approx((20 - 13) / 20 * 100)  # 35.0
    assert mean_gap_pct([], women) is None
    assert mean_gap_pct([0.0], [1.0]) is None


# The guidance puts left-overs in the lower quarter (1 over), lower and upper middle (2 over), and
# lower, lower middle and upper middle (3 over): n=5 is 1+1+1+1 with one over -> 2,1,1,1; n=6 two over
# -> 2,1,2,1; n=7 three over -> 2,2,2,1; n=10 is 2+2+2+2 with two over -> 3,2,3,2.
@pytest.mark.parametrize("n, sizes", [(4, [1, 1, 1, 1]), (5, [2, 1, 1, 1]), (6, [2, 1, 2, 1]), (7, [2, 2, 2, 1]),
                                      (8, [2, 2, 2, 2]), (10, [3, 2, 3, 2])])
def test_band_sizes_when_not_divisible_by_four(n, sizes):
    bounds = band_bounds(n)
    assert [bounds[k + 1] - bounds[k] for k in range(4)] == sizes


def test_quartiles_distinct_rates():
    people = [(float(i), "female" if i <= 5 else "male") for i in range(1, 9)]  # 8 people, women lowest paid
    bands = quartile_bands(people)
    assert [b.women_pct for b in bands] == [100.0, 100.0, 50.0, 0.0]
    assert [b.men_pct for b in bands] == [0.0, 0.0, 50.0, 100.0]


def test_quartiles_share_a_rate_that_straddles_a_boundary():
    # 8 people: ranks 0-1 on 10 (women), ranks 2-5 on 20 (3 men, 1 woman), ranks 6-7 on 30 (men).
    # Bands are ranks [0,2) [2,4) [4,6) [6,8). The rate 20 spans bands 1 and 2, two places in each;
    # its mix (1/4 women) would give each band half a woman, but people are shared whole: the one woman
    # goes to one band, and on an exact tie of remainders the lower band takes her (a fixed rule), so
    # band 1 is 1 man + 1 woman and band 2 is 2 men.
    people = [(10.0, "female"), (10.0, "female"), (20.0, "male"), (20.0, "female"), (20.0, "male"),
              (20.0, "male"), (30.0, "male"), (30.0, "male")]
    bands = quartile_bands(people)
    assert [(b.men, b.women) for b in bands] == [(0, 2), (1, 1), (2, 0), (2, 0)]
    assert bands[1].women_pct == 50.0
    # Without the sharing rule the order of equal rates in the file would decide the answer.
    assert quartile_bands(list(reversed(people))) == bands


def test_three_people_fill_three_quarters():
    # Three people: the left-over rule for three puts one each in the lower, lower middle and upper middle.
    bands = quartile_bands([(1.0, "male"), (2.0, "female"), (3.0, "male")])
    assert [(b.men, b.women) for b in bands] == [(1, 0), (0, 1), (1, 0), (0, 0)]
    assert bands[3].women_pct is None and bands[1].women_pct == 100


WORKFORCE = """\
employee_id,sex,hourly_pay,full_pay,bonus_pay,senior,disability,race
E1,male,20,true,100,true,no,white british
E2,male,30,true,0,true,no,asian
E3,male,10,true,300,false,prefer not to say,white british
E4,female,10,true,200,false,yes,asian
E5,female,12,true,0,false,,white british
E6,female,14,true,0,false,no,asian
E7,female,40,false,0,false,no,
E8,other,25,true,0,false,no,white british
"""
COMMUNITY = """\
characteristic,group,percent
race,white british,60
race,asian,40
disability,yes,20
disability,no,80
"""


def workforce_result(tmp_path, workforce=WORKFORCE, extra: str = ""):
    evidence = """\
    - id: staff
      type: workforce-profile
      file: staff.csv
      date: 2025-03-31
    - id: area
      type: community-profile
      file: area.csv
      date: 2025-01-01
    - id: gpg
      type: gender-pay-gap-report
      file: gpg.md
      date: 2025-03-30
      snapshot: 2024-03-31
    """
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml(evidence, framework="eflg-2014", extra=extra),
                                          "staff.csv": workforce, "area.csv": COMMUNITY, "gpg.md": "# Report\n"})
    from efl.core.plugin_host import load_plugins

    return assess(folder, load_plugins()).result


def test_workforce_facts_by_hand(tmp_path):
    # Eight staff: every group is small; min_group 1 lets the arithmetic be checked (the default of 10
    # is tested below).
    facts = {f.name: f.value for f in workforce_result(tmp_path, extra="values: {min_group: 1}\n").facts}
    # Full-pay men 20, 30, 10 (mean 20, median 20); full-pay women 10, 12, 14 (mean 12, median 12).
    # E7 is on reduced pay and E8 is neither male nor female: both are left out of hourly measures.
    assert facts["workforce.pay_gap.mean_hourly_pct"] == pytest.approx(40.0)
    assert facts["workforce.pay_gap.median_hourly_pct"] == pytest.approx(40.0)
    # Bonuses: men 100, 300 (mean 200, median 200); women 200 -> gap 0.
    assert facts["workforce.pay_gap.mean_bonus_pct"] == 0.0
    # 2 of 3 men, 1 of 4 women (E7 counts: bonus proportions are over all employees).
    assert facts["workforce.pay_gap.bonus_men_pct"] == 200 / 3  # full precision: 66.666...
    assert facts["workforce.pay_gap.bonus_women_pct"] == 25.0
    # Six full-pay people ranked: 10(m), 10(f), 12(f), 14(f), 20(m), 30(m). Six is one full round of
    # four with two over, which go to the lower and upper middle quarters: bands of 2, 1, 2, 1.
    # Lower = both on 10 (1 man, 1 woman) -> 50% women; lower middle = 12(f) -> 100%;
    # upper middle = 14(f), 20(m) -> 50%; upper = 30(m) -> 0%. No rate straddles a line.
    quartiles = facts["workforce.pay_gap.quartiles"]
    assert [q["women_pct"] for q in quartiles] == [50.0, 100.0, 50.0, 0.0]
    assert facts["workforce.pay_gap.upper_quartile_women_pct"] == 0.0
    # Declaration: disability recorded by 6 of 8 (blank and 'prefer not to say' do not count); race by 7 of 8.
    assert facts["workforce.declaration_rate_pct"] == {"disability": 75.0, "race": 87.5}
    assert facts["workforce.lowest_declaration_rate_pct"] == 75.0
    # Representation among those who recorded race: white british 4/7, asian 3/7, against 60% and 40%.
    ratios = facts["workforce.representation"]["race"]
    assert ratios["White British"] == pytest.approx((4 / 7 * 100) / 60)
    assert ratios["Asian, Asian British or Asian Welsh"] == pytest.approx((3 / 7 * 100) / 40)
    # Disability: 1 'yes' of 6 recorded = 16.67% of staff against 20% of residents -> 0.8333, the lowest.
    assert facts["workforce.lowest_representation_ratio"] == pytest.approx((1 / 6 * 100) / 20)
    # Senior staff are E1 and E2: no disabled senior staff, so 0 of them: too few to compare, never a 0.
    assert "workforce.senior_lowest_representation_ratio" not in facts or \
        facts["workforce.senior_lowest_representation_ratio"] > 0
    assert facts["workforce.senior_representation_too_few"]["groups"]["disability"]["Disabled"] == {"staff": 0}


def test_groups_of_fewer_than_ten_are_too_few_to_compare_and_named(tmp_path):
    facts = {f.name: f for f in workforce_result(tmp_path).facts}
    # With the default threshold of 10, every group of these eight staff is too few: no ratio at all.
    assert "workforce.representation" not in facts and "workforce.lowest_representation_ratio" not in facts
    too_few = facts["workforce.representation_too_few"]
    assert too_few.value["min_group"] == 10
    assert too_few.value["groups"]["race"] == {"White British": {"staff": 4},
                                               "Asian, Asian British or Asian Welsh": {"staff": 3}}
    assert too_few.statement == ("Some groups are too small to compare (fewer than 10 staff or residents), so no ratio "
                                 "is given for them. Disability: Disabled (1 staff) and Not disabled (5 staff); "
                                 "race: Asian, Asian British or Asian Welsh (3 staff) and White British (4 staff).")


def test_action_names_the_figure(tmp_path):
    # 200 staff (the workforce duties apply from 150, counted from the file): 150 recorded their
    # disability and 50 left it blank -> 75.0%.
    rows = [f"E{i},{'female' if i % 2 else 'male'},{10 + i % 7},true,0,false,{'no' if i <= 150 else ''},white british"
            for i in range(1, 201)]
    result = workforce_result(tmp_path, WORKFORCE.splitlines()[0] + "\n" + "\n".join(rows) + "\n")
    by_criterion = {a.criterion: a for a in result.actions}
    assert "Only 75.0% of staff recorded their disability." == by_criterion["scw.declaration"].figure


def test_malformed_rows_are_all_reported_with_line_and_column(tmp_path):
    bad = WORKFORCE.replace("E3,male,10,true", "E3,male,ten,true").replace("E5,female,12,true", "E5,female,12,maybe")
    bad = bad.replace("E6,female,14,true,0", "E6,female,14,true,-5") + "E9,male,12\nE1,female,11,true,0,false,no,asian\n"
    with pytest.raises(InputError) as info:
        workforce_result(tmp_path, bad)
    messages = [str(d).split("staff.csv:", 1)[1] for d in info.value.diagnostics]
    assert messages == [
        "4:9: hourly_pay: 'ten' is not a number (expected a number such as 14.25)",
        "6:14: full_pay: 'maybe' is not true or false (expected true or false)",
        "7:19: bonus_pay: -5 is below 0 (expected a number such as 14.25, not negative)",
        "10:1: row has 3 cells (expected 8, one per column in the header)",
        "11:1: employee_id: 'E1' also appears on line 2 (expected unique ids)",
    ]
