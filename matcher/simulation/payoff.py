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
from scipy import stats
from scipy.stats import qmc

from matcher.simulation.design import Explored
from matcher.simulation.metamodel import Surface, below_zero
from matcher.simulation.parameters import Factor, Range

BELIEF_DRAWS = 512
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


def belief_draws(explored: tuple[Explored, ...], factors: tuple[Factor, ...], n: int, seed: int) -> np.ndarray:
    """``n`` factor points from the belief, inside the explored ranges, in the unit cube: a
    scrambled Sobol sequence through each factor's inverse distribution function (quasi-Monte
    Carlo: its integration error shrinks nearly as 1/n, not 1/sqrt(n))."""
    u = qmc.Sobol(len(explored), scramble=True, seed=np.random.default_rng([seed, 25, 2])).random(n)
    columns = []
    for j, e in enumerate(explored):
        law = _law(belief_of(e, factors)[0])
        lo, hi = law.cdf(e.low), law.cdf(e.high)
        values = law.ppf(lo + u[:, j] * (hi - lo)) if hi > lo else np.full(n, np.clip(law.mean(), e.low, e.high))
        columns.append((np.clip(values, e.low, e.high) - e.low) / (e.high - e.low))
    return np.column_stack(columns)


def _law(r: Range):
    """The belief as a scipy distribution (a fixed value as a very narrow uniform)."""
    if r.kind == "triangular" and r.high > r.low:
        mode = r.mode if r.mode is not None else (r.low + r.high) / 2
        return stats.triang((mode - r.low) / (r.high - r.low), loc=r.low, scale=r.high - r.low)
    if r.kind == "uniform" and r.high > r.low:
        return stats.uniform(r.low, r.high - r.low)
    return stats.uniform(r.low - 1e-9, 2e-9)


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
    x = belief_draws(explored, factors, BELIEF_DRAWS, seed)
    cheaper = cost.samples(x, SURFACE_DRAWS, rng) < 0
    no_longer = wait.samples(x, SURFACE_DRAWS, rng) <= 0
    shares = np.mean(cheaper & no_longer, axis=1)
    lo, hi = np.quantile(shares, [0.025, 0.975])
    return Chance(float(np.mean(shares)), float(lo), float(hi), SURFACE_DRAWS,
                  tuple(belief_of(e, factors)[1] for e in explored))
