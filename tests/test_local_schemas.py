"""The published schemas (docs/schema) accept the new files and results: tailoring, what-if, and a
result with a target, assumptions, waivers and a tailoring; such results are byte-reproducible."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
from ruamel.yaml import YAML

from conftest import EXAMPLES, ROOT
from efl.core.engine import SCHEMA_VERSION
from efl.testing import run_efl

DOCS = ROOT / "docs" / "schema"
LEICS = EXAMPLES / "leicestershire"


def published(name: str) -> dict:
    return json.loads((DOCS / name).read_text(encoding="utf-8"))


def as_editor_sees(data):  # noqa: ANN001, ANN201
    if isinstance(data, dict):
        return {str(k): as_editor_sees(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_editor_sees(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def errors(schema: dict, data) -> list[str]:  # noqa: ANN001
    return [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def load(path):  # noqa: ANN001, ANN201
    return as_editor_sees(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def test_the_example_tailoring_and_what_if_files_are_valid():
    assert errors(published("tailoring.schema.json"), load(LEICS / "tailoring.yaml")) == []
    assert errors(published("what-if.schema.json"), load(LEICS / "what-if.yaml")) == []
    assessment = load(LEICS / "assessment.yaml")
    assert assessment["waivers"] and assessment["tailoring"]
    assert errors(published("assessment.schema.json"), assessment) == []


def test_the_schemas_refuse_what_efl_refuses():
    tailoring = published("tailoring.schema.json")
    assert errors(tailoring, {"base": "eflg-2014", "colour": "blue"})
    assert errors(tailoring, {"criteria": []})  # no base
    waiver = {"criterion": "x", "reason": "r", "approved_by": "a", "approved_on": "2025-01-01"}  # no expiry
    assert errors(published("assessment.schema.json"), {"council": {"name": "C"}, "date": "2025-01-01",
                                                        "waivers": [waiver]})


def test_a_result_with_everything_new_is_valid_and_reproducible():
    args = ("assess", LEICS, "--target", "achieving", "--assume-file", LEICS / "what-if.yaml", "--format", "json")
    first = run_efl(*args).assert_exit(0).output
    assert run_efl(*args).assert_exit(0).output == first  # byte for byte
    result = json.loads(first)
    assert result["hypothetical"] and result["target"] and result["waivers"] and result["framework"]["tailoring"]
    assert errors(published(f"result-{SCHEMA_VERSION}.schema.json"), result) == []
