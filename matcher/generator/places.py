"""Where youths live and where providers sit: real gemeenten, their youth population and points.

Demand is spread over the gemeenten by the estimated number of 0-17 year olds
(``jeugd_0_17_est`` in bevolking_gemeente.csv: an estimate from CBS age bands, not a count).
A home point is a jittered point near the gemeente's representative point: a PC4-like
approximation, never an address.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from matcher.domain import LAT_RANGE, LON_RANGE, haversine_km
from matcher.generator.calibration import JITTER_CLIP_DEG
from matcher.geography.regions import DATA, shipped_region_map

#: Points stay this far inside the Netherlands' bounding box.
BOX_MARGIN_DEG = 0.001


@dataclass(frozen=True)
class Gemeenten:
    """The 342 gemeenten as arrays (sorted by CBS code), for fast weighted draws."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    inwoners: np.ndarray
    youth: np.ndarray  # estimated 0-17 year olds
    lat: np.ndarray
    lon: np.ndarray
    bovenregio: tuple[str, ...]

    @property
    def youth_share(self) -> np.ndarray:
        return self.youth / self.youth.sum()

    @property
    def inwoner_share(self) -> np.ndarray:
        return self.inwoners / self.inwoners.sum()


@lru_cache(maxsize=1)
def gemeenten() -> Gemeenten:
    """Population (1 Jan 2023, CBS) and representative points of every gemeente in the shipped map."""
    from matcher.geography.geo import gemeente_points

    with (DATA / "bevolking_gemeente.csv").open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r["gemeentecode"])
    points = gemeente_points()
    regions = shipped_region_map()
    codes = tuple(r["gemeentecode"] for r in rows)
    return Gemeenten(
        codes=codes,
        names=tuple(r["gemeentenaam"] for r in rows),
        inwoners=np.array([float(r["inwoners"]) for r in rows]),
        youth=np.array([float(r["jeugd_0_17_est"]) for r in rows]),
        lat=np.array([points[c][0] for c in codes]),
        lon=np.array([points[c][1] for c in codes]),
        bovenregio=tuple(regions.bovenregio_of_gemeente(c) for c in codes),
    )


def jittered(rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, sd: tuple[float, float],
             decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """Points near the given ones (normal offsets, clipped), inside the bounding box, rounded."""
    n = len(lat)
    dlat = np.clip(rng.normal(0.0, sd[0], n), -JITTER_CLIP_DEG, JITTER_CLIP_DEG)
    dlon = np.clip(rng.normal(0.0, sd[1], n), -JITTER_CLIP_DEG, JITTER_CLIP_DEG)
    new_lat = np.clip(lat + dlat, LAT_RANGE[0] + BOX_MARGIN_DEG, LAT_RANGE[1] - BOX_MARGIN_DEG)
    new_lon = np.clip(lon + dlon, LON_RANGE[0] + BOX_MARGIN_DEG, LON_RANGE[1] - BOX_MARGIN_DEG)
    return np.round(new_lat, decimals), np.round(new_lon, decimals)


def distance_matrix(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle km between every point of the first set (rows) and the second (columns)."""
    return haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])


def shares(weights: dict, keys=None) -> tuple[list, np.ndarray]:
    """Keys and normalised probabilities of a {key: weight} table (optionally only ``keys``)."""
    items = [(k, w) for k, w in weights.items() if (keys is None or k in keys) and w > 0]
    p = np.array([w for _, w in items], dtype=float)
    return [k for k, _ in items], p / p.sum()
