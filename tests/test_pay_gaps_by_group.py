"""Ethnicity and disability pay gaps through whole ``efl assess`` runs on HR-style payrolls (ethnicity
labels and codes as HR systems write them, "Prefer not to say", blanks, ties on the quarter lines):
every stored figure equal to the exact-fraction reference of ``test_paygap_guidance`` (which never
imports efl's measures), no group under the minimum shown, and everyone left out counted."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efl.testing import make_folder, run_efl
from test_paygap_guidance import reference_figures

# (how the HR system writes it, the Census 2021 category it is, or what kind of non-answer)
ETHNIC_LABELS = [
    ("White - British", "white-british"), ("WBRI", "white-british"),
    ("White: English, Welsh, Scottish, Northern Irish or British", "white-british"),
    ("Asian or Asian British - Indian", "indian"), ("AIND", "indian"), ("Asian or Asian British - Pakistani", "pakistani"),
    ("Asian or Asian British - Bangladeshi", "bangladeshi"), ("Chinese", "chinese"),
    ("Black or Black British - African", "african"), ("BCRB", "caribbean"), ("White - Irish", "white-irish"),
    ("White - Any other White background", "white-other"), ("Mixed - White and Asian", "white-and-asian"),
    ("Arab", "arab"), ("White", "unplaced"), ("Prefer not to say", "declined"), ("", "not recorded"),
    ("Not known", "not recorded"),
]
WEIGHTS = [30, 10, 5, 8, 4, 6, 1, 1, 6, 4, 2, 6, 1, 2, 1, 4, 4, 2]
DISABILITY_LABELS = [("No", "not-disabled"), ("N", "not-disabled"), ("Not disabled", "not-disabled"),
                     ("Yes", "disabled"), ("Y", "disabled"), ("Prefer not to say", "declined"), ("", "not recorded")]
DISABILITY_WEIGHTS = [40, 10, 5, 6, 3, 4, 5]
RATES = ["9.50", "10.00", "10.25", "11.00", "12.50", "15.00", "20.00", "31.75"]
BONUSES = ["0", "0", "0", "0", "0", "150", "250.50", "1000"]
MINORITY = {"indian", "pakistani", "bangladeshi", "chinese", "african", "caribbean", "white-irish", "white-other",
            "white-and-asian", "arab"}


def payroll(seed: int, n: int) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        label, category = rnd.choices(ETHNIC_LABELS, WEIGHTS)[0]
        dlabel, dcategory = rnd.choices(DISABILITY_LABELS, DISABILITY_WEIGHTS)[0]
        hourly = rnd.choice(RATES) if rnd.random() < 0.9 else f"{rnd.randint(900, 4000) / 100:.2f}"
        rows.append({"id": f"P{i:04d}", "sex": rnd.choice("FM"), "ethnicity": label, "category": category,
                     "disability": dlabel, "dcategory": dcategory,
                     "hourly": hourly if rnd.random() > 0.03 else "", "full": rnd.random() > 0.05,
                     "bonus": rnd.choice(BONUSES)})
    return rows


def folder(rows: list[dict], tmp_path, extra: dict | None = None):
    lines = ["Employee No,Sex,Ethnic Origin,Disability,Hourly Rate,Full Pay,Bonus Pay"]
    for r in rows:
        cells = [r["id"], r["sex"], r["ethnicity"], r["disability"], r["hourly"], "true" if r["full"] else "false",
                 r["bonus"]]
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    evidence = [{"id": "payroll", "type": "workforce-profile", "file": "payroll.csv", "date": "2025-03-31"}]
    config = {"framework": "eflg-2021", "council": {"name": "Testshire County Council"}, "date": "2026-01-15",
              "evidence": evidence, **(extra or {})}
    return make_folder(tmp_path, {"assessment.yaml": config, "payroll.csv": "\n".join(lines) + "\n"})


def facts_of(path) -> dict:
    result = run_efl("assess", path, "--format", "json").assert_success().json
    return {f["name"]: f for f in result["facts"]}


def as_rows(rows: list[dict], members) -> list[tuple]:
    """The rows of a comparison as the reference takes them: the group as "female", the reference as "male"."""
    out = []
    for r in rows:
        side = members(r)
        if side is not None:
            out.append((side, r["hourly"] or None, r["full"], r["bonus"]))
    return out


def check_comparison(c: dict, rows: list[dict], group_of, in_reference) -> None:
    categories = set(c["categories"])
    want = reference_figures(as_rows(rows, lambda r: "female" if group_of(r) in categories
                                     else "male" if in_reference(r) else None))
    for figure in ("mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct"):
        if want[figure] is None:
            assert c[figure] is None and figure in c["not_defined"], figure
        else:
            assert c[figure] == float(want[figure]), (c["group"], figure)
    assert c["bonus_group_pct"] == float(want["bonus_women_pct"])
    assert c["bonus_reference_pct"] == float(want["bonus_men_pct"])
    assert c["employees"] == sum(1 for r in rows if group_of(r) in categories)
    assert c["reference_employees"] == sum(1 for r in rows if in_reference(r))
    quarters = want["quartiles"]
    if quarters is None:
        assert c["quartiles"] is None
    else:
        for band, (size, reference, group) in zip(c["quartiles"], quarters):
            assert (band["size"], band["group"], band["reference"]) == (size, group, reference)
            assert band["group_pct"] == (float(Fraction(group * 100, size)) if size else None)
            assert band["reference_pct"] == (float(Fraction(reference * 100, size)) if size else None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), n=st.integers(40, 300), minimum=st.sampled_from([3, 10, 10, 25]))
def test_every_figure_equals_the_exact_reference(seed, n, minimum, tmp_path_factory):
    rows = payroll(seed, n)
    facts = facts_of(folder(rows, tmp_path_factory.mktemp("g"), {"pay_gaps": {"minimum_group": minimum}}))
    ethnic = Counter(r["category"] for r in rows)
    # Disclosure: every answer that names a group, White alone included, over every employee.
    recorded = sum(k for c, k in ethnic.items() if c not in ("declined", "not recorded"))
    assert facts["workforce.ethnicity_disclosure_pct"]["value"] == float(Fraction(recorded * 100, n))
    left = facts["workforce.ethnicity_pay_gap_left_out"]["value"]["all_figures"]
    assert left.get("chose not to say", 0) == ethnic["declined"]
    assert left.get("ethnic group not recorded", 0) == ethnic["not recorded"]
    assert left.get("recorded only as White, which does not say whether White British", 0) == ethnic["unplaced"]
    comparisons = facts.get("workforce.ethnicity_pay_gap", {}).get("value", [])
    if ethnic["white-british"] < minimum or sum(ethnic[c] for c in MINORITY) < minimum:
        assert comparisons == [] and "workforce.ethnicity_pay_gap_not_shown" in facts
    else:
        assert comparisons[0]["group"] == "All ethnic minority groups"
        assert set(comparisons[0]["categories"]) >= {c for c in MINORITY if ethnic[c]}
    for c in comparisons:
        assert c["employees"] >= minimum and c["reference"] == "White British"
        check_comparison(c, rows, lambda r: r["category"], lambda r: r["category"] == "white-british")
    # No group under the minimum is ever shown on its own.
    for category, count in ethnic.items():
        if category in MINORITY and count < minimum:
            assert [category] not in [c["categories"] for c in comparisons]
    disabled = [c for c in facts.get("workforce.disability_pay_gap", {}).get("value", [])]
    for c in disabled:
        assert c["group"] == "Disabled employees" and c["reference"] == "Not disabled"
        check_comparison(c, rows, lambda r: "disabled" if r["dcategory"] == "disabled" else None,
                         lambda r: r["dcategory"] == "not-disabled")


def test_a_council_payroll_by_hand(tmp_path):
    # 300 rows, seeded; the figures a councillor reads.
    rows = payroll(2024, 300)
    facts = facts_of(folder(rows, tmp_path))
    comparisons = facts["workforce.ethnicity_pay_gap"]["value"]
    names = [c["group"] for c in comparisons]
    assert names[0] == "All ethnic minority groups"
    for c in comparisons:
        check_comparison(c, rows, lambda r: r["category"], lambda r: r["category"] == "white-british")
        gap = c["median_hourly_pct"]
        if gap is not None and gap > 0.05:
            assert c["sentence"].endswith("lower than White British employees'.") or "lower than that of" in c["sentence"]
    statement = facts["workforce.ethnicity_pay_gap"]["statement"]
    assert statement.startswith("Ethnic minority employees' median hourly pay is ")
    assert statement.startswith(comparisons[0]["sentence"] + " Of all employees, ")
    assert statement.endswith("% have recorded their ethnic group.")
    method = facts["workforce.ethnicity_pay_gap_method"]
    assert method["value"] == {"reference": "White British", "reference_id": "white-british", "minimum_group": 10,
                               "groups": "finest", "small_groups": "combine"}
    assert "No law requires councils to publish these figures today." in method["statement"]


@pytest.mark.parametrize("gap_words", ["lower", "higher", "same"])
def test_sentences_say_which_way_the_gap_goes(gap_words, tmp_path):
    # 12 White British on 10.00 and 12 Indian on 9.00, 11.00 or 10.00: 10% lower, 10% higher, the same.
    pay = {"lower": "9.00", "higher": "11.00", "same": "10.00"}[gap_words]
    rows = [{"id": f"W{i}", "sex": "F", "ethnicity": "White - British", "category": "white-british",
             "disability": "No", "dcategory": "not-disabled", "hourly": "10.00", "full": True, "bonus": "0"}
            for i in range(12)]
    rows += [{"id": f"I{i}", "sex": "M", "ethnicity": "AIND", "category": "indian", "disability": "Yes",
              "dcategory": "disabled", "hourly": pay, "full": True, "bonus": "0"} for i in range(12)]
    facts = facts_of(folder(rows, tmp_path))
    sentence = facts["workforce.ethnicity_pay_gap"]["value"][0]["sentence"]
    assert sentence == {
        "lower": "Ethnic minority employees' median hourly pay is 10.0% lower than White British employees'.",
        "higher": "Ethnic minority employees' median hourly pay is 10.0% higher than White British employees'.",
        "same": "Ethnic minority employees' median hourly pay is the same as White British employees'."}[gap_words]
    disabled = facts["workforce.disability_pay_gap"]["value"][0]
    assert disabled["sentence"].replace("Disabled", "Ethnic minority").replace("non-disabled", "White British") == sentence
    # Nobody was paid a bonus: the bonus gaps are not defined, and say why.
    assert disabled["mean_bonus_pct"] is None
    assert disabled["not_defined"]["mean_bonus_pct"] == "no disabled employees or non-disabled employees were paid a bonus"


@pytest.fixture(scope="module")
def council_papers(tmp_path_factory):
    from test_paper_figures import paper_texts

    rows = payroll(77, 420)
    path = folder(rows, tmp_path_factory.mktemp("papers"))
    return rows, facts_of(path), paper_texts(tmp_path_factory.mktemp("out"), path)


def one_place(value: float) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    shown = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'0.0' if shown == 0 else shown}%"


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_every_paper_states_the_ethnicity_and_disability_pay_gaps(council_papers, fmt):
    rows, facts, texts = council_papers
    text = " ".join(texts[fmt].replace("\\", "").split())
    for stem, disclosure in (("workforce.ethnicity_pay_gap", "workforce.ethnicity_disclosure_pct"),
                             ("workforce.disability_pay_gap", "workforce.disability_disclosure_pct")):
        # The headline with its disclosure rate, the disclosure sentence, the choices made, each group's sentence.
        for name in (stem, disclosure, f"{stem}_method", f"{stem}_left_out"):
            assert facts[name]["statement"] in text, (fmt, name)
        assert one_place(facts[disclosure]["value"]) in facts[stem]["statement"]
        for c in facts[stem]["value"]:
            assert c["sentence"] in text, (fmt, c["group"])
            for figure in ("mean_hourly_pct", "median_hourly_pct", "bonus_group_pct"):
                assert one_place(c[figure]) in text
    assert "No law requires councils to publish these figures today." in text
    # A group under the minimum is named only as not shown, never with figures of its own.
    small = [n["group"] for n in facts.get("workforce.ethnicity_pay_gap_not_shown", {"value": []})["value"]]
    assert small, "the seeded payroll has groups under the minimum"
    shown = {c["group"] for c in facts["workforce.ethnicity_pay_gap"]["value"]}
    assert not shown & set(small)
    if fmt == "html":
        for name in small:
            assert f"<th scope=\"row\">{name}</th>" not in texts["html"]


def test_the_criterion_is_met_by_a_published_report_covering_both(tmp_path):
    rows = payroll(5, 260)
    extra = {"evidence": [
        {"id": "payroll", "type": "workforce-profile", "file": "payroll.csv", "date": "2025-03-31"},
        {"id": "pay-gaps", "type": "pay-gaps-report", "file": "pay-gaps.pdf", "date": "2025-11-30",
         "covers": ["race", "disability"], "title": "Pay gap report 2025"}]}
    path = folder(rows, tmp_path / "c", extra)
    (path / "pay-gaps.pdf").write_bytes(b"%PDF-1.4\n")
    for framework, criterion in (("eflg-2014", "scw.ethnicity-disability-pay-gaps"), ("eflg-2021", "dew.data.4")):
        result = run_efl("assess", path, "--framework", framework, "--format", "json").assert_success().json
        outcome = {c["id"]: c for a in result["areas"] for c in a["criteria"]}[criterion]
        assert outcome["outcome"] == "met", outcome["reasons"]


def small_council(tmp_path, minority: int = 5, disabled: int = 8):
    lines = ["Employee ID,Sex,Ethnic Group,Disability,Hourly Pay"]
    for i in range(60):
        lines.append(f"E{i},{'F' if i % 2 else 'M'},{'White British' if i < 60 - minority else 'Indian'},"
                     f"{'No' if i < 60 - disabled else 'Yes'},{10 + i % 7}.50")
    evidence = [{"id": "w", "type": "workforce-profile", "file": "w.csv", "date": "2025-03-31"}]
    return make_folder(tmp_path, {"assessment.yaml": {"framework": "eflg-2014", "council": {"name": "Small Council"},
                                                      "date": "2026-01-10", "evidence": evidence},
                                  "w.csv": "\n".join(lines) + "\n"})


def test_too_few_to_show_anything_says_so_and_never_that_all_are_included(tmp_path):
    path = small_council(tmp_path)
    facts = facts_of(path)
    assert "workforce.ethnicity_pay_gap" not in facts
    assert facts["workforce.ethnicity_pay_gap_not_shown"]["statement"] == (
        "No ethnicity pay gap can be shown: there are fewer than 10 ethnic minority employees, so showing the figures "
        "could identify people.")
    assert facts["workforce.disability_pay_gap_not_shown"]["statement"].startswith(
        "No disability pay gap can be shown: there are fewer than 10 disabled employees")
    assert facts["workforce.ethnicity_disclosure_pct"]["statement"] == "All 60 employees have recorded their ethnic group."
    paper = run_efl("assess", path, "--format", "markdown").assert_success().output
    section = paper[paper.index("Ethnicity pay gap"):paper.index("Disability pay gap")]
    assert section.split("\n\n")[1].startswith("No ethnicity pay gap can be shown")  # the headline
    assert "included in the ethnicity pay gap figures" not in section and "Indian" not in section


def test_without_an_hourly_pay_column_the_disclosure_rate_is_still_given(tmp_path):
    import csv
    import io

    path = folder(payroll(3, 80), tmp_path)
    table = list(csv.reader(io.StringIO((path / "payroll.csv").read_text())))
    drop = table[0].index("Hourly Rate")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([cell for i, cell in enumerate(row) if i != drop] for row in table)
    (path / "payroll.csv").write_text(out.getvalue())
    facts = facts_of(path)
    assert "workforce.ethnicity_pay_gap" not in facts and "workforce.ethnicity_disclosure_pct" in facts
    assert facts["workforce.ethnicity_pay_gap_left_out"]["statement"] == (
        "The ethnicity pay gap cannot be worked out: the workforce profile has no hourly pay column.")


def test_the_choices_are_settings_checked_with_their_positions(tmp_path):
    rows = payroll(11, 300)
    path = folder(rows, tmp_path / "ok", {"pay_gaps": {"ethnicity_groups": "5 groups", "small_groups": "withhold",
                                                       "minimum_group": 12, "ethnicity_reference": "WBRI"}})
    facts = facts_of(path)
    assert facts["workforce.ethnicity_pay_gap_method"]["value"] == {
        "reference": "White British", "reference_id": "white-british", "minimum_group": 12, "groups": "high-level",
        "small_groups": "withhold"}
    statement = facts["workforce.ethnicity_pay_gap_method"]["statement"]
    assert "Groups are shown at the level of the 5 high-level ethnic groups." in statement
    assert "A group of fewer than 12 employees is not shown on its own." in statement
    assert "counted only in the figure for all ethnic minority employees together" in statement
    finer = {"indian", "pakistani", "african", "caribbean", "white-irish", "white-other", "arab"}
    for c in facts["workforce.ethnicity_pay_gap"]["value"]:
        assert c["employees"] >= 12 and c["group_id"] not in finer
    bad = folder(rows, tmp_path / "bad", {"pay_gaps": {"ethnicity_groups": "six groups", "small_groups": "drop",
                                                        "ethnicity_reference": "Martian"}})
    out = run_efl("assess", bad).assert_exit(2).stderr
    assert "assessment.yaml:" in out and "'six groups' is not a grouping of ethnic groups" in out
    assert "'drop' is not allowed" in out and "'Martian' is not an ethnic group" in out


def test_without_a_bonus_column_no_bonus_figure_is_stated(tmp_path):
    # The small council's file has no bonus column: the bonus figures are not worked out, never 0%.
    path = small_council(tmp_path, minority=15, disabled=12)
    c = facts_of(path)["workforce.ethnicity_pay_gap"]["value"][0]
    for figure in ("mean_bonus_pct", "median_bonus_pct", "bonus_group_pct", "bonus_reference_pct"):
        assert c[figure] is None and c["not_defined"][figure] == "no bonus column was found in the workforce file"
    assert c["median_hourly_pct"] is not None
    paper = run_efl("assess", path, "--format", "markdown").assert_success().output
    assert "| All ethnic minority groups | 15 |" in paper and "not worked out | not worked out" in paper
