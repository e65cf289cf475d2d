"""Solve one sub-problem exactly with HiGHS (MIP), warm-started from a valid assignment.

The model is handed to HiGHS as one sparse matrix (``highspy``): building it row by row through
a modelling layer took seconds where this takes milliseconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from matcher.candidates import Candidates
from matcher.instance import Instance
from matcher.model import SubProblem, build_model


#: Models above this many columns get only a share of the remaining time (see below).
LARGE_MODEL_COLUMNS = 100_000
LARGE_MODEL_TIME_SHARE = 0.5
#: Above this many columns HiGHS' presolve costs more than it saves on this model.
PRESOLVE_MAX_COLUMNS = 20_000


@dataclass(frozen=True)
class ExactOutcome:
    pair_of: np.ndarray  # new assignment for all youths (free ones changed, others as given)
    objective: float  # the sub-problem's objective (free youths' share)
    bound: float  # proven lower bound on that share
    optimal: bool
    seconds: float
    columns: int
    rows: int


def solve_subproblem(
    instance: Instance,
    cand: Candidates,
    free: np.ndarray,
    incumbent: np.ndarray,
    pair_mask: np.ndarray | None = None,
    time_limit: float = 10.0,
    threads: int = 2,
    seed: int = 0,
    on_improve: Callable[[float, float], None] | None = None,
) -> ExactOutcome:
    """Decide the free youths' places; everyone else stays as in ``incumbent`` (a valid one).

    ``pair_mask`` limits which candidate pairs the free youths may use (default: all of theirs,
    always including their incumbent pair).
    """
    import highspy

    t0 = time.perf_counter()
    sub, builder = _model(instance, cand, free, incumbent, pair_mask)
    pairs = sub.pairs
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # HiGHS' root cut rounds on very large models overrun its own limit (measured up to 3x):
    # give those a share of the time, so the answer still comes in time.
    budget = float(time_limit) * (LARGE_MODEL_TIME_SHARE if len(pairs) > LARGE_MODEL_COLUMNS else 1.0)
    h.setOptionValue("time_limit", max(0.05, budget))
    _use_threads(h, int(threads))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 1e-7)
    h.setOptionValue("mip_abs_gap", 1e-6)
    if builder.n_cols > PRESOLVE_MAX_COLUMNS:
        # Measured: on 160k columns HiGHS' presolve took 34 s and removed <1 % of the columns.
        h.setOptionValue("presolve", "off")
    h.passModel(builder.to_highs())
    # Warm start: the incumbent, completed with every rule's helper columns.
    chosen = incumbent[free & (incumbent >= 0)]
    start_cols = sub.x[np.searchsorted(pairs, chosen)]
    start = np.zeros(builder.n_cols)
    start[start_cols] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = sub.complete(start)
    sol.value_valid = True
    h.setSolution(sol)
    deadline = time.perf_counter() + float(time_limit)

    def _interrupt(e):  # HiGHS checks its own limit only between phases; stop it on time
        if time.perf_counter() > deadline:
            e.data_in.user_interrupt = 1

    h.cbMipInterrupt.subscribe(_interrupt)
    h.cbSimplexInterrupt.subscribe(_interrupt)
    if on_improve is not None:
        def _cb(e):
            on_improve(float(e.data_out.objective_function_value), float(e.data_out.mip_dual_bound))
        h.cbMipImprovingSolution.subscribe(_cb)
    run_status = h.run()
    info = h.getInfo()
    status = h.getModelStatus()
    pair_of = incumbent.copy()
    objective_incumbent = float(builder.constant + builder_cost(builder)[start_cols].sum())
    failed = run_status == highspy.HighsStatus.kError
    has_solution = not failed and info.primal_solution_status == 2  # kSolutionStatusFeasible
    if has_solution:
        col = np.asarray(h.getSolution().col_value)[: pairs.size]
        take = pairs[col > 0.5]
        pair_of[free] = -1
        pair_of[cand.pair_youth[take]] = take
        objective = float(info.objective_function_value)
        if objective > objective_incumbent + 1e-6:  # never worse than where we started
            pair_of, objective = incumbent.copy(), objective_incumbent
    else:
        objective = objective_incumbent
    bound = float(info.mip_dual_bound) if not failed and np.isfinite(info.mip_dual_bound) else -np.inf
    optimal = not failed and status == highspy.HighsModelStatus.kOptimal
    return ExactOutcome(
        pair_of=pair_of,
        objective=objective,
        bound=min(bound, objective),
        optimal=bool(optimal),
        seconds=time.perf_counter() - t0,
        columns=builder.n_cols,
        rows=builder.n_rows,
    )


def _model(instance, cand, free, incumbent, pair_mask):
    """The sub-problem for the free youths (others pinned as in ``incumbent``) and its model."""
    from matcher.feasibility import unit_of

    in_free = free[cand.pair_youth]
    if pair_mask is not None:
        in_free &= pair_mask
        held = incumbent[free & (incumbent >= 0)]
        in_free[held] = True
    pinned = unit_of(cand, incumbent)
    pinned[free] = -1
    sub = SubProblem(instance=instance, cand=cand, free=free, pinned=pinned, pairs=np.flatnonzero(in_free))
    return sub, build_model(sub)


def lp_bound(instance, cand, free, incumbent, pair_mask=None, time_limit: float = 10.0, threads: int = 2):
    """The LP relaxation of the exact model (side rules included): a lower bound on the free
    youths' share, usually far tighter than the flow's, and the LP value of every candidate pair
    (zero outside the model). None when it is not solved in time."""
    import highspy

    sub, builder = _model(instance, cand, free, incumbent, pair_mask)
    lp = builder.to_highs()
    lp.integrality_ = []
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.05, float(time_limit)))
    h.setOptionValue("solver", "simplex")
    _use_threads(h, int(threads))
    h.passModel(lp)
    if h.run() == highspy.HighsStatus.kError or h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.zeros(cand.n_pairs)
    x[sub.pairs] = np.asarray(h.getSolution().col_value)[: sub.pairs.size]
    return float(h.getInfo().objective_function_value), x


_THREADS_IN_USE: list[int] = []


def _use_threads(h, threads: int) -> None:
    """HiGHS keeps one thread pool per process: a different count needs the pool rebuilt first
    (measured: otherwise a later solve with another count silently fails and keeps its start)."""
    import highspy

    if _THREADS_IN_USE and _THREADS_IN_USE[0] != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _THREADS_IN_USE[:] = [threads]
    h.setOptionValue("threads", threads)


def builder_cost(builder) -> np.ndarray:
    return np.concatenate(builder.cost) if builder.cost else np.zeros(0)
