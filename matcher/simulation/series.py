"""Week-by-week series per run, for the fan charts: youths waiting, occupancy, cost per year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from matcher.simulation.engine import RunOutput
from matcher.simulation.summary import WEEKS_PER_YEAR

SERIES = ("waiting", "occupancy", "cost_per_year_eur")


def week_series(output: RunOutput, weeks: int) -> dict[str, np.ndarray]:
    """name -> one value per week (all care types together)."""
    waiting, occupied, capacity, cost = (np.zeros(weeks) for _ in range(4))
    for (week, _, _, _, _, n_waiting, n_occupied, n_capacity, _, _, euro, _) in output.weeks:
        waiting[week] += n_waiting
        occupied[week] += n_occupied
        capacity[week] += n_capacity
        cost[week] += euro
    return {"waiting": waiting, "occupancy": np.divide(occupied, capacity, out=np.zeros(weeks), where=capacity > 0),
            "cost_per_year_eur": cost * WEEKS_PER_YEAR}


def fans(outputs: Sequence[RunOutput], weeks: int, point: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """scenario -> series name -> array (replications x weeks), for grid point ``point``."""
    stacked: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for o in outputs:
        scenario, p, _ = o.key
        if p == point:
            for name, values in week_series(o, weeks).items():
                stacked[scenario][name].append(values)
    return {s: {n: np.array(v) for n, v in series.items()} for s, series in stacked.items()}
