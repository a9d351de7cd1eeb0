"""Provides the framework definitions, crosswalks, statutory calendars and Census classifications shipped
with efl (``frameworks/``)."""

from __future__ import annotations

from pathlib import Path

import efl


def folder() -> Path:
    """The folder ``efl_frameworks`` is in: where its ``__init__.py`` is, which is what
    ``importlib.resources.files`` gives for a package on disk. Asking ``files`` imports
    ``importlib.readers`` and builds a reader, on every start-up; it is the way for a package with no
    ``__init__.py`` of its own (a namespace package)."""
    import efl_frameworks

    init = getattr(efl_frameworks, "__file__", None)
    if init:
        return Path(init).parent
    from importlib.resources import files

    return Path(str(files("efl_frameworks")))


@efl.hookimpl
def efl_register_frameworks(register):  # noqa: ANN001, ANN201
    where = folder()
    for path in (sorted(where.glob("*.yaml")) + sorted(where.glob("crosswalks/*.yaml"))
                 + sorted(where.glob("calendars/*.yaml")) + sorted(where.glob("classifications/*.yaml"))):
        register(efl.FrameworkSource(path))
