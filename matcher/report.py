"""report.md: one page a regional expert team reads on Monday morning."""

from __future__ import annotations

from typing import Sequence

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES
from matcher.i18n import _, money, number, percent
from matcher.instance import Instance
from matcher.kpis import DISPLACED_REASON
from matcher.marginal import how_known, saving_of
from matcher.result import YouthOutcome


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def _num(x, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


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
    lines += ["", _table_head(*_("bovenregio|residents|places|occupancy").split("|"))]
    for b, row in k["occupancy_by_bovenregio"].items():
        lines.append(f"| {b} | {number(row['residents'])} | {number(row['places'])} | {_share(row['occupancy'])} |")
    lines += care_cost_section(k, summary)
    lines += unit_section(k)
    lines += marginal_section(summary.get("marginal_capacity"))
    unplaced = [o for o in outcomes if o.status == "unplaced"]
    lines += ["", f"## Unplaced youths ({len(unplaced)})", ""]
    if k.get("unplaced_displaced"):
        lines += [_("Of them {n} lived in a unit that the scenario closed or changed (reason: '{reason}').").format(
            n=number(k["unplaced_displaced"]), reason=DISPLACED_REASON), ""]
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


def _share(x) -> str:
    return "–" if x is None else percent(x)


def _table_head(*columns: str, left: int = 1) -> str:
    """A markdown table head: the first ``left`` columns left-aligned (text), the others right (numbers)."""
    return "| " + " | ".join(columns) + " |\n|" + "---|" * left + "---:|" * (len(columns) - left)


def care_cost_section(k: dict, summary: dict) -> list[str]:
    """The cost of the care given beside the youths who get none, and how long those have waited."""
    waiting = k["waiting"]
    mean_price = k["mean_price_per_day"]
    per_youth = k["cost_per_resident_per_year"]
    return [
        "", "## " + _("Care given and care not given"), "",
        "- " + _("youths in care after matching: {n}; youths without a place: {unplaced}").format(
            n=number(k["residents"]), unplaced=number(summary["unplaced"])),
        "- " + _("cost of the care given per year {cost}; youth-days without care per year {days} (a youth without a place costs nothing here)").format(
            cost=money(k["cost_per_year_total"]), days=number(k["youth_days_without_care_per_year"])),
        "- " + _("cost per youth in care per year {per_youth}; mean price per etmaal of an occupied place {price}").format(
            per_youth="–" if per_youth is None else money(per_youth), price="–" if mean_price is None else money(mean_price, 2)),
        "- " + _("waiting weeks of the youths without a place: {total} in all, {mean} on average").format(
            total=number(waiting["unplaced_waiting_weeks_sum"]),
            mean="–" if waiting["unplaced_waiting_weeks_mean"] is None else number(waiting["unplaced_waiting_weeks_mean"], 1)),
    ]


def unit_section(k: dict) -> list[str]:
    """Units, places, mean group size and cost per year per care type and setting."""
    lines = ["", "## " + _("Units per care type and setting"), "",
             _table_head(*_("care type|setting|units|places|mean group size").split("|"), left=2)]
    for care_type, by_setting in k["units_by_care_type_setting"].items():
        for setting, row in by_setting.items():
            lines.append(f"| {CARE_TYPE_LABEL[care_type]} | {setting} | {number(row['units'])} | {number(row['places'])}"
                         f" | {number(row['mean_group_size'], 1)} |")
    lines += ["", _table_head(*_("cost per year|amount").split("|"))]
    lines += [f"| {CARE_TYPE_LABEL[c]} | {money(v)} |" for c, v in k["cost_per_year_by_care_type"].items()]
    setting_words = _("setting {setting}")
    lines += [f"| {setting_words.format(setting=s)} | {money(v)} |" for s, v in k["cost_per_year_by_setting"].items()]
    return lines


def _takes(row: dict) -> str:
    youths = row.get("newly_placed") or row.get("takes") or []
    return ", ".join(youths) if youths else "–"


def marginal_section(marginal: dict | None) -> list[str]:
    """Waar helpt één plek extra het meest: units, jeugdregio's and new small units, best first."""
    lines = ["", "## " + _("Where one more place helps most"), ""]
    if not marginal:
        return lines + [_("Not computed: there is no valid solution to start from.")]
    lines += [_("Saving = how much lower the objective (points; 1 point = 1 km, an unplaced youth 1000 or more) gets with one "
                "place more. The first ones are solved again with that place (exact when both solves are proven optimal); "
                "the others are estimates from the transportation relaxation, which leaves out age spread, "
                "contra-indications and siblings."), ""]
    units = marginal["units"]
    if units:
        lines.append(_table_head(
            *_("unit|location|jeugdregio|care type|setting|saving|how known|youths it takes").split("|"), left=5))
        lines += [f"| {r['unit_id']} | {r['location_id']} | {r['jeugdregio']} | {CARE_TYPE_LABEL[r['care_type']]} | {r['setting']}"
                  f" | {number(saving_of(r), 1)} | {how_known(r)} | {_takes(r)} |" for r in units]
    else:
        lines.append(_("No unit's next place lowers the objective: nobody who waits can use one more place in an existing unit."))
    if marginal["jeugdregios"]:
        lines += ["", _table_head(*_("jeugdregio|best unit|estimated saving").split("|"), left=2)]
        lines += [f"| {r['name']} ({r['jeugdregio']}) | {r['best_unit']} | {number(r['estimated_saving'], 1)} |"
                  for r in marginal["jeugdregios"]]
    lines += ["", "### " + _("A new small-scale unit of {k} places at an existing location").format(k=marginal["new_unit_places"]), ""]
    if marginal["new_units"]:
        lines.append(_table_head(
            *_("location|jeugdregio|care type|saving|how known|youths it takes").split("|"), left=3))
        lines += [f"| {r['location_id']} | {r['jeugdregio']} | {CARE_TYPE_LABEL[r['care_type']]} | {number(saving_of(r), 1)}"
                  f" | {how_known(r)} | {_takes(r)} |" for r in marginal["new_units"]]
    else:
        lines.append(_("No new small-scale unit at an existing location lowers the objective."))
    lines += ["", _("Solved again {n} times, {seconds} s in all (at most {limit} s each); the relaxation took {relax} s.").format(
        n=marginal["resolves"], seconds=number(marginal["resolve_seconds"], 1), limit=number(marginal["resolve_time_limit"]),
        relax=number(marginal["relaxation_seconds"], 1))]
    return lines
