"""The layout's promises: ``efl/`` has no import cycle, and the core names no built-in plugin's
evidence types or facts (what it needs from plugins is declared through the public API), so
switching off any optional built-in plugin leaves a working efl."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import import_graph
import pytest

from efl.core.plugin_host import ESSENTIAL
from efl.testing import load_host

from conftest import ROOT

# --- no import cycle ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return import_graph.build(ROOT, "efl")


def test_efl_has_no_import_cycle(graph):
    found = [import_graph.describe(graph, cycle) for cycle in import_graph.cycles(graph)]
    assert found == [], "import cycles in efl/ (break each: move what both sides need into a lower module):\n" + \
        "\n".join(found)


def test_the_graph_sees_every_kind_of_import(graph):
    edges = graph.edges
    assert "efl.core.hookspecs" in edges["efl"]                          # module level
    assert "efl.core.models" in edges["efl"]                             # inside a function
    assert "efl.provisional" in edges["efl"]                             # import_module("efl.provisional")
    assert "efl.core.models" in edges["efl.core.hookspecs"]              # under if TYPE_CHECKING:
    assert "efl.peer.withheld" in edges["efl.core.engine"]
    assert "efl.peer.pack" not in edges["efl.core.engine"]               # the engine does not depend on packing


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_the_checker_names_a_cycle_made_of_deferred_and_type_only_imports(tmp_path):
    root = _package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "def f():\n    from pkg.b import thing\n",
        "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import c\n",
        "pkg/c.py": "from . import a\n",
        "pkg/d.py": "import pkg.a\n",
    })
    graph = import_graph.build(root, "pkg")
    assert import_graph.cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert import_graph.describe(graph, ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]) == \
        "pkg.a -> pkg.b (pkg/a.py:2) -> pkg.c (pkg/b.py:3) -> pkg.a (pkg/c.py:1)"


def test_the_checker_passes_a_layered_package(tmp_path):
    root = _package(tmp_path, {
        "pkg/__init__.py": "from pkg.b import x\n",
        "pkg/a.py": "X = 1\n",
        "pkg/b.py": "from pkg.a import X\nx = X\n",
    })
    assert import_graph.cycles(import_graph.build(root, "pkg")) == []


# --- the core names no built-in plugin's evidence types or facts -----------------------------------

def _builtin_names() -> tuple[set[str], set[str]]:
    """The evidence types and facts the installed built-in plugins register, read from the plugins."""
    host = load_host(autoload=False)
    builtin = {info.name for info in host.all_infos() if info.builtin}
    types = {name for name, owner in host.evidence_types().owner.items() if owner in builtin}
    facts = {name for name, owner in host.facts().owner.items() if owner in builtin}
    return types, facts


EVIDENCE_TYPES, FACTS = _builtin_names()
# A fact's first part names its plugin's area (workforce, council...): a string such as "workforce.groups"
# looks like a fact to anyone reading the core, even when it is a module path.
FACT_PREFIXES = {name.split(".")[0] for name in FACTS}
CORE_SOURCES = [p for p in sorted((ROOT / "efl").rglob("*.py")) if p != ROOT / "efl" / "scaffold.py"]


def named_builtins(source: str, types: set[str], facts: set[str], prefixes: set[str]) -> list[str]:
    """Where ``source`` names a built-in evidence type or fact, or writes a string that looks like a fact.

    A name with a hyphen or a dot (``workforce-profile``, ``workforce.employees``) counts wherever it is
    written, comments and docstrings included; a one-word name (``policy``, ``governance``, also plain
    English) only as a whole string.
    """
    found = []
    marked = sorted((n for n in types | facts if "-" in n or "." in n), key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w.-])(?:{'|'.join(map(re.escape, marked))})(?![\w-]|\.\w)")
    for match in pattern.finditer(source):
        found.append(f"line {source.count(chr(10), 0, match.start()) + 1}: {match.group()}")
    words = {n for n in types | facts if "-" not in n and "." not in n}
    looks_like_fact = re.compile(rf"^(?:{'|'.join(map(re.escape, sorted(prefixes)))})\.[a-z_][\w.]*$")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in words:
                found.append(f"line {node.lineno}: {node.value!r}")
            elif looks_like_fact.match(node.value) and node.value not in facts:
                found.append(f"line {node.lineno}: {node.value!r} (looks like a fact)")
    return sorted(set(found), key=lambda s: int(s.split(":")[0].split()[1]))


def test_the_names_come_from_the_installed_plugins():
    assert {"workforce-profile", "community-profile", "equality-objectives", "committee-paper"} <= EVIDENCE_TYPES
    assert {"workforce.employees", "council.employees"} <= FACTS
    assert any(name.startswith("workforce.pay_gap") for name in FACTS)


@pytest.mark.parametrize("path", CORE_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_names_no_builtin_evidence_type_or_fact(path):
    assert named_builtins(path.read_text(encoding="utf-8"), EVIDENCE_TYPES, FACTS, FACT_PREFIXES) == []


def test_the_name_check_catches_each_way_of_naming_a_builtin():
    source = textwrap.dedent('''\
        """Reads the workforce-profile."""
        HEADCOUNT = "workforce.employees"
        KIND = "policy"
        MODULE = "workforce.groups"
        # plain words are fine: the council's policy and its governance
        x = employees.workforce_profile
        from efl.workforce import groups
        ''')
    assert named_builtins(source, {"workforce-profile", "policy"}, {"workforce.employees"}, {"workforce"}) == [
        "line 1: workforce-profile", "line 2: workforce.employees", "line 3: 'policy'",
        "line 4: 'workforce.groups' (looks like a fact)"]


def test_the_scaffold_template_is_the_one_place_that_names_them():
    # efl init writes a folder a council fills in: it must use the built-in types by name.
    scaffold = (ROOT / "efl" / "scaffold.py").read_text(encoding="utf-8")
    assert named_builtins(scaffold, EVIDENCE_TYPES, FACTS, FACT_PREFIXES) != []


# --- any optional built-in plugin can be switched off ----------------------------------------------

OPTIONAL = sorted({info.name for info in load_host(autoload=False).all_infos() if info.builtin} - ESSENTIAL)
EXAMPLE_FOLDERS = sorted(p.parent for p in (ROOT / "assessments").glob("*/assessment.yaml"))


def _format_without(plugin: str) -> str:
    """A --format the remaining plugins still provide (the table comes from 'reports')."""
    host = load_host(autoload=False)
    return "markdown" if host.report_formats().owner.get("table") == plugin else "table"


def _stand_in(plugin: str) -> list:
    # The framework files come from the 'frameworks' plugin: switched off, another plugin must offer a
    # framework (here the same files, as a council's own distribution of them would).
    if plugin == "frameworks":
        import efl_plugins.frameworks

        return [("our-frameworks", efl_plugins.frameworks)]
    return []


def test_every_builtin_but_the_essential_ones_is_optional():
    assert {"workforce", "communities", "reports", "pay-gaps", "frameworks"} <= set(OPTIONAL)
    assert not ESSENTIAL & set(OPTIONAL)


@pytest.mark.parametrize("plugin", OPTIONAL)
def test_assess_works_with_any_optional_builtin_switched_off(plugin):
    from efl.testing import run_efl

    out = run_efl("-p", f"no:{plugin}", "assess", ROOT / "assessments" / "bexley", "--format", _format_without(plugin),
                  plugins=_stand_in(plugin))
    assert out.exit_code == 0, out.stderr
    assert out.output.strip()


@pytest.mark.parametrize("folder", EXAMPLE_FOLDERS, ids=lambda p: p.name)
def test_every_example_assesses_without_the_workforce_plugin(folder, tmp_path):
    from efl.testing import run_efl

    out = run_efl("-p", "no:workforce", "assess", folder, "--format", "json")
    assert out.exit_code == 0, out.stderr
    result = out.json
    assert not [f for f in result["facts"] if f["name"].startswith("workforce.")]
    assert not [e for e in result["evidence"] if e.get("type") == "workforce-profile"]


def test_a_switched_off_evidence_type_is_a_warning_naming_the_plugin():
    from efl.testing import run_efl

    out = run_efl("-p", "no:workforce", "validate", ROOT / "assessments" / "bexley").assert_success()
    assert "evidence item 'workforce-profile-2025' (workforce profile) is left out because the plugin that reads " \
           "it, 'workforce', is switched off (-p no:workforce)" in out.stderr
    assert ": warning: " in out.stderr


def _nodes(trace: dict):
    yield trace
    for child in trace.get("children", []):
        yield from _nodes(child)


def test_a_rule_needing_a_switched_off_fact_has_no_figure_and_says_what_it_is():
    from efl.testing import run_efl

    result = run_efl("-p", "no:workforce", "assess", ROOT / "assessments" / "bexley", "--format", "json").json
    needing = [node for a in result["areas"] for c in a["criteria"] for root in (c["trace"], c.get("applies") or {})
               if root for node in _nodes(root) if node["rule"].startswith("fact: workforce.")]
    assert needing, "the framework's criteria on the workforce are still assessed"
    assert {node["outcome"] for node in needing} == {"insufficient_evidence"}
    # The reason describes the figure in words, from the switched-off plugin's own declaration.
    assert not [node["reason"] for node in needing if "workforce." in node["reason"]]
    assert all(node["reason"].startswith("no figure for ") for node in needing)


def test_a_name_no_plugin_knows_is_still_an_error(tmp_path):
    import shutil

    from efl.testing import run_efl

    folder = tmp_path / "bexley"
    shutil.copytree(ROOT / "assessments" / "bexley", folder)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text.replace("type: workforce-profile", "type: workforce-profil", 1),
                                            encoding="utf-8")
    out = run_efl("-p", "no:workforce", "validate", folder)
    assert out.exit_code == 2 and "unknown evidence type 'workforce-profil'" in out.stderr


# --- every module says what it owns --------------------------------------------------------------

@pytest.mark.parametrize("path", sorted((ROOT / "efl").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_says_what_it_owns(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = docstring.split("\n\n", 1)[0]
    assert len(first.split()) >= 5, f"{path.relative_to(ROOT)}: a module docstring that says what it owns"
