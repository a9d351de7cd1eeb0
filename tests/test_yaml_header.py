"""The framework index reads only the header keys of each file: the same values as a full parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from efl.yamlio import parse_header, parse_yaml

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
