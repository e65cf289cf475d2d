"""options.toml: the actions a planner allows, what each costs, the budget and the targets.

Read like a scenario file (``matcher.scenario.spec``): every mistake is collected as a
``Problem`` naming the file, the line and the key (``action[2].where.unit``), and raised at once
as one ``OptionsError``. Checks against the instance (unknown units, a budget below the cost
no action can remove, a target no plan can meet) are in ``matcher.propose.actions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.domain import CAPACITY_RANGE, COST_PER_DAY_LIMIT, CareType, Setting
from matcher.errors import InputError, Problem
from matcher.i18n import N_, _
from matcher.input.toml_lines import line_of, read_toml
from matcher.scenario.spec import BASELINE, FOLDER_NAME, Demand, Names, Where, validated
from matcher.wording import did_you_mean

_SPEC = ConfigDict(frozen=True, extra="forbid", strict=True)
#: A euro amount: a one-off cost, a budget (at most a hundred billion).
Euro = Annotated[float, Field(ge=0, le=1e11)]
PerDay = Annotated[float, Field(ge=0, le=COST_PER_DAY_LIMIT)]
Places = Annotated[int, Field(ge=0, le=100_000)]


class OptionsError(InputError):
    """The options file is not valid; ``problems`` lists every problem found. ``partial`` holds
    what could be read (the valid actions, the budget if valid), so that the names in the file
    are still checked against the instance in the same run: mistakes do not come in rounds."""

    subject = N_("the options file")

    def __init__(self, problems, partial: "Options | None" = None):
        super().__init__(problems)
        self.partial = partial


class Convert(BaseModel):
    """A group may become small-scale: the same places, in units of at most ``max_capacity``."""

    model_config = _SPEC
    kind: Literal["convert"]
    where: Where
    max_capacity: int = Field(ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    setting: Setting = "kleinschalig"
    cost_per_place_day: PerDay
    one_off: Euro = 0.0


class Sites(BaseModel):
    """Where new units may open: existing locations, gemeenten (a representative point), or
    the gemeente with most youths of every (or of the named) jeugdregio."""

    model_config = _SPEC
    locations: Names = ()
    gemeenten: Names = ()
    jeugdregios: Names = ()
    every_jeugdregio: bool = False

    @model_validator(mode="after")
    def _somewhere(self) -> "Sites":
        if not (self.locations or self.gemeenten or self.jeugdregios or self.every_jeugdregio):
            raise ValueError(_("give locations, gemeenten, jeugdregios or every_jeugdregio = true"))
        return self


class Open(BaseModel):
    """New units of ``places`` places may open at the sites (``thuis``: home-based caseload)."""

    model_config = _SPEC
    kind: Literal["open", "thuis"]
    care_type: CareType
    setting: Setting | None = None
    places: int = Field(ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1])
    sites: Sites
    cost_per_place_day: PerDay
    one_off: Euro = 0.0
    max_units_per_site: int = Field(1, ge=1, le=100)
    max_units_per_jeugdregio: int | None = Field(None, ge=1, le=1000)
    age_min: int = Field(0, ge=0, le=27)
    age_max: int = Field(23, ge=0, le=27)

    @property
    def unit_setting(self) -> str:
        return self.setting or ("thuis" if self.kind == "thuis" else "kleinschalig")


class Close(BaseModel):
    """Units that may close (or, with ``shrink``, lose places one by one)."""

    model_config = _SPEC
    kind: Literal["close"]
    where: Where
    shrink: bool = False
    one_off: Euro = 0.0


Action = Annotated[Union[Convert, Open, Close], Field(discriminator="kind")]
ACTION_MODELS = {"convert": Convert, "open": Open, "thuis": Open, "close": Close}


class Budget(BaseModel):
    """The yearly budget: funded places x cost per day x 365, plus one-off costs spread over
    ``one_off_years``."""

    model_config = _SPEC
    per_year: Euro
    one_off_years: int = Field(5, ge=1, le=30)


class Targets(BaseModel):
    """The afbouw target and the places every bovenregio must keep per care type."""

    model_config = _SPEC
    max_closed_places: int | None = Field(None, ge=0)
    #: per care type: a minimum for every bovenregio, or a table bovenregio -> minimum
    min_places_per_bovenregio: dict[CareType, Union[Places, dict[str, Places]]] = Field(default_factory=dict)

    def minimums(self, bovenregios) -> list[tuple[str, str, int]]:
        """(care type, bovenregio, least places) of every minimum; a bovenregio named that is not
        in ``bovenregios`` is kept (the check names it)."""
        found = []
        for care_type, value in self.min_places_per_bovenregio.items():
            table = value if isinstance(value, dict) else dict.fromkeys(sorted(bovenregios), value)
            found += [(care_type, b, n) for b, n in table.items()]
        return found


class Model(BaseModel):
    """The sample average approximation: its size and its time."""

    model_config = _SPEC
    samples: int = Field(20, ge=1, le=500)
    replicates: int = Field(3, ge=1, le=20)
    evaluation_samples: int = Field(40, ge=1, le=2000)
    time_limit: float = Field(120.0, gt=0, le=3600)
    mip_rel_gap: float = Field(0.005, ge=0, le=1)
    demand_points: Literal["gemeente", "jeugdregio"] = "gemeente"
    tradeoff_points: int = Field(4, ge=0, le=20)


class Options(BaseModel):
    """A parsed options file, with where each key sits (for messages)."""

    model_config = ConfigDict(frozen=True)
    name: str = "voorstel"
    description: str = ""
    budget: Budget
    targets: Targets = Field(default_factory=Targets)
    model: Model = Field(default_factory=Model)
    actions: tuple[Action, ...]
    demand: tuple[Demand, ...] = ()
    file: str = "options.toml"
    key_lines: dict[str, int] = Field(default_factory=dict, repr=False)

    def problem(self, key: str | None, message: str) -> Problem:
        return Problem(self.file, line_of(self.key_lines, key) if key else None, key, message)


_TOP_KEYS = ("name", "description", "budget", "targets", "model", "action", "demand")
_TABLES = {"budget": Budget, "targets": Targets, "model": Model}


def load_options(path: str | Path) -> Options:
    """Read and check an options file; raises ``OptionsError`` with every problem in it."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise OptionsError([Problem(str(path), None, None, _("cannot be read as an options file (UTF-8 TOML)"))]) from None
    return parse_options(text, str(path))


def parse_options(text: str, file: str = "options.toml") -> Options:
    """Check the text of an options file; raises ``OptionsError`` with every problem in it."""
    toml = read_toml(text, file, OptionsError)
    raw, lines, problems, add = toml.raw, toml.lines, toml.problems, toml.add

    for key in raw:
        if key not in _TOP_KEYS:
            add(key, _("unknown key '{key}'").format(key=key) + did_you_mean(key, _TOP_KEYS))
    name = raw.get("name", Path(file).stem)
    if not isinstance(name, str) or not FOLDER_NAME.fullmatch(name) or name == BASELINE:
        add("name", _("must be a short name of letters, digits, '-', '_' or '.' (not 'baseline'): it names the plans"))
    tables = {key: _table(model, raw, key, add) for key, model in _TABLES.items()}
    if "budget" not in raw:
        add(None, _("has no [budget] table: a proposal needs a yearly budget (per_year)"))
    actions = _listed(raw, "action", add, _action)
    demand = _listed(raw, "demand", add, lambda r, k, a: validated(Demand, {**r, "op": "demand"}, k, a))
    if not actions and "action" not in raw:
        add(None, _("has no [[action]]: nothing to choose from"))
    fields = dict(name=name, description=str(raw.get("description", "")).strip(), budget=tables["budget"],
                  targets=tables["targets"] or Targets(), model=tables["model"] or Model(), actions=tuple(actions),
                  demand=tuple(demand), file=file, key_lines=lines)
    if problems:
        raise OptionsError(problems, Options.model_construct(**fields))
    return Options(**fields)


def _table(model, raw: dict, key: str, add):
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        add(key, _("must be a table, written [{key}]").format(key=key))
        return None
    return validated(model, value, key, add)


def _listed(raw: dict, key: str, add, parse) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        add(key, _("write these as [[{key}]] tables").format(key=key))
        return []
    parsed = [parse(v, f"{key}[{n}]", add) for n, v in enumerate(value, start=1)]
    return [p for p in parsed if p is not None]


def _action(raw: dict, key: str, add):
    kind = raw.get("kind")
    if kind not in ACTION_MODELS:
        add(f"{key}.kind", _("unknown kind {kind!r}").format(kind=kind) + did_you_mean(str(kind), ACTION_MODELS)
            + _(" (one of: {kinds})").format(kinds=", ".join(ACTION_MODELS)))
        return None
    return validated(ACTION_MODELS[kind], raw, key, add)

