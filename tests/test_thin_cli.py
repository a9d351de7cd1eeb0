"""The thin CLI: one list of exit codes (each code one meaning, in every command), one place that
wraps a command body, option rules in the modules that own them, and ``--format`` help from the
plugins' registry."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import efl
from efl.errors import ExitCode, UsageError
from efl.peer.compare_request import CompareRequest
from efl.testing import run_efl

from conftest import EXAMPLES, ROOT

CLI = ROOT / "efl" / "cli.py"


def test_every_exit_code_is_distinct_and_public():
    assert efl.ExitCode is ExitCode
    codes = {code.name: int(code) for code in ExitCode}
    assert codes == {"OK": 0, "BELOW_LEVEL": 1, "INPUT": 2, "PLUGIN": 3, "PACK_CHANGED": 4, "INTERRUPTED": 130}
    assert len(set(codes.values())) == len(codes)
    assert ExitCode.for_signal(15) == 143 and ExitCode.for_signal(1) == 129 and ExitCode.for_signal(2) == 130


@pytest.mark.parametrize("codes, expected", [
    ([], 0), ([0, 0], 0), ([0, 2], 2), ([2, 0, 3, 2], 3), ([3], 3), ([0, 1], 2),
])
def test_many_folders_come_to_one_code(codes, expected):
    # A plugin failure anywhere outranks bad input anywhere; below --fail-under is not a batch outcome.
    assert ExitCode.combined(codes) == expected


def test_the_readme_table_lists_every_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Exit codes (the same in every command", 1)[1].split("\n\n", 2)[1]
    rows = {line.split("|")[2].strip(" `"): int(line.split("|")[1].strip(" *")) for line in table.splitlines()[2:]}
    assert rows == {code.name: int(code) for code in ExitCode}


def test_below_fail_under_and_a_changed_pack_exit_differently(tmp_path):
    below = run_efl("assess", EXAMPLES / "london-councils", "--fail-under", "Achieving")
    assert below.exit_code == ExitCode.BELOW_LEVEL == 1
    folder = tmp_path / "bexley"
    shutil.copytree(EXAMPLES / "bexley", folder)
    pack = tmp_path / "pack.zip"
    run_efl("pack", folder, "-o", pack).assert_success()
    import zipfile

    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(edited, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("assessment.yaml"):
                data = data.replace(b"Bexley", b"Bexlee", 1)
            out.writestr(info, data)
    changed = run_efl("verify", edited)
    assert changed.exit_code == ExitCode.PACK_CHANGED == 4, changed.stderr
    assert "changed since it was packed" in changed.stderr


def test_the_installed_command_exits_with_the_same_codes(tmp_path):
    efl_command = Path(sys.executable).with_name("efl")
    done = subprocess.run([str(efl_command), "assess", str(EXAMPLES / "london-councils"), "--fail-under",
                           "Achieving"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    missing = subprocess.run([str(efl_command), "verify", str(tmp_path / "none.zip")], capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


# --- one guard, and a plugin failure is exit 3 in one place -------------------------------------------

def test_the_command_body_guard_is_written_once():
    tree = ast.parse(CLI.read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "id", None) == "run_guarded"]
    assert len(calls) == 1  # inside guarded(), which every command uses
    commands = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                and any("command" in ast.unparse(d) for d in node.decorator_list)]
    assert len(commands) >= 14
    for node in commands:
        assert "guarded" in [ast.unparse(d) for d in node.decorator_list], node.name
        assert not [n for n in ast.walk(node) if isinstance(n, ast.FunctionDef) and n.name == "body"], node.name


def test_exit_codes_are_named_not_written_as_numbers_in_the_cli_and_batch():
    for path in (CLI, ROOT / "efl" / "core" / "batch.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "Summary"):
                numbers = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, int)
                           and not isinstance(n.value, bool)]
                assert numbers == [], f"{path.name}:{node.lineno}: {ast.unparse(node)}"
        assert "EXIT_" not in path.read_text(encoding="utf-8")


class _BrokenFacts:
    @efl.hookimpl
    def efl_compute_facts(self, context):
        raise RuntimeError("the carers' file is not there")


def test_a_plugin_failure_is_exit_3_for_one_folder_and_for_many(tmp_path):
    one = run_efl("assess", EXAMPLES / "bexley", plugins=[("carers-facts", _BrokenFacts())])
    assert one.exit_code == ExitCode.PLUGIN, one.stderr
    assert "plugin 'carers-facts' failed in efl_compute_facts" in one.stderr
    many = run_efl("assess", EXAMPLES / "bexley", EXAMPLES / "london-councils", "-j", "1",
                   plugins=[("carers-facts", _BrokenFacts())])
    assert many.exit_code == ExitCode.PLUGIN, many.stderr
    assert "2 of 2 folders had problems" in many.stderr


# --- compare's rules live in the peer code -------------------------------------------------------

@pytest.mark.parametrize("request_, message", [
    (CompareRequest((Path("a"),)), "compare takes two inputs, got 1"),
    (CompareRequest((Path("a"), Path("b")), trend=True, across=True), "--trend and --across cannot be used together"),
    (CompareRequest((Path("a"), Path("b")), min_group=3), "go with --across"),
    (CompareRequest((Path("a"), Path("b")), noise_key=Path("k")), "go with --across"),
    (CompareRequest((Path("a"), Path("b")), trend=True, different_councils=True), "--different-councils goes with two"),
    (CompareRequest((Path("a"),), across=True, summary_only=True, show_councils=True), "cannot be used together"),
])
def test_compare_options_are_checked_by_the_peer_code(request_, message):
    with pytest.raises(UsageError, match=message):
        request_.check()


def test_good_compare_options_pass_the_check():
    CompareRequest((Path("a"), Path("b"))).check()
    CompareRequest((Path("a"),), trend=True).check()
    CompareRequest((Path("a"), Path("b"), Path("c")), across=True, min_group=5, show_councils=True).check()


def test_the_cli_reports_the_peer_codes_rule():
    out = run_efl("compare", EXAMPLES / "bexley", EXAMPLES / "london-councils", "--min-group", "3")
    assert out.exit_code == 2 and "go with --across" in out.stderr


# --- --format and its help come from the registry ------------------------------------------------

class _Forum:
    @efl.hookimpl
    def efl_register_report_formats(self, register):
        register(efl.ReportFormat("carers-sheet", "A sheet for the carers' forum", lambda result, options: "carers\n",
                                  extension=".carers"))


@pytest.mark.parametrize("command", ["assess", "report"])
def test_format_help_lists_a_plugins_format(command):
    out = run_efl(command, "--help", plugins=[("forum", _Forum())]).assert_success()
    help_text = " ".join(out.output.split()).split("--format FORMAT", 1)[1].split(" --", 1)[0]
    assert "carers-sheet" in help_text and "table" in help_text and "json" in help_text


def test_format_help_of_compare_and_progress_lists_only_formats_that_can_show_them():
    compare = " ".join(run_efl("compare", "--help", plugins=[("forum", _Forum())]).assert_success().output.split())
    assert "carers-sheet" in " ".join(run_efl("assess", "--help", plugins=[("forum", _Forum())]).output.split())
    progress = _format_help("progress")
    assert "carers-sheet" not in compare and "markdown" in compare
    assert "docx" in progress and "rag" not in progress


def _format_help(*args: str) -> str:
    text = " ".join(run_efl(*args, "--help").assert_success().output.split())
    return text.split("--format FORMAT", 1)[1].split(" --", 1)[0]


def test_format_help_follows_a_switched_off_plugin():
    assert "xlsx" in _format_help("assess")
    assert "xlsx" not in _format_help("-p", "no:xlsx", "assess") and "docx" in _format_help("-p", "no:xlsx", "assess")


def test_a_plugins_format_is_chosen_by_its_ending(tmp_path):
    out = run_efl("assess", EXAMPLES / "bexley", "-o", tmp_path / "forum.carers", plugins=[("forum", _Forum())])
    assert out.exit_code == 0, out.stderr
    assert (tmp_path / "forum.carers").read_text(encoding="utf-8") == "carers\n"


# --- assess's rules live beside the engine --------------------------------------------------------

@pytest.mark.parametrize("options, message", [
    (dict(plan=Path("plan.xlsx")), "--plan is for one folder"),
    (dict(target_level="next"), "are for one folder"),
    (dict(assume=("council.employees=300",)), "are for one folder"),
    (dict(output=Path("r.html")), "use --output-dir"),
    (dict(fail_under="achieving"), "--fail-under"),
])
def test_one_folder_options_are_refused_for_many(options, message):
    from efl.core.assess_options import AssessOptions

    with pytest.raises(UsageError, match=message):
        AssessOptions(**options).check_many()


def test_assess_options_become_the_engines_run_options():
    from efl.core.assess_options import AssessOptions

    AssessOptions().check_many()
    with pytest.raises(UsageError, match="--area goes with --target"):
        AssessOptions(target_area="kyc").run_options()
    with pytest.raises(UsageError, match="cannot be used with --assume"):
        AssessOptions(plan=Path("plan.xlsx"), assume=("council.employees=300",)).run_options()
    options = AssessOptions(target_level="next", target_area="kyc").run_options()
    assert (options.target.level, options.target.area, options.assumptions) == ("next", "kyc", ())
