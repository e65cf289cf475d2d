"""The simulated week's solve: pairs that occupants who stay already rule out are left out, and
sibling groups' locations are settled by branching on flows; the optimum is the same.

A youth cannot enter a unit whose occupants would then be too far apart in age, nor one where a
contra-indicated youth lives, nor a unit whose occupants already break its rules; siblings who
must arrive together cannot go where fewer places are free than there are of them. Each rule is
shown refused and allowed, and on generated instances and the national week the week's solve
reaches the same objective as the solve with every pair and every stage.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from bruteforce import brute_force
from matcher.analysis.check import check
from matcher.input.source import read_instance
from matcher.solver.blocked import blocked_pairs
from matcher.solver.candidates import build_candidates
from matcher.solver.params import WITHOUT_BLOCKED_PAIRS, WITHOUT_REASONS
from matcher.solver.solve import solve
from strategies import instances, make_instance, make_location, make_unit, make_youth

L_AMS = make_location("L_AMS", "GM0363")
L_ZAA = make_location("L_ZAA", "GM0479")
LOCATIONS = (L_AMS, L_ZAA)


def blocked_units(inst) -> dict[str, set[str]]:
    """youth id -> the unit ids of its blocked candidate pairs."""
    cand = build_candidates(inst)
    out: dict[str, set[str]] = {}
    for p in blocked_pairs(inst, cand).nonzero()[0].tolist():
        youth, unit = inst.youths[cand.pair_youth[p]], inst.units[cand.pair_unit[p]]
        out.setdefault(youth.youth_id, set()).add(unit.unit_id)
    return out


def test_no_youth_enters_beside_occupants_too_far_apart_in_age():
    """An occupant of 12 in a unit of spread 2: a youth of 17 is blocked there, one of 14 is not."""
    units = [make_unit("U1", "L_AMS", capacity=3, max_age_spread=2), make_unit("U2", "L_ZAA")]
    youths = [make_youth("O1", age=12, current_unit_id="U1"), make_youth("Y1", age=17), make_youth("Y2", age=14)]
    assert blocked_units(make_instance(LOCATIONS, units, youths)) == {"Y1": {"U1"}}


def test_no_youth_enters_where_a_contra_indicated_youth_lives():
    """Y1 is contra-indicated with the occupant of U1: blocked there, free to go to U2."""
    units = [make_unit("U1", "L_AMS", capacity=3), make_unit("U2", "L_ZAA")]
    youths = [make_youth("O1", current_unit_id="U1"), make_youth("Y1")]
    assert blocked_units(make_instance(LOCATIONS, units, youths, conflicts=[("Y1", "O1")])) == {"Y1": {"U1"}}


def test_siblings_go_only_where_there_is_a_place_for_each():
    """Two new siblings: Amsterdam has one free place, Zaanstad two: Amsterdam is blocked. With
    a third sibling already living in Zaanstad, only Zaanstad was ever open to them."""
    units = [make_unit("U1", "L_AMS", capacity=1), make_unit("U2", "L_ZAA", capacity=2)]
    siblings = [make_youth("Y1", sibling_group="S"), make_youth("Y2", sibling_group="S")]
    assert blocked_units(make_instance(LOCATIONS, units, siblings)) == {"Y1": {"U1"}, "Y2": {"U1"}}
    units = [make_unit("U1", "L_AMS", capacity=3), make_unit("U2", "L_ZAA", capacity=3)]
    held = make_youth("O1", sibling_group="S", current_unit_id="U2")
    assert blocked_units(make_instance(LOCATIONS, units, [held, *siblings])) == {"Y1": {"U1"}, "Y2": {"U1"}}


def test_branching_on_the_siblings_location_proves_the_optimum():
    """Two siblings, one at home in Amsterdam and one in Zaanstad, each with a unit of two at
    home: the flow splits them; branching on where the group goes settles it with flows alone
    (no LP), at the brute-force optimum."""
    units = [make_unit("U1", "L_AMS", capacity=2), make_unit("U2", "L_ZAA", capacity=2)]
    siblings = [make_youth("Y1", sibling_group="S"), make_youth("Y2", "GM0479", sibling_group="S", age=15)]
    inst = make_instance(LOCATIONS, units, siblings)
    result = solve(inst, time_limit=10, threads=1, params=WITHOUT_BLOCKED_PAIRS)
    assert result.stats["flow_breaks_sibling_groups"] == 1
    assert result.stats["sibling_branch_nodes"] >= 1 and "lp_bound" not in result.stats
    assert result.status == "OPTIMAL"
    assert len(set(result.unit_of.values())) == 1
    assert check(inst, result.unit_of).objective == pytest.approx(brute_force(inst)[0])


def test_nothing_is_blocked_when_occupants_may_move():
    """With moves allowed the occupant of 12 may leave, so the youth of 17 may still enter."""
    units = [make_unit("U1", "L_AMS", capacity=3, max_age_spread=2), make_unit("U2", "L_ZAA")]
    youths = [make_youth("O1", age=12, current_unit_id="U1"), make_youth("Y1", age=17)]
    assert blocked_units(make_instance(LOCATIONS, units, youths, allow_moves=True)) == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_youths=6))
def test_the_checker_refuses_every_blocked_pair(inst):
    """Placing the youth of a blocked pair in its unit, with every occupant staying and nobody
    else placed, is refused by the independent checker: a blocked pair is never valid."""
    cand = build_candidates(inst)
    staying = {y.youth_id: y.current_unit_id for y in inst.youths}
    for p in blocked_pairs(inst, cand).nonzero()[0].tolist():
        youth, unit = inst.youths[cand.pair_youth[p]], inst.units[cand.pair_unit[p]]
        assert not check(inst, {**staying, youth.youth_id: unit.unit_id}).ok, (youth.youth_id, unit.unit_id)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_youths=6))
def test_without_the_blocked_pairs_the_optimum_is_the_same(inst):
    """On generated instances the solve without the blocked pairs passes the checker and costs
    exactly the brute-force optimum, like the solve with every pair."""
    result = solve(inst, time_limit=20, threads=1, params=WITHOUT_BLOCKED_PAIRS)
    report = check(inst, result.unit_of)
    assert report.ok, report.violations
    assert result.status == "OPTIMAL"
    assert report.objective == pytest.approx(brute_force(inst)[0], rel=1e-9, abs=1e-6)


def test_the_relaxation_for_the_marginal_value_needs_every_pair():
    """Keeping the relaxation while leaving pairs out is refused: its prices need every pair."""
    inst = make_instance(LOCATIONS, [make_unit("U1", "L_AMS")], [make_youth("Y1")])
    with pytest.raises(ValueError):
        solve(inst, params=WITHOUT_BLOCKED_PAIRS, keep_relaxation=True)


def test_the_national_week_has_the_same_optimum_without_the_blocked_pairs():
    """nl-week: the same proven optimum with and without the blocked pairs."""
    inst = read_instance("instances/nl-week")
    every, fewer = (solve(inst, time_limit=30, threads=1, params=p) for p in (WITHOUT_REASONS, WITHOUT_BLOCKED_PAIRS))
    assert every.status == fewer.status == "OPTIMAL"
    assert fewer.objective == pytest.approx(every.objective, rel=1e-9)
    assert check(inst, fewer.unit_of).ok
