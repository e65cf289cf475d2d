"""Map geometry: the shipped outlines, simplified so a map file stays small enough to mail.

The shipped polygons are already generalised for national maps; here they are simplified once
more as a coverage (neighbours keep a shared border, so no slivers appear between regions) and
their coordinates rounded to about 10 m. Each gemeente and jeugdregio also gets an anchor: the
point where flows of its youths start.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import mapping

from matcher.geography import geo
from matcher.instance import RegionMap
from matcher.geography.regions import shipped_region_map

#: Simplification tolerance in degrees (about 500 m): invisible at the scale of a jeugdregio.
SIMPLIFY_DEGREES = 0.005
#: Decimals kept for outline coordinates (about 10 m).
OUTLINE_DECIMALS = 4
#: Decimals kept for anchors (about 100 m): an anchor stands for a whole area, not a place in it.
ANCHOR_DECIMALS = 3


def _simplify(geometries: np.ndarray) -> np.ndarray:
    """Simplify a coverage keeping shared borders; plain simplification on older GEOS."""
    try:
        simple = shapely.coverage_simplify(geometries, SIMPLIFY_DEGREES)
    except (AttributeError, shapely.errors.UnsupportedGEOSVersionError):
        simple = shapely.simplify(geometries, SIMPLIFY_DEGREES, preserve_topology=True)
    return shapely.transform(simple, lambda xy: np.round(xy, OUTLINE_DECIMALS))


@lru_cache(maxsize=1)
def gemeente_shapes():
    """Simplified gemeente outlines: GeoDataFrame indexed by CBS code with ``name``."""
    frame = geo.gemeenten()[["gemeentenaam", "geometry"]].rename(columns={"gemeentenaam": "name"})
    frame = frame.copy()
    frame["geometry"] = _simplify(frame.geometry.values)
    return frame


@lru_cache(maxsize=1)
def _shipped_jeugdregio_shapes():
    frame = geo.jeugdregios()[["jeugdregio_naam", "geometry"]].rename(columns={"jeugdregio_naam": "name"})
    frame = frame.copy()
    frame["geometry"] = _simplify(frame.geometry.values)
    return frame


def jeugdregio_shapes(regions: RegionMap):
    """Simplified jeugdregio outlines for the instance's own region map.

    With the shipped map these are the shipped 42 jeugdregio's. An instance with its own
    regions.csv (a merger scenario, say) gets its regions drawn as the union of their gemeenten,
    so the map always shows the regions the solve actually used.
    """
    if dict(regions.jeugdregio_of) == dict(shipped_region_map().jeugdregio_of):
        frame = _shipped_jeugdregio_shapes().copy()
    else:
        gemeenten = gemeente_shapes()
        known = gemeenten.index.intersection(list(regions.jeugdregio_of))
        parts = gemeenten.loc[known, ["geometry"]].copy()
        parts["jeugdregio"] = [regions.jeugdregio_of[code] for code in known]
        frame = parts.dissolve(by="jeugdregio")[["geometry"]]
        frame["name"] = [code for code in frame.index]
    frame["name"] = [regions.jeugdregio_name.get(code, name) for code, name in frame["name"].items()]
    return frame.sort_index()


def anchor(geometry) -> tuple[float, float]:
    """A point inside an area, as (lat, lon), rounded: where the area's flows start."""
    point = geometry.representative_point()
    return round(point.y, ANCHOR_DECIMALS), round(point.x, ANCHOR_DECIMALS)


def feature_collection(frame, properties) -> dict:
    """GeoJSON of a shapes frame; ``properties(code)`` gives each feature's properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": properties(code), "geometry": mapping(geom)}
            for code, geom in frame.geometry.items()
        ],
    }
