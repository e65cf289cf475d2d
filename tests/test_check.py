"""The independent checker: one tiny hand-built case per rule (allowed and refused) and per
objective term (exact cost, computed here by hand)."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings

from matcher.analysis.check import (
    STAY_RULES,
    check,
    conflict_pairs_among,
    offers_care_type,
    placement_problems,
    unit_keeps_its_rules,
    unit_still_fits,
    within_age_spread,
    within_capacity,
)
from matcher.instance import Weights
from strategies import GEMEENTE_POINTS, instances, make_instance, make_location, make_unit, make_youth

AMSTERDAM = GEMEENTE_POINTS["GM0363"]  # home point of the youths below unless said otherwise

#: Amsterdam (own jeugdregio JZ13), Zaanstad (JZ09, same bovenregio Noord-Holland),
#: Groningen (JZ01, Noord-Nederland) and Maastricht (JZ41, Limburg, about 178 km away).
L_AMS = make_location("L1", "GM0363", lat=52.40, lon=4.90, provider="Zorgaanbieder A")
L_ZAAN = make_location("L2", "GM0479", provider="Zorgaanbieder B")
L_GRON = make_location("L3", "GM0014", provider="Zorgaanbieder C")
L_MAAS = make_location("L4", "GM0935", provider="Zorgaanbieder D")
LOCATIONS = (L_AMS, L_ZAAN, L_GRON, L_MAAS)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The spec's great-circle distance, written out independently."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def scene(units, youths, conflicts=(), **settings):
    """An instance on the four locations above."""
    return make_instance(LOCATIONS, units, youths, conflicts, **settings)


def refused(report, fragment: str) -> bool:
    """The report is not ok and one violation says ``fragment``."""
    return not report.ok and any(fragment in v for v in report.violations)


# --- the assignment itself --------------------------------------------------------------------


def test_plain_placement_is_accepted():
    """A new youth in a fitting unit with room: no violation, status placed."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1")])
    report = check(inst, {"Y1": "U1"})
    assert report.ok and report.violations == ()
    assert report.outcomes[0].status == "placed"


def test_missing_youth_is_refused():
    """Every youth needs an entry, even when it stays unplaced."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1"), make_youth("Y2")])
    report = check(inst, {"Y1": "U1"})
    assert refused(report, "youth Y2 is missing from the assignment")
    assert report.outcomes[1].status == "unplaced"


def test_unknown_youth_is_refused():
    """An answer about a youth the instance does not have is wrong."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1")])
    assert refused(check(inst, {"Y1": None, "Y9": "U1"}), "youth Y9, who is not in the instance")


def test_unknown_unit_is_refused():
    """A youth sent to a unit that does not exist is refused and counted as unplaced."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1", urgency=2)])
    report = check(inst, {"Y1": "U9"})
    assert refused(report, "unit U9, which does not exist")
    assert report.outcomes[0].status == "unplaced" and report.objective == 2000.0


def test_unplaced_new_youth_is_allowed():
    """Leaving a new youth without a place breaks no rule; it only costs."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1")])
    assert check(inst, {"Y1": None}).ok


# --- occupants ----------------------------------------------------------------------------


def test_stayer_is_accepted_as_is():
    """An occupant who stays is not re-checked: here a youth of gender x in a jongens unit,
    too old, without machtiging in a closed unit, and far beyond every distance limit."""
    unit = make_unit("U1", "L4", care_type="gesloten", setting="gesloten", gender="jongens", age_max=12)
    youth = make_youth("Y1", gender="x", age=17, max_km=5.0, current_unit_id="U1",
                       excluded_locations=("L4",))
    report = check(scene([unit], [youth]), {"Y1": "U1"})
    assert report.ok
    assert report.outcomes[0].status == "stays" and report.outcomes[0].cost == 0.0


def test_occupant_left_without_place_is_refused():
    """An occupant is never left without a place, even when moves are allowed."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1", current_unit_id="U1")], allow_moves=True)
    assert refused(check(inst, {"Y1": None}), "occupant Y1 of unit U1 is left without a place")


def test_move_without_allow_moves_is_refused():
    """Occupants stay where they are unless the scenario allows moves."""
    inst = scene([make_unit("U1", "L1"), make_unit("U2", "L1")], [make_youth("Y1", current_unit_id="U1")])
    assert refused(check(inst, {"Y1": "U2"}), "moves are not allowed")


def test_move_with_allow_moves_is_accepted():
    """With allow_moves an occupant may move to a fitting unit; its status is moved."""
    inst = scene([make_unit("U1", "L1"), make_unit("U2", "L1")], [make_youth("Y1", current_unit_id="U1")],
                 allow_moves=True)
    report = check(inst, {"Y1": "U2"})
    assert report.ok and report.outcomes[0].status == "moved"


def test_move_is_held_to_rules_1_to_6():
    """A move is a new placement for the rules: the target unit must fit the youth's age."""
    inst = scene([make_unit("U1", "L1"), make_unit("U2", "L1", age_min=16)],
                 [make_youth("Y1", age=14, current_unit_id="U1")], allow_moves=True)
    assert refused(check(inst, {"Y1": "U2"}), "youth Y1 is 14, but unit U2 takes ages 16 to 23")


# --- rules 1-6 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_care", "youth_fields", "allowed"),
    [
        ("driemilieu", {}, True),
        ("gesloten", {}, False),
        ("intensieve_ggz", {"alt_care_types": ("eetstoornis", "intensieve_ggz")}, True),
        ("gesloten", {"alt_care_types": ("eetstoornis",)}, False),
    ],
)
def test_rule_1_care_type(unit_care, youth_fields, allowed):
    """Rule 1: the unit offers the youth's care type or one of its alternatives."""
    inst = scene([make_unit("U1", "L1", care_type=unit_care)], [make_youth("Y1", **youth_fields)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, f"unit U1 offers {unit_care}")


@pytest.mark.parametrize(
    ("unit_setting", "min_setting", "allowed"),
    [("kleinschalig", "kleinschalig", True), ("residentieel", "kleinschalig", True),
     ("gezinsgericht", "kleinschalig", False), ("thuis", "gezinsgericht", False)],
)
def test_rule_2_min_setting(unit_setting, min_setting, allowed):
    """Rule 2: a unit may be less home-like than min_setting, never more."""
    inst = scene([make_unit("U1", "L1", setting=unit_setting)], [make_youth("Y1", min_setting=min_setting)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, f"needs at least setting {min_setting}, but unit U1 is {unit_setting}")


@pytest.mark.parametrize("machtiging", [True, False])
def test_rule_2_closed_unit_needs_machtiging(machtiging):
    """Rule 2: nobody enters a gesloten unit without a machtiging."""
    unit = make_unit("U1", "L1", care_type="gesloten", setting="gesloten")
    inst = scene([unit], [make_youth("Y1", care_type="gesloten", machtiging=machtiging)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is machtiging
    assert machtiging or refused(report, "youth Y1 has no machtiging, but unit U1 is a closed (gesloten) unit")


@pytest.mark.parametrize(("age", "allowed"), [(11, False), (12, True), (16, True), (17, False)])
def test_rule_3_age_range(age, allowed):
    """Rule 3: age_min and age_max are inclusive."""
    inst = scene([make_unit("U1", "L1", age_min=12, age_max=16)], [make_youth("Y1", age=age)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, f"youth Y1 is {age}, but unit U1 takes ages 12 to 16")


@pytest.mark.parametrize(
    ("unit_gender", "youth_gender", "allowed"),
    [("jongens", "m", True), ("jongens", "v", False), ("jongens", "x", False),
     ("meisjes", "v", True), ("meisjes", "m", False), ("meisjes", "x", False),
     ("gemengd", "x", True), ("gemengd", "m", True)],
)
def test_rule_4_gender(unit_gender, youth_gender, allowed):
    """Rule 4: jongens takes only m, meisjes only v, gemengd takes all (also x)."""
    inst = scene([make_unit("U1", "L1", gender=unit_gender)], [make_youth("Y1", gender=youth_gender)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, f"youth Y1 (gender {youth_gender}) cannot go to unit U1, a {unit_gender} unit")


def test_rule_5_care_type_distance_limit():
    """Rule 5: Groningen (about 148 km from Amsterdam) fits a 150 km limit, not a 140 km one."""
    unit = make_unit("U1", "L3")
    assert check(scene([unit], [make_youth("Y1")]), {"Y1": "U1"}).ok
    report = check(scene([unit], [make_youth("Y1")], max_km={"driemilieu": 140.0}), {"Y1": "U1"})
    assert refused(report, "unit U1 is 147.9 km from youth Y1's home point, beyond the limit of 140 km")


def test_rule_5_youth_max_km_overrides():
    """Rule 5: the youth's own max_km replaces the care type's limit, tighter or wider."""
    unit = make_unit("U1", "L3")
    assert refused(check(scene([unit], [make_youth("Y1", max_km=100.0)]), {"Y1": "U1"}), "limit of 100 km")
    inst = scene([unit], [make_youth("Y1", max_km=160.0)], max_km={"driemilieu": 50.0})
    assert check(inst, {"Y1": "U1"}).ok


def test_rule_5_road_factor_counts():
    """Rule 5 measures the road distance: road_factor 1.1 takes Groningen past 150 km."""
    inst = scene([make_unit("U1", "L3")], [make_youth("Y1")], road_factor=1.1)
    assert refused(check(inst, {"Y1": "U1"}), "beyond the limit of 150 km")


def test_rule_5_alternative_uses_the_units_care_type_limit():
    """Rule 5 takes the limit of the UNIT's care type: Maastricht (about 178 km) is within the
    eetstoornis limit (250) for a driemilieu youth, but not within the driemilieu limit (150)
    for an eetstoornis youth, although that youth's own care type would allow 250 km."""
    eet = make_unit("U1", "L4", care_type="eetstoornis")
    drie = make_unit("U2", "L4", care_type="driemilieu")
    inst = scene([eet, drie], [make_youth("Y1", care_type="driemilieu", alt_care_types=("eetstoornis",)),
                               make_youth("Y2", care_type="eetstoornis", alt_care_types=("driemilieu",))])
    report = check(inst, {"Y1": "U1", "Y2": "U2"})
    assert report.violations == (
        "unit U2 is 178.2 km from youth Y2's home point, beyond the limit of 150 km",
    )


@pytest.mark.parametrize(("excluded", "allowed"), [(("L1",), False), (("L2", "L3"), True), ((), True)])
def test_rule_6_excluded_locations(excluded, allowed):
    """Rule 6: never at a location on the youth's excluded_locations list."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1", excluded_locations=excluded)])
    report = check(inst, {"Y1": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, "youth Y1 must not be placed at location L1")


def test_placement_problems_lists_every_broken_rule():
    """placement_problems names each broken rule once, so reasons can cite them all."""
    unit = make_unit("U1", "L1", care_type="gesloten", setting="gesloten", gender="meisjes", age_min=16)
    problems = placement_problems(scene([unit], []), make_youth("Y1", excluded_locations=("L1",)), unit)
    assert len(problems) == 5  # care type, machtiging, age, gender, excluded (setting and distance fine)


# --- units that receive someone -----------------------------------------------------------------


def test_capacity_of_receiving_unit():
    """A unit that takes someone in holds no more youths afterwards than it has places."""
    inst = scene([make_unit("U1", "L1", capacity=1)], [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")])
    assert refused(check(inst, {"Y1": "U1", "Y2": "U1"}),
                   "unit U1 holds 2 residents after the solve but has 1 place")
    inst2 = scene([make_unit("U1", "L1", capacity=2)], [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")])
    assert check(inst2, {"Y1": "U1", "Y2": "U1"}).ok


def test_over_capacity_unit_receiving_nobody_is_accepted():
    """The current overfull situation of a unit that receives nobody is accepted as it is."""
    occupants = [make_youth(f"Y{i}", current_unit_id="U1") for i in (1, 2, 3)]
    inst = scene([make_unit("U1", "L1", capacity=2), make_unit("U2", "L1")], [*occupants, make_youth("Y4")])
    report = check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U1", "Y4": "U2"})
    assert report.ok


def test_over_capacity_unit_receiving_someone_is_refused():
    """An overfull unit cannot take anyone in: the count afterwards includes the stayers."""
    occupants = [make_youth(f"Y{i}", current_unit_id="U1") for i in (1, 2, 3)]
    inst = scene([make_unit("U1", "L1", capacity=2)], [*occupants, make_youth("Y4")])
    assert refused(check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U1", "Y4": "U1"}),
                   "unit U1 holds 4 residents after the solve but has 2 places")


def test_over_capacity_unit_may_receive_after_moves_out():
    """Once enough occupants moved out, a formerly overfull unit may receive again."""
    occupants = [make_youth(f"Y{i}", current_unit_id="U1") for i in (1, 2, 3)]
    units = [make_unit("U1", "L1", capacity=2), make_unit("U2", "L1", capacity=2)]
    inst = scene(units, [*occupants, make_youth("Y4")], allow_moves=True)
    report = check(inst, {"Y1": "U2", "Y2": "U2", "Y3": "U1", "Y4": "U1"})
    assert report.ok
    assert [o.status for o in report.outcomes] == ["moved", "moved", "stays", "placed"]


def test_unit_that_only_loses_occupants_is_not_checked():
    """A unit that only sees youths leave stays as it is: still overfull, a conflict pair and a
    wide age range inside, and nobody came in."""
    occupants = [make_youth("Y1", age=9, current_unit_id="U1"), make_youth("Y2", age=17, current_unit_id="U1"),
                 make_youth("Y3", current_unit_id="U1")]
    units = [make_unit("U1", "L1", capacity=1, max_age_spread=2), make_unit("U2", "L1")]
    inst = scene(units, occupants, conflicts=[("Y1", "Y2")], allow_moves=True)
    assert check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U2"}).ok


@pytest.mark.parametrize(("new_age", "allowed"), [(15, True), (16, False), (12, True), (11, False)])
def test_age_spread_of_receiving_unit(new_age, allowed):
    """max_age_spread holds over all residents afterwards: occupants 12 and 15, spread 3."""
    occupants = [make_youth("Y1", age=12, current_unit_id="U1"), make_youth("Y2", age=15, current_unit_id="U1")]
    inst = scene([make_unit("U1", "L1", capacity=3, max_age_spread=3)], [*occupants, make_youth("Y3", age=new_age)])
    report = check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U1"})
    assert report.ok is allowed
    assert allowed or refused(report, "more than its max_age_spread of 3")


def test_wide_age_spread_in_unit_receiving_nobody_is_accepted():
    """Occupants alone may already break max_age_spread; that is accepted while nobody comes in."""
    occupants = [make_youth("Y1", age=10, current_unit_id="U1"), make_youth("Y2", age=18, current_unit_id="U1")]
    inst = scene([make_unit("U1", "L1", capacity=3, max_age_spread=2)], [*occupants, make_youth("Y3")])
    assert check(inst, {"Y1": "U1", "Y2": "U1", "Y3": None}).ok
    assert refused(check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U1"}), "spread 8")


def test_conflict_pair_in_receiving_unit_is_refused():
    """Two youths with a contra-indication never share a unit that takes someone in."""
    inst = scene([make_unit("U1", "L1", capacity=2), make_unit("U2", "L1")],
                 [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")], conflicts=[("Y2", "Y1")])
    assert refused(check(inst, {"Y1": "U1", "Y2": "U1"}), "youths Y2 and Y1 must not share a unit")
    assert check(inst, {"Y1": "U1", "Y2": "U2"}).ok


def test_old_conflict_pair_matters_only_when_the_unit_receives():
    """Two occupants in conflict may stay together; nobody else may then enter their unit."""
    occupants = [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1")]
    inst = scene([make_unit("U1", "L1", capacity=3)], [*occupants, make_youth("Y3")],
                 conflicts=[("Y1", "Y2"), ("Y2", "Y1")])
    assert check(inst, {"Y1": "U1", "Y2": "U1", "Y3": None}).ok
    report = check(inst, {"Y1": "U1", "Y2": "U1", "Y3": "U1"})
    assert report.violations == ("youths Y1 and Y2 must not share a unit (conflict), but both are in unit U1",)


# --- sibling groups -------------------------------------------------------------------------------


def test_siblings_at_one_location_in_two_units_are_accepted():
    """Siblings may live in different units, as long as it is the same location."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1")]
    inst = scene(units, [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")])
    assert check(inst, {"Y1": "U1", "Y2": "U2"}).ok


def test_siblings_at_two_locations_are_refused():
    """All placed members of a sibling group live at one and the same location."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2")]
    inst = scene(units, [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")])
    assert refused(check(inst, {"Y1": "U1", "Y2": "U2"}),
                   "sibling group S1 is split over 2 locations: Y1 at location L1; Y2 at location L2")


def test_new_siblings_partly_placed_are_refused():
    """New siblings are placed all together or not at all."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")])
    assert refused(check(inst, {"Y1": "U1", "Y2": None}),
                   "sibling group S1 is only partly placed: Y1 placed, Y2 left without a place")
    assert check(inst, {"Y1": None, "Y2": None}).ok


def test_new_sibling_joins_occupant_sibling_at_its_location():
    """A new sibling must come to the location where its brother or sister already lives."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1"), make_unit("U3", "L2")]
    youths = [make_youth("Y1", sibling_group="S1", current_unit_id="U1"), make_youth("Y2", sibling_group="S1")]
    inst = scene(units, youths)
    assert check(inst, {"Y1": "U1", "Y2": "U2"}).ok
    assert check(inst, {"Y1": "U1", "Y2": None}).ok
    assert refused(check(inst, {"Y1": "U1", "Y2": "U3"}), "sibling group S1 is split")


def test_moved_sibling_must_not_leave_the_groups_location():
    """With allow_moves, an occupant sibling may not move away from a sibling who stays."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L1"), make_unit("U3", "L2")]
    youths = [make_youth("Y1", sibling_group="S1", current_unit_id="U1"),
              make_youth("Y2", sibling_group="S1", current_unit_id="U2")]
    inst = scene(units, youths, allow_moves=True)
    assert refused(check(inst, {"Y1": "U1", "Y2": "U3"}), "sibling group S1 is split")


# --- the objective, term by term --------------------------------------------------------------


def test_cost_of_placement_in_own_jeugdregio():
    """km * distance + setting_step * steps; no region terms inside the own jeugdregio."""
    unit = make_unit("U1", "L1", setting="residentieel")
    inst = scene([unit], [make_youth("Y1", min_setting="gezinsgericht")])
    report = check(inst, {"Y1": "U1"})
    km = haversine_km(*AMSTERDAM, 52.40, 4.90)
    assert report.objective == pytest.approx(km + 50.0 * 2, rel=1e-12)
    out = report.outcomes[0]
    assert out.distance_km == pytest.approx(km, rel=1e-12)
    assert (out.unit_id, out.location_id, out.provider) == ("U1", "L1", "Zorgaanbieder A")
    assert (out.setting_steps, out.home_jeugdregio, out.unit_jeugdregio, out.scope) == (2, "JZ13", "JZ13", "jeugdregio")
    assert out.cost == report.objective


def test_cost_outside_jeugdregio_inside_bovenregio():
    """Zaanstad is another jeugdregio in the same bovenregio: outside_jeugdregio only."""
    inst = scene([make_unit("U1", "L2")], [make_youth("Y1")])
    report = check(inst, {"Y1": "U1"})
    km = haversine_km(*AMSTERDAM, *GEMEENTE_POINTS["GM0479"])
    assert report.objective == pytest.approx(km + 30.0, rel=1e-12)
    assert (report.outcomes[0].unit_jeugdregio, report.outcomes[0].scope) == ("JZ09", "bovenregio")


def test_cost_outside_bovenregio_adds_on_top():
    """Groningen is in another bovenregio: outside_jeugdregio plus outside_bovenregio."""
    inst = scene([make_unit("U1", "L3")], [make_youth("Y1")])
    report = check(inst, {"Y1": "U1"})
    km = haversine_km(*AMSTERDAM, *GEMEENTE_POINTS["GM0014"])
    assert report.objective == pytest.approx(km + 30.0 + 60.0, rel=1e-12)
    assert report.outcomes[0].scope == "landelijk"


def test_cost_with_road_factor_and_own_weights():
    """road_factor scales the distance; every weight comes from the instance settings."""
    weights = Weights(km=2.0, setting_step=7.0, outside_jeugdregio=11.0, outside_bovenregio=13.0)
    inst = scene([make_unit("U1", "L3", setting="kleinschalig")], [make_youth("Y1", min_setting="gezinsgericht")],
                 road_factor=1.25, weights=weights, max_km={"driemilieu": 200.0})
    report = check(inst, {"Y1": "U1"})
    km = 1.25 * haversine_km(*AMSTERDAM, *GEMEENTE_POINTS["GM0014"])
    assert report.ok
    assert report.objective == pytest.approx(2.0 * km + 7.0 * 1 + 11.0 + 13.0, rel=1e-12)
    assert report.outcomes[0].distance_km == pytest.approx(km, rel=1e-12)


def test_cost_of_alternative_care_type_by_position():
    """alt_care_type is paid once per position: the second alternative costs twice."""
    unit = make_unit("U1", "L1", care_type="intensieve_ggz")
    inst = scene([unit], [make_youth("Y1", alt_care_types=("eetstoornis", "intensieve_ggz"))])
    km = haversine_km(*AMSTERDAM, 52.40, 4.90)
    assert check(inst, {"Y1": "U1"}).objective == pytest.approx(km + 2 * 40.0, rel=1e-12)


def test_cost_of_a_move_and_of_a_stayer():
    """A moved occupant pays the placement terms plus the move weight; a stayer pays nothing."""
    units = [make_unit("U1", "L1"), make_unit("U2", "L2")]
    youths = [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1")]
    inst = scene(units, youths, allow_moves=True, weights=Weights(move=123.0))
    report = check(inst, {"Y1": "U2", "Y2": "U1"})
    km = haversine_km(*AMSTERDAM, *GEMEENTE_POINTS["GM0479"])
    assert report.objective == pytest.approx(km + 30.0 + 123.0, rel=1e-12)
    assert [o.cost for o in report.outcomes] == [pytest.approx(km + 153.0, rel=1e-12), 0.0]
    stays = report.outcomes[1]
    assert stays.status == "stays" and stays.unit_id == "U1" and stays.distance_km == pytest.approx(
        haversine_km(*AMSTERDAM, 52.40, 4.90), rel=1e-12)


@pytest.mark.parametrize(("urgency", "weeks", "cost"), [(1, 0, 1000.0), (2, 3, 2030.0), (3, 10, 4100.0)])
def test_cost_of_unplaced_youth(urgency, weeks, cost):
    """Unplaced: unplaced[urgency - 1] + waiting_week * waiting_weeks; no unit columns."""
    inst = scene([make_unit("U1", "L1")], [make_youth("Y1", urgency=urgency, waiting_weeks=weeks)])
    report = check(inst, {"Y1": None})
    assert report.objective == cost
    out = report.outcomes[0]
    assert out.status == "unplaced" and out.cost == cost
    assert (out.unit_id, out.location_id, out.provider, out.distance_km, out.setting_steps) == (None,) * 5
    assert (out.home_jeugdregio, out.unit_jeugdregio, out.scope, out.reason) == ("JZ13", None, None, "")


def test_unplaced_cost_uses_instance_weights():
    """The unplaced and waiting-week weights come from the instance settings."""
    weights = Weights(unplaced=(1.0, 2.0, 3.0), waiting_week=0.5)
    inst = scene([], [make_youth("Y1", urgency=3, waiting_weeks=4)], weights=weights)
    assert check(inst, {"Y1": None}).objective == 3.0 + 2.0


def test_objective_is_the_sum_and_outcomes_keep_youth_order():
    """The objective sums every youth's cost; outcomes follow the instance's youth order."""
    units = [make_unit("U1", "L1", capacity=2), make_unit("U2", "L3")]
    youths = [make_youth("Y3"), make_youth("Y1", current_unit_id="U1"), make_youth("Y2", urgency=2)]
    report = check(scene(units, youths), {"Y1": "U1", "Y2": None, "Y3": "U2"})
    assert [o.youth_id for o in report.outcomes] == ["Y3", "Y1", "Y2"]
    km = haversine_km(*AMSTERDAM, *GEMEENTE_POINTS["GM0014"])
    assert report.objective == pytest.approx(km + 90.0 + 0.0 + 2000.0, rel=1e-12)


def test_empty_instance():
    """No youths: nothing to check, objective 0."""
    report = check(scene([make_unit("U1", "L1")], []), {})
    assert report.ok and report.objective == 0.0 and report.outcomes == ()


# --- the predicates the instance-level users share (reading warnings, scenarios, the model) ------


def test_within_capacity_counts_every_resident():
    """Two residents fit two places, a third does not."""
    unit = make_unit("U1", "L1", capacity=2)
    youths = [make_youth(f"Y{i}") for i in range(3)]
    assert within_capacity(unit, youths[:2]) and not within_capacity(unit, youths)


def test_within_age_spread_only_when_the_unit_has_one():
    """Ages 12 and 16 are a spread of 4: fine for max_age_spread 4 or none, not for 3."""
    youths = [make_youth("Y1", age=12), make_youth("Y2", age=16)]
    assert within_age_spread(make_unit(max_age_spread=4), youths)
    assert within_age_spread(make_unit(), youths)
    assert not within_age_spread(make_unit(max_age_spread=3), youths)
    assert within_age_spread(make_unit(max_age_spread=0), [])


def test_conflict_pairs_among_names_each_pair_once_in_resident_order():
    """A pair listed both ways is one pair; partners outside the residents do not count."""
    inst = make_instance((L_AMS,), [make_unit()], [make_youth(f"Y{i}") for i in range(1, 5)],
                         conflicts=[("Y3", "Y1"), ("Y1", "Y3"), ("Y2", "Y4"), ("Y1", "Y2")])
    y1, y2, y3, _ = inst.youths
    assert conflict_pairs_among([y1, y2, y3], inst.conflict_partners) == [("Y1", "Y2"), ("Y1", "Y3")]
    assert conflict_pairs_among([y3, y1], inst.conflict_partners) == [("Y3", "Y1")]
    assert conflict_pairs_among([y2, y3], inst.conflict_partners) == []


def test_unit_keeps_its_rules_needs_all_three():
    """Places, age spread and contra-indications each alone can break a unit's rules."""
    inst = make_instance((L_AMS,), [make_unit()], [make_youth("Y1", age=12), make_youth("Y2", age=13)],
                         conflicts=[("Y1", "Y2")])
    pair = list(inst.youths)
    roomy = make_unit(capacity=2, max_age_spread=1)
    assert unit_keeps_its_rules(roomy, pair, {})
    assert not unit_keeps_its_rules(roomy, pair, inst.conflict_partners)
    assert not unit_keeps_its_rules(make_unit(capacity=1), pair, {})
    assert not unit_keeps_its_rules(make_unit(capacity=2, max_age_spread=0), pair, {})


@pytest.mark.parametrize("unit_fields, fits", [
    ({}, True),
    ({"care_type": "gesloten"}, False),
    ({"setting": "thuis"}, False),
    ({"setting": "gesloten"}, False),
    ({"age_max": 13}, False),
    ({"gender": "meisjes"}, False),
])
def test_unit_still_fits_an_occupant_by_the_stay_rules(unit_fields, fits):
    """A changed unit keeps an occupant only while care type, setting, machtiging, age and gender fit."""
    youth = make_youth("Y1", age=14, current_unit_id="U1")
    assert unit_still_fits(youth, make_unit(**unit_fields)) is fits
    assert len(STAY_RULES) == 5


@settings(max_examples=60, deadline=None)
@given(instances())
def test_the_boolean_rules_agree_with_the_checkers_sentences(inst):
    """offers_care_type and the stay rules say 'broken' exactly when placement_problems names that rule."""
    for youth in inst.youths:
        for unit in inst.units:
            problems = placement_problems(inst, youth, unit)
            assert offers_care_type(youth, unit) != any(" care, but unit " in p for p in problems)
            if unit_still_fits(youth, unit):
                assert not any(" needs at least setting " in p or "machtiging" in p or " takes ages " in p
                               or "(gender " in p or " care, but unit " in p for p in problems)


# --- generated instances and scale --------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(instances())
def test_keeping_occupants_and_placing_nobody_is_always_accepted(inst):
    """On any valid instance, the 'nothing changes' answer is feasible and costs the unplaced terms."""
    unit_of = {y.youth_id: y.current_unit_id for y in inst.youths}
    report = check(inst, unit_of)
    assert report.ok, report.violations
    w = inst.settings.weights
    expected = sum(w.unplaced[y.urgency - 1] + w.waiting_week * y.waiting_weeks for y in inst.youths
                   if not y.is_occupant)
    assert report.objective == pytest.approx(expected)


def test_twenty_thousand_youths_in_seconds():
    """The checker runs after every solve, also nationally: 20,000 youths stay well within seconds."""
    locations = [make_location(f"L{i}", "GM0344", lat=51.5 + i * 0.01, lon=5.0) for i in range(200)]
    units = [make_unit(f"U{i}", f"L{i % 200}", capacity=8) for i in range(2000)]
    youths = [make_youth(f"Y{i}", current_unit_id=f"U{i % 2000}" if i % 3 else None, sibling_group=f"S{i // 2}")
              for i in range(20000)]
    inst = make_instance(locations, units, youths, conflicts=[(f"Y{i}", f"Y{i + 1}") for i in range(0, 19990, 7)])
    unit_of = {y.youth_id: y.current_unit_id or f"U{int(y.youth_id[1:]) % 2000}" for y in youths}
    start = time.perf_counter()
    report = check(inst, unit_of)
    assert time.perf_counter() - start < 5.0
    assert len(report.outcomes) == 20000
