"""solution.xlsx: the week's answer as the expert team reads it in Excel.

Four sheets, headers in the run's language: the placements (new placements and moves) with the
names of unit, location, provider and regions; the youths left unplaced with the reason; the
occupancy of every unit afterwards; and the key figures of the run. Every sheet has a filter on
its header row, frozen headers, and prints landscape, fit to the page width, with the header
repeated on every page. Numbers stay numbers (Excel formats them in the reader's own locale).
The CSV files stay the contract; this workbook is for reading. It is written through XlsxWriter
(``matcher.output.xlsx``, in the look of the template's ``finish_sheet``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Sequence

from matcher.domain import CARE_TYPE_LABEL, URGENCY_LABEL
from matcher.i18n import N_, _
from matcher.instance import Instance
from matcher.geography.regions import gemeente_names
from matcher.output.xlsx import Table, write_tables
from matcher.result import YouthOutcome

_STATUS = {"placed": N_("new placement"), "moved": N_("moved to another unit"),
           "stays": N_("stays in place"), "unplaced": N_("not placed")}
_SCOPE = {"jeugdregio": N_("own jeugdregio"), "bovenregio": N_("own bovenregio, other jeugdregio"),
          "landelijk": N_("outside own bovenregio")}
_URGENCY = {1: N_("regular"), 2: N_("high"), 3: N_("crisis")}
KM, MONEY, SHARE, POINTS, WHOLE = "0.0", "#,##0.00", "0.0%", "#,##0.000", "0"


@dataclass(frozen=True)
class Column:
    """A column of an output sheet: its header (a message id), how to get the value, its format."""

    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None


class _Names:
    """Display names for codes: gemeenten, jeugdregio's, bovenregio's, locations."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.gemeente = gemeente_names()
        self.regions = instance.regions

    def of_gemeente(self, code: str) -> str:
        return self.gemeente.get(code, code)

    def of_jeugdregio(self, code: str | None) -> str:
        return "" if code is None else self.regions.jeugdregio_name.get(code, code)

    def bovenregio_of(self, jeugdregio: str | None) -> str:
        return "" if jeugdregio is None else self.regions.bovenregio_of.get(jeugdregio, "")

    def location(self, location_id: str | None) -> str:
        if location_id is None:
            return ""
        location = self.instance.location_by_id[location_id]
        return location.name or location_id


def _placement_columns(instance: Instance, names: _Names) -> list[Column]:
    youth = instance.youth_by_id
    unit = instance.unit_by_id
    return [
        Column(N_("Youth"), lambda o: o.youth_id),
        Column(N_("What happens"), lambda o: _(_STATUS[o.status])),
        Column(N_("Care needed"), lambda o: CARE_TYPE_LABEL[youth[o.youth_id].care_type]),
        Column(N_("Urgency"), lambda o: _(_URGENCY[youth[o.youth_id].urgency])),
        Column(N_("Home gemeente"), lambda o: names.of_gemeente(youth[o.youth_id].home_gemeente)),
        Column(N_("Home jeugdregio"), lambda o: names.of_jeugdregio(o.home_jeugdregio)),
        Column(N_("From unit"), lambda o: youth[o.youth_id].current_unit_id if o.status == "moved" else ""),
        Column(N_("Unit"), lambda o: o.unit_id),
        Column(N_("Care type of the unit"), lambda o: CARE_TYPE_LABEL[unit[o.unit_id].care_type]),
        Column(N_("Setting"), lambda o: unit[o.unit_id].setting),
        Column(N_("Location"), lambda o: names.location(o.location_id)),
        Column(N_("Provider"), lambda o: o.provider),
        Column(N_("Gemeente of the location"),
               lambda o: names.of_gemeente(instance.location_by_id[o.location_id].gemeente)),
        Column(N_("Jeugdregio of the unit"), lambda o: names.of_jeugdregio(o.unit_jeugdregio)),
        Column(N_("Region"), lambda o: _(_SCOPE[o.scope]) if o.scope else ""),
        Column(N_("Distance (km)"), lambda o: o.distance_km, KM),
        Column(N_("Steps above the lightest fitting setting"), lambda o: o.setting_steps, WHOLE),
        Column(N_("Cost (points)"), lambda o: o.cost, POINTS),
    ]


def _unplaced_columns(instance: Instance, names: _Names) -> list[Column]:
    youth = instance.youth_by_id
    return [
        Column(N_("Youth"), lambda o: o.youth_id),
        Column(N_("Care needed"), lambda o: CARE_TYPE_LABEL[youth[o.youth_id].care_type]),
        Column(N_("Lightest fitting setting"), lambda o: youth[o.youth_id].min_setting),
        Column(N_("Urgency"), lambda o: _(_URGENCY[youth[o.youth_id].urgency])),
        Column(N_("Waiting weeks"), lambda o: youth[o.youth_id].waiting_weeks, WHOLE),
        Column(N_("Age"), lambda o: youth[o.youth_id].age, WHOLE),
        Column(N_("Home gemeente"), lambda o: names.of_gemeente(youth[o.youth_id].home_gemeente)),
        Column(N_("Home jeugdregio"), lambda o: names.of_jeugdregio(o.home_jeugdregio)),
        Column(N_("Home bovenregio"), lambda o: names.bovenregio_of(o.home_jeugdregio)),
        Column(N_("Why not placed"), lambda o: o.reason),
        Column(N_("Cost (points)"), lambda o: o.cost, POINTS),
    ]


@dataclass(frozen=True)
class UnitOccupancy:
    """One unit before and after the run."""

    unit_id: str
    before: int
    after: int
    arrived: int


def occupancy(instance: Instance, outcomes: Sequence[YouthOutcome]) -> list[UnitOccupancy]:
    """Residents of every unit now and afterwards, and how many arrive (new or moved in)."""
    before = Counter(y.current_unit_id for y in instance.youths if y.current_unit_id is not None)
    after = Counter(o.unit_id for o in outcomes if o.unit_id is not None)
    arrived = Counter(o.unit_id for o in outcomes if o.status in ("placed", "moved"))
    return [UnitOccupancy(u.unit_id, before[u.unit_id], after[u.unit_id], arrived[u.unit_id]) for u in instance.units]


def _occupancy_columns(instance: Instance, names: _Names) -> list[Column]:
    unit = instance.unit_by_id

    def location_of(r: UnitOccupancy):
        return instance.location_by_id[unit[r.unit_id].location_id]

    return [
        Column(N_("Unit"), lambda r: r.unit_id),
        Column(N_("Location"), lambda r: names.location(unit[r.unit_id].location_id)),
        Column(N_("Provider"), lambda r: location_of(r).provider),
        Column(N_("Gemeente of the location"), lambda r: names.of_gemeente(location_of(r).gemeente)),
        Column(N_("Care type of the unit"), lambda r: CARE_TYPE_LABEL[unit[r.unit_id].care_type]),
        Column(N_("Setting"), lambda r: unit[r.unit_id].setting),
        Column(N_("Places"), lambda r: unit[r.unit_id].capacity, WHOLE),
        Column(N_("Residents before"), lambda r: r.before, WHOLE),
        Column(N_("Arriving (new or moved in)"), lambda r: r.arrived, WHOLE),
        Column(N_("Residents afterwards"), lambda r: r.after, WHOLE),
        Column(N_("Free places afterwards"), lambda r: max(0, unit[r.unit_id].capacity - r.after), WHOLE),
        Column(N_("Occupancy afterwards"), lambda r: r.after / unit[r.unit_id].capacity, SHARE),
    ]


def key_figures(summary: dict) -> list[tuple[str, Any, str | None]]:
    """(label, value, number format) for the key figures sheet, from summary.json's keys."""
    k = summary.get("kpis", {})
    rows: list[tuple[str, Any, str | None]] = [
        (_("Instance"), summary.get("instance"), None),
        (_("Status of the run"), summary.get("status"), None),
        (_("Objective (points)"), summary.get("objective"), POINTS),
        (_("Proven lower bound (points)"), summary.get("best_bound"), POINTS),
        (_("Gap"), summary.get("gap"), "0.000%"),
        (_("Seconds"), summary.get("wall_seconds"), "0.0"),
        (_("New placements"), summary.get("placed"), WHOLE),
        (_("Stay in place"), summary.get("stays"), WHOLE),
        (_("Moved"), summary.get("moved"), WHOLE),
        (_("Not placed"), summary.get("unplaced"), WHOLE),
        (_("Mean distance of arrivals (km)"), k.get("mean_km"), KM),
        (_("90th percentile of that distance (km)"), k.get("p90_km"), KM),
        (_("Share placed in own jeugdregio"), k.get("share_own_jeugdregio"), SHARE),
        (_("Share placed in own bovenregio"), k.get("share_own_bovenregio"), SHARE),
        (_("Mean steps above the lightest fitting setting"), k.get("mean_setting_steps"), "0.00"),
        (_("Cost of all residents per day (euro)"), k.get("cost_per_day_total"), MONEY),
        (_("Cost of all residents per year (euro)"), k.get("cost_per_year_total"), MONEY),
    ]
    for care_type, share in (k.get("occupancy_by_care_type") or {}).items():
        rows.append((_("Occupancy: {care_type}").format(care_type=CARE_TYPE_LABEL[care_type]), share, SHARE))
    for care_type, n in (summary.get("unplaced_by_care_type") or {}).items():
        rows.append((_("Not placed: {care_type}").format(care_type=CARE_TYPE_LABEL[care_type]), n, WHOLE))
    for urgency, n in (k.get("unplaced_by_urgency") or {}).items():
        label = _(_URGENCY[next(k for k, word in URGENCY_LABEL.items() if word == urgency)])
        rows.append((_("Not placed, urgency {urgency}").format(urgency=label), n, WHOLE))
    return rows


#: What no cell of a workbook can hold (XML 1.0): the C0 control characters but tab and line breaks.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(value: Any) -> Any:
    """A cell value a workbook can hold. The readers refuse control characters in the input, but
    an instance built in Python (a scenario, a simulated week) reaches the writer unread: such a
    character is shown as U+FFFD instead of breaking the workbook."""
    return _UNPRINTABLE.sub("\ufffd", value) if isinstance(value, str) else value


def _table(title: str, columns: Sequence[Column], items: Sequence[Any]) -> Table:
    """A sheet with a header row and one row per item, each column in its number format."""
    formats = [c.number_format for c in columns]
    return Table(title, [_(c.header) for c in columns], [[printable(c.value(item)) for c in columns] for item in items],
                 [formats] * len(items))


def write_solution_workbook(instance: Instance, outcomes: Sequence[YouthOutcome], summary: dict,
                            path: str | Path | IO[bytes]) -> None:
    """Write solution.xlsx (placements, unplaced, occupancy, key figures) to ``path``."""
    names = _Names(instance)
    arriving = [o for o in outcomes if o.status in ("placed", "moved")]
    unplaced = [o for o in outcomes if o.status == "unplaced"]
    figures = key_figures(summary)
    write_tables([
        _table(_("Placements"), _placement_columns(instance, names), arriving),
        _table(_("Not placed"), _unplaced_columns(instance, names), unplaced),
        _table(_("Occupancy"), _occupancy_columns(instance, names), occupancy(instance, outcomes)),
        Table(_("Key figures"), [_("Figure"), _("Value")], [[label, printable(value)] for label, value, _f in figures],
              [[None, number_format] for _l, _v, number_format in figures]),
    ], path)
