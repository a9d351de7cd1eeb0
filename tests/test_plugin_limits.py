"""Plugins that clash with others or hang (issue 27): the newcomer is named, a hang is stopped.

The cases run the real ``efl`` command with the plugin installed as a real distribution (found
through its entry point), as a council's IT team would install a third party's plugin.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

import efl
from efl.core import time_limit as limits
from efl.core.plugin_host import blame
from efl.errors import PluginError
from efl.testing import run_efl

from conftest import EXAMPLES, efl_process, install

BEXLEY = EXAMPLES / "bexley"
HARROW = EXAMPLES / "harrow"


# --- clashes: the plugin that arrived second is named, never a built-in ---------------------------

# Each a third-party plugin offering a name a built-in already has. The plugin names sort both before
# and after the built-in's, so that the order plugins happen to be called in cannot decide who is blamed.
CLASHES = {
    "evidence type": ("""\
        import efl

        @efl.hookimpl
        def efl_register_evidence_types(register):
            register(efl.EvidenceType("community-profile", "Census 2021 profile", ("csv",)))
        """, "the evidence type 'community-profile' is already provided by 'communities'"),
    "framework id": ("""\
        import pathlib
        import efl

        HERE = pathlib.Path(__file__).parent

        @efl.hookimpl
        def efl_register_frameworks(register):
            path = HERE / "mine.yaml"
            path.write_text("id: eflg-2014\\nversion: '9'\\ntitle: Mine\\n")
            register(efl.FrameworkSource(path))
        """, "the framework id 'eflg-2014' is already provided by 'frameworks' in eflg-2014.yaml"),
    "rule type": ("""\
        import efl
        from pydantic import BaseModel

        class Options(BaseModel):
            name: str

        @efl.hookimpl
        def efl_register_rule_types(register):
            register(efl.RuleType("fact", Options, lambda rule, ctx: None))
        """, "the rule type 'fact' is already provided by 'rules'"),
    "report format": ("""\
        import efl

        @efl.hookimpl
        def efl_register_report_formats(register):
            register(efl.ReportFormat("markdown", "Markdown, mine", lambda result, options: "x"))
        """, "the report format 'markdown' is already provided by 'markdown'"),
    "evidence format": ("""\
        import efl

        @efl.hookimpl
        def efl_register_evidence_formats(register):
            register(efl.EvidenceFormat("spreadsheet", (".CSV",), lambda data, shown: data))
        """, "the file ending '.csv' is already provided by 'formats' (its format 'csv')"),
}


# 'aaa_census' is called before every built-in (the case that used to blame the built-in).
@pytest.mark.parametrize("kind, name", [*((kind, "aaa_census") for kind in CLASHES), ("evidence type", "zzz_census")])
def test_a_clash_with_a_built_in_names_the_newcomer(tmp_path, kind, name):
    source, words = CLASHES[kind]
    env = install(tmp_path, name, source)
    out = efl_process(env, "assess", BEXLEY, "--format", "json")
    assert out.returncode == 3, out.stderr
    assert out.stderr.startswith(f"plugin '{name}' failed in efl_register_"), out.stderr
    assert words in out.stderr
    assert f"switch it off with -p no:{name}" in out.stderr
    assert "-p no:rules" not in out.stderr and "-p no:NAME" not in out.stderr
    assert out.stdout == "" and "Traceback" not in out.stderr


def test_the_advice_after_a_clash_works(tmp_path):
    env = install(tmp_path, "aaa_census", CLASHES["evidence type"][0])
    assert efl_process(env, "-p", "no:aaa_census", "assess", BEXLEY, "--format", "json").returncode == 0


def test_two_third_party_plugins_clash_the_later_loaded_is_named(tmp_path):
    source = """\
        import efl

        @efl.hookimpl
        def efl_register_evidence_types(register):
            register(efl.EvidenceType("carers-survey", "Carers survey"))
        """
    install(tmp_path, "bbb", source)
    env = install(tmp_path, "aaa", source)
    out = efl_process(env, "validate", BEXLEY)
    assert out.returncode == 3
    assert "plugin 'bbb' failed" in out.stderr and "already provided by 'aaa'" in out.stderr


def test_an_inline_plugin_clash_names_the_inline_plugin():
    class Again:
        @efl.hookimpl
        def efl_register_evidence_types(self, register):
            register(efl.EvidenceType("workforce-profile", "Mine"))

    out = run_efl("validate", BEXLEY, plugins=[("again", Again())]).assert_exit(3)
    assert "plugin 'again' failed in efl_register_evidence_types" in out.stderr
    assert "already provided by 'workforce'" in out.stderr


# --- the per-hook time limit -----------------------------------------------------------------------

HANGS = """\
    import time
    import efl

    @efl.hookimpl
    def efl_register_facts(register):
        register(efl.FactSpec("stuck.value", "a fact that never comes"))

    @efl.hookimpl
    def efl_compute_facts(context):
        if "Bexley" not in context.assessment.council.name:
            return []
        while True:  # swallows even a timeout it can catch as an Exception
            try:
                time.sleep(60)
            except Exception:
                pass
    """


def test_a_hook_that_hangs_is_stopped_and_named_within_the_limit(tmp_path):
    env = install(tmp_path, "stuck", HANGS)
    env["EFL_HOOK_TIMEOUT"] = "1.5"
    began = time.monotonic()
    out = efl_process(env, "assess", BEXLEY, "--format", "json", timeout=60)
    took = time.monotonic() - began
    assert out.returncode == 3, out.stderr
    assert ("plugin 'stuck' failed in efl_compute_facts: did not finish within 1.5 seconds, so efl stopped it"
            in out.stderr)
    assert "EFL_HOOK_TIMEOUT" in out.stderr and "-p no:stuck" in out.stderr and "Traceback" not in out.stderr
    assert took < 1.5 + 20  # start-up on a busy machine, but nowhere near for ever
    result = json.loads(out.stdout)  # the rest of the assessment still came out, marked incomplete
    assert result["incomplete"] is True and result["failures"][0]["plugin"] == "stuck"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hang_in_one_folder_of_a_batch_fails_that_folder_only(tmp_path, jobs):
    env = install(tmp_path, "stuck", HANGS)
    env["EFL_HOOK_TIMEOUT"] = "1"
    out_dir = tmp_path / "reports"
    out = efl_process(env, "assess", BEXLEY, HARROW, "-j", jobs, "--summary", "json", "--output-dir", out_dir,
                      timeout=90)
    assert out.returncode == 3, out.stderr
    rows = {os.path.basename(r["folder"]): r for r in json.loads(out.stdout)}
    assert rows["harrow"]["exit_code"] == 0 and rows["harrow"]["overall_title"]
    bexley = rows["bexley"]
    assert bexley["exit_code"] == 3 and bexley["incomplete"] is True
    assert bexley["overall"] is None and bexley["levels"] == {}  # no level shown on part of the evidence
    assert "plugin 'stuck' failed in efl_compute_facts: did not finish within 1 second," in bexley["errors"][0]
    # Nothing half-written is left beside the reports (each written whole, or not at all).
    assert sorted(p.name for p in out_dir.iterdir()) == ["bexley.json", "harrow.json"]


def test_the_batch_table_marks_an_incomplete_folder_without_a_level(tmp_path):
    env = install(tmp_path, "stuck", HANGS)
    env["EFL_HOOK_TIMEOUT"] = "1"
    out = efl_process(env, "assess", BEXLEY, HARROW, "-j", "1", timeout=90)
    assert out.returncode == 3
    bexley = next(line for line in out.stdout.splitlines() if "Bexley" in line)
    assert "incomplete: a plugin failed" in bexley
    assert not any(level in bexley for level in ("Developing", "Achieving", "Excellent"))
    assert "2 folders: 1 not yet at Developing, 1 incomplete because a plugin failed." in out.stdout


@pytest.mark.parametrize("value", ["soon", "-5", "nan", "1e400"])
def test_a_time_limit_that_is_not_a_number_of_seconds_is_a_usage_error(value, monkeypatch):
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", value)
    out = run_efl("validate", BEXLEY).assert_exit(2)
    assert f"EFL_HOOK_TIMEOUT={value!r} is not a number of seconds" in out.stderr


@pytest.mark.parametrize("value, seconds", [("0", None), ("off", None), (" 2.5 ", 2.5), ("600", 600.0)])
def test_time_limit_values(value, seconds):
    assert limits.parse_seconds(value) == seconds


def test_the_default_limit_is_generous(monkeypatch):
    monkeypatch.delenv("EFL_HOOK_TIMEOUT", raising=False)
    assert limits.hook_seconds() == limits.DEFAULT_SECONDS >= 300


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_nested_calls_name_the_call_that_was_running(monkeypatch):
    """A slow rule type inside the built-in 'all': the inner one is named, the outer one passes it on."""
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "0.3")
    with pytest.raises(PluginError) as caught:
        with blame("rules", "rule 'all'"):
            with blame("slow", "rule 'slow'"):
                _spin(5)
    assert caught.value.plugin == "slow" and "0.3 seconds" in caught.value.message
    # An outer call that used up its time after an inner one finished is the one named.
    with pytest.raises(PluginError) as caught:
        with blame("outer", "efl_compute_facts"):
            with blame("inner", "parse"):
                pass
            _spin(5)
    assert caught.value.plugin == "outer"
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)  # handler put back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)          # and no timer left running


def test_a_hook_that_finishes_in_time_leaves_no_timer(monkeypatch):
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "5")
    with blame("quick", "efl_compute_facts"):
        value = sum(range(10))
    assert value == 45 and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_limit_outside_the_main_thread(monkeypatch):
    """A thread cannot take SIGALRM: efl used from one runs plugin code without a limit, not with an error."""
    import threading

    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "0.1")
    seen = []

    def work():
        with limits.time_limit() as depth:
            time.sleep(0.3)
            seen.append(depth)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [None]


def test_no_worker_is_left_behind_after_a_hang(tmp_path):
    if shutil.which("pgrep") is None:
        pytest.skip("pgrep is not installed")
    env = install(tmp_path, "stuck", HANGS)
    env["EFL_HOOK_TIMEOUT"] = "1"
    # The output folder puts this test's own path on the command line of efl and of its workers.
    out = efl_process(env, "assess", BEXLEY, HARROW, "-j", "2", "--summary", "json", "--output-dir",
                      tmp_path / "reports", timeout=90)
    assert out.returncode == 3

    left = subprocess.run(["pgrep", "-f", f"{tmp_path}"], capture_output=True, text=True).stdout.split()
    assert [pid for pid in left if int(pid) != os.getpid()] == []


def test_a_plugin_that_hangs_while_it_is_imported_is_stopped_too(tmp_path):
    env = install(tmp_path, "slowstart", """\
        import time
        while True:
            time.sleep(60)
        """)
    env["EFL_HOOK_TIMEOUT"] = "1"
    out = efl_process(env, "validate", BEXLEY, timeout=60)
    assert out.returncode == 3
    assert "plugin 'slowstart' failed in import: did not finish within 1 second," in out.stderr
