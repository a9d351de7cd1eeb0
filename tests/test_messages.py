"""Schema messages in words: ids, encodings, bare dates (issue 19)."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES
from efl.testing import run_efl


def _copy(tmp_path, name: str = "london-councils"):
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    return folder


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("bad, guess", [("London Profile", "london-profile"), ("London-Profile", "london-profile"),
                                        ("profile/2023", "profile-2023")])
def test_an_id_with_a_capital_or_a_space_gets_the_rule_in_words(tmp_path, bad, guess):
    folder = _copy(tmp_path)
    _edit(folder / "assessment.yaml", "id: london-profile", f"id: {bad}")
    out = run_efl("validate", folder).assert_exit(2)
    assert (f"evidence[0].id: '{bad}' is not an id (ids use lower-case letters, digits, dots, hyphens and "
            f"underscores, e.g. 'kyc.profile'; did you mean '{guess}'?)") in out.stderr
    assert "[a-z" not in out.stderr and "pattern" not in out.stderr


def test_an_evidence_type_written_in_words_is_read_as_its_id(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "assessment.yaml", "type: community-profile", "type: Community Profile")
    run_efl("validate", folder).assert_exit(0)


def test_an_unknown_evidence_type_gets_did_you_mean(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "assessment.yaml", "type: community-profile", "type: Comunity Profile")
    out = run_efl("validate", folder).assert_exit(2)
    assert "unknown evidence type 'comunity-profile' (did you mean 'community-profile'?)" in out.stderr


def test_a_windows_1252_csv_says_how_to_save_as_csv_utf8_from_excel(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "evidence" / "community-profile.csv"
    path.write_bytes(path.read_bytes() + "age,85 and over \u2013 caf\u00e9,1.0\n".encode("cp1252"))
    out = run_efl("validate", folder).assert_exit(2)
    assert "is not valid UTF-8; it looks like '\u2013' saved in the Windows-1252 encoding" in out.stderr
    assert "in Excel use File > Save As and choose 'CSV UTF-8 (Comma delimited) (*.csv)'" in out.stderr


def test_a_windows_1252_yaml_says_how_to_save_as_utf8_from_notepad_or_word(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "assessment.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("London Councils", "London Councils\u2019", 1)
                     .encode("cp1252"))
    out = run_efl("validate", folder).assert_exit(2)
    assert "it looks like '\u2019' saved in the Windows-1252 encoding" in out.stderr
    assert "in Notepad use File > Save As and choose Encoding 'UTF-8'" in out.stderr
    assert "Word" in out.stderr


def test_bare_dates_and_numbers_where_text_is_expected(tmp_path):
    folder = _copy(tmp_path, "bexley")
    path = folder / "evidence" / "equality-objectives.yaml"
    _edit(path, "title: Key measurable objectives\n", "title: Key measurable objectives\npublished: 2017-03-31\n")
    _edit(path, "        baseline: 37.5 with SEN, 55.8 without SEN (2016)\n", "        baseline: 2016-04-01\n")
    _edit(path, "    aim: advance equality of opportunity\n", "    aim: advance equality of opportunity\n    due: 2005-03-31\n")
    _edit(folder / "assessment.yaml", "  kind: London borough", "  kind: 1965")
    run_efl("validate", folder).assert_exit(0)


def test_no_pydantic_wording_reaches_the_user(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "assessment.yaml", "  name: London Councils", "  name: \"\"")
    _edit(folder / "assessment.yaml", "  employees: 130", "  employees: -1")
    out = run_efl("validate", folder).assert_exit(2)
    assert "council.name: '' is empty (expected some text)" in out.stderr
    assert "council.employees: -1 is too small (expected 0 or more)" in out.stderr
    assert "String should" not in out.stderr and "Input should" not in out.stderr
