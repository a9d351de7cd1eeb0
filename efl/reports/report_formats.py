"""Report formats: choosing one (by name or by the output file's ending) and running its renderer.

Every format, built-in or a plugin's, comes from the ``efl_register_report_formats`` registry; a
format with a ``compare`` renderer is also a format for ``efl compare``. A renderer that fails or
returns the wrong thing is named with its plugin (exit code 3).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from efl.errors import PluginError, UsageError
from efl.files.xml_text import OFFICE_ENDINGS, collecting, replaced_warning, xml_safe
from efl.core.plugin_api import ReportOptions
from efl.core.plugin_host import blame, describe_value

if TYPE_CHECKING:
    from efl.reports.sections import ReportSection
    from efl.peer.compare import Comparison
    from efl.peer.compare_many import Across, Trend
    from efl.core.models import Result
    from efl.core.plugin_host import PluginHost

REPORTS_HOOK = "efl_register_report_formats"


# Other endings people give these files; .htm is what some Windows tools still write for web pages.
ENDING_ALIASES = {".htm": ".html", ".markdown": ".md"}


def _endings(extension: str) -> str:
    return " or ".join([extension, *(alias for alias, to in ENDING_ALIASES.items() if to == extension)])


def formats_of(host: PluginHost, comparison: bool = False, progress: bool = False) -> dict:
    """The registered formats (name -> :class:`ReportFormat`) a command can write, sorted by name: every
    format for a result; with ``comparison``, those with a ``compare`` renderer; with ``progress``,
    those with a ``progress`` renderer. ``--format`` and its help both come from here."""
    return {name: f for name, f in sorted(host.report_formats().items.items())
            if (not comparison or f.compare) and (not progress or f.progress)}


def format_for(host: PluginHost, fmt: str | None, output: Path | None, comparison: bool = False,
               progress: bool = False) -> str:
    """The format asked for, or the one whose usual file ending ``output`` has, or ``table``.

    :param comparison: for ``efl compare``: only formats that can show a comparison count.
    :param progress: for ``efl progress``: only formats that can show a progress report count.
    """
    formats = formats_of(host, comparison, progress)
    what = "comparison format" if comparison else "progress format" if progress else "format"
    if not formats:
        raise UsageError(f"no {what}s are loaded (expected the built-in 'reports' plugin; is it switched off?)")
    if fmt is None and output is not None and output.suffix:
        ending = ENDING_ALIASES.get(output.suffix.lower(), output.suffix.lower())
        matching = sorted(name for name, f in formats.items() if f.extension == ending)
        # A longer ending a format names wins: "x.annex.docx" is the annex, "x.docx" the report.
        longer = sorted(name for name, f in formats.items() if f.extension.count(".") > 1
                        and output.name.lower().endswith(f.extension.lower()))
        matching = longer or matching
        if len(matching) > 1:
            raise UsageError(f"several {what}s write '{output.suffix}' files: {', '.join(matching)} "
                             "(expected --format to choose one)")
        if not matching:
            # Writing the plain-text table into report.pdf would only surprise whoever opens it.
            listed = ", ".join(f"{name} ({_endings(f.extension)})" for name, f in sorted(formats.items())
                           if f.extension.count(".") == 1)
            raise UsageError(f"no loaded {what} writes '{output.suffix}' files (expected a file ending one of the "
                             f"{what}s writes: {listed}; or choose the format with --format)")
        fmt = matching[0]
    fmt = fmt or "table"
    if fmt not in formats:
        raise UsageError(f"unknown {what} '{fmt}' (expected one of: {', '.join(sorted(formats))})")
    return fmt


def collect_sections(host: PluginHost, result: Result) -> tuple[ReportSection, ...]:
    """Every plugin's sections, in the framework's area order (sections for the whole council last),
    then by plugin name (a section for an area the framework lacks counts as the whole council's);
    a key given twice is a plugin error naming both plugins."""
    found = sorted(host.report_sections(result), key=lambda pair: pair[0])
    order = {area.id: i for i, area in enumerate(result.areas)}
    owner: dict[str, str] = {}
    out: list[tuple[int, int, ReportSection]] = []
    for plugin, sections in found:
        for section in sections:
            if section.key in owner:
                raise PluginError(plugin, "efl_report_sections", f"section {section.key!r} is given by both "
                                  f"{owner[section.key]!r} and {plugin!r} (expected each key once)")
            owner[section.key] = plugin
            if section.area is not None and section.area not in order:
                section = dataclasses.replace(section, area=None)  # an area this framework lacks: shown council-wide
            out.append((order.get(section.area or "", len(order)), len(out), section))
    return tuple(s for _, _, s in sorted(out, key=lambda t: t[:2]))


def render(host: PluginHost, result: Result, fmt: str, options: ReportOptions,
           calendars: dict | None = None) -> str:
    """Render with the plugin that registered ``fmt``; a renderer that raises is named (exit 3).

    Plugins' sections of figures (``efl_report_sections``) reach the renderer as ``options.sections``.
    ``calendars`` are the calendar files on offer as the engine's catalogue indexed them (so they are
    not all read and indexed again); without it they are indexed afresh.
    """
    from dataclasses import replace

    registry = host.report_formats()
    if fmt in registry.items and not options.sections:
        options = replace(options, sections=collect_sections(host, result))
    if fmt in registry.items and options.calendar is None:
        options = replace(options, calendar=calendar_for(host, result, calendars))
    hook = f"{REPORTS_HOOK} (format '{fmt}', render)"
    chosen = registry.items[fmt]
    office = _is_office(chosen)
    with collecting() as replaced:
        if office:
            # Characters XML cannot hold are bad input, never the writer's fault: shown, and named.
            result = xml_safe(result)
            options = dataclasses.replace(options, sections=xml_safe(options.sections))
            if getattr(options, "plan", None) is not None:
                options = dataclasses.replace(options, plan=xml_safe(options.plan))
        with blame(registry.owner[fmt], hook):
            text = chosen.render(result, options)
    _warn_replaced(replaced, fmt, result.assessment.council)
    if not isinstance(text, (str, bytes)):
        raise PluginError(registry.owner[fmt], hook, f"returned {describe_value(text)} (expected the report as "
                          "text, or bytes for a file format such as xlsx)")
    return text


def _is_office(chosen) -> bool:  # noqa: ANN001
    """Whether a format writes an office file (its ending, or its last part: ``.annex.docx``)."""
    ending = str(getattr(chosen, "extension", "")).lower()
    return any(ending.endswith(office) for office in OFFICE_ENDINGS)


def calendar_for(host: PluginHost, result: Result, calendars: dict | None = None):  # noqa: ANN201
    """The statutory calendar the result's framework names, if a plugin still provides it (a saved
    result rendered where the calendar is gone gets its legal section without it).

    ``calendars``: the calendar files on offer, as a catalogue indexed them (default: indexed now)."""
    if result.framework.calendar is None:
        return None
    from efl.core.framework import available_calendars
    from efl.errors import EflError
    from efl.law.statutory import find_calendar

    try:
        offered = calendars if calendars is not None else available_calendars(host)
        found = find_calendar(offered, result.framework.calendar.id, set(host.evidence_types().items))
    except EflError:
        return None
    return found.calendar


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


def render_progress(host: PluginHost, report, fmt: str, options: ReportOptions | None = None) -> str | bytes:  # noqa: ANN001
    """Show a progress report with the ``progress`` renderer of the format ``fmt``."""
    registry = host.report_formats()
    hook = f"{REPORTS_HOOK} (format '{fmt}', progress)"
    with collecting() as replaced:
        if _is_office(registry.items[fmt]):
            report = xml_safe(report)
        with blame(registry.owner[fmt], hook):
            text = registry.items[fmt].progress(report, options or ReportOptions())
    _warn_replaced(replaced, fmt, getattr(report, "council", ""))
    if not isinstance(text, (str, bytes)):
        raise PluginError(registry.owner[fmt], hook, f"returned {describe_value(text)} (expected the progress "
                          "report as text, or bytes for a file format such as docx)")
    return text


def comparison_text(comparison: Comparison | Trend | Across, style: str) -> str:
    """A comparison as efl's own formats show it: ``table``, ``markdown``, ``json``, or ``html`` (the
    peer feedback report, for two results only)."""
    from efl.peer import compare_report
    from efl.peer.compare import Comparison
    from efl.peer.compare_many import Across, Trend

    if style == "html" and not isinstance(comparison, Comparison):
        raise UsageError("--format html is the peer feedback report, for two inputs (expected table, "
                         "markdown or json with --trend or --across)")
    if isinstance(comparison, Comparison) and style == "html":
        if "peer" not in (comparison.a.role, comparison.b.role):
            # two self-assessments, or a what-if beside the council's own: a comparison page
            from efl.peer.comparison_html import render_comparison_html

            return render_comparison_html(comparison)
        from efl.peer.compare_html import render_pair_html

        return render_pair_html(comparison)
    if isinstance(comparison, Comparison):
        return compare_report.render_pair(comparison, style)
    if isinstance(comparison, Trend):
        return compare_report.render_trend(comparison, style)
    if isinstance(comparison, Across):
        return compare_report.render_across(comparison, style)
    raise TypeError(f"not a comparison: {type(comparison).__name__}")


def _warn_replaced(replaced: dict[str, int], fmt: str, council: str) -> None:
    """The warning that an office file shows some characters as escapes, naming whose file it is (a
    many-folder run writes one per council)."""
    from efl.files.terminal import visible

    warning = replaced_warning(replaced, f"the {fmt} file for {council}" if council else f"the {fmt} file")
    if warning:
        print(f"efl: {visible(warning)}", file=sys.stderr)
