"""One rule, two forms: the solver's array rules agree with the checker's named predicates.

The solver judges thousands of intermediate assignments with ``matcher.solver.candidates`` (rules 1-6)
and ``matcher.solver.feasibility.RuleBook`` (the side rules); the independent checker judges the final
one with the predicates of ``matcher.analysis.check``. On generated weeks and random assignments over
the candidate pairs both must say the same, rule by rule and as a whole.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings

from assignments import assigned_weeks, unit_ids_of
from matcher.solver.candidates import build_candidates
from matcher.analysis.check import (
    age_spread_respected,
    capacity_respected,
    check,
    conflicts_kept_apart,
    new_siblings_placed_together,
    placement_problems,
    siblings_at_one_location,
)
from matcher.solver.feasibility import objective_of, residents_by_unit, unit_of
from strategies import instances


def final_units(instance, cand, pair_of) -> tuple[np.ndarray, dict[str, str | None]]:
    """The unit index of every youth, and the same as the checker's youth id -> unit id map."""
    units = unit_of(cand, pair_of)
    return units, unit_ids_of(instance, units)


def receiving_units(cand, units) -> dict[int, np.ndarray]:
    """Units that take someone in, with all their residents afterwards."""
    current = cand.arrays.youth_current
    return {u: res for u, res in residents_by_unit(units).items() if np.any(current[res] != u)}


@settings(max_examples=200)
@given(instances(max_youths=6))
def test_candidate_pairs_are_the_placements_the_checker_allows(instance):
    """A (youth, unit) pair is a candidate exactly when ``placement_problems`` finds no rule 1-6
    against it (an occupant's own unit aside: staying is not a placement)."""
    cand = build_candidates(instance)
    pairs = {(int(y), int(u)) for y, u, stay in zip(cand.pair_youth, cand.pair_unit, cand.pair_stay) if not stay}
    for y in cand.movable.tolist():
        youth = instance.youths[y]
        for u, unit in enumerate(instance.units):
            if unit.unit_id == youth.current_unit_id:
                continue
            problems = placement_problems(instance, youth, unit)
            assert ((y, u) in pairs) == (not problems), (youth.youth_id, unit.unit_id, problems)


@settings(max_examples=300)
@given(assigned_weeks())
def test_unit_rules_agree_with_the_checker(week):
    """In every receiving unit, capacity, age spread and contra-indications are judged alike by
    ``RuleBook`` and by ``capacity_respected``, ``age_spread_respected``, ``conflicts_kept_apart``."""
    instance, cand, rules, pair_of = week
    units, ids = final_units(instance, cand, pair_of)
    for u, res in receiving_units(cand, units).items():
        unit = instance.units[u]
        youths = [instance.youths[y] for y in res.tolist()]
        assert rules.within_capacity(u, res) == (capacity_respected(unit, youths) is None)
        assert rules.within_age_spread(u, res) == (age_spread_respected(unit, youths) is None)
        assert rules.conflicts_apart(res) == (not conflicts_kept_apart(instance, ids, {unit.unit_id}))
        assert rules.unit_ok(u, res) == (
            capacity_respected(unit, youths) is None and age_spread_respected(unit, youths) is None
            and not conflicts_kept_apart(instance, ids, {unit.unit_id})
        )


@settings(max_examples=300)
@given(assigned_weeks())
def test_broken_units_in_array_steps_are_those_unit_ok_rejects(week):
    """``violations`` finds broken units in array steps; they are exactly the receiving units for
    which ``unit_ok`` (the per-unit predicates above) says no over all their residents."""
    instance, cand, rules, pair_of = week
    units = unit_of(cand, pair_of)
    expected = {u for u, res in receiving_units(cand, units).items() if not rules.unit_ok(u, res)}
    assert rules.violations(pair_of).units == expected


@settings(max_examples=300)
@given(assigned_weeks())
def test_sibling_rules_agree_with_the_checker(week):
    """Every sibling group is judged alike by ``RuleBook`` and by ``siblings_at_one_location``
    and ``new_siblings_placed_together``."""
    instance, cand, rules, pair_of = week
    units, ids = final_units(instance, cand, pair_of)
    for g, members in rules.groups.items():
        youths = [instance.youths[y] for y in members]
        assert rules.group_at_one_location(g, units) == (siblings_at_one_location(instance, g, youths, ids) is None)
        assert rules.new_siblings_together(g, units) == (new_siblings_placed_together(g, youths, ids) is None)


@settings(max_examples=300)
@given(assigned_weeks())
def test_violations_agree_with_the_checkers_verdict(week):
    """An assignment over candidate pairs breaks a side rule for ``RuleBook.violations`` exactly
    when the checker rejects it, and ``objective_of`` is the checker's objective."""
    instance, cand, rules, pair_of = week
    _, ids = final_units(instance, cand, pair_of)
    report = check(instance, ids)
    assert bool(rules.violations(pair_of)) == (not report.ok), report.violations
    assert math.isclose(objective_of(cand, pair_of), report.objective, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=300)
@given(instances(max_youths=8))
def test_dirty_units_are_those_whose_occupants_break_the_checkers_rules(instance):
    """The array form of "these occupants alone break a rule of their unit" (``dirty_units``)
    names exactly the units for which ``unit_keeps_its_rules`` says no over the occupants."""
    from matcher.analysis.check import unit_keeps_its_rules
    from matcher.solver.model.receiving import dirty_units

    cand = build_candidates(instance)
    expected = set()
    for u, unit in enumerate(instance.units):
        occupants = [y for y in instance.youths if y.current_unit_id == unit.unit_id]
        if occupants and not unit_keeps_its_rules(unit, occupants, instance.conflict_partners):
            expected.add(u)
    assert dirty_units(instance, cand) == expected
