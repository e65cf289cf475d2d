"""The solving strategy, chosen by measurement on a 2-core machine.

1. Candidate pairs (rules 1-6), vectorised.
2. The transportation relaxation (min-cost flow, OR-Tools): a proven lower bound, and an
   assignment that is already optimal wherever it breaks no side rule.
3. The instance falls apart into independent components (youths that share no candidate unit,
   sibling group or contra-indication never influence each other). Components where the flow
   breaks a side rule are solved exactly as a MIP (HiGHS) when small enough, warm-started from
   the repaired flow; larger ones by neighbourhood search: MIPs over the youths around the broken
   rules, everyone else held in place, until the time runs out.
4. The best bound is the sum over components of the MIP's proven bound (where the MIP covered the
   whole component) or else the flow bound.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matcher.candidates import Candidates, build_candidates
from matcher.exact import solve_subproblem
from matcher.feasibility import RuleBook, objective_of, unit_of
from matcher.flow import SCALE, solve_transportation
from matcher.instance import Instance
from matcher.reasons import unplaced_reasons
from matcher.result import FEASIBLE, INFEASIBLE, OPTIMAL, Result

#: A component with at most this many candidate pairs is solved as one MIP.
FULL_MIP_PAIRS = 150_000
#: Neighbourhood size (youths) of one search step in a large component.
NEIGHBOURHOOD_YOUTHS = 600
#: Relative gap under which a result counts as proven optimal (integer cost scaling, see flow).
OPTIMALITY_TOLERANCE = 1e-6

Progress = Callable[[dict], None]


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    threads: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> Result:
    """Match the instance's youths to units; returns the best valid assignment found in time."""
    t0 = time.perf_counter()

    def report(stage: str, objective: float, bound: float) -> None:
        if progress is not None:
            progress({"stage": stage, "objective": objective, "bound": bound, "seconds": time.perf_counter() - t0})

    cand = build_candidates(instance)
    stats: dict = {"youths": len(instance.youths), "units": len(instance.units), "pairs": cand.n_pairs,
                   "movable": int(cand.movable.size), "candidates_seconds": round(time.perf_counter() - t0, 3)}
    flow = solve_transportation(instance, cand)
    stats["flow_seconds"] = round(flow.seconds, 3)
    rules = RuleBook(instance, cand)
    pair_of = flow.pair_of
    report("flow relaxation", objective_of(cand, pair_of), flow.lower_bound)

    broken = rules.violations(pair_of)
    stats["flow_breaks_units"] = len(broken.units)
    stats["flow_breaks_sibling_groups"] = len(broken.groups)
    bound = flow.lower_bound
    if broken:
        pair_of = rules.repair(pair_of)
        report("repaired flow", objective_of(cand, pair_of), bound)
        pair_of, bound = _search(instance, cand, rules, flow.pair_of, pair_of, bound, broken,
                                 t0 + time_limit, threads, seed, report, stats)

    objective = objective_of(cand, pair_of)
    still_broken = rules.violations(pair_of)
    bound = min(bound, objective)
    gap = (objective - bound) / max(abs(objective), 1.0)
    if still_broken:
        status = INFEASIBLE
    else:
        status = OPTIMAL if gap <= OPTIMALITY_TOLERANCE else FEASIBLE
    units = unit_of(cand, pair_of)
    unit_ids = [u.unit_id for u in instance.units]
    unit_of_id = {y.youth_id: (unit_ids[u] if u >= 0 else None) for y, u in zip(instance.youths, units.tolist())}
    reasons = unplaced_reasons(instance, cand, rules, units)
    stats["search_seconds"] = round(time.perf_counter() - t0, 3)
    report("done", objective, bound)
    return Result(status=status, objective=objective, best_bound=bound,
                  wall_seconds=time.perf_counter() - t0, unit_of=unit_of_id, reasons=reasons, stats=stats)


def components(instance: Instance, cand: Candidates, rules: RuleBook) -> np.ndarray:
    """Label of every youth's independent component (-1 for youths nothing can change)."""
    a = cand.arrays
    n_y, n_u = a.youth_care.size, a.unit_capacity.size
    movable = np.zeros(n_y, dtype=bool)
    movable[cand.movable] = True
    rows = [cand.pair_youth]
    cols = [n_y + cand.pair_unit]
    for members in rules.groups.values():
        m = [y for y in members if movable[y]]
        rows.append(np.array(m[:-1], dtype=np.int64))
        cols.append(np.array(m[1:], dtype=np.int64))
    for y, others in rules.conflicts.items():
        for o in others:
            if movable[y] and movable[o]:
                rows.append(np.array([y]))
                cols.append(np.array([o]))
    r, c = np.concatenate(rows), np.concatenate(cols)
    g = coo_matrix((np.ones(r.size), (r, c)), shape=(n_y + n_u, n_y + n_u))
    _, labels = connected_components(g, directed=False)
    out = labels[:n_y].copy()
    out[~movable] = -1
    return out


def _search(instance, cand, rules, flow_pair_of, pair_of, bound, broken, deadline, threads, seed, report, stats):
    """Exact MIPs on the components where the flow broke a side rule; neighbourhoods in big ones."""
    label = components(instance, cand, rules)
    units = unit_of(cand, flow_pair_of)
    touched: set[int] = set()
    for u in broken.units:
        touched.update(int(label[y]) for y in np.flatnonzero(units == u) if label[y] >= 0)
    for g in broken.groups:
        touched.update(int(label[y]) for y in rules.groups[g] if label[y] >= 0)
    pairs_per_label = np.bincount(label[cand.pair_youth], minlength=label.max() + 2 if label.size else 1)
    # Per-component flow bound: every youth's flow arc cost, less its rounding allowance.
    a = cand.arrays
    flow_cost = np.where(flow_pair_of >= 0, cand.pair_cost[np.maximum(flow_pair_of, 0)],
                         np.where(a.youth_current < 0, a.youth_unplaced_cost, 0.0))
    order = sorted(touched, key=lambda c: pairs_per_label[c])
    stats["components_mip"] = 0
    stats["components_neighbourhood"] = 0
    rng = np.random.default_rng(seed)
    for k, comp in enumerate(order):
        free = label == comp
        remaining = deadline - time.perf_counter()
        share = remaining / (len(order) - k)
        if pairs_per_label[comp] <= FULL_MIP_PAIRS:
            out = solve_subproblem(instance, cand, free, pair_of, time_limit=share, threads=threads, seed=seed)
            pair_of = out.pair_of
            flow_bound_c = flow_cost[free].sum() - np.count_nonzero(free) / SCALE
            if out.bound > flow_bound_c:
                bound += out.bound - flow_bound_c
            stats["components_mip"] += 1
            report(f"component {k + 1}/{len(order)} (MIP)", objective_of(cand, pair_of), bound)
        else:
            pair_of = _neighbourhood_search(instance, cand, rules, free, pair_of, broken, time.perf_counter() + share,
                                            threads, seed, rng, report, bound)
            stats["components_neighbourhood"] += 1
    return pair_of, bound


def _neighbourhood_search(instance, cand, rules, free_comp, pair_of, broken, deadline, threads, seed, rng, report, bound):
    """Repeatedly free a few hundred youths around trouble spots and solve them exactly."""
    a = cand.arrays
    seeds = _trouble_youths(cand, rules, pair_of, broken) & free_comp
    rounds = 0
    while time.perf_counter() < deadline - 0.05:
        if not seeds.any():
            # Unplaced youths that have candidates are the next trouble spots.
            seeds = free_comp & (pair_of < 0) & (a.youth_current < 0) & (np.bincount(cand.pair_youth, minlength=pair_of.size) > 0)
            if not seeds.any() or rounds > 0 and rng.random() < 0.3:
                pool = np.flatnonzero(free_comp)
                seeds = np.zeros_like(free_comp)
                seeds[rng.choice(pool, size=min(20, pool.size), replace=False)] = True
        free, mask = _neighbourhood(cand, rules, pair_of, seeds, free_comp)
        out = solve_subproblem(instance, cand, free, pair_of, pair_mask=mask,
                               time_limit=min(deadline - time.perf_counter(), 20.0), threads=threads, seed=seed + rounds)
        improved = out.objective < objective_part(cand, pair_of, free) - 1e-6
        pair_of = out.pair_of
        rounds += 1
        report(f"neighbourhood {rounds}", objective_of(cand, pair_of), bound)
        seeds = np.zeros_like(free_comp)
        if not improved and rounds > 50:
            break
    return pair_of


def objective_part(cand, pair_of, free) -> float:
    sub = np.where(free, pair_of, -1)
    a = cand.arrays
    placed = sub >= 0
    return float(cand.pair_cost[sub[placed]].sum() + a.youth_unplaced_cost[free & ~placed & (a.youth_current < 0)].sum())


def _trouble_youths(cand, rules, pair_of, broken) -> np.ndarray:
    units = unit_of(cand, pair_of)
    out = np.zeros(pair_of.size, dtype=bool)
    for u in broken.units:
        out |= units == u
    for g in broken.groups:
        out[rules.groups[g]] = True
    # also the youths whose flow place was undone by the repair
    return out


def _neighbourhood(cand, rules, pair_of, seeds, free_comp):
    """Seeds, the youths now in the seeds' cheapest candidate units, and whole sibling groups."""
    py, pu = cand.pair_youth, cand.pair_unit
    seed_idx = np.flatnonzero(seeds)
    cheap_units: set[int] = set()
    for y in seed_idx.tolist():
        lo, hi = np.searchsorted(py, [y, y + 1])
        best = np.argsort(cand.pair_cost[lo:hi], kind="stable")[:15]
        cheap_units.update(pu[lo:hi][best].tolist())
    units = unit_of(cand, pair_of)
    cu = np.array(sorted(cheap_units), dtype=np.int64)
    free = seeds | (np.isin(units, cu) & free_comp)
    if free.sum() > NEIGHBOURHOOD_YOUTHS:
        extra = np.flatnonzero(free & ~seeds)
        keep = extra[np.argsort(cand.arrays.youth_unplaced_cost[extra])[::-1][: max(0, NEIGHBOURHOOD_YOUTHS - seeds.sum())]]
        free = seeds.copy()
        free[keep] = True
    for members in rules.groups.values():
        if free[members].any():
            free[members] = True
    free &= free_comp
    mask = np.isin(pu, cu) | cand.pair_stay
    return free, mask
