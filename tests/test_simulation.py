"""A few simulated weeks of nl-stock: youths are conserved, no unit is ever over capacity, the
independent checker passes, and the random numbers are common to every scenario."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from matcher.input.source import read_instance
from matcher.simulation.parameters import SimParams
from matcher.simulation.plan import Plan
from matcher.simulation.runner import run_here
from matcher.simulation.scenarios import week_zero
from matcher.simulation.summary import summarise

WEEKS = 4


@pytest.fixture(scope="module")
def stock():
    return read_instance("instances/nl-stock")


@pytest.fixture(scope="module")
def plan(stock):
    scenarios = week_zero(stock, ["instances/scenarios/kleinschalig-2030.toml"])
    return Plan(scenarios, SimParams(check_every_weeks=1, escalate_after_weeks=2, leave_after_weeks=3),
                seed=7, replications=1, weeks=WEEKS)


@pytest.fixture(scope="module")
def outputs(plan):
    return run_here(plan.specs())


def test_youths_are_conserved(outputs):
    """Per run and care type: arrivals = placed + still waiting + left the list."""
    for o in outputs:
        totals = defaultdict(Counter)
        for week, care_type, arrivals, placed, _, waiting, *_rest, left in o.weeks:
            totals[care_type].update({"arrivals": arrivals, "placed": placed, "left": left})
            if week == WEEKS - 1:
                totals[care_type]["waiting"] = waiting
        for care_type, t in totals.items():
            assert t["arrivals"] == t["placed"] + t["waiting"] + t["left"], (o.key, care_type)
        assert sum(t["left"] for t in totals.values()) > 0  # leaving after 3 weeks did happen


def test_episodes_add_up(outputs):
    """Every non-initial episode is placed, left, or still waiting at the end, never two of these."""
    for o in outputs:
        for e in o.episodes:
            placed, left = e[6], e[10]
            assert not (placed is not None and left is not None)
            if e[1]:
                assert placed == 0 and e[7] is not None


def test_no_unit_over_capacity_in_any_week(plan, outputs):
    """Recounted from the episodes: residents of a unit in week w never exceed its capacity."""
    for o, simulated in zip(outputs, plan.scenarios):
        capacity = {u.unit_id: u.capacity for u in simulated.instance.units}
        for week in range(WEEKS):
            present = Counter(e[7] for e in o.episodes if e[6] is not None and e[6] <= week
                              and (e[9] is None or week < e[9]))
            assert all(n <= capacity[unit] for unit, n in present.items()), (o.key, week)


def test_weeks_agree_with_episodes(outputs):
    """Occupied places per week in weeks.csv equal the residents recounted from the episodes."""
    for o in outputs:
        for week in range(WEEKS):
            from_weeks = sum(r[6] for r in o.weeks if r[0] == week)
            from_episodes = sum(1 for e in o.episodes if e[6] is not None and e[6] <= week
                                and (e[9] is None or week < e[9]))
            assert from_weeks == from_episodes


def test_common_random_numbers(outputs):
    """In one replication the baseline and the scenario see the very same arrivals."""
    def arrivals(o):
        return sorted((e[0], e[2], e[3], e[5]) for e in o.episodes if not e[1] and e[5] > 0)
    baseline, scenario = outputs
    assert arrivals(baseline) and arrivals(baseline) == arrivals(scenario)


def test_replications_differ(plan, stock):
    """Another replication draws other arrivals (the seed per replication is its own)."""
    two = Plan(plan.scenarios[:1], plan.params, seed=7, replications=2, weeks=2)
    a, b = run_here(two.specs())
    assert [e[0:4] for e in a.episodes if e[5] > 0] != [e[0:4] for e in b.episodes if e[5] > 0]


def test_week_zero_answer_is_remembered_and_is_a_fresh_solves(plan, monkeypatch):
    """Week 0 is the same problem in every replication: the second run takes the remembered
    answer, and its output is what a fresh solve gives (the memory emptied between runs)."""
    from matcher.simulation import week

    two = Plan(plan.scenarios[:1], plan.params, seed=7, replications=2, weeks=2)
    solves = []
    real_solve = week.solve
    monkeypatch.setattr(week, "solve", lambda *a, **k: solves.append(1) or real_solve(*a, **k))
    week._WEEK_ZERO.clear()
    remembered = run_here(two.specs())
    solves_remembered = len(solves)
    fresh = []
    for spec in two.specs():
        week._WEEK_ZERO.clear()
        fresh += run_here([spec])
    assert len(solves) - solves_remembered == solves_remembered + 1  # one week-0 solve saved
    assert [(o.weeks, o.episodes) for o in remembered] == [(o.weeks, o.episodes) for o in fresh]


def test_summary_pairs_scenario_with_baseline(plan, outputs):
    """The scenario's difference to the baseline is its mean minus the baseline's (one replication)."""
    summary = summarise(plan, outputs)
    base, scen = summary[("baseline", 0)], summary[("kleinschalig-2030", 0)]
    assert base["cost_per_year_eur"].diff_mean is None
    diff = scen["cost_per_year_eur"].diff_mean
    assert diff == pytest.approx(scen["cost_per_year_eur"].mean - base["cost_per_year_eur"].mean)


def test_scenario_reindicates_later_arrivals(stock):
    """A scenario's demand steps apply to every week's arrivals: kleinschalig-2030 leaves no
    arrival that needs a large residential group, and the same youths arrive."""
    from matcher.simulation.arrivals import reindicated, week_arrivals
    from matcher.simulation.parameters import default_arrivals

    _, scenario = week_zero(stock, ["instances/scenarios/kleinschalig-2030.toml"])
    drawn = week_arrivals(7, 0, 5, default_arrivals(), True)
    after = reindicated(drawn, scenario.demand_steps, scenario.instance.regions, 7, 0, 5)
    assert any(a.youth.min_setting == "residentieel" for a in drawn)
    assert not any(a.youth.min_setting == "residentieel" for a in after)
    assert [a.youth.youth_id for a in after] == [a.youth.youth_id for a in drawn]


def test_arrivals_are_the_youths_validation_gives():
    """A year of arrivals (built without pydantic's checks) at 1.5x the national inflow, with
    sibling groups: each youth equals, field by field and type by type, the one validation makes
    of its values."""
    from matcher.instance import Youth
    from matcher.simulation.arrivals import week_arrivals

    params = SimParams()
    rates = {c: 1.5 * params.arrival_rate(c, 1) for c in params.arrivals}
    seen = 0
    for week in range(1, 53):
        for arrival in week_arrivals(3, 1, week, rates, siblings=True):
            validated = Youth.model_validate(arrival.youth.model_dump())
            assert validated == arrival.youth
            assert all(type(getattr(validated, f)) is type(getattr(arrival.youth, f)) for f in Youth.model_fields)
            seen += 1
    assert seen > 4000


def test_stays_drawn_together_are_the_stays_drawn_one_by_one():
    """A week's stays are drawn per stay law in one array operation: each equals the stay of
    that youth drawn alone (law, factor, whole weeks), for every unit of nl-stock."""
    import numpy as np

    from matcher.simulation.engine import start
    from matcher.simulation.stays import whole_weeks
    from matcher.simulation.world import RunSpec

    stock = read_instance("instances/nl-stock")
    world, _ = start(RunSpec("baseline", 0, stock, (), SimParams(), 0, 0, 1))
    units = list(world.units) * 3
    z = np.random.default_rng(5).standard_normal(len(units)).tolist()
    alone = [int(whole_weeks(float(world.spec.params.stay_law(u.care_type, u.setting).weeks(np.array([v]))[0])
                             * world.stay_factor[u.unit_id])) for u, v in zip(units, z)]
    assert world.whole_stays(units, z) == alone
