"""Where a sibling group goes, decided by branching on the transportation relaxation.

When the flow's assignment breaks only sibling rules (a group split over two locations, or only
partly placed) and only a few groups, the optimum is often settled by asking, group by group,
"at which location, or not at all?": each answer is a flow of its own, in which the group's
members may use only the pairs at that location and every one of them must be placed (their
arcs to "unplaced" are left out), or in which all of their pairs are closed. Every such flow is a proven lower bound for its branch; a branch whose flow breaks no
rule is a valid assignment; a branch whose bound is no better than the best valid assignment is
closed. When every branch is settled within ``SolveParams.sibling_branch_nodes`` flows, the best
valid assignment is the proven optimum and no later stage runs; otherwise nothing changes and
the stages take over. On simulated national weeks, where the blocked pairs are left out
(``matcher.solver.blocked``), this is what most weeks that still break a rule need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.solver.feasibility import objective_of
from matcher.instance import Instance
from matcher.solver.candidates import Candidates
from matcher.solver.flow import FlowSolution, priced, solve_transportation
from matcher.solver.search import SearchState

#: A branch decision per group: the location index it goes to, or ``NOWHERE``.
NOWHERE = -1


def sibling_branches(state: SearchState) -> None:
    """Settle the broken sibling groups by branching on their location (see the module)."""
    limit = state.params.sibling_branch_nodes
    if not limit or state.broken.units or not state.broken.groups:
        return
    tolerance = state.tolerance()
    best, best_objective, lowest = None, np.inf, np.inf
    stack = _children(state, {}, min(state.broken.groups), state.flow.lower_bound, state.prices.reduced_cost)
    nodes = 0
    while stack:
        decisions, floor = stack.pop()
        if floor >= best_objective - tolerance:  # the parent's prices already close it
            lowest = min(lowest, floor)
            continue
        nodes += 1
        if nodes > limit:
            return  # too many branches: the stages take over from the state as it was
        flow = _branch_flow(state, decisions)
        if flow is None or flow.bound >= best_objective - tolerance:
            lowest = min(lowest, np.inf if flow is None else flow.bound)
            continue
        broken = state.rules.violations(flow.pair_of)
        if broken.units:
            return  # a unit's rule breaks too: not a question of locations alone
        if broken.groups & decisions.keys():  # a group sent where its occupants are not
            continue
        if broken.groups:
            stack += _children(state, decisions, min(broken.groups), flow.bound, flow.reduced_cost())
            continue
        lowest = min(lowest, flow.bound)
        objective = objective_of(state.cand, flow.pair_of)
        if objective < best_objective:
            best, best_objective = flow.pair_of, objective
    state.stats.sibling_branch_nodes = nodes
    if best is not None:
        state.pair_of = best
        state.bound = max(state.bound, min(lowest, best_objective))
        state.settled = state.proven()
        state.report("sibling branches")


def _children(state: SearchState, decisions: dict, group: str, bound: float,
              reduced_cost: np.ndarray) -> list[tuple[dict, float]]:
    """The branches of ``group`` after ``decisions``, each with what its assignments cost at
    least by the parent's prices (every member uses one of its pairs there), the cheapest
    location last (it is taken first): every location where its new members have pairs, then
    nowhere."""
    cand, rules = state.cand, state.rules
    a = cand.arrays
    members = [y for y in rules.groups[group] if rules.movable[y]]
    held = {int(a.unit_loc[a.youth_current[y]]) for y in rules.groups[group] if a.youth_current[y] >= 0}
    least: dict[int, dict[int, float]] = {}  # location -> member -> its least reduced cost there
    for y in members:
        span = np.arange(*np.searchsorted(cand.pair_youth, [y, y + 1]))
        for loc, rc in zip(a.unit_loc[cand.pair_unit[span]].tolist(), reduced_cost[span].tolist()):
            if not held or loc in held:  # a group with occupants lives where they are
                at = least.setdefault(loc, {})
                at[y] = min(at.get(y, np.inf), rc)
    floor = {loc: bound + max(at.values()) for loc, at in least.items() if len(at) == len(members)}
    options = sorted(floor, key=lambda loc: (floor[loc], loc))
    return [({**decisions, group: NOWHERE}, bound)] + [({**decisions, group: loc}, floor[loc]) for loc in reversed(options)]


@dataclass(frozen=True)
class _BranchFlow:
    """A branch's flow: its assignment (candidate pairs of the search), its proven lower bound,
    and how to price every pair by it (inf where the branch closed the pair)."""

    pair_of: np.ndarray
    bound: float
    allowed: np.ndarray
    cand: Candidates
    flow: FlowSolution
    must_place: np.ndarray
    instance: Instance

    def reduced_cost(self) -> np.ndarray:
        rc = np.full(self.allowed.size, np.inf)
        rc[self.allowed] = priced(self.instance, self.cand, self.flow, self.must_place).reduced_cost
        return rc


def _branch_flow(state: SearchState, decisions: dict) -> _BranchFlow | None:
    """The flow of a branch (None when a group sent somewhere cannot be placed whole there):
    the members of a group sent somewhere keep only their pairs there and cannot stay
    unplaced; those of a group sent nowhere keep no pair."""
    cand, rules = state.cand, state.rules
    allowed = np.ones(cand.n_pairs, dtype=bool)
    must_place = np.zeros(cand.arrays.youth_care.size, dtype=bool)
    for group, loc in decisions.items():
        for y in rules.groups[group]:
            if not rules.movable[y]:
                continue
            span = np.arange(*np.searchsorted(cand.pair_youth, [y, y + 1]))
            allowed[span[cand.arrays.unit_loc[cand.pair_unit[span]] != loc]] = False
            must_place[y] = loc != NOWHERE
    branch = cand.only(allowed)
    flow = solve_transportation(state.instance, branch, must_place=must_place)
    if flow is None:
        return None
    open_pairs = np.flatnonzero(allowed)
    pair_of = flow.pair_of.copy()
    placed = pair_of >= 0
    pair_of[placed] = open_pairs[pair_of[placed]]
    return _BranchFlow(pair_of, flow.lower_bound, allowed, branch, flow, must_place, state.instance)
