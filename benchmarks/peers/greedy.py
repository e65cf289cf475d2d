"""The way it is done by hand today: most urgent first, each to the nearest unit with room.

A matching desk works down the waiting list: crises before high urgency before regulier, and
within an urgency the longest waiting first. Each youth goes to the NEAREST unit that fits
(rules 1-6) and still has room once everybody already living there is counted, without breaking
the unit's age spread or a contra-indication. Siblings are handled together, at the turn of the
most urgent of them: all new members at one location (where a sibling already lives, if one
does), each in the nearest fitting unit there, or none of them. Occupants stay where they are,
even when moves are allowed: nobody is moved by hand to make room. Nothing is ever revisited.
"""

from __future__ import annotations

import numpy as np

from matcher.solver.candidates import Candidates, build_candidates
from matcher.instance import Instance


def greedy(instance: Instance) -> dict[str, str | None]:
    """The hand-made assignment: every youth id -> unit id afterwards (``None`` = unplaced)."""
    cand = build_candidates(instance)
    desk = _Desk(instance, cand)
    for y in _waiting_list(instance):
        group = instance.youths[y].sibling_group
        if group is None:
            desk.place_nearest(y)
        elif group not in desk.groups_done:
            desk.place_siblings(group)
            desk.groups_done.add(group)
    unit_ids = [u.unit_id for u in instance.units]
    return {y.youth_id: (unit_ids[u] if u >= 0 else None) for y, u in zip(instance.youths, desk.unit_of.tolist())}


def _waiting_list(instance: Instance) -> list[int]:
    """New requests by urgency (crisis first), then waiting weeks (longest first), then file order."""
    new = [i for i, y in enumerate(instance.youths) if y.current_unit_id is None]
    return sorted(new, key=lambda i: (-instance.youths[i].urgency, -instance.youths[i].waiting_weeks, i))


class _Desk:
    """The residents of every unit as the desk fills them in, and the rules it checks."""

    def __init__(self, instance: Instance, cand: Candidates):
        a = cand.arrays
        self.instance = instance
        self.cand = cand
        self.age = a.youth_age
        self.capacity = a.unit_capacity
        self.unit_loc = a.unit_loc
        self.spread = np.array([-1 if u.max_age_spread is None else u.max_age_spread for u in instance.units])
        self.unit_of = a.youth_current.copy()  # occupants stay; new youths start unplaced (-1)
        self.residents: list[list[int]] = [[] for _ in instance.units]
        for y, u in enumerate(self.unit_of.tolist()):
            if u >= 0:
                self.residents[u].append(y)
        index = {y.youth_id: i for i, y in enumerate(instance.youths)}
        self.partners: dict[int, set[int]] = {}
        for p, q in instance.conflicts:
            self.partners.setdefault(index[p], set()).add(index[q])
            self.partners.setdefault(index[q], set()).add(index[p])
        self.members: dict[str, list[int]] = {}
        for i, y in enumerate(instance.youths):
            if y.sibling_group is not None:
                self.members.setdefault(y.sibling_group, []).append(i)
        self.groups_done: set[str] = set()
        # Each youth's compatible units (rules 1-6), nearest first; occupants' stay pairs aside.
        self.start = np.searchsorted(cand.pair_youth, np.arange(len(instance.youths) + 1))

    def nearest_units(self, y: int) -> np.ndarray:
        lo, hi = self.start[y], self.start[y + 1]
        pairs = np.arange(lo, hi)[~self.cand.pair_stay[lo:hi]]
        order = np.lexsort((self.cand.pair_unit[pairs], self.cand.pair_km[pairs]))
        return self.cand.pair_unit[pairs[order]]

    def fits(self, y: int, u: int) -> bool:
        """Room for one more over all residents, age spread kept, no contra-indication inside."""
        here = self.residents[u]
        if len(here) + 1 > self.capacity[u]:
            return False
        if self.spread[u] >= 0:
            ages = [self.age[r] for r in here] + [self.age[y]]
            if max(ages) - min(ages) > self.spread[u]:
                return False
        together = here + [y]
        return not any(self.partners.get(r, set()) & set(together) for r in together)

    def put(self, y: int, u: int) -> None:
        self.unit_of[y] = u
        self.residents[u].append(y)

    def take_back(self, y: int) -> None:
        self.residents[self.unit_of[y]].remove(y)
        self.unit_of[y] = -1

    def place_nearest(self, y: int, location: int | None = None) -> bool:
        """The nearest unit (at ``location``, if given) that fits and has room; False if none."""
        for u in self.nearest_units(y).tolist():
            if (location is None or self.unit_loc[u] == location) and self.fits(y, u):
                self.put(y, u)
                return True
        return False

    def place_siblings(self, group: str) -> None:
        """All new members at one location, or none: locations nearest (summed) first."""
        members = self.members[group]
        new = [y for y in members if self.unit_of[y] < 0]
        living_at = {int(self.unit_loc[self.unit_of[y]]) for y in members if self.unit_of[y] >= 0}
        if not new or len(living_at) > 1:
            return
        km_at: dict[int, float] | None = None
        for y in new:
            lo, hi = self.start[y], self.start[y + 1]
            nearest: dict[int, float] = {}
            for u, km in zip(self.cand.pair_unit[lo:hi].tolist(), self.cand.pair_km[lo:hi].tolist()):
                loc = int(self.unit_loc[u])
                nearest[loc] = min(nearest.get(loc, np.inf), km)
            km_at = nearest if km_at is None else {l: k + nearest[l] for l, k in km_at.items() if l in nearest}
        options = sorted((k, l) for l, k in km_at.items() if not living_at or l in living_at)
        for _, loc in options:
            placed = []
            for y in new:
                if not self.place_nearest(y, loc):
                    break
                placed.append(y)
            if len(placed) == len(new):
                return
            for y in placed:
                self.take_back(y)
