"""efl assess hands the report the calendar files as the engine indexed them, so the report's legal
section does not index every framework file again; the calendar and every report are the same as
with the files indexed afresh (as efl report does), plugins switched off or not."""

from __future__ import annotations

from pathlib import Path

import pytest

import efl.core.framework as framework
from efl.core.engine import Engine
from efl.core.plugin_api import ReportOptions
from efl.core.plugin_host import load_plugins
from efl.reports.report_formats import calendar_for, render

from conftest import EXAMPLES


@pytest.mark.parametrize("switches", [(), ("no:leadership",), ("no:governance", "no:workforce")])
def test_the_engines_calendars_give_the_report_the_same_calendar_and_text(switches, monkeypatch):
    host = load_plugins(switches)
    engine = Engine(host)
    result = engine.assess(EXAMPLES / "bexley").result
    assert result.framework.calendar is not None
    indexed = []
    real_index = framework._index
    monkeypatch.setattr(framework, "_index", lambda h: indexed.append(h) or real_index(h))
    offered = engine.frameworks.calendars()
    assert indexed == []  # the engine's catalogue was indexed while assessing
    given = calendar_for(host, result, offered)
    assert indexed == []
    afresh = calendar_for(host, result)
    assert indexed == [host]  # without them, every file is indexed again
    assert (given is None) == (afresh is None)
    if given is not None:
        assert given.model_dump() == afresh.model_dump()
    for fmt in ("table", "markdown", "json"):
        assert render(host, result, fmt, ReportOptions(), offered) == render(host, result, fmt, ReportOptions())


def test_a_result_whose_calendar_is_not_offered_renders_without_it():
    host = load_plugins()
    result = Engine(host).assess(EXAMPLES / "bexley").result
    assert calendar_for(host, result, {}) is None  # not an error: the legal section goes without it
    text = render(host, result, "markdown", ReportOptions(), {})
    assert isinstance(text, str) and result.assessment.council in text
