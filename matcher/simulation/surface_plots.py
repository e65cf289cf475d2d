"""Charts of a designed experiment (matplotlib, PNG): the fitted cost difference with its
break-even line and band, and the chance that the scenario pays off, over two factors; a line
with its band over one. Each function takes an optional axis and returns it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from matcher.i18n import _  # noqa: E402


def surface_chart(grid: tuple[np.ndarray, np.ndarray], fitted: dict[str, np.ndarray], design: tuple,
                  labels: tuple[str, str, str], ax=None):
    """Fitted cost difference (colour, million euro), its zero line (black), the band where its
    95 % interval contains 0 (dotted), where waiting gets worse (red hatching), and the design
    points coloured by their simulated mean.

    ``fitted``: "cost" (million euro), "band" (bool) and "worse" (bool), each [y, x];
    ``design``: (x, y, mean cost difference in million euro); ``labels``: (x, y, title).
    """
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 4.8))
    gx, gy = grid
    cost = fitted["cost"]
    top = float(max(np.nanmax(np.abs(cost)), np.nanmax(np.abs(design[2])))) or 1.0
    levels = np.linspace(-top, top, 21)
    filled = ax.contourf(gx, gy, cost, levels=levels, cmap="RdBu_r", extend="both")
    plt.colorbar(filled, ax=ax, label=_("difference in cost per year (million euro)"), format="%.3g")
    ax.contourf(gx, gy, fitted["band"].astype(float), levels=[0.5, 1.5], colors="none", hatches=["..."])
    ax.contourf(gx, gy, fitted["worse"].astype(float), levels=[0.5, 1.5], colors="none", hatches=["///"])
    if np.nanmin(cost) < 0 < np.nanmax(cost):
        ax.contour(gx, gy, cost, levels=[0.0], colors="black", linewidths=1.8)
    ax.scatter(design[0], design[1], c=design[2], cmap="RdBu_r", vmin=-top, vmax=top, edgecolors="black", s=34,
               zorder=3)
    handles = [Line2D([], [], color="black", linewidth=1.8, label=_("break-even (fitted)")),
               Patch(facecolor="white", edgecolor="black", hatch="...", label=_("95 % band of the break-even line")),
               Patch(facecolor="white", edgecolor="black", hatch="///", label=_("waiting gets longer (fitted)")),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="black",
                      label=_("design point (simulated mean)"))]
    ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(labels[2], fontsize=10)
    return ax


def chance_chart(grid: tuple[np.ndarray, np.ndarray], chance: np.ndarray, design: tuple[np.ndarray, np.ndarray],
                 labels: tuple[str, str, str], ax=None):
    """The chance that the scenario pays off (colour, 0-100 %), with the 50 % and 90 % lines."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 4.6))
    gx, gy = grid
    filled = ax.contourf(gx, gy, chance * 100, levels=np.linspace(0, 100, 11), cmap="Greens")
    plt.colorbar(filled, ax=ax, label=_("chance that it pays off (%)"))
    lines = ax.contour(gx, gy, chance * 100, levels=[50, 90], colors="black", linewidths=[1.2, 0.8])
    ax.clabel(lines, fmt="%d %%", fontsize=8)
    ax.scatter(design[0], design[1], color="black", s=10, zorder=3, label=_("design point"))
    ax.legend(fontsize=8, loc="lower left", framealpha=0.8)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(labels[2], fontsize=10)
    return ax


def line_chart(x: np.ndarray, fitted: tuple[np.ndarray, np.ndarray], design: tuple, labels: tuple[str, str, str],
               ax=None):
    """One factor: the fitted difference with its 95 % band, and the design points with their
    95 % intervals (``design`` = (x, mean, half-width))."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 3.8))
    mean, sd = fitted
    ax.fill_between(x, mean - 1.96 * sd, mean + 1.96 * sd, color="#1f77b4", alpha=0.2, linewidth=0,
                    label=_("95 % band of the fit"))
    ax.plot(x, mean, color="#1f77b4", linewidth=1.6, label=_("fitted"))
    ax.errorbar(design[0], design[1], yerr=design[2], fmt="o", color="black", markersize=4, capsize=2,
                label=_("design point (simulated mean)"))
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(labels[2], fontsize=10)
    return ax
