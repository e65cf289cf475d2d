"""The side-by-side comparison: the same key figures for the baseline and every scenario, and
each scenario's difference to the baseline.

The figures come from ``matcher.kpis`` over the checked assignment rows of each solution, so a
scenario is judged exactly as a weekly run is. Written as comparison.csv (one row per figure,
for spreadsheets), comparison.md (for a memo) and as a table in the terminal.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Sequence

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES, SETTINGS, URGENCY_LABEL
from matcher.instance import Instance
from matcher.kpis import counts, kpis
from matcher.result import YouthOutcome

#: kind of each figure -> how it is shown and how its difference is rounded.
COUNT, KM, SHARE, STEPS, EURO, POINTS, TEXT = "count", "km", "share", "steps", "euro", "points", "text"


def metrics() -> list[tuple[str, str, str]]:
    """(key, label, kind) of every figure, in the order of the table."""
    rows = [
        ("status", "solve status", TEXT),
        ("new_youths", "new demand (youths without a place)", COUNT),
        ("occupants", "current occupants", COUNT),
        ("placed", "placed (new)", COUNT),
    ]
    rows += [(f"placed.{c}", f"placed: {CARE_TYPE_LABEL[c]}", COUNT) for c in CARE_TYPES]
    rows += [(f"placed.urgency.{u}", f"placed: urgency {u}", COUNT) for u in URGENCY_LABEL.values()]
    rows += [("unplaced", "unplaced", COUNT)]
    rows += [(f"unplaced.{c}", f"unplaced: {CARE_TYPE_LABEL[c]}", COUNT) for c in CARE_TYPES]
    rows += [(f"unplaced.urgency.{u}", f"unplaced: urgency {u}", COUNT) for u in URGENCY_LABEL.values()]
    rows += [
        ("stays", "occupants staying", COUNT),
        ("moved", "occupants moved", COUNT),
        ("mean_km", "mean distance of new placements (km)", KM),
        ("p90_km", "p90 distance of new placements (km)", KM),
        ("share_own_jeugdregio", "placed in own jeugdregio", SHARE),
        ("share_own_bovenregio", "placed in own bovenregio", SHARE),
        ("mean_setting_steps", "mean setting steps above need", STEPS),
        ("places", "places (all settings)", COUNT),
    ]
    rows += [(f"places.{s}", f"places: {s}", COUNT) for s in SETTINGS]
    rows += [(f"occupancy.{c}", f"occupancy: {CARE_TYPE_LABEL[c]}", SHARE) for c in CARE_TYPES]
    rows += [
        ("cost_per_day", "cost per day of all residents (EUR)", EURO),
        ("cost_per_year", "cost per year of all residents (EUR)", EURO),
        ("objective", "objective (points)", POINTS),
    ]
    return rows


def figures(instance: Instance, outcomes: Sequence[YouthOutcome], status: str | None = None,
            objective: float | None = None) -> dict[str, Any]:
    """Every figure of the comparison for one solved instance (keys as in ``metrics()``)."""
    c = counts(instance, outcomes)
    k = kpis(instance, outcomes)
    youth = instance.youth_by_id
    placed = [youth[o.youth_id] for o in outcomes if o.status == "placed"]
    f: dict[str, Any] = {
        "status": status,
        "new_youths": sum(1 for y in instance.youths if not y.is_occupant),
        "occupants": sum(1 for y in instance.youths if y.is_occupant),
        "placed": c["placed"],
    }
    f |= {f"placed.{ct}": sum(1 for y in placed if y.care_type == ct) for ct in CARE_TYPES}
    f |= {f"placed.urgency.{label}": sum(1 for y in placed if y.urgency == u) for u, label in URGENCY_LABEL.items()}
    f["unplaced"] = c["unplaced"]
    f |= {f"unplaced.{ct}": c["unplaced_by_care_type"][ct] for ct in CARE_TYPES}
    f |= {f"unplaced.urgency.{label}": k["unplaced_by_urgency"][label] for label in URGENCY_LABEL.values()}
    f |= {"stays": c["stays"], "moved": c["moved"]}
    f |= {key: k[key] for key in ("mean_km", "p90_km", "share_own_jeugdregio", "share_own_bovenregio", "mean_setting_steps")}
    f["places"] = sum(u.capacity for u in instance.units)
    f |= {f"places.{s}": k["places_by_setting"].get(s, 0) for s in SETTINGS}
    f |= {f"occupancy.{ct}": k["occupancy_by_care_type"].get(ct) for ct in CARE_TYPES}
    f |= {"cost_per_day": k["cost_per_day_total"], "cost_per_year": k["cost_per_year_total"], "objective": objective}
    return f


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

    def value(self, name: str, key: str) -> Any:
        row = next(r for r in self.rows if r.key == key)
        return row.values[self.names.index(name)]

    def diff(self, name: str, key: str) -> Any:
        row = next(r for r in self.rows if r.key == key)
        return row.diffs[self.names.index(name) - 1]


def difference(kind: str, value: Any, base: Any) -> Any:
    """value - baseline, rounded as the figure is; None when either is missing or not a number."""
    if kind == TEXT or value is None or base is None:
        return None
    d = value - base
    return d if kind == COUNT else round(d, 2 if kind in (EURO, POINTS) else 4)


def compare(columns: Sequence[tuple[str, dict[str, Any] | None]]) -> Comparison:
    """The table for (name, figures) columns, the baseline first; None figures = not solved."""
    names = tuple(name for name, _ in columns)
    rows = []
    for key, label, kind in metrics():
        values = tuple(None if f is None else f.get(key) for _, f in columns)
        if key == "status":
            values = tuple("ERROR" if f is None else v for (_, f), v in zip(columns, values))
        diffs = tuple(difference(kind, v, values[0]) for v in values[1:])
        rows.append(Row(key, label, kind, values, diffs))
    return Comparison(names, tuple(rows))


# --- writing ----------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    return "" if value is None else str(value)


def comparison_csv(table: Comparison) -> str:
    """comparison.csv: metric, label, then per column its value and (scenarios) its diff to baseline."""
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


def shown(kind: str, value: Any) -> str:
    """A figure as a planner reads it."""
    if value is None:
        return "–"
    if kind == COUNT:
        return f"{value:,}"
    if kind == KM:
        return f"{value:.1f}"
    if kind == SHARE:
        return f"{100 * value:.1f} %"
    if kind == STEPS:
        return f"{value:.2f}"
    if kind == EURO:
        return f"€ {value:,.0f}"
    if kind == POINTS:
        return f"{value:,.1f}"
    return str(value)


def shown_diff(kind: str, diff: Any) -> str:
    """A difference to the baseline, always with its sign (shares in percentage points)."""
    if diff is None:
        return ""
    if kind == COUNT:
        return f"{diff:+,}" if diff else "0"
    if kind == KM:
        return f"{diff:+.1f}"
    if kind == SHARE:
        return f"{100 * diff:+.1f} pp"
    if kind == STEPS:
        return f"{diff:+.2f}"
    if kind == EURO:
        return f"{diff:+,.0f}"
    return f"{diff:+,.1f}"


def _cells(table: Comparison) -> tuple[list[str], list[list[str]]]:
    header = ["figure", table.names[0]]
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
    """The comparison as aligned text columns (figure names left, numbers right)."""
    header, body = _cells(table)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in body)])


def comparison_md(table: Comparison, intro: Sequence[str] = (), sections: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """comparison.md: an intro, the table (Δ = difference to the baseline) and a section per scenario."""
    header, body = _cells(table)
    lines = ["# Scenario comparison", "", *intro, ""] if intro else ["# Scenario comparison", ""]
    lines += [
        "| " + " | ".join(header) + " |",
        "|---|" + "|".join("---:" for _ in header[1:]) + "|",
        *("| " + " | ".join(c or " " for c in r) + " |" for r in body),
        "",
        "Δ is the difference to the baseline (shares in percentage points). Distances, shares and setting steps are over new",
        "placements and moves; occupancy and cost over everybody in a unit after matching (units without a cost per day count 0).",
    ]
    for title, paragraphs in sections:
        lines += ["", f"## {title}", "", *paragraphs]
    return "\n".join(lines).rstrip() + "\n"
