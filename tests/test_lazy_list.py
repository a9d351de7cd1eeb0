"""efl.core.lazy_list: a list made on first read is, to whoever reads it, the plain list it stands for."""

from __future__ import annotations

import copy
import pickle

import pytest

from efl.core.lazy_list import LazyList


class Squares(LazyList):
    """0, 1, 4, ... made on first read; counts how often it was made."""

    __slots__ = ("size", "made")

    def __init__(self, size: int):
        super().__init__()
        self.size, self.made = size, 0

    def _fill(self) -> None:
        self.made += 1
        list.extend(self, [n * n for n in range(self.size)])

    def _unfilled_length(self) -> int:
        return self.size


def plain(size: int) -> list[int]:
    return [n * n for n in range(size)]


OPERATIONS = [
    list, len, sorted, reversed, lambda x: x[2], lambda x: x[-1], lambda x: x[1:3], lambda x: 4 in x, lambda x: 5 in x,
    lambda x: x == plain(4), lambda x: x != plain(4), lambda x: x < [0, 2], lambda x: x >= plain(3), lambda x: x + [7],
    lambda x: [7] + x, lambda x: x * 2, lambda x: 2 * x, repr, lambda x: x.index(9), lambda x: x.count(1),
    lambda x: x.copy(), lambda x: (x.append(3), x)[1], lambda x: (x.extend([5, 6]), x)[1], lambda x: (x.insert(0, 8), x)[1],
    lambda x: (x.pop(), x), lambda x: (x.remove(4), x)[1], lambda x: (x.clear(), x)[1], lambda x: (x.reverse(), x)[1],
    lambda x: (x.sort(reverse=True), x)[1], lambda x: (x.__setitem__(0, 5), x)[1], lambda x: (x.__delitem__(1), x)[1],
    lambda x: (x.__iadd__([1]), x)[1], lambda x: (x.__imul__(2), x)[1], copy.copy, copy.deepcopy,
    lambda x: pickle.loads(pickle.dumps(x)),
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_list_operation_answers_as_the_plain_list(operation):
    lazy = Squares(4)
    got, want = operation(lazy), operation(plain(4))
    if not isinstance(want, (int, bool, str)):
        got, want = list(got) if not isinstance(got, tuple) else got, list(want) if not isinstance(want, tuple) else want
    assert got == want
    assert lazy.made <= 1  # made once at the most


def test_its_length_needs_no_items_and_it_is_made_once():
    lazy = Squares(5)
    assert len(lazy) == 5 and lazy.made == 0 and list.__len__(lazy) == 0
    assert list(lazy) == plain(5) and list(lazy) == plain(5) and lazy.made == 1
    assert len(lazy) == 5


def test_another_lazy_list_given_to_one_is_made_too():
    a, b = Squares(3), Squares(2)
    assert a + b == plain(3) + plain(2) and b.made == 1
    assert Squares(2) == Squares(2) and Squares(2) != Squares(3)


def test_copied_or_pickled_it_is_a_plain_list():
    for made in (copy.copy(Squares(3)), copy.deepcopy(Squares(3)), pickle.loads(pickle.dumps(Squares(3)))):
        assert type(made) is list and made == plain(3)
