"""scenario.toml: what a planner writes to describe a "what if", read into checked pydantic models.

A scenario is a name, a description and a list of ``[[step]]`` tables, applied in order to a
copy of an instance. Each step has an ``op`` and the keys of that op; unit operations choose
their units with a ``[step.where]`` filter. Every mistake in the file (TOML syntax, an unknown
op or key, a value out of range) is collected and reported as a ``matcher.input.reading.Problem``
naming the file, the line where it can be found and the key as ``step[n].key`` (steps are
counted from 1, as a planner counts them), so that a planner fixes everything in one go.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from matcher.domain import (
    CAPACITY_RANGE,
    CARE_TYPE_LABEL,
    CARE_TYPES,
    COST_PER_DAY_LIMIT,
    LAT_RANGE,
    LON_RANGE,
    SETTING_RANK,
    SETTINGS,
    CareType,
    Setting,
)
from matcher.i18n import N_, _
from matcher.instance import Cost, Km, Location, RoadFactor, UnplacedCosts, Unit
from matcher.errors import Problem, ScenarioError, pydantic_message
from matcher.input.toml_lines import line_of, read_toml
from matcher.wording import did_you_mean

_SPEC = ConfigDict(frozen=True, extra="forbid", strict=True)

#: Names the output folders of a comparison; ``baseline`` is the unchanged instance.
BASELINE = "baseline"
#: What a scenario (or plan) name may be: it names a folder.
FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


# --- value types ------------------------------------------------------------------------------


def _names(value: Any) -> tuple[str, ...]:
    """One name or a list of names: ``care_type = "gesloten"`` and ``care_types = [...]`` both work."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(_("must be a name or a list of names (text in quotes)"))
    return tuple(v.strip() for v in value)


def _one_of(choices: tuple[str, ...], message: str, names: dict[str, str] | None = None):
    """``message`` (with ``{value}`` and ``{choices}``) for the first value not among ``choices``."""
    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in values if v not in choices]
        if bad:
            raise ValueError(_(message).format(value=", ".join(repr(b) for b in bad), choices=", ".join(choices))
                             + did_you_mean(bad[0], choices, names))
        return values

    return check


_CARE_TYPE_NAMES = {name: code for code, name in CARE_TYPE_LABEL.items()}
Names = Annotated[tuple[str, ...], BeforeValidator(_names)]
CareTypeNames = Annotated[tuple[str, ...], BeforeValidator(
    lambda v: _one_of(CARE_TYPES, N_("{value} is not a care type (one of: {choices})"), _CARE_TYPE_NAMES)(_names(v)))]
SettingNames = Annotated[tuple[str, ...], BeforeValidator(
    lambda v: _one_of(SETTINGS, N_("{value} is not a setting (one of: {choices})"))(_names(v)))]


def _either(plural: str, singular: str):
    return Field((), validation_alias=AliasChoices(plural, singular))


# --- filters ----------------------------------------------------------------------------------


class Where(BaseModel):
    """Which units a step works on: every filter that is given must hold (an empty filter = all units).

    Region filters look at the region of the unit's location, in the region map as it is at
    that step (so after an earlier merge, the merged code).
    """

    model_config = _SPEC
    units: Names = _either("units", "unit")
    providers: Names = _either("providers", "provider")
    locations: Names = _either("locations", "location")
    care_types: CareTypeNames = _either("care_types", "care_type")
    settings: SettingNames = _either("settings", "setting")
    capacity_min: int | None = Field(None, ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    capacity_max: int | None = Field(None, ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    jeugdregios: Names = _either("jeugdregios", "jeugdregio")
    bovenregios: Names = _either("bovenregios", "bovenregio")

    @model_validator(mode="after")
    def _capacity_order(self) -> "Where":
        if self.capacity_min is not None and self.capacity_max is not None and self.capacity_min > self.capacity_max:
            raise ValueError(_("the smallest capacity {low} is above the largest {high}")
                             .format(low=self.capacity_min, high=self.capacity_max))
        return self


class DemandWhere(BaseModel):
    """Which youths a demand step works on, by needed care type and by home region."""

    model_config = _SPEC
    care_types: CareTypeNames = _either("care_types", "care_type")
    jeugdregios: Names = _either("jeugdregios", "jeugdregio")
    bovenregios: Names = _either("bovenregios", "bovenregio")


# --- the steps, one model per op ---------------------------------------------------------------


class Close(BaseModel):
    """Close units: their occupants need a place again (new demand, same urgency)."""

    model_config = _SPEC
    op: Literal["close"]
    where: Where
    largest_share: float = Field(1.0, gt=0, le=1, description="close only this share of the matched units, largest first")


class Split(BaseModel):
    """Split a unit into smaller ones at the same location (e.g. a group of 9 into 3 groups of 3).

    ``into = k`` with ``capacity = c``: k units of c places. ``into = k`` alone: the places are
    shared out over k units. ``max_capacity = c``: as many units as needed to have at most c
    places each, the places shared out as evenly as possible (total unchanged).
    """

    model_config = _SPEC
    op: Literal["split"]
    where: Where
    into: int | None = Field(None, ge=2, le=26 * 27)
    capacity: int | None = Field(None, ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    max_capacity: int | None = Field(None, ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    setting: Setting | None = None
    cost_per_day: float | None = Field(None, ge=0, le=COST_PER_DAY_LIMIT)
    cost_percent: float | None = Field(None, gt=-100)

    @model_validator(mode="after")
    def _one_size_rule(self) -> "Split":
        if (self.into is None) == (self.max_capacity is None):
            raise ValueError(_("give either 'into' (with or without 'capacity') or 'max_capacity'"))
        if self.capacity is not None and self.into is None:
            raise ValueError(_("'capacity' goes with 'into' (k units of c places); use 'max_capacity' for 'at most c places'"))
        if self.cost_per_day is not None and self.cost_percent is not None:
            raise ValueError(_("give either 'cost_per_day' or 'cost_percent', not both"))
        return self


class Convert(BaseModel):
    """Give units another setting and/or care type (a group becomes kleinschalig, a team goes thuis)."""

    model_config = _SPEC
    op: Literal["convert"]
    where: Where
    setting: Setting | None = None
    care_type: CareType | None = None

    @model_validator(mode="after")
    def _something_to_convert(self) -> "Convert":
        if self.setting is None and self.care_type is None:
            raise ValueError(_("give 'setting' and/or 'care_type' to convert to"))
        return self


class NewLocation(Location):
    """A location added by a scenario: the format's location columns, coordinates inside the Netherlands."""

    model_config = _SPEC

    @field_validator("lat")
    @classmethod
    def _latitude_inside_the_netherlands(cls, v: float) -> float:
        if not (LAT_RANGE[0] <= v <= LAT_RANGE[1]):
            raise ValueError(_("{value} is outside the Netherlands (latitude {low}..{high})")
                             .format(value=v, low=LAT_RANGE[0], high=LAT_RANGE[1]))
        return v

    @field_validator("lon")
    @classmethod
    def _longitude_inside_the_netherlands(cls, v: float) -> float:
        if not (LON_RANGE[0] <= v <= LON_RANGE[1]):
            raise ValueError(_("{value} is outside the Netherlands (longitude {low}..{high})")
                             .format(value=v, low=LON_RANGE[0], high=LON_RANGE[1]))
        return v


class NewUnit(Unit):
    """A unit added by a scenario: the format's unit columns."""

    model_config = _SPEC


class Add(BaseModel):
    """Add locations and units, written inline as ``[[step.locations]]`` and ``[[step.units]]``."""

    model_config = _SPEC
    op: Literal["add"]
    locations: tuple[NewLocation, ...] = ()
    units: tuple[NewUnit, ...] = ()

    @field_validator("locations", "units", mode="before")
    @classmethod
    def _as_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v

    @model_validator(mode="after")
    def _something_to_add(self) -> "Add":
        if not self.locations and not self.units:
            raise ValueError(_("give [[step.locations]] and/or [[step.units]] to add"))
        return self


class SetCost(BaseModel):
    """Set the cost per day of units, in euro (``cost_per_day``) or relative (``percent = 15`` is +15 %)."""

    model_config = _SPEC
    op: Literal["set_cost"]
    where: Where
    cost_per_day: float | None = Field(None, ge=0, le=COST_PER_DAY_LIMIT)
    percent: float | None = Field(None, gt=-100)

    @model_validator(mode="after")
    def _one_way(self) -> "SetCost":
        if (self.cost_per_day is None) == (self.percent is None):
            raise ValueError(_("give either 'cost_per_day' (euro) or 'percent' (relative), exactly one"))
        return self


class Demand(BaseModel):
    """Change the demand: scale the number of new youths, or meet part of the need closer to home.

    ``factor``: new youths are dropped (below 1) or duplicated with fresh ids (above 1).
    ``to_thuis_share``: that share of the new youths whose min_setting is residentieel or
    kleinschalig get min_setting thuis. ``to_setting`` with ``share`` is the general form:
    that share of the youths whose min_setting is one of ``from_settings`` (default: every
    setting less home-like than ``to_setting`` except gesloten) get min_setting ``to_setting``;
    ``occupants = true`` includes current occupants (a re-indication of everybody in care).
    """

    model_config = _SPEC
    op: Literal["demand"]
    where: DemandWhere = Field(default_factory=DemandWhere)
    factor: float | None = Field(None, ge=0)
    to_thuis_share: float | None = Field(None, ge=0, le=1)
    to_setting: Setting | None = None
    share: float | None = Field(None, ge=0, le=1)
    from_settings: SettingNames = ()
    occupants: bool = False

    @model_validator(mode="after")
    def _one_change(self) -> "Demand":
        given = [k for k in ("factor", "to_thuis_share", "to_setting") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(_("give exactly one of 'factor', 'to_thuis_share' or 'to_setting' (with 'share')"))
        if self.share is not None and self.to_setting is None:
            raise ValueError(_("'share' goes with 'to_setting'"))
        if self.factor is not None and (self.from_settings or self.occupants):
            raise ValueError(_("'from_settings' and 'occupants' go with 'to_thuis_share' or 'to_setting', not with 'factor'"))
        target = self.target_setting
        if target is not None:
            closer = [s for s in self.source_settings if SETTING_RANK[s] <= SETTING_RANK[target]]
            if closer:
                raise ValueError(
                    _("from_settings {settings} is not less home-like than {target}; a re-indication only moves "
                      "need closer to home").format(settings=", ".join(closer), target=target)
                )
        return self

    @property
    def target_setting(self) -> str | None:
        return "thuis" if self.to_thuis_share is not None else self.to_setting

    @property
    def target_share(self) -> float:
        if self.to_thuis_share is not None:
            return self.to_thuis_share
        return 1.0 if self.share is None else self.share

    @property
    def source_settings(self) -> tuple[str, ...]:
        if self.from_settings:
            return self.from_settings
        if self.to_thuis_share is not None:
            return ("kleinschalig", "residentieel")
        target = SETTING_RANK[self.to_setting]
        return tuple(s for s in SETTINGS if target < SETTING_RANK[s] < SETTING_RANK["gesloten"])


class Regions(BaseModel):
    """Change the region map: merge jeugdregio's, merge the small ones, or move one to another bovenregio."""

    model_config = _SPEC
    op: Literal["regions"]
    merge: Names = ()
    merge_below: int | None = Field(None, ge=1, description="youths aged 0-17 (CBS estimate)")
    move: dict[str, str] | None = None

    @model_validator(mode="after")
    def _one_change(self) -> "Regions":
        given = [k for k in ("merge", "merge_below", "move") if getattr(self, k) not in (None, ())]
        if len(given) != 1:
            raise ValueError(_("give exactly one of 'merge', 'merge_below' or 'move' per step"))
        if self.merge and len(set(self.merge)) < 2:
            raise ValueError(_("'merge' needs at least two different jeugdregio codes"))
        if self.move is not None and not self.move:
            raise ValueError(_("'move' needs at least one jeugdregio = \"bovenregio\""))
        return self


class WeightsChange(BaseModel):
    """Weights to change; the others keep their value (each held to the rule of ``Weights``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
    unplaced: UnplacedCosts | None = None
    waiting_week: Cost | None = None
    km: Cost | None = None
    setting_step: Cost | None = None
    outside_jeugdregio: Cost | None = None
    outside_bovenregio: Cost | None = None
    alt_care_type: Cost | None = None
    move: Cost | None = None


class SettingsChange(BaseModel):
    """Change instance settings: distance limits, weights, moves allowed, road factor."""

    model_config = _SPEC
    op: Literal["settings"]
    max_km: dict[CareType, Km] | None = None
    weights: WeightsChange | None = None
    allow_moves: bool | None = None
    road_factor: RoadFactor | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "SettingsChange":
        if all(getattr(self, k) is None for k in ("max_km", "weights", "allow_moves", "road_factor")):
            raise ValueError(_("give at least one of max_km, weights, allow_moves, road_factor"))
        return self


Step = Close | Split | Convert | Add | SetCost | Demand | Regions | SettingsChange
STEP_MODELS: dict[str, type[BaseModel]] = {
    "close": Close,
    "split": Split,
    "convert": Convert,
    "add": Add,
    "set_cost": SetCost,
    "demand": Demand,
    "regions": Regions,
    "settings": SettingsChange,
}


class Scenario(BaseModel):
    """A parsed scenario file: its steps and where each key sits in the file (for messages)."""

    model_config = ConfigDict(frozen=True)
    name: str
    description: str = ""
    steps: tuple[Step, ...]
    file: str = "scenario.toml"
    text: str = Field("", repr=False, description="the file as read, kept beside the scenario's output")
    key_lines: dict[str, int] = Field(default_factory=dict, repr=False)

    def line_of(self, key: str) -> int | None:
        """The line of ``key`` (e.g. ``step[2].where.care_type``), else of the nearest enclosing key."""
        return line_of(self.key_lines, key)

    def as_written(self, key: str) -> str:
        """``key`` spelt as in the file: ``where.providers`` is ``where.provider`` when written so."""
        if key in self.key_lines:
            return key
        head, _dot, leaf = key.rpartition(".")
        for variant in (leaf[:-1] if leaf.endswith("s") else leaf + "s",):
            written = f"{head}.{variant}" if head else variant
            if written in self.key_lines:
                return written
        return key

    def problem(self, key: str | None, message: str) -> Problem:
        key = self.as_written(key) if key else None
        return Problem(self.file, self.line_of(key) if key else None, key, message)


# --- reading ----------------------------------------------------------------------------------

_TOP_KEYS = ("name", "description", "step")


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; raises ``ScenarioError`` with every problem in it."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, None, _("does not exist"))]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(str(path), None, None, _("is a folder, not a scenario file"))]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), None, None, _("cannot be read ({reason})").format(reason=exc.strerror or exc))]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(str(path), None, None, _("is not UTF-8 text"))]) from None
    return parse_scenario(text, str(path), default_name=path.stem)


def parse_scenario(text: str, file: str = "scenario.toml", default_name: str = "scenario") -> Scenario:
    """Check the text of a scenario file; raises ``ScenarioError`` with every problem in it."""
    toml = read_toml(text, file, ScenarioError)
    raw, lines, problems, add = toml.raw, toml.lines, toml.problems, toml.add

    for key in raw:
        if key not in _TOP_KEYS:
            add(key, _("unknown key '{key}'").format(key=key) + did_you_mean(key, _TOP_KEYS)
                + _(" (a scenario has name, description and [[step]] tables)"))
    name = raw.get("name", default_name)
    if not isinstance(name, str) or not FOLDER_NAME.fullmatch(name):
        add("name", _("must be a short name of letters, digits, '-', '_' or '.' (it names the output folder)"))
        name = "scenario"
    elif name == BASELINE:
        add("name", _("'{name}' is the name of the unchanged instance in a comparison; choose another name").format(name=BASELINE))
    description = raw.get("description", "")
    if not isinstance(description, str):
        add("description", _("must be text in quotes"))
        description = ""
    raw_steps = raw.get("step", [])
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        add("step", _("write the steps as [[step]] tables"))
        raw_steps = []
    elif not raw_steps:
        problems.append(Problem(file, None, None, _("has no [[step]]: a scenario without changes is the baseline itself")))
    steps = []
    for n, raw_step in enumerate(raw_steps, start=1):
        step = _parse_step(n, raw_step, add)
        if step is not None:
            steps.append(step)
    if problems:
        raise ScenarioError(problems)
    return Scenario(name=name, description=description.strip(), steps=tuple(steps), file=file, text=text,
                    key_lines=lines)


def _parse_step(n: int, raw: dict, add) -> Step | None:
    where = f"step[{n}]"
    op = raw.get("op")
    if op is None:
        add(where, _("missing key 'op' (one of: {ops})").format(ops=", ".join(STEP_MODELS)))
        return None
    if op not in STEP_MODELS:
        add(f"{where}.op", _("unknown op {op!r}").format(op=op) + did_you_mean(str(op), STEP_MODELS)
            + _(" (one of: {ops})").format(ops=", ".join(STEP_MODELS)))
        return None
    return validated(STEP_MODELS[op], raw, where, add)


def validated(model: type[BaseModel], raw: dict, where: str, add):
    """``model`` built from ``raw``, or None with every pydantic error added at ``where`` and its key."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            key, message = explain_error(model, err)
            add(f"{where}{key}", message)
        return None


def explain_error(model: type[BaseModel], err: dict) -> tuple[str, str]:
    """A pydantic error as (``.where.care_type``, a sentence a planner understands)."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p == "[key]"))]
    key = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc)
    kind = err["type"]
    leaf = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        hint = did_you_mean(leaf, known)
        known_here = _(" (known here: {keys})").format(keys=", ".join(known)) if known else ""
        return key, _("unknown key '{key}'").format(key=leaf) + (hint or known_here)
    if kind == "missing":
        return key, _("missing key '{key}'").format(key=leaf)
    message = pydantic_message(err)
    message = message[0].lower() + message[1:]
    if kind in ("literal_error", "enum"):
        message = _("{value!r} is not allowed: {reason}").format(value=err.get("input"), reason=message)
    return key, message


def _known_keys(model: type[BaseModel], loc: list) -> list[str]:
    """The keys a table accepts, following ``loc`` into nested models (for 'did you mean')."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return []
        model = inner
    keys: list[str] = []
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        keys += list(alias.choices) if isinstance(alias, AliasChoices) else [name]
    return keys


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None
