"""Solve one sub-problem exactly with HiGHS (MIP), warm-started from a valid assignment.

The model is handed to HiGHS as one sparse matrix (``highspy``): building it row by row through
a modelling layer took seconds where this takes milliseconds.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from matcher.solver.candidates import Candidates
from matcher.instance import Instance
from matcher.solver.model import MipBuilder, SubProblem, build_model
from matcher.solver.model.base import pair_slices
from matcher.solver.params import SolveParams


@dataclass(frozen=True)
class Budget:
    """How one HiGHS run goes: its time limit (seconds), threads, random seed and knobs."""

    time_limit: float = 10.0
    threads: int = 2
    seed: int = 0
    params: SolveParams = field(default_factory=SolveParams)


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
    budget: Budget = Budget(),
    on_improve: Callable[[float, float], None] | None = None,
) -> ExactOutcome:
    """Decide the free youths' places; everyone else stays as in ``incumbent`` (a valid one).

    ``pair_mask`` limits which candidate pairs the free youths may use (default: all of theirs,
    always including their incumbent pair).
    """
    t0 = time.perf_counter()
    with _model(instance, cand, free, incumbent, pair_mask) as (sub, builder), _mip_solver(sub, builder, budget) as h:
        start_cols = _warm_start(h, sub, builder, free, incumbent)
        _stop_on_time(h, time.perf_counter() + float(budget.time_limit))
        if on_improve is not None:
            def _cb(e):
                on_improve(float(e.data_out.objective_function_value), float(e.data_out.mip_dual_bound))
            h.cbMipImprovingSolution.subscribe(_cb)
        run_status = h.run()
        start_objective = float(builder.constant + builder_cost(builder)[start_cols].sum())
        pair_of, objective, bound, optimal = _answer(h, run_status, sub, incumbent, start_objective, budget.params)
    return ExactOutcome(pair_of=pair_of, objective=objective, bound=bound, optimal=optimal,
                        seconds=time.perf_counter() - t0, columns=builder.n_cols, rows=builder.n_rows)


@contextmanager
def _highs():
    """A quiet HiGHS instance whose model and solver memory is given back when the block ends.

    highspy's ``Highs`` refers to itself through its table of callbacks, so without this it would
    live on, with its model and everything its callbacks refer to, until Python's cycle collector
    happens to run (measured at 20,000 youths: 0.46 GB still held after the solve).
    """
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    try:
        yield h
    finally:
        h.clear()
        for event in h.callbacks:
            event.callbacks.clear()
            event.user_callback_data.clear()
        h.callbacks = []


@contextmanager
def _mip_solver(sub: SubProblem, builder: MipBuilder, budget: Budget):
    """A HiGHS instance holding the model, with the budget's limits and the MIP tolerances."""
    with _highs() as h:
        _set_mip_options(h, sub, builder, budget)
        h.passModel(builder.to_highs())
        yield h


def _set_mip_options(h, sub: SubProblem, builder: MipBuilder, budget: Budget) -> None:
    """The budget's limits, threads and seed, and the MIP tolerances."""
    p = budget.params
    # HiGHS' root cut rounds on very large models overrun its own limit (measured up to 3x):
    # give those a share of the time, so the answer still comes in time.
    large = sub.pairs.size > p.large_model_columns
    limit = float(budget.time_limit) * (p.large_model_time_share if large else 1.0)
    h.setOptionValue("time_limit", max(p.min_highs_seconds, limit))
    use_threads(h, int(budget.threads))
    h.setOptionValue("random_seed", int(budget.seed))
    h.setOptionValue("mip_rel_gap", p.mip_rel_gap)
    h.setOptionValue("mip_abs_gap", p.mip_abs_gap)
    if builder.n_cols > p.presolve_max_columns:
        h.setOptionValue("presolve", "off")


def _warm_start(h, sub: SubProblem, builder: MipBuilder, free: np.ndarray, incumbent: np.ndarray) -> np.ndarray:
    """Hand HiGHS the incumbent, completed with every rule's helper columns; returns the
    incumbent's pair columns."""
    import highspy

    chosen = incumbent[free & (incumbent >= 0)]
    start_cols = sub.x[np.searchsorted(sub.pairs, chosen)]
    start = np.zeros(builder.n_cols)
    start[start_cols] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = sub.complete(start)
    sol.value_valid = True
    h.setSolution(sol)
    return start_cols


def _stop_on_time(h, deadline: float) -> None:
    """HiGHS checks its own limit only between phases: interrupt it at the deadline."""

    def _interrupt(e):
        if time.perf_counter() > deadline:
            e.data_in.user_interrupt = 1

    h.cbMipInterrupt.subscribe(_interrupt)
    h.cbSimplexInterrupt.subscribe(_interrupt)


def _answer(h, run_status, sub, incumbent, start_objective, params) -> tuple[np.ndarray, float, float, bool]:
    """The run's assignment (never worse than the incumbent), its objective, bound, optimality."""
    import highspy

    info = h.getInfo()
    failed = run_status == highspy.HighsStatus.kError
    pair_of = incumbent.copy()
    objective = start_objective
    if not failed and info.primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible):
        col = np.asarray(h.getSolution().col_value)[: sub.pairs.size]
        take = sub.pairs[col > 0.5]
        pair_of[sub.free] = -1
        pair_of[sub.cand.pair_youth[take]] = take
        objective = float(info.objective_function_value)
        if objective > start_objective + params.improvement_tolerance:  # never worse than the start
            pair_of, objective = incumbent.copy(), start_objective
    bound = float(info.mip_dual_bound) if not failed and np.isfinite(info.mip_dual_bound) else -np.inf
    optimal = not failed and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return pair_of, objective, min(bound, objective), bool(optimal)


@contextmanager
def _model(instance, cand, free, incumbent, pair_mask):
    """The sub-problem for the free youths (others pinned as in ``incumbent``) and its model,
    released when the block ends (``SubProblem.release``)."""
    from matcher.solver.feasibility import unit_of

    in_free = free[cand.pair_youth]
    if pair_mask is not None:
        in_free &= pair_mask
        held = incumbent[free & (incumbent >= 0)]
        in_free[held] = True
    pinned = unit_of(cand, incumbent)
    pinned[free] = -1
    sub = SubProblem(instance=instance, cand=cand, free=free, pinned=pinned, pairs=np.flatnonzero(in_free))
    try:
        yield sub, build_model(sub)
    finally:
        sub.release()


@dataclass(frozen=True)
class LpOutcome:
    """The side-rule LP's optimum over a set of pairs, with what every pair costs on top of it.

    ``reduced_cost[p]`` (points, +inf outside the model): any assignment that uses only the
    model's pairs, pair p among them, costs at least ``value + reduced_cost[p]`` (LP duality:
    ``c x >= value + sum_j d_j (x_j - x*_j)``, every term of which is >= 0).
    """

    value: float
    values: np.ndarray  # the LP's value of every candidate pair (zero outside the model)
    reduced_cost: np.ndarray
    #: With the pairs outside the model priced by the LP's duals (``outside_bound``; None when
    #: that was not needed): what an assignment using one of them costs at least.
    outside_least: float | None = None
    #: A lower bound on every assignment, the pairs outside the model included.
    farley: float = -np.inf
    #: The pairs outside the model that lower the priced bound (``outside_bound``): the LP
    #: over them too may be lower.
    priced_in: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: The pairs the LP ended with (its start and every pair priced in).
    columns: np.ndarray | None = None


@dataclass(frozen=True)
class LpPairs:
    """Which pairs the side-rule LP is over: those in ``mask`` (default all), starting with
    those in ``first`` (default all); ``floor`` is, for the others, a bound and per pair what
    an assignment using it costs at least on top (the flow's)."""

    mask: np.ndarray | None = None
    first: np.ndarray | None = None
    floor: tuple[float, np.ndarray] | None = None


def lp_bound(instance, cand, free, incumbent, pairs: LpPairs = LpPairs(),
             budget: Budget = Budget()) -> LpOutcome | None:
    """The LP relaxation of the exact model (side rules included): a lower bound on the free
    youths' share, usually far tighter than the flow's, and per pair its LP value and reduced
    cost. None when it is not solved in time.

    Column generation: the LP starts with the pairs in ``pairs.first`` and every helper
    column; the duals price every other pair (``c - A^T y``), and those of negative reduced
    cost join, until none is left: then the LP is optimal over all pairs of the model.

    With ``pairs.floor`` the pairs outside the model are priced too (``outside_bound``),
    unless their floor is already above the LP value.
    """
    first, floor = pairs.first, pairs.floor
    with _model(instance, cand, free, incumbent, pairs.mask) as (sub, builder):
        n_pairs = sub.pairs.size
        active = np.ones(builder.n_cols, dtype=bool)
        if first is not None:
            active[:n_pairs] = first[sub.pairs]
            active[np.searchsorted(sub.pairs, incumbent[free & (incumbent >= 0)])] = True
        solved = _generate_columns(builder, active, budget)
        if solved is None:
            return None
        value, col_value, reduced, dual = solved
        x = np.zeros(cand.n_pairs)
        x[sub.pairs] = col_value[:n_pairs]
        rc = np.full(cand.n_pairs, np.inf)
        rc[sub.pairs] = np.maximum(reduced[:n_pairs], 0.0)
        columns = np.zeros(cand.n_pairs, dtype=bool)
        columns[sub.pairs[active[:n_pairs]]] = True
        lp = LpOutcome(value=value, values=x, reduced_cost=rc, columns=columns)
        outside = ~np.isfinite(rc)
        if floor is None or not outside.any() or floor[0] + float(floor[1][outside].min()) >= value:
            return lp
        bound, least, priced_in = outside_bound(sub, builder, solved, active, floor, budget.params.lp_pricing_tolerance)
        return replace(lp, outside_least=least, farley=bound, priced_in=priced_in)


def outside_bound(sub: SubProblem, builder: MipBuilder, solved, active: np.ndarray, floor: tuple[float, np.ndarray],
                  tolerance: float) -> tuple[float, float, np.ndarray]:
    """A bound over ALL pairs from an LP over some of them (Farley's bound, Lagrangian in form).

    Take the model over every pair of the free youths: the LP's rows, each with the outside
    pairs' coefficients added, and new rows (dual 0). With the LP's duals y, any assignment x
    costs ``c x >= value + sum_j d_j x_j`` over the columns the LP did not use (``d = c - A^T y``),
    plus what new or widened helper columns could add. A youth takes at most one pair, so the
    pairs' share is at least ``sum over youths of min(0, its lowest d)`` (which replaces what
    the LP value holds for the youth's pairs at their upper bound). The rule families say
    which rows an outside pair enters (``SubProblem.outside_duals``; a row left out only
    lowers d) and what their helper columns add (``SubProblem.outside_helpers``).

    Returns that bound; the least an assignment using an outside pair costs (``bound + d - its
    youth's share``, or its floor where that is higher), over all of them; and the outside
    pairs that lower it (d below what the LP value holds for the youth's pairs, or bringing a
    helper column that does). Valid for any duals of the right signs (``<=`` rows <= 0), so HiGHS's
    tolerances make it only a little weaker or stronger, as with the LP value itself. The
    pairs are priced in slices, so that a national model's extra memory stays small.
    """
    value, _, reduced, dual = solved
    cand = sub.cand
    price = _Pricing.of(sub, builder, reduced, dual)
    joint = np.zeros(sub.free.size)  # per youth: min(0, its lowest d)
    for start, stop in pair_slices(cand.n_pairs):
        youth, d, _ = price.slice(start, stop)
        first = np.r_[0, np.flatnonzero(np.diff(youth)) + 1]
        if youth.size:
            np.minimum.at(joint, youth[first], np.minimum.reduceat(d, first))
    n = sub.pairs.size
    held = active[:n] & price.usable
    in_lp = np.bincount(sub.youth[held], weights=np.minimum(reduced[:n][held], 0.0), minlength=sub.free.size)
    outside = sub.free[cand.pair_youth]
    outside[sub.pairs] = False
    helpers = [h(dual, reduced, outside) for h in sub.outside_helpers]
    bound = value + float((joint - in_lp).sum()) + float(sum(points for points, _ in helpers))
    least, priced_in = np.inf, [pairs for _, pairs in helpers]
    for start, stop in pair_slices(cand.n_pairs):
        youth, d, out = price.slice(start, stop)
        cost = np.maximum(floor[0] + floor[1][start:stop], bound + d - joint[youth])
        least = min(least, float(cost[out].min(initial=np.inf)))
        priced_in.append(start + np.flatnonzero(out & (d < in_lp[youth] - tolerance)))
    return bound, least, np.unique(np.concatenate(priced_in))


@dataclass(frozen=True)
class _Pricing:
    """``c - A^T y`` of every pair: the model's reduced costs for its pairs (inf where fixed at
    0), and over the rows the rule families name for the others."""

    sub: SubProblem
    unplaced: np.ndarray  # per youth: the cost of leaving it unplaced (0 for occupants)
    youth_dual: np.ndarray
    unit_dual: np.ndarray
    usable: np.ndarray  # per model pair: not fixed at 0
    model: np.ndarray  # per model pair: its reduced cost (inf where fixed at 0)

    @classmethod
    def of(cls, sub: SubProblem, builder: MipBuilder, reduced: np.ndarray, dual: np.ndarray) -> "_Pricing":
        a, n = sub.cand.arrays, sub.pairs.size
        youth_dual, unit_dual = np.zeros(sub.free.size), np.zeros(a.unit_capacity.size)
        for terms in sub.outside_duals:
            per_youth, per_unit = terms(dual)
            if per_youth is not None:
                youth_dual += per_youth
            if per_unit is not None:
                unit_dual += per_unit
        _, lower, upper = builder.column_arrays()
        usable = upper[:n] > lower[:n]
        unplaced = np.where(a.youth_current < 0, a.youth_unplaced_cost, 0.0)
        return cls(sub, unplaced, youth_dual, unit_dual, usable, np.where(usable, reduced[:n], np.inf))

    def named_rows(self, pairs: np.ndarray | slice) -> np.ndarray:
        """``c - A^T y`` of ``pairs`` over the named rows only: for a pair in the model at most
        its reduced cost there (the rows left out cannot raise it)."""
        cand = self.sub.cand
        youth, unit = cand.pair_youth[pairs], cand.pair_unit[pairs]
        return cand.pair_cost[pairs] - self.unplaced[youth] - self.youth_dual[youth] - self.unit_dual[unit]

    def slice(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs ``start:stop``: their youths, reduced costs, and which lie outside the model."""
        cand, pairs = self.sub.cand, self.sub.pairs
        youth = cand.pair_youth[start:stop]
        d = self.named_rows(slice(start, stop))
        lo, hi = np.searchsorted(pairs, [start, stop])
        d[pairs[lo:hi] - start] = self.model[lo:hi]
        out = self.sub.free[youth]  # a pinned youth's pairs are no one's to use
        d[~out] = np.inf
        out[pairs[lo:hi] - start] = False
        return youth, d, out


def _solved_statuses():
    import highspy

    return (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)


def _generate_columns(builder: MipBuilder, active: np.ndarray, budget: Budget):
    """Solve the LP over the ``active`` columns, adding priced-out columns until none is left;
    returns (value, every column's value, every column's reduced cost, the row duals), or None."""
    import highspy

    p = budget.params
    solved = _solved_statuses()
    deadline = time.perf_counter() + float(budget.time_limit)
    by_column = builder.matrix().tocsc()
    cost, lower, upper = builder.column_arrays()
    columns = np.flatnonzero(active)
    with _highs() as h:
        h.setOptionValue("solver", "simplex")
        use_threads(h, int(budget.threads))
        h.passModel(builder.lp_over(columns, by_column))
        while True:
            h.setOptionValue("time_limit", max(p.min_highs_seconds, deadline - time.perf_counter()))
            if h.run() == highspy.HighsStatus.kError or h.getModelStatus() not in solved:
                return None
            solution = h.getSolution()
            reduced = cost - by_column.T @ np.asarray(solution.row_dual)
            enter = np.flatnonzero(~active & (reduced < -p.lp_pricing_tolerance) & (upper > lower))
            if enter.size == 0:
                break
            block = by_column[:, enter]
            h.addCols(enter.size, cost[enter], lower[enter], upper[enter], block.nnz,
                      block.indptr[:-1].astype(np.int32), block.indices.astype(np.int32), block.data)
            active[enter] = True
            columns = np.r_[columns, enter]
        values = np.zeros(builder.n_cols)
        values[columns] = np.asarray(solution.col_value)
        return float(h.getInfo().objective_function_value), values, reduced, np.asarray(solution.row_dual)


_THREADS_IN_USE: list[int] = []


def use_threads(h, threads: int) -> None:
    """HiGHS keeps one thread pool per process: a different count needs the pool rebuilt first
    (measured: otherwise a later solve with another count silently fails and keeps its start)."""
    import highspy

    if _THREADS_IN_USE and _THREADS_IN_USE[0] != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _THREADS_IN_USE[:] = [threads]
    h.setOptionValue("threads", threads)


def builder_cost(builder) -> np.ndarray:
    return np.concatenate(builder.cost) if builder.cost else np.zeros(0)
