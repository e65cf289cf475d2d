"""An instance as one Excel workbook: same rules as the CSV folder, problems by sheet, row, column."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.cli import main
from matcher.i18n import use_language
from matcher.instance import Settings
from matcher.input.source import read_instance, validate_instance
from matcher.solver.solve import solve
from matcher.input.reading import semicolon_problem
from matcher.input.workbook import SHEET_FILES, cell_text, default_solution_dir

INSTANCES = Path(__file__).resolve().parents[1] / "instances"
VOORBEELD = INSTANCES / "voorbeeld"


def typed(cell: str):
    """A CSV cell as Excel would hold it once typed in: a number, a boolean or text."""
    if cell in ("true", "false"):
        return cell == "true"
    for kind in (int, float):
        try:
            return kind(cell)
        except ValueError:
            pass
    return cell or None


def folder_to_workbook(folder: Path, path: Path, sheets=("youths", "units", "locations", "conflicts")) -> Path:
    """Write an instance folder's CSV files and instance.toml into one workbook."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            for i, row in enumerate(csv.reader(f)):
                ws.append(row if i == 0 else [typed(c) for c in row])
    ws = wb.create_sheet("settings")
    ws.append(["key", "value"])
    for key, value in tomllib.loads((folder / "instance.toml").read_text(encoding="utf-8")).items():
        for sub, v in (value.items() if isinstance(value, dict) else [(None, value)]):
            ws.append([f"{key}.{sub}" if sub else key, ";".join(map(str, v)) if isinstance(v, list) else v])
    wb.save(path)
    return path


def sheets_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with the given sheets, each a list of rows (the first one the header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def voorbeeld_sheets() -> dict[str, list[list]]:
    """The example week as rows of typed cells, sheet by sheet, to be edited by a test."""
    sheets = {}
    for name in ("youths", "units", "locations"):
        with open(VOORBEELD / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        sheets[name] = [rows[0]] + [[typed(c) for c in row] for row in rows[1:]]
    return sheets


def cell(sheets, sheet: str, row: int, column: str, value) -> None:
    """Set the cell of ``column`` on Excel row ``row`` (header = row 1)."""
    header = sheets[sheet][0]
    sheets[sheet][row - 1][header.index(column)] = value


def problem_texts(path: Path) -> list[str]:
    """Every error of the workbook, in English."""
    with use_language("en"):
        return [str(p) for p in validate_instance(path).errors]


@pytest.fixture(scope="session")
def nl_week_workbook(tmp_path_factory) -> Path:
    """The shipped national week, written into one workbook."""
    return folder_to_workbook(INSTANCES / "nl-week", tmp_path_factory.mktemp("xlsx") / "week.xlsx")


def test_workbook_reads_to_the_same_instance_as_the_folder(nl_week_workbook):
    """Every youth, unit, location, conflict and setting of nl-week comes back identical from the workbook."""
    assert read_instance(nl_week_workbook) == read_instance(INSTANCES / "nl-week")


def test_workbook_and_csv_give_the_same_solution(nl_week_workbook):
    """Solved with the same seed, the workbook and the CSV folder give the same assignments and objective."""
    from_csv = solve(read_instance(INSTANCES / "nl-week"), time_limit=30, seed=0)
    from_xlsx = solve(read_instance(nl_week_workbook), time_limit=30, seed=0)
    assert from_xlsx.unit_of == from_csv.unit_of
    assert from_xlsx.objective == pytest.approx(from_csv.objective, abs=1e-9)


def test_every_problem_names_sheet_row_and_column(tmp_path):
    """Broken cells on three sheets are each reported with sheet, Excel row and column."""
    sheets = voorbeeld_sheets()
    cell(sheets, "youths", 3, "age", 31)
    cell(sheets, "youths", 4, "gender", "q")
    cell(sheets, "units", 2, "capacity", 0)
    cell(sheets, "locations", 3, "lat", "52,1")
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert len(texts) == 4, texts
    assert texts[0].startswith("sheet locations, row 3, column lat: '52,1' uses a decimal comma")
    assert texts[1].startswith("sheet units, row 2, column capacity:")
    assert texts[2].startswith("sheet youths, row 3, column age:")
    assert texts[3].startswith("sheet youths, row 4, column gender:")


def test_problems_are_in_dutch_by_default(tmp_path):
    """Without a language set, the place of a problem reads blad/rij/kolom."""
    sheets = voorbeeld_sheets()
    cell(sheets, "youths", 3, "age", 31)
    errors = validate_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).errors
    assert str(errors[0]).startswith("blad youths, rij 3, kolom age:")


def test_references_between_sheets_name_the_sheet(tmp_path):
    """A unit pointing at an unknown location says so at its cell, naming the locations sheet."""
    sheets = voorbeeld_sheets()
    cell(sheets, "units", 2, "location_id", "L_NOPE")
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert texts == ["sheet units, row 2, column location_id: 'L_NOPE' is not a location in sheet locations"]


def test_empty_rows_are_skipped_and_rows_keep_their_excel_number(tmp_path):
    """Blank rows in the middle count as Excel rows: a broken cell below them names its own row."""
    sheets = voorbeeld_sheets()
    youths = sheets["youths"]
    sheets["youths"] = youths[:3] + [[None] * len(youths[0]), [None] * len(youths[0])] + youths[3:]
    cell(sheets, "youths", 7, "urgency", 9)
    path = sheets_workbook(tmp_path / "w.xlsx", sheets)
    texts = problem_texts(path)
    assert len(texts) == 1 and texts[0].startswith("sheet youths, row 7, column urgency:")


def patched(path: Path, old: bytes, new: bytes) -> Path:
    """A copy of the workbook with ``old`` replaced by ``new`` in its sheets' XML, to write cells
    as Excel saves them (17-digit floats, formulas with their saved values)."""
    out = path.with_name("patched-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename).replace(old, new))
    return out


def test_excel_numbers_become_the_numbers_they_are(tmp_path):
    """3.0 is the whole number 3, and a float Excel saved with 17 digits keeps its exact value."""
    sheets = voorbeeld_sheets()
    cell(sheets, "units", 2, "capacity", 3.0)
    cell(sheets, "units", 2, "cost_per_day", 777.25)
    cell(sheets, "locations", 2, "lat", 52.1)
    path = patched(sheets_workbook(tmp_path / "w.xlsx", sheets), b"<v>777.25</v>", b"<v>0.30000000000000004</v>")
    instance = read_instance(path)
    unit = instance.units[0]
    assert unit.capacity == 3 and isinstance(unit.capacity, int)
    assert unit.cost_per_day == 0.1 + 0.2
    assert instance.locations[0].lat == 52.1


@pytest.mark.parametrize("value, expected", [
    (3.0, "3"), (0.1 + 0.2, "0.30000000000000004"), (12.5, "12.5"), (7, "7"), (True, "true"),
    (False, "false"), (None, ""), ("two\nlines", "two lines"), (-0.0, "0"), (1e20, "1e+20"),
])
def test_cell_text(value, expected):
    """A cell becomes the text a CSV file would hold: shortest exact numbers, true/false, one line."""
    assert cell_text(value) == expected


def test_booleans_typed_and_in_dutch_words(tmp_path):
    """machtiging accepts Excel's TRUE/FALSE cells and the words WAAR/ONWAAR in any case."""
    sheets = voorbeeld_sheets()
    for row, value in zip(range(2, 7), (True, False, "WAAR", "onwaar", "TRUE")):
        cell(sheets, "youths", row, "machtiging", value)
    instance = read_instance(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert [y.machtiging for y in instance.youths[:5]] == [True, False, True, False, True]


def test_waar_is_only_a_boolean_in_yes_no_columns(tmp_path):
    """WAAR in a text column stays the text WAAR (here a provider name)."""
    sheets = voorbeeld_sheets()
    cell(sheets, "locations", 2, "provider", "WAAR")
    assert read_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).locations[0].provider == "WAAR"


def test_a_date_cell_is_one_clear_problem(tmp_path):
    """A date where a number belongs gives one problem at that cell that says it is a date."""
    sheets = voorbeeld_sheets()
    cell(sheets, "youths", 2, "age", dt.datetime(2024, 3, 1))
    cell(sheets, "youths", 3, "youth_id", dt.date(2024, 3, 2))
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert len(texts) == 2, texts
    assert texts[0].startswith("sheet youths, row 2, column age: Excel holds this cell as a date (2024-03-01)")
    assert texts[1].startswith("sheet youths, row 3, column youth_id: Excel holds this cell as a date")


def test_formulas_count_with_their_saved_value(tmp_path):
    """A formula cell is read as the value Excel saved with it (here capacity =2+3 saved as 5)."""
    sheets = voorbeeld_sheets()
    cell(sheets, "units", 2, "capacity", "=2+3")
    path = patched(sheets_workbook(tmp_path / "w.xlsx", sheets), b"<f>2+3</f><v />", b"<f>2+3</f><v>5</v>")
    assert read_instance(path).units[0].capacity == 5


def test_settings_sheet_nested_keys_lists_and_booleans(tmp_path):
    """Dotted keys fill the nested settings, ';' separates a list, WAAR is true, empty keeps the default."""
    sheets = voorbeeld_sheets()
    sheets["settings"] = [
        ["key", "value", "toelichting"],
        ["name", "week 47", "free text beside it is ignored"],
        ["allow_moves", "WAAR"],
        ["max_km.gesloten", 99],
        ["weights.unplaced", "1500;2500;5000"],
        ["weights.km", 1.5],
        ["weights.move", None],
        [None, None],
    ]
    settings = read_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).settings
    assert settings.name == "week 47" and settings.allow_moves is True
    assert settings.max_km["gesloten"] == 99.0 and settings.max_km["eetstoornis"] == 250.0
    assert settings.weights.unplaced == (1500.0, 2500.0, 5000.0)
    assert settings.weights.km == 1.5 and settings.weights.move == Settings().weights.move


def test_settings_problems_name_their_row_and_key(tmp_path):
    """An unknown key, a wrong value, a short list and a repeated key each name their settings row."""
    sheets = voorbeeld_sheets()
    sheets["settings"] = [
        ["key", "value"],
        ["weights.kmm", 3],
        ["road_factor", "1,2"],
        ["weights.unplaced", "1000;2000"],
        ["weights.kmm", 4],
        ["max_km.gesloten", dt.datetime(2024, 1, 5)],
    ]
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert len(texts) == 5, texts
    assert texts[0].startswith("sheet settings, row 2, key weights.kmm: 'kmm' is not a setting")
    assert texts[1].startswith("sheet settings, row 3, key road_factor:") and "'1,2'" in texts[1]
    assert texts[2].startswith("sheet settings, row 4, key weights.unplaced:")
    assert texts[3] == "sheet settings, row 5, key weights.kmm: 'weights.kmm' is already given on row 2"
    assert texts[4].startswith("sheet settings, row 6, key max_km.gesloten: Excel holds this cell as a date")


def test_dutch_sheet_names_are_accepted(tmp_path):
    """jongeren, locaties and instellingen stand for youths, locations and settings."""
    sheets = voorbeeld_sheets()
    renamed = {"jongeren": sheets["youths"], "units": sheets["units"], "Locaties": sheets["locations"],
               "instellingen": [["key", "value"], ["name", "nl"]]}
    instance = read_instance(sheets_workbook(tmp_path / "w.xlsx", renamed))
    assert instance.name == "nl" and len(instance.youths) == len(sheets["youths"]) - 1


def test_a_missing_sheet_is_one_problem_with_a_hint(tmp_path):
    """Without a youths sheet (but with a 'youth' sheet) the workbook says so once and suggests the name."""
    sheets = voorbeeld_sheets()
    sheets["youth"] = sheets.pop("youths")
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert texts == ["sheet youths: the workbook has no sheet 'youths' (it needs the sheets locations, units "
                     "and youths) (did you mean 'youth'?)"]


def test_an_empty_optional_sheet_counts_as_absent(tmp_path):
    """A regions sheet with only its header (as in the template) keeps the shipped region map."""
    sheets = voorbeeld_sheets()
    sheets["regions"] = [["gemeente", "jeugdregio", "bovenregio"]]
    assert read_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).regions.source == "shipped"


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path):
    """A .xlsx that is really a CSV file cannot be opened, and says so once."""
    path = tmp_path / "week.xlsx"
    shutil.copy(VOORBEELD / "youths.csv", path)
    texts = problem_texts(path)
    assert len(texts) == 1 and texts[0].startswith("week.xlsx: cannot be opened as an Excel workbook")


def test_cli_validates_and_solves_a_workbook(tmp_path):
    """validate and solve take week.xlsx, the solution goes beside it, and map finds the workbook again."""
    path = folder_to_workbook(VOORBEELD, tmp_path / "week.xlsx", sheets=("youths", "units", "locations", "conflicts"))
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    result = runner.invoke(main, ["solve", str(path), "--no-map", "--quiet"])
    assert result.exit_code == 0, result.output
    assert default_solution_dir(path) == tmp_path / "week-solution"
    assert (tmp_path / "week-solution" / "assignments.csv").is_file()
    redraw = runner.invoke(main, ["map", str(tmp_path / "week-solution")])
    assert redraw.exit_code == 0, redraw.output


def test_cli_reports_workbook_problems_with_exit_2(tmp_path):
    """A broken workbook gives exit code 2 and the sheet/row/column of the problem, no traceback."""
    sheets = voorbeeld_sheets()
    cell(sheets, "youths", 3, "age", "veertien")
    result = CliRunner().invoke(main, ["validate", str(sheets_workbook(tmp_path / "w.xlsx", sheets))],
                                env={"MATCHER_LANG": "en"})
    assert result.exit_code == 2
    assert "sheet youths, row 3, column age: 'veertien' is not a whole number" in result.output


def test_semicolon_csv_gets_one_message_and_exit_2(tmp_path):
    """units.csv saved by Dutch Excel (';' and decimal commas): one message naming it, with the fix."""
    folder = tmp_path / "week"
    shutil.copytree(VOORBEELD, folder)
    units = (folder / "units.csv").read_text(encoding="utf-8")
    (folder / "units.csv").write_text(units.replace(",", ";").replace(".0", ",0"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)], env={"MATCHER_LANG": "en"})
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith("  units.csv, line 1: is separated by ';'")
    assert "CSV UTF-8 (comma delimited)" in errors[0] and "door komma's gescheiden" in errors[0]


@pytest.mark.parametrize("header, is_semicolon", [
    ("unit_id;location_id;care_type", True),
    ("unit_id,location_id,care_type", False),
    ('name,"a;b"', False),
    ("youth_a", False),
])
def test_semicolon_detection(header, is_semicolon):
    """Only a header split by ';' into more cells than by ',' counts as saved by Dutch Excel."""
    assert (semicolon_problem(header + "\nx\n") is not None) == is_semicolon


def test_regions_command_reads_the_regions_sheet(tmp_path):
    """matcher regions week.xlsx prints the workbook's own regions sheet, and names a broken row."""
    sheets = voorbeeld_sheets()
    sheets["regions"] = [["gemeente", "jeugdregio", "bovenregio"], ["GM0014", "JZ01", "Noord"], ["GM0034", "JZ02", "Oost"]]
    result = CliRunner().invoke(main, ["regions", str(sheets_workbook(tmp_path / "w.xlsx", sheets))])
    assert result.exit_code == 0
    assert result.output == "gemeente,jeugdregio,bovenregio\nGM0014,JZ01,Noord\nGM0034,JZ02,Oost\n"
    sheets["regions"].append(["GM0034", "JZ03", "Oost"])
    result = CliRunner().invoke(main, ["regions", str(sheets_workbook(tmp_path / "w.xlsx", sheets))],
                                env={"MATCHER_LANG": "en"})
    assert result.exit_code == 2 and "sheet regions, row 4, column gemeente:" in result.output


def test_an_old_xls_file_says_how_to_convert_it(tmp_path):
    """A .xls file gets one problem that says to save it as .xlsx."""
    path = tmp_path / "week.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0old excel")
    assert problem_texts(path) == ["week.xls: is in the old Excel format (.xls); open it in Excel and save it "
                                   "as an Excel workbook (.xlsx)"]


def test_every_excel_text_has_a_dutch_translation():
    """Each message of the Excel modules (reading, template, solution.xlsx) is in the Dutch catalog."""
    from babel.messages.extract import extract_from_file

    from matcher.i18n import catalog_messages

    translated = {m.id for m in catalog_messages("nl") if m.string}
    package = Path(__file__).resolve().parents[1] / "matcher"
    used = {
        message
        for module in ("input/workbook.py", "input/template.py", "output/solution_workbook.py", "commands/template.py")
        for _line, message, _comments, _context in extract_from_file(
            "python", package / module, keywords={"_": None, "N_": None})
    }
    assert len(used) > 100 and used <= translated, sorted(used - translated)


def test_a_missing_workbook_creates_no_solution_folder(tmp_path):
    """matcher solve on a workbook that is not there: exit 2, and no week-solution folder appears."""
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "week.xlsx"), "--no-map", "--quiet"])
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.sampled_from(["WAAR", "ONWAAR", "12,5", "=1+", "#N/A", "GM0014", " ", "a;b;"]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["youths", "units", "locations", "settings"]),
                                st.integers(1, 12), st.integers(0, 16), CELL_VALUES), min_size=1, max_size=6))
def test_any_cell_values_give_problems_never_a_crash(tmp_path, edits):
    """Whatever Excel holds in any cells, validation either succeeds or names each problem's sheet."""
    sheets = voorbeeld_sheets()
    sheets["settings"] = [["key", "value"], ["weights.km", 1], ["allow_moves", False]]
    for sheet, row, column, value in edits:
        rows = sheets[sheet]
        while len(rows) < row:
            rows.append([])
        rows[row - 1] = list(rows[row - 1]) + [None] * max(0, column + 1 - len(rows[row - 1]))
        rows[row - 1][column] = value
    validation = validate_instance(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert (validation.instance is None) == bool(validation.errors)
    assert all(p.sheet in (None, *SHEET_FILES) for p in validation.errors)
    assert all(str(p) for p in validation.errors)


def test_a_date_as_settings_key_is_a_problem(tmp_path):
    """A date in the key column of the settings sheet is a problem on its row, not a crash."""
    sheets = voorbeeld_sheets()
    sheets["settings"] = [["key", "value"], [dt.datetime(2000, 1, 1), 3]]
    texts = problem_texts(sheets_workbook(tmp_path / "w.xlsx", sheets))
    assert len(texts) == 1 and texts[0].startswith("sheet settings, row 2: Excel holds this cell as a date")


@pytest.mark.parametrize("above", [[[]], [[], []], [["Week 12: aanmeldingen"], []], [["Aanmeldingen"], ["bijgewerkt", "vrijdag"]]])
def test_a_sheet_whose_header_stands_lower_is_read(tmp_path, above):
    """Blank rows or a title above a sheet's header (as Excel users leave them): the header is the
    first row that names the sheet's columns, and the row numbers in messages stay Excel's."""
    sheets = voorbeeld_sheets()
    sheets["youths"] = above + sheets["youths"]
    assert validate_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).errors == []
    header_row = len(above) + 1
    sheets["youths"][header_row][sheets["youths"][header_row - 1].index("age")] = "oud"
    errors = validate_instance(sheets_workbook(tmp_path / "w2.xlsx", sheets)).errors
    assert [(e.sheet, e.line, e.column) for e in errors] == [("youths", header_row + 1, "age")]


def test_a_sheet_with_a_title_and_no_header_says_where_it_looked(tmp_path):
    """A title but no row naming the columns: the missing columns are reported on the title's row."""
    sheets = voorbeeld_sheets()
    sheets["units"] = [[], ["Units van deze week"]]
    errors = validate_instance(sheets_workbook(tmp_path / "w.xlsx", sheets)).errors
    assert errors and all(e.sheet == "units" and e.line == 2 for e in errors if e.sheet == "units")
    assert any("unit_id" in (e.column or "") for e in errors)
