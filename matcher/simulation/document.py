"""report.md: what was simulated, with which parameters, what came out, and how to read it."""

from __future__ import annotations

from pathlib import Path

from matcher.i18n import _, ngettext, number
from matcher.simulation.plan import Plan
from matcher.simulation.report import grid_table, parameter_lines, results_tables


def report_md(plan: Plan, summary: dict, charts: list[tuple[str, Path]], info: dict) -> str:
    """The whole report; ``info`` holds the instance name, the number of runs and the unsure weeks.

    Nothing in it depends on the machine or the number of workers (no times)."""
    keys = list(summary)
    lines = ["# " + _("Simulation of {weeks} weeks: {instance}").format(weeks=plan.weeks, instance=info["instance"]), ""]
    lines += [ngettext("{reps} replication per scenario, seed {seed}",
                       "{reps} replications per scenario, seed {seed}", plan.replications).format(
        reps=plan.replications, seed=plan.seed) + _("; every week, in this order: residents whose stay "
                "ends leave, the week's arrivals join the youths still waiting, and matcher's solver matches all "
                "waiting youths to the free places under the instance's rules and weights (occupants stay). "
                "In one replication every scenario sees the same arrivals and the same stays (common random "
                "numbers)."), ""]
    lines += [_("Synthetic data: the arrivals are drawn, they describe no real person. Every figure below "
                "can be recomputed from episodes.parquet and weeks.csv."), ""]
    lines += ["## " + _("Simulation parameters"), ""] + parameter_lines(plan) + [""]
    lines += ["## " + _("Simulated results"), "",
              _("Mean over the replications, in brackets p10–p90. Waiting and unmet need are figures of "
                "their own: they are not priced, and a lower cost with longer waiting is no saving."), ""]
    if plan.grid:
        base = [k for k in keys if k[0] == plan.scenarios[0].name]
        lines += results_tables(plan, summary, base) + [""]
        lines += ["### " + _("Every grid point against the baseline (paired by replication)"), ""]
        lines += grid_table(plan, summary) + [""]
    else:
        lines += results_tables(plan, summary, keys) + [""]
    if charts:
        lines += ["## " + _("Charts over the weeks"), "",
                  _("Fan charts: the line is the median over the replications, the band p10–p90. Break-even "
                    "chart: colour is the scenario's cost per year minus the baseline's (blue: cheaper), the "
                    "black line is where both cost the same, a cross marks a cell where waiting is worse than "
                    "in the baseline (longer mean waiting time or more youths never placed)."), ""]
        lines += [f"![{title}]({path.name})" for title, path in charts] + [""]
    lines += ["## " + _("About this simulation run"), ""]
    lines += ["- " + _("{n} runs of {weeks} weeks (scenarios x grid points x replications)").format(
        n=number(info["runs"]), weeks=plan.weeks)]
    lines += ["- " + _("weeks in which the solver stopped at its time limit (valid, not proven optimal): {n}").format(
        n=info["unsure_weeks"])]
    lines += ["- " + _("files: weeks.csv, episodes.parquet, summary.csv; the week-0 instance of every scenario "
                       "in <scenario>/instance/"), ""]
    return "\n".join(lines)
