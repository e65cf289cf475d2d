"""The designed experiment: which factor values are simulated (Kleijnen, *Design and Analysis of
Simulation Experiments*, ch. 5).

``--explore NAME=LO:HI`` names an uncertain factor and the range to explore; ``--points N``
spreads N design points over the ranges with a scrambled Sobol sequence (N a power of 2) or a
Latin hypercube, from ``scipy.stats.qmc``. A space-filling design leaves no corner of the
factor plane unseen and gives a fitted surface the spread of points it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from matcher.errors import Problem
from matcher.i18n import _
from matcher.simulation.simfile import factor_options, split_factor_option

DESIGNS = ("sobol", "lhs")
#: Fewest design points: a quadratic surface in d factors has (d + 1)(d + 2) / 2 coefficients,
#: and leave-one-out validation needs a few points more than that.
MIN_EXTRA_POINTS = 3
MAX_POINTS = 4096


@dataclass(frozen=True)
class Explored:
    """``--explore NAME=LO:HI``: factor ``factor``'s ``parameter`` between ``low`` and ``high``."""

    name: str
    factor: str
    parameter: str
    low: float
    high: float


def min_points(factors: int) -> int:
    """The fewest design points for ``factors`` factors (a quadratic fit and its validation)."""
    return (factors + 1) * (factors + 2) // 2 + MIN_EXTRA_POINTS


def parse_explore(texts, points: int, kind: str = "sobol") -> tuple[tuple[Explored, ...], list[Problem]]:
    """``--explore`` options and ``--points``: the explored factors, and every problem found."""
    explored, problems = factor_options(texts, "--explore", _explored, _("'{name}' is explored twice"))
    if texts:
        problems += _points_problems(points, len(texts), kind)
    return tuple(explored), problems


def _points_problems(points: int, factors: int, kind: str) -> list[Problem]:
    least = min_points(factors)
    if points < least or points > MAX_POINTS:
        return [Problem("--points", None, str(points), _(
            "with {factors} explored factors the design needs {least} to {most} points").format(
            factors=factors, least=least, most=MAX_POINTS))]
    if kind == "sobol" and points & (points - 1):
        return [Problem("--points", None, str(points), _(
            "a Sobol design has a power of 2 points (e.g. {lower} or {upper}); or choose --design lhs").format(
            lower=2 ** int(math.log2(points)), upper=2 ** math.ceil(math.log2(points))))]
    return []


def _explored(text: str) -> tuple[Explored | None, str | None]:
    form = _("write NAME=LO:HI, e.g. kleinschalig.stay=0.6:1.0")
    name, target, parameter, values, problem = split_factor_option(text, form)
    if problem:
        return None, problem
    parts = values.split(":")
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        return None, form
    if not (math.isfinite(high) and 0 < low < high):
        return None, _("needs 0 < LO < HI (a range to explore, not one value)")
    return Explored(name, target, parameter, low, high), None


def unit_design(factors: int, points: int, seed: int, kind: str = "sobol") -> np.ndarray:
    """``points`` x ``factors`` design in the unit cube, the same for the same seed."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 25]))
    if kind == "sobol":
        return qmc.Sobol(factors, scramble=True, seed=rng).random_base2(int(math.log2(points)))
    return qmc.LatinHypercube(factors, optimization="random-cd", seed=rng).random(points)


def design(explored: tuple[Explored, ...], points: int, seed: int, kind: str = "sobol") -> np.ndarray:
    """The design points in the factors' own units (a multiple of today), one row per point."""
    unit = unit_design(len(explored), points, seed, kind)
    lows, highs = [e.low for e in explored], [e.high for e in explored]
    return np.round(qmc.scale(unit, lows, highs), 6)
