"""Arrow's shared libraries loaded on the second core while efl starts, when a folder will need them.

Importing pyarrow costs a 50,000-employee assessment some 23 ms, and about 9 of them are the system's
dynamic loader mapping and linking Arrow's libraries (some 60 MB of them), which holds Python's
interpreter lock all the while. The loader itself needs no interpreter: called through ctypes as a
foreign function, the lock is let go. So, as the efl command, when the folder holds a CSV file large
enough for Arrow's reader (``efl.files.columnar.MIN_BYTES``), a thread asks the loader for
pyarrow's core extension module while the main thread goes on importing efl and building the plugins.
When pyarrow is then imported, the loader finds the module and its libraries already there (the same
file, with the flags Python uses) and only Python's part of the import is left.

Only a head start: nothing is read, no Python module is imported, and whatever goes wrong (no
pyarrow, no loader to call, another platform) is let go, so the import happens as it would have.
:func:`wait` is called before pyarrow is imported and before efl starts worker processes (a fork
while the loader holds its lock would leave the child unable to load anything).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

_started: list[Any] = []  # the thread, once started
_LOOK_DEPTH = 3  # folders below the assessment folder looked at (evidence/, evidence/hr/, ...)


def _has_large_csv(folder: Path, min_bytes: int) -> bool:
    """Whether a CSV file of ``min_bytes`` or more lies in ``folder`` (links not followed: a hint only)."""
    pending = [(str(folder), 0)]
    while pending:
        where, depth = pending.pop()
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if depth < _LOOK_DEPTH:
                            pending.append((entry.path, depth + 1))
                    elif entry.name.lower().endswith(".csv") and entry.is_file(follow_symlinks=False) \
                            and entry.stat(follow_symlinks=False).st_size >= min_bytes:
                        return True
        except OSError:
            continue
    return False


def _arrow_module() -> str | None:
    """The file of pyarrow's core extension module (``pyarrow.lib``), found as Python's import finds it."""
    import importlib.machinery
    import importlib.util

    try:
        spec = importlib.util.find_spec("pyarrow")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(location, "lib" + suffix)
            if os.path.isfile(path):
                return path
    return None


def _load(path: str, flags: int) -> None:
    try:
        import ctypes

        loader = ctypes.CDLL(None)  # the process's own symbols: the C library's dlopen among them
        loader.dlopen.restype = ctypes.c_void_p
        loader.dlopen.argtypes = (ctypes.c_char_p, ctypes.c_int)
        # Never closed: pyarrow's import takes the module over, and Python never unloads one.
        loader.dlopen(os.fsencode(path), flags)
    except Exception:  # noqa: BLE001 - a head start only: the import does the real work, and says what failed
        pass


def start_for(folder: Path, min_bytes: int) -> None:
    """As the efl command on Linux: start loading Arrow's libraries if ``folder`` holds a CSV file of
    ``min_bytes`` or more (the size from which efl reads one with Arrow)."""
    from efl.startup import as_the_command

    if _started or not sys.platform.startswith("linux") or "pyarrow.lib" in sys.modules or not as_the_command():
        return
    if not _has_large_csv(folder, min_bytes):
        return
    path = _arrow_module()
    if path is None:
        return
    import threading

    thread = threading.Thread(target=_load, args=(path, sys.getdlopenflags()), name="efl-arrow-preload",
                              daemon=True)
    thread.start()
    _started.append(thread)


def wait() -> None:
    """Wait for the head start to finish, if one was started (before importing pyarrow, or forking)."""
    if _started:
        _started[0].join()
