"""``matcher regions [INSTANCE]``: show the gemeente -> jeugdregio -> bovenregio map in use.

A planner checking why a placement counts as "outside the bovenregio" wants to see the map the
matcher actually used: the shipped one, or the instance's own regions.csv when it has one.
``--names`` adds the gemeente and jeugdregio names beside the codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.errors import InputError
from matcher.exitcodes import EXIT_INVALID
from matcher.i18n import N_


@command("regions", help=N_("Print the region map in use (shipped, or INSTANCE's regions.csv) as CSV."))
@click.argument("instance", required=False, type=click.Path(path_type=Path))
@option("--names", is_flag=True, help=N_("add the gemeente and jeugdregio names beside the codes"))
def regions(instance: Path | None, names: bool) -> None:
    from matcher.geography.regions import region_csv  # imported when it runs: the help page stays quick
    from matcher.input.source import region_map_in_use

    try:
        region_map = region_map_in_use(instance)
    except InputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(region_csv(region_map, names=names), nl=False)
