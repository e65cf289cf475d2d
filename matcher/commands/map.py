"""``matcher map`` and ``matcher make-maps``: draw a solution's map again, or the shipped examples.

``matcher map SOLUTION_DIR`` reads assignments.csv and summary.json from a solution folder and
the instance named in summary.json (or given with ``--instance``), and writes map.html again,
e.g. after an update of the map layout, without solving anew. ``matcher make-maps`` solves every
shipped instance and writes one map per instance, checked by the independent checker first.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.errors import InputError, InternalError
from matcher.exitcodes import EXIT_INVALID
from matcher.i18n import N_, _

#: The shipped instances ``make-maps`` draws, when present.
SHIPPED_INSTANCES = ("nl-week", "nl-stock", "voorbeeld")


def _fail(message: str) -> None:
    click.echo(_("error: {message}").format(message=message), err=True)
    raise SystemExit(EXIT_INVALID)


@command("map", help=N_("Draw the map of a solution folder again (assignments.csv + summary.json)."))
@click.argument("solution_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@option(
    "--instance",
    "instance_dir",
    type=click.Path(exists=True, path_type=Path),
    help=N_("Instance folder or workbook (default: instance_path in summary.json)."),
)
@option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help=N_("Map file (default: SOLUTION_DIR/map.html).")
)
def map_command(solution_dir: Path, instance_dir: Path | None, out: Path | None) -> None:
    from matcher.maps import write_map
    from matcher.input.solution import read_solution

    try:
        solution = read_solution(solution_dir, instance_dir)
    except InputError as err:
        _fail(str(err))
    instance, outcomes, summary = solution.instance, solution.outcomes, solution.summary
    path = write_map(instance, outcomes, summary, out or solution_dir / "map.html")
    click.echo(_("map written to {path}").format(path=path))


@command("make-maps", help=N_("Solve each shipped instance (nl-week, nl-stock, voorbeeld) and write OUT/<name>.html."))
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"), show_default=True,
        help=N_("Folder for the maps."))
@option(
    "--instances",
    "instances_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("instances"),
    show_default=True,
    help=N_("Folder holding the shipped instances."),
)
@option("--time-limit", type=float, default=60.0, show_default=True, help=N_("Seconds per solve."))
def make_maps_command(out: Path, instances_dir: Path, time_limit: float) -> None:
    from matcher.maps import write_map
    from matcher.input.source import read_instance
    from matcher.pipeline import RunOptions, run

    folders = [instances_dir / name for name in SHIPPED_INSTANCES if (instances_dir / name).is_dir()]
    if not folders:
        _fail(_("no shipped instance ({names}) found in {folder}").format(names=", ".join(SHIPPED_INSTANCES), folder=instances_dir))
    for folder in folders:
        try:  # solved in memory: only the map is written
            outcome = run(read_instance(folder), options=RunOptions(time_limit=time_limit, seed=0))
        except (InputError, InternalError) as err:
            _fail(f"{folder.name}: {err}")
        if not outcome.report.ok:
            _fail(_("{name}: the solution breaks a rule: {rules}").format(name=folder.name, rules="; ".join(outcome.report.violations[:5])))
        path = write_map(outcome.instance, outcome.outcomes, outcome.summary, out / f"{folder.name}.html")
        click.echo(_("{name}: {status}, map written to {path}").format(name=folder.name, status=outcome.status, path=path))
