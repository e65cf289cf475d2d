"""A map per scenario (DIR/<name>/compare.html): what the scenario changes against the baseline.

Three region layers, one at a time: the change in unplaced youths per home jeugdregio (scenario
minus baseline, in the scenario's region map), and the baseline's and the scenario's own unplaced
youths, so the baseline is one toggle away. The locations are coloured by the change in their
occupancy after matching; badges mark the units the scenario closed, split, converted or added.
The same privacy and offline rules as every map: no youth id, no home point, counts below 5 and
changes below 5 banded, nothing loaded from the internet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium

from matcher.domain import care_type_name
from matcher.geography.geo import ATTRIBUTION
from matcher.i18n import N_, _, percent
from matcher.instance import Instance, RegionMap
from matcher.maps.build import empty_map, finish_map, write_html
from matcher.maps.choropleth import REGION_PANE, region_layer
from matcher.maps.elements import HtmlBlock, HtmlPopup
from matcher.maps.locations import LOCATION_PANE, location_layer, marker_radius, residents_after
from matcher.maps.panel import PANEL_CSS
from matcher.maps.privacy import SMALL_COUNT, shown_count
from matcher.maps.shapes import feature_collection, jeugdregio_shapes
from matcher.maps.text import number, safe_text
from matcher.result import YouthOutcome

#: (change at most, label, colour): ColorBrewer PuOr, purple = fewer unplaced, orange = more.
UNPLACED_CHANGE_BANDS: tuple[tuple[float, str, str], ...] = (
    (-SMALL_COUNT, N_("fewer: 5 or more"), "#5e3c99"),
    (-1, N_("fewer: 1-4"), "#b2abd2"),
    (0, N_("no change"), "#f7f7f7"),
    (SMALL_COUNT - 1, N_("more: 1-4"), "#fdb863"),
    (math.inf, N_("more: 5 or more"), "#e66101"),
)
#: (change in occupancy below, label, colour): ColorBrewer BrBG, teal = emptier, brown = fuller.
OCCUPANCY_CHANGE_BANDS: tuple[tuple[float, str, str], ...] = (
    (-0.10, N_("10 pp or more emptier"), "#018571"),
    (-0.02, N_("2-10 pp emptier"), "#80cdc1"),
    (0.02, N_("about the same (within 2 pp)"), "#f5f5f5"),
    (0.10, N_("2-10 pp fuller"), "#dfc27d"),
    (math.inf, N_("10 pp or more fuller"), "#a6611a"),
)
NEW_LOCATION_COLOUR = "#ffffff"
NO_PLACES_LEFT_COLOUR = "#999999"
#: Unit changes: kind -> (badge symbol, words).
CHANGE_KINDS: dict[str, tuple[str, str]] = {
    "closed": ("&times;", N_("unit closed")),
    "split": ("&#8741;", N_("unit split")),
    "converted": ("~", N_("unit converted")),
    "new": ("+", N_("new unit")),
}
CHANGE_COLOUR = "#222222"


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the instance, its outcomes (one per youth) and summary.json."""

    instance: Instance
    outcomes: Sequence[YouthOutcome]
    summary: Mapping


def unit_changes(base: Instance, scenario: Instance) -> dict[str, list[tuple[str, str]]]:
    """location id -> the scenario's unit changes there: (kind, what in words), kinds of ``CHANGE_KINDS``.

    A baseline unit that is gone while units ``<id>-a``, ``<id>-b``, ... appear was split; one that
    is gone without pieces was closed; one with another setting or care type was converted.
    """
    pieces_of: dict[str, list] = {}
    added = []
    for unit in scenario.units:
        if unit.unit_id in base.unit_by_id:
            continue
        parent = unit.unit_id.rsplit("-", 1)[0]
        if parent != unit.unit_id and parent in base.unit_by_id and parent not in scenario.unit_by_id:
            pieces_of.setdefault(parent, []).append(unit)
        else:
            added.append(unit)
    changes: dict[str, list[tuple[str, str]]] = {}
    for unit in base.units:
        now = scenario.unit_by_id.get(unit.unit_id)
        if now is not None and (now.setting, now.care_type) != (unit.setting, unit.care_type):
            text = f"{unit.unit_id}: {unit.setting} &rarr; {now.setting}" + (
                f", {care_type_name(unit.care_type)} &rarr; {care_type_name(now.care_type)}" if now.care_type != unit.care_type else "")
            changes.setdefault(unit.location_id, []).append(("converted", text))
        elif now is None and unit.unit_id in pieces_of:
            pieces = pieces_of[unit.unit_id]
            sizes = "+".join(str(p.capacity) for p in pieces)
            changes.setdefault(unit.location_id, []).append(
                ("split", f"{unit.unit_id} ({unit.capacity}) &rarr; {len(pieces)} &times; ({sizes})"))
        elif now is None:
            changes.setdefault(unit.location_id, []).append(("closed", f"{unit.unit_id} ({unit.capacity})"))
    for unit in added:
        changes.setdefault(unit.location_id, []).append(("new", f"{unit.unit_id} ({unit.capacity}, {unit.setting})"))
    return changes


def unplaced_in(regions: RegionMap, side: Side) -> Counter:
    """Unplaced youths per home jeugdregio of ``regions`` (the scenario's map, for both sides)."""
    youth = side.instance.youth_by_id
    return Counter(regions.jeugdregio_of[youth[o.youth_id].home_gemeente] for o in side.outcomes
                   if o.status == "unplaced" and o.youth_id in youth)


def change_band(change: int) -> tuple[str, str]:
    """(label, colour) of a change in unplaced youths; changes below 5 share a band."""
    return next((_(label), colour) for upto, label, colour in UNPLACED_CHANGE_BANDS if change <= upto)


def unplaced_change_layer(base: Side, scenario: Side) -> folium.GeoJson:
    """Per home jeugdregio (scenario's region map): unplaced in the scenario minus in the baseline."""
    regions = scenario.instance.regions
    shapes = jeugdregio_shapes(regions)
    before, after = unplaced_in(regions, base), unplaced_in(regions, scenario)

    def properties(code: str) -> dict:
        change = after.get(code, 0) - before.get(code, 0)
        band, colour = change_band(change)
        return {"jeugdregio": f"{shapes.at[code, 'name']} ({code})", "before": shown_count(before.get(code, 0)),
                "after": shown_count(after.get(code, 0)), "band": band, "fill": colour}

    return folium.GeoJson(
        feature_collection(shapes, properties),
        name=_("Change in unplaced youths per jeugdregio"),
        overlay=False,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.8, "color": "#555555", "weight": 1},
        highlight_function=lambda f: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=["jeugdregio", "before", "after", "band"],
                                      aliases=_("Jeugdregio|Unplaced, baseline|Unplaced, scenario|Change").split("|")),
        pane=REGION_PANE,
        className="region change",
        attribution=ATTRIBUTION,
    )


def _occupancy(side: Side) -> dict[str, tuple[int, int]]:
    """location id -> (residents after matching, places)."""
    residents = residents_after(side.outcomes, side.instance)
    at: dict[str, list[int]] = {}
    for unit in side.instance.units:
        row = at.setdefault(unit.location_id, [0, 0])
        row[0] += residents[unit.unit_id]
        row[1] += unit.capacity
    return {loc: (r, p) for loc, (r, p) in at.items()}


def occupancy_change_colour(before: tuple[int, int] | None, after: tuple[int, int] | None) -> tuple[str, str]:
    """(label, colour) of a location's change in occupancy; new locations and emptied ones apart."""
    if before is None or before[1] == 0:
        return _("new location"), NEW_LOCATION_COLOUR
    if after is None or after[1] == 0:
        return _("no places left"), NO_PLACES_LEFT_COLOUR
    change = after[0] / after[1] - before[0] / before[1]
    return next((_(label), colour) for below, label, colour in OCCUPANCY_CHANGE_BANDS if change < below)


def _share(row: tuple[int, int] | None) -> str:
    if row is None or row[1] == 0:
        return "–"
    return _("{occupied} of {places} ({share})").format(occupied=row[0], places=row[1], share=percent(row[0] / row[1], 0))


def location_change_layer(base: Side, scenario: Side) -> folium.FeatureGroup:
    """One circle per location of either side, coloured by its change in occupancy after matching."""
    before, after = _occupancy(base), _occupancy(scenario)
    changes = unit_changes(base.instance, scenario.instance)
    locations = {**base.instance.location_by_id, **scenario.instance.location_by_id}
    group = folium.FeatureGroup(name=_("Scenario: change in occupancy per location"))
    for location_id, location in sorted(locations.items()):
        label, colour = occupancy_change_colour(before.get(location_id), after.get(location_id))
        title = safe_text(location.name or location.location_id)
        lines = [_("Occupied, baseline: {value}").format(value=_share(before.get(location_id))),
                 _("Occupied, scenario: {value}").format(value=_share(after.get(location_id))), label]
        lines += [_(CHANGE_KINDS[kind][1]) + f": {text}" for kind, text in changes.get(location_id, [])]
        marker = folium.CircleMarker(
            (location.lat, location.lon), radius=marker_radius((after.get(location_id) or (0, 0))[1]),
            color="#222222", weight=1, fill=True, fill_color=colour, fill_opacity=0.9, class_name="location change",
            tooltip=f"{title}: {label}",
        )
        marker.options["pane"] = LOCATION_PANE
        marker.add_child(HtmlPopup(f"<div class='matcher-popup'><b>{title}</b><br>{'<br>'.join(lines)}</div>"))
        marker.add_to(group)
    return group


def unit_change_layer(base: Side, scenario: Side) -> folium.FeatureGroup:
    """A badge per location where the scenario closed, split, converted or added units."""
    locations = {**base.instance.location_by_id, **scenario.instance.location_by_id}
    group = folium.FeatureGroup(name=_("Units closed, split, converted or new"))
    for location_id, changes in sorted(unit_changes(base.instance, scenario.instance).items()):
        location = locations[location_id]
        kinds = [k for k in CHANGE_KINDS if any(kind == k for kind, _t in changes)]
        badge = "".join(CHANGE_KINDS[k][0] for k in kinds)
        tip = "<br>".join(_(CHANGE_KINDS[kind][1]) + f": {text}" for kind, text in changes)
        folium.Marker(
            (location.lat, location.lon),
            icon=folium.DivIcon(html=f"<div class='matcher-badge' style='background:{CHANGE_COLOUR}'>{badge}</div>",
                                icon_size=(30, 18), icon_anchor=(-6, 22), class_name=" ".join(["unit-change", *kinds])),
            tooltip=f"<b>{safe_text(location.name or location_id)}</b><br>{tip}",
        ).add_to(group)
    return group


def compare_panel(name: str, base: Side, scenario: Side) -> HtmlBlock:
    """Title and the headline figures of both sides; the unit changes counted."""
    counts = Counter(kind for changes in unit_changes(base.instance, scenario.instance).values() for kind, _t in changes)
    labels = _("Unplaced|Newly placed|Cost of the care given per year").split("|")
    values = [[s.summary.get("unplaced"), s.summary.get("placed"), (s.summary.get("kpis") or {}).get("cost_per_year_total")]
              for s in (base, scenario)]

    def cell(value, money_: bool) -> str:
        return "–" if value is None else ("€ " if money_ else "") + number(value)

    body = "".join(f"<tr><td>{label}</td><td class='num'>{cell(values[0][i], i == 2)}</td>"
                   f"<td class='num'>{cell(values[1][i], i == 2)}</td></tr>" for i, label in enumerate(labels))
    units = ", ".join(_(CHANGE_KINDS[k][1]) + f": {counts[k]}" for k in CHANGE_KINDS if counts[k]) or "–"
    head = _("baseline|scenario").split("|")
    title = _("Scenario {name} against the baseline").format(name=safe_text(name))
    changed = _("Units changed: {units}").format(units=units)
    hint = _("The baseline is one click away in the layer switch.") + " " + _("Borders: {credit}.").format(
        credit=safe_text(ATTRIBUTION))
    html = (
        f"<div id='matcher-panel' class='matcher-box'><details open><summary>{title}</summary>"
        f"<table><tr><th></th><th class='num'>{head[0]}</th><th class='num'>{head[1]}</th></tr>{body}</table>"
        f"<div>{changed}</div><div class='credit'>{hint}</div></details></div>"
    )
    return HtmlBlock("ComparePanel", html, PANEL_CSS)


def _swatches(bands, kind: str) -> str:
    return "".join(f"<div><span class='{kind}' style='background:{colour}'></span>" + _(label) + "</div>"
                   for _b, label, colour in bands)


def compare_legend() -> HtmlBlock:
    """Colours of the changes and the unit badges."""
    badges = "".join(f"<div><span class='matcher-badge' style='background:{CHANGE_COLOUR}'>{symbol}</span> "
                     + _(words) + "</div>" for symbol, words in CHANGE_KINDS.values())
    others = ((0, N_("new location"), NEW_LOCATION_COLOUR), (0, N_("no places left"), NO_PLACES_LEFT_COLOUR))
    words = {
        "legend": _("Legend"),
        "unplaced": _("Change in unplaced youths per jeugdregio"),
        "occupancy": _("Scenario: change in occupancy per location"),
        "units": _("Units closed, split, converted or new"),
        "privacy": _("Changes of 1 to 4 youths are shown as a band, as are counts below 5."),
    }
    html = (
        f"<div id='matcher-legend' class='matcher-box'><details open><summary>{words['legend']}</summary>"
        f"<div><b>{words['unplaced']}</b></div>{_swatches(UNPLACED_CHANGE_BANDS, 'matcher-swatch')}"
        f"<div style='margin-top:4px'><b>{words['occupancy']}</b></div>"
        f"{_swatches(OCCUPANCY_CHANGE_BANDS, 'matcher-dot')}{_swatches(others, 'matcher-dot')}"
        f"<div style='margin-top:4px'><b>{words['units']}</b></div>{badges}"
        f"<div class='credit'>{words['privacy']}</div></details></div>"
    )
    return HtmlBlock("CompareLegend", html)


def build_compare_map(name: str, base: Side, scenario: Side) -> folium.Map:
    """The scenario's comparison map: changes first, the baseline and the scenario one toggle away."""
    m = empty_map()
    unplaced_change_layer(base, scenario).add_to(m)
    for side, words in ((base, N_("Baseline: unplaced per jeugdregio")), (scenario, N_("Scenario: unplaced per jeugdregio"))):
        layer = region_layer(side.instance, side.outcomes)
        layer.layer_name, layer.show = _(words), False
        layer.add_to(m)
    location_change_layer(base, scenario).add_to(m)
    for side, words in ((base, N_("Baseline: locations (occupancy)")), (scenario, N_("Scenario: locations (occupancy)"))):
        layer = location_layer(side.instance, side.outcomes)
        layer.layer_name, layer.show = _(words), False
        layer.add_to(m)
    unit_change_layer(base, scenario).add_to(m)
    compare_panel(name, base, scenario).add_to(m)
    compare_legend().add_to(m)
    return finish_map(m)


def write_compare_map(name: str, base: Side, scenario: Side, path):
    """Write DIR/<name>/compare.html; refuses a page that would load anything online."""
    return write_html(build_compare_map(name, base, scenario), path)
