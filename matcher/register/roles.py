"""Least rights on a shared (PostgreSQL) register.

Three roles: the **owner** made the tables and runs migrations (``init``, ``upgrade``, ``grant``);
the **writer** runs the week's commands: it may read every table and add rows, and update only
the one ``register`` row (the open week and version); it can neither change nor delete an event,
nor change the schema; the **reader** runs ``monitor`` and ``export``: it may only read.
docs/register.md lists the statements.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from matcher.i18n import _
from matcher.register.database import RegisterError, transaction, url_of
from matcher.register.schema import metadata

VERSION_TABLE = "alembic_version"
#: Tables the writer may add rows to (everything but the register row and the schema version).
APPEND_ONLY = tuple(sorted(t for t in metadata.tables if t != "register"))


def grant_statements(connection: Connection, reader: str | None, writer: str | None) -> list[str]:
    """The GRANT statements for the reader and writer roles, role names quoted."""
    quote = connection.dialect.identifier_preparer.quote
    every = ", ".join(quote(t) for t in (*sorted(metadata.tables), VERSION_TABLE))
    statements = []
    if writer:
        w = quote(writer)
        statements += [f"GRANT SELECT, INSERT ON {', '.join(quote(t) for t in APPEND_ONLY)} TO {w}",
                       f"GRANT SELECT, UPDATE ON {quote('register')} TO {w}",
                       f"GRANT SELECT ON {quote(VERSION_TABLE)} TO {w}",
                       f"GRANT USAGE ON SEQUENCE {quote('events_event_id_seq')} TO {w}"]
    if reader:
        statements.append(f"GRANT SELECT ON {every} TO {quote(reader)}")
    return statements


def grant(db: str | Path, reader: str | None, writer: str | None) -> list[str]:
    """Give the reader and writer roles their rights on the register ``db`` (run as its owner)."""
    if url_of(db).get_backend_name() != "postgresql":
        raise RegisterError(_("roles exist only on a PostgreSQL register; a SQLite register is one file whose "
                              "rights are those of the file"))
    with transaction(db) as connection:
        statements = grant_statements(connection, reader, writer)
        for statement in statements:
            connection.execute(text(statement))
    return statements
