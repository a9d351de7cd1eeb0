"""Saved results: reading a result JSON back (for ``efl report`` and ``efl compare``) and rendering.

A saved result is checked like any input: bad JSON or a file of the wrong shape is an input error
with its line and column, and a result from a newer, incompatible efl is refused rather than misread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .errors import Diagnostic, InputError, PluginError, UsageError
from .models import Result
from .plugin_api import ReportOptions
from .yamlio import parse_yaml, pydantic_diagnostics

from .plugins import blame, describe_value

if TYPE_CHECKING:
    from .compare import Comparison
    from .compare_many import Across, Trend
    from .engine import Engine
    from .plugins import PluginHost

SCHEMA_MAJOR = "1"
REPORTS_HOOK = "efl_register_report_formats"


def read_result(path: Path) -> Result:
    """Read a result saved with ``efl assess --format json``."""
    shown = str(path)
    from .safe_files import DEFAULT_MAX_FILE_BYTES, FileProblem, as_diagnostic, max_file_bytes, read_named_file
    from .yamlio import decode_text

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


# Other endings people give these files; .htm is what some Windows tools still write for web pages.
ENDING_ALIASES = {".htm": ".html", ".markdown": ".md"}


def _endings(extension: str) -> str:
    return " or ".join([extension, *(alias for alias, to in ENDING_ALIASES.items() if to == extension)])


def format_for(host: PluginHost, fmt: str | None, output: Path | None, comparison: bool = False) -> str:
    """The format asked for, or the one whose usual file ending ``output`` has, or ``table``.

    :param comparison: for ``efl compare``: only formats that can show a comparison count.
    """
    formats = {name: f for name, f in host.report_formats().items.items() if not comparison or f.compare}
    what = "comparison format" if comparison else "format"
    if not formats:
        raise UsageError(f"no {what}s are loaded (expected the built-in 'reports' plugin; is it switched off?)")
    if fmt is None and output is not None and output.suffix:
        ending = ENDING_ALIASES.get(output.suffix.lower(), output.suffix.lower())
        matching = sorted(name for name, f in formats.items() if f.extension == ending)
        if len(matching) > 1:
            raise UsageError(f"several {what}s write '{output.suffix}' files: {', '.join(matching)} "
                             "(expected --format to choose one)")
        if not matching:
            # Writing the plain-text table into report.pdf would only surprise whoever opens it.
            listed = ", ".join(f"{name} ({_endings(f.extension)})" for name, f in sorted(formats.items()))
            raise UsageError(f"no loaded {what} writes '{output.suffix}' files (expected a file ending one of the "
                             f"{what}s writes: {listed}; or choose the format with --format)")
        fmt = matching[0]
    fmt = fmt or "table"
    if fmt not in formats:
        raise UsageError(f"unknown {what} '{fmt}' (expected one of: {', '.join(sorted(formats))})")
    return fmt


def render(host: PluginHost, result: Result, fmt: str, options: ReportOptions) -> str:
    """Render with the plugin that registered ``fmt``; a renderer that raises is named (exit 3)."""
    registry = host.report_formats()
    hook = f"{REPORTS_HOOK} (format '{fmt}', render)"
    with blame(registry.owner[fmt], hook):
        text = registry.items[fmt].render(result, options)
    if not isinstance(text, (str, bytes)):
        raise PluginError(registry.owner[fmt], hook, f"returned {describe_value(text)} (expected the report as "
                          "text, or bytes for a file format such as xlsx)")
    return text


def render_comparison(host: PluginHost, comparison: Comparison | Trend | Across, fmt: str,
                      options: ReportOptions | None = None) -> str:
    """Show a comparison with the ``compare`` renderer of the format ``fmt`` (see :func:`format_for`)."""
    registry = host.report_formats()
    hook = f"{REPORTS_HOOK} (format '{fmt}', compare)"
    with blame(registry.owner[fmt], hook):
        text = registry.items[fmt].compare(comparison, options or ReportOptions())
    if not isinstance(text, str):
        raise PluginError(registry.owner[fmt], hook, f"returned {describe_value(text)} (expected the comparison "
                          "as text)")
    return text


def comparison_text(comparison: Comparison | Trend | Across, style: str) -> str:
    """A comparison as efl's own formats show it: ``table``, ``markdown``, ``json``, or ``html`` (the
    peer feedback report, for two results only)."""
    from . import compare_report
    from .compare import Comparison
    from .compare_many import Across, Trend

    if style == "html" and not isinstance(comparison, Comparison):
        raise UsageError("--format html is the peer feedback report, for two inputs (expected table, "
                         "markdown or json with --trend or --across)")
    if isinstance(comparison, Comparison):
        return compare_report.render_pair(comparison, style)
    if isinstance(comparison, Trend):
        return compare_report.render_trend(comparison, style)
    if isinstance(comparison, Across):
        return compare_report.render_across(comparison, style)
    raise TypeError(f"not a comparison: {type(comparison).__name__}")
