"""Crosswalks: which areas and criteria of one framework edition correspond to which of another.

A crosswalk is data (``frameworks/crosswalks/*.yaml``, ``kind: crosswalk``), registered through the
same hook as frameworks. Each pairing is ``same`` (same meaning), ``changed`` (comparable, wording or
scope changed), ``new`` (only in the later edition) or ``dropped`` (only in the earlier one). A
crosswalk must account for every criterion of both editions, so nothing is silently left out of a
comparison. It can be read in either direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from efl.errors import Diagnostic, InputError
from efl.files.yamlio import YamlDocument, parse_yaml, pydantic_diagnostics, read_text

Relation = Literal["same", "changed", "new", "dropped"]


class Pairing(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    relation: Relation
    note: str = ""
    source: str = ""


class LevelPairing(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from")
    to: str | None
    confidence: Literal["confirmed", "partial", "unconfirmed"]
    source: str = ""


class CrosswalkFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    kind: Literal["crosswalk"]
    id: str
    version: str = "1"
    title: str = ""
    from_: str = Field(alias="from")
    to: str
    source: str = ""
    note: str = ""
    areas: list[Pairing] = []
    criteria: list[Pairing] = []
    levels: list[LevelPairing] = []


@dataclass(frozen=True)
class Pair:
    """One pairing of a crosswalk as seen from ``origin`` (side a) to ``target`` (side b).

    ``relation`` is ``same`` or ``changed`` when both sides are there, ``only_a`` or ``only_b``
    when one edition has no counterpart: words that do not depend on which edition is older.
    """

    a: str | None
    b: str | None
    relation: str
    note: str = ""


@dataclass(frozen=True)
class LevelMatch:
    level: str | None
    confidence: str
    source: str


@dataclass
class Crosswalk:
    """One crosswalk, read from ``origin`` to ``target`` (possibly the file's reverse)."""

    id: str
    origin: str
    target: str
    data: CrosswalkFile
    is_reverse: bool = False
    area_pairs: list[Pair] = field(default_factory=list)
    criterion_pairs: list[Pair] = field(default_factory=list)
    # A level of the origin edition -> the target levels it corresponds to (several when read backwards).
    level_map: dict[str, list[LevelMatch]] = field(default_factory=dict)

    def reversed(self) -> Crosswalk:
        return build(self.data, reverse=not self.is_reverse)

    def areas_for(self, area_id: str) -> list[str]:
        """The target areas an origin area corresponds to (one, or several where the target split it)."""
        return [p.b for p in self.area_pairs if p.a == area_id and p.b is not None]

    def area(self, area_id: str) -> str | None:
        found = self.areas_for(area_id)
        return found[0] if found else None

    def criterion(self, criterion_id: str) -> str | None:
        """The target criterion an origin criterion corresponds to (criteria pair one to one)."""
        return next((p.b for p in self.criterion_pairs if p.a == criterion_id), None)

    def note(self, criterion_id: str) -> str:
        return next((p.note for p in self.criterion_pairs if p.a == criterion_id), "")

    def levels_for(self, level: str | None) -> list[LevelMatch]:
        return self.level_map.get(level or "", [])


def build(data: CrosswalkFile, reverse: bool = False) -> Crosswalk:
    origin, target = (data.to, data.from_) if reverse else (data.from_, data.to)
    walk = Crosswalk(data.id, origin, target, data, reverse)

    def pairs(pairings: list[Pairing]) -> list[Pair]:
        out = []
        for p in pairings:
            a, b = (p.to, p.from_) if reverse else (p.from_, p.to)
            relation = p.relation if p.relation in ("same", "changed") else ("only_a" if b is None else "only_b")
            if p.relation not in ("same", "changed"):
                a, b = (a, None) if relation == "only_a" else (None, b)
            note = p.note or (f"only in {origin}" if relation == "only_a" else
                              f"only in {target}" if relation == "only_b" else "")
            out.append(Pair(a, b, relation, note))
        return out

    walk.area_pairs = pairs(data.areas)
    walk.criterion_pairs = pairs(data.criteria)
    for lp in data.levels:
        a, b = (lp.to, lp.from_) if reverse else (lp.from_, lp.to)
        if a is not None:
            walk.level_map.setdefault(a, []).append(LevelMatch(b, lp.confidence, lp.source))
    return walk


def read_crosswalk(path, shown: str, text: str | None = None) -> tuple[CrosswalkFile, YamlDocument]:  # noqa: ANN001
    """A crosswalk file, checked; ``text`` is its text when the framework index has read it already."""
    doc = parse_yaml(read_text(path, shown) if text is None else text, shown)
    try:
        return CrosswalkFile.model_validate(doc.data), doc
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, doc, CrosswalkFile)) from None


def check_coverage(data: CrosswalkFile, doc: YamlDocument, origin, target) -> list[Diagnostic]:  # noqa: ANN001
    """Every criterion and area of both editions accounted for exactly once, and nothing unknown."""
    errors: list[Diagnostic] = []
    for kind, pairings, a_ids, b_ids in (
            ("area", data.areas, [a.id for a in origin.areas], [a.id for a in target.areas]),
            ("criterion", data.criteria, [c.id for a in origin.areas for c in a.criteria],
             [c.id for a in target.areas for c in a.criteria])):
        key = "areas" if kind == "area" else "criteria"
        for side, ids, attr, needs in (("from", a_ids, "from_", ("same", "changed", "dropped")),
                                       ("to", b_ids, "to", ("same", "changed", "new"))):
            seen: dict[str, int] = {}
            for i, p in enumerate(pairings):
                value = getattr(p, attr)
                line, col = doc.locate((key, i))
                if p.relation in needs and value is None:
                    errors.append(Diagnostic(doc.path, line, col, f"a '{p.relation}' pairing needs '{side}' "
                                             f"(expected a {kind} id)"))
                if value is None:
                    continue
                if value not in ids:
                    errors.append(Diagnostic(doc.path, line, col, f"'{value}' is not a {kind} of "
                                             f"{data.from_ if side == 'from' else data.to}"))
                # Two areas may merge into one (kyc and iyc into uwc); criteria pair one to one.
                if value in seen and not (kind == "area" and side == "to"):
                    errors.append(Diagnostic(doc.path, line, col, f"{kind} '{value}' appears twice on the "
                                             f"'{side}' side (expected once)"))
                seen[value] = i
            for ident in ids:
                if ident not in seen:
                    errors.append(Diagnostic(doc.path, 1, 1, f"{kind} '{ident}' of "
                                             f"{data.from_ if side == 'from' else data.to} is not in the crosswalk "
                                             f"(expected every {kind} of both editions)"))
    return errors


class Crosswalks:
    """The crosswalks installed, found by the pair of framework ids they link."""

    def __init__(self, catalogue):  # noqa: ANN001 - a FrameworkCatalogue
        self.catalogue = catalogue
        # A trend asks for the same pair once per result and step: read and check each file once.
        self._checked: dict[frozenset, CrosswalkFile] = {}

    def between(self, origin: str, target: str) -> Crosswalk:
        pair = frozenset((origin, target))
        if pair not in self._checked:
            self._checked[pair] = self._find(origin, target)
        data = self._checked[pair]
        return build(data, reverse=data.from_ != origin)

    def _find(self, origin: str, target: str) -> CrosswalkFile:
        for entry in self.catalogue.crosswalks().values():
            data, doc = read_crosswalk(entry.path, str(entry.path), entry.text)
            if {data.from_, data.to} == {origin, target}:
                errors = check_coverage(data, doc, self.catalogue.load(data.from_).framework,
                                        self.catalogue.load(data.to).framework)
                if errors:
                    raise InputError(errors)
                return data
        raise InputError(Diagnostic("efl compare", message=f"results use different frameworks, {origin} and {target}, "
                                    "and no installed crosswalk links them (expected results from one framework, "
                                    "or a crosswalk in frameworks/crosswalks/)"))


    def listed(self) -> list[dict[str, str]]:
        """Each crosswalk with the two editions it links, for ``efl frameworks``."""
        out = []
        for entry in self.catalogue.crosswalks().values():
            data, _ = read_crosswalk(entry.path, str(entry.path), entry.text)
            out.append({"id": entry.id, "from": data.from_, "to": data.to, "plugin": entry.plugin})
        return out



def installed_crosswalks(host) -> Crosswalks:  # noqa: ANN001
    """The installed crosswalks (one-off; an engine keeps its own, with its framework catalogue)."""
    from efl.core.framework import FrameworkCatalogue

    return Crosswalks(FrameworkCatalogue(host))
