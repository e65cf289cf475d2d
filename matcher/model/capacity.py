"""Nobody is placed in a full unit: after the solve a receiving unit holds at most its places."""

from __future__ import annotations

import numpy as np

from matcher.model.base import MipBuilder, SubProblem


def no_unit_above_capacity(b: MipBuilder, sub: SubProblem) -> None:
    """Count ALL residents afterwards (pinned + staying + moved in + new) against capacity."""
    inst = sub.instance
    pinned_in = sub.pinned_residents
    units = sub.unit
    ruled = np.array(sub.ruled_units(), dtype=np.int64)
    mask = np.isin(units, ruled)
    order = np.argsort(units[mask], kind="stable")
    us, cols = units[mask][order], sub.x[mask][order]
    uniq, start = np.unique(us, return_index=True)
    ends = np.r_[start[1:], us.size]
    rows, rcols, vals, upper = [], [], [], []
    for r, (u, s, e) in enumerate(zip(uniq.tolist(), start, ends)):
        room = inst.units[u].capacity - len(pinned_in.get(u, []))
        n = int(e - s)
        big, extra, coef = sub.relax_terms(u, max(0.0, n - room))
        rows.append(np.full(n + len(extra), r))
        rcols.append(np.r_[cols[s:e], extra])
        vals.append(np.r_[np.ones(n), coef])
        upper.append(room + big)
    if uniq.size:
        b.add_rows(np.full(uniq.size, -np.inf), np.array(upper), np.concatenate(rows), np.concatenate(rcols), np.concatenate(vals))
