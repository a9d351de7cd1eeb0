"""README's two commands: one environment to use efl, another (with the tutorial plugin) to test it."""

from __future__ import annotations

import re
import subprocess


from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)[:2]


def test_the_first_environment_never_gets_the_tutorial_plugin():
    use, test = COMMANDS
    assert "example-plugin" not in use and "example-plugin" in test
    venv_use = re.match(r"python3 -m venv (\S+) && \. \1/bin/activate", use).group(1)
    venv_test = re.match(r"python3 -m venv (\S+) && \. \1/bin/activate", test).group(1)
    assert venv_use != venv_test


def test_ci_runs_the_readme_test_command_exactly():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any(line.startswith(COMMANDS[1]) for line in ci.splitlines())


def test_the_environments_and_build_leftovers_are_ignored_by_git():
    paths = [".venv/bin/python", ".venv-test/bin/python", "build/lib/efl/cli.py", "efl.egg-info/PKG-INFO",
             "docs/example-plugin/build/lib/efl_carers/__init__.py",
             "docs/example-plugin/src/efl_carers.egg-info/PKG-INFO"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True)
    assert sorted(done.stdout.split()) == sorted(paths)


def test_no_build_leftovers_are_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert [p for p in tracked.splitlines() if "/build/" in f"/{p}" or ".egg-info/" in p] == []
