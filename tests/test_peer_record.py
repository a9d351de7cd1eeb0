"""The record of a peer challenge: validated with positions, carried into results, reports and trends."""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY, PEER = EXAMPLES / "bexley", EXAMPLES / "bexley-peer"


@pytest.fixture
def peer_copy(tmp_path):
    shutil.copytree(BEXLEY, tmp_path / "bexley")
    shutil.copytree(PEER, tmp_path / "bexley-peer")
    return tmp_path / "bexley-peer"


def lines_of(path, needle: str) -> tuple[int, int]:
    """1-based line and column where ``needle`` starts in the file (worked out here, not by efl)."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_the_worked_example_validates_and_keeps_its_record():
    run_efl("validate", PEER).assert_success()
    result = run_efl("assess", PEER, "--format", "json").assert_success().json
    a = result["assessment"]
    assert [q["id"] for q in a["challenges"]] == ["q1", "q2", "q3"]
    assert a["evidence_requests"][0]["received"] == "2026-03-19"
    assert [x["owner"] for x in a["agreed_actions"]] == ["Head of Policy (illustrative)",
                                                         "Consultation Manager (illustrative)",
                                                         "Head of HR (illustrative)"]
    assert a["sign_off"]["lead_peer"]["date"] == "2026-04-10"
    assert a["agreed"]["iyc.feedback"] == {"level": None, "outcome": "met",
                                           "reason": a["agreed"]["iyc.feedback"]["reason"]}
    assert a["claims"]["iyc.feedback"]["seen_on_visit"][0].startswith("'You said, we did'")


def test_records_that_break_the_schema_are_reported_with_positions(peer_copy):
    path = peer_copy / "assessment.yaml"
    text = path.read_text().replace("    status: open\n", "    status: pending\n")
    path.write_text(text.replace("    owner: Head of HR (illustrative)\n", ""))
    out = run_efl("validate", peer_copy).assert_exit(2)
    line, col = lines_of(path, "pending")
    assert f"{path}:{line}:{col}: challenges[2].status" in out.stderr and "'pending'" in out.stderr
    line, _ = lines_of(path, "Run a campaign to raise staff declaration")
    assert f"{path}:{line - 1}:5: agreed_actions[2]: missing required key 'owner'" in out.stderr
    assert "2 errors found." in out.stderr


def test_records_that_name_unknown_things_or_impossible_dates(peer_copy):
    path = peer_copy / "assessment.yaml"
    text = path.read_text()
    text = text.replace("about: iyc.reach\n    question", "about: iyc.rech\n    question")
    text = text.replace("    received: 2026-03-19\n", "    received: 2026-03-17\n")
    text = text.replace("  iyc.feedback:\n    outcome: met\n    reason: The council showed",
                        "  iyc.feedback:\n    level: achieving\n    reason: The council showed")
    path.write_text(text)
    out = run_efl("validate", peer_copy).assert_exit(2)
    line, col = lines_of(path, "iyc.rech")
    assert f"{path}:{line}:{col}: 'iyc.rech' is not an area or criterion of eflg-2014 (did you mean " \
           "'iyc.reach'?)" in out.stderr
    line, col = lines_of(path, "received: 2026-03-17")
    assert f"{path}:{line}:{col + len('received: ')}: received 2026-03-17 is before it was requested " \
           "(2026-03-18)" in out.stderr
    lines = path.read_text().splitlines()
    line = lines.index("  iyc.feedback:", lines.index("agreed:")) + 1
    assert f"{path}:{line}:3: agreed entry for criterion 'iyc.feedback' needs an 'outcome'" in out.stderr
    assert "3 errors found." in out.stderr


def test_assess_reports_of_a_peer_folder_carry_notes_and_agreed_levels():
    md = run_efl("assess", PEER, "--format", "markdown").assert_success().output
    # The headline is the agreed overall level (lowest agreed: Developing), not the evidence's alone.
    assert "agree that the council is at Developing overall" in md
    assert "The level is the one agreed with the peer team after the peer challenge." in md
    assert "| A skilled and committed workforce | Developing | Declaration rates are too low to rely on the " \
           "workforce figures. | Developing | The council accepts" in md
    assert "| Involving your communities: People are told what changed (\"you said, we did\") | met |" in md
    html = run_efl("assess", PEER, "--format", "html").assert_success().output
    assert ">Claims, notes and what was agreed</caption>" in html
    assert "Seen on the visit: &#x27;You said, we did&#x27; web pages" in html
    table = run_efl("assess", PEER).assert_success().output
    assert "Overall level agreed after the peer challenge: Developing (the evidence alone supports Not yet " \
           "Developing)" in table
    # A self-assessment without a challenge keeps its old headline and has no claims table of agreement.
    plain = run_efl("assess", BEXLEY, "--format", "markdown").assert_success().output
    assert "agreed with the peer team" not in plain


@pytest.fixture(scope="module")
def bexley_result() -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")  # as every test here runs (tests/conftest.py)
        return run_efl("assess", BEXLEY, "--format", "json").assert_success().json


def with_actions(result: dict, date: str, outcomes: dict, actions: list[str]) -> dict:
    r = copy.deepcopy(result)
    r["assessment"]["date"] = date
    for area in r["areas"]:
        for c in area["criteria"]:
            c["outcome"] = outcomes.get(c["id"], c["outcome"])
    r["actions"] = [{"area": c.split(".")[0], "criterion": c, "what": f"Fix {c}.", "why": "not met",
                     "owner": "council", "priority": 3} for c in actions]
    return r


def test_trend_tells_closed_from_blocked_and_lists_new_actions(tmp_path, bexley_result):
    # Year 1: iyc.reach and iyc.feedback are open. Year 2: iyc.consulting (Developing) fails, so the
    # area falls below Developing and its Achieving actions leave the plan although reach is still
    # not met (blocked); feedback is now met (closed); consulting is new.
    y1 = with_actions(bexley_result, "2024-11-14", {}, ["iyc.reach", "iyc.feedback"])
    y2 = with_actions(bexley_result, "2025-11-14", {"iyc.consulting": "not_met", "iyc.feedback": "met"},
                      ["iyc.consulting"])
    paths = []
    for name, data in (("y1", y1), ("y2", y2)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(data))
    t = run_efl("compare", "--trend", *paths, "--format", "json").assert_success().json
    step = t["steps"][0]
    assert [x["criterion"] for x in step["closed"]] == ["iyc.feedback"]
    assert [x["criterion"] for x in step["blocked"]] == ["iyc.reach"]
    assert [x["criterion"] for x in step["new"]] == ["iyc.consulting"]
    table = run_efl("compare", "--trend", *paths).assert_success().output
    assert "- New: Fix iyc.consulting." in table
    assert "- Not done, now behind a lower criterion that fails: Fix iyc.reach." in table
    assert "Actions closed: 1; still open: 0; new: 1; dropped from the plan but not done: 1" in table


def test_trend_uses_agreed_levels(tmp_path, bexley_result):
    peer = run_efl("assess", PEER, "--format", "json").assert_success().json
    older = tmp_path / "self.json"
    older.write_text(json.dumps(bexley_result))
    later = tmp_path / "peer.json"
    later.write_text(json.dumps(peer))
    t = run_efl("compare", "--trend", older, later, "--format", "json").assert_success().json
    lpoc = next(a for a in t["areas"] if a["id"] == "lpoc")
    # The council's evidence gives lpoc Developing; on the peer's date the yearly equality information
    # is overdue (Not yet Developing), and the challenge agreed Developing, which the trend shows.
    assert lpoc["levels"] == ["developing", "developing"] and lpoc["agreed"] == [False, True]
    assert t["overall"] == ["developing", "developing"] and t["overall_agreed"] == [False, True]
    table = run_efl("compare", "--trend", older, later).assert_success().output
    assert "Developing (agreed)" in table


def test_trend_marks_the_edition_change(tmp_path, bexley_result):
    newer = tmp_path / "2021.json"
    run_efl("assess", BEXLEY, "--framework", "eflg-2021", "-o", newer).assert_success()
    older = copy.deepcopy(bexley_result)
    older["assessment"]["date"] = "2024-11-14"
    old_path = tmp_path / "2014.json"
    old_path.write_text(json.dumps(older))
    t = run_efl("compare", "--trend", old_path, newer, "--format", "json").assert_success().json
    uwc = next(a for a in t["areas"] if a["id"] == "uwc")
    assert uwc["edition_notes"][0] == ("merged from Knowing your communities and Involving your communities; "
                                       "the lower level is shown")
    lpoc = next(a for a in t["areas"] if a["id"] == "lpoc")
    assert lpoc["edition_notes"][0] == ""  # the same area in both editions: nothing to mark
    assert t["steps"][0]["edition_changed"] is True
    md = run_efl("compare", "--trend", old_path, newer, "--format", "markdown").assert_success().output
    assert "| 2025-11-14 (eflg-2021 2021.1, new edition) |" in md
    assert "| Understanding and working with your communities | Developing; edition change: merged from Knowing " \
           "your communities and Involving your communities; the lower level is shown | Developing |" in md


def test_feedback_report_shows_every_part_of_the_challenge(tmp_path):
    from html.parser import HTMLParser

    page = run_efl("compare", BEXLEY, PEER, "--format", "html").assert_success().output
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")

    class Outline(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.th_scopes, self.captions, self.tables = [], [], 0, 0

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "th":
                self.th_scopes.append(dict(attrs).get("scope"))
            self.captions += tag == "caption"
            self.tables += tag == "table"

    outline = Outline()
    outline.feed(page)
    assert {"header", "nav", "main", "footer"} <= set(outline.tags) and outline.tags.count("h1") == 1
    assert outline.tables == outline.captions > 5 and set(outline.th_scopes) == {"col", "row"}
    # Per area: both claims with their reasons, the evidence on each date, the agreed level and why.
    assert "<h2 id=\"area-2\">Leadership, partnership and organisational commitment</h2>" in page
    assert "Objectives are set out in the Equality Policy." in page  # A's note
    assert "Objective A needs a baseline; the other objectives and the governance are sound." in page  # B's
    assert "<strong>Agreed after the challenge: Developing.</strong> The council will add a baseline" in page
    # The questions, their responses and status; evidence asked for; actions agreed; sign-off.
    assert "<td>What is the plan to raise declaration rates before the next staff survey?</td>" not in page
    assert "<th scope=\"row\">What is the plan to raise declaration rates before the next staff survey?</th>" \
           "<td>Most staff have recorded their protected characteristics</td><td>no response yet</td><td>open</td>" in page
    assert "Declaration rates by directorate for the last three years</th>" in page and "not yet (Promised" in page
    assert "<th scope=\"row\">Run a campaign to raise staff declaration rates above 80%.</th>" in page
    assert "Head of HR (illustrative)</td><td>2027-03-31</td>" in page
    assert "<th scope=\"row\">For the council</th><td>A. Chief Executive (illustrative)</td>" in page
    assert "evidence seen during the visit (B)" in page


def test_feedback_report_escapes_what_people_wrote(tmp_path, peer_copy):
    path = peer_copy / "assessment.yaml"
    path.write_text(path.read_text().replace("question: How will progress on Objective A be measured without a "
                                             "baseline?", "question: <script>alert(1)</script> & more?"))
    page = run_efl("compare", tmp_path / "bexley", peer_copy, "--format", "html").assert_success().output
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more?" in page
