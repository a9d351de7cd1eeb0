"""Read a YAML file that is almost always right (a framework, calendar or classification efl or a
plugin ships) without paying for the positions of its values until a problem needs one.

:func:`~efl.files.yamlio.parse_yaml` builds the data through ruamel's Python composer and
constructor, remembering every node so that any message can name its line and column. For the files
every command reads at start-up (the framework, its calendar, seven Census classifications) that
was a fifth of ``efl assess`` on a small council, and the positions were never used: shipped files
have no problems. :func:`with_positions_on_demand` runs the caller's checks on the data from the
one-pass reader (:func:`efl.files.yaml_fast.load_data`, the same data, checked by
``tests/test_yaml_fast.py``) with a document that has no positions; the first time anything asks
for a position, the checks stop and run again from the start on the full parse. So a file with a
problem gets exactly the messages it got before, and a good file never builds the nodes.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

T = TypeVar("T")


class NeedsPositions(BaseException):
    """Raised by :class:`QuickDocument` when a position is asked for: "do this again with the full parse".

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception`` on the way turns it
    into a message of its own. It carries the document that asked, so that a file read inside another's
    checks (a framework's calendar) goes back to its own full parse, not the framework's."""

    def __init__(self, document: QuickDocument, what: object):
        super().__init__(what)
        self.document = document


class QuickDocument:
    """The data of a YAML file and its name, as :class:`~efl.files.yamlio.YamlDocument` has them, but
    no positions: :meth:`locate` and :meth:`locate_key` (and anything else) raise :class:`NeedsPositions`."""

    def __init__(self, data: Any, path: str):
        self.data = data
        self.path = path

    def locate(self, loc: tuple) -> tuple[int, int]:
        raise NeedsPositions(self, loc)

    def locate_key(self, loc: tuple) -> tuple[int, int]:
        raise NeedsPositions(self, loc)

    def __getattr__(self, name: str) -> Any:  # the node table and anything else a full parse has
        raise NeedsPositions(self, name)


def with_positions_on_demand(text: str, shown: str, work: Callable[[Any], T]) -> T:
    """``work(doc)`` with a :class:`QuickDocument` of ``text``; if the quick reader gives up, or ``work``
    asks for a position, ``work(parse_yaml(text, shown))`` instead (whatever it returns or raises).

    ``work`` must not change anything outside what it returns before it could ask for a position
    (checking and building from the data is fine), since it may run twice.
    """
    from efl.core.generated_code import yaml_data
    from efl.files.yaml_fast import SLOW, load_data
    from efl.files.yamlio import parse_yaml

    data = yaml_data(text, load_data)  # as the efl command, kept between runs (efl.core.generated_code)
    if data is not SLOW:
        quick = QuickDocument(data, shown)
        try:
            return work(quick)
        except NeedsPositions as asked:
            if asked.document is not quick:
                raise
    return work(parse_yaml(text, shown))
