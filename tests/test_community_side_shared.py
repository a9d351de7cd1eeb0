"""compare_with_community with a ``shared`` dict (the community's side worked out once for the whole
workforce and its senior staff) gives exactly the comparisons made each on its own.

The reference is compare_with_community without ``shared``, which works the community's side out
afresh on every call, as it always did. Inputs: the worked examples and the awkward generated
councils (Census codes, HR headers, dates of birth, one sex only ...), and hand-made profiles that
cross a characteristic with age, give percentages, and name groups no classification knows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from efl.core.batch import BatchOptions, make_engine
from efl.workforce.representation import CommunityProfile, CommunityRow, _CommunitySide, compare_with_community

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "assessments" / name for name in ("bexley", "harrow", "leicester", "leicestershire")] + [
    p / "council" for p in sorted((ROOT / "bench" / "data" / "golden").glob("odd-*")) if (p / "council").is_dir()]


@pytest.fixture(scope="module")
def engine():  # noqa: ANN201
    return make_engine(BatchOptions())


def _both_ways(staff, senior, community, assessment, ages=(16, 64)):  # noqa: ANN001, ANN202
    alone = [compare_with_community(staff, community, ages, assessment),
             compare_with_community(senior, community, ages, assessment, {c: set(n) for c, n in staff.items()},
                                    where="senior staff")]
    shared: dict = {}
    together = [compare_with_community(staff, community, ages, assessment, shared=shared),
                compare_with_community(senior, community, ages, assessment, {c: set(n) for c, n in staff.items()},
                                       where="senior staff", shared=shared)]
    return alone, together, shared


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f.exists()], ids=lambda f: f.parent.name + "/" + f.name)
def test_shared_comparisons_are_the_comparisons_made_alone(engine, folder) -> None:  # noqa: ANN001
    try:
        prepared = engine.prepare(folder)
    except Exception:  # noqa: BLE001 - a folder meant to fail has nothing to compare
        pytest.skip("the folder does not prepare")
    record = prepared.evidence.latest("workforce-profile")
    community, _ = CommunityProfile.combine(prepared.evidence.items_of("community-profile"))
    if record is None or record.parsed is None or community is None:
        pytest.skip("no workforce and community profiles")
    profile = record.parsed
    senior = profile.senior_groups or {c: Counter() for c in profile.groups}
    alone, together, shared = _both_ways(profile.groups, senior, community, prepared.loaded.assessment)
    assert together == alone
    assert isinstance(shared.get("community"), _CommunitySide)


def _rows() -> list[CommunityRow]:
    rows = [CommunityRow("sex", "Female", 5200), CommunityRow("sex", "Male", 4800),
            CommunityRow("sex", "Not answered", 100)]
    for age, (a, b) in {"Aged 0 to 15 years": (900, 1000), "Aged 16 to 24 years": (700, 650),
                        "Aged 25 to 49 years": (2000, 2100), "Aged 50 to 64 years": (1500, 1400),
                        "Aged 65 years and over": (1200, 1300)}.items():
        rows += [CommunityRow("disability", "Disabled under the Equality Act", a, age=age),
                 CommunityRow("disability", "Not disabled under the Equality Act", b, age=age)]
    rows += [CommunityRow("race", "White: English, Welsh, Scottish, Northern Irish or British", None, 61.0),
             CommunityRow("race", "Asian, Asian British or Asian Welsh", None, 20.5),
             CommunityRow("race", "Black, Black British, Black Welsh, Caribbean or African", None, 11.5),
             CommunityRow("race", "Martian", None, 7.0),
             CommunityRow("religion_or_belief", "Christian", 4000), CommunityRow("religion_or_belief", "Jedi", 300),
             CommunityRow("religion_or_belief", "No religion", 3600),
             CommunityRow("age", "16 to 24", 1350), CommunityRow("age", "25 to 34", 1500),
             CommunityRow("age", "35 to 49", 2600), CommunityRow("age", "50 to 64", 2900),
             CommunityRow("age", "65 and over", 2500)]
    return rows


def test_hand_made_profiles_by_age_percentages_and_unknown_groups() -> None:
    community = CommunityProfile(_rows(), populations={"race": "All usual residents"})
    staff = {"sex": Counter({"female": 60, "male": 38, "prefer not to say": 2}),
             "disability": Counter({"disabled": 12, "not-disabled": 80}),
             "race": Counter({"white-british": 70, "asian": 15, "black": 9, "venusian": 2}),
             "religion_or_belief": Counter({"christian": 40, "no-religion": 50, "jedi": 8}),
             "age": Counter({"16-24": 10, "25-34": 30, "35-49": 35, "50-64": 25}),
             "sexual_orientation": Counter({"heterosexual": 90})}
    senior = {c: Counter({g: n // 5 for g, n in groups.items()}) for c, groups in staff.items()}
    for ages in ((16, 64), (18, None), (0, None)):
        alone, together, _ = _both_ways(staff, senior, community, None, ages)
        assert together == alone, ages
        # The profile is awkward in the ways meant: compared by age bands, left out, too few.
        assert {"sex", "disability", "race", "age"} <= set(alone[0].ratios), alone[0].not_compared
        assert "Martian" in alone[0].not_compared["race"] and alone[1].too_few


def test_a_changed_profile_or_ages_is_worked_out_afresh() -> None:
    community = CommunityProfile(_rows())
    staff = {"sex": Counter({"female": 60, "male": 40}), "age": Counter({"16-24": 20, "25-34": 40, "35-49": 40})}
    shared: dict = {}
    compare_with_community(staff, community, (16, 64), None, shared=shared)
    first = shared["community"]
    community.rows.append(CommunityRow("sex", "Intersex", 40))  # the rows changed in place
    assert compare_with_community(staff, community, (16, 64), None, shared=shared) == \
        compare_with_community(staff, community, (16, 64), None)
    assert shared["community"] is not first
    other = CommunityProfile(_rows()[:3])
    assert compare_with_community(staff, other, (16, 64), None, shared=shared) == \
        compare_with_community(staff, other, (16, 64), None)
    assert compare_with_community(staff, other, (25, None), None, shared=shared) == \
        compare_with_community(staff, other, (25, None), None)
    assert shared["community"].ages == (25, None)
