"""An exhaustive reference solver for tiny instances: the optimum the checker agrees with.

Every youth gets each of its possible choices (a new youth: no place or any unit; an occupant:
its own unit or, when moves are allowed, any other unit); rules 1-6 remove impossible units
first. A depth-first search then visits every combination, cutting a branch only when it
cannot beat the best found (the objective is a sum of per-youth terms) or when the youths
already decided break a unit or sibling rule that more youths can never repair. Each complete
assignment that could be best is handed to ``matcher.analysis.check.check``; the cheapest one it accepts
is the answer. ``brute_force_naive`` does the same without any cutting, to keep the fast one
honest on very small instances.
"""

from __future__ import annotations

import itertools
import math

from matcher.analysis.check import check, outcome_of, placement_problems
from matcher.instance import Instance, Youth

#: Two objectives closer than this are a tie (float noise from summing in another order).
TIE = 1e-9


def choices(instance: Instance, youth: Youth) -> list[tuple[float, str | None]]:
    """The (cost, unit) choices for one youth that rules 1-6 allow, cheapest first."""
    allowed = [u.unit_id for u in instance.units if not placement_problems(instance, youth, u)]
    if youth.current_unit_id is None:
        options = [None, *allowed]
    elif instance.settings.allow_moves:
        options = [youth.current_unit_id, *(u for u in allowed if u != youth.current_unit_id)]
    else:
        options = [youth.current_unit_id]
    costed = [(outcome_of(instance, youth, u).cost, i, u) for i, u in enumerate(options)]
    return [(cost, u) for cost, _, u in sorted(costed)]


class _Partial:
    """The youths decided so far, per unit and per sibling group, with undo for backtracking."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.residents: dict[str, list[Youth]] = {u.unit_id: [] for u in instance.units}
        self.receivers: dict[str, int] = {u.unit_id: 0 for u in instance.units}
        self.group_locations: dict[str, dict[str, int]] = {}
        self.conflicts = {frozenset(p) for p in instance.conflicts}

    def add(self, youth: Youth, unit_id: str | None) -> None:
        if unit_id is None:
            return
        self.residents[unit_id].append(youth)
        self.receivers[unit_id] += youth.current_unit_id != unit_id
        if youth.sibling_group is not None:
            at = self.group_locations.setdefault(youth.sibling_group, {})
            loc = self.instance.unit_by_id[unit_id].location_id
            at[loc] = at.get(loc, 0) + 1

    def remove(self, youth: Youth, unit_id: str | None) -> None:
        if unit_id is None:
            return
        self.residents[unit_id].pop()
        self.receivers[unit_id] -= youth.current_unit_id != unit_id
        if youth.sibling_group is not None:
            at = self.group_locations[youth.sibling_group]
            loc = self.instance.unit_by_id[unit_id].location_id
            at[loc] -= 1
            if not at[loc]:
                del at[loc]

    def hopeless(self, youth: Youth, unit_id: str | None) -> bool:
        """True when the youths decided so far already break a rule that more youths keep broken."""
        if unit_id is None:
            return False
        if youth.sibling_group is not None and len(self.group_locations[youth.sibling_group]) > 1:
            return True
        if not self.receivers[unit_id]:
            return False
        unit = self.instance.unit_by_id[unit_id]
        here = self.residents[unit_id]
        if len(here) > unit.capacity:
            return True
        ages = [y.age for y in here]
        if unit.max_age_spread is not None and max(ages) - min(ages) > unit.max_age_spread:
            return True
        return any(frozenset((y.youth_id, other.youth_id)) in self.conflicts for y in here for other in here)


def brute_force(instance: Instance) -> tuple[float, dict[str, str | None]]:
    """The optimal objective and one optimal assignment; ``(inf, {})`` when nothing is feasible."""
    order = sorted(instance.youths, key=lambda y: y.current_unit_id is None)  # occupants first
    options = [choices(instance, y) for y in order]
    rest = [0.0] * (len(order) + 1)
    for i in range(len(order) - 1, -1, -1):
        rest[i] = rest[i + 1] + options[i][0][0]
    best: list = [math.inf, {}]
    partial = _Partial(instance)
    chosen: dict[str, str | None] = {}

    def visit(i: int, cost: float) -> None:
        if cost + rest[i] >= best[0] - TIE:
            return
        if i == len(order):
            report = check(instance, chosen)
            if report.ok and report.objective < best[0] - TIE:
                best[0], best[1] = report.objective, dict(chosen)
            return
        youth = order[i]
        for option_cost, unit_id in options[i]:
            partial.add(youth, unit_id)
            chosen[youth.youth_id] = unit_id
            if not partial.hopeless(youth, unit_id):
                visit(i + 1, cost + option_cost)
            partial.remove(youth, unit_id)
        del chosen[youth.youth_id]

    visit(0, 0.0)
    if best[0] == math.inf:
        return math.inf, {}
    return best[0], {y.youth_id: best[1][y.youth_id] for y in instance.youths}


def brute_force_naive(instance: Instance) -> tuple[float, dict[str, str | None]]:
    """Every combination of every unit for every youth through the checker; for 4 youths at most."""
    all_units = [u.unit_id for u in instance.units]
    options = []
    for y in instance.youths:
        if y.current_unit_id is None:
            options.append([None, *all_units])
        elif instance.settings.allow_moves:
            options.append(all_units)
        else:
            options.append([y.current_unit_id])
    best: tuple[float, dict[str, str | None]] = (math.inf, {})
    for combination in itertools.product(*options):
        unit_of = {y.youth_id: u for y, u in zip(instance.youths, combination)}
        report = check(instance, unit_of)
        if report.ok and report.objective < best[0] - TIE:
            best = (report.objective, unit_of)
    return best
