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


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    """The written map opened from disk; every request that is not file: or data: is aborted."""
    map_file = write_map(*map_case(), tmp_path_factory.mktemp("browser") / "map.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
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
    yield seen
    page.close()


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
