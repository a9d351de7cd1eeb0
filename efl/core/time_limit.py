"""The per-hook time limit: plugin code that runs longer than ``EFL_HOOK_TIMEOUT`` seconds is stopped.

Reads of evidence files have a limit of their own; without this a plugin whose hook hangs (a loop
that never ends, a network call that never answers) would hang ``efl assess`` for ever, and a
national batch with it. Every call into a plugin goes through :func:`efl.core.plugin_host.blame`,
which runs it under :func:`time_limit`; when the time is up the plugin is named with its hook and
efl exits with code 3 (in a batch, that folder fails and the others go on).

How it stops a hook: a thread cannot safely interrupt Python code running in another thread, so
efl uses the operating system's interval timer (``setitimer``, delivered as ``SIGALRM`` to the main
thread, where Python runs the handler between two bytecodes, or when a blocking call such as
``time.sleep`` or a socket read is interrupted). The handler raises :class:`HookTimedOut`, which
derives from ``BaseException`` so that a plugin's ``except Exception`` cannot swallow it; should
a plugin swallow even that, the timer fires again every quarter of a second until the hook gives up.
Each worker of a batch is its own process with its own main thread and timer, so the limit holds
there too, and the worker goes on to its next folder.

Limits: code called outside the main thread (efl used as a library from a thread of its own) and
systems without ``setitimer`` (Windows) run without a limit; a hook stuck inside a C extension that
never returns to Python cannot be stopped this way either (the batch supervisor still names a
worker that is killed from outside).

The timer is process-wide, so the deadlines of nested plugin calls (a plugin's rule type inside the
built-in ``all``) are kept on one stack here: an inner call never outlives the outer one, and when
the time runs out the call running then (the innermost) is named, as the top of a traceback would be.
"""

from __future__ import annotations

import os
import signal
import threading
# The C function behind signal.signal: the wrapper converts handlers to and from enums (a failed
# enum lookup for every Python handler), which cost more than the rest of a time limit together,
# and every plugin call (about 150 per council assessed) sets and restores the handler. The raw
# value it returns is put back as it was; it knows SIG_DFL and SIG_IGN only as its own int objects
# (_signal's, not signal's enums), and None ("not set from Python") is put back as SIG_DFL, as before.
from _signal import SIG_DFL as _RAW_DEFAULT, signal as _set_handler
import time

ENV = "EFL_HOOK_TIMEOUT"
# Generous: a national run's largest HR export (5 million rows) is read and parsed well inside it.
DEFAULT_SECONDS = 600.0
_REPEAT = 0.25  # seconds between further alarms, should a plugin swallow the first

# The deadlines (time.monotonic) of the plugin calls running now, outermost first.
_active: list[float] = []
_seconds: list[float] = []  # each active call's own limit, for the message
_saved: list = []  # the SIGALRM handler that was in place before the outermost call
_parsed: dict[str, float | None] = {}
# Between plugin calls of a run of many (see kept_between_calls): the SIGALRM handler that was in
# place before the run, and the time (time.monotonic) the armed timer goes off first ([]: not armed).
_kept: list = []
_alarm_at: list[float] = []
# Also between plugin calls of a run of many: the limit in force, read once when the run starts
# (``EFL_HOOK_TIMEOUT`` is read through os.environ, which encodes and decodes on every look-up: read
# for each of a small council's ~75 plugin calls it cost more than the rest of time_limit's set-up).
_kept_seconds: list[float | None] = []


class HookTimedOut(BaseException):
    """Raised inside a plugin's code when its time is up (see the module docstring)."""

    def __init__(self, depth: int, seconds: float):
        super().__init__(f"the time limit of {seconds:g} seconds ran out")
        self.depth = depth      # the index in the stack of the call that was running
        self.seconds = seconds


def parse_seconds(text: str) -> float | None:
    """``EFL_HOOK_TIMEOUT``'s value as seconds (``None``: no limit, for ``0``, ``off`` or ``none``).

    :raises ValueError: for anything else that is not a positive number, with words saying so.
    """
    word = text.strip().lower()
    if word in ("0", "off", "none", "no"):
        return None
    try:
        seconds = float(word)
    except ValueError:
        seconds = float("nan")
    if not (seconds > 0 and seconds < 10**9):
        raise ValueError(f"{ENV}={text!r} is not a number of seconds (expected a positive number such as 600, "
                         "or 0 for no limit)")
    return seconds


def hook_seconds() -> float | None:
    """The limit in force: ``EFL_HOOK_TIMEOUT`` if set, else :data:`DEFAULT_SECONDS`.

    :raises ValueError: when the variable holds something that is not a number of seconds.
    """
    raw = os.environ.get(ENV)
    if raw is None or not raw.strip():
        return DEFAULT_SECONDS
    if raw not in _parsed:
        _parsed[raw] = parse_seconds(raw)
    return _parsed[raw]


_HAS_TIMER = hasattr(signal, "setitimer")


def _usable() -> bool:
    return _HAS_TIMER and threading.current_thread() is threading.main_thread()


def _seconds_in_force() -> float | None:
    """The limit for a call that names none: :func:`hook_seconds`, or the default when it is not usable
    (load_plugins has already refused a bad value with a usage error)."""
    try:
        return hook_seconds()
    except ValueError:
        return DEFAULT_SECONDS


def _on_alarm(signum, frame) -> None:  # noqa: ANN001
    if not _active:
        if _kept:  # a timer left armed after the last call of a run of many: nothing to stop now
            signal.setitimer(signal.ITIMER_REAL, 0)
            _alarm_at.clear()
        return
    deadline = _active[-1]
    if time.monotonic() < deadline - 0.001:  # early (a clock's rounding, or left from an earlier call): wait for the rest
        signal.setitimer(signal.ITIMER_REAL, deadline - time.monotonic(), _REPEAT)
        if _kept:
            _alarm_at[:] = [deadline]
        return
    # The call running when the time ran out is named: a plugin's rule type inside the built-in 'all'
    # is the one that hangs, not 'all' (the clock of the whole includes the part).
    depth = len(_active) - 1
    raise HookTimedOut(depth, _seconds[depth])



class time_limit:  # noqa: N801 - used as a function: ``with time_limit() as depth``
    """Run a block under the hook time limit; ``as`` gives its depth in the stack (``None``: no limit).

    ``seconds`` defaults to :func:`hook_seconds`. A block inside another never runs past the outer
    block's deadline. A class rather than a generator-based context manager: it runs around every
    plugin call (about 150 per council in a batch), and a generator's set-up cost a third of it.
    """

    __slots__ = ("seconds", "depth")

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds
        self.depth: int | None = None

    def __enter__(self) -> int | None:
        seconds = self.seconds
        if seconds is None:
            seconds = _kept_seconds[0] if _kept_seconds else _seconds_in_force()
        if seconds is None or not _usable():
            self.depth = None
            return None
        now = time.monotonic()
        deadline = min(now + seconds, _active[-1]) if _active else now + seconds
        depth = self.depth = len(_active)
        if _kept:
            # The handler is in place for the whole run; the timer need only go off by this deadline
            # (an earlier alarm finds it early and waits for the rest, see _on_alarm).
            _active.append(deadline)
            _seconds.append(seconds)
            if not _alarm_at or not now <= _alarm_at[0] <= deadline:
                signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 0.001), _REPEAT)
                _alarm_at[:] = [deadline]
            return depth
        if not _active:
            _saved.append(_set_handler(signal.SIGALRM, _on_alarm))
        _active.append(deadline)
        _seconds.append(seconds)
        signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 0.001), _REPEAT)
        return depth

    def __exit__(self, *exc: object) -> bool:
        depth = self.depth
        if depth is None:
            return False
        if _kept:  # the timer stays armed for a later deadline: no system call between two plugin calls
            del _active[depth:], _seconds[depth:]
            return False
        signal.setitimer(signal.ITIMER_REAL, 0)
        del _active[depth:], _seconds[depth:]
        if _active:
            signal.setitimer(signal.ITIMER_REAL, max(_active[-1] - time.monotonic(), 0.001), _REPEAT)
        else:
            previous = _saved.pop()
            _set_handler(signal.SIGALRM, _RAW_DEFAULT if previous is None else previous)
        return False


class kept_between_calls:  # noqa: N801 - used as a function: ``with kept_between_calls():``
    """Around a run of many plugin calls (a batch's folders): keep the SIGALRM handler in place and
    the timer armed from one call to the next, rather than set and restore both around each call.

    Outside it each plugin call costs four system calls (the handler set and put back, the timer
    armed and disarmed), about 150 times per council assessed. Inside it a call arms the timer only
    when it is not already due to go off by the call's deadline: with the default limit of ten
    minutes, once in ten minutes. An alarm left from an earlier call finds the running call's
    deadline still ahead and waits for the rest, or finds no call running and disarms the timer, so
    every deadline is kept as before. When the run ends the timer is disarmed and the handler that
    was there before is put back. Opened while a plugin call is running, or where there is no timer,
    it changes nothing. The limit a call that names none runs under (``EFL_HOOK_TIMEOUT``) is read once,
    when the run starts, for the whole run. tests/test_time_limit_kept.py checks all of this.
    """

    __slots__ = ("opened",)

    def __init__(self) -> None:
        self.opened = False

    def __enter__(self) -> None:
        if _kept or _active or not _usable():
            return
        _kept.append(_set_handler(signal.SIGALRM, _on_alarm))
        _kept_seconds[:] = [_seconds_in_force()]
        self.opened = True

    def __exit__(self, *exc: object) -> bool:
        if not self.opened:
            return False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _alarm_at.clear()
        _kept_seconds.clear()
        previous = _kept.pop()
        _set_handler(signal.SIGALRM, _RAW_DEFAULT if previous is None else previous)
        return False


def _forget_the_timer() -> None:
    """In a forked child: no timer is armed there (a child does not inherit one), whatever was armed here."""
    _alarm_at.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_the_timer)


def timed_out(error: BaseException) -> HookTimedOut | None:
    """The :class:`HookTimedOut` behind ``error``, if a library wrapped it in an exception of its own."""
    seen = error
    for _ in range(20):
        if isinstance(seen, HookTimedOut):
            return seen
        seen = seen.__cause__ or seen.__context__
        if seen is None:
            return None
    return None
