"""Opening a register: SQLite (a file, the default) or PostgreSQL (a URL), at the schema this
version of matcher knows.

Every writing command runs in one transaction that first takes the register's lock: on SQLite
the transaction begins with ``BEGIN IMMEDIATE`` (the pysqlite recipe of the SQLAlchemy docs, so
two writers never both read the old state), on PostgreSQL the ``register`` row is read ``FOR
UPDATE``. Inside it the open week and the version are checked against what the command saw
(an optimistic lock), so of two team members doing the same thing at once one succeeds and the
other is told. A URL is only ever shown without its password.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from matcher.i18n import _
from matcher.register.schema import register

#: The execution option that says whether a transaction writes (SQLite: BEGIN IMMEDIATE) or only reads.
WRITE = "matcher_register_write"
#: Seconds a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_SECONDS = 30


class RegisterError(Exception):
    """The register refuses the command (it changed nothing); the message says why, for the team."""


def url_of(db: str | Path) -> URL:
    """A SQLAlchemy URL for ``db``: a URL as given, anything else is a SQLite file."""
    text = str(db)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError:
            raise RegisterError(_("'{db}' is not a database URL").format(db=text.split("@")[-1])) from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite", database=str(Path(text)))


def shown(url: URL) -> str:
    """The URL as a message, a report or a log line may show it: never with its password."""
    return url.render_as_string(hide_password=True)


def _immediate_sqlite(engine: Engine) -> None:
    """pysqlite's own transaction handling is switched off and every transaction begins with
    BEGIN IMMEDIATE, which takes the write lock at once (SQLAlchemy docs, "Serializable isolation /
    Savepoints / Transactional DDL" for pysqlite)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE, True) else "BEGIN")


def engine_for(db: str | Path) -> Engine:
    """An engine on the register ``db`` (nothing is created or checked yet)."""
    url = url_of(db)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        _immediate_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("matcher.register") / "migrations"))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> list[str]:
    """The schema revisions this version knows, first to last."""
    script = ScriptDirectory.from_config(_alembic_config(None))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the register's owner does this, see docs/register.md)."""
    command.upgrade(_alembic_config(connection), revision)


def schema_revision(connection: Connection) -> str | None:
    """The register's schema revision, None for a database that holds no register."""
    return MigrationContext.configure(connection).get_current_revision()


def check_schema(connection: Connection) -> None:
    """Refuse a database that is no register, a register written by a newer matcher, and one
    that needs ``matcher register upgrade`` first."""
    revision = schema_revision(connection)
    known = known_revisions()
    if revision is None:
        raise RegisterError(_("this database holds no register (make one with 'matcher register init')"))
    if revision not in known:
        raise RegisterError(_("this register was written by a newer version of matcher (schema {revision}; this "
                              "version knows up to {newest}): update matcher to use it").format(
            revision=revision, newest=known[-1]))
    if revision != known[-1]:
        raise RegisterError(_("this register has schema {revision}; run 'matcher register upgrade' (as the "
                              "register's owner) to bring it to {newest}").format(revision=revision, newest=known[-1]))


@dataclass(frozen=True)
class Open:
    """What a command saw when it started: the open week and the register's version."""

    week: int
    version: int


def seen(connection: Connection, lock: bool = True) -> Open:
    """The register's open week and version, read (and with ``lock``, on PostgreSQL, locked until
    the transaction ends: SQLite's BEGIN IMMEDIATE has locked it already)."""
    query = select(register.c.week, register.c.version)
    row = connection.execute(query.with_for_update() if lock else query).one()
    return Open(row.week, row.version)


def bump(connection: Connection, before: Open, week: int | None = None) -> None:
    """Raise the version (and move the open week) if nobody changed the register since ``before``."""
    values = {"version": before.version + 1, **({} if week is None else {"week": week})}
    done = connection.execute(update(register).where(register.c.version == before.version).values(**values))
    if done.rowcount != 1:
        raise RegisterError(_("somebody else changed the register at the same time; nothing was changed, "
                              "look at the register again and repeat the command"))


def _database_error(err: Exception, url: URL) -> RegisterError:
    """A database failure as the team reads it: what went wrong, where, never the password."""
    detail = str(getattr(err, "orig", err)).strip().splitlines()[0] if str(getattr(err, "orig", err)).strip() else ""
    if url.password:
        detail = detail.replace(url.password, "***")
    return RegisterError(_("the register {db} could not be used: {detail}").format(db=shown(url), detail=detail))


@contextmanager
def transaction(db: str | Path, check: bool = True, write: bool = True) -> Iterator[Connection]:
    """One transaction on the register ``db``: it commits when the block ends, and changes nothing
    when anything in it fails (or the process dies). ``write=False`` only reads: it takes no
    lock, and a read-only role may run it."""
    url = url_of(db)
    if url.get_backend_name() == "sqlite" and check and not Path(url.database).is_file():
        raise RegisterError(_("there is no register at {db}").format(db=url.database))
    engine = engine_for(db)
    try:
        with engine.connect().execution_options(**{WRITE: write}) as connection, connection.begin():
            if check:
                check_schema(connection)
            yield connection
    except (OperationalError, DBAPIError) as err:
        raise _database_error(err, url) from None
    finally:
        engine.dispose()


def pause_for_tests(where: str) -> None:
    """Wait here when ``MATCHER_REGISTER_PAUSE`` is ``where`` or ``where:seconds`` (the window in
    which the tests kill a command, or start a second one), until the seconds (default 600) have
    passed or the file named by ``MATCHER_REGISTER_RELEASE`` exists."""
    point, _sep, seconds = os.environ.get("MATCHER_REGISTER_PAUSE", "").partition(":")
    if point == where:
        import sys
        import time

        print(f"paused at {where}", file=sys.stderr, flush=True)
        release = os.environ.get("MATCHER_REGISTER_RELEASE")
        deadline = time.monotonic() + float(seconds or 600)
        while time.monotonic() < deadline and not (release and os.path.exists(release)):
            time.sleep(0.05)
