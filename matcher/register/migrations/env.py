"""Alembic's entry point for the register's migrations: always on the connection it is handed
(``matcher.register.database.upgrade``), never from an alembic.ini or a URL."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
