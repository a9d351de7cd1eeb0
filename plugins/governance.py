"""Governance: committee papers as evidence, and whether equality reports reached each body on schedule.

A committee paper is listed like any evidence, with the body that received it::

    - {id: ceg-2016-04, type: committee-paper, body: ceg, date: 2016-04-26, title: Quarterly progress}

The bodies and their reporting frequency come from ``bodies:`` in assessment.yaml.
"""

from __future__ import annotations

import efl
from efl.provisional import governance_schedules as schedules

PAPER_TYPE = "committee-paper"


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    # A paper a committee received is governance evidence too: the leadership and scrutiny criteria
    # (``evidence: governance``) count it, so a council need not list each paper twice.
    register(efl.EvidenceType(PAPER_TYPE, "Committee paper (a report to a board or committee named by 'body:')",
                              file_required=False, requires=("body",), provides=("governance",)))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    needs = (PAPER_TYPE,)
    register(efl.FactSpec("governance.bodies", "the number of bodies that receive equality reports", kind="whole number"))
    register(efl.FactSpec("governance.bodies_on_schedule",
                          "bodies that received every equality report due in the last year", needs, kind="whole number"))
    register(efl.FactSpec("governance.reports_on_schedule",
                          "whether every body received every equality report due in the last year", needs, kind="yes or no"))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    bodies = {k: b for k, b in context.assessment.bodies.items() if b.frequency is not None}
    facts = [efl.Fact("governance.bodies", len(bodies),
                      statement=f"assessment.yaml names {len(bodies)} bodies that receive equality reports.")]
    if not bodies:
        return facts
    found = schedules(context.assessment, context.evidence, context.date)
    on_time = [s for s in found if s.on_schedule]
    papers = sorted({p for s in found for p in s.papers})
    late = [s.sentence() for s in found if not s.on_schedule]
    statement = (f"{len(on_time)} of {len(found)} bodies received every equality report due in the year."
                 + (" " + " ".join(late) if late else ""))
    facts += [efl.Fact("governance.bodies_on_schedule", len(on_time), papers, statement),
              efl.Fact("governance.reports_on_schedule", len(on_time) == len(found), papers, statement)]
    return facts
