"""Command line: a thin click layer over the library (everything here is callable from Python).

``--lang nl|en`` (default: ``MATCHER_LANG``, else Dutch) sets the language of the whole run:
messages, help pages and the files written. Help texts are translated when they are shown
(``matcher.commands.translated``).
"""

from __future__ import annotations

import contextvars
import os

import click

from matcher import __version__
from matcher.commands.translated import Group, Option, option
from matcher.i18n import LANGUAGES, N_, language, set_language


class Matcher(Group):
    """The ``matcher`` group: one language per run, and the caller's language back after it.

    The run's language is also put in ``MATCHER_LANG`` for the length of the run, so that worker
    processes (``matcher scenario --jobs``) write in it too.
    """

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


# --- commands from their own modules (one line each) -------------------------------------
# (registered below)
from matcher.commands.validate import validate  # noqa: E402
main.add_command(validate)
from matcher.commands.map import make_maps_command, map_command  # noqa: E402
main.add_command(map_command)
main.add_command(make_maps_command)
from matcher.commands.solve import solve_command  # noqa: E402
main.add_command(solve_command)
from matcher.commands.regions import regions  # noqa: E402
main.add_command(regions)
from matcher.commands.generate import generate_command  # noqa: E402
main.add_command(generate_command)
from matcher.commands.scenario import scenario_command  # noqa: E402
main.add_command(scenario_command)
from matcher.commands.explain import explain_command; main.add_command(explain_command)  # noqa: E402, E702


if __name__ == "__main__":
    main()
