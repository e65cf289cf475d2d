"""Nobody is placed in a full unit: after the solve a receiving unit holds at most its places."""

from __future__ import annotations

import numpy as np

from matcher.solver.model.base import MipBuilder, SubProblem


def no_unit_above_capacity(b: MipBuilder, sub: SubProblem) -> None:
    """Count ALL residents afterwards (pinned + staying + moved in + new) against capacity."""
    units = sub.unit
    ruled = np.array(sub.ruled_units(), dtype=np.int64)
    mask = np.isin(units, ruled)
    order = np.argsort(units[mask], kind="stable")
    us, cols = units[mask][order], sub.x[mask][order]
    uniq, row = np.unique(us, return_inverse=True)
    if not uniq.size:
        return
    capacity = sub.cand.arrays.unit_capacity[uniq]
    room = capacity - sub.pinned_count[uniq]
    # A unit that may receive nobody (z_u) gets big * (1 - z_u) on its right side (relax_terms).
    z = np.array([sub.relax.get(u, -1) for u in uniq.tolist()], dtype=np.int64)
    big = np.where(z >= 0, np.maximum(0, np.bincount(row, minlength=uniq.size) - room), 0).astype(float)
    relaxed = np.flatnonzero(z >= 0)
    base = b.n_rows
    b.add_rows(np.full(uniq.size, -np.inf), room + big, np.r_[row, relaxed], np.r_[cols, z[relaxed]],
               np.r_[np.ones(cols.size), big[relaxed]])

    def unit_dual(dual: np.ndarray) -> tuple[None, np.ndarray]:
        # An outside pair into a unit without a row here would meet a new row (dual 0). With more
        # pairs the relaxed rows stay valid with this big: z_u = 0 admits no newcomer, and room +
        # big is at least the staying occupants.
        per_unit = np.zeros(sub.cand.arrays.unit_capacity.size)
        per_unit[uniq] = dual[base + np.arange(uniq.size)]
        return None, per_unit

    sub.outside_duals.append(unit_dual)
