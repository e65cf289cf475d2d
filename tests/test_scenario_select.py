"""Which units and youths a scenario step works on: every filter on the tiny instance, and the
names that do not exist (with a hint) or a filter that matches nothing, refused."""

from __future__ import annotations

import pytest

from matcher.scenario.select import (
    StepError,
    describe,
    home_region,
    matching_units,
    matching_youths,
    region_names_exist,
    unit_region,
)
from matcher.scenario.spec import DemandWhere, Where
from test_scenario_ops import tiny_instance

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"


def unit_ids(where: dict) -> list[str]:
    """The ids of the tiny instance's units that the filter ``where`` (as written in TOML) picks."""
    return [u.unit_id for u in matching_units(tiny_instance(), Where.model_validate(where))]


def problems(call) -> list[tuple[str, str]]:
    """The (key, message) pairs of the StepError that ``call`` raises."""
    with pytest.raises(StepError) as caught:
        call()
    return caught.value.problems


def test_an_empty_filter_takes_every_unit_in_file_order():
    """``where = {}`` is all units, in units.csv order."""
    assert unit_ids({}) == ["U1", "U2", "U3", "U4"]


@pytest.mark.parametrize("where, expected", [
    ({"unit": "U3"}, ["U3"]),
    ({"providers": ["Alpha"]}, ["U1", "U2"]),
    ({"location": "L2"}, ["U3", "U4"]),
    ({"care_type": "driemilieu"}, ["U2", "U4"]),
    ({"settings": ["thuis", "kleinschalig"]}, ["U3", "U4"]),
    ({"capacity_min": 7, "capacity_max": 8}, ["U1", "U2"]),
    ({"jeugdregio": "JZ13"}, ["U3", "U4"]),
    ({"care_type": "driemilieu", "provider": "Beta"}, ["U4"]),
])
def test_every_given_filter_must_hold(where, expected):
    """Each filter on its own, and two together (both must hold)."""
    assert unit_ids(where) == expected


def test_unknown_names_are_refused_with_a_hint():
    """A misspelt provider and an unknown unit are both named, the provider with what was meant."""
    found = problems(lambda: unit_ids({"providers": ["Alfa"], "units": ["U9"]}))
    assert ("where.providers", "provider 'Alfa' does not exist in this instance (did you mean 'Alpha'?)") in found
    assert any(key == "where.units" and "unit 'U9' does not exist" in message for key, message in found)


def test_a_filter_matching_no_unit_is_a_mistake():
    """Real names that together match nothing (no eetstoornis unit) are refused, not ignored."""
    ((key, message),) = problems(lambda: unit_ids({"care_type": "eetstoornis"}))
    assert key == "where" and message.startswith("matches no unit of this instance (care types eetstoornis-expertisezorg)")


def test_region_names_must_be_in_the_region_map():
    """An unknown jeugdregio and bovenregio are named under the given prefix."""
    found = region_names_exist(tiny_instance(), ["JZ99"], ["Atlantis"], prefix="move")
    assert [key for key, _ in found] == ["move.jeugdregios", "move.bovenregios"]
    assert region_names_exist(tiny_instance(), ["JZ13"], []) == []


def test_regions_of_a_unit_and_of_a_youth():
    """A unit's region is its location's; a youth's that of its home gemeente."""
    inst = tiny_instance()
    assert unit_region(inst, inst.unit_by_id["U3"])[0] == "JZ13"
    assert home_region(inst, inst.youth_by_id["Y07"]) == unit_region(inst, inst.unit_by_id["U3"])


def test_matching_youths_takes_new_youths_unless_occupants_are_asked_for():
    """Positions of the new driemilieu youths; with occupants the three occupants of U2 come along."""
    inst = tiny_instance()
    where = DemandWhere.model_validate({"care_type": "driemilieu"})
    new = matching_youths(inst, where)
    assert [inst.youths[i].youth_id for i in new] == [f"Y{i:02d}" for i in range(7, 17)]
    assert matching_youths(inst, where, occupants=True) == [2, 3, 4, *new]


def test_describe_says_the_filter_in_words():
    """Given filters in field order; no filter at all is 'all'."""
    assert describe(Where.model_validate({"provider": "Alpha", "capacity_min": 3})) == "providers Alpha; at least 3 places"
    assert describe(Where()) == "all"


@pytest.mark.parametrize("written", ["Amsterdam-Amstelland", "amsterdam-amstelland", "Amsterdam"])
def test_a_region_written_by_name_gets_its_code(written):
    """A jeugdregio written by its own name, or by one of its gemeenten's, gets the code meant."""
    (key, message), = problems(lambda: unit_ids({"jeugdregio": written}))
    assert key == "where.jeugdregios"
    assert message == f"jeugdregio '{written}' does not exist in this instance (did you mean 'JZ13' (Amsterdam-Amstelland)?)"


def test_a_demand_filter_names_the_region_code_too():
    """The same hint for the youths' home region, in a demand step."""
    found = problems(lambda: matching_youths(tiny_instance(), DemandWhere.model_validate({"jeugdregio": "Groningen"})))
    assert found == [("where.jeugdregios", "jeugdregio 'Groningen' does not exist in this instance (did you mean 'JZ01' (Groningen)?)")]
