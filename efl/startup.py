"""Ctrl-C from the first moment: one line and exit code 130, never a traceback from the imports.

A person who presses Ctrl-C just after typing ``efl assess ...`` interrupts Python while it is still
importing efl's modules, long before any command's own handling is in place. So, when (and only
when) efl runs as the ``efl`` command or ``python -m efl``, the first statements of
``efl/__init__.py`` install a minimal hook (before any import that could be cut short) and then
these:

* an interrupt that reaches the top (``KeyboardInterrupt``, or efl's ``Interrupted`` for SIGTERM
  and SIGHUP) prints one line and ends with 128 + the signal (130 for Ctrl-C);
* an interrupt that Python would only report as "Exception ignored" (one that lands in a weakref
  callback or a finaliser, where it cannot be raised) is delivered again, so it still stops efl.

Imported as a library (by a plugin, or in tests), efl installs nothing. Python's own start-up,
before the first line of efl runs, is out of efl's reach: an interrupt there ends the process as
the signal does (the shell shows exit code 130).

As the command, efl also holds back the garbage collector while it starts (:func:`started` lets it
go once the plugins are loaded; see :func:`hold_collector`), and has ``dataclasses`` reuse the code
it compiled in earlier runs (:mod:`efl.core.generated_code`), and efl's models their pydantic schemas
(:mod:`efl.core.model_cache`).
"""

from __future__ import annotations

import gc
import os
import signal
import sys

INTERRUPTED_LINE = "efl: interrupted; no output file was left half-written"


def caused_by_interrupt(error: BaseException) -> int | None:
    """The exit code if ``error`` is what an interrupt left behind: the interrupt itself, an error
    Python or a library made of it (Python turns an exception raised in ``__set_name__`` into a
    ``RuntimeError``; pydantic one during model building into a ``SchemaError``), or any error once a
    stopping signal has arrived."""
    seen = error
    for _ in range(20):  # the chain of causes, as far as it goes
        if isinstance(seen, KeyboardInterrupt):
            return getattr(seen, "exit_code", 130)
        seen = seen.__cause__ or seen.__context__
        if seen is None:
            break
    return 128 + interrupted() if interrupted() else None


def _excepthook(kind, value, tb) -> None:  # noqa: ANN001
    code = caused_by_interrupt(value) if value is not None else None
    if code is not None:
        try:
            sys.stderr.write(INTERRUPTED_LINE + "\n")
            sys.stderr.flush()
        finally:
            os._exit(code)
    sys.__excepthook__(kind, value, tb)


def _unraisablehook(unraisable) -> None:  # noqa: ANN001
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        # Where Python cannot raise it, deliver the interrupt again, once this hook has returned.
        signum = getattr(unraisable.exc_value, "signum", signal.SIGINT)
        threading = sys.modules.get("threading")  # not imported: no other thread can be running
        if threading is None or threading.current_thread() is threading.main_thread():
            _deliver_after_the_hook(signum)
        else:
            signal.raise_signal(signum)  # the handler runs in the main thread, outside this hook
        return
    sys.__unraisablehook__(unraisable)


def _deliver_after_the_hook(signum: int) -> None:
    """Raise ``signum`` again at the first call or return outside the unraisable hook.

    Raised inside the hook (``signal.raise_signal`` there runs the handler at the hook's next call),
    the interrupt would be "ignored" a second time, with a traceback, and efl would go on. So a
    profile function waits for the first event outside the hook and raises the signal there: its
    handler's KeyboardInterrupt comes out in the code that was running, as an interrupt anywhere
    else does, and Python removes the profile function as it comes out. A profiler that was already
    running (cProfile, say) is stopped with it, as the command is.
    """
    hook = _unraisablehook.__code__

    def deliver(frame, event, arg) -> None:  # noqa: ANN001
        seen = frame
        while seen is not None:
            if seen.f_code is hook or seen.f_code is _deliver_after_the_hook.__code__:
                return  # still inside the hook
            seen = seen.f_back
        sys.setprofile(None)
        signal.raise_signal(signum)

    sys.setprofile(deliver)


_received: list[int] = []
_guarded: list[bool] = []


def note_signal(signum: int) -> None:
    """Remember that a stopping signal arrived (efl's own handlers call this), as the efl command."""
    if _guarded:
        _received.append(signum)


def interrupted() -> int | None:
    """The signal that interrupted this run (as the efl command), if one did.

    Some libraries turn an exception raised inside them into one of their own (pydantic wraps a
    ``KeyboardInterrupt`` during model building in a ``SchemaError``); with this, efl still knows
    that it was interrupted, and never blames a plugin for the user's Ctrl-C.
    """
    return _received[0] if _received else None


def _on_sigint(signum: int, frame: object) -> None:
    note_signal(signum)
    raise KeyboardInterrupt


# The collector while efl starts. Importing efl, pydantic and the plugins makes some 60,000 objects
# that live as long as the process, and hardly any garbage: at Python's threshold (a young-generation
# pass every 700 new objects) the collector ran about 90 times, each older pass walking everything
# made so far, for nothing (19 ms of `efl assess assessments/bexley`, 31 ms of a 50,000-employee
# council). So, as the command, efl raises the threshold while it starts; once the plugins are loaded
# what exists is set aside (gc.freeze: never walked again, and shared unchanged with forked workers)
# and the usual threshold is back for the command's own work. Garbage made while starting stays (a
# few hundred objects); cycles made after it are collected as before.
STARTING_THRESHOLD = 1_000_000
_held: list[tuple[int, ...]] = []


def hold_collector() -> None:
    """Collect no garbage while efl starts, as the efl command (see STARTING_THRESHOLD)."""
    if not _held and gc.isenabled():
        _held.append(gc.get_threshold())
        gc.set_threshold(STARTING_THRESHOLD, *_held[0][1:])


def started() -> None:
    """efl has started (its plugins are loaded): set aside what exists and collect as usual from now.

    Does nothing unless :func:`hold_collector` held the collector, so efl used as a library (in tests,
    or embedded) never has its host's collector touched.
    """
    if _held:
        threshold = _held.pop()
        if gc.get_freeze_count() == 0:
            gc.freeze()
        gc.set_threshold(*threshold)


def as_the_command() -> bool:
    """Whether efl runs as the ``efl`` command (or ``python -m efl``), not as a library."""
    return bool(_guarded)


def set_aside_what_exists() -> None:
    """As the efl command, once a large amount of data has been read while the collector was off (a
    plan of thousands of lines): set what exists aside, as :func:`started` does, so the collector's
    next young-generation pass does not walk all of it (it would find nothing: reading makes no cycles)."""
    if as_the_command():
        gc.freeze()


def guard() -> None:
    """Install the hooks (see the module's docstring), then make start-up cheaper: hold the collector
    and reuse the code ``dataclasses`` compiled before."""
    _guarded.append(True)
    sys.excepthook = _excepthook
    sys.unraisablehook = _unraisablehook
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    hold_collector()
    from efl.core import generated_code

    generated_code.install_for_the_command()
    from efl.core import installed, model_cache  # after: their patterns and dataclasses come from the cache

    model_cache.install_for_the_command()
    installed.remember_for_the_command()
    installed.spare_pydantic_the_metadata_import()
