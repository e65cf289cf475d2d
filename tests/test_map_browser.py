"""The map in a real browser: headless Chromium with the network cut, as a reviewer offline sees it.

Chromium is Debian's ``/usr/bin/chromium`` driven by playwright. Without it the test is skipped on
a workstation but fails on CI (``CI`` set), so a CI run never passes without looking at the page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from matcher.maps import flow_layers, write_map
from matcher.maps.flows import aggregate_flows
from test_maps import map_case

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def _missing(what: str) -> None:
    message = f"{what}: the browser test of the map cannot run"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is an error: install chromium and playwright)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (python) is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: The smallest and the largest screen the layout is made for.
SCREENS = ((1024, 700), (1920, 1080))
#: A marginal-capacity list as summary.json has it (the map case has no solve of its own).
MARGINAL = {"new_unit_places": 4, "units": [
    {"unit_id": "U-AMS-G", "location_id": "L-AMS", "care_type": "gesloten", "setting": "gesloten",
     "estimated_saving": 900.0, "exact_saving": 880.5, "proof": "exact", "takes": []}],
    "new_units": [{"unit_id": None, "location_id": "L-EIN", "care_type": "eetstoornis", "setting": "kleinschalig",
                   "estimated_saving": 4200.0, "exact_saving": None, "proof": None, "takes": []}]}


@pytest.fixture(scope="module")
def map_file(tmp_path_factory) -> Path:
    instance, outcomes, summary = map_case()
    return write_map(instance, outcomes, {**summary, "marginal_capacity": MARGINAL},
                     tmp_path_factory.mktemp("browser") / "map.html")


def open_offline(browser, map_file: Path, width: int, height: int):
    """The written map opened from disk; every request that is not file: or data: is aborted."""
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = SimpleNamespace(page=page, errors=[], online=[])
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))

    def offline(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen.online.append(url)
            route.abort()

    page.route("**/*", offline)
    page.goto(map_file.as_uri())
    page.wait_for_function(
        "typeof L !== 'undefined' && document.querySelectorAll('.leaflet-locations-pane path').length > 0"
    )
    # the opening fit to the Netherlands zooms with an animation: let it end, as a reviewer would
    page.wait_for_function("window.matcherMap && !window.matcherMap._animatingZoom")
    page.wait_for_timeout(400)
    return seen


@pytest.fixture(scope="module")
def page(browser, map_file):
    seen = open_offline(browser, map_file, 1400, 1000)
    yield seen
    seen.page.close()


def _count(seen, selector: str) -> int:
    return seen.page.eval_on_selector_all(selector, "elements => elements.length")


def test_map_opens_offline_without_errors(page):
    """Leaflet starts from the file alone: no console error and not a single request online."""
    assert page.page.evaluate("L.version") == "1.9.3"
    assert page.errors == []
    assert page.online == []


def test_regions_and_locations_are_drawn(page):
    """All 42 jeugdregio polygons and one circle per location are in the page."""
    assert _count(page, ".leaflet-regions-pane path.region") == 42
    assert _count(page, ".leaflet-locations-pane path.location") == len(map_case()[0].locations)


def test_layer_control_switches_a_flow_layer_off(page):
    """Unticking 'Stromen: gesloten jeugdhulp' removes its lines and leaves the other flows."""
    instance, outcomes, _ = map_case()
    gesloten = sum(f.care_type == "gesloten" for f in aggregate_flows(instance, outcomes).flows)
    total = len(aggregate_flows(instance, outcomes).flows)
    assert len(flow_layers(instance, outcomes)) == 3
    assert _count(page, ".leaflet-flows-pane path.flow-gesloten") == gesloten == 2
    assert _count(page, ".leaflet-flows-pane path.flow") == total
    box = page.page.get_by_label("Stromen: gesloten jeugdhulp")
    box.uncheck()
    assert _count(page, ".leaflet-flows-pane path.flow-gesloten") == 0
    assert _count(page, ".leaflet-flows-pane path.flow") == total - gesloten
    box.check()
    assert _count(page, ".leaflet-flows-pane path.flow-gesloten") == gesloten


def test_screenshot_of_the_map(page, tmp_path_factory):
    """A screenshot is written (for a human to look at) and shows a non-empty page."""
    shot = tmp_path_factory.mktemp("shot") / "map.png"
    page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    keep = os.environ.get("MATCHER_MAP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


PANELS = ("#matcher-panel", "#matcher-legend", ".leaflet-control-layers")

#: Opens the popup of the i-th location from the west (from the view the map opened with), waits
#: until the map has kept it in view, and returns the rectangles of the popup, the panels and the map.
OPEN_POPUP = """async i => {
    const map = window.matcherMap;
    map.closePopup();
    map.setView(window.matcherStart.center, window.matcherStart.zoom, {animate: false});
    const markers = [];
    map.eachLayer(l => { if (l instanceof L.CircleMarker && l.getPopup()) markers.push(l); });
    markers.sort((a, b) => a.getLatLng().lng - b.getLatLng().lng);
    markers[i].openPopup();
    await new Promise(done => setTimeout(done, 200));
    const rect = el => { if (!el) return null; const r = el.getBoundingClientRect();
                         return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    return {count: markers.length,
            popup: rect(document.querySelector('.leaflet-popup-content-wrapper')),
            map: rect(map.getContainer()),
            panels: %s.map(s => rect(document.querySelector(s)))};
}""" % list(PANELS)


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width,height", SCREENS)
def test_popups_stay_clear_of_the_panels_on_every_screen(browser, map_file, tmp_path_factory, width, height):
    """At 1024x700 and 1920x1080 the panels do not overlap each other, and every location's popup,
    opened from the starting view, ends inside the map and clear of the panel, legend and layer switch."""
    seen = open_offline(browser, map_file, width, height)
    page = seen.page
    page.evaluate("window.matcherStart = {center: matcherMap.getCenter(), zoom: matcherMap.getZoom()}")
    rects = [page.eval_on_selector(s, "e => { const r = e.getBoundingClientRect();"
                                      " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }")
             for s in PANELS]
    for i, a in enumerate(rects):
        assert a["right"] <= width and a["bottom"] <= height, PANELS[i]
        for b in rects[i + 1:]:
            assert not _overlap(a, b)
    count = page.evaluate(OPEN_POPUP, 0)["count"]
    shots = tmp_path_factory.mktemp(f"screen-{width}x{height}")
    for i in range(count):
        state = page.evaluate(OPEN_POPUP, i)
        popup = state["popup"]
        assert popup is not None
        assert popup["left"] >= state["map"]["left"] and popup["right"] <= state["map"]["right"], i
        assert popup["top"] >= state["map"]["top"] and popup["bottom"] <= state["map"]["bottom"], i
        for selector, panel in zip(PANELS, state["panels"]):
            assert not _overlap(popup, panel), (i, selector)
        page.screenshot(path=str(shots / f"popup-{i}.png"))
    assert seen.errors == [] and seen.online == []
    keep = os.environ.get("MATCHER_MAP_SCREENSHOT_DIR")
    if keep:
        for shot in shots.iterdir():
            shutil.copy(shot, Path(keep) / f"{width}x{height}-{shot.name}")
    page.close()


def test_panels_fold_and_unfold(page):
    """Both boxes are collapsible: a click on the title folds the legend and a second opens it again."""
    summary = page.page.locator("#matcher-legend > details > summary")
    is_open = "document.querySelector('#matcher-legend details').open"
    before = page.page.evaluate(is_open)
    summary.click()
    assert page.page.evaluate(is_open) is (not before)
    summary.click()
    assert page.page.evaluate(is_open) is before


def test_where_youths_go_is_one_toggle_away(page):
    """The two region layers are radio buttons: choosing 'where youths go' replaces the unplaced colours."""
    assert _count(page, ".leaflet-regions-pane path.destination") == 0
    page.page.get_by_label("Waar jongeren heen gaan, per woonjeugdregio").check()
    assert _count(page, ".leaflet-regions-pane path.destination") == 42
    assert _count(page, ".leaflet-regions-pane path.region") == 42
    page.page.get_by_label("Ongeplaatst per jeugdregio").check()
    assert _count(page, ".leaflet-regions-pane path.destination") == 0


def test_one_more_place_badges_are_drawn(page):
    """The marginal-capacity layer puts a badge at both listed locations."""
    assert _count(page, ".leaflet-marker-pane .capacity") == 2


@pytest.fixture(scope="module")
def compare_file(tmp_path_factory) -> Path:
    from matcher.maps.compare import write_compare_map
    from test_maps import compare_case

    base, scenario = compare_case()
    return write_compare_map("proef", base, scenario, tmp_path_factory.mktemp("compare") / "compare.html")


@pytest.mark.parametrize("width,height", SCREENS)
def test_scenario_map_shows_the_changes_with_the_baseline_one_toggle_away(browser, compare_file, tmp_path_factory,
                                                                         width, height):
    """compare.html offline: the change layer first, the baseline's unplaced one radio button away, unit
    badges drawn, panels apart and a location popup clear of them, at both screen sizes."""
    seen = open_offline(browser, compare_file, width, height)
    page = seen.page
    assert _count(seen, ".leaflet-regions-pane path.change") == 42
    assert _count(seen, ".leaflet-marker-pane .unit-change") == 2
    page.evaluate("window.matcherStart = {center: matcherMap.getCenter(), zoom: matcherMap.getZoom()}")
    state = page.evaluate(OPEN_POPUP, 0)
    for selector, panel in zip(PANELS, state["panels"]):
        assert not _overlap(state["popup"], panel), selector
    page.evaluate("matcherMap.closePopup()")
    if width < 1280:  # the layer switch is folded to its button: hover opens it
        page.hover(".leaflet-control-layers")
    page.get_by_label("Basis: ongeplaatst per jeugdregio").check()
    assert _count(seen, ".leaflet-regions-pane path.change") == 0
    assert _count(seen, ".leaflet-regions-pane path.region") == 42
    page.get_by_label("Verandering ongeplaatst per jeugdregio").check()
    assert _count(seen, ".leaflet-regions-pane path.change") == 42
    shot = tmp_path_factory.mktemp("compare-shot") / f"compare-{width}x{height}.png"
    page.screenshot(path=str(shot))
    keep = os.environ.get("MATCHER_MAP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)
    assert seen.errors == [] and seen.online == []
    page.close()
