"""A YAML file's data in one pass over the C parser's events, for large files read whole (action plans).

:func:`load_data` builds a file's data from the parser's events alone, without composing nodes or
keeping positions (for a plan of 5,000 lines, composing and constructing in Python took seconds):
the same checks as :func:`efl.files.yamlio.parse_yaml` (depth, number of values, aliases, merge
keys), the same YAML 1.2 resolution of plain scalars (ruamel's own patterns, in ruamel's order) and
the same constructors for numbers, dates, truth values and null (efl's, from yamlio: numbers keep
how they were written, text is NFC, dates are checked), with text built directly.

It gives up (returns :data:`SLOW`) on anything it does not do exactly as the full parse does: a
tag, a ``%YAML`` version other than 1.2, two documents, a duplicate or unhashable key, a value
the constructors refuse, any problem at all. The caller then parses the file with
:func:`~efl.files.yamlio.parse_yaml`, which reports what is wrong at its line; the caller also
re-parses that way whenever it needs a position (a value its schema refuses).
``tests/test_yaml_fast.py`` compares both on every YAML file in the repository and generated plans.

The pass itself is :func:`efl.files.yamlio.one_pass`, which ``parse_yaml`` also takes first (keeping
positions, so it costs a little more); this module is the plan reader's name for it without them.

Before it, :func:`efl.files.yaml_lines.read_lines` reads the block YAML efl's own plan writers make
line by line, without the parser's events (each is a Python object ruamel makes, and for a plan of
5,000 lines they were most of the cost): the same data, or SLOW on anything else, and then the pass.
``tests/test_yaml_lines.py`` compares the two.
"""

from __future__ import annotations

from typing import Any

from efl.files.yaml_lines import read_lines
from efl.files.yamlio import SLOW, one_pass

__all__ = ["SLOW", "load_data"]


def load_data(text: str) -> Any:
    """The data of ``text`` exactly as ``parse_yaml(text, ...).data``, or :data:`SLOW`."""
    data = read_lines(text)
    return one_pass(text) if data is SLOW else data
