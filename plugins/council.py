"""Facts about the council itself, from ``assessment.yaml`` (or its workforce file)."""

from __future__ import annotations

import efl


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    register(efl.FactSpec("council.employees", "the number of people the council employs",
                          ("workforce-profile",), headcount=True, kind="whole number"))
    register(efl.FactSpec("council.lead_member_named", "whether a lead member for equality is named", kind="yes or no"))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    council = context.assessment.council
    facts = [efl.Fact("council.lead_member_named", bool(council.lead_member),
                      statement=(f"The lead member for equality is {council.lead_member}." if council.lead_member
                                 else "No lead member for equality is named in assessment.yaml."))]
    # Headcount comes from the workforce file on its snapshot date when there is one: it is what the
    # duties' thresholds are measured on. The figure in assessment.yaml is the fallback.
    profile = context.evidence.latest("workforce-profile")
    count = getattr(profile.parsed, "employees", None) if profile is not None else None
    if isinstance(count, int):
        facts.append(efl.Fact("council.employees", count, [profile.item.id],
                              f"The workforce profile lists {count:,} {'employee' if count == 1 else 'employees'} "
                              f"on {profile.item.date:%-d %B %Y}."))
    elif council.employees is not None:
        facts.append(efl.Fact("council.employees", council.employees,
                              statement=f"The council employs {council.employees:,} people."))
    return facts
