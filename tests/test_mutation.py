"""Random mutations of valid instances never break matcher: a changed cell (text, number, huge,
negative, empty, scientific), a dropped column, a doubled id or a broken instance.toml gives
exit code 0 or 2 with a message, never a traceback, from ``matcher validate`` and ``matcher solve``.

Seeded: mutation k of a run is always the same. How many: ``MATCHER_MUTATIONS`` validations
(default 200) and ``MATCHER_MUTATION_SOLVES`` solves (default 30) — the suite keeps to well under
a minute; set e.g. ``MATCHER_MUTATIONS=1000`` for the full search the issue asks for.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.generator import generate_folder

VOORBEELD = Path(__file__).resolve().parents[1] / "instances" / "voorbeeld"
VALIDATIONS = int(os.environ.get("MATCHER_MUTATIONS", "200"))
SOLVES = int(os.environ.get("MATCHER_MUTATION_SOLVES", "30"))
CSV_FILES = ("locations.csv", "units.csv", "youths.csv", "conflicts.csv")
#: Values a planner's file (or a broken export) can hold.
ODD_VALUES = ("", " ", "abc", "ja", "nee", "-1", "0", "-0.5", "3.5", "1e3", "2.5e-3", "1E30", "1e308", "inf",
              "nan", "1,5", "12,000", "99999999999999999999", "1e18", "1000001", "GM0000", "gm0344", "Utrecht",
              "thuis", "gesloten", "m", "x", "U1", "L1", "Y1", "'; DROP TABLE", "\u00e9\u00e8", "5;6", "\t")
TOML_VALUES = ("1e30", "-1", "0", "1e-300", "\"veel\"", "true", "[1, 2]", "[1e30, 1, 1]", "{ a = 1 }", "nan", "inf",
               "999999999999", "3", "0.5")
TOML_KEYS = ("road_factor", "allow_moves", "name", "max_km.gesloten", "max_km.eetstoornis", "weights.km",
             "weights.unplaced", "weights.waiting_week", "weights.move", "weights.setting_step", "weigths.km",
             "max_km.onbekend")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    """The hand-made example and a small generated national-style instance."""
    generated = tmp_path_factory.mktemp("generated") / "stress-small"
    generate_folder("stress", 7, generated, youths=40, units=15)
    return [VOORBEELD, generated]


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _mutate_cell(rows, rng):
    if len(rows) > 1:
        r, c = rng.randrange(1, len(rows)), rng.randrange(len(rows[0]))
        rows[r][c] = rng.choice(ODD_VALUES) if rng.random() < 0.8 else str(rng.uniform(-1e6, 1e6))
    return f"cell -> {rows[r][c]!r}" if len(rows) > 1 else "no rows"


def _drop_column(rows, rng):
    c = rng.randrange(len(rows[0]))
    name = rows[0][c]
    for row in rows:
        del row[c:c + 1]
    return f"drop column {name}"


def _duplicate_row(rows, rng):
    if len(rows) > 1:
        rows.append(list(rows[rng.randrange(1, len(rows))]))
    return "duplicate a row (and its id)"


def _rename_header(rows, rng):
    c = rng.randrange(len(rows[0]))
    rows[0][c] = rows[0][c][:-1] or "x"
    return f"header typo {rows[0][c]}"


CSV_MUTATIONS = (_mutate_cell, _mutate_cell, _mutate_cell, _drop_column, _duplicate_row, _rename_header)


def _mutate_toml(folder: Path, rng: random.Random) -> str:
    key, value = rng.choice(TOML_KEYS), rng.choice(TOML_VALUES)
    table, _dot, leaf = key.rpartition(".")
    text = f"[{table}]\n{leaf} = {value}\n" if table else f"{leaf} = {value}\n"
    (folder / "instance.toml").write_text(text, encoding="utf-8")
    return f"instance.toml {key} = {value}"


def mutated(source: Path, target: Path, seed: int) -> str:
    """Copy ``source`` to ``target`` with one to three seeded mutations; says what was done."""
    shutil.copytree(source, target)
    rng = random.Random(seed)
    done = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.15:
            done.append(_mutate_toml(target, rng))
            continue
        name = rng.choice([f for f in CSV_FILES if (target / f).exists()])
        rows = _read(target / name)
        if not rows or not rows[0]:
            continue
        done.append(f"{name}: " + rng.choice(CSV_MUTATIONS)(rows, rng))
        _write(target / name, rows)
    return "; ".join(done)


def assert_clean(result, what: str, allowed=(0, 2)) -> None:
    """No traceback, and an exit code the README documents for this case."""
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed and "Traceback" not in result.output, f"{what}\n{result.output}"
    assert result.exit_code in allowed, f"{what}: exit {result.exit_code}\n{result.output}"


def _cases(n: int, offset: int):
    return [pytest.param(k + offset, id=f"m{k + offset}") for k in range(n)]


@pytest.mark.parametrize("seed", _cases(VALIDATIONS, 0))
def test_validate_never_breaks_on_a_mutated_instance(sources, tmp_path, seed):
    """``matcher validate`` of a mutated instance: exit 0 (still valid) or 2 (every problem listed)."""
    folder = tmp_path / "week"
    what = mutated(sources[seed % len(sources)], folder, seed)
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(folder)])
    assert_clean(result, what)
    if result.exit_code == 2:
        assert "NOT VALID" in result.output, what


@pytest.mark.parametrize("seed", _cases(SOLVES, 100_000))
def test_solve_never_breaks_on_a_mutated_instance(sources, tmp_path, seed):
    """``matcher solve`` of a mutated instance: 0 (solved and checked) or 2 (bad input), and 1 only
    for an instance that truly admits no valid assignment.

    Exit 1 is the documented answer when part of the instance cannot be kept to every rule —
    e.g. a mutation that moves an occupant sibling to a unit at another location, where no single
    location can take the whole group (only possible with allow_moves = true, else it is an input
    error). Then summary.json says INFEASIBLE and the checker names the rule; exit 3 (the solver's
    answer failing the independent check) must never happen.
    """
    folder, out = tmp_path / "week", tmp_path / "solution"
    what = mutated(sources[seed % len(sources)], folder, seed)
    result = CliRunner().invoke(main, ["--lang", "en", "solve", str(folder), "--out", str(out),
                                       "--time-limit", "2", "--no-map", "--quiet"])
    assert_clean(result, what, allowed=(0, 1, 2))
    if result.exit_code == 1:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "INFEASIBLE" and summary["checker"]["violations"], what


def test_the_extremes_of_every_range_still_solve(sources, tmp_path):
    """Every weight, limit and waiting time at the top of its range: solved and checked (exit 0),
    so the ranges keep the solver's integer arithmetic safe."""
    folder = tmp_path / "extreme"
    shutil.copytree(sources[1], folder)
    weights = "\n".join(f"{k} = 100000" for k in ("waiting_week", "km", "setting_step", "outside_jeugdregio",
                                                   "outside_bovenregio", "alt_care_type", "move"))
    max_km = "\n".join(f"{c} = 1000" for c in ("gesloten", "driemilieu", "intensieve_ggz", "eetstoornis"))
    (folder / "instance.toml").write_text(
        f"road_factor = 3\nallow_moves = true\n[max_km]\n{max_km}\n[weights]\nunplaced = [100000, 100000, 100000]\n"
        f"{weights}\n", encoding="utf-8")
    rows = _read(folder / "youths.csv")
    column = rows[0].index("waiting_weeks")
    for row in rows[1:]:
        row[column] = "520"
    _write(folder / "youths.csv", rows)
    rows = _read(folder / "units.csv")
    capacity, cost = rows[0].index("capacity"), rows[0].index("cost_per_day")
    for row in rows[1:]:
        row[capacity], row[cost] = "1000", "100000"
    _write(folder / "units.csv", rows)
    result = CliRunner().invoke(main, ["--lang", "en", "solve", str(folder), "--out", str(tmp_path / "out"),
                                       "--time-limit", "5", "--no-map", "--quiet"])
    assert_clean(result, "extremes", allowed=(0,))
