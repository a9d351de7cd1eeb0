"""Writing files so that nothing is lost: the only way efl writes a file.

* **Atomic.** The text goes to a temporary file in the target's own folder (same file system), is
  flushed to disk, and only then takes the target's name. A reader sees the old file or the new
  one, never half of one.
* **Never over a file without --force, even in a race.** Without ``force`` the temporary file is
  hard-linked to the target name, which fails if the name exists (two runs writing one ``-o``: one
  wins, the other says "already exists"). Where the file system has no hard links, the target is
  created with ``O_EXCL`` instead.
* **Never through a link.** A target that is a symbolic link (dangling or not) is refused, with or
  without ``--force``: efl writes only files it makes, not wherever a link points.
* **Nothing left behind.** The temporary file is removed on every error and on SIGINT, SIGTERM and
  SIGHUP (handlers that raise :class:`Interrupted` are installed for the write and restored after).
* **Permissions follow the umask** like any other program's new file; with ``--force`` an existing
  file keeps its mode.
* **Clear failures.** A full disk, a read-only file system, a permission problem or a folder in the
  way is an :class:`OutputError` naming the file (exit code 2), never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from pathlib import Path
from typing import Iterator

from efl.errors import Diagnostic, InputError

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Interrupted(KeyboardInterrupt):
    """A signal that stops efl (SIGINT, SIGTERM, SIGHUP); the exit code is 128 + the signal number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class OutputError(InputError):
    """A file could not be written (exit code 2); the message names it and says why."""


def _refuse(path: Path, message: str) -> OutputError:
    return OutputError(Diagnostic(str(path), message=message))


def _reason(exc: OSError) -> str:
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "it is a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ENOENT: "its folder does not exist",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EEXIST: "it already exists",
        errno.EIO: "an input/output error on the disk",
        errno.ELOOP: "it is a symbolic link",
    }.get(exc.errno or 0, (exc.strerror or str(exc)).lower())


def cannot_write(path: Path, exc: OSError) -> OutputError:
    return _refuse(path, f"cannot write the file: {_reason(exc)} (expected a folder efl can write to, with "
                   "free space; nothing was written)")


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` (so cleanup code runs).

    Only the main thread can install handlers; elsewhere this does nothing. Handlers are restored
    on the way out, even when a signal arrives.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {}
    for signum in SIGNALS:
        current = signal.getsignal(signum)
        if current == signal.SIG_IGN:
            continue  # ignored on purpose (nohup, a parent's choice): leave it ignored
        saved[signum] = current
        signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold signals back during cleanup, so a second signal cannot interrupt the removal of a temp file."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _check_target(path: Path, force: bool) -> int | None:
    """Refuse what must not be written over; return the mode to keep (an existing file, with force)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(path, "is a symbolic link (expected a plain file name; efl does not write through links, "
                      "even with --force)")
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "is a folder (expected a file name)")
    if not stat.S_ISREG(info.st_mode):
        from efl.files.safe_files import describe_mode

        raise _refuse(path, describe_mode(info.st_mode)[1].replace("(expected a regular file)",
                                                                   "(expected a file name to write)"))
    if not force:
        raise _refuse(path, "the file already exists (expected a new file name, or --force to replace it)")
    return stat.S_IMODE(info.st_mode)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(path: Path, text: str | bytes, force: bool = False, private: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line endings; or bytes, for .docx and .xlsx) to ``path``: see the module's docstring.

    ``private`` (a secret key) makes the file readable by its owner alone, whatever the umask.

    Raises :class:`OutputError` (exit 2) for anything that stops the write, and
    :class:`Interrupted` (a ``KeyboardInterrupt``) for a signal; either way no temporary file is left
    and the target is untouched (or, with --force, still the complete old file).
    """
    path = Path(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if not path.name or path.name in (".", ".."):
        raise _refuse(path, "is not a file name (expected a file name such as report.html)")
    mode = _check_target(path, force)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise _refuse(path, f"{folder} is not a folder (expected an existing folder)")
        raise _refuse(path, f"the folder {folder} does not exist (expected an existing folder)")
    tmp = str(folder / f".{path.name[:200]}.{secrets.token_hex(6)}.tmp")
    created: list[str] = []  # what this call made and must remove if it does not finish
    with signals_raise():
        try:
            created.append(tmp)  # before the open: a signal may land just after it
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC,
                         0o600 if private else 0o666)
            try:
                if mode is not None and not private:
                    os.fchmod(fd, mode)
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            _commit(tmp, path, force, data, mode, created)
        except BaseException as exc:
            with _signals_held():
                for name in created:
                    _remove(name)
            if isinstance(exc, OSError):
                if exc.errno == errno.EEXIST and not force:
                    raise _refuse(path, "the file already exists (another run wrote it first; expected a new "
                                  "file name, or --force to replace it)") from None
                raise cannot_write(path, exc) from None
            raise
    _sync_folder(folder)


def _commit(tmp: str, path: Path, force: bool, data: bytes, mode: int | None, created: list[str]) -> None:
    if force:
        # Look again right before the rename: a link put there meanwhile is refused, not replaced.
        _check_target(path, True)
        os.replace(tmp, path)
        created.remove(tmp)
        return
    try:
        os.link(tmp, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        # No hard links here (FAT, some network shares): create the name exclusively and copy.
        created.append(str(path))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o666)
        except OSError:
            created.remove(str(path))  # not ours: another run's file, or nothing
            raise
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        created.remove(str(path))
        _remove(tmp)
        created.remove(tmp)
        return
    created.remove(tmp)
    _remove(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable too (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_folder(path: Path) -> None:
    """Create ``path`` (and its parents) for output, or raise :class:`OutputError` saying why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _refuse(path, "is not a folder (expected a folder for the reports)") from None
    except OSError as exc:
        raise _refuse(path, f"cannot create the folder: {_reason(exc)} (expected a folder efl can write to)") from None
    if not path.is_dir():
        raise _refuse(path, "is not a folder (expected a folder for the reports)")
