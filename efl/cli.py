"""The ``efl`` command: a thin layer that parses arguments, calls the engine, prints, and exits.

Each command is a function of its options and the :class:`Settings` (the plugin host and engine),
wrapped once by :func:`guarded`, which turns efl's errors and interrupts into messages and
:class:`~efl.errors.ExitCode` values. What the options mean together, and what a run comes to,
belongs to the engine and the peer, plan and report modules; the formats and their ``--help``
come from the plugins' registry.

Heavy modules (pydantic, ruamel.yaml, the plugins) are imported inside the commands that need them,
so ``efl --help`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from efl.errors import EflError, ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Settings:
    def __init__(self, plugins: tuple[str, ...], traceback: bool, no_autoload: bool, extra: list | None = None):
        self.plugins = plugins
        self.extra = extra or []
        self.traceback = traceback
        self.no_autoload = no_autoload
        self._host = None
        self._engine = None

    def host(self, strict: bool = True):  # noqa: ANN201
        """The plugin host; ``strict=False`` keeps plugins with unknown hooks (for ``efl plugins``)."""
        if self._host is None:
            from efl.core.plugin_host import load_plugins

            self._host = load_plugins(self.plugins, autoload=False if self.no_autoload else None, extra=self.extra,
                                      strict=strict)
        return self._host

    def engine(self):  # noqa: ANN201
        """The engine for this command: the host and the framework and crosswalk catalogues."""
        if self._engine is None:
            from efl.core.engine import Engine

            self._engine = Engine(self.host())
        return self._engine


def fail(error: EflError, settings: Settings | None) -> None:
    """Print an efl error the way a compiler would and exit with its code (no traceback unless asked)."""
    if settings is not None and settings.traceback and error.__cause__ is not None:
        import traceback

        traceback.print_exception(error.__cause__)
    from efl.errors import UsageError
    from efl.files.terminal import visible

    # One line per problem, with every control character from the folder shown, not obeyed.
    diagnostics = getattr(error, "diagnostics", None)
    lines = [visible(d) for d in diagnostics] if diagnostics else \
        [visible(line) for line in str(error).split("\n") if line] or [type(error).__name__]
    for line in lines:
        # A usage error names no file, so it is efl's own message even when it lists choices after ": ".
        click.echo(f"{line}" if ": " in line and not isinstance(error, UsageError) else f"efl: {line}", err=True)
    if diagnostics is not None:
        errors = sum(1 for d in diagnostics if not d.is_warning)
        if len(diagnostics) > 1:
            click.echo(f"{_problems(errors, len(diagnostics) - errors)} found.", err=True)
    elif len(lines) > 1:
        click.echo(f"{len(lines)} problems found.", err=True)
    sys.exit(int(error.exit_code))


def _problems(errors: int, warnings: int) -> str:
    parts = [f"{errors} {'error' if errors == 1 else 'errors'}"] if errors else []
    if warnings:
        parts.append(f"{warnings} {'warning' if warnings == 1 else 'warnings'}")
    return " and ".join(parts) or "no problems"


def print_warnings(warnings) -> None:  # noqa: ANN001
    """Warnings go to stderr, compiler style, so that stdout stays the report."""
    from efl.files.terminal import visible

    for diagnostic in warnings:
        click.echo(visible(diagnostic), err=True)


def _visible(text: object) -> str:
    from efl.files.terminal import visible

    return visible(text)


def run_guarded(func):  # noqa: ANN001, ANN201
    """Run a command body, turning efl errors and Ctrl-C into messages and exit codes."""
    settings = click.get_current_context().find_object(Settings)
    from efl.files.output import signals_raise

    try:
        # SIGTERM and SIGHUP (a time-out, a closed terminal) stop efl as Ctrl-C does: cleanly, with
        # exit code 128 + the signal, workers of a many-folder run included.
        with signals_raise():
            return func(settings)
    except EflError as error:
        from efl.startup import INTERRUPTED_LINE, interrupted

        if interrupted():  # the error is what a Ctrl-C left behind (a library wrapped it)
            click.echo(INTERRUPTED_LINE, err=True)
            sys.exit(ExitCode.for_signal(interrupted()))
        fail(error, settings)
    except KeyboardInterrupt as stop:
        # SIGTERM and SIGHUP arrive as output.Interrupted during a write; exit 128 + the signal.
        from efl.startup import INTERRUPTED_LINE

        click.echo(INTERRUPTED_LINE, err=True)
        sys.exit(getattr(stop, "exit_code", ExitCode.INTERRUPTED))
    except Exception as error:  # noqa: BLE001 - only to tell an interrupt in disguise from a real bug
        from efl.startup import INTERRUPTED_LINE, caused_by_interrupt

        code = caused_by_interrupt(error)
        if code is None:
            raise
        click.echo(INTERRUPTED_LINE, err=True)
        sys.exit(code)


def guarded(func):  # noqa: ANN001, ANN201
    """A command body ``func(settings, **options)`` as a click callback (the one place that does so):
    run under :func:`run_guarded`, and exit with the :class:`ExitCode` it returns (``None`` is 0)."""

    @functools.wraps(func)
    def command(**options) -> None:  # noqa: ANN003
        code = run_guarded(lambda settings: func(settings, **options))
        if code:
            sys.exit(int(code))

    return command


class FormatOption(click.Option):
    """``--format``, whose help lists the formats the loaded plugins register for this command (the
    registry is read only when the help is shown, so starting efl stays fast)."""

    def __init__(self, *args, formats: str = "result", **kwargs) -> None:  # noqa: ANN002, ANN003
        self.formats = formats  # "result", "comparison" or "progress"
        kwargs.setdefault("metavar", "FORMAT")
        super().__init__(*args, **kwargs)

    def get_help_record(self, ctx: click.Context):  # noqa: ANN201
        self.help = format_help(ctx.find_object(Settings), self.formats)
        return super().get_help_record(ctx)


def format_help(settings: Settings | None, formats: str) -> str:
    """The help of ``--format``: the names of the formats registered for ``formats``, from the registry."""
    names = []
    if settings is not None:
        try:
            from efl.reports.report_formats import formats_of

            names = list(formats_of(settings.host(), comparison=formats == "comparison",
                                    progress=formats == "progress"))
        except EflError:  # a plugin that cannot load: 'efl plugins' names it; the help still shows
            names = []
    listed = f"one of {', '.join(names)} (from the plugins loaded; see 'efl plugins')" if names else \
        "one a loaded plugin registers (see 'efl plugins')"
    otherwise = ", else table" if "table" in names or not names else ""
    return f"Output format: {listed}. Default: from the --output file's ending{otherwise}."


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="efl", prog_name="efl")
@click.option("-p", "plugins", multiple=True, metavar="NAME",
              help="Switch a plugin off with 'no:NAME', or on with 'NAME' (repeatable).")
@click.option("--no-plugin-autoload", "no_autoload", is_flag=True,
              help="Load only essential plugins and those named with -p (also EFL_DISABLE_PLUGIN_AUTOLOAD=1).")
@click.option("--traceback", is_flag=True, envvar="EFL_TRACEBACK",
              help="Show the full Python traceback when a plugin fails.")
@click.pass_context
def cli(ctx: click.Context, plugins: tuple[str, ...], no_autoload: bool, traceback: bool) -> None:
    """Assess a council's equality evidence against the Equality Framework for Local Government.

    \b
    Start with:  efl init my-council      (a folder to fill in)
                 efl validate my-council  (check it)
                 efl assess my-council    (levels, reasons and an action plan)
    """
    # Tests (and efl.testing) pass inline plugins as ``obj=[(name, plugin), ...]``.
    extra = ctx.obj if isinstance(ctx.obj, list) else None
    ctx.obj = Settings(plugins, traceback, no_autoload, extra)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@guarded
def frameworks(settings: Settings, as_json: bool) -> None:
    """List the framework editions installed."""
    engine = settings.engine()
    entries = engine.frameworks.frameworks()
    walks = engine.crosswalks.listed()
    tailorings = engine.frameworks.tailorings()
    if as_json:
        import json

        click.echo(json.dumps({"frameworks": [{"id": e.id, "version": e.version, "title": e.title,
                                               "status": e.status, "plugin": e.plugin} for e in entries.values()],
                               "crosswalks": walks,
                               "tailorings": [{"id": t.id, "version": t.version, "title": t.title, "plugin": t.plugin}
                                              for t in tailorings.values()]}, indent=2))
        return
    from tabulate import tabulate

    click.echo(tabulate([[e.id, e.version, e.status, e.title, e.plugin] for e in entries.values()],
                        headers=["Id", "Version", "Status", "Title", "Plugin"], tablefmt="simple",
                        disable_numparse=True))
    if walks:
        click.echo("\nCrosswalks (for 'efl compare' across editions):")
        for w in walks:
            click.echo(f"  {w['id']}: {w['from']} <-> {w['to']}")
    if tailorings:
        click.echo("\nLocal tailorings plugins ship (for 'tailoring:' in assessment.yaml):")
        for t in tailorings.values():
            click.echo(f"  {t.id}: {t.title} (plugin {t.plugin})")


@cli.command()
@click.argument("framework_id", metavar="FRAMEWORK")
@click.argument("area_id", metavar="[AREA]", required=False)
@click.option("--tailoring", metavar="FILE", help="Show the framework as this local tailoring changes it (a "
              "tailoring file, or the id of one a plugin ships).")
@guarded
def show(settings: Settings, framework_id: str, area_id: str | None, tailoring: str | None) -> None:
    """Show a framework's levels, areas and criteria (or one area in full).

    FRAMEWORK may also be the id of a tailoring a plugin ships: the framework it tailors is shown, tailored.
    """
    from efl.core.tailoring import load_for_show
    from efl.reports.showing import describe_framework

    loaded = load_for_show(settings.engine().frameworks, framework_id, tailoring)
    calendar = loaded.calendar.calendar if loaded.calendar else None
    click.echo(describe_framework(loaded.framework, area_id, calendar, loaded.tailoring), nl=False)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--council", default="Example Borough Council", show_default=True, help="The council's name.")
@click.option("--framework", "framework_id", default="eflg-2014", show_default=True, help="Framework id.")
@guarded
def init(settings: Settings, folder: Path, council: str, framework_id: str) -> None:
    """Create an assessment folder with a commented assessment.yaml and template evidence files.

    Refuses to write over any file that already exists.
    """
    from efl.core.framework import available_frameworks
    from efl.scaffold import check_framework, next_steps, scaffold
    from efl.schema import folder_schemas

    host = settings.host()
    chosen = check_framework(framework_id, list(available_frameworks(host)))
    written = scaffold(folder, council, chosen, schemas=folder_schemas(host))
    click.echo(f"Created {len(written)} files in {folder}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(next_steps(folder))


@cli.command()
@click.argument("name", required=False)
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write every schema into this folder.")
@click.option("--force", is_flag=True, help="Allow --output-dir to replace existing schema files.")
@guarded
def schema(settings: Settings, name: str | None, output_dir: Path | None, force: bool) -> None:
    """JSON Schemas of assessment.yaml, framework, crosswalk and YAML evidence files, and the JSON result.

    Editors such as VS Code (with a YAML extension) use them to complete keys and flag mistakes.
    With NAME (e.g. assessment), print that schema; with --output-dir, write them all.
    """
    from efl.errors import UsageError
    from efl.schema import all_schemas, render, write_schemas

    if output_dir is not None:
        for path in write_schemas(settings.host(), output_dir, force):
            click.echo(f"Wrote {path}")
        return
    schemas = all_schemas(settings.host())
    names = {n.removesuffix(".schema.json"): n for n in schemas}
    names["result"] = next(n for n in schemas if n.startswith("result-"))
    if name is None:
        for short, full in names.items():
            if short != "result":
                click.echo(f"{short}: {schemas[full]['title']}")
        click.echo("Print one with 'efl schema NAME', or write them all with 'efl schema --output-dir DIR'.")
        return
    if name not in names and name.removesuffix(".schema.json") not in names:
        from efl.core.vocabulary import UnknownWord, one_of

        try:
            one_of(name, names, "a schema")
        except UnknownWord as exc:
            raise UsageError(str(exc)) from None
    click.echo(render(schemas[names[name.removesuffix(".schema.json")]]), nl=False)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--framework", "framework_id", help="Check against this framework instead of the one in assessment.yaml.")
@guarded
def validate(settings: Settings, folder: Path, framework_id: str | None) -> None:
    """Check an assessment folder and its evidence files; report every problem at once."""
    prepared = settings.engine().prepare(folder, framework_id)
    print_warnings(prepared.warnings)
    from efl.plan.action_plan import current_plan

    plan, _ = current_plan(prepared.loaded)
    count = len(prepared.evidence.records)
    warned = f"; {_problems(0, len(prepared.warnings))}" if prepared.warnings else ""
    tailored = prepared.framework.tailoring
    local = f", tailored locally by {tailored.ref.file or tailored.ref.id}" if tailored is not None else ""
    click.echo(f"{folder}: OK ({count} evidence items checked against "
               f"{prepared.framework.framework.id} {prepared.framework.framework.version}{local}{warned}"
               + (f"; action plan of {len(plan.lines)} lines)" if plan is not None else ")"))


def emit(text: str | bytes, output: Path | None, force: bool, fmt: str = "table") -> None:
    """Print the report, or write it to ``output`` atomically (never over a file without --force)."""
    from efl.files.terminal import for_output

    if output is None and isinstance(text, bytes):
        from efl.errors import UsageError

        raise UsageError("this format writes a file, not text for the terminal (expected -o FILE)")
    if output is None:
        _print(text, fmt)
        return
    from efl.files.output import write_atomic

    write_atomic(output, for_output(text, fmt), force)
    click.echo(f"Wrote {output}", err=True)


def _print(text: str, fmt: str) -> None:
    """A report on standard output, made safe to print (for_output). Where standard output takes
    UTF-8 bytes as they are (as on Linux and macOS), the report's UTF-8 is made once and written
    straight to it (megabytes for a plan of thousands of lines); else click writes it."""
    from efl.files.terminal import for_output, for_output_utf8

    stream = sys.stdout
    data = for_output_utf8(text, fmt) if stream is not None and _takes_utf8(stream) else None
    if data is not None:
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
        return
    # color=True: click need not look for colour codes to strip when the output is not a terminal;
    # for_output has shown every control character as text, so there are none.
    click.echo(for_output(text, fmt), nl=False, color=True)


def _takes_utf8(stream) -> bool:  # noqa: ANN001
    """Whether text written to ``stream`` reaches its file as its UTF-8, byte for byte."""
    import codecs

    try:
        return getattr(stream, "buffer", None) is not None and os.linesep == "\n" and \
            codecs.lookup(stream.encoding).name == "utf-8"
    except (LookupError, TypeError, AttributeError):
        return False


@cli.command()
@click.argument("folders", nargs=-1, required=True, metavar="FOLDER...", type=click.Path(path_type=Path))
@click.option("--format", "fmt", cls=FormatOption)
@click.option("--explain", is_flag=True, help="Show how each criterion was decided and every fact used.")
@click.option("--fail-under", metavar="LEVEL", help="Exit with code 1 if the overall level is below LEVEL.")
@click.option("--framework", "framework_id", help="Assess against this framework instead of the one in assessment.yaml.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to a file (atomically).")
@click.option("--force", is_flag=True, help="Allow --output (or --output-dir) to replace existing files.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Several folders: how many to assess at once (default: the number of cores, up to 8; "
                   "never more than the folders, nor 32).")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Several folders: write each council's report (in --format, default json) into this folder.")
@click.option("--summary", "summary_fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Several folders: how to print the summary.")
@click.option("--plan", "plan_out", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the action plan (.yaml, .csv or .xlsx): the plan named in assessment.yaml with "
                   "new lines for unmet criteria added; --force to replace FILE.")
@click.option("--target", "target_level", metavar="LEVEL",
              help="Say, per area, what it would take to reach LEVEL (or 'next'): every criterion not yet met, "
                   "the figure now and the figure needed, its action, lead and due date.")
@click.option("--area", "target_area", metavar="AREA", help="With --target: only this area (its id or name).")
@click.option("--assume", "assume", multiple=True, metavar="FACT=VALUE",
              help="What if: assess as if a figure were VALUE (repeatable); the result is marked hypothetical.")
@click.option("--assume-file", type=click.Path(path_type=Path), metavar="FILE",
              help="What if: the figures to assume, from a YAML file with 'assume:'.")
@guarded
def assess(settings: Settings, folders: tuple[Path, ...], fmt: str | None, explain: bool, fail_under: str | None,
           framework_id: str | None, output: Path | None, force: bool, jobs: int | None, output_dir: Path | None,
           summary_fmt: str, plan_out: Path | None, target_level: str | None, target_area: str | None,
           assume: tuple[str, ...], assume_file: Path | None) -> int:
    """Assess an assessment folder: the level per area, the reasons and an action plan.

    Give several folders, or a folder of assessment folders, to assess them all in one go: a summary
    table, each council's report in --output-dir, and a progress bar on a terminal.
    """
    from efl.core.assess_options import AssessOptions
    from efl.core.assessment import ASSESSMENT_FILE

    asked = AssessOptions(output, explain, fail_under, plan_out, target_level, target_area, assume, assume_file)
    if len(folders) > 1 or _folder_of_folders(folders[0], ASSESSMENT_FILE):
        asked.check_many()
        return assess_many(settings, list(folders), fmt, framework_id, jobs, output_dir, force, summary_fmt)
    folder = folders[0]
    from efl.core.engine import fail_under_level, is_below
    from efl.core.plugin_api import ReportOptions
    from efl.files.arrow_preload import start_for
    from efl.files.columnar import MIN_BYTES
    from efl.reports.report_formats import format_for, render

    host = settings.host()
    start_for(folder, MIN_BYTES)  # on the second core, while the engine reads the folder
    chosen = format_for(host, fmt, output)
    run = settings.engine().assess(folder, framework_id, asked.run_options())
    result = run.result
    print_warnings(run.warnings)
    wanted = fail_under_level(result, fail_under) if fail_under is not None else None
    if plan_out is not None:
        from efl.plan.action_plan import merged_plan

        merged = merged_plan(folder, host, result, plan_out, force, run.loaded)
    # The calendar files as the engine indexed them: the report's legal section needs no second index.
    emit(render(host, result, chosen, ReportOptions(explain=explain), settings.engine().frameworks.calendars()),
         output, force, chosen)
    if plan_out is not None:
        # The plan is data, written exactly (never made "visible" like a report), and replaces the
        # council's plan only if nobody saved it since efl read it.
        merged.write(force)
        click.echo(f"Wrote {plan_out}", err=True)
        click.echo(f"The plan has {merged.added} new line{'s' if merged.added != 1 else ''} for unmet "
                   "criteria.", err=True)
    for note in run.notes:
        click.echo(f"efl: note: {_visible(note)}", err=True)
    for failure in run.failures:
        click.echo(_visible(failure), err=True)
        if settings.traceback:
            import traceback

            traceback.print_exception(failure.__cause__)
    if run.exit_code:
        return run.exit_code
    if wanted is not None and is_below(result, wanted):
        click.echo(f"efl: overall level {result.level_title(result.overall_level)} is below "
                   f"{result.level_title(wanted)}", err=True)
        return ExitCode.BELOW_LEVEL
    return ExitCode.OK


def _folder_of_folders(path: Path, name: str) -> bool:
    """Whether ``path`` holds assessment folders rather than being one (a folder efl cannot look
    into counts as one, so that reading it names the problem)."""
    try:
        return not os.path.lexists(path / name) and path.is_dir() and any(path.glob(f"*/{name}"))
    except OSError:
        return False


def assess_many(settings: Settings, paths: list[Path], fmt: str | None, framework_id: str | None,
                jobs: int | None, output_dir: Path | None, force: bool, summary_fmt: str) -> int:
    """``efl assess`` over many folders: a summary, reports in --output-dir, every failure listed."""
    from efl.core.batch import BatchOptions, batch_exit_code, default_jobs, find_folders, run_batch
    from efl.reports.report_formats import format_for

    folders = find_folders(paths)
    host = settings.host()  # checks switches and plugins once, before any worker starts
    chosen = format_for(host, fmt or "json", None)
    if output_dir is not None:
        from efl.files.output import make_folder

        make_folder(output_dir)
    options = BatchOptions(settings.plugins, False if settings.no_autoload else None, framework_id, chosen,
                           str(output_dir) if output_dir else None, force)
    if output_dir is not None:
        from efl.core.batch import report_stems
        from efl.files.terminal import visible

        for note in report_stems(folders)[1]:
            click.echo(f"efl: note: {visible(note)}", err=True)
    show_bar = sys.stderr.isatty()
    summaries = []
    with click.progressbar(length=len(folders), label="Assessing", file=sys.stderr,
                           show_pos=True) if show_bar else _NoBar() as bar:
        for summary in run_batch(folders, options, jobs or default_jobs(), settings.extra or None,
                                 progress=lambda s: bar.update(1), engine=settings.engine(),
                                 note=lambda text: click.echo(f"efl: note: {_visible(text)}", err=True)):
            summaries.append(summary)
    from efl.core.batch import summary_text
    from efl.files.terminal import visible

    click.echo(summary_text(summaries, summary_fmt), nl=False)
    failed = [s for s in summaries if s.errors]
    for s in failed:
        for line in s.errors:
            # Name the folder unless the message already starts with a file inside it.
            line = line if line.startswith(s.folder) else f"{s.folder}: {line}"
            click.echo(visible(line), err=True)
    if failed:
        click.echo(f"{len(failed)} of {len(summaries)} folders had problems.", err=True)
    return batch_exit_code(summaries)


class _NoBar:
    """Stands in for click's progress bar when standard error is not a terminal."""

    def __enter__(self):  # noqa: ANN204
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        return None

    def update(self, n: int) -> None:
        return None


def warn_incomplete(results: list) -> None:
    """Warn about every result read back that is incomplete, or a what-if rather than the council's own."""
    from efl.core.results import hypothetical_warning, incomplete_warning

    for source, result in results:
        for warning in (incomplete_warning(source, result), hypothetical_warning(source, result)):
            if warning:
                click.echo(_visible(warning), err=True)


@cli.command()
@click.argument("result_file", metavar="RESULT.json", type=click.Path(path_type=Path))
@click.option("--format", "fmt", cls=FormatOption)
@click.option("--explain", is_flag=True, help="Show how each criterion was decided.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to a file (atomically).")
@click.option("--force", is_flag=True, help="Allow --output to replace an existing file.")
@guarded
def report(settings: Settings, result_file: Path, fmt: str | None, explain: bool, output: Path | None, force: bool) -> None:
    """Render a result saved with 'efl assess DIR --format json -o FILE', without assessing again."""
    from efl.core.plugin_api import ReportOptions
    from efl.reports.report_formats import format_for, render
    from efl.core.results import read_result

    host = settings.host()
    chosen = format_for(host, fmt, output)
    result = read_result(result_file)
    warn_incomplete([(str(result_file), result)])
    emit(render(host, result, chosen, ReportOptions(explain=explain)), output, force, chosen)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="RESULT_OR_FOLDER...", type=click.Path(path_type=Path))
@click.option("--trend", is_flag=True, help="One council over the years: levels, changed criteria, actions closed.")
@click.option("--across", is_flag=True, help="Several councils side by side, with a summary per area.")
@click.option("--min-group", type=click.IntRange(min=1), default=None,
              help="With --across: perturbed counts below this are shown as 'fewer than N' (1: none)  [default: 3]")
@click.option("--noise-key", type=click.Path(path_type=Path), metavar="FILE",
              help="With --across: the publisher's secret for the noise (make one with 'efl key noise FILE').")
@click.option("--summary-only", is_flag=True, help="With --across: only the summary (the default; kept for old scripts).")
@click.option("--show-councils", is_flag=True,
              help="With --across: add the council-by-council table (not for publication).")
@click.option("--different-councils", is_flag=True,
              help="Two inputs: allow comparing two different councils (the title says so).")
@click.option("--format", "fmt", cls=FormatOption, formats="comparison")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file (atomically).")
@click.option("--force", is_flag=True, help="Allow --output to replace an existing file.")
@guarded
def compare(settings: Settings, inputs: tuple[Path, ...], trend: bool, across: bool, min_group: int | None,
            noise_key: Path | None, summary_only: bool, show_councils: bool, different_councils: bool, fmt: str | None,
            output: Path | None, force: bool) -> None:
    """Compare results: self against peer (two inputs), --trend over years, or --across councils.

    Each input is a result saved with 'efl assess DIR --format json -o FILE' or an assessment folder.
    """
    from efl.peer.compare_request import CompareRequest
    from efl.reports.report_formats import format_for, render_comparison

    request = CompareRequest(inputs, trend, across, min_group, noise_key, summary_only, show_councils,
                             different_councils)
    request.check()
    engine = settings.engine()
    chosen = format_for(engine.host, fmt, output, comparison=True)
    results = request.load(engine)
    warn_incomplete(results)
    emit(render_comparison(engine.host, request.compare(results, engine.crosswalks), chosen), output, force, chosen)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The report date: lines due before it are overdue (default: the assessment date).")
@click.option("--previous", type=click.Path(path_type=Path), metavar="PLAN",
              help="Last quarter's plan file, to say what changed (default: the dates of the progress notes).")
@click.option("--annual", is_flag=True, help="The annual report: add the level per area and the year-on-year change.")
@click.option("--last-year", type=click.Path(path_type=Path), metavar="RESULT.json",
              help="With --annual: last year's result (saved with --format json) to compare levels with.")
@click.option("--calendar", "with_calendar", is_flag=True,
              help="Add the governance calendar: reports due to each body, reviews of targets and objectives.")
@click.option("--format", "fmt", cls=FormatOption, formats="progress")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file (atomically).")
@click.option("--force", is_flag=True, help="Allow --output to replace an existing file.")
@guarded
def progress(settings: Settings, folder: Path, as_of, previous: Path | None, annual: bool, last_year: Path | None,  # noqa: ANN001
             with_calendar: bool, fmt: str | None, output: Path | None, force: bool) -> None:
    """Progress on the action plan named in assessment.yaml: done, on track, at risk and overdue, per
    objective and area, and what changed since the last quarter."""
    from efl.plan.progress import check_options, for_folder
    from efl.reports.report_formats import format_for, render_progress

    check_options(annual, last_year)

    host = settings.host()
    chosen = format_for(host, fmt, output, progress=True)
    report = for_folder(folder, host, as_of.date() if as_of else None, previous, annual,
                        last_year, with_calendar)
    emit(render_progress(host, report, chosen), output, force, chosen)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The pack to write (a .zip).")
@click.option("--include-personal", is_flag=True,
              help="Keep files with personal data (marked personal, and workforce profiles) in the pack.")
@click.option("--sign", "sign_key", type=click.Path(path_type=Path), metavar="KEY",
              help="Sign the manifest with this private key (made with 'efl key new NAME').")
@click.option("--force", is_flag=True, help="Allow --output to replace an existing file.")
@guarded
def pack(settings: Settings, folder: Path, output: Path, include_personal: bool, sign_key: Path | None, force: bool) -> None:
    """Make an evidence pack for a peer team: the folder, a manifest of fingerprints and the result.

    Personal files are left out and replaced by the figures worked out from them, unless
    --include-personal. 'efl assess' on the unpacked pack gives the same JSON, byte for byte.
    A peer folder (evidence_from: ../COUNCIL) is packed with the council's folder beside it.
    """
    from efl.files.output import write_atomic
    from efl.peer.pack import make_pack

    key = None
    if sign_key is not None:
        from efl.peer.signing import load_private

        key = load_private(sign_key)
    packed = make_pack(folder, settings.host(), include_personal, key)
    write_atomic(output, packed.data, force)
    left = f"; left out (personal): {', '.join(packed.withheld)}" if packed.withheld else ""
    signed = f"; signed by the key with fingerprint {packed.signed_by}" if packed.signed_by else ""
    click.echo(f"Wrote {output}: {packed.files} files, the result and a manifest{left}{signed}.", err=True)


@cli.command()
@click.argument("pack_file", metavar="PACK.zip", type=click.Path(path_type=Path))
@click.option("--key", "public_key", type=click.Path(path_type=Path), metavar="PUBLIC.pub",
              help="The council's public key: the pack must be signed with its private key.")
@guarded
def verify(settings: Settings, pack_file: Path, public_key: Path | None) -> int:
    """Check an evidence pack: every file against its manifest, the result re-worked out from the
    folder, and with --key the council's signature.

    Exit 0 if nothing changed, 4 naming every changed file, 2 if it is not a pack or cannot be
    checked here.
    """
    from efl.peer.verify import verify_pack

    key = None
    if public_key is not None:
        from efl.peer.signing import load_public

        key = load_public(public_key)
    verdict = verify_pack(pack_file, settings.host(), key)
    for problem in verdict.problems:
        click.echo(_visible(problem), err=True)
    notes = [_visible(n) for n in verdict.notes]
    if verdict.problems:
        files = len({p.path for p in verdict.problems})
        click.echo(f"{_visible(pack_file)}: changed since it was packed ({files} "
                   f"{'file' if files == 1 else 'files'}).", err=True)
        for note in notes:
            click.echo(note, err=True)
        return ExitCode.PACK_CHANGED
    signed = f" The council's signature matches (key {verdict.signed_by})." if verdict.signed_by else ""
    click.echo(f"{_visible(pack_file)}: unchanged: {verdict.checked} files match the manifest, and assessing "
               f"the folder again gives the packed result byte for byte.{signed}")
    for note in notes:
        click.echo(note)
    return ExitCode.OK


@cli.group()
def key() -> None:
    """Make keys: a key pair to sign packs with, or a secret for --across noise."""


@key.command("new")
@click.argument("name", type=click.Path(path_type=Path))
@guarded
def key_new(settings: Settings, name: Path) -> None:
    """Make a key pair for signing packs: NAME.key (keep it private) and NAME.pub (give it to the peer team)."""
    from efl.files.output import write_atomic
    from efl.peer.signing import load_public, new_key_pair, public_fingerprint

    private, public = new_key_pair()
    private_path, public_path = Path(f"{name}.key"), Path(f"{name}.pub")
    write_atomic(private_path, private, private=True)
    write_atomic(public_path, public)
    print_key = public_fingerprint(load_public(public_path))
    click.echo(f"Wrote {private_path} (private: keep it to sign packs with 'efl pack DIR -o PACK.zip --sign "
               f"{private_path}') and {public_path} (public: the peer team checks with 'efl verify PACK.zip "
               f"--key {public_path}'). Fingerprint: {print_key}.", err=True)


@key.command("noise")
@click.argument("file", type=click.Path(path_type=Path))
@guarded
def key_noise(settings: Settings, file: Path) -> None:
    """Make a secret for 'efl compare --across --noise-key FILE': keep it, and use it for every table."""
    import secrets

    from efl.files.output import write_atomic

    write_atomic(file, secrets.token_hex(32) + "\n", private=True)
    click.echo(f"Wrote {file}: a secret for the noise of --across tables. Keep it private, and use the same "
               "one for every table you publish.", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@guarded
def plugins(settings: Settings, as_json: bool) -> None:
    """List every plugin: name, distribution, version, built-in, loaded or disabled, hooks."""
    infos = settings.host(strict=False).all_infos()
    if as_json:
        import json

        click.echo(json.dumps([i.as_dict() for i in infos], indent=2))
        return
    from tabulate import tabulate

    rows = [[i.name, i.distribution, i.version, "yes" if i.builtin else "no",
             "problem" if i.problems else i.status, ", ".join(h.removeprefix("efl_") for h in i.hooks)]
            for i in infos]
    click.echo(tabulate(rows, headers=["Name", "Distribution", "Version", "Built-in", "Status", "Hooks"],
                        tablefmt="simple", maxcolwidths=[None, None, None, None, None, 60]))
    problems = [p for i in infos for p in i.problems]
    if problems:
        click.echo("\nProblems (other efl commands refuse to run until they are fixed or the plugin is "
                   "switched off with -p no:NAME):")
        for problem in problems:
            click.echo(f"  {problem}")


def main() -> None:
    if os.environ.get("EFL_TRACEBACK"):
        os.environ.setdefault("PYTHONFAULTHANDLER", "1")
    from efl.files.terminal import run_guarding_stdout

    try:
        run_guarding_stdout(_run_cli)
    except SystemExit as stop:
        _leave(stop)
        raise


def _leave(stop: SystemExit) -> None:
    """End the command without Python's teardown, once what it was for is done and kept.

    Python's own exit frees every object one by one (for a plan of 5,000 lines some 15 ms, a tenth
    of a quick command) and unloads every module, which changes nothing outside the process. What
    does matter is done here first, as that exit does it: the exit functions (efl's kept schemas and
    code, a finished worker pool, ``weakref.finalize``), then standard output and error flushed
    (run_guarding_stdout has flushed standard output once already, and said if it could not be).
    Left to Python's exit: efl called as a library (its caller may catch the exit), an exit with a
    message (not a number), a thread other than this one still running (Python would wait for it),
    or an output that cannot be flushed (reported as usual).
    """
    from efl.startup import as_the_command

    code = stop.code
    if not as_the_command() or code is not None and not isinstance(code, int):
        return  # (an ExitCode is an int)
    threading = sys.modules.get("threading")
    if threading is not None and any(t is not threading.main_thread() and not t.daemon and t.is_alive()
                                     for t in threading.enumerate()):
        return
    import atexit

    atexit._run_exitfuncs()
    atexit._clear()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(int(code or 0))


def _run_cli() -> None:
    """click's main, except that Ctrl-C anywhere (even before a command's own handling is in place,
    while it imports what it needs) is efl's one line and exit code, not click's "Aborted!"."""
    try:
        code = cli.main(prog_name="efl", standalone_mode=False)
    except click.exceptions.Abort as stop:
        from efl.startup import INTERRUPTED_LINE

        click.echo(INTERRUPTED_LINE, err=True)
        sys.exit(getattr(stop.__cause__, "exit_code", ExitCode.INTERRUPTED))
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    sys.exit(int(code) if isinstance(code, int) else ExitCode.OK)
