"""The register's tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Rows of locations, units and youths are written once (what a request or a new unit says) and
never changed; everything that happens to them is an event in ``events``. Only ``register`` (one
row: the open week and a version number every writing command raises) is ever updated: it is the
lock two team members meet when they change the register at the same moment. Pseudonymous ids
only: there is no column for a name, a BSN or an address.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = String(64)

register = Table(
    "register", metadata,
    Column("register_id", Integer, primary_key=True),  # always 1
    Column("name", Text, nullable=False),
    Column("settings", Text, nullable=False),  # instance.toml of the register's instances, as JSON
    Column("regions", Text),  # the instance's own region map as JSON; NULL = the shipped map
    Column("week", Integer, nullable=False),  # the open week
    Column("version", Integer, nullable=False),  # raised by every writing command (optimistic lock)
    Column("created_at", String(32), nullable=False),
)

locations = Table(
    "locations", metadata,
    Column("location_id", ID, primary_key=True),
    Column("provider", Text, nullable=False),
    Column("name", Text),
    Column("gemeente", String(6), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
)

units = Table(
    "units", metadata,
    Column("unit_id", ID, primary_key=True),
    Column("location_id", ID, ForeignKey("locations.location_id"), nullable=False),
    Column("care_type", String(20), nullable=False),
    Column("setting", String(20), nullable=False),
    Column("age_min", Integer, nullable=False),
    Column("age_max", Integer, nullable=False),
    Column("gender", String(10), nullable=False),
    Column("max_age_spread", Integer),
    Column("cost_per_day", Float),
)

youths = Table(
    "youths", metadata,
    Column("youth_id", ID, primary_key=True),
    Column("home_gemeente", String(6), nullable=False),
    Column("home_lat", Float, nullable=False),
    Column("home_lon", Float, nullable=False),
    Column("care_type", String(20), nullable=False),
    Column("alt_care_types", Text, nullable=False),  # ';'-list
    Column("min_setting", String(20), nullable=False),
    Column("machtiging", Boolean, nullable=False),
    Column("age", Integer, nullable=False),
    Column("gender", String(1), nullable=False),
    Column("urgency", Integer, nullable=False),
    Column("max_km", Float),
    Column("sibling_group", ID),
    Column("excluded_locations", Text, nullable=False),  # ';'-list, as requested
)

conflicts = Table(
    "conflicts", metadata,
    Column("youth_a", ID, ForeignKey("youths.youth_id"), primary_key=True),
    Column("youth_b", ID, ForeignKey("youths.youth_id"), primary_key=True),
)

#: The append-only log. ``kind`` is one of ``matcher.register.events.KINDS``.
events = Table(
    "events", metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("week", Integer, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("youth_id", ID),
    Column("unit_id", ID),
    Column("location_id", ID),
    Column("round", Integer),
    Column("capacity", Integer),
    Column("waiting_weeks", Integer),
    Column("reason", Text),
)
Index("ix_events_youth", events.c.youth_id)

#: Closed weeks: a week is closed once (its primary key is the second guard against a double close).
weeks = Table(
    "weeks", metadata,
    Column("week", Integer, primary_key=True),
    Column("closed_at", String(32), nullable=False),
    Column("closed_by", String(64), nullable=False),
)

#: Imported change files by their content digest: the same file is never counted twice
#: (added by the second migration).
imports = Table(
    "imports", metadata,
    Column("digest", String(64), primary_key=True),
    Column("week", Integer, nullable=False),
    Column("files", Text, nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),
)
Index("ix_events_week_kind", events.c.week, events.c.kind)
