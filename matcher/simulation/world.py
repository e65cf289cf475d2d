"""What stays fixed during one simulated run: the week-0 instance, its units and what they cost.

``World`` is built once per (scenario, grid point, replication) from plain data: the week-0
instance (occupants never move: ``allow_moves`` is off), the parameters and the factor values
of the replication. The solver's own objects are built afresh each week inside ``solve``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from matcher.domain import CARE_TYPES
from matcher.instance import Instance, Unit
from matcher.scenario.spec import BASELINE
from matcher.simulation.columns import UnitColumns
from matcher.simulation.parameters import SimParams, factor_value
from matcher.simulation.stays import whole_weeks


@dataclass(frozen=True)
class RunSpec:
    """One run: which scenario (and grid point) in which replication, and everything it needs."""

    scenario: str
    point: int
    instance: Instance
    demand_steps: tuple
    params: SimParams
    seed: int
    replication: int
    weeks: int
    fixed: tuple = ()          # ((factor name, parameter), value) of the grid point
    inflow_top: float = 1.0    # arrivals are drawn at this multiple of the rates and thinned

    @property
    def baseline(self) -> bool:
        return self.scenario == BASELINE


@dataclass
class World:
    """The fixed part of a run; ``values`` are the replication's factor values."""

    spec: RunSpec
    values: dict

    @cached_property
    def instance(self) -> Instance:
        inst = self.spec.instance
        settings = inst.settings.model_copy(update={"allow_moves": False})
        return Instance.model_construct(**{**{k: getattr(inst, k) for k in type(inst).model_fields}, "settings": settings})

    def factor(self, parameter: str, care_type: str, setting: str) -> float:
        return factor_value(self.values, self.spec.params.factors, parameter, care_type, setting,
                            baseline=self.spec.baseline)

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        return self.instance.units

    @cached_property
    def unit_columns(self) -> UnitColumns:
        return UnitColumns(self.instance, self.units)

    @cached_property
    def care_type_of_unit(self) -> dict[str, str]:
        return {u.unit_id: u.care_type for u in self.units}

    @cached_property
    def stay_factor(self) -> dict[str, float]:
        return {u.unit_id: self.factor("stay", u.care_type, u.setting) for u in self.units}

    @cached_property
    def day_cost(self) -> dict[str, float]:
        """Euro per occupied day of each unit (0 when the unit has no cost_per_day), factor applied."""
        return {u.unit_id: (u.cost_per_day or 0.0) * self.factor("cost", u.care_type, u.setting) for u in self.units}

    @cached_property
    def capacity(self) -> dict[str, int]:
        by_type = dict.fromkeys(CARE_TYPES, 0)
        for u in self.units:
            by_type[u.care_type] += u.capacity
        return by_type

    @cached_property
    def jeugdregio_of_unit(self) -> dict[str, str]:
        regions, locations = self.instance.regions, self.instance.location_by_id
        return {u.unit_id: regions.jeugdregio_of[locations[u.location_id].gemeente] for u in self.units}

    @cached_property
    def partners(self) -> dict[str, set[str]]:
        return self.instance.conflict_partners

    def whole_stays(self, units: list[Unit], z: list[float]) -> list[int]:
        """The stays in whole weeks of youths placed in ``units`` with stay numbers ``z``: the
        unit's stay law (care type and setting) times its stay factor, rounded; one array
        operation per law (element-wise, so each stay is what it would be drawn alone)."""
        by_law = defaultdict(list)
        for i, unit in enumerate(units):
            by_law[unit.care_type, unit.setting].append(i)
        stays = [0] * len(units)
        for (care_type, setting), where in by_law.items():
            law = self.spec.params.stay_law(care_type, setting)
            factor = np.array([self.stay_factor[units[i].unit_id] for i in where])
            weeks = whole_weeks(law.weeks(np.array([z[i] for i in where])) * factor)
            for i, w in zip(where, weeks.tolist()):
                stays[i] = w
        return stays

    def residual_weeks(self, unit: Unit, z: float, u: float) -> float:
        law = self.spec.params.stay_law(unit.care_type, unit.setting)
        return float(law.residual_weeks(np.array([z]), np.array([u]))[0]) * self.stay_factor[unit.unit_id]
