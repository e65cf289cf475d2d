"""The baseline and the scenarios at week 0: the scenario files `matcher scenario` takes, applied
once to the instance; their demand steps are kept to re-indicate every later week's arrivals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matcher.instance import Instance
from matcher.scenario.run import prepare
from matcher.scenario.spec import BASELINE, Scenario
from matcher.simulation.plan import Simulated


def demand_steps(scenario: Scenario) -> tuple:
    """(step number, step) of every ``op = "demand"`` step, in order."""
    return tuple((n, step) for n, step in enumerate(scenario.steps, start=1) if step.op == "demand")


def week_zero(instance: Instance, paths: Sequence[str | Path], seed: int = 0) -> tuple[Simulated, ...]:
    """The baseline and every scenario as they start; raises ``ScenarioError`` with every problem
    of every file (and a name used twice), read and applied as ``matcher scenario`` does."""
    applied = prepare(instance, paths, seed)
    return (Simulated(BASELINE, instance),
            *(Simulated(a.scenario.name, a.instance, demand_steps(a.scenario)) for a in applied))
