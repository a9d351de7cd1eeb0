"""``efl verify PACK.zip``: whether anything in an evidence pack changed since it was packed.

Three checks, each of which a quiet forgery must pass:

1. **The members against the manifest**: every file listed is there once, with its size and sha256;
   nothing else is there (a second member of the same name, or a file not in the manifest, is a
   change).
2. **The result follows from the folder**: the unpacked folder is assessed again and must give
   ``result.json`` byte for byte, so an edited or swapped result, a raised claim or a moved
   evidence date is caught even when the manifest was updated to match. The files whose content
   disagrees with the result are named.
3. **The signature**, when the pack is signed and the signer's public key is given: the manifest
   must be the one the council signed, so even the figures that rest on withheld personal files
   (which the peer team cannot re-compute) cannot change unseen. Unsigned, those figures are named
   as attested by the council.

Reading is bounded, as for any file from outside: the pack's size, the number of members, each
member's size and compression ratio (a small member that would inflate to gigabytes is refused
before it is read), and how deeply the JSON nests. A pack that is not one (a folder, a pipe, a zip
without a manifest, a manifest of the wrong shape) is exit 2 with what is wrong, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from efl.errors import Diagnostic, EflError, InputError
from efl.peer.pack import FOLDER, MANIFEST, RESULT, Manifest
from efl.peer.withheld import WITHHELD_FILE, Withheld

MAX_MEMBERS = 20_000
MAX_RATIO = 200            # uncompressed / compressed; text compresses 5-20 times, a zip bomb thousands
MAX_TOTAL_FACTOR = 4       # all members together: at most this many times the single-file limit
MAX_JSON_DEPTH = 100       # a result nests about 15 deep


@dataclass
class Verdict:
    problems: list[Diagnostic]      # what changed: exit 1
    checked: int                     # files checked against the manifest
    notes: list[str] = field(default_factory=list)  # what a reader must know even when nothing changed
    recomputed: bool = False         # the result was re-worked out from the folder and matched
    signed_by: str | None = None     # the signer's key fingerprint, when the signature was checked


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(shown: str, message: str) -> InputError:
    return InputError(Diagnostic(shown, message=message))


def json_depth(data: bytes) -> int:
    """How deeply ``data`` nests (brackets outside strings), without building anything."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _load_json(shown: str, data: bytes, what: str):  # noqa: ANN202
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise _refuse(shown, f"nests {depth:,} levels deep (expected {what}, at most {MAX_JSON_DEPTH} deep)")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise _refuse(shown, f"not valid JSON ({exc}) (expected {what})") from None


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (bool(name) and not name.startswith("/") and "\\" not in name and "\x00" not in name
            and all(part not in ("..", ".", "") for part in name.rstrip("/").split("/"))
            and not any(ord(ch) < 32 for ch in name) and path.parts[0] != "")


class _Members:
    """The pack's members, read once each, within the limits above."""

    def __init__(self, shown: str, archive: zipfile.ZipFile, limit: int):
        self.shown, self.archive, self.limit = shown, archive, limit
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise _refuse(shown, f"has {len(infos):,} members (expected a pack of at most {MAX_MEMBERS:,} files)")
        self.duplicates: list[str] = []
        self.infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            if not _safe_name(info.filename):
                raise _refuse(shown, f"has a member named {info.filename!r} that leads outside the pack "
                                     "(expected names such as assessment/evidence/file.csv)")
            if info.filename in self.infos:
                self.duplicates.append(info.filename)
                continue
            self._check_size(info)
            total += info.file_size
            self.infos[info.filename] = info
        if total > limit * MAX_TOTAL_FACTOR:
            raise _refuse(shown, f"would unpack to {total:,} bytes (expected at most {limit * MAX_TOTAL_FACTOR:,}; "
                                 "EFL_MAX_FILE_MB sets the limit)")
        self._data: dict[str, bytes] = {}

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        where = f"{self.shown}:{info.filename}"
        if info.file_size > self.limit:
            raise _refuse(where, f"would unpack to {info.file_size:,} bytes (expected at most {self.limit:,}; "
                                 "EFL_MAX_FILE_MB sets the limit)")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(where, f"would inflate {info.file_size / max(info.compress_size, 1):,.0f} times (expected "
                                 f"at most {MAX_RATIO} times: a pack efl writes is ordinary files)")

    def read(self, name: str) -> bytes:
        """The member's bytes, never more than its header says (a header that lies is refused)."""
        if name not in self._data:
            info = self.infos[name]
            try:
                with self.archive.open(info) as handle:
                    data = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                raise _refuse(f"{self.shown}:{name}", f"cannot be read ({exc}) (expected a member efl pack "
                                                      "wrote)") from None
            if len(data) > info.file_size:
                raise _refuse(f"{self.shown}:{name}", "is larger than the zip's own record of it says "
                                                      "(expected a member efl pack wrote)")
            self._data[name] = data
        return self._data[name]


def _open(pack: Path) -> bytes:
    from efl.files.safe_files import FileProblem, max_file_bytes, read_named_file

    shown = str(pack)
    try:
        return read_named_file(pack, max_file_bytes() * MAX_TOTAL_FACTOR)
    except FileProblem as problem:
        if problem.kind == "missing":
            raise _refuse(shown, "no such file (expected a pack written by 'efl pack')") from None
        raise _refuse(shown, f"{problem.message} (expected a pack written by 'efl pack')") from None


def verify_pack(pack: Path, host=None, public_key=None) -> Verdict:  # noqa: ANN001, C901
    """Check a pack (see the module's docstring).

    Raises InputError (exit 2) when ``pack`` is not a readable pack, or the result cannot be
    re-worked out here (another efl, framework or plugin version); returns the changes otherwise.
    """
    from efl.files.safe_files import max_file_bytes

    shown = str(pack)
    data = _open(pack)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(shown, f"not a zip file ({exc}) (expected a pack written by 'efl pack')") from None
    with archive:
        members = _Members(shown, archive, max_file_bytes())
        if MANIFEST not in members.infos:
            raise _refuse(shown, f"has no {MANIFEST} (expected a pack written by 'efl pack')")
        manifest_bytes = members.read(MANIFEST)
        manifest = _manifest(f"{shown}:{MANIFEST}", manifest_bytes)
        problems = [Diagnostic(f"{shown}:{name}", message="appears twice in the pack (a second copy was added after "
                               "packing; expected each file once)") for name in sorted(set(members.duplicates))]
        verdict = Verdict(problems, len(manifest.files) + 1)
        _check_signature(shown, members, manifest_bytes, public_key, verdict)
        listed = {f.path: f for f in [*manifest.files, manifest.result]}
        for name, entry in listed.items():
            if name not in members.infos:
                problems.append(Diagnostic(f"{shown}:{name}", message="missing from the pack (listed in the manifest)"))
                continue
            actual = members.infos[name].file_size
            if actual != entry.size:
                problems.append(Diagnostic(f"{shown}:{name}", message=f"changed: {actual:,} bytes, packed as "
                                           f"{entry.size:,}"))
                continue
            digest = _sha(members.read(name))
            if digest != entry.sha256:
                problems.append(Diagnostic(f"{shown}:{name}", message=f"changed: its sha256 is not the one packed"))
        withheld = {w.path: w for w in manifest.withheld}
        from efl.peer.signing import SIGNATURE

        for name in sorted(set(members.infos) - set(listed) - {MANIFEST, SIGNATURE}):
            w = withheld.get(name)
            if w is not None and _sha(members.read(name)) == w.sha256:
                continue  # a personal file put back as it was
            problems.append(Diagnostic(f"{shown}:{name}", message="added after packing (not in the manifest)"
                                       if w is None else "a personal file put back, but not the one packed"))
        if RESULT in members.infos:
            result = _load_json(f"{shown}:{RESULT}", members.read(RESULT), "the JSON of 'efl assess'")
            problems += _check_evidence(shown, members, manifest, result)
            if host is not None:
                _reassess(shown, members, manifest, result, host, verdict)
            _note_withheld(members, manifest, verdict, result)
    verdict.problems = sorted(set(problems))
    return verdict


def _manifest(shown: str, data: bytes) -> Manifest:
    raw = _load_json(shown, data, "the manifest 'efl pack' writes")
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        from efl.files.yamlio import pydantic_diagnostics, parse_yaml

        try:
            diagnostics = pydantic_diagnostics(exc, parse_yaml(data.decode("utf-8", "replace"), shown), Manifest)
        except EflError:
            diagnostics = [Diagnostic(shown, message=f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                           for e in exc.errors(include_url=False)]
        raise InputError([Diagnostic(d.path, d.line, d.col, f"{d.message} (expected the manifest 'efl pack' writes)")
                          for d in diagnostics]) from None


def _check_signature(shown: str, members: _Members, manifest: bytes, public_key, verdict: Verdict) -> None:  # noqa: ANN001
    from efl.peer.signing import SIGNATURE, check_signature, public_fingerprint, signer_fingerprint

    where = f"{shown}:{SIGNATURE}"
    if SIGNATURE not in members.infos:
        if public_key is not None:
            verdict.problems.append(Diagnostic(where, message="missing: the pack is not signed (expected a "
                                               "signature by the key given with --key)"))
        return
    signature = members.read(SIGNATURE)
    if public_key is None:
        verdict.notes.append(f"The pack is signed by the key with fingerprint {signer_fingerprint(signature)}; give "
                             "the council's public key with --key to check that the council signed it.")
        return
    why = check_signature(manifest, signature, public_key)
    if why is not None:
        verdict.problems.append(Diagnostic(where, message=why))
    else:
        verdict.signed_by = public_fingerprint(public_key)


def _check_evidence(shown: str, members: _Members, manifest: Manifest, result: dict) -> list[Diagnostic]:
    """The result records every evidence file's sha256: a file changed together with the manifest
    still disagrees with the result (and changing the result too breaks its own hash)."""
    try:
        evidence = result["evidence"]
        refs = [(str(r["id"]), r.get("file"), r.get("sha256")) for r in evidence]
    except (KeyError, TypeError, AttributeError):
        return [Diagnostic(f"{shown}:{RESULT}", message="not a result (expected the JSON of 'efl assess')")]
    problems = []
    if result.get("hypothetical"):  # a pack holds only the council's own result, never a what-if
        problems.append(Diagnostic(f"{shown}:{RESULT}", message="is a what-if result, not the council's own "
                                   "assessment (a pack holds only the council's own result)"))
    withheld = {w.path for w in manifest.withheld}
    prefix = _evidence_prefix(manifest)
    for ident, file, sha in refs:
        if not isinstance(file, str) or not isinstance(sha, str):
            continue
        name = str(PurePosixPath(prefix) / file)
        if name in withheld and name not in members.infos:
            continue
        if name not in members.infos:
            problems.append(Diagnostic(f"{shown}:{name}", message=f"evidence '{ident}' is missing from the pack"))
        elif _sha(members.read(name)) != sha:
            problems.append(Diagnostic(f"{shown}:{name}", message=f"evidence '{ident}' differs from the file the "
                                       "result was worked out from"))
    return problems


def _evidence_prefix(manifest: Manifest) -> str:
    """The folder the evidence files are in: the assessed folder, or for a peer pack the council's."""
    if manifest.kind == "peer":
        folders = {f.path.split("/", 1)[0] for f in manifest.files} - {manifest.folder}
        if len(folders) == 1:
            return folders.pop()
    return manifest.folder


def _reassess(shown: str, members: _Members, manifest: Manifest, packed: dict, host, verdict: Verdict) -> None:  # noqa: ANN001
    """Assess the unpacked folder again: the result must follow from it byte for byte."""
    from efl.core.engine import assess
    from efl.core.plugin_api import ReportOptions
    from efl.reports.report_formats import render

    _same_setting(shown, manifest, host)
    with tempfile.TemporaryDirectory(prefix="efl-verify-") as tmp:
        root = Path(tmp)
        for name in members.infos:
            if name.split("/", 1)[0] in (MANIFEST, RESULT) or "/" not in name:
                continue
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(members.read(name))
        try:
            again = render(host, assess(root / manifest.folder, host).result, "json", ReportOptions())
        except InputError as error:
            first = error.diagnostics[0]
            where = first.path.replace(str(root) + "/", "")
            verdict.problems.append(Diagnostic(f"{shown}:{where}", first.line, first.col,
                                               f"the unpacked folder no longer assesses: {first.message}"))
            return
    if again.encode() == members.read(RESULT):
        verdict.recomputed = True
        return
    record = _withheld(members, manifest)
    names = {f.name for f in record.facts} if isinstance(record, Withheld) else set()
    verdict.problems += _name_the_files(shown, manifest, packed, json.loads(again), names)


def _same_setting(shown: str, manifest: Manifest, host) -> None:  # noqa: ANN001
    """Re-working out the result needs the efl, framework and plugins it was packed with."""
    from efl.version import __version__
    from efl.core.engine import Engine

    differences = []
    if manifest.efl_version != __version__:
        differences.append(f"efl {manifest.efl_version} (this is efl {__version__})")
    installed = {i.name: i.version for i in host.all_infos() if i.status == "loaded"}
    for p in manifest.plugins:
        if installed.get(p.name) != p.version:
            differences.append(f"plugin {p.name} {p.version} (here: {installed.get(p.name, 'not loaded')})")
    try:
        framework = Engine(host).frameworks.load(manifest.framework.id)
        if framework.sha256 != manifest.framework.sha256 or framework.framework.version != manifest.framework.version:
            differences.append(f"framework {manifest.framework.id} {manifest.framework.version} as packed (here: "
                               f"version {framework.framework.version}, another file)")
    except EflError:
        differences.append(f"framework {manifest.framework.id} (not installed here)")
    if differences:
        raise _refuse(shown, "the result cannot be re-worked out here: the pack was made with "
                      + "; ".join(differences) + " (expected the same efl, framework and plugins; nothing was "
                      "found changed, and nothing is vouched for)")


def _diff(old, new, path: str = "") -> list[str]:  # noqa: ANN001
    """The paths where two JSON values differ (the first few)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            out += _diff(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in _diff(a, b, f"{path}[{i}]")]
    return [] if old == new else [path or "the whole result"]


def _name_the_files(shown: str, manifest: Manifest, packed: dict, again: dict,
                    withheld_names: set[str]) -> list[Diagnostic]:
    """Which files disagree with the packed result, from where the two results differ."""
    out = []
    folder = manifest.folder
    prefix = _evidence_prefix(manifest)
    if not isinstance(packed, dict):
        packed = {}
    places = _diff(packed, again)
    record = [p for p in places if p.startswith("assessment")]
    if record:
        out.append(Diagnostic(f"{shown}:{folder}/assessment.yaml", message="disagrees with the result: "
                              + _places(record, packed, again)))
    evidence = packed.get("evidence") if isinstance(packed.get("evidence"), list) else []
    again_evidence = {e["id"]: e for e in again.get("evidence", [])}
    for ref in evidence:
        if not isinstance(ref, dict):
            continue
        now = again_evidence.get(ref.get("id"))
        if now is None:
            continue
        if ref.get("date") != now.get("date") or ref.get("file") != now.get("file"):
            out.append(Diagnostic(f"{shown}:{folder}/assessment.yaml", message=f"evidence '{now['id']}' is dated "
                                  f"{now.get('date')} in the folder, {ref.get('date')} in the result"))
    facts_packed = {f.get("name"): f for f in packed.get("facts", []) if isinstance(f, dict)}
    withheld_file = f"{prefix}/{WITHHELD_FILE}"
    for fact in again.get("facts", []):
        old = facts_packed.get(fact["name"])
        if old == fact:
            continue
        if fact["name"] in withheld_names:
            out.append(Diagnostic(f"{shown}:{withheld_file}", message=f"the figure {fact['name']} differs from the "
                                  "result"))
        else:
            ids = set(fact.get("evidence", []))
            files = sorted({e["file"] for e in again.get("evidence", []) if e["id"] in ids and e.get("file")})
            for file in files or [None]:
                name = f"{prefix}/{file}" if file else f"{folder}/assessment.yaml"
                out.append(Diagnostic(f"{shown}:{name}", message=f"gives {fact['name']} another value than the result"))
    out.append(Diagnostic(f"{shown}:{RESULT}", message="does not follow from the folder: assessing it again gives "
                          "another result (" + _places(places, packed, again) + ")"))
    return out


def _places(places: list[str], old: dict, new: dict) -> str:
    shown = []
    for place in places[:3]:
        shown.append(f"{place}: {_value_at(old, place)} in the result, {_value_at(new, place)} from the folder")
    more = f"; and {len(places) - 3} more" if len(places) > 3 else ""
    return "; ".join(shown) + more


def _value_at(data, place: str) -> str:  # noqa: ANN001
    import re

    value = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", place):
        try:
            value = value[int(part[1:-1])] if part.startswith("[") else value.get(part)
        except (IndexError, TypeError, AttributeError, ValueError):
            return "nothing"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _withheld(members: _Members, manifest: Manifest) -> Withheld | str | None:
    """The record of withheld personal files in the pack: the record, its member name if unreadable, or None."""
    name = f"{_evidence_prefix(manifest)}/{WITHHELD_FILE}"
    if name not in members.infos:
        return None
    try:
        return Withheld.model_validate(_load_json(name, members.read(name), "the record of withheld files"))
    except (ValidationError, InputError):
        return name


def _criteria_resting_on(result: object, facts: set[str]) -> list[str]:
    """The titles of the criteria whose outcome uses one of ``facts`` (what a peer team reads them as)."""
    if not isinstance(result, dict):
        return []
    out = []
    for area in result.get("areas") or []:
        for c in (area.get("criteria") or []) if isinstance(area, dict) else []:
            if isinstance(c, dict) and facts & set(c.get("facts") or []) and isinstance(c.get("title"), str):
                out.append(c["title"])
    return out


def _note_withheld(members: _Members, manifest: Manifest, verdict: Verdict, result: object = None) -> None:
    """Name the figures that rest on withheld personal files, and the tests they decide: the council's
    word, not re-computable."""
    withheld = _withheld(members, manifest)
    if withheld is None:
        return
    if isinstance(withheld, str):
        verdict.problems.append(Diagnostic(f"{members.shown}:{withheld}", message="is not the record efl pack "
                                           "writes of the personal files it left out"))
        return
    facts = sorted(f.name for f in withheld.facts)
    files = ", ".join(sorted(f"'{i.file}'" for i in withheld.items.values()))
    vouched = ("The council's signature covers them." if verdict.signed_by else
               "The pack is not signed with a key given here, so they rest on the council's word alone; ask for a "
               "signed pack to be sure they have not changed.")
    tests = _criteria_resting_on(result, set(facts))
    decide = (f" They decide {len(tests)} test{'s' if len(tests) != 1 else ''}: "
              + "; ".join(f"'{t}'" for t in tests) + "." if tests else "")
    verdict.notes.append(f"{len(facts)} figure{'s' if len(facts) != 1 else ''} rest{'s' if len(facts) == 1 else ''} "
                         f"on personal files withheld from the pack ({files}).{decide} They are attested by the "
                         f"council and cannot be re-computed by the peer team. {vouched} The figures, by name: "
                         f"{', '.join(facts) or 'none'}.")
