"""Helpers for the register's tests: a register on SQLite or on the throwaway PostgreSQL cluster,
the CLI in-process and as a separate process, and decisions filled in as a provider would."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from matcher.cli import main
from matcher.register.database import transaction
from matcher.register.schema import events, register

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "instances" / "voorbeeld"


@dataclass
class Register:
    """One register and the connection strings of its three roles (the same file on SQLite)."""

    owner: str
    writer: str
    reader: str
    kind: str


def make_register(kind: str, tmp_path: Path, cluster=None) -> Register:
    """A register holding the voorbeeld instance, owner-made and (on PostgreSQL) granted."""
    if kind == "sqlite":
        path = str(tmp_path / "register.sqlite")
        reg = Register(path, path, path, kind)
    else:
        name = cluster.new_database(f"r_{uuid.uuid4().hex[:10]}")
        reg = Register(cluster.url("register_owner", name), cluster.url("register_writer", name),
                       cluster.url("register_reader", name), kind)
    assert cli("register", "init", reg.owner, "--from", str(VOORBEELD)).exit_code == 0
    if kind == "postgresql":
        done = cli("register", "grant", reg.owner, "--reader", "register_reader", "--writer", "register_writer")
        assert done.exit_code == 0, done.output
    return reg


def cli(*args: str):
    """``matcher --lang en ARGS`` in this process."""
    return CliRunner().invoke(main, ["--lang", "en", *args], catch_exceptions=False)


def cli_process(*args: str, pause: str | None = None, release: Path | None = None) -> subprocess.Popen:
    """``matcher --lang en ARGS`` as its own process (``pause``: MATCHER_REGISTER_PAUSE; it goes on
    when the file ``release`` exists)."""
    env = {**os.environ, "MATCHER_LANG": "en"}
    if pause:
        env["MATCHER_REGISTER_PAUSE"] = pause
    if release:
        env["MATCHER_REGISTER_RELEASE"] = str(release)
    return subprocess.Popen([sys.executable, "-m", "matcher.cli", "--lang", "en", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fingerprint(db: str) -> tuple:
    """What a command that changed nothing leaves alone: the number of events, the week, the version."""
    with transaction(db, write=False) as connection:
        n = connection.execute(select(func.count()).select_from(events)).scalar_one()
        info = connection.execute(select(register.c.week, register.c.version)).one()
    return n, info.week, info.version


def decisions(proposals: Path, out: Path, declined: dict[str, str]) -> Path:
    """proposals.csv filled in: the youths in ``declined`` declined (with the reason), the rest accepted."""
    with proposals.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["decision"] = "declined" if row["youth_id"] in declined else "accepted"
        row["reason"] = declined.get(row["youth_id"], "")
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["youth_id", "decision", "reason"])
        writer.writeheader()
        writer.writerows(rows)
    return out


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))
