"""``matcher template``: an empty instance workbook a planner fills in.

Every input sheet gets the reader's own column names as its header row (so the template can
never drift from what ``matcher validate`` expects), drop-down lists for the columns with a
fixed set of values (care types, settings, genders, yes/no, gemeente codes), range checks for
the numbers, frozen header rows and readable widths. The settings sheet holds every setting
with its default, a ``toelichting`` sheet explains every column, and a hidden ``lijsten`` sheet
holds the values of the drop-down lists (with the name of every gemeente beside its code).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from matcher.input import reading
from matcher.domain import (
    AGE_RANGE,
    AGE_SPREAD_RANGE,
    CAPACITY_RANGE,
    CARE_TYPES,
    COST_PER_DAY_LIMIT,
    LAT_RANGE,
    LON_RANGE,
    MAX_KM_LIMIT,
    SETTINGS,
    UNIT_GENDERS,
    WAITING_WEEKS_RANGE,
    YOUTH_GENDERS,
)
from matcher.i18n import N_, _, language
from matcher.instance import Settings
from matcher.geography.regions import gemeente_names, shipped_region_map
from matcher.input.workbook import finish_sheet

#: The input sheets in the order of the template, with the reader's columns.
SHEET_COLUMNS = {
    "youths": reading.YOUTH_COLUMNS,
    "units": reading.UNIT_COLUMNS,
    "locations": reading.LOCATION_COLUMNS,
    "conflicts": reading.CONFLICT_COLUMNS,
    "regions": reading.REGION_COLUMNS,
}
LISTS_SHEET = "lijsten"
LAST_ROW = 1048576

EXPLANATION = {
    ("youths", "youth_id"): N_("Pseudonymous id of the youth (no name, no BSN); unique."),
    ("youths", "home_gemeente"): N_("CBS code of the home gemeente, e.g. GM0363 (Amsterdam); choose it from the list (the names beside the codes are on the hidden sheet lijsten)."),
    ("youths", "home_lat"): N_("Latitude of the home point (a PC4 or gemeente point, never an address); leave home_lat and home_lon both empty to use the gemeente's point."),
    ("youths", "home_lon"): N_("Longitude of the home point; see home_lat."),
    ("youths", "care_type"): N_("The care the youth needs."),
    ("youths", "alt_care_types"): N_("Other acceptable care types, best first, separated by ';'."),
    ("youths", "min_setting"): N_("The most home-like setting that can meet the need (thuis, gezinsgericht, kleinschalig, residentieel, gesloten)."),
    ("youths", "machtiging"): N_("Court authorisation for closed care (ja/nee); a gesloten unit only with a machtiging. Empty: nee."),
    ("youths", "age"): N_("Age in years (0 to 27)."),
    ("youths", "gender"): N_("m, v or x; x only goes to gemengd units."),
    ("youths", "urgency"): N_("1 regulier, 2 hoog, 3 crisis. Empty: 1."),
    ("youths", "waiting_weeks"): N_("Weeks on the waiting list so far. Empty: 0."),
    ("youths", "max_km"): N_("The youth's own distance limit in km; empty: the limit of the unit's care type (settings)."),
    ("youths", "sibling_group"): N_("Same text for siblings: they go to one location, or none of them is placed."),
    ("youths", "excluded_locations"): N_("Locations where the youth must never go, location ids separated by ';'."),
    ("youths", "current_unit_id"): N_("Filled in: the youth lives in that unit now (a current occupant)."),
    ("units", "unit_id"): N_("Id of the unit (a group, or a block of home-based caseload slots); unique."),
    ("units", "location_id"): N_("The location of the unit (sheet locations)."),
    ("units", "care_type"): N_("The care the unit gives."),
    ("units", "setting"): N_("How home-like the unit is."),
    ("units", "capacity"): N_("Places (for thuis: caseload slots), at least 1."),
    ("units", "age_min"): N_("Youngest age admitted. Empty: 0."),
    ("units", "age_max"): N_("Oldest age admitted. Empty: 23."),
    ("units", "gender"): N_("gemengd, jongens or meisjes. Empty: gemengd."),
    ("units", "max_age_spread"): N_("Largest allowed difference between the oldest and youngest resident; empty: no limit."),
    ("units", "cost_per_day"): N_("Euro per day per occupied place, for the reports; optional."),
    ("locations", "location_id"): N_("Id of the location; unique."),
    ("locations", "provider"): N_("The provider (organisation)."),
    ("locations", "name"): N_("Name of the location; optional."),
    ("locations", "gemeente"): N_("CBS code of the gemeente of the location."),
    ("locations", "lat"): N_("Latitude (50.7 to 53.7)."),
    ("locations", "lon"): N_("Longitude (3.2 to 7.3)."),
    ("conflicts", "youth_a"): N_("A youth of a contra-indicated pair: these two never share a unit."),
    ("conflicts", "youth_b"): N_("The other youth of the pair."),
    ("regions", "gemeente"): N_("CBS code of a gemeente. Fill this sheet only to replace the shipped region map entirely."),
    ("regions", "jeugdregio"): N_("The jeugdregio of the gemeente."),
    ("regions", "bovenregio"): N_("The bovenregio of that jeugdregio (one per jeugdregio)."),
}
SETTING_EXPLANATION = {
    "name": N_("Name of the week or scenario; empty: the name of the file."),
    "allow_moves": N_("May current occupants be moved to another unit? (ja/nee)"),
    "road_factor": N_("Distance = road factor x distance as the crow flies."),
    "max_km": N_("Distance limit in km for this care type (a youth's own max_km comes first)."),
    "weights.unplaced": N_("Cost of leaving a youth unplaced, by urgency 1;2;3 (three numbers separated by ';')."),
    "weights.waiting_week": N_("Added to the unplaced cost per waiting week."),
    "weights.km": N_("Cost per km (1 point = 1 km)."),
    "weights.setting_step": N_("Cost per setting step above the lightest fitting setting."),
    "weights.outside_jeugdregio": N_("Cost of a placement outside the own jeugdregio."),
    "weights.outside_bovenregio": N_("Added on top when also outside the own bovenregio."),
    "weights.alt_care_type": N_("Cost per position in alt_care_types (first alternative = 1)."),
    "weights.move": N_("Cost per occupant moved (only with allow_moves)."),
}
GENERAL_NOTES = (
    N_("Sheet names stay as they are (youths, units, locations, conflicts, regions, settings); "
       "column order is free; columns matcher does not know are ignored."),
    N_("An empty cell means 'not given' and takes the default; empty rows are skipped."),
    N_("Lists (alt_care_types, excluded_locations, weights.unplaced) are separated by ';'."),
    N_("Yes/no: ja/nee, true/false, 1/0 or Excel's WAAR/ONWAAR. Never a date in any cell."),
)


def booleans() -> tuple[str, str]:
    """The yes/no words of the drop-down lists in the run's language (both are read back)."""
    return ("ja", "nee") if language() == "nl" else ("true", "false")


def default_settings() -> list[tuple[str, object]]:
    """Every settings key with its default, as the settings sheet writes it."""
    s = Settings()
    rows: list[tuple[str, object]] = [("name", None), ("allow_moves", booleans()[1]), ("road_factor", s.road_factor)]
    rows += [(f"max_km.{care}", km) for care, km in s.max_km.items()]
    for key, value in s.weights.model_dump().items():
        shown = ";".join(f"{v:g}" for v in value) if isinstance(value, tuple) else value
        rows.append((f"weights.{key}", shown))
    return rows


@dataclass(frozen=True)
class ListColumn:
    """A column of the hidden lists sheet: its letter, header and values."""

    letter: str
    header: str
    values: tuple


def _lists() -> dict[str, ListColumn]:
    names = gemeente_names()
    codes = tuple(sorted(shipped_region_map().jeugdregio_of))
    keys = tuple(k for k, _v in default_settings())
    return {
        "care_type": ListColumn("A", "care_type", CARE_TYPES),
        "setting": ListColumn("B", "setting", SETTINGS),
        "unit_gender": ListColumn("C", "gender (units)", UNIT_GENDERS),
        "youth_gender": ListColumn("D", "gender (youths)", YOUTH_GENDERS),
        "boolean": ListColumn("E", "ja/nee", booleans()),
        "gemeente": ListColumn("F", "gemeente", codes),
        "gemeente_name": ListColumn("G", "gemeentenaam", tuple(names.get(c, "") for c in codes)),
        "urgency": ListColumn("H", "urgency", (1, 2, 3)),
        "setting_key": ListColumn("I", "key", keys),
    }


def _write_lists(wb, lists: dict[str, ListColumn]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    for column in lists.values():
        ws[f"{column.letter}1"] = column.header
        for row, value in enumerate(column.values, start=2):
            ws[f"{column.letter}{row}"] = value
    ws.sheet_state = "hidden"


def _list_rule(column: ListColumn):
    from openpyxl.worksheet.datavalidation import DataValidation

    ref = f"{LISTS_SHEET}!${column.letter}$2:${column.letter}${len(column.values) + 1}"
    return DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True,
                          errorTitle=_("Not in the list"), error=_("Choose a value from the list."))


def _range_rule(kind: str, lo, hi):
    from openpyxl.worksheet.datavalidation import DataValidation

    shown = f"{lo:g}..{hi:g}"
    return DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi),
                          allow_blank=True, showErrorMessage=True, errorTitle=_("Out of range"),
                          error=_("The value must be {range}.").format(range=shown))


def _rule_for(sheet: str, column: str, lists: dict[str, ListColumn]):
    """The data validation of a column of the template, or None."""
    by_list = {"care_type": "care_type", "setting": "setting", "min_setting": "setting",
               "machtiging": "boolean", "home_gemeente": "gemeente", "gemeente": "gemeente", "urgency": "urgency"}
    if column == "gender":
        return _list_rule(lists["unit_gender" if sheet == "units" else "youth_gender"])
    if column in by_list:
        return _list_rule(lists[by_list[column]])
    whole = {"age": AGE_RANGE, "age_min": AGE_RANGE, "age_max": AGE_RANGE, "capacity": CAPACITY_RANGE,
             "waiting_weeks": WAITING_WEEKS_RANGE, "max_age_spread": AGE_SPREAD_RANGE}
    decimal = {"lat": LAT_RANGE, "home_lat": LAT_RANGE, "lon": LON_RANGE, "home_lon": LON_RANGE,
               "cost_per_day": (0, COST_PER_DAY_LIMIT), "max_km": (0, MAX_KM_LIMIT)}
    if column in whole:
        return _range_rule("whole", *whole[column])
    if column in decimal:
        return _range_rule("decimal", *decimal[column])
    return None


def _input_sheet(wb, sheet: str, lists: dict[str, ListColumn]) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet)
    columns = SHEET_COLUMNS[sheet]
    ws.append([c.name for c in columns])
    for index, column in enumerate(columns, start=1):
        rule = _rule_for(sheet, column.name, lists)
        if rule is not None:
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(rule)
    finish_sheet(ws)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.name) + 4)


def _settings_sheet(wb, lists: dict[str, ListColumn]) -> None:
    ws = wb.create_sheet("settings")
    ws.append(["key", "value", _("explanation")])
    for key, value in default_settings():
        explanation = SETTING_EXPLANATION.get(key) or SETTING_EXPLANATION[key.split(".")[0]]
        ws.append([key, value, _(explanation)])
    keys = _list_rule(lists["setting_key"])
    keys.add(f"A2:A{LAST_ROW}")
    ws.add_data_validation(keys)
    moves = _list_rule(lists["boolean"])
    moves.add("B3")
    ws.add_data_validation(moves)
    finish_sheet(ws)


def _explanation_sheet(wb) -> None:
    ws = wb.create_sheet(_("explanation"))
    ws.append([_("sheet"), _("column"), _("required"), _("explanation")])
    yes, no = _("must be filled in"), _("may stay empty")
    for note in GENERAL_NOTES:
        ws.append([_("all sheets"), "", "", _(note)])
    for sheet, columns in SHEET_COLUMNS.items():
        for column in columns:
            ws.append([sheet, column.name, yes if column.required else no, _(EXPLANATION[(sheet, column.name)])])
    for key, _value in default_settings():
        explanation = SETTING_EXPLANATION.get(key) or SETTING_EXPLANATION[key.split(".")[0]]
        ws.append(["settings", key, no, _(explanation)])
    finish_sheet(ws, widest=100)


def write_template(path: str | Path) -> Path:
    """Write the empty instance workbook to ``path`` (texts in the run's language); returns the path."""
    import openpyxl

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    lists = _lists()
    for sheet in SHEET_COLUMNS:
        _input_sheet(wb, sheet, lists)
    _settings_sheet(wb, lists)
    _explanation_sheet(wb)
    _write_lists(wb, lists)
    wb.save(path)
    return path
