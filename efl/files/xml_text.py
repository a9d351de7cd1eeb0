"""Text for office files (Word, Excel): characters XML cannot hold, replaced where everyone can see them.

A .docx or .xlsx file is XML, and XML 1.0 cannot hold most control characters: a vertical tab or a
``\\x01`` pasted from Word into a plan line or a community group name would make the writer fail
(openpyxl's ``IllegalCharacterError``, python-docx's "All strings must be XML compatible"). That is
bad input, not a broken plugin, so efl never lets it reach the writer: each such character is
replaced by its visible escape (``\\x0b``, as the terminal shows it), and the characters replaced
are named in one warning. Tab, line feed and carriage return are kept; so is every printable
character.

:func:`xml_safe` cleans a string, or a whole result or plan (a copy; the original is untouched).
The core applies it before any office format's renderer runs, and the built-in writers apply it
again at their own boundary, so a direct caller is covered too. :func:`collecting` gathers what was
replaced during a render, for the warning.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from dataclasses import fields, is_dataclass, replace
from typing import Any, Iterator

# Not in XML 1.0's Char production: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

OFFICE_ENDINGS = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"})

_replaced: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar("xml_replaced", default=None)


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    counts = _replaced.get()
    if counts is not None:
        counts[char] = counts.get(char, 0) + 1
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# A spreadsheet cell spells characters as _xHHHH_ (ECMA-376, ST_Xstring), and a literal "_x" that
# would read as one as _x005F_x: Excel writes CR LF in a cell as "_x000D_" plus a line feed.
_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def xml_text(text: str, spreadsheet: bool = False) -> str:
    """``text`` with every character XML cannot hold shown as its escape (``\\x0b``); for a
    spreadsheet cell, text that Excel would read as its own escape (``_x000D_``) is kept as text."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(_escape, text)
    if spreadsheet and "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(), text)
    return text


def spreadsheet_cell_text(text: str) -> str:
    """A cell's text as its spreadsheet means it: Excel's escapes (``_x000D_``) read as their characters."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def xml_safe(value: Any, spreadsheet: bool = False) -> Any:
    """A copy of ``value`` (text, a pydantic model such as a result or plan, a dataclass, or lists
    and mappings of them) whose every string XML can hold; values that need no change are returned
    as they are. ``spreadsheet``: the text goes into spreadsheet cells (see :func:`xml_text`)."""
    if isinstance(value, str):
        return xml_text(value, spreadsheet)
    if spreadsheet:
        return value  # only text goes into a cell this way
    if isinstance(value, (list, tuple)):
        items = [xml_safe(v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        out, changed = {}, False
        for k, v in value.items():
            k2, v2 = xml_safe(k), xml_safe(v)
            changed = changed or k2 is not k or v2 is not v
            out[k2] = v2
        return out if changed else value
    model_fields = getattr(type(value), "model_fields", None)
    if model_fields is not None:
        changed = {}
        for name in model_fields:
            old = getattr(value, name, None)
            new = xml_safe(old)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = xml_safe(old)
            if new is not old:
                changed[f.name] = new
        return replace(value, **changed) if changed else value
    return value


@contextlib.contextmanager
def collecting() -> Iterator[dict[str, int]]:
    """Within, every character :func:`xml_text` replaces is counted in the dict yielded."""
    counts: dict[str, int] = {}
    token = _replaced.set(counts)
    try:
        yield counts
    finally:
        _replaced.reset(token)


def replaced_warning(counts: dict[str, int], what: str) -> str | None:
    """One sentence naming the characters replaced in ``what`` (a file or format), or None."""
    if not counts:
        return None
    names = []
    for char in sorted(counts):
        code = ord(char)
        escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code) or \
            ("a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character")
        times = counts[char]
        names.append(f"U+{code:04X} ({name.lower()}) in {times} {'place' if times == 1 else 'places'}, shown as {escape}")
    return (f"warning: {what}: the text has characters a Word or Excel file cannot hold, replaced so that "
            f"they show: {'; '.join(names)} (expected printable text; they often come from pasting out of "
            "another program)")


_CONTROL_NAMES = {0x00: "null", 0x01: "start of heading", 0x02: "start of text", 0x03: "end of text",
                  0x04: "end of transmission", 0x05: "enquiry", 0x06: "acknowledge", 0x07: "bell",
                  0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x0E: "shift out",
                  0x0F: "shift in", 0x10: "data link escape", 0x11: "device control one",
                  0x12: "device control two", 0x13: "device control three", 0x14: "device control four",
                  0x15: "negative acknowledge", 0x16: "synchronous idle", 0x17: "end of transmission block",
                  0x18: "cancel", 0x19: "end of medium", 0x1A: "substitute", 0x1B: "escape",
                  0x1C: "file separator", 0x1D: "group separator", 0x1E: "record separator",
                  0x1F: "unit separator", 0xFFFE: "not a character", 0xFFFF: "not a character"}
