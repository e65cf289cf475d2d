"""Command line: a thin click layer over the library (everything here is callable from Python)."""

from __future__ import annotations

import click

from matcher import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="matcher")
def main() -> None:
    """Bovenregionale capacity matching for specialist youth care."""


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
from matcher.commands.simulate import simulate_command; main.add_command(simulate_command)  # noqa: E402,E702
