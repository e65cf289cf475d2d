"""The baseline and the scenarios at week 0: the scenario files `matcher scenario` takes, applied
once to the instance; their demand steps are kept to re-indicate every later week's arrivals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matcher.instance import Instance
from matcher.errors import Problem, ScenarioError
from matcher.scenario.apply import apply_scenario
from matcher.scenario.spec import BASELINE, Scenario, load_scenario
from matcher.simulation.plan import Simulated


def demand_steps(scenario: Scenario) -> tuple:
    """(step number, step) of every ``op = "demand"`` step, in order."""
    return tuple((n, step) for n, step in enumerate(scenario.steps, start=1) if step.op == "demand")


def week_zero(instance: Instance, paths: Sequence[str | Path], seed: int = 0) -> tuple[Simulated, ...]:
    """The baseline and every scenario as they start; raises ``ScenarioError`` with every problem
    of every file (and a name used twice)."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as err:
            problems += err.problems
    seen: dict[str, str] = {}
    for s in scenarios:
        if s.name in seen:
            problems.append(s.problem("name", f"the name '{s.name}' is also used by {seen[s.name]}"))
        seen.setdefault(s.name, s.file)
    runs = [Simulated(BASELINE, instance)]
    for s in scenarios:
        try:
            runs.append(Simulated(s.name, apply_scenario(instance, s, seed).instance, demand_steps(s)))
        except ScenarioError as err:
            problems += err.problems
    if problems:
        raise ScenarioError(problems)
    return tuple(runs)
