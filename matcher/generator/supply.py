"""Synthetic but plausible supply: units of today's sizes and settings at locations in real towns.

Providers are fictitious; their locations sit near the representative point of a real gemeente
drawn by population, so that big cities host more locations, as they do. A location holds
several units of one care type (a campus with a closed group next to an open small-scale unit,
a clinic with a home-treatment team).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.generator.calibration import (
    CALIBRATION,
    COST_PER_DAY,
    LOCATION_DECIMALS,
    LOCATION_JITTER_DEG,
    MAX_AGE_SPREAD_CHOICES,
    MAX_AGE_SPREAD_SHARE,
    PROVIDER_COST_SPREAD,
    UNIT_SIZES,
    CareTypeCalibration,
)
from matcher.generator.names import FIRST_PARTS, SECOND_PARTS, provider_names, short_name
from matcher.generator.places import Gemeenten, jittered, shares


@dataclass
class UnitDraft:
    """A unit before it gets its id; ``location`` indexes ``Supply.locations``."""

    care_type: str
    setting: str
    capacity: int
    age_min: int
    age_max: int
    gender: str
    max_age_spread: int | None
    location: int = -1
    cost_per_day: float | None = None


@dataclass
class LocationDraft:
    """A location before it gets its id."""

    provider: str
    name: str
    gemeente: int  # index into Gemeenten
    lat: float
    lon: float
    care_type: str


@dataclass
class Supply:
    locations: list[LocationDraft]
    units: list[UnitDraft]


# --- units ------------------------------------------------------------------------------------


def unit_size(rng: np.random.Generator, setting: str) -> int:
    """A unit size for the setting: a large group or a small-scale unit, by today's mix."""
    options = UNIT_SIZES[setting]
    p = np.array([w for _, _, w in options])
    lo, hi, _ = options[int(rng.choice(len(options), p=p / p.sum()))]
    return int(rng.integers(lo, hi + 1))


def mean_unit_size(setting: str) -> float:
    options = UNIT_SIZES[setting]
    total = sum(w for _, _, w in options)
    return sum(w * (lo + hi) / 2 for lo, hi, w in options) / total


def sizes_for_places(rng: np.random.Generator, setting: str, places: int) -> list[int]:
    """Unit sizes that add up to exactly ``places`` (a too small remainder joins another unit)."""
    sizes: list[int] = []
    smallest = min(lo for lo, _, _ in UNIT_SIZES[setting])
    while sum(sizes) < places:
        sizes.append(unit_size(rng, setting))
    surplus = sum(sizes) - places
    if surplus:
        last = sizes.pop() - surplus
        if last >= smallest or not sizes:
            sizes.append(last)
        else:
            sizes[int(rng.integers(len(sizes)))] += last
    return sizes


def unit_shape(rng: np.random.Generator, cal: CareTypeCalibration, setting: str, capacity: int) -> UnitDraft:
    """Age range, gender and age-spread rule of a unit; home-treatment caseloads take everyone."""
    if setting == "thuis":
        ages = sorted(cal.age_weights)
        return UnitDraft(cal.care_type, setting, capacity, ages[0], ages[-1], "gemengd", None)
    ranges = cal.unit_age_ranges
    p = np.array([w for _, _, w in ranges])
    age_min, age_max, _ = ranges[int(rng.choice(len(ranges), p=p / p.sum()))]
    genders, gp = shares(cal.unit_gender_shares)
    gender = genders[int(rng.choice(len(genders), p=gp))]
    spread = None
    if rng.random() < MAX_AGE_SPREAD_SHARE:
        choice = int(MAX_AGE_SPREAD_CHOICES[int(rng.integers(len(MAX_AGE_SPREAD_CHOICES)))])
        if choice < age_max - age_min:
            spread = choice
    return UnitDraft(cal.care_type, setting, capacity, age_min, age_max, gender, spread)


def national_units(rng: np.random.Generator) -> list[UnitDraft]:
    """Units that add up, per care type and setting, to the calibrated national places."""
    units = []
    for care_type in CARE_TYPES:
        cal = CALIBRATION[care_type]
        for setting in SETTINGS:
            for size in sizes_for_places(rng, setting, cal.places.get(setting, 0)):
                units.append(unit_shape(rng, cal, setting, size))
    return units


def national_unit_mix() -> dict[tuple[str, str], float]:
    """Expected share of units per (care type, setting) in the national supply."""
    counts = {
        (c, s): CALIBRATION[c].places[s] / mean_unit_size(s)
        for c in CARE_TYPES for s in SETTINGS if CALIBRATION[c].places.get(s, 0) > 0
    }
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


def apportion(total: int, weights: dict) -> dict:
    """Split ``total`` over the keys in proportion to ``weights`` (largest remainders)."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(np.floor(v)) for k, v in raw.items()}
    order = sorted(raw, key=lambda k: (-(raw[k] - counts[k]), list(weights).index(k)))
    for k in order[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def scaled_units(rng: np.random.Generator, n_units: int) -> list[UnitDraft]:
    """``n_units`` units in the national mix of care types, settings and sizes (for benchmarks)."""
    units = []
    for (care_type, setting), n in apportion(n_units, national_unit_mix()).items():
        cal = CALIBRATION[care_type]
        units += [unit_shape(rng, cal, setting, unit_size(rng, setting)) for _ in range(n)]
    return units


# --- locations and providers ------------------------------------------------------------------


def group_sizes(rng: np.random.Generator, n_units: int, bounds: tuple[int, int]) -> list[int]:
    """How many units each location gets: sizes within ``bounds`` adding up to ``n_units``."""
    sizes: list[int] = []
    while sum(sizes) < n_units:
        sizes.append(int(rng.integers(bounds[0], bounds[1] + 1)))
    sizes[-1] -= sum(sizes) - n_units
    return sizes


def provider_pool_size(units: list[UnitDraft]) -> int:
    """Enough fictitious names for every care type's providers, with some working in two."""
    needed = sum(providers_for(sum(u.care_type == c for u in units), CALIBRATION[c]) for c in CARE_TYPES)
    return max(1, min(len(FIRST_PARTS) * len(SECOND_PARTS), int(0.8 * needed) + 1))


def providers_for(n_units: int, cal: CareTypeCalibration) -> int:
    """The calibrated number of providers, more when a benchmark asks for far more units."""
    n_locations = n_units / np.mean(cal.units_per_location)
    return int(max(1, min(round(n_locations), max(cal.providers, round(n_locations / 8)))))


def place_units(rng: np.random.Generator, units: list[UnitDraft], gem: Gemeenten) -> Supply:
    """Group each care type's units into locations, place them in towns, give them providers."""
    pool = provider_names(rng, provider_pool_size(units))
    cost_factor: dict[str, float] = {}
    locations: list[LocationDraft] = []
    placed: list[UnitDraft] = []
    names_used: dict[str, int] = {}
    for care_type in CARE_TYPES:
        cal = CALIBRATION[care_type]
        mine = [units[i] for i in rng.permutation(len(units)) if units[i].care_type == care_type]
        if not mine:
            continue
        sizes = group_sizes(rng, len(mine), cal.units_per_location)
        k = min(len(pool), len(sizes), providers_for(len(mine), cal))
        providers = [pool[int(i)] for i in rng.choice(len(pool), size=k, replace=False)]
        owner = np.concatenate([np.arange(k), rng.integers(0, k, max(0, len(sizes) - k))])
        towns = rng.choice(len(gem.codes), size=len(sizes), p=gem.inwoner_share)
        lat, lon = jittered(rng, gem.lat[towns], gem.lon[towns], LOCATION_JITTER_DEG, LOCATION_DECIMALS)
        start = 0
        for j, size in enumerate(sizes):
            provider = providers[int(owner[j])]
            if provider not in cost_factor:
                cost_factor[provider] = float(rng.uniform(1 - PROVIDER_COST_SPREAD, 1 + PROVIDER_COST_SPREAD))
            town = int(towns[j])
            name = f"{short_name(provider)} {gem.names[town]}"
            names_used[name] = names_used.get(name, 0) + 1
            if names_used[name] > 1:
                name = f"{name} {names_used[name]}"
            locations.append(LocationDraft(provider, name, town, float(lat[j]), float(lon[j]), care_type))
            for unit in sorted(mine[start:start + size], key=lambda u: (SETTINGS.index(u.setting), -u.capacity)):
                unit.location = len(locations) - 1
                unit.cost_per_day = float(round(COST_PER_DAY[unit.setting] * cal.cost_factor * cost_factor[provider]))
                placed.append(unit)
            start += size
    return Supply(locations, placed)
