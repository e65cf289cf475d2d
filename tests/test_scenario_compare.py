"""The comparison's figures, recomputed independently from the solution folders it wrote
(plain csv reading of assignments.csv, youths.csv and units.csv, none of the kpis code)."""

from __future__ import annotations

import csv
import dataclasses
import json
import statistics
from pathlib import Path

import pytest

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from matcher.i18n import use_language
from matcher.input.instance_writer import write_instance
from matcher.scenario.compare import (
    COST_PARTS, COUNT, SHARE, TEXT, compare, comparison_md, cost_change, difference, figures, rounded_parts,
    terminal_table,
)
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
    with use_language("en"):
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
    assert (out / "zonder-u2" / "compare.html").is_file() and (out / "duurder" / "compare.html").is_file()
    assert not (out / "baseline" / "compare.html").exists()
    html = (out / "zonder-u2" / "compare.html").read_text(encoding="utf-8")
    assert "unit closed" in html and "U2 (7)" in html  # the closed unit is marked (the fixture runs in English)


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
    with use_language("en"):
        text = terminal_table(run.comparison)
    table_text, notes = text.split("\n\n")
    header, rule, *body = table_text.splitlines()
    assert notes.startswith("zonder-u2: cost per year")
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


def test_the_cost_parts_add_up_to_the_change_in_cost_per_year(comparison):
    """Per scenario, price + volume + not placed is exactly the Δ of the cost per year, to the euro."""
    run, out = comparison
    t = run.comparison
    for name in ("zonder-u2", "duurder"):
        assert sum(t.diff(name, k) for k in COST_PARTS) == t.diff(name, "cost_per_year")
    table = {r["metric"]: r for r in read_csv(out / "comparison.csv")}
    assert sum(int(table[k]["diff zonder-u2"]) for k in COST_PARTS) == float(table["cost_per_year"]["diff zonder-u2"])
    assert table["cost_change.price"]["zonder-u2"] == ""  # a part has no value of its own, only its share of Δ


def test_closing_a_unit_shows_the_youths_without_care_not_a_saving(comparison):
    """zonder-u2 leaves more youths without a place; that part of the cost change is negative and named."""
    run, out = comparison
    t = run.comparison
    more = t.diff("zonder-u2", "unplaced")
    assert more >= 1
    base_price = Fraction(t.value("baseline", "cost_per_year")) / t.value("baseline", "residents")
    assert t.diff("zonder-u2", "cost_change.not_placed") == round(-base_price * more)
    assert t.diff("zonder-u2", "youth_days_without_care") == 365 * more
    md = (out / "comparison.md").read_text(encoding="utf-8")
    assert f"{more} more youth" in md and "care not given, not a saving" in md
    assert "youths not placed (care not given, not a saving)" in md


def test_a_dearer_scenario_is_a_price_effect(comparison):
    """+10 % on every price with the same youths in care is all price effect, no volume, nothing unplaced."""
    run, _ = comparison
    t = run.comparison
    if t.diff("duurder", "unplaced") == 0 and t.diff("duurder", "residents") == 0:
        assert t.diff("duurder", "cost_change.price") == t.diff("duurder", "cost_per_year")
        assert t.diff("duurder", "cost_change.not_placed") == 0
    assert t.diff("duurder", "cost_change.volume") == 0
    assert t.value("duurder", "mean_price_per_day") > t.value("baseline", "mean_price_per_day")


@given(
    st.integers(0, 10**8), st.integers(0, 500), st.integers(0, 500),
    st.integers(0, 10**8), st.integers(0, 500), st.integers(0, 500),
)
def test_decomposition_is_exact_for_any_figures(c0, n0, u0, c1, n1, u1):
    """For any costs and counts the exact parts sum to C1 - C0, and the rounded parts to the rounded total."""
    base = {"cost_per_year": float(c0) if n0 else 0.0, "residents": n0, "unplaced": u0}
    scen = {"cost_per_year": float(c1) if n1 else 0.0, "residents": n1, "unplaced": u1}
    parts = cost_change(base, scen)
    total = Fraction(scen["cost_per_year"]) - Fraction(base["cost_per_year"])
    assert sum(parts.values()) == total
    assert sum(rounded_parts(parts).values()) == total
    if u1 > u0 and c0 > 0 and n0:
        assert parts["cost_change.not_placed"] < 0


def test_the_comparison_speaks_dutch_by_default(comparison):
    """Without a language set, labels and the explanation are Dutch and money is written the Dutch way."""
    run, _ = comparison
    with use_language("nl"):
        table = compare([("baseline", {"status": "OPTIMAL", "cost_per_year": 1200000.0, "residents": 4, "unplaced": 0}),
                         ("x", {"status": "OPTIMAL", "cost_per_year": 900000.0, "residents": 3, "unplaced": 1})])
        md = comparison_md(table).replace("\xa0", " ")
    assert "jongeren niet geplaatst" in md and "geen besparing" in md
    assert "€ 1.200.000" in md and "−€ 300.000" in md


def test_each_scenario_names_where_one_more_place_helps_most(comparison):
    """The comparison's line per scenario names the first unit of that solve's marginal-capacity list."""
    run, out = comparison
    t = run.comparison
    for name in t.names:
        summary = json.loads((out / name / "solution" / "summary.json").read_text(encoding="utf-8"))
        units = summary["marginal_capacity"]["units"]
        value = t.value(name, "marginal.best")
        if units:
            assert value.startswith(units[0]["unit_id"] + " (")
            saving = units[0]["exact_saving"] if units[0]["exact_saving"] is not None else units[0]["estimated_saving"]
            assert t.value(name, "marginal.best_value") == saving
        else:
            assert value is None
    row = {"unit_id": "U1", "estimated_saving": 900.0, "exact_saving": 880.5, "proof": "at_least"}
    analysis = dataclasses.replace(run.solved[0].analysis, marginal_capacity={"units": [row]})
    with use_language("en"):
        f = figures(analysis)
    assert f["marginal.best"] == "U1 (at least, solved again)"
    assert f["marginal.best_value"] == 880.5


def test_displaced_residents_have_their_own_reason_and_count(comparison):
    """Closing U2 displaces its 3 occupants; those without a place say why first, and are counted apart."""
    run, out = comparison
    t = run.comparison
    rows = read_csv(out / "zonder-u2" / "solution" / "assignments.csv")
    displaced = {"Y03", "Y04", "Y05"}
    unplaced_displaced = [r for r in rows if r["youth_id"] in displaced and r["status"] == "unplaced"]
    assert unplaced_displaced and all(r["reason"].startswith("unit closed / changed in the scenario; ")
                                      for r in unplaced_displaced)
    assert not any(r["reason"].startswith("unit closed") for r in rows if r["youth_id"] not in displaced)
    assert t.value("zonder-u2", "displaced") == 3 and t.value("baseline", "displaced") == 0
    assert t.value("zonder-u2", "unplaced_displaced") == len(unplaced_displaced)
    report = (out / "zonder-u2" / "solution" / "report.md").read_text(encoding="utf-8")
    assert f"Of them {len(unplaced_displaced)} lived in a unit that the scenario closed or changed" in report


def test_every_mistake_of_every_file_comes_in_one_run(tmp_path):
    """A file with a wrong setting also has its unknown provider and unit reported, in file order, beside
    the problems of a second file: nothing waits for the next run."""
    from matcher.errors import ScenarioError
    from matcher.scenario.run import prepare

    broken = tmp_path / "a.toml"
    broken.write_text('[[step]]\nop = "close"\nwhere = { provider = "Alfa", setting = "kleinschalg" }\n'
                      '[[step]]\nop = "split"\nmax_capacity = 0\nwhere = { unit = "U9" }\n'
                      '[[step]]\nop = "add"\n[[step.units]]\nunit_id = "U8"\nlocation_id = "L1"\ncare_type = "driemilieu"\n'
                      'setting = "thuis"\ncapacity = 2\n'
                      '[[step]]\nop = "close"\nwhere = { units = ["U8", "U1-a"] }\n', encoding="utf-8")
    other = tmp_path / "b.toml"
    other.write_text('[[step]]\nop = "close"\nwhere = { unit = "NOPE" }\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        prepare(tiny_instance(), [broken, other])
    found = [(Path(p.file).name, p.line, p.column) for p in err.value.problems]
    assert found == [
        ("a.toml", 3, "step[1].where.setting"), ("a.toml", 3, "step[1].where.provider"),
        ("a.toml", 6, "step[2].max_capacity"), ("a.toml", 7, "step[2].where.unit"),
        ("b.toml", 3, "step[1].where.unit"),
    ]
    assert "provider 'Alfa' does not exist in this instance (did you mean 'Alpha'?)" in err.value.problems[1].message
