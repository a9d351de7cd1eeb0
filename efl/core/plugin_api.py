"""The public API for plugins: what they register with efl, what efl hands them, and helpers.

Each registrable thing has a ``name``; two plugins registering the same name is an error that names
both. See ``efl/core/hookspecs.py`` for the hooks that take them and ``docs/plugins.md`` for a guide.

Everything in :data:`__all__` is also a top-level name of ``efl`` (``from efl import Trace``), and a
plugin should import nothing else from efl except ``efl.testing``. The types defined in other
modules (results, evidence tables, rules, report helpers) are imported on first use, so that
``import efl`` stays cheap for ``efl --help``.
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
    from efl.core.rules import Rule, RuleContext


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
    fields: Any = None


@dataclass(frozen=True)
class RuleType:
    """A kind of rule a framework criterion can use, selected by its ``name`` as a YAML key.

    :param name: the key that selects the rule type, e.g. ``evidence`` in ``{evidence: carers-survey}``.
    :param options: a pydantic model for the whole rule mapping (it must have a field called ``name``).
    :param evaluate: ``evaluate(rule: Rule, ctx: RuleContext) -> Trace``.
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
    evaluate: Callable[[Rule, RuleContext], Trace]
    children: tuple[str, ...] = ()
    summary: str = ""
    what_it_takes: Callable[[Rule, Trace, Any], list] | None = None


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


# Public names defined in other efl modules: name -> module path below efl, written with "/" (or
# module:attribute where the public name differs). Resolved lazily by __getattr__ below.
ELSEWHERE: dict[str, str] = {
    # errors: reporting bad evidence, and warnings about suspicious but usable evidence
    "Diagnostic": "errors", "DiagnosticSink": "errors", "EvidenceError": "errors", "warning": "errors",
    # the framework, the assessment and the result
    "Framework": "core/models", "Level": "core/models", "Area": "core/models", "Criterion": "core/models",
    "Assessment": "core/models", "EvidenceItem": "core/models", "Result": "core/models", "AreaResult": "core/models",
    "CriterionResult": "core/models", "Trace": "core/models", "Action": "core/models", "FactValue": "core/models",
    "CHARACTERISTICS": "core/models", "characteristic_label": "core/models", "OUTCOME_LABELS": "core/models",
    "Text": "core/models",  # a text field where a bare date or number is read as the text written
    # what it would take (efl assess --target), waivers, what-if and local tailoring
    "Share": "core/models", "Need": "core/models", "PeopleNeeded": "core/models", "TargetContext": "core/target",
    "needs_all": "core/target", "needs_any": "core/target", "needs_not": "core/target", "negate": "core/target",
    "people_needed": "core/target", "people_words": "core/target", "fallback_need": "core/target",
    "hypothetical_sentence": "reports/local_text", "hypothetical_label": "reports/local_text", "assumption_sentences": "reports/local_text",
    "tailoring_sentence": "reports/local_text", "tailoring_source": "reports/local_text", "waiver_rows": "reports/local_text",
    "waiver_heading": "reports/local_text", "waiver_intro": "reports/local_text", "local_words": "reports/local_text",
    "criterion_marks": "reports/local_text", "marked_title": "reports/local_text", "WaiverRow": "reports/local_text",
    "target_heading": "reports/target_text", "target_sentences": "reports/target_text",
    "target_rows": "reports/target_text", "TargetRow": "reports/target_text", "lapse_sentences": "reports/target_text",
    # rules
    "Rule": "core/rules", "RuleContext": "core/rules",
    # evidence: the loaded set and CSV tables
    "EvidenceSet": "files/evidence", "EvidenceRecord": "files/evidence", "Table": "files/evidence", "Column": "files/evidence",
    "read_records": "files/evidence", "is_recorded": "files/evidence", "normalise_characteristic": "files/evidence",
    "load_csv": "files/evidence", "find_columns": "files/evidence", "read_columns": "files/evidence", "Columns": "files/evidence",
    "EncodedColumn": "files/evidence", "encoded_column": "files/evidence", "row_count": "files/evidence",
    "unique_and_filled": "files/evidence", "parse_decimal": "files/evidence", "CellError": "files/evidence",
    "header_column": "files/evidence",
    # large tables read column by column (pyarrow), behaving as a Table
    "load_table": "files/columnar", "ArrowTable": "files/columnar",
    # people's answers in workforce and community files, and the published community profile
    "GROUP": "workforce/groups", "NOT_RECORDED": "workforce/groups", "DECLINED": "workforce/groups", "OTHER_ANSWER": "workforce/groups",
    "UNRECOGNISED": "workforce/groups", "Vocabulary": "workforce/groups", "vocabulary_for": "workforce/groups", "age_band": "workforce/groups",
    "merge_age_bands": "workforce/groups",
    # Census 2021 classifications (ethnic group, disability, ...): groups, roll-ups and the words files use
    "classifications_for": "workforce/classification", "Classification": "workforce/classification",
    "ClassificationSet": "workforce/classification",
    "CommunityProfile": "workforce/representation", "CommunityRow": "workforce/representation",
    "compare_with_community": "workforce/representation", "community_age_range": "workforce/representation",
    # words people write in YAML files: "word_key" is the form two spellings share ("Not met", "not_met")
    "word_key": "core/vocabulary:key", "covers_value": "core/vocabulary:covers",
    # YAML documents with positions
    "YamlDocument": "files/yamlio", "parse_yaml": "files/yamlio", "decode_text": "files/yamlio", "pydantic_diagnostics": "files/yamlio",
    # governance: who leads, and when each body expects reports
    "resolve_lead": "plan/governance",
    "governance_schedules": "plan/governance:schedules", "BodySchedule": "plan/governance",
    # the council's own action plan (efl assess --plan), for formats that write it
    "ActionPlan": "plan/action_plan:Plan", "PLAN_STATUSES": "plan/action_plan:STATUSES",
    "propose_plan_lines": "plan/action_plan:propose", "plan_table": "plan/action_plan:table",
    "optional_import": "files/optional:need",
    # office files (Word, Excel): text with the characters XML cannot hold shown as escapes
    "xml_safe": "files/xml_text",
    # comparisons (efl compare), for report formats that show them
    "Comparison": "peer/compare", "Trend": "peer/compare_many", "Across": "peer/compare_many", "comparison_text": "reports/report_formats",
    # dates
    "Duration": "law/dates", "parse_duration": "law/dates", "add_months": "law/dates", "next_anniversary": "law/dates",
    "within": "law/dates", "ONE_YEAR": "law/dates",
    # the statutory calendar: duties judged on the assessment date
    "judge_duty": "law/statutory", "duty_in_force": "law/statutory", "DutyStatus": "law/statutory", "published_on": "law/statutory",
    # measures
    "gap_pct": "workforce/measures", "mean_gap_pct": "workforce/measures", "median_gap_pct": "workforce/measures", "Band": "workforce/measures",
    "band_bounds": "workforce/measures", "quartile_bands": "workforce/measures", "share_pct": "workforce/measures",
    "representation_ratio": "workforce/measures", "pence_in_pound": "workforce/measures", "one_decimal": "workforce/measures",
    "pay_gap_figures": "workforce/measures", "PayGapFigures": "workforce/measures",
    # pay gaps between any two groups, exactly, and which groups a report by ethnic group can show
    "PayGroup": "workforce/measures", "pay_groups": "workforce/measures", "pay_gap": "workforce/measures",
    "PayGap": "workforce/measures", "half_up": "workforce/measures",
    "plan_comparisons": "workforce/pay_comparisons", "ComparisonPlan": "workforce/pay_comparisons",
    # sections of figures plugins give every report (efl_report_sections)
    "ReportSection": "reports/sections", "ReportTable": "reports/sections",
    # the committee paper's parts, for a format or a council's own template to lay out
    "committee_paper": "reports/paper", "Paper": "reports/paper", "PaperPart": "reports/paper:Part",
    "levels_table": "reports/paper",
    # the progress report on the action plan (efl progress), for formats that show it
    "ProgressReport": "plan/progress", "progress_text": "plan/progress:render_style",
    "progress_parts": "plan/progress", "progress_title": "plan/progress:title",
    # the words people read: one term for each idea, reasons in plain English
    "plain_reason": "reports/wording", "plain_words": "reports/wording", "lead_words": "reports/wording",
    "priority_key": "reports/wording", "group_words": "reports/wording", "NOT_CLAIMED": "reports/wording",
    # the words every report format shares
    "PlanRow": "reports/report_text", "plan_rows": "reports/report_text", "summary_sentences": "reports/report_text",
    "title_line": "reports/report_text", "role_words": "reports/report_text", "long_date": "reports/report_text",
    "percent": "reports/report_text",
    "outcome_label": "reports/report_text", "count": "reports/report_text", "area_sentence": "reports/report_text",
    "agreed_levels": "reports/report_text", "level_rank": "reports/report_text", "statutory_actions": "reports/report_text",
    "no_actions_sentence": "reports/report_text", "incomplete_sentence": "reports/report_text",
    "criteria_by_id": "reports/report_text", "area_titles": "reports/report_text", "markdown_escape": "reports/report_text",
    "markdown_table": "reports/report_text", "agreed_overall": "reports/report_text", "claim_rows": "reports/report_text",
    "ClaimRow": "reports/report_text", "warning_heading": "reports/report_text", "report_style": "reports/report_text", "and_list": "reports/report_text", "warning_sentences": "reports/report_text",
}

__all__ = sorted([
    "AreaScore", "AssessmentContext", "EvidenceFormat", "EvidenceType", "Fact", "FactSpec",
    "FrameworkSource", "OverallLevel", "ReportFormat", "ReportOptions", "RuleType", *ELSEWHERE,
])


def __getattr__(name: str) -> Any:
    where = ELSEWHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'efl.core.plugin_api' has no attribute {name!r}")
    from importlib import import_module

    module, _, attribute = where.partition(":")
    value = getattr(import_module("efl." + module.replace("/", ".")), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(ELSEWHERE))
