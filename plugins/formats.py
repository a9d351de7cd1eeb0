"""The built-in evidence formats: CSV tables, YAML data, Markdown text and opaque documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import efl
from efl import YamlDocument
from efl.provisional import decode_text, load_table, parse_yaml


@dataclass
class MarkdownDocument:
    """A Markdown file: its text and, if it starts with a ``---`` block, that YAML front matter."""

    text: str
    front_matter: YamlDocument | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def load_markdown(data: bytes, shown: str) -> MarkdownDocument:
    text = decode_text(data, shown)
    # Lines as editors count them: str.splitlines also splits at U+2028, form feeds and more.
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[0].strip() == "---":
        for end, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                # Parsing the block with its opening '---' keeps line numbers equal to the file's.
                doc = parse_yaml("\n".join(lines[:end]) + "\n", shown)
                meta = doc.data if isinstance(doc.data, dict) else {}
                return MarkdownDocument("\n".join(lines[end + 1:]), doc, meta)
    return MarkdownDocument(text)


def load_yaml_evidence(data: bytes, shown: str) -> YamlDocument:
    return parse_yaml(decode_text(data, shown), shown)


def load_document(data: bytes, shown: str) -> bytes:
    return data


@efl.hookimpl
def efl_register_evidence_formats(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceFormat("csv", (".csv",), load_table))
    register(efl.EvidenceFormat("yaml", (".yaml", ".yml"), load_yaml_evidence))
    register(efl.EvidenceFormat("markdown", (".md", ".markdown"), load_markdown))
    register(efl.EvidenceFormat("document", (".pdf", ".docx", ".doc", ".odt", ".html", ".htm", ".txt", ".xlsx",
                                             ".ods", ".pptx"), load_document))
