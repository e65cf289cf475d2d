"""Running a designed experiment: at every design point the scenario against the baseline, with
common random numbers, as many replications as the wanted precision asks for.

At one design point the scenario and the baseline of a replication share their random numbers
(the same arrivals, stays and factor draws): the response is the paired difference, scenario
minus baseline. Different design points draw from independent streams (a seed of their own),
because common numbers across points would bend the whole fitted surface one way.

Replications follow a target precision, not a guess (Law, *Simulation Modeling and Analysis*,
sequential procedure; Kleijnen ch. 3): a pilot of ``pilot`` replications per point, then at
every point ``n = (t s / h)^2`` replications, with ``s`` the pilot's standard deviation of the
paired cost difference and ``h`` the wanted half-width of its 95 % interval, at most ``cap``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from matcher.simulation.design import Explored
from matcher.simulation.engine import RunOutput
from matcher.simulation.parameters import SimParams, highest_inflow
from matcher.simulation.plan import GridAxis, Plan, Simulated
from matcher.simulation.calibration import run_calibration
from matcher.simulation.runner import OnDone, Reduced, run_here, run_on
from matcher.simulation.summary import run_figures
from matcher.simulation.world import RunSpec

#: The responses fitted over the factors: each the paired difference scenario minus baseline.
RESPONSES = ("cost_per_year_eur", "mean_wait_weeks", "never_placed_share")


@dataclass(frozen=True)
class Precision:
    """How many replications a design point gets: a pilot, then enough for the wanted half-width
    of the paired cost difference's 95 % interval (a share of the baseline's cost per year)."""

    pilot: int = 3
    cap: int = 10
    half_width: float = 0.005


@dataclass(frozen=True)
class Experiment:
    """Everything ``matcher simulate --explore`` runs: one scenario against the baseline."""

    baseline: Simulated
    scenario: Simulated
    params: SimParams
    explored: tuple[Explored, ...]
    points: tuple[tuple[float, ...], ...]   # the design, in the factors' own units
    seed: int = 0
    weeks: int = 104
    precision: Precision = field(default_factory=Precision)
    design: str = "sobol"
    refined: int = 0        # the last ``refined`` points were added where the break-even was least certain

    @property
    def run_params(self) -> SimParams:
        """The parameters with a factor for every explored factor (also one SIM.toml lacks)."""
        axes = tuple(GridAxis(e.name, e.factor, e.parameter, (e.low, e.high)) for e in self.explored)
        factors = Plan((self.baseline,), self.params, grid=axes).factors
        return SimParams(**{**self.params.__dict__, "factors": factors})

    def specs(self, point: int, replications: range) -> list[RunSpec]:
        """Baseline and scenario at design point ``point``, replications ``replications``."""
        params = self.run_params
        top = highest_inflow(params.factors, {(e.factor, e.parameter): [e.low, e.high] for e in self.explored})
        fixed = tuple(((e.factor, e.parameter), v) for e, v in zip(self.explored, self.points[point]))
        seed = point_seed(self.seed, point)
        return [RunSpec(s.name, point, s.instance, s.demand_steps, params, seed, r, self.weeks, fixed, top)
                for s in (self.baseline, self.scenario) for r in replications]


def point_seed(seed: int, point: int) -> int:
    """The seed of design point ``point``: an independent stream per point, derived from ``seed``."""
    return int(np.random.SeedSequence([seed, 25, point]).generate_state(1, dtype=np.uint32)[0])


@dataclass(frozen=True)
class PointResult:
    """One design point: per replication the baseline's and the scenario's figures."""

    point: int
    values: tuple[float, ...]
    baseline: tuple[dict, ...]   # per replication: the responses and the calibration figures
    scenario: tuple[dict, ...]

    @property
    def replications(self) -> int:
        return len(self.scenario)

    def differences(self, response: str) -> np.ndarray:
        """Scenario minus baseline, per replication."""
        return np.array([s[response] - b[response] for s, b in zip(self.scenario, self.baseline)], dtype=float)

    def half_width(self, response: str) -> float:
        """Half-width of the 95 % interval of the mean paired difference (t with n - 1 degrees)."""
        d = self.differences(response)
        if len(d) < 2:
            return math.inf
        return float(stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d)))


def replications_needed(differences: np.ndarray, half_width: float, precision: Precision) -> int:
    """n >= (t s / h)^2 for the paired cost differences of the pilot, between the pilot and the cap."""
    n = len(differences)
    s = float(np.std(differences, ddof=1)) if n > 1 else math.inf
    if half_width <= 0 or not math.isfinite(s):
        return precision.cap
    wanted = math.ceil((stats.t.ppf(0.975, n - 1) * s / half_width) ** 2)
    return int(min(precision.cap, max(precision.pilot, wanted)))


def run_experiment(exp: Experiment, client=None, on_done: OnDone | None = None,
                   points: range | None = None) -> list[PointResult]:
    """The pilot at every point (of ``points``, default all), then the replications each point's
    precision asks for."""
    points = range(len(exp.points)) if points is None else points
    pilot = [s for p in points for s in exp.specs(p, range(exp.precision.pilot))]
    outputs = _run(pilot, client, on_done)
    results = _collect(exp, outputs, points)
    more = []
    for r in results:
        cost = np.mean([b["cost_per_year_eur"] for b in r.baseline])
        n = replications_needed(r.differences("cost_per_year_eur"), exp.precision.half_width * cost, exp.precision)
        more += exp.specs(r.point, range(exp.precision.pilot, n))
    if more:
        outputs += _run(more, client, on_done)
    return _collect(exp, outputs, points)


def figures_of(spec: RunSpec, output: RunOutput) -> dict:
    """On the worker: the run's responses, and for a baseline run its calibration figures."""
    figures = run_figures(output, spec.weeks)
    return {**figures, **run_calibration(output, spec.weeks)} if spec.baseline else figures


def _run(specs: list[RunSpec], client, on_done: OnDone | None) -> list[Reduced]:
    if client is not None:
        return run_on(client, specs, on_done, reduce=figures_of)
    return run_here(specs, on_done, reduce=figures_of)


def _collect(exp: Experiment, outputs: list[Reduced], points: range) -> list[PointResult]:
    """Per design point, the figures of every replication, in replication order."""
    runs: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    for o in outputs:
        scenario, point, replication = o.key
        runs[point][scenario][replication] = o.value
    results = []
    for p in points:
        base, scen = runs[p][exp.baseline.name], runs[p][exp.scenario.name]
        order = sorted(base)
        results.append(PointResult(p, exp.points[p], tuple(base[r] for r in order), tuple(scen[r] for r in order)))
    return results
