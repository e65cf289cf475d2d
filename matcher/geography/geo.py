"""Shipped geometry: gemeente and jeugdregio polygons (Kadaster / CBS), loaded on demand."""

from __future__ import annotations

from functools import lru_cache

from matcher.geography.regions import DATA

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
    """A representative point (lat, lon) inside each gemeente polygon, rounded to 1e-4 degrees."""
    pts = gemeenten().geometry.representative_point()
    return {code: (round(p.y, 4), round(p.x, 4)) for code, p in pts.items()}
