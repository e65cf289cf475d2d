"""``matcher template``: the empty workbook a planner fills in, with drop-downs and explanations."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.domain import CARE_TYPES
from matcher.instance import Settings
from matcher.input.source import read_instance
from matcher.geography.regions import gemeente_names
from matcher.input.template import SHEET_COLUMNS, write_template

INPUT_SHEETS = ("youths", "units", "locations", "conflicts", "regions", "settings")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The template written by the command line, in the default language (Dutch)."""
    path = tmp_path_factory.mktemp("template") / "week.xlsx"
    result = CliRunner().invoke(main, ["template", "--out", str(path)], env={"MATCHER_LANG": None})
    assert result.exit_code == 0, result.output
    return path


def validations(ws) -> dict[str, str]:
    """Column letter -> the formula or type of the data validation on it."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            found[re.match(r"[A-Z]+", ref).group()] = dv.formula1 if dv.type == "list" else dv.type
    return found


def test_template_has_every_sheet_with_the_readers_headers(template):
    """One sheet per input file with the reader's own column names, plus toelichting and a hidden lijsten."""
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [*INPUT_SHEETS, "toelichting", "lijsten"]
    for sheet, columns in SHEET_COLUMNS.items():
        assert [c.value for c in wb[sheet][1]] == [c.name for c in columns]
        assert wb[sheet].freeze_panes == "A2"
    assert wb["lijsten"].sheet_state == "hidden"


def test_template_has_drop_down_lists(template):
    """Care types, settings, genders, yes/no and gemeente codes are drop-down lists from the lijsten sheet."""
    wb = openpyxl.load_workbook(template)
    youths = validations(wb["youths"])
    header = [c.value for c in wb["youths"][1]]
    letter = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(header)}
    assert youths[letter["care_type"]] == "lijsten!$A$2:$A$5"
    assert youths[letter["min_setting"]] == "lijsten!$B$2:$B$6"
    assert youths[letter["gender"]] == "lijsten!$D$2:$D$4"
    assert youths[letter["machtiging"]] == "lijsten!$E$2:$E$3"
    assert youths[letter["home_gemeente"]] == "lijsten!$F$2:$F$343"
    assert youths[letter["age"]] == "whole"
    units = validations(wb["units"])
    assert units["H"] == "lijsten!$C$2:$C$4"  # units' gender: gemengd, jongens, meisjes


def test_lists_sheet_holds_every_gemeente_with_its_name(template):
    """The hidden lijsten sheet holds the 342 gemeente codes with their names, and the care types."""
    ws = openpyxl.load_workbook(template)["lijsten"]
    codes = [ws.cell(r, 6).value for r in range(2, ws.max_row + 1) if ws.cell(r, 6).value]
    names = {ws.cell(r, 6).value: ws.cell(r, 7).value for r in range(2, 344)}
    assert len(codes) == 342 and names == gemeente_names()
    assert tuple(ws.cell(r, 1).value for r in range(2, 6)) == CARE_TYPES
    assert [ws.cell(r, 5).value for r in (2, 3)] == ["ja", "nee"]


def test_explanation_sheet_explains_every_column_in_dutch(template):
    """Every column of every input sheet and every setting has a Dutch explanation row."""
    ws = openpyxl.load_workbook(template)["toelichting"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    explained = {(sheet, column) for sheet, column, _required, text in rows if text}
    for sheet, columns in SHEET_COLUMNS.items():
        assert {(sheet, c.name) for c in columns} <= explained
    assert ("settings", "weights.unplaced") in explained
    by_column = {(sheet, column): (required, text) for sheet, column, required, text in rows}
    assert by_column[("youths", "youth_id")] == ("moet ingevuld", "Pseudoniem nummer van de jongere (geen naam, geen BSN); uniek.")
    assert by_column[("youths", "max_km")][0] == "mag leeg blijven"
    assert [c.value for c in ws[1]] == ["blad", "kolom", "verplicht", "toelichting"]


def test_english_template_explains_in_english(tmp_path):
    """With matcher --lang en the explanation sheet and the yes/no list are English."""
    path = tmp_path / "week.xlsx"
    assert CliRunner().invoke(main, ["--lang", "en", "template", "--out", str(path)]).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["explanation"]
    assert [c.value for c in ws[1]] == ["sheet", "column", "required", "explanation"]
    texts = {(r[0], r[1]): r[3] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert texts[("units", "capacity")] == "Places (for thuis: caseload slots), at least 1."
    assert [wb["lijsten"].cell(r, 5).value for r in (2, 3)] == ["true", "false"]


def test_empty_template_is_a_valid_instance_with_the_default_settings(template):
    """The untouched template validates, and its settings sheet gives exactly the defaults."""
    instance = read_instance(template)
    assert instance.youths == () and instance.regions.source == "shipped"
    assert instance.settings == Settings(name="week")


def test_filled_in_template_validates_and_solves(tmp_path):
    """Template -> fill in -> solve -> solution.xlsx: one youth placed, the other (no machtiging) not."""
    path = write_template(tmp_path / "week.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["locations"].append(["L1", "Stichting Voorbeeld", "De Linde", "GM0344", 52.09, 5.12])
    wb["units"].append(["U1", "L1", "gesloten", "gesloten", 2, 12, 18, "gemengd", None, 650.5])
    header = [c.value for c in wb["youths"][1]]
    for youth in ({"youth_id": "Y1", "home_gemeente": "GM0344", "care_type": "gesloten", "min_setting": "gesloten",
                   "machtiging": "ja", "age": 15, "gender": "m", "urgency": 3},
                  {"youth_id": "Y2", "home_gemeente": "GM0363", "home_lat": 52.37, "home_lon": 4.89,
                   "care_type": "gesloten", "min_setting": "kleinschalig", "machtiging": "nee", "age": 14, "gender": "v"}):
        wb["youths"].append([youth.get(h) for h in header])
    wb.save(path)
    result = CliRunner().invoke(main, ["solve", str(path), "--no-map", "--quiet"], env={"MATCHER_LANG": "nl"})
    assert result.exit_code == 0, result.output
    solution = openpyxl.load_workbook(tmp_path / "week-solution" / "solution.xlsx")
    placed = [row[:2] for row in solution["Plaatsingen"].iter_rows(min_row=2, values_only=True)]
    unplaced = [row[0] for row in solution["Niet geplaatst"].iter_rows(min_row=2, values_only=True)]
    assert placed == [("Y1", "nieuwe plaatsing")] and unplaced == ["Y2"]


def test_template_refuses_another_suffix(tmp_path):
    """--out must name an .xlsx file: anything else is a usage error (exit 2) and nothing is written."""
    result = CliRunner().invoke(main, ["template", "--out", str(tmp_path / "week.csv")])
    assert result.exit_code == 2 and not (tmp_path / "week.csv").exists()

