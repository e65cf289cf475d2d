"""Least rights on a shared PostgreSQL register (issue 27): the reader only reads, the writer adds
rows but changes neither the schema nor the event log, and no password is ever shown."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from register_helpers import cli, make_register

MATCHER_LANG = "en"


@pytest.fixture
def shared(postgres_cluster, tmp_path):
    """A register on the throwaway PostgreSQL cluster, with its reader and writer roles granted."""
    return make_register("postgresql", tmp_path, postgres_cluster)


def _refused(url: str, statement: str) -> str:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with pytest.raises(ProgrammingError) as err, engine.begin() as connection:
            connection.execute(text(statement))
        return str(err.value.orig)
    finally:
        engine.dispose()


def test_the_reader_reads_but_cannot_write(shared, tmp_path):
    """monitor and export work as the reader; an insert, and a week's command, are refused."""
    assert cli("monitor", shared.reader, "--out", str(tmp_path / "m")).exit_code == 0
    assert cli("register", "export", shared.reader, "--out", str(tmp_path / "e")).exit_code == 0
    assert "permission denied" in _refused(shared.reader, "INSERT INTO weeks VALUES (9, 'x', 'y')")
    done = cli("register", "close-week", shared.reader)
    assert done.exit_code == 2 and "permission denied" in done.output


@pytest.mark.parametrize("statement", ["DROP TABLE events", "UPDATE events SET week = 9", "DELETE FROM events",
                                       "ALTER TABLE youths ADD COLUMN name text", "CREATE TABLE names (name text)"])
def test_the_writer_cannot_change_the_schema_or_the_log(shared, statement):
    """The writer cannot drop or alter a table, create one, or change or delete an event."""
    message = _refused(shared.writer, statement)
    assert "permission denied" in message or "must be owner" in message


def test_no_password_is_ever_shown(shared, postgres_cluster, tmp_path):
    """A wrong password, a missing database: the message names the server without the password;
    the files a week writes hold no connection string."""
    for url in (shared.writer.replace(postgres_cluster.passwords["register_writer"], "wrong-secret-pw"),
                shared.writer.rsplit("/", 1)[0] + "/no_such_register"):
        done = cli("register", "export", url, "--out", str(tmp_path / "x"))
        assert done.exit_code == 2 and "***" in done.output
        assert "wrong-secret-pw" not in done.output and postgres_cluster.passwords["register_writer"] not in done.output
    cli("register", "propose", shared.writer, "--out", str(tmp_path / "r1"), "--time-limit", "10")
    cli("monitor", shared.reader, "--out", str(tmp_path / "m"))
    for path in [*(tmp_path / "r1").iterdir(), *(tmp_path / "m").iterdir()]:
        if path.suffix in (".csv", ".json", ".md", ".html"):
            content = path.read_text(encoding="utf-8")
            assert "postgresql" not in content and postgres_cluster.passwords["register_writer"] not in content
