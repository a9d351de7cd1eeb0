"""Tests for the tutorial plugin, run against the installed package (found through its entry point).

The fixtures ``efl_folder`` and ``efl_run`` come from ``efl.testing``; pytest loads it because efl
is installed, so no conftest.py is needed.
"""

import pytest


def assessment(*evidence):
    return {
        "framework": "carers-check",
        "council": {"name": "Testshire Council"},
        "date": "2026-06-30",
        "evidence": [dict(e, date="2026-01-15") for e in evidence],
    }


POLICY = {"id": "policy", "type": "policy", "title": "Flexible working and carers' leave", "file": "policy.md"}
SURVEY = {"id": "survey", "type": "governance", "title": "Cabinet report", "note": "Support for people caring", "file": "s.md"}


@pytest.fixture
def folder(efl_folder):
    return efl_folder({"assessment.yaml": assessment(POLICY, SURVEY), "policy.md": "# Policy\n", "s.md": "# S\n"})


def test_installed_plugin_is_listed(efl_run):
    plugins = {p["name"]: p for p in efl_run("plugins", "--json").assert_success().json}
    carers = plugins["carers"]
    assert carers["distribution"] == "efl-carers" and carers["version"] == "1.0.0"
    assert carers["builtin"] is False and carers["status"] == "loaded"
    assert "efl_register_rule_types" in carers["hooks"]


def test_rule_and_fact_decide_the_level(folder, efl_run):
    result = efl_run("assess", folder, "--format", "json").assert_success().json
    (area,) = result["areas"]
    # Two items mention carers: enough for Achieving (a policy does), not for Excellent (3 needed).
    assert area["level"] == "achieving"
    fact = next(f for f in result["facts"] if f["name"] == "carers.evidence_items")
    assert fact["value"] == 2 and fact["evidence"] == ["policy", "survey"]
    assert fact["plugin"] == "carers"


def test_without_a_policy_the_mentions_rule_fails(efl_folder, efl_run):
    folder = efl_folder({"assessment.yaml": assessment(SURVEY), "s.md": "# S\n"})
    result = efl_run("assess", folder, "--format", "json").assert_success().json
    assert result["areas"][0]["level"] == "developing"
    failed = next(c for c in result["areas"][0]["criteria"] if c["id"] == "carers.in-policy")
    assert failed["outcome"] == "not_met"
    assert "no item of 'policy' evidence mentions 'carer'" in failed["trace"]["reason"]


def test_rag_report(folder, efl_run):
    out = efl_run("assess", folder, "--format", "rag").assert_success().output
    assert out.splitlines()[1] == "AMBER  Carers: Achieving, 1 action(s)"


def test_switched_off_the_format_is_gone(folder, efl_run):
    out = efl_run("-p", "no:carers", "assess", folder, "--format", "rag", "--framework", "eflg-2014")
    out.assert_exit(2)
    assert "unknown format 'rag'" in out.stderr
