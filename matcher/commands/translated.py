"""Click help in the run's language: help texts are English message ids, translated when shown.

click reads a command's ``help`` and an option's ``help`` when the decorators run, long before
``--lang`` is known. So the texts are written as ``N_("...")`` (marked for the catalog, kept in
English) and the classes here translate them at the moment the help is formatted: the command's
help and short help, every option's help, and click's own words around them (``Usage:``,
``Options``, ``Commands``, the help and version options, ``default:``). Use ``command`` and
``option`` from here instead of click's, with ``help=N_(...)``. click's own error messages
("Missing argument ...") stay English: click takes them from its own gettext domain.
"""

from __future__ import annotations

import copy

import click

from matcher.i18n import N_, _

#: click's own words in the help page, as click writes them (its English is the message id).
CLICK_WORDS = (N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
               N_("Show this message and exit."), N_("Show the version and exit."))
_DEFAULT = N_("default: {default}")


class TranslatedFormatter(click.HelpFormatter):
    """Headings and the usage prefix in the run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))


class TranslatedContext(click.Context):
    formatter_class = TranslatedFormatter


class _TranslatedHelp:
    """Mixin for click commands and groups: ``help`` is a message id, translated when shown."""

    context_class = TranslatedContext

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        shown = copy.copy(self)
        shown.help = _(self.help) if self.help else self.help
        super(_TranslatedHelp, shown).format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        shown = copy.copy(self)
        shown.help = _(self.help) if self.help else self.help
        shown.short_help = _(self.short_help) if self.short_help else self.short_help
        return super(_TranslatedHelp, shown).get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None and not isinstance(option, Option):
            option.__class__ = Option  # click builds it; only its help text is shown differently
        return option


class Command(_TranslatedHelp, click.Command):
    """A click command whose help texts follow ``--lang``."""


class Group(_TranslatedHelp, click.Group):
    """A click group whose help texts follow ``--lang``; its commands default to ``Command``."""

    command_class = Command


class Option(click.Option):
    """A click option whose ``help`` is a message id, translated when the help page is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = copy.copy(self)
        shown.help = _(self.help) if self.help else self.help
        record = click.Option.get_help_record(shown, ctx)
        if record is None:
            return None
        english = "[" + _DEFAULT.split("{")[0]
        return record[0], record[1].replace(english, "[" + _(_DEFAULT).split("{")[0], 1)


def command(name: str, **kwargs) -> click.Command:
    """``click.command`` with translated help (``help=N_("...")``)."""
    return click.command(name, cls=Command, **kwargs)


def option(*param_decls: str, **kwargs):
    """``click.option`` with translated help (``help=N_("...")``)."""
    return click.option(*param_decls, cls=Option, **kwargs)
