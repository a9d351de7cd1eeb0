"""Loading framework definitions and checking them before any evidence is read."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from efl.law.dates import parse_duration
from efl.errors import Diagnostic, InputError, PluginError, UsageError
from efl.core.generated_code import yaml_data
from efl.core.models import CHARACTERISTICS, Framework
from efl.core.plugin_api import FrameworkSource
from efl.core.plugin_host import PluginHost, clash
from efl.core.rules import Rule, RuleCatalog, compile_rule
from efl.files.evidence import sha256_of
from efl.law.calendar import CalendarError, LoadedCalendar, find_calendar
from efl.files.quick_yaml import with_positions_on_demand
from efl.files.yamlio import YamlDocument, parse_header, parse_yaml, pydantic_diagnostics, read_text

INDEX_KEYS = ("id", "version", "title", "status", "kind")
OWNERS_HINT = "managers, council, or a named lead such as 'Head of HR'"


@dataclass
class FrameworkEntry:
    """One file the plugins register (a framework, crosswalk, calendar, classification or tailoring),
    as the index read its header."""

    id: str
    version: str
    title: str
    status: str
    path: Path
    plugin: str
    # The file's text as the index read it: loading works from it, so each file is read once and
    # what is indexed, checked and hashed is one and the same text.
    text: str | None = field(default=None, repr=False, compare=False)


@dataclass
class LoadedFramework:
    """A framework checked and compiled: the model, the hash of its text, its rules and its calendar."""

    framework: Framework
    sha256: str
    path: Path
    rules: dict[str, Rule] = field(default_factory=dict)
    applies: dict[str, Rule] = field(default_factory=dict)
    calendar: LoadedCalendar | None = None
    # The calendar's duties the framework's rules judge (what its papers may cite as checked).
    duties: tuple[str, ...] = ()
    # The local tailoring applied for this run (efl.core.tailoring.Tailored), or None for the edition itself.
    tailoring: Any = None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class FrameworkCatalogue:
    """The frameworks and crosswalks the loaded plugins provide, owned by the engine.

    Files are indexed by their headers once, and each framework is checked and compiled once, when
    first used: one engine assesses hundreds of folders in a national run.
    """

    def __init__(self, host: PluginHost):
        self.host = host
        self._index: tuple[dict[str, FrameworkEntry], ...] | None = None
        self._loaded: dict[str, LoadedFramework] = {}
        self._classifications = None

    def frameworks(self) -> dict[str, FrameworkEntry]:
        """Every framework, by id; two files with one id name both plugins."""
        if self._index is None:
            self._index = _index(self.host)
        return self._index[0]

    def crosswalks(self) -> dict[str, FrameworkEntry]:
        """Crosswalk files (``kind: crosswalk``), registered through the same hook as frameworks."""
        self.frameworks()
        return self._index[1]

    def calendars(self) -> dict[str, FrameworkEntry]:
        """Statutory calendar files (``kind: calendar``), registered through the same hook as frameworks."""
        self.frameworks()
        return self._index[2]

    def classification_files(self) -> dict[str, FrameworkEntry]:
        """Census classification files (``kind: classification``), registered through the same hook."""
        self.frameworks()
        return self._index[3]

    def classifications(self):  # noqa: ANN201
        """The classifications the loaded plugins provide, read once (see efl.workforce.classification)."""
        if self._classifications is None:
            from efl.workforce.classification import build_set

            entries = list(self.classification_files().values())
            try:
                self._classifications = build_set(entry.path for entry in entries)
            except InputError as exc:  # a plugin's file: name the plugin, as for a bad framework file
                first = exc.diagnostics[0]
                owner = next((e.plugin for e in entries if str(e.path) == first.path), "?")
                raise PluginError(owner, "efl_register_frameworks", f"its classification file is not valid: "
                                  f"{first}") from None
        return self._classifications

    def tailorings(self) -> dict[str, FrameworkEntry]:
        """Tailoring files plugins ship (``kind: tailoring``), registered through the same hook as frameworks."""
        self.frameworks()
        return self._index[4]

    def load(self, framework_id: str) -> LoadedFramework:
        """A framework, checked and compiled; an unknown id is a usage error with a suggestion."""
        frameworks = self.frameworks()
        if framework_id not in frameworks:
            guess = difflib.get_close_matches(framework_id, list(frameworks), n=1)
            hint = (f"did you mean '{guess[0]}'?" if guess
                    else f"expected one of: {', '.join(frameworks) or 'none installed'}")
            raise UsageError(f"no framework called '{framework_id}' ({hint})")
        if framework_id not in self._loaded:
            entry = frameworks[framework_id]
            self._loaded[framework_id] = load_framework_file(self.host, entry.path, self.calendars(), entry.text)
        return self._loaded[framework_id]


def available_frameworks(host: PluginHost) -> dict[str, FrameworkEntry]:
    """Every framework the loaded plugins provide (one-off; an engine keeps a catalogue)."""
    return FrameworkCatalogue(host).frameworks()


def available_crosswalks(host: PluginHost) -> dict[str, FrameworkEntry]:
    """Every crosswalk the loaded plugins provide (one-off; an engine keeps a catalogue)."""
    return FrameworkCatalogue(host).crosswalks()


def available_calendars(host: PluginHost) -> dict[str, FrameworkEntry]:
    """Every statutory calendar the loaded plugins provide (one-off; an engine keeps a catalogue)."""
    return FrameworkCatalogue(host).calendars()


def _index(host: PluginHost) -> tuple[dict[str, FrameworkEntry], ...]:
    registry = host.frameworks()
    entries: dict[str, FrameworkEntry] = {}
    crosswalks: dict[str, FrameworkEntry] = {}
    calendars: dict[str, FrameworkEntry] = {}
    classifications: dict[str, FrameworkEntry] = {}
    tailorings: dict[str, FrameworkEntry] = {}
    for key, source in registry.items.items():
        if not isinstance(source, FrameworkSource):
            raise PluginError(registry.owner[key], "efl_register_frameworks",
                              "registered something that is not a FrameworkSource")
        path = Path(source.path)
        shown = _shown(path)
        text = read_text(path, shown)
        # The header keys only: parsing every installed framework in full to list them cost more
        # than the rest of an assessment. Anything unusual falls back to the full parse. As the efl command,
        # the header of a file seen before is read back from efl.core.generated_code's cache.
        data = yaml_data(text, lambda text: parse_header(text, shown, INDEX_KEYS), "header:" + ",".join(INDEX_KEYS))
        if data is None or "id" not in data:
            doc = parse_yaml(text, shown)
            data = doc.data if isinstance(doc.data, dict) else {}
        fid = str(data.get("id", path.stem))
        plugin = registry.owner[key]
        kind = data.get("kind")
        others = {"calendar": calendars, "crosswalk": crosswalks, "classification": classifications,
                  "tailoring": tailorings}.get(kind)
        if others is not None:  # a calendar, crosswalk, classification or tailoring file: its own index, the same duplicate rule
            if fid in others:
                raise clash(f"{kind} id", fid, others[fid].plugin, plugin, "efl_register_frameworks", host.arrival)
            others[fid] = FrameworkEntry(fid, str(data.get("version", "")), str(data.get("title", fid)),
                                         kind, path, plugin, text)
            continue
        if fid in entries:
            first = entries[fid]
            earlier = min((first.plugin, plugin), key=host.arrival)
            file = (first.path if earlier == first.plugin else path).name  # the earlier one's file
            raise clash("framework id", fid, first.plugin, plugin, "efl_register_frameworks", host.arrival,
                        f" in {file}")
        entries[fid] = FrameworkEntry(fid, str(data.get("version", "")), str(data.get("title", fid)),
                                      str(data.get("status", "current")), path, plugin, text)
    return (dict(sorted(entries.items())), dict(sorted(crosswalks.items())), dict(sorted(calendars.items())),
            dict(sorted(classifications.items())), dict(sorted(tailorings.items())))


def rule_catalog(host: PluginHost, extra_characteristics: tuple[str, ...] = ()) -> RuleCatalog:
    from efl.core.switched_off import with_switched_off_facts, with_switched_off_types

    rule_types = host.rule_types()
    # A framework may name the facts and evidence types of a built-in switched off with -p no:NAME: its
    # criteria then find no figure, rather than the framework being refused.
    facts = with_switched_off_facts(host)
    evidence_types = with_switched_off_types(host)
    return RuleCatalog(rule_types.items, facts, evidence_types, set(CHARACTERISTICS) | set(extra_characteristics),
                       owners=rule_types.owner)


def load_framework(host: PluginHost, framework_id: str) -> LoadedFramework:
    """One framework, checked and compiled (one-off; an engine keeps a catalogue)."""
    return FrameworkCatalogue(host).load(framework_id)


def load_framework_file(host: PluginHost, path: Path, calendars: dict[str, FrameworkEntry] | None = None,
                        text: str | None = None) -> LoadedFramework:
    """Load and check one framework file; raise InputError with every problem in it.

    ``calendars`` are the statutory calendars on offer (a catalogue passes its own index);
    ``text`` is the file's text when the caller has read it already.
    """
    shown = _shown(path)
    text = read_text(path, shown) if text is None else text
    # Positions are needed only for a message; a good file is checked and compiled without them.
    return with_positions_on_demand(text, shown, lambda doc: _compile(host, path, text, doc, calendars))


def _compile(host: PluginHost, path: Path, text: str, doc: YamlDocument,
             calendars: dict[str, FrameworkEntry] | None) -> LoadedFramework:
    try:
        framework = Framework.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, doc, Framework)) from None
    errors = check_framework(framework, doc)
    catalog = rule_catalog(host)
    loaded = LoadedFramework(framework, sha256_of(text.encode("utf-8")), path)
    if framework.calendar is not None:
        try:
            offered = calendars if calendars is not None else available_calendars(host)
            loaded.calendar = find_calendar(offered, framework.calendar, catalog.evidence_types)
            catalog.duties = {d.id for d in loaded.calendar.calendar.duties}
        except UsageError as exc:
            errors.append(Diagnostic(doc.path, *doc.locate(("calendar",)), str(exc)))
        except CalendarError as exc:
            errors.extend(exc.diagnostics)
            catalog.duties = exc.duty_ids
    for a, area in enumerate(framework.areas):
        for c, criterion in enumerate(area.criteria):
            loc = ("areas", a, "criteria", c)
            rule = compile_rule(criterion.rule, loc + ("rule",), doc, catalog, errors)
            if rule:
                loaded.rules[criterion.id] = rule
            if criterion.applies_when is not None:
                applies = compile_rule(criterion.applies_when, loc + ("applies_when",), doc, catalog, errors)
                if applies:
                    loaded.applies[criterion.id] = applies
    if errors:
        raise InputError(errors)
    loaded.duties = tuple(sorted(catalog.named_duties))
    return loaded


def check_framework(framework: Framework, doc: YamlDocument) -> list[Diagnostic]:
    """Structural checks pydantic cannot make: unique ids, known levels, valid due dates."""
    errors: list[Diagnostic] = []

    def add(loc: tuple, message: str) -> None:
        line, col = doc.locate(loc)
        errors.append(Diagnostic(doc.path, line, col, message))

    levels = framework.level_ids()
    for i, (level, count) in enumerate(Counter(levels).items()):
        if count > 1:
            add(("levels", levels.index(level), "id"), f"level id '{level}' is used {count} times (expected unique ids)")
    seen: dict[str, tuple] = {}
    for a, area in enumerate(framework.areas):
        _unique(seen, area.id, ("areas", a, "id"), add)
        for e, expectation in enumerate(area.manager_expectations):
            _unique(seen, expectation.id, ("areas", a, "manager_expectations", e, "id"), add)
        for h, heading in enumerate(area.headings):
            _unique(seen, heading.id, ("areas", a, "headings", h, "id"), add)
        for c, criterion in enumerate(area.criteria):
            loc = ("areas", a, "criteria", c)
            _unique(seen, criterion.id, loc + ("id",), add)
            if criterion.level not in levels:
                guess = difflib.get_close_matches(criterion.level, levels, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else f"expected one of: {', '.join(levels)}"
                add(loc + ("level",), f"criterion '{criterion.id}' is at unknown level '{criterion.level}' ({hint})")
            if isinstance(criterion.due, str):
                try:
                    parse_duration(criterion.due)
                except ValueError as exc:
                    add(loc + ("due",), str(exc))
            elif isinstance(criterion.due, dict):
                problem = due_problem(criterion.due)
                if problem:
                    add(loc + ("due",), problem)
            if not criterion.owner.strip():
                add(loc + ("owner",), f"the owner is empty (expected {OWNERS_HINT})")
    return errors


def _unique(seen: dict[str, tuple], ident: str, loc: tuple, add) -> None:  # noqa: ANN001
    if ident in seen:
        add(loc, f"id '{ident}' is used twice (expected unique ids for levels, areas, expectations and criteria)")
    else:
        seen[ident] = loc


def due_problem(due: dict) -> str | None:
    """Check a ``due:`` mapping: ``{every: P1Y, after_latest: TYPE}`` or ``{next: MM-DD}``."""
    keys = set(due)
    if keys == {"next"}:
        try:
            month, day = (int(x) for x in str(due["next"]).split("-"))
            if not (1 <= month <= 12 and 1 <= day <= 31):
                raise ValueError
        except ValueError:
            return f"due.next {due['next']!r} is not a day of the year (expected MM-DD in quotes, e.g. '03-30')"
        return None
    if keys == {"every", "after_latest"}:
        try:
            parse_duration(str(due["every"]))
        except ValueError as exc:
            return f"due.every: {exc}"
        return None
    return ("due must be a duration such as P6M, {every: P1Y, after_latest: EVIDENCE-TYPE} or {next: 'MM-DD'} "
            f"(got keys {', '.join(sorted(map(str, keys)))})")
