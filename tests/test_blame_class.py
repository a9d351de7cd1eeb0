"""``blame`` as a class (issue 29) behaves exactly as the generator-based context manager it replaced.

The reference below is the old ``blame``, word for word. Each case runs a block that raises (or
does not) under both, nested or not, and compares what comes out: the exception's type, message,
plugin and hook, its cause and whether its context is shown, where printing went, and that the
time-limit stack and the alarm are left as they were.
"""

from __future__ import annotations

import io
import signal
import sys
from contextlib import contextmanager, redirect_stdout

import pytest

from efl.core import time_limit as limits
from efl.core.plugin_host import _plugin_failed, _timeout_words, blame
from efl.core.time_limit import HookTimedOut, time_limit, timed_out
from efl.errors import Diagnostic, EflError, EvidenceError, PluginError
from efl.files.output import Interrupted


@contextmanager
def reference_blame(plugin, hook):
    """The generator-based ``blame`` of main 0dc5a15."""
    with time_limit() as depth:
        try:
            with redirect_stdout(sys.stderr):
                yield
        except HookTimedOut as exc:
            if exc.depth != depth:
                raise
            raise PluginError(plugin, hook, _timeout_words(plugin, exc.seconds)) from None
        except EflError:
            raise
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            stopped = timed_out(exc)
            if stopped is not None:
                if stopped.depth != depth:
                    raise stopped from None
                raise PluginError(plugin, hook, _timeout_words(plugin, stopped.seconds)) from None
            _plugin_failed(plugin, hook, exc)


class Broken(Exception):
    def __str__(self):
        raise RuntimeError("no words")


def _wrapped(inner: BaseException, outer: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


def _interrupt_wrapped() -> BaseException:
    error = RuntimeError("read failed")
    error.__context__ = KeyboardInterrupt()
    return error


# What a plugin's code may raise (a function: a fresh exception for each run). ``depth`` is the
# depth of the innermost blame in the case, so that time-outs can be for it or for an outer one.
RAISES = {
    "nothing": lambda depth: None,
    "value error": lambda depth: ValueError("bad\nvalue  here"),
    "key error": lambda depth: KeyError("k"),
    "broken str": lambda depth: Broken(),
    "system exit": lambda depth: SystemExit(4),
    "system exit none": lambda depth: SystemExit(),
    "evidence error": lambda depth: EvidenceError([Diagnostic("a.csv", 3, 1, "bad cell")]),
    "plugin error": lambda depth: PluginError("other", "parse", "already named"),
    "keyboard interrupt": lambda depth: KeyboardInterrupt(),
    "generator exit": lambda depth: GeneratorExit(),
    "timed out here": lambda depth: HookTimedOut(depth, 2.5),
    "timed out outer": lambda depth: HookTimedOut(0, 1.0),
    "timed out, wrapped, here": lambda depth: _wrapped(HookTimedOut(depth, 3.0), OSError("read")),
    "timed out, wrapped, outer": lambda depth: _wrapped(HookTimedOut(0, 1.0), OSError("read")),
    "interrupt wrapped": lambda depth: _interrupt_wrapped(),
}


def _outcome(manager, nesting: int, raises, printed: str) -> tuple:
    """Run ``raises`` inside ``nesting`` managers; what came out, in comparable terms."""
    before = sys.stdout
    caught = io.StringIO()
    sys.stderr, stderr = caught, sys.stderr
    try:
        try:
            managers = [manager(f"plugin{i}", f"hook{i}") for i in range(nesting)]
            for m in managers:
                m.__enter__()
            error = raises(nesting - 1)
            print(printed)
            exc_info = (None, None, None) if error is None else (type(error), error, None)
            for m in reversed(managers):
                try:
                    if not m.__exit__(*exc_info) and exc_info[1] is not None:
                        raise exc_info[1]
                    exc_info = (None, None, None)
                except BaseException as exc:  # noqa: BLE001 - compared below
                    exc_info = (type(exc), exc, None)
            result = exc_info[1]
        finally:
            sys.stderr = stderr
        stdout_restored = sys.stdout is before
    finally:
        sys.stdout = before
    state = (list(limits._active), list(limits._seconds), signal.getitimer(signal.ITIMER_REAL))
    if result is None:
        return ("no error", caught.getvalue(), stdout_restored, state)
    described = (type(result).__name__, str(result), getattr(result, "plugin", None), getattr(result, "hook", None),
                 getattr(result, "message", None), getattr(result, "code", None),
                 type(result.__cause__).__name__, result.__suppress_context__)
    return (described, caught.getvalue(), stdout_restored, state)


@pytest.mark.parametrize("nesting", [1, 2, 3])
@pytest.mark.parametrize("case", list(RAISES))
def test_blame_does_what_the_generator_did(case, nesting, monkeypatch):
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "50")
    expected = _outcome(reference_blame, nesting, RAISES[case], "printed by the plugin")
    got = _outcome(blame, nesting, RAISES[case], "printed by the plugin")
    assert got == expected
    assert got[1] == "printed by the plugin\n"  # printing went to standard error
    assert got[2] and got[3] == ([], [], (0.0, 0.0))  # stdout, time-limit stack and timer all put back


def test_blame_names_the_plugin_and_hook():
    with pytest.raises(PluginError) as caught:
        with blame("census", "efl_compute_facts"):
            raise ValueError("no column")
    assert (caught.value.plugin, caught.value.hook) == ("census", "efl_compute_facts")
    assert isinstance(caught.value.__cause__, ValueError)


def test_blame_turns_a_wrapped_interrupt_into_an_interrupt():
    with pytest.raises(Interrupted):
        with blame("census", "parse"):
            raise _interrupt_wrapped()


def test_blame_with_no_limit(monkeypatch):
    """EFL_HOOK_TIMEOUT=0: no time limit, still the plugin named and printing on standard error."""
    monkeypatch.setenv("EFL_HOOK_TIMEOUT", "0")
    for case, raises in RAISES.items():
        if "timed out" in case:
            continue
        assert _outcome(blame, 2, raises, "x") == _outcome(reference_blame, 2, raises, "x"), case
