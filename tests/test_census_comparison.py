"""A district's Census 2021 tables, downloaded as ONS lays them out, against a county-style HR export
with its own headers and labels: every ratio is checked against arithmetic written here, with the
two files' labels paired by hand from ONS's classifications (not by efl's data).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from efl.testing import make_folder, run_efl

AREA = ("E07000999", "Testdale")
SNAPSHOT = dt.date(2025, 3, 31)

# --- the Census tables (counts made up for the test; labels are ONS's) ------------------------------

ETHNIC = {  # TS021, the 19 detailed groups
    "Asian, Asian British or Asian Welsh: Bangladeshi": 410, "Asian, Asian British or Asian Welsh: Chinese": 620,
    "Asian, Asian British or Asian Welsh: Indian": 3150, "Asian, Asian British or Asian Welsh: Pakistani": 1240,
    "Asian, Asian British or Asian Welsh: Other Asian": 980,
    "Black, Black British, Black Welsh, Caribbean or African: African": 1710,
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": 690,
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": 240,
    "Mixed or Multiple ethnic groups: White and Asian": 720,
    "Mixed or Multiple ethnic groups: White and Black African": 310,
    "Mixed or Multiple ethnic groups: White and Black Caribbean": 650,
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": 540,
    "White: English, Welsh, Scottish, Northern Irish or British": 98400, "White: Irish": 1010,
    "White: Gypsy or Irish Traveller": 150, "White: Roma": 90, "White: Other White": 6300,
    "Other ethnic group: Arab": 280, "Other ethnic group: Any other ethnic group": 510,
}
AGES_6 = ["Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years", "Aged 35 to 49 years",
          "Aged 50 to 64 years", "Aged 65 years and over"]
DISABILITY_BY_AGE = {"Disabled under the Equality Act": [900, 1900, 2100, 3900, 5200, 9800],
                     "Not disabled under the Equality Act": [22000, 12500, 15100, 23000, 20900, 17100]}
ORIENTATION = {"Straight or Heterosexual": 85100, "Gay or Lesbian": 1400, "Bisexual": 1200,
               "All other sexual orientations": 300, "Not answered": 6900, "Does not apply": 0}
IDENTITY = {"Gender identity the same as sex registered at birth": 88200,
            "Gender identity different from sex registered at birth but no specific identity given": 210,
            "Trans woman": 95, "Trans man": 90, "All other gender identities": 105, "Not answered": 6200}
RELIGION = {"No religion": 41000, "Christian": 61000, "Buddhist": 600, "Hindu": 2400, "Jewish": 300, "Muslim": 3900,
            "Sikh": 1100, "Other religion": 700, "Not answered": 6900}
PARTNERSHIP = {  # TS002's finest rows; the file also prints each subtotal
    "Never married and never registered a civil partnership": 31000,
    "Married or in a registered civil partnership: Married: Opposite sex": 41000,
    "Married or in a registered civil partnership: Married: Same sex": 300,
    "Married or in a registered civil partnership: In a registered civil partnership: Opposite sex": 120,
    "Married or in a registered civil partnership: In a registered civil partnership: Same sex": 150,
    "Separated, but still legally married or still legally in a civil partnership: Separated, but still married": 2100,
    "Separated, but still legally married or still legally in a civil partnership: Separated, but still in a "
    "registered civil partnership": 30,
    "Divorced or civil partnership dissolved: Divorced": 8200,
    "Divorced or civil partnership dissolved: Formerly in a civil partnership now legally dissolved": 60,
    "Widowed or surviving civil partnership partner: Widowed": 5600,
    "Widowed or surviving civil partnership partner: Surviving partner from civil partnership": 20,
}
FIVE_YEAR = ["Aged 4 years and under"] + [f"Aged {a} to {a + 4} years" for a in range(5, 85, 5)] + ["Aged 85 years and over"]
AGE_COUNTS = [5500, 5900, 6100, 5600, 6000, 7200, 7400, 7100, 6900, 7000, 7600, 7500, 6600, 5800, 5400, 3900, 2800, 2400]

# --- the HR export: 400 staff, its own headers and labels ------------------------------------------

HR_ETHNIC = [("White - English/Welsh/Scottish/Northern Irish/British", 300), ("White - Irish", 12),
             ("White - Any other White background", 20), ("Asian/Asian British - Indian", 25),
             ("Asian/Asian British - Pakistani", 11), ("Black/African/Caribbean/Black British - African", 14),
             ("Mixed - White & Black Caribbean", 6), ("Prefer not to say", 8), ("", 4)]
HR_ORIENTATION = [("Straight", 350), ("Gay man", 12), ("Gay woman/lesbian", 8), ("Bisexual", 15),
                  ("Prefer not to say", 10), ("", 5)]
HR_IDENTITY = [("Yes", 380), ("No", 12), ("Prefer not to say", 8)]
HR_MARITAL = [("Married", 180), ("Single", 120), ("Civil Partnership", 12), ("Divorced", 40), ("Widowed", 10),
              ("Separated", 14), ("Cohabiting", 20), ("", 4)]
HR_RELIGION = [("Christian", 200), ("No religion", 150), ("Muslim", 20), ("Hindu", 15), ("Prefer not to say", 15)]
# The same groups in ONS's words (paired by hand from the Census 2021 labels).
HR_TO_ONS_ETHNIC = {
    "White - English/Welsh/Scottish/Northern Irish/British": "White: English, Welsh, Scottish, Northern Irish or British",
    "White - Irish": "White: Irish", "White - Any other White background": "White: Other White",
    "Asian/Asian British - Indian": "Asian, Asian British or Asian Welsh: Indian",
    "Asian/Asian British - Pakistani": "Asian, Asian British or Asian Welsh: Pakistani",
    "Black/African/Caribbean/Black British - African": "Black, Black British, Black Welsh, Caribbean or African: African",
    "Mixed - White & Black Caribbean": "Mixed or Multiple ethnic groups: White and Black Caribbean",
}
N = 400


def expand(pairs):  # noqa: ANN001, ANN201
    return [label for label, n in pairs for _ in range(n)]


def age_of(i: int) -> int:
    """Person i's age on the snapshot date: 18 to 64, and the last ten 66."""
    return 66 if i >= N - 10 else 18 + (i * 7) % 47


def disabled(i: int) -> str:
    return "" if i % 50 == 49 else ("Y" if i % 8 == 0 else "N")


def staff_rows() -> list[list[str]]:
    columns = [expand(HR_ETHNIC), expand(HR_ORIENTATION), expand(HR_IDENTITY), expand(HR_MARITAL), expand(HR_RELIGION)]
    assert all(len(c) == N for c in columns)
    rows = []
    for i in range(N):
        born = dt.date(SNAPSHOT.year - age_of(i), 3, 21)  # a birthday ten days before the snapshot
        rows.append([f"P{i:04d}", "F" if i % 3 else "M", born.strftime("%d/%m/%Y"), f"{12 + (i % 30) * 0.75:.2f}",
                     "Y" if i % 40 == 0 else "N", columns[0][i], disabled(i), columns[1][i], columns[2][i],
                     columns[3][i], columns[4][i]])
    return rows


def write_csv(rows) -> str:  # noqa: ANN001
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def long_table(variable: str, figures: dict[str, int]) -> str:
    rows = [["Lower tier local authorities Code", "Lower tier local authorities", f"{variable} Code", variable,
             "Observation"]]
    rows += [[AREA[0], AREA[1], i + 1, label, n] for i, (label, n) in enumerate(figures.items())]
    return write_csv(rows)


def district_folder(tmp_path, extra: dict | None = None):  # noqa: ANN001, ANN201
    highs: dict[str, list[str]] = {}
    for label in ETHNIC:
        highs.setdefault(label.split(":")[0], []).append(label)
    header = ["date", "geography", "geography code", "Ethnic group: Total: All usual residents"]
    values = ["2021", AREA[1], AREA[0], sum(ETHNIC.values())]
    for high, labels in highs.items():  # nomis prints each high-level total before its parts
        header.append(f"Ethnic group: {high}")
        values.append(sum(ETHNIC[x] for x in labels))
        header += [f"Ethnic group: {x}" for x in labels]
        values += [ETHNIC[x] for x in labels]
    ts021 = write_csv([header, values, ["2021", "Otherdale", "E07000998"] + [7] * (len(header) - 3)])
    disability = [["Lower tier local authorities Code", "Lower tier local authorities", "Age (6 categories) Code",
                   "Age (6 categories)", "Disability (3 categories) Code", "Disability (3 categories)", "Observation"]]
    for i, age in enumerate(AGES_6):
        for j, (group, counts) in enumerate(DISABILITY_BY_AGE.items()):
            disability.append([AREA[0], AREA[1], i + 1, age, j + 1, group, counts[i]])
        disability.append([AREA[0], AREA[1], i + 1, age, -8, "Does not apply", 0])
    subtotals = {}
    for label, n in PARTNERSHIP.items():
        parts = label.split(": ")
        for k in range(1, len(parts)):
            subtotals[": ".join(parts[:k])] = subtotals.get(": ".join(parts[:k]), 0) + n
    ts002_labels = ["Never married and never registered a civil partnership"] + sorted(
        set(subtotals) | set(PARTNERSHIP) - {"Never married and never registered a civil partnership"})
    header = ["date", "geography", "geography code",
              "Marital and civil partnership status: Total: All usual residents aged 16 years and over; measures: Value"]
    header += [f"Marital and civil partnership status: {x}; measures: Value" for x in ts002_labels]
    ts002 = write_csv([header, ["2021", AREA[1], AREA[0], sum(PARTNERSHIP.values())]
                       + [PARTNERSHIP.get(x, subtotals.get(x)) for x in ts002_labels]])
    ts007a = write_csv([["date", "geography", "geography code", "Age: Total"] + [f"Age: {a}" for a in FIVE_YEAR],
                        ["2021", AREA[1], AREA[0], sum(AGE_COUNTS)] + AGE_COUNTS])
    hr = write_csv([["Employee Number", "Legal Sex", "Date of Birth", "Hourly Rate (£)", "SLT Member", "Ethnic Origin",
                     "Disabled (Y/N)", "Sexual Orientation",
                     "Is your gender identity the same as the sex you were registered at birth?", "Marital Status",
                     "Religion or Belief"]] + staff_rows())
    evidence = [{"id": "hr", "type": "workforce-profile", "file": "hr.csv", "date": SNAPSHOT.isoformat()}]
    files = {"hr.csv": hr, "ts021.csv": ts021, "disability.csv": write_csv(disability),
             "ts077.csv": long_table("Sexual orientation (6 categories)", ORIENTATION),
             "ts078.csv": long_table("Gender identity (7 categories)", IDENTITY),
             "ts030.csv": long_table("Religion (10 categories)", RELIGION), "ts002.csv": ts002, "ts007a.csv": ts007a}
    for name in files:
        if name != "hr.csv":
            evidence.append({"id": name.removesuffix(".csv"), "type": "community-profile", "file": name,
                             "date": "2023-01-05"})
    assessment = {"framework": "eflg-2014", "council": {"name": "Testdale District Council"}, "date": "2025-11-14",
                  "evidence": evidence, **(extra or {})}
    return make_folder(tmp_path / "district", {"assessment.yaml": assessment, **files})


@pytest.fixture(scope="module")
def district(tmp_path_factory):  # noqa: ANN001, ANN201
    folder = district_folder(tmp_path_factory.mktemp("census"))
    result = run_efl("assess", folder, "--format", "json").assert_success()
    return {f["name"]: f for f in result.json["facts"]}, result


def ratios_of(staff: dict[str, int], residents: dict[str, float], minimum: int = 10) -> dict[str, float]:
    """Each group's share of staff over its share of residents, over the groups with residents, for
    groups of at least ``minimum`` staff and residents."""
    compared = [g for g in residents if residents[g] > 0]
    staff_total = sum(staff.get(g, 0) for g in compared)
    resident_total = sum(residents[g] for g in compared)
    return {g: (staff.get(g, 0) / staff_total) / (residents[g] / resident_total) for g in compared
            if staff.get(g, 0) >= minimum and residents[g] >= minimum}


def counted(pairs, mapping=None, leave_out=("", "Prefer not to say")):  # noqa: ANN001, ANN201
    out: dict[str, int] = {}
    for label, n in pairs:
        if label in leave_out:
            continue
        key = mapping[label] if mapping else label
        out[key] = out.get(key, 0) + n
    return out


def approx(expected: dict[str, float]):  # noqa: ANN201
    return {k: pytest.approx(v, rel=1e-12) for k, v in expected.items()}


def test_race_in_the_19_detailed_groups_of_all_residents(district):
    facts, _ = district
    staff = counted(HR_ETHNIC, HR_TO_ONS_ETHNIC)
    expected = ratios_of(staff, ETHNIC)
    names = {"White: English, Welsh, Scottish, Northern Irish or British": "White British", "White: Irish": "White Irish",
             "White: Other White": "Other White", "Asian, Asian British or Asian Welsh: Indian": "Indian",
             "Asian, Asian British or Asian Welsh: Pakistani": "Pakistani",
             "Black, Black British, Black Welsh, Caribbean or African: African": "Black African"}
    assert facts["workforce.representation"]["value"]["race"] == approx({names[g]: r for g, r in expected.items()})
    basis = facts["workforce.representation_basis"]["value"]["race"]
    assert basis == {"level": "the 19 detailed ethnic groups", "residents": "residents of all ages", "staff": "all staff",
                     "note": "The profile does not give race by age, so children and people over 64 are counted too.",
                     "caution": ""}
    too_few = facts["workforce.representation_too_few"]["value"]["groups"]["race"]
    assert too_few["White and Black Caribbean"] == {"staff": 6, "residents": 650}
    assert too_few["Roma"] == {"staff": 0, "residents": 90}
    assert len(too_few) == 19 - len(expected)


def test_disability_of_residents_and_staff_aged_16_to_64(district):
    facts, _ = district
    residents = {g: sum(counts[1:5]) for g, counts in DISABILITY_BY_AGE.items()}  # 16-24 ... 50-64
    staff = {"Disabled under the Equality Act": 0, "Not disabled under the Equality Act": 0}
    for i in range(N):
        if 16 <= age_of(i) <= 64 and disabled(i):
            staff["Disabled under the Equality Act" if disabled(i) == "Y" else "Not disabled under the Equality Act"] += 1
    expected = ratios_of(staff, residents)
    assert facts["workforce.representation"]["value"]["disability"] == approx(
        {"Disabled": expected["Disabled under the Equality Act"],
         "Not disabled": expected["Not disabled under the Equality Act"]})
    assert facts["workforce.representation_basis"]["value"]["disability"]["residents"] == "residents aged 16 to 64"
    assert facts["workforce.representation_basis"]["value"]["disability"]["staff"] == "staff aged 16 to 64"


def test_sexual_orientation_heterosexual_included(district):
    facts, _ = district
    staff = counted(HR_ORIENTATION, {"Straight": "Straight or Heterosexual", "Gay man": "Gay or Lesbian",
                                     "Gay woman/lesbian": "Gay or Lesbian", "Bisexual": "Bisexual"})
    residents = {g: n for g, n in ORIENTATION.items() if g not in ("Not answered", "Does not apply")}
    expected = ratios_of(staff, residents)
    assert facts["workforce.representation"]["value"]["sexual_orientation"] == approx(
        {"straight or heterosexual": expected["Straight or Heterosexual"],
         "gay or lesbian": expected["Gay or Lesbian"], "bisexual": expected["Bisexual"]})
    assert "16 and over" in facts["workforce.representation_basis"]["value"]["sexual_orientation"]["residents"]


def test_gender_reassignment_from_gender_identity(district):
    facts, _ = district
    residents = {"same": IDENTITY["Gender identity the same as sex registered at birth"],
                 "different": sum(n for g, n in IDENTITY.items()
                                  if g not in ("Gender identity the same as sex registered at birth", "Not answered"))}
    staff = {"same": 380, "different": 12}  # the question asks "the same as ... at birth?": yes is the same
    expected = ratios_of(staff, residents)
    assert facts["workforce.representation"]["value"]["gender_reassignment"] == approx(
        {"the same as sex registered at birth": expected["same"],
         "different from sex registered at birth": expected["different"]})
    assert "official statistics in development" in facts["workforce.representation_basis"]["statement"]


def test_marriage_and_civil_partnership_from_legal_partnership_status(district):
    facts, _ = district

    def total(prefix: str) -> int:
        return sum(n for g, n in PARTNERSHIP.items() if g.startswith(prefix))

    residents = {"never": total("Never married"), "married": total("Married or in a registered civil partnership: Married"),
                 "cp": total("Married or in a registered civil partnership: In a"), "separated": total("Separated"),
                 "divorced": total("Divorced or civil partnership dissolved: Divorced"),
                 "dissolved": total("Divorced or civil partnership dissolved: Formerly"),
                 "widowed": total("Widowed or surviving civil partnership partner: Widowed"),
                 "surviving": total("Widowed or surviving civil partnership partner: Surviving")}
    staff = counted(HR_MARITAL, {"Married": "married", "Single": "never", "Civil Partnership": "cp",
                                 "Divorced": "divorced", "Widowed": "widowed", "Separated": "separated",
                                 "Cohabiting": None})
    staff.pop(None)  # cohabiting is not a legal partnership status: left out, and said so
    expected = ratios_of(staff, residents)
    names = {"never": "never married or in a civil partnership", "married": "married", "cp": "in a civil partnership",
             "separated": "separated", "divorced": "divorced", "widowed": "widowed"}
    assert facts["workforce.representation"]["value"]["marriage_civil_partnership"] == approx(
        {names[g]: r for g, r in expected.items()})
    assert "'cohabiting' (20 staff) left out" in facts["workforce.representation_not_compared"]["value"][
        "marriage_civil_partnership"]
    assert facts["workforce.representation_too_few"]["value"]["groups"]["marriage_civil_partnership"] == {
        "formerly in a civil partnership now dissolved": {"staff": 0, "residents": 60},
        "surviving civil partner": {"staff": 0, "residents": 20}}


def test_age_in_the_census_five_year_bands_from_dates_of_birth(district):
    facts, _ = district
    # Within 16 to 64, the bands both files can make are 20-24 ... 60-64 (15-19 crosses 16).
    residents = {f"{a}-{a + 4}": AGE_COUNTS[a // 5] for a in range(20, 65, 5)}
    staff: dict[str, int] = {}
    for i in range(N):
        a = age_of(i)
        if 20 <= a <= 64:
            band = f"{a - a % 5}-{a - a % 5 + 4}"
            staff[band] = staff.get(band, 0) + 1
    assert facts["workforce.representation"]["value"]["age"] == approx(ratios_of(staff, residents))


def test_the_lowest_ratio_and_every_figure_is_said_in_words(district):
    facts, result = district
    everything = facts["workforce.representation"]["value"]
    low = min(r for groups in everything.values() for r in groups.values())
    assert facts["workforce.lowest_representation_ratio"]["value"] == pytest.approx(low)
    assert facts["workforce.lowest_representation_ratio"]["statement"].startswith("Among the groups both files share")
    # The export's own headers were all read (the senior flag and the gender identity question included).
    assert set(facts["workforce.columns"]["value"]) >= {"sex", "date_of_birth", "hourly_pay", "senior",
                                                        "race", "disability", "sexual_orientation",
                                                        "gender_reassignment", "marriage_civil_partnership",
                                                        "religion_or_belief"}
    assert "'Cohabiting'" in result.stderr and "Marital Status: 20 rows say" in result.stderr


def test_the_threshold_for_too_few_is_the_councils(tmp_path):
    folder = district_folder(tmp_path, {"values": {"min_group": 5}})
    facts = {f["name"]: f for f in run_efl("assess", folder, "--format", "json").assert_success().json["facts"]}
    race = facts["workforce.representation"]["value"]["race"]
    assert "White and Black Caribbean" in race  # 6 staff: enough at a threshold of 5
    assert facts["workforce.representation_too_few"]["statement"].startswith(
        "Some groups are too small to compare (fewer than 5 staff")


# --- a plugin standing in for the community profile ------------------------------------------------

def guide_example() -> dict:
    """The example of "Standing in for a built-in evidence type" in docs/plugins.md, run as written."""
    from conftest import ROOT

    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = guide.split("## Standing in for a built-in evidence type", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "docs/plugins.md", "exec"), namespace)  # noqa: S102 - the guide's own example
    return namespace


def test_a_plugins_community_profile_feeds_the_built_in_facts_and_comparison(tmp_path):
    import json

    example = guide_example()
    figures = {"race": {"White: English, Welsh, Scottish, Northern Irish or British": 9000, "White: Irish": 1000},
               "disability": {"Disabled under the Equality Act": 2000, "Not disabled under the Equality Act": 8000}}
    staff = "employee_id,sex,hourly_pay,bonus_pay,ethnicity,disabled\n" + "".join(
        f"E{i},{'F' if i % 2 else 'M'},{12 + i % 7},0,{'White - Irish' if i < 20 else 'White - British'},"
        f"{'Y' if i % 5 == 0 else 'N'}\n" for i in range(100))
    evidence = [{"id": "hr", "type": "workforce-profile", "file": "hr.csv", "date": "2025-03-31"},
                {"id": "census", "type": "census-json", "file": "census.json", "date": "2023-01-05"}]
    folder = make_folder(tmp_path / "plugin", {
        "assessment.yaml": {"framework": "eflg-2014", "council": {"name": "Testdale"}, "date": "2025-11-14",
                            "evidence": evidence},
        "hr.csv": staff, "census.json": json.dumps(figures)})
    result = run_efl("assess", folder, "--format", "json", plugins=[("census-json", example["CensusJson"]())])
    facts = {f["name"]: f for f in result.assert_success().json["facts"]}
    assert facts["communities.characteristics_covered"]["value"] == 2
    assert facts["communities.characteristics_covered"]["evidence"] == ["census"]
    # White Irish: 20 of 100 staff against 1,000 of 10,000 residents -> 0.2 / 0.1 = 2.
    race = facts["workforce.representation"]["value"]["race"]
    assert race == {"White British": pytest.approx(0.8 / 0.9), "White Irish": pytest.approx(2.0)}
    assert sorted(facts["workforce.representation"]["evidence"]) == ["census", "hr"]
    # The criterion that asks for a community profile counts the plugin's item.
    folder_result = result.json
    profile_criteria = [c for a in folder_result["areas"] for c in a["criteria"]
                        if "community-profile" in json.dumps(c["trace"]) and c["outcome"] == "met"]
    assert profile_criteria


def test_a_type_that_says_it_provides_a_profile_but_returns_something_else_is_named(tmp_path):
    import efl

    class Broken:
        @efl.hookimpl
        def efl_register_evidence_types(self, register):  # noqa: ANN001, ANN201
            register(efl.EvidenceType("broken-census", "Broken", ("csv",), lambda d, i, a: {"race": 1},
                                      provides=("community-profile",)))

    folder = make_folder(tmp_path / "broken", {
        "assessment.yaml": {"framework": "eflg-2014", "council": {"name": "T"}, "date": "2025-11-14",
                            "evidence": [{"id": "c", "type": "broken-census", "file": "c.csv", "date": "2023-01-01"}]},
        "c.csv": "a,b\n1,2\n"})
    result = run_efl("validate", folder, plugins=[("broken-census", Broken())])
    result.assert_exit(3)
    assert "broken-census" in result.stderr and "returned dict (expected CommunityProfile" in result.stderr
