"""Reading an instance from one Excel workbook (.xlsx) instead of a folder of CSV files.

A workbook is not read by a second reader: every sheet is turned into the CSV text of the file
it stands for (one line per Excel row, so a line number is the row number Excel shows) and the
settings sheet into the TOML text of ``instance.toml`` (again one line per row). The folder
reader (``matcher.input.reading``) then applies every rule exactly as it does to a folder, and its
problems are moved back onto the sheets: ``sheet youths, row 7, column age``.

Excel's own types are turned into the text the format expects: whole numbers (``3.0``) into
``3``, other numbers into the shortest text that gives back the same number, TRUE/FALSE into
``true``/``false``; in yes/no columns the Dutch words WAAR/ONWAAR are accepted too. Formulas
count with the value Excel saved for them. A date is never what a column of the format means,
so a date cell is a problem of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from matcher.input import reading
from matcher.i18n import _
from matcher.errors import InputError, Problem
from matcher.input.reading import Validation
from matcher.wording import did_you_mean

#: The file each sheet stands for, in the order problems are listed.
SHEET_FILES = {
    "settings": "instance.toml",
    "regions": "regions.csv",
    "locations": "locations.csv",
    "units": "units.csv",
    "youths": "youths.csv",
    "conflicts": "conflicts.csv",
}
REQUIRED_SHEETS = ("locations", "units", "youths")
#: Dutch names a planner may give the sheets instead.
SHEET_ALIASES = {
    "jongeren": "youths",
    "locaties": "locations",
    "contra-indicaties": "conflicts",
    "regio's": "regions",
    "regios": "regions",
    "instellingen": "settings",
}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # .xls only to say how to convert it
_DUTCH_BOOLEANS = {"waar": "true", "onwaar": "false"}
_SETTING_KEY = re.compile(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE_WORDS = {"true": True, "false": False, "ja": True, "nee": False, "1": True, "0": False,
               "waar": True, "onwaar": False}


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` names an Excel workbook (by its suffix) rather than a folder."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def default_solution_dir(instance: str | Path) -> Path:
    """Where ``matcher solve`` writes when no ``--out`` is given: FOLDER/solution for a folder,
    the folder ``week-solution`` beside ``week.xlsx`` for a workbook."""
    instance = Path(instance)
    if is_workbook(instance):
        return instance.with_name(f"{instance.stem}-solution")
    return instance / "solution"


# --- where a problem is: sheet, row, column -------------------------------------------------


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem in a workbook (``file``), pinned to sheet, Excel row and column (or settings key)."""

    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:
            return f"{self.file}: {self.message}"
        where = [_("sheet {sheet}").format(sheet=self.sheet)]
        if self.line is not None:
            where.append(_("row {row}").format(row=self.line))
        if self.column:
            word = _("key {key}") if self.sheet == "settings" else _("column {column}")
            where.append(word.format(key=self.column, column=self.column))
        return f"{', '.join(where)}: {self.message}"


def sheet_problem(book: str, sheet: str | None, row: int | None, column: str | None, message: str) -> SheetProblem:
    """A problem of workbook ``book`` at ``sheet``/``row``/``column`` (each may be unknown)."""
    return SheetProblem(book, row, column, message, sheet=sheet)


def _on_sheet(problem, book: str):
    """A problem the folder reader found, moved from its file onto the sheet it came from."""
    sheet_of = {file: sheet for sheet, file in SHEET_FILES.items()}
    message = problem.message
    for file, sheet in sheet_of.items():
        message = message.replace(file, _("sheet {sheet}").format(sheet=sheet))
    return sheet_problem(book, sheet_of.get(problem.file), problem.line, problem.column, message)


def _sorted(problems: Iterable) -> list:
    order = {sheet: i for i, sheet in enumerate(SHEET_FILES)}
    return sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.line or 0))


# --- cells into text ------------------------------------------------------------------------


class DateCell(ValueError):
    """A cell Excel holds as a date or time: no column of the format is a date."""


def cell_text(value: Any) -> str:
    """The text a CSV file would hold for this cell value (``DateCell`` for dates and times).

    ``3.0`` becomes ``3``; any other number the shortest text that reads back as exactly the
    same number (so ``0.1`` stays ``0.1``, and ``1e20`` is not spelled out in 21 digits); a line break inside a text becomes a space, so that
    every Excel row stays one line.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise DateCell(value)
    return re.sub(r"\s*[\r\n]+\s*", " ", str(value))


def _date_message(value: Any) -> str:
    shown = value.date().isoformat() if isinstance(value, dt.datetime) and value.time() == dt.time() else str(value)
    return _("Excel holds this cell as a date ({value}); no column of the format is a date: "
             "give the cell the format Text or Number and type the value again").format(value=shown)


def _columns(file: str) -> tuple:
    return {
        reading.LOCATIONS_FILE: reading.LOCATION_COLUMNS, reading.UNITS_FILE: reading.UNIT_COLUMNS,
        reading.YOUTHS_FILE: reading.YOUTH_COLUMNS, reading.CONFLICTS_FILE: reading.CONFLICT_COLUMNS,
        reading.REGIONS_FILE: reading.REGION_COLUMNS,
    }.get(file, ())


def _column_names(file: str) -> set[str]:
    """The columns the format defines for ``file``."""
    return {c.name for c in _columns(file)}


def _boolean_columns(file: str) -> set[str]:
    """The yes/no columns of ``file``, where WAAR/ONWAAR mean true/false."""
    return {c.name for c in _columns(file) if c.parse is reading.boolean}


def _rows(ws) -> list[list[Any]]:
    """Every row of the sheet from row 1 on (empty rows included), trailing empty cells cut."""
    rows = []
    for values in ws.iter_rows(min_row=1, values_only=True):
        values = list(values)
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values.pop()
        rows.append(values)
    return rows


def sheet_csv(ws, sheet: str, book: str, problems: list) -> str:
    """The sheet as the CSV text of its file: line n holds Excel row n."""
    rows = _rows(ws)
    header_row = reading.header_index(rows, _column_names(SHEET_FILES[sheet]))
    header = [cell_text(v).strip() if not isinstance(v, (dt.date, dt.time)) else "" for v in rows[header_row]] if rows else []
    booleans = _boolean_columns(SHEET_FILES[sheet])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, values in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(values):
            column = header[index] if index < len(header) and header[index] else _column_letter(index)
            try:
                text = cell_text(value)
            except DateCell:
                problems.append(sheet_problem(book, sheet, number, column if number > header_row + 1 else None,
                                              _date_message(value)))
                text = ""
            if column in booleans and number > header_row + 1:
                text = _DUTCH_BOOLEANS.get(text.strip().lower(), text)
            cells.append(text)
        writer.writerow(cells)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- the settings sheet into instance.toml --------------------------------------------------


def _toml_number(text: str) -> str | None:
    """``text`` as a TOML number when it is one, else None."""
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _toml_value(key: str, value: Any) -> str:
    """A settings cell as a TOML value; what is not of the key's kind stays text, so that the
    settings rules name it (``road_factor must be a number above 0, not '12,5'``)."""
    if key == "name":
        return json.dumps(cell_text(value).strip(), ensure_ascii=False)
    if isinstance(value, bool) or (isinstance(value, (int, float)) and key != "weights.unplaced"):
        return cell_text(value)
    text = cell_text(value).strip()
    if key == "allow_moves" and text.lower() in _TRUE_WORDS:
        return "true" if _TRUE_WORDS[text.lower()] else "false"
    if key == "weights.unplaced" or ";" in text:
        items = [part.strip() for part in text.split(";") if part.strip()]
        return "[" + ", ".join(_toml_number(i) or json.dumps(i, ensure_ascii=False) for i in items) + "]"
    return _toml_number(text) or json.dumps(text, ensure_ascii=False)


def _header_index(header: list[str], names: tuple[str, ...]) -> int | None:
    for i, cell in enumerate(header):
        if cell.strip().lower() in names:
            return i
    return None


def settings_toml(ws, book: str, problems: list) -> str:
    """The settings sheet (``key``/``value`` rows) as the text of instance.toml, line n = row n."""
    rows = _rows(ws)
    at = reading.header_index(rows, {"key", "sleutel", "value", "waarde"})
    header = [cell_text(v) if not isinstance(v, (dt.date, dt.time)) else "" for v in rows[at]] if rows else []
    key_at, value_at = _header_index(header, ("key", "sleutel")), _header_index(header, ("value", "waarde"))
    if key_at is None or value_at is None:
        problems.append(sheet_problem(book, "settings", at + 1, None, _(
            "the first row must name the columns key and value (one setting per row, e.g. weights.km)")))
        return ""
    lines, seen = ["# key = value"] + [""] * at, {}
    for number, values in enumerate(rows[at + 1:], start=at + 2):
        key = values[key_at] if key_at < len(values) else None
        value = values[value_at] if value_at < len(values) else None
        if isinstance(key, (dt.date, dt.time, dt.timedelta)):
            problems.append(sheet_problem(book, "settings", number, None, _date_message(key)))
            lines.append("")
            continue
        lines.append(_settings_line(cell_text(key).strip(), value, number, seen, book, problems))
    return "\n".join(lines) + "\n"


def _settings_line(key: str, value: Any, row: int, seen: dict[str, int], book: str, problems: list) -> str:
    """One settings row as a TOML line (empty when the row gives nothing or is wrong)."""
    def problem(column: str | None, message: str) -> str:
        problems.append(sheet_problem(book, "settings", row, column, message))
        return ""

    empty = value is None or (isinstance(value, str) and not value.strip())
    if not key:
        return "" if empty else problem(None, _("a value without a key (write the setting's name, "
                                                "e.g. weights.km, in the column key)"))
    if not _SETTING_KEY.fullmatch(key):
        return problem(key, _("'{key}' is not a setting key (keys are words joined by dots, "
                              "e.g. max_km.gesloten)").format(key=key))
    clash = next((r for k, r in seen.items() if k == key or k.startswith(key + ".") or key.startswith(k + ".")), None)
    if clash is not None:
        return problem(key, _("'{key}' is already given on row {row}").format(key=key, row=clash))
    seen[key] = row
    if empty:
        return ""
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return problem(key, _date_message(value))
    return f"{key} = {_toml_value(key, value)}"


# --- the workbook as a folder ---------------------------------------------------------------


class _SheetFile:
    """One file of a workbook's instance: its text, or absent."""

    def __init__(self, text: str | None):
        self._text = text

    def exists(self) -> bool:
        return self._text is not None

    def is_dir(self) -> bool:
        return False

    def read_bytes(self) -> bytes:
        if self._text is None:
            raise FileNotFoundError
        return self._text.encode("utf-8")


class SheetFolder:
    """A workbook seen as an instance folder: ``folder / "youths.csv"`` is the youths sheet as CSV.

    It answers what ``matcher.input.reading`` asks of a folder (``/``, ``name``, ``resolve()``), and
    nothing more.
    """

    def __init__(self, name: str, texts: dict[str, str]):
        self.name = name
        self.texts = dict(texts)

    def __truediv__(self, file: str) -> _SheetFile:
        return _SheetFile(self.texts.get(file))

    def resolve(self) -> "SheetFolder":
        return self

    def __str__(self) -> str:
        return self.name


def _find_sheets(names: list[str], book: str, problems: list) -> dict[str, str]:
    """Our sheet -> the workbook's sheet name (English names, or the Dutch aliases)."""
    found: dict[str, str] = {}
    for name in names:
        ours = name.strip().lower()
        ours = SHEET_ALIASES.get(ours, ours)
        if ours in SHEET_FILES:
            if ours in found:
                problems.append(sheet_problem(book, ours, None, None, _(
                    "the workbook has two sheets for {sheet}: '{a}' and '{b}'").format(sheet=ours, a=found[ours], b=name)))
            else:
                found[ours] = name
    for sheet in REQUIRED_SHEETS:
        if sheet not in found:
            others = [n for n in names if n.strip().lower() not in SHEET_FILES]
            problems.append(sheet_problem(book, sheet, None, None, _(
                "the workbook has no sheet '{sheet}' (it needs the sheets locations, units and youths){hint}"
            ).format(sheet=sheet, hint=did_you_mean(sheet, others))))
    return found


def _has_data(ws) -> bool:
    """Whether a sheet holds anything below its header row; an optional sheet that does not
    (regions or conflicts as the template leaves them) counts as absent."""
    return any(cell_text(v).strip() if not isinstance(v, (dt.date, dt.time, dt.timedelta)) else True
               for row in ws.iter_rows(min_row=2, values_only=True) for v in row)


def read_workbook(path: Path) -> tuple[SheetFolder | None, list]:
    """The workbook's sheets as the files of an instance folder, and the problems found on the way."""
    import openpyxl

    book = path.name
    if path.suffix.lower() == ".xls":
        return None, [sheet_problem(book, None, None, None, _(
            "is in the old Excel format (.xls); open it in Excel and save it as an Excel workbook (.xlsx)"))]
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # zip, XML or format errors: the file is not a workbook we can open
        message = _("cannot be opened as an Excel workbook (.xlsx): {error}").format(error=exc)
        return None, [sheet_problem(book, None, None, None, message)]
    problems: list = []
    found = _find_sheets(wb.sheetnames, book, problems)
    texts, damaged = {}, False
    try:
        for sheet, name in found.items():
            try:
                texts |= _sheet_text(wb[name], sheet, book, problems)
            except Exception as exc:  # the sheet's XML is damaged (e.g. a control character in a cell)
                damaged = True
                problems.append(sheet_problem(book, sheet, None, None, _(
                    "cannot be read: {error} (is the workbook damaged? open it in Excel and save it again)")
                    .format(error=f"{type(exc).__name__}: {exc}")))
    finally:
        wb.close()
    return (None if damaged else SheetFolder(path.stem or book, texts)), problems


def _sheet_text(ws, sheet: str, book: str, problems: list) -> dict[str, str]:
    """The file text of one sheet (none for an optional sheet without data)."""
    ws.reset_dimensions()  # read every row, whatever size the file claims for the sheet
    if sheet == "settings":
        return {SHEET_FILES[sheet]: settings_toml(ws, book, problems)}
    if sheet in REQUIRED_SHEETS or _has_data(ws):
        return {SHEET_FILES[sheet]: sheet_csv(ws, sheet, book, problems)}
    return {}


def validate_workbook(path: str | Path):
    """Check the instance in a workbook against every input rule; problems name sheet, row, column."""
    path = Path(path)
    book = path.name
    if not path.is_file():
        what = _("workbook does not exist") if not path.exists() else _("is not a workbook file")
        return Validation(None, [sheet_problem(str(path), None, None, None, what)], [])
    folder, own = read_workbook(path)
    if folder is None:
        return Validation(None, own, [])
    checked = reading.validate_files(folder)
    taken = {(p.sheet, p.line, p.column) for p in own} | {(p.sheet, None, None) for p in own}
    errors = own + [q for q in (_on_sheet(p, book) for p in checked.errors)
                    if (q.sheet, q.line, q.column) not in taken]
    warnings = [_on_sheet(p, book) for p in checked.warnings]
    instance = checked.instance if not errors else None
    return Validation(instance, _sorted(errors), _sorted(warnings))


def workbook_region_map(path: str | Path):
    """The region map of a workbook: its regions sheet, else the shipped map; raises ``InputError``."""
    path = Path(path)
    book = path.name
    if not path.is_file():
        raise InputError([sheet_problem(str(path), None, None, None, _("workbook does not exist"))], folder=book)
    folder, own = read_workbook(path)
    problems = [p for p in own if p.sheet in (None, "regions")]
    if folder is None or problems:
        raise InputError(problems, folder=book)
    try:
        return reading.region_map_of_files(folder)
    except InputError as err:
        raise InputError(_sorted(_on_sheet(p, book) for p in err.problems), folder=book) from None


# --- how matcher's own workbooks look (the template, solution.xlsx) -------------------------


def finish_sheet(ws, widest: int = 60) -> None:
    """Bold frozen header, filter, widths after the content, landscape fit-to-width printing."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for index, cells in enumerate(ws.iter_cols(values_only=True), start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(cells, widest)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def column_width(values: Iterable[Any], widest: int = 60) -> int:
    """A column's width (characters) after its content: the longest value shown, 2 more, from 8
    up to ``widest``."""
    longest = max((len(_shown(v)) for v in values), default=8)
    return min(widest, max(8, longest + 2))


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)
