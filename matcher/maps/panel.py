"""The side panel and the legend: what a reviewer reads before looking at the map itself.

The panel repeats the headline of summary.json (how good is this solution, how many youths got a
place) and the key figures; the legend explains colours and line styles and says plainly which
numbers are hidden for privacy. Breakdowns of youths (per care type, per region, per flow) below
five are shown as "1-4"; the four headline totals are instance-wide and shown exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from matcher.domain import CARE_TYPE_LABEL
from matcher.geo import ATTRIBUTION
from matcher.instance import Instance
from matcher.maps.choropleth import UNPLACED_BANDS
from matcher.maps.elements import HtmlBlock
from matcher.maps.flows import (
    ALL_CARE_TYPES,
    FLOW_COLOUR,
    LEVELS,
    LONG_DISTANCE_COLOUR,
    LONG_DISTANCE_KM,
    FlowSummary,
    care_type_words,
    flow_layer_name,
)
from matcher.maps.locations import OCCUPANCY_BANDS
from matcher.maps.privacy import SMALL_COUNT, shown_count
from matcher.maps.text import number, safe_text

STATUS_WORDS = {
    "OPTIMAL": "bewezen optimaal",
    "FEASIBLE": "toegelaten, niet bewezen optimaal",
    "INFEASIBLE": "geen oplossing gevonden",
    "INVALID_INPUT": "ongeldige invoer",
}

PANEL_CSS = """
.matcher-box { position: fixed; z-index: 1000; background: rgba(255,255,255,0.95);
  border: 1px solid #999; border-radius: 4px; padding: 6px 10px; font: 13px/1.35 Arial, sans-serif;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); overflow: auto; }
.matcher-box summary { font-weight: bold; cursor: pointer; }
.matcher-box table { border-collapse: collapse; width: 100%; }
.matcher-box .status { margin: 3px 0; }
.matcher-box td { padding: 1px 6px 1px 0; vertical-align: top; }
.matcher-box .num { text-align: right; }
.matcher-box .credit { color: #555; font-size: 11px; margin-top: 6px; }
#matcher-panel { top: 10px; left: 56px; width: 330px; max-height: calc(100% - 40px); }
#matcher-legend { bottom: 30px; right: 10px; width: 270px; max-height: calc(100% - 260px); }
.matcher-swatch { display: inline-block; width: 14px; height: 12px; border: 1px solid #777;
  vertical-align: middle; margin-right: 6px; }
.matcher-dot { display: inline-block; width: 11px; height: 11px; border: 1px solid #222;
  border-radius: 50%; vertical-align: middle; margin-right: 6px; }
.matcher-line { display: inline-block; width: 26px; height: 0; border-top: 4px solid;
  vertical-align: middle; margin-right: 6px; }
.matcher-popup table { border-collapse: collapse; margin-top: 4px; font-size: 12px; }
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
    words = STATUS_WORDS.get(status)
    return f"<div class='status'>Status: <b>{safe_text(status)}</b>{f' ({words})' if words else ''}</div>"


def _headline(summary: Mapping) -> list[tuple[str, str | None]]:
    return [
        ("Doelwaarde", _value(summary, "objective", lambda v: number(float(v), 1))),
        ("Ondergrens", _value(summary, "best_bound", lambda v: number(float(v), 1))),
        ("Gap", _value(summary, "gap", lambda v: f"{number(100 * float(v), 2)}%")),
        ("Nieuw geplaatst", _value(summary, "placed", int)),
        ("Blijft zitten", _value(summary, "stays", int)),
        ("Verplaatst", _value(summary, "moved", int)),
        ("Ongeplaatst", _value(summary, "unplaced", int)),
    ]


def _kpi_rows(kpis: Mapping) -> list[tuple[str, str | None]]:
    return [
        ("Gemiddelde afstand nieuwe plaatsingen", _value(kpis, "mean_km", lambda v: f"{number(float(v), 1)} km")),
        ("P90 afstand nieuwe plaatsingen", _value(kpis, "p90_km", lambda v: f"{number(float(v), 1)} km")),
        ("In eigen jeugdregio", _value(kpis, "share_own_jeugdregio", lambda v: f"{number(100 * float(v))}%")),
        ("Gem. stappen boven min_setting", _value(kpis, "mean_setting_steps", lambda v: number(float(v), 2))),
        ("Kosten per dag, alle bewoners", _value(kpis, "cost_per_day_total", lambda v: f"€ {number(float(v))}")),
    ]


def _by_care_type(values: Mapping, fmt) -> str:
    rows = []
    for care_type, value in values.items():
        label = CARE_TYPE_LABEL.get(care_type, care_type)
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
        body.append("<tr><td colspan='2'>Ongeplaatst per zorgtype</td></tr>")
        body.append(_by_care_type(unplaced_by_care_type, lambda v: shown_count(int(v))))
    body.append(_rows(_kpi_rows(kpis)))
    occupancy = kpis.get("occupancy_by_care_type") or {}
    if occupancy:
        body.append("<tr><td colspan='2'>Bezetting per zorgtype</td></tr>")
        body.append(_by_care_type(occupancy, lambda v: f"{number(100 * float(v))}%"))
    html = (
        "<div id='matcher-panel' class='matcher-box'><details open>"
        f"<summary>Matching jeugdzorg: {name}</summary>{_status_line(summary)}"
        f"<table>{''.join(body)}</table>"
        f"<div class='credit'>Grenzen: {safe_text(ATTRIBUTION)}. "
        "Deze kaart laadt niets van internet; een online achtergrondkaart kan via de lagenknop.</div>"
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
    """Colour per layer and the long-distance red, then the line style of each pooling step."""
    colours = "".join(
        f"<div>{_line_sample(FLOW_COLOUR[c], None, 4)}{safe_text(care_type_words(c))}</div>"
        for c in flows.care_types
    )
    colours += (
        f"<div>{_line_sample(LONG_DISTANCE_COLOUR, None, 4)}gemiddeld meer dan {number(LONG_DISTANCE_KM)} km</div>"
    )
    styles = "".join(f"<div>{_line_sample('#555', level.dash)}{level.legend_words}</div>" for level in LEVELS)
    ring = LEVELS[-1]
    styles += (
        "<div><svg width='30' height='18' style='vertical-align:middle;margin-right:6px'>"
        f"<circle cx='15' cy='9' r='7' fill='none' stroke='#555' stroke-width='2.5' stroke-linecap='round'"
        f" stroke-dasharray='{ring.dash}'/></svg>binnen de eigen bovenregio</div>"
    )
    return (
        colours + "<div style='margin-top:3px'>Lijnsoort: van waar, zo fijn als privacy toelaat "
        f"(onderbroken = samengevoegd)</div>{styles}"
    )


def _flow_privacy(flows: FlowSummary) -> str:
    """The counts always in view; how the pooling works one click away."""
    return (
        f"Geen lijn staat voor minder dan {SMALL_COUNT} jongeren. Getoond: {shown_count(flows.shown_youths)} "
        f"van {shown_count(flows.total_youths)} jongeren met een nieuwe plaatsing of verplaatsing; "
        f"weggelaten: {shown_count(flows.suppressed_youths)} jongeren."
        "<details><summary style='font-weight:normal'>Hoe stromen worden samengevoegd</summary>"
        "Een stroom gemeente &rarr; locatie wordt alleen getoond vanaf "
        f"{SMALL_COUNT} jongeren. Kleinere stromen worden per zorgtype stap voor stap samengevoegd: per "
        "jeugdregio naar de locatie, dan per bovenregio naar de locatie, dan per bovenregio naar de "
        "bovenregio van de locatie (een cirkel als dat de eigen bovenregio is). Wat per zorgtype dan nog "
        f"te klein is, staat per paar bovenregio's in de laag '{safe_text(flow_layer_name(ALL_CARE_TYPES))}'; "
        f"een zorgtypelaag toont dus niet altijd al zijn jongeren. Wat ook daar onder {SMALL_COUNT} blijft, "
        "is weggelaten. Aantallen van 1 tot 4 staan er als '1-4'. Lijnen beginnen in een gemeente, een "
        "jeugdregio of het midden van een bovenregio (gewogen naar waar de jeugd woont), nooit bij een "
        "woonadres. Jongeren die blijven zitten tellen mee in de bezetting, niet als stroom.</details>"
    )


def legend(flows: FlowSummary) -> HtmlBlock:
    """What colours and lines mean, and which small numbers are hidden and why."""
    bands = "".join(
        f"<div><span class='matcher-swatch' style='background:{colour}'></span>{label}</div>"
        for _, label, colour in UNPLACED_BANDS
    )
    occupancy = "".join(
        f"<div><span class='matcher-dot' style='background:{colour}'></span>{label}</div>"
        for _, label, colour in OCCUPANCY_BANDS
    )
    html = (
        "<div id='matcher-legend' class='matcher-box'><details open><summary>Legenda</summary>"
        f"<div><b>Ongeplaatste jongeren per jeugdregio</b> (woonregio)</div>{bands}"
        f"<div style='margin-top:4px'><b>Locaties</b>: grootte = plaatsen, kleur = bezetting na matching</div>"
        f"{occupancy}"
        f"<div style='margin-top:4px'><b>Stromen</b> (nieuwe plaatsingen en verplaatsingen), "
        f"dikte = aantal jongeren</div>{_flow_lines(flows)}"
        f"<div class='credit'>{_flow_privacy(flows)}</div>"
        "</details></div>"
    )
    return HtmlBlock("Legend", html)
