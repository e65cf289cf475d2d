"""The solver, one tiny hand-built week per rule and per objective term.

Every week goes through the real solver (``matcher.solver.solve.solve``); every answer must pass the
independent checker, cost exactly what the checker says, and carry a bound not above its
objective. A rule is shown allowed and refused; a refused unit is made the cheapest option, so
that a solver ignoring the rule would take it. Costs are worked out here by hand.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from bruteforce import brute_force
from matcher.analysis.check import check
from matcher.instance import Weights
from matcher.input.source import read_instance
from matcher.result import OPTIMAL, Result
from matcher.solver.solve import solve
from strategies import GEMEENTE_POINTS, make_instance, make_location, make_unit, make_youth

#: Locations at the points of their gemeente (youths at home in Amsterdam are 0 km from L_AMS).
L_AMS = make_location("L_AMS", "GM0363")  # Amsterdam, JZ13, bovenregio Noord-Holland
L_AMV = make_location("L_AMV", "GM0362")  # Amstelveen, JZ13: about 10 km, own jeugdregio
L_ZAA = make_location("L_ZAA", "GM0479")  # Zaanstad, JZ09: about 12 km, same bovenregio
L_UTR = make_location("L_UTR", "GM0344")  # Utrecht, JZ22, Midden-Nederland: about 36 km
L_GRO = make_location("L_GRO", "GM0014")  # Groningen, JZ01, Noord-Nederland: about 148 km
L_MAA = make_location("L_MAA", "GM0935")  # Maastricht, JZ41, Limburg: about 178 km
LOCATIONS = (L_AMS, L_AMV, L_ZAA, L_UTR, L_GRO, L_MAA)

#: Somebody else's week in Groningen, so that the solver always has at least one pair to
#: weigh; it never meets the youths under test (closed care, machtiging, other town).
BYSTANDER_UNIT = make_unit("U_B", "L_GRO", care_type="gesloten", setting="gesloten")
BYSTANDER = make_youth("B1", "GM0014", care_type="gesloten", min_setting="gesloten", machtiging=True)


def km_from_amsterdam(location, road_factor: float = 1.0) -> float:
    """The spec's distance from the Amsterdam home point, written out by hand."""
    lat1, lon1 = GEMEENTE_POINTS["GM0363"]
    phi1, phi2 = math.radians(lat1), math.radians(location.lat)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(
        math.radians(location.lon - lon1) / 2
    ) ** 2
    return road_factor * 2 * 6371.0088 * math.asin(math.sqrt(h))


#: The reasons asserted here are the English ones (tests/test_reasons.py has both languages).
MATCHER_LANG = "en"


def week(units, youths, conflicts=(), **settings):
    """An instance on the locations above; keyword arguments go to the settings."""
    return make_instance(LOCATIONS, units, youths, conflicts, **settings)


def solved(instance) -> Result:
    """Solve, and hold the answer to the checker: valid, same objective, sound bound, a reason
    for every unplaced youth and for nobody else."""
    result = solve(instance, time_limit=20.0)
    report = check(instance, result.unit_of)
    assert result.is_feasible(), result.status
    assert report.ok, report.violations
    assert math.isclose(result.objective, report.objective, rel_tol=1e-6, abs_tol=1e-6)
    assert result.best_bound <= result.objective + 1e-9
    assert set(result.unit_of) == {y.youth_id for y in instance.youths}
    unplaced = {y for y, u in result.unit_of.items() if u is None}
    assert set(result.reasons) == unplaced
    assert all(text.strip() for text in result.reasons.values())
    return result


def cost(value: float):
    return pytest.approx(value, rel=1e-9, abs=1e-6)


def status_of(instance, result, youth_id):
    return next(o.status for o in check(instance, result.unit_of).outcomes if o.youth_id == youth_id)


# --- rule 1: care type ---------------------------------------------------------------------------


def test_own_care_type_is_placed_at_no_extra_cost():
    """A driemilieu youth in a driemilieu unit in its own town pays nothing."""
    result = solved(week([make_unit("U1", "L_AMS")], [make_youth("Y1")]))
    assert result.unit_of == {"Y1": "U1"}
    assert result.objective == cost(0.0)


def test_other_care_type_is_refused_even_when_nearest():
    """An intensieve_ggz unit next door does not help a driemilieu youth who does not accept it:
    the youth goes to the driemilieu unit in Zaanstad (12 km, other jeugdregio)."""
    inst = week([make_unit("U1", "L_AMS", "intensieve_ggz"), make_unit("U2", "L_ZAA")], [make_youth("Y1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2"}
    assert result.objective == cost(km_from_amsterdam(L_ZAA) + 30.0)


def test_alternative_care_type_costs_per_position():
    """eetstoornis care is the youth's second acceptable alternative: 2 x 40 points."""
    youth = make_youth("Y1", alt_care_types=("intensieve_ggz", "eetstoornis"))
    result = solved(week([make_unit("U1", "L_AMS", "eetstoornis")], [youth]))
    assert result.unit_of == {"Y1": "U1"}
    assert result.objective == cost(80.0)


def test_alternative_care_type_takes_the_units_distance_limit():
    """Maastricht is 178 km away: too far for a driemilieu unit (150 km), fine for an eetstoornis
    unit (250 km) that the driemilieu youth accepts as first alternative."""
    inst = week(
        [make_unit("U1", "L_MAA", "driemilieu"), make_unit("U2", "L_MAA", "eetstoornis")],
        [make_youth("Y1", alt_care_types=("eetstoornis",))],
    )
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2"}
    assert result.objective == cost(km_from_amsterdam(L_MAA) + 30.0 + 60.0 + 40.0)


def test_own_care_types_limit_does_not_stretch_to_an_alternative():
    """An eetstoornis youth (250 km) who accepts driemilieu care may not go to a driemilieu unit
    178 km away: that unit's limit is 150 km."""
    inst = week(
        [make_unit("U1", "L_MAA", "driemilieu"), BYSTANDER_UNIT],
        [make_youth("Y1", care_type="eetstoornis", alt_care_types=("driemilieu",)), BYSTANDER],
    )
    result = solved(inst)
    assert result.unit_of["Y1"] is None
    assert "within 150 km" in result.reasons["Y1"]


# --- rule 2: setting and machtiging -----------------------------------------------------------


def test_heavier_setting_costs_per_step():
    """A youth who can live gezinsgericht placed residentieel: two steps of 50 points."""
    result = solved(week([make_unit("U1", "L_AMS", setting="residentieel")], [make_youth("Y1", min_setting="gezinsgericht")]))
    assert result.unit_of == {"Y1": "U1"}
    assert result.objective == cost(100.0)


def test_lighter_setting_than_needed_is_refused():
    """A youth who needs at least residentieel care is not put in the kleinschalig unit next
    door; it goes to the residentieel unit in Zaanstad."""
    inst = week([make_unit("U1", "L_AMS", setting="kleinschalig"), make_unit("U2", "L_ZAA")],
                [make_youth("Y1", min_setting="residentieel")])
    assert solved(inst).unit_of == {"Y1": "U2"}


@pytest.mark.parametrize(("machtiging", "unit"), [(True, "U1"), (False, "U2")])
def test_closed_unit_needs_a_machtiging(machtiging, unit):
    """The gesloten unit next door (one step heavier: 50 points) is the cheapest, but only a youth
    with a machtiging may enter it; without one the youth goes to Utrecht."""
    inst = week(
        [make_unit("U1", "L_AMS", "gesloten", "gesloten"), make_unit("U2", "L_UTR", "gesloten", "residentieel")],
        [make_youth("Y1", care_type="gesloten", min_setting="residentieel", machtiging=machtiging)],
    )
    result = solved(inst)
    assert result.unit_of == {"Y1": unit}
    expected = 50.0 if machtiging else km_from_amsterdam(L_UTR) + 30.0 + 60.0
    assert result.objective == cost(expected)


# --- rule 3: age ------------------------------------------------------------------------------


def test_age_limits_are_inclusive():
    """A 12-year-old and an 18-year-old both fit a unit for ages 12 to 18."""
    inst = week([make_unit("U1", "L_AMS", capacity=2, age_min=12, age_max=18)],
                [make_youth("Y1", age=12), make_youth("Y2", age=18)])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U1"}
    assert result.objective == cost(0.0)


def test_age_outside_the_range_is_refused():
    """A 19-year-old does not enter the 12-18 unit next door; the 0-23 unit in Zaanstad takes him."""
    inst = week([make_unit("U1", "L_AMS", age_min=12, age_max=18), make_unit("U2", "L_ZAA", age_min=0, age_max=23)],
                [make_youth("Y1", age=19)])
    assert solved(inst).unit_of == {"Y1": "U2"}


# --- rule 4: gender ---------------------------------------------------------------------------


def test_jongens_and_meisjes_units_take_only_boys_and_girls():
    """A jongens unit in Amsterdam and a meisjes unit in Amstelveen; the boy lives in Amstelveen,
    the girl in Amsterdam. Swapping would cost nothing, but each goes to the unit for its gender."""
    inst = week(
        [make_unit("U1", "L_AMS", gender="jongens"), make_unit("U2", "L_AMV", gender="meisjes")],
        [make_youth("Y1", "GM0362", gender="m"), make_youth("Y2", gender="v")],
    )
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U2"}
    assert result.objective == cost(2 * km_from_amsterdam(L_AMV))


@pytest.mark.parametrize("unit_gender", ["jongens", "meisjes"])
def test_gender_x_goes_only_to_gemengd(unit_gender):
    """A youth of gender x passes the single-gender unit next door and goes to the gemengd unit
    in Zaanstad."""
    inst = week([make_unit("U1", "L_AMS", gender=unit_gender), make_unit("U2", "L_ZAA", gender="gemengd")],
                [make_youth("Y1", gender="x")])
    assert solved(inst).unit_of == {"Y1": "U2"}


# --- rule 5: distance -------------------------------------------------------------------------


def test_care_type_distance_limit_refuses_a_far_unit():
    """Maastricht (178 km) is beyond the 150 km of driemilieu care: the youth stays unplaced,
    and the reason names the limit."""
    inst = week([make_unit("U1", "L_MAA"), BYSTANDER_UNIT], [make_youth("Y1"), BYSTANDER])
    result = solved(inst)
    assert result.unit_of["Y1"] is None
    assert "within 150 km" in result.reasons["Y1"]


def test_road_factor_counts_towards_the_limit():
    """Groningen is 148 km as the crow flies: inside 150 km, but with road factor 1.3 it is 192
    km by road and out of reach."""
    units = [make_unit("U1", "L_GRO"), BYSTANDER_UNIT]
    assert solved(week(units, [make_youth("Y1"), BYSTANDER])).unit_of["Y1"] == "U1"
    assert solved(week(units, [make_youth("Y1"), BYSTANDER], road_factor=1.3)).unit_of["Y1"] is None


def test_youths_own_max_km_is_tighter():
    """With max_km 12 the Zaanstad unit (12.2 km) is out of reach, though it is the cheapest
    (no jeugdregio weights here): the youth takes the Amstelveen unit one setting step heavier."""
    weights = Weights(outside_jeugdregio=0.0, outside_bovenregio=0.0)
    units = [make_unit("U1", "L_ZAA"), make_unit("U2", "L_AMV", setting="gesloten", care_type="driemilieu")]
    free = solved(week(units, [make_youth("Y1", machtiging=True)], weights=weights))
    assert free.unit_of == {"Y1": "U1"}
    bound = solved(week(units, [make_youth("Y1", machtiging=True, max_km=12.0)], weights=weights))
    assert bound.unit_of == {"Y1": "U2"}
    assert bound.objective == cost(km_from_amsterdam(L_AMV) + 50.0)


def test_youths_own_max_km_may_reach_further():
    """A youth with max_km 200 may go to Maastricht (178 km), beyond the care type's 150 km."""
    inst = week([make_unit("U1", "L_MAA")], [make_youth("Y1", max_km=200.0)])
    assert solved(inst).unit_of == {"Y1": "U1"}


# --- rule 6: excluded locations ---------------------------------------------------------------


def test_excluded_location_is_never_used():
    """The unit next door is at a location the youth must not go to: it goes to Amstelveen."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_AMV")], [make_youth("Y1", excluded_locations=("L_AMS",))])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2"}
    assert result.objective == cost(km_from_amsterdam(L_AMV))


# --- capacity and occupants -------------------------------------------------------------------


def test_capacity_counts_the_occupants():
    """Two places, one held by an occupant: of two new youths the more urgent one gets the place,
    the other is unplaced because the only fitting unit is full."""
    inst = week([make_unit("U1", "L_AMS", capacity=2)],
                [make_youth("Y1", current_unit_id="U1"), make_youth("Y2"), make_youth("Y3", urgency=2)])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": None, "Y3": "U1"}
    assert result.objective == cost(1000.0)
    assert "full" in result.reasons["Y2"]


def crisis_behind_an_occupant(allow_moves: bool):
    """U1 (ages 12-15, one place) holds a 15-year-old; a 14-year-old crisis youth fits only U1;
    the occupant would also fit the unit in Utrecht."""
    return week(
        [make_unit("U1", "L_AMS", age_min=12, age_max=15), make_unit("U2", "L_UTR", age_min=15, age_max=18)],
        [make_youth("Y1", age=15, current_unit_id="U1"), make_youth("Y2", age=14, urgency=3)],
        allow_moves=allow_moves,
    )


def test_occupants_stay_when_moves_are_not_allowed():
    """Without allow_moves the occupant stays (cost 0) and the crisis youth waits (4000 points)."""
    inst = crisis_behind_an_occupant(allow_moves=False)
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": None}
    assert result.objective == cost(4000.0)
    assert status_of(inst, result, "Y1") == "stays"


def test_an_occupant_moves_when_that_is_worth_its_cost():
    """With allow_moves the occupant moves to Utrecht (500 for the move + 36 km + 90 for leaving
    jeugdregio and bovenregio) so the crisis youth gets the place next door."""
    inst = crisis_behind_an_occupant(allow_moves=True)
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2", "Y2": "U1"}
    assert result.objective == cost(500.0 + km_from_amsterdam(L_UTR) + 30.0 + 60.0)
    assert status_of(inst, result, "Y1") == "moved"


def test_a_move_is_not_made_for_nothing():
    """With allow_moves but nobody waiting, nobody moves: every move costs."""
    inst = week([make_unit("U1", "L_UTR"), make_unit("U2", "L_AMS")], [make_youth("Y1", current_unit_id="U1")],
                allow_moves=True)
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1"} and result.objective == cost(0.0)


def test_occupant_who_no_longer_fits_stays():
    """An occupant who turned 19 in a 12-18 unit stays there at no cost: staying is accepted as is."""
    inst = week([make_unit("U1", "L_AMS", age_min=12, age_max=18)], [make_youth("Y1", age=19, current_unit_id="U1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1"} and result.objective == cost(0.0)


def test_over_full_unit_that_receives_nobody_is_fine():
    """U1 has two occupants for one place; that is accepted as long as it takes nobody new. The
    new youth next door goes to Amstelveen instead."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_AMV")],
                [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"), make_youth("Y3")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U1", "Y3": "U2"}


def test_over_full_unit_takes_someone_once_occupants_moved_out():
    """U1 (girls and boys, 2 places) holds three boys; a crisis girl fits only U1. With moves, two
    boys move to the boys' unit in Amstelveen (2 x (500 + 10 km)), then she gets in."""
    inst = week(
        [make_unit("U1", "L_AMS", capacity=2), make_unit("U2", "L_AMV", capacity=2, gender="jongens")],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"),
         make_youth("Y3", current_unit_id="U1"), make_youth("Y4", gender="v", urgency=3)],
        allow_moves=True,
    )
    result = solved(inst)
    assert result.unit_of["Y4"] == "U1"
    assert sorted(result.unit_of[y] for y in ("Y1", "Y2", "Y3")) == ["U1", "U2", "U2"]
    assert result.objective == cost(2 * (500.0 + km_from_amsterdam(L_AMV)))


# --- contra-indications -----------------------------------------------------------------------


def test_contra_indicated_occupants_may_stay_together():
    """Two occupants with a contra-indication may stay in their unit while it receives nobody."""
    inst = week([make_unit("U1", "L_AMS", capacity=3), make_unit("U2", "L_AMV")],
                [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"), make_youth("Y3")],
                conflicts=[("Y1", "Y2")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U1", "Y3": "U2"}


def test_new_youth_does_not_join_a_contra_indicated_occupant():
    """Y2 may not live with occupant Y1: it passes the free place next door for Amstelveen."""
    inst = week([make_unit("U1", "L_AMS", capacity=2), make_unit("U2", "L_AMV")],
                [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")], conflicts=[("Y2", "Y1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U2"}


def test_two_new_contra_indicated_youths_live_apart():
    """Two new youths with a contra-indication do not share the two-place unit next door; the
    less urgent goes to Amstelveen."""
    inst = week([make_unit("U1", "L_AMS", capacity=2), make_unit("U2", "L_AMV")],
                [make_youth("Y1", urgency=2), make_youth("Y2")], conflicts=[("Y1", "Y2")])
    result = solved(inst)
    assert result.unit_of["Y1"] != result.unit_of["Y2"]
    assert result.objective == cost(km_from_amsterdam(L_AMV))


# --- age spread -------------------------------------------------------------------------------


def test_age_spread_counts_every_resident():
    """U1 keeps its residents within two years, the occupant (16) included: the 15-year-old
    joins, the 13-year-old goes to Amstelveen."""
    inst = week([make_unit("U1", "L_AMS", capacity=3, max_age_spread=2), make_unit("U2", "L_AMV")],
                [make_youth("Y1", age=16, current_unit_id="U1"), make_youth("Y2", age=15), make_youth("Y3", age=13)])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U1", "Y2": "U1", "Y3": "U2"}


def test_age_spread_between_new_youths():
    """An empty unit with spread 3 cannot take a 12- and a 17-year-old together."""
    inst = week([make_unit("U1", "L_AMS", capacity=2, max_age_spread=3)],
                [make_youth("Y1", age=12), make_youth("Y2", age=17, urgency=2)])
    result = solved(inst)
    assert result.unit_of == {"Y1": None, "Y2": "U1"}
    assert result.objective == cost(1000.0)


# --- sibling groups ---------------------------------------------------------------------------


def test_siblings_go_together_rather_than_split():
    """One place next door, two in Utrecht: the siblings go to Utrecht together."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_UTR", capacity=2)],
                [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2", "Y2": "U2"}
    assert result.objective == cost(2 * (km_from_amsterdam(L_UTR) + 90.0))


def test_siblings_may_share_a_location_in_two_units():
    """One location, two units of one place each: the siblings live at the same location."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_AMS")],
                [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")])
    result = solved(inst)
    assert sorted(result.unit_of.values()) == ["U1", "U2"]


def test_siblings_are_placed_all_or_none():
    """Only one place for two siblings: both wait, and the reason names the sibling group."""
    inst = week([make_unit("U1", "L_AMS")],
                [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1", urgency=3)])
    result = solved(inst)
    assert result.unit_of == {"Y1": None, "Y2": None}
    assert result.objective == cost(5000.0)
    assert all("sibling group S1" in result.reasons[y] for y in ("Y1", "Y2"))


def test_occupant_sibling_pins_the_location():
    """A sister already lives in Utrecht: her brother goes there too, not next door."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_UTR", capacity=2)],
                [make_youth("Y1", gender="v", sibling_group="S1", current_unit_id="U2"),
                 make_youth("Y2", sibling_group="S1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2", "Y2": "U2"}


def test_occupant_sibling_at_a_full_location_leaves_the_new_one_waiting():
    """The sister's location has no free place: the brother waits rather than live elsewhere."""
    inst = week([make_unit("U1", "L_AMS"), make_unit("U2", "L_UTR")],
                [make_youth("Y1", gender="v", sibling_group="S1", current_unit_id="U2"),
                 make_youth("Y2", sibling_group="S1")])
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2", "Y2": None}
    assert "sibling group S1" in result.reasons["Y2"]


# --- the objective, term by term ----------------------------------------------------------------


def test_km_term_uses_road_factor_and_weight():
    """Amstelveen, own jeugdregio: cost = km weight 2 x road factor 1.3 x great-circle km."""
    inst = week([make_unit("U1", "L_AMV")], [make_youth("Y1")], road_factor=1.3, weights=Weights(km=2.0))
    assert solved(inst).objective == cost(2.0 * km_from_amsterdam(L_AMV, 1.3))


def test_outside_jeugdregio_term():
    """Zaanstad is another jeugdregio in the same bovenregio: only outside_jeugdregio is paid."""
    weights = Weights(km=0.0, outside_jeugdregio=7.0, outside_bovenregio=11.0)
    assert solved(week([make_unit("U1", "L_ZAA")], [make_youth("Y1")], weights=weights)).objective == cost(7.0)


def test_outside_bovenregio_term_comes_on_top():
    """Utrecht is another bovenregio: outside_jeugdregio plus outside_bovenregio."""
    weights = Weights(km=0.0, outside_jeugdregio=7.0, outside_bovenregio=11.0)
    assert solved(week([make_unit("U1", "L_UTR")], [make_youth("Y1")], weights=weights)).objective == cost(18.0)


def test_setting_step_term_uses_its_weight():
    """One step above min_setting at setting_step 13 costs 13."""
    inst = week([make_unit("U1", "L_AMS", setting="residentieel")], [make_youth("Y1", min_setting="kleinschalig")],
                weights=Weights(setting_step=13.0))
    assert solved(inst).objective == cost(13.0)


def test_alt_care_type_term_uses_its_weight():
    """The first alternative at alt_care_type 9 costs 9."""
    inst = week([make_unit("U1", "L_AMS", "eetstoornis")], [make_youth("Y1", alt_care_types=("eetstoornis",))],
                weights=Weights(alt_care_type=9.0))
    assert solved(inst).objective == cost(9.0)


def test_move_term_uses_its_weight():
    """A move next door at move weight 120: the crisis youth gets the occupant's place."""
    inst = week(
        [make_unit("U1", "L_AMS", age_min=12, age_max=15), make_unit("U2", "L_AMS", age_min=15)],
        [make_youth("Y1", age=15, current_unit_id="U1"), make_youth("Y2", age=14, urgency=3)],
        allow_moves=True, weights=Weights(move=120.0),
    )
    result = solved(inst)
    assert result.unit_of == {"Y1": "U2", "Y2": "U1"}
    assert result.objective == cost(120.0)


def test_unplaced_term_by_urgency_and_waiting_weeks():
    """Nobody fits: an urgency-2 youth waiting 3 weeks costs 2000 + 3 x 10, a crisis youth 4000,
    a regular youth waiting 5 weeks at 25 per week 1000 + 125."""
    weights = Weights(waiting_week=10.0)
    youths = [make_youth("Y1", urgency=2, waiting_weeks=3), make_youth("Y2", urgency=3), BYSTANDER]
    result = solved(week([BYSTANDER_UNIT], youths, weights=weights))
    assert result.objective == cost(2030.0 + 4000.0)
    other = Weights(waiting_week=25.0)
    result = solved(week([BYSTANDER_UNIT], [make_youth("Y1", waiting_weeks=5), BYSTANDER], weights=other))
    assert result.objective == cost(1125.0)


def test_all_terms_add_up():
    """Utrecht, one step heavier, first alternative care type: 36 km + 30 + 60 + 50 + 40."""
    inst = week([make_unit("U1", "L_UTR", "intensieve_ggz", "residentieel")],
                [make_youth("Y1", min_setting="kleinschalig", alt_care_types=("intensieve_ggz",))])
    assert solved(inst).objective == cost(km_from_amsterdam(L_UTR) + 30.0 + 60.0 + 50.0 + 40.0)


# --- the result itself ----------------------------------------------------------------------------


def test_empty_week_is_optimal_at_zero():
    """No youths at all: nothing to decide, OPTIMAL with objective 0."""
    result = solve(week([make_unit("U1", "L_AMS")], []))
    assert result.status == OPTIMAL
    assert result.objective == 0.0 and result.best_bound == 0.0
    assert result.unit_of == {} and result.reasons == {}


def test_bound_never_exceeds_objective_in_a_contested_week():
    """A week where side rules bind (siblings, spread, conflict): the bound stays at or below the
    objective, and the answer is proven optimal."""
    inst = week(
        [make_unit("U1", "L_AMS", capacity=2, max_age_spread=2), make_unit("U2", "L_AMV", capacity=2),
         make_unit("U3", "L_UTR", capacity=2)],
        [make_youth("Y1", age=13, sibling_group="S1"), make_youth("Y2", age=17, sibling_group="S1"),
         make_youth("Y3", age=15, urgency=2), make_youth("Y4", age=16), make_youth("Y5", age=14, urgency=3)],
        conflicts=[("Y3", "Y5")],
    )
    result = solved(inst)
    assert result.best_bound <= result.objective
    assert result.status == OPTIMAL


# --- reasons for the unplaced ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "youth", "words"),
    [
        ([make_unit("U1", "L_AMS")], make_youth("Y1", care_type="eetstoornis"), "there is no unit for eetstoornis-expertisezorg at all"),
        ([make_unit("U1", "L_AMS", setting="kleinschalig")], make_youth("Y1", min_setting="residentieel"),
         "no unit for 3-milieuvoorziening has setting residentieel"),
        ([make_unit("U1", "L_AMS", "gesloten", "gesloten")],
         make_youth("Y1", care_type="gesloten", min_setting="gesloten"),
         "only a gesloten setting meets the need, and there is no machtiging"),
        ([make_unit("U1", "L_AMS", age_min=12)], make_youth("Y1", age=9), "takes age 9"),
        ([make_unit("U1", "L_AMS", gender="jongens")], make_youth("Y1", gender="v"), "takes girls"),
        ([make_unit("U1", "L_AMS", gender="meisjes")], make_youth("Y1", gender="x"), "takes youths of gender x"),
        ([make_unit("U1", "L_MAA")], make_youth("Y1"), "within 150 km"),
        ([make_unit("U1", "L_AMS")], make_youth("Y1", excluded_locations=("L_AMS",)), "excluded location"),
    ],
    ids=["care type", "setting", "machtiging", "age", "gender", "gender x", "distance", "exclusion"],
)
def test_reason_names_the_rule_that_left_no_unit(units, youth, words):
    """A youth with no compatible unit at all is told which rule removed the last ones."""
    result = solved(week([*units, BYSTANDER_UNIT], [youth, BYSTANDER]))
    assert result.unit_of["Y1"] is None
    assert result.reasons["Y1"].startswith("no compatible unit")
    assert words in result.reasons["Y1"]


def test_reason_for_full_units():
    """A youth whose compatible units are all taken hears that they are full."""
    inst = week([make_unit("U1", "L_AMS")], [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")])
    result = solved(inst)
    assert result.reasons == {"Y2": "1 fitting unit is full"}


# --- known bugs (remove the mark once fixed) ---------------------------------------------------


def test_week_in_which_nobody_fits_anywhere():
    """Nobody has a compatible unit: everybody is unplaced with a reason, and that is optimal."""
    result = solve(week([make_unit("U1", "L_AMS", "gesloten", "gesloten")], [make_youth("Y1")]))
    assert result.status == OPTIMAL
    assert result.unit_of == {"Y1": None}
    assert result.objective == cost(1000.0)
    assert "no compatible unit" in result.reasons["Y1"]


def test_plainly_optimal_placement_is_reported_optimal():
    """One youth, one fitting unit next door: placing it is optimal, and the status says so."""
    result = solved(week([make_unit("U1", "L_AMS")], [make_youth("Y1")]))
    assert result.status == OPTIMAL
    assert result.gap <= 1e-6


# --- tier 3: the hand-made example week (instances/voorbeeld) ----------------------------------

VOORBEELD = Path(__file__).resolve().parent.parent / "instances" / "voorbeeld"
#: The optimum its README documents (to six decimals).
VOORBEELD_OPTIMUM = 4470.130437


def readme_assignment() -> dict[str, str | None]:
    """youth -> unit from the README's 'Expected optimum' table (empty unit = unplaced)."""
    text = (VOORBEELD / "README.md").read_text(encoding="utf-8")
    table = text.split("## Expected optimum")[1].split("\n\n")[2]
    out = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        out[cells[0]] = cells[2] or None
    return out


def test_voorbeeld_is_solved_to_its_documented_optimum():
    """The example week: the solver proves the optimum the README gives, with the README's
    assignment, and exhaustive search agrees."""
    inst = read_instance(VOORBEELD)
    result = solved(inst)
    assert result.status == OPTIMAL
    assert result.objective == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
    assert result.unit_of == readme_assignment()
    optimum, best = brute_force(inst)
    assert optimum == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
    assert best == result.unit_of


def test_voorbeeld_readme_states_the_optimum():
    """The README's headline number is the optimum the tests hold the solver to."""
    text = (VOORBEELD / "README.md").read_text(encoding="utf-8")
    assert f"**Objective {VOORBEELD_OPTIMUM:.6f}**" in text


def test_voorbeeld_unplaced_youth_has_the_machtiging_reason():
    """J08 cannot be placed: a closed setting is needed and there is no machtiging yet."""
    result = solved(read_instance(VOORBEELD))
    assert result.reasons == {"J08": "no compatible unit: only a gesloten setting meets the need, and there is no machtiging"}


def test_thread_count_of_an_earlier_solve_does_not_spoil_a_later_one():
    """A planner's script that first solves with one thread and then with two (the default) gets
    the optimum both times. Run in a fresh interpreter: the HiGHS thread pool is per process."""
    code = (
        "from matcher.input.source import read_instance\n"
        "from matcher.solver.solve import solve\n"
        f"inst = read_instance({str(VOORBEELD)!r})\n"
        "print(solve(inst, threads=1).objective)\n"
        "print(solve(inst, threads=2).objective)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    first, second = (float(x) for x in done.stdout.split())
    assert first == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
    assert second == pytest.approx(VOORBEELD_OPTIMUM, abs=1e-6)
