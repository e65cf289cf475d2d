"""Which units and youths a scenario step works on.

A filter that names something the instance does not have (a unit id, a provider, a jeugdregio)
or that matches nothing at all is almost surely a typo or a scenario written for another
instance; it is reported instead of silently changing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.domain import care_type_name
from matcher.i18n import N_, _
from matcher.instance import Instance, Unit, Youth
from matcher.geography.regions import gemeente_names
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


#: What a filter names, in the words of its message.
_UNKNOWN = {
    "unit": N_("unit '{name}' does not exist in this instance"),
    "provider": N_("provider '{name}' does not exist in this instance"),
    "location": N_("location '{name}' does not exist in this instance"),
    "jeugdregio": N_("jeugdregio '{name}' does not exist in this instance"),
    "bovenregio": N_("bovenregio '{name}' does not exist in this instance"),
}


def unknown_names(key: str, what: str, given: Iterable[str], known: Iterable[str],
             names: dict[str, str] | None = None, label: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Every name in ``given`` that is not ``known``, with a hint (``names``: other ways of
    writing a known one, such as a region's name for its code; ``label``: shown beside a code)."""
    known = set(known)
    problems = []
    for name in given:
        if name not in known:
            hint = did_you_mean(name, sorted(known), names, label)
            problems.append((key, _(_UNKNOWN[what]).format(name=name) + hint))
    return problems


def _jeugdregio_names(instance: Instance) -> dict[str, str]:
    """A jeugdregio's name, and the name of each of its gemeenten, lead to its code."""
    regions = instance.regions
    found = {name: code for code, name in regions.jeugdregio_name.items()}
    for gemeente, name in gemeente_names().items():
        if gemeente in regions.jeugdregio_of:
            found.setdefault(name, regions.jeugdregio_of[gemeente])
    return found


def region_names_exist(instance: Instance, jeugdregios: Iterable[str], bovenregios: Iterable[str],
                       prefix: str = "where") -> list[tuple[str, str]]:
    """Every named jeugdregio and bovenregio is one of the region map (as it is at this step);
    a jeugdregio written by its name (or a gemeente's) gets its code in the hint."""
    regions = instance.regions
    return (unknown_names(f"{prefix}.jeugdregios", "jeugdregio", jeugdregios, regions.bovenregio_of,
                     names=_jeugdregio_names(instance) if jeugdregios else None, label=regions.jeugdregio_name)
            + unknown_names(f"{prefix}.bovenregios", "bovenregio", bovenregios, regions.bovenregio_of.values()))


def matching_units(instance: Instance, where: Where) -> list[Unit]:
    """The units every given filter holds for, in units.csv order; unknown names are errors."""
    problems = (
        unknown_names("where.units", "unit", where.units, instance.unit_by_id)
        + unknown_names("where.providers", "provider", where.providers, {l.provider for l in instance.locations})
        + unknown_names("where.locations", "location", where.locations, instance.location_by_id)
        + region_names_exist(instance, where.jeugdregios, where.bovenregios)
    )
    if problems:
        raise StepError(problems)
    chosen = [u for u in instance.units if _unit_matches(instance, u, where)]
    if not chosen:
        raise StepError([("where", _("matches no unit of this instance ({filter}); a step that changes nothing is "
                                     "most likely a mistake").format(filter=describe(where)))])
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


#: Each filter key in words (``{value}``: what it names).
_FILTER_WORDS = {
    "units": N_("units {value}"), "providers": N_("providers {value}"), "locations": N_("locations {value}"),
    "care_types": N_("care types {value}"), "settings": N_("settings {value}"),
    "capacity_min": N_("at least {value} places"), "capacity_max": N_("at most {value} places"),
    "jeugdregios": N_("jeugdregio's {value}"), "bovenregios": N_("bovenregio's {value}"),
}


def describe(where: Where | DemandWhere) -> str:
    """The filter in words, for notes and messages (care types by their Dutch names)."""
    parts = []
    for key, value in where.model_dump().items():
        if value in ((), None):
            continue
        if key == "care_types":
            value = tuple(care_type_name(c) for c in value)
        shown = ", ".join(value) if isinstance(value, tuple) else value
        parts.append(_(_FILTER_WORDS[key]).format(value=shown) if key in _FILTER_WORDS else f"{key} {shown}")
    return "; ".join(parts) or _("all")
