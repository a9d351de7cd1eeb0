"""resolve_inside's quick way (one lstat per part below the folder) agrees with Path.resolve everywhere.

The reference is the slow way resolve_inside always took: ``(folder.resolve() / relative).resolve()``
and the inside-the-folder check. Every relative path of a folder with links inside it, links out
of it, folders, missing files, ``..`` and odd spellings must give the same path or the same error,
whether or not the caller passes the folder already resolved. And nothing is remembered between
calls: a folder that becomes a link to somewhere else is seen as one at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from efl.errors import InputError
from efl.files.evidence import _plainly_below, resolve_inside


def slow_way(folder: Path, relative: str) -> Path | str:
    root = folder.resolve()
    try:
        target = (root / relative).resolve()
    except (RuntimeError, OSError):
        return root / relative
    if target != root and root not in target.parents:
        return "outside"
    return target


def outcome(folder: Path, relative: str, root: Path | None) -> Path | str:
    try:
        return resolve_inside(folder, relative, "assessment.yaml", root)
    except InputError as error:
        return "outside" if "leads outside" in str(error) else f"error: {error}"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.csv").write_text("x\n")
    real = tmp_path / "real-council"
    (real / "evidence" / "deeper").mkdir(parents=True)
    (real / "evidence" / "a.csv").write_text("a\n")
    (real / "evidence" / "deeper" / "b.md").write_text("b\n")
    (real / "top.yaml").write_text("c: 1\n")
    os.symlink("a.csv", real / "evidence" / "link-in.csv")
    os.symlink("../top.yaml", real / "evidence" / "up-in.yaml")
    os.symlink(outside / "secret.csv", real / "evidence" / "link-out.csv")
    os.symlink("../../elsewhere/secret.csv", real / "evidence" / "rel-out.csv")
    os.symlink("deeper", real / "evidence" / "folder-link")
    os.symlink(outside, real / "evidence" / "folder-out")
    os.symlink("loop-b", real / "evidence" / "loop-a")
    os.symlink("loop-a", real / "evidence" / "loop-b")
    council = tmp_path / "council"  # the folder efl is given is itself a link, as in bench/data
    os.symlink(real, council)
    return council


RELATIVE = ["evidence/a.csv", "evidence/deeper/b.md", "evidence/deeper", "top.yaml", "evidence//a.csv",
            "./evidence/a.csv", "evidence/./a.csv", "evidence/missing.csv", "missing/a.csv",
            "evidence/a.csv/inside", "evidence/link-in.csv", "evidence/up-in.yaml", "evidence/link-out.csv",
            "evidence/rel-out.csv", "evidence/folder-link/b.md", "evidence/folder-out/secret.csv",
            "evidence/loop-a", "evidence/../top.yaml", "evidence/../../elsewhere/secret.csv", "..", ".",
            "evidence/", "evidence\\a.csv", "évidence/a.csv"]


@pytest.mark.parametrize("relative", RELATIVE)
def test_the_quick_way_gives_what_resolve_gives(tree: Path, relative: str) -> None:
    expected = slow_way(tree, relative)
    assert outcome(tree, relative, None) == expected
    assert outcome(tree, relative, tree.resolve()) == expected


def test_the_quick_way_is_taken_for_plain_paths_and_not_for_links(tree: Path) -> None:
    # Otherwise the comparison above would only compare Path.resolve with itself.
    root = tree.resolve()
    assert _plainly_below(root, Path("evidence/a.csv")) == root / "evidence" / "a.csv"
    assert _plainly_below(root, Path("evidence/deeper/b.md")) == root / "evidence" / "deeper" / "b.md"
    for relative in ("evidence/link-in.csv", "evidence/folder-link/b.md", "evidence/missing.csv", "evidence/../top.yaml"):
        assert _plainly_below(root, Path(relative)) is None, relative


def test_a_folder_that_becomes_a_link_out_is_seen_at_once(tree: Path, tmp_path: Path) -> None:
    assert outcome(tree, "evidence/a.csv", None) == tree.resolve() / "evidence" / "a.csv"
    real_evidence = tree.resolve() / "evidence"
    os.rename(real_evidence, tmp_path / "moved-away")
    os.symlink(tmp_path / "elsewhere", real_evidence)
    (tmp_path / "elsewhere" / "a.csv").write_text("not the council's\n")
    assert outcome(tree, "evidence/a.csv", None) == "outside"
    assert outcome(tree, "evidence/a.csv", tree.resolve()) == "outside"
