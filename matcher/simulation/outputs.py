"""The files: weeks.csv and episodes.parquet, written in the plan's order (byte for byte the same
for the same plan, whatever the number of workers)."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from matcher.simulation.engine import RunOutput
from matcher.simulation.episodes import EPISODE_SCHEMA
from matcher.simulation.plan import Plan

WEEK_COLUMNS = ("scenario", "replication", "week", "care_type", "arrivals", "placed", "departures", "waiting",
                "occupied", "capacity", "placed_own_jeugdregio", "mean_km", "cost_eur", "left", "grid_point")


def grid_columns(plan: Plan) -> list[str]:
    """One column per grid axis (its NAME), after the fixed columns."""
    return [a.name for a in plan.grid]


def _num(x: float | None, digits: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_weeks(path: Path, plan: Plan, outputs: Sequence[RunOutput]) -> None:
    """weeks.csv: scenario x replication x week x care type (columns ``WEEK_COLUMNS`` + grid)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(list(WEEK_COLUMNS) + grid_columns(plan))
        for o in outputs:
            scenario, point, replication = o.key
            extra = plan.grid_labels(scenario, point)
            for (week, care_type, arrivals, placed, departures, waiting, occupied, capacity, own, km, cost, left) in o.weeks:
                out.writerow([scenario, replication, week, care_type, arrivals, placed, departures, waiting, occupied,
                              capacity, own, _num(km, 3), _num(cost, 2), left, point] + extra)


def write_episodes(path: Path, outputs: Sequence[RunOutput]) -> None:
    """episodes.parquet: one row per youth and stay, every run (each run's rows were made into a
    table where the run ran: ``runner`` hands back every whole run with its ``episode_table``)."""
    tables = [o.episode_table for o in outputs]
    table = pa.concat_tables(tables).combine_chunks() if tables else EPISODE_SCHEMA.empty_table()
    pq.write_table(table, path, compression="zstd")
