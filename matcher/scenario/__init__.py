"""Scenarios: "what if" changes to an instance (close, split, convert, add, prices, demand,
regions, settings), applied in order to a copy, solved and compared side by side with the baseline.

``load_scenario(path)`` reads a scenario.toml, ``apply_scenario(instance, scenario, seed)`` gives
the new instance, ``run_scenarios(...)`` does everything ``matcher scenario`` does. See
docs/scenarios.md.
"""

from matcher.scenario.apply import Applied, apply_scenario
from matcher.scenario.compare import Comparison, compare, figures
from matcher.scenario.run import ScenarioRun, Solved, run_scenarios
from matcher.scenario.spec import Scenario, ScenarioError, load_scenario, parse_scenario

__all__ = [
    "Applied",
    "Comparison",
    "Scenario",
    "ScenarioError",
    "ScenarioRun",
    "Solved",
    "apply_scenario",
    "compare",
    "figures",
    "load_scenario",
    "parse_scenario",
    "run_scenarios",
]
