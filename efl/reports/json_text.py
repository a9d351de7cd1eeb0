"""Indented JSON, the same bytes as ``json.dumps(value, indent=2)``, without its cost.

Given an indent, the standard library's encoder runs in Python, a generator per list and per dict
(its C encoder is for compact JSON only), and a report of thousands of rows (``efl progress`` on a
plan of 5,000 lines, ``efl assess --format json`` on a large workforce) spent most of its JSON time
there. :func:`pretty_json` writes the same text into one list of strings, with each string still
escaped by the standard library's own C function, and with a dict whose values are all text (a plan
line, a row) written in one pass.

It follows ``json.encoder``'s rules exactly: what a value is tested for and in which order (text,
null, truth values, whole numbers, decimals, lists and tuples, dicts, then ``default``), how a key
that is not text is written, how a number is spelled (``int.__repr__``, ``float.__repr__``, ``NaN``
and ``Infinity``), and the separators that go with an indent (``,`` and ``: ``).
``tests/test_json_text.py`` compares it with ``json.dumps`` on generated values.
"""

from __future__ import annotations

import json.encoder as _encoder
from operator import add
from typing import Any, Callable

_INFINITY = float("inf")
_ONLY_TEXT = frozenset((str,))


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _no_default(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def pretty_json(value: Any, default: Callable[[Any], Any] | None = None, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=ensure_ascii, default=default)``, the same text."""
    escape = _encoder.encode_basestring_ascii if ensure_ascii else _encoder.encode_basestring
    fallback = default or _no_default
    out: list[str] = []
    put = out.append
    shapes: dict[tuple, list[str]] = {}  # per indent and keys of a dict of scalars, each key's part

    def key_text(key: Any) -> str:
        if isinstance(key, str):
            return escape(key)
        if isinstance(key, float):
            return escape(_float(key))
        if key is True:
            return '"true"'
        if key is False:
            return '"false"'
        if key is None:
            return '"null"'
        if isinstance(key, int):
            return escape(int.__repr__(key))
        raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")

    def text_of(item: Any) -> Any:
        """The text of a value that is not a list or dict, else the list or dict to write (what
        ``default`` gives for anything else, until it is one or the other), as json.encoder tests,
        in its order."""
        while True:
            kind = type(item)
            if kind is str:
                return escape(item)
            if item is None:
                return "null"
            if item is True:
                return "true"
            if item is False:
                return "false"
            if kind is int:
                return int.__repr__(item)
            if kind is float:
                return _float(item)
            if kind is list or kind is dict or kind is tuple:
                return item
            if isinstance(item, str):
                return escape(item)
            if isinstance(item, int):
                return int.__repr__(item)
            if isinstance(item, float):
                return _float(item)
            if isinstance(item, (list, tuple, dict)):
                return item
            item = fallback(item)

    def write(item: Any, newline: str) -> None:
        """Put a list or a dict (``text_of``'s second kind of answer)."""
        inner = newline + "  "
        if isinstance(item, (list, tuple)):
            if not item:
                put("[]")
                return
            put("[")
            first = True
            for element in item:
                put(inner if first else "," + inner)
                first = False
                text = text_of(element)
                if type(text) is str:
                    put(text)
                else:
                    write(text, inner)
            put(newline + "]")
            return
        if not item:
            put("{}")
            return
        texts = [escape(v) if type(v) is str else text_of(v) for v in item.values()]
        if _ONLY_TEXT.issuperset(map(type, texts)) and _ONLY_TEXT.issuperset(map(type, item)):
            # Every value written already (a row of text, numbers and dates): each entry is its
            # key's part (the same for every row of a table, so made once) and the value's text.
            shape = (newline, *item)
            parts = shapes.get(shape)
            if parts is None:
                parts = shapes[shape] = [("{" if i == 0 else ",") + inner + escape(k) + ": " for i, k in enumerate(item)]
            put("".join(map(add, parts, texts)) + newline + "}")
            return
        put("{")
        first = True
        for key, text in zip(item, texts):
            put((inner if first else "," + inner) + key_text(key) + ": ")
            first = False
            if type(text) is str:
                put(text)
            else:
                write(text, inner)
        put(newline + "}")

    top = text_of(value)
    if type(top) is str:
        return top
    write(top, "\n")
    return "".join(out)
