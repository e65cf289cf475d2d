"""episodes.parquet's rows of one run as an Arrow table, made where the run ran.

On a cluster each worker turns its runs' rows into columns, so that writing the file at the end
only joins the tables: turning 2.4 million rows (50 replications of four scenarios) into columns
is work the workers share, not a wait for the planner after the last run.
"""

from __future__ import annotations

import pyarrow as pa

EPISODE_SCHEMA = pa.schema([
    ("scenario", pa.string()), ("replication", pa.int32()), ("grid_point", pa.int32()), ("youth_id", pa.string()),
    ("initial", pa.bool_()), ("care_type", pa.string()), ("home_jeugdregio", pa.string()), ("urgency", pa.int8()),
    ("arrival_week", pa.int32()), ("placed_week", pa.int32()), ("unit_id", pa.string()), ("setting", pa.string()),
    ("departure_week", pa.int32()), ("left_week", pa.int32()), ("km", pa.float64()), ("setting_steps", pa.int8()),
])


def episode_table(key: tuple[str, int, int], rows: list[tuple]) -> pa.Table:
    """The run ``key`` (scenario, grid point, replication)'s episode rows, column by column (a
    NaN km is written as null)."""
    scenario, point, replication = key
    n = len(rows)
    columns = list(zip(*rows)) if n else [()] * (len(EPISODE_SCHEMA) - 3)
    arrays = [pa.array([scenario] * n, pa.string()), pa.array([replication] * n, pa.int32()),
              pa.array([point] * n, pa.int32())]
    arrays += [pa.array(values, type=field.type, from_pandas=True)
               for values, field in zip(columns, list(EPISODE_SCHEMA)[3:])]
    return pa.Table.from_arrays(arrays, schema=EPISODE_SCHEMA)
