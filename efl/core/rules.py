"""Compiling and evaluating criterion rules.

A rule is a small mapping in the framework file; which registered rule type it is comes from the one
key that names a rule type (``all``, ``fact``, ``evidence``...). Rules are compiled once, when the
framework is loaded, so that every mistake is reported against the framework file's line before any
evidence is read. No rule is ever executed as code.
"""

from __future__ import annotations

import difflib
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from efl.errors import Diagnostic, PluginError
from efl.core.models import FactValue, Trace
from efl.core.plugin_host import blame, describe_value
from efl.files.yamlio import YamlDocument, pydantic_diagnostics

if TYPE_CHECKING:
    from efl.files.evidence import EvidenceSet
    from efl.core.plugin_api import FactSpec, RuleType


@dataclass
class Rule:
    """A compiled rule: its type, its validated options and its compiled sub-rules."""

    type: RuleType
    options: BaseModel
    children: list[Rule] = field(default_factory=list)
    loc: tuple = ()
    plugin: str = ""  # the plugin that registered the rule type, named if it fails


@dataclass
class RuleCatalog:
    """What a framework may refer to: used to check rules before any evidence is read."""

    rule_types: dict[str, RuleType]
    facts: dict[str, FactSpec]
    evidence_types: set[str]
    characteristics: set[str]
    owners: dict[str, str] = field(default_factory=dict)  # rule type -> the plugin that registered it
    # Ids of the duties in the framework's statutory calendar; None when it names no calendar.
    duties: set[str] | None = None
    # The duties the framework's rules name (a rule type records each one it checks with check_duty).
    named_duties: set[str] = field(default_factory=set)

    def check_duty(self, duty_id: str) -> None:
        """Record that a rule judges ``duty_id`` of the calendar; raise ValueError if it has none such."""
        if self.duties is None:
            raise ValueError("the framework names no statutory calendar (expected 'calendar: psed-england' "
                             "at the top of the framework file)")
        if duty_id not in self.duties:
            raise ValueError(f"no duty '{duty_id}' in the statutory calendar (expected one of: "
                             f"{', '.join(sorted(self.duties))})")
        self.named_duties.add(duty_id)


@dataclass
class RuleContext:
    """What a rule is evaluated against."""

    date: dt.date
    evidence: EvidenceSet
    facts: dict[str, FactValue]
    fact_specs: dict[str, FactSpec]
    characteristics: tuple[str, ...]
    # The day "within N years" windows end on: the period's end, else the assessment date.
    window_end: dt.date | None = None
    # The framework's statutory calendar (an efl.law.statutory.Calendar) for duty rules, or None. Typed
    # Any: the law module evaluates duties in a RuleContext, so the core does not import it back.
    calendar: Any = None
    # The evidence types by name (what each declares: a publication, personal data).
    evidence_types: dict[str, Any] = field(default_factory=dict)
    # Headcounts assessment.yaml declares under 'council:': by date (headcounts), and undated (employees).
    headcounts: dict[dt.date, int] = field(default_factory=dict)
    declared_employees: int | None = None

    def __post_init__(self) -> None:
        if self.window_end is None:
            self.window_end = self.date

    def evaluate(self, rule: Rule) -> Trace:
        """Evaluate a rule (or a sub-rule, from a rule type's own ``evaluate``)."""
        hook = f"efl_register_rule_types (rule type '{rule.type.name}', evaluate)"
        with blame(rule.plugin, hook):
            trace = rule.type.evaluate(rule, self)
        if not isinstance(trace, Trace):
            raise PluginError(rule.plugin, hook, f"returned {describe_value(trace)} (expected an efl.Trace)")
        return trace


def compile_rule(data: Any, loc: tuple, doc: YamlDocument, catalog: RuleCatalog,
                 errors: list[Diagnostic]) -> Rule | None:
    """Compile one rule mapping found at ``loc`` in ``doc``; append any problems to ``errors``."""
    if not isinstance(data, dict) or not data:
        line, col = doc.locate(loc)
        errors.append(Diagnostic(doc.path, line, col, "a rule must be a mapping with one rule type key "
                                 "(expected e.g. 'evidence: TYPE', 'fact: NAME' or 'all: [...]')"))
        return None
    names = [key for key in data if key in catalog.rule_types]
    if len(names) != 1:
        line, col = doc.locate(loc)
        known = sorted(catalog.rule_types)
        if not names:
            keys = ", ".join(f"'{k}'" for k in data)
            guess = [m for k in data for m in difflib.get_close_matches(str(k), known, n=1, cutoff=0.6)]
            hint = f" (did you mean '{guess[0]}'?)" if guess else f" (expected one of: {', '.join(known)})"
            errors.append(Diagnostic(doc.path, line, col, f"no known rule type among the keys {keys}{hint}"))
        else:
            errors.append(Diagnostic(doc.path, line, col, f"a rule has exactly one rule type key, found "
                                     f"{', '.join(names)} (expected them nested under 'all' or 'any')"))
        return None
    rule_type = catalog.rule_types[names[0]]
    plugin = catalog.owners.get(names[0], "?")
    child_data = {name: data[name] for name in rule_type.children if name in data}
    # A validator's ValueError is a mistake in the framework file; anything else is the plugin's.
    with blame(plugin, f"efl_register_rule_types (rule type '{names[0]}', options)"):
        try:
            # Sub-rules are compiled below; the options model only needs to accept them as given.
            options = rule_type.options.model_validate(data, context={"catalog": catalog})
        except ValidationError as exc:
            errors.extend(pydantic_diagnostics(exc, doc, rule_type.options, prefix=loc))
            options = None
    children: list[Rule] = []
    for name, value in child_data.items():
        if isinstance(value, list):
            if not value:
                line, col = doc.locate(loc + (name,))
                errors.append(Diagnostic(doc.path, line, col, f"'{name}' has no rules (expected a list of rules)"))
            for i, item in enumerate(value):
                child = compile_rule(item, loc + (name, i), doc, catalog, errors)
                if child:
                    children.append(child)
        else:
            child = compile_rule(value, loc + (name,), doc, catalog, errors)
            if child:
                children.append(child)
    if options is None:
        return None
    return Rule(rule_type, options, children, loc, plugin)


def walk(rule: Rule):
    """Yield a rule and all its sub-rules."""
    yield rule
    for child in rule.children:
        yield from walk(child)
