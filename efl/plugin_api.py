"""The objects plugins register with efl and the objects efl hands to plugins.

Each registrable thing has a ``name``; two plugins registering the same name is an error that names
both. See ``efl/hookspecs.py`` for the hooks that take them and ``docs/plugins.md`` for a guide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .evidence import EvidenceSet
    from .models import Action, Area, AreaResult, Assessment, CriterionResult, Framework, Result, Trace
    from .rules import Rule, RuleContext


@dataclass(frozen=True)
class EvidenceFormat:
    """How to read a kind of file into a document object.

    :param name: short name, e.g. ``csv``.
    :param extensions: file name endings it reads, lower case with the dot, e.g. ``(".csv",)``.
    :param load: ``load(data: bytes, shown: str) -> document``; raise ``EvidenceError`` for bad input.
    """

    name: str
    extensions: tuple[str, ...]
    load: Callable[[bytes, str], Any]


@dataclass(frozen=True)
class EvidenceType:
    """A kind of evidence an assessment can list (``type:`` of an evidence item).

    :param name: the id used in ``assessment.yaml``, e.g. ``workforce-profile``.
    :param title: plain-English name for reports.
    :param formats: names of the evidence formats accepted (``csv``, ``yaml``, ``markdown``,
        ``document``); empty means any.
    :param parse: optional ``parse(document, item, assessment) -> parsed``: checks the document
        against the type's contract and returns what fact plugins read via ``EvidenceSet.parsed``. Report every
        problem at once by raising ``EvidenceError`` with a list of diagnostics.
    :param file_required: whether an item of this type must name a file.
    """

    name: str
    title: str
    formats: tuple[str, ...] = ()
    parse: Callable[[Any, Any, Any], Any] | None = None
    file_required: bool = True


@dataclass(frozen=True)
class RuleType:
    """A kind of rule a framework criterion can use, selected by its ``name`` as a YAML key.

    :param name: the key that selects the rule type, e.g. ``evidence`` in ``{evidence: community-profile}``.
    :param options: a pydantic model for the whole rule mapping (it must have a field called ``name``).
    :param evaluate: ``evaluate(rule: Rule, ctx: RuleContext) -> Trace``.
    :param children: names of option fields that hold sub-rules (a rule mapping or a list of them).
    :param summary: one line for ``efl plugins`` and the docs.
    """

    name: str
    options: type[BaseModel]
    evaluate: Callable[[Rule, RuleContext], Trace]
    children: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class FactSpec:
    """A named fact a plugin promises to compute, declared before any evidence is read.

    :param name: dotted name, e.g. ``workforce.pay_gap.median_hourly_pct``.
    :param description: what it means, in plain English.
    :param needs: evidence types it is computed from (used to explain a missing fact).
    """

    name: str
    description: str
    needs: tuple[str, ...] = ()


@dataclass
class Fact:
    """A fact's value for one assessment.

    :param name: a name declared with ``efl_register_facts``.
    :param value: a JSON value (number, text, true/false, list or mapping).
    :param evidence: ids of the evidence items it came from.
    :param statement: a plain-English sentence with the figure, shown beside actions it drives,
        e.g. "Women are 71% of the lower pay quartile but 38% of the upper."
    """

    name: str
    value: Any
    evidence: list[str] = field(default_factory=list)
    statement: str | None = None


@dataclass(frozen=True)
class AreaScore:
    """What a scorer decides for an area.

    :param level: the level reached (a level id), or ``None`` for "not yet at the first level".
    :param summary: one plain-English sentence saying why.
    """

    level: str | None
    summary: str = ""


@dataclass(frozen=True)
class ReportFormat:
    """An output format for ``efl assess --format`` and ``efl report``.

    :param name: the ``--format`` value.
    :param description: one line for ``--help`` and ``efl plugins``.
    :param render: ``render(result: Result, options: ReportOptions) -> str``.
    :param extension: usual file ending, e.g. ``.html``.
    """

    name: str
    description: str
    render: Callable[[Result, ReportOptions], str]
    extension: str = ".txt"


@dataclass(frozen=True)
class ReportOptions:
    explain: bool = False
    # The action plan to write (``efl assess --plan FILE``), for formats that write plans (xlsx).
    plan: Any = None


@dataclass
class FrameworkSource:
    """A framework file a plugin provides (read lazily: only its header is needed to list it)."""

    path: Path
    plugin: str = ""


@dataclass
class AssessmentContext:
    """Everything known about one assessment run, handed to per-run hooks.

    :param assessment: the parsed ``assessment.yaml``.
    :param framework: the framework being applied.
    :param evidence: the loaded evidence (``evidence.items_of(type)``, ``evidence.parsed(item)``).
    :param folder: the assessment folder.
    :param facts: facts computed so far, by name (filled in after ``efl_compute_facts``).
    """

    assessment: Assessment
    framework: Framework
    evidence: EvidenceSet
    folder: Path
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def date(self) -> dt.date:
        return self.assessment.date

    @property
    def window_end(self) -> dt.date:
        """The day "in the last year" looks back from: the end of the period assessed, else the date."""
        period = self.assessment.period
        return period.end if period is not None else self.assessment.date


__all__ = [
    "AreaScore", "AssessmentContext", "EvidenceFormat", "EvidenceType", "Fact", "FactSpec",
    "FrameworkSource", "ReportFormat", "ReportOptions", "RuleType",
]

# Re-exported for type hints in plugins.
if TYPE_CHECKING:
    __all__ += ["Action", "Area", "AreaResult", "CriterionResult"]
