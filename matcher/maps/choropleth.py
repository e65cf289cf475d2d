"""Base layers (one at a time): jeugdregio's coloured by how many of their youths are left
unplaced, or by where their youths go.

A planner looks here first: which regions does the bovenregionale capacity not reach? A youth
counts for the jeugdregio of the home gemeente. Counts of 1-4 share one band, so a region with a
single unplaced youth cannot be told apart from one with four.

"Where youths go" colours each home jeugdregio by the share of its new placements and moves that
stay within its own bovenregio, with the split own jeugdregio / elsewhere in the own bovenregio /
outside it in the tooltip. A region with fewer than 5 gets no share; parts below 5 are shown as
"1-4", and when exactly one part is, the total is banded as well (it would give that part away).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import folium

from matcher.geography.geo import ATTRIBUTION
from matcher.i18n import N_, _
from matcher.instance import Instance
from matcher.maps.privacy import SMALL_BAND, SMALL_COUNT, shown_count
from matcher.maps.shapes import feature_collection, gemeente_shapes, jeugdregio_shapes
from matcher.result import YouthOutcome

REGION_PANE = "regions"
GEMEENTE_PANE = "gemeenten"
REGION_LAYER_NAME = N_("Unplaced youths per jeugdregio")
DESTINATION_LAYER_NAME = N_("Where youths go, per home jeugdregio")
GEMEENTE_LAYER_NAME = N_("Gemeente borders")

#: (lowest count, label, fill colour); a region falls in the last band whose lowest count it reaches.
UNPLACED_BANDS: tuple[tuple[int, str, str], ...] = (
    (0, "0", "#f7f7f7"),
    (1, SMALL_BAND, "#e2dcef"),
    (SMALL_COUNT, f"{SMALL_COUNT}-9", "#bfb2da"),
    (10, "10-24", "#9a84c4"),
    (25, "25-49", "#7552a8"),
    (50, N_("50 or more"), "#4a1f84"),
)
#: (share within the own bovenregio at least, label, colour): ColorBrewer Blues, from its middle
#: on, so that the lightest band stands apart from the near-white of "too few to show".
DESTINATION_BANDS: tuple[tuple[float, str, str], ...] = (
    (0.0, N_("under 50% within own bovenregio"), "#c6dbef"),
    (0.5, N_("50-75% within own bovenregio"), "#6baed6"),
    (0.75, N_("75-90% within own bovenregio"), "#2171b5"),
    (0.9, N_("90% or more within own bovenregio"), "#08519c"),
)
TOO_FEW_COLOUR = "#f7f7f7"
TOO_FEW_LABEL = N_("fewer than 5 new placements")


def unplaced_band(n: int) -> tuple[str, str]:
    """The legend band (label, colour) for a jeugdregio with ``n`` unplaced youths."""
    label, colour = UNPLACED_BANDS[0][1:]
    for lowest, band_label, band_colour in UNPLACED_BANDS:
        if n >= lowest:
            label, colour = band_label, band_colour
    return _(label), colour


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
        name=_(REGION_LAYER_NAME),
        overlay=False,
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.75,
            "color": "#555555",
            "weight": 1,
        },
        highlight_function=lambda feature: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(
            fields=["jeugdregio", "unplaced"], aliases=_("Jeugdregio|Unplaced").split("|")
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
        name=_(GEMEENTE_LAYER_NAME),
        show=False,
        style_function=lambda feature: {"color": "#777777", "weight": 0.6, "fill": False},
        pane=GEMEENTE_PANE,
        interactive=False,
        className="gemeente",
    )


def destinations_by_jeugdregio(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict[str, Counter]:
    """Home jeugdregio -> new placements and moves in the own jeugdregio, elsewhere in the own
    bovenregio, and outside it (by the region map of the instance)."""
    regions = instance.regions
    youth = instance.youth_by_id
    by_region: dict[str, Counter] = {}
    for o in outcomes:
        unit = instance.unit_by_id.get(o.unit_id or "")
        if o.status not in ("placed", "moved") or unit is None or o.youth_id not in youth:
            continue
        home = youth[o.youth_id].home_gemeente
        there = instance.location_by_id[unit.location_id].gemeente
        if regions.jeugdregio_of[home] == regions.jeugdregio_of[there]:
            part = "own_jeugdregio"
        elif regions.bovenregio_of_gemeente(home) == regions.bovenregio_of_gemeente(there):
            part = "own_bovenregio"
        else:
            part = "elsewhere"
        by_region.setdefault(regions.jeugdregio_of[home], Counter())[part] += 1
    return by_region


def destination_band(parts: Counter) -> tuple[str, str]:
    """(label, colour) of a home jeugdregio: its share within the own bovenregio, or "too few"."""
    total = sum(parts.values())
    if total < SMALL_COUNT:
        return _(TOO_FEW_LABEL), TOO_FEW_COLOUR
    share = (parts["own_jeugdregio"] + parts["own_bovenregio"]) / total
    label, colour = DESTINATION_BANDS[0][1:]
    for lowest, band_label, band_colour in DESTINATION_BANDS:
        if share >= lowest:
            label, colour = band_label, band_colour
    return _(label), colour


def destination_counts(parts: Counter) -> dict[str, str]:
    """The tooltip's counts, banded so that no number below 5 can be read or worked out."""
    keys = ("own_jeugdregio", "own_bovenregio", "elsewhere")
    total = sum(parts[k] for k in keys)
    if total < SMALL_COUNT:
        return {"total": shown_count(total), **dict.fromkeys(keys, "–")}
    small = sum(1 for k in keys if 0 < parts[k] < SMALL_COUNT)
    shown_total = str(total) if small != 1 else _("{n} or more").format(n=SMALL_COUNT)
    return {"total": shown_total, **{k: shown_count(parts[k]) for k in keys}}


def destination_layer(instance: Instance, outcomes: Sequence[YouthOutcome]) -> folium.GeoJson:
    """Per home jeugdregio: where its new placements and moves go (a base layer, off at the start)."""
    shapes = jeugdregio_shapes(instance.regions)
    by_region = destinations_by_jeugdregio(instance, outcomes)

    def properties(code: str) -> dict:
        parts = by_region.get(code, Counter())
        band, colour = destination_band(parts)
        return {"jeugdregio": f"{shapes.at[code, 'name']} ({code})", "band": band, "fill": colour,
                **destination_counts(parts)}

    fields = ["jeugdregio", "band", "total", "own_jeugdregio", "own_bovenregio", "elsewhere"]
    aliases = _("Jeugdregio|Share|New placements and moves|In own jeugdregio|Elsewhere in own bovenregio|"
                "Outside own bovenregio").split("|")
    return folium.GeoJson(
        feature_collection(shapes, properties),
        name=_(DESTINATION_LAYER_NAME),
        overlay=False,
        show=False,
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"], "fillOpacity": 0.75, "color": "#555555", "weight": 1,
        },
        highlight_function=lambda feature: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        pane=REGION_PANE,
        className="region destination",
        attribution=ATTRIBUTION,
    )
