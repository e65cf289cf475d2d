"""Why did this youth go where it went, and not to the nearer unit?

``explain(instance, unit_of, youth_id)`` looks at one youth in a finished assignment: every unit
the placement rules allow, ranked by what it would cost, each cost split into the objective's
terms; for every unit cheaper than the one chosen what kept the youth out (full, and with whom;
the age spread, and who sets it; a contra-indication; the sibling group); and, per rule, the
units the rules refuse. It is built from the instance's weights and the independent checker's
named predicates (``matcher.analysis.check``), never from the solver, so it explains any assignment —
one made by hand included — and cannot share a solver's mistake.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import astuple, dataclass

from matcher.analysis.check import (
    MOVED, PLACEMENT_RULES, STAYS, UNPLACED, age_spread, age_within_unit_range, care_type_is_offered,
    closed_unit_needs_machtiging, conflict_pairs_among, distance_km, every_youth_accounted_for, gender_fits_unit,
    location_not_excluded, new_siblings_placed_together, occupant_moved_only_if_allowed, outcome_of,
    setting_not_below_min_setting, siblings_at_one_location, within_age_spread, within_capacity,
    within_distance_limit,
)
from matcher.instance import Instance, Unit, Youth, alt_position
from matcher.wording_reasons import Blockage, Narrowing, unplaced_reason

#: Two costs closer than this (points) are equal: neither unit is "cheaper".
COST_TOLERANCE = 1e-6
#: The rule that keeps occupants where they are when moves are not allowed.
MOVES_NOT_ALLOWED = occupant_moved_only_if_allowed.__name__


@dataclass(frozen=True)
class CostTerms:
    """A placement's cost split into the objective's terms (points); ``total`` is their sum."""

    km: float = 0.0
    setting_steps: float = 0.0
    outside_jeugdregio: float = 0.0
    outside_bovenregio: float = 0.0
    alt_care_type: float = 0.0
    move: float = 0.0

    @property
    def total(self) -> float:
        return math.fsum(astuple(self))


@dataclass(frozen=True)
class UnplacedCost:
    """What leaving the youth without a place costs: by urgency, plus per week waited."""

    urgency: int
    unplaced: float
    waiting_weeks: int
    waiting: float

    @property
    def total(self) -> float:
        return self.unplaced + self.waiting


@dataclass(frozen=True)
class Resident:
    """Someone in a unit after the solve, by pseudonymous id; ``stays``: lived there already."""

    youth_id: str
    age: int
    urgency: int
    stays: bool


@dataclass(frozen=True)
class Full:
    """No free place: the unit's places are taken by ``residents``."""

    capacity: int
    residents: tuple[Resident, ...]


@dataclass(frozen=True)
class AgeSpread:
    """With this youth the ages would span ``span`` years; ``setters`` hold the other end."""

    max_age_spread: int
    span: int
    setters: tuple[Resident, ...]


@dataclass(frozen=True)
class ContraIndication:
    """The youth must never share a unit with these residents."""

    partners: tuple[Resident, ...]


@dataclass(frozen=True)
class ResidentsInConflict:
    """Two residents who live there already must not share a unit, so it can take nobody in."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SiblingsElsewhere:
    """The brothers and sisters live at another location: (youth id, unit id, location id)."""

    group: str
    placed: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class SiblingsWaiting:
    """New brothers and sisters are placed all together or not at all; these have no place."""

    group: str
    waiting: tuple[str, ...]


Obstacle = Full | AgeSpread | ContraIndication | ResidentsInConflict | SiblingsElsewhere | SiblingsWaiting


@dataclass(frozen=True)
class Option:
    """A unit for the youth, and what a place there would cost.

    Usually a unit the placement rules allow; ``refused_by`` names the rules (the checker's
    predicates) when they refuse it (an option shown because it would have been cheaper).

    ``obstacles`` say why the youth is not there, given where everybody else is (only for the
    units cheaper than the chosen one, and for every unit of an unplaced youth); empty when
    nothing stood in the way.
    """

    unit_id: str
    location_id: str
    provider: str
    care_type: str
    setting: str
    status: str
    distance_km: float
    setting_steps: int
    scope: str
    terms: CostTerms
    chosen: bool
    unit: Unit
    limit_km: float
    obstacles: tuple[Obstacle, ...] = ()
    refused_by: tuple[str, ...] = ()

    @property
    def cost(self) -> float:
        return self.terms.total


@dataclass(frozen=True)
class Refusal:
    """The units one placement rule refuses (each unit under the first rule that refuses it)."""

    rule: str
    unit_ids: tuple[str, ...]
    nearest_km: float
    limits_km: tuple[float, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """One youth in one assignment: where it is, what that costs, and what the other units cost.

    ``options`` are the units the rules allow, cheapest first; ``refused_cheaper`` the units of
    an accepted care type that would cost less than where the youth is but a rule refuses,
    nearest first;
    ``refusals`` every refused unit, grouped by the first rule (in the checker's order) that
    refuses it.
    """

    youth: Youth
    status: str
    unit_id: str | None
    cost: float
    unplaced: UnplacedCost
    options: tuple[Option, ...]
    refused_cheaper: tuple[Option, ...]
    refusals: tuple[Refusal, ...]
    narrowing: Narrowing
    blockage: Blockage

    @property
    def chosen(self) -> Option | None:
        return next((o for o in self.options if o.chosen), None)

    @property
    def cheaper(self) -> tuple[Option, ...]:
        """The allowed units that would have cost less than where the youth is now."""
        return tuple(o for o in self.options if not o.chosen and o.cost < self.cost - COST_TOLERANCE)

    @property
    def reason(self) -> str | None:
        """For an unplaced youth: what narrowed the choice, then what closed the rest."""
        return unplaced_reason(self.narrowing, self.blockage) if self.status == UNPLACED else None


class UnknownYouth(KeyError):
    """The instance has no youth with this id."""

    def __init__(self, youth_id: str):
        super().__init__(youth_id)
        self.youth_id = youth_id


class SolutionMismatch(ValueError):
    """The assignment does not belong to the instance (other youths, unknown units)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class _World:
    """Where everybody is: residents per unit and the members of every sibling group."""

    instance: Instance
    final: Mapping[str, str | None]
    residents: Mapping[str, tuple[Youth, ...]]
    groups: Mapping[str, tuple[Youth, ...]]


def explain(instance: Instance, unit_of: Mapping[str, str | None], youth_id: str) -> Explanation:
    """Explain youth ``youth_id`` in the assignment ``unit_of`` (every youth id -> unit id or None)."""
    youth = instance.youth_by_id.get(youth_id)
    if youth is None:
        raise UnknownYouth(youth_id)
    problems = every_youth_accounted_for(instance, unit_of)
    if problems:
        raise SolutionMismatch(problems)
    world = _world(instance, unit_of)
    here = world.final[youth_id]
    outcome = outcome_of(instance, youth, here)
    cost = outcome.cost
    allowed, refused_by, refused = _screen(instance, youth)
    options = [_option(instance, youth, unit, here) for unit in allowed]
    if here is not None and here in refused_by:  # an assignment that breaks a rule (made by hand)
        chosen = _option(instance, youth, instance.unit_by_id[here], here)
        options.append(Option(**{**chosen.__dict__, "refused_by": refused_by[here]}))
    options.sort(key=_by_cost)
    options = [
        _with_obstacles(world, youth, o) if not o.chosen and (here is None or o.cost < cost - COST_TOLERANCE) else o
        for o in options
    ]
    w = instance.settings.weights
    unplaced = UnplacedCost(
        urgency=youth.urgency, unplaced=w.unplaced[youth.urgency - 1],
        waiting_weeks=youth.waiting_weeks, waiting=w.waiting_week * youth.waiting_weeks,
    )
    return Explanation(
        youth=youth, status=outcome.status, unit_id=here, cost=cost, unplaced=unplaced,
        options=tuple(options), refused_cheaper=_refused_cheaper(instance, youth, refused_by, cost),
        refusals=refused, narrowing=_narrowing(instance, youth, refused, allowed),
        blockage=_blockage(youth, world, options),
    )


def _world(instance: Instance, unit_of: Mapping[str, str | None]) -> _World:
    final = {y.youth_id: unit_of[y.youth_id] for y in instance.youths}
    residents: dict[str, list[Youth]] = defaultdict(list)
    groups: dict[str, list[Youth]] = defaultdict(list)
    for y in instance.youths:
        if final[y.youth_id] is not None:
            residents[final[y.youth_id]].append(y)
        if y.sibling_group is not None:
            groups[y.sibling_group].append(y)
    return _World(
        instance=instance, final=final,
        residents={u: tuple(rs) for u, rs in residents.items()},
        groups={g: tuple(ms) for g, ms in groups.items()},
    )


def _screen(instance: Instance, youth: Youth) -> tuple[list[Unit], dict[str, tuple[str, ...]], tuple[Refusal, ...]]:
    """The units the placement rules allow for this youth; every other unit with the rules that
    refuse it; and the refused units grouped by the first rule that refuses them.

    An occupant's own unit is always allowed (staying is accepted as it is); other units are
    refused to an occupant first of all when moves are not allowed.
    """
    allowed: list[Unit] = []
    refused_by: dict[str, tuple[str, ...]] = {}
    first: dict[str, list[tuple[float, str, float]]] = defaultdict(list)
    for unit in instance.units:
        loc = instance.location_by_id[unit.location_id]
        km = distance_km(instance, youth, unit)
        if unit.unit_id == youth.current_unit_id:
            allowed.append(unit)
            continue
        moving = youth.is_occupant and occupant_moved_only_if_allowed(instance, youth, unit.unit_id)
        names = [MOVES_NOT_ALLOWED] if moving else []
        names += [r.__name__ for r in PLACEMENT_RULES if r(instance, youth, unit, loc, km) is not None]
        if not names:
            allowed.append(unit)
            continue
        refused_by[unit.unit_id] = tuple(names)
        first[names[0]].append((km, unit.unit_id, instance.max_km_for(youth, unit)))
    order = [MOVES_NOT_ALLOWED, *(rule.__name__ for rule in PLACEMENT_RULES)]
    refusals = tuple(
        Refusal(
            rule=name, unit_ids=tuple(u for _, u, _ in sorted(first[name])), nearest_km=min(k for k, _, _ in first[name]),
            limits_km=tuple(sorted({limit for _, _, limit in first[name]})),
        )
        for name in order if first.get(name)
    )
    return allowed, refused_by, refusals


def _by_cost(option: Option) -> tuple[float, str]:
    return option.cost, option.unit_id


def _refused_cheaper(
    instance: Instance, youth: Youth, refused_by: Mapping[str, tuple[str, ...]], cost: float
) -> tuple[Option, ...]:
    """Units of a care type the youth accepts that a rule refuses, yet would cost less than ``cost``."""
    wanted = {youth.care_type, *youth.alt_care_types}
    found = []
    for unit_id, rules in refused_by.items():
        unit = instance.unit_by_id[unit_id]
        if unit.care_type not in wanted or MOVES_NOT_ALLOWED in rules:
            continue
        option = _option(instance, youth, unit, None)
        if option.cost < cost - COST_TOLERANCE:
            found.append(Option(**{**option.__dict__, "refused_by": rules}))
    return tuple(sorted(found, key=lambda o: (o.distance_km, o.unit_id)))


def _option(instance: Instance, youth: Youth, unit: Unit, here: str | None) -> Option:
    """What a place in ``unit`` would cost this youth, term by term (the instance's weights)."""
    o = outcome_of(instance, youth, unit.unit_id)
    w = instance.settings.weights
    if o.status == STAYS:
        terms = CostTerms()
    else:
        terms = CostTerms(
            km=w.km * o.distance_km,
            setting_steps=w.setting_step * o.setting_steps,
            outside_jeugdregio=w.outside_jeugdregio * (o.scope != "jeugdregio"),
            outside_bovenregio=w.outside_bovenregio * (o.scope == "landelijk"),
            alt_care_type=w.alt_care_type * alt_position(youth, unit.care_type),
            move=w.move * (o.status == MOVED),
        )
    return Option(
        unit_id=unit.unit_id, location_id=unit.location_id, provider=o.provider or "", care_type=unit.care_type,
        setting=unit.setting, status=o.status, distance_km=o.distance_km, setting_steps=o.setting_steps,
        scope=o.scope or "", terms=terms, chosen=unit.unit_id == here, unit=unit,
        limit_km=instance.max_km_for(youth, unit),
    )


def _resident(youth: Youth, unit_id: str) -> Resident:
    return Resident(youth.youth_id, youth.age, youth.urgency, stays=youth.current_unit_id == unit_id)


def _with_obstacles(world: _World, youth: Youth, option: Option) -> Option:
    """The option with what kept the youth out of it, everybody else staying where they are."""
    instance = world.instance
    unit = instance.unit_by_id[option.unit_id]
    uid = unit.unit_id
    others = [r for r in world.residents.get(uid, ()) if r.youth_id != youth.youth_id]
    after = [*others, youth]
    receiving = any(r.current_unit_id != uid for r in after)
    found: list[Obstacle] = []
    if receiving:
        if not within_capacity(unit, after):
            found.append(Full(unit.capacity, tuple(_resident(r, uid) for r in others)))
        if not within_age_spread(unit, after):
            found.append(_age_spread(unit, others, youth))
        pairs = conflict_pairs_among(after, instance.conflict_partners)
        partners = {a if b == youth.youth_id else b for a, b in pairs if youth.youth_id in (a, b)}
        if partners:
            found.append(ContraIndication(tuple(_resident(r, uid) for r in others if r.youth_id in partners)))
        elif pairs:
            found.append(ResidentsInConflict(tuple(pairs)))
    found += _sibling_obstacles(world, youth, uid)
    return Option(**{**option.__dict__, "obstacles": tuple(found)})


def _age_spread(unit: Unit, others: list[Youth], youth: Youth) -> AgeSpread:
    """Who sets the range: the residents at the end of the age range that the youth is not at."""
    after = [*others, youth]
    lo, hi = min(r.age for r in after), max(r.age for r in after)
    ends = {a for a in (lo, hi) if a != youth.age} or {lo, hi}
    setters = tuple(_resident(r, unit.unit_id) for r in sorted(others, key=lambda r: (r.age, r.youth_id)) if r.age in ends)
    return AgeSpread(max_age_spread=unit.max_age_spread or 0, span=age_spread(after), setters=setters)


def _sibling_obstacles(world: _World, youth: Youth, uid: str) -> list[Obstacle]:
    """Would a place in ``uid`` split the youth's sibling group, or place it only in part?"""
    group = youth.sibling_group if len(world.groups.get(youth.sibling_group, ())) > 1 else None
    if group is None:
        return []
    members = list(world.groups[group])
    final = {m.youth_id: world.final[m.youth_id] for m in members} | {youth.youth_id: uid}
    found: list[Obstacle] = []
    if siblings_at_one_location(world.instance, group, members, final):
        units = world.instance.unit_by_id
        placed = tuple(
            (m.youth_id, final[m.youth_id], units[final[m.youth_id]].location_id)
            for m in members if m.youth_id != youth.youth_id and final[m.youth_id] is not None
        )
        found.append(SiblingsElsewhere(group, placed))
    if new_siblings_placed_together(group, members, final):
        waiting = tuple(m.youth_id for m in members if m.current_unit_id is None and final[m.youth_id] is None)
        found.append(SiblingsWaiting(group, waiting))
    return found


#: The rules in the order the reasons name them (``Narrowing``'s stages).
_STAGES = (
    (care_type_is_offered.__name__,),
    (setting_not_below_min_setting.__name__, closed_unit_needs_machtiging.__name__),
    (age_within_unit_range.__name__,),
    (gender_fits_unit.__name__,),
    (within_distance_limit.__name__,),
    (location_not_excluded.__name__,),
)


def _narrowing(instance: Instance, youth: Youth, refused: tuple[Refusal, ...], allowed: list[Unit]) -> Narrowing:
    """The units left after each rule in turn, as plain counts for the wording of reasons."""
    count = {r.rule: len(r.unit_ids) for r in refused}
    left = len(instance.units) - count.get(MOVES_NOT_ALLOWED, 0)
    after = []
    for stage in _STAGES:
        left -= sum(count.get(name, 0) for name in stage)
        after.append(left)
    by_rule = {r.rule: r for r in refused}
    distance = by_rule.get(within_distance_limit.__name__)
    reachable_limits = {instance.max_km_for(youth, u) for u in allowed}
    for name in (within_distance_limit.__name__, location_not_excluded.__name__):
        if name in by_rule:
            reachable_limits |= set(by_rule[name].limits_km)
    return Narrowing(
        care_types=(youth.care_type, *youth.alt_care_types), min_setting=youth.min_setting,
        machtiging=youth.machtiging, age=youth.age, gender=youth.gender,
        offered=after[0], after_setting=after[1], after_age=after[2], after_gender=after[3],
        after_distance=after[4], after_exclusion=after[5], limits_km=tuple(sorted(reachable_limits)),
        own_limit=youth.max_km is not None, nearest_km=None if distance is None else distance.nearest_km,
    )


def _blockage(youth: Youth, world: _World, options: list[Option]) -> Blockage:
    """What closed the units the rules left, for an unplaced youth (whose options all carry their obstacles)."""
    others = sorted((o for o in options if not o.chosen and o.status != STAYS), key=lambda o: (o.distance_km, o.unit_id))
    full = sum(any(isinstance(x, Full) for x in o.obstacles) for o in others)
    blocked = sum(
        not any(isinstance(x, Full) for x in o.obstacles)
        and any(isinstance(x, (AgeSpread, ContraIndication, ResidentsInConflict)) for x in o.obstacles)
        for o in others
    )
    group = youth.sibling_group if len(world.groups.get(youth.sibling_group, ())) > 1 else None
    return Blockage(
        fitting=tuple(o.unit_id for o in others), full=full, blocked=blocked, sibling_group=group,
        sibling_count=len(world.groups.get(group, ())) if group else 0,
    )
