"""What ties youths to each other and to places: siblings, contra-indicaties, exclusions, limits.

Each function adds one kind of relation to youths already drawn, in a way that keeps the
instance valid: siblings share a home and, when they already live somewhere, one location;
conflicts join youths likely to meet but never two who share a unit today; an occupant never
excludes, or lives beyond the personal distance limit of, the location he or she lives at.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from matcher.domain import CARE_TYPES, haversine_km
from matcher.generator.calibration import (
    CALIBRATION,
    CONFLICT_AGE_GAP,
    CONFLICT_SHARE_NEW,
    CONFLICT_SHARE_OCCUPANT,
    EXCLUDED_SHARE_NEW,
    EXCLUDED_SHARE_OCCUPANT,
    MAX_KM_CHOICES,
    MAX_KM_SHARE,
    OCCUPANT_SIBLING_SHARE,
    SIBLING_CARE_TYPE_WEIGHT,
    SIBLING_SHARE,
    SIBLING_TRIPLE_SHARE,
)
from matcher.generator.demand import YouthDraft
from matcher.generator.places import Gemeenten
from matcher.generator.supply import Supply

#: Siblings in a group differ at most this many years in age.
SIBLING_AGE_GAP = 4


def new_sibling_groups(rng: np.random.Generator, youths: list[YouthDraft], first_group: int) -> int:
    """Turn a few new requests into sibling groups (pairs, some triples) from one home.

    Siblings share the home point, urgency, waiting time and what they need (care type,
    min_setting, alternatives); their ages lie a few years apart. Returns the next group number.
    """
    group = first_group
    new = [i for i, y in enumerate(youths) if y.unit is None]
    wanted = int(round(SIBLING_SHARE * len(new) / (2 + SIBLING_TRIPLE_SHARE)))
    free = {c: [i for i in new if youths[i].care_type == c] for c in CARE_TYPES}
    for c in free:
        free[c] = [free[c][int(j)] for j in rng.permutation(len(free[c]))]
    for _ in range(wanted):
        size = 3 if rng.random() < SIBLING_TRIPLE_SHARE else 2
        care_types = [c for c in CARE_TYPES if len(free[c]) >= size]
        if not care_types:
            break
        w = np.array([SIBLING_CARE_TYPE_WEIGHT[c] for c in care_types])
        care_type = care_types[int(rng.choice(len(care_types), p=w / w.sum()))]
        members = [free[care_type].pop() for _ in range(size)]
        anchor = youths[members[0]]
        ages = sorted(CALIBRATION[care_type].age_weights)
        for i in members:
            y = youths[i]
            if i != members[0]:
                offset = int(rng.integers(1, SIBLING_AGE_GAP + 1)) * (1 if rng.random() < 0.5 else -1)
                y.age = int(np.clip(anchor.age + offset, max(ages[0], anchor.age - SIBLING_AGE_GAP),
                                    min(ages[-1], anchor.age + SIBLING_AGE_GAP)))
                y.home, y.home_lat, y.home_lon = anchor.home, anchor.home_lat, anchor.home_lon
                y.min_setting, y.alt_care_types = anchor.min_setting, anchor.alt_care_types
                y.urgency, y.waiting_weeks = anchor.urgency, anchor.waiting_weeks
            y.sibling_group = group
        group += 1
    return group


def occupant_sibling_pairs(rng: np.random.Generator, youths: list[YouthDraft], supply: Supply,
                           first_group: int) -> int:
    """Pair a few occupants at the same location as siblings (same home): a family placed together.

    Both live at one location, so the rule "siblings at one location" holds from the start.
    Returns the next group number.
    """
    group = first_group
    occupants = [i for i, y in enumerate(youths) if y.unit is not None]
    wanted = int(round(OCCUPANT_SIBLING_SHARE * len(occupants) / 2))
    at_location: dict[int, list[int]] = defaultdict(list)
    for i in occupants:
        at_location[supply.units[youths[i].unit].location].append(i)
    locations = sorted(l for l, members in at_location.items() if len(members) >= 2)
    for _ in range(wanted):
        if not locations:
            break
        loc = locations[int(rng.integers(len(locations)))]
        members = at_location[loc]
        first = members[int(rng.integers(len(members)))]
        partners = [i for i in members if i != first and abs(youths[i].age - youths[first].age) <= SIBLING_AGE_GAP]
        if partners:
            second = partners[int(rng.integers(len(partners)))]
            a, b = youths[first], youths[second]
            b.home, b.home_lat, b.home_lon = a.home, a.home_lat, a.home_lon
            a.sibling_group = b.sibling_group = group
            group += 1
            members.remove(first)
            members.remove(second)
        if len(members) < 2:
            locations.remove(loc)
    return group


def _distances_to_locations(youth: YouthDraft, supply: Supply, care_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Location indices offering ``care_type`` and their great-circle km from the youth's home."""
    idx = np.array([i for i, l in enumerate(supply.locations) if l.care_type == care_type], dtype=int)
    if len(idx) == 0:
        return idx, np.zeros(0)
    lat = np.array([supply.locations[i].lat for i in idx])
    lon = np.array([supply.locations[i].lon for i in idx])
    return idx, haversine_km(youth.home_lat, youth.home_lon, lat, lon)


def excluded_locations(rng: np.random.Generator, youths: list[YouthDraft], supply: Supply) -> None:
    """A few youths exclude one or two nearby locations of their care type (it did not work out
    there before); an occupant never excludes the location he or she lives at."""
    for y in youths:
        if y.sibling_group is not None:
            continue
        share = EXCLUDED_SHARE_OCCUPANT if y.unit is not None else EXCLUDED_SHARE_NEW
        if rng.random() >= share:
            continue
        idx, km = _distances_to_locations(y, supply, y.care_type)
        if y.unit is not None:
            keep = idx != supply.units[y.unit].location
            idx, km = idx[keep], km[keep]
        if len(idx) == 0:
            continue
        nearest = idx[np.argsort(km, kind="stable")[:3]]
        count = 1 if rng.random() < 0.7 or len(nearest) < 2 else 2
        picks = rng.choice(len(nearest), size=count, replace=False)
        y.excluded = tuple(sorted(int(nearest[p]) for p in picks))


def personal_distance_limits(rng: np.random.Generator, youths: list[YouthDraft], supply: Supply) -> None:
    """Occasionally a youth sets a personal max_km (to stay near school or family, or to accept a
    far centre); an occupant's limit never excludes the unit he or she lives in."""
    for y in youths:
        if y.sibling_group is not None or rng.random() >= MAX_KM_SHARE:
            continue
        limit = float(MAX_KM_CHOICES[int(rng.integers(len(MAX_KM_CHOICES)))])
        if y.unit is not None:
            loc = supply.locations[supply.units[y.unit].location]
            if float(haversine_km(y.home_lat, y.home_lon, loc.lat, loc.lon)) > limit - 1.0:
                continue
        y.max_km = limit


def conflict_pairs(rng: np.random.Generator, youths: list[YouthDraft], gem: Gemeenten) -> list[tuple[int, int]]:
    """Contra-indicaties between youths likely to meet: same care type, same bovenregio, ages
    close. Never between siblings and never between two who share a unit today."""
    pool: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, y in enumerate(youths):
        pool[(y.care_type, gem.bovenregio[y.home])].append(i)
    pairs: set[tuple[int, int]] = set()
    for i, y in enumerate(youths):
        share = CONFLICT_SHARE_OCCUPANT if y.unit is not None else CONFLICT_SHARE_NEW
        if rng.random() >= share:
            continue
        options = [
            j for j in pool[(y.care_type, gem.bovenregio[y.home])]
            if j != i
            and abs(youths[j].age - y.age) <= CONFLICT_AGE_GAP
            and (y.sibling_group is None or youths[j].sibling_group != y.sibling_group)
            and (y.unit is None or youths[j].unit != y.unit)
        ]
        if options:
            j = options[int(rng.integers(len(options)))]
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)
