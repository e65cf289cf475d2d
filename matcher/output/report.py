"""report.md: one page a regional expert team reads on Monday morning.

Every text is in the run's language (``matcher.i18n``); care types, settings and regions appear
by their Dutch names. The report is an internal working document of the expert team: it lists
youths by their pseudonymous ids, never a home address or home point.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from matcher.domain import CARE_TYPES, care_type_name
from matcher.i18n import _, money, ngettext, number, percent
from matcher.instance import Instance
from matcher.analysis.kpis import DISPLACED_REASON
from matcher.wording import how_known, saving_of
from matcher.result import YouthOutcome

#: An empty cell.
NONE = "–"


def render_report(instance: Instance, outcomes: Sequence[YouthOutcome], summary: dict) -> str:
    """report.md for a checked solution (``summary``: its summary.json)."""
    k = summary["kpis"]
    lines = ["# " + _("Matching report: {name}").format(name=instance.name), ""]
    lines += [_("status {status}; objective {objective} (proven lower bound {bound}, gap {gap}); solved in {seconds} s").format(
        status=summary["status"], objective=number(summary["objective"], 3), bound=number(summary["best_bound"], 3),
        gap=percent(summary["gap"], 3), seconds=number(summary["wall_seconds"], 1))]
    lines += ["", "## " + _("Youths"), "",
              _table_head(*_("placed (new)|stays in place|moved|unplaced").split("|"), left=0),
              "| " + " | ".join(number(summary[key]) for key in ("placed", "stays", "moved", "unplaced")) + " |"]
    lines += arrivals_section(instance, outcomes, k)
    lines += occupancy_section(k, summary)
    lines += care_cost_section(k, summary)
    lines += unit_section(k)
    lines += marginal_section(instance, summary.get("marginal_capacity"))
    lines += unplaced_section(instance, outcomes, k)
    lines += ["", "_" + _("Ids are pseudonymous. No home address or home point appears in this report.") + "_", ""]
    return "\n".join(lines)


# --- pieces -----------------------------------------------------------------------------------


def _share(x) -> str:
    return NONE if x is None else percent(x)


def _decimal(x, decimals: int = 1) -> str:
    return NONE if x is None else number(x, decimals)


def _table_head(*columns: str, left: int = 1, align: str | None = None) -> str:
    """A markdown table head: the first ``left`` columns left-aligned (text), the others right
    (numbers); or ``align``, one ``l``/``r`` per column."""
    align = align or "l" * left + "r" * (len(columns) - left)
    return "| " + " | ".join(columns) + " |\n|" + "".join("---|" if a == "l" else "---:|" for a in align)


def _row(*cells) -> str:
    """A markdown table row; a ``|`` inside a name cannot break the table."""
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def jeugdregio_words(instance: Instance, code: str | None) -> str:
    """``Utrecht West (JR12)``: a jeugdregio by its name, with its code."""
    if not code:
        return NONE
    name = instance.regions.jeugdregio_name.get(code)
    return f"{name} ({code})" if name else code


def location_words(instance: Instance, location_id: str | None) -> str:
    """A location by its name, with its id."""
    if not location_id:
        return NONE
    name = instance.location_by_id[location_id].name
    return f"{name} ({location_id})" if name else location_id


def care_given_words(instance: Instance, o: YouthOutcome) -> str:
    """The care type of the unit, and the care type the youth asked for when that is another."""
    needed = instance.youth_by_id[o.youth_id].care_type
    given = instance.unit_by_id[o.unit_id].care_type
    if given == needed:
        return care_type_name(given)
    return _("{given} (instead of {needed})").format(given=care_type_name(given), needed=care_type_name(needed))


def bovenregio_of_jeugdregio(instance: Instance, code: str | None) -> str:
    return instance.regions.bovenregio_of.get(code or "", NONE)


# --- sections ---------------------------------------------------------------------------------


def arrivals_section(instance: Instance, outcomes: Sequence[YouthOutcome], k: dict) -> list[str]:
    """Distances and region shares of new placements and moves, then who goes where, per bovenregio."""
    lines = [
        "", "## " + _("New placements and moves"), "",
        "- " + _("mean distance {mean} km, p90 {p90} km").format(mean=_decimal(k["mean_km"]), p90=_decimal(k["p90_km"])),
        "- " + _("placed in own jeugdregio {jeugdregio}, in own bovenregio {bovenregio}").format(
            jeugdregio=_share(k["share_own_jeugdregio"]), bovenregio=_share(k["share_own_bovenregio"])),
        "- " + _("mean setting steps above what the youth needs (zo thuis mogelijk: 0 is best) {steps}").format(
            steps=_decimal(k["mean_setting_steps"], 2)),
        "- " + _("cost per day of all residents {per_day} (per year {per_year})").format(
            per_day=money(k["cost_per_day_total"]), per_year=money(k["cost_per_year_total"])),
    ]
    arriving = [o for o in outcomes if o.status in ("placed", "moved")]
    by_bovenregio: dict[str, list[YouthOutcome]] = {}
    for o in arriving:
        by_bovenregio.setdefault(bovenregio_of_jeugdregio(instance, o.unit_jeugdregio), []).append(o)
    youth = instance.youth_by_id
    head = _table_head(*_("youth|care type|from unit|to unit|location|provider|home jeugdregio|jeugdregio of the unit|km")
                       .split("|"), left=8)
    for bovenregio in sorted(by_bovenregio):
        rows = sorted(by_bovenregio[bovenregio], key=lambda o: (o.status != "placed", o.youth_id))
        placed = sum(1 for o in rows if o.status == "placed")
        moves = len(rows) - placed
        lines += ["", "### " + _("Bovenregio {bovenregio}: {placed}, {moves}").format(
            bovenregio=bovenregio,
            placed=ngettext("{n} new placement", "{n} new placements", placed).format(n=number(placed)),
            moves=ngettext("{n} move", "{n} moves", moves).format(n=number(moves))), "", head]
        lines += [_row(o.youth_id, care_given_words(instance, o),
                       youth[o.youth_id].current_unit_id if o.status == "moved" else NONE, o.unit_id,
                       location_words(instance, o.location_id), o.provider or NONE,
                       jeugdregio_words(instance, o.home_jeugdregio), jeugdregio_words(instance, o.unit_jeugdregio),
                       _decimal(o.distance_km)) for o in rows]
    if not arriving:
        lines += ["", _("Nobody is placed or moved.")]
    return lines


def occupancy_section(k: dict, summary: dict) -> list[str]:
    """Residents, places and occupancy per care type and per bovenregio."""
    lines = ["", "## " + _("Occupancy after matching"), "",
             _table_head(*_("care type|residents|places|occupancy|unplaced").split("|"))]
    lines += [_row(care_type_name(c), number(k["residents_by_care_type"][c]), number(k["places_by_care_type"][c]),
                   _share(k["occupancy_by_care_type"][c]), number(summary["unplaced_by_care_type"][c]))
              for c in CARE_TYPES if c in k["places_by_care_type"]]
    lines += ["", _table_head(*_("bovenregio|residents|places|occupancy").split("|"))]
    lines += [_row(b, number(row["residents"]), number(row["places"]), _share(row["occupancy"]))
              for b, row in k["occupancy_by_bovenregio"].items()]
    return lines


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
            per_youth=NONE if per_youth is None else money(per_youth), price=NONE if mean_price is None else money(mean_price, 2)),
        "- " + _("waiting weeks of the youths without a place: {total} in all, {mean} on average").format(
            total=number(waiting["unplaced_waiting_weeks_sum"]), mean=_decimal(waiting["unplaced_waiting_weeks_mean"])),
    ]


def unit_section(k: dict) -> list[str]:
    """Units, places, mean group size and cost per year per care type and setting."""
    lines = ["", "## " + _("Units per care type and setting"), "",
             _table_head(*_("care type|setting|units|places|mean group size").split("|"), left=2)]
    for care_type, by_setting in k["units_by_care_type_setting"].items():
        for setting, row in by_setting.items():
            lines.append(_row(care_type_name(care_type), setting, number(row["units"]), number(row["places"]),
                              number(row["mean_group_size"], 1)))
    lines += ["", _table_head(*_("cost per year|amount").split("|"))]
    lines += [_row(care_type_name(c), money(v)) for c, v in k["cost_per_year_by_care_type"].items()]
    setting_words = _("setting {setting}")
    lines += [_row(setting_words.format(setting=s), money(v)) for s, v in k["cost_per_year_by_setting"].items()]
    return lines


def _takes(row: dict) -> str:
    youths = row.get("newly_placed") or row.get("takes") or []
    return ", ".join(youths) if youths else NONE


def marginal_section(instance: Instance, marginal: dict | None) -> list[str]:
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
            *_("unit|location|jeugdregio|care type|setting|saving|how known|youths it takes").split("|"), align="lllllrll"))
        lines += [_row(r["unit_id"], location_words(instance, r["location_id"]), jeugdregio_words(instance, r["jeugdregio"]),
                       care_type_name(r["care_type"]), r["setting"], number(saving_of(r), 1), how_known(r), _takes(r))
                  for r in units]
    else:
        lines.append(_("No unit's next place lowers the objective: nobody who waits can use one more place in an existing unit."))
    if marginal["jeugdregios"]:
        lines += ["", _table_head(*_("jeugdregio|best unit|estimated saving").split("|"), left=2)]
        lines += [_row(jeugdregio_words(instance, r["jeugdregio"]), r["best_unit"], number(r["estimated_saving"], 1))
                  for r in marginal["jeugdregios"]]
    lines += ["", "### " + _("A new small-scale unit of {k} places at an existing location").format(
        k=number(marginal["new_unit_places"])), ""]
    if marginal["new_units"]:
        lines.append(_table_head(
            *_("location|jeugdregio|care type|saving|how known|youths it takes").split("|"), align="lllrll"))
        lines += [_row(location_words(instance, r["location_id"]), jeugdregio_words(instance, r["jeugdregio"]),
                       care_type_name(r["care_type"]), number(saving_of(r), 1), how_known(r), _takes(r))
                  for r in marginal["new_units"]]
    else:
        lines.append(_("No new small-scale unit at an existing location lowers the objective."))
    lines += ["", _("Solved again {n} times, {seconds} s in all (at most {limit} s each); the relaxation took {relax} s.").format(
        n=number(marginal["resolves"]), seconds=number(marginal["resolve_seconds"], 1),
        limit=number(marginal["resolve_time_limit"]), relax=number(marginal["relaxation_seconds"], 1))]
    return lines


def longest_waiting_first(instance: Instance, unplaced: Sequence[YouthOutcome]) -> list[YouthOutcome]:
    """The unplaced youths by waiting weeks (longest first), then urgency (highest first), then id."""
    youth = instance.youth_by_id
    return sorted(unplaced, key=lambda o: (-youth[o.youth_id].waiting_weeks, -youth[o.youth_id].urgency, o.youth_id))


def unplaced_section(instance: Instance, outcomes: Sequence[YouthOutcome], k: dict) -> list[str]:
    """Who waits: counts per bovenregio and per jeugdregio (of home), then every youth, longest waiting first."""
    unplaced = [o for o in outcomes if o.status == "unplaced"]
    lines = ["", "## " + _("Unplaced youths ({n})").format(n=number(len(unplaced))), ""]
    if k.get("unplaced_displaced"):
        lines += [_("Of them {n} lived in a unit that the scenario closed or changed (reason: '{reason}').").format(
            n=number(k["unplaced_displaced"]), reason=_(DISPLACED_REASON)), ""]
    if not unplaced:
        return lines + [_("Everybody who asked for a place has one.")]
    youth = instance.youth_by_id
    urgent = Counter()
    weeks = Counter()
    by_jeugdregio = Counter()
    for o in unplaced:
        by_jeugdregio[o.home_jeugdregio] += 1
        urgent[o.home_jeugdregio] += youth[o.youth_id].urgency > 1
        weeks[o.home_jeugdregio] = max(weeks[o.home_jeugdregio], youth[o.youth_id].waiting_weeks)
    bovenregio = {j: bovenregio_of_jeugdregio(instance, j) for j in by_jeugdregio}
    lines += ["### " + _("Per bovenregio and jeugdregio of home"), "",
              _table_head(*_("bovenregio|unplaced|of whom urgency 2 or 3|longest wait (weeks)").split("|"))]
    for b in sorted(set(bovenregio.values())):
        regions = [j for j in by_jeugdregio if bovenregio[j] == b]
        lines.append(_row(b, number(sum(by_jeugdregio[j] for j in regions)), number(sum(urgent[j] for j in regions)),
                          number(max(weeks[j] for j in regions))))
    lines += ["", _table_head(*_("bovenregio|home jeugdregio|unplaced|of whom urgency 2 or 3|longest wait (weeks)")
                              .split("|"), left=2)]
    lines += [_row(bovenregio[j], jeugdregio_words(instance, j), number(by_jeugdregio[j]), number(urgent[j]), number(weeks[j]))
              for j in sorted(by_jeugdregio, key=lambda j: (bovenregio[j], j))]
    lines += ["", "### " + _("Longest waiting first"), "",
              _table_head(*_("youth|care type|urgency|waiting weeks|home jeugdregio|why").split("|"), align="llrrll")]
    for o in longest_waiting_first(instance, unplaced):
        y = youth[o.youth_id]
        lines.append(_row(o.youth_id, care_type_name(y.care_type), number(y.urgency), number(y.waiting_weeks),
                          jeugdregio_words(instance, o.home_jeugdregio), o.reason))
    return lines
