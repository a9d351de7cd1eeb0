"""A YAML file's data in one pass over the C parser's events, for large files read whole (action plans).

:func:`efl.files.yamlio.parse_yaml` parses a file twice (events first, for its safety checks, then
composed into nodes and constructed, in Python, remembering every container's node so that any
error names its line). For a plan of 5,000 lines that is seconds. :func:`load_data` builds the
same data from the first pass alone: the same checks (depth, number of values, aliases, merge keys),
the same YAML 1.2 resolution of plain scalars (ruamel's own patterns, in ruamel's order) and the
same constructors for numbers, dates, truth values and null (efl's, from yamlio: numbers keep how
they were written, text is NFC, dates are checked), with text built directly.

It gives up (returns :data:`SLOW`) on anything it does not do exactly as the full parse does: a
tag, a ``%YAML`` version other than 1.2, two documents, a duplicate or unhashable key, a value
the constructors refuse, any problem at all. The caller then parses the file with
:func:`~efl.files.yamlio.parse_yaml`, which reports what is wrong at its line; the caller also
re-parses that way whenever it needs a position (a value its schema refuses).
``tests/test_yaml_fast.py`` compares both on every YAML file in the repository and generated plans.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SLOW = object()  # "parse this file the full way"
_NO_KEY = object()
_STR = "tag:yaml.org,2002:str"
_RESOLVERS: dict[str, list[tuple[str, Any]]] | None = None


def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's implicit resolvers for YAML 1.2 by first character, in its order (as VersionedResolver
    builds them; a scalar whose first character has none is text)."""
    global _RESOLVERS
    if _RESOLVERS is None:
        from ruamel.yaml.resolver import implicit_resolvers

        table: dict[Any, list[tuple[str, Any]]] = {}
        for versions, tag, regexp, first in implicit_resolvers:
            if (1, 2) in versions:
                for ch in first:
                    table.setdefault(ch, []).append((tag, regexp))
        anywhere = table.pop(None, [])
        _RESOLVERS = {ch: rs + anywhere for ch, rs in table.items()}
        if anywhere:
            raise NotImplementedError("a resolver for any first character")  # none in ruamel 0.19 for 1.2
    return _RESOLVERS


def _resolve(value: str, table: dict) -> str:
    for tag, regexp in table.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR


def load_data(text: str) -> Any:
    """The data of ``text`` exactly as ``parse_yaml(text, ...).data``, or :data:`SLOW`."""
    try:
        return _load(text)
    except Exception:  # noqa: BLE001 - whatever it is, the full parse says it properly
        return SLOW


def _load(text: str) -> Any:  # noqa: C901 - one loop over the events, kept together for speed
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                                    SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
    from ruamel.yaml.nodes import ScalarNode

    from efl.files.yamlio import MAX_DEPTH, MAX_NODES, _OneVersionResolver, _tracking_constructor

    yaml = YAML(typ="safe")  # set up as parse_yaml sets it up: its constructor, resolver and C parser
    yaml.Constructor = _tracking_constructor({}, [])
    yaml.Resolver = _OneVersionResolver
    constructor, parser = yaml.get_constructor_parser(text)
    constructors = type(constructor).yaml_constructors
    simple = {tag: constructors[tag] for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                                                 "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                                 "tag:yaml.org,2002:timestamp")}
    table = _resolvers()
    tags: dict[str, str] = {}  # plain scalar -> its tag (most values are keys and words said many times)
    nfc = unicodedata.normalize
    stack: list[list] = []  # [container, pending key] for each open mapping or sequence
    top: list | None = None  # stack[-1], the innermost open container
    root: Any = SLOW
    documents = values = 0
    # One loop over the events, the common steps written out in it: a scalar's value put in its
    # container (a plan of 5,000 lines is 150,000 events, and a function call per event was a third
    # of reading it). get_event() alone, up to the stream's end, rather than check_event() first.
    get = parser.get_event
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                values += 1
                if event.tag is not None or values > MAX_NODES:
                    return SLOW
                value = event.value
                if event.implicit[0]:
                    tag = tags.get(value)
                    if tag is None:
                        tag = tags[value] = _resolve(value, table)
                else:
                    tag = _STR
                if tag == _STR:
                    obj = value if value.isascii() else nfc("NFC", value)  # (ASCII is its own NFC form)
                elif tag in simple:
                    obj = simple[tag](constructor, ScalarNode(tag, value, event.start_mark, event.end_mark,
                                                              style=event.style))
                else:
                    return SLOW  # a merge key, "=" or another tag the full parse refuses or treats apart
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                values += 1
                if event.tag is not None or values > MAX_NODES or len(stack) >= MAX_DEPTH:
                    return SLOW
                top = [{} if kind is MappingStartEvent else [], _NO_KEY]
                stack.append(top)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                obj, pending = stack.pop()
                if pending is not _NO_KEY:
                    return SLOW
                top = stack[-1] if stack else None
            elif kind is AliasEvent:
                return SLOW
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1 or getattr(event, "version", None) not in (None, (1, 2)):
                    return SLOW
                continue
            elif kind is StreamEndEvent:
                break
            else:
                continue
            # the value (a scalar, or a container just closed) goes into the container around it
            if top is None:
                if root is not SLOW:
                    return SLOW  # two roots
                root = obj
                continue
            container = top[0]
            if type(container) is list:
                container.append(obj)
            elif top[1] is _NO_KEY:
                if isinstance(obj, (dict, list)) or obj in container:
                    return SLOW  # a key the full parse must judge
                top[1] = obj
            else:
                container[top[1]] = obj
                top[1] = _NO_KEY
    finally:
        parser.dispose()
    return None if root is SLOW else root
