"""Greedy repair and fill: from any assignment to a valid one, and then fuller.

These are the search's quick moves between exact steps; the rules they keep are the array forms
in ``matcher.solver.feasibility`` (``RuleBook.unit_ok`` and ``RuleBook.violations``). An assignment is
``pair_of`` as there: for every youth the chosen candidate pair, -1 when unplaced or not movable.
"""

from __future__ import annotations

import numpy as np

from matcher.solver.feasibility import RuleBook, residents_by_unit, unit_of


def send_away(rules: RuleBook, pair_of: np.ndarray, y: int) -> None:
    """A new youth becomes unplaced; a moved occupant goes back to its own unit."""
    pair_of[y] = rules.stay_pair[y] if rules.cand.arrays.youth_current[y] >= 0 else -1


def repair(rules: RuleBook, pair_of: np.ndarray, max_rounds: int = 1000) -> np.ndarray:
    """Undo arrivals until no side rule is broken (keeping the most valuable arrivals).

    Every step removes arrivals, so this ends; at worst in the status quo (occupants stay,
    nobody new placed), which breaks no rule unless occupant siblings sit at two locations.
    """
    pair_of = pair_of.copy()
    for _ in range(max_rounds):
        v = rules.violations(pair_of)
        if not v:
            break
        units = unit_of(rules.cand, pair_of)
        for g in sorted(v.groups):
            _send_group_away(rules, pair_of, g)
        residents = residents_by_unit(units)
        for u in sorted(v.units):
            _keep_most_valuable_arrivals(rules, pair_of, u, residents[u])
    return pair_of


def _send_group_away(rules: RuleBook, pair_of: np.ndarray, g: str) -> None:
    """Every member of a broken sibling group that arrived somewhere is sent away."""
    for y in rules.groups[g]:
        if pair_of[y] >= 0 and not rules.cand.pair_stay[pair_of[y]]:
            send_away(rules, pair_of, y)


def _keep_most_valuable_arrivals(rules: RuleBook, pair_of: np.ndarray, u: int, res: np.ndarray) -> None:
    """Keep the arrivals whose placement saves most (unplaced cost minus pair cost) while unit
    ``u`` keeps its rules; send the others away, and everyone when its stayers alone break one."""
    cand = rules.cand
    a = cand.arrays
    staying = [int(y) for y in res if a.youth_current[y] == u]
    arrivals = [int(y) for y in res if a.youth_current[y] != u]
    value = {y: (a.youth_unplaced_cost[y] if a.youth_current[y] < 0 else 0.0) - cand.pair_cost[pair_of[y]]
             for y in arrivals}
    kept = list(staying)
    for y in sorted(arrivals, key=lambda y: (-value[y], y)):
        if rules.unit_ok(u, kept + [y]):
            kept.append(y)
        else:
            send_away(rules, pair_of, y)
    if not rules.unit_ok(u, kept):  # the stayers alone break it: nobody may arrive
        for y in kept:
            if a.youth_current[y] != u:
                send_away(rules, pair_of, y)


def fill(rules: RuleBook, pair_of: np.ndarray) -> np.ndarray:
    """Greedy: place unplaced new youths (dearest to leave out first) in their cheapest unit
    that still has room and keeps every rule; a sibling group only as a whole, at one location.
    """
    filler = _Filler(rules, pair_of.copy())
    a = rules.cand.arrays
    starts = filler.starts
    waiting = np.flatnonzero((filler.pair_of < 0) & (a.youth_current < 0) & (starts[1:] > starts[:-1]))
    group_of = {y: g for g, m in rules.groups.items() for y in m}
    done: set[str] = set()
    for y in sorted(waiting.tolist(), key=lambda y: (-a.youth_unplaced_cost[y], y)):
        if filler.pair_of[y] >= 0:
            continue
        g = group_of.get(y)
        if g is None:
            filler.place_alone(y)
        elif g not in done:
            done.add(g)
            filler.place_group(g)
    return filler.pair_of


class _Filler:
    """The assignment being filled and the residents of every unit, kept in step."""

    def __init__(self, rules: RuleBook, pair_of: np.ndarray):
        self.rules = rules
        self.cand = rules.cand
        self.pair_of = pair_of
        self.units = unit_of(self.cand, pair_of)
        self.residents = {u: list(r) for u, r in residents_by_unit(self.units).items()}
        self.starts = np.searchsorted(self.cand.pair_youth, np.arange(pair_of.size + 1))
        # free places per unit, kept in step with ``residents`` (full units are the common case
        # on a waiting list, and are skipped in one array step)
        self.room = rules.capacity - np.bincount(self.units[self.units >= 0], minlength=rules.capacity.size)

    def cheapest_first(self, y: int) -> np.ndarray:
        """Youth y's candidate pairs into a unit with a free place, cheapest first."""
        lo, hi = self.starts[y], self.starts[y + 1]
        pairs = lo + np.flatnonzero(self.room[self.cand.pair_unit[lo:hi]] > 0)
        return pairs[np.argsort(self.cand.pair_cost[pairs], kind="stable")]

    def fits(self, y: int, p: int) -> bool:
        """Pair p keeps its unit's rules; a unit whose current occupants alone break a rule
        stays closed."""
        u = int(self.cand.pair_unit[p])
        res = self.residents.get(u, [])
        if self.room[u] <= 0:  # full
            return False
        if not self.rules.unit_ok(u, res + [y]):
            return False
        current = self.cand.arrays.youth_current
        occ = [r for r in res if current[r] == u]
        return self.rules.unit_ok(u, occ) if len(occ) == len(res) else True

    def put(self, y: int, p: int) -> None:
        u = int(self.cand.pair_unit[p])
        self.pair_of[y] = p
        self.residents.setdefault(u, []).append(y)
        self.room[u] -= 1

    def take_back(self, y: int, p: int) -> None:
        u = int(self.cand.pair_unit[p])
        self.residents[u].remove(y)
        self.room[u] += 1
        self.pair_of[y] = -1

    def place_alone(self, y: int) -> None:
        """Youth y in its cheapest unit that fits, if any."""
        for p in self.cheapest_first(y):
            if self.fits(y, int(p)):
                self.put(y, int(p))
                return

    def place_group(self, g: str) -> None:
        """The group's unplaced new members all at one location: where the group already is,
        else the first location (by index) of the first member's candidates where all fit."""
        a = self.cand.arrays
        pair_of = self.pair_of
        members = self.rules.groups[g]
        placed_locs = {int(a.unit_loc[self.units[m]]) for m in members
                       if pair_of[m] >= 0 or (a.youth_current[m] >= 0 and not self.rules.movable[m])}
        if len(placed_locs) > 1 or any(pair_of[m] >= 0 and a.youth_current[m] < 0 for m in members):
            return
        todo = [m for m in members if pair_of[m] < 0 and a.youth_current[m] < 0]
        if placed_locs:
            options = sorted(placed_locs)
        else:
            first = todo[0]
            options = sorted(set(a.unit_loc[self.cand.pair_unit[self.starts[first]:self.starts[first + 1]]].tolist()))
        for loc in options:
            if self._place_all_at(todo, loc):
                return

    def _place_all_at(self, todo: list[int], loc: int) -> bool:
        """Every youth of ``todo`` in a fitting unit at location ``loc``, or none of them."""
        a = self.cand.arrays
        chosen = []
        for m in todo:
            at_loc = [int(p) for p in self.cheapest_first(m) if a.unit_loc[self.cand.pair_unit[p]] == loc]
            p_ok = next((p for p in at_loc if self.fits(m, p)), None)
            if p_ok is None:
                break
            self.put(m, p_ok)
            chosen.append((m, p_ok))
        if len(chosen) == len(todo):
            return True
        for m, p in chosen:  # undo a partial group
            self.take_back(m, p)
        return False
