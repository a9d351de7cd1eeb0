"""key, age_band and normalise_characteristic keep each text's answer; kept answers are the answers
worked out afresh (_key, _age_band, _normalise_characteristic), for awkward texts too (NFD accents,
non-breaking spaces, ONS labels, bands that run backwards, non-text), and a full memo starts again."""

from __future__ import annotations

import unicodedata

import pytest

from efl.files import evidence
from efl.files.evidence import _normalise_characteristic, normalise_characteristic
from efl.workforce import groups
from efl.workforce.groups import _age_band, _key, age_band, key

TEXTS = ["White British", "white_british", "  White   British ", "Wh\u00edte", unicodedata.normalize("NFD", "Caf\u00e9"),
         "a\u00a0b", "", " ", "16-24", "16 to 24", "Aged 16 to 24 years", "Aged 65 years and over", "65+", "under 16",
         "Aged under 1 year", "Aged 4 years and under", "Age: Aged 30 to 34 years", "37", "64-16", "1000", "Ethnic group",
         "Ethnic group (20 categories)", "Gender identity", "Legal partnership status", "Religion", "sex", "SEX ",
         "age_band", "Marital and civil partnership status", "Prefer not to say", "\ufeffsex"]


@pytest.mark.parametrize("kept, fresh", [(key, _key), (age_band, _age_band),
                                         (normalise_characteristic, _normalise_characteristic)])
def test_kept_answers_are_fresh_answers(kept, fresh) -> None:  # noqa: ANN001
    for _ in range(2):  # the second time round the answers are kept ones
        for text in TEXTS:
            assert kept(text) == fresh(text), text


def test_not_text_is_refused_as_before() -> None:
    for function, fresh in ((key, _key), (age_band, _age_band)):
        for value in (None, 3, b"16-24"):
            with pytest.raises(TypeError):
                fresh(value)
            with pytest.raises(TypeError):
                function(value)


def test_a_full_memo_starts_again(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(groups, "_KEPT_TEXTS", 3)
    for i in range(10):
        assert key(f"Group {i}") == f"group {i}" and age_band(f"{i}-{i + 5}") == (i, i + 5)
    assert len(groups._KEYS) <= 3 and len(groups._BANDS) <= 3
    for i in range(10000):
        normalise_characteristic(f"c{i}")
    assert len(evidence._characteristic_names) <= 8192
