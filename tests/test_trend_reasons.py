"""`efl compare --trend` says why each area's level moved, even where no criterion changed outcome.

The check is independent of the code: for a level that fell, meeting every criterion the reasons
name must lift the later result's area by at least one level (they are what holds it down, worked
with the cumulative rule written out here); for one that rose, the earlier result's named criteria
are every one that failed at the first level it did not reach.
"""

from __future__ import annotations

import json

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

PASSING = ("met", "not_applicable")


def cumulative(levels: list[str], criteria: list[dict]) -> int:
    """The rank an area reaches: the highest level all of whose criteria, and those below, pass."""
    rank = 0
    for level in levels:
        if any(c["level"] == level and c["outcome"] not in PASSING for c in criteria):
            return rank
        rank += 1
    return rank


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    d = tmp_path_factory.mktemp("editions")
    out = {}
    for fid in ("eflg-2014", "eflg-2021"):
        r = run_efl("assess", EXAMPLES / "london-councils", "--framework", fid, "--format", "json").assert_success().json
        out[fid] = r
    return d, out


def _write(d, name, result, date):
    data = json.loads(json.dumps(result))
    data["assessment"]["date"] = date
    path = d / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


@pytest.mark.parametrize("first,second", [("eflg-2014", "eflg-2021"), ("eflg-2021", "eflg-2014")])
def test_every_level_move_at_an_edition_change_is_explained(editions, first, second):
    d, results = editions
    old, old_data = _write(d, f"{first}-old.json", results[first], "2024-11-14")
    new, new_data = _write(d, f"{second}-new.json", results[second], "2025-11-14")
    t = run_efl("compare", "--trend", old, new, "--format", "json").assert_success().json
    (step,) = t["steps"]
    assert step["edition_changed"] and step["changed"] == []  # the case: no criterion changed outcome
    moved = {a["id"]: a["levels"] for a in t["areas"] if a["levels"][0] != a["levels"][1] and all(a["present"])}
    assert moved, "the worked example has levels that move at the edition change"
    explained = {x["area"]: x for x in step["levels"]}
    assert set(explained) == set(moved)
    levels = [lv["id"] for lv in new_data["framework"]["levels"]]
    for area_id, change in explained.items():
        assert [change["before"], change["after"]] == moved[area_id]
        assert change["reasons"] and all(r["cause"] != "scoring" and r["text"] for r in change["reasons"])
        named = {c["id"] for r in change["reasons"] for c in r["criteria"]}
        rank = lambda lv: levels.index(lv) + 1 if lv else 0  # noqa: E731
        if change["direction"] == "down":
            area = next(a for a in new_data["areas"] if a["id"] == area_id)
            lifted = [{**c, "outcome": "met"} if c["id"] in named else c for c in area["criteria"]]
            assert cumulative(levels, lifted) > rank(change["after"])
            assert cumulative(levels, area["criteria"]) == rank(change["after"])
        else:
            old_levels = [lv["id"] for lv in old_data["framework"]["levels"]]
            nxt = old_levels[old_levels.index(change["before"]) + 1 if change["before"] else 0]
            blockers = {c["id"] for a in old_data["areas"] for c in a["criteria"]
                        if c["level"] == nxt and c["outcome"] not in PASSING and a["level"] == change["before"]
                        and (first == second or _maps_into(a["id"], area_id))}
            assert named == blockers
    table = " ".join(run_efl("compare", "--trend", old, new).assert_success().output.split())
    assert "Levels that moved, and why:" in table


def _maps_into(old_area: str, new_area: str) -> bool:
    # eflg-2021 -> eflg-2014 as the shipped crosswalk reads backwards: uwc became kyc and iyc; the rest kept
    # their place (dew was scw).
    back = {"uwc": {"kyc", "iyc"}, "lpoc": {"lpoc"}, "rscc": {"rscc"}, "dew": {"scw"}}
    return new_area in back.get(old_area, set())


def test_the_causes_are_named_by_kind_at_the_2014_to_2021_change(editions):
    d, results = editions
    old, _ = _write(d, "a.json", results["eflg-2014"], "2024-11-14")
    new, _ = _write(d, "b.json", results["eflg-2021"], "2025-11-14")
    step = run_efl("compare", "--trend", old, new, "--format", "json").assert_success().json["steps"][0]
    causes = {x["area"]: [(r["cause"], [c["id"] for c in r["criteria"]]) for r in x["reasons"]] for x in step["levels"]}
    # Impact assessment moved from responsive services into leadership in 2021: not met in either, it
    # held nothing back in 2014 and holds leadership back now.
    assert causes["lpoc"] == [("moved_area", ["lpoc.eia.3"])]
    assert causes["rscc"] == [("new_criterion", ["rscc.service-design.1"])]
    assert causes["dew"] == [("new_criterion", ["dew.wellbeing.1"])]
    md = run_efl("compare", "--trend", old, new, "--format", "markdown").assert_success().output
    assert ("new in Equality Framework for Local Government 2021 (four modules) and not yet met: 'Staff wellbeing "
            "is surveyed and reported by group'") in md
    assert "dew.wellbeing.1" not in md.split("Levels that moved")[1].split("Not comparable")[0]  # no ids for people


def test_within_one_edition_a_changed_outcome_and_an_agreed_level_are_the_causes(editions):
    d, results = editions
    base = results["eflg-2014"]
    old, old_data = _write(d, "same-old.json", base, "2024-11-14")
    later = json.loads(json.dumps(base))
    later["assessment"]["date"] = "2025-11-14"
    scw = next(a for a in later["areas"] if a["id"] == "scw")
    first_level = later["framework"]["levels"][0]["id"]
    hit = next(c for c in scw["criteria"] if c["level"] == first_level and c["outcome"] in PASSING)
    hit_before, hit["outcome"] = hit["outcome"], "not_met"
    scw["level"] = None
    kyc = next(a for a in later["areas"] if a["id"] == "kyc")
    later["assessment"]["agreed"] = {"kyc": {"level": "achieving", "reason": "Seen on the visit."}}
    new = d / "same-new.json"
    new.write_text(json.dumps(later), encoding="utf-8")
    step = run_efl("compare", "--trend", old, new, "--format", "json").assert_success().json["steps"][0]
    causes = {x["area"]: x["reasons"] for x in step["levels"]}
    assert [(r["cause"], [c["id"] for c in r["criteria"]]) for r in causes["scw"]] == [("outcome_changed", [hit["id"]])]
    assert f"was {'met' if hit_before == 'met' else 'not applicable'} and is now not met" in causes["scw"][0]["text"]
    if kyc["level"] != "achieving":
        assert [r["cause"] for r in causes["kyc"]] == ["agreed"]
