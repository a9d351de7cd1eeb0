"""Assessing many folders in one command: a region, or every council in England.

Each folder is assessed on its own (a bad folder is reported and the rest go on), optionally in
several worker processes. Workers send back a one-line summary, never the whole result, so memory
stays flat however many councils there are; full reports are written by the workers themselves.
"""

from __future__ import annotations

import functools
import gc
import os
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from efl.core.assessment import ASSESSMENT_FILE
from efl.errors import Diagnostic, EflError, ExitCode, InputError

if TYPE_CHECKING:
    from efl.core.engine import Engine


@dataclass
class Summary:
    """What one folder came to: its levels, or the errors that stopped it."""

    folder: str
    council: str = ""
    framework: str = ""
    overall: str | None = None
    overall_title: str = ""
    levels: dict[str, str] = field(default_factory=dict)  # area id -> level title
    area_titles: dict[str, str] = field(default_factory=dict)  # area id -> area title
    actions: int = 0
    report: str | None = None
    exit_code: int = ExitCode.OK
    errors: list[str] = field(default_factory=list)
    # A plugin failed while computing facts: the levels would rest on part of the evidence, so none is shown.
    incomplete: bool = False

    def as_dict(self) -> dict:
        """The fields in order, as ``dataclasses.asdict`` gives them (tests/test_batch_summary_dict.py)
        without its deep copy: a batch's summary of 2,000 councils spent longer copying than writing."""
        out = {}
        for name in _SUMMARY_FIELDS:
            value = getattr(self, name)
            out[name] = value.copy() if type(value) in (dict, list) else value
        return out


_SUMMARY_FIELDS = tuple(f.name for f in fields(Summary))


def find_folders(paths: list[Path]) -> list[Path]:
    """Assessment folders named directly, or found one level down in a folder of folders."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if os.path.lexists(path / ASSESSMENT_FILE):  # whatever it is, reading it will say
            found.append(path)
        elif path.is_dir():
            try:
                inside = sorted(p.parent for p in path.glob(f"*/{ASSESSMENT_FILE}"))
            except OSError as exc:
                problems.append(Diagnostic(str(path), message=f"cannot look inside the folder ({exc.strerror.lower()}; "
                                           "expected a folder efl can read)"))
                continue
            if not inside:
                problems.append(Diagnostic(str(path), message=f"no {ASSESSMENT_FILE} here or in its sub-folders "
                                           "(expected an assessment folder or a folder of them)"))
            found.extend(inside)
        else:
            problems.append(Diagnostic(str(path), message="not a folder (expected an assessment folder)"))
    if problems:
        raise InputError(problems)
    return found


@dataclass(frozen=True)
class BatchOptions:
    """Everything a worker needs; plain data, so it can be sent to another process."""

    switches: tuple[str, ...] = ()
    autoload: bool | None = None
    framework_id: str | None = None
    fmt: str = "json"
    output_dir: str | None = None
    force: bool = False


def make_engine(options: BatchOptions, extra: list | None = None) -> Engine:
    from efl.core.engine import Engine
    from efl.core.plugin_host import load_plugins

    return Engine(load_plugins(options.switches, autoload=options.autoload, extra=extra or []))


@functools.cache
def _worker_engine(options: BatchOptions) -> Engine:
    """A worker process's engine, built for its first folder and reused for the rest."""
    return make_engine(options)


def assess_folder(folder: str, options: BatchOptions, report_stem: str | None = None,
                  engine: Engine | None = None, started: Callable[[str], None] | None = None) -> Summary:
    """Assess one folder; never raises for bad input or a failing plugin.

    ``report_stem`` is the report's file name without its ending (see :func:`report_stems`);
    ``engine`` is the engine to use (a worker process leaves it out and uses its own);
    ``started`` is told the council's name as soon as assessment.yaml is read.
    """
    from efl.core.plugin_api import ReportOptions
    from efl.reports.report_formats import render

    engine = engine or _worker_engine(options)
    host = engine.host
    summary = Summary(folder=folder)
    try:
        def read(loaded) -> None:  # noqa: ANN001
            if started is not None and loaded.assessment is not None:
                started(loaded.assessment.council.name)

        prepared = engine.prepare(Path(folder), options.framework_id, read)
        run = engine.assess_prepared(prepared)
        result = run.result
        summary.council = result.assessment.council
        summary.framework = f"{result.framework.id} {result.framework.version}"
        summary.overall = result.overall_level
        summary.overall_title = result.level_title(result.overall_level)
        summary.levels = {a.id: result.level_title(a.level) for a in result.areas}
        summary.area_titles = {a.id: a.title for a in result.areas}
        summary.actions = len(result.actions)
        if options.output_dir:
            from efl.files.output import write_atomic

            extension = host.report_formats().items[options.fmt].extension
            target = Path(options.output_dir) / f"{report_stem or Path(folder).name}{extension}"
            from efl.files.terminal import for_output

            report = render(host, result, options.fmt, ReportOptions())
            write_atomic(target, for_output(report, options.fmt), options.force)
            summary.report = str(target)
        summary.exit_code = run.exit_code
        summary.errors = [str(f) for f in run.failures]
        if run.failures:
            summary.incomplete = True
            summary.overall, summary.overall_title, summary.levels = None, "", {}
    except EflError as error:  # bad input (2) or a plugin that failed (3): the error knows its code
        summary.exit_code, summary.errors = error.exit_code, str(error).splitlines()
    return summary


# The garbage collector in a batch. Refcounting frees nearly everything an assessment makes; the
# collector's young-generation passes (about four per small council at Python's threshold of 700
# new containers) found little but cost 3-5% of a small council, and each full pass walked the
# whole engine (plugins, framework, classifications), which lives for the whole run. So for a batch
# the objects there at the start are set aside (gc.freeze: never walked, and in a forked worker
# never touched, so their pages stay shared with the parent) and the young generation is collected
# every BATCH_GC_THRESHOLD new containers: garbage in cycles still goes, a little later (a few MB
# at most). tests/test_batch_collector.py checks both are put back and cycles are still collected.
BATCH_GC_THRESHOLD = 10_000


@contextmanager
def batch_collector() -> Iterator[None]:
    """Tune the garbage collector for a run of many folders in this process, and put it back after.

    When something else has already frozen objects (an application embedding efl), freezing is left
    to it: unfreezing at the end would undo its choice.
    """
    before = gc.get_threshold()
    freeze = gc.isenabled() and gc.get_freeze_count() == 0
    if freeze:
        gc.collect()  # garbage now would never be collected once frozen
        gc.freeze()
    gc.set_threshold(max(before[0], BATCH_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()


@functools.cache
def _worker_collector() -> None:
    """A worker process's collector, tuned once, for the rest of its life (see batch_collector).

    Only in a worker: when no worker could be started the tasks run in the parent, whose collector
    is left as it is.
    """
    import multiprocessing

    if multiprocessing.parent_process() is None:
        return
    if gc.isenabled() and gc.get_freeze_count() == 0:
        gc.freeze()  # what the worker was forked with: the parent's engine, shared, never walked
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], BATCH_GC_THRESHOLD), *before[1:])


@functools.cache
def _worker_timer() -> None:
    """A worker process keeps the hook time limit's handler and timer between plugin calls, for the
    rest of its life (see efl.core.time_limit.kept_between_calls): it does nothing but assess folders.

    Only in a worker, as :func:`_worker_collector`.
    """
    import multiprocessing

    from efl.core.time_limit import kept_between_calls

    if multiprocessing.parent_process() is not None:
        kept_between_calls().__enter__()


def _assess_task(task: tuple[str, str], started: Callable[[str], None], options: BatchOptions,
                 engine: Engine | None = None) -> Summary:
    """One folder in a worker process (see :mod:`efl.core.workers`)."""
    _worker_collector()
    _worker_timer()
    folder, stem = task
    try:
        return assess_folder(folder, options, stem, engine, started)
    except Exception as error:  # noqa: BLE001 - efl's own bug: that folder fails, the run goes on
        return Summary(folder=folder, exit_code=ExitCode.PLUGIN,
                       errors=[f"efl failed while assessing this folder ({type(error).__name__}: {error}); "
                               "please report it, with the folder if you can share it"])


def _worker_died(died) -> Summary:  # noqa: ANN001
    """The summary of a folder whose worker process died before it finished."""
    folder, _ = died.task
    council = f" ({died.started})" if died.started else ""
    if died.signal == 9:
        # SIGKILL comes from outside: the out-of-memory killer, a time limit, or a person.
        why = ("the system may have run out of memory (expected a folder efl can assess in the memory "
               "there is; try fewer --jobs, or assess it on its own)")
        code = ExitCode.INPUT
    else:
        why = "efl or one of its plugins crashed (expected the worker to finish; run the folder on its own to see more)"
        code = ExitCode.PLUGIN
    return Summary(folder=folder, council=died.started or "", exit_code=code,
                   errors=[f"the worker process assessing this folder{council} {died.how} before it finished; "
                           f"{why}; nothing was written for it"])


def run_batch(folders: list[Path], options: BatchOptions, jobs: int, extra: list | None = None,
              progress: Callable[[Summary], None] | None = None, engine: Engine | None = None,
              note: Callable[[str], None] = lambda text: None) -> Iterator[Summary]:
    """Assess every folder and yield summaries in the order given (workers finish in any order).

    ``engine`` is the caller's, reused when the folders are assessed in this process (and shared
    with forked workers); ``note`` is told when fewer workers than asked could be started. With several jobs the workers are supervised (:mod:`efl.core.workers`): a
    worker that dies is reported with its folder and the run goes on, and a signal stops them all.
    """
    names = [str(f) for f in folders]
    stems, _ = report_stems(folders)
    jobs = capped_jobs(jobs, len(names))
    if jobs <= 1 or len(names) <= 1 or extra:
        # Inline plugins (tests) cannot be sent to another process, so they run here.
        from efl.core.time_limit import kept_between_calls

        engine = engine or make_engine(options, extra)
        with batch_collector(), kept_between_calls():
            for name, stem in zip(names, stems):
                summary = assess_folder(name, options, stem, engine)
                if progress:
                    progress(summary)
                yield summary
        return
    from efl.core.workers import forks, run_supervised

    if engine is not None and forks():
        warm_for_workers(engine, options, folders[0])
    work = functools.partial(_assess_task, options=options, engine=engine if forks() else None)
    done: dict[int, Summary] = {}
    finished: set[int] = set()
    next_index = 0

    def died(death) -> Summary:  # noqa: ANN001
        _sweep(options, death.task[1], engine)  # a worker killed while writing leaves its temporary file
        return _worker_died(death)

    try:
        for index, summary in run_supervised(list(zip(names, stems)), jobs, work, died, note):
            finished.add(index)
            if progress:
                progress(summary)
            done[index] = summary
            while next_index in done:  # hand results on in order, keeping only those waiting
                yield done.pop(next_index)
                next_index += 1
    except BaseException:
        for i, stem in enumerate(stems):
            if i not in finished:
                _sweep(options, stem, engine)
        raise


def warm_for_workers(engine: Engine, options: BatchOptions, first: Path) -> None:
    """Before workers are forked from this process: what each of them would otherwise do for itself,
    once, on its first folder, done here once so that every worker starts with it in memory.

    That first folder cost a worker about 200 ms more than the rest (a 5,000-employee council):
    building the deferred pydantic models (efl.core.models), reading and checking the Census
    classifications and the framework, and importing pyarrow for a file large enough to be read
    with it (efl.files.columnar.MIN_BYTES; looked for in the first folder, so a batch of small
    councils never imports it). Each worker did all of it again: CPU time on a machine whose cores
    the workers share, and memory each worker held apart (forked, they now share its pages).

    Nothing here is needed for correctness: a worker still does whatever was not done, and anything
    that goes wrong here (the first folder unreadable, an unknown framework) is left for the worker
    assessing that folder to report, as before. tests/test_batch_warm.py compares the summaries.
    """
    try:
        from efl.core.models import Record

        for model in _models(Record):
            if not model.__pydantic_complete__:
                model.model_rebuild(raise_errors=False)
        engine.frameworks.classifications()
        from efl.core.assessment import read_assessment

        loaded = read_assessment(first)
        engine.frameworks.load(options.framework_id or loaded.framework_id)
        from efl.files.columnar import MIN_BYTES, load_table

        folder = loaded.evidence_folder
        if any(_inside(item.file) and _size(folder / item.file) >= MIN_BYTES and item.file.lower().endswith(".csv")
               for _, item in loaded.items):
            load_table(b"id,pay\n" + b"1,2.5\n" * (MIN_BYTES // 6 + 1), "warm-up.csv")  # imports and first calls
    except Exception:  # noqa: BLE001 - the worker that assesses that folder says what is wrong
        return


def _models(base: type) -> list[type]:
    """Every subclass of ``base``, depth first (the models efl and its plugins define)."""
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found += _models(sub)
    return found


def _inside(file: str | None) -> bool:
    """Whether an evidence item's file is named inside its folder: only those are looked at here (the
    worker that assesses the folder says what is wrong with any other)."""
    if not file:
        return False
    parts = file.replace("\\", "/").split("/")
    return not file.startswith(("/", "\\")) and ":" not in parts[0] and ".." not in parts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return 0


def _sweep(options: BatchOptions, stem: str, engine: Engine | None) -> None:
    if not options.output_dir:
        return
    from efl.files.output import remove_temporaries

    try:
        host = engine.host if engine is not None else _worker_engine(options).host
        extension = host.report_formats().items[options.fmt].extension
    except Exception:  # noqa: BLE001 - nothing to sweep if the format cannot even be named
        return
    remove_temporaries(Path(options.output_dir) / f"{stem}{extension}")


MAX_JOBS = 32  # more worker processes than this only adds memory: each holds a plugin host


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def capped_jobs(jobs: int, folders: int) -> int:
    """Never more workers than folders to assess, nor more than :data:`MAX_JOBS`."""
    return max(1, min(jobs, folders, MAX_JOBS))


def report_stems(folders: list[Path]) -> tuple[list[str], list[str]]:
    """A distinct report name (without its ending) per folder, and notes on any that had to change.

    Reports are named after their folder; folders that share a name (``a/bexley`` and ``b/bexley``,
    or ``Bexley`` and ``bexley`` on a file system that ignores case) get their parent folder's name
    in front, and a number if that is not enough, so no report overwrites another.
    """
    plain = [Path(f).name or "assessment" for f in folders]
    # Names that differ only in case or Unicode form (a Mac writes "ô" as "o" and an accent) are the
    # same file name on many file systems, and look the same to everyone.
    same = lambda name: unicodedata.normalize("NFC", name).casefold()  # noqa: E731
    counts: dict[str, int] = {}
    for name in plain:
        counts[same(name)] = counts.get(same(name), 0) + 1
    stems: list[str] = []
    taken: set[str] = set()
    for folder, name in zip(folders, plain):
        stem = name
        if counts[same(name)] > 1:
            parent = Path(folder).resolve().parent.name or "root"
            stem = f"{parent}-{name}"
        candidate, n = stem, 2
        while same(candidate) in taken:
            candidate, n = f"{stem}-{n}", n + 1
        taken.add(same(candidate))
        stems.append(candidate)
    notes = []
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(plain):
        if counts[same(name)] > 1:
            groups.setdefault(same(name), []).append(i)
    for members in groups.values():
        spellings = " or ".join(dict.fromkeys(f"'{plain[i]}'" for i in members))
        notes.append(f"{len(members)} folders are called {spellings}; their reports are named "
                     f"{', '.join(stems[i] for i in members)} so that none overwrites another")
    return stems, notes


def batch_exit_code(summaries: list[Summary]) -> int:
    return ExitCode.combined(s.exit_code for s in summaries)


def summary_text(summaries: list[Summary], fmt: str) -> str:
    """The many-folder summary: one row per council, then how many are at each level."""
    from efl.files.terminal import json_safe, safe_text

    if fmt == "json":
        import json

        return json_safe(json.dumps([s.as_dict() for s in summaries], indent=2, ensure_ascii=False) + "\n")
    from tabulate import tabulate

    # Columns are named by the areas' titles (wrapped), never their ids: the table is for people.
    titles: dict[str, str] = {}
    for s in summaries:
        for area_id in s.levels or s.area_titles:
            titles.setdefault(area_id, s.area_titles.get(area_id, area_id))
    rows = [[s.council or "-", s.folder, _overall_cell(s), *(s.levels.get(a, "-") for a in titles),
             "-" if s.errors and not s.council else s.actions] for s in summaries]
    table = tabulate(rows, headers=["Council", "Folder", "Overall", *titles.values(), "Actions"], tablefmt="simple",
                     disable_numparse=True, maxheadercolwidths=[None, None, None, *(18 for _ in titles), None])
    return safe_text(f"{table}\n\n{tally_sentence(summaries)}\n")


def _overall_cell(s: Summary) -> str:
    if s.incomplete:
        return "incomplete: a plugin failed"
    return s.overall_title or "not assessed"


def tally_sentence(summaries: list[Summary]) -> str:
    """``5 folders: 1 at Developing, 3 not yet at Developing, 1 with problems.``"""
    from collections import Counter

    from efl.reports.report_text import count

    counts = Counter((s.overall is None, s.overall_title) for s in summaries if not s.errors)
    parts = [f"{n} not yet at {title.removeprefix('Not yet ')}" if below else f"{n} at {title}"
             for (below, title), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))]
    incomplete = sum(1 for s in summaries if s.incomplete)
    failed = sum(1 for s in summaries if s.errors and not s.incomplete)
    if incomplete:
        parts.append(f"{incomplete} incomplete because a plugin failed")
    if failed:
        parts.append(f"{failed} with problems")
    return f"{count(len(summaries), 'folder')}: {', '.join(parts)}."
