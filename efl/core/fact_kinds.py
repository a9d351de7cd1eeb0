"""The kinds of value a fact may declare (``FactSpec.kind``), and whether a value is of its kind.

A fact's kind is part of its contract with frameworks: a ``fact`` rule comparing a figure with
``at_least: 9`` needs a number, and the fact reference (``docs/facts.md``) tells a framework author
which facts are numbers, which yes or no, which lists. Values are checked once they are plain JSON
(see ``efl.core.engine._json_value``): a date is then ISO text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from efl.core.plugin_api import FACT_KINDS


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


_TESTS = {
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "whole number": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "yes or no": lambda v: isinstance(v, bool),
    "text": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str) and _is_date(v),
    "list": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
}
assert set(_TESTS) == set(FACT_KINDS)


def fits(kind: str, value: Any) -> bool:
    """Whether a (plain JSON) value is of a declared kind; an undeclared kind ("") fits anything."""
    return not kind or _TESTS[kind](value)


def value_words(value: Any) -> str:
    """A value's kind in words, for messages: "a list", "text", "a yes or no"."""
    for kind in ("yes or no", "whole number", "number", "date", "text", "list", "mapping"):
        if _TESTS[kind](value):
            return kind if kind in ("text",) else f"a {kind}"
    return "no value" if value is None else f"a {type(value).__name__}"
