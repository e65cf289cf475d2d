"""Words of the domain: care types, settings and their "zo thuis mogelijk" order."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

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
URGENCY_LABEL: dict[int, str] = {1: "regulier", 2: "hoog", 3: "crisis"}
CARE_TYPE_LABEL: dict[str, str] = {
    "gesloten": "gesloten jeugdhulp",
    "driemilieu": "3-milieuvoorziening",
    "intensieve_ggz": "intensieve jeugd-GGZ",
    "eetstoornis": "eetstoornis-expertisezorg",
}

EARTH_RADIUS_KM = 6371.0088

# Bounding box of the Netherlands (inclusive), from the instance format.
LAT_RANGE = (50.7, 53.7)
LON_RANGE = (3.2, 7.3)
AGE_RANGE = (0, 27)


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
