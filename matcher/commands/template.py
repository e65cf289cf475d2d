"""``matcher template --out week.xlsx``: the empty instance workbook to fill in.

Its explanations come in the run's language (``matcher --lang en template ...`` for English).
"""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.translated import command, option
from matcher.i18n import N_, _


@command("template", help=N_("Write an empty instance workbook: one sheet per input file, drop-down lists, "
                             "explanations."))
@option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
        help=N_("the workbook to write (.xlsx)"))
def template_command(out: Path) -> None:
    from matcher.input.template import write_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("the workbook must end in .xlsx"), param_hint="--out")
    try:
        write_template(out)
    except OSError as exc:
        raise click.ClickException(_("cannot write {path}: {error}").format(path=out, error=exc)) from exc
    click.echo(_("template written to {path}: fill in the sheets youths, units and locations, "
                 "then run matcher validate {path}").format(path=out))
