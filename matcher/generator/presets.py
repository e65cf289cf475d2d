"""The presets: one national week, the national stock, and a benchmark of any size.

All three share the mechanics (supply, occupants, new demand, relations) and differ in how much
of each they draw. The random streams are split by purpose, so ``nl-week`` and ``nl-stock``
with the same seed describe the same national supply and the same occupants; they differ only
in the waiting youths: one week of new requests, or the whole waiting list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.generator.calibration import (
    CALIBRATION,
    STRESS_DEFAULT_UNITS,
    STRESS_DEFAULT_YOUTHS,
    STRESS_FILL,
    STRESS_MAX_OCCUPANT_SHARE,
    WEEK_COUNT_CLIP,
)
from matcher.generator.demand import (
    BACKLOG,
    WEEK,
    HomeChooser,
    YouthDraft,
    all_occupants,
    new_youths,
    occupant_counts,
)
from matcher.generator.names import numbered
from matcher.generator.places import Gemeenten, gemeenten
from matcher.generator.relations import (
    conflict_pairs,
    excluded_locations,
    new_sibling_groups,
    occupant_sibling_pairs,
    personal_distance_limits,
)
from matcher.generator.supply import Supply, apportion, national_units, place_units, scaled_units
from matcher.instance import Instance, Location, Settings, Unit, Youth
from matcher.geography.regions import shipped_region_map


@dataclass(frozen=True)
class Preset:
    """A named recipe: what it models and whether occupants may move."""

    name: str
    allow_moves: bool
    summary: str


PRESETS: dict[str, Preset] = {
    "nl-week": Preset("nl-week", False, "one week of national new demand for the four care types, "
                                         "with every current occupant staying where he or she is"),
    "nl-stock": Preset("nl-stock", True, "the full national stock for a re-optimisation: every "
                                           "occupant (who may move) plus the waiting list"),
    "stress": Preset("stress", False, "any number of youths and units with the same mechanics, "
                                      "for benchmarks"),
}


def _streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent random streams per purpose, all from one seed."""
    names = ("supply", "occupants", "demand", "relations")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {n: np.random.Generator(np.random.PCG64(s)) for n, s in zip(names, children)}


def generate(preset: str, seed: int, youths: int | None = None, units: int | None = None) -> Instance:
    """A synthetic instance for ``preset`` (nl-week, nl-stock, stress); same seed, same instance.

    ``youths`` and ``units`` set the size of a ``stress`` instance (defaults 2000 and 800); the
    national presets have their size from the calibration and refuse them.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset '{preset}' (known: {', '.join(PRESETS)})")
    if preset != "stress" and (youths is not None or units is not None):
        raise ValueError(f"--youths and --units only apply to the stress preset, not to '{preset}'")
    if preset == "stress":
        youths = STRESS_DEFAULT_YOUTHS if youths is None else youths
        units = STRESS_DEFAULT_UNITS if units is None else units
        if youths < 0 or units < 1:
            raise ValueError("a stress instance needs at least 1 unit and 0 or more youths")
    rng = _streams(seed)
    gem = gemeenten()
    settings = Settings(name=preset if preset != "stress" else f"stress-{youths}x{units}",
                        allow_moves=PRESETS[preset].allow_moves)

    supply = place_units(rng["supply"], national_units(rng["supply"]) if units is None
                         else scaled_units(rng["supply"], units), gem)
    counts = _occupant_counts(rng["occupants"], supply, youths)
    occupants = all_occupants(rng["occupants"], supply, counts, HomeChooser(supply, gem, settings.max_km))
    new = _new_demand(rng["demand"], preset, gem, None if youths is None else youths - len(occupants))

    drafts = occupants + new
    rel = rng["relations"]
    group = occupant_sibling_pairs(rel, drafts, supply, first_group=0)
    new_sibling_groups(rel, drafts, first_group=group)
    excluded_locations(rel, drafts, supply)
    personal_distance_limits(rel, drafts, supply)
    pairs = conflict_pairs(rel, drafts, gem)
    return _instance(settings, supply, drafts, pairs, gem)


def _occupant_counts(rng: np.random.Generator, supply: Supply, youths: int | None) -> np.ndarray:
    """National presets: the calibrated occupancy per care type and setting. Stress: occupants
    fill part of the capacity, and are at most half of the youths."""
    caps = np.array([u.capacity for u in supply.units], dtype=np.int64)
    if youths is not None:
        target = min(int(round(STRESS_FILL * caps.sum())), int(STRESS_MAX_OCCUPANT_SHARE * youths))
        return occupant_counts(rng, caps, target)
    counts = np.zeros(len(caps), dtype=np.int64)
    for care_type in CARE_TYPES:
        for setting in SETTINGS:
            idx = np.array([i for i, u in enumerate(supply.units)
                            if u.care_type == care_type and u.setting == setting], dtype=np.int64)
            if len(idx):
                share = CALIBRATION[care_type].occupancy[setting]
                counts[idx] = occupant_counts(rng, caps[idx], int(round(share * caps[idx].sum())))
    return counts


def week_count(rng: np.random.Generator, weekly_inflow: float) -> int:
    """One week's requests: Poisson around the weekly inflow, kept within WEEK_COUNT_CLIP of it
    (a freak week would not be a representative test week)."""
    low = int(np.ceil(weekly_inflow * (1 - WEEK_COUNT_CLIP)))
    high = int(np.floor(weekly_inflow * (1 + WEEK_COUNT_CLIP)))
    return int(np.clip(rng.poisson(weekly_inflow), low, high))


def _new_demand(rng: np.random.Generator, preset: str, gem: Gemeenten, n: int | None) -> list[YouthDraft]:
    """nl-week: a week's requests (Poisson around the weekly inflow). nl-stock: the waiting list
    (weekly inflow x backlog weeks). stress: ``n`` requests in the national care-type mix."""
    if preset == "nl-week":
        sizes = {c: week_count(rng, CALIBRATION[c].weekly_inflow) for c in CARE_TYPES}
        mode = WEEK
    elif preset == "nl-stock":
        sizes = {c: int(round(CALIBRATION[c].weekly_inflow * CALIBRATION[c].backlog_weeks)) for c in CARE_TYPES}
        mode = BACKLOG
    else:
        sizes = apportion(max(n or 0, 0), {c: CALIBRATION[c].weekly_inflow for c in CARE_TYPES})
        mode = WEEK
    youths: list[YouthDraft] = []
    for care_type in CARE_TYPES:
        youths += new_youths(rng, care_type, sizes[care_type], gem, mode)
    return [youths[int(i)] for i in rng.permutation(len(youths))]


def _instance(settings: Settings, supply: Supply, drafts: list[YouthDraft], pairs: list[tuple[int, int]],
              gem: Gemeenten) -> Instance:
    """Give everything its pseudonymous id and build the frozen, checked instance."""
    location_ids = numbered("L", len(supply.locations), 4)
    unit_ids = numbered("U", len(supply.units), 4)
    youth_ids = numbered("Y", len(drafts), 6)
    group_order: dict[int, str] = {}
    for d in drafts:
        if d.sibling_group is not None and d.sibling_group not in group_order:
            group_order[d.sibling_group] = ""
    group_ids = dict(zip(group_order, numbered("S", len(group_order), 4)))
    locations = tuple(
        Location(location_id=location_ids[i], provider=l.provider, name=l.name, gemeente=gem.codes[l.gemeente],
                 lat=l.lat, lon=l.lon)
        for i, l in enumerate(supply.locations)
    )
    units = tuple(
        Unit(unit_id=unit_ids[i], location_id=location_ids[u.location], care_type=u.care_type, setting=u.setting,
             capacity=u.capacity, age_min=u.age_min, age_max=u.age_max, gender=u.gender,
             max_age_spread=u.max_age_spread, cost_per_day=u.cost_per_day)
        for i, u in enumerate(supply.units)
    )
    youths = tuple(
        Youth(youth_id=youth_ids[i], home_gemeente=gem.codes[d.home], home_lat=d.home_lat, home_lon=d.home_lon,
              care_type=d.care_type, alt_care_types=d.alt_care_types, min_setting=d.min_setting,
              machtiging=d.machtiging, age=d.age, gender=d.gender, urgency=d.urgency,
              waiting_weeks=d.waiting_weeks, max_km=d.max_km,
              sibling_group=None if d.sibling_group is None else group_ids[d.sibling_group],
              excluded_locations=tuple(location_ids[x] for x in d.excluded),
              current_unit_id=None if d.unit is None else unit_ids[d.unit])
        for i, d in enumerate(drafts)
    )
    conflicts = tuple((youth_ids[a], youth_ids[b]) for a, b in pairs)
    return Instance(settings=settings, locations=locations, units=units, youths=youths,
                    conflicts=conflicts, regions=shipped_region_map())
