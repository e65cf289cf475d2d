"""The exact model, one rule family at a time: each module in ``matcher.solver.model`` holds its rule.

Every case is built so that the cheapest answer breaks exactly one rule. The exact model
(``solve_subproblem`` over all youths the solver decides, started from the current situation)
must find the brute-force optimum, which keeps the rule; the same model without that rule's
module takes the cheaper, forbidden answer, and the independent checker names the broken rule.
So each test proves that the module is what keeps the rule.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher.solver.model
from assignments import decided_from_now
from bruteforce import brute_force
from matcher.solver.candidates import build_candidates
from matcher.analysis.check import check
from matcher.solver.exact import Budget, solve_subproblem
from matcher.solver.feasibility import unit_of
from matcher.solver.model import HARD_RULES
from matcher.solver.model.age_spread import age_spread_within_limit
from matcher.solver.model.assignment import one_place_per_youth
from matcher.solver.model.capacity import no_unit_above_capacity
from matcher.solver.model.conflicts import contra_indicated_youths_apart
from matcher.solver.model.receiving import unit_receives
from matcher.solver.model.siblings import siblings_together_at_one_location
from strategies import make_instance, make_location, make_unit, make_youth


def exact_answer(instance):
    """The exact model's answer over every decided youth, from the current situation
    (occupants stay, nobody new placed): youth id -> unit id, and the model's objective."""
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    out = solve_subproblem(instance, cand, free, current, budget=Budget(time_limit=20.0))
    units = unit_of(cand, out.pair_of)
    ids = {y.youth_id: (instance.units[u].unit_id if u >= 0 else None) for y, u in zip(instance.youths, units.tolist())}
    return ids, out


def assert_exact_keeps_the_rule(instance):
    """The model's answer passes the checker, costs what it says, and is the optimum."""
    answer, out = exact_answer(instance)
    report = check(instance, answer)
    assert report.ok, report.violations
    assert out.optimal
    optimum, _ = brute_force(instance)
    assert math.isclose(report.objective, optimum, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(out.objective, optimum, rel_tol=1e-6, abs_tol=1e-6)
    assert out.bound <= out.objective + 1e-9
    return answer


def answer_without(monkeypatch, rule, instance):
    """The model's answer with one rule family left out, and the checker's report on it."""
    monkeypatch.setattr(matcher.solver.model, "HARD_RULES", tuple(r for r in HARD_RULES if r is not rule))
    answer, _ = exact_answer(instance)
    return answer, check(instance, answer)


def broken(report, fragment: str) -> bool:
    return not report.ok and any(fragment in v for v in report.violations)


# --- one place per youth --------------------------------------------------------------------


def two_unit_week():
    """One new youth with two fitting units nearby."""
    return make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0362")],
        [make_unit("U1", "L1"), make_unit("U2", "L2")],
        [make_youth("Y1")],
    )


def test_a_youth_gets_one_place(monkeypatch):
    """A youth takes one place, not two: the model counts each youth's placements."""
    answer = assert_exact_keeps_the_rule(two_unit_week())
    assert answer == {"Y1": "U1"}
    monkeypatch.setattr(matcher.solver.model, "HARD_RULES", tuple(r for r in HARD_RULES if r is not one_place_per_youth))
    cand = build_candidates(two_unit_week())
    free = np.ones(1, dtype=bool)
    out = solve_subproblem(two_unit_week(), cand, free, np.full(1, -1), budget=Budget(time_limit=10.0))
    # Without the rule both pairs pay off (each saves the unplaced cost once more than it costs).
    assert out.objective < check(two_unit_week(), {"Y1": "U1"}).objective - 500


def occupant_blocks_a_crisis():
    """U1 holds an occupant who has nowhere else to go (moves allowed); a crisis youth fits only U1."""
    return make_instance(
        [make_location("L1")],
        [make_unit("U1", "L1", age_min=12, age_max=17)],
        [make_youth("Y1", age=16, current_unit_id="U1"), make_youth("Y2", age=15, urgency=3)],
        allow_moves=True,
    )


def test_an_occupant_is_never_left_without_a_place(monkeypatch):
    """A youth already in care keeps a place even when sending it away would let a crisis in."""
    assert assert_exact_keeps_the_rule(occupant_blocks_a_crisis()) == {"Y1": "U1", "Y2": None}
    _, report = answer_without(monkeypatch, one_place_per_youth, occupant_blocks_a_crisis())
    assert broken(report, "occupant Y1 of unit U1 is left without a place")


# --- capacity ---------------------------------------------------------------------------------


def one_place_two_youths():
    return make_instance(
        [make_location("L1")],
        [make_unit("U1", "L1", capacity=2)],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", urgency=2), make_youth("Y3")],
    )


def test_a_receiving_unit_holds_no_more_than_its_places(monkeypatch):
    """Two places, one taken by an occupant: of two new youths only the more urgent gets in,
    the occupant counts as a resident."""
    assert assert_exact_keeps_the_rule(one_place_two_youths()) == {"Y1": "U1", "Y2": "U1", "Y3": None}
    _, report = answer_without(monkeypatch, no_unit_above_capacity, one_place_two_youths())
    assert broken(report, "unit U1 holds 3 residents after the solve but has 2 places")


# --- age spread -------------------------------------------------------------------------------


def spread_week():
    return make_instance(
        [make_location("L1"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1", capacity=3, max_age_spread=2), make_unit("U2", "L2", capacity=2)],
        [make_youth("Y1", age=16, current_unit_id="U1"), make_youth("Y2", age=15), make_youth("Y3", age=13)],
    )


def test_age_spread_counts_every_resident(monkeypatch):
    """U1 keeps its residents within two years, its occupant (16) included: the 15-year-old may
    join, the 13-year-old goes elsewhere."""
    assert assert_exact_keeps_the_rule(spread_week()) == {"Y1": "U1", "Y2": "U1", "Y3": "U2"}
    _, report = answer_without(monkeypatch, age_spread_within_limit, spread_week())
    assert broken(report, "more than its max_age_spread of 2")


# --- contra-indications -----------------------------------------------------------------------


def conflict_week():
    return make_instance(
        [make_location("L1"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1", capacity=3), make_unit("U2", "L2", capacity=2)],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2"), make_youth("Y3", urgency=2)],
        conflicts=[("Y1", "Y2"), ("Y2", "Y3")],
    )


def test_contra_indicated_youths_never_share_a_receiving_unit(monkeypatch):
    """Y2 may not live with the occupant Y1 nor with Y3: Y3 joins Y1, Y2 goes 36 km away."""
    assert assert_exact_keeps_the_rule(conflict_week()) == {"Y1": "U1", "Y2": "U2", "Y3": "U1"}
    _, report = answer_without(monkeypatch, contra_indicated_youths_apart, conflict_week())
    assert broken(report, "must not share a unit (conflict)")


# --- siblings ---------------------------------------------------------------------------------


def sibling_week():
    return make_instance(
        [make_location("L1"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1"), make_unit("U2", "L2", capacity=2)],
        [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1")],
    )


def test_siblings_live_at_one_location(monkeypatch):
    """One place nearby, two in Utrecht: the brother and sister go to Utrecht together rather
    than one nearby and one in Utrecht."""
    assert assert_exact_keeps_the_rule(sibling_week()) == {"Y1": "U2", "Y2": "U2"}
    _, report = answer_without(monkeypatch, siblings_together_at_one_location, sibling_week())
    assert broken(report, "sibling group S1 is split over 2 locations")


def sibling_all_or_none_week():
    return make_instance(
        [make_location("L1")],
        [make_unit("U1", "L1")],
        [make_youth("Y1", sibling_group="S1"), make_youth("Y2", sibling_group="S1", urgency=3)],
    )


def test_new_siblings_are_placed_all_together_or_not_at_all(monkeypatch):
    """There is one place for two siblings: they wait together, though placing the urgent one
    alone would cost less."""
    assert assert_exact_keeps_the_rule(sibling_all_or_none_week()) == {"Y1": None, "Y2": None}
    _, report = answer_without(monkeypatch, siblings_together_at_one_location, sibling_all_or_none_week())
    assert broken(report, "sibling group S1 is only partly placed")


def test_an_occupant_sibling_pins_the_location():
    """A sister already lives at L2: her brother goes to L2 too, though L1 is nearer."""
    inst = make_instance(
        [make_location("L1"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1"), make_unit("U2", "L2", capacity=2, age_min=0)],
        [make_youth("Y1", sibling_group="S1", gender="v", current_unit_id="U2"), make_youth("Y2", sibling_group="S1")],
    )
    assert assert_exact_keeps_the_rule(inst) == {"Y1": "U2", "Y2": "U2"}


# --- a unit that receives nobody is accepted as it is ------------------------------------------


def dirty_unit_week():
    """U1's two occupants are contra-indicated (they were placed before the conflict was known)."""
    return make_instance(
        [make_location("L1"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1", capacity=3), make_unit("U2", "L2")],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"), make_youth("Y3")],
        conflicts=[("Y1", "Y2")],
    )


def test_a_unit_whose_occupants_break_a_rule_takes_nobody(monkeypatch):
    """U1 may keep its contra-indicated occupants, but then it receives nobody new: Y3 goes to U2."""
    assert assert_exact_keeps_the_rule(dirty_unit_week()) == {"Y1": "U1", "Y2": "U1", "Y3": "U2"}
    _, report = answer_without(monkeypatch, unit_receives, dirty_unit_week())
    assert broken(report, "youths Y1 and Y2 must not share a unit (conflict), but both are in unit U1")


def test_an_over_full_unit_receives_again_once_enough_occupants_moved_out():
    """U1 has three boys for two places. With moves allowed, two of them move to the boys' unit U2
    so that the crisis girl, who can only go to U1, gets in (two moves cost less than leaving a
    crisis unplaced)."""
    inst = make_instance(
        [make_location("L1"), make_location("L2", "GM0362")],
        [make_unit("U1", "L1", capacity=2), make_unit("U2", "L2", capacity=2, gender="jongens")],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"),
         make_youth("Y3", current_unit_id="U1"), make_youth("Y4", gender="v", urgency=3)],
        allow_moves=True,
    )
    answer = assert_exact_keeps_the_rule(inst)
    assert answer["Y4"] == "U1"
    assert sorted(answer[y] for y in ("Y1", "Y2", "Y3")) == ["U1", "U2", "U2"]


@pytest.mark.parametrize("rule", HARD_RULES, ids=lambda r: r.__name__)
def test_every_rule_family_has_a_docstring_in_planner_words(rule):
    """Each rule family says in words what it keeps (its module or function docstring)."""
    import inspect

    text = (rule.__doc__ or "") + (inspect.getmodule(rule).__doc__ or "")
    assert len(text.split()) >= 8


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.integers(0, 3), min_size=1, max_size=5),
    st.data(),
)))
def test_a_groups_members_get_as_many_places_as_a_maximum_matching_gives(case):
    """The siblings' room check matches members to free places by augmenting paths; its size is
    the maximum matching scipy finds over the graph of members to single places."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    from matcher.solver.model.siblings import _matched

    n, slots, data = case
    pairs = sorted(set(data.draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, len(slots) - 1)), max_size=n * len(slots)))))
    first = np.r_[0, np.cumsum(slots)[:-1]]
    rows = [m for m, u in pairs for _ in range(slots[u])]
    cols = [int(first[u]) + i for m, u in pairs for i in range(slots[u])]
    if rows:
        graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, int(sum(slots))))
        expected = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    else:
        expected = 0
    assert _matched(pairs, slots, n) == expected
