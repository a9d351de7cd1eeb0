"""The YAML layer: positions for every error, and the safety guards from perf-baselines.md."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from efl.errors import InputError
from efl.core.models import Assessment
from efl.files.yamlio import MAX_DEPTH, decode_text, parse_yaml, pydantic_diagnostics


def test_c_parser_is_active():
    # ruamel.yaml >= 0.19.1 ships no C parser unless the [oldlibyaml] extra is installed.
    assert YAML(typ="safe").Parser.__module__.startswith("ruamel.yaml.clib")


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "f.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_syntax_error_has_line_and_column():
    assert errors_of("a: [1, 2\nb: 3\n")[0].startswith("f.yaml:2:")


def test_duplicate_key_is_an_error_at_the_second_key():
    (msg,) = errors_of("a: 1\nb: 2\na: 3\n")
    assert msg.startswith("f.yaml:3:1: found duplicate key \"a\"")
    assert "expected each key once" in msg


def test_alias_is_refused_where_it_is_used():
    (msg,) = errors_of("a: &x [1, 2]\nb: *x\n")
    assert msg.startswith("f.yaml:2:4: YAML aliases")


def test_alias_bomb_is_rejected_fast():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    start = time.perf_counter()
    (msg,) = errors_of("\n".join(lines) + "\n")
    assert "aliases" in msg
    assert time.perf_counter() - start < 5  # generous: the point is no expansion, not speed


def test_deep_nesting_is_refused_without_crashing():
    # The C composer segfaults near 30,000 levels; the event scan must stop far earlier.
    (msg,) = errors_of("a: " + "[" * 40000 + "]" * 40000 + "\n")
    assert f"deeper than {MAX_DEPTH}" in msg
    assert msg.startswith("f.yaml:1:")


def test_python_tags_are_refused():
    (msg,) = errors_of("a: !!python/object/apply:os.system ['echo hi']\n")
    assert "is not allowed" in msg and msg.startswith("f.yaml:1:4")


def test_yaml_12_scalars_stay_strings():
    doc = parse_yaml("a: no\nb: on\nc: 0755\n", "f.yaml")
    assert doc.data == {"a": "no", "b": "on", "c": 755}


def test_non_utf8_points_at_the_bad_byte():
    with pytest.raises(InputError) as info:
        decode_text(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert str(info.value.diagnostics[0]).startswith("f.yaml:2:7: byte 0xe9 is not valid UTF-8")


def test_bom_is_accepted():
    assert decode_text(b"\xef\xbb\xbfa: 1\n", "f.yaml") == "a: 1\n"


def test_pydantic_errors_map_to_lines_with_hints():
    text = ("framework: eflg-2014\ncouncil:\n  name: X\n  employes: 12\ndate: soon\n"
            "evidence:\n  - id: a\n    type: policy\n    date: 2024-01-01\n    covers: 3\n")
    doc = parse_yaml(text, "assessment.yaml")
    with pytest.raises(ValidationError) as info:
        Assessment.model_validate(doc.data)
    messages = [str(d) for d in pydantic_diagnostics(info.value, doc, Assessment)]
    assert "assessment.yaml:4:3: council: unknown key 'employes' (did you mean 'employees'?)" in messages
    assert ("assessment.yaml:5:7: date: 'soon' is not a valid date (expected a date written as YYYY-MM-DD)"
            in messages)
    assert any(m.startswith("assessment.yaml:10:13: evidence[0].covers: 3 is not a list") for m in messages)
    assert len(messages) == 3


def test_duplicate_column_position_counts_quotes_as_csv_does():
    from efl.errors import InputError
    from efl.files.evidence import load_csv

    # The quote in 'x"y' is an ordinary character; the quoted "a,b" is one field with a comma in it.
    table = load_csv(b'x"y,"a,b",x"y\n1,2,3\n', "t.csv")
    assert [(d.line, d.col) for d in table.problems] == [(1, 11)]
    assert "column 'x\"y' appears twice" in table.problems[0].message
    try:
        table = load_csv(b'\x01",,\n', "q.csv")
    except InputError:
        raise AssertionError("a stray quote is ordinary text, not an error") from None
    assert [(d.line, d.col) for d in table.problems] == [(1, 5)]
