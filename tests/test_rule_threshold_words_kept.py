"""A fact rule's threshold in words is kept by exact type and value; kept words are _show's words
for every kind of threshold (floats of every rounding, -0.0 after 0.0, ints, yes or no, text, lists)."""

from __future__ import annotations

import random

from efl_plugins.rules import _show, _show_threshold


def test_kept_words_are_show_words() -> None:
    rng = random.Random(17)
    values = [0.0, -0.0, 0, -0, True, False, 1, 1.0, "yes", "", 0.005, 0.015, 2.675, -0.004, 1e-12, 1e15,
              [1, 2.5, True], [], ["a"]]
    values += [round(rng.uniform(-1000, 1000), rng.randint(0, 6)) for _ in range(3000)]
    values += [rng.randint(-10**6, 10**6) for _ in range(500)]
    for _ in range(2):  # the second time round the words are kept ones
        for value in values:
            assert _show_threshold(value) == _show(value), value
