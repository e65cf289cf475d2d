"""Contra-indicated youths (conflicts.csv) never share a unit that receives someone."""

from __future__ import annotations

import numpy as np

from matcher.solver.model.base import MipBuilder, SubProblem


def contra_indicated_youths_apart(b: MipBuilder, sub: SubProblem) -> None:
    inst = sub.instance
    if not inst.conflicts:
        return
    index = inst.youth_position
    involved = np.array(sorted({index[y] for pair in inst.conflicts for y in pair}), dtype=np.int64)
    youths, units = sub.youth, sub.unit
    near = np.flatnonzero(np.isin(youths, involved) & np.isin(units, np.array(sub.ruled_units(), dtype=np.int64)))
    col_of: dict[tuple[int, int], int] = dict(zip(zip(youths[near].tolist(), units[near].tolist()), sub.x[near].tolist()))
    by_youth: dict[int, list[int]] = {}
    for y, u in col_of:
        by_youth.setdefault(y, []).append(u)
    upper, rows, cols, vals = [], [], [], []

    def add(row_cols: list[int], u: int, rhs: float) -> None:
        big, extra, coef = sub.relax_terms(u, 1.0)
        r = len(upper)
        upper.append(rhs + big)
        rows.extend([r] * (len(row_cols) + len(extra)))
        cols.extend(row_cols + extra)
        vals.extend([1.0] * len(row_cols) + coef)

    for a_id, b_id in sorted({tuple(sorted(p)) for p in inst.conflicts}):
        ya, yb = index[a_id], index[b_id]
        for y, other in ((ya, yb), (yb, ya)):
            for u in by_youth.get(y, []):
                if sub.pinned[other] == u:
                    add([col_of[(y, u)]], u, 0.0)  # the other one is held there
        for u in set(by_youth.get(ya, [])) & set(by_youth.get(yb, [])):
            add([col_of[(ya, u)], col_of[(yb, u)]], u, 1.0)
    if upper:
        b.add_rows(np.full(len(upper), -np.inf), np.array(upper), rows, cols, vals)
