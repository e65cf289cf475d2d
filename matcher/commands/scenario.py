"""``matcher scenario INSTANCE SCENARIO.toml ... --out DIR``: what-if scenarios, solved and compared."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.errors import InputError, ScenarioError, format_problems
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INVALID
from matcher.i18n import N_, _
from matcher.wording import count


@command("scenario", help=N_("Apply each SCENARIO.toml to INSTANCE, solve the baseline and every scenario, and compare them."))
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SCENARIO.toml...")
@option("--out", required=True, type=click.Path(path_type=Path), help=N_("folder for every instance, solution and the comparison"))
@option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help=N_("seconds per solve"))
@option("--seed", type=int, default=0, show_default=True, help=N_("for the solver and for the scenarios' random choices"))
@option("--jobs", type=click.IntRange(min=1), default=2, show_default=True, help=N_("solves at the same time (one process each)"))
def scenario_command(instance: Path, scenarios: tuple[Path, ...], out: Path, time_limit: float, seed: int, jobs: int) -> None:
    from matcher.scenario.compare import terminal_table  # imported when it runs: the help page stays quick
    from matcher.scenario.run import ComparisonOptions, prepare, read_baseline, solve_and_compare

    try:
        baseline = read_baseline(instance)
        applied = prepare(baseline, scenarios, seed)
    except ScenarioError as err:  # a kind of InputError: caught first
        click.echo(_("errors ({n}):").format(n=len(err.problems)), err=True)
        click.echo(format_problems(err.problems), err=True)
        click.echo(_("NOT RUN: the scenario files have {problems}").format(
            problems=count(len(err.problems), "problem", "problems")), err=True)
        raise SystemExit(EXIT_INVALID)
    except InputError as err:
        click.echo(str(err), err=True)
        click.echo(_("NOT RUN: the instance {folder} has {problems}").format(
            folder=instance, problems=count(len(err.problems), "problem", "problems")), err=True)
        raise SystemExit(EXIT_INVALID)
    options = ComparisonOptions(time_limit=time_limit, seed=seed, jobs=jobs)
    label = _("solving {instances}, {jobs} at a time").format(instances=count(len(applied) + 1, "instance", "instances"), jobs=jobs)
    with click.progressbar(length=len(applied) + 1, label=label,
                           item_show_func=lambda name: name, file=sys.stderr) as bar:
        run = solve_and_compare(baseline, applied, out, str(instance), options,
                                on_done=lambda solved: bar.update(1, solved.name))
    click.echo(terminal_table(run.comparison))
    click.echo("\n" + _("written to {folder} (comparison.csv, comparison.md, and per scenario its instance and solution)").format(folder=out))
    failed = [s for s in run.solved if s.error]
    for s in failed:
        click.echo(_("INTERNAL ERROR in {name} (please report): {error}").format(name=s.name, error=s.error), err=True)
    if run.code == EXIT_INFEASIBLE:
        click.echo(_("Some solve found no assignment that keeps every rule (status INFEASIBLE); see its summary.json."), err=True)
    if run.code in (EXIT_INFEASIBLE, EXIT_INTERNAL):
        raise SystemExit(run.code)
