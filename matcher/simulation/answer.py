"""The break-even answer of an experiment, computed once: the fitted surfaces of the paired
differences, their validation, the maps over the factor plane and the chance that the scenario
pays off. The report, the charts and the files render it and never fit again."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.simulation.calibration import simulated_baseline
from matcher.simulation.experiment import RESPONSES, Experiment, PointResult
from matcher.simulation.metamodel import Observed, Surface, band, fit_surface
from matcher.simulation.payoff import Chance, belief_of, chance_pays_off, pays_off_map

#: Points per factor of the maps over the factor plane.
MAP_STEPS = 61


@dataclass(frozen=True)
class Answer:
    """Everything the experiment's report and charts show."""

    experiment: Experiment
    results: tuple[PointResult, ...]
    surfaces: dict[str, Surface]
    chance: Chance
    centre: tuple[float, ...]          # the belief's most likely point, in the factors' units
    baseline_figures: dict[str, tuple]

    def unit(self, values) -> np.ndarray:
        """Factor values (rows) in the unit cube of the design."""
        lows = np.array([e.low for e in self.experiment.explored])
        highs = np.array([e.high for e in self.experiment.explored])
        return (np.atleast_2d(np.asarray(values, dtype=float)) - lows) / (highs - lows)

    def axes(self) -> list[np.ndarray]:
        """Per factor, MAP_STEPS values over its explored range."""
        return [np.linspace(e.low, e.high, MAP_STEPS) for e in self.experiment.explored]

    def plane(self) -> tuple[np.ndarray, np.ndarray]:
        """The map's points (first two factors varying, the others at the centre) as unit-cube rows,
        and the grid's shape [y, x]."""
        axes = self.axes()
        ys = axes[1] if len(axes) > 1 else np.array([self.centre[1]]) if len(self.centre) > 1 else np.array([0.0])
        rows = []
        for y in ys:
            for x in axes[0]:
                rows.append((x, y, *self.centre[2:])[:len(self.centre)])
        return self.unit(rows), np.array([len(ys), len(axes[0])])

    def maps(self) -> dict[str, np.ndarray]:
        """Over the plane: fitted cost (euro), its band, waiting worse, chance that it pays off."""
        x, shape = self.plane()
        cost, wait = self.surfaces["cost_per_year_eur"], self.surfaces["mean_wait_weeks"]
        return {"cost": cost.predict(x)[0].reshape(shape), "band": band(cost, x).reshape(shape),
                "worse": (wait.predict(x)[0] > 0).reshape(shape), "chance": pays_off_map(cost, wait, x).reshape(shape)}


def observed(exp: Experiment, results, response: str) -> Observed:
    """A response's mean paired difference and the variance of that mean at every design point."""
    lows = np.array([e.low for e in exp.explored])
    span = np.array([e.high - e.low for e in exp.explored])
    x = (np.array([r.values for r in results], dtype=float) - lows) / span
    means, variances = [], []
    for r in results:
        d = r.differences(response)
        means.append(float(np.mean(d)))
        variances.append(float(np.var(d, ddof=1)) / len(d) if len(d) > 1 else 0.0)
    return Observed(x, np.array(means), np.array(variances), np.array([r.replications for r in results]))


def most_likely(exp: Experiment) -> tuple[float, ...]:
    """Per factor its belief's mode (triangular) or middle, kept inside the explored range."""
    values = []
    for e in exp.explored:
        r, _sourced = belief_of(e, exp.params.factors)
        centre = r.mode if r.kind == "triangular" and r.mode is not None else (r.low + r.high) / 2
        values.append(float(min(max(centre, e.low), e.high)))
    return tuple(values)


def analyse(exp: Experiment, results: list[PointResult]) -> Answer:
    """Fit every response, validate, and compute the chance that the scenario pays off."""
    surfaces = {r: fit_surface(r, observed(exp, results, r)) for r in RESPONSES}
    chance = chance_pays_off(surfaces["cost_per_year_eur"], surfaces["mean_wait_weeks"], exp.explored,
                             exp.params.factors, exp.seed)
    baseline_runs = [figures for r in results for figures in r.baseline]
    return Answer(exp, tuple(results), surfaces, chance, most_likely(exp),
                  simulated_baseline(baseline_runs, exp.baseline.instance))
