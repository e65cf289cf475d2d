"""The figures of an instance (counts by care type, places, occupancy) and its README.

A planner opening a shipped instance first wants to know what is in it and where it comes
from; the same figures let the tests hold the presets to their calibration.
"""

from __future__ import annotations

from collections import Counter

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES, SETTINGS
from matcher.instance import Instance


def figures(instance: Instance) -> dict:
    """Counts by care type and setting: places, occupants, new youths, occupancy, relations."""
    places = Counter()
    occupied = Counter()
    for u in instance.units:
        places[(u.care_type, u.setting)] += u.capacity
    units = instance.unit_by_id
    for y in instance.youths:
        if y.current_unit_id is not None:
            u = units[y.current_unit_id]
            occupied[(u.care_type, u.setting)] += 1
    by_care_type = {}
    for c in CARE_TYPES:
        p = sum(v for (ct, _), v in places.items() if ct == c)
        o = sum(v for (ct, _), v in occupied.items() if ct == c)
        by_care_type[c] = {
            "units": sum(1 for u in instance.units if u.care_type == c),
            "places": p,
            "occupied": o,
            "occupancy": o / p if p else 0.0,
            "new": sum(1 for y in instance.youths if y.care_type == c and not y.is_occupant),
            "occupants": sum(1 for y in instance.youths if y.care_type == c and y.is_occupant),
            "places_by_setting": {s: places[(c, s)] for s in SETTINGS if places[(c, s)]},
        }
    closed_places = places[("gesloten", "gesloten")]
    closed_occupied = occupied[("gesloten", "gesloten")]
    youths = instance.youths
    return {
        "name": instance.name,
        "allow_moves": instance.settings.allow_moves,
        "providers": len({l.provider for l in instance.locations}),
        "locations": len(instance.locations),
        "units": len(instance.units),
        "places": sum(places.values()),
        "youths": len(youths),
        "occupants": sum(1 for y in youths if y.is_occupant),
        "new": sum(1 for y in youths if not y.is_occupant),
        "closed_places": closed_places,
        "closed_occupied": closed_occupied,
        "closed_occupancy": closed_occupied / closed_places if closed_places else 0.0,
        "machtiging": sum(1 for y in youths if y.machtiging),
        "sibling_groups": len({y.sibling_group for y in youths if y.sibling_group is not None}),
        "in_sibling_groups": sum(1 for y in youths if y.sibling_group is not None),
        "conflicts": len(instance.conflicts),
        "with_alternatives": sum(1 for y in youths if y.alt_care_types),
        "with_exclusions": sum(1 for y in youths if y.excluded_locations),
        "with_max_km": sum(1 for y in youths if y.max_km is not None),
        "by_care_type": by_care_type,
    }


def readme(instance: Instance, preset: str, seed: int, youths: int | None = None, units: int | None = None) -> str:
    """README.md for a generated instance: what it is, its figures, how to make it again."""
    f = figures(instance)
    size = ""
    if youths is not None:
        size += f" --youths {youths}"
    if units is not None:
        size += f" --units {units}"
    lines = [
        f"# {instance.name}: a synthetic Dutch instance",
        "",
        "**Synthetic data, fictitious providers.** The youths are drawn at random and describe no real",
        "person; the providers and their names are fictitious (every provider name ends in \"(fictief)\").",
        "The towns and gemeente codes are real (CBS), and so is the region map. A home point is a",
        "jittered point near the home gemeente's representative point: a PC4-like approximation,",
        "never an address. The national figures the generator is calibrated on, and which figures are",
        "assumptions, are explained in docs/netherlands.md.",
        "",
        "## Provenance",
        "",
        "```",
        f"matcher generate {preset} --seed {seed}{size} --out <folder>",
        "```",
        "",
        "The same command with the same seed writes exactly these files.",
        "",
        "## Figures",
        "",
        f"- {f['youths']} youths: {f['occupants']} current occupants and {f['new']} "
        + ("waiting (new) youths" if preset != "nl-week" else "new requests this week"),
        f"- {f['units']} units with {f['places']} places at {f['locations']} locations of "
        f"{f['providers']} fictitious providers",
        f"- closed care: {f['closed_places']} places in closed (gesloten) units, {f['closed_occupied']} "
        f"occupied ({100 * f['closed_occupancy']:.1f} %); {f['machtiging']} youths with a machtiging",
        f"- {f['sibling_groups']} sibling groups ({f['in_sibling_groups']} youths), {f['conflicts']} "
        f"conflict pairs, {f['with_alternatives']} youths with alternative care types, "
        f"{f['with_exclusions']} with excluded locations, {f['with_max_km']} with a personal max_km",
        f"- occupants may move: {'yes' if f['allow_moves'] else 'no'} (allow_moves = "
        f"{'true' if f['allow_moves'] else 'false'})",
        "",
        "| care type | units | places | occupied | occupancy | new youths | places by setting |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in CARE_TYPES:
        b = f["by_care_type"][c]
        by_setting = ", ".join(f"{s} {n}" for s, n in b["places_by_setting"].items())
        lines.append(f"| {CARE_TYPE_LABEL[c]} (`{c}`) | {b['units']} | {b['places']} | {b['occupied']} | "
                     f"{100 * b['occupancy']:.1f} % | {b['new']} | {by_setting} |")
    lines += [
        "",
        "Files: instance.toml, locations.csv, units.csv, youths.csv"
        + (", conflicts.csv" if instance.conflicts else "") + " (see the instance format).",
        "",
    ]
    return "\n".join(lines)
