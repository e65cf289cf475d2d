"""Command line: a thin click layer over the library (everything here is callable from Python).

``--lang nl|en`` (default: ``MATCHER_LANG``, else Dutch) sets the language of the whole run:
messages, help pages and the files written. Help texts are translated when they are shown
(``matcher.commands.translated``).
"""

from __future__ import annotations

import contextvars
import importlib
import os

import click

from matcher import __version__
from matcher.commands.translated import Group, Option, option
from matcher.i18n import LANGUAGES, N_, language, set_language


class Matcher(Group):
    """The ``matcher`` group: one language per run, and the caller's language back after it.

    Its commands are imported when they are asked for (``COMMANDS``). The run's language is also
    put in ``MATCHER_LANG`` for the length of the run, so that worker processes (``matcher
    scenario --jobs``) write in it too.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, function = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), function), name)
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):
        before = os.environ.get("MATCHER_LANG")
        try:
            return contextvars.copy_context().run(super().main, *args, **kwargs)
        finally:
            if before is None:
                os.environ.pop("MATCHER_LANG", None)
            else:
                os.environ["MATCHER_LANG"] = before


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is not None:
        set_language(value)
        os.environ["MATCHER_LANG"] = value
    return language()


@click.group(cls=Matcher, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Bovenregionale capacity matching for specialist youth care."))
@option("--lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
        callback=_set_language, help=N_("language of every text of the run (default: MATCHER_LANG, else nl)"))
@click.version_option(__version__, prog_name="matcher", cls=Option)
def main() -> None:
    pass


# --- commands from their own modules, each imported only when it runs -------------------
#: command name -> "module:function"; a run imports the one command it needs (``matcher solve``
#: does not load the scenario, simulation or map code), the help page imports them all.
COMMANDS = {
    "validate": "matcher.commands.validate:validate",
    "map": "matcher.commands.map:map_command",
    "make-maps": "matcher.commands.map:make_maps_command",
    "solve": "matcher.commands.solve:solve_command",
    "regions": "matcher.commands.regions:regions",
    "generate": "matcher.commands.generate:generate_command",
    "scenario": "matcher.commands.scenario:scenario_command",
    "explain": "matcher.commands.explain:explain_command",
    "simulate": "matcher.commands.simulate:simulate_command",
    "template": "matcher.commands.template:template_command",
    "propose": "matcher.commands.propose:propose_command",
}


if __name__ == "__main__":
    main()
