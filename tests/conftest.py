"""Shared helpers for efl's own tests.

Core tests run with efl's built-in plugins only: a third-party plugin installed in the same
environment (a scorer, say) must not change what they see. Tests of plugin loading itself clear
the switch where they need to.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import efl
from efl.core.plugin_host import load_plugins
from efl.testing import make_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "assessments"

write_files = make_folder  # the name many tests here use


@pytest.fixture(autouse=True)
def builtin_plugins_only(monkeypatch):
    monkeypatch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")


class FrameworkFile:
    """An inline plugin that provides one framework file."""

    def __init__(self, path: Path):
        self.path = path

    @efl.hookimpl
    def efl_register_frameworks(self, register):
        register(efl.FrameworkSource(self.path))


def framework_yaml(criteria: str, fid: str = "test-fw") -> str:
    """A one-area framework with the given (already indented) criteria list."""
    return textwrap.dedent("""\
        id: {fid}
        version: "1"
        title: Test framework
        levels:
          - id: developing
            title: Developing
          - id: achieving
            title: Achieving
          - id: excellent
            title: Excellent
        areas:
          - id: area
            title: The area
            criteria:
        """).format(fid=fid) + textwrap.indent(textwrap.dedent(criteria), "      ")


@pytest.fixture
def host():
    return load_plugins()


@pytest.fixture
def with_framework(tmp_path):
    """Return a function that writes a framework file and a host that knows it."""

    def make(criteria: str, *extra):
        path = tmp_path / "fw" / "test-fw.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(framework_yaml(criteria), encoding="utf-8")
        return load_plugins(extra=[("test-framework", FrameworkFile(path)), *extra]), path

    return make


def assessment_yaml(evidence: str = "", date: str = "2025-06-30", extra: str = "", framework: str = "test-fw",
                    employees: int | None = 500) -> str:
    emp = f"\n  employees: {employees}" if employees is not None else ""
    return (f"framework: {framework}\ncouncil:\n  name: Testshire Council{emp}\ndate: {date}\n{extra}"
            f"evidence:\n" + (textwrap.indent(textwrap.dedent(evidence), "  ") if evidence else "  []\n"))


def install(tmp_path, name: str, source: str) -> dict[str, str]:
    """A real third-party distribution on PYTHONPATH; returns the environment to run efl with it."""
    site = tmp_path / "site"
    dist = site / f"efl_{name}-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: efl-{name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[efl]\n{name} = efl_{name}_mod\n")
    (site / f"efl_{name}_mod.py").write_text(textwrap.dedent(source))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    env.pop("EFL_DISABLE_PLUGIN_AUTOLOAD", None)
    return env


def efl_process(env, *args, timeout=60):
    return subprocess.run([sys.executable, "-m", "efl", *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=timeout)
