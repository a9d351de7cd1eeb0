"""A list whose items are made only when something reads them.

At a million employees a column's list of rows (or a pay group's sorted rates) is 8 MB and tens of
milliseconds to make, and the figures efl works from counts need none of it. So such a list is a
``list`` subclass that answers what it can without its items (its length, say), and makes them, once,
the first time any other list method runs: every method of ``list`` that reads or changes the items
is wrapped to fill the list first. Another lazy list given to one (``a + b``, ``a == b``) is filled
too, since list's own methods read its storage directly, and ``[...] + lazy`` is handled by
``__radd__`` for the same reason. Copied or pickled, it is the plain list it stands for.

C code that reads a list's storage without its methods (``json``'s encoder, ``str.join``) would see it
empty before it is filled, so a lazy list given to code outside efl is filled first (:meth:`filled`).

Subclasses: :class:`efl.files.columnar.Coded` (a column kept as Arrow codes) and
:class:`efl.workforce.measures.Runs` (sorted values kept as runs).
"""

from __future__ import annotations

from typing import Any


class LazyList(list):
    """A list made on first read: a subclass gives :meth:`_fill` and the length while unfilled."""

    __slots__ = ("_filled",)

    def __init__(self) -> None:
        super().__init__()
        self._filled = False

    def _fill(self) -> None:
        """Put every item in (``list.extend(self, ...)``); called once."""
        raise NotImplementedError

    def _unfilled_length(self) -> int:
        raise NotImplementedError

    def filled(self) -> Any:
        """The list with every item in it (made on first use)."""
        if not self._filled:
            self._fill()
            self._filled = True
        return self

    def __len__(self) -> int:
        return list.__len__(self) if self._filled else self._unfilled_length()

    def __reduce_ex__(self, protocol: Any) -> Any:
        # Copied or pickled as the plain list it stands for.
        return list, (list(list.__iter__(self.filled())),)

    def __reduce__(self) -> Any:
        return self.__reduce_ex__(2)

    def __radd__(self, other: Any) -> Any:
        # ``[...] + lazy``: list's own concatenation reads storage directly, so it is done here.
        if isinstance(other, list):
            return list(other) + list(list.__iter__(self.filled()))
        return NotImplemented


def _filling(name: str) -> Any:
    method = getattr(list, name)

    def call(self: LazyList, *args: Any, **kwargs: Any) -> Any:
        return method(self.filled(), *(a.filled() if isinstance(a, LazyList) else a for a in args), **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call


# Every list method that reads or changes the items (a subclass may answer some, such as
# ``__getitem__``, from what it keeps, by defining them itself).
for _name in ("__iter__", "__reversed__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__eq__",
              "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__iadd__", "__mul__", "__rmul__",
              "__imul__", "__repr__", "__sizeof__", "append", "extend", "insert", "pop", "remove", "clear",
              "index", "count", "copy", "reverse", "sort"):
    setattr(LazyList, _name, _filling(_name))
