"""Where one more place helps most: the relaxation's unit prices against solving again, on
hand-built cases with known savings, generated instances and the shipped national week."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matcher.solver.candidates import build_candidates
from matcher.analysis.check import check
from matcher.solver.flow import solve_transportation
from matcher.analysis.marginal import (
    ResolveBudget, marginal_capacity, new_unit_values, relaxation, unit_prices, unit_values, with_one_more_place,
)
from matcher.input.source import read_instance
from matcher.solver.solve import solve
from matcher.analysis.analysis import analyse
from matcher.output.writing import write_solution
from strategies import instances, make_instance, make_location, make_unit, make_youth


def full_unit_case():
    """One driemilieu place in Amsterdam for three youths from Amsterdam: two wait (urgency 1 and 3)."""
    return make_instance(
        [make_location("L1", "GM0363"), make_location("L2", "GM0014")],
        [make_unit("U1", "L1", setting="kleinschalig", capacity=1), make_unit("U2", "L2", capacity=3)],
        [make_youth(f"Y{i}", "GM0363", min_setting="kleinschalig", urgency=u) for i, u in ((1, 3), (2, 1), (3, 1))],
        max_km={"gesloten": 150.0, "driemilieu": 100.0, "intensieve_ggz": 150.0, "eetstoornis": 250.0},
    )


def test_a_full_unit_with_waiting_youths_saves_an_unplaced_cost():
    """One more place in U1 gives Y2 or Y3 a place: saves 1000 points minus ~0 km; U2 (too far, empty) saves nothing."""
    instance = full_unit_case()
    cand, flow = relaxation(instance)
    values = unit_values(instance, cand, flow)
    assert [v.unit_id for v in values] == ["U1"]
    assert values[0].estimated_saving == pytest.approx(1000.0, abs=1.0)
    assert values[0].takes and values[0].takes[0] in ("Y2", "Y3")


def test_the_saving_is_confirmed_by_solving_again():
    """The re-solve with U1 at 2 places agrees with the estimate, exactly, and places one more youth."""
    instance = full_unit_case()
    result = solve(instance, time_limit=5)
    m = marginal_capacity(instance, result.unit_of, result.objective, result.status)
    best = m["units"][0]
    assert best["unit_id"] == "U1" and best["proof"] == "exact"
    assert best["exact_saving"] == pytest.approx(best["estimated_saving"], abs=1e-5)
    again = solve(with_one_more_place(instance, "U1"), time_limit=5)
    assert best["exact_saving"] == pytest.approx(result.objective - again.objective, abs=1e-6)
    assert len(best["newly_placed"]) == 1 and m["resolves"] >= 1 and m["resolve_seconds"] >= 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_unit_values_are_the_relaxations_value_of_one_more_place(instance):
    """For every unit linked to an unplaced youth, the estimate is the drop of the flow bound with one place more."""
    if not instance.units:
        return
    cand, flow = relaxation(instance)
    price = unit_prices(cand, flow)
    estimate = {v.unit_id: v.estimated_saving for v in unit_values(instance, cand, flow)}
    for u, unit in enumerate(instance.units):
        if np.isnan(price[u]):
            continue
        more = with_one_more_place(instance, unit.unit_id)
        drop = flow.lower_bound - solve_transportation(more, build_candidates(more)).lower_bound
        assert estimate.get(unit.unit_id, 0.0) == pytest.approx(drop, abs=1e-4), unit.unit_id


def test_a_unit_over_capacity_gains_nothing_from_one_place_more():
    """Two occupants in a 1-place unit: a second place still leaves no room, so it saves nothing."""
    instance = make_instance(
        [make_location("L1", "GM0363")],
        [make_unit("U1", "L1", capacity=1)],
        [make_youth("Y1", current_unit_id="U1"), make_youth("Y2", current_unit_id="U1"), make_youth("Y3")],
    )
    cand, flow = relaxation(instance)
    assert unit_prices(cand, flow)[0] < 0  # the price alone would promise a saving
    assert unit_values(instance, cand, flow) == []


def test_a_new_small_unit_takes_the_youths_that_wait_for_it():
    """A new kleinschalig driemilieu unit of 4 places in Amsterdam takes both waiting youths: 2000 points, exact."""
    instance = full_unit_case()
    cand, flow = relaxation(instance)
    best = new_unit_values(instance, cand, flow, places=4)[0]
    assert (best.location_id, best.care_type, best.setting, best.places) == ("L1", "driemilieu", "kleinschalig", 4)
    assert {"Y2", "Y3"} <= set(best.takes)
    result = solve(instance, time_limit=5)
    confirmed = marginal_capacity(instance, result.unit_of, result.objective, result.status)["new_units"][0]
    assert confirmed["proof"] == "exact" and confirmed["exact_saving"] == pytest.approx(2000.0, abs=0.01)
    assert sorted(confirmed["newly_placed"]) == ["Y2", "Y3"]


def test_summary_json_lists_the_marginal_value_of_capacity(tmp_path):
    """write_solution puts the list in summary.json, with the re-solve count and seconds, and report.md a section."""
    instance = full_unit_case()
    result = solve(instance, time_limit=5)
    summary = write_solution(analyse(instance, result, check(instance, result.unit_of)), tmp_path / "s", with_map=False)
    written = json.loads((tmp_path / "s" / "summary.json").read_text(encoding="utf-8"))
    assert written["marginal_capacity"] == json.loads(json.dumps(summary["marginal_capacity"]))
    assert written["marginal_capacity"]["units"][0]["unit_id"] == "U1"
    assert written["marginal_capacity"]["new_units"][0]["location_id"] == "L1"


def test_national_week_estimates_agree_with_the_re_solves():
    """On instances/nl-week the re-solved savings of the top units are exact and equal the estimates."""
    instance = read_instance("instances/nl-week")
    result = solve(instance, time_limit=30, seed=0)
    m = marginal_capacity(instance, result.unit_of, result.objective, result.status)
    solved = [row for row in m["units"] if row["exact_saving"] is not None]
    assert len(solved) == 5 and all(row["proof"] == "exact" for row in solved)
    for row in solved:
        assert row["exact_saving"] == pytest.approx(row["estimated_saving"], rel=1e-3, abs=1e-3)
    savings = [row["estimated_saving"] for row in m["units"]]
    assert savings == sorted(savings, reverse=True) and savings[0] > 500
    assert m["jeugdregios"][0]["best_unit"] == m["units"][0]["unit_id"]


@pytest.mark.parametrize("seed, allow_moves", [(5, False), (6, True)])
def test_the_solves_relaxation_gives_the_same_figures_as_building_it_again(seed, allow_moves):
    """The CLI hands marginal_capacity the solve's own pairs and flow (Result.relaxation): every
    figure is the one it finds by building them again; a relaxation of another instance is not used."""
    from matcher.generator import generate

    instance = generate("stress", seed, youths=400, units=40)
    if allow_moves:
        instance = instance.model_copy(update={"settings": instance.settings.model_copy(update={"allow_moves": True})})
    result = solve(instance, time_limit=20, seed=0, keep_relaxation=True)
    assert result.relaxation is not None and solve(instance, time_limit=20).relaxation is None

    def figures(m):
        return {k: v for k, v in m.items() if not k.endswith("seconds") and k != "relaxation_of_the_solve"
                } | {"units": [{k: v for k, v in row.items() if k != "resolve_seconds"} for row in m["units"]],
                     "new_units": [{k: v for k, v in row.items() if k != "resolve_seconds"} for row in m["new_units"]]}

    reused = marginal_capacity(instance, result.unit_of, result.objective, result.status, known=result.relaxation)
    built = marginal_capacity(instance, result.unit_of, result.objective, result.status)
    assert reused["relaxation_of_the_solve"] and not built["relaxation_of_the_solve"]
    assert reused["units"] and figures(reused) == figures(built)
    other = instance.model_copy()
    assert not marginal_capacity(other, result.unit_of, result.objective, result.status,
                                 known=result.relaxation)["relaxation_of_the_solve"]


def _rows(m: dict) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "resolve_seconds"} for row in m["units"] + m["new_units"]]


@pytest.mark.parametrize("name", ["nl-week", "voorbeeld"])
def test_the_quick_re_solves_give_the_figures_of_re_solving_with_every_pair(name):
    """The re-solves without the blocked pairs (``WITHOUT_BLOCKED_PAIRS``) find, on the shipped instances,
    every figure that re-solving with every candidate pair finds: savings, proofs, who gets a place."""
    from matcher.solver.params import WITHOUT_REASONS

    instance = read_instance(f"instances/{name}")
    result = solve(instance, time_limit=30, seed=0, keep_relaxation=True)
    args = (instance, result.unit_of, result.objective, result.status)
    quick = marginal_capacity(*args, known=result.relaxation)
    full = marginal_capacity(*args, known=result.relaxation, budget=ResolveBudget(params=WITHOUT_REASONS))
    assert quick["resolves"] == full["resolves"] > 0 and quick["resolves_over_budget"] == 0
    assert _rows(quick) == _rows(full)


def test_re_solves_stay_within_their_budget():
    """No time left in the budget: no re-solve, every figure keeps its estimate, and the summary counts them."""
    instance = full_unit_case()
    result = solve(instance, time_limit=5)
    args = (instance, result.unit_of, result.objective, result.status)
    spent = marginal_capacity(*args, budget=ResolveBudget(seconds=0.0))
    assert spent["resolves"] == 0 and spent["resolves_over_budget"] == len(spent["units"]) + len(spent["new_units"]) > 0
    assert all(row["exact_saving"] is None and row["resolve_status"] is None for row in _rows(spent))
    assert spent["resolve_budget_seconds"] == 0.0
    within = marginal_capacity(*args)
    assert within["resolves_over_budget"] == 0 and within["units"][0]["proof"] == "exact"
    assert [row["estimated_saving"] for row in _rows(spent)] == [row["estimated_saving"] for row in _rows(within)]
