"""``matcher register ...``: the week at the matching desk (``matcher.register``), one command a step.

DB is a SQLite file or a ``postgresql://`` URL. Every command is one transaction: it completes or
changes nothing; a refusal or bad input ends with exit code 2 and says why.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from matcher.commands.translated import Group, option
from matcher.errors import InputError, InternalError
from matcher.exitcodes import EXIT_INTERNAL, EXIT_INVALID
from matcher.i18n import N_, _, number
from matcher.wording import count

DB = click.argument("db")


@contextmanager
def _told():
    """Bad input, a refusal or an internal error as the team reads it: a message and an exit code."""
    from matcher.register.database import RegisterError

    try:
        yield
    except InputError as err:
        click.echo(str(err), err=True)
        click.echo(_("NOTHING CHANGED: the register is as it was"), err=True)
        raise SystemExit(EXIT_INVALID)
    except RegisterError as err:
        click.echo(_("REFUSED: {reason}").format(reason=err), err=True)
        raise SystemExit(EXIT_INVALID)
    except InternalError as err:
        click.echo(_("INTERNAL ERROR (please report): {error}").format(error=err), err=True)
        raise SystemExit(EXIT_INTERNAL)


@click.group("register", cls=Group, help=N_("The register of the waiting list, proposals, decisions and "
                                            "placements, week by week (DB: a SQLite file or a postgresql:// URL)."))
def register_group() -> None:
    pass


@register_group.command("init", help=N_("Make a new register DB holding the instance INSTANCE (a folder or "
                                        "workbook) as today's state."))
@DB
@option("--from", "source", required=True, metavar="INSTANCE", type=click.Path(path_type=Path),
        help=N_("the starting instance"))
@option("--week", type=click.IntRange(min=1), default=1, show_default=True, help=N_("number of the open week"))
def init_command(db: str, source: Path, week: int) -> None:
    from matcher.register.week import init_register

    with _told():
        events = init_register(db, source, week=week)
    click.echo(_("register made: {events}, open week {week}").format(events=count(events, "event", "events"), week=week))


@register_group.command("upgrade", help=N_("Bring the register's schema to this version of matcher (run it as "
                                           "the register's owner)."))
@DB
def upgrade_command(db: str) -> None:
    from matcher.register.database import known_revisions, schema_revision, transaction, upgrade

    with _told(), transaction(db, check=False) as connection:
        before = schema_revision(connection)
        upgrade(connection)
    click.echo(_("schema {before} -> {after}").format(before=before, after=known_revisions()[-1]))


@register_group.command("grant", help=N_("Give a reader role (monitor, export) and a writer role (the week's "
                                         "commands) their rights on a PostgreSQL register (run as its owner)."))
@DB
@option("--reader", default=None, help=N_("role that may only read"))
@option("--writer", default=None, help=N_("role that may add rows but not change the schema or the event log"))
def grant_command(db: str, reader: str | None, writer: str | None) -> None:
    from matcher.register.roles import grant

    with _told():
        statements = grant(db, reader, writer)
    click.echo("\n".join(statements))


@register_group.command("import", help=N_("Record this week's changes from the folder CHANGES (new requests, "
                                          "departures, withdrawals, capacity, new units)."))
@DB
@click.argument("changes", type=click.Path(path_type=Path))
def import_command(db: str, changes: Path) -> None:
    from matcher.register.changes import import_changes

    with _told():
        done = import_changes(db, changes)
    click.echo(_("imported: {requests} new requests, {departures} departures, {withdrawals} withdrawals, "
                 "{capacity} capacity changes, {units} new units").format(**{k: number(v) for k, v in done.items()}))


@register_group.command("propose", help=N_("Solve the register's current state as 'matcher solve' does, write "
                                           "the solution folder OUT and record the proposals."))
@DB
@option("--out", type=click.Path(path_type=Path), required=True, help=N_("solution folder"))
@option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help=N_("seconds"))
@option("--threads", type=click.IntRange(min=1), default=2, show_default=True, help=N_("solver threads"))
@option("--seed", type=int, default=0, show_default=True, help=N_("random seed (same input and seed, same answer)"))
@option("--no-map", is_flag=True, help=N_("skip map.html"))
def propose_command(db: str, out: Path, time_limit: float, threads: int, seed: int, no_map: bool) -> None:
    from matcher.pipeline import RunOptions
    from matcher.register.week import PROPOSALS_FILE, propose

    options = RunOptions(time_limit=time_limit, threads=threads, seed=seed, with_map=not no_map)
    with _told():
        done = propose(db, out, options)
    summary = done.outcome.summary
    click.echo(_("week {week}, round {round}: {status}, {proposals} proposed, {unplaced} still waiting -> {file}")
               .format(week=done.week, round=done.round, status=summary["status"], proposals=number(done.proposals),
                       unplaced=number(summary["unplaced"]), file=out / PROPOSALS_FILE))


@register_group.command("decide", help=N_("Record the providers' decisions in DECISIONS (proposals.csv with "
                                          "decision and reason filled in)."))
@DB
@click.argument("decisions", type=click.Path(path_type=Path))
def decide_command(db: str, decisions: Path) -> None:
    from matcher.register.decisions import decide

    with _told():
        done = decide(db, decisions)
    click.echo(_("decided: {accepted} accepted, {declined} declined").format(
        accepted=number(done["accepted"]), declined=number(done["declined"])))


@register_group.command("close-week", help=N_("End the open week: accepted proposals become residents, "
                                              "everyone still waiting waits a week more."))
@DB
@option("--week", type=int, default=None, help=N_("the week to end (default: the open week); refused when "
                                                  "it is not open any more"))
def close_week_command(db: str, week: int | None) -> None:
    from matcher.register.week import close_week

    with _told():
        done = close_week(db, week)
    click.echo(_("week {week} closed: {placed} placed, {waiting} still waiting; week {next} is open").format(
        week=done.week, placed=number(done.placed), waiting=number(done.still_waiting), next=done.week + 1))


@register_group.command("export", help=N_("Write the register's current state as an ordinary instance folder."))
@DB
@option("--out", type=click.Path(path_type=Path), required=True, help=N_("instance folder"))
def export_command(db: str, out: Path) -> None:
    from matcher.register.week import export_register

    with _told():
        instance = export_register(db, out)
    click.echo(_("{youths} and {units} written to {out}").format(
        youths=count(len(instance.youths), "youth", "youths"), units=count(len(instance.units), "unit", "units"), out=out))


@register_group.command("status", help=N_("Where the register stands: the open week, the waiting list per care "
                                          "type, residents and places, and this week's proposals."))
@DB
def status_command(db: str) -> None:
    from matcher.domain import care_type_name
    from matcher.register.week import standing

    with _told():
        now = standing(db)
    click.echo(_("register '{name}', open week {week}: {residents} residents in {places} places").format(
        name=now.name, week=now.week, residents=number(now.residents), places=number(now.places)))
    for care_type, n in now.waiting.items():
        click.echo("  " + _("waiting for {care_type}: {n}").format(care_type=care_type_name(care_type), n=number(n)))
    click.echo(_("proposals this week: {undecided} without a decision, {accepted} accepted, {declined} declined")
               .format(**{k: number(v) for k, v in now.proposals.items()}))


@register_group.command("template", help=N_("Write an empty folder of change files with a README that explains them."))
@click.argument("folder", type=click.Path(path_type=Path))
def template_command(folder: Path) -> None:
    from matcher.register.template import write_change_template

    write_change_template(folder)
    click.echo(_("change files written to {folder}").format(folder=folder))

