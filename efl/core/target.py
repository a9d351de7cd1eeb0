"""What it would take to reach a level (``efl assess --target LEVEL``), worked out from the rule trees.

For each area below the target, every criterion not yet met up to the target level is listed with
what it would take: the figure now and the figure needed, in people where the figure is a rate
whose fact says what it counts (:class:`efl.Share`), its action, lead and due date. The areas below
the target are the ones holding the overall level back.

Nothing here knows a criterion or a fact. Each rule type says what it would take through its
``what_it_takes`` route (see :class:`efl.RuleType`); the helpers below compose sub-rules correctly
(``all``: each failing condition; ``any``: one of them; ``not``: the opposite, with De Morgan's laws
inside it), and a rule type without a route still gets its own reason, so nothing is left out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from efl.core.levels import PASSING, held_back_by
from efl.core.proposals import one_per_criterion
from efl.core.models import Need, PeopleNeeded, Target, TargetArea, TargetCriterion, Trace, WaiverLapse
from efl.errors import PluginError, UsageError

if TYPE_CHECKING:
    from efl.core.framework import LoadedFramework
    from efl.core.models import AreaResult, CriterionResult, FactValue, Framework, Result, WaiverRecord
    from efl.core.plugin_api import AssessmentContext, FactSpec
    from efl.core.plugin_host import PluginHost
    from efl.core.rules import Rule

# What each comparison becomes when a condition must stop holding (a rule under ``not``).
NEGATED = {"at_least": "below", "below": "at_least", "at_most": "above", "above": "at_most",
           "equals": "not_equals", "not_equals": "equals", "one_of": "not_one_of", "not_one_of": "one_of"}


@dataclass(frozen=True)
class TargetRequest:
    """``--target LEVEL`` (a level's id or name, or ``next``) and optionally ``--area AREA``."""

    level: str
    area: str | None = None


@dataclass(frozen=True)
class TargetContext:
    """What a rule type's ``what_it_takes`` is given besides its rule and trace.

    :param facts: the facts of the run, by name (:class:`efl.FactValue`, with ``shares`` for rates).
    :param fact_specs: every declared fact, by name (for descriptions).
    :param negated: True inside a ``not``: the condition must stop holding, so a threshold turns round.
    """

    facts: dict[str, FactValue]
    fact_specs: dict[str, FactSpec]
    date: dt.date
    negated: bool = False

    def needs(self, rule: Rule, trace: Trace, negated: bool | None = None) -> list[Need]:
        """What a (sub-)rule would take: its rule type's route, or its own reason when it has none."""
        ctx = self if negated is None or negated == self.negated else replace(self, negated=negated)
        route = getattr(rule.type, "what_it_takes", None)
        if route is None:
            return [fallback_need(trace, ctx.negated)]
        hook = f"efl_register_rule_types (rule type '{rule.type.name}', what_it_takes)"
        from efl.core.plugin_host import blame, describe_value

        with blame(rule.plugin, hook):
            found = route(rule, trace, ctx)
        if not isinstance(found, list) or not all(isinstance(n, Need) for n in found):
            raise PluginError(rule.plugin, hook, f"returned {describe_value(found)} (expected a list of efl.Need)")
        return found or [fallback_need(trace, ctx.negated)]


def fallback_need(trace: Trace, negated: bool = False) -> Need:
    """A condition whose rule type says nothing more: its own reason, and that it must hold (or stop)."""
    reason = trace.reason[:1].upper() + trace.reason[1:] if trace.reason else trace.rule
    needed = "this must no longer hold" if negated else "this must hold"
    return Need(kind="condition", condition=trace.rule, needed=needed, evidence=list(trace.evidence),
                sentence=f"{reason.rstrip('.')} ({needed}).")


def _pairs(rule: Rule, trace: Trace) -> list[tuple[Rule, Trace]] | None:
    if len(rule.children) != len(trace.children):
        return None
    return list(zip(rule.children, trace.children))


def choice(options: list[list[Need]]) -> list[Need]:
    """One of several ways is enough: a single way is itself, several become one ``choice`` need."""
    ways = [_group(way) for way in options if way]
    if len(ways) == 1:
        return [ways[0]]
    return [Need(kind="choice", sentence="One of these would do: " + "; or ".join(w.sentence.rstrip(".") for w in ways)
                 + ".", options=ways)]


def _group(needs: list[Need]) -> Need:
    if len(needs) == 1:
        return needs[0]
    return Need(kind="all", sentence="All of: " + "; ".join(n.sentence.rstrip(".") for n in needs) + ".",
                options=needs)


def needs_all(rule: Rule, trace: Trace, ctx: TargetContext) -> list[Need]:
    """``all``: each condition not met is needed; under ``not``, any one of those met must stop holding."""
    pairs = _pairs(rule, trace)
    if pairs is None:
        return [fallback_need(trace, ctx.negated)]
    if ctx.negated:
        return choice([ctx.needs(r, t) for r, t in pairs if t.outcome == "met"])
    return [n for r, t in pairs if t.outcome not in PASSING for n in ctx.needs(r, t)]


def needs_any(rule: Rule, trace: Trace, ctx: TargetContext) -> list[Need]:
    """``any``: one of the conditions is enough; under ``not``, each that holds must stop holding."""
    pairs = _pairs(rule, trace)
    if pairs is None:
        return [fallback_need(trace, ctx.negated)]
    if ctx.negated:
        return [n for r, t in pairs if t.outcome == "met" for n in ctx.needs(r, t)]
    return choice([ctx.needs(r, t) for r, t in pairs if t.outcome not in PASSING])


def needs_not(rule: Rule, trace: Trace, ctx: TargetContext) -> list[Need]:
    """``not``: its condition turned round."""
    pairs = _pairs(rule, trace)
    if not pairs:
        return [fallback_need(trace, ctx.negated)]
    child_rule, child_trace = pairs[0]
    return ctx.needs(child_rule, child_trace, negated=not ctx.negated)


def negate(operator: str) -> str:
    """The comparison a value must pass for a condition to stop holding (``at_least`` -> ``below``)."""
    return NEGATED[operator]


def _passes(operator: str, value: Fraction, threshold: Fraction) -> bool:
    return {"at_least": value >= threshold, "above": value > threshold, "at_most": value <= threshold,
            "below": value < threshold, "equals": value == threshold, "not_equals": value != threshold}[operator]


def people_needed(fact: FactValue, operator: str, threshold: Any) -> list[PeopleNeeded]:
    """How many more (or fewer) people a rate needs to pass ``operator threshold``, its whole unchanged.

    Worked in exact fractions from the fact's shares (never from a rounded percentage). A fact that is
    the lowest of several shares needs each failing share raised (and the highest of several, each
    lowered); otherwise the one share that needs the least change is enough.
    """
    if not fact.shares or operator not in ("at_least", "above", "at_most", "below", "equals"):
        return []
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        return []
    t = Fraction(str(threshold))
    rates = [Fraction(s.part * s.per, s.whole) for s in fact.shares]
    # Furthest from the threshold first: the largest change leads the sentence.
    failing = sorted((i for i, rate in enumerate(rates) if not _passes(operator, rate, t)),
                     key=lambda i: (-abs(rates[i] - t), i))
    if not failing:
        return []
    value = fact.value if isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool) else None
    lowest = value is not None and abs(float(min(rates)) - value) < 1e-3
    highest = value is not None and abs(float(max(rates)) - value) < 1e-3
    each = len(rates) == 1 or (operator in ("at_least", "above") and lowest) or \
        (operator in ("at_most", "below") and highest)
    out = []
    for i in failing:
        share = fact.shares[i]
        exact = t * share.whole / share.per
        needed = {"at_least": math.ceil(exact), "above": math.floor(exact) + 1, "at_most": math.floor(exact),
                  "below": math.ceil(exact) - 1, "equals": int(exact) if exact.denominator == 1 else None}[operator]
        if needed is None:
            continue
        change = needed - share.part
        possible = 0 <= needed <= share.whole
        noun = share.one if abs(change) == 1 and share.one else share.counted
        words = (f"{abs(change):,} {'more' if change > 0 else 'fewer'} {noun}" if possible else
                 f"not possible for {share.counted}: {needed:,} of {share.whole:,} would be needed")
        out.append(PeopleNeeded(counted=share.counted, part=share.part, whole=share.whole, needed=needed,
                                change=change, basis=share.basis, words=words, possible=possible))
    if not each and out:
        out = [min(out, key=lambda p: (not p.possible, abs(p.change)))]
    return out


def people_words(people: list[PeopleNeeded]) -> str:
    """"73 more staff recording their sexual orientation and 10 more ..., at today's headcount"."""
    from efl.reports.report_text import and_list

    if not people:
        return ""
    bases = {p.basis for p in people}
    if len(bases) == 1:
        basis = next(iter(bases))
        return and_list([p.words for p in people]) + (f", {basis}" if basis else "")
    return and_list([p.words + (f", {p.basis}" if p.basis else "") for p in people])


# --- the target of one run -------------------------------------------------------------------------


def target_level(framework: Framework, text: str, overall: str | None) -> str:
    """The level ``--target`` names (id or name, any case), or ``next``: the level above the overall level."""
    from efl.core.vocabulary import UnknownWord, key, level_id

    if key(text) == "next":
        rank = framework.level_rank(overall)
        if rank >= len(framework.levels):
            return framework.levels[-1].id
        return framework.level_at(rank + 1)
    try:
        return level_id(framework, text)
    except UnknownWord as exc:
        raise UsageError(f"--target {exc}") from None


def target_area(framework: Framework, text: str) -> str:
    """The area ``--area`` names: its id, another id it is known by, or its title, in any case."""
    from efl.core.vocabulary import UnknownWord, choose, key

    table = {}
    for area in framework.areas:
        for name in (area.id, area.title, *area.aliases):
            table.setdefault(key(name), area.id)
    try:
        return choose(text, table, f"an area of {framework.id}", [f"{a.id} ({a.title})" for a in framework.areas])
    except UnknownWord as exc:
        # A word of one area's title ("workforce") is a near miss too.
        within = sorted({ident for name, ident in table.items() if key(text) and key(text) in name})
        if exc.guess is None and len(within) == 1:
            raise UsageError(f"--area '{text}' is not an area of {framework.id} (did you mean '{within[0]}'?)") from None
        raise UsageError(f"--area {exc}") from None


def check_target(loaded, framework: LoadedFramework, sink) -> None:  # noqa: ANN001
    """``target:`` in assessment.yaml names a level of the folder's own edition."""
    from efl.core.vocabulary import UnknownWord, level_id

    a = loaded.assessment
    if a is None or a.target is None or framework.framework.id != a.framework:
        return
    try:
        a.target = level_id(framework.framework, a.target)
    except UnknownWord as exc:
        line, col = loaded.doc.locate(("target",))
        sink.add(loaded.doc.path, line, col, f"target: {exc}")


def criterion_needs(c: CriterionResult, loaded: LoadedFramework, ctx: TargetContext) -> list[Need]:
    """What one criterion would take: its ``applies_when`` when that cannot be decided, else its rule."""
    applies = loaded.applies.get(c.id)
    if applies is not None and c.applies is not None and c.applies.outcome == "insufficient_evidence":
        return ctx.needs(applies, c.applies)
    rule = loaded.rules.get(c.id)
    trace = c.trace.children[0] if c.waived and c.trace.children else c.trace
    if rule is None:
        return [fallback_need(trace)]
    return ctx.needs(rule, trace)


def build_target(request: TargetRequest, result: Result, loaded: LoadedFramework, host: PluginHost,
                 context: AssessmentContext, waivers: list[WaiverRecord], originals: dict[str, CriterionResult],
                 ) -> Target:
    """The whole target: per area, the criteria not yet met up to the level, their needs and actions.

    :param originals: each waived criterion as the evidence judged it, for what lapses when.
    """
    fw = loaded.framework
    level = target_level(fw, request.level, result.overall_level)
    only = target_area(fw, request.area) if request.area is not None else None
    rank = fw.level_rank(level)
    ctx = TargetContext(context.facts, host.facts().items, context.date)
    areas_by_id = {a.id: a for a in fw.areas}
    out_areas, lapses_all = [], []
    for area in result.areas:
        if only is not None and area.id != only:
            continue
        reached = fw.level_rank(area.level) >= rank
        rows = []
        if not reached:
            actions = _actions_to(level, areas_by_id[area.id], area, host, context)
            for c in area.criteria:
                if c.outcome in PASSING or fw.level_rank(c.level) > rank:
                    continue
                action = actions.get(c.id)
                rows.append(TargetCriterion(
                    id=c.id, title=c.title, area=area.id, level=c.level, outcome=c.outcome, statutory=c.statutory,
                    local=c.local, needs=criterion_needs(c, loaded, ctx),
                    action=action.what if action else None, owner=action.owner if action else None,
                    lead=action.lead if action else None, due=action.due if action else None,
                    overdue=action.overdue if action else False, priority=action.priority if action else None))
        lapses = []
        for w in waivers:
            if w.area != area.id or w.status != "live" or fw.level_rank(_level_of(area, w.criterion)) > rank:
                continue
            original = originals.get(w.criterion)
            needs = criterion_needs(original, loaded, ctx) if original is not None and original.outcome not in PASSING \
                else []
            lapses.append(WaiverLapse(criterion=w.criterion, area=area.id, title=w.title, expires=w.expires,
                                      counts_from=w.expires + dt.timedelta(days=1), outcome=w.outcome, needs=needs))
        lapses_all += lapses
        out_areas.append(TargetArea(id=area.id, title=area.title, level=area.level, reached=reached, criteria=rows,
                                    scored_by=area.scored_by, lapses=lapses))
    overall_rank = fw.level_rank(result.overall_level)
    return Target(level=level, area=only, overall=result.overall_level, reached=overall_rank >= rank,
                  held_back_by=held_back_by(fw, {a.id: a.level for a in result.areas}, level,
                                            _overall_rule(result, fw, host, context)),
                  lowest=[a.id for a in result.areas if fw.level_rank(a.level) == overall_rank],
                  areas=out_areas, lapses=sorted(lapses_all, key=lambda x: (x.expires, x.criterion)))


def _overall_rule(result: Result, fw, host: PluginHost, context: AssessmentContext):  # noqa: ANN001, ANN202
    """The overall rule in force (``efl_overall_level``), as a function of the areas' levels."""
    def overall(by_area: dict[str, str | None]) -> str | None:
        areas = [a.model_copy(update={"level": by_area[a.id]}) for a in result.areas]
        decided = host.overall_level(fw, areas, context)
        return decided[1].level if decided else None

    return overall


def _level_of(area: AreaResult, criterion: str) -> str | None:
    return next((c.level for c in area.criteria if c.id == criterion), None)


def _actions_to(level: str, area, result: AreaResult, host: PluginHost, context: AssessmentContext) -> dict:  # noqa: ANN001
    """The actions the action plugins propose when the next level is ``level``: the plan to the target.

    When that is the area's own next level, its action plan already holds them (leads included).
    """
    if result.next_level == level:
        actions = list(result.actions)
    else:
        stretched = result.model_copy(update={"next_level": level})
        actions = one_per_criterion(host.propose_actions(area, stretched, context))
    found = {}
    for action in actions:
        if action.criterion and action.criterion not in found:
            found[action.criterion] = action
    return found
