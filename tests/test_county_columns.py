"""A county council's HR export as its HR system writes it: every column read, mapped or named.

The export has the system's own headers (``Emp No``, ``Sex Code``, ``Basic Hourly Rate``, ``Bonus
Paid (12m to snapshot)``, ``Senior Leadership Team`` Y/N, ``Ethnicity Code``, ``Disabled?``,
``Gender Identity``, single-year ages, UK dates) and columns efl has no use for. Every figure is
worked by hand in the comments.
"""

from __future__ import annotations

import pytest

from test_workforce_reader import assess_workforce, csv_text

HEADER = ("Emp No,Job Title,Sex Code,Gender Identity,Age,Start Date,Basic Hourly Rate,"
          "Bonus Paid (12m to snapshot),Senior Leadership Team,Ethnicity Code,Disabled?,FTE")
# Ten women on 10..19 an hour, one paid a bonus of 500; ten men on 12..21, two paid 200 and 1000.
# By hand: mean and median hourly pay 14.50 (women) and 16.50 (men): gap 2/16.5 = 12.12%; bonus
# paid to 1 of 10 women (10%) and 2 of 10 men (20%); mean bonus 500 against 600: gap 100/600 = 16.67%,
# median likewise (one woman's 500 against the men's middle value 600).
ROWS = [(f"{1000 + i}", "Officer", "F", "Same as sex registered at birth", str(25 + i), f"14/10/20{10 + i}",
         f"{10 + i:.2f}", "500.00" if i == 9 else ("0.00" if i % 2 else ""), "Y" if i == 9 else "N",
         "WBRI" if i < 7 else "AIND", "No" if i else "PNS", "1.00") for i in range(10)]
ROWS += [(f"{2000 + i}", "Officer", "M", "Same as sex registered at birth", str(30 + i), f"03/04/20{10 + i}",
          f"{12 + i:.2f}", {1: "200.00", 9: "1000.00"}.get(i, "0.00"), "Y" if i >= 8 else "N",
          "WBRI" if i < 6 else "BAFR", "Yes" if i == 3 else "No", "0.60") for i in range(10)]
MAPPING = {"hourly_pay": "Basic Hourly Rate", "bonus_pay": "Bonus Paid (12m to snapshot)"}


def facts_of(result):  # noqa: ANN001, ANN201
    return {f["name"]: f for f in result.json["facts"]}


def run(tmp_path, rows=ROWS, header=HEADER, columns=None, community=None, extra=None):  # noqa: ANN001, ANN201
    import random

    from efl.testing import make_folder, run_efl

    item = {"id": "hr", "type": "workforce-profile", "file": "hr.csv", "date": "2025-03-31"}
    if columns:
        item["columns"] = columns
    evidence = [item]
    files = {"hr.csv": csv_text(header, rows).encode()}
    if community:
        evidence.append({"id": "census", "type": "community-profile", "file": "census.csv", "date": "2023-01-06"})
        files["census.csv"] = community.encode()
    folder = make_folder(tmp_path / f"c{random.random():.9f}", {"assessment.yaml": {
        "framework": "eflg-2014", "council": {"name": "Testshire County Council"}, "date": "2025-11-14",
        "evidence": evidence, **(extra or {})}, **files})
    return folder, run_efl("assess", folder, "--format", "json").assert_success()


def position(header: str, name: str) -> int:
    return header.index(name) + 1


def test_every_column_is_read_or_named_at_its_position_with_a_guess(tmp_path):
    _, result = run(tmp_path)
    facts = facts_of(result)
    read = set(facts["workforce.columns"]["value"].values()) | {"Emp No"}  # the id is read, not a figure
    assert read == {"Emp No", "Sex Code", "Gender Identity", "Age", "Senior Leadership Team", "Ethnicity Code",
                    "Disabled?"}
    warnings = result.json["warnings"]
    for name in [h for h in HEADER.split(",") if h not in read]:
        at = position(HEADER, name)
        said = [w for w in warnings if w["line"] == 1 and (w["col"] == at or f"'{name}' (line 1, column {at})"
                                                           in w["message"])]
        assert said and f"'{name}'" in said[0]["message"], name
    unused = next(w for w in warnings if w["message"].startswith("efl does not read these columns"))
    assert unused["col"] == position(HEADER, "Job Title")
    assert f"'Job Title' (line 1, column {position(HEADER, 'Job Title')}), 'Start Date' (line 1, column " \
           f"{position(HEADER, 'Start Date')}), 'FTE' (line 1, column {position(HEADER, 'FTE')})" in unused["message"]
    hourly = next(w["message"] for w in warnings if w["col"] == position(HEADER, "Basic Hourly Rate"))
    assert "the file has 'Basic Hourly Rate' (did you mean 'hourly_pay'?)" in hourly
    assert 'columns: {hourly_pay: "Basic Hourly Rate"}' in hourly
    bonus = next(w["message"] for w in warnings if w["col"] == position(HEADER, "Bonus Paid (12m to snapshot)"))
    assert "(did you mean 'bonus_pay'?)" in bonus and "not worked out" in bonus
    # No statutory figure from a column efl did not read: no pay figure at all, and why, with the fix.
    assert not [n for n in facts if n.startswith("workforce.pay_gap.") and n.endswith("_pct")]
    assert set(facts["workforce.pay_gap.not_worked_out"]["value"]) == {"hourly", "bonus"}


def test_mapped_columns_give_the_figures_worked_by_hand(tmp_path):
    _, result = run(tmp_path, columns=MAPPING)
    facts = facts_of(result)
    value = {n: facts[n]["value"] for n in facts if n.startswith("workforce.pay_gap.")}
    assert value["workforce.pay_gap.mean_hourly_pct"] == pytest.approx(2 / 16.5 * 100)
    assert value["workforce.pay_gap.median_hourly_pct"] == pytest.approx(2 / 16.5 * 100)
    assert value["workforce.pay_gap.bonus_women_pct"] == 10.0
    assert value["workforce.pay_gap.bonus_men_pct"] == 20.0
    assert value["workforce.pay_gap.mean_bonus_pct"] == pytest.approx(100 / 600 * 100)
    assert value["workforce.pay_gap.median_bonus_pct"] == pytest.approx(100 / 600 * 100)
    assert "workforce.pay_gap.not_worked_out" not in facts
    # 'PNS' is a choice not to say, not a group: 19 of 20 recorded whether they are disabled.
    assert facts["workforce.declaration_rate_pct"]["value"]["disability"] == 95.0
    assert not [w for w in result.json["warnings"] if "PNS" in w["message"]]


def test_a_reduced_pay_flag_is_read_as_not_on_full_pay(tmp_path):
    # The men on 20 and 21 are on reduced pay through leave: the hourly figures leave them out.
    # By hand: men's mean 12..19 = 15.50, median 15.50; women 14.50: gap 1/15.5 = 6.45%.
    header = "Emp No,Sex Code,Hourly Rate,On Reduced Pay?"
    rows = [(r[0], r[2], r[6], "Y" if r[0] in ("2008", "2009") else "N") for r in ROWS]
    _, result = run(tmp_path, rows, header)
    facts = facts_of(result)
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(1 / 15.5 * 100)
    assert facts["workforce.pay_gap.median_hourly_pct"]["value"] == pytest.approx(1 / 15.5 * 100)
    assert facts["workforce.columns"]["value"]["reduced_pay"] == "On Reduced Pay?"


def test_a_column_that_only_looks_like_a_full_pay_flag_says_everyone_counts_as_on_full_pay(tmp_path):
    header = "Emp No,Sex Code,Hourly Rate,Half Pay Flag"
    rows = [(r[0], r[2], r[6], "N") for r in ROWS]
    _, result = run(tmp_path, rows, header)
    message = next(w for w in result.json["warnings"] if w["col"] == position(header, "Half Pay Flag"))["message"]
    assert "(did you mean 'reduced_pay'" in message and 'columns: {reduced_pay: "Half Pay Flag"}' in message
    assert "every employee is counted as on full pay" in message
    # Until it is mapped, the figures are everyone's: 2/16.5 as above.
    assert facts_of(result)["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(2 / 16.5 * 100)


@pytest.mark.parametrize("typed, meant", [("Senoir", "senior"), ("Martial Status", "marriage_civil_partnership"),
                                          ("Ethnicty", "race"), ("Disabilty", "disability")])
def test_a_typing_slip_in_a_header_gets_did_you_mean_and_the_mapping(tmp_path, typed, meant):
    header = f"Emp No,Sex Code,Hourly Rate,{typed}"
    rows = [(r[0], r[2], r[6], "N") for r in ROWS]
    _, result = run(tmp_path, rows, header)
    message = next(w for w in result.json["warnings"] if w["col"] == position(header, typed))["message"]
    assert f"did you mean '{meant}'" in message or f"read as '{meant}'" in message
    assert f'columns: {{{meant}: "{typed}"}}' in message


GENDER_IDENTITY = """characteristic,group,count
gender_reassignment,Gender identity the same as sex registered at birth,520000
gender_reassignment,Gender identity different from sex registered at birth but no specific identity given,1400
gender_reassignment,Trans woman,610
gender_reassignment,Trans man,590
gender_reassignment,All other gender identities,720
gender_reassignment,Not answered,36000
"""


def test_a_gender_identity_column_of_man_and_woman_is_not_compared_for_gender_reassignment(tmp_path):
    # 'Man' and 'Woman' do not say whether a gender identity is the same as the sex registered at birth;
    # the two non-binary staff alone would be 100% of those placed (a ratio of about 700) and the
    # others a false 0. Nothing is compared, and the reason is given.
    rows = [r[:3] + (("Non-binary" if i < 2 else ("Woman" if r[2] == "F" else "Man")),) + r[4:]
            for i, r in enumerate(ROWS)]
    _, result = run(tmp_path, rows, columns=MAPPING, community=GENDER_IDENTITY)
    facts = facts_of(result)
    assert "gender_reassignment" not in facts.get("workforce.representation", {}).get("value", {})
    assert "gender_reassignment" not in facts.get("workforce.representation_too_few", {}).get(
        "value", {}).get("groups", {})
    why = facts["workforce.representation_not_compared"]["value"]["gender_reassignment"]
    assert why.startswith("90% of the staff's answers are not Census 2021 groups: 'man' for 10 staff and 'woman' for "
                          "8 staff")
    warning = next(w for w in result.json["warnings"] if w["message"].startswith("Gender Identity:"))
    line = csv_text(HEADER, rows).splitlines()[3]
    assert (warning["line"], warning["col"]) == (4, line.index("Woman") + 1)  # the first 'Man' or 'Woman'
    assert "say a gender, not whether it is the same as the sex registered at birth" in warning["message"]


ETHNIC_GROUP = """characteristic,group,count
race,"White: English, Welsh, Scottish, Northern Irish or British",9000
race,"Asian, Asian British or Asian Welsh: Indian",600
race,"Black, Black British, Black Welsh, Caribbean or African: African",400
"""


def test_ethnic_groups_mostly_in_codes_no_classification_knows_are_not_compared(tmp_path):
    # 13 of 20 staff carry a council code ('WB') that is no Census group: the 7 others alone would
    # give Indian staff 3/7 of staff. No ratio; the codes are named.
    rows = [r[:9] + ("WB" if r[9] == "WBRI" else r[9],) + r[10:] for r in ROWS]
    _, result = run(tmp_path, rows, columns=MAPPING, community=ETHNIC_GROUP)
    facts = facts_of(result)
    assert "race" not in facts.get("workforce.representation", {}).get("value", {})
    assert facts["workforce.representation_not_compared"]["value"]["race"].startswith(
        "65% of the staff's answers are not Census 2021 groups: 'wb' for 13 staff")
    # Named under values: groups:, the same file compares: by hand White British 13/20 of staff against
    # 9000/10000 of residents.
    _, named = run(tmp_path, rows, columns=MAPPING, community=ETHNIC_GROUP, extra={"values": {"groups": {
        "race": {"White: English, Welsh, Scottish, Northern Irish or British": ["WB"]}}}})
    fixed = facts_of(named)
    assert fixed["workforce.representation"]["value"]["race"]["White British"] == pytest.approx((13 / 20) / 0.9)


# --- community files: every column read or named too ------------------------------------------------

def validate_community(tmp_path, text: str, expect: int = 0):  # noqa: ANN001, ANN201
    import random

    from efl.testing import make_folder, run_efl

    folder = make_folder(tmp_path / f"a{random.random():.9f}", {"assessment.yaml": {
        "framework": "eflg-2014", "council": {"name": "Testshire County Council", "employees": 1200},
        "date": "2025-11-14",
        "evidence": [{"id": "area", "type": "community-profile", "file": "area.csv", "date": "2023-01-01"}]},
        "area.csv": text.encode()})
    return run_efl("validate", folder).assert_exit(expect)


def test_columns_of_efls_own_community_layout_that_are_not_read_are_named(tmp_path):
    header = "characteristic,group,count,notes,Source"
    text = header + "\nrace,White,900,x,ONS\nrace,\"Asian, Asian British or Asian Welsh\",100,,ONS\n"
    out = validate_community(tmp_path, text).stderr
    assert (f"area.csv:1:{position(header, 'notes')}: warning: efl does not read these columns, so they are kept but "
            f"not used: 'notes' (line 1, column {position(header, 'notes')}), 'Source' (line 1, column "
            f"{position(header, 'Source')})") in out


def test_a_slip_in_the_count_header_is_an_error_with_did_you_mean(tmp_path):
    out = validate_community(tmp_path, "characteristic,group,cuont\nrace,White,900\n", expect=2).stderr
    assert "neither a 'count' nor a 'percent' column (expected one of them in the header row; column 'cuont' is not " \
           "one efl reads (did you mean 'count'?)" in out and 'columns: {count: "cuont"}' in out


def test_an_ons_download_names_a_variable_it_adds_up_and_a_label_no_classification_knows(tmp_path):
    long = ("Upper tier local authorities Code,Upper tier local authorities,Hours worked (4 categories) Code,"
            "Hours worked (4 categories),Ethnic group (6 categories) Code,Ethnic group (6 categories),Observation\n"
            "E1,Testshire,1,Part-time,1,White,500\nE1,Testshire,2,Full-time,1,White,400\n"
            "E1,Testshire,1,Part-time,2,\"Asian, Asian British or Asian Welsh\",60\n"
            "E1,Testshire,2,Full-time,2,Whiet,40\n")
    out = validate_community(tmp_path, long).stderr
    header = long.splitlines()[0]
    assert (f"area.csv:1:{header.index('Hours worked (4 categories),') + 1}: warning: column 'Hours worked (4 "
            "categories)' is not used: its categories are added together") in out
    last = long.splitlines()[4]
    assert (f"area.csv:5:{last.index('Whiet') + 1}: warning: Race: 'Whiet' (did you mean 'White'?) is not a group of "
            "the Census 2021 classification") in out
    assert "Hours worked (4 categories) Code" not in out  # the code column goes with its variable


def test_single_years_on_both_sides_are_banded_to_onss_age_bands(tmp_path):
    # ONS's 101 single years (1,000 residents a year from 16 to 64) against staff ages: by hand each
    # band's share of staff over its share of the 49,000 residents aged 16 to 64.
    labels = ["Aged under 1 year", "Aged 1 year"] + [f"Aged {a} years" for a in range(2, 100)] + \
        ["Aged 100 years and over"]
    census = "Age (101 categories) Code,Age (101 categories),Observation\n" + "".join(
        f"{i},{label},{1000 if 16 <= i <= 64 else 500}\n" for i, label in enumerate(labels))
    ages = [18, 19, 22, 30, 31, 33, 34, 40, 41, 45, 47, 48, 52, 55, 60, 63, 66] * 4
    rows = [(f"{i}", "F", "12.00", str(a)) for i, a in enumerate(ages)]
    _, result = run(tmp_path, rows, "Emp No,Sex Code,Hourly Rate,Age", community=census)
    facts = facts_of(result)
    staff = {"16-24": 12, "25-34": 16, "35-49": 20, "50-64": 16}  # the four aged 66 are past 64
    residents = {"16-24": 9, "25-34": 10, "35-49": 15, "50-64": 15}
    expected = {b: (staff[b] / 64) / (residents[b] / 49) for b in staff}
    assert facts["workforce.representation"]["value"]["age"] == pytest.approx(expected)
    assert facts["workforce.representation_basis"]["value"]["age"]["level"] == (
        "ONS's age bands 16-24, 25-34, 35-49 and 50-64 (both files give single years of age)")
