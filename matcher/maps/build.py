"""The whole map: base regions, locations, flows, where one more place helps, panel and legend in
one offline HTML file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import folium
from folium.map import CustomPane

from matcher.i18n import N_, _
from matcher.instance import Instance
from matcher.maps.capacity import capacity_layer
from matcher.maps.choropleth import GEMEENTE_PANE, REGION_PANE, destination_layer, gemeente_layer, region_layer
from matcher.maps.flows import FLOW_PANE, aggregate_flows, flow_layers
from matcher.maps.layout import Layout
from matcher.maps.locations import LOCATION_PANE, location_layer
from matcher.maps.offline import external_references, number_elements, use_inline_assets
from matcher.maps.panel import legend, side_panel
from matcher.result import YouthOutcome

#: South-west and north-east corner of the view a map opens with: the whole Netherlands.
NETHERLANDS_BOUNDS = ((50.75, 3.35), (53.55, 7.23))
#: Drawing order, bottom to top: regions, gemeente outlines, flows, locations.
PANES = ((REGION_PANE, 380), (GEMEENTE_PANE, 390), (FLOW_PANE, 410), (LOCATION_PANE, 420))
ONLINE_BACKGROUND_NAME = N_("Background map OpenStreetMap (online)")


def online_background() -> folium.TileLayer:
    """OpenStreetMap tiles, offered but off: switched on, it is the only thing that goes online."""
    return folium.TileLayer("OpenStreetMap", name=_(ONLINE_BACKGROUND_NAME), overlay=True, show=False)


def empty_map() -> folium.Map:
    """A map of the Netherlands with Leaflet inline, the drawing panes and the (off) online background."""
    m = folium.Map(location=(52.2, 5.3), zoom_start=7, tiles=None, control_scale=True, zoom_snap=0.5)
    use_inline_assets(m)
    for name, z_index in PANES:
        CustomPane(name, z_index=z_index, pointer_events=True).add_to(m)
    online_background().add_to(m)
    return m


def finish_map(m: folium.Map) -> folium.Map:
    """The layer switch, the layout (after the switch, so the legend stacks under it), the view."""
    folium.LayerControl(collapsed=False).add_to(m)
    Layout().add_to(m)
    m.fit_bounds(NETHERLANDS_BOUNDS)
    return number_elements(m)


def write_html(m: folium.Map, path) -> Path:
    """Write a map as one self-contained HTML file; refuse if it would load anything online."""
    html = m.get_root().render()
    external = external_references(html)
    if external:
        raise RuntimeError(f"map would load from the network: {', '.join(sorted(set(external)))}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def build_map(instance: Instance, outcomes: Sequence[YouthOutcome], summary: Mapping) -> folium.Map:
    """The reviewer's map of one solution (``outcomes``: one per youth; ``summary``: summary.json)."""
    m = empty_map()
    region_layer(instance, outcomes).add_to(m)
    destination_layer(instance, outcomes).add_to(m)
    gemeente_layer().add_to(m)
    for layer in flow_layers(instance, outcomes):
        layer.add_to(m)
    location_layer(instance, outcomes).add_to(m)
    capacity = capacity_layer(instance, summary)
    if capacity is not None:
        capacity.add_to(m)
    side_panel(instance, summary).add_to(m)
    legend(aggregate_flows(instance, outcomes), with_capacity=capacity is not None).add_to(m)
    return finish_map(m)


def write_map(instance: Instance, outcomes: Sequence[YouthOutcome], summary: Mapping, path) -> Path:
    """Write the map as one self-contained HTML file; refuse if it would load anything online."""
    return write_html(build_map(instance, outcomes, summary), path)
