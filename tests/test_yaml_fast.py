"""The one-pass YAML loader (efl.files.yaml_fast) gives parse_yaml's data exactly, or hands over.

parse_yaml's full way (``parse_in_full``: composed by ruamel, then constructed) is the reference: for every YAML file in the repository, generated plans and a set of
awkward documents, the quick loader must give the same data with the same types (numbers as
written, dates, NFC text), or say SLOW; and whenever parse_yaml refuses a document, the quick
loader must never return data for it (so a plan is never accepted that the full parse refuses).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from efl.errors import InputError
from efl.files.yaml_fast import SLOW, load_data
from efl.files.yamlio import parse_in_full

ROOT = Path(__file__).resolve().parent.parent


def same(a, b) -> bool:  # noqa: ANN001
    """Equal, with the same types all the way down (True is not 1, a date is not a datetime)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k, k2) for k, k2 in zip(a, b)) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    equal = a == b or (a != a and b != b)  # nan is nan
    return equal and getattr(a, "written", None) == getattr(b, "written", None)


def check(text: str) -> str:
    """'same', 'slow' (handed over) or 'refused' (parse_yaml refuses it, and so did the quick loader)."""
    quick = load_data(text)
    try:
        full = parse_in_full(text, "x.yaml").data
    except InputError:
        assert quick is SLOW, f"the quick loader accepted what parse_yaml refuses: {text[:80]!r}"
        return "refused"
    if quick is SLOW:
        return "slow"
    assert same(quick, full), text[:200]
    return "same"


REPO_YAML = sorted(p for p in ROOT.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not any(
    part.startswith(".venv") or part in ("node_modules", ".git") for part in p.parts))


def test_every_yaml_file_in_the_repository_loads_the_same() -> None:
    outcomes = {}
    for path in REPO_YAML:
        text = path.read_bytes().decode("utf-8-sig", errors="strict")
        outcomes[path] = check(text)
    assert len(outcomes) > 25  # frameworks, calendars, classifications, worked examples, docs
    quick = [p for p, o in outcomes.items() if o == "same"]
    assert len(quick) >= 0.9 * len([o for o in outcomes.values() if o != "refused"])  # nearly all go quickly


AWKWARD = [
    "a: 1\nb: 1.10\nc: 0o17\nd: 1_000\ne: +5\nf: -0.0\ng: 1e3\nh: .inf\ni: .NaN\nj: 0x1F\nk: 007\n",
    "t: True\nu: false\nv: yes\nw: ~\nx:\ny: null\nz: 'null'\n",
    "d: 2026-03-31\ne: 2026-03-31 12:30:00\nf: 2026-02-30\n",
    "old: 0025-01-01\n",
    "text: \"cafe\u0301\"\nplain: cafe\u0301\n",
    "a: &x 1\nb: *x\n",
    "base: &b {k: 1}\nother:\n  <<: *b\n",
    "m: {<<: {k: 1}}\n",
    "q: '<<'\n",
    "x: !!str 123\n",
    "x: !!python/object/apply:os.system ['true']\n",
    "x: !local thing\n",
    "%YAML 1.1\n---\nx: yes\n",
    "%YAML 1.2\n---\nx: yes\n",
    "a: 1\na: 2\n",
    "1: one\n1.0: again\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "",
    "---\n",
    "# only a comment\n",
    "--- 1\n--- 2\n",
    "x: [" * 70 + "]" * 70 + "\n",
    "x: " + "[" * 60 + "]" * 60 + "\n",
    "l: |\n  two\n  lines\nf: >\n  folded\n  text\n",
    "e: =\n",
    "list:\n- a\n- - b\n  - c\n- {d: e}\n",
    "x: 'it''s'\ny: \"tab\\there\"\n",
    "bad: [unclosed\n",
    "\tx: 1\n",
    "x: 12:30\ny: 1:2:3\n",
    "n: 123456789012345678901234567890\n",
    "a: -.inf\nb: +.5\nc: 1.\nd: .5e3\n",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_documents_load_the_same_or_are_handed_over(text: str) -> None:
    check(text)


def test_the_quick_loader_takes_ordinary_values_itself() -> None:
    assert check(AWKWARD[0]) == "same" and check(AWKWARD[1]) == "same" and check(AWKWARD[4]) == "same"
    data = load_data(AWKWARD[0])
    assert str(data["b"]) == "1.10" and data["c"] == 15 and data["d"] == 1000
    assert load_data("d: 2026-03-31\n") == {"d": dt.date(2026, 3, 31)}
    assert load_data("a: 1\na: 2\n") is SLOW and load_data("a: &x 1\nb: *x\n") is SLOW


def test_generated_plans_load_the_same(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import plan_gen

    folder = plan_gen.plan_folder(tmp_path, 300, "yaml")
    assert check((folder / "action-plan.yaml").read_text(encoding="utf-8")) == "same"


def test_a_plan_with_a_problem_is_still_reported_at_its_line(tmp_path: Path) -> None:
    from efl.plan.action_plan import read_plan

    plan = tmp_path / "plan.yaml"
    plan.write_text("objectives: []\nlines:\n  - {id: a, action: One}\n  - {id: a, action: Two}\n"
                    "  - {id: b, action: Three, status: finished}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_plan(plan)
    where = {(d.line, d.message.split(":")[0]) for d in raised.value.diagnostics}
    assert any(line == 5 for line, _ in where), where  # the bad status, at its own line
