"""efl: a rules engine for the Equality Framework for Local Government self-assessment.

The top-level names are the public API for plugins (see ``efl.core.plugin_api`` and docs/plugins.md).
"""

from __future__ import annotations

# First of all, before any import can be interrupted: as the efl command, Ctrl-C while starting is
# one line and exit 130 (efl.startup then installs the whole guard).
import sys as _sys  # noqa: E402 - already loaded by Python itself, so nothing here can be cut short

_argv = getattr(_sys, "orig_argv", [])
if (_sys.argv[:1] and _sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] in ("efl", "efl.exe")) \
        or any(a == "-m" and b == "efl" for a, b in zip(_argv, _argv[1:])):  # the efl command, or python -m efl
    def _interrupted_while_starting(kind, value, tb, _default=_sys.excepthook):  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            _sys.stderr.write("efl: interrupted; no output file was left half-written\n")
            _sys.stderr.flush()
            __import__("os")._exit(getattr(value, "exit_code", 130))
        _default(kind, value, tb)

    _sys.excepthook = _interrupted_while_starting
    from efl import startup as _startup

    _startup.guard()
del _argv

from typing import Any  # noqa: E402

import pluggy  # noqa: E402

from efl.core import plugin_api  # noqa: E402
from efl.core.plugin_api import (  # noqa: E402
    AreaScore, AssessmentContext, EvidenceFormat, EvidenceType, Fact, FactSpec,
                         FrameworkSource, OverallLevel, ReportFormat, ReportOptions, RuleType)

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("efl")

__all__ = sorted([*plugin_api.__all__, "__version__", "hookimpl"])


def __getattr__(name: str) -> Any:
    # Types defined outside plugin_api (results, tables, rules...) load on first use, as there.
    if name in plugin_api.ELSEWHERE:
        value = getattr(plugin_api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'efl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
