"""A plan written as a scenario file, so that ``matcher scenario`` and ``matcher simulate`` take it
as it is (docs/scenarios.md).

The steps, in order: the options' re-indications (``op = "demand"``), the closures (``close``),
the units that lose places (``close`` and ``add`` again with the places kept: the scenario
format has no step that lowers a unit's places, so its residents need a place again), the
conversions (``split`` with ``max_capacity``, ``setting`` and ``cost_per_day``; a unit that
already fits keeps its id), and the new units (``add``, new sites as new locations at the
gemeente's representative point).
"""

from __future__ import annotations

import json
from collections import defaultdict

from matcher.instance import Instance
from matcher.propose.actions import Lever, Levers
from matcher.propose.options import Convert, Open, Options

NEW_PROVIDER = "Nieuw in het voorstel"


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return f"{v:g}" if isinstance(v, float) else str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def _table(header: str, values: dict) -> list[str]:
    return [header, *(f"{k} = {_value(v)}" for k, v in values.items() if v is not None and v != () and v != {})]


def _demand_steps(options: Options) -> list[str]:
    lines = []
    for step in options.demand:
        data = step.model_dump(exclude_defaults=True)
        where = data.pop("where", None)
        lines += ["", *_table("[[step]]", {"op": "demand", **{k: v for k, v in data.items() if k != "op"}})]
        if where:
            lines += _table("[step.where]", where)
    return lines


def _unit_steps(instance: Instance, options: Options, chosen: list[tuple[Lever, int]]) -> list[str]:
    lines = []
    closed = [lv.unit_id for lv, _n in chosen if lv.kind == "close"]
    shrunk = [(lv, n) for lv, n in chosen if lv.kind == "shrink" and n > 0]
    gone = closed + [lv.unit_id for lv, _n in shrunk]
    if gone:
        lines += ["", "[[step]]", 'op = "close"', f"where = {{ unit = {_value(gone)} }}"]
    kept = [(instance.unit_by_id[lv.unit_id], n) for lv, n in shrunk if n < instance.unit_by_id[lv.unit_id].capacity]
    if kept:
        lines += ["", "[[step]]", 'op = "add"']
        for u, n in kept:
            lines += ["", *_table("[[step.units]]", {**u.model_dump(exclude_none=True), "unit_id": f"{u.unit_id}-k",
                                                     "capacity": u.capacity - n})]
    by_action = defaultdict(list)
    for lv, _n in chosen:
        if lv.kind == "convert":
            by_action[lv.action].append(lv.unit_id)
    for action, units in sorted(by_action.items()):
        a: Convert = options.actions[action - 1]
        lines += ["", "[[step]]", 'op = "split"', f"max_capacity = {a.max_capacity}", f"setting = {_value(a.setting)}",
                  f"cost_per_day = {_value(float(a.cost_per_place_day))}", f"where = {{ unit = {_value(units)} }}"]
    return lines


def _new_units(options: Options, chosen: list[tuple[Lever, int]]) -> list[str]:
    opened = [(lv, n) for lv, n in chosen if lv.kind == "open" and n > 0]
    if not opened:
        return []
    lines = ["", "[[step]]", 'op = "add"']
    sites = {lv.site.location_id: lv.site for lv, _n in opened if lv.site.new}
    for site in sorted(sites.values(), key=lambda s: s.location_id):
        lines += ["", *_table("[[step.locations]]", {"location_id": site.location_id, "provider": NEW_PROVIDER,
                                                     "gemeente": site.gemeente, "lat": site.lat, "lon": site.lon})]
    for lv, n in opened:
        a: Open = options.actions[lv.action - 1]
        for k in range(1, n + 1):
            lines += ["", *_table("[[step.units]]", {
                "unit_id": f"N{lv.action}-{lv.site.location_id}-{k}", "location_id": lv.site.location_id,
                "care_type": a.care_type, "setting": a.unit_setting, "capacity": a.places, "age_min": a.age_min,
                "age_max": a.age_max, "cost_per_day": float(a.cost_per_place_day)})]
    return lines


def plan_toml(instance: Instance, options: Options, levers: Levers, plan: dict[str, int], name: str,
              description: str) -> str:
    """The plan as the text of a scenario file."""
    chosen = [(lv, plan[lv.name]) for lv in levers.levers if plan.get(lv.name, 0) > 0]
    lines = [f"name = {_value(name)}", f"description = {_value(description)}"]
    lines += _demand_steps(options) + _unit_steps(instance, options, chosen) + _new_units(options, chosen)
    if len(lines) == 2:
        lines += ["", "[[step]]", 'op = "set_cost"', "percent = 0", "where = {}"]
    return "\n".join(lines) + "\n"
