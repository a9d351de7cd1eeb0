"""Evidence packs: one zip a council hands to its peer team, and a check that nothing in it changed.

``efl pack DIR -o PACK.zip`` writes:

- ``assessment/``: the assessment folder, every file in it, except files with personal data;
- ``result.json``: the result, exactly as ``efl assess DIR --format json`` prints it;
- ``manifest.json``: each file's sha256, size and date; the framework's id, version and sha256;
  efl's and every plugin's version; the files left out.

Personal data. An evidence item marked ``personal: true``, and every item of an evidence type that
declares itself personal (``EvidenceType(personal=True)``: one row per employee, say), is left out unless ``--include-personal`` is given. In its place the pack keeps, in
``assessment/.efl-withheld.json``, the file's sha256 and size and the figures efl worked out from it
(the facts, and any warnings about the file), never a row of it. When efl assesses a folder with
that file and the personal file absent, it uses the recorded fingerprint and figures for that item
and works out everything else from the files, so ``efl assess`` on the unpacked pack prints the
same JSON byte for byte. ``efl pack`` checks this itself before it writes the pack: it unpacks
the pack into a temporary folder, assesses it and compares.

A peer folder that reads the council's evidence in place (``evidence_from: ../council``) is packed
with that folder beside it (``council/``), so the peer record and the evidence it argues about
travel together. ``--sign KEY`` adds ``manifest.sig``, an Ed25519 signature over the manifest
(:mod:`efl.peer.signing`). ``efl verify`` is in :mod:`efl.peer.verify`.
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

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efl.errors import Diagnostic, EflError, InputError
from efl.peer.withheld import WITHHELD_FILE, Withheld, WithheldItem, is_personal

MANIFEST = "manifest.json"
RESULT = "result.json"
FOLDER = "assessment"
PACK_FORMAT = "1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ManifestFile(_Strict):
    path: str
    sha256: Sha256
    size: int = Field(ge=0)
    date: str = ""


class ManifestWithheld(_Strict):
    path: str
    evidence: str
    sha256: Sha256
    size: int = Field(ge=0)
    date: str = ""
    why: str = ""


class ManifestFramework(_Strict):
    id: str
    version: str
    sha256: Sha256


class ManifestPlugin(_Strict):
    name: str
    distribution: str
    version: str


class Manifest(_Strict):
    """``manifest.json``: what a pack holds, checked before anything in it is trusted."""

    efl_pack: str
    kind: Literal["council", "peer"] = "council"
    folder: str = FOLDER            # the folder to assess, inside the pack
    council: str
    assessment_date: str
    framework: ManifestFramework
    efl_version: str
    plugins: list[ManifestPlugin]
    result: ManifestFile
    files: list[ManifestFile]
    withheld: list[ManifestWithheld] = []


# --- making a pack ---------------------------------------------------------------------------------


@dataclass
class Packed:
    data: bytes
    files: int
    withheld: list[str]
    signed_by: str | None = None


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


def _left_out_of(folder: Path) -> list[Path]:
    """What :func:`_folder_files` leaves out of the folder: links, anything not a regular file, and
    the folder's own record of withheld files."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder.resolve()):
        out += [Path(dirpath) / d for d in dirnames if (Path(dirpath) / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()]
        out += [Path(dirpath) / n for n in filenames
                if (Path(dirpath) / n).is_symlink() or not (Path(dirpath) / n).is_file() or n == WITHHELD_FILE]
    return out


def _sibling(loaded) -> str | None:  # noqa: ANN001
    """Where a peer folder's evidence folder goes in the pack: beside it, under its own name."""
    if loaded.assessment.evidence_from is None:
        return None
    parts = PurePosixPath(loaded.assessment.evidence_from.replace("\\", "/")).parts
    if len(parts) != 2 or parts[0] != ".." or parts[1] in ("..", ".", FOLDER):
        raise InputError(Diagnostic(loaded.doc.path, *loaded.doc.locate(("evidence_from",)),
                                    f"a pack keeps a peer folder and the council's folder side by side "
                                    f"(expected evidence_from: ../COUNCIL-FOLDER, a folder beside this one, not "
                                    f"named '{FOLDER}'; got '{loaded.assessment.evidence_from}')"))
    return parts[1]


def _read_folder(folder: Path, prefix: str, skip: set[Path], limit: int) -> list[tuple[str, bytes, str]]:
    from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic

    root = folder.resolve()
    members = []
    with SafeFolder(root) as opened:  # read inside the folder's descriptor: no link out, no pipe, bounded
        for path in _folder_files(folder):
            if path.resolve() in skip:
                continue
            relative = path.relative_to(root).as_posix()
            try:
                data = opened.read(relative, limit)
            except FileProblem as problem:
                raise InputError(as_diagnostic(str(folder / relative), problem)) from None
            members.append((f"{prefix}/{relative}", data, _date(path)))
    return members


# Deflate's fastest level: a third of the default level's time on a large CSV file, for a zip a
# fifth larger (1M employees: 0.6 s and 12 MB against 2.2 s and 8 MB). A pack is made and read once.
COMPRESSION_LEVEL = 1


def make_pack(folder: Path, host, include_personal: bool = False, sign_key=None) -> Packed:  # noqa: ANN001
    """The pack of a council's folder, or of a peer folder with the council's folder beside it.

    ``sign_key`` (an Ed25519 private key) adds a detached signature over the manifest.

    When nothing is left out (``--include-personal``, or no personal files) the pack holds every
    file of the folder as it is, so the folder is read once, copied as read into a temporary folder,
    and the result is that copy's assessment: what the pack reproduces by construction, with one
    assessment instead of two. Otherwise, or if the copy is not the whole folder (a link, a record of
    withheld files) or does not assess cleanly, the pack is made from the folder and then checked
    by assessing it unpacked (:func:`_make_checked_pack`), whose messages name the council's files.
    """
    from efl.core.assessment import read_assessment

    first = read_assessment(folder)
    if first.assessment is not None:
        types = host.evidence_types().items
        if include_personal or not any(is_personal(item, types) for _, item in first.items):
            packed = _make_whole_pack(folder, first, host, include_personal, sign_key)
            if packed is not None:
                return packed
    return _make_checked_pack(folder, host, include_personal, sign_key)


def _make_whole_pack(folder: Path, first, host, include_personal: bool, sign_key) -> Packed | None:  # noqa: ANN001
    """The pack of a folder none of whose files is left out, assessed once from the bytes packed;
    None when that cannot be done here (the caller makes the pack the checked way)."""
    from efl.core.engine import assess_prepared, prepare
    from efl.core.plugin_api import ReportOptions
    from efl.files.evidence import file_size_limit
    from efl.reports.report_formats import render

    limit = file_size_limit()
    try:
        sibling = _sibling(first)
        folders = [folder] + ([first.evidence_folder] if sibling is not None else [])
        if any(_left_out_of(f) for f in folders):
            return None  # the copy would not be the folder: assess the folder itself, and check the pack
    except EflError:
        return None
    try:
        members = _read_folder(folder, FOLDER, set(), limit)
        if sibling is not None:
            members += _read_folder(first.evidence_folder, sibling, set(), limit)
    except InputError:
        # A file that cannot be packed (a pipe, too big, gone) is named; but as before, what is wrong
        # with the assessment itself is said first.
        run = assess_prepared(prepare(folder, host), host)
        if run.failures:
            raise run.failures[0] from None
        raise
    with tempfile.TemporaryDirectory(prefix="efl-pack-") as tmp:
        root = Path(tmp)
        (root / FOLDER).mkdir()
        for name, data, _ in members:
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            prepared = prepare(root / FOLDER, host)
            run = assess_prepared(prepared, host)
        except EflError:
            return None
        types = host.evidence_types().items
        if run.failures or run.result.hypothetical or (
                not include_personal and any(is_personal(r.item, types) for r in prepared.evidence)):
            return None  # (the folder changed since it was first read, or cannot be packed as it is)
        result_text = render(host, run.result, "json", ReportOptions())
    return _write_pack(run.result, result_text, members, [], FOLDER if sibling is None else sibling, sibling,
                       sign_key)


def _make_checked_pack(folder: Path, host, include_personal: bool = False, sign_key=None) -> Packed:  # noqa: ANN001
    """The pack made from the folder's assessment, with personal files left out unless
    ``include_personal``, then checked: assessed unpacked, it must give the same JSON."""
    from efl.core.engine import assess_prepared, compute_facts, prepare
    from efl.core.plugin_api import AssessmentContext, ReportOptions
    from efl.files.evidence import EvidenceSet, file_size_limit
    from efl.reports.report_formats import render

    prepared = prepare(folder, host)
    loaded = prepared.loaded
    sibling = _sibling(loaded)
    run = assess_prepared(prepared, host)
    if run.failures:
        raise run.failures[0]
    if run.result.hypothetical:  # a pack is the council's own evidence and result, never a what-if
        raise InputError(Diagnostic(loaded.doc.path, message="a what-if result cannot be packed (expected the "
                                    "council's own assessment, without assumed figures)"))
    result_text = render(host, run.result, "json", ReportOptions())
    types = host.evidence_types().items
    personal = [] if include_personal else [r for r in prepared.evidence if is_personal(r.item, types)]
    evidence_root = loaded.evidence_folder.resolve()
    evidence_prefix = sibling or FOLDER
    left_out = {(evidence_root / r.item.file).resolve() for r in personal}
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

    limit = file_size_limit()
    members = _read_folder(folder, FOLDER, left_out, limit)
    if sibling is not None:
        members += _read_folder(loaded.evidence_folder, sibling, left_out, limit)
    if withheld_text is not None:
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        members.append((f"{evidence_prefix}/{WITHHELD_FILE}", withheld_text.encode(), today))
    packed = _write_pack(run.result, result_text, members, personal, evidence_prefix, sibling, sign_key)
    _check_reproduces(packed.data, result_text, host)
    return packed


def _write_pack(result, result_text: str, members: list[tuple[str, bytes, str]], personal: list,  # noqa: ANN001
                evidence_prefix: str, sibling: str | None, sign_key) -> Packed:  # noqa: ANN001
    """The zip: the manifest (and its signature), the result and the members."""
    result_bytes = result_text.encode()
    manifest = {
        "efl_pack": PACK_FORMAT,
        "kind": "peer" if sibling else "council",
        "folder": FOLDER,
        "council": result.assessment.council,
        "assessment_date": result.assessment.date.isoformat(),
        "framework": {"id": result.framework.id, "version": result.framework.version,
                      "sha256": result.framework.sha256},
        "efl_version": result.efl_version,
        "plugins": [p.model_dump(mode="json") for p in result.plugins],
        "result": {"path": RESULT, "sha256": _sha(result_bytes), "size": len(result_bytes)},
        "files": [{"path": name, "sha256": _sha(data), "size": len(data), "date": date}
                  for name, data, date in members],
        "withheld": [{"path": f"{evidence_prefix}/{r.item.file}", "evidence": r.item.id, "sha256": r.sha256,
                      "size": r.path.stat().st_size, "date": _date(r.path), "why": "personal data"}
                     for r in personal],
    }
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    buffer = io.BytesIO()
    signed_by = None
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        if sign_key is not None:
            from efl.peer.signing import SIGNATURE, public_fingerprint, sign_manifest

            archive.writestr(SIGNATURE, sign_manifest(manifest_bytes, sign_key))
            signed_by = public_fingerprint(sign_key.public_key())
        archive.writestr(RESULT, result_bytes)
        for name, data, _ in members:
            archive.writestr(name, data)
    return Packed(buffer.getvalue(), len(members), [r.item.file for r in personal], signed_by)


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
