"""The scenario operations, one function per op: each takes an instance and returns a NEW one.

The instance handed in is never changed (instances are frozen; every change is a
``model_copy(update=...)``). Each function also returns a note in a planner's words on what it
did ("closed 12 units with 118 places; 97 occupants need a place again"), which goes into the
scenario's README next to the instance it produced.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from string import ascii_lowercase

import numpy as np

from matcher.analysis.check import unit_keeps_its_rules, unit_still_fits
from matcher.domain import care_type_name, scalar_distance_km
from matcher.i18n import _, money, ngettext, number
from matcher.instance import Instance, Location, RegionMap, Unit, Youth
from matcher.geography.regions import DATA
from matcher.scenario.select import StepError, describe, matching_units, matching_youths
from matcher.scenario.spec import (
    Add,
    Close,
    Convert,
    Demand,
    Regions,
    SetCost,
    SettingsChange,
    Split,
)
from matcher.wording import count, did_you_mean

@dataclass(frozen=True)
class Context:
    """Where a step stands: its number in the scenario (from 1), the seed of the run, and the
    residents that earlier steps displaced (their unit closed, split or converted)."""

    step: int
    seed: int
    displaced: frozenset[str] = frozenset()

    @cached_property
    def rng(self) -> np.random.Generator:
        """The step's own random stream: same seed and step, same draws."""
        return np.random.default_rng([self.seed, self.step])


@dataclass(frozen=True)
class Change:
    """What a step produced: the new instance, a note for the planner, and the residents it
    displaced (occupants who need a place again because their unit closed or changed)."""

    instance: Instance
    note: str
    displaced: frozenset[str] = frozenset()


def derive(instance: Instance, **update) -> Instance:
    """A new, validated instance with ``update`` applied; the input stays as it is."""
    return instance.model_copy(update=update)


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def _with_unit_of(instance: Instance, new_unit_of: dict[str, str | None]) -> tuple[Youth, ...]:
    """youths.csv with some occupants' current_unit_id changed (None: they need a place again)."""
    return tuple(
        y.model_copy(update={"current_unit_id": new_unit_of[y.youth_id]}) if y.youth_id in new_unit_of else y
        for y in instance.youths
    )


def _occupants_by_unit(instance: Instance) -> dict[str, list[Youth]]:
    found: dict[str, list[Youth]] = {}
    for y in instance.youths:
        if y.current_unit_id is not None:
            found.setdefault(y.current_unit_id, []).append(y)
    return found


# --- close ------------------------------------------------------------------------------------


def close_units(instance: Instance, step: Close, ctx: Context) -> Change:
    """Closed units disappear; whoever lives there needs a place again, with the same urgency."""
    units = matching_units(instance, step.where)
    if step.largest_share < 1:
        keep = max(1, _round_half_up(step.largest_share * len(units)))
        units = sorted(units, key=lambda u: (-u.capacity, u.unit_id))[:keep]
    closed = {u.unit_id for u in units}
    released = {y.youth_id: None for y in instance.youths if y.current_unit_id in closed}
    new = derive(
        instance,
        units=tuple(u for u in instance.units if u.unit_id not in closed),
        youths=_with_unit_of(instance, released),
    )
    places = sum(u.capacity for u in units)
    return Change(new, _("closed {units} with {places} ({filter}); {occupants} need a place again").format(
        units=count(len(closed), "unit", "units"), places=count(places, "place", "places"), filter=describe(step.where),
        occupants=count(len(released), "occupant", "occupants")), frozenset(released))


# --- split ------------------------------------------------------------------------------------


def piece_suffix(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the suffix of the i-th piece (from 0) of a split unit."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = ascii_lowercase[r] + letters
    return letters


def piece_sizes(capacity: int, step: Split) -> list[int] | None:
    """Places of each piece; None when the unit has fewer places than pieces asked for."""
    if step.into is not None and step.capacity is not None:
        return [step.capacity] * step.into
    pieces = step.into if step.into is not None else math.ceil(capacity / step.max_capacity)
    if pieces > capacity:
        return None
    q, r = divmod(capacity, pieces)
    return [q + 1] * r + [q] * (pieces - r)


def _new_cost(old: float | None, cost_per_day: float | None, percent: float | None) -> float | None:
    if cost_per_day is not None:
        return float(cost_per_day)
    if percent is not None and old is not None:
        return round(old * (1 + percent / 100.0), 2)
    return old


def spread_occupants(instance: Instance, occupants: list[Youth], pieces: list[Unit]) -> dict[str, str | None]:
    """Occupants over the pieces of a split unit, in youths.csv order, each to the emptiest piece
    that still fits them (rules, places, age spread, no conflict partner); None = no piece fits."""
    partners = instance.conflict_partners
    residents: dict[str, list[Youth]] = {p.unit_id: [] for p in pieces}
    placed: dict[str, str | None] = {}
    for youth in occupants:
        best = None
        for piece in pieces:
            here = residents[piece.unit_id]
            if (
                (best is None or len(here) < len(residents[best.unit_id]))
                and unit_still_fits(youth, piece)
                and unit_keeps_its_rules(piece, [*here, youth], partners)
            ):
                best = piece
        placed[youth.youth_id] = None if best is None else best.unit_id
        if best is not None:
            residents[best.unit_id].append(youth)
    return placed


def split_units(instance: Instance, step: Split, ctx: Context) -> Change:
    """A large group becomes several small ones at the same location; its occupants go along when
    they still fit, otherwise they need a place again."""
    chosen = {u.unit_id for u in matching_units(instance, step.where)}
    occupants = _occupants_by_unit(instance)
    too_small = [u.unit_id for u in instance.units if u.unit_id in chosen and piece_sizes(u.capacity, step) is None]
    if too_small:
        raise StepError([("into", _("cannot split into {n} units: {units} {have} fewer places than that").format(
            n=step.into, units=", ".join(too_small), have=ngettext("has", "have", len(too_small))))])
    units: list[Unit] = []
    moved: dict[str, str | None] = {}
    pieces_made = 0
    for unit in instance.units:
        if unit.unit_id not in chosen:
            units.append(unit)
            continue
        changes = {"cost_per_day": _new_cost(unit.cost_per_day, step.cost_per_day, step.cost_percent)}
        if step.setting is not None:
            changes["setting"] = step.setting
        sizes = piece_sizes(unit.capacity, step)
        if len(sizes) == 1:
            pieces = [unit.model_copy(update={**changes, "capacity": sizes[0]})]
        else:
            pieces = [
                unit.model_copy(update={**changes, "unit_id": f"{unit.unit_id}-{piece_suffix(i)}", "capacity": size})
                for i, size in enumerate(sizes)
            ]
        pieces_made += len(pieces)
        units.extend(pieces)
        moved.update(spread_occupants(instance, occupants.get(unit.unit_id, []), pieces))
    ids = Counter(u.unit_id for u in units)
    clashes = sorted(i for i, n in ids.items() if n > 1)
    if clashes:
        raise StepError([("where", _("the new unit ids {ids} already exist in this instance").format(ids=", ".join(clashes)))])
    released = frozenset(y for y, unit_id in moved.items() if unit_id is None)
    before = sum(u.capacity for u in instance.units if u.unit_id in chosen)
    after = sum(u.capacity for u in units) - sum(u.capacity for u in instance.units if u.unit_id not in chosen)
    new = derive(instance, units=tuple(units), youths=_with_unit_of(instance, moved))
    return Change(new, _("split {units} ({filter}) into {pieces}; places {before} -> {after}; {occupants} no longer "
                         "fit and need a place again").format(
        units=count(len(chosen), "unit", "units"), filter=describe(step.where), pieces=count(pieces_made, "unit", "units"),
        before=number(before), after=number(after), occupants=count(len(released), "occupant", "occupants")), released)


# --- convert ----------------------------------------------------------------------------------


def convert_units(instance: Instance, step: Convert, ctx: Context) -> Change:
    """Units get another setting or care type; occupants who no longer fit need a place again."""
    chosen = {u.unit_id for u in matching_units(instance, step.where)}
    changes = {k: v for k, v in (("setting", step.setting), ("care_type", step.care_type)) if v is not None}
    units = tuple(u.model_copy(update=changes) if u.unit_id in chosen else u for u in instance.units)
    new_unit = {u.unit_id: u for u in units}
    released = {
        y.youth_id: None
        for y in instance.youths
        if y.current_unit_id in chosen and not unit_still_fits(y, new_unit[y.current_unit_id])
    }
    new = derive(instance, units=units, youths=_with_unit_of(instance, released))
    words = {"setting": _("setting {value}"), "care_type": _("care type {value}")}
    what = _(" and ").join(words[k].format(value=care_type_name(v) if k == "care_type" else v) for k, v in changes.items())
    return Change(new, _("converted {units} ({filter}) to {what}; {occupants} no longer fit and need a place again").format(
        units=count(len(chosen), "unit", "units"), filter=describe(step.where), what=what,
        occupants=count(len(released), "occupant", "occupants")), frozenset(released))


# --- add --------------------------------------------------------------------------------------


def add_supply(instance: Instance, step: Add, ctx: Context) -> Change:
    """New locations and units, written in the scenario itself (new providers, home-based teams)."""
    problems: list[tuple[str, str]] = []
    location_ids = set(instance.location_by_id)
    for k, loc in enumerate(step.locations, start=1):
        if loc.location_id in location_ids:
            problems.append((f"locations[{k}].location_id", _("location '{id}' already exists").format(id=loc.location_id)))
        if loc.gemeente not in instance.regions.jeugdregio_of:
            problems.append((f"locations[{k}].gemeente", _("gemeente '{code}' is not in the region map").format(code=loc.gemeente)))
        location_ids.add(loc.location_id)
    unit_ids = set(instance.unit_by_id)
    for k, unit in enumerate(step.units, start=1):
        if unit.unit_id in unit_ids:
            problems.append((f"units[{k}].unit_id", _("unit '{id}' already exists").format(id=unit.unit_id)))
        if unit.location_id not in location_ids:
            problems.append((f"units[{k}].location_id", _("location '{id}' exists neither in the instance nor in this step")
                             .format(id=unit.location_id)))
        unit_ids.add(unit.unit_id)
    if problems:
        raise StepError(problems)
    locations = tuple(Location(**loc.model_dump()) for loc in step.locations)
    units = tuple(Unit(**u.model_dump()) for u in step.units)
    new = derive(instance, locations=instance.locations + locations, units=instance.units + units)
    places = Counter()
    for u in units:
        places[u.setting] += u.capacity
    what = ", ".join(f"{number(n)} {s}" for s, n in places.items()) or _("no")
    return Change(new, _("added {locations} and {units} ({what} places)").format(
        locations=count(len(locations), "location", "locations"), units=count(len(units), "unit", "units"), what=what))


# --- set_cost ---------------------------------------------------------------------------------


def set_cost(instance: Instance, step: SetCost, ctx: Context) -> Change:
    """A new price per day, in euro or relative to the current price of each unit."""
    chosen = {u.unit_id for u in matching_units(instance, step.where)}
    units = tuple(
        u.model_copy(update={"cost_per_day": _new_cost(u.cost_per_day, step.cost_per_day, step.percent)})
        if u.unit_id in chosen else u
        for u in instance.units
    )
    unpriced = sum(1 for u in instance.units if u.unit_id in chosen and u.cost_per_day is None)
    if step.cost_per_day is not None:
        how = _("{amount} per day").format(amount=money(step.cost_per_day, decimals=2 if step.cost_per_day % 1 else 0))
    else:
        how = f"{step.percent:+g} %"
    note = _("cost per day of {units} ({filter}): {how}").format(
        units=count(len(chosen), "unit", "units"), filter=describe(step.where), how=how)
    if unpriced and step.percent is not None:
        note += _("; {units} had no cost per day and still have none").format(units=count(unpriced, "unit", "units"))
    return Change(derive(instance, units=units), note)


# --- demand -----------------------------------------------------------------------------------


def fresh_youth_ids(instance: Instance, ctx: Context, n: int) -> list[str]:
    """New pseudonymous ids for extra youths: N<step>-00001, ... (never an existing id)."""
    taken = set(instance.youth_by_id)
    ids, k = [], 0
    while len(ids) < n:
        k += 1
        candidate = f"N{ctx.step}-{k:05d}"
        if candidate not in taken:
            ids.append(candidate)
    return ids


def scale_demand(instance: Instance, step: Demand, ctx: Context) -> Change:
    """More or fewer new youths: a random (seeded) part is dropped, or duplicated with fresh ids.

    A duplicate asks for the same care from the same home point; it is not part of the
    original's sibling group nor of its conflicts. Residents displaced by an earlier step are no
    new demand: they are never dropped nor duplicated.
    """
    pool = [i for i in matching_youths(instance, step.where) if instance.youths[i].youth_id not in ctx.displaced]
    if not pool:
        raise StepError([("where", _("matches no new youth ({filter})").format(filter=describe(step.where)))])
    kept = _("; {residents} not counted").format(
        residents=count(len(ctx.displaced), "displaced resident", "displaced residents")) if ctx.displaced else ""
    youths = list(instance.youths)
    if step.factor < 1:
        n = _round_half_up((1 - step.factor) * len(pool))
        dropped = {youths[i].youth_id for i in ctx.rng.choice(pool, size=n, replace=False)} if n else set()
        new = derive(
            instance,
            youths=tuple(y for y in youths if y.youth_id not in dropped),
            conflicts=tuple(p for p in instance.conflicts if not (set(p) & dropped)),
        )
        return Change(new, _("new demand ({filter}) x {factor}: {youths} of {pool} left out").format(
            filter=describe(step.where), factor=number(step.factor, 2).rstrip("0").rstrip(",."),
            youths=count(n, "youth", "youths"), pool=number(len(pool))) + kept)
    n = _round_half_up((step.factor - 1) * len(pool))
    picks = sorted(ctx.rng.choice(pool, size=n, replace=n > len(pool))) if n else []
    extra = tuple(
        youths[i].model_copy(update={"youth_id": new_id, "sibling_group": None})
        for i, new_id in zip(picks, fresh_youth_ids(instance, ctx, n))
    )
    new = derive(instance, youths=instance.youths + extra)
    return Change(new, _("new demand ({filter}) x {factor}: {youths} added to {pool}").format(
        filter=describe(step.where), factor=number(step.factor, 2).rstrip("0").rstrip(",."),
        youths=count(n, "youth", "youths"), pool=number(len(pool))) + kept)


def shift_demand_home(instance: Instance, step: Demand, ctx: Context) -> Change:
    """Part of the need is met closer to home: a seeded share of the youths get a more home-like
    min_setting (e.g. residentieel -> thuis with intensive home-based treatment)."""
    source = step.source_settings
    pool = [i for i in matching_youths(instance, step.where, occupants=step.occupants)
            if instance.youths[i].min_setting in source]
    if not pool:
        text = (_("matches no youth who needs at least setting {settings} ({filter})") if step.occupants
                else _("matches no new youth who needs at least setting {settings} ({filter})"))
        raise StepError([("where", text.format(settings=", ".join(source), filter=describe(step.where)))])
    n = _round_half_up(step.target_share * len(pool))
    chosen = set(int(i) for i in ctx.rng.choice(pool, size=n, replace=False)) if n else set()
    youths = tuple(
        y.model_copy(update={"min_setting": step.target_setting}) if i in chosen else y
        for i, y in enumerate(instance.youths)
    )
    text = (_("{n} of {pool} youths (occupants included) who needed setting {settings} ({filter}) now need "
              "setting {target}") if step.occupants
            else _("{n} of {pool} new youths who needed setting {settings} ({filter}) now need setting {target}"))
    return Change(derive(instance, youths=youths), text.format(
        n=number(n), pool=number(len(pool)), settings="/".join(source), filter=describe(step.where),
        target=step.target_setting))


def change_demand(instance: Instance, step: Demand, ctx: Context) -> Change:
    """The demand op: scale the number of new youths, or shift need closer to home."""
    return scale_demand(instance, step, ctx) if step.factor is not None else shift_demand_home(instance, step, ctx)


# --- regions ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def youths_per_gemeente() -> dict[str, float]:
    """CBS estimate of the number of youths aged 0-17 per gemeente (1 Jan 2023)."""
    with (DATA / "bevolking_gemeente.csv").open(encoding="utf-8") as f:
        return {r["gemeentecode"]: float(r["jeugd_0_17_est"]) for r in csv.DictReader(f)}


def _region_map(regions: RegionMap, jeugdregio_of: dict[str, str], bovenregio_of: dict[str, str],
                names: dict[str, str]) -> RegionMap:
    used = set(jeugdregio_of.values())
    return RegionMap(
        jeugdregio_of=jeugdregio_of,
        bovenregio_of={j: b for j, b in bovenregio_of.items() if j in used},
        jeugdregio_name={j: n for j, n in names.items() if j in used},
        source="scenario",
    )


def _name(regions: RegionMap, code: str) -> str:
    return regions.jeugdregio_name.get(code, code)


def merge_regions(instance: Instance, step: Regions, ctx: Context) -> Change:
    """Named jeugdregio's become one, under the code, name and bovenregio of the first."""
    regions = instance.regions
    codes = list(dict.fromkeys(step.merge))
    unknown = [c for c in codes if c not in regions.bovenregio_of]
    if unknown:
        raise StepError([("merge", _("jeugdregio {codes} does not exist in this instance's region map").format(codes=", ".join(unknown))
                          + did_you_mean(unknown[0], sorted(regions.bovenregio_of),
                                         {n: c for c, n in regions.jeugdregio_name.items()}, regions.jeugdregio_name))])
    target, others = codes[0], set(codes[1:])
    jeugdregio_of = {g: (target if j in others else j) for g, j in regions.jeugdregio_of.items()}
    names = dict(regions.jeugdregio_name)
    names[target] = " + ".join(_name(regions, c) for c in codes)
    new = derive(instance, regions=_region_map(regions, jeugdregio_of, regions.bovenregio_of, names))
    crossing = sorted({regions.bovenregio_of[c] for c in codes})
    note = _("merged jeugdregio's {codes} into {target} ({name})").format(codes=", ".join(codes), target=target, name=names[target])
    if len(crossing) > 1:
        note += _("; they lay in different bovenregio's ({crossing}), the merged region is in {bovenregio}").format(
            crossing=", ".join(crossing), bovenregio=regions.bovenregio_of[target])
    return Change(new, note)


def _centroids(jeugdregio_of: dict[str, str], youth: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Youth-weighted centre of each jeugdregio, from a point inside each of its gemeenten."""
    from matcher.geography.geo import gemeente_points

    points = gemeente_points()
    sums: dict[str, list[float]] = {}
    for g, j in jeugdregio_of.items():
        if g not in points:
            continue
        w = youth.get(g, 0.0) or 1.0
        s = sums.setdefault(j, [0.0, 0.0, 0.0])
        s[0] += w * points[g][0]
        s[1] += w * points[g][1]
        s[2] += w
    return {j: (s[0] / s[2], s[1] / s[2]) for j, s in sums.items()}


def merge_small_regions(instance: Instance, step: Regions, ctx: Context) -> Change:
    """Every jeugdregio with fewer youths (0-17) than ``merge_below`` joins its nearest neighbour
    in the same bovenregio, smallest first, until none is left that can merge.

    "Nearest" is the distance between the youth-weighted centres of the two regions. A small
    region that is alone in its bovenregio stays as it is (and is named in the note).
    """
    regions = instance.regions
    youth = youths_per_gemeente()
    jeugdregio_of = dict(regions.jeugdregio_of)
    bovenregio_of = dict(regions.bovenregio_of)
    names = dict(regions.jeugdregio_name)
    merges: list[str] = []
    while True:
        size = Counter()
        for g, j in jeugdregio_of.items():
            size[j] += youth.get(g, 0.0)
        present = sorted(set(jeugdregio_of.values()))
        partners = {j: [o for o in present if o != j and bovenregio_of[o] == bovenregio_of[j]] for j in present}
        small = sorted((size[j], j) for j in present if size[j] < step.merge_below and partners[j])
        if not small:
            break
        region = small[0][1]
        centre = _centroids(jeugdregio_of, youth)
        target = min(partners[region], key=lambda o: (_km(centre, region, o), o))
        merges.append(_("{region} ({name}, {youths}) into {target}").format(
            region=region, name=names.get(region, region), youths=count(round(size[region]), "youth", "youths"), target=target))
        names[target] = f"{names.get(target, target)} + {names.get(region, region)}"
        jeugdregio_of = {g: (target if j == region else j) for g, j in jeugdregio_of.items()}
    if not merges:
        raise StepError([("merge_below", _("no jeugdregio with fewer than {youths} can merge: the step changes nothing")
                          .format(youths=count(step.merge_below, "youth", "youths")))])
    size = Counter()
    for g, j in jeugdregio_of.items():
        size[j] += youth.get(g, 0.0)
    alone = sorted(j for j in set(jeugdregio_of.values()) if size[j] < step.merge_below)
    new = derive(instance, regions=_region_map(regions, jeugdregio_of, bovenregio_of, names))
    merged = count(len(merges), "small jeugdregio", "small jeugdregio's")
    note = _("merged {merged} (below {youths} aged 0-17): ").format(
        merged=merged, youths=count(step.merge_below, "youth", "youths")) + "; ".join(merges)
    if alone:
        note += _(". Still below the threshold, with no partner left in their bovenregio: {regions}").format(regions=", ".join(alone))
    return Change(new, note)


def _km(centre: dict[str, tuple[float, float]], a: str, b: str) -> float:
    if a not in centre or b not in centre:
        return math.inf
    return scalar_distance_km(*centre[a], *centre[b], 1.0)


def move_regions(instance: Instance, step: Regions, ctx: Context) -> Change:
    """Jeugdregio's move to another (existing) bovenregio: they then share its places without penalty."""
    regions = instance.regions
    known_boven = set(regions.bovenregio_of.values())
    problems = []
    for j, b in step.move.items():
        if j not in regions.bovenregio_of:
            problems.append((f"move.{j}", _("jeugdregio '{code}' does not exist in this instance's region map").format(code=j)
                             + did_you_mean(j, sorted(regions.bovenregio_of),
                                            {n: c for c, n in regions.jeugdregio_name.items()}, regions.jeugdregio_name)))
        elif b not in known_boven:
            problems.append((f"move.{j}", _("bovenregio '{name}' does not exist (known: {known})").format(
                name=b, known=", ".join(sorted(known_boven)))))
        elif regions.bovenregio_of[j] == b:
            problems.append((f"move.{j}", _("jeugdregio '{code}' already lies in bovenregio '{name}'").format(code=j, name=b)))
    if problems:
        raise StepError(problems)
    bovenregio_of = {**regions.bovenregio_of, **step.move}
    new = derive(instance, regions=_region_map(regions, dict(regions.jeugdregio_of), bovenregio_of, dict(regions.jeugdregio_name)))
    moves = ", ".join(f"{j} {regions.bovenregio_of[j]} -> {b}" for j, b in step.move.items())
    return Change(new, _("moved jeugdregio's to another bovenregio: {moves}").format(moves=moves))


def change_regions(instance: Instance, step: Regions, ctx: Context) -> Change:
    """The regions op: merge, merge the small ones, or move."""
    if step.merge:
        return merge_regions(instance, step, ctx)
    if step.merge_below is not None:
        return merge_small_regions(instance, step, ctx)
    return move_regions(instance, step, ctx)


# --- settings ---------------------------------------------------------------------------------


def change_settings(instance: Instance, step: SettingsChange, ctx: Context) -> Change:
    """Other distance limits, weights, moves allowed or road factor; what is not named stays."""
    settings = instance.settings
    update: dict = {}
    if step.max_km:
        update["max_km"] = {**settings.max_km, **step.max_km}
    if step.weights is not None:
        changed = {k: v for k, v in step.weights.model_dump().items() if v is not None}
        update["weights"] = settings.weights.model_copy(update=changed)
    if step.allow_moves is not None:
        update["allow_moves"] = step.allow_moves
    if step.road_factor is not None:
        update["road_factor"] = step.road_factor
    said = []
    for k, v in update.items():
        if k == "max_km":
            said += [f"max_km.{c} {v[c]:g}" for c in step.max_km]
        elif k == "weights":
            said += [f"weights.{w} {x}" for w, x in changed.items()]
        else:
            said.append(f"{k} {v}")
    return Change(derive(instance, settings=settings.model_copy(update=update)), _("settings: {changes}").format(changes=", ".join(said)))


OPERATIONS = {
    "close": close_units,
    "split": split_units,
    "convert": convert_units,
    "add": add_supply,
    "set_cost": set_cost,
    "demand": change_demand,
    "regions": change_regions,
    "settings": change_settings,
}
