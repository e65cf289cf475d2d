"""Siblings live at ONE location, and a group's new members are placed all together or not at all."""

from __future__ import annotations

import numpy as np

from matcher.model.base import MipBuilder, SubProblem


def sibling_groups(instance) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, y in enumerate(instance.youths):
        if y.sibling_group is not None:
            groups.setdefault(y.sibling_group, []).append(i)
    return {g: m for g, m in groups.items() if len(m) > 1}


def siblings_together_at_one_location(b: MipBuilder, sub: SubProblem) -> None:
    a = sub.cand.arrays
    youths = sub.youth  # ascending: pairs are ordered by youth
    locs = a.unit_loc[sub.unit]

    def pairs_of(y: int) -> np.ndarray:
        return np.arange(*np.searchsorted(youths, [y, y + 1]))

    for members in sibling_groups(sub.instance).values():
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
        upper = _room_for_all(sub, sel, options, len(free_members)) if only_new else 1.0
        ell = b.add_columns(np.zeros(len(options)), lower=lower, upper=upper)
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
            b.add_rows([-np.inf], [0.0], np.zeros(len(options) + s1.size), np.r_[ell, s1],
                       np.r_[np.ones(len(options)), -np.ones(s1.size)])
        for k in range(len(new) - 1):  # placed(new_k) == placed(new_k+1)
            s1 = sub.x[pairs_of(new[k])]
            s2 = sub.x[pairs_of(new[k + 1])]
            b.add_rows([0.0], [0.0], np.zeros(s1.size + s2.size), np.r_[s1, s2], np.r_[np.ones(s1.size), -np.ones(s2.size)])


def _room_for_all(sub: SubProblem, sel: np.ndarray, options: list[int], k: int) -> np.ndarray:
    """1 for a location where the group's k members can each get a place of their own (a unit
    they may go to, with room beside the youths pinned there), else 0: a group that must arrive
    whole cannot go where fewer places are free, however the others are placed (the LP would
    otherwise place each sibling by halves at two such locations)."""
    a = sub.cand.arrays
    youths, units = sub.youth[sel], sub.unit[sel]
    locs = a.unit_loc[units]
    room = np.minimum(k, np.maximum(0, a.unit_capacity[units] - sub.pinned_count[units]))
    open_ = np.ones(len(options))
    for i, loc in enumerate(options):
        at = locs == loc
        if not _everyone_gets_a_place(youths[at], units[at], room[at], k):
            open_[i] = 0.0
    return open_


def _everyone_gets_a_place(youths: np.ndarray, units: np.ndarray, room: np.ndarray, k: int) -> bool:
    """Whether k members (their pairs' youths and units, with each unit's room) can each have a
    place of their own: a bipartite matching of members to free places (Hall's condition)."""
    members, member = np.unique(youths, return_inverse=True)
    _, first, unit_pos = np.unique(units, return_index=True, return_inverse=True)
    slots = room[first]  # free places per unit
    if int(slots.sum()) < k or members.size < k:
        return False
    pairs = set(zip(member.tolist(), unit_pos.tolist()))
    if len(pairs) == k * slots.size:  # every member may go to every unit here
        return True
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    first_slot = np.r_[0, np.cumsum(slots)[:-1]]
    rows, cols = [], []
    for m, up in sorted(pairs):
        rows.extend([m] * int(slots[up]))
        cols.extend(range(int(first_slot[up]), int(first_slot[up] + slots[up])))
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(k, int(slots.sum())))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum()) >= k


def _location_of_group(ell, lower, cols, pos):
    """The location where the group's placed members are (or its pinned location)."""

    def fill(values: np.ndarray) -> None:
        values[ell] = lower
        chosen = pos[values[cols] > 0.5]
        if chosen.size:
            values[ell[chosen[0]]] = 1.0

    return fill
