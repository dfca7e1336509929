"""When each provider feed was last read, with its validators and refresh interval.

Revision ID: 05edce5ed859
Revises: b542534cf248
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

revision = "05edce5ed859"
down_revision = "b542534cf248"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed_checks",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("etag", sa.String(length=200), nullable=False),
        sa.Column("last_modified", sa.String(length=100), nullable=False),
        sa.Column("refresh_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_calendar_feed_checks_provider_id_providers"),
        ),
        sa.PrimaryKeyConstraint("provider_id", name=op.f("pk_calendar_feed_checks")),
    )


def downgrade():
    op.drop_table("calendar_feed_checks")
