"""Census 2021 classifications as data: ONS's labels, HR systems' forms and codes, and the roll-ups.

The expected labels are typed here from the ONS Census 2021 dictionary (independently of the data
files), so a slip in a file is caught rather than copied.
"""

from __future__ import annotations

import pytest

from efl.errors import InputError
from efl.workforce.classification import build_set, built_in, built_in_paths, loose, read_classification_file
from efl.workforce.groups import DECLINED, GROUP, NOT_RECORDED, Vocabulary

# ONS Census 2021 dictionary, ethnic group (ethnic_group_tb), codes 1-19, and the high-level group of each.
ETHNIC_19 = [
    ("Asian, Asian British or Asian Welsh: Bangladeshi", "Asian, Asian British or Asian Welsh"),
    ("Asian, Asian British or Asian Welsh: Chinese", "Asian, Asian British or Asian Welsh"),
    ("Asian, Asian British or Asian Welsh: Indian", "Asian, Asian British or Asian Welsh"),
    ("Asian, Asian British or Asian Welsh: Pakistani", "Asian, Asian British or Asian Welsh"),
    ("Asian, Asian British or Asian Welsh: Other Asian", "Asian, Asian British or Asian Welsh"),
    ("Black, Black British, Black Welsh, Caribbean or African: African", "Black, Black British, Black Welsh, Caribbean or African"),
    ("Black, Black British, Black Welsh, Caribbean or African: Caribbean", "Black, Black British, Black Welsh, Caribbean or African"),
    ("Black, Black British, Black Welsh, Caribbean or African: Other Black", "Black, Black British, Black Welsh, Caribbean or African"),
    ("Mixed or Multiple ethnic groups: White and Asian", "Mixed or Multiple ethnic groups"),
    ("Mixed or Multiple ethnic groups: White and Black African", "Mixed or Multiple ethnic groups"),
    ("Mixed or Multiple ethnic groups: White and Black Caribbean", "Mixed or Multiple ethnic groups"),
    ("Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups", "Mixed or Multiple ethnic groups"),
    ("White: English, Welsh, Scottish, Northern Irish or British", "White"),
    ("White: Irish", "White"),
    ("White: Gypsy or Irish Traveller", "White"),
    ("White: Roma", "White"),
    ("White: Other White", "White"),
    ("Other ethnic group: Arab", "Other ethnic group"),
    ("Other ethnic group: Any other ethnic group", "Other ethnic group"),
]


@pytest.fixture(scope="module")
def library():
    return built_in()


def test_every_shipped_file_is_valid_and_each_level_divides_all_groups(library):
    for path in built_in_paths():
        spec = read_classification_file(path, str(path))
        assert spec.kind == "classification"
    assert {c.characteristic for c in library} == {"race", "disability", "sexual_orientation", "gender_reassignment",
                                                   "marriage_civil_partnership", "religion_or_belief", "age"}
    for c in library:
        assert c.problems() == []


def test_the_19_ethnic_groups_read_as_onss_labels_and_roll_up_to_the_5(library):
    ethnic = library.get("race")
    ids = [ethnic.read(label).category for label, _ in ETHNIC_19]
    assert None not in ids and len(set(ids)) == 19
    assert sorted(ethnic.leaves()) == sorted(ids)
    for (label, high), cid in zip(ETHNIC_19, ids):
        assert ethnic.category(cid).label == label
        assert ethnic.category(ethnic.roll_up(cid, "high-level")).label == high
    # ONS's 6- and 8-category forms are 5 and 7 groups and "Does not apply".
    assert len(ethnic.at_level("high-level")) == 5 and len(ethnic.at_level("eight-groups")) == 7
    # The 20-category form adds "Does not apply", which is nobody's group; so are totals.
    assert ethnic.read("Does not apply").kind == NOT_RECORDED
    assert ethnic.read("Total: All usual residents").kind == "total"


def test_hr_forms_and_codes_of_ethnic_group(library):
    ethnic = library.get("race")
    cases = {
        "White - English/Welsh/Scottish/Northern Irish/British": "White: English, Welsh, Scottish, Northern Irish or British",
        "White - British": "White: English, Welsh, Scottish, Northern Irish or British",
        "WBRI": "White: English, Welsh, Scottish, Northern Irish or British",
        "White: English/Welsh/Scottish/Northern Irish/British": "White: English, Welsh, Scottish, Northern Irish or British",
        "W2": "White: Irish", "WIRT": "White: Gypsy or Irish Traveller", "WROR": "White: Roma",
        "White - Any other White background": "White: Other White", "WOTH": "White: Other White",
        "Asian or Asian British - Indian": "Asian, Asian British or Asian Welsh: Indian",
        "Asian - Other": "Asian, Asian British or Asian Welsh: Other Asian",
        "Black or Black British: Caribbean": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "BAFR": "Black, Black British, Black Welsh, Caribbean or African: African",
        "Mixed - White & Black Caribbean": "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "Mixed/Multiple ethnic groups: Any other Mixed/Multiple ethnic background":
            "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
        "CHNE": "Asian, Asian British or Asian Welsh: Chinese",
        "Other ethnic group: Arab": "Other ethnic group: Arab", "OOTH": "Other ethnic group: Any other ethnic group",
        "Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi; measures: Value":
            "Asian, Asian British or Asian Welsh: Bangladeshi",
        "Gypsy/Roma": "White: Gypsy or Irish Traveller, Roma or Other White",
        "black or black british": "Black, Black British, Black Welsh, Caribbean or African",
        "British Asian": "Asian, Asian British or Asian Welsh",
        "Asian British Indian": "Asian, Asian British or Asian Welsh: Indian",
        "Other Mixed Background": "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    }
    for written, label in cases.items():
        match = ethnic.read(written)
        assert match.kind == GROUP and ethnic.category(match.category).label == label, written
    assert ethnic.read("REFU").kind == DECLINED and ethnic.read("NOBT").kind == NOT_RECORDED
    assert ethnic.read("Martian").kind == "unknown"
    # A national identity is not an ethnic group: never guessed.
    assert ethnic.read("English").kind == ethnic.read("Polish").kind == "unknown"


def test_white_british_and_ethnic_minority_groups(library):
    ethnic = library.get("race")
    grouping = "white-british-and-minority"
    assert ethnic.group_of("white-british", grouping) == "white-british"
    for cid in ethnic.leaves():
        if cid != "white-british":
            assert ethnic.group_of(cid, grouping) == "ethnic-minority", cid
    # "White" alone holds both White British and White Irish people: it cannot be placed.
    assert ethnic.group_of("white", grouping) is None
    assert ethnic.group_of("asian", grouping) == "ethnic-minority"
    assert ethnic.roll_up("white", "detailed") is None


def test_disability_yes_no_and_the_equality_act_categories(library):
    disability = library.get("disability")
    for written, cid in (("Yes", "disabled"), ("Y", "disabled"), ("No", "not-disabled"), ("n", "not-disabled"),
                         ("Disabled under the Equality Act", "disabled"),
                         ("Disabled under the Equality Act: Day-to-day activities limited a lot", "limited-a-lot"),
                         ("Not disabled under the Equality Act: No long term physical or mental health conditions",
                          "no-condition")):
        assert disability.read(written).category == cid, written
    assert disability.roll_up("limited-a-little", "equality-act") == "disabled"
    assert disability.roll_up("condition-not-limiting", "equality-act") == "not-disabled"


def test_sexual_orientation_reads_straight_as_heterosexual_and_settles_all_other(library):
    orientation = library.get("sexual_orientation")
    for written in ("Straight or Heterosexual", "Heterosexual", "Straight", "straight/heterosexual"):
        assert orientation.read(written).category == "heterosexual"
    assert orientation.read("Gay man").category == "gay-or-lesbian"
    # TS077 (no pansexual row): "All other sexual orientations" holds pansexual, asexual and queer.
    ts077 = orientation.read_all(["Straight or Heterosexual", "Gay or Lesbian", "Bisexual",
                                  "All other sexual orientations", "Not answered"])
    assert ts077["All other sexual orientations"].category == "other-orientation"
    assert ts077["Not answered"].kind == NOT_RECORDED
    # TS079 lists them: the same words are then only what is left.
    ts079 = orientation.read_all(["Pansexual", "Asexual", "Queer", "All other sexual orientations"])
    assert ts079["All other sexual orientations"].category == "other-orientation-rest"
    assert orientation.roll_up("bisexual", "broad") == "lgb-plus"


def test_gender_identity_and_bare_yes_no_read_by_the_columns_question(library):
    identity = library.get("gender_reassignment")
    assert identity.read("Gender identity the same as sex registered at birth").category == "same-as-birth"
    assert identity.roll_up("trans-woman", "same-or-different") == "different-from-birth"
    assert identity.yes_no("Is your gender identity the same as the sex registered at birth?") == \
        ("same-as-birth", "different-from-birth")
    assert identity.yes_no("Trans status") == ("different-from-birth", "same-as-birth")
    assert identity.yes_no("Gender identity") is None
    vocabulary = Vocabulary.build(classifications=library)
    assert vocabulary.read("gender_reassignment", "No", identity.yes_no("Trans")).group == "same-as-birth"
    # Without a question to go by, a bare yes is kept but not placed (it is reported, never guessed).
    assert vocabulary.read("gender_reassignment", "Yes").classified is False


def test_legal_partnership_status_hr_words_and_ts002_subtotals(library):
    status = library.get("marriage_civil_partnership")
    for written, cid in (("Single", "never-married"), ("Married", "married"), ("Civil Partnership", "civil-partnership"),
                         ("Divorced", "divorced"), ("Widowed", "widowed"), ("Separated", "separated"),
                         ("Marital and civil partnership status: Married or in a registered civil partnership: "
                          "Married: Same sex", "married-same-sex")):
        assert status.read(written).category == cid, written
    assert status.read("Cohabiting").kind == "unknown"
    # TS002 prints each subtotal beside its parts: the subtotals are dropped, nobody is counted twice.
    ts002 = ["never-married", "married-or-civil-partnership", "married", "married-opposite-sex", "married-same-sex",
             "civil-partnership", "civil-partnership-opposite-sex", "civil-partnership-same-sex", "separated",
             "separated-married", "separated-civil-partnership", "divorced-or-dissolved", "divorced", "dissolved",
             "widowed-or-surviving", "widowed", "surviving-civil-partner"]
    kept, dropped = status.without_subtotals(ts002)
    assert kept == set(status.leaves())
    assert dropped == {"married-or-civil-partnership", "married", "civil-partnership", "separated",
                       "divorced-or-dissolved", "widowed-or-surviving"}
    # A total listed with only some of its parts stays, and the parts go.
    assert status.without_subtotals(["separated", "separated-married"]) == ({"separated"}, {"separated-married"})


def test_common_cut_is_the_finest_level_both_files_share(library):
    ethnic = library.get("race")
    # An HR file in the 5 high-level groups against a Census table of the 19: compared in the 5.
    cut = ethnic.common_cut(ethnic.leaves(), ["white", "asian", "black", "mixed", "other"])
    assert cut.groups == ["asian", "black", "mixed", "white", "other"] and cut.level == "high-level"
    # Both detailed: compared in the 19 (groups nobody is in on either side are not listed).
    cut = ethnic.common_cut(ethnic.leaves(), ethnic.leaves())
    assert cut.level == "detailed" and len(cut.groups) == 19 and cut.rolled_up == []
    # HR splits White only: White in detail, the rest rolled up to their high-level groups.
    cut = ethnic.common_cut(ethnic.leaves(), ["white-british", "white-irish", "white-other", "asian", "black"])
    assert cut.groups[:2] == ["asian", "black"] and "white-british" in cut.groups
    # Nobody in the HR file is Mixed: 0 in each Mixed group the table gives.
    assert ("white-and-asian", "right") in cut.zero and "mixed" not in cut.groups
    assert cut.rolled_up == ["asian", "black"]
    # The table lists Roma; the HR file has nobody in it (0), beside White groups it does record.
    assert "white-roma" in cut.groups and ("white-roma", "right") in cut.zero
    # Groups nobody is in on either side are not listed; a group only one side has is named as
    # finely as that side gives it.
    cut = ethnic.common_cut(["white-british", "white-other", "asian"], ["white-british", "asian"])
    assert cut.groups == ["asian", "white-british", "white-other"] and cut.zero == [("white-other", "right")]


def test_a_council_can_name_its_groups_as_the_census_does(library):
    vocabulary = Vocabulary.build(groups={"race": {"White British": ["1"], "Other Asian": ["AS9"]}},
                                  classifications=library)
    assert vocabulary.read("race", "1").group == "white-british"
    assert vocabulary.read("race", "AS9").group == "other-asian"
    assert vocabulary.read("race", "White - British").group == "white-british"


def test_loose_labels_are_the_same_asked_again_and_past_the_limit(monkeypatch):
    import random
    import re as re_module

    from efl.workforce import classification

    def reference(text):  # the rule, written out again
        text = str(text).casefold().replace("&", " and ").replace("'", "")
        return " ".join(w for w in re_module.sub(r"[^0-9a-z+]+", " ", text).split() if w not in ("or", "and"))

    rng = random.Random(3)
    texts = ["".join(rng.choice("aB &'-:/ orAND+9é") for _ in range(rng.randint(0, 12))) for _ in range(400)]
    monkeypatch.setattr(classification, "_LOOSE", {})
    monkeypatch.setattr(classification, "_LOOSE_LIMIT", 100)
    for _ in range(2):  # the second time from what was kept (as far as the limit allowed)
        assert [loose(t) for t in texts] == [reference(t) for t in texts]
    assert len(classification._LOOSE) == 100
    assert loose(12) == "12" and loose(None) == "none"  # not text: read as its text, not kept


def test_loose_labels():
    assert loose("White - English/Welsh/Scottish/Northern Irish/British") == \
        loose("White: English, Welsh, Scottish, Northern Irish or British")
    assert loose("Mixed - White & Asian") == loose("Mixed: White and Asian")
    assert loose("Any other ethnic group") != loose("Other ethnic group")


def test_a_plugin_can_extend_a_classification_and_a_bad_file_is_named(tmp_path):
    extra = tmp_path / "our-codes.yaml"
    extra.write_text("kind: classification\nid: our-hr-codes\nextends: ethnic-group-2021\n"
                     "aliases:\n  white-british: [EA01]\n  indian: [EA20]\n", encoding="utf-8")
    library = build_set([*built_in_paths(), extra])
    assert library.get("race").read("EA01").category == "white-british"
    assert library.get("race").read("EA20").category == "indian"
    assert library.get("race").read("WBRI").category == "white-british"
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: classification\nid: bad\ncharacteristic: race\nlevels: [{id: a, title: A}]\n"
                   "categories:\n  - {id: x, label: X, levels: [b]}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_classification_file(bad, "bad.yaml")
    assert "names level 'b'" in str(caught.value.diagnostics[0])
    clash = tmp_path / "clash.yaml"
    clash.write_text("kind: classification\nid: another-ethnic\ncharacteristic: race\nlevels: [{id: a, title: A}]\n"
                     "categories:\n  - {id: x, label: X}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_set([*built_in_paths(), clash])
    assert "both for race" in caught.value.diagnostics[0].message


def test_the_engine_hands_plugins_the_classifications_they_register(tmp_path):
    """A plugin's classification file reaches the workforce reader through the assessment."""
    from efl.core.engine import Engine
    from efl.core.plugin_host import load_plugins

    extra = tmp_path / "codes.yaml"
    extra.write_text("kind: classification\nid: council-codes\nextends: ethnic-group-2021\n"
                     "aliases:\n  white-british: [EA01]\n", encoding="utf-8")

    class Codes:
        @staticmethod
        def efl_register_frameworks(register):  # noqa: ANN001, ANN205
            from efl import FrameworkSource

            register(FrameworkSource(extra))

    import efl

    Codes.efl_register_frameworks = efl.hookimpl(Codes.efl_register_frameworks)
    engine = Engine(load_plugins(extra=[("council-codes", Codes)]))
    library = engine.frameworks.classifications()
    assert library.get("race").read("EA01").category == "white-british"


def test_every_ons_age_band_reads_as_the_ages_it_covers(library):
    from efl.workforce.groups import age_band

    age = library.get("age")
    assert {s["id"] for s in age.band_sets} == {"single-year", "five-year", "eight", "six", "three"}
    for band_set in age.band_sets:
        bands = band_set["bands"]
        for label, first, last in bands:
            assert age_band(label) == (first, last), label
        # Each set covers every age once, from 0 up.
        ends = [(first, last) for _, first, last in bands]
        assert ends[0][0] == 0 and ends[-1][1] is None
        assert all(a[1] + 1 == b[0] for a, b in zip(ends, ends[1:]))


def test_more_hr_answers_as_onss_groups(library):
    disability, religion = library.get("disability"), library.get("religion_or_belief")
    assert disability.read("Yes, limited a lot").category == "limited-a-lot"
    assert disability.read("Yes, limited a little").category == "limited-a-little"
    assert disability.contains("disabled", disability.read("Yes, limited a little").category)
    # ONS codes humanists to "No religion" and spiritual answers to "Other religion".
    assert religion.read("Humanist").category == "no-religion"
    assert religion.read("Spiritual").category == "other-religion"
