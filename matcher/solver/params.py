"""The solving strategy's knobs, in one frozen object (PyVRP's ``SolveParams`` is the model).

Every share, cap, size and tolerance the search uses lives here by name, with the value that was
chosen by measurement on a 2-core machine. ``solve(..., params=SolveParams(...))`` runs the same
strategy with other values; ``SolveParams.from_toml(path)`` reads them from a TOML file whose
keys are the field names (missing keys keep their default, unknown keys are refused).
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from matcher.i18n import _
from matcher.instance import Weights
from matcher.wording import did_you_mean


@dataclass(frozen=True)
class SolveParams:
    """What the search does with its time, how large its models get, and when it is done."""

    # --- shares of the time limit ---------------------------------------------------------
    #: The valid-start flows stop after this share of the time limit (repair finishes the job).
    restricted_flow_share: float = 0.25
    #: The side-rule LP of a large model gets at most this share of the remaining time.
    lp_time_share: float = 0.6
    #: The MIP over the youths where the LP disagrees gets this share of the remaining time.
    lp_guided_share: float = 0.5
    #: The MIP over the pairs of small LP reduced cost gets this share of the remaining time.
    restricted_mip_share: float = 0.5
    #: While the model is too large for one MIP, each neighbourhood round gets this share.
    neighbourhood_round_share: float = 0.25
    #: A MIP above ``large_model_columns`` gets this share of its time: HiGHS' root cut rounds
    #: on very large models overrun its own limit (measured up to 3x).
    large_model_time_share: float = 0.5

    # --- model sizes ----------------------------------------------------------------------
    #: A component with at most this many candidate pairs (after fixing) is solved as one MIP.
    full_mip_pairs: int = 250_000
    #: The side-rule LP is solved over at most this many pairs (those of lowest reduced cost;
    #: column generation keeps it fast, the model build and memory set the limit: 20,000 x
    #: 8,000 peaks at 1.7 GB with it).
    lp_columns: int = 1_600_000
    #: ... but over this many when even ``lp_columns`` pairs would leave the LP capped: a capped
    #: bound hardly rises with more pairs, and the time is better spent on the MIPs (20,000 x
    #: 8,000 on a loaded machine: 1.6M pairs left no time for any MIP).
    lp_capped_columns: int = 800_000
    #: The side-rule LP starts with the pairs of lowest flow reduced cost, ``lp_start_per_youth``
    #: per decided youth but at most ``lp_start_pairs``, and prices in the others (column
    #: generation): on 250k pairs 4 s became 1 s; on the national week (4,000 pairs) starting
    #: with 1,000 instead of all took 41 -> 36 ms.
    lp_start_pairs: int = 30_000
    lp_start_per_youth: int = 3
    #: MIPs above this many pairs get only a share of their time (``large_model_time_share``).
    large_model_columns: int = 100_000
    #: A kept model above this many pairs first gets the MIP over the youths where the LP
    #: disagrees with the valid start (with the siblings' tight LP that MIP is small and lands
    #: near the optimum, which shrinks the fixing for the full MIP: simulated national weeks
    #: 53 -> 42 ms median).
    lp_guided_min_pairs: int = 0
    #: A kept model above this many pairs first gets the MIP over the pairs of LP reduced cost
    #: within ``restricted_slack_share`` of the slack (objective - LP bound).
    restricted_mip_min_pairs: int = 20_000
    restricted_slack_share: float = 0.5
    #: ... but over at most this many pairs (lowest LP reduced cost), whatever the slack.
    restricted_mip_pairs: int = 40_000
    #: Above this many columns HiGHS' presolve costs more than it saves on this model
    #: (measured: on 160k columns it took 34 s and removed <1 % of the columns).
    presolve_max_columns: int = 20_000

    # --- neighbourhoods -------------------------------------------------------------------
    #: Youths around which one neighbourhood is built.
    seeds_per_neighbourhood: int = 40
    #: Neighbourhood size (youths) of one search step in a large component.
    neighbourhood_youths: int = 600
    #: A seed's cheapest candidate units whose residents join its neighbourhood.
    cheapest_units: int = 15

    # --- rounds ---------------------------------------------------------------------------
    #: Rounds of closing pairs and solving the flow again (the LP-guided and LP-restricted MIPs
    #: do the rest better: 12 -> 3 saved 1.5-2.5 s CPU on 5,000 x 2,500 with moves).
    restricted_flow_rounds: int = 3
    #: Rounds of undoing arrivals in the greedy repair.
    repair_rounds: int = 1000

    # --- seconds --------------------------------------------------------------------------
    #: The least time the full MIP and the LP-guided MIP get.
    min_mip_seconds: float = 0.5
    #: The least time one neighbourhood round gets while the model is too large.
    min_round_seconds: float = 2.0
    #: The most time one neighbourhood MIP gets.
    max_neighbourhood_seconds: float = 10.0
    #: The least time limit handed to HiGHS at all.
    min_highs_seconds: float = 0.05
    #: Time left under which the search stops starting large steps.
    stop_margin_seconds: float = 0.1
    #: Time left under which no further neighbourhood MIP starts.
    neighbourhood_margin_seconds: float = 0.05
    #: Time that must be left after an unfinished MIP to improve further by neighbourhoods.
    improve_after_mip_seconds: float = 1.0

    # --- tolerances -----------------------------------------------------------------------
    #: Relative gap under which a result counts as proven optimal (integer cost scaling: flow).
    optimality_tolerance: float = 1e-6
    #: Objective change (points) that counts as an improvement; a MIP answer worse than its
    #: start by more than this is discarded.
    improvement_tolerance: float = 1e-6
    #: HiGHS' relative and absolute MIP gaps.
    mip_rel_gap: float = 1e-7
    mip_abs_gap: float = 1e-6
    #: Reduced-cost fixing keeps a pair whose reduced cost is within the slack plus this.
    fixing_tolerance: float = 1e-9
    #: Fixing by the side-rule LP's reduced costs keeps a pair within the slack plus this
    #: (points): HiGHS' dual values are exact only to its dual feasibility tolerance.
    lp_fixing_tolerance: float = 1e-3
    #: A pair outside the LP joins it when its reduced cost under the LP's duals is below minus
    #: this (HiGHS' dual feasibility tolerance).
    lp_pricing_tolerance: float = 1e-7
    #: When the LP's duals price pairs outside it below zero, it is solved again with them, at
    #: most this many times (each time a new model: on a national one some seconds).
    lp_outside_rounds: int = 2
    #: The LP "holds" a youth's pair when its value is above this ...
    lp_held: float = 0.99
    #: ... and "uses" a pair when its value is above this.
    lp_used: float = 0.01

    # --- the heuristic reduced-cost cut ---------------------------------------------------
    #: The valid-start flows ignore pairs whose reduced cost exceeds this multiple of the
    #: cheapest unplaced cost (``weights.unplaced`` of urgency 1, see ``heuristic_cut``).
    heuristic_cut_unplaced: float = 1.0

    # --- what the result holds ------------------------------------------------------------
    #: Words for every unplaced youth (``Result.reasons``). A caller that reads none of them
    #: (the simulation solves thousands of weeks) switches them off: on a national week with a
    #: waiting list of 300 they cost about as much as the search.
    unplaced_reasons: bool = True
    #: Leave out the candidate pairs that no valid assignment can use while occupants stay
    #: (``matcher.solver.blocked``): the same optimum, but the flow breaks far fewer side rules.
    #: Off by default because the words for the unplaced and the marginal value of capacity read
    #: every candidate pair; the simulation's weeks switch it on.
    close_blocked_pairs: bool = False
    #: Where the flow breaks only sibling rules, settle the groups' locations by branching on
    #: flows (``matcher.solver.branching``) within at most this many flows (0: never). On
    #: for the simulation's weeks, whose flows break nothing else once the blocked pairs are out.
    sibling_branch_nodes: int = 0

    def heuristic_cut(self, weights: Weights) -> float:
        """Reduced cost (points) above which the valid-start flows leave a pair closed.

        A pair that costs more on top of the relaxation than leaving the least urgent youth
        without a place is, for a quick valid start, not worth an arc: the cut is
        ``heuristic_cut_unplaced`` times the smallest unplaced cost (1000 points with the
        default weights). Only the heuristic uses it; bounds and fixing never do.
        """
        return self.heuristic_cut_unplaced * min(weights.unplaced)

    @classmethod
    def from_toml(cls, path: str | Path) -> SolveParams:
        """Read the parameters from a TOML file (field names as keys, flat)."""
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        return cls.from_mapping(data, source=str(path))

    @classmethod
    def from_mapping(cls, data: dict, source: str = "parameters") -> SolveParams:
        """Parameters from a mapping; every unknown key is named in one error."""
        known = {f.name: f for f in fields(cls)}
        unknown = [k for k in data if k not in known]
        if unknown:
            names = "; ".join(f"'{k}'{did_you_mean(k, known)}" for k in unknown)
            raise ValueError(_("{source}: unknown solver parameter(s): {names}").format(source=source, names=names))
        values = {}
        for key, value in data.items():
            kind = type(getattr(cls, key))
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not kind:
                raise ValueError(
                    _("{source}: solver parameter '{key}' must be a {kind}, not {value!r}").format(
                        source=source, key=key, kind=kind.__name__, value=value)
                )
            values[key] = value
        return cls(**values)

    def to_toml(self) -> str:
        """The parameters as TOML text that ``from_toml`` reads back to an equal object."""
        def value(v) -> str:
            return ("true" if v else "false") if isinstance(v, bool) else repr(v)

        return "".join(f"{k} = {value(v)}\n" for k, v in asdict(self).items())


#: For a caller that reads only the objective, the status and who is placed where (the
#: simulation's weeks, the marginal-capacity re-solves): no words for the unplaced youths.
WITHOUT_REASONS = SolveParams(unplaced_reasons=False)

#: For a caller that reads no words for the unplaced and keeps no relaxation (a simulated week,
#: the marginal-capacity re-solves): no pairs that the occupants already rule out (the same
#: optimum), and the sibling groups' locations settled by branching where that is all the flow
#: breaks.
WITHOUT_BLOCKED_PAIRS = SolveParams(unplaced_reasons=False, close_blocked_pairs=True, sibling_branch_nodes=24)
