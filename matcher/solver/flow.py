"""The transportation relaxation: capacities and costs only, solved as a min-cost flow.

Dropping the side rules (age spread, contra-indications, siblings) leaves a network problem whose
integral optimum OR-Tools' min-cost flow finds in seconds even at 20,000 youths x 8,000 units. Its
value is a proven lower bound on the true optimum, and its assignment is the starting point of
the exact search: where it breaks no side rule, it *is* optimal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.solver.candidates import Candidates
from matcher.instance import Instance
from matcher.solver.model.receiving import dirty_units

#: Costs are scaled to integers in millionths of a point (the bound loses at most 5e-7 a youth;
#: the largest arc cost, ~1e10, times the node count stays far inside 64-bit integers).
SCALE = 1_000_000.0


@dataclass(frozen=True)
class FlowSolution:
    """``pair_of[y]``: chosen candidate pair of youth y (-1 = unplaced or not movable).

    ``reduced_cost[p]`` (in points) is what using pair p costs at least on top of the
    relaxation's optimum: any assignment that uses p costs >= ``lower_bound + reduced_cost[p]``.
    """

    pair_of: np.ndarray
    lower_bound: float
    seconds: float
    reduced_cost: np.ndarray | None = None


@dataclass(frozen=True)
class Relaxation:
    """The candidate pairs of ``instance`` and their transportation relaxation with reduced costs."""

    instance: Instance
    cand: Candidates
    flow: FlowSolution

    def of(self, instance: Instance) -> Relaxation | None:
        """This relaxation if it is of ``instance`` (the very same object), else None."""
        return self if self.instance is instance else None


def unit_room(instance: Instance, cand: Candidates) -> np.ndarray:
    """Places each unit offers to the movable youths, in the relaxation.

    Occupants who cannot move take their places first. A unit whose occupants cannot move and
    already break one of its rules can take nobody. When occupants may move, a unit that is over
    capacity keeps room for all of them (staying is always allowed as long as it receives nobody).
    """
    a = cand.arrays
    n_units = a.unit_capacity.size
    occupants = np.bincount(a.youth_current[a.youth_current >= 0], minlength=n_units)
    room = a.unit_capacity.astype(np.int64).copy()
    if instance.settings.allow_moves:
        return np.maximum(room, occupants)
    room = np.maximum(room - occupants, 0)
    dirty = np.fromiter(dirty_units(instance, cand), dtype=np.int64)
    room[dirty] = 0
    return room


def solve_transportation(
    instance: Instance,
    cand: Candidates,
    allowed: np.ndarray | None = None,
    with_reduced_costs: bool = False,
    must_place: np.ndarray | None = None,
) -> FlowSolution | None:
    """Min-cost flow: youth -> unit (1 place, pair cost) or youth -> unplaced (its cost).

    ``allowed`` (mask over pairs) closes the other pairs; the bound is then of that restriction.
    The youths of the mask ``must_place`` have no way to stay unplaced: None when they cannot
    all be placed.
    """
    t0 = time.perf_counter()
    a = cand.arrays
    movable = cand.movable
    n_y = a.youth_care.size
    n_u = a.unit_capacity.size
    room = unit_room(instance, cand)
    node_of_youth = np.full(n_y, -1, dtype=np.int64)
    node_of_youth[movable] = np.arange(movable.size)
    unit_node0 = movable.size
    sink = unit_node0 + n_u
    new = a.youth_current[movable] < 0

    int_cost = np.rint(cand.pair_cost * SCALE).astype(np.int64)
    int_unplaced = np.rint(a.youth_unplaced_cost * SCALE).astype(np.int64)
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = np.arange(cand.n_pairs) if allowed is None else np.flatnonzero(allowed)
    pair_arcs = f.add_arcs_with_capacity_and_unit_cost(
        node_of_youth[cand.pair_youth[arcs]],
        unit_node0 + cand.pair_unit[arcs],
        np.ones(arcs.size, dtype=np.int64),
        int_cost[arcs],
    )
    new_youths = movable[new]
    if must_place is not None:
        new_youths = new_youths[~must_place[new_youths]]
    f.add_arcs_with_capacity_and_unit_cost(
        node_of_youth[new_youths],
        np.full(new_youths.size, sink),
        np.ones(new_youths.size, dtype=np.int64),
        int_unplaced[new_youths],
    )
    f.add_arcs_with_capacity_and_unit_cost(
        unit_node0 + np.arange(n_u), np.full(n_u, sink), room.astype(np.int64), np.zeros(n_u, dtype=np.int64)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: movable.size] = 1
    supplies[sink] = -movable.size
    f.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = f.solve()
    if status == f.INFEASIBLE and must_place is not None:
        return None
    if status != f.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flows = f.flows(pair_arcs)
    pair_of = np.full(n_y, -1, dtype=np.int64)
    used = arcs[flows > 0]
    pair_of[cand.pair_youth[used]] = used
    # Each movable youth pays exactly one rounded arc: the rounding error is at most 0.5 each.
    bound = f.optimal_cost() / SCALE - 0.5 * movable.size / SCALE
    del f  # the network (about 70 bytes a pair) is not needed for the prices
    flow = FlowSolution(pair_of=pair_of, lower_bound=float(bound), seconds=time.perf_counter() - t0)
    return priced(instance, cand, flow) if with_reduced_costs else flow


#: The price of leaving unplaced a youth who has no way to stay unplaced (scaled): far above any
#: path of the residual network, far below the int64 limit of the shortest distances.
_NO_WAY = 10**15


def priced(instance: Instance, cand: Candidates, flow: FlowSolution,
           must_place: np.ndarray | None = None) -> FlowSolution:
    """The flow with every pair's reduced cost (from the unit prices of its optimum); asked only
    where a stage or the marginal value of capacity reads them. ``must_place`` as for the flow."""
    if flow.reduced_cost is not None:
        return flow
    t0 = time.perf_counter()
    int_cost = np.rint(cand.pair_cost * SCALE).astype(np.int64)
    int_unplaced = np.rint(cand.arrays.youth_unplaced_cost * SCALE).astype(np.int64)
    if must_place is not None:
        int_unplaced[must_place] = _NO_WAY
    placed = flow.pair_of[flow.pair_of >= 0]
    load = np.bincount(cand.pair_unit[placed], minlength=cand.arrays.unit_capacity.size)
    pi = unit_potentials(cand, flow.pair_of, int_cost, int_unplaced, load, unit_room(instance, cand))
    rc = pair_reduced_costs(cand, flow.pair_of, int_cost, int_unplaced, pi) / SCALE
    return replace(flow, seconds=flow.seconds + time.perf_counter() - t0, reduced_cost=rc)


def unit_potentials(cand, pair_of, int_cost, int_unplaced, load, room, max_passes: int = 10_000) -> np.ndarray:
    """Dual prices of the units from the optimal flow: shortest distances in the residual network.

    Youth nodes are eliminated: a youth held in unit a that could go to unit b gives the edge
    a -> b with weight c(y, b) - c(y, a); an unplaced youth gives T -> b with c(y, b) - U(y); a
    youth held in a gives a -> T with U(y) - c(y, a). T is the sink with potential 0; units with
    room left are tied to T (price 0), used units get T -> u. Bellman-Ford, vectorised per pass;
    the flow is optimal, so there is no negative cycle and it converges.
    """
    n_u = load.size
    T = n_u
    py, pu = cand.pair_youth, cand.pair_unit
    chosen = pair_of[py]
    held = chosen >= 0
    held_unit = np.where(held, cand.pair_unit[np.maximum(chosen, 0)], T)
    held_cost = np.where(held, int_cost[np.maximum(chosen, 0)], int_unplaced[py])
    other = ~held | (chosen != np.arange(py.size))
    src = [held_unit[other]]
    dst = [pu[other]]
    w = [int_cost[other] - held_cost[other]]
    new_held = np.flatnonzero((pair_of >= 0) & (cand.arrays.youth_current < 0))
    src.append(cand.pair_unit[pair_of[new_held]])
    dst.append(np.full(new_held.size, T))
    w.append(int_unplaced[new_held] - int_cost[pair_of[new_held]])
    with_room = np.flatnonzero(load < room)
    src.append(with_room)
    dst.append(np.full(with_room.size, T))
    w.append(np.zeros(with_room.size, dtype=np.int64))
    used = np.flatnonzero(load > 0)
    src.append(np.full(used.size, T))
    dst.append(used)
    w.append(np.zeros(used.size, dtype=np.int64))
    src, dst, w = np.concatenate(src), np.concatenate(dst), np.concatenate(w)
    order = np.argsort(dst, kind="stable")
    src, dst, w = src[order], dst[order], w[order]
    heads, starts = np.unique(dst, return_index=True)
    inf = np.iinfo(np.int64).max // 4
    d = np.full(n_u + 1, inf, dtype=np.int64)
    d[T] = 0
    for _ in range(max_passes):
        cand_d = np.minimum(d[src], inf) + w
        best = np.minimum.reduceat(cand_d, starts)
        new = np.minimum(d[heads], best)
        if np.array_equal(new, d[heads]):
            break
        d[heads] = new
        d[T] = min(d[T], 0)
    else:
        raise RuntimeError("unit prices did not converge")
    return d


def pair_reduced_costs(cand, pair_of, int_cost, int_unplaced, d) -> np.ndarray:
    """Reduced cost of every pair (scaled integers), >= 0 at the flow optimum."""
    T = d.size - 1
    py, pu = cand.pair_youth, cand.pair_unit
    chosen = pair_of[py]
    held = chosen >= 0
    held_unit = np.where(held, cand.pair_unit[np.maximum(chosen, 0)], T)
    held_cost = np.where(held, int_cost[np.maximum(chosen, 0)], int_unplaced[py])
    rc = int_cost - held_cost + d[held_unit] - d[pu]
    rc[held & (chosen == np.arange(py.size))] = 0
    return np.maximum(rc, 0).astype(float)
