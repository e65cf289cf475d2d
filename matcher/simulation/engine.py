"""One run: a scenario (at a grid point) in one replication, week after week.

``run(spec)`` takes plain data and returns plain rows, so that it runs the same in this process
or on any Dask worker. Week 0 starts from the instance as it is: its occupants are on a stay
already under way (they get the rest of one, ``StayLaw.residual_weeks``), its new youths are
the waiting list of week 0. From week 1 on, the week's arrivals join the list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matcher.simulation.arrivals import Arrival, reindicated, week_arrivals
from matcher.simulation.parameters import draw_factors
from matcher.simulation.stays import whole_weeks
from matcher.simulation.streams import key_of, stream
from matcher.simulation.columns import YouthPool
from matcher.result import OPTIMAL, Result
from matcher.simulation.week import (State, Stay, _week_zero_answer, depart, match, own, place, wait_longer,
                                     week_problem, week_rows, week_zero_key)
from matcher.simulation.world import RunSpec, World


@dataclass(frozen=True)
class RunOutput:
    """What one run hands back: its key, weeks.csv rows, episodes rows and a few run figures."""

    key: tuple[str, int, int]
    weeks: list[tuple]
    episodes: list[tuple]
    factors: dict
    unsure_weeks: int
    solve_seconds: tuple[float, ...] = ()  # per solved week (not written: it depends on the machine)
    episode_table: object = None  # the episodes as episodes.parquet's columns (a pyarrow Table)


def factor_values(spec: RunSpec) -> dict:
    """The replication's factor values: the same draws in every scenario (streams by name)."""
    def rng_for(name: str, parameter: str):
        return stream(spec.seed, spec.replication, "factors", key_of(f"{name}.{parameter}"))
    return draw_factors(spec.params.factors, rng_for, dict(spec.fixed))


def initial_state(world: World) -> State:
    """Week 0: occupants with the rest of their stay, new youths on the list."""
    spec = world.spec
    regions = world.instance.regions
    state = State(residents={u.unit_id: [] for u in world.units}, waiting=[], everyone=[],
                  pool=YouthPool(regions))
    for y in world.instance.youths:
        rng = stream(spec.seed, spec.replication, "residual", key_of(y.youth_id))
        z, u = float(rng.standard_normal()), float(rng.random())
        s = Stay(youth=y, initial=y.is_occupant, arrival_week=0, urgency=y.urgency, z=z,
                 home_jeugdregio=regions.jeugdregio_of[y.home_gemeente])
        if y.is_occupant:
            unit = world.instance.unit_by_id[y.current_unit_id]
            s.placed_week, s.unit_id, s.setting = 0, unit.unit_id, unit.setting
            s.departure_week = int(whole_weeks(world.residual_weeks(unit, z, u)))
            state.move_in(s)
        else:
            s.youth = own(y)
            state.waiting.append(s)
        state.everyone.append(s)
    state.join(state.everyone)
    state.know_conflicts(world.instance.conflicts)
    return state


def arrivals_of(world: World, week: int) -> list[Arrival]:
    """This scenario's arrivals in ``week``: the replication's draws, re-indicated and thinned."""
    spec = world.spec
    rates = {c: spec.params.arrival_rate(c, week) * spec.inflow_top for c in spec.params.arrivals}
    drawn = week_arrivals(spec.seed, spec.replication, week, rates, spec.params.siblings)
    drawn = reindicated(drawn, spec.demand_steps, world.instance.regions, spec.seed, spec.replication, week)
    return [a for a in drawn
            if a.u * spec.inflow_top < world.factor("inflow", a.youth.care_type, a.youth.min_setting)]


def simulate_week(world: World, state: State, week: int) -> list[tuple]:
    """One week: departures, arrivals join the list, urgency and leaving, matching; its weeks.csv rows."""
    regions = world.instance.regions
    departures = depart(world, state, week)
    if week == 0:
        new = list(state.waiting)
    else:
        new = [Stay(youth=a.youth, initial=False, arrival_week=week, urgency=a.youth.urgency, z=a.z,
                    home_jeugdregio=regions.jeugdregio_of[a.youth.home_gemeente]) for a in arrivals_of(world, week)]
        state.join(new)
        state.waiting += new
        state.everyone += new
    left = wait_longer(world, state, week)
    instance, unit_of = match(world, state, week)
    placed = place(world, state, week, instance, unit_of)
    counts = {"arrivals": Counter(s.youth.care_type for s in new), "placed": placed, "departures": departures}
    left_by_type = Counter(s.youth.care_type for s in left)
    return [row + (left_by_type[row[1]],) for row in week_rows(world, state, week, counts)]


def start(spec: RunSpec) -> tuple[World, State]:
    """The run's world (with the replication's factor values) and its week-0 state."""
    world = World(spec, {})
    world.values = factor_values(spec)
    return world, initial_state(world)


def week_zero(spec: RunSpec) -> tuple[bytes, Result] | None:
    """Week 0's answer for ``spec``'s scenario and grid point, with its key: the same problem in
    every replication (see ``week._WEEK_ZERO``), so a cluster solves it once and hands it to every
    run (``remember_week_zero``). None when nobody waits in week 0 or the answer is not proven
    optimal (then every run solves week 0 itself, as it would anyway)."""
    world, state = start(spec)
    instance, arrays = week_problem(world, state)
    if not state.waiting:
        return None
    key = week_zero_key(instance, world)
    result = _week_zero_answer(instance, world, arrays)
    return (key, result) if result.status == OPTIMAL else None


def run(spec: RunSpec) -> RunOutput:
    """Simulate ``spec.weeks`` weeks of one scenario in one replication."""
    world, state = start(spec)
    rows = []
    for week in range(spec.weeks):
        rows += simulate_week(world, state, week)
    episodes = [episode_row(s) for s in state.everyone]
    return RunOutput((spec.scenario, spec.point, spec.replication), rows, episodes,
                     {f"{n}.{p}": v for (n, p), v in sorted(world.values.items())}, state.unsure_weeks,
                     tuple(state.solve_seconds))


def episode_row(s: Stay) -> tuple:
    """One episodes.parquet row (without scenario, grid point and replication)."""
    return (s.youth.youth_id, s.initial, s.youth.care_type, s.home_jeugdregio, s.urgency, s.arrival_week,
            s.placed_week, s.unit_id, s.setting, s.departure_week, s.left_week, s.km, s.steps)
