"""Which units and youths a scenario step works on.

A filter that names something the instance does not have (a unit id, a provider, a jeugdregio)
or that matches nothing at all is almost surely a typo or a scenario written for another
instance; it is reported instead of silently changing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.instance import Instance, Unit, Youth
from matcher.scenario.spec import DemandWhere, Where
from matcher.wording import did_you_mean


class StepError(Exception):
    """A step cannot be applied to this instance; ``problems`` are (key within the step, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{k}: {m}" for k, m in self.problems))


def unit_region(instance: Instance, unit: Unit) -> tuple[str, str]:
    """(jeugdregio, bovenregio) of the unit's location, in the instance's region map."""
    gemeente = instance.location_by_id[unit.location_id].gemeente
    jeugdregio = instance.regions.jeugdregio_of[gemeente]
    return jeugdregio, instance.regions.bovenregio_of[jeugdregio]


def home_region(instance: Instance, youth: Youth) -> tuple[str, str]:
    """(jeugdregio, bovenregio) of the youth's home gemeente."""
    jeugdregio = instance.regions.jeugdregio_of[youth.home_gemeente]
    return jeugdregio, instance.regions.bovenregio_of[jeugdregio]


def _unknown(key: str, what: str, given: Iterable[str], known: Iterable[str]) -> list[tuple[str, str]]:
    known = set(known)
    problems = []
    for name in given:
        if name not in known:
            hint = did_you_mean(name, sorted(known))
            problems.append((key, f"{what} '{name}' does not exist in this instance{hint}"))
    return problems


def region_names_exist(instance: Instance, jeugdregios: Iterable[str], bovenregios: Iterable[str],
                       prefix: str = "where") -> list[tuple[str, str]]:
    """Every named jeugdregio and bovenregio is one of the region map (as it is at this step)."""
    regions = instance.regions
    return (_unknown(f"{prefix}.jeugdregios", "jeugdregio", jeugdregios, regions.bovenregio_of)
            + _unknown(f"{prefix}.bovenregios", "bovenregio", bovenregios, regions.bovenregio_of.values()))


def matching_units(instance: Instance, where: Where) -> list[Unit]:
    """The units every given filter holds for, in units.csv order; unknown names are errors."""
    problems = (
        _unknown("where.units", "unit", where.units, instance.unit_by_id)
        + _unknown("where.providers", "provider", where.providers, {l.provider for l in instance.locations})
        + _unknown("where.locations", "location", where.locations, instance.location_by_id)
        + region_names_exist(instance, where.jeugdregios, where.bovenregios)
    )
    if problems:
        raise StepError(problems)
    chosen = [u for u in instance.units if _unit_matches(instance, u, where)]
    if not chosen:
        raise StepError([("where", f"matches no unit of this instance ({describe(where)}); a step that changes nothing is most likely a mistake")])
    return chosen


def _unit_matches(instance: Instance, unit: Unit, where: Where) -> bool:
    location = instance.location_by_id[unit.location_id]
    jeugdregio, bovenregio = unit_region(instance, unit)
    return (
        (not where.units or unit.unit_id in where.units)
        and (not where.providers or location.provider in where.providers)
        and (not where.locations or unit.location_id in where.locations)
        and (not where.care_types or unit.care_type in where.care_types)
        and (not where.settings or unit.setting in where.settings)
        and (where.capacity_min is None or unit.capacity >= where.capacity_min)
        and (where.capacity_max is None or unit.capacity <= where.capacity_max)
        and (not where.jeugdregios or jeugdregio in where.jeugdregios)
        and (not where.bovenregios or bovenregio in where.bovenregios)
    )


def matching_youths(instance: Instance, where: DemandWhere, occupants: bool = False) -> list[int]:
    """Positions (in youths.csv order) of the new youths (and occupants, if asked) the filter holds for."""
    problems = region_names_exist(instance, where.jeugdregios, where.bovenregios)
    if problems:
        raise StepError(problems)
    chosen = []
    for i, y in enumerate(instance.youths):
        if y.is_occupant and not occupants:
            continue
        jeugdregio, bovenregio = home_region(instance, y)
        if (
            (not where.care_types or y.care_type in where.care_types)
            and (not where.jeugdregios or jeugdregio in where.jeugdregios)
            and (not where.bovenregios or bovenregio in where.bovenregios)
        ):
            chosen.append(i)
    return chosen


def describe(where: Where | DemandWhere) -> str:
    """The filter in words, for notes and messages."""
    parts = []
    for key, value in where.model_dump().items():
        if value in ((), None):
            continue
        parts.append(f"{key} {', '.join(value) if isinstance(value, tuple) else value}")
    return "; ".join(parts) or "all"
