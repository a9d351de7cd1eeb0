"""A batch tunes the garbage collector for its run and puts it back; cycles are still collected.

batch_collector (many folders in this process) freezes what exists at the start and collects the
young generation less often; afterwards the thresholds and the frozen objects are as before. A
worker tunes its own collector once; the parent's (running tasks itself when no worker starts) is
left alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import weakref
from pathlib import Path

from efl.core.batch import BATCH_GC_THRESHOLD, BatchOptions, _worker_collector, batch_collector, run_batch

ROOT = Path(__file__).resolve().parent.parent


class Node:
    pass


def test_the_collector_is_put_back() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with batch_collector():
        assert gc.get_threshold()[0] >= BATCH_GC_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_a_cycle_made_during_the_batch_is_still_collected() -> None:
    with batch_collector():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None


def test_someone_elses_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with batch_collector():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_batch_in_this_process_puts_the_collector_back() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    folders = [ROOT / "assessments" / "bexley", ROOT / "assessments" / "leicester"]
    summaries = list(run_batch(folders, BatchOptions(), jobs=1))
    assert [s.exit_code for s in summaries] == [0, 0]
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def _report(conn) -> None:  # noqa: ANN001
    _worker_collector()
    conn.send((gc.get_threshold()[0], gc.get_freeze_count()))


def test_a_worker_tunes_its_own_collector_and_the_parent_does_not() -> None:
    before = gc.get_threshold()
    _worker_collector.cache_clear()
    _worker_collector()  # in the parent (no worker could start): nothing changes
    assert gc.get_threshold() == before
    _worker_collector.cache_clear()
    here, there = multiprocessing.Pipe()
    worker = multiprocessing.get_context("fork").Process(target=_report, args=(there,))
    worker.start()
    threshold, frozen = here.recv()
    worker.join()
    assert threshold >= BATCH_GC_THRESHOLD and frozen > 0
