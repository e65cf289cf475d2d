"""A unit that receives nobody is accepted as it is.

Rules over a unit's residents (capacity, age spread, contra-indications) only bind once the
unit *receives* someone new or moved. For a unit whose current occupants already break a rule
("dirty"), a column z_u says whether it receives; the unit's rules are switched off when z_u = 0,
and every incoming pair needs z_u = 1. A dirty unit whose occupants cannot move takes nobody.
"""

from __future__ import annotations

import numpy as np

from matcher.candidates import Candidates
from matcher.check import unit_keeps_its_rules
from matcher.instance import Instance
from matcher.model.base import MipBuilder, SubProblem


def occupants_break_a_rule(inst: Instance, unit: int, occupants: list[int]) -> bool:
    """Do these current occupants alone (positions in ``inst.youths``) break a rule of the unit
    at position ``unit``: its capacity, its age spread, or a contra-indication?"""
    residents = [inst.youths[y] for y in occupants]
    return not unit_keeps_its_rules(inst.units[unit], residents, inst.conflict_partners)


def dirty_units(instance: Instance, cand: Candidates) -> frozenset[int]:
    """The units whose current occupants alone break one of its rules (asked once a solve)."""
    if "dirty_units" not in cand.memo:
        current = cand.arrays.youth_current
        occupants_of: dict[int, list[int]] = {}
        for y in np.flatnonzero(current >= 0).tolist():
            occupants_of.setdefault(int(current[y]), []).append(y)
        cand.memo["dirty_units"] = frozenset(
            u for u, ys in occupants_of.items() if occupants_break_a_rule(instance, u, ys))
    return cand.memo["dirty_units"]


def unit_receives(b: MipBuilder, sub: SubProblem) -> None:
    """Decide per unit whether its rules bind always, only when it receives (z_u), or never.

    Fills ``sub.binds`` (rules hold unconditionally) and ``sub.relax`` (unit -> z_u column).
    Units in neither receive nobody, so they are accepted as they are.
    """
    a = sub.cand.arrays
    units = sub.unit
    incoming = sub.incoming
    current = a.youth_current
    dirty = dirty_units(sub.instance, sub.cand)
    stay_units = set(units[~incoming].tolist())
    receiving_pinned = {u for u, ys in sub.pinned_residents.items() if any(current[y] != u for y in ys)}
    close: list[np.ndarray] = []
    sub.binds = set(receiving_pinned)
    for u in np.unique(units[incoming]).tolist():
        if u in receiving_pinned:
            continue
        if u not in dirty:
            sub.binds.add(u)
            continue
        cols = sub.x[(units == u) & incoming]
        if u not in stay_units:
            close.append(cols)  # its occupants cannot leave, so it can take nobody
            continue
        z = int(b.add_columns([0.0])[0])
        sub.relax[u] = z
        sub.completions.append(lambda v, z=z, cols=cols: v.__setitem__(z, float(v[cols].max() > 0.5)))
        k = cols.size
        r = np.arange(k)
        b.add_rows(np.full(k, -np.inf), np.zeros(k), np.r_[r, r], np.r_[cols, np.full(k, z)], np.r_[np.ones(k), -np.ones(k)])
    if close:
        b.fix_zero(np.concatenate(close))
