"""The first schema: register, locations, units, youths, conflicts, events, weeks.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "register",
        sa.Column("register_id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("regions", sa.Text),
        sa.Column("week", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "locations",
        sa.Column("location_id", ID, primary_key=True),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("unit_id", ID, primary_key=True),
        sa.Column("location_id", ID, sa.ForeignKey("locations.location_id"), nullable=False),
        sa.Column("care_type", sa.String(20), nullable=False),
        sa.Column("setting", sa.String(20), nullable=False),
        sa.Column("age_min", sa.Integer, nullable=False),
        sa.Column("age_max", sa.Integer, nullable=False),
        sa.Column("gender", sa.String(10), nullable=False),
        sa.Column("max_age_spread", sa.Integer),
        sa.Column("cost_per_day", sa.Float),
    )
    op.create_table(
        "youths",
        sa.Column("youth_id", ID, primary_key=True),
        sa.Column("home_gemeente", sa.String(6), nullable=False),
        sa.Column("home_lat", sa.Float, nullable=False),
        sa.Column("home_lon", sa.Float, nullable=False),
        sa.Column("care_type", sa.String(20), nullable=False),
        sa.Column("alt_care_types", sa.Text, nullable=False),
        sa.Column("min_setting", sa.String(20), nullable=False),
        sa.Column("machtiging", sa.Boolean, nullable=False),
        sa.Column("age", sa.Integer, nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("urgency", sa.Integer, nullable=False),
        sa.Column("max_km", sa.Float),
        sa.Column("sibling_group", ID),
        sa.Column("excluded_locations", sa.Text, nullable=False),
    )
    op.create_table(
        "conflicts",
        sa.Column("youth_a", ID, sa.ForeignKey("youths.youth_id"), primary_key=True),
        sa.Column("youth_b", ID, sa.ForeignKey("youths.youth_id"), primary_key=True),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("week", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("youth_id", ID),
        sa.Column("unit_id", ID),
        sa.Column("location_id", ID),
        sa.Column("round", sa.Integer),
        sa.Column("capacity", sa.Integer),
        sa.Column("waiting_weeks", sa.Integer),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_events_youth", "events", ["youth_id"])
    op.create_table(
        "weeks",
        sa.Column("week", sa.Integer, primary_key=True),
        sa.Column("closed_at", sa.String(32), nullable=False),
        sa.Column("closed_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("weeks", "events", "conflicts", "youths", "units", "locations", "register"):
        op.drop_table(table)
