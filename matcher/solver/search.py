"""The search state the solving stages share, and the first step that creates it.

``SearchState`` holds what every stage reads and improves: the instance's candidate pairs and
rule lookups, the flow relaxation, the current valid (or not yet valid) assignment ``pair_of``
and the best proven ``bound``, the clock, and the statistics that end up in ``summary.json``.
A stage is a function ``stage(state) -> None`` (see ``matcher.solver.stages``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import Callable

import numpy as np

from matcher.solver.blocked import blocked_pairs
from matcher.solver.candidates import Candidates, build_candidates
from matcher.solver.exact import Budget, ExactOutcome, LpOutcome, solve_subproblem
from matcher.solver.feasibility import RuleBook, Violations, objective_of
from matcher.solver.flow import SCALE, FlowSolution, priced, solve_transportation
from matcher.instance import Instance
from matcher.solver.params import SolveParams

Progress = Callable[[dict], None]


@dataclass(frozen=True)
class Clock:
    """When the solve started, how long it may take, and whom to tell how it goes."""

    started: float
    time_limit: float
    progress: Progress | None = None

    @property
    def deadline(self) -> float:
        return self.started + self.time_limit

    def at(self, share: float) -> float:
        """The moment ``share`` of the time limit has passed."""
        return self.started + share * self.time_limit

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def report(self, stage: str, objective: float, bound: float) -> None:
        """Tell the caller's progress function where the search stands."""
        if self.progress is not None:
            self.progress({"stage": stage, "objective": float(objective), "bound": float(bound),
                           "seconds": self.elapsed()})


@dataclass
class SearchStats:
    """What the search did (``summary.json``'s ``solver``); a field left None did not happen."""

    youths: int
    units: int
    pairs: int
    movable: int
    candidates_seconds: float
    flow_seconds: float | None = None
    flow_breaks_units: int | None = None
    flow_breaks_sibling_groups: int | None = None
    restricted_flow_rounds: int | None = None
    neighbourhoods: int | None = None
    lp_bound: float | None = None
    lp_columns: int | None = None
    lp_capped: bool | None = None  # the LP bound is the cap: more pairs could raise it
    sibling_branch_nodes: int | None = None
    lp_guided_youths: int | None = None
    restricted_mip_columns: int | None = None
    pairs_after_fixing: int | None = None
    mip_columns: int | None = None
    mip_rows: int | None = None
    mip_seconds: float | None = None
    search_seconds: float | None = None

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass
class SearchState:
    """Everything the stages share; ``pair_of`` and ``bound`` only ever get better."""

    instance: Instance
    params: SolveParams
    cand: Candidates
    rules: RuleBook
    flow: FlowSolution
    clock: Clock
    threads: int
    seed: int
    stats: SearchStats
    pair_of: np.ndarray  # chosen candidate pair per youth (-1: unplaced or not movable)
    bound: float  # proven lower bound on the optimum
    broken: Violations  # where the flow's own assignment breaks a side rule
    rng: np.random.Generator = field(init=False)  # the neighbourhoods' draws, from ``seed``
    keep: np.ndarray | None = None  # pairs kept by reduced-cost fixing (None before fixing)
    lp: LpOutcome | None = None  # the side-rule LP (value, pair values, reduced costs), when solved
    mip_optimal: bool | None = None  # whether the full MIP proved its optimum (None: not run)
    settled: bool = False  # a valid assignment is proven optimal: no later stage runs

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    @property
    def free(self) -> np.ndarray:
        """The youths the solver decides (mask)."""
        return self.rules.movable

    @property
    def prices(self) -> FlowSolution:
        """The flow with every pair's reduced cost, worked out when a stage first asks: a week
        whose flow breaks no side rule is done without them."""
        if self.flow.reduced_cost is None:
            self.flow = priced(self.instance, self.cand, self.flow)
        return self.flow

    def objective(self) -> float:
        return objective_of(self.cand, self.pair_of)

    def tolerance(self) -> float:
        """How far above the bound an assignment still counts as proven optimal: the relative
        tolerance, but at least the flow's integer rounding (1e-6 point a youth)."""
        return max(self.params.optimality_tolerance * max(abs(self.objective()), 1.0), self.cand.movable.size / SCALE)

    def proven(self) -> bool:
        """Whether the bound proves the assignment optimal."""
        return self.objective() - self.bound <= self.tolerance()

    def report(self, stage: str) -> None:
        """Report the current assignment's objective and the current bound."""
        self.clock.report(stage, self.objective(), self.bound)

    def mip(self, free: np.ndarray, pair_mask: np.ndarray, time_limit: float, seed: int,
            on_improve: Callable[[float, float], None] | None = None) -> ExactOutcome:
        """An exact MIP over the free youths (pairs limited to ``pair_mask``) from ``pair_of``."""
        budget = Budget(time_limit=time_limit, threads=self.threads, seed=seed, params=self.params)
        return solve_subproblem(self.instance, self.cand, free, self.pair_of, pair_mask=pair_mask,
                                budget=budget, on_improve=on_improve)


def start_search(instance: Instance, time_limit: float, threads: int, seed: int,
                 progress: Progress | None, params: SolveParams) -> SearchState:
    """Candidate pairs, the flow relaxation and its broken side rules: the state to start from."""
    clock = Clock(started=time.perf_counter(), time_limit=time_limit, progress=progress)
    cand = build_candidates(instance)
    if params.close_blocked_pairs:
        cand = cand.only(~blocked_pairs(instance, cand))
    stats = SearchStats(youths=len(instance.youths), units=len(instance.units), pairs=cand.n_pairs,
                        movable=int(cand.movable.size), candidates_seconds=round(clock.elapsed(), 3))
    flow = solve_transportation(instance, cand)
    rules = RuleBook(instance, cand)
    state = SearchState(instance=instance, params=params, cand=cand, rules=rules, flow=flow, clock=clock,
                        threads=threads, seed=seed, stats=stats, pair_of=flow.pair_of.copy(), bound=flow.lower_bound,
                        broken=Violations())
    state.report("flow relaxation")
    state.broken = rules.violations(state.pair_of)
    stats.flow_seconds = round(flow.seconds, 3)
    stats.flow_breaks_units = len(state.broken.units)
    stats.flow_breaks_sibling_groups = len(state.broken.groups)
    return state
