"""Manager returns name the framework's manager expectations by id (``lpoc.m1``): an id that no
framework has is refused where it is written, with the nearest id, never scored as "not met".

An id of another edition of the framework (returns written for ``eflg-2014`` read against
``eflg-2021``, by ``--framework`` or by a peer team reading the council's evidence) is right for that
edition: those rows are not counted, and one warning says so.
"""

from __future__ import annotations

import difflib
from typing import Any

from efl import Diagnostic, warning
from efl.provisional import framework_for, other_frameworks


class Returns(list):
    """The rows of a manager returns file, each with its expectation id as the framework spells it;
    ``warnings`` holds what is suspicious but usable."""

    warnings: list[Diagnostic]

    def __init__(self, rows: list[dict[str, Any]], warnings: list[Diagnostic] | None = None):
        super().__init__(rows)
        self.warnings = warnings or []


def check_expectations(table, records: list[dict[str, Any]], assessment) -> tuple[Returns, list[Diagnostic]]:  # noqa: ANN001
    """The rows with their ids as the framework writes them (any case, spaces ignored), an error for
    each id no framework has, and a warning for rows naming another edition's ids (not counted)."""
    framework = framework_for(assessment)
    known = _ids(framework) if framework is not None else []
    if not known:
        return Returns(records), []
    by_key = {_key(i): i for i in known}
    col = table.index("expectation")
    errors, kept, strays = [], [], {}
    elsewhere: dict[str, str] | None = None
    for r, record in enumerate(records):
        written = str(record["expectation"]).strip()
        found = by_key.get(_key(written))
        if found is not None:
            record["expectation"] = found
            kept.append(record)
            continue
        if elsewhere is None:  # only when an id is not this framework's: load the other editions once
            elsewhere = {_key(i): other.id for other in other_frameworks(assessment) for i in _ids(other)}
        if _key(written) in elsewhere:
            strays.setdefault(elsewhere[_key(written)], []).append(written)
            continue
        guess = difflib.get_close_matches(_key(written), list(by_key), n=1, cutoff=0.6)
        hint = f"did you mean '{by_key[guess[0]]}'? " if guess else ""
        line, column = table.position(r, col)
        errors.append(Diagnostic(table.path, line, column, f"expectation: '{written}' is not one of the manager "
                                 f"expectations of {framework.id} ({hint}expected one of: {', '.join(known)})"))
    warnings = [warning(table.path, 0, 0, f"{len(ids)} row{'s' if len(ids) != 1 else ''} name manager expectations "
                        f"of {edition}, which {framework.id} does not have ({', '.join(dict.fromkeys(ids))}); they are "
                        "not counted") for edition, ids in sorted(strays.items())]
    return Returns(kept, warnings), errors


def _ids(framework) -> list[str]:  # noqa: ANN001
    return [e.id for area in framework.areas for e in area.manager_expectations]


def _key(text: str) -> str:
    """How an id is matched: any case, spaces ignored ('LPOC.M2', 'uwc.m 1')."""
    return "".join(str(text).split()).lower()
