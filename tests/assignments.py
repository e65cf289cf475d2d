"""Random assignments over a generated week's candidate pairs, for the solver's rule tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from matcher.solver.candidates import build_candidates
from matcher.solver.feasibility import RuleBook
from strategies import instances


@st.composite
def assigned_weeks(draw, max_youths: int = 8):
    """A generated week and a random assignment over its candidate pairs: every movable youth
    gets one of its pairs or none (an occupant who may move: its stay pair instead of none).

    Returns (instance, candidates, rule book, pair_of)."""
    instance = draw(instances(max_youths=max_youths))
    cand = build_candidates(instance)
    rules = RuleBook(instance, cand)
    pair_of = np.full(len(instance.youths), -1, dtype=np.int64)
    starts = np.searchsorted(cand.pair_youth, np.arange(len(instance.youths) + 1))
    for y in cand.movable.tolist():
        lo, hi = int(starts[y]), int(starts[y + 1])
        pick = draw(st.integers(lo - 1, hi - 1)) if hi > lo else lo - 1
        pair_of[y] = rules.stay_pair[y] if pick < lo else pick
    return instance, cand, rules, pair_of


def unit_ids_of(instance, units) -> dict[str, str | None]:
    """The checker's youth id -> unit id map from the unit index of every youth."""
    return {y.youth_id: (instance.units[u].unit_id if u >= 0 else None)
            for y, u in zip(instance.youths, units.tolist())}


def decided_from_now(instance, cand) -> tuple[np.ndarray, np.ndarray]:
    """The youths the solver decides (mask), and the current situation as pairs: occupants in
    their stay pair, nobody new placed."""
    free = np.zeros(len(instance.youths), dtype=bool)
    free[cand.movable] = True
    current = np.full(len(instance.youths), -1, dtype=np.int64)
    stays = np.flatnonzero(cand.pair_stay)
    current[cand.pair_youth[stays]] = stays
    return free, current
