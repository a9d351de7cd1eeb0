"""efl: a rules engine for the Equality Framework for Local Government self-assessment."""

from __future__ import annotations

import pluggy

from .errors import Diagnostic, EvidenceError
from .plugin_api import (AreaScore, AssessmentContext, EvidenceFormat, EvidenceType, Fact, FactSpec,
                         FrameworkSource, ReportFormat, ReportOptions, RuleType)

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("efl")

__all__ = [
    "AreaScore", "AssessmentContext", "Diagnostic", "EvidenceError", "EvidenceFormat", "EvidenceType",
    "Fact", "FactSpec", "FrameworkSource", "ReportFormat", "ReportOptions", "RuleType", "__version__",
    "hookimpl",
]
