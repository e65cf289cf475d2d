"""The benchmark's tiers: the same instance for the same seed, the sizes issue 13 names, a scarce
tier that really has waiting lists, the shipped instances as they are, and the seeds option."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks folder is not installed

from benchmarks.instances import FULL_TIERS, QUICK_TIERS, TIERS, shortages  # noqa: E402
from benchmarks.run import parse_seeds  # noqa: E402
from strategies import make_instance, make_location, make_unit, make_youth  # noqa: E402


def _new(instance) -> int:
    return sum(y.current_unit_id is None for y in instance.youths)


@pytest.mark.parametrize("name", ["S", "week", "scarce"])
def test_a_tier_draws_the_same_instance_for_the_same_seed_and_another_for_another(name):
    """Seed 2 twice gives equal instances; seed 3 gives a different one."""
    build = TIERS[name].build
    assert build(2) == build(2)
    assert build(2) != build(3)


def test_dense_and_moves_have_the_sizes_of_issue_13():
    """dense: 5,000 youths (2,500 new) on 1,000 units, occupants stay; moves: 5,000 on 2,500
    units with moves allowed, and the old name L draws exactly the moves instance."""
    dense, moves = TIERS["dense"].build(1), TIERS["moves"].build(1)
    assert (len(dense.youths), _new(dense), len(dense.units)) == (5000, 2500, 1000)
    assert not dense.settings.allow_moves
    assert (len(moves.youths), _new(moves), len(moves.units)) == (5000, 2500, 2500)
    assert moves.settings.allow_moves
    assert TIERS["L"].build(1) == moves


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_scarce_tier_has_more_requests_than_free_places_in_some_care_type_and_region(seed):
    """In every benchmark seed, some care type has more new requests than free places
    nationally and so do several (care type, bovenregio) cells, while another care type has room."""
    instance = TIERS["scarce"].build(seed)
    short = shortages(instance)
    national = {care for care, area in short if area == "NL"}
    assert national, "no care type is short of places"
    assert sum(area != "NL" for _, area in short) >= 3
    care_types = {u.care_type for u in instance.units}
    assert care_types - national, "every care type is short: that is not a waiting list but a collapse"
    for (care, area), (requests, free) in short.items():
        assert requests > free


def test_shortages_counts_requests_against_the_places_occupants_leave_free():
    """A unit of two in Amsterdam with one occupant and two requests from Amsterdam: short by
    one there and nationally; the other care type's unit has room and is not listed."""
    units = [make_unit("U1", "L1", capacity=2), make_unit("U2", "L1", care_type="gesloten", setting="gesloten")]
    youths = [make_youth("O1", current_unit_id="U1"), make_youth("Y1"), make_youth("Y2")]
    instance = make_instance([make_location("L1", "GM0363")], units, youths)
    amsterdam = instance.regions.bovenregio_of_gemeente("GM0363")
    assert shortages(instance) == {("driemilieu", "NL"): (2, 1), ("driemilieu", amsterdam): (2, 1)}


def test_shipped_tiers_are_the_same_folder_every_seed_and_vary_the_solvers_seed():
    """nl-week and nl-stock read their shipped folders whatever the seed, and pass the seed to the
    solvers; generated tiers run the solvers with seed 0, as a user does."""
    week = TIERS["nl-week"]
    assert week.build(1) == week.build(2)
    assert len(week.build(1).units) == 406
    assert TIERS["nl-stock"].build(1).settings.allow_moves
    assert (week.solver_seed(2), TIERS["dense"].solver_seed(2)) == (2, 0)


def test_the_full_run_has_every_tier_of_issue_13_and_the_quick_run_stays_small():
    """Full: dense, moves, scarce, XL and both shipped instances; quick: no tier above 3,000
    youths with moves or density, every quick limit at most 20 s."""
    assert {"dense", "moves", "scarce", "XL", "nl-week", "nl-stock"} <= set(FULL_TIERS)
    assert not {"dense", "moves", "L", "XL", "nl-stock"} & set(QUICK_TIERS)
    assert all(TIERS[t].quick.matcher <= 20 and (TIERS[t].quick.plain_mip or 0) <= 20 for t in QUICK_TIERS)


def test_seeds_come_from_seeds_or_seed_or_the_modes_default():
    """``--seeds 1,2,3``, ``--seed 7``, and 1,2,3 by default; bad lists refused."""
    assert parse_seeds("1,2,3", None) == (1, 2, 3)
    assert parse_seeds(None, 7) == (7,)
    assert parse_seeds(None, None) == (1, 2, 3)
    for bad in ("1,x", "2,2"):
        with pytest.raises(ValueError):
            parse_seeds(bad, None)
    with pytest.raises(ValueError):
        parse_seeds("1", 1)
