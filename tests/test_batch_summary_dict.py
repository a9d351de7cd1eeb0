"""A batch summary row as a dict is exactly what dataclasses.asdict gives, without sharing its lists.

Summary.as_dict copies each field itself (asdict's deep copy cost more than writing the JSON of a
national batch); the reference is asdict, on summaries as assess_folder makes them: assessed,
failed with errors, incomplete, with a report, and as a worker's answer (pickled and back).
"""

from __future__ import annotations

import json
import pickle
from dataclasses import asdict
from pathlib import Path

from efl.core.batch import BatchOptions, Summary, assess_folder, summary_text
from efl.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def summaries() -> list[Summary]:
    made = [assess_folder(str(ROOT / "assessments" / "bexley"), BatchOptions()),
            assess_folder(str(ROOT / "assessments" / "no-such-council"), BatchOptions()),
            Summary("x", "Council X", "eflg-2014 2014.1", None, "", {}, {"kyc": "Knowing"}, 3, "out/x.json",
                    ExitCode.PLUGIN, ["plugin 'p' failed"], True),
            Summary("y")]
    return made + [pickle.loads(pickle.dumps(s)) for s in made]


def test_as_dict_is_asdict() -> None:
    rows = summaries()
    assert rows[0].levels and rows[1].errors  # a real assessment and a real failure
    for s in rows:
        mine, reference = s.as_dict(), asdict(s)
        assert mine == reference
        assert list(mine) == list(reference)
        assert json.dumps(mine, indent=2) == json.dumps(reference, indent=2)


def test_a_changed_row_does_not_change_the_summary() -> None:
    s = summaries()[0]
    row = s.as_dict()
    row["levels"]["kyc"] = "changed"
    row["errors"].append("changed")
    assert s.levels.get("kyc") != "changed" and "changed" not in s.errors


def test_the_json_summary_is_asdicts() -> None:
    rows = summaries()
    expected = json.dumps([asdict(s) for s in rows], indent=2, ensure_ascii=False) + "\n"
    assert summary_text(rows, "json") == expected
