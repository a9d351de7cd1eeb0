"""The community profile's label warnings come out the same when only the unknown labels are located.

The reference hands label_warnings every row with its group cell's position (as parse_community did);
label_cells hands only the rows whose labels the classification reads as unknown. The warnings
(text, line and column) must be the same for profiles with ONS labels, HR words, misspellings,
several unknown labels per characteristic, quoted line breaks before the group cell, subtotals and
characteristics without a classification.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import efl_plugins.communities as communities
from efl.core.engine import assess
from efl.core.plugin_host import load_plugins

ROOT = Path(__file__).resolve().parent.parent

PROFILES = {
    "plain": "characteristic,group,percent\nsex,female,51\nsex,male,49\nrace,white british,68\nrace,asian,32\n",
    "unknown": ("characteristic,group,percent\nrace,white british,50\nrace,Martian,10\nrace,Asain,20\n"
                "race,Venusian,20\nreligion_or_belief,Jedi,30\nreligion_or_belief,christian,70\n"
                "sexual_orientation,straight,90\nsexual_orientation,Other words,10\n"),
    "line breaks": ('characteristic,note,group,percent\nrace,"two\nlines",Martian,10\nrace,x,white british,90\n'
                    'religion_or_belief,"a\nb\nc",Pastafarian,5\nreligion_or_belief,y,christian,95\n'),
    "many unknown": "characteristic,group,percent\n" + "".join(f"race,Group {i},{i}\n" for i in range(1, 12)),
    "subtotals": ("characteristic,group,count\nmarriage_civil_partnership,Married or in a registered civil "
                  "partnership,100\nmarriage_civil_partnership,Married,60\nmarriage_civil_partnership,"
                  "In a registered civil partnership,40\nmarriage_civil_partnership,Never married,80\n"
                  "marriage_civil_partnership,Wed-ish,5\nsex,female,100\nsex,male,95\n"),
}


def every_row(table, library, rows, group_at, subtotal_rows):  # noqa: ANN001, ANN201 - the old way
    return [(r.characteristic, r.group, table.cell_position(r.line, group_at) if group_at is not None else (r.line, 1))
            for r in rows if (r.characteristic, r.group) not in subtotal_rows]


@pytest.fixture(scope="module")
def host():  # noqa: ANN201
    return load_plugins()


@pytest.mark.parametrize("name", PROFILES)
def test_the_warnings_are_those_for_every_row(name: str, tmp_path: Path, host, monkeypatch) -> None:  # noqa: ANN001
    folder = tmp_path / "bexley"
    shutil.copytree(ROOT / "assessments" / "bexley", folder)
    (folder / "evidence" / "community-profile.csv").write_text(PROFILES[name], encoding="utf-8")
    quick = [str(w) for w in assess(folder, host).result.warnings]
    monkeypatch.setattr(communities, "label_cells", every_row)
    reference = [str(w) for w in assess(folder, host).result.warnings]
    assert quick == reference
    if name != "plain":
        assert any("not a group" in w or "not groups" in w for w in quick), quick  # there is something to compare
