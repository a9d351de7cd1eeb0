"""Worker processes for a many-folder run, supervised: a dead worker is named, a signal stops them all.

``concurrent.futures`` is not enough here. When one worker dies (the out-of-memory killer sends
SIGKILL) its pool breaks and every unfinished folder fails with it, without saying which folder
killed it; and a signal to the parent leaves the workers running. So efl keeps its own small pool:

* each worker holds **one folder at a time**, so when a worker dies the folder it held (and the
  council, which the worker reports as soon as it has read ``assessment.yaml``) is known exactly;
  that folder is reported, a fresh worker takes the dead one's place, and the run goes on;
* workers ignore Ctrl-C (which the terminal sends to the whole process group): the parent decides.
  On SIGINT, SIGTERM or SIGHUP the parent sends SIGTERM to every worker, waits a moment
  (:data:`GRACE_SECONDS`) and kills any that remain, then reports the interruption (exit code 128 +
  the signal). A worker stopped in the middle of writing a report removes its temporary file
  (the write's own handlers), so nothing half-written is left;
* on Linux each worker asks to be sent SIGTERM if the parent dies, even by SIGKILL: no orphans.

Workers are forked where the system can (Linux), so they start with efl and its plugins already
imported and the parent's engine in memory; elsewhere they are spawned and build their own.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator

GRACE_SECONDS = 2.0
_PR_SET_PDEATHSIG = 1
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@dataclass
class Died:
    """A worker that stopped before it finished a task."""

    task: Any
    started: Any  # what the worker reported once it had begun (the council's name), or None
    how: str      # in words: "was killed by SIGKILL", "stopped with exit status 1"
    signal: int | None


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: tuple[int, Any] | None = None
    started: Any = None


def _die_with_parent(parent: int) -> None:
    """Linux: be sent SIGTERM when the parent dies, so no worker outlives an efl that was killed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(143)


def _worker(conn: Connection, parent: int, work: Callable[[Any, Callable[[Any], None]], Any],
            inherited: tuple[int, ...] = ()) -> None:
    """A worker's life: take one task, report when it has begun, send the answer, wait for the next.

    ``inherited``: descriptors a forked worker got from the parent that are not its own (the parent's
    ends of the other workers' pipes), closed first so that each worker holds only its own.
    """
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    for signum in _STOP_SIGNALS:
        if signum != signal.SIGINT:
            signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, set())  # the parent held them while starting us
    _die_with_parent(parent)
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return  # the parent is gone
            if task is None:
                return
            index, payload = task
            answer = work(payload, lambda note: conn.send(("started", index, note)))
            conn.send(("done", index, answer))
    except KeyboardInterrupt as stop:  # SIGTERM during a write: its temporary file is already removed
        os._exit(getattr(stop, "exit_code", 143))
    except (BrokenPipeError, EOFError):
        return


def _send(conn: Connection, message: Any) -> None:
    """The parent's write to a worker, with SIGPIPE ignored for the write and put back after it.

    efl restores SIGPIPE's default action so that ``efl ... | head`` ends quietly
    (efl.files.terminal.run_guarding_stdout); but a worker's pipe is a socket, and writing to one whose
    worker has just died would then end the whole batch with SIGPIPE, no message and exit -13. With
    the signal ignored the write raises BrokenPipeError instead, and the caller reports the worker's
    folder as any dead worker's is reported. Only the main thread may set a signal's handler; elsewhere
    (an application embedding efl) the write is left as it is.
    """
    if _SIGPIPE is None or threading.current_thread() is not threading.main_thread():
        conn.send(message)
        return
    before = signal.signal(_SIGPIPE, signal.SIG_IGN)
    try:
        conn.send(message)
    finally:
        if before is not signal.SIG_IGN:
            # None: a handler set outside Python, which cannot be put back by name; the default is what efl sets.
            signal.signal(_SIGPIPE, signal.SIG_DFL if before is None else before)


_SIGPIPE = getattr(signal, "SIGPIPE", None)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _how(process: multiprocessing.process.BaseProcess) -> tuple[str, int | None]:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}", -code
    return f"stopped with exit status {code}", None


def forks() -> bool:
    """Whether workers are forked (and so can share the parent's objects without pickling them)."""
    return _context().get_start_method() == "fork"


def run_supervised(tasks: list[Any], jobs: int, work: Callable[[Any, Callable[[Any], None]], Any],
                   on_death: Callable[[Died], Any], note: Callable[[str], None] = lambda text: None
                   ) -> Iterator[tuple[int, Any]]:
    """Run ``work(task, started)`` for every task in at most ``jobs`` worker processes.

    Yields ``(index, answer)`` as tasks finish, in any order. ``work`` calls ``started(note)`` once it
    knows what it is working on; a task whose worker dies yields ``on_death(Died(...))`` instead,
    and a fresh worker takes its place. An interrupt (``KeyboardInterrupt``, efl's ``Interrupted``)
    stops every worker before it propagates.

    When the system will not start another process (too many open files or processes, no memory),
    the run goes on with the workers it has, and ``note`` is told why; with none at all, the tasks
    are done here, one after another.
    """
    from efl.files.output import signals_held

    context = _context()
    pending = list(enumerate(tasks))
    pending.reverse()  # pop() from the end gives the first task first
    slots: list[_Slot] = []

    refused: list[str] = []

    def start() -> _Slot | None:
        try:
            here, there = context.Pipe(duplex=True)
        except OSError as exc:
            refused.append(_cannot_start(exc))
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        with signals_held():  # a signal now must not leave a worker nobody knows about
            others = tuple(fd for slot in slots for fd in (slot.conn.fileno(), slot.process.sentinel)) \
                if context.get_start_method() == "fork" else ()
            process = context.Process(target=_worker, args=(there, os.getpid(), work, others), daemon=True)
            try:
                process.start()
            except OSError as exc:
                here.close()
                there.close()
                refused.append(_cannot_start(exc))
                return None
            slot = _Slot(process, here)
            slots.append(slot)
        there.close()
        return slot

    def give(slot: _Slot | None) -> bool:
        if slot is None or not pending:
            return False
        slot.task, slot.started = pending.pop(), None
        try:
            _send(slot.conn, slot.task)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the worker died since its last answer: its sentinel is ready, and the loop reports its task
        return True

    try:
        for _ in range(min(jobs, len(tasks))):
            if not give(start()):
                break
        if refused:
            note(f"started {len(slots)} of {min(jobs, len(tasks))} worker processes ({refused[0]})"
                 + ("; assessing in this process instead" if not slots else ""))
        while pending or any(slot.task is not None for slot in slots):
            busy = [slot for slot in slots if slot.task is not None]
            if not busy:  # no worker could be started (or replaced): do the work here
                index, task = pending.pop()
                yield index, work(task, lambda _note: None)
                continue
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy])
            for slot in busy:
                if slot.conn in ready:
                    try:
                        kind, index, value = slot.conn.recv()
                    except (EOFError, OSError):
                        kind = None  # the worker died mid-message; its sentinel says how
                    if kind == "started":
                        slot.started = value
                        continue
                    if kind == "done":
                        slot.task = None
                        yield index, value
                        if not give(slot):
                            _stop(slot)
                            slots.remove(slot)
                        continue
                if slot.task is not None and not slot.process.is_alive():
                    slot.process.join()
                    how, signum = _how(slot.process)
                    index, task = slot.task
                    slot.task = None
                    slots.remove(slot)
                    slot.conn.close()
                    yield index, on_death(Died(task, slot.started, how, signum))
                    if pending and not give(start()) and refused:
                        note(f"could not start a fresh worker process ({refused[-1]}); going on with "
                             f"{len(slots) or 'none, in this process'}")
    finally:
        _stop_all(slots)


def _cannot_start(exc: OSError) -> str:
    import errno

    return {errno.EMFILE: "too many open files", errno.ENFILE: "too many open files on the system",
            errno.EAGAIN: "too many processes", errno.ENOMEM: "not enough memory"}.get(
        exc.errno or 0, (exc.strerror or str(exc)).lower())


def _stop(slot: _Slot) -> None:
    try:
        _send(slot.conn, None)
    except (BrokenPipeError, OSError):
        pass
    slot.process.join(GRACE_SECONDS)
    if slot.process.is_alive():
        slot.process.kill()
        slot.process.join()
    slot.conn.close()


def _stop_all(slots: list[_Slot]) -> None:
    """Every worker still running: SIGTERM, a moment to finish cleaning up, then SIGKILL."""
    from efl.files.output import signals_held

    with signals_held():  # a second Ctrl-C must not cut the clean-up short
        live = [slot for slot in slots if slot.process.is_alive()]
        for slot in slots:
            if slot.task is None:
                try:
                    _send(slot.conn, None)
                except (BrokenPipeError, OSError):
                    pass
        for slot in live:
            if slot.task is not None:
                slot.process.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for slot in live:
            slot.process.join(max(0.0, deadline - time.monotonic()))
        for slot in live:
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
        for slot in slots:
            slot.conn.close()
