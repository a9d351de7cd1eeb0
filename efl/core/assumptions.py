"""What-if: assessing as if a figure were different (``--assume FACT=VALUE`` and ``--assume-file FILE``).

An assumption replaces a fact's value for the rules, nothing else: the figures worked out from the
same evidence are not recomputed. A result with any assumption is hypothetical: every report says so
at the top, the JSON has ``"hypothetical": true`` with the assumptions listed, ``efl pack`` refuses it
and ``efl compare`` names it whenever it reads one back.

A value must suit its fact: a number for a figure, yes or no for a finding that is true or false,
and so on. What a fact holds is read from the value the evidence gives it, else from the rules that
compare it (a threshold that is a number asks for a number), so a plugin declares nothing extra.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from efl.core.models import Assumption, FactValue, Strict, Text
from efl.errors import Diagnostic, InputError, UsageError

if TYPE_CHECKING:
    from efl.core.framework import LoadedFramework
    from efl.core.plugin_api import FactSpec

OPTION = "--assume"
PERCENT_MARK = " (%)"


class AssumeFile(Strict):
    """A what-if file for ``efl assess --assume-file``: the figures to assume, each with an optional note."""

    note: Text = ""
    assume: dict[str, Any]


@dataclass(frozen=True)
class Raw:
    """An assumption as written, before its fact is known: where it came from, for messages."""

    fact: str
    value: Any
    source: str            # "--assume" or "FILE:LINE"
    note: str = ""
    path: str = ""         # the file and position, for errors in a file
    line: int = 0
    col: int = 0

    def error(self, message: str) -> Diagnostic:
        if self.path:
            return Diagnostic(self.path, self.line, self.col, message)
        return Diagnostic(OPTION, 0, 0, message)


def parse_option(text: str) -> Raw:
    """``FACT=VALUE`` from the command line; the value is read as YAML reads a value (85, true, text)."""
    from efl.files.yamlio import parse_yaml

    fact, sep, value = text.partition("=")
    fact = fact.strip()
    if not sep or not fact:
        raise UsageError(f"{OPTION} '{text}' is not FACT=VALUE (expected e.g. "
                         f"{OPTION} FACT=95, a fact named by 'efl plugins')")
    written = value.strip()
    try:
        parsed = parse_yaml(written, OPTION).data if written else None
    except InputError:
        parsed = written  # not YAML: the text as written, judged against the fact below
    return Raw(fact, written if parsed is None and written else parsed, "the command line")


def read_file(path: Path) -> list[Raw]:
    """Every assumption in a what-if file, each with its line; every problem at once."""
    from efl.files.safe_files import FileProblem, as_diagnostic, read_named_file
    from efl.files.yamlio import DEFAULT_MAX_BYTES, decode_text, parse_yaml, pydantic_diagnostics

    shown = str(path)
    try:
        data = read_named_file(path, DEFAULT_MAX_BYTES)
    except FileProblem as problem:
        if problem.kind == "missing":
            raise InputError(Diagnostic(shown, message="no such file (expected a what-if file with 'assume:', "
                                        "see README 'What if')")) from None
        raise InputError(as_diagnostic(shown, problem)) from None
    doc = parse_yaml(decode_text(data, shown), shown)
    if not isinstance(doc.data, dict):
        raise InputError(Diagnostic(shown, 1, 1, "the what-if file is empty or not a mapping (expected 'assume:' "
                                    "with one figure per line, each 'FACT: VALUE')"))
    try:
        model = AssumeFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, doc, AssumeFile)) from None
    out = []
    for fact, value in model.assume.items():
        line, col = doc.locate_key(("assume", fact))
        note = ""
        if isinstance(value, dict) and "value" in value and set(value) <= {"value", "note"}:
            note = str(value.get("note") or "")
            value = value["value"]
        out.append(Raw(fact, value, f"{path.name}, line {line}", note or model.note, shown, line, col))
    return out


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "any"


def expected_kind(name: str, facts: dict[str, FactValue], framework: LoadedFramework) -> str:
    """What kind of value a fact holds: the kind the evidence gives it, else the kind its rules compare
    it with (a rule with no comparison reads it as yes or no), else any."""
    if name in facts and facts[name].value is not None:
        return _kind(facts[name].value)
    from efl.core.rules import walk

    for rule in [*framework.rules.values(), *framework.applies.values()]:
        for node in walk(rule):
            options = node.options.model_dump()
            if options.get("fact") != name:
                continue
            operands = [v for k, v in options.items() if k not in ("fact", "label") and v is not None]
            if not operands:
                return "yes or no"
            first = operands[0][0] if isinstance(operands[0], list) and operands[0] else operands[0]
            return _kind(first)
    return "any"


def coerce(raw: Raw, kind: str, percent: bool) -> tuple[Any, str | None]:
    """The value as its fact holds it, or a message saying what was expected."""
    value = raw.value
    written = value if isinstance(value, str) else None
    if kind == "number":
        if isinstance(value, str):
            text = value.strip().removesuffix("%").replace(",", "").strip()
            try:
                value = float(text) if any(c in text for c in ".eE") else int(text)
            except ValueError:
                example = "a percentage such as 85" if percent else "a number such as 85"
                return None, f"'{written}' is not a number (expected {example})"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"{_words(value)} is not a number (expected a number such as 85)"
        if value != value or value in (float("inf"), float("-inf")):
            return None, "the value is not a finite number (expected a number such as 85)"
        return value, None
    if kind == "yes or no":
        if isinstance(value, str) and value.strip().casefold() in ("yes", "no", "true", "false"):
            return value.strip().casefold() in ("yes", "true"), None
        if isinstance(value, bool):
            return value, None
        return None, f"{_words(value)} is not yes or no (expected true or false)"
    if kind == "text":
        return (value if isinstance(value, str) else str(value)), None
    if kind in ("list", "mapping"):
        wanted = list if kind == "list" else dict
        if not isinstance(value, wanted):
            return None, f"{_words(value)} is not a {kind} (expected a {kind}, as the evidence gives this fact)"
    return value, None


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    return f"'{value}'" if isinstance(value, str) else str(value)


def apply(raws: list[Raw], facts: dict[str, FactValue], specs: dict[str, FactSpec],
          framework: LoadedFramework) -> tuple[dict[str, FactValue], list[Assumption]]:
    """The facts with every assumption in place, and the record of each; every problem at once.

    An unknown fact gets "did you mean"; a value of the wrong kind says what was expected; a fact
    assumed twice names both places.
    """
    from efl.reports.local_text import assumption_statement

    problems: list[Diagnostic] = []
    seen: dict[str, Raw] = {}
    out = dict(facts)
    records = []
    for raw in raws:
        if raw.fact not in specs:
            guess = difflib.get_close_matches(raw.fact, list(specs), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "expected a fact a loaded plugin declares; see 'efl plugins'"
            problems.append(raw.error(f"no plugin provides the fact '{raw.fact}' ({hint})"))
            continue
        if raw.fact in seen:
            problems.append(raw.error(f"'{raw.fact}' is assumed twice (also in {seen[raw.fact].source}; expected "
                                      "one value per fact)"))
            continue
        seen[raw.fact] = raw
        spec = specs[raw.fact]
        percent = spec.description.endswith(PERCENT_MARK)
        value, problem = coerce(raw, expected_kind(raw.fact, facts, framework), percent)
        if problem:
            problems.append(raw.error(f"{raw.fact}: {problem}"))
            continue
        before = facts.get(raw.fact)
        record = Assumption(fact=raw.fact, description=spec.description.removesuffix(PERCENT_MARK),
                            unit="%" if percent else "", value=value,
                            evidence_value=before.value if before else None, from_evidence=before is not None,
                            source=raw.source, note=raw.note)
        records.append(record)
        out[raw.fact] = FactValue(name=raw.fact, value=value, evidence=[], plugin=OPTION, assumed=True,
                                  statement=assumption_statement(record))
    if problems:
        if all(not d.path or d.path == OPTION for d in problems):
            raise UsageError("\n".join(f"{OPTION}: {d.message}" for d in problems))
        raise InputError(problems)
    return out, records
