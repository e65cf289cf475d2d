"""One simulated week, in this order: departures, arrivals join the list, the list is matched.

Who is on the list moves up one urgency level after ``escalate_after_weeks`` weeks of waiting
and (optionally) leaves it unplaced after ``leave_after_weeks``. The week's instance holds only
what the week's decision can touch: the waiting youths, the units with a free place and their
residents, and the units (with residents) where a waiting youth's sibling lives. That is exact:
occupants stay (no moves), so a full unit cannot receive anyone, and its residents take part in
no rule that a placement elsewhere could break (capacity, age spread and contra-indications are
rules of the receiving unit; only the sibling rule looks at another unit's residents, and those
units are kept). Occupants who stay cost nothing, so the objective is unchanged too.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

import numpy as np

from matcher.analysis.check import check, distance_km
from matcher.domain import CARE_TYPES, SETTING_RANK
from matcher.instance import Instance, Youth
from matcher.solver.params import WITHOUT_BLOCKED_PAIRS
from matcher.result import OPTIMAL, Result
from matcher.solver.solve import solve
from matcher.simulation.arrivals import trusted_youth
from matcher.simulation.columns import YouthPool, week_arrays
from matcher.solver.candidates import Arrays, keep_arrays
from matcher.simulation.world import World


#: Answers to week-0 problems already solved in this process, by a digest of the problem. Week 0
#: is the same problem in every replication and grid point of a scenario (nobody leaves in week 0:
#: every stay lasts at least a week, and nobody has waited yet), and the solve is deterministic,
#: so a worker solves it once per scenario instead of once per run.
_WEEK_ZERO: OrderedDict[bytes, Result] = OrderedDict()
_WEEK_ZERO_KEPT = 16


class SimulationError(RuntimeError):
    """A week's answer failed the independent check, or the solver found no valid assignment."""


@dataclass(eq=False)
class Stay:
    """One youth's episode: arrival, placement, departure (or leaving the list unplaced). Two
    stays are the same only if they are one object (``depart`` finds a resident by identity)."""

    youth: Youth
    initial: bool
    arrival_week: int
    urgency: int
    z: float
    home_jeugdregio: str
    row: int = -1                  # the youth's row in the run's YouthPool
    placed_week: int | None = None
    unit_id: str | None = None
    setting: str | None = None
    departure_week: int | None = None
    left_week: int | None = None
    km: float | None = None
    steps: int | None = None


@dataclass
class State:
    """Who lives where, and who waits, at the start of a week.

    Residents move in and out only through ``move_in`` and ``depart``, which keep two indexes
    beside ``residents``: who leaves in which week, and where each sibling group has residents.
    """

    residents: dict[str, list[Stay]]
    waiting: list[Stay]
    everyone: list[Stay]
    pool: YouthPool
    unsure_weeks: int = 0   # weeks the solver stopped at its time limit (valid, not proven optimal)
    solve_seconds: list[float] = field(default_factory=list)
    leaving: dict[int, list[Stay]] = field(default_factory=lambda: defaultdict(list))
    group_units: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conflict_rows: tuple = ((), ())   # see know_conflicts

    def join(self, stays: list[Stay]) -> None:
        """Youths who enter the run: their profiles join the pool."""
        first = self.pool.add([s.youth for s in stays])
        for i, s in enumerate(stays):
            s.row = first + i

    def know_conflicts(self, conflicts) -> None:
        """The pool rows of the two youths of every contra-indicated pair (all of them youths of
        week 0, who have joined the pool)."""
        row = {s.youth.youth_id: s.row for s in self.everyone}
        self.conflict_rows = (np.array([row[a] for a, _ in conflicts], dtype=np.int64),
                              np.array([row[b] for _, b in conflicts], dtype=np.int64))

    def move_in(self, s: Stay) -> None:
        """``s`` (placed, its departure week known) lives in its unit from now on."""
        self.residents[s.unit_id].append(s)
        self.leaving[s.departure_week].append(s)
        if s.youth.sibling_group is not None:
            self.group_units[s.youth.sibling_group][s.unit_id] += 1


def depart(world: World, state: State, week: int) -> dict[str, int]:
    """Residents whose stay ends leave and free their places; departures by the unit's care type."""
    gone = dict.fromkeys(CARE_TYPES, 0)
    for due in sorted(w for w in state.leaving if w <= week):
        for s in state.leaving.pop(due):
            state.residents[s.unit_id].remove(s)
            gone[world.care_type_of_unit[s.unit_id]] += 1
            group = s.youth.sibling_group
            if group is not None:
                homes = state.group_units[group]
                homes[s.unit_id] -= 1
                if not homes[s.unit_id]:
                    del homes[s.unit_id]
    return gone


def wait_longer(world: World, state: State, week: int) -> list[Stay]:
    """Urgency rises after a set number of weeks on the list; after another set number (if any)
    the youth leaves the list unplaced. Returns who left."""
    params = world.spec.params
    left, still = [], []
    for s in state.waiting:
        waited = week - s.arrival_week
        if params.leave_after_weeks and waited >= params.leave_after_weeks:
            s.left_week = week
            left.append(s)
            continue
        if params.escalate_after_weeks and waited >= params.escalate_after_weeks and s.youth.urgency == s.urgency < 3:
            s.youth = _with(s.youth, urgency=s.urgency + 1)
        still.append(s)
    state.waiting = still
    return left


def week_instance(world: World, state: State) -> Instance:
    """The week's matching problem: every waiting youth, and the units a placement can touch."""
    return week_problem(world, state)[0]


def week_problem(world: World, state: State) -> tuple[Instance, Arrays | None]:
    """The week's instance and the solver's columns of it (None when nobody waits)."""
    touched = set()
    for s in state.waiting:
        if s.youth.sibling_group is not None:
            touched.update(state.group_units.get(s.youth.sibling_group, ()))
    residents = state.residents
    units = [u for u in world.units if len(residents[u.unit_id]) < u.capacity or u.unit_id in touched]
    stays = [s for u in units for s in residents[u.unit_id]]
    stays += state.waiting
    youths = tuple(s.youth for s in stays)
    rows = np.fromiter((s.row for s in stays), dtype=np.int64, count=len(stays))
    inst = world.instance
    conflicts = ()
    if inst.conflicts:  # the pairs whose two youths are both in the week (by their pool rows)
        present = np.zeros(state.pool.size, dtype=bool)
        present[rows] = True
        a, b = state.conflict_rows
        conflicts = tuple(inst.conflicts[i] for i in np.flatnonzero(present[a] & present[b]).tolist())
    instance = Instance.model_construct(settings=inst.settings, locations=inst.locations, units=tuple(units),
                                        youths=youths, conflicts=conflicts, regions=inst.regions)
    if not state.waiting:
        return instance, None
    arrays = week_arrays(instance, world.unit_columns, state.pool, rows, [len(residents[u.unit_id]) for u in units])
    return instance, arrays


def match(world: World, state: State, week: int) -> tuple[Instance, dict[str, str | None]]:
    """Solve the week with matcher's solver; on sampled weeks the independent checker re-checks it."""
    instance, arrays = week_problem(world, state)
    if not state.waiting:
        return instance, {}
    params = world.spec.params
    result = _week_zero_answer(instance, world, arrays) if week == 0 else _solved(instance, world, arrays)
    state.solve_seconds.append(result.wall_seconds)
    if not result.is_feasible():
        raise SimulationError(f"week {week}: the solver found no valid assignment ({result.status})")
    if result.status != "OPTIMAL":
        state.unsure_weeks += 1
    if params.check_every_weeks and week % params.check_every_weeks == 0:
        verdict = check(instance, result.unit_of)
        if not verdict.ok:
            raise SimulationError(f"week {week}: the answer failed the independent check: {verdict.violations[0]}")
    return instance, result.unit_of


def _solved(instance: Instance, world: World, arrays: Arrays | None = None) -> Result:
    """The week's solve: one thread, the run's seed, no words for the unplaced (never read), no
    candidate pairs that the residents who stay already rule out (the same optimum), and the
    columns the run keeps."""
    if arrays is not None:
        keep_arrays(instance, arrays)
    return solve(instance, time_limit=world.spec.params.week_time_limit, threads=1, seed=world.spec.seed,
                 params=WITHOUT_BLOCKED_PAIRS)


def _week_zero_answer(instance: Instance, world: World, arrays: Arrays | None = None) -> Result:
    """The week-0 answer this process already has for this problem, else a fresh solve, kept
    unless the time limit cut it short (see ``remember_week_zero``)."""
    key = week_zero_key(instance, world)
    if key in _WEEK_ZERO:
        return _WEEK_ZERO[key]
    result = _solved(instance, world, arrays)
    remember_week_zero(key, result)
    return result


def week_zero_key(instance: Instance, world: World) -> bytes:
    """What decides a week-0 answer: the problem, the seed and the time limit, digested (before
    the solve, which caches lookups on the instance)."""
    return hashlib.blake2b(pickle.dumps((instance, world.spec.seed, world.spec.params.week_time_limit),
                                        protocol=pickle.HIGHEST_PROTOCOL)).digest()


def remember_week_zero(key: bytes, result: Result) -> None:
    """Keep ``result`` as the answer to the week-0 problem ``key`` in this process (at most
    ``_WEEK_ZERO_KEPT``, the oldest dropped first), unless the time limit cut it short: such an
    answer depends on the machine's speed, not only on the problem."""
    if result.status != OPTIMAL:
        return
    _WEEK_ZERO[key] = result
    _WEEK_ZERO.move_to_end(key)
    while len(_WEEK_ZERO) > _WEEK_ZERO_KEPT:
        _WEEK_ZERO.popitem(last=False)


def place(world: World, state: State, week: int, instance: Instance, unit_of: dict) -> list[Stay]:
    """The placed youths move in (with their stay drawn); the others wait one week more."""
    placed, units, still = [], [], []
    for s in state.waiting:
        unit_id = unit_of.get(s.youth.youth_id)
        if unit_id is None:
            _wait_one_week(s.youth)
            still.append(s)
            continue
        unit = instance.unit_by_id[unit_id]
        s.km = distance_km(instance, s.youth, unit)
        s.steps = SETTING_RANK[unit.setting] - SETTING_RANK[s.youth.min_setting]
        s.placed_week, s.unit_id, s.setting = week, unit_id, unit.setting
        placed.append(s)
        units.append(unit)
    for s, weeks in zip(placed, world.whole_stays(units, [s.z for s in placed])):
        s.departure_week = week + weeks
        _settle(s.youth, s.unit_id)
        state.move_in(s)
    state.waiting = still
    return placed


def _wait_one_week(youth: Youth) -> None:
    """One more week on the list, in place: every waiting youth gets one a week, so this is not
    a copy. Only the run holds this object (arrivals are drawn afresh for every run and the
    instance's own waiting youths are copied when the run starts, see ``own``), and the week's
    instance that held it has been solved, checked and dropped."""
    youth.__dict__["waiting_weeks"] += 1
    youth.__pydantic_fields_set__.add("waiting_weeks")


def _settle(youth: Youth, unit_id: str) -> None:
    """The youth lives in ``unit_id`` from now on, in place (the run's own object, as in
    ``_wait_one_week``)."""
    youth.__dict__["current_unit_id"] = unit_id
    youth.__pydantic_fields_set__.add("current_unit_id")


def own(youth: Youth) -> Youth:
    """A copy of ``youth`` that only this run holds (for ``_wait_one_week``)."""
    return _with(youth)


def _with(youth: Youth, **changes) -> Youth:
    """The youth with a few fields changed to values the simulation knows are valid: the same
    object ``model_copy(update=...)`` gives, at half the cost (``trusted_youth``). A youth gets
    one when its urgency rises, and the instance's waiting youths one each when a run starts."""
    return trusted_youth({**youth.__dict__, **changes}, youth.__pydantic_fields_set__ | changes.keys())


def week_rows(world: World, state: State, week: int, counts: dict) -> list[tuple]:
    """One row per care type: the weeks.csv figures after this week's matching."""
    occupied, cost = dict.fromkeys(CARE_TYPES, 0), dict.fromkeys(CARE_TYPES, 0.0)
    for u in world.units:
        n = len(state.residents[u.unit_id])
        occupied[u.care_type] += n
        cost[u.care_type] += 7 * n * world.day_cost[u.unit_id]
    waiting = defaultdict(int)
    for s in state.waiting:
        waiting[s.youth.care_type] += 1
    rows = []
    for c in CARE_TYPES:
        placed = [s for s in counts["placed"] if s.youth.care_type == c]
        own = sum(world.jeugdregio_of_unit[s.unit_id] == s.home_jeugdregio for s in placed)
        km = math.fsum(s.km for s in placed) / len(placed) if placed else math.nan
        rows.append((week, c, counts["arrivals"][c], len(placed), counts["departures"][c], waiting[c],
                     occupied[c], world.capacity[c], own, km, cost[c]))
    return rows
