"""The built-in rule types: ``all``, ``any``, ``not``, ``evidence`` and ``fact``."""

# Annotations are evaluated as written (no "from __future__ import annotations"): pydantic would
# otherwise compile each model field's annotation from a string when the classes are made (start-up).

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

import efl
from efl import Rule, RuleContext, Trace
from efl.provisional import (count, covers_value, duty_in_force, fallback_need, judge_duty, long_date,
                             needs_all, needs_any, needs_not, negate, one_decimal, parse_duration,
                             people_needed, people_words, within, word_key)


class _Options(BaseModel):
    # Built when a framework first uses the rule type, not at import (start-up).
    model_config = ConfigDict(extra="forbid", defer_build=True)
    label: str | None = None


def _catalog(info: ValidationInfo):  # noqa: ANN202
    return (info.context or {}).get("catalog")


class AllOptions(_Options):
    all: list[Any] = Field(min_length=1)


class AnyOptions(_Options):
    any: list[Any] = Field(min_length=1)


class NotOptions(_Options):
    not_: dict[str, Any] = Field(alias="not")


def _combine(rule: Rule, ctx: RuleContext, mode: str) -> Trace:
    children = [ctx.evaluate(child) for child in rule.children]
    outcomes = [c.outcome for c in children]
    decided = "not_met" if mode == "all" else "met"
    other = "met" if mode == "all" else "not_met"
    if decided in outcomes:
        outcome = decided
    elif "insufficient_evidence" in outcomes:
        outcome = "insufficient_evidence"
    else:
        outcome = other
    count = sum(o in ("met", "not_applicable") for o in outcomes)
    word = "all of" if mode == "all" else "any of"
    reason = f"{count} of {len(children)} conditions met ({word} them needed)"
    return Trace(rule=rule.options.label or word, outcome=outcome, reason=reason, children=children)


def evaluate_not(rule: Rule, ctx: RuleContext) -> Trace:
    child = ctx.evaluate(rule.children[0])
    flipped = {"met": "not_met", "not_met": "met"}.get(child.outcome, child.outcome)
    return Trace(rule=rule.options.label or "not", outcome=flipped,
                 reason=f"the opposite of: {child.reason}", children=[child])


class EvidenceOptions(_Options):
    evidence: str
    max_age: str | None = None
    min_count: int = Field(default=1, ge=1)
    covers: list[str] | Literal["all"] | None = None

    @field_validator("evidence")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        catalog = _catalog(info)
        if catalog is not None and value not in catalog.evidence_types:
            raise ValueError(f"unknown evidence type '{value}' (expected one of: {', '.join(sorted(catalog.evidence_types))})")
        return value

    @field_validator("max_age")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("covers", mode="before")
    @classmethod
    def _spelling(cls, value: Any) -> Any:
        # 'all', '[all]' and 'Religion or belief' read as README writes them.
        if isinstance(value, str) and word_key(value) == "all":
            return "all"
        if isinstance(value, list) and [word_key(v) for v in value if isinstance(v, str)] == ["all"]:
            return "all"
        return covers_value(value)

    @field_validator("covers")
    @classmethod
    def _characteristics(cls, value: Any, info: ValidationInfo) -> Any:
        catalog = _catalog(info)
        if catalog is not None and isinstance(value, list):
            unknown = [v for v in value if v not in catalog.characteristics]
            if unknown:
                raise ValueError(f"unknown characteristic {', '.join(map(repr, unknown))} "
                                 f"(expected ids such as age, disability, race)")
        return value


def _kind(evidence_type: str) -> str:
    """An evidence type in words: ``community-profile`` -> ``community profile``."""
    return evidence_type.replace("-", " ").replace("_", " ")


def _named(record: Any) -> str:
    """An evidence item as people know it: its title, else its kind and date (never its id)."""
    item = record.item
    return f"'{item.title}'" if item.title else f"the {_kind(item.type)} dated {long_date(item.date)}"


def evaluate_evidence(rule: Rule, ctx: RuleContext) -> Trace:
    opts: EvidenceOptions = rule.options
    items = ctx.evidence.items_of(opts.evidence)
    label = opts.label or f"evidence: {opts.evidence}"
    kind = _kind(opts.evidence)
    if not items:
        return Trace(rule=label, outcome="not_met", problem="missing_evidence",
                     reason=f"no {kind} is listed in the evidence")
    fresh = items
    age = None
    if opts.max_age:
        # The window looks back from the end of the period assessed (else the assessment date); an item
        # dated after that end is newer, not stale.
        age = parse_duration(opts.max_age)
        fresh = [r for r in items if within(r.item.date, age, ctx.window_end)]
        if not fresh:
            newest = items[0].item
            called = f" ('{newest.title}')" if newest.title else ""
            end = (f"the end of the period assessed, {long_date(ctx.window_end)}" if ctx.window_end != ctx.date
                   else f"the assessment date, {long_date(ctx.date)}")
            return Trace(rule=label, outcome="not_met", problem="stale_evidence", evidence=[newest.id],
                         reason=f"the newest {kind}{called} is dated {long_date(newest.date)}, more than "
                                f"{age.words()} before {end}")
    ids = [r.item.id for r in fresh]
    dated = f" dated within {age.words()}" if age else ""
    if len(fresh) < opts.min_count:
        return Trace(rule=label, outcome="not_met", problem="missing_evidence", evidence=ids,
                     reason=f"{count(len(fresh), 'item')} of {kind} evidence{dated}; "
                            f"at least {opts.min_count} needed")
    if opts.covers is not None:
        wanted = list(ctx.characteristics if opts.covers == "all" else opts.covers)
        covered = {c for r in fresh for c in r.item.covers}
        missing = [c for c in wanted if c not in covered]
        if missing:
            return Trace(rule=label, outcome="not_met", problem="missing_evidence", evidence=ids,
                         reason=f"no {kind}{dated} covers "
                                f"{', '.join(efl.characteristic_label(c) for c in missing)}")
        return Trace(rule=label, outcome="met", evidence=ids,
                     reason=f"the {kind}{dated} covers the {count(len(wanted), 'characteristic')} needed")
    # Papers that share a title ("Quarterly update") are told apart by their dates.
    titles = [r.item.title for r in fresh if r.item.title]
    shared = {t for t in titles if titles.count(t) > 1}
    named = [f"{_named(r)} of {long_date(r.item.date)}" if r.item.title in shared else _named(r) for r in fresh]
    # A long run of papers reads as its newest few and a count, not a list a councillor must wade through.
    listed = ", ".join(named)
    if len(named) > 4:
        listed = f"{len(named)} items, the newest {', '.join(named[:3])} and {len(named) - 3} more"
    return Trace(rule=label, outcome="met", evidence=ids, reason=f"{kind}{dated}: {listed}")


_OPERATORS = {
    "at_least": ("at least", lambda v, t: v >= t),
    "at_most": ("at most", lambda v, t: v <= t),
    "above": ("above", lambda v, t: v > t),
    "below": ("below", lambda v, t: v < t),
    "equals": ("equal to", lambda v, t: v == t),
    "not_equals": ("other than", lambda v, t: v != t),
    "one_of": ("one of", lambda v, t: v in t),
}


class FactOptions(_Options):
    fact: str
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None
    below: float | None = None
    equals: bool | float | str | None = None
    not_equals: bool | float | str | None = None
    one_of: list[bool | float | str] | None = None

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str, info: ValidationInfo) -> str:
        catalog = _catalog(info)
        if catalog is not None and value not in catalog.facts:
            import difflib

            guess = difflib.get_close_matches(value, list(catalog.facts), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "expected a fact a loaded plugin declares; see 'efl plugins'"
            raise ValueError(f"no plugin provides the fact '{value}' ({hint})")
        return value

    @model_validator(mode="after")
    def _one_operator(self, info: ValidationInfo) -> "FactOptions":
        used = [name for name in _OPERATORS if getattr(self, name) is not None]
        if len(used) > 1:
            raise ValueError(f"a fact rule takes one comparison, found {', '.join(used)} "
                             "(expected one; combine several with 'all')")
        catalog = _catalog(info)
        spec = catalog.facts.get(self.fact) if catalog is not None else None
        kind = getattr(spec, "kind", "")
        op = self.operator()
        # The fact says what kind of value it is: a comparison that cannot apply is the framework's
        # mistake, reported at its line before any evidence is read.
        if op is not None and kind in ("list", "mapping", "text", "yes or no") and op[0] in _NUMERIC:
            raise ValueError(f"the fact '{self.fact}' is {'a ' if kind != 'text' else ''}{kind}, which "
                             f"'{op[0]}' cannot compare (expected a fact that is a number; see docs/facts.md)")
        return self

    def operator(self) -> tuple[str, Any] | None:
        for name in _OPERATORS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        return None


def _show(value: Any, unit: str = "") -> str:
    """A value for people (exact in the JSON facts), never -0: a percentage or points to one decimal
    place (12.0%, so a 11.99% gap is not shown as a round 12%); other numbers, such as ratios, to two
    places at most (0.18 stays 0.18 beside a threshold of 0.8)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if unit:
            return f"{one_decimal(value) + 0.0:.1f}"
        shown = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{shown.normalize() + 0:f}"
    if isinstance(value, list):
        return ", ".join(map(_show, value)) or "none"
    return str(value)


# A rule's threshold in words (_show), kept by its exact type and value: the framework's few dozen
# thresholds come back for every council, and a float's takes a Decimal quantized each time.
_SHOWN_THRESHOLDS: dict[tuple[type, Any], str] = {}


def _show_threshold(threshold: Any) -> str:
    kind = type(threshold)
    if kind not in (float, int, bool, str):
        return _show(threshold)  # a list (one_of), or anything else: as it is
    key = (kind, threshold)
    shown = _SHOWN_THRESHOLDS.get(key)
    if shown is None:
        if len(_SHOWN_THRESHOLDS) >= 1024:
            _SHOWN_THRESHOLDS.clear()
        shown = _SHOWN_THRESHOLDS[key] = _show(threshold)
    return shown


def evaluate_fact(rule: Rule, ctx: RuleContext) -> Trace:
    opts: FactOptions = rule.options
    spec = ctx.fact_specs.get(opts.fact)
    description = spec.description if spec else opts.fact
    label = opts.label or f"fact: {opts.fact}"
    value = ctx.facts.get(opts.fact)
    if value is None:
        kinds = " or ".join(f"the {_kind(n)}" for n in spec.needs) if spec and spec.needs else ""
        needs = f"; it is worked out from {kinds}" if kinds else ""
        unitless = description.removesuffix(" (%)").removesuffix(" (points)")
        return Trace(rule=label, outcome="insufficient_evidence", problem="no_figure", facts=[opts.fact],
                     reason=f"no figure for {unitless}{needs}")
    op = opts.operator()
    v = value.value
    mismatch = _mismatch(v, op)
    if mismatch is not None:
        # A rule that cannot compare this figure at all is not a gap in the council's evidence: say why.
        return Trace(rule=label, outcome="not_met", reason=f"{description}: {mismatch}", facts=[opts.fact],
                     evidence=value.evidence)
    if op is None:
        ok, wanted = bool(v), "yes"
    else:
        name, threshold = op
        words, test = _OPERATORS[name]
        try:
            ok = bool(test(v, threshold))
        except TypeError:
            ok = False
        wanted = f"{words} {_show_threshold(threshold)}"
    outcome = "met" if ok else "not_met"
    # "the share ... (%): 61.75" reads as "the share ...: 61.8%" (the unit goes with the figure).
    unit = ""
    for marker, sign in ((" (%)", "%"), (" (points)", " points")):
        if description.endswith(marker) and isinstance(v, (int, float)) and not isinstance(v, bool):
            description, unit = description.removesuffix(marker), sign
            wanted = f"{wanted}{sign}" if op is not None else wanted
    reason = f"{description}: {_show(v, unit)}{unit} ({wanted} needed)"
    return Trace(rule=label, outcome=outcome, reason=reason, facts=[opts.fact], evidence=value.evidence,
                 problem=None if ok else "below_standard")


_NUMERIC = ("at_least", "at_most", "above", "below")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _what(value: Any) -> str:
    """What kind of value a figure is, in words: "a list of 3 values (age, sex, race)"."""
    if isinstance(value, bool):
        return f"a yes or no ({_show(value)})"
    if _is_number(value):
        return f"a number ({_show(value)})"
    if isinstance(value, str):
        return f"text ('{value}')"
    if isinstance(value, list):
        shown = ", ".join(_show(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"a list of {len(value)} values ({shown})" if value else "an empty list"
    if isinstance(value, dict):
        return f"a set of {len(value)} named figures"
    return "no value"


def _mismatch(value: Any, op: tuple[str, Any] | None) -> str | None:
    """Why a fact rule cannot compare this value with its threshold, or None when it can.

    Numbers compare with numbers; ``equals`` and ``not_equals`` need a value of the threshold's kind
    (yes or no, a number, text); ``one_of`` a single value. A list or mapping answers none of them.
    """
    if op is None:
        return None
    name, threshold = op
    if name in _NUMERIC:
        if _is_number(value):
            return None
        expected = "a number"
    elif name == "one_of":
        if isinstance(value, (bool, int, float, str)) and any(_same_kind(value, t) for t in threshold):
            return None
        kinds = sorted({_kind_word(t) for t in threshold})
        expected = " or ".join(kinds) or "a single value"
    else:
        if _same_kind(value, threshold):
            return None
        expected = _kind_word(threshold)
    # (The threshold in words only for the message: most figures compare.)
    wanted = f"{_OPERATORS[name][0]} {_show_threshold(threshold)}"
    return (f"the figure is {_what(value)}, which cannot be compared with '{wanted}' (expected {expected}; "
            "the framework's rule does not fit this fact)")


def _kind_word(value: Any) -> str:
    return "a yes or no" if isinstance(value, bool) else "a number" if _is_number(value) else "text"


def _same_kind(value: Any, threshold: Any) -> bool:
    if isinstance(threshold, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(threshold, bool)
    if _is_number(threshold):
        return _is_number(value)
    return isinstance(value, str) and isinstance(threshold, str)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def fact_needs(rule: Rule, trace: Trace, ctx) -> list:  # noqa: ANN001
    """What a fact rule would take: the figure now, the figure needed, and in people where the fact
    says what its rate counts (``efl.Share``); inside a ``not``, the comparison turned round."""
    opts: FactOptions = rule.options
    spec = ctx.fact_specs.get(opts.fact)
    description = spec.description if spec else opts.fact
    value = ctx.facts.get(opts.fact)
    if value is None:
        return [efl.Need(kind="no_figure", fact=opts.fact, condition=description.removesuffix(" (%)"),
                         needed="a figure", sentence=_capital(trace.reason) + ".")]
    op = opts.operator()
    name, threshold = op if op is not None else ("equals", True)
    if ctx.negated:
        name = negate(name)
    v = value.value
    unit = ""
    for marker, sign in ((" (%)", "%"), (" (points)", " points")):
        if description.endswith(marker) and isinstance(v, (int, float)) and not isinstance(v, bool):
            description, unit = description.removesuffix(marker), sign
    words = {**{k: w for k, (w, _) in _OPERATORS.items()}, "not_one_of": "not one of"}[name]
    now = f"{_show(v, unit)}{unit}" + (" (assumed)" if value.assumed else "")
    numeric = isinstance(threshold, (int, float)) and not isinstance(threshold, bool)
    # An assumed figure has no people behind it: only the evidence's own counts say who is counted.
    people = people_needed(value, name, threshold) if not value.assumed else []
    if isinstance(threshold, bool) and name in ("equals", "not_equals"):
        needed = _show(threshold if name == "equals" else not threshold)
        sentence = f"{_capital(description)}: now {now}, {needed} needed."
    else:
        needed = f"{words} {_show(threshold)}{unit if numeric else ''}"
        sentence = (f"{_capital(description)}: {now}, {needed} needed"
                    + (f": {people_words(people)}" if people else "") + ".")
    return [efl.Need(kind="figure", fact=opts.fact, condition=description, now=now, needed=needed, value=v,
                     operator=name, threshold=threshold, evidence=list(value.evidence), sentence=sentence,
                     people=people)]


def evidence_needs(rule: Rule, trace: Trace, ctx) -> list:  # noqa: ANN001
    """What an evidence rule would take: the item (dated, counted, covering) it asks for."""
    if ctx.negated:
        return [fallback_need(trace, True)]
    opts: EvidenceOptions = rule.options
    kind = _kind(opts.evidence)
    wanted = f"{'a' if opts.min_count == 1 else f'at least {opts.min_count} items of'} {kind}"
    if opts.max_age:
        wanted += f" dated within {parse_duration(opts.max_age).words()} of the end of the period assessed"
    if opts.covers is not None:
        wanted += (" covering all the characteristics" if opts.covers == "all" else
                   f" covering {', '.join(efl.characteristic_label(c) for c in opts.covers)}")
    return [efl.Need(kind="evidence", condition=f"evidence: {kind}", now=trace.reason, needed=wanted,
                     evidence=list(trace.evidence), sentence=f"{_capital(trace.reason)}; needed: {wanted}.")]


def duty_needs(rule: Rule, trace: Trace, ctx) -> list:  # noqa: ANN001
    """What a duty not met would take: the duty met, by the date the law sets."""
    if ctx.negated:
        return [fallback_need(trace, True)]
    # The due date the duty rule set, where the trace still carries it (the action says it too).
    due = getattr(trace, "_due", None) if trace.__pydantic_private__ else None
    needed = "the legal duty met" + (f", due by {long_date(due)}" if due else "")
    return [efl.Need(kind="condition", condition=trace.rule, now=trace.reason, needed=needed,
                     evidence=list(trace.evidence), sentence=f"{_capital(trace.reason)}. Needed: {needed}.")]


def _known_duty(value: str, info: ValidationInfo) -> str:
    catalog = _catalog(info)
    if catalog is not None:
        catalog.check_duty(value)
    return value


class DutyOptions(_Options):
    duty: str
    _check = field_validator("duty")(_known_duty)


class DutyAppliesOptions(_Options):
    duty_applies: str
    _check = field_validator("duty_applies")(_known_duty)


def evaluate_duty(rule: Rule, ctx: RuleContext) -> Trace:
    """Whether a statutory duty is met on the assessment date, with its due date (see efl/law/statutory.py)."""
    status = judge_duty(ctx, rule.options.duty)
    trace = Trace(rule=rule.options.label or f"duty: {rule.options.duty}", outcome=status.outcome,
                  reason=status.reason,
                  problem=status.problem if status.outcome in ("not_met", "insufficient_evidence") else None,
                  evidence=list(status.evidence), facts=list(status.facts), due=status.due, overdue=status.overdue,
                  not_law=not status.law)
    return trace


def evaluate_duty_applies(rule: Rule, ctx: RuleContext) -> Trace:
    """Met when a statutory duty binds the council on the assessment date (in force, over its threshold)."""
    status = duty_in_force(ctx, rule.options.duty_applies)
    return Trace(rule=rule.options.label or f"duty applies: {rule.options.duty_applies}", outcome=status.outcome,
                 reason=status.reason, problem=status.problem, facts=list(status.facts), not_law=not status.law)


@efl.hookimpl
def efl_register_rule_types(register):  # noqa: ANN001, ANN201
    register(efl.RuleType("all", AllOptions, lambda r, c: _combine(r, c, "all"), ("all",),
                          "met when every sub-rule is met", what_it_takes=needs_all))
    register(efl.RuleType("any", AnyOptions, lambda r, c: _combine(r, c, "any"), ("any",),
                          "met when at least one sub-rule is met", what_it_takes=needs_any))
    register(efl.RuleType("not", NotOptions, evaluate_not, ("not",), "met when its sub-rule is not met",
                          what_it_takes=needs_not))
    register(efl.RuleType("evidence", EvidenceOptions, evaluate_evidence, (),
                          "an evidence item of a type exists (max_age, min_count, covers)", what_it_takes=evidence_needs))
    register(efl.RuleType("fact", FactOptions, evaluate_fact, (),
                          "a computed fact compared with a threshold (at_least, below, equals...)",
                          what_it_takes=fact_needs))
    register(efl.RuleType("duty", DutyOptions, evaluate_duty, (),
                          "a statutory duty from the framework's calendar is met on the assessment date",
                          what_it_takes=duty_needs))
    register(efl.RuleType("duty_applies", DutyAppliesOptions, evaluate_duty_applies, (),
                          "a statutory duty binds the council on the assessment date (for applies_when)"))

