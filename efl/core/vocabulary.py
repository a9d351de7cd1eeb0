"""One way to read the words people write for efl's enumerated values.

A council officer writes ``Achieving`` because that is what efl prints, ``not met`` because that is
how a manager return says it, ``Religion or belief`` because that is the characteristic's name.
Each is read the same as its id: case does not matter, and runs of spaces, underscores and hyphens
are one separator. A word that matches nothing raises :class:`UnknownWord`, whose message lists
the choices (in the words efl prints) and the nearest one.

This module is a leaf (nothing of efl's is imported at module level), so the models can use it in
their validators.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_SEPARATORS = re.compile(r"[\s_\-]+")


def key(text: str) -> str:
    """The form two spellings of one word share: ``'Not met'``, ``'not_met'``, ``'NOT-MET'`` -> ``not_met``.

    Text is first put in one Unicode form (NFC), so a word typed on a Mac (an accent as its own
    character) is the same word.
    """
    if type(text) is not str:
        return _key(text)
    # Each text's key is kept for the process: an assessment asks for the same few hundred words'
    # keys thousands of times (levels, characteristics, outcomes), council after council.
    found = _keys.get(text)
    if found is None:
        if len(_keys) >= 16384:
            _keys.clear()
        found = _keys[text] = _key(text)
    return found


_keys: dict[str, str] = {}


def _key(text: Any) -> str:
    return _SEPARATORS.sub("_", unicodedata.normalize("NFC", str(text)).strip().casefold()).strip("_")


def compact(text: str) -> str:
    """:func:`key` without the separators: ``'Six monthly'``, ``'SIXMONTHLY'`` -> ``sixmonthly``."""
    return key(text).replace("_", "")


def same_name(a: str, b: str) -> bool:
    """Whether two names (a council, a role's title) are the same name: one Unicode form, any case,
    runs of white space as one."""
    return name_key(a) == name_key(b)


def name_key(text: str) -> str:
    """The form two typings of one name share (see :func:`same_name`)."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


class UnknownWord(ValueError):
    """A word that is none of the choices; ``str()`` is a whole sentence for the user."""

    def __init__(self, word: str, what: str, choices: list[str], guess: str | None = None):
        self.word, self.what, self.choices, self.guess = word, what, choices, guess
        hint = f"did you mean '{guess}'? " if guess else ""
        listed = " or ".join(choices) if len(choices) <= 2 else "one of: " + ", ".join(choices)
        # Shown as YAML writes it (null, true, false), not as Python prints it (None, True, False).
        written = {None: "null", True: "true", False: "false"}[word] if word is None or isinstance(word, bool) \
            else str(word)
        super().__init__(f"'{written}' is not {what} ({hint}expected {listed})")


def choose(text: Any, table: Mapping[str, str], what: str, shown: Iterable[str]) -> str:
    """The canonical value ``table`` gives for ``key(text)``, or :class:`UnknownWord`.

    :param table: ``key(spelling) -> canonical value`` for every accepted spelling.
    :param what: the kind of word, for the message: "a level of Equality Framework ...".
    :param shown: the choices as the message lists them (the words efl prints).
    """
    shown = list(shown)
    if not isinstance(text, str):
        raise UnknownWord(text, what, shown)
    found = table.get(key(text))
    if found is not None:
        return found
    # Spaces, underscores and hyphens do not matter, even left out: "Six_Monthly", "sixmonthly".
    meant = {v for k, v in table.items() if compact(k) == compact(text)}
    if len(meant) == 1:
        return meant.pop()
    by_key = {key(s): s for s in shown}
    close = difflib.get_close_matches(key(text), list(table), n=1, cutoff=0.6)
    guess = None
    if close:
        canonical = table[close[0]]
        guess = next((s for k, s in by_key.items() if table.get(k) == canonical), canonical)
    raise UnknownWord(text, what, shown, guess)


# --- levels ------------------------------------------------------------------------------------------

def _level_table(framework: Any) -> tuple[dict[str, str], list[str]]:
    table: dict[str, str] = {}
    shown = []
    for level in framework.levels:
        table.setdefault(key(level.id), level.id)
        table.setdefault(key(level.title), level.id)
        # "Level 2 (eslg-2)" is accepted whole, as the message writes it.
        table.setdefault(key(f"{level.title} {level.id}"), level.id)
        shown.append(level.title if key(level.title) == key(level.id) else f"{level.title} ({level.id})")
        # The words shown name the level too, so a guess is offered in them ("Level 3 (eslg-3)", not "eslg-3").
        table.setdefault(key(shown[-1]), level.id)
    return table, shown


def level_id(framework: Any, text: Any) -> str:
    """The id of the level ``text`` names: its id or title, in any case or spacing.

    ``framework`` is anything with ``levels`` (objects with ``id`` and ``title``) and ``id``: a
    :class:`~efl.core.models.Framework` or a result's ``framework``. ``"Achieving"`` gives ``achieving``;
    for the Equality Standard ``"Level 2"`` gives ``eslg-2``.
    """
    table, shown = _level_table(framework)
    if isinstance(text, str):
        text = re.sub(r"[()]", " ", text)
    return choose(text, table, f"a level of {framework.id}", shown)


def level_or_none(framework: Any, text: Any) -> str | None:
    """Like :func:`level_id`, but ``None`` and "Not yet <first level>" (as efl prints it) give ``None``."""
    if text is None:
        return None
    if isinstance(text, str) and key(text) == key(f"not yet {framework.levels[0].title}"):
        return None
    return level_id(framework, text)


# --- outcomes of a criterion ---------------------------------------------------------------------------

OUTCOMES = {"met": "met", "not_met": "not met", "not_applicable": "not applicable",
            "insufficient_evidence": "insufficient evidence"}
_OUTCOME_TABLE = {key(k): k for k in OUTCOMES} | {"n/a": "not_applicable", "na": "not_applicable"}


def outcome(text: Any) -> str:
    """``met``, ``not_met``, ``not_applicable`` or ``insufficient_evidence`` from any spelling of them."""
    return choose(text, _OUTCOME_TABLE, "an outcome", OUTCOMES.values())


# --- statuses in a manager return ----------------------------------------------------------------------

MANAGER_STATUSES = ("met", "partly", "not met")
_STATUS_TABLE = {"met": "met", "partly": "partly", "partly_met": "partly", "partially": "partly",
                 "partially_met": "partly", "not_met": "not met"}


def manager_status(text: Any) -> str:
    """``met``, ``partly`` or ``not met`` (as a manager return writes them) from any spelling."""
    return choose(text, _STATUS_TABLE, "a status", MANAGER_STATUSES)


def one_of(text: Any, choices: Iterable[str], what: str) -> str:
    """One of ``choices`` (ids such as ``self``/``peer``) from any spelling of it."""
    choices = list(choices)
    return choose(text, {key(c): c for c in choices}, what, choices)


# --- characteristics ---------------------------------------------------------------------------------

# Other names people give the protected characteristics (a column called ethnicity is race).
CHARACTERISTIC_ALIASES = {
    "ethnicity": "race", "ethnic_origin": "race", "religion": "religion_or_belief",
    "religion_belief": "religion_or_belief", "belief": "religion_or_belief", "gender": "sex",
    "marriage": "marriage_civil_partnership", "marriage_and_civil_partnership": "marriage_civil_partnership",
    "civil_partnership": "marriage_civil_partnership", "pregnancy": "pregnancy_maternity",
    "maternity": "pregnancy_maternity", "pregnancy_and_maternity": "pregnancy_maternity",
    "sexuality": "sexual_orientation", "gender_identity": "gender_reassignment",
}
ALL = "all"


def _characteristic_table(local: Iterable[str] = ()) -> tuple[dict[str, str], list[str]]:
    from efl.core.identifiers import CHARACTERISTIC_LABELS, CHARACTERISTICS

    table = {key(c): c for c in CHARACTERISTICS}
    table |= {key(label): c for c, label in CHARACTERISTIC_LABELS.items()}
    table |= CHARACTERISTIC_ALIASES
    local = [key(c) for c in local]
    table |= {c: c for c in local}
    return table, [*CHARACTERISTICS, *local]


def characteristic(text: Any, local: Iterable[str] = ()) -> str:
    """A characteristic's id (``religion_or_belief``) from its id, its name or a common other name."""
    table, shown = _characteristic_table(local)
    return choose(text, table, "a protected characteristic or a local one", shown)


def characteristic_or_key(text: Any) -> Any:
    """The id of a protected characteristic if ``text`` names one, else ``key(text)`` (maybe a local one,
    checked later against the folder's own list); anything not text is left for the schema to refuse."""
    if not isinstance(text, str):
        return text
    table, _ = _characteristic_table()
    return table.get(key(text), key(text))


def covers(value: Any) -> Any:
    """A ``covers:`` value in canonical form: ``all`` or ``[all]`` becomes the nine protected
    characteristics, every name an id. Anything else (``covers: age``, a number) is returned as it
    is for the schema to refuse with its position."""
    from efl.core.identifiers import CHARACTERISTICS

    if isinstance(value, str) and key(value) == ALL:
        value = [value]
    if not isinstance(value, list):
        return value
    if any(isinstance(v, str) and key(v) == ALL for v in value):
        rest = [characteristic_or_key(v) for v in value if not (isinstance(v, str) and key(v) == ALL)]
        return list(dict.fromkeys([*CHARACTERISTICS, *rest]))
    return [characteristic_or_key(v) for v in value]
