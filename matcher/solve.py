"""The solving strategy, chosen by measurement on a 2-core machine.

1. Candidate pairs (rules 1-6), vectorised.
2. The transportation relaxation (min-cost flow, OR-Tools): a proven lower bound, unit prices
   (duals, hence a reduced cost per pair) and an assignment that is already optimal when it
   breaks no side rule.
3. A valid assignment fast: where the flow breaks a side rule (age spread, contra-indication,
   siblings at two locations), close the offending pairs and solve the flow again; a greedy
   repair and fill settle what is left, and a small exact MIP mends the trouble spots.
4. Reduced-cost fixing: any assignment using pair p costs at least flow bound + reduced cost of
   p, so pairs above the valid assignment's objective are dropped.
5. Large models first get the LP relaxation with the side rules (HiGHS simplex) over the pairs
   of lowest reduced cost — a far tighter bound than the flow — and an exact MIP over the youths
   where that LP disagrees with the valid assignment (relaxation-induced neighbourhood).
6. What remains is one exact MIP (HiGHS), warm-started, which proves optimality when it is small
   enough; otherwise neighbourhood MIPs improve the assignment until the time limit.
7. The bound: the best of the flow bound, the LP bound and the MIP's proven bound, each capped
   by what the dropped pairs could at best cost.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from matcher.candidates import build_candidates
from matcher.exact import LARGE_MODEL_COLUMNS, lp_bound, solve_subproblem
from matcher.feasibility import RuleBook, objective_of, residents_by_unit, unit_of
from matcher.flow import SCALE, solve_transportation
from matcher.instance import Instance
from matcher.reasons import unplaced_reasons
from matcher.result import FEASIBLE, INFEASIBLE, OPTIMAL, Result

#: A component with at most this many candidate pairs is solved as one MIP.
FULL_MIP_PAIRS = 250_000
#: Share of the time limit after which the valid-start flows stop (the repair finishes the job).
RESTRICTED_FLOW_SHARE = 0.25
#: Share of the time limit for the first exact step around the flow's broken rules.
TROUBLE_SHARE = 0.15
#: The LP relaxation (side rules included) is solved for a bound over at most this many pairs,
#: with at most this share of the remaining time.
LP_COLUMNS = 800_000
LP_TIME_SHARE = 0.6
#: The valid-start heuristic ignores pairs whose reduced cost exceeds this (points).
HEURISTIC_REDUCED_COST = 1000.0
#: Youths around which one neighbourhood is built.
SEEDS_PER_NEIGHBOURHOOD = 40
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
            progress({"stage": stage, "objective": float(objective), "bound": float(bound), "seconds": time.perf_counter() - t0})

    cand = build_candidates(instance)
    stats: dict = {"youths": len(instance.youths), "units": len(instance.units), "pairs": cand.n_pairs,
                   "movable": int(cand.movable.size), "candidates_seconds": round(time.perf_counter() - t0, 3)}
    flow = solve_transportation(instance, cand, with_reduced_costs=True)
    stats["flow_seconds"] = round(flow.seconds, 3)
    rules = RuleBook(instance, cand)
    pair_of = flow.pair_of
    bound = flow.lower_bound
    report("flow relaxation", objective_of(cand, pair_of), bound)

    broken = rules.violations(pair_of)
    stats["flow_breaks_units"] = len(broken.units)
    stats["flow_breaks_sibling_groups"] = len(broken.groups)
    if broken:
        pair_of, rounds = restricted_flow(instance, cand, rules, pair_of, flow.reduced_cost,
                                          deadline=t0 + RESTRICTED_FLOW_SHARE * time_limit)
        stats["restricted_flow_rounds"] = rounds
        pair_of = rules.fill(rules.repair(pair_of))
        report("valid start", objective_of(cand, pair_of), bound)
        pair_of = _mend_trouble_spots(instance, cand, rules, flow.pair_of, pair_of, broken,
                                      t0 + TROUBLE_SHARE * time_limit, threads, seed)
        report("trouble spots mended", objective_of(cand, pair_of), bound)
        pair_of, bound = _exact_search(instance, cand, rules, flow, pair_of, t0 + time_limit, threads, seed, report, stats)

    objective = objective_of(cand, pair_of)
    still_broken = rules.violations(pair_of)
    bound = min(bound, objective)
    # Costs are integers of 1e-6 point inside the flow, so "proven" allows that much per youth.
    tolerance = max(OPTIMALITY_TOLERANCE * max(abs(objective), 1.0), cand.movable.size / SCALE)
    if still_broken:
        status = INFEASIBLE
    else:
        status = OPTIMAL if objective - bound <= tolerance else FEASIBLE
    units = unit_of(cand, pair_of)
    unit_ids = [u.unit_id for u in instance.units]
    unit_of_id = {y.youth_id: (unit_ids[u] if u >= 0 else None) for y, u in zip(instance.youths, units.tolist())}
    reasons = unplaced_reasons(instance, cand, rules, units)
    stats["search_seconds"] = round(time.perf_counter() - t0, 3)
    report("done", objective, bound)
    return Result(status=status, objective=objective, best_bound=bound,
                  wall_seconds=time.perf_counter() - t0, unit_of=unit_of_id, reasons=reasons, stats=stats)


def restricted_flow(instance, cand, rules, pair_of, reduced_cost=None, max_rounds: int = 12, deadline: float = np.inf):
    """Close the pairs behind each broken side rule and solve the flow again, until none breaks.

    Age spread: the unit keeps the age window that holds most of its residents. Contra-indication:
    the later arrival is kept out. Siblings: the group goes to the location where most of it
    already is (or where its occupants sit). Closing pairs only restricts, so this ends.
    """
    a = cand.arrays
    allowed = np.ones(cand.n_pairs, dtype=bool)
    if reduced_cost is not None:
        # A heuristic may skip pairs that cost far more than the relaxation's choice: fewer arcs.
        allowed = (reduced_cost <= HEURISTIC_REDUCED_COST) | cand.pair_stay
        allowed[pair_of[pair_of >= 0]] = True
    by_unit = np.argsort(cand.pair_unit, kind="stable")
    unit_start = np.searchsorted(cand.pair_unit[by_unit], np.arange(a.unit_capacity.size + 1))
    closed = 0
    rounds = 0
    for rounds in range(1, max_rounds + 1):
        v = rules.violations(pair_of)
        if not v or time.perf_counter() > deadline:
            break
        units = unit_of(cand, pair_of)
        residents = residents_by_unit(units)
        for u in v.units:
            into = by_unit[unit_start[u]:unit_start[u + 1]]
            arriving = into[~cand.pair_stay[into]]
            res = residents[u]
            stayers = res[a.youth_current[res] == u]
            if not rules.unit_ok(u, stayers):
                allowed[arriving] = False
                continue
            if rules.spread[u] >= 0:
                lo, hi = _best_window(a.youth_age[res], a.youth_age[stayers], int(rules.spread[u]))
                ages = a.youth_age[cand.pair_youth[arriving]]
                allowed[arriving[(ages < lo) | (ages > hi)]] = False
            members = set(res.tolist())
            for y in sorted(members):
                if a.youth_current[y] == u:
                    continue
                if rules.conflicts.get(y, set()) & members:
                    allowed[arriving[cand.pair_youth[arriving] == y]] = False
                    members.discard(y)
        for g in v.groups:
            _close_other_locations(cand, rules, g, units, allowed)
        if rounds > 1 and int((~allowed).sum()) == closed:
            break  # nothing left that closing pairs can mend (e.g. a group only partly placed)
        closed = int((~allowed).sum())
        pair_of = solve_transportation(instance, cand, allowed=allowed).pair_of
    return pair_of, rounds


def _close_other_locations(cand, rules, g, units, allowed) -> None:
    """Send a sibling group to one location: where its fixed occupants sit, else the cheapest
    location where every member has a compatible unit and enough places are free for all of
    them (the cheapest overall if none has); the members' pairs elsewhere are closed."""
    a = cand.arrays
    group = rules.groups[g]
    movable = [y for y in group if rules.movable[y]]
    fixed = {int(a.unit_loc[a.youth_current[y]]) for y in group if a.youth_current[y] >= 0 and not rules.movable[y]}
    spans = [np.arange(*np.searchsorted(cand.pair_youth, [y, y + 1])) for y in movable]
    if not spans:
        return
    load = np.bincount(units[units >= 0], minlength=a.unit_capacity.size)
    for y in movable:
        if units[y] >= 0:
            load[units[y]] -= 1
    cost_at: dict[int, float] | None = None
    room_at: dict[int, set[int]] = {}
    for idx in spans:
        best: dict[int, float] = {}
        for p, loc, c in zip(idx.tolist(), a.unit_loc[cand.pair_unit[idx]].tolist(), cand.pair_cost[idx].tolist()):
            best[loc] = min(best.get(loc, np.inf), c)
            u = int(cand.pair_unit[p])
            if load[u] < a.unit_capacity[u]:
                room_at.setdefault(loc, set()).add(u)
        cost_at = best if cost_at is None else {loc: c + best[loc] for loc, c in cost_at.items() if loc in best}
    options = [loc for loc in cost_at if not fixed or loc in fixed]
    if not options:
        keep = -1
    else:
        roomy = [loc for loc in options
                 if sum(a.unit_capacity[u] - load[u] for u in room_at.get(loc, ())) >= len(movable)]
        keep = min(roomy or options, key=lambda loc: (cost_at[loc], loc))
    for idx in spans:
        allowed[idx[(a.unit_loc[cand.pair_unit[idx]] != keep) & ~cand.pair_stay[idx]]] = False


def _mend_trouble_spots(instance, cand, rules, flow_pair_of, pair_of, broken, deadline, threads, seed):
    """One exact MIP over the youths where the flow broke a rule, and those now in the units they
    would most like: it recovers most of what the restricted flows gave up, fast."""
    units = unit_of(cand, flow_pair_of)
    seeds = np.zeros(pair_of.size, dtype=bool)
    for u in broken.units:
        seeds |= units == u
    for g in broken.groups:
        seeds[rules.groups[g]] = True
    seeds &= rules.movable
    free, mask = _neighbourhood(cand, rules, pair_of, seeds, rules.movable)
    if not free.any():
        return pair_of
    out = solve_subproblem(instance, cand, free, pair_of, pair_mask=mask,
                           time_limit=max(0.2, deadline - time.perf_counter()), threads=threads, seed=seed)
    return out.pair_of


def _best_window(ages: np.ndarray, fixed: np.ndarray, spread: int) -> tuple[int, int]:
    """The age window [lo, lo + spread] that holds the fixed residents and most of the others."""
    lo_min = int(fixed.max()) - spread if fixed.size else int(ages.min())
    lo_max = int(fixed.min()) if fixed.size else int(ages.max())
    best, best_lo = -1, lo_min
    for lo in range(lo_min, lo_max + 1):
        n = int(np.count_nonzero((ages >= lo) & (ages <= lo + spread)))
        if n > best:
            best, best_lo = n, lo
    return best_lo, best_lo + spread


def _exact_search(instance, cand, rules, flow, pair_of, deadline, threads, seed, report, stats):
    """Reduced-cost fixing, then one MIP over what is left; while too big, neighbourhood MIPs
    improve the valid assignment, which narrows the fixing, until the time runs out."""
    lower = flow.lower_bound
    free = np.zeros(pair_of.size, dtype=bool)
    free[cand.movable] = True
    rng = np.random.default_rng(seed)
    stats["neighbourhoods"] = 0
    keep = _kept_pairs(cand, flow, pair_of)
    if keep.sum() > LARGE_MODEL_COLUMNS:
        lp_lower, x_lp = _lp_bound(instance, cand, flow, pair_of, free, deadline, threads, report, stats)
        lower = max(lower, lp_lower)
        if x_lp is not None:
            pair_of = _lp_guided(instance, cand, rules, pair_of, x_lp, free, deadline, threads, seed, report, lower, stats)
    while True:
        upper = objective_of(cand, pair_of)
        keep = _kept_pairs(cand, flow, pair_of)  # reduced costs are relative to the FLOW bound
        stats["pairs_after_fixing"] = int(keep.sum())
        remaining = deadline - time.perf_counter()
        if keep.sum() <= FULL_MIP_PAIRS or remaining <= 0.1:
            break
        before = upper
        pair_of = _neighbourhood_search(instance, cand, rules, free, pair_of, keep,
                                        min(deadline, time.perf_counter() + max(2.0, remaining / 4)),
                                        threads, seed + stats["neighbourhoods"], rng, report, lower, flow.pair_of)
        stats["neighbourhoods"] += 1
        if objective_of(cand, pair_of) >= before - 1e-6 and time.perf_counter() >= deadline - 0.1:
            return pair_of, lower
    if keep.sum() > FULL_MIP_PAIRS:
        return pair_of, lower
    dropped = ~keep
    dropped_bound = flow.lower_bound + float(flow.reduced_cost[dropped].min()) if dropped.any() else np.inf
    out = solve_subproblem(instance, cand, free, pair_of, pair_mask=keep,
                           time_limit=max(0.5, deadline - time.perf_counter()), threads=threads, seed=seed,
                           on_improve=lambda obj, bnd: report("MIP", obj, max(lower, min(bnd, dropped_bound))))
    bound = max(lower, min(out.bound, dropped_bound))
    stats["mip_columns"], stats["mip_rows"], stats["mip_seconds"] = out.columns, out.rows, round(out.seconds, 3)
    pair_of = out.pair_of
    report("MIP", objective_of(cand, pair_of), bound)
    if not out.optimal and deadline - time.perf_counter() > 1.0:
        # The MIP stopped early (large models get a share of the time): use the rest to improve.
        pair_of = _neighbourhood_search(instance, cand, rules, free, pair_of, keep, deadline, threads, seed,
                                        np.random.default_rng(seed), report, bound, flow.pair_of)
    return pair_of, bound


def _lp_bound(instance, cand, flow, pair_of, free, deadline, threads, report, stats):
    """A tighter bound for large models, whose MIP may not finish its root LP in time.

    The LP relaxation (side rules included) is solved over the pairs with reduced cost <= T only,
    T chosen so that at most ``LP_COLUMNS`` pairs remain. Any assignment using a dropped pair
    costs >= flow bound + T, so min(LP value, flow bound + T) is a valid lower bound.
    """
    columns = LP_COLUMNS
    rc = flow.reduced_cost
    slack = objective_of(cand, pair_of) - flow.lower_bound
    limit = min(slack, float(np.partition(rc, columns)[columns]) if rc.size > columns else slack)
    keep = (rc <= limit) | cand.pair_stay
    keep[pair_of[pair_of >= 0]] = True
    lp = lp_bound(instance, cand, free, pair_of, pair_mask=keep, threads=threads,
                  time_limit=LP_TIME_SHARE * (deadline - time.perf_counter()))
    if lp is None:
        return flow.lower_bound, None
    lp, x_lp = lp
    dropped = ~keep
    cap = flow.lower_bound + float(rc[dropped].min()) if dropped.any() else np.inf
    lower = max(flow.lower_bound, min(lp, cap))
    stats["lp_bound"] = round(lower, 6)
    stats["lp_columns"] = int(keep.sum())
    stats["lp_capped"] = bool(cap < lp)  # the bound is the cap: more pairs could raise it
    report("LP bound", objective_of(cand, pair_of), lower)
    return lower, x_lp


def _lp_guided(instance, cand, rules, pair_of, x_lp, free, deadline, threads, seed, report, lower, stats):
    """Relaxation-induced neighbourhood: keep every youth where the LP agrees with the valid
    assignment, and solve exactly over the others, with only the pairs the LP uses."""
    held = np.zeros(pair_of.size, dtype=bool)
    has = pair_of >= 0
    held[has] = x_lp[pair_of[has]] > 0.99
    open_ = free & ~held
    for members in rules.groups.values():
        if open_[members].any():
            open_[members] = free[members]
    mask = (x_lp > 0.01) | cand.pair_stay
    stats["lp_guided_youths"] = int(open_.sum())
    if not open_.any():
        return pair_of
    out = solve_subproblem(instance, cand, open_, pair_of, pair_mask=mask, threads=threads, seed=seed,
                           time_limit=max(0.5, 0.5 * (deadline - time.perf_counter())))
    report("LP-guided MIP", objective_of(cand, out.pair_of), lower)
    return out.pair_of


def _kept_pairs(cand, flow, pair_of) -> np.ndarray:
    """Pairs that can still be in a better assignment: any assignment using pair p costs at least
    flow bound + reduced cost of p, so p is kept when that does not exceed the valid assignment's
    objective (plus every stay and every pair in use)."""
    slack = objective_of(cand, pair_of) - flow.lower_bound
    keep = (flow.reduced_cost <= slack + 1e-9) | cand.pair_stay
    keep[pair_of[pair_of >= 0]] = True
    return keep


def _neighbourhood_search(instance, cand, rules, free_comp, pair_of, keep, deadline, threads, seed, rng, report,
                         bound, flow_pair_of):
    """Repeatedly free the youths around a few places where the valid assignment differs from the
    flow optimum (that is where it pays for the side rules), and solve them exactly."""
    rounds = 0
    while time.perf_counter() < deadline - 0.05:
        differs = np.flatnonzero(free_comp & (pair_of != flow_pair_of))
        pool = differs if differs.size else np.flatnonzero(free_comp)
        if pool.size == 0:
            break
        seeds = np.zeros_like(free_comp)
        seeds[rng.choice(pool, size=min(SEEDS_PER_NEIGHBOURHOOD, pool.size), replace=False)] = True
        free, mask = _neighbourhood(cand, rules, pair_of, seeds, free_comp, flow_pair_of)
        mask &= keep
        out = solve_subproblem(instance, cand, free, pair_of, pair_mask=mask,
                               time_limit=min(deadline - time.perf_counter(), 10.0), threads=threads, seed=seed + rounds)
        pair_of = out.pair_of
        rounds += 1
        report(f"neighbourhood {rounds}", objective_of(cand, pair_of), bound)
    return pair_of


def _neighbourhood(cand, rules, pair_of, seeds, free_comp, flow_pair_of=None):
    """Seeds, the youths now in the seeds' cheapest candidate units (and in the units the flow
    gave them), and whole sibling groups."""
    py, pu = cand.pair_youth, cand.pair_unit
    seed_idx = np.flatnonzero(seeds)
    cheap_units: set[int] = set()
    for y in seed_idx.tolist():
        lo, hi = np.searchsorted(py, [y, y + 1])
        best = np.argsort(cand.pair_cost[lo:hi], kind="stable")[:15]
        cheap_units.update(pu[lo:hi][best].tolist())
    units = unit_of(cand, pair_of)
    if flow_pair_of is not None:
        flow_units = unit_of(cand, flow_pair_of)[seed_idx]
        cheap_units.update(flow_units[flow_units >= 0].tolist())
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
