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

from .errors import Diagnostic, InputError
from .yamlio import YamlDocument, parse_yaml, pydantic_diagnostics, read_text

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


@dataclass
class Crosswalk:
    """One crosswalk, read from ``origin`` to ``target`` (possibly the file's reverse)."""

    id: str
    origin: str
    target: str
    area_map: dict[str, str | None] = field(default_factory=dict)
    criterion_map: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    level_map: dict[str, LevelPairing] = field(default_factory=dict)

    def level_sentence(self, level: str | None, title: str) -> str | None:
        """What a level of the origin edition corresponds to in the target, with how sure that is."""
        pairing = self.level_map.get(level or "")
        if pairing is None:
            return None
        return (f"{title} in {self.origin} corresponds to {pairing.to or 'no level'} in {self.target} "
                f"({pairing.confidence}; {pairing.source or 'no source'}).")

    def area(self, area_id: str) -> str | None:
        return self.area_map.get(area_id)

    def criterion(self, criterion_id: str) -> str | None:
        return self.criterion_map.get(criterion_id)

    def note(self, criterion_id: str) -> str:
        return self.notes.get(criterion_id, "")


def build(data: CrosswalkFile, reverse: bool = False) -> Crosswalk:
    origin, target = (data.to, data.from_) if reverse else (data.from_, data.to)
    walk = Crosswalk(data.id, origin, target)

    def fill(pairings: list[Pairing], into: dict[str, str | None]) -> None:
        for p in pairings:
            a, b = (p.to, p.from_) if reverse else (p.from_, p.to)
            if a is None:
                continue
            comparable = p.relation in ("same", "changed")
            into[a] = b if comparable else None
            if not comparable:
                relation = _flip(p.relation) if reverse else p.relation
                walk.notes[a] = f"{relation}: no longer in {target}" + (f" ({p.note})" if p.note else "")

    fill(data.areas, walk.area_map)
    fill(data.criteria, walk.criterion_map)
    if not reverse:
        walk.level_map = {lp.from_: lp for lp in data.levels}
    return walk


def _flip(relation: str) -> str:
    return {"new": "dropped", "dropped": "new"}.get(relation, relation)


def read_crosswalk(path, shown: str) -> tuple[CrosswalkFile, YamlDocument]:  # noqa: ANN001
    doc = parse_yaml(read_text(path, shown), shown)
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
            data, doc = read_crosswalk(entry.path, str(entry.path))
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
            data, _ = read_crosswalk(entry.path, str(entry.path))
            out.append({"id": entry.id, "from": data.from_, "to": data.to, "plugin": entry.plugin})
        return out

