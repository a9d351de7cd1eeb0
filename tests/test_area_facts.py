"""The communities, leadership, involvement and services facts, checked against the Bexley example's
evidence files by hand (the arithmetic is written out in each assertion)."""

from __future__ import annotations

import pytest

from efl.core.engine import assess
from efl.core.plugin_host import load_plugins

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def facts():
    result = assess(EXAMPLES / "bexley", load_plugins()).result
    return {f.name: f for f in result.facts}


def test_communities(facts):
    assert facts["communities.characteristics_covered"].value == 9
    assert facts["communities.characteristics_missing"].value == []
    assert facts["communities.broken_down"].value is True
    # Dated 2025-01-20, assessed 2025-11-14: 298 days.
    assert facts["communities.profile_age_years"].value == pytest.approx(298 / 365.25)
    assert facts["communities.profile_published"].value is True
    assert facts["communities.profile_published"].evidence == ["community-profile-2025"]


def test_leadership(facts):
    # Objective A (three measures, success if any) and B (three measures, any): both say what will
    # change and how it will be measured, as the law asks; only B gives baselines and targets.
    assert facts["leadership.objectives.count"].value == 2
    assert facts["leadership.objectives.measurable_count"].value == 2
    assert facts["leadership.objectives.all_measurable"].value is True
    assert facts["leadership.objectives.baselined_count"].value == 1
    assert facts["leadership.objectives.all_baselined"].value is False
    # Published 2025-01-30, assessed 2025-11-14: 288 days.
    assert facts["leadership.information.days_since_published"].value == 288
    assert facts["leadership.information.within_year"].value is True
    # Eight key decisions in the register, seven with an impact assessment.
    assert facts["leadership.key_decisions_eqia_pct"].value == 7 / 8 * 100
    assert facts["leadership.partnership_agreements"].value == 1
    assert facts["council.lead_member_named"].value is True
    assert facts["council.employees"].value == 400  # counted from the workforce profile


def test_involvement(facts):
    # The year looked back on is the period's, to 2025-03-31, so from 2024-03-31: the library
    # (2024-10-01, no feedback published) and budget (2024-12-05) consultations; the four from
    # April 2025 on are later.
    assert facts["involvement.consultations_last_year"].value == 2
    assert facts["involvement.characteristics_reached"].value == 4  # age, disability, race, sex
    assert facts["involvement.characteristics_not_reached"].value == [
        "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity", "religion_or_belief",
        "sexual_orientation"]
    assert facts["involvement.feedback_published_pct"].value == 1 / 2 * 100


def test_services(facts):
    assert facts["services.eqia_coverage_pct"].value == 17 / 20 * 100
    assert facts["services.complaints_characteristics_monitored"].value == 6
    assert facts["services.satisfaction_characteristics_monitored"].value == 5
    # Largest gap is by disability: 951/1340 satisfied without, 148/260 with.
    assert facts["services.satisfaction_gap_pct"].value == pytest.approx(951 / 1340 * 100 - 148 / 260 * 100)
    # 951/1340 = 70.97% -> 71.0; 148/260 = 56.92% -> 56.9; gap 14.05 -> 14.0 (one decimal place for people).
    assert ("satisfaction is 71.0% among non-disabled people but 56.9% among disabled people, a gap of 14.0 points"
            in facts["services.satisfaction_gap_pct"].statement)


def test_workforce_training_and_returns(facts):
    assert facts["workforce.training_completion_pct"].value == (86 + 101 + 88 + 95) / (90 + 110 + 95 + 105) * 100
    # 17 expectations in the framework; met in every service that reported them: kyc.m1, kyc.m2,
    # lpoc.m1, lpoc.m2, lpoc.m4, iyc.m1, iyc.m3, rscc.m1, rscc.m2, rscc.m4, scw.m1, scw.m3, scw.m4 = 13.
    assert facts["workforce.manager_returns_coverage_pct"].value == pytest.approx(13 / 17 * 100)
