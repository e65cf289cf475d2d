"""``matcher regions [INSTANCE]``: show the gemeente -> jeugdregio -> bovenregio map in use.

A planner checking why a placement counts as "outside the bovenregio" wants to see the map the
matcher actually used: the shipped one, or the instance's own regions.csv when it has one.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click

from matcher.exitcodes import EXIT_INVALID
from matcher.instance import RegionMap
from matcher.reading import (
    REGION_COLUMNS,
    REGIONS_FILE,
    InputError,
    Problem,
    Problems,
    read_table,
    regions_in_use,
)
from matcher.regions import shipped_region_map


def region_map_in_use(folder: str | Path | None = None) -> RegionMap:
    """The instance's regions.csv when ``folder`` has one, else the shipped map.

    Raises ``InputError`` listing every problem when the folder or its regions.csv is not valid.
    """
    if folder is None:
        return shipped_region_map()
    folder = Path(folder)
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise InputError([Problem(str(folder), None, None, what)], folder=folder.name or str(folder))
    problems = Problems()
    table = read_table(folder, REGIONS_FILE, REGION_COLUMNS, problems, required_file=False)
    regions = regions_in_use(table, problems)
    if problems or regions.region_map is None:
        if not problems:
            problems.add(REGIONS_FILE, None, None, "the region map could not be built")
        raise InputError(list(problems), folder=folder.name or str(folder))
    return regions.region_map


def region_csv(region_map: RegionMap) -> str:
    """The map as CSV ``gemeente,jeugdregio,bovenregio``, one line per gemeente, sorted by code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("gemeente", "jeugdregio", "bovenregio"))
    for gemeente, jeugdregio in sorted(region_map.jeugdregio_of.items()):
        writer.writerow((gemeente, jeugdregio, region_map.bovenregio_of[jeugdregio]))
    return out.getvalue()


@click.command("regions")
@click.argument("instance", required=False, type=click.Path(path_type=Path))
def regions(instance: Path | None) -> None:
    """Print the region map in use (shipped, or INSTANCE's regions.csv) as CSV."""
    try:
        region_map = region_map_in_use(instance)
    except InputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(region_csv(region_map), nl=False)
