"""The side-by-side comparison: the same key figures for the baseline and every scenario, and
each scenario's difference to the baseline.

The figures come from ``matcher.analysis.kpis`` over the checked assignment rows of each solution, so a
scenario is judged exactly as a weekly run is. Written as comparison.csv (one row per figure,
for spreadsheets), comparison.md (for a memo) and as a table in the terminal.

Less care is never shown as a saving: the cost of the care given stands beside the youths and
youth-days without care, and the change in cost per year is split into a price effect, a volume
effect and the part that is youths not placed (``cost_change``, documented in docs/scenarios.md).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

from matcher.domain import CARE_TYPES, SETTINGS, URGENCY_LABEL, care_type_name
from matcher.i18n import _, money, ngettext, number, percent
from matcher.instance import Instance
from matcher.wording import how_known_short, saving_of

if TYPE_CHECKING:
    from matcher.analysis.analysis import Analysis

#: kind of each figure -> how it is shown and how its difference is rounded.
COUNT, KM, SHARE, STEPS, EURO, POINTS, TEXT = "count", "km", "share", "steps", "euro", "points", "text"
#: A figure with two decimals (mean group size, mean waiting weeks).
DECIMAL = "decimal"
#: A part of the change in cost per year: shown in the Δ column only, in whole euros.
PART = "part"
#: The three parts of the change in cost per year, in the order of the table.
COST_PARTS = ("cost_change.price", "cost_change.volume", "cost_change.not_placed")


def metrics(figure_keys: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """(key, label, kind) of every figure, in the order of the table.

    ``figure_keys`` are the keys of the solved columns: rows that depend on the instance (care
    type x setting combinations, bovenregio's) are listed for the keys that occur.
    """
    return [*_care_and_cost_rows(), *_demand_rows(), *_supply_rows(), *_dynamic_rows(figure_keys)]


def _care_and_cost_rows() -> list[tuple[str, str, str]]:
    """What the care costs, beside the care not given (first, so nobody reads a saving alone)."""
    return [
        ("status", _("solve status"), TEXT),
        ("residents", _("youths in care after matching"), COUNT),
        ("unplaced", _("youths without a place"), COUNT),
        ("unplaced_displaced", _("of whom displaced: unit closed / changed in the scenario"), COUNT),
        ("displaced", _("residents displaced by the scenario (unit closed / changed)"), COUNT),
        ("youth_days_without_care", _("youth-days without care per year"), COUNT),
        ("cost_per_year", _("cost of the care given per year (EUR)"), EURO),
        ("cost_per_day", _("cost of the care given per day (EUR)"), EURO),
        ("cost_per_resident_per_year", _("cost per youth in care per year (EUR)"), EURO),
        ("mean_price_per_day", _("mean price per etmaal of an occupied place (EUR)"), EURO),
        ("cost_change.price", _("change in cost per year: price effect"), PART),
        ("cost_change.volume", _("change in cost per year: volume effect (demand)"), PART),
        ("cost_change.not_placed", _("change in cost per year: youths not placed (care not given, not a saving)"), PART),
        ("marginal.best", _("where one more place helps most"), TEXT),
        ("marginal.best_value", _("objective saved by that place (points)"), POINTS),
    ]


def _demand_rows() -> list[tuple[str, str, str]]:
    rows = [
        ("new_youths", _("new demand (youths without a place)"), COUNT),
        ("occupants", _("current occupants"), COUNT),
        ("placed", _("placed (new)"), COUNT),
    ]
    rows += [(f"placed.{c}", _("placed: {care_type}").format(care_type=care_type_name(c)), COUNT) for c in CARE_TYPES]
    rows += [(f"placed.urgency.{u}", _("placed: urgency {urgency}").format(urgency=u), COUNT) for u in URGENCY_LABEL.values()]
    rows += [(f"unplaced.{c}", _("unplaced: {care_type}").format(care_type=care_type_name(c)), COUNT) for c in CARE_TYPES]
    rows += [(f"unplaced.urgency.{u}", _("unplaced: urgency {urgency}").format(urgency=u), COUNT) for u in URGENCY_LABEL.values()]
    rows += [
        ("waiting_weeks_unplaced", _("waiting weeks of the unplaced, sum"), COUNT),
        ("waiting_weeks_unplaced_mean", _("waiting weeks of the unplaced, mean"), DECIMAL),
        ("stays", _("occupants staying"), COUNT),
        ("moved", _("occupants moved"), COUNT),
        ("mean_km", _("mean distance of new placements (km)"), KM),
        ("p90_km", _("p90 distance of new placements (km)"), KM),
        ("share_own_jeugdregio", _("placed in own jeugdregio"), SHARE),
        ("share_own_bovenregio", _("placed in own bovenregio"), SHARE),
        ("mean_setting_steps", _("mean setting steps above need"), STEPS),
    ]
    return rows


def _supply_rows() -> list[tuple[str, str, str]]:
    rows = [("places", _("places (all settings)"), COUNT)]
    rows += [(f"places.{s}", _("places: {setting}").format(setting=s), COUNT) for s in SETTINGS]
    rows += [(f"places.care_type.{c}", _("places: {care_type}").format(care_type=care_type_name(c)), COUNT) for c in CARE_TYPES]
    rows += [(f"occupancy.{c}", _("occupancy: {care_type}").format(care_type=care_type_name(c)), SHARE) for c in CARE_TYPES]
    rows += [(f"cost_per_year.care_type.{c}", _("cost per year: {care_type} (EUR)").format(care_type=care_type_name(c)), EURO)
             for c in CARE_TYPES]
    rows += [(f"cost_per_year.setting.{s}", _("cost per year: setting {setting} (EUR)").format(setting=s), EURO) for s in SETTINGS]
    rows += [("objective", _("objective (points)"), POINTS)]
    return rows


def _dynamic_rows(figure_keys: Sequence[str]) -> list[tuple[str, str, str]]:
    """Units and group size per care type and setting, occupancy per bovenregio: as they occur."""
    present = set(figure_keys)
    rows = []
    for c in CARE_TYPES:
        for s in SETTINGS:
            if f"units.{c}.{s}" in present:
                label = _("{care_type}, {setting}").format(care_type=care_type_name(c), setting=s)
                rows.append((f"units.{c}.{s}", _("units: {what}").format(what=label), COUNT))
                rows.append((f"group_size.{c}.{s}", _("mean group size: {what}").format(what=label), DECIMAL))
    for key in sorted(k for k in present if k.startswith("occupancy.bovenregio.")):
        rows.append((key, _("occupancy: bovenregio {name}").format(name=key.split(".", 2)[2]), SHARE))
    return rows


def figures(analysis: Analysis) -> dict[str, Any]:
    """Every figure of the comparison for one solved instance (keys as in ``metrics()``), from the
    solve's own analysis: its counts, key figures and value of one more place."""
    instance, outcomes = analysis.instance, analysis.outcomes
    c, k = analysis.counts, analysis.kpis
    youth = instance.youth_by_id
    placed = [youth[o.youth_id] for o in outcomes if o.status == "placed"]
    f: dict[str, Any] = {
        "status": analysis.status,
        "new_youths": sum(1 for y in instance.youths if not y.is_occupant),
        "occupants": sum(1 for y in instance.youths if y.is_occupant),
        "residents": k["residents"],
        "unplaced": c["unplaced"],
        "unplaced_displaced": k["unplaced_displaced"],
        "displaced": 0,
        "youth_days_without_care": k["youth_days_without_care_per_year"],
        "cost_per_year": k["cost_per_year_total"],
        "cost_per_day": k["cost_per_day_total"],
        "cost_per_resident_per_year": k["cost_per_resident_per_year"],
        "mean_price_per_day": k["mean_price_per_day"],
        "placed": c["placed"],
    }
    f |= _marginal_figures(analysis.marginal_capacity)
    f |= {f"placed.{ct}": sum(1 for y in placed if y.care_type == ct) for ct in CARE_TYPES}
    f |= {f"placed.urgency.{label}": sum(1 for y in placed if y.urgency == u) for u, label in URGENCY_LABEL.items()}
    f |= {f"unplaced.{ct}": c["unplaced_by_care_type"][ct] for ct in CARE_TYPES}
    f |= {f"unplaced.urgency.{label}": k["unplaced_by_urgency"][label] for label in URGENCY_LABEL.values()}
    f |= {"waiting_weeks_unplaced": k["waiting"]["unplaced_waiting_weeks_sum"],
          "waiting_weeks_unplaced_mean": k["waiting"]["unplaced_waiting_weeks_mean"]}
    f |= {"stays": c["stays"], "moved": c["moved"]}
    f |= {key: k[key] for key in ("mean_km", "p90_km", "share_own_jeugdregio", "share_own_bovenregio", "mean_setting_steps")}
    f |= _supply_figures(instance, k)
    f["objective"] = round(analysis.objective, 6)
    return f


def _supply_figures(instance: Instance, k: dict) -> dict[str, Any]:
    f: dict[str, Any] = {"places": sum(u.capacity for u in instance.units)}
    f |= {f"places.{s}": k["places_by_setting"].get(s, 0) for s in SETTINGS}
    f |= {f"places.care_type.{c}": k["places_by_care_type"].get(c, 0) for c in CARE_TYPES}
    f |= {f"occupancy.{c}": k["occupancy_by_care_type"].get(c) for c in CARE_TYPES}
    f |= {f"cost_per_year.care_type.{c}": k["cost_per_year_by_care_type"].get(c, 0.0) for c in CARE_TYPES}
    f |= {f"cost_per_year.setting.{s}": k["cost_per_year_by_setting"].get(s, 0.0) for s in SETTINGS}
    for c, by_setting in k["units_by_care_type_setting"].items():
        for s, u in by_setting.items():
            f[f"units.{c}.{s}"] = u["units"]
            f[f"group_size.{c}.{s}"] = u["mean_group_size"]
    f |= {f"occupancy.bovenregio.{b}": v["occupancy"] for b, v in k["occupancy_by_bovenregio"].items()}
    return f


def _marginal_figures(marginal: dict | None) -> dict[str, Any]:
    """The best extra place of the solve's marginal-capacity list, and whether its value is exact."""
    marginal = marginal or {}
    best = next(iter(marginal.get("units") or []), None)
    if best is None:
        return {"marginal.best": None, "marginal.best_value": None}
    return {"marginal.best": f"{best['unit_id']} ({how_known_short(best)})", "marginal.best_value": saving_of(best)}


# --- the change in cost per year ----------------------------------------------------------------


def cost_change(base: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Fraction] | None:
    """The change in cost per year split into price effect, volume effect and youths not placed.

    With N youths in care, U without a place, D = N + U youths in all, cost per year C and the
    baseline's mean cost per youth in care p0 = C0 / N0 (0 when nobody is in care):

    - price effect    = C1 - p0 x N1   (the scenario's youths in care at its prices instead of p0)
    - volume effect   = p0 x (D1 - D0) (more or fewer youths who need care, at the baseline price)
    - not placed      = -p0 x (U1 - U0) (care not given to the extra youths without a place)

    The three add up to C1 - C0 exactly (computed in exact fractions). None when a figure is missing.
    """
    needed = ("cost_per_year", "residents", "unplaced")
    if any(f.get(k) is None for f in (base, scenario) for k in needed):
        return None
    c0, c1 = Fraction(base["cost_per_year"]), Fraction(scenario["cost_per_year"])
    n0, n1 = base["residents"], scenario["residents"]
    u0, u1 = base["unplaced"], scenario["unplaced"]
    p0 = c0 / n0 if n0 else Fraction(0)
    return {
        "cost_change.price": c1 - p0 * n1,
        "cost_change.volume": p0 * ((n1 + u1) - (n0 + u0)),
        "cost_change.not_placed": -p0 * (u1 - u0),
    }


def rounded_parts(parts: dict[str, Fraction]) -> dict[str, int]:
    """The parts in whole euros, rounded so that they still add up to their (whole) total.

    Largest-remainder rounding: every part is rounded down, and the euros still missing go to the
    parts with the largest fractions (ties in table order).
    """
    total = sum(parts.values(), Fraction(0))
    target = round(total)
    floors = {k: math.floor(v) for k, v in parts.items()}
    missing = target - sum(floors.values())
    by_fraction = sorted(parts, key=lambda k: (-(parts[k] - floors[k]), COST_PARTS.index(k)))
    for k in by_fraction[:missing]:
        floors[k] += 1
    return floors


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One figure: its value per column (baseline first) and each scenario's difference."""

    key: str
    label: str
    kind: str
    values: tuple[Any, ...]
    diffs: tuple[Any, ...]  # one per scenario (not for the baseline)


@dataclass(frozen=True)
class Comparison:
    """The comparison table: column names (baseline first) and one row per figure."""

    names: tuple[str, ...]
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def value(self, name: str, key: str) -> Any:
        return self.row(key).values[self.names.index(name)]

    def diff(self, name: str, key: str) -> Any:
        return self.row(key).diffs[self.names.index(name) - 1]


def difference(kind: str, value: Any, base: Any) -> Any:
    """value - baseline, rounded as the figure is; None when either is missing or not a number."""
    if kind == TEXT or value is None or base is None:
        return None
    d = value - base
    return d if kind == COUNT else round(d, 2 if kind in (EURO, POINTS, DECIMAL) else 4)


def compare(columns: Sequence[tuple[str, dict[str, Any] | None]]) -> Comparison:
    """The table for (name, figures) columns, the baseline first; None figures = not solved."""
    names = tuple(name for name, _f in columns)
    keys = sorted({k for _n, f in columns if f for k in f})
    base = columns[0][1] if columns else None
    parts = [None if (base is None or f is None) else cost_change(base, f) for _n, f in columns[1:]]
    shown_parts = [None if p is None else rounded_parts(p) for p in parts]
    rows = []
    for key, label, kind in metrics(keys):
        values = tuple(None if f is None else f.get(key) for _n, f in columns)
        if key == "status":
            values = tuple("ERROR" if f is None else v for (_n, f), v in zip(columns, values))
        if kind == PART:
            values = (None,) * len(columns)
            diffs = tuple(None if p is None else p[key] for p in shown_parts)
        else:
            diffs = tuple(difference(kind, v, values[0]) for v in values[1:])
        rows.append(Row(key, label, kind, values, diffs))
    return Comparison(names, tuple(rows))


def cost_notes(table: Comparison) -> list[str]:
    """One sentence per scenario that says in words where its change in cost per year comes from."""
    notes = []
    for name in table.names[1:]:
        total = table.diff(name, "cost_per_year")
        if total is None or table.diff(name, COST_PARTS[0]) is None:
            continue
        price, volume, not_placed = (table.diff(name, k) for k in COST_PARTS)
        more_unplaced = table.diff(name, "unplaced") or 0
        text = _("{name}: cost per year {total} = price effect {price} + volume effect {volume}"
                 " + youths not placed {not_placed}.").format(
            name=name, total=signed_money(total), price=signed_money(price), volume=signed_money(volume),
            not_placed=signed_money(not_placed))
        if more_unplaced > 0:
            text += " " + ngettext(
                "{n} more youth has no place: {amount} of the change is care not given, not a saving.",
                "{n} more youths have no place: {amount} of the change is care not given, not a saving.",
                more_unplaced).format(n=number(more_unplaced), amount=signed_money(not_placed))
        notes.append(text)
    return notes


# --- writing ----------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    return "" if value is None else str(value)


def comparison_csv(table: Comparison) -> str:
    """comparison.csv: metric, label, then per column its value and (scenarios) its diff to baseline.

    The three cost_change rows have their part of the change in the diff columns only.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header = ["metric", "label", table.names[0]]
    for name in table.names[1:]:
        header += [name, f"diff {name}"]
    w.writerow(header)
    for row in table.rows:
        cells = [row.key, row.label, _csv_cell(row.values[0])]
        for value, diff in zip(row.values[1:], row.diffs):
            cells += [_csv_cell(value), _csv_cell(diff)]
        w.writerow(cells)
    return buf.getvalue()


def signed_money(value: float) -> str:
    """An amount of euros with its sign (+€ 1.200 / −€ 300)."""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + money(abs(value))


def shown(kind: str, value: Any) -> str:
    """A figure as a planner reads it."""
    if value is None:
        return "" if kind == PART else "–"
    if kind == COUNT:
        return number(value)
    if kind == KM:
        return number(value, 1)
    if kind == SHARE:
        return percent(value)
    if kind in (STEPS, DECIMAL):
        return number(value, 2)
    if kind in (EURO, PART):
        return money(value)
    if kind == POINTS:
        return number(value, 1)
    return str(value)


def shown_diff(kind: str, diff: Any) -> str:
    """A difference to the baseline, always with its sign (shares in percentage points)."""
    if diff is None:
        return ""
    if kind == COUNT:
        return ("+" if diff > 0 else "") + number(diff) if diff else "0"
    if kind in (EURO, PART):
        return signed_money(diff)
    sign = "+" if diff > 0 else ""
    if kind == KM:
        return sign + number(diff, 1)
    if kind == SHARE:
        return _("{value} pp").format(value=sign + number(100 * diff, 1))
    if kind in (STEPS, DECIMAL):
        return sign + number(diff, 2)
    return sign + number(diff, 1)


def _cells(table: Comparison) -> tuple[list[str], list[list[str]]]:
    header = [_("figure"), table.names[0]]
    for name in table.names[1:]:
        header += [name, "Δ"]
    body = []
    for row in table.rows:
        cells = [row.label, shown(row.kind, row.values[0])]
        for value, diff in zip(row.values[1:], row.diffs):
            cells += [shown(row.kind, value), shown_diff(row.kind, diff)]
        body.append(cells)
    return header, body


def terminal_table(table: Comparison) -> str:
    """The comparison as aligned text columns (figure names left, numbers right), then the cost notes."""
    header, body = _cells(table)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    notes = cost_notes(table)
    return "\n".join([line(header), rule, *(line(r) for r in body), *([""] + notes if notes else [])])


def comparison_md(table: Comparison, intro: Sequence[str] = (), sections: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """comparison.md: an intro, the table (Δ = difference to the baseline), the cost notes and a section per scenario."""
    header, body = _cells(table)
    title = "# " + _("Scenario comparison")
    lines = [title, "", *intro, ""] if intro else [title, ""]
    lines += [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
        *("| " + " | ".join(c or " " for c in r) + " |" for r in body),
        "",
        _("Δ is the difference to the baseline (shares in percentage points). Distances, shares and setting steps are over new "
          "placements and moves; occupancy and cost over everybody in a unit after matching (units without a cost per day count 0)."),
        "",
        _("A youth without a place costs nothing in these figures: the change in cost per year is therefore split into a "
          "price effect, a volume effect and the youths not placed, and that last part is care not given, not a saving "
          "(see docs/scenarios.md)."),
    ]
    notes = cost_notes(table)
    if notes:
        lines += ["", *(f"- {n}" for n in notes)]
    for section, paragraphs in sections:
        lines += ["", f"## {section}", "", *paragraphs]
    return "\n".join(lines).rstrip() + "\n"
