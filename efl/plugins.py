"""Finding, loading, switching off and calling plugins.

Built-in features are plugins too, found through the same ``efl`` entry-point group as third-party
ones. Nothing happens at import time: :func:`load_plugins` builds a fresh manager per command.

pluggy does not say which plugin raised, so :class:`PluginHost` calls implementations one at a time
and wraps any exception as a :class:`PluginError` naming the plugin and hook (exit code 3).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .errors import EflError, PluginError, UsageError

GROUP = "efl"
# Without these nothing can be assessed at all; like pytest's essential plugins they cannot be switched off.
ESSENTIAL = frozenset({"rules", "formats"})
AUTOLOAD_ENV = "EFL_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_ENV = "EFL_DISABLE_PLUGINS"


@dataclass
class PluginInfo:
    name: str
    distribution: str
    version: str
    builtin: bool
    status: str  # "loaded" or "disabled"
    hooks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "distribution": self.distribution, "version": self.version,
                "builtin": self.builtin, "status": self.status, "hooks": self.hooks}


class EflPluginManager(pluggy.PluginManager):
    """A pluggy manager that only looks at ``efl_`` attributes of a plugin."""

    def parse_hookimpl_opts(self, plugin: Any, name: str):  # noqa: ANN201 - pluggy's signature
        if not name.startswith("efl_"):
            return None
        return super().parse_hookimpl_opts(plugin, name)


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


def load_plugins(switches: Iterable[str] = (), autoload: bool | None = None,
                 extra: Iterable[tuple[str, Any]] = ()) -> PluginHost:
    """Build a fresh plugin host.

    :param switches: ``-p`` values: ``no:NAME`` switches a plugin off, ``NAME`` switches it on when
        autoload is off (or back on after ``EFL_DISABLE_PLUGINS``).
    :param autoload: load every entry point (default: yes unless ``EFL_DISABLE_PLUGIN_AUTOLOAD`` is set).
    :param extra: ``(name, plugin)`` pairs registered directly (used by ``efl.testing``).
    """
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

    eps = sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, ep.dist.name if ep.dist else ""))
    by_name: dict[str, Any] = {}
    for ep in eps:
        dist = ep.dist.name if ep.dist else "?"
        if ep.name in by_name:
            other = by_name[ep.name]
            other_dist = other.dist.name if other.dist else "?"
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
        dist = ep.dist.name if ep.dist else "?"
        version = ep.dist.version if ep.dist else "?"
        info = PluginInfo(name, dist, version, builtin=dist == "efl", status="disabled")
        wanted = name in ESSENTIAL or name in on or (autoload and name not in off)
        if wanted:
            try:
                module = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure is the plugin's
                raise PluginError(name, "import", f"{type(exc).__name__}: {exc}") from exc
            host.add(name, module, info)
        else:
            pm.set_blocked(name)
            host.infos[name] = info
    for name, plugin in extra:
        host.add(name, plugin, PluginInfo(name, "(inline)", "0", builtin=False, status="loaded"))
    host.check()
    return host


class Registry:
    """Named things registered by plugins; a name registered twice is an error naming both plugins."""

    def __init__(self, kind: str, hook: str):
        self.kind = kind
        self.hook = hook
        self.items: dict[str, Any] = {}
        self.owner: dict[str, str] = {}

    def add(self, plugin: str, name: str, item: Any) -> None:
        if not isinstance(name, str) or not name:
            raise PluginError(plugin, self.hook, f"registered a {self.kind} without a name")
        if name in self.items:
            raise PluginError(plugin, self.hook, f"{self.kind} {name!r} is registered by both "
                              f"{self.owner[name]!r} and {plugin!r} (expected each name once; switch one off with -p no:NAME)")
        self.items[name] = item
        self.owner[name] = plugin


class PluginHost:
    """The typed face of the plugin manager that the engine talks to."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.infos: dict[str, PluginInfo] = {}
        self._registries: dict[str, Registry] = {}
        # Work derived from the registries that several commands reuse (e.g. the framework index).
        self.cache: dict[str, Any] = {}

    def add(self, name: str, plugin: Any, info: PluginInfo) -> None:
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(name, "registration", str(exc)) from exc
        info.status = "loaded"
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or [])
        self.infos[name] = info

    def check(self) -> None:
        """Refuse hooks no spec knows (a misspelt ``efl_`` name) and hook wrappers."""
        for name, plugin in self.pm.list_name_plugin():
            for caller in self.pm.get_hookcallers(plugin) or []:
                if caller.spec is None:
                    raise PluginError(name, caller.name, f"{caller.name!r} is not an efl hook "
                                      "(expected one of the hooks in efl/hookspecs.py; check the spelling)")
                for impl in caller.get_hookimpls():
                    if impl.plugin_name == name and (impl.hookwrapper or impl.wrapper):
                        raise PluginError(impl.plugin_name, caller.name, "hook wrappers are not supported")

    def loaded(self) -> list[PluginInfo]:
        return [info for info in sorted(self.infos.values(), key=lambda i: i.name) if info.status == "loaded"]

    def all_infos(self) -> list[PluginInfo]:
        return sorted(self.infos.values(), key=lambda i: i.name)

    # -- calling ----------------------------------------------------------------------------------

    def _invoke(self, impl: Any, hook_name: str, kwargs: dict[str, Any]) -> Any:
        """Call one implementation; any exception but efl's own becomes a PluginError naming it."""
        try:
            return impl.function(*[kwargs[arg] for arg in impl.argnames])
        except EflError:
            raise
        except Exception as exc:  # noqa: BLE001 - any other exception is the plugin's fault
            raise PluginError(impl.plugin_name, hook_name, f"{type(exc).__name__}: {exc}") from exc

    def call(self, hook_name: str, firstresult: bool = False, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook implementation by implementation, in pluggy's order, naming any that fails."""
        results = []
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            value = self._invoke(impl, hook_name, kwargs)
            if value is not None:
                results.append((impl.plugin_name, value))
                if firstresult:
                    break
        return results

    def call_each(self, hook_name: str, **kwargs: Any) -> tuple[list[tuple[str, Any]], list[PluginError]]:
        """Like :meth:`call`, but a failing plugin does not stop the others: failures are returned."""
        results, failures = [], []
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            try:
                value = self._invoke(impl, hook_name, kwargs)
            except PluginError as error:
                failures.append(error)
                continue
            if value is not None:
                results.append((impl.plugin_name, value))
        return results, failures

    def registry(self, hook_name: str, kind: str) -> Registry:
        """Collect a ``efl_register_*`` hook's things into a :class:`Registry` (cached per host)."""
        if hook_name in self._registries:
            return self._registries[hook_name]
        registry = Registry(kind, hook_name)
        caller = getattr(self.pm.hook, hook_name)
        for impl in reversed(caller.get_hookimpls()):
            def register(item: Any, _plugin: str = impl.plugin_name) -> None:
                registry.add(_plugin, getattr(item, "name", None) or _name_of(item), item)
            try:
                impl.function(register)
            except EflError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise PluginError(impl.plugin_name, hook_name, f"{type(exc).__name__}: {exc}") from exc
        self._registries[hook_name] = registry
        return registry


def _name_of(item: Any) -> str:
    path = getattr(item, "path", None)
    return str(path) if path is not None else ""


def plugin_refs(host: PluginHost) -> list[dict[str, str]]:
    return [{"name": i.name, "distribution": i.distribution, "version": i.version} for i in host.loaded()]

