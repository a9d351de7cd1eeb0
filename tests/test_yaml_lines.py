"""The line reader (efl.files.yaml_lines) gives one_pass's data exactly, or gives up.

The reference is :func:`efl.files.yamlio.one_pass` (itself checked against the full parse by
tests/test_yaml_fast.py). For every input here the reader either returns SLOW or returns data equal
to one_pass's with the same types all the way down (``1`` is not ``1.0`` nor ``'1'``, True is not 1,
a date is not a datetime, a number keeps how it was written); and it must never return data for a
text one_pass hands over. Inputs: every YAML file in the repository, plans written by efl's two plan
writers, generated documents dumped by ruamel as efl dumps, and those documents mangled by hand.
The reader must also take the plans themselves (else it is no use) and give up on each construct it
does not read.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efl.files.yaml_lines import SLOW, read_lines
from efl.files.yamlio import one_pass

ROOT = Path(__file__).resolve().parent.parent


def same(a, b) -> bool:  # noqa: ANN001
    """Equal, with the same types all the way down, keys in the same order, numbers written the same."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k, k2) for k, k2 in zip(a, b)) and all(
            same(v, v2) for v, v2 in zip(a.values(), b.values()))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b) and getattr(a, "written", None) == getattr(b, "written", None)
    return a == b and getattr(a, "written", None) == getattr(b, "written", None)


def check(text: str) -> str:
    """'read' (the reader's data is one_pass's) or 'slow' (it gave up); fails on any difference."""
    quick = read_lines(text)
    if quick is SLOW:
        return "slow"
    reference = one_pass(text)
    assert reference is not SLOW, f"the line reader read what one_pass hands over: {text[:300]!r}"
    assert same(quick, reference), f"{text[:300]!r}\n{quick!r:.300}\n{reference!r:.300}"
    return "read"


# --- files and plans --------------------------------------------------------------------------------

REPO_YAML = sorted(p for p in ROOT.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not any(
    part.startswith(".venv") or part in ("node_modules", ".git") for part in p.parts))


def test_every_yaml_file_in_the_repository_reads_the_same_or_is_handed_over() -> None:
    outcomes = {path: check(path.read_bytes().decode("utf-8-sig")) for path in REPO_YAML}
    assert len(outcomes) > 25
    # Some of them are in the subset (the generated benchmark plans, block-style files), so the
    # comparison above compared data, not just SLOW.
    assert sum(o == "read" for o in outcomes.values()) >= 3, outcomes


def _plan_gen():  # noqa: ANN202
    sys.path.insert(0, str(ROOT / "bench"))
    import plan_gen

    return plan_gen


@pytest.mark.parametrize(("lines", "seed"), [(1, 1), (7, 2), (60, 3), (300, 29), (1200, 5), (2000, 11)])
def test_plans_efl_writes_are_read_and_read_the_same(lines: int, seed: int) -> None:
    from efl.plan.action_plan import to_yaml

    text = to_yaml(_plan_gen().make_plan(lines, seed))
    assert check(text) == "read"


def test_a_merged_plan_is_read_and_reads_the_same() -> None:
    # merge_yaml_text is the other writer: ruamel's round trip, sequences indented ("  - id: x"),
    # lines unwrapped; efl's proposed lines go on the end, with dates, numbers and empty text.
    from efl.plan.action_plan import PlanLine, merge_yaml_text, to_yaml

    text = to_yaml(_plan_gen().make_plan(40, 7))
    new = [PlanLine(id=f"new-{i}", criterion=f"c.{i}", area="scw", lead="Head of HR", status="not started",
                    action="Publish the pay gap: figures\nand a narrative " * (i + 1), due=dt.date(2027, 3, 31),
                    outcome="", measure="", proposed=dt.date(2026, 12, 1), priority=i % 3 + 1) for i in range(5)]
    merged = merge_yaml_text(text, new)
    assert "  - id: new-0" in merged or "- id: new-0" in merged
    assert check(merged) == "read"
    assert check(merge_yaml_text(merged, [])) == "read"


def test_the_benchmark_plan_is_read_and_reads_the_same() -> None:
    path = ROOT / "bench" / "data" / "plan-5000-yaml-29" / "action-plan.yaml"
    if not path.exists():
        pytest.skip("the benchmark data is made by bench/plan_gen.py")
    assert check(path.read_text(encoding="utf-8")) == "read"


# --- what the reader reads, and what it leaves ------------------------------------------------------

READ = [
    "a: 1\nb: 1.10\nc: 0o17\nd: 1_000\ne: +5\nf: -0.0\ng: 1e3\nh: .inf\ni: .NaN\nj: 0x1F\nk: 007\n",
    "t: True\nu: false\nv: yes\nw: ~\nx:\ny: null\nz: 'null'\n",
    "d: 2026-03-31\ne: 2026-03-31 12:30:00\n",
    "text: \"cafe\u0301\"\nplain: cafe\u0301\nkey\u0301: x\n",
    "x: 'it''s'\ny: \"tab\\there \\\"q\\\" \\\\ \\x41\\u00e9\\U0001F600\"\n",
    "x: 12:30\ny: 1:2:3\nz: a:b\nw: C#\n",
    "a: plain # a comment\nb: 'quoted'   # another\n# a line of comment\n\nc:   # empty\n",
    "long: one two three \n  four five\n  six\nnext: x\n",
    "lines:\n- id: a\n  notes:\n  - date: 2026-01-01\n    text: one\n  - date: 2026-01-02\n    text: two\n- id: b\n",
    "lines:\n  - id: a\n    notes:\n      - date: 2026-01-01\n        text: one\nafter: 1\n",
    "k: \"one two\n  three\\\n  four\\nfive\"\n",
    "k: 'one\n\n  two\n  three'\n",
    "outcome: \n  https://example.org/a-long-address\n  and more\nnext: 1\n",
    "- a\n- 'b'\n- 1\n- x: y\n  z: w\n",
    "1: one\nfalse: no\n~: nothing\n2026-01-01: a date key\n",
    "nested:\n  deeper:\n    deepest: 1\n  back: 2\ntop: 3\n",
]


@pytest.mark.parametrize("text", READ)
def test_the_subset_is_read_and_reads_the_same(text: str) -> None:
    assert check(text) == "read"


def test_values_come_out_as_yaml_says() -> None:
    data = read_lines(READ[7] + READ[10] + "z: -5\n")
    assert data == {"long": "one two three four five six", "next": "x", "k": "one two threefour\nfive", "z": -5}
    assert read_lines(READ[11]) == {"k": "one\ntwo three"}
    assert str(read_lines("v: 1.10\n")["v"]) == "1.10"
    assert read_lines("d: 2026-03-31\n") == {"d": dt.date(2026, 3, 31)}


GIVES_UP = [
    "",  # nothing
    "# only a comment\n",
    "---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\n...\n",
    "--- 1\n--- 2\n",
    "a: {b: 1}\n",
    "a: [1, 2]\n",
    "- {id: a}\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !local x\n",
    "a: |\n  two\n  lines\n",
    "a: >\n  folded\n",
    "a: 1\na: 2\n",
    "1: one\n1.0: again\n",
    "<<: {a: 1}\n",
    "a: <<\n",
    "e: =\n",
    "\ta: 1\n",
    "a: b\tc\n",
    "a: 1\r\nb: 2\r\n",
    "a: x\x85y\n",
    "a: x\u2028y\n",
    "a: x\x01y\n",
    "a: \ufeffx\n",
    "'a': 1\n",
    "\"a\": 1\n",
    "? a\n: b\n",
    "a : 1\n",
    "a: b: c\n",
    "a: b\n  c: d\n",
    "a: b #c\n  d\n",
    "a: b\n  # c\n  d\n",
    "a: b\n\n  c\n",
    "  a: 1\n",
    "a: 1\n  b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "a:\n- 1\nb: 2\n- 3\n",
    "- a\nb: 1\n",
    "-\n",
    "- \n",
    "- - a\n",
    "-  a: 1\n",
    "a: - b\n",
    "a: 'x' y\n",
    "a: 'unclosed\n",
    "a: \"bad \\q escape\"\n",
    "a: \"lone \\ud800 half\"\n",
    "a: \"\\/\"\n",
    "a: `x`\n",
    "a: @x\n",
    "a: %x\n",
    "a: ?x\n",
    "a: :x\n",
    "a: 2026-02-30\n",  # not a real date: the full parse says so
    "a: 0025-01-01\n",
    "k" * 300 + ": 1\n",
    "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 70)) + " " * 70 + "c: 1\n",
]


@pytest.mark.parametrize("text", GIVES_UP)
def test_anything_else_is_handed_over(text: str) -> None:
    assert read_lines(text) is SLOW


def test_as_many_values_as_one_pass_allows_and_no_more() -> None:
    from efl.files.yamlio import MAX_NODES

    # Values as one_pass counts them: the root, and each key and its value.
    at_most = "".join(f"k{i}: v\n" for i in range((MAX_NODES - 1) // 2))
    assert check(at_most) == "read"
    assert read_lines(at_most + "one: more\n") is SLOW and one_pass(at_most + "one: more\n") is SLOW


# --- generated documents -----------------------------------------------------------------------------

TRICKY_TEXT = ["", " ", "1", "1.0", "1e3", "0o17", "0x1F", "007", "+5", "-0.0", ".inf", "-.inf", ".NaN", "1_000",
               "true", "True", "TRUE", "yes", "no", "on", "null", "Null", "~", "2026-03-31", "2026-02-30",
               "2026-03-31 12:30:00", "2026-03-31T12:30:00Z", "12:30", "a: b", "a:b", "a #b", "a#b", "#x", "x#",
               "'q'", "\"q\"", "it's", "say \"hi\"", " lead", "trail ", "  both  ", "-", "- x", "-x", "--x", "?", "? x",
               ":x", "<<", "=", "[a]", "{a: b}", "&a", "*a", "!x", "|", ">", "%x", "@x", "`x`", "café", "cafe\u0301",
               "Māori", "’s", "\u00a0nbsp", "tab\there", "line\nbreak", "two\n\nbreaks", "back\\slash", "\\",
               "end\\", "x\x07y", "\x85", "\u2028", "\ufeff", "😀", "ends:", "http://x.org/a:b", "a - b", "a -b",
               "---", "...", "--- x"]
WORDS = ["the", "council", "will", "review", "équité", "data", "co-production", "https://example.org/x-y",
         "a:", "#", "-", "'", '"', "\\", "x" * 120]


def _texts() -> st.SearchStrategy:
    long = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)
    pieces = st.lists(st.sampled_from(list("ab :#'\"-\\\n 1.é") + ["e\u0301", "\t", "\u00a0", "’", ": ", " #"]),
                      max_size=30).map("".join)
    return st.one_of(st.sampled_from(TRICKY_TEXT), long, pieces, st.text(max_size=20))


def _scalars() -> st.SearchStrategy:
    return st.one_of(_texts(), _texts(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(),
                     st.none(), st.dates(dt.date(1800, 1, 1), dt.date(2300, 1, 1)))


def _keys() -> st.SearchStrategy:
    plain = st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True)
    return st.one_of(plain, plain, plain, _texts(), st.integers(0, 99), st.booleans(), st.none(),
                     st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))


def _documents() -> st.SearchStrategy:
    return st.recursive(_scalars(), lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                            st.dictionaries(_keys(), inner, max_size=6)),
                        max_leaves=30).filter(lambda d: isinstance(d, (dict, list)))


def _dump_safe(data, width: int) -> str:  # noqa: ANN001 - as efl.plan.action_plan.to_yaml dumps
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = width
    yaml.sort_base_mapping_type_on_output = False
    yaml.representer.ignore_aliases = lambda *args: True
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _dump_round_trip(data, width: int) -> str:  # noqa: ANN001 - as merge_yaml_text dumps
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = width
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *args: True
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(_documents(), st.sampled_from([100, 100, 30, 12, 4096]))
def test_documents_ruamel_dumps_as_efl_does_read_the_same(data, width: int) -> None:  # noqa: ANN001
    check(_dump_safe(data, width))


@SETTINGS
@given(_documents(), st.sampled_from([4096, 40, 12]))
def test_documents_the_round_trip_dumps_read_the_same(data, width: int) -> None:  # noqa: ANN001
    try:
        text = _dump_round_trip(data, width)
    except Exception:  # noqa: BLE001 - the round trip refuses some keys (a None key, say): nothing to read
        return
    check(text)


def _mangle(text: str, edits: list[tuple[int, int, int]]) -> str:
    """``text`` with each edit (kind, line, amount) made to one line, as someone editing by hand might."""
    lines = text.split("\n")
    for kind, where, amount in edits:
        if not lines:
            break
        i = where % len(lines)
        line = lines[i]
        if kind == 0:
            lines[i] = " " * amount + line  # indented further
        elif kind == 1:
            lines[i] = line[min(amount, len(line) - len(line.lstrip(" "))):]  # indented less
        elif kind == 2:
            lines[i] = line + " " * amount  # trailing spaces
        elif kind == 3:
            lines[i] = line + "  # note " + ":#-'\""[amount % 5]  # a comment after
        elif kind == 4:
            lines.insert(i, " " * amount + "# a comment line")
        elif kind == 5:
            lines.insert(i, " " * amount)  # a blank line (perhaps of spaces)
        elif kind == 6:
            lines[i] = line.replace(" ", "\t", 1)  # a tab
        elif kind == 7:
            lines[i] = line + "\r"  # a Windows line end
        elif kind == 8:
            lines.insert(i, line)  # a line twice
        elif kind == 9:
            del lines[i]
        elif kind == 10:
            lines[i] = line.replace(": ", ":" + " " * amount, 1)  # more spaces after a colon
        elif kind == 11:
            cut = amount % (len(line) + 1)
            lines[i] = line[:cut] + "\n" + " " * amount + line[cut:]  # a line broken in two
        elif kind == 12:
            lines[i] = line.replace("- ", "-  ", 1)
        else:
            lines[i] = line.replace("'", "", 1)  # a quote lost
    return "\n".join(lines)


EDITS = st.lists(st.tuples(st.integers(0, 13), st.integers(0, 10_000), st.integers(0, 5)), min_size=1, max_size=4)


@SETTINGS
@given(_documents(), st.sampled_from([100, 20, 4096]), EDITS, st.booleans())
def test_documents_edited_by_hand_read_the_same_or_are_handed_over(  # noqa: ANN201
        data, width: int, edits, round_trip: bool):  # noqa: ANN001
    try:
        text = _dump_round_trip(data, width) if round_trip else _dump_safe(data, width)
    except Exception:  # noqa: BLE001
        return
    check(_mangle(text, edits))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 40), st.integers(0, 10**6), EDITS)
def test_plans_edited_by_hand_read_the_same_or_are_handed_over(lines: int, seed: int, edits) -> None:  # noqa: ANN001
    from efl.plan.action_plan import to_yaml

    check(_mangle(to_yaml(_plan_gen().make_plan(lines, seed)), edits))


# Lines put together at random from the shapes the reader knows (and some it does not), at random
# indentation: what the structure rules (open and close blocks by indentation) accept must be what
# the parser accepts, with the same nesting.
LINE_SHAPES = ["{k}: {v}", "{k}:", "- {v}", "- {k}: {v}", "- {k}:", "{v}", "# c", "", "- ", "{k}: '{v}'",
               "{k}: \"{v}\"", "{k}: {v} # c", "-", "{k} : {v}", "- - {v}"]


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(LINE_SHAPES), st.sampled_from(["a", "b", "c", "1", "x y"]),
                          st.sampled_from(["1", "v", "x y", "", "a b:", "true", "2026-01-01", "~", "it''s"])),
                min_size=1, max_size=12))
def test_random_lines_read_as_the_parser_reads_them(lines) -> None:  # noqa: ANN001
    check("".join(" " * indent + shape.format(k=k, v=v) + "\n" for indent, shape, k, v in lines))


# Documents written out at random in the reader's own subset (mappings and lists nested at random
# indentations, sequences at their key's column or deeper, plain values folded over lines at random
# depths with spaces left before the breaks, quoted values, comments and blank lines between): these
# the reader should mostly take, and each must read as one_pass reads it.
PLAIN_WORDS = ["one", "two", "Three", "naïve", "cafe\u0301", "1", "1.5", "-3", "0o17", "007", "true", "False", "null",
               "~", "2026-01-01", "2026-02-30", "1e3", ".inf", "a:b", "C#", "x-y", "[a]", "{b}", "it's", 'say"',
               "http://x.org"]


def _written_at_random(rng, depth: int = 0) -> str:  # noqa: ANN001
    """The YAML text of a random block mapping at column 0."""
    lines: list[str] = []

    def scalar(column: int) -> str:
        kind = rng.random()
        words = [rng.choice(PLAIN_WORDS) for _ in range(rng.randint(1, 6))]
        if kind < 0.15:
            text = " ".join(words).replace("'", "''")
            return f"'{text}'"
        if kind < 0.25:
            text = " ".join(words).replace("\\", "\\\\").replace('"', '\\"')
            return f'"{text}{rng.choice(["", chr(92) + "n", chr(92) + "t", chr(92) + "x41", chr(92) + "u00e9"])}"'
        if kind < 0.45 and len(words) > 1:
            # folded over lines, each continuation deeper than the key's column
            out = words[0]
            for word in words[1:]:
                if rng.random() < 0.5:
                    out += " " * rng.randint(0, 2) + "\n" + " " * (column + rng.randint(1, 3)) + word
                else:
                    out += " " + word
            return out
        text = " ".join(words)
        return text + (rng.choice(["", "  # note", " # a: b"]) if rng.random() < 0.2 else "")

    def mapping(column: int, level: int, first_prefix: str | None = None) -> None:
        for i in range(rng.randint(1, 4)):
            if rng.random() < 0.1:
                lines.append(" " * rng.randint(0, column + 2) + rng.choice(["# comment", ""]))
            key = rng.choice(["id", "title", "due", "notes", "k1", "status", "x y", "1", "Ünïcode"]) + str(i)
            prefix = first_prefix if (i == 0 and first_prefix is not None) else " " * column
            roll = rng.random()
            if level < 4 and roll < 0.2:
                lines.append(f"{prefix}{key}:")
                mapping(column + rng.choice([1, 2, 4]), level + 1)
            elif level < 4 and roll < 0.4:
                lines.append(f"{prefix}{key}:")
                sequence(column + rng.choice([0, 0, 2, 3]), level + 1)
            elif roll < 0.45:
                lines.append(f"{prefix}{key}:" + rng.choice(["", " ", "  # empty"]))
            else:
                lines.append(f"{prefix}{key}: {scalar(column)}")

    def sequence(column: int, level: int) -> None:
        for _ in range(rng.randint(1, 3)):
            if level < 4 and rng.random() < 0.5:
                mapping(column + 2, level + 1, first_prefix=" " * column + "- ")
            else:
                lines.append(" " * column + "- " + scalar(column))

    mapping(0, depth)
    return "\n".join(lines) + "\n"


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False))
def test_documents_written_at_random_in_the_subset_read_the_same(rng) -> None:  # noqa: ANN001
    check(_written_at_random(rng))


def test_documents_written_at_random_are_mostly_read() -> None:
    # (else the test above would compare little: most of them must be in the subset)
    import random

    outcomes = [check(_written_at_random(random.Random(seed))) for seed in range(300)]
    assert outcomes.count("read") > 0.5 * len(outcomes), outcomes.count("read")
