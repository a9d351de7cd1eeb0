"""The garbage collector while efl starts (efl.startup.hold_collector and started).

As the efl command, efl collects no garbage while it imports and loads its plugins, then sets aside
what exists (gc.freeze) and puts Python's threshold back. Used as a library, efl leaves the
collector alone. Each case runs in a fresh interpreter, since freezing cannot be undone cleanly in
the test process.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap

from efl import startup


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_as_the_command_the_collector_is_held_then_put_back_with_what_exists_frozen() -> None:
    seen = _run("""
        import gc, json, sys
        default = gc.get_threshold()
        sys.argv[0] = "efl"            # as the efl command (efl/__init__.py looks at argv[0])
        import efl.cli                 # noqa: F401
        held = gc.get_threshold()
        frozen_while_starting = gc.get_freeze_count()
        from efl.core.plugin_host import load_plugins
        load_plugins()
        print(json.dumps({"default": default, "held": held, "frozen_while_starting": frozen_while_starting,
                          "after": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                          "enabled": gc.isenabled()}))
    """)
    assert seen["held"][0] == startup.STARTING_THRESHOLD and seen["held"][1:] == seen["default"][1:]
    assert seen["frozen_while_starting"] == 0
    assert seen["after"] == seen["default"]
    assert seen["frozen"] > 10_000  # efl, pydantic and the plugins: set aside, never walked again
    assert seen["enabled"]


def test_a_cycle_made_after_start_up_is_still_collected() -> None:
    seen = _run("""
        import gc, json, sys, weakref
        sys.argv[0] = "efl"
        from efl.core.plugin_host import load_plugins
        load_plugins()
        class Node:
            pass
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        print(json.dumps({"collected": gone() is None}))
    """)
    assert seen["collected"]


def test_as_a_library_efl_leaves_the_collector_alone() -> None:
    seen = _run("""
        import gc, json
        gc.set_threshold(1234, 11, 12)
        import efl.cli  # noqa: F401 - argv[0] is "-c": not the efl command
        from efl.core.plugin_host import load_plugins
        load_plugins()
        print(json.dumps({"after": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
    """)
    assert seen == {"after": [1234, 11, 12], "frozen": 0}


def test_started_without_a_hold_does_nothing_here() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    startup.started()
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_a_collector_switched_off_by_the_embedding_program_is_not_switched_on() -> None:
    seen = _run("""
        import gc, json
        gc.disable()
        from efl import startup
        startup.hold_collector()
        startup.started()
        print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
    """)
    assert seen == {"enabled": False, "frozen": 0}
