"""The entry points of the installed distributions, read from their metadata folders directly.

``importlib.metadata`` costs every ``efl`` command some 10 ms just to import (it brings ``email``,
``zipfile``, ``socket``, ``pathlib``'s Windows half...), and both efl's plugin host and pydantic (for
its own plugins, when a model's validator is made) ask it only one thing: the entry points of one
group. In the usual case, plain ``*.dist-info`` and ``*.egg-info`` folders in plain directories on
``sys.path``, that is a few ``os.listdir`` calls and a few small text files, read here exactly as
``importlib.metadata`` (Python 3.11) reads them: the same entry points, in the same order, the
first distribution of a name on the path winning as there.

Anything unusual hands the question back to ``importlib.metadata``: a finder on ``sys.meta_path``
besides Python's own that can find distributions, a ``sys.path`` entry that is not a string or is a
file (a zip or an egg), a metadata folder this reader does not name as the standard library does, an
``entry_points.txt`` that cannot be read or has a line that is not ``name = value``, or a value that
is not a plain ``module`` or ``module:attr`` (with extras). Then the standard library says what it
says, errors included, as it did before.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

# importlib.metadata's EntryPoint.pattern; only values it matches are read here.
_PATTERN = re.compile(r'(?P<module>[\w.]+)\s*'
                      r'(:\s*(?P<attr>[\w.]+)\s*)?'
                      r'((?P<extras>\[.*\])\s*)?$')
_ENDINGS = (".dist-info", ".egg-info")


class Unusual(Exception):
    """Something this reader does not follow: ``importlib.metadata`` answers instead."""


class Distribution:
    """A distribution's metadata folder, with what efl asks of it (``importlib.metadata``'s
    ``PathDistribution`` for anything more)."""

    def __init__(self, path: str):
        self.path = path

    def read_text(self, filename: str) -> str | None:
        # As PathDistribution.read_text: these errors mean "no such file"; any other is raised.
        try:
            with open(os.path.join(self.path, filename), encoding="utf-8") as handle:
                return handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
            return None

    def _standard(self) -> Any:
        import pathlib
        from importlib.metadata import PathDistribution

        return PathDistribution(pathlib.Path(self.path))

    @property
    def metadata(self) -> Any:
        return self._standard().metadata

    @property
    def name(self) -> str:
        return self._standard().name

    @property
    def version(self) -> str:
        return self._standard().version

    def __repr__(self) -> str:
        return f"Distribution({self.path!r})"


class EntryPoint:
    """One entry point: ``name``, ``value`` and ``group`` as written, ``dist`` and :meth:`load` as
    ``importlib.metadata.EntryPoint`` has them."""

    __slots__ = ("name", "value", "group", "dist")

    def __init__(self, name: str, value: str, group: str, dist: Distribution):
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist

    def load(self) -> Any:
        """The module the value names, or the object at its ``:attr`` path."""
        import importlib

        match = _PATTERN.match(self.value)
        assert match is not None  # only such values are read (see _entry_points_of)
        value: Any = importlib.import_module(match.group("module"))
        for attr in (match.group("attr") or "").split("."):
            if attr:
                value = getattr(value, attr)
        return value

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(group: str) -> list[Any]:
    """The entry points of ``group``, as ``importlib.metadata.entry_points(group=group)`` gives them."""
    try:
        return [ep for ep in _read_all_remembered() if ep.group == group]
    except Unusual:
        from importlib.metadata import entry_points as standard

        return list(standard(group=group))


def _read_all() -> list[EntryPoint]:
    """Every entry point of every distribution, in ``importlib.metadata``'s order (raises Unusual)."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            raise Unusual(f"{finder!r} finds distributions too")
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for name, folder in _metadata_folders():
        if not name:
            raise Unusual(f"a metadata folder without a name: {folder}")  # named from its METADATA there
        if name in seen:
            continue  # importlib.metadata keeps the first distribution of a name on the path
        seen.add(name)
        dist = Distribution(folder)
        try:
            text = dist.read_text("entry_points.txt")
        except Exception as exc:  # noqa: BLE001 - e.g. not UTF-8: the standard library says what
            raise Unusual(str(exc)) from None
        found += _entry_points_of(text or "", dist)
    return found


def _metadata_folders() -> list[tuple[str, str]]:
    """The metadata folders on ``sys.path`` with their distributions' normalized names, in the order
    importlib.metadata's FastPath finds them."""
    folders: list[tuple[str, str]] = []
    for root in sys.path:
        if type(root) is not str:
            raise Unusual(f"a sys.path entry {root!r} that is not text")
        if os.path.basename(root).lower().endswith(".egg"):
            raise Unusual(f"an egg on sys.path: {root}")
        try:
            children = os.listdir(root or ".")
        except OSError:
            if os.path.exists(root or "."):
                raise Unusual(f"{root} is not a folder (a zip, perhaps)") from None
            continue  # as importlib.metadata: a path that is not there has no distributions
        by_name: dict[str, list[str]] = {}  # grouped by name, first seen first, as its Lookup does
        for child in children:
            low = child.lower()
            if not low.endswith(_ENDINGS):
                continue
            if not child.endswith(_ENDINGS):
                raise Unusual(f"a metadata folder named {child!r}")  # the standard library names it otherwise
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            by_name.setdefault(name, []).append(os.path.join(root, child))
        for name, paths in by_name.items():
            folders += [(name, path) for path in paths]
    return folders


def _normalize(name: str) -> str:
    # importlib.metadata's Prepared.normalize
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _entry_points_of(text: str, dist: Distribution) -> list[EntryPoint]:
    """An ``entry_points.txt``, read as importlib.metadata's Sectioned reads it."""
    found = []
    group = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line.strip("[]")
            continue
        if group is None:
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise Unusual(f"the line {line!r} in {dist.path}")
        name, value = name.strip(), value.strip()
        if _PATTERN.match(value) is None:
            raise Unusual(f"the entry point value {value!r} in {dist.path}")
        found.append(EntryPoint(name, value, group, dist))
    return found


# --- as the efl command ----------------------------------------------------------------------------

_remembering = False
_remembered: tuple[tuple, list[EntryPoint]] | None = None  # (sys.path as it was read, what was read)


def remember_for_the_command() -> None:
    """As the efl command: read the folders once a process (for pydantic's question and the plugin
    host's), as long as ``sys.path`` stays as it was."""
    global _remembering
    _remembering = True


def _read_all_remembered() -> list[EntryPoint]:
    global _remembered
    if not _remembering:
        return _read_all()
    path = tuple(sys.path)
    if _remembered is None or _remembered[0] != path:
        _remembered = (path, _read_all())
    return _remembered[1]


LOADER = "pydantic.plugin._loader"


def spare_pydantic_the_metadata_import() -> bool:
    """As the efl command, when no distribution offers a pydantic plugin: answer pydantic's "which
    plugins are there?" here, so that it does not import ``importlib.metadata`` to find none.

    pydantic asks (``pydantic.plugin._loader.get_plugins``) when it makes each model's validator, a
    plugin's models too, and its module imports ``importlib.metadata`` first thing: some 10 ms of
    every command, for an empty answer. So the module put in its place says "none", as pydantic's
    would with no ``pydantic`` entry point installed; anything else asked of it loads pydantic's own
    (which gives the same answer). With a pydantic plugin installed, or anything :func:`entry_points`
    does not follow, pydantic is left alone. True if the answer is given here.
    """
    if LOADER in sys.modules:
        return False
    try:
        if any(ep.group == "pydantic" for ep in _read_all_remembered()):
            return False
    except Unusual:
        return False
    import types

    stand_in = types.ModuleType(LOADER, "No pydantic plugins are installed (efl.core.installed looked).")
    stand_in.get_plugins = _no_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = _pydantic_loader_attribute  # type: ignore[attr-defined]
    sys.modules[LOADER] = stand_in
    return True


def _no_plugins() -> tuple:
    """pydantic's get_plugins when no ``pydantic`` entry point is installed: none."""
    return ()


def _pydantic_loader_attribute(name: str) -> Any:
    """Anything else asked of the stand-in: from pydantic's own module, loaded then in its place."""
    import importlib

    if name.startswith("__") and name.endswith("__"):
        # What the import system and tools look for on any module (``__path__``, ``__file__``): a
        # module made here has none, and asking must not load pydantic's.
        raise AttributeError(f"module {LOADER!r} has no attribute {name!r}")

    if sys.modules.get(LOADER) is not None and getattr(sys.modules[LOADER], "get_plugins", None) is _no_plugins:
        del sys.modules[LOADER]
    return getattr(importlib.import_module(LOADER), name)
