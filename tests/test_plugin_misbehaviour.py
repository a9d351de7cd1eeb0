"""Misbehaving plugins (issue 17): each case a plugin that breaks its contract in one way.

Every case checks the exit code (3 for a plugin failure), that the message names the plugin and the
hook, and that no Python traceback is shown. Cases about the process itself (what reaches standard
output, sys.exit, Ctrl-C) run the real ``efl`` command in a subprocess with the plugin installed as
a real distribution, found through its entry point.
"""

from __future__ import annotations

import html
import json
import math
import os
import subprocess
import sys
import textwrap

import pytest
from pydantic import BaseModel, ConfigDict, field_validator

import efl
from efl.testing import make_folder, run_efl

from conftest import EXAMPLES, FrameworkFile, assessment_yaml, efl_process, framework_yaml, install

BEXLEY = EXAMPLES / "bexley"


def failed(out, plugin: str, hook: str, code: int = 3) -> str:
    """Assert the run failed with ``code``, naming ``plugin`` and ``hook``, without a traceback."""
    out.assert_exit(code)
    assert f"plugin '{plugin}' failed in {hook}" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr + out.output
    assert out.exception is None or isinstance(out.exception, SystemExit)
    return out.stderr


def facts_plugin(returns):
    """A plugin declaring ``odd.value`` and returning ``returns(Fact)`` from efl_compute_facts."""

    class Odd:
        @efl.hookimpl
        def efl_register_facts(self, register):
            register(efl.FactSpec("odd.value", "a fact with an odd value"))

        @efl.hookimpl
        def efl_compute_facts(self, context):
            return returns(efl.Fact)

    return [("odd", Odd())]


# --- facts: the declared return type, and values that are not numbers -----------------------------


@pytest.mark.parametrize("returns, words", [
    (lambda Fact: Fact("odd.value", 1), "returned a Fact (expected list[Fact] | None)"),
    (lambda Fact: 42, "returned 42 (expected list[Fact] | None)"),
    (lambda Fact: [{"name": "odd.value", "value": 1}], "returned a list holding dict (expected list[Fact] | None)"),
    (lambda Fact: "odd.value", "returned a str (expected list[Fact] | None)"),
    (lambda Fact: (Fact("odd.value", 1),), "returned a tuple holding Fact (expected list[Fact] | None)"),
], ids=["one-fact", "int", "list-of-dicts", "text", "tuple"])
def test_fact_hook_returning_the_wrong_type(returns, words):
    stderr = failed(run_efl("assess", BEXLEY, plugins=facts_plugin(returns)), "odd", "efl_compute_facts")
    assert words in stderr


@pytest.mark.parametrize("value, words", [
    (math.nan, "has the value nan (expected a finite number"),
    (math.inf, "has the value inf (expected a finite number"),
    (-math.inf, "has the value -inf"),
    ({"nested": [1.0, math.nan]}, "has the value nan"),
    (object(), "has a value of type object (expected a number, text"),
], ids=["nan", "inf", "minus-inf", "nested-nan", "object"])
def test_fact_values_that_are_not_json_are_refused_not_read_as_not_met(value, words, tmp_path):
    out = run_efl("assess", BEXLEY, "--format", "json", plugins=facts_plugin(lambda Fact: [Fact("odd.value", value)]))
    stderr = failed(out, "odd", "efl_compute_facts")
    assert f"fact 'odd.value' {words}" in stderr
    # The result is still printed, marked incomplete, and the bad fact is not in it as None.
    result = out.json
    assert result["incomplete"] is True
    assert result["failures"] == [{"plugin": "odd", "hook": "efl_compute_facts", "message": stderr.split(": ", 1)[1]
                                   .strip()}]
    assert "odd.value" not in {f["name"] for f in result["facts"]}


def test_fact_evidence_must_be_ids():
    out = run_efl("assess", BEXLEY, plugins=facts_plugin(lambda Fact: [Fact("odd.value", 1, evidence=[1, 2])]))
    assert "fact 'odd.value' has evidence a list holding int (expected a list of evidence ids)" in \
        failed(out, "odd", "efl_compute_facts")


def test_the_same_fact_twice_from_one_plugin():
    out = run_efl("assess", BEXLEY, plugins=facts_plugin(lambda Fact: [Fact("odd.value", 1), Fact("odd.value", 2)]))
    assert "computed fact 'odd.value' twice" in failed(out, "odd", "efl_compute_facts")


# --- scoring and actions ----------------------------------------------------------------------------


class Scorer:
    def __init__(self, returns):
        self.returns = returns

    @efl.hookimpl
    def efl_score_area(self, area, criteria, framework, context):
        return self.returns()


@pytest.mark.parametrize("returns, words", [
    (lambda: "excellent", "returned a str (expected AreaScore | None)"),
    (lambda: efl.AreaScore("platinum"), "returned the level 'platinum' (expected one of the framework's level ids"),
    (lambda: 1 / 0, "ZeroDivisionError: division by zero"),
], ids=["text", "unknown-level", "raises"])
def test_scorer_misbehaving(returns, words):
    assert words in failed(run_efl("assess", BEXLEY, plugins=[("harsh", Scorer(returns))]), "harsh", "efl_score_area")


class Proposer:
    def __init__(self, returns):
        self.returns = returns

    @efl.hookimpl
    def efl_propose_actions(self, area, result, context):
        return self.returns(area)


@pytest.mark.parametrize("returns, words", [
    (lambda area: {"what": "Do more."}, "returned a dict (expected list[Action] | None)"),
    (lambda area: [{"area": area.id, "what": "Do more."}], "returned a list holding dict (expected list[Action]"),
    (lambda area: efl.Action(area=area.id, what="x", why="y", owner="z", priority=1),
     "returned a Action (expected list[Action] | None)"),
], ids=["dict", "list-of-dicts", "one-action"])
def test_action_proposer_returning_the_wrong_type(returns, words):
    out = run_efl("assess", BEXLEY, plugins=[("eager", Proposer(returns))])
    assert words in failed(out, "eager", "efl_propose_actions")


# --- rule types -------------------------------------------------------------------------------------


class BoomOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    boom: str

    @field_validator("boom")
    @classmethod
    def _check(cls, value):
        if value == "type-error":
            raise TypeError("validator bug")
        if value == "exit":
            raise SystemExit(0)
        if value == "bad":
            raise ValueError("'bad' is not allowed here (expected 'ok')")
        return value


class Boom:
    """A rule type whose evaluate() does what the rule's option says."""

    @efl.hookimpl
    def efl_register_rule_types(self, register):
        def evaluate(rule, ctx):
            how = rule.options.boom
            if how == "raise":
                raise KeyError("missing")
            if how == "none":
                return None
            if how == "dict":
                return {"outcome": "met"}
            if how == "exit":
                sys.exit(0)
            return efl.Trace(rule="boom", outcome="met", reason="fine")

        register(efl.RuleType("boom", BoomOptions, evaluate))


def boom_folder(tmp_path, how: str):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml(f"""\
        - id: c1
          title: Boom
          level: developing
          rule: {{boom: {how}}}
          action: Fix it.
          owner: HR
          source: test
        """))
    folder = make_folder(tmp_path / "a", {"assessment.yaml": assessment_yaml()})
    return folder, [("fw", FrameworkFile(fw)), ("boom", Boom())]


@pytest.mark.parametrize("how, words", [
    ("raise", "KeyError: 'missing'"),
    ("none", "returned None (expected an efl.Trace)"),
    ("dict", "returned a dict (expected an efl.Trace)"),
], ids=["raises", "returns-none", "returns-dict"])
def test_rule_type_evaluate_misbehaving(tmp_path, how, words):
    folder, plugins = boom_folder(tmp_path, how)
    stderr = failed(run_efl("assess", folder, plugins=plugins), "boom",
                    "efl_register_rule_types (rule type 'boom', evaluate)")
    assert words in stderr


@pytest.mark.parametrize("how, words", [
    ("type-error", "TypeError: validator bug"),
], ids=["validator-type-error"])
def test_rule_options_validator_raising_other_than_value_error_is_the_plugins(tmp_path, how, words):
    folder, plugins = boom_folder(tmp_path, how)
    stderr = failed(run_efl("validate", folder, plugins=plugins), "boom",
                    "efl_register_rule_types (rule type 'boom', options)")
    assert words in stderr


def test_rule_options_validator_value_error_is_a_mistake_in_the_framework_file(tmp_path):
    folder, plugins = boom_folder(tmp_path, "bad")
    out = run_efl("validate", folder, plugins=plugins).assert_exit(2)
    assert "fw.yaml:" in out.stderr and "'bad' is not allowed here (expected 'ok')" in out.stderr
    assert "plugin 'boom'" not in out.stderr and "Traceback" not in out.stderr


# --- registration and rendering -------------------------------------------------------------------


class ReturnsAList:
    @efl.hookimpl
    def efl_register_report_formats(self, register):
        return [efl.ReportFormat("list", "returned, not registered", lambda r, o: "")]


def test_registration_hook_returning_instead_of_calling_register():
    out = run_efl("assess", BEXLEY, plugins=[("lister", ReturnsAList())])
    assert "returned a list holding ReportFormat (expected None)" in failed(out, "lister", "efl_register_report_formats")


class Renderer:
    def __init__(self, render):
        self.render = render

    @efl.hookimpl
    def efl_register_report_formats(self, register):
        register(efl.ReportFormat("odd", "misbehaves", self.render))


@pytest.mark.parametrize("render, words", [
    (lambda r, o: None, "returned None (expected the report as text, or bytes"),
    (lambda r, o: ["line one", "line two"], "returned a list holding str (expected the report as text"),
    (lambda r, o: r.no_such_field, "AttributeError"),
], ids=["none", "list-of-lines", "raises"])
def test_renderer_misbehaving(render, words):
    out = run_efl("assess", BEXLEY, "--format", "odd", plugins=[("oddfmt", Renderer(render))])
    assert words in failed(out, "oddfmt", "efl_register_report_formats (format 'odd', render)")
    assert out.output == ""


class BadReader:
    @efl.hookimpl
    def efl_register_evidence_formats(self, register):
        register(efl.EvidenceFormat("weird", (".weird",), lambda data, shown: 1 / 0))


def test_evidence_format_load_raising_is_named(tmp_path):
    folder = make_folder(tmp_path / "a", {
        "assessment.yaml": assessment_yaml("""\
            - id: w
              type: policy
              file: x.weird
              date: 2025-01-01
            """, framework="eflg-2014"),
        "x.weird": "?"})
    out = run_efl("validate", folder, plugins=[("weird", BadReader())])
    assert "ZeroDivisionError" in failed(out, "weird", "efl_register_evidence_formats (format 'weird', load")


# --- misspelt hooks, marked or not ------------------------------------------------------------------


class MisspeltUnmarked:
    def efl_compute_fact(self, context):  # no @efl.hookimpl, and one letter short
        return []


class MisspeltMarked:
    @efl.hookimpl
    def efl_score_areas(self, area, criteria, framework, context):
        return None


@pytest.mark.parametrize("plugin, hook, suggestion", [
    (MisspeltUnmarked(), "efl_compute_fact", "efl_compute_facts"),
    (MisspeltMarked(), "efl_score_areas", "efl_score_area"),
], ids=["unmarked", "marked"])
def test_misspelt_hook_is_reported_and_plugins_still_lists_everything(plugin, hook, suggestion):
    out = run_efl("assess", BEXLEY, plugins=[("typo", plugin)])
    assert f"'{hook}' is not an efl hook (did you mean '{suggestion}'?)" in failed(out, "typo", hook)
    listed = run_efl("plugins", "--json", plugins=[("typo", plugin)]).assert_success().json
    by_name = {p["name"]: p for p in listed}
    assert {"rules", "workforce", "reports", "typo"} <= set(by_name)
    assert by_name["typo"]["problems"] and hook in by_name["typo"]["problems"][0]
    assert by_name["rules"]["problems"] == []
    table = run_efl("plugins", plugins=[("typo", plugin)]).assert_success().output
    assert "problem" in table and f"'{hook}' is not an efl hook" in table and "workforce" in table


def test_unmarked_correctly_named_hook_is_used_as_pytest_does():
    class Unmarked:
        def efl_score_area(self, area, criteria, framework, context):
            return efl.AreaScore(None, "unmarked scorer")

    result = run_efl("assess", BEXLEY, "--format", "json", plugins=[("plain", Unmarked())]).assert_success().json
    assert {a["scored_by"] for a in result["areas"]} == {"plain"}


# --- switched off -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_actions_switched_off_reports_say_no_plan_was_produced(fmt):
    out = run_efl("-p", "no:actions", "assess", BEXLEY, "--format", fmt).assert_success().output
    assert "every area is at the highest level" not in out
    assert "No action plan was produced, because no plugin that proposes actions was switched on" in out
    json_out = run_efl("-p", "no:actions", "assess", BEXLEY, "--format", "json").assert_success().json
    assert json_out["action_plan"] is False and json_out["actions"] == []


def test_scorer_cannot_be_switched_off_and_nobody_is_blamed():
    out = run_efl("-p", "no:scorer", "assess", BEXLEY).assert_exit(2)
    assert "'scorer' is essential and cannot be switched off" in out.stderr
    assert "(none)" not in out.stderr and "Traceback" not in out.stderr


# --- a result written despite a failure is marked incomplete everywhere ---------------------------


def broken_facts():
    class Broken:
        @efl.hookimpl
        def efl_register_facts(self, register):
            register(efl.FactSpec("broken.value", "never computed"))

        @efl.hookimpl
        def efl_compute_facts(self, context):
            raise RuntimeError("database is down")

    return [("broken", Broken())]


def test_incomplete_result_is_marked_in_every_format_and_warned_on_later(tmp_path):
    saved = tmp_path / "r.json"
    out = run_efl("assess", BEXLEY, "-o", saved, plugins=broken_facts())
    failed(out, "broken", "efl_compute_facts")
    data = json.loads(saved.read_text())
    assert data["incomplete"] is True
    assert data["failures"] == [{"plugin": "broken", "hook": "efl_compute_facts",
                                 "message": "RuntimeError: database is down"}]
    expected = "incomplete: plugin 'broken' failed in efl_compute_facts (RuntimeError: database is down)"
    for fmt in ("table", "markdown", "html", "csv"):
        shown = run_efl("report", saved, "--format", fmt).assert_success()
        shown_as = {"markdown": expected.replace("_", "\\_"), "html": html.escape(expected)}.get(fmt, expected)
        assert shown_as in shown.output, fmt
        assert f"{saved}: warning: this result is incomplete: it was saved although 'broken' in " \
               "efl_compute_facts failed" in shown.stderr
    csv_header = run_efl("report", saved, "--format", "csv").output.splitlines()[0]
    assert csv_header.endswith('"Incomplete result"')
    compared = run_efl("compare", saved, BEXLEY).assert_success()
    assert f"{saved}: warning: this result is incomplete" in compared.stderr
    # A complete result carries no mark.
    clean = run_efl("assess", BEXLEY, "--format", "json").assert_success().json
    assert clean["incomplete"] is False and clean["failures"] == []


def test_many_folder_run_reports_the_failing_folder_and_assesses_the_others(tmp_path):
    class CrashesForOne:
        @efl.hookimpl
        def efl_score_area(self, area, criteria, framework, context):
            if context.assessment.council.name.startswith("Crash"):
                raise RuntimeError("cannot score this council")
            return None

    root = tmp_path / "region"
    for name in ("a-good", "b-crash", "c-good"):
        council = "Crashton" if "crash" in name else f"{name} Council"
        make_folder(root / name, {"assessment.yaml": (BEXLEY / "assessment.yaml").read_text()
                                  .replace("London Borough of Bexley", council)})
        for path in BEXLEY.rglob("*"):
            if path.is_file() and path.name != "assessment.yaml":
                target = root / name / path.relative_to(BEXLEY)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    out = run_efl("assess", root, "--summary", "json", plugins=[("fussy", CrashesForOne())])
    out.assert_exit(3)
    summary = {s["folder"].rsplit("/", 1)[1]: s for s in out.json}
    assert summary["a-good"]["exit_code"] == 0 and summary["c-good"]["exit_code"] == 0
    assert summary["a-good"]["overall_title"] and len(summary["c-good"]["levels"]) == 5
    assert summary["b-crash"]["exit_code"] == 3
    assert "plugin 'fussy' failed in efl_score_area: RuntimeError: cannot score this council" in \
        summary["b-crash"]["errors"][0]
    assert "b-crash" in out.stderr and "Traceback" not in out.stderr


# --- process behaviour, with the plugin installed as a real distribution -------------------------


CHATTY = """\
    import efl
    print("chatty plugin imported")

    @efl.hookimpl
    def efl_register_facts(register):
        print("registering facts")
        register(efl.FactSpec("chatty.count", "how many evidence items"))

    @efl.hookimpl
    def efl_compute_facts(context):
        print("computing facts for", context.assessment.council.name)
        return [efl.Fact("chatty.count", len(list(context.evidence)))]
    """


def test_plugin_printing_does_not_corrupt_json_output(tmp_path):
    env = install(tmp_path, "chatty", CHATTY)
    out = efl_process(env, "assess", BEXLEY, "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)  # the whole of standard output is the JSON
    assert next(f for f in result["facts"] if f["name"] == "chatty.count")["plugin"] == "chatty"
    assert "computing facts for London Borough of Bexley" in out.stderr
    assert "chatty plugin imported" in out.stderr


@pytest.mark.parametrize("where", ["efl_compute_facts", "efl_score_area"])
def test_sys_exit_zero_inside_a_hook_is_a_failure_not_a_clean_exit(tmp_path, where):
    args = "context" if where == "efl_compute_facts" else "area, criteria, framework, context"
    env = install(tmp_path, "quitter", f"""\
        import sys
        import efl

        @efl.hookimpl
        def {where}({args}):
            sys.exit(0)
        """)
    out = efl_process(env, "assess", BEXLEY, "--format", "json")
    assert out.returncode == 3, out.stderr
    assert f"plugin 'quitter' failed in {where}: called sys.exit(0)" in out.stderr
    assert "Traceback" not in out.stderr
    if where == "efl_score_area":
        assert out.stdout == ""  # the assessment stopped: no report
    else:
        assert json.loads(out.stdout)["incomplete"] is True


def test_system_exit_while_importing_a_plugin_is_named(tmp_path):
    env = install(tmp_path, "early", "raise SystemExit('bye')\n")
    out = efl_process(env, "plugins")
    assert out.returncode == 3
    assert "plugin 'early' failed in import: called sys.exit('bye')" in out.stderr and "Traceback" not in out.stderr


def test_keyboard_interrupt_inside_a_hook_stays_an_interrupt(tmp_path):
    env = install(tmp_path, "impatient", """\
        import efl

        @efl.hookimpl
        def efl_compute_facts(context):
            raise KeyboardInterrupt
        """)
    out = efl_process(env, "assess", BEXLEY)
    assert out.returncode == 130
    assert "interrupted" in out.stderr and "Traceback" not in out.stderr


def test_crashing_rule_type_in_a_real_process_exits_3(tmp_path):
    folder, _ = boom_folder(tmp_path, "raise")
    env = install(tmp_path, "boomer", f"""\
        import efl
        from pathlib import Path
        from pydantic import BaseModel, ConfigDict

        class Options(BaseModel):
            model_config = ConfigDict(extra="forbid")
            boom: str

        def evaluate(rule, ctx):
            raise RuntimeError("kaboom")

        @efl.hookimpl
        def efl_register_rule_types(register):
            register(efl.RuleType("boom", Options, evaluate))

        @efl.hookimpl
        def efl_register_frameworks(register):
            register(efl.FrameworkSource(Path({str(tmp_path / "fw.yaml")!r})))
        """)
    out = efl_process(env, "assess", folder)
    assert out.returncode == 3
    assert "plugin 'boomer' failed in efl_register_rule_types (rule type 'boom', evaluate): RuntimeError: kaboom" \
        in out.stderr
    assert "Traceback" not in out.stderr


def test_no_plugin_autoload_still_assesses_with_the_built_ins(tmp_path):
    env = install(tmp_path, "lenient", """\
        import efl

        @efl.hookimpl
        def efl_score_area(area, criteria, framework, context):
            return efl.AreaScore(framework.levels[-1].id, "everyone is excellent")
        """)
    out = efl_process(env, "--no-plugin-autoload", "assess", BEXLEY, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert {a["scored_by"] for a in json.loads(out.stdout)["areas"]} == {"scorer"}


# --- what a plugin registers is checked against the hook's spec -----------------------------------


class WrongThing:
    @efl.hookimpl
    def efl_register_rule_types(self, register):
        register(efl.ReportFormat("even", "a report format, in the rule type registry", lambda r, o: ""))


class Nameless:
    @efl.hookimpl
    def efl_register_report_formats(self, register):
        register({"name": "dicty", "render": None})


@pytest.mark.parametrize("plugin, hook, words", [
    (WrongThing(), "efl_register_rule_types", "registered a ReportFormat (expected an efl.RuleType)"),
    (Nameless(), "efl_register_report_formats", "registered a dict (expected an efl.ReportFormat)"),
], ids=["wrong-type", "dict"])
def test_registering_the_wrong_kind_of_thing(plugin, hook, words):
    assert words in failed(run_efl("assess", BEXLEY, plugins=[("odd", plugin)]), "odd", hook)


def test_scorer_summary_that_is_not_text():
    out = run_efl("assess", BEXLEY, plugins=[("terse", Scorer(lambda: efl.AreaScore(None, summary=["no"])))])
    assert "returned an AreaScore whose summary is a list holding str (expected a sentence of text)" in \
        failed(out, "terse", "efl_score_area")


@pytest.mark.parametrize("value, stored", [
    (__import__("datetime").date(2025, 3, 31), "2025-03-31"),
    (__import__("decimal").Decimal("12.34567"), 12.34567),  # at full precision
    (__import__("fractions").Fraction(1, 3), 1 / 3),
    (__import__("fractions").Fraction(1, 4), 0.25),
], ids=["date", "decimal", "third", "fraction"])
def test_fact_values_with_an_obvious_json_form_are_kept(value, stored):
    result = run_efl("assess", BEXLEY, "--format", "json",
                     plugins=facts_plugin(lambda Fact: [Fact("odd.value", value)])).assert_success().json
    assert next(f for f in result["facts"] if f["name"] == "odd.value")["value"] == stored


class BadMessage(Exception):
    def __str__(self):
        raise RuntimeError("no text")


@pytest.mark.parametrize("error, words", [
    (ValueError("first line\nsecond line\r\nthird"), "ValueError: first line second line third"),
    (BadMessage(), "BadMessage: (its message could not be shown)"),
], ids=["multi-line", "broken-str"])
def test_a_failure_is_one_line_whatever_the_exception_says(error, words):
    def raises(Fact):
        raise error

    out = run_efl("assess", BEXLEY, plugins=facts_plugin(raises))
    stderr = failed(out, "odd", "efl_compute_facts")
    assert f"plugin 'odd' failed in efl_compute_facts: {words}\n" in stderr
    assert "problems found" not in stderr
