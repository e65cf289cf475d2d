"""The solving stages: each takes the search state and improves its assignment or its bound.

Every stage has the signature ``stage(state) -> None``, reads its knobs from ``state.params``
and does nothing when it does not apply (a small model needs no LP bound, an optimal MIP no
further neighbourhoods). ``matcher.solver.solve.STAGES`` lists them in the order they run.
"""

from __future__ import annotations

import time

import numpy as np

from matcher.solver.exact import Budget, LpPairs, lp_bound
from matcher.solver.feasibility import residents_by_unit, unit_of
from matcher.solver.flow import solve_transportation
from matcher.solver.repair import fill, repair
from matcher.solver.search import SearchState


# --- a valid start --------------------------------------------------------------------------


def restricted_flows(state: SearchState) -> None:
    """Close the pairs behind each broken side rule and solve the flow again, until none breaks.

    Age spread: the unit keeps the age window that holds most of its residents. Contra-indication:
    the later arrival is kept out. Siblings: the group goes to the location where most of it
    already is (or where its occupants sit). Closing pairs only restricts, so this ends.
    """
    p, cand = state.params, state.cand
    deadline = state.clock.at(p.restricted_flow_share)
    # A heuristic may skip pairs that cost far more than the relaxation's choice: fewer arcs.
    allowed = (state.prices.reduced_cost <= p.heuristic_cut(state.instance.settings.weights)) | cand.pair_stay
    allowed[state.pair_of[state.pair_of >= 0]] = True
    by_unit = np.argsort(cand.pair_unit, kind="stable")
    unit_start = np.searchsorted(cand.pair_unit[by_unit], np.arange(cand.arrays.unit_capacity.size + 1))
    closed = 0
    rounds = 0
    for rounds in range(1, p.restricted_flow_rounds + 1):
        v = state.rules.violations(state.pair_of)
        if not v or time.perf_counter() > deadline:
            break
        units = unit_of(cand, state.pair_of)
        residents = residents_by_unit(units)
        for u in v.units:
            _close_arrivals(state, u, residents[u], by_unit[unit_start[u]:unit_start[u + 1]], allowed)
        for g in v.groups:
            _close_other_locations(state, g, units, allowed)
        if rounds > 1 and int((~allowed).sum()) == closed:
            break  # nothing left that closing pairs can mend (e.g. a group only partly placed)
        closed = int((~allowed).sum())
        state.pair_of = solve_transportation(state.instance, cand, allowed=allowed).pair_of
    state.stats.restricted_flow_rounds = rounds


def _close_arrivals(state: SearchState, u: int, res: np.ndarray, into: np.ndarray, allowed: np.ndarray) -> None:
    """For unit u that breaks a rule (residents ``res``, candidate pairs ``into``): close every
    arrival when its stayers alone break a rule, else the arrivals outside its best age window
    and each arrival contra-indicated with an earlier resident."""
    cand, rules = state.cand, state.rules
    a = cand.arrays
    arriving = into[~cand.pair_stay[into]]
    stayers = res[a.youth_current[res] == u]
    if not rules.unit_ok(u, stayers):
        allowed[arriving] = False
        return
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


def _close_other_locations(state: SearchState, g: str, units: np.ndarray, allowed: np.ndarray) -> None:
    """Send a sibling group to one location: where its fixed occupants sit, else the cheapest
    location where every member has a compatible unit and enough places are free for all of
    them (the cheapest overall if none has); the members' pairs elsewhere are closed."""
    cand, rules = state.cand, state.rules
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
    cost_at, room_at = _group_cost_and_room(cand, spans, load)
    options = [loc for loc in cost_at if not fixed or loc in fixed]
    if not options:
        keep = -1
    else:
        roomy = [loc for loc in options
                 if sum(a.unit_capacity[u] - load[u] for u in room_at.get(loc, ())) >= len(movable)]
        keep = min(roomy or options, key=lambda loc: (cost_at[loc], loc))
    for idx in spans:
        allowed[idx[(a.unit_loc[cand.pair_unit[idx]] != keep) & ~cand.pair_stay[idx]]] = False


def _group_cost_and_room(cand, spans, load) -> tuple[dict[int, float], dict[int, set[int]]]:
    """Per location where every member has a candidate: the sum of the members' cheapest pair
    costs there; and per location the candidate units that still have room."""
    a = cand.arrays
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
    return cost_at, room_at


def repair_and_fill(state: SearchState) -> None:
    """Undo what still breaks a rule, then place whoever fits greedily: a valid assignment."""
    state.pair_of = fill(state.rules, repair(state.rules, state.pair_of, state.params.repair_rounds))
    state.report("valid start")


# --- bounds and the exact search ------------------------------------------------------------


def kept_pairs(state: SearchState) -> np.ndarray:
    """Pairs that can still be in a better assignment (plus every stay and every pair in use).

    Any assignment using pair p costs at least flow bound + its flow reduced cost, and, when it
    uses only the side-rule LP's pairs, at least LP value + its LP reduced cost: p is dropped
    when either exceeds the valid assignment's objective.
    """
    objective, p = state.objective(), state.params
    keep = state.prices.reduced_cost <= objective - state.flow.lower_bound + p.fixing_tolerance
    if state.lp is not None:
        keep &= state.lp.reduced_cost <= objective - state.lp.value + p.lp_fixing_tolerance
    keep |= state.cand.pair_stay
    keep[state.pair_of[state.pair_of >= 0]] = True
    return keep


def dropped_pairs_bound(state: SearchState, keep: np.ndarray) -> float:
    """What any assignment using a pair outside ``keep`` costs at least (inf when none is out).

    It uses a pair outside the LP's model (at least flow bound + that pair's reduced cost, and
    what the LP's duals price it at), or only the LP's pairs, one of them dropped: then both
    that pair's flow and its LP bound hold.
    """
    dropped = ~keep
    if not dropped.any():
        return np.inf
    flow_side = state.flow.lower_bound + state.prices.reduced_cost
    if state.lp is None:
        return float(flow_side[dropped].min())
    in_lp = np.isfinite(state.lp.reduced_cost)
    lp_side = state.lp.value + state.lp.reduced_cost - state.params.lp_fixing_tolerance
    outside = state.lp.outside_least
    if outside is None:
        outside = float(flow_side[~in_lp].min(initial=np.inf))
    inside = np.maximum(flow_side, lp_side)[dropped & in_lp]
    return float(min(outside, inside.min(initial=np.inf)))


def side_rule_lp(state: SearchState) -> None:
    """A tighter bound, and reduced costs that fix far more pairs than the flow's.

    The LP relaxation (side rules included) is solved over the pairs with flow reduced cost <= T
    only, T chosen so that at most ``lp_columns`` pairs remain (``lp_capped_columns`` when even
    that would not hold every pair within the slack). Any assignment using a dropped pair costs
    >= flow bound + T, so min(LP value, flow bound + T) is a valid lower bound; where that cap
    is below the LP value, the dropped pairs are priced with the LP's duals as well (a bound
    over them all: ``matcher.solver.exact.outside_bound``), and those priced below zero join the LP
    (at most ``lp_outside_rounds`` times).
    """
    p, cand, flow = state.params, state.cand, state.prices
    rc = flow.reduced_cost
    slack = state.objective() - flow.lower_bound
    within = int(np.count_nonzero(rc <= slack + p.fixing_tolerance))
    columns = p.lp_columns if within <= p.lp_columns else p.lp_capped_columns
    limit = min(slack, float(np.partition(rc, columns)[columns]) if rc.size > columns else slack)
    keep = (rc <= limit + p.fixing_tolerance) | cand.pair_stay
    keep[state.pair_of[state.pair_of >= 0]] = True
    first = None
    start = min(p.lp_start_pairs, p.lp_start_per_youth * int(cand.movable.size))
    if rc.size > start:
        first = (rc <= np.partition(rc, start)[start]) | cand.pair_stay
    lp = None
    for _ in range(1 + p.lp_outside_rounds):
        budget = Budget(time_limit=p.lp_time_share * state.clock.left(), threads=state.threads, params=p)
        pairs = LpPairs(mask=keep, first=first, floor=(flow.lower_bound, rc))
        priced = lp_bound(state.instance, cand, state.free, state.pair_of, pairs, budget)
        if priced is None:
            break
        lp = priced
        if not lp.priced_in.size:
            break
        # Pairs outside the LP that its duals price below zero: the LP over them too may be lower.
        keep[lp.priced_in] = True
        first = lp.columns
        first[lp.priced_in] = True
    if lp is None:
        return
    state.lp = lp
    cap = dropped_pairs_bound(state, keep)
    state.bound = max(state.bound, min(lp.value, cap))
    state.stats.lp_bound = round(state.bound, 6)
    state.stats.lp_columns = int(keep.sum())
    state.stats.lp_capped = bool(cap < lp.value)
    state.report("LP bound")


def lp_guided_neighbourhood(state: SearchState) -> None:
    """Relaxation-induced neighbourhood: keep every youth where the LP agrees with the valid
    assignment, and solve exactly over the others, with only the pairs the LP uses."""
    p, free = state.params, state.free
    if state.lp is None or int(kept_pairs(state).sum()) <= p.lp_guided_min_pairs or state.proven():
        return
    x_lp = state.lp.values
    held = np.zeros(state.pair_of.size, dtype=bool)
    has = state.pair_of >= 0
    held[has] = x_lp[state.pair_of[has]] > p.lp_held
    open_ = free & ~held
    for members in state.rules.groups.values():
        if open_[members].any():
            open_[members] = free[members]
    mask = (x_lp > p.lp_used) | state.cand.pair_stay
    state.stats.lp_guided_youths = int(open_.sum())
    if not open_.any():
        return
    time_limit = max(p.min_mip_seconds, p.lp_guided_share * state.clock.left())
    state.pair_of = state.mip(open_, mask, time_limit, state.seed).pair_of
    state.report("LP-guided MIP")


def lp_restricted_mip(state: SearchState) -> None:
    """An exact MIP over the pairs of LP reduced cost within a share of the slack only (and at
    most ``restricted_mip_pairs`` of them).

    Any assignment using another pair costs at least LP value + that share (or what the flow
    promises), so min(this MIP's bound, that) is a proven bound; when the MIP's answer lies
    within the share, it is the optimum. Worth it only where the kept model is large: the
    smaller model finds the better assignment faster, and that shrinks the fixing for the rest.
    """
    p = state.params
    keep = kept_pairs(state)
    if state.lp is None or int(keep.sum()) <= p.restricted_mip_min_pairs or state.proven():
        return
    slack = state.objective() - state.lp.value
    limit = p.restricted_slack_share * slack + p.lp_fixing_tolerance
    rc = state.lp.reduced_cost[keep]
    if rc.size > p.restricted_mip_pairs:  # a poor start: stay small, the MIP improves it
        limit = min(limit, float(np.partition(rc, p.restricted_mip_pairs)[p.restricted_mip_pairs]))
    mask = keep & (state.lp.reduced_cost <= limit)
    mask |= state.cand.pair_stay
    mask[state.pair_of[state.pair_of >= 0]] = True
    lower, dropped_bound = state.bound, dropped_pairs_bound(state, mask)
    out = state.mip(state.free, mask, max(p.min_mip_seconds, p.restricted_mip_share * state.clock.left()),
                    state.seed)
    state.pair_of = out.pair_of
    state.bound = max(lower, min(out.bound, dropped_bound))
    state.stats.restricted_mip_columns = out.columns
    state.report("MIP")  # the progress lines' words for a MIP (commands/solve.py translates them)


def shrink_by_neighbourhoods(state: SearchState) -> None:
    """While the fixed model is too large for one MIP, neighbourhood MIPs improve the valid
    assignment, which narrows the fixing; stops when the time runs out without progress."""
    p, stats, clock = state.params, state.stats, state.clock
    stats.neighbourhoods = 0
    while True:
        state.keep = kept_pairs(state)  # reduced costs are relative to the FLOW bound
        stats.pairs_after_fixing = int(state.keep.sum())
        remaining = clock.left()
        if state.keep.sum() <= p.full_mip_pairs or remaining <= p.stop_margin_seconds or state.proven():
            return
        before = state.objective()
        round_seconds = max(p.min_round_seconds, p.neighbourhood_round_share * remaining)
        until = min(clock.deadline, time.perf_counter() + round_seconds)
        neighbourhood_search(state, until, state.seed + stats.neighbourhoods, state.rng)
        stats.neighbourhoods += 1
        stuck = state.objective() >= before - p.improvement_tolerance
        if stuck and time.perf_counter() >= clock.deadline - p.stop_margin_seconds:
            return  # the model is still too large: no full MIP


def full_mip(state: SearchState) -> None:
    """One exact MIP over every kept pair, warm-started; its bound is capped by what the
    dropped pairs could at best cost."""
    p, keep = state.params, state.keep
    if keep is None or keep.sum() > p.full_mip_pairs or state.proven():
        return
    dropped_bound = dropped_pairs_bound(state, keep)
    lower = state.bound

    def on_improve(objective: float, bound: float) -> None:
        state.clock.report("MIP", objective, max(lower, min(bound, dropped_bound)))

    out = state.mip(state.free, keep, max(p.min_mip_seconds, state.clock.left()), state.seed, on_improve)
    state.bound = max(lower, min(out.bound, dropped_bound))
    state.stats.mip_columns, state.stats.mip_rows = out.columns, out.rows
    state.stats.mip_seconds = round(out.seconds, 3)
    state.pair_of = out.pair_of
    state.mip_optimal = out.optimal
    state.report("MIP")


def improve_after_mip(state: SearchState) -> None:
    """The MIP stopped early (large models get a share of the time): use the rest to improve."""
    if state.mip_optimal is False and state.clock.left() > state.params.improve_after_mip_seconds:
        neighbourhood_search(state, state.clock.deadline, state.seed, np.random.default_rng(state.seed))


# --- neighbourhoods -------------------------------------------------------------------------


def neighbourhood_search(state: SearchState, deadline: float, seed: int, rng: np.random.Generator) -> None:
    """Repeatedly free the youths around a few places where the valid assignment differs from the
    flow optimum (that is where it pays for the side rules), and solve them exactly."""
    p = state.params
    rounds = 0
    while time.perf_counter() < deadline - p.neighbourhood_margin_seconds:
        differs = np.flatnonzero(state.free & (state.pair_of != state.flow.pair_of))
        pool = differs if differs.size else np.flatnonzero(state.free)
        if pool.size == 0:
            break
        seeds = np.zeros_like(state.free)
        seeds[rng.choice(pool, size=min(p.seeds_per_neighbourhood, pool.size), replace=False)] = True
        free, mask = neighbourhood(state, seeds, with_flow_units=True)
        mask &= state.keep
        time_limit = min(deadline - time.perf_counter(), p.max_neighbourhood_seconds)
        state.pair_of = state.mip(free, mask, time_limit, seed + rounds).pair_of
        rounds += 1
        state.report(f"neighbourhood {rounds}")


def neighbourhood(state: SearchState, seeds: np.ndarray, with_flow_units: bool) -> tuple[np.ndarray, np.ndarray]:
    """Seeds, the youths now in the seeds' cheapest candidate units (and in the units the flow
    gave them), and whole sibling groups; and the pairs into those units."""
    cand, p = state.cand, state.params
    py, pu = cand.pair_youth, cand.pair_unit
    seed_idx = np.flatnonzero(seeds)
    cheap_units: set[int] = set()
    for y in seed_idx.tolist():
        lo, hi = np.searchsorted(py, [y, y + 1])
        best = np.argsort(cand.pair_cost[lo:hi], kind="stable")[: p.cheapest_units]
        cheap_units.update(pu[lo:hi][best].tolist())
    if with_flow_units:
        flow_units = unit_of(cand, state.flow.pair_of)[seed_idx]
        cheap_units.update(flow_units[flow_units >= 0].tolist())
    cu = np.array(sorted(cheap_units), dtype=np.int64)
    free = seeds | (np.isin(unit_of(cand, state.pair_of), cu) & state.free)
    if free.sum() > p.neighbourhood_youths:
        extra = np.flatnonzero(free & ~seeds)
        most = max(0, p.neighbourhood_youths - seeds.sum())
        keep = extra[np.argsort(cand.arrays.youth_unplaced_cost[extra])[::-1][:most]]
        free = seeds.copy()
        free[keep] = True
    for members in state.rules.groups.values():
        if free[members].any():
            free[members] = True
    free &= state.free
    mask = np.isin(pu, cu) | cand.pair_stay
    return free, mask
