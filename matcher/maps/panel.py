"""The side panel and the legend: what a reviewer reads before looking at the map itself.

The panel repeats the headline of summary.json (how good is this solution, how many youths got a
place) and the key figures; the legend explains colours and line styles and says plainly which
numbers are hidden for privacy. Breakdowns of youths (per care type, per region, per flow) below
five are shown as "1-4"; the four headline totals are instance-wide and shown exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from matcher.domain import care_type_name
from matcher.geography.geo import ATTRIBUTION
from matcher.i18n import N_, _, money, percent
from matcher.instance import Instance
from matcher.maps.capacity import BADGE_COLOUR, CAPACITY_LAYER_NAME
from matcher.maps.choropleth import (
    DESTINATION_BANDS,
    DESTINATION_LAYER_NAME,
    TOO_FEW_COLOUR,
    TOO_FEW_LABEL,
    UNPLACED_BANDS,
)
from matcher.maps.elements import HtmlBlock
from matcher.maps.flows import ALL_CARE_TYPES, DISTANCE_BANDS, LEVELS, FlowSummary, flow_layer_name
from matcher.maps.locations import OCCUPANCY_BANDS
from matcher.maps.privacy import SMALL_COUNT, shown_count
from matcher.maps.text import number, safe_text

STATUS_WORDS = {
    "OPTIMAL": N_("proven optimal"),
    "FEASIBLE": N_("valid, not proven optimal"),
    "INFEASIBLE": N_("no solution found"),
    "INVALID_INPUT": N_("invalid input"),
}

#: The panel sits in Leaflet's top-left corner under the zoom buttons, the layer switch and the
#: legend in the top-right corner, one under the other (Leaflet stacks the controls of a corner,
#: so they never overlap); ``layout.py`` limits their height to the window and folds them on a
#: small screen.
PANEL_CSS = """
.matcher-box { background: rgba(255,255,255,0.96); border: 1px solid #999; border-radius: 4px;
  padding: 6px 10px; font: 13px/1.35 Arial, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  overflow: auto; box-sizing: border-box; }
.matcher-box summary { font-weight: bold; cursor: pointer; }
.matcher-box table { border-collapse: collapse; width: 100%; }
.matcher-box .status { margin: 3px 0; }
.matcher-box td { padding: 1px 6px 1px 0; vertical-align: top; }
.matcher-box .num { text-align: right; }
.matcher-box .credit { color: #555; font-size: 11px; margin-top: 6px; }
#matcher-panel { width: min(330px, 32vw); }
#matcher-legend { width: min(300px, 26vw); clear: both; }
.matcher-swatch { display: inline-block; width: 14px; height: 12px; border: 1px solid #777;
  vertical-align: middle; margin-right: 6px; }
.matcher-dot { display: inline-block; width: 11px; height: 11px; border: 1px solid #222;
  border-radius: 50%; vertical-align: middle; margin-right: 6px; }
.matcher-badge { display: inline-block; color: #fff; font: bold 11px/16px Arial, sans-serif;
  padding: 0 4px; border: 1px solid #222; border-radius: 3px; white-space: nowrap; }
.matcher-popup table { border-collapse: collapse; margin-top: 4px; font-size: 11px; }
.matcher-popup th, .matcher-popup td { border-bottom: 1px solid #ddd; padding: 1px 5px; text-align: left; }
"""


def _value(summary: Mapping, key: str, fmt) -> str | None:
    value = summary.get(key)
    if value is None:
        return None
    try:
        return fmt(value)
    except (TypeError, ValueError):
        return safe_text(value)


def _rows(rows: list[tuple[str, str | None]]) -> str:
    return "".join(
        f"<tr><td>{label}</td><td class='num'>{value}</td></tr>" for label, value in rows if value is not None
    )


def _status_line(summary: Mapping) -> str:
    status = summary.get("status")
    if status is None:
        return ""
    words = _(STATUS_WORDS[status]) if status in STATUS_WORDS else None
    label = _("Status")
    return f"<div class='status'>{label}: <b>{safe_text(status)}</b>{f' ({words})' if words else ''}</div>"


def _headline(summary: Mapping) -> list[tuple[str, str | None]]:
    labels = _("Objective|Lower bound|Gap|Newly placed|Stays|Moved|Unplaced").split("|")
    return list(zip(labels, [
        _value(summary, "objective", lambda v: number(float(v), 1)),
        _value(summary, "best_bound", lambda v: number(float(v), 1)),
        _value(summary, "gap", lambda v: percent(float(v), 2)),
        _value(summary, "placed", int),
        _value(summary, "stays", int),
        _value(summary, "moved", int),
        _value(summary, "unplaced", int),
    ]))


def _kpi_rows(kpis: Mapping) -> list[tuple[str, str | None]]:
    labels = _("Mean distance of new placements|P90 distance of new placements|In own jeugdregio|"
               "Mean setting steps above what is needed|Cost per day, all residents").split("|")
    return list(zip(labels, [
        _value(kpis, "mean_km", lambda v: f"{number(float(v), 1)} km"),
        _value(kpis, "p90_km", lambda v: f"{number(float(v), 1)} km"),
        _value(kpis, "share_own_jeugdregio", lambda v: percent(float(v), 0)),
        _value(kpis, "mean_setting_steps", lambda v: number(float(v), 2)),
        _value(kpis, "cost_per_day_total", lambda v: money(float(v))),
    ]))


def _by_care_type(values: Mapping, fmt) -> str:
    rows = []
    for care_type, value in values.items():
        label = care_type_name(care_type)
        try:
            rows.append((f"&nbsp;&nbsp;{safe_text(label)}", fmt(value)))
        except (TypeError, ValueError):
            rows.append((f"&nbsp;&nbsp;{safe_text(label)}", safe_text(value)))
    return _rows(rows)


def side_panel(instance: Instance, summary: Mapping) -> HtmlBlock:
    """Title, solution quality, counts and key figures, with the data credit."""
    name = safe_text(summary.get("instance") or instance.name)
    kpis = summary.get("kpis") or {}
    body = [_rows(_headline(summary))]
    unplaced_by_care_type = summary.get("unplaced_by_care_type") or {}
    if unplaced_by_care_type:
        body.append("<tr><td colspan='2'>" + _("Unplaced per care type") + "</td></tr>")
        body.append(_by_care_type(unplaced_by_care_type, lambda v: shown_count(int(v))))
    body.append(_rows(_kpi_rows(kpis)))
    occupancy = kpis.get("occupancy_by_care_type") or {}
    if occupancy:
        body.append("<tr><td colspan='2'>" + _("Occupancy per care type") + "</td></tr>")
        body.append(_by_care_type(occupancy, lambda v: f"{number(100 * float(v))}%"))
    title = _("Youth care matching: {name}").format(name=name)
    credit = " ".join([_("Borders: {credit}.").format(credit=safe_text(ATTRIBUTION)),
                       _("This map loads nothing from the internet; an online background map is in the layer switch.")])
    html = (
        "<div id='matcher-panel' class='matcher-box'><details open>"
        f"<summary>{title}</summary>{_status_line(summary)}"
        f"<table>{''.join(body)}</table>"
        f"<div class='credit'>{credit}</div>"
        "</details></div>"
    )
    return HtmlBlock("SidePanel", html, PANEL_CSS)


def _line_sample(colour: str, dash: str | None, width: float = 3.0) -> str:
    """A short line drawn exactly as the map draws it (colour, width, dash pattern)."""
    dash_attr = f" stroke-dasharray='{dash}'" if dash else ""
    return (
        "<svg width='30' height='10' style='vertical-align:middle;margin-right:6px'>"
        f"<line x1='2' y1='5' x2='28' y2='5' stroke='{colour}' stroke-width='{width}'"
        f" stroke-linecap='round'{dash_attr}/></svg>"
    )


def _flow_lines(flows: FlowSummary) -> str:
    """The distance colours, then the line style of each pooling step."""
    colours = "".join("<div>" + _line_sample(colour, None, 4) + _(label) + "</div>" for _b, label, colour in DISTANCE_BANDS)
    styles = "".join("<div>" + _line_sample("#555", level.dash) + _(level.legend_words) + "</div>" for level in LEVELS)
    colour_words = _("Colour: mean distance of the youths of a line")
    style_words = _("Line style: from where, as fine as privacy allows (broken = pooled)")
    return f"<div>{colour_words}</div>{colours}<div style='margin-top:3px'>{style_words}</div>{styles}"


def _flow_privacy(flows: FlowSummary) -> str:
    """The counts always in view; how the pooling works one click away."""
    counts = _("No line stands for fewer than {small} youths. Shown: {shown} of {total} youths with a new placement or "
               "move, {within} of them within their own bovenregio (layer '{layer}'); left out: {left} youths.").format(
        small=SMALL_COUNT, shown=shown_count(flows.shown_youths), total=shown_count(flows.total_youths),
        within=shown_count(flows.within_bovenregio_youths), layer=safe_text(_(DESTINATION_LAYER_NAME)),
        left=shown_count(flows.suppressed_youths))
    how = _("A flow gemeente &rarr; location is shown from {small} youths on. Smaller flows are pooled step by step "
            "within their care type: per jeugdregio to the location, then per bovenregio to the location, then per "
            "bovenregio to the bovenregio of the location. Youths who stay within their own bovenregio at several "
            "locations are not drawn as a line but counted per home jeugdregio in the layer '{layer}'. What is still "
            "too small per care type is in the layer '{all}', per pair of bovenregio's; a care-type layer therefore does "
            "not always show all its youths. What stays below {small} even there is left out. Counts of 1 to 4 show "
            "as '1-4'. Lines start in a gemeente, a jeugdregio or the middle of a bovenregio (weighted by where its "
            "youths live), never at a home address. Youths who stay count in the occupancy, not as a flow.").format(
        small=SMALL_COUNT, layer=safe_text(_(DESTINATION_LAYER_NAME)), all=safe_text(flow_layer_name(ALL_CARE_TYPES)))
    summary = _("How flows are pooled")
    return f"{counts}<details><summary style='font-weight:normal'>{summary}</summary>{how}</details>"


def _swatches(bands, kind: str = "matcher-swatch") -> str:
    return "".join(f"<div><span class='{kind}' style='background:{colour}'></span>" + _(label) + "</div>"
                   for _b, label, colour in bands)


def legend(flows: FlowSummary, with_capacity: bool = False) -> HtmlBlock:
    """What colours and lines mean, and which small numbers are hidden and why."""
    destination = _swatches(DESTINATION_BANDS) + _swatches(((0, TOO_FEW_LABEL, TOO_FEW_COLOUR),))
    badge = f"<span class='matcher-badge' style='background:{BADGE_COLOUR}'>" + "{label}</span>"
    capacity = (
        "<div style='margin-top:4px'><b>" + _(CAPACITY_LAYER_NAME) + "</b>: "
        + _("{one} one more place in a unit here saves most; {new} a new small-scale unit here").format(
            one=badge.format(label="+1"), new=badge.format(label="+4"))
        + "</div>"
        if with_capacity else ""
    )
    parts = {
        "legend": _("Legend"),
        "unplaced": _("<b>Unplaced youths per jeugdregio</b> (home region)"),
        "destination": _(DESTINATION_LAYER_NAME),
        "locations": _("<b>Locations</b>: size = places, colour = occupancy after matching"),
        "flows": _("<b>Flows</b> (new placements and moves), width = number of youths"),
    }
    html = (
        f"<div id='matcher-legend' class='matcher-box'><details open><summary>{parts['legend']}</summary>"
        f"<div>{parts['unplaced']}</div>{_swatches(UNPLACED_BANDS)}"
        f"<div style='margin-top:4px'><b>{parts['destination']}</b></div>{destination}"
        f"<div style='margin-top:4px'>{parts['locations']}</div>{_swatches(OCCUPANCY_BANDS, 'matcher-dot')}"
        f"<div style='margin-top:4px'>{parts['flows']}</div>{_flow_lines(flows)}{capacity}"
        f"<div class='credit'>{_flow_privacy(flows)}</div>"
        "</details></div>"
    )
    return HtmlBlock("Legend", html)
