"""The record of a peer challenge: validated with positions, carried into results, reports and trends."""

from __future__ import annotations

import copy
import json
import re
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
    text = path.read_text().replace("    status: answered\n", "    status: pending\n", 1)
    path.write_text(text.replace("    owner: Head of HR (illustrative)\n", ""))
    out = run_efl("validate", peer_copy).assert_exit(2)
    line, col = lines_of(path, "pending")
    assert f"{path}:{line}:{col}: challenges[1].status" in out.stderr and "'pending'" in out.stderr
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
    assert "Developing is the level agreed with the peer team after the peer challenge." in md
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
    # The LGA shape: a summary stating the agreed overall level and whether the team agrees with the
    # self-assessment; the team and roles, scope and who was met; per area the agreed level with its
    # reasons, strengths and areas for consideration; numbered recommendations; agreed actions with
    # owners and dates; next steps; sign-off; methods in an annex.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "The peer team agreed with the council that London Borough of Bexley is at Developing overall" in text
    assert "The council assessed itself as Achieving overall. The peer team does not agree with the " \
           "self-assessment: it agreed a lower level in 3 of 5 areas" in text
    for heading in ("Summary", "The peer team and the challenge", "Recommendations", "Agreed actions",
                    "Next steps", "Sign-off", "Annex: how the judgements were compared"):
        assert f">{heading}</h2>" in page, heading
    assert "<h3>Strengths</h3>" in page and "<h3>Areas for consideration</h3>" in page
    assert "<h3>Who the team met</h3>" in page and "<h3>Scope</h3>" in page
    assert "Cllr Asha Patel (illustrative)</th><td>Lead peer (member peer)</td>" in page
    assert '<ol class="recommendations"><li>Add a baseline for Objective A' in page
    assert page.count("<li>", page.index('<ol class="recommendations">'), page.index("</ol>")) == 6
    assert "<h2 id=\"area-2\">Leadership, partnership and organisational commitment</h2>" in page
    assert "Objectives are set out in the Equality Policy." in page  # the council's note
    assert "Objective A needs a baseline; the other objectives and the governance are sound." in page  # the team's
    assert "Agreed level: <span class=\"level\">Developing</span>. The council will add a baseline" in page
    assert "What made the views differ: claim above the evidence and time window" in text
    # The questions, their responses and status; evidence asked for; actions agreed; sign-off.
    assert "<th scope=\"row\">What is the plan to raise declaration rates before the next staff survey?</th>" \
           "<td>A campaign led by the staff networks" in page
    assert "Declaration rates by directorate for the last three years</th>" in page
    assert "<th scope=\"row\">Run a campaign to raise staff declaration rates above 80%.</th>" in page
    assert "Head of HR (illustrative)</td><td>31 March 2027</td>" in page
    assert "<th scope=\"row\">For the council</th><td>A. Chief Executive (illustrative)</td>" in page
    assert "Weighted kappa" in page[page.index('id="annex"'):]  # methods only in the annex
    assert "kappa" not in page[:page.index('id="annex"')].lower()
    # The council and the team by name, never "A" and "B"; no criterion ids or file paths in the text.
    assert " A claims" not in text and "(B)" not in text and "lpoc." not in text and ".csv" not in text


def test_feedback_report_escapes_what_people_wrote(tmp_path, peer_copy):
    path = peer_copy / "assessment.yaml"
    path.write_text(path.read_text().replace("question: How will progress on Objective A be measured without a "
                                             "baseline?", "question: <script>alert(1)</script> & more?"))
    page = run_efl("compare", tmp_path / "bexley", peer_copy, "--format", "html").assert_success().output
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more?" in page


def test_a_claim_of_not_yet_developing_counts_and_validates(peer_copy):
    path = peer_copy / "assessment.yaml"
    text = path.read_text()
    text = text.replace("  lpoc:\n    level: developing\n    note: Objective A", "  lpoc:\n    level: not yet developing\n"
                        "    note: Objective A", 1)
    text = text.replace("  scw:\n    level: developing\n    note: Declaration", "  scw:\n    level: null\n    note: "
                        "Declaration", 1)
    path.write_text(text)
    run_efl("validate", peer_copy).assert_success()
    result = run_efl("assess", peer_copy, "--format", "json").assert_success().json
    claimed = {a["id"]: a["claimed_level"] for a in result["areas"]}
    assert claimed["lpoc"] == claimed["scw"] == "not_yet" and claimed["kyc"] == "achieving"
    c = run_efl("compare", peer_copy.parent / "bexley", peer_copy, "--format", "json").assert_success().json
    # Both claims count: five areas judged by both sides, not three.
    assert c["agreement"][0]["items"] == 5
    lpoc = next(x for x in c["areas"] if x["a"]["id"] == "lpoc")
    assert lpoc["b"]["judged"] and lpoc["b"]["claimed"] is None
    md = run_efl("assess", peer_copy, "--format", "markdown").assert_success().output
    assert "Not yet Developing" in md


def test_sign_off_before_the_visit_is_refused_and_every_problem_reported_at_once(peer_copy):
    path = peer_copy / "assessment.yaml"
    text = path.read_text()
    text = text.replace("role: Lead peer, date: 2026-04-10", "role: Lead peer, date: 2026-03-19")
    text = text.replace("    status: resolved\n", "    status: closed\n", 1)  # and a schema error beside it
    path.write_text(text)
    out = run_efl("validate", peer_copy).assert_exit(2)
    line, col = lines_of(path, "date: 2026-03-19}")
    assert f"{path}:{line}:{col + len('date: ')}: signed off by the lead peer on 19 March 2026, before the visit ended " \
           "(20 March 2026)" in out.stderr
    assert "challenges[0].status" in out.stderr and "2 errors found." in out.stderr


def test_open_challenges_and_missing_evidence_at_sign_off_are_warnings(peer_copy):
    path = peer_copy / "assessment.yaml"
    text = path.read_text()
    text = text.replace("    response: A campaign led by the staff networks, with a target of 80% by March 2027.\n"
                        "    status: answered", "    status: open")
    text = text.replace("    received: 2026-03-27\n", "")
    path.write_text(text)
    out = run_efl("validate", peer_copy).assert_success()
    assert "warning: challenge 'q3' is still open, but the record is signed off" in out.stderr
    assert "warning: evidence request 'r2' was never received, but the record is signed off" in out.stderr


def test_the_peer_folders_plan_is_the_agreed_plan():
    result = run_efl("assess", PEER, "--format", "json").assert_success().json
    by = {a["criterion"]: a for a in result["actions"] if a["criterion"]}
    # Agreed as met at the challenge: no action for it.
    assert "iyc.feedback" not in by
    # Agreed actions carry their owner, date and words.
    baseline = by["lpoc.objectives-measurable"]
    assert (baseline["owner"], baseline["due"], baseline["proposed_by"]) == (
        "Head of Policy (illustrative)", "2026-09-30", "peer challenge")
    assert baseline["what"].startswith("Add a baseline for Objective A")
    # The others are led by the council's named posts, not "council" or "managers".
    assert all(a["owner"] not in ("council", "managers") or a["lead"] for a in result["actions"])
