"""What the built-in plugins switched off with ``-p no:NAME`` would have provided, so that efl works
without them.

A framework, a statutory calendar or an assessment folder written for the full set of built-in
plugins names their facts and evidence types. With one of those plugins switched off, those names
are not typos: the framework's criteria that need the missing facts are assessed as having no
figure (the rule says so), and an evidence item of a switched-off type is left out with a warning
that says which plugin is off. A name no plugin at all knows is still an error.

Only efl's own plugins are asked, by calling their registration hooks directly (they are part of
efl, and registering names runs none of their work). A third-party plugin that is switched off is
never imported, since a broken one is the usual reason to switch it off; the names only it gives
stay unknown.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from efl.core.installed import entry_points
from efl.errors import DiagnosticSink

if TYPE_CHECKING:
    from efl.core.plugin_host import PluginHost

GROUP = "efl"


@dataclass(frozen=True)
class SwitchedOff:
    """The facts (name -> :class:`~efl.FactSpec`) and evidence types (name -> :class:`~efl.EvidenceType`)
    that built-in plugins switched off would register, and which plugin each comes from."""

    facts: dict[str, Any] = field(default_factory=dict)
    evidence_types: dict[str, Any] = field(default_factory=dict)
    owner: dict[tuple[str, str], str] = field(default_factory=dict)  # ("fact" or "type", name) -> plugin

    def plugin_of_type(self, name: str) -> str | None:
        return self.owner.get(("type", name))

    def plugin_of_fact(self, name: str) -> str | None:
        return self.owner.get(("fact", name))


_FOUND: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def switched_off(host: PluginHost) -> SwitchedOff:
    """What the built-in plugins that ``host`` did not load would register (worked out once per host)."""
    found = _FOUND.get(host)
    if found is None:
        found = _FOUND[host] = _ask(host)
    return found


def _ask(host: PluginHost) -> SwitchedOff:
    off = {info.name for info in host.infos.values() if info.builtin and info.status != "loaded"}
    if not off:
        return SwitchedOff()
    loaded_facts, loaded_types = host.facts().items, host.evidence_types().items
    facts: dict[str, Any] = {}
    types: dict[str, Any] = {}
    owner: dict[tuple[str, str], str] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if ep.name not in off:
            continue
        try:
            plugin = ep.load()
        except Exception:  # noqa: BLE001 - a built-in that cannot even import: its names stay unknown
            continue
        for hook, into, kind, loaded in (("efl_register_facts", facts, "fact", loaded_facts),
                                         ("efl_register_evidence_types", types, "type", loaded_types)):
            register = getattr(plugin, hook, None)
            if register is None:
                continue
            offered: list = []
            try:
                register(offered.append)
            except Exception:  # noqa: BLE001 - the same: nothing is learnt from it
                continue
            for item in offered:
                name = getattr(item, "name", None)
                if isinstance(name, str) and name not in loaded and name not in into:
                    into[name] = item
                    owner[(kind, name)] = ep.name
    return SwitchedOff(dict(sorted(facts.items())), dict(sorted(types.items())), owner)


def with_switched_off_facts(host: PluginHost) -> dict[str, Any]:
    """The declared facts, and those of switched-off built-ins (a rule that needs one finds no figure)."""
    return {**switched_off(host).facts, **host.facts().items}


def with_switched_off_types(host: PluginHost) -> set[str]:
    """The evidence type names a framework or calendar may use: the loaded ones and switched-off built-ins'."""
    return set(host.evidence_types().items) | set(switched_off(host).evidence_types)


def leave_out_switched_off_items(loaded: Any, host: PluginHost, sink: DiagnosticSink) -> None:
    """Drop the evidence items whose type a switched-off built-in plugin provides, each with a warning
    at its ``type:`` saying so; the folder is assessed without them.

    ``loaded`` is the folder's :class:`~efl.core.assessment.LoadedAssessment` (typed ``Any``: the
    assessment module loads frameworks, which use this one).
    """
    off = switched_off(host)
    if not off.evidence_types:
        return
    kept = []
    for i, item in loaded.items:
        plugin = off.plugin_of_type(item.type)
        if plugin is None:
            kept.append((i, item))
            continue
        title = (getattr(off.evidence_types[item.type], "title", "") or item.type).split(" (")[0]
        line, col = loaded.evidence_doc.locate(("evidence", i, "type"))
        sink.warn(loaded.evidence_doc.path, line, col,
                  f"evidence item '{item.id}' ({title.lower()}) is left out because the plugin that reads it, "
                  f"'{plugin}', is switched off (-p no:{plugin}); the rest of the folder is assessed without it")
    loaded.items[:] = kept
