"""The progress report's JSON, built without dataclasses.asdict for its thousands of lines, is the
same text as asdict gives (the reference), with the annual levels and the calendar too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing

from efl.core.plugin_host import load_plugins
from efl.plan import progress

from conftest import EXAMPLES


def reference(report: progress.ProgressReport) -> str:
    data = dataclasses.asdict(report)
    data["by_objective"] = [{"objective": o, "lines": rows} for o, rows in data["by_objective"]]
    data["by_area"] = [{"area": a, "counts": c} for a, c in data["by_area"]]
    return json.dumps(data, indent=2, ensure_ascii=False, default=lambda d: d.isoformat()) + "\n"


def test_progress_json_is_what_asdict_gives() -> None:
    host = load_plugins(())
    for annual, calendar in ((False, False), (True, True)):
        report = progress.for_folder(EXAMPLES / "harrow", host, annual=annual, with_calendar=calendar)
        assert report.by_objective and (report.calendar or not calendar)
        assert progress.render_json(report) == reference(report)
        assert report.by_objective[0][1][0].__class__ is progress.LineProgress  # the report is left as it was


def test_a_line_holds_only_plain_values() -> None:
    # render_json copies a line's fields as they are: right only while each is text, a date or None.
    hints = typing.get_type_hints(progress.LineProgress)
    assert {f.name for f in dataclasses.fields(progress.LineProgress)} == set(hints)
    assert all(hint in (str, dt.date | None) for hint in hints.values()), hints
