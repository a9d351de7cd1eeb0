"""What ``efl assess`` is asked for besides the folders, and the rules its options follow.

The command line only gathers the options; which go with one folder and which with many, and what
``--target``, ``--area``, ``--assume`` and ``--assume-file`` come to for the engine
(:class:`~efl.core.engine.RunOptions`), is decided here, with the same messages for any caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from efl.errors import UsageError

if TYPE_CHECKING:
    from efl.core.engine import RunOptions


@dataclass(frozen=True)
class AssessOptions:
    """The options of one ``efl assess``, as given (``None`` or empty when not given)."""

    output: Path | None = None
    explain: bool = False
    fail_under: str | None = None
    plan: Path | None = None
    target_level: str | None = None
    target_area: str | None = None
    assume: tuple[str, ...] = ()
    assume_file: Path | None = None

    def check_many(self) -> None:
        """Refuse the options that are for one folder only, when several are assessed."""
        if self.plan is not None:
            raise UsageError("--plan is for one folder (expected one folder)")
        if self.target_level or self.target_area or self.assume or self.assume_file:
            raise UsageError("--target, --area, --assume and --assume-file are for one folder (expected one folder)")
        if self.output is not None or self.explain or self.fail_under:
            raise UsageError("with several folders use --output-dir (not -o), and --explain and --fail-under "
                             "are for one folder (expected one of each, or drop the option)")

    def run_options(self) -> RunOptions:
        """The engine's options for one folder (reading ``--assume-file``), after checking they go together."""
        from efl.core.engine import RunOptions

        if self.target_area is not None and self.target_level is None:
            raise UsageError("--area goes with --target (expected --target LEVEL --area AREA)")
        raws = []
        if self.assume or self.assume_file:
            from efl.core import assumptions

            if self.assume_file is not None:
                raws += assumptions.read_file(self.assume_file)
            raws += [assumptions.parse_option(text) for text in self.assume]
        if self.plan is not None and raws:
            raise UsageError("--plan writes the council's own action plan, so it cannot be used with --assume or "
                             "--assume-file (expected one or the other)")
        target = None
        if self.target_level is not None:
            from efl.core.target import TargetRequest

            target = TargetRequest(self.target_level, self.target_area)
        return RunOptions(tuple(raws), target)
