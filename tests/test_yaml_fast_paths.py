"""YAML fast paths give what the plain loader gives: the framework index reads only each file's header
keys, and the resolver works out the YAML version once per document."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from efl.files.yamlio import parse_header, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("id", "version", "title", "status", "kind")


def full(text: str) -> dict:
    data = parse_yaml(text, "f.yaml").data
    return {k: data[k] for k in KEYS if k in data}


@pytest.mark.parametrize("path", sorted((ROOT / "frameworks").rglob("*.yaml")), ids=lambda p: p.name)
def test_installed_files_read_the_same_as_a_full_parse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, str(path), KEYS)
    assert header == full(text)
    assert header["id"]


def test_quoting_folding_and_keys_after_the_body() -> None:
    text = ('# comment\n---\nid: "x-1"   # trailing comment\nversion: "1.10"\ntitle: >-\n  A long\n  title\n'
            'areas:\n  - id: not-this-one\n    title: no\n\nstatus: draft\nkind: framework\r\n')
    header = parse_header(text, "f.yaml", KEYS)
    assert header == full(text) == {"id": "x-1", "version": "1.10", "title": "A long title", "status": "draft",
                                    "kind": "framework"}


@pytest.mark.parametrize("text", [
    "{id: x, version: '1'}\n",           # flow style
    "%YAML 1.2\n---\nid: x\n",           # a directive
    "id: x\n---\nid: y\n",               # two documents
    '"id": x\n',                         # a quoted key
    "id: [unclosed\nversion: '1'\n",     # a header line that does not parse: the full parse says where
    "- id: x\n",                         # not a mapping
])
def test_anything_unusual_is_left_to_the_full_parse(text: str) -> None:
    assert parse_header(text, "f.yaml", KEYS) is None


@pytest.mark.parametrize("path", sorted(p for d in ("frameworks", "assessments") for p in (ROOT / d).rglob("*.yaml")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_loads_as_ruamels_own_safe_loader_loads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text, str(path)).data == YAML(typ="safe").load(text)


def test_scalars_keep_yaml_1_2_meanings() -> None:
    text = "a: yes\nb: 0755\nc: 12:30\nd: 2025-01-02\ne: 1e3\nf: NO\ng: null\nh: '1.10'\n"
    assert parse_yaml(text, "f.yaml").data == YAML(typ="safe").load(text) == {
        "a": "yes", "b": 755, "c": "12:30", "d": __import__("datetime").date(2025, 1, 2), "e": 1000.0, "f": "NO",
        "g": None, "h": "1.10"}
