"""Every scenario operation on a tiny hand-built instance: exact counts, ids, places, occupants
who need a place again, costs, and the input instance left exactly as it was."""

from __future__ import annotations

from functools import cached_property

import pytest

from matcher.input.instance_writer import instance_files, write_instance
from matcher.input.source import read_instance
from matcher.scenario import apply_scenario, parse_scenario
from matcher.scenario.operations import piece_sizes, piece_suffix
from matcher.scenario.spec import ScenarioError, Split
from strategies import make_instance, make_location, make_unit, make_youth


def tiny_instance():
    """Two locations (Groningen, Amsterdam), four units, five occupants and ten waiting youths."""
    locations = [
        make_location("L1", "GM0014", provider="Alpha"),
        make_location("L2", "GM0363", provider="Beta"),
    ]
    units = [
        make_unit("U1", "L1", "gesloten", "gesloten", 8, age_min=12, age_max=18, cost_per_day=700.0),
        make_unit("U2", "L1", "driemilieu", "residentieel", 7, cost_per_day=400.0),
        make_unit("U3", "L2", "intensieve_ggz", "kleinschalig", 3, cost_per_day=600.0),
        make_unit("U4", "L2", "driemilieu", "thuis", 10),
    ]
    youths = [
        make_youth("Y01", "GM0014", "gesloten", "gesloten", machtiging=True, urgency=2, current_unit_id="U1"),
        make_youth("Y02", "GM0014", "gesloten", "gesloten", machtiging=True, urgency=3, current_unit_id="U1"),
        make_youth("Y03", "GM0014", "driemilieu", "residentieel", current_unit_id="U2"),
        make_youth("Y04", "GM0037", "driemilieu", "kleinschalig", current_unit_id="U2"),
        make_youth("Y05", "GM0080", "driemilieu", "thuis", current_unit_id="U2"),
        make_youth("Y06", "GM0014", "gesloten", "gesloten", machtiging=True, urgency=3),
    ]
    for i in range(7, 17):
        youths.append(make_youth(f"Y{i:02d}", "GM0363" if i % 2 else "GM0014", "driemilieu",
                                 "residentieel" if i < 12 else "kleinschalig", age=12 + i % 5))
    return make_instance(locations, units, youths, conflicts=[("Y03", "Y04")], name="tiny")


def run(toml: str, instance=None, seed: int = 0):
    """Apply a scenario given as TOML text to the tiny instance (or ``instance``)."""
    return apply_scenario(instance or tiny_instance(), parse_scenario(toml, "test.toml"), seed)


def unit_of(instance) -> dict[str, str | None]:
    return {y.youth_id: y.current_unit_id for y in instance.youths}


# --- close ------------------------------------------------------------------------------------


def test_close_turns_occupants_into_new_demand_with_their_urgency():
    """Closing U1 removes it; its two occupants need a place again, keep urgency and file order."""
    base = tiny_instance()
    new = run('[[step]]\nop = "close"\nwhere = { units = ["U1"] }', base).instance
    assert [u.unit_id for u in new.units] == ["U2", "U3", "U4"]
    assert [y.youth_id for y in new.youths] == [y.youth_id for y in base.youths]
    assert new.youth_by_id["Y01"].current_unit_id is None and new.youth_by_id["Y01"].urgency == 2
    assert new.youth_by_id["Y02"].current_unit_id is None and new.youth_by_id["Y02"].urgency == 3
    assert unit_of(new)["Y03"] == "U2"
    assert [l.location_id for l in new.locations] == ["L1", "L2"]


def test_close_largest_share_picks_the_largest_units_first():
    """Half of the two driemilieu units, largest first, is U4 (10 places), not U2 (7)."""
    new = run('[[step]]\nop = "close"\nlargest_share = 0.5\nwhere = { care_type = "driemilieu" }').instance
    assert [u.unit_id for u in new.units] == ["U1", "U2", "U3"]


# --- split ------------------------------------------------------------------------------------


def test_split_into_k_units_of_c_places_spreads_occupants_and_keeps_conflicts_apart():
    """U2 into 3 units of 2: ids U2-a..c next to each other, Y03 and Y04 (a conflict pair) apart."""
    new = run('[[step]]\nop = "split"\ninto = 3\ncapacity = 2\nwhere = { unit = "U2" }').instance
    assert [(u.unit_id, u.capacity) for u in new.units] == [
        ("U1", 8), ("U2-a", 2), ("U2-b", 2), ("U2-c", 2), ("U3", 3), ("U4", 10)]
    placed = unit_of(new)
    assert placed["Y03"] == "U2-a" and placed["Y04"] == "U2-b" and placed["Y05"] == "U2-c"
    assert all(u.cost_per_day == 400.0 and u.setting == "residentieel" for u in new.units if u.unit_id.startswith("U2-"))


def test_split_to_a_more_home_like_setting_releases_who_no_longer_fits():
    """U2 -> kleinschalig pieces: Y03 needs residentieel and becomes demand again; the others move along."""
    new = run('[[step]]\nop = "split"\ninto = 2\nsetting = "kleinschalig"\ncost_per_day = 520\nwhere = { unit = "U2" }').instance
    pieces = [u for u in new.units if u.unit_id.startswith("U2-")]
    assert [(u.unit_id, u.capacity, u.setting, u.cost_per_day) for u in pieces] == [
        ("U2-a", 4, "kleinschalig", 520.0), ("U2-b", 3, "kleinschalig", 520.0)]
    placed = unit_of(new)
    assert placed["Y03"] is None
    assert placed["Y04"] == "U2-a" and placed["Y05"] == "U2-b"
    assert new.youth_by_id["Y03"].urgency == 1


def test_split_max_capacity_shares_places_evenly_and_raises_cost_by_percent():
    """U1 (8 places) at most 3 each -> 3, 3, 2 places; +20 % cost; the two occupants spread over a and b."""
    new = run('[[step]]\nop = "split"\nmax_capacity = 3\ncost_percent = 20\nwhere = { unit = "U1" }').instance
    pieces = [(u.unit_id, u.capacity, u.cost_per_day, u.setting) for u in new.units if u.unit_id.startswith("U1")]
    assert pieces == [("U1-a", 3, 840.0, "gesloten"), ("U1-b", 3, 840.0, "gesloten"), ("U1-c", 2, 840.0, "gesloten")]
    assert unit_of(new)["Y01"] == "U1-a" and unit_of(new)["Y02"] == "U1-b"


def test_split_respects_the_capacity_of_the_pieces():
    """U2 with 3 occupants into 2 units of 1 place: the third occupant (file order) needs a place again."""
    new = run('[[step]]\nop = "split"\ninto = 2\ncapacity = 1\nwhere = { unit = "U2" }').instance
    assert unit_of(new)["Y03"] == "U2-a" and unit_of(new)["Y04"] == "U2-b" and unit_of(new)["Y05"] is None


def test_split_refuses_more_pieces_than_places():
    """Splitting U3 (3 places) into 4 is reported with the step's key."""
    with pytest.raises(ScenarioError) as err:
        run('[[step]]\nop = "split"\ninto = 4\nwhere = { unit = "U3" }')
    assert err.value.problems[0].column == "step[1].into"
    assert "U3" in err.value.problems[0].message


def test_piece_sizes_and_suffixes():
    """Sizes add up to the old places when only a maximum is given; suffixes run a..z, aa."""
    step = Split(op="split", where={}, max_capacity=3)
    assert piece_sizes(7, step) == [3, 2, 2] and piece_sizes(3, step) == [3]
    assert [piece_suffix(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


# --- convert, add, set_cost -------------------------------------------------------------------


def test_convert_setting_releases_occupants_who_no_longer_fit():
    """U2 becomes kleinschalig: Y03 (needs residentieel) needs a place again, Y04 and Y05 stay."""
    new = run('[[step]]\nop = "convert"\nsetting = "kleinschalig"\nwhere = { unit = "U2" }').instance
    assert new.unit_by_id["U2"].setting == "kleinschalig" and new.unit_by_id["U2"].capacity == 7
    assert unit_of(new)["Y03"] is None and unit_of(new)["Y04"] == "U2" and unit_of(new)["Y05"] == "U2"


def test_convert_care_type_by_provider_and_capacity_filter():
    """Beta's units of at most 3 places (only U3) become driemilieu."""
    new = run('[[step]]\nop = "convert"\ncare_type = "driemilieu"\nwhere = { provider = "Beta", capacity_max = 3 }').instance
    assert new.unit_by_id["U3"].care_type == "driemilieu" and new.unit_by_id["U4"].care_type == "driemilieu"
    assert new.unit_by_id["U1"].care_type == "gesloten"


ADD = """
[[step]]
op = "add"
[[step.locations]]
location_id = "L3"
provider = "Gamma"
gemeente = "GM0344"
lat = 52.09
lon = 5.12
[[step.units]]
unit_id = "U5"
location_id = "L3"
care_type = "gesloten"
setting = "thuis"
capacity = 12
cost_per_day = 350
"""


def test_add_location_and_unit():
    """The added location and unit are at the end of their files, with the values given."""
    new = run(ADD).instance
    assert [l.location_id for l in new.locations] == ["L1", "L2", "L3"]
    u5 = new.unit_by_id["U5"]
    assert (u5.location_id, u5.setting, u5.capacity, u5.cost_per_day, u5.age_max) == ("L3", "thuis", 12, 350.0, 23)
    assert type(u5).__name__ == "Unit"


def test_add_refuses_existing_ids_and_unknown_locations():
    """An existing unit id and a location that exists nowhere are both reported."""
    bad = ADD.replace('unit_id = "U5"', 'unit_id = "U1"').replace('location_id = "L3"\ncare', 'location_id = "L9"\ncare')
    with pytest.raises(ScenarioError) as err:
        run(bad)
    keys = [p.column for p in err.value.problems]
    assert keys == ["step[1].units[1].unit_id", "step[1].units[1].location_id"]


def test_set_cost_absolute_and_relative():
    """Absolute sets every matched unit; percent scales each, and a unit without a price keeps none."""
    new = run('[[step]]\nop = "set_cost"\ncost_per_day = 450\nwhere = { setting = "residentieel" }').instance
    assert new.unit_by_id["U2"].cost_per_day == 450.0 and new.unit_by_id["U1"].cost_per_day == 700.0
    new = run('[[step]]\nop = "set_cost"\npercent = -10\nwhere = { location = "L2" }').instance
    assert new.unit_by_id["U3"].cost_per_day == 540.0 and new.unit_by_id["U4"].cost_per_day is None


# --- demand -----------------------------------------------------------------------------------


def test_demand_factor_below_one_drops_new_youths_only():
    """factor 0.5 on driemilieu: 5 of the 10 waiting driemilieu youths go; occupants never do."""
    base = tiny_instance()
    new = run('[[step]]\nop = "demand"\nfactor = 0.5\nwhere = { care_type = "driemilieu" }', base, seed=3).instance
    waiting = [y for y in new.youths if not y.is_occupant and y.care_type == "driemilieu"]
    assert len(waiting) == 5
    assert sum(y.is_occupant for y in new.youths) == 5 and new.youth_by_id["Y06"]
    again = run('[[step]]\nop = "demand"\nfactor = 0.5\nwhere = { care_type = "driemilieu" }', base, seed=3).instance
    assert [y.youth_id for y in again.youths] == [y.youth_id for y in new.youths]
    kept = {tuple(y.youth_id for y in run('[[step]]\nop = "demand"\nfactor = 0.5', base, seed=s).instance.youths)
            for s in range(5)}
    assert len(kept) > 1  # the seed decides which youths go


def test_demand_factor_above_one_adds_copies_with_fresh_ids():
    """factor 1.5 in jeugdregio JZ13 (5 waiting youths from Amsterdam): 2.5 rounds up to 3 copies."""
    base = tiny_instance()
    new = run('[[step]]\nop = "demand"\nfactor = 1.5\nwhere = { jeugdregio = "JZ13" }', base).instance
    extra = new.youths[len(base.youths):]
    assert [y.youth_id for y in extra] == ["N1-00001", "N1-00002", "N1-00003"]
    assert all(y.home_gemeente == "GM0363" and not y.is_occupant and y.sibling_group is None for y in extra)


def test_demand_to_thuis_share_changes_min_setting_of_that_share():
    """to_thuis_share 0.5: 5 of the 10 waiting youths with residentieel/kleinschalig need get thuis."""
    base = tiny_instance()
    new = run('[[step]]\nop = "demand"\nto_thuis_share = 0.5', base).instance
    changed = [y.youth_id for y, old in zip(new.youths, base.youths) if y.min_setting != old.min_setting]
    assert len(changed) == 5
    assert all(new.youth_by_id[i].min_setting == "thuis" and not new.youth_by_id[i].is_occupant for i in changed)


def test_demand_re_indication_can_include_occupants():
    """to_setting kleinschalig from residentieel with occupants: Y03 (occupant) and Y07-Y11 change."""
    new = run('[[step]]\nop = "demand"\nto_setting = "kleinschalig"\noccupants = true').instance
    changed = sorted(y.youth_id for y in new.youths if y.min_setting == "kleinschalig")
    assert changed == ["Y03", "Y04", "Y07", "Y08", "Y09", "Y10", "Y11", "Y12", "Y13", "Y14", "Y15", "Y16"]
    assert unit_of(new)["Y03"] == "U2"


# --- regions, settings ------------------------------------------------------------------------


def test_regions_merge_into_the_first_and_write_regions_csv():
    """JZ01 and JZ02 merge into JZ01: Leeuwarden's youths now live in JZ01; regions.csv is written."""
    new = run('[[step]]\nop = "regions"\nmerge = ["JZ01", "JZ02"]').instance
    assert new.regions.source != "shipped"
    assert new.regions.jeugdregio_of["GM0080"] == "JZ01" and "JZ02" not in new.regions.bovenregio_of
    assert "regions.csv" in instance_files(new)


def test_regions_merge_below_joins_the_nearest_region_in_the_same_bovenregio():
    """Below 20,000 youths only Midden-Limburg West (JZ43) is small; it joins Midden-Limburg Oost (JZ42)."""
    applied = run('[[step]]\nop = "regions"\nmerge_below = 20000')
    regions = applied.instance.regions
    assert "JZ43" not in regions.bovenregio_of
    assert regions.jeugdregio_of["GM0957"] == "JZ42"  # Roermond
    assert set(regions.jeugdregio_of.values()) == set(tiny_instance().regions.jeugdregio_of.values()) - {"JZ43"}


def test_regions_move_to_another_bovenregio():
    """Flevoland (JZ08) moves to Noord-Holland."""
    new = run('[[step]]\nop = "regions"\nmove = { JZ08 = "Noord-Holland" }').instance
    assert new.regions.bovenregio_of["JZ08"] == "Noord-Holland"


def test_settings_change_only_what_is_named():
    """max_km.gesloten, weights.km and allow_moves change; everything else keeps its value."""
    base = tiny_instance()
    new = run('[[step]]\nop = "settings"\nallow_moves = true\nmax_km = { gesloten = 100 }\nweights = { km = 2 }', base).instance
    s = new.settings
    assert s.allow_moves and s.max_km["gesloten"] == 100.0 and s.max_km["eetstoornis"] == 250.0
    assert s.weights.km == 2.0 and s.weights.setting_step == base.settings.weights.setting_step
    assert s.road_factor == 1.0


# --- the scenario as a whole ------------------------------------------------------------------

EVERYTHING = """
name = "alles"
[[step]]
op = "split"
max_capacity = 3
setting = "kleinschalig"
where = { setting = "residentieel" }
[[step]]
op = "close"
where = { care_type = "gesloten" }
[[step]]
op = "convert"
setting = "gezinsgericht"
where = { unit = "U3" }
[[step]]
op = "set_cost"
percent = 15
where = {}
[[step]]
op = "demand"
factor = 1.3
[[step]]
op = "demand"
to_thuis_share = 0.3
[[step]]
op = "regions"
merge = ["JZ13", "JZ09"]
[[step]]
op = "settings"
road_factor = 1.2
""" + ADD


def test_the_input_instance_is_never_changed():
    """After a scenario using every op, the input instance dumps exactly as before."""
    base = tiny_instance()
    before = base.model_dump()
    applied = run(EVERYTHING, base)
    assert base.model_dump() == before
    assert applied.instance.model_dump() != before
    assert len(applied.notes) == 9


def test_lookups_of_the_new_instance_are_fresh():
    """unit_by_id of the scenario instance knows the new units, even after the base's was used."""
    base = tiny_instance()
    assert "U1" in base.unit_by_id
    new = run('[[step]]\nop = "close"\nwhere = { units = ["U1"] }', base).instance
    assert not any(isinstance(getattr(type(new), n, None), cached_property) for n in new.__dict__)
    assert "U1" not in new.unit_by_id and set(new.unit_by_id) == {"U2", "U3", "U4"}


def test_scenario_instance_round_trips_through_files(tmp_path):
    """The scenario instance is written and read back as the same instance, named after the scenario
    (regions.csv holds the region map itself, not the merged region's display name)."""
    new = run(EVERYTHING).instance
    assert new.name == "alles"
    back = read_instance(write_instance(new, tmp_path / "alles"))
    assert back.model_dump(exclude={"regions"}) == new.model_dump(exclude={"regions"})
    assert back.regions.jeugdregio_of == new.regions.jeugdregio_of
    assert back.regions.bovenregio_of == new.regions.bovenregio_of


def test_same_seed_same_instance():
    """Random choices come from the seed: the same seed gives the same instance."""
    a = run(EVERYTHING, seed=7).instance.model_dump()
    b = run(EVERYTHING, seed=7).instance.model_dump()
    assert a == b


# --- displaced residents ----------------------------------------------------------------------


def test_closing_a_unit_marks_its_residents_as_displaced():
    """The occupants of a closed unit are new demand in the instance, but the scenario knows them as displaced."""
    applied = run('[[step]]\nop = "close"\nwhere = { units = ["U1"] }')
    assert applied.displaced == {"Y01", "Y02"}
    assert all(applied.instance.youth_by_id[y].current_unit_id is None for y in applied.displaced)


def test_a_demand_factor_never_removes_displaced_residents():
    """After closing U1, 'gesloten demand x 0.5' draws only from the real new demand (Y06), not from Y01/Y02."""
    applied = run('[[step]]\nop = "close"\nwhere = { units = ["U1"] }\n'
                  '[[step]]\nop = "demand"\nfactor = 0.5\nwhere = { care_type = "gesloten" }')
    ids = set(applied.instance.youth_by_id)
    assert {"Y01", "Y02"} <= ids and "Y06" not in ids
    assert "1 jongere van de 1 weggelaten; 2 bewoners van gesloten of gewijzigde units niet meegeteld" in applied.notes[1]
    assert applied.displaced == {"Y01", "Y02"}


def test_split_and_convert_mark_only_who_no_longer_fits():
    """Converting U2 to thuis displaces the occupants who need more than thuis; the one who needs thuis stays."""
    applied = run('[[step]]\nop = "convert"\nsetting = "thuis"\nwhere = { unit = "U2" }')
    assert applied.displaced == {"Y03", "Y04"}
    assert applied.instance.youth_by_id["Y05"].current_unit_id == "U2"
