"""Every hook efl calls, in pipeline order. This module is the reference for plugin authors.

A plugin is a module (or object) with functions named after these hooks and marked with
``@efl.hookimpl``. It is found through the ``efl`` entry-point group::

    [project.entry-points.efl]
    my-plugin = "my_package.efl_plugin"

Conventions:

* ``efl_register_<things>(register)`` hooks are called once per run, before any evidence is read.
  Call ``register(thing)`` for each thing; a name registered twice is an error naming both plugins.
* Per-run hooks receive a few typed objects and return a value or ``None``.
* Only the two decisions, ``efl_score_area`` and ``efl_overall_level``, stop at the first non-``None``
  result; the built-in answers are ``trylast`` so any other plugin's wins.
* Every call into a plugin has a time limit (``EFL_HOOK_TIMEOUT`` seconds, default 600): one that
  takes longer is stopped and named, like one that raises.
* Raise :class:`efl.EvidenceError` to report bad evidence (exit code 2). Any other exception is a
  plugin failure: efl names the plugin and the hook and exits with code 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:
    from efl.core.models import Action, Area, AreaResult, CriterionResult, Framework, Result
    from efl.core.plugin_api import (AreaScore, AssessmentContext, EvidenceFormat, EvidenceType, Fact, FactSpec,
                                     FrameworkSource, OverallLevel, ReportFormat, RuleType)
    from efl.reports.sections import ReportSection

hookspec = pluggy.HookspecMarker("efl")
# What a plugin marks its hook implementations with (``@efl.hookimpl``).
hookimpl = pluggy.HookimplMarker("efl")

# --- frameworks ------------------------------------------------------------------------------------


@hookspec
def efl_register_frameworks(register: Callable[[FrameworkSource], None]) -> None:
    """Provide framework definition files.

    :param register: call ``register(FrameworkSource(path))`` for each YAML framework file. The
        framework's ``id`` is read from the file; two files with the same id are an error naming
        both plugins.
    """


# --- evidence --------------------------------------------------------------------------------------


@hookspec
def efl_register_evidence_formats(register: Callable[[EvidenceFormat], None]) -> None:
    """Provide readers for kinds of file (CSV, YAML, Markdown...).

    :param register: call ``register(EvidenceFormat(name, extensions, load))`` for each format.
        A file whose ending no format claims is kept as an opaque ``document`` (hashed, not read).
    """


@hookspec
def efl_register_evidence_types(register: Callable[[EvidenceType], None]) -> None:
    """Provide the evidence types an assessment may list, with their checks.

    :param register: call ``register(EvidenceType(name, title, formats, parse))`` for each type.
        ``parse(document, item, assessment)`` runs during ``efl validate`` and ``efl assess`` for
        each item of the type whose file a format read. ``document`` is what that format's ``load``
        returned: an :class:`efl.Table` for ``csv``, an :class:`efl.YamlDocument` for ``yaml``, an
        object with ``text``, ``front_matter`` and ``meta`` for ``markdown``, and (not parsed) the raw
        bytes for ``document``. ``item`` is the :class:`efl.EvidenceItem` from ``assessment.yaml``,
        ``assessment`` the :class:`efl.Assessment` (``local_characteristics`` is always set; other
        fields may be missing while ``assessment.yaml`` itself has errors). What ``parse`` returns
        is ``record.parsed`` for fact plugins. Raise ``EvidenceError`` with every problem in the file.
    """


# --- facts -----------------------------------------------------------------------------------------


@hookspec
def efl_register_facts(register: Callable[[FactSpec], None]) -> None:
    """Declare the facts this plugin computes, so frameworks can be checked before evidence is read.

    :param register: call ``register(FactSpec(name, description, needs))`` for each fact.
    """


@hookspec
def efl_compute_facts(context: AssessmentContext) -> list[Fact] | None:
    """Compute facts for one assessment from its evidence.

    :param context: the assessment, framework and loaded evidence.
    :returns: a list of :class:`efl.Fact` with names this plugin declared. Leave a fact out when the
        evidence it needs is missing: rules that use it then say "insufficient evidence".
    """


# --- rules -----------------------------------------------------------------------------------------


@hookspec
def efl_register_rule_types(register: Callable[[RuleType], None]) -> None:
    """Provide rule types that framework criteria can use.

    :param register: call ``register(RuleType(name, options, evaluate, children))``.
    """


# --- scoring ---------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def efl_score_area(area: Area, criteria: list[CriterionResult], framework: Framework,
                   context: AssessmentContext) -> AreaScore | None:
    """Decide the level an area reaches from its criteria outcomes.

    Stops at the first non-``None`` result. The built-in scorer (``trylast``) gives the highest level
    all of whose criteria, and all criteria of the levels below, are met or not applicable.

    :param area: the framework's area.
    :param criteria: the outcome of each of the area's criteria, in framework order.
    :param framework: the framework (for its ordered levels).
    :param context: the whole assessment.
    :returns: an :class:`efl.AreaScore`, or ``None`` to leave the decision to the next scorer.
    """


@hookspec(firstresult=True)
def efl_overall_level(framework: Framework, areas: list[AreaResult], context: AssessmentContext) -> OverallLevel | None:
    """Decide the council's overall level from its areas' levels.

    Stops at the first non-``None`` result. The built-in rule (``trylast``) is the lowest level any
    area reaches (``framework.lowest(a.level for a in areas)``), as the EFLG asks.

    :param framework: the framework (for its ordered levels: ``framework.level_rank(level)``).
    :param areas: every area's result (``level``, ``criteria``), in framework order, before actions.
    :param context: the whole assessment.
    :returns: an :class:`efl.OverallLevel`, or ``None`` to leave the decision to the next plugin.
    """


# --- actions ---------------------------------------------------------------------------------------


@hookspec
def efl_propose_actions(area: Area, result: AreaResult, context: AssessmentContext) -> list[Action] | None:
    """Propose improvement actions for an area that has been scored.

    :param area: the framework's area (criteria with their ``action``, ``owner`` and ``due``).
    :param result: the area's level and criteria outcomes.
    :param context: the whole assessment, with ``context.facts`` filled in.
    :returns: a list of :class:`efl.Action`. One action per criterion is kept: the first proposed, in
        the order plugins are asked (third-party ones first, the built-in proposer last); actions for
        no particular criterion are all kept.
    """


# --- reports ---------------------------------------------------------------------------------------


@hookspec
def efl_register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    """Provide output formats for ``efl assess --format`` and ``efl report``.

    :param register: call ``register(ReportFormat(name, description, render, extension, compare))``;
        ``compare`` (optional) also makes the format available to ``efl compare``.
    """


@hookspec
def efl_report_sections(result: Result) -> list[ReportSection] | None:
    """Give every report sections of figures worked out from a result (pay gaps, representation...).

    Called when a report is rendered, from the result alone (so ``efl report RESULT.json`` shows the
    same sections). Every format renders them generically: the section's heading, its sentences and
    its tables; a format reads them as ``options.sections``.

    :param result: the assessment's result, facts included (``result.facts``).
    :returns: a list of :class:`efl.ReportSection`, each with a ``key`` no other plugin uses; every
        plugin's sections are kept, in the framework's area order.
    """
