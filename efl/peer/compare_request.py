"""What ``efl compare`` is asked for, the rules its options follow, and working it out.

The command line only gathers the options: whether they make sense together (``--trend`` or
``--across`` or two inputs; ``--min-group`` only with ``--across``...) is decided here, with the
same messages for any caller, and so is which comparison is made: a pair (:func:`compare_pair`),
a trend or a table across councils (:mod:`efl.peer.compare_many`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from efl.errors import UsageError

if TYPE_CHECKING:
    from efl.core.crosswalk import Crosswalks
    from efl.core.engine import Engine
    from efl.core.models import Result
    from efl.peer.compare import Comparison
    from efl.peer.compare_many import Across, Trend

# With --across, perturbed counts below this are shown as "fewer than N" unless --min-group says otherwise.
MIN_GROUP = 3


@dataclass(frozen=True)
class CompareRequest:
    """One ``efl compare``: the inputs (saved results or assessment folders) and its options.

    ``min_group`` is ``None`` unless it was given, so that giving it without ``--across`` can be refused.
    """

    inputs: tuple[Path, ...]
    trend: bool = False
    across: bool = False
    min_group: int | None = None
    noise_key: Path | None = None
    summary_only: bool = False
    show_councils: bool = False
    different_councils: bool = False

    def check(self) -> None:
        """Refuse options that do not go together (a usage error, exit code 2), before anything is read."""
        if self.trend and self.across:
            raise UsageError("--trend and --across cannot be used together (expected one of them)")
        if not self.trend and not self.across and len(self.inputs) != 2:
            raise UsageError(f"compare takes two inputs, got {len(self.inputs)} (expected A and B, or --trend / "
                             "--across)")
        if self.different_councils and (self.trend or self.across):
            raise UsageError("--different-councils goes with two inputs (expected A and B without --trend or "
                             "--across)")
        if not self.across and (self.summary_only or self.show_councils or self.min_group is not None
                                or self.noise_key is not None):
            raise UsageError("--min-group, --noise-key, --summary-only and --show-councils go with --across")
        if self.summary_only and self.show_councils:
            raise UsageError("--summary-only and --show-councils cannot be used together (expected one of them)")

    def load(self, engine: Engine) -> list[tuple[str, Result]]:
        """The results to compare, each with where it came from (a folder is assessed now)."""
        from efl.core.results import load_results

        self.check()
        return load_results(list(self.inputs), engine)

    def compare(self, results: list[tuple[str, Result]], crosswalks: Crosswalks) -> Comparison | Trend | Across:
        """The comparison asked for, of ``results`` (from :meth:`load`)."""
        from efl.peer import compare_many

        self.check()
        if self.trend:
            return compare_many.trend(results, crosswalks)
        if self.across:
            from efl.peer.disclosure import read_secret

            secret = read_secret(self.noise_key) if self.noise_key is not None else None
            return compare_many.across(results, MIN_GROUP if self.min_group is None else self.min_group,
                                       show_names=self.show_councils, crosswalks=crosswalks, secret=secret)
        from efl.peer.compare import compare_pair

        (a_source, a), (b_source, b) = results
        walk = crosswalks.between(a.framework.id, b.framework.id) if a.framework.id != b.framework.id else None
        return compare_pair(a, b, a_source, b_source, walk, self.different_councils)
