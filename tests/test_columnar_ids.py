"""The employee id check of the column reader: ids in order take a linear path, and it gives the same
answer as counting distinct values, which is checked here against a plain Python set."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from efl.files import columnar  # noqa: E402
from efl.testing import make_folder  # noqa: E402


def unique_and_filled(values: list[str]) -> bool:
    table = columnar.ArrowTable(b"", "staff.csv", pa.table({"c0": pa.array(values, pa.string())}), ["c0"])
    return table.unique_and_filled(0)


def by_hand(values: list[str]) -> bool:
    """Every id filled in (spaces aside) and no two the same once spaces are trimmed."""
    trimmed = [v.strip() for v in values]
    return all(trimmed) and len(set(trimmed)) == len(trimmed)


@pytest.mark.parametrize(("values", "expected"), [
    (["E001", "E002", "E003"], True),        # in text order: the linear path
    (["E9", "E10", "E11"], True),            # neither text nor number order: counted
    (["9", "10", "11"], True),               # whole numbers of different widths: in number order
    (["3", "1", "2"], True),                 # shuffled: counted
    (["E001", "E002", "E002"], False),       # a repeat at the end of an ordered file
    (["1", "2", "2", "3"], False),
    (["7", "07"], True),                     # two different ids, though the same number
    (["07", "7", "7"], False),
    (["E001", " E001"], False),              # the same once trimmed
    (["E001", "  "], False),                 # a blank id
    (["E001", ""], False),
    ([], True),
    (["E001"], True),
])
def test_ids_hand_picked(values, expected):
    assert by_hand(values) == expected
    assert unique_and_filled(values) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1", "2", "3", "01", "10", "9", "-1", "+2", "0", "-0", "E1", "E2", " E1", "e1", ""]),
                max_size=8), st.booleans())
def test_ids_agree_with_a_set(values, ordered):
    if ordered:  # the order HR systems export in, where the fast path applies
        values = sorted(values)
    assert unique_and_filled(values) == by_hand(values)


def _council(tmp_path: Path, ids: list[str]) -> Path:
    rng = random.Random(5)
    rows = "".join(f"{i},{rng.choice('FM')},{rng.choice(['12.50', '14.25', '20.00'])}\n" for i in ids)
    evidence = [{"id": "staff", "type": "workforce-profile", "file": "staff.csv", "date": "2025-03-31"}]
    assessment = {"framework": "eflg-2014", "council": {"name": "Testshire"}, "date": "2025-11-14",
                  "evidence": evidence}
    return make_folder(tmp_path / "council", {"assessment.yaml": assessment,
                                              "staff.csv": "employee_id,sex,hourly_pay\n" + rows})


def test_a_repeated_id_in_a_large_ordered_file_is_found_by_the_installed_efl(tmp_path):
    ids = [f"E{i:06d}" for i in range(1, 12_001)]  # about 250 kB: read by the column reader
    ids[9_000] = ids[8_999]
    folder = _council(tmp_path, ids)
    assert (folder / "staff.csv").stat().st_size > columnar.MIN_BYTES
    efl = str(Path(sys.executable).with_name("efl"))
    done = subprocess.run([efl, "validate", str(folder)], capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    # Header on line 1, so the ids at rows 8,999 and 9,000 (from 0) are on lines 9,001 and 9,002.
    assert "staff.csv:9002:1: employee_id: 'E009000' also appears on line 9001 (expected unique ids)" in done.stderr
    assert "Traceback" not in done.stderr


def test_ids_in_number_order_of_different_widths_pass(tmp_path):
    folder = _council(tmp_path, [str(i) for i in range(1, 12_001)])
    efl = str(Path(sys.executable).with_name("efl"))
    done = subprocess.run([efl, "validate", str(folder)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
