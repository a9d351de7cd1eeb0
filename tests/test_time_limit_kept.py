"""The hook time limit kept between calls for a run of many (efl.core.time_limit.kept_between_calls).

Inside it the SIGALRM handler stays in place and the timer stays armed from one plugin call to the
next; every deadline must still hold as it does outside it (a call that runs too long is stopped
within its own limit, the innermost call named), an alarm left from an earlier call must never stop
a later call early, and when the run ends the handler that was there before comes back, exactly,
with no timer left armed.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from efl.core import time_limit as tl
from efl.core.time_limit import HookTimedOut, kept_between_calls, time_limit


def own_handler(signum, frame) -> None:  # noqa: ANN001
    pass


@pytest.fixture
def alarm_restored():
    previous = signal.signal(signal.SIGALRM, own_handler)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_the_handler_before_comes_back_and_no_timer_is_left(alarm_restored) -> None:
    with kept_between_calls():
        assert signal.getsignal(signal.SIGALRM) not in (own_handler, signal.SIG_DFL, signal.SIG_IGN)
        for _ in range(3):
            with time_limit(30) as depth:
                assert depth == 0
                with time_limit(30) as inner:
                    assert inner == 1
        # Kept: still efl's handler, the timer still armed, between calls.
        assert signal.getsignal(signal.SIGALRM) not in (own_handler, signal.SIG_DFL, signal.SIG_IGN)
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert signal.getsignal(signal.SIGALRM) is own_handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert not tl._kept and not tl._alarm_at and not tl._active


def test_between_calls_the_timer_is_armed_only_when_it_would_go_off_too_late(alarm_restored, monkeypatch) -> None:
    armed = []
    real = signal.setitimer

    def counting(which, seconds, interval=0.0):  # noqa: ANN001
        armed.append(seconds)
        return real(which, seconds, interval)

    monkeypatch.setattr(signal, "setitimer", counting)
    with kept_between_calls():
        for _ in range(50):
            with time_limit(30):
                pass
        assert len(armed) == 1  # the first call armed it; the 49 after found it due in time
        with time_limit(5):  # a shorter limit than the armed timer: armed again, for its own deadline
            assert 4 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5
        assert len(armed) == 2
    assert armed[-1] == 0  # disarmed at the end


def test_a_call_that_runs_too_long_is_stopped_within_its_limit(alarm_restored) -> None:
    with kept_between_calls():
        with time_limit(30):
            pass  # leaves the timer armed for 30 seconds from now
        started = time.monotonic()
        with pytest.raises(HookTimedOut) as stopped:
            with time_limit(0.2):
                time.sleep(5)
        assert 0.15 < time.monotonic() - started < 1.5
        assert stopped.value.depth == 0 and stopped.value.seconds == 0.2
        # After a limit ran out, the next call is not stopped by what is left of that alarm.
        with time_limit(30):
            time.sleep(0.6)
        started = time.monotonic()
        with pytest.raises(HookTimedOut):
            with time_limit(0.2):
                time.sleep(5)
        assert time.monotonic() - started < 1.5
    assert signal.getsignal(signal.SIGALRM) is own_handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_left_from_an_earlier_call_does_not_stop_a_later_one_early(alarm_restored) -> None:
    with kept_between_calls():
        with time_limit(0.3):
            pass  # the timer stays armed to go off 0.3 s from now, with no call running then
        with time_limit(1.0):
            time.sleep(0.6)  # the alarm goes off during this call: it must wait for this call's deadline
        time.sleep(0.5)  # an alarm with no call running disarms the timer
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_nested_calls_name_the_innermost_and_keep_the_outer_deadline(alarm_restored) -> None:
    with kept_between_calls():
        started = time.monotonic()
        with pytest.raises(HookTimedOut) as stopped:
            with time_limit(0.3):
                with time_limit(30) as inner:  # never outlives the outer call
                    assert inner == 1
                    time.sleep(5)
        assert stopped.value.depth == 1
        assert time.monotonic() - started < 1.5


def test_opened_during_a_call_it_changes_nothing(alarm_restored) -> None:
    with time_limit(30):
        with kept_between_calls():
            with time_limit(30):
                pass
        assert not tl._kept
    assert signal.getsignal(signal.SIGALRM) is own_handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_forked_child_arms_its_own_timer(alarm_restored) -> None:
    with kept_between_calls():
        with time_limit(30):
            pass
        assert tl._alarm_at
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no timer was inherited, so the first call must arm one
            try:
                ok = not tl._alarm_at
                with time_limit(30):
                    ok = ok and signal.getitimer(signal.ITIMER_REAL)[0] > 0
                os.write(write, b"1" if ok else b"0")
            finally:
                os._exit(0)
        os.close(write)
        answer = os.read(read, 1)
        os.close(read)
        os.waitpid(pid, 0)
        assert answer == b"1"


def test_the_limit_of_a_run_is_the_one_in_force_when_it_starts(alarm_restored, monkeypatch) -> None:
    """Inside a run, EFL_HOOK_TIMEOUT is read once, when the run starts (not on each of its calls)."""
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "5")
    with kept_between_calls():
        monkeypatch.setenv("EFL_HOOK_TIMEOUT", "0")  # changed mid-run: the run keeps its limit
        with time_limit() as depth:
            assert depth == 0
            assert 4 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5
    assert not tl._kept_seconds
    with time_limit() as depth:  # outside a run the variable is read on each call, as before
        assert depth is None
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "0")
    with kept_between_calls():
        with time_limit() as depth:
            assert depth is None  # no limit for the whole run
        with time_limit(5) as depth:  # a call that names its own limit still has it
            assert depth == 0
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "not a number")
    with kept_between_calls():
        with time_limit() as depth:  # a bad value is refused by load_plugins; here the default holds
            assert depth == 0 and tl._active[0] - time.monotonic() > tl.DEFAULT_SECONDS - 5
