"""Reading an instance folder: every input rule of the format, every problem reported at once.

A planner who hands over a folder with twenty mistakes gets twenty lines back, each naming the
file, the line (the header is line 1) and the column, instead of one mistake per run. Reading
goes in three passes: each file is read on its own (cell rules: numbers, enums, ranges), then
the rules that span files are checked (references, ids, region map, sibling groups), and only
when nothing is wrong the frozen ``Instance`` is built. Things that are odd but allowed (a unit
whose current occupants already overfill it) come back as warnings; they are judged by the
checker's predicates (``matcher.analysis.check``) and only worded here, so each rule is defined once.
instance.toml is checked by the ``Settings`` model itself.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from pydantic import BaseModel, ValidationError

from matcher.analysis.check import (
    age_in_unit_range,
    conflict_pairs_among,
    gender_fits_the_unit,
    location_allowed,
    machtiging_if_closed,
    offers_care_type,
    setting_meets_min_setting,
    within_age_spread,
    within_capacity,
)
from matcher.domain import (
    AGE_RANGE,
    AGE_SPREAD_RANGE,
    CAPACITY_RANGE,
    CARE_TYPE_LABEL,
    CARE_TYPES,
    COST_PER_DAY_LIMIT,
    LAT_RANGE,
    LON_RANGE,
    MAX_KM_LIMIT,
    ROAD_FACTOR_LIMIT,
    SETTINGS,
    UNIT_GENDERS,
    URGENCY_LABEL,
    URGENCY_RANGE,
    WAITING_WEEKS_RANGE,
    WEIGHT_LIMIT,
    YOUTH_GENDERS,
    care_type_name,
)
from matcher.instance import (
    Instance,
    Location,
    RegionMap,
    Settings,
    Unit,
    Weights,
    Youth,
    age_range_problem,
    alt_care_types_problems,
    conflict_partners,
)
from matcher.errors import InputError, Problem, format_problems, pydantic_message
from matcher.i18n import N_, _, language
from matcher.geography.regions import gemeente_names, shipped_region_map
from matcher.input.toml_lines import key_lines, line_of, syntax_error_position
from matcher.wording import closest, count, did_you_mean

#: Gemeenten by the name people use rather than the CBS name (for the "did you mean" hint).
GEMEENTE_ALIASES = {"Den Haag": "GM0518", "The Hague": "GM0518", "Den Bosch": "GM0796"}

SETTINGS_FILE = "instance.toml"
REGIONS_FILE = "regions.csv"
LOCATIONS_FILE = "locations.csv"
UNITS_FILE = "units.csv"
YOUTHS_FILE = "youths.csv"
CONFLICTS_FILE = "conflicts.csv"
#: Problems are listed in this file order, then by line.
FILE_ORDER = (SETTINGS_FILE, REGIONS_FILE, LOCATIONS_FILE, UNITS_FILE, YOUTHS_FILE, CONFLICTS_FILE)


# --- what reading hands back ----------------------------------------------------------------




@dataclass(frozen=True)
class Validation:
    """Outcome of validating a folder: the instance (None when there are errors) and all remarks."""

    instance: Instance | None
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- cell rules -----------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that breaks its column's rule; the message is written for the planner."""


_BOOLEANS = {"true": True, "false": False, "ja": True, "nee": False, "1": True, "0": False}
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_GEMEENTE = re.compile(r"GM\d{4}", re.ASCII)
_EXPONENT = re.compile(r"[eE]")


def boolean(raw: str) -> bool:
    """Yes/no as Dutch and English spreadsheets write it: true/false, ja/nee, 1/0."""
    value = _BOOLEANS.get(raw.lower())
    if value is None:
        raise CellError(_("'{value}' is not a yes/no value (use true/false, ja/nee or 1/0)").format(value=raw))
    return value


def _number(raw: str) -> float:
    """A decimal written with a point; a decimal comma is the classic spreadsheet slip."""
    if _DECIMAL.fullmatch(raw) is None:
        if _DECIMAL.fullmatch(raw.replace(",", ".", 1)) is not None:
            raise CellError(_("'{value}' uses a decimal comma; write {fixed}")
                            .format(value=raw, fixed=raw.replace(",", ".", 1)))
        raise CellError(_("'{value}' is not a number").format(value=raw))
    value = float(raw)
    if not math.isfinite(value):
        raise CellError(_("'{value}' is not a finite number").format(value=raw))
    return value


def _bounds_text(lo: float | None, hi: float | None, lo_open: bool) -> str:
    if lo is not None and hi is not None:
        text = _("must be above {lo} and at most {hi}") if lo_open else _("must lie in {lo}..{hi}")
    elif lo is not None:
        text = _("must be above {lo}") if lo_open else _("must be at least {lo}")
    else:
        text = _("must be at most {hi}")
    return text.format(lo=f"{lo:g}" if lo is not None else "", hi=f"{hi:g}" if hi is not None else "")


def _check_bounds(raw: str, value: float, lo, hi, lo_open: bool, what: str = "") -> None:
    low = lo is not None and (value <= lo if lo_open else value < lo)
    if low or (hi is not None and value > hi):
        raise CellError(f"'{raw}' {_bounds_text(lo, hi, lo_open)}{_(what) if what else ''}")


def whole_number(lo: int | None = None, hi: int | None = None) -> Callable[[str], int]:
    """An integer; '3.0' counts as 3 because spreadsheets and pandas like to write it so."""

    def parse(raw: str) -> int:
        if _INTEGER.fullmatch(raw):
            value = int(raw)
        else:
            try:
                as_float = _number(raw)
            except CellError:
                as_float = None
            if as_float is None or not as_float.is_integer() or _EXPONENT.search(raw):
                raise CellError(_("'{value}' is not a whole number (integers accept 3 and 3.0)").format(value=raw))
            value = int(as_float)
        _check_bounds(raw, value, lo, hi, False)
        return value

    return parse


def decimal(lo: float | None = None, hi: float | None = None, lo_open: bool = False, what: str = ""):
    """A decimal number with a point, optionally bounded (``lo_open``: strictly above ``lo``)."""

    def parse(raw: str) -> float:
        value = _number(raw)
        _check_bounds(raw, value, lo, hi, lo_open, what)
        return value

    return parse


def one_of(choices: tuple[str, ...], names: dict[str, str] | None = None) -> Callable[[str], str]:
    """One word from a fixed list, written exactly as the format spells it; ``names`` are other
    ways of writing a word that the "did you mean" hint knows."""
    allowed = frozenset(choices)

    def parse(raw: str) -> str:
        if raw in allowed:
            return raw
        raise CellError(_("'{value}' is not one of {choices}").format(value=raw, choices=", ".join(choices))
                        + did_you_mean(raw, choices, names))

    return parse


def urgency(raw: str) -> int:
    """1, 2 or 3; the words regulier, hoog and crisis are named with their number in the hint."""
    try:
        return whole_number(*URGENCY_RANGE)(raw)
    except CellError as exc:
        words = {word: str(n) for n, word in URGENCY_LABEL.items()}
        near = closest(raw, words)
        if near is None:
            raise
        raise CellError(_("'{value}' is not an urgency number 1, 2 or 3 (did you mean {number}, {word}?)")
                        .format(value=raw, number=words[near], word=near)) from exc


def gemeente_code(raw: str) -> str:
    """A CBS gemeente code: GM and four digits (GM0014 is Groningen); a gemeente's name gets its
    code in the hint."""
    if _GEMEENTE.fullmatch(raw):
        return raw
    raise CellError(_("'{value}' is not a CBS gemeente code like GM0014").format(value=raw)
                    + _gemeente_name_hint(raw, language()))


@lru_cache(maxsize=4096)
def _gemeente_name_hint(raw: str, lang: str) -> str:
    """The hint for a gemeente written by name (a file often repeats one name on many rows)."""
    names = gemeente_names()
    return did_you_mean(raw, names, names={**{n: c for c, n in names.items()}, **GEMEENTE_ALIASES}, label=names)


def _gemeente_hint(code: str, known: Iterable[str]) -> str:
    """`` (did you mean 'GM0344' (Utrecht)?)`` for a code one slip away from a known one."""
    return did_you_mean(code, sorted(known), label=gemeente_names())


def list_of(parse_item: Callable[[str], str]) -> Callable[[str], tuple[str, ...]]:
    """A ';'-separated list; spaces around items are trimmed and empty items skipped."""

    def parse(raw: str) -> tuple[str, ...]:
        return tuple(parse_item(item) for item in (part.strip() for part in raw.split(";")) if item)

    return parse


#: Ids and names are taken as written (every cell is trimmed when it is read).
identifier = str
care_type = one_of(CARE_TYPES, names={name: code for code, name in CARE_TYPE_LABEL.items()})
setting = one_of(SETTINGS)
latitude = decimal(*LAT_RANGE, what=N_(" (latitude inside the Netherlands)"))
longitude = decimal(*LON_RANGE, what=N_(" (longitude inside the Netherlands)"))
age = whole_number(*AGE_RANGE)


@dataclass(frozen=True)
class Column:
    """A column of an input file: its cell rule and whether it must be filled.

    An empty optional cell is "not given": the instance model fills in its default.
    """

    name: str
    parse: Callable[[str], Any]
    required: bool = False


LOCATION_COLUMNS = (
    Column("location_id", identifier, required=True),
    Column("provider", str, required=True),
    Column("name", str),
    Column("gemeente", gemeente_code, required=True),
    Column("lat", latitude, required=True),
    Column("lon", longitude, required=True),
)
UNIT_COLUMNS = (
    Column("unit_id", identifier, required=True),
    Column("location_id", identifier, required=True),
    Column("care_type", care_type, required=True),
    Column("setting", setting, required=True),
    Column("capacity", whole_number(*CAPACITY_RANGE), required=True),
    Column("age_min", age),
    Column("age_max", age),
    Column("gender", one_of(UNIT_GENDERS)),
    Column("max_age_spread", whole_number(*AGE_SPREAD_RANGE)),
    Column("cost_per_day", decimal(0, COST_PER_DAY_LIMIT)),
)
#: home_lat/home_lon are required columns, but both cells may be left empty (see
#: ``home_point_given_or_from_gemeente``), so their emptiness is judged per row.
YOUTH_COLUMNS = (
    Column("youth_id", identifier, required=True),
    Column("home_gemeente", gemeente_code, required=True),
    Column("home_lat", latitude),
    Column("home_lon", longitude),
    Column("care_type", care_type, required=True),
    Column("alt_care_types", list_of(care_type)),
    Column("min_setting", setting, required=True),
    Column("machtiging", boolean),
    Column("age", age, required=True),
    Column("gender", one_of(YOUTH_GENDERS), required=True),
    Column("urgency", urgency),
    Column("waiting_weeks", whole_number(*WAITING_WEEKS_RANGE)),
    Column("max_km", decimal(0, MAX_KM_LIMIT, lo_open=True)),
    Column("sibling_group", identifier),
    Column("excluded_locations", list_of(identifier)),
    Column("current_unit_id", identifier),
)
YOUTH_HEADER_REQUIRED = ("home_lat", "home_lon")
CONFLICT_COLUMNS = (
    Column("youth_a", identifier, required=True),
    Column("youth_b", identifier, required=True),
)
REGION_COLUMNS = (
    Column("gemeente", gemeente_code, required=True),
    Column("jeugdregio", identifier, required=True),
    Column("bovenregio", identifier, required=True),
)


# --- reading one CSV file -------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One data row: its line in the file, its parsed values, the columns that broke a rule."""

    line: int
    values: dict[str, Any]
    bad: set[str]

    @property
    def ok(self) -> bool:
        return not self.bad

    def get(self, column: str) -> Any:
        """The parsed value, or None when it is empty or broke a rule."""
        return None if column in self.bad else self.values.get(column)


@dataclass
class Table:
    """A CSV file as read: None ``rows`` means the file is missing or could not be read."""

    file: str
    rows: list[Row] | None
    header: tuple[str, ...] = ()
    present: bool = True

    @property
    def readable(self) -> bool:
        return self.rows is not None

    def ok_rows(self) -> list[Row]:
        return [r for r in self.rows or () if r.ok]


class Problems(list):
    """The problems found so far; ``add`` keeps the call sites short."""

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.append(Problem(file, line, column, message))


def _read_text(path: Path, file: str, problems: Problems) -> str | None:
    """The file as text (UTF-8, BOM tolerated), or None with a problem saying why not."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        problems.add(file, None, None, _("is a folder, not a file"))
        return None
    except OSError as exc:
        problems.add(file, None, None, _("cannot be read ({reason})").format(reason=exc.strerror or exc))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(file, line, None, _("is not UTF-8 text (byte 0x{byte:02x} cannot be read)").format(byte=data[exc.start]))
        return None


# --- a CSV file saved by Dutch Excel --------------------------------------------------------


def semicolon_problem(content: str) -> str | None:
    """The one message for a CSV file saved by Dutch Excel (``;`` between the cells), else None.

    Dutch Excel's plain "CSV" writes semicolons and decimal commas; read as comma-separated,
    such a file would give a missing-column error for every column and an error for every row
    that points into it.
    """
    first = next((line for line in content.splitlines() if line.strip()), "")
    by_semicolon = next(csv.reader([first], delimiter=";"), [])
    by_comma = next(csv.reader([first]), [])
    if len(by_semicolon) < 2 or len(by_semicolon) <= len(by_comma):
        return None
    return _("is separated by ';' instead of ',' (as Dutch Excel saves a CSV file, often with decimal "
             "commas too); in Excel choose Save as, type \"CSV UTF-8 (door komma's gescheiden)\" "
             "(English Excel: \"CSV UTF-8 (comma delimited)\"), or fill in the workbook instead "
             "(matcher template --out week.xlsx)")


def read_table(folder: Path, file: str, columns: tuple[Column, ...], problems: Problems,
               required_file: bool = True, header_required: tuple[str, ...] = ()) -> Table:
    """Read one CSV file with its cell rules; every broken cell becomes a problem."""
    path = folder / file
    if not path.exists():
        if required_file:
            problems.add(file, None, None,
                         _("is missing (an instance needs locations.csv, units.csv and youths.csv)"))
        return Table(file, None, present=False)
    content = _read_text(path, file, problems)
    if content is None:
        return Table(file, None)
    if (saved_by_excel := semicolon_problem(content)) is not None:
        problems.add(file, 1, None, saved_by_excel)
        return Table(file, None)
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        for _above in range(header_index(csv.reader(io.StringIO(content, newline="")), {c.name for c in columns})):
            next(reader)
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            problems.add(file, 1, None, _("has no header row (the first line that is not empty names the columns)"))
            return Table(file, None)
        header = tuple(h.strip() for h in header)
        position = _header_positions(file, (reader.line_num, header), columns, header_required, problems)
        # One search over the file instead of one per cell: most files hold no control character.
        screen = control_character if _CONTROL.search(content) is not None else _none
        rows = _read_rows(file, reader, (header, columns, position), problems, screen)
    except csv.Error as exc:
        problems.add(file, reader.line_num or None, None, _("is not a readable CSV file ({reason})").format(reason=exc))
        return Table(file, None)
    return Table(file, rows, header)


#: How far down a header may stand below blank rows and a title (Excel users often leave them).
HEADER_SEARCH_ROWS = 10


def header_index(records: Iterable[Sequence[str]], known: set[str]) -> int:
    """How many records stand above the header: blank ones, and a title or note (rows that name no
    column of the file) above the first row that does. Without such a row, the header is the
    first row that is not empty (and its missing columns are reported there)."""
    first = None
    for index, record in enumerate(itertools.islice(records, HEADER_SEARCH_ROWS)):
        cells = {str(c).strip() for c in record if c is not None} - {""}
        if not cells:
            continue
        first = index if first is None else first
        if cells & known:
            return index
    return first or 0


def _header_positions(file: str, header_at: tuple[int, tuple[str, ...]], columns: tuple[Column, ...],
                      header_required: tuple[str, ...], problems: Problems) -> dict[str, int]:
    """Where each known column sits (order is free); absent required columns are problems.
    ``header_at``: the header's line (the first that is not empty) and its cells."""
    line, header = header_at
    position: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in position:
            problems.add(file, line, name, _("column '{column}' appears twice in the header").format(column=name))
        elif name:
            position[name] = i
    known = {c.name for c in columns}
    unknown = [h for h in header if h and h not in known]
    for col in columns:
        if col.name not in position and (col.required or col.name in header_required):
            near = closest(col.name, unknown)
            hint = _(" (is '{column}' meant?)").format(column=near) if near else ""
            problems.add(file, line, col.name,
                         _("required column '{column}' is missing from the header").format(column=col.name) + hint)
    return position


def _id_only_row(line: int, record: list[str], plan) -> Row:
    """A row whose cells have shifted: only its id (the first column) is kept, so that rows
    pointing at it are not reported too; every other value is unknown."""
    name, index, parse = plan[0][:3]
    values: dict[str, Any] = {n: None for n, *_ in plan}
    bad = {n for n, *_ in plan[1:]}
    try:
        values[name] = parse(record[index].strip()) if index is not None and record[index].strip() else None
    except CellError:
        pass
    if values[name] is None:
        bad.add(name)
    return Row(line, values, bad)


#: Characters no cell may hold: the C0 control characters but tab, line feed and carriage return
#: (what a broken export leaves; XML, and so an Excel workbook, cannot hold them either).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character(text: str) -> str | None:
    """The message for a text holding a control character (NUL, ...), else None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return _("contains the control character U+{code:04X} at position {position} (a broken export can leave "
             "one); remove it").format(code=ord(found.group()), position=found.start() + 1)


def _none(_text: str) -> None:
    return None


def _read_rows(file: str, reader, layout: tuple[tuple[str, ...], tuple[Column, ...], dict[str, int]],
               problems: Problems, screen: Callable[[str], str | None] = control_character) -> list[Row]:
    """Parse every data row; blank rows are skipped, a row with surplus cells is refused.
    ``layout``: the header, the file's columns and where each stands; ``screen`` names what a
    cell may not hold (``control_character``)."""
    header, columns, position = layout
    plan = [(c.name, position.get(c.name), c.parse, c.required) for c in columns]
    width = len(header)
    rows: list[Row] = []
    last_line = reader.line_num
    for record in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            problems.add(file, line, None,
                         _("has {cells} cells but the header has {columns} columns (a comma inside a value "
                           "splits it: quote such a value, and write decimals with a point, 12.5)")
                         .format(cells=len(record), columns=width))
            rows.append(_id_only_row(line, record, plan))
            continue
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for name, index, parse, required in plan:
            raw = record[index].strip() if index is not None and index < len(record) else ""
            if not raw:
                if required:
                    bad.add(name)
                    if index is not None:
                        problems.add(file, line, name, _("{column} is required but empty").format(column=name))
                values[name] = None
                continue
            if (bad_character := screen(raw)) is not None:
                problems.add(file, line, name, bad_character)
                values[name] = None
                bad.add(name)
                continue
            try:
                values[name] = parse(raw)
            except CellError as exc:
                problems.add(file, line, name, str(exc))
                values[name] = None
                bad.add(name)
        rows.append(Row(line, values, bad))
    return rows


# --- instance.toml --------------------------------------------------------------------------

_TOP_KEYS = tuple(Settings.model_fields)
_WEIGHT_KEYS = tuple(Weights.model_fields)
#: What each key of instance.toml must be, in the words of its error (``{value!r}`` is what
#: was written, ``{name}`` the key within its table); ``Settings`` and ``Weights`` hold the rules.
_SETTING_RULES = {
    "name": N_("name must be a non-empty text in quotes"),
    "allow_moves": N_("allow_moves must be true or false, not {value!r}"),
    "road_factor": N_("road_factor must be a number above 0 and at most {road_factor:g}, not {value!r}"),
    "max_km": N_("max_km must be a table: [max_km] with one line per care type"),
    "max_km.*": N_("the distance limit must be a number of km above 0 and at most {km:g}, not {value!r}"),
    "weights": N_("weights must be a table: [weights] with one line per weight"),
    "weights.unplaced": N_("unplaced must be a list of 3 numbers from 0 to {weight:g} (urgency 1, 2, 3), not {value!r}"),
    "weights.*": N_("{name} must be a number from 0 to {weight:g}, not {value!r}"),
}


@dataclass(frozen=True)
class TomlSettings:
    """instance.toml as read: the settings (None when the file is broken) and the allow_moves
    in force (None when the file does not tell, because it is broken there)."""

    settings: Settings | None
    allow_moves: bool | None


def _setting_problem(err: dict, data: dict[str, Any]) -> tuple[str, str]:
    """A pydantic error on instance.toml as (dotted key, the sentence a planner reads)."""
    loc = err["loc"]
    table = loc[0] if len(loc) > 1 and isinstance(data.get(loc[0]), dict) else None
    key = f"{table}.{loc[1]}" if table else loc[0]
    name = key.rpartition(".")[2]
    if err["type"] == "extra_forbidden":
        known = _WEIGHT_KEYS if table else _TOP_KEYS
        return key, (_("'{key}' is not a setting the matcher knows").format(key=name) + did_you_mean(name, known)
                     + _("; known: {keys}").format(keys=", ".join(known)))
    if "[key]" in loc:
        return key, _("'{key}' is not a care type (care types: {care_types})").format(
            key=name, care_types=", ".join(CARE_TYPES)) + did_you_mean(name, CARE_TYPES)
    value = data[table][name] if table else data.get(key)
    rule = _SETTING_RULES.get(key) or _SETTING_RULES[f"{table}.*"]
    return key, _(rule).format(name=name, value=value, road_factor=ROAD_FACTOR_LIMIT, km=MAX_KM_LIMIT,
                               weight=WEIGHT_LIMIT)


def read_settings(folder: Path, problems: Problems) -> TomlSettings:
    """instance.toml, checked by the ``Settings`` model: every key optional, an unknown key or
    table an error that names it, every broken key reported with its line."""
    path = folder / SETTINGS_FILE
    name = _folder_name(folder)
    if not path.exists():
        return TomlSettings(Settings(name=name), False)
    content = _read_text(path, SETTINGS_FILE, problems)
    if content is None:
        return TomlSettings(None, None)
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error_position(str(exc), content)
        problems.add(SETTINGS_FILE, line, None, _("is not valid TOML: {reason}").format(reason=message))
        return TomlSettings(None, None)
    if isinstance(data.get("name"), str) and (bad_character := control_character(data["name"])) is not None:
        problems.add(SETTINGS_FILE, line_of(key_lines(content), "name"), "name", bad_character)
        return TomlSettings(None, data.get("allow_moves", False))
    try:
        settings = Settings.model_validate({"name": name, **data}, strict=True)
    except ValidationError as exc:
        broken: dict[str, str] = {}
        for err in exc.errors():
            key, message = _setting_problem(err, data)
            broken.setdefault(key, message)
        lines = key_lines(content)
        for key, message in broken.items():
            problems.add(SETTINGS_FILE, line_of(lines, key), key, message)
        return TomlSettings(None, None if "allow_moves" in broken else data.get("allow_moves", False))
    return TomlSettings(settings, settings.allow_moves)


# --- the region map -------------------------------------------------------------------------


@dataclass
class RegionsInUse:
    """The region map the instance is checked against; ``gemeenten`` None = unknown (unreadable)."""

    gemeenten: set[str] | None
    source: str
    region_map: RegionMap | None


def every_jeugdregio_in_one_bovenregio(table: Table, problems: Problems) -> None:
    """A jeugdregio belongs to exactly one bovenregio; a second answer is a contradiction."""
    first: dict[str, tuple[str, int]] = {}
    for row in table.rows or ():
        regio, boven = row.get("jeugdregio"), row.get("bovenregio")
        if regio is None or boven is None:
            continue
        if regio not in first:
            first[regio] = (boven, row.line)
        elif first[regio][0] != boven:
            earlier, line = first[regio]
            problems.add(table.file, row.line, "bovenregio",
                         _("jeugdregio '{jeugdregio}' already lies in bovenregio '{bovenregio}' (line {line}); "
                           "every jeugdregio lies in exactly one bovenregio")
                         .format(jeugdregio=regio, bovenregio=earlier, line=line))
            row.bad.add("bovenregio")


def regions_in_use(table: Table, problems: Problems) -> RegionsInUse:
    """regions.csv replaces the shipped map entirely; without it the shipped map is used."""
    if not table.present:
        shipped = shipped_region_map()
        return RegionsInUse(set(shipped.jeugdregio_of), _("the shipped region map"), shipped)
    if not table.readable or "gemeente" not in table.header:
        return RegionsInUse(None, REGIONS_FILE, None)
    ids_are_unique(table, "gemeente", problems)
    every_jeugdregio_in_one_bovenregio(table, problems)
    gemeenten = {g for r in table.rows if (g := r.get("gemeente")) is not None}
    region_map = None
    good = table.ok_rows()
    if len(good) == len(table.rows):
        names = shipped_region_map().jeugdregio_name
        jeugdregio_of = {r.values["gemeente"]: r.values["jeugdregio"] for r in good}
        region_map = RegionMap(
            jeugdregio_of=jeugdregio_of,
            bovenregio_of={r.values["jeugdregio"]: r.values["bovenregio"] for r in good},
            jeugdregio_name={j: names.get(j, j) for j in jeugdregio_of.values()},
            source=REGIONS_FILE,
        )
    return RegionsInUse(gemeenten, REGIONS_FILE, region_map)


def gemeenten_exist_in_region_map(table: Table, column: str, regions: RegionsInUse,
                                  problems: Problems) -> None:
    """Every gemeente code must be in the region map in use, or regions cannot be compared."""
    if regions.gemeenten is None:
        return
    hints: dict[str, str] = {}  # one hint per unknown code, however many rows use it
    for row in table.rows or ():
        code = row.get(column)
        if code is not None and code not in regions.gemeenten:
            if code not in hints:
                hints[code] = _gemeente_hint(code, regions.gemeenten)
            problems.add(table.file, row.line, column, _("gemeente '{code}' is not in {source}")
                         .format(code=code, source=regions.source) + hints[code])
            row.bad.add(column)


# --- rules across rows and files ------------------------------------------------------------


def ids_are_unique(table: Table, column: str, problems: Problems) -> set[str]:
    """An id names one row of its file; a second row with the same id is an error."""
    seen: dict[str, int] = {}
    for row in table.rows or ():
        key = row.get(column)
        if key is None:
            continue
        if key in seen:
            problems.add(table.file, row.line, column, _("'{id}' is already used on line {line}")
                         .format(id=key, line=seen[key]))
            row.bad.add(column)
        else:
            seen[key] = row.line
    return set(seen)


def references_exist(table: Table, column: str, known: set[str] | None, target: str,
                     problems: Problems) -> None:
    """An id that points into another file must be found there (skipped if that file is unreadable)."""
    if known is None:
        return
    for row in table.rows or ():
        value = row.get(column)
        if value is None:
            continue
        for ref in value if isinstance(value, tuple) else (value,):
            if ref not in known:
                problems.add(table.file, row.line, column, _(_NOT_FOUND[target]).format(id=ref))
                row.bad.add(column)


#: An id that points into another file and is not found there, by the id's column.
_NOT_FOUND = {
    "location_id": N_("'{id}' is not a location in locations.csv"),
    "unit_id": N_("'{id}' is not a unit in units.csv"),
    "youth_id": N_("'{id}' is not a youth in youths.csv"),
}


def age_range_is_ordered(units: Table, problems: Problems) -> None:
    """A unit's youngest admissible age cannot lie above its oldest (``age_range_problem``)."""
    for row in units.rows or ():
        lo, hi = row.get("age_min"), row.get("age_max")
        problem = age_range_problem(lo, hi) if lo is not None and hi is not None else None
        if problem:
            problems.add(units.file, row.line, "age_min", problem)
            row.bad.add("age_min")


def alt_care_types_are_alternatives(youths: Table, problems: Problems) -> None:
    """Alternatives are other care types, each named once (``alt_care_types_problems``)."""
    for row in youths.rows or ():
        alts = row.get("alt_care_types")
        if not alts:
            continue
        for problem in alt_care_types_problems(row.get("care_type"), alts):
            problems.add(youths.file, row.line, "alt_care_types", problem)
            row.bad.add("alt_care_types")


def home_point_given_or_from_gemeente(youths: Table, problems: Problems) -> int:
    """Give both home_lat and home_lon, or neither: then the gemeente's representative point is used.

    Returns how many youths got their gemeente's point. The shipped geometry is only loaded
    when some youth needs it.
    """
    filled = 0
    missing_both: list[Row] = []
    if not set(youths.header) >= set(YOUTH_HEADER_REQUIRED):
        for row in youths.rows or ():
            row.bad.add("home_lat")  # the missing column is reported once, at the header
        return 0
    for row in youths.rows or ():
        if "home_lat" in row.bad or "home_lon" in row.bad:
            continue
        lat, lon = row.values.get("home_lat"), row.values.get("home_lon")
        if lat is None and lon is None:
            missing_both.append(row)
        elif lat is None or lon is None:
            empty = "home_lat" if lat is None else "home_lon"
            given = "home_lon" if lat is None else "home_lat"
            problems.add(youths.file, row.line, empty,
                         _("{given} is given but {empty} is empty (give both, or leave both empty to use "
                           "the home gemeente's point)").format(given=given, empty=empty))
            row.bad.add(empty)
    if missing_both:
        from matcher.geography.geo import gemeente_points

        points = gemeente_points()
        for row in missing_both:
            code = row.get("home_gemeente")
            if code is None:
                row.bad.add("home_lat")
            elif code in points:
                row.values["home_lat"], row.values["home_lon"] = points[code]
                filled += 1
            else:
                problems.add(youths.file, row.line, "home_lat",
                             _("home_lat and home_lon are empty and gemeente '{code}' has no shipped point "
                               "to use instead; give the home point").format(code=code))
                row.bad.add("home_lat")
    return filled


def conflict_pairs_name_two_youths(conflicts: Table, youth_ids: set[str] | None,
                                   problems: Problems) -> list[tuple[int, str, str]]:
    """A contra-indicatie names two different, existing youths; a repeated pair counts once."""
    references_exist(conflicts, "youth_a", youth_ids, "youth_id", problems)
    references_exist(conflicts, "youth_b", youth_ids, "youth_id", problems)
    pairs: list[tuple[int, str, str]] = []
    seen: set[frozenset[str]] = set()
    for row in conflicts.rows or ():
        a, b = row.get("youth_a"), row.get("youth_b")
        if a is None or b is None:
            continue
        if a == b:
            problems.add(conflicts.file, row.line, "youth_b",
                         _("a youth cannot conflict with itself ('{youth}')").format(youth=a))
            row.bad.add("youth_b")
            continue
        key = frozenset((a, b))
        if key not in seen and row.ok:
            seen.add(key)
            pairs.append((row.line, a, b))
    return pairs


def sibling_groups_sit_at_one_location(youths: Table, location_of_unit: dict[str, str],
                                       allow_moves: bool | None, problems: Problems) -> None:
    """Siblings already placed at two locations cannot be reunited when nobody may move."""
    if allow_moves is not False:
        return
    first: dict[str, tuple[str, int]] = {}
    for row in youths.rows or ():
        group, unit = row.get("sibling_group"), row.get("current_unit_id")
        location = location_of_unit.get(unit) if unit is not None else None
        if group is None or location is None:
            continue
        if group not in first:
            first[group] = (location, row.line)
        elif first[group][0] != location:
            other_location, other_line = first[group]
            problems.add(youths.file, row.line, "sibling_group",
                         _("sibling group '{group}' already lives at two locations ('{location}' here, "
                           "'{other}' for the member on line {line}) while occupants may not move; allow "
                           "moves (allow_moves = true) or split the group")
                         .format(group=group, location=location, other=other_location, line=other_line))
            row.bad.add("sibling_group")


# --- warnings: odd but allowed --------------------------------------------------------------


def occupants_fit_their_unit(units: dict[str, tuple[Row, Unit]], youths: list[tuple[Row, Youth]],
                             conflict_pairs: list[tuple[int, str, str]], problems: Problems) -> None:
    """A unit whose current occupants alone break its rules stays as it is, but can take nobody."""
    residents: dict[str, list[Youth]] = {}
    for _row, youth in youths:
        if youth.current_unit_id is not None:
            residents.setdefault(youth.current_unit_id, []).append(youth)
    pair_line = {frozenset((a, b)): line for line, a, b in conflict_pairs}
    partners = conflict_partners((a, b) for _line, a, b in conflict_pairs)
    for unit_id, (row, unit) in units.items():
        here = residents.get(unit_id)
        if not here:
            continue
        reasons = []
        if not within_capacity(unit, here):
            reasons.append(_("{occupants} exceed its capacity of {capacity}")
                           .format(occupants=count(len(here), "current occupant", "current occupants"),
                                   capacity=unit.capacity))
        if not within_age_spread(unit, here):
            ages = [y.age for y in here]
            reasons.append(_("its occupants' ages {youngest}..{oldest} lie further apart than its largest "
                             "age spread of {spread}")
                           .format(youngest=min(ages), oldest=max(ages), spread=unit.max_age_spread))
        for a, b in conflict_pairs_among(sorted(here, key=lambda y: y.youth_id), partners):
            reasons.append(_("occupants {a} and {b} must not share a unit (conflicts.csv line {line})")
                           .format(a=a, b=b, line=pair_line[frozenset((a, b))]))
        if reasons:
            problems.add(UNITS_FILE, row.line, None,
                         _("unit '{unit}': {reasons}; it stays as it is and can take nobody new")
                         .format(unit=unit_id, reasons="; ".join(reasons)))


#: How a warning words each rule that a unit would not admit its occupant by today.
_MISMATCH_WORDS: tuple[tuple[Callable[[Youth, Unit], bool], Callable[[Youth, Unit], str]], ...] = (
    (offers_care_type, lambda y, u: _("the unit offers {unit_care}, the youth needs {youth_care}")
     .format(unit_care=care_type_name(u.care_type), youth_care=care_type_name(y.care_type))),
    (setting_meets_min_setting,
     lambda y, u: _("the unit's setting {setting} is more home-like than the youth needs ({needed})")
     .format(setting=u.setting, needed=y.min_setting)),
    (machtiging_if_closed, lambda y, u: _("a closed unit without machtiging")),
    (age_in_unit_range, lambda y, u: _("age {age} is outside the unit's ages {age_min}..{age_max}")
     .format(age=y.age, age_min=u.age_min, age_max=u.age_max)),
    (gender_fits_the_unit, lambda y, u: _("gender {gender} in a unit for {unit_gender}")
     .format(gender=y.gender, unit_gender=u.gender)),
    (location_allowed, lambda y, u: _("location {location} is excluded for this youth").format(location=u.location_id)),
)


def occupants_match_their_unit(youths: list[tuple[Row, Youth]], units: dict[str, tuple[Row, Unit]],
                               problems: Problems) -> None:
    """An occupant the unit's rules would not admit today stays anyway; the planner should know."""
    for row, youth in youths:
        found = units.get(youth.current_unit_id) if youth.current_unit_id is not None else None
        if found is None:
            continue
        unit = found[1]
        reasons = [words(youth, unit) for rule, words in _MISMATCH_WORDS if not rule(youth, unit)]
        if reasons:
            problems.add(YOUTHS_FILE, row.line, "current_unit_id",
                         _("occupant '{youth}' does not match unit '{unit}' ({reasons}); they stay where "
                           "they are").format(youth=youth.youth_id, unit=unit.unit_id, reasons="; ".join(reasons)))


# --- putting it together --------------------------------------------------------------------


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    rank = {f: i for i, f in enumerate(FILE_ORDER)}
    return sorted(problems, key=lambda p: (rank.get(p.file, -1), p.line or 0))


def _folder_name(folder: Path) -> str:
    return folder.resolve().name or "instance"


def rows_as(model: type[BaseModel], table: Table, problems: Problems) -> list[tuple[Row, Any]]:
    """The rows that passed every rule, each with its model (an empty cell takes its default)."""
    found = []
    for row in table.ok_rows():
        try:
            found.append((row, model.model_validate({k: v for k, v in row.values.items() if v is not None})))
        except ValidationError as exc:  # a rule the checks above missed: still no traceback
            for err in exc.errors():
                problems.add(table.file, row.line, ".".join(map(str, err["loc"])) or None, pydantic_message(err))
    return found


def validate_folder(folder: str | Path) -> Validation:
    """Check an instance folder of CSV files against every input rule; never raises for bad input."""
    folder = Path(folder)
    if not folder.exists():
        return Validation(None, [Problem(str(folder), None, None, _("folder does not exist"))], [])
    if not folder.is_dir():
        return Validation(None, [Problem(str(folder), None, None, _("is not a folder"))], [])
    return validate_files(folder)


def validate_files(folder) -> Validation:
    """Check the files of an instance: ``folder`` is a Path, or a workbook's ``SheetFolder``."""
    errors, warnings = Problems(), Problems()

    toml = read_settings(folder, errors)
    region_table = read_table(folder, REGIONS_FILE, REGION_COLUMNS, errors, required_file=False)
    regions = regions_in_use(region_table, errors)
    locations = read_table(folder, LOCATIONS_FILE, LOCATION_COLUMNS, errors)
    units = read_table(folder, UNITS_FILE, UNIT_COLUMNS, errors)
    youths = read_table(folder, YOUTHS_FILE, YOUTH_COLUMNS, errors, header_required=YOUTH_HEADER_REQUIRED)
    conflicts = read_table(folder, CONFLICTS_FILE, CONFLICT_COLUMNS, errors, required_file=False)

    location_ids = ids_are_unique(locations, "location_id", errors) if locations.readable else None
    unit_ids = ids_are_unique(units, "unit_id", errors) if units.readable else None
    youth_ids = ids_are_unique(youths, "youth_id", errors) if youths.readable else None
    gemeenten_exist_in_region_map(locations, "gemeente", regions, errors)
    gemeenten_exist_in_region_map(youths, "home_gemeente", regions, errors)
    references_exist(units, "location_id", location_ids, "location_id", errors)
    age_range_is_ordered(units, errors)
    alt_care_types_are_alternatives(youths, errors)
    filled = home_point_given_or_from_gemeente(youths, errors)
    references_exist(youths, "excluded_locations", location_ids, "location_id", errors)
    references_exist(youths, "current_unit_id", unit_ids, "unit_id", errors)
    pairs = conflict_pairs_name_two_youths(conflicts, youth_ids, errors)
    location_of_unit = {
        unit: location for r in units.rows or ()
        if (unit := r.get("unit_id")) and (location := r.get("location_id"))
    }
    sibling_groups_sit_at_one_location(youths, location_of_unit, toml.allow_moves, errors)

    unit_rows = {unit.unit_id: (row, unit) for row, unit in rows_as(Unit, units, errors)}
    youth_rows = rows_as(Youth, youths, errors)
    location_rows = rows_as(Location, locations, errors)
    occupants_fit_their_unit(unit_rows, youth_rows, pairs, warnings)
    occupants_match_their_unit(youth_rows, unit_rows, warnings)
    if filled:
        warnings.add(YOUTHS_FILE, None, None,
                     _("{youths} without a home point (home_lat/home_lon) got the representative point "
                       "of their home gemeente").format(youths=count(filled, "youth", "youths")))
    if not errors and regions.region_map is None:
        errors.add(REGIONS_FILE, None, None, _("the region map could not be built"))

    instance = None
    if not errors:
        try:
            instance = Instance(
                settings=toml.settings,
                locations=tuple(location for _row, location in location_rows),
                units=tuple(unit for _row, unit in unit_rows.values()),
                youths=tuple(youth for _row, youth in youth_rows),
                conflicts=tuple((a, b) for _line, a, b in pairs),
                regions=regions.region_map,
            )
        except ValidationError as exc:  # a rule the checks above missed: still no traceback
            for err in exc.errors():
                errors.add(folder.name or str(folder), None, ".".join(map(str, err["loc"])) or None, pydantic_message(err))
    return Validation(instance, _sorted(errors), _sorted(warnings))


def region_map_of_folder(folder: str | Path) -> RegionMap:
    """The region map of an instance folder: its regions.csv, else the shipped map; raises ``InputError``."""
    folder = Path(folder)
    if not folder.is_dir():
        what = _("folder does not exist") if not folder.exists() else _("is not a folder")
        raise InputError([Problem(str(folder), None, None, what)], folder=folder.name or str(folder))
    return region_map_of_files(folder)


def region_map_of_files(folder) -> RegionMap:
    """The region map of an instance's files (a Path or a workbook's ``SheetFolder``)."""
    problems = Problems()
    table = read_table(folder, REGIONS_FILE, REGION_COLUMNS, problems, required_file=False)
    regions = regions_in_use(table, problems)
    if problems or regions.region_map is None:
        if not problems:
            problems.add(REGIONS_FILE, None, None, _("the region map could not be built"))
        raise InputError(list(problems), folder=folder.name or str(folder))
    return regions.region_map
