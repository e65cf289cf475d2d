"""The textbook approach: the whole matching as one MIP in HiGHS, nothing else.

Same rules and the same objective as matcher (it is matcher's own model, ``build_model``), but
over ALL candidate pairs of ALL movable youths at once: no min-cost flow, no reduced-cost
fixing, no warm start, no neighbourhoods. What this costs in time and memory is what matcher's
strategy saves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matcher.solver.candidates import build_candidates
from matcher.instance import Instance
from matcher.solver.exact import use_threads
from matcher.solver.model import MipBuilder, SubProblem, build_model


@dataclass(frozen=True)
class PlainMipOutcome:
    """``status``: OPTIMAL, TIME_LIMIT (with a solution), NO_SOLUTION, or HiGHS's own word."""

    unit_of: dict[str, str | None] | None  # None when HiGHS found no assignment in time
    status: str
    objective: float  # HiGHS's objective of the assignment (nan without one)
    bound: float  # HiGHS's proven lower bound (-inf when it has none)
    seconds: float  # all of it: candidate pairs, model, HiGHS
    build_seconds: float  # candidate pairs and model, before HiGHS starts
    columns: int
    rows: int
    #: (seconds since the start, objective, bound) whenever HiGHS found a better assignment or
    #: wrote a line of its search log, and at the end: when its own gap closed, to log resolution.
    trajectory: tuple[tuple[float, float, float], ...] = ()


@dataclass(frozen=True)
class WholeModel:
    """matcher's own model over every candidate pair of every movable youth (occupants who
    cannot move pinned where they are): what the plain MIP and CP-SAT both solve."""

    instance: Instance
    sub: SubProblem
    builder: MipBuilder

    def unit_of(self, col_value: np.ndarray) -> dict[str, str | None]:
        """Every youth's unit id (None: unplaced) from the solver's column values."""
        cand, sub = self.sub.cand, self.sub
        units = sub.pinned.copy()
        if self.builder.n_cols:
            chosen = sub.pairs[np.asarray(col_value)[sub.x] > 0.5]
            units[cand.pair_youth[chosen]] = cand.pair_unit[chosen]
        unit_ids = [u.unit_id for u in self.instance.units]
        return {y.youth_id: (unit_ids[u] if u >= 0 else None) for y, u in zip(self.instance.youths, units.tolist())}


    def without_choices(self, t0: float) -> PlainMipOutcome:
        """The answer when nobody has a choice: occupants stay, new youths wait (proven at once)."""
        seconds, constant = time.perf_counter() - t0, self.builder.constant
        return PlainMipOutcome(self.unit_of(np.zeros(0)), "OPTIMAL", constant, constant, seconds, seconds, 0,
                               self.builder.n_rows, trajectory=((seconds, constant, constant),))


def whole_model(instance: Instance) -> WholeModel:
    """Candidate pairs and matcher's model over all of them: no fixing, no warm start."""
    cand = build_candidates(instance)
    free = np.zeros(len(instance.youths), dtype=bool)
    free[cand.movable] = True
    pinned = np.where(free, -1, cand.arrays.youth_current)
    pairs = np.flatnonzero(free[cand.pair_youth])
    sub = SubProblem(instance=instance, cand=cand, free=free, pinned=pinned, pairs=pairs)
    return WholeModel(instance, sub, build_model(sub))


def plain_mip(instance: Instance, time_limit: float = 60.0, threads: int = 2, seed: int = 0) -> PlainMipOutcome:
    """Solve the instance as one MIP; the time limit counts from the start, model building included.

    HiGHS gets matcher's own optimality tolerances (relative 1e-7, absolute 1e-6), so that
    OPTIMAL means the same for both.
    """
    import highspy

    t0 = time.perf_counter()
    whole = whole_model(instance)
    builder = whole.builder
    if builder.n_cols == 0:
        return whole.without_choices(t0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", True)  # the log feeds the trajectory; nothing is printed
    h.setOptionValue("log_to_console", False)
    use_threads(h, int(threads))  # the pool is per process: a run with another count rebuilds it
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 1e-7)
    h.setOptionValue("mip_abs_gap", 1e-6)
    h.passModel(builder.to_highs())
    build_seconds = time.perf_counter() - t0
    h.setOptionValue("time_limit", max(0.1, float(time_limit) - (time.perf_counter() - t0)))
    trajectory = _follow(h, highspy, t0)
    h.run()
    info = h.getInfo()
    trajectory.append((time.perf_counter() - t0, float(info.objective_function_value), float(info.mip_dual_bound)))
    model_status = h.getModelStatus()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    unit_of = None
    objective = float("nan")
    if has_solution:
        unit_of = whole.unit_of(np.asarray(h.getSolution().col_value))
        objective = float(info.objective_function_value)
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "OPTIMAL"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = "TIME_LIMIT" if has_solution else "NO_SOLUTION"
    else:
        status = h.modelStatusToString(model_status).upper().replace(" ", "_")
    bound = float(info.mip_dual_bound)
    return PlainMipOutcome(
        unit_of=unit_of,
        status=status,
        objective=objective,
        bound=bound if np.isfinite(bound) else float("-inf"),
        seconds=time.perf_counter() - t0,
        build_seconds=build_seconds,
        columns=builder.n_cols,
        rows=builder.n_rows,
        trajectory=tuple(trajectory),
    )


def _follow(h, highspy, t0: float) -> list[tuple[float, float, float]]:
    """Record (seconds, objective, bound) at every better assignment and every search log line."""
    points: list[tuple[float, float, float]] = []

    def seen(kind, message, data_out, data_in, user_data) -> None:
        point = (float(data_out.objective_function_value), float(data_out.mip_dual_bound))
        if not points or points[-1][1:] != point:
            points.append((time.perf_counter() - t0, *point))

    kinds = highspy.cb.HighsCallbackType
    h.setCallback(seen, None)
    h.startCallback(kinds.kCallbackMipImprovingSolution)
    h.startCallback(kinds.kCallbackMipLogging)
    return points
