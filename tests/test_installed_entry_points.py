"""Entry points read from the metadata folders (efl.core.installed) are importlib.metadata's, in its
order; anything the reader does not follow is importlib.metadata's answer; and, as the efl command,
pydantic is told "no plugins" without importing importlib.metadata only when that is its answer too."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from efl.core import installed

ROOT = Path(__file__).resolve().parent.parent


def seen(eps) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    """What a plugin host uses of each entry point (its distribution by its folder)."""
    return [(ep.name, ep.value, ep.group, os.path.normpath(str(getattr(ep.dist, "path", None) or ep.dist._path)))
            for ep in eps]


def dist_info(site: Path, folder: str, entry_points: str | None, name: str = "", version: str = "1.0") -> Path:
    path = site / folder
    path.mkdir(parents=True)
    (path / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name or folder.split('-')[0]}\n"
                                   f"Version: {version}\n", encoding="utf-8")
    if entry_points is not None:
        (path / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return path


def both(group: str) -> tuple[list, list]:
    return seen(installed.entry_points(group)), seen(metadata.entry_points(group=group))


@pytest.mark.parametrize("group", ["efl", "pytest11", "console_scripts", "pydantic", "no-such-group"])
def test_this_environment_reads_as_importlib_metadata_reads_it(group):
    ours, standard = both(group)
    assert ours == standard
    assert type(installed.entry_points("efl")[0]) is installed.EntryPoint  # read here, not handed back


def test_the_tutorial_plugin_is_found_as_before():
    ours = {ep.name: ep.value for ep in installed.entry_points("efl")}
    assert ours.get("carers") == {ep.name: ep.value for ep in metadata.entry_points(group="efl")}.get("carers")
    assert "carers" in ours


FILE = """\
# a comment before any section
stray = before.any.section
[efl]
alpha = efl_alpha_mod
  beta=efl_beta_mod:plugin.inner   [extra1, extra2]
; not a comment to the standard library, but a line without '=' would be: see below
[[odd]]
gamma = g.mod : attr

[pydantic]
# comment
delta = d_mod
"""


def test_a_fabricated_folder_reads_as_importlib_metadata_reads_it(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    dist_info(first, "efl_alpha-0.1.dist-info", FILE.replace("; not a comment", "semi = colon;line"))
    dist_info(first, "Efl.Beta-2.0.dist-info", "[efl]\nbeta2 = b2\n")
    dist_info(first, "old_style-1.0.egg-info", "[efl]\nold = old_mod\n")
    dist_info(first, "no_entry_points-1.0.dist-info", None)
    dist_info(second, "efl_beta-3.0.dist-info", "[efl]\nbeta3 = hidden_by_the_first_folder\n")
    dist_info(second, "efl_alpha-0.2.dist-info", "[efl]\nshadowed = by_the_first_folder\n")  # same name again
    dist_info(second, "later-1.0.dist-info", "[efl]\nlater = later_mod\n")
    (first / "not-metadata.txt").write_text("x")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    for group in ("efl", "odd", "[odd]", "pydantic", "console_scripts"):
        ours, standard = both(group)
        assert ours == standard, group
    names = [ep.name for ep in installed.entry_points("efl")]
    assert {"alpha", "beta", "beta2", "old", "later"} <= set(names)
    assert "shadowed" not in names and "beta3" not in names and "stray" not in names
    assert [ep.value for ep in installed.entry_points("odd")] == ["g.mod : attr"]


def test_load_gives_what_importlib_metadata_loads(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "efl_load_pkg").mkdir(parents=True)
    (site / "efl_load_pkg" / "__init__.py").write_text("class Plugin:\n    class Inner:\n        pass\n")
    dist_info(site, "efl_load-1.0.dist-info", "[efl]\nwhole = efl_load_pkg\n"
                                              "inner = efl_load_pkg : Plugin.Inner [extra]\n")
    monkeypatch.syspath_prepend(str(site))
    ours = {ep.name: ep.load() for ep in installed.entry_points("efl") if ep.name in ("whole", "inner")}
    standard = {ep.name: ep.load() for ep in metadata.entry_points(group="efl") if ep.name in ("whole", "inner")}
    assert ours == standard and ours["inner"].__name__ == "Inner"


def test_the_distribution_gives_its_metadata_as_the_standard_library_does(tmp_path, monkeypatch):
    site = tmp_path / "site"
    dist_info(site, "efl_meta-4.2.dist-info", "[efl]\nmeta = m\n", name="efl-meta", version="4.2")
    monkeypatch.syspath_prepend(str(site))
    (ep,) = [ep for ep in installed.entry_points("efl") if ep.name == "meta"]
    assert ep.dist.read_text("METADATA").startswith("Metadata-Version")
    assert ep.dist.read_text("RECORD") is None
    assert (ep.dist.name, ep.dist.version, ep.dist.metadata["Name"]) == ("efl-meta", "4.2", "efl-meta")


# -- what the reader does not follow: importlib.metadata answers ---------------------------------------

def handed_back(monkeypatch) -> list[str]:  # noqa: ANN001
    """Record each time the reader hands the question to importlib.metadata."""
    calls: list[str] = []
    real = metadata.entry_points

    def standard(**params):  # noqa: ANN003, ANN202
        calls.append(params["group"])
        return real(**params)

    monkeypatch.setattr(metadata, "entry_points", standard)
    return calls


def test_a_line_without_an_equals_sign_is_the_standard_librarys_error(tmp_path, monkeypatch):
    dist_info(tmp_path, "efl_bad-1.0.dist-info", "[efl]\nno equals sign here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    calls = handed_back(monkeypatch)
    with pytest.raises(Exception) as ours:  # noqa: PT011 - whatever importlib.metadata raises
        installed.entry_points("efl")
    assert calls == ["efl"]
    with pytest.raises(Exception) as standard:  # noqa: PT011
        list(metadata.entry_points(group="efl"))
    assert (type(ours.value), str(ours.value)) == (type(standard.value), str(standard.value))


@pytest.mark.parametrize("value", ["not a module path", "mod:attr:more", "-dash"])
def test_a_value_the_pattern_does_not_match_is_handed_back(tmp_path, monkeypatch, value):
    dist_info(tmp_path, "efl_odd-1.0.dist-info", f"[efl]\nodd = {value}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    calls = handed_back(monkeypatch)
    found = installed.entry_points("efl")
    assert calls == ["efl"] and seen(found) == seen(metadata.entry_points(group="efl"))
    assert [ep.value for ep in found if ep.name == "odd"] == [value]


def test_an_entry_points_file_that_is_not_utf8_is_handed_back(tmp_path, monkeypatch):
    path = dist_info(tmp_path, "efl_latin-1.0.dist-info", None)
    (path / "entry_points.txt").write_bytes(b"[efl]\nlatin = caf\xe9\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    calls = handed_back(monkeypatch)
    with pytest.raises(UnicodeDecodeError):
        installed.entry_points("efl")
    assert calls == ["efl"]


def test_a_zip_on_the_path_is_handed_back(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("efl_zipped-1.0.dist-info/METADATA", "Name: efl-zipped\nVersion: 1.0\n")
        z.writestr("efl_zipped-1.0.dist-info/entry_points.txt", "[efl]\nzipped = zipped_mod\n")
    monkeypatch.syspath_prepend(str(archive))
    calls = handed_back(monkeypatch)
    found = installed.entry_points("efl")
    assert calls == ["efl"] and "zipped" in [ep.name for ep in found]


def test_an_entry_that_is_not_text_or_a_folder_name_in_capitals_is_handed_back(tmp_path, monkeypatch):
    calls = handed_back(monkeypatch)
    monkeypatch.setattr(sys, "path", [*sys.path, tmp_path])  # a Path, not a str
    installed.entry_points("efl")
    assert calls == ["efl"]
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path[:-1]])
    dist_info(tmp_path, "efl_caps-1.0.DIST-INFO", "[efl]\ncaps = caps_mod\n")
    found = installed.entry_points("efl")
    assert calls == ["efl", "efl"] and seen(found) == seen(metadata.entry_points(group="efl"))


def test_a_finder_that_finds_distributions_is_handed_back(monkeypatch):
    class Finder:
        @staticmethod
        def find_spec(*args):  # noqa: ANN002, ANN205
            return None

        @staticmethod
        def find_distributions(*args, **kwargs):  # noqa: ANN002, ANN003, ANN205
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    calls = handed_back(monkeypatch)
    installed.entry_points("efl")
    assert calls == ["efl"]


# -- pydantic's question, as the efl command ----------------------------------------------------------

@pytest.fixture
def no_loader(monkeypatch):  # noqa: ANN001, ANN201
    """pydantic's plugin loader as not yet imported; the real one is back afterwards."""
    import pydantic.plugin

    monkeypatch.delitem(sys.modules, installed.LOADER, raising=False)
    monkeypatch.setattr(pydantic.plugin, "_loader", getattr(pydantic.plugin, "_loader", None), raising=False)
    monkeypatch.setattr(installed, "_remembering", False)
    return monkeypatch


def test_with_no_pydantic_plugin_pydantic_is_told_none(no_loader):
    from pydantic.plugin._loader import get_plugins as real  # noqa: F401 - loaded before the fixture's deletion

    no_loader.delitem(sys.modules, installed.LOADER, raising=False)
    assert installed.spare_pydantic_the_metadata_import()
    stand_in = sys.modules[installed.LOADER]
    from pydantic.plugin._schema_validator import create_schema_validator
    from pydantic_core import SchemaValidator

    validator = create_schema_validator({"type": "int"}, int, "m", "n", "BaseModel")
    assert type(validator) is SchemaValidator and validator.validate_python("3") == 3
    assert stand_in.get_plugins() == ()
    assert not hasattr(stand_in, "__path__") and sys.modules[installed.LOADER] is stand_in
    # Anything else asked of it comes from pydantic's own module, which then takes its place.
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
    assert sys.modules[installed.LOADER] is not stand_in
    assert list(sys.modules[installed.LOADER].get_plugins()) == []  # pydantic's answer: none either
    assert not installed.spare_pydantic_the_metadata_import()  # already loaded: left alone


def test_with_a_pydantic_plugin_pydantic_is_left_alone(no_loader, tmp_path):
    dist_info(tmp_path, "pydantic_plugin-1.0.dist-info", "[pydantic]\nwatch = a_pydantic_plugin\n")
    no_loader.syspath_prepend(str(tmp_path))
    assert not installed.spare_pydantic_the_metadata_import()
    assert installed.LOADER not in sys.modules


def test_when_the_reader_hands_back_pydantic_is_left_alone(no_loader, tmp_path):
    dist_info(tmp_path, "efl_bad-1.0.dist-info", "[efl]\nno equals sign\n")
    no_loader.syspath_prepend(str(tmp_path))
    assert not installed.spare_pydantic_the_metadata_import()
    assert installed.LOADER not in sys.modules


def test_the_command_reads_the_folders_once_while_the_path_stays(monkeypatch, tmp_path):
    monkeypatch.setattr(installed, "_remembering", True)
    monkeypatch.setattr(installed, "_remembered", None)
    first = installed.entry_points("efl")
    dist_info(tmp_path, "efl_new-1.0.dist-info", "[efl]\nnew = new_mod\n")
    assert installed.entry_points("efl") == first  # the same path: the same reading
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "new" in [ep.name for ep in installed.entry_points("efl")]  # another path: read again


# (As the command, efl ends without Python's teardown once its exit functions have run: the line is
# written by one.)
AS_THE_COMMAND = """
import atexit, sys
sys.argv = ["efl", "assess", "assessments/bexley", "--format", "json"]
atexit.register(lambda: sys.stderr.write(f"carers {'efl_carers' in sys.modules} "
                                         f"metadata {'importlib.metadata' in sys.modules}\\n"))
import efl.cli
efl.cli.main()
"""


def test_efl_assess_imports_no_importlib_metadata():
    env = {k: v for k, v in os.environ.items() if k != "EFL_DISABLE_PLUGIN_AUTOLOAD"}  # third parties too
    done = subprocess.run([sys.executable, "-c", AS_THE_COMMAND], cwd=ROOT, capture_output=True, text=True,
                          env=env, check=False)
    # The tutorial plugin, which makes a pydantic model as it is imported, is loaded; nothing asked
    # importlib.metadata anything.
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.splitlines()[-1] == "carers True metadata False", done.stderr[-2000:]
