"""The side-rule LP: a valid bound (never above the optimum), and the same with column
generation as over every pair at once."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings

from assignments import decided_from_now
from bruteforce import brute_force
from matcher.candidates import build_candidates
from matcher.exact import Budget, lp_bound
from strategies import instances


def lp_of(instance, first_share: float | None = None):
    """The LP over every decided youth from the current situation; with ``first_share`` the
    column generation starts from that share of the pairs (the cheapest first)."""
    cand = build_candidates(instance)
    free, current = decided_from_now(instance, cand)
    first = None
    if first_share is not None:
        first = cand.pair_cost <= np.quantile(cand.pair_cost, first_share) if cand.n_pairs else None
    return lp_bound(instance, cand, free, current, budget=Budget(time_limit=20.0), first=first)


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
