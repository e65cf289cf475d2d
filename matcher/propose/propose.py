"""``propose(instance, options, params, seed)``: the plans, their estimates, the SAA gap and the
trade-off curve — the model part of ``matcher propose``, before any simulation.

Sample average approximation as Nickel et al. (2016) and Mak, Morton & Wood (1999) use it: the
model is solved ``replicates`` times, each on its own ``samples`` demand states; every plan found
(and today's supply, the empty plan) is then valued on ``evaluation_samples`` fresh states with
the plan fixed. The mean of the replicates' optima estimates a lower bound of the true optimum,
the best plan's value on the fresh states an upper bound; their difference is the SAA gap, and
the spread of the optima says how much the optimum moves between independent samples. The
replicates' MIP bounds (not their incumbents) make the lower estimate, so that a MIP stopped at
its gap or time limit cannot make the gap look smaller than it is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy import stats

from matcher.i18n import _
from matcher.instance import Instance
from matcher.errors import InternalError
from matcher.propose.actions import DAYS_PER_YEAR, Levers, broken_rules, build_levers, supply_after
from matcher.propose.checks import check_reachable
from matcher.propose.model import Network, Solved, build_network, class_of, solve_saa
from matcher.propose.options import Options, OptionsError
from matcher.propose.sampling import Sample, draw_samples
from matcher.simulation.parameters import SimParams

#: Evaluation samples are drawn from indices far from the replicates' own.
EVALUATION_FIRST = 1_000_000


@dataclass(frozen=True)
class Estimate:
    """A plan valued on the evaluation samples (model estimates, with a 95 % interval of the mean cost)."""

    plan: dict[str, int]
    cost: float                  # mean weekly matching cost, points
    cost_interval: tuple[float, float]
    costs: tuple[float, ...]     # per evaluation sample (paired between plans)
    unplaced: float              # mean youths without a place at a random week
    mean_wait_weeks: float       # unplaced / arrivals per week (Little's law)
    km: float
    own_jeugdregio: float
    setting_steps: float
    funded_per_year: float       # funded places x cost per day x 365
    occupied_per_year: float     # expected occupied places x cost per day x 365
    one_off: float
    places_used: dict            # supply point -> mean places used
    unplaced_by_home: dict       # home gemeente -> mean youths without a place
    km_by_home: dict             # home gemeente -> (placed, km x placed), summed over the samples


@dataclass(frozen=True)
class Proposal:
    """Everything the model part found."""

    levers: Levers
    replicates: tuple[Solved, ...]
    plans: tuple[Estimate, ...]          # distinct plans of the replicates, best first
    today: Estimate                      # the empty plan
    saa: dict                            # lower, lower_sd, upper, gap and their intervals
    tradeoff: tuple[tuple[float, Estimate | None], ...]
    seconds: float
    network_size: dict


def mean_interval(values, level: float = 0.95) -> tuple[float, float]:
    """A t interval for the mean of ``values`` (the mean itself twice for one value)."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return (float(v.mean()), float(v.mean())) if v.size else (math.nan, math.nan)
    half = stats.t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size)
    return float(v.mean() - half), float(v.mean() + half)


def estimate(instance: Instance, options: Options, levers: Levers, net: Network, samples: list[Sample],
             plan: dict[str, int], arrivals_per_week: float) -> Estimate:
    """``plan`` valued on ``samples``: the matching of each, with the plan fixed."""
    solved = solve_saa(instance, options, levers, net, samples, fixed=plan)
    if not solved.per_sample:
        raise OptionsError([options.problem(None, _no_solution(solved.status))])
    f = solved.per_sample
    costs = tuple(s["cost"] for s in f)
    used = np.mean([s["used"] for s in f], axis=0)
    places, euro = supply_after(levers, plan)
    price = {p: euro.get(p, 0.0) / places[p] if places.get(p) else 0.0 for p in net.points}
    homes: dict[str, float] = {}
    km: dict[str, tuple[float, float]] = {}
    for s in f:
        for g, n in s["unplaced_by_home"].items():
            homes[g] = homes.get(g, 0.0) + n / len(f)
        for g, (placed, total) in s["km_by_home"].items():
            before = km.get(g, (0.0, 0.0))
            km[g] = (before[0] + placed, before[1] + total)
    unplaced = float(np.mean([s["unplaced"] for s in f]))
    return Estimate(
        plan=dict(plan), cost=float(np.mean(costs)), cost_interval=mean_interval(costs), costs=costs, unplaced=unplaced,
        mean_wait_weeks=unplaced / arrivals_per_week if arrivals_per_week else 0.0,
        km=float(np.mean([s["km"] for s in f])), own_jeugdregio=float(np.mean([s["own_jeugdregio"] for s in f])),
        setting_steps=float(np.mean([s["setting_steps"] for s in f])),
        funded_per_year=sum(euro.values()) * DAYS_PER_YEAR,
        occupied_per_year=float(sum(used[j] * price[p] for j, p in enumerate(net.points))) * DAYS_PER_YEAR,
        one_off=sum(lv.one_off * plan.get(lv.name, 0) for lv in levers.levers),
        places_used={p: float(used[j]) for j, p in enumerate(net.points)}, unplaced_by_home=homes, km_by_home=km)


def _no_solution(status: str) -> str:
    return _("no plan found within the model's time limit (HiGHS: {status}); give [model] time_limit more seconds").format(
        status=status)


def _checked(options: Options, levers: Levers, plans: list[dict[str, int]]) -> None:
    """Every plan the model chose re-checked without it; a broken rule is a bug (exit 3)."""
    for plan in plans:
        broken = broken_rules(options, levers, plan)
        if broken:
            raise InternalError("the model's plan breaks its own rules: " + "; ".join(broken))


def arrivals_per_week(params: SimParams) -> float:
    return sum(params.arrivals.values())


def propose(instance: Instance, options: Options, params: SimParams, seed: int = 0, threads: int = 1,
            say=None) -> Proposal:
    """Solve the replicates, value their plans, estimate the SAA gap and trace the trade-off;
    ``say(text)`` hears what is done as it is done."""
    t0 = time.perf_counter()
    say = say or (lambda _text: None)
    levers = build_levers(instance, options)
    check_reachable(instance, options, levers)
    m = options.model
    steps = tuple(enumerate(options.demand, start=1))
    runs = [draw_samples(instance, params, steps, seed, r * m.samples, m.samples) for r in range(m.replicates)]
    fresh = draw_samples(instance, params, steps, seed, EVALUATION_FIRST, m.evaluation_samples)
    classes = sorted({class_of(instance, y, m.demand_points) for s in [*fresh, *sum(runs, [])] for y in s.youths})
    net = build_network(instance, levers, classes)
    say(_("{classes} demand classes, {points} supply points, {arcs} arcs ({seconds} s)").format(
        classes=len(net.classes), points=len(net.points), arcs=net.arc_class.size, seconds=f"{time.perf_counter() - t0:.0f}"))
    replicates = []
    for r, run in enumerate(runs, start=1):
        replicates.append(solve_saa(instance, options, levers, net, run, threads=threads))
        say(_("replicate {r} of {n}: {status}, {seconds} s").format(
            r=r, n=len(runs), status=replicates[-1].status, seconds=f"{replicates[-1].seconds:.0f}"))
    if any(not r.per_sample for r in replicates):
        raise OptionsError([options.problem("budget", _no_solution(replicates[0].status))])
    _checked(options, levers, [r.plan for r in replicates])
    rate = arrivals_per_week(params)
    distinct = list({tuple(sorted(r.plan.items())): r.plan for r in replicates}.values())
    plans = sorted((estimate(instance, options, levers, net, fresh, p, rate) for p in distinct),
                   key=lambda e: (e.cost, sorted(e.plan.items())))
    today = estimate(instance, options, levers, net, fresh, {}, rate)
    say(_("{n} plans and today valued on {k} fresh states ({seconds} s)").format(
        n=len(plans), k=len(fresh), seconds=f"{time.perf_counter() - t0:.0f}"))
    lower = [r.bound for r in replicates]   # the MIP's bound: a lower bound even when the gap is not 0
    saa = {"lower": float(np.mean(lower)), "lower_sd": float(np.std(lower, ddof=1)) if len(lower) > 1 else 0.0,
           "lower_interval": mean_interval(lower), "upper": plans[0].cost, "upper_interval": plans[0].cost_interval}
    saa["gap"] = saa["upper"] - saa["lower"]
    first = next(e for e in plans if e.plan == replicates[0].plan)
    curve = tradeoff(instance, options, levers, net, (runs[0], fresh), rate, threads) + ((options.budget.per_year, first),)
    return Proposal(levers, tuple(replicates), tuple(plans), today, saa, curve, time.perf_counter() - t0,
                    {"classes": len(net.classes), "points": len(net.points), "arcs": int(net.arc_class.size)})


def budgets_of(options: Options, levers: Levers) -> list[float]:
    """The budgets of the trade-off curve below the budget itself: from today's cost (or the
    committed cost, if the budget is below today's) up to the budget, evenly spaced."""
    points = options.model.tradeoff_points
    top = options.budget.per_year
    low = min(levers.base_cost, top)
    return [float(b) for b in np.linspace(low, top, points + 1)[:-1]] if points and low < top else []


def tradeoff(instance: Instance, options: Options, levers: Levers, net: Network, samples: tuple,
             rate: float, threads: int) -> tuple:
    """(budget, the best plan's estimate or None when no plan meets the targets) per budget below
    the options' own."""
    run, fresh = samples
    curve = []
    for budget in budgets_of(options, levers):
        at = options.model_copy(update={"budget": options.budget.model_copy(update={"per_year": budget})})
        solved = solve_saa(instance, at, levers, net, run, threads=threads)
        _checked(at, levers, [solved.plan] if solved.per_sample else [])
        curve.append((budget, estimate(instance, at, levers, net, fresh, solved.plan, rate) if solved.per_sample else None))
    return tuple(curve)
