"""solution.xlsx: placements, unplaced youths, occupancy and key figures, ready to filter and print."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from matcher.i18n import use_language
from matcher.input.source import read_instance
from matcher.geography.regions import gemeente_names
from matcher.pipeline import RunOptions, run

INSTANCES = Path(__file__).resolve().parents[1] / "instances"


@pytest.fixture(scope="module")
def nl_week_solution(tmp_path_factory) -> Path:
    """nl-week solved once (Dutch, the default language), without a map."""
    out = tmp_path_factory.mktemp("nl-week") / "solution"
    with use_language("nl"):
        assert run(INSTANCES / "nl-week", out, RunOptions(time_limit=30, with_map=False)).code == 0
    return out


def assignments(out: Path) -> list[dict]:
    with open(out / "assignments.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fit_to_width(ws) -> int:
    """How many pages wide the sheet prints when fit to the page: XlsxWriter leaves the attribute
    out where it is the format's default, 1 (ECMA-376 18.3.1.64)."""
    return 1 if ws.page_setup.fitToWidth is None else ws.page_setup.fitToWidth


def sheet_rows(ws) -> list[dict]:
    """The sheet's rows as dicts keyed by its header."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_solution_workbook_has_the_four_sheets_in_dutch(nl_week_solution):
    """Plaatsingen, Niet geplaatst, Bezetting and Kerncijfers, with Dutch headers."""
    wb = openpyxl.load_workbook(nl_week_solution / "solution.xlsx")
    assert wb.sheetnames == ["Plaatsingen", "Niet geplaatst", "Bezetting", "Kerncijfers"]
    assert [c.value for c in wb["Plaatsingen"][1]][:3] == ["Jongere", "Wat er gebeurt", "Benodigde zorg"]


def test_placements_match_assignments_csv(nl_week_solution):
    """Every new placement and move of assignments.csv is a row, with the same unit, provider and distance."""
    expected = [r for r in assignments(nl_week_solution) if r["status"] in ("placed", "moved")]
    rows = sheet_rows(openpyxl.load_workbook(nl_week_solution / "solution.xlsx")["Plaatsingen"])
    assert [(r["Jongere"], r["Unit"], r["Aanbieder"]) for r in rows] == [
        (e["youth_id"], e["unit_id"], e["provider"]) for e in expected]
    assert [r["Afstand (km)"] for r in rows] == pytest.approx([float(e["distance_km"]) for e in expected], abs=1e-6)
    assert {r["Wat er gebeurt"] for r in rows} <= {"nieuwe plaatsing", "verhuist naar een andere unit"}


def test_placements_carry_names(nl_week_solution):
    """Location, gemeente and jeugdregio appear by name, not only by code."""
    instance = read_instance(INSTANCES / "nl-week")
    rows = sheet_rows(openpyxl.load_workbook(nl_week_solution / "solution.xlsx")["Plaatsingen"])
    first = rows[0]
    youth = instance.youth_by_id[first["Jongere"]]
    location = instance.location_by_id[instance.unit_by_id[first["Unit"]].location_id]
    assert first["Woongemeente"] == gemeente_names()[youth.home_gemeente]
    assert first["Locatie"] == location.name
    assert first["Jeugdregio van herkomst"] == instance.regions.jeugdregio_name[
        instance.regions.jeugdregio_of[youth.home_gemeente]]


def test_unplaced_sheet_lists_every_unplaced_youth_with_its_reason(nl_week_solution):
    """The unplaced youths of assignments.csv, each with the reason written there."""
    expected = [(r["youth_id"], r["reason"]) for r in assignments(nl_week_solution) if r["status"] == "unplaced"]
    rows = sheet_rows(openpyxl.load_workbook(nl_week_solution / "solution.xlsx")["Niet geplaatst"])
    assert [(r["Jongere"], r["Waarom niet geplaatst"]) for r in rows] == expected
    assert expected and all(reason for _id, reason in expected)


def test_occupancy_counts_every_resident(nl_week_solution):
    """One row per unit; residents afterwards add up to everyone placed, staying or moved."""
    instance = read_instance(INSTANCES / "nl-week")
    rows = sheet_rows(openpyxl.load_workbook(nl_week_solution / "solution.xlsx")["Bezetting"])
    assert [r["Unit"] for r in rows] == [u.unit_id for u in instance.units]
    placed = [r for r in assignments(nl_week_solution) if r["unit_id"]]
    assert sum(r["Bewoners daarna"] for r in rows) == len(placed)
    assert sum(r["Bewoners vooraf"] for r in rows) == sum(1 for y in instance.youths if y.is_occupant)
    assert all(r["Vrije plaatsen daarna"] >= 0 for r in rows)


def test_key_figures_come_from_summary_json(nl_week_solution):
    """Status, objective and counts on the key figures sheet are those of summary.json."""
    summary = json.loads((nl_week_solution / "summary.json").read_text(encoding="utf-8"))
    rows = {r["Kengetal"]: r["Waarde"] for r in sheet_rows(
        openpyxl.load_workbook(nl_week_solution / "solution.xlsx")["Kerncijfers"])}
    assert rows["Status van de berekening"] == summary["status"]
    assert rows["Doelfunctie (punten)"] == summary["objective"]
    assert rows["Nieuwe plaatsingen"] == summary["placed"]
    assert rows["Niet geplaatst"] == summary["unplaced"]


def test_every_sheet_is_ready_to_filter_and_print(nl_week_solution):
    """Frozen header row, a filter over the whole table, landscape, fit to width, header on every page."""
    wb = openpyxl.load_workbook(nl_week_solution / "solution.xlsx")
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == ws.dimensions, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
        assert fit_to_width(ws) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws[1][0].font.b


def test_english_run_gives_english_headers(tmp_path):
    """With the run in English, sheet names and headers are English."""
    with use_language("en"):
        assert run(INSTANCES / "voorbeeld", tmp_path / "out", RunOptions(time_limit=10, with_map=False)).code == 0
    wb = openpyxl.load_workbook(tmp_path / "out" / "solution.xlsx")
    assert wb.sheetnames == ["Placements", "Not placed", "Occupancy", "Key figures"]
    assert [c.value for c in wb["Not placed"][1]][-2:] == ["Why not placed", "Cost (points)"]


def test_bad_input_removes_an_old_solution_workbook(tmp_path):
    """After a solve, bad input into the same folder leaves only summary.json: no stale solution.xlsx."""
    out = tmp_path / "out"
    assert run(INSTANCES / "voorbeeld", out, RunOptions(time_limit=10, with_map=False)).code == 0
    assert (out / "solution.xlsx").is_file()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert run(broken, out, RunOptions(time_limit=10, with_map=False)).code == 2
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]


def test_a_control_character_built_in_python_does_not_break_the_workbook(tmp_path):
    """The readers refuse control characters, but an instance built in Python reaches the writer
    unread: a NUL in a location's name is written as U+FFFD, and the workbook opens."""
    from matcher.analysis.analysis import analyse
    from matcher.analysis.check import check
    from matcher.output.writing import write_solution
    from matcher.solver.solve import solve
    from strategies import make_instance, make_location, make_unit, make_youth

    location = make_location("L1", "GM0363").model_copy(update={"name": "Huis\x00de Brug"})
    instance = make_instance([location], [make_unit("U1", "L1")], [make_youth("Y1", "GM0363")])
    result = solve(instance, time_limit=5)
    write_solution(analyse(instance, result, check(instance, result.unit_of)), tmp_path / "sol", with_map=False)
    book = openpyxl.load_workbook(tmp_path / "sol" / "solution.xlsx", read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Huis\ufffdde Brug" in c for c in cells)


def test_the_workbook_writer_gives_the_look_of_finish_sheet(tmp_path):
    """matcher.output.xlsx (XlsxWriter) writes what openpyxl with finish_sheet (the template's look)
    writes: the same values, number formats, bold filled header, widths, frozen header, filter and
    printing. Numbers keep 16 significant digits, as openpyxl and Excel itself keep them."""
    from matcher.input.workbook import finish_sheet
    from matcher.output.xlsx import Table, write_tables

    title = "Blad 'één' & <co>"
    header = ["Naam", "Afstand (km)", "Aandeel", "Aantal", "Leeg", "Ja"]
    rows = [["Huis 'de Brug' & <co>", 12.345678901234567, 0.5, 3, None, True],
            ["  spaties  ", 1e-7, 1.0, 12345678, "", False], ["ë" * 70, 0.0, None, -2, None, None],
            ["=1+1", -0.1, 2.5, 0, "https://example.org", None]]
    formats = [None, "0.0", "0.0%", "0", None, None]
    write_tables([Table(title, header, rows, [formats] * len(rows))], tmp_path / "ours.xlsx")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    for (cells, number_format) in zip(ws.iter_cols(min_row=2), formats):
        for cell in cells:
            cell.number_format = number_format or "General"
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type  # text, not a formula
    finish_sheet(ws)
    book.save(tmp_path / "openpyxl.xlsx")
    ours = openpyxl.load_workbook(tmp_path / "ours.xlsx")[title]
    theirs = openpyxl.load_workbook(tmp_path / "openpyxl.xlsx")[title]
    for ws in (ours, theirs):
        assert (ws.freeze_panes, ws.auto_filter.ref, ws.dimensions, ws.print_title_rows) == ("A2", "A1:F5", "A1:F5", "$1:$1")
        assert ws.page_setup.orientation == "landscape" and fit_to_width(ws) == 1
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    cells = list(zip(ours.iter_rows(), theirs.iter_rows()))
    assert [[a.value for a in row] for row, _ in cells] == [
        [None if b.value == "" else pytest.approx(b.value, rel=1e-15) if isinstance(b.value, float) else b.value
         for b in row] for _, row in cells]
    assert ours["A5"].value == "=1+1" and ours["A5"].data_type == "s" and not ours["E5"].hyperlink
    for row, other in cells:
        for a, b in zip(row, other):
            # Excel ignores a fill colour's alpha byte: XlsxWriter writes FF, openpyxl 00
            assert (a.number_format, a.font.b, a.fill.fill_type, a.fill.fgColor.rgb[2:]) == (
                b.number_format, b.font.b, b.fill.fill_type, b.fill.fgColor.rgb[2:]), a.coordinate
    assert {k: d.width for k, d in ours.column_dimensions.items()} == {k: d.width for k, d in theirs.column_dimensions.items()}


def test_the_same_tables_give_the_same_workbook_bytes(tmp_path):
    """No clock in the workbook: writing the same content twice, a second apart, gives the same file."""
    import time

    from matcher.output.xlsx import Table, write_tables

    tables = [Table("A", ["x", "y"], [[1, "a"], [2.5, "b"]], [["0", None]] * 2)]
    write_tables(tables, tmp_path / "one.xlsx")
    time.sleep(1.1)
    write_tables(tables, tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
