"""The solving strategy, chosen by measurement on a 2-core machine.

1. Candidate pairs (rules 1-6), vectorised.
2. The transportation relaxation (min-cost flow, OR-Tools): a proven lower bound, unit prices
   (duals, hence a reduced cost per pair) and an assignment that is already optimal when it
   breaks no side rule.
3. A valid assignment fast: where the flow breaks a side rule (age spread, contra-indication,
   siblings at two locations), close the offending pairs and solve the flow again; a greedy
   repair and fill settle what is left.
4. The LP relaxation with the side rules (HiGHS simplex, by column generation from the pairs of
   lowest flow reduced cost): a far tighter bound than the flow, and an LP reduced cost per
   pair. Any assignment using pair p costs at least flow bound + its flow reduced cost, and LP
   bound + its LP reduced cost: pairs above the valid assignment's objective are dropped.
5. Large models then get an exact MIP over the youths where that LP disagrees with the valid
   assignment (relaxation-induced neighbourhood), and one over the pairs of small LP reduced
   cost, whose bound, capped by what the other pairs promise, often proves the optimum.
6. What remains is one exact MIP (HiGHS), warm-started, which proves optimality when it is small
   enough; otherwise neighbourhood MIPs improve the assignment until the time limit.
7. The bound: the best of the flow bound, the LP bound and the MIPs' proven bounds, each capped
   by what the dropped pairs could at best cost.

Each step after the relaxation is a *stage* (``matcher.solver.stages``): a function of the search
state (``matcher.solver.search``) that improves its assignment or its bound; ``STAGES`` lists them in
order. Every knob they use is a field of ``SolveParams`` (``matcher.solver.params``).
"""

from __future__ import annotations


from dataclasses import replace

from matcher.solver.branching import sibling_branches
from matcher.solver.feasibility import objective_of, unit_of
from matcher.solver.flow import Relaxation
from matcher.instance import Instance
from matcher.solver.params import SolveParams
from matcher.solver.reasons import unplaced_reasons
from matcher.result import FEASIBLE, INFEASIBLE, OPTIMAL, Result
from matcher.solver.search import Progress, SearchState, start_search
from matcher.solver.stages import (
    full_mip,
    improve_after_mip,
    side_rule_lp,
    lp_guided_neighbourhood,
    lp_restricted_mip,
    repair_and_fill,
    restricted_flows,
    shrink_by_neighbourhoods,
)

#: The stages that turn the relaxation's assignment into a valid, improved one, in order; they
#: run only when the relaxation's own assignment breaks a side rule.
STAGES = (
    sibling_branches,
    restricted_flows,
    repair_and_fill,
    side_rule_lp,
    lp_guided_neighbourhood,
    lp_restricted_mip,
    shrink_by_neighbourhoods,
    full_mip,
    improve_after_mip,
)


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    threads: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
    params: SolveParams | None = None,
    keep_relaxation: bool = False,
) -> Result:
    """Match the instance's youths to units; returns the best valid assignment found in time.

    With ``keep_relaxation`` the Result carries the search's candidate pairs and flow relaxation
    (``Result.relaxation``), for the marginal value of capacity to start from.
    """
    params = params or SolveParams()
    if keep_relaxation and params.close_blocked_pairs:
        raise ValueError("the relaxation kept for the marginal value of capacity needs every candidate pair")
    state = start_search(instance, time_limit, threads, seed, progress, params)
    if state.broken:
        for stage in STAGES:
            stage(state)
            if state.settled:
                break
    result = result_of(state)
    if keep_relaxation:
        result = replace(result, relaxation=Relaxation(instance, state.cand, state.prices))
    return result


def result_of(state: SearchState) -> Result:
    """The final assignment as a Result: status, objective, bound, places and reasons."""
    cand, instance = state.cand, state.instance
    objective = objective_of(cand, state.pair_of)
    bound = min(state.bound, objective)
    if state.rules.violations(state.pair_of):
        status = INFEASIBLE
    else:
        # Costs are integers of 1e-6 point inside the flow, so "proven" allows that much per youth.
        status = OPTIMAL if objective - bound <= state.tolerance() else FEASIBLE
    units = unit_of(cand, state.pair_of)
    unit_ids = [u.unit_id for u in instance.units] + [None]  # unit -1 (unplaced) is the last: None
    unit_of_id = dict(zip(instance.youth_position, map(unit_ids.__getitem__, units.tolist())))
    reasons = unplaced_reasons(instance, cand, state.rules, units) if state.params.unplaced_reasons else {}
    state.stats.search_seconds = round(state.clock.elapsed(), 3)
    state.clock.report("done", objective, bound)
    return Result(status=status, objective=objective, best_bound=bound, wall_seconds=state.clock.elapsed(),
                  unit_of=unit_of_id, reasons=reasons, stats=state.stats.as_dict())
