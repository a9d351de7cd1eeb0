"""Errors that efl reports to people, and the exit codes they map to (:class:`ExitCode`, the one list).

Bad input is never a traceback: every problem becomes a :class:`Diagnostic` with a file, a line and a
column, and all of them are gathered before the run stops (:class:`InputError`, exit code 2).
A plugin that breaks is named (:class:`PluginError`, exit code 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Iterable


class ExitCode(IntEnum):
    """Every exit code of the ``efl`` command, in one place (the README's table lists them).

    Each code means one thing in every command, so a script can act on it.
    """

    #: Done: the command did what was asked.
    OK = 0
    #: ``efl assess --fail-under LEVEL``: assessed, but the overall level is below LEVEL.
    BELOW_LEVEL = 1
    #: Bad input or usage: every problem is printed as ``file:line:col: message``.
    INPUT = 2
    #: A plugin failed: the message names the plugin and the hook.
    PLUGIN = 3
    #: ``efl verify``: the pack changed since it was packed (every changed file is named).
    PACK_CHANGED = 4
    #: Interrupted by Ctrl-C (SIGINT). Other stopping signals give 128 + the signal: SIGTERM 143,
    #: SIGHUP 129, a closed pipe (SIGPIPE) 141.
    INTERRUPTED = 130

    @staticmethod
    def for_signal(signum: int) -> int:
        """The exit code of a process stopped by signal ``signum``, as a shell reports it."""
        return 128 + signum

    @classmethod
    def combined(cls, codes: Iterable[int]) -> ExitCode:
        """The exit code of one command over many folders: a plugin failure anywhere outranks bad input
        anywhere, which outranks success (``--fail-under`` is for one folder only)."""
        found = set(codes)
        if cls.PLUGIN in found:
            return cls.PLUGIN
        return cls.INPUT if found - {cls.OK} else cls.OK


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

    exit_code = ExitCode.INPUT


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

    exit_code = ExitCode.PLUGIN

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
