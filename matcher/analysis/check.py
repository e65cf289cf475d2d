"""The independent checker: does an assignment keep every rule, and what does it cost?

It re-reads the instance format's rules straight from the instance objects, with plain loops and
none of the solver's code, so that a planner can trust a solution without trusting the solver.
Every broken rule becomes one sentence in ``CheckReport.violations``; the objective is
recomputed from the formula of the instance format; ``outcomes`` are the ``assignments.csv``
rows (without the reason for an unplaced youth: that is the solver's to give).

The yes/no predicates (``offers_care_type``, ``unit_keeps_its_rules``, ...) are the one
instance-level form of each rule: the reading warnings, the scenario operations and the model's
"receiving" units call them; the solver keeps its own fast array form of the same rules.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from matcher.domain import SETTING_RANK, gender_fits, scalar_distance_km
from matcher.instance import Instance, Location, Unit, Youth, alt_position
from matcher.result import CheckReport, YouthOutcome

PLACED, STAYS, MOVED, UNPLACED = "placed", "stays", "moved", "unplaced"

#: Float noise allowed on the distance limit (one micrometre), so that two correct
#: implementations of the same haversine never disagree on a unit exactly at the limit.
DISTANCE_TOLERANCE_KM = 1e-9


# --- what a unit asks of one youth, whatever the distance --------------------------------


def offers_care_type(youth: Youth, unit: Unit) -> bool:
    """The unit gives the care the youth needs, or one of the alternatives the youth accepts."""
    return unit.care_type == youth.care_type or unit.care_type in youth.alt_care_types


def setting_meets_min_setting(youth: Youth, unit: Unit) -> bool:
    """The unit is not more home-like than the youth's min_setting: it can meet the need."""
    return SETTING_RANK[unit.setting] >= SETTING_RANK[youth.min_setting]


def machtiging_if_closed(youth: Youth, unit: Unit) -> bool:
    """Nobody enters a closed (gesloten) unit without a court authorisation (machtiging)."""
    return unit.setting != "gesloten" or youth.machtiging


def age_in_unit_range(youth: Youth, unit: Unit) -> bool:
    """The youth's age is one the unit is licensed and staffed for (age_min to age_max)."""
    return unit.age_min <= youth.age <= unit.age_max


def gender_fits_the_unit(youth: Youth, unit: Unit) -> bool:
    """A jongens unit takes only boys, a meisjes unit only girls; gender x goes to gemengd units."""
    return gender_fits(unit.gender, youth.gender)


def location_allowed(youth: Youth, unit: Unit) -> bool:
    """The unit's location is not on the youth's excluded_locations list."""
    return unit.location_id not in youth.excluded_locations


#: The rules an occupant who stays in (a piece of) the same unit must still meet when the unit
#: itself changes (a split or a conversion): the location, so its distance and exclusion, stay.
STAY_RULES: tuple[Callable[[Youth, Unit], bool], ...] = (
    offers_care_type,
    setting_meets_min_setting,
    machtiging_if_closed,
    age_in_unit_range,
    gender_fits_the_unit,
)


def unit_still_fits(youth: Youth, unit: Unit) -> bool:
    """An occupant stays in a changed unit only while it still meets the unit's rules above."""
    return all(rule(youth, unit) for rule in STAY_RULES)


# --- rules 1-6: may this youth be placed (new, or moved) in this unit? -------------------


def care_type_is_offered(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """A unit gives the care the youth needs, or one of the alternatives the youth accepts."""
    if offers_care_type(youth, unit):
        return None
    wanted = " or ".join((youth.care_type, *youth.alt_care_types))
    return f"youth {youth.youth_id} needs {wanted} care, but unit {unit.unit_id} offers {unit.care_type}"


def setting_not_below_min_setting(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """A unit more home-like than the youth's min_setting cannot meet the need."""
    if setting_meets_min_setting(youth, unit):
        return None
    return (
        f"youth {youth.youth_id} needs at least setting {youth.min_setting}, "
        f"but unit {unit.unit_id} is {unit.setting}"
    )


def closed_unit_needs_machtiging(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """Nobody enters a closed (gesloten) unit without a court authorisation (machtiging)."""
    if machtiging_if_closed(youth, unit):
        return None
    return f"youth {youth.youth_id} has no machtiging, but unit {unit.unit_id} is a closed (gesloten) unit"


def age_within_unit_range(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """A unit takes only the ages it is licensed and staffed for."""
    if age_in_unit_range(youth, unit):
        return None
    return (
        f"youth {youth.youth_id} is {youth.age}, but unit {unit.unit_id} "
        f"takes ages {unit.age_min} to {unit.age_max}"
    )


def gender_fits_unit(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """A jongens unit takes only boys, a meisjes unit only girls; gender x goes to gemengd units."""
    if gender_fits_the_unit(youth, unit):
        return None
    return (
        f"youth {youth.youth_id} (gender {youth.gender}) cannot go to unit {unit.unit_id}, "
        f"a {unit.gender} unit"
    )


def within_distance_limit(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """Not farther from home than the youth's own max_km, else the limit of the UNIT's care type."""
    limit = instance.max_km_for(youth, unit)
    if km <= limit + DISTANCE_TOLERANCE_KM:
        return None
    return (
        f"unit {unit.unit_id} is {_km_text(km, limit)} km from youth {youth.youth_id}'s home point, "
        f"beyond the limit of {limit:g} km"
    )


def location_not_excluded(
    instance: Instance, youth: Youth, unit: Unit, location: Location, km: float
) -> str | None:
    """A youth is never placed at a location on its excluded_locations list."""
    if location_allowed(youth, unit):
        return None
    return f"youth {youth.youth_id} must not be placed at location {unit.location_id} (excluded_locations)"


PlacementRule = Callable[[Instance, Youth, Unit, Location, float], "str | None"]
PLACEMENT_RULES: tuple[PlacementRule, ...] = (
    care_type_is_offered,
    setting_not_below_min_setting,
    closed_unit_needs_machtiging,
    age_within_unit_range,
    gender_fits_unit,
    within_distance_limit,
    location_not_excluded,
)


def distance_km(instance: Instance, youth: Youth, unit: Unit) -> float:
    """The spec's distance from the youth's home point to the unit's location."""
    loc = instance.location_by_id[unit.location_id]
    return scalar_distance_km(youth.home_lat, youth.home_lon, loc.lat, loc.lon, instance.settings.road_factor)


def placement_problems(instance: Instance, youth: Youth, unit: Unit) -> list[str]:
    """Every rule 1-6 that forbids placing (or moving) this youth in this unit; empty = allowed."""
    loc = instance.location_by_id[unit.location_id]
    km = distance_km(instance, youth, unit)
    return [p for rule in PLACEMENT_RULES if (p := rule(instance, youth, unit, loc, km)) is not None]


# --- the objective, one youth at a time ----------------------------------------------------


def unplaced_cost(instance: Instance, youth: Youth) -> float:
    """Leaving a youth without a place costs more the more urgent and the longer waited."""
    w = instance.settings.weights
    return w.unplaced[youth.urgency - 1] + w.waiting_week * youth.waiting_weeks


def outcome_of(instance: Instance, youth: Youth, unit_id: str | None) -> YouthOutcome:
    """The assignments.csv row for this youth in this unit (``None`` = unplaced), with its cost.

    ``unit_id`` must be a unit of the instance or ``None``. Occupants in their current unit
    stay and cost nothing; everyone else pays the spec's placement terms (a moved occupant
    also the move weight).
    """
    regions = instance.regions
    home_region = regions.jeugdregio_of[youth.home_gemeente]
    if unit_id is None:
        return YouthOutcome(
            youth_id=youth.youth_id, status=UNPLACED, unit_id=None, location_id=None, provider=None,
            distance_km=None, setting_steps=None, home_jeugdregio=home_region, unit_jeugdregio=None,
            scope=None, cost=unplaced_cost(instance, youth),
        )
    unit = instance.unit_by_id[unit_id]
    loc = instance.location_by_id[unit.location_id]
    km = scalar_distance_km(youth.home_lat, youth.home_lon, loc.lat, loc.lon, instance.settings.road_factor)
    steps = SETTING_RANK[unit.setting] - SETTING_RANK[youth.min_setting]
    unit_region = regions.jeugdregio_of[loc.gemeente]
    other_region = unit_region != home_region
    other_bovenregio = regions.bovenregio_of[unit_region] != regions.bovenregio_of[home_region]
    scope = "landelijk" if other_bovenregio else ("bovenregio" if other_region else "jeugdregio")
    if youth.current_unit_id is None:
        status = PLACED
    else:
        status = STAYS if youth.current_unit_id == unit_id else MOVED
    if status == STAYS:
        cost = 0.0
    else:
        w = instance.settings.weights
        position = alt_position(youth, unit.care_type) if offers_care_type(youth, unit) else 0
        cost = (
            w.km * km
            + w.setting_step * steps
            + w.outside_jeugdregio * other_region
            + w.outside_bovenregio * other_bovenregio
            + w.alt_care_type * position
            + w.move * (status == MOVED)
        )
    return YouthOutcome(
        youth_id=youth.youth_id, status=status, unit_id=unit_id, location_id=loc.location_id,
        provider=loc.provider, distance_km=km, setting_steps=steps, home_jeugdregio=home_region,
        unit_jeugdregio=unit_region, scope=scope, cost=float(cost),
    )


# --- rules on the assignment as a whole -----------------------------------------------------


def every_youth_accounted_for(instance: Instance, unit_of: Mapping[str, str | None]) -> list[str]:
    """The answer names every youth once, and only youths and units the instance knows."""
    problems: list[str] = []
    youths = instance.youth_by_id
    units = instance.unit_by_id
    for y in instance.youths:
        if y.youth_id not in unit_of:
            problems.append(f"youth {y.youth_id} is missing from the assignment")
            continue
        unit_id = unit_of[y.youth_id]
        if unit_id is not None and unit_id not in units:
            problems.append(f"youth {y.youth_id} is assigned to unit {unit_id}, which does not exist")
    problems += [
        f"the assignment names youth {yid}, who is not in the instance" for yid in unit_of if yid not in youths
    ]
    return problems


def occupant_keeps_a_place(youth: Youth, unit_id: str | None) -> str | None:
    """A youth already in care is never sent away without a place."""
    if unit_id is not None:
        return None
    return f"occupant {youth.youth_id} of unit {youth.current_unit_id} is left without a place"


def occupant_moved_only_if_allowed(instance: Instance, youth: Youth, unit_id: str | None) -> str | None:
    """Current occupants stay where they are unless the scenario allows moves."""
    if instance.settings.allow_moves or unit_id is None or unit_id == youth.current_unit_id:
        return None
    return (
        f"occupant {youth.youth_id} is moved from unit {youth.current_unit_id} to unit {unit_id}, "
        f"but moves are not allowed (allow_moves = false)"
    )


# --- what a unit asks of all its residents together -------------------------------------


def within_capacity(unit: Unit, residents: Sequence[Youth]) -> bool:
    """A unit holds no more youths than it has places."""
    return len(residents) <= unit.capacity


def age_spread(residents: Sequence[Youth]) -> int:
    """Years between the youngest and the oldest resident (0 for an empty unit)."""
    return max(y.age for y in residents) - min(y.age for y in residents) if residents else 0


def within_age_spread(unit: Unit, residents: Sequence[Youth]) -> bool:
    """A unit with a max_age_spread keeps its youngest and oldest resident that close together."""
    return unit.max_age_spread is None or age_spread(residents) <= unit.max_age_spread


def conflict_pairs_among(
    residents: Sequence[Youth], conflict_partners: Mapping[str, set[str]]
) -> list[tuple[str, str]]:
    """The pairs of residents with a contra-indication between them (who must never share a unit),
    each once, in the order of ``residents``; ``conflict_partners`` is ``Instance.conflict_partners``."""
    position = {y.youth_id: i for i, y in enumerate(residents)}
    pairs = []
    for i, youth in enumerate(residents):
        later = [b for b in conflict_partners.get(youth.youth_id, ()) if position.get(b, -1) > i]
        pairs += [(youth.youth_id, b) for b in sorted(later, key=position.__getitem__)]
    return pairs


def unit_keeps_its_rules(
    unit: Unit, residents: Sequence[Youth], conflict_partners: Mapping[str, set[str]]
) -> bool:
    """With these residents the unit stays within its places and its age spread, and holds no
    two youths with a contra-indication between them."""
    return (
        within_capacity(unit, residents)
        and within_age_spread(unit, residents)
        and not conflict_pairs_among(residents, conflict_partners)
    )


def capacity_respected(unit: Unit, residents: list[Youth]) -> str | None:
    """A unit that takes someone in holds no more youths afterwards than it has places."""
    if within_capacity(unit, residents):
        return None
    return (
        f"unit {unit.unit_id} holds {len(residents)} residents after the solve "
        f"but has {unit.capacity} place{'' if unit.capacity == 1 else 's'}"
    )


def age_spread_respected(unit: Unit, residents: list[Youth]) -> str | None:
    """A unit with a max_age_spread keeps its youngest and oldest resident that close together."""
    if within_age_spread(unit, residents):
        return None
    youngest = min(y.age for y in residents)
    oldest = max(y.age for y in residents)
    return (
        f"unit {unit.unit_id} has residents aged {youngest} to {oldest} after the solve "
        f"(spread {oldest - youngest}), more than its max_age_spread of {unit.max_age_spread}"
    )


def conflicts_kept_apart(
    instance: Instance, final_unit: Mapping[str, str | None], receiving: set[str]
) -> list[str]:
    """Two youths with a contra-indication never end up together in a unit that takes someone in."""
    residents: dict[str, list[Youth]] = defaultdict(list)
    for y in instance.youths:
        unit_id = final_unit.get(y.youth_id)
        if unit_id is not None and unit_id in receiving:
            residents[unit_id].append(y)
    together = {
        frozenset(pair): unit_id
        for unit_id, here in residents.items()
        for pair in conflict_pairs_among(here, instance.conflict_partners)
    }
    problems: list[str] = []
    for a, b in instance.conflicts:  # in the order given; a pair listed twice is named once
        unit_id = together.pop(frozenset((a, b)), None)
        if unit_id is not None:
            problems.append(
                f"youths {a} and {b} must not share a unit (conflict), but both are in unit {unit_id}"
            )
    return problems


def siblings_at_one_location(
    instance: Instance, group: str, members: list[Youth], final_unit: Mapping[str, str | None]
) -> str | None:
    """Brothers and sisters who are placed all live at the same location."""
    at: dict[str, list[str]] = {}
    for y in members:
        unit_id = final_unit[y.youth_id]
        if unit_id is not None:
            at.setdefault(instance.unit_by_id[unit_id].location_id, []).append(y.youth_id)
    if len(at) <= 1:
        return None
    where = "; ".join(f"{', '.join(ids)} at location {loc}" for loc, ids in at.items())
    return f"sibling group {group} is split over {len(at)} locations: {where}"


def new_siblings_placed_together(
    group: str, members: list[Youth], final_unit: Mapping[str, str | None]
) -> str | None:
    """New brothers and sisters are placed all together or not at all."""
    new = [y.youth_id for y in members if y.current_unit_id is None]
    placed = [yid for yid in new if final_unit[yid] is not None]
    if not placed or len(placed) == len(new):
        return None
    left = [yid for yid in new if final_unit[yid] is None]
    return (
        f"sibling group {group} is only partly placed: {', '.join(placed)} placed, "
        f"{', '.join(left)} left without a place"
    )


# --- the checker ------------------------------------------------------------------------------


def check(instance: Instance, unit_of: Mapping[str, str | None]) -> CheckReport:
    """Re-check every rule of the instance format for ``unit_of`` and recompute its objective.

    ``unit_of`` maps every youth id to the unit it is in afterwards (``None`` = unplaced). A
    missing youth or an unknown unit is reported and counted as unplaced.
    """
    violations = every_youth_accounted_for(instance, unit_of)
    units = instance.unit_by_id
    final_unit: dict[str, str | None] = {}
    for y in instance.youths:
        unit_id = unit_of.get(y.youth_id)
        final_unit[y.youth_id] = unit_id if unit_id in units else None

    outcomes: list[YouthOutcome] = []
    residents: dict[str, list[Youth]] = defaultdict(list)
    receiving: set[str] = set()
    for y in instance.youths:
        unit_id = final_unit[y.youth_id]
        if y.current_unit_id is not None:
            # A missing entry or an unknown unit is reported above; an explicit None is sent away.
            sent_away = y.youth_id in unit_of and unit_of[y.youth_id] is None
            problem = occupant_keeps_a_place(y, unit_id) if sent_away else None
            problem = problem or occupant_moved_only_if_allowed(instance, y, unit_id)
            if problem:
                violations.append(problem)
        outcome = outcome_of(instance, y, unit_id)
        outcomes.append(outcome)
        if unit_id is None:
            continue
        residents[unit_id].append(y)
        if outcome.status != STAYS:
            receiving.add(unit_id)
            unit = units[unit_id]
            loc = instance.location_by_id[unit.location_id]
            for rule in PLACEMENT_RULES:
                problem = rule(instance, y, unit, loc, outcome.distance_km)
                if problem:
                    violations.append(problem)

    for unit in instance.units:
        if unit.unit_id in receiving:
            for rule in (capacity_respected, age_spread_respected):
                problem = rule(unit, residents[unit.unit_id])
                if problem:
                    violations.append(problem)
    violations += conflicts_kept_apart(instance, final_unit, receiving)

    groups: dict[str, list[Youth]] = {}
    for y in instance.youths:
        if y.sibling_group is not None:
            groups.setdefault(y.sibling_group, []).append(y)
    for group, members in groups.items():
        for problem in (
            siblings_at_one_location(instance, group, members, final_unit),
            new_siblings_placed_together(group, members, final_unit),
        ):
            if problem:
                violations.append(problem)

    return CheckReport(
        ok=not violations,
        violations=tuple(violations),
        objective=math.fsum(o.cost for o in outcomes),
        outcomes=tuple(outcomes),
    )


def _km_text(km: float, limit: float) -> str:
    """One decimal, unless that would hide that the distance is beyond the limit."""
    text = f"{km:.1f}"
    return text if float(text) > limit else f"{km:.6f}"
