"""Reading the words people write for efl's enumerated values (efl.core.vocabulary), word by word.

Written to kill the mutants mutation testing found alive (tests/mutation/README.md). Every expected
id and every message below is written out by hand from what the module promises: one key for every
spelling, the choices listed in efl's own words, the nearest choice offered.
"""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest

from efl.core import vocabulary as v

NINE = ["age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity", "race",
        "religion_or_belief", "sex", "sexual_orientation"]
EFLG = SimpleNamespace(id="eflg-2021", levels=[SimpleNamespace(id="developing", title="Developing"),
                                               SimpleNamespace(id="achieving", title="Achieving"),
                                               SimpleNamespace(id="excellent", title="Excellent")])
STANDARD = SimpleNamespace(id="eslg", levels=[SimpleNamespace(id=f"eslg-{n}", title=f"Level {n}") for n in (1, 2, 3)])
OUTCOMES_SHOWN = "one of: met, not met, not applicable, insufficient evidence"


@pytest.mark.parametrize("text, expected", [
    ("Not met", "not_met"), ("not_met", "not_met"), ("NOT-MET", "not_met"), ("  not   met  ", "not_met"),
    ("not - _ met", "not_met"), ("--a__b--", "a_b"), ("\tTab\nNew", "tab_new"), ("ÉQUIPE", "équipe"),
    ("Straße", "strasse"), (unicodedata.normalize("NFD", "Café"), "café"), (3, "3"), ("", ""),
])
def test_key(text, expected):
    assert v.key(text) == expected


@pytest.mark.parametrize("text, expected", [("Six monthly", "sixmonthly"), ("SIX_MONTHLY", "sixmonthly"),
                                            ("six-monthly ", "sixmonthly"), ("a b-c_d", "abcd")])
def test_compact(text, expected):
    assert v.compact(text) == expected


def test_names_compare_in_one_form_any_case_any_spacing():
    assert v.name_key("  Royal  Borough\tof Kingston ") == "royal borough of kingston"
    assert v.same_name("Royal Borough of  Kingston", "royal borough of kingston")
    assert v.same_name(unicodedata.normalize("NFD", "Ceredigion Cyngor Sir Ñ"), "CEREDIGION cyngor sir ñ")
    # Only white space is loose in a name: a hyphen or an underscore is part of it.
    assert not v.same_name("Kingston upon Thames", "Kingston-upon-Thames")
    assert not v.same_name("North_Tyneside", "North Tyneside")
    assert not v.same_name("Barnet", "Barnsley")


def test_unknown_word_messages():
    two = v.UnknownWord("x", "a role", ["self", "peer"])
    assert str(two) == "'x' is not a role (expected self or peer)"
    assert (two.word, two.what, two.choices, two.guess) == ("x", "a role", ["self", "peer"], None)
    three = v.UnknownWord("mett", "an outcome", ["met", "not met", "n/a"], "met")
    assert str(three) == "'mett' is not an outcome (did you mean 'met'? expected one of: met, not met, n/a)"
    assert three.guess == "met"
    assert isinstance(three, ValueError)
    one = v.UnknownWord("z", "a thing", ["only"])
    assert str(one) == "'z' is not a thing (expected only)"


@pytest.mark.parametrize("word, written", [(None, "null"), (True, "true"), (False, "false"), (0, "0"), (1, "1"),
                                           (2.5, "2.5")])
def test_unknown_word_writes_values_as_yaml_does(word, written):
    assert str(v.UnknownWord(word, "a status", ["met", "partly"])) == f"'{written}' is not a status (expected met or partly)"


@pytest.mark.parametrize("text, expected", [
    ("met", "met"), ("Met", "met"), ("not met", "not_met"), ("NOT-MET", "not_met"), ("notmet", "not_met"),
    ("Not Applicable", "not_applicable"), ("N/A", "not_applicable"), ("na", "not_applicable"), ("NA", "not_applicable"),
    ("insufficient evidence", "insufficient_evidence"), ("InsufficientEvidence", "insufficient_evidence"),
])
def test_outcome(text, expected):
    assert v.outcome(text) == expected


@pytest.mark.parametrize("text, message", [
    ("mett", f"'mett' is not an outcome (did you mean 'met'? expected {OUTCOMES_SHOWN})"),
    ("not mett", f"'not mett' is not an outcome (did you mean 'not met'? expected {OUTCOMES_SHOWN})"),
    ("insuficient evidence", "'insuficient evidence' is not an outcome (did you mean 'insufficient evidence'? "
                             f"expected {OUTCOMES_SHOWN})"),
    ("yes", f"'yes' is not an outcome (expected {OUTCOMES_SHOWN})"),
    (None, f"'null' is not an outcome (expected {OUTCOMES_SHOWN})"),
    (True, f"'true' is not an outcome (expected {OUTCOMES_SHOWN})"),
    (3, f"'3' is not an outcome (expected {OUTCOMES_SHOWN})"),
])
def test_an_unknown_outcome_says_what_is_expected(text, message):
    with pytest.raises(v.UnknownWord) as caught:
        v.outcome(text)
    assert str(caught.value) == message


def test_outcome_words():
    assert v.OUTCOMES == {"met": "met", "not_met": "not met", "not_applicable": "not applicable",
                          "insufficient_evidence": "insufficient evidence"}


@pytest.mark.parametrize("text, expected", [
    ("met", "met"), ("MET", "met"), ("partly", "partly"), ("Partly met", "partly"), ("partially", "partly"),
    ("Partially met", "partly"), ("partially-met", "partly"), ("not met", "not met"), ("Not_Met", "not met"),
    ("partlymet", "partly"), ("NotMet", "not met"),
])
def test_manager_status(text, expected):
    assert v.manager_status(text) == expected


def test_an_unknown_manager_status():
    with pytest.raises(v.UnknownWord) as caught:
        v.manager_status("partial")
    assert str(caught.value) == "'partial' is not a status (did you mean 'partly'? expected one of: met, partly, not met)"
    assert v.MANAGER_STATUSES == ("met", "partly", "not met")


def test_choose_by_compact_form_only_when_it_means_one_thing():
    same = {"a_bc": "x", "ab_c": "x"}
    assert v.choose("abc", same, "a word", ["x"]) == "x"
    assert v.choose("A-B-C", same, "a word", ["x"]) == "x"
    two = {"a_bc": "x", "ab_c": "y"}
    assert v.choose("A BC", two, "a word", ["x", "y"]) == "x"   # its own key decides first
    with pytest.raises(v.UnknownWord) as caught:
        v.choose("abc", two, "a word", ["x", "y"])
    assert caught.value.word == "abc"
    assert caught.value.guess in ("x", "y")   # both are as near; one is offered


def test_choose_refuses_what_is_not_text_without_guessing():
    with pytest.raises(v.UnknownWord) as caught:
        v.choose(["met"], {"met": "met"}, "an outcome", ["met"])
    assert caught.value.guess is None
    assert str(caught.value) == "'['met']' is not an outcome (expected met)"


def test_choose_guesses_only_what_is_near():
    table = {"alpha": "a", "beta": "b"}
    with pytest.raises(v.UnknownWord) as far:
        v.choose("zzzzz", table, "a letter", ["alpha", "beta"])
    assert far.value.guess is None
    with pytest.raises(v.UnknownWord) as near:
        v.choose("alpah", table, "a letter", ["alpha", "beta"])
    assert near.value.guess == "alpha"
    # A guess not among the words shown is offered as its canonical value.
    with pytest.raises(v.UnknownWord) as hidden:
        v.choose("gamma", {"gamma_ray": "g"}, "a ray", ["something else"])
    assert hidden.value.guess == "g"


@pytest.mark.parametrize("text, expected", [
    ("Developing", "developing"), ("ACHIEVING", "achieving"), ("excellent", "excellent"),
    ("Achieving (achieving)", "achieving"), ("  excellent  ", "excellent"),
])
def test_level_id_eflg(text, expected):
    assert v.level_id(EFLG, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Level 1", "eslg-1"), ("level 2", "eslg-2"), ("LEVEL-3", "eslg-3"), ("eslg-2", "eslg-2"), ("ESLG 3", "eslg-3"),
    ("Level 2 (eslg-2)", "eslg-2"), ("level2", "eslg-2"),
])
def test_level_id_equality_standard(text, expected):
    assert v.level_id(STANDARD, text) == expected


def test_an_unknown_level_lists_the_levels_in_efls_words():
    with pytest.raises(v.UnknownWord) as caught:
        v.level_id(EFLG, "great")
    assert str(caught.value) == "'great' is not a level of eflg-2021 (expected one of: Developing, Achieving, Excellent)"
    with pytest.raises(v.UnknownWord) as standard:
        v.level_id(STANDARD, "Level 4")
    assert str(standard.value).startswith("'Level 4' is not a level of eslg (did you mean 'Level 3 (eslg-3)'? ")
    assert str(standard.value).endswith("expected one of: Level 1 (eslg-1), Level 2 (eslg-2), Level 3 (eslg-3))")
    with pytest.raises(v.UnknownWord) as achieve:
        v.level_id(EFLG, "Acheiving")
    assert achieve.value.guess == "Achieving"
    with pytest.raises(v.UnknownWord) as number:
        v.level_id(EFLG, 2)
    assert str(number.value) == "'2' is not a level of eflg-2021 (expected one of: Developing, Achieving, Excellent)"


@pytest.mark.parametrize("framework, text, expected", [
    (EFLG, None, None), (EFLG, "Not yet Developing", None), (EFLG, "not-yet developing", None),
    (EFLG, "NOT YET DEVELOPING", None), (EFLG, "Developing", "developing"), (EFLG, "Excellent", "excellent"),
    (STANDARD, "Not yet Level 1", None), (STANDARD, "Level 1", "eslg-1"),
])
def test_level_or_none(framework, text, expected):
    assert v.level_or_none(framework, text) == expected


def test_not_yet_a_later_level_is_no_level_word():
    with pytest.raises(v.UnknownWord):
        v.level_or_none(EFLG, "Not yet Achieving")


@pytest.mark.parametrize("text, expected", [
    ("age", "age"), ("Religion or belief", "religion_or_belief"), ("religion", "religion_or_belief"),
    ("Religion/Belief", None), ("Ethnicity", "race"), ("ethnic origin", "race"), ("Gender", "sex"), ("sex", "sex"),
    ("Marriage and civil partnership", "marriage_civil_partnership"), ("civil partnership", "marriage_civil_partnership"),
    ("Pregnancy and maternity", "pregnancy_maternity"), ("maternity", "pregnancy_maternity"),
    ("Sexuality", "sexual_orientation"), ("sexual orientation", "sexual_orientation"),
    ("Gender identity", "gender_reassignment"), ("gender reassignment", "gender_reassignment"),
    ("DISABILITY", "disability"), ("belief", "religion_or_belief"), ("marriage", "marriage_civil_partnership"),
    ("pregnancy", "pregnancy_maternity"), ("Religion belief", "religion_or_belief"),
    ("Pregnancy & maternity", None),
])
def test_characteristic(text, expected):
    if expected is None:
        with pytest.raises(v.UnknownWord):
            v.characteristic(text)
    else:
        assert v.characteristic(text) == expected


def test_local_characteristics():
    assert v.characteristic("Care leaver", ["care_leaver"]) == "care_leaver"
    assert v.characteristic("care-leaver", ["Care Leaver"]) == "care_leaver"
    assert v.characteristic("Age", ["care_leaver"]) == "age"
    with pytest.raises(v.UnknownWord) as caught:
        v.characteristic("hair colour", ["care_leaver"])
    assert str(caught.value) == ("'hair colour' is not a protected characteristic or a local one "
                                 f"(expected one of: {', '.join(NINE)}, care_leaver)")
    with pytest.raises(v.UnknownWord) as plain:
        v.characteristic("care leaver")
    assert str(plain.value).endswith(f"(expected one of: {', '.join(NINE)})")


@pytest.mark.parametrize("text, expected", [
    ("Sexuality", "sexual_orientation"), ("Care Leaver", "care_leaver"), ("age", "age"), (5, 5), (None, None),
    ("Religion or belief", "religion_or_belief"), ("  Armed-Forces ", "armed_forces"),
])
def test_characteristic_or_key(text, expected):
    assert v.characteristic_or_key(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("all", NINE), ("ALL", NINE), (" All ", NINE), (["all"], NINE), (["All", "age"], NINE),
    (["all", "Care leaver"], NINE + ["care_leaver"]), (["Care leaver", "ALL"], NINE + ["care_leaver"]),
    (["Ethnicity", "gender"], ["race", "sex"]), (["age", "age"], ["age", "age"]), ([], []),
    ("age", "age"), (3, 3), (None, None), ([3, "all"], NINE + [3]),
])
def test_covers(value, expected):
    assert v.covers(value) == expected


def test_aliases_point_at_real_characteristics():
    assert set(v.CHARACTERISTIC_ALIASES.values()) <= set(NINE)
    assert v.ALL == "all"


def test_one_of():
    assert v.one_of("Peer", ["self", "peer"], "a role") == "peer"
    assert v.one_of(" SELF ", ["self", "peer"], "a role") == "self"
    with pytest.raises(v.UnknownWord) as caught:
        v.one_of("x", ["self", "peer"], "a role")
    assert str(caught.value) == "'x' is not a role (expected self or peer)"


@pytest.mark.parametrize("word", ["None", "none", "null", ""])
def test_no_word_is_a_characteristic_by_accident(word):
    with pytest.raises(v.UnknownWord):
        v.characteristic(word)
    assert v.characteristic_or_key(word) == v.key(word)
