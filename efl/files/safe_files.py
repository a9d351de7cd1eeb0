"""Reading files from an assessment folder without being tricked: the only way efl opens a folder file.

Why this shape: checking a path and then opening it by name is a race (swap ``evidence/`` for a link
to another folder in between and the "checked" read lands outside). So every read walks the path
one component at a time, each opened relative to the descriptor of the folder above it with
``O_NOFOLLOW``, and what was opened is checked with ``fstat``:

* Only regular files are read. A named pipe (which would block forever), a device, a socket or a
  folder is named as what it is. Pipes are opened with ``O_NONBLOCK``, so even a pipe swapped in at
  the last moment cannot hang the run.
* Symbolic links **inside** the folder are followed, but by this module, never by the kernel: the
  link's text is read and its components are walked the same way, with ``..`` handled on our own
  stack of opened folders. A link (or ``..``) that climbs above the folder, an absolute link that
  does not spell the folder's own path, and a loop (more than 40 links) are refused.
* Size is bounded (``EFL_MAX_FILE_MB``) and checked while reading, not only before; a file whose
  size or modification time changes while it is read is refused, so its hash matches what was read.
* Time is bounded too: reading stops with an error after :data:`READ_SECONDS` (a hung network share).

Files named on the command line (a saved result, a framework file) are read with
:func:`read_named_file`: links are followed there, because the person typed that path, but the
same regular-file, size and time checks apply.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import stat
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from efl.errors import InputError

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_LINKS = 40
READ_SECONDS = 120.0
_CHUNK = 1 << 20

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# O_PATH needs only search permission on a folder (not read permission), like the kernel's own walk.
_O_DIR = (getattr(os, "O_PATH", 0) or os.O_RDONLY) | _O_DIRECTORY | _O_CLOEXEC
_O_FILE = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC


class FileProblem(Exception):
    """Why a file could not be read, in words that follow its name ("is a named pipe ...").

    ``kind`` is a short word for tests and callers (``missing``, ``folder``, ``outside``, ...).
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def describe_mode(mode: int) -> tuple[str, str]:
    """(kind, words) for a file that is not a regular file."""
    expected = " (expected a regular file)"
    if stat.S_ISDIR(mode):
        return "folder", "is a folder" + expected
    if stat.S_ISFIFO(mode):
        return "fifo", "is a named pipe (FIFO), not a regular file" + expected
    if stat.S_ISCHR(mode):
        return "device", "is a character device, not a regular file" + expected
    if stat.S_ISBLK(mode):
        return "device", "is a block device, not a regular file" + expected
    if stat.S_ISSOCK(mode):
        return "socket", "is a socket, not a regular file" + expected
    if stat.S_ISLNK(mode):
        return "link", "is a symbolic link" + expected
    return "special", "is not a regular file" + expected


def _os_problem(exc: OSError, vanished: bool = False) -> FileProblem:
    code = exc.errno
    if code == errno.ENOENT:
        if vanished:
            return FileProblem("vanished", "disappeared while efl was reading it (expected it to stay in place; "
                               "try again)")
        return FileProblem("missing", "was not found")
    if code in (errno.EACCES, errno.EPERM):
        return FileProblem("denied", "cannot be read: permission denied (expected a file efl can read; "
                           "check its permissions and its folder's)")
    if code == errno.ELOOP:
        return FileProblem("loop", "is a loop of symbolic links (expected a link that ends at a file)")
    if code == errno.ENOTDIR:
        return FileProblem("not-folder", "has a part that is not a folder (expected folders before the file name)")
    if code == errno.ENAMETOOLONG:
        return FileProblem("too-long", "has a name that is too long")
    if code == errno.ENXIO:
        return FileProblem("socket", "is a socket, not a regular file (expected a regular file)")
    return FileProblem("io", f"cannot be read ({(exc.strerror or str(exc)).lower()})")


def max_file_bytes(default: int = DEFAULT_MAX_FILE_BYTES) -> int:
    """The size limit for one file: ``EFL_MAX_FILE_MB`` megabytes if set, else ``default``.

    A setting that is not a finite number above zero is a usage error (exit 2), never ignored.
    """
    value = os.environ.get("EFL_MAX_FILE_MB")
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"EFL_MAX_FILE_MB={value!r} is not a number (expected megabytes, e.g. 50)") from None
    if not math.isfinite(number) or number <= 0:
        raise InputError(f"EFL_MAX_FILE_MB={value!r} is not a usable limit (expected a number of megabytes "
                         "above 0, e.g. 50)")
    return max(1, int(number * 1024 * 1024))


def yaml_max_bytes(default: int) -> int:
    """The limit for YAML files (assessment.yaml, frameworks): ``default``, raised by ``EFL_MAX_FILE_MB``.

    The setting can raise this limit but not lower it below ``default``: a tiny evidence limit set
    for a test must not make ``assessment.yaml`` itself unreadable.
    """
    return max(default, max_file_bytes(default))


def too_big(size: int, limit: int) -> FileProblem:
    return FileProblem("too-big", f"the file is {size:,} bytes, over the limit of {limit:,} bytes "
                       "(expected a smaller file, or set EFL_MAX_FILE_MB to raise the limit)")


@dataclass(frozen=True)
class Fingerprint:
    """What a file was when efl read it: which file (device and inode), its size, its modification
    time and the sha256 of the bytes read. A file the council edits (the action plan) is replaced
    only if it still has the same fingerprint, so a colleague's save in the meantime is never lost."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> Fingerprint:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def same_file(self, info: os.stat_result) -> bool:
        return (info.st_dev, info.st_ino) == (self.device, self.inode)


def _read_fd(fd: int, limit: int, deadline: float, fingerprint: list | None = None,
             before: os.stat_result | None = None) -> bytes:
    """Read a regular file's descriptor to the end, refusing it past ``limit`` or past the deadline.

    ``fingerprint``, when given, receives the file's :class:`Fingerprint` (of what was read);
    ``before`` is the descriptor's ``fstat`` if the caller has just taken it (:meth:`SafeFolder.open`
    checks what it opened with one): nothing happens between the two, so it is not asked again.
    """
    before = os.fstat(fd) if before is None else before
    if not stat.S_ISREG(before.st_mode):
        raise FileProblem(*describe_mode(before.st_mode))
    if before.st_size > limit:
        raise too_big(before.st_size, limit)
    filled = _fresh_bytes(before.st_size) if before.st_size >= FILL_IN_PLACE_BYTES else None
    if filled is not None:
        data, view = filled
        with view:
            total = _read_into(fd, view, deadline)
        # A file that grew meanwhile is read on as below, only to be refused (too big, or changed).
        chunks, total = [data[:total]] if total < len(data) else [data], total
    else:
        chunks, total = [], 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_big(max(total, os.fstat(fd).st_size), limit)
        _check_deadline(deadline)
    after = os.fstat(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or total != before.st_size:
        raise FileProblem("changed", "changed while efl was reading it (expected it to stay the same while "
                          "efl runs; try again)")
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if fingerprint is not None:
        fingerprint.append(Fingerprint.of(after, data))
    return data


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise FileProblem("slow", f"took longer than {READ_SECONDS:g} seconds to read (expected a file "
                          "on a working disk or share)")


# Larger than one piece, a file is read straight into the bytes object that is returned (_fresh_bytes),
# not in pieces joined at the end: joining copies the whole file (80 MB at a million employees, about
# 80 ms) and holds it twice for a moment, in memory the process has not touched before (for a
# 50,000-employee file of 4 MB, some 2 ms of the run). A file of one piece is that piece, not copied.
FILL_IN_PLACE_BYTES = _CHUNK + 1


def _fresh_bytes(size: int) -> tuple[bytes, memoryview] | None:
    """A new bytes object of ``size`` bytes, not yet filled, and a writable view of its buffer; None if
    this Python cannot make one (the pieces are joined instead).

    This is how CPython's own readers build a bytes object of known size (``PyBytes_FromStringAndSize``
    with no source: "the contents are uninitialized"), filled before anything else can see it. The
    object is held here alone until :func:`_read_fd` returns it whole, or drops it on a problem.
    """
    try:
        import ctypes

        new = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_ssize_t)(
            ("PyBytes_FromStringAndSize", ctypes.pythonapi))
        address = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object)(("PyBytes_AsString", ctypes.pythonapi))
    except (ImportError, AttributeError, OSError):
        return None
    data = new(None, size)
    if not isinstance(data, bytes) or len(data) != size:
        return None
    return data, memoryview((ctypes.c_char * size).from_address(address(data))).cast("B")


def _read_into(fd: int, view: memoryview, deadline: float) -> int:
    """Fill ``view`` from ``fd`` a piece at a time (the deadline checked after each); the bytes read,
    fewer than the view holds if the file ended sooner."""
    total, size = 0, len(view)
    while total < size:
        got = os.readv(fd, [view[total:min(size, total + _CHUNK)]])
        if not got:
            break
        total += got
        _check_deadline(deadline)
    return total


def _split(relative: str) -> list[str]:
    return [p for p in relative.replace("\\", "/").split("/") if p not in ("", ".")]


class SafeFolder:
    """An open folder: files are read relative to its descriptor (see the module's docstring).

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        try:
            self.fd = os.open(self.folder, _O_DIR)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise FileProblem("not-folder", "is not a folder") from None
            raise _os_problem(exc) from None
        self._prefix_set: set[tuple[str, ...]] | None = None

    def __enter__(self) -> SafeFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    @property
    def _prefixes(self) -> set[tuple[str, ...]]:
        """The folder's path as given and as resolved: an absolute link counts as inside when it spells one.

        Worked out at the first absolute link, not on opening: resolving the folder's whole path costs
        more than reading a small evidence file, and almost no folder has such a link. Resolving it
        later changes nothing that matters for safety: the parts after the prefix are still walked
        from this folder's own descriptor, so whatever the name now leads to, no read leaves it.
        """
        if self._prefix_set is None:
            self._prefix_set = {tuple(_split(os.path.abspath(self.folder))),
                                tuple(_split(os.path.realpath(self.folder)))}
        return self._prefix_set

    def _inside(self, target: str) -> list[str] | None:
        parts = _split(target)
        for prefix in sorted(self._prefixes, key=len, reverse=True):
            if tuple(parts[:len(prefix)]) == prefix:
                return parts[len(prefix):]
        return None

    def open(self, relative: str) -> int:
        """Open ``relative`` (inside this folder) for reading; return the descriptor of a regular file."""
        return self._open(relative)[0]

    def _open(self, relative: str) -> tuple[int, os.stat_result]:
        """:meth:`open`, with the ``fstat`` of the descriptor it checked the file with."""
        if "\x00" in relative:
            raise FileProblem("nul", "contains a NUL character (expected a plain file name)")
        parts = deque(_split(relative))
        stack: list[int] = []  # descriptors of the folders walked into, below the root
        links = retries = 0
        try:
            while parts:
                current = stack[-1] if stack else self.fd
                name = parts.popleft()
                if name == "..":
                    if not stack:
                        raise FileProblem("outside", "leads outside the assessment folder")
                    os.close(stack.pop())
                    continue
                try:
                    info = os.stat(name, dir_fd=current, follow_symlinks=False)
                except OSError as exc:
                    raise _os_problem(exc) from None
                if stat.S_ISLNK(info.st_mode):
                    links += 1
                    if links > MAX_LINKS:
                        raise FileProblem("loop", "is a loop of symbolic links (expected a link that ends "
                                          "at a file)")
                    try:
                        target = os.readlink(name, dir_fd=current)
                    except OSError as exc:
                        raise _os_problem(exc, vanished=True) from None
                    if target.startswith("/"):
                        inner = self._inside(target)
                        if inner is None:
                            raise FileProblem("outside", "leads outside the assessment folder (a link to "
                                              f"{target})")
                        for fd in stack:
                            os.close(fd)
                        stack.clear()
                        parts.extendleft(reversed(inner))
                    else:
                        parts.extendleft(reversed(_split(target)))
                    continue
                if parts:  # a folder on the way
                    if not stat.S_ISDIR(info.st_mode):
                        raise FileProblem("not-folder", f"has a part that is not a folder ('{name}' "
                                          f"{describe_mode(info.st_mode)[1]})")
                    try:
                        fd = os.open(name, _O_DIR | _O_NOFOLLOW, dir_fd=current)
                    except OSError as exc:
                        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT) and retries < 3:
                            retries += 1  # swapped for a link (or removed) since the stat: look again
                            parts.appendleft(name)
                            continue
                        raise _os_problem(exc, vanished=True) from None
                    opened = os.fstat(fd)
                    stack.append(fd)
                    if not stat.S_ISDIR(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                        os.close(stack.pop())
                        if retries >= 3:
                            raise FileProblem("changed", "changed while efl was reading it (expected it to stay "
                                              "the same while efl runs; try again)")
                        retries += 1
                        parts.appendleft(name)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    raise FileProblem(*describe_mode(info.st_mode))
                try:
                    fd = os.open(name, _O_FILE, dir_fd=current)
                except OSError as exc:
                    if exc.errno == errno.ELOOP and retries < 3:
                        retries += 1  # it became a link since the stat: walk it as one
                        parts.appendleft(name)
                        continue
                    raise _os_problem(exc, vanished=True) from None
                opened = os.fstat(fd)
                if not stat.S_ISREG(opened.st_mode):
                    os.close(fd)
                    raise FileProblem(*describe_mode(opened.st_mode))
                return fd, opened
            raise FileProblem("folder", "is a folder (expected a regular file)")
        finally:
            for fd in stack:
                os.close(fd)

    def read(self, relative: str, limit: int) -> bytes:
        """The bytes of ``relative``, read safely; raises :class:`FileProblem`."""
        return self._read(relative, limit, None)  # no fingerprint: hashing 80 MB only to drop it costs 0.1 s

    def read_fingerprinted(self, relative: str, limit: int) -> tuple[bytes, Fingerprint]:
        """The bytes of ``relative`` and the :class:`Fingerprint` of the file they were read from."""
        found: list[Fingerprint] = []
        return self._read(relative, limit, found), found[0]

    def _read(self, relative: str, limit: int, found: list[Fingerprint] | None) -> bytes:
        fd, opened = self._open(relative)
        try:
            return _read_fd(fd, limit, time.monotonic() + READ_SECONDS, found, opened)
        except OSError as exc:
            raise _os_problem(exc) from None
        finally:
            os.close(fd)

    def kind_of(self, relative: str) -> str | None:
        """``None`` if ``relative`` can be read as a regular file, else the problem's kind."""
        try:
            os.close(self.open(relative))
        except FileProblem as problem:
            return problem.kind
        return None


def read_inside(folder: Path, relative: str, limit: int) -> bytes:
    """Read one file inside ``folder`` (see :class:`SafeFolder`)."""
    with SafeFolder(folder) as opened:
        return opened.read(relative, limit)


def read_named_file(path: Path, limit: int) -> bytes:
    """Read a file the person named (links followed): regular files only, bounded size and time."""
    if "\x00" in str(path):
        raise FileProblem("nul", "contains a NUL character (expected a plain file name)")
    try:
        # Look before opening: opening a device can have effects of its own.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(*describe_mode(info.st_mode))
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC)
    except OSError as exc:
        raise _os_problem(exc) from None
    try:
        return _read_fd(fd, limit, time.monotonic() + READ_SECONDS)
    except OSError as exc:
        raise _os_problem(exc) from None
    finally:
        os.close(fd)


def as_diagnostic(shown: str, problem: FileProblem, line: int = 0, col: int = 0):  # noqa: ANN201
    """``shown: the file is a named pipe ...``: a problem as a diagnostic naming the file."""
    from efl.errors import Diagnostic

    text = problem.message if problem.message.startswith("the file") else f"the file {problem.message}"
    return Diagnostic(shown, line, col, text)
