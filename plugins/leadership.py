"""Leadership, partnership and organisational commitment: equality objectives (specific and
measurable, within four years), the yearly publication of equality information, impact assessment
of key decisions, a named lead member and partnership agreements."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import efl
from efl import Diagnostic, EvidenceError, Text, YamlDocument, pydantic_diagnostics


class Objective(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)
    id: Text
    title: Text
    aim: Text = ""
    measure: Text = ""
    baseline: Text = ""
    target: Text = ""
    owner: Text = ""
    # A date like every other date in efl: ``due: 2020-03-31`` unquoted (a quoted one is read too).
    due: dt.date | None = None

    def measurable(self) -> bool:
        return all(str(v).strip() for v in (self.measure, self.baseline, self.target))


class ObjectivesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text = ""
    published: dt.date | None = None
    objectives: list[Objective] = Field(min_length=1)


def parse_objectives(document, item, assessment) -> ObjectivesFile:  # noqa: ANN001
    doc = document if isinstance(document, YamlDocument) else getattr(document, "front_matter", None)
    if doc is None:
        raise EvidenceError([Diagnostic(item.file or item.id, 1, 1, "no objectives found (expected YAML with an "
                                        "'objectives:' list, or Markdown starting with a '---' block holding one)")])
    data = doc.data
    if isinstance(data, dict) and not isinstance(document, YamlDocument):
        data = {k: v for k, v in data.items() if k in ObjectivesFile.model_fields}
    try:
        return ObjectivesFile.model_validate(data)
    except ValidationError as exc:
        raise EvidenceError(pydantic_diagnostics(exc, doc, ObjectivesFile)) from None


@efl.hookimpl
def efl_register_evidence_types(register):  # noqa: ANN001, ANN201
    register(efl.EvidenceType("equality-objectives", "Equality objectives (the four-yearly duty)",
                              ("yaml", "markdown"), parse_objectives, schema=ObjectivesFile))
    register(efl.EvidenceType("published-information", "Published equality information (the yearly duty)"))
    register(efl.EvidenceType("governance", "Governance papers (committee terms, lead member, reports)",
                              file_required=False))
    register(efl.EvidenceType("partnership-agreement", "Partnership agreement with equality commitments",
                              file_required=False))
    register(efl.EvidenceType("policy", "Equality policy or strategy"))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    objectives = ("equality-objectives",)
    register(efl.FactSpec("leadership.objectives.count", "the number of equality objectives", objectives))
    register(efl.FactSpec("leadership.objectives.measurable_count",
                          "equality objectives with a measure, a baseline and a target", objectives))
    register(efl.FactSpec("leadership.objectives.all_measurable",
                          "whether every equality objective is specific and measurable", objectives))
    register(efl.FactSpec("leadership.objectives.age_years", "years since the objectives were published", objectives))
    register(efl.FactSpec("leadership.information.days_since_published",
                          "days since equality information was last published", ("published-information",)))
    register(efl.FactSpec("leadership.information.within_year",
                          "whether equality information was published within the last year", ("published-information",)))
    register(efl.FactSpec("leadership.key_decisions_eqia_pct",
                          "the share of key decisions with an equality impact assessment (%)", ("eqia-register",)))
    register(efl.FactSpec("leadership.partnership_agreements",
                          "partnership agreements with equality commitments from the last three years",
                          ("partnership-agreement",)))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    facts = []
    objectives = context.evidence.latest("equality-objectives")
    if objectives is not None and objectives.parsed is not None:
        items = objectives.parsed.objectives
        ids = [objectives.item.id]
        vague = [o.id for o in items if not o.measurable()]
        measurable = len(items) - len(vague)
        statement = (f"{measurable} of {len(items)} equality objectives have a measure, a baseline and a target"
                     + (f"; not yet: {', '.join(vague)}." if vague else "."))
        age = (context.date - objectives.item.date).days / 365.25
        facts += [efl.Fact("leadership.objectives.count", len(items), ids, statement),
                  efl.Fact("leadership.objectives.measurable_count", measurable, ids, statement),
                  efl.Fact("leadership.objectives.all_measurable", not vague, ids, statement),
                  efl.Fact("leadership.objectives.age_years", age, ids,
                           f"The equality objectives were published on {objectives.item.date}, {age:.1f} years ago.")]
    info = context.evidence.latest("published-information")
    if info is not None:
        days = (context.date - info.item.date).days
        facts += [efl.Fact("leadership.information.days_since_published", days, [info.item.id],
                           f"Equality information was last published {days} days before the assessment."),
                  efl.Fact("leadership.information.within_year", days <= 365, [info.item.id],
                           f"Equality information was last published {days} days before the assessment.")]
    register = context.evidence.latest("eqia-register")
    if register is not None and register.parsed is not None:
        key = [r for r in register.parsed if r["key_decision"]]
        if key:
            pct = sum(1 for r in key if r["eqia_done"]) / len(key) * 100
            facts.append(efl.Fact("leadership.key_decisions_eqia_pct", pct, [register.item.id],
                                  f"{pct:.0f}% of {len(key)} key decisions had an equality impact assessment."))
    recent = [r for r in context.evidence.items_of("partnership-agreement")
              if (context.date - r.item.date).days <= 3 * 365]
    facts.append(efl.Fact("leadership.partnership_agreements", len(recent), [r.item.id for r in recent]))
    return facts
