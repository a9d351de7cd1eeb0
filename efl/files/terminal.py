"""Text from an assessment folder, made safe to print on a terminal.

Council names, CSV cells, group names and file names come from files anyone can edit. Printed raw,
an escape sequence in one can clear the screen, set the window title, or write the clipboard
(OSC 52); a bidirectional override can make a message read differently from what it says. So every
such character is shown as a visible escape instead: ``\\x1b`` for C0 and C1 controls and DEL,
``\\u202e`` for the bidirectional controls and the Unicode line and paragraph separators.

JSON output keeps the exact data: there the same characters are written as JSON ``\\u`` escapes,
which a JSON reader turns back into the original text (:func:`json_safe`).
"""

from __future__ import annotations

import re

# Characters that change what a terminal shows without showing themselves: every invisible format
# character (Unicode category Cf: zero-width spaces and joiners, the bidi marks, embeddings, overrides
# and isolates, the word joiner, the byte-order mark, tag characters ...), the Hangul fillers, which
# render as nothing, and the Unicode line and paragraph separators.
_INVISIBLE = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e\u200b-\u200f"
              "\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
              "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
# C0 (but tab, newline and carriage return, which :func:`visible` keeps only where asked), DEL, C1, and
# the invisible characters above.
_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _INVISIBLE
_UNSAFE_ALL = re.compile(f"[\t\n\r{_UNSAFE}]")
_UNSAFE_TEXT = re.compile(f"[{_UNSAFE}]|\r(?!\n)")
_UNSAFE_JSON = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: object) -> str:
    """One line of folder text for a message: every control character (newlines too) made visible."""
    return _UNSAFE_ALL.sub(_escape, str(text))


def _code_points(chars: str) -> set[str]:
    """The characters of a regular-expression class written as literal characters and ranges."""
    out, i = set(), 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            out.update(map(chr, range(ord(chars[i]), ord(chars[i + 2]) + 1)))
            i += 3
        else:
            out.add(chars[i])
            i += 1
    return out


# The unsafe characters that str.isprintable() counts as printable (the Hangul fillers): every other
# one is a control or format character, which isprintable() refuses.
_PRINTABLE_UNSAFE = tuple(sorted(c for c in _code_points(_UNSAFE) if c.isprintable()))


# The ASCII characters that need no escaping: the printable ones, line feed and tab.
_SAFE_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"


def _nothing_unsafe(text: str) -> bool:
    """See :func:`_nothing_unsafe_in`: the check made on ``text``'s own UTF-8."""
    try:
        return _nothing_unsafe_in(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate (never printable): looked at the regular way
        return False


def for_output_utf8(text: str, fmt: str) -> bytes | None:
    """:func:`for_output` of a rendered report, as UTF-8 (None if it holds half a character, a lone
    surrogate, which UTF-8 cannot hold). A report of thousands of lines is megabytes: its UTF-8 is
    made once, both to look for what must be shown differently and to be written."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = None
    if data is not None and _nothing_unsafe_in(data):
        return data
    try:
        return for_output(text, fmt).encode("utf-8")
    except UnicodeEncodeError:
        return None


def _nothing_unsafe_in(data: bytes) -> bool:
    """True when the text whose UTF-8 is ``data`` certainly holds no character of :data:`_UNSAFE` and
    no carriage return, so escaping would change nothing. A report of thousands of lines is megabytes, and the regular
    expression's scan of every character took longer than drawing the report; these are C loops.
    False only means "look closer" (a no-break space, say, is not printable but is safe).

    Only what is left once the safe ASCII characters are taken out needs looking at, and in a
    report that is a few accented letters and quotes. They are taken out of the UTF-8 bytes (one
    pass, no per-character lookup): a character beyond ASCII is bytes of 0x80 and above, none of
    which is taken out, so what is left is still UTF-8, the remaining characters in order."""
    rest = data.translate(None, _SAFE_ASCII)
    if not rest:
        return True
    left = rest.decode("utf-8")
    return left.isprintable() and not any(c in left for c in _PRINTABLE_UNSAFE)


def safe_text(text: str) -> str:
    """Multi-line text for a terminal (a report, a table): line breaks and tabs kept, other controls shown.

    A byte-order mark that starts the text is kept: efl's own CSV starts with one, for Excel.
    """
    if text.startswith("\ufeff"):
        rest = text[1:]
        return "\ufeff" + (rest if _nothing_unsafe(rest) else _UNSAFE_TEXT.sub(_escape, rest))
    return text if _nothing_unsafe(text) else _UNSAFE_TEXT.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the characters C0 escaping misses (DEL, C1, bidi, separators) as ``\\u`` escapes.

    These characters can only occur inside JSON strings, where ``\\uXXXX`` means the same character,
    so the data read back is exactly the same.
    """
    # (the JSON characters are a subset of the text ones, so text with none of those has none of these)
    return text if _nothing_unsafe(text) else _UNSAFE_JSON.sub(_json_escape, text)


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def for_output(text: str | bytes, fmt: str) -> str | bytes:
    """A rendered report made safe to print: exact JSON for ``json``, visible controls otherwise.

    Bytes (a .docx or .xlsx file) are left alone: they are files, never printed.
    """
    if isinstance(text, bytes):
        return text
    return json_safe(text) if fmt == "json" else safe_text(text)


# --- standard output that fails -------------------------------------------------------------------

_STDOUT_ERRORS = {28: "the disk is full", 122: "the disk quota is used up", 5: "an input/output error"}


def run_guarding_stdout(run) -> None:  # noqa: ANN001
    """Run the command; a standard output that cannot be written is a message and exit 2, not a traceback.

    A closed pipe (``efl assess ... | head -1``) ends efl quietly through SIGPIPE, as it ends any
    Unix tool; efl reads and writes no sockets, so restoring the default action is safe.
    """
    import errno
    import signal
    import sys

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        try:
            run()
        finally:
            sys.stdout.flush()
    except OSError as exc:
        # efl's own file errors are all InputErrors by now; an OSError without a file name that
        # reaches here came from writing standard output.
        if exc.filename is not None or exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EPIPE):
            raise
        _silence_stdout()
        if exc.errno == errno.EPIPE:
            sys.exit(141)
        print(f"efl: cannot write to standard output: {_STDOUT_ERRORS.get(exc.errno, exc.strerror)} "
              "(expected somewhere to write; try -o FILE)", file=sys.stderr)
        sys.exit(2)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so Python's own flush at exit cannot fail again."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
