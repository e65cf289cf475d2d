"""The week at the matching desk, as library calls: init, propose, decide, close the week, export.

Each call is one transaction on the register (``matcher.register.database.transaction``): it
completes, or it changes nothing. ``import_changes`` lives in ``matcher.register.changes``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from matcher.errors import InputError
from matcher.i18n import _
from matcher.input.instance_writer import csv_text, write_instance
from matcher.input.source import validate_instance
from matcher.instance import Instance
from matcher.pipeline import RunOptions, RunOutcome, run
from matcher.register import events as ev
from matcher.register.database import (
    Open,
    RegisterError,
    bump,
    pause_for_tests,
    schema_revision,
    seen,
    transaction,
    upgrade,
    url_of,
)
from matcher.register.schema import conflicts, locations, register, units, weeks, youths
from matcher.register.state import RESIDENT, WAITING, as_instance, load_state, unit_row, youth_row

#: The file ``propose`` writes beside the solution for the providers' answers (see ``decide``).
PROPOSALS_FILE = "proposals.csv"
PROPOSALS_HEADER = ("youth_id", "unit_id", "location_id", "provider", "distance_km", "decision", "reason")


def _fill(connection: Connection, instance: Instance, week: int, user: str | None) -> int:
    """Rows and the first events of a new register from ``instance``; returns how many events."""
    regions = None if instance.regions.source == "shipped" else instance.regions.model_dump_json()
    settings = instance.settings.model_dump(mode="json", exclude={"name"})
    log = ev.Log(week, user)
    connection.execute(insert(register).values(register_id=1, name=instance.name, settings=json.dumps(settings),
                                               regions=regions, week=week, version=1, created_at=log.at))
    connection.execute(insert(locations), [l.model_dump() for l in instance.locations])
    if instance.units:
        connection.execute(insert(units), [unit_row(u) for u in instance.units])
    if instance.youths:
        connection.execute(insert(youths), [youth_row(y) for y in instance.youths])
    if instance.conflicts:
        connection.execute(insert(conflicts), [{"youth_a": a, "youth_b": b} for a, b in instance.conflicts])
    for unit in instance.units:
        log.add(ev.UNIT_OPENED, unit_id=unit.unit_id, location_id=unit.location_id, capacity=unit.capacity)
    for youth in instance.youths:
        if youth.is_occupant:
            log.add(ev.RESIDENT_AT_START, youth_id=youth.youth_id, unit_id=youth.current_unit_id,
                    location_id=instance.unit_by_id[youth.current_unit_id].location_id)
        else:
            log.add(ev.WAITING_AT_START, youth_id=youth.youth_id, waiting_weeks=youth.waiting_weeks)
    return log.write(connection)


def init_register(db: str | Path, source: str | Path, week: int = 1, user: str | None = None) -> int:
    """Make a new register at ``db`` holding the instance ``source`` (a folder or workbook) as the
    state of ``week``; returns the number of events recorded. Bad input raises ``InputError``."""
    validation = validate_instance(source)
    if validation.errors:
        raise InputError(validation.errors, folder=Path(source).name)
    url = url_of(db)
    file = Path(url.database) if url.get_backend_name() == "sqlite" else None
    if file is not None and file.exists():
        raise RegisterError(_("{db} exists already; a register is made only once").format(db=file))
    try:
        with transaction(db, check=False) as connection:
            if schema_revision(connection) is not None:
                raise RegisterError(_("this database holds a register already; a register is made only once"))
            upgrade(connection)
            return _fill(connection, validation.instance, week, user)
    except BaseException:
        if file is not None and file.exists():
            file.unlink()  # nothing half-made is left behind
        raise


def open_week(db: str | Path) -> int:
    """The register's open week (read without a lock)."""
    with transaction(db, write=False) as connection:
        return seen(connection, lock=False).week


@dataclass(frozen=True)
class Closed:
    """What closing a week did."""

    week: int
    placed: int
    still_waiting: int


def close_week(db: str | Path, week: int | None = None, user: str | None = None) -> Closed:
    """Close the open week: accepted proposals become residents and everybody still waiting waits
    one week more. ``week`` (default: the open week as it is now) must still be open when the
    transaction takes the lock, so two team members closing the same week get one close."""
    expected = open_week(db) if week is None else week
    pause_for_tests("close-week-open")
    with transaction(db) as connection:
        before = seen(connection)
        if before.week != expected:
            raise RegisterError(_("week {week} is not the open week (the open week is {open}); nothing was "
                                  "changed").format(week=expected, open=before.week))
        state = load_state(connection)
        if undecided := state.undecided():
            raise RegisterError(_("{n} proposals of week {week} have no decision yet; record them with 'matcher "
                                  "register decide' first").format(n=len(undecided), week=before.week))
        log = ev.Log(before.week, user)
        for p in state.accepted():
            log.add(ev.PLACED, youth_id=p.youth_id, unit_id=p.unit_id, location_id=p.location_id, round=p.round)
        placed = log.write(connection)
        pause_for_tests("close-week")
        connection.execute(insert(weeks).values(week=before.week, closed_at=log.at, closed_by=log.user))
        bump(connection, before, week=before.week + 1)
    waiting = sum(1 for s in state.youths.values() if s.status == WAITING) - placed
    return Closed(before.week, placed, waiting)


def export_register(db: str | Path, out: str | Path) -> Instance:
    """Write the register's current state as an ordinary instance folder ``out``."""
    with transaction(db, write=False) as connection:
        instance = as_instance(load_state(connection))
    write_instance(instance, out)
    return instance


@dataclass(frozen=True)
class Proposed:
    """What ``propose`` did: the run (as ``matcher solve`` would report it) and the round recorded."""

    outcome: RunOutcome
    week: int
    round: int
    proposals: int


def _proposals_csv(placed: list) -> str:
    rows = [{"youth_id": o.youth_id, "unit_id": o.unit_id, "location_id": o.location_id, "provider": o.provider,
             "distance_km": f"{o.distance_km:.3f}"} for o in placed]
    return csv_text(PROPOSALS_HEADER, rows)


def propose(db: str | Path, out: str | Path, options: RunOptions = RunOptions(), user: str | None = None) -> Proposed:
    """Solve the register's current state exactly as ``matcher solve`` does, write the solution
    folder ``out`` (with proposals.csv for the providers' answers) and record the new placements
    as this week's next round of proposals. Nothing is recorded when the register changed in the
    meantime, and ``out`` is only put in place once the proposals are recorded."""
    with transaction(db, write=False) as connection:
        state = load_state(connection)
    if undecided := state.undecided():
        raise RegisterError(_("{n} proposals of week {week} have no decision yet; record them with 'matcher "
                              "register decide' first").format(n=len(undecided), week=state.week))
    out = Path(out)
    staging = out.parent / f".{out.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    outcome = run(as_instance(state), staging, options, instance_path=f"register week {state.week}")
    placed = [o for o in outcome.outcomes if o.status == "placed"]
    (staging / PROPOSALS_FILE).write_text(_proposals_csv(placed), encoding="utf-8")
    number = 1 + max((p.round for p in state.proposals.values()), default=0)
    pause_for_tests("propose-solved")
    try:
        with transaction(db) as connection:
            bump(connection, Open(state.week, state.version))
            log = ev.Log(state.week, user)
            for o in placed:
                log.add(ev.PROPOSED, youth_id=o.youth_id, unit_id=o.unit_id, location_id=o.location_id, round=number)
            log.write(connection)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return Proposed(outcome, state.week, number, len(placed))


@dataclass(frozen=True)
class Standing:
    """Where the register stands: the open week, who waits (per care type), who lives where, and
    this week's proposals by decision."""

    name: str
    week: int
    waiting: dict[str, int]
    residents: int
    places: int
    proposals: dict[str, int]


def standing(db: str | Path) -> Standing:
    """The register's standing now (read only)."""
    with transaction(db, write=False) as connection:
        state = load_state(connection)
    waiting: dict[str, int] = {}
    for youth_id, s in state.youths.items():
        if s.status == WAITING:
            care_type = state.youth_rows[youth_id]["care_type"]
            waiting[care_type] = waiting.get(care_type, 0) + 1
    decisions = [p.decision or "undecided" for p in state.proposals.values()]
    return Standing(state.name, state.week, dict(sorted(waiting.items())),
                    sum(1 for s in state.youths.values() if s.status == RESIDENT), sum(state.capacity.values()),
                    {d: decisions.count(d) for d in ("undecided", ev.ACCEPTED, ev.DECLINED)})
