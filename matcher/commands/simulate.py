"""``matcher simulate INSTANCE [SCENARIO.toml ...] --out DIR``: weekly matching over the years.

A thin layer over ``matcher.simulation``: read and check every input (instance, scenario files,
SIM.toml, --grid) first, listing every problem and writing nothing when any is found (exit 2);
then run on a LocalCluster (one single-threaded worker process per core) or on the cluster at
``--scheduler``, with a progress bar of completed runs, and end with the summary table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.exitcodes import EXIT_INTERNAL, EXIT_INVALID
from matcher.commands.translated import command, option
from matcher.i18n import LANGUAGES, N_, _, ngettext, number, percent, use_language
from matcher.errors import InputError, Problem


def problem_text(p: Problem) -> str:
    """One problem in the run's language: file, line, key (or option value), message."""
    if p.file.startswith("--"):
        text = _("{option} {value}: {message}")
    elif p.line is not None and p.column:
        text = _("{file}, line {line}, key {key}: {message}")
    elif p.column:
        text = _("{file}, key {key}: {message}")
    elif p.line is not None:
        text = _("{file}, line {line}: {message}")
    else:
        text = _("{file}: {message}")
    return "  " + text.format(option=p.file, value=p.column, file=p.file, line=p.line, key=p.column, message=p.message)


def read_inputs(instance: Path, scenarios, params_file, grid, seed: int, more: list[Problem] = ()):
    """Everything the run needs, or every problem of every input (SystemExit 2, nothing written)."""
    from matcher.input.source import read_instance
    from matcher.simulation.parameters import SimParams
    from matcher.simulation.scenarios import week_zero
    from matcher.simulation.simfile import ParamsError, load_params, parse_grid

    problems: list[Problem] = list(more)
    params, axes, runs = SimParams(), (), ()
    try:
        params = load_params(params_file) if params_file else params
    except ParamsError as err:
        problems += err.problems
    try:
        axes = parse_grid(grid)
    except ParamsError as err:
        problems += err.problems
    try:
        runs = week_zero(read_instance(instance), scenarios, seed)
    except InputError as err:  # the instance's or a scenario file's problems
        problems += err.problems
    if problems:
        click.echo(ngettext("{n} problem, nothing simulated or written:", "{n} problems, nothing simulated or written:",
                            len(problems)).format(n=len(problems)), err=True)
        click.echo("\n".join(problem_text(p) for p in problems), err=True)
        raise SystemExit(EXIT_INVALID)
    return runs, params, axes


@command("simulate", help=N_("Simulate weekly matching of INSTANCE (and of each SCENARIO.toml) over the weeks: "
                             "departures, arrivals, the waiting list, on Dask."))
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("scenarios", nargs=-1, type=click.Path(path_type=Path), metavar="[SCENARIO.toml]...")
@option("--out", required=True, type=click.Path(path_type=Path), help=N_("folder for every file of the simulation"))
@option("--weeks", type=click.IntRange(min=1), default=104, show_default=True, help=N_("weeks to simulate"))
@option("--replications", type=click.IntRange(min=1), default=50, show_default=True,
        help=N_("replications per scenario and grid point"))
@option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
        help=N_("the seed every replication's random numbers come from"))
@option("--params", "params_file", type=click.Path(path_type=Path), help=N_("SIM.toml with the simulation's parameters"))
@option("--grid", multiple=True, metavar="NAME=LO:HI:STEPS", help=N_("sweep a factor, e.g. kleinschalig.stay=0.6:1.0:5"))
@option("--explore", multiple=True, metavar="NAME=LO:HI",
        help=N_("explore a factor over a range with a designed experiment, e.g. kleinschalig.stay=0.6:1.0 "
                "(with one SCENARIO.toml; --replications is then the most per design point)"))
@option("--points", type=int, default=32, show_default=True, help=N_("design points of --explore"))
@option("--design", "design_kind", type=click.Choice(("sobol", "lhs")), default="sobol", show_default=True,
        help=N_("design of --explore: a scrambled Sobol sequence (a power of 2 points) or a Latin hypercube"))
@option("--precision", type=float, default=0.005, show_default=True,
        help=N_("--explore: wanted half-width of the 95 % interval of the cost difference at a design point, "
                "as a share of the baseline's cost per year"))
@option("--pilot", type=int, default=3, show_default=True,
        help=N_("--explore: replications per design point before the precision decides how many more"))
@option("--refine", type=int, default=0, show_default=True,
        help=N_("--explore: add this many design points, in batches of 4, where the break-even line is least certain"))
@option("--workers", type=click.IntRange(min=1), help=N_("worker processes of the LocalCluster (default: one per core)"))
@option("--scheduler", metavar="tcp://HOST:PORT", help=N_("run on this Dask scheduler instead of a LocalCluster"))
@option("--lang", type=click.Choice(LANGUAGES), help=N_("language of the report and the terminal of this simulation"))
def simulate_command(**o) -> None:
    with use_language(o["lang"]):
        if o["explore"]:
            _explore(o)
            return
        _simulate(o["instance"], o["scenarios"], o["out"], (o["weeks"], o["replications"], o["seed"]),
                  o["params_file"], o["grid"], (o["workers"], o["scheduler"]))


def _simulate(instance, scenarios, out, counts, params_file, grid, cluster) -> None:
    from matcher.simulation.plan import Plan
    from matcher.simulation.report import terminal_table
    from matcher.simulation.runner import cluster_client
    from matcher.simulation.simulate import simulate
    from matcher.simulation.week import SimulationError

    weeks, replications, seed = counts
    runs, params, axes = read_inputs(instance, scenarios, params_file, grid, seed)
    plan = Plan(runs, params, seed=seed, replications=replications, weeks=weeks, grid=axes)
    total = len(plan.specs())
    try:
        with cluster_client(*cluster) as client, click.progressbar(
                length=total, file=sys.stderr, label=_("simulating {n} runs of {weeks} weeks").format(
                    n=number(total), weeks=weeks)) as bar:
            outcome = simulate(plan, out, client, on_done=lambda _o: bar.update(1), instance_name=Path(instance).name)
    except SimulationError as err:
        click.echo(_("INTERNAL ERROR (please report): {error}").format(error=err), err=True)
        raise SystemExit(EXIT_INTERNAL) from None
    click.echo(terminal_table(plan, outcome.summary))
    click.echo("\n" + _("written to {out} in {seconds} s (report.md, weeks.csv, episodes.parquet, summary.csv, charts)").format(
        out=out, seconds=number(outcome.seconds)))


def explore_problems(o: dict) -> tuple[tuple, list[Problem]]:
    """The explored factors, and every problem of --explore, --points, --precision, --pilot."""
    from matcher.simulation.design import parse_explore

    explored, problems = parse_explore(o["explore"], o["points"], o["design_kind"])
    if len(o["scenarios"]) != 1:
        problems.append(Problem("--explore", None, " ".join(o["explore"]),
                                _("compares one SCENARIO.toml with the baseline; {n} given").format(n=len(o["scenarios"]))))
    if o["grid"]:
        problems.append(Problem("--grid", None, " ".join(o["grid"]), _("cannot be combined with --explore; run them separately")))
    if not 0 < o["precision"] < 1:
        problems.append(Problem("--precision", None, f"{o['precision']:g}",
                                _("must be a share of the baseline's cost between 0 and 1, e.g. 0.005")))
    if not 0 <= o["refine"] <= 4096:
        problems.append(Problem("--refine", None, str(o["refine"]), _("must be a number of points, 0 to 4096")))
    if not 2 <= o["pilot"] <= o["replications"]:
        problems.append(Problem("--pilot", None, str(o["pilot"]),
                                _("must be at least 2 and at most --replications ({n})").format(n=o["replications"])))
    return explored, problems


def _explore(o: dict) -> None:
    from matcher.simulation.design import design
    from matcher.simulation.experiment import Experiment, Precision
    from matcher.simulation.explore import explore
    from matcher.simulation.runner import cluster_client
    from matcher.simulation.week import SimulationError

    explored, problems = explore_problems(o)
    runs, params, _axes = read_inputs(o["instance"], o["scenarios"], o["params_file"], (), o["seed"], problems)
    points = tuple(tuple(row) for row in design(explored, o["points"], o["seed"], o["design_kind"]))
    exp = Experiment(runs[0], runs[1], params, explored, points, o["seed"], o["weeks"],
                     Precision(o["pilot"], o["replications"], o["precision"]), o["design_kind"])
    try:
        with cluster_client(o["workers"], o["scheduler"]) as client, click.progressbar(
                length=2 * (len(points) + o["refine"]) * o["replications"], file=sys.stderr,
                label=_("simulating at most {n} runs of {weeks} weeks").format(
                    n=number(2 * (len(points) + o["refine"]) * o["replications"]), weeks=o["weeks"])) as bar:
            outcome = explore(exp, o["out"], client, on_done=lambda _o: bar.update(1),
                              instance_name=Path(o["instance"]).name, refine_points=o["refine"])
    except SimulationError as err:
        click.echo(_("INTERNAL ERROR (please report): {error}").format(error=err), err=True)
        raise SystemExit(EXIT_INTERNAL) from None
    c = outcome.answer.chance
    click.echo(_("chance that {scenario} pays for itself: {p} ({lo}–{hi})").format(
        scenario=exp.scenario.name, p=percent(c.estimate, 0), lo=percent(c.low, 0), hi=percent(c.high, 0)))
    click.echo(_("written to {out} in {seconds} s (report.md, design.csv, responses.csv, charts)").format(
        out=o["out"], seconds=number(outcome.seconds)))
