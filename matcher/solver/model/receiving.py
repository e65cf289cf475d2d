"""A unit that receives nobody is accepted as it is.

Rules over a unit's residents (capacity, age spread, contra-indications) only bind once the
unit *receives* someone new or moved. For a unit whose current occupants already break a rule
("dirty"), a column z_u says whether it receives; the unit's rules are switched off when z_u = 0,
and every incoming pair needs z_u = 1. A dirty unit whose occupants cannot move takes nobody.
"""

from __future__ import annotations

import numpy as np

from matcher.solver.candidates import Candidates
from matcher.instance import Instance
from matcher.solver.model.base import MipBuilder, SubProblem, units_breaking_rules


def dirty_units(instance: Instance, cand: Candidates) -> frozenset[int]:
    """The units whose current occupants alone break one of its rules: more occupants than
    places, occupants further apart in age than its spread, or two contra-indicated occupants
    (``matcher.analysis.check.unit_keeps_its_rules`` over the occupants, in array form; asked once a
    solve, and on a national week this form takes 0.3 ms where the predicate per unit took 6)."""
    if "dirty_units" not in cand.memo:
        dirty = units_breaking_rules(cand.arrays, cand.arrays.youth_current)
        cand.memo["dirty_units"] = frozenset(np.flatnonzero(dirty).tolist())
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
    held = np.flatnonzero(sub.pinned >= 0)
    at = sub.pinned[held]
    receiving_pinned = set(np.unique(at[current[held] != at]).tolist())
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
