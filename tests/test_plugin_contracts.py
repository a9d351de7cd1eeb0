"""What plugin authors asked for (issue 27): checked parse results, rule type errors that say why,
one action per criterion."""

from __future__ import annotations

import dataclasses
import re

import pytest

import efl
from efl.core.engine import assess
from efl.core.models import Action
from efl.testing import run_efl

from conftest import EXAMPLES, assessment_yaml, write_files

BEXLEY = EXAMPLES / "bexley"


def criterion(cid: str, rule: str) -> str:
    text = f"- id: {cid}\n  title: {cid}\n  level: developing\n  action: Do {cid}.\n  source: test\n  rule:\n"
    return text + "".join(f"    {line}\n" for line in rule.strip().splitlines())


# --- parse results are type-checked ----------------------------------------------------------------


@dataclasses.dataclass
class Survey:
    rows: int


def survey_type(parse, shape=Survey):
    class Surveys:
        @efl.hookimpl
        def efl_register_evidence_types(self, register):
            register(efl.EvidenceType("youth-survey", "Carers survey", ("csv",), parse, shape=shape))

    return Surveys()


def survey_folder(tmp_path):
    return write_files(tmp_path / "a", {
        "assessment.yaml": assessment_yaml("""\
            - id: carers
              type: youth-survey
              file: carers.csv
              date: 2025-03-01
            """, framework="eflg-2014"),
        "carers.csv": "group,respondents\nunpaid carers,120\n"})


def test_parse_returning_its_declared_shape_is_accepted(tmp_path):
    plugin = survey_type(lambda table, item, assessment: Survey(len(table.rows)))
    run_efl("validate", survey_folder(tmp_path), plugins=[("surveys", plugin)]).assert_exit(0)


@pytest.mark.parametrize("parse, words", [
    (lambda table, item, assessment: {"rows": 1}, "returned a dict (expected Survey, the shape type 'youth-survey' "
                                                  "declares)"),
    (lambda table, item, assessment: None, "returned None (expected Survey"),
    (lambda table, item, assessment: (x for x in [1]), "returned a generator (expected the parsed evidence itself; "
                                                       "parse must be a plain function"),
])
def test_parse_returning_the_wrong_type_is_the_plugins_failure(tmp_path, parse, words):
    out = run_efl("validate", survey_folder(tmp_path), plugins=[("surveys", survey_type(parse))]).assert_exit(3)
    assert "plugin 'surveys' failed in efl_register_evidence_types (type 'youth-survey', parse " in out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr


def test_an_async_parse_is_refused_without_a_warning_left_behind(tmp_path):
    async def parse(table, item, assessment):
        return Survey(1)

    out = run_efl("validate", survey_folder(tmp_path), plugins=[("surveys", survey_type(parse, shape=None))])
    out.assert_exit(3)
    assert "returned a coroutine (expected the parsed evidence itself" in out.stderr
    assert "was never awaited" not in out.stderr


def test_a_shape_that_is_not_a_class_is_the_plugins_failure(tmp_path):
    plugin = survey_type(lambda table, item, assessment: Survey(1), shape="Survey")
    out = run_efl("validate", survey_folder(tmp_path), plugins=[("surveys", plugin)]).assert_exit(3)
    assert "type 'youth-survey' declares the shape a str (expected a class, the one parse returns)" in out.stderr


# --- the built-in fact rule says why it cannot compare a value --------------------------------------


def facts_of(values: dict):
    class Figures:
        @efl.hookimpl
        def efl_register_facts(self, register):
            for name in values:
                register(efl.FactSpec(name, name.split(".")[1].replace("_", " ")))

        @efl.hookimpl
        def efl_compute_facts(self, context):
            return [efl.Fact(name, value) for name, value in values.items()]

    return Figures()


@pytest.mark.parametrize("value, rule, words", [
    (["age", "sex", "race"], "at_least: 9",
     "groups: the figure is a list of 3 values (age, sex, race), which cannot be compared with 'at least 9' "
     "(expected a number; the framework's rule does not fit this fact)"),
    ([], "below: 5", "groups: the figure is an empty list, which cannot be compared with 'below 5' (expected a number"),
    ("high", "above: 2", "groups: the figure is text ('high'), which cannot be compared with 'above 2'"),
    (True, "at_most: 1", "groups: the figure is a yes or no (yes), which cannot be compared with 'at most 1'"),
    ({"a": 1}, "at_least: 1", "groups: the figure is a set of 1 named figures, which cannot be compared"),
    (3, "equals: true", "groups: the figure is a number (3), which cannot be compared with 'equal to yes' "
                        "(expected a yes or no"),
    (["x"], "one_of: [x, y]", "groups: the figure is a list of 1 values (x), which cannot be compared with "
                              "'one of x, y' (expected text"),
])
def test_fact_rule_on_a_value_of_the_wrong_kind_says_why(tmp_path, with_framework, value, rule, words):
    host, _ = with_framework(criterion("c1", f"fact: test.groups\n{rule}"), ("figures", facts_of({"test.groups": value})))
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml()})
    result = assess(folder, host).result
    crit = result.areas[0].criteria[0]
    assert crit.outcome == "not_met"
    assert len(crit.reasons) == 1 and crit.reasons[0].startswith(words)


@pytest.mark.parametrize("value, rule, outcome", [
    (9, "at_least: 9", "met"), (8.5, "at_least: 9", "not_met"), ("high", "equals: high", "met"),
    (True, "equals: true", "met"), ("b", "one_of: [a, b]", "met"), ("c", "one_of: [a, b]", "not_met"),
])
def test_fact_rule_on_values_of_the_right_kind_still_compares(tmp_path, with_framework, value, rule, outcome):
    host, _ = with_framework(criterion("c1", f"fact: test.groups\n{rule}"), ("figures", facts_of({"test.groups": value})))
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml()})
    crit = assess(folder, host).result.areas[0].criteria[0]
    assert crit.outcome == outcome and "cannot be compared" not in crit.reasons[0]


# --- one action per criterion ----------------------------------------------------------------------


class Better:
    """A proposer with its own wording for one of Bexley's gaps, and an area-wide action."""

    def __init__(self, name="better"):
        self.name = name

    @efl.hookimpl
    def efl_propose_actions(self, area, result, context):
        gaps = [c for c in result.criteria if c.outcome not in ("met", "not_applicable")]
        if not gaps:
            return None
        return [Action(area=area.id, criterion=gaps[0].id, what=f"{self.name}: {gaps[0].title}.", why="Ours.",
                       owner="Chief executive", priority=1),
                Action(area=area.id, criterion=None, what=f"{self.name}: pair with a mentor council.",
                       why="Peer advice.", owner="Chief executive", priority=9)]


def test_two_proposers_for_one_criterion_give_one_action_the_first_asked():
    plain = run_efl("assess", BEXLEY, "--format", "json").assert_exit(0).json
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("better", Better())]).assert_exit(0).json
    for area in out["areas"]:
        criteria = [a["criterion"] for a in area["actions"] if a["criterion"]]
        assert len(criteria) == len(set(criteria)), area["id"]  # never two actions for one criterion
    ours = [a for a in out["actions"] if a["proposed_by"] == "better"]
    assert ours and all(a["what"].startswith("better: ") for a in ours)
    # Each criterion the built-in proposer had is still planned once, by one of the two.
    assert {a["criterion"] for a in plain["actions"]} <= {a["criterion"] for a in out["actions"]}
    replaced = {a["criterion"] for a in ours if a["criterion"]}
    assert not [a for a in out["actions"] if a["criterion"] in replaced and a["proposed_by"] == "actions"]
    # Area-wide actions (no criterion) are all kept.
    assert sum(1 for a in out["actions"] if a["criterion"] is None and a["proposed_by"] == "better") == \
        sum(1 for a in out["areas"] if any(c["outcome"] not in ("met", "not_applicable") for c in a["criteria"]))


def test_between_two_third_party_proposers_the_first_asked_wins():
    from efl.testing import load_host

    host = load_host([("one", Better("one")), ("two", Better("two"))])
    order = host.implementers("efl_propose_actions")
    assert order[-1] == "actions"  # the built-in proposer is asked last
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=[("one", Better("one")), ("two", Better("two"))])
    first = order[0]
    by_criterion = [a for a in out.assert_exit(0).json["actions"] if a["criterion"] and a["proposed_by"] != "actions"]
    assert by_criterion and {a["proposed_by"] for a in by_criterion} == {first}


# --- plugin-owned fields on evidence items ---------------------------------------------------------

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402


class CensusFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    geography: str = Field(pattern=r"^[EWSN]\d{8}$")   # an ONS area code, E09000004 for Bexley
    release: int = 2021


class Census:
    """A third party's Census evidence type that owns two keys of its items, and a fact that reads one."""

    seen: list = []

    @efl.hookimpl
    def efl_register_evidence_types(self, register):
        def parse(table, item, assessment):
            Census.seen.append(item.fields)
            return {"rows": len(table.rows)}

        register(efl.EvidenceType("census-extract", "Census 2021 extract", ("csv",), parse, fields=CensusFields))

    @efl.hookimpl
    def efl_register_facts(self, register):
        register(efl.FactSpec("census.geography", "the ONS code of the area the extract covers", ("census-extract",),
                              kind="text"))

    @efl.hookimpl
    def efl_compute_facts(self, context):
        return [efl.Fact("census.geography", r.item.fields.geography, [r.item.id])
                for r in context.evidence.items_of("census-extract")[:1]]


def census_folder(tmp_path, keys: str):
    return write_files(tmp_path / "a", {
        "assessment.yaml": assessment_yaml(f"""\
            - id: census
              type: census-extract
              file: census.csv
              date: 2025-03-01
            {keys}""", framework="eflg-2014"),
        "census.csv": "group,residents\nAged 65 and over,41000\n"})


def test_a_field_the_evidence_type_declares_reaches_parse_and_facts(tmp_path):
    Census.seen = []
    folder = census_folder(tmp_path, "  geography: E09000004\n")
    out = run_efl("assess", folder, "--format", "json", plugins=[("census", Census())]).assert_exit(0)
    assert next(f["value"] for f in out.json["facts"] if f["name"] == "census.geography") == "E09000004"
    assert Census.seen == [CensusFields(geography="E09000004", release=2021)]


def test_plugin_fields_are_validated_with_every_error_at_its_line(tmp_path):
    folder = census_folder(tmp_path, "  geography: Bexley\n              release: twenty\n              flavour: red\n")
    out = run_efl("validate", folder, plugins=[("census", Census())]).assert_exit(2)
    shown = str(folder / "assessment.yaml")
    lines = out.stderr.splitlines()
    assert any(line.startswith(f"{shown}:11:16: evidence[0].geography: 'Bexley'") for line in lines), out.stderr
    assert any(line.startswith(f"{shown}:12:14: evidence[0].release: 'twenty'") for line in lines), out.stderr
    assert f"{shown}:13:5: evidence[0]: unknown key 'flavour' (expected one of: id, type," in out.stderr
    assert "type 'census-extract' adds: geography, release" in out.stderr
    assert "3 errors found." in out.stderr and "Traceback" not in out.stderr


def test_a_required_plugin_field_left_out_is_an_error_at_the_item(tmp_path):
    folder = census_folder(tmp_path, "")
    out = run_efl("validate", folder, plugins=[("census", Census())]).assert_exit(2)
    assert re.search(r"assessment\.yaml:\d+:\d+: evidence\[0\]: missing required key 'geography'", out.stderr)


def test_a_key_no_one_declares_is_still_unknown_with_a_hint(tmp_path):
    folder = census_folder(tmp_path, "  geography: E09000004\n              titel: Census\n")
    out = run_efl("validate", folder, plugins=[("census", Census())]).assert_exit(2)
    assert "evidence[0]: unknown key 'titel' (did you mean 'title'?)" in out.stderr
    # The same key on an item of a type that declares no fields (a built-in policy):
    policy = write_files(tmp_path / "b", {"assessment.yaml": assessment_yaml("""\
        - id: pol
          type: policy
          file: p.md
          date: 2025-01-01
          geography: E09000004
        """, framework="eflg-2014"), "p.md": "# Policy\n"})
    out = run_efl("validate", policy, plugins=[("census", Census())]).assert_exit(2)
    assert "evidence[0]: unknown key 'geography' (expected one of: id, type, file, date," in out.stderr


@pytest.mark.parametrize("fields, words", [
    (dict, "declares fields that are not a pydantic model"),
    (type("Clash", (BaseModel,), {"__annotations__": {"date": str}}), "declares the field 'date', which is one of "
                                                                       "efl's own evidence item keys"),
])
def test_fields_that_cannot_work_are_the_plugins_failure(fields, words):
    class Bad:
        @efl.hookimpl
        def efl_register_evidence_types(self, register):
            register(efl.EvidenceType("census-extract", "Census", ("csv",), fields=fields))

    out = run_efl("validate", BEXLEY, plugins=[("bad", Bad())]).assert_exit(3)
    assert "plugin 'bad' failed in efl_register_evidence_types: type 'census-extract' " + words in out.stderr
