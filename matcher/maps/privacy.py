"""Privacy rules every map obeys: small counts are banded, no youth's home point is ever drawn.

Maps are mailed around, so they count as a public aggregate. A number of youths below
``SMALL_COUNT`` could point at one child in a small gemeente; such numbers are shown as the band
"1-4" or left out, never exactly. Points the map does draw (a gemeente's or jeugdregio's anchor)
are moved a little when they happen to coincide with a youth's home point, because a home point
is sometimes a gemeente centroid and the map must not repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Counts of youths below this are never shown exactly on a map.
SMALL_COUNT = 5
SMALL_BAND = f"1-{SMALL_COUNT - 1}"

#: Home points are compared on a grid of this size (degrees, about 10 m); an anchor in the same
#: or a neighbouring cell as any home point is moved.
GRID_DEGREES = 1e-4
#: How far an anchor is moved north when it would coincide with a home point (about 200 m).
NUDGE_DEGREES = 0.002


def shown_count(n: int) -> str:
    """A count as the map may show it: exact from ``SMALL_COUNT`` up, "1-4" below, "0" for none."""
    if n == 0:
        return "0"
    return SMALL_BAND if n < SMALL_COUNT else str(n)


def may_show(n: int) -> bool:
    """A flow of ``n`` youths may be drawn on its own only when it holds enough youths."""
    return n >= SMALL_COUNT


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return round(lat / GRID_DEGREES), round(lon / GRID_DEGREES)


def home_cells(homes: Iterable[tuple[float, float]]) -> frozenset[tuple[int, int]]:
    """The grid cells holding a youth's home point (what an anchor must stay out of)."""
    return frozenset(_cell(lat, lon) for lat, lon in homes)


def _near_a_home(lat: float, lon: float, cells: frozenset[tuple[int, int]]) -> bool:
    i, j = _cell(lat, lon)
    return any((i + di, j + dj) in cells for di in (-1, 0, 1) for dj in (-1, 0, 1))


def away_from_homes(point: tuple[float, float], cells: frozenset[tuple[int, int]]) -> tuple[float, float]:
    """The point itself, or the nearest point a little to the north that is nobody's home point."""
    lat, lon = point
    while _near_a_home(lat, lon, cells):
        lat = round(lat + NUDGE_DEGREES, 6)
    return lat, lon
