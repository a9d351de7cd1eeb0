"""Errors that efl reports to people, and the exit codes they map to.

Bad input is never a traceback: every problem becomes a :class:`Diagnostic` with a file, a line and a
column, and all of them are gathered before the run stops (:class:`InputError`, exit code 2).
A plugin that breaks is named (:class:`PluginError`, exit code 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_BELOW_LEVEL = 1
EXIT_INPUT = 2
EXIT_PLUGIN = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place: ``path:line:col: message``.

    ``line`` and ``col`` are 1-based; 0 means "not known" (the whole file). ``severity`` is
    ``"error"`` (the input cannot be used) or ``"warning"`` (suspicious but usable: the run goes on,
    and the warning is printed, kept in the JSON result and shown in reports).
    """

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: warning: {self.message}" if self.is_warning else f"{where}: {self.message}"


def warning(path: str | Path, line: int = 0, col: int = 0, message: str = "") -> Diagnostic:
    """A :class:`Diagnostic` for something suspicious but usable."""
    return Diagnostic(str(path), line, col, message, "warning")


class EflError(Exception):
    """Base class of every error efl reports without a traceback."""

    exit_code = EXIT_INPUT


class InputError(EflError):
    """Bad input: one or more diagnostics. Exit code 2."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("efl", message=diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(set(diagnostics), key=_diagnostic_order)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def _diagnostic_order(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.message)


class EvidenceError(InputError):
    """The error a plugin raises to report bad evidence as a normal input error (exit code 2).

    Give it every problem found, each with the file, line and column, so the user can fix them in
    one go::

        raise EvidenceError([Diagnostic(str(path), line, col, "hourly_pay: 'ten' is not a number")])
    """


class PluginError(EflError):
    """A plugin failed: it raised, returned the wrong shape, or clashed with another plugin.

    Exit code 3. ``plugin`` and ``hook`` name the culprit.
    """

    exit_code = EXIT_PLUGIN

    def __init__(self, plugin: str, hook: str, message: str):
        self.plugin = plugin
        self.hook = hook
        self.message = message
        super().__init__(f"plugin {plugin!r} failed in {hook}: {message}")


class UsageError(EflError):
    """The command was called wrongly (unknown framework id, unknown plugin name...). Exit code 2."""


@dataclass
class DiagnosticSink:
    """Collects diagnostics so a loader can report every problem at once.

    Errors go to ``items`` (raised together by :meth:`raise_if_any`); warnings to ``warnings``, which
    never stop a run.
    """

    items: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str | Path, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(str(path), line, col, message))

    def warn(self, path: str | Path, line: int, col: int, message: str) -> None:
        self.warnings.append(warning(path, line, col, message))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            (self.warnings if d.is_warning else self.items).append(d)

    def raise_if_any(self) -> None:
        """Raise every error at once, with the warnings beside them so nothing is reported twice."""
        if self.items:
            raise InputError(self.items + self.warnings)

    def __bool__(self) -> bool:
        return bool(self.items)
