"""Figures per run, and their spread over the replications (summary.csv, report, terminal).

Every figure is recomputed from the run's own rows: waiting times and placements from the
episodes, waiting list, occupancy and cost from the weeks. A youth's waiting time runs from its
arrival to its placement, or to leaving the list, or to the end of the run (still waiting).
Differences to the baseline are paired by replication (the same random numbers), so their
spread is the scenario's, not the noise's. Waiting and unmet need are figures of their own,
never turned into money.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.domain import CARE_TYPES
from matcher.simulation.engine import RunOutput
from matcher.simulation.plan import Plan

WEEKS_PER_YEAR = 52.0
#: The figures, in report order: (name, higher is worse for the youths?)
METRICS = (
    "mean_wait_weeks", "p90_wait_weeks", "youths_waiting", "never_placed_share", "left_share",
    *(f"occupancy_{c}" for c in CARE_TYPES),
    "mean_km", "own_jeugdregio_share", "setting_steps", "cost_per_year_eur",
)
QUANTILES = (0.10, 0.50, 0.90)


def run_figures(output: RunOutput, weeks: int) -> dict[str, float]:
    """The figures of one run."""
    waits, placements, never, left, arrived = [], [], 0, 0, 0
    for (_, initial, _, home, _, arrival, placed, unit, _, _, left_week, km, steps) in output.episodes:
        if initial:
            continue
        arrived += 1
        end = placed if placed is not None else (left_week if left_week is not None else weeks)
        waits.append(end - arrival)
        if placed is None:
            never += 1
            left += left_week is not None
        else:
            placements.append((km, steps, unit))
    figures = {
        "mean_wait_weeks": float(np.mean(waits)) if waits else 0.0,
        "p90_wait_weeks": float(np.quantile(waits, 0.9)) if waits else 0.0,
        "never_placed_share": never / arrived if arrived else 0.0,
        "left_share": left / arrived if arrived else 0.0,
    }
    figures.update(_week_figures(output, weeks))
    figures["mean_km"] = math.fsum(p[0] for p in placements) / len(placements) if placements else math.nan
    figures["setting_steps"] = math.fsum(p[1] for p in placements) / len(placements) if placements else math.nan
    return figures


def _week_figures(output: RunOutput, weeks: int) -> dict[str, float]:
    waiting, placed, own = defaultdict(int), 0, 0
    occupied, capacity = defaultdict(float), defaultdict(float)
    cost = 0.0
    for (week, care_type, _, n_placed, _, n_waiting, n_occupied, n_capacity, n_own, _, euro, _) in output.weeks:
        waiting[week] += n_waiting
        placed += n_placed
        own += n_own
        occupied[care_type] += n_occupied
        capacity[care_type] += n_capacity
        cost += euro
    figures = {"youths_waiting": float(np.mean(list(waiting.values()))) if waiting else 0.0,
               "own_jeugdregio_share": own / placed if placed else math.nan,
               "cost_per_year_eur": cost * WEEKS_PER_YEAR / weeks}
    for c in CARE_TYPES:
        figures[f"occupancy_{c}"] = occupied[c] / capacity[c] if capacity[c] else math.nan
    return figures


@dataclass(frozen=True)
class Spread:
    """A figure over the replications: mean, p10/p50/p90, and the paired difference to the baseline."""

    mean: float
    quantiles: tuple[float, float, float]
    diff_mean: float | None = None
    diff_quantiles: tuple[float, float, float] | None = None


def _spread(values: list[float], base: list[float] | None) -> Spread:
    v = np.array(values, dtype=float)
    q = tuple(float(x) for x in np.nanquantile(v, QUANTILES)) if not np.isnan(v).all() else (math.nan,) * 3
    mean = float(np.nanmean(v)) if not np.isnan(v).all() else math.nan
    if base is None:
        return Spread(mean, q)
    d = v - np.array(base, dtype=float)
    if np.isnan(d).all():
        return Spread(mean, q, math.nan, (math.nan,) * 3)
    return Spread(mean, q, float(np.nanmean(d)), tuple(float(x) for x in np.nanquantile(d, QUANTILES)))


def summarise(plan: Plan, outputs: Sequence[RunOutput]) -> dict[tuple[str, int], dict[str, Spread]]:
    """(scenario, grid point) -> figure -> its spread; the baseline without a difference."""
    by_run = defaultdict(dict)
    for o in outputs:
        scenario, point, replication = o.key
        by_run[(scenario, point)][replication] = run_figures(o, plan.weeks)
    baseline = plan.scenarios[0].name
    result = {}
    for (scenario, point), reps in by_run.items():
        order = sorted(reps)
        base_point = point if plan.baseline_on_grid else 0
        base = by_run.get((baseline, base_point)) if scenario != baseline else None
        result[(scenario, point)] = {
            m: _spread([reps[r][m] for r in order], [base[r][m] for r in order] if base else None) for m in METRICS
        }
    return result


def waiting_worse(figures: dict[str, Spread]) -> bool:
    """Is waiting worse than in the baseline: a longer mean waiting time or more youths never placed?"""
    return (figures["mean_wait_weeks"].diff_mean or 0) > 0 or (figures["never_placed_share"].diff_mean or 0) > 0


def pays_for_itself(figures: dict[str, Spread]) -> bool:
    """Cheaper per year than the baseline (mean paired difference below 0), without worse waiting."""
    return (figures["cost_per_year_eur"].diff_mean or 0) < 0 and not waiting_worse(figures)


def write_summary(path: Path, plan: Plan, summary: dict) -> None:
    """summary.csv: one row per scenario, grid point and figure."""
    axes = [a.name for a in plan.grid]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["scenario", "grid_point", *axes, "metric", "mean", "p10", "p50", "p90",
                      "diff_mean", "diff_p10", "diff_p90", "replications"])
        for (scenario, point), figures in summary.items():
            values = plan.grid_labels(scenario, point)
            for metric, s in figures.items():
                q = s.diff_quantiles or (None,) * 3
                diff = [s.diff_mean, q[0], q[2]]
                out.writerow([scenario, point, *values, metric, *(_fmt(x) for x in (s.mean, *s.quantiles)),
                              *(_fmt(x) for x in diff), plan.replications])


def _fmt(x: float | None) -> str:
    if x is None or math.isnan(x):
        return ""
    return f"{x:.6g}"
