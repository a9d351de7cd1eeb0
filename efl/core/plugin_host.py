"""The plugin host: finding, loading, switching off and calling plugins (the built-in ones are in
``plugins/``; this module is what runs them).

Built-in features are plugins too, found through the same ``efl`` entry-point group as third-party
ones. Nothing happens at import time: :func:`load_plugins` builds a fresh manager per command.

pluggy does not say which plugin raised, so :class:`PluginHost` calls implementations one at a time
and wraps any exception as a :class:`PluginError` naming the plugin and hook (exit code 3).
"""

from __future__ import annotations

import difflib
import inspect
import os
import re
import sys
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

import pluggy

from efl.core import hookspecs; from efl.core import plugin_api
from efl.core.installed import entry_points
from efl.core.time_limit import ENV as TIMEOUT_ENV, HookTimedOut, hook_seconds, time_limit, timed_out
from efl.errors import EflError, PluginError, UsageError

if TYPE_CHECKING:
    from efl.core.models import Action, Area, AreaResult, CriterionResult, Framework, Result
    from efl.core.plugin_api import AreaScore, AssessmentContext, Fact, OverallLevel, ReportSection

GROUP = "efl"
# Without these nothing can be assessed at all; like pytest's essential plugins they cannot be switched off.
# The scorer is one of them: without a scorer no area has a level (a third-party scorer still wins,
# as the built-in one is called last).
ESSENTIAL = frozenset({"rules", "formats", "scorer"})
AUTOLOAD_ENV = "EFL_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_ENV = "EFL_DISABLE_PLUGINS"
HOOK_NAMES = sorted(name for name in dir(hookspecs) if name.startswith("efl_"))


@dataclass
class PluginInfo:
    """One plugin as ``efl plugins`` lists it: its distribution, whether it loaded, its hooks, any problem."""

    name: str
    distribution: str
    version: str
    builtin: bool
    status: str  # "loaded" or "disabled"
    hooks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "distribution": self.distribution, "version": self.version,
                "builtin": self.builtin, "status": self.status, "hooks": self.hooks, "problems": self.problems}


class EflPluginManager(pluggy.PluginManager):
    """A pluggy manager that takes every ``efl_`` function of a plugin as a hook implementation.

    Like pytest, it does not need the ``@efl.hookimpl`` mark: an unmarked function with a misspelt
    hook name is then reported as an unknown hook instead of being silently ignored.
    """

    def parse_hookimpl_opts(self, plugin: Any, name: str):  # noqa: ANN201 - pluggy's signature
        if not name.startswith("efl_"):
            return None
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and inspect.isroutine(getattr(plugin, name, None)):
            opts = {"wrapper": False, "hookwrapper": False, "optionalhook": False, "tryfirst": False,
                    "trylast": False, "specname": None}
        return opts


def plugin_switches(options: Iterable[str]) -> tuple[set[str], set[str]]:
    """Split ``-p`` values into names to switch off (``no:NAME``) and names to switch on."""
    off, on = set(), set()
    for value in options:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if part.startswith("no:"):
                off.add(part[3:])
            else:
                on.add(part)
    env = os.environ.get(DISABLE_ENV, "")
    off.update(p.strip() for p in env.split(",") if p.strip())
    return off, on


def _distributions():  # noqa: ANN202
    """``about(entry_point)`` -> (distribution name, version), reading each distribution's metadata once.

    ``EntryPoint.dist.name`` and ``.version`` parse the whole METADATA file (README included) on every
    access: asked for each entry point several times, that was most of building a plugin host.
    """
    seen: dict[int, tuple[Any, str, str]] = {}  # the distribution is kept so its id stays its own

    def about(ep) -> tuple[str, str]:  # noqa: ANN001
        dist = ep.dist
        if dist is None:
            return ("?", "?")
        if id(dist) not in seen:
            found = name_and_version(dist)
            if found is None:  # headers this reader does not follow: the standard library's parse
                meta = dist.metadata
                found = (meta["Name"], meta["Version"])
            seen[id(dist)] = (dist, *found)
        return seen[id(dist)][1:]

    return about


def name_and_version(dist: Any) -> tuple[str, str] | None:
    """A distribution's ``Name`` and ``Version``, read from the headers of its metadata file only.

    ``dist.metadata`` imports ``email.parser`` and parses the whole file, the long description (a
    README) included, to give two short lines from its top. This reads the header lines up to the
    first blank one, as the email parser does, and gives what ``dist.metadata`` would; anything it
    does not follow (a folded Name or Version, a line that is not a header, a header missing) gives
    ``None``, and the caller then asks ``dist.metadata``.
    """
    try:
        text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    except Exception:  # noqa: BLE001 - an unreadable file: let the standard library say what it makes of it
        return None
    if not text:
        return None
    found: dict[str, str] = {}
    name = ""
    for line in text.split("\n"):
        line = line[:-1] if line.endswith("\r") else line
        if not line:
            break  # the end of the headers
        if "\r" in line:
            return None  # a bare CR, which the email parser takes as a line break
        if line[0] in " \t":  # the next line of a folded header (a licence's text, say)
            if not name or name in ("name", "version"):
                return None
            continue
        # As the email parser reads a header: a name of printable ASCII other than space and ":".
        name, colon, value = line.partition(":")
        name = name.lower()
        if not (colon and name.isascii() and name.isprintable() and " " not in name):
            return None  # a line the email parser would take as the start of the body
        found.setdefault(name, value.lstrip(" \t"))
    if "name" not in found or "version" not in found:
        return None
    return found["name"], found["version"]


def load_plugins(switches: Iterable[str] = (), autoload: bool | None = None,
                 extra: Iterable[tuple[str, Any]] = (), strict: bool = True) -> PluginHost:
    """Build a fresh plugin host.

    :param switches: ``-p`` values: ``no:NAME`` switches a plugin off, ``NAME`` switches it on when
        autoload is off (or back on after ``EFL_DISABLE_PLUGINS``).
    :param autoload: load third-party entry points too (default: yes unless ``EFL_DISABLE_PLUGIN_AUTOLOAD``
        is set); efl's built-in plugins load either way unless switched off with ``-p no:NAME``.
    :param extra: ``(name, plugin)`` pairs registered directly (used by ``efl.testing``).
    :param strict: refuse plugins with unknown hooks (``efl plugins`` lists them with the problem instead).
    """
    try:
        hook_seconds()  # a bad EFL_HOOK_TIMEOUT is the user's slip: say so before any plugin runs
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if autoload is None:
        autoload = os.environ.get(AUTOLOAD_ENV, "").strip().lower() not in ("1", "true", "yes")
    off, on = plugin_switches(switches)
    refused = sorted(off & ESSENTIAL)
    if refused:
        raise UsageError(f"plugin {', '.join(repr(n) for n in refused)} is essential and cannot be switched off "
                         f"(expected one of the optional plugins; see 'efl plugins')")
    off -= on  # an explicit -p NAME wins over EFL_DISABLE_PLUGINS
    pm = EflPluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    host = PluginHost(pm)

    about = _distributions()
    eps = sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, about(ep)[0]))
    by_name: dict[str, Any] = {}
    for ep in eps:
        dist = about(ep)[0]
        if ep.name in by_name:
            other = by_name[ep.name]
            other_dist = about(other)[0]
            if other_dist != dist:
                raise PluginError(ep.name, "entry points", f"the name {ep.name!r} is offered by two distributions, "
                                  f"{other_dist} and {dist} (expected each plugin name once; uninstall one)")
            continue  # the same distribution seen twice on sys.path: keep the first
        by_name[ep.name] = ep
    unknown = sorted((off | on) - set(by_name) - {n for n, _ in extra})
    if unknown:
        raise UsageError(f"no plugin called {', '.join(repr(n) for n in unknown)} "
                         f"(expected one of: {', '.join(sorted(by_name))})")
    for name, ep in by_name.items():
        dist, version = about(ep)
        info = PluginInfo(name, dist, version, builtin=dist == "efl", status="disabled")
        # Turning autoload off stops third-party plugins only, as in pytest: efl's own stay on.
        wanted = name in ESSENTIAL or name in on or ((autoload or info.builtin) and name not in off)
        if wanted:
            with blame(name, "import"):
                module = ep.load()
            host.add(name, module, info)
        else:
            pm.set_blocked(name)
            host.infos[name] = info
    for name, plugin in extra:
        host.add(name, plugin, PluginInfo(name, "(inline)", "0", builtin=False, status="loaded"))
    if strict:
        host.check()
    from efl.startup import started

    started()  # as the efl command, start-up ends here: the garbage collector works as usual from now
    return host


class Registry:
    """Named things registered by plugins; a name registered twice is an error naming the newcomer.

    ``arrival`` orders plugins by when they arrived (:meth:`PluginHost.arrival`): efl's own first, then
    the others in the order they were loaded. A clash is blamed on the one that arrived second, since
    it is the one that can be switched off (a built-in never is blamed for a newcomer's name).
    """

    def __init__(self, kind: str, hook: str, arrival: Any = None):
        self.kind = kind
        self.hook = hook
        self.items: dict[str, Any] = {}
        self.owner: dict[str, str] = {}
        self._arrival = arrival or (lambda name: (0, name))

    def add(self, plugin: str, name: str, item: Any) -> None:
        if not isinstance(name, str) or not name:
            raise PluginError(plugin, self.hook, f"registered a {self.kind} without a name")
        if name in self.items:
            raise clash(self.kind, name, self.owner[name], plugin, self.hook, self._arrival)
        self.items[name] = item
        self.owner[name] = plugin


def clash(kind: str, name: str, one: str, other: str, hook: str, arrival: Any, detail: str = "") -> PluginError:
    """The error for two plugins offering one name: it names the plugin that arrived second.

    :param arrival: ``arrival(plugin) -> sortable``, earlier first (:meth:`PluginHost.arrival`).
    :param detail: words after the first plugin's name, e.g. its file.
    """
    first, second = sorted((one, other), key=arrival)
    if first == second:
        return PluginError(second, hook, f"registered the {kind} {name!r} twice (expected each name once)")
    advice = (f"switch it off with -p no:{second}, or give its {kind} another name"
              if second not in ESSENTIAL else f"give its {kind} another name")
    return PluginError(second, hook, f"the {kind} {name!r} is already provided by {first!r}{detail} "
                                     f"(expected each name once; {advice})")


# What each registration hook collects, in words for messages ("rule type 'x' is registered by both...").
REGISTRIES = {
    "efl_register_frameworks": "framework file",
    "efl_register_evidence_formats": "evidence format",
    "efl_register_evidence_types": "evidence type",
    "efl_register_facts": "fact",
    "efl_register_rule_types": "rule type",
    "efl_register_report_formats": "report format",
}


class blame:  # noqa: N801 - used as a function: ``with blame(plugin, hook):``
    """Run plugin code so that whatever goes wrong names the plugin and the hook (exit code 3).

    Its printing goes to standard error, so it cannot corrupt ``--format json`` on standard output.
    efl's own errors (``EvidenceError``, or a clash already named) pass through; ``SystemExit`` is a
    failure like any other, since a plugin must not end the run; Ctrl-C stays an interrupt.

    A class rather than a generator-based context manager (with ``redirect_stdout`` inside): it runs
    around every plugin call, about 150 per council in a batch, and the generator and the nested
    context manager cost about twice what this does. tests/test_blame_class.py compares it with the
    generator it replaced, exception by exception.
    """

    __slots__ = ("plugin", "hook", "_limit", "_depth", "_stdout")

    def __init__(self, plugin: str, hook: str):
        self.plugin = plugin
        self.hook = hook

    def __enter__(self) -> None:
        limit = self._limit = time_limit()
        self._depth = limit.__enter__()
        # As redirect_stdout does: the stream in place now is the one put back.
        self._stdout = sys.stdout
        sys.stdout = sys.stderr

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        sys.stdout = self._stdout
        try:
            if exc is not None:
                self._name_the_plugin(exc)
        finally:
            self._limit.__exit__(None, None, None)
        return False  # nothing raised here: the exception (if any) goes on as it was

    def _name_the_plugin(self, exc: BaseException) -> None:
        """Raise the error that names the plugin for ``exc``; return to let ``exc`` go on unchanged."""
        if isinstance(exc, HookTimedOut):
            if exc.depth != self._depth:
                return  # an outer plugin call's time ran out: that call is the one to name
            raise PluginError(self.plugin, self.hook, _timeout_words(self.plugin, exc.seconds)) from None
        if isinstance(exc, EflError) or not isinstance(exc, (Exception, SystemExit)):
            return  # efl's own errors, and interrupts (KeyboardInterrupt, GeneratorExit), pass through
        stopped = timed_out(exc)  # anything else is the plugin's fault
        if stopped is not None:  # a library turned the time limit into an error of its own
            if stopped.depth != self._depth:
                raise stopped from None
            raise PluginError(self.plugin, self.hook, _timeout_words(self.plugin, stopped.seconds)) from None
        _plugin_failed(self.plugin, self.hook, exc)


def _timeout_words(plugin: str, seconds: float) -> str:
    return (f"did not finish within {seconds:g} second{'' if seconds == 1 else 's'}, so efl stopped it (expected it to return sooner; "
            f"set {TIMEOUT_ENV}=SECONDS to allow longer, or switch it off with -p no:{plugin})")


def _plugin_failed(plugin: str, hook: str, exc: BaseException) -> None:
    """Raise the PluginError for ``exc`` (or the interrupt it stands for)."""
    from efl.startup import caused_by_interrupt

    code = caused_by_interrupt(exc)
    if code is not None:  # a Ctrl-C (or SIGTERM) that a library wrapped in an error of its own
        from efl.files.output import Interrupted

        raise Interrupted(code - 128) from exc
    raise PluginError(plugin, hook, describe_exception(exc)) from exc


def describe_exception(exc: BaseException) -> str:
    """One line: a plugin's exception text may hold line breaks, or fail to turn into text at all."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}) (expected it to return a value or raise an exception)"
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ is the plugin's too
        text = "(its message could not be shown)"
    return " ".join(f"{type(exc).__name__}: {text}".split())


def describe_value(value: Any) -> str:
    """A returned value in words: ``None``, ``42``, ``a Fact``, ``a list holding a str``."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in value})
        return f"a {type(value).__name__} holding {' and '.join(kinds)}" if kinds else f"an empty {type(value).__name__}"
    return f"a {type(value).__name__}"


def conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` fits a hook's declared return type (unions, ``list[X]``, classes, ``None``)."""
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg) for arg in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    if origin is not None:
        return isinstance(value, origin)
    return isinstance(value, hint)


class PluginHost:
    """The typed face of the plugin manager: one method per hook, so callers never name hooks as text.

    Whether a hook stops at the first result, and what it must return, are read from its spec in
    :mod:`efl.core.hookspecs`; every result is checked against that return type.
    """

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.infos: dict[str, PluginInfo] = {}
        self._registries: dict[str, Registry] = {}
        self._returns: dict[str, tuple[Any, str]] = {}
        self._order: dict[str, int] = {}

    def arrival(self, name: str) -> tuple[int, int, str]:
        """When a plugin arrived, for naming the second of two that clash: efl's own plugins first
        (they are part of efl), then the others in the order they were loaded."""
        info = self.infos.get(name)
        return (0 if info is not None and info.builtin else 1, self._order.get(name, len(self._order)), name)

    def add(self, name: str, plugin: Any, info: PluginInfo) -> None:
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(name, "registration", str(exc)) from exc
        info.status = "loaded"
        self._order.setdefault(name, len(self._order))
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or [])
        self.infos[name] = info

    def problems(self) -> list[PluginError]:
        """Hooks no spec knows (a misspelt ``efl_`` name, decorated or not) and hook wrappers."""
        found = []
        for name, plugin in self.pm.list_name_plugin():
            for caller in self.pm.get_hookcallers(plugin) or []:
                if caller.spec is None:
                    close = difflib.get_close_matches(caller.name, HOOK_NAMES, n=1)
                    hint = f"did you mean {close[0]!r}?" if close else "expected one of the hooks in efl/core/hookspecs.py"
                    found.append(PluginError(name, caller.name, f"{caller.name!r} is not an efl hook ({hint})"))
                    continue
                for impl in caller.get_hookimpls():
                    if impl.plugin_name == name and (impl.hookwrapper or impl.wrapper):
                        found.append(PluginError(name, caller.name, "hook wrappers are not supported"))
        return found

    def check(self) -> None:
        """Raise the first problem :meth:`problems` finds (every command but ``efl plugins`` does)."""
        for problem in self.problems():
            raise problem

    def loaded(self) -> list[PluginInfo]:
        return [info for info in sorted(self.infos.values(), key=lambda i: i.name) if info.status == "loaded"]

    def all_infos(self) -> list[PluginInfo]:
        """Every plugin found, each with any problem in its hooks."""
        problems: dict[str, list[str]] = {}
        for problem in self.problems():
            problems.setdefault(problem.plugin, []).append(str(problem))
        infos = sorted(self.infos.values(), key=lambda i: i.name)
        for info in infos:
            info.problems = problems.get(info.name, [])
        return infos

    def implementers(self, hook_name: str) -> list[str]:
        """Names of the loaded plugins that implement a hook, in the order they are called."""
        return [impl.plugin_name for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls())]

    # -- the hooks --------------------------------------------------------------------------------

    def frameworks(self) -> Registry:
        """``efl_register_frameworks``: framework and crosswalk files, by path."""
        return self._registry("efl_register_frameworks")

    def evidence_formats(self) -> Registry:
        return self._registry("efl_register_evidence_formats")

    def evidence_types(self) -> Registry:
        return self._registry("efl_register_evidence_types")

    def facts(self) -> Registry:
        return self._registry("efl_register_facts")

    def rule_types(self) -> Registry:
        return self._registry("efl_register_rule_types")

    def report_formats(self) -> Registry:
        return self._registry("efl_register_report_formats")

    def compute_facts(self, context: AssessmentContext) -> tuple[list[tuple[str, list[Fact]]], list[PluginError]]:
        """Every plugin's facts; a plugin that fails is returned as a failure and the others still count."""
        results, failures = [], []
        for impl in self._impls("efl_compute_facts"):
            try:
                value = self._invoke(impl, "efl_compute_facts", {"context": context})
            except PluginError as error:
                failures.append(error)
                continue
            if value is not None:
                results.append((impl.plugin_name, value))
        return results, failures

    def score_area(self, area: Area, criteria: list[CriterionResult], framework: Framework,
                   context: AssessmentContext) -> tuple[str, AreaScore] | None:
        """The first scorer's decision, with the scorer's name (``None`` if every scorer passed)."""
        found = self._call("efl_score_area", area=area, criteria=criteria, framework=framework, context=context)
        return found[0] if found else None

    def overall_level(self, framework: Framework, areas: list[AreaResult],
                      context: AssessmentContext) -> tuple[str, OverallLevel] | None:
        """The first decision on the overall level, with the deciding plugin's name."""
        found = self._call("efl_overall_level", framework=framework, areas=areas, context=context)
        return found[0] if found else None

    def propose_actions(self, area: Area, result: AreaResult,
                        context: AssessmentContext) -> list[tuple[str, list[Action]]]:
        return self._call("efl_propose_actions", area=area, result=result, context=context)

    def report_sections(self, result: Result) -> list[tuple[str, list[ReportSection]]]:
        """Every plugin's sections of figures for a report, with the plugin's name."""
        return self._call("efl_report_sections", result=result)

    # -- calling ----------------------------------------------------------------------------------

    def _impls(self, hook_name: str) -> list[Any]:
        return list(reversed(getattr(self.pm.hook, hook_name).get_hookimpls()))

    def _expected(self, hook_name: str) -> tuple[Any, str]:
        """The hook's declared return type, and as written in the spec (for messages)."""
        if hook_name not in self._returns:
            spec = getattr(hookspecs, hook_name)
            hint = typing.get_type_hints(spec, globalns=_spec_namespace(spec))["return"]
            self._returns[hook_name] = (hint, str(inspect.signature(spec).return_annotation))
        return self._returns[hook_name]

    def _registered_type(self, hook_name: str) -> type:
        """What a registration hook's ``register`` takes, from the spec: ``Callable[[RuleType], None]``."""
        spec = getattr(hookspecs, hook_name)
        (item,), _ = typing.get_args(typing.get_type_hints(spec, globalns=_spec_namespace(spec))["register"])
        return item

    def _invoke(self, impl: Any, hook_name: str, kwargs: dict[str, Any]) -> Any:
        """Call one implementation under :func:`blame`, and check what it returned."""
        with blame(impl.plugin_name, hook_name):
            value = impl.function(*[kwargs[arg] for arg in impl.argnames])
        hint, written = self._expected(hook_name)
        if not conforms(value, hint):
            raise PluginError(impl.plugin_name, hook_name, f"returned {describe_value(value)} (expected {written})")
        return value

    def _call(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook implementation by implementation, in pluggy's order, naming any that fails."""
        firstresult = bool(getattr(self.pm.hook, hook_name).spec.opts.get("firstresult"))
        results = []
        for impl in self._impls(hook_name):
            value = self._invoke(impl, hook_name, kwargs)
            if value is not None:
                results.append((impl.plugin_name, value))
                if firstresult:
                    break
        return results

    def _registry(self, hook_name: str) -> Registry:
        """Collect a ``efl_register_*`` hook's things into a :class:`Registry` (once per host)."""
        if hook_name in self._registries:
            return self._registries[hook_name]
        registry = Registry(REGISTRIES[hook_name], hook_name, self.arrival)
        expected = self._registered_type(hook_name)
        for impl in self._impls(hook_name):
            def register(item: Any, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(item, expected):
                    raise PluginError(_plugin, hook_name, f"registered {describe_value(item)} "
                                      f"(expected an efl.{expected.__name__})")
                if hook_name == "efl_register_evidence_types" and item.fields is not None:
                    from efl.core.evidence_fields import check_declared

                    check_declared(_plugin, hook_name, item)
                kind = getattr(item, "kind", "") if hook_name == "efl_register_facts" else ""
                if kind and kind not in plugin_api.FACT_KINDS:
                    raise PluginError(_plugin, hook_name, f"declared the fact {item.name!r} of kind {kind!r} "
                                      f"(expected one of: {', '.join(plugin_api.FACT_KINDS)}, or none)")
                registry.add(_plugin, getattr(item, "name", None) or _name_of(item), item)

            self._invoke(impl, hook_name, {"register": register})
        if hook_name == "efl_register_evidence_formats":
            self._check_endings(registry)
        self._registries[hook_name] = registry
        return registry


    def _check_endings(self, registry: Registry) -> None:
        """Two evidence formats that claim one file ending clash like two of one name: which one read
        a ``.csv`` file would otherwise depend on the order plugins happen to load in."""
        claimed: dict[str, str] = {}
        for name in sorted(registry.items, key=lambda n: self.arrival(registry.owner[n])):
            for ending in registry.items[name].extensions:
                ending = str(ending).lower()
                if ending in claimed and claimed[ending] != name:
                    raise clash("file ending", ending, registry.owner[claimed[ending]], registry.owner[name],
                                registry.hook, self.arrival, f" (its format {claimed[ending]!r})")
                claimed[ending] = name


def _spec_namespace(spec: Any) -> dict[str, Any]:
    """The names a hook spec's annotations use (they are strings): the modules its TYPE_CHECKING block
    imports them from, loaded when a hook is first checked."""
    from efl.core import models
    from efl.reports import sections

    words = set(re.findall(r"[A-Za-z_]\w*", " ".join(map(str, spec.__annotations__.values()))))
    found = {w: getattr(module, w) for module in (plugin_api, models, sections) for w in words if hasattr(module, w)}
    return {**vars(hookspecs), **found}


def _name_of(item: Any) -> str:
    path = getattr(item, "path", None)
    return str(path) if path is not None else ""


def plugin_refs(host: PluginHost) -> list[dict[str, str]]:
    return [{"name": i.name, "distribution": i.distribution, "version": i.version} for i in host.loaded()]

