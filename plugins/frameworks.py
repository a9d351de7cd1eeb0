"""Provides the framework definitions, crosswalks, statutory calendars and Census classifications shipped
with efl (``frameworks/``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import efl


@efl.hookimpl
def efl_register_frameworks(register):  # noqa: ANN001, ANN201
    folder = Path(str(files("efl_frameworks")))
    for path in (sorted(folder.glob("*.yaml")) + sorted(folder.glob("crosswalks/*.yaml"))
                 + sorted(folder.glob("calendars/*.yaml")) + sorted(folder.glob("classifications/*.yaml"))):
        register(efl.FrameworkSource(path))
