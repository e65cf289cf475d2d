"""The national instance generator: calibrated, valid, deterministic, and the shipped instances
are exactly what it makes for seed 2025."""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.analysis.check import check, placement_problems
from matcher.cli import main
from matcher.generator import generate_folder
from matcher.domain import LAT_RANGE, LON_RANGE, haversine_km
from matcher.generator import generate
from matcher.generator.calibration import (
    CALIBRATION,
    GESLOTEN_OCCUPIED,
    GESLOTEN_PLACEMENTS_PER_YEAR,
    GESLOTEN_PLACES,
    WEEKS_PER_YEAR,
)
from matcher.generator.describe import figures
from matcher.geography.geo import gemeente_points
from matcher.input.source import read_instance, validate_instance

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
SHIPPED_SEED = 2025


@pytest.fixture(scope="module")
def nl_week():
    return generate("nl-week", SHIPPED_SEED)


@pytest.fixture(scope="module")
def nl_stock():
    return generate("nl-stock", SHIPPED_SEED)


@pytest.fixture(scope="module")
def small_stress():
    return generate("stress", 3, youths=300, units=60)


@pytest.fixture(scope="module", params=["nl-week", "nl-stock", "stress"])
def any_instance(request, nl_week, nl_stock, small_stress):
    return {"nl-week": nl_week, "nl-stock": nl_stock, "stress": small_stress}[request.param]


# --- calibration --------------------------------------------------------------------------


def test_closed_places_and_occupancy_match_the_national_figures(nl_week, nl_stock):
    """525 closed places (+-5 %) of which about 81 % occupied (+-3 points), in both presets."""
    for instance in (nl_week, nl_stock):
        f = figures(instance)
        assert abs(f["closed_places"] - GESLOTEN_PLACES) <= 0.05 * GESLOTEN_PLACES
        assert abs(f["closed_occupancy"] - 0.81) <= 0.03
        assert f["closed_occupied"] == GESLOTEN_OCCUPIED


@pytest.mark.parametrize("seed", [SHIPPED_SEED, 1, 2, 3])
def test_a_week_brings_about_17_closed_care_requests(seed):
    """nl-week's new closed-care demand is 891/52 = 17 a week, within +-50 %, and all new demand
    together is on the order of 60-120 youths."""
    f = figures(generate("nl-week", seed))
    weekly = GESLOTEN_PLACEMENTS_PER_YEAR / WEEKS_PER_YEAR
    assert abs(f["by_care_type"]["gesloten"]["new"] - weekly) <= 0.5 * weekly
    assert 60 <= f["new"] <= 120


def test_other_care_types_follow_their_assumed_figures(nl_week):
    """3-milieu, GGZ and eating-disorder places and occupancy match the calibration (assumptions)."""
    f = figures(nl_week)
    for care_type in ("driemilieu", "intensieve_ggz", "eetstoornis"):
        cal = CALIBRATION[care_type]
        b = f["by_care_type"][care_type]
        assert b["places_by_setting"] == {s: n for s, n in cal.places.items() if n}
        expected = sum(cal.places[s] * cal.occupancy[s] for s in cal.places)
        assert abs(b["occupied"] - expected) <= 2


def test_stock_is_every_occupant_plus_a_waiting_list(nl_week, nl_stock):
    """nl-stock holds the same occupants as nl-week plus a backlog: a few thousand youths, moves allowed."""
    week, stock = figures(nl_week), figures(nl_stock)
    assert stock["allow_moves"] and not week["allow_moves"]
    assert stock["occupants"] == week["occupants"]
    assert 2000 <= stock["youths"] <= 6000 and stock["new"] > 4 * week["new"]
    assert nl_stock.units == nl_week.units and nl_stock.locations == nl_week.locations


# --- realism that the rules rely on -------------------------------------------------------


def test_machtiging_only_and_always_for_a_closed_setting(any_instance):
    """Nobody has a machtiging without needing a closed setting, and everybody who needs one has it."""
    assert all(y.machtiging == (y.min_setting == "gesloten") for y in any_instance.youths)


def test_occupants_fit_their_unit(any_instance):
    """Every occupant meets rules 1-6 in the current unit; units are within capacity and age
    spread, hold no conflict pair, and occupant siblings live at one location."""
    instance = any_instance
    residents = defaultdict(list)
    for y in instance.youths:
        if y.is_occupant:
            unit = instance.unit_by_id[y.current_unit_id]
            assert placement_problems(instance, y, unit) == [], y.youth_id
            residents[unit.unit_id].append(y)
    pairs = {frozenset(p) for p in instance.conflicts}
    for unit_id, here in residents.items():
        unit = instance.unit_by_id[unit_id]
        assert len(here) <= unit.capacity
        if unit.max_age_spread is not None:
            assert max(y.age for y in here) - min(y.age for y in here) <= unit.max_age_spread
        ids = [y.youth_id for y in here]
        assert not any(frozenset((a, b)) in pairs for a in ids for b in ids if a < b)
    location_of_group = defaultdict(set)
    for y in instance.youths:
        if y.is_occupant and y.sibling_group:
            location_of_group[y.sibling_group].add(instance.unit_by_id[y.current_unit_id].location_id)
    assert all(len(locations) == 1 for locations in location_of_group.values())


def test_siblings_share_a_home_and_a_care_type(any_instance):
    """A sibling group is a family: one home point, one care type, pairs or triples."""
    groups = defaultdict(list)
    for y in any_instance.youths:
        if y.sibling_group:
            groups[y.sibling_group].append(y)
    assert groups, "the generator makes a few sibling groups"
    for members in groups.values():
        assert 2 <= len(members) <= 3
        assert len({(y.home_gemeente, y.home_lat, y.home_lon) for y in members}) == 1
        assert len({y.care_type for y in members}) == 1


def test_home_points_are_near_the_gemeente_point_never_exact_addresses(any_instance):
    """Home points have 3 decimals, lie in the bounding box and within a few km of the gemeente's point."""
    points = gemeente_points()
    for y in any_instance.youths:
        assert round(y.home_lat, 3) == y.home_lat and round(y.home_lon, 3) == y.home_lon
        assert LAT_RANGE[0] <= y.home_lat <= LAT_RANGE[1] and LON_RANGE[0] <= y.home_lon <= LON_RANGE[1]
        lat, lon = points[y.home_gemeente]
        assert haversine_km(lat, lon, y.home_lat, y.home_lon) < 5.0


def test_ids_are_pseudonymous_and_providers_fictitious(any_instance):
    """Ids look like Y000123, U0456, L0078; every provider name says it is fictitious."""
    assert all(re.fullmatch(r"Y\d{6}", y.youth_id) for y in any_instance.youths)
    assert all(re.fullmatch(r"U\d{4,}", u.unit_id) for u in any_instance.units)
    assert all(re.fullmatch(r"L\d{4,}", l.location_id) for l in any_instance.locations)
    assert all(l.provider.endswith("(fictief)") for l in any_instance.locations)


def test_demand_has_the_variety_a_planner_meets(nl_week):
    """Ages, genders, urgencies, alternatives, exclusions, personal limits and conflicts all occur."""
    youths = nl_week.youths
    assert {y.gender for y in youths} == {"m", "v", "x"}
    assert {y.urgency for y in youths} == {1, 2, 3}
    assert min(y.age for y in youths if y.care_type == "driemilieu") < 12
    assert max(y.age for y in youths if y.care_type in ("intensieve_ggz", "eetstoornis")) > 18
    assert sum(y.gender == "v" for y in youths if y.care_type == "eetstoornis") > \
        0.7 * sum(y.care_type == "eetstoornis" for y in youths)
    assert any(y.alt_care_types for y in youths) and any(y.excluded_locations for y in youths)
    assert any(y.max_km for y in youths) and nl_week.conflicts
    settings = {u.setting for u in nl_week.units}
    assert settings == {"thuis", "gezinsgericht", "kleinschalig", "residentieel", "gesloten"}
    sizes = [u.capacity for u in nl_week.units if u.setting in ("residentieel", "gesloten")]
    assert any(s >= 8 for s in sizes) and any(s <= 6 for s in sizes)


# --- determinism, sizes, errors -----------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    """The same preset and seed write identical files; another seed writes other youths."""
    generate_folder("nl-week", 7, tmp_path / "a")
    generate_folder("nl-week", 7, tmp_path / "b")
    generate_folder("nl-week", 8, tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["youths.csv"] != _files(tmp_path / "c")["youths.csv"]


def test_stress_has_the_requested_size(small_stress):
    """stress makes exactly the youths and units asked for; occupants fill part of the capacity."""
    f = figures(small_stress)
    assert f["youths"] == 300 and f["units"] == 60
    assert 0 < f["occupants"] <= 150 and f["occupants"] < f["places"]


def test_large_stress_instance_is_fast():
    """20,000 youths x 8,000 units are generated in a few seconds."""
    start = time.perf_counter()
    instance = generate("stress", 11, youths=20000, units=8000)
    assert time.perf_counter() - start < 30.0
    assert len(instance.youths) == 20000 and len(instance.units) == 8000


def test_size_options_are_for_stress_only():
    """--youths/--units on a national preset, or an unknown preset, are usage errors (exit 2)."""
    with pytest.raises(ValueError):
        generate("nl-week", 1, youths=10)
    with pytest.raises(ValueError):
        generate("nl-month", 1)
    result = CliRunner().invoke(main, ["generate", "nl-week", "--seed", "1", "--youths", "5", "--out", "x"])
    assert result.exit_code == 2 and "stress" in result.output


def test_cli_writes_a_valid_instance_with_readme(tmp_path):
    """``matcher generate`` writes a folder that validates without warnings, with a README."""
    out = tmp_path / "s"
    result = CliRunner().invoke(main, ["generate", "stress", "--seed", "5", "--youths", "200", "--units", "40",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    validation = validate_instance(out)
    assert validation.ok and validation.warnings == []
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "matcher generate stress --seed 5 --youths 200 --units 40" in readme and "fictitious" in readme


# --- every generated instance reads, solves and checks ------------------------------------


def test_generated_instances_read_back_unchanged(any_instance, tmp_path):
    """Written and read back with read_instance, a generated instance is the same instance."""
    from matcher.input.instance_writer import write_instance

    write_instance(any_instance, tmp_path / "inst")
    assert read_instance(tmp_path / "inst") == any_instance


@pytest.mark.parametrize("which", ["nl-week", "stress"])
def test_generated_instance_solves_and_checks(which, nl_week, small_stress):
    """The solver's answer on a generated instance passes the independent checker."""
    from matcher.solver.solve import solve

    instance = {"nl-week": nl_week, "stress": small_stress}[which]
    result = solve(instance, time_limit=30, seed=0)
    assert result.is_feasible()
    assert check(instance, result.unit_of).ok


@pytest.mark.slow
def test_national_stock_solves_and_checks(nl_stock):
    """The national re-optimisation gives a solution the checker accepts (time-limited)."""
    from matcher.solver.solve import solve

    result = solve(nl_stock, time_limit=10, seed=0)
    assert result.is_feasible()
    assert check(nl_stock, result.unit_of).ok


# --- shipped instances --------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["nl-week", "nl-stock"])
def test_shipped_instance_is_what_the_generator_makes(preset, tmp_path):
    """instances/<preset> equals a fresh ``matcher generate <preset> --seed 2025``, file by file."""
    generate_folder(preset, SHIPPED_SEED, tmp_path / preset)
    assert _files(INSTANCES / preset) == _files(tmp_path / preset)


@pytest.mark.parametrize("preset", ["nl-week", "nl-stock"])
def test_shipped_instance_is_small_and_has_home_points(preset):
    """Shipped folders stay under 2 MB and every youth row carries home_lat/home_lon."""
    folder = INSTANCES / preset
    assert sum(p.stat().st_size for p in folder.iterdir()) < 2_000_000
    instance = read_instance(folder)
    text = (folder / "youths.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    lat, lon = header.index("home_lat"), header.index("home_lon")
    assert all(row.split(",")[lat] and row.split(",")[lon] for row in text[1:])
    assert len(text) - 1 == len(instance.youths)


def test_the_command_names_every_preset():
    """``matcher generate`` names the presets without loading the generator: the same ones."""
    from matcher.commands.generate import PRESET_NAMES
    from matcher.generator import PRESETS

    assert PRESET_NAMES == tuple(PRESETS)
