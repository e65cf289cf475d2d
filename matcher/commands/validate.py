"""``matcher validate DIR``: check an instance folder and list every problem, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.errors import format_problems
from matcher.exitcodes import EXIT_INVALID
from matcher.run import safe_validate
from matcher.wording import count


@click.command("validate")
@click.argument("folder", type=click.Path(path_type=Path))
def validate(folder: Path) -> None:
    """Check the instance in FOLDER; exit 0 when it is valid, 2 when it is not."""
    result = safe_validate(folder)
    if result.errors:
        click.echo(f"errors ({len(result.errors)}):")
        click.echo(format_problems(result.errors))
    if result.warnings:
        click.echo(f"warnings ({len(result.warnings)}):")
        click.echo(format_problems(result.warnings))
    if result.errors:
        click.echo(f"NOT VALID: {folder} has {count(len(result.errors), 'error')}")
        raise SystemExit(EXIT_INVALID)
    instance = result.instance
    occupants = sum(1 for y in instance.youths if y.is_occupant)
    click.echo(
        f"OK: instance '{instance.name}' is valid: {count(len(instance.locations), 'location')}, "
        f"{count(len(instance.units), 'unit')}, {count(len(instance.youths), 'youth')} "
        f"({occupants} of them current occupants)"
        + (f", {count(len(result.warnings), 'warning')}" if result.warnings else "")
    )
