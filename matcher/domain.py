"""Words of the domain: care types, settings and their "zo thuis mogelijk" order, and the range
of every number an instance holds.

Care types are shown by their Dutch names in both languages (they are the names of Dutch
provisions; ``care_type_name``); the codes stay in CSV columns. The ranges keep every number far
from what breaks the solver's integer arithmetic (costs are scaled to millionths of a point),
and far beyond anything a real week holds; the README's format section lists them.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from matcher.i18n import N_, _

CareType = Literal["gesloten", "driemilieu", "intensieve_ggz", "eetstoornis"]
Setting = Literal["thuis", "gezinsgericht", "kleinschalig", "residentieel", "gesloten"]
UnitGender = Literal["gemengd", "jongens", "meisjes"]
YouthGender = Literal["m", "v", "x"]

CARE_TYPES: tuple[str, ...] = ("gesloten", "driemilieu", "intensieve_ggz", "eetstoornis")
SETTINGS: tuple[str, ...] = ("thuis", "gezinsgericht", "kleinschalig", "residentieel", "gesloten")
#: Most home-like first: rank 0 is ``thuis``, rank 4 is ``gesloten``.
SETTING_RANK: dict[str, int] = {s: i for i, s in enumerate(SETTINGS)}
UNIT_GENDERS: tuple[str, ...] = ("gemengd", "jongens", "meisjes")
YOUTH_GENDERS: tuple[str, ...] = ("m", "v", "x")
#: The urgency words (also the keys of ``unplaced_by_urgency`` in summary.json).
URGENCY_LABEL: dict[int, str] = {1: "regulier", 2: "hoog", 3: "crisis"}
#: The Dutch name of each care type (a catalog entry, translated where shown: ``care_type_name``).
CARE_TYPE_LABEL: dict[str, str] = {
    "gesloten": N_("gesloten jeugdhulp"),
    "driemilieu": N_("3-milieuvoorziening"),
    "intensieve_ggz": N_("intensieve jeugd-GGZ"),
    "eetstoornis": N_("eetstoornis-expertisezorg"),
}

EARTH_RADIUS_KM = 6371.0088

# Bounding box of the Netherlands (inclusive), from the instance format.
LAT_RANGE = (50.7, 53.7)
LON_RANGE = (3.2, 7.3)
AGE_RANGE = (0, 27)
#: Places of one unit (for ``thuis``: caseload slots).
CAPACITY_RANGE = (1, 1000)
#: max(age) - min(age) within a unit.
AGE_SPREAD_RANGE = (0, AGE_RANGE[1] - AGE_RANGE[0])
URGENCY_RANGE = (1, 3)
#: Weeks a youth has waited (ten years at most).
WAITING_WEEKS_RANGE = (0, 520)
#: A distance limit in km (a youth's own, or a care type's): above 0, at most this.
MAX_KM_LIMIT = 1000.0
#: distance_km = road_factor * great-circle km: above 0, at most this.
ROAD_FACTOR_LIMIT = 3.0
#: Every weight of the objective, in points: 0 up to this.
WEIGHT_LIMIT = 100_000.0
#: Euro per day per occupied place: 0 up to this.
COST_PER_DAY_LIMIT = 100_000.0


def care_type_name(care_type: str) -> str:
    """The care type's Dutch name (``intensieve jeugd-GGZ``), or the code when it has none."""
    label = CARE_TYPE_LABEL.get(care_type)
    return _(label) if label else care_type


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (numpy-broadcasting), the spec's haversine formula."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def gender_fits(unit_gender: str, youth_gender: str) -> bool:
    """``jongens`` takes only boys, ``meisjes`` only girls, ``gemengd`` everybody."""
    if unit_gender == "gemengd":
        return True
    return (unit_gender, youth_gender) in (("jongens", "m"), ("meisjes", "v"))


def scalar_distance_km(lat1: float, lon1: float, lat2: float, lon2: float, road_factor: float) -> float:
    """Scalar version of the spec's distance (used by the checker, pure Python)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        (math.radians(lon2) - math.radians(lon1)) / 2
    ) ** 2
    return road_factor * 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))
