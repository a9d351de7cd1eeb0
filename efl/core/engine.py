"""The pipeline: framework + evidence -> facts -> criteria -> area levels -> actions -> result.

The engine reads no clock: the assessment's own ``date`` is "today" for every rule, so the same
folder always gives the same result. Between folders it keeps only the catalogues of frameworks and
crosswalks (each file read and checked once), which is what makes a national run fast.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from efl.version import __version__
from efl.core.assessment import LoadedAssessment, check_against_framework, load_evidence, read_assessment
from efl.core.fact_kinds import fits, value_words
from efl.errors import Diagnostic, DiagnosticSink, ExitCode, InputError, PluginError, UsageError
from efl.files.evidence import EvidenceSet
from efl.core.framework import FrameworkCatalogue, LoadedFramework
from efl.plan.governance import check_governance, contact_line
from efl.core.models import (Action, AreaResult, AssessmentRef, CalendarRef, Criterion, CriterionResult, EvidenceRef,
                     FactValue, FrameworkRef, PluginFailure, PluginRef, Result, Share, Trace, WarningRef, Window)
from efl.peer.withheld import Withheld, is_personal, overlay_facts, overlay_warnings, read_withheld
from efl.peer.record import apply_agreed
from efl.reports.front_sheet import meeting_ref
from efl.core.plugin_api import AssessmentContext, Fact
from efl.core.plugin_host import PluginHost, describe_value
from efl.core.proposals import one_per_criterion
from efl.core.rules import RuleContext
from efl.law.evidence_dates import calendar_warnings
from efl.core.switched_off import leave_out_switched_off_items, with_switched_off_facts
from efl.core.tailoring import not_used_result, tailor
from efl.core.target import TargetRequest, build_target, check_target
from efl.core.waivers import apply_waivers, check_waivers
from efl.law.statutory import check_snapshots, declared_headcounts

# 1.1 added agreed levels and evidence_from; 1.2 incomplete, failures and action_plan, the record
# of a peer challenge, assessment.window, framework.calendar and due/overdue on each criterion (all
# optional, so 1.0 and 1.1 results still read back).
# 1.3 the committee report's front sheet (assessment.meeting, lead_member) and each evidence item's
# title, url, publication date and whether it is personal (for background papers); the peer
# challenge's feedback, and claims of "not yet" the first level; hypothetical and assumptions,
# waivers, target, framework.tailoring, and per criterion waived and local, per fact shares and assumed.
SCHEMA_VERSION = "1.3"


@dataclass
class Prepared:
    """A folder read and checked, ready to assess: its assessment, framework and evidence, and the warnings."""

    loaded: LoadedAssessment
    framework: LoadedFramework
    evidence: EvidenceSet
    warnings: list[Diagnostic] = field(default_factory=list)
    # An unpacked evidence pack whose personal files were left out: what stands in for them.
    withheld: Withheld | None = None


@dataclass(frozen=True)
class RunOptions:
    """What a run assesses besides the evidence: assumed figures (a what-if) and a target level."""

    assumptions: tuple = ()        # efl.core.assumptions.Raw, from --assume and --assume-file
    target: Any = None             # efl.core.target.TargetRequest, from --target and --area


@dataclass
class Run:
    """A finished assessment, plus any plugins that failed while computing facts."""

    result: Result
    failures: list[PluginError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    # The assessment.yaml this run read: later steps (the plan merge) use it instead of reading again.
    loaded: LoadedAssessment | None = None

    @property
    def exit_code(self) -> ExitCode:
        """What the run comes to for the ``efl`` command, one folder or many: a plugin that failed
        while computing facts leaves the result incomplete, which is exit code 3 (the one place
        that says so)."""
        return ExitCode.PLUGIN if self.failures else ExitCode.OK


class Engine:
    """What one command works with: the plugin host, and the framework and crosswalk catalogues
    built from it. Use one engine for every folder of a many-folder run."""

    def __init__(self, host: PluginHost):
        self.host = host
        self.frameworks = FrameworkCatalogue(host)
        self._crosswalks = None

    @property
    def crosswalks(self):  # noqa: ANN201 - efl.core.crosswalk.Crosswalks
        """The crosswalk catalogue, made when first used (only comparisons across editions need it)."""
        if self._crosswalks is None:
            from efl.core.crosswalk import Crosswalks

            self._crosswalks = Crosswalks(self.frameworks)
        return self._crosswalks

    def prepare(self, folder: Path, framework_id: str | None = None, on_read=None) -> Prepared:  # noqa: ANN001
        """Read and check one folder; ``on_read(loaded)`` is called as soon as assessment.yaml is read
        (a worker process tells its supervisor which council it is on)."""
        return _prepare(folder, self, framework_id, on_read)

    def assess(self, folder: Path, framework_id: str | None = None, options: RunOptions | None = None) -> Run:
        return _assess_prepared(_prepare(folder, self, framework_id), self.host, options)

    def assess_prepared(self, prepared: Prepared, options: RunOptions | None = None) -> Run:
        return _assess_prepared(prepared, self.host, options)


def prepare(folder: Path, host: PluginHost, framework_id: str | None = None) -> Prepared:
    """Read and check one folder with a fresh :class:`Engine` (what ``efl validate`` does)."""
    return Engine(host).prepare(folder, framework_id)


def assess(folder: Path, host: PluginHost, framework_id: str | None = None) -> Run:
    """Assess one folder with a fresh :class:`Engine`; to assess several, make one engine and reuse it."""
    return Engine(host).assess(folder, framework_id)


def assess_prepared(prepared: Prepared, host: PluginHost, options: RunOptions | None = None) -> Run:
    return _assess_prepared(prepared, host, options)


def fail_under_level(result: Result, text: str) -> str:
    """The level ``--fail-under`` names, by id or by name in any case (``Achieving``, ``ACHIEVING``)."""
    from efl.core.vocabulary import UnknownWord, level_id

    try:
        return level_id(result.framework, text)
    except UnknownWord as exc:
        raise UsageError(f"--fail-under {exc}") from None


def is_below(result: Result, level: str) -> bool:
    """Whether the overall level is below ``level`` (for ``--fail-under``)."""
    return result.framework.level_rank(result.overall_level) < result.framework.level_rank(level)


def _prepare(folder: Path, engine: Engine, framework_id: str | None = None, on_read=None) -> Prepared:  # noqa: ANN001
    """Read and check everything (what ``efl validate`` does); raise InputError with every problem."""
    host = engine.host
    loaded = read_assessment(folder)
    if on_read is not None:
        on_read(loaded)
    try:
        framework = engine.frameworks.load(framework_id or loaded.framework_id)
    except UsageError as error:
        if framework_id is not None:
            raise
        # The id came from the file: point at it there.
        line, col = loaded.doc.locate(("framework",))
        raise InputError(Diagnostic(loaded.doc.path, line, col, str(error))) from None
    sink = DiagnosticSink()
    sink.extend(loaded.errors)
    framework = tailor(loaded, framework, engine.frameworks, sink)
    leave_out_switched_off_items(loaded, host, sink)
    types = host.evidence_types().items
    check_against_framework(loaded, framework, types, sink, host.facts().items)
    check_waivers(loaded, framework, sink)
    check_target(loaded, framework, sink)
    if framework.calendar is not None:
        check_snapshots(loaded.items, loaded.evidence_doc, framework.calendar.calendar, sink)
    check_governance(loaded, framework, sink)
    withheld = read_withheld(loaded.evidence_folder)
    if loaded.assessment is not None:
        # (The Census classifications are read from the catalogue when a parser or a fact first asks
        # for them: a folder with no workforce or census file never needs them.)
        loaded.assessment._framework = framework.framework
        loaded.assessment._frameworks = engine.frameworks
    evidence = load_evidence(loaded, host, sink, withheld)
    if framework.calendar is not None and loaded.assessment is not None:
        calendar_warnings(loaded, framework.calendar.calendar, evidence, types, sink)
    sink.raise_if_any()
    if withheld is not None and not any(r.withheld for r in evidence):
        withheld = None  # the personal files are back: read them as usual
    return Prepared(loaded, framework, evidence, sorted(set(sink.warnings)), withheld)


def _assess_prepared(prepared: Prepared, host: PluginHost, options: RunOptions | None = None) -> Run:
    options = options or RunOptions()
    fw = prepared.framework.framework
    assessment = prepared.loaded.assessment
    notes = []
    if fw.id != assessment.framework and (assessment.claims or assessment.agreed or assessment.challenges
                                           or assessment.evidence_requests or assessment.agreed_actions):
        # Claims name the areas and criteria of the edition the folder was written for; applying
        # them to another edition's ids would misattribute them, so they are left out and said so.
        notes.append(f"the claims and agreed levels in assessment.yaml are for {assessment.framework}; "
                     f"they are not applied when assessing against {fw.id}")
        assessment = assessment.model_copy(update={"claims": {}, "agreed": {}, "challenges": [],
                                                   "evidence_requests": [], "agreed_actions": []})
    if fw.id != assessment.framework and (assessment.waivers or assessment.tailoring or assessment.target):
        # Waivers and tailoring name criteria of the folder's own edition, as claims do.
        notes.append(f"the waivers, local tailoring and target in assessment.yaml are for {assessment.framework}; "
                     f"they are not applied when assessing against {fw.id}")
        assessment = assessment.model_copy(update={"waivers": [], "tailoring": None, "target": None})
    # Plugins never see a withheld personal file; its figures come from the pack's record instead.
    visible = EvidenceSet([r for r in prepared.evidence if not r.withheld]) if prepared.withheld else prepared.evidence
    context = AssessmentContext(assessment, fw, visible, prepared.loaded.evidence_folder)
    facts, failures = compute_facts(host, context)
    if prepared.withheld is not None:
        facts = overlay_facts(prepared.withheld, facts)
    fact_specs = with_switched_off_facts(host)  # a switched-off plugin's fact is described, with no figure
    assumed = []
    if options.assumptions:  # a what-if (efl assess --assume): its module only then
        from efl.core.assumptions import apply as assume

        facts, assumed = assume(list(options.assumptions), facts, fact_specs, prepared.framework)
    context.facts = facts
    window = look_back(assessment)
    calendar = prepared.framework.calendar
    rule_context = RuleContext(assessment.date, prepared.evidence, facts, fact_specs,
                               tuple(_characteristics(assessment)), window.end,
                               calendar.calendar if calendar else None, host.evidence_types().items,
                               *declared_headcounts(assessment.council))
    areas: list[AreaResult] = []
    waivers, unwaived = [], {}
    for area in fw.areas:
        criteria = [evaluate_criterion(c, prepared.framework, rule_context) for c in area.criteria]
        if assessment.waivers:
            unwaived.update((c.id, c) for c in criteria)
            criteria, records = apply_waivers(assessment, area.id, criteria)
            waivers += records
        scored = host.score_area(area, criteria, fw, context)
        if scored is None:
            # The built-in scorer is essential and always decides, so only a replaced one gets here.
            scorers = host.implementers("efl_score_area")
            raise PluginError(", ".join(scorers) or "scorer", "efl_score_area", f"no scorer decided area "
                              f"'{area.title}' (expected one of them to return an efl.AreaScore)")
        scorer, score = scored
        if not isinstance(score.summary, str):
            raise PluginError(scorer, "efl_score_area", f"returned an AreaScore whose summary is "
                              f"{describe_value(score.summary)} (expected a sentence of text)")
        if score.level is not None and score.level not in fw.level_ids():
            raise PluginError(scorer, "efl_score_area", f"returned the level {score.level!r} (expected one of "
                              f"the framework's level ids: {', '.join(fw.level_ids())}, or None)")
        rank = fw.level_rank(score.level)
        next_level = fw.level_at(rank + 1) if rank < len(fw.levels) else None
        claim = assessment.claims.get(area.id)
        agreed = assessment.agreed.get(area.id)
        result = AreaResult(id=area.id, title=area.title, level=score.level, next_level=next_level,
                            claimed_level=claim.level if claim else None,
                            agreed_level=agreed.level if agreed else None,
                            agreed_reason=agreed.reason if agreed else None, scored_by=scorer,
                            summary=score.summary, criteria=criteria)
        actions: list[Action] = one_per_criterion(host.propose_actions(area, result, context))
        actions = apply_agreed(assessment, area.id, {c.id for c in area.criteria}, actions)
        order = {c.id: i for i, c in enumerate(area.criteria)}
        result.actions = sorted(actions, key=lambda x: (x.priority, order.get(x.criterion, len(order)), x.what))
        areas.append(result)
    overall = decide_overall(host, fw, areas, context)
    area_order = {a.id: i for i, a in enumerate(fw.areas)}
    all_actions = sorted((x for a in areas for x in a.actions),
                         key=lambda x: (x.priority, area_order.get(x.area, 99)))
    result = Result(
        schema_version=SCHEMA_VERSION,
        efl_version=__version__,
        framework=FrameworkRef(id=fw.id, version=fw.version, title=fw.title, sha256=prepared.framework.sha256,
                               levels=fw.levels,
                               calendar=CalendarRef(id=calendar.calendar.id, version=calendar.calendar.version,
                                                    sha256=calendar.sha256,
                                                    duties=list(prepared.framework.duties)) if calendar else None,
                               tailoring=prepared.framework.tailoring.ref if prepared.framework.tailoring else None),
        assessment=AssessmentRef(council=assessment.council.name, date=assessment.date, period=assessment.period,
                                 window=window,
                                 assessor=assessment.assessor, claims=assessment.claims,
                                 evidence_from=assessment.evidence_from, contact=contact_line(assessment),
                                 meeting=meeting_ref(assessment), lead_member=assessment.council.lead_member,
                                 agreed=assessment.agreed, challenges=assessment.challenges,
                                 evidence_requests=assessment.evidence_requests,
                                 agreed_actions=assessment.agreed_actions, sign_off=assessment.sign_off,
                                 feedback=assessment.feedback),
        overall_level=overall,
        areas=areas,
        actions=all_actions,
        facts=sorted(facts.values(), key=lambda f: f.name),
        evidence=[EvidenceRef(id=r.item.id, type=r.item.type, file=r.item.file, date=r.item.date,
                              sha256=r.sha256, illustrative=r.item.illustrative, title=r.item.title,
                              url=r.item.url, published=r.item.published, personal=is_personal(r.item, host.evidence_types().items))
                  for r in prepared.evidence],
        plugins=[PluginRef(name=i.name, distribution=i.distribution, version=i.version) for i in host.loaded()],
        incomplete=bool(failures),
        failures=[PluginFailure(plugin=f.plugin, hook=f.hook, message=f.message) for f in failures],
        action_plan=bool(host.implementers("efl_propose_actions")),
        warnings=[warning_ref(d, (prepared.loaded.evidence_folder, prepared.loaded.folder)) for d in prepared.warnings],
        hypothetical=bool(assumed),
        assumptions=assumed,
        waivers=waivers,
    )
    # --target, else the council's own target in assessment.yaml (for the folder's own edition).
    target = options.target or (TargetRequest(assessment.target) if assessment.target and fw.id == assessment.framework
                                else None)
    if target is not None:
        result.target = build_target(target, result, prepared.framework, host, context, waivers, unwaived)
    if prepared.withheld is not None:
        result.warnings = overlay_warnings(prepared.withheld, result.warnings)
    return Run(result, failures, notes, prepared.warnings, prepared.loaded)


def decide_overall(host: PluginHost, fw, areas: list[AreaResult], context: AssessmentContext) -> str | None:  # noqa: ANN001
    """The overall level, from ``efl_overall_level`` (the built-in answer, asked last: the lowest area level)."""
    decided = host.overall_level(fw, areas, context)
    if decided is None:
        # The built-in policy is essential and always decides, so only a replaced one gets here.
        deciders = host.implementers("efl_overall_level")
        raise PluginError(", ".join(deciders) or "scorer", "efl_overall_level", "no plugin decided the overall "
                          "level (expected one of them to return an efl.OverallLevel)")
    plugin, value = decided
    if value.level is not None and value.level not in fw.level_ids():
        raise PluginError(plugin, "efl_overall_level", f"returned the level {value.level!r} (expected one of the "
                          f"framework's level ids: {', '.join(fw.level_ids())}, or None)")
    return value.level


def warning_ref(diagnostic: Diagnostic, folders: tuple[Path, ...]) -> WarningRef:
    """A warning for the JSON result, its file named relative to the assessment (or evidence) folder
    so that the same folder gives the same JSON wherever efl is run from."""
    path = Path(diagnostic.path)
    shown = path.name
    for folder in folders:
        if path.is_relative_to(folder):
            shown = path.relative_to(folder).as_posix()
            break
    return WarningRef(file=shown, line=diagnostic.line, col=diagnostic.col, message=diagnostic.message)


def look_back(assessment) -> Window:  # noqa: ANN001
    """The window "in the last year" ends on: the end of the period assessed, else the assessment date."""
    if assessment.period is not None:
        return Window(end=assessment.period.end, basis="period", statutory_on=assessment.date)
    return Window(end=assessment.date, basis="date", statutory_on=assessment.date)


def _characteristics(assessment) -> list[str]:  # noqa: ANN001
    from efl.core.models import CHARACTERISTICS

    return list(CHARACTERISTICS) + list(assessment.local_characteristics)


def compute_facts(host: PluginHost, context: AssessmentContext) -> tuple[dict[str, FactValue], list[PluginError]]:
    """Ask every plugin for its facts; a plugin that fails is recorded and the others still count.

    A plugin whose facts break the contract (undeclared, twice, not a finite JSON value) fails as a
    whole: none of its facts are used, rather than some of them.
    """
    registry = host.facts()
    results, failures = host.compute_facts(context)
    facts: dict[str, FactValue] = {}
    for plugin, produced in results:
        try:
            values = [_fact_value(plugin, fact, registry.owner) for fact in produced]
            for value in values:
                _check_kind(plugin, value, registry.items[value.name])
            names = [v.name for v in values]
            # (Looked for only when some name comes twice: counting each name is quadratic in a plugin's facts.)
            if len(set(names)) != len(names) or not facts.keys().isdisjoint(names):
                twice = sorted({n for n in names if names.count(n) > 1} | (set(names) & set(facts)))
                raise PluginError(plugin, "efl_compute_facts", f"computed fact {twice[0]!r} twice")
        except PluginError as error:
            failures.append(error)
            continue
        facts.update((v.name, v) for v in values)
    return facts, failures


def _fact_value(plugin: str, fact: Fact, owners: dict[str, str]) -> FactValue:
    owner = owners.get(fact.name)
    if owner != plugin:
        why = f"it is declared by {owner!r}" if owner else "no plugin declared it with efl_register_facts"
        raise PluginError(plugin, "efl_compute_facts", f"computed fact {fact.name!r} but {why}")
    evidence = [fact.evidence] if isinstance(fact.evidence, str) else fact.evidence
    # (isinstance by map rather than a generator: a small council's facts are about 60)
    if not isinstance(evidence, (list, tuple)) or not all(map(_is_text, evidence)):
        raise PluginError(plugin, "efl_compute_facts", f"fact {fact.name!r} has evidence {describe_value(evidence)} "
                          "(expected a list of evidence ids)")
    if fact.statement is not None and not isinstance(fact.statement, str):
        raise PluginError(plugin, "efl_compute_facts", f"fact {fact.name!r} has a statement that is "
                          f"{describe_value(fact.statement)} (expected text or None)")
    try:
        value = _json_value(fact.value)
    except ValueError as error:
        raise PluginError(plugin, "efl_compute_facts", f"fact {fact.name!r} {error}") from None
    shares = getattr(fact, "shares", None) or []
    if not isinstance(shares, (list, tuple)) or (shares and not all(isinstance(s, Share) and s.part <= s.whole
                                                                     for s in shares)):
        raise PluginError(plugin, "efl_compute_facts", f"fact {fact.name!r} has shares {describe_value(shares)} "
                          "(expected a list of efl.Share, each part no more than its whole)")
    return FactValue(name=fact.name, value=value, evidence=sorted(set(evidence)), statement=fact.statement,
                     plugin=plugin, shares=list(shares))


_is_text = str.__instancecheck__  # isinstance(x, str), as a function map can call


def _check_kind(plugin: str, value: FactValue, spec) -> None:  # noqa: ANN001
    """A fact whose value is not the kind its FactSpec declares fails its plugin (see efl.core.fact_kinds)."""
    kind = getattr(spec, "kind", "")
    if kind and not fits(kind, value.value):
        raise PluginError(plugin, "efl_compute_facts", f"computed fact {value.name!r} as {value_words(value.value)} "
                          f"(expected {'a ' if kind not in ('text',) else ''}{kind}, the kind it declares)")


# Values :func:`_json_value` keeps as they are, by exact type: most of a fact's values are these.
_AS_IS = frozenset({str, int, bool, type(None)})
# Exact types the general way has turned into a float (the Fractions of exact pay arithmetic, Decimal),
# as they are met: the same type always takes the same way there, so the next such value goes straight to
# float() (a small council's facts hold about 70 Fractions).
_AS_FLOAT: set[type] = set()


def _json_value(value: Any) -> Any:
    """Plain JSON data, numbers at full precision: a fact is the figure itself, never a rounded copy
    (a gap of 2.2499756 kept as 2.25 would be re-rounded by a reader to 2.3). Sentences round for people.

    NaN and infinity are refused, not turned into "no value": a rule would read them as "not met".
    Numbers of other types (an exact Fraction or Decimal, numpy's) become the nearest plain number, and
    dates ISO text, as JSON has them.

    The plain types are handled first by exact type, and the plain values inside a mapping or a list
    without a call each (a small council's facts hold about 500 values); anything else goes the
    general way, :func:`_any_json_value`. tests/test_fact_json_values.py compares the two.
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind in _AS_FLOAT:
        value, kind = float(value), float
    if kind is float:
        if value - value == 0.0:  # finite (infinity less itself, and NaN, are NaN)
            return 0.0 if value == 0 else value
    elif kind is dict:
        return {str(k): v if type(v) in _AS_IS else _json_value(v) for k, v in value.items()}
    elif kind is list:
        return [v if type(v) in _AS_IS else _json_value(v) for v in value]
    return _any_json_value(value)


def _any_json_value(value: Any) -> Any:
    """:func:`_json_value` for any value, by ``isinstance`` (subclasses, other number types, dates)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, float):
        kind = type(value)
        value = float(value)
        if len(_AS_FLOAT) < 64:
            _AS_FLOAT.add(kind)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"has the value {value} (expected a finite number; leave the fact out "
                             "when it cannot be worked out)")
        return 0.0 if value == 0 else float(value)  # never -0.0; numpy's float subclass as a plain float
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    raise ValueError(f"has a value of type {type(value).__name__} (expected a number, text, true or false, "
                     "or a list or mapping of them)")


def evaluate_criterion(criterion: Criterion, framework: LoadedFramework, ctx: RuleContext) -> CriterionResult:
    """One criterion's outcome, with what local tailoring changed about it marked."""
    tailored = framework.tailoring
    if tailored is not None and criterion.id in tailored.not_used:
        return not_used_result(criterion, tailored)
    result = _evaluate(criterion, framework, ctx)
    if tailored is not None and criterion.id in tailored.changes:
        result.local = list(tailored.changes[criterion.id])
    return result


def _evaluate(criterion: Criterion, framework: LoadedFramework, ctx: RuleContext) -> CriterionResult:
    applies = framework.applies.get(criterion.id)
    applies_trace = ctx.evaluate(applies) if applies else None
    if applies_trace is not None and applies_trace.outcome != "met":
        outcome = "not_applicable" if applies_trace.outcome == "not_met" else "insufficient_evidence"
        reason = ("does not apply: " if outcome == "not_applicable" else "cannot tell whether it applies: ")
        leaves = deciding_leaves(applies_trace)
        reasons = [reason + r for r in _reasons_of(leaves)]
        trace = Trace(rule="applies when", outcome=outcome, reason=reasons[0], children=[applies_trace])
        return CriterionResult(id=criterion.id, title=criterion.title, level=criterion.level,
                               statutory=criterion.statutory and _in_law(applies_trace), outcome=outcome, reasons=reasons,
                               evidence=_collected(leaves, "evidence"), facts=_collected(leaves, "facts"),
                               trace=trace, applies=applies_trace, source=criterion.source)
    trace = ctx.evaluate(framework.rules[criterion.id])
    # The leaves that decided the outcome, found once for the reasons, evidence, facts and due date.
    leaves = deciding_leaves(trace)
    due, overdue = _due_of(leaves)
    return CriterionResult(id=criterion.id, title=criterion.title, level=criterion.level,
                           statutory=criterion.statutory and _in_law(trace), outcome=trace.outcome,
                           reasons=_reasons_of(leaves),
                           evidence=_collected(leaves, "evidence"), facts=_collected(leaves, "facts"), trace=trace,
                           applies=applies_trace, source=criterion.source, due=due, overdue=overdue)


def _in_law(trace: Trace) -> bool:
    """False when a rule found that no law imposed the duty on the assessment date (so no report may
    call the criterion a legal duty that day)."""
    stack = [trace]  # every trace of the tree, without a generator per level
    while stack:
        t = stack.pop()
        if t.not_law:
            return False
        stack.extend(t.children)
    return True


def _due_of(leaves: list[Trace]) -> tuple:
    """The earliest due date set on one of the leaves that decided the outcome, if any (``Trace.due``)."""
    dated = [leaf for leaf in leaves if leaf.due is not None]
    if not dated:
        return None, False
    first = min(dated, key=lambda leaf: leaf.due)
    return first.due, first.overdue


def deciding_leaves(trace: Trace) -> list[Trace]:
    """The leaf rules that decided a trace's outcome (the failing ones of a failed 'all', and so on)."""
    if not trace.children:
        return [trace]
    same = [c for c in trace.children if c.outcome == trace.outcome]
    chosen = same or trace.children
    return [leaf for child in chosen for leaf in deciding_leaves(child)]


def _reasons_of(leaves: list[Trace]) -> list[str]:
    seen: list[str] = []
    for leaf in leaves:
        if leaf.reason not in seen:
            seen.append(leaf.reason)
    return seen


def _collected(leaves: list[Trace], attr: str) -> list[str]:
    out: list[str] = []
    for leaf in leaves:
        for value in getattr(leaf, attr):
            if value not in out:
                out.append(value)
    return out
