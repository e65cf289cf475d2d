"""The options turned into levers on this instance: each a whole number the plan chooses.

A lever is one decision: convert this group (0/1), close this unit (0/1) or take a place out of
it (0..places), open units of this kind at this site (0..max_units_per_site). Its effect is
written as places added to or taken from supply points — one per (location, care type,
setting) — and its cost per year; the model (``matcher.propose.model``) only sees these numbers.
Before any sampling, the options are checked against the instance: unknown units or regions,
a budget below the cost no lever can remove, and targets no plan can meet are refused with the
file, line and key of the option at fault.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from matcher.geography.geo import gemeente_points
from matcher.i18n import _, money, number
from matcher.instance import Instance, Unit
from matcher.propose.options import Close, Convert, Open, Options, OptionsError
from matcher.scenario.operations import youths_per_gemeente
from matcher.scenario.select import StepError, matching_units, region_names_exist, unit_region, unknown_names

DAYS_PER_YEAR = 365
#: A supply point: (location id, care type, setting).
Point = tuple[str, str, str]


@dataclass(frozen=True)
class Site:
    """Where a supply point lies; ``new`` when the plan would create the location."""

    location_id: str
    gemeente: str
    lat: float
    lon: float
    new: bool = False


@dataclass(frozen=True)
class Lever:
    """One whole-number decision of the plan and what one step of it does."""

    name: str
    action: int                    # the [[action]] it comes from (from 1)
    kind: str                      # convert, close, shrink, open
    upper: int
    places: dict[Point, int]       # places added (negative: removed) per step
    euro_per_day: dict[Point, float]   # funded places x cost per day added per supply point, per step
    one_off: float
    unit_id: str | None = None     # convert / close / shrink: the unit
    unit_places: int = 0           # places this step takes from that unit
    jeugdregio: str = ""
    bovenregio: str = ""
    site: Site | None = None
    unit_setting: str = ""
    cost_per_place_day: float = 0.0

    @property
    def cost_per_year(self) -> float:
        """Funded places x cost per day x 365 that one step adds (negative: saves)."""
        return sum(self.euro_per_day.values()) * DAYS_PER_YEAR


@dataclass(frozen=True)
class Levers:
    """Every lever, the supply points with today's places, and today's yearly cost."""

    levers: tuple[Lever, ...]
    base_places: dict[Point, int]
    sites: dict[str, Site]
    base_cost: float
    base_euro_per_day: dict[Point, float] = field(default_factory=dict)   # places x cost per day
    bovenregio_of_site: dict[str, str] = field(default_factory=dict)

    def closed_places(self, places: dict[Point, int]) -> int:
        return sum(n for (_loc, _c, s), n in places.items() if s == "gesloten")


def unit_cost_per_year(unit: Unit) -> float:
    return unit.capacity * (unit.cost_per_day or 0.0) * DAYS_PER_YEAR


def existing(instance: Instance) -> tuple[dict[Point, int], dict[str, Site], dict[Point, float]]:
    """Today's places per supply point, the sites, and places x cost per day per supply point."""
    places: dict[Point, int] = defaultdict(int)
    euro: dict[Point, float] = defaultdict(float)
    for u in instance.units:
        p = (u.location_id, u.care_type, u.setting)
        places[p] += u.capacity
        euro[p] += u.capacity * (u.cost_per_day or 0.0)
    sites = {l.location_id: Site(l.location_id, l.gemeente, l.lat, l.lon) for l in instance.locations}
    return dict(places), sites, dict(euro)


def build_levers(instance: Instance, options: Options) -> Levers:
    """The levers of every action; raises ``OptionsError`` for names this instance lacks."""
    levers, problems = levers_and_problems(instance, options)
    if problems:
        raise OptionsError(problems)
    return levers


def levers_and_problems(instance: Instance, options: Options) -> tuple[Levers, list]:
    """The levers of every action that names only what the instance has, and the problems of the others."""
    base, sites, euro = existing(instance)
    levers, problems = [], []
    for n, action in enumerate(options.actions, start=1):
        try:
            if isinstance(action, Open):
                levers += _open_levers(instance, n, action, sites)
            else:
                levers += _unit_levers(instance, n, action)
        except StepError as err:
            problems += [options.problem(f"action[{n}].{key}", message) for key, message in err.problems]
    regions = instance.regions
    return Levers(tuple(levers), base, sites, sum(unit_cost_per_year(u) for u in instance.units), euro,
                  {s.location_id: regions.bovenregio_of[regions.jeugdregio_of[s.gemeente]] for s in sites.values()}), problems


def _unit_levers(instance: Instance, n: int, action: Convert | Close) -> list[Lever]:
    levers = []
    for u in matching_units(instance, action.where):
        jeugdregio, bovenregio = unit_region(instance, u)
        here = (u.location_id, u.care_type, u.setting)
        common = dict(action=n, unit_id=u.unit_id, jeugdregio=jeugdregio, bovenregio=bovenregio, one_off=action.one_off)
        if isinstance(action, Convert):
            if u.setting == action.setting and u.capacity <= action.max_capacity:
                continue
            to = (u.location_id, u.care_type, action.setting)
            places = {here: -u.capacity, to: u.capacity} if to != here else {}
            euro = defaultdict(float)
            euro[here] -= u.capacity * (u.cost_per_day or 0.0)
            euro[to] += u.capacity * action.cost_per_place_day
            levers.append(Lever(f"convert:{u.unit_id}", kind="convert", upper=1, places=places, euro_per_day=dict(euro),
                                unit_places=u.capacity, unit_setting=action.setting,
                                cost_per_place_day=action.cost_per_place_day, **common))
        elif action.shrink:
            levers.append(Lever(f"shrink:{u.unit_id}", kind="shrink", upper=u.capacity, places={here: -1},
                                euro_per_day={here: -(u.cost_per_day or 0.0)}, unit_places=1,
                                **{**common, "one_off": action.one_off / u.capacity}))
        else:
            levers.append(Lever(f"close:{u.unit_id}", kind="close", upper=1, places={here: -u.capacity},
                                euro_per_day={here: -u.capacity * (u.cost_per_day or 0.0)}, unit_places=u.capacity,
                                **common))
    return levers


def _open_levers(instance: Instance, n: int, action: Open, sites: dict[str, Site]) -> list[Lever]:
    regions = instance.regions
    key = "sites"
    problems = (unknown_names(f"{key}.locations", "location", action.sites.locations, instance.location_by_id)
                + region_names_exist(instance, action.sites.jeugdregios, (), prefix=key))
    unknown = [g for g in action.sites.gemeenten if g not in regions.jeugdregio_of]
    problems += [(f"{key}.gemeenten", _("gemeente '{code}' is not in the region map").format(code=g)) for g in unknown]
    if problems:
        raise StepError(problems)
    chosen = [sites[loc] for loc in action.sites.locations]
    gemeenten = list(action.sites.gemeenten)
    wanted = set(regions.bovenregio_of) if action.sites.every_jeugdregio else set(action.sites.jeugdregios)
    gemeenten += [busiest_gemeente(instance, j) for j in sorted(wanted)]
    points = gemeente_points()
    for g in dict.fromkeys(gemeenten):
        lat, lon = points[g]
        chosen.append(sites.setdefault(f"NIEUW-{g}", Site(f"NIEUW-{g}", g, lat, lon, new=True)))
    levers = []
    for site in chosen:
        jeugdregio = regions.jeugdregio_of[site.gemeente]
        point = (site.location_id, action.care_type, action.unit_setting)
        levers.append(Lever(
            f"open{n}:{site.location_id}", action=n, kind="open", upper=action.max_units_per_site,
            places={point: action.places}, euro_per_day={point: action.places * action.cost_per_place_day},
            one_off=action.one_off, jeugdregio=jeugdregio, bovenregio=regions.bovenregio_of[jeugdregio], site=site,
            unit_setting=action.unit_setting, cost_per_place_day=action.cost_per_place_day))
    return levers


def busiest_gemeente(instance: Instance, jeugdregio: str) -> str:
    """The gemeente of ``jeugdregio`` with most youths aged 0-17 (CBS estimate): its site."""
    youths = youths_per_gemeente()
    members = sorted(g for g, j in instance.regions.jeugdregio_of.items() if j == jeugdregio)
    return max(members, key=lambda g: (youths.get(g, 0.0), g))


def unreachable(instance: Instance, options: Options, levers: Levers) -> list:
    """The problems of a budget below the cost no lever can remove and of targets that no plan
    can meet, each on its own (whether they can be met together asks the model:
    ``matcher.propose.checks``)."""
    problems = []
    lowest = levers.base_cost + sum(_best_saving(levers))
    if options.budget is not None and options.budget.per_year < lowest:
        problems.append(options.problem("budget.per_year", _(
            "{budget} a year is below the cost already committed: today's places cost {today} a year and with "
            "every saving the options allow it is still {lowest}").format(
            budget=money(options.budget.per_year), today=money(levers.base_cost), lowest=money(lowest))))
    target = options.targets.max_closed_places
    if target is not None:
        fewest = levers.closed_places(levers.base_places) - _most_removable_closed(levers)
        if fewest > target:
            problems.append(options.problem("targets.max_closed_places", _(
                "no plan can meet this: today there are {today} closed places and the options can remove at most "
                "{removable} of them, leaving {fewest}").format(today=number(levers.closed_places(levers.base_places)),
                                                               removable=number(levers.closed_places(levers.base_places) - fewest),
                                                               fewest=number(fewest))))
    return problems + _unreachable_minimums(instance, options, levers)


def _best_saving(levers: Levers) -> list[float]:
    """Per unit the largest yearly saving its levers can make (they exclude each other)."""
    best: dict[str, float] = defaultdict(float)
    for lv in levers.levers:
        if lv.unit_id is not None:
            best[lv.unit_id] = min(best[lv.unit_id], lv.cost_per_year * lv.upper)
    return list(best.values())


def _most_removable_closed(levers: Levers) -> int:
    most: dict[str, int] = defaultdict(int)
    for lv in levers.levers:
        if lv.unit_id is not None:
            removed = -sum(d for (_l, _c, s), d in lv.places.items() if s == "gesloten") * lv.upper
            most[lv.unit_id] = max(most[lv.unit_id], removed)
    return sum(most.values())


def supply_after(levers: Levers, plan: dict[str, int]) -> tuple[dict[Point, int], dict[Point, float]]:
    """Places and places x cost per day per supply point once ``plan`` is carried out."""
    places: dict[Point, int] = defaultdict(int, levers.base_places)
    euro: dict[Point, float] = defaultdict(float, levers.base_euro_per_day)
    for lv in levers.levers:
        n = plan.get(lv.name, 0)
        for p, d in lv.places.items():
            places[p] += d * n
        for p, e in lv.euro_per_day.items():
            euro[p] += e * n
    return dict(places), dict(euro)


def broken_rules(options: Options, levers: Levers, plan: dict[str, int]) -> list[str]:
    """The plan re-checked without the model: levers within their bounds, a unit changed once at
    most, the budget, the closed places, the bovenregio minimums (the words name what is broken)."""
    broken = []
    taken: dict[str, int] = defaultdict(int)
    for lv in levers.levers:
        n = plan.get(lv.name, 0)
        if not 0 <= n <= lv.upper:
            broken.append(f"{lv.name}: {n} outside 0..{lv.upper}")
        if lv.unit_id is not None:
            taken[lv.unit_id] += n * lv.unit_places
    capacity = {lv.unit_id: lv.unit_places * lv.upper for lv in levers.levers if lv.unit_id is not None}
    broken += [f"{u}: {n} places taken of {capacity[u]}" for u, n in taken.items() if n > capacity[u]]
    places, euro = supply_after(levers, plan)
    one_off = sum(lv.one_off * plan.get(lv.name, 0) for lv in levers.levers)
    yearly = sum(euro.values()) * DAYS_PER_YEAR + one_off / options.budget.one_off_years
    if yearly > options.budget.per_year * (1 + 1e-9) + 1e-6:
        broken.append(f"budget: {yearly:.2f} > {options.budget.per_year:.2f}")
    target = options.targets.max_closed_places
    if target is not None and levers.closed_places(places) > target:
        broken.append(f"closed places: {levers.closed_places(places)} > {target}")
    have = places_by_region(levers, places)
    for care_type, bovenregio, minimum in options.targets.minimums(set(levers.bovenregio_of_site.values())):
        if have.get((care_type, bovenregio), 0) < minimum:
            broken.append(f"{care_type} in {bovenregio}: {have.get((care_type, bovenregio), 0)} < {minimum}")
    return broken


def places_by_region(levers: Levers, places: dict[Point, int]) -> dict[tuple[str, str], int]:
    """Places per (care type, bovenregio)."""
    total: dict[tuple[str, str], int] = defaultdict(int)
    for (loc, c, _s), n in places.items():
        total[(c, levers.bovenregio_of_site[loc])] += n
    return total


def _unreachable_minimums(instance: Instance, options: Options, levers: Levers) -> list:
    bovenregios = set(instance.regions.bovenregio_of.values())
    most = places_by_region(levers, levers.base_places)
    for lv in levers.levers:
        for (loc, c, _s), d in lv.places.items():
            if d > 0 and lv.kind == "open":
                most[(c, levers.bovenregio_of_site[loc])] += d * lv.upper
    problems = []
    for care_type, bovenregio, minimum in options.targets.minimums(bovenregios):
        key = f"targets.min_places_per_bovenregio.{care_type}"
        if bovenregio not in bovenregios:
            problems += [options.problem(key, m) for _k, m in unknown_names(key, "bovenregio", [bovenregio], bovenregios)]
        elif most.get((care_type, bovenregio), 0) < minimum:
            problems.append(options.problem(key, _(
                "no plan can meet this: {bovenregio} can have at most {most} places of {care_type}").format(
                bovenregio=bovenregio, most=number(most.get((care_type, bovenregio), 0)), care_type=care_type)))
    return problems
