"""efl-carers: the tutorial plugin from efl's docs/plugins.md.

The EFLG 2021 edition asks councils to look beyond the nine protected characteristics at caring
responsibilities. This plugin helps them check that carers appear in their evidence:

* a rule type, ``mentions``, met when an evidence item's title or note mentions a word;
* a fact, ``carers.evidence_items``, the number of evidence items that mention carers;
* a report format, ``rag``, a red/amber/green status per area, in words;
* a small framework, ``carers-check``, that uses the rule type and the fact.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

import efl
from efl import Trace

CARER_WORDS = re.compile(r"\bcar(?:er|ers|ing)\b", re.IGNORECASE)


# --- a rule type -----------------------------------------------------------------------------------

class MentionsOptions(BaseModel):
    """``{mentions: WORD, of: EVIDENCE-TYPE}``: ``of`` is optional (any type)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    mentions: str
    of: str | None = None
    label: str | None = None


def _text(item) -> str:  # noqa: ANN001
    return " ".join(filter(None, [item.title, item.note]))


def evaluate_mentions(rule, ctx):  # noqa: ANN001, ANN201
    opts = rule.options
    records = ctx.evidence.items_of(opts.of) if opts.of else list(ctx.evidence)
    word = re.compile(rf"\b{re.escape(opts.mentions)}", re.IGNORECASE)
    found = [r.item.id for r in records if word.search(_text(r.item))]
    where = f"'{opts.of}' evidence" if opts.of else "the evidence"
    label = opts.label or f"mentions: {opts.mentions}"
    if found:
        return Trace(rule=label, outcome="met", evidence=found,
                     reason=f"{len(found)} item(s) of {where} mention '{opts.mentions}' ({', '.join(found)})")
    return Trace(rule=label, outcome="not_met", problem="missing_evidence",
                 reason=f"no item of {where} mentions '{opts.mentions}' in its title or note")


@efl.hookimpl
def efl_register_rule_types(register):  # noqa: ANN001, ANN201
    register(efl.RuleType("mentions", MentionsOptions, evaluate_mentions,
                          summary="met when an evidence item's title or note mentions a word"))


# --- a fact ----------------------------------------------------------------------------------------

@efl.hookimpl
def efl_register_facts(register):  # noqa: ANN001, ANN201
    register(efl.FactSpec("carers.evidence_items", "the number of evidence items that mention carers"))


@efl.hookimpl
def efl_compute_facts(context):  # noqa: ANN001, ANN201
    ids = [r.item.id for r in context.evidence if CARER_WORDS.search(_text(r.item))]
    return [efl.Fact("carers.evidence_items", len(ids), ids,
                     statement=f"{len(ids)} evidence item(s) mention carers or caring.")]


# --- a report format -------------------------------------------------------------------------------

def render_rag(result, options) -> str:  # noqa: ANN001
    """One line per area. The status is a word, never a colour alone, so it reads the same to everyone."""
    top = result.framework.levels[-1].id
    lines = [f"{result.assessment.council}: red, amber, green status by area"]
    for area in result.areas:
        status = "GREEN" if area.level == top else "AMBER" if area.level else "RED"
        lines.append(f"{status:<5}  {area.title}: {result.level_title(area.level)}, "
                     f"{len(area.actions)} action(s)")
    return "\n".join(lines) + "\n"


@efl.hookimpl
def efl_register_report_formats(register):  # noqa: ANN001, ANN201
    register(efl.ReportFormat("rag", "red, amber or green per area, in words", render_rag, ".txt"))


# --- a framework -----------------------------------------------------------------------------------

@efl.hookimpl
def efl_register_frameworks(register):  # noqa: ANN001, ANN201
    register(efl.FrameworkSource(Path(__file__).parent / "frameworks" / "carers-check.yaml"))
