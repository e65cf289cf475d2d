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
        ell = b.add_columns(np.zeros(len(options)), lower=lower)
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
        new = [y for y in free_members if a.youth_current[y] < 0]
        for k in range(len(new) - 1):  # placed(new_k) == placed(new_k+1)
            s1 = sub.x[pairs_of(new[k])]
            s2 = sub.x[pairs_of(new[k + 1])]
            b.add_rows([0.0], [0.0], np.zeros(s1.size + s2.size), np.r_[s1, s2], np.r_[np.ones(s1.size), -np.ones(s2.size)])


def _location_of_group(ell, lower, cols, pos):
    """The location where the group's placed members are (or its pinned location)."""

    def fill(values: np.ndarray) -> None:
        values[ell] = lower
        chosen = pos[values[cols] > 0.5]
        if chosen.size:
            values[ell[chosen[0]]] = 1.0

    return fill
