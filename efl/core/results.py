"""Saved results: reading a result JSON back (for ``efl report`` and ``efl compare``).

Choosing and running report formats is :mod:`efl.reports.report_formats`.

A saved result is checked like any input: bad JSON or a file of the wrong shape is an input error
with its line and column, and a result from a newer, incompatible efl is refused rather than misread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from efl.errors import Diagnostic, InputError
from efl.core.models import Result
from efl.files.yamlio import parse_yaml, pydantic_diagnostics

if TYPE_CHECKING:
    from efl.core.engine import Engine

SCHEMA_MAJOR = "1"


def read_result(path: Path) -> Result:
    """Read a result saved with ``efl assess --format json``."""
    shown = str(path)
    from efl.files.safe_files import DEFAULT_MAX_FILE_BYTES, FileProblem, as_diagnostic, max_file_bytes, read_named_file
    from efl.files.yamlio import decode_text

    try:
        # Results efl writes can be large (a council with every fact explained): the evidence limit
        # (200 MB, or EFL_MAX_FILE_MB) applies, not the 20 MB one for hand-written YAML.
        raw = read_named_file(path, max_file_bytes(DEFAULT_MAX_FILE_BYTES))
    except FileProblem as problem:
        if problem.kind == "missing":
            raise InputError(Diagnostic(shown, message="no such file (expected a result saved with "
                                        "'efl assess DIR --format json -o FILE')")) from None
        raise InputError(as_diagnostic(shown, problem)) from None
    text = decode_text(raw, shown)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Diagnostic(shown, exc.lineno, exc.colno, f"not valid JSON: {exc.msg} "
                                    "(expected a result saved with --format json)")) from None
    except RecursionError:
        raise InputError(Diagnostic(shown, 1, 1, "the JSON nests too deeply to be an efl result (expected a "
                                    "result saved with --format json)")) from None
    from efl.files.yamlio import refuse_lone_surrogates

    refuse_lone_surrogates(data, text, shown)
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(Diagnostic(shown, 1, 1, "not an efl result (expected a JSON object with "
                                    "'schema_version', saved with 'efl assess --format json')"))
    version = str(data["schema_version"])
    if version.split(".")[0] != SCHEMA_MAJOR:
        raise InputError(Diagnostic(shown, 1, 1, f"result format {version} is not one this efl reads "
                                    f"(expected {SCHEMA_MAJOR}.x; use the efl version that wrote it)"))
    try:
        return Result.model_validate(data)
    except ValidationError as exc:
        # Positions come from re-reading the JSON as YAML (a superset), only when something is wrong;
        # a result too big or too deep for that is still reported, without positions.
        try:
            doc = parse_yaml(text, shown)
        except InputError:
            doc = parse_yaml("{}", shown)
        raise InputError(pydantic_diagnostics(exc, doc, Result)) from None
    except RecursionError:
        raise InputError(Diagnostic(shown, 1, 1, "the JSON nests too deeply to be an efl result")) from None


def incomplete_warning(source: str, result: Result) -> str | None:
    """The warning ``efl report`` and ``efl compare`` print for a result saved despite a plugin failure."""
    if not result.incomplete:
        return None
    failed = ", ".join(f"'{f.plugin}' in {f.hook}" for f in result.failures) or "a plugin"
    return (f"{source}: warning: this result is incomplete: it was saved although {failed} failed, so some "
            "levels may be lower than the evidence supports (expected a complete result; assess the folder again)")


def hypothetical_warning(source: str, result: Result) -> str | None:
    """The warning ``efl report`` and ``efl compare`` print for a what-if result, so it is never read back
    as the council's own."""
    if not result.hypothetical:
        return None
    assumed = ", ".join(f"{a.fact}={a.value}" for a in result.assumptions) or "assumed figures"
    return (f"{source}: warning: this is a what-if result, not the council's own assessment: it assumes "
            f"{assumed} (expected a result assessed without --assume, where the council's own is meant)")


def load_results(paths: list[Path], engine: Engine) -> list[tuple[str, Result]]:
    """Each path is a saved result (a file) or an assessment folder, assessed now.

    Input problems in every path are reported together; a plugin failure while assessing stops.
    """
    loaded, errors = [], []
    for path in paths:
        try:
            if path.is_dir():
                run = engine.assess(path)
                if run.failures:
                    raise run.failures[0]
                loaded.append((str(path), run.result))
            else:
                loaded.append((str(path), read_result(path)))
        except InputError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise InputError(errors)
    return loaded
