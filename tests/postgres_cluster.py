"""A throwaway PostgreSQL cluster on 127.0.0.1 for the register's tests, as pytest-postgresql's
process fixture makes one: ``initdb`` into a fresh folder, ``pg_ctl start`` on a free port, and
``pg_ctl stop`` and the folder removed afterwards. Debian's binaries (package ``postgresql``) are
looked for under /usr/lib/postgresql/*/bin and on PATH. initdb and postgres refuse to run as root,
so under root (CI) they run as the ``postgres`` user (else ``nobody``) with ``runuser``.

Without the binaries the tests skip and say how to get them; with ``CI`` set they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

HOW_TO_GET = "install Debian's PostgreSQL server binaries: apt-get install postgresql (the tests start their own cluster)"
#: The roles of a shared register (docs/register.md): owner (migrations), writer (the week), reader.
ROLES = ("register_owner", "register_writer", "register_reader")


def server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, the newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> tuple[list[str], str | None]:
    """The command prefix that runs the server binaries, and the user it runs them as."""
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"], user
        except KeyError:
            continue
    pytest.fail("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as")


@dataclass
class Cluster:
    """A running cluster: ``url(role, database)`` gives a connection string with the role's password."""

    port: int
    passwords: dict[str, str]
    psql: Path

    def url(self, role: str, database: str = "postgres") -> str:
        return f"postgresql://{role}:{self.passwords[role]}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run ``statement`` as the cluster's superuser; its output."""
        env = {**os.environ, "PGPASSWORD": self.passwords["admin"]}
        done = subprocess.run([str(self.psql), "-h", "127.0.0.1", "-p", str(self.port), "-U", "admin", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-qAtc", statement], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def new_database(self, name: str) -> str:
        """A new database owned by the register's owner role; its name."""
        self.sql(f'CREATE DATABASE "{name}" OWNER register_owner')
        self.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC", database=name)
        return name


def start_cluster():
    """Start a cluster (a generator: yields the ``Cluster``, then stops and removes it)."""
    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL server binaries not found, and CI must run these tests: {HOW_TO_GET}")
        pytest.skip(f"PostgreSQL server binaries not found: {HOW_TO_GET}")
    prefix, user = _as_server_user()
    home = Path(tempfile.mkdtemp(prefix="matcher-pg-"))
    passwords = {"admin": secrets.token_hex(8), **{r: secrets.token_hex(8) for r in ROLES}}
    (home / "pw").write_text(passwords["admin"])
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chmod(home, 0o700)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        os.chown(home / "pw", entry.pw_uid, entry.pw_gid)
    data, port = home / "data", _free_port()
    run = lambda *args: subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(binaries / "initdb", "-D", data, "-U", "admin", "--pwfile", home / "pw", "--auth", "scram-sha-256",
            "-E", "UTF8", "--locale", "C")
        run(binaries / "pg_ctl", "-D", data, "-l", home / "log", "-w", "-o",
            f"-h 127.0.0.1 -p {port} -k {home} -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start")
        cluster = Cluster(port, passwords, binaries / "psql")
        for role in ROLES:
            cluster.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{passwords[role]}'")
        yield cluster
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL cluster for the whole session (see the module's docstring)."""
    yield from start_cluster()
