"""Key figures of a solution, computed from the checked assignment rows (not from the solver).

Every figure is a plain recount over the rows of assignments.csv and the instance; the tests
recount them once more by hand. "Residents" are everybody in a unit after matching (new, staying
and moved in); the cost of care is residents x the unit's ``cost_per_day`` (a unit without a
price counts 0), so a youth without a place costs nothing here and is counted in
``youth_days_without_care_per_year`` instead.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from matcher.domain import CARE_TYPES, SETTINGS, URGENCY_LABEL
from matcher.i18n import N_, _
from matcher.instance import Instance
from matcher.result import YouthOutcome

DAYS_PER_YEAR = 365
#: The reason of a resident whose unit a scenario closed, split or converted and who found no
#: other place (before the solver's own reason, in assignments.csv; a message id, written in the
#: run's language).
DISPLACED_REASON = N_("unit closed / changed in the scenario")


def kpis(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """Distances, region shares, setting steps, occupancy, cost, waiting and unit sizes after the solve.

    Distances and shares are over NEW placements (``placed``) plus moves; occupancy and cost over
    everybody in a unit afterwards.
    """
    youth = instance.youth_by_id
    arriving = [o for o in outcomes if o.status in ("placed", "moved")]
    km = np.array([o.distance_km for o in arriving], dtype=float)
    figures = {
        "mean_km": _round(km.mean()) if km.size else None,
        "p90_km": _round(np.percentile(km, 90)) if km.size else None,
        "share_own_jeugdregio": _round(np.mean([o.scope == "jeugdregio" for o in arriving])) if arriving else None,
        "share_own_bovenregio": _round(np.mean([o.scope in ("jeugdregio", "bovenregio") for o in arriving])) if arriving else None,
        "mean_setting_steps": _round(np.mean([o.setting_steps for o in arriving])) if arriving else None,
    }
    figures |= occupancy_figures(instance, outcomes)
    figures |= cost_figures(instance, outcomes)
    figures["unplaced_by_urgency"] = {
        URGENCY_LABEL[k]: sum(1 for o in outcomes if o.status == "unplaced" and youth[o.youth_id].urgency == k)
        for k in (1, 2, 3)
    }
    figures["waiting"] = waiting_figures(instance, outcomes)
    figures["unplaced_displaced"] = sum(1 for o in outcomes if o.status == "unplaced" and o.reason.startswith((DISPLACED_REASON, _(DISPLACED_REASON))))
    figures["units_by_care_type_setting"] = unit_figures(instance)
    figures["occupancy_by_bovenregio"] = occupancy_by_bovenregio(instance, outcomes)
    return figures


def residents_by_unit(instance: Instance, outcomes: Sequence[YouthOutcome]) -> Counter:
    """unit_id -> residents after matching (staying, moved in and new together)."""
    return Counter(o.unit_id for o in outcomes if o.unit_id is not None and o.unit_id in instance.unit_by_id)


def occupancy_figures(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """Places, residents and occupancy per care type; places per setting."""
    residents = residents_by_unit(instance, outcomes)
    capacity: Counter = Counter()
    occupied: Counter = Counter()
    by_setting: Counter = Counter()
    for u in instance.units:
        capacity[u.care_type] += u.capacity
        occupied[u.care_type] += residents[u.unit_id]
        by_setting[u.setting] += u.capacity
    return {
        "occupancy_by_care_type": {c: _round(occupied[c] / capacity[c]) for c in CARE_TYPES if capacity[c] > 0},
        "residents_by_care_type": {c: occupied[c] for c in CARE_TYPES if capacity[c] > 0},
        "places_by_care_type": {c: capacity[c] for c in CARE_TYPES if capacity[c] > 0},
        "places_by_setting": {s: by_setting[s] for s in SETTINGS if by_setting[s]},
    }


def cost_figures(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """The cost of the care given, beside the youths who get none.

    ``mean_price_per_day`` is the cost per day over the residents (the mean price of an occupied
    place per etmaal); ``cost_per_resident_per_year`` the same x 365. Youth-days without care
    per year are the unplaced youths x 365, the same yearly view as the cost per year.
    """
    residents = residents_by_unit(instance, outcomes)
    units = instance.unit_by_id
    per_care: Counter = Counter()
    per_setting: Counter = Counter()
    for unit_id, n in residents.items():
        price = (units[unit_id].cost_per_day or 0.0) * n
        per_care[units[unit_id].care_type] += price
        per_setting[units[unit_id].setting] += price
    cost_per_day = sum(per_care.values())
    n_residents = sum(residents.values())
    unplaced = sum(1 for o in outcomes if o.status == "unplaced")
    return {
        "residents": n_residents,
        "cost_per_day_total": _round(cost_per_day, 2),
        "cost_per_year_total": _round(cost_per_day * DAYS_PER_YEAR, 0),
        "mean_price_per_day": _round(cost_per_day / n_residents, 2) if n_residents else None,
        "cost_per_resident_per_year": _round(cost_per_day * DAYS_PER_YEAR / n_residents, 0) if n_residents else None,
        "youth_days_without_care_per_year": unplaced * DAYS_PER_YEAR,
        "cost_per_year_by_care_type": {c: _round(per_care[c] * DAYS_PER_YEAR, 0) for c in CARE_TYPES if c in per_care},
        "cost_per_year_by_setting": {s: _round(per_setting[s] * DAYS_PER_YEAR, 0) for s in SETTINGS if s in per_setting},
    }


def waiting_figures(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict:
    """Sum and mean of the waiting weeks of the youths left without a place."""
    youth = instance.youth_by_id
    weeks = [youth[o.youth_id].waiting_weeks for o in outcomes if o.status == "unplaced"]
    return {
        "unplaced_waiting_weeks_sum": int(sum(weeks)),
        "unplaced_waiting_weeks_mean": _round(sum(weeks) / len(weeks), 2) if weeks else None,
    }


def unit_figures(instance: Instance) -> dict[str, dict[str, dict]]:
    """care type -> setting -> number of units, places and mean group size (places per unit)."""
    units: Counter = Counter()
    places: Counter = Counter()
    for u in instance.units:
        units[(u.care_type, u.setting)] += 1
        places[(u.care_type, u.setting)] += u.capacity
    return {
        c: {
            s: {"units": units[(c, s)], "places": places[(c, s)], "mean_group_size": _round(places[(c, s)] / units[(c, s)], 2)}
            for s in SETTINGS if units[(c, s)]
        }
        for c in CARE_TYPES if any(units[(c, s)] for s in SETTINGS)
    }


def occupancy_by_bovenregio(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict[str, dict]:
    """bovenregio of the unit's location -> residents after matching, places and occupancy."""
    regions = instance.regions
    location = instance.location_by_id
    residents = residents_by_unit(instance, outcomes)
    places: Counter = Counter()
    occupied: Counter = Counter()
    for u in instance.units:
        b = regions.bovenregio_of_gemeente(location[u.location_id].gemeente)
        places[b] += u.capacity
        occupied[b] += residents[u.unit_id]
    return {
        b: {"residents": occupied[b], "places": places[b], "occupancy": _round(occupied[b] / places[b]) if places[b] else None}
        for b in sorted(places)
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
