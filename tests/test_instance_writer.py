"""instance_writer: a written folder reads back as the same instance, byte-for-byte repeatable."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from matcher.input import instance_writer
from matcher.instance import Instance, RegionMap, Settings, Weights
from matcher.input.instance_writer import cell, write_instance
from matcher.input.source import read_instance
from matcher.geography.regions import shipped_region_map
from strategies import instances, make_location, make_unit, make_youth


def full_instance() -> Instance:
    """An instance that uses every optional field, list and setting of the format."""
    locations = [make_location("L1", "GM0363", provider="Stichting De Lindehof, Amsterdam (fictief)"),
                 make_location("L2", "GM0344", lat=52.0901, lon=5.1212)]
    units = [
        make_unit("U1", "L1", "gesloten", "gesloten", capacity=8, age_min=12, age_max=18, gender="jongens",
                  max_age_spread=4, cost_per_day=712.5),
        make_unit("U2", "L2", "intensieve_ggz", "thuis", capacity=12),
    ]
    youths = [
        make_youth("Y1", "GM0363", "gesloten", "gesloten", age=15, machtiging=True, urgency=3,
                   current_unit_id="U1", sibling_group="S1"),
        make_youth("Y2", "GM0363", "gesloten", "kleinschalig", age=14, alt_care_types=("driemilieu", "intensieve_ggz"),
                   waiting_weeks=4, max_km=62.5, excluded_locations=("L2", "L1"), sibling_group="S1",
                   home_lat=52.371, home_lon=4.9),
        make_youth("Y3", "GM0344", "intensieve_ggz", "thuis", age=21, gender="x"),
    ]
    weights = Weights(unplaced=(900.0, 1800.0, 3600.5), waiting_week=12.0, km=1.5, move=250.0)
    return Instance(
        settings=Settings(name="vol", allow_moves=True, road_factor=1.25, max_km={"eetstoornis": 300.0},
                          weights=weights),
        locations=tuple(locations), units=tuple(units), youths=tuple(youths),
        conflicts=(("Y1", "Y3"),), regions=shipped_region_map(),
    )


def test_every_field_survives_the_round_trip(tmp_path):
    """Writing and reading back gives the same instance, field for field."""
    instance = full_instance()
    write_instance(instance, tmp_path / "vol")
    assert read_instance(tmp_path / "vol") == instance


def test_cells_are_spelled_as_the_format_says():
    """None is an empty cell, booleans are true/false, lists are ';'-joined, numbers plain."""
    assert [cell(None), cell(True), cell(False), cell(("a", "b")), cell(()), cell(3), cell(52.1)] == \
        ["", "true", "false", "a;b", "", "3", "52.1"]


def test_youths_csv_reads_as_a_planner_expects(tmp_path):
    """The youths file has the format's columns and writes lists, booleans and empties plainly."""
    write_instance(full_instance(), tmp_path / "vol")
    lines = (tmp_path / "vol" / "youths.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("youth_id,home_gemeente,home_lat,home_lon,care_type,alt_care_types,min_setting,")
    assert lines[2] == ("Y2,GM0363,52.371,4.9,gesloten,driemilieu;intensieve_ggz,kleinschalig,false,14,m,1,4,"
                        "62.5,S1,L2;L1,")


def test_optional_files_only_when_needed(tmp_path):
    """No conflicts.csv without conflicts and no regions.csv with the shipped map."""
    instance = full_instance().model_copy(update={"conflicts": ()})
    write_instance(instance, tmp_path / "x")
    assert sorted(os.listdir(tmp_path / "x")) == ["instance.toml", "locations.csv", "units.csv", "youths.csv"]


def test_own_region_map_is_written_and_read_back(tmp_path):
    """An instance with its own region map (a merger scenario) carries it in regions.csv."""
    shipped = shipped_region_map()
    merged = dict(shipped.bovenregio_of, JZ13="Groot-Amsterdam", JZ09="Groot-Amsterdam")
    regions = RegionMap(jeugdregio_of=shipped.jeugdregio_of, bovenregio_of=merged,
                        jeugdregio_name=shipped.jeugdregio_name, source="scenario")
    instance = full_instance().model_copy(update={"regions": regions})
    write_instance(instance, tmp_path / "fusie")
    text = (tmp_path / "fusie" / "regions.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "gemeente,jeugdregio,bovenregio"
    assert "GM0363,JZ13,Groot-Amsterdam" in text.splitlines()
    back = read_instance(tmp_path / "fusie")
    assert back.regions.bovenregio_of_gemeente("GM0479") == "Groot-Amsterdam"
    assert back.regions.jeugdregio_of == shipped.jeugdregio_of


def test_same_instance_same_bytes(tmp_path):
    """Writing twice gives identical files (deterministic output)."""
    write_instance(full_instance(), tmp_path / "a")
    write_instance(full_instance(), tmp_path / "b")
    for name in os.listdir(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failure_leaves_no_half_written_folder(tmp_path, monkeypatch):
    """When putting the folder in place fails, neither the folder nor a temporary one remains."""
    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(instance_writer.os, "rename", refuse)
    with pytest.raises(OSError):
        write_instance(full_instance(), tmp_path / "week")
    assert os.listdir(tmp_path) == []


def test_rewrite_replaces_instance_files_and_keeps_others(tmp_path):
    """Rewriting a folder drops a stale conflicts.csv but leaves the planner's own notes alone."""
    folder = tmp_path / "week"
    write_instance(full_instance(), folder, extra_files={"README.md": "old\n"})
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    write_instance(full_instance().model_copy(update={"conflicts": ()}), folder, extra_files={"README.md": "new\n"})
    assert not (folder / "conflicts.csv").exists()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "README.md").read_text(encoding="utf-8") == "new\n"
    assert read_instance(folder).conflicts == ()
    assert [p.name for p in tmp_path.iterdir()] == ["week"]


def test_extra_file_may_not_shadow_an_instance_file(tmp_path):
    """An extra file named like an instance file is refused before anything is written."""
    with pytest.raises(ValueError):
        write_instance(full_instance(), tmp_path / "x", extra_files={"youths.csv": ""})
    assert not (tmp_path / "x").exists()


def _unique_pairs(pairs):
    seen, out = set(), []
    for a, b in pairs:
        if frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            out.append((a, b))
    return tuple(out)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(instance=instances())
def test_generated_instances_round_trip(tmp_path_factory, instance):
    """Any valid instance reads back equal (a repeated conflict pair counts once, as the format says)."""
    folder = tmp_path_factory.mktemp("rt") / "case"
    write_instance(instance, folder)
    expected = instance.model_copy(update={"conflicts": _unique_pairs(instance.conflicts)})
    assert read_instance(folder) == expected
