"""Plugin-owned fields on evidence items: keys an evidence type declares (``EvidenceType.fields``).

A council's ``assessment.yaml`` may give an item keys efl itself does not know, when the item's
evidence type declares them with a pydantic model (a Census plugin's ``geography: E09000004``).
Reading ``assessment.yaml`` keeps such keys aside as written (``EvidenceItem._written``); once the
plugins are known they are checked here against the type's model, every problem at once and at its
line and column, and the model's instance becomes ``item.fields``. A key that neither efl nor the
item's type declares is an unknown key, as before, with a "did you mean" over both.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from efl.core.models import EvidenceItem
from efl.errors import DiagnosticSink, PluginError
from efl.files.yamlio import pydantic_diagnostics

# The loaded assessment (efl.core.assessment.LoadedAssessment): not imported, because that module calls
# this one (the import graph has no cycles, type-only imports included).
LoadedAssessment = Any


def check_declared(plugin: str, hook: str, evidence_type: Any) -> None:
    """At registration: ``fields`` is a pydantic model whose keys are not efl's own item keys."""
    model = evidence_type.fields
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise PluginError(plugin, hook, f"type '{evidence_type.name}' declares fields that are not a pydantic model "
                          "(expected a class derived from pydantic.BaseModel)")
    taken = sorted(set(_keys(model)) & set(EvidenceItem.model_fields))
    if taken:
        raise PluginError(plugin, hook, f"type '{evidence_type.name}' declares the field '{taken[0]}', which is one "
                          "of efl's own evidence item keys (expected a name of its own, e.g. with the plugin's prefix)")


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def check_fields(loaded: LoadedAssessment, types: dict[str, Any], sink: DiagnosticSink) -> None:
    """Check every evidence item's keys beyond efl's own against its type's ``fields`` model.

    Read from the file as written, so an item the schema refused (a missing date) still has a
    misspelt key reported in the same run. An item of a type no loaded plugin registers is left to
    the unknown-type error (its keys cannot be judged).
    """
    doc = loaded.evidence_doc
    raw = doc.data.get("evidence") if isinstance(doc.data, dict) else None
    parsed = dict(loaded.items)
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, dict):
            continue
        written = {k: v for k, v in entry.items() if isinstance(k, str) and k not in EvidenceItem.model_fields}
        kind = entry.get("type")
        kind = "-".join(kind.lower().split()) if isinstance(kind, str) else None
        evidence_type = types.get(kind) if kind else None
        model = getattr(evidence_type, "fields", None)
        if kind is not None and evidence_type is None:
            continue
        declared = _keys(model) if model is not None else []
        for key in written:
            if key not in declared:
                line, col = doc.locate_key(("evidence", i, key))
                sink.add(doc.path, line, col, f"evidence[{i}]: unknown key '{key}'{_hint(key, declared, kind)}")
        if model is None:
            continue
        try:
            value = model.model_validate({k: v for k, v in written.items() if k in declared})
        except ValidationError as exc:
            sink.extend(pydantic_diagnostics(exc, doc, model, prefix=("evidence", i)))
            continue
        item = parsed.get(i)
        if item is not None:
            item._fields = value


def _hint(key: str, declared: list[str], kind: str | None) -> str:
    allowed = list(EvidenceItem.model_fields) + declared
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if guess:
        return f" (did you mean '{guess[0]}'?)"
    own = f"; type '{kind}' adds: {', '.join(declared)}" if declared else ""
    return f" (expected one of: {', '.join(EvidenceItem.model_fields)}{own})"
