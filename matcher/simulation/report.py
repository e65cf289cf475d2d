"""report.md and the terminal table, in the run's language.

Waiting and unmet need stand beside the cost in their own rows; nothing is turned into money or
shown as a saving. Every interval is printed with its simulated estimate: the mean over the
replications, then p10-p90 in brackets.
"""

from __future__ import annotations

import math

from matcher.domain import CARE_TYPE_LABEL, CARE_TYPES
from matcher.i18n import N_, _, money, number, percent
from matcher.scenario.spec import BASELINE
from matcher.simulation.plan import Plan
from matcher.simulation.summary import METRICS, Spread, pays_for_itself

LABEL = {
    "mean_wait_weeks": N_("mean waiting time (weeks)"),
    "p90_wait_weeks": N_("p90 waiting time (weeks)"),
    "youths_waiting": N_("youths waiting (mean per week)"),
    "never_placed_share": N_("share never placed"),
    "left_share": N_("share who left the list"),
    "mean_km": N_("mean distance of a placement (km)"),
    "own_jeugdregio_share": N_("share placed in own jeugdregio"),
    "setting_steps": N_("setting steps above need (mean)"),
    "cost_per_year_eur": N_("cost per year (euro)"),
}
#: The terminal's columns.
TERMINAL = ("mean_wait_weeks", "youths_waiting", "never_placed_share", "cost_per_year_eur")


def label(metric: str) -> str:
    if metric.startswith("occupancy_"):
        return _("occupancy {care_type}").format(care_type=CARE_TYPE_LABEL[metric.removeprefix("occupancy_")])
    return _(LABEL[metric])


def value(metric: str, x: float | None, signed: bool = False) -> str:
    """A figure in the run's language: shares as percentages, cost in euro."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if (metric.endswith("_share") or metric.startswith("occupancy_")) and signed:
        text = _("{value} pp").format(value=number(abs(x) * 100, 1))  # a difference of shares
    elif metric.endswith("_share") or metric.startswith("occupancy_"):
        text = percent(x, 1)
    elif metric == "cost_per_year_eur":
        text = money(abs(x) if signed else x)
    else:
        decimals = 2 if metric == "setting_steps" else (0 if metric == "youths_waiting" else 1)
        text = number(abs(x) if signed else x, decimals)
    if signed:
        return ("+" if x > 0 else "−" if x < 0 else "±") + text
    return text


def estimate(metric: str, s: Spread) -> str:
    """``mean (p10–p90)``."""
    return f"{value(metric, s.mean)} ({value(metric, s.quantiles[0])}–{value(metric, s.quantiles[2])})"


def difference(metric: str, s: Spread) -> str:
    """The paired difference to the baseline: ``+mean (p10 … p90)``."""
    if s.diff_mean is None:
        return ""
    lo, _mid, hi = s.diff_quantiles
    return f"{value(metric, s.diff_mean, True)} ({value(metric, lo, True)} … {value(metric, hi, True)})"


def shown_name(scenario: str) -> str:
    """A scenario's name as the reader sees it: the baseline in the run's language."""
    return _("baseline") if scenario == BASELINE else scenario


def column_name(plan: Plan, scenario: str, point: int) -> str:
    labels = plan.grid_labels(scenario, point)
    if not any(labels):
        return shown_name(scenario)
    return shown_name(scenario) + " (" + ", ".join(f"{a.name}={v}" for a, v in zip(plan.grid, labels)) + ")"


def results_tables(plan: Plan, summary: dict, keys: list) -> list[str]:
    """The figures per scenario, and each scenario's paired difference to the baseline."""
    heads = [column_name(plan, s, p) for s, p in keys]
    lines = ["| " + _("figure (over the replications)") + " | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(keys)]
    for m in METRICS:
        lines.append(f"| {label(m)} | " + " | ".join(estimate(m, summary[k][m]) for k in keys) + " |")
    others = [k for k in keys if k[0] != plan.scenarios[0].name]
    if others:
        lines += ["", "### " + _("Difference to the baseline (paired by replication)"), "",
                  _("Each scenario minus the baseline in the same replication (the same arrivals and stays): "
                    "the mean difference, and in brackets p10 … p90 of the differences."), ""]
        lines.append("| " + _("figure (over the replications)") + " | " + " | ".join(column_name(plan, s, p) for s, p in others) + " |")
        lines.append("|---|" + "---:|" * len(others))
        for m in METRICS:
            lines.append(f"| {label(m)} | " + " | ".join(difference(m, summary[k][m]) for k in others) + " |")
    return lines


#: The columns of the grid table: each a figure's paired difference to the baseline.
GRID_COLUMNS = ("cost_per_year_eur", "mean_wait_weeks", "youths_waiting", "never_placed_share")


def grid_table(plan: Plan, summary: dict) -> list[str]:
    """One row per scenario and grid point: its grid values, and its paired differences to the baseline."""
    axes = [a.name for a in plan.grid]
    lines = ["| " + _("scenario (grid point)") + " | " + " | ".join(axes) + " | "
             + " | ".join(_("difference: {figure}").format(figure=label(m)) for m in GRID_COLUMNS) + " |",
             "|---|" + "---:|" * (len(axes) + len(GRID_COLUMNS))]
    for (scenario, point), figures in summary.items():
        if scenario == plan.scenarios[0].name and not plan.baseline_on_grid:
            continue
        lines.append(f"| {scenario} | " + " | ".join(plan.grid_labels(scenario, point)) + " | "
                     + " | ".join(difference(m, figures[m]) for m in GRID_COLUMNS) + " |")
    paying = [column_name(plan, s, p) for (s, p), figures in summary.items()
              if s != plan.scenarios[0].name and pays_for_itself(figures)]
    lines += ["", _("Grid points where the scenario costs less per year than the baseline without worse waiting "
                    "(mean waiting time and share never placed not higher): {points}.").format(
        points="; ".join(paying) if paying else _("no grid point"))]
    return lines


def terminal_table(plan: Plan, summary: dict) -> str:
    """The summary on the terminal: a few figures per scenario (mean, p10-p90)."""
    rows = [[_("scenario (grid point)")] + [label(m) for m in TERMINAL]]
    for (scenario, point), figures in summary.items():
        rows.append([column_name(plan, scenario, point)] + [estimate(m, figures[m]) for m in TERMINAL])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def parameter_lines(plan: Plan) -> list[str]:
    """The parameters of the run, each with its source or 'assumption'."""
    p = plan.params
    lines = [_("| care type | arrivals per week | length of stay | source |"), "|---|---:|---|---|"]
    for c in CARE_TYPES:
        law = p.stays[c]
        shape = (_("lognormal, mean {mean} weeks, sigma {sigma}").format(mean=number(law.mean_weeks, 1),
                                                                            sigma=number(law.sigma, 2))
                 if law.distribution == "lognormal" else
                 _("exponential, mean {mean} weeks").format(mean=number(law.mean_weeks, 1)))
        source = _("inflow and stay: NJi / Jeugdautoriteit") if c == "gesloten" else _("assumption (see docs/simulation.md)")
        arrivals = number(p.arrivals[c], 1)
        if p.trend.get(c, 1.0) != 1.0:
            arrivals += " " + _("(x {factor} a year)").format(factor=number(p.trend[c], 3))
        lines.append(f"| {CARE_TYPE_LABEL[c]} | {arrivals} | {shape} | {source} |")
    lines.append("")
    lines.append(_("Urgency rises one level after {n} weeks on the list.").format(n=p.escalate_after_weeks)
                 if p.escalate_after_weeks else _("Urgency never rises while a youth waits."))
    lines[-1] += " " + (_("Youths leave the list unplaced after {n} weeks.").format(n=p.leave_after_weeks)
                        if p.leave_after_weeks else _("Youths never leave the list unplaced."))
    swept = {(a.factor, a.parameter) for a in plan.grid}
    for f in plan.factors:
        for parameter, r in sorted(f.values.items()):
            if (f.name, parameter) in swept:
                continue
            shown = number(r.low, 2) if r.kind == "fixed" else f"{r.kind} {number(r.low, 2)}–{number(r.high, 2)}"
            where = _("scenarios and baseline") if f.baseline else _("scenarios only")
            lines.append("- " + _("factor {name}.{parameter}: {range} ({where})").format(
                name=f.name, parameter=parameter, range=shown, where=where))
    for a in plan.grid:
        lines.append("- " + _("grid {name}: {values}").format(name=a.name, values=", ".join(number(v, 2) for v in a.values)))
    return lines
