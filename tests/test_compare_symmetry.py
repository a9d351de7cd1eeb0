"""efl compare A B and efl compare B A say the same thing, sides swapped, for every pair of results.

The results: the worked examples, folders built here (a later visit on the same evidence, a peer
team judging against EFLG 2021), and Bexley assessed against every edition. Cross-edition pairs go
through the crosswalks; pairs no crosswalk links must be refused both ways.
"""

from __future__ import annotations

import itertools
import json
import shutil

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY, PEER, LONDON = EXAMPLES / "bexley", EXAMPLES / "bexley-peer", EXAMPLES / "london-councils"

PEER_2021 = """\
# A peer team's judgement of Bexley against EFLG 2021 (built for the tests; illustrative).
framework: eflg-2021
council: {name: London Borough of Bexley}
date: 2026-03-20
assessor: {name: Test peer team, role: peer}
evidence_from: ../bexley
claims:
  uwc: {level: developing, note: Consultation misses several groups.}
  lpoc: {level: developing}
  rscc: {level: achieving}
  dew: {level: developing}
  uwc.engagement.3:
    outcome: met
    note: The team saw the "you said, we did" pages.
    seen_on_visit: ["'You said, we did' web pages for the 2025 budget consultation"]
agreed:
  uwc: {level: developing, reason: Reach is below the standard for Achieving.}
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    """Name -> saved result JSON file, each assessed once (built-in plugins only, as tests run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")
        return _results(tmp_path_factory.mktemp("symmetry"))


def _results(root) -> dict:
    shutil.copytree(BEXLEY, root / "bexley")
    (root / "peer21").mkdir()
    (root / "peer21" / "assessment.yaml").write_text(PEER_2021)
    later = root / "bexley-later"
    shutil.copytree(BEXLEY, later)
    text = (later / "assessment.yaml").read_text()
    (later / "assessment.yaml").write_text(text.replace("date: 2025-11-14", "date: 2026-03-20", 1))
    runs = {"self14": (BEXLEY, None), "peer14": (PEER, None), "london14": (LONDON, None),
            "later14": (later, None), "self21": (BEXLEY, "eflg-2021"), "peer21": (root / "peer21", None),
            "eslg": (BEXLEY, "eslg"), "eflg2009": (BEXLEY, "eflg-2009")}
    out = {}
    for name, (folder, framework) in runs.items():
        path = root / f"{name}.json"
        args = ["assess", folder, "-o", path] + (["--framework", framework] if framework else [])
        run_efl(*args).assert_success()
        out[name] = path
    return out


def mirror(value, key=None):  # noqa: ANN001, ANN201
    """Swap sides in a comparison's JSON, written here apart from efl's own swap."""
    flips = {"side": {"a": "b", "b": "a"}, "relation": {"only_a": "only_b", "only_b": "only_a"},
             "between": {"a_evidence": "b_evidence", "b_evidence": "a_evidence"}, "label": {"A": "B", "B": "A"}}
    if isinstance(value, dict):
        renamed = {}
        for k, v in value.items():
            if k in ("a", "b"):
                new = {"a": "b", "b": "a"}[k]
            elif k[:2] in ("a_", "b_"):
                new = {"a_": "b_", "b_": "a_"}[k[:2]] + k[2:]
            else:
                new = k
            renamed[new] = mirror(v, k)
        return renamed
    if isinstance(value, list):
        return [mirror(v, key) for v in value]
    if key == "because_of":  # "a:criterion" names the side the criterion is read on
        return {"a": "b", "b": "a"}[value[0]] + value[1:]
    return flips.get(key, {}).get(value, value)


def compare(x, y, *extra):  # noqa: ANN001, ANN201
    return run_efl("compare", x, y, "--format", "json", "--different-councils", *extra)


def pair_json(host, walks, x, y) -> dict:  # noqa: ANN001
    """What 'efl compare X Y --format json --different-councils' prints, without a process per pair."""
    from efl.peer.compare import compare_pair
    from efl.peer.compare_report import render_pair
    from efl.core.results import read_result

    a, b = read_result(x), read_result(y)
    walk = walks.between(a.framework.id, b.framework.id) if a.framework.id != b.framework.id else None
    return json.loads(render_pair(compare_pair(a, b, str(x), str(y), walk, True), "json"))


def swapped(data: dict) -> dict:
    out = mirror(data)
    out["agreement"].sort(key=lambda g: ["a_b", "a_evidence", "b_evidence", "evidence"].index(g["between"]))
    for area in out["areas"]:
        area["because_of"].sort()
    return out


def test_swap_symmetry_for_every_pair(results):
    from efl.core.crosswalk import installed_crosswalks
    from efl.errors import InputError
    from efl.core.plugin_host import load_plugins

    host = load_plugins()
    walks = installed_crosswalks(host)
    compared = refused = 0
    for (n1, p1), (n2, p2) in itertools.combinations(results.items(), 2):
        try:
            ab = pair_json(host, walks, p1, p2)
        except InputError as error:  # no crosswalk links these editions: refused the other way too
            assert "no installed crosswalk links them" in str(error)
            with pytest.raises(InputError, match="no installed crosswalk links them"):
                pair_json(host, walks, p2, p1)
            refused += 1
            continue
        assert ab == swapped(pair_json(host, walks, p2, p1)), (n1, n2)
        compared += 1
    # 4 results of eflg-2014 (6 pairs), 2 of eflg-2021 (1), 8 across 2014/2021, 1 across eslg/2009.
    assert (compared, refused) == (6 + 1 + 8 + 1, 28 - 16)


@pytest.mark.parametrize("first,second", [("self14", "peer14"), ("self14", "peer21"), ("eslg", "eflg2009")])
def test_swap_symmetry_through_the_command(results, first, second):
    ab = compare(results[first], results[second]).assert_success().json
    ba = compare(results[second], results[first]).assert_success().json
    assert ab == swapped(ba)


def test_the_table_is_the_same_both_ways_apart_from_the_sides(results):
    ab = run_efl("compare", results["self14"], results["peer21"]).assert_success().output
    ba = run_efl("compare", results["peer21"], results["self14"]).assert_success().output
    # Same agreement figures and counts whichever way round.
    for figure in ("Compared: 5 pairs of areas in 4 groups", "27 pairs of criteria"):
        assert figure in ab and figure in ba


def test_merged_areas_are_one_group_counted_once(results):
    c = compare(results["self14"], results["peer21"]).assert_success().json
    # Two 2014 areas (kyc, iyc) pair with one 2021 module (uwc): two rows, one group.
    rows = [(x["a"]["id"], x["b"]["id"]) for x in c["areas"]]
    assert rows == [("kyc", "uwc"), ("iyc", "uwc"), ("lpoc", "lpoc"), ("rscc", "rscc"), ("scw", "dew")]
    assert [(g["a"]["areas"], g["b"]["areas"]) for g in c["groups"]] == [
        (["kyc", "iyc"], ["uwc"]), (["lpoc"], ["lpoc"]), (["rscc"], ["rscc"]), (["scw"], ["dew"])]
    every_a = [i for g in c["groups"] for i in g["a"]["areas"]]
    assert sorted(every_a) == sorted(set(every_a)) == ["iyc", "kyc", "lpoc", "rscc", "scw"]  # each once
    # The group takes the lower claim and level: self claims Achieving on both (Achieving); the
    # evidence gives kyc Excellent and iyc Developing (Developing).
    uwc = c["groups"][0]
    assert (uwc["a"]["claimed"], uwc["a"]["evidence"], uwc["b"]["claimed"]) == ("achieving", "developing", "developing")
    a_b = c["agreement"][0]
    assert (a_b["between"], a_b["items"]) == ("a_b", 4)  # four groups, not five copies
    # Self (rank 2,2,2,2) against the peer (1,1,2,1): p_o = (2/3 + 2/3 + 1 + 2/3) / 4 = 0.75 = p_e
    # (one rater is constant), so kappa is 0; one of four the same.
    assert (a_b["same"], a_b["rate_pct"], a_b["kappa"]) == (1, 25.0, 0.0)
    assert "rough guide" in a_b["note"]
    # The criteria only 2021 has are listed and counted, each once.
    only_b = [x["b"]["id"] for x in c["criteria"] if x["relation"] == "only_b"]
    assert only_b == ["lpoc.performance.1", "rscc.service-design.1", "rscc.commissioning.1",
                      "rscc.integration.1", "dew.wellbeing.1"]
    assert c["counts"]["only"]["b"]["criteria"] == 5 and c["counts"]["criteria_compared"] == 27
    assert c["counts"]["criteria_compared"] + c["counts"]["only"]["b"]["criteria"] == 32  # every 2021 criterion once
    rscc = next(x for x in c["areas"] if x["a"]["id"] == "rscc")
    assert "one_edition_only" in rscc["disagreement"] and "different_reading" not in rscc["disagreement"]


def test_evidence_seen_on_the_visit_and_different_dates(results):
    c = compare(results["self14"], results["peer21"]).assert_success().json
    feedback = next(x for x in c["criteria"] if x["b"] and x["b"]["id"] == "uwc.engagement.3")
    assert (feedback["disagreement"], feedback["side"]) == ("seen_on_visit", "b")
    assert "budget consultation" in feedback["explanation"]
    later = compare(results["self14"], results["later14"]).assert_success().json
    kinds = {x["a"]["id"]: x["disagreement"] for x in later["criteria"] if x["disagreement"]}
    # Same files and period, four months later: "in the last year" still looks back from the
    # period's end, so only the statutory duty judged on the date moves (equality information of
    # 30 January 2025 was due again by 30 January 2026).
    assert kinds == {"lpoc.information-published": "different_dates"}
    lpoc = next(x for x in later["areas"] if x["a"]["id"] == "lpoc")
    assert lpoc["disagreement"] == ["different_dates"]


def test_unclaimed_areas_are_not_agreement(results):
    # Assessed against 2021, Bexley's folder claims nothing: no claim is compared with the evidence.
    c = compare(results["self21"], results["peer21"]).assert_success().json
    by = {g["between"]: g for g in c["agreement"]}
    assert by["a_evidence"]["items"] == 0 and by["a_evidence"]["rate_pct"] is None
    assert by["a_b"]["items"] == 0 and "nothing to compare" in by["a_b"]["note"]
    assert by["b_evidence"]["items"] == 4 and by["evidence"]["items"] == 4


def test_different_councils_need_the_option(results):
    out = run_efl("compare", results["self14"], results["london14"]).assert_exit(2)
    assert "two different councils" in out.stderr and "--different-councils" in out.stderr
    title = run_efl("compare", results["self14"], results["london14"], "--different-councils").assert_success()
    assert title.output.startswith("London Borough of Bexley and London Councils (two different councils)")


@pytest.mark.parametrize("first,second", [("eslg", "eflg2009"), ("eflg2009", "eslg"), ("self14", "self21"),
                                          ("self21", "self14")])
def test_trend_across_editions_both_ways(results, tmp_path, first, second):
    # The first result is dated earlier, so each edition is the older one once.
    older = json.loads(results[first].read_text())
    older["assessment"]["date"] = "2008-03-31"
    path = tmp_path / "older.json"
    path.write_text(json.dumps(older))
    out = run_efl("compare", "--trend", path, results[second])
    assert out.exit_code == 0 and out.exception is None, out.stderr
    t = run_efl("compare", "--trend", path, results[second], "--format", "json").assert_success().json
    assert t["dates"][0] == "2008-03-31"
    if {first, second} == {"eslg", "eflg2009"}:
        # Each result's level is named in its own edition, and mapped through the crosswalk.
        assert "Not yet Level 1" not in out.output
        maps = t["overall_maps_to"][0]
        if first == "eslg":  # ESLG level 2 -> Developing, and the table names it in ESLG's words
            assert [m["level"] for m in maps] == ["developing"] and "Level 2" in out.output
        else:  # read backwards, Developing was level 1 or level 2
            assert [m["level"] for m in maps] == ["eslg-1", "eslg-2"] and "Developing" in out.output
