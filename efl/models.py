"""The data efl works on: frameworks, assessments and results (pydantic v2 models).

Input models forbid unknown keys, so a typo in a YAML file is an error with a line number, not a
silently ignored setting. Result models are what ``--format json`` writes and what ``efl report``
and ``efl compare`` read back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from . import vocabulary

CHARACTERISTICS = (
    "age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
    "race", "religion_or_belief", "sex", "sexual_orientation",
)
CHARACTERISTIC_LABELS = {
    "age": "age", "disability": "disability", "gender_reassignment": "gender reassignment",
    "marriage_civil_partnership": "marriage and civil partnership",
    "pregnancy_maternity": "pregnancy and maternity", "race": "race", "religion_or_belief": "religion or belief",
    "sex": "sex", "sexual_orientation": "sexual orientation",
}


def characteristic_label(name: str) -> str:
    return CHARACTERISTIC_LABELS.get(name, name.replace("_", " "))


ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

Outcome = Literal["met", "not_met", "not_applicable", "insufficient_evidence"]
OUTCOME_LABELS = {
    "met": "met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "insufficient_evidence": "insufficient evidence",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --- frameworks ------------------------------------------------------------------------------------

class Level(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    summary: str = ""


class Expectation(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str


class Criterion(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    level: str
    description: str = ""
    statutory: bool = False
    rule: dict[str, Any]
    applies_when: dict[str, Any] | None = None
    action: str
    owner: str = "council"
    due: str | dict[str, Any] | None = None
    source: str
    confidence: Literal["confirmed", "partial", "unconfirmed", "local"] = "confirmed"

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("confirmed", "partial", "unconfirmed", "local"), "a confidence")


class Heading(Strict):
    """A criterion heading the sources name for an area, with how sure that is (``efl show`` lists them)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    confidence: Literal["confirmed", "partial", "unconfirmed"] = "confirmed"
    note: str = ""


class ExpectationsSource(Strict):
    """Where an area's manager expectations and council commitments come from, when not from the framework."""

    local: bool = False
    council: str = ""
    source: str = Field(min_length=1)


class Area(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    aliases: list[str] = []
    summary: str = ""
    headings: list[Heading] = []
    expectations_source: ExpectationsSource | None = None
    manager_expectations: list[Expectation] = []
    council_commitments: list[str] = []
    criteria: list[Criterion]


class Framework(Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: str
    title: str
    status: Literal["current", "superseded", "draft"] = "current"

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("current", "superseded", "draft"), "a status")

    publisher: str = ""
    summary: str = ""
    source: str = ""
    # The statutory calendar (a ``kind: calendar`` file) whose dates the ``duty`` rules read.
    calendar: str | None = Field(default=None, pattern=ID_PATTERN)
    levels: list[Level] = Field(min_length=1)
    areas: list[Area] = Field(min_length=1)

    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.levels]

    def level_rank(self, level: str | None) -> int:
        """0 for "not yet at the first level", 1 for the first level, and so on."""
        return 0 if level is None else self.level_ids().index(level) + 1

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)


# --- assessments -----------------------------------------------------------------------------------

class Council(Strict):
    name: str = Field(min_length=1)
    employees: int | None = Field(default=None, ge=0)
    lead_member: str | None = None
    kind: str | None = None


class Period(Strict):
    start: dt.date
    end: dt.date


class Assessor(Strict):
    name: str = ""
    organisation: str = ""
    role: Literal["self", "peer"] = "self"

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("self", "peer"), "a role")


class EvidenceItem(Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: str = Field(pattern=ID_PATTERN)
    file: str | None = None
    date: dt.date
    title: str = ""
    covers: list[str] = []
    note: str = ""
    published: dt.date | None = None
    url: str | None = None
    illustrative: bool = False
    # For figures on a statutory snapshot date (a gender pay gap report): the date they describe.
    snapshot: dt.date | None = None
    # A committee paper names the body (an id under ``bodies:``) that received it.
    body: str | None = None
    # Personal data (e.g. one row per employee): left out of an evidence pack, which keeps its
    # fingerprint and the figures computed from it instead (see efl/pack.py).
    personal: bool = False

    @field_validator("covers", mode="before")
    @classmethod
    def _covers(cls, value: Any) -> Any:
        # 'all', '[all]', 'Religion or belief': ids are checked against the folder's list later.
        return vocabulary.covers(value)


class Claim(Strict):
    # A level id or the level's name ("Achieving", "Level 2"): made an id once the framework is known.
    level: str | None = None
    outcome: Outcome | None = None
    note: str = ""
    # What a peer team saw or heard on the visit that is not in the evidence folder (a document,
    # a meeting, a web page): a difference that rests on it is classified as such, not as a
    # different reading of the same evidence.
    seen_on_visit: list[str] = []

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: Any) -> Any:
        return value if value is None else vocabulary.outcome(value)


class Agreed(Strict):
    """What a peer team and the council agreed after the challenge, and why: a ``level`` for an
    area (null: not yet at the first level), an ``outcome`` for a criterion."""

    level: str | None = None
    outcome: Outcome | None = None
    reason: str = Field(min_length=1)

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: Any) -> Any:
        return value if value is None else vocabulary.outcome(value)


# --- the record of a peer challenge ---------------------------------------------------------------

class Challenge(Strict):
    """A question the peer team put to the council, the council's response and where it stands."""

    id: str = Field(pattern=ID_PATTERN)
    about: str  # an area or criterion id
    question: str = Field(min_length=1)
    response: str = ""
    status: Literal["open", "answered", "resolved", "not_resolved"] = "open"


class EvidenceRequest(Strict):
    """Evidence the peer team asked for, and when (if) it came."""

    id: str = Field(pattern=ID_PATTERN)
    about: str
    what: str = Field(min_length=1)
    requested: dt.date
    received: dt.date | None = None
    note: str = ""


class AgreedAction(Strict):
    """An action the council and the peer team agreed, with who does it and by when."""

    about: str
    what: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due: dt.date


class Signature(Strict):
    name: str = Field(min_length=1)
    role: str = ""
    date: dt.date


class SignOff(Strict):
    """The lead peer and the council accept the record of the challenge."""

    lead_peer: Signature | None = None
    council: Signature | None = None


class Role(Strict):
    """A post in the council that can lead actions, e.g. "Head of HR", and who holds it now."""

    title: str = Field(min_length=1)
    person: str | None = None
    contact: str = ""


Frequency = Literal["monthly", "bimonthly", "quarterly", "six-monthly", "annual"]


class Body(Strict):
    """A board or committee that receives equality reports, and how often it must."""

    title: str = Field(min_length=1)
    frequency: Frequency
    chair: str | None = None  # a role id
    note: str = ""


class Values(Strict):
    """How this council's files write people's characteristics, beyond the words efl knows
    (see ``efl.groups``), and how the workforce is compared with the community."""

    not_recorded: list[str] = Field(default=[], description="More ways the files write 'nothing recorded'.")
    declined: list[str] = Field(default=[], description="More ways the files write 'chose not to say'.")
    groups: dict[str, dict[str, list[str]]] = Field(
        default={}, description="Per characteristic, per group, the other spellings of that group "
                                "(e.g. sex: {female: ['1']}).")
    compare_ages: str = Field(default="16-64", description="The ages within which staff are compared with "
                                                           "residents, e.g. 16-64 (working age) or 16+.")

    @field_validator("compare_ages")
    @classmethod
    def _age_range(cls, value: str) -> str:
        from .groups import parse_age_range

        parse_age_range(value)
        return value


class Assessment(Strict):
    framework: str = "eflg-2014"
    council: Council
    date: dt.date
    period: Period | None = None
    assessor: Assessor = Assessor()
    local_characteristics: list[str] = []
    values: Values | None = None
    evidence: list[EvidenceItem] = []
    claims: dict[str, Claim] = {}
    agreed: dict[str, Agreed] = {}
    challenges: list[Challenge] = []
    evidence_requests: list[EvidenceRequest] = []
    agreed_actions: list[AgreedAction] = []
    sign_off: SignOff | None = None
    # A peer judgement can point at the council's folder instead of copying its evidence.
    evidence_from: str | None = None
    note: str = ""
    # Who does what: the council's posts, the bodies that receive reports, which post leads the
    # actions a framework gives to a generic owner ("council", "managers"), and the council's own
    # action plan file (YAML, CSV or XLSX inside the folder). All optional.
    roles: dict[str, Role] = {}
    bodies: dict[str, Body] = {}
    owners: dict[str, str] = {}
    contact: str | None = None  # a role id: who readers of a report should contact
    plan: str | None = None

    @field_validator("local_characteristics", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        # "Socio-economic disadvantage" is read as socio_economic_disadvantage, as covers: lists are.
        if isinstance(value, list):
            return [vocabulary.key(item) if isinstance(item, str) else item for item in value]
        return value

    @field_validator("local_characteristics")
    @classmethod
    def _nonempty(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item:
                raise ValueError("an empty name is not a characteristic (expected words such as carers)")
        return value


# --- results ---------------------------------------------------------------------------------------

class Trace(BaseModel):
    """How one rule (and its children) reached its outcome: what ``--explain`` prints."""

    rule: str
    outcome: Outcome
    reason: str
    problem: Literal["missing_evidence", "stale_evidence", "no_figure", "below_standard"] | None = None
    evidence: list[str] = []
    facts: list[str] = []
    children: list[Trace] = []
    # Set by rules that judge a statutory duty; the engine lifts them onto the criterion's result.
    _due: dt.date | None = PrivateAttr(default=None)
    _overdue: bool = PrivateAttr(default=False)


class CriterionResult(BaseModel):
    id: str
    title: str
    level: str
    statutory: bool = False
    outcome: Outcome
    reasons: list[str]
    evidence: list[str] = []
    facts: list[str] = []
    trace: Trace
    applies: Trace | None = None
    source: str = ""
    # For a statutory duty: when it (or, once met, its next publication) is due, and whether that has passed.
    due: dt.date | None = None
    overdue: bool = False


class Action(BaseModel):
    area: str
    criterion: str | None = None  # None for an action about the area as a whole
    what: str
    why: str
    owner: str
    priority: int
    due: dt.date | None = None
    overdue: bool = False
    figure: str | None = None
    proposed_by: str = ""
    lead: str | None = None  # the named post (and person) that leads it, from assessment.yaml


class AreaResult(BaseModel):
    id: str
    title: str
    level: str | None
    next_level: str | None
    claimed_level: str | None = None
    agreed_level: str | None = None
    agreed_reason: str | None = None
    scored_by: str = ""
    summary: str = ""
    criteria: list[CriterionResult]
    actions: list[Action] = []


class FactValue(BaseModel):
    name: str
    value: Any
    evidence: list[str] = []
    statement: str | None = None
    plugin: str = ""


class CalendarRef(BaseModel):
    id: str
    version: str
    sha256: str


class FrameworkRef(BaseModel):
    id: str
    version: str
    title: str
    sha256: str
    levels: list[Level]
    calendar: CalendarRef | None = None


class EvidenceRef(BaseModel):
    id: str
    type: str
    file: str | None
    date: dt.date
    sha256: str | None
    illustrative: bool = False


class PluginRef(BaseModel):
    name: str
    distribution: str
    version: str


class Window(BaseModel):
    """The day "within the last year" (or three years...) looks back from, and where that day came from."""

    end: dt.date
    basis: Literal["period", "date"]
    statutory_on: dt.date  # statutory deadlines are judged on the assessment date itself


class AssessmentRef(BaseModel):
    council: str
    date: dt.date
    period: Period | None = None
    window: Window | None = None
    assessor: Assessor
    claims: dict[str, Claim] = {}
    evidence_from: str | None = None
    contact: str | None = None
    # The record of a peer challenge (schema 1.2), so a saved result can still make the feedback report.
    agreed: dict[str, Agreed] = {}
    challenges: list[Challenge] = []
    evidence_requests: list[EvidenceRequest] = []
    agreed_actions: list[AgreedAction] = []
    sign_off: SignOff | None = None


class PluginFailure(BaseModel):
    """A plugin that failed while a result was being worked out (the result is then incomplete)."""

    plugin: str
    hook: str
    message: str


class WarningRef(BaseModel):
    """Something suspicious but usable in the evidence: where it is (relative to the folder) and what."""

    file: str
    line: int = 0
    col: int = 0
    message: str


class Result(BaseModel):
    schema_version: str
    efl_version: str
    framework: FrameworkRef
    assessment: AssessmentRef
    overall_level: str | None
    areas: list[AreaResult]
    actions: list[Action]
    facts: list[FactValue]
    evidence: list[EvidenceRef]
    plugins: list[PluginRef]
    # Written despite a plugin failure: some facts are missing, so levels may be too low.
    incomplete: bool = False
    failures: list[PluginFailure] = []
    # False when no loaded plugin proposes actions (e.g. -p no:actions): "no actions" then means nothing.
    action_plan: bool = True
    warnings: list[WarningRef] = []

    def level_title(self, level: str | None) -> str:
        if level is None:
            return f"Not yet {self.framework.levels[0].title}"
        return next((lv.title for lv in self.framework.levels if lv.id == level), level)
