"""Which charts a run gets, and their files: fan charts per figure, a break-even chart per
scenario when a grid of one or two factors was swept."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.i18n import N_, _
from matcher.simulation.engine import RunOutput
from matcher.simulation.plan import Plan
from matcher.simulation.plots import break_even_chart, fan_chart, save
from matcher.simulation.report import shown_name
from matcher.simulation.series import fans
from matcher.simulation.summary import waiting_worse

FAN_TITLES = {
    "waiting": (N_("Youths waiting at the end of the week"), N_("youths on the waiting list")),
    "occupancy": (N_("Occupancy of all places"), N_("share of places occupied")),
    "cost_per_year_eur": (N_("Cost per year (the week's cost x 52)"), N_("million euro per year")),
}


def fan_charts(plan: Plan, outputs: Sequence[RunOutput], out: Path) -> list[tuple[str, Path]]:
    """One fan chart per figure: every scenario (at the first grid point) against the baseline."""
    data = fans(outputs, plan.weeks, point=0)
    charts = []
    for name, (title, ylabel) in FAN_TITLES.items():
        scale = 1e-6 if name == "cost_per_year_eur" else 1.0
        series = {shown_name(s): data[s][name] * scale for s in data}
        ax = fan_chart(series, _(title), _(ylabel))
        charts.append((_(title), save(ax, out / f"fan_{name}.png")))
    return charts


def break_even(plan: Plan, summary: dict, scenario: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean paired difference in cost per year, and "waiting worse" (mean waiting time up), [y, x]."""
    nx = len(plan.grid[0].values)
    ny = len(plan.grid[1].values) if len(plan.grid) > 1 else 1
    cost, worse = np.full((ny, nx), np.nan), np.zeros((ny, nx), dtype=bool)
    for p in range(len(plan.points)):
        ix, iy = (p // ny, p % ny)
        figures = summary[(scenario, p)]
        cost[iy, ix] = figures["cost_per_year_eur"].diff_mean
        worse[iy, ix] = waiting_worse(figures)
    return cost, worse


def break_even_charts(plan: Plan, summary: dict, out: Path) -> list[tuple[str, Path]]:
    """A break-even chart per scenario, for a grid of one or two factors."""
    if not plan.grid or len(plan.grid) > 2:
        return []
    charts = []
    for s in plan.scenarios[1:]:
        cost, worse = break_even(plan, summary, s.name)
        x = plan.grid[0].values
        y = plan.grid[1].values if len(plan.grid) > 1 else (1.0,)
        title = _("Break-even: {scenario} against the baseline").format(scenario=s.name)
        ylabel = plan.grid[1].name if len(plan.grid) > 1 else ""
        ax = break_even_chart(x, y, cost, worse, (plan.grid[0].name, ylabel, title))
        charts.append((title, save(ax, out / f"break_even_{s.name}.png")))
    return charts
