"""``import``: this week's changes from a folder of CSV files, checked completely before anything
is recorded.

The folder (``matcher register template`` writes an empty one with a README) may hold:

- ``requests.csv``: new requests, in the columns of the instance's youths.csv (without
  ``current_unit_id``);
- ``departures.csv``: ``youth_id,reason``: residents who left their unit;
- ``withdrawals.csv``: ``youth_id,reason``: waiting youths who left the list without a place;
- ``capacity.csv``: ``unit_id,capacity``: a unit's new number of places (0 closes it, a number
  above 0 opens a closed unit again);
- ``locations.csv`` and ``units.csv``: new locations and units, in the instance's columns.

Every problem is reported with file, line and column, and then nothing is changed. The same
files imported twice are refused by their digest: nothing is counted twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from matcher.domain import CAPACITY_RANGE
from matcher.errors import InputError
from matcher.i18n import N_, _
from matcher.input.reading import (
    LOCATION_COLUMNS,
    UNIT_COLUMNS,
    YOUTH_COLUMNS,
    Column,
    Problems,
    Table,
    home_point_given_or_from_gemeente,
    ids_are_unique,
    read_table,
    rows_as,
    whole_number,
)
from matcher.instance import Location, Unit, Youth
from matcher.register import events as ev
from matcher.register.database import Open, RegisterError, bump, seen, transaction
from matcher.register.schema import imports, locations, units, youths
from matcher.register.state import RESIDENT, WAITING, State, load_state, unit_row, youth_row

REQUESTS, DEPARTURES, WITHDRAWALS, CAPACITY = "requests.csv", "departures.csv", "withdrawals.csv", "capacity.csv"
NEW_LOCATIONS, NEW_UNITS = "locations.csv", "units.csv"
REQUEST_COLUMNS = tuple(c for c in YOUTH_COLUMNS if c.name != "current_unit_id")
LEAVE_COLUMNS = (Column("youth_id", str, required=True), Column("reason", str))
WITHDRAWAL_COLUMNS = (Column("youth_id", str, required=True), Column("reason", str, required=True))
CAPACITY_COLUMNS = (Column("unit_id", str, required=True),
                    Column("capacity", whole_number(0, CAPACITY_RANGE[1]), required=True))
#: The files of a change folder, in the order they are checked and listed.
CHANGE_FILES = (NEW_LOCATIONS, NEW_UNITS, CAPACITY, REQUESTS, DEPARTURES, WITHDRAWALS)
#: What each file holds, for the template's README.
CHANGE_FILE_WORDS = {
    NEW_LOCATIONS: N_("new locations, in the columns of an instance's locations.csv"),
    NEW_UNITS: N_("new units, in the columns of an instance's units.csv"),
    CAPACITY: N_("unit_id,capacity: a unit's new number of places (0 shuts it)"),
    REQUESTS: N_("new requests, in the columns of an instance's youths.csv (without current_unit_id)"),
    DEPARTURES: N_("youth_id,reason: residents who left their unit"),
    WITHDRAWALS: N_("youth_id,reason: waiting youths who left the list without a place"),
}


class ChangesError(InputError):
    """The change files break a rule; ``problems`` holds every problem found."""

    subject = N_("the change folder")


@dataclass
class Changes:
    """A change folder as read: the checked models and rows, and every problem."""

    new_locations: list[Location] = field(default_factory=list)
    new_units: list[Unit] = field(default_factory=list)
    capacity: list[tuple[str, int]] = field(default_factory=list)
    requests: list[Youth] = field(default_factory=list)
    departures: list[tuple[str, str | None]] = field(default_factory=list)
    withdrawals: list[tuple[str, str]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def digest(folder: Path) -> str:
    """The content digest of a change folder's files (names and bytes)."""
    h = hashlib.sha256()
    for name in CHANGE_FILES:
        if (folder / name).is_file():
            h.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return h.hexdigest()


def _new_ids(table: Table, column: str, known, what: str, problems: Problems) -> None:
    for row in table.rows or ():
        if row.get(column) is not None and row.get(column) in known:
            problems.add(table.file, row.line, column, _("{what} '{id}' is in the register already").format(
                what=_(what), id=row.get(column)))
            row.bad.add(column)


def _known(table: Table, column: str, known, what: str, problems: Problems) -> None:
    for row in table.rows or ():
        value = row.get(column)
        for item in value if isinstance(value, tuple) else () if value is None else (value,):
            if item not in known:
                problems.add(table.file, row.line, column, _("{what} '{id}' is not in the register").format(
                    what=_(what), id=item))
                row.bad.add(column)


def _gemeenten(table: Table, column: str, state: State, problems: Problems) -> None:
    for row in table.rows or ():
        if row.get(column) is not None and row.get(column) not in state.regions.jeugdregio_of:
            problems.add(table.file, row.line, column, _("gemeente '{code}' is not in the register's region map")
                         .format(code=row.get(column)))
            row.bad.add(column)


def _supply(folder: Path, state: State, changes: Changes) -> set[str]:
    """New locations and units, and capacity changes; returns every unit id known afterwards."""
    p = changes.problems
    locs = read_table(folder, NEW_LOCATIONS, LOCATION_COLUMNS, p, required_file=False)
    ids_are_unique(locs, "location_id", p)
    _new_ids(locs, "location_id", state.location_rows, N_("location"), p)
    _gemeenten(locs, "gemeente", state, p)
    changes.new_locations = [m for _row, m in rows_as(Location, locs, p)]
    location_ids = set(state.location_rows) | {l.location_id for l in changes.new_locations}
    new_units = read_table(folder, NEW_UNITS, UNIT_COLUMNS, p, required_file=False)
    ids_are_unique(new_units, "unit_id", p)
    _new_ids(new_units, "unit_id", state.unit_rows, N_("unit"), p)
    _known(new_units, "location_id", location_ids, N_("location"), p)
    changes.new_units = [m for _row, m in rows_as(Unit, new_units, p)]
    unit_ids = set(state.unit_rows) | {u.unit_id for u in changes.new_units}
    capacity = read_table(folder, CAPACITY, CAPACITY_COLUMNS, p, required_file=False)
    ids_are_unique(capacity, "unit_id", p)
    _known(capacity, "unit_id", unit_ids, N_("unit"), p)
    for row in capacity.ok_rows():
        residents = len(state.residents_of(row.get("unit_id")))
        if row.get("capacity") == 0 and residents:
            p.add(CAPACITY, row.line, "capacity", _("the unit still has {n} residents; record their departures "
                                                    "before shutting it").format(n=residents))
        else:
            changes.capacity.append((row.get("unit_id"), row.get("capacity")))
    return location_ids


def _demand(folder: Path, state: State, location_ids: set[str], changes: Changes) -> None:
    """New requests, departures and withdrawals."""
    p = changes.problems
    requests = read_table(folder, REQUESTS, REQUEST_COLUMNS, p, required_file=False)
    ids_are_unique(requests, "youth_id", p)
    _new_ids(requests, "youth_id", state.youth_rows, N_("youth"), p)
    _gemeenten(requests, "home_gemeente", state, p)
    _known(requests, "excluded_locations", location_ids, N_("location"), p)
    home_point_given_or_from_gemeente(requests, p)
    changes.requests = [m for _row, m in rows_as(Youth, requests, p)]
    leaving: dict[str, tuple[str, int]] = {}
    for file, columns, status, what in (
        (DEPARTURES, LEAVE_COLUMNS, RESIDENT, N_("is not a resident of the register")),
        (WITHDRAWALS, WITHDRAWAL_COLUMNS, WAITING, N_("is not waiting in the register")),
    ):
        table = read_table(folder, file, columns, p, required_file=False)
        for row in table.ok_rows():
            youth = row.get("youth_id")
            standing = state.youths.get(youth)
            if standing is None or standing.status != status:
                p.add(file, row.line, "youth_id", _("youth '{id}' {what}").format(id=youth, what=_(what)))
            elif youth in leaving:
                p.add(file, row.line, "youth_id", _("youth '{id}' is also listed in {file}, line {line}").format(
                    id=youth, file=leaving[youth][0], line=leaving[youth][1]))
            else:
                leaving[youth] = (file, row.line)
                (changes.departures if file == DEPARTURES else changes.withdrawals).append((youth, row.get("reason")))


def read_changes(folder: str | Path, state: State) -> Changes:
    """Read and check a change folder against the register's state; problems are collected."""
    folder = Path(folder)
    changes = Changes()
    if not folder.is_dir():
        changes.problems.add(str(folder), None, None, _("is not a folder of change files"))
        return changes
    if not any((folder / name).is_file() for name in CHANGE_FILES):
        changes.problems.add(str(folder), None, None, _("holds none of the change files ({files})").format(
            files=", ".join(CHANGE_FILES)))
        return changes
    location_ids = _supply(folder, state, changes)
    _demand(folder, state, location_ids, changes)
    order = {name: i for i, name in enumerate(CHANGE_FILES)}
    changes.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0))
    return changes


def _record(connection: Connection, changes: Changes, state: State, log: ev.Log) -> None:
    if changes.new_locations:
        connection.execute(insert(locations), [l.model_dump() for l in changes.new_locations])
    if changes.new_units:
        connection.execute(insert(units), [unit_row(u) for u in changes.new_units])
    if changes.requests:
        connection.execute(insert(youths), [youth_row(y) for y in changes.requests])
    location_of = {**{u: r["location_id"] for u, r in state.unit_rows.items()},
                   **{u.unit_id: u.location_id for u in changes.new_units}}
    for unit in changes.new_units:
        log.add(ev.UNIT_OPENED, unit_id=unit.unit_id, location_id=unit.location_id, capacity=unit.capacity)
    for unit_id, capacity in changes.capacity:
        kind = ev.UNIT_CLOSED if capacity == 0 else (ev.CAPACITY_CHANGED if unit_id in state.capacity else ev.UNIT_OPENED)
        log.add(kind, unit_id=unit_id, location_id=location_of[unit_id], capacity=capacity)
    for youth in changes.requests:
        log.add(ev.REQUEST_RECEIVED, youth_id=youth.youth_id, waiting_weeks=youth.waiting_weeks)
    for youth_id, reason in changes.departures:
        unit_id = state.youths[youth_id].unit_id
        log.add(ev.DEPARTED, youth_id=youth_id, unit_id=unit_id, location_id=location_of[unit_id], reason=reason)
    for youth_id, reason in changes.withdrawals:
        log.add(ev.LEFT_LIST, youth_id=youth_id, reason=reason)


def import_changes(db: str | Path, folder: str | Path, user: str | None = None) -> dict[str, int]:
    """Record this week's changes from ``folder``; returns how many of each were recorded.

    Raises ``InputError`` with every problem (and records nothing) when a file breaks a rule, and
    ``RegisterError`` when the same files were imported before."""
    folder = Path(folder)
    with transaction(db) as connection:
        before = seen(connection)
        key = digest(folder) if folder.is_dir() else ""
        earlier = connection.execute(select(imports).where(imports.c.digest == key)).first()
        if earlier is not None:
            raise RegisterError(_("these change files were imported already (week {week}, {at}); nothing was "
                                  "counted twice").format(week=earlier.week, at=earlier.imported_at))
        state = load_state(connection)
        changes = read_changes(folder, state)
        if changes.problems:
            raise ChangesError(changes.problems)
        log = ev.Log(before.week, user)
        _record(connection, changes, state, log)
        log.write(connection)
        connection.execute(insert(imports).values(digest=key, week=before.week, files=folder.name,
                                                  imported_at=log.at, user_id=log.user))
        bump(connection, Open(before.week, before.version))
    return {"requests": len(changes.requests), "departures": len(changes.departures),
            "withdrawals": len(changes.withdrawals), "capacity": len(changes.capacity),
            "units": len(changes.new_units), "locations": len(changes.new_locations)}
