"""The YAML data efl.core.generated_code keeps between runs (the files plugins ship, read at every start).

What the cache gives back must be what the reader gives, with the same types all the way down (a
date is not a datetime, True is not 1), the same shared parts (an alias is the same list again),
read now (a miss) or read back from the file in a later run (a hit); every call a fresh copy; the
reader's "parse it the slow way" marker and anything that is not plain data never kept; and data
another version of the reader made never used. The reference is the reader itself, run on every
YAML file in the repository and a set of awkward documents (tests/test_yaml_fast.py's), in both of
the ways efl reads them: the whole document (efl.files.quick_yaml) and a framework's header
(efl.core.framework's index).
"""

from __future__ import annotations

import datetime as dt
import sys
import zoneinfo
from pathlib import Path

import pytest

from efl.core import generated_code
from efl.core.framework import INDEX_KEYS
from efl.files.yaml_fast import SLOW, load_data
from efl.files.yamlio import parse_header
from test_yaml_fast import AWKWARD, REPO_YAML, same

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [p.read_text(encoding="utf-8-sig") for p in REPO_YAML] + AWKWARD + [
    "a: &x [1, 2]\nb: *x\n",                                   # an alias: one list, twice
    "when: 2025-03-31\nat: 2025-03-31 12:30:00\nzoned: 2025-03-31T12:30:00+01:00\n",
    "n: .nan\ni: -.inf\nbig: 123456789012345678901234567890\nz: -0.0\n",
    "caf\u0065\u0301: ok\n",                                   # not NFC as written
]


def _header(text: str):  # noqa: ANN202
    return parse_header(text, "x.yaml", INDEX_KEYS)


READINGS = {"data": load_data, "header": _header}


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as an installed efl runs (tests are often run with -B)
    return str(tmp_path / "__pycache__" / "generated_code.cpython-311.code-cache")


def _kept_shares(a, b) -> bool:  # noqa: ANN001
    """Whether a container shared inside ``a`` (an alias) is shared at the same places in ``b``."""
    def ids(data, seen):  # noqa: ANN001, ANN202
        if isinstance(data, (dict, list)):
            seen.append(id(data))
            for item in (data.values() if isinstance(data, dict) else data):
                ids(item, seen)
        return seen

    first, second = ids(a, []), ids(b, [])
    return [first.index(i) for i in first] == [second.index(i) for i in second]


@pytest.mark.parametrize("kind", list(READINGS))
def test_the_cache_gives_what_the_reader_gives_now_and_in_a_later_run(path: str, kind: str) -> None:
    read = READINGS[kind]
    cache = generated_code.CodeCache(path)
    now = [cache.yaml_data(text, read, kind) for text in TEXTS]
    cache.write()
    later = generated_code.CodeCache(path)
    later.read()
    calls = []

    def counted(text: str):  # noqa: ANN202
        calls.append(text)
        return read(text)

    again = [later.yaml_data(text, counted, kind) for text in TEXTS]
    kept = 0
    for text, first, second in zip(TEXTS, now, again):
        expected = read(text)
        assert same(first, expected) and same(second, expected), text
        assert _kept_shares(second, expected), text
        kept += text not in calls
    assert kept > len(TEXTS) // 2  # most were read back, not read again (the test tests the cache)
    assert not [t for t in calls if generated_code.plain_data(read(t))]  # only what was not kept is read again


def test_every_call_is_a_fresh_copy(path: str) -> None:
    cache = generated_code.CodeCache(path)
    text = "a: [1, 2]\nb: {c: d}\n"
    first = cache.yaml_data(text, load_data)
    first["a"].append(3)
    first["b"]["c"] = "changed"
    second = cache.yaml_data(text, load_data)
    third = cache.yaml_data(text, load_data)
    assert second == third == {"a": [1, 2], "b": {"c": "d"}}
    assert second is not third and second["a"] is not third["a"]


def test_the_slow_marker_and_unplain_data_are_never_kept(path: str) -> None:
    cache = generated_code.CodeCache(path)
    assert cache.yaml_data("a: [1,\n", load_data) is SLOW  # the reader hands it over: the full parse says why
    odd = {"a": (1, 2)}
    assert cache.yaml_data("a: 1\n", lambda text: odd) is odd
    assert not [k for k in cache.code if k[0].startswith(generated_code.YAML_MODE)] and cache.added == 0


class Stamp(dt.datetime):
    pass


@pytest.mark.parametrize("data, plain", [
    ({"a": [1, 2.5, "x", None, True, dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 12)]}, True),
    (dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))), True),
    ({1: "a", dt.date(2025, 1, 1): "b", None: "c"}, True),
    ([[]] * 3, True),
    (Stamp(2025, 1, 1), False),                                          # a subclass of a plain type
    (dt.datetime(2025, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/London")), False),
    ({"a": (1, 2)}, False),
    ({"a": {"b": {1, 2}}}, False),
    ({(1, 2): "a"}, False),                                              # a key that is no YAML scalar
    (SLOW, False),
    (type("Flag", (int,), {})(1), False),
])
def test_plain_data_is_yamls_own_types_only(data, plain: bool) -> None:  # noqa: ANN001
    assert generated_code.plain_data(data) is plain


def test_an_alias_loop_is_plain_data() -> None:
    loop: list = []
    loop.append(loop)
    assert generated_code.plain_data({"a": loop})


def test_another_readers_data_is_never_used_and_not_kept(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "id: x\n"
    cache = generated_code.CodeCache(path)
    cache.yaml_data(text, load_data)
    cache.write()
    monkeypatch.setattr(generated_code, "_yaml_modes", ["yaml another reader"])
    later = generated_code.CodeCache(path)
    later.read()
    assert later.yaml_data(text, lambda t: {"id": "read again"}) == {"id": "read again"}
    later.write()
    last = generated_code.CodeCache(path)
    last.read()
    assert {mode for mode, _ in last.code} == {"yaml another reader data"}  # the first reader's entry is gone


def test_the_two_readings_of_one_text_are_kept_apart(path: str) -> None:
    text = "id: x\nversion: 1\nareas: [a]\n"
    cache = generated_code.CodeCache(path)
    assert cache.yaml_data(text, load_data, "data") == {"id": "x", "version": 1, "areas": ["a"]}
    assert cache.yaml_data(text, _header, "header") == {"id": "x", "version": 1}
    assert cache.yaml_data(text, load_data, "data") == {"id": "x", "version": 1, "areas": ["a"]}


def test_as_a_library_the_reader_is_called_itself() -> None:
    assert not generated_code._installed
    calls = []
    generated_code.yaml_data("a: 1\n", lambda text: calls.append(text) or {"a": 1})
    generated_code.yaml_data("a: 1\n", lambda text: calls.append(text) or {"a": 1})
    assert calls == ["a: 1\n", "a: 1\n"]


def test_past_its_size_the_file_keeps_only_the_yaml_data_this_run_used(path: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = generated_code.CodeCache(path)
    for n in range(5):  # five versions of one file, as someone editing it makes
        cache.yaml_data(f"id: x\nversion: {n}\n", load_data)
    cache.compiled("x = 1")
    cache.write()
    monkeypatch.setattr(generated_code, "MOST_YAML_BYTES", 1)
    later = generated_code.CodeCache(path)
    later.read()
    assert later.yaml_data("id: x\nversion: 4\n", load_data) == {"id": "x", "version": 4}  # used: kept
    later.yaml_data("id: x\nversion: 5\n", load_data)  # new: kept
    later.write()
    last = generated_code.CodeCache(path)
    last.read()
    assert sorted(text for mode, text in last.code if mode.startswith(generated_code.YAML_MODE)) == [
        "id: x\nversion: 4\n", "id: x\nversion: 5\n"]
    assert ("exec", "x = 1") in last.code  # the code is kept as before
