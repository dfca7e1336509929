"""Bookings hold their number in the session's waiting list.

Revision ID: 4c1e9a7d2b30
Revises: 03d4d2b5dc6d
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

revision = "4c1e9a7d2b30"
down_revision = "03d4d2b5dc6d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.add_column(sa.Column("queue_number", sa.Integer(), nullable=True))
    # Bookings already queued keep their order: joined first, then the lower id.
    op.execute(
        """
        UPDATE bookings SET queue_number = (
            SELECT count(*) FROM bookings AS earlier
            WHERE earlier.course_session_id = bookings.course_session_id
              AND earlier.queued_at IS NOT NULL
              AND (earlier.queued_at < bookings.queued_at
                   OR (earlier.queued_at = bookings.queued_at
                       AND earlier.id <= bookings.id))
        )
        WHERE queued_at IS NOT NULL
        """
    )
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.create_index(
            "uq_bookings_queue_number",
            ["course_session_id", "queue_number"],
            unique=True,
        )


def downgrade():
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.drop_index("uq_bookings_queue_number")
        batch_op.drop_column("queue_number")
