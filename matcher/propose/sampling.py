"""Demand states for the plan: who needs a place at a random week, from the simulation's dynamics.

In the simulation youths arrive per care type as a Poisson stream and stay for a random time.
At a random week the youths who need a place (in care, or who would be if there were room) are
then, for any stay distribution, a Poisson number with mean ``inflow x mean stay`` (Little's
law for a system where nobody waits: the M/G/infinity stock), each with the profile of an
arrival. That stock is what the plan must host. A sample draws it with the simulation's own
functions: ``week_arrivals`` at the stock's rates gives the youths (home, age, need, urgency),
the replication's uncertain factors are drawn as the simulation draws them, the inflow factor
thins the youths whose need it concerns, and the options' re-indication steps are applied as a
scenario's are. The stay factor is not applied to the count: a youth placed in a setting whose
stay is shorter uses that share of a place (``Sample.place_use``).
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.instance import Instance, Youth
from matcher.simulation.arrivals import reindicated, week_arrivals
from matcher.simulation.parameters import SimParams, draw_factors, factor_value, highest_inflow
from matcher.simulation.streams import key_of, stream

#: The streams of the proposal's samples lie far from the weeks a simulation draws.
SAMPLE_WEEK = 100_000


@dataclass(frozen=True)
class Sample:
    """One demand state: the youths who need a place, and per (care type, setting) the share
    of a place one of them uses there (the stay factor)."""

    index: int
    youths: tuple[Youth, ...]
    place_use: dict[tuple[str, str], float]


def stock_rates(params: SimParams) -> dict[str, float]:
    """Mean youths who need a place at a random week, per care type: inflow x mean stay."""
    return {c: params.arrivals.get(c, 0.0) * params.stays[c].mean_weeks for c in CARE_TYPES}


def draw_sample(instance: Instance, params: SimParams, demand_steps: tuple, seed: int, index: int) -> Sample:
    """Demand state ``index`` of ``seed``: the same numbers whatever else is drawn."""
    top = highest_inflow(params.factors, {})
    rates = {c: r * top for c, r in stock_rates(params).items()}
    drawn = week_arrivals(seed, index, SAMPLE_WEEK, rates, siblings=False)

    def rng_for(name: str, parameter: str):
        return stream(seed, index, "factors", key_of(f"{name}.{parameter}"))

    values = draw_factors(params.factors, rng_for, {})
    drawn = reindicated(drawn, demand_steps, instance.regions, seed, index, SAMPLE_WEEK)
    kept = tuple(a.youth for a in drawn
                 if a.u * top < factor_value(values, params.factors, "inflow", a.youth.care_type,
                                             a.youth.min_setting, baseline=False))
    use = {(c, s): factor_value(values, params.factors, "stay", c, s, baseline=False) for c in CARE_TYPES for s in SETTINGS}
    return Sample(index, kept, use)


def draw_samples(instance: Instance, params: SimParams, demand_steps: tuple, seed: int, first: int, n: int) -> list[Sample]:
    """Samples ``first`` .. ``first + n - 1``."""
    return [draw_sample(instance, params, demand_steps, seed, i) for i in range(first, first + n)]
