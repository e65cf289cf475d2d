"""The simulated week's solve against the full solve of the same week.

The simulation solves each week without the candidate pairs that the residents who stay already
rule out (``SolveParams.close_blocked_pairs``). On 40 weeks of nl-stock (seeds 0 and 1, weeks
0-19, the national inflow) every week's answer must have the objective that the solve with every
candidate pair proves, be proven optimal itself, and pass the independent checker. The columns
the run keeps from week to week must be the week instance's own.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from matcher.analysis.check import check
from matcher.input.source import read_instance
from matcher.simulation import week
from matcher.simulation.engine import simulate_week, start
from matcher.simulation.parameters import SimParams
from matcher.simulation.world import RunSpec
from matcher.solver.candidates import read_arrays
from matcher.solver.params import WITHOUT_REASONS
from matcher.solver.solve import solve

WEEKS = 20


@pytest.fixture(scope="module")
def recorded_weeks():
    """(week instance, the simulation's answer) of every week of seeds 0 and 1."""
    stock = read_instance("instances/nl-stock")
    weeks = []
    original = week._solved

    def kept(instance, world, arrays):
        # the run goes on with its own youths (one more week waited, a unit to live in): keep
        # the week as it was, before the solve is handed the run's columns
        as_it_was = pickle.loads(pickle.dumps(instance))
        result = original(instance, world, arrays)
        weeks.append((as_it_was, arrays, result))
        return result

    week._solved = kept
    try:
        for seed in (0, 1):
            world, state = start(RunSpec("baseline", 0, stock, (), SimParams(check_every_weeks=0), seed, 0, WEEKS))
            for w in range(WEEKS):
                simulate_week(world, state, w)
    finally:
        week._solved = original
    return weeks


def test_every_recorded_week_has_the_full_solves_proven_objective(recorded_weeks):
    """40 weeks: the simulation's answer is OPTIMAL, passes the checker, and costs what the
    solve over every candidate pair proves."""
    assert len(recorded_weeks) == 2 * WEEKS
    for instance, _, result in recorded_weeks:
        full = solve(instance, time_limit=60, threads=1, params=WITHOUT_REASONS)
        assert result.status == full.status == "OPTIMAL"
        report = check(instance, result.unit_of)
        assert report.ok, report.violations
        assert report.objective == pytest.approx(full.objective, rel=1e-9, abs=1e-6)


def test_the_columns_kept_from_week_to_week_are_the_week_instances_own(recorded_weeks):
    """40 weeks: every column the run hands the solver equals the one read from the week's
    instance, value, type and shape."""
    for instance, arrays, _ in recorded_weeks:
        read = read_arrays(instance)
        for name in read.__dataclass_fields__:
            kept, fresh = getattr(arrays, name), getattr(read, name)
            assert kept.dtype == fresh.dtype and kept.shape == fresh.shape, name
            assert np.array_equal(kept, fresh, equal_nan=kept.dtype.kind == "f"), name
