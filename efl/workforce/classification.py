"""Census 2021 classifications as data: the groups people are counted in, how files write them, and
the roll-ups between levels.

A classification is a YAML file (``kind: classification``) shipped in ``frameworks/classifications/``
and registered like frameworks and calendars (``efl_register_frameworks``), so a plugin can add one
or extend one. Each file is one characteristic as Census 2021 (England and Wales) classifies it:

* ``categories``: a tree of groups with ONS's exact ``label``, a plain ``name`` for sentences, the
  ``aliases`` other standards and HR systems use (``White - British``, ``WBRI``, ``Straight``), and
  ``short`` forms read only under the parent's name (``Asian - Other`` is Other Asian);
* ``levels``, coarse to fine (ethnic group: the 5 high-level groups, 8 groups, the 19 detailed
  ones): every level is a partition of the finest groups, so any group rolls up to any coarser level;
* ``groupings``: other partitions people report by (White British and ethnic minority groups);
* ``population``: whom ONS's tables of it count (all usual residents, or those aged 16 and over);
* the words for no answer: ``not_answered``, ``not_recorded``, ``declined``, ``not_applicable``
  (``Does not apply``) and ``totals`` (rows that add the others up).

Reading, for plugins (``efl.provisional.classifications_for``)::

    library = efl.provisional.classifications_for(context)        # an AssessmentContext or an Assessment
    ethnic = library.get("race")                      # a Classification, or None
    match = ethnic.read("White - British")            # a Match: kind and category id
    match.category                                    # 'white-british'
    ethnic.read("WBRI").category                      # 'white-british' (DfE code)
    ethnic.roll_up("white-british", "high-level")     # 'white'
    ethnic.roll_up("white", "detailed")               # None: "White" alone cannot be split
    ethnic.group_of("white-irish", "white-british-and-minority")   # 'ethnic-minority'
    ethnic.group_of("white", "white-british-and-minority")         # None: straddles both groups
    library.get("disability").read("Yes").category    # 'disabled'

``read`` gives a :class:`Match` whose ``kind`` is one of efl's kinds of answer
(:mod:`efl.workforce.groups`): ``group`` (with ``category``), ``not recorded``, ``declined``; or
``total`` / ``unknown`` for a label that is a table's total or that the classification does not
know. :meth:`Classification.read_all` reads all the labels of one file at once, which settles a label
ONS uses at two levels ("All other sexual orientations" includes pansexual, asexual and queer unless
the file lists them too). :meth:`Classification.common_cut` finds the finest groups two files can
both be added up to, for comparing them.
"""

# Annotations are evaluated as written (no "from __future__ import annotations"): pydantic would
# otherwise compile each model field's annotation from a string when the classes are made (start-up).

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from efl.errors import Diagnostic, InputError

# Kinds of match besides efl's kinds of answer (GROUP, NOT_RECORDED, DECLINED in efl.workforce.groups).
TOTAL = "total"
UNKNOWN = "unknown"

_NON_WORD = re.compile(r"[^0-9a-z+]+")
_FILLERS = frozenset({"or", "and"})
_MEMO_LIMIT = 4096  # answers kept per kind of question, per classification (see Classification._memo)


def loose(text: str) -> str:
    """How labels are compared: case, punctuation, "and"/"or" and spacing do not matter, so ONS's
    ``White: English, Welsh, Scottish, Northern Irish or British`` and an HR system's
    ``White - English/Welsh/Scottish/Northern Irish/British`` are one label."""
    if type(text) is str:
        # Each text once per process: building the seven Census classifications asks 1,371 times
        # for 636 texts (a label, its name and aliases, again for every group above it).
        kept = _LOOSE.get(text)
        if kept is not None:
            return kept
    words = _NON_WORD.sub(" ", str(text).casefold().replace("&", " and ").replace("'", "")).split()
    made = " ".join(w for w in words if w not in _FILLERS)
    if type(text) is str and len(_LOOSE) < _LOOSE_LIMIT:
        _LOOSE[text] = made
    return made


_LOOSE: dict[str, str] = {}
_LOOSE_LIMIT = 20_000  # texts kept (the classifications' own, and the labels files use: a few thousand)


# --- the file format ---------------------------------------------------------------------------------

class _Strict(BaseModel):
    # Built on first use (ClassificationFile with every model inside it), not each at import (start-up).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class CategorySpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    name: str = ""
    code: int | None = None
    levels: list[str] = []
    short: list[str] = []
    aliases: list[str] = []
    categories: list["CategorySpec"] = []


class LevelSpec(_Strict):
    id: str
    title: str


class GroupSpec(_Strict):
    id: str
    name: str
    categories: list[str] = []
    rest: bool = False


class GroupingSpec(_Strict):
    id: str
    title: str
    groups: list[GroupSpec] = Field(min_length=2)


class YesNoSpec(_Strict):
    columns: list[str] = Field(min_length=1)
    yes: str
    no: str


class Population(_Strict):
    label: str
    ages: str = "all"


class ClassificationFile(_Strict):
    kind: str
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    version: str = "1"
    title: str = ""
    characteristic: str = ""
    source: str = ""
    caution: str = ""
    extends: str | None = None
    population: Population | None = None
    variables: list[str] = []
    not_answered: list[str] = []
    not_recorded: list[str] = []
    declined: list[str] = []
    not_applicable: list[str] = []
    totals: list[str] = []
    yes_no: list[YesNoSpec] = []
    levels: list[LevelSpec] = []
    categories: list[CategorySpec] = []
    groupings: list[GroupingSpec] = []
    band_sets: list[dict[str, Any]] = []
    # For ``extends:``: more aliases for the extended classification's categories, by category id.
    aliases: dict[str, list[str]] = {}


# --- the loaded classification ------------------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    """One group of a classification: ONS's label, a plain name, its place in the tree and its levels."""

    id: str
    label: str
    name: str
    parent: str | None
    children: tuple[str, ...]
    levels: tuple[str, ...]
    code: int | None = None


@dataclass(frozen=True)
class Match:
    """What one written label is: a group (``category`` set), not recorded, declined, a total, or unknown."""

    kind: str
    category: str | None = None


@dataclass(frozen=True)
class Grouping:
    """One grouping of a classification's categories, each group with the finest categories it holds."""

    id: str
    title: str
    groups: tuple[tuple[str, str, frozenset[str]], ...]  # (id, name, the finest categories it holds)


@dataclass
class Cut:
    """The finest groups two files can both be added up to (see :meth:`Classification.common_cut`).

    ``groups`` are the category ids compared, each added up on both sides; ``zero`` the groups one
    side has nobody in, with the side (``left`` or ``right``); ``rolled_up`` the groups
    compared coarser than the finest level because a side records no finer detail; ``level`` the
    classification level the groups make up, if they make up exactly one.
    """

    groups: list[str] = field(default_factory=list)
    zero: list[tuple[str, str]] = field(default_factory=list)
    rolled_up: list[str] = field(default_factory=list)
    level: str | None = None


class Classification:
    """One characteristic's groups as a tree with levels, and every way files write them."""

    def __init__(self, spec: ClassificationFile, shown: str = ""):
        self.spec = spec
        self.id = spec.id
        self.title = spec.title
        self.characteristic = spec.characteristic
        self.source = spec.source
        self.caution = spec.caution
        self.population = spec.population.label if spec.population else ""
        self.ages = _ages(spec.population.ages) if spec.population else (0, None)
        self.levels: list[tuple[str, str]] = [(lv.id, lv.title) for lv in spec.levels]
        self.band_sets = spec.band_sets
        self.categories: dict[str, Category] = {}
        self.roots: list[str] = []
        self._index: dict[str, set[str]] = {}
        self._scoped: dict[str, dict[str, set[str]]] = {}
        self._kinds: dict[str, str] = {}
        self._variables = sorted({loose(v) for v in spec.variables}, key=len, reverse=True)
        self._yes_no = [([loose(w).replace(" ", "_") for w in y.columns], (y.yes, y.no)) for y in spec.yes_no]
        finest = self.levels[-1][0] if self.levels else "main"
        for cat in spec.categories:
            self._add(cat, None, finest)
        for words, kind in ((spec.not_answered, "not recorded"), (spec.not_recorded, "not recorded"),
                            (spec.not_applicable, "not recorded"), (spec.declined, "declined"),
                            (spec.totals, TOTAL)):
            for word in words:
                self._kinds[loose(word)] = kind
        self.groupings: dict[str, Grouping] = {}
        for g in spec.groupings:
            self.groupings[g.id] = self._grouping(g)

    # building -----------------------------------------------------------------------------------------

    def _add(self, spec: CategorySpec, parent: str | None, finest: str) -> None:
        levels = tuple(spec.levels) + ((finest,) if not spec.categories and finest not in spec.levels else ())
        self.categories[spec.id] = Category(spec.id, spec.label, spec.name or spec.label, parent,
                                            tuple(c.id for c in spec.categories), levels, spec.code)
        if parent is None:
            self.roots.append(spec.id)
        for text in (spec.label, spec.name, *spec.aliases):
            self._index.setdefault(loose(text), set()).add(spec.id)
        suffix = spec.label.rsplit(": ", 1)[-1]
        scoped_words = {loose(w) for w in (suffix, spec.name, *spec.short, *spec.aliases, spec.label)}
        ancestor = parent
        while ancestor is not None:
            for w in scoped_words:
                self._scoped.setdefault(ancestor, {}).setdefault(w, set()).add(spec.id)
            ancestor = self.categories[ancestor].parent
        for child in spec.categories:
            self._add(child, spec.id, finest)

    def _grouping(self, spec: GroupingSpec) -> Grouping:
        named = {g.id: frozenset(x for c in g.categories if c in self.categories for x in self.leaves(c))
                 for g in spec.groups}
        rest = frozenset(self.leaves()) - frozenset().union(*named.values())
        return Grouping(spec.id, spec.title, tuple((g.id, g.name, rest if g.rest else named[g.id])
                                                   for g in spec.groups))

    def problems(self) -> list[str]:
        """What is wrong with the file beyond its schema: levels that are not partitions, a label of
        two unrelated groups, groupings naming unknown groups."""
        out = []
        level_ids = [lv for lv, _ in self.levels]
        for cat in self.categories.values():
            for lv in cat.levels:
                if lv not in level_ids:
                    out.append(f"category '{cat.id}' names level '{lv}', which the file does not declare")
        for lv in level_ids:
            for leaf in self.leaves():
                at = [a for a in self.ancestors(leaf) if lv in self.categories[a].levels]
                if len(at) != 1:
                    out.append(f"level '{lv}' does not hold the group '{leaf}' exactly once "
                               f"({len(at)} of its groups hold it; expected each level to divide all the groups)")
        for key, ids in self._index.items():
            if len(ids) > 1 and not self._nested(ids):
                out.append(f"'{key}' names more than one group ({', '.join(sorted(ids))}; expected each "
                           "label or alias to name one group, or a group and its own part)")
        for y in self.spec.yes_no:
            for c in (y.yes, y.no):
                if c not in self.categories:
                    out.append(f"yes_no names the group '{c}', which the file does not have")
        for g in self.spec.groupings:
            for group in g.groups:
                for c in group.categories:
                    if c not in self.categories:
                        out.append(f"grouping '{g.id}' names the group '{c}', which the file does not have")
        return out

    def _nested(self, ids: set[str]) -> bool:
        """Two groups sharing a label where one is the other's part (ONS's "All other ..." rows)."""
        a, b = sorted(ids, key=lambda i: len(self.ancestors(i)))[:2]
        return len(ids) == 2 and self.categories[b].parent == a

    # the tree -----------------------------------------------------------------------------------------

    def category(self, category_id: str) -> Category:
        return self.categories[category_id]

    def name(self, category_id: str) -> str:
        """The group's plain name for sentences (``White British``); an id it does not know is returned as it is."""
        cat = self.categories.get(category_id)
        return cat.name if cat else category_id

    # Answers that depend only on the classification (its tree and labels, fixed once built) and on
    # what is asked, kept for the process: a national batch reads the same Census labels and HR codes
    # and compares the same sets of groups for every council. tests/test_classification_memo.py checks
    # every kept answer against a fresh classification's, and that changing a returned value cannot
    # change a later one (each caller gets its own copy of anything mutable).

    def _memo(self, kind: str, key: Any, compute: Callable[[], Any]) -> Any:
        memos = self.__dict__.get("_memos")
        if memos is None:
            memos = self._memos = {}
        table = memos.setdefault(kind, {})
        try:
            return table[key]
        except KeyError:
            pass
        value = compute()
        if len(table) >= _MEMO_LIMIT:  # a run with endless distinct labels keeps memory flat
            table.clear()
        table[key] = value
        return value

    def ancestors(self, category_id: str) -> list[str]:
        """The group and every group above it, finest first."""
        return list(self._memo("ancestors", category_id, lambda: tuple(self._ancestors(category_id))))

    def _ancestors(self, category_id: str) -> list[str]:
        out = []
        current: str | None = category_id
        while current is not None:
            out.append(current)
            current = self.categories[current].parent
        return out

    def contains(self, outer: str, inner: str) -> bool:
        """Whether ``inner`` is ``outer`` or one of its parts."""
        return inner in self.categories and outer in self._memo(
            "above", inner, lambda: frozenset(self._ancestors(inner)))

    def leaves(self, category_id: str | None = None) -> list[str]:
        """The finest groups, of the whole classification or under one group, in the file's order."""
        start = [category_id] if category_id else self.roots
        out: list[str] = []
        stack = list(reversed(start))
        while stack:
            cid = stack.pop()
            cat = self.categories[cid]
            if cat.children:
                stack.extend(reversed(cat.children))
            else:
                out.append(cid)
        return out

    def at_level(self, level: str) -> list[str]:
        """The groups that make up one level, in the file's order."""
        return list(self._memo("at_level", level, lambda: tuple(sorted(
            (c.id for c in self.categories.values() if level in c.levels), key=self._order))))

    def _order(self, category_id: str) -> int:
        if not hasattr(self, "_positions"):
            self._positions = {cid: i for i, cid in enumerate(self._walk())}
        return self._positions[category_id]

    def _walk(self) -> list[str]:
        out: list[str] = []
        stack = list(reversed(self.roots))
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(reversed(self.categories[cid].children))
        return out

    def roll_up(self, category_id: str, level: str) -> str | None:
        """The group at ``level`` that holds ``category_id``; None if the group is coarser than that
        level (``White`` cannot be split into the detailed groups)."""
        if category_id not in self.categories:
            return None
        for a in self.ancestors(category_id):
            if level in self.categories[a].levels:
                return a
        return None

    def finest_level(self, category_id: str) -> str | None:
        """The finest level the group belongs to (a level the classification reports it at)."""
        levels = [lv for lv, _ in self.levels]
        own = [lv for lv in self.categories[category_id].levels if lv in levels]
        return max(own, key=levels.index) if own else None

    def level_title(self, level: str) -> str:
        return dict(self.levels).get(level, level)

    def group_of(self, category_id: str, grouping: str) -> str | None:
        """The group of a grouping (``white-british-and-minority``) that holds the category; None if
        the category straddles two of them (``White`` holds White British and White Irish)."""
        leaves = set(self.leaves(category_id)) if category_id in self.categories else set()
        for gid, _name, held in self.groupings[grouping].groups:
            if leaves and leaves <= held:
                return gid
        return None

    # reading ------------------------------------------------------------------------------------------

    def strip_variable(self, text: str) -> str:
        """A label without ONS's variable name in front (``Ethnic group: Asian, ...`` -> ``Asian, ...``)
        and without a nomis download's ``; measures: Value`` behind."""
        label = re.sub(r";\s*measures\s*:.*$", "", str(text), flags=re.IGNORECASE).strip()
        if ":" in label:
            head, rest = label.split(":", 1)
            if loose(head) in self._variables:
                return rest.strip()
        return label

    def read(self, text: str) -> Match:
        """What one label means (case, punctuation and spacing aside); ``unknown`` if the file does not know it."""
        if type(text) is not str:
            return self._read(text)
        return self._memo("read", text, lambda: self._read(text))  # a Match is frozen: shared as it is

    def _read(self, text: str) -> Match:
        label = self.strip_variable(text)
        k = loose(label)
        if k in self._kinds:
            return Match(self._kinds[k])
        ids = self._index.get(k)
        if ids:
            return Match("group", self._outer(ids))
        found = self._read_prefixed(label)
        return Match("group", found) if found else Match(UNKNOWN)

    def _outer(self, ids: set[str]) -> str:
        return min(ids, key=lambda i: len(self.ancestors(i)))

    def _read_prefixed(self, label: str) -> str | None:
        """``Asian - Other``, ``Black or Black British: African``, ``Mixed (White and Asian)``: a group's
        name, a separator, then a part's short name."""
        for match in re.finditer(r"\s*(?::|\s[-\u2013\u2014]\s|\(|\s/\s|-)\s*", label):
            head, rest = label[:match.start()], label[match.end():].rstrip(") ")
            parents = self._index.get(loose(head))
            if not parents or not rest:
                continue
            parent = self._outer(parents)
            inside = self._scoped.get(parent, {}).get(loose(rest))
            if inside:
                return self._outer(inside)
        return None

    def read_all(self, texts: Iterable[str]) -> dict[str, Match]:
        """Every label of one file, read together: a label ONS gives to a group and to its own part
        (``All other sexual orientations``) is read as the part when the file lists the part's siblings."""
        texts = tuple(texts)
        if not all(type(t) is str for t in texts):
            return self._read_all(texts)
        return dict(self._memo("read_all", texts, lambda: self._read_all(texts)))

    def _read_all(self, texts: tuple) -> dict[str, Match]:
        out = {t: self.read(t) for t in texts}
        present = {m.category for m in out.values() if m.category}
        for t, m in out.items():
            ids = self._index.get(loose(self.strip_variable(t)))
            if m.category and ids and len(ids) == 2:
                outer = self._outer(ids)
                inner = next(i for i in ids if i != outer)
                siblings = set(self.categories[outer].children) - {inner}
                if siblings & present or any(self.contains(s, p) for s in siblings for p in present):
                    out[t] = Match("group", inner)
        return out

    @property
    def asks_yes_no(self) -> bool:
        """Whether a bare yes or no means different groups depending on the question (gender identity)."""
        return bool(self._yes_no)

    def yes_no(self, column: str) -> tuple[str, str] | None:
        """The categories a bare yes and a bare no mean in a column of this name, from the file's
        ``yes_no`` entries (a "same as sex registered at birth?" column, or a "trans?" one); None when
        the name does not say."""
        name = loose(column).replace(" ", "_")
        for words, meaning in self._yes_no:
            if any(w and w in name for w in words):
                return meaning
        return None

    # comparing ----------------------------------------------------------------------------------------

    def common_cut(self, left: Iterable[str], right: Iterable[str]) -> Cut:
        """The finest groups both sides can be added up to, for comparing two files group by group.

        ``left`` and ``right`` are the groups each file has figures for. A branch is split as long as
        both sides have figures inside it and neither records only its coarse group (an HR file with
        just "White" keeps White whole, and a Census table's five White groups are added up to it).
        A group one side has nothing in, while it has figures beside it, is 0 on that side (``zero``):
        the file records people at that level and nobody is in the group. Subtotal rows (a group
        listed beside its own parts) must be removed first: see :meth:`without_subtotals`.
        """
        sides = (frozenset(c for c in left if c in self.categories), frozenset(c for c in right if c in self.categories))
        cut = self._memo("common_cut", sides, lambda: self._common_cut(*sides))
        return Cut(list(cut.groups), list(cut.zero), list(cut.rolled_up), cut.level)

    def _common_cut(self, *sides: frozenset[str]) -> Cut:
        below = [{a for c in side for a in self.ancestors(c)} for side in sides]  # groups with figures at or below
        cut = Cut()

        def split(cid: str) -> None:
            has = [cid in b for b in below]
            if not any(has):
                return
            cat = self.categories[cid]
            if all(has) and cat.children and all(cid not in side for side in sides):
                for child in cat.children:
                    split(child)
                return
            if not all(has):
                # One side has nobody here: 0 in each group the other side gives (its outermost ones).
                other = sides[0] if has[0] else sides[1]
                inside = [c for c in other if self.contains(cid, c)]
                outer = [c for c in inside if not any(o != c and self.contains(o, c) for o in inside)]
                for c in sorted(outer, key=self._order):
                    cut.groups.append(c)
                    cut.zero.append((c, "left" if not has[0] else "right"))
                return
            cut.groups.append(cid)
            if cat.children:
                cut.rolled_up.append(cid)

        for root in self.roots:
            split(root)
        chosen = set(cut.groups)
        for lv, _ in self.levels:
            related = {c for c in self.at_level(lv) if any(self.contains(c, g) or self.contains(g, c) for g in chosen)}
            if related == chosen:
                cut.level = lv
                break
        return cut

    def without_subtotals(self, groups: Iterable[str]) -> tuple[set[str], set[str]]:
        """A table's groups without the subtotal rows that add up others it lists (ONS's TS002 lists
        "Married or in a registered civil partnership" and its parts): (groups kept, groups dropped).

        A group listed beside some of its parts is kept if the parts do not make it up whole, and the
        parts are dropped instead, so no one is counted twice either way.
        """
        listed = frozenset(g for g in groups if g in self.categories)
        kept, dropped = self._memo("without_subtotals", listed, lambda: self._without_subtotals(listed))
        return set(kept), set(dropped)

    def _without_subtotals(self, listed: frozenset[str]) -> tuple[set[str], set[str]]:
        @functools.cache
        def whole(cid: str) -> bool:  # the listed parts make the group up
            children = self.categories[cid].children
            return bool(children) and all(ch in listed or whole(ch) for ch in children)

        dropped: set[str] = set()
        for g in sorted(listed, key=lambda c: len(self.ancestors(c))):
            if g in dropped:
                continue
            parts = {c for c in listed if c != g and self.contains(g, c)}
            if not parts:
                continue
            if whole(g):
                dropped.add(g)
            else:
                dropped |= parts
        return listed - dropped, dropped


def _ages(text: str) -> tuple[int, int | None]:
    if text.strip().lower() in ("all", "0+", ""):
        return 0, None
    first, _, last = text.partition("-")
    if first.endswith("+"):
        return int(first[:-1]), None
    return int(first), (int(last) if last else None)


# --- the set of classifications in use --------------------------------------------------------------

class ClassificationSet:
    """The classifications in use, one per characteristic (a plugin's file can extend one)."""

    def __init__(self, classifications: Iterable[Classification] = (), where: dict[str, str] | None = None):
        self._by_characteristic: dict[str, Classification] = {}
        self._by_id: dict[str, Classification] = {}
        for c in classifications:
            other = self._by_characteristic.get(c.characteristic)
            if other is not None:
                raise InputError(Diagnostic((where or {}).get(c.id, c.id), 1, 1, f"classifications '{other.id}' and '{c.id}' are both for "
                                            f"{c.characteristic} (expected one per characteristic; to add words to "
                                            f"one, write a file with 'extends: {other.id}')"))
            self._by_characteristic[c.characteristic] = c
            self._by_id[c.id] = c

    def get(self, characteristic: str) -> Classification | None:
        """The classification of a characteristic id (``race``), or None."""
        return self._by_characteristic.get(characteristic)

    def by_id(self, classification_id: str) -> Classification | None:
        return self._by_id.get(classification_id)

    def __iter__(self):  # noqa: ANN204
        return iter(self._by_characteristic.values())

    def __contains__(self, characteristic: object) -> bool:
        return characteristic in self._by_characteristic


def read_classification_file(path: Path, shown: str) -> ClassificationFile:
    """A classification file, checked; an :class:`InputError` names every problem with its line."""
    return _read_checked(path, shown)[0]


def _read_checked(path: Path, shown: str) -> tuple[ClassificationFile, Classification | None]:
    """The file, checked, and (unless it extends another) the :class:`Classification` it was checked as."""
    from efl.files.quick_yaml import with_positions_on_demand
    from efl.files.yamlio import read_text

    # Positions are needed only for a message; a good file is checked without them.
    return with_positions_on_demand(read_text(path, shown), shown, lambda doc: _checked_file(doc, shown))


def _checked_file(doc: Any, shown: str) -> tuple[ClassificationFile, Classification | None]:
    from efl.files.yamlio import pydantic_diagnostics

    try:
        spec = ClassificationFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, doc, ClassificationFile)) from None
    if spec.kind != "classification":
        raise InputError(Diagnostic(shown, *doc.locate(("kind",)), f"kind is '{spec.kind}' (expected classification)"))
    if spec.extends is None:
        checked = Classification(spec, shown)
        problems = checked.problems()
        if problems:
            raise InputError([Diagnostic(shown, 1, 1, p) for p in problems])
        return spec, checked
    return spec, None


def build_set(paths: Iterable[Path]) -> ClassificationSet:
    """The classifications of these files, extensions applied to the files they extend."""
    return _build(tuple(sorted(Path(p) for p in paths)))


@functools.lru_cache(maxsize=8)
def _build(paths: tuple[Path, ...]) -> ClassificationSet:
    # Files are data shipped with efl or a plugin; read once per process per set of files.
    read = [_read_checked(p, str(p)) for p in paths]
    specs = [spec for spec, _ in read]
    # A file no other extends is used as it was checked: building and checking it again gave the same.
    unchanged = {spec.id: checked for spec, checked in read if checked is not None}
    where = {s.id: str(p) for s, p in zip(specs, paths)}
    base = {s.id: s for s in specs if s.extends is None}
    for s in specs:
        if s.extends is None:
            continue
        target = base.get(s.extends)
        if target is None:
            raise InputError(Diagnostic(where[s.id], 1, 1, f"classification '{s.id}' extends '{s.extends}', which is "
                                        f"not installed (expected one of: {', '.join(sorted(base))})"))
        extra = target.model_copy(deep=True)
        _add_aliases(extra.categories, s.aliases)
        extra.not_recorded += s.not_recorded + s.not_answered
        extra.declined += s.declined
        base[target.id] = extra
        unchanged.pop(target.id, None)
    out = []
    for spec in base.values():
        classification = unchanged.get(spec.id)
        if classification is not None:
            out.append(classification)
            continue
        classification = Classification(spec)
        problems = classification.problems()
        if problems:  # only an extension can bring these: each base file was checked alone
            raise InputError([Diagnostic(where[spec.id], 1, 1, p) for p in problems])
        out.append(classification)
    return ClassificationSet(out, where)


def _add_aliases(categories: list[CategorySpec], aliases: dict[str, list[str]]) -> None:
    for cat in categories:
        cat.aliases = [*cat.aliases, *aliases.get(cat.id, ())]
        _add_aliases(cat.categories, aliases)


def built_in_paths() -> list[Path]:
    from importlib.resources import files

    return sorted(Path(str(files("efl_frameworks"))).joinpath("classifications").glob("*.yaml"))


def built_in() -> ClassificationSet:
    """The classifications shipped with efl (``frameworks/classifications``)."""
    return build_set(built_in_paths())


def classifications_for(context: Any = None) -> ClassificationSet:
    """The classifications in use for one assessment: those the loaded plugins register (read from the
    catalogue of installed frameworks the engine hands over, when first asked for), else the ones
    shipped with efl. ``context`` is an :class:`efl.AssessmentContext`, an :class:`efl.Assessment` or None."""
    for holder in (context, getattr(context, "assessment", None)):
        if holder is None:
            continue
        found = getattr(holder, "_classifications", None)
        if isinstance(found, ClassificationSet):
            return found
        catalogue = getattr(holder, "_frameworks", None)  # (a FrameworkCatalogue, set by the engine)
        if catalogue is not None:
            return catalogue.classifications()
    return built_in()
