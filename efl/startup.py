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
"""

from __future__ import annotations

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
        # Where Python cannot raise it, deliver the interrupt again: the next line of efl raises it.
        signal.raise_signal(getattr(unraisable.exc_value, "signum", signal.SIGINT))
        return
    sys.__unraisablehook__(unraisable)


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


def guard() -> None:
    """Install the hooks (see the module's docstring)."""
    _guarded.append(True)
    sys.excepthook = _excepthook
    sys.unraisablehook = _unraisablehook
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
