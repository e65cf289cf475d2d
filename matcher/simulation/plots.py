"""Charts (matplotlib, PNG): fan charts over the weeks, and the break-even chart of a grid.

One function per chart; each takes an optional axis and returns it. ``save`` writes a figure
small enough to keep in the repository.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from matcher.i18n import _  # noqa: E402

COLOURS = ("#555555", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def fan_chart(series: dict[str, np.ndarray], title: str, ylabel: str, ax=None):
    """Per scenario: the median over the replications as a line, p10-p90 as a band."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for i, (scenario, values) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        weeks = np.arange(values.shape[1])
        p10, p50, p90 = np.quantile(values, [0.1, 0.5, 0.9], axis=0)
        ax.fill_between(weeks, p10, p90, color=colour, alpha=0.18, linewidth=0)
        ax.plot(weeks, p50, color=colour, linewidth=1.6, label=scenario)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(_("week of the run"))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return ax


def break_even_chart(x: tuple, y: tuple, cost_diff: np.ndarray, worse_waiting: np.ndarray,
                     labels: tuple[str, str, str], ax=None):
    """Difference in cost per year to the baseline as colour over two factors, the zero contour
    drawn, and the cells where waiting is worse than in the baseline marked with a cross.

    ``cost_diff`` and ``worse_waiting`` are indexed [y, x]; ``labels`` = (x, y, title).
    """
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.0, 4.6))
    millions = cost_diff / 1e6
    top = float(np.nanmax(np.abs(millions))) or 1.0
    mesh = ax.pcolormesh(_edges(x), _edges(y), millions, cmap="RdBu_r", vmin=-top, vmax=top, shading="flat")
    plt.colorbar(mesh, ax=ax, label=_("difference in cost per year (million euro)"))
    if len(x) > 1 and len(y) > 1 and np.nanmin(millions) < 0 < np.nanmax(millions):
        contour = ax.contour(x, y, millions, levels=[0.0], colors="black", linewidths=1.5)
        ax.clabel(contour, fmt={0.0: _("break-even")}, fontsize=8)
    xs, ys = np.meshgrid(x, y)
    ax.scatter(xs[worse_waiting], ys[worse_waiting], marker="x", color="black", s=40,
               label=_("waiting worse than baseline"))
    if worse_waiting.any():
        ax.legend(fontsize=8, loc="upper left", framealpha=0.8)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(labels[2], fontsize=10)
    return ax


def _edges(values: tuple) -> np.ndarray:
    """Cell edges around grid values (half-way between neighbours)."""
    v = np.asarray(values, dtype=float)
    if len(v) == 1:
        return np.array([v[0] - 0.05, v[0] + 0.05])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def save(ax, path: Path) -> Path:
    """Write the axis' figure as a small PNG and close it."""
    fig = ax.figure
    fig.tight_layout()
    fig.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(fig)
    return path
