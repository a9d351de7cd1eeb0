"""The table of proposed actions missing from the plan (efl.plan.progress._missing_text) is drawn by
text_table rather than tabulate, so that ``efl progress`` need not import tabulate: it must be
tabulate's bytes for every kind of row, those text_table hands back to tabulate included."""

from __future__ import annotations

import random

import pytest
from tabulate import tabulate

from efl.plan.progress import MISSING_HEADERS, _missing_text

WORDS = ["Review", "the", "co-production", "charter", "with", "carers", "--", "quarterly", "self-assessment",
         "1,000", "12", "True", "nan", "Équipe", "naïve", "“quoted”", "—", "a" * 70, "x-y-z", "£5", "", "  "]
DUES = ["-", "1 April 2027", "31 December 2026", "30 September 2027"]


def tabulated(rows: list[list[str]]) -> str:
    return tabulate(rows, headers=MISSING_HEADERS, tablefmt="simple", maxcolwidths=[60, 40, 18])


def sentence(rng: random.Random, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, most)))


@pytest.mark.parametrize("seed", range(300))
def test_the_missing_actions_table_is_tabulates(seed):
    rng = random.Random(seed)
    rows = [[sentence(rng, 30), sentence(rng, 8), rng.choice(DUES)] for _ in range(rng.randint(1, 6))]
    try:
        expected = tabulated(rows)
    except ValueError:
        # tabulate 0.10 fails to wrap a cell such as "1,000" (see text_table._tabulate): there was
        # no table to match, and there is one now rather than a traceback.
        assert _missing_text(rows).startswith("Action")
        return
    assert _missing_text(rows) == expected


def test_a_plain_table_of_proposals_is_tabulates():
    rows = [["Agree a supervision policy that names the frequency, the content and the record kept of every "
             "supervision, and review it each year with the staff it covers", "Supervision", "1 April 2027"],
            ["Publish the caseload-weighting tool", "Workload management", "-"]]
    assert _missing_text(rows) == tabulated(rows)
    assert "\n" in _missing_text(rows).split("\n", 3)[3]  # the long action was wrapped (the case that matters)
