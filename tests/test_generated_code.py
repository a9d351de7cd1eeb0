"""The code cache for dataclasses' generated methods, typing's string annotations and re's patterns (efl.core.generated_code).

A class made with the cache, whether its code was compiled now or read back from the file, must be
the class ``dataclasses`` makes without it: the same code in every generated method (code objects
compare their byte code, constants, names, flags and line table), the same annotations, defaults
and behaviour; a forward reference the same code and the same error for text that is no
expression; a pydantic model the same fields and schema. The file must be ignored when it is damaged or from another Python, never written
when Python may not write byte code, and never left half-written. As the efl command the cache is
used and the output is the same with it, cold and warm, as without it.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import marshal
import os
import re
import subprocess
import sys
from dataclasses import KW_ONLY, InitVar, dataclass, field
from pathlib import Path
import typing
from typing import Any, ClassVar

import pytest

from efl.core import generated_code

ROOT = Path(__file__).resolve().parent.parent


def _declare() -> dict[str, type]:
    """A fresh set of awkward dataclasses (every option that changes the generated text)."""

    @dataclass
    class Empty:
        pass

    @dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: "int" = 0          # a string annotation (this module has __future__ annotations anyway)
        tags: tuple = ()

    @dataclass(eq=False, repr=False)
    class Bare:
        a: list = field(default_factory=list)
        b: int = field(default=3, init=False)

    @dataclass(slots=True)
    class Slotted:
        object: str           # a field named like a builtin the generated code uses
        self_: int = 1

    @dataclass(unsafe_hash=True, kw_only=True)
    class Keywords:
        a: int
        b: str = "b"

    @dataclass
    class Mixed:
        a: int
        _: KW_ONLY
        b: int = 2
        start: InitVar[int] = 0
        total: ClassVar[int] = 0
        seen: list = field(default_factory=list, repr=False, compare=False)

        def __post_init__(self, start: int) -> None:
            self.seen.append(start)

    @dataclass(frozen=True)
    class Child(Point):
        z: int = 9

    return {c.__name__: c for c in (Empty, Point, Bare, Slotted, Keywords, Mixed, Child)}


METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__setattr__",
           "__delattr__")


def _functions(cls: type) -> dict[str, Any]:
    out = {}
    for name in METHODS:
        fn = cls.__dict__.get(name)
        fn = getattr(fn, "__wrapped__", fn)  # __repr__ is wrapped against recursion
        if callable(fn) and hasattr(fn, "__code__"):
            out[name] = fn
    return out


def _same(plain: type, other: type) -> None:
    a, b = _functions(plain), _functions(other)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].__code__ == b[name].__code__, name
        assert a[name].__code__.co_flags == b[name].__code__.co_flags, name  # no __future__ flag crept in
        assert a[name].__code__.co_filename == b[name].__code__.co_filename == "<string>"
        assert a[name].__qualname__ == b[name].__qualname__
        assert repr(a[name].__annotations__) == repr(b[name].__annotations__).replace(
            f"{other.__qualname__}", f"{plain.__qualname__}")
        assert repr(a[name].__defaults__) == repr(b[name].__defaults__)
        assert repr(a[name].__kwdefaults__) == repr(b[name].__kwdefaults__)
    assert [f.name for f in dataclasses.fields(plain)] == [f.name for f in dataclasses.fields(other)]
    assert getattr(plain, "__match_args__", None) == getattr(other, "__match_args__", None)
    assert getattr(plain, "__slots__", None) == getattr(other, "__slots__", None)


def _behaviour(classes: dict[str, type]) -> list[str]:
    """What each class does, in words: repr, equality, order, hashing, frozen errors, defaults."""
    c = classes
    seen = [repr(c["Empty"]()), repr(c["Point"](1)), repr(c["Point"](1, 2) < c["Point"](1, 3)),
            repr(hash(c["Point"](1)) == hash(c["Point"](1))), repr(c["Child"](1, z=3)),
            repr(c["Bare"]().b), repr(c["Bare"]() == c["Bare"]()), repr(c["Slotted"]("o")),
            repr(c["Keywords"](a=1)), repr(hash(c["Keywords"](a=1)) == hash(c["Keywords"](a=1))),
            repr(c["Mixed"](1, start=5)), repr(c["Mixed"](1, start=5).seen), repr(c["Mixed"](1) == c["Mixed"](1, start=4))]
    for attempt in (lambda: setattr(c["Point"](1), "x", 2), lambda: delattr(c["Child"](1), "z"),
                    lambda: c["Keywords"](1), lambda: c["Point"]()):
        try:
            attempt()
        except Exception as error:  # noqa: BLE001 - the message is what is compared
            seen.append(f"{type(error).__name__}: {str(error).replace('_declare.<locals>.', '')}")
    return seen


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as an installed efl runs (tests are often run with -B)
    made = generated_code.CodeCache(str(tmp_path / "__pycache__" / "generated_code.cpython-311.code-cache"))
    yield made
    generated_code.uninstall()


def test_classes_made_through_the_cache_are_the_classes_dataclasses_makes(cache: generated_code.CodeCache) -> None:
    plain = _declare()
    assert generated_code.install(cache) is cache
    cold = _declare()                 # compiled now, through the cache
    assert cache.added > 20
    generated_code.uninstall()
    cache.write()
    again = generated_code.CodeCache(cache.path)
    again.read()
    assert again.code.keys() == cache.code.keys()
    generated_code.install(again)
    warm = _declare()                 # every piece of code read back from the file
    assert again.added == 0 and again.used == set(again.code)
    for name in plain:
        _same(plain[name], cold[name])
        _same(plain[name], warm[name])
    assert _behaviour(plain) == _behaviour(cold) == _behaviour(warm)


def test_the_file_is_replaced_whole_and_holds_only_what_this_python_compiled(cache: generated_code.CodeCache) -> None:
    generated_code.install(cache)
    _declare()
    cache.write()
    header, code = marshal.loads(Path(cache.path).read_bytes())
    assert header == generated_code.HEADER
    assert {mode for mode, _ in code} == {"exec"}
    assert all(text.startswith("def __create_fn__(") for _, text in code)
    assert os.listdir(os.path.dirname(cache.path)) == [os.path.basename(cache.path)]  # no temporary file left
    before = Path(cache.path).read_bytes()
    cache.write()  # nothing added since: not written again
    assert Path(cache.path).read_bytes() == before


WRONG = {("exec", "x = 1"): compile("x = 2", "<string>", "exec")}  # code not what its text says: never to be used


@pytest.mark.parametrize("content", [
    b"",                                                                 # empty
    b"\x00garbage",                                                      # not marshal data
    marshal.dumps((("efl generated code 1", b"\x00\x00\r\n", 0), WRONG)),  # another Python's
    marshal.dumps((("efl generated code 1", generated_code.HEADER[1], 2), WRONG)),  # python -OO's
    marshal.dumps((generated_code.HEADER, ["not", "a", "dict"])),
    marshal.dumps((generated_code.HEADER, {("exec", "x = 1"): "not code"})),
    marshal.dumps((generated_code.HEADER, {"x = 1": WRONG[("exec", "x = 1")]})),  # the first version's keys
    marshal.dumps((generated_code.HEADER, {("single", "x = 1"): WRONG[("exec", "x = 1")]})),
    marshal.dumps(WRONG),                                                # no header
], ids=["empty", "garbage", "other-python", "other-optimisation", "not-a-dict", "not-code", "text-key", "other-mode",
        "no-header"])
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "code"
    path.write_bytes(content)
    cache = generated_code.CodeCache(str(path))
    cache.read()
    assert cache.code == {}
    code = cache.compiled("x = 1")  # and compiling still works
    assert cache.code == {("exec", "x = 1"): code} and code == compile("x = 1", "<string>", "exec", dont_inherit=True)


def test_a_truncated_file_is_ignored(tmp_path: Path, cache: generated_code.CodeCache) -> None:
    generated_code.install(cache)
    _declare()
    cache.write()
    whole = Path(cache.path).read_bytes()
    Path(cache.path).write_bytes(whole[: len(whole) // 2])
    again = generated_code.CodeCache(cache.path)
    again.read()
    assert again.code == {}


def test_nothing_is_written_when_python_may_not_write_byte_code(cache: generated_code.CodeCache,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache.compiled("x = 1")
    cache.write()
    assert not os.path.exists(os.path.dirname(cache.path))


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    cache = generated_code.CodeCache(str(blocked / "__pycache__" / "code"))  # a folder inside a file
    cache.compiled("x = 1")
    cache.write()
    assert cache.added == 1 and list(tmp_path.iterdir()) == [blocked]


def test_as_a_library_dataclasses_is_left_alone() -> None:
    assert "exec" not in vars(dataclasses)
    done = subprocess.run([sys.executable, "-c", "import dataclasses, efl.cli, efl.core.plugin_host as h; "
                           "h.load_plugins(); print('exec' in vars(dataclasses))"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_command_says_the_same_without_the_cache_cold_and_warm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")  # byte code and the cache go here, not into the tree
    script = Path(sys.executable).parent / "efl"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "efl"]
    argv = [*command, "assess", "assessments/bexley", "--format", "json"]

    def run(**extra: str) -> str:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env={**env, **extra}, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    without = run(PYTHONDONTWRITEBYTECODE="1")
    assert not list((tmp_path / "pycache").rglob("*.code-cache"))
    cold = run()
    files = list((tmp_path / "pycache").rglob("generated_code.*.code-cache"))
    assert len(files) == 1
    header, code = marshal.loads(files[0].read_bytes())
    assert header[1] != b"" and len(code) > 100  # efl's, pydantic's and the plugins' dataclasses
    # kept at exit, so also what the command made after start-up (efl.reports.sections.ReportTable)
    assert any("_type_caption" in text for _, text in code)
    written = files[0].stat().st_mtime_ns
    warm = run()
    assert files[0].stat().st_mtime_ns == written  # nothing new to keep: not written again
    assert json.loads(without) == json.loads(cold) == json.loads(warm)
    assert without == cold == warm


ANNOTATIONS = ["int", "str | None", "dict[str, Any]", "list[Point]", "Literal['a', 'b']", "*Ts", "*tuple[int, str]",
               "'quoted'", "Annotated[int, Field(gt=0)]", "Callable[[int], str]"]


def _references(texts: list[str]) -> list[typing.ForwardRef]:
    return [typing.ForwardRef(text) for text in texts]


def test_forward_references_made_through_the_cache_are_typings_own(cache: generated_code.CodeCache) -> None:
    plain = _references(ANNOTATIONS)
    generated_code.install(cache)
    cold = _references(ANNOTATIONS)
    assert cache.added == len(ANNOTATIONS) and {mode for mode, _ in cache.code} == {"eval"}
    generated_code.uninstall()
    cache.write()
    again = generated_code.CodeCache(cache.path)
    again.read()
    generated_code.install(again)
    warm = _references(ANNOTATIONS)
    assert again.added == 0
    for a, b, c in zip(plain, cold, warm):
        assert a == b == c
        assert a.__forward_code__ == b.__forward_code__ == c.__forward_code__
        assert a.__forward_code__.co_flags == c.__forward_code__.co_flags  # no __future__ flag crept in
    names = {"int": int, "str": str, "dict": dict, "Any": Any, "list": list, "Point": complex}
    assert [eval(r.__forward_code__, names) for r in plain[:4]] == [eval(r.__forward_code__, names) for r in warm[:4]]


@pytest.mark.parametrize("text", ["1 +", "def f(): pass", "x = 1"])
def test_an_annotation_that_is_no_expression_fails_as_before_and_is_not_kept(cache: generated_code.CodeCache,
                                                                              text: str) -> None:
    with pytest.raises(SyntaxError) as plain:
        typing.ForwardRef(text)
    generated_code.install(cache)
    with pytest.raises(SyntaxError) as cached:
        typing.ForwardRef(text)
    assert str(cached.value) == str(plain.value) == f"Forward reference must be an expression -- got {text!r}"
    assert type(cached.value.__context__) is type(plain.value.__context__)
    assert str(cached.value.__context__) == str(plain.value.__context__)
    assert cache.code == {} and cache.added == 0


def test_other_compiling_in_typing_passes_through(cache: generated_code.CodeCache) -> None:
    generated_code.install(cache)
    code = typing.compile("x = 1", "elsewhere.py", "exec")
    assert code.co_filename == "elsewhere.py" and cache.code == {}
    flagged = typing.compile("x: y", "<string>", "exec", __import__("__future__").annotations.compiler_flag)
    assert flagged.co_flags & __import__("__future__").annotations.compiler_flag and cache.code == {}


def _model():  # noqa: ANN202
    import pydantic

    class Entry(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
        name: str
        count: "int | None" = None
        tags: list[str] = pydantic.Field(default_factory=list, max_length=3)
        kind: "typing.Literal['a', 'b']" = "a"

    return Entry


def test_a_pydantic_model_made_through_the_cache_is_the_same(cache: generated_code.CodeCache) -> None:
    plain = _model()
    generated_code.install(cache)
    cached = _model()
    assert cache.used  # its string annotations went through the cache
    assert plain.model_json_schema() == cached.model_json_schema()
    assert repr(plain.model_fields) == repr(cached.model_fields)
    for model in (plain, cached):
        assert model(name="x", count="3").model_dump() == {"name": "x", "count": 3, "tags": [], "kind": "a"}
    errors = []
    for model in (plain, cached):
        with pytest.raises(Exception) as failed:
            model(name="x", tags=["1", "2", "3", "4"], extra=1)
        errors.append(str(failed.value).replace(model.__qualname__, "Entry"))
    assert errors[0] == errors[1]


def test_keeping_the_cache_at_exit_never_fails_and_puts_the_signal_mask_back(
        cache: generated_code.CodeCache, monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    generated_code.install(cache)
    cache.compiled("x = 1")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    seen = []

    def write_with_the_signals_held() -> None:
        seen.append(signal.pthread_sigmask(signal.SIG_BLOCK, []))
        raise KeyboardInterrupt  # as if Ctrl-C arrived anyway

    monkeypatch.setattr(cache, "write", write_with_the_signals_held)
    generated_code.save_at_exit()  # no exception escapes
    assert set(generated_code.STOPPING) <= seen[0]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    monkeypatch.undo()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    generated_code.save_at_exit()
    assert os.path.isfile(cache.path) and cache.added == 0


# Every kind of thing that changes what re compiles: named, optional and repeated groups, back
# references, look-arounds, inline and given flags, verbose text, classes with surrogates and
# non-characters, case folding beyond ASCII, the empty pattern.
AWKWARD_PATTERNS = [
    (r"(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?", 0),
    (r"^\s*(#|[-+=])", re.MULTILINE),
    (r"(?i)stra(ß|ss)e|ǅ", 0),
    ("colou?r  # a comment\n | gr[ae]y", re.VERBOSE),
    (r"(a)(b)?\2|\1", 0),
    (r"(?<=\d{3})x(?!y)", 0),
    (r"[^\W\d_]+", re.ASCII),
    (r"\bword\b.*$", re.DOTALL | re.IGNORECASE),
    ("", 0),
    ("[\x00-\x08\ud800-\udfff\ufffe\uffff]", 0),
    (r"(?x) (?P<a> x+ ) (?P=a) {2,3}? | (?s:.)", 0),
]
SAMPLES = ["2024-03-31 and 1999-12", "# x\n+y\n  -z", "STRASSE straße Strasse ǅ ǆ", "colour grey color gray",
           "abb ab a b", "123x 12x 123xy", "Ünïcode words_1 and ascii", "a WORD here\nnext", "\x00 \ufffe ok",
           "xxxxxx xx"]


def _found(pattern: re.Pattern) -> list:
    return [[(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(s)] for s in SAMPLES]


def test_patterns_made_through_the_cache_are_res_own(cache: generated_code.CodeCache) -> None:
    from re import _compiler

    own = _compiler.compile
    cold = [cache.pattern(text, flags) for text, flags in AWKWARD_PATTERNS]
    assert cache.added == len(AWKWARD_PATTERNS)
    cache.write()
    again = generated_code.CodeCache(cache.path)
    again.read()
    warm = [again.pattern(text, flags) for text, flags in AWKWARD_PATTERNS]
    assert again.added == 0 and len(again.used) == len(AWKWARD_PATTERNS)
    for (text, flags), made, read in zip(AWKWARD_PATTERNS, cold, warm):
        plain = own(text, flags)
        # patterns compare their text, their flags and their compiled code
        assert made == plain and read == plain and type(read) is re.Pattern
        assert (read.groups, read.groupindex, read.flags) == (plain.groups, plain.groupindex, plain.flags)
        assert _found(read) == _found(plain)


def test_re_uses_the_cache_as_the_command_and_is_put_back(cache: generated_code.CodeCache) -> None:
    from re import _compiler

    own = _compiler.compile
    generated_code.install(cache)
    text = r"efl-test-(?P<only>[a-z]+) pattern \d+"
    assert re.compile(text).groupindex == {"only": 1} and ("re 0", text) in cache.code
    assert re.compile(text.encode()).pattern == text.encode()  # bytes, and re's own flags, pass through
    generated_code.uninstall()
    assert _compiler.compile is own


def test_a_pattern_re_warns_about_or_refuses_is_res_to_say_and_not_kept(cache: generated_code.CodeCache) -> None:
    with pytest.warns(FutureWarning, match="Possible nested set"):
        assert cache.pattern("[[a]", 0).match("[")
    with pytest.raises(re.error) as refused:
        cache.pattern("(unclosed", 0)
    with pytest.raises(re.error) as plain:
        re.compile("(unclosed", re.ASCII)  # (other flags: not re's own cache's pattern)
    assert str(refused.value) == str(plain.value)
    assert cache.code == {} and cache.added == 0


@pytest.mark.parametrize("parts", [(0, bytes(12), 0, {}, ()), (0, b"\x01\x02", 0, {}, ()), ("not", "parts"),
                                   (0, [1, 2, 3], 0, {}, ())],
                         ids=["invalid-code", "not-whole-words", "too-few", "wrong-types"])
def test_damaged_pattern_parts_are_made_again(cache: generated_code.CodeCache, parts: tuple) -> None:
    from re import _compiler

    cache.code[("re 0", "ab+c")] = parts
    assert cache.pattern("ab+c", 0) == _compiler.compile("ab+c", 0)
    assert cache.code[("re 0", "ab+c")] == generated_code.pattern_parts("ab+c", 0)


def test_past_so_many_patterns_only_this_runs_are_kept(cache: generated_code.CodeCache,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generated_code, "MOST_PATTERNS", 3)
    for n in range(4):  # made from data: a new one in every run
        cache.pattern(f"run {n}: [a-z]+", 0)
    cache.write()
    again = generated_code.CodeCache(cache.path)
    again.read()
    assert len(again.code) == 4
    again.pattern("run 4: [a-z]+", 0)
    again.pattern("run 0: [a-z]+", 0)
    again.write()
    last = generated_code.CodeCache(cache.path)
    last.read()
    assert sorted(text for _, text in last.code) == ["run 0: [a-z]+", "run 4: [a-z]+"]


def test_named_tuples_made_through_the_cache_are_collections_own(cache: generated_code.CodeCache) -> None:
    def declare() -> list:
        return [collections.namedtuple("Point", "x y"), collections.namedtuple("Row", ["id", "when", "yield_"],
                                                                                  defaults=[None], rename=True),
                collections.namedtuple("Empty", [])]

    plain = declare()
    generated_code.install(cache)
    cold = declare()
    generated_code.uninstall()
    assert "eval" not in vars(collections)
    cache.write()
    again = generated_code.CodeCache(cache.path)
    again.read()
    generated_code.install(again)
    warm = declare()
    assert again.added == 0 and {mode for mode, _ in again.used} == {"eval"}
    for a, b, c in zip(plain, cold, warm):
        assert a.__new__.__code__ == b.__new__.__code__ == c.__new__.__code__
        assert a.__new__.__defaults__ == b.__new__.__defaults__ == c.__new__.__defaults__
        assert a._fields == b._fields == c._fields
        assert repr(a(*range(len(a._fields)))) == repr(c(*range(len(c._fields))))
    # as eval does, leading spaces and tabs are no indentation error
    assert collections.eval(" \t1 + 1", {}) == eval(" \t1 + 1", {}) == 2  # noqa: S307
