"""The solver on many generated weeks: every answer keeps every rule, costs what the checker
says, and is the optimum that exhaustive search finds.

Weeks come from ``strategies.instances``: a few locations and units, up to seven youths with
occupants, sibling groups, contra-indications, alternatives, exclusions, own distance limits,
moves allowed or not, and varied weights.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import Phase, given, settings

from bruteforce import brute_force
from matcher.analysis.check import check
from matcher.result import OPTIMAL
from matcher.solver.solve import solve
from strategies import instances

#: Any generated week, including weeks in which nobody can be placed anywhere.
weeks = instances()


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=300)
@given(weeks)
def test_every_answer_is_valid_and_optimal(instance):
    """The answer passes the independent checker, its objective is the checker's, its bound is
    not above it, every unplaced youth has a reason, and no assignment is cheaper (brute force)."""
    result = solve(instance, time_limit=20.0)
    report = check(instance, result.unit_of)
    assert result.is_feasible(), result.status
    assert report.ok, report.violations
    assert same(result.objective, report.objective), (result.objective, report.objective)
    assert result.best_bound <= result.objective + 1e-9
    assert set(result.reasons) == {y for y, u in result.unit_of.items() if u is None}
    optimum, _ = brute_force(instance)
    assert same(result.objective, optimum), (result.objective, optimum)


@settings(max_examples=25)
@given(weeks)
def test_same_seed_same_answer(instance):
    """Solving the same week twice with the same seed gives the same assignment."""
    first = solve(instance, time_limit=20.0, seed=7)
    second = solve(instance, time_limit=20.0, seed=7)
    assert first.unit_of == second.unit_of
    assert first.objective == second.objective


@settings(max_examples=100, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(weeks)
def test_every_optimum_is_reported_optimal(instance):
    """An answer that is the optimum (the test above) is reported OPTIMAL with gap 0."""
    result = solve(instance, time_limit=20.0)
    assert result.status == OPTIMAL, (result.objective, result.best_bound)


@settings(max_examples=120)
@given(instances(max_youths=10))
def test_crowded_weeks_are_solved_to_optimality(instance):
    """Up to ten youths, so that side rules meet and the exact model has work to do: still valid,
    and still the brute-force optimum."""
    result = solve(instance, time_limit=20.0)
    report = check(instance, result.unit_of)
    assert report.ok, report.violations
    assert same(result.objective, report.objective)
    assert result.best_bound <= result.objective + 1e-9
    optimum, _ = brute_force(instance)
    assert same(result.objective, optimum), (result.objective, optimum)
