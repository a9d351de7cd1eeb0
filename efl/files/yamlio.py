"""Safe YAML loading that remembers where every mapping and list came from.

Why this shape (see ``shared/research/perf-baselines.md``):

* ``YAML(typ="safe")`` with the C parser from ``ruamel.yaml.clib`` is about 6x faster than round-trip
  mode; a constructor subclass records each container's node so any error can still name a line.
* The C composer recurses and segfaults on very deep flow nesting, so the event stream (which is
  iterative) is scanned first: too deep, or an alias, and the file is rejected before composing.
* Aliases are refused outright: evidence indexes never need them and they are how "billion laughs"
  documents blow up whatever consumes them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from efl.errors import Diagnostic, InputError
from efl.core.identifiers import ID_PATTERN

MAX_DEPTH = 64
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Values (scalars, lists and mappings) in one YAML file. A framework has a few thousand and a large
# assessment.yaml some tens of thousands; composing costs about 0.5 kB and 10 us a value, so this
# caps a hostile flat list of millions at about a second and 100 MB, counted before composing.
MAX_NODES = 200_000
# Any date written in YAML (all files); assessment.yaml's own dates have a narrower range, checked
# in efl.core.assessment.
YAML_YEARS = (1900, 2199)


def read_text(path: Path, shown: str, max_bytes: int | None = None) -> str:
    """Read a UTF-8 text file the person named (a byte-order mark is allowed), or raise an InputError.

    The file goes through :mod:`efl.files.safe_files` (regular files only, bounded size and time); the
    limit is ``EFL_MAX_FILE_MB`` if set, else 20 MB.
    """
    from efl.files.safe_files import FileProblem, as_diagnostic, read_named_file, yaml_max_bytes

    limit = yaml_max_bytes(DEFAULT_MAX_BYTES) if max_bytes is None else max_bytes
    try:
        data = read_named_file(path, limit)
    except FileProblem as problem:
        raise InputError(as_diagnostic(shown, problem)) from None
    return decode_text(data, shown)


def decode_text(data: bytes, shown: str) -> str:
    """Decode UTF-8 (with or without BOM), pointing at the first bad byte's line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(Diagnostic(shown, line, col, not_utf8_message(data, exc.start, shown))) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, col = text_position(text, nul)
        raise InputError(Diagnostic(shown, line, col, "the file contains a NUL byte (expected a text file; "
                                    "was it saved by a program that pads with zeros?)"))
    return text


_ANY_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def refuse_lone_surrogates(data: Any, text: str, shown: str) -> None:
    """JSON data (read from ``text``) whose ``\\u`` escapes spell half a character (a lone surrogate,
    ``\\ud800``): no file efl writes has one, and no report could be written from it, so it is
    refused, where it is."""
    import json

    if not _ANY_SURROGATE.search(text):
        return  # text decoded as UTF-8 holds no surrogate but through such an escape
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        return  # too deep to check here; the schema refuses it anyway
    except UnicodeEncodeError:
        found = _LONE_SURROGATE.search(text)
        line, col = text_position(text, found.start()) if found else (1, 1)
        what = f"'{found.group()}'" if found else "a \\u escape"
        raise InputError(Diagnostic(shown, line, col, f"{what} is half of a character (a lone surrogate), "
                                    "which is not text (expected a file as efl wrote it)")) from None


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[index]``, with lines ended by \\n, \\r\\n or \\r (as csv and editors count)."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def not_utf8_message(data: bytes, start: int, shown: str) -> str:
    """Why a file is not UTF-8, and how to save it as UTF-8 from the program that probably made it."""
    byte = data[start]
    guess = ""
    if byte >= 0x80:
        # Most such files come from Excel or Word on Windows (Windows-1252): name the character.
        char = bytes([byte]).decode("cp1252", errors="replace")
        if char != "\ufffd":
            guess = f"; it looks like '{char}' saved in the Windows-1252 encoding"
    if shown.lower().endswith(".csv"):
        how = ("in Excel use File > Save As and choose 'CSV UTF-8 (Comma delimited) (*.csv)'; "
               "in LibreOffice tick 'Edit filter settings' and choose 'Unicode (UTF-8)'")
    else:
        how = ("in Notepad use File > Save As and choose Encoding 'UTF-8'; in Word choose "
               "'Plain Text (*.txt)' and then 'Unicode (UTF-8)' under 'Other encoding'")
    return f"byte 0x{byte:02x} is not valid UTF-8{guess} (expected a file saved as UTF-8: {how})"


class _Lines:
    """Line and column of a parser mark, counted as editors count them.

    libyaml also ends a line at U+0085, U+2028 and U+2029 (YAML 1.1), so after one of them its line
    numbers run ahead of every editor's. Marks carry a character index; when the text holds one of
    these characters, the line and column are worked out from that index instead.
    """

    def __init__(self, text: str):
        self.odd = any(c in text for c in "\x85\u2028\u2029")
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)] if self.odd else []

    def of(self, mark: Any) -> tuple[int, int]:
        index = getattr(mark, "index", None)
        if not self.odd or index is None:
            return mark.line + 1, mark.column + 1
        from bisect import bisect_right

        i = bisect_right(self.starts, index) - 1
        return i + 1, index - self.starts[i] + 1


_PLAIN_LINES = _Lines("")


@dataclass
class YamlDocument:
    """Loaded YAML data plus a way back from a path of keys to a line and column."""

    data: Any
    path: str
    _nodes: dict[int, Any]
    _keep: list[Any]
    _lines: _Lines = _PLAIN_LINES

    def locate(self, loc: tuple) -> tuple[int, int]:
        """1-based (line, col) of the deepest node ``loc`` reaches (a pydantic ``loc`` works as is)."""
        obj, node = self.data, self._nodes.get(id(self.data))
        best = self._lines.of(node.start_mark) if node is not None else (1, 1)
        for part in loc:
            if node is None:
                break
            if isinstance(node, MappingNode) and isinstance(obj, dict):
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(part):
                        best = self._lines.of(value_node.start_mark)
                        obj = obj.get(_key_of(obj, part))
                        node = self._nodes.get(id(obj)) if isinstance(obj, (dict, list)) else None
                        break
                else:
                    # An unknown or missing key: point at the key itself when it is there.
                    return best
            elif isinstance(node, SequenceNode) and isinstance(obj, list) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return best
                item = node.value[part]
                best = self._lines.of(item.start_mark)
                obj = obj[part]
                node = self._nodes.get(id(obj)) if isinstance(obj, (dict, list)) else None
            else:
                break
        return best

    def locate_key(self, loc: tuple) -> tuple[int, int]:
        """Like :meth:`locate`, but for the last part point at the key rather than its value."""
        parent = self.locate(loc[:-1])
        obj = self.data
        for part in loc[:-1]:
            try:
                obj = obj[_key_of(obj, part) if isinstance(obj, dict) else part]
            except (KeyError, IndexError, TypeError):
                return parent
        node = self._nodes.get(id(obj))
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if str(key_node.value) == str(loc[-1]):
                    return self._lines.of(key_node.start_mark)
        return parent


def yaml_word(value: Any) -> str:
    """A value as it is written in YAML: ``null``, ``true``, ``2025-01-01``, not Python's ``None``/``True``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _yaml_kind(value: Any) -> str:
    if value is None:
        return "null (empty)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    return "not text"


def _key_position(doc: YamlDocument, parent: tuple, key: Any) -> tuple[str, int, int] | None:
    """The written form and position of mapping key ``key`` (any type) in the mapping at ``parent``."""
    obj = doc.data
    for part in parent:
        try:
            obj = obj[_key_of(obj, part) if isinstance(obj, dict) else part]
        except (KeyError, IndexError, TypeError):
            return None
    node = doc._nodes.get(id(obj))
    if not isinstance(node, MappingNode) or not isinstance(obj, dict):
        return None
    # Keys and key nodes come in the same order (duplicate keys and merge keys are refused).
    for (key_node, _), k in zip(node.value, obj):
        if k is key or (type(k) is type(key) and k == key):
            written = key_node.value if isinstance(key_node.value, str) and key_node.value else yaml_word(k)
            return (written, *doc._lines.of(key_node.start_mark))
    return None


def _key_of(mapping: dict, part: Any) -> Any:
    if part in mapping:
        return part
    for key in mapping:
        if str(key) == str(part):
            return key
    return part


class _Written:
    """A number YAML read from text it does not print back the same way (``1.10``, ``1e3``, ``007``):
    it keeps that text, so a field that holds text (a baseline, a version) gets ``1.10``, not ``1.1``.
    It is still the number for everything else; pickled (a worker's answer), it is the plain number."""

    written: str

    def __str__(self) -> str:
        return self.written

    def __reduce__(self):  # noqa: ANN204
        plain = type(self).__mro__[2]  # float or int
        return plain, (plain(self),)


class WrittenFloat(_Written, float):
    pass


class WrittenInt(_Written, int):
    pass


def _as_written(kind: type, value: float | int, written: str) -> float | int:
    number = kind(value)
    number.written = written
    return number


def _tracking_constructor(nodes: dict[int, Any], keep: list[Any]):
    class TrackingConstructor(SafeConstructor):
        def construct_yaml_str(self, node):  # noqa: ANN001, ANN201
            # One spelling per text: a name typed on a Mac (NFD, "e" + accent) is the same name as
            # one typed elsewhere (NFC, "é"), so councils, roles, bodies and ids compare equal.
            return unicodedata.normalize("NFC", super().construct_yaml_str(node))

        def construct_yaml_float(self, node):  # noqa: ANN001, ANN201
            value = super().construct_yaml_float(node)
            written = str(node.value).strip()
            return value if repr(value) == written or not isinstance(value, float) else \
                _as_written(WrittenFloat, value, written)

        def construct_yaml_int(self, node):  # noqa: ANN001, ANN201
            value = super().construct_yaml_int(node)
            written = str(node.value).strip()
            return value if str(value) == written else _as_written(WrittenInt, value, written)

        def construct_object(self, node, deep=False):  # noqa: ANN001 - ruamel's signature
            if node in self.constructed_objects or node in self.recursive_objects:
                raise ConstructorError(None, None, "YAML aliases (*name) are not allowed", node.start_mark)
            obj = super().construct_object(node, deep=deep)
            if isinstance(obj, (dict, list)):
                nodes[id(obj)] = node
                keep.append(obj)  # ids are only unique while the objects live
            return obj

        def construct_yaml_timestamp(self, node, values=None):  # noqa: ANN001, ANN201
            # A date shaped like YYYY-MM-DD that does not exist (30 February) raises ValueError.
            try:
                value = super().construct_yaml_timestamp(node, values)
            except (ValueError, OverflowError) as exc:
                raise ConstructorError(None, None, f"'{node.value}' is not a real date ({exc}; expected a "
                                       "date that exists, as YYYY-MM-DD)", node.start_mark) from None
            if not YAML_YEARS[0] <= value.year <= YAML_YEARS[1]:
                # Years like 0002 or 9999 are typing slips; date arithmetic on them overflows later.
                raise ConstructorError(None, None, f"'{node.value}' is not a plausible date (expected a year "
                                       f"from {YAML_YEARS[0]} to {YAML_YEARS[1]})", node.start_mark)
            return value

    TrackingConstructor.add_constructor("tag:yaml.org,2002:timestamp", TrackingConstructor.construct_yaml_timestamp)
    TrackingConstructor.add_constructor("tag:yaml.org,2002:str", TrackingConstructor.construct_yaml_str)
    TrackingConstructor.add_constructor("tag:yaml.org,2002:float", TrackingConstructor.construct_yaml_float)
    TrackingConstructor.add_constructor("tag:yaml.org,2002:int", TrackingConstructor.construct_yaml_int)
    return TrackingConstructor


class _OneVersionResolver(VersionedResolver):
    """ruamel's resolver, working out the document's YAML version once instead of for every scalar.

    ruamel finds the version by raising and catching AttributeError for each scalar, which is over a
    third of loading a file with the C parser; the version cannot change inside the one document efl
    reads, so the first answer is kept.
    """

    @property
    def processing_version(self):  # noqa: ANN201 - ruamel's property
        version = self.__dict__.get("_version_once")
        if version is None:
            version = self._version_once = VersionedResolver.processing_version.fget(self)
        return version


def _yaml_diagnostic(exc: YAMLError, shown: str, text: str = "") -> Diagnostic:
    position = getattr(exc, "position", None)
    if position is not None and not isinstance(exc, MarkedYAMLError):
        # The reader refuses control characters; it gives an offset, not a line.
        before = text[:position]
        line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
        char = getattr(exc, "character", None)
        code = ord(char) if isinstance(char, str) and len(char) == 1 else char if isinstance(char, int) else None
        what = f"U+{code:04X}" if code is not None else "a character"
        return Diagnostic(shown, line, col, f"{what} is a control character YAML does not allow "
                          "(expected printable text; remove it)")
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        index = getattr(mark, "index", None)
        if index is not None and 0 <= index < len(text) and text[index] == "\t":
            problem = "a tab character where YAML needs spaces (expected spaces for indentation)"
        elif "duplicate key" in problem:
            problem = problem.split(" with value")[0] + " (expected each key once in a mapping)"
            written = _written_key(text, index)
            if written:
                # ruamel names the key as Python prints it ("None", "True"); show it as the file has it.
                problem = re.sub(r'found duplicate key ".*?"', lambda _: f'found duplicate key "{written}"', problem,
                                 count=1)
        elif "could not determine a constructor" in problem:
            problem = problem.replace("could not determine a constructor for the tag",
                                      "the tag") + " is not allowed (expected plain YAML values, no tags)"
        elif "aliases" not in problem and "not a real date" not in problem and "tab character" not in problem \
                and "not a plausible date" not in problem:
            problem = f"YAML syntax error: {problem}"
        if mark is not None:
            return Diagnostic(shown, *_Lines(text).of(mark), problem)
        return Diagnostic(shown, message=problem)
    return Diagnostic(shown, message=f"YAML error: {exc}")


def _written_key(text: str, index: int | None) -> str:
    """The key as written at ``index`` (up to its ``:``), or "" when that cannot be told."""
    if index is None or not 0 <= index < len(text):
        return ""
    line = text[index:text.find("\n", index) if "\n" in text[index:] else len(text)]
    key = re.match(r"\s*(\"[^\"]*\"|'[^']*'|[^:#]*?)\s*:(\s|$)", line)
    return key.group(1) if key else ""


def parse_yaml(text: str, shown: str) -> YamlDocument:
    """Parse YAML text safely; raise InputError with the position of the problem.

    Most files go in one pass over the parser's events (:func:`one_pass`, positions included); a file
    that pass hands over (anything unusual, every error) is parsed the full way below.
    """
    lines = _Lines(text)
    nodes: dict[int, Any] = {}
    keep: list[Any] = []
    data = one_pass(text, nodes, keep)
    if data is not SLOW:
        return YamlDocument(data, shown, nodes, keep, lines)
    return parse_in_full(text, shown, lines)


def parse_in_full(text: str, shown: str, lines: _Lines | None = None) -> YamlDocument:
    """parse_yaml the full way: the safety checks over the events, then ruamel composes and constructs
    (the reference the one pass is tested against, and what reports every error)."""
    yaml = YAML(typ="safe")
    lines = lines or _Lines(text)
    try:
        depth = values = 0
        for event in yaml.parse(text):
            if isinstance(event, (ScalarEvent, CollectionStartEvent)):
                values += 1
                if values > MAX_NODES:
                    m = event.start_mark
                    raise InputError(Diagnostic(shown, *lines.of(m), f"more than {MAX_NODES:,} values "
                                                "in one YAML file (expected a smaller file; split long lists "
                                                "into CSV evidence)"))
                if isinstance(event, ScalarEvent) and event.value == "<<" and not event.style and not event.tag:
                    m = event.start_mark
                    raise InputError(Diagnostic(shown, *lines.of(m),
                                                "YAML merge keys (<<) are not allowed (expected the keys written "
                                                "out in full)"))
            if isinstance(event, AliasEvent):
                m = event.start_mark
                raise InputError(Diagnostic(shown, *lines.of(m),
                                            "YAML aliases (*name) are not allowed (expected the value written out)"))
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    raise InputError(Diagnostic(shown, *lines.of(m),
                                                f"nesting deeper than {MAX_DEPTH} levels (expected a flatter document)"))
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
        nodes: dict[int, Any] = {}
        keep: list[Any] = []
        yaml.Constructor = _tracking_constructor(nodes, keep)
        yaml.Resolver = _OneVersionResolver
        documents = list(yaml.load_all(text))
    except YAMLError as exc:
        raise InputError(_yaml_diagnostic(exc, shown, text)) from None
    except RecursionError:
        raise InputError(Diagnostic(shown, message="the document nests too deeply (expected a flatter document)")) from None
    if len(documents) > 1:
        raise InputError(Diagnostic(shown, message=f"found {len(documents)} YAML documents (expected one)"))
    data = documents[0] if documents else None
    return YamlDocument(data, shown, nodes, keep, lines)


_PLAIN_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t\r]|$)")


def parse_header(text: str, shown: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The top-level ``keys`` of a YAML mapping, parsed without the rest of the document.

    Listing the installed frameworks needs only their id, version and title; parsing every framework
    file in full for that cost more than everything else an assessment does. Only the lines of the
    wanted keys (each key line and the indented lines under it) are parsed, as YAML, so quoting and
    folded values read exactly as in a full parse. Returns None when the file is not plainly a
    block mapping with simple keys (flow style, directives, several documents) or the header lines
    do not parse: then the caller parses the file in full, which reports any error at its line.
    """
    picked: list[str] = []
    taking = False
    for line in text.splitlines(keepends=True):
        first = line[:1]
        if first in (" ", "\t", "#", "\n", "\r"):
            if taking:
                picked.append(line)
            continue
        if line.rstrip() == "---" and not picked:
            continue
        match = _PLAIN_KEY.match(line)
        if match is None:
            return None
        taking = match.group(1) in keys
        if taking:
            picked.append(line)
    try:
        data = parse_yaml("".join(picked), shown).data if picked else {}
    except InputError:
        return None  # the full parse reports it, at its real line
    return data if isinstance(data, dict) else None


def load_yaml(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path, shown, max_bytes), shown)


# --- pydantic errors as compiler-style diagnostics --------------------------------------------------

def _allowed_keys(model: Any, loc: tuple) -> list[str]:
    """The field names (by alias) a model accepts at ``loc``, for "did you mean" hints."""
    from pydantic import BaseModel

    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def describe_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def pydantic_diagnostics(exc: ValidationError, doc: YamlDocument, model: Any = None,
                         prefix: tuple = ()) -> list[Diagnostic]:
    """Turn every pydantic error into ``path:line:col: where: what is wrong (expected what)``."""
    out = []
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        if err["type"] == "invalid_key" or raw_loc[-1:] == ("[key]",):
            # A key that YAML read as null, true/false, a date or a number: show it as written.
            parent = prefix + raw_loc[:-2 if raw_loc[-1:] == ("[key]",) else -1]
            found = _key_position(doc, _trim_loc(doc.data, parent), err.get("input"))
            written, line, col = found or (yaml_word(err.get("input")), *doc.locate(parent))
            where = describe_loc(_trim_loc(doc.data, parent))
            msg = (f"key '{written}' is read as {_yaml_kind(err.get('input'))} (expected a name; put it in "
                   "quotes if it is meant as text)")
            out.append(Diagnostic(doc.path, line, col, f"{where}: {msg}" if where else msg))
            continue
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # pydantic appends union member or function names to loc; keep only real keys and indices.
        loc = _trim_loc(doc.data, prefix + loc)
        kind = err["type"]
        value = err.get("input")
        if kind == "extra_forbidden":
            key = loc[-1]
            line, col = doc.locate_key(loc)
            allowed = _allowed_keys(model, loc[len(prefix):-1]) if model is not None else []
            hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            msg = f"unknown key '{key}'"
            if hint:
                msg += f" (did you mean '{hint[0]}'?)"
            elif allowed:
                msg += f" (expected one of: {', '.join(allowed)})"
            where = describe_loc(loc[:-1])
        elif kind == "missing":
            line, col = doc.locate(loc[:-1])
            where = describe_loc(loc[:-1])
            msg = f"missing required key '{loc[-1]}'"
        else:
            line, col = doc.locate(loc)
            where = describe_loc(loc)
            msg = _friendly(kind, err["msg"], value, err.get("ctx") or {})
        out.append(Diagnostic(doc.path, line, col, f"{where}: {msg}" if where else msg))
    return out


def _trim_loc(data: Any, loc: tuple) -> tuple:
    """Keep the longest prefix of ``loc`` that is a real path into ``data`` (plus one missing key)."""
    kept: list = []
    cur = data
    for part in loc:
        if isinstance(cur, dict):
            key = _key_of(cur, part)
            kept.append(part)
            if key not in cur:
                break
            cur = cur[key]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            kept.append(part)
            cur = cur[part]
        else:
            break
    return tuple(kept)


def _friendly(kind: str, msg: str, value: Any, ctx: dict) -> str:
    shown = repr(value) if isinstance(value, str) else yaml_word(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if kind == "literal_error":
        return f"{shown} is not allowed (expected {ctx.get('expected', 'another value')})"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{shown} is not a valid date (expected a date written as YYYY-MM-DD)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number (expected a number such as 150)"
    if kind in ("float_parsing", "float_type"):
        return f"{shown} is not a number (expected a number such as 12.5)"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} is not true or false (expected true or false)"
    if kind in ("string_type",):
        return f"{shown} is not text (expected text)"
    if kind in ("list_type",):
        return f"{shown} is not a list (expected a list of items, one per '- ' line)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{shown} is not a mapping (expected 'key: value' lines)"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return id_message(value)
    if kind == "string_pattern_mismatch":
        return f"{shown} is not written as this field needs (expected text of the form the README shows)"
    if kind == "string_too_short":
        return f"{shown} is empty (expected some text)"
    if kind in ("too_short",):
        return f"the list is empty (expected at least {ctx.get('min_length', 1)} item)"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{shown} is too small (expected {ctx.get('ge', ctx.get('gt'))} or more)"
    return f"{msg[0].lower() + msg[1:]} (got {shown})"


def id_message(value: Any) -> str:
    """The rule for ids in words, with the id the value was probably meant to be."""
    import re

    rule = "ids use lower-case letters, digits, dots, hyphens and underscores, e.g. 'kyc.profile'"
    if not isinstance(value, str):
        return f"{value!r} is not an id ({rule})"
    guess = re.sub(r"[^a-z0-9._-]+", "-", value.strip().lower()).strip("-._")
    hint = f"; did you mean '{guess}'?" if guess and guess != value else ""
    return f"'{value}' is not an id ({rule}{hint})"


# --- one pass over the events: the data (and its nodes) without composing --------------------------
#
# parse_yaml used to parse every file twice (the events first, for the safety checks, then composed
# into nodes and constructed in Python). For the few small files of each assessment that is a fifth
# of a council's fixed cost in a national batch, and for a 5,000-line plan it is seconds. The pass
# below builds the same data from the events alone: the same checks (depth, number of values,
# aliases, merge keys), ruamel's YAML 1.2 resolution of plain scalars (its own patterns, in its
# order) and efl's own constructors (numbers as written, NFC text, checked dates). With ``nodes`` it
# also keeps a light node per mapping and list, with the marks of its keys and values (a scalar's
# event stands in for its node: the composer copies value and marks from that very event), which is
# all YamlDocument needs to name a line. It gives up (SLOW) on anything it does not do exactly as
# the full parse does: a tag, a %YAML version other than 1.2, two documents, a duplicate or
# unhashable key, a value the constructors refuse, any problem at all; the full parse then reports
# it at its line. tests/test_yaml_fast.py and tests/test_yaml_located.py compare the two.

SLOW = object()  # "parse this file the full way"
_NO_KEY = object()
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_RESOLVERS: dict[str, list[tuple[str, Any]]] | None = None


class LightMapping(MappingNode):
    """A mapping's node as YamlDocument reads it: its start and its (key, value) marks, nothing else."""

    def __init__(self, start_mark: Any):  # noqa: D107 - no tag, anchor or end: nothing reads them
        self.value: list[tuple[Any, Any]] = []
        self.start_mark = start_mark


class LightSequence(SequenceNode):
    """A list's node as YamlDocument reads it: its start and its items' marks."""

    def __init__(self, start_mark: Any):  # noqa: D107
        self.value: list[Any] = []
        self.start_mark = start_mark


def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's implicit resolvers for YAML 1.2 by first character, in its order (as VersionedResolver
    builds them; a scalar whose first character has none is text)."""
    global _RESOLVERS
    if _RESOLVERS is None:
        from ruamel.yaml.resolver import implicit_resolvers

        table: dict[Any, list[tuple[str, Any]]] = {}
        for versions, tag, regexp, first in implicit_resolvers:
            if (1, 2) in versions:
                for ch in first:
                    table.setdefault(ch, []).append((tag, regexp))
        anywhere = table.pop(None, [])
        _RESOLVERS = {ch: rs + anywhere for ch, rs in table.items()}
        if anywhere:
            raise NotImplementedError("a resolver for any first character")  # none in ruamel 0.19 for 1.2
    return _RESOLVERS


def _resolve(value: str, table: dict) -> str:
    for tag, regexp in table.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR


# What the one pass has worked out about short plain scalars, kept for the whole process: a batch
# reads the same keys, words and dates in every council's assessment.yaml (a small council's file
# is about 200 plain scalars, nearly all seen before), and resolving one against ruamel's patterns
# (about 2 us) or building a date through ruamel's timestamp constructor (about 4.5 us) cost a
# tenth of reading the file. Both are pure functions of the text (one resolver, YAML 1.2; a date
# is immutable), so a value remembered is the value that would be worked out again. Only short
# texts are kept, and each table is emptied when full, so a long plan's text is never held.
# tests/test_yaml_scalar_memo.py checks the one pass against the full parse with the tables warm.
_MEMO_LONGEST = 40
_MEMO_ENTRIES = 4096
_TAGS: dict[str, str] = {}      # plain scalar -> its tag
_DATES: dict[str, Any] = {}     # plain scalar resolved as a timestamp -> its date (or datetime)


_ONE_PASS_LOADER: Any = None


def _one_pass_loader(text: str) -> tuple[Any, Any]:
    """(constructor, parser) for ``text``, set up as parse_yaml sets up its loader.

    ruamel's ``YAML().get_constructor_parser`` makes a new loader class (C parser, constructor and
    resolver together) on every call, which cost more than the one pass over a small file; the
    class is the same each time, so it is made once, as ruamel makes it. Without the C parser the
    loader is ruamel's own, made each time.
    """
    global _ONE_PASS_LOADER
    if _ONE_PASS_LOADER is None:
        yaml = YAML(typ="safe")
        yaml.Constructor = _tracking_constructor({}, [])  # only its scalar constructors are called
        yaml.Resolver = _OneVersionResolver
        parser_class = yaml.Parser
        if parser_class is None or parser_class.__module__.split(".")[-1] != "_ruamel_yaml":
            def made_each_time(stream: str, yaml: Any = yaml) -> tuple[Any, Any]:
                return yaml.get_constructor_parser(stream)

            _ONE_PASS_LOADER = made_each_time
        else:
            constructor_class, resolver_class = yaml.Constructor, yaml.Resolver

            class Loader(parser_class, constructor_class, resolver_class):  # as ruamel's XLoader
                def __init__(self, stream: str):
                    parser_class.__init__(self, stream)
                    self._parser = self._composer = self
                    constructor_class.__init__(self, loader=self)
                    self.allow_duplicate_keys = False
                    resolver_class.__init__(self, version=None, loadumper=self)

            def made_once(stream: str) -> tuple[Any, Any]:
                loader = Loader(stream)
                return loader, loader

            _ONE_PASS_LOADER = made_once
    return _ONE_PASS_LOADER(text)


def one_pass(text: str, nodes: dict[int, Any] | None = None, keep: list[Any] | None = None) -> Any:
    """The data of ``text`` exactly as ``parse_yaml(text, ...).data``, or :data:`SLOW`.

    With ``nodes`` and ``keep``, they are filled as parse_yaml's constructor fills them (``id`` of
    each mapping and list -> its node; the containers, so their ids stay theirs); on SLOW they are
    left half-filled, for the caller to throw away.
    """
    try:
        return _one_pass(text, nodes, keep)
    except Exception:  # noqa: BLE001 - whatever it is, the full parse says it properly
        return SLOW


def _one_pass(text: str, nodes: dict[int, Any] | None, keep: list[Any] | None) -> Any:  # noqa: C901
    # One loop over the events, the common steps written out in it (a plan of 5,000 lines is 150,000
    # events, and a function call per event was a third of reading it: helper progress's change to
    # the plan loader, kept here). Each open container is a stack entry [container, pending key, its
    # light node, the pending key's event]; get_event() alone, up to the stream's end.
    from ruamel.yaml.events import (DocumentStartEvent, MappingEndEvent, MappingStartEvent, SequenceEndEvent,
                                    SequenceStartEvent, StreamEndEvent)

    constructor, parser = _one_pass_loader(text)
    constructors = type(constructor).yaml_constructors
    simple = {tag: constructors[tag] for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                                                 "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                                 "tag:yaml.org,2002:timestamp")}
    table = _resolvers()
    # Plain scalar -> its tag: the short ones as seen in any file before (_TAGS), the long ones per file.
    known, dates = _TAGS, _DATES
    tags: dict[str, str] = {}
    nfc = unicodedata.normalize
    located = nodes is not None
    stack: list[list] = []
    top: list | None = None  # stack[-1], the innermost open container
    root: Any = SLOW
    documents = values = 0
    get = parser.get_event
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                values += 1
                if event.tag is not None or values > MAX_NODES:
                    return SLOW
                value = event.value
                if event.implicit[0]:
                    tag = known.get(value)
                    if tag is None:
                        tag = tags.get(value)
                        if tag is None:
                            tag = _resolve(value, table)
                            if len(value) > _MEMO_LONGEST:
                                tags[value] = tag
                            else:
                                if len(known) >= _MEMO_ENTRIES:
                                    known.clear()
                                known[value] = tag
                else:
                    tag = _STR
                if tag == _STR:
                    obj = value if value.isascii() else nfc("NFC", value)  # (ASCII is its own NFC form)
                elif tag == _TIMESTAMP:
                    obj = dates.get(value)
                    if obj is None:
                        obj = simple[tag](constructor, ScalarNode(tag, value, event.start_mark, event.end_mark,
                                                                  style=event.style))
                        if len(value) <= _MEMO_LONGEST:
                            if len(dates) >= _MEMO_ENTRIES:
                                dates.clear()
                            dates[value] = obj
                elif tag in simple:
                    obj = simple[tag](constructor, ScalarNode(tag, value, event.start_mark, event.end_mark,
                                                              style=event.style))
                else:
                    return SLOW  # a merge key, "=" or another tag the full parse refuses or treats apart
                node = event  # a scalar's event stands in for its node
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                values += 1
                if event.tag is not None or values > MAX_NODES or len(stack) >= MAX_DEPTH:
                    return SLOW
                if kind is MappingStartEvent:
                    top = [{}, _NO_KEY, LightMapping(event.start_mark) if located else None, None]
                else:
                    top = [[], _NO_KEY, LightSequence(event.start_mark) if located else None, None]
                stack.append(top)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                obj, pending, node, _ = stack.pop()
                if pending is not _NO_KEY:
                    return SLOW
                if located:
                    nodes[id(obj)] = node
                    keep.append(obj)  # ids are only unique while the objects live
                top = stack[-1] if stack else None
            elif kind is AliasEvent:
                return SLOW
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1 or getattr(event, "version", None) not in (None, (1, 2)):
                    return SLOW
                continue
            elif kind is StreamEndEvent:
                break
            else:
                continue
            # the value (a scalar, or a container just closed) goes into the container around it
            if top is None:
                if root is not SLOW:
                    return SLOW  # two roots
                root = obj
                continue
            container = top[0]
            if type(container) is list:
                container.append(obj)
                if located:
                    top[2].value.append(node)
            elif top[1] is _NO_KEY:
                if isinstance(obj, (dict, list)) or obj in container:
                    return SLOW  # a key the full parse must judge
                top[1], top[3] = obj, node
            else:
                container[top[1]] = obj
                if located:
                    top[2].value.append((top[3], node))
                top[1] = _NO_KEY
    finally:
        parser.dispose()
    return None if root is SLOW else root
