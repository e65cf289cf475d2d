"""The week's arrivals: Poisson per care type, each youth's profile from the national demand model.

Arrivals are drawn per (replication, week) at the highest inflow any scenario can have; each
arrival carries a number ``u`` and is kept in a scenario when ``u`` is below that scenario's
inflow factor divided by that highest one (thinning). So every scenario of a replication sees
the same youths, and a scenario with lower inflow sees a part of them: common random numbers.
A scenario's re-indication steps (``op = "demand"``) are applied to every week's arrivals as
they were to the waiting youths of week 0.
"""

from __future__ import annotations

from dataclasses import dataclass


from matcher.domain import CARE_TYPES
from matcher.generator.demand import arrival_profiles
from matcher.generator.places import gemeenten
from matcher.generator.relations import new_sibling_groups
from matcher.instance import Instance, RegionMap, Settings, Youth
from matcher.scenario.operations import OPERATIONS, Context
from matcher.scenario.select import StepError
from matcher.simulation.streams import key_of, seed_of, stream


@dataclass(frozen=True)
class Arrival:
    """A youth who asks for a place this week, with its stay number ``z`` and thinning number ``u``."""

    youth: Youth
    z: float
    u: float


def week_arrivals(seed: int, replication: int, week: int, rates: dict[str, float], siblings: bool) -> list[Arrival]:
    """The youths who arrive in ``week`` of ``replication`` (``rates``: mean per week by care type).

    The youths are built without pydantic's checks (``_trusted``): every value comes from the
    demand model's own tables (a test holds a year of arrivals to what validation gives)."""
    rng = stream(seed, replication, "arrivals", week)
    drafts = []
    for care_type in CARE_TYPES:
        drafts += arrival_profiles(rng, care_type, int(rng.poisson(rates.get(care_type, 0.0))))
    if siblings and drafts:
        new_sibling_groups(rng, drafts, first_group=1)
    codes = gemeenten().codes
    z = stream(seed, replication, "stay", week).standard_normal(len(drafts))
    u = stream(seed, replication, "thinning", week).random(len(drafts))
    arrivals = []
    for i, d in enumerate(drafts):
        youth = _trusted(
            youth_id=f"W{week:03d}-{i + 1:04d}", home_gemeente=codes[d.home], home_lat=d.home_lat,
            home_lon=d.home_lon, care_type=d.care_type, alt_care_types=d.alt_care_types,
            min_setting=d.min_setting, machtiging=d.machtiging, age=d.age, gender=d.gender,
            urgency=d.urgency, waiting_weeks=0,
            sibling_group=None if d.sibling_group is None else f"W{week:03d}-G{d.sibling_group}",
        )
        arrivals.append(Arrival(youth, float(z[i]), float(u[i])))
    return arrivals


#: Every field of a youth in order, with its default (None: the field must be given).
_FIELDS = {name: (None if f.is_required() else f.get_default(call_default_factory=True))
           for name, f in Youth.model_fields.items()}


def _trusted(**values) -> Youth:
    """The youth with these field values, as validation would build it from values known to be
    valid, at a fifth of its cost (pydantic's ``model_construct`` costs more than validating)."""
    return trusted_youth({name: values.get(name, default) for name, default in _FIELDS.items()}, set(values))


def trusted_youth(fields: dict, fields_set: set) -> Youth:
    """A youth made of ``fields`` (every field, in order), values the simulation knows are
    valid, without pydantic's checks; ``fields_set``: the fields given rather than defaulted."""
    youth = object.__new__(Youth)
    object.__setattr__(youth, "__dict__", fields)
    object.__setattr__(youth, "__pydantic_fields_set__", fields_set)
    object.__setattr__(youth, "__pydantic_extra__", None)
    object.__setattr__(youth, "__pydantic_private__", None)
    return youth


def reindicated(arrivals: list[Arrival], steps: tuple, regions: RegionMap, seed: int,
                replication: int, week: int) -> list[Arrival]:
    """The arrivals after the scenario's demand steps ``steps`` ((number, step) pairs).

    A step that finds no youth to work on this week changes nothing. Youths a step adds (a
    demand factor above 1) get an id of this week and numbers of their own.
    """
    if not steps or not arrivals:
        return arrivals
    youths = tuple(a.youth for a in arrivals)
    ctx_seed = seed_of(seed, replication, "demand", week)
    for n, step in steps:
        week_demand = Instance.model_construct(settings=Settings(), locations=(), units=(), youths=youths,
                                               conflicts=(), regions=regions)
        try:
            youths = OPERATIONS["demand"](week_demand, step, Context(step=n, seed=ctx_seed)).instance.youths
        except StepError:
            continue
    known = {a.youth.youth_id: a for a in arrivals}
    result = []
    for y in youths:
        if y.youth_id in known:
            result.append(Arrival(y, known[y.youth_id].z, known[y.youth_id].u))
            continue
        new_id = f"W{week:03d}-{y.youth_id}"
        rng = stream(seed, replication, "stay", week, key_of(new_id))
        result.append(Arrival(y.model_copy(update={"youth_id": new_id}), float(rng.standard_normal()), float(rng.random())))
    return result
