"""The solver's array form of the side rules: where does an assignment break them?

(The independent checker in ``matcher.analysis.check`` verifies final answers with its named predicates;
this module is the fast, array-based version the search uses on every intermediate assignment.
The greedy moves that mend an assignment live in ``matcher.solver.repair``.)

An assignment is ``pair_of``: for every youth the chosen candidate pair, -1 when unplaced or not
movable. Occupants who cannot move sit in their current unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.solver.candidates import Candidates
from matcher.instance import Instance
from matcher.solver.model.base import units_breaking_rules


@dataclass
class Violations:
    """Where an assignment breaks a side rule: unit indices and sibling group ids."""

    units: set[int] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.units or self.groups)


def unit_of(cand: Candidates, pair_of: np.ndarray) -> np.ndarray:
    """Unit index of every youth afterwards (-1 = unplaced)."""
    a = cand.arrays
    if cand.n_pairs:
        out = np.where(pair_of >= 0, cand.pair_unit[np.maximum(pair_of, 0)], -1)
    else:
        out = np.full(pair_of.size, -1, dtype=np.int64)
    fixed = np.ones(pair_of.size, dtype=bool)
    fixed[cand.movable] = False
    out[fixed] = a.youth_current[fixed]
    return out


def objective_of(cand: Candidates, pair_of: np.ndarray) -> float:
    """The objective of an assignment: pair costs of the placed, unplaced cost of new youths."""
    a = cand.arrays
    placed = pair_of >= 0
    new_unplaced = ~placed & (a.youth_current < 0)
    return float(cand.pair_cost[pair_of[placed]].sum() + a.youth_unplaced_cost[new_unplaced].sum())


def residents_by_unit(units: np.ndarray) -> dict[int, np.ndarray]:
    """unit index -> the youths in it (ascending), from the unit of every youth."""
    order = np.argsort(units, kind="stable")
    us = units[order]
    keep = us >= 0
    order, us = order[keep], us[keep]
    uniq, start = np.unique(us, return_index=True)
    return {int(u): order[s:e] for u, s, e in zip(uniq, start, np.r_[start[1:], us.size])}


class RuleBook:
    """Pre-computed lookups of the side rules for one instance."""

    def __init__(self, instance: Instance, cand: Candidates):
        self.instance = instance
        self.cand = cand
        index = instance.youth_position
        self.conflicts: dict[int, set[int]] = {
            index[a]: {index[b] for b in others} for a, others in instance.conflict_partners.items()
        }
        self.groups = instance.sibling_positions
        self.capacity = cand.arrays.unit_capacity
        self.spread = cand.arrays.unit_spread
        self.movable = np.zeros(cand.arrays.youth_care.size, dtype=bool)
        self.movable[cand.movable] = True
        # Each occupant's stay pair (when occupants may move): where ``repair`` sends it back.
        self.stay_pair = np.full(cand.arrays.youth_care.size, -1, dtype=np.int64)
        stays = np.flatnonzero(cand.pair_stay)
        self.stay_pair[cand.pair_youth[stays]] = stays

    def within_capacity(self, u: int, residents) -> bool:
        """A receiving unit holds no more youths than it has places."""
        return len(residents) <= self.capacity[u]

    def within_age_spread(self, u: int, residents) -> bool:
        """A unit with a max_age_spread keeps its youngest and oldest resident that close."""
        if self.spread[u] < 0 or len(residents) == 0:
            return True
        ages = self.cand.arrays.youth_age[list(residents)]
        return bool(ages.max() - ages.min() <= self.spread[u])

    def conflicts_apart(self, residents) -> bool:
        """No two contra-indicated youths among the residents of one receiving unit."""
        members = set(residents)
        return not any(self.conflicts.get(y, set()) & members for y in members)

    def unit_ok(self, u: int, residents) -> bool:
        """Capacity, age spread and contra-indications over a receiving unit's residents."""
        residents = list(residents)
        return self.within_capacity(u, residents) and self.within_age_spread(u, residents) \
            and self.conflicts_apart(residents)

    def group_at_one_location(self, g: str, units: np.ndarray) -> bool:
        """The placed members of sibling group g (``units``: unit of every youth) share a location."""
        loc = self.cand.arrays.unit_loc
        return len({int(loc[units[y]]) for y in self.groups[g] if units[y] >= 0}) <= 1

    def new_siblings_together(self, g: str, units: np.ndarray) -> bool:
        """The new members of sibling group g are placed all together or not at all."""
        current = self.cand.arrays.youth_current
        new_placed = [units[y] >= 0 for y in self.groups[g] if current[y] < 0]
        return all(new_placed) or not any(new_placed)

    def broken_units(self, units: np.ndarray, arriving: np.ndarray) -> np.ndarray:
        """The receiving units (those of the ``arriving`` youths) for which ``unit_ok`` says no
        over all their residents (``units``: unit of every youth), in array steps."""
        receiving = np.zeros(self.capacity.size, dtype=bool)
        receiving[units[arriving]] = True
        return np.flatnonzero(units_breaking_rules(self.cand.arrays, units, among=receiving))

    def violations(self, pair_of: np.ndarray) -> Violations:
        """Receiving units that break capacity, age spread or a contra-indication, and sibling
        groups split over locations or only partly placed."""
        current = self.cand.arrays.youth_current
        units = unit_of(self.cand, pair_of)
        v = Violations()
        arriving = (units >= 0) & (units != current)
        if arriving.any():
            v.units.update(self.broken_units(units, arriving).tolist())
        for g in self.groups:
            if not (self.group_at_one_location(g, units) and self.new_siblings_together(g, units)):
                v.groups.add(g)
        return v
