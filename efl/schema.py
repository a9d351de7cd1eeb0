"""JSON Schemas for the files people write and the result efl writes (``efl schema``).

Generated from the pydantic models each time, so they cannot drift from what efl accepts: an
editor with a YAML language server (VS Code and others) reads the ``# yaml-language-server:
$schema=...`` line that ``efl init`` writes, completes keys and flags mistakes as the user types.
The result's schema is named with the result's ``schema_version`` and published in ``docs/schema/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ASSESSMENT = "assessment.schema.json"


def result_name() -> str:
    from efl.core.engine import SCHEMA_VERSION

    return f"result-{SCHEMA_VERSION}.schema.json"


def _sentence_case(title: str) -> str:
    """``EvidenceItem`` and ``Lead Member`` (pydantic's titles) as ``Evidence item`` and ``Lead member``."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", title).replace("_", " ").split()
    if not words:
        return title
    return " ".join([words[0][:1].upper() + words[0][1:], *(w.lower() if not w.isupper() else w for w in words[1:])])


def _tidy(node: Any, closed: bool) -> None:
    """Plain titles everywhere; with ``closed``, objects with known keys refuse unknown ones too."""
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            node["title"] = _sentence_case(node["title"])
        if closed and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    if isinstance(prop, dict) and "title" not in prop:
                        prop["title"] = name  # pydantic leaves it out beside a $ref
                    _tidy(prop, closed)
            elif key not in ("default", "const", "enum", "examples"):
                _tidy(value, closed)
    elif isinstance(node, list):
        for item in node:
            _tidy(item, closed)


def model_schema(model: Any, title: str, description: str, mode: str = "validation", closed: bool = False) -> dict:
    """One model's JSON Schema with a title and description for people."""
    body = model.model_json_schema(mode=mode, by_alias=True)
    _tidy(body, closed)
    body.pop("title", None)
    body.pop("description", None)
    return {"$schema": DIALECT, "title": title, "description": description, **body}


def all_schemas(host: Any) -> dict[str, dict]:
    """Every schema efl writes, by file name: inputs, the YAML evidence types installed, the result."""
    from efl.core.crosswalk import CrosswalkFile
    from efl.core.engine import SCHEMA_VERSION
    from efl.core.assumptions import AssumeFile
    from efl.core.models import Assessment, Framework, Result, Tailoring

    out = {
        ASSESSMENT: model_schema(Assessment, "efl assessment.yaml", "An assessment folder's assessment.yaml: the "
                                 "council, the assessment date, the evidence files and any claimed levels."),
        "framework.schema.json": model_schema(Framework, "efl framework", "A framework edition for efl: its levels "
                                              "and performance areas, and per criterion the rule that decides it."),
        "crosswalk.schema.json": model_schema(CrosswalkFile, "efl crosswalk", "How the areas, criteria and levels "
                                              "of two framework editions correspond."),
        "tailoring.schema.json": model_schema(Tailoring, "efl tailoring", "Local tailoring of a framework edition "
                                              "(tailoring: in assessment.yaml): criteria added, rules replaced, "
                                              "criteria not used locally, local characteristics."),
        "what-if.schema.json": model_schema(AssumeFile, "efl what-if", "The figures 'efl assess --assume-file' "
                                            "assumes, each by its fact's name, with an optional note."),
    }
    types = host.evidence_types().items
    for name, kind in sorted(types.items()):
        if getattr(kind, "schema", None) is not None:
            out[f"{name}.schema.json"] = model_schema(kind.schema, f"efl evidence: {kind.title}",
                                                      f"A YAML evidence file of type {name}.")
    # A result refuses unknown keys: it is efl's own output, so a stray key is a mistake (or another version).
    out[result_name()] = model_schema(
        Result, f"efl result, format {SCHEMA_VERSION}", "What 'efl assess --format json' writes and 'efl report' "
        f"and 'efl compare' read back, with schema_version {SCHEMA_VERSION}.", mode="serialization", closed=True)
    return out


def folder_schemas(host: Any) -> dict[str, str]:
    """The schemas an assessment folder's own YAML files use (what ``efl init`` writes in schema/)."""
    return {name: render(schema) for name, schema in all_schemas(host).items()
            if name not in ("framework.schema.json", "crosswalk.schema.json") and not name.startswith("result-")}


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(host: Any, folder: Path, force: bool = True) -> list[Path]:
    """Write every schema into ``folder`` atomically; returns the paths written."""
    from efl.files.output import make_folder, write_atomic

    make_folder(folder)
    written = []
    for name, schema in all_schemas(host).items():
        path = folder / name
        write_atomic(path, render(schema), force)
        written.append(path)
    return written


def modeline(schema_path: str) -> str:
    """The first line of a YAML file that tells editors which schema checks it."""
    return f"# yaml-language-server: $schema={schema_path}\n"
