"""report.md of a designed experiment, in the run's language: the answer in sentences with its
uncertainty, the charts, the design and the replications reached, the fit's validation, the
simulated baseline beside the real figures, and every design point."""

from __future__ import annotations

import math

import numpy as np

from matcher.i18n import N_, _, number, percent
from matcher.simulation.answer import Answer
from matcher.simulation.design import Explored
from matcher.simulation.payoff import belief_of, pays_off_map
from matcher.simulation.reference import LABEL as REAL_LABEL
from matcher.simulation.reference import REAL_FIGURES
from matcher.simulation.report import label, value

QUANTITY = {"stay": N_("length of stay {target}, x today"), "inflow": N_("inflow {target}, x today"),
            "cost": N_("cost per day {target}, x today")}
#: A factor's value in words: (lower, unchanged, higher).
CHANGE = {"stay": (N_("{pct} shorter stays in {target}"), N_("unchanged stays in {target}"),
                   N_("{pct} longer stays in {target}")),
          "inflow": (N_("{pct} lower inflow to {target}"), N_("equal inflow to {target}"),
                     N_("{pct} higher inflow to {target}")),
          "cost": (N_("{pct} lower cost per day in {target}"), N_("equal cost per day in {target}"),
                   N_("{pct} higher cost per day in {target}"))}
KIND = {"triangular": N_("triangular"), "uniform": N_("uniform"), "fixed": N_("fixed"),
        "sobol": N_("scrambled Sobol sequence"), "lhs": N_("Latin hypercube")}
MODEL_LABEL = {"quadratic": N_("quadratic regression"), "kriging": N_("stochastic kriging")}


def quantity(e: Explored) -> str:
    """An explored factor as a quantity a planner reads ("length of stay kleinschalig, x today")."""
    return _(QUANTITY[e.parameter]).format(target=e.factor)


def change(e: Explored, v: float) -> str:
    """A factor's value as a planner says it: "20 % shorter stays in kleinschalig"."""
    lower, same, higher = CHANGE[e.parameter]
    text = same if abs(v - 1.0) < 0.005 else lower if v < 1.0 else higher
    return _(text).format(pct=percent(abs(1.0 - v), 0), target=e.factor)


def at_point(answer: Answer, values: tuple[float, ...]) -> str:
    """The fitted differences and the chance at one point of the factor plane, in a sentence."""
    x = answer.unit([values])
    cost_m, cost_s = (v[0] for v in answer.surfaces["cost_per_year_eur"].predict(x))
    wait_m, wait_s = (v[0] for v in answer.surfaces["mean_wait_weeks"].predict(x))
    chance = pays_off_map(answer.surfaces["cost_per_year_eur"], answer.surfaces["mean_wait_weeks"], x)[0]
    where = _(" and ").join(change(e, v) for e, v in zip(answer.experiment.explored, values))
    return _("At {where}: the cost per year differs by {cost} (95 % interval {cost_lo} … {cost_hi}), the mean "
             "waiting time by {wait} weeks ({wait_lo} … {wait_hi}); the chance that {scenario} pays for itself "
             "there is {chance}.").format(
        where=where, cost=value("cost_per_year_eur", cost_m, True),
        cost_lo=value("cost_per_year_eur", cost_m - 1.96 * cost_s, True),
        cost_hi=value("cost_per_year_eur", cost_m + 1.96 * cost_s, True),
        wait=value("mean_wait_weeks", wait_m, True), wait_lo=value("mean_wait_weeks", wait_m - 1.96 * wait_s, True),
        wait_hi=value("mean_wait_weeks", wait_m + 1.96 * wait_s, True), scenario=answer.experiment.scenario.name,
        chance=percent(chance, 0))


def answer_lines(answer: Answer) -> list[str]:
    """The answer in a planner's words."""
    exp, c = answer.experiment, answer.chance
    beliefs = []
    for e, sourced in zip(exp.explored, c.belief_from_sim):
        r, _s = belief_of(e, exp.params.factors)
        shape = f"{_(KIND[r.kind])} {number(r.low, 2)}–{number(r.high, 2)}" + (
            " (" + _("mode {value}").format(value=number(r.mode, 2)) + ")" if r.mode is not None else "")
        beliefs.append(f"{quantity(e)}: {shape}" + ("" if sourced else " — " + _(
            "assumption: uniform over the explored range (SIM.toml gives no range)")))
    lines = ["**" + _("The chance that {scenario} pays for itself (cheaper per year and waiting not longer) is "
                      "{p} ({lo}–{hi}), under the belief about the factors below.").format(
        scenario=exp.scenario.name, p=percent(c.estimate, 0), lo=percent(c.low, 0), hi=percent(c.high, 0)) + "**", ""]
    lines += [_("Belief (kept inside the explored ranges):")] + [f"- {b}" for b in beliefs] + [""]
    lines += [_("The interval is the 2.5–97.5 percentiles over {n} draws of the fitted surfaces from their "
                "uncertainty; the cost and waiting surfaces are taken as independent (an assumption).").format(
        n=c.draws), ""]
    lines += ["- " + at_point(answer, answer.centre)]
    today = tuple(1.0 for _e in exp.explored)
    if all(e.low <= 1.0 <= e.high for e in exp.explored):
        lines += ["- " + at_point(answer, today)]
    maps = answer.maps()
    lines += ["- " + _("Share of the explored plane where the break-even line may run (the 95 % interval of the fitted "
                       "cost difference contains 0): {band}; where the fit says waiting gets longer: {worse}.").format(
        band=percent(float(np.mean(maps["band"])), 0), worse=percent(float(np.mean(maps["worse"])), 0)), ""]
    return lines


def design_lines(answer: Answer) -> list[str]:
    """The design, and the replications and precision reached."""
    exp, results = answer.experiment, answer.results
    p = exp.precision
    reps = [r.replications for r in results]
    costs = [np.mean([b["cost_per_year_eur"] for b in r.baseline]) for r in results]
    reached = sum(r.half_width("cost_per_year_eur") <= p.half_width * c for r, c in zip(results, costs))
    worst = max(r.half_width("cost_per_year_eur") / c for r, c in zip(results, costs))
    lines = [_("{points} design points ({kind}, seed {seed}) over: {ranges}.").format(
        points=len(results), kind=_(KIND[exp.design]), seed=exp.seed,
        ranges="; ".join(f"{quantity(e)} {number(e.low, 2)}–{number(e.high, 2)}" for e in exp.explored))]
    if exp.refined:
        lines[0] += " " + _("Of these, the last {n} were added in batches where the break-even line was least "
                            "certain (largest p(1 − p) of the fitted chance that the cost difference is below 0).").format(
            n=exp.refined)
    lines += [_("At each point the baseline and the scenario share their random numbers per replication; every "
                "point has a stream of its own. Replications: a pilot of {pilot}, then n ≥ (t·s/h)² for a "
                "half-width h of {target} of the baseline's cost per year, at most {cap}.").format(
        pilot=p.pilot, target=percent(p.half_width, 1), cap=p.cap)]
    lines += [_("Reached: {min}–{max} replications per point ({total} runs); the target half-width at {reached} of "
                "{points} points, the widest {worst} of the baseline's cost.").format(
        min=min(reps), max=max(reps), total=2 * sum(reps), reached=reached, points=len(results),
        worst=percent(worst, 2)), ""]
    return lines


def validation_lines(answer: Answer) -> list[str]:
    """Per response: the model used and both models' leave-one-out validation."""
    lines = [_("Each response is fitted by a quadratic regression (weighted by the points' variances) and by "
               "stochastic kriging; the one with the smaller leave-one-out error is used. A standardised "
               "leave-one-out residual beyond ±3 is suspect."), "",
             "| " + " | ".join([_("response (difference)"), _("used"), _("leave-one-out error, quadratic"),
                                _("leave-one-out error, kriging"), _("largest |z|"), _("|z| > 3")]) + " |",
             "|---|---|---:|---:|---:|---:|"]
    for name, s in answer.surfaces.items():
        v = s.chosen
        lines.append(f"| {label(name)} | {_(MODEL_LABEL[s.model.name])} | {value(name, s.validations['quadratic'].rmse)} | "
                     f"{value(name, s.validations['kriging'].rmse)} | {number(float(np.max(np.abs(v.z))), 2)} | "
                     f"{v.suspect} |")
    return lines + [""]


def baseline_lines(answer: Answer) -> list[str]:
    """The simulated baseline beside every real figure (one row per figure, every date)."""
    sim = answer.baseline_figures
    lines = [_("Simulated: the mean over every baseline run of the experiment (95 % interval of the mean); the "
               "places and unit sizes are the instance's own."), "",
             "| " + " | ".join([_("figure"), _("simulated baseline"), _("real"), _("source")]) + " |",
             "|---|---:|---|---|"]
    for figure in REAL_LABEL:
        real = [f for f in REAL_FIGURES if f.figure == figure]
        mean, lo, hi, _runs = sim.get(figure, (math.nan,) * 4)
        shown = "; ".join(f"{_shown(figure, f.value)} ({f.when})" for f in real) or "–"
        sources = "; ".join(dict.fromkeys(f.source + (f" ({_(f.caveat)})" if f.caveat else "") for f in real)) or "–"
        lines.append(f"| {_(REAL_LABEL[figure])} | {_shown(figure, mean, lo, hi)} | {shown} | {sources} |")
    return lines + [""]


def _shown(figure: str, x: float, lo: float = math.nan, hi: float = math.nan) -> str:
    if x is None or math.isnan(x):
        return "–"
    if figure.endswith("occupancy"):
        text, band = percent(x, 0), (percent(lo, 0), percent(hi, 0))
    else:
        digits = 0 if figure.startswith("gesloten_") and not figure.endswith("occupancy") else 1
        text, band = number(x, digits), (number(lo, digits), number(hi, digits)) if not math.isnan(lo) else None
    return text if math.isnan(lo) else f"{text} ({band[0]}–{band[1]})"


def point_lines(answer: Answer) -> list[str]:
    """Every design point: its factor values, replications, and the mean paired differences ± half-width."""
    exp = answer.experiment
    heads = [_("point")] + [quantity(e) for e in exp.explored] + [_("replications")] + [
        _("difference: {figure}").format(figure=label(m)) for m in answer.surfaces]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---:|" * len(heads)]
    for r in answer.results:
        diffs = [f"{value(m, float(np.mean(r.differences(m))), True)} ± {value(m, r.half_width(m), True)[1:]}"
                 for m in answer.surfaces]
        lines.append("| " + " | ".join([str(r.point)] + [number(v, 3) for v in r.values] + [str(r.replications)]
                                       + diffs) + " |")
    return lines + [""]
