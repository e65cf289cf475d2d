"""The simulated baseline in the terms of the real figures (``reference.REAL_FIGURES``).

Every baseline run of an experiment simulates today with its own random numbers, so together
they give the baseline's figures with their spread: the mean over the runs, and the 95 %
interval of that mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from matcher.instance import Instance
from matcher.simulation.engine import RunOutput

HALF_YEAR_WEEKS = 26
CALIBRATION_FIGURES = ("gesloten_occupancy", "gesloten_youths", "gesloten_placements_half_year", "wait_all_weeks",
                       "wait_eetstoornis_weeks", "wait_intensieve_ggz_weeks")


def run_calibration(output: RunOutput, weeks: int) -> dict[str, float]:
    """One baseline run's figures: JeugdzorgPlus occupancy, youths and placements, mean waits."""
    occupied = [r[6] for r in output.weeks if r[1] == "gesloten"]
    capacity = [r[7] for r in output.weeks if r[1] == "gesloten"]
    placed = sum(r[3] for r in output.weeks if r[1] == "gesloten" and r[0] >= 1)
    figures = {
        "gesloten_occupancy": sum(occupied) / sum(capacity) if sum(capacity) else math.nan,
        "gesloten_youths": float(np.mean(occupied)) if occupied else math.nan,
        "gesloten_placements_half_year": placed * HALF_YEAR_WEEKS / max(weeks - 1, 1),
        "wait_all_weeks": _mean_wait(output, weeks, None),
    }
    for care_type in ("eetstoornis", "intensieve_ggz"):
        figures[f"wait_{care_type}_weeks"] = _mean_wait(output, weeks, care_type)
    return figures


def _mean_wait(output: RunOutput, weeks: int, care_type: str | None) -> float:
    waits = []
    for e in output.episodes:
        if e[1] or care_type not in (None, e[2]):
            continue
        end = e[6] if e[6] is not None else (e[10] if e[10] is not None else weeks)
        waits.append(end - e[5])
    return float(np.mean(waits)) if waits else math.nan


def instance_figures(instance: Instance) -> dict[str, float]:
    """What the instance fixes: JeugdzorgPlus places, the size of small-scale units and gezinshuizen."""
    def mean_places(setting: str) -> float:
        sizes = [u.capacity for u in instance.units if u.setting == setting]
        return float(np.mean(sizes)) if sizes else math.nan
    return {"gesloten_places": float(sum(u.capacity for u in instance.units if u.care_type == "gesloten")),
            "kleinschalig_group_size": mean_places("kleinschalig"),
            "gezinsgericht_per_home": mean_places("gezinsgericht")}


def simulated_baseline(per_run: Sequence[dict], instance: Instance) -> dict[str, tuple]:
    """figure -> (mean, low, high, runs): over every baseline run's figures, the 95 % interval of
    the mean; the instance's own figures with no interval."""
    result = {}
    for key in CALIBRATION_FIGURES:
        v = np.array([f[key] for f in per_run if key in f], dtype=float)
        v = v[~np.isnan(v)]
        if len(v) == 0:
            continue
        half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else math.nan
        result[key] = (float(v.mean()), float(v.mean()) - half, float(v.mean()) + half, len(v))
    for key, value in instance_figures(instance).items():
        result[key] = (value, math.nan, math.nan, 0)
    return result
