"""The plugin boundary: plugins import only ``efl``'s public names and ``efl.testing``, every public
name is real at run time and documented, and each hook's reference entry matches its signature."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import efl
from efl.core import hookspecs, plugin_api

from conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-plugin"
PLUGIN_SOURCES = sorted((ROOT / "plugins").rglob("*.py")) + sorted((EXAMPLE / "src").rglob("*.py")) + \
    sorted((EXAMPLE / "tests").rglob("*.py"))
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
PUBLIC = set(efl.__all__)


def private_uses(source: str) -> list[str]:
    """Every way a module reaches past efl's public API: imports of efl submodules (but efl.testing),
    names that are not public, and ``efl.something`` attributes that are not public names."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("efl.") and a.name != "efl.testing"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "efl":
                found += [f"line {node.lineno}: from efl import {a.name}" for a in node.names if a.name not in PUBLIC]
            elif node.module.startswith("efl.") and node.module != "efl.testing":
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "efl":
            if node.attr not in PUBLIC:
                found.append(f"line {node.lineno}: efl.{node.attr}")
    return found


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_public_api(path):
    assert private_uses(path.read_text(encoding="utf-8")) == []


def test_the_checker_catches_each_kind_of_private_use():
    source = ("import efl\nimport efl.core.models\nfrom efl.files.evidence import Column\nfrom efl import Trace, _secret\n"
              "from efl.testing import run_efl\nx = efl.core.models.Trace\ny = efl.Fact\n")
    assert private_uses(source) == ["line 2: import efl.core.models", "line 3: from efl.files.evidence import ...",
                                    "line 4: from efl import _secret", "line 6: efl.core"]


def test_every_public_name_exists_at_run_time_in_a_fresh_interpreter():
    """Not a TYPE_CHECKING re-export: each name imports from efl and from efl.core.plugin_api in a new process,
    and ``import efl`` alone loads none of the heavy modules (so ``efl --help`` stays fast)."""
    code = ("import sys, efl\nheavy = [m for m in ('pydantic', 'ruamel.yaml', 'efl.core.models') if m in sys.modules]\n"
            "import efl.core.plugin_api as api\n"
            "missing = [n for n in efl.__all__ if getattr(efl, n, None) is None]\n"
            "missing += [n for n in api.__all__ if getattr(api, n) is not getattr(efl, n)]\n"
            "from efl import Trace, Action, Rule, RuleContext, Table, Column, read_records, DiagnosticSink\n"
            "from efl.core.plugin_api import Action as A2\n"
            "print(heavy, missing, A2 is Action)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] [] True"


def test_the_names_plugins_need_are_public():
    needed = {"Trace", "Action", "Rule", "RuleContext", "Table", "Column", "read_records", "DiagnosticSink",
              "Diagnostic", "EvidenceError", "CHARACTERISTICS", "characteristic_label", "parse_duration",
              "next_anniversary", "EvidenceSet", "EvidenceRecord", "Result", "hookimpl", "is_recorded"}
    assert needed <= PUBLIC
    assert efl.Trace.__module__ == "efl.core.models" and efl.Column.__module__ == "efl.files.evidence"
    with pytest.raises(AttributeError):
        efl.not_a_name  # noqa: B018


def test_every_public_name_is_documented_in_the_guide():
    section = GUIDE.split("## The public API", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`(\w+)[`(]", section))
    assert sorted(PUBLIC - {"__version__"} - documented) == []


# --- the hook reference matches the hook specs (as datasette checks its docs) ----------------------

HOOKS = {name: getattr(hookspecs, name) for name in dir(hookspecs) if name.startswith("efl_")}


def reference_entries() -> dict[str, str]:
    """The signature line under each ``### efl_...`` heading of the hook reference."""
    reference = GUIDE.split("## Hook reference", 1)[1]
    return dict(re.findall(r"^### (efl_\w+)\n\n`(efl_\w+\([^`]*\)[^`]*)`", reference, flags=re.MULTILINE))


def test_each_hook_reference_entry_has_the_real_parameter_names():
    entries = reference_entries()
    assert sorted(entries) == sorted(HOOKS)
    for name, line in entries.items():
        documented = re.findall(r"(\w+):", line.split("(", 1)[1].rsplit(")", 1)[0])
        assert documented == list(inspect.signature(HOOKS[name]).parameters), name
        assert line.startswith(f"{name}(")
        spec_returns = inspect.signature(HOOKS[name]).return_annotation
        assert line.rsplit("-> ", 1)[1] == str(spec_returns), name


def test_first_result_hooks_say_so_in_spec_and_reference():
    reference = GUIDE.split("## Hook reference", 1)[1]
    for name, spec in HOOKS.items():
        first = bool(getattr(spec, "efl_spec")["firstresult"])
        entry = reference.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        assert first == ("Stops at the first non-`None` result" in entry), name
        assert first == ("Stops at the first non-``None`` result" in spec.__doc__), name
