"""Bookings by person and state: the approval inbox finds a team's requests
through its people (issue 19).

Without it SQLite read every requested booking of the installation (9,453 at
national size) and looked up each one's person: 41 ms for a team of 14
requests; through this index 0.2 ms.

Revision ID: b9e4d1c7a2f5
Revises: a7d4c2e8f153
Create Date: 2026-12-04 17:05:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b9e4d1c7a2f5"
down_revision = "a7d4c2e8f153"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_bookings_user_status", "bookings", ["user_id", "status"], unique=False
    )


def downgrade():
    op.drop_index("ix_bookings_user_status", table_name="bookings")
