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
        self.conflicts: dict[int, set[int]] = {
            index[a]: {index[b] for b in others} for a, others in instance.conflict_partners.items()
        }
        self.groups = sibling_groups(instance)
        self.capacity = cand.arrays.unit_capacity
        self.spread = np.array(
            [-1 if u.max_age_spread is None else u.max_age_spread for u in instance.units], dtype=np.int64
        )
        self.movable = np.zeros(cand.arrays.youth_care.size, dtype=bool)
        self.movable[cand.movable] = True
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

    def fill(self, pair_of: np.ndarray) -> np.ndarray:
        """Greedy: place unplaced new youths (dearest to leave out first) in their cheapest unit
        that still has room and keeps every rule; a sibling group only as a whole, at one location.
        """
        pair_of = pair_of.copy()
        cand = self.cand
        a = cand.arrays
        units = unit_of(cand, pair_of)
        residents = {u: list(r) for u, r in residents_by_unit(units).items()}
        starts = np.searchsorted(cand.pair_youth, np.arange(pair_of.size + 1))
        group_of = {y: g for g, m in self.groups.items() for y in m}
        waiting = np.flatnonzero((pair_of < 0) & (a.youth_current < 0) & (starts[1:] > starts[:-1]))
        done: set[str] = set()

        def fits(y: int, p: int) -> bool:
            u = int(cand.pair_unit[p])
            res = residents.get(u, [])
            if not self.unit_ok(u, res + [y]):
                return False
            # a unit whose current occupants alone break a rule stays closed
            occ = [r for r in res if a.youth_current[r] == u]
            return self.unit_ok(u, occ) if len(occ) == len(res) else True

        def put(y: int, p: int) -> None:
            pair_of[y] = p
            residents.setdefault(int(cand.pair_unit[p]), []).append(y)

        for y in sorted(waiting.tolist(), key=lambda y: (-a.youth_unplaced_cost[y], y)):
            if pair_of[y] >= 0:
                continue
            g = group_of.get(y)
            if g is None:
                for p in starts[y] + np.argsort(cand.pair_cost[starts[y]:starts[y + 1]], kind="stable"):
                    if fits(y, int(p)):
                        put(y, int(p))
                        break
                continue
            if g in done:
                continue
            done.add(g)
            members = self.groups[g]
            placed_locs = {int(a.unit_loc[units[m]]) for m in members if pair_of[m] >= 0 or (a.youth_current[m] >= 0 and not self.movable[m])}
            todo = [m for m in members if pair_of[m] < 0 and a.youth_current[m] < 0]
            if len(placed_locs) > 1 or any(pair_of[m] >= 0 and a.youth_current[m] < 0 for m in members):
                continue
            options = sorted(placed_locs) if placed_locs else sorted(set(a.unit_loc[cand.pair_unit[starts[todo[0]]:starts[todo[0] + 1]]].tolist()))
            for loc in options:
                chosen = []
                for m in todo:
                    idx = starts[m] + np.argsort(cand.pair_cost[starts[m]:starts[m + 1]], kind="stable")
                    idx = [int(p) for p in idx if a.unit_loc[cand.pair_unit[p]] == loc]
                    p_ok = next((p for p in idx if fits(m, p)), None)
                    if p_ok is None:
                        break
                    put(m, p_ok)
                    chosen.append((m, p_ok))
                if len(chosen) == len(todo):
                    break
                for m, p in chosen:  # undo a partial group
                    residents[int(cand.pair_unit[p])].remove(m)
                    pair_of[m] = -1
        return pair_of
