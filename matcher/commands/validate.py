"""``matcher validate DIR``: check an instance folder and list every problem, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.translated import command
from matcher.errors import format_problems
from matcher.exitcodes import EXIT_INVALID
from matcher.i18n import N_, _
from matcher.wording import count


@command("validate", help=N_("Check the instance in FOLDER; exit 0 when it is valid, 2 when it is not."))
@click.argument("folder", type=click.Path(path_type=Path))
def validate(folder: Path) -> None:
    from matcher.input.source import safe_validate  # imported when it runs: the help page stays quick

    result = safe_validate(folder)
    if result.errors:
        click.echo(_("errors ({n}):").format(n=len(result.errors)))
        click.echo(format_problems(result.errors))
    if result.warnings:
        click.echo(_("warnings ({n}):").format(n=len(result.warnings)))
        click.echo(format_problems(result.warnings))
    if result.errors:
        click.echo(_("NOT VALID: {folder} has {errors}").format(folder=folder, errors=count(len(result.errors), "error", "errors")))
        raise SystemExit(EXIT_INVALID)
    instance = result.instance
    occupants = sum(1 for y in instance.youths if y.is_occupant)
    line = _("OK: instance '{name}' is valid: {locations}, {units}, {youths} ({occupants} among them)").format(
        name=instance.name, locations=count(len(instance.locations), "location", "locations"),
        units=count(len(instance.units), "unit", "units"), youths=count(len(instance.youths), "youth", "youths"),
        occupants=count(occupants, "current occupant", "current occupants"))
    if result.warnings:
        line += ", " + count(len(result.warnings), "warning", "warnings")
    click.echo(line)
