"""A large file is read straight into the bytes object returned (efl.files.safe_files._fresh_bytes),
not in pieces joined at the end. It must give exactly the bytes of the file, as the piece-by-piece read
does, and keep every refusal of that read: a file that grows, shrinks or is rewritten while read, one
that grows past the limit, one that takes too long. The threshold is lowered here so that small files
take the in-place path, read a piece at a time (pieces made small too)."""

from __future__ import annotations

import hashlib
import os
import random

import pytest

import efl.files.safe_files as safe_files
from efl.files.safe_files import FileProblem, SafeFolder, read_inside, read_named_file

PIECE = 1000


@pytest.fixture
def in_place(monkeypatch):
    monkeypatch.setattr(safe_files, "FILL_IN_PLACE_BYTES", 1)
    monkeypatch.setattr(safe_files, "_CHUNK", PIECE)
    calls = []
    real = safe_files._fresh_bytes
    monkeypatch.setattr(safe_files, "_fresh_bytes", lambda size: calls.append(size) or real(size))
    return calls


def _contents(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(size))


@pytest.mark.parametrize("size", [1, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 7, 20_011])
def test_the_bytes_are_the_files_whichever_way_read(tmp_path, monkeypatch, in_place, size):
    data = _contents(size, size)
    (tmp_path / "f.csv").write_bytes(data)
    got = read_inside(tmp_path, "f.csv", 1 << 20)
    assert in_place == [size]  # the in-place path was taken
    assert type(got) is bytes and got == data and len(got) == size
    assert hash(got) == hash(bytes(bytearray(data)))  # a normal bytes object: hashed as any other
    assert {got: 1}[data] == 1
    with SafeFolder(tmp_path) as opened:
        again, print_ = opened.read_fingerprinted("f.csv", 1 << 20)
    assert again == data and print_.sha256 == hashlib.sha256(data).hexdigest() and print_.size == size
    assert read_named_file(tmp_path / "f.csv", 1 << 20) == data
    # The same as the piece-by-piece read when no fresh object can be made.
    monkeypatch.setattr(safe_files, "_fresh_bytes", lambda size: None)
    assert read_inside(tmp_path, "f.csv", 1 << 20) == data


def _on_the_second_piece(monkeypatch, change):  # noqa: ANN001, ANN202
    real = os.readv
    state = {"pieces": 0}

    def readv(fd, buffers):  # noqa: ANN001, ANN202
        state["pieces"] += 1
        if state["pieces"] == 2:
            change()
        return real(fd, buffers)

    monkeypatch.setattr(safe_files.os, "readv", readv)
    return state


def test_a_file_that_grows_while_read_is_refused(tmp_path, monkeypatch, in_place):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 2000)

    def grow() -> None:
        with open(path, "ab") as handle:
            handle.write(b"late,row\n" * 10)

    state = _on_the_second_piece(monkeypatch, grow)
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 1 << 20)
    assert state["pieces"] >= 2
    assert caught.value.kind == "changed"


def test_a_file_that_grows_past_the_limit_while_read_is_too_big(tmp_path, monkeypatch, in_place):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 2000)  # 8,000 bytes, under the limit of 9,000

    def grow() -> None:
        with open(path, "ab") as handle:
            handle.write(b"x" * 5000)

    _on_the_second_piece(monkeypatch, grow)
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 9000)
    assert caught.value.kind == "too-big" and "13,000 bytes" in caught.value.message


def test_a_file_that_shrinks_while_read_is_refused(tmp_path, monkeypatch, in_place):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 2000)

    def shrink() -> None:
        os.truncate(path, 1500)

    _on_the_second_piece(monkeypatch, shrink)
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 1 << 20)
    assert caught.value.kind == "changed"


def test_a_file_rewritten_in_place_while_read_is_refused(tmp_path, monkeypatch, in_place):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 2000)

    def rewrite() -> None:
        with open(path, "r+b") as handle:
            handle.write(b"z")
        os.utime(path, ns=(1, 1))  # a different modification time, as a save gives

    _on_the_second_piece(monkeypatch, rewrite)
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 1 << 20)
    assert caught.value.kind == "changed"


def test_reading_in_place_stops_at_the_time_limit(tmp_path, monkeypatch, in_place):
    (tmp_path / "f.csv").write_bytes(b"x" * (5 * PIECE))
    clock = iter(range(0, 10_000, 100))  # each look at the clock is 100 s later
    monkeypatch.setattr(safe_files.time, "monotonic", lambda: next(clock))
    real = os.readv
    pieces = []
    monkeypatch.setattr(safe_files.os, "readv", lambda fd, buffers: pieces.append(1) or real(fd, buffers))
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 1 << 20)
    assert caught.value.kind == "slow" and "took longer than 120 seconds" in caught.value.message
    assert len(pieces) < 5  # stopped before the end
