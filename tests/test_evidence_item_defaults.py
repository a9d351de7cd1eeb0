"""EvidenceItem's empty defaults made by a factory (issue 29) give what ``default=[]`` / ``default={}`` gave.

The reference is EvidenceItem with those three fields written as before (a subclass overriding them);
items are made from many dicts by both and compared, and so are the two JSON Schemas.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

import pytest
from pydantic import Field, ValidationError, WithJsonSchema

from efl.core.models import EvidenceItem
from efl.schema import model_schema


class ReferenceItem(EvidenceItem):
    """EvidenceItem as in main 0dc5a15: the mutable defaults written out (pydantic deep-copies them)."""

    covers: Annotated[list[str], WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string"}},
                                                          {"const": "all"}]})] = Field(
        default=[], description=EvidenceItem.model_fields["covers"].description)
    columns: dict[str, str] = Field(default={}, description=EvidenceItem.model_fields["columns"].description)
    about: list[Literal["employees", "people-affected"]] = Field(
        default=[], description=EvidenceItem.model_fields["about"].description)


BASE = {"id": "census-2021", "type": "Community profile", "date": "2024-03-31"}
VARIANTS = [
    {},
    {"covers": "all"},
    {"covers": ["age", "Religion or belief"]},
    {"columns": {"bonus_pay": "Bonus Paid"}},
    {"about": "People affected"},
    {"about": ["employees"]},
    {"covers": [], "columns": {}, "about": []},
    {"geography": "E09000004", "title": "Census"},   # a plugin's key, kept aside by _plugin_keys
    {"file": "evidence/census.csv", "personal": True, "note": "n"},
]


def _described(item: EvidenceItem) -> tuple:
    return (item.model_dump(), sorted(item.model_fields_set), item._written)


@pytest.mark.parametrize("extra", VARIANTS)
def test_items_are_what_the_written_defaults_gave(extra):
    data = {**BASE, **extra}
    assert _described(EvidenceItem.model_validate(dict(data))) == _described(ReferenceItem.model_validate(dict(data)))


@pytest.mark.parametrize("bad", [{"covers": 3}, {"columns": ["a"]}, {"about": ["nobody"]}, {"date": "soon"}])
def test_errors_are_what_the_written_defaults_gave(bad):
    errors = []
    for model in (EvidenceItem, ReferenceItem):
        with pytest.raises(ValidationError) as caught:
            model.model_validate({**BASE, **bad})
        errors.append(caught.value.errors(include_url=False))
    assert errors[0] == errors[1]


def test_each_item_has_its_own_empty_values():
    """Made fresh for each item: changing one item's list or dict changes no other item."""
    one, two = EvidenceItem.model_validate(dict(BASE)), EvidenceItem.model_validate(dict(BASE))
    assert one.covers == [] and one.columns == {} and one.about == []
    assert one.covers is not two.covers and one.columns is not two.columns and one.about is not two.about
    one.covers.append("age")
    one.columns["senior"] = "SLT"
    one.about.append("employees")
    three = EvidenceItem.model_validate(dict(BASE))
    assert (two.covers, two.columns, two.about) == ([], {}, []) == (three.covers, three.columns, three.about)


def test_the_schema_still_shows_the_defaults():
    ours = model_schema(EvidenceItem, "t", "d")
    reference = model_schema(ReferenceItem, "t", "d")
    assert json.dumps(ours["properties"]) == json.dumps(reference["properties"])
    assert ours["properties"]["covers"]["default"] == [] and ours["properties"]["columns"]["default"] == {}
    assert ours["required"] == reference["required"]


def test_dates_still_parse():
    assert EvidenceItem.model_validate(dict(BASE)).date == dt.date(2024, 3, 31)


# --- the result models: the same for the lists of a trace, a criterion's result and an area's ---------

from pydantic import create_model  # noqa: E402

from efl.core.models import AreaResult, CriterionResult, Trace  # noqa: E402

RESULT_LISTS = {Trace: ("evidence", "facts", "children"), CriterionResult: ("evidence", "facts", "local"),
                AreaResult: ("actions",)}


def _reference(model):
    """``model`` with its empty lists written ``= []`` again, as in main 0dc5a15."""
    fields = {name: (model.model_fields[name].annotation, []) for name in RESULT_LISTS[model]}
    reference = create_model(f"Reference{model.__name__}", __base__=model, **fields)
    reference.model_rebuild(_types_namespace={"Trace": Trace, **vars(__import__("efl.core.models").core.models)})
    return reference


@pytest.mark.parametrize("model", list(RESULT_LISTS))
@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_result_schemas_are_what_the_written_defaults_gave(model, mode):
    ours = _properties(model_schema(model, "t", "d", mode=mode), model)
    reference = _properties(model_schema(_reference(model), "t", "d", mode=mode), model)
    assert json.dumps(ours) == json.dumps(reference)
    for name in RESULT_LISTS[model]:
        assert ours[name]["default"] == []


def _properties(schema, model):
    """The model's own properties (a recursive model such as Trace is under $defs, by its name)."""
    return schema["properties"] if "properties" in schema else schema["$defs"][model.__name__]["properties"]


def test_results_are_what_the_written_defaults_gave():
    leaf = {"rule": "evidence", "outcome": "met", "reason": "seen"}
    traces = [leaf, {**leaf, "evidence": ["census"]}, {**leaf, "children": [leaf, {**leaf, "facts": ["f"]}]}]
    for data in traces:
        ours, reference = Trace(**data), _reference(Trace)(**data)
        assert ours.model_dump_json() == reference.model_dump_json() and ours.model_fields_set == reference.model_fields_set
    criterion = {"id": "c1", "title": "T", "level": "l1", "outcome": "met", "reasons": ["r"], "trace": leaf}
    for data in (criterion, {**criterion, "facts": ["x"], "evidence": ["e"]}):
        assert CriterionResult(**data).model_dump_json() == _reference(CriterionResult)(**data).model_dump_json()
    area = {"id": "a1", "title": "A", "level": None, "next_level": "l1", "criteria": [criterion]}
    assert AreaResult(**area).model_dump_json() == _reference(AreaResult)(**area).model_dump_json()
    one, two = Trace(**leaf), Trace(**leaf)
    one.children.append(two)
    assert two.children == [] and Trace(**leaf).children == []  # each trace its own list
