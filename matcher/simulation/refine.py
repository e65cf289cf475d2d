"""Sequential refinement: more design points where the break-even line is least certain.

After the first design, ``batch`` points at a time are added where the fitted probability p
that the cost difference is below zero is closest to one half (the largest p(1 - p), the
"straddle" of contour estimation; Ranjan, Bingham & Michailidis, 2008), chosen from a
Sobol sequence of candidates and kept apart from each other, until ``extra`` points are added.
Each new point gets a stream of its own and its replications from the same precision target.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from matcher.simulation.answer import observed
from matcher.simulation.design import unit_design
from matcher.simulation.experiment import Experiment, PointResult, run_experiment
from matcher.simulation.metamodel import below_zero, fit_surface
from matcher.simulation.runner import OnDone

BATCH = 4
CANDIDATES = 1024


def uncertain_points(surface, seed: int, count: int, taken: np.ndarray) -> np.ndarray:
    """``count`` candidates (unit cube) with the largest p(1 - p), each at least a little away from
    the points already taken and from each other."""
    candidates = unit_design(taken.shape[1], CANDIDATES, seed)
    p = below_zero(surface, candidates)
    chosen: list[np.ndarray] = []
    apart = 0.3 / (len(taken) + count) ** (1 / taken.shape[1])
    for i in np.argsort(-(p * (1 - p)), kind="stable"):
        near = np.vstack([taken, *chosen]) if chosen else taken
        if np.min(np.linalg.norm(near - candidates[i], axis=1)) >= apart:
            chosen.append(candidates[i])
        if len(chosen) == count:
            break
    return np.array(chosen).reshape(-1, taken.shape[1])


def refine(exp: Experiment, results: list[PointResult], extra: int, client=None,
           on_done: OnDone | None = None) -> tuple[Experiment, list[PointResult]]:
    """Add ``extra`` design points in batches of ``BATCH``; the longer experiment and all results."""
    lows = np.array([e.low for e in exp.explored])
    span = np.array([e.high - e.low for e in exp.explored])
    added = 0
    while added < extra:
        surface = fit_surface("cost_per_year_eur", observed(exp, results, "cost_per_year_eur"))
        taken = (np.array(exp.points, dtype=float) - lows) / span
        new = uncertain_points(surface, exp.seed + 1 + added, min(BATCH, extra - added), taken)
        if len(new) == 0:
            break
        first = len(exp.points)
        exp = replace(exp, points=exp.points + tuple(tuple(np.round(lows + row * span, 6)) for row in new),
                      refined=exp.refined + len(new))
        results = results + run_experiment(exp, client, on_done, range(first, len(exp.points)))
        added += len(new)
    return exp, results
