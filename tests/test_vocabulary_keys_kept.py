"""vocabulary.key keeps each text's key for the process; every kept key is the plain function's."""

from __future__ import annotations

from efl.core import vocabulary
from efl.core.vocabulary import _key, key

WORDS = ["Not met", "not_met", "NOT-MET", "  Achieving ", "Religion or belief", "cafe\u0301", "caf\u00e9", "",
         "__", "Six monthly", "ÉQUALITY", "ß", "n/a", "Level 2 (eslg-2)", "a\t-_ b"]


def test_kept_keys_are_the_plain_ones() -> None:
    vocabulary._keys.clear()
    for _ in range(2):  # the second time from what was kept
        for word in WORDS:
            assert key(word) == _key(word), word
    assert key("NOT-MET") == "not_met" and key("cafe\u0301") == key("caf\u00e9")  # worked by hand


def test_not_text_is_keyed_as_before_and_not_kept() -> None:
    vocabulary._keys.clear()
    assert key(None) == "none" and key(True) == "true" and key(12) == "12"  # type: ignore[arg-type]
    assert not vocabulary._keys


def test_the_kept_keys_stay_few() -> None:
    vocabulary._keys.clear()
    for i in range(17000):
        key(f"word {i}")
    assert len(vocabulary._keys) <= 16384 and key("word 16999") == "word_16999"
