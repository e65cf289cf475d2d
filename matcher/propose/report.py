"""report.md of a proposal, in the run's language: the plan in words per bovenregio and
jeugdregio, the budget it uses (both ways of counting), the model's size, gap and SAA gap, the
trade-off curve, and the verification by simulation with paired intervals.

Every figure says what it is: a model estimate over sampled demand states (with its interval
and number of samples) or a simulated one (with its replications).
"""

from __future__ import annotations

import math
from collections import defaultdict

from matcher.domain import care_type_name
from matcher.i18n import _, money, number, percent
from matcher.instance import Instance
from matcher.propose.actions import Lever, Levers, supply_after
from matcher.propose.options import Options
from matcher.propose.plan_map import waiting_by_jeugdregio
from matcher.propose.propose import Estimate, Proposal, mean_interval
from matcher.propose.verify import FIGURES, Verification
from matcher.simulation.report import label, value


def _lever_words(lv: Lever, n: int, instance: Instance, use: tuple[float, int]) -> str:
    if lv.kind == "open":
        place = instance.location_by_id[lv.site.location_id].name if not lv.site.new else lv.site.gemeente
        places = next(iter(lv.places.values()))
        return _("opens {n} x {places} places {care_type} {setting} at {place} (there then {total} such places, "
                 "mean {used} in use)").format(
            n=n, places=places, care_type=care_type_name(next(iter(lv.places))[1]), setting=lv.unit_setting,
            place=place or lv.site.location_id, total=use[1], used=number(use[0], 1))
    unit = instance.unit_by_id[lv.unit_id]
    if lv.kind == "convert":
        return _("converts {unit} ({places} places {care_type} {setting}) to {to} at {price} a day").format(
            unit=unit.unit_id, places=unit.capacity, care_type=care_type_name(unit.care_type), setting=unit.setting,
            to=lv.unit_setting, price=money(lv.cost_per_place_day))
    if lv.kind == "shrink":
        return _("takes {n} of the {places} places of {unit} ({care_type} {setting})").format(
            n=n, places=unit.capacity, unit=unit.unit_id, care_type=care_type_name(unit.care_type), setting=unit.setting)
    return _("closes {unit} ({places} places {care_type} {setting})").format(
        unit=unit.unit_id, places=unit.capacity, care_type=care_type_name(unit.care_type), setting=unit.setting)


def km_by_jeugdregio(instance: Instance, estimate: Estimate) -> dict[str, float]:
    """Mean km of the placements of the youths from each home jeugdregio."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for gemeente, (placed, km) in estimate.km_by_home.items():
        row = sums[instance.regions.jeugdregio_of[gemeente]]
        row[0] += placed
        row[1] += km
    return {j: km / placed for j, (placed, km) in sums.items() if placed}


def plan_in_words(instance: Instance, levers: Levers, best: Estimate, today: Estimate) -> list[str]:
    """Per bovenregio and jeugdregio what the plan does, with the expected youths waiting."""
    by_region = defaultdict(list)
    places, _euro = supply_after(levers, best.plan)
    for lv in levers.levers:
        n = best.plan.get(lv.name, 0)
        if n:
            grown = [p for p, d in lv.places.items() if d > 0]
            use = (sum(best.places_used.get(p, 0.0) for p in grown), sum(places.get(p, 0) for p in grown))
            by_region[(lv.bovenregio, lv.jeugdregio)].append(_lever_words(lv, n, instance, use))
    before, after = waiting_by_jeugdregio(instance, today), waiting_by_jeugdregio(instance, best)
    km_before, km_after = km_by_jeugdregio(instance, today), km_by_jeugdregio(instance, best)
    names = instance.regions.jeugdregio_name
    lines, current = [], None
    for (bovenregio, jeugdregio), words in sorted(by_region.items()):
        if bovenregio != current:
            lines += ["", f"### {bovenregio}", ""]
            current = bovenregio
        lines.append(_("- **{name} ({code})**: youths from here waiting at a random week {before} -> {after}, mean km "
                       "of their placements {km_before} -> {km_after} (model). ").format(
            name=names.get(jeugdregio, jeugdregio), code=jeugdregio, before=number(before.get(jeugdregio, 0.0), 1),
            after=number(after.get(jeugdregio, 0.0), 1), km_before=number(km_before.get(jeugdregio, 0.0), 1),
            km_after=number(km_after.get(jeugdregio, 0.0), 1)) + "; ".join(words) + ".")
    return lines or [_("The plan changes nothing: today's supply is the best these options allow.")]


def estimate_rows(rows: list[tuple[str, Estimate]], n_samples: int) -> list[str]:
    head = _("| plan | matching cost per week (points, 95 % interval) | youths waiting | mean waiting (weeks) | "
             "mean km | own jeugdregio | setting steps | funded places per year | occupied places per year | one-off |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, e in rows:
        lines.append(f"| {name} | {number(e.cost)} ({number(e.cost_interval[0])}–{number(e.cost_interval[1])}) | "
                     f"{number(e.unplaced, 1)} | {number(e.mean_wait_weeks, 2)} | {number(e.km, 1)} | "
                     f"{percent(e.own_jeugdregio)} | {number(e.setting_steps, 2)} | {money(e.funded_per_year)} | "
                     f"{money(e.occupied_per_year)} | {money(e.one_off)} |")
    return lines + ["", _("Model estimates over {n} fresh demand states, the same for every plan.").format(n=n_samples)]


def budget_lines(options: Options, levers: Levers, best: Estimate) -> list[str]:
    years = options.budget.one_off_years
    used = best.funded_per_year + best.one_off / years
    closed = sum(n for (_l, _c, s), n in levers.base_places.items() if s == "gesloten")
    removed = sum(-d * best.plan.get(lv.name, 0) for lv in levers.levers for (_l, _c, s), d in lv.places.items()
                  if s == "gesloten")
    return [
        _("- Budget: {budget} a year. The plan uses {used}: funded places x cost per day x 365 = {funded} "
          "(today {today}), plus one-off costs {one_off} spread over {years} years.").format(
            budget=money(options.budget.per_year), used=money(used), funded=money(best.funded_per_year),
            today=money(levers.base_cost), one_off=money(best.one_off), years=years),
        _("- Counted by occupied days instead (expected occupied places x cost per day x 365, model estimate): "
          "{occupied}. The budget counts funded places: an empty place is paid for too.").format(
            occupied=money(best.occupied_per_year)),
        _("- Closed places: {before} today, {after} with the plan (target: at most {target}).").format(
            before=number(closed), after=number(closed - removed),
            target=number(options.targets.max_closed_places) if options.targets.max_closed_places is not None else "–"),
    ]


def model_lines(proposal: Proposal, options: Options) -> list[str]:
    saa = proposal.saa
    lines = [_("| replicate | plan levers | status | MIP objective | bound | gap | seconds | columns | rows | integer |"),
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for i, r in enumerate(proposal.replicates, start=1):
        lines.append(f"| {i} | {sum(r.plan.values())} | {r.status} | {number(r.objective)} | {number(r.bound)} | "
                     f"{percent(r.gap, 2)} | {number(r.seconds, 1)} | {number(r.size['columns'])} | "
                     f"{number(r.size['rows'])} | {number(r.size['integer'])} |")
    lo, hi = saa["lower_interval"]
    lines += ["", _("SAA ({m} replicates of {n} demand states; plans valued on {k} fresh states): the replicates' MIP "
                    "bounds have mean {lower} (sd {sd}, 95 % interval {lo}–{hi}); the best plan's value on the fresh "
                    "states is {upper}. SAA gap estimate: {gap} points per week ({share} of the value).").format(
        m=len(proposal.replicates), n=options.model.samples, k=options.model.evaluation_samples,
        lower=number(saa["lower"]), sd=number(saa["lower_sd"]), lo=number(lo), hi=number(hi), upper=number(saa["upper"]),
        gap=number(saa["gap"]), share=percent(saa["gap"] / saa["upper"] if saa["upper"] else 0.0)),
        _("Network: {classes} demand classes, {points} supply points, {arcs} candidate arcs.").format(
            **{k: number(v) for k, v in proposal.network_size.items()})]
    return lines


def tradeoff_lines(curve: tuple) -> list[str]:
    lines = [_("| budget per year | mean waiting (weeks) | youths waiting | mean km | own jeugdregio | funded places per year |"),
             "|---:|---:|---:|---:|---:|---:|"]
    for budget, e in curve:
        if e is None:
            lines.append(f"| {money(budget)} | " + _("no plan meets the targets") + " | | | | |")
        else:
            lines.append(f"| {money(budget)} | {number(e.mean_wait_weeks, 2)} | {number(e.unplaced, 1)} | {number(e.km, 1)} | "
                         f"{percent(e.own_jeugdregio)} | {money(e.funded_per_year)} |")
    return lines


def _interval(metric: str, d: tuple[float, float, float]) -> str:
    if any(math.isnan(x) for x in d):
        return "–"
    return f"{value(metric, d[0], signed=True)} [{value(metric, d[1], signed=True)}; {value(metric, d[2], signed=True)}]"


def verification_lines(v: Verification, model: dict[str, Estimate]) -> list[str]:
    """The simulated figures, paired intervals against the baseline, the best plan, model vs simulation."""
    lines = [_("{n} replications of {weeks} weeks, common random numbers; [low; high] is the 95 % interval of the "
               "mean paired difference over the replications.").format(n=v.replications, weeks=v.weeks), "",
             "| " + " | ".join([_("figure"), *v.names]) + " |", "|---|" + "---:|" * len(v.names)]
    for f in FIGURES:
        cells = [value(f, v.means[(v.names[0], f)])]
        cells += [f"{value(f, v.means[(n, f)])}<br>{_interval(f, v.versus_baseline[(n, f)])}" for n in v.names[1:]]
        lines.append(f"| {label(f)} | " + " | ".join(cells) + " |")
    lines += ["", _("Best by mean waiting time: **{best}**.").format(best=v.best)]
    for (n, f), d in sorted(v.versus_best.items()):
        if f == "mean_wait_weeks":
            lines.append(_("- {name} against {best}: mean waiting {diff}.").format(name=n, best=v.best, diff=_interval(f, d)))
    lines.append(_("The difference to the runner-up is clear at 95 %.") if v.confident else
                 _("The runner-up's interval includes no difference: the ranking is not sure at 95 %; more replications "
                   "would tell."))
    model_best = next((n for n in model if n in v.names and n != v.names[0]), None)
    if model_best is not None and v.best in model and model_best != v.best:
        low, high = mean_interval([a - b for a, b in zip(model[v.best].costs, model[model_best].costs)])
        words = (_("The model ranks {model} first, the simulation {best}; in the model the two differ by less than its "
                   "own uncertainty (paired 95 % interval of the cost difference {low} to {high} points).")
                 if low <= 0 <= high else
                 _("The model ranks {model} first, the simulation {best}, and the model is sure of its order (paired 95 % "
                   "interval of the cost difference {low} to {high} points): here the relaxation misses what the "
                   "simulation sees; trust the simulation."))
        lines.append(words.format(model=model_best, best=v.best, low=number(low), high=number(high)))
    lines += ["", _("| plan | mean waiting, model | mean waiting, simulated | mean km, model | mean km, simulated |"),
              "|---|---:|---:|---:|---:|"]
    for n, e in model.items():
        if n in v.names:
            lines.append(f"| {n} | {number(e.mean_wait_weeks, 2)} | {number(v.means[(n, 'mean_wait_weeks')], 2)} | "
                         f"{number(e.km, 1)} | {number(v.means[(n, 'mean_km')], 1)} |")
    lines += ["", _("The model sees a random week of a steady state with every youth placeable at once; the simulation "
                    "starts from today's occupants, places week by week under every rule (age, gender, siblings) and "
                    "counts waiting from arrival. Where the two differ much, trust the simulation.")]
    return lines
