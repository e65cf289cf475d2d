"""Candidate pairs that no valid assignment can use while occupants stay where they are.

With ``allow_moves`` off every occupant is a resident of its unit whatever the solver decides,
so some of rules 7-9 are decided before the search: a youth cannot enter a unit whose occupants
would then be further apart in age than its spread, nor one where a contra-indicated youth
lives, nor a unit whose occupants alone already break a rule; and a sibling group's new members
can only go, all of them, to a location that has a free place for each (the location of the
group's occupants, if it has any). Leaving these pairs out changes no valid assignment and so no
optimum, but the transportation relaxation, which knows none of these rules, no longer uses
them: on a simulated national week it then breaks a side rule far less often, and where it
breaks none it is the proven optimum at once.
"""

from __future__ import annotations

import numpy as np

from matcher.instance import Instance
from matcher.solver.candidates import Candidates
from matcher.solver.model.base import age_range_by_unit, units_breaking_rules
from matcher.solver.model.siblings import room_for_all


def blocked_pairs(instance: Instance, cand: Candidates) -> np.ndarray:
    """Mask over the candidate pairs: those no valid assignment uses (none when occupants may move)."""
    a = cand.arrays
    blocked = np.zeros(cand.n_pairs, dtype=bool)
    if instance.settings.allow_moves or not cand.n_pairs:
        return blocked
    occupied = a.youth_current >= 0
    n_units = a.unit_capacity.size
    pu, py = cand.pair_unit, cand.pair_youth
    blocked |= units_breaking_rules(a, a.youth_current)[pu]
    youngest, oldest = age_range_by_unit(a.youth_current[occupied], a.youth_age[occupied], n_units)
    age, spread = a.youth_age[py], a.unit_spread[pu]
    blocked |= (spread >= 0) & (np.maximum(oldest[pu], age) - np.minimum(youngest[pu], age) > spread)
    blocked |= _beside_a_contra_indicated_occupant(cand)
    blocked |= _siblings_without_room(instance, cand, np.bincount(a.youth_current[occupied], minlength=n_units))
    return blocked


def _beside_a_contra_indicated_occupant(cand: Candidates) -> np.ndarray:
    """Pairs into a unit where an occupant lives with whom the youth is contra-indicated."""
    a = cand.arrays
    n_units = a.unit_capacity.size
    parts = []
    for youth, other in ((a.conflict_a, a.conflict_b), (a.conflict_b, a.conflict_a)):
        lives = a.youth_current[other] >= 0
        parts.append(youth[lives] * n_units + a.youth_current[other[lives]])
    banned = np.concatenate(parts)
    if not banned.size:
        return np.zeros(cand.n_pairs, dtype=bool)
    return np.isin(cand.pair_youth * n_units + cand.pair_unit, banned)


def _siblings_without_room(instance: Instance, cand: Candidates, pinned_count: np.ndarray) -> np.ndarray:
    """Pairs of a sibling group's new members at a location the whole group cannot go to: not
    the location of its occupants, or without a free place for each new member."""
    a = cand.arrays
    blocked = np.zeros(cand.n_pairs, dtype=bool)
    current = a.youth_current.tolist()
    for members in instance.sibling_positions.values():
        if all(current[m] >= 0 for m in members):
            continue  # every member lives somewhere already: nothing to decide
        members = np.asarray(members)
        new = members[a.youth_current[members] < 0]
        fixed = np.unique(a.unit_loc[a.youth_current[members[a.youth_current[members] >= 0]]])
        if not new.size or fixed.size > 1:
            continue  # nothing to decide, or contradictory input that reading refuses
        pairs = np.concatenate([np.arange(*np.searchsorted(cand.pair_youth, [y, y + 1])) for y in new.tolist()])
        locs = a.unit_loc[cand.pair_unit[pairs]]
        options = np.unique(locs) if not fixed.size else fixed
        room = room_for_all(a, pinned_count, cand.pair_youth[pairs], cand.pair_unit[pairs], options.tolist(), new.size)
        blocked[pairs] = ~np.isin(locs, options[room > 0])
    return blocked
