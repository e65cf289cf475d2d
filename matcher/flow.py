"""The transportation relaxation: capacities and costs only, solved as a min-cost flow.

Dropping the side rules (age spread, contra-indications, siblings) leaves a network problem whose
integral optimum OR-Tools' min-cost flow finds in seconds even at 20,000 youths x 8,000 units. Its
value is a proven lower bound on the true optimum, and its assignment is the starting point of
the exact search: where it breaks no side rule, it *is* optimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.candidates import Candidates
from matcher.instance import Instance
from matcher.model.receiving import occupants_break_a_rule

#: Costs are scaled to integers in thousandths of a point.
SCALE = 1000.0


@dataclass(frozen=True)
class FlowSolution:
    """``pair_of[y]``: chosen candidate pair of youth y (-1 = unplaced or not movable)."""

    pair_of: np.ndarray
    lower_bound: float
    seconds: float


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
    members: dict[int, list[int]] = {}
    for y in np.flatnonzero(a.youth_current >= 0):
        members.setdefault(int(a.youth_current[y]), []).append(int(y))
    for u, ys in members.items():
        if room[u] > 0 and occupants_break_a_rule(instance, u, ys):
            room[u] = 0
    return room


def solve_transportation(instance: Instance, cand: Candidates, room: np.ndarray | None = None) -> FlowSolution:
    """Min-cost flow: youth -> unit (1 place, pair cost) or youth -> unplaced (its cost)."""
    import time

    t0 = time.perf_counter()
    a = cand.arrays
    movable = cand.movable
    n_y = a.youth_care.size
    n_u = a.unit_capacity.size
    room = unit_room(instance, cand) if room is None else room
    node_of_youth = np.full(n_y, -1, dtype=np.int64)
    node_of_youth[movable] = np.arange(movable.size)
    unit_node0 = movable.size
    sink = unit_node0 + n_u
    new = a.youth_current[movable] < 0

    f = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = f.add_arcs_with_capacity_and_unit_cost(
        node_of_youth[cand.pair_youth],
        unit_node0 + cand.pair_unit,
        np.ones(cand.n_pairs, dtype=np.int64),
        np.rint(cand.pair_cost * SCALE).astype(np.int64),
    )
    new_youths = movable[new]
    f.add_arcs_with_capacity_and_unit_cost(
        node_of_youth[new_youths],
        np.full(new_youths.size, sink),
        np.ones(new_youths.size, dtype=np.int64),
        np.rint(a.youth_unplaced_cost[new_youths] * SCALE).astype(np.int64),
    )
    f.add_arcs_with_capacity_and_unit_cost(
        unit_node0 + np.arange(n_u), np.full(n_u, sink), room.astype(np.int64), np.zeros(n_u, dtype=np.int64)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: movable.size] = 1
    supplies[sink] = -movable.size
    f.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = f.solve()
    if status != f.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flows = f.flows(pair_arcs)
    pair_of = np.full(n_y, -1, dtype=np.int64)
    used = np.flatnonzero(flows > 0)
    pair_of[cand.pair_youth[used]] = used
    # Each movable youth pays exactly one rounded arc: the rounding error is at most 0.5 each.
    bound = f.optimal_cost() / SCALE - 0.5 * movable.size / SCALE
    return FlowSolution(pair_of=pair_of, lower_bound=float(bound), seconds=time.perf_counter() - t0)
