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

from matcher.model.base import MipBuilder, SubProblem, age_range_by_unit


@dataclass
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
    key: np.ndarray | None = None  # window starts, ascending: group * width + start age
    width: int = 0

    @classmethod
    def of(cls, sub: SubProblem, units: np.ndarray) -> "_Ruled":
        ages = sub.cand.arrays.youth_age
        by_unit = np.argsort(sub.unit, kind="stable")
        bounds = np.searchsorted(sub.unit[by_unit], np.arange(sub.cand.arrays.unit_capacity.size + 1))
        n_pairs = bounds[units + 1] - bounds[units]
        group = np.repeat(np.arange(units.size), n_pairs)
        local = np.arange(group.size) - np.repeat(np.r_[0, np.cumsum(n_pairs)[:-1]], n_pairs)
        sel = by_unit[np.repeat(bounds[units], n_pairs) + local]
        pinned = [sub.pinned_residents.get(u, []) for u in units.tolist()]
        fixed_group = np.repeat(np.arange(units.size), [len(p) for p in pinned])
        fixed = ages[np.array([y for p in pinned for y in p], dtype=np.int64)]
        return cls(units, group, sub.x[sel], ages[sub.youth[sel]], local, fixed_group, fixed)

    def find_starts(self, spread: np.ndarray) -> None:
        """Every resident's age that keeps the pinned residents inside the window starting there."""
        n = self.units.size
        lo = np.full(n, np.iinfo(np.int64).min // 4)
        hi = np.full(n, np.iinfo(np.int64).max // 4)
        np.maximum.at(lo, self.fixed_group, self.fixed_ages - spread[self.fixed_group])
        np.minimum.at(hi, self.fixed_group, self.fixed_ages)
        self.width = int(max(self.ages.max(initial=0), self.fixed_ages.max(initial=0))) + 1
        key = np.unique(np.r_[self.group * self.width + self.ages, self.fixed_group * self.width + self.fixed_ages])
        g, age = key // self.width, key % self.width
        self.key = key[(lo[g] <= age) & (age <= hi[g])]

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
    r = _Ruled.of(sub, units)
    r.find_starts(spread)
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
    w_in = np.repeat(w_lo, n_in) + np.arange(n_in.sum()) - np.repeat(np.r_[0, np.cumsum(n_in)[:-1]], n_in)
    big = relaxed.astype(float)  # relax_terms(u, 1.0): + z_u on the left, + 1 on the right
    pr = relaxed[g]
    rows = np.r_[np.repeat(row0[has], n_starts[has]), np.repeat(row, n_in), row, row[pr], row0[closed]]
    cols = np.r_[w, w[w_in], x, relax_col[g[pr]], relax_col[closed]]
    vals = np.r_[np.ones(w.size), -np.ones(w_in.size), np.ones(x.size), big[g[pr]], np.ones(int(closed.sum()))]
    upper = np.zeros(int(n_rows.sum()))
    upper[row0[has]] = 1.0
    upper[row] = big[g]
    b.add_rows(np.full(upper.size, -np.inf), upper, rows, cols, vals)
    sub.completions.append(_window_of_residents(r, w))


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
