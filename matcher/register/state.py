"""The register's current state: the fold of its event log over the rows of locations, units and
youths. The state becomes an ordinary ``Instance`` for the solver and for ``export``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection

from matcher.geography.regions import shipped_region_map
from matcher.instance import Instance, Location, RegionMap, Settings, Unit, Youth
from matcher.register import events as ev
from matcher.register.schema import conflicts, events, locations, register, units, youths

WAITING, RESIDENT, GONE = "waiting", "resident", "gone"


@dataclass
class YouthState:
    """Where a youth stands: waiting (since ``week`` with ``waited`` weeks then), resident in
    ``unit_id``, or gone; plus the locations declined for it."""

    status: str
    week: int
    waited: int = 0
    unit_id: str | None = None
    declined_at: set[str] = field(default_factory=set)


@dataclass
class Proposal:
    """A proposal of the open week and the decision on it (None while undecided)."""

    youth_id: str
    unit_id: str
    location_id: str
    round: int
    decision: str | None = None


@dataclass
class State:
    """The register now: its open week, units' capacities, youths' standing, this week's proposals."""

    name: str
    settings: Settings
    regions: RegionMap
    week: int
    version: int
    location_rows: dict[str, dict]
    unit_rows: dict[str, dict]
    youth_rows: dict[str, dict]
    conflicts: list[tuple[str, str]]
    capacity: dict[str, int] = field(default_factory=dict)  # open units only
    youths: dict[str, YouthState] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # youth -> its latest proposal this week

    def waiting_weeks(self, youth_id: str) -> int:
        s = self.youths[youth_id]
        return s.waited + (self.week - s.week)

    def residents_of(self, unit_id: str) -> list[str]:
        return [y for y, s in self.youths.items() if s.status == RESIDENT and s.unit_id == unit_id]

    def undecided(self) -> list[Proposal]:
        return [p for p in self.proposals.values() if p.decision is None]

    def accepted(self) -> list[Proposal]:
        return [p for p in self.proposals.values() if p.decision == ev.ACCEPTED]


def _apply(state: State, e) -> None:
    """One event's effect on the state."""
    kind = e.kind
    if kind in (ev.UNIT_OPENED, ev.CAPACITY_CHANGED):
        state.capacity[e.unit_id] = e.capacity
    elif kind == ev.UNIT_CLOSED:
        state.capacity.pop(e.unit_id, None)
    elif kind in ev.ON_THE_LIST:
        state.youths[e.youth_id] = YouthState(WAITING, e.week, e.waiting_weeks or 0)
    elif kind in (ev.RESIDENT_AT_START, ev.PLACED):
        s = state.youths.setdefault(e.youth_id, YouthState(RESIDENT, e.week))
        s.status, s.unit_id = RESIDENT, e.unit_id
    elif kind in (ev.DEPARTED, ev.LEFT_LIST):
        state.youths[e.youth_id].status = GONE
    elif kind == ev.PROPOSED and e.week == state.week:
        state.proposals[e.youth_id] = Proposal(e.youth_id, e.unit_id, e.location_id, e.round)
    elif kind in (ev.ACCEPTED, ev.DECLINED):
        if kind == ev.DECLINED:
            state.youths[e.youth_id].declined_at.add(e.location_id)
        if e.week == state.week:
            state.proposals[e.youth_id].decision = kind


def register_regions(info) -> tuple[RegionMap, float]:
    """The region map of the register's row (its own, or the shipped one) and its road factor."""
    regions = shipped_region_map() if info.regions is None else RegionMap.model_validate_json(info.regions)
    return regions, float(json.loads(info.settings).get("road_factor", 1.0))


def load_state(connection: Connection) -> State:
    """The register's current state, folded from its rows and events."""
    info = connection.execute(select(register)).one()
    state = State(
        name=info.name, settings=Settings.model_validate(json.loads(info.settings)), regions=register_regions(info)[0],
        week=info.week, version=info.version,
        location_rows={r.location_id: r._asdict() for r in connection.execute(select(locations))},
        unit_rows={r.unit_id: r._asdict() for r in connection.execute(select(units))},
        youth_rows={r.youth_id: r._asdict() for r in connection.execute(select(youths))},
        conflicts=[(r.youth_a, r.youth_b) for r in connection.execute(select(conflicts))],
    )
    for e in connection.execute(select(events).order_by(events.c.event_id)):
        _apply(state, e)
    return state


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(";") if t)


def youth_model(row: dict, **changes) -> Youth:
    """A youth row of the register as the instance's ``Youth``."""
    data = {k: v for k, v in row.items() if v is not None}
    data["alt_care_types"] = _split(row["alt_care_types"])
    data["excluded_locations"] = _split(row["excluded_locations"])
    data.update(changes)
    return Youth(**data)


def youth_row(youth: Youth) -> dict:
    """The register's row of a youth: what the request says (no waiting weeks, no unit)."""
    row = youth.model_dump(exclude={"waiting_weeks", "current_unit_id"})
    row["alt_care_types"] = ";".join(youth.alt_care_types)
    row["excluded_locations"] = ";".join(youth.excluded_locations)
    return row


def unit_row(unit: Unit) -> dict:
    """The register's row of a unit: what it is (its capacity is an event)."""
    return unit.model_dump(exclude={"capacity"})


def as_instance(state: State) -> Instance:
    """The register now as an instance: open units at their capacity, residents as occupants
    (youths accepted this week already in the unit they accepted), waiting youths with the weeks
    they waited and without the locations that declined them."""
    accepted = {p.youth_id: p.unit_id for p in state.accepted()}
    people = []
    for youth_id, s in state.youths.items():
        row = state.youth_rows[youth_id]
        if s.status == RESIDENT:
            people.append(youth_model(row, current_unit_id=s.unit_id))
        elif s.status == WAITING and youth_id in accepted:
            people.append(youth_model(row, current_unit_id=accepted[youth_id], waiting_weeks=state.waiting_weeks(youth_id)))
        elif s.status == WAITING:
            excluded = tuple(sorted(set(_split(row["excluded_locations"])) | s.declined_at))
            people.append(youth_model(row, waiting_weeks=state.waiting_weeks(youth_id), excluded_locations=excluded))
    present = {y.youth_id for y in people}
    unit_list = [Unit(**{k: v for k, v in state.unit_rows[u].items() if v is not None}, capacity=c)
                 for u, c in state.capacity.items()]
    return Instance(
        settings=state.settings.model_copy(update={"name": state.name}),
        locations=tuple(Location(**{k: v for k, v in r.items() if v is not None}) for r in state.location_rows.values()),
        units=tuple(unit_list), youths=tuple(people),
        conflicts=tuple((a, b) for a, b in state.conflicts if a in present and b in present),
        regions=state.regions,
    )
