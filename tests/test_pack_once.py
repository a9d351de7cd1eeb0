"""A pack that leaves nothing out is assessed once, from the bytes it packs, and compressed quickly.

The result in such a pack must still be what ``efl assess DIR --format json`` prints for the folder
and what the unpacked pack assesses to; when the copy would not be the folder (a link inside it) or
the folder does not assess, the pack is made and checked the older way, naming the council's files.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

import efl.core.engine as engine
from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders assessed (by name of their parent's role: the council's copy or a temporary one)."""
    seen: list[str] = []
    real = engine.assess_prepared

    def counting(prepared, host, *args, **kwargs):  # noqa: ANN001, ANN202
        seen.append(str(prepared.loaded.folder))
        return real(prepared, host, *args, **kwargs)

    monkeypatch.setattr(engine, "assess_prepared", counting)
    return seen


def _unpacked_result(pack, into) -> str:  # noqa: ANN001
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(into)
    return run_efl("assess", into / "assessment", "--format", "json").assert_success().output


def test_include_personal_assesses_once_and_reproduces(tmp_path, counted) -> None:  # noqa: ANN001
    folder = shutil.copytree(BEXLEY, tmp_path / "bexley")
    original = run_efl("assess", folder, "--format", "json").assert_success().output
    counted.clear()
    target = tmp_path / "p.zip"
    run_efl("pack", folder, "-o", target, "--include-personal").assert_success()
    assert len(counted) == 1 and "efl-pack-" in counted[0]  # the copy of the bytes packed, once
    with zipfile.ZipFile(target) as archive:
        assert archive.read("result.json").decode() == original
        manifest = json.loads(archive.read("manifest.json"))
        assert "assessment/evidence/workforce-profile.csv" in {f["path"] for f in manifest["files"]}
        assert manifest["withheld"] == []
        big = archive.getinfo("assessment/evidence/workforce-profile.csv")
        assert big.compress_type == zipfile.ZIP_DEFLATED and big.compress_size < big.file_size / 2
    assert _unpacked_result(target, tmp_path / "out") == original


def test_a_pack_with_personal_files_left_out_is_still_checked_by_assessing_it(tmp_path, counted) -> None:  # noqa: ANN001
    target = tmp_path / "p.zip"
    run_efl("pack", BEXLEY, "-o", target).assert_success()
    assert len(counted) == 1 and "efl-pack-" not in counted[0]  # the folder itself
    # (the check assesses the unpacked pack through efl.core.engine.assess, which is not counted here)
    original = run_efl("assess", BEXLEY, "--format", "json").assert_success().output
    assert _unpacked_result(target, tmp_path / "out") == original


def test_a_link_inside_the_folder_means_the_checked_way(tmp_path, counted) -> None:  # noqa: ANN001
    folder = shutil.copytree(BEXLEY, tmp_path / "bexley")
    (folder / "notes-link.md").symlink_to(folder / "evidence" / "equality-policy.md")
    run_efl("pack", folder, "-o", tmp_path / "p.zip", "--include-personal").assert_success()
    assert counted and all("efl-pack-" not in f for f in counted[:1])
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        assert "assessment/notes-link.md" not in archive.namelist()


def test_an_error_names_the_councils_file_not_the_copy(tmp_path) -> None:  # noqa: ANN001
    folder = shutil.copytree(BEXLEY, tmp_path / "bexley")
    (folder / "evidence" / "equality-policy.md").unlink()
    failed = run_efl("pack", folder, "-o", tmp_path / "p.zip", "--include-personal")
    assert failed.exit_code == 2
    assert str(folder) in failed.stderr and "efl-pack-" not in failed.stderr
    assert not (tmp_path / "p.zip").exists()
