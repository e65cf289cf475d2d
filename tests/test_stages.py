"""The solving stages, one at a time, on weeks whose relaxation breaks a side rule.

Every stage takes the search state and leaves it no worse: the assignment stays valid once it
is, its objective never rises, and the bound stays between the flow bound and the optimum.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings

import matcher.solver.solve
from assignments import assigned_weeks, decided_from_now, unit_ids_of
from bruteforce import brute_force
from matcher.analysis.check import check
from matcher.solver.feasibility import objective_of, unit_of
from matcher.solver.params import SolveParams
from matcher.solver.repair import repair
from matcher.result import INFEASIBLE, OPTIMAL
from matcher.solver.search import SearchState, start_search
from matcher.solver.solve import STAGES, solve
from matcher.solver.stages import (
    dropped_pairs_bound,
    full_mip,
    improve_after_mip,
    kept_pairs,
    side_rule_lp,
    lp_guided_neighbourhood,
    lp_restricted_mip,
    repair_and_fill,
    restricted_flows,
    shrink_by_neighbourhoods,
)
from strategies import instances, make_instance, make_location, make_unit, make_youth


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


def test_kept_pairs_include_every_pair_in_use_and_every_stay():
    """Reduced-cost fixing never drops the assignment's own pairs or an occupant's stay."""
    state = run(started(), restricted_flows, repair_and_fill)
    keep = kept_pairs(state)
    assert keep[state.pair_of[state.pair_of >= 0]].all()
    assert keep[state.cand.pair_stay].all()


def test_side_rule_lp_bound_lies_between_the_flow_bound_and_the_optimum():
    """The side-rule LP runs at every size; its bound lies between the flow bound and the
    optimum, and its reduced costs fix pairs without losing the optimum."""
    optimum, _ = brute_force(spread_week())
    state = run(started(), restricted_flows, repair_and_fill, side_rule_lp)
    assert state.stats.lp_bound is not None and state.lp is not None
    assert state.flow.lower_bound <= state.bound <= optimum + 1e-6
    keep = kept_pairs(state)
    assert min(dropped_pairs_bound(state, keep), np.inf) >= state.bound - 1e-6


def test_the_lp_guided_mip_runs_only_for_large_models():
    """With the default size the LP-guided MIP is skipped; forced on, it keeps the assignment
    valid and never costs more."""
    small = run(started(), restricted_flows, repair_and_fill, side_rule_lp, lp_guided_neighbourhood)
    assert small.stats.lp_guided_youths is None
    forced = run(started(large_model_columns=0), restricted_flows, repair_and_fill, side_rule_lp)
    forced.bound = forced.flow.lower_bound  # as if the LP had not proven the optimum
    before = forced.objective()
    lp_guided_neighbourhood(forced)
    assert forced.stats.lp_guided_youths is not None
    assert valid(forced) and forced.objective() <= before + 1e-9


def pairs_of(state: SearchState, unit_of_id: dict[str, str | None]) -> np.ndarray:
    """The candidate pair of every movable youth in an assignment by ids (-1: unplaced)."""
    cand, inst = state.cand, state.instance
    unit_index = {u.unit_id: i for i, u in enumerate(inst.units)}
    out = np.full(len(inst.youths), -1, dtype=np.int64)
    for y in cand.movable.tolist():
        unit = unit_of_id.get(inst.youths[y].youth_id)
        if unit is not None:
            hit = np.flatnonzero((cand.pair_youth == y) & (cand.pair_unit == unit_index[unit]))
            out[y] = hit[0]
    return out


@settings(max_examples=200, deadline=None)
@given(assigned_weeks())
def test_every_valid_assignment_costs_what_both_reduced_costs_promise(week):
    """Any valid assignment costs at least flow bound + the flow reduced cost of each of its
    pairs, and (using only the LP's pairs) LP value + each LP reduced cost; one that uses a
    dropped pair costs at least what fixing claims for the dropped pairs."""
    instance, _, _, random_pairs = week
    state = run(started(instance), restricted_flows, repair_and_fill, side_rule_lp)
    pair_of = repair(state.rules, random_pairs)
    assume(not state.rules.violations(pair_of))
    used = pair_of[pair_of >= 0]
    cost = objective_of(state.cand, pair_of)
    assert cost >= state.flow.lower_bound + state.flow.reduced_cost[used].max(initial=0.0) - 1e-6
    if state.lp is not None and np.isfinite(state.lp.reduced_cost[used]).all():
        assert cost >= state.lp.value + state.lp.reduced_cost[used].max(initial=0.0) - 1e-6
    keep = kept_pairs(state)
    if not keep[used].all():
        assert cost >= dropped_pairs_bound(state, keep) - 1e-6


@settings(max_examples=150, deadline=None)
@given(instances(max_youths=7))
def test_fixing_by_both_reduced_costs_loses_no_better_assignment(instance):
    """Every pair of an optimal assignment is kept after the side-rule LP, or the bound that
    fixing claims for the dropped pairs is not above the optimum; the LP bound is not either."""
    optimum, best = brute_force(instance)
    assume(math.isfinite(optimum))
    state = run(started(instance), restricted_flows, repair_and_fill, side_rule_lp)
    assert state.bound <= optimum + 1e-6
    keep = kept_pairs(state)
    chosen = pairs_of(state, best)
    if not keep[chosen[chosen >= 0]].all():
        assert dropped_pairs_bound(state, keep) <= optimum + 1e-6


@settings(max_examples=100, deadline=None)
@given(instances(max_youths=7))
def test_the_lp_restricted_mip_keeps_a_valid_answer_and_a_true_bound(instance):
    """Forced on (any size, at most two pairs by the cap, from the current situation, the LP's
    proof set aside), the MIP over the pairs of small LP reduced cost keeps the assignment valid and
    never dearer, and its bound (that MIP's, capped by what the other pairs promise) is never
    above the optimum."""
    optimum, _ = brute_force(instance)
    assume(math.isfinite(optimum))
    state = started(instance, restricted_mip_min_pairs=-1, restricted_mip_pairs=2)
    _, state.pair_of = decided_from_now(instance, state.cand)  # from the current situation
    assume(valid(state))
    side_rule_lp(state)
    state.bound = state.flow.lower_bound
    assume(state.lp is not None and not state.proven())
    before = state.objective()
    lp_restricted_mip(state)
    assert state.stats.restricted_mip_columns is not None
    assert valid(state) and state.objective() <= before + 1e-9
    assert state.bound <= optimum + 1e-6


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
    monkeypatch.setattr(matcher.solver.solve, "STAGES", ())
    assert solve(spread_week(), time_limit=10.0).status == INFEASIBLE
    monkeypatch.setattr(matcher.solver.solve, "STAGES", STAGES)
    result = solve(spread_week(), time_limit=10.0)
    assert result.status == OPTIMAL
    assert result.objective == pytest.approx(brute_force(spread_week())[0], abs=1e-6)


def test_the_stages_report_their_progress_in_order():
    """The progress function hears the stages in the order they run, ending with done; here the
    side-rule LP already proves the optimum, so no MIP follows it."""
    heard = []
    solve(spread_week(), time_limit=10.0, progress=lambda p: heard.append(p["stage"]))
    assert heard[:3] == ["flow relaxation", "valid start", "LP bound"]
    assert heard[-2:] == ["LP bound", "done"]
