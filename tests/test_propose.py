"""matcher propose on the voorbeeld instance: the plan is the best of every plan under the same
samples, never breaks the budget or the targets, round-trips through ``matcher scenario``, is the
same for the same seed with 1 and 2 workers, and bad options are refused (exit 2, nothing written)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.input.source import read_instance
from matcher.propose.actions import broken_rules, build_levers, supply_after
from matcher.propose.checks import options_problems
from matcher.propose.model import build_network, class_of, solve_saa
from matcher.propose.options import load_options, parse_options
from matcher.propose.propose import propose
from matcher.propose.sampling import draw_samples
from matcher.propose.scenario_file import plan_toml
from matcher.scenario.apply import apply_scenario
from matcher.scenario.spec import parse_scenario
from matcher.simulation.parameters import SimParams

MATCHER_LANG = "en"
DATA = Path("tests/data/propose")
OPTIONS = DATA / "voorbeeld-options.toml"
#: Few youths nationally, so that the voorbeeld's 14 places are sometimes short.
PARAMS = SimParams(arrivals={"gesloten": 0.3, "driemilieu": 0.4, "intensieve_ggz": 0.6, "eetstoornis": 0.3})


@pytest.fixture(scope="module")
def voorbeeld():
    return read_instance("instances/voorbeeld")


@pytest.fixture(scope="module")
def options():
    return load_options(OPTIONS)


@pytest.fixture(scope="module")
def proposal(voorbeeld, options):
    return propose(voorbeeld, options, PARAMS, seed=3)


def _every_plan(levers):
    for values in itertools.product(*(range(lv.upper + 1) for lv in levers.levers)):
        yield {lv.name: v for lv, v in zip(levers.levers, values) if v}


def _keeps_the_rules(options, levers, plan) -> bool:
    places, euro = supply_after(levers, plan)
    yearly = sum(euro.values()) * 365 + sum(lv.one_off * plan.get(lv.name, 0) for lv in levers.levers) / options.budget.one_off_years
    closed = sum(n for (_l, _c, s), n in places.items() if s == "gesloten")
    return yearly <= options.budget.per_year + 1e-6 and closed <= options.targets.max_closed_places


def test_the_proposed_plan_is_the_best_of_every_plan(voorbeeld, options):
    """Brute force: every plan that keeps the budget and the target, valued on the same samples;
    none has a lower mean matching cost than the proposer's."""
    levers = build_levers(voorbeeld, options)
    samples = draw_samples(voorbeeld, PARAMS, (), 5, 0, 4)
    classes = sorted({class_of(voorbeeld, y, "gemeente") for s in samples for y in s.youths})
    net = build_network(voorbeeld, levers, classes)
    best = solve_saa(voorbeeld, options, levers, net, samples)
    assert best.status == "Optimal"
    values = {}
    for plan in _every_plan(levers):
        if _keeps_the_rules(options, levers, plan):
            values[tuple(sorted(plan.items()))] = solve_saa(voorbeeld, options, levers, net, samples, fixed=plan).objective
    assert len(values) >= 6  # the budget and the target leave a real choice
    assert best.objective == pytest.approx(min(values.values()), abs=1e-6)
    assert max(values.values()) > min(values.values()) + 1  # the choice matters


def test_the_plans_keep_the_budget_and_the_target(proposal, options):
    """Every proposed plan and every point of the trade-off curve within its budget and the target."""
    assert proposal.plans
    for e in proposal.plans:
        assert _keeps_the_rules(options, proposal.levers, e.plan)
        assert broken_rules(options, proposal.levers, e.plan) == []
    for budget, e in proposal.tradeoff:
        if e is not None:
            at = options.model_copy(update={"budget": options.budget.model_copy(update={"per_year": budget})})
            assert _keeps_the_rules(at, proposal.levers, e.plan)


def test_the_independent_recheck_sees_a_broken_plan(options, proposal):
    """Every lever at its maximum breaks today's cost as a budget; a lever above its bound is named."""
    levers = proposal.levers
    everything = {lv.name: lv.upper for lv in levers.levers}
    tight = options.model_copy(update={"budget": options.budget.model_copy(update={"per_year": levers.base_cost})})
    assert broken_rules(options, levers, everything) == []  # the test budget allows every lever
    assert any(b.startswith("budget") for b in broken_rules(tight, levers, everything))
    too_many = {levers.levers[0].name: levers.levers[0].upper + 1}
    assert any(levers.levers[0].name in b for b in broken_rules(options, levers, too_many))


def test_the_saa_gap_is_reported(proposal, options):
    """The replicates' optima and the best plan's value on fresh samples give the SAA gap."""
    saa = proposal.saa
    assert len(proposal.replicates) == options.model.replicates
    assert saa["gap"] == pytest.approx(saa["upper"] - saa["lower"])
    assert all(r.size["integer"] == len(proposal.levers.levers) for r in proposal.replicates)


def test_the_plan_file_is_a_scenario(voorbeeld, options, proposal):
    """plan.toml is read and applied as any scenario file, and applying it gives the plan's places."""
    for e in proposal.plans:
        text = plan_toml(voorbeeld, options, proposal.levers, e.plan, "plan", "test")
        applied = apply_scenario(voorbeeld, parse_scenario(text, "plan.toml"), seed=0).instance
        places, _euro = supply_after(proposal.levers, e.plan)
        got = {}
        for u in applied.units:
            key = (u.location_id, u.care_type, u.setting)
            got[key] = got.get(key, 0) + u.capacity
        assert got == {p: n for p, n in places.items() if n}


def test_an_empty_plan_is_still_a_scenario(voorbeeld, options, proposal):
    """A plan that changes nothing is written as a step that changes nothing."""
    text = plan_toml(voorbeeld, options, proposal.levers, {}, "niets", "nothing")
    applied = apply_scenario(voorbeeld, parse_scenario(text, "plan.toml"), seed=0).instance
    assert applied.units == voorbeeld.units


def test_same_seed_same_plan_with_one_and_two_workers(tmp_path):
    """The command twice, 1 and 2 workers: the same plans and the same verification."""
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        result = CliRunner().invoke(main, ["propose", "instances/voorbeeld", str(OPTIONS), "--out", str(out),
                                           "--seed", "3", "--weeks", "3", "--replications", "2", "--plans", "2",
                                           "--workers", str(workers)])
        assert result.exit_code == 0, result.output
        outs.append(out)
    a, b = outs
    assert sorted(p.name for p in (a / "plans").iterdir()) == sorted(p.name for p in (b / "plans").iterdir())
    for plan in (a / "plans").iterdir():
        assert plan.read_bytes() == (b / "plans" / plan.name).read_bytes()
    assert (a / "verification" / "summary.csv").read_bytes() == (b / "verification" / "summary.csv").read_bytes()
    for name in ("report.md", "map.html", "tradeoff.png", "proposal.json"):
        assert (a / name).exists()
    page = (a / "map.html").read_text(encoding="utf-8")
    assert "region change" in page and "unit-change" in page  # the waiting layer and the unit badges
    assert not any(f'"{y.youth_id}"' in page for y in read_instance("instances/voorbeeld").youths)


def test_the_plan_runs_through_matcher_scenario(tmp_path, voorbeeld, options, proposal):
    """`matcher scenario` takes the plan file as it is."""
    path = tmp_path / "plan.toml"
    path.write_text(plan_toml(voorbeeld, options, proposal.levers, proposal.plans[0].plan, "plan", "t"), encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", "instances/voorbeeld", str(path), "--out", str(tmp_path / "s"),
                                       "--time-limit", "10", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "plan" / "instance" / "units.csv").exists()


def test_bad_options_every_problem_at_once_nothing_written(tmp_path):
    """An unknown unit, a negative cost, an unknown kind, a budget below today's committed cost and
    a target nobody can meet: one message with file, line and key, exit 2, no folder."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["propose", "instances/voorbeeld", str(DATA / "bad-options.toml"),
                                       "--out", str(out)])
    assert result.exit_code == 2
    text = result.output
    assert "5 problems" in text
    assert "line 11, key action[1].where.units: unit 'ZAA-GESS' does not exist" in text
    assert "line 18, key action[2].cost_per_place_day: must be at least 0" in text
    assert "line 21, key action[3].kind: unknown kind 'opem'" in text
    assert "line 4, key budget.per_year" in text and "below the cost already committed" in text
    assert "line 7, key targets.max_closed_places: no plan can meet this" in text
    assert "Traceback" not in text
    assert not out.exists()


def test_options_syntax_and_missing_tables():
    """A TOML syntax error names its line; a file without budget or actions says so."""
    with pytest.raises(Exception) as err:
        parse_options("name = \n", "x.toml")
    assert "line 1" in str(err.value)
    with pytest.raises(Exception) as err:
        parse_options('name = "a"\n', "x.toml")
    assert "[budget]" in str(err.value) and "[[action]]" in str(err.value)


def test_budget_and_targets_that_clash_are_refused(tmp_path):
    """Budget and minimum each reachable, not together: the model finds no plan, exit 2, nothing written."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["propose", "instances/voorbeeld", str(DATA / "conflicting-options.toml"),
                                       "--out", str(out), "--replications", "0"])
    assert result.exit_code == 2, result.output
    assert "cannot be met together" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_minimum_for_a_named_bovenregio_is_checked(voorbeeld, tmp_path):
    """A minimum names an existing bovenregio (a slip gets a suggestion) and must be reachable with
    the units that may open there."""
    text = (DATA / "conflicting-options.toml").read_text(encoding="utf-8")
    file = tmp_path / "o.toml"
    file.write_text(text.replace('"Midden-Nederland" = 4', '"Midden-Nederlnd" = 4, "Noord-Holland" = 9'), encoding="utf-8")
    options, problems = options_problems(voorbeeld, file)
    assert options is None
    messages = [p.message for p in problems]
    assert any("Midden-Nederlnd" in m and "Midden-Nederland" in m for m in messages)
    assert any("Noord-Holland can have at most 3 places" in m for m in messages)
    assert all(p.line == 8 for p in problems)
