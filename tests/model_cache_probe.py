"""Run by tests/test_model_cache.py in a fresh process: build some models with efl.core.model_cache
installed on a given file, then print (JSON) what they do, and whether each came from the file.

    python tests/model_cache_probe.py CACHE_FILE MODULE NAME... [--force-compare] [--no-install]
                                      [--not-first-party] [--other-pydantic]

MODULE is efl.core.models or a test module on sys.path (made first party for the run). Every model
is first used as a program would (validation), then probed: its validation errors, dumps, JSON
schema and class attributes. With --force-compare each model is then rebuilt by pydantic itself
(``model_rebuild(force=True)``) and compared, in this process, with what the cache gave.
"""

from __future__ import annotations

import importlib
import json
import re
import sys

from pydantic import ValidationError

from efl.core import model_cache

SAMPLES = {
    "Criterion": [{"id": "kyc.profile", "title": "T", "level": "achieving", "rule": {"evidence": "x"},
                   "action": "a", "source": "s", "confidence": "partial"},
                  {"id": "Bad Id", "confidence": "sure", "unknown": 1}],
    "Council": [{"name": 2014.1, "headcounts": [{"date": "2024-03-31", "employees": 300}]},
                {"name": "", "headcounts": [{"date": "2024-03-31", "employees": 1},
                                            {"date": "2024-03-31", "employees": 2}]}],
    "Assessor": [{"role": "Peer"}, {"role": "boss"}],
    "EvidenceItem": [{"id": "census-2021", "type": "census", "date": "2022-01-01"},
                     {"id": "x", "type": "nope", "date": "soon", "covers": "everything"}],
    "FrameworkRef": [{"id": "f", "version": "1", "title": "F", "sha256": "s", "levels": [{"id": "a", "title": "A"}],
                      "tailoring": {"base": "f", "sha256": "t", "added": ["a.b"]}},
                     {"id": "f", "levels": [{"id": "A B"}], "tailoring": {"base": 3}}],
    "Trace": [{"rule": "all", "outcome": "met", "reason": "r", "due": "2025-01-01",
               "children": [{"rule": "fact", "outcome": "not_met", "reason": "q", "overdue": True}]},
              {"rule": "all", "outcome": "maybe", "children": [{"problem": "other"}]}],
    "Result": [{}, {"schema_version": "1", "framework": {"levels": []}, "areas": [{"criteria": [{}]}]}],
    "Assessment": [{"council": {"name": "C"}, "date": "2024-01-01"}, {"council": {}, "date": "x", "extra": 1}],
}


def made(module: object) -> dict:
    """Each model class of ``module`` as it was made (before first use): its fields, every slot of each
    FieldInfo and of what they hold, with which objects are shared (numbered in order of first sight),
    what is left in the class's namespace, its class variables and private attributes."""
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    slots = [s for c in FieldInfo.__mro__ for s in c.__dict__.get("__slots__", ())]
    numbers: dict[int, int] = {}
    keep: list = []

    def show(value: object, depth: int = 0) -> object:
        if isinstance(value, (str, int, float, bool, type(None))):
            return repr(value)
        keep.append(value)
        number = numbers.setdefault(id(value), len(numbers))
        if isinstance(value, FieldInfo) and depth < 3:
            return [number, type(value).__name__] + [[s, show(getattr(value, s), depth + 1)] for s in slots]
        if isinstance(value, (list, tuple)) and depth < 3:
            return [number, type(value).__name__] + [show(item, depth + 1) for item in value]
        if isinstance(value, dict) and depth < 3:
            return [number, "dict"] + [[k, show(v, depth + 1)] for k, v in value.items()]
        return [number, type(value).__name__, _no_address(repr(value))]

    out = {}
    for name, cls in vars(module).items():
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
            out[name] = {"local": "<locals>" in cls.__qualname__,
                         "annotations": show(cls.__dict__.get("__annotations__")),
                         "fields": show(cls.__dict__["__pydantic_fields__"]), "namespace": sorted(cls.__dict__),
                         "class_vars": sorted(cls.__class_vars__),
                         "private": _no_address(repr(cls.__private_attributes__))}
    return out


def errors(problem: ValidationError) -> list:
    return [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"], "input": repr(e.get("input"))}
            for e in problem.errors(include_url=False)]


def probe(cls: type, samples: list) -> dict:
    out: dict = {"json_schema": cls.model_json_schema(), "serialization_schema":
                 cls.model_json_schema(mode="serialization"), "cases": []}
    for sample in samples:
        try:
            made = cls.model_validate(sample)
        except ValidationError as problem:
            out["cases"].append({"errors": errors(problem), "json_errors": errors(_json_errors(cls, sample))})
        else:
            out["cases"].append({"dump": repr(made.model_dump()), "json": made.model_dump_json(),
                                 "json_lean": made.model_dump_json(exclude_defaults=True, by_alias=True),
                                 "again": made.model_validate_json(made.model_dump_json()) == made})
    out["attributes"] = sorted(k for k in vars(cls) if k.startswith("__pydantic") or k == "__signature__")
    out["signature"] = _no_address(str(cls.__signature__))
    out["fields"] = _no_address(repr(cls.__pydantic_fields__))
    out["validator"] = type(cls.__pydantic_validator__).__name__
    out["complete"] = cls.__pydantic_complete__
    return out


def _no_address(text: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", text)  # a function's repr: where it is in memory this run


def _json_errors(cls: type, sample: dict) -> ValidationError:
    try:
        cls.model_validate_json(json.dumps(sample))
    except ValidationError as problem:
        return problem
    raise AssertionError("valid as JSON but not as Python")


def main(argv: list[str]) -> None:
    path, module_name, *names = [a for a in argv if not a.startswith("--")]
    if module_name != "efl.core.models" and "--not-first-party" not in argv:
        model_cache.FIRST_PARTY = model_cache.FIRST_PARTY + (module_name.split(".")[0],)
    if "--other-pydantic" in argv:
        model_cache.PYDANTIC = ("0.0",)
    cache = None if "--no-install" in argv else model_cache.install(model_cache.SchemaCache(path))
    module = importlib.import_module(module_name)
    report: dict = {"made": made(module), "field_hits": sorted(cache.field_hits) if cache is not None else None}
    samples = dict(SAMPLES, **getattr(module, "SAMPLES", {}))
    classes = {name: getattr(module, name) for name in names}
    report["probes"] = {}
    for name, cls in classes.items():  # first use, as a program does: validation (the mock builds it)
        try:
            cls.model_validate(samples[name][0])
        except ValidationError:
            pass
    for name, cls in classes.items():
        report["probes"][name] = probe(cls, samples[name])
    report["hits"] = sorted(cache.hits) if cache is not None else None
    if "--force-compare" in argv:
        kept = {name: cls.__pydantic_core_schema__ for name, cls in classes.items()}
        report["same_schema"] = {}
        report["forced"] = {}
        for name, cls in classes.items():
            cls.model_rebuild(force=True)
            report["same_schema"][name] = cls.__pydantic_core_schema__ == kept[name]
            report["forced"][name] = probe(cls, samples[name])
    if cache is not None:
        cache.write()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
