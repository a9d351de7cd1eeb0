"""SafeFolder.read checks the file it opened with one fstat and reads with that same one (the old way
asked again at once); the bytes are those of a plain read, the descriptor is looked at once fewer,
and a file that changes while it is read is still refused."""

from __future__ import annotations

import os

import pytest

from efl.files import safe_files
from efl.files.safe_files import FileProblem, SafeFolder


@pytest.fixture()
def folder(tmp_path):  # noqa: ANN001, ANN201
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "a.csv").write_bytes(b"id,pay\n" + b"1,2.5\n" * 1000)
    (tmp_path / "empty.md").write_bytes(b"")
    return tmp_path


def test_the_bytes_are_those_of_a_plain_read_with_one_fstat_fewer(folder, monkeypatch) -> None:  # noqa: ANN001
    calls = []
    real = os.fstat
    monkeypatch.setattr(safe_files.os, "fstat", lambda fd: calls.append(fd) or real(fd))
    with SafeFolder(folder) as opened:
        for name in ("evidence/a.csv", "empty.md"):
            calls.clear()
            assert opened.read(name, 10**6) == (folder / name).read_bytes()
            # the folder on the way, the file as opened, and the file after reading it
            assert len(calls) == name.count("/") + 2, name


def test_a_file_that_grows_while_read_is_refused(folder, monkeypatch) -> None:  # noqa: ANN001
    real = os.read
    grown = []

    def read_then_grow(fd, n):  # noqa: ANN001, ANN202
        data = real(fd, n)
        if not grown:
            grown.append(True)
            with open(folder / "evidence" / "a.csv", "ab") as handle:
                handle.write(b"2,3.5\n")
        return data

    monkeypatch.setattr(safe_files.os, "read", read_then_grow)
    with SafeFolder(folder) as opened, pytest.raises(FileProblem) as caught:
        opened.read("evidence/a.csv", 10**6)
    assert caught.value.kind == "changed" and grown
