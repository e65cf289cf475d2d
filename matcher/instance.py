"""The instance: an immutable, checked description of one week's matching problem.

Reading files and reporting problems with file/line/column is done in ``matcher.input.reading``; the
rules that tie two fields of one row together (``age_range_problem``, ``alt_care_types_problems``)
live here, once, so that an instance built in Python is held to the same contract and reading
reports the same sentences at their line. Defaults live here too: an empty cell takes the
model's default. Scenarios make a new instance with ``model_copy(update=...)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from matcher.domain import (
    AGE_RANGE,
    AGE_SPREAD_RANGE,
    CAPACITY_RANGE,
    CARE_TYPES,
    COST_PER_DAY_LIMIT,
    MAX_KM_LIMIT,
    ROAD_FACTOR_LIMIT,
    URGENCY_RANGE,
    WAITING_WEEKS_RANGE,
    WEIGHT_LIMIT,
    CareType,
    Setting,
    UnitGender,
    YouthGender,
)
from matcher.i18n import _

_FROZEN = ConfigDict(frozen=True, extra="forbid")
_NUMBERS = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

#: A cost in points: a finite number from 0 to ``WEIGHT_LIMIT``.
Cost = Annotated[float, Field(ge=0, le=WEIGHT_LIMIT)]
#: A finite number above 0.
Positive = Annotated[float, Field(gt=0)]
#: A distance limit in km: above 0, at most ``MAX_KM_LIMIT``.
Km = Annotated[float, Field(gt=0, le=MAX_KM_LIMIT)]
#: The factor from great-circle to road km: above 0, at most ``ROAD_FACTOR_LIMIT``.
RoadFactor = Annotated[float, Field(gt=0, le=ROAD_FACTOR_LIMIT)]
Age = Annotated[int, Field(ge=AGE_RANGE[0], le=AGE_RANGE[1])]


def _three_costs(value: Any) -> Any:
    """Three costs of 0 or more; TOML writes them as a list, the model keeps a tuple."""
    if isinstance(value, (list, tuple)):
        if len(value) != 3 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= WEIGHT_LIMIT for x in value
        ):
            raise ValueError(_("must be three costs from 0 to {limit:g}, for urgency 1, 2 and 3")
                             .format(limit=WEIGHT_LIMIT))
        return tuple(value)
    return value


#: ``unplaced``: the cost of leaving a youth without a place, for urgency 1, 2 and 3.
UnplacedCosts = Annotated[tuple[Cost, Cost, Cost], BeforeValidator(_three_costs)]


def age_range_problem(age_min: int, age_max: int) -> str | None:
    """A unit's youngest admissible age cannot lie above its oldest."""
    if age_min <= age_max:
        return None
    return _("the youngest age {age_min} is above the oldest age {age_max}").format(age_min=age_min, age_max=age_max)


def alt_care_types_problems(care_type: str | None, alt_care_types: Sequence[str]) -> list[str]:
    """Alternatives are other care types than the youth's own, each named once (in order of
    preference)."""
    if not alt_care_types or (care_type not in alt_care_types and len(set(alt_care_types)) == len(alt_care_types)):
        return []  # the common case, asked of every youth at every read
    problems = []
    repeated = sorted({a for a in alt_care_types if alt_care_types.count(a) > 1})
    if repeated:
        problems.append(_("'{care_types}' is listed twice").format(care_types=", ".join(repeated)))
    if care_type is not None and care_type in alt_care_types:
        problems.append(_("'{care_type}' is the youth's own care type, not an alternative").format(care_type=care_type))
    return problems


def _default_max_km() -> dict[str, float]:
    return {"gesloten": 150.0, "driemilieu": 150.0, "intensieve_ggz": 150.0, "eetstoornis": 250.0}


class Weights(BaseModel):
    """Objective weights; every one is a cost in the same unit (points, 1 point = 1 km)."""

    model_config = _NUMBERS
    unplaced: UnplacedCosts = Field(
        (1000.0, 2000.0, 4000.0), description="cost of leaving a youth unplaced, by urgency 1, 2, 3"
    )
    waiting_week: Cost = Field(10.0, description="added to the unplaced cost per waiting week")
    km: Cost = Field(1.0, description="per km between home point and unit")
    setting_step: Cost = Field(50.0, description="per setting rank above min_setting")
    outside_jeugdregio: Cost = Field(30.0, description="placement outside own jeugdregio")
    outside_bovenregio: Cost = Field(60.0, description="added on top when outside own bovenregio")
    alt_care_type: Cost = Field(40.0, description="per position in alt_care_types")
    move: Cost = Field(500.0, description="per occupant moved (only with allow_moves)")


class Settings(BaseModel):
    """instance.toml: settings and weights, every key with a default.

    ``matcher.input.reading`` validates the file through this model (strictly: ``1`` is not ``true``).
    """

    model_config = _NUMBERS
    name: str = Field("instance", description="a non-empty text; surrounding spaces are dropped")
    allow_moves: bool = False
    road_factor: RoadFactor = 1.0
    max_km: dict[CareType, Km] = Field(default_factory=_default_max_km)
    weights: Weights = Field(default_factory=Weights)

    @field_validator("name")
    @classmethod
    def _name_is_given(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(_("name must be a non-empty text"))
        return v.strip()

    @field_validator("max_km")
    @classmethod
    def _complete_max_km(cls, v: dict[str, float]) -> dict[str, float]:
        return {**_default_max_km(), **v}


class Location(BaseModel):
    """A provider location (a site with one or more units)."""

    model_config = _FROZEN
    location_id: str
    provider: str
    name: str | None = None
    gemeente: str
    lat: float
    lon: float


class Unit(BaseModel):
    """A residential unit or a block of home-based caseload slots at a location."""

    model_config = _FROZEN
    unit_id: str
    location_id: str
    care_type: CareType
    setting: Setting
    capacity: int = Field(ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    age_min: Age = 0
    age_max: Age = 23
    gender: UnitGender = "gemengd"
    max_age_spread: int | None = Field(None, ge=AGE_SPREAD_RANGE[0], le=AGE_SPREAD_RANGE[1])
    cost_per_day: float | None = Field(None, ge=0, le=COST_PER_DAY_LIMIT)

    @model_validator(mode="after")
    def _age_order(self) -> "Unit":
        problem = age_range_problem(self.age_min, self.age_max)
        if problem:
            raise ValueError(_("unit {unit}: {problem}").format(unit=self.unit_id, problem=problem))
        return self


class Youth(BaseModel):
    """A youth: new demand, or a current occupant when ``current_unit_id`` is set."""

    model_config = _FROZEN
    youth_id: str
    home_gemeente: str
    home_lat: float
    home_lon: float
    care_type: CareType
    alt_care_types: tuple[CareType, ...] = ()
    min_setting: Setting
    machtiging: bool = False
    age: Age
    gender: YouthGender
    urgency: int = Field(1, ge=URGENCY_RANGE[0], le=URGENCY_RANGE[1])
    waiting_weeks: int = Field(0, ge=WAITING_WEEKS_RANGE[0], le=WAITING_WEEKS_RANGE[1])
    max_km: float | None = Field(None, gt=0, le=MAX_KM_LIMIT)
    sibling_group: str | None = None
    excluded_locations: tuple[str, ...] = ()
    current_unit_id: str | None = None

    @property
    def is_occupant(self) -> bool:
        return self.current_unit_id is not None

    @model_validator(mode="after")
    def _alt_care_types(self) -> "Youth":
        problems = alt_care_types_problems(self.care_type, self.alt_care_types)
        if problems:
            raise ValueError(_("youth {youth}: alternative care types: {problems}")
                             .format(youth=self.youth_id, problems="; ".join(problems)))
        return self


class RegionMap(BaseModel):
    """gemeente -> jeugdregio -> bovenregio; every jeugdregio lies in exactly one bovenregio."""

    model_config = _FROZEN
    jeugdregio_of: dict[str, str] = Field(description="gemeente code -> jeugdregio")
    bovenregio_of: dict[str, str] = Field(description="jeugdregio -> bovenregio")
    jeugdregio_name: dict[str, str] = Field(default_factory=dict, description="display names")
    source: str = "shipped"

    @model_validator(mode="after")
    def _complete(self) -> "RegionMap":
        missing = sorted(set(self.jeugdregio_of.values()) - set(self.bovenregio_of))
        if missing:
            raise ValueError(_("jeugdregio's without bovenregio: {regions}").format(regions=", ".join(missing)))
        return self

    def bovenregio_of_gemeente(self, gemeente: str) -> str:
        return self.bovenregio_of[self.jeugdregio_of[gemeente]]


class Instance(BaseModel):
    """One matching problem: settings, supply (locations, units) and demand (youths)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    settings: Settings = Field(default_factory=Settings)
    locations: tuple[Location, ...] = ()
    units: tuple[Unit, ...] = ()
    youths: tuple[Youth, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = Field((), description="pairs that never share a unit")
    regions: RegionMap

    @model_validator(mode="after")
    def _references(self) -> "Instance":
        problems: list[str] = []
        for kind, ids in (
            (_("location id"), [l.location_id for l in self.locations]),
            (_("unit id"), [u.unit_id for u in self.units]),
            (_("youth id"), [y.youth_id for y in self.youths]),
        ):
            if len(set(ids)) != len(ids):
                problems.append(_("an {kind} is used twice").format(kind=kind))
        loc = {l.location_id for l in self.locations}
        units = {u.unit_id for u in self.units}
        youths = {y.youth_id for y in self.youths}
        gem = self.regions.jeugdregio_of
        problems += [_("location {location}: unknown gemeente {gemeente}").format(location=l.location_id, gemeente=l.gemeente)
                     for l in self.locations if l.gemeente not in gem]
        problems += [_("unit {unit}: unknown location {location}").format(unit=u.unit_id, location=u.location_id)
                     for u in self.units if u.location_id not in loc]
        for y in self.youths:
            if y.home_gemeente not in gem:
                problems.append(_("youth {youth}: unknown gemeente {gemeente}").format(youth=y.youth_id, gemeente=y.home_gemeente))
            if y.current_unit_id is not None and y.current_unit_id not in units:
                problems.append(_("youth {youth}: unknown current unit {unit}").format(youth=y.youth_id, unit=y.current_unit_id))
            problems += [_("youth {youth}: unknown excluded location {location}").format(youth=y.youth_id, location=x)
                         for x in y.excluded_locations if x not in loc]
        for a, b in self.conflicts:
            if a == b or a not in youths or b not in youths:
                problems.append(_("conflict ({a}, {b}): both youths must exist and differ").format(a=a, b=b))
        if problems:
            raise ValueError("; ".join(problems[:20]))
        return self

    def model_copy(self, *, update=None, deep: bool = False) -> "Instance":
        """A new instance with ``update`` applied, validated again, without stale cached lookups."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(update or {})
        return type(self)(**data)

    def with_units(self, units: Iterable[Unit]) -> "Instance":
        """This instance with ``units`` instead of its own, checking only what units can break:
        their ids, their locations and the current unit of every youth. The youths, locations
        and settings were checked when this instance was made and are not checked again (a
        national week's 2,600 youths take 8 ms; the value of one more place makes seven such
        trials). Raises ``ValueError`` as ``model_copy`` would."""
        units = tuple(units)
        ids = {u.unit_id for u in units}
        locations = self.location_by_id
        problems = [_("an {kind} is used twice").format(kind=_("unit id"))] if len(ids) != len(units) else []
        problems += [_("unit {unit}: unknown location {location}").format(unit=u.unit_id, location=u.location_id)
                     for u in units if u.location_id not in locations]
        problems += [_("youth {youth}: unknown current unit {unit}").format(youth=y.youth_id, unit=y.current_unit_id)
                     for y in self.youths if y.current_unit_id is not None and y.current_unit_id not in ids]
        if problems:
            raise ValueError("; ".join(problems[:20]))
        data = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_construct(**{**data, "units": units})

    # Lookups, computed once (the instance is frozen, so they never go stale).
    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.unit_id: u for u in self.units}

    @cached_property
    def location_by_id(self) -> dict[str, Location]:
        return {l.location_id: l for l in self.locations}

    @cached_property
    def youth_by_id(self) -> dict[str, Youth]:
        return {y.youth_id: y for y in self.youths}

    @cached_property
    def youth_position(self) -> dict[str, int]:
        """youth id -> its position in ``youths`` (the index of the solver's arrays)."""
        return {y.youth_id: i for i, y in enumerate(self.youths)}

    @cached_property
    def sibling_positions(self) -> dict[str, list[int]]:
        """sibling group -> the positions in ``youths`` of its members, for groups of two or more."""
        groups: dict[str, list[int]] = {}
        for i, y in enumerate(self.youths):
            if y.sibling_group is not None:
                groups.setdefault(y.sibling_group, []).append(i)
        return {g: m for g, m in groups.items() if len(m) > 1}

    @cached_property
    def conflict_partners(self) -> dict[str, set[str]]:
        """youth id -> the youths it must never share a unit with."""
        return conflict_partners(self.conflicts)

    @property
    def name(self) -> str:
        return self.settings.name

    def max_km_for(self, youth: Youth, unit: Unit) -> float:
        """Distance limit for this pair: the youth's own, else that of the UNIT's care type."""
        return youth.max_km if youth.max_km is not None else self.settings.max_km[unit.care_type]


def conflict_partners(conflicts: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """youth id -> the youths it must never share a unit with (a pair works both ways)."""
    partners: dict[str, set[str]] = {}
    for a, b in conflicts:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return partners


def alt_position(youth: Youth, care_type: str) -> int:
    """0 for the youth's own care type, k for its k-th alternative (1-based)."""
    if care_type == youth.care_type:
        return 0
    return youth.alt_care_types.index(care_type) + 1


assert set(_default_max_km()) == set(CARE_TYPES)
