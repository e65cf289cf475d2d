"""The solver's own view of the side rules: find where an assignment breaks them, and repair it.

(The independent checker in ``matcher.check`` verifies final answers; this module is the fast,
array-based version the search uses on every intermediate assignment.)

An assignment is ``pair_of``: for every youth the chosen candidate pair, -1 when unplaced or not
movable. Occupants who cannot move sit in their current unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.candidates import Candidates
from matcher.instance import Instance
from matcher.model.siblings import sibling_groups


@dataclass
class Violations:
    units: set[int] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.units or self.groups)


def unit_of(cand: Candidates, pair_of: np.ndarray) -> np.ndarray:
    """Unit index of every youth afterwards (-1 = unplaced)."""
    a = cand.arrays
    out = np.where(pair_of >= 0, cand.pair_unit[np.maximum(pair_of, 0)], -1)
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
        index = {y.youth_id: i for i, y in enumerate(instance.youths)}
        self.conflicts: dict[int, set[int]] = {}
        for a_id, b_id in instance.conflicts:
            a, b = index[a_id], index[b_id]
            self.conflicts.setdefault(a, set()).add(b)
            self.conflicts.setdefault(b, set()).add(a)
        self.groups = sibling_groups(instance)
        self.capacity = cand.arrays.unit_capacity
        self.spread = np.array(
            [-1 if u.max_age_spread is None else u.max_age_spread for u in instance.units], dtype=np.int64
        )
        # Each occupant's stay pair (when occupants may move).
        self.stay_pair = np.full(cand.arrays.youth_care.size, -1, dtype=np.int64)
        stays = np.flatnonzero(cand.pair_stay)
        self.stay_pair[cand.pair_youth[stays]] = stays

    def unit_ok(self, u: int, residents) -> bool:
        """Capacity, age spread and contra-indications over a receiving unit's residents."""
        residents = list(residents)
        if len(residents) > self.capacity[u]:
            return False
        if self.spread[u] >= 0 and residents:
            ages = self.cand.arrays.youth_age[residents]
            if ages.max() - ages.min() > self.spread[u]:
                return False
        members = set(residents)
        return not any(self.conflicts.get(y, set()) & members for y in residents)

    def violations(self, pair_of: np.ndarray) -> Violations:
        cand = self.cand
        current = cand.arrays.youth_current
        units = unit_of(cand, pair_of)
        v = Violations()
        for u, res in residents_by_unit(units).items():
            if np.any(current[res] != u) and not self.unit_ok(u, res):
                v.units.add(u)
        loc = cand.arrays.unit_loc
        for g, members in self.groups.items():
            placed = [units[y] for y in members if units[y] >= 0]
            if len({int(loc[u]) for u in placed}) > 1:
                v.groups.add(g)
                continue
            new_placed = [units[y] >= 0 for y in members if current[y] < 0]
            if any(new_placed) and not all(new_placed):
                v.groups.add(g)
        return v

    def send_away(self, pair_of: np.ndarray, y: int) -> None:
        """A new youth becomes unplaced; a moved occupant goes back to its own unit."""
        pair_of[y] = self.stay_pair[y] if self.cand.arrays.youth_current[y] >= 0 else -1

    def repair(self, pair_of: np.ndarray, max_rounds: int = 1000) -> np.ndarray:
        """Undo arrivals until no side rule is broken (keeping the most valuable arrivals).

        Every step removes arrivals, so this ends; at worst in the status quo (occupants stay,
        nobody new placed), which breaks no rule unless occupant siblings sit at two locations.
        """
        pair_of = pair_of.copy()
        cand = self.cand
        a = cand.arrays
        for _ in range(max_rounds):
            v = self.violations(pair_of)
            if not v:
                break
            units = unit_of(cand, pair_of)
            for g in sorted(v.groups):
                for y in self.groups[g]:
                    if pair_of[y] >= 0 and not cand.pair_stay[pair_of[y]]:
                        self.send_away(pair_of, y)
            residents = residents_by_unit(units)
            for u in sorted(v.units):
                res = residents[u]
                staying = [int(y) for y in res if a.youth_current[y] == u]
                arrivals = [int(y) for y in res if a.youth_current[y] != u]
                # Keep the arrivals whose placement saves most (unplaced cost minus pair cost).
                value = {y: (a.youth_unplaced_cost[y] if a.youth_current[y] < 0 else 0.0) - cand.pair_cost[pair_of[y]] for y in arrivals}
                kept = list(staying)
                for y in sorted(arrivals, key=lambda y: (-value[y], y)):
                    if self.unit_ok(u, kept + [y]):
                        kept.append(y)
                    else:
                        self.send_away(pair_of, y)
                if not self.unit_ok(u, kept):  # the stayers alone break it: nobody may arrive
                    for y in kept:
                        if a.youth_current[y] != u:
                            self.send_away(pair_of, y)
        return pair_of
