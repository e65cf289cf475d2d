"""A unit with a maximum age spread keeps max(age) - min(age) of ALL its residents within it.

Modelled with age windows: the unit picks one window [a, a + spread] (column w_a) and every
resident's age must lie in it; pinned residents restrict which windows are possible.
"""

from __future__ import annotations

import numpy as np

from matcher.model.base import MipBuilder, SubProblem, age_range_by_unit


def age_spread_within_limit(b: MipBuilder, sub: SubProblem) -> None:
    inst = sub.instance
    ages = sub.cand.arrays.youth_age
    pinned_in = sub.pinned_residents
    units = sub.unit
    youths = sub.youth
    by_unit = np.argsort(units, kind="stable")
    bounds = np.searchsorted(units[by_unit], np.arange(sub.cand.arrays.unit_capacity.size + 1))
    for u in _units_with_ages_too_far_apart(sub):
        spread = inst.units[u].max_age_spread
        sel = by_unit[bounds[u]:bounds[u + 1]]  # this unit's pairs, in pair order
        var_ages = ages[youths[sel]]
        fixed = [int(ages[y]) for y in pinned_in.get(u, [])]
        all_ages = np.r_[var_ages, fixed]
        lo = max(fixed) - spread if fixed else -np.inf
        hi = min(fixed) if fixed else np.inf
        starts = np.array([a for a in np.unique(all_ages) if lo <= a <= hi], dtype=np.int64)
        big, extra, coef = sub.relax_terms(u, 1.0)
        if starts.size == 0:
            # Its pinned residents alone are too far apart: it may only receive nobody.
            if extra:
                b.add_rows([-np.inf], [0.0], [0], extra, [1.0])
            else:
                b.fix_zero(sub.x[sel])
            continue
        w = b.add_columns(np.zeros(starts.size))
        sub.completions.append(_window_of_residents(w, starts, sub.x[sel], var_ages, fixed))
        b.add_rows([-np.inf], [1.0], np.zeros(starts.size), w, np.ones(starts.size))
        # x_p <= sum of windows that contain the youth's age (+ relaxation when it receives nobody)
        inside = (starts[None, :] <= var_ages[:, None]) & (var_ages[:, None] <= starts[None, :] + spread)
        k, j = np.nonzero(inside)
        n = sel.size
        r = np.arange(n)
        rows = np.r_[r, k, np.repeat(r, len(extra))]
        cols = np.r_[sub.x[sel], w[j], np.tile(np.asarray(extra, dtype=np.int64), n)]
        vals = np.r_[np.ones(n), -np.ones(k.size), np.tile(np.asarray(coef, dtype=float), n)]
        b.add_rows(np.full(n, -np.inf), np.full(n, big), rows, cols, vals)


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


def _window_of_residents(w, starts, cols, ages, fixed):
    """The window that starts at the youngest resident's age (valid for a valid assignment)."""

    def fill(values: np.ndarray) -> None:
        present = np.r_[ages[values[cols] > 0.5], fixed]
        values[w] = 0.0
        if present.size:
            hit = np.flatnonzero(starts == present.min())
            if hit.size:
                values[w[hit[0]]] = 1.0

    return fill
