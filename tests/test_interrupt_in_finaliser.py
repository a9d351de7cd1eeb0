"""A Ctrl-C that lands in a finaliser still stops efl, once, with no traceback.

Python cannot raise an exception out of a finaliser (``__del__``) or a weakref callback: it hands
it to ``sys.unraisablehook`` and goes on. efl's hook (as the command) delivers the interrupt again.
Delivered inside the hook, it would itself be "ignored" (with a traceback naming efl/startup.py) and
efl would go on as if nothing had happened; so it must come out in the code that was running, after
the hook, once, whatever was watching.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import signal, sys
    from efl import startup
    startup._guarded.append(True)
    sys.unraisablehook = startup._unraisablehook
    signal.signal(signal.SIGINT, startup._on_sigint)
    {setup}

    class Finalised:
        def __del__(self):
            raise KeyboardInterrupt

    def work():
        thing = Finalised()
        del thing  # the finaliser runs here, and its interrupt goes to the hook
        total = sum([1, 2])  # the first call after the hook: the interrupt comes out here
        print("went on after the interrupt")

    try:
        work()
    except KeyboardInterrupt:
        print("interrupted", startup.interrupted(), sys.getprofile() is {profile})
""")


def _run(setup: str = "", profile: str = "None") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(setup=setup, profile=profile)],
                          capture_output=True, text=True, timeout=60)


def test_an_interrupt_in_a_finaliser_comes_out_after_the_hook_once():
    done = _run()
    assert done.stdout.strip() == "interrupted 2 True", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_with_a_profiler_running_the_interrupt_still_comes_out_once():
    done = _run(setup="def watching(frame, event, arg): pass\nsys.setprofile(watching)")
    assert done.stdout.strip() == "interrupted 2 True", done.stdout + done.stderr  # and nothing profiles on
    assert "Traceback" not in done.stderr, done.stderr


def test_an_interrupt_in_another_threads_finaliser_reaches_the_main_thread():
    setup = textwrap.dedent("""
        import threading, time
        class Elsewhere:
            def __del__(self):
                raise KeyboardInterrupt
        def other():
            thing = Elsewhere()
            del thing
        try:
            worker = threading.Thread(target=other)
            worker.start()
            worker.join()
            for _ in range(1000):
                time.sleep(0.001)
            print("went on after the interrupt")
        except KeyboardInterrupt:
            print("interrupted", startup.interrupted(), "main")
            raise SystemExit(0)
    """)
    done = _run(setup=setup)
    assert done.stdout.strip() == "interrupted 2 main", done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
