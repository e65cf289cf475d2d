"""Imported change files by digest (nothing counted twice), and the monitor's index on events.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("week", sa.Integer, nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_events_week_kind", "events", ["week", "kind"])


def downgrade() -> None:
    op.drop_index("ix_events_week_kind", "events")
    op.drop_table("imports")
