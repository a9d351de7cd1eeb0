"""How ``efl progress`` reads the plan: once, without hashing it (it is never replaced), with the
cycle collector paused and given back as it was; the merge that may replace the plan still takes
its fingerprint."""

from __future__ import annotations

import gc
import shutil

import pytest

from efl.core.assessment import read_assessment
from efl.files import safe_files
from efl.plan import action_plan
from efl.plan.action_plan import collector_paused, current_plan, read_current_plan, read_plan

from conftest import EXAMPLES

HARROW = EXAMPLES / "harrow"


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_is_paused_and_given_back_as_it_was(was_on: bool) -> None:
    (gc.enable if was_on else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is was_on
        with pytest.raises(ValueError), collector_paused():
            raise ValueError  # a plan that is refused gives the collector back too
        assert gc.isenabled() is was_on
        read_plan(HARROW / "action-plan.yaml")
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


def test_a_plan_read_to_be_shown_is_read_once_and_not_hashed(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    folder = tmp_path / "harrow"
    shutil.copytree(HARROW, folder)
    loaded = read_assessment(folder)
    hashed, reads = [], []
    real_of, real_read = safe_files.Fingerprint.of, action_plan.read_plan
    monkeypatch.setattr(safe_files.Fingerprint, "of", classmethod(lambda cls, *a: hashed.append(1) or real_of(*a)))
    monkeypatch.setattr(action_plan, "read_plan", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    plan, path = current_plan(loaded)
    assert plan is not None and plan.lines and path.name == "action-plan.yaml"
    assert hashed == [] and reads == [1]
    source = read_current_plan(loaded)  # what the merge uses: fingerprinted, to refuse a plan edited meanwhile
    assert hashed == [1] and source.fingerprint is not None and source.plan == plan
