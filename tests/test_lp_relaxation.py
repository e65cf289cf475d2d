"""The side-rule LP: a valid bound (never above the optimum), and the same with column
generation as over every pair at once."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assignments import decided_from_now
from bruteforce import brute_force
from matcher.solver.candidates import build_candidates
import matcher.solver.solve
from matcher.solver.exact import Budget, LpPairs, lp_bound
from matcher.solver.flow import solve_transportation
from matcher.generator import generate
from matcher.result import OPTIMAL
from strategies import instances


def lp_of(instance, first_share: float | None = None):
    """The LP over every decided youth from the current situation; with ``first_share`` the
    column generation starts from that share of the pairs (the cheapest first)."""
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    first = None
    if first_share is not None:
        first = cand.pair_cost <= np.quantile(cand.pair_cost, first_share) if cand.n_pairs else None
    return lp_bound(instance, cand, free, current, LpPairs(first=first), Budget(time_limit=20.0))


@settings(max_examples=150, deadline=None)
@given(instances(max_youths=7))
def test_the_lp_never_exceeds_the_optimum_and_column_generation_finds_the_same_lp(instance):
    """The LP value is a lower bound on the brute-force optimum, and starting from a third of
    the pairs, pricing in the rest reaches the value and the bound promises of the full LP."""
    optimum, _ = brute_force(instance)
    assume(math.isfinite(optimum))
    full = lp_of(instance)
    assert full is not None and full.value <= optimum + 1e-6
    generated = lp_of(instance, first_share=0.3)
    assert generated is not None
    assert math.isclose(generated.value, full.value, rel_tol=1e-9, abs_tol=1e-6)
    assert (generated.reduced_cost >= 0).all()


def _only(cand, pairs) -> tuple[float, np.ndarray]:
    """A floor that leaves only ``pairs`` to the outside pricing (the others at +inf): the
    least an assignment using one of them costs is then the priced one."""
    floor = np.full(cand.n_pairs, np.inf)
    floor[pairs] = -np.inf
    return 0.0, floor


def _pairs_of(instance, cand, unit_of_id) -> np.ndarray:
    """The candidate pairs an assignment (youth id -> unit id or None) uses."""
    unit_index = {u.unit_id: i for i, u in enumerate(instance.units)}
    key = cand.pair_youth.astype(np.int64) * len(instance.units) + cand.pair_unit
    wanted = np.array([y * len(instance.units) + unit_index[unit_of_id[youth.youth_id]]
                       for y, youth in enumerate(instance.youths) if unit_of_id.get(youth.youth_id) is not None])
    return np.flatnonzero(np.isin(key, wanted))


@settings(max_examples=150, deadline=None)
@given(instances(max_youths=7), st.integers(0, 2**32 - 1), st.floats(0.0, 0.8))
def test_pricing_the_pairs_outside_the_lp_gives_a_bound_on_every_assignment(instance, seed, share):
    """The LP over only some pairs, with the pairs outside priced by its duals (Farley's bound):
    never above the optimum, and for each pair outside the LP that an optimal assignment
    uses, what the LP says an assignment using it costs at least is not above the optimum."""
    optimum, best = brute_force(instance)
    assume(math.isfinite(optimum))
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    mask = np.random.default_rng(seed).random(cand.n_pairs) >= share
    used = _pairs_of(instance, cand, best)

    def priced(floor):
        lp = lp_bound(instance, cand, free, current, LpPairs(mask=mask, floor=floor), Budget(time_limit=20.0))
        assert lp is not None
        return lp

    everything = priced((-np.inf, np.zeros(cand.n_pairs)))
    if everything.outside_least is None:  # every pair is in the LP
        return
    assert everything.farley <= everything.value + 1e-6
    assert everything.farley <= optimum + 1e-6
    assert everything.outside_least <= optimum + 1e-6 or not (~np.isfinite(everything.reduced_cost[used])).any()
    for p in used[~np.isfinite(everything.reduced_cost[used])]:
        assert priced(_only(cand, [p])).outside_least <= optimum + 1e-6


@pytest.mark.parametrize("seed, allow_moves, share", [(1, False, 0.5), (2, False, 0.8), (3, True, 0.9)])
def test_the_priced_bound_holds_on_dense_generated_instances(seed, allow_moves, share):
    """Five youths per unit, with sibling groups, age spreads and contra-indications: the LP
    over the cheapest pairs only (by flow reduced cost, as the solver does) still gives a
    bound, and a bound per pair outside it, that an optimal assignment respects."""
    instance = generate("stress", seed, youths=300, units=60)
    if allow_moves:
        settings_ = instance.settings.model_copy(update={"allow_moves": True})
        instance = instance.model_copy(update={"settings": settings_})
    result = matcher.solver.solve.solve(instance, time_limit=60, threads=1)
    assert result.status == OPTIMAL
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    flow = solve_transportation(instance, cand, with_reduced_costs=True)
    mask = flow.reduced_cost <= np.quantile(flow.reduced_cost, 1.0 - share)
    used = _pairs_of(instance, cand, result.unit_of)
    outside = used[~mask[used]]
    assert outside.size
    budget = Budget(time_limit=30.0, threads=1)
    lp = lp_bound(instance, cand, free, current, LpPairs(mask=mask, floor=_only(cand, outside)), budget)
    assert lp.farley <= result.objective + 1e-6
    assert lp.outside_least <= result.objective + 1e-6


@pytest.mark.parametrize("seed, allow_moves", [(1, False), (2, False), (3, True), (4, True)])
def test_a_pair_priced_over_the_named_rows_never_costs_more_than_in_the_model(seed, allow_moves):
    """The outside pricing reads only the rows the rule families name (a youth's row, a unit's
    capacity, a sibling group's rows). Priced that way, every pair IN the model must come out
    at most at its true reduced cost, and exactly there where it enters no other row."""
    from matcher.solver.exact import _generate_columns, _model, _Pricing

    instance = generate("stress", seed, youths=300, units=60)
    if allow_moves:
        settings_ = instance.settings.model_copy(update={"allow_moves": True})
        instance = instance.model_copy(update={"settings": settings_})
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    with _model(instance, cand, free, current, None) as (sub, builder):
        solved = _generate_columns(builder, np.ones(builder.n_cols, dtype=bool), Budget(time_limit=30.0, threads=1))
        _, _, reduced, dual = solved
        pricing = _Pricing.of(sub, builder, reduced, dual)
        named = pricing.named_rows(sub.pairs)
        true = reduced[: sub.pairs.size]
        assert (named <= true + 1e-6).all()
        mat = builder.matrix().tocsc()[:, : sub.pairs.size]
        rows_per_pair = np.diff(mat.indptr)
        plain = rows_per_pair == 1 + np.isin(sub.unit, sub.ruled_units())  # its youth row (and its capacity row)
        assert plain.any() and np.allclose(named[plain], true[plain], atol=1e-6)
        members = np.isin(sub.youth, [y for y, youth in enumerate(instance.youths) if youth.sibling_group])
        assert (np.abs(dual) > 1e-9).sum() > 0 and members.any()
