"""Evidence packs: one zip a council hands to its peer team, and a check that nothing in it changed.

``efl pack DIR -o PACK.zip`` writes:

- ``assessment/``: the assessment folder, every file in it, except files with personal data;
- ``result.json``: the result, exactly as ``efl assess DIR --format json`` prints it;
- ``manifest.json``: each file's sha256, size and date; the framework's id, version and sha256;
  efl's and every plugin's version; the files left out.

Personal data. An evidence item marked ``personal: true``, and every ``workforce-profile`` (one row
per employee), is left out unless ``--include-personal`` is given. In its place the pack keeps, in
``assessment/.efl-withheld.json``, the file's sha256 and size and the figures efl worked out from it
(the facts, and any warnings about the file), never a row of it. When efl assesses a folder with
that file and the personal file absent, it uses the recorded fingerprint and figures for that item
and works out everything else from the files, so ``efl assess`` on the unpacked pack prints the
same JSON byte for byte. ``efl pack`` checks this itself before it writes the pack: it unpacks
the pack into a temporary folder, assesses it and compares.

``efl verify PACK.zip`` checks every file against the manifest and the result's own fingerprints:
exit 0 unchanged; 1 changed, with every changed, missing or added file named; 2 not a pack.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError

from efl.errors import Diagnostic, EflError, InputError
from efl.core.models import FactValue, WarningRef

WITHHELD_FILE = ".efl-withheld.json"
MANIFEST = "manifest.json"
RESULT = "result.json"
FOLDER = "assessment"
PACK_FORMAT = "1"
# Always personal: one row per employee, whatever the item says.
PERSONAL_TYPES = ("workforce-profile",)


class WithheldItem(BaseModel):
    file: str
    sha256: str
    size: int


class Withheld(BaseModel):
    """What stands in for personal files left out of a pack (``.efl-withheld.json``)."""

    note: str = ""
    items: dict[str, WithheldItem]
    facts: list[FactValue]   # the figures as packed, for the facts the personal files change
    fact_names: list[str]    # every fact the packed result has
    warnings: list[WarningRef] = []


def read_withheld(folder: Path) -> Withheld | None:
    """The folder's record of withheld personal files, if it has one (an unpacked pack)."""
    path = folder / WITHHELD_FILE
    if not path.is_file():
        return None
    from efl.files.yamlio import parse_yaml, pydantic_diagnostics, read_text

    text = read_text(path, str(path))
    try:
        return Withheld.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise InputError(Diagnostic(str(path), exc.lineno, exc.colno, f"not valid JSON: {exc.msg} (expected the "
                                    "record efl pack writes of the personal files it left out)")) from None
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, parse_yaml(text, str(path)), Withheld)) from None


def is_personal(item) -> bool:  # noqa: ANN001
    return bool(item.file) and (item.personal or item.type in PERSONAL_TYPES)


def overlay_facts(withheld: Withheld, facts: dict[str, FactValue]) -> dict[str, FactValue]:
    """The facts of an unpacked pack: those worked out from the files, with the recorded ones for
    what the personal files gave, and only the facts the packed result had."""
    merged = dict(facts)
    merged.update((f.name, f) for f in withheld.facts)
    return {name: merged[name] for name in withheld.fact_names if name in merged}


def overlay_warnings(withheld: Withheld, warnings: list[WarningRef]) -> list[WarningRef]:
    files = {item.file for item in withheld.items.values()}
    kept = [w for w in warnings if w.file not in files] + list(withheld.warnings)
    return sorted(kept, key=lambda w: (w.file, w.line, w.col, w.message))


# --- making a pack ---------------------------------------------------------------------------------


@dataclass
class Packed:
    data: bytes
    files: int
    withheld: list[str]


def _date(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date().isoformat()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder_files(folder: Path) -> list[Path]:
    """Every regular file in the folder; links and anything leading outside it are left out."""
    root = folder.resolve()
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) / d).is_symlink())
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file() or name == WITHHELD_FILE:
                continue
            out.append(path)
    return out


def make_pack(folder: Path, host, include_personal: bool = False) -> Packed:  # noqa: ANN001
    from efl.core.engine import compute_facts, prepare, assess_prepared
    from efl.files.evidence import EvidenceSet
    from efl.core.plugin_api import AssessmentContext, ReportOptions
    from efl.reports.report_formats import render

    prepared = prepare(folder, host)
    loaded = prepared.loaded
    if loaded.assessment.evidence_from is not None:
        raise InputError(Diagnostic(loaded.doc.path, *loaded.doc.locate(("evidence_from",)),
                                    "a pack holds one folder with its own evidence (expected the council's "
                                    "folder, not one that reads another's with evidence_from)"))
    run = assess_prepared(prepared, host)
    if run.failures:
        raise run.failures[0]
    if run.result.hypothetical:  # a pack is the council's own evidence and result, never a what-if
        raise InputError(Diagnostic(loaded.doc.path, message="a what-if result cannot be packed (expected the "
                                    "council's own assessment, without assumed figures)"))
    result_text = render(host, run.result, "json", ReportOptions())
    personal = [] if include_personal else [r for r in prepared.evidence if is_personal(r.item)]
    root = folder.resolve()
    left_out = {(root / r.item.file).resolve() for r in personal}
    withheld_text = None
    if personal:
        ids = {r.item.id for r in personal}
        fw = prepared.framework.framework
        reduced = EvidenceSet([r for r in prepared.evidence if r.item.id not in ids])
        context = AssessmentContext(loaded.assessment, fw, reduced, loaded.evidence_folder)
        without, _ = compute_facts(host, context)
        changed = [f for f in run.result.facts if without.get(f.name) != f]
        files = {r.item.file for r in personal}
        withheld = Withheld(
            note="Personal files left out of this pack; the figures efl worked out from them are kept here so "
                 "the pack assesses to the same result. No row of the files is kept.",
            items={r.item.id: WithheldItem(file=r.item.file, sha256=r.sha256, size=r.path.stat().st_size)
                   for r in personal},
            facts=changed, fact_names=[f.name for f in run.result.facts],
            warnings=[w for w in run.result.warnings if w.file in files])
        withheld_text = json.dumps(withheld.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

    members: list[tuple[str, bytes, str]] = []  # (name in the zip, data, date)
    from efl.files.evidence import file_size_limit
    from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic

    limit = file_size_limit()
    with SafeFolder(root) as opened:  # read inside the folder's descriptor: no link out, no pipe, bounded
        for path in _folder_files(folder):
            if path.resolve() in left_out:
                continue
            relative = path.relative_to(root).as_posix()
            try:
                data = opened.read(relative, limit)
            except FileProblem as problem:
                raise InputError(as_diagnostic(str(folder / relative), problem)) from None
            members.append((f"{FOLDER}/{relative}", data, _date(path)))
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    if withheld_text is not None:
        members.append((f"{FOLDER}/{WITHHELD_FILE}", withheld_text.encode(), today))
    result_bytes = result_text.encode()
    manifest = {
        "efl_pack": PACK_FORMAT,
        "council": run.result.assessment.council,
        "assessment_date": run.result.assessment.date.isoformat(),
        "framework": {"id": run.result.framework.id, "version": run.result.framework.version,
                      "sha256": run.result.framework.sha256},
        "efl_version": run.result.efl_version,
        "plugins": [p.model_dump(mode="json") for p in run.result.plugins],
        "result": {"path": RESULT, "sha256": _sha(result_bytes), "size": len(result_bytes)},
        "files": [{"path": name, "sha256": _sha(data), "size": len(data), "date": date}
                  for name, data, date in members],
        "withheld": [{"path": f"{FOLDER}/{r.item.file}", "evidence": r.item.id, "sha256": r.sha256,
                      "size": r.path.stat().st_size, "date": _date(r.path), "why": "personal data"}
                     for r in personal],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        archive.writestr(RESULT, result_bytes)
        for name, data, _ in members:
            archive.writestr(name, data)
    data = buffer.getvalue()
    _check_reproduces(data, result_text, host)
    return Packed(data, len(members), [r.item.file for r in personal])


def _check_reproduces(data: bytes, expected: str, host) -> None:  # noqa: ANN001
    """Unpack into a temporary folder, assess it, and insist on the same JSON, byte for byte."""
    from efl.core.engine import assess
    from efl.core.plugin_api import ReportOptions
    from efl.reports.report_formats import render

    with tempfile.TemporaryDirectory(prefix="efl-pack-") as tmp:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(tmp)
        again = render(host, assess(Path(tmp) / FOLDER, host).result, "json", ReportOptions())
    if again != expected:
        raise EflError("the pack would not reproduce the result: assessing the unpacked folder gives different "
                       "JSON (expected byte-identical results; try --include-personal, and report this)")


# --- checking a pack --------------------------------------------------------------------------------


@dataclass
class Verdict:
    problems: list[Diagnostic]
    checked: int


def verify_pack(pack: Path) -> Verdict:
    """Every file against the manifest, and the evidence against the result's own fingerprints.

    Raises InputError (exit 2) when ``pack`` is not a readable pack; returns the changes otherwise.
    """
    shown = str(pack)
    if not pack.is_file():
        raise InputError(Diagnostic(shown, message="no such file (expected a pack written by 'efl pack')"))
    try:
        archive = zipfile.ZipFile(pack)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(Diagnostic(shown, message=f"not a zip file ({exc}) (expected a pack written by "
                                    "'efl pack')")) from None
    with archive:
        names = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        if MANIFEST not in names:
            raise InputError(Diagnostic(shown, message=f"has no {MANIFEST} (expected a pack written by 'efl pack')"))
        try:
            manifest = json.loads(archive.read(MANIFEST))
            entries = [(f["path"], f["sha256"], int(f["size"])) for f in manifest["files"]]
            entries.append((manifest["result"]["path"], manifest["result"]["sha256"], int(manifest["result"]["size"])))
            withheld = {w["path"]: w for w in manifest.get("withheld", [])}
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(Diagnostic(f"{shown}:{MANIFEST}", message=f"not a pack manifest ({exc}) (expected "
                                        "the manifest 'efl pack' writes)")) from None
        problems: list[Diagnostic] = []
        hashes: dict[str, str] = {}
        for name, sha, size in entries:
            info = names.get(name)
            if info is None:
                problems.append(Diagnostic(f"{shown}:{name}", message="missing from the pack (listed in the manifest)"))
                continue
            if info.file_size != size:
                problems.append(Diagnostic(f"{shown}:{name}", message=f"changed: {info.file_size:,} bytes, packed "
                                           f"as {size:,}"))
                continue
            actual = _sha(archive.read(name))
            hashes[name] = actual
            if actual != sha:
                problems.append(Diagnostic(f"{shown}:{name}", message=f"changed: sha256 {actual[:12]}…, packed as "
                                           f"{sha[:12]}…"))
        listed = {name for name, _, _ in entries} | {MANIFEST}
        for name in sorted(set(names) - listed):
            w = withheld.get(name)
            if w is not None and _sha(archive.read(name)) == w["sha256"]:
                continue  # a personal file put back as it was
            problems.append(Diagnostic(f"{shown}:{name}", message="added after packing (not in the manifest)"
                                       if w is None else "a personal file put back, but not the one packed"))
        problems += _check_result(shown, archive, names, manifest)
    return Verdict(sorted(problems), len(entries))


def _check_result(shown: str, archive: zipfile.ZipFile, names: dict, manifest: dict) -> list[Diagnostic]:
    """The result records every evidence file's sha256: a file changed together with the manifest
    still disagrees with the result (and changing the result too breaks its own hash)."""
    if RESULT not in names:
        return []
    try:
        result = json.loads(archive.read(RESULT))
        evidence = result["evidence"]
    except (ValueError, KeyError, TypeError):
        return [Diagnostic(f"{shown}:{RESULT}", message="not a result (expected the JSON of 'efl assess')")]
    problems = []
    if result.get("hypothetical"):
        problems.append(Diagnostic(f"{shown}:{RESULT}", message="is a what-if result, not the council's own "
                                   "assessment (a pack holds only the council's own result)"))
    withheld = {w["path"] for w in manifest.get("withheld", [])}
    for ref in evidence:
        if not ref.get("file") or not ref.get("sha256"):
            continue
        name = str(PurePosixPath(FOLDER) / ref["file"])
        if name in withheld and name not in names:
            continue
        if name not in names:
            problems.append(Diagnostic(f"{shown}:{name}", message=f"evidence '{ref['id']}' is missing from the pack"))
        elif _sha(archive.read(name)) != ref["sha256"]:
            problems.append(Diagnostic(f"{shown}:{name}", message=f"evidence '{ref['id']}' differs from the "
                                       "file the result was worked out from"))
    return problems
