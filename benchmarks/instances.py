"""The benchmark tiers: seeded generated instances from small to national-stock-and-beyond,
and the two shipped national instances.

The generated tiers are drawn from ``matcher.generator``'s ``stress`` preset (the national
mechanics at any size; its ``youths`` count is ALL youths, of whom at most half are current
occupants, who fill at most 60 % of the places):

* ``S``  120 youths (60 new, 60 occupants), 500 units;
* ``M``  1,000 youths (500 new), 1,200 units;
* ``week`` the weekly run of a bovenregio-wide matching desk: 100 new youths, 3,000 occupants
  who stay, 1,000 units (drawn as 6,000 youths x 1,000 units, keeping every occupant and the
  first 100 new requests, whole sibling groups only);
* ``scarce`` 3,000 youths (1,500 new) x 500 units: about as many youths as places, so that, as
  on real waiting lists, intensive youth mental health care and eating-disorder care get more
  requests than they have free places, nationally and in several bovenregio's, while other care
  types have room (``shortages`` lists where);
* ``dense`` 5,000 youths (2,500 new) x 1,000 units: five youths per unit;
* ``moves`` 5,000 youths (2,500 new) x 2,500 units, and occupants may move (``allow_moves``), as
  in a re-optimisation of the stock; ``L`` is its former name (the same instances);
* ``XL`` 20,000 youths (10,000 new), 8,000 units;

and the shipped instances ``nl-week`` and ``nl-stock`` (``instances/``), the same files every
run: their "seed" is the solvers' seed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from matcher.generator import generate
from matcher.instance import Instance
from matcher.input.source import read_instance

SHIPPED = Path(__file__).resolve().parents[1] / "instances"


@dataclass(frozen=True)
class Limits:
    """Time limits and repetitions of one tier in one mode (full or quick).

    ``plain_mip`` is the plain MIP's limit (``None``: it is not run); ``plain_mip_seeds`` runs
    it on the first seeds only (``None``: on all), where it costs too much to repeat.
    ``in_process_repeats`` > 0 also times ``solve(read_instance(...))`` in one process.
    """

    matcher: float
    plain_mip: float | None
    plain_mip_seeds: int | None = None
    in_process_repeats: int = 0


@dataclass(frozen=True)
class Tier:
    """One benchmark instance family: how to draw it for a seed, and its limits per mode.

    A ``shipped`` tier is a folder under ``instances/``, used as it is for every seed; the seed
    then goes to the solvers instead (``solver_seed``).
    """

    name: str
    description: str
    build: Callable[[int], Instance]
    full: Limits
    quick: Limits
    shipped: str | None = None

    def limits(self, mode: str) -> Limits:
        return self.full if mode == "full" else self.quick

    def solver_seed(self, seed: int) -> int:
        """Generated tiers run the solvers as a user does (seed 0); shipped ones vary it."""
        return seed if self.shipped else 0


def stress_case(youths: int, units: int, seed: int, allow_moves: bool = False) -> Instance:
    """A ``stress`` instance; with ``allow_moves`` the occupants may be moved (a new instance)."""
    instance = generate("stress", seed, youths=youths, units=units)
    if allow_moves != instance.settings.allow_moves:
        settings = instance.settings.model_copy(update={"allow_moves": allow_moves})
        instance = instance.model_copy(update={"settings": settings})
    return instance


def weekly_case(seed: int, new: int = 100, occupants: int = 3000, units: int = 1000) -> Instance:
    """A week at the matching desk: ``new`` requests next to ``occupants`` who stay.

    The stress preset fills units with at most half of its youths, so it is drawn with twice the
    occupants; all occupants are kept and the new requests are taken in drawing order (which is
    random), a sibling group only as a whole. Contra-indications with a request left out go too.
    """
    full = generate("stress", seed, youths=2 * occupants, units=units)
    staying = [y for y in full.youths if y.current_unit_id is not None]
    requests = [y for y in full.youths if y.current_unit_id is None]
    group_size: dict[str, int] = {}
    for y in requests:
        if y.sibling_group is not None:
            group_size[y.sibling_group] = group_size.get(y.sibling_group, 0) + 1
    kept: set[str] = set()
    taken_groups: set[str] = set()
    for y in requests:
        if len(kept) >= new:
            break
        if y.sibling_group is None:
            kept.add(y.youth_id)
        elif y.sibling_group not in taken_groups and len(kept) + group_size[y.sibling_group] <= new:
            taken_groups.add(y.sibling_group)
            kept.update(r.youth_id for r in requests if r.sibling_group == y.sibling_group)
    youths = tuple(y for y in full.youths if y.current_unit_id is not None or y.youth_id in kept)
    ids = {y.youth_id for y in youths}
    conflicts = tuple((a, b) for a, b in full.conflicts if a in ids and b in ids)
    settings = full.settings.model_copy(update={"name": f"week-{new}-new-{len(staying)}-occupants-{units}-units"})
    return Instance(settings=settings, locations=full.locations, units=full.units, youths=youths,
                    conflicts=conflicts, regions=full.regions)


def shipped_case(name: str) -> Instance:
    """A shipped instance folder, read as ``matcher solve`` reads it."""
    return read_instance(SHIPPED / name)


def shortages(instance: Instance) -> dict[tuple[str, str], tuple[int, int]]:
    """Where new requests outnumber free places: (care type, bovenregio or "NL") -> (requests,
    free places). A request counts in the bovenregio of its home, a place in its unit's."""
    location = {l.location_id: l for l in instance.locations}
    unit = {u.unit_id: u for u in instance.units}

    def boven(gemeente: str) -> str:
        return instance.regions.bovenregio_of_gemeente(gemeente)

    free: Counter = Counter()
    for u in instance.units:
        area = boven(location[u.location_id].gemeente)
        free[(u.care_type, area)] += u.capacity
        free[(u.care_type, "NL")] += u.capacity
    requests: Counter = Counter()
    for y in instance.youths:
        if y.current_unit_id is None:
            requests[(y.care_type, boven(y.home_gemeente))] += 1
            requests[(y.care_type, "NL")] += 1
        else:
            u = unit[y.current_unit_id]
            free[(u.care_type, boven(location[u.location_id].gemeente))] -= 1
            free[(u.care_type, "NL")] -= 1
    return {k: (n, free[k]) for k, n in sorted(requests.items()) if n > free[k]}


SHORT = Limits(10.0, 10.0)
FULL = Limits(60.0, 300.0)
TIERS: dict[str, Tier] = {
    "S": Tier("S", "stress 120 youths (60 new) x 500 units",
              lambda seed: stress_case(120, 500, seed), FULL, SHORT),
    "M": Tier("M", "stress 1,000 youths (500 new) x 1,200 units",
              lambda seed: stress_case(1000, 1200, seed), FULL, SHORT),
    "week": Tier("week", "100 new youths, 3,000 occupants who stay, 1,000 units",
                 lambda seed: weekly_case(seed), FULL, SHORT),
    "scarce": Tier("scarce", "stress 3,000 youths (1,500 new) x 500 units: more requests than free places "
                             "in some care types and bovenregio's",
                   lambda seed: stress_case(3000, 500, seed), FULL, SHORT),
    "dense": Tier("dense", "stress 5,000 youths (2,500 new) x 1,000 units: five youths per unit",
                  lambda seed: stress_case(5000, 1000, seed), Limits(60.0, 300.0), Limits(20.0, 20.0)),
    "moves": Tier("moves", "stress 5,000 youths (2,500 new) x 2,500 units, occupants may move",
                  lambda seed: stress_case(5000, 2500, seed, allow_moves=True),
                  Limits(60.0, 150.0, plain_mip_seeds=1), Limits(20.0, 20.0, plain_mip_seeds=1)),
    "L": Tier("L", "the moves tier under its former name (same instances and limits as before)",
              lambda seed: stress_case(5000, 2500, seed, allow_moves=True), FULL, Limits(20.0, 20.0)),
    "XL": Tier("XL", "stress 20,000 youths (10,000 new) x 8,000 units",
               lambda seed: stress_case(20000, 8000, seed),
               Limits(60.0, 300.0, plain_mip_seeds=1), Limits(60.0, None)),
    "nl-week": Tier("nl-week", "the shipped national week: 96 new requests, 2,532 occupants who stay, 406 units",
                    lambda seed: shipped_case("nl-week"), Limits(60.0, 60.0, in_process_repeats=20),
                    Limits(10.0, 10.0, in_process_repeats=5), shipped="nl-week"),
    "nl-stock": Tier("nl-stock", "the shipped national stock: 641 waiting youths, 2,532 occupants who may move, "
                                 "406 units",
                     lambda seed: shipped_case("nl-stock"), Limits(60.0, 120.0, in_process_repeats=3),
                     Limits(20.0, 20.0, in_process_repeats=2), shipped="nl-stock"),
}
#: What ``--quick`` and ``--full`` run when no ``--sizes`` are given (``L`` is ``moves``).
QUICK_TIERS = ("S", "M", "week", "scarce", "nl-week")
FULL_TIERS = ("S", "M", "week", "scarce", "dense", "moves", "XL", "nl-week", "nl-stock")
