"""Each youth has at most one place; an occupant always has one (staying or moved)."""

from __future__ import annotations

import numpy as np

from matcher.solver.model.base import MipBuilder, SubProblem


def one_place_per_youth(b: MipBuilder, sub: SubProblem) -> None:
    """A new youth is placed once or not at all; a movable occupant is never left unplaced."""
    youths = sub.youth
    free = np.flatnonzero(sub.free)
    row_of = np.full(sub.free.size, -1, dtype=np.int64)
    row_of[free] = np.arange(free.size)
    occupant = sub.cand.arrays.youth_current[free] >= 0
    base = b.n_rows
    b.add_rows(np.where(occupant, 1.0, -np.inf), np.ones(free.size), row_of[youths], sub.x, np.ones(youths.size))

    def youth_dual(dual: np.ndarray) -> tuple[np.ndarray, None]:
        per_youth = np.zeros(sub.free.size)
        per_youth[free] = dual[base + np.arange(free.size)]
        return per_youth, None

    sub.outside_duals.append(youth_dual)
