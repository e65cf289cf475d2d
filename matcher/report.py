"""report.md: one page a regional expert team reads on Monday morning."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES
from matcher.instance import Instance
from matcher.result import YouthOutcome


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def _num(x, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


def occupancy_by_bovenregio(instance: Instance, outcomes: Sequence[YouthOutcome]) -> dict[str, tuple[int, int]]:
    """bovenregio -> (residents afterwards, places), by the location of the unit."""
    regions = instance.regions
    loc = instance.location_by_id
    units = instance.unit_by_id
    places: Counter = Counter()
    residents: Counter = Counter()
    for u in instance.units:
        places[regions.bovenregio_of_gemeente(loc[u.location_id].gemeente)] += u.capacity
    for o in outcomes:
        if o.unit_id is not None:
            residents[regions.bovenregio_of_gemeente(loc[units[o.unit_id].location_id].gemeente)] += 1
    return {b: (residents[b], places[b]) for b in sorted(places)}


def render_report(instance: Instance, outcomes: Sequence[YouthOutcome], summary: dict) -> str:
    k = summary["kpis"]
    lines = [
        f"# Matching report: {instance.name}",
        "",
        f"**Status:** {summary['status']}  ",
        f"**Objective:** {summary['objective']:.3f} (proven lower bound {summary['best_bound']:.3f}, gap {100 * summary['gap']:.3f} %)  ",
        f"**Solved in:** {summary['wall_seconds']:.1f} s",
        "",
        "## Youths",
        "",
        "| placed (new) | stays | moved | unplaced |",
        "|---:|---:|---:|---:|",
        f"| {summary['placed']} | {summary['stays']} | {summary['moved']} | {summary['unplaced']} |",
        "",
        "## New placements and moves",
        "",
        f"- mean distance {_num(k['mean_km'])} km, p90 {_num(k['p90_km'])} km",
        f"- placed in own jeugdregio {_pct(k['share_own_jeugdregio'])}, in own bovenregio {_pct(k['share_own_bovenregio'])}",
        f"- mean setting steps above need (zo thuis mogelijk: 0 is best) {_num(k['mean_setting_steps'], '{:.2f}')}",
        f"- total cost per day of all residents € {k['cost_per_day_total']:,.0f} (per year € {k['cost_per_year_total']:,.0f})",
        "",
        "## Occupancy after matching",
        "",
        "| care type | residents | places | occupancy | unplaced |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in CARE_TYPES:
        if c in k["places_by_care_type"]:
            lines.append(
                f"| {CARE_TYPE_LABEL[c]} | {k['residents_by_care_type'][c]} | {k['places_by_care_type'][c]} |"
                f" {_pct(k['occupancy_by_care_type'][c])} | {summary['unplaced_by_care_type'][c]} |"
            )
    lines += ["", "| bovenregio | residents | places | occupancy |", "|---|---:|---:|---:|"]
    for b, (res, places) in occupancy_by_bovenregio(instance, outcomes).items():
        lines.append(f"| {b} | {res} | {places} | {_pct(res / places if places else None)} |")
    unplaced = [o for o in outcomes if o.status == "unplaced"]
    lines += ["", f"## Unplaced youths ({len(unplaced)})", ""]
    if unplaced:
        youth = instance.youth_by_id
        lines += ["| youth | care type | urgency | waiting weeks | home jeugdregio | why |", "|---|---|---:|---:|---|---|"]
        for o in sorted(unplaced, key=lambda o: (-youth[o.youth_id].urgency, -youth[o.youth_id].waiting_weeks, o.youth_id)):
            y = youth[o.youth_id]
            lines.append(f"| {o.youth_id} | {y.care_type} | {y.urgency} | {y.waiting_weeks} | {o.home_jeugdregio} | {o.reason} |")
    else:
        lines.append("Everybody who asked for a place has one.")
    lines += ["", "_Ids are pseudonymous. No home address or home point appears in this report._", ""]
    return "\n".join(lines)
