"""The comparison's figures, recomputed independently from the solution folders it wrote
(plain csv reading of assignments.csv, youths.csv and units.csv, none of the kpis code)."""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

import pytest

from matcher.instance_writer import write_instance
from matcher.scenario.compare import COUNT, SHARE, TEXT, compare, difference, terminal_table
from matcher.scenario.run import run_scenarios
from test_scenario_ops import tiny_instance

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"

CLOSE_U2 = 'name = "zonder-u2"\ndescription = "U2 closes."\n[[step]]\nop = "close"\nwhere = { unit = "U2" }\n'
DEARER = """name = "duurder"
[[step]]
op = "set_cost"
percent = 10
where = {}
[[step]]
op = "split"
max_capacity = 3
where = { unit = "U1" }
"""


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    """The tiny instance with two scenarios, solved one after the other into a temporary folder."""
    root = tmp_path_factory.mktemp("compare")
    write_instance(tiny_instance(), root / "tiny")
    files = []
    for name, text in (("zonder-u2", CLOSE_U2), ("duurder", DEARER)):
        (root / f"{name}.toml").write_text(text, encoding="utf-8")
        files.append(root / f"{name}.toml")
    run = run_scenarios(root / "tiny", files, root / "out", time_limit=5, seed=0, jobs=1)
    return run, root / "out"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def recomputed(folder: Path) -> dict[str, float]:
    """placed / unplaced / unplaced gesloten / mean km / cost per day, straight from the written files."""
    rows = read_csv(folder / "solution" / "assignments.csv")
    care = {r["youth_id"]: r["care_type"] for r in read_csv(folder / "instance" / "youths.csv")}
    price = {r["unit_id"]: float(r["cost_per_day"] or 0) for r in read_csv(folder / "instance" / "units.csv")}
    arriving = [float(r["distance_km"]) for r in rows if r["status"] in ("placed", "moved")]
    return {
        "placed": sum(r["status"] == "placed" for r in rows),
        "unplaced": sum(r["status"] == "unplaced" for r in rows),
        "unplaced.driemilieu": sum(r["status"] == "unplaced" and care[r["youth_id"]] == "driemilieu" for r in rows),
        "mean_km": statistics.mean(arriving) if arriving else None,
        "cost_per_day": sum(price[r["unit_id"]] for r in rows if r["unit_id"]),
    }


def test_every_folder_is_written(comparison):
    """baseline and both scenarios have an instance, a solution with map, and the comparison files exist."""
    _, out = comparison
    for name in ("baseline", "zonder-u2", "duurder"):
        assert (out / name / "instance" / "units.csv").is_file()
        for f in ("assignments.csv", "summary.json", "report.md", "map.html"):
            assert (out / name / "solution" / f).is_file()
    assert (out / "zonder-u2" / "scenario.toml").read_text(encoding="utf-8") == CLOSE_U2
    assert (out / "comparison.csv").is_file() and (out / "comparison.md").is_file()


def test_figures_match_a_recount_of_the_solution_folders(comparison):
    """Each scenario's placed, unplaced, mean km and cost per day, and the differences, agree with a recount."""
    _, out = comparison
    table = {r["metric"]: r for r in read_csv(out / "comparison.csv")}
    base = recomputed(out / "baseline")
    for name in ("baseline", "zonder-u2", "duurder"):
        mine = recomputed(out / name)
        for key, value in mine.items():
            written = table[key][name]
            assert float(written) == pytest.approx(value, abs=1e-3), (name, key)
            if name != "baseline":
                assert float(table[key][f"diff {name}"]) == pytest.approx(value - base[key], abs=2e-3), (name, key)


def test_the_scenarios_have_the_effect_they_describe(comparison):
    """Closing U2 leaves its kleinschalig occupant (Y04) without a place; +10 % makes every day dearer."""
    run, out = comparison
    t = run.comparison
    assert t.names == ("baseline", "zonder-u2", "duurder")
    assert t.value("zonder-u2", "occupants") == t.value("baseline", "occupants") - 3
    assert t.diff("zonder-u2", "places.residentieel") == -7
    assert t.diff("zonder-u2", "unplaced.driemilieu") >= 1
    assert t.value("duurder", "cost_per_day") == pytest.approx(1.1 * t.value("baseline", "cost_per_day"))
    summary = json.loads((out / "duurder" / "solution" / "summary.json").read_text(encoding="utf-8"))
    assert summary["checker"]["ok"] and t.value("duurder", "status") == summary["status"]


def test_markdown_and_terminal_show_every_scenario_and_its_steps(comparison):
    """comparison.md names each scenario, its description and what each step did; the terminal table has every column."""
    run, out = comparison
    md = (out / "comparison.md").read_text(encoding="utf-8")
    assert "## zonder-u2" in md and "U2 closes." in md and "closed 1 unit with 7 places" in md
    assert "| figure | baseline | zonder-u2 | Δ | duurder | Δ |" in md
    text = terminal_table(run.comparison)
    header, rule, *body = text.splitlines()
    assert all(name in header for name in ("baseline", "zonder-u2", "duurder"))
    assert len(header) == len(rule) and len(body) == len(run.comparison.rows)
    placed = next(line for line in body if line.startswith("placed (new)"))
    assert placed.split()[-5:] == [
        str(run.comparison.value("baseline", "placed")),
        str(run.comparison.value("zonder-u2", "placed")), placed.split()[-3],
        str(run.comparison.value("duurder", "placed")), placed.split()[-1]]


def test_difference_is_empty_for_text_and_missing_figures():
    """Status has no difference; a figure missing on either side neither."""
    assert difference(TEXT, "OPTIMAL", "OPTIMAL") is None
    assert difference(SHARE, None, 0.5) is None
    assert difference(COUNT, 7, 4) == 3
    assert difference(SHARE, 0.61234567, 0.5) == 0.1123


def test_an_unsolved_column_shows_as_error():
    """A scenario whose solve failed gets status ERROR and no figures."""
    table = compare([("baseline", {"status": "OPTIMAL", "placed": 3}), ("x", None)])
    assert table.value("x", "status") == "ERROR" and table.value("x", "placed") is None
    assert table.diff("x", "placed") is None
