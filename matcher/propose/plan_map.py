"""The map of a plan (map.html): what opens, converts and closes, and the change in expected
waiting per jeugdregio.

Built from the map package's blocks (offline page, region shapes, the unit badges of the
scenario comparison) with the same rules as every map: nothing loaded from the internet, no
youth id or home point (a new site at a gemeente's point is moved off any home point), and the
expected youths without a place per jeugdregio — a model estimate — shown in the bands of the
comparison map, changes and counts below 5 banded.
"""

from __future__ import annotations

from collections import defaultdict

import folium

from matcher.geography.geo import ATTRIBUTION
from matcher.i18n import _, money
from matcher.instance import Instance
from matcher.maps.build import empty_map, finish_map, write_html
from matcher.maps.choropleth import REGION_PANE
from matcher.maps.compare import (
    CHANGE_COLOUR,
    CHANGE_KINDS,
    UNPLACED_CHANGE_BANDS,
    Side,
    change_band,
    unit_change_layer,
)
from matcher.maps.elements import HtmlBlock
from matcher.maps.panel import PANEL_CSS
from matcher.maps.privacy import away_from_homes, home_cells, shown_count
from matcher.maps.shapes import feature_collection, jeugdregio_shapes
from matcher.maps.text import safe_text
from matcher.propose.propose import Estimate


def waiting_by_jeugdregio(instance: Instance, estimate: Estimate) -> dict[str, float]:
    """Expected youths without a place at a random week, per home jeugdregio."""
    total: dict[str, float] = defaultdict(float)
    for gemeente, n in estimate.unplaced_by_home.items():
        total[instance.regions.jeugdregio_of[gemeente]] += n
    return total


def waiting_change_layer(instance: Instance, today: Estimate, plan: Estimate) -> folium.GeoJson:
    """Per home jeugdregio: expected youths waiting with the plan minus today (rounded, banded)."""
    shapes = jeugdregio_shapes(instance.regions)
    before, after = waiting_by_jeugdregio(instance, today), waiting_by_jeugdregio(instance, plan)

    def properties(code: str) -> dict:
        b, a = round(before.get(code, 0.0)), round(after.get(code, 0.0))
        band, colour = change_band(a - b)
        return {"jeugdregio": f"{shapes.at[code, 'name']} ({code})", "before": shown_count(b), "after": shown_count(a),
                "band": band, "fill": colour}

    return folium.GeoJson(
        feature_collection(shapes, properties),
        name=_("Change in expected youths waiting per jeugdregio (model estimate)"),
        overlay=False,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.8, "color": "#555555", "weight": 1},
        tooltip=folium.GeoJsonTooltip(fields=["jeugdregio", "before", "after", "band"],
                                      aliases=_("Jeugdregio|Waiting, today|Waiting, with the plan|Change").split("|")),
        pane=REGION_PANE, className="region change", attribution=ATTRIBUTION)


def plan_unit_layer(today: Instance, planned: Instance) -> folium.FeatureGroup:
    """A badge per location where the plan closes, converts, splits or opens units; a new site
    at a gemeente's point is first moved off any youth's home point."""
    cells = home_cells((y.home_lat, y.home_lon) for y in today.youths)
    moved = tuple(loc if loc.location_id in today.location_by_id
                  else loc.model_copy(update=dict(zip(("lat", "lon"), away_from_homes((loc.lat, loc.lon), cells))))
                  for loc in planned.locations)
    drawn = Instance.model_construct(**{**{k: getattr(planned, k) for k in type(planned).model_fields}, "locations": moved})
    return unit_change_layer(Side(today, (), {}), Side(drawn, (), {}))


def plan_panel(name: str, today: Estimate, plan: Estimate) -> HtmlBlock:
    """Title and the model's headline figures of today and the plan."""
    rows = [(_("expected youths waiting"), shown_count(round(today.unplaced)), shown_count(round(plan.unplaced))),
            (_("mean km"), f"{today.km:.1f}", f"{plan.km:.1f}"),
            (_("funded places per year"), money(today.funded_per_year), money(plan.funded_per_year))]
    body = "".join(f"<tr><td>{a}</td><td class='num'>{b}</td><td class='num'>{c}</td></tr>" for a, b, c in rows)
    head = _("today|plan").split("|")
    html = (f"<div id='matcher-panel' class='matcher-box'><details open><summary>"
            f"{_('Plan {name}').format(name=safe_text(name))}</summary>"
            f"<table><tr><th></th><th class='num'>{head[0]}</th><th class='num'>{head[1]}</th></tr>{body}</table>"
            f"<div class='credit'>{_('Model estimates over the sampled demand states; see report.md.')}</div>"
            f"</details></div>")
    return HtmlBlock("PlanPanel", html, PANEL_CSS)


def plan_legend() -> HtmlBlock:
    """Colours of the waiting change and the unit badges."""
    bands = "".join(f"<div><span class='matcher-swatch' style='background:{colour}'></span>{_(label)}</div>"
                    for _upto, label, colour in UNPLACED_CHANGE_BANDS)
    badges = "".join(f"<div><span class='matcher-badge' style='background:{CHANGE_COLOUR}'>{symbol}</span> {_(words)}</div>"
                     for symbol, words in CHANGE_KINDS.values())
    html = (f"<div id='matcher-legend' class='matcher-box'><details open><summary>{_('Legend')}</summary>"
            f"<div><b>{_('Change in expected youths waiting per jeugdregio (model estimate)')}</b></div>{bands}"
            f"<div style='margin-top:4px'><b>{_('Units closed, split, converted or new')}</b></div>{badges}"
            f"<div class='credit'>{_('Changes of 1 to 4 youths are shown as a band, as are counts below 5.')}</div>"
            f"</details></div>")
    return HtmlBlock("PlanLegend", html)


def build_plan_map(name: str, today: Instance, planned: Instance, estimates: tuple[Estimate, Estimate]) -> folium.Map:
    """The plan's map: waiting change per jeugdregio, unit badges, the headline figures."""
    now, plan = estimates
    m = empty_map()
    waiting_change_layer(today, now, plan).add_to(m)
    plan_unit_layer(today, planned).add_to(m)
    plan_panel(name, now, plan).add_to(m)
    plan_legend().add_to(m)
    return finish_map(m)


def write_plan_map(name: str, today: Instance, planned: Instance, estimates: tuple[Estimate, Estimate], path):
    """Write map.html; refuses a page that would load anything online."""
    return write_html(build_plan_map(name, today, planned, estimates), path)

