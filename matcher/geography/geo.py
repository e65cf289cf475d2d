"""Shipped geometry: gemeente and jeugdregio polygons (Kadaster / CBS), loaded on demand."""

from __future__ import annotations

import csv
from functools import lru_cache

from matcher.geography.regions import DATA

#: The gemeenten's representative points, made from ``gemeenten.geojson`` (see ``write_points``).
POINTS_FILE = "gemeente_punten.csv"

#: Credit line required by the data's terms of use (shown on maps and in docs).
ATTRIBUTION = "Kadaster / Centraal Bureau voor de Statistiek, 2023 (gemeenten), 2024 (jeugdregio's)"


@lru_cache(maxsize=1)
def gemeenten():
    """GeoDataFrame of the 342 gemeenten (EPSG:4326), indexed by ``gemeentecode``."""
    import geopandas as gpd

    with (DATA / "gemeenten.geojson").open("rb") as f:
        return gpd.read_file(f).set_index("gemeentecode", drop=False)


@lru_cache(maxsize=1)
def jeugdregios():
    """GeoDataFrame of the 42 jeugdregio's (EPSG:4326), indexed by ``jeugdregio_code``."""
    import geopandas as gpd

    with (DATA / "jeugdregios.geojson").open("rb") as f:
        return gpd.read_file(f).set_index("jeugdregio_code", drop=False)


@lru_cache(maxsize=1)
def gemeente_points() -> dict[str, tuple[float, float]]:
    """A representative point (lat, lon) inside each gemeente polygon, rounded to 1e-4 degrees:
    read from ``gemeente_punten.csv``, which ``representative_points`` made from the polygons (a
    test holds them equal), so that a simulation's arrivals and a youth without a home point do
    not load the polygons and the geometry libraries (about 0.5 s)."""
    with (DATA / POINTS_FILE).open(encoding="utf-8") as f:
        return {r["gemeentecode"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def representative_points() -> dict[str, tuple[float, float]]:
    """``gemeente_points`` computed from the gemeente polygons themselves."""
    pts = gemeenten().geometry.representative_point()
    return {code: (round(p.y, 4), round(p.x, 4)) for code, p in pts.items()}


def write_points(path) -> None:
    """Write ``representative_points`` as ``gemeente_punten.csv`` (sorted by code): run
    ``python -m matcher.geography.geo`` after the gemeente polygons change."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["gemeentecode", "lat", "lon"])
        for code, (lat, lon) in sorted(representative_points().items()):
            out.writerow([code, f"{lat:.4f}", f"{lon:.4f}"])


if __name__ == "__main__":
    write_points(DATA / POINTS_FILE)
