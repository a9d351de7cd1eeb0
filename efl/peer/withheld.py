"""What stands in for the personal files an evidence pack leaves out (``.efl-withheld.json``).

:mod:`efl.peer.pack` writes this record when it leaves a personal file out of a pack; the engine
reads it back when it assesses an unpacked pack, so the figures that came from the withheld files
are the recorded ones and the result is the same, byte for byte. It is its own module so that the
engine, which needs only this record, does not depend on packing (which runs the engine).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from efl.core.models import FactValue, WarningRef
from efl.errors import Diagnostic, InputError

WITHHELD_FILE = ".efl-withheld.json"


class WithheldItem(BaseModel):
    # Built when a pack is read or made, not when every assessment imports this module (start-up).
    model_config = ConfigDict(defer_build=True)

    file: str
    sha256: str
    size: int


class Withheld(BaseModel):
    """What stands in for personal files left out of a pack (``.efl-withheld.json``)."""

    model_config = ConfigDict(defer_build=True)

    note: str = ""
    items: dict[str, WithheldItem]
    facts: list[FactValue]   # the figures as packed, for the facts the personal files change
    fact_names: list[str]    # every fact the packed result has
    warnings: list[WarningRef] = []


def read_withheld(folder: Path) -> Withheld | None:
    """The folder's record of withheld personal files, if it has one (an unpacked pack)."""
    from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic, yaml_max_bytes
    from efl.files.yamlio import DEFAULT_MAX_BYTES, decode_text, parse_yaml, pydantic_diagnostics

    path = folder / WITHHELD_FILE
    try:
        # Inside the folder's descriptor, like every file of the folder: a link to a file outside is refused.
        with SafeFolder(folder) as opened:
            data = opened.read(WITHHELD_FILE, yaml_max_bytes(DEFAULT_MAX_BYTES))
    except FileProblem as problem:
        if problem.kind == "missing":
            return None
        raise InputError(as_diagnostic(str(path), problem)) from None
    import json  # here: most folders have no such file, and the table report needs no JSON (start-up)

    text = decode_text(data, str(path))
    try:
        record = json.loads(text)
        from efl.files.yamlio import refuse_lone_surrogates

        refuse_lone_surrogates(record, text, str(path))
        return Withheld.model_validate(record)
    except json.JSONDecodeError as exc:
        raise InputError(Diagnostic(str(path), exc.lineno, exc.colno, f"not valid JSON: {exc.msg} (expected the "
                                    "record efl pack writes of the personal files it left out)")) from None
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, parse_yaml(text, str(path)), Withheld)) from None


def is_personal(item, types: dict) -> bool:  # noqa: ANN001
    """An item's file holds personal data: marked so, or of a type that says all its files do."""
    declared = types.get(item.type)
    return bool(item.file) and (item.personal or bool(declared is not None and declared.personal))


def overlay_facts(withheld: Withheld, facts: dict[str, FactValue]) -> dict[str, FactValue]:
    """The facts of an unpacked pack: those worked out from the files, with the recorded ones for
    what the personal files gave, and only the facts the packed result had."""
    merged = dict(facts)
    merged.update((f.name, f) for f in withheld.facts)
    return {name: merged[name] for name in withheld.fact_names if name in merged}


def overlay_warnings(withheld: Withheld, warnings: list[WarningRef]) -> list[WarningRef]:
    files = {item.file for item in withheld.items.values()}
    kept = [w for w in warnings if w.file not in files] + list(withheld.warnings)
    return sorted(kept, key=lambda w: (w.file, w.line, w.col, w.message))
