"""``matcher solve DIR``: the weekly run, read -> validate -> solve -> check -> write."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from matcher.commands.validate import format_problems, safe_validate
from matcher.exitcodes import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INVALID
from matcher.workbook import default_solution_dir



def run_solve(folder, out=None, time_limit: float = 60.0, threads: int = 2, seed: int = 0, progress=None, with_map: bool = True):
    """Everything ``matcher solve`` does, callable from Python. Returns (exit code, summary)."""
    from matcher.check import check
    from matcher.result import INFEASIBLE
    from matcher.solve import solve
    from matcher.writing import write_invalid_input, write_solution

    t0 = time.perf_counter()
    folder = Path(folder)
    out = Path(out) if out is not None else default_solution_dir(folder)
    validation = safe_validate(folder)
    if validation.errors:
        summary = {"_problems": validation.errors}
        if out.parent.is_dir():  # never create a folder for an instance that is not there
            summary |= write_invalid_input(out, validation.errors, time.perf_counter() - t0)
        return EXIT_INVALID, summary
    instance = validation.instance
    result = solve(instance, time_limit=time_limit, threads=threads, seed=seed, progress=progress)
    report = check(instance, result.unit_of)
    if not report.ok and result.status != INFEASIBLE:
        raise InternalError(
            "the solver returned an assignment that the independent checker rejects; nothing was written.\n"
            + "\n".join(f"  - {v}" for v in report.violations[:20])
        )
    if abs(report.objective - result.objective) > 1e-6 * max(1.0, abs(report.objective)):
        raise InternalError(
            f"the solver's objective {result.objective:.6f} differs from the checker's {report.objective:.6f}; nothing was written."
        )
    summary = write_solution(
        instance, result, report, out, with_map=with_map, instance_path=str(folder),
        seed=seed, time_limit=time_limit, threads=threads,
    )
    return (EXIT_INFEASIBLE if result.status == INFEASIBLE else 0), summary


class InternalError(RuntimeError):
    """A bug: the solver and the independent checker disagree."""


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
        gap = max(0.0, obj - bound) / max(abs(obj), 1.0)
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
    try:
        code, summary = run_solve(folder, out, time_limit, threads, seed, progress, with_map=not no_map)
    except InternalError as err:
        click.echo(f"INTERNAL ERROR (please report): {err}", err=True)
        raise SystemExit(EXIT_INTERNAL)
    out = out or default_solution_dir(folder)
    if code == EXIT_INVALID:
        problems = summary.pop("_problems")
        click.echo(f"errors ({len(problems)}):", err=True)
        click.echo(format_problems(problems), err=True)
        where = f"; see {out / 'summary.json'}" if (out / "summary.json").exists() else ""
        click.echo(f"NOT SOLVED: the input has {len(problems)} problem(s){where}", err=True)
        raise SystemExit(code)
    k = summary
    click.echo(
        f"{k['status']}: objective {k['objective']:.3f} (bound {k['best_bound']:.3f}, gap {100 * k['gap']:.3f} %) in {k['wall_seconds']:.1f} s; "
        f"placed {k['placed']}, stays {k['stays']}, moved {k['moved']}, unplaced {k['unplaced']} -> {out}"
    )
    if code:
        click.echo("Some youths could not be kept to every rule (see summary.json 'checker'); fix the input and run again.", err=True)
        raise SystemExit(code)
