"""Leadership, partnership and organisational commitment: equality objectives (specific and
measurable, within four years), the yearly publication of equality information, impact assessment
of key decisions, a named lead member and partnership agreements.

The law asks for objectives that are specific and measurable (SI 2011/2260 reg 3): what will change
and how it will be measured, in the council's own terms. A baseline figure and a target are good
practice, not the law, so they are counted separately for the framework's higher-level criterion.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import efl
from efl import Diagnostic, EvidenceError, YamlDocument
from efl.provisional import (and_list, long_date, one_decimal, ONE_YEAR, parse_duration, published_on,
                             pydantic_diagnostics, Text, within)


def _filled(value: str) -> bool:
    return bool(str(value).strip())


class Measure(BaseModel):
    """One way an objective's progress will be measured, with its starting figure and aim if known."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, defer_build=True)
    measure: Text = Field(min_length=1)
    baseline: Text = ""
    target: Text = ""

    def complete(self) -> bool:
        return _filled(self.measure) and _filled(self.baseline) and _filled(self.target)


class Objective(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, defer_build=True)
    id: Text
    title: Text
    aim: Text = ""
    # What will change, when the title alone does not say it.
    change: Text = ""
    # One measure inline (measure, baseline, target), or several under 'measures'.
    measure: Text = ""
    baseline: Text = ""
    target: Text = ""
    measures: list[Measure] = []
    # How several measures combine: 'all' of them, or 'any' one ("we will be successful if A, B or C").
    success: Literal["all", "any"] = "all"
    owner: Text = ""
    # A date like every other date in efl: ``due: 2020-03-31`` unquoted (a quoted one is read too).
    due: dt.date | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Objective:
        if self.measures and any(_filled(v) for v in (self.measure, self.baseline, self.target)):
            raise ValueError("give one measure inline (measure, baseline, target) or a list under 'measures', "
                             "not both (expected one form)")
        return self

    def all_measures(self) -> list[Measure]:
        if self.measures:
            return self.measures
        if _filled(self.measure):
            return [Measure(measure=self.measure, baseline=self.baseline, target=self.target)]
        return []

    def measurable(self) -> bool:
        """Specific and measurable as the law asks: it says what will change and how that will be measured."""
        return (_filled(self.title) or _filled(self.change)) and bool(self.all_measures())

    def baselined(self) -> bool:
        """Good practice: a baseline and a target for every measure (for one of them, when any one will do)."""
        measures = self.all_measures()
        done = [m.complete() for m in measures]
        return bool(measures) and (any(done) if self.success == "any" else all(done))


class ObjectivesFile(BaseModel):
    # Built on first use, with the two above inside it, not each at import (start-up).
    model_config = ConfigDict(extra="forbid", defer_build=True)
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
                              ("yaml", "markdown"), parse_objectives, schema=ObjectivesFile, publication=True))
    register(efl.EvidenceType("published-information", "Published equality information (the yearly duty)",
                              publication=True))
    register(efl.EvidenceType("workforce-report", "Published workforce equality information (the part of the "
                              "yearly information about employees)", publication=True))
    register(efl.EvidenceType("governance", "Governance papers (committee terms, lead member, reports)",
                              file_required=False))
    register(efl.EvidenceType("partnership-agreement", "Partnership agreement with equality commitments",
                              file_required=False))
    register(efl.EvidenceType("policy", "Equality policy or strategy"))


@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    objectives = ("equality-objectives",)
    register(efl.FactSpec("leadership.objectives.count", "the number of equality objectives", objectives, kind="whole number"))
    register(efl.FactSpec("leadership.objectives.measurable_count",
                          "equality objectives that say what will change and how it will be measured", objectives, kind="whole number"))
    register(efl.FactSpec("leadership.objectives.all_measurable",
                          "whether every equality objective is specific and measurable", objectives, kind="yes or no"))
    register(efl.FactSpec("leadership.objectives.baselined_count",
                          "equality objectives with a baseline and a target for their measures", objectives, kind="whole number"))
    register(efl.FactSpec("leadership.objectives.all_baselined",
                          "whether every equality objective has a baseline and a target", objectives, kind="yes or no"))
    register(efl.FactSpec("leadership.objectives.age_years", "years since the objectives were published", objectives, kind="number"))
    register(efl.FactSpec("leadership.information.days_since_published",
                          "days since equality information was last published", ("published-information",), kind="whole number"))
    register(efl.FactSpec("leadership.information.within_year",
                          "whether equality information was published within the last year", ("published-information",), kind="yes or no"))
    register(efl.FactSpec("leadership.key_decisions_eqia_pct",
                          "the share of key decisions with an equality impact assessment (%)", ("eqia-register",), kind="number"))
    register(efl.FactSpec("leadership.partnership_agreements",
                          "partnership agreements with equality commitments from the last three years",
                          ("partnership-agreement",), kind="whole number"))


def _still_to_do(objectives: list) -> str:
    """" Still to do: objective A, 'Develop our community leadership role'." (names, not bare ids)."""
    if not objectives:
        return ""
    named = [f"objective {o.id}, '{o.title}'" if o.id != o.title else f"'{o.title}'" for o in objectives]
    return f" Still to do: {and_list(named)}."


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    facts = []
    objectives = context.evidence.latest("equality-objectives")
    if objectives is not None and objectives.parsed is not None:
        items = objectives.parsed.objectives
        ids = [objectives.item.id]
        vague = [o for o in items if not o.measurable()]
        measurable = len(items) - len(vague)
        statement = (f"{measurable} of {len(items)} equality objectives say what will change and how it will be "
                     "measured." + _still_to_do(vague))
        open_ended = [o for o in items if not o.baselined()]
        baselined = len(items) - len(open_ended)
        targets = (f"{baselined} of {len(items)} equality objectives have a baseline and a target."
                   + _still_to_do(open_ended))
        age = (context.date - objectives.item.date).days / 365.25
        facts += [efl.Fact("leadership.objectives.count", len(items), ids, statement),
                  efl.Fact("leadership.objectives.measurable_count", measurable, ids, statement),
                  efl.Fact("leadership.objectives.all_measurable", not vague, ids, statement),
                  efl.Fact("leadership.objectives.baselined_count", baselined, ids, targets),
                  efl.Fact("leadership.objectives.all_baselined", not open_ended, ids, targets),
                  efl.Fact("leadership.objectives.age_years", age, ids,
                           f"The equality objectives were published on {objectives.item.date}, {age:.1f} years ago.")]
    info = context.evidence.latest("published-information")
    if info is not None:
        # Judged on the assessment date, as the yearly duty is, with the same calendar year (dates.within).
        when = published_on(info)
        days = (context.date - when).days
        said = f"Equality information was last published on {long_date(when)}, {days} days before the assessment."
        facts += [efl.Fact("leadership.information.days_since_published", days, [info.item.id], said),
                  efl.Fact("leadership.information.within_year", within(when, ONE_YEAR, context.date),
                           [info.item.id], said)]
    register = context.evidence.latest("eqia-register")
    if register is not None and register.parsed is not None:
        # A register without a key_decision column has no key decisions marked (the reader leaves it out).
        key = [r for r in register.parsed if r.get("key_decision")]
        if key:
            done = sum(1 for r in key if r["eqia_done"])
            pct = done / len(key) * 100
            facts.append(efl.Fact("leadership.key_decisions_eqia_pct", pct, [register.item.id],
                                  f"{one_decimal(pct):.1f}% of {len(key)} key decisions had an equality impact assessment.",
                                  shares=[efl.Share(part=done, whole=len(key),
                                                    counted="key decisions with an equality impact assessment",
                                                    one="key decision with an equality impact assessment",
                                                    basis=f"out of the same {len(key)}")]))
    three_years = parse_duration("P3Y")
    recent = [r for r in context.evidence.items_of("partnership-agreement")
              if within(r.item.date, three_years, context.window_end)]
    facts.append(efl.Fact("leadership.partnership_agreements", len(recent), [r.item.id for r in recent]))
    return facts
