"""A unit with a maximum age spread keeps max(age) - min(age) of ALL its residents within it.

Modelled with age windows: the unit picks one window [a, a + spread] (column w_a) and every
resident's age must lie in it; pinned residents restrict which windows are possible.

The rows of every unit are built at once, in array steps: a unit's windows start at the ages
that can be its youngest resident's, and a pair's row lists the windows that contain its
youth's age. Per unit they are, in this order: the row "at most one window", then one row per
pair "x_p <= the windows that hold its age" (both relaxed by big * (1 - z_u) where the unit's
rules only hold when it receives).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.solver.model.base import NO_PAIRS, MipBuilder, SubProblem, age_range_by_unit, pair_slices


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[i], ..., starts[i] + lengths[i] - 1`` for every i, one after the other."""
    return np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(lengths.sum())


@dataclass(frozen=True)
class _Ruled:
    """The units that need windows (``group`` g for ``units[g]``), with their pairs unit by unit
    in pair order, their pinned residents' ages and their window starts."""

    units: np.ndarray
    group: np.ndarray  # per pair: its unit's group
    x: np.ndarray  # per pair: its column
    ages: np.ndarray  # per pair: its youth's age
    local: np.ndarray  # per pair: its place among its unit's pairs
    fixed_group: np.ndarray
    fixed_ages: np.ndarray
    key: np.ndarray  # window starts, ascending: group * width + start age
    width: int
    lo: np.ndarray  # per group: the earliest and latest start its pinned residents allow
    hi: np.ndarray

    @classmethod
    def of(cls, sub: SubProblem, units: np.ndarray, spread: np.ndarray) -> "_Ruled":
        ages = sub.cand.arrays.youth_age
        by_unit = np.argsort(sub.unit, kind="stable")
        bounds = np.searchsorted(sub.unit[by_unit], np.arange(sub.cand.arrays.unit_capacity.size + 1))
        n_pairs = bounds[units + 1] - bounds[units]
        group = np.repeat(np.arange(units.size), n_pairs)
        local = _ranges(np.zeros_like(n_pairs), n_pairs)
        sel = by_unit[_ranges(bounds[units], n_pairs)]
        # The pinned residents of these units, grouped by unit (ascending youths within one).
        group_of_unit = np.full(sub.cand.arrays.unit_capacity.size, -1, dtype=np.int64)
        group_of_unit[units] = np.arange(units.size)
        held = np.flatnonzero(sub.pinned >= 0)
        held = held[group_of_unit[sub.pinned[held]] >= 0]
        fixed_group = group_of_unit[sub.pinned[held]]
        order = np.argsort(fixed_group, kind="stable")
        fixed_group, fixed = fixed_group[order], ages[held[order]]
        pair_ages = ages[sub.youth[sel]]
        # Window starts: every resident's age that keeps the pinned residents inside the window.
        lo = np.full(units.size, np.iinfo(np.int64).min // 4)
        hi = np.full(units.size, np.iinfo(np.int64).max // 4)
        np.maximum.at(lo, fixed_group, fixed - spread[fixed_group])
        np.minimum.at(hi, fixed_group, fixed)
        width = int(max(pair_ages.max(initial=0), fixed.max(initial=0))) + 1
        key = np.unique(np.r_[group * width + pair_ages, fixed_group * width + fixed])
        g, age = key // width, key % width
        key = key[(lo[g] <= age) & (age <= hi[g])]
        return cls(units, group, sub.x[sel], pair_ages, local, fixed_group, fixed, key, width, lo, hi)

    def window_at(self, group: np.ndarray, age: np.ndarray) -> np.ndarray:
        """The position of the window of ``group`` starting at ``age``, or -1 where there is none."""
        wanted = group * self.width + age
        at = np.searchsorted(self.key, wanted)
        found = at < self.key.size
        found[found] = self.key[at[found]] == wanted[found]
        return np.where(found, at, -1)


def age_spread_within_limit(b: MipBuilder, sub: SubProblem) -> None:
    units = np.array(_units_with_ages_too_far_apart(sub), dtype=np.int64)
    if not units.size:
        return
    spread = sub.cand.arrays.unit_spread[units]
    r = _Ruled.of(sub, units, spread)
    n_starts = np.bincount(r.key // r.width, minlength=units.size)
    has = n_starts > 0
    relax_col = np.array([sub.relax.get(u, -1) for u in units.tolist()], dtype=np.int64)
    relaxed = relax_col >= 0
    # Its pinned residents alone are too far apart: the unit may only receive nobody.
    closed = ~has & relaxed
    b.fix_zero(r.x[~has[r.group] & ~relaxed[r.group]])
    # Each unit's rows: z_u <= 0 if closed, else "at most one window" and one row per pair.
    n_rows = np.where(has, 1 + np.bincount(r.group, minlength=units.size), closed.astype(np.int64))
    row0 = np.r_[0, np.cumsum(n_rows)[:-1]]
    w = b.add_columns(np.zeros(r.key.size))
    # x_p <= sum of the windows that contain the youth's age: those starting in [age - spread, age].
    p = has[r.group]
    g, age, x = r.group[p], r.ages[p], r.x[p]
    row = row0[g] + 1 + r.local[p]
    w_lo = np.searchsorted(r.key, g * r.width + np.maximum(age - spread[g], 0), side="left")
    n_in = np.searchsorted(r.key, g * r.width + age, side="right") - w_lo
    w_in = _ranges(w_lo, n_in)
    big = relaxed.astype(float)  # relax_terms(u, 1.0): + z_u on the left, + 1 on the right
    pr = relaxed[g]
    rows = np.r_[np.repeat(row0[has], n_starts[has]), np.repeat(row, n_in), row, row[pr], row0[closed]]
    cols = np.r_[w, w[w_in], x, relax_col[g[pr]], relax_col[closed]]
    vals = np.r_[np.ones(w.size), -np.ones(w_in.size), np.ones(x.size), big[g[pr]], np.ones(int(closed.sum()))]
    upper = np.zeros(int(n_rows.sum()))
    upper[row0[has]] = 1.0
    upper[row] = big[g]
    base = b.n_rows
    b.add_rows(np.full(upper.size, -np.inf), upper, rows, cols, vals)
    sub.completions.append(_window_of_residents(r, w))
    sub.outside_helpers.append(_new_windows(sub, r, w, spread, has, base + row0))


def _units_with_ages_too_far_apart(sub: SubProblem) -> list[int]:
    """The ruled units with an age spread where the youths who could be there afterwards (its
    pinned residents and every youth with a pair into it) are further apart than the spread:
    only those need windows (the others keep the rule whoever comes)."""
    a = sub.cand.arrays
    held = np.flatnonzero(sub.pinned >= 0)
    at = np.r_[sub.unit, sub.pinned[held]]
    youngest, oldest = age_range_by_unit(at, a.youth_age[np.r_[sub.youth, held]], a.unit_capacity.size)
    spread = a.unit_spread
    ruled = np.array(sub.ruled_units(), dtype=np.int64)
    ruled = ruled[(spread[ruled] >= 0) & (oldest[ruled] - youngest[ruled] > spread[ruled])] if ruled.size else ruled
    return ruled.tolist()


def _window_of_residents(r: _Ruled, w: np.ndarray):
    """Each unit's window that starts at its youngest resident's age (valid for a valid
    assignment; a unit without residents gets none)."""

    def fill(values: np.ndarray) -> None:
        youngest = np.full(r.units.size, r.width)
        here = values[r.x] > 0.5
        np.minimum.at(youngest, r.group[here], r.ages[here])
        np.minimum.at(youngest, r.fixed_group, r.fixed_ages)
        values[w] = 0.0
        g = np.flatnonzero(youngest < r.width)
        at = r.window_at(g, youngest[g])
        values[w[at[at >= 0]]] = 1.0

    return fill


def _new_windows(sub: SubProblem, r: _Ruled, w: np.ndarray, spread: np.ndarray, has: np.ndarray,
                 one_row: np.ndarray):
    """An outside pair may bring a window that starts at its youth's age. Such a window enters
    the row "at most one window" (+1) and the row of every pair of the unit whose age it holds
    (-1): its reduced cost is ``-y_one + sum of those rows' duals``. A unit takes one window, so
    its windows' share is ``min(0, the lowest reduced cost of any window)``, where the LP value
    holds ``sum of min(0, reduced cost)`` over the windows in the model. An outside pair's own
    row (and a unit that needs windows only with outside pairs) is a new row, of dual 0."""
    ages, pair_unit, pair_youth = sub.cand.arrays.youth_age, sub.cand.pair_unit, sub.cand.pair_youth
    p = has[r.group]  # the pairs' rows (each unit's first row is "at most one window")
    group, age = r.group[p], r.ages[p]
    row = one_row[group] + 1 + r.local[p]
    width = int(ages.max(initial=0) + spread.max(initial=0)) + 2
    order = np.argsort(group * width + age, kind="stable")
    keys = (group * width + age)[order]
    rows = row[order]
    group_of_unit = np.full(sub.cand.arrays.unit_capacity.size, -1, dtype=np.int64)
    group_of_unit[r.units[has]] = np.flatnonzero(has)
    in_model = np.zeros(r.units.size * width, dtype=bool)
    in_model[(r.key // r.width) * width + r.key % r.width] = True

    def outside_keys(outside: np.ndarray):
        """Per slice: the outside pairs into a unit with windows, and their (group, age) keys."""
        for start, stop in pair_slices(outside.size):
            out = start + np.flatnonzero(outside[start:stop])
            g = group_of_unit[pair_unit[out]]
            out, g = out[g >= 0], g[g >= 0]
            yield out, g * width + ages[pair_youth[out]]

    def bound(dual: np.ndarray, reduced: np.ndarray, outside: np.ndarray) -> tuple[float, np.ndarray]:
        wanted = np.zeros(in_model.size, dtype=bool)  # (unit, age) of some outside pair
        for _, key in outside_keys(outside):
            wanted[key] = True
        wanted = np.flatnonzero(wanted & ~in_model)
        if not wanted.size:
            return 0.0, NO_PAIRS
        g, start = wanted // width, wanted % width
        exists = (r.lo[g] <= start) & (start <= r.hi[g])  # the windows the pinned residents allow
        g, start = g[exists], start[exists]
        held = np.r_[0.0, np.cumsum(dual[rows])]
        lo = np.searchsorted(keys, g * width + start, side="left")
        hi = np.searchsorted(keys, g * width + start + spread[g], side="right")
        new = -dual[one_row[g]] + held[hi] - held[lo]
        model = reduced[w]
        model_group = r.key // r.width
        lowest = np.zeros(r.units.size)
        np.minimum.at(lowest, model_group, model)
        in_lp = np.bincount(model_group, weights=np.minimum(model, 0.0), minlength=r.units.size)
        before = lowest.copy()
        np.minimum.at(lowest, g, new)
        # The outside pairs that bring a window below every window in the model: to price in.
        cheaper = np.zeros(in_model.size, dtype=bool)
        cheaper[(g * width + start)[new < before[g]]] = True
        pairs = [out[cheaper[key]] for out, key in outside_keys(outside)] if cheaper.any() else []
        return float((lowest - in_lp)[np.unique(g)].sum()), np.concatenate(pairs or [NO_PAIRS])

    return bound
