"""The solver's columns of a simulated week, kept from week to week instead of read anew.

A run's units never change, and a youth's profile (care type, setting, age, home, ...) does not
change while it waits or stays: only where it lives, its urgency and the weeks it has waited do.
So the run reads each unit once (``UnitColumns``) and each youth once, when it enters the run
(``YouthPool``); a week's ``Arrays`` are those rows taken in the week instance's order, with the
few columns that change computed for the week. They are exactly ``read_arrays`` of the week
instance (a test holds them equal), at a fraction of the cost: ``read_arrays`` reads every
field of every youth of the week (about 1,500 of them, 5 ms a week on nl-stock).
"""

from __future__ import annotations

import numpy as np

from matcher.instance import Instance, RegionMap, Unit, Youth
from matcher.solver.candidates import Arrays, field_columns, unit_columns, unplaced_costs, youth_columns


class UnitColumns:
    """Every unit of the run as columns, and each unit's row."""

    def __init__(self, instance: Instance, units: tuple[Unit, ...]):
        self.columns = unit_columns(units, instance.locations, instance.regions)
        self.row = {u.unit_id: i for i, u in enumerate(units)}

    def take(self, units: list[Unit]) -> dict[str, np.ndarray]:
        rows = np.fromiter((self.row[u.unit_id] for u in units), dtype=np.int64, count=len(units))
        return {name: column[rows] for name, column in self.columns.items()}


class YouthPool:
    """The profile columns of every youth that entered the run, one row each, in order of entry."""

    def __init__(self, regions: RegionMap):
        self.regions = regions
        self.columns: dict[str, np.ndarray] | None = None
        self.size = 0

    def add(self, youths: list[Youth]) -> int:
        """Append the rows of ``youths``; returns the row of the first."""
        first = self.size
        if not youths:
            return first
        new = youth_columns(youths, self.regions)
        self.columns = new if self.columns is None else {
            name: np.concatenate([self.columns[name], new[name]]) for name in new}
        self.size += len(youths)
        return first

    def take(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        return {name: column[rows] for name, column in self.columns.items()}


#: The youth fields the week's cost of leaving a youth unplaced is made of.
_CHANGING = ("urgency", "waiting_weeks")


def week_arrays(instance: Instance, units: UnitColumns, pool: YouthPool, rows: np.ndarray,
                resident_counts: list[int]) -> Arrays:
    """The week instance's ``Arrays``: its units' rows, its youths' rows (``rows``, in the
    instance's order: the residents of each unit in turn, ``resident_counts`` of them, then
    those who wait), and the columns of this week."""
    youths = instance.youths
    n_resident = sum(resident_counts)
    current = np.full(len(youths), -1, dtype=np.int64)
    current[:n_resident] = np.repeat(np.arange(len(resident_counts), dtype=np.int64), resident_counts)
    index = instance.youth_position
    return Arrays(
        **units.take(instance.units),
        **pool.take(rows),
        youth_current=current,
        youth_unplaced_cost=unplaced_costs(instance.settings, *field_columns(youths, _CHANGING).values()),
        conflict_a=np.array([index[a] for a, _ in instance.conflicts], dtype=np.int64),
        conflict_b=np.array([index[b] for _, b in instance.conflicts], dtype=np.int64),
    )
