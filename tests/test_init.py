"""``efl init`` checks what it is given and writes only what validates."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import jsonschema
import pytest
from ruamel.yaml import YAML

from efl.core.assessment import read_assessment
from efl.core.framework import available_frameworks
from efl.core.plugin_host import load_plugins
from efl.testing import run_efl

NAMES = ["London Borough of Bexley", "O'Brien & Sons", "Bórough of Ærø", 'Borough "Q"', "Ynys Môn – Isle of Anglesey",
         "#1 Council: a test", "yes", "null", "Back\\slash", "Council 🏳️‍🌈", "  Spaced  ", "- leading dash", "{braces}",
         "Cyngor Sir Gâr / Carmarthenshire", "100%"]


def _files(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


@pytest.mark.parametrize("name", NAMES)
def test_init_then_validate_passes_for_any_printable_name(tmp_path, name):
    folder = tmp_path / "new"
    run_efl("init", folder, "--council", name).assert_exit(0)
    run_efl("validate", folder).assert_exit(0)
    assert read_assessment(folder).assessment.council.name == name.strip()


@pytest.mark.parametrize("framework", sorted(available_frameworks(load_plugins(autoload=False))))
def test_init_then_validate_passes_for_every_installed_framework(tmp_path, framework):
    folder = tmp_path / "new"
    run_efl("init", folder, "--framework", framework).assert_exit(0)
    run_efl("validate", folder).assert_exit(0)


def test_a_framework_written_in_other_words_is_found(tmp_path):
    run_efl("init", tmp_path / "new", "--framework", "EFLG 2021").assert_exit(0)
    assert "framework: eflg-2021 " in (tmp_path / "new" / "assessment.yaml").read_text(encoding="utf-8")


def test_an_unknown_framework_is_refused_with_the_installed_ones(tmp_path):
    out = run_efl("init", tmp_path / "new", "--framework", "eflg-2020").assert_exit(2)
    installed = sorted(available_frameworks(load_plugins()))
    assert "efl: --framework 'eflg-2020' is not an installed framework (did you mean 'eflg-2021'? " \
           f"expected one of: {', '.join(installed)})" in out.stderr
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("name, what", [("Bexley\nCouncil", "a line break"), ("Bexley\rCouncil", "a line break"),
                                        ("Bexley\u2028Council", "a line break"), ("Bell\x07", "U+0007"),
                                        ("Tab\tName", "U+0009"), ("Esc\x1b[31m", "U+001B"), ("   ", "is empty")])
def test_a_council_name_that_cannot_be_one_line_of_text_is_refused(tmp_path, name, what):
    out = run_efl("init", tmp_path / "new", "--council", name).assert_exit(2)
    assert what in out.stderr
    assert not (tmp_path / "new").exists()


def test_the_next_step_quotes_the_folder_and_works_as_printed(tmp_path):
    folder = tmp_path / "my council's 2026"
    done = subprocess.run([sys.executable, "-m", "efl", "init", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    hint = done.stdout.strip().splitlines()[-1]
    assert hint == f"Next: fill in the files, then run: efl validate {shlex.quote(str(folder))}"
    command = shlex.split(hint.split("run: ", 1)[1])
    assert command[:2] == ["efl", "validate"] and command[2] == str(folder)
    check = subprocess.run([sys.executable, "-m", "efl", *command[1:]], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    assert "efl validate " + shlex.quote(str(folder)) in (folder / "assessment.yaml").read_text(encoding="utf-8")


def test_yaml_files_point_editors_at_schemas_that_accept_them(tmp_path):
    folder = tmp_path / "new"
    run_efl("init", folder, "--council", "O'Brien & Sons").assert_exit(0)
    for name in ("assessment.yaml", "evidence/equality-objectives.yaml"):
        path = folder / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), name
        schema_path = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema_path.is_file(), schema_path
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as text, as an editor's YAML 1.2 reads them
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    # Only the folder's own schemas: no framework, crosswalk or result schema.
    assert {p.name for p in (folder / "schema").iterdir()} == {"assessment.schema.json",
                                                               "equality-objectives.schema.json",
                                                               "tailoring.schema.json", "what-if.schema.json"}


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    folder = tmp_path / "new"
    run_efl("init", folder).assert_exit(0)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (folder / "schema" / "assessment.schema.json").unlink()
    out = run_efl("init", folder).assert_exit(2)
    assert "already exists" in out.stderr
    assert not (folder / "schema" / "assessment.schema.json").exists()
    assert all(p.read_bytes() == data for p, data in before.items() if p.exists())


def test_the_template_covers_only_what_its_profile_has(tmp_path):
    folder = tmp_path / "new"
    run_efl("init", folder).assert_exit(0)
    data = YAML(typ="safe").load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    covers = set(data["evidence"][0]["covers"])
    rows = (folder / "evidence" / "community-profile.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert covers == {row.split(",")[0] for row in rows}
