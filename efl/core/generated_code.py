"""Code Python compiles from text while efl starts, compiled once and kept between runs, as byte code is.

Parts of the standard library compile source text on every run, the same text every time, and
efl reads the same YAML files on every run:

* ``dataclasses`` writes each dataclass's ``__init__``, ``__repr__``, ``__eq__`` (and ``__hash__``,
  ``__setattr__``, ``__delattr__`` for a frozen one) and compiles each with its own ``exec``: for the
  120 dataclasses efl and pydantic define while ``efl assess`` starts, 537 compilations, a sixth of
  the start-up;
* ``typing.ForwardRef`` compiles each annotation written as a string (every annotation in a module
  with ``from __future__ import annotations``) when pydantic reads a model's fields: 825
  compilations of 232 distinct texts;
* ``collections.namedtuple`` compiles each named tuple's ``__new__`` with its own ``eval``: some 30
  while ``efl assess`` runs, 1.6 ms;
* ``re`` parses and compiles each regular expression in Python when it is first used in a run: some 60
  while ``efl assess`` starts (efl's own, the standard library's, pydantic's, click's), 5 ms; what
  that makes is plain data (the matcher's code, a list of numbers, and its groups), from which
  ``_sre.compile`` makes the pattern (:func:`pattern_parts`);
* the YAML files plugins ship (the framework, its statutory calendar, the seven Census
  classifications) are parsed on every run, the same text every time: 13 ms of a 50,000-employee
  ``efl assess``, under 1 ms to read back from a pickle (:func:`yaml_data`: only plain data is kept,
  keyed by the whole text and by what identifies the reader, and each call gets a fresh copy).

As the efl command, efl keeps the compiled code in a file beside its byte code
(``efl/core/__pycache__/generated_code.cpython-311.code-cache``), and those modules compile from it
instead. Nothing about a class, an annotation or a pattern changes: the cache is keyed by the mode
(a pattern's flags) and the whole text, and the code is what the library itself compiles from it
(file name ``<string>``, no ``__future__`` flags, as none of those modules has any). Text that is
not in the cache is compiled as before and added; text that does not compile raises the same error
(a pattern re warns about, the same warning), and is not kept. The file is
read once, written at exit only when something was added, never when Python is told not to write byte code
(``PYTHONDONTWRITEBYTECODE``, ``-B``); it is replaced whole (two efl processes may write at once),
and a file that is missing, unreadable, from another Python or damaged is ignored. Used as a
library (by a plugin, in tests) efl does none of this.
"""

# No ``from __future__ import annotations`` here: ``exec`` and ``compile`` take their caller's
# __future__ flags, and their caller is now this module, which must compile as dataclasses and typing do.
# dataclasses and typing are imported by install, once re's patterns and named tuples come from the cache
# (importing dataclasses makes some of each: inspect's, dis's, tokenize's).
import atexit
import collections
import datetime
import importlib.util
import marshal
import os
import re
import signal
import sys
import types

# The file's first item; code from another interpreter or optimisation level is not this one's.
HEADER = ("efl generated code 4", importlib.util.MAGIC_NUMBER, sys.flags.optimize, sys.version)
# Past this many pieces of text (old ones pile up as classes change), the file keeps only this run's.
MOST = 4096
# Past this many bytes of YAML data (old versions pile up as someone edits a framework file), the
# file keeps only the YAML data this run used.
MOST_YAML_BYTES = 4_000_000
# Past this many regular expressions (some are made from data, or from a set in hash order, and so are
# new in every run), the file keeps only this run's. A command uses about a hundred.
MOST_PATTERNS = 512


class CodeCache:
    """Compiled code by (mode, source text), read from and written to one file."""

    def __init__(self, path: str | None):
        self.path = path
        self.code: dict[tuple[str, str], types.CodeType] = {}
        self.used: set[tuple[str, str]] = set()
        self.added = 0

    def read(self) -> None:
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as handle:
                header, code = marshal.loads(handle.read())  # marshal.load(handle) reads in small pieces: 5x slower
        except (OSError, EOFError, ValueError, TypeError):
            return  # missing, unreadable or damaged: compile as Python would
        if header == HEADER and isinstance(code, dict) and all(
                type(k) is tuple and len(k) == 2 and type(k[0]) is str and type(k[1]) is str
                and (type(v) is types.CodeType if k[0] in ("exec", "eval") else
                     type(v) is tuple if k[0].startswith(REGEX_MODE) else
                     type(v) is bytes and k[0].startswith(YAML_MODE)) for k, v in code.items()):
            self.code = code

    def compiled(self, text: str, mode: str = "exec") -> types.CodeType:
        key = (mode, text)
        code = self.code.get(key)
        if code is None:
            # What dataclasses' exec(text) and typing's compile(text, "<string>", "eval") make: file
            # "<string>", no inherited flags (a SyntaxError goes to the caller, and nothing is kept).
            code = compile(text, "<string>", mode, dont_inherit=True)
            self.code[key] = code
            self.added += 1
        self.used.add(key)
        return code

    def yaml_data(self, text: str, load, kind: str = "data") -> object:  # noqa: ANN001
        """``load(text)``, or a copy of what it gave for this text before (see :func:`yaml_data`)."""
        reader = _yaml_mode()
        if reader is None:
            return load(text)
        import pickle  # here: only a command that reads such a file pays for importing it

        key = (f"{reader} {kind}", text)
        kept = self.code.get(key)
        if kept is not None:
            self.used.add(key)
            return pickle.loads(kept)
        data = load(text)
        if plain_data(data):  # never the reader's "parse it the slow way" marker, nor any other object
            self.code[key] = pickle.dumps(data, protocol=5)
            self.used.add(key)
            self.added += 1
        return data

    def pattern(self, text: str, flags: int) -> re.Pattern:
        """``re``'s compiled pattern for ``text`` and ``flags``, from what was kept for them before
        (:func:`pattern_parts`) when that makes one."""
        key = (f"{REGEX_MODE}{flags}", text)
        parts = self.code.get(key)
        if parts is not None:
            try:
                made = _sre_compile(text, *parts)
            except (TypeError, ValueError, RuntimeError):  # not what pattern_parts made: as re does
                made = None
            if type(made) is re.Pattern:
                self.used.add(key)
                return made
        parts = pattern_parts(text, flags)
        if parts is None:  # re warns about it or refuses it: re itself compiles it, and says so, every run
            return _res_own_compile()(text, flags)
        self.code[key] = parts
        self.used.add(key)
        self.added += 1
        return _sre_compile(text, *parts)

    def write(self) -> None:
        """Keep what was added (if anything, and if Python may write byte code here)."""
        if not self.added or self.path is None or sys.dont_write_bytecode:
            return
        keep = self.code if len(self.code) <= MOST else {t: c for t, c in self.code.items() if t in self.used}
        reader = _yaml_mode()
        if reader is not None:  # the data of another version of the YAML reader is never read again
            keep = {t: c for t, c in keep.items() if not t[0].startswith(YAML_MODE) or t[0].startswith(reader + " ")}
        if sum(len(c) for t, c in keep.items() if t[0].startswith(YAML_MODE)) > MOST_YAML_BYTES:
            keep = {t: c for t, c in keep.items() if not t[0].startswith(YAML_MODE) or t in self.used}
        if sum(1 for t in keep if t[0].startswith(REGEX_MODE)) > MOST_PATTERNS:
            keep = {t: c for t, c in keep.items() if not t[0].startswith(REGEX_MODE) or t in self.used}
        if write_whole(self.path, (HEADER, keep)):
            self.added = 0


# Regular expressions: the key's mode is this and the flags.
REGEX_MODE = "re "
_re_compile: list = []  # re._compiler.compile, once replaced


def _res_own_compile():  # noqa: ANN202
    from re import _compiler

    return _re_compile[0] if _re_compile else _compiler.compile


def _sre_compile(text: str, flags: int, code: bytes, groups: int, groupindex: dict, indexgroup: tuple) -> re.Pattern:
    import _sre
    from array import array

    words = array("I")
    words.frombytes(code)
    return _sre.compile(text, flags, words.tolist(), groups, groupindex, indexgroup)


def pattern_parts(text: str, flags: int) -> tuple | None:
    """What ``re._compiler.compile(text, flags)`` gives ``_sre.compile`` after the pattern itself (CPython
    3.11's, step by step): the flags, the code, the groups, their names both ways; None when parsing it
    warns or fails (what it says is for re itself to say)."""
    import warnings
    from array import array
    from re import _compiler, _parser

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = _parser.parse(text, flags)
            code = _compiler._code(parsed, flags)
        except re.error:
            return None
    if caught:
        return None
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # plain ints (re's opcodes are an int subclass, which marshal does not keep); the code as the bytes
    # of its 32-bit words (install checks they are SRE's), read back in one piece
    return (int(flags | parsed.state.flags), array("I", code).tobytes(), int(parsed.state.groups - 1),
            {str(name): int(index) for name, index in groupindex.items()}, tuple(indexgroup))


def write_whole(path: str, data: object) -> bool:
    """Write ``data`` (marshal) to ``path`` whole, through a temporary file; whether it was written.
    A read-only install or a full disk leaves nothing behind and is let go; Ctrl-C leaves nothing and
    is raised again."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump(data, handle)
        os.replace(temporary, path)  # whole: a reader sees the old file or the new one
        return True
    except BaseException as problem:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(problem, OSError):
            raise
        return False


# The YAML data's key: this, then what identifies the reader that made it (ruamel's version and efl's
# reader modules' size and time), so an edited or upgraded reader never gets an older one's data.
YAML_MODE = "yaml "
READER_MODULES = ("efl.files.yamlio", "efl.files.yaml_fast", "efl.files.yaml_lines")
_yaml_modes: list[str | None] = []


def _yaml_mode() -> str | None:
    if not _yaml_modes:
        _yaml_modes.append(_reader_identity())
    return _yaml_modes[0]


def _reader_identity() -> str | None:
    import importlib

    import ruamel.yaml

    parts = [str(getattr(ruamel.yaml, "__version__", None))]
    for name in READER_MODULES:
        try:
            stat = os.stat(importlib.import_module(name).__file__)
        except (AttributeError, TypeError, OSError):  # not loaded from a file: keep nothing
            return None
        parts += [str(stat.st_mtime_ns), str(stat.st_size)]
    return YAML_MODE + " ".join(parts)


# What YAML's safe types are, by exact type: anything else (a subclass, the reader's marker) is not kept.
_SCALARS = frozenset({str, int, float, bool, type(None), datetime.date})


def plain_data(data: object) -> bool:
    """Whether ``data`` holds only mappings, lists and YAML's plain scalars (pickle then gives back
    exactly the same: the same types, values and shared parts)."""
    seen: set[int] = set()
    todo = [data]
    while todo:
        value = todo.pop()
        kind = type(value)
        if kind in _SCALARS:
            continue
        if kind is datetime.datetime:
            if value.tzinfo is not None and type(value.tzinfo) is not datetime.timezone:
                return False
            continue
        if kind is dict or kind is list:
            if id(value) in seen:  # an alias: the same container again (pickle keeps it the same one)
                continue
            seen.add(id(value))
            if kind is dict:
                todo.extend(value.keys())
                todo.extend(value.values())
            else:
                todo.extend(value)
            continue
        return False
    return True


def yaml_data(text: str, load, kind: str = "data") -> object:  # noqa: ANN001
    """``load(text)``: what a YAML reader makes of a file a plugin ships (the one-pass reader's data in
    efl.files.quick_yaml, the header of every installed framework in efl.core.framework).

    ``load`` must depend on nothing but the text; ``kind`` names what it is (one word per kind of
    reading). As the efl command, what it gave for the same text and kind in an earlier run, read
    back from the cache (a fresh copy each call, so a caller may change it), when it gave plain data;
    used as a library, ``load(text)`` itself.
    """
    if not _installed:
        return load(text)
    return _installed[0].yaml_data(text, load, kind)


def cache_path() -> str | None:
    """Where the file goes: beside this module's byte code (honouring ``sys.pycache_prefix``)."""
    return beside_byte_code(__file__, ".code-cache")  # generated_code.cpython-311.code-cache


def beside_byte_code(source: str, suffix: str) -> str | None:
    """The path of the byte code of ``source`` with ``suffix`` for its ``.pyc``; None without byte code."""
    try:
        beside = importlib.util.cache_from_source(source)
    except (NotImplementedError, ValueError):  # no byte code on this interpreter
        return None
    return beside.rsplit(".", 1)[0] + suffix


_installed: list[CodeCache] = []


def install(cache: CodeCache | None = None) -> CodeCache | None:
    """Have ``dataclasses``, ``typing`` and ``collections`` use cached code for the text they compile,
    and ``re`` kept patterns; the cache, or None.

    Only where they call the ``exec``, ``compile`` and ``eval`` built-ins by name (CPython 3.11 to
    3.13) and nothing has replaced those there already; ``re`` on CPython 3.11 only.
    """
    if _installed:
        return _installed[0]
    if "eval" in vars(collections):
        return None
    if cache is None:
        cache = CodeCache(cache_path())
        cache.read()
    # re's own compile, step by step, is CPython 3.11's (see pattern_parts); another one's is left as it is
    import _sre
    from array import array
    from re import _compiler

    if sys.version_info[:2] == (3, 11) and array("I").itemsize == _sre.CODESIZE and not _re_compile:
        _re_compile.append(_compiler.compile)

        def compile_pattern(pattern, flags=0):  # noqa: ANN001, ANN202 - re._compiler.compile's signature
            if type(pattern) is str and type(flags) is int and not flags & re.DEBUG:
                return cache.pattern(pattern, flags)
            return _re_compile[0](pattern, flags)

        _compiler.compile = compile_pattern

    def exec_cached(source, globals=None, locals=None, /):  # noqa: A002, ANN001, ANN202 - exec's own signature
        if type(source) is str:
            source = cache.compiled(source)
        return exec(source, globals, locals)

    def compile_cached(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **more):  # noqa: ANN001, ANN202
        if type(source) is str and filename == "<string>" and mode == "eval" and not flags and not dont_inherit \
                and optimize == -1 and not more:
            return cache.compiled(source, "eval")
        return compile(source, filename, mode, flags, dont_inherit, optimize, **more)

    def eval_cached(source, globals=None, locals=None, /):  # noqa: A002, ANN001, ANN202 - eval's own signature
        if type(source) is str:
            # what eval compiles from text: the text less its leading spaces and tabs, caller's flags (none)
            source = cache.compiled(source.lstrip(" \t"), "eval")
        return eval(source, globals, locals)

    collections.eval = eval_cached
    import dataclasses
    import typing

    if "exec" in vars(dataclasses) or "compile" in vars(typing) or not hasattr(typing, "ForwardRef") or \
            not (hasattr(dataclasses, "_create_fn") or hasattr(dataclasses, "_FuncBuilder")):
        del collections.eval  # what was done above, undone: another hook is there already
        _compiler.compile = _re_compile.pop() if _re_compile else _compiler.compile
        return None
    dataclasses.exec = exec_cached
    typing.compile = compile_cached
    _installed.append(cache)
    return cache


def install_for_the_command() -> None:
    """As the efl command: install, and keep what was added when the process ends."""
    if install() is not None:
        atexit.register(save_at_exit)


def uninstall() -> None:
    """Put ``dataclasses``, ``typing``, ``collections`` and ``re`` back as they were (for tests)."""
    import dataclasses
    import typing

    if _installed:
        _installed.clear()
        del dataclasses.exec
        del typing.compile
        del collections.eval
    if _re_compile:
        from re import _compiler

        _compiler.compile = _re_compile.pop()


def save() -> None:
    """Write what the installed cache gained."""
    if _installed:
        _installed[0].write()


STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def save_at_exit() -> None:
    """At exit (an atexit handler, as the efl command): keep what this run added, start-up's and what
    the command imported later. The command has finished and its exit code is settled; the stopping
    signals are held back while the file is written, and whatever goes wrong, Ctrl-C included, is
    let go: a cache not kept costs the next run a few milliseconds, and must never cost a message."""
    with_stopping_signals_held(save)


def with_stopping_signals_held(work) -> None:  # noqa: ANN001
    """``work()`` at exit, with the stopping signals held back, and whatever goes wrong let go."""
    try:
        held = hasattr(signal, "pthread_sigmask")
        if held:
            before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        try:
            work()
        finally:
            if held:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)
    except BaseException:  # noqa: BLE001, S110 - see save_at_exit
        pass
