"""Every shipped framework edition and crosswalk: loads, cites sources, covers both editions, and
the worked examples assess against the five-area and the 2021 editions without changing evidence."""

from __future__ import annotations

import pytest

from efl.core.crosswalk import check_coverage, read_crosswalk
from efl.core.framework import available_crosswalks, available_frameworks, load_framework
from efl.testing import load_host, run_efl

from conftest import EXAMPLES, ROOT

SHIPPED = ["eflg-2009", "eflg-2014", "eflg-2021", "eslg"]
EXAMPLE_FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))


@pytest.fixture(scope="module")
def host():
    return load_host()


@pytest.mark.parametrize("fid", SHIPPED)
def test_framework_loads_and_every_criterion_has_a_source(host, fid):
    fw = load_framework(host, fid).framework
    criteria = [c for a in fw.areas for c in a.criteria]
    assert criteria and all(c.source.strip() for c in criteria)
    assert all(c.confidence in ("confirmed", "partial", "unconfirmed", "local") for c in criteria)
    # Every area has something to meet at every level (else a level is reached on no evidence).
    for area in fw.areas:
        assert {c.level for c in area.criteria} == set(fw.level_ids()), area.id


def test_editions_and_their_status(host):
    entries = available_frameworks(host)
    assert {fid: entries[fid].status for fid in SHIPPED} == {
        "eflg-2009": "superseded", "eflg-2014": "superseded", "eflg-2021": "current", "eslg": "superseded"}
    listed = run_efl("frameworks").assert_success().output
    assert "eflg-2021" in listed and "current" in listed and "eslg--eflg-2009" in listed
    shown = run_efl("show", "eflg-2021").assert_success().output
    assert shown.startswith("Equality Framework for Local Government 2021 (four modules) (eflg-2021, version 2021.1, current)")


def test_2021_has_the_four_modules_and_marks_unconfirmed_criteria(host):
    fw = load_framework(host, "eflg-2021").framework
    assert [a.id for a in fw.areas] == ["uwc", "lpoc", "rscc", "dew"]
    assert fw.area("lpoc").aliases == ["Leadership and organisational commitment"]
    confidence = {c.id: c.confidence for a in fw.areas for c in a.criteria}
    # Headings only on the working list (eflg-facts §5) are marked; confirmed ones are not.
    assert all(confidence[c] == "unconfirmed" for c in confidence if c.split(".")[1] in
               ("engagement", "eia", "performance", "service-design"))
    assert all(confidence[c] != "unconfirmed" for c in confidence if c.split(".")[1] in
               ("collecting", "analysing", "leadership", "priorities", "commissioning", "integration",
                "diversity", "policies", "data", "ld", "wellbeing"))
    statutory = sorted(c.id for a in fw.areas for c in a.criteria if c.statutory)
    assert statutory == ["dew.data.1", "dew.data.2", "lpoc.information-published", "lpoc.objectives-measurable",
                         "lpoc.objectives-published"]


@pytest.mark.parametrize("crosswalk", ["eflg-2014--eflg-2021", "eslg--eflg-2009"])
def test_crosswalk_covers_every_criterion_of_both_editions(host, crosswalk):
    entry = available_crosswalks(host)[crosswalk]
    data, doc = read_crosswalk(entry.path, str(entry.path))
    origin, target = (load_framework(host, f).framework for f in (data.from_, data.to))
    assert check_coverage(data, doc, origin, target) == []
    paired_from = {p.from_ for p in data.criteria if p.from_}
    paired_to = {p.to for p in data.criteria if p.to}
    assert paired_from == {c.id for a in origin.areas for c in a.criteria}
    assert paired_to == {c.id for a in target.areas for c in a.criteria}


def test_crosswalk_coverage_check_finds_gaps(host, tmp_path):
    entry = available_crosswalks(host)["eflg-2014--eflg-2021"]
    text = entry.path.read_text().replace("  - {from: kyc.profile, to: uwc.collecting.1, relation: same}\n", "")
    text = text.replace("{from: scw.training,", "{from: scw.trainning,")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    data, doc = read_crosswalk(broken, str(broken))
    messages = [d.message for d in check_coverage(data, doc, *(load_framework(host, f).framework
                                                                for f in ("eflg-2014", "eflg-2021")))]
    assert "criterion 'kyc.profile' of eflg-2014 is not in the crosswalk (expected every criterion of both editions)" in messages
    assert "criterion 'uwc.collecting.1' of eflg-2021 is not in the crosswalk (expected every criterion of both editions)" in messages
    assert "'scw.trainning' is not a criterion of eflg-2014" in messages


@pytest.mark.parametrize("folder", EXAMPLE_FOLDERS, ids=lambda p: p.name)
@pytest.mark.parametrize("fid", ["eflg-2014", "eflg-2021"])
def test_examples_assess_against_both_editions_unchanged(folder, fid):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = run_efl("assess", folder, "--framework", fid, "--format", "json").assert_success().json
    assert result["framework"]["id"] == fid and len(result["areas"]) == (5 if fid == "eflg-2014" else 4)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_trend_from_2014_to_2021_through_the_crosswalk(tmp_path):
    old, new = tmp_path / "2014.json", tmp_path / "2021.json"
    run_efl("assess", EXAMPLES / "bexley", "-o", old).assert_success()
    run_efl("assess", EXAMPLES / "bexley", "--framework", "eflg-2021", "-o", new).assert_success()
    t = run_efl("compare", "--trend", old, new, "--format", "json").assert_success().json
    assert t["frameworks"] == ["eflg-2014 2014.1", "eflg-2021 2021.1"]
    levels = {a["id"]: a["levels"] for a in t["areas"]}
    # kyc (Excellent) and iyc (Developing) merged into uwc: the lower level is shown for 2014.
    assert levels["uwc"][0] == "developing" and levels["lpoc"] == ["developing", "developing"]
    (step,) = t["steps"]
    assert sorted(c["id"] for c in step["not_comparable"]) == [
        "dew.wellbeing.1", "lpoc.performance.1", "rscc.commissioning.1", "rscc.integration.1",
        "rscc.service-design.1"]
    assert all(c["before"] is None and not c["comparable"] for c in step["not_comparable"])
    table = run_efl("compare", "--trend", old, new).assert_success().output
    assert "Not comparable, because one edition has no counterpart (5)" in table


def test_compare_across_editions_marks_what_is_not_comparable(tmp_path):
    old, new = tmp_path / "2014.json", tmp_path / "2021.json"
    run_efl("assess", EXAMPLES / "london-councils", "-o", old).assert_success()
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eflg-2021", "-o", new).assert_success()
    c = run_efl("compare", old, new, "--format", "json").assert_success().json
    assert c["crosswalk"] == "eflg-2014--eflg-2021"
    assert [(a["a"]["id"], a["b"]["id"]) for a in c["areas"]] == [("kyc", "uwc"), ("iyc", "uwc"), ("lpoc", "lpoc"),
                                                             ("rscc", "rscc"), ("scw", "dew")]
    renamed = next(x for x in c["criteria"] if x["a"] and x["a"]["id"] == "kyc.profile")
    assert renamed["b"]["id"] == "uwc.collecting.1" and renamed["a"]["outcome"] == renamed["b"]["outcome"]
    assert [x["b"]["id"] for x in c["criteria"] if x["relation"] == "only_b"][0] == "lpoc.performance.1"


def test_eslg_level_maps_to_eflg_with_its_confidence(tmp_path):
    old, new = tmp_path / "eslg.json", tmp_path / "2009.json"
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eslg", "-o", old).assert_success()
    run_efl("assess", EXAMPLES / "london-councils", "--framework", "eflg-2009", "-o", new).assert_success()
    c = run_efl("compare", old, new, "--format", "json").assert_success().json
    assert c["a"]["overall"] == "eslg-3" and [(m["level"], m["confidence"]) for m in c["a"]["overall_maps_to"]] == [
        ("achieving", "confirmed")]
    assert all(a["group"] is None for a in c["areas"]) and c["areas"][0]["a"]["id"] == "council"
    table = run_efl("compare", old, new).assert_success().output
    assert "The overall level of London Councils (self assessment), 2025-11-14, Level 3, corresponds to Achieving (confirmed;" in table
    # Nothing is paired one to one: it says so, not "0 pairs of areas".
    assert "No area or criterion of" in table and "0 pairs of areas" not in table


def test_framework_files_are_in_the_package():
    for fid in SHIPPED:
        assert (ROOT / "frameworks" / f"{fid}.yaml").is_file()
