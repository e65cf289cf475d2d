"""Candidate pairs: the vectorised rules 1-6 give exactly the pairs a planner would allow by
hand, each priced as the independent checker prices it, and the survivor counts behind the
"no compatible unit" reasons follow the rules in their order."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.solver.candidates import STAGES, build_candidates, pairs_into
from matcher.analysis.check import outcome_of
from matcher.domain import SETTING_RANK
from strategies import instances, make_instance, make_location, make_unit, make_youth


def km_between(instance, youth, unit) -> float:
    """The spec's distance, written out here: road_factor times the haversine great circle."""
    loc = instance.location_by_id[unit.location_id]
    phi1, phi2 = math.radians(youth.home_lat), math.radians(loc.lat)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(
        math.radians(loc.lon - youth.home_lon) / 2
    ) ** 2
    return instance.settings.road_factor * 2 * 6371.0088 * math.asin(math.sqrt(h))


def rule_results(instance, youth, unit) -> list[bool]:
    """Rules 1-6 one by one, in the order of ``STAGES``, straight from the instance format."""
    limit = youth.max_km if youth.max_km is not None else instance.settings.max_km[unit.care_type]
    return [
        unit.care_type == youth.care_type or unit.care_type in youth.alt_care_types,
        SETTING_RANK[unit.setting] >= SETTING_RANK[youth.min_setting]
        and (unit.setting != "gesloten" or youth.machtiging),
        unit.age_min <= youth.age <= unit.age_max,
        unit.gender == "gemengd" or (unit.gender, youth.gender) in (("jongens", "m"), ("meisjes", "v")),
        km_between(instance, youth, unit) <= limit,
        unit.location_id not in youth.excluded_locations,
    ]


def expected_pairs(instance) -> dict[tuple[int, int], bool]:
    """(youth index, unit index) -> is it the occupant's stay pair, for every pair a planner allows.

    New youths may go to every unit that keeps rules 1-6. Occupants are decided only when moves
    are allowed: then they may stay (always) or move to another unit that keeps rules 1-6.
    """
    out: dict[tuple[int, int], bool] = {}
    unit_index = {u.unit_id: j for j, u in enumerate(instance.units)}
    for i, y in enumerate(instance.youths):
        if y.is_occupant and not instance.settings.allow_moves:
            continue
        for j, u in enumerate(instance.units):
            if u.unit_id != y.current_unit_id and all(rule_results(instance, y, u)):
                out[(i, j)] = False
        if y.is_occupant:
            out[(i, unit_index[y.current_unit_id])] = True
    return out


@settings(max_examples=100)
@given(instances())
def test_pairs_are_exactly_those_rules_1_to_6_allow(instance):
    """Every youth-unit pair the rules allow is a candidate, and no other (occupants: stay pair
    always, moves only when allowed)."""
    cand = build_candidates(instance)
    got = {
        (int(y), int(u)): bool(s) for y, u, s in zip(cand.pair_youth, cand.pair_unit, cand.pair_stay)
    }
    assert len(got) == cand.n_pairs, "a pair is listed twice"
    assert got == expected_pairs(instance)


@settings(max_examples=80)
@given(instances())
def test_pair_cost_is_the_checkers_cost(instance):
    """The price of each pair is that youth's term of the objective in that unit, as the checker
    computes it (move weight included for a moved occupant, 0 for staying)."""
    cand = build_candidates(instance)
    for y, u, cost, km in zip(cand.pair_youth, cand.pair_unit, cand.pair_cost, cand.pair_km):
        outcome = outcome_of(instance, instance.youths[y], instance.units[u].unit_id)
        assert math.isclose(cost, outcome.cost, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(km, outcome.distance_km, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=60)
@given(instances())
def test_survivor_counts_follow_the_rules_in_order(instance):
    """For each decided youth, the units left after care type, then setting, age, gender, distance
    and exclusion are counted rule by rule: the first count that is 0 names the reason."""
    cand = build_candidates(instance)
    for i in cand.movable.tolist():
        youth = instance.youths[i]
        counts = [0] * len(STAGES)
        for unit in instance.units:
            results = rule_results(instance, youth, unit)
            for k in range(len(STAGES)):
                if all(results[: k + 1]):
                    counts[k] += 1
        assert cand.survivors[i].tolist() == counts, youth.youth_id


@settings(max_examples=50)
@given(instances())
def test_decided_youths_and_pair_order(instance):
    """The solver decides the place of new youths, and of occupants only when moves are allowed;
    pairs come grouped per youth, then per unit (the solver finds a youth's options by search)."""
    cand = build_candidates(instance)
    expected = [i for i, y in enumerate(instance.youths) if not y.is_occupant or instance.settings.allow_moves]
    assert cand.movable.tolist() == expected
    keys = list(zip(cand.pair_youth.tolist(), cand.pair_unit.tolist()))
    assert keys == sorted(keys)


@settings(max_examples=60)
@given(instances(), st.data())
def test_pairs_into_some_units_are_those_candidates_at_the_same_cost(instance, data):
    """Building the pairs into a few units only gives exactly the candidate pairs into them
    (stay pairs aside), ordered by unit then youth, each at the very same cost."""
    n_u = len(instance.units)
    units = np.array(sorted(data.draw(st.sets(st.integers(0, max(n_u - 1, 0)), max_size=n_u))), dtype=np.int64)
    cand = build_candidates(instance)
    keep = np.isin(cand.pair_unit, units) & ~cand.pair_stay
    order = np.lexsort((cand.pair_youth[keep], cand.pair_unit[keep]))
    py, pu, cost = pairs_into(instance, units)
    assert py.tolist() == cand.pair_youth[keep][order].tolist()
    assert pu.tolist() == cand.pair_unit[keep][order].tolist()
    assert cost.tolist() == cand.pair_cost[keep][order].tolist()


def test_an_alternative_care_type_uses_the_units_distance_limit():
    """Rule 5 takes the limit of the UNIT's care type: a driemilieu youth who accepts eetstoornis
    care may go to an eetstoornis unit 178 km away (limit 250), not to a driemilieu unit there
    (limit 150)."""
    inst = make_instance(
        [make_location("L1", "GM0935")],
        [make_unit("U1", "L1", "driemilieu"), make_unit("U2", "L1", "eetstoornis")],
        [make_youth("Y1", "GM0363", "driemilieu", alt_care_types=("eetstoornis",))],
    )
    cand = build_candidates(inst)
    assert cand.pair_unit.tolist() == [1]
    assert cand.survivors[0].tolist() == [2, 2, 2, 2, 1, 1]


def test_occupant_who_no_longer_fits_may_still_stay():
    """With moves allowed, an occupant's stay pair exists even when the unit breaks its rules now
    (the youth turned 19 in a 12-18 unit): staying is accepted as it is, at cost 0."""
    inst = make_instance(
        [make_location("L1")],
        [make_unit("U1", "L1", age_min=12, age_max=18)],
        [make_youth("Y1", age=19, current_unit_id="U1")],
        allow_moves=True,
    )
    cand = build_candidates(inst)
    assert cand.pair_unit.tolist() == [0] and cand.pair_stay.tolist() == [True]
    assert cand.pair_cost.tolist() == [0.0]


def test_no_youths_no_pairs():
    """An instance without youths has no candidates and nothing to decide."""
    cand = build_candidates(make_instance([make_location()], [make_unit()], []))
    assert cand.n_pairs == 0 and cand.movable.size == 0
    assert cand.survivors.shape == (0, len(STAGES))
