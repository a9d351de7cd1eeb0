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
* **No lost update.** A file efl read and now replaces (the council's action plan, with ``--force``)
  is given with the :class:`~efl.files.safe_files.Fingerprint` it had when read. It is checked
  before the temporary file is written, and again at the moment of replacing: the two names are
  swapped atomically (``renameat2(RENAME_EXCHANGE)`` on Linux) and what was swapped out is compared
  with the fingerprint; if a colleague saved the file meanwhile it is swapped back and efl refuses,
  naming the file, so their save is kept.
* **Clear failures.** A full disk, a read-only file system, a permission problem or a folder in the
  way is an :class:`OutputError` naming the file (exit code 2), never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import signal
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from efl.errors import Diagnostic, InputError

if TYPE_CHECKING:
    from efl.files.safe_files import Fingerprint

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
    from efl.startup import note_signal

    note_signal(signum)  # so an error a library makes of the interrupt is still known for what it is
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
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back while inside (they are delivered on the way out), so a
    signal cannot interrupt a clean-up, or land between two steps that must go together."""
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


def write_atomic(path: Path, text: str | bytes, force: bool = False, private: bool = False,
                 unchanged: Fingerprint | None = None) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line endings; or bytes, for .docx and .xlsx) to ``path``: see the module's docstring.

    ``private`` (a secret key) makes the file readable by its owner alone, whatever the umask.
    ``unchanged``: ``path`` is a file efl read (with ``force``, to replace it); it is replaced only if
    it still matches this fingerprint, else :func:`changed_since_read` is raised and it is kept.

    Raises :class:`OutputError` (exit 2) for anything that stops the write, and
    :class:`Interrupted` (a ``KeyboardInterrupt``) for a signal; either way no temporary file is left
    and the target is untouched (or, with --force, still the complete old file).
    """
    path = Path(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if not path.name or path.name in (".", ".."):
        raise _refuse(path, "is not a file name (expected a file name such as report.html)")
    mode = _check_target(path, force)
    if unchanged is not None and not matches(str(path), unchanged):
        raise changed_since_read(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise _refuse(path, f"{folder} is not a folder (expected an existing folder)")
        raise _refuse(path, f"the folder {folder} does not exist (expected an existing folder)")
    tmp = str(folder / _temporary_name(path))
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
            if unchanged is not None:
                _swap_in(tmp, path, unchanged, created)
            else:
                _commit(tmp, path, force, data, mode, created)
        except BaseException as exc:
            with signals_held():
                for name in created:
                    _remove(name)
            if isinstance(exc, OSError):
                if exc.errno == errno.EEXIST and not force:
                    raise _refuse(path, "the file already exists (another run wrote it first; expected a new "
                                  "file name, or --force to replace it)") from None
                raise cannot_write(path, exc) from None
            raise
    _sync_folder(folder)


def _temporary_name(path: Path) -> str:
    return f".{path.name[:200]}.{secrets.token_hex(6)}.tmp"


def remove_temporaries(path: Path) -> int:
    """Remove the temporary files a write of ``path`` left behind (a writer killed by SIGKILL cannot
    clean up after itself; its supervisor does). Returns how many were removed."""
    import re

    pattern = re.compile(re.escape(f".{path.name[:200]}.") + r"[0-9a-f]{12}\.tmp")
    removed = 0
    try:
        names = os.listdir(path.parent if str(path.parent) else ".")
    except OSError:
        return 0
    for name in names:
        if pattern.fullmatch(name):
            _remove(str(path.parent / name))
            removed += 1
    return removed


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


def changed_since_read(path: Path) -> OutputError:
    return _refuse(path, "the file changed since efl read it (someone saved it meanwhile); nothing was written, "
                   "so their changes are kept (expected the file as efl read it; run the command again to "
                   "work from the new version)")


def matches(name: str, fingerprint: Fingerprint) -> bool:
    """Whether the file at ``name`` (not followed if a link) is still the one ``fingerprint`` describes."""
    try:
        fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not fingerprint.same_file(info) \
                or (info.st_size, info.st_mtime_ns) != (fingerprint.size, fingerprint.mtime_ns):
            return False
        digest = hashlib.sha256()
        left = fingerprint.size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        return digest.hexdigest() == fingerprint.sha256
    except OSError:
        return False
    finally:
        os.close(fd)


def _swap_in(tmp: str, path: Path, fingerprint: Fingerprint, created: list[str]) -> None:
    """Replace ``path`` by ``tmp`` only if ``path`` is still the file ``fingerprint`` describes.

    With an atomic exchange, what the exchange took out of ``path`` is checked afterwards, so even a
    save in the last moment is found and put back. Without one (another system, some network file
    systems), the file is checked once more right before an ordinary rename.
    """
    _check_target(path, True)
    # No signal may land between the swap and its check: the caller would remove ``tmp``, which for
    # that moment names the council's file.
    with signals_held():
        if not _exchange(tmp, str(path)):
            if not matches(str(path), fingerprint):
                raise changed_since_read(path)
            os.replace(tmp, path)
            created.remove(tmp)
            return
        created.remove(tmp)  # ``tmp`` now names the file that was at ``path``, and ``path`` the new text
        if matches(tmp, fingerprint):
            _remove(tmp)
            return
        try:
            _exchange(tmp, str(path))  # put their file back
        except OSError:
            raise _refuse(path, f"the file changed since efl read it (someone saved it meanwhile) and could not be "
                          f"put back: their version is kept as {tmp} (expected to rename it back)") from None
        created.append(tmp)  # our text again, removed by the caller
        raise changed_since_read(path)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Swap two names in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the
    system or file system cannot, so the caller falls back to an ordinary rename."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, ImportError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), b)


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
