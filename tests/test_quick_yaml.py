"""Framework, calendar and classification files read without positions (efl.files.quick_yaml) give
exactly what the full parse gives: the same checked and compiled result for every shipped file, and
the same messages, positions included, for files with mistakes (the checks then run on the full parse)."""

from __future__ import annotations

from pathlib import Path

import pytest

import efl.files.yaml_fast as yaml_fast
import efl.files.yamlio as yamlio
from efl.core.framework import FrameworkCatalogue, load_framework_file
from efl.errors import InputError
from efl.files.quick_yaml import NeedsPositions, QuickDocument, with_positions_on_demand
from efl.law.calendar import CalendarError, load_calendar_file
from efl.testing import load_host
from efl.workforce.classification import read_classification_file

from conftest import ROOT

SHIPPED = ROOT / "frameworks"
FRAMEWORKS = sorted(SHIPPED.glob("*.yaml"))
CALENDARS = sorted((SHIPPED / "calendars").glob("*.yaml"))
CLASSIFICATIONS = sorted((SHIPPED / "classifications").glob("*.yaml"))


@pytest.fixture(scope="module")
def host():
    return load_host()


@pytest.fixture(scope="module")
def calendars(host):
    # The catalogue's index (it parses each file's header lines) is made before anything is counted.
    return FrameworkCatalogue(host).calendars()


@pytest.fixture()
def full_parses(monkeypatch):
    """The files parsed in full (the quick reader gave up, or a position was asked for)."""
    seen: list[str] = []
    real = yamlio.parse_yaml

    def counting(text: str, shown: str):  # noqa: ANN202
        seen.append(shown)
        return real(text, shown)

    monkeypatch.setattr(yamlio, "parse_yaml", counting)
    return seen


def slow_only(monkeypatch) -> None:
    """The old way: the quick reader always gives up, so every file is parsed in full."""
    monkeypatch.setattr(yaml_fast, "load_data", lambda text: yaml_fast.SLOW)


def _framework_state(loaded):  # noqa: ANN001, ANN202
    rules = {cid: _rule_state(rule) for cid, rule in loaded.rules.items()}
    applies = {cid: _rule_state(rule) for cid, rule in loaded.applies.items()}
    calendar = loaded.calendar.calendar.model_dump() if loaded.calendar else None
    return loaded.framework.model_dump(), loaded.sha256, rules, applies, calendar, loaded.duties


def _rule_state(rule):  # noqa: ANN001, ANN202
    return (rule.type.name, rule.options.model_dump(), rule.loc, rule.plugin, [_rule_state(c) for c in rule.children])


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_every_shipped_framework_compiles_the_same_without_a_full_parse(host, calendars, path, monkeypatch,
                                                                        full_parses):
    quick = _framework_state(load_framework_file(host, path, calendars))
    assert full_parses == [], "a good framework file (and its calendar) needed no position"
    slow_only(monkeypatch)
    assert _framework_state(load_framework_file(host, path, calendars)) == quick
    assert full_parses  # the comparison really was with the full parse


@pytest.mark.parametrize("path", CALENDARS, ids=lambda p: p.stem)
def test_every_shipped_calendar_is_the_same_without_a_full_parse(path, monkeypatch, full_parses):
    quick = load_calendar_file(path, str(path))
    assert full_parses == []
    slow_only(monkeypatch)
    slow = load_calendar_file(path, str(path))
    assert (quick.calendar.model_dump(), quick.sha256) == (slow.calendar.model_dump(), slow.sha256)
    assert full_parses


@pytest.mark.parametrize("path", CLASSIFICATIONS, ids=lambda p: p.stem)
def test_every_shipped_classification_is_the_same_without_a_full_parse(path, monkeypatch, full_parses):
    quick = read_classification_file(path, str(path))
    assert full_parses == []
    slow_only(monkeypatch)
    assert read_classification_file(path, str(path)).model_dump() == quick.model_dump()
    assert full_parses


def _messages(load, monkeypatch=None) -> list[str]:  # noqa: ANN001
    with pytest.raises(InputError) as caught:
        load()
    return [str(d) for d in caught.value.diagnostics]


FRAMEWORK_MISTAKES = [
    ("level: achieving", "level: achieveing"),            # an unknown level (check_framework)
    ("rule:", "rules:"),                                   # a field pydantic refuses (unknown key)
    ("title:", "titel:"),                                  # a missing and an unknown key
    ("evidence:", "evidense:"),                            # an unknown rule type (compile_rule)
    ("due: P1Y", "due: P1X"),                              # a bad duration
    ("id: kyc.profile", "id: kyc.coverage"),               # an id used twice
]


@pytest.mark.parametrize("old, new", FRAMEWORK_MISTAKES)
def test_a_framework_mistake_gets_the_same_messages_and_positions(host, calendars, tmp_path, old, new, monkeypatch,
                                                                  full_parses):
    text = (SHIPPED / "eflg-2014.yaml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "eflg-2014.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    quick = _messages(lambda: load_framework_file(host, broken, calendars))
    assert full_parses == [str(broken)]  # it went back to the full parse for the positions
    slow_only(monkeypatch)
    assert _messages(lambda: load_framework_file(host, broken, calendars)) == quick
    assert all(":" in m.split(" ")[0] for m in quick)  # file:line:col: message


def test_a_mistake_in_the_frameworks_calendar_is_reported_at_the_calendars_line(host, tmp_path, monkeypatch):
    calendar = CALENDARS[0]
    text = calendar.read_text(encoding="utf-8")
    bad = tmp_path / calendar.name
    bad.write_text(text.replace("duties:", "duties:\n  - {id: Not An Id}", 1), encoding="utf-8")
    quick = _messages(lambda: load_calendar_file(bad, str(bad)))
    slow_only(monkeypatch)
    slow = _messages(lambda: load_calendar_file(bad, str(bad)))
    assert quick == slow and any(m.startswith(f"{bad}:") and not m.startswith(f"{bad}:1:1:") for m in quick)


def test_a_classification_mistake_gets_the_same_messages(tmp_path, monkeypatch):
    text = (SHIPPED / "classifications" / "ethnic-group.yaml").read_text(encoding="utf-8")
    cases = [text.replace("\nkind: classification", "\nkind: framework", 1),
             text.replace("\ncategories:", "\ncategorys:", 1)]
    for i, case in enumerate(cases):
        assert case != text
        bad = tmp_path / f"bad{i}.yaml"
        bad.write_text(case, encoding="utf-8")
        quick = _messages(lambda: read_classification_file(bad, str(bad)))
        with monkeypatch.context() as m:
            slow_only(m)
            assert _messages(lambda: read_classification_file(bad, str(bad))) == quick
        assert quick


def test_a_position_asked_of_an_inner_file_goes_back_to_that_files_full_parse():
    # The framework's checks read its calendar: when the calendar needs a position, only the
    # calendar is parsed again in full; the framework's quick document is not blamed for it.
    outer_runs, inner_runs = [], []

    def inner(doc):  # noqa: ANN001, ANN202
        inner_runs.append(type(doc).__name__)
        return doc.locate(("b",))

    def outer(doc):  # noqa: ANN001, ANN202
        outer_runs.append(type(doc).__name__)
        return doc.data["a"], with_positions_on_demand("x: 1\nb: 2\n", "inner.yaml", inner)

    assert with_positions_on_demand("a: 1\n", "outer.yaml", outer) == (1, (2, 4))
    assert outer_runs == ["QuickDocument"]
    assert inner_runs == ["QuickDocument", "YamlDocument"]


def test_a_quick_document_has_no_positions_to_give():
    doc = QuickDocument({"a": 1}, "f.yaml")
    assert (doc.data, doc.path) == ({"a": 1}, "f.yaml")
    for ask in (lambda: doc.locate(("a",)), lambda: doc.locate_key(("a",)), lambda: doc._nodes):
        with pytest.raises(NeedsPositions):
            ask()
    # Not an Exception: no "except Exception" on the way can swallow the request.
    assert not issubclass(NeedsPositions, Exception)


def test_what_the_quick_reader_refuses_goes_to_the_full_parse(full_parses):
    # A tag is one of the things yaml_fast leaves to the full parse, which refuses it with its position.
    with pytest.raises(InputError) as caught:
        with_positions_on_demand("a: !!python/object {}\n", "t.yaml", lambda doc: doc.data)
    assert full_parses == ["t.yaml"]
    assert str(caught.value.diagnostics[0]).startswith("t.yaml:1:")
