"""Random mutations of valid instances never break matcher: a changed cell (text, number, huge,
negative, empty, scientific), a control character in a text cell (NUL, other C0 codes, a lone
surrogate), a dropped column, a doubled id or a broken instance.toml gives exit code 0 or 2 with a
message, never a traceback, from ``matcher validate`` and ``matcher solve`` — and the two agree:
what validate refuses, solve refuses, and what validate accepts, solve answers. The same holds for
the instances as Excel workbooks, control characters in their cells included.

The instances mutated: the hand-made example, a small generated national-style week, one in
which nobody can be placed and one in which everybody can.

Seeded: mutation k of a run is always the same. How many: ``MATCHER_MUTATIONS`` validations
(default 200), ``MATCHER_MUTATION_SOLVES`` solves (default 30) and ``MATCHER_MUTATION_WORKBOOKS``
workbooks (default 20) — the suite keeps to about a minute; set e.g. ``MATCHER_MUTATIONS=1000
MATCHER_MUTATION_SOLVES=1000`` for the full search.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.generator import generate_folder

VOORBEELD = Path(__file__).resolve().parents[1] / "instances" / "voorbeeld"
VALIDATIONS = int(os.environ.get("MATCHER_MUTATIONS", "200"))
SOLVES = int(os.environ.get("MATCHER_MUTATION_SOLVES", "30"))
WORKBOOKS = int(os.environ.get("MATCHER_MUTATION_WORKBOOKS", "20"))
CSV_FILES = ("locations.csv", "units.csv", "youths.csv", "conflicts.csv")
#: Values a planner's file (or a broken export) can hold.
ODD_VALUES = ("", " ", "abc", "ja", "nee", "-1", "0", "-0.5", "3.5", "1e3", "2.5e-3", "1E30", "1e308", "inf",
              "nan", "1,5", "12,000", "99999999999999999999", "1e18", "1000001", "GM0000", "gm0344", "Utrecht",
              "thuis", "gesloten", "m", "x", "U1", "L1", "Y1", "'; DROP TABLE", "\u00e9\u00e8", "5;6", "\t")
#: Characters a broken export can leave in a text cell: C0 control codes and a lone surrogate.
CONTROL_CHARACTERS = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800")
TOML_VALUES = ("1e30", "-1", "0", "1e-300", "\"veel\"", "true", "[1, 2]", "[1e30, 1, 1]", "{ a = 1 }", "nan", "inf",
               "999999999999", "3", "0.5")
TOML_KEYS = ("road_factor", "allow_moves", "name", "max_km.gesloten", "max_km.eetstoornis", "weights.km",
             "weights.unplaced", "weights.waiting_week", "weights.move", "weights.setting_step", "weigths.km",
             "max_km.onbekend")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    """The hand-made example, a small generated national-style instance, the example in which
    nobody can be placed (every distance limit 1 km) and the example in which everybody can
    (room everywhere, no distance limit that bites)."""
    generated = tmp_path_factory.mktemp("generated") / "stress-small"
    generate_folder("stress", 7, generated, youths=40, units=15)
    nobody = _example_with(tmp_path_factory.mktemp("nobody") / "nobody", max_km=1)
    everybody = _example_with(tmp_path_factory.mktemp("everybody") / "everybody", max_km=1000, capacity=40)
    for folder, unplaced in ((nobody, lambda s: s["placed"] == 0 and s["unplaced"] > 0),
                             (everybody, lambda s: s["unplaced"] == 0)):
        result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(folder.parent / "solution"),
                                           "--no-map", "--quiet"])
        summary = json.loads((folder.parent / "solution" / "summary.json").read_text(encoding="utf-8"))
        assert result.exit_code == 0 and unplaced(summary), (folder.name, summary["placed"], summary["unplaced"])
    return [VOORBEELD, generated, nobody, everybody]


def _example_with(folder: Path, max_km: float, capacity: int | None = None) -> Path:
    """The example with every distance limit ``max_km`` (the youths' own ones dropped) and, when
    given, every unit's capacity ``capacity`` without age, gender or age-spread limits, and a
    machtiging for every youth who needs closed care."""
    shutil.copytree(VOORBEELD, folder)
    limits = "\n".join(f"{c} = {max_km}" for c in ("gesloten", "driemilieu", "intensieve_ggz", "eetstoornis"))
    (folder / "instance.toml").write_text(f'name = "{folder.name}"\n[max_km]\n{limits}\n', encoding="utf-8")
    rows = _read(folder / "youths.csv")
    for row in rows[1:]:
        row[rows[0].index("max_km")] = ""
        if capacity is not None and row[rows[0].index("min_setting")] == "gesloten":
            row[rows[0].index("machtiging")] = "ja"  # closed care with the court's permission
    _write(folder / "youths.csv", rows)
    if capacity is not None:
        rows = _read(folder / "units.csv")
        for row in rows[1:]:
            for column, value in (("capacity", str(capacity)), ("age_min", ""), ("age_max", ""),
                                  ("gender", "gemengd"), ("max_age_spread", "")):
                row[rows[0].index(column)] = value
        _write(folder / "units.csv", rows)
        (folder / "conflicts.csv").unlink(missing_ok=True)
    return folder


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig", errors="surrogatepass"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")  # a lone surrogate as a broken export writes it


def _mutate_cell(rows, rng):
    if len(rows) > 1:
        r, c = rng.randrange(1, len(rows)), rng.randrange(len(rows[0]))
        rows[r][c] = rng.choice(ODD_VALUES) if rng.random() < 0.8 else str(rng.uniform(-1e6, 1e6))
    return f"cell -> {rows[r][c]!r}" if len(rows) > 1 else "no rows"


def _control_character(rows, rng):
    """A control character (or a lone surrogate) somewhere in a cell: as a broken export leaves it."""
    if len(rows) < 2:
        return "no rows"
    r, c = rng.randrange(1, len(rows)), rng.randrange(len(rows[0]))
    char, text = rng.choice(CONTROL_CHARACTERS), rows[r][c]
    at = rng.randrange(len(text) + 1)
    rows[r][c] = text[:at] + char + text[at:]
    return f"cell -> {rows[r][c]!r}"


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


CSV_MUTATIONS = (_mutate_cell, _mutate_cell, _mutate_cell, _control_character, _drop_column, _duplicate_row,
                 _rename_header)


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


def solve_and_validate(source: Path, tmp_path: Path, what: str) -> None:
    """``matcher validate`` and ``matcher solve`` of ``source``: no traceback, and they agree.

    Solve gives 0 (solved and checked) or 2 (bad input), and 1 only for an instance that truly
    admits no valid assignment: e.g. a mutation that moves an occupant sibling to a unit at another
    location, where no single location can take the whole group (only possible with allow_moves =
    true, else it is an input error). Then summary.json says INFEASIBLE and the checker names the
    rule; exit 3 (the solver's answer failing the independent check) must never happen. Validate
    refuses (2) exactly what solve refuses.
    """
    out = tmp_path / "solution"
    validated = CliRunner().invoke(main, ["--lang", "en", "validate", str(source)])
    assert_clean(validated, what)
    solved = CliRunner().invoke(main, ["--lang", "en", "solve", str(source), "--out", str(out),
                                       "--time-limit", "2", "--no-map", "--quiet"])
    assert_clean(solved, what, allowed=(0, 1, 2))
    assert (validated.exit_code == 2) == (solved.exit_code == 2), f"{what}: validate {validated.exit_code}, solve {solved.exit_code}"
    if solved.exit_code == 1:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "INFEASIBLE" and summary["checker"]["violations"], what


@pytest.mark.parametrize("seed", _cases(SOLVES, 100_000))
def test_solve_never_breaks_on_a_mutated_instance(sources, tmp_path, seed):
    """``matcher solve`` of a mutated instance answers (0, 1) or refuses (2) as validate does."""
    folder = tmp_path / "week"
    what = mutated(sources[seed % len(sources)], folder, seed)
    solve_and_validate(folder, tmp_path, what)


def workbook_of(folder: Path, path: Path) -> Path:
    """The instance's CSV files as the sheets of one Excel workbook, every cell as text (what a
    workbook cannot hold, a control character or a lone surrogate, left out)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in (*CSV_FILES, "regions.csv"):
        if (folder / name).exists():
            sheet = book.create_sheet(name.removesuffix(".csv"))
            for row in _read(folder / name):
                sheet.append([_UNWRITABLE.sub("", cell) for cell in row])
    book.save(path)
    return path


_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def with_control_character(path: Path, rng: random.Random) -> str:
    """A control character put into one text cell of the saved workbook, as raw bytes (which
    leaves the sheet's XML broken) or as Excel's escape (``_x0000_``); says what was done."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = rng.choice(sorted(n for n in parts if n.startswith("xl/worksheets/")))
    cells = list(re.finditer(rb"<t>", parts[sheet]))
    if not cells:
        return "no text cell"
    at = rng.choice(cells).end()
    code = rng.choice([0, 1, 7, 8, 11, 12, 27, 31])
    char = bytes([code]) if rng.random() < 0.5 else f"_x{code:04X}_".encode()
    parts[sheet] = parts[sheet][:at] + char + parts[sheet][at:]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return f"{sheet}: {char!r}"


@pytest.mark.parametrize("seed", _cases(WORKBOOKS, 200_000))
def test_a_mutated_workbook_is_answered_or_refused_as_validate_says(sources, tmp_path, seed):
    """The mutated instance as an Excel workbook, half of them with a control character in a cell:
    validate and solve never break, and they agree."""
    folder = tmp_path / "week"
    what = mutated(sources[seed % len(sources)], folder, seed)
    path = workbook_of(folder, tmp_path / "week.xlsx")
    rng = random.Random(seed)
    if rng.random() < 0.5:
        what += "; workbook " + with_control_character(path, rng)
    solve_and_validate(path, tmp_path, what)


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
