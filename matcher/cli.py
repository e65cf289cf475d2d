"""Command line: a thin click layer over the library (everything here is callable from Python).

``--lang nl|en`` (default: ``MATCHER_LANG``, else Dutch) sets the language of the whole run:
messages, help pages and the files written. Help texts are translated when they are shown
(``matcher.commands.translated``).
"""

from __future__ import annotations

import importlib

import click

from matcher import __version__
from matcher.commands.translated import LANG_OPTION, Group, Option, option
from matcher.i18n import N_


class Matcher(Group):
    """The ``matcher`` group: one language per run (``Group`` keeps it to the run).

    Its commands are imported when they are asked for (``COMMANDS``).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, function = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), function), name)
        return super().get_command(ctx, name)


@click.group(cls=Matcher, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Bovenregionale capacity matching for specialist youth care."))
@option("--lang", **LANG_OPTION)
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
    "register": "matcher.commands.register:register_group",
    "monitor": "matcher.commands.monitor:monitor_command",
    "propose": "matcher.commands.propose:propose_command",
}


if __name__ == "__main__":
    main()
