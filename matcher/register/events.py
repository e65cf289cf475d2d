"""The register's events: what can happen to a youth or a unit, appended, never changed.

The current state (``matcher.register.state``) is the fold of these events in the order they
were recorded; the monitor reads the same log.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from matcher.i18n import N_
from matcher.register.schema import events

#: A youth asks for a place (``waiting_weeks``: the weeks already waited when the request came in).
REQUEST_RECEIVED = "request_received"
#: A youth was on the waiting list when the register began (``waiting_weeks``: the weeks waited then).
WAITING_AT_START = "waiting_at_start"
#: A youth was in a unit when the register began.
RESIDENT_AT_START = "resident_at_start"
PROPOSED = "proposed"
ACCEPTED = "accepted"
DECLINED = "declined"
#: An accepted proposal became a residence when the week was closed.
PLACED = "placed"
DEPARTED = "departed"
#: A waiting youth left the list without a place (``reason`` says why).
LEFT_LIST = "left_list"
CAPACITY_CHANGED = "capacity_changed"
UNIT_OPENED = "unit_opened"
UNIT_CLOSED = "unit_closed"

#: The kinds that put a youth on the waiting list.
ON_THE_LIST = (REQUEST_RECEIVED, WAITING_AT_START)
#: Every kind, with the words a report uses for it.
KINDS = {
    REQUEST_RECEIVED: N_("request received"), WAITING_AT_START: N_("waiting at start"),
    RESIDENT_AT_START: N_("resident at start"),
    PROPOSED: N_("proposed"), ACCEPTED: N_("accepted"), DECLINED: N_("declined"), PLACED: N_("placed"),
    DEPARTED: N_("departed"), LEFT_LIST: N_("left the list"), CAPACITY_CHANGED: N_("capacity changed"),
    UNIT_OPENED: N_("unit opened"), UNIT_CLOSED: N_("unit closed"),
}

_FIELDS = ("youth_id", "unit_id", "location_id", "round", "capacity", "waiting_weeks", "reason")


def current_user() -> str:
    """The (pseudonymous) team member recorded with each event: ``MATCHER_USER``, else the login."""
    user = os.environ.get("MATCHER_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now() -> str:
    """The time an event is recorded, UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Log:
    """Events of one command, all with the same week, time and user, written in one insert."""

    def __init__(self, week: int, user: str | None = None):
        self.week = week
        self.user = user or current_user()
        self.at = now()
        self.rows: list[dict[str, Any]] = []

    def add(self, kind: str, **fields: Any) -> None:
        assert kind in KINDS, kind
        row = {"week": self.week, "recorded_at": self.at, "user_id": self.user, "kind": kind}
        row.update({name: fields.get(name) for name in _FIELDS})
        self.rows.append(row)

    def write(self, connection: Connection) -> int:
        """Append the events; returns how many."""
        if self.rows:
            connection.execute(insert(events), self.rows)
        return len(self.rows)
