"""The fast path of a fact's value as plain JSON (efl.core.engine._json_value) against the general way.

``_json_value`` handles the plain types by exact type and the plain values inside a mapping or a list
without a call each; ``reference`` below is the function as it was before that (every value by
``isinstance``). Both must give the same value, of the same types (a float stays a float, -0.0
becomes 0.0, a bool stays a bool), and refuse the same values with the same words.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import fractions
import math
import numbers

import pytest

from efl.core import engine
from efl.core.engine import _json_value


def reference(value):
    """efl.core.engine._json_value as it was, every value by isinstance (the slow path, kept here)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, float):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"has the value {value} (expected a finite number; leave the fact out "
                             "when it cannot be worked out)")
        return 0.0 if value == 0 else float(value)
    if isinstance(value, dict):
        return {str(k): reference(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [reference(v) for v in value]
    raise ValueError(f"has a value of type {type(value).__name__} (expected a number, text, true or false, "
                     "or a list or mapping of them)")


class Level(enum.IntEnum):
    LOW = 1


class Word(str):
    pass


class Figure(float):
    pass


def typed(value):
    """A value with every type spelt out, so that 1 and 1.0 and True, or 0.0 and -0.0, differ."""
    if isinstance(value, dict):
        return ("dict", [(type(k).__name__, k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float):
        return ("float", math.copysign(1.0, value), value)
    return (type(value).__name__, value)


VALUES = [
    0, 1, -7, True, False, None, "", "text", "\ufeffbom", 0.0, -0.0, 2.2499756, 1e308, -1e308, 5e-324,
    Level.LOW, Word("mapped"), Figure(1.5), Figure(-0.0), fractions.Fraction(1, 3), decimal.Decimal("12.34567"),
    dt.date(2025, 3, 31), dt.datetime(2025, 3, 31, 12, 30),
    [], {}, (), [1, 2.5, "a", None, True], (1, (2, 3)), [[], [[]], {}],
    {"a": 1, "b": -0.0, "c": [0.0, -0.0, 3]},
    {1: "one", 2.5: "two and a half", None: "none", True: "yes"},
    {"sex": {"female": {"count": 40, "share": 0.4}, "male": {"count": 60, "share": 0.6}}, "groups": 2},
    {"nested": [{"x": Level.LOW, "y": Word("w")}, [fractions.Fraction(1, 4), Figure(2.0)]]},
    {"when": dt.date(2024, 4, 1), "ties": [14.25, 14.25, 14.25]},
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:40] for v in VALUES])
def test_the_fast_path_gives_what_the_general_way_gives(value):
    # Twice: a Fraction or Decimal goes the general way first, then straight to float() (_AS_FLOAT).
    assert typed(_json_value(value)) == typed(reference(value))
    assert typed(_json_value(value)) == typed(reference(value))


def test_numbers_turned_into_floats_keep_their_refusals_once_their_type_is_known():
    for value in (fractions.Fraction(1, 3), decimal.Decimal("0.5"), Figure(3.0)):
        _json_value(value)
    assert fractions.Fraction in engine._AS_FLOAT and decimal.Decimal in engine._AS_FLOAT
    assert Figure not in engine._AS_FLOAT  # a float subclass is a float already
    assert typed(_json_value(decimal.Decimal("-0"))) == typed(reference(decimal.Decimal("-0"))) == ("float", 1.0, 0.0)
    for bad in (decimal.Decimal("NaN"), decimal.Decimal("-Infinity")):
        with pytest.raises(ValueError) as slow:
            reference(bad)
        with pytest.raises(ValueError) as fast:
            _json_value(bad)
        assert str(fast.value) == str(slow.value)
    huge = fractions.Fraction(10 ** 400, 3)  # float() cannot hold it: the same error both ways
    with pytest.raises(OverflowError):
        reference(huge)
    with pytest.raises(OverflowError):
        _json_value({"gap": [huge]})


def test_containers_are_copies_not_the_plugins_own():
    value = {"a": [1, 2], "b": {"c": 3}}
    out = _json_value(value)
    assert out == value and out is not value and out["a"] is not value["a"] and out["b"] is not value["b"]


BAD = [
    math.nan, math.inf, -math.inf, Figure("inf"), [1, math.nan], {"gap": {"sex": math.inf}},
    {"a": 1, "b": object()}, [1, {2, 3}], b"bytes", {"deep": [[1, [2, complex(1, 2)]]]},
    decimal.Decimal("NaN"), decimal.Decimal("Infinity"),
]


@pytest.mark.parametrize("value", BAD, ids=[repr(v)[:40] for v in BAD])
def test_the_same_values_are_refused_with_the_same_words(value):
    with pytest.raises(ValueError) as slow:
        reference(value)
    with pytest.raises(ValueError) as fast:
        _json_value(value)
    assert str(fast.value) == str(slow.value)
