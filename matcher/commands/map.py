"""``matcher map`` and ``matcher make-maps``: draw a solution's map again, or the shipped examples.

``matcher map SOLUTION_DIR`` reads assignments.csv and summary.json from a solution folder and
the instance named in summary.json (or given with ``--instance``), and writes map.html again,
e.g. after an update of the map layout, without solving anew. ``matcher make-maps`` solves every
shipped instance and writes one map per instance, checked by the independent checker first.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.errors import InputError, InternalError
from matcher.exitcodes import EXIT_INVALID

#: The shipped instances ``make-maps`` draws, when present.
SHIPPED_INSTANCES = ("nl-week", "nl-stock", "voorbeeld")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(EXIT_INVALID)


@click.command("map")
@click.argument("solution_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--instance",
    "instance_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Instance folder (default: instance_path in summary.json).",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Map file (default: SOLUTION_DIR/map.html)."
)
def map_command(solution_dir: Path, instance_dir: Path | None, out: Path | None) -> None:
    """Draw the map of a solution folder again (assignments.csv + summary.json)."""
    from matcher.maps import write_map
    from matcher.writing import read_solution

    try:
        solution = read_solution(solution_dir, instance_dir)
    except InputError as err:
        _fail(str(err))
    instance, outcomes, summary = solution.instance, solution.outcomes, solution.summary
    path = write_map(instance, outcomes, summary, out or solution_dir / "map.html")
    click.echo(f"map written to {path}")


@click.command("make-maps")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"), show_default=True)
@click.option(
    "--instances",
    "instances_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("instances"),
    show_default=True,
    help="Folder holding the shipped instances.",
)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds per solve.")
def make_maps_command(out: Path, instances_dir: Path, time_limit: float) -> None:
    """Solve each shipped instance (nl-week, nl-stock, voorbeeld) and write OUT/<name>.html."""
    from matcher.maps import write_map
    from matcher.reading import read_instance
    from matcher.run import RunOptions, run

    folders = [instances_dir / name for name in SHIPPED_INSTANCES if (instances_dir / name).is_dir()]
    if not folders:
        _fail(f"no shipped instance ({', '.join(SHIPPED_INSTANCES)}) found in {instances_dir}")
    for folder in folders:
        try:  # solved in memory: only the map is written
            outcome = run(read_instance(folder), options=RunOptions(time_limit=time_limit, seed=0))
        except (InputError, InternalError) as err:
            _fail(f"{folder.name}: {err}")
        if not outcome.report.ok:
            _fail(f"{folder.name}: the solution breaks a rule: {'; '.join(outcome.report.violations[:5])}")
        path = write_map(outcome.instance, outcome.outcomes, outcome.summary, out / f"{folder.name}.html")
        click.echo(f"{folder.name}: {outcome.status}, map written to {path}")
