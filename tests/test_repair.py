"""The greedy repair and fill: from any assignment to a valid one, and then only fuller."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from assignments import assigned_weeks, unit_ids_of
from matcher.solver.candidates import build_candidates
from matcher.analysis.check import check
from matcher.solver.feasibility import RuleBook, unit_of
from matcher.solver.repair import fill, repair, send_away
from strategies import make_instance, make_location, make_unit, make_youth


@settings(max_examples=300)
@given(assigned_weeks())
def test_repair_makes_any_assignment_valid_by_undoing_arrivals(week):
    """After the repair no side rule is broken (the checker agrees), and every youth it changed
    was sent away: a new youth unplaced, an occupant back to its own unit."""
    instance, cand, rules, pair_of = week
    repaired = repair(rules, pair_of)
    assert not rules.violations(repaired)
    assert check(instance, unit_ids_of(instance, unit_of(cand, repaired))).ok
    changed = np.flatnonzero(repaired != pair_of)
    assert np.all(repaired[changed] == rules.stay_pair[changed])


@settings(max_examples=300)
@given(assigned_weeks())
def test_fill_keeps_a_valid_assignment_valid_and_only_adds(week):
    """Filling a valid assignment places only unplaced new youths and keeps every rule."""
    instance, cand, rules, pair_of = week
    valid = repair(rules, pair_of)
    filled = fill(rules, valid)
    assert not rules.violations(filled)
    assert check(instance, unit_ids_of(instance, unit_of(cand, filled))).ok
    changed = np.flatnonzero(filled != valid)
    assert np.all(valid[changed] == -1) and np.all(cand.arrays.youth_current[changed] < 0)


def test_fill_places_a_waiting_youth_in_its_cheapest_unit_with_room():
    """A youth nobody placed goes to the nearest unit that has a place left."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362"), make_location("L3", "GM0599")],
        [make_unit("U1", "L1"), make_unit("U2", "L2"), make_unit("U3", "L3")],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")],
    )
    cand = build_candidates(instance)
    rules = RuleBook(instance, cand)
    filled = fill(rules, np.full(2, -1, dtype=np.int64))
    assert instance.units[cand.pair_unit[filled[1]]].unit_id == "U2"


def test_fill_places_siblings_together_or_not_at_all():
    """Two new siblings go to one location with two free places, not to two nearer ones."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362"), make_location("L3", "GM0599")],
        [make_unit("U1", "L1"), make_unit("U2", "L2"), make_unit("U3", "L3", capacity=2)],
        [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")],
    )
    cand = build_candidates(instance)
    filled = fill(RuleBook(instance, cand), np.full(2, -1, dtype=np.int64))
    assert {instance.units[cand.pair_unit[p]].unit_id for p in filled} == {"U3"}


def test_send_away_returns_a_moved_occupant_to_its_own_unit():
    """A moved occupant goes back to its stay pair; a new youth becomes unplaced."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362")],
        [make_unit("U1", "L1"), make_unit("U2", "L2")],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2")],
        allow_moves=True,
    )
    cand = build_candidates(instance)
    rules = RuleBook(instance, cand)
    pair_of = np.array([int(np.flatnonzero((cand.pair_youth == y) & ~cand.pair_stay)[0]) for y in (0, 1)])
    send_away(rules, pair_of, 0)
    send_away(rules, pair_of, 1)
    assert pair_of[0] == rules.stay_pair[0] and cand.pair_stay[pair_of[0]]
    assert pair_of[1] == -1
