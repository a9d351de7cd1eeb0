"""The hook time limit puts back whatever SIGALRM handler was there before, exactly.

time_limit sets its handler with the C function behind signal.signal (the wrapper's enum
conversions cost more than the rest of a time limit); what was in place before must come back as
it was: a program's own handler, SIG_IGN or SIG_DFL, also after nested limits and after a limit that
ran out.
"""

from __future__ import annotations

import signal
import time

import pytest

from efl.core.time_limit import HookTimedOut, time_limit


def own_handler(signum, frame) -> None:  # noqa: ANN001
    pass


@pytest.mark.parametrize("before", [own_handler, signal.SIG_IGN, signal.SIG_DFL])
def test_the_handler_before_comes_back(before) -> None:  # noqa: ANN001
    previous = signal.signal(signal.SIGALRM, before)
    try:
        with time_limit(30) as depth:
            assert depth == 0
            assert signal.getsignal(signal.SIGALRM) not in (before, signal.SIG_DFL, signal.SIG_IGN)
            with time_limit(30) as inner:
                assert inner == 1
            assert signal.getsignal(signal.SIGALRM) not in (before, signal.SIG_DFL, signal.SIG_IGN)
        assert signal.getsignal(signal.SIGALRM) == before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with pytest.raises(HookTimedOut):
            with time_limit(0.05):
                time.sleep(2)
        assert signal.getsignal(signal.SIGALRM) == before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)
