"""Maps a reviewer can open anywhere: one self-contained, offline HTML file per solution.

``build_map`` returns the folium map, ``write_map`` writes it; each layer has its own function
(``region_layer``, ``destination_layer``, ``location_layer``, ``flow_layers``, ``capacity_layer``,
``side_panel``) returning the folium object.
"""

from matcher.maps.build import build_map, write_map
from matcher.maps.capacity import capacity_layer
from matcher.maps.choropleth import destination_layer, gemeente_layer, region_layer
from matcher.maps.flows import aggregate_flows, flow_layers
from matcher.maps.locations import location_layer
from matcher.maps.panel import legend, side_panel
from matcher.input.solution import read_assignments

__all__ = [
    "aggregate_flows",
    "build_map",
    "capacity_layer",
    "destination_layer",
    "flow_layers",
    "gemeente_layer",
    "legend",
    "location_layer",
    "read_assignments",
    "region_layer",
    "side_panel",
    "write_map",
]
