"""Every stored gender pay gap fact, through a whole ``efl assess`` run on payroll files, equal at full
precision to the exact-fraction reference of ``test_paygap_guidance`` (which never imports efl's
measures): random payrolls with ties, blanks, single-sex workforces and fewer than four people, and the
guidance's Acme Ltd quarters."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efl.testing import make_folder, run_efl
from test_paygap_guidance import acme_payroll, reference_figures

# How HR exports write the two sexes and "nothing usable" (the reader maps them; the reference is told).
SEX_CODES = {"female": ["F", "Female", "woman"], "male": ["M", "Male", "man"], None: ["", "Not known", "Unknown"]}
BANDS = ("lower", "lower middle", "upper middle", "upper")


def assessment(rows: list[tuple], tmp_path, name: str = "c"):
    """A folder whose workforce file holds ``rows`` of (sex, hourly text, full pay, bonus text)."""
    lines = ["employee_id,sex,hourly_pay,full_pay,bonus_pay"]
    for i, (sex, hourly, full, bonus) in enumerate(rows):
        code = SEX_CODES[sex][i % len(SEX_CODES[sex])]
        lines.append(f"E{i},{code},{hourly or ''},{'true' if full else 'false'},{bonus or ''}")
    evidence = [{"id": "staff", "type": "workforce-profile", "file": "staff.csv", "date": "2025-03-31"}]
    return make_folder(tmp_path / name, {
        "assessment.yaml": {"framework": "eflg-2014", "council": {"name": "Testshire Council"}, "date": "2025-06-30",
                            "evidence": evidence},
        "staff.csv": "\n".join(lines) + "\n"})


def stored_facts(folder) -> dict:
    result = run_efl("assess", folder, "--format", "json").assert_success().json
    return {f["name"]: f for f in result["facts"] if f["name"].startswith("workforce.pay_gap.")}


def check_against_reference(rows: list[tuple], facts: dict) -> None:
    want = reference_figures(rows)
    for name in ("mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct", "bonus_men_pct",
                 "bonus_women_pct"):
        fact = facts.get(f"workforce.pay_gap.{name}")
        if want[name] is None:
            assert fact is None, name
        else:
            # The stored float is the exact figure correctly rounded: no 4-place copy, no float arithmetic.
            assert fact is not None and fact["value"] == float(want[name]), name
    quarters = want["quartiles"]
    if quarters is None:
        assert "workforce.pay_gap.quartiles" not in facts
        return
    stored = facts["workforce.pay_gap.quartiles"]["value"]
    assert [q["band"] for q in stored] == list(BANDS)
    for q, (size, men, women) in zip(stored, quarters):
        assert (q["men"], q["women"]) == (men, women)
        assert q["women_pct"] == (float(Fraction(women * 100, size)) if size else None)
        assert q["men_pct"] == (float(Fraction(men * 100, size)) if size else None)
    upper = facts.get("workforce.pay_gap.upper_quartile_women_pct")
    assert (upper is None) == (quarters[3][0] == 0)
    if upper is not None:
        assert upper["value"] == float(Fraction(quarters[3][2] * 100, quarters[3][0]))


RATES = ["9.50", "10.00", "10.00", "10.25", "11.00", "12.50", "15.00", "20.00", "31.75"]
odd = st.integers(1, 10**7).map(lambda p: f"{p // 10**4}.{p % 10**4:04d}")
row = st.tuples(
    st.sampled_from(["female", "male", "female", "male", None]),
    st.one_of(st.sampled_from(RATES), st.none(), odd),
    st.booleans(),
    st.one_of(st.sampled_from(["0", "0", "50", "120.50", "1000", None]), odd),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=60))
def test_stored_facts_equal_the_exact_reference(rows, tmp_path_factory):
    check_against_reference(rows, stored_facts(assessment(rows, tmp_path_factory.mktemp("p"))))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sex=st.sampled_from(["female", "male"]), rows=st.lists(row, min_size=1, max_size=7))
def test_single_sex_and_tiny_workforces(sex, rows, tmp_path_factory):
    rows = [(sex, *r[1:]) for r in rows]
    facts = stored_facts(assessment(rows, tmp_path_factory.mktemp("s")))
    check_against_reference(rows, facts)
    own = "women" if sex == "female" else "men"
    other = "men" if sex == "female" else "women"
    # The sex that is there has its bonus proportion (Sch. 1 para 12); the other has none, and no gap is stated.
    assert f"workforce.pay_gap.bonus_{own}_pct" in facts and f"workforce.pay_gap.bonus_{other}_pct" not in facts
    assert "workforce.pay_gap.mean_hourly_pct" not in facts


def test_fewer_than_four_full_pay_employees_fill_the_quarters_as_far_as_possible(tmp_path):
    # Three on full pay (woman 9.50, man 10.00, woman 12.00) and one on reduced pay: quarters 1 / 1 / 1 / 0.
    rows = [("female", "9.50", True, None), ("male", "10.00", True, None), ("female", "12.00", True, None),
            ("male", "30.00", False, None)]
    facts = stored_facts(assessment(rows, tmp_path))
    check_against_reference(rows, facts)
    quarters = facts["workforce.pay_gap.quartiles"]
    assert [(q["women"], q["men"]) for q in quarters["value"]] == [(1, 0), (0, 1), (1, 0), (0, 0)]
    assert quarters["value"][3]["women_pct"] is None
    assert quarters["statement"] == ("Only 3 full-pay employees are ranked, so the pay quarters are divided as far "
                                     "as possible and the upper quarter is empty; women are 100.0% of the lower "
                                     "quarter.")


def test_acme_quarters_through_a_payroll_file(tmp_path):
    hourly, sex, _ = acme_payroll()
    rows = [(s, f"{h:.2f}", True, None) for h, s in zip(hourly, sex)]
    facts = stored_facts(assessment(rows, tmp_path))
    check_against_reference(rows, facts)
    women = [q["women"] for q in facts["workforce.pay_gap.quartiles"]["value"]]
    assert women == [925, 1001, 813, 361]


def test_the_guidance_examples_are_stated_as_it_states_them(tmp_path):
    # Mean hourly: men 14.38, 15.00, 16.76; women 11.87, 14.00, 14.00 -> (15.38 - 13.29) / 15.38 = 13.589% -> 13.6.
    # Bonuses: men 100, 300, 2,600; women 290, 290, 2,129 -> mean gap 9.7%, median (300 - 290) / 300 = 3.3%.
    rows = [("male", "14.38", True, "100"), ("male", "15.00", True, "300"), ("male", "16.76", True, "2600"),
            ("female", "11.87", True, "290"), ("female", "14.00", True, "290"), ("female", "14.00", True, "2129")]
    random.Random(4).shuffle(rows)
    facts = stored_facts(assessment(rows, tmp_path))
    check_against_reference(rows, facts)
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == float(Fraction(209, 1538) * 100)
    assert facts["workforce.pay_gap.mean_hourly_pct"]["statement"] == (
        "The mean gap in hourly pay is 13.6%: women earn 86p for every £1 men earn.")
    assert facts["workforce.pay_gap.mean_bonus_pct"]["statement"] == "The mean gap in bonus pay is 9.7%."
    assert facts["workforce.pay_gap.median_bonus_pct"]["statement"] == "The median gap in bonus pay is 3.3%."


def test_a_gap_below_the_rounding_is_never_called_the_same(tmp_path):
    # £200.00 against £199.92: a gap of 0.04%, 0.0% to one decimal place, but not "the same".
    rows = [("male", "200.00", True, None), ("female", "199.92", True, None)]
    facts = stored_facts(assessment(rows, tmp_path))
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == float(Fraction("0.08") / 200 * 100)
    sentence = facts["workforce.pay_gap.mean_hourly_pct"]["statement"]
    assert "the same" not in sentence
    assert sentence == ("The mean gap in hourly pay is less than 0.05%, so 0.0% to one decimal place: women's mean "
                        "hourly pay is slightly lower than men's.")
    equal = stored_facts(assessment([("male", "200.00", True, None), ("female", "200.00", True, None)], tmp_path, "e"))
    assert equal["workforce.pay_gap.mean_hourly_pct"]["statement"] == (
        "There is no mean gap in hourly pay: women's and men's mean hourly pay are the same.")


def test_a_gap_just_below_a_half_is_stated_from_its_exact_value(tmp_path):
    # 100.00 against 97.7500244: 2.2499756%, stored in full and stated 2.2 (a 4-place copy, 2.25, reads as 2.3).
    rows = [("male", "100.00", True, None), ("female", "97.7500244", True, None)]
    fact = stored_facts(assessment(rows, tmp_path))["workforce.pay_gap.mean_hourly_pct"]
    assert fact["value"] == 2.2499756
    assert fact["statement"].startswith("The mean gap in hourly pay is 2.2%:")


def test_a_one_sex_workforce_has_its_bonus_proportion_in_the_paper(tmp_path):
    # Six women, two paid a bonus: 33.3% of women; no men, so no gap and no men's proportion.
    rows = [("female", f"{10 + i}.00", True, "100" if i < 2 else "0") for i in range(6)]
    paper = run_efl("assess", assessment(rows, tmp_path), "--format", "markdown").assert_success().output
    assert "33.3% of women were paid a bonus." in paper and "| Women paid a bonus | 33.3% |" in paper
    assert "of men were paid a bonus" not in paper
