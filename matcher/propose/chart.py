"""The trade-off chart (tradeoff.png): budget against mean waiting and mean km, one point per
budget, so that a planner picks a point rather than taking one answer."""

from __future__ import annotations

from pathlib import Path

from matcher.i18n import _
from matcher.simulation.plots import plt, save


def tradeoff_chart(curve: tuple, today=None, ax=None):
    """Mean waiting (weeks, model estimate) and mean km against the yearly budget (million euro);
    ``today`` (an estimate of today's supply) as open markers at today's funded cost."""
    points = [(b / 1e6, e) for b, e in curve if e is not None]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 3.4))
    budgets = [b for b, _e in points]
    ax.plot(budgets, [e.mean_wait_weeks for _b, e in points], marker="o", color="#d62728",
            label=_("mean waiting (weeks)"))
    ax.set_xlabel(_("budget per year (million euro)"))
    ax.set_ylabel(_("mean waiting (weeks)"))
    ax.grid(alpha=0.3)
    km = ax.twinx()
    km.plot(budgets, [e.km for _b, e in points], marker="s", color="#1f77b4", label=_("mean km"))
    km.set_ylabel(_("mean km of a placement"))
    if today is not None:
        x = today.funded_per_year / 1e6
        ax.plot([x], [today.mean_wait_weeks], marker="o", markerfacecolor="none", color="#d62728", linestyle="none",
                label=_("today"))
        km.plot([x], [today.km], marker="s", markerfacecolor="none", color="#1f77b4", linestyle="none")
    lines = [line for line in ax.get_lines() + km.get_lines() if not line.get_label().startswith("_")]
    ax.legend(lines, [line.get_label() for line in lines], fontsize=8, frameon=False)
    ax.set_title(_("Budget against waiting and distance (model estimates)"), fontsize=10)
    return ax


def write_tradeoff_chart(curve: tuple, today, path: Path) -> Path:
    return save(tradeoff_chart(curve, today), path)
