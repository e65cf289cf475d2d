"""The simulation's parameters, every one with a documented default (docs/simulation.md).

Sourced: the inflow of gesloten jeugdhulp (891 placements in 2023, NJi / Jeugdautoriteit) and
its length of stay (``stays.gesloten_law``). Assumptions, labelled as such: the inflow and stay
of the other care types (the generator's calibrated weekly inflow, and a mean stay that keeps
today's occupancy by Little's law: occupied places = inflow x mean stay), when urgency rises,
and that youths never leave the list by default.

Uncertain factors (``Factor``) multiply the stay, the inflow or the cost per day of a care type,
a setting, or a setting within a care type. They describe what a scenario changes: they apply
in the scenarios, not in the baseline (today), unless ``baseline = true``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.generator.calibration import CALIBRATION, GESLOTEN_PLACEMENTS_PER_YEAR, WEEKS_PER_YEAR
from matcher.simulation.stays import StayLaw, gesloten_law

PARAMETERS = ("stay", "inflow", "cost")
RANGE_KINDS = ("fixed", "uniform", "triangular")
#: Sigma of log-stay for the care types without a published distribution. Assumption.
ASSUMED_SIGMA = 0.8


@dataclass(frozen=True)
class Range:
    """An uncertain value: ``fixed`` at ``low``, or drawn ``uniform``/``triangular`` in [low, high]."""

    kind: str = "fixed"
    low: float = 1.0
    high: float = 1.0
    mode: float | None = None

    def draw(self, rng: np.random.Generator) -> float:
        if self.kind == "uniform":
            return float(rng.uniform(self.low, self.high))
        if self.kind == "triangular":
            mode = self.mode if self.mode is not None else (self.low + self.high) / 2
            return float(rng.triangular(self.low, mode, self.high)) if self.high > self.low else self.low
        return self.low

    @property
    def highest(self) -> float:
        return self.low if self.kind == "fixed" else self.high


@dataclass(frozen=True)
class Factor:
    """Factors for one target: ``care_type``, ``setting`` or both (None = any)."""

    name: str
    care_type: str | None
    setting: str | None
    values: dict[str, Range]
    baseline: bool = False

    def applies(self, care_type: str, setting: str) -> bool:
        return self.care_type in (None, care_type) and self.setting in (None, setting)


def target_of(name: str) -> tuple[str | None, str | None] | None:
    """``kleinschalig`` -> (None, kleinschalig); ``gesloten`` -> the care type (it wins over the
    setting of the same name); ``driemilieu.kleinschalig`` -> both; None if not a target."""
    parts = name.split(".")
    if len(parts) == 1:
        if parts[0] in CARE_TYPES:
            return parts[0], None
        return (None, parts[0]) if parts[0] in SETTINGS else None
    if len(parts) == 2 and parts[0] in CARE_TYPES and parts[1] in SETTINGS:
        return parts[0], parts[1]
    return None


def default_arrivals() -> dict[str, float]:
    """Mean new youths per week: gesloten 891 a year (source); others the generator's (assumption)."""
    rates = {c: CALIBRATION[c].weekly_inflow for c in CARE_TYPES}
    rates["gesloten"] = GESLOTEN_PLACEMENTS_PER_YEAR / WEEKS_PER_YEAR
    return rates


def default_stays() -> dict[str, StayLaw]:
    """Stay per care type: gesloten fitted (source); the others keep today's occupancy (assumption)."""
    laws = {"gesloten": gesloten_law()}
    for c in CARE_TYPES[1:]:
        cal = CALIBRATION[c]
        occupied = sum(cal.places[s] * cal.occupancy[s] for s in cal.places)
        laws[c] = StayLaw("lognormal", round(occupied / cal.weekly_inflow, 1), ASSUMED_SIGMA,
                          source="assumption: today's occupancy / weekly inflow (Little's law)")
    return laws


@dataclass(frozen=True)
class SimParams:
    """Everything a simulated run needs besides the instance, the scenario and the seed."""

    arrivals: dict[str, float] = field(default_factory=default_arrivals)
    #: Per care type, the factor by which its inflow changes in a year (1.0: constant; 0.87: 13 %
    #: fewer arrivals a year later). Week w's rate is ``arrivals x trend ** (w / 52)``, the same in
    #: the baseline and every scenario.
    trend: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CARE_TYPES, 1.0))
    stays: dict[str, StayLaw] = field(default_factory=default_stays)
    #: Per care type and setting, a law that replaces the care type's (key "care_type.setting").
    setting_stays: dict[str, StayLaw] = field(default_factory=dict)
    factors: tuple[Factor, ...] = ()
    #: After this many weeks on the list a youth moves up one urgency level (0 = never). Assumption.
    escalate_after_weeks: int = 8
    #: After this many weeks on the list a youth leaves it unplaced (0 = never, the default).
    leave_after_weeks: int = 0
    #: New sibling groups among the arrivals, as the generator makes them.
    siblings: bool = True
    #: Seconds the solver may take for one week.
    week_time_limit: float = 60.0
    #: The independent checker re-checks every this many weeks (and week 0).
    check_every_weeks: int = 13

    def arrival_rate(self, care_type: str, week: int) -> float:
        """Mean new youths of ``care_type`` in ``week``: the rate of ``[arrivals]`` with its trend."""
        return self.arrivals[care_type] * self.trend.get(care_type, 1.0) ** (week / WEEKS_PER_YEAR)

    def stay_law(self, care_type: str, setting: str) -> StayLaw:
        return self.setting_stays.get(f"{care_type}.{setting}", self.stays[care_type])


def factor_value(values: dict[tuple[str, str], float], factors: tuple[Factor, ...], parameter: str,
                 care_type: str, setting: str, baseline: bool) -> float:
    """The product of every factor for ``parameter`` that applies to (care type, setting)."""
    value = 1.0
    for f in factors:
        if (f.baseline or not baseline) and parameter in f.values and f.applies(care_type, setting):
            value *= values[(f.name, parameter)]
    return value


def draw_factors(factors: tuple[Factor, ...], rng_for, fixed: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """One replication's factor values: each factor's own draw, unless ``fixed`` (a grid point)."""
    values = {}
    for f in factors:
        for parameter, r in sorted(f.values.items()):
            key = (f.name, parameter)
            values[key] = fixed[key] if key in fixed else r.draw(rng_for(f.name, parameter))
    for key, v in fixed.items():
        values.setdefault(key, v)
    return values


def highest_inflow(factors: tuple[Factor, ...], grid_values: dict[tuple[str, str], list[float]]) -> float:
    """The largest inflow factor any (care type, setting) can get: arrivals are drawn at that rate
    and thinned, so that every scenario's arrivals are a part of the same draws."""
    highest = 1.0
    for c in CARE_TYPES:
        for s in SETTINGS:
            product = 1.0
            for f in factors:
                if "inflow" in f.values and f.applies(c, s):
                    top = max(grid_values.get((f.name, "inflow"), [f.values["inflow"].highest]))
                    product *= max(top, 1.0)
            highest = max(highest, product)
    return highest
