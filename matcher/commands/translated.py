"""Click help in the run's language: help texts are English message ids, translated when shown.

click reads a command's ``help`` and an option's ``help`` when the decorators run, long before
``--lang`` is known. So the texts are written as ``N_("...")`` (marked for the catalog, kept in
English) and the classes here translate them at the moment the help is formatted: the command's
help and short help, every option's help, and click's own words around them (``Usage:``,
``Options``, ``Commands``, the help and version options, ``default:``). Use ``command`` and
``option`` from here instead of click's, with ``help=N_(...)``.

click's own messages ("Missing argument", "No such option", "Error:", "Try ... for help") come in
the run's language too: ``speak_clicks_messages`` hands them matcher's catalog (click's message
ids are in ``locale/nl/LC_MESSAGES/click.po``) the first time one of these commands runs.
"""

from __future__ import annotations

import contextvars
import copy
import gettext
import importlib
import os

import click

from matcher.i18n import LANGUAGES, N_, _, language, ngettext, set_language

#: click's own words in the help page, as click writes them (its English is the message id).
CLICK_WORDS = (N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
               N_("Show this message and exit."), N_("Show the version and exit."))
_DEFAULT = N_("default: {default}")
_HELP = N_("Show this message and exit.")
#: click's modules that write messages with ``from gettext import gettext as _`` (and ``ngettext``).
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
                 "click.termui", "click.types", "click.utils")
#: Placeholders through which click puts its own English words into a message, translated too:
#: a path's kind (``Directory 'x' does not exist.``) and a number type.
_CLICK_WORDS = {"name": ("File", "Directory", "Path"), "number_type": ("integer", "integer range", "float", "float range")}


class _ClickMessage(str):
    """A click message in the run's language whose click words (``_CLICK_WORDS``) follow it into
    the language when click fills them in: click fixed them when the command was declared."""

    def format(self, *args, **kwargs) -> str:
        for key, words in _CLICK_WORDS.items():
            if kwargs.get(key) in words and (key != "name" or "filename" in kwargs):
                kwargs[key] = _(kwargs[key])
        return str.format(self, *args, **kwargs)


def _click_gettext(message: str) -> str:
    return _ClickMessage(_(message))


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _ClickMessage(ngettext(singular, plural, n))


def speak_clicks_messages() -> None:
    """Let click's own messages speak the run's language.

    click writes them with the standard library's global gettext, imported into each of its
    modules as ``_`` and ``ngettext``, and offers no way to hand it a catalog; gettext's global
    domain would need compiled files and the process's locale, and would change every other
    library's texts too. So the names ``_`` and ``ngettext`` of click's modules (only where they
    are still gettext's) are pointed at matcher's catalog, which reads the language at each call.
    Called when a command runs (``_TranslatedHelp.main``; it changes nothing after the first
    time), so texts click keeps from the moment a command is declared (option help, a path's
    kind) stay English ids, translated when shown.
    """
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _click_gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _click_ngettext


class TranslatedFormatter(click.HelpFormatter):
    """Headings and the usage prefix in the run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))


class TranslatedContext(click.Context):
    formatter_class = TranslatedFormatter


class _TranslatedHelp:
    """Mixin for click commands and groups: ``help`` is a message id, translated when shown, and
    ``--lang`` is an option of each (before or after the command's name)."""

    context_class = TranslatedContext

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not any(p.name == "lang" for p in self.params):
            self.params.append(lang_option())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Take ``--lang`` before anything else is parsed: click's own message about a bad option
        then comes in the language asked for too."""
        lang = _lang_in(args)
        if lang is not None:
            _set_language(ctx, None, lang)
        return super().parse_args(ctx, args)

    def main(self, *args, **kwargs):
        """Run in a context of its own: the run's language (``--lang``, also put in ``MATCHER_LANG``
        for worker processes) ends with the run, and the caller's language is back after it."""
        speak_clicks_messages()
        before = os.environ.get("MATCHER_LANG")
        try:
            return contextvars.copy_context().run(super().main, *args, **kwargs)
        finally:
            if before is None:
                os.environ.pop("MATCHER_LANG", None)
            else:
                os.environ["MATCHER_LANG"] = before

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
            option.help = _HELP  # the message id (click may have translated it when building it)
        return option


class Command(_TranslatedHelp, click.Command):
    """A click command whose help texts follow ``--lang``, and that takes ``--lang`` itself too:
    ``matcher solve DIR --lang en`` as well as ``matcher --lang en solve DIR``."""


class Group(_TranslatedHelp, click.Group):
    """A click group whose help texts follow ``--lang`` and that takes ``--lang`` itself; its
    commands default to ``Command``."""

    command_class = Command


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is not None:
        set_language(value)
        os.environ["MATCHER_LANG"] = value
    return language()


#: ``--lang nl|en``: the language of every text of the run, set before any other option is read
#: (so that even a message about a bad option comes in it).
LANG_OPTION = dict(type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
                   callback=_set_language, help=N_("language of every text of the run (default: MATCHER_LANG, else nl)"))


def _lang_in(args: list[str]) -> str | None:
    """The language an argument list asks for with ``--lang X`` or ``--lang=X`` (last one wins;
    None when it asks for none or for one matcher does not speak)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            found = value
    return found


def lang_option() -> click.Option:
    """The ``--lang`` option (``LANG_OPTION``) of a command."""
    return Option(["--lang"], **LANG_OPTION)


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
