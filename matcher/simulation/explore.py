"""``explore(experiment, out)``: run a designed experiment and write its answer to DIR.

Layout::

    DIR/design.csv        every design point: factor values, seed, replications, mean paired
                          differences and the half-widths of their 95 % intervals
    DIR/responses.csv     every replication: the baseline's and the scenario's responses
    DIR/report.md         the answer, the design, the validation, the baseline beside real figures
    DIR/surface_<scenario>.png  DIR/chance_<scenario>.png   (two factors; one chart for one factor)
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.i18n import _
from matcher.simulation.answer import Answer, analyse
from matcher.simulation.answer_report import (answer_lines, baseline_lines, design_lines, point_lines, quantity,
                                              validation_lines)
from matcher.simulation.experiment import RESPONSES, Experiment, point_seed, run_experiment
from matcher.simulation.plots import save
from matcher.simulation.refine import refine
from matcher.simulation.runner import OnDone
from matcher.simulation.surface_plots import chance_chart, line_chart, surface_chart


@dataclass(frozen=True)
class ExploreOutcome:
    """What an experiment produced."""

    answer: Answer
    out: Path
    seconds: float


def explore(exp: Experiment, out: Path, client=None, on_done: OnDone | None = None,
            instance_name: str = "", refine_points: int = 0) -> ExploreOutcome:
    """Run the experiment (on ``client``'s cluster if given), add ``refine_points`` points where
    the break-even is least certain, fit, and write DIR."""
    t0 = time.perf_counter()
    results = run_experiment(exp, client, on_done)
    if refine_points:
        exp, results = refine(exp, results, refine_points, client, on_done)
    answer = analyse(exp, results)
    out.mkdir(parents=True, exist_ok=True)
    write_design(out / "design.csv", answer)
    write_responses(out / "responses.csv", answer)
    charts = answer_charts(answer, out)
    (out / "report.md").write_text(report_md(answer, charts, instance_name), encoding="utf-8")
    return ExploreOutcome(answer, out, time.perf_counter() - t0)


def write_design(path: Path, answer: Answer) -> None:
    """design.csv: one row per design point."""
    exp = answer.experiment
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["point", *(e.name for e in exp.explored), "seed", "replications",
                      *(f"{m}_diff{part}" for m in RESPONSES for part in ("", "_half_width"))])
        for r in answer.results:
            diffs = [f"{x:.6g}" for m in RESPONSES for x in (float(np.mean(r.differences(m))), r.half_width(m))]
            out.writerow([r.point, *(f"{v:.6g}" for v in r.values), point_seed(exp.seed, r.point), r.replications,
                          *diffs])


def write_responses(path: Path, answer: Answer) -> None:
    """responses.csv: one row per design point and replication, both alternatives."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["point", "replication", *(f"{who}_{m}" for who in ("baseline", "scenario") for m in RESPONSES)])
        for r in answer.results:
            for i, (b, s) in enumerate(zip(r.baseline, r.scenario)):
                out.writerow([r.point, i, *(f"{f[m]:.6g}" for f in (b, s) for m in RESPONSES)])


def answer_charts(answer: Answer, out: Path) -> list[tuple[str, Path]]:
    """The surface and chance charts over the first two factors (others at the belief's centre)."""
    exp = answer.experiment
    name = exp.scenario.name
    values = np.array([r.values for r in answer.results], dtype=float)
    means = {m: np.array([np.mean(r.differences(m)) for r in answer.results]) for m in RESPONSES}
    axes = answer.axes()
    if len(exp.explored) == 1:
        x = answer.unit(axes[0][:, None])
        m, s = answer.surfaces["cost_per_year_eur"].predict(x)
        half = np.array([r.half_width("cost_per_year_eur") for r in answer.results]) / 1e6
        title = _("Break-even: {scenario} against the baseline").format(scenario=name)
        ax = line_chart(axes[0], (m / 1e6, s / 1e6), (values[:, 0], means["cost_per_year_eur"] / 1e6, half),
                        (quantity(exp.explored[0]), _("difference in cost per year (million euro)"), title))
        return [(title, save(ax, out / f"surface_{name}.png"))]
    maps = answer.maps()
    grid = np.meshgrid(axes[0], axes[1])
    labels = (quantity(exp.explored[0]), quantity(exp.explored[1]))
    title = _("Break-even: {scenario} against the baseline").format(scenario=name)
    fitted = {"cost": maps["cost"] / 1e6, "band": maps["band"], "worse": maps["worse"]}
    ax = surface_chart(grid, fitted, (values[:, 0], values[:, 1], means["cost_per_year_eur"] / 1e6), (*labels, title))
    charts = [(title, save(ax, out / f"surface_{name}.png"))]
    title = _("Chance that {scenario} pays for itself").format(scenario=name)
    ax = chance_chart(grid, maps["chance"], (values[:, 0], values[:, 1]), (*labels, title))
    return charts + [(title, save(ax, out / f"chance_{name}.png"))]


def report_md(answer: Answer, charts: list[tuple[str, Path]], instance_name: str) -> str:
    """The whole report; nothing in it depends on the machine or the number of workers."""
    exp = answer.experiment
    lines = ["# " + _("Designed experiment: {scenario} against the baseline, {weeks} weeks of {instance}").format(
        scenario=exp.scenario.name, weeks=exp.weeks, instance=instance_name), ""]
    lines += [_("Synthetic data: the arrivals are drawn, they describe no real person. Every response is the paired "
                "difference scenario minus baseline in one replication (common random numbers); responses.csv "
                "holds every replication."), ""]
    lines += ["## " + _("The answer"), ""] + answer_lines(answer)
    if charts:
        lines += [_("Chart of the surface: colour is the fitted difference in cost per year (blue: cheaper), the black "
                    "line the fitted break-even, the dotted area the band where its 95 % interval contains 0 (the "
                    "break-even line may run anywhere in it), the hatched area where the fit says the mean waiting "
                    "time gets longer; the dots are the design points, coloured by their simulated mean. Chart of "
                    "the chance: at every point the probability, given the fits, that the scenario is cheaper and "
                    "waiting not longer."), ""]
        lines += [f"![{title}]({path.name})" for title, path in charts] + [""]
    lines += ["## " + _("The design"), ""] + design_lines(answer)
    lines += ["## " + _("The fit and its validation"), ""] + validation_lines(answer)
    lines += ["## " + _("The simulated baseline beside the real figures"), ""] + baseline_lines(answer)
    lines += ["## " + _("Every design point (mean paired difference ± half-width of its 95 % interval)"), ""]
    lines += point_lines(answer)
    return "\n".join(lines)
