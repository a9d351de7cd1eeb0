"""Reading an assessment folder: ``assessment.yaml`` and the evidence files it names.

Every problem in the folder is gathered and reported together (exit code 2), so a council officer
can fix the whole folder in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from efl.errors import Diagnostic, DiagnosticSink, InputError, PluginError
from efl.files.evidence import EvidenceRecord, EvidenceSet, file_size_limit, resolve_inside, sha256_soon
from efl.core.framework import LoadedFramework
from efl.core.models import CHARACTERISTICS, NOT_YET, Assessment, EvidenceItem, Framework
from efl.core.plugin_api import EvidenceFormat, EvidenceType, FactSpec
from efl.core.evidence_fields import check_fields
from efl.core.plugin_host import PluginHost, blame, describe_value
from efl.files.safe_files import FileProblem, SafeFolder, as_diagnostic, yaml_max_bytes
from efl.reports.report_text import long_date
from efl.core.vocabulary import UnknownWord, key, level_id, level_or_none
from efl.files.yamlio import DEFAULT_MAX_BYTES as YAML_MAX_BYTES
from efl.files.yamlio import YamlDocument, decode_text, describe_loc, parse_yaml, pydantic_diagnostics

ASSESSMENT_FILE = "assessment.yaml"


@dataclass
class LoadedAssessment:
    """``assessment.yaml`` as far as it could be read.

    ``assessment`` is None when the file breaks the schema; ``items`` still holds every evidence
    entry that is valid on its own (with its index in the file), so their files can be checked in
    the same run and every problem reported at once.
    """

    folder: Path
    assessment: Assessment | None
    doc: YamlDocument
    items: list[tuple[int, EvidenceItem]]
    errors: list[Diagnostic]
    # Where the evidence list and files come from: this folder, or the one ``evidence_from`` names.
    evidence_folder: Path | None = None
    evidence_doc: YamlDocument | None = None

    def __post_init__(self) -> None:
        self.evidence_folder = self.evidence_folder or self.folder
        self.evidence_doc = self.evidence_doc or self.doc

    @property
    def shown(self) -> str:
        return self.doc.path

    @property
    def framework_id(self) -> str:
        if self.assessment is not None:
            return self.assessment.framework
        raw = self.doc.data.get("framework") if isinstance(self.doc.data, dict) else None
        return raw if isinstance(raw, str) else Assessment.model_fields["framework"].default

    @property
    def local_characteristics(self) -> list[str]:
        if self.assessment is not None:
            return self.assessment.local_characteristics
        raw = self.doc.data.get("local_characteristics") if isinstance(self.doc.data, dict) else None
        return [key(x) for x in raw if isinstance(x, str)] if isinstance(raw, list) else []


def framework_for(assessment: object) -> Framework | None:
    """The framework an assessment is being assessed against, for an evidence type's ``parse`` that
    checks the ids a file names against it (manager returns name its manager expectations); None when
    no framework is known (a file read on its own)."""
    return getattr(assessment, "_framework", None)


def other_frameworks(assessment: object) -> list[Framework]:
    """Every other framework installed, loaded when first asked for (a parser meeting an id the framework
    assessed lacks asks whether another edition has it); one that fails to load is left out."""
    catalogue, current = getattr(assessment, "_frameworks", None), framework_for(assessment)
    if catalogue is None:
        return []
    out = []
    for framework_id in catalogue.frameworks():
        if current is not None and framework_id == current.id:
            continue
        try:
            out.append(catalogue.load(framework_id).framework)
        except Exception:  # noqa: BLE001 - a broken third-party framework is reported when it is used, not here
            continue
    return out


def shown_path(folder: Path, name: str) -> str:
    return str(folder / name)


def read_assessment(folder: Path) -> LoadedAssessment:
    """Parse and validate ``assessment.yaml``; schema errors are kept in ``errors``, not raised."""
    shown = shown_path(folder, ASSESSMENT_FILE)
    try:
        with SafeFolder(folder) as opened:
            data = opened.read(ASSESSMENT_FILE, yaml_max_bytes(YAML_MAX_BYTES))
    except FileProblem as problem:
        if problem.kind == "not-folder":
            raise InputError(Diagnostic(str(folder), message="not a folder (expected an assessment folder "
                                        f"containing {ASSESSMENT_FILE}; create one with 'efl init')")) from None
        if problem.kind == "missing":
            raise InputError(Diagnostic(shown, message=f"file not found (expected {ASSESSMENT_FILE} in the folder; "
                                        "create one with 'efl init')")) from None
        if problem.kind == "denied" and not os.access(folder, os.X_OK):
            raise InputError(Diagnostic(str(folder), message="cannot open the folder: permission denied (expected "
                                        "a folder efl can read; check its permissions)")) from None
        raise InputError(as_diagnostic(shown, problem)) from None
    doc = parse_yaml(decode_text(data, shown), shown)
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else "not a mapping"
        raise InputError(Diagnostic(shown, 1, 1, f"the file is {what} (expected 'council:', 'date:' and "
                                    "'evidence:' entries)"))
    try:
        assessment = Assessment.model_validate(doc.data)
    except ValidationError as exc:
        # Every problem at once: the dates that cannot be right are reported beside the schema's errors.
        errors = pydantic_diagnostics(exc, doc, Assessment) + implausible_dates(doc.data, doc) \
            + record_date_problems(doc.data, doc) + _raw_evidence_dates(doc.data, doc)
        items = []
        raw = doc.data.get("evidence")
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            try:
                items.append((i, EvidenceItem.model_validate(entry)))
            except ValidationError:
                pass  # already reported above, with its position
        return LoadedAssessment(folder, None, doc, items, errors)
    implausible = implausible_dates(assessment.model_dump(by_alias=True), doc)
    if implausible:
        return LoadedAssessment(folder, None, doc, list(enumerate(assessment.evidence)), implausible)
    if assessment.evidence_from is not None:
        return _with_evidence_from(folder, assessment, doc)
    return LoadedAssessment(folder, assessment, doc, list(enumerate(assessment.evidence)), [])


# Dates in assessment.yaml outside this range are typing slips (0025 for 2025, 9999 for "never"); they
# are refused here, with their position, rather than left to break a plugin's date arithmetic later.
# The Equality Act's predecessors date from the 1970s, but no evidence a council assesses is older
# than the 1990s; 2100 leaves room for any review date.
PLAUSIBLE_DATES = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def implausible_dates(data: object, doc: YamlDocument) -> list[Diagnostic]:
    """Every date in ``data`` (an assessment as plain data, keys as written) outside :data:`PLAUSIBLE_DATES`.

    A quick scan first (:func:`has_implausible_date`): the dates are nearly always plausible, and only
    a date that is not needs the position of where it is written.
    """
    return _implausible_dates_at(data, doc, ()) if has_implausible_date(data) else []


def _implausible_dates_at(data: object, doc: YamlDocument, loc: tuple) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _implausible_dates_at(v, doc, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _implausible_dates_at(v, doc, loc + (i,))
    elif isinstance(data, dt.date) and not PLAUSIBLE_DATES[0] <= data <= PLAUSIBLE_DATES[1]:
        line, col = doc.locate(loc)
        out.append(Diagnostic(doc.path, line, col, f"{describe_loc(loc)}: {data.isoformat()} is not a plausible date "
                              f"(expected a date from {PLAUSIBLE_DATES[0].year} to {PLAUSIBLE_DATES[1].year})"))
    return out


def has_implausible_date(data: object) -> bool:
    """Whether :func:`implausible_dates` would find any: the same walk, without the position of every
    value on the way (a key path built for each of the ~300 values of every council's file).
    tests/test_implausible_dates_scan.py compares the scan with the walk that places each date."""
    low, high = PLAUSIBLE_DATES
    stack = [data]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _NOT_DATES:  # most values are text (three isinstance calls each, before)
            continue
        if kind is dict or isinstance(item, dict):
            stack.extend(item.values())
        elif kind is list or isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dt.date) and not low <= item <= high:
            return True
    return False


# Types no date hides in (exact types: a subclass is looked at as before).
_NOT_DATES = frozenset({str, int, float, bool, type(None)})


def _raw_evidence_dates(data: dict, doc: YamlDocument) -> list[Diagnostic]:
    """Evidence dated after the assessment, read from the file as written (when the schema failed)."""
    date, evidence = data.get("date"), data.get("evidence")
    if not isinstance(date, dt.date) or not isinstance(evidence, list):
        return []
    out = []
    for i, entry in enumerate(evidence):
        when = entry.get("date") if isinstance(entry, dict) else None
        if isinstance(when, dt.date) and when > date:
            line, col = doc.locate(("evidence", i, "date"))
            out.append(Diagnostic(doc.path, line, col, f"evidence dated {long_date(when)} is after the assessment "
                                  f"date, {long_date(date)} (expected a date on or before it)"))
    return out


def _with_evidence_from(folder: Path, assessment: Assessment, doc: YamlDocument) -> LoadedAssessment:
    """A peer judgement that uses the council's evidence: its list and files, read in place.

    The evidence list must then be empty here, so there is one list of evidence to argue about,
    and every file is still resolved inside the council's folder.
    """
    line, col = doc.locate(("evidence_from",))
    if Path(assessment.evidence_from).is_absolute():
        raise InputError(Diagnostic(doc.path, line, col, "evidence_from must be a path relative to this folder "
                                    "(expected e.g. '../council-folder')"))
    if assessment.evidence:
        raise InputError(Diagnostic(doc.path, *doc.locate(("evidence",)), "an assessment with evidence_from "
                                    "lists no evidence of its own (expected one or the other)"))
    source = (folder / assessment.evidence_from)
    if "\x00" in assessment.evidence_from or not os.path.lexists(source / ASSESSMENT_FILE):
        raise InputError(Diagnostic(doc.path, line, col, f"evidence_from '{assessment.evidence_from}' has no "
                                    f"{ASSESSMENT_FILE} (expected the council's assessment folder)"))
    council = read_assessment(source)
    if council.assessment is not None and council.assessment.evidence_from is not None:
        raise InputError(Diagnostic(doc.path, line, col, "evidence_from points at a folder that itself uses "
                                    "evidence_from (expected the folder that holds the evidence)"))
    if council.assessment is not None:
        # The council's posts and bodies are the council's: a peer folder that names none uses them,
        # so the actions in its plan have the council's named leads, not generic owners.
        inherited = {name: getattr(council.assessment, name) for name in ("roles", "bodies", "owners", "contact")
                     if name not in assessment.model_fields_set and getattr(council.assessment, name)}
        if inherited:
            assessment = assessment.model_copy(update=inherited)
    return LoadedAssessment(folder, assessment, doc, council.items, council.errors, source, council.doc)


def check_against_framework(loaded: LoadedAssessment, framework: LoadedFramework,
                            types: dict[str, EvidenceType], sink: DiagnosticSink,
                            facts: dict[str, FactSpec] | None = None) -> None:
    """Check the ids the assessment uses: evidence types, characteristics, claims, duplicates.

    ``facts`` (the declared facts) tell which evidence gives the council's headcount.
    """
    a, doc = loaded.assessment, loaded.evidence_doc
    characteristics = set(CHARACTERISTICS) | set(loaded.local_characteristics)
    seen: set[str] = set()
    for i, item in loaded.items:
        if item.id in seen:
            line, col = doc.locate(("evidence", i, "id"))
            sink.add(doc.path, line, col, f"evidence id '{item.id}' is used twice (expected unique ids)")
        seen.add(item.id)
        if item.type not in types:
            line, col = doc.locate(("evidence", i, "type"))
            sink.add(doc.path, line, col, f"unknown evidence type '{item.type}'{_hint(item.type, types)}")
        for j, name in enumerate(item.covers):
            if name not in characteristics:
                line, col = doc.locate(("evidence", i, "covers", j))
                sink.add(doc.path, line, col, f"'{name}' is not a protected characteristic or a local one"
                         f"{_hint(name, characteristics)}")
        if a is not None and item.date > a.date:
            line, col = doc.locate(("evidence", i, "date"))
            sink.add(doc.path, line, col, f"evidence dated {long_date(item.date)} is after the assessment date, "
                     f"{long_date(a.date)} "
                     "(expected a date on or before it)")
    _check_required(loaded, types, sink)
    check_fields(loaded, types, sink)
    doc = loaded.doc
    _check_headcount(loaded, framework, facts or {}, sink)
    fw = framework.framework
    if fw.id != loaded.framework_id:
        return  # claims belong to the folder's own edition; the engine leaves them out
    # Read from the raw file too when the schema failed, so a bad level is reported in the same run.
    raw = doc.data if isinstance(doc.data, dict) else {}
    area_ids = {area.id for area in fw.areas}
    criterion_ids = {c.id for area in fw.areas for c in area.criteria}
    claims = a.claims if a is not None else raw.get("claims")
    agreed = a.agreed if a is not None else raw.get("agreed")
    _check_levels_by_id(doc, "claims", claims, area_ids | criterion_ids, "claim for unknown area or criterion",
                        fw, sink, claimed_level, none_means=NOT_YET)
    _check_levels_by_id(doc, "agreed", agreed, area_ids | criterion_ids, "agreed outcome for unknown area or "
                        "criterion", fw, sink, level_or_none)
    if a is not None:
        _check_peer_record(doc, a, area_ids, criterion_ids, sink)
    if a is not None and a.period and a.period.end < a.period.start:
        line, col = doc.locate(("period", "end"))
        sink.add(doc.path, line, col, "the period ends before it starts (expected end on or after start)")


def _check_required(loaded: LoadedAssessment, types: dict[str, EvidenceType], sink: DiagnosticSink) -> None:
    """Fields an evidence type requires on each of its items (``EvidenceType.requires``)."""
    doc = loaded.evidence_doc
    for i, item in loaded.items:
        declared = types.get(item.type)
        for name in declared.requires if declared is not None else ():
            if getattr(item, name, None) in (None, "", []):
                field = EvidenceItem.model_fields.get(name)
                what = field.description.rstrip(".") if field is not None and field.description else name
                line, col = doc.locate(("evidence", i, "type"))
                sink.add(doc.path, line, col, f"an item of type '{item.type}' needs '{name}:' (expected {what[:1].lower()}"
                         f"{what[1:]})")


def _check_headcount(loaded: LoadedAssessment, framework: LoadedFramework, facts: dict[str, FactSpec],
                     sink: DiagnosticSink) -> None:
    """Warn when nothing gives the headcount that the calendar's duties with a threshold are judged on."""
    a, doc = loaded.assessment, loaded.doc
    calendar = framework.calendar
    if a is None or getattr(a.council, "employees", None) is not None or calendar is None:
        return
    duties = [d for d in calendar.calendar.duties if d.threshold is not None]
    sources = {t for spec in facts.values() if spec.headcount for t in spec.needs}
    if not duties or any(item.type in sources for _, item in loaded.items):
        return
    which = "; ".join(f"to {d.title} from {d.threshold.employees:,}" for d in sorted(duties, key=lambda d: d.threshold.employees))
    kinds = " or ".join(f"a {t.replace('-', ' ')}" for t in sorted(sources))
    line, col = doc.locate(("council",))
    sink.warn(doc.path, line, col, f"'employees' under 'council:' is empty and no evidence counts the council's "
              f"employees, so the duties that depend on the number of employees ({which}) cannot be judged "
              f"(expected the number of people employed{', or ' + kinds + ' evidence item' if kinds else ''})")


def claimed_level(framework: Framework, text: object) -> str:
    """A claimed level's id: a level's id or name, or "Not yet Developing" (kept as NOT_YET)."""
    return level_or_none(framework, text) or NOT_YET


def _check_levels_by_id(doc: YamlDocument, section: str, entries: object, known: set[str], unknown_what: str,
                        framework: Framework, sink: DiagnosticSink, read_level,  # noqa: ANN001
                        none_means: str | None = None) -> None:
    """Check a mapping of area (or criterion) id to an entry with a ``level``: both must exist.

    A level written as efl prints it ("Achieving", "Level 2") is replaced by its id in the model.
    ``none_means``: what ``level: null`` written out stands for (claims: not yet the first level).
    """
    if not isinstance(entries, dict):
        return
    for key, entry in entries.items():
        if not isinstance(key, str):
            continue
        if key not in known:
            line, col = doc.locate_key((section, key))
            sink.add(doc.path, line, col, f"{unknown_what} '{key}'{_hint(key, known)}")
        level = entry.get("level") if isinstance(entry, dict) else getattr(entry, "level", None)
        if level is None and none_means is not None and "level" in getattr(entry, "model_fields_set", ()) \
                and key in area_ids_of(framework):
            entry.level = none_means
            continue
        if level is None or not isinstance(level, str):
            continue  # no level, or not text: the schema says so
        try:
            normal = read_level(framework, level)
        except UnknownWord as exc:
            line, col = doc.locate((section, key, "level"))
            sink.add(doc.path, line, col, f"{section}.{key}.level: {exc}")
            continue
        if not isinstance(entry, dict):
            entry.level = normal


def area_ids_of(framework: Framework) -> set[str]:
    return {area.id for area in framework.areas}


def _check_peer_record(doc: YamlDocument, a: Assessment, area_ids: set[str], criterion_ids: set[str],
                       sink: DiagnosticSink) -> None:
    """The record of a challenge names real areas and criteria, and its dates make sense."""
    for key, entry in a.agreed.items():
        line, col = doc.locate_key(("agreed", key))
        if key in area_ids and ("level" not in entry.model_fields_set or entry.outcome is not None):
            sink.add(doc.path, line, col, f"agreed entry for area '{key}' needs a 'level' (expected "
                     "'level: <level>', or null for not yet at the first level, and no 'outcome')")
        if key in criterion_ids and (entry.outcome is None or "level" in entry.model_fields_set):
            sink.add(doc.path, line, col, f"agreed entry for criterion '{key}' needs an 'outcome' (expected "
                     "met, not_met, not_applicable or insufficient_evidence, and no 'level')")
    known = area_ids | criterion_ids
    for section, entries in (("challenges", a.challenges), ("evidence_requests", a.evidence_requests),
                             ("agreed_actions", a.agreed_actions)):
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.about not in known:
                line, col = doc.locate((section, i, "about"))
                sink.add(doc.path, line, col, f"'{entry.about}' is not an area or criterion of {a.framework}"
                         f"{_hint(entry.about, known)}")
            ident = getattr(entry, "id", None)
            if ident is not None:
                if ident in seen:
                    line, col = doc.locate((section, i, "id"))
                    sink.add(doc.path, line, col, f"'{ident}' is used twice in {section} (expected unique ids)")
                seen.add(ident)
    for i, request in enumerate(a.evidence_requests):
        if request.received is not None and request.received < request.requested:
            line, col = doc.locate(("evidence_requests", i, "received"))
            sink.add(doc.path, line, col, f"received {request.received} is before it was requested "
                     f"({request.requested}) (expected a date on or after the request)")
    feedback = a.feedback
    if feedback is not None:
        for key in feedback.areas:
            if key not in area_ids:
                line, col = doc.locate_key(("feedback", "areas", key))
                sink.add(doc.path, line, col, f"findings for unknown area '{key}'{_hint(key, area_ids)}")
        for i, rec in enumerate(feedback.recommendations):
            if rec.about is not None and rec.about not in known:
                line, col = doc.locate(("feedback", "recommendations", i, "about"))
                sink.add(doc.path, line, col, f"'{rec.about}' is not an area or criterion of {a.framework}"
                         f"{_hint(rec.about, known)}")
    sink.extend(record_date_problems(a.model_dump(), doc))
    if a.sign_off is not None and (a.sign_off.lead_peer or a.sign_off.council):
        for i, q in enumerate(a.challenges):
            if q.status == "open":
                line, col = doc.locate(("challenges", i, "status"))
                sink.warn(doc.path, line, col, f"challenge '{q.id}' is still open, but the record is signed off "
                          "(expected its response and status before sign-off: answered, resolved or not_resolved)")
        for i, r in enumerate(a.evidence_requests):
            if r.received is None:
                line, col = doc.locate(("evidence_requests", i))
                sink.warn(doc.path, line, col, f"evidence request '{r.id}' was never received, but the record is "
                          "signed off (expected 'received: DATE', or a note saying why it did not come)")


def record_date_problems(data: object, doc: YamlDocument) -> list[Diagnostic]:
    """Dates of a peer challenge's record that cannot be right: a sign-off before the visit ended (the
    visit's last day, else the assessment date), a visit that ends before it starts.

    Works on plain data (the file as read, or a valid assessment dumped), so these are reported even
    when another part of the file breaks the schema.
    """
    if not isinstance(data, dict):
        return []
    out = []
    feedback = data.get("feedback") if isinstance(data.get("feedback"), dict) else {}
    visit = feedback.get("visit") if isinstance(feedback.get("visit"), dict) else {}
    start, end = visit.get("start"), visit.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        line, col = doc.locate(("feedback", "visit", "end"))
        out.append(Diagnostic(doc.path, line, col, f"the visit ends on {long_date(end)}, before it starts on "
                              f"{long_date(start)} (expected end on or after start)"))
    visit_end = end if isinstance(end, dt.date) else data.get("date")
    if not isinstance(visit_end, dt.date):
        return out
    what = "the visit ended" if isinstance(end, dt.date) else "the date of the challenge"
    sign_off = data.get("sign_off") if isinstance(data.get("sign_off"), dict) else {}
    for who, words in (("lead_peer", "the lead peer"), ("council", "the council")):
        signature = sign_off.get(who)
        when = signature.get("date") if isinstance(signature, dict) else None
        if isinstance(when, dt.date) and when < visit_end:
            line, col = doc.locate(("sign_off", who, "date"))
            out.append(Diagnostic(doc.path, line, col, f"signed off by {words} on {long_date(when)}, before "
                                  f"{what} ({long_date(visit_end)}) (expected a sign-off on or after it)"))
    return out


def _hint(word: str, choices) -> str:  # noqa: ANN001
    choices = sorted(choices)
    guess = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if guess:
        return f" (did you mean '{guess[0]}'?)"
    return f" (expected one of: {', '.join(choices)})" if len(choices) <= 12 else ""


def load_evidence(loaded: LoadedAssessment, host: PluginHost, sink: DiagnosticSink, withheld=None) -> EvidenceSet:  # noqa: ANN001
    """Resolve, hash, read and check every evidence file; problems go to ``sink``.

    ``withheld`` (an unpacked evidence pack's record) stands in for personal files left out of it.
    """
    format_registry = host.evidence_formats()
    type_registry = host.evidence_types()
    formats: dict[str, EvidenceFormat] = format_registry.items
    types: dict[str, EvidenceType] = type_registry.items
    by_extension = {ext: fmt for fmt in formats.values() for ext in fmt.extensions}
    limit = file_size_limit()
    folder = loaded.evidence_folder
    try:
        opened = SafeFolder(folder)
    except FileProblem as problem:
        raise InputError(as_diagnostic(str(folder), problem)) from None
    with opened:
        return _load_items(loaded, opened, limit, types, type_registry, format_registry, by_extension, sink,
                           withheld)


def _load_items(loaded: LoadedAssessment, opened: SafeFolder, limit: int, types: dict, type_registry,  # noqa: ANN001
                format_registry, by_extension: dict, sink: DiagnosticSink, withheld=None) -> EvidenceSet:  # noqa: ANN001
    folder, doc = loaded.evidence_folder, loaded.evidence_doc
    records = []
    context = loaded.assessment or Assessment.model_construct(local_characteristics=loaded.local_characteristics)
    root: Path | None = None  # the folder resolved once for this assessment's files (see resolve_inside)
    for i, item in loaded.items:
        evidence_type = types.get(item.type)
        # Where the item is written, for a message about it: looked up only when there is one (a walk
        # of the parsed YAML per item, for the dozen items of every council, nearly always unused).
        at = ("evidence", i, "file" if item.file else "id")
        if not item.file:
            if evidence_type and evidence_type.file_required:
                sink.add(doc.path, *doc.locate(at), f"evidence '{item.id}' of type '{item.type}' needs a file "
                         "(expected 'file: path/inside/the/folder')")
            # A type standing in for another (a committee paper for governance) stands in with no file too.
            records.append(EvidenceRecord(item, None, "", None,
                                          provides=_provided(evidence_type, None, types, type_registry)
                                          if evidence_type and evidence_type.provides else ()))
            continue
        try:
            if root is None:
                root = folder.resolve()
            # (Its messages are placed below, at the item: the name it is given goes into none of them.)
            path = resolve_inside(folder, item.file, doc.path, root)
        except InputError as exc:
            line, col = doc.locate(at)
            sink.extend([Diagnostic(doc.path, line, col, d.message) for d in exc.diagnostics])
            continue
        shown = str(folder / item.file)
        kept = withheld.items.get(item.id) if withheld is not None else None
        if kept is not None and kept.file == item.file and not path.exists():
            records.append(EvidenceRecord(item, None, shown, kept.sha256, withheld=True))
            continue
        try:
            # The check above gives the clear message; this read is the one that holds (no race).
            data = opened.read(item.file, limit)
        except FileProblem as problem:
            line, col = doc.locate(at)
            if problem.kind == "too-big":
                sink.add(shown, 0, 0, problem.message)
            elif problem.kind in ("missing", "folder"):
                what = "is a folder" if problem.kind == "folder" else "was not found"
                sink.add(doc.path, line, col, f"evidence file '{item.file}' {what} (expected a file inside {folder})")
            elif problem.kind == "outside":
                sink.add(doc.path, line, col, f"'{item.file}' leads outside the assessment folder "
                         "(expected a path inside it; links are followed only inside it)")
            else:
                sink.add(doc.path, line, col, f"evidence file '{item.file}' {problem.message}")
            continue
        fmt = by_extension.get(path.suffix.lower())
        if evidence_type and evidence_type.formats and (fmt is None or fmt.name not in evidence_type.formats):
            sink.add(doc.path, *doc.locate(at), f"evidence type '{item.type}' is read from "
                     f"{' or '.join(evidence_type.formats)} files (got '{path.name}')")
            continue
        # A large file is hashed on a second thread while it is parsed (80 MB for a million staff).
        digest = sha256_soon(data)
        record = EvidenceRecord(item, path, shown, None)
        try:
            # A reader or parser that crashes is named with its plugin (blame), never a traceback.
            if fmt is None:
                record.document = data
            else:
                with blame(format_registry.owner.get(fmt.name, "?"),
                           f"efl_register_evidence_formats (format '{fmt.name}', load {shown})"):
                    record.document = fmt.load(data, shown)
                # The document holds what it needs of the bytes (a large table keeps them compressed).
                data = None
            if item.columns:
                _map_columns(record.document, item, doc, i, sink)
            if evidence_type and evidence_type.parse and fmt is not None:
                owner = type_registry.owner.get(item.type, "?")
                hook = f"efl_register_evidence_types (type '{item.type}', parse {shown})"
                with blame(owner, hook):
                    record.parsed = evidence_type.parse(record.document, item, context)
                check_parsed(evidence_type, record.parsed, owner, hook)
                if item.columns:
                    _unread_mapping(record.document, item, doc, i, sink)
                # A large column-wise table is not needed once parsed: free its memory for the run.
                getattr(record.document, "release", lambda: None)()
            if evidence_type and evidence_type.provides:
                record.provides = _provided(evidence_type, record, types, type_registry)
        except InputError as exc:
            sink.extend(exc.diagnostics)
        finally:
            record.sha256 = digest()
            sink.extend(getattr(record.document, "problems", None) or [])
            # A parsed form may carry warnings (suspicious but usable values) beside its data.
            sink.extend(getattr(record.parsed, "warnings", None) or [])
        records.append(record)
    return EvidenceSet(records)


def check_parsed(evidence_type, parsed, owner: str, hook: str) -> None:  # noqa: ANN001
    """What ``parse`` returned must be the evidence, in the shape its type declares: anything else is
    the plugin's failure (exit 3), found here rather than as a puzzling error in a fact plugin later."""
    if inspect.isawaitable(parsed) or inspect.isgenerator(parsed) or inspect.isasyncgen(parsed):
        getattr(parsed, "close", lambda: None)()  # never run: no "was never awaited" warning either
        raise PluginError(owner, hook, f"returned {describe_value(parsed)} (expected the parsed evidence itself; "
                          "parse must be a plain function that returns it, not async and not a generator)")
    shape = evidence_type.shape
    if shape is None:
        return
    if not isinstance(shape, type):
        raise PluginError(owner, hook, f"type '{evidence_type.name}' declares the shape {describe_value(shape)} "
                          "(expected a class, the one parse returns)")
    if not isinstance(parsed, shape):
        raise PluginError(owner, hook, f"returned {describe_value(parsed)} (expected {shape.__name__}, the shape "
                          f"type '{evidence_type.name}' declares)")


def _map_columns(document, item, doc, i: int, sink: DiagnosticSink) -> None:  # noqa: ANN001
    """Hand the item's ``columns:`` to its table; a header the file does not have is an error there."""
    from efl.files.evidence import normalise_column

    if not hasattr(document, "columns") or not hasattr(document, "index"):
        line, col = doc.locate(("evidence", i, "columns"))
        sink.add(doc.path, line, col, f"columns: the file of evidence '{item.id}' is not a table, so it has no "
                 "columns to name (expected columns: only for a CSV file)")
        return
    for name, header in item.columns.items():
        if document.index(normalise_column(header)) is None:
            line, col = doc.locate(("evidence", i, "columns", name))
            written = ", ".join(f"'{h}'" for h in (getattr(document, "header", None) or document.columns))
            sink.add(doc.path, line, col, f"columns: {name}: the file has no column '{header}' (its columns are: "
                     f"{written})")
    document.column_map = dict(item.columns)


def _unread_mapping(document, item, doc, i: int, sink: DiagnosticSink) -> None:  # noqa: ANN001
    """A name under ``columns:`` that the evidence type never reads is a slip: say which names it reads."""
    from efl.files.evidence import normalise_column

    wanted = getattr(document, "wanted", None)
    if not wanted:
        return
    for name in item.columns:
        if normalise_column(name) not in wanted:
            line, col = doc.locate(("evidence", i, "columns", name))
            sink.add(doc.path, line, col, f"columns: '{name}' is not a column efl reads from {item.type} evidence "
                     f"(expected one of: {', '.join(sorted(wanted))})")


def _provided(evidence_type, record, types: dict, type_registry) -> tuple[str, ...]:  # noqa: ANN001
    """The types an item stands in for, each checked: registered, and given the shape it declares."""
    from efl.errors import PluginError

    owner = type_registry.owner.get(evidence_type.name, "?")
    for name in evidence_type.provides:
        other = types.get(name)
        if other is None:
            raise PluginError(owner, "efl_register_evidence_types", f"type '{evidence_type.name}' says it provides "
                              f"'{name}', which no loaded plugin registers")
        shape = other.shape
        parsed = record.parsed if record is not None else None
        if shape is not None and parsed is not None and not isinstance(parsed, shape):
            raise PluginError(owner, "efl_register_evidence_types", f"type '{evidence_type.name}' says it provides "
                              f"'{name}', but its parse returned {type(parsed).__name__} (expected "
                              f"{shape.__name__}, the shape '{name}' evidence has)")
    return tuple(evidence_type.provides)
