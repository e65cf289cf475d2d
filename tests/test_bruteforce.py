"""The exhaustive reference solver: known optima by hand, and agreement with the checker and
with a search that cuts nothing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

from bruteforce import brute_force, brute_force_naive, choices
from matcher.analysis.check import check
from matcher.instance import Weights
from strategies import GEMEENTE_POINTS, instances, make_instance, make_location, make_unit, make_youth

L_AMS = make_location("L1", "GM0363", lat=52.40, lon=4.90)
L_ZAAN = make_location("L2", "GM0479")
L_UTR = make_location("L3", "GM0344")
LOCATIONS = (L_AMS, L_ZAAN, L_UTR)


def solved(inst, expected):
    """brute_force finds exactly ``expected`` and reports the checker's objective for it."""
    objective, unit_of = brute_force(inst)
    report = check(inst, expected)
    assert report.ok, report.violations
    assert unit_of == expected
    assert objective == pytest.approx(report.objective, abs=1e-9)
    return objective


def test_empty_instance_costs_nothing():
    """No youths: the empty assignment, objective 0."""
    assert brute_force(make_instance(LOCATIONS, [make_unit("U1", "L1")], [])) == (0.0, {})


def test_the_only_place_goes_to_the_crisis():
    """One place, two youths: the crisis (urgency 3) is placed, the regulier youth waits."""
    inst = make_instance(LOCATIONS, [make_unit("U1", "L1")], [make_youth("Y1"), make_youth("Y2", urgency=3)])
    objective = solved(inst, {"Y1": None, "Y2": "U1"})
    assert objective == pytest.approx(1000.0 + check(inst, {"Y1": None, "Y2": "U1"}).outcomes[1].cost)


def test_nearest_fitting_unit_wins():
    """With room everywhere, each youth goes to its cheapest fitting unit (Amsterdam, not Utrecht)."""
    units = [make_unit("U1", "L3"), make_unit("U2", "L1"), make_unit("U3", "L1", gender="meisjes")]
    inst = make_instance(LOCATIONS, units, [make_youth("Y1"), make_youth("Y2", gender="v")])
    solved(inst, {"Y1": "U2", "Y2": "U3"})


def test_new_siblings_go_together_to_the_location_with_room_for_both():
    """Two new siblings: Amsterdam has one place, Zaanstad two, so both go to Zaanstad."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2", capacity=2)]
    youths = [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")]
    solved(make_instance(LOCATIONS, units, youths), {"Y1": "U2", "Y2": "U2"})


def test_new_siblings_without_room_for_both_wait_together():
    """Two new siblings and one place anywhere: neither is placed."""
    youths = [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")]
    objective = solved(make_instance(LOCATIONS, [make_unit("U1", "L1")], youths), {"Y1": None, "Y2": None})
    assert objective == 2000.0


def test_conflict_pair_is_split_over_units():
    """Two youths in conflict and a unit for two: one of them goes to the farther unit."""
    units = [make_unit("U1", "L1", capacity=2), make_unit("U2", "L3")]
    youths = [make_youth("Y1"), make_youth("Y2", home_gemeente="GM0344")]
    inst = make_instance(LOCATIONS, units, youths, conflicts=[("Y1", "Y2")])
    solved(inst, {"Y1": "U1", "Y2": "U2"})


def test_one_youth_gives_up_its_nearest_unit_when_that_is_cheaper_in_total():
    """Both youths are nearest to U1 (one place). Y2 loses more by going to U2 (about 7 km)
    than Y1 does (about 4.5 km), so Y1 takes U2: 5.9 + 5.2 km beats 1.4 + 12.4 km."""
    l1 = make_location("L1", "GM0363", lat=52.40, lon=4.90)
    l2 = make_location("L2", "GM0363", lat=52.42, lon=4.80)
    youths = [make_youth("Y1", home_lat=52.40, home_lon=4.88), make_youth("Y2", home_lat=52.38, home_lon=4.97)]
    inst = make_instance([l1, l2], [make_unit("U1", "L1"), make_unit("U2", "L2")], youths)
    objective = solved(inst, {"Y1": "U2", "Y2": "U1"})
    assert objective < check(inst, {"Y1": "U1", "Y2": "U2"}).objective


def test_age_spread_exactly_at_the_limit_is_used():
    """An occupant of 12 and a newcomer of 15 fit a unit with max_age_spread 3; at 16 they would not."""
    units = [make_unit("U1", "L1", capacity=2, max_age_spread=3), make_unit("U2", "L3")]
    for age, expected in ((15, "U1"), (16, "U2")):
        youths = [make_youth("Y1", age=12, current_unit_id="U1"), make_youth("Y2", age=age)]
        solved(make_instance(LOCATIONS, units, youths), {"Y1": "U1", "Y2": expected})


@pytest.mark.parametrize("allow_moves", [True, False])
def test_a_move_makes_room_for_a_crisis(allow_moves):
    """Only U1 takes a 14-year-old; its 17-year-old occupant also fits U2. With moves allowed,
    moving the occupant (500) is cheaper than leaving the crisis unplaced (4000)."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2", age_min=16)]
    youths = [make_youth("Y1", age=17, current_unit_id="U1"), make_youth("Y2", age=14, urgency=3)]
    inst = make_instance(LOCATIONS, units, youths, allow_moves=allow_moves)
    if allow_moves:
        objective = solved(inst, {"Y1": "U2", "Y2": "U1"})
        moved = check(inst, {"Y1": "U2", "Y2": "U1"}).outcomes[0]
        assert moved.status == "moved" and moved.cost > 500.0
        assert objective < 4000.0
    else:
        assert solved(inst, {"Y1": "U1", "Y2": None}) == 4000.0


def test_a_move_is_not_made_when_it_costs_more_than_waiting():
    """With a move weight above the unplaced cost, the occupant stays and the new youth waits."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2", age_min=16)]
    youths = [make_youth("Y1", age=17, current_unit_id="U1"), make_youth("Y2", age=14)]
    inst = make_instance(LOCATIONS, units, youths, allow_moves=True, weights=Weights(move=5000.0))
    assert solved(inst, {"Y1": "U1", "Y2": None}) == 1000.0


def test_split_occupant_siblings_without_room_is_infeasible():
    """Occupant siblings at two locations with every unit full: no move can reunite them."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2")]
    youths = [make_youth("Y1", sibling_group="S1", current_unit_id="U1"),
              make_youth("Y2", sibling_group="S1", current_unit_id="U2")]
    assert brute_force(make_instance(LOCATIONS, units, youths, allow_moves=True)) == (math.inf, {})


def test_choices_keep_only_units_that_rules_1_to_6_allow():
    """A new youth may wait or go to a fitting unit; a jongens unit is no choice for a girl."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1", gender="jongens")]
    inst = make_instance(LOCATIONS, units, [make_youth("Y1", gender="v")])
    assert [u for _, u in choices(inst, inst.youths[0])] == ["U1", None]


@settings(max_examples=150, deadline=None)
@given(instances(max_youths=7))
def test_brute_force_answer_passes_the_checker(inst):
    """On generated instances the optimum exists, passes the checker, and has its objective."""
    objective, unit_of = brute_force(inst)
    report = check(inst, unit_of)
    assert report.ok, report.violations
    assert objective == report.objective
    stay_home = check(inst, {y.youth_id: y.current_unit_id for y in inst.youths})
    assert objective <= stay_home.objective + 1e-9


@settings(max_examples=100, deadline=None)
@given(instances(max_youths=4))
def test_cutting_branches_loses_no_optimum(inst):
    """The fast search finds the same optimum as trying every unit for every youth."""
    fast, _ = brute_force(inst)
    slow, _ = brute_force_naive(inst)
    assert fast == pytest.approx(slow, abs=1e-6)


def test_generated_points_are_in_their_gemeenten_regions():
    """The strategy's gemeente points carry real codes of the shipped region map."""
    inst = make_instance([make_location(f"L{i}", g) for i, g in enumerate(GEMEENTE_POINTS)], [], [])
    assert all(loc.gemeente in inst.regions.jeugdregio_of for loc in inst.locations)
