"""Where one more place helps most, on the map: a badge at each location of summary.json's
``marginal_capacity`` list.

A badge "+1" marks a location with a unit whose next place lowers the objective most, "+k" one
where a new small-scale unit of k places would; the tooltip gives the saving and how it is known
(solved again, or an estimate from the relaxation). Which youths a place would take is left out:
the map names no youth.
"""

from __future__ import annotations

from collections.abc import Mapping

import folium

from matcher.domain import care_type_name
from matcher.i18n import N_, _
from matcher.instance import Instance
from matcher.maps.text import number, safe_text
from matcher.wording import how_known, saving_of

CAPACITY_LAYER_NAME = N_("Where one more place helps most")
BADGE_COLOUR = "#c51b7d"
#: At most this many existing units and new units get a badge.
BADGES = 10


def _entries(marginal: Mapping) -> dict[str, list[tuple[dict, bool]]]:
    """location id -> its rows (row, is a new unit), best first, as many as ``BADGES`` of each kind."""
    at: dict[str, list[tuple[dict, bool]]] = {}
    for new, rows in ((False, marginal.get("units") or []), (True, marginal.get("new_units") or [])):
        for row in rows[:BADGES]:
            at.setdefault(row["location_id"], []).append((row, new))
    return at


def _line(row: dict, new: bool, places: int) -> str:
    what = (_("new small-scale unit of {k} places, {care_type}").format(k=places, care_type=care_type_name(row["care_type"]))
            if new else _("one more place in {unit} ({care_type}, {setting})").format(
                unit=safe_text(row["unit_id"]), care_type=care_type_name(row["care_type"]), setting=row["setting"]))
    return _("{what}: objective {saving} points lower, {how}").format(
        what=what, saving=number(saving_of(row), 1), how=how_known(row))


def capacity_layer(instance: Instance, summary: Mapping) -> folium.FeatureGroup | None:
    """One badge per location with a unit (or new unit) in the marginal-capacity list; None without a list."""
    marginal = summary.get("marginal_capacity")
    if not marginal:
        return None
    places = int(marginal.get("new_unit_places") or 0)
    group = folium.FeatureGroup(name=_(CAPACITY_LAYER_NAME))
    for location_id, rows in sorted(_entries(marginal).items()):
        location = instance.location_by_id.get(location_id)
        if location is None:
            continue
        only_new = all(new for _row, new in rows)
        label = f"+{places}" if only_new else "+1"
        title = safe_text(location.name or location.location_id)
        tip = f"<b>{title}</b><br>" + "<br>".join(_line(row, new, places) for row, new in rows)
        badge = (f"<div class='matcher-badge' style='background:{BADGE_COLOUR}'>{label}</div>")
        folium.Marker(
            (location.lat, location.lon),
            icon=folium.DivIcon(html=badge, icon_size=(26, 18), icon_anchor=(-6, 22), class_name="capacity"),
            tooltip=tip,
        ).add_to(group)
    return group
