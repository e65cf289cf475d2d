"""The gemeenten's points as shipped (gemeente_punten.csv) are the ones the polygons give."""

from __future__ import annotations

from matcher.geography.geo import gemeente_points, representative_points
from matcher.geography.regions import shipped_region_map


def test_the_shipped_points_are_the_polygons_representative_points():
    """Every gemeente's point, read from the CSV, equals the one computed from gemeenten.geojson
    (regenerate with ``python -m matcher.geography.geo`` when the polygons change)."""
    assert gemeente_points() == representative_points()


def test_every_gemeente_of_the_region_map_has_a_point():
    assert set(gemeente_points()) == set(shipped_region_map().jeugdregio_of)
