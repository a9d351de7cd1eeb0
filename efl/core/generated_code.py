"""The methods ``dataclasses`` writes, compiled once and kept between runs, as Python keeps byte code.

Python 3.11 builds each dataclass's ``__init__``, ``__repr__``, ``__eq__`` (and ``__hash__``,
``__setattr__`` and ``__delattr__`` for a frozen one) by writing their source and compiling each with
its own ``exec``: for the 120 dataclasses efl and pydantic define while ``efl assess`` starts, 537
compilations, a sixth of the start-up. The source is the same every run, so, as the efl command,
efl keeps the compiled code in a file beside its byte code (``efl/core/__pycache__``) and
``dataclasses`` executes that instead of compiling again.

Nothing about a class changes: the cache is keyed by the whole source text, and the code is what
``exec`` itself would compile from it (the same file name, ``<string>``, and no ``__future__`` flags,
as ``dataclasses`` has none). Text that is not in the cache is compiled as before and added. The
file is read once, written only when something was added, never when Python is told not to write
byte code (``PYTHONDONTWRITEBYTECODE``, ``-B``); it is replaced whole (two efl processes may write at
once), and a file that is missing, unreadable, from another Python or damaged is ignored. Used as a
library (by a plugin, in tests) efl does none of this.
"""

# No ``from __future__ import annotations`` here: ``exec`` takes its caller's __future__ flags when it
# compiles, and its caller is now exec_cached, which must compile exactly as dataclasses would.
import dataclasses
import importlib.util
import marshal
import os
import sys
import types

# The file's first item; code from another interpreter or optimisation level is not this one's.
HEADER = ("efl generated code 1", importlib.util.MAGIC_NUMBER, sys.flags.optimize)
# Past this many pieces of text (old ones pile up as classes change), the file keeps only this run's.
MOST = 4096


class CodeCache:
    """Compiled code by source text, read from and written to one file."""

    def __init__(self, path: str | None):
        self.path = path
        self.code: dict[str, types.CodeType] = {}
        self.used: set[str] = set()
        self.added = 0

    def read(self) -> None:
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as handle:
                header, code = marshal.loads(handle.read())  # marshal.load(handle) reads in small pieces: 5x slower
        except (OSError, EOFError, ValueError, TypeError):
            return  # missing, unreadable or damaged: compile as Python would
        if header == HEADER and isinstance(code, dict) and \
                all(type(k) is str and type(v) is types.CodeType for k, v in code.items()):
            self.code = code

    def compiled(self, text: str) -> types.CodeType:
        code = self.code.get(text)
        if code is None:
            # What exec(text, ...) compiles inside dataclasses: file "<string>", no inherited flags.
            code = self.code[text] = compile(text, "<string>", "exec", dont_inherit=True)
            self.added += 1
        self.used.add(text)
        return code

    def write(self) -> None:
        """Keep what was added (if anything, and if Python may write byte code here)."""
        if not self.added or self.path is None or sys.dont_write_bytecode:
            return
        keep = self.code if len(self.code) <= MOST else {t: c for t, c in self.code.items() if t in self.used}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as handle:
                marshal.dump((HEADER, keep), handle)
            os.replace(temporary, self.path)  # whole: a reader sees the old file or the new one
            self.added = 0
        except BaseException as problem:  # a read-only install, a full disk, or Ctrl-C: leave nothing
            try:
                os.unlink(temporary)
            except OSError:
                pass
            if not isinstance(problem, OSError):
                raise


def cache_path() -> str | None:
    """Where the file goes: beside this module's byte code (honouring ``sys.pycache_prefix``)."""
    try:
        beside = importlib.util.cache_from_source(__file__)
    except (NotImplementedError, ValueError):  # no byte code on this interpreter
        return None
    return beside.rsplit(".", 1)[0] + ".dataclass-code"  # generated_code.cpython-311.dataclass-code


_installed: list[CodeCache] = []


def install(cache: CodeCache | None = None) -> CodeCache | None:
    """Have ``dataclasses`` execute cached code for the text it compiles; the cache, or None if not done.

    Only where ``dataclasses`` calls the ``exec`` built-in by name (CPython 3.11 to 3.13) and nothing
    has replaced it there already.
    """
    if _installed:
        return _installed[0]
    if "exec" in vars(dataclasses) or not (hasattr(dataclasses, "_create_fn") or hasattr(dataclasses, "_FuncBuilder")):
        return None
    if cache is None:
        cache = CodeCache(cache_path())
        cache.read()

    def exec_cached(source, globals=None, locals=None, /):  # noqa: A002, ANN001, ANN202 - exec's own signature
        if type(source) is str:
            source = cache.compiled(source)
        return exec(source, globals, locals)

    dataclasses.exec = exec_cached
    _installed.append(cache)
    return cache


def uninstall() -> None:
    """Put ``dataclasses`` back as it was (for tests)."""
    if _installed:
        _installed.clear()
        del dataclasses.exec


def save() -> None:
    """Write what the installed cache gained (at the end of start-up)."""
    if _installed:
        _installed[0].write()
