"""How time and memory grow with the size of the problem, per method (matplotlib, Agg backend).

The size is the number of candidate pairs (youth-unit combinations that rules 1-6 allow for
the youths whose place is decided): that is the size of the decision every method faces. Every
seed is a point (each has its own pair count); a method's line joins the tiers' medians in order
of size.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from benchmarks.targets import XL_PEAK_MB  # noqa: E402

#: Method -> (label, colour, marker), in the order of the legend.
STYLE = {
    "matcher": ("matcher (CLI)", "#1b7837", "o"),
    "plain_mip": ("plain MIP (HiGHS)", "#c51b7d", "s"),
    "cpsat": ("whole model (CP-SAT)", "#2166ac", "D"),
    "greedy": ("greedy (by hand)", "#7f7f7f", "^"),
}


def _series(rows: Sequence[dict], method: str, column: str):
    """x (pairs), y, tier names and whether the run gave a checked assignment, by size."""
    picked = sorted((r for r in rows if r["method"] == method and r[column] not in ("", None)),
                    key=lambda r: float(r["candidate_pairs"]))
    return ([float(r["candidate_pairs"]) for r in picked], [float(r[column]) for r in picked],
            [str(r["tier"]) for r in picked], [str(r["check_ok"]) == "True" for r in picked])


def _medians(x: list[float], y: list[float], tiers: list[str]) -> tuple[list[float], list[float]]:
    """The median point of each tier's seeds, in order of size, and the line joins the tiers' medians."""
    points = []
    for t in dict.fromkeys(tiers):
        xs = [xi for xi, ti in zip(x, tiers) if ti == t]
        ys = [yi for yi, ti in zip(y, tiers) if ti == t]
        points.append((statistics.median(xs), statistics.median(ys)))
    points.sort()
    return [p[0] for p in points], [p[1] for p in points]


def _draw(ax, rows: Sequence[dict], column: str, label_tiers: bool) -> None:
    """Every seed as a point, one line per method through the tiers' medians; a cross where the
    run ended without a valid assignment."""
    failed_shown = False
    for method, (label, colour, marker) in STYLE.items():
        x, y, tiers, ok = _series(rows, method, column)
        ax.plot(x, y, marker=marker, linestyle="none", color=colour, alpha=0.6)
        ax.plot(*_medians(x, y, tiers), marker=marker, color=colour, label=label + ", median per tier",
                markerfacecolor="none")
        bad = [(xi, yi) for xi, yi, good in zip(x, y, ok) if not good]
        if bad:
            ax.plot(*zip(*bad), linestyle="none", marker="x", markersize=12, color="black",
                    label=None if failed_shown else "no valid assignment")
            failed_shown = True
        if label_tiers and method == "matcher":
            labelled: set[str] = set()
            for xi, yi, t in zip(x, y, tiers):
                if t not in labelled:  # one label per tier, at its smallest seed
                    labelled.add(t)
                    ax.annotate(t, (xi, yi), textcoords="offset points", xytext=(4, -12), fontsize=8)


def plot_time(rows: Sequence[dict], ax=None):
    """Wall time of the whole run (read to answer) against candidate pairs, log-log."""
    ax = ax or plt.gca()
    _draw(ax, rows, "wall_s", label_tiers=True)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("candidate pairs (log)")
    ax.set_ylabel("wall time, s (log)")
    ax.set_title("Time")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_memory(rows: Sequence[dict], ax=None):
    """Peak resident memory of the run against candidate pairs, log-log."""
    ax = ax or plt.gca()
    _draw(ax, rows, "peak_mb", label_tiers=True)
    ax.axhline(XL_PEAK_MB, color="black", linestyle=":", linewidth=1)
    ax.text(0.01, XL_PEAK_MB, f" {XL_PEAK_MB / 1000:g} GB (XL target)", transform=ax.get_yaxis_transform(),
            va="bottom", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("candidate pairs (log)")
    ax.set_ylabel("peak memory, MB (log)")
    ax.set_title("Memory")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def write_scaling_png(rows: Sequence[dict], path: str | Path, title: str = "") -> Path:
    """Both panels side by side, written to ``path``."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    plot_time(rows, left)
    plot_memory(rows, right)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
