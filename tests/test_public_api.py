"""The plugin boundary: plugins import only ``efl``'s public names, ``efl.provisional`` and
``efl.testing``; the public names are few, real at run time, documented and pinned (names and
signatures, in ``tests/public_api.txt``); each hook's reference entry matches its signature."""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import efl
import efl.provisional
import efl.testing
from efl.core import hookspecs

from conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-plugin"
PLUGIN_SOURCES = sorted((ROOT / "plugins").rglob("*.py")) + sorted((EXAMPLE / "src").rglob("*.py")) + \
    sorted((EXAMPLE / "tests").rglob("*.py"))
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
PUBLIC = set(efl.__all__)
PROVISIONAL = set(efl.provisional.__all__)
ALLOWED_MODULES = {"efl.testing": None, "efl.provisional": PROVISIONAL}
SNAPSHOT = ROOT / "tests" / "public_api.txt"


def private_uses(source: str) -> list[str]:
    """Every way a module reaches past efl's public API: imports of efl submodules (but efl.testing and
    efl.provisional), names that are not public, and ``efl.something`` attributes that are not public."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("efl.") and a.name not in ALLOWED_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "efl":
                found += [f"line {node.lineno}: from efl import {a.name}" for a in node.names if a.name not in PUBLIC]
            elif node.module in ALLOWED_MODULES:
                allowed = ALLOWED_MODULES[node.module]
                found += [f"line {node.lineno}: from {node.module} import {a.name}" for a in node.names
                          if allowed is not None and a.name not in allowed]
            elif node.module.startswith("efl."):
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
              "from efl.testing import run_efl\nx = efl.core.models.Trace\ny = efl.Fact\n"
              "from efl.provisional import long_date, nothing\nfrom efl import long_date\n")
    assert private_uses(source) == ["line 2: import efl.core.models", "line 3: from efl.files.evidence import ...",
                                    "line 4: from efl import _secret", "line 8: from efl.provisional import nothing",
                                    "line 9: from efl import long_date", "line 6: efl.core"]


# --- a small public face ---------------------------------------------------------------------------

LIBRARY_NAMES = {"Any", "Callable", "TYPE_CHECKING", "annotations", "pluggy", "pydantic", "typing", "dataclass",
                 "dataclasses", "field", "Path", "dt", "datetime", "os", "sys", "re", "json", "plugin_api"}


def test_the_public_face_is_small_versioned_and_holds_no_library_names():
    names = [n for n in dir(efl) if not n.startswith("__")]
    assert names == sorted(efl.__all__) and len(names) <= 60
    assert not set(names) & LIBRARY_NAMES
    assert re.fullmatch(r"\d+\.\d+", efl.API_VERSION)
    assert {"hookimpl", "hookspec", "API_VERSION", "EvidenceError", "Diagnostic"} <= PUBLIC
    # Nothing public but efl's own names even in the module's namespace (its subpackages aside).
    # (pytest's assertion rewriting adds '@py_builtins' and '@pytest_ar' to an installed plugin's modules:
    # they are pytest's, not efl's, and cannot be reached as attributes.)
    own = {n for n in vars(efl) if not n.startswith(("_", "@"))} - PUBLIC
    assert own <= {"core", "errors", "files", "law", "workforce", "peer", "plan", "reports", "cli", "testing",
                   "provisional", "scaffold", "schema", "startup", "version"}, own


def test_the_test_kit_and_the_provisional_module_expose_only_their_own_names():
    kit = {n for n in vars(efl.testing) if not n.startswith(("_", "@"))}  # "@": pytest's rewriting, above
    assert kit == {"CliResult", "load_host", "make_folder", "run_efl", "efl_folder", "efl_run"}
    assert not {"pytest", "json", "textwrap"} & set(dir(efl.testing))
    assert dir(efl.provisional) == sorted(PROVISIONAL)
    assert not PROVISIONAL & PUBLIC  # a name is promised or provisional, not both


def test_every_public_name_exists_at_run_time_in_a_fresh_interpreter():
    """Not a TYPE_CHECKING re-export: each name imports from efl (and each provisional one from
    efl.provisional) in a new process, and ``import efl`` alone loads none of the heavy modules (so
    ``efl --help`` stays fast)."""
    code = ("import sys, efl\nheavy = [m for m in ('pydantic', 'ruamel.yaml', 'efl.core.models') if m in sys.modules]\n"
            "import efl.provisional as p\n"
            "missing = [n for n in efl.__all__ if getattr(efl, n, None) is None]\n"
            "missing += [n for n in p.__all__ if getattr(p, n, None) is None]\n"
            "from efl import Trace, Action, Rule, RuleContext, Table, Column, read_records, DiagnosticSink\n"
            "from efl.provisional import long_date\n"
            "print(heavy, missing, efl.Action is Action)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] [] True"


def test_the_names_plugins_need_are_public():
    needed = {"Trace", "Action", "Rule", "RuleContext", "Table", "Column", "read_records", "DiagnosticSink",
              "Diagnostic", "EvidenceError", "CHARACTERISTICS", "characteristic_label", "EvidenceSet",
              "EvidenceRecord", "Result", "hookimpl", "hookspec", "Vocabulary", "Reading", "Comparison"}
    assert needed <= PUBLIC
    assert efl.Trace.__module__ == "efl.core.models" and efl.Column.__module__ == "efl.files.evidence"
    with pytest.raises(AttributeError):
        efl.not_a_name  # noqa: B018
    with pytest.raises(AttributeError):
        efl.provisional.not_a_name  # noqa: B018


def test_two_things_called_comparison_have_distinct_names():
    assert efl.Comparison is not efl.provisional.CommunityComparison
    assert efl.Comparison.__name__ == "Comparison" and efl.provisional.CommunityComparison.__name__ == "CommunityComparison"


def test_every_public_and_provisional_name_is_documented_in_the_guide():
    section = GUIDE.split("## The public API", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`(\w+)[`(]", section))
    assert sorted(PUBLIC - documented) == []
    provisional = GUIDE.split("## Provisional helpers", 1)[1].split("\n## ", 1)[0]
    assert sorted(PROVISIONAL - set(re.findall(r"`(\w+)[`(]", provisional))) == []


# --- the snapshot: every public name and its signature ---------------------------------------------

def _default(value) -> str:
    """A default as written, when it is a plain literal; ``...`` for anything else (a set prints in a
    different order in every process, an object with its address)."""
    simple = (type(None), bool, int, float, str)
    if isinstance(value, simple) or (isinstance(value, tuple) and all(isinstance(v, simple) for v in value)):
        return repr(value)
    return "..."


def _signature(obj) -> str:
    """``(name: type = default, ...) -> type``, leaving out private parameters (``_cells``)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = []
    for p in sig.parameters.values():
        if p.name.startswith("_"):
            continue
        text = p.name if p.kind is not p.VAR_POSITIONAL else f"*{p.name}"
        if p.kind is p.VAR_KEYWORD:
            text = f"**{p.name}"
        if p.annotation is not p.empty:
            text += f": {p.annotation}"
        if p.default is not p.empty:
            text += f" = {_default(p.default)}"
        params.append(text)
    returns = "" if sig.return_annotation is sig.empty else f" -> {sig.return_annotation}"
    return f"({', '.join(params)}){returns}"


def _members(cls: type) -> list[str]:
    """A class's own public methods and properties (not pydantic's or Python's), with signatures."""
    bases = {"BaseModel", "object", "Exception", "BaseException", "ValueError", "tuple", "str", "dict", "int",
             "Enum", "IntEnum", "ReprEnum"}
    names: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__name__ in bases or klass.__module__.startswith(("pydantic", "builtins", "typing")):
            continue
        for name, value in vars(klass).items():
            if name.startswith(("_", "model_")) or (dataclasses.is_dataclass(cls) and name in {f.name for f in dataclasses.fields(cls)}):
                continue
            if isinstance(value, property):
                names[name] = f"  .{name} (property)"
            elif isinstance(value, (classmethod, staticmethod)):
                names[name] = f"  .{name}{_signature(getattr(cls, name))}"
            elif inspect.isfunction(value):
                names[name] = f"  .{name}{_signature(value)}"
    return [names[n] for n in sorted(names)]


def snapshot() -> str:
    """One line a public name (what it is and its signature), and a line a public method of a class."""
    lines = [f"API_VERSION = {efl.API_VERSION!r}"]
    for name in sorted(PUBLIC - {"API_VERSION"}):
        obj = getattr(efl, name)
        if inspect.isclass(obj):
            if hasattr(obj, "model_fields"):
                # A pydantic model: its fields are pinned by the JSON Schemas in docs/schema (their own test).
                lines.append(f"class {name}(pydantic model)")
            elif issubclass(obj, enum.Enum):  # its members and their values are the contract
                lines.append(f"class {name}({obj.__mro__[1].__name__})")
                lines += [f"  .{member.name} = {member.value!r}" for member in obj]
            else:
                lines.append(f"class {name}{_signature(obj)}")
            lines += _members(obj)
        elif callable(obj) and not hasattr(obj, "project_name"):
            lines.append(f"def {name}{_signature(obj)}")
        else:
            lines.append(f"{name}: {type(obj).__name__} = {_default(obj)}")
    return "\n".join(lines) + "\n"


def _entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The snapshot as {name: (its line, {member name: member line})}."""
    entries: dict[str, tuple[str, dict[str, str]]] = {}
    name = ""
    for line in text.splitlines():
        if line.startswith("  ."):
            member = re.match(r"  \.(\w+)", line).group(1)
            entries[name][1][member] = line
        else:
            name = re.match(r"(?:class |def )?(\w+)", line).group(1)
            entries[name] = (line, {})
    return entries


def _parameters(line: str) -> tuple[list[str], str] | None:
    """A signature line's parameters (split at top-level commas) and what follows them, or None."""
    opened = line.find("(")
    if opened < 0:
        return None
    depth, parts, start = 0, [], opened + 1
    for i, ch in enumerate(line[opened:], opened):
        depth += ch in "([{" and 1 or ch in ")]}" and -1 or 0
        if depth == 1 and ch == ",":
            parts.append(line[start:i].strip())
            start = i + 1
        elif depth == 0:
            parts.append(line[start:i].strip())
            return [p for p in parts if p], line[:opened] + line[i:]
    return None


def _compatible(old: str, new: str) -> bool:
    """Whether ``new`` keeps every promise of ``old``: the same line, or the same with parameters added
    at the end that callers need not give (a default, ``*args`` or ``**kwargs``)."""
    if old == new:
        return True
    before, after = _parameters(old), _parameters(new)
    if before is None or after is None or before[1] != after[1] or after[0][:len(before[0])] != before[0]:
        return False
    return all(" = " in p or p.startswith("*") for p in after[0][len(before[0]):])


def incompatible_changes(old_text: str, new_text: str) -> list[str]:
    """What ``new_text`` breaks of ``old_text``'s promises (docs/plugins.md, "Compatibility"): a name,
    member or parameter removed, renamed, retyped or reordered, or a parameter callers must now give.
    Additions are a minor release's right and pass."""
    old, new = _entries(old_text), _entries(new_text)
    broken = []
    for name, (line, members) in old.items():
        if name not in new:
            broken.append(f"removed: {line}")
            continue
        if name == "API_VERSION":
            (major, minor), (now_major, now_minor) = (tuple(map(int, re.findall(r"\d+", text)[:2]))
                                                      for text in (line, new[name][0]))
            if now_major != major or now_minor < minor:
                broken.append(f"changed: {line}  ->  {new[name][0]} (a removal raises the major number; "
                              "deprecate first)")
        elif not _compatible(line, new[name][0]):
            broken.append(f"changed: {line}  ->  {new[name][0]}")
        for member, member_line in members.items():
            now = new[name][1].get(member)
            if now is None:
                broken.append(f"removed: {name}{member_line.strip()}")
            elif not _compatible(member_line, now):
                broken.append(f"changed: {name}{member_line.strip()}  ->  {name}{now.strip()}")
    return broken


def test_the_public_api_keeps_every_promise_of_its_snapshot():
    """The snapshot pins every public name, signature and member. Removing or changing one is a break
    of the contract with plugins: make it only as docs/plugins.md ("Compatibility") says (deprecate for
    a release first), then refresh the snapshot with ``python tests/test_public_api.py``. Adding (a
    name, a member, a parameter with a default) is allowed; refresh the snapshot to pin it too."""
    broken = incompatible_changes(SNAPSHOT.read_text(encoding="utf-8"), snapshot())
    assert broken == [], "the public API broke a promise (see docs/plugins.md, Compatibility):\n" + "\n".join(broken)


def test_the_snapshot_check_allows_additions_and_refuses_breaks():
    old = ("API_VERSION = '1.0'\nclass Fact(name: str, value: Any) -> None\n  .shown(self) -> str\n"
           "def warning(path: str, line: int = 0) -> Diagnostic\nclass ExitCode(IntEnum)\n  .OK = 0\n")
    added = old.replace("value: Any)", "value: Any, shares: list = ...)").replace(
        "class ExitCode", "def helper() -> None\nclass ExitCode") + "  .PLUGIN = 3\n"
    assert incompatible_changes(old, added) == []
    assert incompatible_changes(old, old.replace("value: Any)", "value: Any, unit: str)")) == [
        "changed: class Fact(name: str, value: Any) -> None  ->  class Fact(name: str, value: Any, unit: str) -> None"]
    assert incompatible_changes(old, old.replace("line: int = 0", "col: int = 0")) != []
    assert incompatible_changes(old, old.replace("-> Diagnostic", "-> str")) != []
    assert incompatible_changes(old, old.replace("  .shown(self) -> str\n", "")) == ["removed: Fact.shown(self) -> str"]
    assert incompatible_changes(old, old.replace("  .OK = 0", "  .OK = 1")) == [
        "changed: ExitCode.OK = 0  ->  ExitCode.OK = 1"]
    assert incompatible_changes(old, old.replace("API_VERSION = '1.0'\n", "")) == ["removed: API_VERSION = '1.0'"]
    assert incompatible_changes(old, old.replace("'1.0'", "'1.1'")) == []
    assert incompatible_changes(old, old.replace("'1.0'", "'2.0'")) != []


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


if __name__ == "__main__":  # refresh the snapshot after a deliberate change
    sys.path.insert(0, str(Path(__file__).parent))
    SNAPSHOT.write_text(snapshot(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
