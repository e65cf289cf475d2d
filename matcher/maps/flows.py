"""Flows: where youths go for their care, drawn as finely as privacy allows and no finer.

Only new placements and moves are flows; a youth who stays shows up in the location's occupancy.
A flow belongs to the care type of the unit. No line stands for fewer than ``SMALL_COUNT``
youths, so small flows are pooled step by step, each step taking only what the step before could
not show:

1. home gemeente -> location;
2. home jeugdregio -> location;
3. home bovenregio -> location;
4. home bovenregio -> the location's bovenregio (a ring when both are the same bovenregio);
5. what is still too small in its own care type: home bovenregio -> location's bovenregio over
   all care types together, in a layer of its own.

What stays below ``SMALL_COUNT`` after the last step is left out and only counted. Every youth is
in exactly one shown flow or in that count. A flow within one bovenregio to several locations is
not drawn as a line (a ring would read like a catchment area): those youths are in the layer
"where youths go" (``choropleth.destination_layer``), per home jeugdregio. Lines start at an
area's anchor (a point inside the gemeente or jeugdregio, or the youth-population-weighted middle
of a bovenregio), never at anybody's home point. Colour is the mean distance (an orange scale,
apart from the occupancy scale of the locations), dash pattern the pooling step, width the
number of youths.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import folium
import shapely
from shapely.geometry import Point

from matcher.domain import CARE_TYPES, care_type_name, haversine_km
from matcher.i18n import N_, _
from matcher.instance import Instance, RegionMap
from matcher.maps.privacy import away_from_homes, home_cells, may_show
from matcher.maps.shapes import ANCHOR_DECIMALS, anchor, gemeente_shapes, jeugdregio_shapes
from matcher.maps.text import number, safe_text
from matcher.geography.regions import DATA, gemeente_names
from matcher.result import YouthOutcome

FLOW_PANE = "flows"
#: A flow whose youths travel further than this on average is "long" (darkest band).
LONG_DISTANCE_KM = 100.0
#: (mean km below, label, colour): a sequential orange scale (ColorBrewer Oranges, colour-blind
#: safe), a hue family of its own: occupancy is yellow-grey-blue, unplaced youths purple.
DISTANCE_BANDS: tuple[tuple[float, str, str], ...] = (
    (25.0, N_("under 25 km"), "#fdae6b"),
    (50.0, N_("25-50 km"), "#f16913"),
    (LONG_DISTANCE_KM, N_("50-100 km"), "#c44103"),
    (math.inf, N_("100 km or more"), "#6b2106"),
)
LONG_DISTANCE_COLOUR = DISTANCE_BANDS[-1][2]
#: The "care type" of the last pooling step, where care types are counted together.
ALL_CARE_TYPES = "alle"
ALL_CARE_TYPES_LABEL = N_("all care types together")
FLOWING_STATUSES = ("placed", "moved")
LAYER_ORDER = (*CARE_TYPES, ALL_CARE_TYPES)


@dataclass(frozen=True)
class Level:
    """One step of the pooling: from which area, to a location or to a bovenregio, and its look.

    The coarser the step, the thinner, lighter and more broken the line, so that a reviewer sees at
    a glance how precise a line is.
    """

    name: str
    origin_kind: str  # "gemeente", "jeugdregio" or "bovenregio"
    to_location: bool
    pooled_words: str  # how the tooltip says where the youths were pooled ("" for none)
    weight_factor: float
    dash: str | None
    opacity: float
    legend_words: str


LEVELS = (
    Level("gemeente", "gemeente", True, "", 1.0, None, 0.9, N_("gemeente &rarr; location")),
    Level("jeugdregio", "jeugdregio", True, N_("pooled at jeugdregio level"), 0.8, "10 6", 0.9,
          N_("jeugdregio &rarr; location")),
    Level("bovenregio", "bovenregio", True, N_("pooled at bovenregio level"), 0.7, "5 6", 0.9,
          N_("bovenregio &rarr; location")),
    Level("bovenregio_paar", "bovenregio", False, N_("pooled at bovenregio level"), 0.6, "1 7", 0.95,
          N_("bovenregio &rarr; another bovenregio")),
)
LEVEL = {level.name: level for level in LEVELS}
#: Coarse lines are thin, but never so thin that their dots disappear.
MIN_WEIGHT = 2.5
#: How far a bovenregio -> bovenregio arc bows out, as a share of its length, per layer.
ARC_BOW = 0.10
ARC_BOW_STEP = 0.05
ARC_POINTS = 16


@dataclass(frozen=True)
class Flow:
    """Youths of one care type (or of all together) from one area to one location or bovenregio."""

    care_type: str  # a care type, or ALL_CARE_TYPES
    level: str  # a Level name
    origin: str  # CBS gemeente code, jeugdregio code or bovenregio name
    destination: str  # location id, or the location's bovenregio for "bovenregio_paar"
    youths: int
    mean_km: float

    @property
    def origin_kind(self) -> str:
        return LEVEL[self.level].origin_kind

    @property
    def to_location(self) -> bool:
        return LEVEL[self.level].to_location

    @property
    def is_pooled(self) -> bool:
        return self.level != "gemeente"

    @property
    def within_bovenregio(self) -> bool:
        return not self.to_location and self.origin == self.destination

    @property
    def is_long(self) -> bool:
        return self.mean_km > LONG_DISTANCE_KM


@dataclass(frozen=True)
class FlowSummary:
    """The flows a map may draw, the layers that hold them, and how many youths were left out.

    ``total_youths`` counts every new placement and move; each of them is in exactly one flow or
    in ``suppressed_youths``.
    """

    flows: tuple[Flow, ...]
    care_types: tuple[str, ...]  # layers with at least one flow, ALL_CARE_TYPES last
    suppressed_youths: int
    total_youths: int

    @property
    def shown_youths(self) -> int:
        return sum(f.youths for f in self.flows)

    @property
    def drawn(self) -> tuple[Flow, ...]:
        """The flows drawn as lines: all but those within one bovenregio to several locations."""
        return tuple(f for f in self.flows if not f.within_bovenregio)

    @property
    def within_bovenregio_youths(self) -> int:
        """Youths of flows within their own bovenregio, shown per home jeugdregio instead of as a line."""
        return sum(f.youths for f in self.flows if f.within_bovenregio)

    @property
    def drawn_care_types(self) -> tuple[str, ...]:
        """The layers that hold at least one line, in layer order."""
        return tuple(c for c in self.care_types if any(f.care_type == c for f in self.drawn))


@dataclass(frozen=True)
class _Trip:
    """One youth's new placement or move, reduced to what pooling needs (no id, no home point)."""

    care_type: str
    gemeente: str
    jeugdregio: str
    bovenregio: str
    location_id: str
    location_bovenregio: str
    km: float


def flow_layer_name(care_type: str) -> str:
    return _("Flows: {care_type}").format(care_type=care_type_words(care_type))


def care_type_words(care_type: str) -> str:
    return _(ALL_CARE_TYPES_LABEL) if care_type == ALL_CARE_TYPES else care_type_name(care_type)


def distance_colour(mean_km: float) -> str:
    """The colour of a line whose youths travel ``mean_km`` on average."""
    return next(colour for below, _label, colour in DISTANCE_BANDS if mean_km < below)


def _distance(instance: Instance, outcome: YouthOutcome, location_id: str) -> float:
    """The youth's distance as reported; recomputed from the home point when it is missing."""
    if outcome.distance_km is not None:
        return outcome.distance_km
    youth = instance.youth_by_id[outcome.youth_id]
    location = instance.location_by_id[location_id]
    return instance.settings.road_factor * float(
        haversine_km(youth.home_lat, youth.home_lon, location.lat, location.lon)
    )


def _trips(instance: Instance, outcomes: Sequence[YouthOutcome]) -> list[_Trip]:
    regions = instance.regions
    trips = []
    for outcome in outcomes:
        unit = instance.unit_by_id.get(outcome.unit_id or "")
        if outcome.status not in FLOWING_STATUSES or unit is None or outcome.youth_id not in instance.youth_by_id:
            continue
        home = instance.youth_by_id[outcome.youth_id].home_gemeente
        location = instance.location_by_id[unit.location_id]
        trips.append(_Trip(
            care_type=unit.care_type,
            gemeente=home,
            jeugdregio=regions.jeugdregio_of[home],
            bovenregio=regions.bovenregio_of_gemeente(home),
            location_id=unit.location_id,
            location_bovenregio=regions.bovenregio_of_gemeente(location.gemeente),
            km=_distance(instance, outcome, unit.location_id),
        ))
    return trips


def _origin_of(trip: _Trip, level: Level) -> str:
    return getattr(trip, level.origin_kind)


def _destination_of(trip: _Trip, level: Level) -> str:
    return trip.location_id if level.to_location else trip.location_bovenregio


def _pool_step(
    trips: Iterable[_Trip], level: Level, care_type_of: Callable[[_Trip], str]
) -> tuple[list[Flow], list[_Trip]]:
    """One pooling step: the groups large enough to show become flows, the rest goes on."""
    groups: dict[tuple[str, str, str], list[_Trip]] = defaultdict(list)
    for trip in trips:
        groups[(care_type_of(trip), _origin_of(trip, level), _destination_of(trip, level))].append(trip)
    flows: list[Flow] = []
    left: list[_Trip] = []
    for (care_type, origin, destination), group in sorted(groups.items()):
        if may_show(len(group)):
            mean_km = sum(t.km for t in group) / len(group)
            flows.append(Flow(care_type, level.name, origin, destination, len(group), mean_km))
        else:
            left.extend(group)
    return flows, left


def aggregate_flows(instance: Instance, outcomes: Sequence[YouthOutcome]) -> FlowSummary:
    """Pool new placements and moves until every group is large enough to show, or left over.

    Within a care type the steps go gemeente, jeugdregio, bovenregio -> location, then bovenregio
    -> bovenregio; what is then still too small is pooled over all care types per pair of
    bovenregio's, and only what is too small even there is left out.
    """
    trips = _trips(instance, outcomes)
    flows: list[Flow] = []
    left: list[_Trip] = trips
    for level in LEVELS:
        shown, left = _pool_step(left, level, lambda t: t.care_type)
        flows += shown
    shown, left = _pool_step(left, LEVEL["bovenregio_paar"], lambda t: ALL_CARE_TYPES)
    flows += shown

    order = {c: i for i, c in enumerate(LAYER_ORDER)}
    depth = {level.name: i for i, level in enumerate(LEVELS)}
    flows.sort(key=lambda f: (order[f.care_type], depth[f.level], -f.youths, f.origin, f.destination))
    care_types = tuple(sorted({f.care_type for f in flows}, key=order.__getitem__))
    return FlowSummary(tuple(flows), care_types, len(left), len(trips))


@lru_cache(maxsize=1)
def _youth_population() -> dict[str, float]:
    """Estimated 0-17 year olds per gemeente (CBS 2023), to weigh where a bovenregio's youths live."""
    with (DATA / "bevolking_gemeente.csv").open(encoding="utf-8") as f:
        return {r["gemeentecode"]: float(r["jeugd_0_17_est"]) for r in csv.DictReader(f)}


def bovenregio_points(regions: RegionMap) -> dict[str, tuple[float, float]]:
    """Where a bovenregio's pooled flows start: the middle of its jeugdregio's, weighed by youths.

    The jeugdregio anchors are averaged, each weighed by its estimated number of 0-17 year olds, so
    the point sits where most of the bovenregio's youths live. When that middle falls outside the
    bovenregio (a bay, a neighbour's land), the jeugdregio anchor nearest to it is used instead.
    """
    shapes = jeugdregio_shapes(regions)
    population = _youth_population()
    youths_in: dict[str, float] = defaultdict(float)
    for gemeente, jeugdregio in regions.jeugdregio_of.items():
        youths_in[jeugdregio] += population.get(gemeente, 0.0)
    members: dict[str, list[str]] = defaultdict(list)
    for jeugdregio in shapes.index:
        members[regions.bovenregio_of[jeugdregio]].append(jeugdregio)

    points: dict[str, tuple[float, float]] = {}
    for bovenregio, jeugdregios in sorted(members.items()):
        anchors = [anchor(shapes.geometry[j]) for j in jeugdregios]
        weights = [youths_in[j] for j in jeugdregios]
        if sum(weights) <= 0:
            weights = [1.0] * len(jeugdregios)
        lat = sum(w * a[0] for w, a in zip(weights, anchors)) / sum(weights)
        lon = sum(w * a[1] for w, a in zip(weights, anchors)) / sum(weights)
        area = shapely.union_all([shapes.geometry[j] for j in jeugdregios])
        if not area.contains(Point(lon, lat)):
            lat, lon = min(anchors, key=lambda a: (a[0] - lat) ** 2 + (a[1] - lon) ** 2)
        points[bovenregio] = (round(lat, ANCHOR_DECIMALS), round(lon, ANCHOR_DECIMALS))
    return points


def flow_anchors(instance: Instance) -> dict[tuple[str, str], tuple[float, float]]:
    """Start point of every gemeente's, jeugdregio's and bovenregio's flows, none on a home point."""
    cells = home_cells((y.home_lat, y.home_lon) for y in instance.youths)
    points: dict[tuple[str, str], tuple[float, float]] = {}
    for code, geometry in gemeente_shapes().geometry.items():
        points[("gemeente", code)] = away_from_homes(anchor(geometry), cells)
    for code, geometry in jeugdregio_shapes(instance.regions).geometry.items():
        points[("jeugdregio", code)] = away_from_homes(anchor(geometry), cells)
    for name, point in bovenregio_points(instance.regions).items():
        points[("bovenregio", name)] = away_from_homes(point, cells)
    return points


def _area_name(instance: Instance, kind: str, code: str) -> str:
    if kind == "gemeente":
        return gemeente_names().get(code, code)
    if kind == "jeugdregio":
        return _("jeugdregio {name}").format(name=instance.regions.jeugdregio_name.get(code, code))
    return _("bovenregio {name}").format(name=code)


def _route(instance: Instance, flow: Flow) -> str:
    origin = safe_text(_area_name(instance, flow.origin_kind, flow.origin))
    if flow.within_bovenregio:
        return _("within {area}, to several locations").format(area=origin)
    if not flow.to_location:
        destination = safe_text(_area_name(instance, "bovenregio", flow.destination))
        return _("{origin} &rarr; {destination}, to several locations").format(origin=origin, destination=destination)
    location = instance.location_by_id[flow.destination]
    return (
        f"{origin} &rarr; {safe_text(location.name or location.location_id)} ({safe_text(location.provider)})"
    )


def flow_tooltip(instance: Instance, flow: Flow) -> str:
    """What a reviewer reads on hovering a line: route, how it was pooled, youths, mean distance."""
    level = LEVEL[flow.level]
    count = _("{n} youths").format(n=number(flow.youths))
    if level.pooled_words:
        count = _(level.pooled_words) + ": " + count
    care = "" if flow.care_type != ALL_CARE_TYPES else " (" + _(ALL_CARE_TYPES_LABEL) + ")"
    text = _("{count}, on average {km} km").format(count=count + care, km=number(flow.mean_km))
    return f"{_route(instance, flow)}<br>{text}" + (" &ndash; " + _("long distance") if flow.is_long else "")


def flow_weight(youths: int) -> float:
    """Line width in pixels: grows with the square root of the number of youths."""
    return round(min(2.0 + 2.0 * math.sqrt(youths / 5), 14.0), 1)


def _style(flow: Flow) -> dict:
    level = LEVEL[flow.level]
    return dict(
        color=distance_colour(flow.mean_km),
        weight=round(max(flow_weight(flow.youths) * level.weight_factor, MIN_WEIGHT), 1),
        opacity=level.opacity,
        dash_array=level.dash,
        class_name=f"flow flow-{flow.care_type} flow-level-{flow.level}" + (" flow-long" if flow.is_long else ""),
    )


def arc(start: tuple[float, float], end: tuple[float, float], bow: float) -> list[tuple[float, float]]:
    """A gently bowed line from start to end, so region-to-region lines of different layers part.

    A quadratic curve whose middle lies ``bow`` times the line's length to the right of the
    straight line; the points are rounded like anchors.
    """
    (lat0, lon0), (lat1, lon1) = start, end
    mid_lat, mid_lon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    ctrl_lat, ctrl_lon = mid_lat - 2 * bow * (lon1 - lon0), mid_lon + 2 * bow * (lat1 - lat0)
    points = []
    for i in range(ARC_POINTS + 1):
        t = i / ARC_POINTS
        lat = (1 - t) ** 2 * lat0 + 2 * (1 - t) * t * ctrl_lat + t**2 * lat1
        lon = (1 - t) ** 2 * lon0 + 2 * (1 - t) * t * ctrl_lon + t**2 * lon1
        points.append((round(lat, ANCHOR_DECIMALS), round(lon, ANCHOR_DECIMALS)))
    points[0], points[-1] = start, end
    return points


def _flow_mark(instance: Instance, flow: Flow, start, end, cells) -> folium.PolyLine:
    """The line that draws one flow (never a flow within one bovenregio: see the module docstring)."""
    style = {**_style(flow), "tooltip": flow_tooltip(instance, flow)}
    layer = LAYER_ORDER.index(flow.care_type)
    if flow.to_location:
        mark = folium.PolyLine([start, end], **style)
    else:
        points = [away_from_homes(p, cells) for p in arc(start, end, ARC_BOW + ARC_BOW_STEP * layer)]
        mark = folium.PolyLine(points, **style)
    mark.options["pane"] = FLOW_PANE  # folium's path options drop ``pane``
    return mark


def _start(anchors, instance: Instance, flow: Flow):
    """A flow's start; a gemeente without a shipped outline starts at its jeugdregio's anchor."""
    point = anchors.get((flow.origin_kind, flow.origin))
    if point is None and flow.origin_kind == "gemeente":
        point = anchors.get(("jeugdregio", instance.regions.jeugdregio_of.get(flow.origin, "")))
    return point


def _end(anchors, instance: Instance, flow: Flow):
    if flow.to_location:
        location = instance.location_by_id[flow.destination]
        return location.lat, location.lon
    return anchors.get(("bovenregio", flow.destination))


def flow_layers(instance: Instance, outcomes: Sequence[YouthOutcome]) -> list[folium.FeatureGroup]:
    """One switchable layer per care type with drawn flows, and one for all care types together.

    A flow whose area has no outline (a code newer than the shipped map) cannot be placed and is
    not drawn.
    """
    summary = aggregate_flows(instance, outcomes)
    anchors = flow_anchors(instance) if summary.drawn else {}
    cells = home_cells((y.home_lat, y.home_lon) for y in instance.youths)
    groups = {c: folium.FeatureGroup(name=flow_layer_name(c)) for c in summary.drawn_care_types}
    for flow in summary.drawn:
        start, end = _start(anchors, instance, flow), _end(anchors, instance, flow)
        if start is not None and end is not None:
            _flow_mark(instance, flow, start, end, cells).add_to(groups[flow.care_type])
    return list(groups.values())
