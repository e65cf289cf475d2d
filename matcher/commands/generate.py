"""``matcher generate PRESET --seed N --out DIR``: write a synthetic Dutch instance folder.

The folder gets the instance files and a README.md with its figures and the command that makes
it again. Same preset and seed, same files.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.generator import PRESETS, generate_folder
from matcher.generator.describe import figures


@click.command("generate")
@click.argument("preset", type=click.Choice(list(PRESETS)))
@click.option("--seed", type=int, default=0, show_default=True, help="random seed (same seed, same files)")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="folder to write the instance into")
@click.option("--youths", type=click.IntRange(min=0), help="stress only: number of youths")
@click.option("--units", type=click.IntRange(min=1), help="stress only: number of units")
def generate_command(preset: str, seed: int, out: Path, youths: int | None, units: int | None) -> None:
    """Write a synthetic instance: nl-week, nl-stock or stress (providers are fictitious)."""
    try:
        instance = generate_folder(preset, seed, out, youths=youths, units=units)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    f = figures(instance)
    click.echo(f"wrote {preset} (seed {seed}) to {out}: {f['youths']} youths "
               f"({f['occupants']} occupants, {f['new']} new), {f['units']} units, {f['locations']} locations")
