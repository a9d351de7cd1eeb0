"""The kept pydantic schemas of efl's models (efl.core.model_cache).

A model built from a kept schema must be the model pydantic builds: the same core schema (compared
in one process with pydantic's own, ``model_rebuild(force=True)``), the same validation errors
(types, locations, messages), dumps, JSON schemas, signature, fields and class attributes. Each run
is a fresh process (tests/model_cache_probe.py), as the models are built once per process. A schema
is used only while the text of every module it depends on is the same; a damaged or missing file,
another pydantic, a model that is not efl's own, or anything that cannot be found again by name
means pydantic builds the model, as before; nothing is written when Python may not write byte code,
and efl used as a library keeps nothing.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from efl.core import model_cache

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "tests" / "model_cache_probe.py"

EFL_MODELS = ["Criterion", "Council", "Assessor", "EvidenceItem", "FrameworkRef", "Trace", "Result", "Assessment"]

CONSTANTS = 'PATTERN = r"^[a-z]+$"\nLIMIT = 10\n'

MODELS = textwrap.dedent('''
    import datetime as dt
    from typing import Annotated, Literal

    from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

    from efl.core.models import Record, Strict
    from cachetest_consts import LIMIT, PATTERN


    def _trim(value):
        return value.strip() if isinstance(value, str) else value


    class Inner(Strict):
        code: str = Field(pattern=PATTERN, description="A code.")
        size: int = Field(default=1, le=LIMIT)


    class Outer(Strict):
        name: Annotated[str, BeforeValidator(_trim)]
        kind: Literal["a", "b"] = "a"
        inners: list[Inner] = Field(default_factory=list)
        later: "Later | None" = None
        tags: dict[str, int] = Field(default_factory=dict)
        hidden: int = Field(default=0, exclude_if=lambda v: v == 0)

        @field_validator("kind", mode="before")
        @classmethod
        def _lower(cls, value):
            return value.lower() if isinstance(value, str) else value

        @model_validator(mode="after")
        def _needs_inners(self):
            if self.kind == "b" and not self.inners:
                raise ValueError("kind b needs an inner (expected at least one)")
            return self


    class Later(Record):
        when: dt.date
        children: list["Later"] = []


    # efl's models that are not Records (a calendar's, a plugin's options): built on first use, or at once
    class Plain(BaseModel):
        model_config = ConfigDict(defer_build=True, extra="forbid")
        code: str = Field(pattern=PATTERN)
        inner: Inner | None = None


    class Eager(BaseModel):
        size: int = Field(default=1, le=LIMIT)


    # classes made in a function, from what it is given: their fields are never kept
    def made_of(kind):
        class Made(Record):
            value: kind
        return Made


    MadeInt = made_of(Annotated[int, Field(ge=3)])
    MadeText = made_of(str)


    SAMPLES = {
        "Inner": [{"code": "abc", "size": 3}, {"code": "ABC", "size": 11, "more": 1}],
        "Outer": [{"name": "  x ", "kind": "B", "inners": [{"code": "q"}], "later": {"when": "2024-01-01",
                   "children": [{"when": "2024-02-01"}]}, "hidden": 2},
                  {"name": 3, "kind": "b", "later": {"when": "never"}},
                  {"name": "y", "kind": "c"}, {"name": "z", "kind": "b"}],
        "Later": [{"when": "2024-01-01", "children": [{"when": "2024-01-02"}]}, {"children": [{}]}],
        "Plain": [{"code": "abc", "inner": {"code": "d"}}, {"code": "ABC", "inner": {"size": 11}, "more": 1}],
        "Eager": [{"size": 3}, {"size": 11}],
    }
''')
# Annotations written as text (a plugin's module): evaluated anew by pydantic, and an alias from another module.
FUTURE = textwrap.dedent('''
    from __future__ import annotations

    from typing import Literal, Optional

    from efl.core.models import Record, Text


    class Noted(Record):
        title: Text
        kind: Literal["a", "b"] = "a"
        maybe: Optional[int] = None
        nothing: None = None
        also: list[Text] | None = None


    SAMPLES = {"Noted": [{"title": 2014.1, "kind": "b", "also": ["x", 3]}, {"kind": "c", "nothing": 1}]}
''')
TEST_MODELS = ["Inner", "Outer", "Later", "Plain", "Eager"]
BUILT_LATER = ["Inner", "Outer", "Later", "Plain"]  # Eager is built as its class is made: never kept


def probe(cache: Path, module: str, names: list[str], *flags: str, cwd: Path | None = None,
          env: dict | None = None) -> dict:
    environment = dict(os.environ, **(env or {}))
    environment.pop("PYTHONDONTWRITEBYTECODE", None) if "PYTHONDONTWRITEBYTECODE" not in (env or {}) else None
    if cwd is not None:
        environment["PYTHONPATH"] = str(cwd)
    done = subprocess.run([sys.executable, str(PROBE), str(cache), module, *names, *flags], capture_output=True,
                          text=True, cwd=cwd or "/", env=environment)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # only the module's own models (importing efl.core.models builds Assessor: a field's default is one)
    for hits in ("hits", "field_hits"):
        if report[hits] is not None:
            report[hits] = [hit for hit in report[hits] if hit.startswith(module + ":")]
    return report


@pytest.fixture()
def test_module(tmp_path: Path) -> Path:
    (tmp_path / "cachetest_consts.py").write_text(CONSTANTS, encoding="utf-8")
    (tmp_path / "cachetest_models.py").write_text(MODELS, encoding="utf-8")
    (tmp_path / "cachetest_future.py").write_text(FUTURE, encoding="utf-8")
    return tmp_path


def _named(module: str, names: list[str]) -> list[str]:
    return sorted(f"{module}:{name}" for name in names)


def test_efl_models_from_the_cache_are_the_models_pydantic_builds(tmp_path: Path) -> None:
    cache = tmp_path / "schemas"
    cold = probe(cache, "efl.core.models", EFL_MODELS)
    assert cold["hits"] == [] and cache.exists()
    # another order of first use: a model built before or after the models it holds is the same
    warm = probe(cache, "efl.core.models", EFL_MODELS[::-1], "--force-compare")
    assert warm["hits"] == _named("efl.core.models", EFL_MODELS)
    assert warm["same_schema"] == {name: True for name in EFL_MODELS}
    assert warm["probes"] == cold["probes"]
    assert warm["forced"] == warm["probes"]
    cases = cold["probes"]["Council"]["cases"]
    assert "given twice" in json.dumps(cases[1]) and "json" in cases[0]  # the samples do test something


@pytest.mark.parametrize("module", ["efl.core.models", "cachetest_models", "cachetest_future"])
def test_classes_made_with_kept_fields_are_the_classes_pydantic_makes(test_module: Path, module: str) -> None:
    # every FieldInfo slot, what is shared with the class's annotations, its body and its bases (and
    # with other classes), what is left in its namespace: as pydantic made them, with no file at all
    cache = test_module / "schemas"
    names = {"efl.core.models": EFL_MODELS, "cachetest_models": TEST_MODELS, "cachetest_future": ["Noted"]}[module]
    plain = probe(cache, module, names, "--no-install", cwd=test_module)
    cold = probe(cache, module, names, cwd=test_module)
    warm = probe(cache, module, names, cwd=test_module)
    made_here = [name for name, made in warm["made"].items() if not made["local"]]
    assert cold["field_hits"] == [] and len(warm["field_hits"]) == len(made_here) >= len(names)
    assert warm["made"] == cold["made"] == plain["made"]
    assert warm["probes"] == cold["probes"] == plain["probes"]
    fields = json.dumps(warm["made"])
    assert "BeforeValidator" in fields and ("ForwardRef" in fields or module == "cachetest_future")


def test_validators_defaults_forward_references_from_the_cache(test_module: Path) -> None:
    cache = test_module / "schemas"
    cold = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    warm = probe(cache, "cachetest_models", TEST_MODELS, "--force-compare", cwd=test_module)
    assert cold["hits"] == [] and warm["hits"] == _named("cachetest_models", BUILT_LATER)
    assert warm["same_schema"] == {name: True for name in TEST_MODELS}
    assert warm["probes"] == cold["probes"] and warm["forced"] == warm["probes"]
    outer = json.dumps(warm["probes"]["Outer"]["cases"])
    assert "kind b needs an inner" in outer and '\\"hidden\\":2' in outer and "literal_error" in outer
    no_hidden = warm["probes"]["Outer"]["cases"]
    assert all('"hidden"' not in case.get("json", "") or '"hidden":2' in case["json"] for case in no_hidden)


def test_a_changed_module_text_is_built_again(test_module: Path) -> None:
    cache = test_module / "schemas"
    probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    # a constant in a module the models' module imports: its text is part of the key (another size, or
    # Python itself, within the same second, would take the old byte code for it)
    (test_module / "cachetest_consts.py").write_text(CONSTANTS.replace("10", "120"), encoding="utf-8")
    changed = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    assert changed["hits"] == []
    assert changed["probes"]["Inner"]["json_schema"]["properties"]["size"]["maximum"] == 120
    again = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    assert again["hits"] == _named("cachetest_models", BUILT_LATER)
    assert again["probes"]["Inner"]["json_schema"]["properties"]["size"]["maximum"] == 120
    # the models' own module
    (test_module / "cachetest_models.py").write_text(MODELS.replace('"A code."', '"Another code."'), encoding="utf-8")
    edited = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    assert edited["hits"] == []
    assert edited["probes"]["Inner"]["json_schema"]["properties"]["code"]["description"] == "Another code."


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other header", "bad entry"])
def test_a_damaged_file_is_ignored(test_module: Path, damage: str) -> None:
    cache = test_module / "schemas"
    cold = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    whole = cache.read_bytes()
    if damage == "garbage":
        cache.write_bytes(b"\x00not a cache at all")
    elif damage == "truncated":
        cache.write_bytes(whole[:len(whole) // 2])
    else:
        header, entries, fields = marshal.loads(whole)
        if damage == "other header":
            header = ("efl model schemas 0",) + header[1:]
        else:
            key, _ = entries["cachetest_models:Inner"]
            entries["cachetest_models:Inner"] = (key, b"\x80\x05garbage")
            key, shape, _ = fields["cachetest_models:Outer"]
            fields["cachetest_models:Outer"] = (key, shape, b"\x80\x05garbage")
        cache.write_bytes(marshal.dumps((header, entries, fields)))
    damaged = probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    expected = [] if damage != "bad entry" else _named("cachetest_models", ["Later", "Outer", "Plain"])
    assert damaged["hits"] == expected
    assert damaged["field_hits"] == ([] if damage != "bad entry" else _named("cachetest_models", ["Eager", "Inner", "Later", "Plain"]))
    assert damaged["probes"] == cold["probes"] and damaged["made"] == cold["made"]
    # the file is whole again, with every model
    assert probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)["hits"] == \
        _named("cachetest_models", BUILT_LATER)


def test_another_pydantic_and_other_peoples_models_are_built_by_pydantic(test_module: Path) -> None:
    cache = test_module / "schemas"
    probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module)
    other = probe(cache, "cachetest_models", TEST_MODELS, "--other-pydantic", cwd=test_module)
    assert other["hits"] == []
    theirs = test_module / "theirs"
    plugin = probe(theirs, "cachetest_models", TEST_MODELS, "--not-first-party", cwd=test_module)
    assert plugin["hits"] == []
    _, entries, fields = marshal.loads(theirs.read_bytes())  # efl's own models' schemas and fields only
    assert entries and all(name.startswith("efl.core.models:") for name in entries)
    assert fields and all(name.startswith("efl.core.models:") for name in fields)


def test_nothing_written_when_python_writes_no_byte_code(test_module: Path) -> None:
    cache = test_module / "schemas"
    probe(cache, "cachetest_models", TEST_MODELS, cwd=test_module, env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert not cache.exists()


def test_as_a_library_efl_keeps_nothing() -> None:
    code = ("from efl.core import model_cache, models; models.Criterion.model_rebuild(); "
            "models.Result.model_json_schema(); print(model_cache.installed())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


def test_the_command_keeps_schemas_and_gives_the_same_output(tmp_path: Path) -> None:
    def assess(**env: str) -> subprocess.CompletedProcess:
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return subprocess.run([sys.executable, "-X", f"pycache_prefix={tmp_path}", "-m", "efl", "assess",
                               str(ROOT / "assessments" / "bexley"), "--format", "json"], capture_output=True,
                              cwd="/", env=dict(environment, **env))

    kept = list(tmp_path.rglob("model_cache.*.schemas"))
    unwritten = assess(PYTHONDONTWRITEBYTECODE="1")
    assert list(tmp_path.rglob("model_cache.*.schemas")) == kept == []
    cold = assess()
    assert cold.returncode == unwritten.returncode == 0 and cold.stdout == unwritten.stdout
    (path,) = tmp_path.rglob("model_cache.*.schemas")
    _, entries, fields = marshal.loads(path.read_bytes())
    assert "efl.core.models:Result" in entries and "efl.core.models:Result" in fields
    # and efl's models that are not Records (the calendar's), but never a third-party plugin's
    assert "efl.law.calendar:Calendar" in entries and "efl.law.calendar:Calendar" in fields
    assert {k.split(".")[0] for k in [*entries, *fields]} <= set(model_cache.FIRST_PARTY)
    warm = assess()
    assert warm.returncode == 0 and warm.stdout == cold.stdout and warm.stderr == cold.stderr


def test_what_cannot_be_found_again_is_not_kept() -> None:
    def local(value):  # noqa: ANN001, ANN202 - no name to find it by
        return value

    with pytest.raises(model_cache.Unkeepable):
        model_cache.dumps({"type": "function-plain", "function": {"type": "no-info", "function": local}})
    with pytest.raises(model_cache.Unkeepable):
        model_cache.dumps({"type": "any", "metadata": {"thing": object()}})
    payload, modules = model_cache.dumps({"type": "x", "function": model_cache.dumps, "cls": list})
    assert modules == {"efl.core.model_cache", "builtins"}
    assert model_cache.loads(payload) == {"type": "x", "function": model_cache.dumps, "cls": list}
    sources = model_cache.Sources()
    assert sources.key({"efl_no_such_module"}) is None
    assert [m for m, _ in sources.key({"efl.core.model_cache", "builtins", "pydantic.main"})] == \
        ["efl.core.model_cache"]  # the standard library and pydantic: their versions are the key
    import hashlib

    key = dict(sources.key({"efl.core.models"}))
    # what efl.core.models imports as it is imported counts (its constants), not what a function imports later
    assert set(key) == {"efl.core", "efl.core.identifiers", "efl.core.model_cache", "efl.core.models",
                        "efl.core.vocabulary"}
    assert key["efl.core.identifiers"] == hashlib.sha256((ROOT / "efl/core/identifiers.py").read_bytes()).hexdigest()
