"""Candidate pairs: which youth may go to which unit (rules 1-6), and at what cost.

Everything here is vectorised over units per care type, in chunks of youths, so that 20,000
youths x 8,000 units stays fast. For every youth we also count how many units survive each rule
in turn; the first rule that leaves none is the reason a planner reads when the youth has no
compatible unit at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from operator import attrgetter

import numpy as np

from matcher.domain import CARE_TYPES, SETTING_RANK, haversine_km
from matcher.instance import Instance

#: Names of the successive filters, in the order their survivor counts are kept.
STAGES = ("care_type", "setting", "age", "gender", "distance", "exclusion")
_CHUNK = 4096
_GESLOTEN_RANK = SETTING_RANK["gesloten"]
_UNIT_GENDER = {"gemengd": 0, "jongens": 1, "meisjes": 2}
_YOUTH_GENDER = {"m": 1, "v": 2, "x": 3}


@dataclass(frozen=True, eq=False)
class Arrays:
    """Column arrays of the instance (index = position in instance.units / instance.youths).
    Two are equal only if they are one object (numpy columns have no single truth value)."""

    unit_care: np.ndarray
    unit_rank: np.ndarray
    unit_age_min: np.ndarray
    unit_age_max: np.ndarray
    unit_gender: np.ndarray
    unit_lat: np.ndarray
    unit_lon: np.ndarray
    unit_loc: np.ndarray
    unit_jr: np.ndarray
    unit_br: np.ndarray
    unit_capacity: np.ndarray
    unit_spread: np.ndarray  # max_age_spread, -1 = no limit
    youth_care: np.ndarray
    youth_alt: np.ndarray  # (n_youths, n_care_types): position 0 own, k alt, -1 not accepted
    youth_min_rank: np.ndarray
    youth_machtiging: np.ndarray
    youth_age: np.ndarray
    youth_gender: np.ndarray
    youth_lat: np.ndarray
    youth_lon: np.ndarray
    youth_max_km: np.ndarray  # nan = care type limit of the unit
    youth_jr: np.ndarray
    youth_br: np.ndarray
    youth_current: np.ndarray  # unit index or -1
    youth_unplaced_cost: np.ndarray
    conflict_a: np.ndarray  # contra-indicated pairs as two youth-index columns
    conflict_b: np.ndarray


#: The youth fields the arrays are made of, read in one pass over the youths.
_YOUTH_FIELDS = ("care_type", "alt_care_types", "min_setting", "machtiging", "age", "gender", "home_lat", "home_lon",
                 "max_km", "home_gemeente")


def field_columns(items, fields: tuple[str, ...]) -> dict[str, tuple]:
    """Each of ``fields`` of every item, as one tuple per field."""
    if not items:
        return {f: () for f in fields}
    return dict(zip(fields, zip(*map(attrgetter(*fields), items))))


#: Where ``instance_arrays`` keeps an instance's columns: on the instance, as it keeps its own
#: lookups (it is frozen, so they never go stale; ``Instance.model_copy`` makes a new one).
_KEPT = "solver_arrays"


def instance_arrays(instance: Instance) -> Arrays:
    """The instance's columns: read once (``read_arrays``), or as ``keep_arrays`` handed them."""
    kept = instance.__dict__.get(_KEPT)
    if kept is None:
        kept = instance.__dict__[_KEPT] = read_arrays(instance)
    return kept


def keep_arrays(instance: Instance, arrays: Arrays) -> None:
    """Hand ``instance`` columns the caller already has; they must be ``read_arrays(instance)``
    (the simulation keeps its units' and youths' columns from week to week instead of reading
    every youth of every week)."""
    instance.__dict__[_KEPT] = arrays


def read_arrays(instance: Instance) -> Arrays:
    """Turn the instance into numpy columns (codes for enums, indices for references)."""
    unit_index = {u.unit_id: i for i, u in enumerate(instance.units)}
    y = field_columns(instance.youths, ("current_unit_id", "urgency", "waiting_weeks"))
    index = instance.youth_position
    return Arrays(
        **unit_columns(instance.units, instance.locations, instance.regions),
        **youth_columns(instance.youths, instance.regions),
        youth_current=np.array([unit_index[c] if c else -1 for c in y["current_unit_id"]], dtype=np.int64),
        youth_unplaced_cost=unplaced_costs(instance.settings, y["urgency"], y["waiting_weeks"]),
        conflict_a=np.array([index[a] for a, _ in instance.conflicts], dtype=np.int64),
        conflict_b=np.array([index[b] for _, b in instance.conflicts], dtype=np.int64),
    )


def unplaced_costs(settings, urgency, waiting_weeks) -> np.ndarray:
    """Each youth's cost of staying unplaced: by urgency, plus the weeks already waited."""
    w = settings.weights
    return (np.asarray(w.unplaced, dtype=float)[np.array(urgency, dtype=np.int64) - 1]
            + w.waiting_week * np.array(waiting_weeks, dtype=float))


def _region_codes(regions) -> tuple[dict[str, int], dict[str, int]]:
    """Codes of the jeugdregio's and bovenregio's (in name order): the same for every instance
    of one region map, so that columns built apart from each other can be joined."""
    jr_codes = {j: i for i, j in enumerate(sorted(set(regions.jeugdregio_of.values())))}
    br_codes = {b: i for i, b in enumerate(sorted(set(regions.bovenregio_of.values())))}
    return jr_codes, br_codes


def _codes(values, code: dict) -> np.ndarray:
    return np.array([code[v] for v in values], dtype=np.int64)


def unit_columns(units, locations, regions) -> dict[str, np.ndarray]:
    """The ``unit_*`` columns of ``Arrays`` for ``units`` (``unit_loc`` indexes ``locations``)."""
    jr_codes, br_codes = _region_codes(regions)
    loc_index = {l.location_id: i for i, l in enumerate(locations)}
    care = {c: i for i, c in enumerate(CARE_TYPES)}
    # Each gemeente's jeugdregio and bovenregio codes, looked up once per gemeente in use.
    gemeenten = {l.gemeente for l in locations}
    jr = {g: jr_codes[regions.jeugdregio_of[g]] for g in gemeenten}
    br = {g: br_codes[regions.bovenregio_of[regions.jeugdregio_of[g]]] for g in gemeenten}
    u_loc = np.array([loc_index[u.location_id] for u in units], dtype=np.int64)
    loc_jr = _codes((l.gemeente for l in locations), jr)
    loc_br = _codes((l.gemeente for l in locations), br)
    loc_lat = np.array([l.lat for l in locations], dtype=float)
    loc_lon = np.array([l.lon for l in locations], dtype=float)
    return dict(
        unit_care=np.array([care[u.care_type] for u in units], dtype=np.int64),
        unit_rank=np.array([SETTING_RANK[u.setting] for u in units], dtype=np.int64),
        unit_age_min=np.array([u.age_min for u in units], dtype=np.int64),
        unit_age_max=np.array([u.age_max for u in units], dtype=np.int64),
        unit_gender=np.array([_UNIT_GENDER[u.gender] for u in units], dtype=np.int64),
        unit_lat=loc_lat[u_loc] if len(units) else np.zeros(0),
        unit_lon=loc_lon[u_loc] if len(units) else np.zeros(0),
        unit_loc=u_loc,
        unit_jr=loc_jr[u_loc] if len(units) else np.zeros(0, dtype=np.int64),
        unit_br=loc_br[u_loc] if len(units) else np.zeros(0, dtype=np.int64),
        unit_capacity=np.array([u.capacity for u in units], dtype=np.int64),
        unit_spread=np.array([-1 if u.max_age_spread is None else u.max_age_spread for u in units], dtype=np.int64),
    )


def youth_columns(youths, regions) -> dict[str, np.ndarray]:
    """The ``youth_*`` columns of ``Arrays`` that a youth's own profile decides (not where it
    lives now, nor how long it has waited)."""
    jr_codes, br_codes = _region_codes(regions)
    care = {c: i for i, c in enumerate(CARE_TYPES)}
    y = field_columns(youths, _YOUTH_FIELDS)
    n_youths = len(youths)
    gemeenten = set(y["home_gemeente"])
    jr = {g: jr_codes[regions.jeugdregio_of[g]] for g in gemeenten}
    br = {g: br_codes[regions.bovenregio_of[regions.jeugdregio_of[g]]] for g in gemeenten}
    youth_care = _codes(y["care_type"], care)
    alt = np.full((n_youths, len(CARE_TYPES)), -1, dtype=np.int64)
    alt[np.arange(n_youths), youth_care] = 0
    for i, alts in enumerate(y["alt_care_types"]):
        for k, c in enumerate(alts, start=1):
            alt[i, care[c]] = k
    return dict(
        youth_care=youth_care,
        youth_alt=alt,
        youth_min_rank=_codes(y["min_setting"], SETTING_RANK),
        youth_machtiging=np.array(y["machtiging"], dtype=bool),
        youth_age=np.array(y["age"], dtype=np.int64),
        youth_gender=_codes(y["gender"], _YOUTH_GENDER),
        youth_lat=np.array(y["home_lat"], dtype=float),
        youth_lon=np.array(y["home_lon"], dtype=float),
        youth_max_km=np.array([np.nan if v is None else v for v in y["max_km"]], dtype=float),
        youth_jr=_codes(y["home_gemeente"], jr),
        youth_br=_codes(y["home_gemeente"], br),
    )


@dataclass(frozen=True)
class Candidates:
    """All allowed (youth, unit) pairs with their objective cost.

    ``movable`` are the youths whose place the solver decides: new youths, and occupants when
    moves are allowed. For an occupant the pair to its own unit (``stay``) is always present at
    cost 0, whatever rules 1-6 say of it. ``survivors[y, k]`` counts the units left after
    filters ``STAGES[:k+1]``; ``nearest_km[y]`` is the distance to the nearest unit that passes
    care type, setting, age and gender (inf if none).
    """

    arrays: Arrays
    movable: np.ndarray
    pair_youth: np.ndarray
    pair_unit: np.ndarray
    pair_cost: np.ndarray
    pair_km: np.ndarray
    pair_stay: np.ndarray
    survivors: np.ndarray
    nearest_km: np.ndarray
    reachable_care: np.ndarray
    #: Facts about the instance that stages and models derive once per solve (see
    #: ``matcher.solver.model.receiving.dirty_units``); not part of the candidates' value.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def n_pairs(self) -> int:
        return int(self.pair_youth.size)

    def only(self, keep: np.ndarray) -> Candidates:
        """The same candidates with only the pairs of the mask ``keep`` (order kept)."""
        return replace(self, pair_youth=self.pair_youth[keep], pair_unit=self.pair_unit[keep],
                       pair_cost=self.pair_cost[keep], pair_km=self.pair_km[keep], pair_stay=self.pair_stay[keep],
                       memo={})


def build_candidates(instance: Instance) -> Candidates:
    """Apply rules 1-6 to every movable youth and every unit; price the surviving pairs."""
    a = instance_arrays(instance)
    n_y = len(instance.youths)
    movable = _movable(instance, a)
    tally = _Tally.of(n_y)
    py, pu, pkm = _pairs_by_rules_1_to_5(a, instance.settings, movable, tally)
    py, pu, pkm = _without_excluded_locations(instance, a, py, pu, pkm)
    np.add.at(tally.survivors[:, 5], py, 1)
    py, pu, pkm, cost, stay = _priced_with_stays(instance, a, py, pu, pkm)
    order = np.lexsort((pu, py))
    return Candidates(
        arrays=a,
        movable=movable,
        pair_youth=py[order],
        pair_unit=pu[order],
        pair_cost=cost[order],
        pair_km=pkm[order],
        pair_stay=stay[order],
        survivors=tally.survivors,
        nearest_km=tally.nearest,
        reachable_care=tally.reachable_care,
    )


def _movable(instance: Instance, a: Arrays) -> np.ndarray:
    """The youths whose place is decided: new ones, and occupants when moves are allowed."""
    if not instance.youths:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero((a.youth_current < 0) | instance.settings.allow_moves)


def pairs_into(instance: Instance, units: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(youth, unit, cost) of the candidate pairs into ``units`` (indices) only, ordered by unit,
    then youth: the pairs ``build_candidates`` would give them, at the same cost, without building
    the pairs of every other unit (stay pairs aside: nobody stays in a unit by moving into it)."""
    a = instance_arrays(instance)
    n_y = len(instance.youths)
    movable = _movable(instance, a)
    only = np.zeros(a.unit_capacity.size, dtype=bool)
    only[units] = True
    py, pu, pkm = _pairs_by_rules_1_to_5(a, instance.settings, movable, _Tally.of(n_y), only)
    py, pu, pkm = _without_excluded_locations(instance, a, py, pu, pkm)
    py, pu, _, cost, _ = _priced_with_stays(instance, a, py, pu, pkm, with_stays=False)
    order = np.lexsort((py, pu))
    return py[order], pu[order], cost[order]


@dataclass(frozen=True)
class _Tally:
    """Per youth, filled while filtering: units left after each rule (``survivors``), care types
    with units left before the distance rule, and the distance to the nearest such unit."""

    survivors: np.ndarray
    reachable_care: np.ndarray
    nearest: np.ndarray

    @classmethod
    def of(cls, n_youths: int) -> _Tally:
        return cls(survivors=np.zeros((n_youths, len(STAGES)), dtype=np.int64),
                   reachable_care=np.zeros((n_youths, len(CARE_TYPES)), dtype=bool),
                   nearest=np.full(n_youths, np.inf))


def _pairs_by_rules_1_to_5(a: Arrays, s, movable: np.ndarray, tally: _Tally, units: np.ndarray | None = None):
    """(youth, unit, km) of every pair that keeps rules 1-5, per care type in chunks of youths
    (into the units of the mask ``units`` only, if given)."""
    parts_y, parts_u, parts_km = [], [], []
    for c in range(len(CARE_TYPES)):
        units_c = np.flatnonzero((a.unit_care == c) if units is None else (a.unit_care == c) & units)
        youths_c = movable[a.youth_alt[movable, c] >= 0]
        if units_c.size == 0 or youths_c.size == 0:
            continue
        for start in range(0, youths_c.size, _CHUNK):
            ys = youths_c[start : start + _CHUNK]
            yi, ui, km = _chunk_pairs(a, s, ys, c, units_c, tally)
            parts_y.append(ys[yi])
            parts_u.append(units_c[ui])
            parts_km.append(km)
    py = np.concatenate(parts_y) if parts_y else np.zeros(0, dtype=np.int64)
    pu = np.concatenate(parts_u) if parts_u else np.zeros(0, dtype=np.int64)
    pkm = np.concatenate(parts_km) if parts_km else np.zeros(0)
    return py, pu, pkm


def _chunk_pairs(a: Arrays, s, ys: np.ndarray, c: int, units_c: np.ndarray, tally: _Tally):
    """Rules 1-5 for youths ``ys`` and the units ``units_c`` of care type c (rule 1 holds):
    positions (youth, unit) of the surviving pairs and their km; counts survivors on the way."""
    survivors = tally.survivors
    m = np.ones((ys.size, units_c.size), dtype=bool)
    survivors[ys, 0] += units_c.size
    # Rule 2: setting at least as heavy as needed; a closed unit only with a machtiging.
    m &= a.unit_rank[units_c][None, :] >= a.youth_min_rank[ys][:, None]
    m &= (a.unit_rank[units_c][None, :] != _GESLOTEN_RANK) | a.youth_machtiging[ys][:, None]
    survivors[ys, 1] += m.sum(axis=1)
    # Rule 3: age within the unit's range.
    age = a.youth_age[ys][:, None]
    m &= (a.unit_age_min[units_c][None, :] <= age) & (age <= a.unit_age_max[units_c][None, :])
    survivors[ys, 2] += m.sum(axis=1)
    # Rule 4: jongens only m, meisjes only v, gemengd everybody.
    ug = a.unit_gender[units_c][None, :]
    yg = a.youth_gender[ys][:, None]
    m &= (ug == 0) | (ug == yg)
    survivors[ys, 3] += m.sum(axis=1)
    tally.reachable_care[ys, c] = m.any(axis=1)
    # Rule 5: distance limit of the youth, else of the UNIT's care type.
    km = s.road_factor * haversine_km(
        a.youth_lat[ys][:, None], a.youth_lon[ys][:, None], a.unit_lat[units_c][None, :], a.unit_lon[units_c][None, :]
    )
    tally.nearest[ys] = np.minimum(tally.nearest[ys], np.where(m, km, np.inf).min(axis=1))
    limit = np.where(np.isnan(a.youth_max_km[ys]), s.max_km[CARE_TYPES[c]], a.youth_max_km[ys])
    m &= km <= limit[:, None]
    survivors[ys, 4] += m.sum(axis=1)
    yi, ui = np.nonzero(m)
    return yi, ui, km[yi, ui]


def _without_excluded_locations(instance: Instance, a: Arrays, py, pu, pkm):
    """Rule 6: never at an excluded location."""
    excluded = _exclusion_lookup(instance)
    if not excluded:
        return py, pu, pkm
    # One key per (youth, location): a pair goes when its key is among the excluded ones.
    n_loc = max(len(instance.locations), 1)
    banned = np.concatenate([y * n_loc + locs for y, locs in excluded.items()])
    keep = ~np.isin(py * n_loc + a.unit_loc[pu], banned)
    return py[keep], pu[keep], pkm[keep]


def _priced_with_stays(instance: Instance, a: Arrays, py, pu, pkm, with_stays: bool = True):
    """Every pair's cost; with moves allowed, a moved occupant pays the move cost and each
    occupant gets its stay pair (cost 0) instead of a pair to its own unit (unless not
    ``with_stays``)."""
    s = instance.settings
    if s.allow_moves:
        own = a.youth_current[py] == pu
        py, pu, pkm = py[~own], pu[~own], pkm[~own]
    cost = pair_cost(a, instance, py, pu, pkm)
    stay = np.zeros(py.size, dtype=bool)
    if not s.allow_moves:
        return py, pu, pkm, cost, stay
    is_occ = a.youth_current >= 0
    cost = cost + s.weights.move * is_occ[py]
    if not with_stays:
        return py, pu, pkm, cost, np.zeros(py.size, dtype=bool)
    occ = np.flatnonzero(is_occ)
    cur = a.youth_current[occ]
    stay_km = s.road_factor * haversine_km(a.youth_lat[occ], a.youth_lon[occ], a.unit_lat[cur], a.unit_lon[cur])
    return (np.concatenate([py, occ]), np.concatenate([pu, cur]), np.concatenate([pkm, stay_km]),
            np.concatenate([cost, np.zeros(occ.size)]), np.concatenate([stay, np.ones(occ.size, dtype=bool)]))


def pair_cost(a: Arrays, instance: Instance, py: np.ndarray, pu: np.ndarray, km: np.ndarray) -> np.ndarray:
    """The objective term of placing youth py in unit pu (without the move cost)."""
    w = instance.settings.weights
    steps = a.unit_rank[pu] - a.youth_min_rank[py]
    outside_jr = a.unit_jr[pu] != a.youth_jr[py]
    outside_br = a.unit_br[pu] != a.youth_br[py]
    alt_pos = a.youth_alt[py, a.unit_care[pu]]
    return (
        w.km * km
        + w.setting_step * steps
        + w.outside_jeugdregio * outside_jr
        + w.outside_bovenregio * outside_br
        + w.alt_care_type * alt_pos
    )


def _exclusion_lookup(instance: Instance) -> dict[int, np.ndarray]:
    loc_index = {l.location_id: i for i, l in enumerate(instance.locations)}
    return {
        i: np.array([loc_index[x] for x in y.excluded_locations], dtype=np.int64)
        for i, y in enumerate(instance.youths)
        if y.excluded_locations
    }
