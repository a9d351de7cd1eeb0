"""``efl schema``: JSON Schemas that a standard validator (jsonschema) applies to real files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLES, ROOT
from efl.core.engine import SCHEMA_VERSION
from efl.core.plugin_host import load_plugins
from efl.schema import all_schemas, render
from efl.testing import run_efl

DOCS = ROOT / "docs" / "schema"
FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))
REFRESH = "efl schema --output-dir docs/schema --force"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, dict]:
    """The schemas as the command writes them (a real run of 'efl schema --output-dir')."""
    folder = tmp_path_factory.mktemp("schema")
    run_efl("schema", "--output-dir", folder).assert_exit(0)
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def as_editor_sees(data):
    """YAML as an editor's YAML 1.2 language server reads it: dates are text."""
    if isinstance(data, dict):
        return {str(k): as_editor_sees(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_editor_sees(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()
    return data


def load_yaml(path: Path):
    return as_editor_sees(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def errors(schema: dict, data) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schemas_are_valid_json_schemas(schemas):
    assert {"assessment.schema.json", "framework.schema.json", "crosswalk.schema.json",
            "equality-objectives.schema.json", f"result-{SCHEMA_VERSION}.schema.json"} <= set(schemas)
    for name, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["title"] and schema["description"], name


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_worked_example_assessment_yaml_is_valid(schemas, folder):
    assert errors(schemas["assessment.schema.json"], load_yaml(folder / "assessment.yaml")) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_worked_example_result_is_valid(schemas, folder):
    result = run_efl("assess", folder, "--format", "json").assert_exit(0).json
    assert errors(schemas[f"result-{SCHEMA_VERSION}.schema.json"], result) == []


def test_framework_crosswalk_and_objective_files_are_valid(schemas):
    frameworks = sorted((ROOT / "frameworks").glob("*.yaml"))
    crosswalks = sorted((ROOT / "frameworks" / "crosswalks").glob("*.yaml"))
    assert frameworks and crosswalks
    for path in frameworks:
        assert errors(schemas["framework.schema.json"], load_yaml(path)) == [], path
    for path in crosswalks:
        assert errors(schemas["crosswalk.schema.json"], load_yaml(path)) == [], path
    objectives = load_yaml(EXAMPLES / "bexley" / "evidence" / "equality-objectives.yaml")
    assert errors(schemas["equality-objectives.schema.json"], objectives) == []


def test_an_unknown_key_or_a_wrong_type_is_refused(schemas):
    schema = schemas["assessment.schema.json"]
    good = load_yaml(EXAMPLES / "bexley" / "assessment.yaml")
    unknown = copy.deepcopy(good)
    unknown["council"]["colour"] = "blue"
    assert any("'colour' was unexpected" in e for e in errors(schema, unknown))
    top = copy.deepcopy(good)
    top["evidance"] = []
    assert any("'evidance' was unexpected" in e for e in errors(schema, top))
    wrong = copy.deepcopy(good)
    wrong["evidence"][0]["covers"] = 12
    wrong["council"]["employees"] = "many"
    found = errors(schema, wrong)
    assert any(e.startswith("['council', 'employees']") for e in found)
    assert any(e.startswith("['evidence', 0, 'covers']") for e in found)


def test_a_result_with_an_unknown_key_or_a_wrong_type_is_refused(schemas):
    schema = schemas[f"result-{SCHEMA_VERSION}.schema.json"]
    good = run_efl("assess", EXAMPLES / "london-councils", "--format", "json").assert_exit(0).json
    unknown = copy.deepcopy(good)
    unknown["areas"][0]["colour"] = "blue"
    assert any("'colour' was unexpected" in e for e in errors(schema, unknown))
    wrong = copy.deepcopy(good)
    wrong["actions"][0]["priority"] = "high"
    assert any(e.startswith("['actions', 0, 'priority']") for e in errors(schema, wrong))


def test_covers_all_and_outcome_words_are_in_the_schema(schemas):
    schema = schemas["assessment.schema.json"]
    data = load_yaml(EXAMPLES / "london-councils" / "assessment.yaml")
    data["evidence"][0]["covers"] = "all"
    data["claims"]["kyc.profile"] = {"outcome": "not met"}
    assert errors(schema, data) == []


def test_every_field_people_write_has_a_title_and_a_description(schemas):
    missing = []
    for name in ("assessment.schema.json", "framework.schema.json"):
        for model, body in schemas[name]["$defs"].items():
            assert body.get("description"), f"{name}: {model} has no description (add a docstring)"
            for key, prop in body.get("properties", {}).items():
                if not prop.get("description"):
                    missing.append(f"{name}: {model}.{key}")
                assert prop.get("title") and not any(c.isupper() for c in prop["title"][1:]), prop.get("title")
    for key, prop in schemas["assessment.schema.json"]["properties"].items():
        if not prop.get("description"):
            missing.append(f"Assessment.{key}")
    assert not missing, "add Field(description=...) for: " + ", ".join(missing)


def test_docs_schema_is_up_to_date():
    """docs/schema holds the published schemas; regenerate with the command in the message."""
    current = {name: render(schema) for name, schema in all_schemas(load_plugins()).items()}
    for name, text in current.items():
        path = DOCS / name
        assert path.is_file(), f"docs/schema/{name} is missing: run '{REFRESH}'"
        assert path.read_text(encoding="utf-8") == text, f"docs/schema/{name} is out of date: run '{REFRESH}'"
    # Result schemas of earlier versions stay published; nothing else may linger.
    extra = {p.name for p in DOCS.glob("*.json")} - set(current)
    assert all(n.startswith("result-") for n in extra), f"stale files in docs/schema: {sorted(extra)}"


def test_schema_command_prints_one_and_refuses_an_unknown_name():
    out = run_efl("schema", "assessment").assert_exit(0)
    assert json.loads(out.output)["title"] == "efl assessment.yaml"
    assert json.loads(run_efl("schema", "result").assert_exit(0).output)["title"] == \
        f"efl result, format {SCHEMA_VERSION}"
    out = run_efl("schema", "assesment").assert_exit(2)
    assert "'assesment' is not a schema (did you mean 'assessment'?" in out.stderr


def test_schema_command_does_not_overwrite_without_force(tmp_path):
    run_efl("schema", "--output-dir", tmp_path).assert_exit(0)
    (tmp_path / "assessment.schema.json").write_text("mine", encoding="utf-8")
    out = run_efl("schema", "--output-dir", tmp_path).assert_exit(2)
    assert "already exists" in out.stderr
    assert (tmp_path / "assessment.schema.json").read_text(encoding="utf-8") == "mine"
    run_efl("schema", "--output-dir", tmp_path, "--force").assert_exit(0)
    assert json.loads((tmp_path / "assessment.schema.json").read_text(encoding="utf-8"))["title"]
