"""Key figures of a solution, computed from the checked assignment rows (not from the solver)."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from matcher.domain import CARE_TYPES, SETTINGS, URGENCY_LABEL
from matcher.instance import Instance
from matcher.result import YouthOutcome

DAYS_PER_YEAR = 365


def kpis(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """Distances, region shares, setting steps, occupancy and cost per day after the solve.

    Distances and shares are over NEW placements (``placed``) plus moves; occupancy and cost per
    day over everybody in a unit afterwards.
    """
    youth = instance.youth_by_id
    units = instance.unit_by_id
    arriving = [o for o in outcomes if o.status in ("placed", "moved")]
    km = np.array([o.distance_km for o in arriving], dtype=float)
    residents = [o for o in outcomes if o.unit_id is not None]
    capacity = Counter()
    occupied = Counter()
    for u in instance.units:
        capacity[u.care_type] += u.capacity
    for o in residents:
        occupied[units[o.unit_id].care_type] += 1
    cost_per_day = sum(units[o.unit_id].cost_per_day or 0.0 for o in residents)
    places_by_setting = Counter()
    for u in instance.units:
        places_by_setting[u.setting] += u.capacity
    return {
        "mean_km": _round(km.mean()) if km.size else None,
        "p90_km": _round(np.percentile(km, 90)) if km.size else None,
        "share_own_jeugdregio": _round(np.mean([o.scope == "jeugdregio" for o in arriving])) if arriving else None,
        "share_own_bovenregio": _round(np.mean([o.scope in ("jeugdregio", "bovenregio") for o in arriving])) if arriving else None,
        "mean_setting_steps": _round(np.mean([o.setting_steps for o in arriving])) if arriving else None,
        "occupancy_by_care_type": {
            c: _round(occupied[c] / capacity[c]) for c in CARE_TYPES if capacity[c] > 0
        },
        "residents_by_care_type": {c: occupied[c] for c in CARE_TYPES if capacity[c] > 0},
        "places_by_care_type": {c: capacity[c] for c in CARE_TYPES if capacity[c] > 0},
        "places_by_setting": {s: places_by_setting[s] for s in SETTINGS if places_by_setting[s]},
        "cost_per_day_total": _round(cost_per_day, 2),
        "cost_per_year_total": _round(cost_per_day * DAYS_PER_YEAR, 0),
        "unplaced_by_urgency": {
            URGENCY_LABEL[k]: sum(1 for o in outcomes if o.status == "unplaced" and youth[o.youth_id].urgency == k)
            for k in (1, 2, 3)
        },
    }


def counts(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """placed / stays / moved / unplaced, and unplaced by care type."""
    c = Counter(o.status for o in outcomes)
    youth = instance.youth_by_id
    by_care = Counter(youth[o.youth_id].care_type for o in outcomes if o.status == "unplaced")
    return {
        "placed": c["placed"],
        "stays": c["stays"],
        "moved": c["moved"],
        "unplaced": c["unplaced"],
        "unplaced_by_care_type": {ct: by_care[ct] for ct in CARE_TYPES},
    }


def _round(x, digits: int = 4):
    return None if x is None else round(float(x), digits)
