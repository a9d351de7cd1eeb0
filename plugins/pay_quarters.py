"""The four quarters of hourly pay for many groups at once: how many of each group are in each quarter.

The gender pay gap ranks every full-pay relevant employee by hourly pay, lowest first, and cuts the
ranking into four quarters of equal size, the people left over going to the lower quarters as the
guidance fixes them (:func:`efl.band_bounds`). Where one hourly rate straddles a dividing line, the
people on it are shared between the quarters it spans so that each quarter's share has the rate's own
mix of people (SI 2017/353 Sch. 1). With two groups that is the gender pay gap's rule exactly; here it
is the same rule for any number of groups (all ethnic groups ranked together, as the ethnicity pay
reporting guidance's "percentage of employees in each ethnic group in each pay quarter" asks).

Sharing a tie among many groups in whole people is a rounding of a table (groups by quarters) whose
rows must add up to each group's people on the rate and whose columns to the places in each quarter:
every cell is its exact share rounded down or up. Group by group, in the order given, the largest
remainders are rounded up first (the lower quarter first on equal ones), as the gender pay gap's rule
does for the women, the men taking the rest; where that leaves a later group short of a place, an
exchange along a path of cells settles it. Worked in integers, so the same payroll
always gives the same quarters whatever the order of its rows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from heapq import merge
from typing import Hashable, Mapping, Sequence

from efl import band_bounds


def share_tie(counts: Sequence[int], places: Sequence[int]) -> list[list[int]]:
    """Share a tie's people (``counts[g]`` of group g) among places of sizes ``places`` (the parts of
    the quarters the tie spans), each group in proportion to the places, in whole people.

    Rows add up to ``counts``, columns to ``places`` (which must have the same total), and every cell
    is ``counts[g] * places[j] / total`` rounded down or up.
    """
    total = sum(places)
    if sum(counts) != total:
        raise ValueError(f"{sum(counts)} people cannot fill {total} places")
    if not total:
        return [[0] * len(places) for _ in counts]
    cells = [[c * p // total for p in places] for c in counts]
    rest = [[c * p % total for p in places] for c in counts]
    row_need = [c - sum(row) for c, row in zip(counts, cells)]
    col_need = [p - sum(cells[g][j] for g in range(len(counts))) for j, p in enumerate(places)]
    raised = [[False] * len(places) for _ in counts]
    # Group by group in the order given, each its largest remainders first (lower quarter first on
    # equal ones): with two groups, the first has exactly the gender pay gap's share and the other the rest.
    order = sorted(((g, j) for g in range(len(counts)) for j in range(len(places)) if rest[g][j]),
                   key=lambda gj: (gj[0], -rest[gj[0]][gj[1]], gj[1]))
    for g, j in order:
        if row_need[g] and col_need[j]:
            cells[g][j] += 1
            raised[g][j] = True
            row_need[g] -= 1
            col_need[j] -= 1
    # Any row still short: move a rounding-up along a path row -> column -> row ... to a column still short.
    for g in range(len(counts)):
        while row_need[g]:
            path = _path(g, rest, raised, col_need)
            if path is None:  # cannot happen for a consistent table; a loud failure beats wrong quarters
                raise AssertionError("a tie could not be shared in whole people")
            for k, (row, col) in enumerate(path):
                step = 1 if k % 2 == 0 else -1
                cells[row][col] += step
                raised[row][col] = step == 1
            col_need[path[-1][1]] -= 1
            row_need[g] -= 1
    return cells


def _path(start: int, rest: list[list[int]], raised: list[list[bool]], col_need: list[int]
          ) -> list[tuple[int, int]] | None:
    """Cells to raise and lower in turn (raise first) from row ``start`` to a column still short."""
    seen_cols: set[int] = set()

    def visit(row: int) -> list[tuple[int, int]] | None:
        for col in range(len(col_need)):
            if col in seen_cols or not rest[row][col] or raised[row][col]:
                continue
            seen_cols.add(col)
            if col_need[col]:
                return [(row, col)]
            for other in range(len(rest)):
                if raised[other][col]:
                    tail = visit(other)
                    if tail is not None:
                        return [(row, col), (other, col), *tail]
        return None

    return visit(start)


def quarters(groups: Mapping[Hashable, Sequence[float]]) -> tuple[list[int], dict[Hashable, list[int]]]:
    """The four quarters of everyone in ``groups`` (each group's hourly pay, lowest first).

    Returns the size of each quarter (lower first) and, per group, how many of it are in each.
    Everybody is ranked together; fewer than four people fill the quarters "so far as possible".
    """
    keys = list(groups)
    ranked = list(merge(*(groups[k] for k in keys)))
    cuts = band_bounds(len(ranked))
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    before = {k: [0] * 5 for k in keys}  # per group, how many are among the first cuts[i] ranked
    ties: dict[float, tuple[list[int], list[list[int]]]] = {}
    for i, cut in enumerate(cuts):
        if cut == 0:
            continue
        if cut >= len(ranked):
            for k in keys:
                before[k][i] = len(groups[k])
            continue
        rate = ranked[cut]
        first = bisect_left(ranked, rate)
        for k in keys:
            before[k][i] = bisect_left(groups[k], rate)
        if first == cut:
            continue  # nobody on this rate is below the line
        if rate not in ties:
            last = bisect_right(ranked, rate)
            edges = [first, *sorted({c for c in cuts if first < c < last}), last]
            counts = [bisect_right(groups[k], rate) - bisect_left(groups[k], rate) for k in keys]
            ties[rate] = (edges, share_tie(counts, [b - a for a, b in zip(edges, edges[1:])]))
        edges, shared = ties[rate]
        upto = edges.index(cut)
        for g, k in enumerate(keys):
            before[k][i] += sum(shared[g][:upto])
    return sizes, {k: [before[k][i + 1] - before[k][i] for i in range(4)] for k in keys}
