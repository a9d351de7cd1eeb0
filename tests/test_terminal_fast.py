"""safe_text and json_safe skip the regular expression when nothing needs escaping: the same text out.

The slow path (the regular expression over every character) is the reference; the quick check may
only say "nothing to escape" when the regular expression would indeed change nothing.
"""

from __future__ import annotations

import random
import re

from hypothesis import given, settings, strategies as st

from efl.files import terminal
from efl.files.terminal import json_safe, safe_text


def _slow_text(text: str) -> str:
    if text.startswith("\ufeff"):
        return "\ufeff" + terminal._UNSAFE_TEXT.sub(terminal._escape, text[1:])
    return terminal._UNSAFE_TEXT.sub(terminal._escape, text)


def _slow_json(text: str) -> str:
    return terminal._UNSAFE_JSON.sub(terminal._json_escape, text)


def test_every_unsafe_character_is_still_escaped():
    # Each character the regular expression escapes, alone and inside ordinary report text.
    unsafe = sorted(terminal._code_points(terminal._UNSAFE)) + ["\r"]
    assert len(unsafe) > 200 and "\u3164" in unsafe and "\x1b" in unsafe
    for ch in unsafe:
        for text in (ch, f"Harrow café\n{ch}done\tok\n", f"{ch}\n", f"\ufeff{ch}"):
            assert safe_text(text) == _slow_text(text), repr(ch)
            assert json_safe(text) == _slow_json(text), repr(ch)
        if ch != "\r":
            assert safe_text(f"a{ch}b") != f"a{ch}b"  # something was escaped
    assert safe_text("a\r\nb") == "a\r\nb"  # a Windows line end is kept, whatever path


def test_the_check_matches_the_expression_for_every_character():
    # Over the whole of Unicode (but surrogates): "nothing unsafe" only where the expression finds nothing.
    search = re.compile(f"[{terminal._UNSAFE}\r]").search
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        if terminal._nothing_unsafe(f"a{ch}b\n"):
            assert search(ch) is None, hex(code)


_CHARS = st.one_of(st.sampled_from(["\n", "\t", "\r", "\r\n", "\ufeff", "\u3164", "\x1b", "\u202e", "\x85",
                                    "\u00a0", "Māori", "’", " "]), st.characters())


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=30))
def test_generated_text(parts):
    text = "".join(parts)
    assert safe_text(text) == _slow_text(text)
    assert json_safe(text) == _slow_json(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_CHARS, st.sampled_from(["\ud800", "\udfff"])), max_size=30),
       st.sampled_from(["table", "json"]))
def test_a_report_as_utf8_is_the_safe_text_encoded(parts, fmt):
    # The bytes efl writes to standard output: the report made safe (the slow way), then encoded.
    text = "".join(parts)
    safe = _slow_json(text) if fmt == "json" else _slow_text(text)
    try:
        expected = safe.encode()
    except UnicodeEncodeError:  # half a character, left as it is: written the way standard output writes it
        expected = None
    assert terminal.for_output_utf8(text, fmt) == expected


def test_a_long_report():
    rng = random.Random(29)
    words = ["council", "café", "Māori", "’s", "review", "\n", "\t", "–", "1,000"]
    text = " ".join(rng.choice(words) for _ in range(20000))
    assert safe_text(text) is text  # nothing to escape: the text itself
    odd = text[:5000] + "\x1b]52;c;x\x07" + text[5000:]
    assert safe_text(odd) == _slow_text(odd) != odd


def test_text_that_cannot_be_utf8_is_looked_at_the_regular_way():
    # A lone surrogate (never in a file efl decoded, but a plugin could make one) cannot be encoded to
    # UTF-8: the quick check says "look closer", and the output is the regular expression's.
    for text in ("a\ud800b\n", "\ud800\x1b", "café\udfff\r"):
        assert not terminal._nothing_unsafe(text)
        assert safe_text(text) == _slow_text(text)
        assert json_safe(text) == _slow_json(text)
    assert terminal._nothing_unsafe("plain ASCII\tand\nlines") and terminal._nothing_unsafe("")
    assert terminal._nothing_unsafe("Māori café “quoted” – ok\n") and not terminal._nothing_unsafe("é\u202e")
