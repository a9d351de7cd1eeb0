"""Pure computations behind the workforce and service facts, kept apart from plugins so they can be
tested against figures worked out by hand and reused by third-party plugins.

Gender pay gap measures follow the Equality Act 2010 (Specific Duties and Public Authorities)
Regulations 2017 (SI 2017/353), Schedule 1, and the gov.uk guidance "Gender pay gap reporting: make
your calculations": each gap is (men's figure - women's figure) / men's figure x 100, so a positive gap
means women are paid less. The pay gap code takes columns (one list per CSV column) and sorts each list
of pay once, because it runs over every employee of every council in a national batch.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from itertools import accumulate, compress
from operator import and_
from statistics import fmean, median
from typing import Any, Callable, Iterable, Sequence


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


# Rounding for people ------------------------------------------------------------------------------

_WIDE = Context(prec=60)  # room for nine decimal places on any figure a payroll can produce


def _half_up(x: float, places: str) -> Decimal:
    # Nine decimal places first, so binary noise from the arithmetic (a gap of exactly 6.25 that
    # arrives as 6.2499999999999991) cannot pull a figure below the half; then half up.
    tidy = Decimal(x).quantize(Decimal("1e-9"), context=_WIDE)
    return tidy.quantize(Decimal(places), rounding=ROUND_HALF_UP, context=_WIDE)


def one_decimal(x: float | None) -> float | None:
    """``x`` to one decimal place, halves rounded up (away from zero, as a spreadsheet's ROUND does).

    The gender pay gap service takes figures to one decimal place, and people check them by hand or in
    a spreadsheet, where 2.25 becomes 2.3. Python's ``round`` rounds halves to even and works on the
    binary value (``round(2.25, 1)`` is 2.2, ``round(0.15, 1)`` is 0.1), so it is not used here.
    """
    return None if x is None else float(_half_up(x, "0.1"))


def pence_in_pound(gap: float) -> int:
    """What a woman earns for every pound a man earns, in whole pence, given a gap in per cent.

    Worked from the gap as people are shown it (one decimal place) and rounded half up, so the sentence
    adds up for a reader: a 13.5% gap is 86.5p, which people write as 87p (``round`` would say 86).
    """
    return int(_half_up(100 - one_decimal(gap), "1"))


# Quartile pay bands -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    """One quarter of the full-pay relevant employees ranked by hourly pay, in whole people."""

    size: int
    men: int
    women: int

    @property
    def men_pct(self) -> float:
        return self.men / self.size * 100 if self.size else 0.0

    @property
    def women_pct(self) -> float:
        return self.women / self.size * 100 if self.size else 0.0


# Where the guidance puts the people left over when n is not divisible by four ("do not create your
# pay groups in any other way"): lower; lower and upper middle; lower, lower middle and upper middle.
_LEFT_OVER = {0: (0, 0, 0, 0), 1: (1, 0, 0, 0), 2: (1, 0, 1, 0), 3: (1, 1, 1, 0)}


def quarter_sizes(n: int) -> list[int]:
    """How many of ``n`` ranked people go in the lower, lower middle, upper middle and upper quarter.

    Four equal groups, with the left-overs placed as the guidance fixes them (see ``_LEFT_OVER``):
    Acme Ltd's 4,445 employees give 1,112 / 1,111 / 1,111 / 1,111.
    """
    q, r = divmod(n, 4)
    return [q + extra for extra in _LEFT_OVER[r]]


def band_bounds(n: int) -> list[int]:
    """Where the four quarters start and end among ``n`` people ranked lowest paid first (five cuts)."""
    return list(accumulate(quarter_sizes(n), initial=0))


def share_in_whole_people(count: int, parts: Sequence[int]) -> list[int]:
    """Share ``count`` people (say the women on one hourly rate) between places of sizes ``parts``.

    Each part gets its proportional share ``part * count / sum(parts)`` rounded down, and the people
    still unplaced go one each to the parts with the largest remainders (largest remainder method),
    so the shares are whole people and add up to ``count`` exactly. Equal remainders go to the lower
    quarter first: a fixed rule, so the same payroll always gives the same bands whatever the order
    of its rows. Worked in integers, so remainders are compared exactly.
    """
    total = sum(parts)
    shares = [part * count // total for part in parts]
    remainders = [part * count % total for part in parts]
    first = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for i in first[:count - sum(shares)]:
        shares[i] += 1
    return shares


def _women_before(cut: int, ranked: list[float], women_ranked: list[float], cuts: list[int]) -> int:
    """How many women are among the first ``cut`` ranked people once tied rates are shared fairly.

    A tie group (everyone on one hourly rate) that straddles dividing lines is shared between the
    quarters it spans so that each quarter's share has, as near as whole people allow, the group's own
    mix of women and men (the guidance's "as fairly as possible"; SI 2017/353 Sch. 1 asks that the
    proportion of men and women on that rate be the same in each band). Without this the order of equal
    rates in the file would decide the answer.
    """
    rate = ranked[cut]
    first = bisect_left(ranked, rate)
    women_below = bisect_left(women_ranked, rate)
    if first == cut:  # nobody on this rate sits below the line
        return women_below
    last = bisect_right(ranked, rate)
    group_women = bisect_right(women_ranked, rate) - women_below
    edges = [first, *(c for c in cuts if first < c < last), last]
    shares = share_in_whole_people(group_women, [b - a for a, b in zip(edges, edges[1:])])
    return women_below + sum(shares[:edges.index(cut)])


def _bands(women_ranked: list[float], men_ranked: list[float]) -> list[Band] | None:
    # The two sorted lists are two runs for Timsort, which merges them in one linear pass.
    ranked = sorted(women_ranked + men_ranked)
    n = len(ranked)
    if n < 4:
        return None
    cuts = band_bounds(n)
    women_at = [0, *(_women_before(c, ranked, women_ranked, cuts) for c in cuts[1:4]), len(women_ranked)]
    bands = []
    for k in range(4):
        size, women = cuts[k + 1] - cuts[k], women_at[k + 1] - women_at[k]
        bands.append(Band(size, size - women, women))
    return bands


def quartile_bands(hourly: Sequence[float] | Iterable[tuple[float, str]],
                   women: Sequence[bool] | None = None) -> list[Band] | None:
    """The four quartile pay bands, lower to upper, as the guidance fixes them.

    :param hourly: hourly pay of each full-pay relevant employee who is a woman or a man (the caller
        leaves out everyone else).
    :param women: per person, True for a woman and False for a man.
    :returns: four bands of whole people: ranked by hourly pay lowest first, cut by ``quarter_sizes``,
        tied rates across a dividing line shared fairly (``_women_before``); None with fewer than four
        people. The older call with one ``(hourly_pay, "male"|"female")`` pair per person still works.
    """
    if women is None:
        pairs = list(hourly)
        hourly = [p[0] for p in pairs]
        women = [p[1] != "male" for p in pairs]
    if len(hourly) != len(women):
        raise ValueError(f"hourly has {len(hourly)} values but women has {len(women)}")
    return _bands(sorted(compress(hourly, women)), sorted(compress(hourly, [not w for w in women])))


# The six measures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PayGapFigures:
    """The six gender pay gap measures at full precision, with the head counts behind each figure.

    A gap is None when one side has nobody in it or the men's figure is 0; a bonus proportion is None
    when there are no men (or no women). State figures with ``one_decimal``.
    """

    mean_hourly_pct: float | None
    median_hourly_pct: float | None
    mean_bonus_pct: float | None
    median_bonus_pct: float | None
    bonus_men_pct: float | None
    bonus_women_pct: float | None
    quartiles: list[Band] | None
    rows: int            # every row given
    men: int             # relevant employees who are men: what bonus_men_pct is a share of
    women: int
    full_pay_men: int    # men on full pay, with or without an hourly rate
    full_pay_women: int
    hourly_men: int      # full-pay men with an hourly rate: the hourly gaps and the quartiles
    hourly_women: int
    bonus_men: int       # men paid a bonus above 0: the bonus gaps
    bonus_women: int

    @property
    def left_out(self) -> int:
        """Rows in no figure because their sex is not recorded as female or male."""
        return self.rows - self.men - self.women

    @property
    def no_hourly_rate(self) -> int:
        """Full-pay women and men left out of the hourly figures because they have no hourly rate."""
        return self.full_pay_men + self.full_pay_women - self.hourly_men - self.hourly_women


def _median_of_sorted(xs: list[float]) -> float:
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def _gap(men: float | None, women: float | None) -> float | None:
    if men is None or women is None or men == 0:
        return None
    return (men - women) / men * 100


def pay_gap_figures(sex: Sequence[Any], hourly: Sequence[float | None],
                    full_pay: Sequence[bool] | None = None,
                    bonus: Sequence[float | None] | None = None) -> PayGapFigures:
    """The six gender pay gap measures of SI 2017/353 Schedule 1, from one column per field.

    :param sex: per row ``"female"``, ``"male"``, or anything else (None, not recorded, unrecognised),
        which leaves the row out of every figure and is counted in ``left_out``. The caller maps the
        spellings people use onto these two words.
    :param hourly: per row the hourly pay in pounds, or None when there is none.
    :param full_pay: per row whether the person is a full-pay relevant employee; None means all are.
    :param bonus: per row the bonus paid in the 12 months to the snapshot date (None or 0: no bonus);
        None for the column means nobody was paid a bonus.
    :returns: the figures at full precision and the counts behind them. Hourly gaps and quartiles are
        over full-pay women and men with an hourly rate; bonus gaps over women and men paid a bonus
        above 0, on full pay or not; bonus proportions over all women and all men.
    """
    n = len(sex)
    for name, column in (("hourly", hourly), ("full_pay", full_pay), ("bonus", bonus)):
        if column is not None and len(column) != n:
            raise ValueError(f"{name} has {len(column)} values but sex has {n}")
    is_man = [s == "male" for s in sex]
    is_woman = [s == "female" for s in sex]
    if full_pay is not None:
        full_men, full_women = list(map(and_, is_man, full_pay)), list(map(and_, is_woman, full_pay))
    else:
        full_men, full_women = is_man, is_woman
    men_pay, women_pay = list(compress(hourly, full_men)), list(compress(hourly, full_women))
    men_hourly = sorted([h for h in men_pay if h is not None])
    women_hourly = sorted([h for h in women_pay if h is not None])
    if bonus is None:
        men_bonus, women_bonus = [], []
    else:
        men_bonus = [b for b in compress(bonus, is_man) if b is not None and b > 0]
        women_bonus = [b for b in compress(bonus, is_woman) if b is not None and b > 0]
    men, women = is_man.count(True), is_woman.count(True)

    return PayGapFigures(
        mean_hourly_pct=_gap(fmean(men_hourly) if men_hourly else None, fmean(women_hourly) if women_hourly else None),
        median_hourly_pct=_gap(_median_of_sorted(men_hourly) if men_hourly else None,
                               _median_of_sorted(women_hourly) if women_hourly else None),
        mean_bonus_pct=_gap(fmean(men_bonus) if men_bonus else None, fmean(women_bonus) if women_bonus else None),
        median_bonus_pct=_gap(median(men_bonus) if men_bonus else None, median(women_bonus) if women_bonus else None),
        bonus_men_pct=len(men_bonus) / men * 100 if men else None,
        bonus_women_pct=len(women_bonus) / women * 100 if women else None,
        quartiles=_bands(women_hourly, men_hourly),
        rows=n, men=men, women=women,
        full_pay_men=len(men_pay), full_pay_women=len(women_pay),
        hourly_men=len(men_hourly), hourly_women=len(women_hourly),
        bonus_men=len(men_bonus), bonus_women=len(women_bonus),
    )


def share_pct(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def representation_ratio(workforce_share: float, community_share: float) -> float | None:
    """Workforce share / community share: 1.0 mirrors the community, below 1 is under-represented."""
    if not community_share:
        return None
    return workforce_share / community_share


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
