"""Why is this youth left unplaced? A sentence a planner can act on.

The facts come from the solver's arrays (how many units each placement rule left, which of the
rest are full or closed by a side rule); the wording is ``matcher.wording_reasons``', shared
with ``matcher explain`` so that both say the same thing in the run's language.
"""

from __future__ import annotations

import numpy as np

from matcher.solver.candidates import Candidates
from matcher.domain import CARE_TYPES
from matcher.solver.feasibility import RuleBook, residents_by_unit
from matcher.instance import Instance
from matcher.wording_reasons import Blockage, Narrowing, unplaced_reason


def unplaced_reasons(instance: Instance, cand: Candidates, rules: RuleBook, units: np.ndarray) -> dict[str, str]:
    """One reason per unplaced youth, from the final assignment ``units`` (unit index per youth).

    First what narrowed the choice (the rules that removed units, the youth's own distance
    limit), then what closed the units that were left: full, age spread, contra-indication, the
    sibling group; with no unit left at all, the rule that removed the last ones.
    """
    out: dict[str, str] = {}
    unplaced = np.flatnonzero(units < 0)
    if unplaced.size == 0:
        return out
    residents = residents_by_unit(units)
    group_of = {y: g for g, members in rules.groups.items() for y in members}
    starts = np.searchsorted(cand.pair_youth, np.arange(units.size + 1))
    for y in unplaced.tolist():
        pairs = zip(cand.pair_km[starts[y]:starts[y + 1]].tolist(), cand.pair_unit[starts[y]:starts[y + 1]].tolist())
        nearest_first = [u for _, _, u in sorted((km, instance.units[u].unit_id, u) for km, u in pairs)]
        blockage = _blockage(instance, cand, rules, residents, y, nearest_first)
        if group_of.get(y) is not None:
            g = group_of[y]
            blockage = Blockage(blockage.fitting, blockage.full, blockage.blocked, g, len(rules.groups[g]))
        out[instance.youths[y].youth_id] = unplaced_reason(_narrowing(instance, cand, y), blockage)
    return out


def _narrowing(instance: Instance, cand: Candidates, y: int) -> Narrowing:
    """The units left after each placement rule in turn (``cand.survivors``), as plain counts."""
    youth = instance.youths[y]
    left = cand.survivors[y].tolist()
    if youth.max_km is not None:
        limits: tuple[float, ...] = (youth.max_km,)
    else:
        limits = tuple(sorted({instance.settings.max_km[c] for c, ok in zip(CARE_TYPES, cand.reachable_care[y]) if ok}))
    nearest = float(cand.nearest_km[y])
    return Narrowing(
        care_types=(youth.care_type, *youth.alt_care_types), min_setting=youth.min_setting,
        machtiging=youth.machtiging, age=youth.age, gender=youth.gender,
        offered=left[0], after_setting=left[1], after_age=left[2], after_gender=left[3],
        after_distance=left[4], after_exclusion=left[5], limits_km=limits,
        own_limit=youth.max_km is not None, nearest_km=nearest if np.isfinite(nearest) else None,
    )


def _blockage(instance: Instance, cand: Candidates, rules: RuleBook, residents, y: int, options: list[int]) -> Blockage:
    """Of the units the rules left (nearest first), how many are full and how many closed by a side rule."""
    a = cand.arrays
    full, blocked = 0, 0
    for u in options:
        res = residents.get(u, np.zeros(0, dtype=np.int64)).tolist()
        if len(res) >= rules.capacity[u]:
            full += 1
        elif not rules.unit_ok(u, res + [y]) or _closed(a, u, res, rules):
            blocked += 1
    return Blockage(fitting=tuple(instance.units[u].unit_id for u in options), full=full, blocked=blocked)


def _closed(a, u: int, res: list[int], rules: RuleBook) -> bool:
    """A unit whose occupants alone break a rule takes nobody."""
    occ = [y for y in res if a.youth_current[y] == u]
    return bool(occ) and not rules.unit_ok(u, occ)
