"""A YAML file's data read line by line, for the block YAML efl's own plan writer produces.

Why: an action plan of 5,000 lines kept in YAML is about 90,000 lines of text and 150,000 parser
events. :func:`efl.files.yamlio.one_pass` builds the data from ruamel's C parser's events, but each
event is a Python object ruamel makes, and making them was most of the cost of ``efl progress`` on
such a plan (about 160 ms of 440). The plan writers (``to_yaml`` in efl.plan.action_plan: ruamel's
safe dumper, width 100; ``merge_yaml_text``: ruamel's round trip, width 4096, sequences indented)
write only a small part of YAML, and this module reads exactly that part, with the whole text cut
into lines by one regular expression (:data:`_TOKEN`, C speed) and one Python loop over the entries:

* block mappings (``key: value`` with a plain key on one line) and block sequences (``- value``,
  ``- key: value``), including a sequence at its key's own indentation (``lines:`` / ``- id: x``);
* plain scalars, also folded over indented continuation lines as ruamel's emitter wraps long text
  (``... sexual`` / ``    will equality`` is one value, the line break read as a space);
* single- and double-quoted scalars, also over several lines, with YAML's folding (trailing spaces
  dropped, one line break a space, each blank line a newline, ``\\`` at a line's end joining) and
  double-quoted escapes (those the C parser knows that ruamel's emitter writes);
* comment lines, blank lines, a comment after a value, empty values (null) and nested blocks.

Plain scalars go through the very pieces ``one_pass`` uses (ruamel's YAML 1.2 resolver table, efl's
constructors for null, truth values, numbers as written and checked dates, NFC text, the same memo
tables) and the same limits (:data:`~efl.files.yamlio.MAX_NODES` values, ``MAX_DEPTH`` levels).

Exactness is the point: :func:`read_lines` must never return data other than ``one_pass`` would. On
anything outside that subset, or anything it is not certain of, it returns :data:`SLOW` and the
caller reads the file with ``one_pass`` (and then, for errors and positions, the full parse):
flow collections, anchors, aliases, tags, block scalars (``|``, ``>``), directives, ``---``/``...``,
several documents, tabs, carriage returns, control or odd line-break characters anywhere, quoted
keys, a duplicate key, a ``: `` or `` #`` inside a plain value (or any comment between a value's
lines), a line whose indentation fits no open block, a blank line inside a plain value, a dash with
nothing after it, a key longer than a short line. ``tests/test_yaml_lines.py`` compares it with
``one_pass`` on every YAML file in the repository, generated plans and generated documents.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from efl.files import yamlio
from efl.files.yamlio import MAX_DEPTH, MAX_NODES, SLOW

__all__ = ["SLOW", "read_lines"]

# --- the lines ---------------------------------------------------------------------------------------

# A plain key or value may not start with an indicator (YAML's list, as libyaml checks it), nor with a
# space (the head takes the spaces after a key's colon, so a value starting with one was indented
# oddly). ``_KEY`` is a plain key on its line, up to its colon (no "#" in it, no ":" before the end).
_INDICATORS = r"\ \n\#'\"\-?:,\[\]{}&*!|>%@`"
_KEY = rf"[^{_INDICATORS}][^:\#\n]*+"
# A line continuing a plain value: deeper than the column 0, not blank, not a comment, not starting
# with "-" (an item, or text the reader leaves alone), with no ": " in it and not ending in ":" (a
# key: a nested mapping or a sibling key, the next token; or a mistake, which the next token shows).
# Whether it is deeper than its key's column is checked when the value is read. (A backreference to
# the head's indentation would say that here, but costs a third group.) The line is taken in one
# scan: runs without a colon, each colon followed by something other than a space.
_CONTINUED = r"(?:\ *+\n\ ++(?![-\#\n\ ])[^:\n]*+(?::[^\ \n][^:\n]*+)*+(?=\n))"
_AFTER_QUOTE = r"(?=(?:\ +\#[^\n]*)?\ *\n)"  # a closing quote ends its line (a comment may follow)

# One match per line, or per value running over lines: the matches come back to back from the start
# of the text (every line matches; each match ends with its line break), two groups each:
#   head   the indentation, "- " for an item, and a plain key with its colon and the spaces after it
#          (a head without a key is an item's or a line's start; parsed once per distinct head)
#   value  the rest: a quoted scalar (all its lines, up to the closing quote), or the text up to
#          the line's last non-space with the lines continuing it (a comment after a plain value
#          is in it, taken off when read; a line starting with "#" is a comment)
# Two groups, not more, and no character class over the text but "not a line break": findall makes
# a string for each group of each match, and that (with the matching) is what reading costs. The
# repeats are possessive (``*+``) where giving characters back could never make a match (the next
# thing needed is not in what was taken, or what follows always matches): the same tokens, without
# the engine trying each shorter run first (a quarter of the matching on a plan).
_TOKEN = re.compile(rf"""
(\ *+(?:-\ )?(?:{_KEY}:(?:\ ++|(?=\n)))?)
(  '[^']*+(?:''[^']*+)*+'{_AFTER_QUOTE}
 | "[^"\\]*+(?:\\(?s:.)[^"\\]*+)*+"{_AFTER_QUOTE}
 | (?:[^\n]*[^\ \n]{_CONTINUED}*+)?
)
[^\n]*+\n""", re.VERBOSE)

# Every character the C parser reads as it is, and nothing else: no tab, no carriage return, no
# control character, none of the line breaks libyaml also counts (U+0085, U+2028, U+2029), no
# byte-order mark inside the text, no surrogate. Anything else and the file goes the slow way.
_NOT_PLAIN_TEXT = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_PLAIN_ASCII = bytes([0x0A, *range(0x20, 0x7F)])


def _plain_characters(text: str) -> bool:
    """No character in ``text`` that _NOT_PLAIN_TEXT finds. (That search over a plan's 4.7 million
    characters took 11 ms; the text as UTF-8 without its printable ASCII bytes is 55 kB, and the
    search over that is all the check costs beyond encoding and dropping those bytes, 5 ms.)"""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False  # a surrogate
    rest = data.translate(None, _PLAIN_ASCII)  # what is left is whole UTF-8 characters
    return not rest or _NOT_PLAIN_TEXT.search(rest.decode("utf-8")) is None


# Short one-line values worked out once per file (dates, statuses, quoted ids), and only of kinds
# that cannot be changed or that one_pass shares too (its dates come from _DATES): a number keeps
# how it was written in an attribute, so each is made anew, as one_pass makes it.
_SEEN_LONGEST = 40
_SHARED = frozenset({str, bool, type(None), dt.date, dt.datetime})
_MAX_KEY = 200  # a simple key must end within 1,024 characters of its start (libyaml); plan keys are short

# --- scalars -----------------------------------------------------------------------------------------

class _GiveUp(Exception):
    """Raised where the reader is not sure: the file goes the slow way."""


_NO_KEY = object()
_SINGLE_WHOLE = re.compile(r"'[^']*(?:''[^']*)*'")
_DOUBLE_WHOLE = re.compile(r'"[^"\\]*(?:\\(?s:.)[^"\\]*)*"')
# First characters a plain scalar may not have (a "-" may, before anything but a space).
_NOT_PLAIN_FIRST = frozenset(" \n#'\"-?:,[]{}&*!|>%@`")


class _Scalars:
    """Scalars as one_pass makes them: the resolver table, constructors and memo tables it uses."""

    def __init__(self) -> None:
        self.table = yamlio._resolvers()
        self.constructor = _constructor()
        self.simple = _simple_constructors()
        # The first characters the reader's quick path for text leaves to value(): an indicator
        # or space (not plain), or a character with resolvers (a number, date, truth value, null).
        self.look_twice = _NOT_PLAIN_FIRST | frozenset(self.table)

    def value(self, val: str, column: int) -> Any:
        """The scalar a token's value is (``column``: the column its lines must be deeper than; -1 for
        a key), or raise _GiveUp."""
        first = val[0]
        if first == "'" or first == '"':
            if "\n" not in val and val.find(first, 1) == len(val) - 1 and (first == "'" or "\\" not in val):
                # One line, no quote inside, no escape: the text between the quotes, as it is (most
                # quoted values: an id that looks like a number, '29').
                inner = val[1:-1]
                return inner if inner.isascii() else unicodedata.normalize("NFC", inner)
            if not (_SINGLE_WHOLE if first == "'" else _DOUBLE_WHOLE).fullmatch(val):
                raise _GiveUp  # text after a closing quote (the tokens took it as plain)
            return _quoted(val, column)
        lines = "\n" in val
        if lines:
            # A plain value over lines: each line deeper than the key's column, each line break
            # one space, the spaces around it dropped (no line is blank: the tokens take none).
            if column < 0 or val.count("\n") != val.count("\n" + " " * (column + 1)):
                raise _GiveUp
            val = " ".join([line.strip(" ") for line in val.split("\n")])
        if first in _NOT_PLAIN_FIRST and (first != "-" or len(val) == 1 or val[1] == " "):
            raise _GiveUp  # not a plain scalar (or one the reader leaves alone)
        if "#" in val:
            cut = val.find(" #")
            if cut >= 0:
                if lines:
                    raise _GiveUp  # a comment between a value's lines
                val = val[:cut].rstrip(" ")
        if ":" in val and (": " in val or val[-1] == ":"):
            raise _GiveUp  # a mapping inside a plain value: the full parse says what is wrong
        if first not in self.table:
            return val if val.isascii() else unicodedata.normalize("NFC", val)
        return self._resolved(val)

    def _resolved(self, value: str) -> Any:
        """A plain scalar whose first character has resolvers, exactly as one_pass makes it (the same
        memo tables, the same constructors); _GiveUp for a tag one_pass hands over (``<<``, ``=``)."""
        known = yamlio._TAGS
        tag = known.get(value)
        if tag is None:
            tag = yamlio._resolve(value, self.table)
            if len(value) <= yamlio._MEMO_LONGEST:
                if len(known) >= yamlio._MEMO_ENTRIES:
                    known.clear()
                known[value] = tag
        if tag == yamlio._STR:
            return value if value.isascii() else unicodedata.normalize("NFC", value)
        simple = self.simple
        if tag == yamlio._TIMESTAMP:
            dates = yamlio._DATES
            obj = dates.get(value)
            if obj is None:
                obj = simple[tag](self.constructor, yamlio.ScalarNode(tag, value, None, None))
                if len(value) <= yamlio._MEMO_LONGEST:
                    if len(dates) >= yamlio._MEMO_ENTRIES:
                        dates.clear()
                    dates[value] = obj
            return obj
        if tag in simple:
            return simple[tag](self.constructor, yamlio.ScalarNode(tag, value, None, None))
        raise _GiveUp


_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
            " ": " ", '"': '"', "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
# The escapes libyaml reads, as it reads them (\/ and \<tab> are left to the full parse).
_ESCAPE = re.compile(r"\\(?:([0abtnvfre \"\\N_LP])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _escape(match: re.Match) -> str:
    simple, *hexes = match.groups()
    if simple is not None:
        return _ESCAPED[simple]
    code = int(next(h for h in hexes if h is not None), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _GiveUp  # libyaml refuses it ("invalid Unicode character escape code")
    return chr(code)


def _unescape(segment: str) -> str:
    if "\\" not in segment:
        return segment
    if "\\" in _ESCAPE.sub("", segment):
        raise _GiveUp  # an escape libyaml does not know (or that this reader leaves to it)
    return _ESCAPE.sub(_escape, segment)


def _quoted(val: str, column: int) -> str:
    """A quoted scalar's text (``val`` with its quotes), folded over its lines as libyaml folds a
    flow scalar; raises _GiveUp when unsure. Lines after the first must be indented deeper than
    ``column`` (the writer's layout; libyaml asks less) unless blank."""
    double = val[0] == '"'
    body = val[1:-1]
    lines = body.split("\n")
    last = len(lines) - 1
    out: list[str] = []
    joiner = ""  # what the line break before the next line becomes
    blanks = 0
    escaped_break = False
    deep = " " * (column + 1)
    for i, line in enumerate(lines):
        if i:
            if i < last and not line.strip(" "):
                blanks += 1  # a blank line inside: a newline of its own
                continue
            if not line.startswith(deep):
                raise _GiveUp
            line = line.lstrip(" ")
            if escaped_break:
                joiner = "\n" * blanks  # "\" + line break: the lines join with nothing between
            else:
                joiner = " " if not blanks else "\n" * blanks
            out.append(joiner)
            blanks = 0
        escaped_break = False
        if i < last:
            if double and line.endswith("\\"):
                run = len(line) - len(line.rstrip("\\"))
                if run % 2:
                    escaped_break = True
                    line = line[:-1]  # spaces before it stay (they are not before a line break)
            elif double and line.rstrip(" ").endswith("\\"):
                raise _GiveUp  # an escaped space (or backslash) before trailing spaces: leave it
            else:
                line = line.rstrip(" ")  # spaces before a line break are dropped
        out.append(_unescape(line) if double else line.replace("''", "'"))
    text = "".join(out)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# --- the document ------------------------------------------------------------------------------------

def read_lines(text: str) -> Any:
    """The data of ``text`` exactly as :func:`efl.files.yamlio.one_pass` gives it, or :data:`SLOW`
    when the text is not plainly in the subset this module reads (see the module's docstring)."""
    try:
        return _read(text)
    except Exception:  # noqa: BLE001 - _GiveUp, or a constructor refused a value: the full parse says
        return SLOW


def _read(text: str) -> Any:  # noqa: C901 - one loop over the entries, its steps written out (see below)
    if not text or not _plain_characters(text):
        return SLOW
    if text[-1] != "\n":
        text += "\n"  # every match ends with a line break; one more changes nothing in YAML
    tokens = _TOKEN.findall(text)
    heads: dict[str, Any] = {}
    seen: dict[str, Any] = {}
    nfc = unicodedata.normalize
    scalars = _Scalars()
    scalar = scalars.value
    look_twice = scalars.look_twice

    # The innermost open block is kept in locals (its column, the container, whether a mapping);
    # the blocks around it are on ``outer``. ``pending`` is a key whose line had no value: the next
    # entry says whether a nested block opens (deeper, or a "- " at the key's own column) or the
    # value is empty (null). One iteration per entry, the common steps written out rather than
    # called (a plan is about 60,000 entries; a call each would add a fifth to reading it).
    outer: list[tuple[int, Any, bool]] = []
    col = -1
    box: Any = None
    is_map = False
    pending: Any = _NO_KEY
    root: Any = None
    keys = dashes = 0
    for head, val in tokens:
        parsed = heads.get(head)
        if parsed is None:
            parsed = heads[head] = _head(head, scalar)
        n, dash, key = parsed
        if n != col or not is_map or dash or pending is not _NO_KEY or key is _NO_KEY:
            # Anything but a key in the open mapping (most lines are that): comments, items,
            # blocks opening and closing, the checks that the indentation fits.
            if key is _NO_KEY and not dash:
                # No key and no dash: a blank line, a comment, or a value on the line after its key.
                if not val or val[0] == "#":
                    if "\n" in val:
                        return SLOW  # lines after a comment, deeper than it
                    continue
                if pending is _NO_KEY or n <= col:
                    return SLOW  # a line where no value was expected
                box[pending] = scalar(val, col)
                pending = _NO_KEY
                continue
            if pending is not _NO_KEY:
                if n > col or (dash and n == col):
                    new: Any = [] if dash else {}
                    box[pending] = new
                    outer.append((col, box, is_map))
                    if len(outer) >= MAX_DEPTH:
                        return SLOW
                    col, box, is_map = n, new, not dash
                else:
                    box[pending] = None  # an empty value: null, as one_pass resolves ""
                pending = _NO_KEY
            elif box is None:
                if n:
                    return SLOW  # an indented first line: left to the full parse
                root = box = [] if dash else {}
                col, is_map = 0, not dash
            # Close the blocks this line is outside of: those deeper than it, and a sequence at its
            # column when it is a key (the end of a sequence written at its key's column).
            while col > n or (col == n and not is_map and not dash):
                if not outer:
                    return SLOW
                col, box, is_map = outer.pop()
            if col != n:
                return SLOW  # an indentation no open block has
            if dash:
                if is_map:
                    return SLOW  # "- " where a key was expected
                dashes += 1
                if key is _NO_KEY:
                    if not val or val[0] == "#":
                        return SLOW  # a dash with nothing after it: left to the full parse
                    box.append(scalar(val, n))
                    continue
                new = {}
                box.append(new)
                outer.append((col, box, is_map))
                if len(outer) >= MAX_DEPTH:
                    return SLOW
                col, box, is_map = n + 2, new, True
            elif not is_map:
                return SLOW  # a key where a "- " was expected
        keys += 1
        if key in box:
            return SLOW  # a duplicate key: the full parse reports it
        if not val:
            pending = key
        elif val[0] not in look_twice and ":" not in val and "#" not in val:
            # Most values: text, nothing in it the reader must look at twice. Over lines (as the
            # writer wraps long text), as value() folds it: each line deeper than the key's column,
            # each line break one space, the spaces around it dropped.
            if "\n" in val:
                if val.count("\n") != val.count("\n" + " " * (col + 1)):
                    return SLOW
                val = " ".join([line.strip(" ") for line in val.split("\n")])
            box[key] = val if val.isascii() else nfc("NFC", val)
        elif val[0] == "#":
            if "\n" in val:
                return SLOW  # lines after a comment
            pending = key
        else:
            # Dates, statuses, ids in quotes, truth values: the same few hundred short values again
            # and again in a plan, each worked out once per file (only values that cannot differ
            # by where they are: one line, and kinds one_pass shares or that cannot be changed).
            value = seen.get(val, _NO_KEY)
            if value is _NO_KEY:
                value = scalar(val, col)
                if len(val) <= _SEEN_LONGEST and type(value) in _SHARED and "\n" not in val:
                    seen[val] = value
            box[key] = value
    if box is None:
        return SLOW  # nothing but comments and blank lines: one_pass says what that is
    if pending is not _NO_KEY:
        box[pending] = None
    # Values as one_pass counts them: each key and its value, each item, the root.
    if 2 * keys + dashes + 1 > MAX_NODES:
        return SLOW
    return root


def _head(head: str, scalar: Any) -> tuple[int, bool, Any]:
    """(indentation, whether an item, the key as read or _NO_KEY) of a head the tokens regex matched."""
    rest = head.lstrip(" ")
    n = len(head) - len(rest)
    dash = rest.startswith("- ")
    if dash:
        rest = rest[2:]
    if not rest:
        return n, dash, _NO_KEY
    written = rest.rstrip(" ")[:-1]  # without its colon
    if written[-1] == " " or len(written) > _MAX_KEY:
        raise _GiveUp  # "key :" (the key's spaces), or a key longer than the reader trusts
    key = scalar(written, -1)
    if isinstance(key, (dict, list)):
        raise _GiveUp
    return n, dash, key


_CONSTRUCTOR: Any = None
_SIMPLE: dict | None = None


def _constructor() -> Any:
    """A constructor as one_pass has it: the loader one_pass makes (C parser, efl's constructor and
    resolver together; its int constructor asks the resolver for the YAML version, 1.2 for a text
    with no %YAML line, as every text this reader takes is), made for an empty text and kept. Only
    its scalar constructors are called, with a scalar's text; none of them keeps anything."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        constructor, _parser = yamlio._one_pass_loader("")
        if constructor.resolver.processing_version != (1, 2):
            raise _GiveUp  # (never so: ruamel's default version)
        _CONSTRUCTOR = constructor
    return _CONSTRUCTOR


def _simple_constructors() -> dict:
    """The constructors one_pass calls for plain scalars, by tag (as one_pass picks them)."""
    global _SIMPLE
    if _SIMPLE is None:
        constructors = type(_constructor()).yaml_constructors
        _SIMPLE = {tag: constructors[tag] for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                                                      "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                                      "tag:yaml.org,2002:timestamp")}
    return _SIMPLE
