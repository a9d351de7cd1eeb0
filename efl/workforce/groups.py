"""How people's characteristics are written in council files, and how efl reads them.

HR and Census exports write the same answer many ways: ``F``, ``Female``, ``Woman``; ``Not known``,
``N/A``, an empty cell; ``Declined``, ``Prefer not to say``. efl reads every cell through one
vocabulary so that each person is counted once, in the right place, and nobody is dropped silently:

* a **group** (``female``; ``white british``; ``35-44``): the person recorded this answer;
* **not recorded**: nothing usable was recorded (empty, ``Not known``, ``Unknown``, ``N/A`` ...);
* **declined**: the person chose not to say (``Prefer not to say``, ``Declined`` ...);
* for ``sex`` only, **another answer**: a gender identity (``non-binary`` ...) that cannot be placed
  in figures defined by biological sex;
* for ``sex`` only, **not recognised**: a value outside the vocabulary, reported with its position.

Not recorded and declined both count against data completeness; neither is a group. A council can
add its own codes in ``assessment.yaml`` (``values:``), see :class:`Vocabulary`.

For a characteristic with a Census 2021 classification (:mod:`efl.workforce.classification`: ethnic
group, disability, sexual orientation, gender identity, legal partnership status, religion) a group
is read as the classification's category (``White - British`` and ``WBRI`` are both
``white-british``) and :attr:`Reading.classified` says so; a value the classification does not know
stays a group of its own, with ``classified`` false, so that it can be reported rather than lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from efl.workforce.classification import ClassificationSet

# Kinds of answer a cell can hold.
GROUP = "group"
NOT_RECORDED = "not recorded"
DECLINED = "declined"
OTHER_ANSWER = "another answer"
UNRECOGNISED = "not recognised"

NOT_RECORDED_WORDS = frozenset({
    "", "not known", "unknown", "not recorded", "n/a", "na", "n.a.", "n.a", "none recorded", "null", "nil",
    "-", "--", "?", "missing", "blank", "not specified", "unspecified", "not stated", "no data", "not given",
    "not provided", "not answered", "no answer", "no response", "not collected", "nk", "u", "tbc",
    "information not yet obtained", "not available",
})
DECLINED_WORDS = frozenset({
    "prefer not to say", "declined", "decline", "declined to say", "declined to answer", "not disclosed",
    "undisclosed", "refused", "prefer not to answer", "rather not say", "withheld", "do not wish to say",
    "do not wish to disclose", "don't wish to disclose", "i do not wish to disclose", "not wish to disclose",
    "pnts", "prefer not to disclose", "choose not to say", "i'd rather not say", "pns", "prefer not to state",
    "not to be disclosed", "do not wish to state", "choose not to disclose", "prefer not to", "rather not disclose",
})
SEX_WORDS = {
    "female": frozenset({"female", "f", "woman", "women", "w", "girl", "fem"}),
    "male": frozenset({"male", "m", "man", "men", "boy"}),
}
# Answers that record a gender identity or something other than biological sex. Since the updated
# guidance (May 2026) pay gap figures are by biological sex, so these rows cannot be placed.
OTHER_SEX_ANSWERS = frozenset({
    "non-binary", "non binary", "nonbinary", "nb", "enby", "other", "x", "intersex", "genderqueer",
    "gender queer", "gender fluid", "genderfluid", "agender", "trans", "transgender", "trans man",
    "trans woman", "self-describe", "prefer to self-describe", "i use another term", "another term",
    "indeterminate", "gender neutral",
})

_SPACES = re.compile(r"\s+")


def key(text: str) -> str:
    """How a cell is compared: case, surrounding and repeated spaces, and underscores do not matter,
    nor the Unicode form a name was typed in (NFD on a Mac, NFC elsewhere).

    Kept per text (:func:`_kept`): a batch reads the same few hundred answers and labels in every
    council's files, about 80 a small council. tests/test_group_words_kept.py compares kept with fresh.
    """
    if type(text) is str:
        found = _KEYS.get(text)
        if found is not None:
            return found
        return _kept(_KEYS, text, _key(text))
    return _key(text)  # not text: unicodedata says so, as before


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text.replace("_", " ").replace("\u00a0", " ")).strip().lower()


# What key() and age_band() gave for each text (both are pure, and give text, tuples or None), kept
# for the process and emptied when full.
_KEYS: dict[str, str] = {}
_BANDS: dict[str, tuple[int, int | None] | None] = {}
_KEPT_TEXTS = 8192


def _kept(memo: dict, text: str, value):  # noqa: ANN001, ANN202
    if len(memo) >= _KEPT_TEXTS:
        memo.clear()
    memo[text] = value
    return value


@dataclass(frozen=True)
class Reading:
    """What one distinct cell value means.

    ``group`` is the canonical group for kind GROUP: a classification's category id where the
    characteristic has one (``classified`` true), else the value as :func:`key` writes it
    (``classified`` false where a classification exists but does not know it, None where there is none).
    """

    kind: str
    group: str | None = None
    classified: bool | None = None


@dataclass
class Vocabulary:
    """The words efl knows, plus any a council adds in ``assessment.yaml``::

        values:
          not_recorded: [ZZ]            # more ways of writing "nothing recorded"
          declined: [Refused to answer] # more ways of writing "chose not to say"
          groups:                       # more spellings of a group, per characteristic
            sex: {female: ["1"], male: ["2"]}
            race: {white british: [WBRI, White - British]}
    """

    not_recorded: frozenset[str] = NOT_RECORDED_WORDS
    declined: frozenset[str] = DECLINED_WORDS
    # characteristic -> spelling key -> canonical group
    spellings: dict[str, dict[str, str]] = field(default_factory=dict)
    # The Census classifications in use (None: those shipped with efl, loaded when first needed).
    classifications: ClassificationSet | None = None

    @classmethod
    def build(cls, not_recorded: Iterable[str] = (), declined: Iterable[str] = (),
              groups: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
              classifications: ClassificationSet | None = None) -> Vocabulary:
        vocabulary = cls(NOT_RECORDED_WORDS | {key(str(w)) for w in not_recorded},
                         DECLINED_WORDS | {key(str(w)) for w in declined},
                         {"sex": {w: sex for sex, words in SEX_WORDS.items() for w in words}}, classifications)
        for characteristic, by_group in (groups or {}).items():
            table = vocabulary.spellings.setdefault(characteristic, {})
            for group, words in by_group.items():
                # A council's group may be named as the Census names it ("White British", "WBRI"): its
                # spellings then join that category.
                canonical = vocabulary._classified(characteristic, str(group)) or key(str(group))
                table[key(str(group))] = canonical
                for word in words:
                    table[key(str(word))] = canonical
        return vocabulary

    def library(self) -> ClassificationSet:
        if self.classifications is None:
            from efl.workforce.classification import built_in

            self.classifications = built_in()
        return self.classifications

    def _classified(self, characteristic: str, text: str) -> str | None:
        classification = self.library().get(characteristic) if characteristic else None
        if classification is None:
            return None
        match = classification.read(text)
        return match.category if match.kind == GROUP else None

    def read(self, characteristic: str, cell: str, yes_no: tuple[str, str] | None = None) -> Reading:
        """What ``cell`` means in a column of ``characteristic``.

        :param yes_no: for a characteristic whose yes/no answers depend on the question (gender
            identity: "the same as at birth?" or "trans?"), the categories a bare yes and no mean;
            the column's name decides it (:meth:`Classification.yes_no`).
        """
        k = key(cell)
        table = self.spellings.get(characteristic)
        if table and k in table:
            classification = self.library().get(characteristic) if characteristic != "sex" else None
            return Reading(GROUP, table[k], None if classification is None else table[k] in classification.categories)
        if k in self.not_recorded:
            return Reading(NOT_RECORDED)
        if k in self.declined:
            return Reading(DECLINED)
        if characteristic == "sex":
            return Reading(OTHER_ANSWER if k in OTHER_SEX_ANSWERS else UNRECOGNISED)
        classification = self.library().get(characteristic) if characteristic else None
        if classification is None or not classification.categories:  # age: read as bands, not categories
            return Reading(GROUP, k)
        if k in YES_NO and classification.asks_yes_no:
            if yes_no is None:
                return Reading(GROUP, k, False)  # a bare yes or no that the column's name does not explain
            return Reading(GROUP, yes_no[0] if YES_NO[k] else yes_no[1], True)
        match = classification.read(cell)
        if match.kind == GROUP:
            return Reading(GROUP, match.category, True)
        if match.kind in (NOT_RECORDED, "total"):
            return Reading(NOT_RECORDED)
        if match.kind == DECLINED:
            return Reading(DECLINED)
        return Reading(GROUP, k, False)


YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}

DEFAULT_VOCABULARY = Vocabulary.build()


def vocabulary_for(assessment) -> Vocabulary:  # noqa: ANN001
    """The vocabulary of one assessment: the built-in words, its ``values:`` section, if any, and the
    Census classifications in use (:func:`efl.workforce.classification.classifications_for`)."""
    from efl.workforce.classification import classifications_for

    library = classifications_for(assessment)
    values = getattr(assessment, "values", None)
    if values is None:
        return Vocabulary.build(classifications=library)
    return Vocabulary.build(values.not_recorded, values.declined, values.groups, library)


# --- age bands -------------------------------------------------------------------------------------

_YEARS = r"(?: years?(?: old)?| yrs?)?"
_BAND_PATTERNS = [
    (re.compile(rf"^(?:aged? )?(\d{{1,3}}){_YEARS} ?(?:-|–|—|to) ?(\d{{1,3}}){_YEARS}$"), lambda a, b: (int(a), int(b))),
    (re.compile(rf"^(?:aged? )?(\d{{1,3}}){_YEARS} ?(?:\+|plus|and over|and above|or over|or older|and older)$"),
     lambda a: (int(a), None)),
    (re.compile(rf"^(?:aged? )?(\d{{1,3}}){_YEARS} (?:and under|or under|or younger|and younger)$"),
     lambda a: (0, int(a))),
    (re.compile(rf"^(?:aged? )?(?:under|below|less than) (\d{{1,3}}){_YEARS}$"), lambda a: (0, int(a) - 1)),
    (re.compile(rf"^(?:aged? )?(\d{{1,3}}){_YEARS}$"), lambda a: (int(a), int(a))),
]


def age_band(label: str) -> tuple[int, int | None] | None:
    """The ages (first, last; last None for "and over") a band label covers, or None if not a band.

    Reads HR bands (``16-24``, ``16 to 24``, ``65+``, ``under 16``), single years (``37``) and
    ONS's labels (``Aged 16 to 24 years``, ``Aged 65 years and over``, ``Aged 4 years and under``,
    ``Aged under 1 year``, ``Aged 1 year``, ``Age: Aged 30 to 34 years``).
    """
    if type(label) is str:
        try:
            return _BANDS[label]
        except KeyError:
            return _kept(_BANDS, label, _age_band(label))
    return _age_band(label)


def _age_band(label: str) -> tuple[int, int | None] | None:
    k = key(label)
    k = re.sub(r"^age(?: band| group)?: ", "", k)
    for pattern, make in _BAND_PATTERNS:
        match = pattern.match(k)
        if match:
            first, last = make(*match.groups())
            if last is not None and last < first:
                return None
            return first, last
    return None


def parse_age_range(text: str) -> tuple[int, int | None]:
    """A declared comparison range such as ``16-64`` or ``16+``; ValueError if it is not one."""
    band = age_band(text)
    if band is None:
        raise ValueError(f"'{text}' is not an age range (expected e.g. 16-64 or 16+)")
    return band


@dataclass(frozen=True)
class BandMerge:
    """Age bands of two files merged to the finest bands both can be added up to."""

    # canonical merged label -> the labels of each side that make it up
    left: dict[str, list[str]]
    right: dict[str, list[str]]
    left_out: list[str]  # labels of either side outside the range or straddling a merged band


def merge_age_bands(left: Iterable[str], right: Iterable[str], first: int, last: int | None) -> BandMerge | None:
    """Line up two sets of age bands within ``first``..``last``.

    ``left`` is a table's bands (a Census table lists every band); ``right`` the bands or single ages
    people were recorded in (a band nobody is in is simply absent). The bands inside the range are
    added up into the finest common bands: a dividing line is kept where the table has one and the
    other side has one too (a single age of a person divides nothing). Bands outside the range are
    left out (children under 16 are not potential staff); a band that straddles the range's edge, or
    a merged band, cannot be split and is left out too. Returns None if a label is not an age band.
    A table's band made up of others it lists (a subtotal, such as ONS's "Aged 4 years and under"
    beside "Aged under 1 year" ... "Aged 4 years") is left out, so nobody is counted twice.
    """
    top = last if last is not None else 999
    sides: list[dict[str, tuple[int, int]]] = []
    left_out: list[str] = []
    for labels in (left, right):
        bands = {}
        for label in labels:
            band = age_band(label)
            if band is None:
                return None
            lo, hi = band[0], band[1] if band[1] is not None else 999
            if hi < first or lo > top or lo < first or hi > top:
                left_out.append(label)
            else:
                bands[label] = (lo, hi)
        sides.append(bands)
    table, people = sides
    subtotals = {a for a, (lo, hi) in table.items()
                 if _tiled(lo, hi, [b for c, b in table.items() if c != a and lo <= b[0] and b[1] <= hi])}
    left_out += sorted(subtotals)
    table = {a: b for a, b in table.items() if a not in subtotals}
    table_edges = {lo for lo, _ in table.values()} | {hi + 1 for _, hi in table.values()}
    # A line of the table's is kept unless a band people were recorded in crosses it.
    edges = sorted(e for e in table_edges if not any(lo < e <= hi for lo, hi in people.values()))
    merged: list[dict[str, list[str]]] = [{}, {}]
    for side, bands in enumerate((table, people)):
        for label, (lo, hi) in bands.items():
            lower = [e for e in edges if e <= lo]
            upper = [e for e in edges if e > hi]
            if not lower or not upper or any(lo < e <= hi for e in edges):
                left_out.append(label)
                continue
            merged[side].setdefault(_band_name(lower[-1], upper[0] - 1), []).append(label)
    # The table's bands must make each merged band up whole, or it is not like with like.
    for name, labels in list(merged[0].items()):
        lo, hi = _band_bounds(name)
        if sum(table[x][1] - table[x][0] + 1 for x in labels) != hi - lo + 1:
            left_out.extend(merged[0].pop(name))
    for name in list(merged[1]):
        if name not in merged[0]:
            left_out.extend(merged[1].pop(name))
    for name in merged[0]:
        merged[1].setdefault(name, [])
    return BandMerge(merged[0], merged[1], sorted(set(left_out)))


def _tiled(lo: int, hi: int, parts: list[tuple[int, int]]) -> bool:
    """Whether ``parts`` cover ``lo``..``hi`` exactly, with no overlap (a subtotal of them)."""
    if len(parts) < 2:
        return False
    at = lo
    for a, b in sorted(parts):
        if a != at:
            return False
        at = b + 1
    return at == hi + 1


def _band_bounds(name: str) -> tuple[int, int]:
    if name.endswith("+"):
        return int(name[:-1]), 999
    a, b = name.split("-")
    return int(a), int(b)


def _band_name(first: int, last: int) -> str:
    return f"{first}+" if last >= 998 else f"{first}-{last}"
