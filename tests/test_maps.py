"""The reviewer's map: layers counted from the folium objects, privacy and offline checked on the
written file, and the ``matcher map`` / ``matcher make-maps`` commands run from the command line."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import folium
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis.check import check
from matcher.cli import main
from matcher.domain import CARE_TYPES
from matcher.geography.geo import ATTRIBUTION, gemeente_points
from matcher.instance import Instance, Location, RegionMap, Settings, Unit, Youth
from matcher.input.instance_writer import write_instance
from matcher.maps import (
    aggregate_flows,
    build_map,
    capacity_layer,
    destination_layer,
    flow_layers,
    legend,
    location_layer,
    read_assignments,
    region_layer,
    side_panel,
    write_map,
)
from matcher.maps.flows import ALL_CARE_TYPES, LONG_DISTANCE_COLOUR, bovenregio_points, flow_anchors
from matcher.maps.offline import LEAFLET_VERSION, external_references
from matcher.maps.privacy import away_from_homes, home_cells, shown_count
from matcher.maps.shapes import anchor, gemeente_shapes, jeugdregio_shapes
from matcher.geography.regions import shipped_region_map
from matcher.result import YouthOutcome

AMSTERDAM, AMSTELVEEN, DIEMEN, UITHOORN = "GM0363", "GM0362", "GM0384", "GM0451"
UTRECHT, GRONINGEN, HET_HOGELAND, ZWOLLE = "GM0344", "GM0014", "GM1966", "GM0193"
MAASTRICHT, EINDHOVEN = "GM0935", "GM0772"
ASSIGNMENT_COLUMNS = (
    "youth_id", "status", "unit_id", "location_id", "provider", "distance_km", "setting_steps",
    "home_jeugdregio", "unit_jeugdregio", "scope", "cost", "reason",
)


@lru_cache(maxsize=1)
def map_case() -> tuple[Instance, tuple, dict]:
    """Five locations in five jeugdregio's and 38 youths, so that the map has every kind of flow.

    - 6 from Amstelveen to Amsterdam (gesloten): a gemeente flow, shown;
    - 3 from Diemen + 2 from Uithoorn to Amsterdam: too small alone, shown pooled for
      jeugdregio Amsterdam-Amstelland (5);
    - 5 occupants moved from Zwolle's unit to Groningen (driemilieu): shown, moves are flows;
    - 2 from Groningen to Groningen: suppressed (below 5 even pooled);
    - 6 from Maastricht to Utrecht (intensieve GGZ, about 150 km): shown as long distance;
    - 4 occupants who stay in Utrecht: occupancy, not a flow;
    - 7 unplaced from Eindhoven (eetstoornis) and 2 from Het Hogeland (driemilieu).

    Some home points are exactly a gemeente's representative point or a flow anchor, which a
    careless map would print.
    """
    points = gemeente_points()
    amstelveen_anchor = anchor(gemeente_shapes().geometry[AMSTELVEEN])
    amstel_region_anchor = anchor(jeugdregio_shapes(shipped_region_map()).geometry["JZ13"])
    locations = tuple(
        Location(location_id=i, provider=provider, name=name, gemeente=gemeente, lat=lat, lon=lon)
        for i, provider, name, gemeente, lat, lon in (
            ("L-AMS", "Horizon Jeugdzorg", "De Amstel", AMSTERDAM, 52.3731, 4.8922),
            ("L-UTR", "Domstad GGZ", "Domstede", UTRECHT, 52.0907, 5.1214),
            ("L-GRO", "Noorderzorg", "Martinihuis", GRONINGEN, 53.2194, 6.5665),
            ("L-EIN", "Lichtstad Zorg", "Lichtstad", EINDHOVEN, 51.4416, 5.4697),
            ("L-ZWO", "Noorderzorg", "Sassenpoort", ZWOLLE, 52.5168, 6.0830),
        )
    )
    units = tuple(
        Unit(unit_id=i, location_id=loc, care_type=care, setting=setting, capacity=cap, cost_per_day=cost)
        for i, loc, care, setting, cap, cost in (
            ("U-AMS-G", "L-AMS", "gesloten", "gesloten", 20, 650.0),
            ("U-UTR-I", "L-UTR", "intensieve_ggz", "residentieel", 12, 820.5),
            ("U-GRO-D", "L-GRO", "driemilieu", "kleinschalig", 8, None),
            ("U-EIN-E", "L-EIN", "eetstoornis", "residentieel", 2, None),
            ("U-ZWO-D", "L-ZWO", "driemilieu", "kleinschalig", 6, None),
        )
    )
    youths: list[Youth] = []
    unit_of: dict[str, str | None] = {}

    def add(gemeente, care_type, unit, n, current=None, home=None):
        for i in range(n):
            youth_id = f"jongere-{len(youths) + 1:04d}"
            lat, lon = home or points[gemeente]
            if home is None and i % 2:  # half of them a little off the gemeente's point
                lat, lon = round(lat + 0.0123 * i, 4), round(lon - 0.0071 * i, 4)
            youths.append(Youth(
                youth_id=youth_id, home_gemeente=gemeente, home_lat=lat, home_lon=lon,
                care_type=care_type, min_setting="kleinschalig", machtiging=True, age=15,
                gender="m", max_km=250.0, current_unit_id=current,
            ))
            unit_of[youth_id] = unit

    add(AMSTELVEEN, "gesloten", "U-AMS-G", 5)
    add(AMSTELVEEN, "gesloten", "U-AMS-G", 1, home=amstelveen_anchor)
    add(DIEMEN, "gesloten", "U-AMS-G", 2)
    add(DIEMEN, "gesloten", "U-AMS-G", 1, home=amstel_region_anchor)
    add(UITHOORN, "gesloten", "U-AMS-G", 2)
    add(ZWOLLE, "driemilieu", "U-GRO-D", 5, current="U-ZWO-D")
    add(GRONINGEN, "driemilieu", "U-GRO-D", 2)
    add(MAASTRICHT, "intensieve_ggz", "U-UTR-I", 6)
    add(UTRECHT, "intensieve_ggz", "U-UTR-I", 4, current="U-UTR-I")
    add(EINDHOVEN, "eetstoornis", None, 7)
    add(HET_HOGELAND, "driemilieu", None, 2)
    instance = Instance(
        settings=Settings(name="kaarttest", allow_moves=True),
        locations=locations, units=units, youths=tuple(youths), regions=shipped_region_map(),
    )
    report = check(instance, unit_of)
    assert report.ok, report.violations
    summary = {
        "instance": "kaarttest", "status": "OPTIMAL", "objective": report.objective,
        "best_bound": report.objective, "gap": 0.0, "placed": 19, "stays": 4, "moved": 5,
        "unplaced": 9, "unplaced_by_care_type": {"driemilieu": 2, "eetstoornis": 7},
        "kpis": {
            "mean_km": 61.2, "p90_km": 151.0, "share_own_jeugdregio": 0.42, "mean_setting_steps": 0.4,
            "occupancy_by_care_type": {"gesloten": 0.55, "driemilieu": 0.5, "intensieve_ggz": 0.83},
            "cost_per_day_total": 24000.0,
        },
    }
    return instance, report.outcomes, summary


@pytest.fixture(scope="module")
def case():
    return map_case()


@pytest.fixture(scope="module")
def html(case, tmp_path_factory) -> str:
    path = write_map(*case, tmp_path_factory.mktemp("map") / "map.html")
    return path.read_text(encoding="utf-8")


def _flows_by_layer(instance, outcomes) -> dict[str, list[folium.PolyLine]]:
    return {
        layer.layer_name: [c for c in layer._children.values() if isinstance(c, folium.PolyLine)]
        for layer in flow_layers(instance, outcomes)
    }


# --- layers, counted from the folium objects ------------------------------------------------


def test_region_layer_has_one_polygon_per_jeugdregio(case):
    """The base layer draws all 42 jeugdregio's of the shipped map, each with its own feature."""
    layer = region_layer(case[0], case[1])
    codes = [f["id"] for f in layer.data["features"]]
    assert len(codes) == 42 == len(set(codes))


def test_region_colours_follow_unplaced_youths_of_the_home_region(case):
    """Eindhoven's 7 unplaced youths show as 7; Groningen's 2 only as the band 1-4; others 0."""
    props = {f["id"]: f["properties"] for f in region_layer(case[0], case[1]).data["features"]}
    assert props["JZ39"]["unplaced"] == "7"
    assert props["JZ01"]["unplaced"] == "1-4"
    assert props["JZ13"]["unplaced"] == "0"
    assert props["JZ39"]["fill"] != props["JZ01"]["fill"] != props["JZ13"]["fill"]


def test_a_merged_region_map_is_drawn_as_the_instance_uses_it(case):
    """With a regions.csv that merges two jeugdregio's, the map shows 41 regions, not the shipped 42."""
    shipped = shipped_region_map()
    merged = {g: ("JZ13" if r == "JZ14" else r) for g, r in shipped.jeugdregio_of.items()}
    regions = RegionMap(jeugdregio_of=merged, bovenregio_of=shipped.bovenregio_of, source="scenario")
    instance = case[0].model_copy(update={"regions": regions})
    features = region_layer(instance, case[1]).data["features"]
    assert len(features) == 41
    assert "JZ14" not in {f["id"] for f in features}


def test_one_marker_per_location_sized_by_capacity(case):
    """Every location gets one circle; the 20-place location is drawn larger than the 2-place one."""
    instance = case[0]
    layer = location_layer(instance, case[1])
    markers = [c for c in layer._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(markers) == len(instance.locations) == 5
    radius = {m.location[0]: m.options["radius"] for m in markers}
    assert radius[52.3731] > radius[51.4416]


def test_marker_colour_shows_occupancy_after_the_solve(case):
    """Utrecht holds 4 staying + 6 new in 12 places (83%); Zwolle is empty after its youths moved."""
    markers = {
        m.location[0]: m
        for m in location_layer(case[0], case[1])._children.values()
        if isinstance(m, folium.CircleMarker)
    }
    assert markers[52.0907].options["fillColor"] == "#b8ac70"  # 75-95%
    assert markers[52.5168].options["fillColor"] == "#ffe945"  # below 75%
    popup = next(c for c in markers[52.0907]._children.values() if c._name == "HtmlPopup")
    assert "U-UTR-I" in popup.html and "Bezet na matching: 10 van 12" in popup.html


def test_one_flow_layer_per_care_type_with_placements(case):
    """Gesloten, driemilieu and intensieve GGZ have shown flows; eetstoornis has none, and the 2
    left-over youths are too few for an 'all care types' layer."""
    layers = _flows_by_layer(*case[:2])
    assert list(layers) == [
        "Stromen: gesloten jeugdhulp",
        "Stromen: 3-milieuvoorziening",
        "Stromen: intensieve jeugd-GGZ",
    ]
    assert [len(lines) for lines in layers.values()] == [2, 1, 1]


def test_small_flows_are_pooled_per_jeugdregio_or_left_out(case):
    """Diemen (3) and Uithoorn (2) are pooled to one flow of 5; Groningen's 2 are left out."""
    summary = aggregate_flows(*case[:2])
    shown = {(f.origin_kind, f.origin, f.destination): f.youths for f in summary.flows}
    assert shown == {
        ("gemeente", AMSTELVEEN, "L-AMS"): 6,
        ("jeugdregio", "JZ13", "L-AMS"): 5,
        ("gemeente", ZWOLLE, "L-GRO"): 5,
        ("gemeente", MAASTRICHT, "L-UTR"): 6,
    }
    assert summary.suppressed_youths == 2
    assert summary.shown_youths + summary.suppressed_youths == summary.total_youths == 24


def test_stays_are_occupancy_not_flows(case):
    """The 4 occupants who stay in Utrecht are not part of any flow; the 5 moved ones are."""
    flows = aggregate_flows(*case[:2]).flows
    assert sum(f.youths for f in flows) == 6 + 5 + 5 + 6
    assert not any(f.origin == UTRECHT for f in flows)


def test_long_distance_flows_stand_out(case):
    """Maastricht to Utrecht (about 150 km) is drawn red; the dash pattern still tells the pooling
    level, so this gemeente flow is solid and only the jeugdregio pool is dashed."""
    lines = [line for group in _flows_by_layer(*case[:2]).values() for line in group]
    long = [line for line in lines if "flow-long" in line.options["className"]]
    assert len(long) == 1
    assert long[0].options["color"] == LONG_DISTANCE_COLOUR and not long[0].options.get("dashArray")
    assert all(line.options["color"] != LONG_DISTANCE_COLOUR for line in lines if line not in long)
    dashed = [line for line in lines if line.options.get("dashArray")]
    assert [line.options["className"].split()[2] for line in dashed] == ["flow-level-jeugdregio"]


def test_side_panel_shows_status_counts_and_credit(case):
    """The panel names the instance and status, the counts, the KPIs and the data credit."""
    body = side_panel(case[0], case[2]).body
    for text in ("kaarttest", "OPTIMAL", "Verhuisd", "Blijft op de plek", "83%", "€\xa024.000", ATTRIBUTION):
        assert text in body
    assert "<td class='num'>1-4</td>" in body  # 2 unplaced driemilieu: banded


def test_map_is_built_from_a_summary_without_kpis(case):
    """A summary with only a status still gives a map (missing figures are left out of the panel)."""
    m = build_map(case[0], case[1], {"status": "FEASIBLE"})
    body = next(c for c in m._children.values() if c._name == "SidePanel").body
    assert "FEASIBLE" in body and "Doelwaarde" not in body


# --- the pooling hierarchy on a hand-built case ----------------------------------------------

ZAANSTAD, HAARLEMMERMEER, VENLO, AMERSFOORT = "GM0479", "GM0394", "GM0983", "GM0307"
ASSEN, LEEUWARDEN = "GM0106", "GM0080"
FLOW_MARKS = (folium.PolyLine, folium.Circle)


@lru_cache(maxsize=1)
def hierarchy_case() -> tuple[Instance, tuple]:
    """32 new placements that each stop at a different step of the pooling, plus stays and unplaced.

    - gesloten to Amsterdam: 5 from Amstelveen (gemeente), 3 from Diemen + 2 from Uithoorn
      (jeugdregio Amsterdam-Amstelland), 2 from Zaanstad + 3 from Haarlemmermeer (two jeugdregio's,
      one bovenregio: Noord-Holland -> location);
    - intensieve GGZ: 2 from Maastricht to Utrecht + 3 from Venlo to Amersfoort (Limburg -> Midden-
      Nederland, two locations: bovenregio -> bovenregio);
    - driemilieu within Noord-Nederland: 2 Groningen -> Leeuwarden, 1 Het Hogeland -> Assen,
      2 Assen -> Groningen (bovenregio -> the same bovenregio: a ring);
    - from Utrecht to Noord-Nederland 2 eetstoornis + 3 driemilieu: too few in either care type, 5
      over all care types together;
    - 2 intensieve GGZ from Amsterdam to Utrecht: too few at every step, left out;
    - 3 occupants who stay in Utrecht and 2 unplaced youths: not flows.
    """
    points = gemeente_points()
    far = Settings(name="pooling", max_km=dict.fromkeys(CARE_TYPES, 400.0))
    locations = tuple(
        Location(location_id=i, provider="Proefzorg", name=name, gemeente=gemeente, lat=lat, lon=lon)
        for i, name, gemeente, lat, lon in (
            ("L-AMS", "Amstelhuis", AMSTERDAM, 52.3731, 4.8922),
            ("L-UTR", "Domstede", UTRECHT, 52.0907, 5.1214),
            ("L-AME", "Eemhuis", AMERSFOORT, 52.1561, 5.3878),
            ("L-GRO", "Martinihuis", GRONINGEN, 53.2194, 6.5665),
            ("L-LEE", "Oldehove", LEEUWARDEN, 53.2012, 5.7999),
            ("L-ASS", "Drentsehuis", ASSEN, 52.9925, 6.5649),
        )
    )
    units = tuple(
        Unit(unit_id=f"U-{loc[2:]}-{care[:3]}", location_id=loc, care_type=care, setting="residentieel", capacity=20)
        for loc, care in (
            ("L-AMS", "gesloten"), ("L-UTR", "intensieve_ggz"), ("L-AME", "intensieve_ggz"),
            ("L-GRO", "driemilieu"), ("L-LEE", "driemilieu"), ("L-ASS", "driemilieu"), ("L-GRO", "eetstoornis"),
        )
    )
    youths: list[Youth] = []
    unit_of: dict[str, str | None] = {}

    def add(gemeente, care_type, unit, n, current=None):
        for i in range(n):
            youth_id = f"pool-{len(youths) + 1:04d}"
            lat, lon = points[gemeente]
            youths.append(Youth(
                youth_id=youth_id, home_gemeente=gemeente, home_lat=round(lat + 0.0031 * i, 4),
                home_lon=round(lon - 0.0017 * i, 4), care_type=care_type, min_setting="kleinschalig",
                machtiging=True, age=15, gender="v", current_unit_id=current,
            ))
            unit_of[youth_id] = unit

    add(AMSTELVEEN, "gesloten", "U-AMS-ges", 5)
    add(DIEMEN, "gesloten", "U-AMS-ges", 3)
    add(UITHOORN, "gesloten", "U-AMS-ges", 2)
    add(ZAANSTAD, "gesloten", "U-AMS-ges", 2)
    add(HAARLEMMERMEER, "gesloten", "U-AMS-ges", 3)
    add(MAASTRICHT, "intensieve_ggz", "U-UTR-int", 2)
    add(VENLO, "intensieve_ggz", "U-AME-int", 3)
    add(GRONINGEN, "driemilieu", "U-LEE-dri", 2)
    add(HET_HOGELAND, "driemilieu", "U-ASS-dri", 1)
    add(ASSEN, "driemilieu", "U-GRO-dri", 2)
    add(UTRECHT, "eetstoornis", "U-GRO-eet", 2)
    add(UTRECHT, "driemilieu", "U-LEE-dri", 3)
    add(AMSTERDAM, "intensieve_ggz", "U-UTR-int", 2)
    add(UTRECHT, "intensieve_ggz", "U-UTR-int", 3, current="U-UTR-int")
    add(EINDHOVEN, "eetstoornis", None, 2)
    instance = Instance(settings=far, locations=locations, units=units, youths=tuple(youths),
                        regions=shipped_region_map())
    report = check(instance, unit_of)
    assert report.ok, report.violations
    return instance, report.outcomes


@pytest.fixture(scope="module")
def pooling():
    return hierarchy_case()


def _bovenregio_pair(instance: Instance, flow) -> tuple[str, str]:
    """The home bovenregio and the location's bovenregio a shown flow belongs to."""
    regions = instance.regions
    home = {
        "gemeente": lambda code: regions.bovenregio_of_gemeente(code),
        "jeugdregio": lambda code: regions.bovenregio_of[code],
        "bovenregio": lambda name: name,
    }[flow.origin_kind](flow.origin)
    if flow.to_location:
        return home, regions.bovenregio_of_gemeente(instance.location_by_id[flow.destination].gemeente)
    return home, flow.destination


def _assert_every_youth_counted_once(instance: Instance, outcomes) -> None:
    """Shown + left out = all new placements and moves, and per pair of bovenregio's fewer than 5
    are left out (the last step shows every pair that reaches 5)."""
    summary = aggregate_flows(instance, outcomes)
    flowing = [o for o in outcomes if o.status in ("placed", "moved")]
    assert summary.total_youths == len(flowing)
    assert summary.shown_youths + summary.suppressed_youths == len(flowing)
    assert all(f.youths >= 5 for f in summary.flows)
    per_pair: Counter = Counter()
    for o in flowing:
        home = instance.youth_by_id[o.youth_id].home_gemeente
        location = instance.location_by_id[o.location_id]
        per_pair[(instance.regions.bovenregio_of_gemeente(home),
                  instance.regions.bovenregio_of_gemeente(location.gemeente))] += 1
    for flow in summary.flows:
        per_pair[_bovenregio_pair(instance, flow)] -= flow.youths
    assert all(0 <= left < 5 for left in per_pair.values())
    assert sum(per_pair.values()) == summary.suppressed_youths


def test_each_small_flow_is_shown_at_the_finest_level_that_reaches_five(pooling):
    """Every step of the hierarchy takes what the finer steps could not show, and no more."""
    summary = aggregate_flows(*pooling)
    shown = [(f.care_type, f.level, f.origin, f.destination, f.youths) for f in summary.flows]
    assert shown == [
        ("gesloten", "gemeente", AMSTELVEEN, "L-AMS", 5),
        ("gesloten", "jeugdregio", "JZ13", "L-AMS", 5),
        ("gesloten", "bovenregio", "Noord-Holland", "L-AMS", 5),
        ("driemilieu", "bovenregio_paar", "Noord-Nederland", "Noord-Nederland", 5),
        ("intensieve_ggz", "bovenregio_paar", "Limburg", "Midden-Nederland", 5),
        (ALL_CARE_TYPES, "bovenregio_paar", "Midden-Nederland", "Noord-Nederland", 5),
    ]
    assert summary.suppressed_youths == 2  # Amsterdam -> Utrecht
    assert summary.care_types == ("gesloten", "driemilieu", "intensieve_ggz", ALL_CARE_TYPES)


def test_every_youth_is_in_one_shown_line_or_in_the_left_out_count(pooling, case):
    """Shown plus left out is the number of new placements and moves, on both hand-built cases."""
    _assert_every_youth_counted_once(*pooling)
    _assert_every_youth_counted_once(*case[:2])
    assert aggregate_flows(*pooling).total_youths == 32


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 13), st.integers(0, 6), st.sampled_from(["placed", "moved", "stays"])),
                max_size=80))
def test_counting_holds_for_any_spread_of_youths(trips):
    """Whatever the youths' homes and units, each flowing youth is counted exactly once and no
    shown flow is below 5."""
    base, _ = hierarchy_case()
    homes = sorted({y.home_gemeente for y in base.youths})
    youths, outcomes = [], []
    for i, (home, unit_index, status) in enumerate(trips):
        unit = base.units[unit_index]
        youth = base.youths[0].model_copy(update={"youth_id": f"y{i}", "home_gemeente": homes[home % len(homes)]})
        youths.append(youth)
        outcomes.append(YouthOutcome(
            youth_id=youth.youth_id, status=status, unit_id=unit.unit_id, location_id=unit.location_id,
            provider="Proefzorg", distance_km=10.0 + i, setting_steps=0, home_jeugdregio="",
            unit_jeugdregio=None, scope=None, cost=0.0,
        ))
    instance = base.model_copy(update={"youths": tuple(youths)})
    _assert_every_youth_counted_once(instance, outcomes)


def test_coarser_levels_are_drawn_thinner_and_more_broken(pooling):
    """Five youths at each level: solid, then dashed, then shorter dashes, then dots, ever thinner;
    a pair of different bovenregio's is a bowed line; within one bovenregio there is no line (and no
    ring that reads like a catchment area)."""
    marks = {
        (m.options["className"].split()[1], m.options["className"].split()[2]): m
        for layer in flow_layers(*pooling) for m in layer._children.values() if isinstance(m, FLOW_MARKS)
    }
    gemeente = marks[("flow-gesloten", "flow-level-gemeente")]
    jeugdregio = marks[("flow-gesloten", "flow-level-jeugdregio")]
    bovenregio = marks[("flow-gesloten", "flow-level-bovenregio")]
    pair = marks[("flow-intensieve_ggz", "flow-level-bovenregio_paar")]
    assert not gemeente.options.get("dashArray")
    assert len({m.options["dashArray"] for m in (jeugdregio, bovenregio, pair)}) == 3
    weights = [m.options["weight"] for m in (gemeente, jeugdregio, bovenregio, pair)]
    assert weights == sorted(weights, reverse=True) and weights[0] > weights[-1]
    assert isinstance(pair, folium.PolyLine) and len(pair.locations) > 2
    assert ("flow-driemilieu", "flow-level-bovenregio_paar") not in marks
    assert not any(isinstance(m, folium.Circle) for layer in flow_layers(*pooling) for m in layer._children.values())


def test_pooled_lines_say_at_which_level_they_were_pooled(pooling):
    """The tooltip names the pool: 'samengevoegd op bovenregioniveau: 5 jongeren', and the
    cross-care-type line says it holds all care types together."""
    tips = {
        m.options["className"].split()[2] + " " + m.options["className"].split()[1]:
            next(c for c in m._children.values() if isinstance(c, folium.Tooltip)).text
        for layer in flow_layers(*pooling) for m in layer._children.values() if isinstance(m, FLOW_MARKS)
    }
    assert "samengevoegd" not in tips["flow-level-gemeente flow-gesloten"]
    assert "samengevoegd op jeugdregioniveau: 5 jongeren" in tips["flow-level-jeugdregio flow-gesloten"]
    assert "samengevoegd op bovenregioniveau: 5 jongeren" in tips["flow-level-bovenregio flow-gesloten"]
    pair = tips["flow-level-bovenregio_paar flow-intensieve_ggz"]
    assert "bovenregio Limburg &rarr; bovenregio Midden-Nederland" in pair
    assert "flow-level-bovenregio_paar flow-driemilieu" not in tips  # within one bovenregio: no line
    assert "alle zorgtypen samen" in tips[f"flow-level-bovenregio_paar flow-{ALL_CARE_TYPES}"]


def test_all_care_types_layer_comes_last_and_is_explained_in_the_legend(pooling):
    """The cross-care-type pool is its own switchable layer, after the care types, and the legend
    names it and gives the shown and left-out counts."""
    assert [layer.layer_name for layer in flow_layers(*pooling)][-1] == "Stromen: alle zorgtypen samen"
    body = legend(aggregate_flows(*pooling)).body
    assert "'Stromen: alle zorgtypen samen'" in body
    assert "Getoond: 30 van 32 jongeren" in body and "weggelaten: 1-4 jongeren" in body


def test_bovenregio_points_lie_inside_their_bovenregio_and_on_no_home():
    """A bovenregio's lines start inside the bovenregio (weighted by where its youths live), and
    the anchor moves off a youth's home point that happens to be there."""
    regions = shipped_region_map()
    shapes = jeugdregio_shapes(regions)
    points = bovenregio_points(regions)
    assert len(points) == 8
    for name, (lat, lon) in points.items():
        area = shapely.union_all([g for code, g in shapes.geometry.items() if regions.bovenregio_of[code] == name])
        assert area.contains(shapely.Point(lon, lat)), name
    base, _ = hierarchy_case()
    on_anchor = base.youths[0].model_copy(update={"home_lat": points["Noord-Nederland"][0],
                                                  "home_lon": points["Noord-Nederland"][1]})
    moved = flow_anchors(base.model_copy(update={"youths": (on_anchor,)}))[("bovenregio", "Noord-Nederland")]
    assert moved != points["Noord-Nederland"]


def test_pooling_map_keeps_every_privacy_rule(pooling, tmp_path):
    """The hand-built pooling case written as a file: no id, no home point, no count below 5."""
    html = write_map(*pooling, {"status": "OPTIMAL"}, tmp_path / "map.html").read_text(encoding="utf-8")
    _assert_private(pooling[0], html)


def _assert_private(instance: Instance, html: str) -> None:
    assert not [y.youth_id for y in instance.youths if y.youth_id in html]
    pairs = {
        (float(a), float(b))
        for a, b in re.findall(r"\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]", html)
    }
    homes = {(y.home_lat, y.home_lon) for y in instance.youths}
    assert not homes & pairs and not {(lon, lat) for lat, lon in homes} & pairs
    assert all(int(n) >= 5 for n in re.findall(r"(?<![\d-])(\d+) jongeren", html))
    assert len(html.encode("utf-8")) < 1_500_000


# --- the shipped national week -----------------------------------------------------------------


@pytest.fixture(scope="module")
def nl_week():
    """instances/nl-week solved (30 s at most, in practice about a second) and checked."""
    from matcher.input.source import read_instance
    from matcher.solver.solve import solve

    instance = read_instance(Path(__file__).resolve().parent.parent / "instances" / "nl-week")
    result = solve(instance, time_limit=30)
    report = check(instance, result.unit_of)
    assert report.ok, report.violations
    return instance, report.outcomes


def test_national_week_shows_flows_again(nl_week, tmp_path):
    """About 95 new youths spread over the country: the pooling still shows flows, counts every
    youth once, and the written map keeps every privacy rule."""
    instance, outcomes = nl_week
    summary = aggregate_flows(instance, outcomes)
    assert summary.flows and summary.shown_youths >= 5
    _assert_every_youth_counted_once(instance, outcomes)
    html = write_map(instance, outcomes, {"status": "OPTIMAL"}, tmp_path / "nl.html").read_text(encoding="utf-8")
    assert html.count("flow-level-") == len(summary.drawn) < len(summary.flows)
    _assert_private(instance, html)


# --- the written file: privacy, offline, size ---------------------------------------------------


def test_no_youth_id_in_the_map(case, html):
    """Pseudonymous or not, a youth id never appears in a map that is mailed around."""
    assert [y.youth_id for y in case[0].youths if y.youth_id in html] == []


def test_no_home_point_in_the_map(case, html):
    """No coordinate pair in the file is any youth's home point, in either order.

    Three of the youths live exactly on a gemeente's representative point or on a flow anchor.
    """
    pairs = {
        (float(a), float(b))
        for a, b in re.findall(r"\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]", html)
    }
    assert len(pairs) > 1000  # the outlines are there, so the search looked at real coordinates
    homes = {(y.home_lat, y.home_lon) for y in case[0].youths}
    assert not homes & pairs
    assert not {(lon, lat) for lat, lon in homes} & pairs


def test_flow_counts_below_five_are_never_shown(html):
    """Every exact 'N jongeren' in the file is at least 5; smaller numbers appear only as 1-4."""
    counts = [int(n) for n in re.findall(r"(?<![\d-])(\d+) jongeren", html)]
    # four flow tooltips, the legend's threshold (twice) and the 24 new placements and moves
    assert sorted(counts) == [5, 5, 5, 5, 6, 6, 24]
    assert "weggelaten: 1-4 jongeren" in html  # the 2 suppressed youths, banded


def test_anchors_avoid_home_points(case):
    """A flow anchor that is somebody's home point is moved away; others stay where they are."""
    cells = home_cells([(52.3, 4.86)])
    assert away_from_homes((52.3, 4.86), cells) != (52.3, 4.86)
    assert away_from_homes((52.31, 4.86), cells) == (52.31, 4.86)
    anchors = flow_anchors(case[0])
    homes = {(y.home_lat, y.home_lon) for y in case[0].youths}
    assert not homes & set(anchors.values())


def test_map_loads_nothing_from_the_network(html):
    """No script src or stylesheet href points online: Leaflet and its CSS are inline."""
    assert not re.findall(r"<script[^>]*\ssrc\s*=", html, re.IGNORECASE)
    assert not re.findall(r"<link[^>]*\shref\s*=\s*[\"']?(?:https?:)?//", html, re.IGNORECASE)
    assert not re.findall(r"url\(\s*[\"']?(?:https?:)?//", html, re.IGNORECASE)
    assert external_references(html) == []
    assert f"Leaflet {LEAFLET_VERSION}" in html
    assert "jquery" not in html.lower()


def test_online_background_is_offered_but_off(case):
    """The OpenStreetMap layer is in the layer control but not shown when the map opens."""
    tiles = [c for c in build_map(*case)._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1 and tiles[0].show is False and tiles[0].overlay is True


def test_map_file_is_small_enough_to_mail(html):
    """Simplified outlines keep a national map under 1.5 MB."""
    assert len(html.encode("utf-8")) < 1_500_000


def test_same_solution_gives_the_same_file(case, tmp_path):
    """Element ids are numbered, not random: two renders of one solution are byte-identical."""
    a = write_map(*case, tmp_path / "a.html").read_bytes()
    b = write_map(*case, tmp_path / "b.html").read_bytes()
    assert a == b


# --- solution folders and the command line ---------------------------------------------------


def _write_solution(folder, instance_dir, outcomes, summary) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "assignments.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ASSIGNMENT_COLUMNS)
        for o in outcomes:
            row = [getattr(o, c) for c in ASSIGNMENT_COLUMNS]
            writer.writerow(["" if v is None else (f"{v:.6f}" if isinstance(v, float) else v) for v in row])
    (folder / "summary.json").write_text(json.dumps({**summary, "instance_path": str(instance_dir)}))


def test_read_assignments_reads_the_spec_columns(case, tmp_path):
    """assignments.csv read back gives the same statuses, units and distances (3+ decimals)."""
    _write_solution(tmp_path / "sol", tmp_path / "inst", case[1], case[2])
    back = read_assignments(tmp_path / "sol" / "assignments.csv")
    assert [(o.youth_id, o.status, o.unit_id, o.location_id) for o in back] == [
        (o.youth_id, o.status, o.unit_id, o.location_id) for o in case[1]
    ]
    assert all(
        (a.distance_km is None and b.distance_km is None) or abs(a.distance_km - b.distance_km) < 1e-5
        for a, b in zip(back, case[1])
    )


def test_map_command_redraws_from_a_solution_folder(case, tmp_path):
    """`matcher map SOLUTION_DIR` finds the instance via summary.json and writes map.html."""
    write_instance(case[0], tmp_path / "inst")
    _write_solution(tmp_path / "sol", tmp_path / "inst", case[1], case[2])
    result = CliRunner().invoke(main, ["map", str(tmp_path / "sol")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "sol" / "map.html").read_text(encoding="utf-8")
    assert "kaarttest" in html and external_references(html) == []
    assert not any(y.youth_id in html for y in case[0].youths)


def test_map_command_redraws_what_a_solve_wrote(case, tmp_path):
    """A solution folder written by the solve's writer is redrawn into the very same map.html."""
    from matcher.result import OPTIMAL, Result
    from matcher.analysis.analysis import analyse
    from matcher.output.writing import write_solution

    instance, outcomes, _ = case
    write_instance(instance, tmp_path / "inst")
    unit_of = {o.youth_id: o.unit_id for o in outcomes}
    report = check(instance, unit_of)
    result = Result(OPTIMAL, report.objective, report.objective, 0.1, unit_of)
    write_solution(analyse(instance, result, report, instance_path=str(tmp_path / "inst")), tmp_path / "sol")
    written = (tmp_path / "sol" / "map.html").read_bytes()
    result = CliRunner().invoke(main, ["map", str(tmp_path / "sol"), "--out", str(tmp_path / "again.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.html").read_bytes() == written


def test_map_command_takes_instance_and_out_options(case, tmp_path):
    """--instance overrides summary.json's instance_path and --out names the file."""
    write_instance(case[0], tmp_path / "inst")
    _write_solution(tmp_path / "sol", tmp_path / "elsewhere", case[1], case[2])
    out = tmp_path / "review" / "kaart.html"
    args = ["map", str(tmp_path / "sol"), "--instance", str(tmp_path / "inst"), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.is_file() and not (tmp_path / "sol" / "map.html").exists()


def test_map_command_explains_a_folder_that_is_no_solution(tmp_path):
    """A folder without assignments.csv gives exit code 2 and a sentence, not a traceback."""
    result = CliRunner().invoke(main, ["map", str(tmp_path)])
    assert result.exit_code == 2
    assert "assignments.csv" in result.output and "Traceback" not in result.output


def test_map_command_refuses_assignments_of_another_instance(case, tmp_path):
    """A solution whose youths are not the instance's youths is refused (exit code 2)."""
    write_instance(case[0], tmp_path / "inst")
    _write_solution(tmp_path / "sol", tmp_path / "inst", case[1][:-1], case[2])
    result = CliRunner().invoke(main, ["--lang", "en", "map", str(tmp_path / "sol")])
    assert result.exit_code == 2 and "does not match" in result.output


def test_make_maps_solves_and_draws_each_shipped_instance(case, tmp_path):
    """`matcher make-maps` solves every shipped instance it finds and writes <name>.html."""
    small = case[0].model_copy(update={"settings": Settings(name="voorbeeld", allow_moves=True)})
    write_instance(small, tmp_path / "instances" / "voorbeeld")
    args = ["make-maps", "--instances", str(tmp_path / "instances"), "--out", str(tmp_path / "maps")]
    result = CliRunner().invoke(main, [*args, "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "maps" / "voorbeeld.html").read_text(encoding="utf-8")
    assert "voorbeeld" in html and external_references(html) == []
    assert [p.name for p in (tmp_path / "maps").iterdir()] == ["voorbeeld.html"]


def test_shown_count_bands_small_numbers():
    """0 stays 0, 1 to 4 become the band 1-4, from 5 on the number is exact."""
    assert [shown_count(n) for n in (0, 1, 4, 5, 12)] == ["0", "1-4", "1-4", "5", "12"]


# --- where youths go, one more place, colour scales ---------------------------------------------


def test_where_youths_go_per_home_jeugdregio(case):
    """Amstelland's 11 gesloten youths stay in their own jeugdregio; Maastricht's 6 go outside Limburg."""
    from matcher.maps.choropleth import destinations_by_jeugdregio

    by = destinations_by_jeugdregio(*case[:2])
    assert by["JZ13"] == Counter(own_jeugdregio=11)
    assert by["JZ41"] == Counter(elsewhere=6)
    layer = destination_layer(*case[:2])
    features = {f["properties"]["jeugdregio"].split("(")[-1].rstrip(")"): f["properties"] for f in layer.data["features"]}
    assert features["JZ13"]["total"] == "11" and features["JZ13"]["band"] == "90% of meer binnen eigen bovenregio"
    assert features["JZ41"]["elsewhere"] == "6" and features["JZ41"]["band"] == "minder dan 50% binnen eigen bovenregio"
    assert features["JZ01"]["band"] == "minder dan 5 nieuwe plaatsingen" and features["JZ01"]["own_jeugdregio"] == "–"
    assert layer.overlay is False and layer.show is False  # a base layer beside "unplaced", off at the start


def test_where_youths_go_never_gives_a_small_count_away():
    """With one part of 1-4 the total is banded too, so the small part cannot be worked out."""
    from matcher.maps.choropleth import destination_counts

    assert destination_counts(Counter(own_jeugdregio=8, elsewhere=4)) == {
        "total": "5 of meer", "own_jeugdregio": "8", "own_bovenregio": "0", "elsewhere": "1-4"}
    assert destination_counts(Counter(own_jeugdregio=8, own_bovenregio=2, elsewhere=3))["total"] == "13"
    assert destination_counts(Counter(own_jeugdregio=3))["total"] == "1-4"


def test_one_more_place_layer_marks_the_locations_of_the_list(case):
    """A '+1' badge at the unit's location and a '+4' at a new unit's, with saving and how it is known; no youth id."""
    instance, outcomes, summary = case
    marginal = {"new_unit_places": 4, "units": [
        {"unit_id": "U-AMS-G", "location_id": "L-AMS", "care_type": "gesloten", "setting": "gesloten",
         "estimated_saving": 900.0, "exact_saving": 880.5, "proof": "exact", "takes": ["jongere-0001"]}],
        "new_units": [{"unit_id": None, "location_id": "L-EIN", "care_type": "eetstoornis", "setting": "kleinschalig",
                       "estimated_saving": 4200.0, "exact_saving": None, "proof": None, "takes": ["jongere-0030"]}]}
    layer = capacity_layer(instance, {**summary, "marginal_capacity": marginal})
    markers = {m.location[0]: m for m in layer._children.values() if isinstance(m, folium.Marker)}
    assert set(markers) == {52.3731, 51.4416}
    def tip(marker) -> str:
        return next(c for c in marker._children.values() if isinstance(c, folium.Tooltip)).text

    assert "880,5 punten lager, exact" in tip(markers[52.3731]) and "jongere" not in tip(markers[52.3731])
    assert "schatting uit de relaxatie" in tip(markers[51.4416])
    icons = {lat: next(c for c in m._children.values() if isinstance(c, folium.DivIcon)) for lat, m in markers.items()}
    assert "+1" in icons[52.3731].options["html"] and "+4" in icons[51.4416].options["html"]
    assert capacity_layer(instance, summary) is None
    html = build_map(instance, outcomes, {**summary, "marginal_capacity": marginal}).get_root().render()
    assert "jongere-0001" not in html and "Waar helpt één plek extra het meest" in html


def test_occupancy_and_distance_scales_share_no_colour():
    """Locations (cividis) and lines (oranges) use different colours, each band its own; no red for two meanings."""
    from matcher.maps.choropleth import DESTINATION_BANDS
    from matcher.maps.flows import DISTANCE_BANDS
    from matcher.maps.locations import OCCUPANCY_BANDS

    occupancy = [c for *_, c in OCCUPANCY_BANDS]
    distance = [c for *_, c in DISTANCE_BANDS]
    destination = [c for *_, c in DESTINATION_BANDS]
    assert len(set(occupancy)) == len(occupancy) and len(set(distance)) == len(distance)
    assert not set(occupancy) & set(distance) and not set(destination) & (set(occupancy) | set(distance))
    # lightness runs one way along each sequential scale
    lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in occupancy]
    assert lightness == sorted(lightness, reverse=True)
    lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in distance]
    assert lightness == sorted(lightness, reverse=True)


def test_the_map_speaks_english_when_asked(case):
    """The same map in English: layer names, panel labels and tooltips all through the catalog."""
    from matcher.i18n import use_language

    with use_language("en"):
        html = build_map(*case).get_root().render()
    assert "Flows: gesloten jeugdhulp" in html and "Objective" in html and "Legend" in html
    assert "Stromen" not in html and "Doelwaarde" not in html


def _map_texts(m: folium.Map) -> str:
    """Every text a reader of the map sees: layer names, panel and legend, tooltips, popups and the
    field names of the region tooltips (HTML tags and entities taken out)."""
    from matcher.maps.elements import HtmlBlock, HtmlPopup

    texts, todo = [], [m]
    while todo:
        element = todo.pop()
        todo += list(element._children.values())
        texts.append(getattr(element, "layer_name", None) or "")
        if isinstance(element, HtmlBlock):
            texts.append(element.body)
        elif isinstance(element, HtmlPopup):
            texts.append(element.html)
        elif isinstance(element, folium.Tooltip):
            texts.append(element.text)
        elif isinstance(element, folium.GeoJsonTooltip):
            texts += element.aliases or []
    return re.sub(r"<[^>]+>|&\w+;", " ", "\n".join(t for t in texts if isinstance(t, str)))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_map_never_mixes_languages(case, lang):
    """The map's texts have no word that only the other language's catalog uses (the instance's
    location and provider names and the data credit, names all, aside)."""
    from matcher.i18n import use_language
    from test_i18n import _words, language_words

    with use_language(lang):
        text = _map_texts(build_map(*case)).replace(ATTRIBUTION, " ")
    for location in case[0].locations:
        text = text.replace(location.name or "", " ").replace(location.provider, " ")
    dutch_only, english_only = language_words()
    assert len(_words(text)) > 50
    assert _words(text) & (dutch_only if lang == "en" else english_only) == set(), text


# --- the scenario's comparison map ----------------------------------------------------------------


@lru_cache(maxsize=1)
def compare_case():
    """The tiny scenario instance: U1 split, U2 closed, U3 converted to thuis, a new unit U9; both sides solved."""
    from matcher.maps.compare import Side
    from matcher.scenario import apply_scenario, parse_scenario
    from matcher.solver.solve import solve
    from test_scenario_ops import tiny_instance

    toml = """
[[step]]
op = "split"
into = 2
where = { unit = "U1" }
[[step]]
op = "close"
where = { unit = "U2" }
[[step]]
op = "convert"
setting = "residentieel"
where = { unit = "U3" }
[[step]]
op = "add"
[[step.units]]
unit_id = "U9"
location_id = "L2"
care_type = "driemilieu"
setting = "kleinschalig"
capacity = 4
"""
    sides = []
    for instance in (tiny_instance(), apply_scenario(tiny_instance(), parse_scenario(toml, "t.toml"), 0).instance):
        result = solve(instance, time_limit=5)
        report = check(instance, result.unit_of)
        summary = {"unplaced": sum(o.status == "unplaced" for o in report.outcomes), "placed": 0}
        sides.append(Side(instance, report.outcomes, summary))
    return tuple(sides)


def test_unit_changes_name_every_closed_split_converted_and_new_unit():
    """U1 split in two, U2 closed, U3 converted, U9 new: each at its own location, in words."""
    from matcher.maps.compare import unit_changes

    base, scenario = compare_case()
    changes = unit_changes(base.instance, scenario.instance)
    assert sorted(kind for kind, _ in changes["L1"]) == ["closed", "split"]
    assert sorted(kind for kind, _ in changes["L2"]) == ["converted", "new"]
    assert ("closed", "U2 (7)") in changes["L1"]
    assert any(text.startswith("U1 (8) &rarr; 2") for kind, text in changes["L1"] if kind == "split")


def test_compare_map_has_the_baseline_one_toggle_away(tmp_path):
    """Three region layers (change, baseline, scenario) of which only the change is on, badges, and every privacy rule."""
    from matcher.maps.compare import build_compare_map, write_compare_map

    base, scenario = compare_case()
    m = build_compare_map("proef", base, scenario)
    regions = [c for c in m._children.values() if isinstance(c, folium.GeoJson) and not c.overlay]
    assert [r.layer_name for r in regions] == [
        "Verandering ongeplaatst per jeugdregio", "Basis: ongeplaatst per jeugdregio", "Scenario: ongeplaatst per jeugdregio"]
    assert [r.show for r in regions] == [True, False, False]
    html = write_compare_map("proef", base, scenario, tmp_path / "compare.html").read_text(encoding="utf-8")
    assert html.count("unit-change") == 2 and "&#8741;" in html and "&times;" in html
    assert external_references(html) == []
    pairs = {(float(a), float(b)) for a, b in re.findall(r"\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]", html)}
    locations = {(loc.lat, loc.lon) for side in (base, scenario) for loc in side.instance.locations}
    for side in (base, scenario):
        assert not [y.youth_id for y in side.instance.youths if y.youth_id in html]
        # the tiny instance's homes are gemeente points, as are its locations: only those may appear
        assert {(y.home_lat, y.home_lon) for y in side.instance.youths} & pairs <= locations


def test_a_change_below_five_is_banded():
    """+3 unplaced is 'more: 1-4', -7 is 'fewer: 5 or more', 0 no change."""
    from matcher.maps.compare import change_band

    assert [change_band(n)[0] for n in (-7, -4, 0, 3, 5)] == [
        "minder: 5 of meer", "minder: 1-4", "geen verandering", "meer: 1-4", "meer: 5 of meer"]
