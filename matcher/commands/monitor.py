"""``matcher monitor DB --out DIR``: the waiting-time monitor of a register (read only)."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.commands.register import DB, _told
from matcher.commands.translated import command, option
from matcher.i18n import LANGUAGES, N_, _, use_language


@command("monitor", help=N_("The waiting-time monitor of the register DB: waiting list, waiting time, "
                            "placements, occupancy and declines over the weeks, with charts and a report."))
@DB
@option("--out", type=click.Path(path_type=Path), required=True, help=N_("monitor folder"))
@option("--public", is_flag=True, help=N_("the public variant: no count below 5, no individual"))
@option("--fit-sim", type=click.Path(path_type=Path), default=None,
        help=N_("also write the simulation's parameters estimated from the register (SIM.toml)"))
@option("--lang", type=click.Choice(LANGUAGES), help=N_("language of the report"))
def monitor_command(db: str, out: Path, public: bool, fit_sim: Path | None, lang: str | None) -> None:
    from matcher.register.monitor import monitor_of
    from matcher.register.monitor_report import write_monitor

    with use_language(lang), _told():
        monitor = monitor_of(db, public=public)
        write_monitor(monitor, out)
        if fit_sim is not None:
            from matcher.register.fit import write_sim_toml

            write_sim_toml(db, fit_sim)
        click.echo(_("monitor of weeks {first} to {last} written to {out}").format(
            first=monitor.weeks[0], last=monitor.weeks[1], out=out))
