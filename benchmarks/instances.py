"""The benchmark tiers: seeded generated instances from small to national-stock-and-beyond.

Every tier is drawn from ``matcher.generator``'s ``stress`` preset (the national mechanics at any
size; its ``youths`` count is ALL youths, of whom at most half are current occupants):

* ``S``  120 youths (60 new, 60 occupants), 500 units;
* ``M``  1,000 youths (500 new), 1,200 units;
* ``L``  5,000 youths (2,500 new), 2,500 units, and occupants may move (``allow_moves``), as in
  a re-optimisation of the stock;
* ``XL`` 20,000 youths (10,000 new), 8,000 units;
* ``week`` the weekly run of a bovenregio-wide matching desk: 100 new youths, 3,000 occupants
  who stay, 1,000 units (drawn as 6,000 youths x 1,000 units, keeping every occupant and the
  first 100 new requests, whole sibling groups only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from matcher.generator import generate
from matcher.instance import Instance


@dataclass(frozen=True)
class Tier:
    """One benchmark size: how to draw it, and the time limits of a full and a quick run.

    In a full run the plain MIP gets ``full_mip_seconds``: five times matcher's limit where the
    budget allows, so that "matcher is at least 5x faster at an equal or better objective" can be
    decided even when HiGHS does not finish. A quick run gives both the same short limit.
    """

    name: str
    description: str
    build: Callable[[int], Instance]
    full_seconds: float
    quick_seconds: float
    full_mip_seconds: float


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


TIERS: dict[str, Tier] = {
    "S": Tier("S", "stress 120 youths (60 new) x 500 units",
              lambda seed: stress_case(120, 500, seed), 60.0, 10.0, 300.0),
    "M": Tier("M", "stress 1,000 youths (500 new) x 1,200 units",
              lambda seed: stress_case(1000, 1200, seed), 60.0, 10.0, 300.0),
    "week": Tier("week", "100 new youths, 3,000 occupants who stay, 1,000 units",
                 lambda seed: weekly_case(seed), 60.0, 10.0, 300.0),
    "L": Tier("L", "stress 5,000 youths (2,500 new) x 2,500 units, occupants may move",
              lambda seed: stress_case(5000, 2500, seed, allow_moves=True), 60.0, 20.0, 300.0),
    "XL": Tier("XL", "stress 20,000 youths (10,000 new) x 8,000 units",
               lambda seed: stress_case(20000, 8000, seed), 300.0, 60.0, 300.0),
}
#: What ``--quick`` and ``--full`` run when no ``--sizes`` are given.
QUICK_TIERS = ("S", "M", "week")
FULL_TIERS = ("S", "M", "week", "L", "XL")
