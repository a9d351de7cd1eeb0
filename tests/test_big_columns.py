"""The Arrow reader's fast paths give the whole assessment the Python reader gives, byte for byte.

Large workforce files are read by Arrow and their figures worked from counts of codes (the pay
groups, the pay quarters per rate, the tallies, columns kept as codes until a row is asked for);
small ones by Python's csv module and worked row by row. The same awkward file is assessed both
ways here (forced through each reader) and every fact, warning and error must be the same: ties on
the quarter lines, small groups, blanks, mixed codings of one answer, people not on full pay, a
reduced-pay column instead of full pay, dates of birth, one ethnic group only.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from efl.files import columnar, evidence  # noqa: E402
from efl.testing import run_efl  # noqa: E402

BEXLEY = Path(__file__).resolve().parent.parent / "assessments" / "bexley"

ETHNIC = ["white british", "WBRI", "White - English, Welsh, Scottish, Northern Irish or British", "Indian", "AIND",
          "black or black british", "Black African", "BAFR", "mixed", "Chinese", "Gypsy or Irish Traveller",
          "prefer not to say", "", "Martian", "other ethnic group"]
RATES = ["9.50", "10.00", "10.00", "12.25", "12.25", "12.25", "15.10", "18.00", "22.40", "40.00", "", "0"]


def _awkward(rng: random.Random, n: int, *, reduced: bool = False, born: bool = False, one_group: bool = False,
             ints: bool = False) -> str:
    header = ["Employee Number", "Legal Sex", "Hourly Rate", "Reduced Pay" if reduced else "Full Pay",
              "Bonus", "Senior", "Date of Birth" if born else "Age Band", "Disabled", "Ethnic Origin", "Religion"]
    rows = [",".join(header)]
    for i in range(n):
        rate = rng.choice(RATES)
        if ints and rate:
            rate = str(int(float(rate)))
        flag = rng.choice(["true", "true", "true", "false", "Y", "N", ""])
        age = (f"{rng.randint(1950, 2008)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if born
               else rng.choice(["16-24", "25-34", "35-44", "45-54", "55-64", "65+", "", "unknown", "40"]))
        ethnic = "white british" if one_group else rng.choice(ETHNIC)
        rows.append(",".join([f"P{i:06d}", rng.choice(["F", "M", "Female", "male", "", "Not known", "X"]), rate, flag,
                              rng.choice(["0", "0", "", "150.00", "99.99", "1200"]),
                              rng.choice(["true", "false", "false", ""]), age,
                              rng.choice(["yes", "no", "no", "Y", "N", "prefer not to say", ""]), f'"{ethnic}"',
                              rng.choice(["christian", "no religion", "Muslim", "", "jedi"])]))
    return "\n".join(rows) + "\n"


def _assess(tmp_path: Path, name: str, text: str, arrow: bool, monkeypatch, *args: str, parse: str = "guess"
            ) -> tuple[int, str, str]:
    folder = tmp_path / name
    if not folder.exists():
        shutil.copytree(BEXLEY, folder)
        (folder / "evidence" / "workforce-profile.csv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if arrow else 10**12)
    # Columns parsed into codes (every one, or as the reader guesses) or as text, in pieces of a few dozen
    # rows, each coded against its own dictionary, as a large file's are.
    if parse != "guess":
        monkeypatch.setattr(columnar, "_distinct_looking", lambda data, end, names: set(names) if parse == "text" else set())
    monkeypatch.setattr(columnar, "_BLOCK", 4096)
    # The Arrow reader keeps the bytes compressed, as it does for large files, so positions (warnings,
    # errors) are worked out from the bytes put back.
    monkeypatch.setattr(columnar, "COMPACT_BYTES", 0)
    monkeypatch.setattr(columnar, "LARGE_ROWS", 0)  # codes narrowed, memory given back: as for large files
    monkeypatch.setattr(evidence, "HASH_BESIDE_BYTES", 0 if arrow else 10**12)  # hashed on a second thread
    result = run_efl("assess", folder, "--format", "json", *args)
    return result.exit_code, result.output, result.stderr


@pytest.mark.parametrize("seed,options", [
    (1, {}), (2, {"reduced": True}), (3, {"born": True}), (4, {"one_group": True}), (5, {"ints": True}),
    (6, {"reduced": True, "born": True}),
])
@pytest.mark.parametrize("parse", ["guess", "coded", "text"])
def test_the_arrow_reader_gives_the_python_readers_assessment(tmp_path, monkeypatch, seed, options, parse):
    rng = random.Random(seed)
    text = _awkward(rng, rng.choice([1500, 2600]), **options)
    fast = _assess(tmp_path, f"c{seed}", text, True, monkeypatch, parse=parse)
    slow = _assess(tmp_path, f"c{seed}", text, False, monkeypatch)
    assert fast[0] == slow[0] == 0, (fast[2], slow[2])
    assert fast[2] == slow[2]  # every warning, with its file:line:col
    assert fast[1] == slow[1]  # the JSON, byte for byte
    facts = {f["name"]: f for f in json.loads(fast[1])["facts"]}
    # The figures the fast paths work out are there to compare (not "not worked out" both ways).
    assert facts["workforce.pay_gap.quartiles"]["value"] is not None
    if options.get("one_group"):  # nobody to compare: no ethnicity figures, the same way round both ways
        assert "workforce.ethnicity_pay_quarters" not in facts
    else:
        assert facts["workforce.ethnicity_pay_quarters"]["value"]["ranked"] > 100


def test_the_same_errors_from_both_readers(tmp_path, monkeypatch):
    rng = random.Random(9)
    lines = _awkward(rng, 1500).splitlines()
    lines[40] = lines[40].replace(lines[40].split(",")[0], lines[7].split(",")[0], 1)  # a repeated id
    lines[90] = ",".join(["", *lines[90].split(",")[1:]])  # an empty id
    text = "\n".join(lines) + "\n"
    slow = _assess(tmp_path, "bad", text, False, monkeypatch)
    for parse in ("guess", "coded", "text"):
        fast = _assess(tmp_path, "bad", text, True, monkeypatch, parse=parse)
        assert fast == slow, parse
    assert fast[0] == 2
    assert "workforce-profile.csv:41:1: employee_id: 'P000006' also appears on line 8" in fast[2]
    assert "workforce-profile.csv:91:1: employee_id: the cell is empty" in fast[2]


# --- a column kept as codes reads as the plain list of its rows ------------------------------------

def _coded(cells: list[str], meaning):  # noqa: ANN001, ANN202
    import pyarrow as pa

    table = columnar.ArrowTable(b"", "staff.csv", pa.table({"c0": pa.array(cells, pa.string())}), ["c0"])
    column = table.encode_column(0)
    return column.map([meaning(c) for c in column.distinct])


@pytest.mark.parametrize("operation", [
    len, list, tuple, sorted, reversed, bool, repr, str, sum, set, __import__("copy").copy,
    __import__("copy").deepcopy, lambda x: x[3], lambda x: x[-1], lambda x: x[2:7], lambda x: 11 in x,
    lambda x: x.count(10), lambda x: x.index(12), lambda x: x == [v for v in x], lambda x: [0] + x, lambda x: x + [0],
    lambda x: x * 2, lambda x: 2 * x, lambda x: x.copy(), lambda x: list(zip(x, x)), lambda x: x < [99],
    lambda x: __import__("pickle").loads(__import__("pickle").dumps(x)), lambda x: __import__("json").dumps(list(x)),
    lambda x: (x.append(5), x)[1], lambda x: (x.sort(), x)[1], lambda x: (x.pop(), x)[1], lambda x: (x.extend([1]), x)[1],
])
def test_a_coded_column_reads_as_its_list(operation):
    cells = ["10", "12", "10", "11", "", "12", "10", "9", "11", "10"]
    meaning = lambda c: int(c) if c else 0  # noqa: E731
    plain = [meaning(c) for c in cells]
    coded = _coded(cells, meaning)
    assert not coded._filled  # nothing made yet
    assert len(coded) == len(plain) and not coded._filled  # the length is the codes'
    got, want = operation(coded), operation(list(plain))
    if hasattr(want, "__next__"):
        got, want = list(got), list(want)
    assert got == want
    assert type(got) is type(want) or isinstance(got, columnar.Coded)


def test_a_workforce_profiles_fields_are_complete_lists(monkeypatch):
    import json as json_module

    from efl.core.models import Assessment
    from efl_plugins.readers.workforce_reader import parse_workforce

    text = _awkward(random.Random(3), 300, born=False)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    table = columnar.load_table(text.encode(), "w.csv")
    assert isinstance(table, columnar.ArrowTable)
    profile = parse_workforce(table, None, Assessment.model_construct(local_characteristics=[], values=None,
                                                                      council=None))
    kept = profile.rows_of("hourly_pay")
    assert isinstance(kept, columnar.Coded) and not kept._filled  # the figures use the codes
    # What a plugin reads is the whole list: C code that reads a list's storage (json) sees every row.
    rows = json_module.loads(json_module.dumps({"pay": profile.hourly_pay, "sex": profile.sex,
                                                "readings": {k: [r.kind for r in v] for k, v in profile.readings.items()}}))
    assert len(rows["pay"]) == len(rows["sex"]) == 300
    assert all(len(v) == 300 for v in rows["readings"].values())
    assert json_module.dumps(profile.senior) == json_module.dumps([bool(x) for x in profile.senior])


def test_a_file_hashed_beside_its_parse_has_its_own_sha256(monkeypatch):
    import hashlib
    import threading

    data = bytes(range(256)) * 5000
    monkeypatch.setattr(evidence, "HASH_BESIDE_BYTES", 0)
    before = threading.active_count()
    collect = evidence.sha256_soon(data)
    assert collect() == hashlib.sha256(data).hexdigest() == collect()
    assert threading.active_count() == before  # the thread is finished once collected
    monkeypatch.setattr(evidence, "HASH_BESIDE_BYTES", 10**12)
    assert evidence.sha256_soon(b"abc")() == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize("size", [0, 1, 5, 64, 65, 200])
def test_compacted_bytes_are_put_back_exactly(monkeypatch, size):
    import pyarrow as pa

    monkeypatch.setattr(columnar, "_PIECE", 64)  # several pieces, the last one short
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    table = columnar.ArrowTable(data, "w.csv", pa.table({"c0": pa.array([], pa.string())}), ["c0"])
    table.compact()
    assert not isinstance(table._data, bytes) and table._bytes() == data


def test_a_blank_cell_is_one_that_trims_to_nothing_for_every_character():
    import pyarrow as pa

    # Every character up to U+30FF alone and between spaces, and the usual suspects.
    chars = [chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000]
    cells = ["", " ", "  ", "\t \t", "a", " a ", "\u00a0", "\u3000 ", *chars, *(f"{c} {c}" for c in chars)]
    trimmed = columnar._kernel("utf8_trim_whitespace", pa.array(cells, pa.string())).to_pylist()
    assert columnar._blank(pa.array(cells, pa.string())).to_pylist() == [t == "" for t in trimmed]
    assert sum(t == "" for t in trimmed) > 20  # white space other than the space is among them


@pytest.mark.parametrize("row,arrow", [(" , ,\t", False), (",,", False), ("\u00a0,,", False), (" ,x,", True),
                                       ("a,,", True), (",, y", True)])
def test_only_a_row_blank_in_every_cell_sends_the_file_to_the_python_reader(monkeypatch, row, arrow):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    text = "id,b,c\n" + "".join(f"E{i},{i},z\n" for i in range(50)) + row + "\nE99,1,z\n"
    table = columnar.load_table(text.encode(), "w.csv")
    assert isinstance(table, columnar.ArrowTable) == arrow


@pytest.mark.parametrize("operation", [
    lambda a, b: a + b, lambda a, b: a == b, lambda a, b: a != b, lambda a, b: a < b, lambda a, b: a >= b,
    lambda a, b: (a.extend(b), a)[1], lambda a, b: (a.__iadd__(b), a)[1], lambda a, b: [list(a), b.count(10)],
])
def test_two_coded_columns_together_read_as_their_lists(operation):
    """Neither column filled yet: list's own methods read the other's storage directly, so it is filled too."""
    meaning = lambda c: int(c) if c else 0  # noqa: E731
    cells_a, cells_b = ["10", "12", "10", "", "9"], ["10", "12", "10", "", "11", "10"]
    got = operation(_coded(cells_a, meaning), _coded(cells_b, meaning))
    want = operation([meaning(c) for c in cells_a], [meaning(c) for c in cells_b])
    assert got == want
