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

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from efl.errors import Diagnostic, EflError, InputError
from efl.core.models import FactValue, WarningRef

WITHHELD_FILE = ".efl-withheld.json"
MANIFEST = "manifest.json"
RESULT = "result.json"
FOLDER = "assessment"
PACK_FORMAT = "1"


class WithheldItem(BaseModel):
    # Built when a pack is read or made, not when every assessment imports this module (start-up).
    model_config = ConfigDict(defer_build=True)

    file: str
    sha256: str
    size: int


class Withheld(BaseModel):
    """What stands in for personal files left out of a pack (``.efl-withheld.json``)."""

    model_config = ConfigDict(defer_build=True)

    note: str = ""
    items: dict[str, WithheldItem]
    facts: list[FactValue]   # the figures as packed, for the facts the personal files change
    fact_names: list[str]    # every fact the packed result has
    warnings: list[WarningRef] = []


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


def read_withheld(folder: Path) -> Withheld | None:
    """The folder's record of withheld personal files, if it has one (an unpacked pack)."""
    from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic, yaml_max_bytes
    from efl.files.yamlio import DEFAULT_MAX_BYTES, decode_text, parse_yaml, pydantic_diagnostics

    path = folder / WITHHELD_FILE
    try:
        # Inside the folder's descriptor, like every file of the folder: a link to a file outside is refused.
        with SafeFolder(folder) as opened:
            data = opened.read(WITHHELD_FILE, yaml_max_bytes(DEFAULT_MAX_BYTES))
    except FileProblem as problem:
        if problem.kind == "missing":
            return None
        raise InputError(as_diagnostic(str(path), problem)) from None
    text = decode_text(data, str(path))
    try:
        record = json.loads(text)
        from efl.files.yamlio import refuse_lone_surrogates

        refuse_lone_surrogates(record, text, str(path))
        return Withheld.model_validate(record)
    except json.JSONDecodeError as exc:
        raise InputError(Diagnostic(str(path), exc.lineno, exc.colno, f"not valid JSON: {exc.msg} (expected the "
                                    "record efl pack writes of the personal files it left out)")) from None
    except ValidationError as exc:
        raise InputError(pydantic_diagnostics(exc, parse_yaml(text, str(path)), Withheld)) from None


def is_personal(item, types: dict) -> bool:  # noqa: ANN001
    """An item's file holds personal data: marked so, or of a type that says all its files do."""
    declared = types.get(item.type)
    return bool(item.file) and (item.personal or bool(declared is not None and declared.personal))


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


def make_pack(folder: Path, host, include_personal: bool = False, sign_key=None) -> Packed:  # noqa: ANN001, C901
    """The pack of a council's folder, or of a peer folder with the council's folder beside it.

    ``sign_key`` (an Ed25519 private key) adds a detached signature over the manifest.
    """
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
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    if withheld_text is not None:
        members.append((f"{evidence_prefix}/{WITHHELD_FILE}", withheld_text.encode(), today))
    result_bytes = result_text.encode()
    manifest = {
        "efl_pack": PACK_FORMAT,
        "kind": "peer" if sibling else "council",
        "folder": FOLDER,
        "council": run.result.assessment.council,
        "assessment_date": run.result.assessment.date.isoformat(),
        "framework": {"id": run.result.framework.id, "version": run.result.framework.version,
                      "sha256": run.result.framework.sha256},
        "efl_version": run.result.efl_version,
        "plugins": [p.model_dump(mode="json") for p in run.result.plugins],
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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        if sign_key is not None:
            from efl.peer.signing import SIGNATURE, public_fingerprint, sign_manifest

            archive.writestr(SIGNATURE, sign_manifest(manifest_bytes, sign_key))
            signed_by = public_fingerprint(sign_key.public_key())
        archive.writestr(RESULT, result_bytes)
        for name, data, _ in members:
            archive.writestr(name, data)
    data = buffer.getvalue()
    _check_reproduces(data, result_text, host)
    return Packed(data, len(members), [r.item.file for r in personal], signed_by)


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
