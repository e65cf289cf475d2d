"""Flows: where the youths of a gemeente go for their care, drawn without exposing anyone.

Only new placements and moves are flows; a youth who stays shows up in the location's occupancy.
A flow is one home gemeente to one location for one care type (the care type of the unit). A
flow of fewer than ``SMALL_COUNT`` youths is not drawn on its own: such small flows are pooled per
home jeugdregio and location, drawn from the jeugdregio's anchor when the pool is large enough,
and left out otherwise. Lines start at an area's anchor, never at anybody's home point.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import folium

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES, haversine_km
from matcher.instance import Instance
from matcher.maps.privacy import away_from_homes, home_cells, may_show
from matcher.maps.shapes import anchor, gemeente_shapes, jeugdregio_shapes
from matcher.maps.text import number, safe_text
from matcher.regions import gemeente_names
from matcher.result import YouthOutcome

FLOW_PANE = "flows"
#: A flow whose youths travel further than this on average stands out (red, dashed).
LONG_DISTANCE_KM = 100.0
LONG_DISTANCE_COLOUR = "#d7191c"
LONG_DISTANCE_DASH = "10 7"
FLOW_COLOUR = {
    "gesloten": "#252525",
    "driemilieu": "#1f78b4",
    "intensieve_ggz": "#1b9e77",
    "eetstoornis": "#d95f02",
}
FLOWING_STATUSES = ("placed", "moved")


@dataclass(frozen=True)
class Flow:
    """Youths from one area (a gemeente, or a jeugdregio for pooled small flows) to one location."""

    care_type: str
    origin_kind: str  # "gemeente" or "jeugdregio"
    origin: str  # CBS gemeente code or jeugdregio code
    location_id: str
    youths: int
    mean_km: float

    @property
    def is_long(self) -> bool:
        return self.mean_km > LONG_DISTANCE_KM


@dataclass(frozen=True)
class FlowSummary:
    """The flows a map may draw, the care types that have flows, and how many youths were left out."""

    flows: tuple[Flow, ...]
    care_types: tuple[str, ...]
    suppressed_youths: int


def flow_layer_name(care_type: str) -> str:
    return f"Stromen: {CARE_TYPE_LABEL[care_type]}"


def _distance(instance: Instance, outcome: YouthOutcome, location_id: str) -> float:
    """The youth's distance as reported; recomputed from the home point when it is missing."""
    if outcome.distance_km is not None:
        return outcome.distance_km
    youth = instance.youth_by_id[outcome.youth_id]
    location = instance.location_by_id[location_id]
    return instance.settings.road_factor * float(
        haversine_km(youth.home_lat, youth.home_lon, location.lat, location.lon)
    )


def aggregate_flows(instance: Instance, outcomes: Sequence[YouthOutcome]) -> FlowSummary:
    """Group new placements and moves into flows that are large enough to show."""
    by_gemeente: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for outcome in outcomes:
        unit = instance.unit_by_id.get(outcome.unit_id or "")
        if outcome.status not in FLOWING_STATUSES or unit is None or outcome.youth_id not in instance.youth_by_id:
            continue
        home = instance.youth_by_id[outcome.youth_id].home_gemeente
        km = _distance(instance, outcome, unit.location_id)
        by_gemeente[(unit.care_type, home, unit.location_id)].append(km)

    flows: list[Flow] = []
    pooled: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for (care_type, home, location_id), kms in by_gemeente.items():
        if may_show(len(kms)):
            flows.append(Flow(care_type, "gemeente", home, location_id, len(kms), sum(kms) / len(kms)))
        else:
            pooled[(care_type, instance.regions.jeugdregio_of[home], location_id)].extend(kms)
    suppressed = 0
    for (care_type, region, location_id), kms in pooled.items():
        if may_show(len(kms)):
            flows.append(Flow(care_type, "jeugdregio", region, location_id, len(kms), sum(kms) / len(kms)))
        else:
            suppressed += len(kms)

    order = {c: i for i, c in enumerate(CARE_TYPES)}
    flows.sort(key=lambda f: (order[f.care_type], -f.youths, f.origin_kind, f.origin, f.location_id))
    care_types = tuple(sorted({key[0] for key in by_gemeente}, key=order.__getitem__))
    return FlowSummary(tuple(flows), care_types, suppressed)


def flow_anchors(instance: Instance) -> dict[tuple[str, str], tuple[float, float]]:
    """Start point of every gemeente's and jeugdregio's flows, none on a youth's home point."""
    cells = home_cells((y.home_lat, y.home_lon) for y in instance.youths)
    points: dict[tuple[str, str], tuple[float, float]] = {}
    for code, geometry in gemeente_shapes().geometry.items():
        points[("gemeente", code)] = away_from_homes(anchor(geometry), cells)
    for code, geometry in jeugdregio_shapes(instance.regions).geometry.items():
        points[("jeugdregio", code)] = away_from_homes(anchor(geometry), cells)
    return points


def _origin_name(instance: Instance, flow: Flow) -> str:
    if flow.origin_kind == "gemeente":
        return gemeente_names().get(flow.origin, flow.origin)
    return f"jeugdregio {instance.regions.jeugdregio_name.get(flow.origin, flow.origin)}"


def flow_weight(youths: int) -> float:
    """Line width in pixels: grows with the square root of the number of youths."""
    return round(min(2.0 + 2.0 * math.sqrt(youths / 5), 14.0), 1)


def _flow_line(instance: Instance, flow: Flow, start: tuple[float, float]) -> folium.PolyLine:
    location = instance.location_by_id[flow.location_id]
    label = (
        f"{safe_text(_origin_name(instance, flow))} &rarr; {safe_text(location.name or location.location_id)}"
        f" ({safe_text(location.provider)}): {flow.youths} jongeren, gemiddeld {number(flow.mean_km)} km"
        + (" &ndash; lange afstand" if flow.is_long else "")
    )
    line = folium.PolyLine(
        [start, (location.lat, location.lon)],
        color=LONG_DISTANCE_COLOUR if flow.is_long else FLOW_COLOUR[flow.care_type],
        weight=flow_weight(flow.youths),
        opacity=0.85,
        dash_array=LONG_DISTANCE_DASH if flow.is_long else None,
        class_name=f"flow flow-{flow.care_type}" + (" flow-long" if flow.is_long else ""),
        tooltip=label,
    )
    line.options["pane"] = FLOW_PANE  # folium's path options drop ``pane``
    return line


def flow_layers(instance: Instance, outcomes: Sequence[YouthOutcome]) -> list[folium.FeatureGroup]:
    """One switchable layer per care type with new placements or moves, holding its shown flows.

    A gemeente without a shipped outline (a code newer than the shipped map) starts from its
    jeugdregio's anchor; a flow with no outline at either level cannot be placed and is not drawn.
    """
    summary = aggregate_flows(instance, outcomes)
    anchors = flow_anchors(instance) if summary.flows else {}
    groups = {c: folium.FeatureGroup(name=flow_layer_name(c)) for c in summary.care_types}
    for flow in summary.flows:
        region = instance.regions.jeugdregio_of.get(flow.origin, flow.origin)
        start = anchors.get((flow.origin_kind, flow.origin)) or anchors.get(("jeugdregio", region))
        if start is not None:
            _flow_line(instance, flow, start).add_to(groups[flow.care_type])
    return list(groups.values())
