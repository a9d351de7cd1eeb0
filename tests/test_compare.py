"""efl compare: self against peer, trends, councils side by side; kappa and agreement by hand."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from efl.workforce.measures import weighted_kappa
from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY, PEER = EXAMPLES / "bexley", EXAMPLES / "bexley-peer"


@pytest.fixture(scope="module")
def bexley_result() -> dict:
    return run_efl("assess", BEXLEY, "--format", "json").assert_success().json


def save(tmp_path, name: str, data: dict):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def test_weighted_kappa_by_hand():
    # Two raters, 4 ordered categories, weights 1 - |i-j|/3. Worked in the comment of the next test.
    pairs = [(2, 2), (1, 0), (1, 1), (2, 2), (1, 1)]
    assert weighted_kappa(pairs, 4) == pytest.approx(float(Fraction(12, 17)))
    assert weighted_kappa([(0, 0), (3, 3), (1, 1)], 4) == 1.0
    assert weighted_kappa([(2, 2), (2, 2)], 4) == 1.0  # one shared category: perfect, not 0/0
    # Complete disagreement at the extremes: p_o = 0, p_e = 0.5 -> kappa = -1.
    assert weighted_kappa([(0, 3), (3, 0)], 4) == pytest.approx(-1.0)
    assert weighted_kappa([], 4) is None


def test_identical_assessments_agree_fully(tmp_path, bexley_result):
    out = run_efl("compare", BEXLEY, save(tmp_path, "again", bexley_result), "--format", "json").assert_success()
    first = out.json["agreement"][0]
    assert first["rate_pct"] == 100.0 and first["kappa"] == 1.0 and first["same"] == 5
    assert all(a["same_claim"] and a["same_evidence"] and not a["disagreement"] for a in out.json["areas"])


def test_self_against_peer_known_disagreements():
    c = run_efl("compare", BEXLEY, PEER, "--format", "json").assert_success().json
    assert (c["a"]["role"], c["b"]["role"], c["b"]["evidence_from"]) == ("self", "peer", "../bexley")
    areas = {a["a"]["id"]: a for a in c["areas"]}
    criteria = {x["a"]["id"]: x for x in c["criteria"]}
    # Self claims Achieving everywhere (rank 2); the peer claims kyc 2, lpoc 1, iyc 1, rscc 2, scw 1.
    # One rater is constant, so p_o = p_e = (1 + 2/3 + 2/3 + 1 + 2/3) / 5 = 0.8 and kappa = 0.
    self_peer, self_ev, peer_ev, evidence = c["agreement"]
    assert (self_peer["between"], self_peer["items"]) == ("a_b", 5)
    assert (self_peer["same"], self_peer["rate_pct"], self_peer["kappa"]) == (2, 40.0, 0.0)
    # Peer claims against the evidence (peer's date): (2,3) (1,0) (1,1) (2,2) (1,0); both look back
    # on the same period, so only the statutory duties, judged on each date, can differ (on 20 March
    # 2026 the yearly information, and so its part about employees, is overdue: scw is not yet Developing).
    # p_o = (2/3 + 2/3 + 1 + 1 + 2/3) / 5 = 4/5; rows {1: 3, 2: 2}, columns {0: 2, 1: 1, 2: 1, 3: 1};
    # p_e = (3*(2*2/3 + 1*1 + 1*2/3 + 1*1/3) + 2*(2*1/3 + 1*2/3 + 1*1 + 1*2/3)) / 25 = 16/25;
    # kappa = (4/5 - 16/25) / (1 - 16/25) = 4/9.
    assert peer_ev["same"] == 2 and peer_ev["kappa"] == round(4 / 9, 4)
    # The evidence on the two dates: (3,3) (1,0) (1,1) (2,2) (1,0): p_o = 13/15, p_e = 15/25, kappa = 2/3.
    assert evidence["same"] == 3 and evidence["kappa"] == round(2 / 3, 4)
    assert "rough guide" in peer_ev["note"]  # five areas
    # lpoc: the council claims Achieving on evidence that supports Developing (a claim above the
    # evidence), and the evidence itself falls to Not yet Developing on the peer's date: the yearly
    # equality information (30 January 2025) was due again by 30 January 2026 (a time window).
    assert areas["lpoc"]["disagreement"] == ["claim_above_evidence", "different_dates"]
    assert areas["lpoc"]["because_of"] == ["b:lpoc.information-published"]
    information = criteria["lpoc.information-published"]
    assert (information["a"]["outcome"], information["b"]["outcome"], information["side"]) == ("met", "not_met", "b")
    assert information["a"]["evidence"] == information["b"]["evidence"]  # same file, same hash
    # The peer's claim rests on pages seen on the visit: not a different reading of the folder.
    feedback = criteria["iyc.feedback"]
    assert (feedback["b"]["claim"], feedback["disagreement"], feedback["side"]) == ("met", "seen_on_visit", "b")
    assert feedback["b"]["agreed"]["value"] == "met"
    assert feedback["b"]["agreed"]["reason"].startswith("The council showed")
    # iyc and scw: the same evidence on both dates (Developing); the council claims Achieving above it,
    # and that is the reason, not the peer's visit (its claim, Developing, is what its evidence gives).
    assert areas["iyc"]["disagreement"] == ["claim_above_evidence"]
    # scw: and on the peer's date the employee part of the yearly information is overdue too.
    assert areas["scw"]["disagreement"] == ["claim_above_evidence", "different_dates"]
    assert areas["scw"]["because_of"] == ["b:scw.workforce-information"]
    # kyc: the same claims and the same evidence: no reason, whatever a criterion does above them.
    assert areas["kyc"]["disagreement"] == []
    # The counts take in criteria whose claims differ: 27 pairs, 24 judged the same way; of the three judged
    # differently, two because the evidence gives another outcome on the later date (the yearly information
    # and its part about employees, overdue on the peer's date; no one claims them), one because the team
    # claims "you said, we did" met from what it saw on the visit.
    assert (c["counts"]["criteria_compared"], c["counts"]["criteria_same"], c["counts"]["criteria_same_outcome"],
            c["counts"]["criteria_claims_differ"]) == (27, 24, 25, 1)
    # All three views are kept: claims with their notes, the evidence, and the agreed level with its reason.
    lpoc = areas["lpoc"]
    assert (lpoc["a"]["claimed"], lpoc["b"]["claimed"], lpoc["b"]["evidence"], lpoc["b"]["agreed"]["value"]) == (
        "achieving", "developing", None, "developing")
    assert lpoc["b"]["agreed"]["reason"].startswith("The council will add a baseline")
    assert lpoc["a"]["note"].startswith("Objectives are set out") and lpoc["b"]["note"].startswith("Objective A needs")
    # The record of the challenge travels with the peer's side.
    record = c["b"]["record"]
    assert [q["status"] for q in record["challenges"]] == ["resolved", "answered", "answered"]
    assert record["evidence_requests"][1]["received"] == "2026-03-27"
    assert record["sign_off"]["council"]["date"] == "2026-04-14" and c["a"]["record"] is None
    assert record["feedback"]["team"][0]["role"].startswith("Lead peer")


def test_compare_table_and_markdown():
    table = run_efl("compare", BEXLEY, PEER).assert_success().output
    assert "Weighted kappa" in table and "0.44" in table and "claim above the evidence" in table
    # Area-level claim notes and criterion notes are shown, not only kept in JSON.
    assert "Declaration rates" in table and "Feedback is" in table
    md = run_efl("compare", BEXLEY, PEER, "--format", "markdown").assert_success().output
    assert "evidence seen on the visit (Peer team)" in md
    assert md.startswith("# London Borough of Bexley: self and peer judgements compared")
    assert "| Area | Council claims | Evidence (Council) |" in md
    assert "| A skilled and committed workforce | - | Declaration rates are too low to rely on the workforce " \
           "figures. | The council accepts" in md
    assert "| What is the plan to raise declaration rates before the next staff survey? | Most staff have " \
           "recorded their protected characteristics | A campaign led by the staff networks" in md
    assert "Signed off. For the council: Helen Carter (illustrative), Chief Executive, 2026-04-14." in md
    assert "27 pairs of criteria: 24 judged the same way on both sides, 3 judged differently" in md
    assert "A claims" not in md


def test_compare_uses_saved_results_without_rerunning(tmp_path):
    a = tmp_path / "a.json"
    run_efl("assess", BEXLEY, "-o", a).assert_success()
    b = tmp_path / "b.json"
    run_efl("assess", PEER, "-o", b).assert_success()
    from_files = run_efl("compare", a, b, "--format", "json").assert_success().json
    from_folders = run_efl("compare", BEXLEY, PEER, "--format", "json").assert_success().json
    for side in ("a", "b"):
        from_files[side]["source"] = from_folders[side]["source"] = ""
    assert from_files == from_folders


def test_mismatched_frameworks_are_refused(tmp_path, bexley_result):
    other = copy.deepcopy(bexley_result)
    other["framework"]["id"] = "some-other-framework"
    out = run_efl("compare", BEXLEY, save(tmp_path, "other", other)).assert_exit(2)
    assert "no installed crosswalk links them" in out.stderr
    newer = copy.deepcopy(bexley_result)
    newer["framework"]["version"] = "2099.1"
    out = run_efl("compare", BEXLEY, save(tmp_path, "newer", newer)).assert_exit(2)
    assert "use different frameworks or versions" in out.stderr and "eflg-2014 2099.1" in out.stderr


def year(result: dict, date: str, levels: dict, outcomes: dict, actions: list[str]) -> dict:
    """A copy of ``result`` as if assessed on ``date`` with the given area levels and outcomes."""
    r = copy.deepcopy(result)
    r["assessment"]["date"] = date
    for area in r["areas"]:
        area["level"] = levels.get(area["id"], area["level"])
        for c in area["criteria"]:
            c["outcome"] = outcomes.get(c["id"], c["outcome"])
    r["actions"] = [x for x in r["actions"] if x["criterion"] in actions]
    for criterion in actions:
        if criterion not in {x["criterion"] for x in r["actions"]}:
            r["actions"].append({"area": criterion.split(".")[0], "criterion": criterion, "what": f"Fix {criterion}.",
                                 "why": "not met", "owner": "council", "priority": 3})
    return r


def test_trend_over_three_years(tmp_path, bexley_result):
    now_actions = [x["criterion"] for x in bexley_result["actions"]]
    y1 = year(bexley_result, "2023-11-14", {"kyc": "achieving", "rscc": "developing"},
              {"kyc.breakdown": "not_met", "rscc.complaints": "not_met"}, now_actions + ["kyc.breakdown"])
    y2 = year(bexley_result, "2024-11-14", {"rscc": "developing"}, {"rscc.complaints": "not_met"}, now_actions)
    paths = [save(tmp_path, "2025", bexley_result), save(tmp_path, "2023", y1), save(tmp_path, "2024", y2)]
    t = run_efl("compare", "--trend", *paths, "--format", "json").assert_success().json
    assert t["dates"] == ["2023-11-14", "2024-11-14", "2025-11-14"]  # sorted by date, not by argument
    kyc = next(a for a in t["areas"] if a["id"] == "kyc")
    assert kyc["levels"] == ["achieving", "excellent", "excellent"]
    first, second = t["steps"]
    assert [c["id"] for c in first["changed"]] == ["kyc.breakdown"]
    assert [(c["before"], c["after"]) for c in first["changed"]] == [("not_met", "met")]
    assert [x["criterion"] for x in first["closed"]] == ["kyc.breakdown"]
    assert len(first["still_open"]) == len(now_actions) and first["new"] == []
    assert second["closed"] == [] and [c["id"] for c in second["changed"]] == [
        c["id"] for a in bexley_result["areas"] for c in a["criteria"] if c["id"] == "rscc.complaints"]
    table = run_efl("compare", "--trend", *paths).assert_success().output
    assert "Actions closed: 1; still open: 6; new: 0; dropped from the plan but not done: 0" in table


def test_trend_refuses_different_councils(tmp_path, bexley_result):
    other = copy.deepcopy(bexley_result)
    other["assessment"]["council"] = "Another Council"
    out = run_efl("compare", "--trend", BEXLEY, save(tmp_path, "o", other)).assert_exit(2)
    assert "expected one council in a trend" in out.stderr


def council(result: dict, name: str, levels: dict, overall) -> dict:
    r = copy.deepcopy(result)
    r["assessment"]["council"] = name
    for area in r["areas"]:
        area["level"] = levels.get(area["id"], area["level"])
    r["overall_level"] = overall
    return r


def test_across_five_councils_exact_when_named_perturbed_when_published(tmp_path, bexley_result):
    kyc = ["excellent", "excellent", "achieving", "excellent", "developing"]
    paths = [save(tmp_path, f"c{i}", council(bexley_result, f"Council {i}", {"kyc": level}, "developing"))
             for i, level in enumerate(kyc)]
    out = run_efl("compare", "--across", *paths, "--show-councils", "--format", "json").assert_success().json
    assert out["count"] == 5 and out["councils"] == [f"Council {i}" for i in range(5)] and not out["publishable"]
    summary = {c["level"]: c["count"] for c in next(a for a in out["areas"] if a["id"] == "kyc")["summary"]}
    assert summary == {None: 0, "developing": 1, "achieving": 1, "excellent": 3}  # counted by hand above
    assert {c["level"]: c["count"] for c in out["overall"]}["developing"] == 5
    # By default the summary names no council and its counts are perturbed (tests/test_disclosure.py).
    quiet = run_efl("compare", "--across", *paths, "--format", "json").assert_success().json
    assert quiet["councils"] == [] and all(a["levels"] == {} for a in quiet["areas"]) and quiet["publishable"]
    assert quiet["disclosure"]["method"] == "cell-key perturbation"
    for c in quiet["areas"][0]["summary"]:
        assert c["shown"] == ("fewer than 3" if c["hidden"] else str(c["count"]))
    table = run_efl("compare", "--across", *paths).assert_success().output
    assert "Council 1" not in table and "cell-key method" in table
    named = run_efl("compare", "--across", *paths, "--show-councils").assert_success().output
    assert "not for publication" in named and "Council 1" in named


def test_across_refuses_the_same_council_twice(tmp_path, bexley_result):
    out = run_efl("compare", "--across", BEXLEY, save(tmp_path, "x", bexley_result)).assert_exit(2)
    assert "expected each council once" in out.stderr


def test_usage_errors():
    assert "compare takes two inputs, got 1" in run_efl("compare", BEXLEY).assert_exit(2).stderr
    assert "cannot be used together" in run_efl("compare", "--trend", "--across", BEXLEY, PEER).assert_exit(2).stderr


def test_evidence_from_is_checked(efl_folder):
    absolute = efl_folder({"assessment.yaml": "council: {name: X}\ndate: 2026-01-01\nevidence_from: /etc\n"}, "abs")
    out = run_efl("validate", absolute).assert_exit(2)
    assert f"{absolute / 'assessment.yaml'}:3:16: evidence_from must be a path relative to this folder" in out.stderr
    nowhere = efl_folder({"assessment.yaml": "council: {name: X}\ndate: 2026-01-01\nevidence_from: ../none\n"}, "no")
    assert "has no assessment.yaml (expected the council's assessment folder)" in \
        run_efl("validate", nowhere).assert_exit(2).stderr


def test_agreed_levels_are_checked(tmp_path):
    import shutil

    peer = tmp_path / "bexley-peer"
    shutil.copytree(PEER, peer)
    shutil.copytree(BEXLEY, tmp_path / "bexley")
    text = (peer / "assessment.yaml").read_text().replace("\n  kyc:\n    level: achieving\n    reason: Both", "\n  kcy:\n    level: achieving\n    reason: Both")
    (peer / "assessment.yaml").write_text(text.replace("level: developing\n    reason: The council will",
                                                       "level: devloping\n    reason: The council will"))
    out = run_efl("validate", peer).assert_exit(2)
    assert "agreed outcome for unknown area or criterion 'kcy' (did you mean 'kyc'?)" in out.stderr
    assert "'devloping' is not a level of eflg-2014 (did you mean 'Developing'?" in out.stderr


def test_compare_help_lists_the_comparison_formats_of_the_loaded_plugins():
    import efl

    class Tally:
        @efl.hookimpl
        def efl_register_report_formats(self, register):
            register(efl.ReportFormat("tally", "counts", lambda r, o: "", ".tally",
                                      compare=lambda comparison, options: ""))

    def listed(text: str) -> str:
        flat = " ".join(text.split())
        return flat.split("--format FORMAT Output format: one of ")[1].split(" (from the plugins")[0]

    assert listed(run_efl("compare", "--help").assert_exit(0).output) == "html, json, markdown, table"
    with_plugin = run_efl("compare", "--help", plugins=[("tally", Tally())]).assert_exit(0).output
    assert listed(with_plugin) == "html, json, markdown, table, tally"  # csv has no comparison: not offered


def test_the_feedback_report_has_plain_words_for_every_reason():
    from typing import get_args

    from efl.peer.compare import DISAGREEMENT_LABELS, Disagreement
    from efl.peer.compare_html import WHY_WORDS

    assert set(WHY_WORDS) == set(get_args(Disagreement)) == set(DISAGREEMENT_LABELS)


def test_two_self_assessments_get_a_comparison_page_not_a_feedback_report(tmp_path):
    import re

    leics = EXAMPLES / "leicestershire"
    what_if = tmp_path / "what-if.json"
    run_efl("assess", leics, "--assume-file", leics / "what-if.yaml", "--format", "json", "-o", what_if).assert_success()
    page = run_efl("compare", leics, what_if, "--format", "html").assert_success().output
    text = " ".join(re.sub(r"<[^>]+>", " ", page[page.index("<body"):]).split())
    assert "<h1>Leicestershire County Council: two self-assessments compared</h1>" in page
    # No peer team, agreed level or recommendations where there was no challenge.
    assert "peer" not in text.lower() and "feedback report" not in text and "Recommendations" not in text
    assert "The result marked What-if is a what-if, not the council&#x27;s own assessment: it assumes the lowest " \
           "declaration rate across recorded characteristics 86%" in page
    assert "Both results use local tailoring" in text  # said once, not once a side
    # The assumed figures lift one area (workforce) but not the lowest, so both are Developing overall.
    assert "The self-assessment of 31 March 2020 is at Developing overall, and the what-if of 31 March 2020 at " \
           "Developing." in text
    assert "<td role=\"cell\" data-label=\"Council&#x27;s own: the evidence supports\">Developing</td>" in page
    # The criteria the what-if's figures change, with the figure in words (no fact ids).
    assert "Staff are trained in equality</th><td" in page and "the share of staff who completed equality training" in page
    assert "workforce." not in text and "scw." not in text
