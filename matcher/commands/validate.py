"""``matcher validate DIR``: check an instance folder and list every problem, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.reading import Problem, Validation, format_problems, validate_instance

__all__ = ["validate", "format_problems", "safe_validate"]

from matcher.exitcodes import EXIT_INVALID


def safe_validate(folder: str | Path) -> Validation:
    """``validate_instance`` that turns even an unforeseen failure into a reported problem."""
    try:
        return validate_instance(folder)
    except Exception as exc:  # the last line of defence: a planner sees a message, not a traceback
        message = f"could not be read: {type(exc).__name__}: {exc}"
        return Validation(None, [Problem(str(folder), None, None, message)], [])


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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
        click.echo(f"NOT VALID: {folder} has {_count(len(result.errors), 'error')}")
        raise SystemExit(EXIT_INVALID)
    instance = result.instance
    occupants = sum(1 for y in instance.youths if y.is_occupant)
    click.echo(
        f"OK: instance '{instance.name}' is valid: {_count(len(instance.locations), 'location')}, "
        f"{_count(len(instance.units), 'unit')}, {_count(len(instance.youths), 'youth')} "
        f"({occupants} of them current occupants)"
        + (f", {_count(len(result.warnings), 'warning')}" if result.warnings else "")
    )
