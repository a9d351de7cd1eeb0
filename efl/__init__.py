"""efl: a rules engine for the Equality Framework for Local Government self-assessment.

The top-level names are the public API for plugins (see ``efl.core.plugin_api`` and docs/plugins.md).
"""

from __future__ import annotations

# First of all: as the efl command, Ctrl-C during the imports below is one line and exit 130.
from efl import startup as _startup

if _startup.running_as_command():
    _startup.guard()

from typing import Any  # noqa: E402

import pluggy  # noqa: E402

from efl.core import plugin_api  # noqa: E402
from efl.core.plugin_api import (  # noqa: E402
    AreaScore, AssessmentContext, EvidenceFormat, EvidenceType, Fact, FactSpec,
                         FrameworkSource, ReportFormat, ReportOptions, RuleType)

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
