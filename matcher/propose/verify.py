"""Verification: the proposed plans (and the planner's own scenarios) simulated over the years.

The plans' scenario files go to ``matcher.simulation`` as they are, with the baseline: the same
weeks, arrivals and stays for every plan in a replication (common random numbers), on the
cluster ``matcher simulate`` would use. Each figure is compared per replication, so the
intervals are those of the paired differences: a t interval of the mean difference over the
replications (95 %). The plan with the shortest mean waiting time is named best; the confidence
is that of its paired difference to the runner-up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.i18n import _
from matcher.instance import Instance
from matcher.propose.propose import mean_interval
from matcher.simulation.parameters import SimParams
from matcher.simulation.plan import Plan
from matcher.simulation.scenarios import week_zero
from matcher.simulation.simulate import simulate
from matcher.simulation.summary import run_figures

#: The figures compared, in report order (lower is better for the first three).
FIGURES = ("mean_wait_weeks", "never_placed_share", "mean_km", "own_jeugdregio_share", "cost_per_year_eur")


@dataclass(frozen=True)
class Verification:
    """Per scenario and figure the mean over the replications; paired intervals to the baseline
    and between the plans; which plan is best and with what confidence."""

    names: tuple[str, ...]                     # baseline first
    replications: int
    weeks: int
    means: dict                                # (name, figure) -> mean
    versus_baseline: dict                      # (name, figure) -> (mean diff, low, high)
    versus_best: dict                          # (name, figure) -> (mean diff, low, high) against the best
    best: str
    confident: bool                            # the best's waiting is below the runner-up's in every interval
    seconds: float
    folder: Path


def paired(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """Mean of a - b per replication with its 95 % t interval."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = d[~np.isnan(d)]
    if d.size == 0:
        return (math.nan, math.nan, math.nan)
    low, high = mean_interval(d)
    return float(d.mean()), low, high


def verify(instance: Instance, plan_files: list[Path], params: SimParams, counts: tuple[int, int, int],
           out: Path, client=None, say=None) -> Verification:
    """Simulate the baseline and every plan file; ``counts`` = (weeks, replications, seed);
    ``say(text)`` hears of every tenth of the runs done."""
    weeks, replications, seed = counts
    runs = week_zero(instance, plan_files, seed)
    plan = Plan(runs, params, seed=seed, replications=replications, weeks=weeks)
    total, done = len(plan.specs()), []

    def on_done(_output) -> None:
        done.append(1)
        if say and (len(done) % max(1, total // 10) == 0 or len(done) == total):
            say(_("simulated {done} of {total} runs").format(done=len(done), total=total))

    outcome = simulate(plan, out, client, on_done=on_done, instance_name=instance.name)
    values: dict = defaultdict(dict)
    for o in outcome.outputs:
        scenario, _point, replication = o.key
        values[scenario][replication] = run_figures(o, weeks)
    names = tuple(s.name for s in runs)
    order = range(replications)

    def series(name: str, figure: str) -> list[float]:
        return [values[name][r][figure] for r in order]

    means = {(n, f): float(np.nanmean(series(n, f))) for n in names for f in FIGURES}
    base = names[0]
    versus_baseline = {(n, f): paired(series(n, f), series(base, f)) for n in names[1:] for f in FIGURES}
    ranked = sorted(names[1:], key=lambda n: (means[(n, "mean_wait_weeks")], means[(n, "cost_per_year_eur")], n))
    best = ranked[0] if ranked else base
    versus_best = {(n, f): paired(series(n, f), series(best, f)) for n in names[1:] if n != best for f in FIGURES}
    confident = len(ranked) < 2 or versus_best[(ranked[1], "mean_wait_weeks")][1] > 0
    return Verification(names, replications, weeks, means, versus_baseline, versus_best, best, confident,
                        outcome.seconds, out)
