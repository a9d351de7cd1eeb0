"""Manager returns name the framework's manager expectations by id (``lpoc.m1``): an id the framework
does not have is refused where it is written, with the nearest id, never scored as "not met".

A return written for another edition of the framework (a folder of ``eflg-2014`` assessed with
``--framework eflg-2021``) names that edition's ids: those rows are not counted, and one warning says
so, because the returns are right for the framework the folder was written for.
"""

from __future__ import annotations

import difflib
from typing import Any

from efl import Diagnostic, framework_for, warning


class Returns(list):
    """The rows of a manager returns file, each with its expectation id as the framework spells it;
    ``warnings`` holds what is suspicious but usable."""

    warnings: list[Diagnostic]

    def __init__(self, rows: list[dict[str, Any]], warnings: list[Diagnostic] | None = None):
        super().__init__(rows)
        self.warnings = warnings or []


def check_expectations(table, records: list[dict[str, Any]], assessment) -> tuple[Returns, list[Diagnostic]]:  # noqa: ANN001
    """The rows with their ids as the framework writes them (any case, spaces ignored), and an error
    for each id the framework assessed does not have (a warning when that is another edition's)."""
    framework = framework_for(assessment)
    known = [e.id for area in framework.areas for e in area.manager_expectations] if framework is not None else []
    if not known:
        return Returns(records), []
    by_key = {i.lower(): i for i in known}
    col = table.index("expectation")
    errors, strays = [], []
    for r, record in enumerate(records):
        written = str(record["expectation"]).strip()
        found = by_key.get("".join(written.split()).lower())
        if found is not None:
            record["expectation"] = found
            continue
        guess = difflib.get_close_matches(written.lower(), list(by_key), n=1, cutoff=0.6)
        hint = f"did you mean '{by_key[guess[0]]}'? " if guess else ""
        line, column = table.position(r, col)
        errors.append(Diagnostic(table.path, line, column, f"expectation: '{written}' is not one of the manager "
                                 f"expectations of {framework.id} ({hint}expected one of: {', '.join(known)})"))
        strays.append(written)
    own = getattr(assessment, "framework", None)
    if errors and own is not None and own != framework.id:
        # Written for the folder's own edition: those rows are not this framework's, so they are not counted.
        kept = [rec for rec in records if rec["expectation"] in known]
        names = ", ".join(dict.fromkeys(strays))
        note = warning(table.path, 0, 0, f"{len(records) - len(kept)} rows name manager expectations that "
                       f"{framework.id} does not have ({names}); they are not counted (the returns were written "
                       f"for {own})")
        return Returns(kept, [note]), []
    return Returns(records), errors
