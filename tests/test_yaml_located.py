"""parse_yaml's one pass (efl.files.yamlio.one_pass with nodes) names every line the full parse names.

The reference is ``parse_in_full`` (ruamel composes the nodes, then efl's constructor builds the
data). For every YAML file in the repository, the awkward documents of test_yaml_fast and some made
here, the one pass must give the same data with the same types and, for every mapping key, list
item and value at any depth, the same line and column from ``locate`` and ``locate_key``, and the
same written form and position of every key (what pydantic messages about odd keys show); or hand
the file over, in which case parse_yaml's answer (data or error) is the full parse's.
"""

from __future__ import annotations

from typing import Any

import pytest

from efl.errors import InputError
from efl.files.yamlio import SLOW, YamlDocument, _key_position, one_pass, parse_in_full, parse_yaml
from test_yaml_fast import AWKWARD, REPO_YAML, same

MADE = [
    "a:\n  b:\n    - 1\n    - x: y\n      z: [1, 2, {w: v}]\n  c: {d: e, f: [g, h]}\n",
    "- one\n-   two\n- - three\n  - {four: 4}\n-\n  five: 5\n",
    "k: v\r\nl:\r\n  - m\r\n",                      # Windows line ends
    "a: \"caf\u00e9 x\u0085y\"\nb:\n  - z\n",  # a character libyaml ends a line at (YAML 1.1), editors do not
    "null: 1\ntrue: 2\n2025-01-01: 3\n1.5: 4\n'': 5\n",  # keys YAML reads as other things
    "a:\n  - b: |\n      long\n      text\n    c: >-\n      folded\n  - d\n",
    "{a: 1, b: [2, 3], c: {d: 4}}\n",
    "   \n\n# comment\nkey:    value   # trailing\n",
    "evidence:\n  - id: x\n    type: t\n    file: f.csv\n  - id: y\n    type: u\n",
]


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path of keys and indices into ``data``, and one step past each (a missing key or index)."""
    found = [prefix]
    if isinstance(data, dict):
        found.append(prefix + ("no-such-key",))
        for key, value in data.items():
            found += paths(value, prefix + (key,))
    elif isinstance(data, list):
        found.append(prefix + (len(data),))
        for i, value in enumerate(data):
            found += paths(value, prefix + (i,))
    return found


def key_positions(doc: YamlDocument, data: Any, prefix: tuple = ()) -> list:
    found = []
    if isinstance(data, dict):
        found += [(prefix, key, _key_position(doc, prefix, key)) for key in data]
        for key, value in data.items():
            found += key_positions(doc, value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += key_positions(doc, value, prefix + (i,))
    return found


def compare(text: str) -> str:
    """'same' (the one pass gave everything the full parse gives), 'slow' or 'refused'."""
    nodes: dict[int, Any] = {}
    keep: list[Any] = []
    quick = one_pass(text, nodes, keep)
    try:
        full = parse_in_full(text, "x.yaml")
    except InputError as refused:
        assert quick is SLOW, f"the one pass accepted what the full parse refuses: {text[:80]!r}"
        with pytest.raises(InputError) as again:
            parse_yaml(text, "x.yaml")
        assert [str(d) for d in again.value.diagnostics] == [str(d) for d in refused.diagnostics]
        return "refused"
    if quick is SLOW:
        assert same(parse_yaml(text, "x.yaml").data, full.data)
        return "slow"
    assert same(quick, full.data), text[:200]
    doc = parse_yaml(text, "x.yaml")
    assert same(doc.data, full.data)
    for loc in paths(full.data):
        assert doc.locate(loc) == full.locate(loc), (loc, text[:200])
        if loc:
            assert doc.locate_key(loc) == full.locate_key(loc), (loc, text[:200])
    assert key_positions(doc, doc.data) == key_positions(full, full.data), text[:200]
    return "same"


def test_every_yaml_file_in_the_repository_is_located_the_same() -> None:
    outcomes = {}
    for path in REPO_YAML:
        outcomes[path] = compare(path.read_bytes().decode("utf-8-sig", errors="strict"))
    quick = [p for p, o in outcomes.items() if o == "same"]
    assert len(quick) > 25  # frameworks, calendars, classifications, worked examples: real positions compared
    assert any(p.name == "assessment.yaml" for p in quick)


@pytest.mark.parametrize("text", AWKWARD + MADE)
def test_awkward_documents_are_located_the_same(text: str) -> None:
    compare(text)


def test_the_made_documents_take_the_one_pass() -> None:
    # Otherwise the comparisons above would only compare the full parse with itself.
    assert [compare(text) for text in MADE] == ["same"] * len(MADE)


def test_a_position_is_where_the_file_has_it() -> None:
    # Worked by hand: line and column (1-based) of what each path reaches.
    doc = parse_yaml("a:\n  b:\n    - 1\n    - x: y\nc: [d, {e: f}]\n", "x.yaml")
    assert doc.locate(("a", "b", 1, "x")) == (4, 10)
    assert doc.locate(("a", "b", 0)) == (3, 7)
    assert doc.locate_key(("a", "b")) == (2, 3)
    assert doc.locate(("c", 1, "e")) == (5, 12)
    assert doc.locate(("c", 1, "missing")) == (5, 8)


def test_without_the_c_parser_the_one_pass_uses_ruamels_own_loader(monkeypatch) -> None:
    # The loader class is made once for the C parser; with the pure-Python parser ruamel's own set-up
    # is used each time, and the answers are the same.
    from ruamel.yaml import YAML

    from efl.files import yamlio

    text = MADE[0]
    expected = parse_in_full(text, "x.yaml")
    monkeypatch.setattr(yamlio, "_ONE_PASS_LOADER", None)
    monkeypatch.setattr(yamlio, "YAML", lambda typ: YAML(typ=typ, pure=True))
    nodes: dict = {}
    keep: list = []
    data = one_pass(text, nodes, keep)
    assert data is not SLOW and same(data, expected.data)
    constructor, _ = yamlio._one_pass_loader("a: 1\n")
    assert "Loader" not in type(constructor).__name__  # ruamel's own, not the one made once
    doc = YamlDocument(data, "x.yaml", nodes, keep)
    assert doc.locate(("a", "b", 1, "z", 2, "w")) == expected.locate(("a", "b", 1, "z", 2, "w"))
