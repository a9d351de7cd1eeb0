"""The one pass's process-wide memo of plain scalars (their tags, and the dates built from them).

A batch reads the same short scalars in every council's assessment.yaml, so efl.files.yamlio keeps
what it has worked out about them for the whole process. The full parse (``parse_in_full``, ruamel's
composer and constructor, no memo) is the reference: with the tables cold, warm, and warmed by
other documents in which the same text means something else (quoted, a key, a list item), the one
pass must give the same data with the same types, positions included, and refuse what it refused.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from efl.errors import InputError
from efl.files import yamlio
from efl.files.yamlio import SLOW, one_pass, parse_in_full, parse_yaml
from test_yaml_fast import REPO_YAML, same

# Plain scalars of every kind the resolver tells apart, and near misses of each.
SCALARS = ["2025-01-20", "2025-1-2", "2025-02-30", "0002-01-01", "2025-01-20 10:30:00", "2025-01-20T10:30:00Z",
           "2001-12-14t21:59:43.10-05:00", "20250120", "true", "True", "TRUE", "false", "yes", "no", "on", "off",
           "y", "n", "null", "Null", "~", "", "0", "007", "0o17", "0x1F", "1_000", "-3", "+4", "1.50", "1.5",
           ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".nan", "NaN", "12:30", "1:20:30", "=", "hello", "Bexley",
           "évidence", "e\u0301vidence", "x" * 40, "2" * 41, "2025-01-20" + " " * 31 + "x"]


def all_styles(value: str) -> list[str]:
    """The scalar written plain, single-quoted and double-quoted (quoted ones are always text)."""
    out = [f"'{value}'", '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"']
    if value and value.strip() == value and not value.startswith(("'", '"', "=")):
        out.append(value)
    return out


def documents(rng: random.Random, n: int) -> list[str]:
    docs = []
    for _ in range(n):
        lines = []
        for k in range(rng.randint(1, 8)):
            value = rng.choice(all_styles(rng.choice(SCALARS)))
            shape = rng.randrange(3)
            if shape == 0:
                lines.append(f"key{k}: {value}")
            elif shape == 1:
                lines.append(f"key{k}:\n  - {value}\n  - {rng.choice(all_styles(rng.choice(SCALARS)))}")
            else:
                lines.append(f"key{k}: {{inner: {value}}}")
        if rng.random() < 0.3:  # a scalar as a key
            lines.append(f"{rng.choice(SCALARS[:5] + ['Bexley', 'true'])}: x")
        docs.append("\n".join(lines) + "\n")
    return docs


def full_or_refused(text: str):  # noqa: ANN201
    try:
        return parse_in_full(text, "x.yaml")
    except InputError as exc:
        return exc


def check(text: str) -> None:
    full = full_or_refused(text)
    nodes, keep = {}, []
    quick = one_pass(text, nodes, keep)
    if isinstance(full, InputError):
        assert quick is SLOW, text
        with pytest.raises(InputError) as again:
            parse_yaml(text, "x.yaml")
        assert [str(d) for d in again.value.diagnostics] == [str(d) for d in full.diagnostics]
        return
    if quick is SLOW:
        return
    assert same(quick, full.data), text
    doc = parse_yaml(text, "x.yaml")
    assert same(doc.data, full.data), text
    for key in full.data if isinstance(full.data, dict) else ():
        assert doc.locate((key,)) == full.locate((key,)), text


@pytest.fixture
def cold_memo(monkeypatch):
    monkeypatch.setattr(yamlio, "_TAGS", {})
    monkeypatch.setattr(yamlio, "_DATES", {})


def test_many_documents_read_the_same_with_the_memo_cold_and_warm(cold_memo) -> None:
    rng = random.Random(29)
    docs = documents(rng, 400)
    for text in docs:  # cold at first, warming as it goes
        check(text)
    assert yamlio._TAGS and yamlio._DATES  # the memo was used
    for text in reversed(docs):  # every document again, the memo warm from all of them
        check(text)


def test_every_yaml_file_in_the_repository_reads_the_same_twice(cold_memo) -> None:
    for _ in range(2):
        for path in REPO_YAML:
            check(path.read_bytes().decode("utf-8-sig"))


def test_a_date_that_does_not_exist_is_refused_however_warm_the_memo(cold_memo) -> None:
    assert one_pass("a: 2025-02-28\n") == {"a": dt.date(2025, 2, 28)}
    for _ in range(2):
        assert one_pass("a: 2025-02-30\n") is SLOW
        assert one_pass("a: 0002-01-01\n") is SLOW
    assert "2025-02-30" not in yamlio._DATES and "0002-01-01" not in yamlio._DATES
    assert one_pass("a: '2025-02-30'\n") == {"a": "2025-02-30"}  # quoted: text, as before


def test_remembered_dates_are_the_dates_built_afresh(cold_memo) -> None:
    text = "a: 2025-01-20\nb:\n  - 2025-01-20\n  - 2025-01-20 10:30:00\n"
    first, second = one_pass(text), one_pass(text)
    assert same(first, second) and same(first, parse_in_full(text, "x.yaml").data)
    assert type(second["b"][1]) is dt.datetime and type(second["a"]) is dt.date


def test_the_memo_stays_small(cold_memo, monkeypatch) -> None:
    monkeypatch.setattr(yamlio, "_MEMO_ENTRIES", 50)
    for i in range(300):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=i)
        check(f"word{i}: {day.isoformat()}\nlong: {'y' * 60}{i}\n")
        assert len(yamlio._TAGS) <= 50 and len(yamlio._DATES) <= 50
    assert not any(len(k) > yamlio._MEMO_LONGEST for k in yamlio._TAGS)
