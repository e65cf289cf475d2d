"""``matcher solve DIR``: the weekly run writes exactly the solution folder of the instance format,
the same bytes for the same seed, and for bad input only a summary with every problem, never a
traceback."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.input.source import read_instance
from matcher.output.writing import EXTRA_ASSIGNMENT_COLUMNS

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "instances" / "voorbeeld"
TINY = Path(__file__).parent / "data" / "good" / "tiny"
MANY_ERRORS = Path(__file__).parent / "data" / "bad" / "many-errors"

#: The columns of assignments.csv, in the order the instance format lists them.
SPEC_COLUMNS = [
    "youth_id", "status", "unit_id", "location_id", "provider", "distance_km", "setting_steps",
    "home_jeugdregio", "unit_jeugdregio", "scope", "cost", "reason",
]
SPEC_SUMMARY_KEYS = {
    "status", "objective", "best_bound", "gap", "wall_seconds", "placed", "stays", "moved",
    "unplaced", "unplaced_by_care_type", "kpis",
}
SPEC_KPIS = {"mean_km", "p90_km", "share_own_jeugdregio", "mean_setting_steps", "occupancy_by_care_type",
             "cost_per_day_total"}
THREE_DECIMALS = re.compile(r"^-?\d+\.\d{3,}$")


def run(*args: str):
    """Invoke the real command group as the shell would."""
    return CliRunner().invoke(main, list(args))


def rows(folder: Path) -> list[dict[str, str]]:
    with open(folder / "assignments.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def voorbeeld_solution(tmp_path_factory) -> Path:
    """The example week solved once through the command line, without a map."""
    out = tmp_path_factory.mktemp("voorbeeld") / "solution"
    result = run("solve", str(VOORBEELD), "--out", str(out), "--no-map", "--quiet")
    assert result.exit_code == 0, result.output
    return out


def test_solve_writes_exactly_the_spec_files(voorbeeld_solution):
    """Without a map: assignments.csv, summary.json, report.md and solution.xlsx, nothing else."""
    assert sorted(p.name for p in voorbeeld_solution.iterdir()) == [
        "assignments.csv", "report.md", "solution.xlsx", "summary.json"]


def test_assignments_have_the_spec_columns_in_youths_order(voorbeeld_solution):
    """One row per youth in youths.csv order, with the instance format's columns first (in the
    format's order) and then only the documented optional ones."""
    with open(voorbeeld_solution / "assignments.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[: len(SPEC_COLUMNS)] == SPEC_COLUMNS
    assert tuple(header[len(SPEC_COLUMNS):]) == EXTRA_ASSIGNMENT_COLUMNS
    with open(VOORBEELD / "youths.csv", encoding="utf-8", newline="") as f:
        order = [r["youth_id"] for r in csv.DictReader(f)]
    assert [r["youth_id"] for r in rows(voorbeeld_solution)] == order


def test_assignment_cells_follow_the_format(voorbeeld_solution):
    """Distance and cost with at least 3 decimals; unplaced rows have no unit, distance or scope
    but a reason; placed rows have no reason; status and scope use the format's words."""
    for r in rows(voorbeeld_solution):
        assert r["status"] in ("placed", "stays", "moved", "unplaced")
        assert THREE_DECIMALS.match(r["cost"]), r
        if r["status"] == "unplaced":
            assert r["unit_id"] == r["location_id"] == r["provider"] == r["distance_km"] == ""
            assert r["setting_steps"] == r["unit_jeugdregio"] == r["scope"] == ""
            assert r["reason"].strip()
        else:
            assert THREE_DECIMALS.match(r["distance_km"]), r
            assert r["scope"] in ("jeugdregio", "bovenregio", "landelijk")
            assert r["unit_id"] and r["location_id"] and r["provider"] and r["unit_jeugdregio"]
            assert int(r["setting_steps"]) >= 0
            assert r["reason"] == ""
        if r["status"] == "stays":
            assert float(r["cost"]) == 0.0


def test_summary_has_the_spec_keys(voorbeeld_solution):
    """summary.json holds status, objective, bound, gap, time, the counts and the KPIs."""
    s = summary(voorbeeld_solution)
    assert SPEC_SUMMARY_KEYS <= set(s)
    assert SPEC_KPIS <= set(s["kpis"])
    assert s["status"] == "OPTIMAL"
    assert s["best_bound"] <= s["objective"]
    assert (s["placed"], s["stays"], s["moved"], s["unplaced"]) == (9, 1, 0, 1)
    assert s["unplaced_by_care_type"] == {"gesloten": 1, "driemilieu": 0, "intensieve_ggz": 0, "eetstoornis": 0}


def test_summary_objective_is_the_sum_of_the_cost_column(voorbeeld_solution):
    """The objective in summary.json is the sum of the youths' costs in assignments.csv."""
    total = sum(float(r["cost"]) for r in rows(voorbeeld_solution))
    assert summary(voorbeeld_solution)["objective"] == pytest.approx(total, rel=1e-6)


def test_voorbeeld_reaches_the_readme_optimum(voorbeeld_solution):
    """The command line reaches the example's documented optimum, 4470.130437."""
    assert summary(voorbeeld_solution)["objective"] == pytest.approx(4470.130437, abs=1e-6)


def test_default_out_is_the_solution_folder_inside_the_instance(tmp_path):
    """Without --out, the solution goes to DIR/solution."""
    folder = tmp_path / "week"
    shutil.copytree(TINY, folder)
    result = run("solve", str(folder), "--no-map")
    assert result.exit_code == 0, result.output
    assert (folder / "solution" / "assignments.csv").is_file()
    assert (folder / "solution" / "summary.json").is_file()


def test_map_is_written_by_default(tmp_path):
    """Without --no-map the solution folder also holds map.html."""
    out = tmp_path / "solution"
    result = run("solve", str(TINY), "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["assignments.csv", "map.html", "report.md", "solution.xlsx", "summary.json"]
    assert "<html" in (out / "map.html").read_text(encoding="utf-8").lower()


def test_quiet_prints_only_the_result_line(tmp_path):
    """--quiet: one line, the status and objective, nothing else."""
    result = run("solve", str(TINY), "--out", str(tmp_path / "s"), "--no-map", "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert re.match(r"^(OPTIMAL|FEASIBLE): objective [\d,]+\.\d{3} \(bound", lines[0])


def test_invalid_input_writes_only_a_summary_with_every_problem(tmp_path):
    """Bad input: exit 2, no traceback, and the solution folder holds only summary.json with
    status INVALID_INPUT and each problem with file, line and column."""
    out = tmp_path / "solution"
    result = run("solve", str(MANY_ERRORS), "--out", str(out), "--no-map")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    s = summary(out)
    assert s["status"] == "INVALID_INPUT"
    assert len(s["errors"]) == 9
    assert all({"file", "line", "column", "message"} <= set(e) for e in s["errors"])
    assert any(e["file"] == "youths.csv" and e["column"] == "age" for e in s["errors"])
    for e in s["errors"]:
        assert e["text"] in result.output


def test_invalid_input_replaces_an_earlier_solution(tmp_path):
    """A bad run into a folder that held a solution leaves only its summary.json there, so no
    stale assignments are mistaken for this week's."""
    out = tmp_path / "solution"
    assert run("solve", str(TINY), "--out", str(out), "--no-map").exit_code == 0
    assert run("solve", str(MANY_ERRORS), "--out", str(out), "--no-map").exit_code == 2
    assert [p.name for p in out.iterdir()] == ["summary.json"]


def test_nonexistent_folder_exits_2_cleanly(tmp_path):
    """A folder that does not exist: exit 2 with a message naming it, no traceback."""
    missing = tmp_path / "no-such-week"
    result = run("solve", str(missing), "--no-map")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "does not exist" in result.output


def test_nonexistent_folder_is_not_created(tmp_path):
    """A typo in the folder name must not leave a new folder (with a solution/summary.json) behind."""
    missing = tmp_path / "no-such-week"
    run("solve", str(missing), "--no-map")
    assert not missing.exists()


def test_nonexistent_folder_leaves_out_untouched(tmp_path):
    """``solve MISSING --out X``: X is not created, and an existing X keeps exactly what it held."""
    missing, fresh, kept = tmp_path / "no-such-week", tmp_path / "fresh", tmp_path / "kept"
    assert run("solve", str(missing), "--out", str(fresh), "--no-map").exit_code == 2
    assert not fresh.exists()
    assert run("solve", str(TINY), "--out", str(kept), "--no-map").exit_code == 0
    before = {p.name: p.read_bytes() for p in kept.iterdir()}
    assert run("solve", str(missing), "--out", str(kept), "--no-map").exit_code == 2
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before


def test_map_command_works_from_another_working_folder(tmp_path, monkeypatch):
    """A solution solved with a relative instance path still draws its map from any other folder."""
    work = tmp_path / "work"
    shutil.copytree(TINY, work / "week")
    monkeypatch.chdir(work)
    assert run("solve", "week", "--out", "solution", "--no-map").exit_code == 0
    summary = json.loads((work / "solution" / "summary.json").read_text(encoding="utf-8"))
    assert Path(summary["instance_path"]).is_absolute()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("map", str(work / "solution"))
    assert result.exit_code == 0, result.output
    assert (work / "solution" / "map.html").is_file()


def test_same_seed_same_bytes(tmp_path):
    """Two runs with the same seed write the same assignments.csv, byte for byte, and the same report.md
    but for the seconds the solves took."""
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run("solve", str(VOORBEELD), "--out", str(out), "--seed", "3", "--no-map", "--quiet").exit_code == 0
    assert (first / "assignments.csv").read_bytes() == (second / "assignments.csv").read_bytes()
    reports = [re.sub(r"\d+\.\d s\b", "_ s", (out / "report.md").read_text(encoding="utf-8")) for out in (first, second)]
    assert reports[0] == reports[1] and reports[0].count("_ s") == 3  # the same but for the seconds the solves took


def test_every_youth_of_the_instance_has_one_row(voorbeeld_solution):
    """No youth is missing or doubled in assignments.csv."""
    ids = [r["youth_id"] for r in rows(voorbeeld_solution)]
    assert sorted(ids) == sorted(y.youth_id for y in read_instance(VOORBEELD).youths)
    assert len(ids) == len(set(ids))
