"""Where one more place helps most: the marginal value of capacity of a solved instance.

The transportation relaxation (capacities and costs only, ``matcher.solver.flow``) has a price per unit:
``-price[u]`` is exactly what one more place in unit u would lower the *relaxation's* optimum by
(the cheapest chain of moves that ends in that place: an unplaced youth gets a place, or a youth
moves over and frees a place for the next one). The prices are read back from the relaxation's
reduced costs: a pair (youth y, unit u) with y held at h (or unplaced, h = none, price 0) has
``reduced_cost = cost(y, u) - cost(y, h) + price[h] - price[u]``, so every pair gives the price
difference of its two ends, and the prices spread from the unplaced youths over the pairs.

The relaxation leaves out the side rules (age spread, contra-indications, siblings), so its value
is an estimate of the true saving. The best few candidates are therefore solved again with the
capacity + 1 (or with the new unit): those savings are exact when both solves are proven optimal,
and each figure says which it is. The re-solves leave out the pairs that no valid assignment can
use (``WITHOUT_BLOCKED_PAIRS``: the same optimum, found without the side-rule search the full pair set
needs) and share a budget of ``RESOLVE_BUDGET_SECONDS``; a figure the budget leaves no time for
keeps its estimate, and summary.json counts it (``resolves_over_budget``). The same is done for a whole new small-scale unit of k places
at an existing location, for the care types offered there (its relaxation value is a first-order
estimate: the k youths that gain most from it, each counted on its own).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from matcher.solver.candidates import Candidates, build_candidates, pairs_into
from matcher.domain import CARE_TYPES
from matcher.solver.flow import FlowSolution, Relaxation, solve_transportation, unit_room
from matcher.solver.params import WITHOUT_BLOCKED_PAIRS, SolveParams
from matcher.instance import Instance, Unit
from matcher.result import OPTIMAL, INFEASIBLE

#: Units whose extra place is confirmed by solving again, and the time limit of one such solve.
TOP_UNITS = 5
RESOLVE_SECONDS = 5.0
#: All re-solves together get at most this long: each gets the least of ``RESOLVE_SECONDS`` and
#: what is left, and none starts with less than ``RESOLVE_MIN_SECONDS`` left (its figure keeps
#: the estimate). A national week's seven take about 0.1 s.
RESOLVE_BUDGET_SECONDS = 10.0
RESOLVE_MIN_SECONDS = 0.5
#: The re-solves solve with ``WITHOUT_BLOCKED_PAIRS`` (``matcher.solver.blocked``: the flow breaks
#: far fewer side rules): on the national week the seven took 0.25 s with every pair, 0.1 s so, to
#: the same figures (tests/test_marginal.py holds that on the shipped instances).
#: Re-solves only for instances with at most this many candidate pairs (a national week has about
#: 4,000, the national stock about 170,000): the choice depends on the instance alone, never on
#: the clock, so the same input gives the same figures; larger instances keep the estimates.
RESOLVE_MAX_PAIRS = 50_000
#: A new small-scale unit: its places, setting, and how many of the best are solved again.
NEW_UNIT_PLACES = 4
NEW_UNIT_SETTING = "kleinschalig"
TOP_NEW_UNITS = 2
#: How many units and jeugdregio's the lists keep.
LIST_LENGTH = 10
#: Savings below this (points) count as none.
NO_SAVING = 1e-6
#: At most this many youths are followed along a chain of moves.
MAX_CHAIN = 12


@dataclass(frozen=True)
class PlaceValue:
    """What one more place (or a new unit of ``places`` places) would save, estimated and re-solved.

    ``estimated_saving``: the relaxation's value (points). ``exact_saving``: the objective of the
    solve minus that of the solve with the extra place (None when not solved again); ``proof``:
    ``exact`` when both solves are proven optimal, ``at_least`` when only the first is (the true
    saving is then at least ``exact_saving``), ``unproven`` otherwise. ``takes``: the youths the relaxation moves into the place, the
    first one enters it and the last one was unplaced. ``newly_placed``: youths without a place
    in the solve who have one in the re-solve.
    """

    unit_id: str | None
    location_id: str
    jeugdregio: str
    care_type: str
    setting: str
    places: int
    estimated_saving: float
    takes: tuple[str, ...] = ()
    exact_saving: float | None = None
    proof: str | None = None
    resolve_status: str | None = None
    resolve_seconds: float | None = None
    newly_placed: tuple[str, ...] = ()


def relaxation(instance: Instance) -> tuple[Candidates, FlowSolution]:
    """Candidate pairs and the transportation relaxation with its reduced costs."""
    cand = build_candidates(instance)
    return cand, solve_transportation(instance, cand, with_reduced_costs=True)


def _held(cand: Candidates, flow: FlowSolution) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: the unit its youth holds in the relaxation (n_units = none), that cost, and "not in use"."""
    chosen = flow.pair_of[cand.pair_youth]
    held_unit, held_cost = _held_by(cand, chosen, cand.pair_youth)
    unused = (chosen < 0) | (chosen != np.arange(cand.n_pairs))
    return held_unit, held_cost, unused


def unit_prices(cand: Candidates, flow: FlowSolution) -> np.ndarray:
    """The relaxation's price of every unit (points); NaN where no chain reaches an unplaced youth.

    ``-price[u]`` is what one more place for the movable youths in u saves in the relaxation; a
    unit with room left has price >= 0 (a place more there saves nothing). A unit that no chain of
    pairs links to an unplaced youth gets NaN: its next place could only move placed youths
    around, which is not estimated (counted as no saving).
    """
    n_u = cand.arrays.unit_capacity.size
    held_unit, held_cost, unused = _held(cand, flow)
    src, dst = held_unit[unused], cand.pair_unit[unused]
    step = cand.pair_cost[unused] - held_cost[unused] - flow.reduced_cost[unused]  # price[dst] - price[src]
    price = np.full(n_u + 1, np.nan)
    price[n_u] = 0.0
    while True:
        forward = ~np.isnan(price[src]) & np.isnan(price[dst])
        price[dst[forward]] = price[src[forward]] + step[forward]
        backward = np.isnan(price[src]) & ~np.isnan(price[dst])
        price[src[backward]] = price[dst[backward]] - step[backward]
        if not forward.any() and not backward.any():
            return price[:n_u]


def chain_into(cand: Candidates, flow: FlowSolution, price: np.ndarray, unit: int) -> list[int]:
    """The youths (indices) the relaxation moves when ``unit`` gets one more place, entering one first.

    Follows tight pairs (reduced cost 0) backwards: the youth entering the unit came from a unit
    that is then entered by the next, until an unplaced youth gets a place.
    """
    n_u = price.size
    held_unit, _held_cost, unused = _held(cand, flow)
    tight = unused & (flow.reduced_cost <= 1e-6)
    youths: list[int] = []
    seen = {unit}
    at = unit
    while len(youths) < MAX_CHAIN:
        into = np.flatnonzero(tight & (cand.pair_unit == at))
        into = [p for p in into.tolist() if held_unit[p] == n_u or (held_unit[p] not in seen and not np.isnan(price[held_unit[p]]))]
        if not into:
            break
        p = min(into, key=lambda q: (held_unit[q] != n_u, q))  # an unplaced youth first
        youths.append(int(cand.pair_youth[p]))
        at = int(held_unit[p])
        if at == n_u:
            break
        seen.add(at)
    return youths


def room_grows(instance: Instance, cand: Candidates) -> np.ndarray:
    """Per unit: does one more place give the movable youths one more place (``flow.unit_room``)?

    Not in a unit that stays over capacity, nor in one whose occupants already break one of its rules.
    """
    arrays = replace(cand.arrays, unit_capacity=cand.arrays.unit_capacity + 1)
    return unit_room(instance, replace(cand, arrays=arrays)) > unit_room(instance, cand)


def unit_values(instance: Instance, cand: Candidates, flow: FlowSolution) -> list[PlaceValue]:
    """Every unit whose next place saves something in the relaxation, largest saving first.

    The youths a place would take are followed for the first ``LIST_LENGTH`` units only.
    """
    price = unit_prices(cand, flow)
    saving = np.where(np.isnan(price) | ~room_grows(instance, cand), 0.0, -price)
    order = sorted(np.flatnonzero(saving > NO_SAVING).tolist(), key=lambda u: (-saving[u], instance.units[u].unit_id))
    values = []
    for rank, u in enumerate(order):
        unit = instance.units[u]
        chain = chain_into(cand, flow, price, u) if rank < LIST_LENGTH else []
        values.append(_value(instance, unit, unit.unit_id, 1, float(saving[u]), (instance.youths[y].youth_id for y in chain)))
    return values


def _value(instance: Instance, unit: Unit, unit_id: str | None, places: int, saving: float, takes) -> PlaceValue:
    location = instance.location_by_id[unit.location_id]
    return PlaceValue(unit_id=unit_id, location_id=unit.location_id,
                      jeugdregio=instance.regions.jeugdregio_of[location.gemeente], care_type=unit.care_type,
                      setting=unit.setting, places=places, estimated_saving=round(saving, 6), takes=tuple(takes))


def new_unit(instance: Instance, location_id: str, care_type: str, places: int = NEW_UNIT_PLACES) -> Unit:
    """A small-scale unit at an existing location, open to every age and gender, without a price."""
    return Unit(unit_id=f"NIEUW-{location_id}-{care_type}", location_id=location_id, care_type=care_type,
                setting=NEW_UNIT_SETTING, capacity=places)


def new_unit_values(instance: Instance, cand: Candidates, flow: FlowSolution, places: int = NEW_UNIT_PLACES) -> list[PlaceValue]:
    """A new small-scale unit of ``places`` places per location and care type offered there.

    Its relaxation value is first order: for each youth who may go there, what moving it in saves
    (its unplaced cost or its current pair cost, plus the value of the place it frees, minus the
    new pair's cost, the freed place counted for one youth per unit); the ``places`` largest of
    these, each counted as if alone.
    """
    offered = sorted({(u.location_id, u.care_type) for u in instance.units}, key=lambda t: (t[0], CARE_TYPES.index(t[1])))
    if not offered:
        return []
    trial_units = [new_unit(instance, loc, care, places) for loc, care in offered]
    trial = _with_units(instance, (*instance.units, *trial_units))
    n_u = len(instance.units)
    # The new units' pairs only, grouped by unit (each group in youth order).
    new_youth, new_unit_of, new_cost = pairs_into(trial, n_u + np.arange(len(trial_units)))
    price = unit_prices(cand, flow)
    freed = np.append(np.where(np.isnan(price), 0.0, np.maximum(-price, 0.0)), 0.0)  # index n_u: unplaced
    held_of_youth = flow.pair_of
    bounds = np.searchsorted(new_unit_of, n_u + np.arange(len(trial_units) + 1))
    values = []
    for k, unit in enumerate(trial_units):
        pairs = np.arange(bounds[k], bounds[k + 1])
        if pairs.size == 0:
            continue
        youths = new_youth[pairs]
        held_unit, held_cost = _held_by(cand, held_of_youth[youths], youths)
        gain = held_cost + freed[held_unit] - new_cost[pairs]
        order = np.argsort(-gain, kind="stable")
        first_from = np.zeros(order.size, dtype=bool)  # a unit's freed place counts once
        first_from[np.unique(held_unit[order], return_index=True)[1]] = True
        gain[order] -= np.where(first_from | (held_unit[order] == n_u), 0.0, freed[held_unit[order]])
        best = np.argsort(-gain, kind="stable")[:places]
        best = best[gain[best] > NO_SAVING]
        if best.size:
            takes = [instance.youths[y].youth_id for y in youths[best].tolist()]
            values.append(_value(instance, unit, None, places, float(gain[best].sum()), takes))
    values.sort(key=lambda v: (-v.estimated_saving, v.location_id, v.care_type))
    return values


def _held_by(cand: Candidates, held: np.ndarray, youths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unit each of ``youths`` holds in the relaxation (``n_units``: none) and its cost there
    (its unplaced cost when it holds none; also when no youth has any candidate pair)."""
    n_u = cand.arrays.unit_capacity.size
    placed = held >= 0
    held_unit = np.full(youths.size, n_u)
    held_cost = cand.arrays.youth_unplaced_cost[youths].astype(float)
    held_unit[placed] = cand.pair_unit[held[placed]]
    held_cost[placed] = cand.pair_cost[held[placed]]
    return held_unit, held_cost


def with_one_more_place(instance: Instance, unit_id: str) -> Instance:
    """The instance with one more place in ``unit_id``."""
    units = tuple(u.model_copy(update={"capacity": u.capacity + 1}) if u.unit_id == unit_id else u for u in instance.units)
    return _with_units(instance, units)


def with_new_unit(instance: Instance, value: PlaceValue) -> Instance:
    """The instance with the new small-scale unit of ``value`` added."""
    unit = new_unit(instance, value.location_id, value.care_type, value.places)
    return _with_units(instance, (*instance.units, unit))


def _with_units(instance: Instance, units: tuple[Unit, ...]) -> Instance:
    """The instance with ``units`` instead of its own (``Instance.with_units``: the youths, checked
    once when the instance was made, are not checked again for every trial)."""
    return instance.with_units(units)


def confirm(value: PlaceValue, changed: Instance, base: dict, seconds: float, seed: int,
            params: SolveParams = WITHOUT_BLOCKED_PAIRS) -> PlaceValue:
    """``value`` with the saving of solving ``changed`` again (``base``: objective, status, unplaced ids)."""
    from matcher.solver.solve import solve

    t0 = time.perf_counter()
    result = solve(changed, time_limit=seconds, threads=1, seed=seed, params=params)
    took = time.perf_counter() - t0
    if result.status == INFEASIBLE:
        return replace(value, resolve_status=result.status, resolve_seconds=round(took, 3))
    placed_now = tuple(sorted(y for y in base["unplaced"] if result.unit_of.get(y) is not None))
    return replace(
        value,
        exact_saving=round(base["objective"] - result.objective, 6),
        proof=_proof(base["status"], result.status),
        resolve_status=result.status,
        resolve_seconds=round(took, 3),
        newly_placed=placed_now,
    )


def _proof(base_status: str, status: str) -> str:
    if base_status != OPTIMAL:
        return "unproven"
    return "exact" if status == OPTIMAL else "at_least"


@dataclass
class ResolveBudget:
    """What the re-solves may take: how many units and new units, the seconds all of them share,
    how each solves; and how many figures found no time left."""

    units: int = TOP_UNITS
    new_units: int = TOP_NEW_UNITS
    seconds: float = RESOLVE_BUDGET_SECONDS
    params: SolveParams = WITHOUT_BLOCKED_PAIRS
    started: float = field(default_factory=time.perf_counter)
    over: int = 0

    def left(self) -> float:
        return self.seconds - (time.perf_counter() - self.started)


def confirm_best(instance: Instance, values: list[PlaceValue], count: int, base: dict, seed: int,
                 budget: ResolveBudget | None = None) -> None:
    """Solve the first ``count`` of ``values`` again (in place), within ``budget``."""
    budget = budget or ResolveBudget()
    for i, value in enumerate(values[:count]):
        left = budget.left()
        if left < RESOLVE_MIN_SECONDS:
            budget.over += 1
            continue
        changed = with_one_more_place(instance, value.unit_id) if value.unit_id else with_new_unit(instance, value)
        values[i] = confirm(value, changed, base, min(RESOLVE_SECONDS, left), seed, budget.params)


def by_jeugdregio(instance: Instance, values: list[PlaceValue]) -> list[dict]:
    """Per jeugdregio of the unit's location: its best unit and that unit's estimated saving."""
    best: dict[str, PlaceValue] = {}
    for v in values:
        best.setdefault(v.jeugdregio, v)
    names = instance.regions.jeugdregio_name
    return [
        {"jeugdregio": j, "name": names.get(j, j), "best_unit": v.unit_id, "estimated_saving": v.estimated_saving}
        for j, v in sorted(best.items(), key=lambda item: (-item[1].estimated_saving, item[0]))
    ][:LIST_LENGTH]


def marginal_capacity(instance: Instance, unit_of: dict[str, str | None], objective: float, status: str,
                      seed: int = 0, known: Relaxation | None = None,
                      budget: ResolveBudget | None = None) -> dict | None:
    """summary.json's ``marginal_capacity``: where one more place (or a new small unit) helps most.

    ``unit_of``, ``objective`` and ``status`` are those of the solve. The best units, then the
    best new units, are solved again (``budget``: by default the ``TOP_UNITS`` and
    ``TOP_NEW_UNITS`` best, at most ``RESOLVE_SECONDS`` each and ``RESOLVE_BUDGET_SECONDS`` for
    all) when the instance has at most ``RESOLVE_MAX_PAIRS`` candidate pairs; otherwise every
    figure stays the relaxation's estimate, labelled so. None for an instance without a valid
    solution.
    ``known``: the solve's relaxation (``Result.relaxation``), used when it is of ``instance``.
    """
    if status not in (OPTIMAL, "FEASIBLE") or not instance.units:
        return None
    t0 = time.perf_counter()
    known = known.of(instance) if known is not None else None
    cand, flow = (known.cand, known.flow) if known is not None else relaxation(instance)
    units = unit_values(instance, cand, flow)
    new_units = new_unit_values(instance, cand, flow)
    relaxation_seconds = time.perf_counter() - t0
    base = {"objective": objective, "status": status, "unplaced": [y for y, u in unit_of.items() if u is None]}
    t1 = time.perf_counter()
    budget = budget or ResolveBudget()
    if cand.n_pairs <= RESOLVE_MAX_PAIRS:
        confirm_best(instance, units, budget.units, base, seed, budget)
        confirm_best(instance, new_units, budget.new_units, base, seed, budget)
    resolved = sum(v.resolve_status is not None for v in (*units, *new_units))
    return {
        "units": [_row(v) for v in units[:LIST_LENGTH]],
        "jeugdregios": by_jeugdregio(instance, units),
        "new_units": [_row(v) for v in new_units[:LIST_LENGTH]],
        "new_unit_places": NEW_UNIT_PLACES,
        "new_unit_setting": NEW_UNIT_SETTING,
        "relaxation_seconds": round(relaxation_seconds, 3),
        "relaxation_of_the_solve": known is not None,
        "resolves": resolved,
        "resolve_time_limit": RESOLVE_SECONDS,
        "resolve_budget_seconds": budget.seconds,
        "resolves_over_budget": budget.over,
        "resolve_max_pairs": RESOLVE_MAX_PAIRS,
        "resolve_seconds": round(time.perf_counter() - t1, 3),
    }


def _row(value: PlaceValue) -> dict:
    row = asdict(value)
    row["takes"], row["newly_placed"] = list(value.takes), list(value.newly_placed)
    return row
