"""Base layers: jeugdregio's coloured by how many of their youths are left unplaced.

A planner looks here first: which regions does the bovenregionale capacity not reach? A youth
counts for the jeugdregio of the home gemeente. Counts of 1-4 share one band, so a region with a
single unplaced youth cannot be told apart from one with four.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import folium

from matcher.geo import ATTRIBUTION
from matcher.instance import Instance
from matcher.maps.privacy import SMALL_BAND, SMALL_COUNT, shown_count
from matcher.maps.shapes import feature_collection, gemeente_shapes, jeugdregio_shapes
from matcher.result import YouthOutcome

REGION_PANE = "regions"
GEMEENTE_PANE = "gemeenten"
REGION_LAYER_NAME = "Ongeplaatst per jeugdregio"
GEMEENTE_LAYER_NAME = "Gemeentegrenzen"

#: (lowest count, label, fill colour); a region falls in the last band whose lowest count it reaches.
UNPLACED_BANDS: tuple[tuple[int, str, str], ...] = (
    (0, "0", "#f7f7f7"),
    (1, SMALL_BAND, "#e2dcef"),
    (SMALL_COUNT, f"{SMALL_COUNT}-9", "#bfb2da"),
    (10, "10-24", "#9a84c4"),
    (25, "25-49", "#7552a8"),
    (50, "50 of meer", "#4a1f84"),
)


def unplaced_band(n: int) -> tuple[str, str]:
    """The legend band (label, colour) for a jeugdregio with ``n`` unplaced youths."""
    label, colour = UNPLACED_BANDS[0][1:]
    for lowest, band_label, band_colour in UNPLACED_BANDS:
        if n >= lowest:
            label, colour = band_label, band_colour
    return label, colour


def unplaced_by_jeugdregio(instance: Instance, outcomes: Sequence[YouthOutcome]) -> Counter:
    """Unplaced youths per home jeugdregio (the region whose youths are waiting)."""
    youth = instance.youth_by_id
    counts: Counter = Counter()
    for outcome in outcomes:
        if outcome.status == "unplaced":
            home = youth[outcome.youth_id].home_gemeente if outcome.youth_id in youth else None
            region = instance.regions.jeugdregio_of.get(home, outcome.home_jeugdregio)
            counts[region] += 1
    return counts


def region_layer(instance: Instance, outcomes: Sequence[YouthOutcome]) -> folium.GeoJson:
    """One polygon per jeugdregio, filled by its band of unplaced youths, with a tooltip."""
    shapes = jeugdregio_shapes(instance.regions)
    counts = unplaced_by_jeugdregio(instance, outcomes)

    def properties(code: str) -> dict:
        band, colour = unplaced_band(counts.get(code, 0))
        return {
            "jeugdregio": f"{shapes.at[code, 'name']} ({code})",
            "unplaced": shown_count(counts.get(code, 0)),
            "band": band,
            "fill": colour,
        }

    return folium.GeoJson(
        feature_collection(shapes, properties),
        name=REGION_LAYER_NAME,
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.75,
            "color": "#555555",
            "weight": 1,
        },
        highlight_function=lambda feature: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(
            fields=["jeugdregio", "unplaced"], aliases=["Jeugdregio", "Ongeplaatst"]
        ),
        pane=REGION_PANE,
        className="region",
        attribution=ATTRIBUTION,
    )


def gemeente_layer() -> folium.GeoJson:
    """Gemeente outlines for orientation; off until a reviewer switches them on."""
    shapes = gemeente_shapes()
    return folium.GeoJson(
        feature_collection(shapes, lambda code: {}),
        name=GEMEENTE_LAYER_NAME,
        show=False,
        style_function=lambda feature: {"color": "#777777", "weight": 0.6, "fill": False},
        pane=GEMEENTE_PANE,
        interactive=False,
        className="gemeente",
    )
