"""A classification keeps its answers for the process (a national batch asks the same questions for
every council); each kept answer must be exactly what a classification that never kept one gives.

The reference is a fresh Classification built from the same file and asked once; the memo is then
asked each question twice (the second answer comes from the memo), with the labels, codes and
group sets a real run asks about: every category's label, name and aliases, HR spellings, Census
variable prefixes, unknown words, and the group sets of the shipped test councils. A caller that
changes a returned list or set must not change what the next caller gets.
"""

from __future__ import annotations

import itertools
import random

import pytest

from efl.workforce.classification import Classification, Cut, built_in, read_classification_file
from efl.workforce.classification import built_in_paths


def fresh(classification: Classification) -> Classification:
    return Classification(classification.spec)


def labels(c: Classification) -> list[str]:
    words = []
    for cat in c.categories.values():
        words += [cat.label, cat.name, cat.label.upper(), f" {cat.name.lower()} ", f"{c.spec.variables[0]}: {cat.label}"
                  if c.spec.variables else cat.label, f"{cat.label}; measures: Value"]
    for spec in c.spec.categories:
        words += list(spec.aliases)
    words += list(c.spec.not_answered) + list(c.spec.declined) + list(c.spec.totals)
    words += ["", "Not known", "prefer not to say", "zzz no such group", "Asian - Other", "Mixed (White and Asian)",
              "Black or Black British: African", "White: Other", "Other"]
    return words


@pytest.fixture(scope="module")
def library():
    return built_in()


@pytest.mark.parametrize("path", built_in_paths(), ids=lambda p: p.stem)
def test_kept_answers_are_a_fresh_classifications_answers(path) -> None:  # noqa: ANN001
    spec = read_classification_file(path, str(path))
    if spec.extends is not None:
        pytest.skip("an extension")
    kept = Classification(spec)
    words = labels(kept)
    ids = list(kept.categories)
    rng = random.Random(29)
    group_sets = [set(rng.sample(ids, k)) for k in (0, 1, 2, 3, 5, len(ids) // 2, len(ids)) if k <= len(ids)]
    group_sets += [set(kept.leaves()), set(kept.roots), {"not-a-group", *ids[:2]}]
    for level, _ in kept.levels:
        group_sets.append(set(kept.at_level(level)))
    for _ in range(2):  # the second round is answered from the memo
        for word in words:
            assert kept.read(word) == fresh(kept).read(word), word
        for n in (1, 3, len(words)):
            chunk = words[:n]
            assert kept.read_all(chunk) == fresh(kept).read_all(chunk)
            assert list(kept.read_all(chunk)) == list(fresh(kept).read_all(chunk))  # same order
        reference = fresh(kept)
        for cid in ids:
            assert kept.ancestors(cid) == reference.ancestors(cid)
            for other in ids[:12]:
                assert kept.contains(other, cid) == reference.contains(other, cid)
        for level, _ in kept.levels:
            assert kept.at_level(level) == reference.at_level(level)
        for left, right in itertools.product(group_sets, repeat=2):
            assert kept.common_cut(iter(left), right) == reference.common_cut(left, right)
        for groups in group_sets:
            assert kept.without_subtotals(groups) == reference.without_subtotals(iter(groups))


def test_changing_an_answer_does_not_change_the_next(library) -> None:
    c = library.get("race")
    leaf = c.leaves()[0]
    first = c.ancestors(leaf)
    first.append("spoilt")
    assert c.ancestors(leaf)[-1] != "spoilt"
    level = c.levels[0][0]
    c.at_level(level).clear()
    assert c.at_level(level)
    cut = c.common_cut(c.leaves(), c.leaves())
    assert isinstance(cut, Cut) and cut.groups
    cut.groups.clear()
    cut.zero.append(("x", "left"))
    again = c.common_cut(c.leaves(), c.leaves())
    assert again.groups and ("x", "left") not in again.zero
    kept, dropped = c.without_subtotals(c.categories)
    kept.clear()
    dropped.add("x")
    kept2, dropped2 = c.without_subtotals(c.categories)
    assert kept2 and "x" not in dropped2
    labels_ = [c.categories[leaf].label]
    read = c.read_all(labels_)
    read.clear()
    assert c.read_all(labels_)


def test_the_memo_stays_small_with_endless_new_labels(library) -> None:
    from efl.workforce import classification as module

    c = fresh(library.get("race"))
    for i in range(module._MEMO_LIMIT + 10):
        c.read(f"label number {i}")
    assert len(c._memos["read"]) <= module._MEMO_LIMIT
