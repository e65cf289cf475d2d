"""The monitor's charts: one function per chart, each takes an optional axis and returns it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from matcher.domain import care_type_name  # noqa: E402
from matcher.i18n import _  # noqa: E402


def _axis(ax):
    return plt.subplots(figsize=(7, 3.6))[1] if ax is None else ax


def _weeks_axis(ax, title: str, ylabel: str):
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("week"))
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return ax


def _national(weekly: pd.DataFrame, figure: str) -> pd.DataFrame:
    land = weekly[weekly["level"] == "land"]
    return land.pivot(index="week", columns="care_type", values=figure).apply(pd.to_numeric, errors="coerce")


def waiting_list_chart(weekly: pd.DataFrame, ax=None):
    """Youths on the waiting list at the end of each week, per care type (nationally)."""
    ax = _axis(ax)
    for care_type, series in _national(weekly, "waiting").items():
        ax.plot(series.index, series.to_numpy(), label=care_type_name(care_type), drawstyle="steps-post")
    return _weeks_axis(ax, _("Waiting list at the end of the week"), _("youths waiting"))


def occupancy_chart(weekly: pd.DataFrame, ax=None):
    """Occupied share of the places at the end of each week, per care type (nationally)."""
    ax = _axis(ax)
    for care_type, series in _national(weekly, "occupancy").items():
        ax.plot(series.index, 100 * series.to_numpy(), label=care_type_name(care_type), drawstyle="steps-post")
    return _weeks_axis(ax, _("Occupancy at the end of the week"), _("occupancy (%)"))


def survival_chart(curves: dict[str, pd.DataFrame], ax=None):
    """The Kaplan–Meier share of youths still waiting after t weeks, per care type."""
    ax = _axis(ax)
    for care_type, curve in sorted(curves.items()):
        weeks = [0.0, *curve["weeks"].tolist()]
        share = [100.0, *(100 * curve["still_waiting"]).tolist()]
        ax.plot(weeks, share, label=care_type_name(care_type), drawstyle="steps-post")
    ax.set_xlabel(_("weeks on the waiting list"))
    ax.set_ylabel(_("still waiting (%)"))
    ax.set_title(_("Waiting time (Kaplan–Meier; youths still waiting count as censored)"), fontsize=10)
    ax.legend(fontsize=8)
    return ax
