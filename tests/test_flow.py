"""The transportation relaxation (min-cost flow): a proven lower bound, unit prices that never
make a pair look cheaper than it can be, and places counted as the instance format counts them.

The claims are checked against every valid assignment of tiny generated instances, found by
exhaustive enumeration through the independent checker.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings

from bruteforce import brute_force, choices
from matcher.solver.candidates import build_candidates
from matcher.analysis.check import check
from matcher.solver.feasibility import objective_of
from matcher.solver.flow import SCALE, solve_transportation, unit_room
from strategies import instances, make_instance, make_location, make_unit, make_youth

#: Rounding of costs to thousandths costs at most this much per decided youth.
ROUNDING = 1.0 / SCALE


def valid_assignments(instance) -> list[tuple[float, dict[str, str | None]]]:
    """Every assignment the checker accepts, with its objective (tiny instances only)."""
    options = [[u for _, u in choices(instance, y)] for y in instance.youths]
    out = []
    for combination in itertools.product(*options):
        unit_of = {y.youth_id: u for y, u in zip(instance.youths, combination)}
        report = check(instance, unit_of)
        if report.ok:
            out.append((report.objective, unit_of))
    return out


def flow_of(instance):
    cand = build_candidates(instance)
    return cand, solve_transportation(instance, cand, with_reduced_costs=True)


@settings(max_examples=80)
@given(instances())
def test_flow_bound_is_never_above_the_optimum(instance):
    """The relaxation drops the side rules, so no valid assignment costs less than its bound."""
    _, flow = flow_of(instance)
    optimum, _ = brute_force(instance)
    assert flow.lower_bound <= optimum + 1e-9


@settings(max_examples=60)
@given(instances(max_youths=4))
def test_reduced_cost_fixing_never_cuts_off_a_better_assignment(instance):
    """Any valid assignment that puts youth y in unit u costs at least the bound plus the reduced
    cost of that pair, so a pair whose reduced cost exceeds (best known - bound) may safely be
    dropped. Reduced costs are never negative beyond the rounding allowance they carry (one
    thousandth of a point per decided youth, taken off to stay on the safe side)."""
    cand, flow = flow_of(instance)
    assert flow.reduced_cost.shape == (cand.n_pairs,)
    assert np.all(flow.reduced_cost >= 0.0)
    best_with: dict[tuple[str, str], float] = {}
    for objective, unit_of in valid_assignments(instance):
        for youth_id, unit_id in unit_of.items():
            if unit_id is not None:
                key = (youth_id, unit_id)
                best_with[key] = min(best_with.get(key, math.inf), objective)
    for p in range(cand.n_pairs):
        key = (instance.youths[cand.pair_youth[p]].youth_id, instance.units[cand.pair_unit[p]].unit_id)
        if key in best_with:
            assert best_with[key] >= flow.lower_bound + flow.reduced_cost[p] - 1e-6, key


@settings(max_examples=60)
@given(instances())
def test_flow_assignment_fits_the_places_and_costs_its_bound(instance):
    """The flow's own answer uses each unit at most up to the places it offers, gives each decided
    youth at most one of its own pairs, and costs its bound up to the rounding of costs."""
    cand, flow = flow_of(instance)
    room = unit_room(instance, cand)
    chosen = flow.pair_of[flow.pair_of >= 0]
    assert np.all(cand.pair_youth[chosen] == np.flatnonzero(flow.pair_of >= 0))
    load = np.bincount(cand.pair_unit[chosen], minlength=len(instance.units))
    assert np.all(load <= room)
    cost = objective_of(cand, flow.pair_of)
    assert flow.lower_bound <= cost + 1e-9
    assert cost - flow.lower_bound <= ROUNDING * max(1, cand.movable.size)


def test_without_side_rules_the_flow_is_the_optimum():
    """Two youths, two single places: the flow crosses them over when that is cheaper in total,
    exactly as the brute-force optimum does."""
    inst = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1"), make_unit("U2", "L2")],
        [make_youth("Y1", "GM0363"), make_youth("Y2", "GM0344")],
    )
    cand, flow = flow_of(inst)
    units = {inst.youths[cand.pair_youth[p]].youth_id: inst.units[cand.pair_unit[p]].unit_id
             for p in flow.pair_of.tolist()}
    optimum, best = brute_force(inst)
    assert units == best == {"Y1": "U1", "Y2": "U2"}
    assert optimum - ROUNDING <= flow.lower_bound <= optimum


def test_reduced_costs_price_the_detours_of_a_crowded_week():
    """Four youths from three cities compete for three places: every detour a planner could force
    (this youth in that unit) costs at least what its reduced cost promises, and the reduced costs
    do single out the expensive detours (they are not all zero)."""
    inst = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0344"), make_location("L3", "GM0599")],
        [make_unit("U1", "L1"), make_unit("U2", "L2"), make_unit("U3", "L3")],
        [make_youth("Y1", "GM0363"), make_youth("Y2", "GM0362", urgency=2),
         make_youth("Y3", "GM0344"), make_youth("Y4", "GM0307", waiting_weeks=4)],
    )
    cand, flow = flow_of(inst)
    assignments = valid_assignments(inst)
    assert flow.lower_bound <= min(obj for obj, _ in assignments)
    for p in range(cand.n_pairs):
        youth_id = inst.youths[cand.pair_youth[p]].youth_id
        unit_id = inst.units[cand.pair_unit[p]].unit_id
        forced = min(obj for obj, unit_of in assignments if unit_of[youth_id] == unit_id)
        assert forced >= flow.lower_bound + flow.reduced_cost[p] - 1e-6, (youth_id, unit_id)
    assert np.count_nonzero(flow.reduced_cost > 1.0) >= 4


def test_occupants_who_stay_take_their_places_first():
    """Without moves, a unit of three places with two occupants offers one place to new youths."""
    inst = make_instance(
        [make_location()],
        [make_unit("U1", capacity=3)],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"), make_youth("Y3")],
    )
    assert unit_room(inst, build_candidates(inst)).tolist() == [1]


def test_a_unit_whose_occupants_break_a_rule_offers_no_place():
    """Without moves, a unit whose occupants alone are too far apart in age takes nobody new,
    even with free places."""
    inst = make_instance(
        [make_location()],
        [make_unit("U1", capacity=4, max_age_spread=2)],
        [make_youth("Y1", age=12, current_unit_id="U1"), make_youth("Y2", age=17, current_unit_id="U1"),
         make_youth("Y3", age=13)],
    )
    assert unit_room(inst, build_candidates(inst)).tolist() == [0]


def test_with_moves_an_over_full_unit_keeps_room_for_its_occupants():
    """With moves allowed, a unit with three occupants and two places may hold all three in the
    relaxation (staying is always allowed while it receives nobody)."""
    inst = make_instance(
        [make_location()],
        [make_unit("U1", capacity=2), make_unit("U2", capacity=1)],
        [make_youth(f"Y{i}", current_unit_id="U1") for i in (1, 2, 3)],
        allow_moves=True,
    )
    assert unit_room(inst, build_candidates(inst)).tolist() == [3, 1]


def test_closed_pairs_are_not_used_and_the_bound_is_of_the_restriction():
    """Closing a youth's cheapest pair sends it to its next option, and the bound rises to that."""
    inst = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362")],
        [make_unit("U1", "L1"), make_unit("U2", "L2")],
        [make_youth("Y1", "GM0363")],
    )
    cand = build_candidates(inst)
    open_flow = solve_transportation(inst, cand)
    allowed = cand.pair_unit != 0
    closed_flow = solve_transportation(inst, cand, allowed=allowed)
    assert cand.pair_unit[open_flow.pair_of[0]] == 0
    assert cand.pair_unit[closed_flow.pair_of[0]] == 1
    assert math.isclose(closed_flow.lower_bound, cand.pair_cost[cand.pair_unit == 1][0], abs_tol=ROUNDING)
    assert closed_flow.lower_bound > open_flow.lower_bound
