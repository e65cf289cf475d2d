"""The chance that the scenario pays for itself: cheaper per year, and waiting not longer.

As a map over the factor plane: at every point the probability, given the fitted surfaces, that
the mean cost difference is below 0 and the mean waiting-time difference not above 0. The two
surfaces are fitted apart and their errors taken as independent (an assumption).

As one number, the analogue of a cost-effectiveness acceptability curve's point: the share of
the planner's belief about the factors (the ranges SIM.toml gives them, kept inside the explored
ranges) where the scenario pays off, averaged over draws of both surfaces from their
uncertainty; the interval is the 2.5-97.5 percentiles of that share over the draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.simulation.design import Explored
from matcher.simulation.metamodel import Surface, below_zero
from matcher.simulation.parameters import Factor, Range

BELIEF_DRAWS = 600
SURFACE_DRAWS = 400


def pays_off_map(cost: Surface, wait: Surface, x: np.ndarray) -> np.ndarray:
    """P(cost difference < 0 and waiting difference <= 0) at every row of ``x`` (unit cube)."""
    return below_zero(cost, x) * below_zero(wait, x)


def belief_of(e: Explored, factors: tuple[Factor, ...]) -> tuple[Range, bool]:
    """The planner's belief about an explored factor: its SIM.toml range, else uniform over the
    explored range (an assumption; the flag says which)."""
    for f in factors:
        r = f.values.get(e.parameter) if f.name == e.factor else None
        if r is not None and r.kind != "fixed":
            return r, True
    return Range("uniform", e.low, e.high), False


def belief_draws(explored: tuple[Explored, ...], factors: tuple[Factor, ...], n: int,
                 rng: np.random.Generator) -> np.ndarray:
    """``n`` factor points from the belief, inside the explored ranges, in the unit cube."""
    columns = []
    for e in explored:
        r, _sourced = belief_of(e, factors)
        kept = np.empty(0)
        while len(kept) < n:
            draw = _draw(r, 4 * n, rng)
            kept = np.concatenate([kept, draw[(draw >= e.low) & (draw <= e.high)]])
            if r.high < e.low or r.low > e.high:
                kept = np.full(n, np.clip(r.low, e.low, e.high))
        columns.append((kept[:n] - e.low) / (e.high - e.low))
    return np.column_stack(columns)


def _draw(r: Range, n: int, rng: np.random.Generator) -> np.ndarray:
    if r.kind == "triangular" and r.high > r.low:
        mode = r.mode if r.mode is not None else (r.low + r.high) / 2
        return rng.triangular(r.low, mode, r.high, n)
    if r.kind == "uniform":
        return rng.uniform(r.low, r.high, n)
    return np.full(n, r.low)


@dataclass(frozen=True)
class Chance:
    """The chance that it pays off under the belief: estimate and 95 % interval (over the surfaces' draws)."""

    estimate: float
    low: float
    high: float
    draws: int
    belief_from_sim: tuple[bool, ...]


def chance_pays_off(cost: Surface, wait: Surface, explored: tuple[Explored, ...], factors: tuple[Factor, ...],
                    seed: int) -> Chance:
    """The share of the belief where the scenario pays off, with its interval."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 25, 1]))
    x = belief_draws(explored, factors, BELIEF_DRAWS, rng)
    cheaper = cost.samples(x, SURFACE_DRAWS, rng) < 0
    no_longer = wait.samples(x, SURFACE_DRAWS, rng) <= 0
    shares = np.mean(cheaper & no_longer, axis=1)
    lo, hi = np.quantile(shares, [0.025, 0.975])
    return Chance(float(np.mean(shares)), float(lo), float(hi), SURFACE_DRAWS,
                  tuple(belief_of(e, factors)[1] for e in explored))
