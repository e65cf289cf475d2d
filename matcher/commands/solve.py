"""``matcher solve DIR``: the weekly run (``matcher.run``), with progress lines and a result line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.errors import InternalError, format_problems
from matcher.exitcodes import EXIT_INTERNAL, EXIT_INVALID
from matcher.result import relative_gap
from matcher.run import RunOptions, run


def _printer():
    """Progress on a terminal: a line whenever the best valid objective or the bound moves."""
    last = {"objective": None, "bound": None}

    def show(event: dict) -> None:
        obj, bound, stage = event["objective"], event["bound"], event["stage"]
        if stage == "flow relaxation":  # its assignment may break side rules: show the bound only
            click.echo(f"  {event['seconds']:7.1f} s  {'':>24}  bound {bound:14.3f}  {stage}", err=True)
            last["bound"] = bound
            return
        if (obj, bound) == (last["objective"], last["bound"]) and stage != "done":
            return
        last.update(objective=obj, bound=bound)
        gap = relative_gap(obj, bound)
        click.echo(f"  {event['seconds']:7.1f} s  objective {obj:14.3f}  bound {bound:14.3f}  gap {100 * gap:7.3f} %  {stage}", err=True)

    return show


@click.command("solve")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="solution folder (default: FOLDER/solution)")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="seconds")
@click.option("--threads", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-map", is_flag=True, help="skip map.html")
@click.option("--quiet", "-q", is_flag=True, help="no progress, only the result line")
def solve_command(folder: Path, out: Path | None, time_limit: float, threads: int, seed: int, no_map: bool, quiet: bool) -> None:
    """Match the youths of the instance in FOLDER to units and write the solution folder."""
    progress = None if quiet or not sys.stderr.isatty() else _printer()
    options = RunOptions(time_limit=time_limit, threads=threads, seed=seed, with_map=not no_map, progress=progress)
    try:
        outcome = run(folder, out, options)
    except InternalError as err:
        click.echo(f"INTERNAL ERROR (please report): {err}", err=True)
        raise SystemExit(EXIT_INTERNAL)
    if outcome.code == EXIT_INVALID:
        problems = outcome.problems
        click.echo(f"errors ({len(problems)}):", err=True)
        click.echo(format_problems(problems), err=True)
        where = f"; see {outcome.out / 'summary.json'}" if outcome.out is not None else ""
        click.echo(f"NOT SOLVED: the input has {len(problems)} problem(s){where}", err=True)
        raise SystemExit(outcome.code)
    k = outcome.summary
    click.echo(
        f"{k['status']}: objective {k['objective']:.3f} (bound {k['best_bound']:.3f}, gap {100 * k['gap']:.3f} %) in {k['wall_seconds']:.1f} s; "
        f"placed {k['placed']}, stays {k['stays']}, moved {k['moved']}, unplaced {k['unplaced']} -> {outcome.out}"
    )
    if outcome.code:
        click.echo("Some youths could not be kept to every rule (see summary.json 'checker'); fix the input and run again.", err=True)
        raise SystemExit(outcome.code)
