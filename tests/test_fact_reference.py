"""The generated reference of built-in facts (docs/facts.md) and the kinds facts declare (issue 27)."""

from __future__ import annotations

import re

import pytest

import efl
from efl.core.fact_reference import reference
from efl.core.plugin_host import load_plugins
from efl.testing import run_efl

from conftest import EXAMPLES, ROOT, assessment_yaml, write_files

BEXLEY = EXAMPLES / "bexley"
FACTS_MD = ROOT / "docs" / "facts.md"


def test_docs_facts_md_is_up_to_date():
    assert FACTS_MD.read_text(encoding="utf-8") == reference(load_plugins(autoload=False)), \
        "docs/facts.md is out of date: regenerate it with 'python -m efl.core.fact_reference > docs/facts.md'"


def test_every_built_in_fact_is_listed_with_its_kind_meaning_and_owner():
    host = load_plugins(autoload=False)
    registry = host.facts()
    rows = {m.group(1): m.groups() for m in re.finditer(r"^\| `([^`]+)` \| ([^|]+) \| (.+?) \| `([^`]+)` \|",
                                                           FACTS_MD.read_text(), re.M)}
    assert set(rows) == set(registry.items)
    for name, spec in registry.items.items():
        _, kind, meaning, owner = rows[name]
        assert spec.kind, f"{name} declares no kind (expected efl.FactSpec(..., kind=...): one of efl.core.plugin_api.FACT_KINDS)"
        assert kind.strip() == spec.kind and owner == registry.owner[name] and host.infos[owner].builtin
        assert meaning.startswith(spec.description.split("|")[0][:40].strip())


def test_every_value_the_worked_examples_give_is_of_its_declared_kind():
    """Each example's facts: the kind declared is the kind computed (the engine would refuse otherwise)."""
    from efl.core.fact_kinds import fits

    specs = load_plugins(autoload=False).facts().items
    seen = set()
    for folder in ("bexley", "harrow", "leicester", "london-councils"):
        for fact in run_efl("assess", EXAMPLES / folder, "--format", "json").assert_exit(0).json["facts"]:
            assert fits(specs[fact["name"]].kind, fact["value"]), fact["name"]
            seen.add(fact["name"])
    assert len(seen) > 40  # the examples exercise most of the facts


class Declares:
    def __init__(self, kind, value):
        self.kind, self.value = kind, value

    @efl.hookimpl
    def efl_register_facts(self, register):
        register(efl.FactSpec("odd.figure", "an odd figure", kind=self.kind))

    @efl.hookimpl
    def efl_compute_facts(self, context):
        return [efl.Fact("odd.figure", self.value)]


def test_an_unknown_kind_is_the_plugins_failure():
    out = run_efl("validate", BEXLEY, plugins=[("odd", Declares("integer", 1))]).assert_exit(3)
    assert ("plugin 'odd' failed in efl_register_facts: declared the fact 'odd.figure' of kind 'integer' "
            "(expected one of: number, whole number, yes or no, text, date, list, mapping, or none)") in out.stderr


@pytest.mark.parametrize("kind, value, words", [
    ("number", [1, 2], "computed fact 'odd.figure' as a list (expected a number, the kind it declares)"),
    ("whole number", 2.5, "as a number (expected a whole number"),
    ("yes or no", 1, "as a whole number (expected a yes or no"),
    ("date", "soon", "as text (expected a date"),
    ("text", {"a": 1}, "as a mapping (expected text"),
])
def test_a_value_of_another_kind_is_the_plugins_failure(kind, value, words):
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("odd", Declares(kind, value))]).assert_exit(3)
    assert "plugin 'odd' failed in efl_compute_facts: computed fact 'odd.figure' " in out.stderr
    assert words in out.stderr
    assert out.json["incomplete"] is True and "odd.figure" not in {f["name"] for f in out.json["facts"]}


@pytest.mark.parametrize("kind, value", [("whole number", 3.0), ("date", "2025-03-31"), ("number", 0),
                                         ("list", []), ("yes or no", False)])
def test_values_of_their_kind_are_kept(kind, value):
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("odd", Declares(kind, value))]).assert_exit(0)
    assert next(f["value"] for f in out.json["facts"] if f["name"] == "odd.figure") == value


def test_a_numeric_comparison_of_a_list_fact_is_a_framework_error_at_its_line(tmp_path, with_framework):
    criteria = ("- id: c1\n  title: c1\n  level: developing\n  action: Do c1.\n  source: test\n  rule:\n"
                "    fact: communities.characteristics_missing\n    at_least: 2\n")
    host, path = with_framework(criteria)
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml()})
    from efl.core.engine import prepare
    from efl.errors import InputError

    with pytest.raises(InputError) as caught:
        prepare(folder, host)
    text = str(caught.value)
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: .*the fact 'communities.characteristics_missing' is a list, "
                     r"which 'at_least' cannot compare \(expected a fact that is a number; see docs/facts.md\)", text)
