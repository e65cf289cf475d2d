"""``matcher generate PRESET --seed N --out DIR``: write a synthetic Dutch instance folder.

The folder gets the instance files and a README.md with its figures and the command that makes
it again. Same preset and seed, same files.
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.i18n import N_, _, number
from matcher.wording import count


#: The generator's presets (``matcher.generator.PRESETS``, held equal by a test): named here so
#: that the help page does not load the generator.
PRESET_NAMES = ("nl-week", "nl-stock", "stress")


@command("generate", help=N_("Write a synthetic instance: nl-week, nl-stock or stress (providers are fictitious)."))
@click.argument("preset", type=click.Choice(PRESET_NAMES))
@option("--seed", type=int, default=0, show_default=True, help=N_("random seed (same seed, same files)"))
@option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
        help=N_("folder to write the instance into"))
@option("--youths", type=click.IntRange(min=0), help=N_("stress only: number of youths"))
@option("--units", type=click.IntRange(min=1), help=N_("stress only: number of units"))
def generate_command(preset: str, seed: int, out: Path, youths: int | None, units: int | None) -> None:
    from matcher.generator import generate_folder  # imported when it runs
    from matcher.generator.describe import figures

    try:
        instance = generate_folder(preset, seed, out, youths=youths, units=units)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(_("cannot write {folder}: {reason}").format(folder=out, reason=exc)) from exc
    f = figures(instance)
    click.echo(_("wrote {preset} (seed {seed}) to {out}: {youths} ({occupants} occupants, {new} new), {units}, "
                 "{locations}").format(
        preset=preset, seed=seed, out=out, youths=count(f["youths"], "youth", "youths"), occupants=number(f["occupants"]),
        new=number(f["new"]), units=count(f["units"], "unit", "units"), locations=count(f["locations"], "location", "locations")))
