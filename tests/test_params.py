"""SolveParams: one frozen object with every knob of the search, readable from TOML."""

from __future__ import annotations

import dataclasses

import pytest

from matcher.instance import Weights
from matcher.solver.params import SolveParams
from matcher.result import OPTIMAL
from matcher.solver.solve import solve
from strategies import make_instance, make_location, make_unit, make_youth


def test_toml_round_trip_gives_equal_parameters(tmp_path):
    """Parameters written as TOML read back to an equal object, for defaults and changed values."""
    for params in (SolveParams(), SolveParams(full_mip_pairs=10, lp_time_share=0.3, fixing_tolerance=1e-7)):
        path = tmp_path / "params.toml"
        path.write_text(params.to_toml())
        assert SolveParams.from_toml(path) == params


def test_missing_keys_keep_their_default(tmp_path):
    """A TOML file names only what it changes; an integer is accepted for a float knob."""
    path = tmp_path / "params.toml"
    path.write_text("neighbourhood_youths = 300\nlp_time_share = 1\n")
    params = SolveParams.from_toml(path)
    assert params == dataclasses.replace(SolveParams(), neighbourhood_youths=300, lp_time_share=1.0)


def test_unknown_key_is_rejected_with_a_hint(tmp_path):
    """A misspelt key is refused, naming the file, the key and the nearest real one."""
    path = tmp_path / "params.toml"
    path.write_text("full_mip_pair = 5\nno_such_thing = 1\n")
    with pytest.raises(ValueError) as err:
        SolveParams.from_toml(path)
    text = str(err.value)
    assert "params.toml" in text and "full_mip_pair" in text and "'full_mip_pairs'" in text
    assert "no_such_thing" in text


def test_a_value_of_the_wrong_type_is_rejected():
    """A knob gets a value of its own type (no silent truncation of 0.5 to an integer)."""
    with pytest.raises(ValueError, match="full_mip_pairs"):
        SolveParams.from_mapping({"full_mip_pairs": 0.5})
    with pytest.raises(ValueError, match="lp_held"):
        SolveParams.from_mapping({"lp_held": "high"})


def test_parameters_are_frozen():
    """A SolveParams cannot be changed after it is made (one object may serve many solves)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        SolveParams().full_mip_pairs = 1


def test_heuristic_cut_follows_the_unplaced_weights():
    """The cut is the cheapest unplaced cost times the share: 1000 points with default weights,
    and it moves with the instance's weights."""
    assert SolveParams().heuristic_cut(Weights()) == 1000.0
    assert SolveParams().heuristic_cut(Weights(unplaced=(300.0, 2000.0, 4000.0))) == 300.0
    assert SolveParams(heuristic_cut_unplaced=2.5).heuristic_cut(Weights()) == 2500.0


def test_solve_takes_parameters_and_keeps_its_answer():
    """Passing the default parameters explicitly, or ones that force the large-model stages on a
    tiny week, leaves the optimum unchanged (here the side-rule LP already proves it)."""
    instance = make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0599")],
        [make_unit("U1", "L1", max_age_spread=1, capacity=3), make_unit("U2", "L2", capacity=2)],
        [make_youth("Y1", age=12), make_youth("Y2", age=16), make_youth("Y3", age=13)],
    )
    plain = solve(instance, time_limit=10.0)
    same = solve(instance, time_limit=10.0, params=SolveParams())
    forced = solve(instance, time_limit=3.0, params=SolveParams(large_model_columns=0, full_mip_pairs=0,
                                                                restricted_mip_min_pairs=0))
    assert plain.stats["flow_breaks_units"] == 1  # so the stages run
    assert "lp_bound" in forced.stats
    assert forced.status == OPTIMAL and forced.stats["neighbourhoods"] == 0
    assert plain.unit_of == same.unit_of
    assert forced.objective == pytest.approx(plain.objective)
    assert forced.best_bound <= forced.objective + 1e-9
