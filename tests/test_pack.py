"""Evidence packs: what goes in, what personal data stays out, byte-identical results, tamper checks."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")  # as every test here runs (tests/conftest.py)
        return make(tmp_path_factory.mktemp("pack"))


def make(root):
    pack = root / "bexley.zip"
    out = run_efl("pack", BEXLEY, "-o", pack).assert_success()
    assert "left out (personal): evidence/workforce-profile.csv" in out.stderr
    original = run_efl("assess", BEXLEY, "--format", "json").assert_success().output
    return pack, original


def unpack(pack, into):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(into)
    return into


def test_the_pack_holds_the_folder_a_manifest_and_the_result(packed):
    pack, original = packed
    with zipfile.ZipFile(pack) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        result = archive.read("result.json").decode()
        assert result == original  # the result as 'efl assess --format json' prints it
        # The workforce profile (one row per employee) is not in the pack in any form.
        assert "assessment/evidence/workforce-profile.csv" not in names
        assert all(b"employee_id" not in archive.read(n) for n in names)
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
            assert len(entry["date"]) == 10
    on_disk = sorted(p.relative_to(BEXLEY).as_posix() for p in BEXLEY.rglob("*") if p.is_file())
    listed = sorted(e["path"].removeprefix("assessment/") for e in manifest["files"])
    assert listed == sorted([p for p in on_disk if p != "evidence/workforce-profile.csv"] + [".efl-withheld.json"])
    [withheld] = manifest["withheld"]
    wp = (BEXLEY / "evidence" / "workforce-profile.csv").read_bytes()
    assert (withheld["path"], withheld["sha256"], withheld["size"]) == (
        "assessment/evidence/workforce-profile.csv", hashlib.sha256(wp).hexdigest(), len(wp))
    ref = json.loads(original)
    assert manifest["framework"] == {"id": "eflg-2014", "version": ref["framework"]["version"],
                                     "sha256": ref["framework"]["sha256"]}
    assert manifest["plugins"] == ref["plugins"] and manifest["efl_version"] == ref["efl_version"]


def efl_process(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "efl", *map(str, args)], capture_output=True, text=True, check=False)


def test_assessing_the_unpacked_pack_gives_the_same_json_byte_for_byte(packed, tmp_path):
    pack, original = packed
    folder = unpack(pack, tmp_path / "in-process") / "assessment"
    assert not (folder / "evidence" / "workforce-profile.csv").exists()
    assert run_efl("assess", folder, "--format", "json").assert_success().output == original
    # Putting the personal file back (as it was) gives the same result too.
    shutil.copy(BEXLEY / "evidence" / "workforce-profile.csv", folder / "evidence")
    assert run_efl("assess", folder, "--format", "json").assert_success().output == original
    # The real commands, each in its own process: pack, unpack, assess.
    made = efl_process("pack", BEXLEY, "-o", tmp_path / "p.zip")
    assert made.returncode == 0, made.stderr
    again = unpack(tmp_path / "p.zip", tmp_path / "process") / "assessment"
    runs = [efl_process("assess", path, "--format", "json") for path in (BEXLEY, again)]
    assert [r.returncode for r in runs] == [0, 0], runs[1].stderr
    assert runs[1].stdout == runs[0].stdout


def test_include_personal_keeps_the_file_and_still_reproduces(tmp_path):
    pack = tmp_path / "all.zip"
    run_efl("pack", BEXLEY, "-o", pack, "--include-personal").assert_success()
    folder = unpack(pack, tmp_path / "out") / "assessment"
    assert (folder / "evidence" / "workforce-profile.csv").read_bytes() == \
        (BEXLEY / "evidence" / "workforce-profile.csv").read_bytes()
    assert not (folder / ".efl-withheld.json").exists()
    original = run_efl("assess", BEXLEY, "--format", "json").output
    assert run_efl("assess", folder, "--format", "json").assert_success().output == original


def test_items_marked_personal_are_left_out(tmp_path):
    folder = tmp_path / "bexley"
    shutil.copytree(BEXLEY, folder)
    text = (folder / "assessment.yaml").read_text()
    marked = text.replace("    file: evidence/manager-returns.csv\n",
                          "    file: evidence/manager-returns.csv\n    personal: true\n")
    assert marked != text
    (folder / "assessment.yaml").write_text(marked)
    pack = tmp_path / "p.zip"
    run_efl("pack", folder, "-o", pack).assert_success()
    with zipfile.ZipFile(pack) as archive:
        assert "assessment/evidence/manager-returns.csv" not in archive.namelist()
        result = archive.read("result.json").decode()
    unpacked = unpack(pack, tmp_path / "out") / "assessment"
    assert run_efl("assess", unpacked, "--format", "json").assert_success().output == result


def rewrite(pack, target, change):  # noqa: ANN001
    """A copy of ``pack`` with ``change(name, data) -> data`` applied to every member."""
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return target


def test_verify_says_unchanged_and_names_what_changed(packed, tmp_path):
    pack, _ = packed
    done = efl_process("verify", pack)
    assert done.returncode == 0 and "unchanged" in done.stdout, done.stderr
    name = "assessment/evidence/consultation-log.csv"
    edited = rewrite(pack, tmp_path / "edited.zip", lambda n, d: d + b"x\n" if n == name else d)
    out = run_efl("verify", edited).assert_exit(4)
    assert f"{edited}:{name}: changed" in out.stderr and "changed since it was packed" in out.stderr
    assert "consultation-log" in out.stderr and "community-profile" not in out.stderr


def test_verify_catches_a_file_changed_with_its_manifest_entry(packed, tmp_path):
    pack, _ = packed
    name = "assessment/evidence/eqia-register.csv"
    with zipfile.ZipFile(pack) as archive:
        new = archive.read(name) + b"\n"
        assert new != archive.read(name)
        manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["sha256"], entry["size"] = hashlib.sha256(new).hexdigest(), len(new)
    forged = rewrite(pack, tmp_path / "forged.zip", lambda n, d: new if n == name else
                     json.dumps(manifest).encode() if n == "manifest.json" else d)
    out = run_efl("verify", forged).assert_exit(4)
    assert f"{forged}:{name}: evidence '" in out.stderr and "differs from the file the result was worked out " \
           "from" in out.stderr


def test_verify_added_and_missing_files_and_not_a_pack(packed, tmp_path):
    pack, _ = packed
    added = tmp_path / "added.zip"
    shutil.copy(pack, added)
    with zipfile.ZipFile(added, "a") as archive:
        archive.writestr("assessment/evidence/extra.csv", "a,b\n")
    assert "assessment/evidence/extra.csv: added after packing" in run_efl("verify", added).assert_exit(4).stderr
    gone = rewrite(pack, tmp_path / "gone.zip", lambda n, d: d)
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(gone, "w") as out:
        for info in source.infolist():
            if info.filename != "assessment/evidence/training-records.csv":
                out.writestr(info.filename, source.read(info.filename))
    assert "training-records.csv: missing from the pack" in run_efl("verify", gone).assert_exit(4).stderr
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    assert "not a zip file" in run_efl("verify", junk).assert_exit(2).stderr
    assert "no such file" in run_efl("verify", tmp_path / "none.zip").assert_exit(2).stderr


def test_pack_never_overwrites_and_leaves_no_temporary_file(packed, tmp_path):
    pack, _ = packed
    target = tmp_path / "exists.zip"
    target.write_text("keep me")
    out = run_efl("pack", BEXLEY, "-o", target).assert_exit(2)
    assert "already exists" in out.stderr and target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.zip"]


def test_a_peer_folder_is_packed_only_beside_the_council_folder(tmp_path):
    shutil.copytree(BEXLEY, tmp_path / "councils" / "bexley")
    shutil.copytree(EXAMPLES / "bexley-peer", tmp_path / "peer")
    yaml = tmp_path / "peer" / "assessment.yaml"
    yaml.write_text(yaml.read_text().replace("evidence_from: ../bexley", "evidence_from: ../councils/bexley"))
    run_efl("validate", tmp_path / "peer").assert_success()
    out = run_efl("pack", tmp_path / "peer", "-o", tmp_path / "never.zip").assert_exit(2)
    assert "expected evidence_from: ../COUNCIL-FOLDER, a folder beside this one" in out.stderr
    assert not (tmp_path / "never.zip").exists()
