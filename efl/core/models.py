"""The data efl works on: frameworks, assessments and results (pydantic v2 models).

Input models forbid unknown keys, so a typo in a YAML file is an error with a line number, not a
silently ignored setting. Result models are what ``--format json`` writes and what ``efl report``
and ``efl compare`` read back.

Annotations are evaluated as Python reads them (no ``from __future__ import annotations``): pydantic
would otherwise compile and evaluate each of some 400 annotation strings when the classes are made,
a tenth of the time this module takes to import, which every command pays. A name defined further
down is written in quotes, and so is every public method's signature (as the public API snapshot,
tests/public_api.txt, shows it: ``str``, not ``<class 'str'>``).
"""

import datetime as dt
import unicodedata
from typing import Annotated, Any, Iterable, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema, field_validator,
                      model_validator)

from efl.core import model_cache, vocabulary
# Defined in a leaf module (vocabulary and the YAML reader need them too); part of the models' names.
from efl.core.identifiers import CHARACTERISTIC_LABELS, CHARACTERISTICS, ID_PATTERN, characteristic_label  # noqa: F401



def _as_text(value: Any) -> Any:
    # YAML reads an unquoted 2026-03-31 as a date and 2014.1 as a number; where a field holds text,
    # they are the text as written, so nobody has to quote one date when every other is bare.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_as_text)]


def _one_form(value: Any) -> Any:
    # A result saved by another program (or an older efl) may spell a name in another Unicode form.
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

Outcome = Literal["met", "not_met", "not_applicable", "insufficient_evidence"]
OUTCOME_LABELS = {
    "met": "met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "insufficient_evidence": "insufficient evidence",
}

# As the efl command, each class below (and efl's models made after it) is made with the fields
# pydantic collected for it in an earlier run, when they still hold (efl.core.model_cache), as its
# schema is built from the one kept then.
model_cache.hook_pydantic()


class Record(BaseModel):
    # Built on first use, not on import: a command builds only the models it touches (start-up).
    model_config = ConfigDict(defer_build=True)

    @classmethod
    def model_rebuild(cls, *, force: "bool" = False, raise_errors: "bool" = True, _parent_namespace_depth: "int" = 2,
                      _types_namespace: "Any" = None) -> "bool | None":
        """pydantic's ``model_rebuild`` (the first use of a deferred model comes here too); as the efl
        command, from the schema kept in an earlier run when it still holds (efl.core.model_cache)."""
        return model_cache.rebuild(cls, force, raise_errors, _parent_namespace_depth, _types_namespace)


class Strict(Record):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --- frameworks ------------------------------------------------------------------------------------

class Level(Strict):
    """One level of the framework, lowest first."""

    id: str = Field(pattern=ID_PATTERN, description="The level's id, e.g. achieving.")
    title: str = Field(description="The level's name as reports print it, e.g. Achieving.")
    summary: str = Field(default="", description="What a council at this level does, in a sentence or two.")


class Expectation(Strict):
    """Something the framework expects every manager to do (counted from the manager returns)."""

    id: str = Field(pattern=ID_PATTERN, description="The expectation's id, used in manager returns, e.g. scw.m2.")
    text: str = Field(description="What managers are expected to do.")


class Criterion(Strict):
    """One thing a council must show to reach a level in an area, and how the evidence decides it."""

    id: str = Field(pattern=ID_PATTERN, description="The criterion's id, e.g. kyc.profile.")
    title: str = Field(description="The criterion in a short sentence, as reports print it.")
    level: str = Field(description="The id of the lowest level that requires it.")
    description: str = Field(default="", description="A longer explanation.")
    statutory: bool = Field(default=False, description="true if the law requires it (an action whatever the level).")
    rule: dict[str, Any] = Field(description="The rule that decides it: a mapping whose key names the rule type "
                                             "(evidence, fact, all, any, not).")
    applies_when: dict[str, Any] | None = Field(default=None, description="A rule; when it is not met the "
                                                "criterion does not apply to this council.")
    action: str = Field(description="What to do when the criterion is not met.")
    owner: str = Field(default="council", description="Who owns that action.")
    due: str | dict[str, Any] | None = Field(default=None, description="When the action is due: a period after "
                                             "the assessment date such as P1Y, or a statutory cycle.")
    source: str = Field(description="Where the criterion comes from (document and section).")
    confidence: Literal["confirmed", "partial", "unconfirmed", "local"] = Field(
        default="confirmed", description="How sure the encoding is: confirmed by the source, partial, "
                                         "unconfirmed, or local (efl's own encoding).")

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("confirmed", "partial", "unconfirmed", "local"), "a confidence")


class Heading(Strict):
    """A criterion heading the sources name for an area, with how sure that is (``efl show`` lists them)."""

    id: str = Field(pattern=ID_PATTERN, description="The heading's id; its criteria's ids start with it, e.g. "
                    "uwc.collecting.")
    title: str = Field(description="The heading as the sources give it.")
    confidence: Literal["confirmed", "partial", "unconfirmed"] = Field(
        default="confirmed", description="How sure the sources are that the framework has this heading.")
    note: str = Field(default="", description="Why it is unconfirmed, or what is encoded for it.")


class ExpectationsSource(Strict):
    """Where an area's manager expectations and council commitments come from, when not from the framework."""

    local: bool = Field(default=False, description="true when they are one council's own table, not the "
                        "framework's text.")
    council: str = Field(default="", description="The council whose table it is.")
    source: str = Field(min_length=1, description="The document they come from.")


class Area(Strict):
    """A performance area (or module) of the framework, with its criteria."""

    id: str = Field(pattern=ID_PATTERN, description="The area's id, e.g. kyc.")
    title: str = Field(description="The area's name, e.g. Knowing your communities.")
    aliases: list[str] = Field(default=[], description="Other ids 'efl show' accepts for this area.")
    summary: str = Field(default="", description="What the area is about.")
    headings: list[Heading] = Field(default=[], description="The criterion headings the sources name for this "
                                    "area, with how sure each is (efl show lists them).")
    expectations_source: ExpectationsSource | None = Field(
        default=None, description="Where the manager expectations and council commitments come from, when "
        "they are one council's local table rather than the framework's own text.")
    manager_expectations: list[Expectation] = Field(default=[], description="What every manager is expected to do.")
    council_commitments: list[str] = Field(default=[], description="What the council commits to in this area.")
    criteria: list[Criterion] = Field(description="The criteria, at any level.")


class LevelOrder:
    """The one ranking of levels, shared by a framework and the copy of it a result keeps.

    Rank 0 is "not yet at the first level" (``None``), 1 the first level, and so on; a level id the
    framework does not have also ranks 0. Everything that compares levels (scoring, overall levels,
    --fail-under, claims against evidence, comparisons, reports) uses this and nothing else.
    The class using it has a ``levels`` field (a list of :class:`Level`, lowest first).
    """

    def level_ids(self) -> "list[str]":
        return [lv.id for lv in self.levels]

    def level_rank(self, level: "str | None") -> "int":
        ids = self.level_ids()
        return ids.index(level) + 1 if level in ids else 0

    def level_at(self, rank: "int") -> "str | None":
        """The level id of a rank (``None`` for 0), the inverse of :meth:`level_rank`."""
        return self.levels[rank - 1].id if rank > 0 else None

    def lowest(self, levels: "Iterable[str | None]") -> "str | None":
        """The lowest of several level ids (``None``, "not yet", lowest of all): see efl.core.levels."""
        from efl.core.levels import lowest

        return lowest(self, levels)

    def reached(self, criteria: "Iterable[Any]") -> "Any":
        """The level criteria outcomes reach under the cumulative rule (an ``efl.core.levels.Reached``:
        ``level``, the first level ``short_of`` and its ``blocking`` criteria)."""
        from efl.core.levels import reached

        return reached(self.levels, criteria)


class Framework(Strict, LevelOrder):
    """A framework edition: its levels and performance areas (a file in frameworks/)."""

    id: str = Field(pattern=ID_PATTERN, description="The edition's id, e.g. eflg-2014.")
    version: Text = Field(description="The version of this encoding of the edition.")
    title: str = Field(description="The edition's name.")
    status: Literal["current", "superseded", "draft"] = Field(
        default="current", description="current, superseded or draft.")
    publisher: str = Field(default="", description="Who published the edition.")
    summary: str = Field(default="", description="What the edition is, in a few sentences.")
    source: str = Field(default="", description="Where the edition comes from.")
    calendar: str | None = Field(default=None, pattern=ID_PATTERN, description="The statutory calendar (a "
                                 "kind: calendar file, e.g. psed-england) whose dates the duty rules read.")
    levels: list[Level] = Field(min_length=1, description="The levels, lowest first.")
    areas: list[Area] = Field(min_length=1, description="The performance areas.")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("current", "superseded", "draft"), "a status")

    def area(self, area_id: "str") -> "Area":
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)


# --- assessments -----------------------------------------------------------------------------------

class Headcount(Strict):
    """How many people the council employed on one date (SI 2017/353 Schedule 1 para 1: "250 or more
    employees on the snapshot date")."""

    date: dt.date = Field(description="The date, written YYYY-MM-DD (for the pay gap duty, a 31 March).")
    employees: int = Field(ge=0, description="How many people it employed that day.")
    note: Text = Field(default="", description="Where the figure comes from.")


class Council(Strict):
    """The council (or other public body) being assessed."""

    name: Text = Field(min_length=1, description="The council's name, as reports print it.")
    employees: int | None = Field(default=None, ge=0, description="How many people it employs (decides whether "
                                  "the workforce duties apply); otherwise counted from the workforce profile.")
    lead_member: Text | None = Field(default=None, description="The councillor who leads on equality, if any.")
    kind: Text | None = Field(default=None, description="What kind of body it is, e.g. London borough.")
    headcounts: list[Headcount] = Field(default=[], description="How many people it employed on given dates, "
                                        "e.g. each 31 March snapshot date the gender pay gap duty is measured on.")

    @field_validator("headcounts")
    @classmethod
    def _one_per_date(cls, value: list[Headcount]) -> list[Headcount]:
        seen = set()
        for entry in value:
            if entry.date in seen:
                raise ValueError(f"the headcount on {entry.date} is given twice (expected one per date)")
            seen.add(entry.date)
        return value


class Period(Strict):
    """The year the assessment looks back on."""

    start: dt.date = Field(description="First day, written YYYY-MM-DD.")
    end: dt.date = Field(description="Last day, written YYYY-MM-DD.")


class Assessor(Strict):
    """Who made this assessment."""

    name: Text = Field(default="", description="The person or team.")
    organisation: Text = Field(default="", description="Their organisation.")
    role: Literal["self", "peer"] = Field(default="self", description="self for the council's own assessment, "
                                          "peer for a peer team's judgement.")

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return vocabulary.one_of(value, ("self", "peer"), "a role")


# An empty list or dict as a field's default, made fresh for each model (default_factory) rather than
# written as ``default=[]`` / ``= []``: pydantic deep-copies a mutable default for every model made
# (copy.deepcopy, in Python), and a small council's assessment makes some 120 of them (its evidence
# items, and the traces and results of its criteria). The JSON Schema still shows the default, as
# before (json_schema_extra; pydantic sorts a schema's keys, so it is byte for byte what default=[]
# gave). tests/test_evidence_item_defaults.py compares both ways.
def empty_list(**field: Any) -> Any:
    return Field(default_factory=list, json_schema_extra={"default": []}, **field)


def empty_dict(**field: Any) -> Any:
    return Field(default_factory=dict, json_schema_extra={"default": {}}, **field)


class EvidenceItem(Strict):
    """One piece of evidence: what it is, its file inside the folder, and when it was produced."""

    id: str = Field(pattern=ID_PATTERN, description="A short id for this item, unique in the folder, "
                    "e.g. census-2021.")
    type: str = Field(pattern=ID_PATTERN, description="What kind of evidence it is: one of the evidence types "
                      "the installed plugins register (README.md lists efl's own; efl plugins shows who adds which).")
    file: str | None = Field(default=None, description="The file, as a path inside the assessment folder, "
                             "e.g. evidence/census-2021.csv.")
    date: dt.date = Field(description="When it was produced, written YYYY-MM-DD.")
    title: Text = Field(default="", description="Its title, as reports print it.")
    covers: Annotated[list[str], WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string"}},
                                                          {"const": "all"}]})] = empty_list(description="The protected characteristics it covers (or all for "
                              "the nine), e.g. [age, disability, race].")
    note: Text = Field(default="", description="A note for readers.")
    published: dt.date | None = Field(default=None, description="When it was published, if it was.")
    url: str | None = Field(default=None, description="Where it is published.")
    illustrative: bool = Field(default=False, description="true if the data is invented (shown as such).")
    snapshot: dt.date | None = Field(default=None, description="For a gender pay gap report: the snapshot date "
                                     "(31 March) whose figures it publishes, written YYYY-MM-DD.")
    # A paper to a board or committee names the body (an id under ``bodies:``) that received it.
    body: str | None = Field(default=None, description="The body that received it, for a paper to a board or "
                             "committee: one of the ids under bodies:.")
    # Personal data (e.g. one row per employee): left out of an evidence pack, which keeps its
    # fingerprint and the figures computed from it instead (see efl/peer/pack.py).
    personal: bool = Field(default=False, description="true for personal data (e.g. one row per employee): "
                           "an evidence pack leaves the file out and keeps its fingerprint and figures.")
    columns: dict[str, str] = empty_dict(description="For a CSV file whose headers are not the ones efl "
                                    "reads: which of its columns holds each, by efl's name, e.g. {bonus_pay: "
                                    "'Bonus Paid (12m to snapshot)', senior: 'Senior Leadership Team'}.")
    # Which parts of the yearly equality information an item holds (SI 2017/353 reg 4(3)): about its
    # employees, about the other people its policies affect; empty means both.
    about: list[Literal["employees", "people-affected"]] = empty_list(
        description="For published equality information: which parts it holds, employees and "
        "people-affected (the other people the council's policies affect); empty means both.")

    # Keys an evidence type's plugin owns (``EvidenceType.fields``), kept aside as written, and checked
    # against the type's model once the plugins are known (efl.core.evidence_fields); ``fields`` is that
    # model's instance, or None.
    _written: dict[str, Any] = PrivateAttr(default_factory=dict)
    _fields: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _plugin_keys(cls, data: Any, handler: Any) -> Any:
        written = {}
        if isinstance(data, dict):
            # Only text keys: a key YAML read as a number or a date is still pydantic's to report.
            written = {k: v for k, v in data.items() if isinstance(k, str) and k not in cls.model_fields}
            if written:
                data = {k: v for k, v in data.items() if k not in written}
        item = handler(data)
        if written:
            item._written = written
        return item

    @property
    def fields(self) -> "Any":
        """The plugin-owned fields of this item: an instance of its evidence type's ``fields`` model
        (``item.fields.geography``), or ``None`` when the type declares none."""
        return self._fields

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        # "Carers survey" is the type carers-survey; unknown types get a "did you mean" later.
        return "-".join(value.lower().split()) if isinstance(value, str) else value

    @field_validator("covers", mode="before")
    @classmethod
    def _covers(cls, value: Any) -> Any:
        # 'all', '[all]', 'Religion or belief': ids are checked against the folder's list later.
        return vocabulary.covers(value)

    @field_validator("about", mode="before")
    @classmethod
    def _about(cls, value: Any) -> Any:
        # "People affected", "people_affected" and "Employees" read as written.
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return ["-".join(v.lower().replace("_", " ").split()) if isinstance(v, str) else v for v in value]
        return value


# A claim of "not yet at the first level" (e.g. Not yet Developing). A claimed level of None means no
# level was claimed, so the claim below the first level needs a value of its own.
NOT_YET = "not_yet"


class Claim(Strict):
    """The level claimed for an area, or the outcome claimed for a criterion."""

    # A level id or the level's name ("Achieving", "Level 2"): made an id once the framework is known;
    # "Not yet Developing" (or null, written out) is the claim below the first level, kept as NOT_YET.
    level: str | None = Field(default=None, description="The level claimed for an area, e.g. Achieving, or "
                              "Not yet Developing (null written out means the same).")
    outcome: Annotated[Outcome | None, WithJsonSchema({"anyOf": [{"enum": [*OUTCOME_LABELS, *OUTCOME_LABELS.values()]},
                                                                 {"type": "null"}]})] = Field(default=None, description="The outcome claimed for a criterion: met, "
                                    "not met, not applicable or insufficient evidence.")
    note: Text = Field(default="", description="Why.")
    # What a peer team saw or heard on the visit that is not in the evidence folder (a document,
    # a meeting, a web page): a difference that rests on it is classified as such, not as a
    # different reading of the same evidence.
    seen_on_visit: list[str] = Field(default=[], description="What the peer team saw or heard on the visit "
                                     "that is not in the evidence folder (a document, a meeting, a web page).")

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: Any) -> Any:
        return value if value is None else vocabulary.outcome(value)


class Agreed(Strict):
    """What a peer team and the council agreed after the challenge, and why: a ``level`` for an
    area (null: not yet at the first level), an ``outcome`` for a criterion."""

    level: str | None = Field(default=None, description="The level agreed for an area, e.g. Developing "
                              "(null: not yet the first level).")
    outcome: Outcome | None = Field(default=None, description="The outcome agreed for a criterion.")
    reason: Text = Field(min_length=1, description="Why it was agreed.")

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: Any) -> Any:
        return value if value is None else vocabulary.outcome(value)


# --- the record of a peer challenge ---------------------------------------------------------------

class Challenge(Strict):
    """A question the peer team put to the council, the council's response and where it stands."""

    id: str = Field(pattern=ID_PATTERN, description="A short id for the question, e.g. q1.")
    about: str = Field(description="The area or criterion id it is about.")
    question: str = Field(min_length=1, description="The question the peer team asked.")
    response: str = Field(default="", description="The council's response.")
    status: Literal["open", "answered", "resolved", "not_resolved"] = Field(
        default="open", description="open, answered, resolved or not_resolved.")


class EvidenceRequest(Strict):
    """Evidence the peer team asked for, and when (if) it came."""

    id: str = Field(pattern=ID_PATTERN, description="A short id for the request.")
    about: str = Field(description="The area or criterion id it is about.")
    what: str = Field(min_length=1, description="The evidence asked for.")
    requested: dt.date = Field(description="When it was asked for, written YYYY-MM-DD.")
    received: dt.date | None = Field(default=None, description="When it came, if it did.")
    note: str = Field(default="", description="A note for readers.")


class AgreedAction(Strict):
    """An action the council and the peer team agreed, with who does it and by when."""

    about: str = Field(description="The area or criterion id it is about.")
    what: str = Field(min_length=1, description="What will be done.")
    owner: str = Field(min_length=1, description="Who does it.")
    due: dt.date = Field(description="By when, written YYYY-MM-DD.")


class Signature(Strict):
    """Who signed, in what role, and when."""

    name: str = Field(min_length=1, description="Who signed.")
    role: str = Field(default="", description="Their role.")
    date: dt.date = Field(description="When, written YYYY-MM-DD.")


class SignOff(Strict):
    """The lead peer and the council accept the record of the challenge."""

    lead_peer: Signature | None = Field(default=None, description="The lead peer's signature.")
    council: Signature | None = Field(default=None, description="The council's signature.")


class TeamMember(Strict):
    """A member of the peer team, and their part in it."""

    name: str = Field(min_length=1, description="Their name.")
    role: str = Field(default="", description="Their part in the team, e.g. Lead peer, Member peer, Officer "
                      "peer, Peer challenge manager.")
    organisation: str = Field(default="", description="Where they work, e.g. another council.")


class Visit(Strict):
    """When the peer team was on site (or met the council online)."""

    start: dt.date = Field(description="The first day, written YYYY-MM-DD.")
    end: dt.date = Field(description="The last day, written YYYY-MM-DD.")


class AreaFindings(Strict):
    """What the peer team found in one area: strengths (good practice) and areas for consideration."""

    strengths: list[str] = Field(default=[], description="Strengths and good practice the team saw.")
    consider: list[str] = Field(default=[], description="Areas for the council to consider.")


class Recommendation(Strict):
    """One of the peer team's recommendations (numbered in the order written)."""

    text: str = Field(min_length=1, description="The recommendation.")
    about: str | None = Field(default=None, description="The area or criterion id it is about, if one.")


class Feedback(Strict):
    """What the peer team's feedback report says besides the levels: the team, the challenge and
    its findings, in the shape of an LGA equality peer challenge report."""

    summary: str = Field(default="", description="The team's own summary, in a few sentences.")
    team: list[TeamMember] = Field(default=[], description="The peer team and their roles.")
    visit: Visit | None = Field(default=None, description="When the team was on site.")
    scope: str = Field(default="", description="What the challenge covered and any focus agreed with the "
                       "council.")
    met: list[str] = Field(default=[], description="Who the team met (groups of people, not names).")
    areas: dict[str, AreaFindings] = Field(default={}, description="Per area id: strengths and areas for "
                                           "consideration.")
    recommendations: list[Recommendation] = Field(default=[], description="The team's recommendations, in "
                                                  "order.")
    next_steps: str = Field(default="", description="What happens next.")


class Role(Strict):
    """A post in the council that can lead actions, e.g. "Head of HR", and who holds it now."""

    title: str = Field(min_length=1, description="The post's title, e.g. Head of HR.")
    person: str | None = Field(default=None, description="Who holds it now.")
    contact: str = Field(default="", description="How to reach them.")


Frequency = Literal["monthly", "bimonthly", "quarterly", "six-monthly", "annual"]


class Body(Strict):
    """A board or committee that receives equality reports, and how often it must."""

    title: str = Field(min_length=1, description="The body's name, e.g. Cabinet.")
    # None: a group with no reports due to it (a staff group)
    frequency: Frequency | None = Field(default=None, description="How often it must receive equality reports "
                                        "(none for a group with no reports due to it).")
    chair: str | None = Field(default=None, description="The role id of its chair.")
    note: str = Field(default="", description="A note for readers.")

    @field_validator("frequency", mode="before")
    @classmethod
    def _frequency(cls, value: Any) -> Any:
        # As every word efl reads: Quarterly, SIX MONTHLY and Six_Monthly are quarterly and six-monthly.
        if value is None or not isinstance(value, str):
            return value
        return vocabulary.one_of(value, ("monthly", "bimonthly", "quarterly", "six-monthly", "annual"), "a frequency")


class Meeting(Strict):
    """The meeting that takes the report, as a council report's front sheet gives it."""

    body: Text | None = Field(default=None, description="The body that takes the report: an id from bodies, or "
                              "its name, e.g. Cabinet.")
    date: dt.date | None = Field(default=None, description="The date of the meeting, written YYYY-MM-DD.")
    decision_maker: Text | None = Field(default=None, description="Who decides (default: the body).")
    report_of: Text | None = Field(default=None, description="Whose report it is: a role id, or the post's title.")
    portfolio: Text | None = Field(default=None, description="The portfolio it falls under (default: the lead "
                                   "member for equality).")
    key_decision: bool | None = Field(default=None, description="true if it is a key decision.")
    wards: Text = Field(default="All wards", description="The wards affected.")
    exempt: Text | None = Field(default=None, description="Why the report is exempt from publication, if it is "
                                "(leave out for a public report).")


class Values(Strict):
    """How this council's files write people's characteristics, beyond the words efl knows
    (see ``efl.workforce.groups``), and how the workforce is compared with the community."""

    not_recorded: list[str] = Field(default=[], description="More ways the files write 'nothing recorded'.")
    declined: list[str] = Field(default=[], description="More ways the files write 'chose not to say'.")
    groups: dict[str, dict[str, list[str]]] = Field(
        default={}, description="Per characteristic, per group, the other spellings of that group "
                                "(e.g. sex: {female: ['1']}).")
    compare_ages: str = Field(default="16-64", description="The ages within which staff are compared with "
                                                           "residents, e.g. 16-64 (working age) or 16+.")
    min_respondents: int = Field(default=10, ge=1, description="Survey groups with fewer respondents than this "
                                 "are too small to compare.")
    min_group: int = Field(default=10, ge=1, description="A group with fewer staff (or residents) than this is "
                           "too few to compare with the community: named, never given a ratio.")

    @field_validator("compare_ages")
    @classmethod
    def _age_range(cls, value: str) -> str:
        from efl.workforce.groups import parse_age_range

        parse_age_range(value)
        return value


def characteristic_ids(value: Any) -> Any:
    """A list of local characteristics as ids: "Socio-economic disadvantage" is read as
    socio_economic_disadvantage, as covers: lists are."""
    if isinstance(value, list):
        return [vocabulary.key(item) if isinstance(item, str) else item for item in value]
    return value


class Waiver(Strict):
    """A justified exception the council has approved: a criterion counted as not applicable until a date.

    A legal duty cannot be waived; an expired waiver is a warning and no longer applies.
    """

    criterion: str = Field(description="The id of the criterion waived, e.g. rscc.satisfaction.")
    reason: Text = Field(min_length=1, description="Why the criterion is waived for now, as reports print it.")
    approved_by: Text = Field(min_length=1, description="Who approved it: a role id from roles:, or a name "
                              "such as 'Cabinet, 12 March 2025'.")
    approved_on: dt.date = Field(description="When it was approved, written YYYY-MM-DD.")
    expires: dt.date = Field(description="The last day it applies, written YYYY-MM-DD; from the next day the "
                             "criterion counts again.")
    note: Text = Field(default="", description="A note for readers.")


class LocalAction(Strict):
    """A tailoring's own wording of a criterion's action, its owner or when it is due."""

    action: str | None = Field(default=None, description="What to do when the criterion is not met.")
    owner: str | None = Field(default=None, description="Who owns that action.")
    due: str | dict[str, Any] | None = Field(default=None, description="When the action is due: a period such "
                                             "as P6M, or a cycle as in a framework file.")


class LocalCriterion(Criterion):
    """A criterion a council adds to an edition, in the framework's own form, naming its area."""

    area: str = Field(description="The id of the area it belongs to, e.g. scw.")
    source: str = Field(default="the council's own criterion", description="Where the criterion comes from.")
    confidence: Literal["confirmed", "partial", "unconfirmed", "local"] = Field(
        default="local", description="How sure the encoding is (local: the council's own).")


class Tailoring(Strict):
    """Local tailoring of a framework edition (``tailoring:`` in assessment.yaml, or shipped by a plugin):
    criteria added, rules replaced, criteria not used locally, local characteristics. The base edition's
    legal duties can be neither removed nor weakened."""

    kind: Literal["tailoring"] | None = Field(default=None, description="tailoring (needed when a plugin ships "
                                              "the file beside frameworks).")
    id: str | None = Field(default=None, pattern=ID_PATTERN, description="An id, e.g. kent-local (needed when a "
                           "plugin ships the file).")
    version: Text = Field(default="", description="The version of this tailoring.")
    title: Text = Field(default="", description="Its name, as reports print it, e.g. Bexley's local criteria.")
    base: str = Field(description="The framework edition it tailors, e.g. eflg-2014.")
    council: Text = Field(default="", description="The council (or group of councils) whose tailoring it is.")
    source: Text = Field(default="", description="Where it was agreed, e.g. a committee decision.")
    characteristics: list[str] = Field(default=[], description="Local characteristics it adds besides the nine "
                                       "protected ones, e.g. [carers, care_experience].")
    criteria: list[LocalCriterion] = Field(default=[], description="Criteria added, each naming its area.")
    rules: dict[str, dict[str, Any]] = Field(default={}, description="A criterion's rule replaced, by criterion "
                                             "id (e.g. a changed threshold).")
    not_used: dict[str, Text] = Field(default={}, description="Criteria not used locally, by id, each with the "
                                      "reason.")
    actions: dict[str, LocalAction] = Field(default={}, description="A criterion's action, owner or due date in "
                                            "the council's own words, by criterion id.")

    _ids = field_validator("characteristics", mode="before")(lambda cls, value: characteristic_ids(value))


# The groupings of ethnic group a pay gap report can use, as people write them -> the level of the
# Census 2021 classification (efl/workforce/classification.py), or finest / together.
PAY_GAP_GROUPINGS = {"finest": "finest", "detailed": "detailed", "19_groups": "detailed", "7_groups": "eight-groups",
                     "eight_groups": "eight-groups", "5_groups": "high-level", "high_level": "high-level",
                     "five_groups": "high-level", "seven_groups": "eight-groups", "together": "together",
                     "ethnic_minority": "together"}


class PayGaps(Strict):
    """How the ethnicity and disability pay gaps are worked out where the government's guidance leaves
    the choice to the employer; every report states the choices used."""

    minimum_group: int = Field(default=10, ge=1, description="The fewest employees a group may have to be shown "
                               "on its own (the 2025 consultation proposes 10).")
    ethnicity_reference: str = Field(default="White British", description="The ethnic group every other group is "
                                     "compared with (the 2023 guidance recommends White British).")
    ethnicity_groups: str = Field(default="finest", description="How finely ethnic groups are shown: finest (as "
                                  "fine as the records and group sizes allow), 19 groups, 7 groups, 5 groups, "
                                  "or together (all ethnic minority employees only).")
    small_groups: Literal["combine", "withhold"] = Field(default="combine", description="What happens to a group "
                                                         "smaller than minimum_group: combine (counted in the broader "
                                                         "group it belongs to) or withhold (shown only within the "
                                                         "figures for all groups together).")

    @field_validator("ethnicity_groups")
    @classmethod
    def _grouping(cls, value: str) -> str:
        return vocabulary.choose(value, PAY_GAP_GROUPINGS, "a grouping of ethnic groups",
                                 ["finest", "19 groups", "7 groups", "5 groups", "together"])

    @field_validator("ethnicity_reference")
    @classmethod
    def _reference(cls, value: str) -> str:
        from efl.workforce.classification import built_in

        ethnic = built_in().get("race")
        if ethnic is not None and ethnic.read(value).category is None:
            raise ValueError(f"'{value}' is not an ethnic group of the Census 2021 classification "
                             "(expected a group such as White British)")
        return value


class Assessment(Strict):
    """An assessment folder's assessment.yaml: the council, the date, the evidence and any claims."""

    framework: str = Field(default="eflg-2014", description="The framework edition, e.g. eflg-2014 "
                           "('efl frameworks' lists them).")
    council: Council = Field(description="The council being assessed.")
    date: dt.date = Field(description="The assessment date, written YYYY-MM-DD: evidence ages are measured from it.")
    period: Period | None = Field(default=None, description="The year the assessment looks back on.")
    assessor: Assessor = Field(default=Assessor(), description="Who made the assessment.")
    local_characteristics: list[str] = Field(default=[], description="Characteristics the council has adopted "
                                             "besides the nine protected ones, e.g. [carers].")
    values: Values | None = Field(default=None, description="How this council's files write people's "
                                  "characteristics, beyond the words efl knows.")
    evidence: list[EvidenceItem] = Field(default=[], description="The evidence, one entry per item.")
    claims: dict[str, Claim] = Field(default={}, description="The level claimed per area (or outcome per "
                                     "criterion), by area or criterion id.")
    agreed: dict[str, Agreed] = Field(default={}, description="After a peer challenge: the level agreed per area.")
    challenges: list[Challenge] = Field(default=[], description="A peer challenge's questions, the council's "
                                        "responses and where each stands.")
    evidence_requests: list[EvidenceRequest] = Field(default=[], description="Evidence the peer team asked for, "
                                                     "and when it came.")
    agreed_actions: list[AgreedAction] = Field(default=[], description="Actions the council and the peer team "
                                               "agreed.")
    sign_off: SignOff | None = Field(default=None, description="The lead peer's and the council's acceptance of "
                                     "the record.")
    feedback: Feedback | None = Field(default=None, description="A peer challenge's feedback: the team, the "
                                      "visit, who was met, strengths, areas for consideration, recommendations, "
                                      "next steps.")
    # A peer judgement can point at the council's folder instead of copying its evidence.
    evidence_from: str | None = Field(default=None, description="A peer judgement's path to the council's "
                                      "folder, whose evidence it reads, e.g. ../council.")
    note: Text = Field(default="", description="A note for readers.")
    # Who does what: the council's posts, the bodies that receive reports, which post leads the
    # actions a framework gives to a generic owner ("council", "managers"), and the council's own
    # action plan file (YAML, CSV or XLSX inside the folder). All optional.
    roles: dict[str, Role] = Field(default={}, description="The council's posts that can lead actions, by id.")
    bodies: dict[str, Body] = Field(default={}, description="The boards or committees that receive equality "
                                    "reports, by id.")
    owners: dict[str, str] = Field(default={}, description="Which post (a role id) leads the actions a framework "
                                   "gives to a generic owner such as council or managers.")
    contact: str | None = Field(default=None, description="The role id of the post readers of a report should "
                                "contact.")
    plan: str | None = Field(default=None, description="The council's own action plan file (YAML, CSV or XLSX), "
                             "as a path inside the folder.")
    # Local choices about the framework, each shown as such in every report.
    waivers: list[Waiver] = Field(default=[], description="Criteria the council has approved not meeting for "
                                  "now, each with its reason, approver and expiry date (never a legal duty).")
    tailoring: str | None = Field(default=None, description="Local tailoring of the framework: a file inside the "
                                  "folder, or the id of a tailoring a plugin ships.")
    target: Text | None = Field(default=None, description="The level the council aims for, e.g. Achieving: every "
                                "report then says what it would take to reach it (as --target does).")
    pay_gaps: PayGaps | None = Field(default=None, description="How the ethnicity and disability pay gaps are "
                                     "worked out where the guidance leaves a choice.")
    meeting: Meeting | None = Field(default=None, description="The meeting that takes the committee report "
                                    "(its front sheet): body, date, report of, portfolio, key decision, wards.")
    # The Census classifications the loaded plugins provide, handed to evidence parsers and fact
    # plugins with the assessment (efl.workforce.classification.classifications_for reads it).
    _classifications: Any = PrivateAttr(default=None)
    # The framework being assessed, handed to evidence parsers the same way, so that a file naming the
    # framework's ids (manager returns) is checked against them (efl.framework_for reads it).
    _framework: Any = PrivateAttr(default=None)
    # The installed frameworks (a FrameworkCatalogue), so a parser can tell another edition's id from a slip.
    _frameworks: Any = PrivateAttr(default=None)

    _ids = field_validator("local_characteristics", mode="before")(lambda cls, value: characteristic_ids(value))

    @field_validator("local_characteristics")
    @classmethod
    def _nonempty(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item:
                raise ValueError("an empty name is not a characteristic (expected words such as carers)")
        return value


# --- results ---------------------------------------------------------------------------------------

class Trace(Record):
    """How one rule (and its children) reached its outcome: what ``--explain`` prints."""

    rule: str
    outcome: Outcome
    reason: str
    problem: Literal["missing_evidence", "stale_evidence", "no_figure", "below_standard"] | None = None
    evidence: list[str] = empty_list()
    facts: list[str] = empty_list()
    children: list["Trace"] = empty_list()
    # Set by a rule that judges something with a deadline (the built-in ``duty`` rule, or a plugin's):
    # the engine lifts the earliest due date among the leaves that decided the outcome onto the
    # criterion's result (``CriterionResult.due`` and ``overdue``), and the action proposer uses it.
    # Most rules have no deadline: the two fields are left out of the JSON then, not repeated in every trace.
    due: dt.date | None = Field(default=None, exclude_if=lambda v: v is None,
                                description="When what this rule checks is (next) due, if it has a deadline.")
    overdue: bool = Field(default=False, exclude_if=lambda v: not v,
                          description="Whether that due date had passed on the assessment date.")
    # Set by a rule that judges a statutory duty no law imposed on the assessment date (before the law
    # that imposes it, or only in a bill): then no report calls the criterion a legal duty that day.
    not_law: bool = Field(default=False, exclude_if=lambda v: not v,
                          description="true when what this rule checks was not a legal duty on the assessment date.")


class CriterionResult(Record):
    """One criterion's outcome, with the reasons, the evidence and facts used, and the rule's trace."""

    id: str
    title: str
    level: str
    statutory: bool = False
    outcome: Outcome
    reasons: list[str]
    evidence: list[str] = empty_list()
    facts: list[str] = empty_list()
    trace: Trace
    applies: Trace | None = None
    source: str = ""
    # For a statutory duty: when it (or, once met, its next publication) is due, and whether that has passed.
    due: dt.date | None = None
    overdue: bool = False
    # A live waiver made it not applicable (its record is in Result.waivers).
    waived: bool = False
    # How local tailoring changed it: added, its rule replaced, not used locally, its action reworded.
    local: list["LocalChange"] = empty_list()


class Action(Record):
    """One action of the plan: what to do, why, who owns it, its priority (1 is most urgent) and when it is due."""

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


class AreaResult(Record):
    """One area's result: the level the evidence supports, any claimed or agreed level, its criteria and actions."""

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
    actions: list[Action] = empty_list()


class Share(Record):
    """What a rate counts: ``part`` of ``whole`` (e.g. 247 of 400 staff recorded their sexual orientation),
    so that what it would take to reach a rate can be said in people (``efl assess --target``)."""

    part: int = Field(ge=0, description="How many are counted, e.g. 247.")
    whole: int = Field(ge=1, description="Out of how many, e.g. 400.")
    counted: str = Field(min_length=1, description="Who or what is counted, in words that follow a number: "
                         "'staff recording their sexual orientation'.")
    one: str = Field(default="", description="The same words after the number 1, when they differ: 'key "
                     "decision with an equality impact assessment'.")
    basis: str = Field(default="", description="What stays the same when the figure changes, as words that "
                       "follow a comma: \"at today's headcount\".")
    per: int = Field(default=100, ge=1, description="The scale of the rate: 100 for a percentage, 1 for a "
                     "proportion.")


class FactValue(Record):
    """A figure or finding worked out from the evidence, with the evidence it came from."""

    name: str
    value: Any
    evidence: list[str] = []
    statement: str | None = None
    plugin: str = ""
    # What a rate counts, one share per part (a "lowest rate" fact lists every part it is the lowest of).
    shares: list[Share] = []
    # Set in a what-if (--assume): the value is assumed, not worked out from the evidence.
    assumed: bool = False


class CalendarRef(Record):
    """The statutory calendar a framework named, with its file's sha256."""

    id: str
    version: str
    sha256: str
    # The duties of the calendar that the framework's criteria judge: the only ones its papers cite.
    duties: list[str] = []


class FrameworkRef(Record, LevelOrder):
    """The framework edition used, with its file's sha256 and its levels."""

    id: str
    version: str
    title: str
    sha256: str
    levels: list[Level]
    calendar: CalendarRef | None = None
    tailoring: "TailoringRef | None" = None


class TailoringRef(Record):
    """The local tailoring applied to the framework: its file (or the plugin that ships it), its sha256 and
    what it changed."""

    id: str | None = None
    title: str = ""
    version: str = ""
    base: str
    file: str | None = None      # inside the assessment folder, when the tailoring is the council's own file
    plugin: str | None = None    # the plugin that ships it, when it is not
    sha256: str
    added: list[str] = []        # criteria added
    rules: list[str] = []        # criteria whose rule was replaced
    not_used: list[str] = []     # criteria not used locally
    actions: list[str] = []      # criteria whose action, owner or due date was reworded
    characteristics: list[str] = []


class LocalChange(Record):
    """One local change to a criterion, in words for reports."""

    kind: Literal["added", "rule", "not_used", "action"]
    note: str


class WaiverRecord(Record):
    """A waiver from assessment.yaml as it stood on the assessment date, and what the evidence says without it."""

    criterion: str
    area: str
    title: str
    reason: str
    approved_by: str          # as written
    approver: str             # in words: the role's title (and who holds it), or the name written
    approved_on: dt.date
    expires: dt.date
    status: Literal["live", "expired", "not_yet_approved"]
    applied: bool             # live, and it changed the outcome to not applicable
    outcome: Outcome          # the evidence's outcome without the waiver
    reasons: list[str] = []   # the evidence's reasons without it
    note: str = ""


class Assumption(Record):
    """A figure assumed for a what-if (``--assume FACT=VALUE`` or ``--assume-file``)."""

    fact: str
    description: str = ""
    unit: Literal["", "%"] = ""  # "%" when the fact is a percentage
    value: Any
    evidence_value: Any = None   # what the evidence gives (None when it gives no figure)
    from_evidence: bool = False  # whether the evidence gives a figure at all
    source: str                  # "--assume" or the file and line
    note: str = ""


class PeopleNeeded(Record):
    """How many more (or fewer) people or items a rate needs, the whole staying the same."""

    counted: str
    part: int
    whole: int
    needed: int
    change: int                   # needed - part: positive means more, negative fewer
    basis: str = ""
    words: str                    # "73 more staff recording their sexual orientation"
    possible: bool = True         # False when even every one of the whole would not be enough


class Need(Record):
    """What one condition of a criterion's rule would take: the figure now and the figure needed.

    ``kind`` is ``choice`` when any one of ``options`` is enough, ``all`` when each of them is needed;
    other kinds are single conditions.
    """

    kind: Literal["figure", "no_figure", "evidence", "condition", "choice", "all"]
    sentence: str
    condition: str = ""
    now: str | None = None
    needed: str = ""
    fact: str | None = None
    value: Any = None
    operator: str | None = None
    threshold: Any = None
    people: list[PeopleNeeded] = []
    evidence: list[str] = []
    options: list["Need"] = []


class TargetCriterion(Record):
    """A criterion not yet met up to the target level, what it would take, and its action."""

    id: str
    title: str
    area: str
    level: str
    outcome: Outcome
    statutory: bool = False
    local: list[LocalChange] = []
    needs: list[Need]
    action: str | None = None
    owner: str | None = None
    lead: str | None = None
    due: dt.date | None = None
    overdue: bool = False
    priority: int | None = None


class WaiverLapse(Record):
    """A live waiver on the way to the target: when it ends, and what the criterion needs then."""

    criterion: str
    area: str
    title: str
    expires: dt.date
    counts_from: dt.date         # the day after it expires
    outcome: Outcome             # the evidence's outcome without the waiver
    needs: list[Need] = []


class TargetArea(Record):
    """One area against the target: its level now and every criterion not yet met up to the target."""

    id: str
    title: str
    level: str | None
    reached: bool
    criteria: list[TargetCriterion] = []
    scored_by: str = ""
    lapses: list[WaiverLapse] = []


class Target(Record):
    """What it would take to reach a level (``efl assess --target LEVEL``), per area."""

    level: str
    area: str | None = None        # --area: only this area
    overall: str | None            # the overall level now
    reached: bool                  # the overall level is already at or above the target
    held_back_by: list[str] = []   # areas below the target, lowest first: they hold the overall level back
    lowest: list[str] = []         # the areas at today's overall level
    areas: list[TargetArea]
    lapses: list[WaiverLapse] = []  # every live waiver up to the target, soonest first


class EvidenceRef(Record):
    """An evidence item used, with its file's sha256."""

    id: str
    type: str
    file: str | None
    date: dt.date
    sha256: str | None
    illustrative: bool = False
    # For the list of background papers (schema 1.3): its title, where it is published, and whether
    # it holds personal data (never listed as a background paper).
    title: str = ""
    url: str | None = None
    published: dt.date | None = None
    personal: bool = False


class PluginRef(Record):
    """A plugin that shaped the result."""

    name: str
    distribution: str
    version: str


class Window(Record):
    """The day "within the last year" (or three years...) looks back from, and where that day came from."""

    end: dt.date
    basis: Literal["period", "date"]
    statutory_on: dt.date  # statutory deadlines are judged on the assessment date itself


class MeetingRef(Record):
    """The meeting that takes the report, with bodies and posts named in words."""

    body: str | None = None
    date: dt.date | None = None
    decision_maker: str | None = None
    report_of: str | None = None
    portfolio: str | None = None
    key_decision: bool | None = None
    wards: str = "All wards"
    exempt: str | None = None


class AssessmentRef(Record):
    """Whose assessment this is, when, by whom, and the levels they claimed."""

    council: Annotated[str, BeforeValidator(_one_form)]
    date: dt.date
    period: Period | None = None
    window: Window | None = None
    assessor: Assessor
    claims: dict[str, Claim] = {}
    evidence_from: str | None = None
    contact: str | None = None
    # The committee report's front sheet (schema 1.3), in words: the body, date and people named.
    meeting: MeetingRef | None = None
    lead_member: str | None = None
    # The record of a peer challenge (schema 1.2), so a saved result can still make the feedback report.
    agreed: dict[str, Agreed] = {}
    challenges: list[Challenge] = []
    evidence_requests: list[EvidenceRequest] = []
    agreed_actions: list[AgreedAction] = []
    sign_off: SignOff | None = None
    feedback: Feedback | None = None  # schema 1.3


class PluginFailure(Record):
    """A plugin that failed while a result was being worked out (the result is then incomplete)."""

    plugin: str
    hook: str
    message: str


class WarningRef(Record):
    """Something suspicious but usable in the evidence: where it is (relative to the folder) and what."""

    file: str
    line: int = 0
    col: int = 0
    message: str


class Result(Record):
    """The result of assessing one folder: what 'efl assess --format json' writes."""

    schema_version: str = Field(description="The version of this result format (the schema's file is named "
                                "with it).")
    efl_version: str = Field(description="The efl version that made the result.")
    framework: FrameworkRef = Field(description="The framework edition assessed against.")
    assessment: AssessmentRef = Field(description="The assessment folder's council, date and assessor.")
    overall_level: str | None = Field(description="The lowest level reached by any area (null: not yet the "
                                      "first level).")
    areas: list[AreaResult] = Field(description="Per area: level, criteria and actions.")
    actions: list[Action] = Field(description="The whole action plan, most urgent first.")
    facts: list[FactValue] = Field(description="Every figure worked out from the evidence.")
    evidence: list[EvidenceRef] = Field(description="Every evidence item, with its sha256.")
    plugins: list[PluginRef] = Field(description="Every plugin loaded.")
    incomplete: bool = Field(default=False, description="true if a plugin failed and the result was written "
                             "anyway: some facts are missing, so levels may be too low.")
    failures: list[PluginFailure] = Field(default=[], description="The plugins that failed, and how.")
    action_plan: bool = Field(default=True, description="false when no loaded plugin proposes actions, so an "
                              "empty action plan means nothing.")
    warnings: list[WarningRef] = []
    hypothetical: bool = Field(default=False, description="true for a what-if (--assume): some figures are "
                               "assumed, so this is not the council's own result.")
    assumptions: list[Assumption] = Field(default=[], description="The figures a what-if assumed.")
    waivers: list[WaiverRecord] = Field(default=[], description="Every waiver in assessment.yaml: live, expired "
                                        "or not yet approved on the assessment date.")
    target: Target | None = Field(default=None, description="What it would take to reach a level (--target).")

    def level_title(self, level: "str | None") -> "str":
        if level is None or level == NOT_YET:
            return f"Not yet {self.framework.levels[0].title}"
        return next((lv.title for lv in self.framework.levels if lv.id == level), level)
