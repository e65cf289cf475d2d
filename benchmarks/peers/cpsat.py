"""The other textbook approach: the whole matching as one model for OR-Tools' CP-SAT.

The same model as the plain MIP (matcher's own ``build_model`` over ALL candidate pairs of ALL
movable youths, ``benchmarks.peers.plain_mip.whole_model``), handed to CP-SAT instead of HiGHS:
binary columns, the rows as linear constraints, the costs scaled to integers (millionths of a
point, as in matcher's flow). No flow relaxation, no fixing, no warm start. Its objective is
recomputed by the checker like every method's.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.peers.plain_mip import PlainMipOutcome, WholeModel, whole_model
from matcher.instance import Instance

#: Costs in millionths of a point: the rounding moves an assignment by at most 5e-7 a youth.
SCALE = 1_000_000


def cpsat(instance: Instance, time_limit: float = 60.0, threads: int = 2, seed: int = 0) -> PlainMipOutcome:
    """Solve the instance with CP-SAT; the time limit counts from the start, model building included.

    CP-SAT stops at matcher's tolerances (relative gap 1e-7, absolute 1e-6 point), so that
    OPTIMAL means the same for every method.
    """
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    whole = whole_model(instance)
    builder = whole.builder
    if builder.n_cols == 0:
        return whole.without_choices(t0)
    model, x, offset = cp_model_of(whole, cp_model)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = int(threads)
    p.random_seed = int(seed)
    p.relative_gap_limit = 1e-7
    p.absolute_gap_limit = 1e-6 * SCALE
    build_seconds = time.perf_counter() - t0
    p.max_time_in_seconds = max(0.1, float(time_limit) - build_seconds)
    trajectory: list[tuple[float, float, float]] = []
    best = [float("nan")]

    def on_bound(bound: float) -> None:
        trajectory.append((time.perf_counter() - t0, best[0], bound / SCALE + offset))

    solver.best_bound_callback = on_bound
    status = solver.solve(model, _follower(trajectory, best, t0, offset, cp_model))
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value / SCALE + offset if has_solution else float("nan")
    # Without an assignment CP-SAT's final bound is not a bound (it reads its objective's
    # domain); the last one its bound callback reported is.
    bounds = [b for _, _, b in trajectory]
    bound = solver.best_objective_bound / SCALE + offset if has_solution else max(bounds, default=float("-inf"))
    trajectory.append((time.perf_counter() - t0, objective, bound))
    unit_of = whole.unit_of(np.array([solver.value(v) for v in x], dtype=float)) if has_solution else None
    word = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "TIME_LIMIT", cp_model.UNKNOWN: "NO_SOLUTION"}
    return PlainMipOutcome(unit_of=unit_of, status=word.get(status, solver.status_name(status)), objective=objective,
                           bound=bound if np.isfinite(bound) else float("-inf"), seconds=time.perf_counter() - t0,
                           build_seconds=build_seconds, columns=builder.n_cols, rows=builder.n_rows,
                           trajectory=tuple(trajectory))


def cp_model_of(whole: WholeModel, cp_model) -> tuple:
    """The MIP's columns as CP-SAT integer variables and its rows as linear constraints, the
    costs rounded to ``SCALE``; returns (model, variables, the objective's constant in points).
    Every row of matcher's model has integer coefficients and bounds (counts, ages, big-Ms)."""
    b = whole.builder
    cost, lower, upper = b.column_arrays()
    model = cp_model.CpModel()
    x = [model.new_int_var(int(lo), int(hi), f"x{i}") for i, (lo, hi) in enumerate(zip(lower, upper))]
    if b.n_rows:
        mat = b.matrix()
        if not np.allclose(mat.data, np.rint(mat.data)):
            raise ValueError("the model has a non-integer coefficient: CP-SAT needs integers")
        row_lower, row_upper = np.concatenate(b.row_lower), np.concatenate(b.row_upper)
        values = np.rint(mat.data).astype(np.int64).tolist()
        indices, starts = mat.indices.tolist(), mat.indptr.tolist()
        for r in range(b.n_rows):
            cols = indices[starts[r]:starts[r + 1]]
            expr = cp_model.LinearExpr.weighted_sum([x[c] for c in cols], values[starts[r]:starts[r + 1]])
            lo = int(np.ceil(row_lower[r] - 1e-9)) if np.isfinite(row_lower[r]) else cp_model.INT_MIN
            hi = int(np.floor(row_upper[r] + 1e-9)) if np.isfinite(row_upper[r]) else cp_model.INT_MAX
            model.add_linear_constraint(expr, lo, hi)
    model.minimize(cp_model.LinearExpr.weighted_sum(x, np.rint(cost * SCALE).astype(np.int64).tolist()))
    return model, x, b.constant


def _follower(trajectory: list, best: list, t0: float, offset: float, cp_model):
    """A solution callback that records (seconds, objective, bound) at every better assignment."""

    class Follow(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            best[0] = self.objective_value / SCALE + offset
            trajectory.append((time.perf_counter() - t0, best[0], self.best_objective_bound / SCALE + offset))

    return Follow()
