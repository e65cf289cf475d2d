"""Siblings live at ONE location, and a group's new members are placed all together or not at all."""

from __future__ import annotations

import numpy as np

from matcher.solver.candidates import Arrays
from matcher.solver.model.base import NO_PAIRS, MipBuilder, SubProblem


def siblings_together_at_one_location(b: MipBuilder, sub: SubProblem) -> None:
    a = sub.cand.arrays
    youths = sub.youth  # ascending: pairs are ordered by youth
    locs = a.unit_loc[sub.unit]

    def pairs_of(y: int) -> np.ndarray:
        return np.arange(*np.searchsorted(youths, [y, y + 1]))

    # For pricing outside pairs: (youth, row, coefficient) of the rows a pair of that youth
    # enters with a coefficient whose share of A^T y may be positive, and per group the
    # location columns held at 0 only because no pair in the model leaves room there.
    entries: list[tuple[int, int, float]] = []
    shut: list[tuple[np.ndarray, np.ndarray, list[int], list[int]]] = []

    for members in sub.instance.sibling_positions.values():
        free_members = [y for y in members if sub.free[y]]
        if not free_members:
            continue
        sel = np.sort(np.concatenate([pairs_of(y) for y in free_members]))
        pinned_locs = {int(a.unit_loc[sub.pinned[y]]) for y in members if not sub.free[y] and sub.pinned[y] >= 0}
        options = sorted(set(locs[sel].tolist()) | pinned_locs)
        if not options:
            continue
        lower = np.array([1.0 if L in pinned_locs else 0.0 for L in options])
        new = [y for y in free_members if a.youth_current[y] < 0]
        only_new = not pinned_locs and len(new) == len(free_members)
        upper = 1.0
        if only_new:
            upper = room_for_all(sub.cand.arrays, sub.pinned_count, sub.youth[sel], sub.unit[sel], options,
                                     len(free_members))
        ell = b.add_columns(np.zeros(len(options)), lower=lower, upper=upper)
        if only_new and not np.all(upper):
            shut.append((ell, np.asarray(upper) == 0, options, free_members))
        b.add_rows([-np.inf], [1.0], np.zeros(len(options)), ell, np.ones(len(options)))
        pos = np.searchsorted(options, locs[sel])
        sub.completions.append(_location_of_group(ell, lower, sub.x[sel], pos))
        # Per member and location: its pairs there together <= ell_L (a member has one place, so
        # this is valid, and far tighter in the LP than one row per pair).
        key = youths[sel] * len(options) + pos
        keys, r = np.unique(key, return_inverse=True)
        n = keys.size
        b.add_rows(np.full(n, -np.inf), np.zeros(n), np.r_[r, np.arange(n)], np.r_[sub.x[sel], ell[keys % len(options)]],
                   np.r_[np.ones(sel.size), -np.ones(n)])
        if only_new:
            # Only new members, nobody held anywhere: the group has a location exactly when it
            # is placed, so sum_L ell_L <= placed(first member). With each member's pairs at L
            # <= ell_L, every member then spreads over the locations as ell does: the LP can no
            # longer place each sibling whole by halves at two locations that hold only one of them.
            s1 = sub.x[pairs_of(new[0])]
            entries.append((new[0], b.n_rows, -1.0))
            b.add_rows([-np.inf], [0.0], np.zeros(len(options) + s1.size), np.r_[ell, s1],
                       np.r_[np.ones(len(options)), -np.ones(s1.size)])
        for k in range(len(new) - 1):  # placed(new_k) == placed(new_k+1)
            s1 = sub.x[pairs_of(new[k])]
            s2 = sub.x[pairs_of(new[k + 1])]
            entries += [(new[k], b.n_rows, 1.0), (new[k + 1], b.n_rows, -1.0)]
            b.add_rows([0.0], [0.0], np.zeros(s1.size + s2.size), np.r_[s1, s2], np.r_[np.ones(s1.size), -np.ones(s2.size)])

    if entries:
        sub.outside_duals.append(_member_duals(np.array(entries), sub.free.size))
    if shut:
        sub.outside_helpers.append(_shut_locations(sub, shut))


def _member_duals(entries: np.ndarray, n_youths: int):
    """Per youth: what the group rows its outside pairs would enter add to ``A^T y`` (the row
    "locations <= placed(first member)" and the rows "placed(k) == placed(k + 1)"; a member's
    row per location is a <= row with coefficient +1 and may be left out)."""
    youth, row, coef = entries[:, 0].astype(np.int64), entries[:, 1].astype(np.int64), entries[:, 2]

    def member_dual(dual: np.ndarray) -> tuple[np.ndarray, None]:
        return np.bincount(youth, weights=coef * dual[row], minlength=n_youths), None

    return member_dual


def _shut_locations(sub: SubProblem, shut: list[tuple[np.ndarray, np.ndarray, list[int], list[int]]]):
    """With more pairs a location held at 0 may open (where all the members' candidate pairs
    leave a place for each). A group takes one location, so its locations' share is
    ``min(0, the lowest reduced cost of those that are or may be open)``, where the LP value
    holds ``sum of min(0, reduced cost)`` over the open ones. The members' pairs at a location
    that may open at a negative reduced cost are the ones to price in."""
    cand = sub.cand

    def bound(dual: np.ndarray, reduced: np.ndarray, outside: np.ndarray) -> tuple[float, np.ndarray]:
        total, wanted = 0.0, []
        for ell, closed, options, members in shut:
            d = reduced[ell]
            lowest = float(d[~closed].min(initial=0.0))
            if d[closed].min() < lowest:
                starts = np.searchsorted(cand.pair_youth, np.array(members))
                ends = np.searchsorted(cand.pair_youth, np.array(members) + 1)
                every = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)])
                room = room_for_all(cand.arrays, sub.pinned_count, cand.pair_youth[every], cand.pair_unit[every],
                                   options, len(members))
                may = closed & (room > 0)
                cheaper = may & (d < lowest)
                if cheaper.any():
                    lowest = float(d[cheaper].min())
                    at = np.isin(cand.arrays.unit_loc[cand.pair_unit[every]], np.asarray(options)[cheaper])
                    wanted.append(every[at & outside[every]])
            total += min(0.0, lowest) - float(np.minimum(d[~closed], 0.0).sum())
        return total, np.concatenate(wanted or [NO_PAIRS])

    return bound


def room_for_all(a: Arrays, pinned_count: np.ndarray, youths: np.ndarray, units: np.ndarray, options: list[int],
                 k: int) -> np.ndarray:
    """1 for a location where the group's k members (with pairs ``youths`` x ``units``) can each
    get a place of their own (a unit they may go to, with room beside the ``pinned_count``
    youths pinned there), else 0: a group that must arrive whole cannot go where fewer places
    are free, however the others are placed (the LP would otherwise place each sibling by halves
    at two such locations). A group has a handful of pairs, so this runs over Python lists."""
    unit_list = units.tolist()
    free = dict(zip(unit_list, np.minimum(k, np.maximum(0, a.unit_capacity[units] - pinned_count[units])).tolist()))
    at: dict[int, list[tuple[int, int]]] = {}
    for y, u, loc in zip(youths.tolist(), unit_list, a.unit_loc[units].tolist()):
        at.setdefault(loc, []).append((y, u))
    return np.array([1.0 if _everyone_gets_a_place(at.get(loc, []), free, k) else 0.0 for loc in options])


def _everyone_gets_a_place(pairs: list[tuple[int, int]], free: dict[int, int], k: int) -> bool:
    """Whether k members (``pairs``: member x unit it may go to, ``free``: places per unit) can
    each have a place of their own: a bipartite matching of members to free places (Hall's
    condition)."""
    members = sorted({y for y, _ in pairs})
    places = sorted({u for _, u in pairs})
    slots = [free[u] for u in places]
    if sum(slots) < k or len(members) < k:
        return False
    if len(set(pairs)) == k * len(places):  # every member may go to every unit here
        return True
    member, place = {y: i for i, y in enumerate(members)}, {u: i for i, u in enumerate(places)}
    return _matched(sorted({(member[y], place[u]) for y, u in pairs}), slots, len(members)) >= k


def _matched(pairs: list[tuple[int, int]], slots: list[int], n_members: int) -> int:
    """Size of a maximum matching of members to places (``pairs``: member x unit it may go to;
    ``slots``: free places per unit), by augmenting paths (Kuhn's algorithm with unit
    capacities). A sibling group has a handful of members, so this is microseconds, where a
    sparse graph for scipy's matching cost far more to build than to solve."""
    may: list[list[int]] = [[] for _ in range(n_members)]
    for m, u in pairs:
        may[m].append(u)
    holders: list[list[int]] = [[] for _ in slots]

    def place(m: int, seen: set[int]) -> bool:
        for u in may[m]:
            if u in seen:
                continue
            seen.add(u)
            if len(holders[u]) < slots[u]:
                holders[u].append(m)
                return True
            for i, other in enumerate(holders[u]):
                if place(other, seen):
                    holders[u][i] = m
                    return True
        return False

    return sum(place(m, set()) for m in range(n_members))


def _location_of_group(ell, lower, cols, pos):
    """The location where the group's placed members are (or its pinned location)."""

    def fill(values: np.ndarray) -> None:
        values[ell] = lower
        chosen = pos[values[cols] > 0.5]
        if chosen.size:
            values[ell[chosen[0]]] = 1.0

    return fill
