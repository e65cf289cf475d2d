"""The two-stage model, solved as one MIP by sample average approximation (HiGHS).

First stage: the plan, one whole number per lever (``matcher.propose.actions``). Second stage,
for every sampled demand state: the transportation relaxation of the matching — youths of one
class (home point, care type, needed setting, machtiging) flow to supply points (location,
care type, setting) over the candidate pairs that ``matcher.solver.candidates`` allows, at the
pair's objective cost; a youth left over pays the instance's ``unplaced`` weight of its urgency.
A supply point hosts at most its places, a youth there using its stay factor's share of one.
The objective is the mean second-stage cost over the samples (points per week), plus the plan's
yearly cost at one point per whole budget, so that money only breaks ties.

Left out in the relaxation (assumptions, documented): age, gender, age spread, siblings,
contra-indications and alternative care types; within a class every youth has the class's home
point.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from matcher.domain import SETTING_RANK
from matcher.instance import Instance, Location, Unit, Youth
from matcher.propose.actions import Levers, Point, busiest_gemeente, places_by_region
from matcher.propose.options import Options
from matcher.propose.sampling import Sample
from matcher.solver.candidates import build_candidates
from matcher.solver.exact import use_threads

#: A demand class: (home gemeente, care type, min_setting, machtiging).
Klass = tuple[str, str, str, bool]


@dataclass(frozen=True)
class Network:
    """Demand classes, supply points and the candidate arcs between them, with their cost."""

    classes: tuple[Klass, ...]
    points: tuple[Point, ...]
    arc_class: np.ndarray
    arc_point: np.ndarray
    arc_cost: np.ndarray
    arc_km: np.ndarray
    arc_own_jeugdregio: np.ndarray

    @cached_property
    def point_index(self) -> dict[Point, int]:
        return {p: j for j, p in enumerate(self.points)}


def class_of(instance: Instance, youth: Youth, level: str) -> Klass:
    """The class of a youth; with ``jeugdregio`` points every home is its region's busiest gemeente."""
    home = youth.home_gemeente
    if level == "jeugdregio":
        home = _busiest(instance, instance.regions.jeugdregio_of[home])
    return (home, youth.care_type, youth.min_setting, youth.machtiging)


_BUSIEST: dict[tuple[int, str], str] = {}


def _busiest(instance: Instance, jeugdregio: str) -> str:
    key = (id(instance.regions), jeugdregio)
    if key not in _BUSIEST:
        _BUSIEST[key] = busiest_gemeente(instance, jeugdregio)
    return _BUSIEST[key]


def build_network(instance: Instance, levers: Levers, classes: list[Klass]) -> Network:
    """Arcs of every class to every supply point (today's and the levers'), by the candidate rules."""
    from matcher.geography.geo import gemeente_points

    points = sorted({*levers.base_places, *(p for lv in levers.levers for p in lv.places)})
    locations = tuple(Location(location_id=s.location_id, provider="-", gemeente=s.gemeente, lat=s.lat, lon=s.lon)
                      for s in levers.sites.values())
    units = tuple(Unit.model_construct(unit_id=f"P{i}", location_id=loc, care_type=c, setting=s, capacity=1, age_min=0,
                                       age_max=27, gender="gemengd", max_age_spread=None, cost_per_day=None)
                  for i, (loc, c, s) in enumerate(points))
    where = gemeente_points()
    youths = tuple(Youth.model_construct(
        youth_id=f"K{i}", home_gemeente=g, home_lat=where[g][0], home_lon=where[g][1], care_type=c, alt_care_types=(),
        min_setting=s, machtiging=m, age=12, gender="x", urgency=1, waiting_weeks=0, max_km=None, sibling_group=None,
        excluded_locations=(), current_unit_id=None) for i, (g, c, s, m) in enumerate(classes))
    settings = instance.settings.model_copy(update={"allow_moves": False})
    network = Instance.model_construct(settings=settings, locations=locations, units=units, youths=youths,
                                       conflicts=(), regions=instance.regions)
    cand = build_candidates(network)
    a = cand.arrays
    own = a.unit_jr[cand.pair_unit] == a.youth_jr[cand.pair_youth]
    return Network(tuple(classes), tuple(points), cand.pair_youth, cand.pair_unit, cand.pair_cost, cand.pair_km, own)


@dataclass
class _Columns:
    """The model's columns and rows as they are added (sparse triplets)."""

    cost: list
    lower: list
    upper: list
    rows_lower: list
    rows_upper: list
    entries: list   # (row, column, value) arrays

    @property
    def n_cols(self) -> int:
        return sum(len(c) for c in self.cost)

    @property
    def n_rows(self) -> int:
        return sum(len(r) for r in self.rows_lower)

    def cols(self, cost, lower, upper) -> np.ndarray:
        first = self.n_cols
        self.cost.append(np.asarray(cost, dtype=float))
        self.lower.append(np.asarray(lower, dtype=float))
        self.upper.append(np.asarray(upper, dtype=float))
        return np.arange(first, first + len(self.cost[-1]))

    def rows(self, lower, upper) -> np.ndarray:
        first = self.n_rows
        self.rows_lower.append(np.asarray(lower, dtype=float))
        self.rows_upper.append(np.asarray(upper, dtype=float))
        return np.arange(first, first + len(self.rows_lower[-1]))

    def put(self, row, col, value) -> None:
        self.entries.append((np.asarray(row), np.asarray(col), np.asarray(value, dtype=float)))


@dataclass(frozen=True)
class SampleColumns:
    """Where one sample's second stage sits among the columns."""

    sample: int
    arcs: np.ndarray        # arc index into the network, per flow column
    flow: np.ndarray        # column of each flow
    unplaced: np.ndarray    # column per (class, urgency) with demand
    unplaced_class: np.ndarray
    unplaced_cost: np.ndarray   # points per youth left over, by urgency
    demand: dict
    place_use: np.ndarray       # per supply point, the share of a place one youth uses there


def demand_of(instance: Instance, sample: Sample, index: dict[Klass, int], level: str) -> dict[tuple[int, int], int]:
    """(class, urgency) -> youths of the sample."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for y in sample.youths:
        counts[(index[class_of(instance, y, level)], y.urgency)] += 1
    return dict(counts)


def _second_stage(m: _Columns, instance: Instance, net: Network, sample: Sample, demand: dict, weight: float,
                  lever_cols: tuple) -> SampleColumns:
    """One sample's flows, unplaced youths, demand rows and capacity rows."""
    levers, cols = lever_cols
    unplaced_weight = np.asarray(instance.settings.weights.unplaced, dtype=float)
    classes = np.array(sorted({k for k, _u in demand}), dtype=np.int64)
    total = np.zeros(len(net.classes))
    for (k, _u), n in demand.items():
        total[k] += n
    arcs = np.flatnonzero(total[net.arc_class] > 0)
    flow = m.cols(weight * net.arc_cost[arcs], np.zeros(arcs.size), total[net.arc_class[arcs]])
    keys = sorted(demand)
    zk = np.array([k for k, _u in keys], dtype=np.int64)
    zu = np.array([u for _k, u in keys], dtype=np.int64)
    unplaced = m.cols(weight * unplaced_weight[zu - 1], np.zeros(len(keys)), [demand[k] for k in keys])
    row_of_class = np.full(len(net.classes), -1)
    row_of_class[classes] = m.rows(total[classes], total[classes])
    m.put(row_of_class[net.arc_class[arcs]], flow, np.ones(arcs.size))
    m.put(row_of_class[zk], unplaced, np.ones(len(keys)))
    used = np.unique(net.arc_point[arcs])
    base = np.array([levers.base_places.get(net.points[j], 0) for j in used], dtype=float)
    row_of_point = np.full(len(net.points), -1)
    row_of_point[used] = m.rows(np.full(used.size, -np.inf), base)
    use = np.array([sample.place_use[(c, s)] for (_loc, c, s) in net.points])
    m.put(row_of_point[net.arc_point[arcs]], flow, use[net.arc_point[arcs]])
    for lv, col in zip(levers.levers, cols):
        for p, d in lv.places.items():
            j = net.point_index[p]
            if row_of_point[j] >= 0:
                m.put([row_of_point[j]], [col], [-d])
    return SampleColumns(sample.index, arcs, flow, unplaced, zk, unplaced_weight[zu - 1], demand, use)


def _first_stage(m: _Columns, options: Options, levers: Levers, fixed: dict[str, int] | None) -> np.ndarray:
    """The levers' columns and the rows that bind the plan: units, limits, budget, targets
    (none for a ``fixed`` plan, valued as it is)."""
    lv = levers.levers
    years = options.budget.one_off_years
    yearly = np.array([x.cost_per_year + x.one_off / years for x in lv])
    upper = np.array([x.upper for x in lv], dtype=float)
    lower = np.zeros(len(lv))
    if fixed is not None:  # a plan to value as it is: no rows bind it
        lower = upper = np.array([fixed.get(x.name, 0) for x in lv], dtype=float)
        return m.cols(yearly / max(options.budget.per_year, 1.0), lower, upper)
    cols = m.cols(yearly / max(options.budget.per_year, 1.0), lower, upper)
    by_unit, by_region = defaultdict(list), defaultdict(list)
    for i, x in enumerate(lv):
        if x.unit_id is not None:
            by_unit[x.unit_id].append(i)
        limit = options.actions[x.action - 1]
        if x.kind == "open" and getattr(limit, "max_units_per_jeugdregio", None):
            by_region[(x.action, x.jeugdregio, limit.max_units_per_jeugdregio)].append(i)
    for unit_id, members in by_unit.items():
        if len(members) > 1:
            cap = max(lv[i].unit_places * lv[i].upper for i in members)
            r = m.rows([-np.inf], [cap])
            m.put(np.repeat(r, len(members)), cols[members], [lv[i].unit_places for i in members])
    for (_a, _j, most), members in by_region.items():
        m.put(np.repeat(m.rows([-np.inf], [most]), len(members)), cols[members], np.ones(len(members)))
    r = m.rows([-np.inf], [options.budget.per_year - levers.base_cost])
    m.put(np.repeat(r, len(lv)), cols, yearly)
    _target_rows(m, options, levers, cols)
    return cols


def _target_rows(m: _Columns, options: Options, levers: Levers, cols: np.ndarray) -> None:
    lv = levers.levers
    target = options.targets.max_closed_places
    if target is not None:
        delta = np.array([sum(d for (_l, _c, s), d in x.places.items() if s == "gesloten") for x in lv], dtype=float)
        r = m.rows([-np.inf], [target - levers.closed_places(levers.base_places)])
        m.put(np.repeat(r, len(lv)), cols, delta)
    base = places_by_region(levers, levers.base_places)
    for care_type, bovenregio, minimum in options.targets.minimums(set(levers.bovenregio_of_site.values())):
        delta = np.array([sum(d for (loc, c, _s), d in x.places.items()
                              if c == care_type and levers.bovenregio_of_site[loc] == bovenregio) for x in lv])
        r = m.rows([minimum - base.get((care_type, bovenregio), 0)], [np.inf])
        m.put(np.repeat(r, len(lv)), cols, delta)


@dataclass(frozen=True)
class Solved:
    """A solved model: the plan, its objective and bound, and every sample's figures."""

    plan: dict[str, int]
    status: str
    objective: float        # mean second-stage cost (points per week), the tie-break left out
    bound: float
    gap: float
    seconds: float
    size: dict
    per_sample: tuple


def solve_saa(instance: Instance, options: Options, levers: Levers, net: Network, samples: list[Sample],
              fixed: dict[str, int] | None = None, threads: int = 1) -> Solved:
    """The plan that minimises the mean matching cost over ``samples`` (or, with ``fixed``, that
    plan's cost): one MIP, HiGHS."""
    t0 = time.perf_counter()
    m = _Columns([], [], [], [], [], [])
    cols = _first_stage(m, options, levers, fixed)
    index = {k: i for i, k in enumerate(net.classes)}
    level = options.model.demand_points
    stages = [_second_stage(m, instance, net, s, demand_of(instance, s, index, level), 1.0 / len(samples), (levers, cols))
              for s in samples]
    h, lp = _highs(m, cols, options, threads)
    h.passModel(lp)
    h.run()
    return _read(h, m, cols, (levers, net), stages, len(samples), time.perf_counter() - t0)


def plan_exists(options: Options, levers: Levers) -> str | None:
    """None when some plan keeps the budget and every target together, else HiGHS' status."""
    import highspy

    m = _Columns([], [], [], [], [], [])
    cols = _first_stage(m, options, levers, None)
    if not m.n_rows:
        return None
    h, lp = _highs(m, cols, options, 1)
    h.passModel(lp)
    h.run()
    ok = h.getInfo().primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible)
    return None if ok else h.modelStatusToString(h.getModelStatus())


def _highs(m: _Columns, cols: np.ndarray, options: Options, threads: int):
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m.n_cols, m.n_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = (np.concatenate(x) for x in (m.cost, m.lower, m.upper))
    lp.row_lower_, lp.row_upper_ = np.concatenate(m.rows_lower), np.concatenate(m.rows_upper)
    rows, columns, values = (np.concatenate([e[i] for e in m.entries]) for i in range(3))
    mat = sparse.csr_matrix((values, (rows, columns)), shape=(m.n_rows, m.n_cols))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = mat.indptr.astype(np.int32), mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    integrality = [highspy.HighsVarType.kContinuous] * m.n_cols
    for c in cols:
        integrality[c] = highspy.HighsVarType.kInteger
    lp.integrality_ = integrality
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(options.model.time_limit))
    h.setOptionValue("mip_rel_gap", float(options.model.mip_rel_gap))
    h.setOptionValue("random_seed", 0)
    use_threads(h, int(threads))   # HiGHS' one thread pool per process, shared with the weekly solver
    return h, lp


def _read(h, m: _Columns, cols, model: tuple[Levers, Network], stages, n_samples: int, seconds: float) -> Solved:
    import highspy

    levers, net = model

    status = h.getModelStatus()
    info = h.getInfo()
    size = {"columns": m.n_cols, "rows": m.n_rows, "nonzeros": int(sum(e[0].size for e in m.entries)),
            "integer": int(cols.size), "samples": n_samples}
    if info.primal_solution_status != int(highspy.SolutionStatus.kSolutionStatusFeasible):
        return Solved({}, h.modelStatusToString(status), np.inf, np.inf, np.inf, seconds, size, ())
    x = np.asarray(h.getSolution().col_value)
    plan = {lv.name: int(round(x[c])) for lv, c in zip(levers.levers, cols) if round(x[c]) > 0}
    tie_break = float(np.concatenate(m.cost)[cols] @ x[cols])
    objective = float(info.objective_function_value) - tie_break
    bound = float(getattr(info, "mip_dual_bound", objective)) - tie_break
    gap = float(getattr(info, "mip_gap", 0.0))
    per_sample = tuple(sample_figures(net, st, x, n_samples) for st in stages)
    return Solved(plan, h.modelStatusToString(status), objective, bound if np.isfinite(bound) else objective,
                  gap if np.isfinite(gap) else 0.0, seconds, size, per_sample)


def sample_figures(net: Network, st: SampleColumns, x: np.ndarray, n_samples: int) -> dict:
    """One sample's matching in a planner's figures: unplaced, km, own region, places used."""
    flow = x[st.flow]
    unplaced = x[st.unplaced]
    placed = float(flow.sum())
    used = np.zeros(len(net.points))
    np.add.at(used, net.arc_point[st.arcs], flow * st.place_use[net.arc_point[st.arcs]])
    home_unplaced: dict[str, float] = defaultdict(float)
    for k, v in zip(st.unplaced_class, unplaced):
        home_unplaced[net.classes[k][0]] += float(v)
    home_km: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])   # home -> [placed, km x placed]
    for k, f, km in zip(net.arc_class[st.arcs], flow, net.arc_km[st.arcs]):
        if f > 0:
            home_km[net.classes[k][0]][0] += f
            home_km[net.classes[k][0]][1] += f * km
    cost = float(net.arc_cost[st.arcs] @ flow)
    return {
        "youths": float(sum(st.demand.values())), "placed": placed, "unplaced": float(unplaced.sum()),
        "km": float(net.arc_km[st.arcs] @ flow) / placed if placed else 0.0,
        "own_jeugdregio": float(net.arc_own_jeugdregio[st.arcs] @ flow) / placed if placed else 0.0,
        "setting_steps": _steps(net, st, flow) / placed if placed else 0.0,
        "cost": cost + float(st.unplaced_cost @ unplaced), "used": used, "unplaced_by_home": dict(home_unplaced),
        "km_by_home": {g: tuple(v) for g, v in home_km.items()},
    }


def _steps(net: Network, st: SampleColumns, flow: np.ndarray) -> float:
    need = np.array([SETTING_RANK[net.classes[k][2]] for k in net.arc_class[st.arcs]])
    got = np.array([SETTING_RANK[net.points[j][2]] for j in net.arc_point[st.arcs]])
    return float((got - need) @ flow)
