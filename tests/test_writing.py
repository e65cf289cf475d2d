"""Writing the solution folder: the report explains every unplaced youth, no home point leaks
into the report or the summary, and a failure halfway never leaves a half-written folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import matcher.maps
from matcher.analysis.check import check
from matcher.errors import Problem
from matcher.solver.solve import solve
from matcher.input.solution import read_assignments
from matcher.analysis.analysis import analyse, with_reasons
from matcher.output.writing import write_invalid_input, write_solution
from strategies import make_instance, make_location, make_unit, make_youth

#: The report texts asserted here are English (Dutch is the default; tests/test_report.py checks it).
MATCHER_LANG = "en"

SOLUTION_FILES = ("assignments.csv", "summary.json", "report.md", "solution.xlsx")


def week_with_unplaced():
    """Four kinds of unplaced youths next to two placed ones (homes at uncommon points)."""
    return make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0344")],
        [make_unit("U1", "L1"), make_unit("U2", "L2", "gesloten", "gesloten")],
        [
            make_youth("Y1", home_lat=52.3812, home_lon=4.8977, urgency=2),
            make_youth("Y2", home_lat=52.3655, home_lon=4.9121),  # U1 taken by Y1: full
            make_youth("Y3", care_type="eetstoornis", home_lat=52.3531, home_lon=4.8419),
            make_youth("Y4", care_type="gesloten", min_setting="gesloten", home_lat=52.3917, home_lon=4.8733),
            make_youth("Y5", "GM0344", care_type="gesloten", min_setting="gesloten", machtiging=True,
                       home_lat=52.0911, home_lon=5.1203),
            make_youth("Y6", age=9, home_lat=52.3702, home_lon=4.8804),
        ],
    )


def written(instance, out: Path, with_map: bool = False) -> dict:
    result = solve(instance, time_limit=20.0)
    return write_solution(analyse(instance, result, check(instance, result.unit_of)), out, with_map=with_map)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_report_names_every_unplaced_youth_with_its_reason(tmp_path):
    """Each unplaced youth has a row in report.md with the same reason as in assignments.csv."""
    inst = week_with_unplaced()
    result = solve(inst, time_limit=20.0)
    write_solution(analyse(inst, result, check(inst, result.unit_of)), tmp_path, with_map=False)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    unplaced = [y for y, u in result.unit_of.items() if u is None]
    assert sorted(unplaced) == ["Y2", "Y3", "Y4", "Y6"]
    for youth_id in unplaced:
        line = next(l for l in report.splitlines() if l.startswith(f"| {youth_id} |"))
        assert result.reasons[youth_id] in line
    assert f"## Unplaced youths ({len(unplaced)})" in report


def test_report_says_so_when_everybody_is_placed(tmp_path):
    """No unplaced youths: the report says everybody has a place instead of an empty table."""
    inst = make_instance([make_location()], [make_unit(capacity=2)], [make_youth("Y1"), make_youth("Y2")])
    written(inst, tmp_path)
    assert "Everybody who asked for a place has one." in (tmp_path / "report.md").read_text(encoding="utf-8")


def coordinate_spellings(value: float) -> set[str]:
    """The ways a home coordinate could show up in text."""
    return {repr(value), str(value), f"{value:.4f}", f"{value:.3f}"}


def test_no_home_point_in_report_or_summary(tmp_path):
    """Home points are private: neither report.md nor summary.json contains a home coordinate."""
    inst = week_with_unplaced()
    written(inst, tmp_path)
    texts = {name: (tmp_path / name).read_text(encoding="utf-8") for name in ("report.md", "summary.json")}
    for y in inst.youths:
        for value in (y.home_lat, y.home_lon):
            for spelled in coordinate_spellings(value):
                for name, text in texts.items():
                    assert spelled not in text, (name, y.youth_id, spelled)


def test_summary_objective_is_the_checkers(tmp_path):
    """summary.json reports the objective as the independent checker recomputes it."""
    inst = week_with_unplaced()
    result = solve(inst, time_limit=20.0)
    report = check(inst, result.unit_of)
    s = write_solution(analyse(inst, result, report), tmp_path, with_map=False)
    assert s["objective"] == pytest.approx(report.objective, abs=1e-6)
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == s


def broken_map(instance, outcomes, summary, path):
    """A map writer that fails after the other files are written (disk full, a bug, ...)."""
    raise RuntimeError("map writer broke")


def test_a_failing_map_leaves_the_previous_solution_untouched(tmp_path, monkeypatch):
    """Writing is all or nothing: when the map fails halfway, last week's files stay exactly as
    they were and no half-written folder is left beside them."""
    out = tmp_path / "solution"
    written(make_instance([make_location()], [make_unit()], [make_youth("Y1")]), out)
    before = snapshot(out)
    monkeypatch.setattr(matcher.maps, "write_map", broken_map)
    with pytest.raises(RuntimeError, match="map writer broke"):
        written(week_with_unplaced(), out, with_map=True)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solution"]


def test_a_failure_before_any_solution_leaves_nothing(tmp_path, monkeypatch):
    """When the very first write fails, no solution folder appears at all."""
    monkeypatch.setattr(matcher.maps, "write_map", broken_map)
    with pytest.raises(RuntimeError):
        written(week_with_unplaced(), tmp_path / "solution", with_map=True)
    assert list(tmp_path.iterdir()) == []


def test_rewriting_replaces_every_file(tmp_path):
    """A new solution into the same folder replaces all its files (none is left from before)."""
    written(make_instance([make_location()], [make_unit()], [make_youth("Y1")]), tmp_path, with_map=False)
    written(week_with_unplaced(), tmp_path, with_map=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SOLUTION_FILES)
    assert "Y6" in (tmp_path / "assignments.csv").read_text(encoding="utf-8")


def test_invalid_input_summary_removes_an_old_map(tmp_path):
    """Bad input writes only summary.json: an old solution's files, map included, are removed."""
    written(make_instance([make_location()], [make_unit()], [make_youth("Y1")]), tmp_path, with_map=True)
    assert (tmp_path / "map.html").exists()
    problem = Problem("youths.csv", 2, "age", "'3.5' is not a whole number")
    s = write_invalid_input(tmp_path, [problem])
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]
    assert s["status"] == "INVALID_INPUT"
    assert s["errors"] == [{"file": "youths.csv", "line": 2, "column": "age",
                            "message": "'3.5' is not a whole number", "text": str(problem)}]


def test_read_assignments_gives_back_what_was_written(tmp_path):
    """assignments.csv read back gives the written rows: statuses, units, distances, costs, reasons."""
    instance = week_with_unplaced()
    result = solve(instance, time_limit=20.0)
    report = check(instance, result.unit_of)
    write_solution(analyse(instance, result, report), tmp_path, with_map=False)
    back = read_assignments(tmp_path / "assignments.csv")
    expected = with_reasons(report, result)
    assert [(o.youth_id, o.status, o.unit_id, o.scope, o.setting_steps, o.reason) for o in back] == [
        (o.youth_id, o.status, o.unit_id, o.scope, o.setting_steps, o.reason) for o in expected]
    assert [o.cost for o in back] == pytest.approx([o.cost for o in expected], abs=1e-6)
    assert [o.distance_km is None for o in back] == [o.distance_km is None for o in expected]


def test_assignments_say_who_goes_where(tmp_path):
    """The optional columns name the care type asked and given, the unit a moved occupant left,
    the location and both jeugdregio's by name."""
    import csv

    far = make_location("L1", gemeente="GM0014", provider="Aanbieder Noord")  # Groningen
    near = make_location("L2", gemeente="GM0363", provider="Aanbieder West")  # Amsterdam
    instance = make_instance(
        locations=[far, near],
        units=[make_unit("U1", "L1", capacity=1), make_unit("U2", "L2", care_type="intensieve_ggz", capacity=1)],
        # Y2 fits only U1, where Y1 sits; Y1 may also have intensieve_ggz: moving it (540 points)
        # is cheaper than leaving Y2 without a place (1000).
        youths=[make_youth("Y1", current_unit_id="U1", alt_care_types=("intensieve_ggz",)),
                make_youth("Y2", home_gemeente="GM0014")],
        allow_moves=True,
    )
    result = solve(instance, time_limit=10)
    report = check(instance, result.unit_of)
    write_solution(analyse(instance, result, report), tmp_path / "sol", with_map=False)
    with open(tmp_path / "sol" / "assignments.csv", encoding="utf-8", newline="") as f:
        rows = {r["youth_id"]: r for r in csv.DictReader(f)}
    moved, placed = rows["Y1"], rows["Y2"]
    assert (moved["status"], moved["from_unit_id"], moved["unit_id"]) == ("moved", "U1", "U2")
    assert (moved["care_type"], moved["unit_care_type"]) == ("driemilieu", "intensieve_ggz")
    assert (placed["status"], placed["from_unit_id"], placed["setting"]) == ("placed", "", "residentieel")
    names = instance.regions.jeugdregio_name
    assert moved["home_jeugdregio_name"] == names[moved["home_jeugdregio"]] == "Amsterdam-Amstelland"
    assert moved["unit_jeugdregio_name"] == names[moved["unit_jeugdregio"]]
