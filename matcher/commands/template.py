"""``matcher template --out week.xlsx``: the empty instance workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.i18n import LANGUAGES, _, use_language


@click.command("template")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="the workbook to write (.xlsx)")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="language of the explanations (default: MATCHER_LANG, else nl)")
def template_command(out: Path, lang: str | None) -> None:
    """Write an empty instance workbook: one sheet per input file, drop-down lists, explanations."""
    from matcher.template import write_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("the workbook must end in .xlsx"), param_hint="--out")
    with use_language(lang):
        try:
            write_template(out)
        except OSError as exc:
            raise click.ClickException(_("cannot write {path}: {error}").format(path=out, error=exc)) from exc
        click.echo(_("template written to {path}: fill in the sheets youths, units and locations, "
                     "then run matcher validate {path}").format(path=out))
