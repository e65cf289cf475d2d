"""A unit with a maximum age spread keeps max(age) - min(age) of ALL its residents within it.

Modelled with age windows: the unit picks one window [a, a + spread] (column w_a) and every
resident's age must lie in it; pinned residents restrict which windows are possible.
"""

from __future__ import annotations

import numpy as np

from matcher.model.base import MipBuilder, SubProblem


def age_spread_within_limit(b: MipBuilder, sub: SubProblem) -> None:
    inst = sub.instance
    ages = sub.cand.arrays.youth_age
    pinned_in = sub.pinned_residents()
    units = sub.unit
    youths = sub.youth
    for u in sub.ruled_units():
        spread = inst.units[u].max_age_spread
        if spread is None:
            continue
        sel = np.flatnonzero(units == u)
        var_ages = ages[youths[sel]]
        fixed = [int(ages[y]) for y in pinned_in.get(u, [])]
        all_ages = np.r_[var_ages, fixed]
        if all_ages.size == 0 or all_ages.max() - all_ages.min() <= spread:
            continue  # nobody who could be here is too far apart
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
        b.add_rows([-np.inf], [1.0], np.zeros(starts.size), w, np.ones(starts.size))
        # x_p <= sum of windows that contain the youth's age (+ relaxation when it receives nobody)
        rows, cols, vals = [], [], []
        for r, (col, age) in enumerate(zip(sub.x[sel], var_ages)):
            inside = w[(starts <= age) & (age <= starts + spread)]
            rows.append(np.full(1 + inside.size + len(extra), r))
            cols.append(np.r_[col, inside, extra])
            vals.append(np.r_[1.0, -np.ones(inside.size), coef])
        b.add_rows(np.full(sel.size, -np.inf), np.full(sel.size, big), np.concatenate(rows), np.concatenate(cols), np.concatenate(vals))
