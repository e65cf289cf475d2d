"""The objective (minimise): placement costs of the pairs chosen, and the cost of leaving a new
youth unplaced. Weights come from the instance settings (see ``matcher.solver.candidates.pair_cost``).
"""

from __future__ import annotations

import numpy as np

from matcher.solver.model.base import SubProblem


def placement_and_unplaced_costs(sub: SubProblem) -> tuple[np.ndarray, float]:
    """Column costs for the pairs and the constant: unplaced cost is paid unless placed.

    ``sum_y U_y (1 - sum_p x_p) + sum_p c_p x_p = sum_y U_y + sum_p (c_p - U_y) x_p`` for new
    youths; occupants are always placed, so their pairs carry just c_p.
    """
    a = sub.cand.arrays
    youths = sub.youth
    new = a.youth_current[youths] < 0
    cost = sub.cand.pair_cost[sub.pairs] - np.where(new, a.youth_unplaced_cost[youths], 0.0)
    free_new = np.flatnonzero(sub.free & (a.youth_current < 0))
    return cost, float(a.youth_unplaced_cost[free_new].sum())
