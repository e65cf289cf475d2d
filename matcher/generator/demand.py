"""Synthetic youths: new demand spread over the country, and occupants who fit their unit.

New demand comes from every gemeente in proportion to its estimated 0-17 population. An
occupant is drawn for the unit he or she lives in: care type, setting, age, gender, distance
and the unit's age spread all fit, so the instance validates without warnings and a planner
sees a plausible current situation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.domain import SETTING_RANK, YOUTH_GENDERS, haversine_km
from matcher.generator.calibration import (
    CALIBRATION,
    HOME_DECIMALS,
    HOME_JITTER_DEG,
    OCCUPANT_AT_MIN_SETTING,
    OCCUPANT_DISTANCE_DECAY_KM,
    OCCUPANT_DISTANCE_MARGIN_KM,
    CareTypeCalibration,
)
from matcher.generator.places import Gemeenten, distance_matrix, jittered, shares
from matcher.generator.supply import Supply, UnitDraft

WEEK, BACKLOG = "week", "backlog"


@dataclass
class YouthDraft:
    """A youth before it gets its id; ``unit`` (index into the supply's units) marks an occupant,
    ``excluded`` holds location indices and ``sibling_group`` a group number."""

    home: int
    home_lat: float
    home_lon: float
    care_type: str
    min_setting: str
    age: int
    gender: str
    urgency: int
    waiting_weeks: int = 0
    alt_care_types: tuple[str, ...] = ()
    max_km: float | None = None
    sibling_group: int | None = None
    excluded: tuple[int, ...] = ()
    unit: int | None = None

    @property
    def machtiging(self) -> bool:
        """Only and always a youth who needs a closed setting has a court authorisation."""
        return self.min_setting == "gesloten"


# --- drawing the person -----------------------------------------------------------------------


def draw_from(rng: np.random.Generator, weights: dict, n: int, keys=None) -> list:
    """``n`` keys of a {key: weight} table, drawn with those weights (optionally among ``keys``)."""
    options, p = shares(weights, keys)
    return [options[int(i)] for i in rng.choice(len(options), size=n, p=p)]


def draw_alternatives(rng: np.random.Generator, cal: CareTypeCalibration, min_setting: str) -> tuple[str, ...]:
    """Acceptable other care types; none for a youth who needs a closed setting (no other care
    type offers one)."""
    if min_setting == "gesloten":
        return ()
    u = rng.random()
    for alternatives, p in cal.alternatives:
        if u < p:
            return alternatives
        u -= p
    return ()


def draw_waiting_weeks(rng: np.random.Generator, cal: CareTypeCalibration, urgency: int, mode: str) -> int:
    """Weeks since the request: crises wait hardly, regular requests longest; the backlog of a
    waiting list has waited up to twice its mean."""
    if mode == WEEK:
        if urgency == 3:
            return 0
        return int(rng.poisson(0.5 if urgency == 2 else cal.regular_waiting_weeks))
    if urgency == 3:
        return int(rng.integers(0, 2))
    if urgency == 2:
        return int(rng.integers(0, 5))
    longest = int(round(2 * max(cal.backlog_weeks, cal.regular_waiting_weeks)))
    return int(rng.integers(0, longest + 1))


def new_youths(rng: np.random.Generator, care_type: str, n: int, gem: Gemeenten, mode: str) -> list[YouthDraft]:
    """``n`` new requests for ``care_type``, from homes spread by the 0-17 population estimate."""
    if n <= 0:
        return []
    cal = CALIBRATION[care_type]
    homes = rng.choice(len(gem.codes), size=n, p=gem.youth_share)
    lat, lon = jittered(rng, gem.lat[homes], gem.lon[homes], HOME_JITTER_DEG, HOME_DECIMALS)
    ages = draw_from(rng, cal.age_weights, n)
    genders = draw_from(rng, cal.gender_shares, n)
    settings = draw_from(rng, cal.demand_min_setting, n)
    urgencies = rng.choice(3, size=n, p=np.array(cal.urgency_shares) / sum(cal.urgency_shares)) + 1
    youths = []
    for i in range(n):
        urgency = int(urgencies[i])
        youths.append(YouthDraft(
            home=int(homes[i]), home_lat=float(lat[i]), home_lon=float(lon[i]), care_type=care_type,
            min_setting=settings[i], age=int(ages[i]), gender=genders[i], urgency=urgency,
            waiting_weeks=draw_waiting_weeks(rng, cal, urgency, mode),
            alt_care_types=draw_alternatives(rng, cal, settings[i]),
        ))
    return youths


# --- occupants --------------------------------------------------------------------------------


def occupant_counts(rng: np.random.Generator, capacities: np.ndarray, target: int) -> np.ndarray:
    """How many occupants each unit has: ``target`` in all, none above capacity, varying by unit."""
    capacities = np.asarray(capacities, dtype=np.int64)
    target = int(min(max(target, 0), capacities.sum()))
    if capacities.sum() == 0:
        return np.zeros(len(capacities), dtype=np.int64)
    counts = rng.binomial(capacities, target / capacities.sum())
    while (diff := target - int(counts.sum())) != 0:
        room = np.flatnonzero(counts < capacities) if diff > 0 else np.flatnonzero(counts > 0)
        pick = rng.choice(room, size=min(abs(diff), len(room)), replace=False)
        counts[pick] += 1 if diff > 0 else -1
    return counts


def occupant_ages(rng: np.random.Generator, cal: CareTypeCalibration, unit: UnitDraft, k: int) -> list[int]:
    """Ages inside the unit's range and, when the unit has one, inside its max age spread."""
    weights = {a: w for a, w in cal.age_weights.items() if unit.age_min <= a <= unit.age_max}
    if not weights:
        weights = {a: 1.0 for a in range(unit.age_min, unit.age_max + 1)}
    if unit.max_age_spread is not None:
        starts = list(range(unit.age_min, unit.age_max - unit.max_age_spread + 1))
        mass = np.array([sum(w for a, w in weights.items() if s <= a <= s + unit.max_age_spread) for s in starts])
        if mass.sum() > 0:
            start = starts[int(rng.choice(len(starts), p=mass / mass.sum()))]
            inside = {a: w for a, w in weights.items() if start <= a <= start + unit.max_age_spread}
            weights = inside or {start: 1.0}
        else:
            weights = {unit.age_min: 1.0}
    return [int(a) for a in draw_from(rng, weights, k)]


def occupant_min_setting(rng: np.random.Generator, cal: CareTypeCalibration, unit: UnitDraft) -> str:
    """Most occupants need exactly their unit's setting; some could do with a more home-like one.
    In a closed unit everybody needs the closed setting (and has a machtiging)."""
    if unit.setting == "gesloten" or rng.random() < OCCUPANT_AT_MIN_SETTING:
        return unit.setting
    lower = [s for s in cal.demand_min_setting
             if s != "gesloten" and SETTING_RANK[s] < SETTING_RANK[unit.setting]]
    return draw_from(rng, cal.demand_min_setting, 1, lower)[0] if lower else unit.setting


def occupant_gender(rng: np.random.Generator, cal: CareTypeCalibration, unit: UnitDraft) -> str:
    if unit.gender == "jongens":
        return "m"
    if unit.gender == "meisjes":
        return "v"
    return draw_from(rng, cal.gender_shares, 1, YOUTH_GENDERS)[0]


class HomeChooser:
    """Where an occupant of a location lives: near it, within the care type's distance limit."""

    def __init__(self, supply: Supply, gem: Gemeenten, limits: dict[str, float]):
        lat = np.array([l.lat for l in supply.locations])
        lon = np.array([l.lon for l in supply.locations])
        self.km = distance_matrix(lat, lon, gem.lat, gem.lon) if len(lat) else np.zeros((0, len(gem.codes)))
        self.gem, self.limits, self.supply = gem, limits, supply
        self._p: dict[tuple[int, str], np.ndarray] = {}

    def probabilities(self, location: int, care_type: str) -> np.ndarray:
        key = (location, care_type)
        if key not in self._p:
            km = self.km[location]
            reach = km <= self.limits[care_type] - OCCUPANT_DISTANCE_MARGIN_KM
            if not reach.any():
                reach = km <= km.min()
            w = self.gem.youth * np.exp(-km / OCCUPANT_DISTANCE_DECAY_KM) * reach
            self._p[key] = w / w.sum()
        return self._p[key]

    def homes(self, rng: np.random.Generator, location: int, care_type: str, k: int):
        """``k`` home gemeenten with jittered points, each within the distance limit."""
        homes = rng.choice(len(self.gem.codes), size=k, p=self.probabilities(location, care_type))
        lat, lon = jittered(rng, self.gem.lat[homes], self.gem.lon[homes], HOME_JITTER_DEG, HOME_DECIMALS)
        loc = self.supply.locations[location]
        too_far = haversine_km(lat, lon, loc.lat, loc.lon) > self.limits[care_type]
        lat = np.where(too_far, np.round(self.gem.lat[homes], HOME_DECIMALS), lat)
        lon = np.where(too_far, np.round(self.gem.lon[homes], HOME_DECIMALS), lon)
        return homes, lat, lon


def occupants_of(rng: np.random.Generator, unit_index: int, unit: UnitDraft, k: int,
                 homes: HomeChooser) -> list[YouthDraft]:
    """``k`` youths who live in ``unit`` now and fit it on every rule."""
    if k <= 0:
        return []
    cal = CALIBRATION[unit.care_type]
    ages = occupant_ages(rng, cal, unit, k)
    home, lat, lon = homes.homes(rng, unit.location, unit.care_type, k)
    urgencies = rng.choice(3, size=k, p=np.array(cal.urgency_shares) / sum(cal.urgency_shares)) + 1
    youths = []
    for i in range(k):
        min_setting = occupant_min_setting(rng, cal, unit)
        youths.append(YouthDraft(
            home=int(home[i]), home_lat=float(lat[i]), home_lon=float(lon[i]), care_type=unit.care_type,
            min_setting=min_setting, age=ages[i], gender=occupant_gender(rng, cal, unit),
            urgency=int(urgencies[i]), waiting_weeks=0,
            alt_care_types=draw_alternatives(rng, cal, min_setting), unit=unit_index,
        ))
    return youths


def all_occupants(rng: np.random.Generator, supply: Supply, counts: np.ndarray, homes: HomeChooser) -> list[YouthDraft]:
    """Occupants of every unit, in unit order."""
    youths: list[YouthDraft] = []
    for i, (unit, k) in enumerate(zip(supply.units, counts)):
        youths += occupants_of(rng, i, unit, int(k), homes)
    return youths


# --- arrivals for a simulation ----------------------------------------------------------------


def arrival_profiles(rng: np.random.Generator, care_type: str, n: int) -> list[YouthDraft]:
    """``n`` youths who ask for ``care_type`` this week, drawn from the national demand model
    (home by 0-17 population, age, gender, need, urgency, alternatives); they have not waited yet."""
    from matcher.generator.places import gemeenten

    drafts = new_youths(rng, care_type, n, gemeenten(), WEEK)
    for draft in drafts:
        draft.waiting_weeks = 0
    return drafts
