"""Each compared group's staff and residents added up the quick way are exactly the plain sums.

The reference is the sum the comparison used to take for each group: every figure of a category the
group contains, in the order of the figures. The quick way hands each figure to the groups above it;
the results must be equal to the last bit (floats as well as counts), for every shipped
classification, random sets of groups (nested ones and unknown names among them) and figures.
"""

from __future__ import annotations

import random

import pytest

from efl.workforce.classification import built_in
from efl.workforce.representation import _added_up


def plain(classification, groups, figures):  # noqa: ANN001, ANN201
    return {g: sum(v for c, v in figures.items() if c in classification.categories and classification.contains(g, c))
            for g in groups}


CLASSIFICATIONS = [c for c in built_in() if c.categories]


@pytest.mark.parametrize("classification", CLASSIFICATIONS, ids=lambda c: c.id)
def test_added_up_is_the_plain_sum(classification) -> None:  # noqa: ANN001
    rng = random.Random(29)
    ids = list(classification.categories)
    for _ in range(200):
        groups = rng.sample(ids, rng.randint(1, len(ids)))
        chosen = rng.sample(ids, rng.randint(0, len(ids))) + ["?not a census group", "other words"]
        rng.shuffle(chosen)
        floats = {c: rng.choice([0.1, 0.2, 0.3, 1e-17, 12345.678, rng.random() * 100]) for c in chosen}
        counts = {c: rng.randint(0, 500) for c in chosen}
        for figures in (floats, counts):
            quick, reference = _added_up(classification, groups, figures), plain(classification, groups, figures)
            assert list(quick) == list(reference)
            assert [repr(v) for v in quick.values()] == [repr(v) for v in reference.values()]


def test_a_group_adds_up_its_parts_by_hand() -> None:
    race = next(c for c in CLASSIFICATIONS if c.characteristic == "race")
    white = next(cid for cid in race.roots if race.categories[cid].children and "white" in cid)
    parts = race.categories[white].children
    figures = {parts[0]: 10, parts[1]: 5, "elsewhere": 99}
    assert _added_up(race, [white, parts[0]], figures) == {white: 15, parts[0]: 10}
