"""Provider locations: how full each one is after the matching.

A circle's size shows the places a location has, its colour how many of them are taken after the
solve (staying, moved in and new youths together), on the cividis scale (light yellow = room,
dark blue = full or above capacity), which reads the same with every kind of colour blindness
and shares no hue with the orange distance scale of the flows. The popup lists every unit; units
and locations are provider information, not personal data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
import folium

from matcher.domain import care_type_name
from matcher.i18n import N_, _, money, percent
from matcher.instance import Instance, Location
from matcher.geography.regions import gemeente_names
from matcher.maps.elements import HtmlPopup
from matcher.maps.text import number, safe_text
from matcher.result import YouthOutcome

LOCATION_PANE = "locations"
LOCATION_LAYER_NAME = N_("Locations (occupancy after matching)")

#: (occupancy below, label, colour) on the cividis scale; the last band catches everything above.
OCCUPANCY_BANDS: tuple[tuple[float, str, str], ...] = (
    (0.75, N_("under 75% occupied"), "#ffe945"),
    (0.95, N_("75-95% occupied"), "#b8ac70"),
    (1.0, N_("95-100% occupied"), "#7d7c78"),
    (1.0 + 1e-9, N_("full"), "#3a4b6d"),
    (math.inf, N_("above capacity"), "#00204c"),
)
NO_PLACES_COLOUR = "#999999"


def occupancy_colour(occupied: int, capacity: int) -> str:
    """Colour for a location with ``occupied`` residents in ``capacity`` places."""
    if capacity <= 0:
        return NO_PLACES_COLOUR
    share = occupied / capacity
    return next(colour for below, _, colour in OCCUPANCY_BANDS if share < below)


def marker_radius(capacity: int) -> float:
    """Circle radius in pixels: area grows with the number of places, within readable bounds."""
    return round(min(3.0 + 1.6 * math.sqrt(max(capacity, 0)), 18.0), 1)


def residents_after(outcomes: Sequence[YouthOutcome], instance: Instance) -> Counter:
    """Residents per unit after the solve: everybody who stays, moves in or is placed there."""
    counts: Counter = Counter()
    for outcome in outcomes:
        if outcome.status != "unplaced" and outcome.unit_id in instance.unit_by_id:
            counts[outcome.unit_id] += 1
    return counts


def _euro(value: float | None) -> str:
    return "" if value is None else money(value, 2)


def _popup_html(location: Location, rows: list[tuple], occupied: int, capacity: int) -> str:
    columns = _("unit|care type|setting|places|occupied|cost/day").split("|")
    head = "".join(f"<th>{h}</th>" for h in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{safe_text(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    title = safe_text(location.name or location.location_id)
    gemeente = safe_text(gemeente_names().get(location.gemeente, location.gemeente))
    return (
        f"<div class='matcher-popup'><b>{title}</b><br>{safe_text(location.provider)}, {gemeente}"
        f" <small>({safe_text(location.location_id)})</small><br>"
        + _("Occupied after matching: {occupied} of {capacity} places").format(occupied=occupied, capacity=capacity)
        + f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def location_layer(instance: Instance, outcomes: Sequence[YouthOutcome]) -> folium.FeatureGroup:
    """One circle marker per provider location, sized by places and coloured by occupancy."""
    residents = residents_after(outcomes, instance)
    units_at: dict[str, list] = {loc.location_id: [] for loc in instance.locations}
    for unit in instance.units:
        units_at.setdefault(unit.location_id, []).append(unit)
    group = folium.FeatureGroup(name=_(LOCATION_LAYER_NAME))
    for location in instance.locations:
        units = units_at[location.location_id]
        capacity = sum(u.capacity for u in units)
        occupied = sum(residents[u.unit_id] for u in units)
        rows = [
            (u.unit_id, care_type_name(u.care_type), u.setting, u.capacity, residents[u.unit_id],
             _euro(u.cost_per_day))
            for u in units
        ]
        colour = occupancy_colour(occupied, capacity)
        share = _("{share} occupied").format(share=percent(occupied / capacity, 0)) if capacity else _("no places")
        title = f"{safe_text(location.name or location.location_id)} ({safe_text(location.provider)})"
        marker = folium.CircleMarker(
            location=(location.lat, location.lon),
            radius=marker_radius(capacity),
            color="#222222",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.85,
            class_name="location",
            tooltip=f"{title}: {share}",
        )
        marker.options["pane"] = LOCATION_PANE  # folium's path options drop ``pane``
        marker.add_child(HtmlPopup(_popup_html(location, rows, occupied, capacity)))
        marker.add_to(group)
    return group
