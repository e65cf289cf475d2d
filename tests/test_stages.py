"""The solving stages, one at a time, on weeks whose relaxation breaks a side rule.

Every stage takes the search state and leaves it no worse: the assignment stays valid once it
is, its objective never rises, and the bound stays between the flow bound and the optimum.
"""

from __future__ import annotations

import numpy as np
import pytest

import matcher.solve
from assignments import unit_ids_of
from bruteforce import brute_force
from matcher.check import check
from matcher.feasibility import unit_of
from matcher.params import SolveParams
from matcher.result import INFEASIBLE, OPTIMAL
from matcher.search import SearchState, start_search
from matcher.solve import STAGES, solve
from matcher.stages import (
    full_mip,
    improve_after_mip,
    kept_pairs,
    lp_bound_for_large_models,
    lp_guided_neighbourhood,
    mend_trouble_spots,
    repair_and_fill,
    restricted_flows,
    shrink_by_neighbourhoods,
)
from strategies import make_instance, make_location, make_unit, make_youth


def spread_week():
    """Four youths aged 12, 16, 13 and 17 near one unit with four places and an age spread of 1;
    a second unit further away. The relaxation puts all four in the first unit."""
    return make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362"), make_location("L3", "GM0599")],
        [make_unit("U1", "L1", max_age_spread=1, capacity=4), make_unit("U2", "L2", capacity=1),
         make_unit("U3", "L3", capacity=2)],
        [make_youth("Y1", age=12), make_youth("Y2", age=16), make_youth("Y3", age=13),
         make_youth("Y4", age=17, urgency=3)],
    )


def started(instance=None, time_limit: float = 10.0, **params) -> SearchState:
    """The search state right after the relaxation."""
    return start_search(instance or spread_week(), time_limit, 2, 0, None, SolveParams(**params))


def valid(state: SearchState) -> bool:
    """The state's assignment passes the independent checker."""
    ids = unit_ids_of(state.instance, unit_of(state.cand, state.pair_of))
    return check(state.instance, ids).ok


def run(state: SearchState, *stages) -> SearchState:
    for stage in stages:
        stage(state)
    return state


def test_the_start_holds_the_flow_and_what_it_breaks():
    """The state starts at the flow's assignment and bound, with the broken unit recorded."""
    state = started()
    assert np.array_equal(state.pair_of, state.flow.pair_of)
    assert state.bound == state.flow.lower_bound
    assert state.broken.units == {0} and not state.broken.groups
    assert state.stats.flow_breaks_units == 1 and not valid(state)


def test_restricted_flows_close_the_pairs_that_break_the_age_spread():
    """Closing the arrivals outside the unit's best age window and solving again mends it."""
    state = run(started(), restricted_flows)
    assert not state.rules.violations(state.pair_of)
    assert state.stats.restricted_flow_rounds >= 2
    assert state.objective() >= state.flow.lower_bound


def test_repair_and_fill_give_a_valid_start_even_without_restricted_flows():
    """From the flow's own broken assignment, repair and fill alone give a valid one."""
    state = run(started(), repair_and_fill)
    assert valid(state)


def test_mending_the_trouble_spots_never_costs_more():
    """The MIP around the broken unit starts from the valid start and never ends above it."""
    state = run(started(), restricted_flows, repair_and_fill)
    before = state.objective()
    mend_trouble_spots(state)
    assert valid(state) and state.objective() <= before + 1e-9


def test_kept_pairs_include_every_pair_in_use_and_every_stay():
    """Reduced-cost fixing never drops the assignment's own pairs or an occupant's stay."""
    state = run(started(), restricted_flows, repair_and_fill)
    keep = kept_pairs(state)
    assert keep[state.pair_of[state.pair_of >= 0]].all()
    assert keep[state.cand.pair_stay].all()


def test_lp_bound_runs_only_for_large_models_and_stays_below_the_optimum():
    """With the default size the LP is skipped; forced on, its bound lies between the flow bound
    and the optimum, and the LP-guided MIP keeps the assignment valid."""
    optimum, _ = brute_force(spread_week())
    small = run(started(), restricted_flows, repair_and_fill, lp_bound_for_large_models)
    assert small.stats.lp_bound is None and small.lp_values is None
    forced = run(started(large_model_columns=0), restricted_flows, repair_and_fill, lp_bound_for_large_models)
    assert forced.stats.lp_bound is not None
    assert forced.flow.lower_bound <= forced.bound <= optimum + 1e-6
    before = forced.objective()
    lp_guided_neighbourhood(forced)
    assert valid(forced) and forced.objective() <= before + 1e-9


def test_full_mip_proves_the_optimum_of_a_small_week():
    """Fixing leaves a small model: the MIP proves the brute-force optimum; no further search."""
    optimum, _ = brute_force(spread_week())
    state = run(started(), restricted_flows, repair_and_fill, shrink_by_neighbourhoods, full_mip)
    assert state.mip_optimal is True and state.stats.neighbourhoods == 0
    assert state.objective() == pytest.approx(optimum, abs=1e-6)
    assert state.bound == pytest.approx(optimum, abs=1e-6)
    improve_after_mip(state)
    assert state.stats.neighbourhoods == 0


def test_a_model_too_large_for_one_mip_is_searched_by_neighbourhoods():
    """When no model counts as small enough, neighbourhood MIPs run until the time is up and
    the full MIP is left out; the answer stays valid and is still the optimum here."""
    optimum, _ = brute_force(spread_week())
    state = run(started(time_limit=2.0, full_mip_pairs=0), restricted_flows, repair_and_fill,
                shrink_by_neighbourhoods, full_mip)
    assert state.stats.neighbourhoods >= 1 and state.stats.mip_columns is None
    assert valid(state) and state.objective() == pytest.approx(optimum, abs=1e-6)


def test_solve_runs_the_listed_stages(monkeypatch):
    """``solve`` is the list of stages: without them the relaxation's broken answer is what is
    left (INFEASIBLE), with them the optimum."""
    monkeypatch.setattr(matcher.solve, "STAGES", ())
    assert solve(spread_week(), time_limit=10.0).status == INFEASIBLE
    monkeypatch.setattr(matcher.solve, "STAGES", STAGES)
    result = solve(spread_week(), time_limit=10.0)
    assert result.status == OPTIMAL
    assert result.objective == pytest.approx(brute_force(spread_week())[0], abs=1e-6)


def test_the_stages_report_their_progress_in_order():
    """The progress function hears the stages in the order they run, ending with done."""
    heard = []
    solve(spread_week(), time_limit=10.0, progress=lambda p: heard.append(p["stage"]))
    assert heard[:3] == ["flow relaxation", "valid start", "trouble spots mended"]
    assert heard[-2:] == ["MIP", "done"]
