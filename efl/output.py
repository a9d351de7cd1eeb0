"""Writing files so that nothing is lost: atomically, and never over a user's file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Diagnostic, InputError


def write_atomic(path: Path, text: str | bytes, force: bool = False) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename.

    An interrupted write leaves the old file (or no file) in place, never a half-written one.
    """
    if path.exists() and not force:
        raise InputError(Diagnostic(str(path), message="the file already exists (expected a new file name, "
                                    "or --force to replace it)"))
    if path.is_dir():
        raise InputError(Diagnostic(str(path), message="is a folder (expected a file name)"))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(Diagnostic(str(path), message=f"the folder {folder} does not exist (expected an existing folder)"))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        binary = isinstance(text, bytes)  # .docx and .xlsx reports are bytes
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # KeyboardInterrupt included: the temporary file goes, the target is untouched.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
