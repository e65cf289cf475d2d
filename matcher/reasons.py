"""Why is this youth left unplaced? A sentence a planner can act on."""

from __future__ import annotations

import numpy as np

from matcher.candidates import Candidates, no_candidate_reason
from matcher.feasibility import RuleBook, residents_by_unit
from matcher.instance import Instance


def unplaced_reasons(instance: Instance, cand: Candidates, rules: RuleBook, units: np.ndarray) -> dict[str, str]:
    """One reason per unplaced youth, from the final assignment ``units`` (unit index per youth).

    No candidate at all: the rule that removed the last compatible unit. Otherwise the sibling
    group, or what keeps the compatible units closed: full, age spread, contra-indication.
    """
    out: dict[str, str] = {}
    unplaced = np.flatnonzero(units < 0)
    if unplaced.size == 0:
        return out
    a = cand.arrays
    residents = residents_by_unit(units)
    group_of = {y: g for g, members in rules.groups.items() for y in members}
    starts = np.searchsorted(cand.pair_youth, np.arange(units.size + 1))
    unit_ids = [u.unit_id for u in instance.units]
    for y in unplaced.tolist():
        youth = instance.youths[y]
        lo, hi = starts[y], starts[y + 1]
        if hi == lo:
            out[youth.youth_id] = no_candidate_reason(instance, cand, y)
            continue
        options = cand.pair_unit[lo:hi]
        km = cand.pair_km[lo:hi]
        nearest = int(np.argmin(km))
        where = f"{options.size} compatible unit{'s' if options.size != 1 else ''} (nearest {unit_ids[options[nearest]]} at {km[nearest]:.0f} km)"
        full, blocked = 0, []
        for u in options.tolist():
            res = residents.get(u, np.zeros(0, dtype=np.int64)).tolist()
            if len(res) >= rules.capacity[u]:
                full += 1
            elif not rules.unit_ok(u, res + [y]) or _closed(a, u, res, rules):
                blocked.append(u)
        g = group_of.get(y)
        if g is not None and full < options.size:
            out[youth.youth_id] = (
                f"sibling group {g} ({len(rules.groups[g])} members) could not be placed together at one location;"
                f" {where}, {full} of them full"
            )
        elif full == options.size:
            out[youth.youth_id] = f"all {where} are full"
        elif blocked and full + len(blocked) == options.size:
            out[youth.youth_id] = (
                f"{where}: {full} full; the {len(blocked)} with a free place would break their age spread"
                " or hold a contra-indicated youth, or their current occupants already break a rule"
            )
        else:
            out[youth.youth_id] = (
                f"{where}: {full} full; the remaining places would cost more than leaving this youth"
                " unplaced (check the weights)"
            )
    return out


def _closed(a, u: int, res: list[int], rules: RuleBook) -> bool:
    """A unit whose occupants alone break a rule takes nobody."""
    occ = [y for y in res if a.youth_current[y] == u]
    return bool(occ) and not rules.unit_ok(u, occ)
