"""How a cell of a characteristic is read, and how age bands line up (efl.workforce.groups).

Written to kill the mutants mutation testing found alive (tests/mutation/README.md), above all the
age band edges. Every expected band, merge and reading below is worked out by hand from the labels
(HR bands, ONS's "Aged 16 to 24 years") and from the Census 2021 classification files' own words
(frameworks/classifications/*.yaml), not from efl's code.
"""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest

from efl.workforce import groups as g
from efl.workforce.groups import (DECLINED, GROUP, NOT_RECORDED, OTHER_ANSWER, UNRECOGNISED, Reading, Vocabulary,
                                  age_band, merge_age_bands, parse_age_range)

V = g.DEFAULT_VOCABULARY


@pytest.mark.parametrize("text, expected", [
    ("  White_British ", "white british"), ("WHITE   BRITISH", "white british"), ("White\u00a0British", "white british"),
    ("a_b_c", "a b c"), ("\tNot\nknown", "not known"), (unicodedata.normalize("NFD", "Métis"), "métis"), ("", ""),
])
def test_key(text, expected):
    assert g.key(text) == expected


@pytest.mark.parametrize("label, band", [
    ("16-24", (16, 24)), ("16 - 24", (16, 24)), ("16 to 24", (16, 24)), ("16–24", (16, 24)), ("16—24", (16, 24)),
    ("Aged 16 to 24 years", (16, 24)), ("aged 16-24", (16, 24)), ("Age 16 to 24", (16, 24)),
    ("16 yrs - 24 yrs", (16, 24)), ("16 years old to 24 years old", (16, 24)), ("16 yr-24 yr", (16, 24)),
    ("AGED 16 TO 24 YEARS", (16, 24)), ("  16 - 24  ", (16, 24)), ("16-24 years", (16, 24)),
    ("16-16", (16, 16)), ("0-4", (0, 4)), ("100-120", (100, 120)),
    ("65+", (65, None)), ("65 +", (65, None)), ("65 plus", (65, None)), ("65 and over", (65, None)),
    ("65 and above", (65, None)), ("65 or over", (65, None)), ("65 or older", (65, None)),
    ("65 and older", (65, None)), ("Aged 65 years and over", (65, None)), ("65 years+", (65, None)),
    ("16 and under", (0, 16)), ("Aged 4 years and under", (0, 4)), ("4 or under", (0, 4)), ("4 or younger", (0, 4)),
    ("4 and younger", (0, 4)),
    ("under 16", (0, 15)), ("below 16", (0, 15)), ("less than 16", (0, 15)), ("Aged under 1 year", (0, 0)),
    ("Under 25 years", (0, 24)),
    ("37", (37, 37)), ("Aged 1 year", (1, 1)), ("Aged 37 years", (37, 37)), ("0", (0, 0)),
    ("Age: Aged 30 to 34 years", (30, 34)), ("age band: 16-24", (16, 24)), ("Age group: 65+", (65, None)),
])
def test_age_band(label, band):
    assert age_band(label) == band


@pytest.mark.parametrize("label", [
    "24-16", "1000", "1000-1001", "16-1000", "", "sixteen", "16-24-34", "under 0", "16 to", "to 24", "+65",
    "16 over", "Total", "Aged 16 to 24 years or so", "age: ", "16.5",
])
def test_not_an_age_band(label):
    assert age_band(label) is None


def test_parse_age_range():
    assert parse_age_range("16-64") == (16, 64)
    assert parse_age_range("16+") == (16, None)
    assert parse_age_range("Aged 16 to 64 years") == (16, 64)
    with pytest.raises(ValueError) as caught:
        parse_age_range("adults")
    assert str(caught.value) == "'adults' is not an age range (expected e.g. 16-64 or 16+)"


def test_merge_hr_bands_into_the_census_table():
    table = ["16-24", "25-34", "35-49", "50-64", "65+"]
    people = ["16-19", "20-24", "25-29", "30-34", "35-44", "45-54", "55-64"]
    merged = merge_age_bands(table, people, 16, 64)
    # 45-54 crosses the table's line at 50, so 35-49 and 50-64 are added up into 35-64; 65+ is outside.
    assert merged.left == {"16-24": ["16-24"], "25-34": ["25-34"], "35-64": ["35-49", "50-64"]}
    assert merged.right == {"16-24": ["16-19", "20-24"], "25-34": ["25-29", "30-34"],
                            "35-64": ["35-44", "45-54", "55-64"]}
    assert merged.left_out == ["65+"]


def test_merge_leaves_out_subtotals_and_bands_outside_the_range():
    table = ["Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years", "Aged 16 to 34 years",
             "Aged 35 years and over"]
    people = ["20", "31", "40", "16-17"]
    merged = merge_age_bands(table, people, 16, None)
    assert merged.left == {"16-24": ["Aged 16 to 24 years"], "25-34": ["Aged 25 to 34 years"],
                           "35+": ["Aged 35 years and over"]}
    assert merged.right == {"16-24": ["20", "16-17"], "25-34": ["31"], "35+": ["40"]}
    assert merged.left_out == ["Aged 15 years and under", "Aged 16 to 34 years"]


def test_merge_when_people_bands_cross_every_line():
    merged = merge_age_bands(["16-24", "25-34", "35-44"], ["16-29", "30-44", "50"], 16, 44)
    assert merged.left == {"16-44": ["16-24", "25-34", "35-44"]}
    assert merged.right == {"16-44": ["16-29", "30-44"]}
    assert merged.left_out == ["50"]


def test_merge_leaves_out_people_in_a_band_the_table_lacks():
    merged = merge_age_bands(["16-24", "35-44"], ["20", "40", "30"], 16, 44)
    assert merged.left == {"16-24": ["16-24"], "35-44": ["35-44"]}
    assert merged.right == {"16-24": ["20"], "35-44": ["40"]}
    assert merged.left_out == ["30"]


def test_merge_keeps_a_table_band_nobody_is_in():
    merged = merge_age_bands(["16-24", "25-34"], ["20"], 16, 34)
    assert merged.left == {"16-24": ["16-24"], "25-34": ["25-34"]}
    assert merged.right == {"16-24": ["20"], "25-34": []}
    assert merged.left_out == []


def test_merge_refuses_a_merged_band_the_table_does_not_fill():
    # 18-27 crosses the lines at 20 and 25, so 16-19 and 25-29 would make 16-29, but 20-24 is missing.
    merged = merge_age_bands(["16-19", "25-29"], ["18-27"], 16, 29)
    assert merged.left == {} and merged.right == {}
    assert merged.left_out == ["16-19", "18-27", "25-29"]


def test_merge_leaves_out_bands_below_the_first_line():
    merged = merge_age_bands(["20-29"], ["16-29"], 16, 29)
    assert (merged.left, merged.right, merged.left_out) == ({}, {}, ["16-29", "20-29"])


def test_merge_leaves_out_bands_straddling_the_range():
    merged = merge_age_bands(["10-19", "20-29", "30-39", "60-69"], ["21", "35", "12"], 16, 64)
    assert merged.left == {"20-29": ["20-29"], "30-39": ["30-39"]}
    assert merged.right == {"20-29": ["21"], "30-39": ["35"]}
    assert merged.left_out == ["10-19", "12", "60-69"]


def test_merge_exact_range_edges_are_inside():
    merged = merge_age_bands(["16-24", "25-64", "65+"], ["16", "64", "65"], 16, 64)
    assert merged.left == {"16-24": ["16-24"], "25-64": ["25-64"]}
    assert merged.right == {"16-24": ["16"], "25-64": ["64"]}
    assert merged.left_out == ["65", "65+"]


def test_merge_a_band_listed_twice_is_not_a_subtotal():
    # One part is no subtotal; but both together fill 16-64 twice over, so neither can be used.
    merged = merge_age_bands(["16-64", "16 to 64"], ["30"], 16, 64)
    assert merged.left == {} and merged.right == {}
    assert merged.left_out == ["16 to 64", "16-64", "30"]


def test_merge_a_band_with_a_gap_inside_is_not_a_subtotal():
    # 16-24 and 30-34 do not make up 16-34 (25-29 is missing), so it is no subtotal: it crosses the
    # table's own line at 25 and is left out; the two bands inside it are kept.
    merged = merge_age_bands(["16-34", "16-24", "30-34"], ["20"], 16, 34)
    assert merged.left == {"16-24": ["16-24"], "30-34": ["30-34"]}
    assert merged.right == {"16-24": ["20"], "30-34": []}
    assert merged.left_out == ["16-34"]


def test_merge_gives_none_for_a_label_that_is_no_band():
    assert merge_age_bands(["16-24", "Total"], ["20"], 16, None) is None
    assert merge_age_bands(["16-24"], ["twenty"], 16, None) is None


def test_band_names_and_bounds():
    assert g._band_name(16, 24) == "16-24"
    assert g._band_name(65, 998) == "65+"
    assert g._band_name(65, 999) == "65+"
    assert g._band_name(65, 997) == "65-997"
    assert g._band_bounds("65+") == (65, 999)
    assert g._band_bounds("16-24") == (16, 24)


@pytest.mark.parametrize("lo, hi, parts, expected", [
    (16, 34, [(16, 24), (25, 34)], True), (16, 34, [(25, 34), (16, 24)], True), (16, 34, [(16, 34)], False),
    (16, 34, [(16, 24), (26, 34)], False), (16, 34, [(16, 24), (25, 33)], False), (16, 34, [(17, 24), (25, 34)], False),
    (16, 34, [(16, 24), (20, 34)], False), (16, 34, [], False), (0, 2, [(0, 0), (1, 1), (2, 2)], True),
])
def test_tiled(lo, hi, parts, expected):
    assert g._tiled(lo, hi, parts) is expected


# --- reading a cell ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, reading", [
    ("F", Reading(GROUP, "female")), ("Female", Reading(GROUP, "female")), ("woman", Reading(GROUP, "female")),
    (" W ", Reading(GROUP, "female")), ("M", Reading(GROUP, "male")), ("Man", Reading(GROUP, "male")),
    ("boy", Reading(GROUP, "male")), ("", Reading(NOT_RECORDED)), ("Not known", Reading(NOT_RECORDED)),
    ("N/A", Reading(NOT_RECORDED)), ("  unknown ", Reading(NOT_RECORDED)), ("Prefer not to say", Reading(DECLINED)),
    ("DECLINED", Reading(DECLINED)), ("Non-binary", Reading(OTHER_ANSWER)), ("X", Reading(OTHER_ANSWER)),
    ("Q", Reading(UNRECOGNISED)), ("Femail", Reading(UNRECOGNISED)),
])
def test_reading_sex(cell, reading):
    assert V.read("sex", cell) == reading


@pytest.mark.parametrize("characteristic, cell, reading", [
    ("race", "White: English, Welsh, Scottish, Northern Irish or British", Reading(GROUP, "white-british", True)),
    ("race", "White: Irish", Reading(GROUP, "white-irish", True)),
    ("race", "BAFR", Reading(GROUP, "african", True)),          # id: african in ethnic-group.yaml
    ("race", "Martian", Reading(GROUP, "martian", False)),
    ("race", "REFU", Reading(DECLINED)),          # the ethnic group file's own word for declined
    ("race", "NS", Reading(NOT_RECORDED)),         # ... and for not stated
    ("race", "Total", Reading(NOT_RECORDED)),      # a total row is nobody's answer
    ("race", "Does not apply", Reading(NOT_RECORDED)),
    ("race", "not known", Reading(NOT_RECORDED)),
    ("race", "Prefer not to say", Reading(DECLINED)),
    ("age", "35-44", Reading(GROUP, "35-44")),     # ages are bands, not categories
    ("age", "Not known", Reading(NOT_RECORDED)),
    ("care_leaver", "Yes", Reading(GROUP, "yes")),  # a local characteristic: no classification
    ("", "Anything", Reading(GROUP, "anything")),
])
def test_reading_classified_characteristics(characteristic, cell, reading):
    assert V.read(characteristic, cell) == reading


@pytest.mark.parametrize("cell, yes_no, reading", [
    ("Yes", None, Reading(GROUP, "yes", False)),
    ("N", None, Reading(GROUP, "n", False)),
    ("Yes", ("same-as-birth", "different-from-birth"), Reading(GROUP, "same-as-birth", True)),
    ("y", ("same-as-birth", "different-from-birth"), Reading(GROUP, "same-as-birth", True)),
    ("TRUE", ("same-as-birth", "different-from-birth"), Reading(GROUP, "same-as-birth", True)),
    ("No", ("same-as-birth", "different-from-birth"), Reading(GROUP, "different-from-birth", True)),
    ("n", ("different-from-birth", "same-as-birth"), Reading(GROUP, "same-as-birth", True)),
    ("false", ("different-from-birth", "same-as-birth"), Reading(GROUP, "same-as-birth", True)),
])
def test_a_bare_yes_or_no_is_read_by_the_question(cell, yes_no, reading):
    assert V.read("gender_reassignment", cell, yes_no) == reading


def test_yes_no_words():
    assert g.YES_NO == {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def test_a_councils_own_words():
    vocabulary = Vocabulary.build(not_recorded=["ZZ"], declined=["Refused to answer"],
                                  groups={"sex": {"female": ["1"], "male": ["2"]},
                                          "race": {"White British": ["WBRI-X"], "Martian": ["MARS"]},
                                          "care_leaver": {"Yes": ["Y1"]}})
    assert vocabulary.read("sex", "zz") == Reading(NOT_RECORDED)
    assert vocabulary.read("disability", " ZZ ") == Reading(NOT_RECORDED)
    assert vocabulary.read("sex", "refused  to answer") == Reading(DECLINED)
    assert vocabulary.read("sex", "1") == Reading(GROUP, "female")
    assert vocabulary.read("sex", "2") == Reading(GROUP, "male")
    assert vocabulary.read("sex", "F") == Reading(GROUP, "female")     # the built-in words stay
    # A group the Census names joins its category; one it does not know stays the council's own.
    assert vocabulary.read("race", "wbri-x") == Reading(GROUP, "white-british", True)
    assert vocabulary.read("race", "White British") == Reading(GROUP, "white-british", True)
    assert vocabulary.read("race", "mars") == Reading(GROUP, "martian", False)
    assert vocabulary.read("race", "MARTIAN") == Reading(GROUP, "martian", False)
    assert vocabulary.read("care_leaver", "y1") == Reading(GROUP, "yes", None)
    # The built-in vocabulary does not learn a council's words.
    assert V.read("sex", "1") == Reading(UNRECOGNISED)
    assert V.read("sex", "zz") == Reading(UNRECOGNISED)
    assert "zz" in vocabulary.not_recorded and "refused to answer" in vocabulary.declined
    assert g.NOT_RECORDED_WORDS <= vocabulary.not_recorded and g.DECLINED_WORDS <= vocabulary.declined


def test_a_plain_vocabulary_knows_no_spellings_of_sex():
    assert Vocabulary().read("sex", "F") == Reading(UNRECOGNISED)
    assert Vocabulary().read("sex", "") == Reading(NOT_RECORDED)


def test_vocabulary_for_an_assessment():
    plain = g.vocabulary_for(SimpleNamespace(values=None))
    assert plain.read("sex", "F") == Reading(GROUP, "female")
    assert plain.read("sex", "ZZ") == Reading(UNRECOGNISED)
    values = SimpleNamespace(not_recorded=["ZZ"], declined=["Nope"], groups={"sex": {"female": ["1"]}})
    own = g.vocabulary_for(SimpleNamespace(values=values))
    assert own.read("sex", "ZZ") == Reading(NOT_RECORDED)
    assert own.read("sex", "nope") == Reading(DECLINED)
    assert own.read("sex", "1") == Reading(GROUP, "female")
    assert own.classifications is not None
    assert own.read("race", "White: Irish") == Reading(GROUP, "white-irish", True)


def test_kinds_of_answer_are_named_in_words():
    assert (GROUP, NOT_RECORDED, DECLINED, OTHER_ANSWER, UNRECOGNISED) == (
        "group", "not recorded", "declined", "another answer", "not recognised")


def test_merge_uses_a_subtotals_parts_when_people_cross_their_line():
    # 25-44 is the sum of 25-34 and 35-44, so it is left out; 30-40 crosses the line at 35, so the two
    # parts are added up into 25-44 again, made of the parts only (not counted twice with the subtotal).
    merged = merge_age_bands(["16-24", "25-34", "35-44", "25-44"], ["30-40"], 16, 44)
    assert merged.left == {"16-24": ["16-24"], "25-44": ["25-34", "35-44"]}
    assert merged.right == {"16-24": [], "25-44": ["30-40"]}
    assert merged.left_out == ["25-44"]
    first = merge_age_bands(["16-24", "25-34", "16-34"], ["20-30"], 16, 34)
    assert first.left == {"16-34": ["16-24", "25-34"]}
    assert first.right == {"16-34": ["20-30"]}
    assert first.left_out == ["16-34"]


def test_merge_a_person_band_ending_on_a_tables_first_age_crosses_its_line():
    # 20-25 holds 25, the first age of the table's 25-34: the line at 25 cannot be kept.
    merged = merge_age_bands(["16-24", "25-34"], ["20-25"], 16, 34)
    assert merged.left == {"16-34": ["16-24", "25-34"]}
    assert merged.right == {"16-34": ["20-25"]}
    assert merged.left_out == []


def test_merge_overlapping_table_bands_cannot_be_used():
    # 16-25 and 25-34 both hold 25: each crosses the other's line.
    merged = merge_age_bands(["16-25", "25-34"], ["30"], 16, 34)
    assert (merged.left, merged.right, merged.left_out) == ({}, {}, ["16-25", "25-34", "30"])


def test_a_vocabulary_reads_with_the_classifications_it_is_given():
    from efl.workforce.classification import ClassificationSet, built_in

    without_race = ClassificationSet([c for c in built_in() if c.characteristic != "race"])
    vocabulary = Vocabulary.build(classifications=without_race)
    assert vocabulary.classifications is without_race
    assert vocabulary.read("race", "White: Irish") == Reading(GROUP, "white: irish")
    assert vocabulary.read("religion_or_belief", "Christian") == Reading(GROUP, "christian", True)
    own = Vocabulary.build(groups={"race": {"White British": ["WBRI-X"]}}, classifications=without_race)
    assert own.read("race", "wbri-x") == Reading(GROUP, "white british", None)
    # An assessment handed its classifications by the engine reads with them.
    assessment = SimpleNamespace(values=None, _classifications=without_race)
    assert g.vocabulary_for(assessment).classifications is without_race
    assert g.vocabulary_for(assessment).read("race", "White: Irish") == Reading(GROUP, "white: irish")
    values = SimpleNamespace(not_recorded=[], declined=[], groups={})
    with_values = SimpleNamespace(values=values, _classifications=without_race)
    assert g.vocabulary_for(with_values).classifications is without_race
    # Something with no values at all (an assessment of an older form) reads with the built-in words.
    assert g.vocabulary_for(SimpleNamespace()).read("sex", "F") == Reading(GROUP, "female")


def test_merge_finds_a_subtotal_beside_a_band_that_overlaps_it():
    # 25-44 is 25-34 plus 35-44, whatever 20-30 (which starts before it) overlaps; 26-40 crosses the
    # lines at 31 and 35, so 25-34 and 35-44 are added up into 25-44, and 20-30 cannot be used.
    merged = merge_age_bands(["16-19", "20-30", "25-34", "35-44", "25-44"], ["26-40"], 16, 44)
    assert merged.left == {"16-19": ["16-19"], "25-44": ["25-34", "35-44"]}
    assert merged.right == {"16-19": [], "25-44": ["26-40"]}
    assert merged.left_out == ["20-30", "25-44"]


def test_a_councils_groups_add_only_their_own_spellings():
    vocabulary = Vocabulary.build(groups={"sex": {"female": ["1"]}, "race": {"Martian": ["MARS"]}})
    assert vocabulary.read("sex", "None") == Reading(UNRECOGNISED)
    assert vocabulary.read("race", "none") == Reading(GROUP, "none", False)
