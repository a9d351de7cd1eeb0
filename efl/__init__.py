"""efl: a rules engine for the Equality Framework for Local Government self-assessment.

The names here are efl's public API, the contract with plugins: the hook markers, what plugins
register and return, what efl hands them, the errors, and the result's types. They are pinned by a
test (``tests/public_api.txt``) and change only as ``docs/plugins.md`` ("Compatibility") promises:
a minor release adds, a name is removed only after a release in which using it warns.
Helpers that are convenient but not promised are in :mod:`efl.provisional`; everything else in
efl's subpackages is its own business.

The types built on pydantic load on first use, so ``import efl`` stays cheap for ``efl --help``.
"""

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

from efl.core.hookspecs import hookimpl, hookspec  # noqa: E402
from efl.core.plugin_api import (AreaScore, AssessmentContext, EvidenceFormat, EvidenceType, Fact,  # noqa: E402
                                 FactSpec, FrameworkSource, OverallLevel, ReportFormat, ReportOptions, RuleType)
from efl.errors import Diagnostic, DiagnosticSink, EvidenceError, ExitCode, warning  # noqa: E402

from efl.version import API_VERSION, __version__  # noqa: E402


def _models():  # noqa: ANN202 - each loader imports one module when one of its names is first used
    from efl.core import models
    return models


def _identifiers():  # noqa: ANN202
    from efl.core import identifiers
    return identifiers


def _rules():  # noqa: ANN202
    from efl.core import rules
    return rules


def _evidence():  # noqa: ANN202
    from efl.files import evidence
    return evidence


def _yaml():  # noqa: ANN202
    from efl.files import yamlio
    return yamlio


def _groups():  # noqa: ANN202
    from efl.workforce import groups
    return groups


def _representation():  # noqa: ANN202
    from efl.workforce import representation
    return representation


def _sections():  # noqa: ANN202
    from efl.reports import sections
    return sections


def _target():  # noqa: ANN202
    from efl.core import target
    return target


def _progress():  # noqa: ANN202
    from efl.plan import progress
    return progress


def _compare():  # noqa: ANN202
    from efl.peer import compare
    return compare


def _compare_many():  # noqa: ANN202
    from efl.peer import compare_many
    return compare_many


_LAZY = {
    # the framework, the assessment and the result
    **dict.fromkeys(["Framework", "Level", "Area", "Criterion", "Assessment", "EvidenceItem", "Result", "AreaResult",
                     "CriterionResult", "Trace", "Action", "FactValue", "Share", "Need"], _models),
    # the nine protected characteristics (a leaf module: no pydantic needed)
    **dict.fromkeys(["CHARACTERISTICS", "characteristic_label"], _identifiers),
    # what it would take (efl assess --target): what a rule type's what_it_takes route is given
    "TargetContext": _target,
    # rules
    **dict.fromkeys(["Rule", "RuleContext"], _rules),
    # the loaded evidence and CSV tables
    **dict.fromkeys(["EvidenceSet", "EvidenceRecord", "Table", "Column", "read_records"], _evidence),
    "YamlDocument": _yaml,
    # people's answers in workforce and community files, and the community profile's typed form
    **dict.fromkeys(["Vocabulary", "Reading"], _groups),
    **dict.fromkeys(["CommunityProfile", "CommunityRow"], _representation),
    # figures a plugin gives every report (efl_report_sections)
    **dict.fromkeys(["ReportSection", "ReportTable"], _sections),
    # the progress report on the action plan (efl progress), for report formats that show it
    "ProgressReport": _progress,
    # comparisons (efl compare), for report formats that show them
    "Comparison": _compare,
    **dict.fromkeys(["Trend", "Across"], _compare_many),
}

__all__ = sorted([
    "API_VERSION", "hookimpl", "hookspec",
    "AreaScore", "AssessmentContext", "EvidenceFormat", "EvidenceType", "Fact", "FactSpec", "FrameworkSource",
    "OverallLevel", "ReportFormat", "ReportOptions", "RuleType",
    "Diagnostic", "DiagnosticSink", "EvidenceError", "ExitCode", "warning",
    *_LAZY,
])


def __getattr__(name: str):  # noqa: ANN202 - PEP 562
    load = _LAZY.get(name)
    if load is not None:
        value = getattr(load(), name)
        globals()[name] = value
        return value
    # Before API_VERSION 1.0 every helper was a top-level name; those now in efl.provisional still
    # work for one release, with a warning (the deprecation policy in docs/plugins.md).
    from importlib import import_module

    provisional = import_module("efl.provisional")
    if name in provisional.__all__:
        import warnings

        warnings.warn(f"efl.{name} is deprecated and will be removed in the next release: it is a provisional "
                      f"helper, not part of efl's promised API (import it from efl.provisional)",
                      DeprecationWarning, stacklevel=2)
        return getattr(provisional, name)
    raise AttributeError(f"module 'efl' has no attribute {name!r}")


def __dir__() -> list:
    return [*__all__, "__version__"]
