"""efl's indented JSON (efl.reports.json_text) gives json.dumps's bytes, whatever the value.

``json.dumps(value, indent=2)`` is the independent reference: generated values of every kind JSON
takes (text with quotes, controls and characters beyond ASCII, whole numbers, decimals with NaN and
the infinities, truth values, null, lists, tuples, dicts with keys that are not text, empty ones,
subclasses of str, int and float, values only ``default`` can turn into JSON) are written both ways.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math

import pytest
from hypothesis import given, settings, strategies as st

from efl.reports.json_text import pretty_json


class Colour(str, enum.Enum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


class Ratio(float):
    pass


def _default(value):  # noqa: ANN001, ANN202
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, complex):
        return {"real": value.real, "imag": value.imag}
    raise TypeError(type(value).__name__)


SCALARS = st.one_of(
    st.text(), st.text(alphabet='"\\\n\t\x00\x1f\x7f é£–“”😀\u2028'), st.integers(), st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e300, True, False, None, Colour.RED, Size.BIG,
                     Ratio(0.5), dt.date(2026, 3, 31), {1, 3, 2}, complex(1, 2)]))
KEYS = st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.sampled_from([True, False, None]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(KEYS, inner, max_size=5), st.dictionaries(st.text(max_size=6), SCALARS, max_size=6)),
    max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.booleans())
def test_pretty_json_is_json_dumps(value, ascii_only: bool) -> None:  # noqa: ANN001
    expected = json.dumps(value, indent=2, ensure_ascii=ascii_only, default=_default)
    assert pretty_json(value, default=_default, ensure_ascii=ascii_only) == expected


def test_rows_of_text_and_dates_are_written_as_json_dumps_writes_them() -> None:
    rows = [{"id": f"line-{i}", "due": dt.date(2026, 1, 1 + i % 28) if i % 3 else None, "note": "a “b” \n c",
             "done": i % 2 == 0, "count": i, "share": i / 7} for i in range(50)]
    data = {"lines": rows, "empty": [], "nothing": {}, "nested": [[], [{}], [[1, [2]]]]}
    assert pretty_json(data, default=_default, ensure_ascii=False) == \
        json.dumps(data, indent=2, ensure_ascii=False, default=_default)


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        pretty_json({"when": dt.date(2026, 1, 1)})  # no default given
    with pytest.raises(TypeError):
        pretty_json({(1, 2): "a tuple is not a key"})
    assert pretty_json("plain") == json.dumps("plain", indent=2)
    assert pretty_json(dt.date(2026, 1, 2), default=_default) == '"2026-01-02"'
