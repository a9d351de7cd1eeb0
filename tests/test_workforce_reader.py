"""Workforce and community files as councils export them: codes, blanks, odd headers, both readers.

Every figure here is worked by hand (in the comments) or by the independent reference implementation
of the guidance in ``test_paygap_guidance.py``.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from efl.files import columnar
from efl.files.evidence import EvidenceError, load_csv
from efl.core.models import Assessment
from efl.testing import make_folder, run_efl
from test_paygap_guidance import reference_figures

HEADER = "employee_id,sex,hourly_pay,full_pay,bonus_pay,senior,disability,sexual_orientation,race"
# Ten staff: five women on 10, 12, 14, 16, 18 and five men on 12, 14, 16, 18, 20 (all full pay).
ROWS = [
    ("E01", "female", "10.00", "true", "0", "false", "no", "heterosexual", "white british"),
    ("E02", "female", "12.00", "true", "100", "false", "yes", "gay or lesbian", "asian"),
    ("E03", "female", "14.00", "true", "0", "false", "no", "heterosexual", "white british"),
    ("E04", "female", "16.00", "true", "0", "true", "no", "prefer not to say", "asian"),
    ("E05", "female", "18.00", "true", "0", "false", "no", "heterosexual", "white british"),
    ("E06", "male", "12.00", "true", "200", "false", "no", "heterosexual", "white british"),
    ("E07", "male", "14.00", "true", "0", "false", "no", "", "asian"),
    ("E08", "male", "16.00", "true", "0", "true", "no", "heterosexual", "white british"),
    ("E09", "male", "18.00", "true", "0", "false", "yes", "bisexual", "white british"),
    ("E10", "male", "20.00", "true", "300", "true", "no", "heterosexual", "white british"),
]


def csv_text(header: str, rows) -> str:  # noqa: ANN001
    return header + "\n" + "".join(",".join(r) + "\n" for r in rows)


def assess_workforce(tmp_path, workforce: str | bytes, community: str | None = None, extra: dict | None = None,
                     employees: int | None = None, expect: int = 0):  # noqa: ANN001, ANN201
    evidence = [{"id": "staff", "type": "workforce-profile", "file": "staff.csv", "date": "2025-03-31"}]
    files: dict = {"staff.csv": workforce if isinstance(workforce, bytes) else workforce.encode()}
    if community is not None:
        evidence.append({"id": "area", "type": "community-profile", "file": "area.csv", "date": "2025-01-01"})
        files["area.csv"] = community
    council = {"name": "Testshire"}
    if employees is not None:
        council["employees"] = employees
    assessment = {"framework": "eflg-2014", "council": council, "date": "2025-11-14", "evidence": evidence,
                  **(extra or {})}
    folder = make_folder(tmp_path / f"c{random.random():.9f}", {"assessment.yaml": assessment, **files})
    result = run_efl("assess", folder, "--format", "json")
    result.assert_exit(expect)
    return result


def facts_of(result) -> dict:  # noqa: ANN001
    return {f["name"]: f for f in result.json["facts"]}


def test_hand_worked_figures(tmp_path):
    facts = facts_of(assess_workforce(tmp_path, csv_text(HEADER, ROWS)))
    # Women 10..18: mean 14, median 14; men 12..20: mean 16, median 16 -> (16 - 14) / 16 = 12.5%.
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(12.5)
    assert facts["workforce.pay_gap.median_hourly_pct"]["value"] == pytest.approx(12.5)
    # 12.5% is 87.5p in the pound, 88p rounded half up.
    assert "women earn 88p for every £1 men earn" in facts["workforce.pay_gap.mean_hourly_pct"]["statement"]
    # Bonuses: women 100 (1 of 5 = 20%); men 200, 300 (2 of 5 = 40%); mean gap (250 - 100) / 250 = 60%.
    assert facts["workforce.pay_gap.bonus_women_pct"]["value"] == 20.0
    assert facts["workforce.pay_gap.bonus_men_pct"]["value"] == 40.0
    assert facts["workforce.pay_gap.mean_bonus_pct"]["value"] == pytest.approx(60.0)
    # Declaration of sexual orientation: blank and 'prefer not to say' count against it: 8 of 10.
    assert facts["workforce.declaration_rate_pct"]["value"]["sexual_orientation"] == 80.0
    assert facts["workforce.pay_gap.left_out"]["statement"] == "All 10 employees are included in the pay gap figures."


def test_codes_give_the_same_figures_as_words(tmp_path):
    words = facts_of(assess_workforce(tmp_path, csv_text(HEADER, ROWS)))
    coded_rows = [(r[0], {"female": "F", "male": "M"}[r[1]], *r[2:]) for r in ROWS]
    mixed_rows = [(r[0], ["Woman", "FEMALE", " f ", "Female", "W"][i] if r[1] == "female"
                   else ["Man", "MALE", " m ", "Male", "M"][i - 5], *r[2:]) for i, r in enumerate(ROWS)]
    for rows in (coded_rows, mixed_rows):
        coded = facts_of(assess_workforce(tmp_path, csv_text(HEADER, rows)))
        pay = {k: v["value"] for k, v in coded.items() if k.startswith("workforce.pay_gap")}
        assert pay == {k: v["value"] for k, v in words.items() if k.startswith("workforce.pay_gap")}


def test_not_known_and_declined_lower_the_declaration_rate(tmp_path):
    rows = [list(r) for r in ROWS]
    for i, value in zip((0, 2, 4), ("Not known", "Declined", "N/A")):
        rows[i][7] = value  # three more sexual orientation cells that record nothing
    facts = facts_of(assess_workforce(tmp_path, csv_text(HEADER, rows)))
    # 8 of 10 before, minus those three: 5 of 10.
    assert facts["workforce.declaration_rate_pct"]["value"]["sexual_orientation"] == 50.0
    assert facts["workforce.lowest_declaration_rate_pct"]["statement"] == (
        "Only 50.0% of staff recorded their sexual orientation.")


def test_no_full_pay_column_means_full_pay_but_no_bonus_column_is_not_zero_bonuses(tmp_path):
    header = "employee_id,sex,hourly_pay"
    result = assess_workforce(tmp_path, csv_text(header, [r[:3] for r in ROWS]))
    facts = facts_of(result)
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(12.5)  # everyone on full pay
    # No bonus column says nothing about bonuses: no figure, and the reason with the fix, never 0%.
    assert not [name for name in facts if "bonus" in name]
    missing = facts["workforce.pay_gap.not_worked_out"]
    assert set(missing["value"]) == {"bonus"}
    assert missing["statement"].startswith("The bonus figures (the mean and median bonus gaps and the proportions of "
                                           "men and women paid a bonus) are not worked out: no bonus column was found")
    assert "add a column bonus_pay" in missing["statement"]
    assert "staff.csv: warning: no bonus column was found in the workforce file" in result.stderr


@pytest.mark.parametrize("column", ["hourly_pay", "full_pay", "bonus_pay", "senior", "disability",
                                    "sexual_orientation", "race"])
def test_each_optional_column_can_be_left_out(tmp_path, column):
    names = HEADER.split(",")
    k = names.index(column)
    rows = [tuple(c for j, c in enumerate(r) if j != k) for r in ROWS]
    facts = facts_of(assess_workforce(tmp_path, csv_text(",".join(n for n in names if n != column), rows)))
    assert facts["workforce.employees"]["value"] == 10
    if column == "hourly_pay":
        assert facts["workforce.pay_gap.left_out"]["statement"] == (
            "The pay gap cannot be worked out: the workforce profile has no hourly pay column.")
        assert "no hourly pay column was found in the workforce file; add a column hourly_pay" in \
            facts["workforce.pay_gap.not_worked_out"]["statement"]
    else:
        assert "workforce.pay_gap.median_hourly_pct" in facts


def test_headers_as_excel_writes_them(tmp_path):
    header = "Employee ID,Gender,Hourly Pay,Full Pay,Bonus Pay,Senior,Disability,Sexual Orientation,Ethnicity"
    facts = facts_of(assess_workforce(tmp_path, csv_text(header, ROWS)))
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(12.5)
    assert facts["workforce.pay_gap.bonus_men_pct"]["value"] == 40.0
    assert set(facts["workforce.declaration_rate_pct"]["value"]) == {"disability", "sexual_orientation", "race"}


def test_a_near_miss_header_is_a_warning_with_a_hint(tmp_path):
    header = HEADER.replace("bonus_pay", "bonus_payy")
    result = assess_workforce(tmp_path, csv_text(header, ROWS))
    message = ("no bonus column was found in the workforce file; the file has 'bonus_payy' (did you mean "
               "'bonus_pay'?): if that holds the bonus paid in the 12 months ending on the snapshot date, map it on "
               'the evidence item in assessment.yaml with columns: {bonus_pay: "bonus_payy"}: until then the bonus '
               "figures (the bonus gaps and the proportions of men and women paid a bonus) are not worked out")
    assert f"staff.csv:1:{header.index('bonus_payy') + 1}: warning: {message}" in result.stderr
    assert {"file": "staff.csv", "line": 1, "col": header.index("bonus_payy") + 1, "message": message} \
        in result.json["warnings"]
    assert not [name for name in facts_of(result) if "bonus_" in name]


def test_a_missing_sex_column_is_an_error_with_a_hint(tmp_path):
    result = assess_workforce(tmp_path, csv_text(HEADER.replace("sex", "sexx"), ROWS), expect=2)
    assert ("staff.csv:1:1: column 'sex' is missing (expected it in the header row; the file has 'sexx' (did you mean "
            "'sex'?): if it holds each employee's sex, map it on the evidence item in assessment.yaml with "
            'columns: {sex: "sexx"})') in result.stderr


def test_blank_unknown_and_other_answers_are_left_out_and_counted(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][1] = ""            # not recorded
    rows[1][1] = "Not known"   # not recorded
    rows[5][1] = "Q"           # not recognised
    rows[6][1] = "Q"
    rows[7][1] = "non-binary"  # a gender identity, not sex
    result = assess_workforce(tmp_path, csv_text(HEADER, rows))
    facts = facts_of(result)
    assert facts["workforce.pay_gap.left_out"]["value"]["all_figures"] == {
        "a gender identity or other answer recorded instead of sex": 1, "sex not recognised": 2, "sex not recorded": 2}
    assert facts["workforce.pay_gap.left_out"]["statement"] == (
        "5 of the 10 employees are left out of every pay gap figure: a gender identity or other answer recorded "
        "instead of sex (1), sex not recognised (2), sex not recorded (2).")
    # Women left: 14, 16, 18 (mean 16); men left: 18, 20 (mean 19) -> (19 - 16) / 19.
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(3 / 19 * 100)
    # 'Q' is reported once, at its first row (line 7, column 5), with how many rows have it.
    assert "staff.csv:7:5: warning: sex: 2 rows say 'Q', which efl does not recognise" in result.stderr
    assert "staff.csv:9:5: warning: sex: 1 row says 'non-binary', which records a gender identity" in result.stderr


def test_a_councils_own_codes_are_added_in_assessment_yaml(tmp_path):
    rows = [(r[0], {"female": "1", "male": "2"}[r[1]], *r[2:-2], "ZZ" if i == 0 else r[-2], r[-1])
            for i, r in enumerate(ROWS)]
    values = {"values": {"groups": {"sex": {"female": ["1"], "male": ["2"]}}, "not_recorded": ["ZZ"]}}
    facts = facts_of(assess_workforce(tmp_path, csv_text(HEADER, rows), extra=values))
    assert facts["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(12.5)
    assert facts["workforce.declaration_rate_pct"]["value"]["sexual_orientation"] == 70.0  # 8 - 1 (ZZ) of 10


def test_decimal_commas_are_refused_not_guessed(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][2] = '"14,00"'  # quoted, as Excel writes a cell holding a comma
    result = assess_workforce(tmp_path, csv_text(HEADER, rows), expect=2)
    assert ("staff.csv:4:12: hourly_pay: '14,00' is not a number (expected a number with a decimal point, such as "
            "14.00 (a comma is read only as a thousands separator, as in 1,234.50))") in result.stderr


# The Census 2021 name of the high-level group an HR file's "asian" means.
ASIAN = "Asian, Asian British or Asian Welsh"


def test_thousands_separators_pounds_and_percent_signs_are_read(tmp_path):
    community = 'characteristic,group,count\nrace,white british,"49,300"\nrace,asian,"24,650"\n'
    percent = "characteristic,group,percent\nrace,white british,66.7%\nrace,asian,33.3%\n"
    rows = [(r[0], r[1], f"£{r[2]}", *r[3:]) for r in ROWS]
    few = {"values": {"min_group": 1}}  # ten staff: every group is small, and small numbers are not the point here
    a = facts_of(assess_workforce(tmp_path, csv_text(HEADER, rows), community, few))
    b = facts_of(assess_workforce(tmp_path, csv_text(HEADER, rows), percent, few))
    # Race among staff: 7 white british, 3 asian of 10; residents 2/3 and 1/3 -> asian 0.3 / (1/3) = 0.9.
    assert a["workforce.representation"]["value"]["race"][ASIAN] == pytest.approx(0.9)
    assert b["workforce.representation"]["value"]["race"][ASIAN] == pytest.approx(0.3 / 0.333, abs=1e-4)
    assert a["workforce.pay_gap.mean_hourly_pct"]["value"] == pytest.approx(12.5)


def test_implausible_pay_is_a_warning_with_its_position(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "0"
    rows[1][2] = "1015.50"
    result = assess_workforce(tmp_path, csv_text(HEADER, rows))
    assert "staff.csv:2:12: warning: hourly_pay: 0 is not a plausible hourly rate" in result.stderr
    assert "staff.csv:3:12: warning: hourly_pay: £1,015.50 an hour is above £250" in result.stderr


def test_parts_above_wholes_and_percentages_over_100_are_errors(tmp_path):
    community = "characteristic,group,percent\nage,16 to 64,96\nage,65 and over,100\n"
    result = assess_workforce(tmp_path, csv_text(HEADER, ROWS), community, expect=2)
    assert "area.csv:2:" in result.stderr and "the age groups add up to 196.0% (expected at most 100%" in result.stderr


def test_the_declared_headcount_is_checked_against_the_file(tmp_path):
    result = assess_workforce(tmp_path, csv_text(HEADER, ROWS), employees=500)
    assert facts_of(result)["council.employees"]["value"] == 10  # the file, on its snapshot date
    assert ("staff.csv: warning: this file lists 10 employees but assessment.yaml says the council employs 500"
            in result.stderr)


def test_representation_compares_like_with_like(tmp_path):
    community = """\
        characteristic,group,percent
        age,0 to 15,20
        age,16 to 34,30
        age,35 to 64,30
        age,65 and over,20
        race,white british,55
        race,asian,30
        race,black,10
        race,not answered,5
        disability,yes,20
        disability,no,80
        """
    staff_header = HEADER + ",age"
    ages = ["16-24", "25-34", "35-44", "45-54", "55-64", "16-24", "25-34", "35-44", "45-54", "65+"]
    rows = [(*r, a) for r, a in zip(ROWS, ages)]
    facts = facts_of(assess_workforce(tmp_path, csv_text(staff_header, rows), community, {"values": {"min_group": 1}}))
    ratios = facts["workforce.representation"]["value"]
    # Ages within 16-64 merged to the bands both files can make: 16-34 (4 staff) and 35-64 (5 staff);
    # the 65+ employee, the children and the over-65 residents are left out. Residents 30 : 30.
    assert ratios["age"] == {"16-34": pytest.approx((4 / 9) / 0.5), "35-64": pytest.approx((5 / 9) / 0.5)}
    # Race: 'not answered' is no group. The HR file records White British (7) and Asian (3) staff and
    # nobody Black: a true 0, so Black residents stay in the total (55 : 30 : 10 of 95) and Black is
    # named as too few to compare, never given a ratio of 0.
    assert ratios["race"][ASIAN] == pytest.approx(0.3 / (30 / 95))
    assert ratios["race"]["White British"] == pytest.approx(0.7 / (55 / 95))
    black = "Black, Black British, Black Welsh, Caribbean or African"
    assert black not in ratios["race"]
    assert facts["workforce.representation_too_few"]["value"]["groups"]["race"] == {black: {"staff": 0}}
    assert all(value > 0 for groups in ratios.values() for value in groups.values())


def test_age_bands_that_cannot_be_lined_up_are_said_so_never_zero(tmp_path):
    community = "characteristic,group,percent\nage,under 16,20.1\nage,16 to 64,62.6\nage,65 and over,17.3\n"
    staff_header = HEADER + ",age"
    rows = [(*r, "16-24" if i % 2 else "25-34") for i, r in enumerate(ROWS)]
    facts = facts_of(assess_workforce(tmp_path, csv_text(staff_header, rows), community))
    assert "age" not in facts.get("workforce.representation", {}).get("value", {})
    assert "age" in facts["workforce.representation_not_compared"]["value"]
    assert "fewer than two bands" in facts["workforce.representation_not_compared"]["statement"]


def test_too_few_survey_responses_do_not_count_as_monitored(tmp_path):
    survey = """\
        characteristic,group,respondents,satisfied
        age,under 35,300,200
        age,35 and over,500,400
        disability,yes,8,2
        disability,no,600,450
        """
    evidence = [{"id": "survey", "type": "satisfaction-survey", "file": "s.csv", "date": "2025-06-01"}]
    folder = make_folder(tmp_path / "s", {"assessment.yaml": {"framework": "eflg-2014", "council": {"name": "T"},
                                                              "date": "2025-11-14", "evidence": evidence},
                                          "s.csv": survey})
    facts = facts_of(run_efl("assess", folder, "--format", "json").assert_success())
    # Disability keeps one group of 10 or more respondents: nothing to compare it with.
    assert facts["services.satisfaction_characteristics_monitored"]["value"] == 1
    assert "Not enough responses to compare for disability" in facts[
        "services.satisfaction_characteristics_monitored"]["statement"]
    # The gap is by age only: 80.0 - 66.7 = 13.3 points.
    assert facts["services.satisfaction_gap_pct"]["value"] == pytest.approx(80 - 200 / 3)
    bad = survey.replace("8,2", "8,9")
    make_folder(folder, {"s.csv": bad})
    result = run_efl("assess", folder).assert_exit(2)
    assert "s.csv:4:18: satisfied: 9 is more than the 8 respondents on the same row (expected at most 8)" in result.stderr


def test_validate_prints_warnings_and_says_ok_as_a_real_process(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[3][1] = "Q"
    assess_workforce(tmp_path, csv_text(HEADER, rows))
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    efl_command = str(__import__("pathlib").Path(sys.executable).with_name("efl"))
    done = subprocess.run([efl_command, "validate", str(folder)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "staff.csv:5:5: warning: sex: 1 row says 'Q'" in done.stderr
    assert "OK (" in done.stdout and "1 warning" in done.stdout
    assert "Traceback" not in done.stderr


# --- the two readers agree ------------------------------------------------------------------------

def _profile(data: bytes, arrow: bool, monkeypatch):  # noqa: ANN001, ANN202
    from efl_plugins.workforce import parse_workforce

    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if arrow else 10**12)
    table = columnar.load_table(data, "w.csv")
    assert isinstance(table, columnar.ArrowTable) == arrow
    try:
        return parse_workforce(table, None, Assessment.model_construct(local_characteristics=[], values=None,
                                                                       council=None))
    except EvidenceError as exc:
        return [str(d) for d in exc.diagnostics]


def _generated(n: int, seed: int) -> bytes:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent / "assessments"))
    from make_illustrative_data import workforce

    path = __import__("pathlib").Path(f"/tmp/efl-readers-{seed}-{n}.csv")
    try:
        workforce(path, n, seed)
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def test_both_readers_give_the_same_profile(monkeypatch):
    data = _generated(3000, 11)
    fast, slow = _profile(data, True, monkeypatch), _profile(data, False, monkeypatch)
    assert fast == slow
    # and the pay gap figures match the independent reference on the same rows
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    sex = {"F": "female", "M": "male"}
    reference = reference_figures([(sex.get(r["sex"]), float(r["hourly_pay"]), r["full_pay"] == "true",
                                    float(r["bonus_pay"])) for r in rows])
    from efl.workforce.measures import pay_gap_figures

    figures = pay_gap_figures(fast.sex, fast.hourly_pay, fast.full_pay, fast.bonus_pay)
    assert figures.mean_hourly_pct == pytest.approx(reference["mean_hourly_pct"], abs=0.01)
    assert figures.median_hourly_pct == pytest.approx(reference["median_hourly_pct"], abs=0.01)
    assert [(b.size, b.men, b.women) for b in figures.quartiles] == reference["quartiles"]


def test_both_readers_report_the_same_errors_and_warnings(monkeypatch):
    text = _generated(2000, 5).decode().splitlines()
    text[10] = text[10].replace(",F,", ",Q,", 1).replace(",M,", ",Q,", 1)
    text[20] = text[20].replace("true", "maybe", 1)
    fields = text[30].split(",")
    fields[2] = '"12,5"'  # a decimal comma, quoted as Excel writes it
    text[30] = ",".join(fields)
    data = ("\n".join(text) + "\n").encode()
    fast, slow = _profile(data, True, monkeypatch), _profile(data, False, monkeypatch)
    assert fast == slow and isinstance(fast, list) and len(fast) >= 2


CELL = st.sampled_from(["F", "M", "", " f ", "Not known", "12.50", "0", "x,y", 'a "b"', "é", "1,234.50"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=30), st.booleans())
@example([("", "F", ""), ("", "", "F")], False)  # once broke the blank-row check (columns of different lengths)
def test_property_both_readers_see_the_same_cells(rows, crlf):
    newline = "\r\n" if crlf else "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([("employee_id", "sex", "hourly_pay")] + rows)
    data = buffer.getvalue().encode()
    python = load_csv(data, "p.csv")
    from efl.files.evidence import encoded_column

    arrow = columnar._read_with_arrow(data, "p.csv")
    if arrow is None:  # the fast reader declined (e.g. a blank row): the Python reader is used
        return
    for i in range(3):
        a, b = encoded_column(arrow, i), encoded_column(python, i)
        assert a.map(a.distinct) == b.map(b.distinct)
    assert arrow.lines == python.lines


def test_a_new_folder_says_what_is_still_to_fill_in(tmp_path):
    folder = tmp_path / "new"
    run_efl("init", folder, "--council", "Testshire").assert_success()
    done = run_efl("validate", folder).assert_success()
    # The template's example rows would otherwise make a council of two employees, to which the
    # workforce duties (150 and 250 employees) silently do not apply.
    assert "warning: this file still holds the example rows 'efl init' wrote" in done.stderr
    assert "workforce-profile.csv" in done.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_reports_show_the_warnings(tmp_path, fmt):
    rows = [list(r) for r in ROWS]
    rows[3][1] = "Q"
    saved = tmp_path / "r.json"
    folder = tmp_path / "w"
    assess_workforce(folder, csv_text(HEADER, rows))
    source = next(p for p in folder.iterdir() if p.is_dir())
    run_efl("assess", source, "--format", "json", "-o", saved).assert_success()
    shown = run_efl("report", saved, "--format", fmt).assert_success().output
    assert "Warnings about the evidence (1)" in shown
    assert "staff.csv, line 5: sex: 1 row says" in shown.replace("&#x27;", "'")


def test_yes_and_no_match_the_censuss_disabled_and_not_disabled(tmp_path):
    community = "characteristic,group,percent\ndisability,Disabled,20\ndisability,Not disabled,80\n"
    facts = facts_of(assess_workforce(tmp_path, csv_text(HEADER, ROWS), community, {"values": {"min_group": 1}}))
    # Staff: 2 'yes' of 10 -> 20% against 20% of residents: ratio 1.
    assert facts["workforce.representation"]["value"]["disability"] == {"Disabled": 1.0, "Not disabled": 1.0}


def test_covers_naming_characteristics_the_file_lacks_is_a_warning(tmp_path):
    community = "characteristic,group,percent\nrace,white british,60\nrace,asian,40\n"
    evidence = [{"id": "area", "type": "community-profile", "file": "area.csv", "date": "2025-01-01",
                 "covers": ["race", "disability", "Sexual orientation"]}]
    folder = make_folder(tmp_path / "cov", {"assessment.yaml": {"framework": "eflg-2014", "council": {"name": "T"},
                                                                "date": "2025-11-14", "evidence": evidence},
                                            "area.csv": community})
    done = run_efl("validate", folder).assert_success()
    assert ("area.csv: warning: assessment.yaml says this file covers disability, sexual orientation, but it has "
            "no rows for them") in done.stderr


def test_reasons_show_percentages_to_one_place_and_ratios_to_two(tmp_path):
    from efl_plugins.rules import _show

    # A gap of 11.991% must not read as a round 12%, nor a ratio of 0.1843 as 0.2 beside a 0.8 threshold.
    assert _show(11.991, "%") == "12.0" and _show(61.75, "%") == "61.8" and _show(-0.01, "%") == "0.0"
    assert _show(0.1843) == "0.18" and _show(0.8) == "0.8" and _show(2.0) == "2"


def test_the_header_table_is_documented_and_read(tmp_path):
    """Every header efl reads a workforce column from is in README.md, and is read."""
    from conftest import ROOT
    from efl_plugins.readers.workforce_columns import HEADERS, plan_columns

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, aliases in HEADERS.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
        assert all(f"`{a}`" in row for a in aliases), name
        for alias in aliases:
            written = alias.title()  # as an export might capitalise it
            assert plan_columns([written], [name], {}).where == {name: 0}, alias


def test_a_county_payroll_export_gives_true_bonus_figures_once_mapped_and_not_worked_out_before(tmp_path):
    header = "Emp No,Sex Code,Basic Hourly Rate,FPRE,Bonus Paid (12m to snapshot),Senior Leadership Team,Ethnic Origin Code"
    rows = [(f"C{i:03d}", "F" if i % 3 else "M", f"{12 + i % 9:.2f}", "Y", f"{250 * (i % 7 == 0):.2f}",
             "Y" if i % 10 == 0 else "N", "WBRI" if i % 4 else "AIND") for i in range(60)]
    before = assess_workforce(tmp_path, csv_text(header, rows))
    facts = facts_of(before)
    assert not [name for name in facts if "bonus" in name or "hourly_pct" in name]
    missing = facts["workforce.pay_gap.not_worked_out"]
    assert set(missing["value"]) == {"hourly", "bonus"}
    assert "'Bonus Paid (12m to snapshot)'" in missing["statement"] and "columns: {bonus_pay:" in missing["statement"]
    assert "'Basic Hourly Rate'" in missing["statement"]
    # Every column was read (the codes and the Y/N flags too), or named: nothing is silent.
    assert set(facts["workforce.columns"]["value"]) == {"sex", "full_pay", "senior", "race"}
    columns = {"hourly_pay": "Basic Hourly Rate", "bonus_pay": "Bonus Paid (12m to snapshot)"}
    evidence_extra = {"evidence": [{"id": "staff", "type": "workforce-profile", "file": "staff.csv",
                                    "date": "2025-03-31", "columns": columns}]}
    after = facts_of(assess_workforce(tmp_path, csv_text(header, rows), extra=evidence_extra))
    men = [r for r in rows if r[1] == "M"]
    women = [r for r in rows if r[1] == "F"]
    paid = lambda group: sum(1 for r in group if float(r[4]) > 0) / len(group) * 100  # noqa: E731
    assert after["workforce.pay_gap.bonus_men_pct"]["value"] == pytest.approx(paid(men))
    assert after["workforce.pay_gap.bonus_women_pct"]["value"] == pytest.approx(paid(women))
    assert "workforce.pay_gap.not_worked_out" not in after
