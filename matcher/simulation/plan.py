"""The runs of a simulation: baseline and scenarios, grid points, replications — as plain data.

Every run is a ``RunSpec`` (instance, scenario steps, parameters, seed, replication index), so a
run can be shipped to any worker and its result does not depend on where or when it ran.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from matcher.instance import Instance
from matcher.scenario.spec import BASELINE
from matcher.simulation.parameters import Factor, Range, SimParams, highest_inflow, target_of
from matcher.simulation.world import RunSpec


@dataclass(frozen=True)
class GridAxis:
    """``--grid NAME=LO:HI:STEPS``: factor ``factor``'s ``parameter`` at the values ``values``."""

    name: str
    factor: str
    parameter: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Simulated:
    """One scenario to simulate: its name, its week-0 instance and its demand steps."""

    name: str
    instance: Instance
    demand_steps: tuple = ()


@dataclass(frozen=True)
class Plan:
    """Everything ``matcher simulate`` runs."""

    scenarios: tuple[Simulated, ...]   # the baseline first
    params: SimParams
    seed: int = 0
    replications: int = 50
    weeks: int = 104
    grid: tuple[GridAxis, ...] = ()

    @property
    def points(self) -> list[tuple]:
        """Every grid point as ((factor, parameter), value) pairs; one empty point without a grid."""
        axes = [[((a.factor, a.parameter), v) for v in a.values] for a in self.grid]
        return [tuple(p) for p in itertools.product(*axes)]

    @property
    def baseline_on_grid(self) -> bool:
        """Does a grid factor also apply in the baseline (then the baseline runs at every point)?"""
        return any(f.baseline for f in self.factors if f.name in {a.factor for a in self.grid})

    @property
    def factors(self) -> tuple[Factor, ...]:
        """The parameters' factors, plus one for every grid factor not declared in SIM.toml."""
        known = {f.name: f for f in self.params.factors}
        for a in self.grid:
            f = known.get(a.factor)
            if f is None or a.parameter not in f.values:
                care_type, setting = target_of(a.factor)
                values = {**(f.values if f else {}), a.parameter: Range("fixed", a.values[0], a.values[0])}
                known[a.factor] = Factor(a.factor, care_type, setting, values, f.baseline if f else False)
        return tuple(known.values())

    def grid_labels(self, scenario: str, point: int) -> list[str]:
        """The grid values of (scenario, point); '' for a baseline that does not move with the grid."""
        if not self.grid or (scenario == self.scenarios[0].name and not self.baseline_on_grid):
            return [""] * len(self.grid)
        values = dict(self.points[point])
        return [f"{values[(a.factor, a.parameter)]:g}" for a in self.grid]

    def specs(self) -> list[RunSpec]:
        """Every run, in the order of the output files: scenario, grid point, replication."""
        params = SimParams(**{**self.params.__dict__, "factors": self.factors})
        grid_values = {(a.factor, a.parameter): list(a.values) for a in self.grid}
        top = highest_inflow(params.factors, grid_values)
        specs = []
        for s in self.scenarios:
            on_grid = s.name != BASELINE or self.baseline_on_grid
            for p, point in enumerate(self.points if on_grid else self.points[:1]):
                for r in range(self.replications):
                    specs.append(RunSpec(s.name, p, s.instance, s.demand_steps, params, self.seed, r,
                                         self.weeks, point if on_grid else (), top))
        return specs
