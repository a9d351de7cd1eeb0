"""Flesch reading ease, worked out here (no library: the well-kept ones fetch dictionaries at run time).

Reading ease = 206.835 - 1.015 x (words per sentence) - 84.6 x (syllables per word). GOV.UK writes
for a reading age of about 9, which is 60 or above. Syllables are counted by the usual rules for
English spelling (groups of vowels, a silent final "e", "-le", "-ed" and "-es" endings); the test
of this module checks the count on words whose syllables are known.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# Sentence ends: a full stop, question or exclamation mark, or a colon or semicolon that ends a clause
# (lists in the papers run on with semicolons, and a reader pauses there as at a full stop).
_SENTENCE = re.compile(r"[.!?]+(?=\s|$)|[;:](?=\s)")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    w = word.lower().strip("'")
    if len(w) <= 3:
        return 1
    w = re.sub(r"'s$", "", w)
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "share", "made"
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "xes", "shes",
                                                     "ches")) and count > 1:
        count -= 1  # "published", "shares" (but "dated", "places")
    # Two syllables written as one group of vowels: "media", "actual" (but not "quality").
    count += len(re.findall(r"ia", w)) + len(re.findall(r"(?<!q)ua", w))
    return max(count, 1)


def flesch(text: str) -> float:
    words = _WORD.findall(text)
    sentences = max(len([s for s in _SENTENCE.split(text) if _WORD.search(s)]), 1)
    if not words:
        return 100.0
    total = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (total / len(words))
