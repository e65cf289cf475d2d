"""``matcher solve DIR``: the weekly run (``matcher.pipeline``), with progress lines and a result line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.errors import format_problems
from matcher.exitcodes import EXIT_INTERNAL, EXIT_INVALID
from matcher.i18n import N_, _, number, percent
from matcher.result import relative_gap
from matcher.wording import count


#: The solver's stages (``matcher.solver.stages``) as the progress lines name them.
STAGE_WORDS = {"flow relaxation": N_("flow relaxation"), "valid start": N_("valid start"),
               "LP bound": N_("LP bound"),
               "LP-guided MIP": N_("LP-guided MIP"), "MIP": N_("MIP"), "done": N_("done")}


def _printer():
    """Progress on a terminal: a line whenever the best valid objective or the bound moves."""
    last = {"objective": None, "bound": None}

    def show(event: dict) -> None:
        obj, bound, stage = event["objective"], event["bound"], event["stage"]
        shown = _(STAGE_WORDS[stage]) if stage in STAGE_WORDS else stage
        seconds = f"{number(event['seconds'], 1):>7} s"
        if stage == "flow relaxation":  # its assignment may break side rules: show the bound only
            click.echo(f"  {seconds}  {'':>24}  " + _("bound {bound}").format(bound=f"{number(bound, 3):>14}")
                       + f"  {shown}", err=True)
            last["bound"] = bound
            return
        if (obj, bound) == (last["objective"], last["bound"]) and stage != "done":
            return
        last.update(objective=obj, bound=bound)
        gap = relative_gap(obj, bound)
        click.echo(f"  {seconds}  " + _("objective {objective}  bound {bound}  gap {gap}").format(
            objective=f"{number(obj, 3):>14}", bound=f"{number(bound, 3):>14}", gap=f"{percent(gap, 3):>8}")
            + f"  {shown}", err=True)

    return show


def _result_line(summary: dict, out: Path | None) -> str:
    """The one line a run ends with: status, objective, bound, gap, time, counts, folder."""
    return _("{status}: objective {objective} (bound {bound}, gap {gap}) in {seconds} s; placed {placed}, "
             "stays {stays}, moved {moved}, unplaced {unplaced} -> {out}").format(
        status=summary["status"], objective=number(summary["objective"], 3), bound=number(summary["best_bound"], 3),
        gap=percent(summary["gap"], 3), seconds=number(summary["wall_seconds"], 1), placed=number(summary["placed"]),
        stays=number(summary["stays"]), moved=number(summary["moved"]), unplaced=number(summary["unplaced"]), out=out)


@command("solve", help=N_("Match the youths of the instance in FOLDER to units and write the solution folder."))
@click.argument("folder", type=click.Path(path_type=Path))
@option("--out", type=click.Path(path_type=Path), default=None, help=N_("solution folder (default: FOLDER/solution)"))
@option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help=N_("seconds"))
@option("--threads", type=click.IntRange(min=1), default=2, show_default=True, help=N_("solver threads"))
@option("--seed", type=int, default=0, show_default=True, help=N_("random seed (same input and seed, same answer)"))
@option("--no-map", is_flag=True, help=N_("skip map.html"))
@option("--quiet", "-q", is_flag=True, help=N_("no progress, only the result line"))
def solve_command(folder: Path, out: Path | None, time_limit: float, threads: int, seed: int, no_map: bool, quiet: bool) -> None:
    from matcher.errors import InternalError
    from matcher.pipeline import RunOptions, run  # imported when it runs: the help page stays quick

    progress = None if quiet or not sys.stderr.isatty() else _printer()
    options = RunOptions(time_limit=time_limit, threads=threads, seed=seed, with_map=not no_map, progress=progress)
    try:
        outcome = run(folder, out, options)
    except InternalError as err:
        click.echo(_("INTERNAL ERROR (please report): {error}").format(error=err), err=True)
        raise SystemExit(EXIT_INTERNAL)
    if outcome.code == EXIT_INVALID:
        problems = outcome.problems
        click.echo(_("errors ({n}):").format(n=len(problems)), err=True)
        click.echo(format_problems(problems), err=True)
        where = _("; see {file}").format(file=outcome.out / "summary.json") if outcome.out is not None else ""
        click.echo(_("NOT SOLVED: the input has {problems}").format(problems=count(len(problems), "problem", "problems"))
                   + where, err=True)
        raise SystemExit(outcome.code)
    click.echo(_result_line(outcome.summary, outcome.out))
    if outcome.code:
        click.echo(_("Some youths could not be kept to every rule (see summary.json 'checker'); fix the input and "
                     "run again."), err=True)
        raise SystemExit(outcome.code)
