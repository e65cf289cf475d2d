"""Writing the monitor: its tables as CSV, three charts, and a report in the run's language.

The public variant (``Monitor.public``) says so at the top and holds no count below 5.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from matcher.domain import care_type_name
from matcher.i18n import _, number, percent
from matcher.maps.privacy import SMALL_BAND, SMALL_COUNT
from matcher.register.monitor import Monitor
from matcher.register.plots import occupancy_chart, survival_chart, waiting_list_chart
from matcher.simulation.plots import save

TABLES = {"weekly.csv": "weekly", "waiting_times.csv": "waiting_times", "declines.csv": "declines"}


def _figure(value, decimals: int = 1) -> str:
    """A figure for the report: '-' when it is left out or unknown, a band as it is."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, decimals)


def _share(value) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else percent(value, 0)


def _national_rows(monitor: Monitor) -> list[str]:
    times = monitor.waiting_times[monitor.waiting_times["level"] == "land"].set_index("care_type")
    weekly = monitor.weekly[(monitor.weekly["level"] == "land") & (monitor.weekly["week"] == monitor.weeks[1])]
    now = weekly.set_index("care_type")
    rows = []
    for care_type, t in times.iterrows():
        w = now.loc[care_type] if care_type in now.index else None
        rows.append("| " + " | ".join([
            care_type_name(care_type), _figure(w["waiting"], 0) if w is not None else "–", _figure(t["placed"], 0),
            _figure(t["mean_wait"]), _figure(t["p90_wait"]), _figure(t["km_median"], 0), _figure(t["km_p90"], 0),
            _share(w["occupancy"]) if w is not None else "–", _share(t["own_jeugdregio"]), _figure(t["mean_km"])]) + " |")
    return rows


def report_text(monitor: Monitor) -> str:
    """The monitor's report (Markdown) in the run's language."""
    first, last = monitor.weeks
    lines = [_("# Waiting-time monitor: {name}").format(name=monitor.name), ""]
    if monitor.public:
        lines += [_("**Public version**: no count below {n} is shown (a band {band} instead), and no figure over "
                    "fewer than {n} youths.").format(n=SMALL_COUNT, band=SMALL_BAND), ""]
    lines += [_("Weeks {first} to {last} (week {last} is still open: its figures are so far). Every figure is "
                "computed from the register's event log ({events} events).").format(
        first=first, last=last, events=number(monitor.events)), "",
              _("| care type | waiting now | placed | mean wait (weeks) | p90 wait | KM median | KM p90 | occupancy now "
                "| own jeugdregio | mean km |"), "|---|---|---|---|---|---|---|---|---|---|"]
    lines += _national_rows(monitor)
    lines += ["", _("Mean and p90 wait count the placed youths only; the Kaplan–Meier (KM) estimate also counts the "
                    "youths still waiting and those who left the list, as censored: it does not flatter a list "
                    "whose longest waiters are still on it. '–': not reached yet, or too few youths."), "",
              _("## Declines per provider and reason"), ""]
    if monitor.declines.empty:
        lines.append(_("No declines (in the public version: none of 5 or more per provider and reason)."))
    else:
        lines += [_("| provider | reason | declines |"), "|---|---|---|"]
        lines += [f"| {r.provider} | {r.reason} | {number(r.declines)} |" for r in monitor.declines.itertuples()]
    lines += ["", _("Per region and per week: weekly.csv and waiting_times.csv (level: land, bovenregio, jeugdregio). "
                    "Charts: waiting_list.png, waiting_time.png, occupancy.png."), ""]
    return "\n".join(lines)


def write_monitor(monitor: Monitor, out: str | Path) -> Path:
    """Write the monitor folder ``out`` (replaced as a whole, never left half-written)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for file, attribute in TABLES.items():
            table: pd.DataFrame = getattr(monitor, attribute)
            table.to_csv(staging / file, index=False, float_format="%.4f")
        save(waiting_list_chart(monitor.weekly), staging / "waiting_list.png")
        save(survival_chart(monitor.survival), staging / "waiting_time.png")
        save(occupancy_chart(monitor.weekly), staging / "occupancy.png")
        (staging / "report.md").write_text(report_text(monitor), encoding="utf-8")
        os.chmod(staging, 0o755)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
