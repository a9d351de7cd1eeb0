"""Pure computations behind the workforce and service facts, kept apart from plugins so they can be
tested against figures worked out by hand and reused by third-party plugins.

Gender pay gap measures follow the Equality Act 2010 (Specific Duties and Public Authorities)
Regulations 2017, Schedule 1: each gap is (men's figure - women's figure) / men's figure x 100, so a
positive gap means women are paid less.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean, median
from typing import Callable, Iterable, Sequence


def gap_pct(men: Sequence[float], women: Sequence[float], stat: Callable[[Sequence[float]], float]) -> float | None:
    """(stat(men) - stat(women)) / stat(men) x 100, or None when either group is empty or men's figure is 0."""
    if not men or not women:
        return None
    m, w = stat(men), stat(women)
    if m == 0:
        return None
    return (m - w) / m * 100


def mean_gap_pct(men: Sequence[float], women: Sequence[float]) -> float | None:
    return gap_pct(men, women, fmean)


def median_gap_pct(men: Sequence[float], women: Sequence[float]) -> float | None:
    return gap_pct(men, women, median)


@dataclass(frozen=True)
class Band:
    """One quartile pay band: how many people (possibly fractional, see below) and the shares."""

    size: int
    men: float
    women: float

    @property
    def men_pct(self) -> float:
        return self.men / self.size * 100 if self.size else 0.0

    @property
    def women_pct(self) -> float:
        return self.women / self.size * 100 if self.size else 0.0


def band_bounds(n: int) -> list[int]:
    """Where the four bands start and end among ``n`` people ranked lowest paid first.

    Band k holds ranks ``floor(k*n/4)`` up to (not including) ``floor((k+1)*n/4)``, so band sizes
    differ by at most one and, when ``n`` is not divisible by four, the extra people fall where the
    floors put them: n=5 gives sizes 1, 1, 1, 2; n=6 gives 1, 2, 1, 2; n=7 gives 1, 2, 2, 2.
    """
    return [k * n // 4 for k in range(5)]


def quartile_bands(people: Iterable[tuple[float, str]]) -> list[Band] | None:
    """Split full-pay employees ``(hourly_pay, "male"|"female")`` into four pay bands.

    People are ranked by hourly pay, lowest first. Where one hourly rate straddles a band boundary,
    the people on that rate are shared between the bands it spans in proportion, so each of those
    bands gets the same male/female mix as the rate as a whole (the regulations ask that the mix of
    a rate spanning a boundary be kept the same in each band). Counts can therefore be fractional.
    Returns None with fewer than four people.
    """
    ranked = sorted(people, key=lambda p: p[0])
    n = len(ranked)
    if n < 4:
        return None
    bounds = band_bounds(n)
    men = [0.0] * 4
    women = [0.0] * 4
    i = 0
    while i < n:
        j = i
        rate = ranked[i][0]
        while j < n and ranked[j][0] == rate:
            j += 1
        group = j - i
        group_men = sum(1 for _, sex in ranked[i:j] if sex == "male")
        for k in range(4):
            overlap = min(j, bounds[k + 1]) - max(i, bounds[k])
            if overlap > 0:
                men[k] += overlap * group_men / group
                women[k] += overlap * (group - group_men) / group
        i = j
    return [Band(bounds[k + 1] - bounds[k], men[k], women[k]) for k in range(4)]


def share_pct(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def representation_ratio(workforce_share: float, community_share: float) -> float | None:
    """Workforce share / community share: 1.0 mirrors the community, below 1 is under-represented."""
    if not community_share:
        return None
    return workforce_share / community_share


def pence_in_pound(gap: float) -> int:
    """What a woman earns for every pound a man earns, in whole pence, given a gap in per cent."""
    return round(100 - gap)


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int) -> float | None:
    """Cohen's kappa with linear weights, for two raters placing items on an ordinal scale.

    :param pairs: one ``(rater_a, rater_b)`` per item, each a category index ``0..categories-1``.
    :param categories: how many ordered categories there are (k).
    :returns: kappa, 1 for perfect agreement; ``None`` with no items. Weights are
        ``w = 1 - |i - j| / (k - 1)``, so a one-level difference counts as partial agreement. When both
        raters put every item in one and the same category, chance agreement is 1 and the formula is
        0/0; agreement is then perfect and kappa is 1.
    """
    n = len(pairs)
    if n == 0 or categories < 2:
        return None
    k = categories
    weight = [[1 - abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    row = [0] * k
    col = [0] * k
    observed = 0.0
    for a, b in pairs:
        observed += weight[a][b]
        row[a] += 1
        col[b] += 1
    p_observed = observed / n
    p_expected = sum(weight[i][j] * row[i] * col[j] for i in range(k) for j in range(k)) / (n * n)
    if p_expected >= 1:
        return 1.0 if p_observed >= 1 else None
    return (p_observed - p_expected) / (1 - p_expected)
