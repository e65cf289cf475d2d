"""The exact model, one module per rule family; ``build_model`` puts them together."""

from __future__ import annotations


from matcher.solver.model.age_spread import age_spread_within_limit
from matcher.solver.model.assignment import one_place_per_youth
from matcher.solver.model.base import MipBuilder, SubProblem
from matcher.solver.model.capacity import no_unit_above_capacity
from matcher.solver.model.conflicts import contra_indicated_youths_apart
from matcher.solver.model.objective import placement_and_unplaced_costs
from matcher.solver.model.receiving import unit_receives
from matcher.solver.model.siblings import siblings_together_at_one_location

#: Hard rules, in the order they are added (``unit_receives`` first: the others use its z_u).
HARD_RULES = (
    unit_receives,
    one_place_per_youth,
    no_unit_above_capacity,
    age_spread_within_limit,
    contra_indicated_youths_apart,
    siblings_together_at_one_location,
)


def build_model(sub: SubProblem) -> MipBuilder:
    """Columns for the candidate pairs of the free youths, then every hard rule's rows."""
    b = MipBuilder()
    cost, constant = placement_and_unplaced_costs(sub)
    sub.x = b.add_columns(cost)
    b.constant = constant
    for rule in HARD_RULES:
        rule(b, sub)
    return b


__all__ = ["build_model", "SubProblem", "MipBuilder", "HARD_RULES"]
