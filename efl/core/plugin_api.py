"""What plugins register with efl (frameworks, evidence formats and types, facts, rule types, report
formats) and what efl hands their per-run hooks (the assessment context, report options).

Each registrable thing has a ``name``; two plugins registering the same name is an error that names
the plugin that came second. See ``efl/core/hookspecs.py`` for the hooks that take them and
``docs/plugins.md`` for a guide. Plugins import these from ``efl`` itself (``efl.EvidenceType``):
this module is efl's own business, and ``efl/__init__.py`` is the public face.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from pydantic import BaseModel

    from efl.files.evidence import EvidenceSet
    from efl.core.models import Action, Area, AreaResult, Assessment, CriterionResult, Framework, Result, Trace


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

    :param name: the id used in ``assessment.yaml``, e.g. ``carers-survey``.
    :param title: plain-English name for reports.
    :param formats: names of the evidence formats accepted (``csv``, ``yaml``, ``markdown``,
        ``document``); empty means any.
    :param parse: optional ``parse(document, item, assessment) -> parsed``: checks the document
        against the type's contract and returns what fact plugins read as ``record.parsed``. The
        document is what the file's format loaded (see ``efl_register_evidence_types``). Report every
        problem at once by raising ``EvidenceError`` with a list of diagnostics.
    :param file_required: whether an item of this type must name a file.
    :param schema: optional pydantic model of a YAML file of this type; ``efl schema`` writes its
        JSON Schema so editors can check the file as it is typed.
    :param personal: whether every file of this type holds personal data (one row per person, say):
        ``efl pack`` then leaves it out of an evidence pack whatever the item says, keeping its
        fingerprint and the figures worked out from it instead.
    :param requires: fields of an evidence item (``body``, ``published``...) that every item of this
        type must fill in; an item without one is an error at its line.
    :param shape: the class ``parse`` returns (``efl.CommunityProfile`` for the built-in community
        profile), so that a type standing in for this one (``provides``) can be checked to return it too.
    :param publication: whether an item of this type is a published document (a report on the
        council's website, its equality objectives): only publications count towards a statutory duty
        to publish, and an item of another type counts only when it gives ``published:``. An item
        marked ``personal: true`` is never a publication.
    :param headcount: optional ``headcount(parsed) -> int | None``: how many people the council
        employed on an item's date, read from what ``parse`` returned (a workforce profile's rows).
        A duty measured on a date (250 or more employees on a pay gap snapshot) reads it from each
        item dated that day, so two profiles of two years each count for their own snapshot.
    :param provides: names of other evidence types this type stands in for: its ``parse`` returns
        their shape, and each item of this type is also an item of them, so the facts, comparisons and
        ``evidence:`` rules of those types use it, with no clash and nothing switched off. See
        "Standing in for a built-in evidence type" in docs/plugins.md.
    :param fields: optional pydantic model of keys this type's items may carry in ``assessment.yaml``
        beside efl's own (an ONS geography code, say: ``geography: E09000004``). Each item's keys are
        validated against it (errors at their line and column, every one at once); ``item.fields`` is
        then the model's instance. A key no model declares is still an unknown key.
    """

    name: str
    title: str
    formats: tuple[str, ...] = ()
    parse: Callable[[Any, Any, Any], Any] | None = None
    file_required: bool = True
    schema: Any = None
    personal: bool = False
    requires: tuple[str, ...] = ()
    shape: Any = None
    provides: tuple[str, ...] = ()
    # New in this release, after the promised fields (so a positional call keeps working).
    publication: bool = False
    headcount: Callable[[Any], int | None] | None = None
    fields: Any = None


@dataclass(frozen=True)
class RuleType:
    """A kind of rule a framework criterion can use, selected by its ``name`` as a YAML key.

    :param name: the key that selects the rule type, e.g. ``evidence`` in ``{evidence: carers-survey}``.
    :param options: a pydantic model for the whole rule mapping (it must have a field called ``name``).
    :param evaluate: ``evaluate(rule: efl.Rule, ctx: efl.RuleContext) -> Trace`` (both are typed
        ``Any`` here: the rules module, which defines them, is built on this one).
    :param children: names of option fields that hold sub-rules (a rule mapping or a list of them).
    :param summary: one line for ``efl plugins`` and the docs.
    :param what_it_takes: optional ``what_it_takes(rule, trace, ctx: TargetContext) -> list[Need]``: what a
        rule that is not met would take (for ``efl assess --target``), e.g. the figure now and the figure
        needed. ``ctx.needs(sub_rule, sub_trace)`` asks a sub-rule; ``ctx.negated`` is True inside a
        ``not``. :func:`efl.needs_all`, :func:`efl.needs_any` and :func:`efl.needs_not` compose sub-rules
        as ``all``, ``any`` and ``not`` do. Without it, the rule's own reason is shown.
    """

    name: str
    options: type[BaseModel]
    evaluate: Callable[[Any, Any], Trace]  # (efl.Rule, efl.RuleContext) -> Trace
    children: tuple[str, ...] = ()
    summary: str = ""
    what_it_takes: Callable[[Any, Trace, Any], list] | None = None  # (efl.Rule, Trace, TargetContext)


@dataclass(frozen=True)
class FactSpec:
    """A named fact a plugin promises to compute, declared before any evidence is read.

    :param name: dotted name, ``yourplugin.something``, e.g. ``carers.evidence_items``.
    :param description: what it means, in plain English.
    :param needs: evidence types it is computed from (used to explain a missing fact).
    :param headcount: whether its value is the number of people the council employs. Duties that
        apply from a number of employees are judged on it; when several facts declare it, the one
        whose evidence is dated on the day the duty measures is used, else the first by name.
    :param kind: what kind of value it is, one of :data:`FACT_KINDS` (``number``, ``whole number``,
        ``yes or no``, ``text``, ``date``, ``list``, ``mapping``). efl checks each value against it
        (another kind is the plugin's failure) and lists it in the fact reference (``docs/facts.md``).
        Empty: not declared, and not checked.
    """

    name: str
    description: str
    needs: tuple[str, ...] = ()
    headcount: bool = False
    kind: str = ""


# What a fact's value may be (FactSpec.kind), in words a framework author reads in docs/facts.md.
FACT_KINDS = ("number", "whole number", "yes or no", "text", "date", "list", "mapping")


@dataclass
class Fact:
    """A fact's value for one assessment.

    :param name: a name declared with ``efl_register_facts``.
    :param value: a JSON value (number, text, true/false, list or mapping).
    :param evidence: ids of the evidence items it came from.
    :param statement: a plain-English sentence with the figure, shown beside actions it drives,
        e.g. "Women are 71% of the lower pay quartile but 38% of the upper."
    :param shares: for a rate, what it counts (:class:`efl.Share`: 247 of 400 staff recording their
        sexual orientation), so ``efl assess --target`` can say what reaching a threshold takes in
        people. A fact that is the lowest (or highest) of several rates lists each of them.
    """

    name: str
    value: Any
    evidence: list[str] = field(default_factory=list)
    statement: str | None = None
    shares: list = field(default_factory=list)


@dataclass(frozen=True)
class AreaScore:
    """What a scorer decides for an area.

    :param level: the level reached (a level id), or ``None`` for "not yet at the first level".
    :param summary: one plain-English sentence saying why.
    """

    level: str | None
    summary: str = ""


@dataclass(frozen=True)
class OverallLevel:
    """What a plugin decides for the council's overall level (``efl_overall_level``).

    :param level: the overall level (a level id), or ``None`` for "not yet at the first level".
    """

    level: str | None


@dataclass(frozen=True)
class ReportFormat:
    """An output format for ``efl assess --format`` and ``efl report``.

    :param name: the ``--format`` value.
    :param description: one line for ``--help`` and ``efl plugins``.
    :param render: ``render(result: Result, options: ReportOptions) -> str`` (or ``bytes`` for a file
        format such as xlsx, which is then only written with ``-o``).
    :param extension: usual file ending, e.g. ``.html``.
    :param compare: optional ``compare(comparison, options) -> str`` for ``efl compare --format NAME``:
        ``comparison`` is an :class:`efl.Comparison` (two results), an :class:`efl.Trend` (``--trend``)
        or an :class:`efl.Across` (``--across``). :func:`efl.comparison_text` shows one in efl's
        own table, Markdown or JSON style.
    """

    name: str
    description: str
    render: Callable[[Result, ReportOptions], str | bytes]
    extension: str = ".txt"
    compare: Callable[[Any, ReportOptions], str] | None = None
    # Optional ``progress(report, options) -> str | bytes`` for ``efl progress --format NAME``:
    # ``report`` is an :class:`efl.ProgressReport` (the quarterly or annual report on the action plan).
    progress: Callable[[Any, ReportOptions], str | bytes] | None = None


@dataclass(frozen=True)
class ReportOptions:
    """What a report format's ``render`` is given besides the result (``efl assess --explain`` and so on)."""

    explain: bool = False
    # The action plan to write (``efl assess --plan FILE``), for formats that write plans (xlsx).
    plan: Any = None
    # Every plugin's sections of figures (``efl_report_sections``), filled in before ``render`` is called.
    sections: tuple[Any, ...] = ()
    # The framework's statutory calendar (dates, duties and citations), for a report's legal section.
    calendar: Any = None


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
    :param evidence: the loaded evidence, an :class:`efl.EvidenceSet`: ``evidence.items_of(type)``
        (newest first), ``evidence.latest(type)``, and for each record ``record.item`` and
        ``record.parsed`` (what the evidence type's ``parse`` returned).
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


__all__ = ["AreaScore", "AssessmentContext", "EvidenceFormat", "EvidenceType", "Fact", "FactSpec", "FrameworkSource",
           "OverallLevel", "ReportFormat", "ReportOptions", "RuleType"]
