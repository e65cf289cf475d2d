"""``matcher scenario INSTANCE SCENARIO.toml ... --out DIR``: what-if scenarios, solved and compared."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.errors import InputError, ScenarioError, format_problems
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INVALID
from matcher.scenario.compare import terminal_table
from matcher.scenario.run import ComparisonOptions, prepare, read_baseline, solve_and_compare


@click.command("scenario")
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SCENARIO.toml...")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="folder for every instance, solution and the comparison")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="seconds per solve")
@click.option("--seed", type=int, default=0, show_default=True, help="for the solver and for the scenarios' random choices")
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True, help="solves at the same time (one process each)")
def scenario_command(instance: Path, scenarios: tuple[Path, ...], out: Path, time_limit: float, seed: int, jobs: int) -> None:
    """Apply each SCENARIO.toml to INSTANCE, solve the baseline and every scenario, and compare them."""
    try:
        baseline = read_baseline(instance)
        applied = prepare(baseline, scenarios, seed)
    except ScenarioError as err:  # a kind of InputError: caught first
        click.echo(f"errors ({len(err.problems)}):", err=True)
        click.echo(format_problems(err.problems), err=True)
        click.echo(f"NOT RUN: the scenario files have {len(err.problems)} problem(s)", err=True)
        raise SystemExit(EXIT_INVALID)
    except InputError as err:
        click.echo(str(err), err=True)
        click.echo(f"NOT RUN: the instance {instance} has {len(err.problems)} problem(s)", err=True)
        raise SystemExit(EXIT_INVALID)
    options = ComparisonOptions(time_limit=time_limit, seed=seed, jobs=jobs)
    with click.progressbar(length=len(applied) + 1, label=f"solving {len(applied) + 1} instances, {jobs} at a time",
                           item_show_func=lambda name: name, file=sys.stderr) as bar:
        run = solve_and_compare(baseline, applied, out, str(instance), options,
                                on_done=lambda solved: bar.update(1, solved.name))
    click.echo(terminal_table(run.comparison))
    click.echo(f"\nwritten to {out} (comparison.csv, comparison.md, and per scenario its instance and solution)")
    failed = [s for s in run.solved if s.error]
    for s in failed:
        click.echo(f"INTERNAL ERROR in {s.name} (please report): {s.error}", err=True)
    if run.code == EXIT_INFEASIBLE:
        click.echo("Some solve found no assignment that keeps every rule (status INFEASIBLE); see its summary.json.", err=True)
    if run.code in (EXIT_INFEASIBLE, EXIT_INTERNAL):
        raise SystemExit(run.code)
