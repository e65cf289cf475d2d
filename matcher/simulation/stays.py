"""Length of stay: a distribution per care type (and setting), and the rest of a stay under way.

Every youth carries one standard-normal number ``z`` (its own stream); the stay follows from
it through the law's inverse distribution function. The same youth therefore has the same
(relative) stay in every scenario, and a scenario's stay factor scales it.

Gesloten jeugdhulp: a lognormal fitted to NJi's figures (mean placement 6.0 months in 2017,
6.2 in 2018, 6.5 in 2021; 11 % shorter than one month, 13 % longer than a year). Least squares
on log(mean) against 6.23 months and on the two shares gives mu = 1.286, sigma = 1.049 (in
months): mean 6.27 months, 11.0 % below one month, 12.7 % above a year. See docs/simulation.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WEEKS_PER_MONTH = 52.0 / 12.0
#: The lognormal fit for gesloten jeugdhulp, in months (see the module docstring).
GESLOTEN_MU_MONTHS = 1.286
GESLOTEN_SIGMA = 1.049
DISTRIBUTIONS = ("lognormal", "exponential")


@dataclass(frozen=True)
class StayLaw:
    """How long a stay lasts, in weeks: ``lognormal`` (mean and sigma of log) or ``exponential``."""

    distribution: str
    mean_weeks: float
    sigma: float = 0.0
    source: str = "assumption"

    @property
    def mu(self) -> float:
        """Mean of the log of a lognormal stay in weeks."""
        return math.log(self.mean_weeks) - self.sigma ** 2 / 2

    def weeks(self, z: np.ndarray) -> np.ndarray:
        """Stay in weeks (continuous) of youths with standard-normal numbers ``z``."""
        z = np.asarray(z, dtype=float)
        if self.distribution == "exponential":
            return -self.mean_weeks * np.log(_upper_tail(z))
        return np.exp(self.mu + self.sigma * z)

    def residual_weeks(self, z: np.ndarray, u: np.ndarray) -> np.ndarray:
        """What is left of a stay already under way at a random moment.

        A resident seen at a random moment is more likely to be on a long stay (length bias): the
        total stay then has density ``l f(l) / mean``, and the part still to come is a uniform
        share ``u`` of it. For a lognormal the length-biased stay is again lognormal, with mu
        raised by sigma squared; an exponential stay has no memory, so the rest is a fresh one.
        """
        z, u = np.asarray(z, dtype=float), np.asarray(u, dtype=float)
        if self.distribution == "exponential":
            return self.weeks(z)
        return u * np.exp(self.mu + self.sigma ** 2 + self.sigma * z)

    def share_below(self, weeks: float) -> float:
        """P(stay < weeks), for the documentation and tests."""
        if self.distribution == "exponential":
            return 1 - math.exp(-weeks / self.mean_weeks)
        return _phi((math.log(weeks) - self.mu) / self.sigma)


def whole_weeks(weeks: np.ndarray) -> np.ndarray:
    """A stay rounded to whole weeks, at least one (a youth placed this week stays this week)."""
    return np.maximum(1, np.rint(np.asarray(weeks, dtype=float))).astype(np.int64)


def gesloten_law() -> StayLaw:
    """The fitted NJi lognormal for gesloten jeugdhulp, expressed in weeks."""
    mean_months = math.exp(GESLOTEN_MU_MONTHS + GESLOTEN_SIGMA ** 2 / 2)
    return StayLaw("lognormal", mean_months * WEEKS_PER_MONTH, GESLOTEN_SIGMA,
                   source="NJi: mean 6.0-6.5 months, 11 % < 1 month, 13 % > 1 year (lognormal fit)")


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _upper_tail(z: np.ndarray) -> np.ndarray:
    """1 - Phi(z), computed without cancellation for large z."""
    from math import erfc

    return np.array([0.5 * erfc(v / math.sqrt(2)) for v in np.ravel(z)]).reshape(np.shape(z))
