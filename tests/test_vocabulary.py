"""Words written as people write them read the same as efl's ids (efl/core/vocabulary.py)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES
from efl.core import vocabulary
from efl.core.framework import load_framework
from efl.core.models import CHARACTERISTICS, Assessment
from efl.core.plugin_host import load_plugins
from efl.testing import run_efl

NINE = list(CHARACTERISTICS)


@pytest.fixture(scope="module")
def frameworks():
    host = load_plugins()
    return {fid: load_framework(host, fid).framework for fid in ("eflg-2014", "eslg")}


@pytest.mark.parametrize("text", ["Not met", "not met", "not_met", "NOT-MET", "  not  met ", "not__met"])
def test_one_key_for_every_spelling(text):
    assert vocabulary.key(text) == "not_met"


@pytest.mark.parametrize("text, expected", [
    ("achieving", "achieving"), ("Achieving", "achieving"), ("ACHIEVING", "achieving"), (" Excellent ", "excellent"),
])
def test_eflg_levels_by_id_or_title(frameworks, text, expected):
    assert vocabulary.level_id(frameworks["eflg-2014"], text) == expected


@pytest.mark.parametrize("text", ["eslg-2", "ESLG 2", "eslg_2", "Level 2", "level 2", "level-2", "Level 2 (eslg-2)"])
def test_equality_standard_levels_by_their_own_names(frameworks, text):
    assert vocabulary.level_id(frameworks["eslg"], text) == "eslg-2"


def test_an_unknown_level_lists_the_choices_in_efls_words(frameworks):
    with pytest.raises(vocabulary.UnknownWord) as info:
        vocabulary.level_id(frameworks["eflg-2014"], "acheiving")
    assert str(info.value) == ("'acheiving' is not a level of eflg-2014 (did you mean 'Achieving'? "
                               "expected one of: Developing, Achieving, Excellent)")
    with pytest.raises(vocabulary.UnknownWord) as info:
        vocabulary.level_id(frameworks["eslg"], "Level 9")
    assert "expected one of: Level 1 (eslg-1), Level 2 (eslg-2)" in str(info.value)


def test_not_yet_the_first_level_is_no_level(frameworks):
    fw = frameworks["eflg-2014"]
    assert vocabulary.level_or_none(fw, "Not yet Developing") is None
    assert vocabulary.level_or_none(fw, None) is None
    with pytest.raises(vocabulary.UnknownWord):
        vocabulary.level_id(fw, "Not yet Developing")  # not a level to aim for


@pytest.mark.parametrize("text, expected", [
    ("not met", "not_met"), ("Not met", "not_met"), ("not_met", "not_met"), ("Met", "met"),
    ("not applicable", "not_applicable"), ("N/A", "not_applicable"), ("Insufficient evidence", "insufficient_evidence"),
])
def test_outcomes(text, expected):
    assert vocabulary.outcome(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Religion or belief", "religion_or_belief"), ("religion-or-belief", "religion_or_belief"),
    ("religion_or_belief", "religion_or_belief"), ("Marriage and civil partnership", "marriage_civil_partnership"),
    ("Pregnancy and maternity", "pregnancy_maternity"), ("Ethnicity", "race"), ("Sexual Orientation", "sexual_orientation"),
])
def test_characteristics(text, expected):
    assert vocabulary.characteristic(text) == expected


def test_local_characteristics_and_unknown_ones():
    assert vocabulary.characteristic("Carers", local=["carers"]) == "carers"
    with pytest.raises(vocabulary.UnknownWord) as info:
        vocabulary.characteristic("rase")
    assert "did you mean 'race'?" in str(info.value)


@pytest.mark.parametrize("value", ["all", "All", ["all"], ["ALL"]])
def test_covers_all_is_the_nine(value):
    assert vocabulary.covers(value) == NINE


def test_covers_keeps_what_the_schema_must_refuse():
    assert vocabulary.covers("age") == "age"  # a string that is not 'all' is left for "is not a list"
    assert vocabulary.covers(12) == 12
    assert vocabulary.covers(["Religion or belief", "Carers"]) == ["religion_or_belief", "carers"]


@pytest.mark.parametrize("text, expected", [("Met", "met"), ("Partly", "partly"), ("not_met", "not met"),
                                            ("Not met", "not met"), ("partly met", "partly")])
def test_manager_return_statuses(text, expected):
    assert vocabulary.manager_status(text) == expected


def test_assessment_model_reads_the_spellings():
    a = Assessment.model_validate({
        "council": {"name": "X"}, "date": "2025-01-01", "assessor": {"role": "Peer"},
        "local_characteristics": ["Socio-economic disadvantage"],
        "evidence": [{"id": "p", "type": "community-profile", "date": "2024-01-01", "covers": "all"},
                     {"id": "q", "type": "community-profile", "date": "2024-01-01",
                      "covers": ["Religion or belief", "Socio economic disadvantage"]}],
        "claims": {"kyc.profile": {"outcome": "Not met"}}})
    assert a.assessor.role == "peer"
    assert a.local_characteristics == ["socio_economic_disadvantage"]
    assert a.evidence[0].covers == NINE
    assert a.evidence[1].covers == ["religion_or_belief", "socio_economic_disadvantage"]
    assert a.claims["kyc.profile"].outcome == "not_met"


# --- through the command, on a worked example ----------------------------------------------------------

def _respelt(tmp_path, replacements: list[tuple[str, str]]):
    folder = tmp_path / "lc"
    shutil.copytree(EXAMPLES / "london-councils", folder)
    path = folder / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def _result(folder) -> dict:
    out = run_efl("assess", folder, "--format", "json").assert_exit(0)
    return out.json


def test_a_folder_written_in_peoples_words_gives_the_same_result(tmp_path):
    canonical = _respelt(tmp_path / "a", [
        ("covers: [age, disability, race, religion_or_belief, sex, sexual_orientation, marriage_civil_partnership]",
         "covers: [age, disability, gender_reassignment, marriage_civil_partnership, pregnancy_maternity, race, "
         "religion_or_belief, sex, sexual_orientation]"),
        ("claims:\n", "claims:\n  kyc.profile:\n    outcome: not_met\n")])
    people = _respelt(tmp_path / "b", [
        ("covers: [age, disability, race, religion_or_belief, sex, sexual_orientation, marriage_civil_partnership]",
         "covers: all"),
        ("    level: achieving", "    level: Achieving"),
        ("role: self", "role: Self"),
        ("claims:\n", "claims:\n  kyc.profile:\n    outcome: Not met\n")])
    a, b = _result(canonical), _result(people)
    assert b["assessment"]["claims"]["lpoc"]["level"] == "achieving"
    assert b["assessment"]["claims"]["kyc.profile"]["outcome"] == "not_met"
    # The facts and outcomes are the same; only the assessment file's text differs.
    assert a["areas"] == b["areas"] and a["facts"] == b["facts"] and a["assessment"] == b["assessment"]


def test_covers_list_with_all_and_religion_spelt_out(tmp_path):
    folder = _respelt(tmp_path, [
        ("covers: [age, disability, race, religion_or_belief, sex, sexual_orientation, marriage_civil_partnership]",
         "covers: [Age, Disability, Race, Religion or belief, sex, sexual-orientation, Marriage and civil partnership]")])
    run_efl("validate", folder).assert_exit(0)
    canonical = _respelt(tmp_path / "c", [])
    assert _result(folder)["areas"] == _result(canonical)["areas"]


@pytest.mark.parametrize("word", ["Achieving", "achieving", "ACHIEVING"])
def test_fail_under_takes_the_word_efl_prints(word):
    # London Councils is at Developing overall, below Achieving: exit 1, and the same for every spelling.
    out = run_efl("assess", EXAMPLES / "london-councils", "--fail-under", word)
    assert out.exit_code == 1, out.stderr
    assert "overall level Developing is below Achieving" in out.stderr
    run_efl("assess", EXAMPLES / "london-councils", "--fail-under", "Developing").assert_exit(0)


def test_fail_under_refuses_a_word_that_is_no_level():
    out = run_efl("assess", EXAMPLES / "london-councils", "--fail-under", "Acheiving").assert_exit(2)
    assert "--fail-under 'Acheiving' is not a level of eflg-2014 (did you mean 'Achieving'?" in out.stderr


def test_equality_standard_claims_in_its_own_words(tmp_path):
    folder = _respelt(tmp_path, [("framework: eflg-2014", "framework: eslg"), ("claims:\n  lpoc:", "claims:\n  council:"),
                                 ("    level: achieving", "    level: Level 2")])
    result = _result(folder)
    assert result["assessment"]["claims"]["council"]["level"] == "eslg-2"
    assert result["areas"][0]["claimed_level"] == "eslg-2"


def test_agreed_level_not_yet_is_no_level(tmp_path):
    shutil.copytree(EXAMPLES / "bexley", tmp_path / "bexley")
    shutil.copytree(EXAMPLES / "bexley-peer", tmp_path / "peer")
    path = tmp_path / "peer" / "assessment.yaml"
    text = path.read_text(encoding="utf-8").replace("evidence_from: ../bexley", "evidence_from: ../bexley")
    text = text.replace("agreed:\n  kyc:\n    level: achieving", "agreed:\n  kyc:\n    level: Not yet Developing")
    path.write_text(text, encoding="utf-8")
    result = _result(tmp_path / "peer")
    assert next(a for a in result["areas"] if a["id"] == "kyc")["agreed_level"] is None


def test_bad_levels_are_reported_with_schema_errors_in_one_run(tmp_path):
    folder = _respelt(tmp_path, [("    level: achieving", "    level: Acheiving"),
                                 ("  employees: 130", "  employees: many")])
    out = run_efl("validate", folder).assert_exit(2)
    assert "council.employees: 'many' is not a whole number" in out.stderr
    assert "claims.lpoc.level: 'Acheiving' is not a level of eflg-2014 (did you mean 'Achieving'?" in out.stderr
    assert out.stderr.count("assessment.yaml:") == 2


@pytest.mark.parametrize("value", ["all", "All", ["all"], ["All"]])
def test_a_rules_covers_all_in_any_spelling(value):
    from efl_plugins.rules import EvidenceOptions

    assert EvidenceOptions.model_validate({"evidence": "community-profile", "covers": value}).covers == "all"
    assert EvidenceOptions.model_validate({"evidence": "community-profile", "covers": ["Religion or belief"]}
                                          ).covers == ["religion_or_belief"]
