"""Local tailoring: a council's own criteria and thresholds on top of an edition, without a fork."""

from __future__ import annotations

import hashlib
import shutil
import textwrap

import pytest
from ruamel.yaml import YAML

import efl
from conftest import EXAMPLES, write_files
from efl.testing import run_efl

LEICS = EXAMPLES / "leicestershire"


def criterion(result: dict, ident: str) -> dict:
    return next(c for a in result["areas"] for c in a["criteria"] if c["id"] == ident)


def bexley_with(tmp_path, tailoring: str, name: str = "tailoring.yaml"):  # noqa: ANN001
    """Bexley's folder, copied, naming a tailoring file written beside it."""
    target = tmp_path / "bexley"
    shutil.copytree(EXAMPLES / "bexley", target)
    data = YAML(typ="safe").load((target / "assessment.yaml").read_text(encoding="utf-8"))
    data["tailoring"] = name
    write_files(target, {"assessment.yaml": data, name: textwrap.dedent(tailoring)})
    return target


ISSUE_SHAPE = """\
    base: eflg-2014
    characteristics: [carers]
    criteria:
      - {area: scw, id: local.carers-network, title: Carers have a staff network, level: achieving,
         rule: {evidence: policy, covers: [carers]}, action: Start a carers' staff network., owner: Head of HR}
    rules:
      scw.declaration: {fact: workforce.lowest_declaration_rate_pct, at_least: 85}
    not_used:
      rscc.satisfaction: "Satisfaction is measured by the county survey, not by this council"
    """


def test_the_shape_in_the_issue_works(tmp_path):
    folder = bexley_with(tmp_path, ISSUE_SHAPE)
    result = run_efl("assess", folder, "--format", "json").assert_exit(0).json
    added = criterion(result, "local.carers-network")
    assert added["outcome"] == "not_met" and added["level"] == "achieving"
    assert [x["kind"] for x in added["local"]] == ["added"]
    # the local criterion sits in its area and counts towards its level
    scw = next(a for a in result["areas"] if a["id"] == "scw")
    assert "local.carers-network" in [c["id"] for c in scw["criteria"]]
    assert any(x["criterion"] == "local.carers-network" for x in scw["actions"])
    changed = criterion(result, "scw.declaration")
    assert changed["local"][0] == {"kind": "rule", "note": "local threshold: at least 85 here, 80 in the edition"}
    assert "at least 85% needed" in changed["reasons"][0]
    dropped = criterion(result, "rscc.satisfaction")
    assert dropped["outcome"] == "not_applicable"
    assert dropped["reasons"] == ["not used locally: Satisfaction is measured by the county survey, not by this council"]
    # Bexley's responsive services were held back only by satisfaction: not used, they reach Excellent
    assert next(a for a in result["areas"] if a["id"] == "rscc")["level"] == "excellent"
    ref = result["framework"]["tailoring"]
    assert ref["file"] == "tailoring.yaml"
    assert ref["sha256"] == hashlib.sha256((folder / "tailoring.yaml").read_bytes()).hexdigest()
    assert (ref["added"], ref["rules"], ref["not_used"]) == (["local.carers-network"], ["scw.declaration"],
                                                             ["rscc.satisfaction"])
    # the edition's own identity is unchanged, so results still compare with other councils'
    assert result["framework"]["id"] == "eflg-2014"
    plain = run_efl("assess", EXAMPLES / "bexley", "--format", "json").json
    assert result["framework"]["sha256"] == plain["framework"]["sha256"]


def test_a_raised_threshold_can_turn_a_met_criterion_unmet(tmp_path):
    folder = bexley_with(tmp_path, """\
        base: eflg-2014
        rules:
          scw.training: {fact: workforce.training_completion_pct, at_least: 95}
        """)
    result = run_efl("assess", folder, "--format", "json").assert_exit(0).json
    plain = run_efl("assess", EXAMPLES / "bexley", "--format", "json").json
    assert criterion(plain, "scw.training")["outcome"] == "met"  # 92.5% against 90
    assert criterion(result, "scw.training")["outcome"] == "not_met"  # against 95


def line_of(path, text: str) -> int:  # noqa: ANN001
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize("body, needle, message", [
    ("not_used:\n  lpoc.information-published: We publish it anyway\n", "lpoc.information-published",
     "a legal duty cannot be removed"),
    ("rules:\n  scw.gender-pay-gap: {fact: council.lead_member_named}\n", "scw.gender-pay-gap",
     "its rule cannot be weakened or replaced"),
    ("rules:\n  scw.gender-pay-gap: {any: [{duty: gender-pay-gap}, {fact: council.lead_member_named}]}\n",
     "scw.gender-pay-gap", "its rule cannot be weakened or replaced"),
    ("criteria:\n  - {area: scw, id: local.x, title: X, level: achieving, statutory: true,\n"
     "     rule: {fact: council.lead_member_named}, action: A.}\n", "statutory: true", "not a legal duty"),
    ("criteria:\n  - {area: workforce, id: local.x, title: X, level: achieving,\n"
     "     rule: {fact: council.lead_member_named}, action: A.}\n", "area: workforce", "no area 'workforce'"),
    ("criteria:\n  - {area: scw, id: scw.training, title: X, level: achieving,\n"
     "     rule: {fact: council.lead_member_named}, action: A.}\n", "id: scw.training", "already a criterion"),
    ("criteria:\n  - {area: scw, id: local.x, title: X, level: brilliant,\n"
     "     rule: {fact: council.lead_member_named}, action: A.}\n", "level: brilliant", "unknown level 'brilliant'"),
    ("criteria:\n  - {area: scw, id: local.x, title: X, level: achieving,\n"
     "     rule: {fact: council.lead_membr_named}, action: A.}\n", "lead_membr", "did you mean 'council.lead_member_named'"),
    ("rules:\n  scw.declaraton: {fact: workforce.lowest_declaration_rate_pct, at_least: 85}\n", "scw.declaraton",
     "did you mean 'scw.declaration'"),
    ("not_used:\n  rscc.satisfaction: ''\n", "rscc.satisfaction", "has no reason"),
    ("characteristics: [sex]\n", "characteristics", "already a protected characteristic"),
    ("colour: blue\n", "colour", "unknown key 'colour'"),
])
def test_tailoring_mistakes_are_errors_at_their_line(tmp_path, body, needle, message):
    folder = bexley_with(tmp_path, "base: eflg-2014\n" + body)
    out = run_efl("assess", folder)
    assert out.exit_code == 2 and "Traceback" not in out.stderr, out.stderr
    line = line_of(folder / "tailoring.yaml", needle)
    assert f"tailoring.yaml:{line}:" in out.stderr and message in out.stderr, out.stderr


def test_a_stricter_duty_rule_is_allowed(tmp_path):
    folder = bexley_with(tmp_path, """\
        base: eflg-2014
        rules:
          lpoc.information-published: {all: [{duty: equality-information}, {fact: council.lead_member_named}]}
        """)
    result = run_efl("assess", folder, "--format", "json").assert_exit(0).json
    assert criterion(result, "lpoc.information-published")["local"][0]["kind"] == "rule"


def test_a_tailoring_for_another_edition_is_refused_at_its_base(tmp_path):
    folder = bexley_with(tmp_path, "base: eflg-2021\n")
    out = run_efl("assess", folder)
    assert out.exit_code == 2
    assert "tailoring.yaml:1:" in out.stderr and "the tailoring is for eflg-2021" in out.stderr


def test_a_missing_tailoring_file_is_named(tmp_path):
    folder = bexley_with(tmp_path, "base: eflg-2014\n")
    (folder / "tailoring.yaml").unlink()
    out = run_efl("assess", folder)
    assert out.exit_code == 2 and "tailoring 'tailoring.yaml' was not found" in out.stderr
    assert "assessment.yaml:" in out.stderr


def test_assessing_against_another_edition_leaves_the_tailoring_out_and_says_so():
    out = run_efl("assess", LEICS, "--framework", "eflg-2021", "--format", "json").assert_exit(0)
    assert out.json["framework"]["tailoring"] is None
    assert "they are not applied when assessing against eflg-2021" in out.stderr


@pytest.mark.parametrize("fmt, marks", [
    ("table", ["LOCAL: This assessment uses local tailoring"]),
    ("markdown", ["## Local tailoring", "(local)", "local threshold: at least 85 here, 80 in the edition"]),
    ("html", ['<h2 id="part-tailoring">Local tailoring</h2>', "(local)",
              "Local tailoring: Leicestershire&#x27;s local criteria (the file tailoring.yaml"]),
    ("csv", ['"Local"', '"local threshold: at least 85 here, 80 in the edition; local action"']),
])
def test_every_format_marks_what_is_local(fmt, marks):
    out = run_efl("assess", LEICS, "--format", fmt, "--explain").assert_exit(0).output
    for mark in marks:
        assert mark in out, mark


def test_show_shows_the_tailored_framework():
    out = run_efl("show", "eflg-2014", "scw", "--tailoring", LEICS / "tailoring.yaml").assert_exit(0).output
    assert "Tailored locally by Leicestershire's local criteria" in out
    assert "scw.declaration: Most staff have recorded their protected characteristics [tailored locally]" in out
    assert "Local: local threshold: at least 85 here, 80 in the edition" in out
    assert "scw.manager-returns: Managers report meeting the framework's expectations [tailored locally]" in out
    kyc = run_efl("show", "eflg-2014", "kyc", "--tailoring", LEICS / "tailoring.yaml").assert_exit(0).output
    assert "local.carers-profile: The community profile covers unpaid carers [tailored locally]" in kyc
    plain = run_efl("show", "eflg-2014", "scw").assert_exit(0).output
    assert "[tailored locally]" not in plain


class ShippedTailoring:
    """A plugin that ships a tailoring beside its frameworks (kind: tailoring)."""

    def __init__(self, path):
        self.path = path

    @efl.hookimpl
    def efl_register_frameworks(self, register):
        register(efl.FrameworkSource(self.path))


def test_a_tailoring_a_plugin_ships_is_named_by_its_id(tmp_path):
    shipped = tmp_path / "shire.yaml"
    shipped.write_text("kind: tailoring\nid: shire-local\ntitle: The shire's criteria\nbase: eflg-2014\n"
                       "rules:\n  scw.training: {fact: workforce.training_completion_pct, at_least: 95}\n")
    plugins = [("shire", ShippedTailoring(shipped))]
    folder = bexley_with(tmp_path, "unused: true\n", name="unused.yaml")
    data = YAML(typ="safe").load((folder / "assessment.yaml").read_text())
    data["tailoring"] = "shire-local"
    write_files(folder, {"assessment.yaml": data})
    result = run_efl("assess", folder, "--format", "json", plugins=plugins).assert_exit(0).json
    ref = result["framework"]["tailoring"]
    assert (ref["id"], ref["plugin"], ref["file"]) == ("shire-local", "shire", None)
    assert ref["sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert criterion(result, "scw.training")["outcome"] == "not_met"
    listed = run_efl("frameworks", plugins=plugins).assert_exit(0).output
    assert "shire-local: The shire's criteria (plugin shire)" in listed
    shown = run_efl("show", "shire-local", "scw", plugins=plugins).assert_exit(0).output
    assert "scw.training: Staff are trained in equality [tailored locally]" in shown
    near = run_efl("assess", write_files(folder, {"assessment.yaml": {**data, "tailoring": "shire-locl"}}),
                   plugins=plugins)
    assert near.exit_code == 2 and "did you mean 'shire-local'?" in near.stderr


def test_compare_treats_local_criteria_as_local(tmp_path):
    folder = bexley_with(tmp_path, ISSUE_SHAPE)
    data = run_efl("compare", EXAMPLES / "bexley", folder, "--format", "json").assert_exit(0).json
    local = [c for c in data["criteria"] if c["relation"] in ("only_a", "only_b")]
    assert [(c["a"] or c["b"])["id"] for c in local] == ["local.carers-network"]
    assert data["counts"]["local_criteria"] == 1
    assert data["counts"]["only"]["a"]["criteria"] == data["counts"]["only"]["b"]["criteria"] == 0
    scw = next(a for a in data["areas"] if a["a"]["id"] == "scw")
    assert "one_edition_only" not in scw["disagreement"]
    changed = next(c for c in data["criteria"] if c["a"] and c["a"]["id"] == "rscc.satisfaction")
    assert changed["disagreement"] == "local_criterion"
    md = run_efl("compare", EXAMPLES / "bexley", folder, "--format", "markdown").assert_exit(0).output
    assert "## Local criteria" in md and "only in" not in md.split("## Local criteria")[1].split("##")[0]
    html = run_efl("compare", EXAMPLES / "bexley", folder, "--format", "html").assert_exit(0).output
    assert "Waivers and local criteria" in html and "added by its local tailoring" in html


def test_trend_lists_local_criteria_apart(tmp_path):
    folder = bexley_with(tmp_path, ISSUE_SHAPE)
    data = YAML(typ="safe").load((folder / "assessment.yaml").read_text())
    data["date"] = "2026-06-30"
    write_files(folder, {"assessment.yaml": data})
    out = run_efl("compare", "--trend", EXAMPLES / "bexley", folder, "--format", "json").assert_exit(0).json
    [step] = out["steps"]
    local = [c for c in step["not_comparable"] if c["local"]]
    assert [c["id"] for c in local] == ["local.carers-network"]
    text = run_efl("compare", "--trend", EXAMPLES / "bexley", folder).assert_exit(0).output
    assert "Local criteria, the council's own rather than the edition's (1)" in text
