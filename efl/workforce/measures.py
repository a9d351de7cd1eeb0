"""Pure computations behind the workforce and service facts, kept apart from plugins so they can be
tested against figures worked out by hand and reused by third-party plugins.

Pay gap measures follow the Equality Act 2010 (Specific Duties and Public Authorities) Regulations
2017 (SI 2017/353), Schedule 1, and the gov.uk guidance "Gender pay gap reporting: make your
calculations", for any two groups of people: a *group* (women; an ethnic group; disabled employees)
against a *reference* group (men; White British; non-disabled employees), as the government's
ethnicity pay reporting guidance (2023) applies the same method. Each gap is (reference's figure -
group's figure) / reference's figure x 100, so a positive gap means the group is paid less.

Every figure is worked out exactly, as a fraction, from the decimals the payroll holds (£12.34 is
1234/100, not the binary number nearest to it), so a fact stored as a float is the exact figure
correctly rounded, and a sentence rounds the exact figure half up: 2.2499756 is 2.2, never 2.3.
The code takes columns (one list per CSV column) and sorts each group's pay once, because it runs
over every employee of every council in a national batch.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from itertools import accumulate, compress
from operator import and_
from statistics import fmean, median
from typing import Any, Callable, Hashable, Iterable, Sequence

from efl.core.lazy_list import LazyList

Number = float | int | Decimal | Fraction


def gap_pct(men: Sequence[float], women: Sequence[float], stat: Callable[[Sequence[float]], float]) -> float | None:
    """(stat(men) - stat(women)) / stat(men) x 100, or None when either group is empty or men's figure is 0.

    A quick float version for plugins; the pay gap facts use the exact :func:`pay_gap`.
    """
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


# Exact arithmetic ---------------------------------------------------------------------------------

# Decimal addition and multiplication by whole numbers are exact in a context this wide (no rounding
# can happen below MAX_PREC digits), and much faster than adding Fractions one by one.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def exact(x: Number) -> Fraction:
    """The number a payroll cell was written as, as a fraction: 12.34 is 1234/100.

    A float read from a decimal cell is the binary number nearest to it; its shortest ``repr`` is the
    decimal that was written (for any cell of up to 15 significant digits), so that is what is used.
    """
    if isinstance(x, float):
        return Fraction(Decimal(float.__repr__(x)))  # float's own repr, also for numpy's float subclass
    return Fraction(x)


def _exact_total(values: Sequence[Number]) -> Fraction:
    """The exact sum of ``values``, sorted, so that each run of equal values is found by bisection and
    converted once (a payroll is a few hundred distinct rates)."""
    return Fraction(*_total_ratio(values))


def _total_ratio(values: Sequence[Number]) -> tuple[int, int]:
    """:func:`_exact_total` as whole numbers (numerator, denominator > 0), not yet reduced: a mean is
    then one Fraction (one gcd), not a sum made a Fraction and divided by a count (two)."""
    total, other = Decimal(0), 0
    for value, times in _runs_of(values):
        if isinstance(value, float):
            total = _EXACT.add(total, _EXACT.multiply(_decimal(value), times))
        elif isinstance(value, (int, Decimal)):
            total = _EXACT.add(total, _EXACT.multiply(Decimal(value), times))
        else:  # a Fraction, or another exact number a plugin passes
            other += Fraction(value) * times
    n, d = total.as_integer_ratio()
    if other:
        other = Fraction(other)
        n, d = n * other.denominator + other.numerator * d, d * other.denominator
    return n, d


def _runs_of(values: Sequence[Number]) -> Iterable[tuple[Number, int]]:
    """Each run of equal values of a sorted sequence, lowest first, with its length."""
    if isinstance(values, Runs) and not values._filled:
        yield from values.runs()
        return
    i, n = 0, len(values)
    while i < n:
        value = values[i]
        j = bisect_right(values, value, i)
        yield value, j - i
        i = j


@lru_cache(maxsize=4096)
def _decimal(value: float) -> Decimal:
    return Decimal(float.__repr__(value))  # float's own repr, also for numpy's float subclass


def _exact_mean(values: Sequence[Number]) -> Fraction | None:
    if not values:
        return None
    n, d = _total_ratio(values)
    return Fraction(n, d * len(values))


def _ratio(x: Number) -> tuple[int, int]:
    """``exact(x)`` as whole numbers (numerator, denominator > 0); a float's decimal is kept (:func:`_decimal`)."""
    if isinstance(x, float):
        return _decimal(x).as_integer_ratio()
    q = Fraction(x)
    return q.numerator, q.denominator


def _exact_median(ordered: Sequence[Number]) -> Fraction | None:
    """The middle value of a sorted list, or the mean of the two middle values (as one Fraction:
    (a/b + c/d) / 2 is (ad + cb) / 2bd)."""
    if not ordered:
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(*_ratio(ordered[mid]))
    (a, b), (c, d) = _ratio(ordered[mid - 1]), _ratio(ordered[mid])
    return Fraction(a * d + c * b, 2 * b * d)


def _gap(reference: Fraction | None, group: Fraction | None) -> Fraction | None:
    """(reference - group) / reference x 100; None when a side has nobody or the reference's figure is 0.

    Worked on the numerators and denominators: with reference a/b and group c/d it is
    100 (ad - cb) / ad, one Fraction (one gcd) where the three operations made three, and the same
    Fraction. tests/test_exact_rounding_integers.py compares it with the three operations.
    """
    if reference is None or group is None or reference == 0:
        return None
    r = reference if type(reference) is Fraction else Fraction(reference)
    g = group if type(group) is Fraction else Fraction(group)
    whole = r.numerator * g.denominator
    return Fraction(100 * (whole - g.numerator * r.denominator), whole)


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part * 100, whole) if whole else None


# Rounding for people ------------------------------------------------------------------------------

_WIDE = Context(prec=60)  # room for nine decimal places on any figure a payroll can produce


def half_up(x: Number, places: int = 1) -> Decimal:
    """``x`` to ``places`` decimal places, halves rounded away from zero (as a spreadsheet's ROUND does).

    An exact value (a Fraction, Decimal or int, as the pay gap measures give) is rounded exactly:
    2.2499756 is 2.2 and 2.25 is 2.3. A float is first taken to nine decimal places, so that binary
    noise from float arithmetic (a gap of exactly 6.25 arriving as 6.2499999999999991) cannot pull a
    figure below the half.
    """
    if isinstance(x, float):
        unit = Decimal(1).scaleb(-places)
        tidy = Decimal(x).quantize(Decimal("1e-9"), context=_WIDE)
        return tidy.quantize(unit, rounding=ROUND_HALF_UP, context=_WIDE)
    q = x if type(x) is Fraction else Fraction(x)
    if places >= 0:
        # floor(|n/d| x 10^places + 1/2) in whole numbers, (2|n| 10^places + d) // 2d, exactly what
        # the Fractions below give without the five Fractions they make (a small council rounds ~40
        # figures). tests/test_exact_rounding_integers.py compares the two.
        n, d = q.numerator, q.denominator
        whole = (2 * abs(n) * 10 ** places + d) // (2 * d)
    else:
        scaled = abs(q) * 10 ** places
        whole = int(scaled + Fraction(1, 2))  # floor(|x| x 10^places + 1/2): the half goes up
    rounded = Decimal(whole).scaleb(-places)
    return -rounded if q.numerator < 0 else rounded


def one_decimal(x: Number | None) -> float | None:
    """``x`` to one decimal place, halves rounded up (away from zero, as a spreadsheet's ROUND does).

    The gender pay gap service takes figures to one decimal place, and people check them by hand or in
    a spreadsheet, where 2.25 becomes 2.3. Python's ``round`` rounds halves to even and works on the
    binary value (``round(2.25, 1)`` is 2.2, ``round(0.15, 1)`` is 0.1), so it is not used here. Give
    it the exact figure where there is one (see :func:`half_up`).
    """
    if x is None:
        return None
    return float(half_up(x, 1)) + 0.0  # + 0.0: never -0.0


def pence_in_pound(gap: Number) -> int:
    """What the group earns for every pound the reference group earns, in whole pence, given a gap in per cent.

    Worked from the gap as people are shown it (one decimal place) and rounded half up, so the sentence
    adds up for a reader: a 13.5% gap is 86.5p, which people write as 87p (``round`` would say 86).
    """
    return int(half_up(Decimal(100) - half_up(gap, 1), 0))


# Quartile pay bands -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    """One quarter of the ranked full-pay employees of a comparison, in whole people.

    ``reference`` and ``group`` are the two sides' people in the band (for the gender pay gap, men and
    women: ``men`` and ``women`` are the same numbers). A band can be empty when fewer than four
    people are ranked; its shares are then None.
    """

    size: int
    reference: int
    group: int

    @property
    def men(self) -> int:
        return self.reference

    @property
    def women(self) -> int:
        return self.group

    @property
    def reference_pct(self) -> Fraction | None:
        return _share(self.reference, self.size)

    @property
    def group_pct(self) -> Fraction | None:
        return _share(self.group, self.size)

    @property
    def men_pct(self) -> Fraction | None:
        return self.reference_pct

    @property
    def women_pct(self) -> Fraction | None:
        return self.group_pct


BAND_NAMES = ("lower", "lower middle", "upper middle", "upper")

# Where the guidance puts the people left over when n is not divisible by four ("do not create your
# pay groups in any other way"): lower; lower and upper middle; lower, lower middle and upper middle.
_LEFT_OVER = {0: (0, 0, 0, 0), 1: (1, 0, 0, 0), 2: (1, 0, 1, 0), 3: (1, 1, 1, 0)}


def quarter_sizes(n: int) -> list[int]:
    """How many of ``n`` ranked people go in the lower, lower middle, upper middle and upper quarter.

    Four equal groups, with the left-overs placed as the guidance fixes them (see ``_LEFT_OVER``):
    Acme Ltd's 4,445 employees give 1,112 / 1,111 / 1,111 / 1,111. Fewer than four people are divided
    "so far as possible" (Sch. 1) by the same rule: 3 give 1 / 1 / 1 / 0, 2 give 1 / 0 / 1 / 0 and
    1 gives 1 / 0 / 0 / 0.
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


def _group_before(cut: int, ranked: list[Number], group_ranked: list[Number], cuts: list[int]) -> int:
    """How many of the group are among the first ``cut`` ranked people once tied rates are shared fairly.

    A tie group (everyone on one hourly rate) that straddles dividing lines is shared between the
    quarters it spans so that each quarter's share has, as near as whole people allow, the tie group's
    own mix of the two sides (the guidance's "as fairly as possible"; SI 2017/353 Sch. 1 asks that the
    proportion of men and women on that rate be the same in each band). Without this the order of equal
    rates in the file would decide the answer.
    """
    if cut <= 0:
        return 0
    if cut >= len(ranked):
        return len(group_ranked)
    rate = ranked[cut]
    first = bisect_left(ranked, rate)
    group_below = bisect_left(group_ranked, rate)
    if first == cut:  # nobody on this rate sits below the line
        return group_below
    last = bisect_right(ranked, rate)
    tied_group = bisect_right(group_ranked, rate) - group_below
    edges = [first, *sorted({c for c in cuts if first < c < last}), last]
    shares = share_in_whole_people(tied_group, [b - a for a, b in zip(edges, edges[1:])])
    return group_below + sum(shares[:edges.index(cut)])


def _bands_counted(group: dict[Number, int], reference: dict[Number, int]) -> list[Band] | None:
    """:func:`_bands` from how many of each side are on each hourly rate (``{rate: people}``): the same
    bands, worked per distinct rate (a payroll has a few hundred) instead of ranking everyone."""
    people: dict[Number, int] = {}
    for side in (group, reference):
        for rate, count in side.items():
            if count:
                people[rate] = people.get(rate, 0) + count
    rates = sorted(people)
    starts = list(accumulate((people[r] for r in rates), initial=0))  # ranked before each rate
    n = starts[-1]
    if n == 0:
        return None
    own = sorted(r for r, count in group.items() if count)
    below = list(accumulate((group[r] for r in own), initial=0))  # of the group, ranked before each of its rates
    cuts = band_bounds(n)

    def group_before(cut: int) -> int:  # as _group_before, from the running totals
        if cut <= 0:
            return 0
        if cut >= n:
            return below[-1]
        j = bisect_right(starts, cut) - 1
        rate, first = rates[j], starts[j]
        group_below = below[bisect_left(own, rate)]
        if first == cut:
            return group_below
        last = starts[j + 1]
        edges = [first, *sorted({c for c in cuts if first < c < last}), last]
        shares = share_in_whole_people(group.get(rate, 0), [b - a for a, b in zip(edges, edges[1:])])
        return group_below + sum(shares[:edges.index(cut)])

    group_at = [group_before(c) for c in cuts]
    bands = []
    for k in range(4):
        size, in_group = cuts[k + 1] - cuts[k], group_at[k + 1] - group_at[k]
        bands.append(Band(size, size - in_group, in_group))
    return bands


def _bands(group_ranked: list[Number], reference_ranked: list[Number]) -> list[Band] | None:
    """The four bands of the two sides' sorted hourly pay; None when nobody is ranked."""
    # The two sorted lists are two runs for Timsort, which merges them in one linear pass.
    ranked = sorted(group_ranked + reference_ranked)
    n = len(ranked)
    if n == 0:
        return None
    cuts = band_bounds(n)
    group_at = [_group_before(c, ranked, group_ranked, cuts) for c in cuts]
    bands = []
    for k in range(4):
        size, group = cuts[k + 1] - cuts[k], group_at[k + 1] - group_at[k]
        bands.append(Band(size, size - group, group))
    return bands


def quartile_bands(hourly: Sequence[float] | Iterable[tuple[float, str]],
                   women: Sequence[bool] | None = None) -> list[Band] | None:
    """The four quartile pay bands, lower to upper, as the guidance fixes them.

    :param hourly: hourly pay of each full-pay relevant employee who is a woman or a man (the caller
        leaves out everyone else).
    :param women: per person, True for a woman (the group) and False for a man (the reference).
    :returns: four bands of whole people: ranked by hourly pay lowest first, cut by ``quarter_sizes``
        (fewer than four people "so far as possible", leaving a band or more empty), tied rates across
        a dividing line shared fairly (``_group_before``); None with nobody. The older call with one
        ``(hourly_pay, "male"|"female")`` pair per person still works.
    """
    if women is None:
        pairs = list(hourly)
        hourly = [p[0] for p in pairs]
        women = [p[1] != "male" for p in pairs]
    if len(hourly) != len(women):
        raise ValueError(f"hourly has {len(hourly)} values but women has {len(women)}")
    return _bands(sorted(compress(hourly, women)), sorted(compress(hourly, [not w for w in women])))


# Any two groups of people -------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class PayGroup:
    """What the pay gap measures need of one group of people (the women; the Black African employees).

    :ivar employees: relevant employees in the group: what its bonus share is a share of.
    :ivar full_pay: of them, those on full pay, with or without an hourly rate.
    :ivar hourly: hourly pay of the full-pay employees who have a rate, lowest first: the hourly gaps
        and the quartiles.
    :ivar bonuses: bonuses above 0 paid to anyone in the group, on full pay or not, lowest first.
    :ivar hourly_counts: when the group was counted rather than sorted row by row (a column read by
        Arrow), how many of ``hourly`` are on each distinct rate; figures over many groups (the pay
        quarters) are then worked per rate, not per person. None otherwise.
    """

    employees: int = 0
    full_pay: int = 0
    hourly: list[Number] = field(default_factory=list)
    bonuses: list[Number] = field(default_factory=list)
    hourly_counts: dict[Number, int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, members: Sequence[bool], hourly: Sequence[Number | None],
           full_pay: Sequence[bool] | None = None, bonus: Sequence[Number | None] | None = None) -> PayGroup:
        """The group of the rows where ``members`` is True, from one column per field (see :func:`pay_groups`)."""
        on_full_pay = list(map(and_, members, full_pay)) if full_pay is not None else members
        pay = list(compress(hourly, on_full_pay))
        bonuses = [b for b in compress(bonus, members) if b is not None and b > 0] if bonus is not None else []
        return cls(sum(members), len(pay), sorted(h for h in pay if h is not None), sorted(bonuses))

    def __add__(self, other: PayGroup) -> PayGroup:
        """Two groups taken together (say the ethnic groups combined in a comparison)."""
        if self.hourly_counts is not None and other.hourly_counts is not None:
            counts = dict(self.hourly_counts)
            for rate, n in other.hourly_counts.items():
                counts[rate] = counts.get(rate, 0) + n
            # Laid out from the counts: the same sorted rates without comparing a million of them.
            hourly = Runs(counts)
        else:
            counts, hourly = None, sorted(self.hourly + other.hourly)
        return PayGroup(self.employees + other.employees, self.full_pay + other.full_pay,
                        hourly, sorted(self.bonuses + other.bonuses), counts)

    @property
    def no_hourly_rate(self) -> int:
        """Full-pay employees left out of the hourly figures because they have no hourly rate."""
        return self.full_pay - len(self.hourly)

    @cached_property
    def mean_hourly(self) -> Fraction | None:
        return _exact_mean(self.hourly)

    @cached_property
    def median_hourly(self) -> Fraction | None:
        return _exact_median(self.hourly)

    @cached_property
    def mean_bonus(self) -> Fraction | None:
        return _exact_mean(self.bonuses)

    @cached_property
    def median_bonus(self) -> Fraction | None:
        return _exact_median(self.bonuses)


def pay_groups(labels: Sequence[Hashable | None], hourly: Sequence[Number | None],
               full_pay: Sequence[bool] | None = None,
               bonus: Sequence[Number | None] | None = None) -> dict[Hashable, PayGroup]:
    """Every row's pay split by its group, in one pass.

    :param labels: per row the group the person is in (``"female"``; ``"black african"``), or None for
        someone in no group (left out of every figure).
    :param hourly: per row the hourly pay in pounds, or None when there is none.
    :param full_pay: per row whether the person is a full-pay relevant employee; None means all are.
    :param bonus: per row the bonus paid in the 12 months to the snapshot date (None or 0: no bonus);
        None for the column means nobody was paid a bonus.
    :returns: per label, its :class:`PayGroup`, in the order labels first appear.
    """
    n = len(labels)
    for name, column in (("hourly", hourly), ("full_pay", full_pay), ("bonus", bonus)):
        if column is not None and len(column) != n:
            raise ValueError(f"{name} has {len(column)} values but the group labels have {n}")
    counted = _pay_groups_from_codes(None, labels, hourly, full_pay, bonus)
    if counted is not None:
        return counted
    distinct = [label for label in dict.fromkeys(labels) if label is not None]
    if len(distinct) <= 4:  # a few groups (sex): one C-speed pass per group beats a Python loop over rows
        return {label: PayGroup.of([x == label for x in labels], hourly, full_pay, bonus) for label in distinct}
    rows: dict[Hashable, list[int]] = {label: [] for label in distinct}
    for i, label in enumerate(labels):
        if label is not None:
            rows[label].append(i)
    out = {}
    for label, index in rows.items():
        paid = [i for i in index if full_pay is None or full_pay[i]]
        rates = sorted(hourly[i] for i in paid if hourly[i] is not None)
        bonuses = sorted(b for b in (bonus[i] for i in index) if b is not None and b > 0) if bonus is not None else []
        out[label] = PayGroup(len(index), len(paid), rates, bonuses)
    return out


def _countable(values: list[Any], paid_only: bool) -> bool:
    """Whether the values a figure keeps (not None; above 0 for bonuses) are all floats or all ints, and
    none is NaN: equal values are then the same number, so one can stand for all its rows."""
    try:
        kept = [v for v in values if v is not None and (not paid_only or v > 0)]
    except TypeError:
        return False
    kinds = set(map(type, kept))
    return (kinds <= {float} or kinds <= {int}) and all(v == v for v in kept)


def _pay_groups_from_codes(distinct: list[Hashable] | None, *columns: Sequence[Any] | None
                           ) -> dict[Hashable, PayGroup] | None:
    """:func:`pay_groups` worked from how many rows hold each combination of values, when the columns
    know their encoding (``efl.files.columnar.Coded``: a column read by Arrow); else None.

    ``distinct`` is the labels in the order they first appear; None works it out from the codes (which
    are numbered in the order their cells first appear, so a label first appears with its lowest code).

    A payroll has a few hundred distinct hourly rates however many people it pays, so the rows are
    counted by (group, rate, full pay, bonus) in C, and each group's sorted rates are laid out from the
    sorted distinct ones: the same numbers in the same order as sorting every row gives, so every
    figure is unchanged. Columns of mixed kinds of number, or NaN, take the general path.
    """
    labels, hourly, full_pay, bonus = columns
    present = [c for c in columns if c is not None]
    encodings = [getattr(c, "column", None) for c in present]
    if any(e is None or not hasattr(e, "count_together") for e in encodings):
        return None
    values = [c.meanings for c in present]
    if not _countable(hourly.meanings, False) or (bonus is not None and not _countable(bonus.meanings, True)):
        return None
    counts = encodings[0].count_together(*encodings[1:])
    if counts is None:
        return None
    label_of, rate_of = values[0], values[1]
    if distinct is None:
        seen = sorted({key[0] for key in counts})
        distinct = [label for label in dict.fromkeys(label_of[code] for code in seen) if label is not None]
    full_of = values[2] if full_pay is not None else None
    bonus_of = values[-1] if bonus is not None else None
    employees: dict[Hashable, int] = dict.fromkeys(distinct, 0)
    full: dict[Hashable, int] = dict.fromkeys(distinct, 0)
    rates: dict[Hashable, dict[Number, int]] = {label: {} for label in distinct}
    paid_bonus: dict[Hashable, dict[Number, int]] = {label: {} for label in distinct}
    for key, count in counts.items():
        label = label_of[key[0]]
        if label is None:
            continue
        employees[label] += count
        if full_of is None or full_of[key[2]]:
            full[label] += count
            rate = rate_of[key[1]]
            if rate is not None:
                rates[label][rate] = rates[label].get(rate, 0) + count
        if bonus_of is not None:
            amount = bonus_of[key[-1]]
            if amount is not None and amount > 0:
                paid_bonus[label][amount] = paid_bonus[label].get(amount, 0) + count
    return {label: PayGroup(employees[label], full[label], Runs(rates[label]), Runs(paid_bonus[label]),
                            rates[label]) for label in distinct}


class Runs(LazyList):
    """A sorted list of values held as runs (each distinct value and how many times it comes), that is a
    plain list to whoever reads it.

    A counted pay group's rates are a few hundred runs however many people it pays. Its length, a
    value by its position (the median) and its runs (the exact mean, :func:`_exact_total`) are answered
    from the runs; the list of every value (8 MB and about 10 ms a million people) is made only when
    something else reads it (iterates, slices, compares, copies): see :mod:`efl.core.lazy_list`.
    """

    __slots__ = ("_values", "_ends")

    def __init__(self, counts: dict[Number, int]):
        super().__init__()
        self._values = [v for v in sorted(counts) if counts[v] > 0]
        self._ends = list(accumulate(counts[v] for v in self._values))  # the position after each run

    def runs(self) -> list[tuple[Number, int]]:
        """Each distinct value, lowest first, with how many times it comes."""
        return list(zip(self._values, (end - start for start, end in zip([0, *self._ends], self._ends))))

    def _fill(self) -> None:
        for value, times in self.runs():
            # A run of one value is made by list repetition (a fill in C): four times quicker than
            # chaining repeat() iterators, which hands out each of a million entries one at a time.
            list.extend(self, [value] * times)

    def _unfilled_length(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, index: Any) -> Any:
        if self._filled or not isinstance(index, int):
            return list.__getitem__(self.filled(), index)
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("list index out of range")
        return self._values[bisect_right(self._ends, position)]


@dataclass(frozen=True, eq=False)
class PayGap:
    """The pay gap measures between a group and its reference group, exactly (see :func:`pay_gap`)."""

    group: PayGroup
    reference: PayGroup

    @property
    def mean_hourly_pct(self) -> Fraction | None:
        return _gap(self.reference.mean_hourly, self.group.mean_hourly)

    @property
    def median_hourly_pct(self) -> Fraction | None:
        return _gap(self.reference.median_hourly, self.group.median_hourly)

    @property
    def mean_bonus_pct(self) -> Fraction | None:
        return _gap(self.reference.mean_bonus, self.group.mean_bonus)

    @property
    def median_bonus_pct(self) -> Fraction | None:
        return _gap(self.reference.median_bonus, self.group.median_bonus)

    @property
    def bonus_group_pct(self) -> Fraction | None:
        """The share of the group paid a bonus, over all its relevant employees (None with nobody in it)."""
        return _share(len(self.group.bonuses), self.group.employees)

    @property
    def bonus_reference_pct(self) -> Fraction | None:
        return _share(len(self.reference.bonuses), self.reference.employees)

    @cached_property
    def quartiles(self) -> list[Band] | None:
        """The two sides' full-pay employees with a rate, ranked together and cut into quarters."""
        if self.group.hourly_counts is not None and self.reference.hourly_counts is not None:
            return _bands_counted(self.group.hourly_counts, self.reference.hourly_counts)  # per rate, not per person
        return _bands(self.group.hourly, self.reference.hourly)


def pay_gap(group: PayGroup, reference: PayGroup) -> PayGap:
    """The six pay gap measures of SI 2017/353 Schedule 1 between ``group`` and ``reference``, exactly.

    Hourly gaps and quartiles are over each side's full-pay employees with an hourly rate; bonus gaps
    over those paid a bonus above 0, on full pay or not; each side's bonus share over all its relevant
    employees. A gap is None when a side has nobody in its figure or the reference's figure is 0;
    a bonus share is None when the side has nobody; the quartiles are None when nobody is ranked.
    Every figure is a Fraction: store it as a float, state it with :func:`one_decimal`.
    """
    return PayGap(group, reference)


# The gender pay gap -------------------------------------------------------------------------------

_EMPTY = PayGroup()


@dataclass(frozen=True)
class PayGapFigures:
    """The six gender pay gap measures, exact (Fractions), with the head counts behind each figure.

    A gap is None when one side has nobody in it or the men's figure is 0; each sex's bonus proportion
    is defined on its own (Sch. 1 para 12), so in a workforce of one sex that sex's proportion is
    given and the other's is None. State figures with ``one_decimal``.
    """

    mean_hourly_pct: Fraction | None
    median_hourly_pct: Fraction | None
    mean_bonus_pct: Fraction | None
    median_bonus_pct: Fraction | None
    bonus_men_pct: Fraction | None
    bonus_women_pct: Fraction | None
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


def _female_or_male(s: Any) -> str | None:
    return s if s in ("female", "male") else None


def pay_gap_figures(sex: Sequence[Any], hourly: Sequence[Number | None],
                    full_pay: Sequence[bool] | None = None,
                    bonus: Sequence[Number | None] | None = None) -> PayGapFigures:
    """The six gender pay gap measures of SI 2017/353 Schedule 1, from one column per field.

    :param sex: per row ``"female"``, ``"male"``, or anything else (None, not recorded, unrecognised),
        which leaves the row out of every figure and is counted in ``left_out``. The caller maps the
        spellings people use onto these two words.
    :param hourly, full_pay, bonus: as for :func:`pay_groups`.
    :returns: the figures of :func:`pay_gap` with women as the group and men as the reference, and the
        counts behind them.
    """
    if len(sex) != len(hourly):
        raise ValueError(f"hourly has {len(hourly)} values but sex has {len(sex)}")
    for name, column in (("full_pay", full_pay), ("bonus", bonus)):
        if column is not None and len(column) != len(sex):
            raise ValueError(f"{name} has {len(column)} values but sex has {len(sex)}")
    remap = getattr(sex, "remap", None)  # a column read by Arrow: each distinct value looked at once
    labels = remap(_female_or_male) if remap is not None else [_female_or_male(s) for s in sex]
    groups = pay_groups(labels, hourly, full_pay, bonus)
    women, men = groups.get("female", _EMPTY), groups.get("male", _EMPTY)
    gap = pay_gap(women, men)
    return PayGapFigures(
        mean_hourly_pct=gap.mean_hourly_pct, median_hourly_pct=gap.median_hourly_pct,
        mean_bonus_pct=gap.mean_bonus_pct, median_bonus_pct=gap.median_bonus_pct,
        bonus_men_pct=gap.bonus_reference_pct, bonus_women_pct=gap.bonus_group_pct,
        quartiles=gap.quartiles,
        rows=len(sex), men=men.employees, women=women.employees,
        full_pay_men=men.full_pay, full_pay_women=women.full_pay,
        hourly_men=len(men.hourly), hourly_women=len(women.hourly),
        bonus_men=len(men.bonuses), bonus_women=len(women.bonuses),
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
