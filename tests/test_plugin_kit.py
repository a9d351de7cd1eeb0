"""Plugin authors' view: one test per hook through inline plugins, the switch-off matrix, failures
that name the plugin, the efl.testing kit, and meta-tests that keep hooks, docs and entry points in step."""

from __future__ import annotations

import ast
import json
import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

import efl
import efl.provisional
from efl.core import hookspecs
from efl.core.models import Action, Trace
from efl.testing import CliResult, load_host, make_folder, run_efl

from conftest import EXAMPLES, ROOT, FrameworkFile, assessment_yaml, framework_yaml

HOOKS = [node.name for node in ast.parse(Path(hookspecs.__file__).read_text()).body
         if isinstance(node, ast.FunctionDef) and node.name.startswith("efl_")]
BEXLEY = EXAMPLES / "bexley"


def bexley_json(*args, plugins=()) -> dict:
    return run_efl(*args, "assess", BEXLEY, "--format", "json", plugins=plugins).assert_success().json


# --- one test per hook, each through an inline plugin ---------------------------------------------


class TinyFramework:
    def __init__(self, path):
        self.path = path

    @efl.hookimpl
    def efl_register_frameworks(self, register):
        register(efl.FrameworkSource(self.path))


def test_hook_efl_register_frameworks(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(framework_yaml("""\
        - id: c1
          title: Has a policy
          level: developing
          rule: {evidence: policy}
          action: Write one.
          owner: Equality lead
          source: test
        """, fid="tiny"))
    out = run_efl("frameworks", "--json", plugins=[("tiny", TinyFramework(path))]).assert_success()
    assert {"id": "tiny", "version": "1", "title": "Test framework", "status": "current",
            "plugin": "tiny"} in out.json["frameworks"]


class Semicolons:
    """Reads ``.scsv`` files (semicolon-separated) and adds a type that uses them."""

    @efl.hookimpl
    def efl_register_evidence_formats(self, register):
        register(efl.EvidenceFormat("scsv", (".scsv",), lambda data, shown: data.decode().splitlines()))

    @efl.hookimpl
    def efl_register_evidence_types(self, register):
        def parse(lines, item, assessment):
            bad = [efl.Diagnostic(item.file, n, 1, "a row needs two fields (expected 'name;value')")
                   for n, line in enumerate(lines, 1) if line.count(";") != 1]
            if bad:
                raise efl.EvidenceError(bad)
            return dict(line.split(";") for line in lines)

        register(efl.EvidenceType("budget-lines", "Equality budget lines", ("scsv",), parse))

    @efl.hookimpl
    def efl_register_facts(self, register):
        register(efl.FactSpec("budget.lines", "how many budget lines there are", ("budget-lines",)))

    @efl.hookimpl
    def efl_compute_facts(self, context):
        record = context.evidence.latest("budget-lines")
        return [efl.Fact("budget.lines", len(record.parsed), [record.item.id])] if record else []


def budget_folder(tmp_path, body: str):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml("""\
        - id: c1
          title: Budget
          level: developing
          rule: {fact: budget.lines, at_least: 2}
          action: Add budget lines.
          owner: Finance
          source: test
        """))
    folder = make_folder(tmp_path / "a", {
        "assessment.yaml": assessment_yaml("""\
            - id: budget
              type: budget-lines
              file: budget.scsv
              date: 2025-01-01
            """),
        "budget.scsv": body,
    })
    return folder, [("fw", FrameworkFile(fw)), ("semicolons", Semicolons())]


def test_hook_efl_register_evidence_formats_types_facts_and_compute(tmp_path):
    folder, plugins = budget_folder(tmp_path, "training;100\nramps;2500\n")
    result = run_efl("assess", folder, "--format", "json", plugins=plugins).assert_success().json
    assert result["areas"][0]["level"] == "excellent"
    assert {"name": "budget.lines", "value": 2, "evidence": ["budget"], "plugin": "semicolons"}.items() <= \
        next(f for f in result["facts"] if f["name"] == "budget.lines").items()


def test_evidence_error_from_a_plugin_is_an_input_error(tmp_path):
    folder, plugins = budget_folder(tmp_path, "training;100\nramps\nlifts;1;2\n")
    out = run_efl("validate", folder, plugins=plugins).assert_exit(2)
    assert "budget.scsv:2:1: a row needs two fields (expected 'name;value')" in out.stderr
    assert "budget.scsv:3:1:" in out.stderr and "Traceback" not in out.stderr


class EveryOther:
    """A rule type: met when the given fact is an even number."""

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid")
        even: str

    @efl.hookimpl
    def efl_register_rule_types(self, register):
        def evaluate(rule, ctx):
            value = ctx.facts[rule.options.even].value
            return Trace(rule="even", outcome="met" if value % 2 == 0 else "not_met", reason=f"{value}")

        register(efl.RuleType("even", self.Options, evaluate, summary="met when a fact is even"))


def test_hook_efl_register_rule_types(tmp_path):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml("""\
        - id: c1
          title: Even staff
          level: developing
          rule: {even: council.employees}
          action: Hire one.
          owner: HR
          source: test
        """))
    folder = make_folder(tmp_path / "a", {"assessment.yaml": assessment_yaml(employees=501)})
    plugins = [("fw", FrameworkFile(fw)), ("even", EveryOther())]
    result = run_efl("assess", folder, "--format", "json", plugins=plugins).assert_success().json
    assert result["areas"][0]["criteria"][0]["outcome"] == "not_met"
    # Without the plugin the framework is refused before any evidence is read, at the rule's line.
    out = run_efl("assess", folder, plugins=[("fw", FrameworkFile(fw))]).assert_exit(2)
    assert re.search(r"fw\.yaml:\d+:\d+: no known rule type among the keys 'even'", out.stderr)


class Generous:
    @efl.hookimpl
    def efl_score_area(self, area, criteria, framework, context):
        if area.id == "scw":
            return efl.AreaScore("excellent", "Generous scorer says so.")
        return None  # leave the other areas to the built-in scorer


def test_hook_efl_score_area_first_result_wins_and_none_passes_on():
    plain = {a["id"]: a for a in bexley_json()["areas"]}
    scored = {a["id"]: a for a in bexley_json(plugins=[("generous", Generous())])["areas"]}
    assert plain["scw"]["level"] == "developing" and scored["scw"]["level"] == "excellent"
    assert scored["scw"]["scored_by"] == "generous" and scored["scw"]["summary"] == "Generous scorer says so."
    assert scored["kyc"] == plain["kyc"]  # None handed kyc to the built-in scorer


class Agreed:
    """An overall level decided elsewhere (say, by the council's own scrutiny); None passes on."""

    def __init__(self, level):
        self.level = level

    @efl.hookimpl
    def efl_overall_level(self, framework, areas, context):
        return None if self.level is None else efl.OverallLevel(self.level)


def test_hook_efl_overall_level_first_result_wins_and_none_passes_on():
    assert bexley_json()["overall_level"] == "developing"  # the built-in rule: the lowest area's
    assert bexley_json(plugins=[("agreed", Agreed("achieving"))])["overall_level"] == "achieving"
    assert bexley_json(plugins=[("agreed", Agreed(None))])["overall_level"] == "developing"
    assert load_host([("agreed", Agreed(None))]).implementers("efl_overall_level") == ["agreed", "scorer"]


class Mentor:
    @efl.hookimpl
    def efl_propose_actions(self, area, result, context):
        if area.id != "iyc":
            return None
        return [Action(area=area.id, criterion=None, what="Pair with a mentor council.", why="Peer advice.",
                       owner="Chief executive", priority=9)]


def test_hook_efl_propose_actions_adds_to_the_built_in_ones():
    plain = bexley_json()["actions"]
    more = bexley_json(plugins=[("mentor", Mentor())])["actions"]
    assert len(more) == len(plain) + 1
    added = [a for a in more if a["what"] == "Pair with a mentor council."]
    assert len(added) == 1 and added[0]["proposed_by"] == "mentor" and more[-1] == added[0]  # priority 9: last


class Shout:
    @efl.hookimpl
    def efl_register_report_formats(self, register):
        register(efl.ReportFormat("shout", "council name in capitals", lambda r, o: r.assessment.council.upper()))


def test_hook_efl_register_report_formats():
    out = run_efl("assess", BEXLEY, "--format", "shout", plugins=[("shout", Shout())]).assert_success()
    assert out.output == "LONDON BOROUGH OF BEXLEY"


class CarersFigures:
    """Gives every report a section of figures through efl_report_sections."""

    def __init__(self, key="carers", area="iyc"):
        self.key, self.area = key, area

    @efl.hookimpl
    def efl_report_sections(self, result):
        return [efl.ReportSection(self.key, "Carers <in> the area", ["Carers are 9.1% of residents."],
                                  [efl.ReportTable("Carers by ward", ["Ward", "Carers"], [["North & East", "9.1%"]])],
                                  area=self.area)]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_hook_efl_report_sections_reach_every_paper(fmt):
    out = run_efl("assess", BEXLEY, "--format", fmt, plugins=[("carers-figures", CarersFigures())]).assert_success()
    text = out.output
    assert "Carers are 9.1% of residents." in text and "Carers by ward" in text
    if fmt == "html":
        assert '<h4 id="part-carers">Carers &lt;in&gt; the area</h4>' in text and "<td>9.1%</td>" in text
        assert "North &amp; East" in text
        # Under its own area: after the Involving your communities heading, before the next area's.
        assert text.index(">Involving your communities</h3>") < text.index("Carers by ward") < \
            text.index(">Responsive services and customer care</h3>")
    else:
        assert "| North &amp; East | 9.1% |" in text  # HTML characters as entities, as markdown_escape shows them


def test_hook_efl_report_sections_key_given_twice_names_both_plugins():
    out = run_efl("assess", BEXLEY, "--format", "markdown",
                  plugins=[("one", CarersFigures()), ("two", CarersFigures())]).assert_exit(3)
    assert "section 'carers' is given by both 'one' and 'two'" in out.stderr


def test_hook_efl_report_sections_a_bad_table_is_the_plugins_failure():
    class Ragged:
        @efl.hookimpl
        def efl_report_sections(self, result):
            return [efl.ReportSection("ragged", "Ragged", tables=[efl.ReportTable("T", ["A", "B"], [["1"]])])]

    out = run_efl("assess", BEXLEY, "--format", "html", plugins=[("ragged", Ragged())]).assert_exit(3)
    assert "ragged" in out.stderr and "efl_report_sections" in out.stderr
    assert "row 1 of the table 'T' has 1 cells for 2 column headings" in out.stderr


def test_report_section_refuses_what_formats_cannot_show():
    with pytest.raises(TypeError, match="empty"):
        efl.ReportSection("k", "Heading")
    with pytest.raises(TypeError, match="only text"):
        efl.ReportSection("k", "Heading", [12.0])
    with pytest.raises(TypeError, match="list of text"):
        efl.ReportSection("k", "Heading", "one sentence, not a list")
    with pytest.raises(TypeError, match="caption"):
        efl.ReportTable("", ["A"], [])
    section = efl.ReportSection("k", "Heading", ["A."], [efl.ReportTable("T", ["A"], [["1"]])])
    assert section.sentences == ("A.",) and section.tables[0].rows == (("1",),)


# --- clashes and failures --------------------------------------------------------------------------


def test_report_format_registered_twice_names_both_plugins_blaming_the_second():
    out = run_efl("assess", BEXLEY, "--format", "shout", plugins=[("one", Shout()), ("two", Shout())])
    out.assert_exit(3)
    assert out.stderr.startswith("plugin 'two' failed in efl_register_report_formats: the report format 'shout' "
                                 "is already provided by 'one'")


def test_framework_id_provided_twice_names_both(tmp_path):
    path = tmp_path / "again.yaml"
    path.write_text((ROOT / "frameworks" / "eflg-2014.yaml").read_text())
    out = run_efl("frameworks", plugins=[("again", FrameworkFile(path))]).assert_exit(3)
    assert "'eflg-2014'" in out.stderr and "'frameworks'" in out.stderr and "'again'" in out.stderr


class RaisesAtRegistration:
    @efl.hookimpl
    def efl_register_rule_types(self, register):
        raise RuntimeError("no options model")


def test_traceback_only_when_asked():
    plain = run_efl("assess", BEXLEY, plugins=[("fragile", RaisesAtRegistration())]).assert_exit(3)
    assert plain.stderr.strip() == ("plugin 'fragile' failed in efl_register_rule_types: "
                                    "RuntimeError: no options model")
    full = run_efl("--traceback", "assess", BEXLEY, plugins=[("fragile", RaisesAtRegistration())]).assert_exit(3)
    assert "Traceback (most recent call last)" in full.stderr and "raise RuntimeError" in full.stderr


def test_plugin_failing_at_import_is_named(tmp_path, monkeypatch):
    """A real installed distribution whose plugin module raises on import."""
    site = tmp_path / "site"
    dist = site / "efl_broken-0.3.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: efl-broken\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text("[efl]\nbroken = efl_broken_mod\n")
    (site / "efl_broken_mod.py").write_text("raise ImportError('needs numpy')\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("EFL_DISABLE_PLUGIN_AUTOLOAD")
    out = run_efl("plugins").assert_exit(3)
    assert out.stderr.strip() == "plugin 'broken' failed in import: ImportError: needs numpy"
    # Switched off, it is listed as disabled with its distribution and version, and nothing fails.
    listed = {p["name"]: p for p in run_efl("-p", "no:broken", "plugins", "--json").assert_success().json}
    assert listed["broken"] == {"name": "broken", "distribution": "efl-broken", "version": "0.3",
                                "builtin": False, "status": "disabled", "hooks": [], "problems": []}


# --- the switch-off matrix -------------------------------------------------------------------------


def statuses(*args, env=None) -> dict[str, str]:
    out = run_efl(*args, "plugins", "--json", env=env).assert_success()
    return {p["name"]: p["status"] for p in out.json}


def test_switch_off_matrix(monkeypatch):
    monkeypatch.delenv("EFL_DISABLE_PLUGIN_AUTOLOAD", raising=False)  # this test sets it itself
    every = statuses()
    assert set(every.values()) == {"loaded"} and {"rules", "formats", "workforce", "reports"} <= set(every)
    # One off.
    one_off = statuses("-p", "no:workforce")
    assert one_off["workforce"] == "disabled" and sum(s == "disabled" for s in one_off.values()) == 1
    # Off in the environment, on again with -p.
    env = {"EFL_DISABLE_PLUGINS": "workforce,services"}
    assert statuses(env=env)["services"] == "disabled"
    again = statuses("-p", "workforce", env=env)
    assert again["workforce"] == "loaded" and again["services"] == "disabled"
    # Autoload off, by flag or by environment: third-party plugins stay off unless named with -p;
    # every built-in one still loads (as pytest's -p no:... and PYTEST_DISABLE_PLUGIN_AUTOLOAD).
    builtin = {p["name"] for p in run_efl("plugins", "--json").json if p["builtin"]}
    assert "carers" in every and "carers" not in builtin  # the tutorial plugin, installed third-party
    third = [("third", Generous())]
    off = run_efl("--no-plugin-autoload", "plugins", "--json", plugins=third).assert_success().json
    assert {p["name"] for p in off if p["status"] == "loaded"} == builtin | {"third"}
    assert {p["name"]: p["status"] for p in off}["carers"] == "disabled"
    by_env = statuses("-p", "no:reports", env={"EFL_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert by_env["reports"] == "disabled" and by_env["workforce"] == "loaded"
    # Essential ones refused, an unknown name reported: both usage errors.
    for name in ("formats", "rules", "scorer"):
        refused = run_efl("-p", f"no:{name}", "plugins").assert_exit(2)
        assert f"'{name}' is essential and cannot be switched off" in refused.stderr
    unknown = run_efl("-p", "no:nonesuch", "plugins").assert_exit(2)
    assert "no plugin called 'nonesuch'" in unknown.stderr


def fake_distribution(tmp_path, monkeypatch, name: str, module_source: str) -> None:
    """Install a real (if tiny) third-party distribution with one efl plugin on sys.path."""
    site = tmp_path / "site"
    dist = site / f"efl_{name}-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: efl-{name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[efl]\n{name} = efl_{name}_mod\n")
    (site / f"efl_{name}_mod.py").write_text(module_source)
    monkeypatch.syspath_prepend(str(site))


SCORE_EVERYTHING_EXCELLENT = """\
import efl

@efl.hookimpl
def efl_score_area(area, criteria, framework, context):
    return efl.AreaScore(framework.levels[-1].id, "third-party scorer")
"""


def test_autoload_off_keeps_the_built_ins_and_stops_third_party_ones(tmp_path, monkeypatch):
    fake_distribution(tmp_path, monkeypatch, "lenient", SCORE_EVERYTHING_EXCELLENT)
    monkeypatch.delenv("EFL_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    with_it = bexley_json()
    assert {a["scored_by"] for a in with_it["areas"]} == {"lenient"}
    without = bexley_json("--no-plugin-autoload")
    assert {a["scored_by"] for a in without["areas"]} == {"scorer"}
    assert "lenient" not in {p["name"] for p in without["plugins"]}
    named = bexley_json("--no-plugin-autoload", "-p", "lenient")
    assert {a["scored_by"] for a in named["areas"]} == {"lenient"}


# --- the efl.testing kit itself --------------------------------------------------------------------


def test_make_folder_writes_text_bytes_and_yaml(tmp_path):
    root = make_folder(tmp_path / "f", {
        "a/notes.md": """\
            # Title
              indented
            """,
        "raw.bin": b"\xff\x00",
        "assessment.yaml": {"council": {"name": "X", "employees": 12}, "evidence": [{"id": "e1"}]},
    })
    assert (root / "a" / "notes.md").read_text() == "# Title\n  indented\n"
    assert (root / "raw.bin").read_bytes() == b"\xff\x00"
    assert (root / "assessment.yaml").read_text() == "council:\n  name: X\n  employees: 12\nevidence:\n- id: e1\n"


def test_cli_result_helpers_explain_failures():
    bad = run_efl("assess", "/nonexistent/folder")
    with pytest.raises(AssertionError, match=r"exited 2, expected 0[\s\S]*--- stderr"):
        bad.assert_success()
    with pytest.raises(AssertionError, match="did not print JSON"):
        CliResult(["x"], 0, "not json", "").json
    assert run_efl("--version").assert_success().output.startswith("efl, version ")


def test_load_host_registers_inline_plugins():
    host = load_host([("shout", Shout())])
    assert "shout" in host.report_formats().items
    assert {i.name for i in host.loaded()} >= {"shout", "rules"}


def test_fixtures_are_provided_to_pytest(efl_folder, efl_run):
    folder = efl_folder({"assessment.yaml": "council: {name: X}\n"})
    out = efl_run("validate", folder).assert_exit(2)
    assert f"{folder / 'assessment.yaml'}:1:1: missing required key 'date'" in out.stderr


# --- meta-tests ------------------------------------------------------------------------------------


def test_every_hook_has_a_test_here():
    source = Path(__file__).read_text()
    untested = [h for h in HOOKS if f"def {h}(" not in source]
    assert not untested, f"hooks with no inline-plugin test in this file: {untested}"


def test_every_hook_is_in_the_reference_in_pipeline_order():
    guide = (ROOT / "docs" / "plugins.md").read_text()
    documented = re.findall(r"^### (efl_\w+)$", guide, flags=re.MULTILINE)
    assert documented == HOOKS
    for hook in HOOKS:
        assert getattr(hookspecs, hook).__doc__.strip(), hook


def test_every_built_in_module_is_reached_through_installed_entry_points():
    import efl_plugins

    package = Path(efl_plugins.__file__).parent
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    ours = {ep.name: ep.value for ep in entry_points(group="efl") if ep.dist and ep.dist.name == "efl"}
    assert {v.removeprefix("efl_plugins.") for v in ours.values()} == modules
    host = load_host()
    loaded = {i.name: i for i in host.loaded()}
    for name in ours:
        assert loaded[name].builtin and loaded[name].distribution == "efl"
        assert loaded[name].hooks, f"built-in plugin {name} implements no hook"


def test_plugins_table_lists_distribution_version_and_status():
    out = run_efl("-p", "no:services", "plugins").assert_success().output
    row = next(line for line in out.splitlines() if line.startswith("services "))
    assert re.search(r"services\s+efl\s+\S+\s+yes\s+disabled", row)
    json.loads(run_efl("plugins", "--json").output)


# --- the typed host, the engine's catalogues and one level ranking --------------------------------


def test_every_hook_has_one_typed_method_on_the_host():
    from efl.core.plugin_host import PluginHost

    for hook in HOOKS:
        method = hook.removeprefix("efl_").removeprefix("register_")
        assert callable(getattr(PluginHost, method, None)), f"PluginHost has no method {method}() for {hook}"


def test_first_result_semantics_come_from_the_spec():
    """Two scorers both answer; only the first is used because the spec says firstresult, and two
    action proposers both answer and both are kept because that spec does not."""
    host = load_host([("generous", Generous()), ("mentor", Mentor())])
    assert getattr(hookspecs.efl_score_area, "efl_spec")["firstresult"] is True
    assert getattr(hookspecs.efl_propose_actions, "efl_spec")["firstresult"] is False
    assert host.implementers("efl_score_area")[0] == "generous"  # the built-in scorer is trylast
    assert host.implementers("efl_score_area")[-1] == "scorer"
    assert "mentor" in host.implementers("efl_propose_actions") and "actions" in host.implementers("efl_propose_actions")


def test_an_engine_indexes_and_compiles_each_framework_once():
    from efl.core.engine import Engine

    engine = Engine(load_host())
    first = engine.frameworks.load("eflg-2014")
    assert engine.frameworks.load("eflg-2014") is first
    assert engine.assess(BEXLEY).result.framework.sha256 == first.sha256
    assert engine.frameworks.load("eflg-2014") is first  # assessing reused it
    assert not hasattr(engine.host, "cache")  # the host is not a bag for the engine's data
    walks = engine.crosswalks.listed()
    assert {"id": "eflg-2014--eflg-2021", "from": "eflg-2014", "to": "eflg-2021", "plugin": "frameworks"} in walks


def test_one_level_ranking_everywhere():
    """Framework and the copy a result keeps rank levels the same way; nothing else ranks them."""
    from efl.core.engine import Engine, is_below

    engine = Engine(load_host())
    framework = engine.frameworks.load("eflg-2014").framework
    result = engine.assess(BEXLEY).result
    ids = framework.level_ids()
    assert [framework.level_rank(x) for x in [None, *ids, "no-such-level"]] == [0, 1, 2, 3, 0]
    assert [result.framework.level_rank(x) for x in [None, *ids]] == [0, 1, 2, 3]
    assert [framework.level_at(r) for r in range(4)] == [None, *ids]
    # Bexley is at Developing overall: below Achieving, not below Developing.
    assert result.overall_level == "developing" and is_below(result, "achieving")
    assert not is_below(result, "developing")
    assert not is_below(result.model_copy(update={"overall_level": "achieving"}), "achieving")
    assert is_below(result.model_copy(update={"overall_level": "achieving"}), "excellent")
    # No module re-implements the order (a dict of level ranks, or an index into the level ids).
    pattern = re.compile(r"i \+ 1 for i, \w+ in enumerate\([^)]*levels\)|\.index\([^)]*level[^)]*\) \+ 1")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in [*(ROOT / "efl").glob("*.py"), *(ROOT / "plugins").glob("*.py")]
                 if p.name != "models.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


@pytest.mark.parametrize("word", ["Achieving", "achieving", "ACHIEVING", "achieving "])
def test_fail_under_takes_the_level_as_efl_prints_it_in_any_case(word):
    out = run_efl("assess", BEXLEY, "--fail-under", word).assert_exit(1)
    assert "is below Achieving" in out.stderr


class Tally:
    """A report format that can also show comparisons (efl compare --format tally)."""

    @efl.hookimpl
    def efl_register_report_formats(self, register):
        def compare(comparison, options):
            assert isinstance(comparison, efl.Comparison)
            return f"{len(comparison.areas)} areas compared\n" + efl.provisional.comparison_text(comparison, "json")[:1]

        register(efl.ReportFormat("tally", "counts", lambda r, o: f"{len(r.areas)} areas\n", ".tally", compare=compare))


def test_a_plugin_can_add_a_comparison_format(tmp_path):
    saved = tmp_path / "b.json"
    run_efl("assess", BEXLEY, "-o", saved).assert_success()
    out = run_efl("compare", saved, BEXLEY, "--format", "tally", plugins=[("tally", Tally())]).assert_success()
    assert out.output == "5 areas compared\n{"
    # The file ending chooses it too, as for reports.
    target = tmp_path / "c.tally"
    run_efl("compare", saved, BEXLEY, "-o", target, plugins=[("tally", Tally())]).assert_success()
    assert target.read_text() == "5 areas compared\n{"
    # A report format without a compare renderer is not offered for comparisons.
    refused = run_efl("compare", saved, BEXLEY, "--format", "csv").assert_exit(2)
    assert "unknown comparison format 'csv' (expected one of: html, json, markdown, table)" in refused.stderr
