"""Local tailoring: a council's own criteria and thresholds on top of an edition, without copying it.

A tailoring (``tailoring: FILE`` in assessment.yaml, or one a plugin ships beside its frameworks with
``kind: tailoring``) names its base edition and may add criteria (in the framework's own form, each
naming its area), replace a criterion's rule (a changed threshold), reword its action, mark criteria
as not used locally with a reason, and add local characteristics. As OSCAL profiles tailor a catalogue,
the edition itself is never edited: the tailored framework is built for the run, and every change
is marked "local" in every report.

The base edition's legal duties can be neither removed nor weakened: a duty cannot be marked not
used, and its rule can only be replaced by one that still requires the original (``all:`` with the
duty's own rule among its conditions). Every mistake is reported at its line in the tailoring file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from efl.core.models import (CHARACTERISTICS, Criterion, CriterionResult, LocalChange, Tailoring, TailoringRef,
                             Trace)
from efl.errors import Diagnostic, DiagnosticSink, InputError
from efl.files.evidence import sha256_of
from efl.files.yamlio import YamlDocument, decode_text, parse_yaml, pydantic_diagnostics

if TYPE_CHECKING:
    from efl.core.assessment import LoadedAssessment
    from efl.core.framework import FrameworkCatalogue, LoadedFramework
    from efl.core.plugin_host import PluginHost

KIND = "tailoring"


@dataclass
class Tailored:
    """What a tailoring did to a framework, for the engine and the reports."""

    tailoring: Tailoring
    ref: TailoringRef
    not_used: dict[str, str] = field(default_factory=dict)        # criterion id -> reason
    changes: dict[str, list[LocalChange]] = field(default_factory=dict)  # criterion id -> local changes


def read_tailoring(loaded: LoadedAssessment, catalogue: FrameworkCatalogue) -> tuple[YamlDocument, str, str | None]:
    """The tailoring ``assessment.yaml`` names: its document, its text, and the plugin that ships it
    (None for the council's own file, read inside the folder like evidence)."""
    from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic, yaml_max_bytes
    from efl.files.yamlio import DEFAULT_MAX_BYTES

    name = loaded.assessment.tailoring
    doc = loaded.doc
    line, col = doc.locate(("tailoring",))
    installed = catalogue.tailorings()
    folders = [loaded.folder] + ([loaded.evidence_folder] if loaded.evidence_folder != loaded.folder else [])
    for folder in folders:
        try:
            with SafeFolder(folder) as opened:
                data = opened.read(name, yaml_max_bytes(DEFAULT_MAX_BYTES))
        except FileProblem as problem:
            if problem.kind == "missing":
                continue
            if problem.kind == "outside":
                raise InputError(Diagnostic(doc.path, line, col, f"tailoring '{name}' leads outside the assessment "
                                            "folder (expected a file inside it, or the id of an installed "
                                            "tailoring)")) from None
            raise InputError(as_diagnostic(str(folder / name), problem)) from None
        shown = str(folder / name)
        text = decode_text(data, shown)
        return parse_yaml(text, shown), text, None
    if name in installed:
        from efl.files.yamlio import read_text

        entry = installed[name]
        shown = str(entry.path)
        text = read_text(entry.path, shown)
        return parse_yaml(text, shown), text, entry.plugin
    guess = difflib.get_close_matches(name, list(installed), n=1, cutoff=0.6)
    hint = (f"did you mean '{guess[0]}'?" if guess else
            "expected a file inside the folder" + (f", or one of the installed tailorings: {', '.join(installed)}"
                                                   if installed else ""))
    raise InputError(Diagnostic(doc.path, line, col, f"tailoring '{name}' was not found ({hint})"))


def tailor(loaded: LoadedAssessment, base: LoadedFramework, catalogue: FrameworkCatalogue,
           sink: DiagnosticSink) -> LoadedFramework:
    """The framework with the folder's tailoring applied (``base`` itself when it names none).

    Problems in the tailoring file go to ``sink``, each at its line; with any of them the base
    framework is returned so the rest of the folder can still be checked in the same run.
    """
    a = loaded.assessment
    if a is None or a.tailoring is None:
        return base
    try:
        doc, text, plugin = read_tailoring(loaded, catalogue)
    except InputError as error:
        sink.extend(error.diagnostics)
        return base
    # The tailoring's local characteristics are the council's own whatever the edition, and count even
    # when something else in the file is wrong, so its mistakes are not echoed by every file using them.
    extra = [c for c in _characteristics(doc) if c not in a.local_characteristics and c not in CHARACTERISTICS]
    if extra:
        a.local_characteristics = [*a.local_characteristics, *extra]
    if base.framework.id != a.framework:
        return base  # its criteria belong to the folder's own edition; the engine says so
    file = None if plugin else a.tailoring
    errors: list[Diagnostic] = []
    tailored = apply_tailoring(doc, sha256_of(text.encode("utf-8")), base, catalogue.host, errors,
                               tuple(a.local_characteristics), file=file, plugin=plugin)
    sink.extend(errors)
    if tailored is None:
        return base
    return tailored_framework(base, tailored, doc, catalogue.host, errors, sink,
                              tuple(a.local_characteristics))


def _characteristics(doc: YamlDocument) -> list[str]:
    from efl.core.vocabulary import key

    raw = doc.data.get("characteristics") if isinstance(doc.data, dict) else None
    return [key(c) for c in raw if isinstance(c, str) and key(c)] if isinstance(raw, list) else []


def load_tailoring_file(path: Path, base: LoadedFramework, host: PluginHost, plugin: str | None = None
                        ) -> LoadedFramework:
    """A tailoring file applied to ``base`` (for ``efl show --tailoring``); raise InputError with every problem."""
    from efl.files.yamlio import read_text

    shown = str(path)
    text = read_text(path, shown)
    doc = parse_yaml(text, shown)
    errors: list[Diagnostic] = []
    tailored = apply_tailoring(doc, sha256_of(text.encode("utf-8")), base, host, errors, (),
                               file=None if plugin else path.name, plugin=plugin)
    sink = DiagnosticSink()
    sink.extend(errors)
    result = tailored_framework(base, tailored, doc, host, errors, sink) if tailored else base
    sink.raise_if_any()
    return result


def apply_tailoring(doc: YamlDocument, sha256: str, base: LoadedFramework, host: PluginHost,
                    errors: list[Diagnostic], characteristics: tuple[str, ...] = (), file: str | None = None,
                    plugin: str | None = None) -> Tailored | None:
    """Check a tailoring against its base edition; None (with ``errors``) when it cannot be used."""
    if not isinstance(doc.data, dict):
        errors.append(Diagnostic(doc.path, 1, 1, "the tailoring file is empty or not a mapping (expected 'base:' "
                                 "and any of criteria, rules, not_used, actions, characteristics)"))
        return None
    try:
        tailoring = Tailoring.model_validate(doc.data)
    except ValidationError as exc:
        errors.extend(pydantic_diagnostics(exc, doc, Tailoring))
        return None
    fw = base.framework
    before = len(errors)

    def add(loc: tuple, message: str, key: bool = False) -> None:
        line, col = doc.locate_key(loc) if key else doc.locate(loc)
        errors.append(Diagnostic(doc.path, line, col, message))

    if tailoring.base != fw.id:
        add(("base",), f"the tailoring is for {tailoring.base}, but the assessment is against {fw.id} "
            f"(expected base: {fw.id})")
        return None
    criteria = {c.id: c for area in fw.areas for c in area.criteria}
    areas = {area.id: area for area in fw.areas}
    levels = fw.level_ids()

    def known(loc: tuple, ident: str, what: str) -> Criterion | None:
        if ident in criteria:
            return criteria[ident]
        guess = difflib.get_close_matches(ident, list(criteria), n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"expected a criterion of {fw.id}; see 'efl show {fw.id}'"
        add(loc, f"{what}: no criterion '{ident}' in {fw.id} ({hint})", key=True)
        return None

    added: set[str] = set()
    for i, local in enumerate(tailoring.criteria):
        loc = ("criteria", i)
        if local.area not in areas:
            by_alias = {alias: a.id for a in fw.areas for alias in a.aliases}
            guess = difflib.get_close_matches(local.area, list(areas) + list(by_alias), n=1, cutoff=0.5)
            hint = f"did you mean '{by_alias.get(guess[0], guess[0])}'?" if guess else \
                f"expected one of: {', '.join(areas)}"
            add(loc + ("area",), f"criteria: no area '{local.area}' in {fw.id} ({hint})")
        if local.id in criteria:
            add(loc + ("id",), f"criteria: '{local.id}' is already a criterion of {fw.id} (expected a new id, such "
                "as local.{local.id.split('.')[-1]}; to change that criterion, use rules: or actions:)")
        elif local.id in added:
            add(loc + ("id",), f"criteria: '{local.id}' is added twice (expected unique ids)")
        added.add(local.id)
        if local.level not in levels:
            guess = difflib.get_close_matches(local.level, levels, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected one of: {', '.join(levels)}"
            add(loc + ("level",), f"criteria: '{local.id}' is at unknown level '{local.level}' ({hint})")
        if local.statutory:
            add(loc + ("statutory",), f"criteria: '{local.id}' is marked statutory, but a local criterion is not a "
                "legal duty (expected statutory left out; the law's duties come from the edition)")
        if not local.owner.strip():
            add(loc + ("owner",), "criteria: the owner is empty (expected managers, council, or a named lead)")
        _check_due(local.due, loc + ("due",), add)
    for ident in tailoring.rules:
        criterion = known(("rules", ident), ident, "rules")
        if criterion is not None and criterion.statutory and not _still_requires(tailoring.rules[ident], criterion.rule):
            add(("rules", ident), f"rules: '{ident}' ({criterion.title}) is a legal duty, and its rule cannot be "
                "weakened or replaced (expected the duty's own rule kept, e.g. 'all:' with the duty's rule as one "
                "of its conditions)", key=True)
    for ident in tailoring.not_used:
        criterion = known(("not_used", ident), ident, "not_used")
        if criterion is not None and criterion.statutory:
            add(("not_used", ident), f"not_used: '{ident}' ({criterion.title}) is a legal duty, and a legal duty "
                "cannot be removed (expected a criterion that is not statutory)", key=True)
        elif criterion is not None and ident in tailoring.rules:
            add(("not_used", ident), f"not_used: '{ident}' also has a local rule under rules: (expected one or the "
                "other)", key=True)
        if not tailoring.not_used[ident].strip():
            add(("not_used", ident), f"not_used: '{ident}' has no reason (expected why it is not used locally)",
                key=True)
    for ident, change in tailoring.actions.items():
        if ident not in added and known(("actions", ident), ident, "actions") is None:
            continue
        if change.owner is not None and not change.owner.strip():
            add(("actions", ident, "owner"), "actions: the owner is empty (expected managers, council, or a "
                "named lead)")
        _check_due(change.due, ("actions", ident, "due"), add)
    for j, name in enumerate(tailoring.characteristics):
        if name in CHARACTERISTICS:
            add(("characteristics", j), f"characteristics: '{name}' is already a protected characteristic "
                "(expected a local one, such as carers)")
    if len(errors) > before:
        return None
    ref = TailoringRef(id=tailoring.id, title=tailoring.title, version=tailoring.version, base=tailoring.base,
                       file=file, plugin=plugin, sha256=sha256, added=[c.id for c in tailoring.criteria],
                       rules=list(tailoring.rules), not_used=list(tailoring.not_used),
                       actions=list(tailoring.actions), characteristics=list(tailoring.characteristics))
    return Tailored(tailoring, ref, dict(tailoring.not_used))


def _check_due(due: Any, loc: tuple, add) -> None:  # noqa: ANN001
    from efl.core.framework import due_problem
    from efl.law.dates import parse_duration

    if isinstance(due, str):
        try:
            parse_duration(due)
        except ValueError as exc:
            add(loc, str(exc))
    elif isinstance(due, dict):
        problem = due_problem(due)
        if problem:
            add(loc, problem)


def _still_requires(new: dict, original: dict) -> bool:
    """Whether a replacement rule still requires the original: it is the original, or an ``all`` of
    conditions one of which is the original (so it can only be stricter)."""
    if new == original:
        return True
    conditions = new.get("all") if isinstance(new, dict) and len(new) in (1, 2) else None
    extra = set(new) - {"all", "label"} if isinstance(new, dict) else {"?"}
    return isinstance(conditions, list) and not extra and any(_still_requires(c, original) for c in conditions
                                                              if isinstance(c, dict))


def tailored_framework(base: LoadedFramework, tailored: Tailored, doc: YamlDocument, host: PluginHost,
                       errors: list[Diagnostic], sink: DiagnosticSink, characteristics: tuple[str, ...] = ()
                       ) -> LoadedFramework:
    """Build the tailored framework for one run: a copy of the edition with the changes, rules compiled
    against the tailoring file (so a mistake in one is reported at its line there)."""
    from efl.core.framework import LoadedFramework, rule_catalog

    t = tailored.tailoring
    fw = base.framework.model_copy(deep=True)
    catalog = rule_catalog(host, tuple(t.characteristics) + characteristics)
    if base.calendar is not None:
        catalog.duties = {d.id for d in base.calendar.calendar.duties}
    from efl.core.rules import compile_rule

    rules, applies = dict(base.rules), dict(base.applies)
    compiled_errors: list[Diagnostic] = []
    criteria = {c.id: c for area in fw.areas for c in area.criteria}
    changes: dict[str, list[LocalChange]] = {}
    for ident, rule in t.rules.items():
        compiled = compile_rule(rule, ("rules", ident), doc, catalog, compiled_errors)
        if compiled is not None:
            rules[ident] = compiled
        changes.setdefault(ident, []).append(LocalChange(kind="rule", note=rule_change_words(criteria[ident].rule,
                                                                                              rule)))
        criteria[ident].rule = rule
    rank = fw.level_rank
    for i, local in enumerate(t.criteria):
        compiled = compile_rule(local.rule, ("criteria", i, "rule"), doc, catalog, compiled_errors)
        if compiled is not None:
            rules[local.id] = compiled
        if local.applies_when is not None:
            when = compile_rule(local.applies_when, ("criteria", i, "applies_when"), doc, catalog, compiled_errors)
            if when is not None:
                applies[local.id] = when
        criterion = Criterion.model_validate(local.model_dump(exclude={"area"}))
        area = fw.area(local.area) if local.area in {a.id for a in fw.areas} else \
            next(a for a in fw.areas if local.area in a.aliases)
        # Beside the edition's criteria of its level, so reports read level by level.
        at = max((k + 1 for k, c in enumerate(area.criteria) if rank(c.level) <= rank(local.level)), default=0)
        area.criteria.insert(at, criterion)
        criteria[local.id] = criterion
        who = f" by {t.council}" if t.council else ""
        changes[local.id] = [LocalChange(kind="added", note=f"a local test added{who}, not part of "
                                         f"the {base.framework.title}")]
    for ident, change in t.actions.items():
        criterion = criteria[ident]
        words = [word for word, value in (("action", change.action), ("owner", change.owner),
                                          ("due date", change.due)) if value is not None]
        criterion.action = change.action if change.action is not None else criterion.action
        criterion.owner = change.owner if change.owner is not None else criterion.owner
        criterion.due = change.due if change.due is not None else criterion.due
        if words and ident not in tailored.ref.added:
            changes.setdefault(ident, []).append(LocalChange(kind="action", note=f"local {_and(words)}"))
    for ident, reason in tailored.not_used.items():
        changes.setdefault(ident, []).append(LocalChange(kind="not_used", note=f"not used locally: {reason}"))
    errors.extend(compiled_errors)
    sink.extend(compiled_errors)
    if compiled_errors:
        return base
    tailored.changes = changes
    return LoadedFramework(fw, base.sha256, base.path, rules, applies, base.calendar, tailoring=tailored)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def rule_change_words(old: dict, new: dict) -> str:
    """A replaced rule in words: the values that changed when only values changed ("at least: 80 in the
    edition, 85 here"), else that the rule is the council's own."""
    changed = _changed_values(old, new, ())
    # Only figures are shown: a changed fact or evidence type is an id, not words for a report.
    if changed and all(isinstance(o, (int, float)) and isinstance(n, (int, float)) and not isinstance(o, bool)
                       for _, o, n in changed):
        parts = [f"{' '.join(str(k).split('_'))} {_value(n)} here, {_value(o)} in the edition" for k, o, n in changed]
        return "local threshold: " + "; ".join(parts)
    return "a local rule replaces the edition's"


def _changed_values(old: Any, new: Any, path: tuple) -> list[tuple[str, Any, Any]] | None:
    """Scalar values that differ between two rules of the same shape; None when the shapes differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            return None
        out: list = []
        for key in old:
            inner = _changed_values(old[key], new[key], path + (key,))
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return None
        out = []
        for o, n in zip(old, new):
            inner = _changed_values(o, n, path)
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return None
    return [] if old == new else [(path[-1] if path else "value", old, new)]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def not_used_result(criterion: Criterion, tailored: Tailored) -> CriterionResult:
    """A criterion the tailoring does not use: not applicable, with the council's reason (no rule is run)."""
    reason = f"not used locally: {tailored.not_used[criterion.id]}"
    trace = Trace(rule="not used locally", outcome="not_applicable", reason=reason)
    return CriterionResult(id=criterion.id, title=criterion.title, level=criterion.level,
                           statutory=criterion.statutory, outcome="not_applicable", reasons=[reason], trace=trace,
                           source=criterion.source, local=list(tailored.changes.get(criterion.id, [])))


def load_for_show(catalogue: FrameworkCatalogue, framework_id: str, tailoring: str | None) -> LoadedFramework:
    """The framework ``efl show`` describes: an edition, tailored by ``--tailoring`` (a file, or an installed
    tailoring's id), or an installed tailoring named in place of the edition."""
    installed = catalogue.tailorings()
    if tailoring is None and framework_id in installed and framework_id not in catalogue.frameworks():
        tailoring = framework_id
        framework_id = _base_of(installed[framework_id].path)
    base = catalogue.load(framework_id)
    if tailoring is None:
        return base
    path = Path(tailoring)
    if tailoring in installed and not path.exists():
        return load_tailoring_file(installed[tailoring].path, base, catalogue.host, installed[tailoring].plugin)
    if not path.is_file():
        guess = difflib.get_close_matches(tailoring, list(installed), n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else "expected a tailoring file, or an installed tailoring's id"
        from efl.errors import UsageError

        raise UsageError(f"--tailoring: no file or installed tailoring '{tailoring}' ({hint})")
    return load_tailoring_file(path, base, catalogue.host)


def _base_of(path: Path) -> str:
    from efl.files.yamlio import read_text

    doc = parse_yaml(read_text(path, str(path)), str(path))
    base = doc.data.get("base") if isinstance(doc.data, dict) else None
    if not isinstance(base, str):
        raise InputError(Diagnostic(str(path), 1, 1, "the tailoring names no base edition (expected 'base: ID')"))
    return base
